/**
 * Site settings, read from the environment so that a test (or a CI job) can point the build at
 * other pages without touching a file:
 *
 * - `COMPOSE_WIKI_CONTENT`   the page tree (default `content/`)
 * - `COMPOSE_WIKI_SOURCE`    the compose repository root that citations point into
 *                            (default `examples/homelab`)
 * - `COMPOSE_WIKI_FORGE_URL` optional forge URL template, e.g.
 *                            `https://git.example.com/homelab/src/branch/main/{path}#L{start}-L{end}`
 * - `COMPOSE_WIKI_OUT_DIR`   the build output (default `dist/`)
 * - `COMPOSE_WIKI_BASE`      the URL path the site is served under (default `/`)
 * - `COMPOSE_WIKI_SITE_TITLE` the title in the site header (default `Homelab wiki`)
 * - `COMPOSE_WIKI_SITE_URL`  optional public URL of the site (canonical links, sitemap)
 *
 * Relative paths resolve against the project root (the working directory of `astro`).
 */
import path from 'node:path';

export interface SiteSettings {
  /** Absolute path of the page tree. */
  readonly contentDir: string;
  /** Absolute path of the compose repository root. */
  readonly sourceDir: string;
  readonly forgeUrl: string | undefined;
  /** Absolute path of the build output. */
  readonly outDir: string;
  /** Always starts and ends with `/`. */
  readonly base: string;
  readonly title: string;
  readonly siteUrl: string | undefined;
}

export function siteSettings(env: NodeJS.ProcessEnv = process.env, root: string = process.cwd()): SiteSettings {
  const pick = (name: string, fallback: string) => {
    const value = env[name]?.trim();
    return value ? value : fallback;
  };
  let base = pick('COMPOSE_WIKI_BASE', '/');
  if (!base.startsWith('/')) base = `/${base}`;
  if (!base.endsWith('/')) base = `${base}/`;
  const forge = env.COMPOSE_WIKI_FORGE_URL?.trim();
  return {
    contentDir: path.resolve(root, pick('COMPOSE_WIKI_CONTENT', 'content')),
    sourceDir: path.resolve(root, pick('COMPOSE_WIKI_SOURCE', 'examples/homelab')),
    forgeUrl: forge ? forge : undefined,
    outDir: path.resolve(root, pick('COMPOSE_WIKI_OUT_DIR', 'dist')),
    base,
    title: pick('COMPOSE_WIKI_SITE_TITLE', 'Homelab wiki'),
    siteUrl: env.COMPOSE_WIKI_SITE_URL?.trim() || undefined,
  };
}

/** Where the generator may leave extra data for the site, inside the content directory. */
export const SIDECAR_DIR = '.compose-wiki';

/** The site URL of a page id (its wiki path), below `base`, with a trailing slash. */
export function pageUrl(base: string, id: string): string {
  return id ? `${base}${id.split('/').map(encodeURIComponent).join('/')}/` : base;
}
