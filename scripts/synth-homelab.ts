/**
 * A synthetic homelab for benchmarks: S stacks of about ten services each, written
 * deterministically from a seed, in the shape of the bundled example (examples/homelab) and
 * using every Compose feature the loader understands:
 *
 * - interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
 *   `${VAR?error}`, `${VAR:+replacement}`, `${VAR+replacement}`, nested defaults and `$$`;
 * - anchors, aliases and `<<` merge keys (service level, environment, healthcheck timing);
 * - `extends` (same file and `../common/base.yml`), `include`, `compose.override.yml`,
 *   `env_file` (short and long syntax), `.env.example` per stack, `profiles`;
 * - short and long syntax of ports, volumes (volume, bind, tmpfs), networks (aliases,
 *   ipv4_address), depends_on (conditions), environment (map and list), labels (map and list);
 * - healthchecks (and a disabled one), deploy resources, secrets and configs (file and inline);
 * - shared external networks (`frontend_net`, `db_net`, `backend_net`), database and cache
 *   consumers with DSNs and Redis database indexes, Traefik and homepage labels, per-group
 *   backup jobs mounting other stacks' volumes, comments above services, `# --` documentation
 *   comments and `x-wiki`.
 *
 * Layout: stack 0 of every ten is `databases-GG` (PostgreSQL, Redis, MariaDB and a backup job
 * for its group), stack 1 is `frontdoor` (Traefik, CrowdSec, Authentik), stack 2 is `ops`
 * (monitoring, with an included exporters file); every other stack is an application stack
 * drawn from a pool of well-known applications. Group g's applications use group g's databases.
 *
 *   npx node scripts/synth-homelab.ts --stacks 100 --out /tmp/homelab-100 [--seed 1] [--force]
 *
 * No Math.random, no clock, no environment: the same options give a byte-identical tree.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

export interface SynthOptions {
  /** Number of stacks (folders with a compose.yml). */
  readonly stacks: number;
  /** PRNG seed; the same seed gives the same tree. */
  readonly seed?: number;
}

/** Repository-relative POSIX path → file text, in a stable (sorted) order. */
export type SynthTree = ReadonlyMap<string, string>;

/** Marker file written at the root of a generated tree, so that `--force` only ever removes our own output. */
export const MARKER_FILE = '.synth-homelab';

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes two integers into a seed (so that each stack has its own independent stream). */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be59b, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

interface Rng {
  readonly next: () => number;
  int(min: number, max: number): number;
  pick<T>(values: readonly T[]): T;
  chance(p: number): boolean;
}

function makeRng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (values) => values[Math.floor(next() * values.length)] as (typeof values)[number],
    chance: (p) => next() < p,
  };
}

// ---------------------------------------------------------------------------------------------
// Small YAML helpers. Templates below write Compose interpolation as `§{VAR}` so that JavaScript
// template literals do not expand it; `compose()` turns it into `${VAR}`.

const compose = (text: string): string => text.replaceAll('§{', '${');

