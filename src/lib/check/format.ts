/**
 * The three forms of a check report: text for people (a coloured diff on a terminal), JSON for
 * programs (`docs/check-output.schema.json`), and GitHub workflow commands, which GitHub Actions
 * and Gitea/Forgejo Actions turn into annotations on the compose and page lines.
 */
import path from 'node:path';
import { createColors } from 'picocolors';
import type { SourceRange } from '../model/types.ts';
import type { CheckFinding, CheckReport, CitationError, DriftEntry } from './types.ts';

/** Where the report's relative paths point, for showing them relative to the working folder. */
export interface ReportPaths {
  /** Absolute root of the compose repository. */
  readonly source: string;
  /** Absolute content folder. */
  readonly content: string;
  /** Working folder paths are shown relative to. */
  readonly cwd: string;
}

export const CHECK_OUTPUT_SCHEMA_VERSION = 1;

const toPosix = (p: string) => p.split(path.sep).join('/');
const shown = (cwd: string, absolute: string) => toPosix(path.relative(cwd, absolute)) || '.';
const composePath = (paths: ReportPaths, file: string) => shown(paths.cwd, path.join(paths.source, ...file.split('/')));
const pagePath = (paths: ReportPaths, file: string) => shown(paths.cwd, path.join(paths.content, ...file.split('/')));
const rangeText = (r: SourceRange) => (r.startLine === r.endLine ? `${r.startLine}` : `${r.startLine}-${r.endLine}`);

/** The summary line: `N pages checked, N drifted, N citation errors, N findings`. */
export function summaryLine(report: CheckReport): string {
  const s = report.summary;
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const drift = [s.missing ? `${s.missing} missing` : '', s.orphans ? `${s.orphans} orphaned` : ''].filter(Boolean).join(', ');
  const findings = s.findings ? ` (${plural(s.findingErrors, 'error')}, ${plural(s.findingWarnings, 'warning')})` : '';
  const stale = s.staleCitations ? ` (+${s.staleCitations} stale in lines generate rewrites)` : '';
  return `${plural(s.pagesChecked, 'page')} checked, ${s.drifted} drifted${drift ? ` (${drift})` : ''}, ${plural(s.citationErrors, 'citation error')}${stale}, ${plural(s.findings, 'finding')}${findings}`;
}

// ---------------------------------------------------------------------------------------------
// Text

export interface TextOptions {
  readonly color: boolean;
}

/** The report for a terminal or a log: diffs, errors in `file:line:col: severity id: message` form, the summary. */
export function formatText(report: CheckReport, paths: ReportPaths, options: TextOptions): string {
  const c = createColors(options.color);
  const out: string[] = [];
  const severity = (s: 'error' | 'warning') => (s === 'error' ? c.red(c.bold('error')) : c.yellow(c.bold('warning')));
  const staleOn = staleCitationsByPage(report);

  for (const entry of report.drift) {
    const where = pagePath(paths, entry.file);
    if (entry.kind === 'orphan') {
      out.push(`${c.bold(c.red('orphan'))}  ${where}: no service or stack produces this page any more; delete it when you no longer need it`);
      continue;
    }
    if (entry.kind === 'missing') {
      out.push(`${c.bold(c.red('missing'))} ${where}: not generated yet`);
      continue;
    }
    out.push(`${c.bold(c.red('drift'))}   ${where}: out of date with the compose files`);
    out.push(`  caused by ${entry.causes.map((r) => c.cyan(`${composePath(paths, r.file)}:${rangeText(r)}`)).join(', ')}`);
    const stale = staleOn.get(entry.file) ?? 0;
    if (stale > 0) out.push(`  ${stale === 1 ? '1 citation points' : `${stale} citations point`} at old lines; generate rewrites ${stale === 1 ? 'it' : 'them'}`);
    out.push(colourDiff(entry.diff ?? '', c).replace(/\n$/, ''));
  }
  const stale = report.drift.filter((d) => d.kind !== 'orphan').length;
  if (stale > 0) out.push(c.bold(`Run \`compose-wiki generate\` to bring ${stale === 1 ? 'this page' : `these ${stale} pages`} up to date.`));
  if (report.drift.some((d) => d.kind === 'orphan')) out.push(c.bold('Orphan pages are never deleted by generate: remove them by hand.'));

  const citations = report.citations.filter((e) => !e.fixedByGenerate);
  if (citations.length > 0) out.push('', c.bold('Citations'));
  for (const e of citations) {
    const where = `${pagePath(paths, e.page.file)}:${e.page.line}:${e.page.column}`;
    out.push(`${where}: ${severity('error')} ${c.dim(e.code)}: ${e.message}`);
  }

  if (report.findings.length > 0) out.push('', c.bold('Findings'));
  for (const f of report.findings) {
    const where = f.page
      ? `${pagePath(paths, f.page.file)}:${f.page.line}:${f.page.column}`
      : f.range
        ? `${composePath(paths, f.range.file)}:${f.range.startLine}${f.column ? `:${f.column}` : ''}`
        : '';
    const related = f.related?.length ? c.dim(` (see ${f.related.map((r) => `${composePath(paths, r.file)}:${rangeText(r)}`).join(', ')})`) : '';
    out.push(`${where ? `${where}: ` : ''}${severity(f.severity)} ${c.dim(f.id)}: ${f.message}${related}`);
  }

  out.push('', c.bold(summaryLine(report)));
  return `${out.join('\n').replace(/^\n+/, '')}\n`;
}

