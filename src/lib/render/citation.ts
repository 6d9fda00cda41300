/**
 * Citations: `【F:<path>†L<start>-L<end>】`, the token behind every generated fact. The same
 * grammar is parsed by `check` to validate every citation, hand-written ones included.
 */
import type { SourceRange } from '../model/types.ts';

/** How every citation token starts: a cheap test for whether a text may hold one. */
export const CITATION_OPEN = '【F:';

/** Formats a range as a citation token. */
export function formatCitation(range: SourceRange): string {
  return `【F:${range.file}†L${range.startLine}-L${range.endLine}】`;
}

export interface ParsedCitation {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
  /** The token as written. */
  readonly text: string;
  /** 0-based offset of the token in the text it was found in. */
  readonly offset: number;
}

const CITATION = /【F:([^†】]+)†L(\d+)(?:-L(\d+))?】/g;

/** Finds every citation token in a text (single-line form `L5` is read as `L5-L5`). */
export function parseCitations(text: string): ParsedCitation[] {
  const out: ParsedCitation[] = [];
  for (const match of text.matchAll(CITATION)) {
    const start = Number(match[2]);
    out.push({ file: match[1] as string, startLine: start, endLine: match[3] ? Number(match[3]) : start, text: match[0], offset: match.index ?? 0 });
  }
  return out;
}

/** The text with each citation token replaced by `mark` (the grammar `parseCitations` reads). */
export function maskCitations(text: string, mark: string): string {
  return text.replace(CITATION, mark);
}

/**
 * A citation token's line range (`L5`, `L5-L9`), captured with what precedes it, when the token's
 * file part holds no backslash or `&` (no escape or character reference can spell it otherwise).
 */
const CITED_LINES = /(【F:[^†】\n\\&]+†)L\d+(?:-L\d+)?(?=】)/g;

/**
 * The text with the line range of each citation token taken out (see CITED_LINES). Two texts
 * that are equal after it differ at most in where their citations point. A range sits between
 * `†` and `】`, so it is literal text in whatever Markdown construct holds the token (text, code,
 * link, HTML), and no delimiter's reading depends on it: two such texts parse alike, and differ in
 * content exactly when they differ at all.
 */
export function withoutCitedLines(text: string): string {
  return text.replace(CITED_LINES, '$1');
}

/** The smallest range covering all `ranges` of one file (the first range's file). */
export function spanOf(ranges: readonly SourceRange[]): SourceRange | undefined {
  const first = ranges[0];
  if (!first) return undefined;
  const same = ranges.filter((r) => r.file === first.file);
  return { file: first.file, startLine: Math.min(...same.map((r) => r.startLine)), endLine: Math.max(...same.map((r) => r.endLine)) };
}
