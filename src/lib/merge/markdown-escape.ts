/**
 * Escaping for the fast Markdown writer (write-markdown.ts): a port of mdast-util-to-markdown's
 * `safe` over remark's own `unsafe` patterns as remark's `compilePattern` compiles them (read from
 * a snapshot that a test holds equal to the installed remark, markdown-rules.ts). Patterns are
 * pre-filtered once per construct stack (a `Context`), and text holding no pattern character comes
 * back as is — which is where the writer's speed comes from.
 */

/** One of remark's unsafe patterns (mdast-util-to-markdown's `Unsafe`). */
export interface UnsafePattern {
  readonly character: string;
  readonly inConstruct?: string | readonly string[] | null;
  readonly notInConstruct?: string | readonly string[] | null;
  readonly before?: string | null;
  readonly after?: string | null;
  readonly atBreak?: boolean | null;
  readonly beforeNode?: unknown;
  readonly afterNode?: unknown;
}

/**
 * An unsafe pattern, compiled. `needs` says where the line break its regex requires must be
 * (none, anywhere before the character, right before it, right after it): text never holds a
 * line break here, so most rules can be skipped by looking at the text's neighbours only.
 */
export interface Rule {
  readonly character: string;
  readonly before: boolean;
  readonly after: boolean;
  readonly regex: RegExp;
  readonly pattern: UnsafePattern;
  readonly needs: 'none' | 'break' | 'breakBefore' | 'breakAfter';
}

/** A construct stack (as remark's `state.stack`) with the unsafe rules in scope there. */
export interface Context {
  readonly stack: readonly string[];
  readonly all: readonly Rule[];
  /** The rules in scope, by character code (all pattern characters are ASCII). */
  readonly rules: readonly (readonly Rule[] | undefined)[];
  /** In an autolink remark percent-encodes instead of escaping. */
  readonly percent: boolean;
  readonly next: Map<string, Context>;
  /**
   * By which line breaks are around (see `breakMask`): a regex matching any character of a rule in
   * scope that those breaks let apply. Made when first needed.
   */
  readonly triggers: (RegExp | undefined)[];
  /** By the same breaks: one regex matching wherever any rule that can apply matches. */
  readonly matchers: (Matcher | undefined)[];
}

const inList = (stack: readonly string[], list: string | readonly string[] | null | undefined, none: boolean): boolean => {
  const names = typeof list === 'string' ? [list] : list;
  if (!names || names.length === 0) return none;
  return names.some((name) => stack.includes(name));
};

/** The context of a construct stack: the rules in scope there, by character. */
export function context(stack: readonly string[], all: readonly Rule[]): Context {
  const rules: Rule[][] = [];
  for (const rule of all) {
    if (!inList(stack, rule.pattern.inConstruct, true) || inList(stack, rule.pattern.notInConstruct, false)) continue;
    (rules[rule.character.charCodeAt(0)] ??= []).push(rule);
  }
  return { stack, all, rules, percent: stack.includes('autolink'), next: new Map(), triggers: [], matchers: [] };
}

/** The context after `state.enter(name)`; `autolink` also drops `phrasing`, as remark's link handler does. */
export function enter(ctx: Context, name: string): Context {
  let child = ctx.next.get(name);
  if (!child) {
    const base = name === 'autolink' ? ctx.stack.filter((d) => d !== 'phrasing') : ctx.stack;
    child = context([...base, name], ctx.all);
    ctx.next.set(name, child);
  }
  return child;
}

const WHITESPACE = /\s/;
const PUNCTUATION = /\p{P}|\p{S}/u;
/** micromark's `classifyCharacter`: 1 whitespace, 2 punctuation, undefined anything else. */
export function classify(code: number): 1 | 2 | undefined {
  if (code === 32 || (code > -1 && WHITESPACE.test(String.fromCharCode(code)))) return 1;
  if (code > -1 && PUNCTUATION.test(String.fromCharCode(code))) return 2;
  return undefined;
}

/** A character reference (`&#x20;`), remark's way of encoding what it cannot escape. */
export const reference = (code: number): string => `&#x${code.toString(16).toUpperCase()};`;
/** The first character (code point) of a string. */
export const firstCharacter = (value: string): string => {
  const code = value.codePointAt(0);
  return code === undefined ? '' : String.fromCodePoint(code);
};
/** The last character (code point) of a string. */
export const lastCharacter = (value: string): string => {
  const code = value.codePointAt(value.length - 2);
  return code !== undefined && code > 0xffff ? value.slice(-2) : value.slice(-1);
};

