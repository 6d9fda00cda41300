/** The check report for a terminal or a log: coloured diffs on a terminal, `file:line:col` lines, the summary. */
import { createColors } from 'picocolors';
import { REMOVED_TEXT_FINDING } from './findings.ts';
import { composePath, pagePath, rangeText, staleCount, summaryLine, writeThrough, type CheckReporter, type ReportPaths } from './report-format.ts';
import type { CheckedPageFile, CheckReport, DriftEntry } from './types.ts';

export interface TextOptions {
  readonly color: boolean;
}

type Colors = ReturnType<typeof createColors>;

/**
 * The text form written as it goes: each drifted page (its diff and causes) as it is checked, then
 * the citation errors, the findings and the summary.
 */
export function textReporter(paths: ReportPaths, options: TextOptions): CheckReporter {
  const c = createColors(options.color);
  let wrote = false;
  return {
    page(checked: CheckedPageFile): string {
      if (!checked.drift) return '';
      wrote = true;
      return `${driftLines(checked.drift, staleCount(checked.citations), paths, c).join('\n')}\n`;
    },
    end(report: CheckReport): string[] {
      const text = `${endLines(report, paths, c).join('\n')}\n`;
      // Sections open with an empty line, which the report does not start with.
      return [wrote ? text : text.replace(/^\n+/, '')];
    },
  };
}

/** The whole report as text: diffs, errors in `file:line:col: severity id: message` form, the summary. */
export function formatText(report: CheckReport, paths: ReportPaths, options: TextOptions): string {
  return writeThrough(textReporter(paths, options), report);
}

function driftLines(entry: DriftEntry, stale: number, paths: ReportPaths, c: Colors): string[] {
  const where = pagePath(paths, entry.file);
  if (entry.kind === 'orphan') return [`${c.bold(c.red('orphan'))}  ${where}: no service or stack produces this page any more; delete it when you no longer need it`];
  if (entry.kind === 'missing') return [`${c.bold(c.red('missing'))} ${where}: not generated yet`];
  const out: string[] = [];
  if (entry.causes.length > 0) {
    out.push(`${c.bold(c.red('drift'))}   ${where}: out of date with the compose files`);
    out.push(`  caused by ${entry.causes.map((r) => c.cyan(`${composePath(paths, r.file)}:${rangeText(r)}`)).join(', ')}`);
  } else {
    // No compose line is behind it: generate would take text out of a section it owns.
    out.push(`${c.bold(c.red('drift'))}   ${where}: differs from what generate writes`);
    out.push(`  no compose line changed: generate would remove text from a section it owns (see ${REMOVED_TEXT_FINDING} below)`);
  }
  if (stale > 0) out.push(`  ${stale === 1 ? '1 citation points' : `${stale} citations point`} at old lines; generate rewrites ${stale === 1 ? 'it' : 'them'}`);
  out.push(colourDiff(entry.diff ?? '', c).replace(/\n$/, ''));
  return out;
}

function endLines(report: CheckReport, paths: ReportPaths, c: Colors): string[] {
  const out: string[] = [];
  const severity = (s: 'error' | 'warning') => (s === 'error' ? c.red(c.bold('error')) : c.yellow(c.bold('warning')));
  const stale = report.drift.filter((d) => d.kind !== 'orphan').length;
  if (report.findings.some((f) => f.id === REMOVED_TEXT_FINDING)) out.push(c.bold(`Move the text that ${REMOVED_TEXT_FINDING} names before you run \`compose-wiki generate\`: it would remove it.`));
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
  return out;
}

function colourDiff(diff: string, c: Colors): string {
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
