/**
 * The page paths Wiki.js 2.x accepts, checked before anything is sent (or written to a storage
 * repository). Rules of pages.createPage (`.`, space, `\`, `//` ⇒ 6005 PageIllegalPath), of
 * pageHelper.isReservedPath (a one-character or locale-like first segment, reserved names) and of
 * pageHelper.parsePath (characters stripped from URLs, so the page could never be opened).
 */

const RESERVED_FIRST_SEGMENTS = ['login', 'logout', 'register', 'verify', 'favicons', 'fonts', 'img', 'js', 'svg'] as const;
const LOCALE_LIKE = /^[a-z]{2}(-[a-z]{2})?$/i;
// eslint-disable-next-line no-control-regex
const URL_UNSAFE = /[\x00-\x1f\x7f-\x9f"|<>:*?#%]/;

/** Why Wiki.js would reject (or mangle) this page path, or undefined when it is fine. */
export function wikiPathProblem(path: string): string | undefined {
  if (path.trim() === '') return 'the path is empty';
  if (path.startsWith('/') || path.endsWith('/')) return 'the path starts or ends with "/" (Wiki.js strips it, so the page would never match)';
  if (path.includes('//')) return 'the path contains "//" (Wiki.js: PageIllegalPath)';
  if (path.includes('.')) return 'the path contains "." (Wiki.js: PageIllegalPath)';
  if (/\s/.test(path)) return 'the path contains a space (Wiki.js: PageIllegalPath)';
  if (path.includes('\\')) return 'the path contains "\\" (Wiki.js: PageIllegalPath)';
  const bad = URL_UNSAFE.exec(path);
  if (bad) return `the path contains ${JSON.stringify(bad[0])}, which Wiki.js strips from page URLs`;
  const first = path.split('/')[0]!;
  if (first.length <= 1) return `the first folder "${first}" is a single character, which Wiki.js reserves`;
  if (LOCALE_LIKE.test(first)) return `the first folder "${first}" looks like a locale code, which Wiki.js reads as a language, not a folder`;
  if ((RESERVED_FIRST_SEGMENTS as readonly string[]).includes(first)) return `the first folder "${first}" is reserved by Wiki.js`;
  return undefined;
}

/** Normalises a configured path prefix: no leading/trailing slash; '' means the whole wiki. */
export function normalizePrefix(prefix: string | undefined): string {
  return (prefix ?? '').trim().replace(/^\/+|\/+$/g, '');
}

/** True when the path lies at or under the prefix ('' holds everything). */
export function underPrefix(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}
