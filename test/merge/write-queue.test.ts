/** The write queue, on the main thread and on a writer thread: same files, same errors, bounded backlog. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWriteQueue, WRITE_BACKLOG, WRITE_THREAD_MIN_PAGES } from '../../src/lib/merge/write-queue.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'compose-wiki-queue-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under `dir`, relative, sorted. */
const filesIn = (root: string) =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();

describe.each([
  ['on the main thread', 1],
  ['on a writer thread', WRITE_THREAD_MIN_PAGES],
])('createWriteQueue %s', (_, pages) => {
  it('writes every text handed over, in its folder, and reports each once', async () => {
    const seen: string[] = [];
    const queue = createWriteQueue(pages, (target) => seen.push(target));
    const targets = Array.from({ length: 300 }, (_, i) => path.join(dir, `stack-${i % 7}`, `page-${i}.md`));
    for (const [i, target] of targets.entries()) await queue.write(target, `# Page ${i}\n`, true);
    await queue.close();
    expect(seen.sort()).toEqual([...targets].sort());
    for (const [i, target] of targets.entries()) expect(readFileSync(target, 'utf8')).toBe(`# Page ${i}\n`);
  });

  it('keeps no more than WRITE_BACKLOG texts waiting', async () => {
    let answered = 0;
    const queue = createWriteQueue(pages, () => answered++);
    let most = 0;
    for (let i = 0; i < WRITE_BACKLOG * 3; i++) {
      await queue.write(path.join(dir, `p-${i}.md`), 'x'.repeat(4096), true);
      most = Math.max(most, i + 1 - answered);
    }
    await queue.close();
    expect(answered).toBe(WRITE_BACKLOG * 3);
    expect(most).toBeLessThanOrEqual(WRITE_BACKLOG + 1);
  });

  it('rejects with the first error and its code, writes nothing after it, and leaves no temporary file', async () => {
    const queue = createWriteQueue(pages, () => undefined);
    // A file where a folder must go.
    writeFileSync(path.join(dir, 'blocked'), 'not a folder\n');
    await queue.write(path.join(dir, 'ok', 'first.md'), 'first\n', true);
    let rejected: unknown;
    try {
      await queue.write(path.join(dir, 'blocked', 'page.md'), 'never\n', true);
      for (let i = 0; i < WRITE_BACKLOG * 2; i++) await queue.write(path.join(dir, 'late', `p-${i}.md`), 'late\n', true);
    } catch (error) {
      rejected = error;
    }
    const closed = await queue.close().then(() => undefined, (error: unknown) => error);
    const error = (rejected ?? closed) as NodeJS.ErrnoException;
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toMatch(/^(EEXIST|ENOTDIR)$/);
    expect(error.message).toContain('blocked');
    expect(closed).toBeDefined();
    const files = filesIn(dir);
    expect(files.filter((file) => file.endsWith('.tmp'))).toEqual([]);
    // Nothing handed over after the error came back was written.
    expect(files.filter((file) => file.startsWith('late')).length).toBeLessThan(WRITE_BACKLOG * 2);
    expect(readFileSync(path.join(dir, 'ok', 'first.md'), 'utf8')).toBe('first\n');
  });

  it('keeps the permission bits of a file it replaces', async () => {
    mkdirSync(path.join(dir, 'kept'));
    const target = path.join(dir, 'kept', 'page.md');
    writeFileSync(target, 'old\n', { mode: 0o640 });
    const queue = createWriteQueue(pages, () => undefined);
    await queue.write(target, 'new\n', false);
    await queue.close();
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect((await import('node:fs')).statSync(target).mode & 0o777).toBe(0o640);
  });
});

describe('the writer thread in a process with a compile cache (as the CLI runs)', () => {
  const queueModule = pathToFileURL(path.resolve(import.meta.dirname, '../../src/lib/merge/write-queue.ts')).href;
  /** Runs a process that turns the cache on, writes two pages (one into a blocked folder) and reports. */
  const run = (cache: string, pages: number) => {
    const script = `
      import module from 'node:module';
      import { writeFileSync } from 'node:fs';
      import path from 'node:path';
      module.enableCompileCache(${JSON.stringify(cache)});
      const { createWriteQueue } = await import(${JSON.stringify(queueModule)});
      const out = ${JSON.stringify(dir)};
      writeFileSync(path.join(out, 'blocked'), 'not a folder\\n');
      const queue = createWriteQueue(${pages}, () => undefined);
      await queue.write(path.join(out, 'ok', 'page.md'), 'written\\n', true);
      await queue.write(path.join(out, 'blocked', 'page.md'), 'never\\n', true).catch(() => undefined);
      const error = await queue.close().then(() => undefined, (e) => e.code);
      console.log(JSON.stringify({ error }));
    `;
    const file = path.join(dir, 'run.mjs');
    writeFileSync(file, script);
    // Node's switch is "set at all", so it is left out rather than emptied.
    const { NODE_DISABLE_COMPILE_CACHE: _off, ...env } = process.env;
    const child = spawnSync(process.execPath, [file], { encoding: 'utf8', env });
    expect(child.stderr).toBe('');
    return JSON.parse(child.stdout) as { error?: string };
  };
  const entries = (cache: string) => readdirSync(cache, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(cache, e.parentPath));

  it('writes and reports errors, and the thread keeps its compiled modules in the same cache', () => {
    const mainOnly = path.join(dir, 'cache-main');
    const withThread = path.join(dir, 'cache-thread');
    expect(run(mainOnly, 1).error).toMatch(/^(EEXIST|ENOTDIR)$/);
    rmSync(path.join(dir, 'ok'), { recursive: true });
    expect(run(withThread, WRITE_THREAD_MIN_PAGES).error).toMatch(/^(EEXIST|ENOTDIR)$/);
    expect(readFileSync(path.join(dir, 'ok', 'page.md'), 'utf8')).toBe('written\n');
    // One versioned folder, the process's own (not one nested inside it), holding the thread's
    // modules besides the process's: the thread does not compile them anew next time.
    const folders = new Set(entries(withThread));
    expect([...folders]).toEqual([...new Set(entries(mainOnly))]);
    expect(entries(withThread).length).toBeGreaterThan(entries(mainOnly).length);
  });
});
