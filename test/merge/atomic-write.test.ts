import { chmod, lstat, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTextAtomically } from '../../src/lib/merge/atomic-write.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cw-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeTextAtomically', () => {
  it('creates a file and leaves no temporary file behind', async () => {
    const file = path.join(dir, 'page.md');
    await writeTextAtomically(file, 'héllo\n');
    await expect(readFile(file, 'utf8')).resolves.toBe('héllo\n');
    expect(await readdir(dir)).toEqual(['page.md']);
  });

  it('replaces an existing file and keeps its permission bits', async () => {
    const file = path.join(dir, 'page.md');
    await writeFile(file, 'old');
    await chmod(file, 0o600);
    await writeTextAtomically(file, 'new');
    await expect(readFile(file, 'utf8')).resolves.toBe('new');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['page.md']);
  });

  it('writes through a link to its target and keeps the link', async () => {
    const target = path.join(dir, 'real.md');
    const link = path.join(dir, 'link.md');
    await writeFile(target, 'old');
    await symlink('real.md', link);
    await writeTextAtomically(link, 'new');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('real.md');
    await expect(readFile(target, 'utf8')).resolves.toBe('new');
  });

  it('replaces a dangling link with the file', async () => {
    const link = path.join(dir, 'link.md');
    await symlink('missing.md', link);
    await writeTextAtomically(link, 'new');
    expect((await lstat(link)).isFile()).toBe(true);
    await expect(readFile(link, 'utf8')).resolves.toBe('new');
  });

  it('fails without leaving anything when the folder is missing, and when the target is a folder', async () => {
    await expect(writeTextAtomically(path.join(dir, 'nope', 'page.md'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    const folder = path.join(dir, 'folder.md');
    await (await import('node:fs/promises')).mkdir(folder);
    await expect(writeTextAtomically(folder, 'x')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['folder.md']);
  });

  it('keeps every one of many concurrent writes to different files whole', async () => {
    const texts = Array.from({ length: 50 }, (_, i) => `${i}:${'x'.repeat(10_000 + i)}`);
    await Promise.all(texts.map((text, i) => writeTextAtomically(path.join(dir, `p${i}.md`), text)));
    for (const [i, text] of texts.entries()) await expect(readFile(path.join(dir, `p${i}.md`), 'utf8')).resolves.toBe(text);
    expect((await readdir(dir)).length).toBe(50);
  });
});
