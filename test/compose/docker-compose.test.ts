/**
 * A second opinion: Docker Compose itself (Debian's `docker-compose` 1.29, where installed) resolves
 * the same fixtures with `docker-compose config`, and its images, environments and ports must equal
 * the model's. The fixtures avoid what 1.29 does not know (`name:`, `include:`, `${VAR:+r}`, nested
 * `${A:-${B}}`, which 1.29 resolves wrongly; interpolate.test.ts covers them by the specification) and
 * what the model deliberately hides (secret values, env_file values).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadProject } from '../../src/lib/compose/index.ts';
import type { PortMapping, Service } from '../../src/lib/model/types.ts';
import { makeRepo } from './helpers.ts';

const probe = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
const available = probe.status === 0;
const reason = available ? `docker-compose ${probe.stdout.trim()}` : 'skipped: the docker-compose binary is not installed (apt-get install docker-compose)';

interface Fixture {
  readonly name: string;
  readonly files: Record<string, string>;
  /** Compose files of the stack in `-f` order, relative to the stack folder. */
  readonly compose: readonly string[];
}

const fixtures: Fixture[] = [
  {
    name: 'interpolation from .env: defaults, required, empty vs unset, $$',
    files: {
      'compose.yml': `services:
  web:
    image: "nginx:\${TAG:-1.25}"
    environment:
      SET: "\${SET}"
      EMPTY_COLON: "\${EMPTY:-dflt}"
      EMPTY_DASH: "\${EMPTY-dflt}"
      UNSET_DASH: "\${UNSET-dflt}"
      REQUIRED: "\${SET:?must be set}"
      DOLLAR: "$$HOME and $$\{X}"
      MIXED: "a-$SET-b"
    ports:
      - "\${PORT:-8080}:80"
      - "127.0.0.1:5353:53/udp"
      - "9000"
`,
      '.env': 'SET=hello\nEMPTY=\nPORT=8081\n',
    },
    compose: ['compose.yml'],
  },
  {
    name: 'anchors and merge keys',
    files: {
      'compose.yml': `x-common: &common
  restart: always
  image: base:1
  environment: &env
    TZ: UTC
    LANG: C.UTF-8
services:
  a:
    <<: *common
    ports:
      - "81:80"
  b:
    <<: *common
    image: b:2
    environment:
      <<: *env
      LANG: en_GB.UTF-8
      EXTRA: "yes"
`,
    },
    compose: ['compose.yml'],
  },
  {
    name: 'extends from the same file and from another file',
    files: {
      'compose.yml': `services:
  base:
    image: base:1
    environment:
      - A=1
      - B=2
    ports:
      - "8000:8000"
  child:
    extends: base
    environment:
      - B=3
  remote:
    extends:
      file: common/services.yml
      service: tmpl
    environment:
      C: "3"
`,
      'common/services.yml': `services:
  tmpl:
    image: tmpl:7
    environment:
      C: "1"
      D: "4"
    ports:
      - "7000:7000/udp"
`,
    },
    compose: ['compose.yml'],
  },
  {
    name: 'an override file',
    files: {
      'compose.yml': `services:
  app:
    image: app:1
    environment:
      A: "1"
      B: "2"
    ports:
      - "80:80"
  db:
    image: postgres:16
    environment:
      - POSTGRES_DB=app
`,
      'compose.override.yml': `services:
  app:
    image: app:2
    environment:
      - B=3
      - C=4
    ports:
      - "443:443"
  db:
    environment:
      POSTGRES_USER: app
`,
    },
    compose: ['compose.yml', 'compose.override.yml'],
  },
];

/** `[ip:]published:target/protocol` from either the model or docker-compose's output. */
function portKey(p: { hostIp?: string; published?: string; target: string; protocol?: string }): string {
  return `${p.hostIp ? `${p.hostIp}:` : ''}${p.published ?? ''}:${p.target}/${p.protocol ?? 'tcp'}`;
}

/** Parses a port as docker-compose 1.29 prints it: a short string or a `{published, target}` mapping. */
function composePort(port: unknown): string {
  if (typeof port === 'object' && port !== null) {
    const p = port as { published?: number | string; target: number | string; protocol?: string; host_ip?: string };
    return portKey({ target: String(p.target), protocol: p.protocol ?? 'tcp', ...(p.published !== undefined ? { published: String(p.published) } : {}), ...(p.host_ip ? { hostIp: p.host_ip } : {}) });
  }
  const [spec = '', protocol = 'tcp'] = String(port).split('/');
  const parts = spec.split(':');
  const target = parts.pop() ?? '';
  const published = parts.pop();
  const hostIp = parts.pop();
  return portKey({ target, protocol, ...(published ? { published } : {}), ...(hostIp ? { hostIp } : {}) });
}

function modelPort(p: PortMapping): string {
  return portKey(p);
}

function modelEnvironment(s: Service): Record<string, string | undefined> {
  return Object.fromEntries(s.environment.map((e) => [e.name, e.value]));
}

function composeEnvironment(env: unknown): Record<string, string | undefined> {
  if (!env) return {};
  // docker-compose prints a literal `$` escaped as `$$`.
  const unescape = (v: unknown) => (v === null || v === undefined ? undefined : String(v).replaceAll('$$', '$'));
  return Object.fromEntries(Object.entries(env as Record<string, unknown>).map(([k, v]) => [k, unescape(v)]));
}

describe(`second opinion from docker-compose config (${reason})`, () => {
  it.skipIf(!available).each(fixtures)('$name', async (fixture) => {
    const root = makeRepo(Object.fromEntries(Object.entries(fixture.files).map(([f, t]) => [`stack/${f}`, t])));
    const dir = path.join(root, 'stack');
    const run = spawnSync('docker-compose', [...fixture.compose.flatMap((f) => ['-f', f]), 'config'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    expect(run.status, run.stderr).toBe(0);
    const resolved = parse(run.stdout) as { services: Record<string, { image?: string; environment?: unknown; ports?: unknown[] }> };

    const project = await loadProject(root);
    expect(project.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const services = project.stacks[0]?.services ?? [];
    expect(services.map((s) => s.name).sort()).toEqual(Object.keys(resolved.services).sort());
    for (const s of services) {
      const theirs = resolved.services[s.name];
      expect(s.image?.value.text, `${s.name} image`).toBe(theirs?.image);
      expect(modelEnvironment(s), `${s.name} environment`).toEqual(composeEnvironment(theirs?.environment));
      expect(s.ports.map((p) => modelPort(p.value)).sort(), `${s.name} ports`).toEqual((theirs?.ports ?? []).map(composePort).sort());
    }
  });
});
