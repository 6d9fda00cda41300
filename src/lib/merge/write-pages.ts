/**
 * Writes merged pages under an output folder: atomically (a killed run leaves the old or the new
 * file, never a torn one), only when the text changes (an unchanged file keeps its mtime), and
 * reports pages on disk that no generated page produced (never deleting them).
 */
import { readdir, readFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import pLimit from 'p-limit';
import type { Page } from '../render/page.ts';
import { mergePage } from './merge-page.ts';
import { parsePageFile } from './page-file.ts';
import type { HeaderForm } from './page-file.ts';

// write-file-atomic is CommonJS without type declarations; its promise API is all we use.
type WriteFileAtomic = (file: string, data: string, options: { encoding: 'utf8'; fsync: boolean }) => Promise<void>;
const writeFileAtomic = createRequire(import.meta.url)('write-file-atomic') as WriteFileAtomic;

/** Writes a text file atomically (a reader sees the old or the new file, never a torn one). */
export function writeTextAtomically(file: string, text: string): Promise<void> {
  return writeFileAtomic(file, text, { encoding: 'utf8', fsync: true });
}

/** How many files are read or written at once. */
export const IO_CONCURRENCY = 8;

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
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !file.split('/').some((segment) => segment.startsWith('.')));
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Merges every page with its file under `outDir` and writes the files that change.
 * Throws when two pages map to one file or a page path leaves `outDir`.
 */
export async function writePages(outDir: string, pages: readonly Page[], options: WritePagesOptions): Promise<WritePagesResult> {
  const files = pages.map((page) => ({ page, file: pageFileName(page) }));
  const produced = new Set<string>();
  for (const { file } of files) {
    if (produced.has(file)) throw new Error(`two pages would be written to ${file}`);
    produced.add(file);
  }
  const limit = pLimit(IO_CONCURRENCY);
  const written: string[] = [];
  const unchanged: string[] = [];
  await Promise.all(
    files.map(({ page, file }) =>
      limit(async () => {
        const target = path.join(outDir, ...file.split('/'));
        const existing = await readIfExists(target);
        const result = mergePage(page, existing, { now: options.now, form: options.form });
        if (!result.changed) {
          unchanged.push(file);
          return;
        }
        await mkdir(path.dirname(target), { recursive: true });
        await writeFileAtomic(target, result.text, { encoding: 'utf8', fsync: true });
        written.push(file);
      }),
    ),
  );
  const candidates = (await markdownFiles(outDir)).filter((file) => !produced.has(file));
  const orphans: string[] = [];
  await Promise.all(
    candidates.map((file) =>
      limit(async () => {
        const text = await readIfExists(path.join(outDir, ...file.split('/')));
        if (text !== undefined && parsePageFile(text).form !== 'none') orphans.push(file);
      }),
    ),
  );
  return { written: written.sort(byCodePoint), unchanged: unchanged.sort(byCodePoint), orphans: orphans.sort(byCodePoint) };
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
