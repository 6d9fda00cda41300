/**
 * A fast Markdown writer for the mdast trees the page renderer builds (src/lib/render/mdast.ts):
 * root, heading, paragraph, text, inlineCode, emphasis, strong, link, unordered list of
 * one-paragraph items, GFM table and fenced code. Its output is byte-identical to remark-stringify
 * as configured in markdown.ts; `toMarkdown` uses it first and falls back to remark for the whole
 * tree whenever it returns `undefined`.
 *
 * It is a port of the parts of mdast-util-to-markdown 2.x those nodes use, minus its generality:
 * escaping runs remark's own `unsafe` patterns (read from remark at start-up, not copied), but
 * pre-filtered once per construct stack, and text holding no pattern character is written as is.
 * Everything it does not model exactly throws `UNSUPPORTED` (caught at the top): unknown nodes,
 * line breaks in text or code spans, ordered or nested lists, titled or `<…>` links, emphasis
 * that remark would have to encode around or re-pair, and so on.
 */
import type { AlignType, Code, Emphasis, Heading, InlineCode, Link, List, PhrasingContent, Root, Strong, Table } from 'mdast';

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

/** What the writer needs from the configured remark serialiser (see `remarkWriterSetup` in markdown.ts). */
export interface WriterSetup {
  readonly unsafe: readonly UnsafePattern[];
  readonly compilePattern: (pattern: never) => RegExp;
  /** The serialiser's options (remark-stringify settings) and remark-gfm's `tableCellPadding`. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** The settings the writer is written for; any other value disables it (remark does all the work). */
const ASSUMED: Readonly<Record<string, unknown>> = {
  bullet: '-', bulletOther: '*', emphasis: '_', strong: '*', fence: '`', fences: true,
  listItemIndent: 'one', closeAtx: false, setext: false, resourceLink: false, tableCellPadding: true,
};

/** The trailing-newline rule of `toMarkdown`: no trailing whitespace, then exactly one newline. */
export const finishMarkdown = (text: string): string => `${text.trimEnd()}\n`; // trimEnd strips exactly `\s`

/**
 * A GFM table in the seed page's shape from its serialised cells: no padding, a `|` on both ends,
 * `---` (or `:--`, `--:`, `:-:`) in the alignment row. Shared by remark's table handler and the writer.
 */
export function layoutTable(rows: readonly (readonly string[])[], align: readonly (AlignType | undefined)[] | null | undefined): string {
  let columns = align?.length ?? 0;
  for (const row of rows) columns = Math.max(columns, row.length);
  if (columns === 0) return '';
  const line = (cells: readonly string[]): string => {
    const padded: string[] = [];
    for (let index = 0; index < columns; index += 1) {
      const cell = (cells[index] ?? '').replace(/\r?\n/g, ' ').trim();
      padded.push(cell === '' ? ' ' : ` ${cell} `);
    }
    return `|${padded.join('|')}|`;
  };
  const delimiter = (value: AlignType | undefined): string =>
    value === 'left' ? ':--' : value === 'right' ? '--:' : value === 'center' ? ':-:' : '---';
  const aligns: string[] = [];
  for (let index = 0; index < columns; index += 1) aligns.push(delimiter(align?.[index]));
  const [head = [], ...body] = rows;
  return [line(head), line(aligns), ...body.map(line)].join('\n');
}

/** Thrown (a constant, so no stack is captured) where the writer cannot prove remark's bytes. */
const UNSUPPORTED = Symbol('unsupported');
function unsupported(): never {
  throw UNSUPPORTED;
}

/**
 * An unsafe pattern, compiled. `needs` says where the line break its regex requires must be
 * (none, anywhere before the character, right before it, right after it): text never holds a
 * line break here, so most rules can be skipped by looking at the text's neighbours only.
 */
interface Rule {
  readonly character: string;
  readonly before: boolean;
  readonly after: boolean;
  readonly regex: RegExp;
  readonly pattern: UnsafePattern;
  readonly needs: 'none' | 'break' | 'breakBefore' | 'breakAfter';
}

/** A construct stack (as remark's `state.stack`) with the unsafe rules in scope there. */
interface Context {
  readonly stack: readonly string[];
  readonly all: readonly Rule[];
  /** The rules in scope, by character code (all pattern characters are ASCII). */
  readonly rules: readonly (readonly Rule[] | undefined)[];
  /** In an autolink remark percent-encodes instead of escaping. */
  readonly percent: boolean;
  readonly next: Map<string, Context>;
}

const inList = (stack: readonly string[], list: string | readonly string[] | null | undefined, none: boolean): boolean => {
  const names = typeof list === 'string' ? [list] : list;
  if (!names || names.length === 0) return none;
  return names.some((name) => stack.includes(name));
};

function context(stack: readonly string[], all: readonly Rule[]): Context {
  const rules: Rule[][] = [];
  for (const rule of all) {
    if (!inList(stack, rule.pattern.inConstruct, true) || inList(stack, rule.pattern.notInConstruct, false)) continue;
    (rules[rule.character.charCodeAt(0)] ??= []).push(rule);
  }
  return { stack, all, rules, percent: stack.includes('autolink'), next: new Map() };
}

/** The context after `state.enter(name)`; `autolink` also drops `phrasing`, as remark's link handler does. */
function enter(ctx: Context, name: string): Context {
  let child = ctx.next.get(name);
  if (!child) {
    const base = name === 'autolink' ? ctx.stack.filter((d) => d !== 'phrasing') : ctx.stack;
    child = context([...base, name], ctx.all);
    ctx.next.set(name, child);
  }
  return child;
}

// micromark's classifyCharacter: 1 whitespace, 2 punctuation, undefined anything else.
const WHITESPACE = /\s/;
const PUNCTUATION = /\p{P}|\p{S}/u;
function classify(code: number): 1 | 2 | undefined {
  if (code === 32 || (code > -1 && WHITESPACE.test(String.fromCharCode(code)))) return 1;
  if (code > -1 && PUNCTUATION.test(String.fromCharCode(code))) return 2;
  return undefined;
}

const reference = (code: number): string => `&#x${code.toString(16).toUpperCase()};`;
const firstCharacter = (value: string): string => {
  const code = value.codePointAt(0);
  return code === undefined ? '' : String.fromCodePoint(code);
};
const lastCharacter = (value: string): string => {
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

/**
 * mdast-util-to-markdown's `safe` over the rules of `ctx`. Only rules whose character occurs in
 * `input` can mark a position inside it, and positions outside it never change the result, so
 * the others are skipped (as are rules whose required line break cannot be there); with no rule
 * left and no backslash the input comes back unchanged.
 */
function safe(ctx: Context, input: string, before: string, after: string, encode = ''): string {
  let present: Set<number> | undefined;
  let breaks = false;
  for (let index = 0; index < input.length; index += 1) {
    const code = input.charCodeAt(index);
    if (isBreak(code)) breaks = true;
    if (code < 128 && ctx.rules[code]) (present ??= new Set()).add(code);
  }
  if (!present) return ctx.percent ? input : escapeBackslashes(input, after);
  const value = before + input + after;
  const offset = before.length;
  const end = value.length - after.length;
  const breakBefore = breaks || /[\r\n]/.test(before);
  const breakRightBefore = breaks || isBreak(before.charCodeAt(before.length - 1));
  const breakRightAfter = breaks || isBreak(after.charCodeAt(0));
  const positions: number[] = [];
  const infos = new Map<number, { before: boolean; after: boolean }>();
  for (const code of present) {
    for (const rule of ctx.rules[code] as readonly Rule[]) {
      if ((rule.needs === 'break' && !breakBefore) || (rule.needs === 'breakBefore' && !breakRightBefore) || (rule.needs === 'breakAfter' && !breakRightAfter)) continue;
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

/** An emphasis or strong, its children already written (remark's attention item). */
interface Attention { readonly sequence: string; readonly children: readonly string[] }
type Item = string | Attention;
type Node = PhrasingContent & { position?: unknown };

/** The `joinTexts` of markdown.ts for one parent: adjacent texts without position become one. */
function joinTexts(children: readonly Node[]): readonly Node[] {
  let joined: Node[] | undefined;
  for (let index = 1; index < children.length; index += 1) {
    const child = children[index] as Node;
    const last = joined ? (joined.at(-1) as Node) : (children[index - 1] as Node);
    if (child.type === 'text' && last.type === 'text' && !last.position && !child.position) {
      joined ??= children.slice(0, index);
      joined[joined.length - 1] = { type: 'text', value: `${last.value ?? ''}${child.value ?? ''}` };
    } else joined?.push(child);
  }
  return joined ?? children;
}

const isAutolink = (node: Link, children: readonly Node[]): boolean => {
  const only = children.length === 1 ? children[0] : undefined;
  if (!node.url || node.title || only?.type !== 'text') return false;
  const raw = only.value ?? '';
  return (raw === node.url || `mailto:${raw}` === node.url) && /^[a-z][+\-.a-z]+:/i.test(node.url) && !/[\0- <>\u007F]/.test(node.url);
};

/** The first character remark's `containerPhrasing` sees of the next sibling (`peek`). */
function peek(node: Node, ctx: Context): string {
  switch (node.type) {
    case 'text': {
      if (typeof node.value !== 'string') unsupported();
      const head = firstCharacter(node.value);
      return head.charCodeAt(0) < 128 && (head === '\\' || ctx.rules[head.charCodeAt(0)]) ? firstCharacter(safe(ctx, node.value, '', '')) : head;
    }
    case 'inlineCode': return '`';
    case 'link': return isAutolink(node, joinTexts(node.children)) ? '<' : '[';
    case 'emphasis': return '_';
    case 'strong': return '*';
    default: return unsupported();
  }
}

/** remark's `containerPhrasing`: every child with its neighbours' characters, then `serialize`. */
function phrasing(nodes: readonly Node[], ctx: Context, before: string, after: string): string {
  return serialize(items(nodes, ctx, before, after), before, after);
}

function items(nodes: readonly Node[], ctx: Context, before: string, after: string): Item[] {
  const children = joinTexts(nodes);
  const results: Item[] = [];
  let previous = before;
  for (let index = 0; index < children.length; index += 1) {
    const child = children[index] as Node;
    const next = index + 1 < children.length ? peek(children[index + 1] as Node, ctx) : after;
    if (child.type === 'emphasis' || child.type === 'strong') {
      const item = attention(child, ctx);
      if (!item) continue;
      results.push(item);
      previous = lastCharacter(item.sequence);
      continue;
    }
    const value = inline(child, ctx, previous, next);
    if (!value) continue;
    results.push(value);
    previous = lastCharacter(value);
  }
  return results;
}

function attention(node: Emphasis | Strong, ctx: Context): Attention | undefined {
  const sequence = node.type === 'emphasis' ? '_' : '**';
  const children = items(node.children, enter(ctx, node.type), sequence, sequence);
  if (children.length === 0) return undefined;
  if (children.some((child) => typeof child !== 'string')) unsupported(); // nested attention
  return { sequence, children: children as string[] };
}

function inline(node: Node, ctx: Context, before: string, after: string): string {
  switch (node.type) {
    case 'text':
      if (typeof node.value !== 'string' || node.value.includes('\n') || node.value.includes('\r')) unsupported();
      return safe(ctx, node.value, before, after);
    case 'inlineCode': return inlineCode(node, ctx);
    case 'link': return link(node, ctx, before);
    default: return unsupported();
  }
}

// mdast-util-to-markdown's `encodeInfo`: would a character next to the marker be encoded?
function encodes(outsideCode: number, insideCode: number, marker: string): boolean {
  const outside = classify(outsideCode);
  const inside = classify(insideCode);
  if (outside === undefined) return inside !== undefined || marker === '_';
  return inside === 1;
}

/**
 * remark's `serialize` for the case where it keeps every attention's preferred marker and encodes
 * nothing: each attention between text, with nothing to encode around its markers. Anything else
 * (remark would try other markers, encode neighbours or re-pair runs) is unsupported.
 */
function serialize(results: readonly Item[], before: string, after: string): string {
  let out = '';
  for (let index = 0; index < results.length; index += 1) {
    const item = results[index] as Item;
    if (typeof item === 'string') {
      out += item;
      continue;
    }
    const last = index === results.length - 1;
    const previous = index === 0 ? before : results[index - 1];
    const next = last ? after : results[index + 1];
    const marker = item.sequence.charAt(0);
    if (typeof previous !== 'string' || typeof next !== 'string' || !previous || !next) unsupported();
    if ((index === 0 && before.charAt(0) === marker) || (last && after.charAt(0) === marker)) unsupported();
    const head = item.children[0] as string;
    const tail = item.children.at(-1) as string;
    const outsideBefore = previous.charCodeAt(previous.length - 1);
    const outsideAfter = next.charCodeAt(0);
    const insideHead = head.charCodeAt(0);
    const insideTail = tail.charCodeAt(tail.length - 1);
    // Nothing to encode also means (micromark's flanking) the opener can open and the closer close;
    // with text between all runs remark's `check` then pairs each with its partner and changes nothing.
    if (encodes(outsideBefore, insideHead, marker) || encodes(outsideAfter, insideTail, marker)) unsupported();
    out += item.sequence + item.children.join('') + item.sequence;
  }
  return out;
}

/** remark's inline code (fence of backticks, space padding), with remark-gfm's `\|` in table cells. */
function inlineCode(node: InlineCode, ctx: Context): string {
  let value = node.value || '';
  if (/[\r\n]/.test(value)) unsupported();
  let sequence = '`';
  if (value.includes('`')) while (new RegExp(`(^|[^\`])${sequence}([^\`]|$)`).test(value)) sequence += '`';
  if (/[^\n\r ]/.test(value) && ((/^[\n\r ]/.test(value) && /[\n\r ]$/.test(value)) || /^`|`$/.test(value))) value = ` ${value} `;
  const code = sequence + value + sequence;
  if (!ctx.stack.includes('tableCell') || !code.includes('|')) return code;
  // A pipe preceded by an even number of backslashes gets one more.
  const result: string[] = [];
  let start = 0;
  for (let index = code.indexOf('|'); index !== -1; index = code.indexOf('|', index + 1)) {
    let backslash = index;
    while (backslash > start && code.charCodeAt(backslash - 1) === 92) backslash -= 1;
    result.push(code.slice(start, index));
    if ((index - backslash) % 2 === 0) result.push('\\');
    start = index;
  }
  result.push(code.slice(start));
  return result.join('');
}

/** remark's link with `resourceLink: false`: `<url>` when the text is the URL, else `[text](url)`. */
function link(node: Link, ctx: Context, before: string): string {
  const children = joinTexts(node.children);
  if (typeof node.url !== 'string') unsupported();
  if (isAutolink(node, children)) return `<${phrasing(children, enter(ctx, 'autolink'), '<', '>')}>`;
  // A title, or a URL that needs `<…>`, is left to remark.
  if (node.title || /[\0- \u007F]/.test(node.url)) unsupported();
  const label = phrasing(children, enter(enter(ctx, 'link'), 'label'), '[', '](');
  const last = before.charAt(before.length - 1);
  if (last === '\n' || last === '\r') {
    // remark adds an empty title where `[x]:` would read as a definition.
    let index = 0;
    while (index < label.length && label.charCodeAt(index) !== 93) index += label.charCodeAt(index) === 92 ? 2 : 1;
    if (label.charCodeAt(index + 1) === 58) unsupported();
  }
  const head = `[${label}](`;
  return `${head}${safe(enter(enter(ctx, 'link'), 'destinationRaw'), node.url, head, ')')})`;
}

function heading(node: Heading, ctx: Context): string {
  const rank = Math.max(Math.min(6, node.depth || 1), 1);
  let value = phrasing(node.children, enter(enter(ctx, 'headingAtx'), 'phrasing'), '# ', '\n');
  const head = value.charCodeAt(0);
  if (head === 9 || head === 32) value = reference(head) + value.slice(1);
  const sequence = '#'.repeat(rank);
  return value ? `${sequence} ${value}` : sequence;
}

function list(node: List, ctx: Context, bullet: string): string {
  if (node.ordered) unsupported();
  const inItem = enter(enter(enter(enter(ctx, 'list'), 'listItem'), 'paragraph'), 'phrasing');
  const lines = node.children.map((item) => {
    const only = item.children[0];
    if (item.type !== 'listItem' || typeof item.checked === 'boolean' || item.children.length !== 1 || only?.type !== 'paragraph') unsupported();
    const value = phrasing(only.children, inItem, '\n', '\n');
    if (/[\r\n]/.test(value)) unsupported();
    return value ? `${bullet} ${value}` : bullet;
  });
  // Items of a tight list are joined by one line break, of any other by a blank line.
  return lines.join(node.spread === false ? '\n' : '\n\n');
}

function table(node: Table, ctx: Context): string {
  const cell = enter(enter(enter(ctx, 'table'), 'tableCell'), 'phrasing');
  const rows = node.children.map((row) => {
    if (row.type !== 'tableRow') unsupported();
    return row.children.map((c) => (c.type === 'tableCell' ? phrasing(c.children, cell, ' ', ' ') : unsupported()));
  });
  return layoutTable(rows, node.align);
}

function code(node: Code, ctx: Context): string {
  if (node.lang && node.meta) unsupported();
  const raw = node.value || '';
  let streak = 0;
  for (const run of raw.match(/`+/g) ?? []) streak = Math.max(streak, run.length);
  const sequence = '`'.repeat(Math.max(streak + 1, 3));
  const lang = node.lang ? safe(enter(enter(ctx, 'codeFenced'), 'codeFencedLangGraveAccent'), node.lang, sequence, ' ', '`') : '';
  return `${sequence}${lang}\n${raw ? `${raw}\n` : ''}${sequence}`;
}

function writeRoot(root: Root, ctx: Context): string {
  if (root.type !== 'root' || 'spread' in root) unsupported();
  const blocks: string[] = [];
  let bullet: string | undefined; // remark's `bulletLastUsed`: adjacent lists alternate `-` and `*`
  for (const child of root.children) {
    if (child.type === 'list') {
      bullet = bullet === '-' ? '*' : '-';
      blocks.push(list(child, ctx, bullet));
      continue;
    }
    bullet = undefined;
    if (child.type === 'heading') blocks.push(heading(child, ctx));
    else if (child.type === 'paragraph') blocks.push(phrasing(child.children, enter(enter(ctx, 'paragraph'), 'phrasing'), '\n', '\n'));
    else if (child.type === 'table') blocks.push(table(child, ctx));
    else if (child.type === 'code') blocks.push(code(child, ctx));
    else unsupported();
  }
  return finishMarkdown(blocks.join('\n\n'));
}

/** `before`/`after` patterns that are one line break character. */
const BREAK = new Set(['[\\r\\n]', '\\r', '\\n']);

/**
 * Builds the fast writer for a remark serialiser's setup. The writer returns the Markdown remark
 * would write for `root` (after `toMarkdown`'s trailing-newline rule), or `undefined` when the tree
 * holds anything it does not model exactly; it never returns different bytes.
 */
export function createMarkdownWriter(setup: WriterSetup): (root: Root) => string | undefined {
  const matches = Object.entries(ASSUMED).every(([key, value]) => setup.options[key] === value);
  // Node-dependent or non-ASCII patterns are not modelled (remark-gfm has none): remark does it all.
  const modelled = setup.unsafe.every((p) => !p.beforeNode && !p.afterNode && p.character.length === 1 && p.character.charCodeAt(0) < 128);
  if (!matches || !modelled) return () => undefined;
  const rules = setup.unsafe.map((pattern): Rule => {
    const compiled = setup.compilePattern(pattern as never);
    const needs = pattern.atBreak ? 'break' : BREAK.has(pattern.before ?? '') ? 'breakBefore' : BREAK.has(pattern.after ?? '') ? 'breakAfter' : 'none';
    return { character: pattern.character, before: Boolean(pattern.before || pattern.atBreak), after: Boolean(pattern.after), regex: new RegExp(compiled.source, compiled.flags), pattern, needs };
  });
  const top = context([], rules);
  return (root) => {
    try {
      return writeRoot(root, top);
    } catch {
      return undefined; // UNSUPPORTED, or a malformed tree: remark decides what to do with it
    }
  };
}
