/**
 * The one place pages are turned to and from Markdown, with settings chosen for Wiki.js
 * (markdown-it, see markdown-options.ts): `-` bullets, `_` emphasis, `**` strong, fenced code, `---`
 * rules, and GFM tables written as `| a | b |` with a `| --- | --- |` alignment row (no column
 * padding, so a changed cell changes one line).
 *
 * Citation tokens `【F:path†L1-L2】` in text come out verbatim: remark escapes nothing in them for
 * the paths compose repositories use. It does escape what would otherwise start Markdown syntax —
 * an `@` (GFM e-mail autolinks) or a `_` at a word boundary — and rightly so: `check` should read
 * citations from the parsed text (`fromMarkdown`), where such escapes are gone.
 *
 * Serialising is most of `generate`'s time, so generated trees are written by a purpose-built writer
 * (write-markdown.ts) that produces remark's bytes exactly and declines anything else. It escapes
 * by remark's own rules, read from their committed snapshot (markdown-rules.ts); remark itself
 * (markdown-remark.ts) is loaded only to parse, or to write a block the fast writer declines.
 */
import type { Root } from 'mdast';
import { remark, remarkWriter, remarkWriterSetup } from './markdown-remark.ts';
import { parseWithSatteri } from './markdown-parse.ts';
import { readEscapeRules } from './markdown-rules.ts';
import { refuseUnparsableNesting } from './unreadable-page.ts';
import { createMarkdownWriter, finishMarkdown } from './write-markdown.ts';

export { STRINGIFY_OPTIONS } from './markdown-options.ts';

/**
 * The purpose-built writer (write-markdown.ts) for the trees the renderer emits: the Markdown
 * `toMarkdown` returns, or `undefined` for a tree it cannot prove it writes exactly like remark.
 * Its rules come from the snapshot, or from remark itself when the snapshot does not match the
 * installed packages. Exported so tests can see which trees take the fast path.
 */
export const writeMarkdownFast: (root: Root, finish?: boolean, headings?: number[]) => string | undefined = createMarkdownWriter(readEscapeRules() ?? remarkWriterSetup());

/**
 * Serialises an mdast tree as Markdown for Wiki.js. Deterministic; ends with one newline. Trees
 * of the node types the renderer emits go through the fast writer; in a tree it declines, the
 * blocks it declines (ordered or nested lists, HTML, line breaks in text, … as hand-written
 * Markdown has them) go through remark, the others still through the fast writer.
 */
export function toMarkdown(root: Root): string {
  return writeMarkdownFast(root) ?? writeMarkdownByBlocks(root) ?? remarkToMarkdown(root);
}

/**
 * `toMarkdown`, with the offset in its text of each of the tree's top-level headings: every one
 * starts a line after a blank line, at a block boundary of the text. Empty when the fast writer
 * declined the tree (the text is then remark's, whose block boundaries are not tracked).
 */
export function toMarkdownWithHeadings(root: Root): { text: string; headings: readonly number[] } {
  const headings: number[] = [];
  const text = writeMarkdownFast(root, true, headings);
  return text === undefined ? { text: toMarkdown(root), headings: [] } : { text, headings };
}

/** Top-level block types remark writes from the block alone (see `writeMarkdownByBlocks`). */
const FLOW_BLOCKS = new Set(['heading', 'paragraph', 'list', 'table', 'code', 'blockquote', 'html', 'thematicBreak', 'definition', 'footnoteDefinition']);

/**
 * `remarkToMarkdown`, block by block: the fast writer writes the top-level blocks it models and
 * remark only the others (a person's numbered list, quote or HTML), so that one such block does
 * not send a whole page through remark's much slower writer. Exact, because at the top level
 * remark writes each block from the block alone and joins blocks with a blank line (its join
 * rules look only inside lists and items, and at indented code, which fences rule out); the one
 * state it carries is the last list's bullet, which a list next to it (or leading the block after
 * it) must not reuse, so a run of lists and the block after it are written together.
 * Undefined when the tree holds anything else, or a block's text cannot be cut from remark's
 * output exactly.
 */
export function writeMarkdownByBlocks(root: Root): string | undefined {
  const children = root.children;
  if (root.type !== 'root' || !children.every((child) => FLOW_BLOCKS.has(child.type))) return undefined;
  const parts: string[] = [];
  for (let start = 0; start < children.length; ) {
    let end = start + 1;
    if (children[start]?.type === 'list') {
      while (children[end]?.type === 'list') end += 1;
      // remark forgets the last bullet only after the next block: a list leading it alternates too.
      if (end < children.length) end += 1;
    }
    const blocks: Root = { type: 'root', children: children.slice(start, end) };
    const part = writeMarkdownFast(blocks, false) ?? withoutFinalNewline(remarkWriter().stringify(joinTexts(blocks)));
    if (part === undefined) return undefined;
    parts.push(part);
    start = end;
  }
  return finishMarkdown(parts.join('\n\n'));
}

/**
 * remark's text of blocks without the newline it ends a document with. It adds one only after text
 * that does not end in a line ending, so when it does, where the blocks end is not certain.
 */
function withoutFinalNewline(text: string): string | undefined {
  if (text === '') return text;
  const body = text.slice(0, -1);
  return text.endsWith('\n') && !/[\r\n]$/.test(body) ? body : undefined;
}

/** `toMarkdown` by remark alone (the fallback of the fast writer, and its reference in tests). */
export function remarkToMarkdown(root: Root): string {
  return finishMarkdown(remarkWriter().stringify(joinTexts(root) as Root));
}

/**
 * The same tree with adjacent text nodes joined. Renderers build sentences from many small text
 * nodes; the serialiser's escaping runs once per node, so joining them cuts its cost by a third
 * (on 1,188 synthetic pages: 3.4 s → 2.6 s) and leaves the Markdown byte-identical.
 */
function joinTexts<T extends { type: string }>(node: T): T {
  const children = (node as { children?: { type: string; value?: string }[] }).children;
  if (!children) return node;
  const joined: { type: string; value?: string }[] = [];
  for (const child of children) {
    const next = joinTexts(child);
    const last = joined.at(-1);
    if (next.type === 'text' && last?.type === 'text' && !('position' in last && last.position) && !('position' in next && next.position)) {
      joined[joined.length - 1] = { type: 'text', value: `${last.value ?? ''}${next.value ?? ''}` };
    } else joined.push(next);
  }
  return { ...node, children: joined };
}

/**
 * Parses Markdown (CommonMark + GFM) into an mdast tree with source positions: by satteri where it
 * loads (markdown-parse.ts), else by remark. Both give the tree merging reads.
 */
export function fromMarkdown(text: string): Root {
  refuseUnparsableNesting(text);
  return parseWithSatteri(text) ?? remarkFromMarkdown(text);
}

/** `fromMarkdown` by remark alone (the fallback, and the reference the tests hold satteri to). */
export function remarkFromMarkdown(text: string): Root {
  return remark().parse(text);
}

/** Markdown with its formatting normalised (parse, then serialise with the settings above). */
export function normalizeMarkdown(text: string): string {
  return toMarkdown(fromMarkdown(text));
}

/** A citation token `【F:path†L1-L2】`, and that token wrapped in a link (when a source URL is set). */
const CITATION_LINK = /\[【F:[^】\n]*】\]\([^)\n]*\)/g;
const CITATION = /【F:[^】\n]*】/g;

/** Removes citation tokens (bare or linked), so that text can be compared across line shifts. */
export function stripCitations(markdown: string): string {
  return markdown.replace(CITATION_LINK, '').replace(CITATION, '');
}
