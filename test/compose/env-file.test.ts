/**
 * Env files as Docker Compose reads them (`NAME=value`, `export`, quotes, comments), the `# --`
 * documentation convention, and the judging and masking of secrets.
 */
import { describe, expect, it } from 'vitest';
import { maskCommand, parseEnvFile } from '../../src/lib/compose/index.ts';
import { isSecret, isSecretName, looksSecretValue, maskUrlCredentials, hasUrlCredentials } from '../../src/lib/model/secrets.ts';
import { envOf, loadRepo, service } from './helpers.ts';

describe('parseEnvFile', () => {
  // [text, name, value, line]
  const values: Array<[string, string, string | undefined, number]> = [
    ['A=1', 'A', '1', 1],
    ['A=1\r\nB=2', 'B', '2', 2],
    ['export A=1', 'A', '1', 1],
    ['  export   A = spaced  ', 'A', 'spaced', 1],
    ['A=', 'A', '', 1],
    ['A', 'A', undefined, 1],
    ['A # passed through', 'A', undefined, 1],
    ['A="double quoted"', 'A', 'double quoted', 1],
    ["A='single quoted'", 'A', 'single quoted', 1],
    ['A="has # hash"', 'A', 'has # hash', 1],
    ['A=unquoted # comment', 'A', 'unquoted', 1],
    ['A=no#comment', 'A', 'no#comment', 1],
    ['A="esc \\"q\\" \\n \\t \\\\ \\$"', 'A', 'esc "q" \n \t \\ $', 1],
    ["A='lit \\n $B'", 'A', 'lit \\n $B', 1],
    ['A="first\nsecond"\nB=2', 'A', 'first\nsecond', 1],
    ["A='one\ntwo\nthree'", 'A', 'one\ntwo\nthree', 1],
    ['\uFEFFA=bom', 'A', 'bom', 1],
    ['# c\n\nA=x', 'A', 'x', 3],
    ['A.B-C=dots', 'A.B-C', 'dots', 1],
  ];
  it.each(values)('%j: %s', (text, name, value, line) => {
    const parsed = parseEnvFile(text);
    expect(parsed.values.get(name)).toBe(value);
    expect(parsed.variables.find((v) => v.name === name)?.line).toBe(line);
    expect(parsed.invalidLines).toEqual([]);
  });

  it('keeps whether a value is set, never the value, in the variable list', () => {
    const parsed = parseEnvFile('A=1\nB=\nC\nDB_PASSWORD=CANARY-SECRET-envfile\n');
    expect(parsed.variables.map((v) => [v.name, v.hasValue, v.secret])).toEqual([['A', true, false], ['B', false, false], ['C', false, false], ['DB_PASSWORD', true, true]]);
    expect(JSON.stringify(parsed.variables)).not.toContain('CANARY');
  });

  // [text, invalid lines, names still read]
  const invalid: Array<[string, number[], string[]]> = [
    ['not an assignment\nA=1', [1], ['A']],
    ['A=1\n=novalue\nB=2', [2], ['A', 'B']],
    ['1A=x\nB=2', [1], ['B']],
    ['A="never closed\nB=2\nC=3', [1], ['B', 'C']],
    ["A='never closed", [1], []],
  ];
  it.each(invalid)('reports invalid lines of %j and reads on', (text, lines, names) => {
    const parsed = parseEnvFile(text);
    expect(parsed.invalidLines).toEqual(lines);
    expect(parsed.variables.map((v) => v.name)).toEqual(names);
  });

  // [text, name, doc]
  const docs: Array<[string, string, string | undefined]> = [
    ['# -- The public host name\nHOST=x', 'HOST', 'The public host name'],
    ['# -- First line\n# second line\nHOST=x', 'HOST', 'First line second line'],
    ['# plain comment block\nHOST=x', 'HOST', 'plain comment block'],
    ['HOST=x # -- trailing doc', 'HOST', 'trailing doc'],
    ['HOST=x # trailing comment', 'HOST', 'trailing comment'],
    ['# -- detached\n\nHOST=x', 'HOST', undefined],
    ['HOST="x" # after quotes', 'HOST', undefined],
  ];
  it.each(docs)('documentation of %j', (text, name, doc) => {
    expect(parseEnvFile(text).variables.find((v) => v.name === name)?.doc).toBe(doc);
  });
});

