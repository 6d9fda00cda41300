/**
 * The hostile-input corpus (issue 9): each case is a small stack written into a temporary
 * repository beside two ordinary stacks, with the diagnostics it must produce (code and place).
 * Secrets are planted as `CANARY-SECRET-…` values wherever a secret can sit; none may ever appear
 * in the loaded model or a diagnostic.
 */
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ExpectedDiagnostic {
  readonly code: string;
  readonly file: string;
  /** 0 for a problem with the whole file. */
  readonly line: number;
  readonly column: number;
  readonly severity?: 'error' | 'warning' | 'info';
}

export interface HostileCase {
  readonly name: string;
  /** Files written into the repository (POSIX paths); the hostile stack is the folder `hostile/`. */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  /** Further setup in the repository (symlinks, sparse files). */
  readonly setup?: (root: string) => void;
  /** Diagnostics the case must produce. */
  readonly expect: readonly ExpectedDiagnostic[];
  /** When set, the hostile stack must load with exactly these services, in this order. */
  readonly services?: readonly string[];
  /** Longest the whole load may take, in milliseconds. */
  readonly maxMs?: number;
}

/** Environment, command, labels and healthcheck of a service, each holding a planted secret. */
export function canaryBlock(tag: string, indent = '    '): string {
  return [
    'environment:',
    `  DB_PASSWORD: CANARY-SECRET-${tag}-env`,
    `  DATABASE_URL: postgres://app:CANARY-SECRET-${tag}-url@db:5432/app`,
    `command: ["app", "--password", "CANARY-SECRET-${tag}-cmd"]`,
    'labels:',
    `  traefik.http.middlewares.auth.basicauth.users: "admin:CANARY-SECRET-${tag}-label"`,
    `  com.example.api-token: CANARY-SECRET-${tag}-token`,
    'healthcheck:',
    `  test: ["CMD", "mysqladmin", "ping", "-pCANARY-SECRET-${tag}-health"]`,
  ].map((l) => indent + l).join('\n') + '\n';
}

const C = 'hostile/compose.yml';
const svc = (name: string, tag: string) => `  ${name}:\n    image: nginx:1\n${canaryBlock(tag)}`;

/** UTF-16 bytes of a text, with a byte order mark. */
function utf16(text: string, order: 'LE' | 'BE', bom = true): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  const bytes = order === 'LE' ? le : Buffer.from(le.map((_b, i) => le[i % 2 === 0 ? i + 1 : i - 1] as number));
  return bom ? Buffer.concat([Buffer.from(order === 'LE' ? [0xff, 0xfe] : [0xfe, 0xff]), bytes]) : bytes;
}

/** Billion laughs: ten levels of ten aliases each. */
function billionLaughs(): string {
  const lines = ['x-lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i <= 9; i++) lines.push(`x-lol${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\nservices:\n  web:\n    image: nginx\n    x-wiki: *l9\n`;
}

/** Folders created outside the test repositories; the test removes them when done. */
export const OUTSIDE_FOLDERS: string[] = [];

/** A folder outside every test repository, holding a compose file and a secret. */
function outsideFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'compose-wiki-outside-'));
  OUTSIDE_FOLDERS.push(dir);
  writeFileSync(path.join(dir, 'compose.yml'), `services:\n  stolen:\n    image: x\n    environment:\n      API_TOKEN: CANARY-SECRET-outside\n`);
  return dir;
}

const values = [
  'services:',
  '  app:',
  '    image: nginx:1',
  '    container_name: "app --> <script>alert(1)</script>"',
  '    environment:',
  '      PIPE: "a | b | c"',
  '      BACKTICKS: "`rm -rf /` and ```fence```"',
  '      BRACKETS: "【F:x.yml†L1-L2】"',
  '      COMMENT: "<!-- not a comment -->"',
  '      SCRIPT: "<script>alert(1)</script>"',
  '      NEWLINES: |',
  '        line one',
  '        line two',
  '    labels:',
  '      homepage.description: "Pipes | and `ticks` and 【†】 and --> and <b>html</b>"',
  '    command: ["sh", "-c", "echo \'| ` 【 † --> <script>\'"]',
].join('\n') + '\n';

