/**
 * TEST DOUBLE — a stand-in Wiki.js 2.5 GraphQL server on 127.0.0.1, for the publisher's tests.
 * It is not a Wiki.js: it implements exactly the `pages` operations the publisher uses
 * (`singleByPath`, `single`, `list`, `create`, `update`, `delete`) and reproduces the real server's
 * observed quirks (../../../docs/wikijs.md lists them and the tests that pin each one):
 *
 * - API switched off + a valid key ⇒ HTTP 500 `{data:{}, errors:[{message:"API is disabled…"}]}`;
 *   a revoked key ⇒ HTTP 500 "API Key is invalid or was revoked.".
 * - An unknown, malformed or missing bearer token runs as Guest: `list` works, `singleByPath`/`single`
 *   throw 6013 PageViewForbidden, `create` answers 6010 PageDeleteForbidden (the real server's code
 *   for a forbidden create), `update` 6009, `delete` 6010.
 * - Business errors are HTTP 200 `responseResult {succeeded:false, errorCode, slug, message}`;
 *   thrown errors (6003 on a missing page) are HTTP 200 with a top-level `errors` entry
 *   (Apollo 2 shape: `extensions.exception.code`) and the field nulled.
 * - create checks in the real order: illegal path (6005) → write permission → duplicate (6002) →
 *   empty content (6004).
 * - update is not a patch: a missing `isPublished` unpublishes; a missing `tags` writes content,
 *   title and description, then fails with errorCode 1 `TypeError`.
 * - selecting `page { locale }` or `page { editor }` on create/update nulls `page` with an error
 *   although the write succeeded.
 * - tags are trimmed, lower-cased and de-duplicated.
 * - every write waits `writeDelayMs` (render time), and `updatedAt` is bumped again
 *   `updatedAtBumpMs` after it.
 * - GraphQL validation (unknown fields, missing required arguments, selections on scalars, variable
 *   types) answers HTTP 400 like Apollo Server 2.
 *
 * Test hooks: `inject()` fault rules (HTTP status, hang, socket cut — before or after the write),
 * `requests` (every request body as received), `seedPage`/`editPage` (a person editing in Wiki.js).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { API_DISABLED_MESSAGE, API_KEY_REVOKED_MESSAGE, WIKI_CODE } from './errors.ts';
import { GqlSyntaxError, parseGraphQL, printType, type GqlField, type GqlOperation, type GqlType, type GqlValue } from './gql-parse.ts';

// ---------------------------------------------------------------------------------------------
// Public types

export interface StoredPage {
  id: number;
  path: string;
  locale: string;
  title: string;
  description: string;
  content: string;
  editor: string;
  isPublished: boolean;
  isPrivate: boolean;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  render: string;
  /** Number of writes that touched the page (create counts as 1). */
  versions: number;
}

export interface RecordedRequest {
  readonly at: number;
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
  /** The body exactly as received. */
  readonly body: string;
  /** `pages.<field>` of the first root field, when the body parsed. */
  operation?: string;
  kind?: 'query' | 'mutation';
  /** The HTTP status sent, or `hang` / `cut` when the fault machinery intervened. */
  outcome?: number | 'hang' | 'cut';
}

export interface FaultRule {
  /** `status`: answer with that HTTP status; `hang`: never answer; `cut`: destroy the socket. */
  readonly kind: 'status' | 'hang' | 'cut';
  /** HTTP status for `status` faults (default 500). */
  readonly status?: number;
  /** How many matching requests the fault hits (default 1). */
  readonly count?: number;
  /** Matching requests to let through first (default 0). */
  readonly skip?: number;
  /** `before` the request is executed (nothing written) or `after` (written, answer lost). Default before. */
  readonly when?: 'before' | 'after';
  /**
   * Which requests: `any` (default), `query`, `mutation`, a `pages.<op>` name such as `pages.create`,
   * or a predicate over the recorded request (its body, operation, kind).
   */
  readonly match?: 'any' | 'query' | 'mutation' | string | ((request: RecordedRequest) => boolean);
}

export interface StandinOptions {
  /** API keys: `write` = Administrators group, `read` = a group with read:pages only. */
  readonly keys?: Readonly<Record<string, 'write' | 'read'>>;
  /** Keys that are well-formed but revoked (HTTP 500 "API Key is invalid or was revoked."). */
  readonly revokedKeys?: readonly string[];
  readonly apiEnabled?: boolean;
  /** Delay of every successful write (the render job of the real server). Number or function. */
  readonly writeDelayMs?: number | (() => number);
  /** `updatedAt` is bumped again this long after each write (default 1500 like the real server). */
  readonly updatedAtBumpMs?: number;
  /** Default locale (`en`). */
  readonly locale?: string;
}