describe('env files in a stack', () => {
  it('documents env_file variables by name, cited at their line in the env file, never with values', async () => {
    const project = await loadRepo({
      's/compose.yml': 'services:\n  app:\n    image: app\n    env_file:\n      - app.env\n    environment:\n      - MODE=prod\n',
      's/app.env': '# -- Where the app listens\nLISTEN=0.0.0.0\nMODE=ignored-compose-wins\nAPI_TOKEN=CANARY-SECRET-envfile-token\n',
    });
    const app = service(project, 'app');
    expect(app.environment.map((e) => [e.name, e.origin, `${e.range.file}:${e.range.startLine}`, e.doc])).toEqual([
      ['MODE', 'literal', 's/compose.yml:7', undefined],
      ['LISTEN', 'env_file', 's/app.env:2', 'Where the app listens'],
      ['API_TOKEN', 'env_file', 's/app.env:4', undefined],
    ]);
    expect(app.environment.find((e) => e.name === 'API_TOKEN')?.secret).toBe(true);
    expect(app.envFiles.map((r) => r.value)).toEqual([{ path: 'app.env', required: true, exists: true }]);
    expect(JSON.stringify(project)).not.toContain('CANARY');
  });

  it('warns about a missing env_file at its line and column, and uses an example beside it when there is one', async () => {
    const project = await loadRepo({
      's/compose.yml': 'services:\n  app:\n    image: app\n    env_file:\n      - secrets.env\n      - path: optional.env\n        required: false\n',
      'e/compose.yml': 'services:\n  app:\n    image: app\n    env_file: .env\n',
      'e/.env.example': 'A=1\n',
    });
    expect(project.diagnostics.filter((d) => d.file === 's/compose.yml')).toMatchObject([{ severity: 'warning', line: 5, column: 9, code: 'env-file-missing' }]);
    expect(project.diagnostics.filter((d) => d.file === 'e/compose.yml')).toMatchObject([{ severity: 'info', line: 4, column: 15, code: 'env-file-example-used' }]);
    expect(service(project, 'app', 'e').environment.map((e) => `${e.name}@${e.range.file}`)).toEqual(['A@e/.env.example']);
  });

  it('reports invalid lines of an env_file at their line, without quoting them', async () => {
    const project = await loadRepo({
      's/compose.yml': 'services:\n  app:\n    image: app\n    env_file: app.env\n',
      's/app.env': 'A=1\n  CANARY-SECRET-invalid line\n',
    });
    expect(project.diagnostics).toMatchObject([{ severity: 'warning', file: 's/app.env', line: 2, column: 3, code: 'env-file-syntax' }]);
    expect(JSON.stringify(project.diagnostics)).not.toContain('CANARY');
  });
});

describe('secrets', () => {
  const names: Array<[string, boolean]> = [
    ['DB_PASSWORD', true], ['PASSWORD', true], ['MYSQL_ROOT_PASSWORD', true], ['PASSWD', true], ['API_KEY', true], ['SECRET_KEY', true],
    ['AUTHENTIK_SECRET_KEY', true], ['GITHUB_TOKEN', true], ['POSTGRES_PASS', true], ['PASS', true], ['PRIVATE_KEY', true], ['JWT_SECRET', true],
    ['CREDENTIALS', true], ['WG_PSK', true], ['SSH_KEY', true], ['smtp.password', true],
    ['KEY_FILE', false], ['DB_PASSWORD_FILE', false], ['PUBLIC_KEY', false], ['KEYCLOAK_URL', false], ['KEYBOARD_LAYOUT', false],
    ['MONKEY', false], ['HOST', false], ['REDIS_HOST', false], ['PASSENGER', false], ['BYPASS', false], ['COMPASS', false], ['TZ', false],
  ];
  it.each(names)('isSecretName(%s) is %s', (name, expected) => {
    expect(isSecretName(name)).toBe(expected);
  });

  const values: Array<[string, boolean]> = [
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', true],
    ['-----BEGIN PRIVATE KEY-----MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', true],
    ['ghp_abcdefghijklmnopqrstuvwxyz012345', true],
    ['deadbeefdeadbeefdeadbeefdeadbeef12', true],
    ['aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH', true],
    ['latest', false], ['hello world', false], ['/usr/local/share/some/long/path/here', false],
    ['https://auth.example.org/application/o/app/', false], ['${SOME_LONG_VARIABLE_NAME_HERE}', false],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGH', false], ['short1A', false],
  ];
  it.each(values)('looksSecretValue(%j) is %s', (value, expected) => {
    expect(looksSecretValue(value)).toBe(expected);
  });

  it('isSecret combines name and value shape', () => {
    expect(isSecret('HOST', 'db')).toBe(false);
    expect(isSecret('SOMETHING', 'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH')).toBe(true);
    expect(isSecret('DB_PASSWORD')).toBe(true);
  });

  const urls: Array<[string, string]> = [
    ['postgres://user:CANARY@db:5432/app', 'postgres://user:***@db:5432/app'],
    ['redis://:CANARY@redis:6379/0', 'redis://:***@redis:6379/0'],
    ['https://CANARY@github.com/org/repo', 'https://***@github.com/org/repo'],
    ['mysql://u:CANARY@h/x and amqp://a:CANARY@c/', 'mysql://u:***@h/x and amqp://a:***@c/'],
    ['http://example.com/path@not-credentials', 'http://example.com/path@not-credentials'],
    ['no url here', 'no url here'],
  ];
  it.each(urls)('maskUrlCredentials(%j)', (text, masked) => {
    expect(maskUrlCredentials(text)).toBe(masked);
    expect(hasUrlCredentials(text)).toBe(text !== masked);
  });

  const commands: Array<[string, string]> = [
    ['redis-server --requirepass CANARY', 'redis-server --requirepass ***'],
    ['redis-server --requirepass ${REDIS_PASSWORD}', 'redis-server --requirepass ${REDIS_PASSWORD}'],
    ['mysqld --password=CANARY', 'mysqld --password=***'],
    ['app --token "CANARY value"', 'app --token ***'],
    ['app --api-key=CANARY --port 80', 'app --api-key=*** --port 80'],
    ['sh -c "PGPASSWORD=CANARY psql -U app"', 'sh -c "PGPASSWORD=*** psql -U app"'],
    ['cmd --db postgres://u:CANARY@h/x', 'cmd --db postgres://u:***@h/x'],
    ['mysqladmin ping -h localhost -u root -pCANARY', 'mysqladmin ping -h localhost -u root -p***'],
    ['mysqladmin ping -u root -p$$MYSQL_ROOT_PASSWORD', 'mysqladmin ping -u root -p$$MYSQL_ROOT_PASSWORD'],
    ['curl -fsS -u admin:CANARY http://localhost/health', 'curl -fsS -u admin:*** http://localhost/health'],
    ['healthcheck --password $$PASS', 'healthcheck --password $$PASS'],
    ['app --bearer aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH', 'app --bearer ***'],
    ['iperf3 -s -p5201', 'iperf3 -s -p5201'],
    ['redis-cli -a CANARY ping', 'redis-cli -a *** ping'],
    ['redis-cli -a $$REDIS_PASSWORD ping', 'redis-cli -a $$REDIS_PASSWORD ping'],
    ['mongosh -u root -p CANARY --eval 1', 'mongosh -u root -p *** --eval 1'],
    ['sh -c "PGPASSWORD=CANARY-SECRET-x psql"', 'sh -c "PGPASSWORD=*** psql"'],
    ['app -p 8080', 'app -p 8080'],
  ];
  it.each(commands)('maskCommand(%j)', (command, masked) => {
    expect(maskCommand(command)).toBe(masked);
  });
});

