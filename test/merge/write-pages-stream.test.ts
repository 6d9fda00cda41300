/** writePageStream: pages rendered on demand flow through with a bounded number in flight. */
import { mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IO_CONCURRENCY, writePages } from '../../src/lib/merge/index.ts';
import { forEachLimited, writePageStream } from '../../src/lib/merge/write-pages.ts';
import { WRITE_THREAD_MIN_PAGES } from '../../src/lib/merge/write-queue.ts';
import type { Page } from '../../src/lib/render/index.ts';
import { SERVICE_FACTS, servicePage } from './fixtures.ts';

const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-02-01T00:00:00.000Z';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'compose-wiki-stream-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pageNamed = (index: number) => servicePage({ ...SERVICE_FACTS, name: `svc-${String(index).padStart(2, '0')}` });

describe('writePageStream', () => {
  it('renders each page only when a slot is free, and writes what writePages writes', async () => {
    let rendered = 0;
    let done = 0;
    let most = 0;
    function* lazy(): Generator<Page> {
      for (let i = 0; i < 50; i++) {
        rendered++;
        most = Math.max(most, rendered - done);
        yield pageNamed(i);
      }
    }
    const seen: string[] = [];
    const result = await writePageStream(dir, lazy(), {
      now: T1,
      form: 'comment',
      onPage: (page, index) => {
        done++;
        seen[index] = page.path;
      },
    });
    expect(result.written).toHaveLength(50);
    expect(result.written).toEqual([...result.written].sort());
    expect(most).toBeLessThanOrEqual(IO_CONCURRENCY);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => pageNamed(i).path));

    const other = await mkdtemp(path.join(os.tmpdir(), 'compose-wiki-stream-'));
    try {
      await writePages(other, Array.from({ length: 50 }, (_, i) => pageNamed(i)), { now: T1, form: 'comment' });
      for (const file of result.written) expect(await readFile(path.join(dir, file), 'utf8')).toBe(await readFile(path.join(other, file), 'utf8'));
    } finally {
      await rm(other, { recursive: true, force: true });
    }
    const again = await writePageStream(dir, lazy(), { now: T2, form: 'comment' });
    expect(again.written).toEqual([]);
    expect(again.unchanged).toEqual(result.written);
  });

  it('renders a LazyPage only after its file is read, and merges it before the next await', async () => {
    let rendered = 0;
    let done = 0;
    let most = 0;
    const lazy = Array.from({ length: 30 }, (_, i) => ({
      path: pageNamed(i).path,
      render: () => {
        rendered++;
        most = Math.max(most, rendered - done);
        return pageNamed(i);
      },
    }));
    const result = await writePageStream(dir, lazy, { now: T1, form: 'comment', paths: lazy.map((p) => p.path), onPage: () => done++ });
    expect(result.written).toHaveLength(30);
    expect(rendered).toBe(30);
    // Rendering, merging and dropping a page is one synchronous step: one tree at a time.
    expect(most).toBe(1);
    const again = await writePages(dir, lazy.map((p) => p.render()), { now: T2, form: 'comment' });
    expect(again.written).toEqual([]);
  });

  it('with the planned paths, refuses two pages on one file before writing anything', async () => {
    const page = pageNamed(1);
    function* lazy(): Generator<Page> {
      yield page;
      yield page;
    }
    await expect(writePageStream(dir, lazy(), { now: T1, form: 'comment', paths: [page.path, page.path] })).rejects.toThrow(/two pages/);
    expect(await readdir(dir)).toEqual([]);
    // Without them, the second page still fails.
    await expect(writePageStream(dir, lazy(), { now: T1, form: 'comment' })).rejects.toThrow(/two pages/);
  });
});

