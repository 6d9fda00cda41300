/**
 * The fast Markdown writer (src/lib/merge/write-markdown.ts) against remark: byte-identical on every
 * page of the bundled example, the three corpora and a synthetic homelab, and taken for (nearly)
 * all of them; plus the escaping cases it models and the trees it must leave to remark.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { List, PhrasingContent, Root, RootContent } from 'mdast';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema, loadConfig, type Config } from '../../src/lib/config/index.ts';
import { parsePageFile } from '../../src/lib/merge/index.ts';
import { fromMarkdown, remarkToMarkdown, toMarkdown, writeMarkdownFast } from '../../src/lib/merge/markdown.ts';
import { renderFromConfig } from '../../src/lib/pipeline/index.ts';
import { code, codeBlock, emphasis, heading, link, list, listItem, paragraph, root, strong, table, text } from '../../src/lib/render/mdast.ts';
import { synthHomelab, writeTree } from '../../scripts/synth-homelab.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const work = mkdtempSync(path.join(os.tmpdir(), 'cw-write-markdown-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every page of `config`: fast writer equals remark wherever it answers; returns the fast share. */
async function compareAll(config: Config): Promise<{ pages: number; fast: number }> {
  const { pages } = await renderFromConfig(config);
  let fast = 0;
  for (const page of pages) {
    const expected = remarkToMarkdown(page.body);
    const written = writeMarkdownFast(page.body);
    if (written !== undefined) {
      fast += 1;
      expect(written, page.path).toBe(expected);
    }
    expect(toMarkdown(page.body), page.path).toBe(expected);
  }
  return { pages: pages.length, fast };
}

function expectMostlyFast(label: string, { pages, fast }: { pages: number; fast: number }): void {
  console.log(`write-markdown: ${label}: ${fast} of ${pages} pages on the fast path (${((100 * fast) / pages).toFixed(1)} %)`);
  expect(pages).toBeGreaterThan(0);
  expect(fast / pages).toBeGreaterThanOrEqual(0.95);
}

describe('fast writer on real pages', () => {
  it('writes every page of the bundled example like remark (repository config, with source links)', async () => {
    const config = loadConfig(`${ROOT}compose-wiki.yaml`, { cwd: ROOT, defaultSource: `${ROOT}examples/homelab` });
    expectMostlyFast('example (compose-wiki.yaml)', await compareAll(config));
  });

  it('writes every page of the bundled example like remark (default config)', async () => {
    expectMostlyFast('example (defaults)', await compareAll({ ...configSchema.parse({}), source: `${ROOT}examples/homelab` }));
  });

  it.each(['andronics__homelab-docker-compose', 'karubits__composeyourself', 'docker__awesome-compose'])('writes every page of corpus %s like remark', async (corpus) => {
    expectMostlyFast(corpus, await compareAll({ ...configSchema.parse({}), source: path.join(CORPUS, corpus) }));
  });

  it('writes every page of a 24-stack synthetic homelab like remark', async () => {
    const source = path.join(work, 'synth');
    writeTree(source, synthHomelab({ stacks: 24, seed: 1 }));
    expectMostlyFast('synthetic homelab (24 stacks)', await compareAll({ ...configSchema.parse({}), source }));
  });
});

const tree = (...children: RootContent[]): Root => root(children);
const para = (...children: (PhrasingContent | string)[]): Root => tree(paragraph(...children));

