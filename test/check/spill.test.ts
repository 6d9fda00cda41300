/** SpillingText: held text comes back in order, from memory or from its file, and the file goes. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SpillingText } from '../../src/lib/check/spill.ts';

const spillDirs = () => new Set(readdirSync(os.tmpdir()).filter((n) => n.startsWith('compose-wiki-check-')));
const newDirs = (before: Set<string>) => [...spillDirs()].filter((n) => !before.has(n));
/** This process's open spill file, by its descriptor (Linux's /proc), or undefined. */
function heldFile(): string | undefined {
  if (!existsSync('/proc/self/fd')) return undefined;
  for (const fd of readdirSync('/proc/self/fd')) {
    const link = path.join('/proc/self/fd', fd);
    try {
      if (readlinkSync(link).includes('compose-wiki-check-')) return link;
    } catch {
      // closed meanwhile
    }
  }
  return undefined;
}
const readAll = (held: SpillingText) => Buffer.concat([...held.read()]).toString('utf8');

describe('SpillingText', () => {
  it('keeps small text in memory and gives it back in order', () => {
    const before = spillDirs();
    const held = new SpillingText(1024);
    held.append('one, ');
    held.append('two【F:x†L1-L2】');
    expect(held.spilled).toBe(false);
    expect(newDirs(before)).toEqual([]);
    expect(readAll(held)).toBe('one, two【F:x†L1-L2】');
  });

  it('spills past its threshold to a private file and reads it back whole, characters split across pieces included', () => {
    const before = spillDirs();
    const held = new SpillingText(64);
    // 3-byte characters over more than one read piece (1 MiB), so that some piece ends inside one.
    const parts = Array.from({ length: 400 }, (_, i) => `${i}:${'【†】'.repeat(1000)}\n`);
    for (const part of parts) held.append(part);
    expect(held.spilled).toBe(true);
    if (process.platform !== 'win32') {
      // Open but without a name: it goes with the process, however that ends.
      expect(newDirs(before)).toEqual([]);
      const file = heldFile();
      if (existsSync('/proc/self/fd')) expect(file).toBeDefined();
      // Readable and writable by its owner only: the text is a report of a private repository.
      if (file) expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    const pieces = [...held.read()];
    expect(pieces.length).toBeGreaterThan(1);
    expect(Buffer.concat(pieces).toString('utf8')).toBe(parts.join(''));
    expect(newDirs(before)).toEqual([]);
    expect(heldFile()).toBeUndefined();
  });

  it('leaves nothing behind when the process is killed while the text is held', () => {
    const before = spillDirs();
    const script = `import { SpillingText } from ${JSON.stringify(pathToFileURL(path.resolve('src/lib/check/spill.ts')).href)};
const held = new SpillingText(16);
held.append('x'.repeat(64));
process.stdout.write(held.spilled ? 'spilled' : 'held');
process.kill(process.pid, 'SIGKILL');`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toBe('spilled');
    if (process.platform !== 'win32') expect(newDirs(before)).toEqual([]);
  });

  it('close removes the file when the text is never read', () => {
    const before = spillDirs();
    const held = new SpillingText(0);
    held.append('x');
    expect(held.spilled).toBe(true);
    held.close();
    expect(newDirs(before)).toEqual([]);
    expect(heldFile()).toBeUndefined();
    expect(readAll(held)).toBe('');
  });
});
