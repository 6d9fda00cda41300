/**
 * Every hostile case of cases.ts, loaded in a repository beside ordinary stacks: the loader never
 * throws, gives each case's diagnostics at their place, keeps documenting the other stacks, stays
 * fast, and never lets a planted secret into the model or a message.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/lib/compose/index.ts';
import type { Project } from '../../src/lib/model/types.ts';
import { CASES, OUTSIDE_FOLDERS, canaryBlock, type HostileCase } from './cases.ts';

const created: string[] = [];
afterAll(() => {
  for (const dir of [...created, ...OUTSIDE_FOLDERS]) rmSync(dir, { recursive: true, force: true });
});

/** The ordinary stacks every case sits beside; they hold canaries too. */
const NEIGHBOURS: Record<string, string> = {
  'good/compose.yml': `# Ordinary stack\nservices:\n  web:\n    image: nginx:1.27\n${canaryBlock('good')}  db:\n    image: postgres:16\n`,
  'other/docker-compose.yml': 'services:\n  cache:\n    image: redis:7\n    command: redis-server --requirepass CANARY-SECRET-other\n',
};

function repository(c: HostileCase): string {
  const root = mkdtempSync(path.join(tmpdir(), 'compose-wiki-hostile-'));
  created.push(root);
  for (const [file, content] of Object.entries({ ...NEIGHBOURS, ...(c.files ?? {}) })) {
    const absolute = path.join(root, ...file.split('/'));
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
  }
  c.setup?.(root);
  return root;
}

/** Checks that hold for every case. */
function checkProject(project: Project): void {
  // The ordinary stacks are documented, whatever the hostile one holds.
  const good = project.stacks.find((s) => s.id === 'good');
  expect(good?.services.map((s) => s.name)).toEqual(['web', 'db']);
  expect(project.stacks.find((s) => s.id === 'other')?.services.map((s) => s.name)).toEqual(['cache']);
  expect(project.diagnostics.filter((d) => d.file.startsWith('good/') || d.file.startsWith('other/'))).toEqual([]);
  // No planted secret anywhere in the model or its diagnostics.
  expect(JSON.stringify(project)).not.toContain('CANARY');
  // Every diagnostic names its file (repository-relative) and a place inside it.
  const lineCounts = new Map(project.files.map((f) => [f.path, f.lineCount]));
  for (const d of project.diagnostics) {
    expect(d.file).not.toBe('');
    expect(path.isAbsolute(d.file)).toBe(false);
    expect(d.message.length).toBeGreaterThan(10);
    if (d.line === 0) {
      expect(d.column).toBe(0);
      continue;
    }
    expect(d.column).toBeGreaterThan(0);
    const count = lineCounts.get(d.file);
    if (count !== undefined) expect(d.line, `${d.file}:${d.line} (${d.code})`).toBeLessThanOrEqual(Math.max(1, count));
  }
}

describe('hostile inputs', () => {
  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const root = repository(c);
    const started = performance.now();
    const project = await loadProject(root);
    const elapsed = performance.now() - started;
    if (c.maxMs !== undefined) expect(elapsed, 'load time (ms)').toBeLessThan(c.maxMs);

    const found = project.diagnostics.map((d) => ({ code: d.code, file: d.file, line: d.line, column: d.column, severity: d.severity }));
    for (const wanted of c.expect) {
      expect(found, JSON.stringify(project.diagnostics, null, 1)).toContainEqual({ severity: 'error', ...wanted });
    }
    // Nothing else goes wrong with the hostile stack than what the case expects.
    const unexpectedErrors = found.filter((d) => d.severity === 'error' && !c.expect.some((w) => w.code === d.code && w.file === d.file && w.line === d.line && w.column === d.column));
    expect(unexpectedErrors, JSON.stringify(project.diagnostics, null, 1)).toEqual([]);

    const hostile = project.stacks.find((s) => s.id === 'hostile');
    if (c.services) expect(hostile?.services.map((s) => s.name)).toEqual(c.services);
    checkProject(project);
  });
});

