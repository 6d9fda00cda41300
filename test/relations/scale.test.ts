/**
 * The relations layer works through indexes: 10,000 services cost about ten times what 1,000 do,
 * never a hundred times. The projects are built in memory (the loader is not what is measured):
 * every stack joins two project-wide networks, uses its group's database and Redis by host name,
 * is published by Traefik, and mounts a volume a backup job covers.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/lib/catalog/index.ts';
import type { EnvironmentEntry, Located, Project, Service, SourceRange, Stack } from '../../src/lib/model/types.ts';
import { buildRelations } from '../../src/lib/relations/index.ts';

const at = (file: string, line: number): SourceRange => ({ file, startLine: line, endLine: line });
const located = <T>(value: T, file: string, line: number): Located<T> => ({ value, range: at(file, line) });

function service(stack: string, name: string, line: number, parts: Partial<Service>): Service {
  const file = `${stack}/compose.yml`;
  return {
    name, stack, range: { file, startLine: line, endLine: line + 9 }, definitions: [{ file, startLine: line, endLine: line + 9 }],
    ports: [], expose: [], volumes: [], networks: [], dependsOn: [], links: [], externalLinks: [], environment: [], envFiles: [], labels: [],
    secrets: [], configs: [], profiles: [], devices: [], capAdd: [], extensions: {},
    ...parts,
  };
}

function env(file: string, line: number, name: string, value: string): EnvironmentEntry {
  return { name, range: at(file, line), origin: 'literal', secret: false, value, written: value, variables: [] };
}

/** `stacks` stacks of ten services; every tenth stack holds its group's database, cache and backup job. */
function project(stacks: number): Project {
  const list: Stack[] = [];
  for (let s = 0; s < stacks; s++) {
    const id = `stack-${s}`;
    const file = `${id}/compose.yml`;
    const group = Math.floor(s / 10);
    const services: Service[] = [];
    const net = (line: number, name: string) => located({ name, aliases: [] }, file, line);
    if (s % 10 === 0) {
      services.push(service(id, 'postgres', 10, { image: located({ text: 'postgres:16', repository: 'postgres', tag: '16' }, file, 11), networks: [net(12, 'db')], volumes: [located({ type: 'volume', source: 'pg', target: '/var/lib/postgresql/data', readOnly: false, text: 'pg:/var/lib/postgresql/data' }, file, 13)] }));
      services.push(service(id, 'redis', 20, { image: located({ text: 'redis:7', repository: 'redis', tag: '7' }, file, 21), networks: [net(22, 'db')] }));
      services.push(service(id, 'backup', 30, {
        image: located({ text: 'restic/restic:0.18', repository: 'restic/restic', tag: '0.18' }, file, 31),
        volumes: Array.from({ length: 9 }, (_, i) => located({ type: 'volume' as const, source: `stack-${s + i + 1}_data`, target: `/data/${i}`, readOnly: true, text: '' }, file, 32 + i)),
      }));
    }
    for (let i = services.length; i < 10; i++) {
      const line = 100 + i * 10;
      services.push(service(id, `app${i}`, line, {
        image: located({ text: `example/app${i}:1.${s % 2}`, repository: `example/app${i}`, tag: `1.${s % 2}` }, file, line + 1),
        networks: [net(line + 2, 'front'), net(line + 3, 'db')],
        environment: [env(file, line + 4, 'DB_HOST', 'postgres'), env(file, line + 5, 'DB_USER', `${id}-app${i}`), env(file, line + 6, 'REDIS_URL', `redis://redis:6379/${i}`)],
        labels: [located({ key: 'traefik.http.routers.r.rule', value: `Host(\`app${i}.${id}.example.com\`)`, secret: false }, file, line + 7)],
        volumes: [located({ type: 'volume', source: 'data', target: '/data', readOnly: false, text: 'data:/data' }, file, line + 8)],
        ports: i === 9 ? [located({ published: String(10000 + s), target: '80', protocol: 'tcp' as const, text: '' }, file, line + 9)] : [],
      }));
    }
    if (s === 1) services.push(service(id, 'traefik', 900, { image: located({ text: 'traefik:v3.5', repository: 'traefik', tag: 'v3.5' }, file, 901), networks: [net(902, 'front')] }));
    list.push({
      id, name: { value: id }, files: [file], range: { file, startLine: 1, endLine: 1000 }, services,
      networks: [{ key: 'front', name: 'front', external: s !== 1, range: at(file, 990) }, { key: 'db', name: `db-${group}`, external: s % 10 !== 0, range: at(file, 992) }],
      volumes: [
        { key: 'data', name: 'data', external: false, range: at(file, 995) },
        ...(s % 10 === 0 ? [{ key: 'pg', name: 'pg', external: false, range: at(file, 996) }, ...Array.from({ length: 9 }, (_, i) => ({ key: `stack-${s + i + 1}_data`, name: `stack-${s + i + 1}_data`, external: true, range: at(file, 997) }))] : []),
      ],
      secrets: [], configs: [], envFiles: [], extensions: {},
    });
  }
  return { name: 'synthetic', stacks: list, files: [], diagnostics: [] };
}

describe('relations at scale', () => {
  it('grows linearly: 10,000 services take about ten times as long as 1,000', () => {
    const catalog = loadCatalog();
    const small = project(100);
    const large = project(1000);
    buildRelations(small, catalog); // warm up
    const time = (p: Project) => {
      const start = performance.now();
      const r = buildRelations(p, catalog);
      return { ms: performance.now() - start, r };
    };
    const a = time(small);
    const b = time(large);
    const services = large.stacks.reduce((n, s) => n + s.services.length, 0);
    console.log(`relations: ${small.stacks.length * 10} services in ${a.ms.toFixed(0)} ms, ${services} services in ${b.ms.toFixed(0)} ms (x${(b.ms / a.ms).toFixed(1)})`);
    expect(services).toBeGreaterThanOrEqual(10_000);
    // Every app uses its group's database and Redis, and is published by Traefik.
    expect(b.r.relations.filter((r) => r.kind === 'uses')).toHaveLength(2 * (7 * 100 + 10 * 900));
    expect(b.r.relations.filter((r) => r.kind === 'proxied-by').length).toBeGreaterThan(9000);
    expect(b.r.relations.filter((r) => r.kind === 'backup').length).toBeGreaterThan(0);
    // Linear is x10; quadratic would be x100.
    expect(b.ms / a.ms).toBeLessThan(30);
    expect(b.ms).toBeLessThan(30_000);
  });
});
