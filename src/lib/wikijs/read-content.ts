/**
 * Reads the pages to publish: every `<content>/<path>.md`, header in the HTML-comment form
 * (`<!--\ntitle: …\n-->`, the seed's) or the `---` form. A stop-gap until
 * `src/lib/merge/page-file.ts` (parsePageFile / serializePageFile) lands: then `parsePageText`
 * becomes a call to it and the rest stays.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { parse as parseYaml } from 'yaml';
import type { PageHeader } from '../render/page.ts';

/** A page ready to publish: its wiki path, its header, and its Markdown body (after the header). */
export interface LocalPage {
  readonly path: string;
  readonly header: PageHeader;
  readonly content: string;
  /** The file it came from, for messages. */
  readonly file?: string;
}

export type HeaderForm = 'comment' | 'yaml' | 'none';

const COMMENT_HEADER = /^<!--\r?\n([\s\S]*?)\r?\n?-->[ \t]*(?:\r?\n|$)/;
const YAML_HEADER = /^---\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)/;

/** Splits a page file into its raw header fields, header form and body (leading blank lines dropped). */
export function parsePageText(text: string): { header: Record<string, unknown>; form: HeaderForm; body: string } {
  const source = text.replace(/^\uFEFF/, '');
  const m = COMMENT_HEADER.exec(source) ?? YAML_HEADER.exec(source);
  if (!m) return { header: {}, form: 'none', body: source };
  const parsed: unknown = m[1]!.trim() === '' ? {} : parseYaml(m[1]!);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the page header is not a YAML mapping');
  return {
    header: parsed as Record<string, unknown>,
    form: source.startsWith('<!--') ? 'comment' : 'yaml',
    body: source.slice(m[0].length).replace(/^(?:\r?\n)+/, ''),
  };
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** Tags as a list: a YAML list, or Wiki.js's comma-separated string. */
export function tagList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((t) => text(t).trim()).filter((t) => t !== '');
  return text(value)
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** The raw header fields as a PageHeader; a missing title falls back to the last path segment. */
export function toPageHeader(raw: Record<string, unknown>, fallbackTitle: string): PageHeader {
  const published = raw.published ?? raw.isPublished;
  const header: PageHeader = {
    title: text(raw.title).trim() || fallbackTitle,
    description: text(raw.description),
    published: published === undefined || published === null ? true : published === true || published === 'true',
    date: text(raw.date),
    tags: tagList(raw.tags),
    editor: 'markdown',
  };
  return raw.dateCreated ? { ...header, dateCreated: text(raw.dateCreated) } : header;
}

/** Reads every `*.md` under the content folder, sorted by wiki path. */
export async function readContent(contentDir: string): Promise<LocalPage[]> {
  const files = (await glob('**/*.md', { cwd: contentDir, dot: false })).sort();
  const pages: LocalPage[] = [];
  for (const rel of files) {
    const file = path.join(contentDir, rel);
    const wikiPath = rel.split(path.sep).join('/').replace(/\.md$/, '');
    let parsed: ReturnType<typeof parsePageText>;
    try {
      parsed = parsePageText(await readFile(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: cannot read the page header: ${(error as Error).message}`);
    }
    pages.push({ path: wikiPath, header: toPageHeader(parsed.header, wikiPath.split('/').pop()!), content: parsed.body, file });
  }
  return pages;
}