/** A YAML scalar: plain when safe, else double-quoted (JSON strings are valid YAML). */
function q(value: string): string {
  const plainSafe = /^[A-Za-z0-9_./§$(][^#]*$/.test(value)
    && !/: |:$|\s#|^(true|false|yes|no|on|off|null|~|[-+]?[0-9][0-9_.]*)$/i.test(value)
    && !/[{}[\],&*!|>'"%@`]/.test(value.replace(/§\{[^}]*\}/g, '').replace(/\$\{[^}]*\}/g, ''));
  return plainSafe ? value : JSON.stringify(value);
}

interface RouteOptions {
  readonly middlewares?: string;
  readonly homepage?: { readonly group: string; readonly name: string; readonly description?: string };
  readonly network?: boolean;
}

/** Traefik (and homepage) labels, as a mapping or as a list of `key=value` strings. */
function traefikLabels(form: 'map' | 'list', indent: number, router: string, host: string, port: number, options: RouteOptions = {}): string {
  const pad = ' '.repeat(indent);
  const pairs: Array<[string, string]> = [['traefik.enable', 'true']];
  if (options.network !== false) pairs.push(['traefik.docker.network', 'frontend_net']);
  pairs.push([`traefik.http.routers.${router}.rule`, `Host(\`${host}\`)`]);
  pairs.push([`traefik.http.routers.${router}.entrypoints`, 'websecure']);
  if (options.middlewares) pairs.push([`traefik.http.routers.${router}.middlewares`, options.middlewares]);
  pairs.push([`traefik.http.services.${router}.loadbalancer.server.port`, String(port)]);
  if (options.homepage) {
    pairs.push(['homepage.group', options.homepage.group], ['homepage.name', options.homepage.name], ['homepage.href', `https://${host}`]);
    if (options.homepage.description) pairs.push(['homepage.description', options.homepage.description]);
  }
  const lines = pairs.map(([k, v]) => (form === 'map' ? `${pad}  ${k}: ${q(v)}` : `${pad}  - ${q(`${k}=${v}`)}`));
  return `${pad}labels:\n${lines.join('\n')}`;
}

/** A healthcheck block; `timing` is either explicit values or the `*healthcheck-timing` merge. */
function healthcheck(indent: number, test: readonly string[], timing: 'anchor' | readonly [string, string, number, string]): string {
  const pad = ' '.repeat(indent);
  const head = `${pad}healthcheck:\n${pad}  test: [${test.map((t) => JSON.stringify(t)).join(', ')}]`;
  if (timing === 'anchor') return `${head}\n${pad}  <<: *healthcheck-timing`;
  const [interval, timeout, retries, start] = timing;
  return `${head}\n${pad}  interval: ${interval}\n${pad}  timeout: ${timeout}\n${pad}  retries: ${retries}\n${pad}  start_period: ${start}`;
}

function limits(indent: number, cpus: string, memory: string): string {
  const pad = ' '.repeat(indent);
  return `${pad}deploy:\n${pad}  resources:\n${pad}    limits:\n${pad}      cpus: "${cpus}"\n${pad}      memory: ${memory}`;
}

// ---------------------------------------------------------------------------------------------
// Building blocks of a stack

interface EnvVar {
  readonly name: string;
  readonly value: string;
  readonly doc?: string;
}

interface VolumeSpec {
  readonly key: string;
  /** Pinned name (`name:`), else Compose's `<project>_<key>`. */
  readonly name?: string;
  /** Mounted read-only by the group's backup job. */
  readonly backup?: boolean;
  readonly external?: boolean;
  readonly comment?: string;
}

/** What one application unit adds to a stack. */
interface Unit {
  /** Number of services in `yaml`. */
  readonly services: number;
  /** Entries under `services:` (two-space indented keys). */
  readonly yaml: string;
  /** Top-level `x-` anchor blocks this unit refers to (keys of ANCHORS). */
  readonly anchors?: readonly string[];
  readonly volumes: readonly VolumeSpec[];
  /** Shared networks (declared external unless this stack creates them) and `default`. */
  readonly networks: readonly string[];
  /** Local network definitions (`name:` → YAML body lines, four-space indented). */
  readonly localNetworks?: Readonly<Record<string, string>>;
  readonly env: readonly EnvVar[];
  /** Extra files, relative to the stack folder. */
  readonly files?: Readonly<Record<string, string>>;
  /** Entries under `services:` of compose.override.yml. */
  readonly override?: string;
  /** Included compose files (relative to the stack folder) with their text. */
  readonly includes?: Readonly<Record<string, string>>;
  /** Top-level `secrets:` / `configs:` entries (two-space indented). */
  readonly secrets?: string;
  readonly configs?: string;
  /** Stack-specific top-level `x-` blocks (written after the shared ones). */
  readonly extraAnchors?: string;
}

interface Group {
  readonly index: number;
  readonly tag: string;
  readonly postgres: string;
  readonly redis: string;
  readonly mariadb: string;
  /** Next free Redis database index of the group's Redis server. */
  nextRedisDb: number;
  /** Volumes of the group's stacks that its backup job mounts. */
  readonly backups: Array<{ readonly name: string; readonly stack: string }>;
}

interface UnitContext {
  readonly rng: Rng;
  /** Stack index, zero-padded (unique suffix of container names and hosts). */
  readonly tag: string;
  readonly index: number;
  readonly group: Group;
  readonly domain: string;
  /** Container name of a service of this stack. */
  readonly cn: (service: string) => string;
  /** Public host of a service of this stack. */
  readonly host: (service: string) => string;
  readonly redisDb: () => number;
}

const DOMAIN = 'example.home';

/** Reusable top-level `x-` blocks. */
const ANCHORS: Readonly<Record<string, string>> = {
  'x-logging': `# Log rotation shared by every service (\`logging: *default-logging\`).
x-logging: &default-logging
  driver: json-file
  options:
    max-size: 10m
    max-file: "3"`,
  'x-healthcheck-timing': `# Probe timing shared by the healthchecks below (\`<<: *healthcheck-timing\`).
x-healthcheck-timing: &healthcheck-timing
  interval: 30s
  timeout: 5s
  retries: 3
  start_period: 30s`,
  'x-lsio-env': `# linuxserver.io user mapping, merged into each service's environment map.
x-lsio-env: &lsio-env
  # -- Owner of the files the containers write (the "media" user on the host)
  PUID: §{PUID-1000}
  PGID: §{PGID-1000}
  TZ: §{TZ:-Europe/Berlin}
  # -- Group-writable files, so that the containers can share one library
  UMASK: "002"`,
  'x-media-common': `# Settings merged into the *arr services with \`<<: *media-common\`.
x-media-common: &media-common
  restart: unless-stopped
  networks:
    - media_net
    - frontend_net
  logging:
    driver: json-file
    options:
      max-size: 10m
      max-file: "3"`,
};

const PASSWORD = 'change-me';

// ---------------------------------------------------------------------------------------------
// Application units (each a group of services that belong together)

type UnitFactory = (c: UnitContext) => Unit;

const docs: UnitFactory = (c) => {
  const db = c.redisDb();
  return {
    services: 3,
    anchors: ['x-logging'],
    yaml: `  # Paperless-ngx, the document archive: scans land in the consume folder, are OCR'd,
  # tagged and made searchable. Users sign in with Authentik over OpenID Connect.
  paperless:
    image: ghcr.io/paperless-ngx/paperless-ngx:${c.rng.pick(['2.18.4', '2.18.3', '2.17.1'])}
    container_name: ${c.cn('paperless')}
    restart: unless-stopped
    logging: *default-logging
    depends_on:
      paperless-gotenberg:
        condition: service_started
      paperless-tika:
        condition: service_started
    # Non-secret OCR and consumer settings, committed beside this file (short syntax).
    env_file: ./paperless.env
    environment:
      # -- Broker and cache: shared Redis, database index ${db}
      PAPERLESS_REDIS: redis://:§{REDIS_PASSWORD}@${c.group.redis}:6379/${db}
      PAPERLESS_DBENGINE: postgresql
      PAPERLESS_DBHOST: ${c.group.postgres}
      PAPERLESS_DBNAME: paperless_${c.tag}
      PAPERLESS_DBUSER: paperless_${c.tag}
      PAPERLESS_DBPASS: §{PAPERLESS_DB_PASSWORD:?set PAPERLESS_DB_PASSWORD in .env}
      PAPERLESS_SECRET_KEY: §{PAPERLESS_SECRET_KEY:?set PAPERLESS_SECRET_KEY in .env}
      # -- Public URL, used for CSRF checks and links in emails
      PAPERLESS_URL: https://${c.host('paperless')}
      PAPERLESS_TIKA_ENABLED: 1
      PAPERLESS_TIKA_ENDPOINT: http://paperless-tika:9998
      PAPERLESS_TIKA_GOTENBERG_ENDPOINT: http://paperless-gotenberg:3000
      PAPERLESS_APPS: allauth.socialaccount.providers.openid_connect
      # -- OIDC client registered in Authentik as application "paperless-${c.tag}"
      PAPERLESS_SOCIALACCOUNT_PROVIDERS: >-
        {"openid_connect": {"APPS": [{"provider_id": "authentik", "name": "Authentik",
        "client_id": "paperless-${c.tag}", "secret": "§{PAPERLESS_OIDC_CLIENT_SECRET}",
        "settings": {"server_url": "https://auth.${c.domain}/application/o/paperless-${c.tag}/.well-known/openid-configuration"}}]}}
    volumes:
      - paperless_data:/usr/src/paperless/data
      - paperless_media:/usr/src/paperless/media
      # -- Drop scans here (the scanner writes to this SMB share)
      - §{PAPERLESS_CONSUME_DIR:-/srv/scans}:/usr/src/paperless/consume
    networks:
      - default
      - db_net
      - frontend_net
${healthcheck(4, ['CMD', 'curl', '-fs', '--max-time', '2', 'http://localhost:8000'], ['30s', '10s', 5, '60s'])}
${traefikLabels('map', 4, `paperless-${c.tag}`, c.host('paperless'), 8000, { homepage: { group: 'Apps', name: `Paperless ${c.tag}`, description: 'Scanned documents, OCR and full-text search' } })}
    x-wiki:
      description: Paperless-ngx document archive; OCR via Tika and Gotenberg, login via Authentik.
      proxied_by: traefik

  # Gotenberg converts office documents and e-mails to PDF for Paperless.
  paperless-gotenberg:
    image: gotenberg/gotenberg:8.23.1
    container_name: ${c.cn('paperless-gotenberg')}
    restart: unless-stopped
    command:
      - gotenberg
      - --chromium-disable-javascript=true
      - --chromium-allow-list=file:///tmp/.*

  # Apache Tika extracts text and metadata from office documents for Paperless.
  paperless-tika:
    image: apache/tika:3.2.3.0
    container_name: ${c.cn('paperless-tika')}
    restart: unless-stopped
`,
    volumes: [{ key: 'paperless_data', backup: true }, { key: 'paperless_media', backup: true, comment: 'Archived originals and thumbnails' }],
    networks: ['default', 'db_net', 'frontend_net'],
    env: [
      { name: 'REDIS_PASSWORD', value: PASSWORD, doc: 'Password of the shared Redis server (same value as in the databases stack)' },
      { name: 'PAPERLESS_DB_PASSWORD', value: PASSWORD, doc: `Password of the "paperless_${c.tag}" PostgreSQL role` },
      { name: 'PAPERLESS_SECRET_KEY', value: PASSWORD, doc: 'Django secret key (generate with: openssl rand -base64 48)' },
      { name: 'PAPERLESS_OIDC_CLIENT_SECRET', value: PASSWORD, doc: 'Client secret of the "paperless" OIDC provider in Authentik' },
      { name: 'PAPERLESS_CONSUME_DIR', value: '/srv/scans', doc: 'Host folder the scanner writes to (default: /srv/scans)' },
    ],
    files: {
      'paperless.env': `# Non-secret Paperless-ngx settings, loaded with \`env_file: ./paperless.env\`.
PAPERLESS_OCR_LANGUAGE=${c.rng.pick(['deu+eng', 'eng', 'fra+eng', 'nld+eng'])}
PAPERLESS_TIME_ZONE=Europe/Berlin
PAPERLESS_CONSUMER_POLLING=${c.rng.pick([30, 60, 120])}
PAPERLESS_CONSUMER_RECURSIVE=true
PAPERLESS_FILENAME_FORMAT={{ created_year }}/{{ correspondent }}/{{ title }}
USERMAP_UID=1000
USERMAP_GID=1000
`,
    },
  };
};

const recipes: UnitFactory = (c) => ({
  services: 1,
  anchors: ['x-logging'],
  yaml: `  # Mealie, the recipe manager and meal planner. Signs users in with Authentik (OIDC).
  mealie:
    image: ghcr.io/mealie-recipes/mealie:${c.rng.pick(['v3.2.1', 'v3.1.2', 'v3.0.2'])}
    container_name: ${c.cn('mealie')}
    restart: unless-stopped
    logging: *default-logging
    # Long syntax: the committed defaults, then an optional untracked local override.
    env_file:
      - path: ./mealie.env
        required: true
      - path: ./mealie.local.env
        required: false
    # Environment as a list of KEY=value strings.
    environment:
      - BASE_URL=https://${c.host('mealie')}
      - DB_ENGINE=postgres
      - POSTGRES_SERVER=${c.group.postgres}
      - POSTGRES_DB=mealie_${c.tag}
      - POSTGRES_USER=mealie_${c.tag}
      - POSTGRES_PASSWORD=§{MEALIE_DB_PASSWORD:?set MEALIE_DB_PASSWORD in .env}
      - OIDC_AUTH_ENABLED=true
      - OIDC_PROVIDER_NAME=Authentik
      # -- Discovery document of the "mealie-${c.tag}" application in Authentik
      - OIDC_CONFIGURATION_URL=https://auth.${c.domain}/application/o/mealie-${c.tag}/.well-known/openid-configuration
      - OIDC_CLIENT_ID=mealie-${c.tag}
      - OIDC_CLIENT_SECRET=§{MEALIE_OIDC_CLIENT_SECRET}
    volumes:
      - mealie_data:/app/data
    networks:
      - db_net
      - frontend_net
    # Labels as a list of key=value strings.
${traefikLabels('list', 4, `mealie-${c.tag}`, c.host('mealie'), 9000, { homepage: { group: 'Apps', name: 'Mealie', description: 'Recipes and meal planning' } })}
`,
  volumes: [{ key: 'mealie_data', backup: true }],
  networks: ['db_net', 'frontend_net'],
  env: [
    { name: 'MEALIE_DB_PASSWORD', value: PASSWORD, doc: `Password of the "mealie_${c.tag}" PostgreSQL role` },
    { name: 'MEALIE_OIDC_CLIENT_SECRET', value: PASSWORD },
  ],
  files: {
    'mealie.env': `# Non-secret Mealie settings, loaded through the long \`env_file:\` syntax.
ALLOW_SIGNUP=false
TZ=Europe/Berlin
MAX_WORKERS=1
WEB_CONCURRENCY=1
DEFAULT_GROUP=${c.rng.pick(['Home', 'Family', 'Kitchen'])}
`,
  },
});

const automation: UnitFactory = (c) => {
  const db = c.redisDb();
  return {
    services: 2,
    anchors: ['x-logging'],
    yaml: `  # n8n, the workflow automation tool, in queue mode: this container serves the editor and
  # webhooks, the n8n-worker container below executes the workflows.
  n8n:
    image: docker.n8n.io/n8nio/n8n:${c.rng.pick(['1.112.6', '1.111.0', '1.110.1'])}
    container_name: ${c.cn('n8n')}
    restart: unless-stopped
    logging: *default-logging
    environment:
      DB_TYPE: postgresdb
      DB_POSTGRESDB_HOST: ${c.group.postgres}
      DB_POSTGRESDB_PORT: 5432
      DB_POSTGRESDB_DATABASE: n8n_${c.tag}
      DB_POSTGRESDB_USER: n8n_${c.tag}
      DB_POSTGRESDB_PASSWORD: §{N8N_DB_PASSWORD:?set N8N_DB_PASSWORD in .env}
      EXECUTIONS_MODE: queue
      QUEUE_BULL_REDIS_HOST: ${c.group.redis}
      # -- Shared Redis, database index ${db}
      QUEUE_BULL_REDIS_DB: ${db}
      QUEUE_BULL_REDIS_PASSWORD: §{REDIS_PASSWORD}
      # -- Encrypts stored credentials; losing it makes every saved credential unreadable
      N8N_ENCRYPTION_KEY: §{N8N_ENCRYPTION_KEY:?set N8N_ENCRYPTION_KEY in .env}
      WEBHOOK_URL: https://${c.host('n8n')}/
      GENERIC_TIMEZONE: $TZ
      QUEUE_HEALTH_CHECK_ACTIVE: "true"
    volumes:
      - n8n_data:/home/node/.n8n
    networks:
      - db_net
      - frontend_net
${healthcheck(4, ['CMD-SHELL', 'wget -qO- http://localhost:5678/healthz || exit 1'], ['30s', '5s', 3, '20s'])}
${limits(4, '1.5', '1536M')}
${traefikLabels('map', 4, `n8n-${c.tag}`, c.host('n8n'), 5678, { homepage: { group: 'Apps', name: 'n8n', description: 'Workflow automation' } })}

  # n8n queue worker: same image and settings as n8n (extends, same file), runs \`worker\`
  # and is hidden from Traefik.
  n8n-worker:
    extends:
      service: n8n
    container_name: ${c.cn('n8n-worker')}
    command: worker
    environment:
      N8N_CONCURRENCY_PRODUCTION_LIMIT: ${c.rng.int(2, 10)}
    labels:
      traefik.enable: "false"
      homepage.name: n8n worker
    depends_on:
      n8n:
        condition: service_healthy
`,
    volumes: [{ key: 'n8n_data', backup: true }],
    networks: ['db_net', 'frontend_net'],
    env: [
      { name: 'TZ', value: 'Europe/Berlin', doc: 'Time zone of the containers (default: Europe/Berlin)' },
      { name: 'REDIS_PASSWORD', value: PASSWORD, doc: 'Password of the shared Redis server (same value as in the databases stack)' },
      { name: 'N8N_DB_PASSWORD', value: PASSWORD },
      { name: 'N8N_ENCRYPTION_KEY', value: PASSWORD, doc: 'Encrypts saved credentials; keep a copy outside the server' },
    ],
  };
};

const forge: UnitFactory = (c) => {
  const ssh = 20000 + ((c.index * 7) % 10000);
  return {
    services: 2,
    anchors: ['x-healthcheck-timing'],
    yaml: `  # Gitea, the self-hosted Git forge. Web UI through Traefik, Git over SSH on a host port.
  gitea:
    image: gitea/gitea:${c.rng.pick(['1.24.6', '1.24.5', '1.23.8'])}
    container_name: ${c.cn('gitea')}
    hostname: git-${c.tag}
    restart: unless-stopped
    environment:
      USER_UID: 1000
      USER_GID: 1000
      GITEA__database__DB_TYPE: mysql
      GITEA__database__HOST: ${c.group.mariadb}:3306
      GITEA__database__NAME: gitea_${c.tag}
      GITEA__database__USER: gitea_${c.tag}
      GITEA__database__PASSWD: §{GITEA_DB_PASSWORD:?set GITEA_DB_PASSWORD in .env}
      # -- Public URL of the web UI, used in clone URLs and e-mails
      GITEA__server__ROOT_URL: https://${c.host('git')}/
      GITEA__server__SSH_DOMAIN: ${c.host('git')}
      GITEA__server__SSH_PORT: §{GITEA_SSH_PORT:-${ssh}}
      GITEA__service__DISABLE_REGISTRATION: "true"
      GITEA__actions__ENABLED: "true"
    volumes:
      # -- Repositories, LFS objects and app.ini
      - gitea_data:/data
      - /etc/localtime:/etc/localtime:ro
    ports:
      # -- Git over SSH
      - "§{GITEA_SSH_PORT:-${ssh}}:22"
    networks:
      default:
        aliases:
          - git
      db_net: {}
      frontend_net: {}
${healthcheck(4, ['CMD', 'curl', '-fsS', 'http://localhost:3000/api/healthz'], 'anchor')}
${traefikLabels('map', 4, `gitea-${c.tag}`, c.host('git'), 3000, { homepage: { group: 'Development', name: 'Gitea', description: 'Git hosting and Actions CI' } })}
      org.opencontainers.image.description: Gitea - Git with a cup of tea

  # Gitea Actions runner: picks up CI jobs from Gitea and runs them in sibling containers
  # through the host's Docker socket.
  gitea-runner:
    image: gitea/act_runner:0.2.13
    container_name: ${c.cn('gitea-runner')}
    restart: unless-stopped
    depends_on:
      gitea:
        condition: service_healthy
        restart: true
    environment:
      GITEA_INSTANCE_URL: http://gitea:3000
      # -- One-time registration token (Site Administration > Actions > Runners)
      GITEA_RUNNER_REGISTRATION_TOKEN: §{GITEA_RUNNER_TOKEN:?set GITEA_RUNNER_TOKEN in .env}
      GITEA_RUNNER_NAME: runner-${c.tag}
      GITEA_RUNNER_LABELS: ubuntu-latest:docker://node:20-bookworm
    volumes:
      - gitea_runner_data:/data
      - /var/run/docker.sock:/var/run/docker.sock
`,
    volumes: [{ key: 'gitea_data', backup: true }, { key: 'gitea_runner_data' }],
    networks: ['default', 'db_net', 'frontend_net'],
    env: [
      { name: 'GITEA_DB_PASSWORD', value: PASSWORD, doc: `Password of the "gitea_${c.tag}" MariaDB user` },
      { name: 'GITEA_SSH_PORT', value: String(ssh), doc: `Host port of Git over SSH (default: ${ssh})` },
      { name: 'GITEA_RUNNER_TOKEN', value: PASSWORD },
    ],
  };
};

const ARRS: ReadonlyArray<readonly [string, string, number, string]> = [
  ['prowlarr', '2.0.5', 9696, 'Indexer manager for Sonarr and Radarr'],
  ['sonarr', '4.0.15', 8989, 'Series automation'],
  ['radarr', '5.27.5', 7878, 'Film automation'],
  ['bazarr', '1.5.3', 6767, 'Subtitles for the library'],
  ['lidarr', '2.13.3', 8686, 'Music automation'],
];

const media: UnitFactory = (c) => {
  const arrs = ARRS.slice(0, c.rng.int(3, 5));
  const port = 8096 + (c.index % 100) * 10;
  const arrBlocks = arrs.map(([name, version, p, what], i) => `  # ${name[0]?.toUpperCase()}${name.slice(1)}: ${what.toLowerCase()}.
  ${name}:
    <<: *media-common
    image: lscr.io/linuxserver/${name}:${version}
    container_name: ${c.cn(name)}
${i > 0 ? '    depends_on:\n      - prowlarr\n      - qbittorrent\n' : ''}    environment:
      <<: *lsio-env
    volumes:
      - ${name}_config:/config
${i > 0 ? '      - /srv/media:/data/media\n' : ''}${traefikLabels('map', 4, `${name}-${c.tag}`, c.host(name), p, { middlewares: 'authentik-media@docker' })}
`).join('\n');
  return {
    services: 2 + arrs.length,
    anchors: ['x-lsio-env', 'x-media-common'],
    yaml: `  # Jellyfin media server: streams films and series to browsers, TVs and phones, and
  # transcodes on the Intel iGPU (VA-API/QSV through /dev/dri).
  jellyfin:
    extends:
      file: ../common/base.yml
      service: lsio-base
    image: lscr.io/linuxserver/jellyfin:10.10.6
    container_name: ${c.cn('jellyfin')}
    hostname: jellyfin-${c.tag}
    environment:
      # -- URL that Jellyfin advertises to clients on the LAN
      JELLYFIN_PublishedServerUrl: https://${c.host('jellyfin')}
      DOCKER_MODS: linuxserver/mods:jellyfin-opencl-intel
    devices:
      - /dev/dri:/dev/dri
    group_add:
      - "109"
    volumes:
      - jellyfin_config:/config
      - /srv/media:/data/media:ro
      # -- Transcoding scratch space in RAM
      - type: tmpfs
        target: /transcode
        tmpfs:
          size: 4294967296
    ports:
      # -- Direct LAN access for TV apps that cannot follow the Traefik redirect
      - "${port}:8096"
    networks:
      - media_net
      - frontend_net
${traefikLabels('map', 4, `jellyfin-${c.tag}`, c.host('jellyfin'), 8096, { homepage: { group: 'Media', name: 'Jellyfin', description: 'Films and series' } })}
    x-wiki:
      description: Media server for the family; hardware transcoding on the iGPU.
      proxied_by: traefik
      notes:
        - Jellyfin has its own users and is deliberately NOT behind the Authentik outpost.
${limits(4, '4', '4G')}

${arrBlocks}
  # qBittorrent: the download client of the *arrs, reachable only through Traefik.
  qbittorrent:
    <<: *media-common
    image: lscr.io/linuxserver/qbittorrent:5.1.2
    container_name: ${c.cn('qbittorrent')}
    environment:
      <<: *lsio-env
      WEBUI_PORT: 8080
      TORRENTING_PORT: §{TORRENTING_PORT:-6881}
    volumes:
      - qbittorrent_config:/config
      - /srv/media/downloads:/data/media/downloads
    ports:
      - target: 6881
        published: "§{TORRENTING_PORT:-6881}"
        protocol: udp
${traefikLabels('map', 4, `qbittorrent-${c.tag}`, c.host('qbittorrent'), 8080, { middlewares: 'authentik-media@docker' })}
`,
    volumes: [
      { key: 'jellyfin_config', backup: true },
      ...arrs.map(([name]) => ({ key: `${name}_config`, backup: name === 'sonarr' || name === 'radarr' })),
      { key: 'qbittorrent_config' },
    ],
    networks: ['media_net', 'frontend_net'],
    localNetworks: { media_net: '' },
    env: [
      { name: 'PUID', value: '1000', doc: 'Owner of /srv/media on the host' },
      { name: 'PGID', value: '1000' },
      { name: 'TZ', value: 'Europe/Berlin', doc: 'Time zone of the containers (default: Europe/Berlin)' },
      { name: 'TORRENTING_PORT', value: '6881' },
    ],
    override: `  # Jellyfin: try the next patch release here before bumping it in compose.yml, and
  # publish the DLNA and client-discovery ports on the LAN.
  jellyfin:
    image: lscr.io/linuxserver/jellyfin:10.10.7
    environment:
      JELLYFIN_LOG_LEVEL: Debug
    ports:
      - "1900:1900/udp"
      - "7359:7359/udp"
`,
  };
};

const photos: UnitFactory = (c) => {
  const db = c.redisDb();
  const version = c.rng.pick(['v1.142.1', 'v1.141.1', 'v1.140.0']);
  return {
    services: 3,
    yaml: `  # Immich server: web UI, mobile-app API and background jobs (thumbnails, metadata,
  # video transcoding).
  immich-server:
    image: ghcr.io/immich-app/immich-server:${version}
    container_name: ${c.cn('immich-server')}
    restart: unless-stopped
    environment:
      IMMICH_VERSION: *immich-version
      DB_HOSTNAME: immich-postgres
      DB_PORT: 5432
      DB_USERNAME: immich
      DB_DATABASE_NAME: immich
      DB_PASSWORD: §{IMMICH_DB_PASSWORD:?set IMMICH_DB_PASSWORD in .env}
      REDIS_HOSTNAME: ${c.group.redis}
      REDIS_PORT: 6379
      # -- Shared Redis, database index ${db}
      REDIS_DBINDEX: ${db}
      REDIS_PASSWORD: §{REDIS_PASSWORD}
      TZ: §{TZ:-Europe/Berlin}
    volumes:
      # -- Originals, thumbnails and encoded videos
      - §{UPLOAD_LOCATION:?set UPLOAD_LOCATION in .env}:/data
      - /etc/localtime:/etc/localtime:ro
    networks:
      - immich_net
      - db_net
      - frontend_net
    depends_on:
      immich-postgres:
        condition: service_healthy
      immich-machine-learning:
        condition: service_started
${healthcheck(4, ['CMD-SHELL', 'curl -fsS http://localhost:2283/api/server/ping || exit 1'], ['30s', '5s', 5, '60s'])}
${traefikLabels('map', 4, `immich-${c.tag}`, c.host('photos'), 2283, { homepage: { group: 'Media', name: 'Immich', description: 'Photo and video backup' } })}
    x-wiki:
      description: Photo library for the family's phones; uploads are the only copy of many photos.
      proxied_by: traefik
      notes:
        - Upgrade immich-server and immich-machine-learning together; they must run the same version.

  # Immich machine learning: CLIP embeddings for smart search and face recognition.
  immich-machine-learning:
    image: ghcr.io/immich-app/immich-machine-learning:${version}
    container_name: ${c.cn('immich-machine-learning')}
    restart: unless-stopped
    environment:
      MACHINE_LEARNING_WORKERS: 1
      MACHINE_LEARNING_MODEL_TTL: 600
    volumes:
      - immich_model_cache:/cache
    networks:
      - immich_net
${limits(4, '2', '4G')}

  # PostgreSQL 14 with the VectorChord extension, private to Immich.
  immich-postgres:
    image: ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0
    container_name: ${c.cn('immich-postgres')}
    restart: unless-stopped
    environment:
      POSTGRES_USER: immich
      POSTGRES_DB: immich
      POSTGRES_PASSWORD: §{IMMICH_DB_PASSWORD}
      POSTGRES_INITDB_ARGS: --data-checksums
      # -- Set to HDD when the database lives on a spinning disk
      DB_STORAGE_TYPE: §{IMMICH_DB_STORAGE_TYPE:-SSD}
    volumes:
      - immich_pg_data:/var/lib/postgresql/data
    networks:
      - immich_net
    shm_size: 128mb
${healthcheck(4, ['CMD-SHELL', 'pg_isready -U $${POSTGRES_USER} -d $${POSTGRES_DB}'], ['10s', '5s', 5, '60s'])}
`,
    anchors: [],
    volumes: [{ key: 'immich_model_cache' }, { key: 'immich_pg_data', backup: true, comment: 'Database of the photo library (metadata, faces, albums)' }],
    networks: ['immich_net', 'db_net', 'frontend_net'],
    localNetworks: { immich_net: '' },
    env: [
      { name: 'IMMICH_DB_PASSWORD', value: PASSWORD },
      { name: 'REDIS_PASSWORD', value: PASSWORD, doc: 'Password of the shared Redis server (same value as in the databases stack)' },
      { name: 'UPLOAD_LOCATION', value: `/mnt/nas/photos-${c.tag}`, doc: 'Library on the NAS (originals and thumbnails)' },
      { name: 'TZ', value: 'Europe/Berlin' },
    ],
  };
};

const tools: UnitFactory = (c) => {
  const port = 8000 + (c.index % 1000);
  return {
    services: 3,
    anchors: ['x-logging'],
    yaml: `  # IT-Tools: handy converters and generators for developers. It has no login of its own,
  # so Traefik puts the Authentik forward-auth middleware in front of it.
  it-tools:
    extends:
      file: ../common/base.yml
      service: app-base
    image: corentinth/it-tools:2024.10.22-7ca5933
    container_name: ${c.cn('it-tools')}
    # The image's built-in healthcheck probes an IPv6 address and flaps on IPv4-only hosts.
    healthcheck:
      disable: true
    ports:
      - target: 80
        published: "${port}"
        protocol: tcp
    networks:
      - frontend_net
${traefikLabels('map', 4, `it-tools-${c.tag}`, c.host('it-tools'), 80, { middlewares: 'authentik@docker', homepage: { group: 'Tools', name: 'IT-Tools', description: 'Converters, encoders and generators' } })}

  # Stirling-PDF: merge, split, OCR and sign PDFs in the browser.
  stirling-pdf:
    image: stirlingtools/stirling-pdf:${c.rng.pick(['1.3.2', '1.2.0', '1.1.1'])}
    container_name: ${c.cn('stirling-pdf')}
    restart: unless-stopped
    logging: *default-logging
    environment:
      SECURITY_ENABLELOGIN: "true"
      SECURITY_INITIALLOGIN_USERNAME: admin
      SECURITY_INITIALLOGIN_PASSWORD: §{STIRLING_ADMIN_PASSWORD:?set STIRLING_ADMIN_PASSWORD in .env}
    volumes:
      - type: tmpfs
        target: /tmp
        tmpfs:
          size: 536870912
    networks:
      - frontend_net
${traefikLabels('map', 4, `stirling-pdf-${c.tag}`, c.host('pdf'), 8080)}

  # Vaultwarden, a lightweight Bitwarden-compatible password manager server.
  vaultwarden:
    image: vaultwarden/server:${c.rng.pick(['1.34.3', '1.34.1', '1.33.2'])}
    container_name: ${c.cn('vaultwarden')}
    restart: unless-stopped
    logging: *default-logging
    environment:
      DOMAIN: https://${c.host('vault')}
      # -- Argon2 hash of the /admin page token (write it with single quotes in .env)
      ADMIN_TOKEN: §{VAULTWARDEN_ADMIN_TOKEN:?set VAULTWARDEN_ADMIN_TOKEN in .env}
      SMTP_HOST: §{SMTP_HOST:-}
      # \`:+\` substitutes "starttls" only when SMTP_HOST is set and non-empty.
      SMTP_SECURITY: §{SMTP_HOST:+starttls}
      # \`+\` (no colon): "true" as soon as SMTP_USERNAME is set, even when empty.
      SMTP_AUTH_MECHANISM: §{SMTP_USERNAME+Login}
      SMTP_USERNAME: §{SMTP_USERNAME:-}
      SMTP_PASSWORD: §{SMTP_PASSWORD:-}
      SMTP_FROM: §{SMTP_FROM:-vault@§{MAIL_DOMAIN:-${c.domain}}}
    volumes:
      # -- Vault database, attachments and RSA keys
      - vaultwarden_data:/data
    networks:
      - frontend_net
${traefikLabels('map', 4, `vaultwarden-${c.tag}`, c.host('vault'), 80, { homepage: { group: 'Apps', name: 'Vaultwarden', description: 'Password manager' } })}
`,
    volumes: [{ key: 'vaultwarden_data', name: `vaultwarden_data_${c.tag}`, backup: true, comment: 'A fixed name, so the backup job can mount it as an external volume.' }],
    networks: ['frontend_net'],
    env: [
      { name: 'STIRLING_ADMIN_PASSWORD', value: PASSWORD },
      { name: 'VAULTWARDEN_ADMIN_TOKEN', value: `'$argon2id$v=19$m=65540,t=3,p=4$${PASSWORD}$${PASSWORD}'`, doc: 'Argon2 PHC string from `vaultwarden hash`; single quotes keep the $ signs literal' },
      { name: 'SMTP_HOST', value: '', doc: 'Outgoing mail; leave empty to disable mail' },
      { name: 'SMTP_USERNAME', value: '' },
      { name: 'SMTP_PASSWORD', value: '' },
      { name: 'MAIL_DOMAIN', value: c.domain },
    ],
  };
};

const cloud: UnitFactory = (c) => {
  const db = c.redisDb();
  return {
    services: 2,
    yaml: `  # Nextcloud: files, calendars and contacts for the family, with MariaDB and the shared Redis.
  nextcloud:
    image: nextcloud:${c.rng.pick(['31.0.9-apache', '31.0.8-apache', '30.0.14-apache'])}
    container_name: ${c.cn('nextcloud')}
    restart: unless-stopped
    environment:
      MYSQL_HOST: ${c.group.mariadb}
      MYSQL_DATABASE: nextcloud_${c.tag}
      MYSQL_USER: nextcloud_${c.tag}
      MYSQL_PASSWORD: §{NEXTCLOUD_DB_PASSWORD:?set NEXTCLOUD_DB_PASSWORD in .env}
      REDIS_HOST: ${c.group.redis}
      REDIS_HOST_PASSWORD: §{REDIS_PASSWORD}
      # -- Shared Redis, database index ${db} (set in config.php as 'dbindex')
      REDIS_DB_INDEX: ${db}
      NEXTCLOUD_TRUSTED_DOMAINS: ${c.host('cloud')}
      OVERWRITEPROTOCOL: https
      PHP_MEMORY_LIMIT: §{PHP_MEMORY_LIMIT:-1G}
    volumes:
      # -- Application code, config.php and apps
      - nextcloud_html:/var/www/html
      - type: bind
        source: §{NEXTCLOUD_DATA_DIR:-/srv/nextcloud}
        target: /var/www/html/data
    networks:
      - db_net
      - frontend_net
${healthcheck(4, ['CMD-SHELL', 'curl -fsS http://localhost/status.php | grep -q installed'], ['1m', '10s', 3, '2m'])}
${traefikLabels('list', 4, `nextcloud-${c.tag}`, c.host('cloud'), 80, { homepage: { group: 'Apps', name: 'Nextcloud', description: 'Files, calendars and contacts' } })}

  # Background jobs of Nextcloud every five minutes: the same container, started as cron.
  nextcloud-cron:
    extends: nextcloud
    container_name: ${c.cn('nextcloud-cron')}
    entrypoint: /cron.sh
    healthcheck:
      disable: true
    labels:
      - traefik.enable=false
`,
    volumes: [{ key: 'nextcloud_html', backup: true }],
    networks: ['db_net', 'frontend_net'],
    env: [
      { name: 'NEXTCLOUD_DB_PASSWORD', value: PASSWORD },
      { name: 'REDIS_PASSWORD', value: PASSWORD, doc: 'Password of the shared Redis server (same value as in the databases stack)' },
      { name: 'NEXTCLOUD_DATA_DIR', value: `/srv/nextcloud-${c.tag}` },
    ],
  };
};

const networking: UnitFactory = (c) => {
  const octet = 16 + (c.index % 200);
  const subnet = `172.31.${octet}`;
  return {
    services: 4,
    yaml: `  # AdGuard Home: network-wide DNS resolver with ad and tracker blocking. Has a fixed
  # address on dns_net so that the VPN clients can use it as their resolver.
  adguard:
    image: adguard/adguardhome:${c.rng.pick(['v0.107.65', 'v0.107.64', 'v0.107.62'])}
    container_name: ${c.cn('adguard')}
    hostname: dns-${c.tag}
    restart: unless-stopped
    volumes:
      - adguard_work:/opt/adguardhome/work
      - adguard_conf:/opt/adguardhome/conf
    ports:
      # -- DNS for the LAN, TCP and UDP
      - "53:53/tcp"
      - "53:53/udp"
      # -- First-run setup wizard only; the UI is otherwise reached through Traefik
      - "127.0.0.1:3000:3000"
    networks:
      dns_net:
        ipv4_address: ${subnet}.2
        aliases:
          - adguard-home
      frontend_net: {}
${healthcheck(4, ['CMD-SHELL', 'nslookup -port=53 example.com 127.0.0.1 > /dev/null || exit 1'], ['1m', '10s', 3, '30s'])}
${traefikLabels('map', 4, `adguard-${c.tag}`, c.host('dns'), 80, { homepage: { group: 'Infrastructure', name: 'AdGuard Home', description: 'DNS with ad blocking' } })}

  # wg-easy: WireGuard VPN server with a small web UI to create client configurations.
  wg-easy:
    image: ghcr.io/wg-easy/wg-easy:14
    container_name: ${c.cn('wg-easy')}
    restart: unless-stopped
    environment:
      # -- Public host name the clients connect to (kept current by ddns-updater)
      WG_HOST: §{WG_HOST:-vpn-${c.tag}.${c.domain}}
      # -- bcrypt hash of the web UI password; write it with single quotes in .env
      PASSWORD_HASH: §{WG_EASY_PASSWORD_HASH:?set WG_EASY_PASSWORD_HASH in .env}
      WG_PORT: 51820
      # -- VPN clients resolve through AdGuard's fixed address on dns_net
      WG_DEFAULT_DNS: ${subnet}.2
      WG_ALLOWED_IPS: 192.168.1.0/24, ${subnet}.0/24
    volumes:
      - wg_easy_data:/etc/wireguard
    ports:
      - "${51820 + (c.index % 100)}:51820/udp"
    cap_add:
      - NET_ADMIN
      - SYS_MODULE
    sysctls:
      net.ipv4.ip_forward: 1
      net.ipv4.conf.all.src_valid_mark: 1
    networks:
      dns_net:
        ipv4_address: ${subnet}.3
      frontend_net: {}
${traefikLabels('map', 4, `wg-easy-${c.tag}`, c.host('vpn'), 51821, { middlewares: 'authentik@docker' })}

  # cloudflared: outbound-only Cloudflare Tunnel for the few hosts published to the internet.
  cloudflared:
    image: cloudflare/cloudflared:2025.9.1
    container_name: ${c.cn('cloudflared')}
    restart: unless-stopped
    command: tunnel --no-autoupdate --metrics 0.0.0.0:2000 run
    environment:
      # \`§{VAR?error}\` (no colon): fails only when the variable is unset; an empty value passes.
      TUNNEL_TOKEN: §{CLOUDFLARE_TUNNEL_TOKEN?set CLOUDFLARE_TUNNEL_TOKEN in .env (Zero Trust > Tunnels)}
      TUNNEL_TRANSPORT_PROTOCOL: §{TUNNEL_TRANSPORT_PROTOCOL:-quic}
    networks:
      - dns_net
      - frontend_net
    depends_on:
      adguard:
        condition: service_healthy
    dns:
      - ${subnet}.2
${healthcheck(4, ['CMD', 'cloudflared', 'tunnel', '--metrics', 'localhost:2000', 'ready'], ['30s', '5s', 3, '10s'])}

  # ddns-updater: updates the A record of the VPN host when the home IP changes.
  ddns-updater:
    image: qmcgaw/ddns-updater:v2.9.0
    restart: unless-stopped
    environment:
      PERIOD: 5m
      LOG_LEVEL: info
      # -- JSON settings; the Cloudflare token is interpolated from .env
      CONFIG: >-
        {"settings": [{"provider": "cloudflare", "zone_identifier": "§{CLOUDFLARE_ZONE_ID}",
        "domain": "vpn-${c.tag}.${c.domain}", "ttl": 600, "token": "§{CLOUDFLARE_DDNS_TOKEN}",
        "ip_version": "ipv4"}]}
    volumes:
      - ddns_data:/updater/data
    networks:
      - default
`,
    volumes: [{ key: 'adguard_work' }, { key: 'adguard_conf', backup: true }, { key: 'wg_easy_data', backup: true }, { key: 'ddns_data' }],
    networks: ['default', 'dns_net', 'frontend_net'],
    localNetworks: {
      dns_net: `    driver: bridge
    ipam:
      config:
        - subnet: ${subnet}.0/24
          gateway: ${subnet}.1`,
    },
    env: [
      { name: 'WG_HOST', value: `vpn-${c.tag}.${c.domain}` },
      { name: 'WG_EASY_PASSWORD_HASH', value: `'$2a$12$${PASSWORD}'`, doc: 'bcrypt hash of the web UI password' },
      { name: 'CLOUDFLARE_TUNNEL_TOKEN', value: PASSWORD },
      { name: 'CLOUDFLARE_ZONE_ID', value: PASSWORD },
      { name: 'CLOUDFLARE_DDNS_TOKEN', value: PASSWORD },
    ],
  };
};

const home: UnitFactory = (c) => ({
  services: 4,
  yaml: `  # Home Assistant: the home automation hub. Runs on the host network for mDNS discovery.
  home-assistant:
    image: ghcr.io/home-assistant/home-assistant:${c.rng.pick(['2025.9.4', '2025.9.1', '2025.8.3'])}
    container_name: ${c.cn('home-assistant')}
    restart: unless-stopped
    network_mode: host
    privileged: true
    environment:
      TZ: §{TZ:-Europe/Berlin}
    volumes:
      - ha_config:/config
      - /run/dbus:/run/dbus:ro
${healthcheck(4, ['CMD', 'curl', '-fsS', 'http://localhost:8123/manifest.json'], ['1m', '10s', 3, '2m'])}
    x-wiki: Home automation hub; its configuration lives in the ha_config volume.

  # Mosquitto: the MQTT broker Zigbee2MQTT and Home Assistant talk through.
  mosquitto:
    image: eclipse-mosquitto:2.0.22
    container_name: ${c.cn('mosquitto')}
    restart: unless-stopped
    configs:
      - source: mosquitto_conf
        target: /mosquitto/config/mosquitto.conf
    volumes:
      - mosquitto_data:/mosquitto/data
    ports:
      # -- MQTT for devices on the LAN
      - "${1883 + (c.index % 100)}:1883"
    networks:
      - iot_net

  # Zigbee2MQTT: bridges the USB Zigbee coordinator to MQTT.
  zigbee2mqtt:
    image: koenkk/zigbee2mqtt:2.6.1
    container_name: ${c.cn('zigbee2mqtt')}
    restart: unless-stopped
    depends_on:
      - mosquitto
    environment:
      ZIGBEE2MQTT_CONFIG_MQTT_SERVER: mqtt://mosquitto:1883
      ZIGBEE2MQTT_CONFIG_SERIAL_PORT: /dev/ttyACM0
      TZ: §{TZ:-Europe/Berlin}
    devices:
      - /dev/serial/by-id/usb-zigbee-${c.tag}:/dev/ttyACM0
    volumes:
      - z2m_data:/app/data
    networks:
      - iot_net
      - frontend_net
${traefikLabels('list', 4, `z2m-${c.tag}`, c.host('zigbee'), 8080, { middlewares: 'authentik@docker' })}

  # Node-RED: flow-based automations beside Home Assistant.
  node-red:
    image: nodered/node-red:4.1.0
    container_name: ${c.cn('node-red')}
    restart: unless-stopped
    environment:
      TZ: §{TZ:-Europe/Berlin}
    volumes:
      - node_red_data:/data
    networks:
      - iot_net
      - frontend_net
${traefikLabels('map', 4, `node-red-${c.tag}`, c.host('flows'), 1880, { homepage: { group: 'Home', name: 'Node-RED' } })}
`,
  volumes: [{ key: 'ha_config', backup: true }, { key: 'mosquitto_data' }, { key: 'z2m_data', backup: true }, { key: 'node_red_data', backup: true }],
  networks: ['iot_net', 'frontend_net'],
  localNetworks: { iot_net: '' },
  env: [{ name: 'TZ', value: 'Europe/Berlin' }],
  configs: `  mosquitto_conf:
    content: |
      listener 1883
      allow_anonymous false
      password_file /mosquitto/data/passwd`,
});

const library: UnitFactory = (c) => ({
  services: 2,
  anchors: ['x-lsio-env'],
  yaml: `  # BookStack: the household wiki (manuals, warranties, how-tos), on the shared MariaDB.
  bookstack:
    image: lscr.io/linuxserver/bookstack:${c.rng.pick(['25.07.2', '25.07.1', '25.05.2'])}
    container_name: ${c.cn('bookstack')}
    restart: unless-stopped
    environment:
      <<: *lsio-env
      APP_URL: https://${c.host('wiki')}
      APP_KEY: §{BOOKSTACK_APP_KEY:?set BOOKSTACK_APP_KEY in .env}
      DB_HOST: ${c.group.mariadb}
      DB_PORT: 3306
      DB_DATABASE: bookstack_${c.tag}
      DB_USERNAME: bookstack_${c.tag}
      DB_PASSWORD: §{BOOKSTACK_DB_PASSWORD:?set BOOKSTACK_DB_PASSWORD in .env}
    volumes:
      - bookstack_config:/config
    networks:
      - db_net
      - frontend_net
${traefikLabels('map', 4, `bookstack-${c.tag}`, c.host('wiki'), 80, { homepage: { group: 'Apps', name: 'BookStack', description: 'Household wiki' } })}

  # Syncthing: keeps the phones' photo folders and the NAS in sync.
  syncthing:
    image: lscr.io/linuxserver/syncthing:1.30.0
    container_name: ${c.cn('syncthing')}
    hostname: syncthing-${c.tag}
    restart: unless-stopped
    environment:
      <<: *lsio-env
    volumes:
      - syncthing_config:/config
      - /srv/sync:/data
    ports:
      - "${22000 + (c.index % 100)}:22000/tcp"
      - "${22000 + (c.index % 100)}:22000/udp"
    networks:
      - frontend_net
${traefikLabels('map', 4, `syncthing-${c.tag}`, c.host('sync'), 8384, { middlewares: 'authentik@docker' })}
`,
  volumes: [{ key: 'bookstack_config', backup: true }, { key: 'syncthing_config' }],
  networks: ['db_net', 'frontend_net'],
  env: [
    { name: 'BOOKSTACK_APP_KEY', value: PASSWORD, doc: 'Laravel application key (base64:...)' },
    { name: 'BOOKSTACK_DB_PASSWORD', value: PASSWORD },
    { name: 'PUID', value: '1000' },
    { name: 'PGID', value: '1000' },
    { name: 'TZ', value: 'Europe/Berlin' },
  ],
});

const dashboard: UnitFactory = (c) => ({
  services: 2,
  yaml: `  # Homepage: the start page of the homelab; reads the homepage.* labels of every container.
  homepage:
    image: ghcr.io/gethomepage/homepage:${c.rng.pick(['v1.5.0', 'v1.4.6', 'v1.3.2'])}
    container_name: ${c.cn('homepage')}
    restart: unless-stopped
    environment:
      HOMEPAGE_ALLOWED_HOSTS: ${c.host('home')}
      PUID: §{PUID:-1000}
    volumes:
      - homepage_config:/app/config
      - /var/run/docker.sock:/var/run/docker.sock:ro
    networks:
      - frontend_net
${traefikLabels('map', 4, `homepage-${c.tag}`, c.host('home'), 3000)}

  # Uptime Kuma: HTTP, TCP and DNS probes of every service, with a public status page.
  uptime-kuma:
    image: louislam/uptime-kuma:1.23.16
    container_name: ${c.cn('uptime-kuma')}
    restart: unless-stopped
    volumes:
      - uptime_kuma_data:/app/data
    networks:
      - frontend_net
${traefikLabels('map', 4, `uptime-kuma-${c.tag}`, c.host('status'), 3001, { homepage: { group: 'Monitoring', name: 'Uptime Kuma', description: 'Status page' } })}
`,
  volumes: [{ key: 'homepage_config' }, { key: 'uptime_kuma_data', backup: true }],
  networks: ['frontend_net'],
  env: [{ name: 'PUID', value: '1000' }],
});

/** Application units, with the folder theme they give a stack when drawn first. */
const APP_UNITS: ReadonlyArray<readonly [string, UnitFactory]> = [
  ['docs', docs],
  ['recipes', recipes],
  ['automation', automation],
  ['devtools', forge],
  ['media_serving', media],
  ['photos', photos],
  ['tools', tools],
  ['cloud', cloud],
  ['networking', networking],
  ['home-automation', home],
  ['library', library],
  ['dashboard', dashboard],
];

// ---------------------------------------------------------------------------------------------
// Infrastructure stacks

function databasesStack(g: Group, createsNetwork: boolean, rng: Rng): Unit {
  const t = g.tag;
  const backups = g.backups;
  const backupMounts = backups.map((b) => `      - ${b.name}:/data/${b.name}:ro`).join('\n');
  return {
    services: 9,
    anchors: ['x-healthcheck-timing'],
    yaml: `  # PostgreSQL, the main relational database of group ${t}. One database and one role per
  # application are created on first start by the scripts in ./initdb.
  postgres:
    image: postgres:${rng.pick(['16.10-bookworm', '16.9-bookworm', '17.6-bookworm'])}
    container_name: ${g.postgres}
    restart: unless-stopped
    environment:
      POSTGRES_USER: postgres
      # -- Superuser password; the application roles get their own passwords from initdb
      POSTGRES_PASSWORD: §{POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}
      POSTGRES_INITDB_ARGS: --data-checksums
    volumes:
      # -- Cluster data directory (backed up by the backup job below)
      - pg_data:/var/lib/postgresql/data
      - type: bind
        source: ./initdb
        target: /docker-entrypoint-initdb.d
        read_only: true
    ports:
      # -- Loopback only: reachable from the host for psql and backups, never from the LAN
      - "127.0.0.1:${5432 + g.index}:5432"
    networks:
      db_net:
        aliases:
          - pg-${t}
    shm_size: 256m
    healthcheck:
      # \`$$\` escapes the dollar sign, so the variables are expanded inside the container.
      test: ["CMD-SHELL", "pg_isready -U $\${POSTGRES_USER} -d postgres"]
      <<: *healthcheck-timing
${limits(4, '2.0', '2G')}

  # Redis, the shared cache and message broker of group ${t}. Protected by a password; each
  # consumer uses its own database index so that keys never collide.
  redis:
    image: redis:${rng.pick(['7.4.5-alpine', '7.4.4-alpine', '8.2.1-alpine'])}
    container_name: ${g.redis}
    restart: unless-stopped
    command: >-
      redis-server
      --requirepass §{REDIS_PASSWORD:?set REDIS_PASSWORD in .env}
      --appendonly yes
      --databases 64
    environment:
      REDISCLI_AUTH: §{REDIS_PASSWORD}
    volumes:
      - type: volume
        source: redis_data
        target: /data
    networks:
      - db_net
    healthcheck:
      test: ["CMD-SHELL", "redis-cli ping | grep -q PONG"]
      <<: *healthcheck-timing

  # MariaDB LTS for applications that only speak MySQL.
  mariadb:
    image: mariadb:11.4.8
    container_name: ${g.mariadb}
    restart: unless-stopped
    environment:
      MARIADB_ROOT_PASSWORD_FILE: /run/secrets/mariadb_root_password
      MARIADB_AUTO_UPGRADE: "1"
    secrets:
      - mariadb_root_password
    volumes:
      - mariadb_data:/var/lib/mysql
    ports:
      - "127.0.0.1:${3306 + g.index}:3306"
    networks:
      - db_net
    healthcheck:
      test: ["CMD-SHELL", "healthcheck.sh --connect --innodb_initialized"]
      <<: *healthcheck-timing

  # pgAdmin 4, a web console for the PostgreSQL server, published through Traefik.
  pgadmin:
    image: dpage/pgadmin4:9.8
    container_name: pgadmin-${t}
    restart: unless-stopped
    environment:
      PGADMIN_DEFAULT_EMAIL: §{PGADMIN_EMAIL:-admin@${DOMAIN}}
      PGADMIN_DEFAULT_PASSWORD: §{PGADMIN_PASSWORD:?set PGADMIN_PASSWORD in .env}
      PGADMIN_DISABLE_POSTFIX: "true"
    volumes:
      - pgadmin_data:/var/lib/pgadmin
    networks:
      - db_net
      - frontend_net
    depends_on:
      postgres:
        condition: service_healthy
${traefikLabels('list', 4, `pgadmin-${t}`, `pgadmin-${t}.${DOMAIN}`, 80, { homepage: { group: 'Infrastructure', name: `pgAdmin ${t}`, description: 'PostgreSQL administration' } })}

  # Adminer, a single-page database client for MariaDB. Optional: it only starts with
  # \`docker compose --profile debug up -d\` and listens on the loopback interface.
  adminer:
    image: adminer:5.4.0
    container_name: adminer-${t}
    profiles:
      - debug
    restart: "no"
    environment:
      ADMINER_DEFAULT_SERVER: ${g.mariadb}
    ports:
      - "127.0.0.1:${8089 + g.index}:8080"
    networks:
      - db_net

  # Prometheus exporter for PostgreSQL.
  postgres-exporter:
    image: quay.io/prometheuscommunity/postgres-exporter:v0.17.1
    container_name: postgres-exporter-${t}
    restart: unless-stopped
    environment:
      DATA_SOURCE_URI: ${g.postgres}:5432/postgres?sslmode=disable
      DATA_SOURCE_USER: postgres
      DATA_SOURCE_PASS: §{POSTGRES_PASSWORD}
    networks:
      - db_net
      - monitoring_net

  # Prometheus exporter for Redis.
  redis-exporter:
    image: oliver006/redis_exporter:v1.77.0
    container_name: redis-exporter-${t}
    restart: unless-stopped
    environment:
      REDIS_ADDR: redis://${g.redis}:6379
      REDIS_PASSWORD: §{REDIS_PASSWORD}
    networks:
      - db_net
      - monitoring_net

  # Nightly logical dumps of every PostgreSQL database into the pg_dumps volume.
  pg-dump:
    image: postgres:16.10-bookworm
    container_name: pg-dump-${t}
    restart: unless-stopped
    entrypoint: ["sh", "-c", "while true; do pg_dumpall -h ${g.postgres} -U postgres > /dumps/all-$$(date +%u).sql; sleep 86400; done"]
    environment:
      PGPASSWORD: §{POSTGRES_PASSWORD}
    volumes:
      - pg_dumps:/dumps
    networks:
      - db_net
    depends_on:
      postgres:
        condition: service_healthy

  # Autorestic: nightly restic backups of the stateful volumes of group ${t} to Backblaze B2.
  # Volumes of other stacks are mounted read-only ("<project>_<volume>" unless pinned).
  backup:
    image: cupcakearmy/autorestic:1.8.3
    container_name: backup-${t}
    hostname: backup-${t}
    restart: unless-stopped
    # Checks every minute whether a location's cron schedule is due; \`$$(date)\` is expanded
    # by the container's shell, not by Compose.
    command: ["sh", "-c", "while true; do echo \\"tick $$(date -Iseconds)\\"; autorestic --ci cron -c /config/.autorestic.yml; sleep 60; done"]
    environment:
      TZ: §{TZ:-Europe/Berlin}
      # -- Repository encryption password of the B2 backend
      AUTORESTIC_B2_RESTIC_PASSWORD: §{RESTIC_PASSWORD:?set RESTIC_PASSWORD in .env}
      AUTORESTIC_B2_B2_ACCOUNT_ID: §{B2_ACCOUNT_ID:?set B2_ACCOUNT_ID in .env}
      AUTORESTIC_B2_B2_ACCOUNT_KEY: §{B2_ACCOUNT_KEY:?set B2_ACCOUNT_KEY in .env}
    volumes:
      - ./.autorestic.yml:/config/.autorestic.yml:ro
      - autorestic_cache:/root/.cache/restic
      - pg_dumps:/data/pg_dumps:ro
${backupMounts ? `${backupMounts}\n` : ''}    x-wiki:
      description: Nightly restic backup of group ${t}'s named volumes to Backblaze B2.
      notes:
        - Restores are tested quarterly with \`autorestic restore -l <location> --to /tmp/restore\`.
`,
    volumes: [
      { key: 'pg_data' }, { key: 'redis_data' }, { key: 'mariadb_data' }, { key: 'pgadmin_data' }, { key: 'pg_dumps' }, { key: 'autorestic_cache' },
      ...backups.map((b) => ({ key: b.name, external: true })),
    ],
    networks: ['db_net', 'frontend_net', 'monitoring_net'],
    localNetworks: createsNetwork ? { db_net: '    name: db_net\n    driver: bridge' } : {},
    env: [
      { name: 'POSTGRES_PASSWORD', value: PASSWORD, doc: 'Superuser password of PostgreSQL' },
      { name: 'REDIS_PASSWORD', value: PASSWORD, doc: 'Password of the shared Redis server' },
      { name: 'PGADMIN_PASSWORD', value: PASSWORD },
      { name: 'TZ', value: 'Europe/Berlin' },
      { name: 'RESTIC_PASSWORD', value: PASSWORD, doc: 'Repository encryption password of the B2 backend' },
      { name: 'B2_ACCOUNT_ID', value: PASSWORD },
      { name: 'B2_ACCOUNT_KEY', value: PASSWORD },
    ],
    secrets: `  # Created by hand: \`openssl rand -base64 32 > secrets/mariadb_root_password.txt\`.
  mariadb_root_password:
    file: ./secrets/mariadb_root_password.txt`,
    files: {
      'initdb/10-app-databases.sh': '#!/bin/sh\n# Creates one role and one database per application (see the stacks of this group).\nset -eu\n',
      '.autorestic.yml': `version: 2\nlocations:\n${['pg_dumps', ...backups.map((b) => b.name)].map((n) => `  ${n}:\n    from: /data/${n}\n    to: b2\n    cron: "0 3 * * *"`).join('\n')}\nbackends:\n  b2:\n    type: b2\n    path: homelab-${t}\n`,
    },
  };
}

function frontdoorStack(g: Group, rng: Rng): Unit {
  const db = g.nextRedisDb++;
  return {
    services: 9,
    anchors: [],
    yaml: `  # Traefik v3 reverse proxy: terminates TLS for *.${DOMAIN} with a Let's Encrypt
  # wildcard certificate (Cloudflare DNS challenge) and routes by host name.
  traefik:
    <<: *restart
    image: traefik:${rng.pick(['v3.5.3', 'v3.5.2', 'v3.4.5'])}
    container_name: traefik
    command:
      - --providers.docker=true
      - --providers.docker.exposedbydefault=false
      - --providers.docker.network=frontend_net
      - --entrypoints.web.address=:80
      - --entrypoints.web.http.redirections.entrypoint.to=websecure
      - --entrypoints.websecure.address=:443
      - --entrypoints.websecure.http.tls.certresolver=letsencrypt
      - --entrypoints.websecure.http.middlewares=crowdsec-bouncer@docker
      - --certificatesresolvers.letsencrypt.acme.dnschallenge.provider=cloudflare
      - --certificatesresolvers.letsencrypt.acme.email=§{ACME_EMAIL:?set ACME_EMAIL in .env}
      - --certificatesresolvers.letsencrypt.acme.storage=/letsencrypt/acme.json
      - --accesslog=true
      - --accesslog.filepath=/var/log/traefik/access.log
      - --api.dashboard=true
      - --metrics.prometheus=true
      - --ping=true
      - --log.level=§{TRAEFIK_LOG_LEVEL:-INFO}
    environment:
      # -- Cloudflare API token with Zone:DNS:Edit on ${DOMAIN}, for the ACME DNS challenge
      CF_DNS_API_TOKEN: §{CF_DNS_API_TOKEN:?set CF_DNS_API_TOKEN in .env}
    ports:
      # Long syntax, published in host mode so that client addresses reach CrowdSec.
      - target: 80
        published: "80"
        protocol: tcp
        mode: host
      - target: 443
        published: "443"
        protocol: tcp
        mode: host
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
      # -- Certificates and ACME account (acme.json must be mode 600)
      - traefik_letsencrypt:/letsencrypt
      - traefik_logs:/var/log/traefik
    networks:
      frontend_net:
        aliases:
          - proxy
${healthcheck(4, ['CMD', 'traefik', 'healthcheck', '--ping'], ['30s', '5s', 3, '10s'])}
    labels:
      traefik.enable: "true"
      traefik.http.routers.dashboard.rule: Host(\`traefik.${DOMAIN}\`)
      traefik.http.routers.dashboard.entrypoints: websecure
      traefik.http.routers.dashboard.service: api@internal
      traefik.http.routers.dashboard.middlewares: authentik@docker
      homepage.group: Infrastructure
      homepage.name: Traefik
      homepage.href: https://traefik.${DOMAIN}
      homepage.description: Reverse proxy and TLS termination
    x-wiki:
      description: Reverse proxy for every web UI; routes are declared by labels on the services themselves.
      notes:
        - The dashboard sits behind the Authentik "internal" outpost.
        - Every router on the websecure entrypoint passes the CrowdSec bouncer first.
${limits(4, '1', '512M')}

  # CrowdSec security engine: parses Traefik's access log and shares ban decisions.
  crowdsec:
    <<: *restart
    image: crowdsecurity/crowdsec:v1.7.0
    container_name: crowdsec
    environment:
      COLLECTIONS: crowdsecurity/traefik crowdsecurity/http-cve crowdsecurity/whitelist-good-actors
      # -- Pre-registers the bouncer below with the same key
      BOUNCER_KEY_traefik: §{CROWDSEC_BOUNCER_API_KEY:?set CROWDSEC_BOUNCER_API_KEY in .env}
    volumes:
      - crowdsec_data:/var/lib/crowdsec/data
      - crowdsec_config:/etc/crowdsec
      - traefik_logs:/var/log/traefik:ro
    configs:
      - source: crowdsec_acquis
        target: /etc/crowdsec/acquis.d/traefik.yaml
    networks:
      - frontend_net
${healthcheck(4, ['CMD', 'cscli', 'lapi', 'status'], ['30s', '10s', 5, '30s'])}

  # Traefik forward-auth bouncer: asks CrowdSec's local API about each client address.
  crowdsec-bouncer:
    <<: *restart
    image: fbonalair/traefik-crowdsec-bouncer:0.5.0
    container_name: crowdsec-bouncer
    environment:
      CROWDSEC_BOUNCER_API_KEY: §{CROWDSEC_BOUNCER_API_KEY}
      CROWDSEC_AGENT_HOST: crowdsec:8080
      GIN_MODE: release
    depends_on:
      crowdsec:
        condition: service_healthy
    networks:
      - frontend_net
    labels:
      traefik.enable: "true"
      traefik.http.middlewares.crowdsec-bouncer.forwardauth.address: http://crowdsec-bouncer:8080/api/v1/forwardAuth
      traefik.http.middlewares.crowdsec-bouncer.forwardauth.trustForwardHeader: "true"

  # Echo service that prints every request it receives; used to debug forwarded headers.
  whoami:
    <<: *restart
    image: traefik/whoami:v1.11.0
    container_name: whoami
    networks:
      - frontend_net
${traefikLabels('list', 4, 'whoami', `whoami.${DOMAIN}`, 80, { middlewares: 'authentik@docker', network: false })}

  # The primary Authentik application container: admin UI, flows, policy engine and the
  # OAuth2/OIDC provider every application signs in against.
  authentik-server:
    <<: *restart
    image: ghcr.io/goauthentik/server:2025.8.4
    container_name: authentik-server
    hostname: authentik
    command: server
    environment:
      <<: *authentik-env
      # -- Public URL users sign in at
      AUTHENTIK_HOST: §{AUTHENTIK_HOST:-https://auth.${DOMAIN}}
    volumes:
      # -- Uploaded icons, flow backgrounds and other media
      - ak_media:/media
      - ak_templates:/templates
    networks:
      - frontend_net
      - backend_net
      - db_net
${traefikLabels('map', 4, 'authentik', `auth.${DOMAIN}`, 9000, { homepage: { group: 'Infrastructure', name: 'Authentik', description: 'Single sign-on for every web app' } })}
    x-wiki:
      description: Identity provider for the homelab; every OIDC client and both outposts trust it.
      proxied_by: traefik

  # Background worker: runs scheduled tasks, sends email, syncs outposts and applies blueprints.
  authentik-worker:
    <<: *restart
    image: ghcr.io/goauthentik/server:2025.8.4
    container_name: authentik-worker
    command: worker
    environment:
      <<: *authentik-env
    volumes:
      - ak_media:/media
      - ak_templates:/templates
    networks:
      - backend_net
      - db_net

  # Proxy outpost for infrastructure tools; Traefik asks it, through the \`authentik\`
  # forward-auth middleware, whether a request may pass.
  authentik-outpost:
    <<: *outpost
    image: ghcr.io/goauthentik/proxy:2025.8.4
    container_name: authentik-outpost-internal
    environment:
      AUTHENTIK_HOST: http://authentik-server:9000
      AUTHENTIK_HOST_BROWSER: https://auth.${DOMAIN}
      # -- API token of the "internal" outpost (Admin > Outposts > View deployment info)
      AUTHENTIK_TOKEN: §{AUTHENTIK_OUTPOST_TOKEN:?set AUTHENTIK_OUTPOST_TOKEN in .env}
    labels:
      traefik.enable: "true"
      traefik.docker.network: frontend_net
      traefik.http.middlewares.authentik.forwardauth.address: http://authentik-outpost-internal:9000/outpost.goauthentik.io/auth/traefik
      traefik.http.middlewares.authentik.forwardauth.trustForwardHeader: "true"

  # Proxy outpost for the media stacks, kept apart so that media users never get a session
  # for infrastructure tools.
  authentik-outpost-media:
    <<: *outpost
    image: ghcr.io/goauthentik/proxy:2025.8.4
    container_name: authentik-outpost-media
    environment:
      AUTHENTIK_HOST: http://authentik-server:9000
      AUTHENTIK_HOST_BROWSER: https://auth.${DOMAIN}
      AUTHENTIK_TOKEN: §{AUTHENTIK_OUTPOST_MEDIA_TOKEN:?set AUTHENTIK_OUTPOST_MEDIA_TOKEN in .env}
    labels:
      traefik.enable: "true"
      traefik.docker.network: frontend_net
      traefik.http.middlewares.authentik-media.forwardauth.address: http://authentik-outpost-media:9000/outpost.goauthentik.io/auth/traefik

  # Docker socket proxy: read-only API access for Homepage and Uptime Kuma.
  socket-proxy:
    <<: *restart
    image: lscr.io/linuxserver/socket-proxy:3.2.4
    container_name: socket-proxy
    read_only: true
    environment:
      CONTAINERS: 1
      POST: 0
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
    tmpfs:
      - /run
    networks:
      - backend_net
`,
    volumes: [
      { key: 'traefik_letsencrypt', backup: true }, { key: 'traefik_logs' }, { key: 'crowdsec_data' }, { key: 'crowdsec_config' },
      { key: 'ak_media', backup: true }, { key: 'ak_templates', backup: true },
    ],
    networks: ['frontend_net', 'backend_net', 'db_net'],
    localNetworks: { frontend_net: '    name: frontend_net', backend_net: '    name: backend_net' },
    env: [
      { name: 'ACME_EMAIL', value: `admin@${DOMAIN}` },
      { name: 'CF_DNS_API_TOKEN', value: PASSWORD, doc: 'Cloudflare API token for the ACME DNS challenge' },
      { name: 'CROWDSEC_BOUNCER_API_KEY', value: PASSWORD },
      { name: 'AUTHENTIK_SECRET_KEY', value: PASSWORD, doc: 'Signing key for sessions and tokens (generate with: openssl rand -base64 60)' },
      { name: 'AUTHENTIK_DB_PASSWORD', value: PASSWORD },
      { name: 'REDIS_PASSWORD', value: PASSWORD },
      { name: 'AUTHENTIK_OUTPOST_TOKEN', value: PASSWORD },
      { name: 'AUTHENTIK_OUTPOST_MEDIA_TOKEN', value: PASSWORD },
    ],
    configs: `  crowdsec_acquis:
    file: ./acquis.yaml`,
    files: { 'acquis.yaml': 'filenames:\n  - /var/log/traefik/access.log\nlabels:\n  type: traefik\n' },
    extraAnchors: `x-restart: &restart
  restart: unless-stopped

# Settings shared by the server and the worker, merged into both with \`<<: *authentik-env\`.
x-authentik-env: &authentik-env
  # -- Signing key for sessions and tokens; never rotate it without logging everyone out
  AUTHENTIK_SECRET_KEY: §{AUTHENTIK_SECRET_KEY:?set AUTHENTIK_SECRET_KEY in .env}
  AUTHENTIK_POSTGRESQL__HOST: ${g.postgres}
  AUTHENTIK_POSTGRESQL__PORT: 5432
  AUTHENTIK_POSTGRESQL__NAME: authentik
  AUTHENTIK_POSTGRESQL__USER: authentik
  AUTHENTIK_POSTGRESQL__PASSWORD: §{AUTHENTIK_DB_PASSWORD:?set AUTHENTIK_DB_PASSWORD in .env}
  AUTHENTIK_REDIS__HOST: ${g.redis}
  AUTHENTIK_REDIS__PORT: 6379
  # -- Redis database index reserved for authentik
  AUTHENTIK_REDIS__DB: ${db}
  AUTHENTIK_REDIS__PASSWORD: §{REDIS_PASSWORD}
  AUTHENTIK_ERROR_REPORTING__ENABLED: "false"

# Settings shared by both proxy outposts.
x-outpost: &outpost
  restart: unless-stopped
  networks:
    - frontend_net
    - backend_net
  depends_on:
    - authentik-server`,
  };
}

const EXPORTERS = `# Exporters for the ops stack, included by compose.yml (\`include:\`).
# Not a stack of its own: the folder's stack file is compose.yml.

services:
  # Prometheus node exporter: CPU, memory, disk and network metrics of the Docker host.
  node-exporter:
    image: prom/node-exporter:v1.9.1
    container_name: node-exporter
    restart: unless-stopped
    pid: host
    command:
      - --path.rootfs=/host
      - --collector.filesystem.mount-points-exclude=^/(sys|proc|dev|host|etc)($$|/)
    volumes:
      - type: bind
        source: /
        target: /host
        read_only: true
        bind:
          propagation: rslave
    networks:
      - monitoring_net

  # cAdvisor: per-container CPU, memory and I/O metrics.
  cadvisor:
    image: gcr.io/cadvisor/cadvisor:v0.52.1
    container_name: cadvisor
    restart: unless-stopped
    privileged: true
    command:
      - --docker_only=true
      - --housekeeping_interval=30s
    volumes:
      - /:/rootfs:ro
      - /var/run:/var/run:ro
      - /sys:/sys:ro
      - /var/lib/docker/:/var/lib/docker:ro
    networks:
      - monitoring_net
${limits(4, '0.5', '256M')}

networks:
  monitoring_net:
    name: monitoring_net
`;

function opsStack(g: Group, rng: Rng): Unit {
  return {
    services: 11,
    anchors: ['x-logging'],
    yaml: `  # Prometheus: scrapes Traefik, the exporters and the database exporters every 30 seconds.
  prometheus:
    image: prom/prometheus:${rng.pick(['v3.6.0', 'v3.5.0', 'v3.4.2'])}
    container_name: prometheus
    restart: unless-stopped
    logging: *default-logging
    command:
      - --config.file=/etc/prometheus/prometheus.yml
      - --storage.tsdb.retention.time=§{PROMETHEUS_RETENTION:-30d}
    configs:
      - source: prometheus_config
        target: /etc/prometheus/prometheus.yml
    volumes:
      # -- Time series database
      - prometheus_data:/prometheus
    networks:
      - monitoring_net
      - backend_net
      - frontend_net
    depends_on:
      - node-exporter
      - cadvisor
${healthcheck(4, ['CMD', 'wget', '-qO-', 'http://localhost:9090/-/healthy'], ['30s', '5s', 3, '30s'])}
${traefikLabels('map', 4, 'prometheus', `prometheus.${DOMAIN}`, 9090, { middlewares: 'authentik@docker' })}

  # Grafana: dashboards for hosts, containers and Traefik; users sign in through Authentik.
  grafana:
    image: grafana/grafana:12.2.0
    container_name: grafana
    restart: unless-stopped
    logging: *default-logging
    environment:
      GF_SERVER_ROOT_URL: https://grafana.${DOMAIN}
      GF_DATABASE_TYPE: postgres
      GF_DATABASE_HOST: ${g.postgres}:5432
      GF_DATABASE_NAME: grafana
      GF_DATABASE_USER: grafana
      GF_DATABASE_PASSWORD: §{GRAFANA_DB_PASSWORD:?set GRAFANA_DB_PASSWORD in .env}
      GF_AUTH_GENERIC_OAUTH_ENABLED: "true"
      GF_AUTH_GENERIC_OAUTH_CLIENT_ID: grafana
      GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: §{GRAFANA_OAUTH_CLIENT_SECRET}
      GF_AUTH_GENERIC_OAUTH_AUTH_URL: https://auth.${DOMAIN}/application/o/authorize/
    configs:
      - source: grafana_datasources
        target: /etc/grafana/provisioning/datasources/prometheus.yml
    volumes:
      - grafana_data:/var/lib/grafana
    networks:
      - monitoring_net
      - db_net
      - frontend_net
${healthcheck(4, ['CMD-SHELL', 'wget -qO- http://localhost:3000/api/health | grep -q ok'], ['30s', '5s', 3, '30s'])}
${traefikLabels('map', 4, 'grafana', `grafana.${DOMAIN}`, 3000, { homepage: { group: 'Monitoring', name: 'Grafana', description: 'Dashboards for hosts, containers and Traefik' } })}

  # Alertmanager: routes Prometheus alerts to ntfy.
  alertmanager:
    image: prom/alertmanager:v0.28.1
    container_name: alertmanager
    restart: unless-stopped
    volumes:
      - alertmanager_data:/alertmanager
    networks:
      - monitoring_net

  # Loki: log storage; Promtail ships every container's logs here.
  loki:
    image: grafana/loki:3.5.5
    container_name: loki
    restart: unless-stopped
    command: -config.file=/etc/loki/local-config.yaml
    volumes:
      - loki_data:/loki
    networks:
      - monitoring_net

  # Promtail: tails the Docker log files and pushes them to Loki.
  promtail:
    image: grafana/promtail:3.5.5
    container_name: promtail
    restart: unless-stopped
    volumes:
      - /var/lib/docker/containers:/var/lib/docker/containers:ro
      - /var/run/docker.sock:/var/run/docker.sock:ro
    networks:
      - monitoring_net
    depends_on:
      - loki

  # ntfy: push notifications to phones for alerts and backup reports.
  ntfy:
    image: binwiederhier/ntfy:v2.14.0
    container_name: ntfy
    restart: unless-stopped
    command: serve
    environment:
      NTFY_BASE_URL: https://ntfy.${DOMAIN}
      NTFY_AUTH_DEFAULT_ACCESS: deny-all
    volumes:
      - ntfy_cache:/var/cache/ntfy
    networks:
      - monitoring_net
      - frontend_net
${traefikLabels('list', 4, 'ntfy', `ntfy.${DOMAIN}`, 80)}

  # Watchtower: reports available image updates (monitor-only, never updates by itself).
  watchtower:
    image: containrrr/watchtower:1.7.1
    container_name: watchtower
    restart: unless-stopped
    environment:
      WATCHTOWER_MONITOR_ONLY: "true"
      WATCHTOWER_NOTIFICATION_URL: ntfy://ntfy:80/updates?scheme=http
      WATCHTOWER_SCHEDULE: "0 0 6 * * *"
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro

  # Dozzle: a live log viewer in the browser.
  dozzle:
    image: amir20/dozzle:v8.14.0
    container_name: dozzle
    restart: unless-stopped
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
    networks:
      - frontend_net
${traefikLabels('map', 4, 'dozzle', `logs.${DOMAIN}`, 8080, { middlewares: 'authentik@docker' })}

  # Scrutiny: S.M.A.R.T. monitoring of the host's disks.
  scrutiny:
    image: ghcr.io/analogj/scrutiny:v0.8.1-omnibus
    container_name: scrutiny
    restart: unless-stopped
    cap_add:
      - SYS_RAWIO
    devices:
      - /dev/sda:/dev/sda
      - /dev/sdb:/dev/sdb
    volumes:
      - /run/udev:/run/udev:ro
      - scrutiny_config:/opt/scrutiny/config
    networks:
      - frontend_net
${traefikLabels('map', 4, 'scrutiny', `disks.${DOMAIN}`, 8080)}
`,
    volumes: [
      { key: 'prometheus_data' }, { key: 'grafana_data', backup: true }, { key: 'alertmanager_data' }, { key: 'loki_data' },
      { key: 'ntfy_cache' }, { key: 'scrutiny_config' },
    ],
    networks: ['monitoring_net', 'backend_net', 'frontend_net', 'db_net'],
    localNetworks: { monitoring_net: '    name: monitoring_net' },
    includes: { 'exporters.yml': EXPORTERS },
    env: [
      { name: 'PROMETHEUS_RETENTION', value: '30d', doc: 'How long Prometheus keeps samples (default: 30d)' },
      { name: 'GRAFANA_DB_PASSWORD', value: PASSWORD },
      { name: 'GRAFANA_OAUTH_CLIENT_SECRET', value: PASSWORD },
    ],
    configs: `  prometheus_config:
    file: ./prometheus.yml
  # Grafana datasource provisioning, written inline (Compose 2.23+).
  grafana_datasources:
    content: |
      apiVersion: 1
      datasources:
        - name: Prometheus
          type: prometheus
          access: proxy
          url: http://prometheus:9090
          isDefault: true`,
    files: { 'prometheus.yml': 'global:\n  scrape_interval: 30s\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ["node-exporter:9100"]\n' },
  };
}

// ---------------------------------------------------------------------------------------------
// Assembly

const SHARED_NETWORKS = new Set(['frontend_net', 'db_net', 'backend_net', 'monitoring_net']);

const COMMON_BASE = `# Shared service definitions for \`extends: {file: ../common/base.yml, service: ...}\`.
# This folder has no compose.yml, so it is not a stack: nothing here runs on its own.

services:
  # Base for linuxserver.io images: user and group mapping, time zone and umask.
  lsio-base:
    image: lscr.io/linuxserver/baseimage-alpine:3.22
    restart: unless-stopped
    environment:
      # \`§{VAR-default}\` (no colon): the default applies only when PUID is unset.
      PUID: §{PUID-1000}
      PGID: §{PGID-1000}
      TZ: §{TZ:-Europe/Berlin}
      UMASK: "022"
    security_opt:
      - no-new-privileges:true
    logging:
      driver: json-file
      options:
        max-size: 10m
        max-file: "3"

  # Base for small stateless web applications.
  app-base:
    image: alpine:3.22
    restart: unless-stopped
    security_opt:
      - no-new-privileges:true
    environment:
      TZ: §{TZ:-Europe/Berlin}
    logging:
      driver: json-file
      options:
        max-size: 5m
        max-file: "2"
`;

interface StackPlan {
  readonly index: number;
  readonly kind: 'databases' | 'frontdoor' | 'ops' | 'apps';
  readonly folder: string;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Renders one stack folder into `out` (paths relative to the repository root). */
function renderStack(plan: StackPlan, title: string, units: readonly Unit[], out: Map<string, string>, options: { name?: boolean; group: Group }): void {
  const dir = plan.folder;
  const anchorKeys = [...new Set(units.flatMap((u) => u.anchors ?? []))].sort();
  const extra = units.map((u) => u.extraAnchors).filter(Boolean);
  const localNetworks = new Map<string, string>();
  for (const u of units) for (const [k, v] of Object.entries(u.localNetworks ?? {})) localNetworks.set(k, v);
  const used = [...new Set(units.flatMap((u) => u.networks))];
  const volumes = units.flatMap((u) => u.volumes);
  const project = dir.toLowerCase().replace(/[^a-z0-9_-]/g, '');
  const includes = Object.assign({}, ...units.map((u) => u.includes ?? {})) as Record<string, string>;

  const parts: string[] = [];
  parts.push(`# ${title}\n# Generated by scripts/synth-homelab.ts (synthetic benchmark homelab, stack ${pad(plan.index, 4)}).\n# Services reach the shared databases of group ${options.group.tag} over the external \`db_net\` network and are\n# published by Traefik (frontdoor stack) over \`frontend_net\`.`);
  if (options.name) parts.push(`name: ${project}`);
  if (Object.keys(includes).length > 0) parts.push(`include:\n${Object.keys(includes).map((f) => `  - ${f}`).join('\n')}`);
  for (const key of anchorKeys) parts.push(ANCHORS[key] as string);
  for (const block of extra) parts.push(block as string);
  if (units.some((u) => u.yaml.includes('*immich-version'))) parts.push(`x-immich-image-tag: &immich-version ${/immich-server:(\S+)/.exec(units.map((u) => u.yaml).join(''))?.[1] ?? 'v1.142.1'}`);
  parts.push(`services:\n${units.map((u) => u.yaml.replace(/\n+$/, '')).join('\n\n')}`);

  const volumeLines = volumes.map((v) => {
    const comment = v.comment ? `  # ${v.comment}\n` : '';
    if (v.external) return `${comment}  ${v.key}:\n    external: true`;
    if (v.name) return `${comment}  ${v.key}:\n    name: ${v.name}`;
    return `${comment}  ${v.key}:`;
  });
  if (volumeLines.length > 0) parts.push(`volumes:\n${volumeLines.join('\n')}`);

  const networkLines: string[] = [];
  for (const net of used) {
    if (net === 'default') networkLines.push('  # Private network of the stack.\n  default:');
    else if (localNetworks.has(net)) {
      const body = localNetworks.get(net) as string;
      networkLines.push(body ? `  ${net}:\n${body}` : `  ${net}:`);
    } else if (SHARED_NETWORKS.has(net)) networkLines.push(`  ${net}:\n    external: true`);
    else networkLines.push(`  ${net}:`);
  }
  if (networkLines.length > 0) parts.push(`networks:\n${networkLines.join('\n')}`);
  const secrets = units.map((u) => u.secrets).filter(Boolean);
  if (secrets.length > 0) parts.push(`secrets:\n${secrets.join('\n')}`);
  const configs = units.map((u) => u.configs).filter(Boolean);
  if (configs.length > 0) parts.push(`configs:\n${configs.join('\n')}`);

  out.set(`${dir}/compose.yml`, compose(`${parts.join('\n\n')}\n`));
  for (const [file, text] of Object.entries(includes)) out.set(`${dir}/${file}`, compose(text));
  const overrides = units.map((u) => u.override).filter(Boolean);
  if (overrides.length > 0) {
    out.set(`${dir}/compose.override.yml`, compose(`# Local overrides for this host. \`docker compose\` merges compose.override.yml on top of\n# compose.yml automatically when no -f option is given.\nservices:\n${overrides.join('\n')}`));
  }
  for (const u of units) for (const [file, text] of Object.entries(u.files ?? {})) out.set(`${dir}/${file}`, text);

  // .env.example: every variable the stack uses, documented.
  const seen = new Set<string>();
  const envLines = [`# ${dir} stack: copy to .env and replace every "change-me" before the first start.`, '# .env is git-ignored; this file documents every variable compose.yml uses.', ''];
  for (const variable of units.flatMap((u) => u.env)) {
    if (seen.has(variable.name)) continue;
    seen.add(variable.name);
    if (variable.doc) envLines.push(`# -- ${variable.doc}`);
    envLines.push(`${variable.name}=${variable.value}`);
  }
  out.set(`${dir}/.env.example`, `${envLines.join('\n')}\n`);

  // The group's backup job mounts the volumes marked for backup.
  for (const v of volumes) if (v.backup && !v.external) options.group.backups.push({ name: v.name ?? `${project}_${v.key}`, stack: dir });
}

/** Generates the tree of a synthetic homelab. Pure: the same options give the same tree. */
export function synthHomelab(options: SynthOptions): SynthTree {
  const count = options.stacks;
  if (!Number.isInteger(count) || count < 1) throw new Error(`--stacks must be a positive integer, got ${count}`);
  const seed = options.seed ?? 1;
  const width = count > 1000 ? String(count - 1).length : 3;
  const groupWidth = Math.max(2, String(Math.floor((count - 1) / 10)).length);
  const out = new Map<string, string>();

  const groups: Group[] = [];
  for (let g = 0; g * 10 < count; g++) {
    const tag = pad(g, groupWidth);
    groups.push({ index: g, tag, postgres: `postgres-${tag}`, redis: `redis-${tag}`, mariadb: `mariadb-${tag}`, nextRedisDb: 1, backups: [] });
  }
  const plans: StackPlan[] = [];
  for (let i = 0; i < count; i++) {
    const g = groups[Math.floor(i / 10)] as Group;
    const kind: StackPlan['kind'] = i % 10 === 0 ? 'databases' : i === 1 ? 'frontdoor' : i === 2 ? 'ops' : 'apps';
    plans.push({ index: i, kind, folder: kind === 'databases' ? `databases-${g.tag}` : kind === 'apps' ? '' : kind });
  }

  // Application and infrastructure stacks first (in index order, so that Redis indexes are
  // allocated deterministically), then each group's databases stack with its backup job.
  for (const plan of plans) {
    if (plan.kind === 'databases') continue;
    const rng = makeRng(mix(seed, plan.index));
    const group = groups[Math.floor(plan.index / 10)] as Group;
    const tag = pad(plan.index, width);
    if (plan.kind === 'frontdoor') {
      renderStack(plan, 'Frontdoor: Traefik, CrowdSec and Authentik in front of every web application.', [frontdoorStack(group, rng)], out, { group });
      continue;
    }
    if (plan.kind === 'ops') {
      renderStack(plan, 'Ops: Prometheus, Grafana, Loki and friends; host exporters are included from exporters.yml.', [opsStack(group, rng)], out, { group, name: true });
      continue;
    }
    // Draw distinct application units until the stack has its target size (8 to 12 services).
    const target = rng.int(8, 12);
    const order = APP_UNITS.map((u, k) => ({ u, key: rng.next() + (k === plan.index % APP_UNITS.length ? -1 : 0) })).sort((a, b) => a.key - b.key).map((x) => x.u);
    const folder = `${order[0]?.[0] ?? 'apps'}-${tag}`;
    const ctx: UnitContext = {
      rng,
      tag,
      index: plan.index,
      group,
      domain: DOMAIN,
      cn: (service) => `${service}-${tag}`,
      host: (service) => `${service}-${tag}.${DOMAIN}`,
      redisDb: () => group.nextRedisDb++,
    };
    const units: Unit[] = [];
    let services = 0;
    for (const [, factory] of order) {
      if (services >= target) break;
      const unit = factory(ctx);
      // Keep stacks near their target: skip a unit that would overshoot by more than two.
      if (services > 0 && services + unit.services > target + 2) continue;
      units.push(unit);
      services += unit.services;
    }
    const named: StackPlan = { ...plan, folder };
    renderStack(named, `${folder}: ${units.length} applications of the synthetic homelab.`, units, out, { group, name: rng.chance(0.3) });
  }
  for (const plan of plans) {
    if (plan.kind !== 'databases') continue;
    const rng = makeRng(mix(seed, plan.index));
    const group = groups[Math.floor(plan.index / 10)] as Group;
    const backups = group.backups.splice(0);
    const unit = databasesStack({ ...group, backups }, group.index === 0, rng);
    renderStack(plan, `Databases of group ${group.tag}: the shared PostgreSQL, Redis and MariaDB servers and the group's backup job.`, [unit], out, { group: { ...group, backups: [] } });
    out.set(`${plan.folder}/secrets/README.md`, 'Put mariadb_root_password.txt here (git-ignored).\n');
  }

  out.set('common/base.yml', compose(COMMON_BASE));
  out.set('README.md', `# Synthetic homelab\n\n${count} stacks generated by \`scripts/synth-homelab.ts --stacks ${count} --seed ${seed}\` for the\ncompose-wiki benchmarks. Do not edit: regenerate it.\n`);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Writes a tree below `out` (which must be empty or absent, unless `force` and it is ours). */
export function writeTree(out: string, tree: SynthTree, options: { force?: boolean } = {}): void {
  if (existsSync(out) && readdirSync(out).length > 0) {
    if (!options.force) throw new Error(`${out} is not empty; pass --force to replace a tree this script wrote`);
    if (!existsSync(path.join(out, MARKER_FILE))) throw new Error(`${out} was not written by synth-homelab (no ${MARKER_FILE}); refusing to delete it`);
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
  const dirs = new Set<string>();
  for (const file of tree.keys()) dirs.add(path.posix.dirname(file));
  for (const dir of [...dirs].sort()) mkdirSync(path.join(out, ...dir.split('/')), { recursive: true });
  for (const [file, text] of tree) writeFileSync(path.join(out, ...file.split('/')), text);
  writeFileSync(path.join(out, MARKER_FILE), '');
}

/** Counts the services of a tree without loading it (keys under `services:` of every compose file). */
export function countServices(tree: SynthTree): number {
  let n = 0;
  for (const [file, text] of tree) {
    if (!/(^|\/)(compose\.yml|compose\.override\.yml|exporters\.yml)$/.test(file) || file.endsWith('override.yml')) continue;
    const services = /^services:\n([\s\S]*?)(?=^\S|(?![\s\S]))/m.exec(text)?.[1] ?? '';
    n += services.split('\n').filter((l) => /^ {2}[a-z0-9][a-z0-9_-]*:\s*$/.test(l)).length;
  }
  return n;
}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stacks: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help || !values.stacks || !values.out) {
    process.stderr.write('usage: node scripts/synth-homelab.ts --stacks S --out DIR [--seed N] [--force]\n');
    return values.help ? 0 : 2;
  }
  const stacks = Number(values.stacks);
  const seed = Number(values.seed);
  if (!Number.isInteger(stacks) || stacks < 1 || !Number.isInteger(seed)) {
    process.stderr.write('--stacks and --seed must be integers (--stacks at least 1)\n');
    return 2;
  }
  const tree = synthHomelab({ stacks, seed });
  writeTree(path.resolve(values.out), tree, { force: values.force });
  const bytes = [...tree.values()].reduce((sum, t) => sum + Buffer.byteLength(t), 0);
  process.stdout.write(`${stacks} stacks, ${countServices(tree)} services, ${tree.size} files (${(bytes / 1024).toFixed(0)} KiB) in ${values.out}\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
    process.stderr.write(`synth-homelab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
