/**
 * Writes merged pages under an output folder: atomically (a killed run leaves the old or the new
 * file, never a torn one), only when the text changes (an unchanged file keeps its mtime), and
 * reports pages on disk that no generated page produced (never deleting them).
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '../render/page.ts';
import { nativeMemoryReleased } from './markdown-parse.ts';
import { mergePage, type MergeResult } from './merge-page.ts';
import { parsePageFile } from './page-file.ts';
import type { HeaderForm } from './page-file.ts';
import { UnreadablePageError } from './unreadable-page.ts';
import { createWriteQueue, IO_CONCURRENCY } from './write-queue.ts';

export { IO_CONCURRENCY } from './write-queue.ts';

export interface WritePagesOptions {
  readonly now: string;
  /** Header form for pages that have no file yet (existing files keep theirs). */
  readonly form: HeaderForm;
}

export interface WritePagesResult {
  /** Files written (created or changed), relative to the output folder, `/`-separated, sorted. */
  readonly written: string[];
  /** Files whose text would not change: not touched. */
  readonly unchanged: string[];
  /**
   * Page files under the output folder that no page produced (a service that vanished, a page a
   * person added). Only files with a Wiki.js header count; they are reported, never deleted.
   */
  readonly orphans: string[];
  /**
   * Files that could not be merged because their Markdown cannot be parsed (see
   * unreadable-page.ts), sorted by file: left exactly as they were.
   */
  readonly unreadable: UnreadablePage[];
  /**
   * Where the merge took text out of a section the generator owns that cites nothing and is not
   * what it writes there, most likely a person's (see `MergeResult.removedText`), sorted by file
   * and line: the line of the file before it was written.
   */
  readonly removedText: RemovedTextAt[];
}

/** Text removed from an owned section of a page file (see `WritePagesResult.removedText`). */
export interface RemovedTextAt {
  readonly file: string;
  readonly line: number;
  readonly section: string;
}

/** A page file left as it was because its Markdown cannot be parsed. */
export interface UnreadablePage {
  /** Relative to the output folder, `/`-separated. */
  readonly file: string;
  /** 1-based line the problem is reported at. */
  readonly line: number;
  readonly message: string;
}

/** `<page.path>.md`, checked to stay inside the output folder. */
export function pageFileName(page: Pick<Page, 'path'>): string {
  const clean = page.path.replace(/^\/+|\/+$/g, '');
  const segments = clean.split('/');
  if (clean === '' || clean.includes('\\') || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new Error(`page path ${JSON.stringify(page.path)} is not a relative path inside the output folder`);
  }
  return `${clean}.md`;
}

/** The file's text, or undefined when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Every `.md` file under `dir` (not following links, skipping dot-folders), `/`-separated. */
export async function markdownFiles(dir: string): Promise<string[]> {
  return (await listContent(dir)).pages;
}

/** What is in a content folder before a run writes to it. */
export interface ContentListing {
  /** Every `.md` regular file (not following links, skipping dot-folders), `/`-separated. */
  readonly pages: string[];
  /**
   * False when the folder holds a symbolic link (outside dot-folders): a page may then exist
   * behind it without being listed, so a file missing from `pages` may still exist.
   */
  readonly complete: boolean;
}

/** Lists `dir` once (an absent folder is an empty one). */
export async function listContent(dir: string): Promise<ContentListing> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { pages: [], complete: true };
    throw error;
  }
  const pages: string[] = [];
  let complete = true;
  for (const entry of entries) {
    const isPage = entry.isFile() && entry.name.endsWith('.md');
    if (!isPage && !entry.isSymbolicLink()) continue;
    const file = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (file.split('/').some((segment) => segment.startsWith('.'))) continue;
    if (isPage) pages.push(file);
    else complete = false;
  }
  return { pages, complete };
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight, taking the next item from the
 * iterator only when a call finishes: a lazy iterable (pages rendered on demand) is then never
 * more than `concurrency` items ahead. `fn` gets each item's position. On an error no new item is
 * started, the calls in flight finish (no write is cut short, no temporary file is left), and the
 * first error is thrown.
 */
export async function forEachLimited<T>(items: Iterable<T>, concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failed) {
      try {
        const step = iterator.next();
        if (step.done) return;
        const index = next++;
        const turn = nativeMemoryReleased();
        if (turn) await turn;
        await fn(step.value, index);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failed) throw failed.error;
}

/** The page files of `paths`; throws when two map to one file or one leaves the output folder. */
export function plannedFiles(paths: Iterable<string>): Set<string> {
  const produced = new Set<string>();
  for (const pagePath of paths) {
    const file = pageFileName({ path: pagePath });
    if (produced.has(file)) throw new Error(`two pages would be written to ${file}`);
    produced.add(file);
  }
  return produced;
}

export interface WritePageStreamOptions extends WritePagesOptions {
  /**
   * The paths of every page the stream will yield, known before rendering (see `planProject`):
   * two pages mapping to one file, or a path leaving the folder, then fail before any write.
   * Without it they fail when the offending page comes.
   */
  readonly paths?: readonly string[];
  /** Called with each page (and its position in the stream) once it is merged, before its tree is dropped. */
  readonly onPage?: (page: Page, index: number) => void;
}

/**
 * Merges every page with its file under `outDir` and writes the files that change.
 * Throws when two pages map to one file or a page path leaves `outDir`.
 */
export async function writePages(outDir: string, pages: readonly Page[], options: WritePagesOptions): Promise<WritePagesResult> {
  return writePageStream(outDir, pages, { ...options, paths: pages.map((page) => page.path) });
}

