/**
 * Reading a page file as lines: where each citation token sits (line and column, for error
 * messages and annotations), and the cells of table rows (to know what a citation cites).
 * Citations inside fenced code blocks are examples, not citations, and are skipped.
 */
import { parseCitations, type ParsedCitation } from '../render/citation.ts';

export interface PageCitation extends ParsedCitation {
  /** 1-based line in the page file. */
  readonly line: number;
  /** 1-based column of the token's first character. */
  readonly column: number;
  /** Index of the token among the citations of its line. */
  readonly indexInLine: number;
}

export interface ScannedPage {
  readonly lines: readonly string[];
  readonly citations: readonly PageCitation[];
  /** Line numbers (1-based) inside fenced code blocks. */
  readonly inCode: ReadonlySet<number>;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Splits a page text into lines and finds its citation tokens. */
export function scanPage(text: string): ScannedPage {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  const citations: PageCitation[] = [];
  const inCode = new Set<number>();
  let fence: string | undefined;
  lines.forEach((line, index) => {
    const number = index + 1;
    const marker = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      inCode.add(number);
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      return;
    }
    if (marker) {
      fence = marker;
      inCode.add(number);
      return;
    }
    if (!line.includes('【F:')) return;
    parseCitations(line).forEach((citation, indexInLine) => {
      citations.push({ ...citation, line: number, column: citation.offset + 1, indexInLine });
    });
  });
  return { lines, citations, inCode };
}

/** The cells of a GFM table row (`| a | b |`), trimmed; undefined when the line is not a row. */
export function tableCells(line: string): string[] | undefined {
  // Every citation of a row asks for the same row in turn: remember the last one split.
  if (line === lastRow.line) return lastRow.cells;
  const cells = splitRow(line);
  lastRow = { line, cells };
  return cells;
}

let lastRow: { line: string | undefined; cells: string[] | undefined } = { line: undefined, cells: undefined };

function splitRow(line: string): string[] | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('|')) return undefined;
  if (!trimmed.includes('\\')) {
    // No escaped pipe: a plain split gives the same cells, without building them char by char.
    const parts = trimmed.slice(1).split('|').map((part) => part.trim());
    if (parts.at(-1) === '') parts.pop();
    return parts;
  }
  const cells: string[] = [];
  let current = '';
  for (let i = 1; i < trimmed.length; i++) {
    const ch = trimmed[i] as string;
    if (ch === '\\' && trimmed[i + 1] === '|') {
      current += '|';
      i++;
    } else if (ch === '|') {
      cells.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') cells.push(current.trim());
  return cells;
}

/** True when `tableCells` would split the line (it starts with `|`), without splitting it. */
export function isTableRow(line: string): boolean {
  return line.trimStart().startsWith('|');
}

/** Only pipes, colons, dashes and blanks: every delimiter row is made of these. */
const DELIMITER_CHARACTERS = /^[\s|:-]*$/;

/**
 * `isDelimiterRow(tableCells(line))`, without splitting the lines that cannot be one: pages are
 * mostly rows of cited cells, and each used to be split again as its neighbour's "next line".
 */
export function isDelimiterLine(line: string): boolean {
  if (!DELIMITER_CHARACTERS.test(line)) return false;
  const cells = tableCells(line);
  return cells !== undefined && isDelimiterRow(cells);
}

/** True for a table's delimiter row (`| --- | :-: |`). */
export function isDelimiterRow(cells: readonly string[]): boolean {
  return cells.length > 0 && cells.every((c) => /^:?-+:?$/.test(c));
}

/** Inline code spans of a Markdown fragment (`` `FOO` `` → `FOO`). */
export function inlineCode(fragment: string): string[] {
  const open = fragment.indexOf('`');
  if (open === -1) return [];
  // The common fragment (a Variable cell): one span between two single backticks, on one line.
  const close = fragment.indexOf('`', open + 1);
  if (close > open + 1 && fragment.indexOf('`', close + 1) === -1 && !LINE_END.test(fragment.slice(open + 1, close))) return [fragment.slice(open + 1, close).trim()];
  return [...fragment.matchAll(CODE_SPAN)].map((m) => (m[2] as string).trim());
}

const CODE_SPAN = /(`+)([^`]|[^`].*?[^`])\1(?!`)/g;
/** What `.` does not match: a span holding one is read by the full pattern. */
const LINE_END = /[\n\r\u2028\u2029]/;
