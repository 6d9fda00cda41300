/**
 * The GraphQL publisher against the stand-in Wiki.js on 127.0.0.1 (real sockets).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishToWikiApi, type ApiPublishOptions } from '../../src/lib/wikijs/publish-api.ts';
import { readContent } from '../../src/lib/wikijs/read-content.ts';
import { WikiApiDisabledError, WikiAuthError, WikiInvalidPagesError } from '../../src/lib/wikijs/errors.ts';
import { countActions, reportOk } from '../../src/lib/wikijs/plan.ts';
import { FAST, PREFIX, header, makePages, removeDir, startHarness, tempDir, withContent, writeContentDir, type Harness } from './helpers.ts';

const SOURCE_URL = 'https://git.example.com/homelab/src/branch/main/{path}#L{start}-L{end}';

describe('publish through the GraphQL API', () => {
  let h: Harness;
  const opts = (extra: Partial<ApiPublishOptions> = {}): ApiPublishOptions => ({
    url: h.server.url,
    token: h.token,
    pages: makePages(20),
    prefix: PREFIX,
    ...FAST,
    ...extra,
  });
  const mutations = (from = 0) => h.server.requests.slice(from).filter((r) => r.kind === 'mutation');
  const writeMutations = (from = 0) => mutations(from).filter((r) => !r.body.includes('compose-wiki-write-check'));

  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.server.close();
  });

  it('first publish creates every page (content files in both header forms); a second publish writes nothing', async () => {
    const dir = await tempDir('content');
    try {
      const pages = makePages(20);
      await writeContentDir(dir, pages.slice(0, 10), 'comment');
      await writeContentDir(dir, pages.slice(10), 'yaml');
      const local = await readContent(dir);
      expect(local.map((p) => p.path).sort()).toEqual(pages.map((p) => p.path).sort());

      const first = await publishToWikiApi(opts({ pages: local }));
      expect(reportOk(first)).toBe(true);
      expect(countActions(first).create).toBe(20);
      expect(h.server.pages()).toHaveLength(20);
      for (const page of pages) {
        const stored = h.server.page(page.path)!;
        expect(stored.title).toBe(page.header.title);
        expect(stored.description).toBe(page.header.description);
        expect(stored.content).toBe(page.content);
        expect(stored.tags).toEqual(['homelab', 'stack', 'compose-wiki']);
        expect(stored.isPublished).toBe(true);
      }

      await new Promise((r) => setTimeout(r, 60)); // let the server bump updatedAt after every write
      const before = h.server.requests.length;
      const writesBefore = h.server.writeCount;
      const second = await publishToWikiApi(opts({ pages: local }));
      expect(reportOk(second)).toBe(true);
      expect(countActions(second)).toMatchObject({ create: 0, update: 0, unchanged: 20 });
      expect(second.writes).toBe(0);
      expect(writeMutations(before)).toHaveLength(0);
      expect(h.server.writeCount).toBe(writesBefore);
    } finally {
      await removeDir(dir);
    }
  });

  it('a changed page updates exactly that page, sending every field; tag case alone is no change', async () => {
    const pages = makePages(20);
    await publishToWikiApi(opts({ pages }));
    const changed = pages.map((p, i) =>
      i === 7 ? withContent(p, `${p.content}\n- New note.\n`) : i === 3 ? { ...p, header: { ...p.header, tags: ['HOMELAB', 'stack'] } } : p,
    );
    const before = h.server.requests.length;
    const report = await publishToWikiApi(opts({ pages: changed }));
    expect(countActions(report)).toMatchObject({ update: 1, unchanged: 19, create: 0 });
    expect(report.entries.find((e) => e.action === 'update')).toMatchObject({ path: pages[7]!.path, changes: ['content'], status: 'done' });
    const sent = writeMutations(before);
    expect(sent).toHaveLength(1);
    const variables = JSON.parse(sent[0]!.body).variables;
    expect(Object.keys(variables).sort()).toEqual(['content', 'description', 'editor', 'id', 'isPrivate', 'isPublished', 'locale', 'path', 'tags', 'title']);
    expect(h.server.page(pages[7]!.path)!.content).toContain('- New note.');
    expect(h.server.page(pages[7]!.path)!.isPublished).toBe(true);
  });

  it('title, description, tags and published changes are updates too', async () => {
    const pages = makePages(4);
    await publishToWikiApi(opts({ pages }));
    const changed = [
      { ...pages[0]!, header: { ...pages[0]!.header, title: 'Renamed' } },
      { ...pages[1]!, header: { ...pages[1]!.header, description: 'Other' } },
      { ...pages[2]!, header: { ...pages[2]!.header, tags: ['homelab'] } },
      { ...pages[3]!, header: { ...pages[3]!.header, published: false } },
    ];
    const report = await publishToWikiApi(opts({ pages: changed }));
    expect(report.entries.map((e) => e.changes)).toEqual([['title'], ['description'], ['tags'], ['published']]);
    expect(h.server.page(pages[2]!.path)!.tags).toEqual(['homelab', 'compose-wiki']);
    expect(h.server.page(pages[3]!.path)!.isPublished).toBe(false);
  });

  it('a wrong token is refused before any write, with a clear message that does not contain the token', async () => {
    const wrong = `${h.token}-typo`;
    const error = await publishToWikiApi(opts({ token: wrong })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WikiAuthError);
    const message = (error as Error).message;
    expect(message).toContain('Guest');
    expect(message).toContain('WIKIJS_TOKEN');
    expect(message).toContain('Nothing was changed');
    expect(message).not.toContain(wrong);
    expect(message).not.toContain(h.token);
    expect(h.server.pages()).toHaveLength(0);
    expect(h.server.writeCount).toBe(0);
    expect(mutations()).toHaveLength(1); // the probe, which stores nothing
    expect(JSON.parse(mutations()[0]!.body).variables.content).toBe('');
  });

  it('a read-only key, a revoked key and a disabled API are refused before any write', async () => {
    await h.server.close();
    h = await startHarness({ keys: { 'read-only-key-1': 'read' }, revokedKeys: ['revoked-key-1'] });
    await expect(publishToWikiApi(opts({ token: 'read-only-key-1' }))).rejects.toBeInstanceOf(WikiAuthError);
    await expect(publishToWikiApi(opts({ token: 'revoked-key-1' }))).rejects.toThrow(/invalid or was revoked/);
    await h.server.close();
    h = await startHarness({ apiEnabled: false });
    await expect(publishToWikiApi(opts())).rejects.toBeInstanceOf(WikiApiDisabledError);
    expect(h.server.requests).toHaveLength(1); // not retried: a 500 with a known meaning
    expect(h.server.writeCount).toBe(0);
  });

  it('retries transient 500s, timeouts and cut connections, and loses no page', async () => {
    h.server.inject({ kind: 'status', status: 500, count: 2, match: 'pages.create' });
    h.server.inject({ kind: 'hang', when: 'after', count: 1, skip: 3, match: 'pages.create' }); // written, answer lost
    h.server.inject({ kind: 'cut', when: 'after', count: 1, skip: 6, match: 'pages.create' });
    h.server.inject({ kind: 'cut', when: 'before', count: 1, match: 'pages.list' });
    const retries: string[] = [];
    const report = await publishToWikiApi(opts({ onRetry: (i) => retries.push(i.error.code) }));
    expect(reportOk(report)).toBe(true);
    expect(retries).toEqual(expect.arrayContaining(['HTTP', 'TIMEOUT', 'CONNECTION']));
    expect(h.server.pages()).toHaveLength(20);
    expect(report.entries.filter((e) => e.note?.startsWith('already present'))).toHaveLength(2);
  });

  it('a run broken by 500s, timeouts and a cut connection fails with the list; a rerun completes with every page correct', async () => {
    const pages = makePages(20);
    await publishToWikiApi(opts({ pages: pages.slice(0, 10) }));
    const changed = pages.map((p, i) => (i < 10 && i % 2 === 0 ? withContent(p, `${p.content}\nChanged ${i}.\n`) : p));
    // More consecutive failures than retries, for a stretch of the run (the write probe passes).
    const write = (r: { kind?: string; body: string }) => r.kind === 'mutation' && !r.body.includes('compose-wiki-write-check');
    h.server.inject({ kind: 'status', status: 500, count: 12, skip: 2, match: write });
    h.server.inject({ kind: 'hang', count: 5, skip: 2, match: write });
    h.server.inject({ kind: 'cut', when: 'after', count: 4, match: write });
    const broken = await publishToWikiApi(opts({ pages: changed, retries: 2, concurrency: 3 }));
    expect(reportOk(broken)).toBe(false);
    const failed = broken.entries.filter((e) => e.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(f.error).toMatch(/HTTP 500|no answer|connection dropped/);
    const outcomes = new Set(h.server.requests.map((r) => r.outcome));
    expect([500, 'hang', 'cut'].every((o) => outcomes.has(o as never))).toBe(true);

    h.server.clearFaults();
    const rerun = await publishToWikiApi(opts({ pages: changed }));
    expect(reportOk(rerun)).toBe(true);
    expect(h.server.pages()).toHaveLength(20);
    for (const page of changed) {
      const stored = h.server.page(page.path)!;
      expect(stored.content).toBe(page.content);
      expect(stored.tags).toEqual(['homelab', 'stack', 'compose-wiki']);
      expect(stored.isPublished).toBe(true);
    }
    const third = await publishToWikiApi(opts({ pages: changed }));
    expect(third.writes).toBe(0);
  });

  it('--prune deletes only generator-tagged pages under the prefix that no longer exist locally', async () => {
    const pages = makePages(6);
    await publishToWikiApi(opts({ pages }));
    h.server.seedPage({ path: `${PREFIX}/Hardware`, content: '# Hardware\n\nHand-written.', tags: ['homelab'] });
    h.server.seedPage({ path: 'home/Other/generated-elsewhere', content: '# Elsewhere', tags: ['compose-wiki'] });
    const remaining = pages.slice(0, 4);

    const planned = await publishToWikiApi(opts({ pages: remaining }));
    expect(planned.entries.filter((e) => e.action === 'would-prune').map((e) => e.path)).toEqual([pages[4]!.path, pages[5]!.path]);
    expect(h.server.pages()).toHaveLength(8);

    const pruned = await publishToWikiApi(opts({ pages: remaining, prune: true }));
    expect(reportOk(pruned)).toBe(true);
    expect(pruned.entries.filter((e) => e.action === 'prune').map((e) => e.path)).toEqual([pages[4]!.path, pages[5]!.path]);
    expect(h.server.pages().map((p) => p.path).sort()).toEqual(
      [...remaining.map((p) => p.path), `${PREFIX}/Hardware`, 'home/Other/generated-elsewhere'].sort(),
    );
  });

  it('paths Wiki.js rejects are caught before anything is sent, naming each page', async () => {
    const pages = [
      ...makePages(2),
      { path: `${PREFIX}/Stacks/web/nginx.conf`, header: header('nginx.conf'), content: '# x', file: '/content/nginx.conf.md' },
      { path: `${PREFIX}/Stacks/my stack/x`, header: header('x'), content: '# x' },
      { path: 'db/postgres', header: header('postgres'), content: '# x' },
      { path: `${PREFIX}/Stacks/empty`, header: header('empty'), content: '  \n' },
    ];
    const error = await publishToWikiApi(opts({ pages, prefix: '' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WikiInvalidPagesError);
    const message = (error as Error).message;
    expect(message).toContain('/content/nginx.conf.md');
    expect(message).toContain('"."');
    expect(message).toContain('my stack/x');
    expect(message).toContain('"db" looks like a locale');
    expect(message).toContain('empty');
    expect(h.server.requests).toHaveLength(0);
  });

  it('dry run: a plan with create / update / unchanged / would-prune and diffs, and no write', async () => {
    const pages = makePages(5);
    await publishToWikiApi(opts({ pages: pages.slice(0, 4) }));
    const changed = [withContent(pages[0]!, '# svc-00\n\nRewritten.\n'), ...pages.slice(1, 3), pages[4]!];
    const before = h.server.requests.length;
    const plan = await publishToWikiApi(opts({ pages: changed, dryRun: true, diff: true }));
    expect(plan.entries.map((e) => [e.path.split('/').pop(), e.action])).toEqual([
      ['svc-00', 'update'],
      ['svc-01', 'unchanged'],
      ['svc-02', 'unchanged'],
      ['svc-04', 'create'],
      ['svc-03', 'would-prune'],
    ]);
    expect(plan.entries[0]!.diff).toContain('+Rewritten.');
    expect(plan.entries[0]!.diff).toContain('--- wiki/');
    expect(plan.entries[3]!.diff).toContain('+# svc-04');
    expect(writeMutations(before)).toHaveLength(0);
    expect(h.server.writeCount).toBe(4);
  });

  it('citations become links with a source URL template, and stay text without one', async () => {
    const pages = makePages(2);
    await publishToWikiApi(opts({ pages: pages.slice(0, 1) }));
    expect(h.server.page(pages[0]!.path)!.content).toContain('【F:stack0/compose.yml†L1-L5】');
    expect(h.server.page(pages[0]!.path)!.content).not.toContain('](https://');
    await publishToWikiApi(opts({ pages, sourceUrlTemplate: SOURCE_URL }));
    const linked = h.server.page(pages[1]!.path)!;
    expect(linked.content).toContain('[【F:stack1/compose.yml†L2-L6】](https://git.example.com/homelab/src/branch/main/stack1/compose.yml#L2-L6)');
    expect(linked.content).toContain('`ghcr.io/example/svc-01:1.1`');
    expect(linked.render).toContain('href="https://git.example.com/homelab/src/branch/main/stack1/compose.yml#L2-L6"');
    // The first page now differs (links added): it is updated.
    expect(h.server.page(pages[0]!.path)!.content).toContain('](https://git.example.com/');
  });

  it('writes run a few at a time', async () => {
    h.server.setWriteDelay(40);
    let active = 0;
    let peak = 0;
    const fetchCounting: typeof fetch = async (input, init) => {
      const isWrite = String(init?.body ?? '').includes('mutation');
      if (isWrite) peak = Math.max(peak, ++active);
      try {
        return await fetch(input, init);
      } finally {
        if (isWrite) active--;
      }
    };
    await publishToWikiApi(opts({ concurrency: 3, fetch: fetchCounting, timeoutMs: 2000 }));
    expect(peak).toBe(3);
    expect(h.server.pages()).toHaveLength(20);
  });
});
