/**
 * The stand-in reproduces the real Wiki.js 2.5's quirks (../../../shared/wikijs.md and the Wiki.js
 * 2.x sources). Each test pins one, through raw GraphQL, so the publisher's tests stand on a
 * faithful double.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawGraphQL, startHarness, type Harness } from './helpers.ts';

const CREATE = `mutation ($content: String!, $description: String!, $editor: String!, $isPublished: Boolean!,
  $isPrivate: Boolean!, $locale: String!, $path: String!, $tags: [String]!, $title: String!) {
  pages { create(content: $content, description: $description, editor: $editor, isPublished: $isPublished,
    isPrivate: $isPrivate, locale: $locale, path: $path, tags: $tags, title: $title) {
    responseResult { succeeded errorCode slug message } page { id path title } } } }`;
const SINGLE = `query ($path: String!, $locale: String!) { pages { singleByPath(path: $path, locale: $locale) {
  id path locale title description editor isPublished isPrivate createdAt updatedAt tags { tag } content } } }`;
const LIST = `query ($locale: String) { pages { list(locale: $locale, orderBy: PATH, orderByDirection: ASC) {
  id path locale title description isPublished createdAt updatedAt tags } } }`;

function vars(path: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { content: '# x\n\nbody', description: 'd', editor: 'markdown', isPublished: true, isPrivate: false, locale: 'en', path, tags: ['Homelab', 'HOMELAB', ' Stack '], title: 'X', ...extra };
}

describe('stand-in Wiki.js quirks', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.server.close();
  });

  it('API disabled: a valid key gets HTTP 500 with the exact message', async () => {
    h.server.setApiEnabled(false);
    const r = await rawGraphQL(h.server, LIST, { locale: 'en' }, h.token);
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ data: {}, errors: [{ message: 'API is disabled. You must enable it from the Administration Area first.', path: [] }] });
  });

  it('a revoked key gets HTTP 500 "API Key is invalid or was revoked."', async () => {
    await h.server.close();
    h = await startHarness({ revokedKeys: ['old-key-123'] });
    const r = await rawGraphQL(h.server, LIST, { locale: 'en' }, 'old-key-123');
    expect(r.status).toBe(500);
    expect(r.json.errors[0].message).toBe('API Key is invalid or was revoked.');
  });

  it('unknown, malformed and missing tokens run as Guest: list works, source reads and writes are forbidden', async () => {
    h.server.seedPage({ path: 'home/a', content: 'A' });
    for (const token of ['wrong-token', undefined]) {
      const list = await rawGraphQL(h.server, LIST, { locale: 'en' }, token);
      expect(list.status).toBe(200);
      expect(list.json.data.pages.list.map((p: { path: string }) => p.path)).toEqual(['home/a']);
      const single = await rawGraphQL(h.server, SINGLE, { path: 'home/a', locale: 'en' }, token);
      expect(single.json.data.pages.singleByPath).toBeNull();
      expect(single.json.errors[0].extensions.exception.code).toBe(6013);
      const create = await rawGraphQL(h.server, CREATE, vars('home/b'), token);
      // The real server answers a forbidden create with PageDeleteForbidden (6010).
      expect(create.json.data.pages.create.responseResult).toMatchObject({ succeeded: false, errorCode: 6010, slug: 'PageDeleteForbidden' });
      const update = await rawGraphQL(
        h.server,
        `mutation { pages { update(id: 1, content: "x", tags: []) { responseResult { succeeded errorCode slug } } } }`,
        {},
        token,
      );
      expect(update.json.data.pages.update.responseResult).toMatchObject({ succeeded: false, errorCode: 6009, slug: 'PageUpdateForbidden' });
    }
    const bad = await rawGraphQL(h.server, LIST, { locale: 'en' }, 'Basic Zm9vOmJhcg==');
    expect(bad.status).toBe(200);
    expect(h.server.pages()).toHaveLength(1);
  });

  it('create: 6002 duplicate, 6004 empty content, tags lower-cased and de-duplicated', async () => {
    const ok = await rawGraphQL(h.server, CREATE, vars('home/a'), h.token);
    expect(ok.json.data.pages.create.responseResult).toMatchObject({ succeeded: true, errorCode: 0, slug: 'ok' });
    expect(h.server.page('home/a')!.tags).toEqual(['homelab', 'stack']);
    const dup = await rawGraphQL(h.server, CREATE, vars('home/a'), h.token);
    expect(dup.json.data.pages.create.responseResult).toMatchObject({ succeeded: false, errorCode: 6002, slug: 'PageDuplicateCreate' });
    const empty = await rawGraphQL(h.server, CREATE, vars('home/c', { content: '  \n' }), h.token);
    expect(empty.json.data.pages.create.responseResult).toMatchObject({ succeeded: false, errorCode: 6004, slug: 'PageEmptyContent' });
    expect(h.server.pages()).toHaveLength(1);
  });

  it('create: checks path, then permission, then duplicate, then content (the probe relies on this order)', async () => {
    h.server.seedPage({ path: 'home/a', content: 'A' });
    const guestEmpty = await rawGraphQL(h.server, CREATE, vars('home/x', { content: '' }), 'nope');
    expect(guestEmpty.json.data.pages.create.responseResult.errorCode).toBe(6010);
    const keyEmpty = await rawGraphQL(h.server, CREATE, vars('home/x', { content: '' }), h.token);
    expect(keyEmpty.json.data.pages.create.responseResult.errorCode).toBe(6004);
    const keyDupEmpty = await rawGraphQL(h.server, CREATE, vars('home/a', { content: '' }), h.token);
    expect(keyDupEmpty.json.data.pages.create.responseResult.errorCode).toBe(6002);
    const guestIllegal = await rawGraphQL(h.server, CREATE, vars('home/a.b'), 'nope');
    expect(guestIllegal.json.data.pages.create.responseResult.errorCode).toBe(6005);
    expect(h.server.pages()).toHaveLength(1);
  });

  it('create: 6005 for dots, spaces, backslashes, //, reserved and locale-like first segments; slashes stripped', async () => {
    for (const bad of ['home/a.b', 'home/a b', 'home\\\\a', 'home//a', 'x/page', 'en/page', 'db/postgres', 'pt-br/page', 'login/x', 'js/app']) {
      const r = await rawGraphQL(h.server, CREATE, vars(bad), h.token);
      expect(r.json.data.pages.create.responseResult, bad).toMatchObject({ succeeded: false, errorCode: 6005, slug: 'PageIllegalPath' });
    }
    const ok = await rawGraphQL(h.server, CREATE, vars('/home/ok/'), h.token);
    expect(ok.json.data.pages.create.page.path).toBe('home/ok');
    expect(h.server.pages().map((p) => p.path)).toEqual(['home/ok']);
  });

  it('6003 on a missing page is a top-level error with the field nulled (not a plain null)', async () => {
    const r = await rawGraphQL(h.server, SINGLE, { path: 'home/none', locale: 'en' }, h.token);
    expect(r.status).toBe(200);
    expect(r.json.data).toEqual({ pages: { singleByPath: null } });
    expect(r.json.errors[0]).toMatchObject({ message: 'This page does not exist.', path: ['pages', 'singleByPath'], extensions: { exception: { code: 6003 } } });
    const single = await rawGraphQL(h.server, 'query { pages { single(id: 99) { render } } }', {}, h.token);
    expect(single.json.errors[0].extensions.exception.code).toBe(6003);
  });

  it('update is not a patch: a missing isPublished unpublishes, a missing tags writes the content then fails', async () => {
    const page = h.server.seedPage({ path: 'home/a', content: 'old', title: 'Old', tags: ['keep'] });
    const r1 = await rawGraphQL(
      h.server,
      `mutation ($id: Int!) { pages { update(id: $id, content: "new", title: "New", tags: ["keep"]) { responseResult { succeeded } } } }`,
      { id: page.id },
      h.token,
    );
    expect(r1.json.data.pages.update.responseResult.succeeded).toBe(true);
    expect(h.server.page('home/a')).toMatchObject({ content: 'new', title: 'New', isPublished: false });
    const r2 = await rawGraphQL(
      h.server,
      `mutation ($id: Int!) { pages { update(id: $id, content: "newer", isPublished: true) { responseResult { succeeded errorCode slug message } } } }`,
      { id: page.id },
      h.token,
    );
    expect(r2.json.data.pages.update.responseResult).toMatchObject({ succeeded: false, errorCode: 1, slug: 'TypeError' });
    expect(h.server.page('home/a')).toMatchObject({ content: 'newer', isPublished: true, tags: ['keep'] });
  });

  it('selecting page { locale } on create nulls page with an error although the write succeeded', async () => {
    const q = CREATE.replace('page { id path title }', 'page { id path locale }');
    const r = await rawGraphQL(h.server, q, vars('home/loc'), h.token);
    expect(r.status).toBe(200);
    expect(r.json.data.pages.create.page).toBeNull();
    expect(r.json.data.pages.create.responseResult.succeeded).toBe(true);
    expect(r.json.errors[0].message).toBe('Cannot return null for non-nullable field Page.locale.');
    expect(h.server.page('home/loc')).toBeDefined();
  });

  it('list returns tags as plain strings; selecting a subfield of them is a validation error (HTTP 400)', async () => {
    h.server.seedPage({ path: 'home/a', content: 'A', tags: ['One'] });
    const r = await rawGraphQL(h.server, LIST, { locale: 'en' }, h.token);
    expect(r.json.data.pages.list[0].tags).toEqual(['one']);
    const bad = await rawGraphQL(h.server, LIST.replace('updatedAt tags', 'updatedAt tags { tag }'), { locale: 'en' }, h.token);
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].message).toContain('must not have a selection');
  });

  it('GraphQL validation: missing required arguments and variables are refused before executing', async () => {
    const missingArg = await rawGraphQL(h.server, 'mutation { pages { create(content: "x") { responseResult { succeeded } } } }', {}, h.token);
    expect(missingArg.status).toBe(400);
    expect(missingArg.json.errors.map((e: { message: string }) => e.message).join('\n')).toContain('argument "title" of type "String!" is required');
    const missingVar = await rawGraphQL(h.server, SINGLE, { path: 'home/a' }, h.token);
    expect(missingVar.status).toBe(400);
    expect(missingVar.json.errors[0].message).toBe('Variable "$locale" of required type "String!" was not provided.');
    const syntax = await rawGraphQL(h.server, 'query { pages { list { id } }', {}, h.token);
    expect(syntax.status).toBe(400);
    expect(syntax.json.errors[0].message).toMatch(/^Syntax Error/);
    expect(h.server.writeCount).toBe(0);
  });

  it('a write takes the configured delay, and updatedAt is bumped again shortly after', async () => {
    h.server.setWriteDelay(80);
    const started = Date.now();
    await rawGraphQL(h.server, CREATE, vars('home/slow'), h.token);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    const first = h.server.page('home/slow')!.updatedAt;
    await new Promise((r) => setTimeout(r, 60));
    expect(h.server.page('home/slow')!.updatedAt > first).toBe(true);
  });

  it('fault hooks: HTTP status, hang, and a cut socket — before or after the write', async () => {
    h.server.inject({ kind: 'status', status: 502, count: 1 });
    const r502 = await rawGraphQL(h.server, LIST, { locale: 'en' }, h.token);
    expect(r502.status).toBe(502);

    h.server.inject({ kind: 'cut', when: 'after', match: 'pages.create' });
    await expect(rawGraphQL(h.server, CREATE, vars('home/cut'), h.token)).rejects.toThrow();
    expect(h.server.page('home/cut')).toBeDefined();

    h.server.inject({ kind: 'hang', match: 'mutation' });
    await expect(
      fetch(`${h.server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token}` },
        body: JSON.stringify({ query: CREATE, variables: vars('home/hang') }),
        signal: AbortSignal.timeout(150),
      }),
    ).rejects.toThrow();
    expect(h.server.page('home/hang')).toBeUndefined();
    expect(h.server.requests.map((r) => r.outcome)).toEqual([502, 'cut', 'hang']);
    expect(h.server.requests[1]!.body).toContain('home/cut');
  });

  it('single { render } returns the rendered page', async () => {
    const page = h.server.seedPage({ path: 'home/r', content: '# T\n\nSee [src](https://git.example.com/a#L1-L2).' });
    const r = await rawGraphQL(h.server, 'query ($id: Int!) { pages { single(id: $id) { render } } }', { id: page.id }, h.token);
    expect(r.json.data.pages.single.render).toContain('<a class="is-external-link" href="https://git.example.com/a#L1-L2">src</a>');
  });
});
