/** `compose-wiki publish` as a subprocess against the stand-in Wiki.js on 127.0.0.1. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandinWikiJs, type StandinServer } from '../../src/lib/wikijs/standin-server.ts';
import { runCliAsync } from './run-cli.ts';

const CONTENT = fileURLToPath(new URL('../../content/', import.meta.url));
const TOKEN = 'cw-test-token-7f3a9c1e5b2d4f60a8e1c3b5d7f9a1c3';

describe('compose-wiki publish (GraphQL API)', () => {
  let server: StandinServer;
  let work: string;
  beforeAll(async () => {
    server = await startStandinWikiJs({ keys: { [TOKEN]: 'write' }, writeDelayMs: 5, updatedAtBumpMs: 20 });
    work = mkdtempSync(path.join(os.tmpdir(), 'cw-publish-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });
  const publish = (extra: string[], token = TOKEN) =>
    runCliAsync(['publish', '--url', server.url, '--content', CONTENT, '--prefix', 'home/Platform', ...extra], { cwd: work, env: { WIKIJS_TOKEN: token } });

  it('refuses a wrong token before any write, without printing it', async () => {
    const result = await publish([], 'not-the-key-0123456789abcdef');
    expect(result.code).toBe(2);
    expect(server.writeCount).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toContain('not-the-key-0123456789abcdef');
    expect(result.stderr).toMatch(/write|Guest|permission/i);
  });

  it('creates every page of the example, then a second run changes nothing', async () => {
    const first = await publish([]);
    expect(first.code, first.stderr).toBe(0);
    const created = server.pages().filter((p) => p.path.startsWith('home/Platform'));
    expect(created.length).toBe(56);
    const writes = server.writeCount;
    const second = await publish([]);
    expect(second.code, second.stderr).toBe(0);
    expect(server.writeCount).toBe(writes);
    // Nothing secret from the example went over the wire, and neither did the token.
    const bodies = server.requests.map((r) => JSON.stringify(r.body ?? r)).join('\n');
    expect(bodies).not.toContain(TOKEN);
    const server_page = server.page('home/Platform/Stacks/authentik/authentik-server');
    expect(server_page?.content).toContain('## Runtime Profile');
    expect(readFileSync(path.join(CONTENT, 'home/Platform/Stacks/tools/stirling-pdf.md'), 'utf8')).not.toContain('changeme-literal-demo');
    expect(bodies).not.toContain('changeme-literal-demo');
  });

  it('plans without writing on --dry-run', async () => {
    const before = server.writeCount;
    const result = await publish(['--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(server.writeCount).toBe(before);
    expect(result.stdout).toMatch(/unchanged/i);
  });
});
