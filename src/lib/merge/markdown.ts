/**
 * The one place pages are turned to and from Markdown: unified + remark-parse / remark-gfm /
 * remark-stringify, with settings chosen for Wiki.js (markdown-it): `-` bullets, `_` emphasis,
 * `**` strong, fenced code, `---` rules, and GFM tables written as `| a | b |` with a
 * `| --- | --- |` alignment row (no column padding, so a changed cell changes one line).
 *
 * Citation tokens `【F:path†L1-L2】` in text come out verbatim: remark escapes nothing in them for
 * the paths compose repositories use. It does escape what would otherwise start Markdown syntax —
 * an `@` (GFM e-mail autolinks) or a `_` at a word boundary — and rightly so: `check` should read
 * citations from the parsed text (`fromMarkdown`), where such escapes are gone.
 *
 * Serialising is most of `generate`'s time, so generated trees are written by a purpose-built writer
 * (write-markdown.ts) that produces remark's bytes exactly and declines anything else.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import type { Options as StringifyOptions } from 'remark-stringify';
import type { Root, Table } from 'mdast';
import { createMarkdownWriter, finishMarkdown, layoutTable, type WriterSetup } from './write-markdown.ts';

type Handlers = NonNullable<StringifyOptions['handlers']>;
type Handle = NonNullable<Handlers['table']>;

/**
 * GFM table in the seed page's shape. Cells are serialised by remark-gfm's own cell handler (so a
 * `|` in cell text is escaped as `\|`, also inside code), rows are written without padding and
 * the alignment row always uses three dashes (see `layoutTable`).
 */
const table: Handle = (node, _parent, state, info) => {
  const tableNode = node as Table;
  const exit = state.enter('table');
  const rows = tableNode.children.map((row) =>
    row.children.map((cell) => state.handle(cell, row, state, { ...info, before: ' ', after: ' ' })),
  );
  exit();
  return layoutTable(rows, tableNode.align);
};

/** remark-stringify settings for Wiki.js. Exported for tests and for anyone who must match them. */
export const STRINGIFY_OPTIONS: Readonly<StringifyOptions> = Object.freeze({
  bullet: '-',
  bulletOther: '*',
  bulletOrdered: '.',
  emphasis: '_',
  strong: '*',
  fence: '`',
  fences: true,
  rule: '-',
  ruleRepetition: 3,
  ruleSpaces: false,
  listItemIndent: 'one',
  incrementListMarker: true,
  closeAtx: false,
  setext: false,
  resourceLink: false,
  quote: '"',
  tightDefinitions: false,
  handlers: { table },
});

const GFM_OPTIONS = Object.freeze({ tablePipeAlign: false, tableCellPadding: true, singleTilde: false });

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm, GFM_OPTIONS)
  .use(remarkStringify, STRINGIFY_OPTIONS)
  .freeze();

/**
 * What the fast writer needs to escape exactly like remark: the unsafe patterns, pattern compiler
 * and options of a serialiser configured as `processor`, read from its state by a probe handler.
 */
function remarkWriterSetup(): WriterSetup {
  let setup: WriterSetup | undefined;
  const probe: Handle = (_node, _parent, state) => {
    setup = { unsafe: state.unsafe, compilePattern: state.compilePattern, options: { ...state.options, tableCellPadding: GFM_OPTIONS.tableCellPadding } };
    return '';
  };
  const handlers = { ...STRINGIFY_OPTIONS.handlers, probe } as Handlers;
  unified().use(remarkGfm, GFM_OPTIONS).use(remarkStringify, { ...STRINGIFY_OPTIONS, handlers })
    .stringify({ type: 'root', children: [{ type: 'probe' }] } as unknown as Root);
  if (!setup) throw new Error('remark-stringify did not call the probe handler');
  return setup;
}

/**
 * The purpose-built writer (write-markdown.ts) for the trees the renderer emits: the Markdown
 * `toMarkdown` returns, or `undefined` for a tree it cannot prove it writes exactly like remark.
 * Exported so tests can see which trees take the fast path.
 */
export const writeMarkdownFast: (root: Root) => string | undefined = createMarkdownWriter(remarkWriterSetup());

/**
 * Serialises an mdast tree as Markdown for Wiki.js. Deterministic; ends with one newline. Trees
 * of the node types the renderer emits go through the fast writer; a tree it declines (ordered or
 * nested lists, HTML, line breaks in text, … as hand-written Markdown has them) through remark.
 */
export function toMarkdown(root: Root): string {
  return writeMarkdownFast(root) ?? remarkToMarkdown(root);
}

/** `toMarkdown` by remark alone (the fallback of the fast writer, and its reference in tests). */
export function remarkToMarkdown(root: Root): string {
  return finishMarkdown(processor.stringify(joinTexts(root) as Root));
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

/** Parses Markdown (CommonMark + GFM) into an mdast tree with source positions. */
export function fromMarkdown(text: string): Root {
  return processor.parse(text);
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
