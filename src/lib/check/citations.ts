/**
 * Validating the citations of a page file, hand-written ones included. A citation is correct
 * when its file exists, its range lies inside the file and runs forwards, it covers a non-blank
 * line, it covers nothing of a second service (unless it cites the whole stack), and — when the
 * text around it says what it cites (a table row naming a variable, a line `generate` writes, a
 * note naming a variable in code) — it covers that element where it is now.
 */
import type { EnvironmentEntry, Service, SourceRange } from '../model/types.ts';
import { coalesce } from '../render/environment-table.ts';
import { formatCitation, parseCitations } from '../render/citation.ts';
import type { PageKind } from '../render/page.ts';
import { inlineCode, isDelimiterLine, isTableRow, scanPage, tableCells, type PageCitation, type ScannedPage } from './page-text.ts';
import { normaliseRepoPath, type ServiceBlock, type SourceIndex } from './source-index.ts';
import type { CitationError, CitationErrorCode } from './types.ts';

/** What is known about the page a citation sits in. */
export interface CitationContext {
  /** Page file, relative to the content folder. */
  readonly file: string;
  readonly kind?: PageKind;
  readonly stack?: string;
  readonly service?: string;
  /** The file `generate` would write (merged with this one); undefined for orphan pages. */
  readonly expected?: string;
  /** `expected` holds nothing a person wrote: its body is exactly the generated one. */
  readonly generatedOnly?: boolean;
  /**
   * How many of `expected`'s first lines are what generate writes, as it writes them, when a
   * person's words follow (see `MergeResult.generatedLines`): on a file equal to `expected`, the
   * citations of those lines are treated as on a page that is all generated.
   */
  readonly generatedLines?: number;
}

interface Range {
  readonly startLine: number;
  readonly endLine: number;
}

/** What the text around a citation says it should cite. */
interface Expectation {
  /** Ranges that would be correct (any one of them). */
  readonly ranges: readonly SourceRange[];
  /** How the element is named in messages. */
  readonly what: string;
  /** `exact`: the citation must equal one range; `covers`: it must cover one. */
  readonly rule: 'exact' | 'covers';
}

const sameRange = (a: SourceRange, b: SourceRange) => a.file === b.file && a.startLine === b.startLine && a.endLine === b.endLine;
const covers = (outer: SourceRange, inner: SourceRange) => outer.file === inner.file && outer.startLine <= inner.startLine && outer.endLine >= inner.endLine;
const intersects = (a: Range, b: Range) => a.startLine <= b.endLine && b.startLine <= a.endLine;
const lines = (r: Range) => (r.startLine === r.endLine ? `L${r.startLine}` : `L${r.startLine}-L${r.endLine}`);

