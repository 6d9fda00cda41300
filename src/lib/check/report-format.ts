/**
 * What the three report forms share: how paths are shown, the summary line, and the reporter
 * shape that lets `check` print each page's drift as soon as it is checked instead of holding every
 * diff of a large change in memory.
 */
import path from 'node:path';
import type { SourceRange } from '../model/types.ts';
import type { CheckedPageFile, CheckReport, CitationError } from './types.ts';

/** Where the report's relative paths point, for showing them relative to the working folder. */
export interface ReportPaths {
  /** Absolute root of the compose repository. */
  readonly source: string;
  /** Absolute content folder. */
  readonly content: string;
  /** Working folder paths are shown relative to. */
  readonly cwd: string;
}

/** Text to write, or bytes of UTF-8 text held outside the JavaScript heap. */
export type ReportChunk = string | Uint8Array;

/**
 * A report form written as it goes: `page` for each page file in report order (pages, then
 * orphans), then `end` with the report. Each returns what to write next (possibly nothing).
 */
export interface CheckReporter {
  page(checked: CheckedPageFile): string;
  end(report: CheckReport): Iterable<ReportChunk>;
  /** Frees what the reporter holds (a file among it) when `end` is not read to its end. */
  close?(): void;
}

const toPosix = (p: string) => p.split(path.sep).join('/');
const shown = (cwd: string, absolute: string) => toPosix(path.relative(cwd, absolute)) || '.';

/** A folder as shown in the report: relative to the working folder, `.` for the folder itself. */
export const shownFolder = shown;
/**
 * A compose repository file as shown in the report. A drifted report names the same few files
 * once per cause on every page (hundreds of thousands of times at 10,000 services): each is
 * worked out once per report's paths.
 */
export function composePath(paths: ReportPaths, file: string): string {
  let known = shownCompose.get(paths);
  if (known === undefined) shownCompose.set(paths, (known = new Map()));
  let text = known.get(file);
  if (text === undefined) known.set(file, (text = shown(paths.cwd, path.join(paths.source, ...file.split('/')))));
  return text;
}

const shownCompose = new WeakMap<ReportPaths, Map<string, string>>();
/** A page file as shown in the report. */
export const pagePath = (paths: ReportPaths, file: string) => shown(paths.cwd, path.join(paths.content, ...file.split('/')));
/** `12` or `12-18`. */
export const rangeText = (r: SourceRange) => (r.startLine === r.endLine ? `${r.startLine}` : `${r.startLine}-${r.endLine}`);

/** The summary line: `N pages checked, N drifted, N citation errors, N findings`. */
export function summaryLine(report: CheckReport): string {
  const s = report.summary;
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const drift = [s.missing ? `${s.missing} missing` : '', s.orphans ? `${s.orphans} orphaned` : ''].filter(Boolean).join(', ');
  const findings = s.findings ? ` (${plural(s.findingErrors, 'error')}, ${plural(s.findingWarnings, 'warning')})` : '';
  const stale = s.staleCitations ? ` (+${s.staleCitations} stale in lines generate rewrites)` : '';
  return `${plural(s.pagesChecked, 'page')} checked, ${s.drifted} drifted${drift ? ` (${drift})` : ''}, ${plural(s.citationErrors, 'citation error')}${stale}, ${plural(s.findings, 'finding')}${findings}`;
}

/** How many of a page's citation errors `generate` fixes (they sit in lines it rewrites). */
export const staleCount = (citations: readonly CitationError[]): number => citations.reduce((n, e) => n + (e.fixedByGenerate ? 1 : 0), 0);

/**
 * A held report written through a reporter that writes only drift as pages go (text, GitHub):
 * each drifted page with its citation errors, then the end. Grouped in one pass: a compose change
 * that moves every line makes one citation error per citation, on every page.
 */
export function writeThrough(reporter: CheckReporter, report: CheckReport): string {
  const citations = new Map<string, CitationError[]>();
  for (const e of report.citations) {
    const list = citations.get(e.page.file);
    if (list) list.push(e);
    else citations.set(e.page.file, [e]);
  }
  let out = '';
  for (const drift of report.drift) out += reporter.page({ file: drift.file, drift, citations: citations.get(drift.file) ?? [] });
  return out + joinChunks(reporter.end(report));
}

/** Chunks as one string (bytes joined before decoding: a piece of bytes may end inside a character). */
const joinChunks = (chunks: Iterable<ReportChunk>): string => Buffer.concat(Array.from(chunks, (c) => (typeof c === 'string' ? Buffer.from(c) : c))).toString('utf8');
