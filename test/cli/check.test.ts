/**
 * `compose-wiki check` as CI runs it: the real binary as a subprocess, exit codes 0 (clean),
 * 1 (drift, citation errors, error findings) and 2 (usage or configuration error).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFixture, type Fixture } from '../check/fixture.ts';
import { validate } from '../check/json-schema.ts';
import { BIN, runCli } from './run-cli.ts';

const SCHEMA = JSON.parse(readFileSync(new URL('../../docs/check-output.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const SERVER_PAGE = 'home/Platform/Stacks/authentik/authentik-server.md';

/** A fixture with a compose-wiki.yaml that names its folders (and turns literal secrets into warnings). */
async function project(config = 'source: homelab\ncontent: content\nfindings:\n  literal-secret: warning\n'): Promise<Fixture> {
  const f = await makeFixture();
  writeFileSync(path.join(f.root, 'compose-wiki.yaml'), config);
  return f;
}

const check = (f: Fixture, args: string[] = [], env: NodeJS.ProcessEnv = {}) => runCli(['check', ...args], { cwd: f.root, env: { SOURCE_DATE_EPOCH: '1767225600', ...env } });

describe('compose-wiki check (subprocess)', { timeout: 300_000 }, () => {
  it('exits 0 when the pages match, 1 after a compose change, 0 after generate (--fix)', async () => {
    const f = await project();
    const clean = check(f);
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    expect(clean.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d+ pages checked, 0 drifted, 0 citation errors, \d+ findings \(0 errors, \d+ warnings\)$/);

    const compose = f.readSource('authentik/compose.yml');
    const line = compose.slice(0, compose.indexOf('image: ghcr.io/goauthentik/server:2025.8.4')).split('\n').length;
    f.editSource('authentik/compose.yml', 'image: ghcr.io/goauthentik/server:2025.8.4', 'image: ghcr.io/goauthentik/server:2025.8.5');
    const drifted = check(f);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toContain(`drift   content/${SERVER_PAGE}: out of date with the compose files`);
    expect(drifted.stdout).toContain(`  caused by homelab/authentik/compose.yml:${line}\n`);
    expect(drifted.stdout).toContain('+- **Image:** `ghcr.io/goauthentik/server:2025.8.5`');
    expect(drifted.stdout).toContain('Run `compose-wiki generate`');
    expect(drifted.stdout).not.toContain('\u001b['); // not a terminal

    const fixed = check(f, ['--fix']);
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toMatch(/^generate: \d+ page\(s\) written/);
    expect(f.readPage(SERVER_PAGE)).toContain('`ghcr.io/goauthentik/server:2025.8.5`');
  });

  it('--format json validates against the schema; --format github writes workflow commands', async () => {
    const f = await project();
    f.editSource('authentik/compose.yml', 'image: ghcr.io/goauthentik/server:2025.8.4', 'image: ghcr.io/goauthentik/server:2025.8.5');
    f.writePage(SERVER_PAGE, `${f.readPage(SERVER_PAGE).trimEnd()}\n- Hand-written.【F:authentik/compose.yml†L152-L128】\n`);
    const json = check(f, ['--format', 'json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { exitCode: number; citations: Array<{ code: string; page: { file: string }; suggestion?: unknown }> };
    expect(validate(SCHEMA, report)).toEqual([]);
    expect(report.exitCode).toBe(1);
    expect(report.citations).toMatchObject([{ code: 'citation-inverted', page: { file: SERVER_PAGE }, suggestion: { file: 'authentik/compose.yml', startLine: 128, endLine: 152 } }]);

    const github = check(f, ['--format', 'github']);
    expect(github.code).toBe(1);
    const lines = github.stdout.trimEnd().split('\n');
    expect(lines.some((l) => l.startsWith(`::error file=content/${SERVER_PAGE},line=`) && l.includes('title=compose-wiki%3A citation-inverted::'))).toBe(true);
    expect(lines.some((l) => l.startsWith('::error file=homelab/authentik/compose.yml,line=') && l.includes('docs out of date'))).toBe(true);
    expect(lines.some((l) => l.startsWith('::warning file=homelab/'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^\d+ pages checked, \d+ drifted, 1 citation error, \d+ findings/);
  });

  it('never prints a literal password (default levels: exit 1)', async () => {
    const f = await project('source: homelab\ncontent: content\n');
    const password = 'correct-horse-battery-staple-42';
    f.editSource('tools/compose.yml', '      SECURITY_INITIALLOGIN_USERNAME: admin\n', `      SECURITY_INITIALLOGIN_USERNAME: admin\n      ADMIN_PASSWORD: ${password}\n`);
    for (const format of ['text', 'json', 'github']) {
      const result = check(f, ['--format', format]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/ADMIN_PASSWORD/);
      expect(result.stdout + result.stderr).not.toContain(password);
      expect(result.stdout + result.stderr).not.toContain('changeme-literal-demo');
    }
  });

  it('colours only when forced or on a terminal, and NO_COLOR wins', async () => {
    const f = await project();
    f.editSource('authentik/compose.yml', 'image: ghcr.io/goauthentik/server:2025.8.4', 'image: ghcr.io/goauthentik/server:2025.8.5');
    expect(check(f, [], { NO_COLOR: '', FORCE_COLOR: '1' }).stdout).toContain('\u001b[');
    expect(check(f, [], { NO_COLOR: '1', FORCE_COLOR: '1' }).stdout).not.toContain('\u001b[');
  });

  it('exits 2 on usage and configuration errors', async () => {
    const f = await project();
    const badFormat = check(f, ['--format', 'xml']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/xml/);
    expect(check(f, ['--no-such-flag']).code).toBe(2);
    const missing = check(f, ['--source', 'does-not-exist']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does-not-exist/);
    writeFileSync(path.join(f.root, 'bad.yaml'), 'findings:\n  literal-secret: fatal\n');
    const badConfig = check(f, ['--config', 'bad.yaml']);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/bad\.yaml:2:\d+/);
    expect(check(f, [], { SOURCE_DATE_EPOCH: 'yesterday' }).code).toBe(2);
  });

  it('stops quietly with 141 when the reader of its output goes away (check | head), in every format', async () => {
    const f = await project();
    // Every line of every compose file moves: every page drifts, far more output than a pipe holds.
    for (const file of ['authentik/compose.yml', 'frontdoor/compose.yml', 'tools/compose.yml']) f.writeSource(file, `\n${f.readSource(file)}`);
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('compose-wiki-check-')));
    for (const format of ['text', 'json', 'github']) {
      const result = await new Promise<{ code: number | null; stderr: string; read: number }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'check', '--format', format], { cwd: f.root, env: { ...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1767225600' } });
        let stderr = '';
        let read = 0;
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        // Like `head -c 100`: read a little, then close the pipe.
        child.stdout.once('data', (chunk: Buffer) => {
          read = chunk.length;
          child.stdout.destroy();
        });
        child.on('close', (code) => resolve({ code, stderr, read }));
      });
      expect(result.read).toBeGreaterThan(0);
      expect(result.stderr).toBe(''); // no stack trace
      expect(result.code).toBe(141);
    }
    // The JSON report's held citation errors are not left behind in a temporary file.
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('compose-wiki-check-') && !before.has(n))).toEqual([]);
  });
});
