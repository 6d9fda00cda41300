/**
 * Publishing through the Wiki.js 2.x GraphQL API.
 *
 * 1. Check every page locally (paths Wiki.js rejects, empty bodies, duplicates) — before any request.
 * 2. Prove the key can write, without writing: a `create` with EMPTY content at
 *    `<prefix>/compose-wiki-write-check`. Wiki.js checks, in this order: path → write permission →
 *    duplicate → empty content. A key that may write gets 6004 PageEmptyContent (or 6002 when a
 *    page happens to sit there) and nothing is stored; a Guest fallback (wrong, expired, mistyped
 *    key) or a read-only key gets a Forbidden code and the run stops with a clear message.
 * 3. List the pages under the prefix, read each existing one (`singleByPath`, for its content) and
 *    decide: create, update (content, title, description, tags case-insensitively, published), or
 *    leave alone. With `prune`, pages carrying the generator tag that no longer exist locally are
 *    deleted; pages without the tag are never touched.
 * 4. Write with bounded concurrency. Updates always carry every field (update is not a patch).
 *    Lost answers are safe: a create retried after its first attempt was applied meets 6002 and
 *    is verified, a delete retried meets "Invalid Page Id" and counts as done. A rerun reconciles
 *    whatever a failed run left behind.
 */
import pLimit from 'p-limit';
import { WikiGraphQLClient, errorEntryCode, type RetryInfo } from './graphql-client.ts';
import {
  FORBIDDEN_CODES,
  WIKI_CODE,
  WikiApiDisabledError,
  WikiAuthError,
  WikiConfigError,
  WikiError,
  WikiGraphQLError,
  WikiProtocolError,
  WikiResultError,
  describeError,
} from './errors.ts';
import type { LocalPage } from './read-content.ts';
import { normalizePrefix, underPrefix } from './paths.ts';
import {
  DEFAULT_GENERATOR_TAG,
  changedFields,
  normalizeTags,
  pageDiff,
  preparePages,
  type ComparableFields,
  type PlanEntry,
  type PreparedPage,
  type PublishReport,
} from './plan.ts';

export const WRITE_CHECK_PAGE = 'compose-wiki-write-check';

export interface ProgressEvent {
  readonly phase: 'read' | 'write';
  readonly done: number;
  readonly total: number;
  readonly path: string;
  readonly action: string;
}

export interface ApiPublishOptions {
  /** Base address of the wiki. */
  readonly url: string;
  /** The API key (from WIKIJS_TOKEN or the token file — see resolveToken). */
  readonly token: string;
  readonly pages: readonly LocalPage[];
  /** Only pages at or under this path are listed, compared and (with prune) deleted. '' = whole wiki. */
  readonly prefix?: string;
  readonly locale?: string;
  readonly generatorTag?: string;
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  /** Attach a unified diff to every create/update/prune entry. */
  readonly diff?: boolean;
  /** Parallel requests (reads and writes). Default 4. */
  readonly concurrency?: number;
  readonly sourceUrlTemplate?: string;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly backoffMs?: number;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly onRetry?: (info: RetryInfo) => void;
  readonly fetch?: typeof fetch;
}

const RESULT = 'responseResult { succeeded errorCode slug message }';

const LIST_QUERY = `query ($locale: String) {
  pages { list(locale: $locale, orderBy: PATH, orderByDirection: ASC) {
    id path locale title description isPublished isPrivate createdAt updatedAt tags } } }`;

const SINGLE_QUERY = `query ($path: String!, $locale: String!) {
  pages { singleByPath(path: $path, locale: $locale) {
    id path locale title description editor isPublished isPrivate createdAt updatedAt tags { tag } content } } }`;

const CREATE_MUTATION = `mutation ($content: String!, $description: String!, $editor: String!, $isPublished: Boolean!,
          $isPrivate: Boolean!, $locale: String!, $path: String!, $tags: [String]!, $title: String!) {
  pages { create(content: $content, description: $description, editor: $editor, isPublished: $isPublished,
                 isPrivate: $isPrivate, locale: $locale, path: $path, tags: $tags, title: $title) {
    ${RESULT} page { id path title } } } }`;

// Every variable is declared non-null: a request missing a field is refused by GraphQL before
// Wiki.js writes anything (update is not a patch).
const UPDATE_MUTATION = `mutation ($id: Int!, $content: String!, $description: String!, $editor: String!, $isPublished: Boolean!,
          $isPrivate: Boolean!, $locale: String!, $path: String!, $tags: [String]!, $title: String!) {
  pages { update(id: $id, content: $content, description: $description, editor: $editor, isPublished: $isPublished,
                 isPrivate: $isPrivate, locale: $locale, path: $path, tags: $tags, title: $title) {
    ${RESULT} page { id path title } } } }`;

