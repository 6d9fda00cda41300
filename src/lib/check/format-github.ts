/**
 * The check report as GitHub workflow commands, which GitHub Actions and Gitea/Forgejo Actions
 * turn into annotations on the compose and page lines.
 */
import { REMOVED_TEXT_FINDING } from './findings.ts';
import { composePath, pagePath, rangeText, staleCount, summaryLine, writeThrough, type CheckReporter, type ReportPaths } from './report-format.ts';
import type { CheckedPageFile, CheckFinding, CheckReport, CitationError, DriftEntry } from './types.ts';

/** Escapes a workflow command's message (GitHub's toolkit: `%`, `\r`, `\n`). */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (also `:` and `,`). */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

interface Annotation {
  readonly level: 'error' | 'warning' | 'notice';
  readonly file: string;
  readonly line?: number;
  readonly endLine?: number;
  readonly col?: number;
  readonly title: string;
  readonly message: string;
}

/** One `::error file=…,line=…,col=…,title=…::message` line. */
export function workflowCommand(a: Annotation): string {
  const props: string[] = [`file=${escapeProperty(a.file)}`];
  if (a.line !== undefined) props.push(`line=${a.line}`);
  if (a.endLine !== undefined && a.endLine !== a.line) props.push(`endLine=${a.endLine}`);
  // GitHub reads `col` only for a single-line annotation.
  if (a.col !== undefined && (a.endLine === undefined || a.endLine === a.line)) props.push(`col=${a.col}`);
  props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level} ${props.join(',')}::${escapeData(a.message)}`;
}

/**
 * Workflow commands written as they go: the annotations of each drifted page (on the page and on
 * the compose lines that caused it, with the diff in a collapsed group) as it is checked, then each
 * citation error (on the page line), each finding (on the compose or page line) and the summary.
 */
export function githubReporter(paths: ReportPaths): CheckReporter {
  return {
    page: (checked: CheckedPageFile) => (checked.drift ? `${driftAnnotations(checked.drift, paths, staleCount(checked.citations)).join('\n')}\n` : ''),
    end(report: CheckReport): string[] {
      const out: string[] = [];
      // Stale citations in lines generate rewrites are part of their page's drift annotation.
      for (const e of report.citations) if (!e.fixedByGenerate) out.push(citationAnnotation(e, paths));
      for (const f of report.findings) out.push(findingAnnotation(f, paths));
      out.push(summaryLine(report));
      return [`${out.join('\n')}\n`];
    },
  };
}

/** The whole report as workflow commands. */
export function formatGithub(report: CheckReport, paths: ReportPaths): string {
  return writeThrough(githubReporter(paths), report);
}

function driftAnnotations(d: DriftEntry, paths: ReportPaths, stale: number): string[] {
  const page = pagePath(paths, d.file);
  if (d.kind === 'orphan') {
    return [workflowCommand({ level: 'error', file: page, line: 1, title: 'compose-wiki: orphan page', message: `${page}: no service or stack produces this page any more; delete it when you no longer need it` })];
  }
  if (d.kind === 'missing') {
    const first = d.causes[0];
    const message = `${page} is missing; run compose-wiki generate to create it`;
    return [first ? workflowCommand({ level: 'error', file: composePath(paths, first.file), line: first.startLine, endLine: first.endLine, title: 'compose-wiki: page missing', message }) : `::error title=${escapeProperty('compose-wiki: page missing')}::${escapeData(message)}`];
  }
  const out = [
    workflowCommand({
      level: 'error',
      file: page,
      ...(d.line !== undefined ? { line: d.line } : {}),
      title: 'compose-wiki: page out of date',
      message:
        d.causes.length > 0
          ? `${page} no longer matches the compose files (changed: ${d.causes.map((r) => `${composePath(paths, r.file)}:${rangeText(r)}`).join(', ')})${stale ? `; ${stale} of its citations point at old lines` : ''}; run compose-wiki generate`
          : `${page} differs from what generate writes: generate would remove text from a section it owns (see ${REMOVED_TEXT_FINDING}); move that text first`,
    }),
  ];
  for (const cause of d.causes) {
    out.push(workflowCommand({ level: 'error', file: composePath(paths, cause.file), line: cause.startLine, endLine: cause.endLine, title: 'compose-wiki: docs out of date', message: `${page} is out of date with these lines; run compose-wiki generate` }));
  }
  out.push(`::group::${escapeData(`diff ${page}`)}`, ...(d.diff ?? '').replace(/\n$/, '').split('\n').map(neutralise), '::endgroup::');
  return out;
}

/** A diff line never starts with `::`, but make sure no line is read as a workflow command. */
const neutralise = (line: string) => (line.startsWith('::') ? ` ${line}` : line);

function citationAnnotation(e: CitationError, paths: ReportPaths): string {
  return workflowCommand({ level: 'error', file: pagePath(paths, e.page.file), line: e.page.line, col: e.page.column, title: `compose-wiki: ${e.code}`, message: e.message });
}

function findingAnnotation(f: CheckFinding, paths: ReportPaths): string {
  const title = `compose-wiki: ${f.id}`;
  if (f.page) return workflowCommand({ level: f.severity, file: pagePath(paths, f.page.file), line: f.page.line, col: f.page.column, title, message: f.message });
  if (f.range) return workflowCommand({ level: f.severity, file: composePath(paths, f.range.file), line: f.range.startLine, endLine: f.range.endLine, ...(f.column ? { col: f.column } : {}), title, message: f.message });
  return `::${f.severity} title=${escapeProperty(title)}::${escapeData(f.message)}`;
}
