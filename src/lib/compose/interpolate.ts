/**
 * Compose variable interpolation, as the Compose Specification defines it: `$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+replacement}`,
 * `${VAR+replacement}`, nested expansion inside defaults, and `$$` for a literal `$`.
 */

/** Looks a variable up; undefined means unset (an empty string is set but empty). */
export type VariableLookup = (name: string) => string | undefined;

export interface InterpolationProblem {
  /** 0-based offset of the `$` that starts the faulty expression. */
  readonly offset: number;
  readonly code: 'interpolation-required' | 'interpolation-syntax';
  readonly message: string;
}

export interface InterpolationResult {
  readonly value: string;
  /** Names of the variables the text refers to, in order of first use. */
  readonly variables: readonly string[];
  readonly problems: readonly InterpolationProblem[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Interpolates `text`. Never throws: problems are returned with their offsets. */
export function interpolate(text: string, lookup: VariableLookup): InterpolationResult {
  const variables: string[] = [];
  const problems: InterpolationProblem[] = [];
  const value = expand(text, 0, lookup, variables, problems);
  return { value, variables, problems };
}

function expand(
  text: string,
  base: number,
  lookup: VariableLookup,
  variables: string[],
  problems: InterpolationProblem[],
): string {
  if (!text.includes('$')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const close = findClosingBrace(text, i + 2);
      if (close < 0) {
        problems.push({ offset: base + i, code: 'interpolation-syntax', message: 'unclosed "${": add the missing "}" or write "$$" for a literal "$"' });
        out += text.slice(i);
        break;
      }
      out += expandBraced(text.slice(i + 2, close), base + i, lookup, variables, problems);
      i = close + 1;
      continue;
    }
    const name = NAME.exec(text.slice(i + 1));
    if (name) {
      note(variables, name[0]);
      out += lookup(name[0]) ?? '';
      i += 1 + name[0].length;
      continue;
    }
    // A lone `$` followed by something that is not a name: Compose keeps it as written.
    out += '$';
    i++;
  }
  return out;
}

function expandBraced(
  body: string,
  offset: number,
  lookup: VariableLookup,
  variables: string[],
  problems: InterpolationProblem[],
): string {
  const name = NAME.exec(body)?.[0];
  if (!name) {
    problems.push({ offset, code: 'interpolation-syntax', message: `invalid interpolation "\${${body}}": a variable name must start with a letter or "_"` });
    return '';
  }
  note(variables, name);
  const rest = body.slice(name.length);
  const current = lookup(name);
  if (rest === '') return current ?? '';
  const op = /^(:?[-?+])/.exec(rest)?.[1];
  if (!op) {
    problems.push({ offset, code: 'interpolation-syntax', message: `invalid interpolation "\${${name}${rest}}": expected one of :- - :? ? :+ + after the name` });
    return current ?? '';
  }
  const arg = rest.slice(op.length);
  const colon = op.startsWith(':');
  const unset = colon ? current === undefined || current === '' : current === undefined;
  const nested = () => expand(arg, offset + 2 + name.length + op.length, lookup, variables, problems);
  switch (op.at(-1)) {
    case '-':
      return unset ? nested() : (current ?? '');
    case '+':
      return unset ? '' : nested();
    default: {
      if (!unset) return current ?? '';
      // The message is quoted as written: expanding it could put another variable's value (a
      // secret, say) into a diagnostic. Expanding still records the variables it names.
      nested();
      const message = arg.trim();
      problems.push({
        offset,
        code: 'interpolation-required',
        message: `required variable ${name} is ${current === undefined ? 'not set' : 'empty'}${message ? `: ${message}` : ''}`,
      });
      return '';
    }
  }
}

function findClosingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') {
      i++;
      continue;
    }
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function note(variables: string[], name: string): void {
  if (!variables.includes(name)) variables.push(name);
}