describe('writePageStream on the writer thread', () => {
  /** Every file under `root` with its text. */
  async function files(root: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) out.set(path.relative(root, path.join(entry.parentPath, entry.name)), await readFile(path.join(entry.parentPath, entry.name), 'utf8'));
    }
    return out;
  }

  it('writes the same files and reports the same result as on the main thread', async () => {
    const count = WRITE_THREAD_MIN_PAGES + 20;
    const pages = Array.from({ length: count }, (_, i) => pageNamed(i));
    const other = await mkdtemp(path.join(os.tmpdir(), 'compose-wiki-stream-'));
    try {
      // With the planned paths the run is large enough for the writer thread; without, it writes here.
      const threaded = await writePageStream(dir, pages, { now: T1, form: 'comment', paths: pages.map((p) => p.path) });
      const local = await writePageStream(other, pages, { now: T1, form: 'comment' });
      expect(threaded.written).toHaveLength(count);
      expect(threaded).toEqual(local);
      expect(await files(dir)).toEqual(await files(other));
      // A second run over the threaded output changes nothing.
      const again = await writePageStream(dir, pages, { now: T2, form: 'comment', paths: pages.map((p) => p.path) });
      expect(again.written).toEqual([]);
      expect(again.unchanged).toHaveLength(count);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('writePageStream over a content folder it lists once', () => {
  /** The page's file after a person added a note at the end of Operational Notes (the last section). */
  async function withNote(file: string): Promise<string> {
    const before = await readFile(file, 'utf8');
    expect(before.lastIndexOf('\n## ')).toBe(before.indexOf('\n## Operational Notes\n'));
    const text = `${before}- Rotate the key every spring (a person wrote this).\n`;
    await writeFile(file, text);
    return text;
  }

  it('merges a page that sits behind a linked folder (the listing does not follow links)', async () => {
    const first = await writePageStream(dir, [pageNamed(1), pageNamed(2)], { now: T1, form: 'comment' });
    const file = first.written[0] as string;
    await withNote(path.join(dir, file));
    // The page tree's top folder moves elsewhere and a link takes its place.
    const top = file.split('/')[0] as string;
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'compose-wiki-linked-'));
    try {
      await rename(path.join(dir, top), path.join(elsewhere, top));
      await symlink(path.join(elsewhere, top), path.join(dir, top));
      const again = await writePageStream(dir, [pageNamed(1), pageNamed(2)], { now: T2, form: 'comment' });
      expect(again.written).toEqual([]);
      expect(await readFile(path.join(elsewhere, file), 'utf8')).toContain('a person wrote this');
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('writes through a linked page file to its target, and creates the pages that are new', async () => {
    const first = await writePageStream(dir, [pageNamed(1)], { now: T1, form: 'comment' });
    const file = first.written[0] as string;
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'compose-wiki-linked-'));
    try {
      const target = path.join(elsewhere, 'page.md');
      await rename(path.join(dir, file), target);
      await symlink(target, path.join(dir, file));
      await withNote(target);
      await mkdir(path.join(dir, 'unrelated'), { recursive: true });
      const again = await writePageStream(dir, [pageNamed(1), pageNamed(3)], { now: T2, form: 'comment' });
      expect(again.written).toEqual([pageNamed(3).path + '.md']);
      expect(await realpath(path.join(dir, file))).toBe(await realpath(target));
      expect(await readFile(target, 'utf8')).toContain('a person wrote this');
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('forEachLimited', () => {
  it('keeps at most `concurrency` calls in flight, passes positions, and stops at the first error', async () => {
    let active = 0;
    let most = 0;
    const order: number[] = [];
    await forEachLimited([5, 1, 4, 2, 3, 0], 3, async (value, index) => {
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, value));
      order[index] = value;
      active--;
    });
    expect(most).toBe(3);
    expect(order).toEqual([5, 1, 4, 2, 3, 0]);

    const started: number[] = [];
    await expect(
      forEachLimited([1, 2, 3, 4, 5, 6], 1, async (value) => {
        started.push(value);
        if (value === 2) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
  });

  it('lets the calls in flight finish before it rejects, and starts none after the error', async () => {
    const finished: number[] = [];
    const started: number[] = [];
    await expect(
      forEachLimited([1, 2, 3, 4, 5, 6], 3, async (value) => {
        started.push(value);
        if (value === 1) throw new Error('first');
        await new Promise((resolve) => setTimeout(resolve, 20 * value));
        if (value === 3) throw new Error('second');
        finished.push(value);
      }),
    ).rejects.toThrow('first');
    // 2 and 3 were in flight when 1 failed: both ran to their end (3 failing too) before the rejection.
    expect(started).toEqual([1, 2, 3]);
    expect(finished).toEqual([2]);
  });
});
