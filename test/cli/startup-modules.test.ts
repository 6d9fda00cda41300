/**
 * What a command loads: the common path of `generate` and `check` (no config file, pages new or as
 * the generator wrote them) loads neither zod, nor a Markdown parser or remark, nor the diff
 * library; each is loaded where it is really needed. Runs the real binary with the benchmark's
 * module hook, which sees `import` and `require` alike.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './run-cli.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/homelab/', import.meta.url));
const HOOK = fileURLToPath(new URL('../../scripts/bench-modules-hook.ts', import.meta.url));
const PAGE = 'home/Platform/Stacks/tools/paperless.md';

const work = mkdtempSync(path.join(os.tmpdir(), 'cw-startup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The heavy packages by name, and what each module URL of theirs looks like. */
const HEAVY = {
  zod: /\/node_modules\/zod\//,
  parser: /\/node_modules\/(satteri|@bruits\/satteri[^/]*)\//,
  micromark: /\/node_modules\/(micromark|mdast-util-from-markdown)\//,
  remark: /\/node_modules\/(unified|remark-[^/]+|mdast-util-to-markdown)\//,
  diff: /\/node_modules\/diff\//,
} as const;

/** Runs the CLI in `cwd` with the module hook; returns its exit code and the heavy packages it loaded. */
function run(cwd: string, args: readonly string[]): { code: number; heavy: string[] } {
  const modules = path.join(work, 'modules.json');
  rmSync(modules, { force: true });
  const result = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1767225600', BENCH_MODULES_FILE: modules },
    timeout: 120_000,
  });
  if (result.status !== 0 && result.status !== 1) throw new Error(`compose-wiki ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const urls = JSON.parse(readFileSync(modules, 'utf8')) as string[];
  expect(urls.length).toBeGreaterThan(50); // the hook saw the run
  return { code: result.status, heavy: Object.entries(HEAVY).filter(([, pattern]) => urls.some((url) => pattern.test(url))).map(([name]) => name) };
}

describe('modules loaded by a command', () => {
  it('generate into an empty folder, generate again and check load none of the heavy packages', () => {
    const cwd = mkdtempSync(path.join(work, 'cwd-')); // no compose-wiki.yaml here
    const content = path.join(work, 'content');
    expect(run(cwd, ['generate', '--source', EXAMPLE, '--out', content, '--quiet']).heavy).toEqual([]);
    expect(run(cwd, ['generate', '--source', EXAMPLE, '--out', content, '--quiet']).heavy).toEqual([]);
    // Exit 1: the example keeps one literal secret on purpose (a finding, not a drift).
    expect(run(cwd, ['check', '--source', EXAMPLE, '--content', content]).heavy).toEqual([]);
  });

  it('loads each where it is needed: zod for a config file, the parser for a page a person edited, diff for a drift', () => {
    const cwd = mkdtempSync(path.join(work, 'cwd-'));
    writeFileSync(path.join(cwd, 'compose-wiki.yaml'), `source: ${JSON.stringify(EXAMPLE)}\ncontent: content\n`);
    expect(run(cwd, ['generate', '--quiet']).heavy).toEqual(['zod']);
    const page = path.join(cwd, 'content', PAGE);
    writeFileSync(page, `${readFileSync(page, 'utf8')}\n## Notes of mine\n\nKept by the merge.\n`);
    const other = mkdtempSync(path.join(work, 'cwd-'));
    // A page that is not what the generator writes is parsed (by satteri, not micromark) to be merged;
    // its plain paragraph is compared as remark would write it, by the fast writer, without remark.
    expect(run(other, ['check', '--source', EXAMPLE, '--content', path.join(cwd, 'content')]).heavy).toEqual(['parser']);
    writeFileSync(page, readFileSync(page, 'utf8').replace('# ', '# Renamed '));
    expect(run(other, ['check', '--source', EXAMPLE, '--content', path.join(cwd, 'content')]).heavy).toEqual(['parser', 'diff']);
    // Markdown the fast writer does not model (a block quote) brings remark in to compare it.
    writeFileSync(page, `${readFileSync(page, 'utf8')}\n> A quoted note.\n`);
    expect(run(other, ['check', '--source', EXAMPLE, '--content', path.join(cwd, 'content')]).heavy).toEqual(['parser', 'remark', 'diff']);
  });
});
