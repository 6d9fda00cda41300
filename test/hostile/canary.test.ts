/**
 * The secrets canary (issue 9). A copy of the example homelab gets a distinct canary value in every
 * place a secret can sit (canary-fixture.ts); every command then runs on it — generate (pages and
 * the findings sidecar), check in all three formats (clean and with stale pages, so diffs are
 * printed), model and model --json, the site build, publish (dry run with diffs, a real run against
 * the stand-in Wiki.js, Git storage into a bare repository) — and through forced error paths: a
 * wrong Wiki.js key (from the environment and from a token file), credentials in the wiki address,
 * in the citation link template (publish --source-url, the site's COMPOSE_WIKI_FORGE_URL) and in an
 * unreachable Git URL, the stand-in answering 500 and cutting the connection, a bad
 * compose-wiki.yaml, invalid YAML around a canary line and an unset `${VAR:?…}` beside a secret. Every byte written — files in the test's folders (the
 * subprocesses' TMPDIR included), stdout and stderr of every command, every request body, every
 * Git object and patch, the site's compressed search index unpacked — is searched for every
 * canary. None may appear.
 *
 * The test proves it can fail: the canaries are in the files the tools read, each planted entry's
 * name (or its masked form, `--requirepass ***`) is on the pages or in the model, and the error
 * paths really ran (their diagnostics name the broken file and line).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandinWikiJs, type StandinServer } from '../../src/lib/wikijs/standin-server.ts';
import { runCliAsync, type CliResult } from '../cli/run-cli.ts';
import { buildSite, ROOT } from '../site/helpers.ts';
import { C, CANARY_MARK, CANARY_SUFFIX, LATE, plantCanaries, type Canary } from './canary-fixture.ts';

/** One thing the tools wrote: a file, a stream, a request body, a Git object. */
interface Output {
  readonly label: string;
  readonly bytes: Buffer;
}

const TOKEN = LATE.wikiToken;
const PREFIX = 'home/Platform';

