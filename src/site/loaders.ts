/**
 * Content loaders for the site (Astro content layer):
 *
 * - `wikiPagesLoader` feeds Starlight's `docs` collection from the content directory (not from
 *   `src/content/docs`): entry ids are the wiki paths (`home/Platform/Stacks/authentik/authentik-server`),
 *   so the site's URLs are the wiki's; each entry carries its rendered HTML (see markdown.ts), its
 *   headings for the table of contents, and the badge data (image tag, findings).
 * - `sourceFilesLoader` makes one entry per cited file of the compose repository, rendered for
 *   the source viewer.
 *
 * Entries are only re-rendered when their digest (page text, findings, settings, state of the cited
 * files) changed, so a rebuild after a small change is quick. In `astro dev` both directories are
 * watched.
 *
 * The rendered HTML is not kept in Astro's data store but in files beside it
 * (`<cacheDir>/compose-wiki/<collection>/<digest>.html`, named in the entry's `htmlFile`), which
 * src/components/MarkdownContent.astro and the source viewer page read when they render. The data
 * store is serialised with devalue, bundled into the build as one JavaScript string and parsed
 * again; with ~35 MB of HTML in it that cost more than rendering the Markdown itself. The files
 * persist with the store, so cached entries need no rendering; files no entry has used for an hour
 * are removed.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import pLimit from 'p-limit';
import { parseImageRef } from '../lib/compose/image-ref.ts';
import { parseCitations, safeSourcePath } from './citations.ts';
import type { SiteSettings } from './config.ts';
import { readFindings, scanContent, type PageFile } from './content-tree.ts';
import { linkTargets, renderBody } from './markdown.ts';
import { countLines, renderSource } from './source-viewer.ts';

/**
 * Cached entries are rendered again when the renderer changes: the digest includes the text of
 * the site's own modules (and the versions of the libraries that shape the HTML).
 */
