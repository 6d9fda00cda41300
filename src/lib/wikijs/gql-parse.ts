/**
 * A small GraphQL parser for the stand-in Wiki.js server: operations (query / mutation, variables
 * with types and defaults), fields with aliases, arguments and nested selections, and every literal
 * kind. Fragments and directives are refused with a syntax error: the publisher never sends them,
 * and a stand-in that silently ignored them would hide a client change. Test double only.
 */

export type GqlValue =
  | { kind: 'var'; name: string }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'enum'; value: string }
  | { kind: 'list'; values: GqlValue[] }
  | { kind: 'object'; fields: Record<string, GqlValue> };

export interface GqlType {
  /** Named type, or undefined for a list type. */
  readonly name?: string;
  readonly of?: GqlType;
  readonly nonNull: boolean;
}

export interface GqlLocation {
  readonly line: number;
  readonly column: number;
}

export interface GqlField {
  readonly alias?: string;
  readonly name: string;
  readonly args: Record<string, GqlValue>;
  readonly selections?: readonly GqlField[];
  readonly loc: GqlLocation;
}

export interface GqlVariableDefinition {
  readonly name: string;
  readonly type: GqlType;
  readonly defaultValue?: GqlValue;
}

export interface GqlOperation {
  readonly type: 'query' | 'mutation';
  readonly name?: string;
  readonly variables: readonly GqlVariableDefinition[];
  readonly selections: readonly GqlField[];
}

export class GqlSyntaxError extends Error {
  readonly loc: GqlLocation;
  constructor(message: string, loc: GqlLocation) {
    super(`Syntax Error: ${message}`);
    this.loc = loc;
  }
}