const DELETE_MUTATION = `mutation ($id: Int!) { pages { delete(id: $id) { ${RESULT} } } }`;

interface ListItem {
  id: number;
  path: string;
  locale: string;
  title: string | null;
  description: string | null;
  isPublished: boolean;
  isPrivate: boolean;
  tags: (string | null)[] | null;
}

interface RemotePage {
  id: number;
  path: string;
  title: string;
  description: string;
  editor: string;
  isPublished: boolean;
  isPrivate: boolean;
  tags: { tag: string }[];
  content: string;
}

interface ResponseResult {
  succeeded: boolean;
  errorCode: number;
  slug: string;
  message: string | null;
}

function resultOf(data: unknown, field: 'create' | 'update' | 'delete'): ResponseResult | undefined {
  return (data as { pages?: Record<string, { responseResult?: ResponseResult } | null> } | null)?.pages?.[field]?.responseResult;
}

function remoteFields(page: RemotePage): ComparableFields {
  return {
    title: page.title,
    description: page.description,
    tags: page.tags.map((t) => t.tag),
    published: page.isPublished,
    content: page.content,
  };
}

function localFields(page: PreparedPage): ComparableFields {
  return { title: page.title, description: page.description, tags: page.tags, published: page.published, content: page.content };
}

/** Runs the whole API publish. Throws for what stops the run (settings, key, API off); per-page failures land in the report. */
export async function publishToWikiApi(options: ApiPublishOptions): Promise<PublishReport> {
  if (!options.token) throw new WikiConfigError('No Wiki.js API key: set WIKIJS_TOKEN or name a token file in the configuration.');
  const prefix = normalizePrefix(options.prefix);
  const locale = options.locale ?? 'en';
  const generatorTag = (options.generatorTag ?? DEFAULT_GENERATOR_TAG).toLowerCase();
  const prepared = await preparePages(options.pages, { prefix, generatorTag, sourceUrlTemplate: options.sourceUrlTemplate });
  const client = new WikiGraphQLClient({
    url: options.url,
    token: options.token,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    backoffMs: options.backoffMs,
    onRetry: options.onRetry,
    fetch: options.fetch,
  });
  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  const report: PublishReport = { target: 'api', dryRun: options.dryRun ?? false, entries: [], writes: 0, notes: [] };

  await proveWriteAccess(client, prefix, locale);

  // --- what Wiki.js has under the prefix
  const listed = await client.request<{ pages: { list: ListItem[] } }>('pages.list', LIST_QUERY, { locale });
  if (listed.errors.length > 0 || !listed.data?.pages?.list) {
    throw new WikiGraphQLError(`pages.list failed: ${listed.errors.map((e) => e.message).join('; ') || 'no data'}`);
  }
  const remoteByPath = new Map<string, ListItem>();
  for (const item of listed.data.pages.list) if (item.locale === locale && underPrefix(item.path, prefix)) remoteByPath.set(item.path, item);

  // --- decide, page by page (reads run in parallel)
  let read = 0;
  const reads = prepared.filter((p) => remoteByPath.has(p.path)).length;
  const decisions = await Promise.all(
    prepared.map((page) =>
      limit(async (): Promise<{ page: PreparedPage; entry: PlanEntry; remote?: RemotePage }> => {
        if (!remoteByPath.has(page.path)) {
          const entry: PlanEntry = { path: page.path, action: 'create', status: 'planned' };
          if (options.diff) entry.diff = pageDiff(page.path, undefined, localFields(page));
          return { page, entry };
        }
        try {
          const remote = await readPage(client, page.path, locale);
          options.onProgress?.({ phase: 'read', done: ++read, total: reads, path: page.path, action: 'read' });
          if (!remote) return { page, entry: { path: page.path, action: 'create', status: 'planned' } };
          const changes = changedFields(remoteFields(remote), localFields(page));
          const entry: PlanEntry = { path: page.path, action: changes.length > 0 ? 'update' : 'unchanged', status: changes.length > 0 ? 'planned' : 'skipped' };
          if (changes.length > 0) entry.changes = changes;
          if (changes.length > 0 && options.diff) entry.diff = pageDiff(page.path, remoteFields(remote), localFields(page));
          if (remote.editor !== 'markdown') report.notes.push(`${page.path}: Wiki.js has this page with editor "${remote.editor}"; compose-wiki writes Markdown content.`);
          return { page, entry, remote };
        } catch (error) {
          if (isFatal(error)) throw error;
          return { page, entry: { path: page.path, action: 'update', status: 'failed', error: `could not read the page from Wiki.js: ${describeError(error)}` } };
        }
      }),
    ),
  );

  const localPaths = new Set(prepared.map((p) => p.path));
  const stale = [...remoteByPath.values()].filter(
    (item) => !localPaths.has(item.path) && normalizeTags((item.tags ?? []).filter((t): t is string => typeof t === 'string')).includes(generatorTag),
  );
  const pruneEntries = stale.map((item): { item: ListItem; entry: PlanEntry } => {
    const entry: PlanEntry = { path: item.path, action: options.prune ? 'prune' : 'would-prune', status: options.prune ? 'planned' : 'skipped' };
    if (!options.prune) entry.note = 'carries the generator tag but no local page has this path; run with --prune to delete it';
    return { item, entry };
  });
  report.entries.push(...decisions.map((d) => d.entry), ...pruneEntries.map((p) => p.entry));
  if (report.dryRun) return report;

  // --- write
  const jobs: { path: string; action: string; run: () => Promise<void>; entry: PlanEntry }[] = [];
  for (const d of decisions) {
    if (d.entry.status !== 'planned') continue;
    if (d.entry.action === 'create') jobs.push({ path: d.page.path, action: 'create', entry: d.entry, run: () => createPage(client, d.page, locale, d.entry, report) });
    if (d.entry.action === 'update') jobs.push({ path: d.page.path, action: 'update', entry: d.entry, run: () => updatePage(client, d.page, d.remote!, locale, d.entry, report) });
  }
  for (const p of pruneEntries) {
    if (p.entry.status === 'planned') jobs.push({ path: p.item.path, action: 'delete', entry: p.entry, run: () => deletePage(client, p.item.id, p.entry, report) });
  }
  let fatal: WikiError | undefined;
  let written = 0;
  await Promise.all(
    jobs.map((job) =>
      limit(async () => {
        if (fatal) {
          job.entry.status = 'failed';
          job.entry.error = `not attempted: ${fatal.message}`;
          return;
        }
        try {
          await job.run();
        } catch (error) {
          job.entry.status = 'failed';
          job.entry.error = describeError(error);
          if (isFatal(error)) fatal = error as WikiError;
        }
        options.onProgress?.({ phase: 'write', done: ++written, total: jobs.length, path: job.path, action: job.action });
      }),
    ),
  );
  return report;
}

