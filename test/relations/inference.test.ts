/**
 * How relations are inferred, on small repositories: host references in every form (plain, host:port,
 * URL, DSN) and the words that must not be taken for hosts; resolution across stacks by service
 * name, container_name, alias, default container name and static address; reverse proxies, auth
 * middlewares and declared ones; storage, backups and the findings.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/lib/catalog/index.ts';
import { loadProject } from '../../src/lib/compose/index.ts';
import { buildRelations, repositoryReader, type Relation, type Relations, type UsesRelation } from '../../src/lib/relations/index.ts';
import { findHostMentions, hostStem } from '../../src/lib/relations/hosts.ts';
import { makeRepo } from '../compose/helpers.ts';

async function relationsOf(files: Record<string, string>): Promise<Relations> {
  const root = makeRepo(files);
  return buildRelations(await loadProject(root), loadCatalog(), { read: repositoryReader(root) });
}
const find = (r: Relations, kind: Relation['kind'], from: string, to: string) => r.relations.find((x) => x.kind === kind && x.from.id === from && x.to.id === to);
const uses = (r: Relations, from: string, to: string) => find(r, 'uses', from, to) as UsesRelation | undefined;

describe('host mentions', () => {
  it('reads URLs and DSNs with user, port, database and Redis index', () => {
    expect(findHostMentions('postgres://app:***@db:5432/appdb?sslmode=disable', false)).toEqual([{ host: 'db', scheme: 'postgres', form: 'url', port: '5432', user: 'app', path: 'appdb' }]);
    expect(findHostMentions('redis://:***@cache:6379/2', false)[0]).toMatchObject({ host: 'cache', path: '2', form: 'url' });
    for (const [value, host] of [['mysql://u@maria/x', 'maria'], ['mariadb://m:3306/x', 'm'], ['mongodb://mongo:27017/db', 'mongo'], ['amqp://guest@rabbit:5672/', 'rabbit'], ['mqtt://broker:1883', 'broker'], ['https://auth.example.com/application/o/x/', 'auth.example.com']] as const) {
      expect(findHostMentions(value, false)[0]?.host, value).toBe(host);
    }
    expect(findHostMentions('{"url": "https://auth.example.home/x"}', false)[0]?.host).toBe('auth.example.home');
  });

  it('takes host:port tokens anywhere, plain hosts only when the name says host, and never images or schemes it does not know', () => {
    expect(findHostMentions('mc1.example=lazymc:25565', false).map((m) => m.host)).toEqual(['lazymc']);
    expect(findHostMentions('postgres', false)).toEqual([]);
    expect(findHostMentions('postgres', true)).toEqual([{ host: 'postgres', form: 'plain' }]);
    expect(findHostMentions('ubuntu-latest:docker://node:20-bookworm', false)).toEqual([]);
    expect(findHostMentions('http://localhost:8989', false)).toEqual([]);
    expect(findHostMentions('172.30.53.2', false)).toEqual([{ host: '172.30.53.2', form: 'plain' }]);
  });

  it('groups variables by the stem of the host variable', () => {
    expect(hostStem('PAPERLESS_DBHOST')).toBe('PAPERLESS_DB');
    expect(hostStem('AUTHENTIK_POSTGRESQL__HOST')).toBe('AUTHENTIK_POSTGRESQL_');
    expect(hostStem('DATABASE_URL')).toBe('DATABASE');
    expect(hostStem('HOST')).toBeUndefined();
  });
});

describe('inference', () => {
  it('resolves hosts across stacks through a shared network, and skips words that are not hosts', async () => {
    const r = await relationsOf({
      'db/compose.yml': 'services:\n  postgres:\n    image: postgres:16\n    networks:\n      shared:\n        aliases: [pg]\n  redis:\n    image: redis:7\n    container_name: cache\n    networks: [shared]\nnetworks:\n  shared:\n    name: shared\n',
      'app/compose.yml': [
        'services:',
        '  web:',
        '    image: example/web:1',
        '    environment:',
        '      DB_ENGINE: postgres',
        '      DB_HOST: pg',
        '      DB_NAME: webdb',
        '      DB_USER: web',
        '      DB_PASSWORD: ${DB_PASSWORD}',
        '      CACHE_URL: redis://cache:6379/5',
        '      WEBSOCKET_MANAGER: redis',
        '    networks: [shared]',
        '  worker:',
        '    image: example/web:1',
        '    environment:',
        '      DATABASE_URL: postgresql://web:${DB_PASSWORD}@postgres:5432/webdb',
        '      REDIS_URL: redis://app-redis-1:6379',
        '    networks: [shared, default]',
        '  redis:',
        '    image: redis:7',
        'networks:',
        '  shared:',
        '    external: true',
        '',
      ].join('\n'),
    });
    const web = uses(r, 'app/web', 'db/postgres');
    expect(web).toMatchObject({ matchedBy: 'alias', host: 'pg', protocol: 'postgres', label: 'DB_*', reachable: true });
    expect(web?.database?.value).toBe('webdb');
    expect(web?.user?.value).toBe('web');
    expect(web?.variables.map((v) => v.value)).toEqual(['DB_ENGINE', 'DB_HOST', 'DB_NAME', 'DB_USER', 'DB_PASSWORD']);
    expect(uses(r, 'app/web', 'db/redis')).toMatchObject({ matchedBy: 'container_name', redisDb: { value: 5 } });
    // `WEBSOCKET_MANAGER: redis` names a driver, not the local redis service.
    expect(uses(r, 'app/web', 'app/redis')).toBeUndefined();
    // The own stack's `postgres`? None: the name resolves over the shared network to the databases stack.
    expect(uses(r, 'app/worker', 'db/postgres')).toMatchObject({ matchedBy: 'service', database: { value: 'webdb' }, user: { value: 'web' } });
    // Compose's default container name `<project>-<service>-1`.
    expect(uses(r, 'app/worker', 'app/redis')).toMatchObject({ matchedBy: 'default-container-name', redisDb: { value: 0, implicit: true } });
    expect(r.findings).toEqual([]);
  });

  it('reports two applications on one Redis index, one database user shared by two applications, and port clashes', async () => {
    const r = await relationsOf({
      's/compose.yml': [
        'services:',
        '  redis:',
        '    image: redis:7',
        '  pg:',
        '    image: postgres:16',
        '    ports: ["5432:5432"]',
        '  a:',
        '    image: example/a:1',
        '    environment: { REDIS_URL: "redis://redis:6379/1", PG_HOST: pg, PG_USER: shared }',
        '    ports: ["127.0.0.1:8080:80"]',
        '  a-worker:',
        '    image: example/a:1',
        '    environment: { REDIS_URL: "redis://redis:6379/1", PG_HOST: pg, PG_USER: shared }',
        '  b:',
        '    image: example/b:1',
        '    environment: { REDIS_URL: "redis://redis:6379/1", PG_HOST: pg, PG_USER: shared }',
        '    ports: ["8080:8080", "5400-5500:5400-5500"]',
        '',
      ].join('\n'),
    });
    const ids = r.findings.map((f) => f.id).sort();
    expect(ids).toEqual(['port-conflict', 'port-conflict', 'redis-db-conflict', 'shared-db-user']);
    expect(r.findings.find((f) => f.id === 'redis-db-conflict')?.message).toContain('s/b and s/a');
    expect(r.findings.filter((f) => f.id === 'port-conflict').map((f) => f.message).join('\n')).toMatch(/8080\/tcp[\s\S]*5432\/tcp|5432\/tcp[\s\S]*8080\/tcp/);
  });

  it('finds proxies, forward-auth protection, declared proxies and network findings', async () => {
    const r = await relationsOf({
      'edge/compose.yml': [
        'services:',
        '  traefik:',
        '    image: traefik:v3.5',
        '    networks: [web]',
        '  outpost:',
        '    image: ghcr.io/goauthentik/proxy:2025.8.4',
        '    networks: [web]',
        '    labels:',
        '      traefik.http.middlewares.sso.forwardauth.address: http://outpost:9000/outpost.goauthentik.io/auth/traefik',
        '  npm:',
        '    image: jc21/nginx-proxy-manager:2.12.6',
        'networks:',
        '  web:',
        '    name: web',
        '  unused:',
        '',
      ].join('\n'),
      'apps/compose.yml': [
        'services:',
        '  site:',
        '    image: example/site:1',
        '    networks: [web]',
        '    labels:',
        '      traefik.enable: "true"',
        '      traefik.http.routers.site.rule: Host(`site.example.com`)',
        '      traefik.http.routers.site.middlewares: sso@docker',
        '  hidden:',
        '    image: example/hidden:1',
        '    networks: [other]',
        '    labels:',
        '      traefik.enable: "true"',
        '      traefik.http.routers.hidden.rule: Host(`hidden.example.com`)',
        '  legacy:',
        '    image: example/legacy:1',
        '    x-wiki:',
        '      proxied_by: npm',
        'networks:',
        '  web:',
        '    external: true',
        '',
      ].join('\n'),
    });
    expect(find(r, 'proxied-by', 'apps/site', 'edge/traefik')).toMatchObject({ method: 'traefik-labels', network: 'web', hosts: ['site.example.com'] });
    expect(find(r, 'protected-by', 'apps/site', 'edge/outpost')).toMatchObject({ method: 'traefik-middleware', middleware: 'sso' });
    expect(find(r, 'proxied-by', 'apps/legacy', 'edge/npm')).toMatchObject({ method: 'declared' });
    expect(find(r, 'proxied-by', 'apps/hidden', 'edge/traefik')).toBeUndefined();
    expect(r.findings.map((f) => f.id).sort()).toEqual(['network-undeclared', 'network-unused', 'proxy-unreachable']);
  });

  it('finds services published by caddy-docker-proxy labels and by nginx-proxy through VIRTUAL_HOST', async () => {
    const r = await relationsOf({
      'p/compose.yml': [
        'services:',
        '  caddy:',
        '    image: lucaslorentz/caddy-docker-proxy:2.9',
        '  nginx-proxy:',
        '    image: nginxproxy/nginx-proxy:1.6',
        '  blog:',
        '    image: ghost:5',
        '    labels:',
        '      caddy: blog.example.com',
        '      caddy.reverse_proxy: "{{upstreams 2368}}"',
        '  wiki:',
        '    image: example/wiki:1',
        '    environment:',
        '      VIRTUAL_HOST: wiki.example.com,docs.example.com',
        '',
      ].join('\n'),
    });
    expect(find(r, 'proxied-by', 'p/blog', 'p/caddy')).toMatchObject({ method: 'caddy-labels', hosts: ['blog.example.com'] });
    expect(find(r, 'proxied-by', 'p/wiki', 'p/nginx-proxy')).toMatchObject({ method: 'virtual-host', hosts: ['wiki.example.com', 'docs.example.com'] });
    expect(r.endpoints.map((e) => `${e.host} ${e.source}`)).toEqual(['blog.example.com caddy', 'wiki.example.com virtual-host', 'docs.example.com virtual-host']);
  });

  it('covers volumes by backup jobs, from an autorestic configuration when there is one, and calls out unbacked database volumes', async () => {
    const r = await relationsOf({
      'data/compose.yml': 'services:\n  db:\n    image: postgres:16\n    volumes: [pg:/var/lib/postgresql/data]\n  maria:\n    image: mariadb:11\n    volumes: [maria:/var/lib/mysql]\nvolumes:\n  pg:\n    name: pg\n  maria:\n',
      'backup/compose.yml': 'services:\n  job:\n    image: cupcakearmy/autorestic:1.8.3\n    volumes:\n      - pg:/data/pg:ro\n      - data_maria:/data/maria:ro\nvolumes:\n  pg:\n    external: true\n  data_maria:\n    external: true\n',
      'backup/.autorestic.yml': 'locations:\n  pg:\n    from: /data/pg\n    to: b2\n    cron: "0 3 * * *"\n',
    });
    const backup = find(r, 'backup', 'backup/job', 'data/db');
    expect(backup).toMatchObject({ storageName: 'pg', evidence: 'config', location: { value: 'pg', range: { file: 'backup/.autorestic.yml', startLine: 2, endLine: 5 } }, schedule: '0 3 * * *' });
    // Mounted but not in the configuration: not covered.
    expect(find(r, 'backup', 'backup/job', 'data/maria')).toBeUndefined();
    expect(r.findings.map((f) => f.message)).toEqual([expect.stringContaining('data_maria holds the data of data/maria')]);
  });

  it('keeps storage with unset variables apart unless written alike in one stack', async () => {
    const r = await relationsOf({
      'a/compose.yml': 'services:\n  x:\n    image: example/x:1\n    volumes: ["${CONFIG}/a:/config", "${DATA}/shared:/data"]\n  y:\n    image: example/y:1\n    volumes: ["${DATA}/a/db:/db", "${DATA}/shared:/data"]\n',
    });
    const shared = r.storages.filter((s) => new Set(s.mounts.map((m) => m.id)).size > 1);
    expect(shared.map((s) => s.name)).toEqual(['${DATA}/shared']);
  });
});
