/**
 * A GraphQL-over-HTTP client for Wiki.js 2.x: global fetch, a timeout per attempt, retries with
 * exponential backoff (and jitter) on 5xx, 429, timeouts and dropped connections, and both of
 * Wiki.js's error channels mapped to typed errors. The API key travels only in the Authorization
 * header; every message that could carry server text is passed through `redact`.
 */
import {
  API_DISABLED_MESSAGE,
  API_KEY_REVOKED_MESSAGE,
  WikiApiDisabledError,
  WikiAuthError,
  WikiConfigError,
  WikiConnectionError,
  WikiError,
  WikiGraphQLError,
  WikiHttpError,
  WikiProtocolError,
  WikiTimeoutError,
  redact,
} from './errors.ts';

export interface GraphQLErrorEntry {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: unknown; readonly exception?: { readonly code?: unknown } };
}

export interface GraphQLResponse<T> {
  readonly data: T | null;
  readonly errors: readonly GraphQLErrorEntry[];
}

export interface RetryInfo {
  readonly operation: string;
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: WikiError;
}

export interface GraphQLClientOptions {
  /** Base address of the wiki (`https://wiki.example.com`); `/graphql` is appended unless present. */
  readonly url: string;
  readonly token?: string;
  /** Per attempt, including reading the body. Default 30 s. */
  readonly timeoutMs?: number;
  /** Extra attempts after the first. Default 4. */
  readonly retries?: number;
  /** First backoff; doubles per attempt up to maxBackoffMs. Default 500 ms. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly onRetry?: (info: RetryInfo) => void;
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

/** Validates the wiki address and returns the GraphQL endpoint. Never echoes credentials. */
export function graphqlEndpoint(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WikiConfigError(`The Wiki.js address ${JSON.stringify(redact(url, []))} is not a URL; give the wiki's base address, e.g. https://wiki.example.com`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new WikiConfigError(`The Wiki.js address must start with http:// or https:// (got ${parsed.protocol}).`);
  }
  if (parsed.username || parsed.password) {
    throw new WikiConfigError('The Wiki.js address contains a user name or password; remove them — the API key comes from WIKIJS_TOKEN or the token file.');
  }
  parsed.search = '';
  parsed.hash = '';
  if (!parsed.pathname.endsWith('/graphql')) parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/graphql`;
  return parsed;
}

function systemCode(error: unknown): string {
  let e = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return 'UNKNOWN';
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** The numeric Wiki.js code of a top-level error entry (Apollo 2 puts it in extensions.exception). */
export function errorEntryCode(entry: GraphQLErrorEntry): number | undefined {
  const fromException = entry.extensions?.exception?.code;
  if (typeof fromException === 'number') return fromException;
  const direct = entry.extensions?.code;
  return typeof direct === 'number' ? direct : undefined;
}

export class WikiGraphQLClient {
  readonly endpoint: URL;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #onRetry?: (info: RetryInfo) => void;
  readonly #fetch: typeof fetch;

  constructor(options: GraphQLClientOptions) {
    this.endpoint = graphqlEndpoint(options.url);
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retries = options.retries ?? 4;
    this.#backoffMs = options.backoffMs ?? 500;
    this.#maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.#onRetry = options.onRetry;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Text with the token (and URL credentials) masked — for anything derived from server output. */
  redact(text: string): string {
    return redact(text, [this.#token]);
  }

  /**
   * Sends one GraphQL request, retrying transient failures. Resolves with `data` and `errors` of an
   * HTTP 200 answer (both may be present: Wiki.js nulls a field and reports why); rejects with a
   * typed WikiError otherwise.
   */
  async request<T>(operation: string, query: string, variables: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#attempt<T>(operation, query, variables);
      } catch (error) {
        const wikiError = error instanceof WikiError ? error : new WikiProtocolError(this.redact(`${operation}: ${(error as Error)?.message ?? String(error)}`));
        if (!wikiError.retryable || attempt > this.#retries) throw wikiError;
        const base = Math.min(this.#maxBackoffMs, this.#backoffMs * 2 ** (attempt - 1));
        const delayMs = Math.round(base / 2 + (Math.random() * base) / 2);
        this.#onRetry?.({ operation, attempt, delayMs, error: wikiError });
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  async #attempt<T>(operation: string, query: string, variables: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    const where = `${this.endpoint.origin}${this.endpoint.pathname}`;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    let status: number;
    let contentType: string;
    let text: string;
    try {
      const response = await this.#fetch(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: 'manual',
      });
      status = response.status;
      contentType = response.headers.get('content-type') ?? '';
      text = await response.text();
    } catch (error) {
      if (isTimeout(error)) throw new WikiTimeoutError(`${operation}: no answer from ${where} within ${this.#timeoutMs / 1000} s`);
      const code = systemCode(error);
      const what =
        code === 'ECONNREFUSED'
          ? 'connection refused'
          : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
            ? 'connection dropped'
            : code === 'ENOTFOUND'
              ? 'host not found'
              : `connection failed (${code})`;
      throw new WikiConnectionError(this.redact(`${operation}: ${what} talking to ${where}`), code);
    }

    let json: { data?: unknown; errors?: unknown } | undefined;
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      json = undefined;
    }
    const errors = Array.isArray(json?.errors) ? (json.errors as GraphQLErrorEntry[]) : [];
    const firstMessage = typeof errors[0]?.message === 'string' ? errors[0].message : undefined;

    if (status === 500 && firstMessage === API_DISABLED_MESSAGE) throw new WikiApiDisabledError();
    if (status === 500 && firstMessage === API_KEY_REVOKED_MESSAGE) {
      throw new WikiAuthError(
        'revoked',
        'Wiki.js says the API key is invalid or was revoked. Create a new key (Administration → API Access) and put it in WIKIJS_TOKEN or the token file.',
      );
    }
    if (status >= 500 || status === 429) {
      throw new WikiHttpError(status, this.redact(`${operation}: ${where} answered HTTP ${status}${firstMessage ? ` (${firstMessage})` : ''}`));
    }
    if (status === 400 && errors.length > 0) {
      throw new WikiGraphQLError(this.redact(`${operation}: Wiki.js rejected the request: ${errors.map((e) => e.message).join('; ')}`));
    }
    if (status < 200 || status >= 300) {
      const location = status >= 300 && status < 400 ? ` — the wiki redirects elsewhere; configure the address it redirects to` : '';
      const hint = location || (status === 404 ? ' — is the address the wiki\'s base URL?' : status === 401 || status === 403 ? ' — a proxy in front of Wiki.js refused the request' : '');
      throw new WikiHttpError(status, `${operation}: ${where} answered HTTP ${status}${hint}`);
    }
    if (!json || typeof json !== 'object' || (!('data' in json) && errors.length === 0)) {
      throw new WikiProtocolError(`${operation}: ${where} did not answer with GraphQL JSON (content-type ${contentType || 'none'}) — is the address the wiki's base URL?`);
    }
    return {
      data: (json.data ?? null) as T | null,
      errors: errors.map((e) => ({ ...e, message: this.redact(String(e.message)) })),
    };
  }
}
