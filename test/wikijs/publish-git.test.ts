/**
 * The Git-storage target against real bare repositories made in the test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { publishToWikiGit, type GitPublishOptions } from '../../src/lib/wikijs/publish-git.ts';
import { countActions, reportOk } from '../../src/lib/wikijs/plan.ts';
import { readContent, type LocalPage } from '../../src/lib/wikijs/read-content.ts';
import { mergeStorageFile } from '../../src/lib/wikijs/merge-storage.ts';
import { importLikeWikiJs } from './wikijs-import.ts';
import { PREFIX, header, makePages, removeDir, tempDir, withContent, writeContentDir } from './helpers.ts';

let root: string;
let bare: string;
let env: NodeJS.ProcessEnv;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
}

/** A second working copy, like Wiki.js's own clone of its storage repository. */
function wikiJsClone(name: string): string {
  const dir = path.join(root, name);
  execFileSync('git', ['clone', '-q', bare, dir], { env });
  git(dir, 'config', 'user.name', 'Wiki.js');
  git(dir, 'config', 'user.email', 'wiki@example.home');
  return dir;
}

function wikiJsEdit(clone: string, file: string, edit: (text: string) => string, message: string): void {
  git(clone, 'pull', '-q', '--ff-only');
  const abs = path.join(clone, file);
  writeFileSync(abs, edit(readFileSync(abs, 'utf8')));
  git(clone, 'commit', '-q', '-am', message);
  git(clone, 'push', '-q', 'origin', 'HEAD:main');
}

function tip(): string {
  return git(bare, 'rev-parse', 'refs/heads/main');
}

const opts = (pages: readonly LocalPage[], extra: Partial<GitPublishOptions> = {}): GitPublishOptions => ({
  repo: bare,
  branch: 'main',
  pages,
  prefix: PREFIX,
  env,
  ...extra,
});

