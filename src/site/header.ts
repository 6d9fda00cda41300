/**
 * Reads a page's Wiki.js header in either form: the seed's YAML inside an HTML comment
 * (`<!-- … -->`) or a `---` YAML block. Both are parsed by gray-matter, with the comment markers
 * as delimiters for the first form.
 */
import matter from 'gray-matter';

export interface ParsedPage {
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly published: boolean;
  readonly date: Date | undefined;
  readonly dateCreated: Date | undefined;
  readonly tags: string[];
  /** The Markdown after the header. */
  readonly body: string;
}

const str = (value: unknown): string | undefined => {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  return text ? text : undefined;
};

const date = (value: unknown): Date | undefined => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'string' && value.trim()) {
    const parsed = new Date(value.trim());
    return Number.isNaN(parsed.getTime()) ? undefined : parsed;
  }
  return undefined;
};

const tags = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.map((t) => String(t).trim()).filter(Boolean);
  if (typeof value === 'string') return value.split(',').map((t) => t.trim()).filter(Boolean);
  return [];
};

const HEADER_KEYS = ['title', 'description', 'published', 'date', 'tags', 'editor', 'dateCreated'];

export function parsePage(raw: string): ParsedPage {
  const text = raw.replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  let data: Record<string, unknown> = {};
  let body = text;
  if (trimmed.startsWith('<!--') || trimmed.startsWith('---')) {
    const delimiters: [string, string] = trimmed.startsWith('<!--') ? ['<!--', '-->'] : ['---', '---'];
    try {
      // An options object also keeps gray-matter from caching every page by its text.
      const parsed = matter(trimmed, { delimiters });
      const found = parsed.data && typeof parsed.data === 'object' ? (parsed.data as Record<string, unknown>) : {};
      // Only a block that carries header keys is a header; any other leading comment is body.
      if (HEADER_KEYS.some((key) => key in found)) {
        data = found;
        body = parsed.content;
      }
    } catch {
      // A header that is not YAML (e.g. an ordinary leading HTML comment) is left in the body,
      // where it is shown as text like any other raw HTML.
      data = {};
      body = text;
    }
  }
  return {
    title: str(data.title),
    description: str(data.description),
    published: data.published !== false && data.published !== 'false',
    date: date(data.date),
    dateCreated: date(data.dateCreated),
    tags: tags(data.tags),
    body,
  };
}