export interface StandinServer {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Pages as stored (copies). */
  pages(): StoredPage[];
  page(path: string, locale?: string): StoredPage | undefined;
  /** Inserts a page directly (no request recorded), like a page made by hand in Wiki.js. */
  seedPage(page: Partial<StoredPage> & { path: string; content: string }): StoredPage;
  /** Changes a stored page directly, like a person editing it in Wiki.js. */
  editPage(path: string, changes: Partial<Omit<StoredPage, 'id'>>, locale?: string): StoredPage;
  inject(rule: FaultRule): void;
  clearFaults(): void;
  setApiEnabled(enabled: boolean): void;
  setWriteDelay(ms: number | (() => number)): void;
  /** Writes actually applied (create, update — also a half-applied one — and delete). */
  readonly writeCount: number;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Schema (the part of Wiki.js 2.5's page.graphql the publisher touches)

interface TypeRef {
  readonly name?: string;
  readonly of?: TypeRef;
  readonly nonNull: boolean;
}

function t(spec: string): TypeRef {
  if (spec.endsWith('!')) return { ...t(spec.slice(0, -1)), nonNull: true };
  if (spec.startsWith('[')) return { of: t(spec.slice(1, -1)), nonNull: false };
  return { name: spec, nonNull: false };
}

function printRef(ref: TypeRef): string {
  return printType(ref as GqlType);
}

interface FieldSpec {
  readonly type: TypeRef;
  readonly args: Readonly<Record<string, TypeRef>>;
}

function fields(spec: Record<string, string | [string, Record<string, string>]>): Record<string, FieldSpec> {
  const out: Record<string, FieldSpec> = {};
  for (const [name, value] of Object.entries(spec)) {
    const [type, args] = typeof value === 'string' ? [value, {}] : value;
    out[name] = { type: t(type), args: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, t(v)])) };
  }
  return out;
}

const SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'Date', 'ID']);
const ENUMS: Record<string, readonly string[]> = {
  PageOrderBy: ['CREATED', 'ID', 'PATH', 'TITLE', 'UPDATED'],
  PageOrderByDirection: ['ASC', 'DESC'],
};

const TYPES: Record<string, Record<string, FieldSpec>> = {
  Query: fields({ pages: 'PageQuery' }),
  Mutation: fields({ pages: 'PageMutation' }),
  PageQuery: fields({
    singleByPath: ['Page', { path: 'String!', locale: 'String!' }],
    single: ['Page', { id: 'Int!' }],
    list: [
      '[PageListItem!]!',
      {
        limit: 'Int',
        orderBy: 'PageOrderBy',
        orderByDirection: 'PageOrderByDirection',
        tags: '[String!]',
        locale: 'String',
        creatorId: 'Int',
        authorId: 'Int',
      },
    ],
  }),
  PageMutation: fields({
    create: [
      'PageResponse',
      {
        content: 'String!',
        description: 'String!',
        editor: 'String!',
        isPublished: 'Boolean!',
        isPrivate: 'Boolean!',
        locale: 'String!',
        path: 'String!',
        publishEndDate: 'Date',
        publishStartDate: 'Date',
        scriptCss: 'String',
        scriptJs: 'String',
        tags: '[String]!',
        title: 'String!',
      },
    ],
    update: [
      'PageResponse',
      {
        id: 'Int!',
        content: 'String',
        description: 'String',
        editor: 'String',
        isPrivate: 'Boolean',
        isPublished: 'Boolean',
        locale: 'String',
        path: 'String',
        publishEndDate: 'Date',
        publishStartDate: 'Date',
        scriptCss: 'String',
        scriptJs: 'String',
        tags: '[String]',
        title: 'String',
      },
    ],
    delete: ['DefaultResponse', { id: 'Int!' }],
  }),
  Page: fields({
    id: 'Int!',
    path: 'String!',
    hash: 'String!',
    title: 'String!',
    description: 'String!',
    isPrivate: 'Boolean!',
    isPublished: 'Boolean!',
    privateNS: 'String',
    publishStartDate: 'Date!',
    publishEndDate: 'Date!',
    tags: '[PageTag]!',
    content: 'String!',
    render: 'String',
    toc: 'String',
    contentType: 'String!',
    createdAt: 'Date!',
    updatedAt: 'Date!',
    editor: 'String!',
    locale: 'String!',
    scriptCss: 'String',
    scriptJs: 'String',
    authorId: 'Int!',
    authorName: 'String!',
    authorEmail: 'String!',
    creatorId: 'Int!',
    creatorName: 'String!',
    creatorEmail: 'String!',
  }),
  PageTag: fields({ id: 'Int!', tag: 'String!', title: 'String', createdAt: 'Date!', updatedAt: 'Date!' }),
  PageListItem: fields({
    id: 'Int!',
    path: 'String!',
    locale: 'String!',
    title: 'String',
    description: 'String',
    contentType: 'String!',
    isPublished: 'Boolean!',
    isPrivate: 'Boolean!',
    privateNS: 'String',
    createdAt: 'Date!',
    updatedAt: 'Date!',
    tags: '[String]',
  }),
  PageResponse: fields({ responseResult: 'ResponseStatus!', page: 'Page' }),
  DefaultResponse: fields({ responseResult: 'ResponseStatus' }),
  ResponseStatus: fields({ succeeded: 'Boolean!', errorCode: 'Int!', slug: 'String!', message: 'String' }),
};

