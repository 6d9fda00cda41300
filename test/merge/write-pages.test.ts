import { mkdtemp, mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nowFromEnvironment, writePages } from '../../src/lib/merge/index.ts';
import { edit, SERVICE_FACTS, servicePage } from './fixtures.ts';

const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-02-01T00:00:00.000Z';
const LONG_AGO = new Date('2020-01-01T00:00:00Z');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'compose-wiki-merge-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const server = servicePage();
const worker = servicePage({ ...SERVICE_FACTS, name: 'authentik-worker' });
const serverFile = `${server.path}.md`;
const workerFile = `${worker.path}.md`;

describe('writePages', () => {
  it('creates folders and files, then leaves unchanged files untouched (mtime kept)', async () => {
    const first = await writePages(dir, [server, worker], { now: T1, form: 'comment' });
    expect(first).toEqual({ written: [serverFile, workerFile], unchanged: [], orphans: [], unreadable: [], removedText: [] });
    const text = await readFile(path.join(dir, serverFile), 'utf8');
    expect(text.startsWith('<!--\ntitle: authentik-server\n')).toBe(true);

    // Age both files, so that any rewrite would show in mtimeMs.
    for (const file of [serverFile, workerFile]) await utimes(path.join(dir, file), LONG_AGO, LONG_AGO);
    const before = (await stat(path.join(dir, serverFile))).mtimeMs;
    const changedWorker = servicePage({ ...SERVICE_FACTS, name: 'authentik-worker', image: 'ghcr.io/goauthentik/server:2025.10.1' });
    const second = await writePages(dir, [server, changedWorker], { now: T2, form: 'comment' });
    expect(second).toEqual({ written: [workerFile], unchanged: [serverFile], orphans: [], unreadable: [], removedText: [] });
    expect((await stat(path.join(dir, serverFile))).mtimeMs).toBe(before);
    expect((await stat(path.join(dir, workerFile))).mtimeMs).not.toBe(before);
    expect(await readFile(path.join(dir, serverFile), 'utf8')).toBe(text);
    expect(await readFile(path.join(dir, workerFile), 'utf8')).toContain('2025.10.1');
    // No temporary files left behind by the atomic writes.
    expect((await readdir(path.dirname(path.join(dir, workerFile)))).sort()).toEqual(['authentik-server.md', 'authentik-worker.md']);
  });

  it('merges with what a person wrote on disk', async () => {
    await writePages(dir, [server], { now: T1, form: 'frontmatter' });
    const file = path.join(dir, serverFile);
    await writeFile(file, edit(await readFile(file, 'utf8'), '\n## Operational Notes\n', '\n## Contacts\n\nAsk Sam.\n\n## Operational Notes\n'));
    const result = await writePages(dir, [servicePage({ ...SERVICE_FACTS, imageLine: 33 })], { now: T2, form: 'comment' });
    expect(result.written).toEqual([serverFile]);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('## Contacts\n\nAsk Sam.\n');
    expect(text.startsWith('---\n')).toBe(true);
  });

  it('reports page files no page produced, without deleting them, and ignores files without a header', async () => {
    await writePages(dir, [server, worker], { now: T1, form: 'comment' });
    await writeFile(path.join(dir, 'README.md'), '# Generated pages\n');
    await mkdir(path.join(dir, '.git'), { recursive: true });
    await writeFile(path.join(dir, '.git', 'x.md'), '---\ntitle: x\n---\n');
    const result = await writePages(dir, [server], { now: T2, form: 'comment' });
    expect(result).toEqual({ written: [], unchanged: [serverFile], orphans: [workerFile], unreadable: [], removedText: [] });
    expect(await readFile(path.join(dir, workerFile), 'utf8')).toContain('authentik-worker');
  });

  it('refuses two pages for one file and paths that leave the output folder', async () => {
    await expect(writePages(dir, [server, server], { now: T1, form: 'comment' })).rejects.toThrow(/two pages/);
    await expect(writePages(dir, [{ ...server, path: '../escape' }], { now: T1, form: 'comment' })).rejects.toThrow(/inside the output folder/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes many pages with bounded parallelism and the same result every time', async () => {
    const pages = Array.from({ length: 40 }, (_, index) => servicePage({ ...SERVICE_FACTS, name: `svc-${String(index).padStart(2, '0')}` }));
    const first = await writePages(dir, pages, { now: T1, form: 'comment' });
    expect(first.written).toHaveLength(40);
    expect(first.written).toEqual([...first.written].sort());
    const second = await writePages(dir, [...pages].reverse(), { now: T2, form: 'comment' });
    expect(second.unchanged).toEqual(first.written);
    expect(second.written).toEqual([]);
  });
});

describe('nowFromEnvironment', () => {
  it('honours SOURCE_DATE_EPOCH, with milliseconds', () => {
    expect(nowFromEnvironment({ SOURCE_DATE_EPOCH: '1760864262' })).toBe('2025-10-19T08:57:42.000Z');
  });

  it('uses the clock when SOURCE_DATE_EPOCH is unset or empty', () => {
    const clock = () => new Date('2026-05-06T07:08:09.123Z');
    expect(nowFromEnvironment({}, clock)).toBe('2026-05-06T07:08:09.123Z');
    expect(nowFromEnvironment({ SOURCE_DATE_EPOCH: '' }, clock)).toBe('2026-05-06T07:08:09.123Z');
    expect(nowFromEnvironment({})).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('rejects a malformed SOURCE_DATE_EPOCH', () => {
    expect(() => nowFromEnvironment({ SOURCE_DATE_EPOCH: '2025-10-19' })).toThrow(/SOURCE_DATE_EPOCH/);
  });
});
