/**
 * The secrets canary's fixture (issue 9): a copy of the bundled example homelab with a distinct
 * canary value planted in every place a secret can sit. Every canary ends in `7f3a91` and names
 * its place, so a leak says where it came from. The test (canary.test.ts) runs every command on
 * this repository and greps every byte written for every canary.
 *
 * Deliberately NOT planted (they are no secrets):
 * - the message of `${VAR:?message}`: the author writes it to be shown when the variable is unset;
 * - `x-wiki` descriptions and notes, and YAML comments: prose a person writes is published on purpose.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXAMPLE = fileURLToPath(new URL('../../examples/homelab/', import.meta.url));

/** Every canary contains this; a grep for it finds a canary even when its place is unknown. */
export const CANARY_MARK = 'CANARY-';
/** Every canary ends with this; a grep for it also finds a canary cut short at its front. */
export const CANARY_SUFFIX = '7F3A91';

export interface Canary {
  /** Where it sits, in words. */
  readonly place: string;
  /** The planted value: `CANARY-<place>-7f3a91`. */
  readonly value: string;
  /** The repository file (POSIX, relative) that holds it. */
  readonly file: string;
  /**
   * Text that must still appear where the entry is documented — its name in the environment
   * table, its masked form (`--requirepass ***`), for labels (which no page lists) its key in
   * `model --json`, for what only the source viewer shows, its masked line in the site's view of
   * the compose file — proving that the entry was documented with its value hidden, not dropped.
   */
  readonly shown: { readonly in: 'pages' | 'model' | 'site'; readonly text: string };
}

/**
 * Upper case, digits and dashes only: no lower case, so the value-shape rule (long mixed-case
 * runs look like generated keys) does not catch it, and a canary is hidden only because of the
 * place it sits in — as a real password such as `HUNTER2-HUNTER2` would have to be.
 */
const canary = (slug: string) => `${CANARY_MARK}${slug.toUpperCase()}-${CANARY_SUFFIX}`;

/** The canaries planted by `plantCanaries`, by slug. */
export const C = {
  envMap: canary('env-map-literal'),
  envList: canary('env-list-literal'),
  dotenvSecret: canary('dotenv-named'),
  dotenvShared: canary('dotenv-shared'),
  dotenvUrl: canary('dotenv-url'),
  dotenvRedis: canary('dotenv-into-command'),
  dotenvIntoEnvFile: canary('dotenv-into-env-file'),
  exampleEnv: canary('env-example'),
  envFile: canary('env-file-named'),
  envFileUrl: canary('env-file-url'),
  urlPostgres: canary('url-postgres'),
  urlRedis: canary('url-redis'),
  cmdRequirepass: canary('cmd-flag-space'),
  cmdPasswordEq: canary('cmd-flag-equals'),
  cmdMysqladmin: canary('cmd-mysql-p'),
  cmdHeader: canary('cmd-http-header'),
  cmdAssignment: canary('cmd-assignment'),
  labelBasicAuth: canary('label-basic'),
  labelUrl: canary('label-url'),
  labelListToken: canary('label-list-named'),
  healthMysqladmin: canary('health-mysql-p'),
  healthCurl: canary('health-curl-u'),
  configIni: canary('config-ini'),
  configRedis: canary('config-redis'),
  configJson: canary('config-json'),
  envJsonMember: canary('env-json-member'),
  envArgsFlag: canary('env-args-flag'),
  cmdListFlag: canary('cmd-block-list'),
  healthListRedis: canary('health-block-list'),
  /** Mixed case and long: hidden by its shape alone (it sits in a non-secret-named variable). */
  labelJson: canary('label-json'),
  anchor: canary('anchor-merged'),
  buildArg: canary('build-arg'),
  shape: `${CANARY_MARK}Qm9zZTR4N2Yz-YTkxVGVzdA-${CANARY_SUFFIX}`,
} as const;

