/**
 * Issue 4 "Done when", on the bundled example: the postgres page lists every consumer with its
 * variable group, the redis page the DB index of each consumer, the authentik server page who
 * signs in with it; backup coverage shows on the owners' pages and an unbacked database volume
 * is called out; the skewed worker tag is a finding; every citation resolves and covers what it
 * cites.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/lib/catalog/index.ts';
import { loadProject } from '../../src/lib/compose/index.ts';
import { configSchema } from '../../src/lib/config/index.ts';
import type { Project, SourceRange } from '../../src/lib/model/types.ts';
import { buildRelations, relationFindings, repositoryReader, type Relation, type Relations } from '../../src/lib/relations/index.ts';
import { parseCitations, renderProject, type Page } from '../../src/lib/render/index.ts';
import { citationProblems } from '../render/helpers.ts';

const ROOT = fileURLToPath(new URL('../../examples/homelab', import.meta.url));
const processor = unified().use(remarkGfm).use(remarkStringify);

let project: Project;
let relations: Relations;
let pages: Page[];
const text = new Map<string, string>();

beforeAll(async () => {
  project = await loadProject(ROOT);
  relations = buildRelations(project, loadCatalog(), { read: repositoryReader(ROOT) });
  pages = renderProject(project, { config: configSchema.parse({}), source: ROOT, relations });
  for (const page of pages) text.set(page.path, processor.stringify(page.body));
});

const page = (suffix: string) => {
  const found = [...text.entries()].find(([path]) => path.endsWith(suffix));
  if (!found) throw new Error(`no page ${suffix}`);
  return found[1];
};
/** The bullet of an Integrations section that mentions all of `needles`. */
const bullet = (body: string, ...needles: string[]) => {
  const section = body.slice(body.indexOf('## Integrations'), body.indexOf('## Operational Notes'));
  return section.split('\n').find((line) => line.startsWith('* ') && needles.every((n) => line.includes(n)));
};
const fileLines = new Map<string, string[]>();
const lines = (file: string) => {
  if (!fileLines.has(file)) fileLines.set(file, readFileSync(`${ROOT}/${file}`, 'utf8').split(/\r?\n/));
  return fileLines.get(file) as string[];
};
const textOf = (range: SourceRange) => lines(range.file).slice(range.startLine - 1, range.endLine).join('\n');