/** mdast-util-to-markdown's `escapeBackslashes`: a backslash before ASCII punctuation is doubled. */
function escapeBackslashes(value: string, after: string): string {
  if (!value.includes('\\') && !after.includes('\\')) return value;
  const whole = value + after;
  const expression = /\\(?=[!-/:-@[-`{-~])/g;
  const results: string[] = [];
  let start = 0;
  let match: RegExpExecArray | null;
  while ((match = expression.exec(whole))) {
    if (start !== match.index) results.push(value.slice(start, match.index));
    results.push('\\');
    start = match.index;
  }
  results.push(value.slice(start));
  return results.join('');
}

const isBreak = (code: number): boolean => code === 10 || code === 13;
const hasBreak = (text: string): boolean => text.includes('\n') || text.includes('\r');

/** Whether a rule can apply given which line breaks are around (the same test as in `safe`). */
const applies = (rule: Rule, breakBefore: boolean, breakRightBefore: boolean, breakRightAfter: boolean): boolean =>
  !((rule.needs === 'break' && !breakBefore) || (rule.needs === 'breakBefore' && !breakRightBefore) || (rule.needs === 'breakAfter' && !breakRightAfter));

/**
 * One regex for all the rules of a context that can apply. `located`: each alternative matches
 * exactly the unsafe character (its before and after as lookarounds), so a match's index is the
 * position remark would escape; otherwise it is the rules' own sources, and a match only says
 * that some rule matches somewhere in `before + input + after`.
 */
interface Matcher {
  readonly regex: RegExp;
  readonly located: boolean;
}

/** The characters remark's `compilePattern` escapes with a backslash. */
const REGEX_SPECIAL = /[$()*+.?[\\\]^{|}]/;

/**
 * A rule's pattern with its before and after turned into lookarounds, or undefined when its
 * compiled regex is not what this reading of remark's `compilePattern` gives (then no rule is).
 */
function locatedSource(rule: Rule): string | undefined {
  const { pattern } = rule;
  const before = (pattern.atBreak ? '[\\r\\n][\\t ]*' : '') + (pattern.before ? `(?:${pattern.before})` : '');
  const character = (REGEX_SPECIAL.test(pattern.character) ? '\\' : '') + pattern.character;
  const after = pattern.after ? `(?:${pattern.after})` : '';
  if (rule.regex.flags.includes('u') || rule.regex.source !== new RegExp(`${before ? `(${before})` : ''}${character}${after}`).source) return undefined;
  return `${before ? `(?<=${before})` : ''}${character}${after ? `(?=${after})` : ''}`;
}

/** The matcher of the rules of `ctx` that can apply (one that never matches when none can). */
function matcherOf(ctx: Context, breakBefore: boolean, breakRightBefore: boolean, breakRightAfter: boolean): Matcher {
  const rules = ctx.all.filter((rule) => ctx.rules[rule.character.charCodeAt(0)]?.includes(rule) && applies(rule, breakBefore, breakRightBefore, breakRightAfter));
  if (rules.length === 0) return { regex: /(?!)/g, located: true };
  const located = rules.map(locatedSource);
  if (located.every((source) => source !== undefined)) return { regex: new RegExp(located.map((source) => `(?:${source})`).join('|'), 'g'), located: true };
  return { regex: new RegExp(rules.map((rule) => `(?:${rule.regex.source})`).join('|')), located: false };
}

/** Whether the matcher finds an unsafe character inside `value[start, end)`. */
function unsafeWithin(matcher: Matcher, value: string, start: number, end: number): boolean {
  if (!matcher.located) return matcher.regex.test(value);
  matcher.regex.lastIndex = start;
  const match = matcher.regex.exec(value);
  return match !== null && match.index < end;
}

/** A regex matching any character of the rules of `ctx` that can apply (one that never matches when none can). */
function triggerOf(ctx: Context, breakBefore: boolean, breakRightBefore: boolean, breakRightAfter: boolean): RegExp {
  const characters = new Set<string>();
  ctx.rules.forEach((rules, code) => {
    if (rules?.some((rule) => applies(rule, breakBefore, breakRightBefore, breakRightAfter))) characters.add(String.fromCharCode(code));
  });
  if (characters.size === 0) return /(?!)/;
  return new RegExp(`[${[...characters].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}]`);
}

/**
 * Whether `safe(ctx, text, '', '')` can begin with anything but `head`, the first character of a
 * text holding no line break: only when a rule for it can apply without breaks around (or it is a
 * backslash). The writer asks this of every text that follows another node (remark's `peek`).
 */
export function firstMayChange(ctx: Context, head: string): boolean {
  if (head === '\\') return true;
  return (ctx.triggers[0] ??= triggerOf(ctx, false, false, false)).test(head);
}

/**
 * mdast-util-to-markdown's `safe` over the rules of `ctx`. Only rules whose character occurs in
 * `input` can mark a position inside it, and positions outside it never change the result, so
 * the others are skipped (as are rules whose required line break cannot be there); with no rule
 * left and no backslash the input comes back unchanged.
 */
export function safe(ctx: Context, input: string, before: string, after: string, encode = ''): string {
  const breaks = hasBreak(input);
  const breakBefore = breaks || hasBreak(before);
  const breakRightBefore = breaks || isBreak(before.charCodeAt(before.length - 1));
  const breakRightAfter = breaks || isBreak(after.charCodeAt(0));
  // Most text holds no character a rule that can apply here looks for: one native regex test
  // answers for it (the result is then the same as below with no position found).
  const mask = (breakBefore ? 1 : 0) | (breakRightBefore ? 2 : 0) | (breakRightAfter ? 4 : 0);
  const trigger = (ctx.triggers[mask] ??= triggerOf(ctx, breakBefore, breakRightBefore, breakRightAfter));
  if (!trigger.test(input)) return ctx.percent ? input : escapeBackslashes(input, after);
  const value = before + input + after;
  // A character alone rarely makes text unsafe (`(` only after `]`, `:` only in `http://`…):
  // when no rule matches anywhere, nothing is escaped.
  // Characters of `before` and `after` are never escaped here: a match on them (the `[` of a link
  // that follows) says nothing, and is not looked for when the matcher can tell where it is.
  const matcher = (ctx.matchers[mask] ??= matcherOf(ctx, breakBefore, breakRightBefore, breakRightAfter));
  if (!unsafeWithin(matcher, value, before.length, before.length + input.length)) return ctx.percent ? input : escapeBackslashes(input, after);
  let present: Set<number> | undefined;
  for (let index = 0; index < input.length; index += 1) {
    const code = input.charCodeAt(index);
    if (code < 128 && ctx.rules[code]) (present ??= new Set()).add(code);
  }
  if (!present) return ctx.percent ? input : escapeBackslashes(input, after);
  const offset = before.length;
  const end = value.length - after.length;
  const positions: number[] = [];
  const infos = new Map<number, { before: boolean; after: boolean }>();
  for (const code of present) {
    for (const rule of ctx.rules[code] as readonly Rule[]) {
      if (!applies(rule, breakBefore, breakRightBefore, breakRightAfter)) continue;
      const regex = rule.regex;
      regex.lastIndex = 0;
      let match: RegExpExecArray | null;
      while ((match = regex.exec(value))) {
        const position = match.index + (rule.before ? (match[1] as string).length : 0);
        const info = infos.get(position);
        if (info) {
          if (info.before && !rule.before) info.before = false;
          if (info.after && !rule.after) info.after = false;
        } else {
          positions.push(position);
          infos.set(position, { before: rule.before, after: rule.after });
        }
      }
    }
  }
  if (positions.length === 0) return ctx.percent ? input : escapeBackslashes(input, after);
  positions.sort((a, b) => a - b);
  const result: string[] = [];
  let start = offset;
  for (let index = 0; index < positions.length; index += 1) {
    const position = positions[index] as number;
    if (position < start || position >= end) continue;
    // An intraword run of underscores cannot form emphasis: left as is.
    if (value.charAt(position) === '_' && position > 0 && classify(value.charCodeAt(position - 1)) === undefined && !infos.has(position - 1)
      && !(position - 1 === offset && /[*_]/.test(value.charAt(offset - 1)))) {
      let sequenceEnd = position + 1;
      while (sequenceEnd < end && value.charAt(sequenceEnd) === '_') sequenceEnd += 1;
      const skip = sequenceEnd - position - 1;
      if (positions[index + skip] === sequenceEnd - 1 && sequenceEnd < value.length && classify(value.charCodeAt(sequenceEnd)) === undefined
        && !infos.has(sequenceEnd) && !(sequenceEnd === end - 1 && /[*_]/.test(value.charAt(end)))) {
        index += skip;
        continue;
      }
    }
    // Unsafe only because of a neighbour that is escaped anyway.
    const info = infos.get(position) as { before: boolean; after: boolean };
    const following = infos.get(position + 1);
    const preceding = infos.get(position - 1);
    if ((position + 1 < end && positions[index + 1] === position + 1 && info.after && following && !following.before && !following.after)
      || (position - 1 >= offset && positions[index - 1] === position - 1 && info.before && preceding && !preceding.before && !preceding.after)) continue;
    if (start !== position) {
      const slice = value.slice(start, position);
      result.push(ctx.percent ? slice : escapeBackslashes(slice, '\\'));
    }
    start = position + 1;
    const character = value.charAt(position);
    if (ctx.percent) result.push(`%${value.charCodeAt(position).toString(16).toUpperCase().padStart(2, '0')}`);
    else if (/[!-/:-@[-`{-~]/.test(character) && !encode.includes(character)) result.push(`\\${character}`);
    else result.push(reference(value.charCodeAt(position)));
  }
  const rest = value.slice(start, end);
  result.push(ctx.percent ? rest : escapeBackslashes(rest, after));
  return result.join('');
}

/** `before`/`after` patterns that are one line break character. */
const BREAK = new Set(['[\\r\\n]', '\\r', '\\n']);

/** remark's unsafe patterns compiled with remark's own pattern compiler, as `Rule`s. */
export function compileRules(unsafe: readonly UnsafePattern[], compilePattern: (pattern: never) => RegExp): Rule[] {
  return unsafe.map((pattern): Rule => {
    const compiled = compilePattern(pattern as never);
    const needs = pattern.atBreak ? 'break' : BREAK.has(pattern.before ?? '') ? 'breakBefore' : BREAK.has(pattern.after ?? '') ? 'breakAfter' : 'none';
    return { character: pattern.character, before: Boolean(pattern.before || pattern.atBreak), after: Boolean(pattern.after), regex: new RegExp(compiled.source, compiled.flags), pattern, needs };
  });
}