/**
 * How many citation errors of each page generate fixes (they sit in lines it rewrites), counted in
 * one pass: a compose change that moves every line makes one per citation, on every page.
 */
function staleCitationsByPage(report: CheckReport): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of report.citations) if (e.fixedByGenerate) counts.set(e.page.file, (counts.get(e.page.file) ?? 0) + 1);
  return counts;
}

function colourDiff(diff: string, c: ReturnType<typeof createColors>): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return c.bold(line);
      if (line.startsWith('@@')) return c.cyan(line);
      if (line.startsWith('+')) return c.green(line);
      if (line.startsWith('-')) return c.red(line);
      return line;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// JSON

/** The report as stable JSON (see docs/check-output.schema.json). */
export function toJson(report: CheckReport, paths: ReportPaths): unknown {
  return {
    schemaVersion: CHECK_OUTPUT_SCHEMA_VERSION,
    source: shown(paths.cwd, paths.source),
    content: shown(paths.cwd, paths.content),
    exitCode: report.exitCode,
    summary: report.summary,
    drift: report.drift.map((d) => ({
      kind: d.kind,
      page: d.page,
      file: d.file,
      message: d.message,
      causes: d.causes.map(range),
      ...(d.line !== undefined ? { line: d.line } : {}),
      ...(d.diff !== undefined ? { diff: d.diff } : {}),
    })),
    citations: report.citations.map((e) => ({
      code: e.code,
      message: e.message,
      citation: e.citation,
      page: { file: e.page.file, line: e.page.line, column: e.page.column },
      cited: range(e.cited),
      ...(e.suggestion ? { suggestion: range(e.suggestion) } : {}),
      fixedByGenerate: e.fixedByGenerate,
    })),
    findings: report.findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      origin: f.origin,
      message: f.message,
      ...(f.range ? { range: range(f.range) } : {}),
      ...(f.column ? { column: f.column } : {}),
      ...(f.page ? { page: { file: f.page.file, line: f.page.line, column: f.page.column } } : {}),
      ...(f.related?.length ? { related: f.related.map(range) } : {}),
    })),
  };
}

const range = (r: SourceRange) => ({ file: r.file, startLine: r.startLine, endLine: r.endLine });

/** The report as one JSON document, ending in a newline. */
export function formatJson(report: CheckReport, paths: ReportPaths): string {
  return `${JSON.stringify(toJson(report, paths), null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// GitHub workflow commands

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
 * Workflow commands: an annotation for each drifted page (on the page and on the compose lines
 * that caused it, with the diff in a collapsed group), each citation error (on the page line)
 * and each finding (on the compose or page line), then the summary line.
 */
export function formatGithub(report: CheckReport, paths: ReportPaths): string {
  const out: string[] = [];
  const staleOn = staleCitationsByPage(report);
  for (const d of report.drift) out.push(...driftAnnotations(d, paths, staleOn.get(d.file) ?? 0));
  // Stale citations in lines generate rewrites are part of their page's drift annotation.
  for (const e of report.citations) if (!e.fixedByGenerate) out.push(citationAnnotation(e, paths));
  for (const f of report.findings) out.push(findingAnnotation(f, paths));
  out.push(summaryLine(report));
  return `${out.join('\n')}\n`;
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
      message: `${page} no longer matches the compose files (changed: ${d.causes.map((r) => `${composePath(paths, r.file)}:${rangeText(r)}`).join(', ')})${stale ? `; ${stale} of its citations point at old lines` : ''}; run compose-wiki generate`,
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