/** The canary stack's compose file. Line order matters only for the YAML being valid. */
function canaryCompose(): string {
  return `# Canary stack: a small application with its secrets written in every place Compose allows.

x-job-secrets: &job-secrets
  JOB_DB_PASSWORD: ${C.anchor}

configs:
  app_ini:
    content: |
      [database]
      host = postgres
      password = ${C.configIni}
  redis_conf:
    content: |
      appendonly yes
      requirepass ${C.configRedis}
  hooks_json:
    content: >-
      {"url": "https://hooks.example.home/notify", "api_key": "${C.configJson}"}

services:
  # The application: literal and interpolated secrets in a map-form environment.
  canary-app:
    image: ghcr.io/example/canary-app:1.4.2
    container_name: canary-app
    restart: unless-stopped
    env_file: ./app.env
    environment:
      DB_PASSWORD: ${C.envMap}
      API_TOKEN: \${API_TOKEN}
      APP_SETTING: \${SHARED_DB_PASSWORD}
      DB_PASS: \${SHARED_DB_PASSWORD}
      DATABASE_URL: postgres://canary:${C.urlPostgres}@postgres:5432/canary
      CACHE_URL: redis://:${C.urlRedis}@redis:6379/0
      UPSTREAM_URL: \${UPSTREAM_URL}
      WEBHOOK_TOKEN: \${WEBHOOK_TOKEN}
      LOG_LEVEL: info
      OIDC_PROVIDERS: '{"client_id": "canary", "client_secret": "${C.envJsonMember}"}'
      EXTRA_ARGS: --log-format json --api-key ${C.envArgsFlag}
      SESSION_SEED: ${C.shape}
    command: ["canary-app", "serve", "--requirepass", "${C.cmdRequirepass}", "--password=${C.cmdPasswordEq}"]
    configs:
      - source: app_ini
        target: /etc/canary/app.ini
      - hooks_json
    labels:
      traefik.enable: "true"
      traefik.http.routers.canary.rule: Host(\`canary.example.home\`)
      traefik.http.middlewares.canary-auth.basicauth.users: "admin:${C.labelBasicAuth}"
      com.example.notify-url: "https://bot:${C.labelUrl}@hooks.example.home/notify"
      com.example.hook-config: '{"url": "https://hooks.example.home", "token": "${C.labelJson}"}'
    healthcheck:
      test: ["CMD", "curl", "-fsS", "-u", "admin:${C.healthCurl}", "http://localhost:8080/health"]
      interval: 30s
    networks:
      - default

  # The application's MariaDB: list-form environment, a mysqladmin healthcheck with -p.
  canary-db:
    image: mariadb:11.4.8
    container_name: canary-db
    restart: unless-stopped
    environment:
      - MARIADB_DATABASE=canary
      - MARIADB_USER=canary
      - MARIADB_ROOT_PASSWORD=${C.envList}
      - MARIADB_PASSWORD=\${SHARED_DB_PASSWORD}
    labels:
      - com.example.backup=true
      - com.example.backup.token=${C.labelListToken}
    healthcheck:
      test: ["CMD-SHELL", "mysqladmin ping -h localhost -uroot -p${C.healthMysqladmin}"]
      interval: 10s
    volumes:
      - canary_db:/var/lib/mysql

  # A cache with its password on the command line and its config inline.
  canary-cache:
    image: redis:7.4.5-alpine
    container_name: canary-cache
    restart: unless-stopped
    command:
      - redis-server
      - /usr/local/etc/redis/redis.conf
      - --requirepass
      - ${C.cmdListFlag}
    configs:
      - source: redis_conf
        target: /usr/local/etc/redis/redis.conf
    healthcheck:
      test:
        - CMD
        - redis-cli
        - -a
        - ${C.healthListRedis}
        - ping

  # Nightly jobs: a shell command with a flushed mysqladmin, a curl with an API key header and a
  # PGPASSWORD assignment.
  canary-jobs:
    image: alpine:3.20.3
    container_name: canary-jobs
    restart: unless-stopped
    build:
      context: ./jobs
      args:
        NPM_TOKEN: ${C.buildArg}
    environment:
      <<: *job-secrets
      JOB_NAME: nightly
    command:
      - sh
      - -c
      - >-
        mysqladmin -h canary-db -uroot -p${C.cmdMysqladmin} flush-logs &&
        curl -fsS -H "X-API-KEY: ${C.cmdHeader}" https://hooks.example.home/ping &&
        PGPASSWORD=${C.cmdAssignment} pg_dump -h postgres -U canary canary > /backup/canary.sql

volumes:
  canary_db:
`;
}

/**
 * Copies the example into `root` (which must not exist yet or be empty) and plants every canary.
 * Returns the canaries with their places.
 */