const RENDER_VERSION = (() => {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const parts: string[] = [];
  for (const name of ['markdown.ts', 'citations.ts', 'highlight.ts', 'source-viewer.ts', 'mask.ts', 'loaders.ts', 'content-tree.ts', 'header.ts', 'anchor-icon.ts']) {
    try {
      parts.push(fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch {
      parts.push(`${name}?`);
    }
  }
  for (const pkg of ['shiki', 'mdast-util-to-hast', 'hast-util-to-html', 'satteri', 'astro']) {
    try {
      parts.push(`${pkg}@${(JSON.parse(fs.readFileSync(path.join(process.cwd(), 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version}`);
    } catch {
      parts.push(`${pkg}?`);
    }
  }
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
})();

/** Reads files of the source repository, refusing anything outside its root. */
export class SourceRepo {
  readonly root: string;
  private readonly cache = new Map<string, string | null>();
  private readonly lineCounts = new Map<string, number | undefined>();
  private readonly rootReal: string | undefined;
  constructor(root: string) {
    this.root = root;
    try {
      this.rootReal = fs.realpathSync(root);
    } catch {
      this.rootReal = undefined;
    }
  }
  /** The text of a repository file, or undefined. `rel` must be a safe relative path. */
  read(rel: string): string | undefined {
    if (this.cache.has(rel)) return this.cache.get(rel) ?? undefined;
    let text: string | null = null;
    if (this.rootReal) {
      try {
        const real = fs.realpathSync(path.join(this.rootReal, rel));
        if (real.startsWith(this.rootReal + path.sep) && fs.statSync(real).isFile()) text = fs.readFileSync(real, 'utf8');
      } catch {
        text = null;
      }
    }
    this.cache.set(rel, text);
    return text ?? undefined;
  }
  /** Number of lines of a repository file (as citations count them), or undefined; computed once per file. */
  lines(rel: string): number | undefined {
    if (this.lineCounts.has(rel)) return this.lineCounts.get(rel);
    const text = this.read(rel);
    const lines = text === undefined ? undefined : countLines(text);
    this.lineCounts.set(rel, lines);
    return lines;
  }
}

/** The folder of a collection's rendered HTML files, inside Astro's cache folder. */
function htmlDir(ctx: LoaderContext, collection: string): string {
  const dir = path.join(fileURLToPath(ctx.config.cacheDir), 'compose-wiki', collection);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Writes an HTML file whole or not at all: another build sharing the cache folder (two `npm start`s
 * at once) may be reading it.
 */
async function writeHtml(file: string, html: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(tmp, html);
  await fs.promises.rename(tmp, file);
}

/**
 * Writes HTML files a few at a time in the background, so that rendering the next page does not
 * wait for the disk (synchronous writes were ~0.5 s of a 1,188-page build). `flush` waits for every
 * write and throws the first error; a loader flushes before it removes stale files or returns.
 */
function htmlWriter(): { write(file: string, html: string): void; flush(): Promise<void> } {
  const limit = pLimit(8);
  const pending: Promise<void>[] = [];
  return {
    write(file, html) {
      const done = limit(() => writeHtml(file, html));
      // Handled here so that an early failure is not an unhandled rejection; flush rethrows it.
      done.catch(() => undefined);
      pending.push(done);
    },
    async flush() {
      await Promise.all(pending.splice(0));
    },
  };
}

/**
 * Removes the files of a collection's folder that this load does not use and nobody used for an
 * hour: another build sharing the cache folder (other pages, or one that stopped half-way) may
 * still need a recent one. A file in use has its time set by `isFresh` or written anew.
 */
function removeStaleHtml(dir: string, keep: ReadonlySet<string>): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of fs.readdirSync(dir)) {
    if (keep.has(name)) continue;
    const file = path.join(dir, name);
    if ((fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < hourAgo) fs.rmSync(file, { force: true });
  }
}

/** Whether a stored entry is still good: same digest, and its HTML file is still there (marked as used). */
function isFresh(entry: { digest?: number | string; data: Record<string, unknown> } | undefined, digest: string, htmlFile: string): boolean {
  if (entry === undefined || entry.digest !== digest || entry.data.htmlFile !== htmlFile) return false;
  try {
    const now = new Date();
    fs.utimesSync(htmlFile, now, now);
    return true;
  } catch {
    return false;
  }
}

function watch(ctx: LoaderContext, dirs: string[], reload: () => Promise<void>) {
  const { watcher } = ctx;
  if (!watcher) return;
  for (const dir of dirs) watcher.add(dir);
  let timer: NodeJS.Timeout | undefined;
  const onChange = (changed: string) => {
    if (!dirs.some((dir) => changed.startsWith(dir + path.sep))) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      reload().catch((error: unknown) => ctx.logger.error(String(error)));
    }, 50);
  };
  watcher.on('change', onChange);
  watcher.on('add', onChange);
  watcher.on('unlink', onChange);
}

