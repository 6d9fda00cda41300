/**
 * `check` on a temporary copy of the example with its pages generated: drift (with the compose
 * line that caused it), orphans, citations (hand-written ones included) and findings.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatGithub, formatJson, formatText, type CheckReport } from '../../src/lib/check/index.ts';
import { lineOf, makeFixture, WARN_ONLY, type Fixture } from './fixture.ts';

const SERVER_PAGE = 'home/Platform/Stacks/authentik/authentik-server.md';
const AUTHENTIK = 'authentik/compose.yml';

const paths = (f: Fixture) => ({ source: f.source, content: f.content, cwd: f.root });
const everything = (f: Fixture, report: CheckReport) =>
  formatText(report, paths(f), { color: false }) + formatJson(report, paths(f)) + formatGithub(report, paths(f));

/** Appends items to the Operational Notes section (the last section of a service page). */
function addNotes(f: Fixture, page: string, items: string[]): string {
  const text = f.readPage(page);
  expect(text.trimEnd().split('\n').at(-1)).toMatch(/^- /); // Operational Notes is last and ends with an item
  const updated = `${text.trimEnd()}\n${items.map((i) => `- ${i}`).join('\n')}\n`;
  f.writePage(page, updated);
  return updated;
}

// Each check merges every page as generate does (a few seconds on a loaded machine).
describe('check on the generated example', { timeout: 240_000 }, () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await makeFixture();
  });

  it('is clean right after generate (only the deliberate findings)', async () => {
    const report = await f.check(WARN_ONLY);
    expect(report.drift).toEqual([]);
    expect(report.citations).toEqual([]);
    expect(report.summary.pagesChecked).toBeGreaterThan(50);
    expect(report.exitCode).toBe(0);
    // With the default levels the example's literal secret is an error.
    const strict = await f.check();
    expect(strict.findings.some((x) => x.id === 'literal-secret' && x.severity === 'error')).toBe(true);
    expect(strict.exitCode).toBe(1);
  });

  it('a bumped image tag drifts, shows the Runtime Profile line and names the compose line; reverting is clean', async () => {
    const original = f.readSource(AUTHENTIK);
    const imageLine = lineOf(original, 'image: ghcr.io/goauthentik/server:2025.8.4');
    f.editSource(AUTHENTIK, 'image: ghcr.io/goauthentik/server:2025.8.4', 'image: ghcr.io/goauthentik/server:2025.8.5');
    const report = await f.check(WARN_ONLY);
    expect(report.exitCode).toBe(1);
    const entry = report.drift.find((d) => d.file === SERVER_PAGE);
    expect(entry?.kind).toBe('changed');
    expect(entry?.diff).toContain(`-- **Image:** \`ghcr.io/goauthentik/server:2025.8.4\`【F:${AUTHENTIK}†L${imageLine}-L${imageLine}】`);
    expect(entry?.diff).toContain(`+- **Image:** \`ghcr.io/goauthentik/server:2025.8.5\`【F:${AUTHENTIK}†L${imageLine}-L${imageLine}】`);
    expect(entry?.causes).toEqual([{ file: AUTHENTIK, startLine: imageLine, endLine: imageLine }]);
    // The stack page's service table cites the whole service; the cause is narrowed to the image line.
    expect(report.drift.find((d) => d.file === 'home/Platform/Stacks/authentik/index.md')?.causes).toEqual([{ file: AUTHENTIK, startLine: imageLine, endLine: imageLine }]);
    expect(report.citations).toEqual([]);
    const text = formatText(report, paths(f), { color: false });
    expect(text).toContain(`drift   content/${SERVER_PAGE}: out of date with the compose files`);
    expect(text).toContain(`  caused by homelab/${AUTHENTIK}:${imageLine}\n`);
    expect(text).toContain('compose-wiki generate');
    expect(text).not.toContain('\u001b['); // no colour when asked for none
    expect(text.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^\\d+ pages checked, ${report.summary.drifted} drifted, 0 citation errors, \\d+ findings`));

    f.writeSource(AUTHENTIK, original);
    const reverted = await f.check(WARN_ONLY);
    expect(reverted.drift).toEqual([]);
    expect(reverted.exitCode).toBe(0);
  });

  it('lines moved under unchanged facts: the causes are the moved citations, at their new lines; a changed word on a moved line is still narrowed', async () => {
    const original = f.readSource(AUTHENTIK);
    const imageLine = lineOf(original, 'image: ghcr.io/goauthentik/server:2025.8.4');
    const indent = /^( *)image:/m.exec(original.split('\n')[imageLine - 1] ?? '')?.[1] ?? '';
    // A comment above the image: the model is the same, every line from here down moves by one.
    f.editSource(AUTHENTIK, 'image: ghcr.io/goauthentik/server:2025.8.4', `# pinned by hand\n${indent}image: ghcr.io/goauthentik/server:2025.8.4`);
    const moved = await f.check(WARN_ONLY);
    const entry = moved.drift.find((d) => d.file === SERVER_PAGE);
    expect(entry?.kind).toBe('changed');
    expect(entry?.causes).toContainEqual({ file: AUTHENTIK, startLine: imageLine + 1, endLine: imageLine + 1 });
    // Only citations of moved lines: each covers or follows the inserted line, none lies above it.
    expect(entry?.causes.every((c) => c.file === AUTHENTIK && c.endLine >= imageLine + 1)).toBe(true);
    expect(entry?.diff).toContain(`+- **Image:** \`ghcr.io/goauthentik/server:2025.8.4\`【F:${AUTHENTIK}†L${imageLine + 1}-L${imageLine + 1}】`);
    expect(moved.summary.staleCitations).toBeGreaterThan(0);
    expect(moved.summary.citationErrors).toBe(0);

    // The tag changes too: the stack page's row cites the whole service, and its cause is still
    // narrowed to the line holding the new tag (besides the moved citation itself).
    f.editSource(AUTHENTIK, 'image: ghcr.io/goauthentik/server:2025.8.4', 'image: ghcr.io/goauthentik/server:2025.8.5');
    const both = await f.check(WARN_ONLY);
    const stack = both.drift.find((d) => d.file === 'home/Platform/Stacks/authentik/index.md');
    expect(stack?.causes).toContainEqual({ file: AUTHENTIK, startLine: imageLine + 1, endLine: imageLine + 1 });
  });

  it('colours the diff only when asked to', async () => {
    f.editSource(AUTHENTIK, 'image: ghcr.io/goauthentik/server:2025.8.4', 'image: ghcr.io/goauthentik/server:2025.8.5');
    const report = await f.check(WARN_ONLY);
    const coloured = formatText(report, paths(f), { color: true });
    expect(coloured).toContain('\u001b[32m+- **Image:**');
    expect(coloured).toContain('\u001b[31m-- **Image:**');
  });

  it('a removed service leaves an orphan page that is reported', async () => {
    const compose = f.readSource('frontdoor/compose.yml');
    const start = compose.indexOf('  # XSS canary for the site tests');
    const end = compose.indexOf('\nconfigs:');
    expect(start).toBeGreaterThan(0);
    f.writeSource('frontdoor/compose.yml', compose.slice(0, start) + compose.slice(end + 1));
    const report = await f.check(WARN_ONLY);
    const orphan = report.drift.find((d) => d.kind === 'orphan');
    expect(orphan).toMatchObject({ kind: 'orphan', file: 'home/Platform/Stacks/frontdoor/whoami.md', causes: [] });
    expect(report.summary.orphans).toBe(1);
    expect(report.exitCode).toBe(1);
    expect(formatText(report, paths(f), { color: false })).toMatch(/orphan {2}content\/home\/Platform\/Stacks\/frontdoor\/whoami\.md: no service or stack produces this page/);
  });

  it('a missing page is reported with the page sources', async () => {
    rmSync(path.join(f.content, ...SERVER_PAGE.split('/')));
    const report = await f.check(WARN_ONLY);
    const missing = report.drift.find((d) => d.file === SERVER_PAGE);
    expect(missing?.kind).toBe('missing');
    expect(missing?.causes.length).toBeGreaterThan(0);
    expect(report.summary.missing).toBe(1);
  });

  it('hand-written notes: an inverted range, a range into the neighbouring service and one past the end are three precise errors', async () => {
    const compose = f.readSource(AUTHENTIK);
    const lines = compose.trimEnd().split('\n').length;
    const server = { start: lineOf(compose, '  server:\n'), end: lineOf(compose, '  worker:\n') - 3 };
    const volumes = lineOf(compose, '      - ak_media:/media');
    const networksTop = lineOf(compose, '\nnetworks:') + 1;
    const page = addNotes(f, SERVER_PAGE, [
      `Hand-written: the server mounts media read-write.【F:${AUTHENTIK}†L${volumes + 2}-L${volumes}】`,
      `Hand-written: the whole server block.【F:${AUTHENTIK}†L${server.start}-L${server.end + 5}】`,
      `Hand-written: the shared networks are declared at the end.【F:${AUTHENTIK}†L${networksTop}-L${lines + 15}】`,
    ]);
    const report = await f.check(WARN_ONLY);
    expect(report.drift.filter((d) => d.file === SERVER_PAGE)).toEqual([]); // what a person wrote is not drift
    expect(report.citations).toHaveLength(3);
    const [inverted, straddle, past] = report.citations;
    const at = (token: string) => ({ file: SERVER_PAGE, line: lineOf(page, token), column: page.split('\n')[lineOf(page, token) - 1]!.indexOf(token) + 1 });

    const invertedToken = `【F:${AUTHENTIK}†L${volumes + 2}-L${volumes}】`;
    expect(inverted).toMatchObject({ code: 'citation-inverted', citation: invertedToken, page: at(invertedToken), suggestion: { file: AUTHENTIK, startLine: volumes, endLine: volumes + 2 }, fixedByGenerate: false });
    expect(inverted?.message).toContain(`cite 【F:${AUTHENTIK}†L${volumes}-L${volumes + 2}】`);

    const straddleToken = `【F:${AUTHENTIK}†L${server.start}-L${server.end + 5}】`;
    expect(straddle).toMatchObject({ code: 'citation-straddles', page: at(straddleToken), suggestion: { file: AUTHENTIK, startLine: server.start, endLine: server.end } });
    expect(straddle?.message).toContain(`covers server (L${server.start}-L${server.end}) and runs into worker`);

    const pastToken = `【F:${AUTHENTIK}†L${networksTop}-L${lines + 15}】`;
    expect(past).toMatchObject({ code: 'citation-out-of-range', page: at(pastToken), suggestion: { file: AUTHENTIK, startLine: networksTop, endLine: lines } });
    expect(past?.message).toContain(`ends at L${lines}`);

    expect(report.summary.citationErrors).toBe(3);
    expect(report.exitCode).toBe(1);
  });

  it('a stack range that stops hundreds of lines early', async () => {
    const tools = f.readSource('tools/compose.yml');
    const lines = tools.trimEnd().split('\n').length;
    expect(lines).toBeGreaterThan(250);
    const stackPage = 'home/Platform/Stacks/tools/index.md';
    const text = f.readPage(stackPage);
    expect(text.trimEnd().endsWith('## Notes')).toBe(true);
    f.writePage(stackPage, `${text.trimEnd()}\n\nEverything the tools stack runs.【F:tools/compose.yml†L1-L95】\n`);
    const report = await f.check(WARN_ONLY);
    expect(report.drift).toEqual([]);
    expect(report.citations).toHaveLength(1);
    expect(report.citations[0]).toMatchObject({ code: 'citation-stack-short', suggestion: { file: 'tools/compose.yml', startLine: 1, endLine: lines } });
    expect(report.citations[0]?.message).toContain(`${lines - 95} lines before the end of the file`);
  });

  it("a page a person added a section to: that section's citations are still judged by what their words name", async () => {
    const compose = f.readSource(AUTHENTIK);
    const logLevel = lineOf(compose, '  AUTHENTIK_LOG_LEVEL:');
    const page = f.readPage(SERVER_PAGE);
    // Pointed at the line above the variable it names: only looking the name up finds that.
    f.writePage(SERVER_PAGE, `${page}\n## Runbook\n\n- \`AUTHENTIK_LOG_LEVEL\` stays at \`info\`.【F:${AUTHENTIK}†L${logLevel - 1}-L${logLevel - 1}】\n`);
    const report = await f.check(WARN_ONLY);
    expect(report.drift).toEqual([]);
    expect(report.citations).toHaveLength(1);
    expect(report.citations[0]).toMatchObject({ page: { file: SERVER_PAGE, line: page.split('\n').length + 3 }, suggestion: { file: AUTHENTIK, startLine: logLevel, endLine: logLevel } });
  });

  it('when a cited element moved, says where it is now; stale generated citations are left to generate', async () => {
    const compose = f.readSource(AUTHENTIK);
    const logLevel = lineOf(compose, '  AUTHENTIK_LOG_LEVEL:');
    addNotes(f, SERVER_PAGE, [`Hand-written: \`AUTHENTIK_LOG_LEVEL\` is \`info\` unless set.【F:${AUTHENTIK}†L${logLevel}-L${logLevel}】`]);
    expect((await f.check(WARN_ONLY)).citations).toEqual([]);
    // A documentation comment inserted above the shared settings moves every line below it.
    f.editSource(AUTHENTIK, '  AUTHENTIK_SECRET_KEY:', '  # -- a new comment\n  AUTHENTIK_SECRET_KEY:');
    const report = await f.check(WARN_ONLY);
    const own = report.citations.filter((c) => !c.fixedByGenerate);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ code: 'citation-moved', suggestion: { file: AUTHENTIK, startLine: logLevel + 1, endLine: logLevel + 1 } });
    expect(own[0]?.message).toContain(`\`AUTHENTIK_LOG_LEVEL\` is now at L${logLevel + 1}`);
    // The environment table row of the generated page: its Variable cell names the variable.
    const row = report.citations.find((c) => c.fixedByGenerate && c.page.file === SERVER_PAGE && c.cited.startLine === logLevel);
    expect(row).toMatchObject({ code: 'citation-moved', suggestion: { file: AUTHENTIK, startLine: logLevel + 1, endLine: logLevel + 1 } });
    expect(report.summary.citationErrors).toBe(1);
    expect(report.summary.staleCitations).toBeGreaterThan(10);
    // Stale generated citations are summed up under their page, not listed one by one.
    const text = formatText(report, paths(f), { color: false });
    expect(text).toMatch(/citations point at old lines; generate rewrites them/);
    expect(text.split('\n').filter((l) => l.includes('citation-moved'))).toHaveLength(1);
  });

  it('checks the file of every citation, blank ranges, and skips code blocks', async () => {
    const compose = f.readSource(AUTHENTIK);
    const blank = compose.split('\n').findIndex((l, i) => i > 40 && l.trim() === '') + 1;
    addNotes(f, SERVER_PAGE, [
      'Hand-written: see 【F:authentik/docker-compose.yml†L1-L5】 and 【F:../secrets.yml†L1-L1】.',
      `Hand-written: nothing here.【F:${AUTHENTIK}†L${blank}-L${blank}】`,
    ]);
    const text = f.readPage(SERVER_PAGE);
    f.writePage(SERVER_PAGE, `${text}\n\`\`\`markdown\nAn example citation 【F:nope.yml†L9-L1】\n\`\`\`\n`);
    const report = await f.check(WARN_ONLY);
    expect(report.citations.map((c) => c.code)).toEqual(['citation-file-missing', 'citation-file-missing', 'citation-empty']);
    expect(report.citations[0]?.message).toContain('authentik/docker-compose.yml does not exist');
    expect(report.citations[1]?.message).toContain('outside the compose repository');
  });

  it('reads a file only pages cite (not a compose file) before validating those pages, orphans too', async () => {
    const readme = f.readSource('README.md').trimEnd().split('\n').length;
    addNotes(f, SERVER_PAGE, [`Hand-written: see 【F:README.md†L1-L1】 and 【F:README.md†L${readme + 1}-L${readme + 2}】.`]);
    f.writePage('home/Platform/Stacks/authentik/retired.md', `${f.readPage(SERVER_PAGE).replace('title: authentik-server', 'title: retired')}`);
    const report = await f.check(WARN_ONLY);
    expect(report.citations.map((c) => [c.page.file, c.code])).toEqual([
      [SERVER_PAGE, 'citation-out-of-range'],
      ['home/Platform/Stacks/authentik/retired.md', 'citation-out-of-range'],
    ]);
    expect(report.citations[0]?.message).toContain(`README.md has ${readme} lines`);
    expect(report.drift.map((d) => d.kind)).toEqual(['orphan']); // notes a person added are not drift
  });

  it('a literal password is a finding that never shows the password', async () => {
    const tools = f.readSource('tools/compose.yml');
    const examplePassword = /SECURITY_INITIALLOGIN_PASSWORD: *([^\s#]+)/.exec(tools)?.[1];
    expect(examplePassword?.length).toBeGreaterThan(3);
    const password = 'Tr0ub4dor-and-3-horses';
    f.editSource('tools/compose.yml', '      SECURITY_INITIALLOGIN_USERNAME: admin\n', `      SECURITY_INITIALLOGIN_USERNAME: admin\n      BACKUP_ADMIN_PASSWORD: ${password}\n`);
    const report = await f.check();
    const secrets = report.findings.filter((x) => x.id === 'literal-secret' && x.range?.file === 'tools/compose.yml');
    expect(secrets.map((x) => x.message).join('\n')).toMatch(/BACKUP_ADMIN_PASSWORD/);
    expect(secrets).toHaveLength(2);
    expect(secrets.every((x) => x.severity === 'error')).toBe(true);
    const output = everything(f, report);
    expect(output).not.toContain(password);
    expect(output).not.toContain(examplePassword!);
    expect(report.exitCode).toBe(1);
  });

  it('finding levels come from the config: error, warning or off', async () => {
    f.editSource('frontdoor/compose.yml', 'image: traefik/whoami:v1.11.0', 'image: traefik/whoami');
    const defaults = await f.check(WARN_ONLY);
    const latest = defaults.findings.find((x) => x.id === 'image-latest');
    expect(latest).toMatchObject({ severity: 'warning', origin: 'model', range: { file: 'frontdoor/compose.yml' } });
    expect(defaults.findings.some((x) => x.id === 'no-healthcheck')).toBe(true);
    expect(defaults.findings.some((x) => x.id === 'no-restart-policy' || x.id === 'no-healthcheck')).toBe(true);

    const strict = await f.check({ ...WARN_ONLY, 'image-latest': 'error', 'no-healthcheck': 'off' });
    expect(strict.findings.find((x) => x.id === 'image-latest')?.severity).toBe('error');
    expect(strict.findings.some((x) => x.id === 'no-healthcheck')).toBe(false);
    expect(strict.exitCode).toBe(1);

    const quiet = await f.check({ 'literal-secret': 'off', 'image-latest': 'off' });
    expect(quiet.findings.some((x) => x.id === 'literal-secret' || x.id === 'image-latest')).toBe(false);
    expect(quiet.summary.findingErrors).toBe(0);
  });

  it("reports the relations findings: the worker's skewed tag and the unbacked database volume", async () => {
    const compose = f.readSource(AUTHENTIK);
    const report = await f.check(WARN_ONLY);
    const skew = report.findings.find((x) => x.id === 'version-skew');
    expect(skew).toMatchObject({ severity: 'warning', origin: 'relations', range: { file: AUTHENTIK, startLine: lineOf(compose, 'image: ghcr.io/goauthentik/server:2025.8.3') } });
    expect(skew?.related).toContainEqual({ file: AUTHENTIK, startLine: lineOf(compose, 'image: ghcr.io/goauthentik/server:2025.8.4'), endLine: lineOf(compose, 'image: ghcr.io/goauthentik/server:2025.8.4') });
    expect(report.findings.some((x) => x.id === 'unbacked-volume' && x.message.includes('mariadb'))).toBe(true);
    expect((await f.check({ ...WARN_ONLY, 'version-skew': 'error' })).exitCode).toBe(1);
  });

  it('variables without a purpose are findings on the page; a purpose written by a person clears them', async () => {
    const report = await f.check(WARN_ONLY);
    const missing = report.findings.filter((x) => x.id === 'env-purpose-missing');
    expect(missing.length).toBeGreaterThan(0);
    const first = missing[0]!;
    expect(first.page?.file).toMatch(/\.md$/);
    const text = f.readPage(first.page!.file);
    const line = text.split('\n')[first.page!.line - 1]!;
    expect(line).toContain('(purpose not documented)');
    f.writePage(first.page!.file, text.replace(line, line.replace(/_?\(purpose not documented\)_?/, 'Written by a person.')));
    const after = await f.check(WARN_ONLY);
    expect(after.drift).toEqual([]);
    expect(after.findings.filter((x) => x.id === 'env-purpose-missing')).toHaveLength(missing.length - 1);
  });
});
