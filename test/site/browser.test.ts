/**
 * The site as a person uses it: build it, serve it on 127.0.0.1 and drive Debian's Chromium with
 * playwright-core. Runs on the fixture pages (test/site/fixtures) and, when content/ holds pages,
 * on the bundled example (content/ + examples/homelab) too. Screenshots land in
 * test-results/site/<site>/ (git-ignored).
 *
 * Needs /usr/bin/chromium (`apt-get install --no-install-recommends chromium`); set
 * COMPOSE_WIKI_SKIP_BROWSER=1 to skip on a machine without it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLinks } from '../../src/site/check-links.ts';
import { scanContent } from '../../src/site/content-tree.ts';
import { buildSite, CHROMIUM, CHROMIUM_ARGS, FIXTURES, RESULTS, ROOT, serve, type BuiltSite, type Served } from './helpers.ts';

const SKIP = process.env.COMPOSE_WIKI_SKIP_BROWSER === '1';
const FORGE = 'https://git.example.com/homelab/src/branch/main/{path}#L{start}-L{end}';

interface SiteCase {
  readonly name: string;
  readonly content: string;
  readonly source: string;
  /** Checks that depend on what the fixture pages say. */
  readonly fixtures: boolean;
}

const sites: SiteCase[] = [
  { name: 'fixtures', content: path.join(FIXTURES, 'content'), source: path.join(FIXTURES, 'source'), fixtures: true },
];
// The example site is built from a copy of content/ brought up to date by `generate`, which also
// writes the findings sidecar (content/.compose-wiki/findings.json) that the badges come from.
const exampleContent = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-wiki-example-content-'));
if (scanContent(path.join(ROOT, 'content')).length > 0) {
  fs.cpSync(path.join(ROOT, 'content'), exampleContent, { recursive: true });
  const generate = spawnSync(process.execPath, [path.join(ROOT, 'bin/compose-wiki.js'), 'generate', '--quiet', '--out', exampleContent], { cwd: ROOT, encoding: 'utf8' });
  if (generate.status !== 0) throw new Error(`compose-wiki generate failed:\n${generate.stderr}`);
}
if (scanContent(exampleContent).length > 0) {
  sites.push({ name: 'example', content: exampleContent, source: path.join(ROOT, 'examples/homelab'), fixtures: false });
}

/** Wiki paths of pages (of a site case) whose Markdown says `needle`, known before building. */
function pagesSaying(site: SiteCase, needle: RegExp): string[] {
  return scanContent(site.content)
    .filter((p) => needle.test(p.parsed.body))
    .map((p) => p.id);
}

