/** The synthetic homelab of the benchmarks: deterministic, loadable without errors, realistic. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/lib/compose/index.ts';
import type { Project } from '../../src/lib/model/types.ts';
import { MARKER_FILE, countServices, synthHomelab, writeTree } from '../../scripts/synth-homelab.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/synth-homelab.ts', import.meta.url));
const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'synth-homelab-test-'));
  created.push(dir);
  return dir;
}

/** Every file below `dir`, as path → bytes. */
function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, file).split(path.sep).join('/'), readFileSync(file));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const serviceCount = (project: Project) => project.stacks.reduce((n, s) => n + s.services.length, 0);

describe('synth-homelab', () => {
  it('writes a byte-identical tree for the same seed, from the command line too', () => {
    const a = tempDir();
    const b = tempDir();
    for (const out of [a, b]) {
      const r = spawnSync(process.execPath, [SCRIPT, '--stacks', '13', '--seed', '7', '--out', path.join(out, 'lab')], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    const treeA = readTree(path.join(a, 'lab'));
    const treeB = readTree(path.join(b, 'lab'));
    expect(treeA.size).toBeGreaterThan(13 * 2);
    expect([...treeA.keys()]).toEqual([...treeB.keys()]);
    for (const [file, bytes] of treeA) expect(bytes.equals(treeB.get(file) as Buffer), file).toBe(true);
    // The in-memory tree is what was written (plus the marker file).
    const memory = synthHomelab({ stacks: 13, seed: 7 });
    expect([...treeA.keys()].filter((f) => f !== MARKER_FILE)).toEqual([...memory.keys()]);
    for (const [file, text] of memory) expect(treeA.get(file)?.toString('utf8')).toBe(text);
  });

  it('depends on the seed, and a larger homelab starts with the same stacks', () => {
    const one = synthHomelab({ stacks: 12, seed: 1 });
    const two = synthHomelab({ stacks: 12, seed: 2 });
    expect([...one.values()].join('')).not.toBe([...two.values()].join(''));
    // Stack i depends only on the seed and i (its own PRNG stream), not on how many follow.
    const bigger = synthHomelab({ stacks: 25, seed: 1 });
    const frontdoor = [...one.keys()].find((f) => f.startsWith('frontdoor/compose.yml')) as string;
    expect(bigger.get(frontdoor)).toBe(one.get(frontdoor));
  });

  it('has a compose.yml and an .env.example in every stack folder, and ~10 services per stack', () => {
    for (const stacks of [1, 3, 12, 40]) {
      const tree = synthHomelab({ stacks, seed: 3 });
      const composeFiles = [...tree.keys()].filter((f) => /^[^/]+\/compose\.yml$/.test(f));
      expect(composeFiles).toHaveLength(stacks);
      for (const file of composeFiles) expect(tree.has(file.replace('compose.yml', '.env.example')), file).toBe(true);
      const services = countServices(tree);
      expect(services).toBeGreaterThanOrEqual(Math.floor(stacks * 10 * 0.85));
      expect(services).toBeLessThanOrEqual(Math.ceil(stacks * 10 * 1.2));
    }
  });

  it('uses every Compose feature the loader supports', () => {
    const tree = synthHomelab({ stacks: 13, seed: 1 });
    const all = [...tree.entries()].filter(([f]) => f.endsWith('.yml')).map(([, t]) => t).join('\n');
    const features: Record<string, RegExp> = {
      'plain ${VAR}': /\$\{[A-Z_]+\}/,
      '$VAR': /: \$[A-Z_]+\n/,
      '${VAR:-default}': /\$\{[A-Z_]+:-[^}]/,
      '${VAR-default}': /\$\{[A-Z_]+-[^}]/,
      '${VAR:?error}': /\$\{[A-Z_]+:\?/,
      '${VAR?error}': /\$\{[A-Z_]+\?/,
      '${VAR:+replacement}': /\$\{[A-Z_]+:\+/,
      '${VAR+replacement}': /\$\{[A-Z_]+\+/,
      'nested default': /\$\{[A-Z_]+:-[^}]*\$\{/,
      '$$ escape': /\$\$[({]/,
      anchor: /&[a-z-]+\n/,
      'scalar anchor': /&immich-version v/,
      alias: /: \*default-logging/,
      'merge key': /<<: \*/,
      'extends (other file)': /extends:\n\s+file: \.\.\/common\/base\.yml/,
      'extends (same file)': /extends:\n\s+service: |extends: [a-z]/,
      include: /^include:\n {2}- exporters\.yml/m,
      'env_file (short)': /env_file: \.\//,
      'env_file (long)': /env_file:\n\s+- path: /,
      'long port': /- target: \d+\n\s+published: /,
      'bind volume (long)': /type: bind\n/,
      'tmpfs volume': /type: tmpfs\n/,
      'network aliases': /aliases:\n/,
      ipv4_address: /ipv4_address: /,
      'depends_on condition': /condition: service_healthy/,
      'environment list': /environment:\n\s+- [A-Z_]+=/,
      'labels list': /labels:\n\s+- traefik\./,
      'traefik labels': /traefik\.http\.routers\.[a-z0-9-]+\.rule: "Host\(`/,
      healthcheck: /healthcheck:\n\s+test: \[/,
      'healthcheck disabled': /healthcheck:\n\s+disable: true/,
      profiles: /profiles:\n\s+- debug/,
      secrets: /^secrets:\n/m,
      'inline config': /content: \|/,
      'external network': /db_net:\n\s+external: true/,
      'x-wiki': /x-wiki:/,
      'documentation comment': /# -- /,
      'backup job': /cupcakearmy\/autorestic/,
      'redis index': /redis:\/\/:\$\{REDIS_PASSWORD\}@redis-\d+:6379\/\d+/,
      deploy: /deploy:\n\s+resources:/,
    };
    const missing = Object.entries(features).filter(([, re]) => !re.test(all)).map(([name]) => name);
    expect(missing).toEqual([]);
    expect([...tree.keys()].some((f) => f.endsWith('/compose.override.yml'))).toBe(true);
  });

  it('loads with zero error diagnostics, reading every compose and env file it wrote', async () => {
    const root = path.join(tempDir(), 'lab');
    const tree = synthHomelab({ stacks: 23, seed: 11 });
    writeTree(root, tree);
    const project = await loadProject(root);
    const errors = project.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([]);
    expect(project.stacks).toHaveLength(23);
    expect(serviceCount(project)).toBe(countServices(tree));
    const read = new Set(project.files.map((f) => f.path));
    const loadable = [...tree.keys()].filter((f) => /(\.ya?ml|\.env\.example|\.env)$/.test(f) && /(compose|exporters|base)\.yml$|\.env(\.example)?$/.test(f));
    expect(loadable.filter((f) => !read.has(f))).toEqual([]);
  });

  it('wires consumers to their group’s databases with distinct Redis indexes', async () => {
    const root = path.join(tempDir(), 'lab');
    writeTree(root, synthHomelab({ stacks: 30, seed: 5 }));
    const project = await loadProject(root);
    const services = project.stacks.flatMap((s) => s.services);
    const consumers = services.filter((s) => s.environment.some((e) => /^postgres-\d+$|^postgres-\d+:5432$/.test(e.value ?? '')));
    expect(consumers.length).toBeGreaterThan(10);
    // Redis indexes: per Redis server, each consumer its own database number.
    const byServer = new Map<string, string[]>();
    for (const s of services) {
      const server = s.environment.find((e) => /REDIS_HOST(NAME)?$/.test(e.name))?.value ?? /@(redis-\d+):/.exec(s.environment.find((e) => e.name === 'PAPERLESS_REDIS')?.value ?? '')?.[1];
      const index = s.environment.find((e) => /REDIS_DB(INDEX|_INDEX)?$|REDIS__DB$/.test(e.name))?.value ?? /\/(\d+)$/.exec(s.environment.find((e) => e.name === 'PAPERLESS_REDIS')?.value ?? '')?.[1];
      // Workers and cron containers extend their application and share its index on purpose.
      if (!server || !index || /-(worker|cron)$/.test(s.name)) continue;
      byServer.set(server, [...(byServer.get(server) ?? []), index]);
    }
    expect(byServer.size).toBeGreaterThanOrEqual(2);
    for (const [server, indexes] of byServer) expect(new Set(indexes).size, server).toBe(indexes.length);
    // Every group's backup job mounts volumes of other stacks, declared external.
    const backups = services.filter((s) => s.image?.value.repository.endsWith('autorestic'));
    expect(backups).toHaveLength(3);
    for (const b of backups) expect(b.volumes.filter((v) => v.value.readOnly).length).toBeGreaterThan(3);
  });

  it('refuses to overwrite a folder it did not write', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'mine'));
    writeFileSync(path.join(dir, 'mine', 'keep.txt'), 'precious');
    const tree = synthHomelab({ stacks: 1 });
    expect(() => writeTree(path.join(dir, 'mine'), tree)).toThrow(/not empty/);
    expect(() => writeTree(path.join(dir, 'mine'), tree, { force: true })).toThrow(/refusing/);
    expect(readFileSync(path.join(dir, 'mine', 'keep.txt'), 'utf8')).toBe('precious');
    writeTree(path.join(dir, 'ours'), tree);
    writeTree(path.join(dir, 'ours'), tree, { force: true });
    expect(readTree(path.join(dir, 'ours')).size).toBe(tree.size + 1);
  });
});
