/**
 * The benchmark's own logic (statistics, profile summaries, the report block) and a smoke run of
 * `scripts/bench.ts` on the bundled example. Timings are never asserted: the benchmark measures,
 * tests only check that it can.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stats, writeBlock } from '../../scripts/bench.ts';
import { areaOf, summariseModules, summariseProfile, type CpuProfile } from '../../scripts/bench-profile.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('bench statistics and report', () => {
  it('takes the median and the spread', () => {
    expect(stats([3, 1, 2])).toEqual({ runs: 3, median: 2, min: 1, max: 3 });
    expect(stats([4, 1, 2, 3])).toEqual({ runs: 4, median: 2.5, min: 1, max: 4 });
  });

  it('replaces its marked block and keeps the hand-written text around it', () => {
    const first = writeBlock('# Benchmarks\n\nAnalysis by hand.\n', 'results', 'old figures');
    expect(first).toContain('Analysis by hand.');
    expect(first).toContain('old figures');
    const second = writeBlock(`${first}\n## Diagnosis\n\nMore hand-written text.\n`, 'results', 'new figures');
    expect(second).not.toContain('old figures');
    expect(second).toContain('new figures');
    expect(second).toContain('Analysis by hand.');
    expect(second).toContain('More hand-written text.');
    expect(second.indexOf('new figures')).toBeLessThan(second.indexOf('## Diagnosis'));
  });
});

describe('bench profile summaries', () => {
  const url = (p: string) => pathToFileURL(path.join(REPO, p)).href;
  // root → main (bin) → loadStack (ours) → parse (yaml); main → (garbage collector)
  const profile: CpuProfile = {
    startTime: 0,
    endTime: 10_000,
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, children: [2, 5] },
      { id: 2, callFrame: { functionName: 'main', url: url('bin/compose-wiki.js'), lineNumber: 0, columnNumber: 0 }, children: [3] },
      { id: 3, callFrame: { functionName: 'loadStack', url: url('src/lib/compose/load-stack.ts'), lineNumber: 39, columnNumber: 0 }, children: [4] },
      { id: 4, callFrame: { functionName: 'parse', url: url('node_modules/yaml/dist/parse/parser.js'), lineNumber: 164, columnNumber: 0 } },
      { id: 5, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1, columnNumber: -1 } },
    ],
    samples: [4, 4, 4, 3, 5, 4],
    timeDeltas: [0, 1000, 1000, 1000, 1000, 1000],
  };

  it('attributes self time to functions and areas, and our callers to library time', () => {
    const summary = summariseProfile(profile);
    expect(summary.totalMs).toBe(5);
    const parse = summary.self.find((f) => f.key.startsWith('parse '));
    expect(parse).toMatchObject({ area: 'yaml', ms: 3, from: { key: 'loadStack (src/lib/compose/load-stack.ts:40)', share: 1 } });
    expect(summary.areas.map((a) => a.area)).toEqual(['yaml', 'src/lib/compose', '(gc)']);
    // Inclusive: loadStack holds its own sample and the three parse samples under it.
    expect(summary.inclusive.find((f) => f.key.startsWith('loadStack'))?.ms).toBe(4);
  });

  it('names areas and packages', () => {
    expect(areaOf(url('node_modules/@astrojs/starlight/index.ts'), 'x')).toBe('@astrojs/starlight');
    expect(areaOf(url('src/lib/merge/markdown.ts'), 'x')).toBe('src/lib/merge');
    expect(areaOf('node:fs', 'readFile')).toBe('node:internal');
    expect(areaOf('', '(garbage collector)')).toBe('(gc)');
    const modules = summariseModules([url('node_modules/yaml/dist/index.js'), url('node_modules/yaml/dist/a.js'), url('src/cli/main.ts'), 'node:fs']);
    expect(modules).toEqual({ count: 4, ownFiles: 1, packages: ['yaml'] });
  });
});

describe('npm run bench (smoke)', () => {
  it('measures the example in fresh processes and prints the report without writing it', () => {
    const json = path.join(mkdtempSync(path.join(tmpdir(), 'bench-test-')), 'bench.json');
    created.push(path.dirname(json));
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'bench.ts'), '--only', 'W1', '--runs', '1', '--steps', 'floor,generate,check,edited,drifted', '--no-write', '--json', json], { encoding: 'utf8', cwd: REPO });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('| W1 | floor (read + parseDocument) | 1 |');
    expect(r.stdout).toContain('### Targets');
    const report = JSON.parse(readFileSync(json, 'utf8')) as { results: Array<{ id: string; services: number; steps: Record<string, { wall?: { runs: number } }> }> };
    const w1 = report.results[0];
    expect(w1?.id).toBe('W1');
    expect(w1?.services).toBeGreaterThan(30);
    expect(w1?.steps.floor?.wall?.runs).toBe(1);
    // generate ran once, unless the command is missing or broken, which the report then says.
    const generate = (w1?.steps as Record<string, { wall?: { runs: number }; note?: string }>).generate;
    expect(generate?.wall?.runs === 1 || typeof generate?.note === 'string').toBe(true);
    // Every page edited by hand goes through the merge; generate keeps the edits, so no drift.
    expect(r.stdout).toMatch(/\| W1 \| check \(every page edited by hand\) \| 1 \| .*\| exit 1: 56 pages checked, 0 drifted, 0 citation errors, /);
    // Against compose files whose lines all moved down one, every one of those pages is stale.
    expect(r.stdout).toMatch(/\| W1 \| check \(those pages, compose files changed\) \| 1 \| .*\| exit 1: 56 pages checked, 56 drifted, /);
  }, 300_000);
});
