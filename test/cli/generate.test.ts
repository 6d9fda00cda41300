import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/lib/compose/index.ts';
import { runCli } from './run-cli.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/homelab/', import.meta.url));
const SERVER_PAGE = 'home/Platform/Stacks/authentik/authentik-server.md';
const PAPERLESS_PAGE = 'home/Platform/Stacks/tools/paperless.md';
const IT_TOOLS_PAGE = 'home/Platform/Stacks/tools/it-tools.md';

/** Every .md file under `dir` with its mtime. */
function snapshot(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), statSync(full).mtimeMs);
    }
  };
  walk(dir);
  return out;
}

const bodyOf = (text: string) => text.slice(text.indexOf('\n# '));

describe('compose-wiki generate', () => {
  let work: string;
  let source: string;
  let content: string;
  const generate = (epoch = '1767225600') => runCli(['generate', '--source', source, '--out', content], { cwd: work, env: { SOURCE_DATE_EPOCH: epoch } });

  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'cw-generate-'));
    source = path.join(work, 'homelab');
    content = path.join(work, 'content');
    cpSync(EXAMPLE, source, { recursive: true });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes every page, then a second run writes nothing', () => {
    const first = generate();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/56 pages in .*content\/: 56 written, 0 unchanged/);
    const before = snapshot(content);
    const second = generate();
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/0 written, 56 unchanged/);
    expect(snapshot(content)).toEqual(before);
    expect(readFileSync(path.join(content, SERVER_PAGE), 'utf8')).toContain('date: 2026-01-01T00:00:00.000Z');
  });

  it('updates every derived fact after compose changes and keeps every hand-written word', async () => {
    // A person edits pages.
    const serverFile = path.join(content, SERVER_PAGE);
    let server = readFileSync(serverFile, 'utf8');
    server = server.replace('tags: homelab, authentik', 'tags: homelab, authentik, identity');
    server = server.replace('## Runtime Profile', 'Hand-written: the admin UI is at /if/admin and only reachable from the LAN.\n\n## Runtime Profile');
    server = server.replace('## Operational Notes\n', '## Operational Notes\n\n- Hand-written: rotate the bootstrap token after the first login.\n');
    server = `${server.trimEnd()}\n\n## Runbook\n\nHand-written: restart the worker first, then the server.\n`;
    writeFileSync(serverFile, server);
    const paperlessFile = path.join(content, PAPERLESS_PAGE);
    const paperless = readFileSync(paperlessFile, 'utf8');
    const placeholderRow = paperless.split('\n').find((l) => l.includes('_(purpose not documented)_'));
    expect(placeholderRow, 'paperless has an undocumented variable to fill in').toBeDefined();
    writeFileSync(paperlessFile, paperless.replace(placeholderRow!, placeholderRow!.replace('_(purpose not documented)_', 'Hand-written purpose of this variable.')));

    // The compose files change: a tag bump, one variable added and one removed, a service added and one removed.
    const authentikFile = path.join(source, 'authentik/compose.yml');
    let authentik = readFileSync(authentikFile, 'utf8');
    authentik = authentik.replace('image: ghcr.io/goauthentik/server:2025.8.4\n    container_name: authentik-server', 'image: ghcr.io/goauthentik/server:2025.10.1\n    container_name: authentik-server');
    authentik = authentik.replace(
      '      # -- Parent domain of the session cookie, so forward auth works on every subdomain\n      AUTHENTIK_COOKIE_DOMAIN: ${AUTHENTIK_COOKIE_DOMAIN:-example.home}\n',
      '      # -- Networks whose X-Forwarded-For headers are trusted\n      AUTHENTIK_LISTEN__TRUSTED_PROXY_CIDRS: 10.0.0.0/8\n',
    );
    writeFileSync(authentikFile, authentik);
    const project = await loadProject(source);
    const itTools = project.stacks.find((s) => s.id === 'tools')!.services.find((s) => s.name === 'it-tools')!;
    const toolsFile = path.join(source, 'tools/compose.yml');
    const toolsLines = readFileSync(toolsFile, 'utf8').split('\n');
    toolsLines.splice(itTools.range.startLine - 1, itTools.range.endLine - itTools.range.startLine + 1);
    writeFileSync(toolsFile, toolsLines.join('\n'));
    cpSync(path.join(EXAMPLE, 'networking/compose.yml'), path.join(source, 'extra/compose.yml'));
    writeFileSync(path.join(source, 'extra/compose.yml'), 'services:\n  # A second whoami for testing routes.\n  whoami-two:\n    image: traefik/whoami:v1.11.0\n    restart: unless-stopped\n');

    const before = new Map([...snapshot(content).keys()].filter((f) => f.endsWith('.md')).map((f) => [f, readFileSync(path.join(content, f), 'utf8')]));
    const result = generate('1767312000');
    expect(result.code, result.stderr).toBe(0);
    server = readFileSync(serverFile, 'utf8');
    expect(server).toContain('`ghcr.io/goauthentik/server:2025.10.1`');
    expect(server).not.toContain('2025.8.4`【');
    expect(server).toContain('AUTHENTIK_LISTEN__TRUSTED_PROXY_CIDRS');
    expect(server).not.toContain('AUTHENTIK_COOKIE_DOMAIN');
    expect(server).toContain('tags: homelab, authentik, identity');
    expect(server).toContain('Hand-written: the admin UI is at /if/admin and only reachable from the LAN.');
    expect(server).toContain('- Hand-written: rotate the bootstrap token after the first login.');
    expect(server).toContain('## Runbook\n\nHand-written: restart the worker first, then the server.');
    expect(server).toContain('date: 2026-01-02T00:00:00.000Z\n');
    expect(server).toContain('dateCreated: 2026-01-01T00:00:00.000Z');
    // A page keeps its date exactly when its body did not change.
    let kept = 0;
    for (const [file, text] of before) {
      if (!existsSync(path.join(content, file))) continue;
      const now = readFileSync(path.join(content, file), 'utf8');
      const unchanged = bodyOf(now) === bodyOf(text);
      expect(now.includes('\ndate: 2026-01-01T00:00:00.000Z\n'), `${file}: date kept iff body unchanged`).toBe(unchanged);
      if (unchanged) kept++;
    }
    expect(kept).toBeGreaterThan(0);
    expect(readFileSync(paperlessFile, 'utf8')).toContain('Hand-written purpose of this variable.');
    expect(existsSync(path.join(content, 'home/Platform/Stacks/extra/whoami-two.md'))).toBe(true);
    // The orphan is reported and kept.
    expect(existsSync(path.join(content, IT_TOOLS_PAGE))).toBe(true);
    expect(result.stderr).toContain(IT_TOOLS_PAGE);
    // And it is stable again.
    expect(generate('1767398400').stdout).toMatch(/ 0 written/);
  });

  it('exits 2 with a clear message for a bad config or a missing source', () => {
    const missing = runCli(['generate', '--source', path.join(work, 'nope')], { cwd: work });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/is not a folder/);
    writeFileSync(path.join(work, 'compose-wiki.yaml'), 'source: homelab\nheader: sideways\n');
    const bad = runCli(['generate'], { cwd: work });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/compose-wiki\.yaml:2:9: "header": /);
    rmSync(path.join(work, 'compose-wiki.yaml'));
  });

  it('leaves a page nested too deeply to parse as it is, names its line, writes the rest, and exits 1', () => {
    const deepContent = path.join(work, 'deep-content');
    const run = (args: string[]) => runCli(args, { cwd: work, env: { SOURCE_DATE_EPOCH: '1767225600' } });
    expect(run(['generate', '--source', source, '--out', deepContent]).code).toBe(0);
    const deepFile = path.join(deepContent, SERVER_PAGE);
    const original = readFileSync(deepFile, 'utf8');
    const edited = `${original}\n${'>'.repeat(20_000)} a note nested too deeply\n`;
    const line = original.split('\n').length + 1;
    writeFileSync(deepFile, edited);
    rmSync(path.join(deepContent, PAPERLESS_PAGE));

    const result = run(['generate', '--source', source, '--out', deepContent, '--quiet']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `deep-content/${SERVER_PAGE}:${line}:1: error page-unreadable: the page's Markdown is nested too deeply to be parsed: line ${line} nests 20000 block quotes or list items. It was left as it is; flatten the nesting, then run generate again\n`,
    );
    expect(result.stderr).not.toMatch(/RangeError|\n\s+at /);
    expect(readFileSync(deepFile, 'utf8')).toBe(edited);
    expect(existsSync(path.join(deepContent, PAPERLESS_PAGE))).toBe(true);

    // check reports the same error (not drift: generate would leave the file as it is).
    const checked = run(['check', '--source', source, '--content', deepContent, '--format', 'json']);
    expect(checked.code).toBe(1);
    expect(checked.stderr).not.toMatch(/RangeError|\n\s+at /);
    const report = JSON.parse(checked.stdout) as { drift: unknown[]; findings: { id: string; severity: string; page?: { file: string; line: number; column: number } }[] };
    expect(report.drift).toEqual([]);
    expect(report.findings.filter((f) => f.id === 'page-unreadable')).toEqual([
      expect.objectContaining({ severity: 'error', page: { file: SERVER_PAGE, line, column: 1 } }),
    ]);

    // Flattened, the page merges again and keeps the note.
    writeFileSync(deepFile, `${original}\n> a note, flattened\n`);
    expect(run(['generate', '--source', source, '--out', deepContent, '--quiet']).code).toBe(0);
    expect(readFileSync(deepFile, 'utf8')).toContain('\n> a note, flattened\n');
  });

  it('names text a person wrote in a generated section: check before it is removed, generate when it removes it', () => {
    const own = path.join(work, 'own-content');
    const run = (args: string[]) => runCli(args, { cwd: work, env: { SOURCE_DATE_EPOCH: '1767225600' } });
    expect(run(['generate', '--source', source, '--out', own]).code).toBe(0);
    const file = path.join(own, SERVER_PAGE);
    const original = readFileSync(file, 'utf8');
    const edited = original.replace('## Operational Notes\n', 'Our SSO clients are Grafana and Paperless.\n\n## Operational Notes\n');
    expect(edited).not.toBe(original);
    const line = edited.split('\n').indexOf('Our SSO clients are Grafana and Paperless.') + 1;
    writeFileSync(file, edited);
    const where = `own-content/${SERVER_PAGE}:${line}:1`;

    const text = run(['check', '--source', source, '--content', own]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`own-content/${SERVER_PAGE}: differs from what generate writes\n  no compose line changed: generate would remove text from a section it owns (see text-in-generated-section below)`);
    expect(text.stdout).toContain(`${where}: warning text-in-generated-section: text under "Integrations" is not what generate writes there and cites nothing`);
    expect(text.stdout).toContain('Move the text that text-in-generated-section names before you run `compose-wiki generate`: it would remove it.');
    const json = JSON.parse(run(['check', '--source', source, '--content', own, '--format', 'json']).stdout) as {
      drift: { file: string; causes: unknown[] }[];
      findings: { id: string; severity: string; page?: { file: string; line: number; column: number } }[];
    };
    expect(json.drift).toEqual([expect.objectContaining({ file: SERVER_PAGE, causes: [] })]);
    expect(json.findings.filter((f) => f.id === 'text-in-generated-section')).toEqual([
      expect.objectContaining({ severity: 'warning', page: { file: SERVER_PAGE, line, column: 1 } }),
    ]);
    const github = run(['check', '--source', source, '--content', own, '--format', 'github']).stdout;
    expect(github).toContain(`::warning file=own-content/${SERVER_PAGE},line=${line},col=1,title=compose-wiki%3A text-in-generated-section::`);
    expect(github).toMatch(/differs from what generate writes: generate would remove text from a section it owns/);

    const generated = run(['generate', '--source', source, '--out', own, '--quiet']);
    expect(generated.code).toBe(0);
    expect(generated.stderr).toContain(`${where}: warning text-in-generated-section: removed text under "Integrations" that is not what generate writes there and cites nothing`);
    expect(readFileSync(file, 'utf8')).toBe(original);
    // Once removed, it is not named again.
    expect(run(['generate', '--source', source, '--out', own, '--quiet']).stderr).not.toContain('text-in-generated-section');
  });
});