export function plantCanaries(root: string): Canary[] {
  cpSync(EXAMPLE, root, { recursive: true });
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };

  write('canary/compose.yml', canaryCompose());
  // A real `.env` beside the stack, as Compose reads it.
  write(
    'canary/.env',
    [
      '# canary stack secrets',
      `API_TOKEN=${C.dotenvSecret}`,
      `SHARED_DB_PASSWORD=${C.dotenvShared}`,
      `UPSTREAM_URL=https://svc:${C.dotenvUrl}@upstream.example.home/api`,
      `LEGACY_SOURCE_PASSWORD=${C.dotenvIntoEnvFile}`,
      '',
    ].join('\n'),
  );
  // An example env file: its value stands in for a variable the `.env` does not set.
  write('canary/.env.example', ['API_TOKEN=change-me', 'SHARED_DB_PASSWORD=change-me', `WEBHOOK_TOKEN=${C.exampleEnv}`, ''].join('\n'));
  // The service's env_file.
  write('canary/app.env', ['# read by canary-app', 'APP_MODE=production', `SMTP_PASSWORD=${C.envFile}`, `NOTIFY_URL=https://mailer:${C.envFileUrl}@smtp.example.home:587`, 'LEGACY_SETTING=${LEGACY_SOURCE_PASSWORD}', ''].join('\n'));
  // A real `.env` beside an existing stack: REDIS_PASSWORD is interpolated into redis's
  // `--requirepass ${REDIS_PASSWORD}` command and into REDISCLI_AUTH.
  const databasesEnv = readFileSync(path.join(root, 'databases/.env.example'), 'utf8').replace(/^REDIS_PASSWORD=.*$/m, `REDIS_PASSWORD=${C.dotenvRedis}`);
  write('databases/.env', databasesEnv);

  const pages = (text: string) => ({ in: 'pages' as const, text });
  const model = (text: string) => ({ in: 'model' as const, text });
  const site = (text: string) => ({ in: 'site' as const, text });
  return [
    { place: 'compose environment (map form): a literal secret-named value', value: C.envMap, file: 'canary/compose.yml', shown: pages('| `DB_PASSWORD` |') },
    { place: 'compose environment (list form): a literal secret-named value', value: C.envList, file: 'canary/compose.yml', shown: pages('| `MARIADB_ROOT_PASSWORD` |') },
    { place: '.env: the value of a secret-named ${VAR} (API_TOKEN: ${API_TOKEN})', value: C.dotenvSecret, file: 'canary/.env', shown: pages('| `API_TOKEN` |') },
    { place: '.env: a secret used by a secret-named AND a non-secret-named variable (APP_SETTING: ${SHARED_DB_PASSWORD})', value: C.dotenvShared, file: 'canary/.env', shown: pages('| `APP_SETTING` |') },
    { place: '.env: a secret interpolated into an env_file value of a non-secret-named variable (LEGACY_SETTING=${LEGACY_SOURCE_PASSWORD})', value: C.dotenvIntoEnvFile, file: 'canary/.env', shown: pages('| `LEGACY_SETTING` |') },
    { place: '.env: URL credentials in a non-secret-named variable (UPSTREAM_URL)', value: C.dotenvUrl, file: 'canary/.env', shown: pages('| `UPSTREAM_URL` |') },
    { place: '.env beside an existing stack: interpolated into a command (redis-server --requirepass ${REDIS_PASSWORD}) and REDISCLI_AUTH', value: C.dotenvRedis, file: 'databases/.env', shown: pages('| `REDISCLI_AUTH` |') },
    { place: '.env.example: the stand-in value of a secret variable .env does not set (WEBHOOK_TOKEN)', value: C.exampleEnv, file: 'canary/.env.example', shown: pages('| `WEBHOOK_TOKEN` |') },
    { place: 'env_file: a secret-named variable (SMTP_PASSWORD)', value: C.envFile, file: 'canary/app.env', shown: pages('| `SMTP_PASSWORD` |') },
    { place: 'env_file: URL credentials (NOTIFY_URL)', value: C.envFileUrl, file: 'canary/app.env', shown: pages('| `NOTIFY_URL` |') },
    { place: 'env value: URL credentials postgres://user:pass@ (DATABASE_URL)', value: C.urlPostgres, file: 'canary/compose.yml', shown: pages('| `DATABASE_URL` |') },
    { place: 'env value: URL credentials redis://:pass@ (CACHE_URL)', value: C.urlRedis, file: 'canary/compose.yml', shown: pages('| `CACHE_URL` |') },
    { place: 'env value: a JSON member with a secret-named key in a non-secret-named variable (OIDC_PROVIDERS)', value: C.envJsonMember, file: 'canary/compose.yml', shown: pages('"client_secret": "***"') },
    { place: 'env value: a secret flag in a non-secret-named variable (EXTRA_ARGS: --api-key value)', value: C.envArgsFlag, file: 'canary/compose.yml', shown: pages('--api-key ***') },
    { place: 'env value: a generated-looking value in a non-secret-named variable (SESSION_SEED, value shape)', value: C.shape, file: 'canary/compose.yml', shown: pages('| `SESSION_SEED` |') },
    { place: 'command (exec form): --requirepass value', value: C.cmdRequirepass, file: 'canary/compose.yml', shown: pages('--requirepass ***') },
    { place: 'command (exec form): --password=value', value: C.cmdPasswordEq, file: 'canary/compose.yml', shown: pages('--password=***') },
    { place: 'command (block list): - --requirepass and - value on separate lines', value: C.cmdListFlag, file: 'canary/compose.yml', shown: pages('redis.conf --requirepass ***') },
    { place: 'command (folded): mysqladmin -pVALUE', value: C.cmdMysqladmin, file: 'canary/compose.yml', shown: pages('-uroot -p*** flush-logs') },
    { place: 'command (folded): an HTTP header -H "X-API-KEY: value"', value: C.cmdHeader, file: 'canary/compose.yml', shown: pages('X-API-KEY: ***') },
    { place: 'command (folded): a PGPASSWORD=value assignment', value: C.cmdAssignment, file: 'canary/compose.yml', shown: pages('PGPASSWORD=***') },
    { place: 'an x- extension anchor merged into environment with <<', value: C.anchor, file: 'canary/compose.yml', shown: pages('| `JOB_DB_PASSWORD` |') },
    { place: 'build args (map form), a secret-named argument (no page lists build args)', value: C.buildArg, file: 'canary/compose.yml', shown: site('NPM_TOKEN: ********') },
    { place: 'label (map form) with a secret-named key (basicauth.users: admin:value)', value: C.labelBasicAuth, file: 'canary/compose.yml', shown: model('"key": "traefik.http.middlewares.canary-auth.basicauth.users"') },
    { place: 'label (map form): URL credentials in the value', value: C.labelUrl, file: 'canary/compose.yml', shown: model('https://bot:***@hooks.example.home/notify') },
    { place: 'label (map form): a JSON member with a secret-named key in the value', value: C.labelJson, file: 'canary/compose.yml', shown: model('\\"token\\": \\"***\\"') },
    { place: 'label (list form) with a secret-named key (com.example.backup.token=value)', value: C.labelListToken, file: 'canary/compose.yml', shown: model('"key": "com.example.backup.token"') },
    { place: 'healthcheck test (CMD-SHELL): mysqladmin ping -pVALUE', value: C.healthMysqladmin, file: 'canary/compose.yml', shown: pages('ping -h localhost -uroot -p***') },
    { place: 'healthcheck test (exec form): curl -u admin:VALUE', value: C.healthCurl, file: 'canary/compose.yml', shown: pages('-u admin:***') },
    { place: 'healthcheck test (block list): redis-cli / -a / value on separate lines', value: C.healthListRedis, file: 'canary/compose.yml', shown: pages('redis-cli -a *** ping') },
    { place: 'top-level configs: inline content, INI (password = value)', value: C.configIni, file: 'canary/compose.yml', shown: pages('app_ini → /etc/canary/app.ini') },
    { place: 'top-level configs: inline content, redis.conf (requirepass value)', value: C.configRedis, file: 'canary/compose.yml', shown: pages('redis_conf → /usr/local/etc/redis/redis.conf') },
    { place: 'top-level configs: inline content, folded JSON ("api_key": "value")', value: C.configJson, file: 'canary/compose.yml', shown: pages('hooks_json') },
  ];
}

