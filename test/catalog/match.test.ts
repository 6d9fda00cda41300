import { describe, expect, it } from 'vitest';
import {
  environmentPurpose,
  findCatalogEntry,
  findVariableGroup,
  groupPurpose,
  isLinuxserverImage,
  loadCatalog,
  lookupEnvironmentVariable,
  matchesVariablePattern,
  volumePurpose,
} from '../../src/lib/catalog/index.ts';
import { parseImageRef } from '../../src/lib/compose/image-ref.ts';

const catalog = loadCatalog();

describe('findCatalogEntry', () => {
  it.each([
    ['ghcr.io/goauthentik/server', 'authentik'],
    ['ghcr.io/goauthentik/server:2025.8.4', 'authentik'],
    ['docker.io/library/postgres', 'postgres'],
    ['docker.io/library/postgres:16-alpine', 'postgres'],
    ['postgres', 'postgres'],
    ['lscr.io/linuxserver/sonarr', 'sonarr'],
    ['lscr.io/linuxserver/sonarr:latest', 'sonarr'],
    ['linuxserver/sonarr', 'sonarr'],
    ['ghcr.io/linuxserver/sonarr', 'sonarr'],
    ['pgvector/pgvector', 'pgvector'],
    ['pgvector/pgvector:pg16', 'pgvector'],
    ['tensorchord/pgvecto-rs:pg14-v0.2.0', 'pgvecto-rs'],
    ['ghcr.io/immich-app/postgres:14-vectorchord0.4.3', 'immich-postgres'],
    ['jc21/nginx-proxy-manager:latest', 'nginx-proxy-manager'],
    ['ghcr.io/goauthentik/proxy', 'authentik-proxy-outpost'],
  ])('%s is %s', (image, id) => {
    expect(findCatalogEntry(catalog, image)?.id).toBe(id);
  });

  it('accepts the image as the model splits it', () => {
    expect(findCatalogEntry(catalog, parseImageRef('ghcr.io/goauthentik/server:2025.8.4'))?.id).toBe('authentik');
    expect(findCatalogEntry(catalog, parseImageRef('docker.io/library/postgres:16'))?.id).toBe('postgres');
    expect(findCatalogEntry(catalog, { registry: 'lscr.io', repository: 'linuxserver/sonarr' })?.id).toBe('sonarr');
    expect(findCatalogEntry(catalog, { repository: 'postgres' })?.id).toBe('postgres');
  });

  it('returns undefined for an unknown image', () => {
    expect(findCatalogEntry(catalog, 'example/unknown-app:1.0')).toBeUndefined();
    expect(findCatalogEntry(catalog, { registry: 'ghcr.io', repository: 'example/postgres' })).toBeUndefined();
  });

  it('falls back to the path for an image pulled through a mirror registry', () => {
    expect(findCatalogEntry(catalog, 'registry.lan:5000/library/postgres:16')?.id).toBe('postgres');
    expect(findCatalogEntry(catalog, 'mirror.example.com/linuxserver/radarr')?.id).toBe('radarr');
  });

  it('inherits the variables of the entry it extends', () => {
    const pgvector = findCatalogEntry(catalog, 'pgvector/pgvector');
    expect(pgvector?.env['POSTGRES_PASSWORD']).toBeDefined();
    expect(pgvector?.protocol).toBe('postgres');
    expect(pgvector?.defaultPort).toBe(5432);
    expect(pgvector?.roles).toEqual(['database']);
  });

  describe('variants selected by the command', () => {
    it('keeps the entry when there is no command or no variant matches', () => {
      const plain = findCatalogEntry(catalog, 'ghcr.io/goauthentik/server');
      expect(plain?.variant).toBeUndefined();
      expect(findCatalogEntry(catalog, 'ghcr.io/goauthentik/server', 'dump_config')).toBe(plain);
      expect(findCatalogEntry(catalog, 'postgres', 'postgres -c max_connections=200')?.id).toBe('postgres');
    });

    it.each([['worker'], ['ak worker'], ['["worker"]'], [['worker']]])('%j selects the authentik worker', (command) => {
      const worker = findCatalogEntry(catalog, 'ghcr.io/goauthentik/server:2025.8.4', command);
      expect(worker?.id).toBe('authentik');
      expect(worker?.name).toBe('authentik worker');
      expect(worker?.variant?.command).toBe('worker');
      expect(worker?.defaultPort).toBeUndefined();
      expect(worker?.env['AUTHENTIK_SECRET_KEY']).toBeDefined();
      expect(worker?.notes.some((note) => note.includes('Docker socket'))).toBe(true);
    });

    it('selects the authentik server and keeps its port', () => {
      const server = findCatalogEntry(catalog, 'ghcr.io/goauthentik/server', 'server');
      expect(server?.name).toBe('authentik server');
      expect(server?.defaultPort).toBe(9000);
    });

    it('recognises a command given as a path', () => {
      expect(findCatalogEntry(catalog, 'nextcloud:29-apache', ['/cron.sh'])?.variant?.command).toBe('cron.sh');
    });

    it('returns the same object for the same variant', () => {
      expect(findCatalogEntry(catalog, 'n8nio/n8n', 'worker')).toBe(findCatalogEntry(catalog, 'n8nio/n8n', ['worker']));
    });
  });
});