type TokenKind = 'punct' | 'name' | 'int' | 'float' | 'string' | 'eof';
interface Token {
  kind: TokenKind;
  value: string;
  loc: GqlLocation;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const loc = (at: number): GqlLocation => ({ line, column: at - lineStart + 1 });
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === ',' || ch === '\uFEFF') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', loc: loc(i) });
      i += 3;
      continue;
    }
    if ('!$()[]{}:=@|&'.includes(ch)) {
      tokens.push({ kind: 'punct', value: ch, loc: loc(i) });
      i++;
      continue;
    }
    if (/[_A-Za-z]/.test(ch)) {
      const start = i;
      while (i < source.length && /[_0-9A-Za-z]/.test(source[i]!)) i++;
      tokens.push({ kind: 'name', value: source.slice(start, i), loc: loc(start) });
      continue;
    }
    if (ch === '-' || /[0-9]/.test(ch)) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i));
      if (!m) throw new GqlSyntaxError(`Invalid number, unexpected character "${ch}".`, loc(i));
      tokens.push({ kind: m[2] || m[3] ? 'float' : 'int', value: m[0], loc: loc(i) });
      i += m[0].length;
      continue;
    }
    if (source.startsWith('"""', i)) {
      const start = i;
      const end = source.indexOf('"""', i + 3);
      if (end < 0) throw new GqlSyntaxError('Unterminated string.', loc(start));
      const raw = source.slice(i + 3, end);
      for (const c of raw) if (c === '\n') line++;
      tokens.push({ kind: 'string', value: raw.replace(/\\"""/g, '"""'), loc: loc(start) });
      i = end + 3;
      continue;
    }
    if (ch === '"') {
      const start = i;
      i++;
      let value = '';
      for (;;) {
        if (i >= source.length || source[i] === '\n') throw new GqlSyntaxError('Unterminated string.', loc(start));
        const c = source[i]!;
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\') {
          const e = source[i + 1];
          const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e !== undefined && simple[e] !== undefined) {
            value += simple[e];
            i += 2;
          } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
            i += 6;
          } else {
            throw new GqlSyntaxError(`Invalid character escape sequence: \\${e ?? ''}.`, loc(i));
          }
          continue;
        }
        value += c;
        i++;
      }
      tokens.push({ kind: 'string', value, loc: loc(start) });
      continue;
    }
    throw new GqlSyntaxError(`Unexpected character: "${ch}".`, loc(i));
  }
  tokens.push({ kind: 'eof', value: '<EOF>', loc: loc(i) });
  return tokens;
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];
  constructor(source: string) {
    this.tokens = tokenize(source);
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private describe(t: Token): string {
    if (t.kind === 'eof') return '<EOF>';
    if (t.kind === 'punct') return `"${t.value}"`;
    if (t.kind === 'name') return `Name "${t.value}"`;
    return `${t.kind === 'string' ? 'String' : 'Number'} "${t.value}"`;
  }
  private isPunct(value: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.value === value;
  }
  private expectPunct(value: string): Token {
    const t = this.next();
    if (t.kind !== 'punct' || t.value !== value) throw new GqlSyntaxError(`Expected "${value}", found ${this.describe(t)}.`, t.loc);
    return t;
  }
  private expectName(): Token {
    const t = this.next();
    if (t.kind !== 'name') throw new GqlSyntaxError(`Expected Name, found ${this.describe(t)}.`, t.loc);
    return t;
  }

  parseDocument(): GqlOperation[] {
    const operations: GqlOperation[] = [];
    while (this.peek().kind !== 'eof') operations.push(this.parseOperation());
    if (operations.length === 0) throw new GqlSyntaxError('Unexpected <EOF>.', this.peek().loc);
    return operations;
  }

  private parseOperation(): GqlOperation {
    const t = this.peek();
    if (t.kind === 'punct' && t.value === '{') return { type: 'query', variables: [], selections: this.parseSelectionSet() };
    if (t.kind !== 'name') throw new GqlSyntaxError(`Unexpected ${this.describe(t)}.`, t.loc);
    if (t.value === 'fragment' || t.value === 'subscription') {
      throw new GqlSyntaxError(`${t.value} definitions are not supported by the stand-in.`, t.loc);
    }
    if (t.value !== 'query' && t.value !== 'mutation') throw new GqlSyntaxError(`Unexpected ${this.describe(t)}.`, t.loc);
    this.next();
    let name: string | undefined;
    if (this.peek().kind === 'name') name = this.next().value;
    const variables: GqlVariableDefinition[] = [];
    if (this.isPunct('(')) {
      this.next();
      while (!this.isPunct(')')) {
        this.expectPunct('$');
        const varName = this.expectName().value;
        this.expectPunct(':');
        const type = this.parseType();
        let defaultValue: GqlValue | undefined;
        if (this.isPunct('=')) {
          this.next();
          defaultValue = this.parseValue(true);
        }
        variables.push({ name: varName, type, defaultValue });
      }
      this.next();
    }
    if (this.isPunct('@')) throw new GqlSyntaxError('Directives are not supported by the stand-in.', this.peek().loc);
    return { type: t.value, name, variables, selections: this.parseSelectionSet() };
  }

  private parseType(): GqlType {
    let type: GqlType;
    if (this.isPunct('[')) {
      this.next();
      const of = this.parseType();
      this.expectPunct(']');
      type = { of, nonNull: false };
    } else {
      type = { name: this.expectName().value, nonNull: false };
    }
    if (this.isPunct('!')) {
      this.next();
      type = { ...type, nonNull: true };
    }
    return type;
  }

  private parseSelectionSet(): GqlField[] {
    this.expectPunct('{');
    const fields: GqlField[] = [];
    while (!this.isPunct('}')) {
      if (this.isPunct('...')) throw new GqlSyntaxError('Fragments are not supported by the stand-in.', this.peek().loc);
      fields.push(this.parseField());
    }
    if (fields.length === 0) throw new GqlSyntaxError('Expected Name, found "}".', this.peek().loc);
    this.next();
    return fields;
  }

  private parseField(): GqlField {
    const first = this.expectName();
    let alias: string | undefined;
    let name = first.value;
    if (this.isPunct(':')) {
      this.next();
      alias = name;
      name = this.expectName().value;
    }
    const args: Record<string, GqlValue> = {};
    if (this.isPunct('(')) {
      this.next();
      while (!this.isPunct(')')) {
        const argName = this.expectName().value;
        this.expectPunct(':');
        args[argName] = this.parseValue(false);
      }
      this.next();
    }
    if (this.isPunct('@')) throw new GqlSyntaxError('Directives are not supported by the stand-in.', this.peek().loc);
    const selections = this.isPunct('{') ? this.parseSelectionSet() : undefined;
    return { alias, name, args, selections, loc: first.loc };
  }

  private parseValue(isConst: boolean): GqlValue {
    const t = this.next();
    if (t.kind === 'punct' && t.value === '$') {
      if (isConst) throw new GqlSyntaxError('Unexpected "$".', t.loc);
      return { kind: 'var', name: this.expectName().value };
    }
    if (t.kind === 'int') return { kind: 'int', value: Number(t.value) };
    if (t.kind === 'float') return { kind: 'float', value: Number(t.value) };
    if (t.kind === 'string') return { kind: 'string', value: t.value };
    if (t.kind === 'name') {
      if (t.value === 'true' || t.value === 'false') return { kind: 'bool', value: t.value === 'true' };
      if (t.value === 'null') return { kind: 'null' };
      return { kind: 'enum', value: t.value };
    }
    if (t.kind === 'punct' && t.value === '[') {
      const values: GqlValue[] = [];
      while (!this.isPunct(']')) values.push(this.parseValue(isConst));
      this.next();
      return { kind: 'list', values };
    }
    if (t.kind === 'punct' && t.value === '{') {
      const fields: Record<string, GqlValue> = {};
      while (!this.isPunct('}')) {
        const key = this.expectName().value;
        this.expectPunct(':');
        fields[key] = this.parseValue(isConst);
      }
      this.next();
      return { kind: 'object', fields };
    }
    throw new GqlSyntaxError(`Unexpected ${this.describe(t)}.`, t.loc);
  }
}

/** Parses a GraphQL document; throws GqlSyntaxError with a GraphQL-style message. */
export function parseGraphQL(source: string): GqlOperation[] {
  return new Parser(source).parseDocument();
}

/** Prints a type as GraphQL writes it (`[String]!`). */
export function printType(type: GqlType): string {
  const inner = type.of ? `[${printType(type.of)}]` : (type.name ?? '?');
  return type.nonNull ? `${inner}!` : inner;
}
