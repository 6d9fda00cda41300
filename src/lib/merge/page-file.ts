/**
 * Reading and writing a page file: a Wiki.js header, a blank line, the Markdown body.
 *
 * Two header forms exist (see DESIGN "Page header"): YAML inside an HTML comment at the very top
 * (`<!--` … `-->`, the seed's form) and Wiki.js Git storage's `---` block. Both are split off the
 * way gray-matter splits them (see {@link splitHeader}); the YAML is parsed with the `yaml`
 * package's failsafe schema so that every value stays the exact string that was written (dates
 * are not turned into Date objects, `0123` is not a number), and the known fields are then typed
 * by hand. Values are written the way Wiki.js writes
 * them (raw), except where a raw value would break a YAML parse or close the comment.
 */
import { parse as parseYaml } from 'yaml';
import type { PageHeader } from '../render/page.ts';

export type HeaderForm = 'comment' | 'frontmatter';

/** A header as read: the known fields, typed, plus any other field exactly as parsed. */
export type ParsedHeader = Partial<PageHeader> & Record<string, unknown>;

export interface ParsedPageFile {
  readonly header: ParsedHeader;
  readonly form: HeaderForm | 'none';
  /** The Markdown after the header, without the blank line(s) that separate it from the header. */
  readonly body: string;
}

/** Wiki.js's field order. */
export const HEADER_FIELDS = ['title', 'description', 'published', 'date', 'tags', 'editor', 'dateCreated'] as const;
const KNOWN_FIELDS: ReadonlySet<string> = new Set(HEADER_FIELDS);

const DELIMITERS: Readonly<Record<HeaderForm, readonly [string, string]>> = {
  comment: ['<!--', '-->'],
  frontmatter: ['---', '---'],
};

/** `-->` (and HTML's `--!>`) would end the comment form early; written as `--&gt;` instead. */
const COMMENT_CLOSERS = /--(!?)>/g;
const ESCAPED_COMMENT_CLOSERS = /--(!?)&gt;/g;

/**
 * Parses the YAML of a header with the failsafe schema (every scalar a string). A header that is
 * not valid YAML (for instance a value containing `: ` that Wiki.js wrote raw) is read line by
 * line as `key: value`, so that nothing a person wrote there is lost.
 */
export function parseHeaderYaml(source: string): Record<string, unknown> {
  return plainHeader(source) ?? parseHeaderYamlByParsing(source);
}

/**
 * The header when every line is a plain `key: value` (the form generate and Wiki.js write):
 * there the YAML reading below keeps every value as written, so no parse is needed. Undefined
 * when any line is something else (a quoted, flow, block or continued value, a comment, a key
 * written twice), and then the header is parsed.
 */
function plainHeader(source: string): Record<string, unknown> | undefined {
  const result: Record<string, unknown> = {};
  for (const line of source.split('\n')) {
    if (line.trim() === '') continue;
    const match = PLAIN_LINE.exec(line.trimEnd());
    const key = match?.[1];
    const value = match?.[2];
    if (key === undefined || value === undefined || key === '__proto__' || Object.hasOwn(result, key)) return undefined;
    // YAML syntax at the start of the value (quoted, flow, block, anchor, tag, comment, entry…).
    if (/^[ \t]/.test(line) || value !== value.trim()) return undefined;
    if (INDICATOR_START.test(value)) {
      // A single-quoted scalar on one line (what serializePageFile writes for a value with `: `).
      const quoted = SINGLE_QUOTED.exec(value);
      if (quoted === null) return undefined;
      result[key] = (quoted[1] as string).replaceAll("''", "'");
      continue;
    }
    result[key] = value;
  }
  return result;
}

/** {@link parseHeaderYaml} without the plain fast path (exported for the test that compares them). */
export function parseHeaderYamlByParsing(source: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = parseYaml(source, { schema: 'failsafe', uniqueKeys: false, logLevel: 'error' });
  } catch {
    return readLines(source);
  }
  if (data === null || data === undefined || data === '') return {};
  if (typeof data !== 'object' || Array.isArray(data)) return readLines(source);
  // Wiki.js writes values raw: `description: ask in #infra` means all of it, not a YAML comment.
  const result = { ...(data as Record<string, unknown>) };
  const lines = source.split('\n');
  lines.forEach((line, index) => {
    const match = PLAIN_LINE.exec(line.trimEnd());
    const key = match?.[1];
    const value = match?.[2];
    if (key === undefined || value === undefined || typeof result[key] !== 'string') return;
    if (/^[ \t]/.test(lines[index + 1] ?? '')) return; // a value continued on the next line
    if (/^['"[{|>&*!]/.test(value)) return; // YAML syntax: quoted, flow, block, anchor, tag
    result[key] = value;
  });
  return result;
}

const SINGLE_QUOTED = /^'((?:[^'\u0000-\u0008\u000a-\u001f\u007f]|'')*)'$/;

/** `key: value` on one line. */
const PLAIN_LINE = /^([A-Za-z_][\w.-]*)[ \t]*:[ \t]+(.*)$/;

