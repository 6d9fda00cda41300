/**
 * The page tree under the content directory: which pages exist, their ids (wiki paths), titles,
 * and the sidebar that mirrors the wiki. Used by astro.config.mjs (sidebar, home redirect) and by
 * the content loader, so both see the same pages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parsePage, type ParsedPage } from './header.ts';
import { SIDECAR_DIR } from './config.ts';

export interface PageFile {
  /** Path relative to the content root, `/`-separated, e.g. `home/Platform/index.md`. */
  readonly file: string;
  /** Wiki path without extension and without a trailing `index`, e.g. `home/Platform`. */
  readonly id: string;
  readonly title: string;
  readonly isIndex: boolean;
  readonly raw: string;
  readonly parsed: ParsedPage;
}

/** `home/Platform/index.md` → `home/Platform`; `a/b.md` → `a/b`; `index.md` → ``. */
export function pageIdOf(file: string): string {
  const noExt = file.replace(/\.md$/i, '');
  if (noExt === 'index') return '';
  return noExt.replace(/\/index$/i, '');
}

function listMarkdown(dir: string, rel = ''): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    // Hidden folders hold generator data (.compose-wiki), never pages; `_` files are drafts.
    if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
    const relPath = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listMarkdown(dir, relPath));
    else if (e.isFile() && /\.md$/i.test(e.name)) out.push(relPath);
  }
  return out;
}

const H1 = /^#[ \t]+(.+?)[ \t#]*$/m;

interface Scan {
  /** Every page file with its size and modification time. */
  readonly key: string;
  readonly pages: PageFile[];
}

/**
 * The last scan of each content directory, shared by everything in the process that scans it:
 * astro.config.mjs (the sidebar) and both content loaders each read every page once per build,
 * and Astro loads the config and the loaders as separate module instances, hence `globalThis`.
 */
const scans: Map<string, Scan> = ((globalThis as { [key: symbol]: unknown })[Symbol.for('compose-wiki.content-scans')] ??= new Map()) as Map<string, Scan>;

/**
 * Reads every page of the content directory, sorted by file path. Pages are read again only when
 * a file was added, removed or changed (size or modification time) since the last scan; the
 * result is shared, and must not be changed.
 */
export function scanContent(contentDir: string): PageFile[] {
  const files = listMarkdown(contentDir).sort();
  const key = files
    .map((file) => {
      const stat = fs.statSync(path.join(contentDir, file), { throwIfNoEntry: false });
      return `${file}\0${stat?.size}\0${stat?.mtimeMs}`;
    })
    .join('\n');
  const last = scans.get(contentDir);
  if (last && last.key === key) return last.pages;
  const seen = new Map<string, string>();
  const pages: PageFile[] = [];
  for (const file of files) {
    const id = pageIdOf(file);
    const other = seen.get(id);
    if (other !== undefined) {
      throw new Error(`Two pages have the same wiki path "${id}": ${other} and ${file}`);
    }
    seen.set(id, file);
    const raw = fs.readFileSync(path.join(contentDir, file), 'utf8');
    const parsed = parsePage(raw);
    const title = parsed.title ?? H1.exec(parsed.body)?.[1]?.trim() ?? (path.posix.basename(id) || 'Home');
    pages.push({ file, id, title, isIndex: /(^|\/)index\.md$/i.test(file), raw, parsed });
  }
  scans.set(contentDir, { key, pages });
  return pages;
}

export interface Finding {
  readonly id: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
}

/**
 * Findings the generator may leave in `<content>/.compose-wiki/findings.json`, shape
 * `{ "<page path>": [{ "id", "severity", "message" }] }`, keyed here by page id. Keys may be
 * written as wiki paths or file paths (`…/authentik-server.md`, `…/index.md`, leading `/`).
 */
