/**
 * Citations `【F:<path>†L<start>-L<end>】` and the URLs the site makes of them: the source viewer
 * page of the cited file (`/source/<path>/#L<start>-L<end>`) and, when configured, the same lines
 * on the operator's forge.
 */
import path from 'node:path';

export interface Citation {
  /** Path from the compose repository root, `/`-separated. */
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

/** Matches one citation; global, so reset `lastIndex` or use `matchAll`. */
export const CITATION = /【F:([^†】\n]+)†L(\d+)(?:-L(\d+))?】/g;

export function parseCitations(text: string): Citation[] {
  const found: Citation[] = [];
  for (const m of text.matchAll(CITATION)) {
    const start = Number(m[2]);
    found.push({ path: m[1]!.trim(), start, end: m[3] === undefined ? start : Number(m[3]) });
  }
  return found;
}

/**
 * The cited path normalised to a safe relative path inside the source root, or undefined when it
 * is absolute, leaves the root or is otherwise unusable.
 */
export function safeSourcePath(cited: string): string | undefined {
  const p = cited.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!p || p.startsWith('/') || /^[a-z]:/i.test(p) || p.includes('\0')) return undefined;
  const normal = path.posix.normalize(p);
  if (normal === '.' || normal.startsWith('../') || normal === '..') return undefined;
  return normal;
}

/**
 * `compose.yml L19–45`, `compose.yml L7`; with `fullPath` (for pages citing several files)
 * `authentik/compose.yml L19–45`.
 */
export function citationLabel(c: Citation, fullPath = false): string {
  const file = fullPath ? c.path : (c.path.split('/').pop() ?? c.path);
  return c.start === c.end ? `${file} L${c.start}` : `${file} L${c.start}–${c.end}`;
}

/** `authentik/compose.yml, lines 19 to 45` (for screen readers and tooltips). */
export function citationDescription(c: Citation): string {
  return c.start === c.end ? `${c.path}, line ${c.start}` : `${c.path}, lines ${c.start} to ${c.end}`;
}

/** The fragment the source viewer understands: `L19-L45` or `L7`. */
export function lineFragment(start: number, end: number): string {
  return start === end ? `L${start}` : `L${start}-L${end}`;
}

const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

/** URL path (below the site base) of the source viewer page of a file, with a trailing slash. */
export function sourcePagePath(sourcePath: string): string {
  return `source/${encodePath(sourcePath)}/`;
}

/**
 * Fills a forge URL template: `{path}`, `{start}`, `{end}` (and `{line}` = start), without any
 * user name or password the template holds. Returns undefined when the result is not an http(s) URL.
 */
export function forgeUrl(template: string | undefined, c: Citation): string | undefined {
  if (!template) return undefined;
  const url = template
    .replaceAll('{path}', encodePath(c.path))
    .replaceAll('{start}', String(c.start))
    .replaceAll('{line}', String(c.start))
    .replaceAll('{end}', String(c.end));
  try {
    const parsed = new URL(url);
    // A user name or token in the template would be published in every link: drop it.
    parsed.username = '';
    parsed.password = '';
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