/** Validates every citation of one page file. */
export function validatePageCitations(text: string, context: CitationContext, index: SourceIndex, scanned?: ScannedPage): CitationError[] {
  const page = scanned ?? scanPage(text);
  if (page.citations.length === 0) return [];
  // The file is what generate would write: each line's generated citations are its own, so a
  // generated expectation never tells anything (see informative below) and every line is kept.
  const identical = context.expected === text;
  // The file is exactly what generate writes, and nothing in it was written by a person: every
  // citation and the words beside it come from the same model, so what the words name is not
  // looked up again (it can only agree). The citation itself is still checked below.
  const derived = identical && context.generatedOnly === true;
  const derivedLines = identical ? (context.generatedLines ?? 0) : 0;
  const expectedLines = context.expected === undefined || identical ? undefined : scanPage(context.expected);
  let expectedSet: Set<string> | undefined;
  const generated = expectedLines ? keyedCitations(expectedLines.lines, expectedLines.inCode) : new Map<string, SourceRange[] | null>();
  // Only lines compared with the generated page need their table's header.
  const headers = identical ? new Map<number, string>() : tableHeaders(page.lines);
  const scope = scopeServices(context, index);
  // What is known of each line, worked out once per line (a line of an overview page can hold
  // hundreds of citations): its generated citations and how many citations it holds.
  const onLine = new Map<number, number>();
  for (const citation of page.citations) onLine.set(citation.line, (onLine.get(citation.line) ?? 0) + 1);
  const generatedOf = new Map<number, SourceRange[] | null | undefined>();
  // A table row's expectation depends on the row and the cited file only: every citation of the
  // row (three or four per variable row) asks the same, one after the other (page order).
  let lastRow: { line: number; file: string; expectation: Expectation | undefined } | undefined;
  const rowExpectation = (citation: PageCitation, lineText: string): Expectation | undefined => {
    if (lastRow?.line !== citation.line || lastRow.file !== citation.file) {
      lastRow = { line: citation.line, file: citation.file, expectation: tableExpectation(citation, lineText, scope(citation.file)) };
    }
    return lastRow.expectation;
  };
  const errors: CitationError[] = [];
  page.citations.forEach((citation, k) => {
    const lineText = page.lines[citation.line - 1] ?? '';
    const cited: SourceRange = { file: citation.file, startLine: citation.startLine, endLine: citation.endLine };
    if (!identical && !generatedOf.has(citation.line)) generatedOf.set(citation.line, generated.get(lineKey(lineText, headers.get(citation.line))));
    // Citations are in page order, so the one before on the same line is the previous one.
    const previous = citation.indexInLine > 0 ? page.citations[k - 1] : undefined;
    const expectation = derived || citation.line <= derivedLines
      ? undefined
      : (informative(generatedExpectation(citation, generatedOf.get(citation.line), onLine.get(citation.line) ?? 0), cited) ??
        rowExpectation(citation, lineText) ??
        noteExpectation(citation, lineText, previous, scope(citation.file)));
    const error = checkCitation(citation, context, index, expectation);
    if (error) errors.push({ ...error, fixedByGenerate: expectedLines !== undefined && !(expectedSet ??= new Set(expectedLines.lines)).has(lineText) });
  });
  return errors;
}

/** A generated line that cites exactly what the page cites is a line kept as written: it tells nothing. */
function informative(expectation: Expectation | undefined, cited: SourceRange): Expectation | undefined {
  return expectation && expectation.ranges.some((r) => !sameRange(r, cited)) ? expectation : undefined;
}

