/**
 * Nothing lost under SIGKILL: `generate` is killed at random moments while it rewrites every
 * page; afterwards each page file is either its old or its new version, and parses.
 * KILL_RUNS sets the number of kills (a few in `npm test`, 100 in `npm run test:stress`).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePageFile } from '../../src/lib/merge/index.ts';
import { WRITE_THREAD_MIN_PAGES } from '../../src/lib/merge/write-queue.ts';
import { synthHomelab, writeTree } from '../../scripts/synth-homelab.ts';
import { BIN, runCli } from './run-cli.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/homelab/', import.meta.url));
const RUNS = Number(process.env.KILL_RUNS ?? 6);

function pages(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md')) out.set(path.relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

function copyTree(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
}

/** The example (written on the main thread), and a synthetic homelab big enough for the writer thread. */
const SOURCES = [
  ['the example', (to: string) => cpSync(EXAMPLE, to, { recursive: true })],
  ['a homelab written by the writer thread', (to: string) => writeTree(to, synthHomelab({ stacks: 20, seed: 5 }))],
] as const;

describe.each(SOURCES)('generate of %s killed with SIGKILL', (_, makeSource) => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'cw-kill-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it(`leaves every page old or new, never torn (${RUNS} kills)`, async () => {
    const source = path.join(work, 'homelab');
    makeSource(source);
    const oldContent = path.join(work, 'old');
    const newContent = path.join(work, 'new');
    expect(runCli(['generate', '--source', source, '--out', oldContent], { cwd: work, env: { SOURCE_DATE_EPOCH: '1767225600' } }).code).toBe(0);
    // Version B: a change every page reflects (a new tag on every page header and a new stack title).
    writeFileSync(path.join(work, 'compose-wiki.yaml'), 'tags: [homelab, killed]\n');
    // The new version is what an uninterrupted run makes of the old pages.
    copyTree(oldContent, newContent);
    const started = Date.now();
    expect(runCli(['generate', '--source', source, '--out', newContent], { cwd: work, env: { SOURCE_DATE_EPOCH: '1767312000' } }).code).toBe(0);
    const duration = Date.now() - started;
    const before = pages(oldContent);
    const after = pages(newContent);
    if (makeSource === SOURCES[1][1]) expect(after.size).toBeGreaterThanOrEqual(WRITE_THREAD_MIN_PAGES);
    const target = path.join(work, 'content');
    let killedMidway = 0;
    for (let run = 0; run < RUNS; run++) {
      copyTree(oldContent, target);
      const child = spawn(process.execPath, [BIN, 'generate', '--source', source, '--out', target], { cwd: work, env: { ...process.env, SOURCE_DATE_EPOCH: '1767312000' }, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      // Odd runs: a moment spread over the whole run. Even runs: a few ms after the first page write,
      // so that the kill lands while pages are being replaced.
      const delay = run % 2 === 1 ? Math.floor(((run + 0.5) / RUNS) * duration) : (run * 7) % 25;
      if (run % 2 === 1) await new Promise((resolve) => setTimeout(resolve, delay));
      else {
        await new Promise<void>((resolve) => {
          const watcher = watch(target, { recursive: true }, () => {
            watcher.close();
            setTimeout(resolve, delay);
          });
          void exited.then(() => {
            watcher.close();
            resolve();
          });
        });
      }
      child.kill('SIGKILL');
      await exited;
      const now = pages(target);
      let changed = 0;
      for (const [file, text] of now) {
        const old = before.get(file);
        const next = after.get(file);
        expect(text === old || text === next, `${file} is neither its old nor its new version after a kill at ${delay} ms`).toBe(true);
        expect(() => parsePageFile(text)).not.toThrow();
        if (text !== old) changed++;
      }
      expect(now.size).toBeGreaterThanOrEqual(before.size);
      if (changed > 0 && changed < after.size) killedMidway++;
    }
    // The kills are spread over the run; report how many landed in the middle of writing.
    console.info(`generate SIGKILL: ${RUNS} kills over ${duration} ms, ${killedMidway} in the middle of writing pages`);
  });
});
