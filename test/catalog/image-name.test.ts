import { describe, expect, it } from 'vitest';
import { normaliseImage, normaliseImageRepository } from '../../src/lib/catalog/index.ts';
import { parseImageRef } from '../../src/lib/compose/image-ref.ts';

describe('normaliseImageRepository', () => {
  it.each([
    ['postgres', 'postgres'],
    ['postgres:16-alpine', 'postgres'],
    ['library/postgres', 'postgres'],
    ['docker.io/library/postgres:16', 'postgres'],
    ['index.docker.io/library/postgres', 'postgres'],
    ['registry-1.docker.io/pgvector/pgvector:pg16', 'pgvector/pgvector'],
    ['docker.io/linuxserver/sonarr', 'linuxserver/sonarr'],
    ['ghcr.io/goauthentik/server:2025.8.4', 'ghcr.io/goauthentik/server'],
    ['GHCR.IO/GoAuthentik/Server', 'ghcr.io/goauthentik/server'],
    ['lscr.io/linuxserver/sonarr@sha256:0123abcd', 'lscr.io/linuxserver/sonarr'],
    ['localhost:5000/app:1.0', 'localhost:5000/app'],
    ['ghcr.io/library/thing', 'ghcr.io/library/thing'],
    ['registry.hub.docker.com/library/postgres:16', 'postgres'],
    ['Library/Postgres', 'postgres'],
  ])('%s -> %s', (text, key) => {
    expect(normaliseImageRepository(text)).toBe(key);
    // The model's parse of the same reference names the same registry and repository.
    const ref = parseImageRef(text);
    expect(ref.registry === undefined ? ref.repository : `${ref.registry}/${ref.repository}`).toBe(key);
  });

  it('accepts the model split into registry and repository', () => {
    expect(normaliseImageRepository({ registry: 'ghcr.io', repository: 'goauthentik/server' })).toBe('ghcr.io/goauthentik/server');
    expect(normaliseImageRepository({ repository: 'postgres' })).toBe('postgres');
    expect(normaliseImageRepository({ registry: 'docker.io', repository: 'library/postgres' })).toBe('postgres');
  });

  it('does not repeat a registry the repository already carries', () => {
    expect(normaliseImageRepository({ registry: 'ghcr.io', repository: 'ghcr.io/goauthentik/server' })).toBe(
      'ghcr.io/goauthentik/server',
    );
  });

  it('splits registry and path', () => {
    expect(normaliseImage('registry.lan:5000/library/redis:7')).toEqual({
      registry: 'registry.lan:5000',
      path: 'library/redis',
      key: 'registry.lan:5000/library/redis',
    });
    expect(normaliseImage('redis:7')).toEqual({ path: 'redis', key: 'redis' });
  });
});