function namedType(ref: TypeRef): string {
  return ref.of ? namedType(ref.of) : ref.name!;
}

// ---------------------------------------------------------------------------------------------
// Errors as the real server produces them

/** A Wiki.js custom error (custom-error-instance: name, message, numeric code). */
class WikiJsError extends Error {
  readonly code: number;
  constructor(name: keyof typeof WIKI_CODE, message: string) {
    super(message);
    this.name = name;
    this.code = WIKI_CODE[name];
  }
}

const MESSAGES = {
  PageDuplicateCreate: 'Cannot create this page because an entry already exists at the same path.',
  PageNotFound: 'This page does not exist.',
  PageEmptyContent: 'Page content cannot be empty.',
  PageIllegalPath: 'Page path cannot contains illegal characters.',
  PagePathCollision: 'Destination page path already exists.',
  PageMoveForbidden: 'You are not authorized to move this page.',
  PageUpdateForbidden: 'You are not authorized to update this page.',
  PageDeleteForbidden: 'You are not authorized to delete this page.',
  PageViewForbidden: 'You are not authorized to view this page.',
} as const;

function wikiError(name: keyof typeof MESSAGES): WikiJsError {
  return new WikiJsError(name, MESSAGES[name]);
}

/** graphHelper.generateError of Wiki.js 2.x. */
function generateError(err: unknown): { responseResult: Record<string, unknown> } {
  const e = err as { code?: unknown; name?: string; message?: string };
  return {
    responseResult: {
      succeeded: false,
      errorCode: typeof e.code === 'number' && Number.isFinite(e.code) ? e.code : 1,
      slug: e.name ?? 'Error',
      message: e.message || 'An unexpected error occured.',
    },
  };
}

function generateSuccess(message: string): Record<string, unknown> {
  return { succeeded: true, errorCode: 0, slug: 'ok', message };
}

class RequestError extends Error {
  readonly status: number;
  readonly extensionsCode: string;
  readonly locations?: { line: number; column: number }[];
  constructor(message: string, status: number, extensionsCode: string, locations?: { line: number; column: number }[]) {
    super(message);
    this.status = status;
    this.extensionsCode = extensionsCode;
    this.locations = locations;
  }
}

// ---------------------------------------------------------------------------------------------
// Path rules of pages.createPage and pageHelper

const RESERVED_FIRST = new Set(['login', 'logout', 'register', 'verify', 'favicons', 'fonts', 'img', 'js', 'svg']);
const LOCALE_SEGMENT = /^[A-Z]{2}(-[A-Z]{2})?$/i;

function illegalChars(path: string): boolean {
  return path.includes('.') || path.includes(' ') || path.includes('\\') || path.includes('//');
}

function isReservedPath(path: string): boolean {
  const first = path.split('/')[0] ?? '';
  return first.length <= 1 || LOCALE_SEGMENT.test(first) || RESERVED_FIRST.has(first);
}

function stripSlashes(path: string): string {
  let p = path;
  if (p.endsWith('/')) p = p.slice(0, -1);
  if (p.startsWith('/')) p = p.slice(1);
  return p;
}