describe('relations on the example homelab', () => {
  it('lists every PostgreSQL consumer with its variable group, database and user on the postgres page', () => {
    const body = page('/databases/postgres');
    const consumers: [string, string, string][] = [
      ['authentik-server', '`AUTHENTIK_POSTGRESQL__*`', 'authentik'],
      ['authentik-worker', '`AUTHENTIK_POSTGRESQL__*`', 'authentik'],
      ['paperless', '`PAPERLESS_DB*`', 'paperless'],
      ['mealie', '`POSTGRES_*`', 'mealie'],
      ['n8n', '`DB_POSTGRESDB_*`', 'n8n'],
      ['n8n-worker', '`DB_POSTGRESDB_*`', 'n8n'],
      ['grafana', '`GF_DATABASE_URL`', 'grafana'],
    ];
    for (const [name, group, database] of consumers) {
      const line = bullet(body, 'Used by [', `[${name}]`, group);
      expect(line, `${name} on the postgres page`).toBeDefined();
      expect(line).toContain(`database \`${database}\``);
      expect(line).toContain(`user \`${database}\``);
      expect(parseCitations(line ?? '')).toHaveLength(2);
    }
  });

  it('lists the Redis DB index of each consumer on the redis page', () => {
    const body = page('/databases/redis');
    for (const [name, db] of [['authentik-server', 1], ['authentik-worker', 1], ['paperless', 2], ['n8n', 3], ['n8n-worker', 3], ['immich-server', 4]] as const) {
      const line = bullet(body, 'Used by [', `[${name}]`);
      expect(line, name).toContain(`DB ${db}`);
    }
    expect(relations.findings.filter((f) => f.id === 'redis-db-conflict')).toEqual([]);
  });

  it('lists the services that sign in with Authentik on the authentik server page', () => {
    const body = page('/authentik/authentik-server');
    for (const name of ['paperless', 'mealie', 'grafana']) expect(bullet(body, 'Used for sign-in by', `[${name}]`), name).toBeDefined();
    // The outposts talk to the server directly (AUTHENTIK_HOST=http://authentik-server:9000).
    for (const name of ['authentik-outpost-internal', 'authentik-outpost-media']) expect(bullet(body, 'Used by', `[${name}]`), name).toBeDefined();
  });

  it('shows the backup job on the pages of the services owning the volumes it covers', () => {
    const owners: [string, string][] = [
      ['/authentik/authentik-server', 'authentik_ak_media'],
      ['/authentik/authentik-worker', 'authentik_ak_templates'],
      ['/databases/postgres', 'databases_pg_data'],
      ['/tools/paperless', 'tools_paperless_media'],
      ['/tools/vaultwarden', 'vaultwarden_data'],
      ['/devtools/gitea', 'devtools_gitea_data'],
    ];
    for (const [path, volume] of owners) {
      const line = bullet(page(path), `\`${volume}\``, 'is backed up by [autorestic]');
      expect(line, `${volume} on ${path}`).toBeDefined();
      expect(line).toContain('devtools/.autorestic.yml');
      expect(line).toMatch(/【F:devtools\/\.autorestic\.yml†L\d+-L\d+】/);
    }
    const job = page('/devtools/autorestic');
    expect(bullet(job, 'Backs up volume `vaultwarden_data`', '[vaultwarden]')).toBeDefined();
  });

  it('calls out the stateful volume no backup covers', () => {
    const unbacked = relations.findings.filter((f) => f.id === 'unbacked-volume');
    expect(unbacked.map((f) => f.message).join('\n')).toContain('databases_mariadb_data');
    const mariadb = unbacked.find((f) => f.message.includes('databases_mariadb_data'));
    expect(textOf(mariadb?.range as SourceRange)).toContain('mariadb_data:/var/lib/mysql');
    expect(bullet(page('/databases/mariadb'), '`databases_mariadb_data`', 'no backup job')).toBeDefined();
    expect(page('/Stacks/databases/index')).toContain('not backed up (it holds database files)');
    // Backed-up volumes are not called out.
    expect(unbacked.some((f) => f.message.includes('databases_pg_data'))).toBe(false);
  });

  it('reports the skewed authentik worker tag as a finding and on both pages', () => {
    const skew = relationFindings(relations).filter((f) => f.id === 'version-skew');
    expect(skew).toHaveLength(1);
    expect(skew[0]?.message).toContain('authentik/worker');
    expect(textOf(skew[0]?.range as SourceRange)).toContain('ghcr.io/goauthentik/server:2025.8.3');
    expect(textOf(skew[0]?.related?.[0] as SourceRange)).toContain('ghcr.io/goauthentik/server:2025.8.4');
    expect(bullet(page('/authentik/authentik-worker'), '2025.8.3', '[authentik-server]', '2025.8.4')).toBeDefined();
    expect(bullet(page('/authentik/authentik-server'), '2025.8.4', '[authentik-worker]', '2025.8.3')).toBeDefined();
  });

  it('reports no false conflict on the example', () => {
    const ids = relations.findings.map((f) => f.id).sort();
    expect(ids).toEqual(['unbacked-volume', 'unbacked-volume', 'version-skew']);
  });

  it('puts allocations and a topology diagram on stack pages and a diagram on the platform page', () => {
    const tools = page('/Stacks/tools/index');
    expect(tools).toContain('## Allocations');
    expect(tools).toMatch(/\| \[n8n\]\([^)]*\) *\| \[redis\]\([^)]*\) \(Databases\) *\| 3 /);
    expect(tools).toContain('## Topology');
    expect(tools).toContain('```mermaid\nflowchart LR');
    expect(page('/Platform/index') ?? '').toContain('```mermaid\nflowchart LR');
  });

  it('cites every relation at both ends, each range covering what it cites', () => {
    const idOf = new Map<string, Project['stacks'][number]['services'][number]>(project.stacks.flatMap((s) => s.services.map((sv) => [`${s.id}/${sv.name}`, sv] as [string, typeof sv])));
    const inService = (id: string, range: SourceRange) => (idOf.get(id)?.definitions ?? []).some((d) => d.file === range.file && d.startLine <= range.startLine && range.endLine <= d.endLine);
    const check = (r: Relation) => {
      const from = textOf(r.from.range);
      const to = textOf(r.to.range);
      switch (r.kind) {
        case 'depends-on':
          expect(from, r.id).toContain(r.to.service);
          expect(to, r.id).toMatch(new RegExp(`^\\s*${r.to.service}:`));
          break;
        case 'uses':
          for (const v of r.variables) expect(textOf(v.range), r.id).toContain(v.value);
          expect(to.toLowerCase(), r.id).toContain(r.host);
          if (r.database) expect(textOf(r.database.range), r.id).toContain(r.database.value);
          if (r.redisDb && !r.redisDb.implicit) expect(textOf(r.redisDb.range), r.id).toContain(String(r.redisDb.value));
          break;
        case 'uses-endpoint':
          expect(from, r.id).toContain(r.host);
          expect(to, r.id).toContain(r.host);
          break;
        case 'proxied-by':
          expect(from, r.id).toMatch(/traefik|caddy|VIRTUAL_HOST|proxied_by/);
          expect(inService(r.to.id, r.to.range), r.id).toBe(true);
          break;
        case 'protected-by':
          expect(from, r.id).toMatch(/middlewares|outpost|protected_by|Host/);
          break;
        case 'backup':
          expect(from, r.id).toContain(r.storageName.replace(/^devtools_/, ''));
          expect(inService(r.to.id, r.to.range), r.id).toBe(true);
          if (r.location) expect(textOf(r.location.range), r.id).toContain(r.location.value);
          break;
        case 'link':
        case 'network-mode':
          expect(from, r.id).toContain(r.to.service);
          break;
      }
      if (r.kind !== 'uses' && r.kind !== 'uses-endpoint' && r.kind !== 'protected-by') expect(inService(r.from.id, r.from.range) || r.from.range.file.endsWith('.autorestic.yml') || r.kind === 'depends-on', r.id).toBe(true);
    };
    expect(relations.relations.length).toBeGreaterThan(50);
    for (const r of relations.relations) check(r);
  });

  it('renders only citations that resolve to lines of existing files', () => {
    let count = 0;
    for (const [path, body] of text) {
      for (const c of parseCitations(body)) {
        count++;
        const file = lines(c.file);
        expect(c.startLine, `${path}: ${c.text}`).toBeGreaterThanOrEqual(1);
        expect(c.endLine, `${path}: ${c.text}`).toBeGreaterThanOrEqual(c.startLine);
        expect(c.endLine, `${path}: ${c.text}`).toBeLessThanOrEqual(file.length);
        expect(file.slice(c.startLine - 1, c.endLine).join('').trim(), `${path}: ${c.text}`).not.toBe('');
      }
    }
    expect(count).toBeGreaterThan(500);
  });

  it('passes the render citation checks (no citation straddles two services), counting the files the relations read', () => {
    expect(relations.files.map((f) => f.path)).toEqual(['devtools/.autorestic.yml']);
    const withFiles = { ...project, files: [...project.files, ...relations.files] };
    const problems = [...text].flatMap(([path, body]) => citationProblems(withFiles, ROOT, body).map((p) => `${path}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('never renders a secret value', () => {
    const all = [...text.values()].join('\n');
    expect(all).not.toContain('changeme-literal-demo');
    expect(all).not.toContain('change-me');
  });
});