describe('what hostile cases must keep', () => {
  const load = async (name: string) => {
    const c = CASES.find((x) => x.name === name) as HostileCase;
    return loadProject(repository(c));
  };

  it('CRLF line endings give the same ranges as LF', async () => {
    const project = await load('CRLF line endings');
    const ranges = (id: string) => project.stacks.find((s) => s.id === id)?.services.map((s) => [s.name, s.range.startLine, s.range.endLine, s.image?.range.startLine ?? 0, ...s.environment.map((e) => e.range.startLine)]);
    expect(ranges('hostile')).toEqual(ranges('lf'));
    expect(ranges('hostile')?.[1]).toEqual(['db', 14, 15, 0]);
  });

  it('a byte order mark does not shift lines', async () => {
    const project = await load('a UTF-8 byte order mark');
    const stack = project.stacks.find((s) => s.id === 'hostile');
    expect(stack?.services.map((s) => [s.name, s.range.startLine, s.range.endLine])).toEqual([['web', 3, 4], ['db', 6, 7]]);
    expect(stack?.description).toEqual({ value: 'The web stack', range: { file: 'hostile/compose.yml', startLine: 1, endLine: 1 } });
  });

  it('keeps odd service names as data, exactly as written', async () => {
    const project = await load('service names with ../, /, spaces, dots, unicode, Markdown and HTML');
    const stack = project.stacks.find((s) => s.id === 'hostile');
    expect(stack?.services.map((s) => s.range.startLine)).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
  });

  it('keeps values with markup characters exactly as written', async () => {
    const project = await load('values with |, backticks, 【, †, -->, <script> and newlines');
    const app = project.stacks.find((s) => s.id === 'hostile')?.services[0];
    const env = Object.fromEntries(app?.environment.map((e) => [e.name, e.value]) ?? []);
    expect(env).toEqual({
      PIPE: 'a | b | c',
      BACKTICKS: '`rm -rf /` and ```fence```',
      BRACKETS: '【F:x.yml†L1-L2】',
      COMMENT: '<!-- not a comment -->',
      SCRIPT: '<script>alert(1)</script>',
      NEWLINES: 'line one\nline two\n',
    });
    expect(app?.containerName?.value).toBe('app --> <script>alert(1)</script>');
    expect(app?.labels[0]?.value.value).toBe('Pipes | and `ticks` and 【†】 and --> and <b>html</b>');
    expect(app?.range).toEqual({ file: 'hostile/compose.yml', startLine: 2, endLine: 16 });
  });

  it('documents secrets by name only: masked in URLs and commands, absent as values', async () => {
    const project = await load('secrets in every place a secret can sit');
    const app = project.stacks.find((s) => s.id === 'hostile')?.services[0];
    const env = Object.fromEntries(app?.environment.map((e) => [e.name, { value: e.value, secret: e.secret, origin: e.origin }]) ?? []);
    expect(env.ADMIN_PASSWORD).toEqual({ value: undefined, secret: true, origin: 'literal' });
    expect(env.APP_SETTING).toEqual({ value: undefined, secret: true, origin: 'interpolated' });
    expect(env.DATABASE_URL?.value).toBe('postgres://app:***@db/app');
    expect(env.REDIS_URL?.value).toBe('redis://:***@redis:6379/0');
    expect(env.API_TOKEN).toEqual({ value: undefined, secret: true, origin: 'env_file' });
    expect(env.SESSION_SECRET?.secret).toBe(true);
    expect(app?.command?.value).toBe('redis-server --requirepass *** --masterauth=***');
    expect(app?.entrypoint?.value).toBe('sh -c PGPASSWORD=*** psql');
    expect(app?.labels.map((l) => [l.value.key, l.value.value, l.value.secret])).toEqual([
      ['traefik.http.middlewares.a.basicauth.users', undefined, true],
      ['com.example.token', undefined, true],
      ['com.example.url', 'https://u:***@example.org', false],
    ]);
    expect(app?.healthcheck?.value.test).toBe('CMD-SHELL redis-cli -a *** ping && curl -u admin:*** http://x');
    const dotenv = project.stacks.find((s) => s.id === 'hostile')?.envFiles.find((f) => f.path === 'hostile/.env');
    expect(dotenv?.variables).toEqual([{ name: 'DB_PASSWORD', line: 1, hasValue: true, secret: true }]);
  });
});