describe('secret variables interpolated into other values', () => {
  it('never copies a secret variable’s value into the model, whatever the name it is interpolated into', async () => {
    const project = await loadRepo({
      's/compose.yml': [
        'services:',
        '  app:',
        '    image: app',
        '    environment:',
        '      APP_SETTING: ${DB_PASSWORD}',
        '      DSN: postgres://app:${DB_PASSWORD}@db/app',
        '      KEY_SHAPED: ${RANDOM_ID}',
        '      HOST: ${DB_HOST}',
        '      WITH_DEFAULT: ${DB_PASSWORD:-fallback}',
        '    labels:',
        '      com.example.setting: "${DB_PASSWORD}"',
        '      com.example.link: "${LINK}"',
      ].join('\n') + '\n',
      's/.env': 'DB_PASSWORD=CANARY-SECRET-dotenv\nRANDOM_ID=aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH\nDB_HOST=db\nLINK=https://u:CANARY-SECRET-link@x.org\n',
    });
    const app = service(project, 'app');
    expect(app.environment.map((e) => [e.name, e.value, e.secret])).toEqual([
      ['APP_SETTING', undefined, true],
      ['DSN', 'postgres://app:***@db/app', false],
      ['KEY_SHAPED', undefined, true],
      ['HOST', 'db', false],
      ['WITH_DEFAULT', undefined, true],
    ]);
    expect(app.labels.map((l) => l.value.value)).toEqual(['***', 'https://u:***@x.org']);
    expect(JSON.stringify(project)).not.toContain('CANARY');
    expect(JSON.stringify(project)).not.toContain('aB3dE5gH7jK9');
  });

  it('keeps unset and empty secret variables unset and empty, so defaults and required checks still work', async () => {
    const project = await loadRepo({
      's/compose.yml': 'services:\n  app:\n    image: "app:${TAG:-1}"\n    environment:\n      A: ${API_TOKEN:-none}\n      B: ${EMPTY_SECRET:-dflt}\n',
      's/.env': 'EMPTY_SECRET=\n',
    });
    expect(envOf(service(project, 'app'))).toEqual({ A: 'none', B: 'dflt' });
    expect(service(project, 'app').environment.map((e) => e.written)).toEqual(['${API_TOKEN:-none}', '${EMPTY_SECRET:-dflt}']);
    expect(service(project, 'app').image?.value.text).toBe('app:1');
  });
});
