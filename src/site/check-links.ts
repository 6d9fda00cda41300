/**
 * Checks a built site for broken internal links: every `href`/`src` inside the site must name an
 * existing file, and a `#fragment` must name an element id of the target page (a source-viewer
 * range `#L19-L45` needs both ends, so a citation past the end of its file is caught too).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface BrokenLink {
  /** The page the link is on, relative to the output directory. */
  readonly page: string;
  readonly href: string;
  readonly reason: string;
}

const ATTR = /\s(?:href|src)=(?:"([^"]*)"|'([^']*)')/g;
const ID = /\sid=(?:"([^"]*)"|'([^']*)')/g;

function htmlFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (r === 'pagefind' || r === '_astro') continue;
      out.push(...htmlFiles(dir, r));
    } else if (e.name.endsWith('.html')) out.push(r);
  }
  return out;
}

const decode = (s: string) =>
  s.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

export function checkLinks(outDir: string, base = '/'): { pages: number; links: number; broken: BrokenLink[] } {
  const pages = htmlFiles(outDir);
  const idCache = new Map<string, Set<string>>();
  const idsOf = (file: string) => {
    let ids = idCache.get(file);
    if (!ids) {
      ids = new Set();
      const html = fs.readFileSync(path.join(outDir, file), 'utf8');
      for (const m of html.matchAll(ID)) ids.add(decode(m[1] ?? m[2] ?? ''));
      idCache.set(file, ids);
    }
    return ids;
  };
  const broken: BrokenLink[] = [];
  let links = 0;
  for (const page of pages) {
    const html = fs.readFileSync(path.join(outDir, page), 'utf8');
    // Only the document, not inline scripts' string literals.
    const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
    const pageUrl = `${base}${page.replace(/(^|\/)index\.html$/, '$1').replace(/\.html$/, '')}`;
    for (const m of markup.matchAll(ATTR)) {
      const raw = decode(m[1] ?? m[2] ?? '').trim();
      if (!raw || /^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//')) continue;
      links++;
      let url: URL;
      try {
        url = new URL(raw, `http://site.invalid${pageUrl}`);
      } catch {
        broken.push({ page, href: raw, reason: 'not a URL' });
        continue;
      }
      let p = decodeURIComponent(url.pathname);
      if (!p.startsWith(base)) {
        broken.push({ page, href: raw, reason: `outside the site base ${base}` });
        continue;
      }
      p = p.slice(base.length);
      const candidates = p === '' || p.endsWith('/') ? [`${p}index.html`] : [p, `${p}/index.html`, `${p}.html`];
      const target = candidates.find((c) => {
        const full = path.join(outDir, c);
        return full.startsWith(outDir) && fs.existsSync(full) && fs.statSync(full).isFile();
      });
      if (!target) {
        broken.push({ page, href: raw, reason: 'no such page or file' });
        continue;
      }
      const fragment = decodeURIComponent(url.hash.slice(1));
      if (!fragment || !target.endsWith('.html')) continue;
      const ids = idsOf(target);
      const range = /^(L\d+)-(L\d+)$/.exec(fragment);
      const wanted = range ? [range[1]!, range[2]!] : [fragment];
      const missing = wanted.filter((id) => !ids.has(id));
      if (missing.length) broken.push({ page, href: raw, reason: `no element with id ${missing.join(', ')} on ${target}` });
    }
  }
  return { pages: pages.length, links, broken };
}