export function readFindings(contentDir: string): Map<string, Finding[]> {
  const file = path.join(contentDir, SIDECAR_DIR, 'findings.json');
  const out = new Map<string, Finding[]>();
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw new Error(`Cannot read ${file}: ${(error as Error).message}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return out;
  for (const [key, list] of Object.entries(json as Record<string, unknown>)) {
    if (!Array.isArray(list)) continue;
    const id = pageIdOf(key.replace(/^\/+/, '').replace(/\/+$/, '').replace(/(\.md)?$/i, '.md'));
    const findings: Finding[] = [];
    for (const item of list) {
      if (!item || typeof item !== 'object') continue;
      const f = item as Record<string, unknown>;
      const severity = f.severity === 'error' || f.severity === 'info' ? f.severity : 'warning';
      const fid = typeof f.id === 'string' ? f.id : 'finding';
      findings.push({ id: fid, severity, message: typeof f.message === 'string' ? f.message : fid });
    }
    if (findings.length) out.set(id, [...(out.get(id) ?? []), ...findings]);
  }
  return out;
}

/** Starlight sidebar items (the subset this site uses). */
export type SidebarItem =
  | { slug: string; label: string; badge?: { text: string; variant: 'caution' | 'danger' | 'note' } }
  | { label: string; collapsed?: boolean; items: SidebarItem[] };

interface Node {
  name: string;
  index?: PageFile;
  files: PageFile[];
  dirs: Map<string, Node>;
}

const byLabel = (a: { label: string }, b: { label: string }) =>
  a.label.localeCompare(b.label, 'en', { numeric: true, sensitivity: 'base' });

/**
 * The sidebar mirrors the wiki: the platform overview and the stacks index as top-level links,
 * then one collapsible group per stack (its overview first, then its services). In general:
 * a folder with sub-folders is flattened into its parent's level (its index page a link), a folder
 * with only pages becomes a group.
 */
export function buildSidebar(pages: readonly PageFile[], findings?: Map<string, Finding[]>): SidebarItem[] {
  const root: Node = { name: '', files: [], dirs: new Map() };
  for (const page of pages) {
    const parts = page.file.split('/');
    const fileName = parts.pop()!;
    let node = root;
    for (const part of parts) {
      let next = node.dirs.get(part);
      if (!next) {
        next = { name: part, files: [], dirs: new Map() };
        node.dirs.set(part, next);
      }
      node = next;
    }
    if (/^index\.md$/i.test(fileName)) node.index = page;
    else node.files.push(page);
  }
  const link = (page: PageFile, label = page.title): SidebarItem => {
    const list = findings?.get(page.id) ?? [];
    if (!list.length) return { slug: page.id, label };
    const variant = list.some((f) => f.severity === 'error') ? 'danger' : list.some((f) => f.severity === 'warning') ? 'caution' : 'note';
    return { slug: page.id, label, badge: { text: String(list.length), variant } };
  };
  const emit = (node: Node): SidebarItem[] => {
    const items: SidebarItem[] = [];
    if (node.index) items.push(link(node.index));
    items.push(...node.files.map((f) => link(f)).sort(byLabel));
    const groups: SidebarItem[] = [];
    const nested: SidebarItem[] = [];
    for (const dir of node.dirs.values()) {
      if (dir.dirs.size > 0) {
        nested.push(...emit(dir));
        continue;
      }
      const children = dir.files.map((f) => link(f)).sort(byLabel);
      if (dir.index) children.unshift(link(dir.index, 'Overview'));
      groups.push({ label: dir.index?.title ?? dir.name, collapsed: true, items: children });
    }
    return [...items, ...nested, ...groups.sort(byLabel)];
  };
  return emit(root);
}

/** The page the site opens on: the shallowest index page (the platform overview). */
export function homePage(pages: readonly PageFile[]): PageFile | undefined {
  const depth = (p: PageFile) => (p.id ? p.id.split('/').length : 0);
  return [...pages].sort((a, b) => depth(a) - depth(b) || Number(b.isIndex) - Number(a.isIndex) || a.id.localeCompare(b.id))[0];
}