export const CASES: readonly HostileCase[] = [
  // Invalid YAML.
  { name: 'a tab indents a line', files: { [C]: `services:\n  web:\n\timage: nginx\n${canaryBlock('tab')}` }, expect: [{ code: 'yaml-tab', file: C, line: 3, column: 1 }] },
  { name: 'a tab trails a value', files: { [C]: `services:\n  web:\n    image: nginx\t\n${canaryBlock('tab2')}` }, expect: [{ code: 'yaml-tab', file: C, line: 3, column: 17 }] },
  { name: 'a line indented less than its siblings', files: { [C]: `services:\n  web:\n    image: nginx\n   restart: always\n${canaryBlock('indent')}` }, expect: [{ code: 'yaml-syntax', file: C, line: 4, column: 1 }] },
  { name: 'a line indented deeper than its siblings', files: { [C]: `services:\n  web:\n    image: nginx\n      restart: always\n${canaryBlock('indent2')}` }, expect: [{ code: 'yaml-syntax', file: C, line: 3, column: 12 }] },
  { name: 'an unclosed double quote', files: { [C]: `services:\n  web:\n${canaryBlock('dq')}    image: "nginx\n` }, expect: [{ code: 'yaml-unclosed', file: C, line: 12, column: 12 }] },
  { name: 'an unclosed single quote', files: { [C]: `services:\n  web:\n${canaryBlock('sq')}    image: 'nginx\n` }, expect: [{ code: 'yaml-unclosed', file: C, line: 12, column: 12 }] },
  { name: 'an unclosed flow sequence', files: { [C]: `services:\n  web:\n${canaryBlock('flow')}    ports: ["80:80"\n` }, expect: [{ code: 'yaml-unclosed', file: C, line: 12, column: 12 }] },
  { name: 'several YAML documents in one file', files: { [C]: `services:\n${svc('a', 'docs')}---\nservices:\n  b:\n    image: b\n` }, expect: [{ code: 'yaml-multiple-documents', file: C, line: 13, column: 1 }] },
  { name: 'nesting thousands of levels deep', files: { [C]: `services:\n  web:\n    image: nginx\n    x-deep: ${'['.repeat(3000)}${']'.repeat(3000)}\n` }, expect: [{ code: 'yaml-too-deep', file: C, line: 4, column: 13 }], maxMs: 5000 },
  { name: 'an alias naming no anchor', files: { [C]: `services:\n  web:\n    <<: *nope\n${canaryBlock('alias')}` }, expect: [{ code: 'yaml-alias-undefined', file: C, line: 3, column: 9 }] },
  { name: 'an alias inside the node its anchor names', files: { [C]: `x-loop: &loop\n  - *loop\nservices:\n${svc('web', 'circ')}` }, expect: [{ code: 'yaml-alias-circular', file: C, line: 2, column: 5 }] },

  // Duplicate keys.
  { name: 'a service written twice', files: { [C]: `services:\n${svc('web', 'dup')}  web:\n    image: b\n` }, expect: [{ code: 'yaml-duplicate-key', file: C, line: 13, column: 3 }] },
  { name: 'a setting written twice', files: { [C]: `services:\n  web:\n    image: a\n    image: b\n${canaryBlock('dup2')}` }, expect: [{ code: 'yaml-duplicate-key', file: C, line: 4, column: 5 }] },

  // Wrong types and unknown keys: the stack still loads.
  { name: 'ports as a string', files: { [C]: `services:\n${svc('web', 'ports')}    ports: "abc"\n` }, expect: [{ code: 'compose-type', file: C, line: 13, column: 12 }], services: ['web'] },
  { name: 'ports as a number', files: { [C]: `services:\n${svc('web', 'portn')}    ports: 8080\n` }, expect: [{ code: 'compose-type', file: C, line: 13, column: 12 }], services: ['web'] },
  { name: 'a port that is not a port', files: { [C]: `services:\n${svc('web', 'porti')}    ports:\n      - "abc:def"\n` }, expect: [{ code: 'compose-port', file: C, line: 14, column: 9 }], services: ['web'] },
  { name: 'environment as a number', files: { [C]: `services:\n  web:\n    image: a\n    environment: 42\n    command: ["app", "--password", "CANARY-SECRET-envnum"]\n` }, expect: [{ code: 'compose-type', file: C, line: 4, column: 18 }], services: ['web'] },
  { name: 'volumes as a number', files: { [C]: `services:\n${svc('web', 'vol')}    volumes: 5\n` }, expect: [{ code: 'compose-type', file: C, line: 13, column: 14 }], services: ['web'] },
  { name: 'an empty environment list item', files: { [C]: `services:\n  web:\n    image: a\n    environment:\n      -\n      - API_KEY=CANARY-SECRET-emptyitem\n` }, expect: [{ code: 'compose-type', file: C, line: 5, column: 8 }], services: ['web'] },
  { name: 'services as a list', files: { [C]: 'services:\n  - web\n  - db\n' }, expect: [{ code: 'compose-type', file: C, line: 2, column: 3 }], services: [] },
  { name: 'a service that is a string', files: { [C]: `services:\n  web: nginx\n${svc('ok', 'svcstr')}` }, expect: [{ code: 'compose-type', file: C, line: 2, column: 8 }], services: ['web', 'ok'] },
  { name: 'a file that is a string', files: { [C]: 'just a string\n' }, expect: [{ code: 'compose-type', file: C, line: 1, column: 1 }] },
  { name: 'a key that is a list', files: { [C]: `services:\n  ? [a, b]\n  : image: x\n${svc('ok', 'cplx')}` }, expect: [{ code: 'compose-type', file: C, line: 2, column: 5 }], services: ['ok'] },
  { name: 'a merge key naming a string', files: { [C]: `x-s: &s hello\nservices:\n  web:\n    <<: *s\n    image: a\n` }, expect: [{ code: 'compose-merge', file: C, line: 4, column: 9 }], services: ['web'] },
  { name: 'an unknown service key', files: { [C]: `services:\n${svc('web', 'unk')}    imagee: nginx\n` }, expect: [{ code: 'compose-unknown-key', file: C, line: 13, column: 5, severity: 'warning' }], services: ['web'] },
  { name: 'an unknown top-level key', files: { [C]: `servics:\n  web:\n    image: a\nservices:\n${svc('ok', 'unktop')}` }, expect: [{ code: 'compose-unknown-key', file: C, line: 1, column: 1, severity: 'warning' }], services: ['ok'] },

  // Size, bytes and encodings.
  { name: 'an alias bomb (billion laughs)', files: { [C]: billionLaughs() }, expect: [{ code: 'yaml-alias-bomb', file: C, line: 5, column: 49 }], maxMs: 2000 },
  {
    name: 'a 50 MB file',
    setup: (root) => {
      mkdirSync(path.join(root, 'hostile'), { recursive: true });
      writeFileSync(path.join(root, C), 'services:\n');
      truncateSync(path.join(root, C), 50 * 1024 * 1024);
    },
    expect: [{ code: 'file-too-large', file: C, line: 0, column: 0 }],
    maxMs: 2000,
  },
  { name: 'a binary file', files: { [C]: Buffer.concat([Buffer.from('services:\n  web:\n    image: a\x00\x01\x02\n'), Buffer.from([0x89, 0x50, 0x4e, 0x47])]) }, expect: [{ code: 'file-binary', file: C, line: 3, column: 13 }] },
  { name: 'UTF-16 LE with a byte order mark', files: { [C]: utf16(`services:\n${svc('web', 'u16le')}`, 'LE') }, expect: [{ code: 'file-encoding', file: C, line: 1, column: 1 }] },
  { name: 'UTF-16 BE with a byte order mark', files: { [C]: utf16(`services:\n${svc('web', 'u16be')}`, 'BE') }, expect: [{ code: 'file-encoding', file: C, line: 1, column: 1 }] },
  { name: 'UTF-16 LE without a byte order mark', files: { [C]: utf16(`services:\n${svc('web', 'u16nobom')}`, 'LE', false) }, expect: [{ code: 'file-encoding', file: C, line: 1, column: 1 }] },
  { name: 'invalid UTF-8 (Latin-1 text)', files: { [C]: Buffer.concat([Buffer.from('services:\n  web:\n    image: caf'), Buffer.from([0xe9]), Buffer.from('\n')]) }, expect: [{ code: 'file-encoding', file: C, line: 3, column: 15 }] },
  { name: 'a UTF-8 byte order mark', files: { [C]: `\uFEFF# The web stack\nservices:\n  web:\n    imagee: nginx\n\n  db:\n    image: postgres\n` }, expect: [{ code: 'compose-unknown-key', file: C, line: 4, column: 5, severity: 'warning' }], services: ['web', 'db'] },
  { name: 'CRLF line endings', files: { [C]: `services:\r\n${svc('web', 'crlf').replace(/\n/g, '\r\n')}\r\n  db:\r\n    imagee: postgres\r\n`, 'lf/compose.yml': `services:\n${svc('web', 'lf')}\n  db:\n    imagee: postgres\n` }, expect: [{ code: 'compose-unknown-key', file: C, line: 15, column: 5, severity: 'warning' }, { code: 'compose-unknown-key', file: 'lf/compose.yml', line: 15, column: 5, severity: 'warning' }], services: ['web', 'db'] },
  { name: 'old Mac CR line endings', files: { [C]: `services:\r  web:\r    imagee: nginx\r` }, expect: [{ code: 'compose-unknown-key', file: C, line: 3, column: 5, severity: 'warning' }], services: ['web'] },
  { name: 'an empty file', files: { [C]: '' }, expect: [{ code: 'compose-empty', file: C, line: 1, column: 1 }] },
  { name: 'a file of comments only', files: { [C]: '# services:\n#   web:\n#     image: nginx\n' }, expect: [{ code: 'compose-empty', file: C, line: 1, column: 1 }] },

  // Names and values that are data, not markup.
  {
    name: 'service names with ../, /, spaces, dots, unicode, Markdown and HTML',
    files: { [C]: `services:\n${['../up', 'a/b', 'with space', 'dots.in.name', 'サービス', '**bold** _it_', '<img src=x onerror=alert(1)>', '[link](http://x)'].map((n) => `  "${n}":\n    image: nginx\n`).join('')}` },
    expect: [],
    services: ['../up', 'a/b', 'with space', 'dots.in.name', 'サービス', '**bold** _it_', '<img src=x onerror=alert(1)>', '[link](http://x)'],
  },
  { name: 'values with |, backticks, 【, †, -->, <script> and newlines', files: { [C]: values }, expect: [], services: ['app'] },

  // Links, cycles, missing files and variables.
  {
    name: 'a symlink to a file outside the repository',
    setup: (root) => {
      mkdirSync(path.join(root, 'hostile'), { recursive: true });
      symlinkSync(path.join(outsideFolder(), 'compose.yml'), path.join(root, C));
    },
    expect: [{ code: 'file-outside-repository', file: C, line: 0, column: 0 }],
  },
  {
    name: 'an include through a linked folder outside the repository',
    files: { [C]: `include:\n  - linked/compose.yml\nservices:\n${svc('web', 'linkdir')}` },
    setup: (root) => symlinkSync(outsideFolder(), path.join(root, 'hostile/linked')),
    expect: [{ code: 'compose-include-unreadable', file: C, line: 2, column: 5 }, { code: 'file-outside-repository', file: 'hostile/linked/compose.yml', line: 0, column: 0 }],
    services: ['web'],
  },
  {
    name: 'a symlink loop',
    setup: (root) => {
      mkdirSync(path.join(root, 'hostile'), { recursive: true });
      symlinkSync('compose.yml', path.join(root, C));
    },
    expect: [{ code: 'file-symlink-loop', file: C, line: 0, column: 0 }],
  },
  {
    name: 'a broken symlink',
    setup: (root) => {
      mkdirSync(path.join(root, 'hostile'), { recursive: true });
      symlinkSync('gone.yml', path.join(root, C));
    },
    expect: [{ code: 'file-symlink-broken', file: C, line: 0, column: 0 }],
  },
  {
    name: 'an include cycle',
    files: { [C]: `include:\n  - other.yml\nservices:\n${svc('web', 'inccyc')}`, 'hostile/other.yml': 'include:\n  - compose.yml\nservices:\n  other:\n    image: o\n' },
    expect: [{ code: 'compose-include-cycle', file: 'hostile/other.yml', line: 2, column: 5 }],
    services: ['web', 'other'],
  },
  {
    name: 'an extends cycle',
    files: { [C]: `services:\n${svc('a', 'extcyc')}    extends: b\n  b:\n    extends: a\n` },
    expect: [{ code: 'compose-extends-cycle', file: C, line: 13, column: 14 }, { code: 'compose-extends-cycle', file: C, line: 15, column: 14 }],
    services: ['a', 'b'],
  },
  { name: 'a missing include target', files: { [C]: `include:\n  - parts/missing.yml\nservices:\n${svc('web', 'incmiss')}` }, expect: [{ code: 'compose-include-missing', file: C, line: 2, column: 5 }], services: ['web'] },
  { name: 'an include leaving the repository', files: { [C]: `include:\n  - ../../../etc/passwd\nservices:\n${svc('web', 'incout')}` }, expect: [{ code: 'compose-include-outside', file: C, line: 2, column: 5 }], services: ['web'] },
  {
    name: 'an unset ${VAR:?required} with a .env',
    files: { [C]: `services:\n  web:\n    image: "nginx:\${TAG:?set TAG in .env}"\n${canaryBlock('req')}`, 'hostile/.env': 'OTHER=1\nDB_PASSWORD=CANARY-SECRET-req-dotenv\n' },
    expect: [{ code: 'interpolation-required', file: C, line: 3, column: 19, severity: 'error' }],
    services: ['web'],
  },
  {
    name: 'an unset ${VAR:?required} without a .env',
    files: { [C]: `services:\n  web:\n    image: "nginx:\${TAG:?required}"\n` },
    expect: [{ code: 'interpolation-required', file: C, line: 3, column: 19, severity: 'warning' }],
    services: ['web'],
  },
  { name: 'an unclosed ${', files: { [C]: `services:\n  web:\n    image: "nginx:\${TAG"\n${canaryBlock('unclosed')}` }, expect: [{ code: 'interpolation-syntax', file: C, line: 3, column: 19 }], services: ['web'] },
  {
    name: 'secrets in every place a secret can sit',
    files: {
      [C]: [
        'services:',
        '  app:',
        '    image: app:1',
        '    env_file: app.env',
        '    environment:',
        '      ADMIN_PASSWORD: CANARY-SECRET-literal',
        '      APP_SETTING: ${DB_PASSWORD}',
        '      DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app',
        '      REDIS_URL: redis://:CANARY-SECRET-redisurl@redis:6379/0',
        '    command: redis-server --requirepass CANARY-SECRET-cmd1 --masterauth=CANARY-SECRET-cmd2',
        '    entrypoint: ["sh", "-c", "PGPASSWORD=CANARY-SECRET-entry psql"]',
        '    labels:',
        '      - "traefik.http.middlewares.a.basicauth.users=admin:CANARY-SECRET-basic"',
        '      - "com.example.token=CANARY-SECRET-labeltoken"',
        '      - "com.example.url=https://u:CANARY-SECRET-labelurl@example.org"',
        '    healthcheck:',
        '      test: ["CMD-SHELL", "redis-cli -a CANARY-SECRET-redis ping && curl -u admin:CANARY-SECRET-curl http://x"]',
        '    ports:',
        '      - "${DB_PASSWORD}:80"',
        '    hostname: ${UNSET_HOST:?$DB_PASSWORD is not a host}',
      ].join('\n') + '\n',
      'hostile/.env': 'DB_PASSWORD=CANARY-SECRET-dotenv\n',
      'hostile/app.env': 'API_TOKEN=CANARY-SECRET-envfile\nSESSION_SECRET="CANARY-SECRET-quoted"\n  CANARY-SECRET-badline here\n',
    },
    expect: [
      { code: 'compose-port', file: C, line: 19, column: 9 },
      { code: 'interpolation-required', file: C, line: 20, column: 15 },
      { code: 'env-file-syntax', file: 'hostile/app.env', line: 3, column: 3, severity: 'warning' },
    ],
    services: ['app'],
  },
];
