/**
 * `check`: render each page, merge it with its file as `generate` would, and report drift,
 * citations that do not resolve, and findings. Writes nothing. Pages flow through a few at a time
 * (read the file, render and merge, compare and validate), keeping only what the report needs.
 */
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import type { Project } from '../model/types.ts';
import type { Relations } from '../relations/index.ts';
import { IO_CONCURRENCY, mergePage, nowFromEnvironment, pageFileName, UnreadablePageError, type HeaderForm } from '../merge/index.ts';
import { forEachLimited, orphanPageFiles, pageOf, readIfExistsSync, type LazyPage } from '../merge/write-pages.ts';
import { planFromConfig, summarisePage, type PageSummary } from '../pipeline/index.ts';
import { parseCitations } from '../render/citation.ts';
import { scanPage, type ScannedPage } from './page-text.ts';
import type { Page } from '../render/page.ts';
import { validatePageCitations } from './citations.ts';
import { driftOf, type PageFileSummary } from './drift.ts';
import { applyLevels, loadFindings, modelFindings, pageFindings, removedTextFinding, type RawFinding } from './findings.ts';
import { relationFindingsOf } from './relations.ts';
import { buildSourceIndex, type SourceIndex } from './source-index.ts';
import type { CheckedPageFile, CheckFinding, CheckReport, CitationError, DriftEntry, FindingOrigin } from './types.ts';

export interface CheckOptions {
  /** "Now" for the dates of pages `generate` would change (default: `SOURCE_DATE_EPOCH` or the clock). */
  readonly now?: string;
  /** How the content folder is shown in diffs and messages (default `content`). */
  readonly contentLabel?: string;
  /** An already loaded project and its pages (to avoid loading twice). */
  readonly rendered?: RenderedProject;
  /**
   * Called with each page file's drift and citation errors in report order (pages, then orphans),
   * as soon as it and every file before it are checked; awaited before the next. With it, the
   * report keeps drift entries without their diffs and only the citation errors `generate` does
   * not fix (its summary still counts every one): a change that touches every page of a large
   * estate then need not hold a diff per page in memory.
   */
  readonly onPage?: (checked: CheckedPageFile) => void | Promise<void>;
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
  /** The pages checked, in rendering order, without their bodies (the trees are not kept). */
  readonly pages: readonly PageSummary[];
}

/** What `check` keeps of one page file once it is compared and validated. */
interface PageOutcome {
  readonly file: string;
  readonly drift?: DriftEntry;
  readonly citations: readonly CitationError[];
  /** How many of its citation errors `generate` fixes (kept apart once they were handed on). */
  readonly staleCitations: number;
  readonly findings: readonly RawFinding[];
}

/**
 * Runs every check over `config.source` and `config.content`. Pages flow through a few at a time:
 * each page's file is read, the page is rendered, merged with it, compared and validated, and
 * only its summary, drift entry, citation errors and findings are kept.
 */
