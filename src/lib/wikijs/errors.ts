/**
 * Typed errors of the Wiki.js publisher, and Wiki.js 2.x's own error codes.
 *
 * Every message here is built by us from fixed text plus values we chose to show; anything that came
 * from the server passes through `redact` first, so the API key never reaches a message or a log.
 */
import { maskUrlCredentials } from '../model/secrets.ts';

/**
 * Wiki.js 2.x error codes (server/helpers/error.js of requarks/wiki, 2.x line). Note the real
 * server's quirk: a *create* refused for lack of `write:pages` answers `PageDeleteForbidden` (6010),
 * not `PageCreateForbidden` (6008).
 */
export const WIKI_CODE = {
  Unexpected: 1,
  PageGenericError: 6001,
  PageDuplicateCreate: 6002,
  PageNotFound: 6003,
  PageEmptyContent: 6004,
  PageIllegalPath: 6005,
  PagePathCollision: 6006,
  PageMoveForbidden: 6007,
  PageCreateForbidden: 6008,
  PageUpdateForbidden: 6009,
  PageDeleteForbidden: 6010,
  PageRestoreForbidden: 6011,
  PageHistoryForbidden: 6012,
  PageViewForbidden: 6013,
} as const;

/** The codes that mean "this user may not do that" (a Guest fallback shows up as one of these). */
export const FORBIDDEN_CODES: ReadonlySet<number> = new Set([
  WIKI_CODE.PageMoveForbidden,
  WIKI_CODE.PageCreateForbidden,
  WIKI_CODE.PageUpdateForbidden,
  WIKI_CODE.PageDeleteForbidden,
  WIKI_CODE.PageRestoreForbidden,
  WIKI_CODE.PageHistoryForbidden,
  WIKI_CODE.PageViewForbidden,
]);

export const API_DISABLED_MESSAGE = 'API is disabled. You must enable it from the Administration Area first.';
export const API_KEY_REVOKED_MESSAGE = 'API Key is invalid or was revoked.';

export type WikiErrorCode =
  | 'CONFIG'
  | 'API_DISABLED'
  | 'AUTH'
  | 'HTTP'
  | 'TIMEOUT'
  | 'CONNECTION'
  | 'PROTOCOL'
  | 'GRAPHQL'
  | 'RESULT'
  | 'INVALID_PAGE'
  | 'GIT';

/** Base class: `code` says which channel failed; `retryable` whether trying again may help. */
export class WikiError extends Error {
  readonly code: WikiErrorCode;
  readonly retryable: boolean;
  constructor(code: WikiErrorCode, message: string, retryable = false) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.retryable = retryable;
  }
}

/** Bad settings: missing token, unusable URL, unreadable token file. The CLI exits 2. */
export class WikiConfigError extends WikiError {
  constructor(message: string) {
    super('CONFIG', message);
  }
}

/** HTTP 500 "API is disabled…": the administrator has not enabled the API. Not retried. */
export class WikiApiDisabledError extends WikiError {
  constructor() {
    super(
      'API_DISABLED',
      `Wiki.js answered "${API_DISABLED_MESSAGE}" — an administrator must switch the API on ` +
        '(Administration → API Access → Enable API) before compose-wiki can publish.',
    );
  }
}

/** The key cannot write: revoked, wrong (Wiki.js then runs the request as Guest) or in a read-only group. */
export class WikiAuthError extends WikiError {
  readonly reason: 'revoked' | 'cannot-write';
  readonly wikiCode?: number;
  constructor(reason: 'revoked' | 'cannot-write', message: string, wikiCode?: number) {
    super('AUTH', message);
    this.reason = reason;
    this.wikiCode = wikiCode;
  }
}

/** A non-2xx answer other than the two well-known ones. 5xx are retryable. */
export class WikiHttpError extends WikiError {
  readonly status: number;
  constructor(status: number, message: string) {
    super('HTTP', message, status >= 500);
    this.status = status;
  }
}

export class WikiTimeoutError extends WikiError {
  constructor(message: string) {
    super('TIMEOUT', message, true);
  }
}

/** Connection refused, reset or cut mid-response. `detail` is the system code (ECONNRESET, …). */
export class WikiConnectionError extends WikiError {
  readonly detail: string;
  constructor(message: string, detail: string) {
    super('CONNECTION', message, true);
    this.detail = detail;
  }
}

/** The answer was not the JSON a GraphQL server gives (a login page of a proxy, say). */
export class WikiProtocolError extends WikiError {
  constructor(message: string) {
    super('PROTOCOL', message);
  }
}

/** A top-level GraphQL `errors` entry (thrown errors: 6003 PageNotFound, validation failures, …). */
export class WikiGraphQLError extends WikiError {
  readonly wikiCode?: number;
  readonly path?: readonly (string | number)[];
  constructor(message: string, wikiCode?: number, path?: readonly (string | number)[]) {
    super('GRAPHQL', message);
    this.wikiCode = wikiCode;
    this.path = path;
  }
}

/** A `responseResult { succeeded: false }` business error (6002 duplicate, 6005 illegal path, …). */
export class WikiResultError extends WikiError {
  readonly wikiCode: number;
  readonly slug: string;
  constructor(message: string, wikiCode: number, slug: string) {
    super('RESULT', message);
    this.wikiCode = wikiCode;
    this.slug = slug;
  }
}

/** Local pages Wiki.js would reject (illegal path, empty content, duplicates): caught before sending. */
export class WikiInvalidPagesError extends WikiError {
  readonly problems: readonly { path: string; file?: string; problem: string }[];
  constructor(problems: readonly { path: string; file?: string; problem: string }[]) {
    super(
      'INVALID_PAGE',
      `${problems.length} page(s) cannot be published to Wiki.js:\n` +
        problems.map((p) => `  ${p.file ?? p.path}: ${p.problem}`).join('\n'),
    );
    this.problems = problems;
  }
}

/** A git command failed (stderr included, with credentials in URLs masked). */
export class WikiGitError extends WikiError {
  constructor(message: string) {
    super('GIT', message);
  }
}

/**
 * Replaces every occurrence of each secret (and credentials in URLs) in a text. Secrets shorter
 * than 4 characters are ignored (they would mangle ordinary words).
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return maskUrlCredentials(out);
}

/** One line describing any error, for reports (never a stack). */
export function describeError(error: unknown): string {
  if (error instanceof WikiResultError) return `${error.message} (Wiki.js ${error.slug} ${error.wikiCode})`;
  if (error instanceof WikiGraphQLError && error.wikiCode !== undefined) return `${error.message} (Wiki.js code ${error.wikiCode})`;
  if (error instanceof Error) return error.message;
  return String(error);
}