/** A page rendered only when asked for (see `planProject`): its path is known before. */
export interface LazyPage {
  readonly path: string;
  render(): Page;
}

/** The page itself: rendered now when it is a LazyPage. */
export function pageOf(item: Page | LazyPage): Page {
  return 'render' in item ? item.render() : item;
}

/**
 * `writePages` over pages that are rendered as they are asked for: one page at a time, its file
 * is read, the page is rendered (a LazyPage), merged and dropped in one synchronous step, and the
 * text goes to the write queue when it changes (see write-queue.ts; a large run writes on a thread
 * of its own). A tree then never waits on I/O, so it is collected young. The result does not
 * depend on the order in which the writes finish (its lists are sorted). On a write error no page
 * is rendered after it, the writes handed over finish, and the error is thrown.
 */
export async function writePageStream(outDir: string, pages: Iterable<Page | LazyPage>, options: WritePageStreamOptions): Promise<WritePagesResult> {
  if (options.paths) plannedFiles(options.paths);
  const produced = new Set<string>();
  const written: string[] = [];
  const unchanged: string[] = [];
  const unreadable: UnreadablePage[] = [];
  const removedText: RemovedTextAt[] = [];
  // One listing instead of a failed read and a failed lstat per new page (an error costs a stack).
  const listing = await listContent(outDir);
  const listed = listing.complete ? new Set(listing.pages) : undefined;
  const files = new Map<string, string>();
  const queue = createWriteQueue(options.paths?.length ?? 0, (target) => written.push(files.get(target) as string));
  let failure: { error: unknown } | undefined;
  try {
    let index = 0;
    for (const item of pages) {
      const file = pageFileName(item);
      if (produced.has(file)) throw new Error(`two pages would be written to ${file}`);
      produced.add(file);
      const target = path.join(outDir, ...file.split('/'));
      const absent = listed !== undefined && !listed.has(file);
      const turn = nativeMemoryReleased();
      if (turn) await turn;
      // Read, rendered, merged and dropped in one synchronous step: a tree never outlives its page.
      const page = pageOf(item);
      const result = mergeOrKeep(page, absent ? undefined : readIfExistsSync(target), options);
      options.onPage?.(page, index++);
      if (result instanceof UnreadablePageError) {
        unreadable.push({ file, line: result.line, message: result.message });
        continue;
      }
      for (const removed of result.removedText) removedText.push({ file, ...removed });
      if (!result.changed) {
        unchanged.push(file);
        continue;
      }
      files.set(target, file);
      await queue.write(target, result.text, absent);
    }
  } catch (error) {
    failure = { error };
  }
  // Every write handed over ends (written or failed) before the run does: no temporary file is
  // left. The first problem is the one reported.
  await queue.close().catch((error: unknown) => {
    failure ??= { error };
  });
  if (failure) throw failure.error;
  const orphans = await orphanPageFiles(outDir, (file) => produced.has(file), undefined, listing.pages);
  return {
    written: written.sort(byCodePoint),
    unchanged: unchanged.sort(byCodePoint),
    orphans: orphans.sort(byCodePoint),
    unreadable: unreadable.sort((a, b) => byCodePoint(a.file, b.file)),
    removedText: removedText.sort((a, b) => byCodePoint(a.file, b.file) || a.line - b.line),
  };
}

/** The merge of a page with its file, or the reason the file must be left as it is. */
function mergeOrKeep(page: Page, existing: string | undefined, options: WritePagesOptions): MergeResult | UnreadablePageError {
  try {
    return mergePage(page, existing, { now: options.now, form: options.form });
  } catch (error) {
    if (error instanceof UnreadablePageError) return error;
    throw error;
  }
}

/**
 * The file's text, or undefined when it does not exist. Read synchronously: a page is a few KB,
 * and the promise-based read costs four thread hops (and three times the CPU).
 */
export function readIfExistsSync(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Page files (with a Wiki.js header) under `outDir` that `produced` does not claim, sorted; each
 * is read once and dropped. `visit` sees the text of each (for `check`). `listed`: the folder's
 * pages when already listed (see `listContent`); pages written since are all produced ones.
 */
export async function orphanPageFiles(
  outDir: string,
  produced: (file: string) => boolean,
  visit?: (file: string, text: string, index: number) => void | Promise<void>,
  listed?: readonly string[],
): Promise<string[]> {
  const candidates = (listed ?? (await markdownFiles(outDir))).filter((file) => !produced(file)).sort(byCodePoint);
  const found: (string | undefined)[] = [];
  await forEachLimited(candidates, IO_CONCURRENCY, async (file, index) => {
    const text = await readIfExists(path.join(outDir, ...file.split('/')));
    if (text === undefined || parsePageFile(text).form === 'none') return;
    found[index] = file;
    await visit?.(file, text, index);
  });
  return found.filter((file): file is string => file !== undefined);
}

/**
 * "Now" for page dates: `SOURCE_DATE_EPOCH` (integer seconds since the epoch) when set, so that
 * builds are reproducible, else the clock. ISO-8601 UTC with milliseconds.
 * Throws on a malformed `SOURCE_DATE_EPOCH` (reproducible-builds.org asks builds to fail then).
 */
export function nowFromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env, clock: () => Date = () => new Date()): string {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  if (epoch === undefined || epoch === '') return clock().toISOString();
  if (!/^\d+$/.test(epoch)) throw new Error(`SOURCE_DATE_EPOCH must be a whole number of seconds, not ${JSON.stringify(epoch)}`);
  const date = new Date(Number(epoch) * 1000);
  if (Number.isNaN(date.getTime())) throw new Error(`SOURCE_DATE_EPOCH ${epoch} is out of range`);
  return date.toISOString();
}