export async function runCheck(config: Config, options: CheckOptions = {}): Promise<CheckResult> {
  // Rendered exactly as `generate` renders (so that only real differences are drift).
  const planned: { project: Project; relations?: Relations; entries: readonly (Page | LazyPage)[] } = options.rendered
    ? { project: options.rendered.project, ...(options.rendered.relations ? { relations: options.rendered.relations } : {}), entries: options.rendered.pages }
    : await planFromConfig(config).then(({ project, relations, plan }) => ({ project, relations, entries: plan.entries }));
  const { project } = planned;
  const now = options.now ?? nowFromEnvironment();
  const contentLabel = options.contentLabel ?? 'content';
  // The compose files (and every file holding a service block) are read up front; a file only a
  // page cites is read before that page is validated.
  const index = await buildSourceIndex(config.source, project, project.files.map((f) => f.path));
  const driftOptions = { contentLabel, sourceLines: index.lines };

  const pages: PageSummary[] = new Array(planned.entries.length);
  const outcomes: PageOutcome[] = [];
  const handOn = options.onPage ? inReportOrder(outcomes, options.onPage) : undefined;
  await forEachLimited(planned.entries, IO_CONCURRENCY, async (item, i) => {
    const file = pageFileName(item);
    const existing = readIfExistsSync(path.join(config.content, ...file.split('/')));
    const scanned = existing === undefined ? undefined : scanPage(existing);
    if (existing !== undefined) await index.load(citedFiles(existing, scanned));
    // Rendered, merged and dropped in one step: only the page's summary and texts go on.
    const state = mergedState(item, file, existing, { now, form: config.header });
    pages[i] = state.page;
    // Drift narrows a cause with the lines of what the generated text cites.
    if (existing !== undefined && state.expected !== existing) await index.load(citedFiles(state.expected));
    const outcome = checkPageFile(state, index, driftOptions, scanned);
    // Kept with strings of its own once handed on (handing on drops most of it first).
    outcomes[i] = handOn ? outcome : detach(outcome);
    const handing = handOn?.();
    if (handing) await handing;
  });
  const produced = new Set(pages.map((page) => pageFileName(page)));
  const orphans: PageOutcome[] = [];
  await orphanPageFiles(config.content, (file) => produced.has(file), async (file, existing, i) => {
    await index.load(citedFiles(existing));
    const outcome = checkPageFile({ file, existing }, index, driftOptions);
    orphans[i] = options.onPage ? outcome : detach(outcome);
  });
  const found = orphans.filter((o): o is PageOutcome => o !== undefined);
  if (options.onPage) {
    for (const [i, orphan] of found.entries()) {
      await options.onPage(checkedPageFile(orphan));
      found[i] = detach(handedOn(orphan));
    }
  }
  const checked = [...outcomes, ...found];

  const drift = checked.flatMap((o) => (o.drift ? [o.drift] : []));
  const citations = checked.flatMap((o) => o.citations);
  const raw: (RawFinding & { origin: FindingOrigin })[] = [
    ...loadFindings(project.diagnostics).map((f) => ({ ...f, origin: 'load' as const })),
    ...modelFindings(project).map((f) => ({ ...f, origin: 'model' as const })),
    ...relationFindingsOf(project, { source: config.source, ...(planned.relations ? { relations: planned.relations } : {}) }).map((f) => ({ ...f, origin: 'relations' as const })),
    ...checked.flatMap((o) => o.findings).map((f) => ({ ...f, origin: 'page' as const })),
  ];
  const findings = sortFindings(applyLevels(raw, config.findings));

  const errors = findings.filter((f) => f.severity === 'error').length;
  const summary = {
    pagesChecked: checked.length,
    drifted: drift.length,
    missing: drift.filter((d) => d.kind === 'missing').length,
    orphans: drift.filter((d) => d.kind === 'orphan').length,
    citationErrors: citations.filter((c) => !c.fixedByGenerate).length,
    staleCitations: checked.reduce((n, o) => n + o.staleCitations, 0),
    findings: findings.length,
    findingErrors: errors,
    findingWarnings: findings.length - errors,
  };
  const exitCode = drift.length > 0 || summary.citationErrors + summary.staleCitations > 0 || errors > 0 ? 1 : 0;
  return { report: { drift, citations, findings, summary, exitCode }, project, pages };
}

/**
 * Hands each outcome on in report order once it and every one before it are in, then keeps it
 * without what was handed on. Pages are checked a few at a time, so only those few wait.
 */
function inReportOrder(outcomes: (PageOutcome | undefined)[], onPage: (checked: CheckedPageFile) => void | Promise<void>): () => Promise<void> | undefined {
  let next = 0;
  let waiting: Promise<void> | undefined;
  // Synchronous while the callback is (it returns nothing when it wrote at once): no promise per
  // page; a returned promise holds back the pages after it until it settles.
  const drain = (): Promise<void> | undefined => {
    for (let outcome = outcomes[next]; outcome !== undefined; outcome = outcomes[next]) {
      const handed = onPage(checkedPageFile(outcome));
      outcomes[next++] = detach(handedOn(outcome));
      if (handed) {
        waiting = handed.then(() => {
          waiting = undefined;
          return drain();
        });
        return waiting;
      }
    }
    return undefined;
  };
  return () => (waiting ? (waiting = waiting.then(drain)) : drain());
}

const checkedPageFile = (o: PageOutcome): CheckedPageFile => ({ file: o.file, ...(o.drift ? { drift: o.drift } : {}), citations: o.citations });

