/**
 * A description that ends with a URL (a project link in a stack's header comment, a service's
 * `x-wiki` description) is followed by its citation. A literal autolink runs on to the next space,
 * so the citation must stand apart from the URL, or the page would link to an address that does
 * not exist and lose the citation.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Link, Paragraph, Root } from 'mdast';
import { loadProject } from '../../src/lib/compose/index.ts';
import { configSchema } from '../../src/lib/config/index.ts';
import { remarkFromMarkdown } from '../../src/lib/merge/index.ts';
import { renderProject } from '../../src/lib/render/index.ts';
import { markdownOf } from './helpers.ts';

const root = mkdtempSync(path.join(tmpdir(), 'cw-description-url-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The Overview paragraph of a page, parsed as any Markdown reader parses it. */
function overview(markdown: string): Paragraph {
  const tree = remarkFromMarkdown(markdown) as Root;
  const at = tree.children.findIndex((node) => node.type === 'heading' && node.depth === 2);
  return tree.children[at + 1] as Paragraph;
}

describe('a description ending with a URL', () => {
  it('keeps the citation out of the link, on stack and service pages', async () => {
    mkdirSync(path.join(root, 'budget'), { recursive: true });
    writeFileSync(path.join(root, 'budget', 'compose.yml'), [
      '# Budgeting app. https://github.com/actualbudget/actual',
      'services:',
      '  actual:',
      '    image: actualbudget/actual-server:25.1.0',
      '    x-wiki:',
      '      description: Budgets, see https://actualbudget.org/docs',
      '',
    ].join('\n'));
    const pages = renderProject(await loadProject(root), { config: configSchema.parse({}) });
    for (const pagePath of ['home/Platform/Stacks/budget/index', 'home/Platform/Stacks/budget/actual']) {
      const markdown = markdownOf(pages.find((page) => page.path === pagePath)!);
      expect(markdown).toMatch(/https\\:\/\/[^\s【]+\. 【F:budget\/compose\.yml†L\d+-L\d+】/);
      const paragraph = overview(markdown);
      const links = paragraph.children.filter((node): node is Link => node.type === 'link' && node.url.startsWith('http'));
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect(link.url).not.toContain('【');
      expect(paragraph.children.some((node) => node.type === 'text' && node.value.includes('【F:budget/compose.yml†L'))).toBe(true);
    }
  });
});