describe('secrets canary', () => {
  let work: string;
  let repo: string;
  let bare: string;
  let server: StandinServer;
  let canaries: Canary[];
  let gitEnv: NodeJS.ProcessEnv;
  let siteStarted = 0;
  const outputs: Output[] = [];
  /** Folders whose every file is scanned at the end (the subprocesses' TMPDIR among them). */
  const trees: string[] = [];
  /** The files the test wrote as input (the planted repository, token and config files): not scanned. */
  const inputs = new Set<string>();
  const writeInput = (file: string, text: string, mode?: number) => {
    writeFileSync(file, text, mode === undefined ? undefined : { mode });
    inputs.add(file);
  };

  const record = (label: string, data: string | Buffer) => outputs.push({ label, bytes: Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8') });

  /** Runs the CLI in the work folder and records both streams. */
  const cli = async (label: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> => {
    const result = await runCliAsync(args, { cwd: work, env: { ...gitEnv, SOURCE_DATE_EPOCH: '1767225600', WIKIJS_TOKEN: '', ...env } });
    record(`${label} (stdout)`, result.stdout);
    record(`${label} (stderr)`, result.stderr);
    return result;
  };

  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
  const pagesText = () => filesUnder(path.join(work, 'content')).map((f) => readFileSync(f, 'utf8')).join('\n');
  const canaryFile = (rel: string) => path.join(repo, rel);
  const edit = (rel: string, from: string, to: string) => {
    const text = readFileSync(canaryFile(rel), 'utf8');
    expect(text, `${rel} holds ${JSON.stringify(from)}`).toContain(from);
    writeFileSync(canaryFile(rel), text.replace(from, to));
  };

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'cw-canary-'));
    repo = path.join(work, 'homelab');
    bare = path.join(work, 'storage.git');
    mkdirSync(path.join(work, 'tmp'));
    writeFileSync(path.join(work, 'gitconfig'), '[user]\n\tname = Operator\n\temail = op@example.home\n');
    gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: path.join(work, 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1', HOME: work, TMPDIR: path.join(work, 'tmp') };
    delete gitEnv.WIKIJS_TOKEN;
    execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', bare], { env: gitEnv });
    canaries = plantCanaries(repo);
    for (const file of filesUnder(repo)) inputs.add(file);
    server = await startStandinWikiJs({ keys: { [TOKEN]: 'write' }, writeDelayMs: 1, updatedAtBumpMs: 5 });
    trees.push(work);
  });

  afterAll(async () => {
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('plants every canary where the tools read it', () => {
    expect(canaries.length).toBeGreaterThanOrEqual(25);
    const all = [...canaries.map((c) => c.value), ...Object.values(LATE)];
    expect(new Set(all).size, 'each canary is distinct').toBe(all.length);
    // No canary contains another (a leak of one is never counted as a leak of the other).
    for (const a of all) for (const b of all) if (a !== b) expect(a.includes(b)).toBe(false);
    for (const c of canaries) {
      expect(readFileSync(canaryFile(c.file), 'utf8'), `${c.place} is planted in ${c.file}`).toContain(c.value);
      expect(c.value.startsWith(CANARY_MARK) && c.value.endsWith(CANARY_SUFFIX)).toBe(true);
    }
    // The values are used: Compose reads the .env beside the stack and the env_file the service names.
    expect(readFileSync(canaryFile('canary/compose.yml'), 'utf8')).toContain('APP_SETTING: ${SHARED_DB_PASSWORD}');
    expect(readFileSync(canaryFile('canary/compose.yml'), 'utf8')).toContain('env_file: ./app.env');
    expect(readFileSync(canaryFile('databases/compose.yml'), 'utf8')).toContain('--requirepass ${REDIS_PASSWORD');
  });

  it('generate, check (text, json, github) and model document every entry, values hidden', async () => {
    const generated = await cli('generate', ['generate', '--source', 'homelab', '--out', 'content']);
    expect(generated.code, generated.stderr).toBe(0);
    expect(existsSync(path.join(work, 'content/.compose-wiki/findings.json')), 'the findings sidecar is written').toBe(true);
    for (const format of ['text', 'json', 'github']) {
      const checked = await cli(`check --format ${format}`, ['check', '--source', 'homelab', '--content', 'content', '--format', format]);
      // Literal secrets are findings (errors): exit 1, and they are reported by name.
      expect(checked.code, checked.stderr).toBe(1);
      expect(checked.stdout).toMatch(/literal-secret/);
    }
    const model = await cli('model', ['model', '--source', 'homelab']);
    expect(model.code, model.stderr).toBeLessThanOrEqual(1);
    const modelJson = await cli('model --json', ['model', '--source', 'homelab', '--json']);
    expect(modelJson.code, modelJson.stderr).toBeLessThanOrEqual(1);

    // The entries were documented with their values hidden, not dropped.
    const pages = pagesText();
    for (const c of canaries.filter((x) => x.shown.in !== 'site')) {
      const haystack = c.shown.in === 'model' ? modelJson.stdout : pages;
      expect(haystack.includes(c.shown.text), `${c.place}: "${c.shown.text}" is in the ${c.shown.in}`).toBe(true);
    }
    // The real .env files were read (not only the examples): the value interpolated from one is
    // in the model, its credentials masked.
    for (const file of ['canary/.env', 'databases/.env']) expect(modelJson.stdout).toMatch(new RegExp(`"path": "${file}",\\s*"role": "dotenv"`));
    expect(modelJson.stdout).toContain('"value": "https://svc:***@upstream.example.home/api"');
    expect(pages).toContain('【F:canary/app.env†');
    expect(pages).toContain('## Configuration & Secrets');
    expect(pages).toMatch(/canary-app/);
  });

  it('the site built from the generated pages', () => {
    siteStarted = Date.now();
    const outDir = path.join(work, 'site');
    // Forge links from a template someone pasted with a token in it.
    const forge = `https://ci:${LATE.forgeUrlPassword}@git.example.com/homelab/src/branch/main/{path}#L{start}-L{end}`;
    const built = buildSite({ content: path.join(work, 'content'), source: repo, outDir, env: { COMPOSE_WIKI_FORGE_URL: forge } });
    record('site build log', built.log);
    // The cache folder sits beside outDir (inside work, so it is scanned); Astro also writes
    // type files into the project's .astro folder.
    const sourcePage = path.join(outDir, 'source/canary/compose.yml/index.html');
    expect(existsSync(sourcePage), 'the source viewer shows the canary compose file').toBe(true);
    const viewed = readFileSync(sourcePage, 'utf8').replace(/<[^>]*>/g, '').replace(/&#x26;|&amp;/g, '&').replace(/&#x22;|&quot;/g, '"').replace(/&#x27;|&#39;/g, "'");
    for (const c of canaries.filter((x) => x.shown.in === 'site')) {
      expect(viewed.includes(c.shown.text), `${c.place}: "${c.shown.text}" is in the source viewer`).toBe(true);
    }
    const appPage = path.join(outDir, 'home/Platform/Stacks/canary/canary-app/index.html');
    expect(existsSync(appPage)).toBe(true);
    expect(readFileSync(appPage, 'utf8'), 'forge links are made').toContain('https://git.example.com/homelab/src/branch/main/canary/compose.yml#L');
    const astro = path.join(ROOT, '.astro');
    for (const file of filesUnder(astro)) if (statSync(file).mtimeMs >= siteStarted - 1000) record(`project .astro: ${path.relative(ROOT, file)}`, readFileSync(file));
  });

  it('publish to Wiki.js: wrong keys and credentials in the address refused, dry run with diffs, real run', async () => {
    const url = ['publish', '--url', server.url, '--content', 'content', '--prefix', PREFIX];
    const wrong = await cli('publish (wrong key in WIKIJS_TOKEN)', url, { WIKIJS_TOKEN: LATE.wrongToken });
    expect(wrong.code).toBe(2);
    expect(server.writeCount).toBe(0);

    writeInput(path.join(work, 'wiki-token.txt'), `${LATE.tokenFileToken}\n`, 0o600);
    writeInput(path.join(work, 'token-file.yaml'), 'source: homelab\nwikijs:\n  tokenFile: wiki-token.txt\n');
    const fromFile = await cli('publish (wrong key in wikijs.tokenFile)', [...url, '--config', 'token-file.yaml']);
    expect(fromFile.code).toBe(2);
    expect(server.writeCount).toBe(0);

    const dry = await cli('publish --dry-run --diff (all new)', [...url, '--dry-run', '--diff'], { WIKIJS_TOKEN: TOKEN });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/create/i);
    const real = await cli('publish (create)', url, { WIKIJS_TOKEN: TOKEN });
    expect(real.code, real.stderr).toBe(0);
    expect(server.page(`${PREFIX}/Stacks/canary/canary-app`)?.content).toContain('DB_PASSWORD');

    // A wiki address with credentials in it: refused or failed, never echoed.
    const credUrl = server.url.replace('http://', `http://admin:${LATE.wikiUrlPassword}@`);
    const withCreds = await cli('publish (credentials in --url)', ['publish', '--url', credUrl, '--content', 'content', '--prefix', PREFIX], { WIKIJS_TOKEN: TOKEN });
    expect(withCreds.code).not.toBe(0);
    // A citation link template with credentials: every published link would carry them.
    const sourceUrl = `https://ci:${LATE.sourceUrlPassword}@git.example.com/homelab/src/branch/main/{path}#L{start}-L{end}`;
    const linked = await cli('publish (credentials in --source-url)', [...url, '--source-url', sourceUrl, '--dry-run', '--diff'], { WIKIJS_TOKEN: TOKEN });
    expect(linked.code).toBe(2);
  });

  it('publish --git into a bare repository, and an unreachable storage URL with credentials', async () => {
    const first = await cli('publish --git (first)', ['publish', '--git', bare, '--branch', 'main', '--content', 'content']);
    expect(first.code, first.stderr).toBe(0);
    const unreachable = await cli('publish --git (credentials in an unreachable URL)', ['publish', '--git', `http://oauth2:${LATE.gitUrlPassword}@127.0.0.1:9/wiki.git`, '--branch', 'main', '--content', 'content']);
    expect(unreachable.code).not.toBe(0);
  });

  it('stale pages: check prints diffs; publish diffs, 500s and retries; a second Git commit', async () => {
    // The application's image moves, a secret variable is added and a literal secret changes.
    edit('canary/compose.yml', 'image: ghcr.io/example/canary-app:1.4.2', 'image: ghcr.io/example/canary-app:1.5.0');
    edit('canary/compose.yml', `      DB_PASSWORD: ${C.envMap}\n`, `      DB_PASSWORD: ${LATE.staleChanged}\n      NEW_API_TOKEN: ${LATE.staleAdded}\n`);
    edit('canary/compose.yml', `--requirepass", "${C.cmdRequirepass}"`, `--requirepass", "${LATE.staleCommand}", "--verbose"`);
    for (const format of ['text', 'json', 'github']) {
      const checked = await cli(`check --format ${format} (stale)`, ['check', '--source', 'homelab', '--content', 'content', '--format', format]);
      expect(checked.code).toBe(1);
      expect(checked.stdout, `${format} reports the stale page`).toMatch(/canary-app/);
      expect(checked.stdout, `${format} names the new variable`).toContain('NEW_API_TOKEN');
    }
    const regenerated = await cli('generate (after the change)', ['generate', '--source', 'homelab', '--out', 'content']);
    expect(regenerated.code, regenerated.stderr).toBe(0);
    expect(pagesText()).toContain('NEW_API_TOKEN');

    const url = ['publish', '--url', server.url, '--content', 'content', '--prefix', PREFIX];
    const dry = await cli('publish --dry-run --diff (updates)', [...url, '--dry-run', '--diff'], { WIKIJS_TOKEN: TOKEN });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('NEW_API_TOKEN');

    writeInput(path.join(work, 'fast-retries.yaml'), 'source: homelab\nwikijs:\n  retries: 1\n  timeoutSeconds: 5\n');
    // The write check passes; every page update is answered 500 (then the connection is cut once).
    server.inject({ kind: 'status', status: 500, match: 'pages.update', count: 1000 });
    const failing = await cli('publish (every write answered 500)', [...url, '--config', 'fast-retries.yaml', '--diff'], { WIKIJS_TOKEN: TOKEN });
    server.clearFaults();
    expect(failing.code).toBe(1);
    expect(failing.stdout + failing.stderr, 'the page writes themselves failed').toMatch(/canary-app/);
    server.inject({ kind: 'cut', when: 'after', match: 'pages.update', count: 1 });
    const cut = await cli('publish (connection cut after a write)', [...url, '--config', 'fast-retries.yaml'], { WIKIJS_TOKEN: TOKEN });
    server.clearFaults();
    expect([0, 1]).toContain(cut.code);
    const recovered = await cli('publish (after the faults)', url, { WIKIJS_TOKEN: TOKEN });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(server.page(`${PREFIX}/Stacks/canary/canary-app`)?.content).toContain('NEW_API_TOKEN');

    const second = await cli('publish --git (second)', ['publish', '--git', bare, '--branch', 'main', '--content', 'content', '--diff']);
    expect(second.code, second.stderr).toBe(0);
    expect(git(bare, 'rev-list', '--count', 'main').toString().trim()).toBe('2');
  });

  it('error paths: bad compose-wiki.yaml, invalid YAML around a canary, unset ${VAR:?…}', async () => {
    writeInput(
      path.join(work, 'bad-config.yaml'),
      ['source: homelab', `token: ${LATE.configUnknownKey}`, `sourceUrl: "https://ci:${LATE.configSourceUrl}@git example.com/{path}"`, ''].join('\n'),
    );
    for (const command of [['generate', '--out', 'content'], ['check', '--content', 'content'], ['model', '--json']]) {
      const result = await cli(`${command[0]} (bad compose-wiki.yaml)`, [...command, '--config', 'bad-config.yaml']);
      expect(result.code, `${command[0]}: ${result.stdout}${result.stderr}`).toBe(2);
      expect(result.stderr, 'the error names the config file').toContain('bad-config.yaml');
    }
    // publish reads only the `wikijs:` section: a wrong value there, beside a URL with credentials.
    writeInput(path.join(work, 'bad-wikijs.yaml'), ['source: homelab', 'wikijs:', `  url: http://admin:${LATE.configWikiUrl}@127.0.0.1:9`, '  retries: lots', ''].join('\n'));
    const publish = await cli('publish (bad wikijs: section)', ['publish', '--content', 'content', '--config', 'bad-wikijs.yaml'], { WIKIJS_TOKEN: TOKEN });
    expect(publish.code, `${publish.stdout}${publish.stderr}`).toBe(2);
    expect(publish.stderr, 'the error names the config file').toContain('bad-wikijs.yaml');

    // Invalid YAML: an unclosed quote on a secret's line, and a tab on the line below another one.
    edit('canary/compose.yml', `      DB_PASSWORD: ${LATE.staleChanged}\n`, `      DB_PASSWORD: "${LATE.yamlUnclosed}\n`);
    const broken = path.join(repo, 'broken');
    mkdirSync(broken);
    writeInput(
      path.join(broken, 'compose.yml'),
      [
        'services:',
        '  tabbed:',
        '    image: alpine:3.20.3',
        '    environment:',
        `      API_KEY: ${LATE.yamlTabNeighbour}`,
        `\t  SECRET_KEY: ${LATE.yamlTab}`,
        '',
      ].join('\n'),
    );
    // Valid YAML, but a required variable is unset in the same value as a URL credential.
    const required = path.join(repo, 'required');
    mkdirSync(required);
    writeInput(
      path.join(required, 'compose.yml'),
      [
        'services:',
        '  needs-env:',
        '    image: alpine:3.20.3',
        '    environment:',
        `      DSN: postgres://app:${LATE.requiredNeighbour}@postgres/\${DB_NAME:?set DB_NAME in .env}`,
        '      ADMIN_PASSWORD: ${ADMIN_PASSWORD:?set ADMIN_PASSWORD in .env}',
        `    command: ["app", "--token", "${LATE.requiredCommand}", "--db", "\${DB_NAME:?}"]`,
        '',
      ].join('\n'),
    );
    for (const file of ['canary/compose.yml', 'broken/compose.yml', 'required/compose.yml']) {
      const text = readFileSync(canaryFile(file), 'utf8');
      expect(Object.values(LATE).some((v) => text.includes(v)), `${file} holds a canary`).toBe(true);
    }

    const generated = await cli('generate (invalid input)', ['generate', '--source', 'homelab', '--out', 'content']);
    expect(generated.code).toBe(1);
    const diagnostics = `${generated.stdout}\n${generated.stderr}`;
    expect(diagnostics, 'the unclosed quote is reported').toMatch(/canary\/compose\.yml:\d+:\d+/);
    expect(diagnostics, 'the tab is reported').toMatch(/broken\/compose\.yml:6:\d+/);
    expect(diagnostics, 'the unset variable is reported').toMatch(/required\/compose\.yml:5:\d+.*DB_NAME/);
    for (const format of ['text', 'json', 'github']) {
      const checked = await cli(`check --format ${format} (invalid input)`, ['check', '--source', 'homelab', '--content', 'content', '--format', format]);
      expect(checked.code).toBe(1);
    }
    await cli('model (invalid input)', ['model', '--source', 'homelab']);
    await cli('model --json (invalid input)', ['model', '--source', 'homelab', '--json']);
  });

  it('no canary in any byte written', () => {
    // Every request the stand-in received, and every page it stores.
    for (const [i, request] of server.requests.entries()) record(`request ${i} ${request.operation ?? request.url}`, `${request.url}\n${request.body}`);
    for (const page of server.pages()) record(`stand-in page ${page.path}`, JSON.stringify(page));
    // Every object of the storage repository (blobs, trees, commits), and its history as patches.
    record('git cat-file --batch-all-objects', git(bare, 'cat-file', '--batch-all-objects', '--batch'));
    record('git log -p --all', git(bare, 'log', '-p', '--all', '--format=fuller'));
    expect(git(bare, 'log', '-p', '--all').toString()).toContain('NEW_API_TOKEN');

    // Every file in the test's folders but the inputs the test wrote: pages, sidecar, site output
    // and cache, the subprocesses' temporary files, the bare repository's files, and anything a
    // tool may have left inside the compose repository.
    let files = 0;
    for (const tree of trees) {
      for (const file of filesUnder(tree)) {
        if (inputs.has(file)) continue;
        files++;
        const bytes = readFileSync(file);
        record(path.relative(work, file), bytes);
        // Pagefind's index is gzip-compressed: search it unpacked as well.
        if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
          try {
            record(`${path.relative(work, file)} (gunzipped)`, gunzipSync(bytes));
          } catch {
            // not gzip after all
          }
        }
      }
    }

    const values = [...new Set([...canaries.map((c) => c.value), ...Object.values(LATE)])];
    const leaks: string[] = [];
    let bytes = 0;
    for (const output of outputs) {
      bytes += output.bytes.length;
      const text = output.bytes.toString('latin1');
      for (const value of values) {
        if (text.includes(value)) leaks.push(`${output.label}: ${value} (${placeOf(value)})`);
      }
      // A canary cut short still carries its mark or its suffix.
      if (!values.some((v) => text.includes(v)) && (text.includes(CANARY_MARK) || text.includes(CANARY_SUFFIX))) {
        const at = Math.max(text.indexOf(CANARY_MARK), text.indexOf(CANARY_SUFFIX));
        leaks.push(`${output.label}: a fragment "${text.slice(Math.max(0, at - 40), at + 40)}"`);
      }
    }
    console.info(
      `secrets canary: ${canaries.length} places planted (+${Object.keys(LATE).length} for tokens, stale edits and error paths), ` +
        `${outputs.length} outputs scanned (${files} files), ${bytes.toLocaleString('en')} bytes, ${server.requests.length} requests, ${leaks.length} leaks`,
    );
    // CANARY_DUMP=<folder> keeps every scanned stream and request for a person to read.
    if (process.env.CANARY_DUMP) {
      mkdirSync(process.env.CANARY_DUMP, { recursive: true });
      outputs.forEach((o, i) => {
        if (!o.label.includes('/')) writeFileSync(path.join(process.env.CANARY_DUMP!, `${String(i).padStart(4, '0')} ${o.label.replace(/[^\w.() -]+/g, '_')}`), o.bytes);
      });
    }
    expect(leaks).toEqual([]);
    expect(files).toBeGreaterThan(200);

    function placeOf(value: string): string {
      return canaries.find((c) => c.value === value)?.place ?? Object.entries(LATE).find(([, v]) => v === value)?.[0] ?? '?';
    }
  });
});

/** Every regular file below `dir` (symlinks are not followed). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile() && !lstatSync(full).isSymbolicLink()) out.push(full);
  }
  return out;
}
