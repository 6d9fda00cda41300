/**
 * `check`: render every page in memory, merge each with its file as `generate` would, and report
 * drift, citations that do not resolve, and findings. Writes nothing.
 */
import type { Config } from '../config/schema.ts';
import { nowFromEnvironment } from '../merge/index.ts';
import type { Project } from '../model/types.ts';
import type { Relations } from '../relations/index.ts';
import { renderFromConfig } from '../pipeline/index.ts';
import { parseCitations } from '../render/citation.ts';
import type { Page } from '../render/page.ts';
import { validatePageCitations } from './citations.ts';
import { driftOf, readPageStates, type PageFileState } from './drift.ts';
import { applyLevels, loadFindings, modelFindings, pageFindings, type RawFinding } from './findings.ts';
import { relationFindingsOf } from './relations.ts';
import { buildSourceIndex, type SourceIndex } from './source-index.ts';
import type { CheckFinding, CheckReport, CitationError, DriftEntry, FindingOrigin } from './types.ts';

export interface CheckOptions {
  /** "Now" for the dates of pages `generate` would change (default: `SOURCE_DATE_EPOCH` or the clock). */
  readonly now?: string;
  /** How the content folder is shown in diffs and messages (default `content`). */
  readonly contentLabel?: string;
  /** An already loaded project and its pages (to avoid loading twice). */
  readonly rendered?: RenderedProject;
}

/** A loaded project, its pages, and its relations when the renderer hands them out. */
export interface RenderedProject {
  readonly project: Project;
  readonly pages: readonly Page[];
  readonly relations?: Relations;
}

export interface CheckResult {
  readonly report: CheckReport;
  readonly project: Project;
  readonly pages: readonly Page[];
}

/** Runs every check over `config.source` and `config.content`. */
export async function runCheck(config: Config, options: CheckOptions = {}): Promise<CheckResult> {
  // Rendered exactly as `generate` renders (so that only real differences are drift).
  const rendered: RenderedProject = options.rendered ?? (await renderFromConfig(config));
  const { project, pages } = rendered;
  const now = options.now ?? nowFromEnvironment();
  const states = await readPageStates(config.content, pages, { now, form: config.header });
  const contentLabel = options.contentLabel ?? 'content';

  const cited = new Set<string>(project.files.map((f) => f.path));
  for (const state of states) if (state.existing !== undefined) for (const c of parseCitations(state.existing)) cited.add(c.file);
  const index = await buildSourceIndex(config.source, project, cited);

  const drift: DriftEntry[] = [];
  for (const state of states) {
    const entry = driftOf(state, { contentLabel, sourceLines: index.lines });
    if (entry) drift.push(entry);
  }

  const citations = checkCitations(states, index);

  const raw: (RawFinding & { origin: FindingOrigin })[] = [
    ...loadFindings(project.diagnostics).map((f) => ({ ...f, origin: 'load' as const })),
    ...modelFindings(project).map((f) => ({ ...f, origin: 'model' as const })),
    ...relationFindingsOf(project, { source: config.source, ...(rendered.relations ? { relations: rendered.relations } : {}) }).map((f) => ({ ...f, origin: 'relations' as const })),
    ...states.flatMap((s) => (s.existing !== undefined && s.page ? pageFindings(s.file, s.existing) : [])).map((f) => ({ ...f, origin: 'page' as const })),
  ];
  const findings = sortFindings(applyLevels(raw, config.findings));

  const errors = findings.filter((f) => f.severity === 'error').length;
  const summary = {
    pagesChecked: states.length,
    drifted: drift.length,
    missing: drift.filter((d) => d.kind === 'missing').length,
    orphans: drift.filter((d) => d.kind === 'orphan').length,
    citationErrors: citations.filter((c) => !c.fixedByGenerate).length,
    staleCitations: citations.filter((c) => c.fixedByGenerate).length,
    findings: findings.length,
    findingErrors: errors,
    findingWarnings: findings.length - errors,
  };
  const exitCode = drift.length > 0 || citations.length > 0 || errors > 0 ? 1 : 0;
  return { report: { drift, citations, findings, summary, exitCode }, project, pages };
}

function checkCitations(states: readonly PageFileState[], index: SourceIndex): CitationError[] {
  const out: CitationError[] = [];
  for (const state of states) {
    if (state.existing === undefined) continue;
    out.push(
      ...validatePageCitations(
        state.existing,
        {
          file: state.file,
          ...(state.page ? { kind: state.page.kind } : {}),
          ...(state.page?.stack ? { stack: state.page.stack } : {}),
          ...(state.page?.service ? { service: state.page.service } : {}),
          ...(state.expected !== undefined ? { expected: state.expected } : {}),
        },
        index,
      ),
    );
  }
  return out;
}

const order = (f: CheckFinding) => f.range?.file ?? f.page?.file ?? '';

function sortFindings(findings: CheckFinding[]): CheckFinding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => {
      const pa = a.f.page ? 1 : 0;
      const pb = b.f.page ? 1 : 0;
      if (pa !== pb) return pa - pb;
      const fa = pa ? a.f.page?.file ?? '' : order(a.f);
      const fb = pb ? b.f.page?.file ?? '' : order(b.f);
      if (fa !== fb) return fa < fb ? -1 : 1;
      const la = (pa ? a.f.page?.line : a.f.range?.startLine) ?? 0;
      const lb = (pb ? b.f.page?.line : b.f.range?.startLine) ?? 0;
      return la - lb || (a.f.id < b.f.id ? -1 : a.f.id > b.f.id ? 1 : 0) || a.i - b.i;
    })
    .map((x) => x.f);
}
