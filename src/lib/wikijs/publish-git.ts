/**
 * Publishing into a Wiki.js Git-storage repository: clone it (a URL or a local path — the
 * repository is always cloned into a temporary folder, never modified in place), write each page as
 * Wiki.js's own Markdown file (`<dir>/<path>.md`, see wikijs-file.ts), commit with a clear message,
 * push. Nothing to commit ⇒ nothing pushed.
 *
 * Hand edits are never overwritten blindly. A file may be replaced only when compose-wiki wrote its
 * current text: the last commit of ours touching it (trailer `Generated-by: compose-wiki`) left it
 * exactly as it is now, and did not record it as a merge. Otherwise — Wiki.js synced a person's
 * edit (`docs: update …`), someone committed by hand — the `merge` callback decides the new text
 * (the merge module keeps a person's words), and without one the page is reported as a conflict
 * and left as it is.
 *
 * If Wiki.js pushes between our clone and our push, the push is refused; we fetch, start over from
 * the new tip and try again (three attempts).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PageHeader } from '../render/page.ts';
import { WikiConfigError, WikiGitError, redact } from './errors.ts';
import { normalizePrefix, underPrefix } from './paths.ts';
import {
  DEFAULT_GENERATOR_TAG,
  changedFields,
  preparePages,
  type ComparableFields,
  type PlanEntry,
  type PreparedPage,
  type PublishReport,
} from './plan.ts';
import type { LocalPage } from './read-content.ts';
import { readWikiFileHeader, serializeWikiFile, wikiFileTags } from './wikijs-file.ts';
import { createTwoFilesPatch } from 'diff';
import { UnreadablePageError } from '../merge/unreadable-page.ts';
import { RemovedTextError } from './merge-storage.ts';

export const GENERATED_TRAILER = 'Generated-by: compose-wiki';

/** The page as the Git target would write it, handed to a merge callback. */
export interface WikiFilePage {
  readonly path: string;
  /** Repository-relative file (`home/Platform/x.md`). */
  readonly file: string;
  readonly header: PageHeader;
  /** The body we would write (citations linked). */
  readonly content: string;
  /** The whole file we would write. */
  readonly text: string;
}

/** Returns the text to write in place of `existingText` (a person's edits kept). */
export type GitMerge = (existingText: string, page: WikiFilePage) => string | Promise<string>;

export interface GitPublishOptions {
  /** The storage repository: a URL (ssh/https, credentials from git's own setup) or a local path. */
  readonly repo: string;
  /** Branch to publish to; default: the remote's default branch, else `main`. */
  readonly branch?: string;
  /** Folder inside the repository where page paths start (Wiki.js's storage base path). Default ''. */
  readonly dir?: string;
  readonly pages: readonly LocalPage[];
  readonly prefix?: string;
  readonly generatorTag?: string;
  readonly sourceUrlTemplate?: string;
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  readonly diff?: boolean;
  readonly merge?: GitMerge;
  /** Commit identity; default: the identity git is configured with, else `compose-wiki`. */
  readonly author?: { readonly name: string; readonly email: string };
  /** Environment for git (defaults to process.env, with prompts disabled). */
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (message: string) => void;
}

interface GitRun {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly secrets: readonly string[];
}

function git(run: GitRun, args: readonly string[], input?: string): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', [...args], { cwd: run.cwd, env: run.env, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve({ stdout, code: 0 });
      const code = typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : -1;
      const err = new WikiGitError(redact(`git ${args.join(' ')} failed (exit ${code}): ${String(stderr).trim() || error.message}`, run.secrets));
      (err as WikiGitError & { exitCode?: number; stderr?: string }).exitCode = code;
      (err as WikiGitError & { stderr?: string }).stderr = redact(String(stderr), run.secrets);
      reject(err);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function gitOk(run: GitRun, args: readonly string[]): Promise<string | undefined> {
  try {
    return (await git(run, args)).stdout;
  } catch {
    return undefined;
  }
}

function fieldsOf(text: string): ComparableFields {
  const { fields, content } = readWikiFileHeader(text);
  const str = (v: unknown): string => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v));
  const isPublished = fields?.isPublished;
  return {
    title: str(fields?.title),
    description: str(fields?.description),
    tags: wikiFileTags(fields),
    published: isPublished === undefined ? fields?.published !== false : isPublished === true,
    content,
  };
}

