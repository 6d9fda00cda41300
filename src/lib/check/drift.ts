/**
 * Drift: each page merged with its file exactly as `generate` would merge it (so what a person
 * wrote is not drift), compared with the file. A page that differs gets a unified diff and the
 * compose lines that caused it; missing pages and orphan pages (files no page produces) too.
 */
import path from 'node:path';
import type { StructuredPatch } from 'diff';
import { IO_CONCURRENCY, mergePage, pageFileName, readIfExists, type HeaderForm, type RemovedTextLine } from '../merge/index.ts';
import { forEachLimited, orphanPageFiles } from '../merge/write-pages.ts';
import type { SourceRange } from '../model/types.ts';
import { parseCitations, type ParsedCitation } from '../render/citation.ts';
import type { Page } from '../render/page.ts';
import { diffLibrary as diff, pagePatch } from './line-diff.ts';
import type { DriftEntry } from './types.ts';

/** One page file as `check` sees it: what is on disk and what `generate` would write. */
export interface PageFileState {
  /** Relative to the content folder. */
  readonly file: string;
  /** The generated page; undefined for orphans. */
  readonly page?: Page;
  /** The file's text; undefined when missing. */
  readonly existing?: string;
  /** What `generate` would write; undefined for orphans. */
  readonly expected?: string;
  /** Text `generate` would take out of sections it owns (see `MergeResult.removedText`). */
  readonly removedText?: readonly RemovedTextLine[];
}

/** A PageFileState whose page may have been dropped to its summary (no body): all `driftOf` needs. */
export type PageFileSummary = Omit<PageFileState, 'page'> & { readonly page?: Omit<Page, 'body'> };

export interface DriftOptions {
  readonly now: string;
  readonly form: HeaderForm;
  /** How the content folder is named in diff headers (e.g. `content`). */
  readonly contentLabel: string;
  /** Lines of a compose repository file, to narrow a cause to the line holding the changed word. */
  readonly sourceLines?: (file: string) => readonly string[] | undefined;
}

/** Reads one page's file and merges it with the page as `generate` would. */
export async function readPageState(contentDir: string, page: Page, options: Pick<DriftOptions, 'now' | 'form'>): Promise<PageFileState> {
  const file = pageFileName(page);
  const existing = await readIfExists(path.join(contentDir, ...file.split('/')));
  const merged = mergePage(page, existing, { now: options.now, form: options.form });
  return { file, page, expected: merged.text, ...(existing === undefined ? {} : { existing }), ...(merged.removedText.length > 0 ? { removedText: merged.removedText } : {}) };
}

/**
 * Reads every page file and merges it with its generated page; finds orphan files too. Holds every
 * page's texts at once; `runCheck` streams instead and keeps only what its report needs.
 */
export async function readPageStates(contentDir: string, pages: readonly Page[], options: Pick<DriftOptions, 'now' | 'form'>): Promise<PageFileState[]> {
  const states: PageFileState[] = [];
  await forEachLimited(pages, IO_CONCURRENCY, async (page, index) => {
    states[index] = await readPageState(contentDir, page, options);
  });
  const produced = new Set(states.map((s) => s.file));
  const orphans: PageFileState[] = [];
  // Only page files (with a Wiki.js header) count, as for `generate`.
  await orphanPageFiles(contentDir, (file) => produced.has(file), (file, existing, index) => {
    orphans[index] = { file, existing };
  });
  return [...states, ...orphans.filter((o): o is PageFileState => o !== undefined)];
}

/** The drift of one page file, or undefined when it is what `generate` would write. */
export function driftOf(state: PageFileSummary, options: Pick<DriftOptions, 'contentLabel' | 'sourceLines'>): DriftEntry | undefined {
  const shown = `${options.contentLabel}/${state.file}`;
  if (!state.page) {
    return {
      kind: 'orphan',
      page: state.file.replace(/\.md$/, ''),
      file: state.file,
      causes: [],
      message: `${shown}: no service or stack produces this page any more; delete it (or move what you want to keep into another page)`,
    };
  }
  if (state.existing === undefined) {
    return {
      kind: 'missing',
      page: state.page.path,
      file: state.file,
      causes: [...state.page.sources],
      message: `${shown} is missing; run \`compose-wiki generate\` to create it`,
    };
  }
  if (state.existing === state.expected) return undefined;
  const patch = pagePatch(`a/${shown}`, `b/${shown}`, state.existing, state.expected ?? '', 'on disk', 'generated', 3);
  const { causes, line } = causesOf(patch, state.page, options.sourceLines ?? (() => undefined), (state.removedText?.length ?? 0) > 0);
  return {
    kind: 'changed',
    page: state.page.path,
    file: state.file,
    causes,
    diff: diff().formatPatch(patch, { includeIndex: false, includeUnderline: false, includeFileHeaders: true }),
    line,
    message: `${shown} is out of date with the compose files; run \`compose-wiki generate\` to update it`,
  };
}

/**
 * The compose lines behind the changed lines: in each changed line of the generated text, the
 * citation that follows a changed word (a fact's citation comes after it), or every citation of
 * an added line. Falls back to all the page's sources when the changed lines cite nothing, but
 * for a page from which generate would remove text (`removesText`): none then.
 */
