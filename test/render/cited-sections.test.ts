/**
 * `Page.citedSections` is a promise the merge relies on: in those sections every block the
 * renderer writes (tables aside) carries a citation, so text there that cites nothing is a
 * person's. Held on the example, the three real corpora and a synthetic homelab.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RootContent } from 'mdast';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/lib/compose/index.ts';
import { configSchema } from '../../src/lib/config/index.ts';
import { toMarkdown } from '../../src/lib/merge/index.ts';
import { renderProject, type Page } from '../../src/lib/render/index.ts';
import { synthHomelab, writeTree } from '../../scripts/synth-homelab.ts';
import { EXAMPLE } from './helpers.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const CORPORA = ['andronics__homelab-docker-compose', 'karubits__composeyourself', 'docker__awesome-compose'];

/** Blocks of the page's cited sections that carry no citation, as `path § section: text`. */
function uncitedBlocks(page: Page): string[] {
  const cited = new Set(page.citedSections ?? []);
  const found: string[] = [];
  let section: string | undefined;
  for (const node of page.body.children) {
    if (node.type === 'heading' && node.depth <= 2) {
      section = toMarkdown({ type: 'root', children: [node] }).replace(/^#+ /, '').trim();
      continue;
    }
    if (section === undefined || !cited.has(section) || node.type === 'table') continue;
    const blocks: RootContent[] = node.type === 'list' ? node.children.map((item) => ({ type: 'list', children: [item] }) as RootContent) : [node];
    for (const block of blocks) {
      const text = toMarkdown({ type: 'root', children: [block] });
      if (!text.includes('【F:')) found.push(`${page.path} § ${section}: ${text.trim().slice(0, 120)}`);
    }
  }
  return found;
}

async function pagesOf(root: string): Promise<Page[]> {
  return renderProject(await loadProject(root), { config: configSchema.parse({}) });
}

describe('cited sections', () => {
  const synthetic = mkdtempSync(path.join(os.tmpdir(), 'compose-wiki-cited-'));
  afterAll(() => rmSync(synthetic, { recursive: true, force: true }));

  it('are claimed by service pages', async () => {
    const services = (await pagesOf(EXAMPLE)).filter((page) => page.kind === 'service');
    expect(services.length).toBeGreaterThan(0);
    for (const page of services) expect(page.citedSections).toEqual(['Runtime Profile', 'Configuration & Secrets', 'Integrations']);
  });

  it.each([['the example', EXAMPLE], ...CORPORA.map((name) => [name, path.join(CORPUS, name)])])('cite every block on the pages of %s', async (_name, root) => {
    const pages = await pagesOf(root as string);
    expect(pages.flatMap(uncitedBlocks)).toEqual([]);
  });

  it('cite every block on the pages of a synthetic homelab of 20 stacks', async () => {
    writeTree(synthetic, synthHomelab({ stacks: 20, seed: 7 }), { force: true });
    const pages = await pagesOf(synthetic);
    expect(pages.length).toBeGreaterThan(100);
    expect(pages.flatMap(uncitedBlocks)).toEqual([]);
  });
});