describe.skipIf(SKIP).each(sites)('the $name site in a browser', (site) => {
  const shots = path.join(RESULTS, 'site', site.name);
  const diagramPages = pagesSaying(site, /^```mermaid/m);
  const canaryPages = pagesSaying(site, /<script|onerror=/i);
  let built: BuiltSite;
  let server: Served;
  let context: BrowserContext;
  let profile: string;
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium (or set COMPOSE_WIKI_SKIP_BROWSER=1)`);
    }
    fs.rmSync(shots, { recursive: true, force: true });
    fs.mkdirSync(shots, { recursive: true });
    built = buildSite({
      content: site.content,
      source: site.source,
      outDir: path.join(RESULTS, `site-${site.name}-dist`),
      env: { COMPOSE_WIKI_FORGE_URL: FORGE },
    });
    console.log(`${site.name} site built in ${built.seconds.toFixed(1)}s`);
    server = await serve(built.outDir);
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-wiki-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    context.on('page', (page) => {
      page.on('console', (msg) => {
        if (msg.type() === 'error') consoleErrors.push(`${page.url()}: ${msg.text()}`);
      });
      page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
      page.on('dialog', (dialog) => {
        dialogs.push(`${page.url()}: ${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
    });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });

  async function newPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    return page;
  }

  const url = (wikiPath: string) => `${server.url}/${wikiPath}/`;
  const xssRan = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss !== undefined);
  const SERVER_PAGE = 'home/Platform/Stacks/authentik/authentik-server';

  it('has no broken internal links', () => {
    const result = checkLinks(built.outDir, '/');
    expect(result.broken).toEqual([]);
    expect(result.pages).toBeGreaterThanOrEqual(10);
  });

  it('opens on the platform overview and reaches the authentik server page by the sidebar', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await page.waitForURL('**/home/Platform/');
    await expect(page.locator('h1#_top').textContent()).resolves.toBe('Platform');
    await page.screenshot({ path: path.join(shots, 'desktop-home.png'), fullPage: true });

    const sidebar = page.locator('#starlight__sidebar');
    await sidebar.locator("summary", { hasText: /^\s*authentik\b/i }).click();
    await sidebar.getByRole('link', { name: /^authentik-server\b/ }).click();
    await page.waitForURL(`**/${SERVER_PAGE}/`);
    await expect(page.locator('h1#_top').textContent()).resolves.toBe('authentik-server');
    await expect(sidebar.locator('a[aria-current="page"]').textContent()).resolves.toContain('authentik-server');
    await expect(page.locator('.cw-crumbs').textContent()).resolves.toMatch(/Stacks/);
    // The image-tag badge, from the Runtime Profile's Image line.
    await expect(page.locator('.cw-tag').textContent()).resolves.toBe('2025.8.4');
    expect(await xssRan(page)).toBe(false);
    // A page without a diagram does not load the Mermaid renderer.
    if (!diagramPages.includes(SERVER_PAGE)) expect(await page.content()).not.toContain('Mermaid.astro');
    await page.screenshot({ path: path.join(shots, 'desktop-service.png'), fullPage: true });
    await page.close();
  });

  it('follows a citation to the source viewer, which highlights exactly the cited lines', async () => {
    const page = await newPage();
    await page.goto(url(SERVER_PAGE));
    const cite = page.locator('main .cw-cite-link').first();
    const href = (await cite.getAttribute('href')) ?? '';
    const m = /^\/source\/(.+)\/#L(\d+)(?:-L(\d+))?$/.exec(href);
    expect(m, href).not.toBeNull();
    const [, file, a, b] = m!;
    const start = Number(a);
    const end = b === undefined ? start : Number(b);
    const lines = start === end ? `L${start}` : `L${start}–${end}`;
    // The file's name, or its whole path on pages that cite several files.
    expect([`${path.posix.basename(file!)} ${lines}`, `${file} ${lines}`]).toContain(await cite.textContent());
    await expect(page.locator('main .cw-cite-forge').first().getAttribute('href')).resolves.toBe(
      `https://git.example.com/homelab/src/branch/main/${file}#L${start}-L${end}`,
    );
    await cite.click();
    await page.waitForURL(`**/source/${file}/#L*`);
    await page.waitForSelector('.cw-source .line.cw-hl');
    const highlighted = await page.locator('.cw-source .line.cw-hl').evaluateAll((lines) => lines.map((l) => l.id));
    expect(highlighted).toEqual(Array.from({ length: end - start + 1 }, (_, i) => `L${start + i}`));
    // The range is scrolled into view.
    const top = await page.locator(`#L${start}`).evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(900);
    await page.screenshot({ path: path.join(shots, 'desktop-source.png') });

    // Every line links to itself; following one highlights that line alone.
    await page.locator('#L5 a.cw-ln').click();
    await page.waitForURL('**#L5');
    // The URL changes before the hashchange handler runs: poll until the highlight settles.
    await expect
      .poll(() => page.locator('.cw-source .line.cw-hl').evaluateAll((lines) => lines.map((l) => l.id)), { timeout: 5000 })
      .toEqual(['L5']);
    await page.close();
  });

  it('searches the pages with Pagefind', async () => {
    const page = await newPage();
    await page.goto(url('home/Platform'));
    // The search box shows results…
    await page.locator('button[data-open-modal]').first().click();
    await page.locator('#starlight__search .pagefind-ui__search-input').fill('postgres');
    await page.waitForSelector('.pagefind-ui__result-link', { timeout: 15_000 });
    await page.waitForTimeout(500);
    const shown = await page.locator('.pagefind-ui__result-title .pagefind-ui__result-link').allTextContents();
    expect(shown.map((t) => t.trim())).toContain('postgres');
    await page.screenshot({ path: path.join(shots, 'desktop-search.png') });
    await page.keyboard.press('Escape');
    // …from an index that holds every match (the box shows the first few at a time).
    // (A string, so that vitest does not rewrite the browser's dynamic import.)
    const titles = (query: string): Promise<string[]> =>
      page.evaluate(`(async () => {
        const pagefind = await import('/pagefind/pagefind.js');
        const found = await pagefind.search(${JSON.stringify(query)});
        const data = await Promise.all(found.results.map((r) => r.data()));
        return data.map((d) => d.meta.title);
      })()`);
    // The database page and its consumers.
    const postgres = await titles('postgres');
    expect(postgres).toContain('postgres');
    expect(postgres).toContain('authentik-server');
    // A variable name finds the services that use it.
    const variable = await titles('AUTHENTIK_POSTGRESQL__HOST');
    expect(variable).toContain('authentik-server');
    expect(variable).toContain('authentik-worker');
    await page.close();
  });

  it.skipIf(diagramPages.length === 0)('draws Mermaid diagrams as SVG, in light and dark mode', async () => {
    const page = await newPage();
    await page.goto(url(diagramPages[0]!));
    await page.waitForSelector('figure.cw-mermaid.cw-mermaid-rendered svg', { timeout: 30_000 });
    const figures = await page.locator('figure.cw-mermaid').count();
    expect(await page.locator('figure.cw-mermaid.cw-mermaid-rendered svg').count()).toBe(figures);
    // The diagram text is kept as a fallback, folded away.
    await expect(page.locator('figure.cw-mermaid details pre').first().textContent()).resolves.toMatch(/\S/);
    await page.screenshot({ path: path.join(shots, 'desktop-diagram-light.png'), fullPage: true });
    await page.evaluate(() => {
      document.documentElement.dataset.theme = 'dark';
    });
    await page.waitForTimeout(1000);
    await page.waitForSelector('figure.cw-mermaid.cw-mermaid-rendered svg');
    await page.screenshot({ path: path.join(shots, 'desktop-diagram-dark.png'), fullPage: true });
    await page.close();
  });

  it.skipIf(canaryPages.length === 0)('shows the XSS canaries as text and never runs them', async () => {
    const page = await newPage();
    for (const id of canaryPages) {
      await page.goto(url(id));
      const text = await page.locator('main').innerText();
      expect(text, id).toMatch(/<script|onerror=/i);
      expect(await page.locator('main script, main img[onerror], main [onclick]').count(), id).toBe(0);
      expect(await xssRan(page), id).toBe(false);
    }
    // Nothing injected anywhere in the built HTML either.
    for (const file of fs.readdirSync(built.outDir, { recursive: true }) as string[]) {
      if (!file.endsWith('.html')) continue;
      const html = fs.readFileSync(path.join(built.outDir, file), 'utf8');
      expect(html, file).not.toMatch(/<img[^>]*\sonerror\s*=|<script[^>]*>[^<]*(__xss|alert\()/i);
    }
    await page.close();
  });

  it.skipIf(!site.fixtures)('shows findings as badges and masks secrets in the source viewer', async () => {
    const page = await newPage();
    await page.goto(url('home/Platform/Stacks/databases/postgres'));
    await expect(page.locator('.cw-finding').textContent()).resolves.toBe('literal-secret');
    await expect(page.locator('.cw-findings').textContent()).resolves.toContain('POSTGRES_PASSWORD');
    await page.goto(`${server.url}/source/databases/compose.yml/#L12`);
    await expect(page.locator('#L12').textContent()).resolves.toContain('POSTGRES_PASSWORD: ********');
    expect(await page.locator('.cw-source').textContent()).not.toContain('hunter2');
    await page.close();
  });

  it.skipIf(site.fixtures)('shows the example findings as badges: version skew on both ends, the literal secret', async () => {
    const page = await newPage();
    for (const wikiPath of ['home/Platform/Stacks/authentik/authentik-worker', SERVER_PAGE]) {
      await page.goto(url(wikiPath));
      const badges = await page.locator('.cw-finding').allTextContents();
      expect(badges, wikiPath).toContain('version-skew');
    }
    await page.goto(url('home/Platform/Stacks/tools/stirling-pdf'));
    expect(await page.locator('.cw-finding').allTextContents()).toContain('literal-secret');
    expect(await page.content()).not.toContain('changeme-literal-demo');
    await page.screenshot({ path: path.join(shots, 'desktop-findings.png') });
    await page.close();
  });

  it('works at mobile width', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(url(SERVER_PAGE));
    await page.screenshot({ path: path.join(shots, 'mobile-service.png'), fullPage: true });
    // Nothing overflows the viewport sideways (wide tables scroll inside their own box).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(shots, 'mobile-menu.png') });
    const href = (await page.locator('main .cw-cite-link').first().getAttribute('href')) ?? '';
    await page.goto(`${server.url}${href}`);
    await page.waitForSelector('.cw-source .line.cw-hl');
    await page.screenshot({ path: path.join(shots, 'mobile-source.png') });
    await page.close();
  });

  it('logged no console errors and opened no dialog', () => {
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