function causesOf(patch: StructuredPatch, page: Pick<Page, 'sources'>, sourceLines: (file: string) => readonly string[] | undefined, removesText: boolean): { causes: SourceRange[]; line: number } {
  const found: SourceRange[] = [];
  let firstLine: number | undefined;
  for (const hunk of patch.hunks) {
    let oldLine = hunk.oldStart;
    let i = 0;
    const lines = hunk.lines;
    while (i < lines.length) {
      const current = lines[i] as string;
      if (current.startsWith(' ') || current.startsWith('\\')) {
        if (current.startsWith(' ')) oldLine++;
        i++;
        continue;
      }
      // A change block: removed lines, then added lines.
      firstLine ??= Math.max(1, oldLine);
      const removed: string[] = [];
      const added: string[] = [];
      while (i < lines.length && (lines[i] as string).startsWith('-')) removed.push((lines[i++] as string).slice(1));
      while (i < lines.length && ((lines[i] as string).startsWith('+') || (lines[i] as string).startsWith('\\'))) {
        const l = lines[i++] as string;
        if (l.startsWith('+')) added.push(l.slice(1));
      }
      oldLine += removed.length;
      added.forEach((line, k) => {
        const before = removed[k];
        found.push(...(before === undefined ? citationsOf(line) : changedCitations(before, line, sourceLines)));
      });
    }
  }
  const causes = unique(found);
  // Changed lines that cite nothing: the page's own sources, unless it is text generate would
  // remove from a section it owns (a person's, most likely), which no compose line is behind.
  return { causes: causes.length > 0 || removesText ? causes : unique([...page.sources]), line: firstLine ?? 1 };
}

function citationsOf(line: string): SourceRange[] {
  return parseCitations(line).map(rangeOf);
}

/**
 * Citations of `after` that follow a word changed from `before` (or that changed themselves),
 * narrowed to the cited lines that contain the new word when some do.
 */
function changedCitations(before: string, after: string, sourceLines: (file: string) => readonly string[] | undefined): SourceRange[] {
  const citations = parseCitations(after);
  if (citations.length === 0) return [];
  const moved = movedCitations(before, after, citations);
  if (moved) return moved;
  const out: SourceRange[] = [];
  let offset = 0;
  const parts = diff().diffWordsWithSpace(before, after);
  parts.forEach((part, index) => {
    if (part.removed) {
      // A replacement is attributed through its added part; a plain deletion like an insertion here.
      if (parts[index + 1]?.added) return;
      const next = citations.find((c) => c.offset + c.text.length > offset) ?? citations.at(-1);
      if (next) out.push(offset >= next.offset ? rangeOf(next) : narrow(rangeOf(next), tokenAround(after, offset, offset), sourceLines));
      return;
    }
    const start = offset;
    offset += part.value.length;
    if (!part.added) return;
    const inside = citations.filter((c) => c.offset < offset && c.offset + c.text.length > start);
    if (inside.length > 0) {
      out.push(...inside.map(rangeOf));
      return;
    }
    const next = citations.find((c) => c.offset >= offset) ?? citations.filter((c) => c.offset + c.text.length <= start).at(-1);
    if (next) out.push(narrow(rangeOf(next), tokenAround(after, start, offset), sourceLines));
  });
  return out;
}

/**
 * When `before` and `after` differ only inside their citations (compose lines moved under an
 * unchanged fact, the most common drift), the citations that changed: what the word diff would
 * find, without it. Undefined when any other text differs.
 */
function movedCitations(before: string, after: string, citations: readonly ParsedCitation[]): SourceRange[] | undefined {
  const old = parseCitations(before);
  if (old.length !== citations.length) return undefined;
  let from = 0;
  let oldFrom = 0;
  for (const [i, c] of citations.entries()) {
    const o = old[i] as ParsedCitation;
    if (after.slice(from, c.offset) !== before.slice(oldFrom, o.offset)) return undefined;
    from = c.offset + c.text.length;
    oldFrom = o.offset + o.text.length;
  }
  if (after.slice(from) !== before.slice(oldFrom)) return undefined;
  return citations.filter((c, i) => c.text !== old[i]?.text).map(rangeOf);
}

const rangeOf = (c: { file: string; startLine: number; endLine: number }): SourceRange => ({ file: c.file, startLine: c.startLine, endLine: c.endLine });

/** The whole token (up to spaces, backticks and table pipes) around `after[start, end)`. */
function tokenAround(after: string, start: number, end: number): string {
  const stop = /[\s`|]/;
  let from = start;
  let to = end;
  while (from > 0 && !stop.test(after[from - 1] as string)) from--;
  while (to < after.length && !stop.test(after[to] as string)) to++;
  return after.slice(from, to);
}

/** The lines of `range` that contain a word of `added` (all of the range when none or all do). */
function narrow(range: SourceRange, added: string, sourceLines: (file: string) => readonly string[] | undefined): SourceRange {
  if (range.startLine >= range.endLine) return range;
  const lines = sourceLines(range.file);
  if (!lines) return range;
  const words = added.split(/[\s`*_|[\]()<>,;]+/).filter((w) => w.length >= 2 && !w.includes('【'));
  if (words.length === 0) return range;
  const hits: number[] = [];
  for (let n = range.startLine; n <= Math.min(range.endLine, lines.length); n++) if (words.some((w) => (lines[n - 1] ?? '').includes(w))) hits.push(n);
  if (hits.length === 0 || hits.length === range.endLine - range.startLine + 1) return range;
  return { file: range.file, startLine: Math.min(...hits), endLine: Math.max(...hits) };
}

function unique(ranges: readonly SourceRange[]): SourceRange[] {
  const seen = new Set<string>();
  const out: SourceRange[] = [];
  for (const r of ranges) {
    const key = `${r.file}\u0000${r.startLine}\u0000${r.endLine}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.startLine - b.startLine || a.endLine - b.endLine));
}

