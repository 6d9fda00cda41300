/**
 * What both publish targets share: preparing local pages (checks Wiki.js would fail on, the
 * generator tag, citation links), the plan/report types, change detection and per-page diffs.
 */
import { createTwoFilesPatch } from 'diff';
import type { LocalPage } from './read-content.ts';
import { linkCitations } from './citations.ts';
import { nativeMemoryReleased } from '../merge/markdown-parse.ts';
import { asUnreadablePage, UnreadablePageError } from '../merge/unreadable-page.ts';
import { normalizePrefix, underPrefix, wikiPathProblem } from './paths.ts';
import { WikiInvalidPagesError } from './errors.ts';
import { DEFAULT_GENERATOR_TAG } from './conventions.ts';

export { DEFAULT_GENERATOR_TAG } from './conventions.ts';

/** A page as it will be sent: tags lower-cased and carrying the generator tag, citations linked. */
export interface PreparedPage {
  readonly path: string;
  readonly file?: string;
  readonly title: string;
  readonly description: string;
  readonly published: boolean;
  readonly tags: readonly string[];
  readonly content: string;
  readonly date: string;
  readonly dateCreated?: string;
}

export interface PrepareOptions {
  readonly prefix?: string;
  readonly generatorTag?: string;
  readonly sourceUrlTemplate?: string;
}

/** Trimmed, lower-cased, de-duplicated tags (what Wiki.js stores). */
export function normalizeTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const t = tag.trim().toLowerCase();
    if (t !== '' && !out.includes(t)) out.push(t);
  }
  return out;
}

/** True when both tag lists name the same tags, ignoring case, order and repeats. */
export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  const x = normalizeTags(a).sort();
  const y = normalizeTags(b).sort();
  return x.length === y.length && x.every((t, i) => t === y[i]);
}

/**
 * Checks every page against what Wiki.js rejects and prepares it for sending. Throws
 * WikiInvalidPagesError naming every offending page — before anything is sent.
 */
export async function preparePages(pages: readonly LocalPage[], options: PrepareOptions = {}): Promise<PreparedPage[]> {
  const prefix = normalizePrefix(options.prefix);
  const generatorTag = (options.generatorTag ?? DEFAULT_GENERATOR_TAG).trim().toLowerCase();
  const problems: { path: string; file?: string; problem: string }[] = [];
  const prefixProblem = prefix === '' ? undefined : wikiPathProblem(prefix);
  if (prefixProblem) problems.push({ path: prefix, problem: `the configured path prefix is not a valid Wiki.js path: ${prefixProblem}` });
  if (generatorTag === '' || generatorTag.includes(',')) problems.push({ path: '(config)', problem: 'the generator tag must be a non-empty word without commas' });
  const seen = new Map<string, string>();
  const prepared: PreparedPage[] = [];
  for (const page of pages) {
    // Linking citations parses each page (satteri); its memory is freed between event-loop turns.
    const turn = nativeMemoryReleased();
    if (turn) await turn;
    const where = { path: page.path, file: page.file };
    const pathProblem = wikiPathProblem(page.path);
    if (pathProblem) problems.push({ ...where, problem: `page path "${page.path}": ${pathProblem}` });
    else if (!underPrefix(page.path, prefix)) problems.push({ ...where, problem: `page path "${page.path}" is outside the configured prefix "${prefix}"` });
    const key = page.path.toLowerCase();
    const clash = seen.get(key);
    if (clash !== undefined) problems.push({ ...where, problem: `page path "${page.path}" is also used by ${clash}` });
    seen.set(key, page.file ?? page.path);
    if (page.content.trim() === '') problems.push({ ...where, problem: 'the page body is empty (Wiki.js: PageEmptyContent)' });
    if (page.header.title.trim() === '') problems.push({ ...where, problem: 'the page has no title' });
    for (const tag of page.header.tags) {
      if (tag.includes(',')) problems.push({ ...where, problem: `tag ${JSON.stringify(tag)} contains a comma (Wiki.js's Git storage splits tags on ", ")` });
    }
    prepared.push({
      path: page.path,
      file: page.file,
      title: page.header.title,
      description: page.header.description,
      published: page.header.published,
      tags: normalizeTags([...page.header.tags, generatorTag]),
      content: linkedContent(page, options.sourceUrlTemplate, (problem) => problems.push({ ...where, problem })),
      date: page.header.date,
      dateCreated: page.header.dateCreated,
    });
  }
  if (problems.length > 0) throw new WikiInvalidPagesError(problems);
  return prepared;
}

