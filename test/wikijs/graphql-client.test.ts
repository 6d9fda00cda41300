/** The GraphQL client on its own: error channels, retries, and what it refuses to retry. */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WikiGraphQLClient, graphqlEndpoint } from '../../src/lib/wikijs/graphql-client.ts';
import { WikiConfigError, WikiConnectionError, WikiHttpError, WikiProtocolError, WikiTimeoutError } from '../../src/lib/wikijs/errors.ts';
import { startHarness } from './helpers.ts';

let server: Server | undefined;
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

const Q = 'query { pages { list { id } } }';

describe('WikiGraphQLClient', () => {
  it('builds the endpoint from the base address and refuses credentials in it without echoing them', () => {
    expect(graphqlEndpoint('https://wiki.example.com').href).toBe('https://wiki.example.com/graphql');
    expect(graphqlEndpoint('https://example.com/wiki/').href).toBe('https://example.com/wiki/graphql');
    expect(graphqlEndpoint('https://wiki.example.com/graphql').href).toBe('https://wiki.example.com/graphql');
    let message = '';
    try {
      graphqlEndpoint('https://admin:hunter2secret@wiki.example.com');
    } catch (e) {
      expect(e).toBeInstanceOf(WikiConfigError);
      message = (e as Error).message;
    }
    expect(message).not.toContain('hunter2secret');
    expect(() => graphqlEndpoint('ftp://wiki')).toThrow(WikiConfigError);
  });

  it('retries 5xx with backoff and gives up with a typed error after the configured attempts', async () => {
    let hits = 0;
    const url = await serve((_req, res) => {
      hits++;
      res.writeHead(503).end('busy');
    });
    const retries: number[] = [];
    const client = new WikiGraphQLClient({ url, token: 't0ken-abcdef', retries: 3, backoffMs: 4, onRetry: (i) => retries.push(i.delayMs) });
    await expect(client.request('pages.list', Q, {})).rejects.toBeInstanceOf(WikiHttpError);
    expect(hits).toBe(4);
    expect(retries).toHaveLength(3);
    expect(retries[2]!).toBeGreaterThanOrEqual(retries[0]!);
  });

  it('maps a timeout and a refused connection to retryable typed errors', async () => {
    const url = await serve(() => undefined); // never answers
    const slow = new WikiGraphQLClient({ url, timeoutMs: 50, retries: 1, backoffMs: 1 });
    await expect(slow.request('pages.list', Q, {})).rejects.toBeInstanceOf(WikiTimeoutError);
    const closed = await serve(() => undefined);
    server!.closeAllConnections();
    await new Promise((r) => server!.close(r));
    server = undefined;
    const refused = new WikiGraphQLClient({ url: closed, retries: 1, backoffMs: 1 });
    const error = await refused.request('pages.list', Q, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WikiConnectionError);
    expect((error as WikiConnectionError).detail).toBe('ECONNREFUSED');
  });

  it('does not retry what retrying cannot fix: HTML instead of JSON, 404, a redirect', async () => {
    let hits = 0;
    const url = await serve((req, res) => {
      hits++;
      if (req.url === '/login/graphql') res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in</html>');
      else if (req.url === '/moved/graphql') res.writeHead(301, { location: 'https://elsewhere/graphql' }).end();
      else res.writeHead(404).end();
    });
    await expect(new WikiGraphQLClient({ url: `${url}/login` }).request('pages.list', Q, {})).rejects.toBeInstanceOf(WikiProtocolError);
    await expect(new WikiGraphQLClient({ url: `${url}/nope` }).request('pages.list', Q, {})).rejects.toThrow(/HTTP 404 — is the address the wiki's base URL/);
    await expect(new WikiGraphQLClient({ url: `${url}/moved` }).request('pages.list', Q, {})).rejects.toThrow(/redirects elsewhere/);
    expect(hits).toBe(3);
  });

  it('masks the token if a server ever echoes it back', async () => {
    const token = 'echo-me-secret-9876';
    const url = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: null, errors: [{ message: `bad header ${req.headers.authorization}` }] }));
    });
    const result = await new WikiGraphQLClient({ url, token }).request('pages.list', Q, {});
    expect(result.errors[0]!.message).toBe('bad header Bearer ***');
  });

  it('sends the key only in the Authorization header', async () => {
    const h = await startHarness();
    try {
      await new WikiGraphQLClient({ url: h.server.url, token: h.token }).request('pages.list', 'query { pages { list { id } } }', {});
      expect(h.server.requests[0]!.authorization).toBe(`Bearer ${h.token}`);
      expect(h.server.requests[0]!.body).not.toContain(h.token);
    } finally {
      await h.server.close();
    }
  });
});