function isFatal(error: unknown): boolean {
  return error instanceof WikiApiDisabledError || error instanceof WikiAuthError || error instanceof WikiConfigError;
}

/**
 * Proves the key may write under the prefix without writing anything (see the file comment).
 * Throws WikiAuthError with an operator-facing explanation when it may not.
 */
export async function proveWriteAccess(client: WikiGraphQLClient, prefix: string, locale: string): Promise<void> {
  const probePath = prefix ? `${prefix}/${WRITE_CHECK_PAGE}` : WRITE_CHECK_PAGE;
  const response = await client.request('write check', CREATE_MUTATION, {
    content: '',
    description: '',
    editor: 'markdown',
    isPublished: false,
    isPrivate: false,
    locale,
    path: probePath,
    tags: [],
    title: 'compose-wiki write check',
  });
  const result = resultOf(response.data, 'create');
  if (!result) throw new WikiProtocolError(`write check: Wiki.js gave no responseResult (${response.errors.map((e) => e.message).join('; ') || 'no data'})`);
  if (!result.succeeded && (result.errorCode === WIKI_CODE.PageEmptyContent || result.errorCode === WIKI_CODE.PageDuplicateCreate)) return;
  if (!result.succeeded && FORBIDDEN_CODES.has(result.errorCode)) {
    throw new WikiAuthError(
      'cannot-write',
      `The Wiki.js API key cannot write pages under "${prefix || '/'}": a test write (which stores nothing) was refused with ` +
        `${result.slug} (${result.errorCode}). Wiki.js does not reject a wrong, expired or mistyped key — it silently runs ` +
        'the request as Guest, which may read but not write. Check WIKIJS_TOKEN (or the token file): it must be a current ' +
        `key from Administration → API Access whose group may write (and read the source of) pages under "${prefix || '/'}". Nothing was changed.`,
      result.errorCode,
    );
  }
  if (result.succeeded) {
    // Not the Wiki.js 2.x we know: it stored an empty page. Remove it again and stop.
    const id = (response.data as { pages?: { create?: { page?: { id?: number } } } } | null)?.pages?.create?.page?.id;
    if (typeof id === 'number') await client.request('write check cleanup', DELETE_MUTATION, { id }).catch(() => undefined);
    throw new WikiProtocolError('write check: Wiki.js accepted a page with empty content, which Wiki.js 2.x never does — refusing to publish to an unknown server version.');
  }
  throw new WikiResultError(`write check at "${probePath}" failed: ${result.message ?? result.slug}`, result.errorCode, result.slug);
}