/**
 * Canaries the test plants later: the Wiki.js keys, the stale edit, credentials in addresses and
 * config values, and the lines around invalid input.
 */
export const LATE = {
  /** The Wiki.js key that can write (stand-in): must show up in no output and no request body. */
  wikiToken: canary('wikijs-key'),
  wrongToken: canary('wikijs-wrong-key'),
  tokenFileToken: canary('wikijs-token-file'),
  wikiUrlPassword: canary('wikijs-url-cred'),
  gitUrlPassword: canary('git-url-cred'),
  sourceUrlPassword: canary('publish-source-url-cred'),
  forgeUrlPassword: canary('site-forge-url-cred'),
  staleChanged: canary('stale-changed-literal'),
  staleAdded: canary('stale-added-literal'),
  staleCommand: canary('stale-command-flag'),
  configUnknownKey: canary('config-unknown-key'),
  configSourceUrl: canary('config-source-url'),
  configWikiUrl: canary('config-wikijs-url'),
  yamlUnclosed: canary('yaml-unclosed-quote'),
  yamlTab: canary('yaml-tab-line'),
  yamlTabNeighbour: canary('yaml-line-above-tab'),
  requiredNeighbour: canary('beside-unset-required'),
  requiredCommand: canary('command-with-unset-required'),
} as const;
