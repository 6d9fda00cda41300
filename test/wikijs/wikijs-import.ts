/**
 * TEST HELPER — how Wiki.js 2.5 imports a Markdown file from its Git storage, written from its
 * sources (server/modules/storage/common.js processPage, models/pages.js parseMetadata,
 * helpers/page.js getPagePath):
 *
 * - the page path is the file path without its extension; a first folder like `en/`, `pt-br/` or
 *   any two letters is taken as the locale;
 * - the `---` block is parsed as YAML (js-yaml safeLoad; here the `yaml` package with its 1.1 schema,
 *   which also reads timestamps — and, stricter than js-yaml, `yes`/`no` as booleans); a block that
 *   does not parse is logged and the WHOLE file, header included, becomes the page body, the title
 *   then coming from the file name;
 * - only `title`, `description`, `tags` (a string split on ", " — anything else makes the import
 *   throw) and `isPublished` are read; `published`, `date`, `editor`, `dateCreated` are ignored.
 */
import { parseDocument } from 'yaml';

export interface WikiImport {
  readonly locale: string;
  readonly path: string;
  readonly headerParsed: boolean;
  readonly title: unknown;
  readonly description: unknown;
  readonly tags: string[];
  /** As a NEW page would get it (an existing page keeps its state when the key is absent). */
  readonly isPublished: unknown;
  readonly content: string;
}

const MARKDOWN = /^(-{3}(?:\n|\r)([\w\W]+?)(?:\n|\r)-{3})?(?:\n|\r)*([\w\W]*)*/;
const LEGACY = /^(<!-- TITLE: ?([\w\W]+?) ?-{2}>)?(?:\n|\r)?(<!-- SUBTITLE: ?([\w\W]+?) ?-{2}>)?(?:\n|\r)*([\w\W]*)*/i;
const LOCALE_FOLDER = /^([a-z]{2}(?:-[a-z]{2})?\/)?(.*)/i;

function parseMetadata(raw: string): Record<string, unknown> & { content: string } {
  try {
    const result = MARKDOWN.exec(raw)!;
    if (result[2]) {
      const doc = parseDocument(result[2], { schema: 'yaml-1.1', logLevel: 'silent' });
      // js-yaml throws on what the yaml package only warns about (unknown tags).
      if (doc.errors.length > 0 || doc.warnings.length > 0) throw new Error('invalid YAML');
      const meta = doc.toJS() as unknown;
      return { ...(meta && typeof meta === 'object' ? (meta as Record<string, unknown>) : {}), content: result[3] ?? '' };
    }
    const legacy = LEGACY.exec(raw)!;
    if (legacy[2]) return { title: legacy[2], description: legacy[4], content: legacy[5] ?? '' };
  } catch {
    // WIKI.logger.warn('Failed to parse page metadata. Invalid syntax.')
  }
  return { content: raw };
}

export function importLikeWikiJs(relPath: string, raw: string, defaultLocale = 'en'): WikiImport {
  const withoutExt = relPath.split('.').slice(0, -1).join('');
  const m = LOCALE_FOLDER.exec(withoutExt)!;
  const locale = m[1] ? m[1].replace('/', '') : defaultLocale;
  const pagePath = m[1] ? m[2]! : withoutExt;
  const data = parseMetadata(raw);
  const headerParsed = Object.keys(data).some((k) => k !== 'content');
  let tags: string[] = [];
  if (data.tags !== undefined && data.tags !== null) {
    if (typeof data.tags !== 'string') throw new TypeError('pageData.tags.split is not a function');
    tags = data.tags.split(', ');
  }
  return {
    locale,
    path: pagePath,
    headerParsed,
    title: 'title' in data ? data.title : pagePath.split('/').pop(),
    description: (data.description as unknown) || '',
    tags,
    isPublished: 'isPublished' in data ? data.isPublished : true,
    content: data.content,
  };
}
