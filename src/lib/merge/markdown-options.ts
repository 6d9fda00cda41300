/**
 * How pages are written for Wiki.js (markdown-it): the remark-stringify and remark-gfm settings,
 * and the table handler that writes GFM tables in the seed page's shape. Shared by remark (loaded
 * only when needed, markdown-remark.ts) and the escaping rules it gives the fast writer.
 */
import type { Table } from 'mdast';
import type { Options as StringifyOptions } from 'remark-stringify';
import { layoutTable } from './write-markdown.ts';

type Handlers = NonNullable<StringifyOptions['handlers']>;
/** A remark-stringify node handler. */
export type Handle = NonNullable<Handlers['table']>;

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

/** remark-gfm settings: tables without column padding, so a changed cell changes one line. */
export const GFM_OPTIONS = Object.freeze({ tablePipeAlign: false, tableCellPadding: true, singleTilde: false });