// ---------------------------------------------------------------------------------------------
// A crude renderer for `single { render }`: enough to see links and text, not markdown-it.

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function renderInline(text: string): string {
  let out = '';
  const re = /\[([^\]]*)\]\(([^)\s]+)\)|`([^`]+)`/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    out += escapeHtml(text.slice(last, m.index));
    if (m[3] !== undefined) out += `<code>${escapeHtml(m[3])}</code>`;
    else out += `<a class="is-external-link" href="${escapeHtml(m[2]!)}">${escapeHtml(m[1]!)}</a>`;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

export function renderMarkdownCrudely(markdown: string): string {
  const blocks = markdown.split(/\n{2,}/).filter((b) => b.trim() !== '');
  return blocks
    .map((block) => {
      const h = /^(#{1,6})\s+(.*)$/.exec(block.trim());
      if (h) return `<h${h[1]!.length}>${renderInline(h[2]!)}</h${h[1]!.length}>`;
      return `<p>${renderInline(block.trim())}</p>`;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Execution

type User = 'guest' | 'api-write' | 'api-read';
interface Context {
  readonly user: User;
}

const BUBBLE = Symbol('null-bubble');

interface GqlErrorEntry {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

class Store {
  private readonly byId = new Map<number, StoredPage>();
  private nextId = 1;
  private readonly timers = new Set<NodeJS.Timeout>();
  writeCount = 0;
  closed = false;
  readonly defaultLocale: string;
  writeDelay: number | (() => number);
  readonly bumpMs: number;
  constructor(defaultLocale: string, writeDelay: number | (() => number), bumpMs: number) {
    this.defaultLocale = defaultLocale;
    this.writeDelay = writeDelay;
    this.bumpMs = bumpMs;
  }

  all(): StoredPage[] {
    return [...this.byId.values()];
  }
  find(path: string, locale: string): StoredPage | undefined {
    return this.all().find((p) => p.path === path && p.locale === locale);
  }
  get(id: number): StoredPage | undefined {
    return this.byId.get(id);
  }
  insert(fields: Omit<StoredPage, 'id' | 'createdAt' | 'updatedAt' | 'render' | 'versions'>): StoredPage {
    const now = new Date().toISOString();
    const page: StoredPage = { ...fields, id: this.nextId++, createdAt: now, updatedAt: now, render: '', versions: 1 };
    this.byId.set(page.id, page);
    return page;
  }
  remove(id: number): void {
    this.byId.delete(id);
  }
  async renderDelay(): Promise<void> {
    const ms = typeof this.writeDelay === 'function' ? this.writeDelay() : this.writeDelay;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }
  /** The real server touches `updatedAt` again a moment after each write (render / tree jobs). */
  scheduleBump(id: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const page = this.byId.get(id);
      if (page) page.updatedAt = new Date().toISOString();
    }, this.bumpMs);
    timer.unref();
    this.timers.add(timer);
  }
  stop(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

function normalizeTags(tags: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const v = String(tag ?? '').trim().toLowerCase();
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

function pageForQuery(page: StoredPage): Record<string, unknown> {
  return {
    ...page,
    hash: createHash('sha256').update(`${page.locale}|${page.path}|`).digest('hex'),
    privateNS: '',
    publishStartDate: '',
    publishEndDate: '',
    toc: '[]',
    contentType: 'markdown',
    tags: page.tags.map((tag, i) => ({ id: i + 1, tag, title: tag, createdAt: page.createdAt, updatedAt: page.createdAt })),
    scriptCss: '',
    scriptJs: '',
    authorId: 1,
    authorName: 'API',
    authorEmail: 'api@localhost',
    creatorId: 1,
    creatorName: 'API',
    creatorEmail: 'api@localhost',
  };
}

/**
 * What pages.createPage / updatePage return: the database model, which names the locale
 * `localeCode` and the editor `editorKey` — so `locale` and `editor` resolve to null and violate
 * their non-null types.
 */
function pageModel(page: StoredPage): Record<string, unknown> {
  const { locale, editor, ...rest } = pageForQuery(page) as Record<string, unknown> & { locale: string; editor: string };
  return { ...rest, localeCode: locale, editorKey: editor };
}

function makeResolvers(store: Store, ctx: Context) {
  const canManage = ctx.user === 'api-write';
  const canWrite = ctx.user === 'api-write';
  return {
    PageQuery: {
      singleByPath(args: Record<string, unknown>) {
        const page = store.find(String(args.path), String(args.locale));
        if (!page) throw wikiError('PageNotFound');
        if (!canManage) throw wikiError('PageViewForbidden');
        return pageForQuery(page);
      },
      single(args: Record<string, unknown>) {
        const page = store.get(Number(args.id));
        if (!page) throw wikiError('PageNotFound');
        if (!canManage) throw wikiError('PageViewForbidden');
        return pageForQuery(page);
      },
      list(args: Record<string, unknown>) {
        let rows = store.all();
        if (typeof args.locale === 'string' && args.locale) rows = rows.filter((p) => p.locale === args.locale);
        const tags = Array.isArray(args.tags) ? (args.tags as string[]) : [];
        if (tags.length > 0) {
          const lowered = tags.map((tag) => tag.trim().toLowerCase());
          rows = rows.filter((p) => p.tags.some((tag) => lowered.includes(tag)));
        }
        const dir = args.orderByDirection === 'DESC' ? -1 : 1;
        const key = (p: StoredPage): string | number =>
          args.orderBy === 'PATH' ? p.path : args.orderBy === 'TITLE' ? p.title : args.orderBy === 'CREATED' ? p.createdAt : args.orderBy === 'UPDATED' ? p.updatedAt : p.id;
        rows.sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0));
        if (typeof args.limit === 'number' && args.limit > 0) rows = rows.slice(0, args.limit);
        let items = rows.map((p) => ({ ...p, contentType: 'markdown', privateNS: '', tags: [...p.tags] }));
        // Real quirk: the tag filter is applied again with the caller's original spelling.
        if (tags.length > 0) items = items.filter((r) => tags.every((tag) => r.tags.includes(tag)));
        return items;
      },
    },
    PageMutation: {
      async create(args: Record<string, unknown>) {
        try {
          let path = String(args.path);
          if (illegalChars(path)) throw wikiError('PageIllegalPath');
          path = stripSlashes(path);
          if (isReservedPath(path)) throw wikiError('PageIllegalPath');
          if (!canWrite) throw wikiError('PageDeleteForbidden');
          const locale = String(args.locale);
          if (store.find(path, locale)) throw wikiError('PageDuplicateCreate');
          const content = typeof args.content === 'string' ? args.content : '';
          if (content.trim().length < 1) throw wikiError('PageEmptyContent');
          const page = store.insert({
            path,
            locale,
            title: String(args.title),
            description: String(args.description),
            content,
            editor: String(args.editor),
            isPublished: args.isPublished === true,
            isPrivate: args.isPrivate === true,
            tags: normalizeTags((args.tags as unknown[]) ?? []),
          });
          store.writeCount++;
          await store.renderDelay();
          page.render = renderMarkdownCrudely(page.content);
          store.scheduleBump(page.id);
          return { responseResult: generateSuccess('Page created successfully.'), page: pageModel(page) };
        } catch (err) {
          return generateError(err);
        }
      },
      async update(args: Record<string, unknown>) {
        try {
          const page = store.get(Number(args.id));
          if (!page) throw new Error('Invalid Page Id');
          if (!canWrite) throw wikiError('PageUpdateForbidden');
          const content = typeof args.content === 'string' ? args.content : '';
          if (content.trim().length < 1) throw wikiError('PageEmptyContent');
          // The patch: undefined title/description are left out by the ORM; isPublished is coerced.
          page.content = content;
          if (typeof args.description === 'string') page.description = args.description;
          if (typeof args.title === 'string') page.title = args.title;
          page.isPublished = args.isPublished === true;
          page.updatedAt = new Date().toISOString();
          page.versions++;
          store.writeCount++;
          // associateTags(tags.map(...)) — throws when tags were left out, after the write above.
          if (!Array.isArray(args.tags)) throw new TypeError("Cannot read properties of undefined (reading 'map')");
          page.tags = normalizeTags(args.tags);
          await store.renderDelay();
          page.render = renderMarkdownCrudely(page.content);
          const newPath = typeof args.path === 'string' ? args.path : undefined;
          const newLocale = typeof args.locale === 'string' ? args.locale : undefined;
          if ((newLocale && newLocale !== page.locale) || (newPath && newPath !== page.path)) {
            let dest = newPath ?? page.path;
            if (illegalChars(dest)) throw wikiError('PageIllegalPath');
            dest = stripSlashes(dest);
            const destLocale = newLocale ?? page.locale;
            if (store.find(dest, destLocale)) throw wikiError('PagePathCollision');
            page.path = dest;
            page.locale = destLocale;
          }
          store.scheduleBump(page.id);
          return { responseResult: generateSuccess('Page has been updated.'), page: pageModel(page) };
        } catch (err) {
          return generateError(err);
        }
      },
      async delete(args: Record<string, unknown>) {
        try {
          const page = store.get(Number(args.id));
          if (!page) throw new Error('Invalid Page Id');
          if (!canWrite) throw wikiError('PageDeleteForbidden');
          store.remove(page.id);
          store.writeCount++;
          await store.renderDelay();
          return { responseResult: generateSuccess('Page has been deleted.') };
        } catch (err) {
          return generateError(err);
        }
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Validation and variable coercion

function literalToJs(value: GqlValue, variables: Record<string, unknown>): unknown {
  switch (value.kind) {
    case 'var':
      return variables[value.name];
    case 'int':
    case 'float':
    case 'string':
    case 'bool':
      return value.value;
    case 'enum':
      return value.value;
    case 'null':
      return null;
    case 'list':
      return value.values.map((v) => literalToJs(v, variables));
    case 'object':
      return Object.fromEntries(Object.entries(value.fields).map(([k, v]) => [k, literalToJs(v, variables)]));
  }
}

/** Checks a JS value against an input type; returns a GraphQL-style reason or undefined. */
function checkInput(ref: TypeRef, value: unknown): string | undefined {
  if (value === null || value === undefined) return ref.nonNull ? `Expected non-nullable type "${printRef(ref)}" not to be null.` : undefined;
  if (ref.of) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const reason = checkInput(ref.of, item);
      if (reason) return reason;
    }
    return undefined;
  }
  const name = ref.name!;
  const show = JSON.stringify(value);
  if (name === 'String' || name === 'Date' || name === 'ID') return typeof value === 'string' ? undefined : `${name} cannot represent a non string value: ${show}`;
  if (name === 'Int') return Number.isInteger(value) ? undefined : `Int cannot represent non-integer value: ${show}`;
  if (name === 'Float') return typeof value === 'number' ? undefined : `Float cannot represent non numeric value: ${show}`;
  if (name === 'Boolean') return typeof value === 'boolean' ? undefined : `Boolean cannot represent a non boolean value: ${show}`;
  const values = ENUMS[name];
  if (values) return typeof value === 'string' && values.includes(value) ? undefined : `Value ${show} does not exist in "${name}" enum.`;
  return undefined;
}

function sameType(varType: GqlType, argType: TypeRef): boolean {
  if (argType.nonNull && !varType.nonNull) return false;
  if (!!varType.of !== !!argType.of) return false;
  if (varType.of && argType.of) return sameType(varType.of, argType.of);
  return varType.name === argType.name;
}

function validate(op: GqlOperation, rootType: string): GqlErrorEntry[] {
  const errors: GqlErrorEntry[] = [];
  const defined = new Map(op.variables.map((v) => [v.name, v]));
  const used = new Set<string>();
  const visit = (typeName: string, selections: readonly GqlField[]): void => {
    const typeFields = TYPES[typeName];
    if (!typeFields) return;
    for (const field of selections) {
      const loc = [{ line: field.loc.line, column: field.loc.column }];
      if (field.name === '__typename') continue;
      const spec = typeFields[field.name];
      if (!spec) {
        errors.push({ message: `Cannot query field "${field.name}" on type "${typeName}".`, locations: loc });
        continue;
      }
      for (const [argName, argValue] of Object.entries(field.args)) {
        const argType = spec.args[argName];
        if (!argType) {
          errors.push({ message: `Unknown argument "${argName}" on field "${typeName}.${field.name}".`, locations: loc });
          continue;
        }
        if (argValue.kind === 'var') {
          used.add(argValue.name);
          const def = defined.get(argValue.name);
          if (!def) errors.push({ message: `Variable "$${argValue.name}" is not defined.`, locations: loc });
          else if (!sameType(def.defaultValue && def.defaultValue.kind !== 'null' ? { ...def.type, nonNull: true } : def.type, argType)) {
            errors.push({
              message: `Variable "$${argValue.name}" of type "${printType(def.type)}" used in position expecting type "${printRef(argType)}".`,
              locations: loc,
            });
          }
        } else if (!containsVar(argValue)) {
          const reason = checkInput(argType, literalToJs(argValue, {}));
          if (reason) errors.push({ message: `Expected value of type "${printRef(argType)}", found ${printLiteral(argValue)}; ${reason}`, locations: loc });
        } else {
          collectVars(argValue, used);
        }
      }
      for (const [argName, argType] of Object.entries(spec.args)) {
        if (argType.nonNull && !(argName in field.args)) {
          errors.push({
            message: `Field "${field.name}" argument "${argName}" of type "${printRef(argType)}" is required, but it was not provided.`,
            locations: loc,
          });
        }
      }
      const target = namedType(spec.type);
      const leaf = SCALARS.has(target) || ENUMS[target] !== undefined;
      if (leaf && field.selections) {
        errors.push({ message: `Field "${field.name}" must not have a selection since type "${printRef(spec.type)}" has no subfields.`, locations: loc });
      } else if (!leaf && !field.selections) {
        errors.push({
          message: `Field "${field.name}" of type "${printRef(spec.type)}" must have a selection of subfields. Did you mean "${field.name} { ... }"?`,
          locations: loc,
        });
      } else if (field.selections) {
        visit(target, field.selections);
      }
    }
  };
  visit(rootType, op.selections);
  for (const v of op.variables) {
    if (!used.has(v.name)) errors.push({ message: `Variable "$${v.name}" is never used${op.name ? ` in operation "${op.name}"` : ''}.` });
  }
  return errors;
}

function containsVar(value: GqlValue): boolean {
  if (value.kind === 'var') return true;
  if (value.kind === 'list') return value.values.some(containsVar);
  if (value.kind === 'object') return Object.values(value.fields).some(containsVar);
  return false;
}

function collectVars(value: GqlValue, used: Set<string>): void {
  if (value.kind === 'var') used.add(value.name);
  else if (value.kind === 'list') value.values.forEach((v) => collectVars(v, used));
  else if (value.kind === 'object') Object.values(value.fields).forEach((v) => collectVars(v, used));
}

function printLiteral(value: GqlValue): string {
  return JSON.stringify(literalToJs(value, {}));
}

function coerceVariables(op: GqlOperation, provided: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of op.variables) {
    const has = Object.prototype.hasOwnProperty.call(provided, def.name) && provided[def.name] !== undefined;
    const value = has ? provided[def.name] : def.defaultValue ? literalToJs(def.defaultValue, {}) : undefined;
    if ((value === undefined || value === null) && def.type.nonNull) {
      throw new RequestError(
        value === null
          ? `Variable "$${def.name}" of non-null type "${printType(def.type)}" must not be null.`
          : `Variable "$${def.name}" of required type "${printType(def.type)}" was not provided.`,
        400,
        'BAD_USER_INPUT',
      );
    }
    const reason = checkInput(def.type as TypeRef, value);
    if (reason) throw new RequestError(`Variable "$${def.name}" got invalid value ${JSON.stringify(value)}; ${reason}`, 400, 'BAD_USER_INPUT');
    if (value !== undefined) out[def.name] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The executor: resolves fields, completes values, bubbles nulls like graphql-js

async function execute(
  op: GqlOperation,
  variables: Record<string, unknown>,
  store: Store,
  ctx: Context,
): Promise<{ data: Record<string, unknown> | null; errors: GqlErrorEntry[] }> {
  const errors: GqlErrorEntry[] = [];
  const resolvers = makeResolvers(store, ctx) as unknown as Record<string, Record<string, (args: Record<string, unknown>) => unknown>>;

  const completeValue = async (ref: TypeRef, value: unknown, field: GqlField, path: (string | number)[], parentType: string, thrown: boolean): Promise<unknown> => {
    if (value === null || value === undefined) {
      if (ref.nonNull) {
        if (!thrown) {
          errors.push({
            message: `Cannot return null for non-nullable field ${parentType}.${field.name}.`,
            locations: [{ line: field.loc.line, column: field.loc.column }],
            path,
          });
        }
        return BUBBLE;
      }
      return null;
    }
    if (ref.of) {
      const items = Array.isArray(value) ? value : [value];
      const out: unknown[] = [];
      for (let i = 0; i < items.length; i++) {
        const item = await completeValue(ref.of, items[i], field, [...path, i], parentType, false);
        if (item === BUBBLE) return ref.nonNull ? BUBBLE : null;
        out.push(item);
      }
      return out;
    }
    const name = ref.name!;
    if (SCALARS.has(name) || ENUMS[name]) return value;
    const sub = await executeFields(name, value as Record<string, unknown>, field.selections ?? [], path);
    return sub === BUBBLE ? (ref.nonNull ? BUBBLE : null) : sub;
  };

  const executeFields = async (
    typeName: string,
    source: Record<string, unknown>,
    selections: readonly GqlField[],
    path: (string | number)[],
  ): Promise<Record<string, unknown> | typeof BUBBLE> => {
    const out: Record<string, unknown> = {};
    for (const field of selections) {
      const key = field.alias ?? field.name;
      if (field.name === '__typename') {
        out[key] = typeName;
        continue;
      }
      const spec = TYPES[typeName]![field.name]!;
      const fieldPath = [...path, key];
      let raw: unknown;
      let thrown = false;
      const resolver = resolvers[typeName]?.[field.name];
      if (typeName === 'Query' || typeName === 'Mutation') raw = {};
      else if (resolver) {
        const args: Record<string, unknown> = {};
        for (const [argName, argValue] of Object.entries(field.args)) {
          const v = literalToJs(argValue, variables);
          if (v !== undefined) args[argName] = v;
        }
        try {
          raw = await resolver(args);
        } catch (err) {
          thrown = true;
          const e = err as { message?: string; code?: unknown; name?: string };
          errors.push({
            message: e.message ?? 'Unexpected error',
            locations: [{ line: field.loc.line, column: field.loc.column }],
            path: fieldPath,
            extensions: { code: 'INTERNAL_SERVER_ERROR', exception: typeof e.code === 'number' ? { code: e.code } : {} },
          });
          raw = null;
        }
      } else {
        raw = source[field.name];
      }
      const value = await completeValue(spec.type, raw, field, fieldPath, typeName, thrown);
      if (value === BUBBLE) return BUBBLE;
      out[key] = value;
    }
    return out;
  };

  const rootType = op.type === 'query' ? 'Query' : 'Mutation';
  const data = await executeFields(rootType, {}, op.selections, []);
  return { data: data === BUBBLE ? null : data, errors };
}

// ---------------------------------------------------------------------------------------------
// HTTP

function userFor(authorization: string | undefined, keys: Readonly<Record<string, 'write' | 'read'>>, revoked: readonly string[]): { user: User; key: 'valid' | 'revoked' | 'none' } {
  const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  const token = m?.[1]?.trim();
  if (token && keys[token]) return { user: keys[token] === 'write' ? 'api-write' : 'api-read', key: 'valid' };
  if (token && revoked.includes(token)) return { user: 'guest', key: 'revoked' };
  return { user: 'guest', key: 'none' };
}

function firstOperationName(op: GqlOperation | undefined): string | undefined {
  const root = op?.selections[0];
  const inner = root?.selections?.[0];
  return root && inner ? `${root.name}.${inner.name}` : root?.name;
}

/** Starts the stand-in on 127.0.0.1 with an ephemeral port. */
export async function startStandinWikiJs(options: StandinOptions = {}): Promise<StandinServer> {
  const store = new Store(options.locale ?? 'en', options.writeDelayMs ?? 0, options.updatedAtBumpMs ?? 1500);
  const keys = options.keys ?? {};
  const revoked = options.revokedKeys ?? [];
  let apiEnabled = options.apiEnabled ?? true;
  const requests: RecordedRequest[] = [];
  const faults: { rule: FaultRule; skip: number; count: number }[] = [];

  const takeFault = (when: 'before' | 'after', record: RecordedRequest): FaultRule | undefined => {
    for (const f of faults) {
      if (f.count <= 0 || (f.rule.when ?? 'before') !== when) continue;
      const match = f.rule.match ?? 'any';
      const hit = typeof match === 'function' ? match(record) : match === 'any' || match === record.kind || match === record.operation;
      if (!hit) continue;
      if (f.skip > 0) {
        f.skip--;
        continue;
      }
      f.count--;
      return f.rule;
    }
    return undefined;
  };

  const send = (res: ServerResponse, record: RecordedRequest, status: number, payload: unknown): void => {
    record.outcome = status;
    const body = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const applyFault = (rule: FaultRule, res: ServerResponse, req: IncomingMessage, record: RecordedRequest, payload?: string): void => {
    if (rule.kind === 'status') {
      const status = rule.status ?? 500;
      record.outcome = status;
      const body = status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Unavailable' : 'Internal Server Error';
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } else if (rule.kind === 'hang') {
      record.outcome = 'hang';
      // Never answer; the socket is destroyed when the client gives up or the server closes.
    } else {
      record.outcome = 'cut';
      if (payload !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
        res.write(payload.slice(0, Math.max(1, Math.floor(payload.length / 2))));
        setImmediate(() => req.socket.destroy());
      } else {
        req.socket.destroy();
      }
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const record: RecordedRequest = { at: Date.now(), method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body };
    requests.push(record);

    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/graphql') {
      record.outcome = 404;
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body>Not Found</body></html>');
      return;
    }

    let parsedBody: { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
    let operations: GqlOperation[] | undefined;
    let parseError: RequestError | undefined;
    try {
      parsedBody = JSON.parse(body) as typeof parsedBody;
      if (!parsedBody || typeof parsedBody.query !== 'string') throw new RequestError('POST body missing. Did you forget use body-parser middleware?', 400, 'BAD_REQUEST');
      operations = parseGraphQL(parsedBody.query);
    } catch (err) {
      if (err instanceof RequestError) parseError = err;
      else if (err instanceof GqlSyntaxError) parseError = new RequestError(err.message, 400, 'GRAPHQL_PARSE_FAILED', [err.loc]);
      else parseError = new RequestError(`Unexpected token in JSON body: ${(err as Error).message}`, 400, 'BAD_REQUEST');
    }
    const opName = typeof parsedBody?.operationName === 'string' ? parsedBody.operationName : undefined;
    const op = operations ? (opName ? operations.find((o) => o.name === opName) : operations.length === 1 ? operations[0] : undefined) : undefined;
    record.kind = op?.type;
    record.operation = firstOperationName(op);

    const before = takeFault('before', record);
    if (before) return applyFault(before, res, req, record);

    // Authentication middleware (server/core/auth.js): a valid API key needs the API switched on.
    const auth = userFor(req.headers.authorization, keys, revoked);
    if (auth.key !== 'none' && !apiEnabled) return send(res, record, 500, { data: {}, errors: [{ message: API_DISABLED_MESSAGE, path: [] }] });
    if (auth.key === 'revoked') return send(res, record, 500, { data: {}, errors: [{ message: API_KEY_REVOKED_MESSAGE, path: [] }] });

    if (parseError) {
      return send(res, record, parseError.status, {
        errors: [{ message: parseError.message, locations: parseError.locations, extensions: { code: parseError.extensionsCode } }],
      });
    }
    if (!op) {
      return send(res, record, 400, { errors: [{ message: 'Must provide operation name if query contains multiple operations.', extensions: { code: 'BAD_USER_INPUT' } }] });
    }
    const validation = validate(op, op.type === 'query' ? 'Query' : 'Mutation');
    if (validation.length > 0) {
      return send(res, record, 400, { errors: validation.map((e) => ({ ...e, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) });
    }
    let variables: Record<string, unknown>;
    try {
      const provided = parsedBody?.variables && typeof parsedBody.variables === 'object' ? (parsedBody.variables as Record<string, unknown>) : {};
      variables = coerceVariables(op, provided);
    } catch (err) {
      const e = err as RequestError;
      return send(res, record, e.status ?? 400, { errors: [{ message: e.message, extensions: { code: e.extensionsCode ?? 'BAD_USER_INPUT' } }] });
    }

    const result = await execute(op, variables, store, { user: auth.user });
    const payload = result.errors.length > 0 ? { errors: result.errors, data: result.data } : { data: result.data };
    const after = takeFault('after', record);
    if (after) return applyFault(after, res, req, record, JSON.stringify(payload));
    send(res, record, 200, payload);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`stand-in failure: ${(err as Error).message}`);
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const copy = (p: StoredPage): StoredPage => ({ ...p, tags: [...p.tags] });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    pages: () => store.all().map(copy).sort((a, b) => a.id - b.id),
    page: (path, locale = store.defaultLocale) => {
      const p = store.find(path, locale);
      return p ? copy(p) : undefined;
    },
    seedPage(page) {
      const stored = store.insert({
        path: page.path,
        locale: page.locale ?? store.defaultLocale,
        title: page.title ?? page.path.split('/').pop()!,
        description: page.description ?? '',
        content: page.content,
        editor: page.editor ?? 'markdown',
        isPublished: page.isPublished ?? true,
        isPrivate: page.isPrivate ?? false,
        tags: normalizeTags(page.tags ?? []),
      });
      stored.render = renderMarkdownCrudely(stored.content);
      return copy(stored);
    },
    editPage(path, changes, locale = store.defaultLocale) {
      const p = store.find(path, locale);
      if (!p) throw new Error(`stand-in: no page ${locale}/${path}`);
      Object.assign(p, changes, { updatedAt: new Date().toISOString(), versions: p.versions + 1 });
      if (changes.tags) p.tags = normalizeTags(changes.tags);
      return copy(p);
    },
    inject(rule) {
      faults.push({ rule, skip: rule.skip ?? 0, count: rule.count ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    setApiEnabled(enabled) {
      apiEnabled = enabled;
    },
    setWriteDelay(ms) {
      store.writeDelay = ms;
    },
    get writeCount() {
      return store.writeCount;
    },
    close: async () => {
      store.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
