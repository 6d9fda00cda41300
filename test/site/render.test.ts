/** The site's own Markdown rendering, header reading, masking, sidebar and link checking (no build). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLinks } from '../../src/site/check-links.ts';
import { citationLabel, forgeUrl, parseCitations, safeSourcePath } from '../../src/site/citations.ts';
import { buildSidebar, homePage, pageIdOf, readFindings, scanContent } from '../../src/site/content-tree.ts';
import { parsePage } from '../../src/site/header.ts';
import { parseMarkdown, renderBody, type RenderOptions } from '../../src/site/markdown.ts';
import { MASK, maskSource } from '../../src/site/mask.ts';
import { countLines, renderSource } from '../../src/site/source-viewer.ts';
import { FIXTURES } from './helpers.ts';

const PAGES = new Set(['home/Platform', 'home/Platform/Stacks', 'home/Platform/Stacks/authentik', 'home/Platform/Stacks/authentik/authentik-server', 'home/Platform/Stacks/authentik/authentik-worker']);

const opts = (over: Partial<RenderOptions> = {}): RenderOptions => ({
  pageId: 'home/Platform/Stacks/authentik/authentik-server',
  file: 'home/Platform/Stacks/authentik/authentik-server.md',
  base: '/',
  findPage: (p) => (PAGES.has(p) ? p : undefined),
  sourceLines: (p) => (p === 'authentik/compose.yml' ? 57 : undefined),
  ...over,
});

describe('page header', () => {
  it('reads the comment form and the --- form alike', () => {
    const comment = parsePage('<!--\ntitle: a\ndescription:\npublished: true\ndate: 2025-10-19T08:57:42Z\ntags: x, y\neditor: markdown\n-->\n\n# a\nbody');
    const dashes = parsePage('---\ntitle: a\npublished: false\ntags:\n  - x\n  - y\n---\n# a\nbody');
    expect(comment).toMatchObject({ title: 'a', description: undefined, published: true, tags: ['x', 'y'] });
    expect(comment.date?.toISOString()).toBe('2025-10-19T08:57:42.000Z');
    expect(comment.body.trim()).toBe('# a\nbody');
    expect(dashes).toMatchObject({ title: 'a', published: false, tags: ['x', 'y'] });
    expect(dashes.body.trim()).toBe('# a\nbody');
  });

  it('leaves an ordinary leading comment in the body', () => {
    const page = parsePage('<!-- just a note -->\n# t\n');
    expect(page.title).toBeUndefined();
    expect(page.body).toContain('just a note');
  });
});

describe('citations', () => {
  it('parses, labels and links them', () => {
    const [c, d] = parseCitations('x【F:authentik/compose.yml†L19-L45】 y【F:a/b.yml†L7-L7】');
    expect(c).toEqual({ path: 'authentik/compose.yml', start: 19, end: 45 });
    expect(citationLabel(c!)).toBe('compose.yml L19–45');
    expect(citationLabel(d!)).toBe('b.yml L7');
    expect(forgeUrl('https://git.example.com/h/src/branch/main/{path}#L{start}-L{end}', c!)).toBe(
      'https://git.example.com/h/src/branch/main/authentik/compose.yml#L19-L45',
    );
    expect(forgeUrl('javascript:{path}', c!)).toBeUndefined();
  });

  it('refuses paths that leave the source repository', () => {
    expect(safeSourcePath('./a/compose.yml')).toBe('a/compose.yml');
    expect(safeSourcePath('../etc/passwd')).toBeUndefined();
    expect(safeSourcePath('a/../../x')).toBeUndefined();
    expect(safeSourcePath('/etc/passwd')).toBeUndefined();
  });
});

describe('renderBody', () => {
  it('shows raw HTML as text, never as markup', async () => {
    const md = '# t\n\nA <img src=x onerror=alert(1)> b <script>window.__xss=1</script>\n\n<script>alert(1)</script>\n\n| a | b |\n| - | - |\n| <img src=x onerror=alert(1)> | <b onclick=x>y</b> |\n';
    const { html } = await renderBody(md, opts());
    expect(html).not.toMatch(/<(img|script|b)[\s>]/i);
    expect(html).toContain('&#x3C;img src=x onerror=alert(1)>');
    expect(html).toContain('&#x3C;script>window.__xss=1&#x3C;/script>');
  });

  it('shows a body nested too deeply for its tree walks as plain text, with a problem, instead of throwing', async () => {
    const md = `${'>'.repeat(20_000)} <img src=x onerror=alert(1)> deep`;
    const { html, problems, headings } = await renderBody(md, opts());
    expect(html.startsWith('<pre class="cw-unrendered"><code>')).toBe(true);
    expect(html).toContain('&#x3C;img src=x onerror=alert(1)> deep');
    expect(html).not.toMatch(/<img[\s>]/i);
    expect(headings).toEqual([]);
    expect(problems).toEqual([expect.stringContaining('nested too deeply')]);
    // A few hundred levels still render as Markdown.
    expect((await renderBody(`${'>'.repeat(300)} x`, opts())).html).toContain('<blockquote>');
    // 200,000 levels are refused before satteri parses them (it took ~27 s to give up).
    expect(() => parseMarkdown(`${'> '.repeat(200_000)}x`)).toThrow(new RangeError('Markdown nested 10000 levels deep or more'));
  });

  it('drops link schemes other than http(s) and mailto, keeping the text', async () => {
    const { html, problems } = await renderBody('[a](javascript:alert(1)) [b](data:text/html,x) [c](https://x.example/) [d](mailto:a@b.c)', opts());
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('data:');
    expect(html).toContain('a');
    expect(html).toContain('href="https://x.example/"');
    expect(html).toContain('href="mailto:a@b.c"');
    expect(problems).toHaveLength(2);
  });

  it('turns citations into source-viewer links, with a forge link when configured', async () => {
    const { html, citations } = await renderBody('Fact.【F:authentik/compose.yml†L19-L45】', opts({ forgeUrl: 'https://git.example.com/{path}#L{start}-L{end}' }));
    expect(citations).toEqual([{ path: 'authentik/compose.yml', start: 19, end: 45 }]);
    expect(html).toContain('<a class="cw-cite-link" href="/source/authentik/compose.yml/#L19-L45"');
    expect(html).toContain('>compose.yml L19–45</a>');
    expect(html).toContain('href="https://git.example.com/authentik/compose.yml#L19-L45"');
  });

  it('marks citations of missing files and ranges past the end', async () => {
    const missing = await renderBody('x【F:nope/compose.yml†L1-L2】', opts());
    expect(missing.html).toContain('cw-cite-missing');
    expect(missing.html).not.toContain('href="/source/nope');
    expect(missing.problems[0]).toMatch(/not in the source repository/);
    const past = await renderBody('x【F:authentik/compose.yml†L50-L99】 y【F:authentik/compose.yml†L9-L3】', opts());
    expect(past.html.match(/cw-cite-invalid/g)).toHaveLength(2);
    expect(past.problems).toHaveLength(2);
  });

  it('leaves citations in code alone', async () => {
    const { html, citations } = await renderBody('`【F:authentik/compose.yml†L1-L2】`', opts());
    expect(citations).toEqual([]);
    expect(html).toContain('<code>【F:authentik/compose.yml†L1-L2】</code>');
  });

  it('resolves wiki links written as absolute paths, with a locale, or relative', async () => {
    const md = [
      '[a](/home/Platform/Stacks/authentik/authentik-worker)',
      '[b](/en/home/Platform/Stacks)',
      '[c](authentik-worker)',
      '[d](../index.md)',
      '[e](authentik-worker.md#overview)',
      '[f](/home/Platform/nowhere)',
    ].join(' ');
    const { html, problems } = await renderBody(md, opts());
    expect(html).toContain('<a href="/home/Platform/Stacks/authentik/authentik-worker/">a</a>');
    expect(html).toContain('<a href="/home/Platform/Stacks/">b</a>');
    expect(html).toContain('<a href="/home/Platform/Stacks/authentik/authentik-worker/">c</a>');
    expect(html).toContain('<a href="/home/Platform/Stacks/">d</a>');
    expect(html).toContain('<a href="/home/Platform/Stacks/authentik/authentik-worker/#overview">e</a>');
    expect(problems).toEqual(['link to a page that does not exist: /home/Platform/nowhere']);
  });

  it('takes off the leading H1, reads the image line, keeps Mermaid as text, highlights code', async () => {
    const md = '# authentik-server\n\n## Runtime Profile\n- **Image:** `ghcr.io/goauthentik/server:2025.8.4`\n\n```mermaid\nflowchart LR\n  a --> b\n```\n\n```yaml\nkey: value\n```\n\n## Runtime Profile\n';
    const r = await renderBody(md, opts());
    expect(r.h1).toBe('authentik-server');
    expect(r.html).not.toContain('<h1');
    expect(r.image).toBe('ghcr.io/goauthentik/server:2025.8.4');
    expect(r.hasMermaid).toBe(true);
    expect(r.html).toContain('<figure class="cw-mermaid" data-pagefind-ignore=""><pre class="cw-mermaid-source"><code>flowchart LR\n  a --> b</code></pre></figure>');
    expect(r.html).toContain('--shiki-light:');
    expect(r.headings.map((h) => h.slug)).toEqual(['runtime-profile', 'runtime-profile-1']);
  });
});

describe('maskSource', () => {
  it('masks secret values, keeps references and line count', () => {
    const src = [
      'services:',
      '  db:',
      '    environment:',
      '      POSTGRES_PASSWORD: hunter2',
      '      POSTGRES_USER: admin',
      '      - API_TOKEN=abc123',
      '      REDIS_PASSWORD: ${REDIS_PASSWORD}',
      '      DATABASE_URL: postgres://app:s3cret@db/app',
      '    command: redis-server --requirepass hunter3',
      '    secret_key: |',
      '      -----BEGIN PRIVATE KEY-----',
      '      MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
      '    image: postgres:16',
    ].join('\n');
    const masked = maskSource(src);
    expect(masked.split('\n')).toHaveLength(src.split('\n').length);
    for (const secret of ['hunter2', 'abc123', 's3cret', 'hunter3', 'MIIEvQ', 'BEGIN PRIVATE']) expect(masked).not.toContain(secret);
    expect(masked).toContain(`POSTGRES_PASSWORD: ${MASK}`);
    expect(masked).toContain('POSTGRES_USER: admin');
    expect(masked).toContain('REDIS_PASSWORD: ${REDIS_PASSWORD}');
    expect(masked).toContain('image: postgres:16');
  });

  it('renders numbered, linkable lines', async () => {
    const { html, lines } = await renderSource('a: 1\nb: 2\n', 'x/compose.yml');
    expect(lines).toBe(2);
    expect(countLines('a\nb\n')).toBe(2);
    expect(html).toContain('id="L1"');
    expect(html).toContain('<a class="cw-ln" href="#L2"');
    expect(html).not.toContain('id="L3"');
  });
});

describe('content tree', () => {
  const content = path.join(FIXTURES, 'content');

  it('names pages by their wiki path', () => {
    expect(pageIdOf('home/Platform/index.md')).toBe('home/Platform');
    expect(pageIdOf('home/Platform/Stacks/authentik/authentik-server.md')).toBe('home/Platform/Stacks/authentik/authentik-server');
    expect(pageIdOf('index.md')).toBe('');
  });

  it('builds a sidebar that mirrors the wiki', () => {
    const pages = scanContent(content);
    expect(homePage(pages)?.id).toBe('home/Platform');
    const sidebar = buildSidebar(pages, readFindings(content));
    expect(sidebar).toEqual([
      { slug: 'home/Platform', label: 'Platform' },
      { slug: 'home/Platform/Stacks', label: 'Stacks' },
      {
        label: 'Authentik',
        collapsed: true,
        items: [
          { slug: 'home/Platform/Stacks/authentik', label: 'Overview' },
          { slug: 'home/Platform/Stacks/authentik/authentik-server', label: 'authentik-server' },
          { slug: 'home/Platform/Stacks/authentik/authentik-worker', label: 'authentik-worker', badge: { text: '1', variant: 'note' } },
        ],
      },
      {
        label: 'Databases',
        collapsed: true,
        items: [
          { slug: 'home/Platform/Stacks/databases', label: 'Overview' },
          { slug: 'home/Platform/Stacks/databases/postgres', label: 'postgres', badge: { text: '1', variant: 'caution' } },
          { slug: 'home/Platform/Stacks/databases/redis', label: 'redis' },
        ],
      },
    ]);
  });
});

describe('checkLinks', () => {
  it('finds missing pages and missing fragments', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cw-links-'));
    try {
      fs.mkdirSync(path.join(dir, 'a'));
      fs.mkdirSync(path.join(dir, 'source/x.yml'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'source/x.yml/index.html'), '<span id="L1"></span><span id="L2"></span>');
      fs.writeFileSync(
        path.join(dir, 'a/index.html'),
        '<a href="/source/x.yml/#L1-L2">ok</a><a href="/source/x.yml/#L1-L3">past</a><a href="/b/">gone</a><a href="https://x.example/">ext</a><a href="#top">self</a><h2 id="top"></h2>',
      );
      const result = checkLinks(dir, '/');
      expect(result.broken.map((b) => b.href)).toEqual(['/source/x.yml/#L1-L3', '/b/']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('citation labels', () => {
  it("name the whole path of files other than the page's main one", async () => {
    const lines = (p: string) => (p.endsWith('.yml') ? 60 : undefined);
    const one = await renderBody('a【F:authentik/compose.yml†L1-L2】 b【F:authentik/compose.yml†L3-L3】', opts({ sourceLines: lines }));
    expect(one.html).toContain('>compose.yml L1–2</a>');
    expect(one.html).toContain('>compose.yml L3</a>');
    const md = 'a【F:authentik/compose.yml†L1-L2】 b【F:tools/compose.yml†L3-L3】 c【F:authentik/compose.yml†L4-L4】 d【F:monitoring/exporters.yml†L5-L5】';
    const two = await renderBody(md, opts({ sourceLines: lines }));
    expect(two.html).toContain('>compose.yml L1–2</a>');
    expect(two.html).toContain('>tools/compose.yml L3</a>');
    expect(two.html).toContain('>exporters.yml L5</a>');
  });
});
