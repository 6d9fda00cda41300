import { readFileSync } from 'node:fs';
import type { Paragraph, Root, Table } from 'mdast';
import { describe, expect, it } from 'vitest';
import { fromMarkdown, normalizeMarkdown, parsePageFile, stripCitations, toMarkdown } from '../../src/lib/merge/index.ts';

const SEED = readFileSync(new URL('../../../shared/seed/authentik-server.md', import.meta.url), 'utf8');

function plain(node: unknown): string {
  const value = node as { value?: unknown; children?: unknown[] };
  if (typeof value.value === 'string') return value.value;
  return (value.children ?? []).map(plain).join('');
}

const paragraph = (value: string): Root => ({ type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', value }] }] });

describe('toMarkdown / fromMarkdown', () => {
  it('keeps citation tokens verbatim, unescaped, through a round trip', () => {
    const tokens = ['【F:authentik/compose.yml†L19-L45】', '【F:media_serving/compose.yml†L1-L1】', '【F:immich_base/docker-compose.override.yml†L120-L187】', '【F:a-b/c.d.yaml†L7-L9】'];
    const text = `Uses ${tokens[0]} and ${tokens[1]}${tokens[2]} then ${tokens[3]}.`;
    const markdown = toMarkdown(paragraph(text));
    for (const token of tokens) expect(markdown).toContain(token);
    expect(markdown).toBe(`${text}\n`);
    expect(plain(fromMarkdown(markdown))).toBe(text);
  });

  it('keeps citations verbatim inside emphasis, lists and table cells', () => {
    const token = '【F:tools/compose.yml†L26-L177】';
    const source = `- **Image:** \`x\`${token}\n\n| Variable | Purpose |\n| --- | --- |\n| \`A\` | Key ${token} |\n\n_see ${token}_\n`;
    expect(toMarkdown(fromMarkdown(source))).toBe(source);
  });

  it('escapes inside a citation only what would start syntax, and the parsed text is exact', () => {
    for (const text of ['a 【F:_shared/x_.yml†L1-L2】 b_c', 'see 【F:ops/user@host.yml†L1-L2】', '*【F:a*b.yml†L1-L2】*']) {
      expect(plain(fromMarkdown(toMarkdown(paragraph(text))))).toBe(text);
    }
  });

  it('writes GFM tables the way the seed does, escaping `|` in cells', () => {
    const table: Table = {
      type: 'table',
      align: [null, null],
      children: [
        { type: 'tableRow', children: [{ type: 'tableCell', children: [{ type: 'text', value: 'Variable' }] }, { type: 'tableCell', children: [{ type: 'text', value: 'Purpose' }] }] },
        {
          type: 'tableRow',
          children: [
            { type: 'tableCell', children: [{ type: 'inlineCode', value: 'A|B' }] },
            { type: 'tableCell', children: [{ type: 'text', value: 'left | right' }] },
          ],
        },
        { type: 'tableRow', children: [{ type: 'tableCell', children: [{ type: 'text', value: 'only' }] }] },
      ],
    };
    const markdown = toMarkdown({ type: 'root', children: [table] });
    expect(markdown).toBe('| Variable | Purpose |\n| --- | --- |\n| `A\\|B` | left \\| right |\n| only | |\n');
    const parsed = fromMarkdown(markdown).children[0] as Table;
    expect(parsed.type).toBe('table');
    expect(parsed.children[1]?.children.map(plain)).toEqual(['A|B', 'left | right']);
  });

  it('uses Wiki.js-friendly syntax: - bullets, _ emphasis, ** strong, fenced code, --- rules', () => {
    const source = '* one\n* two\n\n*em* __strong__\n\n    indented\n\n***\n';
    expect(toMarkdown(fromMarkdown(source))).toBe('- one\n- two\n\n_em_ **strong**\n\n```\nindented\n```\n\n---\n');
  });

  it('is deterministic and a fixed point on its own output (the seed page)', () => {
    const body = parsePageFile(SEED).body;
    const once = normalizeMarkdown(body);
    expect(normalizeMarkdown(body)).toBe(once);
    expect(normalizeMarkdown(once)).toBe(once);
    for (const token of body.match(/【F:[^】]*】/g) ?? []) expect(once).toContain(token);
    expect(once).toContain('| Variable | Purpose |\n| --- | --- |\n');
  });

  it('strips citations, bare and linked', () => {
    expect(stripCitations('a【F:x.yml†L1-L2】 b [【F:y.yml†L3-L4】](https://git/x#L3-L4) c')).toBe('a b  c');
  });

  it('parses with positions (merge slices the source by them)', () => {
    const root = fromMarkdown('# t\n\ntext\n');
    const node = root.children[1] as Paragraph;
    expect(node.position?.start.offset).toBe(5);
  });
});
