/**
 * `compose-wiki model`, run as a real subprocess: exit codes (0 clean, 1 error diagnostics, 2 usage
 * errors) and `--json` output that is byte-identical across runs and across copies of the same
 * repository in different places (no absolute paths, no timestamps).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/compose-wiki.js', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const AWESOME = path.join(CORPUS, 'docker__awesome-compose');
const ANDRONICS = path.join(CORPUS, 'andronics__homelab-docker-compose');

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI with the Node running the tests, from a neutral folder (no compose-wiki.yaml there). */
function run(args: readonly string[]) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'compose-wiki-cwd-'));
  temporary.push(cwd);
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, cwd };
}

/** Copies a corpus into a fresh temporary parent, keeping the folder's own name. */
function copyOf(source: string): string {
  const parent = mkdtempSync(path.join(tmpdir(), 'compose-wiki-copy-'));
  temporary.push(parent);
  const target = path.join(parent, path.basename(source));
  cpSync(source, target, { recursive: true });
  return target;
}

describe('compose-wiki model', () => {
  it('runs on Node 24 here', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
  });

  it('exits 0 on a repository without error diagnostics', () => {
    const result = run(['model', '--source', AWESOME, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const project = JSON.parse(result.stdout) as { stacks: unknown[] };
    expect(project.stacks.length).toBe(39);
  });

  it('exits 1 on a repository with error diagnostics, and names them on stderr in the readable form', () => {
    expect(run(['model', '--source', ANDRONICS, '--json']).code).toBe(1);
    const readable = run(['model', '--source', ANDRONICS]);
    expect(readable.code).toBe(1);
    expect(readable.stderr).toContain('tor/compose.yml:36:5: error yaml-syntax');
    expect(readable.stderr).toContain('traktarr/compose.yml:10:18: error yaml-tab');
    // Each file is named relative to the folder the command ran in, so a terminal or editor opens it.
    const shown = /^(\S+):36:5: error yaml-syntax/m.exec(readable.stderr)?.[1];
    expect(shown).toBeDefined();
    expect(path.isAbsolute(shown as string)).toBe(false);
    expect(path.resolve(readable.cwd, shown as string)).toBe(path.join(ANDRONICS, 'tor', 'compose.yml'));
    expect(readable.stdout).toMatch(/^andronics__homelab-docker-compose: 40 stacks/);
  });

  it('exits 2 when --source is not a folder', () => {
    const result = run(['model', '--source', path.join(tmpdir(), 'compose-wiki-no-such-folder-7f3a'), '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no such folder|does not exist|not a folder/i);
  });

  it('exits 2 on an unknown flag', () => {
    const result = run(['model', '--source', AWESOME, '--no-such-flag']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option/i);
  });

  it('prints byte-identical --json across runs and across copies in different folders', () => {
    const first = run(['model', '--source', AWESOME, '--json']);
    const second = run(['model', '--source', AWESOME, '--json']);
    expect(second.stdout).toBe(first.stdout);
    const copyA = copyOf(AWESOME);
    const copyB = copyOf(AWESOME);
    const a = run(['model', '--source', copyA, '--json']);
    const b = run(['model', '--source', copyB, '--json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toBe(first.stdout);
    for (const output of [a.stdout, first.stdout]) {
      expect(output).not.toContain(copyA);
      expect(output).not.toContain(path.join(tmpdir(), 'compose-wiki-'));
      expect(output).not.toContain(CORPUS);
      expect(output).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
  });

  it('prints byte-identical --json for a repository with diagnostics, too', () => {
    const a = run(['model', '--source', copyOf(ANDRONICS), '--json']);
    const b = run(['model', '--source', copyOf(ANDRONICS), '--json']);
    expect(a.code).toBe(1);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toContain(path.join(tmpdir(), 'compose-wiki-'));
  });
});