describe('publish to a Wiki.js Git-storage repository', () => {
  beforeEach(async () => {
    root = await tempDir('git');
    bare = path.join(root, 'storage.git');
    const globalConfig = path.join(root, 'gitconfig');
    writeFileSync(globalConfig, '');
    env = { ...process.env, GIT_CONFIG_GLOBAL: globalConfig, GIT_CONFIG_NOSYSTEM: '1', HOME: root };
    execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', bare], { env });
  });
  afterEach(async () => {
    await removeDir(root);
  });

  it('first publish pushes one commit; every file re-imports cleanly under Wiki.js\'s rules; a second run pushes nothing', async () => {
    const content = path.join(root, 'content');
    const pages = makePages(20);
    await writeContentDir(content, pages, 'comment');
    const local = await readContent(content);
    const first = await publishToWikiGit(opts(local, { sourceUrlTemplate: 'https://git.example.com/h/src/branch/main/{path}#L{start}-L{end}' }));
    expect(reportOk(first)).toBe(true);
    expect(first.pushed).toBe(true);
    expect(countActions(first).create).toBe(20);
    expect(tip()).toBe(first.commit);
    const message = git(bare, 'log', '-1', '--format=%B', 'main');
    expect(message).toMatch(/^docs: compose-wiki publish \(20 created\)/);
    expect(message).toContain(`create ${pages[0]!.path}.md`);
    expect(message).toContain('Generated-by: compose-wiki');

    const check = wikiJsClone('check');
    for (const page of pages) {
      const rel = `${page.path}.md`;
      const text = readFileSync(path.join(check, rel), 'utf8');
      expect(text.startsWith('---\ntitle: ')).toBe(true);
      const imported = importLikeWikiJs(rel, text);
      expect(imported).toMatchObject({
        headerParsed: true,
        locale: 'en',
        path: page.path,
        title: page.header.title,
        description: page.header.description,
        tags: ['homelab', 'stack', 'compose-wiki'],
        isPublished: true,
      });
      expect(imported.content).toContain('](https://git.example.com/h/src/branch/main/stack');
      expect(imported.content.startsWith(`# ${page.header.title}\n`)).toBe(true);
    }

    const before = tip();
    const second = await publishToWikiGit(opts(local, { sourceUrlTemplate: 'https://git.example.com/h/src/branch/main/{path}#L{start}-L{end}' }));
    expect(second.pushed).toBe(false);
    expect(second.commit).toBeUndefined();
    expect(countActions(second)).toMatchObject({ unchanged: 20, create: 0, update: 0 });
    expect(tip()).toBe(before);
  });

  it('a changed page makes one commit touching exactly that file', async () => {
    const pages = makePages(6);
    await publishToWikiGit(opts(pages));
    const changed = pages.map((p, i) => (i === 2 ? withContent(p, `${p.content}\n- Extra note.\n`) : p));
    const report = await publishToWikiGit(opts(changed));
    expect(countActions(report)).toMatchObject({ update: 1, unchanged: 5 });
    expect(git(bare, 'diff', '--name-only', 'main~1', 'main')).toBe(`${pages[2]!.path}.md`);
    expect(git(bare, 'log', '-1', '--format=%s', 'main')).toBe('docs: compose-wiki publish (1 updated)');
  });

  it('a page edited in Wiki.js is not overwritten: reported as a conflict by default, merged with a merge callback', async () => {
    const pages = makePages(4);
    await publishToWikiGit(opts(pages));
    const wiki = wikiJsClone('wikijs');
    const file = `${pages[1]!.path}.md`;
    wikiJsEdit(wiki, file, (t) => `${t}- Hand note: the disk is nearly full.\n`, `docs: update ${pages[1]!.path}`);
    const edited = tip();

    const next = pages.map((p) => withContent(p, `${p.content}\n- Generated note.\n`));
    const report = await publishToWikiGit(opts(next));
    expect(reportOk(report)).toBe(false);
    const conflict = report.entries.find((e) => e.action === 'conflict')!;
    expect(conflict.path).toBe(pages[1]!.path);
    expect(conflict.note).toContain(`docs: update ${pages[1]!.path}`);
    expect(countActions(report).update).toBe(3);
    expect(git(bare, 'show', `main:${file}`)).toBe(git(bare, 'show', `${edited}:${file}`));

    const calls: string[] = [];
    const merge = (existing: string, page: { text: string; path: string }) => {
      calls.push(page.path);
      const hand = existing.split('\n').filter((l) => l.startsWith('- Hand note'));
      return `${page.text}${hand.join('\n')}\n`;
    };
    const merged = await publishToWikiGit(opts(next, { merge }));
    expect(reportOk(merged)).toBe(true);
    expect(merged.entries.find((e) => e.path === pages[1]!.path)!.action).toBe('merge');
    const text = git(bare, 'show', `main:${file}`);
    expect(text).toContain('- Hand note: the disk is nearly full.');
    expect(text).toContain('- Generated note.');
    expect(git(bare, 'log', '-1', '--format=%B', 'main')).toContain(`merge ${file}`);

    // The merged file holds a person's words: the next run goes through the merge again, never overwrites.
    const again = await publishToWikiGit(opts(next));
    expect(again.entries.find((e) => e.path === pages[1]!.path)!.action).toBe('conflict');
    const againMerged = await publishToWikiGit(opts(next, { merge }));
    expect(againMerged.entries.find((e) => e.path === pages[1]!.path)!.action).toBe('unchanged');
    expect(calls).toEqual([pages[1]!.path, pages[1]!.path]);
  });

  it('a page edited in Wiki.js so deeply nested that it cannot be parsed is left as it is, as a conflict', async () => {
    const pages = makePages(2);
    await publishToWikiGit(opts(pages));
    const wiki = wikiJsClone('wikijs');
    const file = `${pages[0]!.path}.md`;
    wikiJsEdit(wiki, file, (t) => `${t}\n${'>'.repeat(20_000)} a note\n`, `docs: update ${pages[0]!.path}`);
    const edited = tip();

    const next = pages.map((p) => withContent(p, `${p.content}\n- Generated note.\n`));
    const report = await publishToWikiGit(opts(next, { merge: mergeStorageFile }));
    const entry = report.entries.find((e) => e.path === pages[0]!.path)!;
    expect(entry).toMatchObject({ action: 'conflict', status: 'skipped' });
    expect(entry.note).toMatch(/^edited in Wiki\.js, and the page's Markdown is nested too deeply to be parsed: line \d+ nests 20000 block quotes or list items \(in the storage file\); left as it is\./);
    expect(report.entries.find((e) => e.path === pages[1]!.path)!.action).toBe('update');
    expect(git(bare, 'show', `main:${file}`)).toBe(git(bare, 'show', `${edited}:${file}`));
  });

  it('a paragraph a person wrote in Wiki.js inside a generated section is never replaced: a conflict that names its line', async () => {
    const integrations = '## Integrations\n- Depends on `db`.【F:stack0/compose.yml†L9-L9】\n\n';
    const pages = makePages(2).map((p) => withContent(p, p.content.replace('## Operational Notes', `${integrations}## Operational Notes`)));
    await publishToWikiGit(opts(pages, { merge: mergeStorageFile }));
    const wiki = wikiJsClone('wikijs');
    const file = `${pages[0]!.path}.md`;
    wikiJsEdit(wiki, file, (t) => t.replace('## Operational Notes', 'Our SSO clients are Grafana and Paperless.\n\n## Operational Notes'), `docs: update ${pages[0]!.path}`);
    const edited = git(bare, 'show', `main:${file}`);
    const line = edited.split('\n').indexOf('Our SSO clients are Grafana and Paperless.') + 1;

    const next = pages.map((p) => withContent(p, `${p.content}- Generated note.\n`));
    const report = await publishToWikiGit(opts(next, { merge: mergeStorageFile }));
    const entry = report.entries.find((e) => e.path === pages[0]!.path)!;
    expect(entry).toMatchObject({ action: 'conflict', status: 'skipped' });
    expect(entry.note).toBe(
      `edited in Wiki.js, and text under "Integrations" (line ${line} of the storage file) is not what compose-wiki writes there and would be replaced; left as it is. Move that text to Operational Notes or under a heading of its own in Wiki.js, then publish again.`,
    );
    expect(git(bare, 'show', `main:${file}`)).toBe(edited);
    expect(report.entries.find((e) => e.path === pages[1]!.path)!.action).toBe('update');

    // Moved under Operational Notes, it is merged and kept.
    wikiJsEdit(wiki, file, (t) => t.replace('Our SSO clients are Grafana and Paperless.\n\n', '').replace('- Restarted nightly.', '- Restarted nightly.\n- Our SSO clients are Grafana and Paperless.'), `docs: update ${pages[0]!.path}`);
    const moved = await publishToWikiGit(opts(next, { merge: mergeStorageFile }));
    expect(moved.entries.find((e) => e.path === pages[0]!.path)!.action).toBe('merge');
    const text = git(bare, 'show', `main:${file}`);
    expect(text).toContain('- Our SSO clients are Grafana and Paperless.');
    expect(text).toContain('- Generated note.');
  });

  it('a re-export by Wiki.js that only changed its dates is not a hand edit: the page is still updated', async () => {
    const pages = makePages(2);
    await publishToWikiGit(opts(pages));
    const wiki = wikiJsClone('wikijs');
    const file = `${pages[0]!.path}.md`;
    wikiJsEdit(wiki, file, (t) => t.replace(/^date: .*$/m, 'date: 2027-03-04T05:06:07.890Z').replace(/^dateCreated: .*$/m, 'dateCreated: 2027-03-04T05:06:07.890Z'), `docs: update ${pages[0]!.path}`);
    const report = await publishToWikiGit(opts([withContent(pages[0]!, `${pages[0]!.content}\n- v2\n`), pages[1]!]));
    expect(reportOk(report)).toBe(true);
    expect(report.entries[0]).toMatchObject({ action: 'update', changes: ['content'] });
    const text = git(bare, 'show', `main:${file}`);
    expect(text).toContain('- v2');
    expect(text).toContain('dateCreated: 2027-03-04T05:06:07.890Z'); // Wiki.js's creation date is kept
  });

  it('--prune deletes only generator-tagged files under the prefix that compose-wiki wrote', async () => {
    const pages = makePages(5);
    await publishToWikiGit(opts(pages));
    const wiki = wikiJsClone('wikijs');
    await mkdir(path.join(wiki, PREFIX), { recursive: true });
    writeFileSync(path.join(wiki, PREFIX, 'Hardware.md'), '---\ntitle: Hardware\ndescription: \npublished: true\ntags: homelab\neditor: markdown\n---\n\n# Hardware\n');
    git(wiki, 'add', '.');
    git(wiki, 'commit', '-q', '-m', 'docs: create home/Platform/Hardware');
    git(wiki, 'push', '-q', 'origin', 'HEAD:main');

    const remaining = pages.slice(0, 3);
    const plan = await publishToWikiGit(opts(remaining));
    expect(plan.entries.filter((e) => e.action === 'would-prune').map((e) => e.path).sort()).toEqual([pages[3]!.path, pages[4]!.path].sort());
    expect(plan.pushed).toBe(false);

    const pruned = await publishToWikiGit(opts(remaining, { prune: true }));
    expect(pruned.entries.filter((e) => e.action === 'prune').map((e) => e.path).sort()).toEqual([pages[3]!.path, pages[4]!.path].sort());
    expect(git(bare, 'log', '-1', '--format=%s', 'main')).toBe('docs: compose-wiki publish (2 deleted)');
    const files = git(bare, 'ls-tree', '-r', '--name-only', 'main').split('\n');
    expect(files).toContain(`${PREFIX}/Hardware.md`);
    expect(files).not.toContain(`${pages[3]!.path}.md`);
    expect(files).toHaveLength(4);
  });

  it('dry run: a plan with diffs, nothing committed or pushed', async () => {
    const pages = makePages(3);
    await publishToWikiGit(opts(pages.slice(0, 2)));
    const before = tip();
    const plan = await publishToWikiGit(opts([withContent(pages[0]!, '# svc-00\n\nNew.\n'), pages[1]!, pages[2]!], { dryRun: true, diff: true }));
    expect(plan.entries.map((e) => e.action)).toEqual(['update', 'unchanged', 'create']);
    expect(plan.entries[0]!.diff).toContain('+New.');
    expect(plan.entries[2]!.diff).toContain('+title: svc-02');
    expect(plan.commit).toBeUndefined();
    expect(tip()).toBe(before);
  });

  it('when Wiki.js pushes in the middle of a publish, it starts over from the new tip and pushes', async () => {
    const pages = makePages(3);
    await publishToWikiGit(opts(pages));
    const wiki = wikiJsClone('wikijs');
    wikiJsEdit(wiki, `${pages[0]!.path}.md`, (t) => `${t}- Hand.\n`, `docs: update ${pages[0]!.path}`);
    let raced = false;
    const merge = (existing: string) => {
      if (!raced) {
        raced = true; // Wiki.js syncs another page right now
        wikiJsEdit(wiki, `${pages[2]!.path}.md`, (t) => `${t}- Also hand.\n`, `docs: update ${pages[2]!.path}`);
      }
      return existing;
    };
    const changed = pages.map((p) => withContent(p, `${p.content}\n- v2\n`));
    const report = await publishToWikiGit(opts(changed, { merge }));
    expect(raced).toBe(true);
    expect(report.pushed).toBe(true);
    // Started over: the page Wiki.js changed meanwhile went through the merge too, not overwritten.
    expect(git(bare, 'show', `main:${pages[2]!.path}.md`)).toContain('- Also hand.');
    expect(git(bare, 'show', `main:${pages[1]!.path}.md`)).toContain('- v2');
  });

  it('publishes into an empty repository on a new branch, and into a sub-folder', async () => {
    const pages = [{ path: `${PREFIX}/only`, header: header('only'), content: '# only\n' }];
    const report = await publishToWikiGit(opts(pages, { branch: 'wiki', dir: 'docs' }));
    expect(report.pushed).toBe(true);
    expect(git(bare, 'ls-tree', '-r', '--name-only', 'wiki')).toBe(`docs/${PREFIX}/only.md`);
    expect(existsSync(path.join(bare, 'refs', 'heads', 'main'))).toBe(false);
  });
});