function checkCitation(citation: PageCitation, context: CitationContext, index: SourceIndex, expectation: Expectation | undefined): Omit<CitationError, 'fixedByGenerate'> | undefined {
  const cited: SourceRange = { file: citation.file, startLine: citation.startLine, endLine: citation.endLine };
  const base = { citation: citation.text, page: { file: context.file, line: citation.line, column: citation.column }, cited };
  const best = expectation ? closest(expectation.ranges, cited) : undefined;
  const file = normaliseRepoPath(citation.file);
  const fileLines = file === undefined ? undefined : index.lines(file);
  if (file === undefined || fileLines === undefined) {
    const problem = file === undefined ? `${citation.file} lies outside the compose repository` : `${citation.file} does not exist in the compose repository`;
    return finish('citation-file-missing', [problem], best);
  }
  const count = fileLines.length;
  let code: CitationErrorCode | undefined;
  const problems: string[] = [];
  let range: SourceRange | undefined = { file, startLine: citation.startLine, endLine: citation.endLine };
  if (range.startLine > range.endLine) {
    code = 'citation-inverted';
    problems.push(`the range is inverted: L${range.startLine} comes after L${range.endLine}`);
    range = { file, startLine: range.endLine, endLine: range.startLine };
  }
  if (range.startLine < 1 || range.endLine > count) {
    code ??= 'citation-out-of-range';
    problems.push(
      range.startLine > count
        ? `${file} has ${count} lines, so L${range.startLine} does not exist`
        : range.endLine > count
          ? `${file} ends at L${count}, before L${range.endLine}`
          : `lines are counted from L1`,
    );
    const clamped = { file, startLine: Math.max(1, range.startLine), endLine: Math.min(count, range.endLine) };
    range = clamped.startLine <= clamped.endLine ? clamped : undefined;
  }
  if (range && allBlank(fileLines, range.startLine - 1, range.endLine)) {
    code ??= 'citation-empty';
    problems.push(`${lines(range)} of ${file} ${range.startLine === range.endLine ? 'is a blank line' : 'are blank lines'}`);
    range = undefined;
  }
  if (range) {
    const straddle = checkStraddle(range, fileLines, index.blocks(file), context);
    if (straddle) {
      code ??= straddle.code;
      problems.push(straddle.message);
      range = straddle.suggestion;
    }
  }
  if (expectation && best) {
    const ok = expectation.rule === 'exact' ? expectation.ranges.some((r) => sameRange(r, cited)) : expectation.ranges.some((r) => covers(cited, r));
    if (!code && !ok) {
      const at = (r: SourceRange) => (r.file === file ? lines(r) : `${r.file}:${lines(r)}`);
      const where = `is now at ${expectation.ranges.map(at).join(', ')}`;
      return finish('citation-moved', [`${expectation.what} ${where}`], best);
    }
    if (code) return finish(code, problems, best);
  }
  if (!code) return undefined;
  return finish(code, problems, range && !sameRange(range, cited) ? range : undefined);

  function finish(errorCode: CitationErrorCode, parts: string[], suggestion: SourceRange | undefined): Omit<CitationError, 'fixedByGenerate'> {
    const suggested = suggestion && !sameRange(suggestion, cited) ? suggestion : undefined;
    const message = `${citation.text}: ${parts.join('; ')}${suggested ? `; cite ${formatCitation(suggested)}` : ''}`;
    return { code: errorCode, message, ...base, ...(suggested ? { suggestion: suggested } : {}) };
  }
}

/**
 * A range that covers parts of two services (or starts at the top of a stack file and stops
 * before its last service) is wrong; the suggestion keeps the part that belongs to the page's own
 * service, else to the service the range starts in, or the whole stack.
 */
