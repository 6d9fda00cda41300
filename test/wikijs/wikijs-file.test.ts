/** Wiki.js's Git-storage file format: our writer, checked with Wiki.js's own import rules. */
import { describe, expect, it } from 'vitest';
import { serializeWikiFile, wikiHeaderLine } from '../../src/lib/wikijs/wikijs-file.ts';
import { preparePages } from '../../src/lib/wikijs/plan.ts';
import { importLikeWikiJs } from './wikijs-import.ts';
import { header } from './helpers.ts';

describe('Wiki.js import rules (the helper reproduces them)', () => {
  it('a title containing ": " written raw, as Wiki.js itself writes it, breaks the header: it lands in the body', () => {
    const raw = '---\ntitle: Redis: cache and queue\ndescription: x\npublished: true\ntags: a, b\n---\n\n# Body\n';
    const imported = importLikeWikiJs('home/Platform/redis.md', raw);
    expect(imported.headerParsed).toBe(false);
    expect(imported.title).toBe('redis');
    expect(imported.content).toBe(raw);
  });

  it('reads isPublished, not published; splits tags on ", "; a two-letter first folder is a locale', () => {
    const a = importLikeWikiJs('home/x.md', '---\ntitle: X\npublished: false\ntags: one, Two\n---\n\nbody');
    expect(a).toMatchObject({ title: 'X', isPublished: true, tags: ['one', 'Two'], content: 'body', locale: 'en' });
    const b = importLikeWikiJs('db/postgres.md', '---\ntitle: P\nisPublished: false\n---\n\nbody');
    expect(b).toMatchObject({ locale: 'db', path: 'postgres', isPublished: false });
    expect(() => importLikeWikiJs('home/y.md', '---\ntitle: Y\ntags: [a, b]\n---\n\nbody')).toThrow(TypeError);
  });

  it('a comment-form header on a Markdown page stays in the body and the title comes from the file name', () => {
    const seed = '<!--\ntitle: authentik-server\ndescription:\npublished: true\n-->\n\n# authentik-server\n';
    expect(importLikeWikiJs('home/authentik-server.md', seed)).toMatchObject({ headerParsed: false, title: 'authentik-server', content: seed });
  });
});

describe('our Git-storage files', () => {
  it('are exactly Wiki.js\'s layout: `---`, seven fields in order, raw values, blank line, content', async () => {
    const [page] = await preparePages([
      { path: 'home/Platform/authentik-server', header: header('authentik-server', { description: 'Primary Authentik application container', date: '2026-11-26T22:06:37.203Z', tags: ['homelab', 'Authentik'] }), content: '# authentik-server\n' },
    ]);
    expect(serializeWikiFile(page!)).toBe(
      '---\ntitle: authentik-server\ndescription: Primary Authentik application container\npublished: true\n' +
        'date: 2026-11-26T22:06:37.203Z\ntags: homelab, authentik, compose-wiki\neditor: markdown\n' +
        'dateCreated: 2026-11-26T22:06:37.203Z\n---\n\n# authentik-server\n',
    );
    expect(serializeWikiFile(page!, '2025-01-01T00:00:00.000Z')).toContain('dateCreated: 2025-01-01T00:00:00.000Z\n');
  });

  it('quote only the values YAML would misread, and every one re-imports to the same text', async () => {
    const hostile = ['Redis: cache and queue', 'yes', 'no', 'true', '2024-01-01', '1:20', '#hash', '[list]', '{map}', '- dash', '"quoted"', "it's", 'a #comment', ' padded ', '*alias', '&anchor', '!tag', '%percent', '@at', '`tick`', '| pipe', '> fold', '? q', 'null', '~', '0x1F', '1e3', 'multi\nline', 'tab\there', 'Ünïcödé ✓', 'plain title'];
    for (const title of hostile) {
      const line = wikiHeaderLine('title', title);
      const [page] = await preparePages([{ path: 'home/t', header: header(title, { description: title }), content: '# t\n' }]);
      const imported = importLikeWikiJs('home/t.md', serializeWikiFile(page!));
      expect(imported.headerParsed, line).toBe(true);
      expect(imported.title, line).toBe(title);
      expect(imported.description, line).toBe(title);
    }
    expect(wikiHeaderLine('title', 'plain title')).toBe('title: plain title');
    expect(wikiHeaderLine('title', 'Redis: cache')).toBe('title: "Redis: cache"');
    expect(wikiHeaderLine('description', '')).toBe('description: ');
  });

  it('an unpublished page carries isPublished: false so that Wiki.js imports it unpublished', async () => {
    const [page] = await preparePages([{ path: 'home/draft', header: header('draft', { published: false }), content: '# d\n' }]);
    const text = serializeWikiFile(page!);
    expect(text).toContain('published: false\nisPublished: false\n');
    expect(importLikeWikiJs('home/draft.md', text).isPublished).toBe(false);
  });
});