/**
 * The page's content with its citations linked. A body nested too deeply to parse is reported
 * as a problem (so nothing is sent) instead of ending the run with a stack overflow.
 */
function linkedContent(page: LocalPage, template: string | undefined, report: (problem: string) => void): string {
  try {
    return linkCitations(page.content, template);
  } catch (error) {
    const unreadable = asUnreadablePage(error, page.content, 'the page body');
    if (!(unreadable instanceof UnreadablePageError)) throw unreadable;
    report(`${unreadable.reason}; flatten the nesting`);
    return page.content;
  }
}

export type PlanAction = 'create' | 'update' | 'unchanged' | 'prune' | 'would-prune' | 'merge' | 'conflict';
export type EntryStatus = 'planned' | 'done' | 'failed' | 'skipped';

export interface PlanEntry {
  readonly path: string;
  action: PlanAction;
  status: EntryStatus;
  /** For update/merge: which fields differ (content, title, description, tags, published). */
  changes?: string[];
  error?: string;
  /** Unified diff (wiki → local), when requested. */
  diff?: string;
  /** Extra information (e.g. "already there after a lost answer"). */
  note?: string;
}

export interface PublishReport {
  readonly target: 'api' | 'git';
  readonly dryRun: boolean;
  readonly entries: PlanEntry[];
  /** Writes attempted against Wiki.js / files written to the storage repository. */
  writes: number;
  readonly notes: string[];
  /** Git target: the commit made, and whether it was pushed. */
  commit?: string;
  pushed?: boolean;
}

/** Counts of entries per action. */
export function countActions(report: PublishReport): Record<PlanAction, number> {
  const counts: Record<PlanAction, number> = { create: 0, update: 0, unchanged: 0, prune: 0, 'would-prune': 0, merge: 0, conflict: 0 };
  for (const e of report.entries) counts[e.action]++;
  return counts;
}

/** Entries that failed (or conflicts, which need a person). */
export function failedEntries(report: PublishReport): PlanEntry[] {
  return report.entries.filter((e) => e.status === 'failed' || e.action === 'conflict');
}

/** True when nothing failed and no conflict needs a person. */
export function reportOk(report: PublishReport): boolean {
  return failedEntries(report).length === 0;
}

export interface ComparableFields {
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly published: boolean;
  readonly content: string;
}

/** The fields that differ between what Wiki.js has and what we would send. */
export function changedFields(remote: ComparableFields, local: ComparableFields): string[] {
  const changes: string[] = [];
  if (remote.content !== local.content) changes.push('content');
  if (remote.title !== local.title) changes.push('title');
  if (remote.description !== local.description) changes.push('description');
  if (!sameTags(remote.tags, local.tags)) changes.push('tags');
  if (remote.published !== local.published) changes.push('published');
  return changes;
}

function showFields(f: ComparableFields | undefined): string {
  if (!f) return '';
  return `title: ${f.title}\ndescription: ${f.description}\npublished: ${f.published}\ntags: ${normalizeTags(f.tags).join(', ')}\n\n${f.content}`;
}

/** A unified diff of the page as Wiki.js has it against the page we would send. */
export function pageDiff(path: string, remote: ComparableFields | undefined, local: ComparableFields | undefined): string {
  return createTwoFilesPatch(remote ? `wiki/${path}` : '/dev/null', local ? `local/${path}` : '/dev/null', showFields(remote), showFields(local), '', '', {
    context: 3,
  });
}