/** A header that is not valid YAML (Wiki.js wrote a value with `: ` raw), read line by line. */
function readLines(source: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const line of source.split('\n')) {
    const match = /^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*))?$/.exec(line.trimEnd());
    if (match?.[1] === undefined || Object.hasOwn(result, match[1])) continue;
    result[match[1]] = unquote((match[2] ?? '').trim());
  }
  return result;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replaceAll("''", "'");
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'string') return parsed;
    } catch {
      return value.slice(1, -1);
    }
  }
  return value;
}

function splitTags(value: unknown): string[] | undefined {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value.flatMap((item) => (typeof item === 'string' ? item.split(',') : [])) : undefined;
  if (items === undefined) return undefined;
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  }
  return value;
}

/** Types the known fields; leaves every other field as parsed. */
function typeHeader(data: Record<string, unknown>): ParsedHeader {
  const header: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    switch (key) {
      case 'title':
      case 'description':
      case 'date':
      case 'dateCreated':
      case 'editor':
        if (typeof value === 'string') header[key] = key === 'date' || key === 'dateCreated' ? value.trim() : value;
        else if (value === null || value === undefined) header[key] = '';
        else header[key] = value;
        break;
      case 'published': {
        const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
        if (text === 'true') header[key] = true;
        else if (text === 'false') header[key] = false;
        else header[key] = value;
        break;
      }
      case 'tags':
        header[key] = value === null || value === undefined ? [] : (splitTags(value) ?? value);
        break;
      default:
        header[key] = value;
    }
  }
  return header as ParsedHeader;
}

const LEADING_BLANK_LINES = /^(?:[ \t]*\n)+/;

function tryForm(text: string, form: HeaderForm): ParsedPageFile | undefined {
  const [open, close] = DELIMITERS[form];
  // The opening delimiter alone on the first line; gray-matter would take anything after it as a
  // language name, and a page that merely starts with a comment or a rule is not a header.
  if (!new RegExp(`^${open}[ \\t]*\\n`).test(text)) return undefined;
  if (!text.includes(`\n${close}`, open.length)) return undefined;
  const file = splitHeader(text, open, close);
  const data = file.block === undefined ? {} : parseHeaderYaml(file.block);
  if (!Object.keys(data).some((key) => KNOWN_FIELDS.has(key))) return undefined;
  const unescaped = form === 'comment' ? (mapStrings(data, (value) => value.replace(ESCAPED_COMMENT_CLOSERS, '--$1>')) as Record<string, unknown>) : data;
  return { header: typeHeader(unescaped), form, body: file.content.replace(LEADING_BLANK_LINES, '') };
}

/**
 * Splits `text`, which starts with the `open` delimiter alone on its line (spaces and tabs aside,
 * as `tryForm` makes sure), into the header block and the content, as
 * gray-matter does with `delimiters: [open, close]` (it used to do this; its js-yaml and ~40
 * modules were loaded at every start for it): the block runs from after `open` to the first
 * `\n` + `close` (or to the end), the content starts after that `close` and one line break. A
 * block that is empty once `#` comment lines are dropped is not parsed (`block` undefined).
 * test/merge/page-file-split.test.ts compares the two.
 */