/** The page with its content, or undefined when Wiki.js says it does not exist (6003). */
async function readPage(client: WikiGraphQLClient, path: string, locale: string): Promise<RemotePage | undefined> {
  const response = await client.request<{ pages: { singleByPath: RemotePage | null } }>(`pages.singleByPath ${path}`, SINGLE_QUERY, { path, locale });
  const page = response.data?.pages?.singleByPath;
  if (page) return page;
  const codes = response.errors.map(errorEntryCode);
  if (codes.includes(WIKI_CODE.PageNotFound)) return undefined;
  if (codes.some((c) => c !== undefined && FORBIDDEN_CODES.has(c))) {
    throw new WikiAuthError(
      'cannot-write',
      `The Wiki.js API key may not read the source of "${path}" (PageViewForbidden). compose-wiki compares page sources before ` +
        'writing, so the key\'s group needs "manage:pages" (e.g. the Administrators group) on the publish prefix.',
      WIKI_CODE.PageViewForbidden,
    );
  }
  throw new WikiGraphQLError(`pages.singleByPath ${path}: ${response.errors.map((e) => e.message).join('; ') || 'no data'}`, codes.find((c) => c !== undefined));
}

function pageVariables(page: PreparedPage, locale: string): Record<string, unknown> {
  return {
    content: page.content,
    description: page.description,
    editor: 'markdown',
    isPublished: page.published,
    isPrivate: false,
    locale,
    path: page.path,
    tags: [...page.tags],
    title: page.title,
  };
}

function failure(result: ResponseResult | undefined, errors: readonly { message: string }[], what: string): WikiError {
  if (result) return new WikiResultError(`${what}: ${result.message ?? result.slug}`, result.errorCode, result.slug);
  return new WikiGraphQLError(`${what}: ${errors.map((e) => e.message).join('; ') || 'no answer data'}`);
}

async function createPage(client: WikiGraphQLClient, page: PreparedPage, locale: string, entry: PlanEntry, report: PublishReport): Promise<void> {
  report.writes++;
  const response = await client.request(`pages.create ${page.path}`, CREATE_MUTATION, pageVariables(page, locale));
  const result = resultOf(response.data, 'create');
  if (result?.succeeded) {
    entry.status = 'done';
    return;
  }
  if (result?.errorCode === WIKI_CODE.PageDuplicateCreate) {
    // The page exists after all: an earlier attempt whose answer was lost, or someone else. Verify.
    const remote = await readPage(client, page.path, locale);
    if (!remote) throw failure(result, response.errors, `create ${page.path}`);
    const changes = changedFields(remoteFields(remote), {
      title: page.title,
      description: page.description,
      tags: page.tags,
      published: page.published,
      content: page.content,
    });
    if (changes.length === 0) {
      entry.status = 'done';
      entry.note = 'already present (an earlier attempt was applied although its answer was lost)';
      return;
    }
    entry.action = 'update';
    entry.changes = changes;
    await updatePage(client, page, remote, locale, entry, report);
    return;
  }
  throw failure(result, response.errors, `create ${page.path}`);
}

async function updatePage(client: WikiGraphQLClient, page: PreparedPage, remote: RemotePage, locale: string, entry: PlanEntry, report: PublishReport): Promise<void> {
  report.writes++;
  const variables = { id: remote.id, ...pageVariables(page, locale), isPrivate: remote.isPrivate };
  const response = await client.request(`pages.update ${page.path}`, UPDATE_MUTATION, variables);
  const result = resultOf(response.data, 'update');
  if (result?.succeeded) {
    entry.status = 'done';
    return;
  }
  throw failure(result, response.errors, `update ${page.path}`);
}

async function deletePage(client: WikiGraphQLClient, id: number, entry: PlanEntry, report: PublishReport): Promise<void> {
  report.writes++;
  const response = await client.request(`pages.delete ${entry.path}`, DELETE_MUTATION, { id });
  const result = resultOf(response.data, 'delete');
  if (result?.succeeded) {
    entry.status = 'done';
    return;
  }
  if (result && result.errorCode === WIKI_CODE.Unexpected && result.message === 'Invalid Page Id') {
    entry.status = 'done';
    entry.note = 'already gone (an earlier attempt was applied although its answer was lost)';
    return;
  }
  throw failure(result, response.errors, `delete ${entry.path}`);
}
