/**
 * The fast writer's escaping rules snapshot (src/lib/merge/markdown-rules.ts) against remark: the
 * committed file is what the installed remark gives, it reads back to the same compiled rules, and
 * it is set aside whenever the installed packages are not the ones it was written from.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileRules } from '../../src/lib/merge/markdown-escape.ts';
import { remarkWriterSetup } from '../../src/lib/merge/markdown-remark.ts';
import { ESCAPE_RULES_FILE, installedVersions, readEscapeRules, serializeEscapeRules } from '../../src/lib/merge/markdown-rules.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'cw-markdown-rules-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const live = remarkWriterSetup();
/** A rule as the writer uses it, comparable across setups. */
const shape = ({ regex, pattern, ...rule }: ReturnType<typeof compileRules>[number]) => {
  const { _compiled: _, ...plain } = pattern as typeof pattern & { _compiled?: unknown };
  return { ...rule, pattern: plain, regex: regex.source, flags: regex.flags };
};

describe('the escaping rules snapshot (markdown-rules.generated.json)', () => {
  it('is what the installed remark-stringify and remark-gfm give', () => {
    // When this fails after a dependency update: run `npm run markdown-rules` and commit the file.
    const expected = serializeEscapeRules(live, installedVersions());
    expect(readFileSync(ESCAPE_RULES_FILE, 'utf8') === expected, 'markdown-rules.generated.json is stale: run `npm run markdown-rules`').toBe(true);
  });

  it('reads back to remark\'s own patterns, compiled regexes and options', () => {
    const snapshot = readEscapeRules();
    expect(snapshot).toBeDefined();
    const fromSnapshot = compileRules(snapshot!.unsafe, snapshot!.compilePattern).map(shape);
    const fromRemark = compileRules(live.unsafe, live.compilePattern).map(shape);
    expect(fromSnapshot).toHaveLength(fromRemark.length);
    expect(fromSnapshot).toStrictEqual(fromRemark);
    for (const [key, value] of Object.entries(live.options)) {
      if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) expect(snapshot!.options[key], key).toBe(value);
    }
  });

  it('finds every package that makes the rules where Node resolves it', () => {
    const versions = installedVersions();
    expect(Object.keys(versions)).toHaveLength(9);
    for (const [chain, version] of Object.entries(versions)) {
      // Node's own resolver, package by package along the chain.
      let from = fileURLToPath(new URL('../../src/lib/merge/markdown.ts', import.meta.url));
      let manifest: { name: string; version: string } | undefined;
      for (const name of chain.split(' > ')) {
        let dir = path.dirname(realpathSync(createRequire(from).resolve(name)));
        while (!existsSync(path.join(dir, 'package.json')) || (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== name) dir = path.dirname(dir);
        manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
        from = path.join(dir, 'package.json');
      }
      expect(version, chain).toBe(manifest?.version);
    }
  });

  it('is set aside when an installed package has another version, is missing, or the file is unusable', () => {
    const file = path.join(work, 'rules.json');
    copyFileSync(ESCAPE_RULES_FILE, file);
    const versions = installedVersions();
    expect(readEscapeRules(file, () => versions)).toBeDefined();
    const key = 'remark-stringify > mdast-util-to-markdown';
    expect(readEscapeRules(file, () => ({ ...versions, [key]: '2.99.0' }))).toBeUndefined();
    const { [key]: _, ...missing } = versions;
    expect(readEscapeRules(file, () => missing)).toBeUndefined();
    writeFileSync(file, '{ not json');
    expect(readEscapeRules(file, () => versions)).toBeUndefined();
    expect(readEscapeRules(path.join(work, 'absent.json'), () => versions)).toBeUndefined();
  });
});
