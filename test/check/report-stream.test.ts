/**
 * `check` written as it goes: each page handed on in report order and written by a reporter gives
 * exactly the output of the held report in every form, while the report itself keeps neither the
 * diffs nor the stale citations it handed on.
 */
import { readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  formatGithub, formatJson, formatText, githubReporter, jsonReporter, runCheck, textReporter, type CheckedPageFile, type CheckReport, type CheckReporter, type ReportChunk,
} from '../../src/lib/check/index.ts';
import { CHECKED_AT, makeFixture, type Fixture } from './fixture.ts';

const SERVER_PAGE = 'home/Platform/Stacks/authentik/authentik-server.md';

const paths = (f: Fixture) => ({ source: f.source, content: f.content, cwd: f.root });
const text = (chunk: ReportChunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));

/** Runs check with `reporter` writing each page as it comes; returns the bytes written and the report. */
async function streamed(f: Fixture, reporter: CheckReporter): Promise<{ output: string; report: CheckReport; handed: CheckedPageFile[] }> {
  const out: Buffer[] = [];
  const handed: CheckedPageFile[] = [];
  const { report } = await runCheck(f.config(), {
    now: CHECKED_AT,
    onPage: async (checked) => {
      handed.push(checked);
      out.push(text(reporter.page(checked)));
      await new Promise((resolve) => setImmediate(resolve)); // a slow output must not reorder pages
    },
  });
  for (const chunk of reporter.end(report)) out.push(text(chunk));
  return { output: Buffer.concat(out).toString('utf8'), report, handed };
}

describe('check written as it goes', { timeout: 240_000 }, () => {
  let f: Fixture;
  let held: CheckReport;

  beforeAll(async () => {
    f = await makeFixture();
    // Every line of one compose file moves: its pages drift and every citation of them is stale.
    f.writeSource('authentik/compose.yml', `\n${f.readSource('authentik/compose.yml')}`);
    // A citation a person wrote that generate does not fix, on a page that does not drift otherwise.
    const whoami = 'home/Platform/Stacks/frontdoor/whoami.md';
    f.writePage(whoami, `${f.readPage(whoami).trimEnd()}\n- Hand-written: see 【F:frontdoor/compose.yml†L900-L901】.\n`);
    // A missing page and an orphan.
    rmSync(path.join(f.content, ...'home/Platform/Stacks/tools/index.md'.split('/')));
    f.writePage('home/Platform/Stacks/authentik/retired.md', f.readPage(SERVER_PAGE).replace('title: authentik-server', 'title: retired'));
    held = (await runCheck(f.config(), { now: CHECKED_AT })).report;
  });

  it('the fixture has every kind of entry, stale and hand-written citation errors, and findings', () => {
    expect(new Set(held.drift.map((d) => d.kind))).toEqual(new Set(['changed', 'missing', 'orphan']));
    expect(held.summary.staleCitations).toBeGreaterThan(10);
    expect(held.summary.citationErrors).toBeGreaterThan(0);
    expect(held.findings.length).toBeGreaterThan(0);
    expect(held.drift.find((d) => d.file === SERVER_PAGE)?.diff).toBeTruthy();
  });

  it('hands each page on once, in the held report order, with its drift and citation errors', async () => {
    const { handed, report } = await streamed(f, textReporter(paths(f), { color: false }));
    expect(handed.flatMap((p) => (p.drift ? [p.drift] : []))).toEqual(held.drift);
    expect(handed.flatMap((p) => p.citations)).toEqual(held.citations);
    expect(new Set(handed.map((p) => p.file)).size).toBe(handed.length);
    // What was handed on is not kept: no diffs, only the citation errors generate does not fix.
    expect(report.drift.every((d) => d.diff === undefined)).toBe(true);
    expect(report.drift.map((d) => d.file)).toEqual(held.drift.map((d) => d.file));
    expect(report.citations).toEqual(held.citations.filter((c) => !c.fixedByGenerate));
    expect(report.summary).toEqual(held.summary);
    expect(report.findings).toEqual(held.findings);
    expect(report.exitCode).toBe(held.exitCode);
  });

  it('text, coloured or not, is the held report byte for byte', async () => {
    for (const color of [false, true]) {
      const { output } = await streamed(f, textReporter(paths(f), { color }));
      expect(output).toBe(formatText(held, paths(f), { color }));
    }
    expect(formatText(held, paths(f), { color: false })).toMatch(/citations point at old lines/);
  });

  it('GitHub workflow commands are the held report byte for byte', async () => {
    const { output } = await streamed(f, githubReporter(paths(f)));
    expect(output).toBe(formatGithub(held, paths(f)));
  });

  it('JSON is the held report byte for byte, its citation errors held in memory or spilled to a file', async () => {
    const before = new Set(readdirSync(os.tmpdir()).filter((n) => n.startsWith('compose-wiki-check-')));
    for (const spillAfter of [undefined, 0, 100]) {
      const { output } = await streamed(f, jsonReporter(paths(f), spillAfter === undefined ? {} : { spillAfter }));
      expect(output).toBe(formatJson(held, paths(f)));
    }
    // The spill files are gone once the report is read.
    expect(readdirSync(os.tmpdir()).filter((n) => n.startsWith('compose-wiki-check-') && !before.has(n))).toEqual([]);
  });

  it('a clean report streams as the held one does (no drift written, no leading empty line)', async () => {
    const clean = await makeFixture();
    const report = (await runCheck(clean.config(), { now: CHECKED_AT })).report;
    expect(report.drift).toEqual([]);
    for (const [reporter, full] of [
      [textReporter(paths(clean), { color: false }), formatText(report, paths(clean), { color: false })],
      [githubReporter(paths(clean)), formatGithub(report, paths(clean))],
      [jsonReporter(paths(clean), { spillAfter: 0 }), formatJson(report, paths(clean))],
    ] as const) {
      const { output } = await streamed(clean, reporter);
      expect(output).toBe(full);
    }
  });
});
