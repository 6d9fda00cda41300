/**
 * `compose-wiki publish --git` as a subprocess against a real bare repository: a page a person
 * edited in Wiki.js (synced into the storage repository) is merged, never overwritten.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/homelab/', import.meta.url));
const FILE = 'home/Platform/Stacks/authentik/authentik-server.md';

describe('compose-wiki publish --git', () => {
  let work: string;
  let bare: string;
  let env: NodeJS.ProcessEnv;
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();

  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'cw-publish-git-'));
    bare = path.join(work, 'storage.git');
    writeFileSync(path.join(work, 'gitconfig'), '[user]\n\tname = Operator\n\temail = op@example.home\n');
    env = { ...process.env, GIT_CONFIG_GLOBAL: path.join(work, 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1', HOME: work };
    execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', bare], { env });
    cpSync(EXAMPLE, path.join(work, 'homelab'), { recursive: true });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const cli = (...args: string[]) => runCli(args, { cwd: work, env: { ...env, SOURCE_DATE_EPOCH: '1767225600' } });

  it('pushes the pages, pushes nothing the second time, and merges a Wiki.js edit', () => {
    expect(cli('generate', '--source', 'homelab', '--out', 'content').code).toBe(0);
    const first = cli('publish', '--git', bare, '--branch', 'main', '--content', 'content');
    expect(first.code, first.stderr).toBe(0);
    const tip = git(bare, 'rev-parse', 'main');
    const again = cli('publish', '--git', bare, '--branch', 'main', '--content', 'content');
    expect(again.code, again.stderr).toBe(0);
    expect(git(bare, 'rev-parse', 'main')).toBe(tip);

    // A person edits the page in Wiki.js; Wiki.js commits it to its storage repository.
    const wiki = path.join(work, 'wiki-clone');
    execFileSync('git', ['clone', '-q', bare, wiki], { env });
    const wikiFile = path.join(wiki, FILE);
    const edited = readFileSync(wikiFile, 'utf8')
      .replace(/^tags: (.*)$/m, 'tags: $1, identity')
      .replace('## Operational Notes\n', '## Operational Notes\n\n- Written in Wiki.js: call the on-call admin before restarting.\n');
    writeFileSync(wikiFile, `${edited.trimEnd()}\n\n## Contacts\n\nWritten in Wiki.js: the identity team owns this service.\n`);
    git(wiki, 'commit', '-q', '-am', `docs: update ${FILE.replace(/\.md$/, '')}`);
    git(wiki, 'push', '-q', 'origin', 'HEAD:main');

    // The compose file changes; the pages are regenerated and published again.
    const compose = path.join(work, 'homelab/authentik/compose.yml');
    writeFileSync(compose, readFileSync(compose, 'utf8').replace('server:2025.8.4\n    container_name: authentik-server', 'server:2025.10.1\n    container_name: authentik-server'));
    expect(cli('generate', '--source', 'homelab', '--out', 'content').code).toBe(0);
    const third = cli('publish', '--git', bare, '--branch', 'main', '--content', 'content');
    expect(third.code, `${third.stdout}\n${third.stderr}`).toBe(0);
    git(wiki, 'pull', '-q', '--ff-only');
    const merged = readFileSync(wikiFile, 'utf8');
    expect(merged).toContain('`ghcr.io/goauthentik/server:2025.10.1`');
    expect(merged).toContain('- Written in Wiki.js: call the on-call admin before restarting.');
    expect(merged).toContain('## Contacts\n\nWritten in Wiki.js: the identity team owns this service.');
    expect(merged).toMatch(/^tags: .*identity/m);
    expect(merged.startsWith('---\n')).toBe(true);
  });
});