function checkStraddle(
  range: SourceRange,
  fileLines: readonly string[],
  blocks: readonly ServiceBlock[],
  context: CitationContext,
): { code: CitationErrorCode; message: string; suggestion: SourceRange } | undefined {
  const lineCount = fileLines.length;
  if (blocks.length < 2) return undefined;
  // Most citations lie inside one block: fewer than two touched is always fine, and is found
  // without building the lists below (this runs once per citation).
  let touching = 0;
  for (const b of blocks) if (intersects(b.range, range) && ++touching > 1) break;
  if (touching < 2) return undefined;
  const touched = blocks.filter((b) => intersects(b.range, range));
  const coversAll = blocks.every((b) => range.startLine <= b.range.startLine && range.endLine >= b.range.endLine);
  if (coversAll) return undefined;
  const first = blocks[0] as ServiceBlock;
  const whole: SourceRange = { file: range.file, startLine: 1, endLine: lineCount };
  // A range that starts above the `services:` key (at the top of the file) means the whole stack.
  const servicesKey = fileLines.findIndex((l) => /^services:\s*(#.*)?$/.test(l)) + 1;
  if (range.startLine <= (servicesKey > 0 ? servicesKey : first.range.startLine - 1)) {
    const fully = blocks.filter((b) => range.startLine <= b.range.startLine && range.endLine >= b.range.endLine).length;
    return {
      code: 'citation-stack-short',
      message: `this stack range covers ${fully} of the ${blocks.length} services of ${range.file} and stops at L${range.endLine}, ${lineCount - range.endLine} lines before the end of the file (the stack spans L1-L${lineCount})`,
      suggestion: whole,
    };
  }
  const own = touched.find((b) => b.services.some((s) => s.stack === context.stack && s.name === context.service));
  const start = touched.find((b) => b.range.startLine <= range.startLine && range.startLine <= b.range.endLine);
  const keep = own ?? start ?? (touched[0] as ServiceBlock);
  const others = touched.filter((b) => b !== keep);
  const describe = (b: ServiceBlock) => `${b.label} (${lines(b.range)})`;
  return {
    code: 'citation-straddles',
    message: `${lines(range)} covers ${describe(keep)} and runs into ${others.map(describe).join(', ')}`,
    suggestion: { file: range.file, startLine: Math.max(range.startLine, keep.range.startLine), endLine: Math.min(range.endLine, keep.range.endLine) },
  };
}

/** The range of `candidates` nearest to `cited` (same file first, then by start line). */
function closest(candidates: readonly SourceRange[], cited: SourceRange): SourceRange | undefined {
  let best: SourceRange | undefined;
  let score = Infinity;
  for (const r of candidates) {
    const s = (r.file === cited.file ? 0 : 1e9) + Math.abs(r.startLine - cited.startLine) + Math.abs(r.endLine - cited.endLine);
    if (s < score) {
      score = s;
      best = r;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// What a citation should cite, told by the text around it.

/** The key under which a line's citations are compared with the generated page. */
function lineKey(line: string, header: string | undefined): string {
  const cells = tableCells(line);
  if (cells && header !== undefined) return `table\u0000${header}\u0000${stripCitations(cells[0] ?? '')}`;
  return `line\u0000${stripCitations(line).replace(/\s+/g, ' ').trim()}`;
}

const stripCitations = (text: string) => text.replace(/\[?【F:[^】\n]*】(?:\]\([^)\n]*\))?/g, '').trim();

/** Citations of each distinct line of the generated page (null when the key is not unique). */
function keyedCitations(pageLines: readonly string[], inCode: ReadonlySet<number>): Map<string, SourceRange[] | null> {
  const headers = tableHeaders(pageLines);
  const out = new Map<string, SourceRange[] | null>();
  pageLines.forEach((line, i) => {
    if (!line.includes('【F:') || inCode.has(i + 1)) return;
    const key = lineKey(line, headers.get(i + 1));
    const ranges = parseCitations(line).map((c) => ({ file: c.file, startLine: c.startLine, endLine: c.endLine }));
    out.set(key, out.has(key) ? null : ranges);
  });
  return out;
}

/** For each table body row (1-based line), its table's header row text. */
function tableHeaders(pageLines: readonly string[]): Map<number, string> {
  const out = new Map<number, string>();
  let header: string | undefined;
  pageLines.forEach((line, i) => {
    if (!isTableRow(line)) {
      header = undefined;
      return;
    }
    if (header === undefined && isDelimiterLine(pageLines[i + 1] ?? '')) {
      header = (tableCells(line) ?? []).join('|');
      return;
    }
    if (header !== undefined && !isDelimiterLine(line)) out.set(i + 1, header);
  });
  return out;
}

/**
 * The line is one `generate` writes, with the same words: its citation should be the generated one.
 * `ranges` are the generated line's citations, `onLine` the number of citations on the page's line.
 */
function generatedExpectation(citation: PageCitation, ranges: readonly SourceRange[] | null | undefined, onLine: number): Expectation | undefined {
  if (!ranges) return undefined;
  const range = ranges[citation.indexInLine];
  if (ranges.length !== onLine || !range) return undefined;
  return { ranges: [range], what: 'what this line cites', rule: 'exact' };
}

/** Services whose variables a page's text may name. */
function scopeServices(context: CitationContext, index: SourceIndex): (citedFile: string) => readonly Service[] {
  if (context.kind === 'service' && context.stack && context.service) {
    const service = index.service(context.stack, context.service);
    const only = service ? [service] : [];
    return () => only;
  }
  return (citedFile) => {
    if (context.kind === 'stack' && context.stack) return index.stack(context.stack)?.services ?? [];
    return index.stackOf(citedFile)?.services ?? [];
  };
}

/** Every environment entry named `name` among `services`. */
function entriesNamed(services: readonly Service[], name: string): EnvironmentEntry[] {
  let byName = entriesByName.get(services);
  if (!byName) {
    byName = new Map();
    for (const s of services) for (const e of s.environment) {
      const list = byName.get(e.name);
      if (list) list.push(e);
      else byName.set(e.name, [e]);
    }
    entriesByName.set(services, byName);
  }
  return byName.get(name)?.slice() ?? [];
}

const entriesByName = new WeakMap<readonly Service[], Map<string, EnvironmentEntry[]>>();

/**
 * The names in a Variable cell's label (its first code span): `FOO`, or a group
 * `AUTHENTIK_POSTGRESQL__HOST/PORT/NAME` (prefix written once), resolved against the variables in scope.
 */
function cellVariables(label: string | undefined, services: readonly Service[]): EnvironmentEntry[][] {
  if (!label || !/^[A-Za-z_][A-Za-z0-9_./-]*$/.test(label)) return [];
  const parts = label.split('/');
  const head = parts[0] as string;
  if (parts.length === 1) return [entriesNamed(services, head)].filter((e) => e.length > 0);
  let found: EnvironmentEntry[][] = [];
  // Groups share any prefix, not only one ending in "_" (`PAPERLESS_DBHOST/ENGINE/PASS`).
  for (let cut = head.length - 1; cut > 0; cut--) {
    const prefix = head.slice(0, cut);
    const names = [head, ...parts.slice(1).map((p) => prefix + p)];
    const entries = names.map((n) => entriesNamed(services, n)).filter((e) => e.length > 0);
    if (entries.length > found.length) found = entries;
    if (entries.length === names.length) break;
  }
  return found;
}

/** A table row whose first cell names variables: the citation covers their lines. */
function tableExpectation(citation: PageCitation, line: string, services: readonly Service[]): Expectation | undefined {
  const cells = tableCells(line);
  if (!cells || cells.length < 2 || services.length === 0) return undefined;
  const [label] = inlineCode(cells[0] ?? '');
  const groups = cellVariables(label, services);
  if (groups.length === 0) return undefined;
  // One candidate per service (a variable shared through an anchor has one range).
  const perService = new Map<Service, EnvironmentEntry[]>();
  for (const entries of groups) for (const entry of entries) for (const s of services) if (s.environment.includes(entry)) perService.set(s, [...(perService.get(s) ?? []), entry]);
  const ranges = uniqueRanges([...perService.values()].flatMap((entries) => coalesce(entries.map((e) => e.range))));
  if (ranges.length === 0) return undefined;
  return { ranges, what: `\`${label}\``, rule: 'covers' };
}

/** A note naming exactly one variable in code before the citation: the citation covers it. */
function noteExpectation(citation: PageCitation, line: string, previous: PageCitation | undefined, services: readonly Service[]): Expectation | undefined {
  if (services.length === 0) return undefined;
  const segment = line.slice(previous ? previous.offset + previous.text.length : 0, citation.offset);
  // No code span before the citation names no variable (the common case: most notes cite prose).
  if (!segment.includes('`') || isTableRow(line)) return undefined;
  const names = [...new Set(inlineCode(segment).filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)))];
  const named = names.map((n) => ({ name: n, entries: entriesNamed(services, n) })).filter((n) => n.entries.length > 0);
  if (named.length !== 1) return undefined;
  const only = named[0] as { name: string; entries: EnvironmentEntry[] };
  return { ranges: uniqueRanges(only.entries.map((e) => e.range)), what: `\`${only.name}\``, rule: 'covers' };
}

function allBlank(fileLines: readonly string[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if ((fileLines[i] as string).trim() !== '') return false;
  return true;
}

function uniqueRanges(ranges: readonly SourceRange[]): SourceRange[] {
  const out: SourceRange[] = [];
  for (const r of ranges) if (!out.some((o) => sameRange(o, r))) out.push(r);
  return out;
}
