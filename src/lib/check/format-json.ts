/**
 * The check report as JSON for programs (`docs/check-output.schema.json`). The summary and exit
 * code come last so that the document can be written as pages are checked: a change that touches
 * every page of a large estate has a diff per page, which is not held in memory.
 */
import type { SourceRange } from '../model/types.ts';
import { SpillingText } from './spill.ts';
import { shownFolder, type CheckReporter, type ReportChunk, type ReportPaths } from './report-format.ts';
import type { CheckedPageFile, CheckFinding, CheckReport, CitationError, DriftEntry } from './types.ts';

export const CHECK_OUTPUT_SCHEMA_VERSION = 1;

/** The report as stable JSON (see docs/check-output.schema.json). */
export function toJson(report: CheckReport, paths: ReportPaths): unknown {
  return {
    ...head(paths),
    drift: report.drift.map(driftJson),
    citations: report.citations.map(citationJson),
    ...tail(report),
  };
}

/** The report as one JSON document, ending in a newline. */
export function formatJson(report: CheckReport, paths: ReportPaths): string {
  return `${JSON.stringify(toJson(report, paths), null, 2)}\n`;
}

/**
 * The JSON form written as it goes: the same document as `formatJson`, each drift entry written
 * when its page is checked. Citation errors follow the drift in the document, so they are held
 * until the end, in a temporary file once they pass `spillAfter` bytes (see `SpillingText`).
 */
export function jsonReporter(paths: ReportPaths, options: { readonly spillAfter?: number } = {}): CheckReporter {
  let started = false;
  let drifted = 0;
  let cited = 0;
  const held = new SpillingText(options.spillAfter);
  const start = (): string => {
    if (started) return '';
    started = true;
    return `${JSON.stringify(head(paths), null, 2).slice(0, -2)},\n  "drift": [`;
  };
  return {
    page(checked: CheckedPageFile): string {
      if (checked.citations.length > 0) {
        let text = '';
        for (const e of checked.citations) text += `${cited++ === 0 ? '' : ','}\n    ${element(citationJson(e))}`;
        held.append(text);
      }
      if (!checked.drift) return '';
      return `${start()}${drifted++ === 0 ? '' : ','}\n    ${element(driftJson(checked.drift))}`;
    },
    *end(report: CheckReport): Generator<ReportChunk> {
      yield `${start()}${drifted === 0 ? ']' : '\n  ]'},\n  "citations": [`;
      yield* held.read();
      // The rest is an object's members: its text without the opening brace.
      yield `${cited === 0 ? ']' : '\n  ]'},${JSON.stringify(tail(report), null, 2).slice(1)}\n`;
    },
    close: () => held.close(),
  };
}

/** An element of a top-level array, indented as `JSON.stringify(…, null, 2)` indents it. */
const element = (value: unknown) => JSON.stringify(value, null, 2).replace(/\n/g, '\n    ');

const head = (paths: ReportPaths) => ({
  schemaVersion: CHECK_OUTPUT_SCHEMA_VERSION,
  source: shownFolder(paths.cwd, paths.source),
  content: shownFolder(paths.cwd, paths.content),
});

const tail = (report: CheckReport) => ({
  findings: report.findings.map(findingJson),
  summary: report.summary,
  exitCode: report.exitCode,
});

const driftJson = (d: DriftEntry) => ({
  kind: d.kind,
  page: d.page,
  file: d.file,
  message: d.message,
  causes: d.causes.map(range),
  ...(d.line !== undefined ? { line: d.line } : {}),
  ...(d.diff !== undefined ? { diff: d.diff } : {}),
});

const citationJson = (e: CitationError) => ({
  code: e.code,
  message: e.message,
  citation: e.citation,
  page: { file: e.page.file, line: e.page.line, column: e.page.column },
  cited: range(e.cited),
  ...(e.suggestion ? { suggestion: range(e.suggestion) } : {}),
  fixedByGenerate: e.fixedByGenerate,
});

const findingJson = (f: CheckFinding) => ({
  id: f.id,
  severity: f.severity,
  origin: f.origin,
  message: f.message,
  ...(f.range ? { range: range(f.range) } : {}),
  ...(f.column ? { column: f.column } : {}),
  ...(f.page ? { page: { file: f.page.file, line: f.page.line, column: f.page.column } } : {}),
  ...(f.related?.length ? { related: f.related.map(range) } : {}),
});

const range = (r: SourceRange) => ({ file: r.file, startLine: r.startLine, endLine: r.endLine });
