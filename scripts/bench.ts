/**
 * `npm run bench`: how fast `compose-wiki generate`, `check` and the site build are, on the
 * bundled example (W1) and on synthetic homelabs of 100 (W2) and 1,000 (W3) stacks written by
 * scripts/synth-homelab.ts into a temporary folder.
 *
 * Every measurement is a fresh process (`node bin/compose-wiki.js …` with this Node), repeated;
 * the report gives the median and the spread (min–max) of wall time and peak RSS (GNU time's
 * `%M`, else `process.resourceUsage().maxRSS` through scripts/bench-rss-hook.ts). Per workload:
 *
 * - floor:    a process that only reads the files the loader reads and `yaml.parseDocument`s the
 *             compose files with a LineCounter (scripts/bench-floor.ts);
 * - generate: into an empty folder;
 * - no-op:    generate again with nothing changed; every file's mtime must be unchanged;
 * - check:    against the pages just generated (skipped with a note while there is no command);
 * - edited:   check again once every page carries a section a person wrote (see `editByHand`), so
 *             that every page goes through the merge, as on a wiki people write in;
 * - drifted:  check those pages against the compose files with an empty line added at the top of
 *             each (see `driftedSource`): every page a person edited is stale, as in a pull request
 *             that changes compose files under a wiki people write in.
 *
 * Plus the W2 site build (cold Astro build of the real site) beside two baselines over the same
 * Markdown (scripts/bench-baselines.ts): bare Astro (glob loader, one page route) and bare
 * Starlight.
 *
 *   npm run bench                         everything, results into BENCHMARKS.md
 *   npm run bench -- --only W1,W2 --runs 2
 *   npm run bench -- --only W3 --steps floor,generate --runs 1
 *   npm run bench -- --only W2,W3 --profile        also CPU profiles (node --cpu-prof) + module lists
 *   npm run bench -- --only W2,W3,site --profile-only   only the profiles (the Results block is kept)
 *   npm run bench -- --wait-load 1.5               wait (up to --wait-max minutes) for a quiet machine
 *   npm run bench -- --no-write --json out.json    print only / also write the raw figures
 *   npm run bench -- --tmp ~/bench-tmp             work elsewhere than the system temp folder
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { profileMarkdown, setSourceRoot, summariseModules, summariseProfile, type CpuProfile } from './bench-profile.ts';
import { bareAstroProject, bareStarlightProject } from './bench-baselines.ts';
import { countServices, synthHomelab, writeTree } from './synth-homelab.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The code measured: a snapshot of the working tree (see `snapshotRepository`), or REPO itself. */
let CODE = REPO;
let CLI = path.join(REPO, 'bin', 'compose-wiki.js');
let FLOOR = path.join(REPO, 'scripts', 'bench-floor.ts');
let ASTRO = path.join(REPO, 'scripts', 'bench-astro.ts');
/** Pagefind's command line (a Node wrapper that runs its binary), as installed (hoisted) with Starlight. */
const PAGEFIND = path.join(REPO, 'node_modules', 'pagefind', 'lib', 'runner', 'bin.cjs');
const RSS_HOOK = pathToFileURL(path.join(REPO, 'scripts', 'bench-rss-hook.ts')).href;
const MODULES_HOOK = pathToFileURL(path.join(REPO, 'scripts', 'bench-modules-hook.ts')).href;
const NODE = process.execPath;
const REPORT = path.join(REPO, 'BENCHMARKS.md');

/** Targets of issue 8 (2-core machine). */
export const TARGETS = {
  w2GenerateSeconds: 1.5,
  w2CheckSeconds: 1.5,
  pipelineOverFloor: 3,
  w3OverW2: 12,
  peakRssMiB: 1024,
  siteOverBare: 1.3,
} as const;

type WorkloadId = 'W1' | 'W2' | 'W3';
type Step = 'floor' | 'generate' | 'noop' | 'check' | 'edited' | 'drifted';
/** The steps of a workload, in the order they run and are reported. */
const STEPS: readonly Step[] = ['floor', 'generate', 'noop', 'check', 'edited', 'drifted'];

interface Sample {
  readonly wall: number;
  readonly rssKiB: number;
  /** User + system CPU seconds of the process (and the children it waited for). */
  readonly cpu: number;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Stats {
  readonly runs: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

interface StepResult {
  readonly wall?: Stats;
  readonly rss?: Stats;
  readonly cpu?: Stats;
  readonly codes: number[];
  readonly note?: string;
  /** no-op only: files whose mtime, size or presence changed, per run. */
  readonly changed?: number[];
}

interface WorkloadResult {
  readonly id: WorkloadId;
  readonly label: string;
  readonly stacks: number;
  readonly services: number;
  readonly files: number;
  readonly lines: number;
  pages?: number;
  readonly steps: Partial<Record<Step, StepResult>>;
}

type SiteBuild = StepResult & { pages?: number; outputMiB?: number };

interface SiteResult {
  readonly site?: SiteBuild;
  /** Starlight alone over the same pages (scripts/bench-baselines.ts). */
  readonly starlight?: SiteBuild;
  readonly bare?: SiteBuild;
  /**
   * Pagefind indexing the bare Astro output: what search alone adds to the bare build, since any
   * site that meets the site issue (search over all pages) runs it.
   */
  readonly pagefind?: SiteBuild;
  readonly note?: string;
}

export function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? NaN : n % 2 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
  return { runs: n, median, min: sorted[0] ?? NaN, max: sorted[n - 1] ?? NaN };
}

// ---------------------------------------------------------------------------------------------
// Running a fresh process

let TMP = '';
let counter = 0;
let TIME: string | undefined;

/** What a snapshot copies (node_modules is linked, not copied). */
const SNAPSHOT_ENTRIES = ['bin', 'src', 'scripts', 'public', 'package.json', 'tsconfig.json', 'astro.config.mjs'];

/**
 * Copies the code of the working tree into `dir`, so that a run of several minutes measures one
 * state of the code even while people edit it, and points CLI, FLOOR and ASTRO there.
 */
function snapshotRepository(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const entry of SNAPSHOT_ENTRIES) {
    const from = path.join(REPO, entry);
    if (existsSync(from)) cpSync(from, path.join(dir, entry), { recursive: true, filter: (src) => !/[\\/](_scratch|\.astro|dist)([\\/]|$)/.test(path.relative(REPO, src)) });
  }
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  CODE = dir;
  CLI = path.join(dir, 'bin', 'compose-wiki.js');
  FLOOR = path.join(dir, 'scripts', 'bench-floor.ts');
  ASTRO = path.join(dir, 'scripts', 'bench-astro.ts');
  setSourceRoot(dir);
}

