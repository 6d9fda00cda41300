import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/lib/config/index.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(text: string) {
  const file = path.join(dir, 'compose-wiki.yaml');
  writeFileSync(file, text);
  return loadConfig(file, { cwd: dir, defaultSource: '/default' });
}

function errorOf(text: string): ConfigError {
  try {
    load(text);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('compose-wiki.yaml', () => {
  it('applies defaults and resolves folders against the file', () => {
    const config = load('source: ../homelab\n');
    expect(config.source).toBe(path.resolve(dir, '../homelab'));
    expect(config.content).toBe(path.join(dir, 'content'));
    expect(config.header).toBe('comment');
    expect(config.pages.service).toBe('home/Platform/Stacks/{stack}/{service}');
    expect(load('').source).toBe('/default');
  });

  it('names the line and column of an unknown key, at the key', () => {
    const error = errorOf('tags: [a]\npages:\n  platfrom: x\n');
    expect([error.line, error.column]).toEqual([3, 3]);
    expect(error.message).toContain('unknown key "pages.platfrom"');
  });

  it('names the line and column of a wrong value and says what is expected', () => {
    const error = errorOf('header: sideways\n');
    expect([error.line, error.column]).toEqual([1, 9]);
    expect(error.message).toMatch(/"header": .*comment.*frontmatter/);
    expect(errorOf('stacks:\n  media_serving: { page: "media serving" }\n').message).toMatch(/page folder may contain letters/);
    expect(errorOf('findings:\n  literal-secret: loud\n').line).toBe(2);
  });

  it('reports invalid YAML with its place', () => {
    const error = errorOf('tags: [a\n');
    expect(error.line).toBeGreaterThan(0);
    expect(error.message).toMatch(/invalid YAML/);
  });
});
