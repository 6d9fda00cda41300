/**
 * A fast Markdown writer for the mdast trees the page renderer builds (src/lib/render/mdast.ts):
 * root, heading, paragraph, text, inlineCode, emphasis, strong, link, unordered list of
 * one-paragraph items, GFM table and fenced code. Its output is byte-identical to remark-stringify
 * as configured in markdown-options.ts; `toMarkdown` uses it first and, whenever it returns
 * `undefined`, writes the tree block by block (markdown.ts `writeMarkdownByBlocks`): this writer
 * for the blocks it models, remark for the others.
 *
 * It is a port of the parts of mdast-util-to-markdown 2.x those nodes use, minus its generality:
 * escaping (markdown-escape.ts) runs remark's own `unsafe` patterns (a snapshot checked against
 * remark, markdown-rules.ts), but pre-filtered once per construct stack, and text holding no
 * pattern character is written as is.
 * Everything it does not model exactly throws `UNSUPPORTED` (caught at the top): unknown nodes,
 * line breaks in text or code spans, ordered or nested lists, titled or `<…>` links, emphasis
 * that remark would have to encode around or re-pair, and so on.
 */
import type { AlignType, Code, Emphasis, Heading, InlineCode, Link, List, PhrasingContent, Root, Strong, Table } from 'mdast';
import { classify, compileRules, context, enter, firstCharacter, firstMayChange, lastCharacter, reference, safe, type Context, type UnsafePattern } from './markdown-escape.ts';

export type { UnsafePattern } from './markdown-escape.ts';

/** What the writer needs from the configured remark serialiser (`remarkWriterSetup` in markdown-remark.ts, or its snapshot in markdown-rules.ts). */
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
      if (head.charCodeAt(0) >= 128 || (head !== '\\' && !ctx.rules[head.charCodeAt(0)])) return head;
      // Escaping changes a first character only where a rule for it can apply; without a line break
      // around, most cannot (a leading space needs one), so the whole text is not escaped to see that.
      if (!node.value.includes('\n') && !node.value.includes('\r') && !firstMayChange(ctx, head)) return head;
      return firstCharacter(safe(ctx, node.value, '', ''));
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
  if (value.includes('\n') || value.includes('\r')) unsupported();
  let sequence = '`';
  const ticks = value.includes('`');
  if (ticks) while (new RegExp(`(^|[^\`])${sequence}([^\`]|$)`).test(value)) sequence += '`';
  // Padded when it starts and ends with a space (and is not all spaces), or starts or ends with a
  // backtick (no line breaks are left here).
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if ((first === 32 && last === 32 && /[^ ]/.test(value)) || (ticks && (first === 96 || last === 96))) value = ` ${value} `;
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

function writeRoot(root: Root, ctx: Context, finish: boolean, headings?: number[]): string {
  if (root.type !== 'root' || 'spread' in root) unsupported();
  const blocks: string[] = [];
  let offset = 0; // where the next block starts in the joined text
  let bullet: string | undefined; // remark's `bulletLastUsed`: adjacent lists alternate `-` and `*`
  for (const child of root.children) {
    if (blocks.length > 0) offset += (blocks.at(-1) as string).length + 2;
    if (child.type === 'list') {
      bullet = bullet === '-' ? '*' : '-';
      blocks.push(list(child, ctx, bullet));
      continue;
    }
    bullet = undefined;
    if (child.type === 'heading') {
      blocks.push(heading(child, ctx));
      headings?.push(offset);
    }
    else if (child.type === 'paragraph') blocks.push(phrasing(child.children, enter(enter(ctx, 'paragraph'), 'phrasing'), '\n', '\n'));
    else if (child.type === 'table') blocks.push(table(child, ctx));
    else if (child.type === 'code') blocks.push(code(child, ctx));
    else unsupported();
  }
  const text = blocks.join('\n\n');
  return finish ? finishMarkdown(text) : text;
}

/**
 * Builds the fast writer for a remark serialiser's setup. The writer returns the Markdown remark
 * would write for `root` (after `toMarkdown`'s trailing-newline rule, unless `finish` is false:
 * then the blocks as remark joins them, trailing whitespace and all), or `undefined` when the tree
 * holds anything it does not model exactly; it never returns different bytes. Given `headings`,
 * it adds the offset of each top-level heading in that text (left alone when it returns undefined).
 */
export function createMarkdownWriter(setup: WriterSetup): (root: Root, finish?: boolean, headings?: number[]) => string | undefined {
  const matches = Object.entries(ASSUMED).every(([key, value]) => setup.options[key] === value);
  // Node-dependent or non-ASCII patterns are not modelled (remark-gfm has none): remark does it all.
  const modelled = setup.unsafe.every((p) => !p.beforeNode && !p.afterNode && p.character.length === 1 && p.character.charCodeAt(0) < 128);
  if (!matches || !modelled) return () => undefined;
  const top = context([], compileRules(setup.unsafe, setup.compilePattern));
  return (root, finish = true, headings) => {
    const found: number[] | undefined = headings ? [] : undefined;
    try {
      const text = writeRoot(root, top, finish, found);
      if (found) headings?.push(...found);
      return text;
    } catch {
      return undefined; // UNSUPPORTED, or a malformed tree: remark decides what to do with it
    }
  };
}