describe('isLinuxserverImage', () => {
  it.each([
    ['lscr.io/linuxserver/sonarr', true],
    ['linuxserver/sonarr', true],
    ['docker.io/linuxserver/some-new-app:1', true],
    ['ghcr.io/linuxserver/sonarr', true],
    ['ghcr.io/hotio/sonarr', false],
    ['postgres', false],
  ])('%s: %s', (image, expected) => {
    expect(isLinuxserverImage(catalog, image)).toBe(expected);
  });
});

describe('environment purposes', () => {
  const authentikImage = parseImageRef('ghcr.io/goauthentik/server:2025.8.4');
  const authentik = findCatalogEntry(catalog, authentikImage);
  const sonarrImage = parseImageRef('lscr.io/linuxserver/sonarr:latest');
  const sonarr = findCatalogEntry(catalog, sonarrImage);

  it('finds an exact name of the entry first', () => {
    expect(lookupEnvironmentVariable(catalog, authentik, 'AUTHENTIK_POSTGRESQL__HOST', authentikImage)).toEqual({
      purpose: 'Hostname of the PostgreSQL server.',
      source: 'entry',
      key: 'AUTHENTIK_POSTGRESQL__HOST',
    });
    expect(environmentPurpose(catalog, authentik, 'AUTHENTIK_SECRET_KEY', authentikImage)).toMatch(/sign/);
  });

  it('then a glob pattern of the entry', () => {
    expect(lookupEnvironmentVariable(catalog, authentik, 'AUTHENTIK_POSTGRESQL__SSLROOTCERT', authentikImage)).toMatchObject({
      source: 'entry-pattern',
      key: 'AUTHENTIK_POSTGRESQL__*',
    });
  });

  it('prefers the most specific glob pattern', () => {
    const grafana = findCatalogEntry(catalog, 'grafana/grafana');
    expect(lookupEnvironmentVariable(catalog, grafana, 'GF_AUTH_GENERIC_OAUTH_CLIENT_ID')?.key).toBe('GF_AUTH_GENERIC_OAUTH_*');
    expect(lookupEnvironmentVariable(catalog, grafana, 'GF_LOG_LEVEL')?.key).toBe('GF_*');
  });

  it('then the linuxserver.io common variables for a linuxserver image', () => {
    expect(lookupEnvironmentVariable(catalog, sonarr, 'PUID', sonarrImage)).toMatchObject({ source: 'linuxserver', key: 'PUID' });
    expect(lookupEnvironmentVariable(catalog, sonarr, 'DOCKER_MODS', sonarrImage)?.source).toBe('linuxserver');
    expect(lookupEnvironmentVariable(catalog, sonarr, 'FILE__MYSQL_ROOT_PASSWORD', sonarrImage)).toMatchObject({
      source: 'linuxserver',
      key: 'FILE__*',
    });
    // An uncatalogued linuxserver image still gets the common variables.
    expect(environmentPurpose(catalog, undefined, 'DOCKER_MODS', 'lscr.io/linuxserver/some-new-app')).toBeDefined();
  });

  it('does not apply linuxserver.io variables to other images', () => {
    expect(environmentPurpose(catalog, authentik, 'DOCKER_MODS', authentikImage)).toBeUndefined();
    expect(environmentPurpose(catalog, authentik, 'FILE__SECRET', authentikImage)).toBeUndefined();
  });

  it('then the generic variables', () => {
    expect(lookupEnvironmentVariable(catalog, authentik, 'TZ', authentikImage)).toMatchObject({ source: 'generic', key: 'TZ' });
    expect(lookupEnvironmentVariable(catalog, undefined, 'HTTPS_PROXY')?.source).toBe('generic');
    expect(environmentPurpose(catalog, undefined, 'PUID', 'example/app')).toBeDefined();
  });

  it('lets the entry override a common variable', () => {
    const vaultwarden = findCatalogEntry(catalog, 'vaultwarden/server');
    expect(lookupEnvironmentVariable(catalog, vaultwarden, 'LOG_LEVEL')?.source).toBe('entry');
  });

  it('returns undefined for an unknown variable', () => {
    expect(environmentPurpose(catalog, authentik, 'MY_OWN_SETTING', authentikImage)).toBeUndefined();
    expect(lookupEnvironmentVariable(catalog, undefined, 'MY_OWN_SETTING')).toBeUndefined();
  });

  it('reads the same variable name differently per image', () => {
    const postgres = findCatalogEntry(catalog, 'postgres');
    const mealie = findCatalogEntry(catalog, 'ghcr.io/mealie-recipes/mealie');
    expect(environmentPurpose(catalog, postgres, 'POSTGRES_PASSWORD')).toMatch(/superuser/);
    expect(environmentPurpose(catalog, mealie, 'POSTGRES_PASSWORD')).toMatch(/PostgreSQL user/);
  });
});

