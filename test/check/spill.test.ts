/** SpillingText: held text comes back in order, from memory or from its file, and the file goes. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpillingText } from '../../src/lib/check/spill.ts';

const spillDirs = () => new Set(readdirSync(os.tmpdir()).filter((n) => n.startsWith('compose-wiki-check-')));
const newDirs = (before: Set<string>) => [...spillDirs()].filter((n) => !before.has(n));
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
    const [dir] = newDirs(before);
    expect(dir).toBeDefined();
    const file = path.join(os.tmpdir(), dir!, 'held');
    expect(existsSync(file)).toBe(true);
    // Readable and writable by its owner only: the text is a report of a private repository.
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const pieces = [...held.read()];
    expect(pieces.length).toBeGreaterThan(1);
    expect(Buffer.concat(pieces).toString('utf8')).toBe(parts.join(''));
    expect(existsSync(path.join(os.tmpdir(), dir!))).toBe(false);
  });

  it('close removes the file when the text is never read', () => {
    const before = spillDirs();
    const held = new SpillingText(0);
    held.append('x');
    expect(newDirs(before)).toHaveLength(1);
    held.close();
    expect(newDirs(before)).toEqual([]);
    expect(readAll(held)).toBe('');
  });
});