function existingDateCreated(text: string): string | undefined {
  const value = readWikiFileHeader(text).fields?.dateCreated;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function headerOf(page: PreparedPage): PageHeader {
  const header: PageHeader = {
    title: page.title,
    description: page.description,
    published: page.published,
    date: page.date,
    tags: [...page.tags],
    editor: 'markdown',
  };
  return page.dateCreated ? { ...header, dateCreated: page.dateCreated } : header;
}

/** Whether compose-wiki wrote the file's current text (and did not merge a person's words into it). */
async function writtenByUs(run: GitRun, file: string): Promise<{ ours: boolean; lastCommit?: string }> {
  const last = (await gitOk(run, ['log', '-1', '--format=%h %s', '--', file]))?.trim();
  const ourCommit = (await gitOk(run, ['log', '-1', '--format=%H', '--fixed-strings', `--grep=${GENERATED_TRAILER}`, '--', file]))?.trim();
  if (!ourCommit) return { ours: false, lastCommit: last };
  const message = (await gitOk(run, ['log', '-1', '--format=%B', ourCommit])) ?? '';
  if (message.split('\n').some((line) => line.trim() === `merge ${file}`)) return { ours: false, lastCommit: last };
  const ourBlob = (await gitOk(run, ['rev-parse', `${ourCommit}:${file}`]))?.trim();
  const headBlob = (await gitOk(run, ['rev-parse', `HEAD:${file}`]))?.trim();
  if (!ourBlob) return { ours: false, lastCommit: last };
  if (ourBlob === headBlob) return { ours: true, lastCommit: last };
  // Changed since — but perhaps only Wiki.js's own re-export (its dates, its quoting): what a person
  // edits (body, title, description, tags, published) is still exactly what we wrote.
  const ourText = await gitOk(run, ['cat-file', 'blob', ourBlob]);
  const headText = headBlob ? await gitOk(run, ['cat-file', 'blob', headBlob]) : undefined;
  if (ourText === undefined || headText === undefined) return { ours: false, lastCommit: last };
  return { ours: changedFields(fieldsOf(ourText), fieldsOf(headText)).length === 0, lastCommit: last };
}

function fileDiff(file: string, before: string | undefined, after: string | undefined): string {
  return createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${file}`, after === undefined ? '/dev/null' : `b/${file}`, before ?? '', after ?? '', '', '', { context: 3 });
}

function resolveRepo(repo: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/\\]+@[^:]+:/.test(repo)) return repo;
  const local = path.resolve(cwd, repo);
  if (!existsSync(local)) throw new WikiConfigError(`The Git storage repository ${JSON.stringify(repo)} is neither a URL nor an existing folder.`);
  return local;
}

/** The merge of a storage file a person edited, or why it cannot be merged (it is then left alone). */
async function mergeOrKeep(merge: GitMerge, existing: string, page: WikiFilePage): Promise<string | UnreadablePageError | RemovedTextError> {
  try {
    return await merge(existing, page);
  } catch (error) {
    if (error instanceof UnreadablePageError || error instanceof RemovedTextError) return error;
    throw error;
  }
}

/** Runs the Git-storage publish. Per-page conflicts land in the report; git failures throw. */
export async function publishToWikiGit(options: GitPublishOptions): Promise<PublishReport> {
  const prefix = normalizePrefix(options.prefix);
  const generatorTag = (options.generatorTag ?? DEFAULT_GENERATOR_TAG).toLowerCase();
  const prepared = await preparePages(options.pages, { prefix, generatorTag, sourceUrlTemplate: options.sourceUrlTemplate });
  const dir = normalizePrefix(options.dir);
  if (dir.includes('..')) throw new WikiConfigError('The storage folder (dir) must stay inside the repository.');
  const repo = resolveRepo(options.repo, process.cwd());
  const secrets = [/(?<=:\/\/[^/@]*:)[^/@]+(?=@)/.exec(repo)?.[0]].filter((s): s is string => !!s);
  const work = await mkdtemp(path.join(tmpdir(), 'compose-wiki-git-'));
  const run: GitRun = {
    cwd: work,
    env: { ...(options.env ?? process.env), GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    secrets,
  };
  try {
    await git(run, ['init', '-q']);
    await git(run, ['remote', 'add', 'origin', repo]);
    const branch = options.branch ?? (await defaultBranch(run));
    if (!/^[A-Za-z0-9_][A-Za-z0-9._/-]*$/.test(branch) || (await gitOk(run, ['check-ref-format', '--branch', branch])) === undefined) {
      throw new WikiConfigError(`Invalid branch name ${JSON.stringify(branch)}.`);
    }
    for (let attempt = 1; ; attempt++) {
      await git(run, ['fetch', '-q', 'origin']);
      const remoteHasBranch = (await gitOk(run, ['rev-parse', '--verify', '-q', `refs/remotes/origin/${branch}`])) !== undefined;
      if (remoteHasBranch) await git(run, ['checkout', '-q', '-B', branch, `origin/${branch}`]);
      else if (attempt === 1) await git(run, ['checkout', '-q', '--orphan', branch]);
      await git(run, ['reset', '-q', '--hard']).catch(() => undefined);
      await git(run, ['clean', '-q', '-fd']);

      const report = await writePages(run, options, prepared, { dir, prefix, generatorTag });
      if (report.dryRun) return report;
      const touched = report.entries.filter((e) => e.status === 'done').map((e) => fileFor(dir, e.path));
      if (touched.length === 0) {
        report.pushed = false;
        return report;
      }
      await git(run, ['add', '-A', '--', ...touched]);
      const staged = await git(run, ['diff', '--cached', '--quiet']).then(
        () => false,
        (e: { exitCode?: number }) => {
          if (e.exitCode === 1) return true;
          throw e;
        },
      );
      if (!staged) {
        report.pushed = false;
        return report;
      }
      const identity = await commitIdentity(run, options.author);
      await git(run, [...identity, 'commit', '-q', '-F', '-'], commitMessage(report, dir));
      report.commit = (await git(run, ['rev-parse', 'HEAD'])).stdout.trim();
      try {
        await git(run, ['push', '-q', 'origin', `HEAD:refs/heads/${branch}`]);
        report.pushed = true;
        options.onProgress?.(`pushed ${report.commit.slice(0, 12)} to ${branch}`);
        return report;
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? '';
        const raced = /\[rejected\]|non-fast-forward|fetch first|failed to push some refs/i.test(stderr);
        if (!raced || attempt >= 3) throw error;
        options.onProgress?.('the storage repository moved while publishing; starting over from its new tip');
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function fileFor(dir: string, pagePath: string): string {
  return path.posix.join(dir || '.', `${pagePath}.md`).replace(/^\.\//, '');
}

async function defaultBranch(run: GitRun): Promise<string> {
  const out = await gitOk(run, ['ls-remote', '--symref', 'origin', 'HEAD']);
  const m = out ? /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(out) : null;
  return m?.[1] ?? 'main';
}

async function commitIdentity(run: GitRun, author: GitPublishOptions['author']): Promise<string[]> {
  if (author) return ['-c', `user.name=${author.name}`, '-c', `user.email=${author.email}`];
  const email = await gitOk(run, ['config', '--get', 'user.email']);
  const name = await gitOk(run, ['config', '--get', 'user.name']);
  if (email?.trim() && name?.trim()) return [];
  return ['-c', 'user.name=compose-wiki', '-c', 'user.email=compose-wiki@localhost'];
}

function commitMessage(report: PublishReport, dir: string): string {
  const done = report.entries.filter((e) => e.status === 'done');
  const n = (action: string): number => done.filter((e) => e.action === action).length;
  const parts = [
    n('create') && `${n('create')} created`,
    n('update') && `${n('update')} updated`,
    n('merge') && `${n('merge')} merged`,
    n('prune') && `${n('prune')} deleted`,
  ].filter(Boolean);
  const verb: Record<string, string> = { create: 'create', update: 'update', merge: 'merge', prune: 'delete' };
  const lines = done.map((e) => `${verb[e.action] ?? e.action} ${fileFor(dir, e.path)}`);
  return `docs: compose-wiki publish (${parts.join(', ')})\n\n${lines.join('\n')}\n\n${GENERATED_TRAILER}\n`;
}

async function writePages(
  run: GitRun,
  options: GitPublishOptions,
  prepared: readonly PreparedPage[],
  where: { dir: string; prefix: string; generatorTag: string },
): Promise<PublishReport> {
  const report: PublishReport = { target: 'git', dryRun: options.dryRun ?? false, entries: [], writes: 0, notes: [] };
  const write = async (file: string, text: string): Promise<void> => {
    if (report.dryRun) return;
    const abs = path.join(run.cwd, file);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, text);
    report.writes++;
  };

  for (const page of prepared) {
    const file = fileFor(where.dir, page.path);
    const abs = path.join(run.cwd, file);
    const existing = existsSync(abs) ? await readFile(abs, 'utf8') : undefined;
    const text = serializeWikiFile(page, existing === undefined ? undefined : existingDateCreated(existing));
    const entry: PlanEntry = { path: page.path, action: 'create', status: report.dryRun ? 'planned' : 'done' };
    report.entries.push(entry);
    if (existing === undefined) {
      if (options.diff) entry.diff = fileDiff(file, undefined, text);
      await write(file, text);
      continue;
    }
    if (existing === text) {
      entry.action = 'unchanged';
      entry.status = 'skipped';
      continue;
    }
    const local: ComparableFields = { title: page.title, description: page.description, tags: page.tags, published: page.published, content: page.content };
    const changes = changedFields(fieldsOf(existing), local);
    const owner = await writtenByUs(run, file);
    if (owner.ours) {
      entry.action = 'update';
      entry.changes = changes.length > 0 ? changes : ['header'];
      if (options.diff) entry.diff = fileDiff(file, existing, text);
      await write(file, text);
      continue;
    }
    const merged = options.merge ? await mergeOrKeep(options.merge, existing, { path: page.path, file, header: headerOf(page), content: page.content, text }) : undefined;
    if (merged instanceof UnreadablePageError) {
      entry.action = 'conflict';
      entry.status = 'skipped';
      entry.changes = changes;
      entry.note = `edited in Wiki.js, and ${merged.reason} (in the storage file); left as it is. Flatten the nesting in Wiki.js, then publish again.`;
      continue;
    }
    if (merged instanceof RemovedTextError) {
      entry.action = 'conflict';
      entry.status = 'skipped';
      entry.changes = changes;
      entry.note = `edited in Wiki.js, and ${merged.message}; left as it is. Move that text to Operational Notes or under a heading of its own in Wiki.js, then publish again.`;
      continue;
    }
    if (merged !== undefined) {
      if (merged === existing) {
        entry.action = 'unchanged';
        entry.status = 'skipped';
        entry.note = 'edited in Wiki.js; the merge kept it as it is';
        continue;
      }
      entry.action = 'merge';
      entry.changes = changes;
      if (options.diff) entry.diff = fileDiff(file, existing, merged);
      await write(file, merged);
      continue;
    }
    entry.action = 'conflict';
    entry.status = 'skipped';
    entry.changes = changes;
    entry.note =
      `changed since compose-wiki last wrote it (last commit: ${owner.lastCommit ?? 'unknown'}); left as it is. ` +
      'Carry the edit into content/ (or publish with a merge), then publish again.';
    if (options.diff) entry.diff = fileDiff(file, existing, text);
  }

  // Stale generator-tagged files under the prefix.
  const localFiles = new Set(prepared.map((p) => fileFor(where.dir, p.path)));
  const listed = ((await gitOk(run, ['ls-files', '-z'])) ?? '').split('\0').filter((f) => f.endsWith('.md'));
  for (const file of listed.sort()) {
    if (localFiles.has(file)) continue;
    const rel = where.dir ? (file.startsWith(`${where.dir}/`) ? file.slice(where.dir.length + 1) : undefined) : file;
    if (rel === undefined) continue;
    const pagePath = rel.replace(/\.md$/, '');
    if (!underPrefix(pagePath, where.prefix)) continue;
    const text = await readFile(path.join(run.cwd, file), 'utf8');
    if (!wikiFileTags(readWikiFileHeader(text).fields).includes(where.generatorTag)) continue;
    const entry: PlanEntry = { path: pagePath, action: options.prune ? 'prune' : 'would-prune', status: 'skipped' };
    report.entries.push(entry);
    if (!options.prune) {
      entry.note = 'carries the generator tag but no local page has this path; run with --prune to delete it';
      continue;
    }
    const owner = await writtenByUs(run, file);
    if (!owner.ours) {
      entry.action = 'conflict';
      entry.note = `no longer generated, but changed since compose-wiki wrote it (last commit: ${owner.lastCommit ?? 'unknown'}); delete it by hand if it should go`;
      continue;
    }
    if (options.diff) entry.diff = fileDiff(file, text, undefined);
    entry.status = report.dryRun ? 'planned' : 'done';
    if (!report.dryRun) {
      await unlink(path.join(run.cwd, file));
      report.writes++;
    }
  }
  return report;
}
