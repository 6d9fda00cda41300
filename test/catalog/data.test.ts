import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMON_FILE_NAME, DEFAULT_CATALOG_FOLDER, loadCatalog, normaliseImageRepository } from '../../src/lib/catalog/index.ts';
import { catalogEntrySchema, commonFileSchema } from '../../src/lib/catalog/schema.ts';

const dataFiles = readdirSync(DEFAULT_CATALOG_FOLDER)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

describe('shipped catalog data', () => {
  it.each(dataFiles)('%s validates against its schema', (name) => {
    const raw: unknown = parse(readFileSync(join(DEFAULT_CATALOG_FOLDER, name), 'utf8'));
    if (name === COMMON_FILE_NAME) {
      expect(commonFileSchema.safeParse(raw).error).toBeUndefined();
      return;
    }
    for (const item of Array.isArray(raw) ? raw : [raw]) {
      expect(catalogEntrySchema.safeParse(item).error).toBeUndefined();
    }
  });

  it('loads as a whole, with every data file read', () => {
    const catalog = loadCatalog();
    expect(catalog.files.map((file) => file.slice(DEFAULT_CATALOG_FOLDER.length).replace(/^\//, ''))).toEqual(dataFiles);
  });

  it('has at least 45 entries', () => {
    expect(loadCatalog().entries.length).toBeGreaterThanOrEqual(45);
  });

  it('has unique ids', () => {
    const ids = loadCatalog().entries.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('claims no image repository twice', () => {
    const seen = new Map<string, string>();
    for (const entry of loadCatalog().entries) {
      for (const image of entry.images) {
        const key = normaliseImageRepository(image);
        expect(seen.get(key), `${image} of ${entry.id}`).toBeUndefined();
        seen.set(key, entry.id);
      }
    }
  });

  it('writes image repositories already normalised', () => {
    for (const entry of loadCatalog().entries) {
      for (const image of entry.images) expect(normaliseImageRepository(image), entry.id).toBe(image);
    }
  });

  it('lists every lscr.io linuxserver image under its ghcr.io and Docker Hub names too', () => {
    for (const entry of loadCatalog().entries) {
      const apps = entry.images.flatMap((image) => /^lscr\.io\/linuxserver\/(.+)$/.exec(image)?.[1] ?? []);
      for (const app of new Set(apps)) {
        expect(entry.images, entry.id).toEqual(
          expect.arrayContaining([`lscr.io/linuxserver/${app}`, `ghcr.io/linuxserver/${app}`, `linuxserver/${app}`]),
        );
      }
    }
  });

  it('covers the images the operator runs', () => {
    const ids = new Set(loadCatalog().entries.map((entry) => entry.id));
    const expected = [
      'authentik', 'authentik-proxy-outpost', 'authentik-ldap-outpost', 'postgres', 'pgvector', 'pgvecto-rs',
      'immich-postgres', 'redis', 'valkey', 'mariadb', 'mysql', 'mongo', 'memcached', 'rabbitmq', 'mosquitto',
      'nginx-proxy-manager', 'traefik', 'caddy', 'nginx', 'swag', 'crowdsec', 'paperless-ngx', 'mealie', 'n8n',
      'immich-server', 'immich-machine-learning', 'jellyfin', 'plex', 'emby', 'sonarr', 'radarr', 'lidarr', 'readarr',
      'prowlarr', 'bazarr', 'whisparr', 'qbittorrent', 'transmission', 'sabnzbd', 'jellyseerr', 'overseerr',
      'homepage', 'homarr', 'heimdall', 'uptime-kuma', 'grafana', 'prometheus', 'node-exporter', 'cadvisor', 'loki',
      'portainer', 'watchtower', 'pihole', 'adguardhome', 'wireguard', 'wg-easy', 'cloudflared', 'gitea', 'forgejo',
      'code-server', 'vaultwarden', 'nextcloud', 'bookstack', 'stirling-pdf', 'it-tools', 'autorestic', 'restic',
      'borgmatic', 'duplicati', 'kopia', 'dozzle', 'syncthing', 'home-assistant', 'ntfy', 'gotify', 'searxng',
      'open-webui', 'ollama',
    ];
    expect(expected.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('gives databases, caches and brokers a protocol and a port', () => {
    for (const entry of loadCatalog().entries) {
      if (!entry.roles.some((role) => role === 'database' || role === 'cache' || role === 'message-broker')) continue;
      expect(entry.protocol, entry.id).toBeDefined();
      expect(entry.defaultPort, entry.id).toBeDefined();
    }
  });

  it('documents every authentik variable of the seed page', () => {
    const authentik = loadCatalog().byId.get('authentik');
    for (const name of ['AUTHENTIK_SECRET_KEY', 'AUTHENTIK_COOKIE_DOMAIN', 'AUTHENTIK_HOST']) {
      expect(authentik?.env[name], name).toBeDefined();
    }
    for (const prefix of ['AUTHENTIK_POSTGRESQL__', 'AUTHENTIK_REDIS__']) {
      expect(authentik?.groups[prefix], prefix).toBeDefined();
      for (const field of ['HOST', 'PORT', 'PASSWORD']) expect(authentik?.env[`${prefix}${field}`], field).toBeDefined();
    }
  });

  it('returns frozen data', () => {
    const catalog = loadCatalog();
    const entry = catalog.entries[0];
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry?.env)).toBe(true);
    expect(Object.isFrozen(entry?.images)).toBe(true);
  });
});