export function wikiPagesLoader(settings: SiteSettings): Loader {
  return {
    name: 'compose-wiki-pages',
    load: async (ctx) => {
      const run = async () => {
        const started = performance.now();
        const pages = scanContent(settings.contentDir);
        if (pages.length === 0) {
          ctx.logger.warn(`No pages in ${settings.contentDir}. Run \`compose-wiki generate\` first, or set COMPOSE_WIKI_CONTENT.`);
        }
        const ids = new Set(pages.map((p) => p.id));
        const lower = new Map<string, string>();
        for (const id of ids) if (!lower.has(id.toLowerCase())) lower.set(id.toLowerCase(), id);
        const findPage = (wikiPath: string) => (ids.has(wikiPath) ? wikiPath : lower.get(wikiPath.toLowerCase()));
        const findings = readFindings(settings.contentDir);
        const repo = new SourceRepo(settings.sourceDir);
        const sourceLines = (rel: string) => repo.lines(rel);
        const dir = htmlDir(ctx, 'docs');
        const keep = new Set<string>();
        const writer = htmlWriter();
        let rendered = 0;
        let problems = 0;
        for (const page of pages) {
          const pageFindings = findings.get(page.id) ?? [];
          const cited = [...new Set(parseCitations(page.parsed.body).map((c) => c.path))].map((p) => {
            const safe = safeSourcePath(p);
            return [p, safe === undefined ? null : (repo.lines(safe) ?? null)];
          });
          const renderOptions = { pageId: page.id, file: page.file, base: settings.base, forgeUrl: settings.forgeUrl, findPage, sourceLines };
          // Links are resolved against the other pages: their targets are part of the digest.
          const links = linkTargets(page.parsed.body, renderOptions);
          const digest = ctx.generateDigest(
            JSON.stringify([RENDER_VERSION, page.file, page.raw, pageFindings, cited, links, settings.forgeUrl ?? '', settings.base]),
          );
          const htmlFile = path.join(dir, `${digest}.html`);
          keep.add(path.basename(htmlFile));
          if (isFresh(ctx.store.get(page.id), digest, htmlFile)) continue;
          const body = await renderBody(page.parsed.body, renderOptions);
          writer.write(htmlFile, body.html);
          for (const problem of body.problems) {
            problems++;
            ctx.logger.warn(`${page.file}: ${problem}`);
          }
          const image = body.image ? parseImageRef(body.image) : undefined;
          const data = await ctx.parseData({
            id: page.id,
            data: {
              title: page.parsed.title ?? body.h1 ?? page.title,
              ...(page.parsed.description ? { description: page.parsed.description } : {}),
              ...(page.parsed.date ? { lastUpdated: page.parsed.date } : {}),
              draft: !page.parsed.published,
              wikiPath: page.id,
              file: page.file,
              tags: page.parsed.tags,
              hasMermaid: body.hasMermaid,
              ...(image ? { image: image.text, imageTag: image.tag ?? (image.digest ? undefined : 'latest'), imageDigest: image.digest } : {}),
              findings: pageFindings,
              htmlFile,
            },
          });
          // Starlight's page takes the table of contents from `rendered`; the body comes from htmlFile.
          ctx.store.set({ id: page.id, data, digest, rendered: { html: '', metadata: { headings: body.headings } } });
          rendered++;
        }
        for (const key of ctx.store.keys()) if (!ids.has(key)) ctx.store.delete(key);
        await writer.flush();
        removeStaleHtml(dir, keep);
        ctx.logger.info(
          `${pages.length} pages from ${path.relative(process.cwd(), settings.contentDir) || '.'} (${rendered} rendered, ${pages.length - rendered} cached, ${problems} problems) in ${Math.round(performance.now() - started)} ms`,
        );
      };
      await run();
      watch(ctx, [settings.contentDir, settings.sourceDir], run);
    },
  };
}

/** Every file of the source repository cited by some page, with the pages that cite it. */
export function citedSources(pages: readonly PageFile[], repo: SourceRepo): Map<string, PageFile[]> {
  const out = new Map<string, PageFile[]>();
  for (const page of pages) {
    for (const c of parseCitations(page.parsed.body)) {
      const safe = safeSourcePath(c.path);
      if (safe === undefined || repo.read(safe) === undefined) continue;
      const list = out.get(safe) ?? [];
      if (!list.includes(page)) list.push(page);
      out.set(safe, list);
    }
  }
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

export function sourceFilesLoader(settings: SiteSettings): Loader {
  return {
    name: 'compose-wiki-sources',
    load: async (ctx) => {
      const run = async () => {
        const pages = scanContent(settings.contentDir);
        const repo = new SourceRepo(settings.sourceDir);
        const sources = citedSources(pages, repo);
        const dir = htmlDir(ctx, 'sources');
        const keep = new Set<string>();
        const writer = htmlWriter();
        for (const [rel, citedBy] of sources) {
          const text = repo.read(rel)!;
          const by = citedBy.map((p) => ({ id: p.id, title: p.title })).sort((a, b) => a.title.localeCompare(b.title));
          const digest = ctx.generateDigest(JSON.stringify([RENDER_VERSION, rel, text, by]));
          const htmlFile = path.join(dir, `${digest}.html`);
          keep.add(path.basename(htmlFile));
          if (isFresh(ctx.store.get(rel), digest, htmlFile)) continue;
          const { html, lines, css } = await renderSource(text, rel);
          writer.write(htmlFile, html);
          const data = await ctx.parseData({ id: rel, data: { path: rel, lines, css, citedBy: by, htmlFile } });
          ctx.store.set({ id: rel, data, digest });
        }
        for (const key of ctx.store.keys()) if (!sources.has(key)) ctx.store.delete(key);
        await writer.flush();
        removeStaleHtml(dir, keep);
      };
      await run();
      watch(ctx, [settings.contentDir, settings.sourceDir], run);
    },
  };
}
