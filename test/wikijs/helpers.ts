/** Shared fixtures of the Wiki.js publisher tests: synthetic pages, content folders, a stand-in. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startStandinWikiJs, type StandinOptions, type StandinServer } from '../../src/lib/wikijs/standin-server.ts';
import type { LocalPage } from '../../src/lib/wikijs/read-content.ts';
import type { PageHeader } from '../../src/lib/render/page.ts';

export const PREFIX = 'home/Platform';

/** A fresh random API key per test file, so a leak is unambiguous. */
export function makeToken(): string {
  return `cwtok-${randomBytes(18).toString('hex')}`;
}

export function header(title: string, extra: Partial<PageHeader> = {}): PageHeader {
  return {
    title,
    description: `Container ${title} of the test homelab`,
    published: true,
    date: '2026-01-02T03:04:05.000Z',
    tags: ['Homelab', 'Stack'],
    editor: 'markdown',
    ...extra,
  };
}

/** n small pages under home/Platform/Stacks/<stack>/<service>, each with a citation. */
export function makePages(n: number): LocalPage[] {
  const pages: LocalPage[] = [];
  for (let i = 0; i < n; i++) {
    const stack = `stack${i % 4}`;
    const name = `svc-${String(i).padStart(2, '0')}`;
    pages.push({
      path: `${PREFIX}/Stacks/${stack}/${name}`,
      header: header(name),
      content: `# ${name}\n\n## Overview\nService ${name} runs \`ghcr.io/example/${name}:1.${i}\`.【F:${stack}/compose.yml†L${i + 1}-L${i + 5}】\n\n## Operational Notes\n- Restarted nightly.\n`,
    });
  }
  return pages;
}

export function withContent(page: LocalPage, content: string): LocalPage {
  return { ...page, content };
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `cw-${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Writes pages as `<dir>/<path>.md` with the header in the comment or the `---` form. */
export async function writeContentDir(dir: string, pages: readonly LocalPage[], form: 'comment' | 'yaml'): Promise<void> {
  for (const page of pages) {
    const file = path.join(dir, `${page.path}.md`);
    await mkdir(path.dirname(file), { recursive: true });
    const h = page.header;
    const lines = [
      `title: ${h.title}`,
      `description: ${h.description}`,
      `published: ${h.published}`,
      `date: ${h.date}`,
      `tags: ${h.tags.join(', ')}`,
      `editor: ${h.editor}`,
    ];
    const [open, close] = form === 'comment' ? ['<!--', '-->'] : ['---', '---'];
    await writeFile(file, `${open}\n${lines.join('\n')}\n${close}\n\n${page.content}`);
  }
}

export interface Harness {
  server: StandinServer;
  token: string;
}

export async function startHarness(options: StandinOptions = {}): Promise<Harness> {
  const token = makeToken();
  const server = await startStandinWikiJs({ keys: { [token]: 'write' }, updatedAtBumpMs: 30, writeDelayMs: 2, ...options });
  return { server, token };
}

/** Fast client settings for tests: short timeouts, tiny backoff. */
export const FAST = { timeoutMs: 1000, retries: 3, backoffMs: 5 } as const;

/** POSTs raw GraphQL to the stand-in (for quirk tests that bypass the client). */
export async function rawGraphQL(
  server: StandinServer,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}
