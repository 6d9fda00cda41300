/**
 * A temporary copy of the bundled example with its pages generated (through the library:
 * loadProject + renderProject as `generate` calls them, then writePages), for `check` to compare against.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { runCheck, type CheckReport } from '../../src/lib/check/index.ts';
import { loadConfig, type Config, type FindingLevel } from '../../src/lib/config/index.ts';
import { writePages } from '../../src/lib/merge/index.ts';
import { renderFromConfig } from '../../src/lib/pipeline/index.ts';

export const EXAMPLE = fileURLToPath(new URL('../../examples/homelab/', import.meta.url));

/** Fixed dates, so that nothing depends on the clock. */
export const GENERATED_AT = '2026-01-01T00:00:00.000Z';
export const CHECKED_AT = '2026-02-01T00:00:00.000Z';

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export interface Fixture {
  /** Temporary folder holding `homelab/` (the compose repository) and `content/`. */
  readonly root: string;
  readonly source: string;
  readonly content: string;
  config(findings?: Record<string, FindingLevel>): Config;
  /** Reads / writes a compose repository file. */
  readSource(file: string): string;
  writeSource(file: string, text: string): void;
  /** Replaces exactly one occurrence of `from` in a compose file; fails when there is none. */
  editSource(file: string, from: string, to: string): void;
  readPage(file: string): string;
  writePage(file: string, text: string): void;
  check(findings?: Record<string, FindingLevel>): Promise<CheckReport>;
}

let template: Promise<string> | undefined;

/** The example with its pages generated once per test file; each fixture copies it. */
function generatedTemplate(): Promise<string> {
  template ??= (async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cw-check-template-'));
    created.push(root);
    const source = path.join(root, 'homelab');
    cpSync(EXAMPLE, source, { recursive: true });
    const base = loadConfig(undefined, { cwd: root, defaultSource: source });
    // loadProject + renderProject exactly as generate calls them, then writePages.
    const { pages } = await renderFromConfig({ ...base, source });
    await writePages(path.join(root, 'content'), pages, { now: GENERATED_AT, form: base.header });
    return root;
  })();
  return template;
}

/** A temporary copy of the example and its generated pages. */
export async function makeFixture(): Promise<Fixture> {
  const from = await generatedTemplate();
  const root = mkdtempSync(path.join(os.tmpdir(), 'cw-check-'));
  created.push(root);
  cpSync(from, root, { recursive: true });
  const source = path.join(root, 'homelab');
  const content = path.join(root, 'content');
  const base = loadConfig(undefined, { cwd: root, defaultSource: source });
  const config = (findings: Record<string, FindingLevel> = {}): Config => ({ ...base, source, content, findings });
  const at = (dir: string, file: string) => path.join(dir, ...file.split('/'));
  const fixture: Fixture = {
    root,
    source,
    content,
    config,
    readSource: (file) => readFileSync(at(source, file), 'utf8'),
    writeSource: (file, text) => writeFileSync(at(source, file), text),
    editSource: (file, from, to) => {
      const text = fixture.readSource(file);
      if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
      fixture.writeSource(file, text.replace(from, to));
    },
    readPage: (file) => readFileSync(at(content, file), 'utf8'),
    writePage: (file, text) => writeFileSync(at(content, file), text),
    check: async (findings) => (await runCheck(config(findings), { now: CHECKED_AT })).report,
  };
  return fixture;
}

/** Levels that turn the example's deliberate error findings into warnings (drift tests). */
export const WARN_ONLY: Record<string, FindingLevel> = { 'literal-secret': 'warning' };

/** The 1-based line of `needle` in `text`. */
export function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`not found: ${needle}`);
  return text.slice(0, index).split('\n').length;
}