describe('fast writer, case by case', () => {
  const same = (label: string, value: Root): void => {
    const written = writeMarkdownFast(value);
    expect(written, label).toBeDefined();
    expect(written, label).toBe(remarkToMarkdown(value));
  };

  it('escapes text exactly like remark', () => {
    const texts = [
      'plain words, a comma and a full stop.', 'snake_case and _lead and trail_ and __dunder__', 'user@example.com and a@b', 'see http://x.y and www.example.com',
      '*star* and **strong** and [link] and <div> and <x', 'AT&T &amp; &#123; & done', 'back\\slash \\* and \\_ and trailing\\', '# not a heading', '- not a list',
      '+ nor this', '1. nor this', '1) nor this', '> quote', '= setext', '~~strike~~ ~tilde', '`tick` and ``two``', '  leading and trailing  ', '\ttab\t',
      '【F:compose.yml†L1-L2】 and 【F:_shared/x_.yml†L1-L2】', 'pipes | in | text', '!image ![x]', '](x) and (y)', 'unicode — “quotes” ünïcödé 🙂 and 🙂_x',
      ':-- and -: and |-', '', '_', '*', '\\', 'a_b_c', '_a_', 'x_', '_x', '5.', '12. Twelve', 'https://x.example/a_b?c=d&e=f', 'mailto:a@b.c',
    ];
    for (const value of texts) {
      same(`paragraph ${JSON.stringify(value)}`, para(value));
      same(`heading ${JSON.stringify(value)}`, tree(heading(2, value)));
      same(`cell ${JSON.stringify(value)}`, tree(table(['A', 'B'], [[[value], [code(value), value]]])));
      same(`item ${JSON.stringify(value)}`, tree(list([listItem(strong('Key:'), ' ', value), listItem(value)])));
      same(`between code ${JSON.stringify(value)}`, para(code('a'), value, code('b')));
      same(`link text ${JSON.stringify(value)}`, para('see ', link('/home/x', value), ' here'));
    }
  });

  it('writes inline code, links, headings and fences like remark', () => {
    for (const value of ['a`b', '`lead', 'trail`', ' padded ', '  ', ' \t ', '\t', ' lead', 'trail ', '` ', ' `', 'a | b', 'a \\| b', 'a\\\\|b', '``', 'x'.repeat(3)]) {
      same(`code ${JSON.stringify(value)}`, para(code(value)));
      same(`code in cell ${JSON.stringify(value)}`, tree(table(['A'], [[[code(value)]]])));
    }
    for (const url of ['/home/a', 'https://git.example.com/x/src/branch/main/a.yml#L1-L2', 'https://a.b/c', 'mailto:a@b.c', 'a_b*c', 'x(y)', 'a|b', '']) {
      same(`link ${url}`, para('x ', link(url, 'text'), ' y'));
      same(`autolink ${url}`, para('x ', link(url, url), ' y'));
      same(`link first ${url}`, para(link(url, 'a'), ' b'));
      same(`link in cell ${url}`, tree(table(['A'], [[[link(url, url)]]])));
    }
    same('mailto autolink', para(link('mailto:a@b.c', 'a@b.c')));
    same('heading ending in #', tree(heading(1, 'C#'), heading(3, 'C# and #')));
    same('code fence with backticks', tree(codeBlock('js', 'a ``` b\n````\nc'), codeBlock('', 'plain'), codeBlock('c++', ''), codeBlock('a`b &amp', 'x'), codeBlock('sh', 'x\n\n')));
    same('emphasis and strong', tree(paragraph(strong('Image:'), ' ', code('x')), paragraph('a ', emphasis('b'), ' c'), table(['A'], [[[emphasis('none yet')]]])));
    same('adjacent lists alternate bullets', tree(list([listItem('a')]), list([listItem('b')]), list([listItem('c')]), paragraph('p'), list([listItem('d')])));
    same('empty root', tree());
  });

  it('leaves to remark what it does not model', () => {
    const ordered: List = { type: 'list', ordered: true, spread: false, children: [listItem('a')] };
    const declined: [string, Root][] = [
      ['ordered list', tree(ordered)],
      ['html', tree({ type: 'html', value: '<br>' })],
      ['line break in text', para('a\nb')],
      ['line break in code', para({ type: 'inlineCode', value: 'a\nb' })],
      ['titled link', para({ type: 'link', url: '/a', title: 't', children: [text('x')] })],
      ['nested emphasis', para(strong(emphasis('x')))],
      ['emphasis inside a word', para('a', emphasis('b'), 'c')],
      ['thematic break', tree({ type: 'thematicBreak' })],
      ['nested list', tree({ type: 'list', spread: false, children: [{ type: 'listItem', children: [paragraph('a'), list([listItem('b')])] }] })],
    ];
    for (const [label, value] of declined) {
      expect(writeMarkdownFast(value), label).toBeUndefined();
      expect(toMarkdown(value), label).toBe(remarkToMarkdown(value));
    }
  });

  it('takes parsed Markdown too when it can, with the same bytes', () => {
    const files = [...readdirSync(`${ROOT}test/golden`).map((name) => `${ROOT}test/golden/${name}`), fileURLToPath(new URL('../../../shared/seed/authentik-server.md', import.meta.url))];
    const pages = files.filter((file) => file.endsWith('.md')).map((file) => parsePageFile(readFileSync(file, 'utf8')).body);
    expect(pages.length).toBeGreaterThan(2);
    for (const source of [...pages, '# T\n\nSome _text_ with `code`.\n\n- a\n- b\n\n| A | B |\n| --- | :-: |\n| 1 | 2 |\n', 'a\n\n\n```sh\nx\n```\n', '1. a\n2. b\n']) {
      const parsed = fromMarkdown(source);
      const written = writeMarkdownFast(parsed);
      if (written !== undefined) expect(written).toBe(remarkToMarkdown(parsed));
      expect(toMarkdown(parsed)).toBe(remarkToMarkdown(parsed));
    }
  });
});
