/**
 * The one place pages are turned to and from Markdown: unified + remark-parse / remark-gfm /
 * remark-stringify, with settings chosen for Wiki.js (markdown-it): `-` bullets, `_` emphasis,
 * `**` strong, fenced code, `---` rules, and GFM tables written as `| a | b |` with a
 * `| --- | --- |` alignment row (no column padding, so a changed cell changes one line).
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import type { Options as StringifyOptions } from 'remark-stringify';
import type { AlignType, Root, Table, Text } from 'mdast';

type Handlers = NonNullable<StringifyOptions['handlers']>;
type Handle = NonNullable<Handlers['table']>;

/**
 * GFM table in the seed page's shape. Cells are serialised by remark-gfm's own cell handler (so a
 * `|` in cell text is escaped as `\|`, also inside code), rows are written without padding and
 * the alignment row always uses three dashes.
 */
const table: Handle = (node, _parent, state, info) => {
  const tableNode = node as Table;
  const exit = state.enter('table');
  const rows = tableNode.children.map((row) =>
    row.children.map((cell) => state.handle(cell, row, state, { ...info, before: ' ', after: ' ' })),
  );
  exit();
  let columns = tableNode.align?.length ?? 0;
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
  const delimiter = (align: AlignType | undefined): string => {
    if (align === 'left') return ':--';
    if (align === 'right') return '--:';
    if (align === 'center') return ':-:';
    return '---';
  };
  const aligns: string[] = [];
  for (let index = 0; index < columns; index += 1) aligns.push(delimiter(tableNode.align?.[index]));
  const [head = [], ...body] = rows;
  return [line(head), line(aligns), ...body.map(line)].join('\n');
};

/** A citation token `【F:path†L1-L2】`, and that token wrapped in a link (when a source URL is set). */
const CITATION_LINK = /\[【F:[^】\n]*】\]\([^)\n]*\)/g;
const CITATION = /【F:[^】\n]*】/g;
const CITATION_SPLIT = /(【F:[^】\n]*】)/;

/**
 * True when a citation token can be written as is: no character that could start Markdown syntax
 * inside it, and every `_` between two letters or digits (intraword, so it can't open emphasis).
 */
function citationIsInert(token: string): boolean {
  if (!/^【F:[^\s*`[\]\\<>&!~|^]*†L\d+-L\d+】$/u.test(token)) return false;
  for (let index = token.indexOf('_'); index !== -1; index = token.indexOf('_', index + 1)) {
    const before = token[index - 1] ?? '';
    const after = token[index + 1] ?? '';
    if (!/[\p{L}\p{N}]/u.test(before) || !/[\p{L}\p{N}]/u.test(after)) return false;
  }
  return true;
}

/**
 * Text, with citation tokens kept verbatim (remark would escape e.g. the `_` in
 * `【F:_shared/compose.yml†L1-L2】`), so that `check` and people read the exact token.
 */
const text: Handle = (node, _parent, state, info) => {
  const value = (node as Text).value;
  if (!value.includes('【F:')) return state.safe(value, info);
  const parts = value.split(CITATION_SPLIT);
  let out = '';
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index] ?? '';
    if (part === '') continue;
    if (index % 2 === 1 && citationIsInert(part)) {
      out += part;
      continue;
    }
    const next = parts.slice(index + 1).join('');
    const before = out === '' ? info.before : out.slice(-1);
    const after = next === '' ? info.after : next.charAt(0);
    out += state.safe(part, { ...info, before, after });
  }
  return out;
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
  handlers: { table, text },
});

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm, { tablePipeAlign: false, tableCellPadding: true, singleTilde: false })
  .use(remarkStringify, STRINGIFY_OPTIONS)
  .freeze();

/** Serialises an mdast tree as Markdown for Wiki.js. Deterministic; ends with one newline. */
export function toMarkdown(root: Root): string {
  const text = processor.stringify(root);
  return `${text.replace(/\s+$/, '')}\n`;
}

/** Parses Markdown (CommonMark + GFM) into an mdast tree with source positions. */
export function fromMarkdown(text: string): Root {
  return processor.parse(text);
}

/** Markdown with its formatting normalised (parse, then serialise with the settings above). */
export function normalizeMarkdown(text: string): string {
  return toMarkdown(fromMarkdown(text));
}

/** Removes citation tokens (bare or linked), so that text can be compared across line shifts. */
export function stripCitations(markdown: string): string {
  return markdown.replace(CITATION_LINK, '').replace(CITATION, '');
}
