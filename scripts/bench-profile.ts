/**
 * Summaries of V8 CPU profiles (`node --cpu-prof`) and module lists for the benchmark: top
 * functions by self time, our own functions by inclusive time, and the share of each area
 * (a folder of src/lib, an npm package, Node's internals, the garbage collector).
 *
 *   node scripts/bench-profile.ts FILE.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface FunctionTime {
  /** `name (file:line)`. */
  readonly key: string;
  readonly area: string;
  readonly ms: number;
  readonly share: number;
  /** Self time only: the nearest function of our own sources on the stack, with its share of this time. */
  readonly from?: { readonly key: string; readonly share: number };
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly self: readonly FunctionTime[];
  /** Inclusive time of functions in the project's own sources (src/, scripts/, bin/). */
  readonly inclusive: readonly FunctionTime[];
  readonly areas: ReadonlyArray<{ readonly area: string; readonly ms: number; readonly share: number }>;
}

let REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the profiled sources live (the benchmark runs a snapshot of the repository elsewhere). */
export function setSourceRoot(root: string): void {
  REPO = path.resolve(root);
}

/** Where a function lives: `src/lib/<folder>`, an npm package, `node:internal`, or a V8 category. */
export function areaOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(program)' || functionName === '(idle)' || functionName === '(root)') return '(program)';
    return '(native)';
  }
  if (url.startsWith('node:')) return 'node:internal';
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  if (modules) return modules[1] as string;
  const relative = path.relative(REPO, file).split(path.sep).join('/');
  if (relative.startsWith('src/lib/')) return relative.split('/').slice(0, 3).join('/');
  if (relative.startsWith('src/')) return relative.split('/').slice(0, 2).join('/');
  if (!relative.startsWith('..')) return relative.split('/')[0] as string;
  return 'other';
}

function shortFile(url: string): string {
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = /node_modules\/(.*)$/.exec(file);
  if (modules) return modules[1] as string;
  const relative = path.relative(REPO, file).split(path.sep).join('/');
  return relative.startsWith('..') ? file : relative;
}

function keyOf(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  return frame.url ? `${name} (${shortFile(frame.url)}:${frame.lineNumber + 1})` : name;
}

/** Summarises a profile: self time per function and area, inclusive time of our own functions. */
export function summariseProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time since the previous sample; attribute it to the sample it precedes
  // (as Chrome DevTools does: the interval after sample i belongs to sample i).
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    const id = profile.samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, delta));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const self = new Map<string, { area: string; us: number }>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, { area: string; us: number }>();
  const callers = new Map<string, Map<string, number>>();
  const own = (a: string) => a.startsWith('src/') || a === 'scripts' || a === 'bin';
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const key = keyOf(node.callFrame);
    const area = areaOf(node.callFrame.url, node.callFrame.functionName);
    const entry = self.get(key) ?? { area, us: 0 };
    entry.us += us;
    self.set(key, entry);
    areas.set(area, (areas.get(area) ?? 0) + us);
    if (!own(area)) {
      let caller = '(none)';
      for (let current = parent.get(id); current !== undefined; current = parent.get(current)) {
        const frame = byId.get(current)?.callFrame;
        if (frame?.url && own(areaOf(frame.url, frame.functionName))) {
          caller = keyOf(frame);
          break;
        }
      }
      const m = callers.get(key) ?? new Map<string, number>();
      m.set(caller, (m.get(caller) ?? 0) + us);
      callers.set(key, m);
    }
    // Inclusive: each of our own functions on the stack once per sample (recursion counted once).
    const onStack = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)?.callFrame;
      if (!frame?.url) continue;
      const a = areaOf(frame.url, frame.functionName);
      if (!own(a)) continue;
      const k = keyOf(frame);
      if (onStack.has(k)) continue;
      onStack.add(k);
      const e = inclusive.get(k) ?? { area: a, us: 0 };
      e.us += us;
      inclusive.set(k, e);
    }
  }
  const rank = (m: Map<string, { area: string; us: number }>) =>
    [...m].sort((a, b) => b[1].us - a[1].us).slice(0, top).map(([key, v]) => ({ key, area: v.area, ms: v.us / 1000, share: v.us / total }));
  const withCaller = (f: FunctionTime): FunctionTime => {
    const m = callers.get(f.key);
    if (!m) return f;
    const [best, us] = [...m].sort((a, b) => b[1] - a[1])[0] as [string, number];
    const sum = [...m.values()].reduce((a, b) => a + b, 0) || 1;
    return { ...f, from: { key: best, share: us / sum } };
  };
  return {
    totalMs: total / 1000,
    self: rank(self).map(withCaller),
    inclusive: rank(inclusive),
    areas: [...areas].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, ms: us / 1000, share: us / total })),
  };
}

/** npm packages (and how many of our own source files) a module list contains. */
export function summariseModules(urls: readonly string[]): { count: number; ownFiles: number; packages: string[] } {
  const packages = new Set<string>();
  let ownFiles = 0;
  for (const url of urls) {
    if (!url.startsWith('file://')) continue;
    const file = fileURLToPath(url);
    const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (modules) packages.add(modules[1] as string);
    else if (!path.relative(REPO, file).startsWith('..')) ownFiles++;
  }
  return { count: urls.length, ownFiles, packages: [...packages].sort() };
}

/** Markdown tables of a summary. */
export function profileMarkdown(summary: ProfileSummary, top = 15): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const lines = [`Sampled CPU time: ${(summary.totalMs / 1000).toFixed(2)} s.`, '', '| area | self time | share |', '| --- | ---: | ---: |'];
  for (const a of summary.areas.slice(0, 12)) lines.push(`| \`${a.area}\` | ${a.ms.toFixed(0)} ms | ${pct(a.share)} |`);
  lines.push('', '| top self time | area | ms | share | mostly called from (our code) |', '| --- | --- | ---: | ---: | --- |');
  for (const f of summary.self.slice(0, top)) {
    const from = f.from ? `\`${f.from.key.replaceAll('|', '\\|')}\` (${pct(f.from.share)})` : '';
    lines.push(`| \`${f.key.replaceAll('|', '\\|')}\` | ${f.area} | ${f.ms.toFixed(0)} | ${pct(f.share)} | ${from} |`);
  }
  lines.push('', '| our functions, inclusive time | ms | share |', '| --- | ---: | ---: |');
  for (const f of summary.inclusive.slice(0, top)) lines.push(`| \`${f.key.replaceAll('|', '\\|')}\` | ${f.ms.toFixed(0)} | ${pct(f.share)} |`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' } }, allowPositionals: true });
  for (const file of positionals) {
    const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(values.top));
    process.stdout.write(`## ${file}\n\n${profileMarkdown(summary, Number(values.top))}\n\n`);
  }
}