describe('group purposes', () => {
  const authentik = findCatalogEntry(catalog, 'ghcr.io/goauthentik/server');

  it('finds a group of the entry, with or without trailing underscores', () => {
    expect(groupPurpose(catalog, authentik, 'AUTHENTIK_POSTGRESQL__')).toMatch(/^Database connection/);
    expect(groupPurpose(catalog, authentik, 'AUTHENTIK_POSTGRESQL')).toMatch(/^Database connection/);
    expect(groupPurpose(catalog, authentik, 'AUTHENTIK_REDIS_')).toMatch(/^Redis connection/);
  });

  it('falls back to the linuxserver.io groups for a linuxserver image', () => {
    expect(groupPurpose(catalog, undefined, 'FILE__', 'lscr.io/linuxserver/sonarr')).toBeDefined();
    expect(groupPurpose(catalog, undefined, 'FILE__', 'postgres')).toBeUndefined();
  });

  it('returns undefined for an unknown group', () => {
    expect(groupPurpose(catalog, authentik, 'SOMETHING_ELSE_')).toBeUndefined();
  });

  it('finds the group a variable belongs to', () => {
    expect(findVariableGroup(catalog, authentik, 'AUTHENTIK_POSTGRESQL__HOST')).toBe('AUTHENTIK_POSTGRESQL__');
    expect(findVariableGroup(catalog, authentik, 'AUTHENTIK_SECRET_KEY')).toBeUndefined();
    const grafana = findCatalogEntry(catalog, 'grafana/grafana');
    expect(findVariableGroup(catalog, grafana, 'GF_AUTH_GENERIC_OAUTH_CLIENT_ID')).toBe('GF_AUTH_GENERIC_OAUTH_');
  });
});

describe('volume purposes', () => {
  it('finds the entry, then the linuxserver, then the generic paths', () => {
    const authentik = findCatalogEntry(catalog, 'ghcr.io/goauthentik/server');
    expect(volumePurpose(catalog, authentik, '/templates')).toMatch(/templates/);
    expect(volumePurpose(catalog, undefined, '/config/', 'lscr.io/linuxserver/some-new-app')).toMatch(/linuxserver/);
    expect(volumePurpose(catalog, authentik, '/var/run/docker.sock')).toMatch(/Docker API socket/);
    expect(volumePurpose(catalog, authentik, '/nowhere')).toBeUndefined();
  });
});

describe('matchesVariablePattern', () => {
  it('treats * as one or more characters and nothing else as special', () => {
    expect(matchesVariablePattern('AUTHENTIK_POSTGRESQL__*', 'AUTHENTIK_POSTGRESQL__HOST')).toBe(true);
    expect(matchesVariablePattern('AUTHENTIK_POSTGRESQL__*', 'AUTHENTIK_POSTGRESQL__')).toBe(false);
    expect(matchesVariablePattern('MARIADB_*_FILE', 'MARIADB_ROOT_PASSWORD_FILE')).toBe(true);
    expect(matchesVariablePattern('MARIADB_*_FILE', 'MARIADB_ROOT_PASSWORD')).toBe(false);
    expect(matchesVariablePattern('FILE__*', 'XFILE__A')).toBe(false);
  });
});