export function splitHeader(text: string, open: string, close: string): { block: string | undefined; content: string } {
  const rest = text.slice(open.length);
  const closing = `\n${close}`;
  const end = rest.indexOf(closing);
  const block = end === -1 ? rest : rest.slice(0, end);
  let content = end === -1 ? '' : rest.slice(end + closing.length);
  if (content.startsWith('\r')) content = content.slice(1);
  if (content.startsWith('\n')) content = content.slice(1);
  return { block: block.replace(/^\s*#[^\n]+/gm, '').trim() === '' ? undefined : block, content };
}

/** A page file's text as `parsePageFile` reads it: no byte-order mark, `\n` line endings (lines are counted the same). */
export function normalisePageText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * Reads a page file in either header form. Line endings are normalised to `\n` and a byte-order
 * mark is dropped. A file without a recognisable header (no known field in it) has form `none`
 * and is all body.
 */
export function parsePageFile(text: string): ParsedPageFile {
  const normalised = normalisePageText(text);
  return tryForm(normalised, 'comment') ?? tryForm(normalised, 'frontmatter') ?? { header: {}, form: 'none', body: normalised };
}

const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`]/;

/**
 * Would `key: value`, written raw, be read back by YAML as exactly this string? Asked for every
 * header value of every page, so answers are remembered, and a value that is plainly a string
 * (see {@link plainlySafe}) is not parsed at all.
 */
export function rawIsSafe(value: string, strictTypes: boolean): boolean {
  if (plainlySafe(value)) return true;
  const memo = strictTypes ? STRICT_MEMO : CORE_MEMO;
  let safe = memo.get(value);
  if (safe === undefined) {
    safe = rawIsSafeByParsing(value, strictTypes);
    if (value.length <= MEMO_VALUE_LIMIT) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      // A value cut from a page's text may be a V8 slice that keeps the whole text alive: the
      // memo keeps a copy of its own (on W3 the slices held ~1,000 page texts, ~33 MB).
      memo.set(Buffer.from(value, 'utf8').toString('utf8'), safe);
    }
  }
  return safe;
}

const MEMO_LIMIT = 10_000;
/** Longer values (descriptions) are unique per page: remembering them saves nothing. */
const MEMO_VALUE_LIMIT = 100;
const CORE_MEMO = new Map<string, boolean>();
const STRICT_MEMO = new Map<string, boolean>();

// Starts with an ASCII letter and holds only characters that mean nothing inside a YAML plain
// scalar in block context (no `:`, `#`, tabs or anything outside ASCII), and does not end in a
// space. Such a scalar is a string unless all of it is a word YAML reads as a boolean or null, or
// a YAML 1.1 float without digits before the exponent (`e4`, `E+5`: the yaml package reads them as
// floats); the other numbers, dates, `.inf`/`.nan` and `~` all start with something else.
const PLAIN_STRING = /^[A-Za-z](?:[A-Za-z0-9 _.,;()/'+=&@-]*[A-Za-z0-9_.,;()/'+=&@-])?$/;
const TYPED_LETTER_START = /^(?:y|n|yes|no|on|off|true|false|null|e[-+]?[0-9]+)$/i;

/**
 * A cheap sufficient condition for {@link rawIsSafe}, in both schemas: true only for values the
 * YAML parse would read back unchanged (test/merge/page-file-safe.test.ts checks it against the
 * parse); false says nothing.
 */
export function plainlySafe(value: string): boolean {
  return PLAIN_STRING.test(value) && !TYPED_LETTER_START.test(value);
}

/** {@link rawIsSafe} without the memo and the fast path: writes `k: value` and parses it back. */
export function rawIsSafeByParsing(value: string, strictTypes: boolean): boolean {
  if (value === '') return true;
  if (value !== value.trim() || INDICATOR_START.test(value)) return false;
  if (value.includes(': ') || value.endsWith(':') || value.includes(' #') || value.includes('\t')) return false;
  for (const schema of strictTypes ? (['core', 'yaml-1.1'] as const) : (['core'] as const)) {
    try {
      const read: unknown = parseYaml(`k: ${value}\n`, { schema });
      if (typeof read !== 'object' || read === null || (read as Record<string, unknown>).k !== value) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** One line, no control characters: a header value may never span lines. */
function singleLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

/**
 * A header value as Wiki.js writes it: raw when that reads back as the same string, else in
 * single quotes (YAML's simplest safe quoting). `strictTypes` also quotes what YAML 1.1 (js-yaml,
 * which Wiki.js uses) would read as a date, number, boolean or null.
 */
function formatValue(value: string, form: HeaderForm, strictTypes: boolean): string {
  let text = singleLine(value);
  if (form === 'comment') text = text.replace(COMMENT_CLOSERS, '--$1&gt;');
  if (rawIsSafe(text, strictTypes)) return text;
  return `'${text.replaceAll("'", "''")}'`;
}

function formatExtra(value: unknown, form: HeaderForm): string {
  if (typeof value === 'string') return formatValue(value, form, true);
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (value === null || value === undefined) return '';
  const json = singleLine(JSON.stringify(value));
  return form === 'comment' ? json.replace(COMMENT_CLOSERS, '--$1&gt;') : json;
}

function line(key: string, value: string): string {
  return `${key}: ${value}`;
}

/**
 * Writes a page file: the header in Wiki.js's field order (`title, description, published, date,
 * tags, editor, dateCreated`, then any `extra` field in its own order), a blank line, the body
 * ending in exactly one newline. Tags are one comma-space list (a tag can't contain a comma: it
 * is split there). An empty value is written `key: `.
 */
export function serializePageFile(
  header: PageHeader,
  body: string,
  form: HeaderForm,
  extra: Readonly<Record<string, unknown>> = {},
): string {
  const [open, close] = DELIMITERS[form];
  const tags = (splitTags([...header.tags]) ?? []).join(', ');
  const lines = [
    open,
    line('title', formatValue(header.title, form, true)),
    line('description', formatValue(header.description, form, true)),
    line('published', header.published ? 'true' : 'false'),
    line('date', formatValue(header.date, form, false)),
    line('tags', formatValue(tags, form, true)),
    line('editor', formatValue(header.editor, form, false)),
  ];
  if (header.dateCreated !== undefined) lines.push(line('dateCreated', formatValue(header.dateCreated, form, false)));
  for (const [key, value] of Object.entries(extra)) {
    if (KNOWN_FIELDS.has(key) || !/^[A-Za-z_][\w.-]*$/.test(key)) continue;
    lines.push(line(key, formatExtra(value, form)));
  }
  lines.push(close);
  // trimEnd strips exactly what /\s+$/ matches, without trying a match at every space of the page.
  const text = (body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body).replace(LEADING_BLANK_LINES, '').trimEnd();
  return text === '' ? `${lines.join('\n')}\n` : `${lines.join('\n')}\n\n${text}\n`;
}
