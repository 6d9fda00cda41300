/**
 * Wiki.js 2.x's own Markdown page file (Git storage), as pageHelper.injectPageMetadata writes it:
 *
 *     ---
 *     title: …
 *     description: …
 *     published: true
 *     date: 2026-11-26T22:06:37.203Z
 *     tags: homelab, authentik
 *     editor: markdown
 *     dateCreated: 2026-11-26T22:06:37.203Z
 *     ---
 *
 *     <content>
 *
 * Fields in this order, values raw (`key: value`), tags one comma-space list, empty values `key: `.
 *
 * Where we depart from "raw": Wiki.js imports the block with a YAML parser, so a raw value that YAML
 * would read differently (`a: b` breaks the parse and the whole header lands in the body; `yes`,
 * `2024-01-01`, `#x`, `[x]` change type or vanish) is written double-quoted instead. Wiki.js
 * itself would write it raw and break; quoting is the only way such a title survives.
 *
 * `published` vs `isPublished`: Wiki.js WRITES `published` but on import READS only `isPublished`
 * (new pages default to published, existing ones keep their state). A faithful file therefore has
 * exactly Wiki.js's seven fields — byte-identical to what Wiki.js exports, so its own next sync
 * makes no churn — plus, only for an unpublished page, `isPublished: false` after `published`,
 * because without it Wiki.js would import the page as published.
 */
import { parse as parseYaml, parseDocument } from 'yaml';
import type { PreparedPage } from './plan.ts';

function parsesAs(line: string, key: string, value: string): boolean {
  for (const schema of ['core', 'yaml-1.1'] as const) {
    // Warnings count as failures too: js-yaml throws on an unknown tag such as `!x`.
    const doc = parseDocument(line, { schema, logLevel: 'silent' });
    if (doc.errors.length > 0 || doc.warnings.length > 0) return false;
    let parsed: Record<string, unknown> | null;
    try {
      parsed = doc.toJS() as Record<string, unknown> | null;
    } catch {
      return false;
    }
    if (!parsed || typeof parsed !== 'object' || parsed[key] !== value) return false;
  }
  return true;
}

/** `key: value` raw when YAML (core and 1.1 schemas alike) reads back the same string, else quoted. */
export function wikiHeaderLine(key: string, value: string): string {
  if (value === '') return `${key}: `;
  const raw = `${key}: ${value}`;
  if (!/[\r\n]/.test(value) && parsesAs(raw, key, value)) return raw;
  return `${key}: ${JSON.stringify(value)}`;
}

/** ISO-8601 UTC with milliseconds, as Wiki.js writes dates; other text is kept as it is. */
export function wikiDate(value: string | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

/** Dates are written raw like Wiki.js does (YAML reads them as timestamps; Wiki.js ignores them on import). */
function dateLine(key: string, value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) ? `${key}: ${value}` : wikiHeaderLine(key, value);
}

/** The file Wiki.js would keep for this page. `dateCreated` of an existing file wins over ours. */
export function serializeWikiFile(page: PreparedPage, existingDateCreated?: string): string {
  const date = wikiDate(page.date);
  const lines = [
    wikiHeaderLine('title', page.title),
    wikiHeaderLine('description', page.description),
    `published: ${page.published}`,
    ...(page.published ? [] : ['isPublished: false']),
    dateLine('date', date),
    wikiHeaderLine('tags', page.tags.join(', ')),
    'editor: markdown',
    dateLine('dateCreated', existingDateCreated || wikiDate(page.dateCreated) || date),
  ];
  return `---\n${lines.join('\n')}\n---\n\n${page.content}`;
}

const MARKDOWN_FRONTMATTER = /^(-{3}(?:\n|\r)([\w\W]+?)(?:\n|\r)-{3})?(?:\n|\r)*([\w\W]*)*/;

/**
 * Reads a storage file's header the way Wiki.js does (the `---` block parsed as YAML; a block that
 * does not parse counts as no header). For the publisher's own bookkeeping: tags and dateCreated.
 */
export function readWikiFileHeader(text: string): { fields?: Record<string, unknown>; content: string } {
  const m = MARKDOWN_FRONTMATTER.exec(text);
  if (m?.[2]) {
    try {
      const fields = parseYaml(m[2], { schema: 'yaml-1.1', logLevel: 'silent' }) as unknown;
      if (fields && typeof fields === 'object' && !Array.isArray(fields)) return { fields: fields as Record<string, unknown>, content: m[3] ?? '' };
    } catch {
      // Wiki.js logs "Failed to parse page metadata" and imports the whole text as the body.
    }
  }
  return { content: text };
}

/** Tags of a storage file, split as Wiki.js splits them (", "), lower-cased. */
export function wikiFileTags(fields: Record<string, unknown> | undefined): string[] {
  const tags = fields?.tags;
  if (typeof tags !== 'string') return [];
  return tags
    .split(', ')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}
