/**
 * Small builders for the mdast nodes pages are made of. User values only ever enter a page as
 * `text` or `inlineCode` node values, so the serializer escapes them; nothing is concatenated
 * into Markdown source.
 */
import type {
  Emphasis, Heading, InlineCode, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Strong, Table, TableCell, TableRow, Text, Code, Link,
} from 'mdast';
import type { SourceRange } from '../model/types.ts';
import { formatCitation } from './citation.ts';

export type Inline = PhrasingContent | string;

const toInline = (part: Inline): PhrasingContent => (typeof part === 'string' ? text(part) : part);

/**
 * A value from a compose file that happens to contain a citation token (`【F:…†L…】`) must not
 * become a citation of the page: a zero-width space after `【` keeps the text as written to the
 * eye and out of the citation grammar.
 */
const defuseCitations = (value: string): string => (value.includes('【') ? value.replace(/【(?=F:)/g, '【\u200b') : value);

export const text = (value: string): Text => ({ type: 'text', value: defuseCitations(value) });
export const code = (value: string): InlineCode => ({ type: 'inlineCode', value: defuseCitations(value.replace(/\r?\n/g, ' ')) });
export const emphasis = (...children: Inline[]): Emphasis => ({ type: 'emphasis', children: children.map(toInline) });
export const strong = (...children: Inline[]): Strong => ({ type: 'strong', children: children.map(toInline) });
export const link = (url: string, ...children: Inline[]): Link => ({ type: 'link', url, children: children.map(toInline) });
export const paragraph = (...children: Inline[]): Paragraph => ({ type: 'paragraph', children: children.map(toInline) });
export const heading = (depth: 1 | 2 | 3, value: string): Heading => ({ type: 'heading', depth, children: [text(value)] });
export const listItem = (...children: Inline[]): ListItem => ({ type: 'listItem', spread: false, children: [paragraph(...children)] });
export const list = (items: ListItem[]): List => ({ type: 'list', ordered: false, spread: false, children: items });
export const codeBlock = (lang: string, value: string): Code => ({ type: 'code', lang, value });
export const root = (children: RootContent[]): Root => ({ type: 'root', children });

/** Citation tokens as text, each range once (the serializer leaves `【` alone). */
export const cite = (...ranges: (SourceRange | undefined)[]): Text => {
  // One or two ranges per call: a short list beats a Set.
  const tokens: string[] = [];
  for (const range of ranges) {
    if (range === undefined) continue;
    const token = formatCitation(range);
    if (!tokens.includes(token)) tokens.push(token);
  }
  return { type: 'text', value: tokens.join('') };
};

/** Joins inline parts with a separator (`, ` by default). */
export function joinInline(parts: Inline[][], separator = ', '): Inline[] {
  const out: Inline[] = [];
  parts.forEach((part, index) => {
    if (index > 0) out.push(separator);
    out.push(...part);
  });
  return out;
}

/** A GFM table; every row must have as many cells as the header. */
export function table(header: string[], rows: Inline[][][]): Table {
  const cell = (parts: Inline[]): TableCell => ({ type: 'tableCell', children: parts.map(toInline) });
  const row = (cells: Inline[][]): TableRow => ({ type: 'tableRow', children: cells.map(cell) });
  return { type: 'table', align: header.map(() => null), children: [row(header.map((h) => [h])), ...rows.map(row)] };
}
