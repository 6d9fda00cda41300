/**
 * Pages a person edited are parsed by satteri, a native package; where it cannot load (no binary
 * for the platform), remark parses them. Both must give the same pages and the same report: the
 * real binary runs with and without satteri over the same hand-edited pages.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './run-cli.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/homelab/', import.meta.url));
const NO_SATTERI = fileURLToPath(new URL('./no-satteri-hook.mjs', import.meta.url));
const HOOK = fileURLToPath(new URL('../../scripts/bench-modules-hook.ts', import.meta.url));
const work = mkdtempSync(path.join(os.tmpdir(), 'cw-fallback-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const EDITS = [
  '> A quoted note with https://x.example/a and a footnote.[^n]\n\n[^n]: the footnote',
  '- [ ] open task\n- [x] done task\n  1. nested\n  2. ordered',
  '| Port | Why |\n| :-- | --: |\n| 8080 | the `admin\\|ui` |',
  '```sh\ndocker compose restart\n```\n\n<details>\n<summary>more</summary>\n\nhidden\n\n</details>',
];

function run(args: readonly string[], imports: readonly string[], modulesFile?: string) {
  const result = spawnSync(process.execPath, [...imports.flatMap((file) => ['--import', file]), BIN, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1767225600', ...(modulesFile ? { BENCH_MODULES_FILE: modulesFile } : {}) },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every page file under `dir`, by relative path. */
function pages(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.md')).sort()) out.set(file, readFileSync(path.join(dir, file), 'utf8'));
  return out;
}

describe('parsing without satteri', () => {
  it('gives the same pages and the same check report, with remark loaded instead', () => {
    const edited = path.join(work, 'edited');
    expect(run(['generate', '--source', EXAMPLE, '--out', edited, '--quiet'], []).code).toBe(0);
    let i = 0;
    for (const [file, text] of pages(edited)) {
      const edit = EDITS[i++ % EDITS.length];
      writeFileSync(path.join(edited, file), text.replace('\n## Runtime Profile\n', `\n${edit}\n\n## Runtime Profile\n`).concat(`\n## Runbook\n\n${EDITS[i % EDITS.length]}\n`));
    }
    const source = path.join(work, 'source');
    cpSync(EXAMPLE, source, { recursive: true });
    const compose = path.join(source, 'authentik', 'compose.yml');
    writeFileSync(compose, readFileSync(compose, 'utf8').replace('server:2025.8.4', 'server:2025.8.5'));

    const results = [[], [NO_SATTERI]].map((imports, n) => {
      const content = path.join(work, `content-${n}`);
      cpSync(edited, content, { recursive: true });
      const modules = path.join(work, `modules-${n}.json`);
      const check = run(['check', '--source', source, '--content', content, '--format', 'json'], [...imports, HOOK], modules);
      const loaded = JSON.parse(readFileSync(modules, 'utf8')) as string[];
      const generate = run(['generate', '--source', source, '--out', content, '--quiet'], imports);
      return { check, generate, loaded, pages: pages(content), content };
    });
    const [withSatteri, withoutSatteri] = results as [(typeof results)[number], (typeof results)[number]];
    expect(withSatteri.loaded.some((url) => url.includes('/node_modules/satteri/'))).toBe(true);
    expect(withSatteri.loaded.some((url) => url.includes('/node_modules/micromark/'))).toBe(false);
    expect(withoutSatteri.loaded.some((url) => url.includes('/node_modules/satteri/'))).toBe(false);
    expect(withoutSatteri.loaded.some((url) => url.includes('/node_modules/micromark/'))).toBe(true);

    expect(withSatteri.check.code).toBe(1); // the drifted image (and the example's literal secret)
    expect(withoutSatteri.check.code).toBe(withSatteri.check.code);
    const report = (r: (typeof results)[number]) => r.check.stdout.replaceAll(path.basename(r.content), 'CONTENT');
    const lines = (text: string) => text.split('\n');
    expect(lines(report(withoutSatteri))).toEqual(lines(report(withSatteri)));
    expect(withSatteri.generate.code).toBe(0);
    expect(withoutSatteri.generate.code).toBe(0);
    expect([...withoutSatteri.pages]).toEqual([...withSatteri.pages]);
    // The hand-written text is there, merged, in both.
    expect([...withSatteri.pages.values()].filter((text) => text.includes('## Runbook')).length).toBe(withSatteri.pages.size);
  });
});
