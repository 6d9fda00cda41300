/**
 * The output forms: JSON validated against docs/check-output.schema.json, GitHub workflow
 * commands line by line (with GitHub's escaping), and the text summary line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  escapeData, escapeProperty, formatGithub, formatJson, formatText, summaryLine, toJson, workflowCommand, type CheckReport,
} from '../../src/lib/check/index.ts';
import { validate } from './json-schema.ts';
import { lineOf, makeFixture, WARN_ONLY } from './fixture.ts';

const SCHEMA = JSON.parse(readFileSync(new URL('../../docs/check-output.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const PATHS = { source: '/repo/homelab', content: '/repo/content', cwd: '/repo' };

/** A small report with one of everything, including characters GitHub needs escaped. */
const REPORT: CheckReport = {
  drift: [
    {
      kind: 'changed',
      page: 'home/a',
      file: 'home/a.md',
      causes: [{ file: 'a/compose.yml', startLine: 4, endLine: 4 }],
      diff: '--- a/content/home/a.md\ton disk\n+++ b/content/home/a.md\tgenerated\n@@ -1,1 +1,1 @@\n-old 100%\n+new\n',
      line: 9,
      message: 'content/home/a.md is out of date',
    },
    { kind: 'orphan', page: 'home/gone', file: 'home/gone.md', causes: [], message: 'orphan' },
    { kind: 'missing', page: 'home/b', file: 'home/b.md', causes: [{ file: 'b/compose.yml', startLine: 1, endLine: 20 }], message: 'missing' },
  ],
  citations: [
    {
      code: 'citation-inverted',
      message: '【F:a/compose.yml†L9-L4】: the range is inverted: L9 comes after L4; cite 【F:a/compose.yml†L4-L9】',
      citation: '【F:a/compose.yml†L9-L4】',
      page: { file: 'home/a.md', line: 12, column: 7 },
      cited: { file: 'a/compose.yml', startLine: 9, endLine: 4 },
      suggestion: { file: 'a/compose.yml', startLine: 4, endLine: 9 },
      fixedByGenerate: false,
    },
    {
      code: 'citation-moved',
      message: 'stale',
      citation: '【F:a/compose.yml†L1-L1】',
      page: { file: 'home/a.md', line: 5, column: 3 },
      cited: { file: 'a/compose.yml', startLine: 1, endLine: 1 },
      suggestion: { file: 'a/compose.yml', startLine: 2, endLine: 2 },
      fixedByGenerate: true,
    },
  ],
  findings: [
    { id: 'literal-secret', severity: 'error', origin: 'model', message: 'a, b: 50% of it\nnext line', range: { file: 'a/compose.yml', startLine: 7, endLine: 7 } },
    { id: 'yaml-tab', severity: 'error', origin: 'load', message: 'a tab', range: { file: 'a/compose.yml', startLine: 3, endLine: 3 }, column: 5 },
    { id: 'env-purpose-missing', severity: 'warning', origin: 'page', message: '`X` has no purpose', page: { file: 'home/a.md', line: 20, column: 15 }, range: { file: 'a/compose.yml', startLine: 8, endLine: 9 } },
    { id: 'version-skew', severity: 'warning', origin: 'relations', message: 'skew', range: { file: 'a/compose.yml', startLine: 2, endLine: 6 }, related: [{ file: 'c/compose.yml', startLine: 3, endLine: 3 }] },
  ],
  summary: { pagesChecked: 3, drifted: 3, missing: 1, orphans: 1, citationErrors: 1, staleCitations: 1, findings: 4, findingErrors: 2, findingWarnings: 2 },
  exitCode: 1,
};