/** An outcome once handed on: its drift without the diff, its stale citation errors only counted. */
function handedOn(o: PageOutcome): PageOutcome {
  if (!o.drift?.diff && o.staleCitations === 0) return o;
  const { diff: _diff, ...drift } = o.drift ?? {};
  return { ...o, ...(o.drift ? { drift: drift as DriftEntry } : {}), citations: o.citations.filter((c) => !c.fixedByGenerate) };
}

/** The files a page text cites. */
function citedFiles(text: string, scanned?: ScannedPage): Set<string> {
  const files = new Set<string>();
  // The scan skips code blocks; only then is the text parsed again for the citations inside them.
  if (scanned && scanned.inCode.size === 0) {
    for (const c of scanned.citations) files.add(c.file);
    return files;
  }
  for (const c of parseCitations(text)) files.add(c.file);
  return files;
}

/** Renders a page (when planned), merges it with its file as `generate` would, and keeps its summary. */
function mergedState(item: Page | LazyPage, file: string, existing: string | undefined, options: { now: string; form: HeaderForm }): MergedState {
  const page = pageOf(item);
  try {
    const merged = mergePage(page, existing, options);
    return {
      file,
      page: summarisePage(page),
      expected: merged.text,
      bodyIsGenerated: merged.bodyIsGenerated,
      generatedLines: merged.generatedLines,
      ...(existing === undefined ? {} : { existing }),
      ...(merged.removedText.length > 0 ? { removedText: merged.removedText } : {}),
    };
  } catch (error) {
    if (!(error instanceof UnreadablePageError) || existing === undefined) throw error;
    // generate leaves such a file as it is, so it is not drift; it is an error of its own.
    return { file, page: summarisePage(page), expected: existing, bodyIsGenerated: false, existing, unreadable: error };
  }
}

/**
 * A page file with what `generate` would write for it, whether that holds no person's words, and
 * why generate would leave it alone when its Markdown cannot be parsed.
 */
type MergedState = PageFileSummary & { page: PageSummary; expected: string; bodyIsGenerated: boolean; generatedLines?: number; unreadable?: UnreadablePageError };

/**
 * Drift, citation errors and page findings of one page file (or orphan), once the files it cites
 * are in the index; its texts are dropped after.
 */
function checkPageFile(state: PageFileSummary & { bodyIsGenerated?: boolean; generatedLines?: number; unreadable?: UnreadablePageError }, index: SourceIndex, driftOptions: Parameters<typeof driftOf>[1], scanned?: ScannedPage): PageOutcome {
  const drift = driftOf(state, driftOptions);
  if (state.existing === undefined) return { file: state.file, ...(drift ? { drift } : {}), citations: [], staleCitations: 0, findings: [] };
  const page = scanned ?? scanPage(state.existing);
  const citations = validatePageCitations(
    state.existing,
    {
      file: state.file,
      ...(state.page ? { kind: state.page.kind } : {}),
      ...(state.page?.stack ? { stack: state.page.stack } : {}),
      ...(state.page?.service ? { service: state.page.service } : {}),
      ...(state.expected !== undefined ? { expected: state.expected } : {}),
      ...(state.bodyIsGenerated ? { generatedOnly: true } : {}),
      ...(state.generatedLines ? { generatedLines: state.generatedLines } : {}),
    },
    index,
    page,
  );
  const findings = state.page ? pageFindings(state.file, page) : [];
  for (const removed of state.removedText ?? []) findings.push(removedTextFinding(state.file, removed));
  if (state.unreadable) {
    findings.unshift({ id: 'page-unreadable', severity: 'error', message: state.unreadable.message, page: { file: state.file, line: state.unreadable.line, column: 1 } });
  }
  return { file: state.file, ...(drift ? { drift } : {}), citations, staleCitations: citations.filter((c) => c.fixedByGenerate).length, findings };
}

/**
 * The outcome with strings of its own. A string cut out of a page's text (a citation's file, a
 * variable name in a message) can be a slice that keeps the whole text alive; kept for the report,
 * thousands of such slices would keep every page's text in memory, which is what streaming avoids.
 */
function detach(outcome: PageOutcome): PageOutcome {
  return outcome.drift || outcome.citations.length > 0 || outcome.findings.length > 0 ? structuredClone(outcome) : outcome;
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