function findGnuTime(): string | undefined {
  for (const candidate of ['/usr/bin/time', '/bin/time']) {
    if (!existsSync(candidate)) continue;
    const probe = path.join(TMP, 'time-probe.txt');
    const r = spawnSync(candidate, ['-f', '%M', '-o', probe, NODE, '-e', ''], { encoding: 'utf8' });
    if (r.status === 0 && existsSync(probe) && /^\d+\s*$/.test(readFileSync(probe, 'utf8'))) return candidate;
  }
  return undefined;
}

const BASE_ENV: NodeJS.ProcessEnv = (() => {
  const env: NodeJS.ProcessEnv = { ...process.env, SOURCE_DATE_EPOCH: '1767225600', NO_COLOR: '1', ASTRO_TELEMETRY_DISABLED: '1' };
  delete env.NODE_OPTIONS;
  delete env.FORCE_COLOR;
  return env;
})();

/** Runs `node ...args` in a fresh process; wall time from spawn to exit, peak RSS of the process. */
function run(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[] }): Sample {
  const rssFile = path.join(TMP, `rss-${counter++}.txt`);
  const env: NodeJS.ProcessEnv = { ...BASE_ENV, ...options.env };
  let command: string;
  let argv: string[];
  if (TIME) {
    command = TIME;
    argv = ['-f', '%M %U %S', '-o', rssFile, NODE, ...(options.nodeArgs ?? []), ...args];
  } else {
    command = NODE;
    argv = ['--import', RSS_HOOK, ...(options.nodeArgs ?? []), ...args];
    env.BENCH_RSS_FILE = rssFile;
  }
  const started = performance.now();
  const result = spawnSync(command, argv, { cwd: options.cwd, env, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: 20 * 60 * 1000 });
  const wall = (performance.now() - started) / 1000;
  guardWorkspace();
  // GNU time writes "Command exited with non-zero status N" before the figure when N != 0.
  const rssText = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '' : '';
  rmSync(rssFile, { force: true });
  const [rss, user, sys] = rssText.split(/\s+/).map(Number);
  return {
    wall,
    rssKiB: rss || NaN,
    cpu: user !== undefined && sys !== undefined && !Number.isNaN(user + sys) ? user + sys : NaN,
    code: result.status ?? (result.signal ? 128 : -1),
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? `${result.error ?? ''}`,
  };
}

/** Stops the run when something deleted the benchmark's folder under it (a /tmp clean-up, say). */
function guardWorkspace(): void {
  if (!existsSync(TMP) || !existsSync(CLI) || !existsSync(FLOOR)) {
    throw new Error(`the benchmark's folder ${TMP} (or the code snapshot in it) was deleted during the run, by another process; rerun with --tmp DIR pointing at a folder nobody cleans`);
  }
}

function excerpt(text: string, lines = 6): string {
  return text.trim().split('\n').slice(0, lines).join(' / ').slice(0, 400);
}