describe('GitHub workflow commands', () => {
  it('escape data and properties as GitHub toolkit does', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
    expect(workflowCommand({ level: 'warning', file: 'x,y:z.yml', line: 3, endLine: 3, col: 2, title: 'id: a, b', message: 'm' })).toBe('::warning file=x%2Cy%3Az.yml,line=3,col=2,title=id%3A a%2C b::m');
    // GitHub reads col only for one-line annotations.
    expect(workflowCommand({ level: 'error', file: 'f', line: 3, endLine: 5, col: 2, title: 't', message: 'm' })).toBe('::error file=f,line=3,endLine=5,title=t::m');
  });

  it('formats a report line by line', () => {
    const lines = formatGithub(REPORT, PATHS).split('\n');
    expect(lines).toEqual([
      '::error file=content/home/a.md,line=9,title=compose-wiki%3A page out of date::content/home/a.md no longer matches the compose files (changed: homelab/a/compose.yml:4); 1 of its citations point at old lines; run compose-wiki generate',
      '::error file=homelab/a/compose.yml,line=4,title=compose-wiki%3A docs out of date::content/home/a.md is out of date with these lines; run compose-wiki generate',
      '::group::diff content/home/a.md',
      '--- a/content/home/a.md\ton disk',
      '+++ b/content/home/a.md\tgenerated',
      '@@ -1,1 +1,1 @@',
      '-old 100%',
      '+new',
      '::endgroup::',
      '::error file=content/home/gone.md,line=1,title=compose-wiki%3A orphan page::content/home/gone.md: no service or stack produces this page any more; delete it when you no longer need it',
      '::error file=homelab/b/compose.yml,line=1,endLine=20,title=compose-wiki%3A page missing::content/home/b.md is missing; run compose-wiki generate to create it',
      '::error file=content/home/a.md,line=12,col=7,title=compose-wiki%3A citation-inverted::【F:a/compose.yml†L9-L4】: the range is inverted: L9 comes after L4; cite 【F:a/compose.yml†L4-L9】',
      '::error file=homelab/a/compose.yml,line=7,title=compose-wiki%3A literal-secret::a, b: 50%25 of it%0Anext line',
      '::error file=homelab/a/compose.yml,line=3,col=5,title=compose-wiki%3A yaml-tab::a tab',
      '::warning file=content/home/a.md,line=20,col=15,title=compose-wiki%3A env-purpose-missing::`X` has no purpose',
      '::warning file=homelab/a/compose.yml,line=2,endLine=6,title=compose-wiki%3A version-skew::skew',
      '3 pages checked, 3 drifted (1 missing, 1 orphaned), 1 citation error (+1 stale in lines generate rewrites), 4 findings (2 errors, 2 warnings)',
      '',
    ]);
  });

  it('annotates a real drift on the page and the compose line', async () => {
    const f = await makeFixture();
    const compose = f.readSource('authentik/compose.yml');
    const image = lineOf(compose, 'image: ghcr.io/goauthentik/server:2025.8.4');
    f.editSource('authentik/compose.yml', 'image: ghcr.io/goauthentik/server:2025.8.4', 'image: ghcr.io/goauthentik/server:2025.8.5');
    const report = await f.check(WARN_ONLY);
    const out = formatGithub(report, { source: f.source, content: f.content, cwd: f.root }).trimEnd().split('\n');
    let inGroup = false;
    for (const line of out.slice(0, -1)) {
      if (line.startsWith('::group::')) inGroup = true;
      else if (line === '::endgroup::') inGroup = false;
      else if (!inGroup) expect(line).toMatch(/^::(error|warning) file=[^,:]+(,line=\d+)(,endLine=\d+)?(,col=\d+)?,title=[^,:]+::\S/);
      else expect(line).toMatch(/^(---|\+\+\+|@@|[-+ ]|\\)/);
    }
    expect(out).toContain(`::error file=homelab/authentik/compose.yml,line=${image},title=compose-wiki%3A docs out of date::content/home/Platform/Stacks/authentik/authentik-server.md is out of date with these lines; run compose-wiki generate`);
    expect(out.at(-1)).toMatch(/^\d+ pages checked, \d+ drifted, 0 citation errors, \d+ findings/);
  }, 240_000);
});

describe('JSON output', () => {
  it('the schema validator is not vacuous', () => {
    expect(validate(SCHEMA, toJson(REPORT, PATHS))).toEqual([]);
    const broken = JSON.parse(JSON.stringify(toJson(REPORT, PATHS))) as { citations: Array<Record<string, unknown>>; summary: Record<string, unknown>; extra?: number };
    broken.citations[0]!.code = 'citation-wrong';
    delete broken.summary.findings;
    broken.extra = 1;
    expect(validate(SCHEMA, broken).sort()).toEqual([
      '$.citations[0].code: "citation-wrong" is not one of ["citation-file-missing","citation-inverted","citation-out-of-range","citation-empty","citation-straddles","citation-stack-short","citation-moved"]',
      '$.summary: missing findings',
      '$: unexpected property extra',
    ]);
  });

  it('a real report with drift, citation errors and findings validates against docs/check-output.schema.json', async () => {
    const f = await makeFixture();
    f.editSource('authentik/compose.yml', 'image: ghcr.io/goauthentik/server:2025.8.4', 'image: ghcr.io/goauthentik/server:2025.8.5');
    const page = 'home/Platform/Stacks/authentik/authentik-worker.md';
    f.writePage(page, `${f.readPage(page).trimEnd()}\n- A note.【F:authentik/compose.yml†L90-L80】【F:missing.yml†L1-L1】\n`);
    const report = await f.check(WARN_ONLY);
    const json = JSON.parse(formatJson(report, { source: f.source, content: f.content, cwd: f.root })) as Record<string, unknown>;
    expect(validate(SCHEMA, json)).toEqual([]);
    expect(json).toMatchObject({ schemaVersion: 1, source: 'homelab', content: 'content', exitCode: 1 });
    const citations = json.citations as Array<{ code: string }>;
    expect(citations.map((c) => c.code)).toEqual(['citation-inverted', 'citation-file-missing']);
    expect((json.drift as unknown[]).length).toBeGreaterThan(0);
    expect((json.findings as unknown[]).length).toBeGreaterThan(0);
  }, 240_000);
});

describe('text output', () => {
  it('ends with the summary line', () => {
    const text = formatText(REPORT, PATHS, { color: false });
    expect(text.trimEnd().split('\n').at(-1)).toBe(summaryLine(REPORT));
    expect(text).toContain('content/home/a.md:12:7: error citation-inverted:');
    expect(text).not.toContain('stale\n'); // citations generate fixes are summed up under their page
    expect(text).toContain('homelab/a/compose.yml:3:5: error yaml-tab: a tab');
    expect(text).toContain('warning version-skew: skew (see homelab/c/compose.yml:3)');
  });
});