/** path → `mtimeNs:size` of every file below `dir`. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const info = statSync(file, { bigint: true });
    out.set(path.relative(dir, file), `${info.mtimeNs}:${info.size}`);
  }
  return out;
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [file, stamp] of after) if (before.get(file) !== stamp) changed.push(file);
  for (const file of before.keys()) if (!after.has(file)) changed.push(file);
  return changed.sort();
}

function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  return total;
}

function countFiles(dir: string, suffix = '.md'): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(suffix)).length;
}

function commandExists(name: string, flag: string): boolean {
  const r = spawnSync(NODE, [CLI, name, '--help'], { cwd: TMP, env: BASE_ENV, encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes(flag);
}

// ---------------------------------------------------------------------------------------------
// Workloads

interface Workload {
  readonly id: WorkloadId;
  readonly label: string;
  readonly source: string;
  readonly runs: number;
}

interface FileList {
  readonly files: ReadonlyArray<{ path: string; kind: string }>;
  readonly stacks: number;
  readonly services: number;
  readonly errors?: number;
}

/** The files the loader reads (asked from the loader itself; a glob when the loader fails). */
function listFiles(source: string, listPath: string): FileList {
  const r = spawnSync(NODE, [FLOOR, '--root', source, '--list'], { cwd: TMP, env: BASE_ENV, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let list: FileList;
  if (r.status === 0) list = JSON.parse(r.stdout) as FileList;
  else {
    process.stderr.write(`  (the loader failed to list the files, globbing instead: ${excerpt(r.stderr, 2)})\n`);
    const files = readdirSync(source, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && (/\.ya?ml$/.test(e.name) || /^\.env/.test(e.name) || e.name.endsWith('.env')))
      .map((e) => path.relative(source, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
      .map((p) => ({ path: p, kind: /\.ya?ml$/.test(p) ? 'compose' : 'env' }));
    list = { files, stacks: NaN, services: NaN };
  }
  writeFileSync(listPath, JSON.stringify(list));
  return list;
}

function lineCount(source: string, list: FileList): number {
  let lines = 0;
  for (const f of list.files) lines += readFileSync(path.join(source, f.path), 'utf8').split('\n').length - 1;
  return lines;
}

async function benchWorkload(w: Workload, flags: { check: boolean; generate: boolean; steps: ReadonlySet<Step> }, keepContent: (dir: string) => void): Promise<WorkloadResult> {
  const listPath = path.join(TMP, `${w.id}-files.json`);
  const list = listFiles(w.source, listPath);
  const result: WorkloadResult = {
    id: w.id, label: w.label, stacks: list.stacks, services: list.services, files: list.files.length, lines: lineCount(w.source, list), steps: {},
  };
  process.stdout.write(`${w.id}: ${w.label}: ${list.stacks} stacks, ${list.services} services, ${list.files.length} files, ${result.lines} lines; ${w.runs} runs\n`);
  const samples: Record<Step, Sample[]> = { floor: [], generate: [], noop: [], check: [], edited: [], drifted: [] };
  const changed: number[] = [];
  const notes: Partial<Record<Step, string>> = {};
  if (!flags.generate) notes.generate = notes.noop = 'no `generate` command';
  if (!flags.check) notes.check = notes.edited = notes.drifted = 'no `check` command yet';
  else if (!flags.steps.has('check')) notes.check = 'not asked for (--steps)';
  if (flags.check && !flags.steps.has('edited')) notes.edited = 'not asked for (--steps)';
  if (flags.check && !(flags.steps.has('edited') && flags.steps.has('drifted'))) notes.drifted = 'not asked for (--steps: needs edited)';
  const drifted = flags.check && flags.steps.has('edited') && flags.steps.has('drifted') ? driftedSource(w.source, list, path.join(TMP, `${w.id}-drifted`)) : undefined;
  let lastContent = '';
  let checkFailed = !flags.check;
  // Interleaved (floor, generate, no-op, check per round) so that load noise hits each step alike.
  for (let round = 0; round < w.runs; round++) {
    const floor = run([FLOOR, '--root', w.source, '--files', listPath], { cwd: TMP });
    if (floor.code !== 0) throw new Error(`${w.id} floor failed: ${excerpt(floor.stderr)}`);
    samples.floor.push(floor);
    if (!flags.generate || notes.generate || !flags.steps.has('generate')) continue;

    const content = path.join(TMP, `${w.id}-content-${round}`);
    mkdirSync(content, { recursive: true });
    const generate = run([CLI, 'generate', '--source', w.source, '--out', content, '--quiet'], { cwd: TMP });
    if (generate.code !== 0 && generate.code !== 1) {
      notes.generate = `generate failed (exit ${generate.code}): ${excerpt(generate.stderr)}`;
      notes.noop = notes.check = 'skipped: generate failed';
      continue;
    }
    samples.generate.push(generate);
    result.pages = countFiles(content);

    const before = snapshot(content);
    const noop = flags.steps.has('noop') ? run([CLI, 'generate', '--source', w.source, '--out', content, '--quiet'], { cwd: TMP }) : undefined;
    if (!noop) notes.noop = 'not asked for (--steps)';
    else if (noop.code !== 0 && noop.code !== 1) notes.noop = `no-op generate failed (exit ${noop.code}): ${excerpt(noop.stderr)}`;
    else {
      samples.noop.push(noop);
      const diff = changedFiles(before, snapshot(content));
      changed.push(diff.length);
      if (diff.length > 0 && !notes.noop) notes.noop = `rewrote ${diff.length} file(s), e.g. ${diff.slice(0, 3).join(', ')}`;
    }

    /** Runs `check` as step `step`: its sample and summary line, or why it failed. True when it ran. */
    const checkStep = (step: 'check' | 'edited' | 'drifted', source: string): boolean => {
      const sample = run([CLI, 'check', '--source', source, '--content', content], { cwd: TMP });
      if (sample.code !== 0 && sample.code !== 1) {
        notes[step] = `check failed (exit ${sample.code}): ${excerpt(sample.stderr || sample.stdout)}`;
        return false;
      }
      samples[step].push(sample);
      // The summary line ("N pages checked, 0 drifted, …") says whether the pages were current.
      const summary = sample.stdout.trim().split('\n').filter((l) => /pages? checked/.test(l)).pop() ?? excerpt(sample.stdout, 1);
      notes[step] = `exit ${sample.code}: ${summary.slice(0, 160)}`;
      return true;
    };
    if (flags.check && !checkFailed && flags.steps.has('check')) checkFailed = !checkStep('check', w.source);
    if (flags.check && !checkFailed && flags.steps.has('edited')) {
      editByHand(content);
      if (checkStep('edited', w.source) && drifted) checkStep('drifted', drifted);
    }
    if (lastContent) rmSync(lastContent, { recursive: true, force: true });
    lastContent = content;
    process.stdout.write(`  round ${round + 1}: floor ${floor.wall.toFixed(2)}s, generate ${generate.wall.toFixed(2)}s, no-op ${noop ? `${noop.wall.toFixed(2)}s` : '–'}${samples.check.length > round ? `, check ${samples.check[round]?.wall.toFixed(2)}s` : ''}${samples.edited.length > round ? `, check edited ${samples.edited[round]?.wall.toFixed(2)}s` : ''}${samples.drifted.length > round ? `, drifted ${samples.drifted[round]?.wall.toFixed(2)}s` : ''}\n`);
  }
  if (lastContent) keepContent(lastContent);
  for (const step of STEPS) {
    const s = samples[step];
    result.steps[step] = {
      ...(s.length ? { wall: stats(s.map((x) => x.wall)), rss: stats(s.map((x) => x.rssKiB / 1024)), cpu: stats(s.map((x) => x.cpu)) } : {}),
      codes: s.map((x) => x.code),
      ...(notes[step] ? { note: notes[step] } : {}),
      ...(step === 'noop' ? { changed } : {}),
    };
  }
  return result;
}

/**
 * What a person adds to a page, written into every page under `content`: a section of their own
 * with a list, a link and a block quote (which the fast Markdown writer does not model, so the
 * merge compares it through remark). `generate` keeps it, so `check` then finds no drift, but
 * every page is merged instead of matching the generated text byte for byte.
 */
function editByHand(content: string): void {
  for (const entry of readdirSync(content, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, `${text}\n## Operator notes\n\n- Checked by hand after the last upgrade; the runbook is at https://wiki.example.home/runbook.\n- Keep its data on the SSD pool.\n\n> Ask before restarting it during the day.\n`);
  }
}

/**
 * A copy of `source` in `target` with an empty line added at the top of every compose file: each
 * line below moves down one, so every citation of every page is stale, and `check` reports every
 * page as drift and merges it with what generate would now write (the path of a pull request that
 * changes compose files under a wiki people write in). Made once per workload.
 */
function driftedSource(source: string, list: FileList, target: string): string {
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true });
  for (const file of list.files) {
    if (file.kind !== 'compose') continue;
    const at = path.join(target, file.path);
    writeFileSync(at, `\n${readFileSync(at, 'utf8')}`);
  }
  return target;
}

// ---------------------------------------------------------------------------------------------
// Site

function benchSite(content: string, source: string, runs: number): SiteResult {
  if (!existsSync(path.join(REPO, 'astro.config.mjs')) || !existsSync(path.join(REPO, 'src', 'content.config.ts'))) {
    return { note: 'no site yet (astro.config.mjs / src/content.config.ts missing)' };
  }
  const kinds = ['site', 'starlight', 'bare'] as const;
  type Kind = (typeof kinds)[number];
  const bare = path.join(TMP, 'bare-astro');
  bareAstroProject(bare, content, path.join(REPO, 'node_modules'));
  // Inside the repository (git-ignored), removed at the end: see scripts/bench-baselines.ts.
  const starlight = path.join(REPO, '.bench', 'bare-starlight');
  bareStarlightProject(starlight, content, REPO);
  const roots: Record<Kind, string> = { site: REPO, starlight: REPO, bare };
  const samples: Record<Kind | 'pagefind', Sample[]> = { site: [], starlight: [], bare: [], pagefind: [] };
  const pages: Record<Kind, number> = { site: 0, starlight: 0, bare: 0 };
  const output: Record<Kind, number> = { site: 0, starlight: 0, bare: 0 };
  const notes: Partial<Record<Kind | 'pagefind', string>> = {};
  process.stdout.write(`site: W2 pages (${countFiles(content)} Markdown files); ${runs} cold builds each\n`);
  try {
    for (let round = 0; round < runs; round++) {
      for (const kind of kinds) {
        if (notes[kind]) continue;
        const out = path.join(TMP, `${kind}-dist-${round}`);
        const cache = path.join(TMP, `${kind}-cache-${round}`);
        // The site builds in place: Astro resolves Starlight's components wrongly through the
        // snapshot's symlinked node_modules (its own outDir and cacheDir keep it apart all the same).
        const root = roots[kind];
        const env = kind === 'site' ? { COMPOSE_WIKI_CONTENT: content, COMPOSE_WIKI_SOURCE: source, COMPOSE_WIKI_OUT_DIR: out } : {};
        const config = kind === 'starlight' ? ['--config', path.join(starlight, 'astro.config.mjs')] : [];
        const r = run([ASTRO, '--root', root, '--out', out, '--cache', cache, ...config], { cwd: root, env });
        if (r.code !== 0) notes[kind] = `build failed (exit ${r.code}): ${excerpt(r.stderr || r.stdout)}`;
        else {
          samples[kind].push(r);
          const line = r.stdout.trim().split('\n').pop() ?? '{}';
          output[kind] = dirBytes(out) / 1024 ** 2;
          try {
            pages[kind] = (JSON.parse(line) as { pages: number }).pages;
          } catch {
            // the build printed something else last; the page count stays unknown
          }
        }
        process.stdout.write(`  round ${round + 1}: ${kind} ${r.code === 0 ? `${r.wall.toFixed(1)}s, ${(r.rssKiB / 1024).toFixed(0)} MB` : 'failed'}\n`);
        if (kind === 'bare' && r.code === 0 && !notes.pagefind && !existsSync(PAGEFIND)) notes.pagefind = 'Pagefind is not installed';
        if (kind === 'bare' && r.code === 0 && !notes.pagefind) {
          // The same Pagefind Starlight runs, as its command line, over the bare pages.
          const p = run([PAGEFIND, '--site', out], { cwd: root });
          if (p.code !== 0) notes.pagefind = `Pagefind failed (exit ${p.code}): ${excerpt(p.stderr || p.stdout)}`;
          else samples.pagefind.push(p);
          process.stdout.write(`  round ${round + 1}: Pagefind over bare Astro ${p.code === 0 ? `${p.wall.toFixed(1)}s, ${(p.rssKiB / 1024).toFixed(0)} MB` : 'failed'}\n`);
        }
        rmSync(out, { recursive: true, force: true });
        rmSync(cache, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(path.join(REPO, '.bench'), { recursive: true, force: true });
  }
  const toResult = (kind: Kind | 'pagefind'): SiteBuild => {
    const s = samples[kind];
    return {
      ...(s.length ? { wall: stats(s.map((x) => x.wall)), rss: stats(s.map((x) => x.rssKiB / 1024)), cpu: stats(s.map((x) => x.cpu)) } : {}),
      codes: s.map((x) => x.code),
      ...(notes[kind] ? { note: notes[kind] } : {}),
      ...(kind !== 'pagefind' && pages[kind] ? { pages: pages[kind] } : {}),
      ...(kind !== 'pagefind' && output[kind] ? { outputMiB: output[kind] } : {}),
    };
  };
  return { site: toResult('site'), starlight: toResult('starlight'), bare: toResult('bare'), pagefind: toResult('pagefind') };
}

// ---------------------------------------------------------------------------------------------
// Profiles

type ProfiledCommand = 'generate' | 'noop' | 'check' | 'site';

interface ProfileResult {
  readonly workload: WorkloadId;
  readonly command: ProfiledCommand;
  readonly file: string;
  readonly wall: number;
  readonly markdown: string;
  readonly modules: ReturnType<typeof summariseModules>;
}

const PROFILE_LABEL: Record<ProfiledCommand, string> = {
  generate: 'generate (empty folder)',
  noop: 'generate (no change)',
  check: 'check',
  site: 'site build (astro build)',
};

/** One run of a command under `node --cpu-prof` and the module-recording hook. */
function profileCommand(w: Workload, command: ProfiledCommand, content: string, dir: string): ProfileResult | undefined {
  const name = `${command}-${w.id}.cpuprofile`;
  const modulesFile = path.join(TMP, `${command}-${w.id}-modules.json`);
  let args: string[];
  let cwd = TMP;
  let env: NodeJS.ProcessEnv = {};
  if (command === 'check') args = [CLI, 'check', '--source', w.source, '--content', content];
  else if (command === 'site') {
    const out = path.join(TMP, 'site-dist-profile');
    args = [ASTRO, '--root', REPO, '--out', out, '--cache', path.join(TMP, 'site-cache-profile')];
    cwd = REPO;
    env = { COMPOSE_WIKI_CONTENT: content, COMPOSE_WIKI_SOURCE: w.source, COMPOSE_WIKI_OUT_DIR: out };
  } else args = [CLI, 'generate', '--source', w.source, '--out', content, '--quiet'];
  const started = performance.now();
  const r = spawnSync(NODE, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', name, '--import', MODULES_HOOK, ...args], {
    cwd, env: { ...BASE_ENV, ...env, BENCH_MODULES_FILE: modulesFile }, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024,
  });
  const wall = (performance.now() - started) / 1000;
  guardWorkspace();
  if ((r.status !== 0 && r.status !== 1) || !existsSync(path.join(dir, name)) || /Cannot find module|ERR_MODULE_NOT_FOUND/.test(r.stderr)) {
    process.stderr.write(`  profile of ${command} ${w.id} failed (exit ${r.status}): ${excerpt(r.stderr)}\n`);
    return undefined;
  }
  process.stdout.write(`  profiled ${command} ${w.id}: ${wall.toFixed(1)}s\n`);
  setSourceRoot(command === 'site' ? REPO : CODE);
  const summary = summariseProfile(JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as CpuProfile, 25);
  const modules = summariseModules(existsSync(modulesFile) ? (JSON.parse(readFileSync(modulesFile, 'utf8')) as string[]) : []);
  setSourceRoot(CODE);
  return { workload: w.id, command, file: path.join(dir, name), wall, markdown: profileMarkdown(summary, 15), modules };
}

// ---------------------------------------------------------------------------------------------
// Report

function machine(): Record<string, string> {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
  let commit = 'unknown';
  const head = spawnSync('git', ['--no-optional-locks', 'rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' });
  if (head.status === 0) commit = head.stdout.trim();
  return {
    cpu: `${model}${mhz ? ` (${Math.round(Number(mhz))} MHz)` : ''}`,
    cores: String(os.availableParallelism()),
    ram: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    commit,
  };
}

const fmtS = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const fmtMB = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(0));
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' / ');

const STEP_LABEL: Record<Step, string> = {
  floor: 'floor (read + parseDocument)',
  generate: 'generate (empty folder)',
  noop: 'generate (no change)',
  check: 'check',
  edited: 'check (every page edited by hand)',
  drifted: 'check (those pages, compose files changed)',
};

interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly result: 'pass' | 'MISS' | 'not measured';
}

/** Median wall time of the bare Astro build plus Pagefind over its output (the least a searchable site costs). */
function searchedBare(site: SiteResult | undefined): number | undefined {
  const bare = site?.bare?.wall?.median;
  const pagefind = site?.pagefind?.wall?.median;
  return bare !== undefined && pagefind !== undefined ? bare + pagefind : undefined;
}

function verdicts(results: readonly WorkloadResult[], site: SiteResult | undefined): Verdict[] {
  const by = (id: WorkloadId) => results.find((r) => r.id === id);
  const median = (id: WorkloadId, step: Step) => by(id)?.steps[step]?.wall?.median;
  const out: Verdict[] = [];
  const limit = (target: string, value: number | undefined, max: number, unit: string, digits = 2) => {
    out.push(value === undefined || Number.isNaN(value)
      ? { target, measured: '–', result: 'not measured' }
      : { target, measured: `${value.toFixed(digits)}${unit}${value > max ? ` (${(value / max).toFixed(1)}× the target)` : ''}`, result: value <= max ? 'pass' : 'MISS' });
  };
  limit(`W2 generate ≤ ${TARGETS.w2GenerateSeconds} s`, median('W2', 'generate'), TARGETS.w2GenerateSeconds, ' s');
  limit(`W2 check ≤ ${TARGETS.w2CheckSeconds} s`, median('W2', 'check'), TARGETS.w2CheckSeconds, ' s');
  const noop = results.filter((r) => r.steps.noop?.changed?.length);
  out.push(noop.length === 0
    ? { target: 'no-op generate writes no file', measured: '–', result: 'not measured' }
    : {
      target: 'no-op generate writes no file',
      measured: noop.map((r) => `${r.id}: ${Math.max(...(r.steps.noop?.changed ?? [0]))} file(s)`).join(', '),
      result: noop.every((r) => (r.steps.noop?.changed ?? []).every((n) => n === 0)) ? 'pass' : 'MISS',
    });
  for (const id of ['W2', 'W3'] as const) {
    for (const step of ['generate', 'check'] as const) {
      const p = median(id, step);
      const f = median(id, 'floor');
      limit(`${id} ${step} ÷ floor ≤ ${TARGETS.pipelineOverFloor}`, p !== undefined && f !== undefined ? p / f : undefined, TARGETS.pipelineOverFloor, '×', 1);
    }
  }
  for (const step of ['generate', 'check'] as const) {
    const w3 = median('W3', step);
    const w2 = median('W2', step);
    limit(`W3 ${step} ≤ ${TARGETS.w3OverW2} × W2`, w3 !== undefined && w2 !== undefined ? w3 / w2 : undefined, TARGETS.w3OverW2, '×', 1);
  }
  const rss = results.flatMap((r) => STEPS.filter((step) => step !== 'floor').map((s) => ({ id: r.id, s, v: r.steps[s]?.rss?.max })).filter((x) => x.v !== undefined));
  const worst = rss.sort((a, b) => (b.v ?? 0) - (a.v ?? 0))[0];
  out.push(worst
    ? { target: `peak RSS ≤ ${TARGETS.peakRssMiB / 1024} GB (CLI)`, measured: `${fmtMB(worst.v)} MB (${worst.id} ${worst.s})`, result: (worst.v ?? 0) <= TARGETS.peakRssMiB ? 'pass' : 'MISS' }
    : { target: `peak RSS ≤ ${TARGETS.peakRssMiB / 1024} GB (CLI)`, measured: '–', result: 'not measured' });
  const s = site?.site?.wall?.median;
  const b = site?.bare?.wall?.median;
  limit(`W2 site build ≤ ${TARGETS.siteOverBare} × bare Astro`, s !== undefined && b !== undefined ? s / b : undefined, TARGETS.siteOverBare, '×');
  const searched = searchedBare(site);
  const last = out.at(-1);
  // Context, not a softer target: what the bare build needs once it is searchable.
  if (last && searched !== undefined && b) out[out.length - 1] = { ...last, measured: `${last.measured}; bare Astro + Pagefind alone: ${(searched / b).toFixed(2)}×` };
  return out;
}

function resultsMarkdown(results: readonly WorkloadResult[], site: SiteResult | undefined, info: { machine: Record<string, string>; loadStart: string; loadEnd: string; rssProbe: string; date: string; options: string; code: string }): string {
  const m = info.machine;
  const lines: string[] = [];
  lines.push(`## Results`, '');
  lines.push(`Measured ${info.date} on commit \`${m.commit}\` plus ${info.code}, with \`${info.options}\`.`, '');
  lines.push(`- Machine: ${m.cpu}, ${m.cores} cores, ${m.ram} RAM, ${m.os}, Node ${m.node}.`);
  lines.push(`- Load average (1 / 5 / 15 min): ${info.loadStart} at the start, ${info.loadEnd} at the end.`);
  lines.push(`- Wall time from spawn to exit of a fresh process; CPU = user + system time and peak RSS, both by ${info.rssProbe}. Median and min–max over the runs. CPU time is what load from other jobs disturbs least; wall time well above CPU time on an idle machine is waiting (disk, fsync).`, '');
  lines.push('| workload | step | runs | wall median | wall min–max | CPU median | peak RSS median | RSS min–max | note |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of results) {
    for (const step of STEPS) {
      const s = r.steps[step];
      if (!s) continue;
      const note = step === 'noop' && s.changed?.length && !s.note ? `${Math.max(...s.changed)} file(s) rewritten` : (s.note ?? (step === 'generate' && r.pages ? `${r.pages} pages` : ''));
      lines.push(`| ${r.id} | ${STEP_LABEL[step]} | ${s.wall?.runs ?? 0} | ${fmtS(s.wall?.median)} s | ${fmtS(s.wall?.min)}–${fmtS(s.wall?.max)} s | ${fmtS(s.cpu?.median)} s | ${fmtMB(s.rss?.median)} MB | ${fmtMB(s.rss?.min)}–${fmtMB(s.rss?.max)} MB | ${note.replaceAll('|', '\\|')} |`);
    }
  }
  lines.push('', '| workload | source | stacks | services | files read | lines | pages |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) lines.push(`| ${r.id} | ${r.label} | ${r.stacks} | ${r.services} | ${r.files} | ${r.lines} | ${r.pages ?? '–'} |`);
  lines.push('', '### Ratios', '', '| ratio | generate | no-op generate | check |', '| --- | ---: | ---: | ---: |');
  for (const r of results) {
    for (const measure of ['wall', 'cpu'] as const) {
      const f = r.steps.floor?.[measure]?.median;
      const ratio = (s: Step) => {
        const v = r.steps[s]?.[measure]?.median;
        return v !== undefined && f && !Number.isNaN(v / f) ? `${(v / f).toFixed(1)}×` : '–';
      };
      lines.push(`| ${r.id} pipeline ÷ floor (${measure === 'wall' ? 'wall' : 'CPU'} time) | ${ratio('generate')} | ${ratio('noop')} | ${ratio('check')} |`);
    }
  }
  const w2 = results.find((r) => r.id === 'W2');
  const w3 = results.find((r) => r.id === 'W3');
  if (w2 && w3) {
    for (const measure of ['wall', 'cpu'] as const) {
      const ratio = (s: Step) => {
        const a = w3.steps[s]?.[measure]?.median;
        const b = w2.steps[s]?.[measure]?.median;
        return a !== undefined && b && !Number.isNaN(a / b) ? `${(a / b).toFixed(1)}×` : '–';
      };
      lines.push(`| W3 ÷ W2, ${measure === 'wall' ? 'wall' : 'CPU'} time (${(w3.services / w2.services).toFixed(1)}× the services; floor ${ratio('floor')}) | ${ratio('generate')} | ${ratio('noop')} | ${ratio('check')} |`);
    }
  }
  if (site) {
    lines.push('', '### Site (W2 pages, cold builds)', '');
    if (site.note) lines.push(`Not measured: ${site.note}.`);
    else {
      lines.push('| build | runs | pages | output | wall median | wall min–max | CPU median | peak RSS median | RSS min–max | note |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
      const builds = [
        ['compose-wiki site (`astro build` of this repository: Starlight, our loaders)', site.site],
        ['bare Starlight (the same pages in `src/content/docs`, Starlight\'s Markdown and Pagefind, one-link sidebar)', site.starlight],
        ['bare Astro (only `astro`: glob loader, one page route)', site.bare],
        ['Pagefind over the bare Astro output (`pagefind --site`)', site.pagefind],
      ] as const;
      for (const [label, s] of builds) {
        lines.push(`| ${label} | ${s?.wall?.runs ?? 0} | ${s?.pages ?? '–'} | ${s?.outputMiB ? `${s.outputMiB.toFixed(0)} MiB` : '–'} | ${fmtS(s?.wall?.median)} s | ${fmtS(s?.wall?.min)}–${fmtS(s?.wall?.max)} s | ${fmtS(s?.cpu?.median)} s | ${fmtMB(s?.rss?.median)} MB | ${fmtMB(s?.rss?.min)}–${fmtMB(s?.rss?.max)} MB | ${(s?.note ?? '').replaceAll('|', '\\|')} |`);
      }
      const ratio = (a: SiteBuild | undefined, b: SiteBuild | undefined, measure: 'wall' | 'cpu') => {
        const x = a?.[measure]?.median;
        const y = b?.[measure]?.median;
        return x !== undefined && y ? `${(x / y).toFixed(1)}×` : '–';
      };
      lines.push('', `Wall (CPU) ratios: our site ÷ bare Astro ${ratio(site.site, site.bare, 'wall')} (${ratio(site.site, site.bare, 'cpu')}); our site ÷ bare Starlight ${ratio(site.site, site.starlight, 'wall')} (${ratio(site.site, site.starlight, 'cpu')}); bare Starlight ÷ bare Astro ${ratio(site.starlight, site.bare, 'wall')} (${ratio(site.starlight, site.bare, 'cpu')}).`);
      const searched = searchedBare(site);
      if (searched !== undefined) lines.push('', `Search alone: the bare Astro build plus Pagefind over its pages takes ${fmtS(searched)} s, ${(searched / (site.bare?.wall?.median ?? NaN)).toFixed(2)}× the bare Astro build (medians added), before any layout, navigation or citation links.`);
    }
  }
  lines.push('', '### Targets', '', '| target | measured | result |', '| --- | --- | --- |');
  for (const v of verdicts(results, site)) lines.push(`| ${v.target} | ${v.measured} | ${v.result === 'MISS' ? '**MISS**' : v.result} |`);
  return lines.join('\n');
}

function profilesMarkdown(profiles: readonly ProfileResult[]): string {
  const lines = ['## Profiles', '', 'One run each with `node --cpu-prof` (sampling, 1 ms) and a module-loading hook; the `.cpuprofile` files are git-ignored.', ''];
  for (const p of profiles) {
    lines.push(`### ${p.workload} ${PROFILE_LABEL[p.command]} (${p.wall.toFixed(1)} s wall under the profiler)`, '');
    lines.push(`Modules loaded: ${p.modules.count} (${p.modules.ownFiles} of this repository); npm packages: ${p.modules.packages.map((x) => `\`${x}\``).join(', ') || 'none'}.`, '');
    lines.push(p.markdown, '');
  }
  return lines.join('\n').trimEnd();
}

const MARK = (name: string, edge: 'start' | 'end') => `<!-- bench:${name}:${edge} (written by npm run bench) -->`;

/** Replaces the marked block `name` of BENCHMARKS.md (appending it when absent). */
export function writeBlock(text: string, name: string, body: string): string {
  const start = MARK(name, 'start');
  const end = MARK(name, 'end');
  const block = `${start}\n${body}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) return `${text.slice(0, i)}${block}${text.slice(j + end.length)}`;
  return `${text.trimEnd()}\n\n${block}\n`;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', default: 'W1,W2,W3,site' },
      runs: { type: 'string' },
      'site-runs': { type: 'string', default: '3' },
      steps: { type: 'string', default: STEPS.join(',') },
      seed: { type: 'string', default: '1' },
      profile: { type: 'boolean', default: false },
      'profile-only': { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      json: { type: 'string' },
      'wait-load': { type: 'string' },
      'wait-max': { type: 'string', default: '30' },
      keep: { type: 'boolean', default: false },
      'no-snapshot': { type: 'boolean', default: false },
      tmp: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('usage: npm run bench -- [--only W1,W2,W3,site] [--steps floor,generate,noop,check,edited,drifted] [--runs N] [--site-runs N] [--profile | --profile-only] [--wait-load 1.5] [--wait-max MIN] [--no-write] [--json FILE] [--keep] [--tmp DIR] [--no-snapshot]\n');
    return 0;
  }
  const only = new Set(values.only.split(',').map((s) => s.trim()).filter(Boolean));
  for (const item of only) if (!['W1', 'W2', 'W3', 'site'].includes(item)) throw new Error(`--only: unknown item ${item} (use W1, W2, W3, site)`);
  const runsOverride = values.runs === undefined ? undefined : Number(values.runs);
  if (runsOverride !== undefined && (!Number.isInteger(runsOverride) || runsOverride < 1)) throw new Error('--runs must be a positive integer');
  const siteRuns = Number(values['site-runs']);
  const steps = new Set(values.steps.split(',').map((x) => x.trim()).filter(Boolean)) as Set<Step>;
  for (const step of steps) if (!(STEPS as readonly string[]).includes(step)) throw new Error(`--steps: unknown step ${step} (use ${STEPS.join(', ')})`);
  const seed = Number(values.seed);

  if (values['wait-load']) {
    const threshold = Number(values['wait-load']);
    const deadline = Date.now() + Number(values['wait-max']) * 60_000;
    while (os.loadavg()[0] as number > threshold && Date.now() < deadline) {
      process.stdout.write(`waiting for the load average to drop below ${threshold} (now ${load()})\n`);
      await sleep(30_000);
    }
  }

  const base = path.resolve(values.tmp ?? os.tmpdir());
  mkdirSync(base, { recursive: true });
  TMP = await import('node:fs/promises').then((fs) => fs.mkdtemp(path.join(base, 'compose-wiki-bench-')));
  TIME = findGnuTime();
  const snapshotAt = new Date().toISOString().slice(11, 19);
  if (!values['no-snapshot']) snapshotRepository(path.join(TMP, 'code'));
  const rssProbe = TIME ? `GNU time (\`${TIME} -f '%M %U %S'\`)` : '`process.resourceUsage().maxRSS` (scripts/bench-rss-hook.ts; GNU time not found)';
  const loadStart = load();
  const info = machine();
  process.stdout.write(`compose-wiki bench in ${TMP}\n${info.cpu}, ${info.cores} cores, ${info.ram}, Node ${info.node}; load ${loadStart}\n`);
  const flags = { generate: commandExists('generate', '--out'), check: commandExists('check', '--content'), steps };

  const workloads: Workload[] = [];
  const synth = (id: WorkloadId, stacks: number): string => {
    const dir = path.join(TMP, `${id}-source`);
    const tree = synthHomelab({ stacks, seed });
    writeTree(dir, tree);
    process.stdout.write(`${id}: synthesised ${stacks} stacks (${countServices(tree)} services) in ${dir}\n`);
    return dir;
  };
  if (only.has('W1')) workloads.push({ id: 'W1', label: 'examples/homelab', source: path.join(REPO, 'examples', 'homelab'), runs: runsOverride ?? 5 });
  if (only.has('W2') || only.has('site')) workloads.push({ id: 'W2', label: `synth-homelab 100 stacks, seed ${seed}`, source: synth('W2', 100), runs: runsOverride ?? 5 });
  if (only.has('W3')) workloads.push({ id: 'W3', label: `synth-homelab 1,000 stacks, seed ${seed}`, source: synth('W3', 1000), runs: runsOverride ?? 3 });

  const results: WorkloadResult[] = [];
  const contents = new Map<WorkloadId, string>();
  let site: SiteResult | undefined;
  const profiles: ProfileResult[] = [];
  try {
    for (const w of workloads) {
      if (values['profile-only']) break;
      if (w.id === 'W2' && !only.has('W2')) {
        // Only the site was asked for: W2's pages are generated once, untimed.
        const content = path.join(TMP, 'W2-content-site');
        mkdirSync(content, { recursive: true });
        const r = run([CLI, 'generate', '--source', w.source, '--out', content, '--quiet'], { cwd: TMP });
        if (r.code === 0 || r.code === 1) contents.set('W2', content);
        continue;
      }
      results.push(await benchWorkload(w, flags, (dir) => contents.set(w.id, dir)));
    }
    if (only.has('site') && !values['profile-only']) {
      const content = contents.get('W2');
      const w2 = workloads.find((w) => w.id === 'W2');
      site = content && w2 ? benchSite(content, w2.source, siteRuns) : { note: 'W2 pages could not be generated' };
    }
    if (values.profile || values['profile-only']) {
      const dir = path.join(TMP, 'profiles');
      mkdirSync(dir, { recursive: true });
      for (const w of workloads.filter((x) => x.id !== 'W1' && only.has(x.id))) {
        if (!flags.generate) break;
        const content = path.join(TMP, `${w.id}-content-profile`);
        mkdirSync(content, { recursive: true });
        for (const command of ['generate', 'noop', 'check', 'site'] as const) {
          if (command === 'check' && (!flags.check || !steps.has('check'))) continue;
          if (command === 'noop' && !steps.has('noop')) continue;
          if (command === 'site' && (w.id !== 'W2' || !only.has('site') || site?.note || !existsSync(path.join(REPO, 'astro.config.mjs')))) continue;
          const p = profileCommand(w, command, content, dir);
          if (p) profiles.push(p);
        }
        rmSync(content, { recursive: true, force: true });
      }
      process.stdout.write(`profiles in ${dir}\n`);
    }
  } finally {
    if (!values.keep) {
      for (const entry of readdirSync(TMP)) if (entry !== 'profiles') rmSync(path.join(TMP, entry), { recursive: true, force: true });
      if (readdirSync(TMP).length === 0) rmSync(TMP, { recursive: true, force: true });
    }
  }

  const loadEnd = load();
  // Folders of this machine (--tmp, --json) are shown by name only: the report is committed.
  const shown = process.argv.slice(2).map((arg) => (path.isAbsolute(arg) ? `…/${path.basename(arg)}` : arg));
  const options = `npm run bench${shown.length > 0 ? ` -- ${shown.join(' ')}` : ''}`;
  const markdown = resultsMarkdown(results, site, { machine: info, loadStart, loadEnd, rssProbe, date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', options, code: values['no-snapshot'] ? 'the working tree (run in place)' : `the working tree as copied at ${snapshotAt} UTC` });
  if (!values['profile-only']) process.stdout.write(`\n${markdown}\n`);
  if (profiles.length) process.stdout.write(`\n${profilesMarkdown(profiles)}\n`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ machine: info, loadStart, loadEnd, results, site, verdicts: verdicts(results, site), profiles }, null, 2));
  if (!values['no-write']) {
    let text = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : '# Benchmarks\n\nWritten by `npm run bench` (scripts/bench.ts); see that file for what each step measures.\n';
    if (!values['profile-only']) text = writeBlock(text, 'results', markdown);
    if (profiles.length) text = writeBlock(text, 'profiles', profilesMarkdown(profiles));
    writeFileSync(REPORT, text);
    process.stdout.write(`\nwritten to ${path.relative(process.cwd(), REPORT) || REPORT}\n`);
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => { process.exitCode = code; }, (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
