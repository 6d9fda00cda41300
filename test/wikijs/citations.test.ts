/** Citations become links for Wiki.js when a source URL template is set; where they stay text. */
import { describe, expect, it } from 'vitest';
import { linkCitations } from '../../src/lib/wikijs/citations.ts';

const TEMPLATE = 'https://git.example.home/h/src/branch/main/{path}#L{start}-L{end}';
const linked = (path: string, start: number, end: number) => `[【F:${path}†L${start}-L${end}】](https://git.example.home/h/src/branch/main/${path}#L${start}-L${end})`;

describe('linkCitations', () => {
  it('links tokens in running text, tables and lists, and leaves every other byte as it was', () => {
    const markdown = '# x\n\nFact.【F:a/compose.yml†L1-L2】 More.\n\n| a | b |\n| --- | --- |\n| v | w【F:b c/compose.yml†L3-L4】 |\n\n- item【F:a/compose.yml†L5-L5】\n';
    expect(linkCitations(markdown, TEMPLATE)).toBe(
      `# x\n\nFact.${linked('a/compose.yml', 1, 2)} More.\n\n| a | b |\n| --- | --- |\n| v | w[【F:b c/compose.yml†L3-L4】](https://git.example.home/h/src/branch/main/b%20c/compose.yml#L3-L4) |\n\n- item${linked('a/compose.yml', 5, 5)}\n`,
    );
    expect(linkCitations(markdown, undefined)).toBe(markdown);
  });

  it('leaves tokens in code, inline code, HTML, links, images and definitions as they are', () => {
    const markdown = [
      '```\n【F:a†L1-L1】\n```',
      '`【F:a†L2-L2】` and <span title="【F:a†L3-L3】">x</span>',
      '<!-- 【F:a†L4-L4】 -->',
      '[see 【F:a†L5-L5】](https://x.example/) ![【F:a†L6-L6】](i.png) [ref 【F:a†L7-L7】][r] <https://x.example/【F:a†L8-L8】>',
      '[r]: https://y.example/ "【F:a†L9-L9】"',
    ].join('\n\n');
    expect(linkCitations(markdown, TEMPLATE)).toBe(markdown);
  });

  it('links a token written right after a bare URL, which a literal autolink would swallow', () => {
    // As a stack's description with a link to the project reads; escaped or not, the URL runs on
    // into the token (a literal autolink stops only at whitespace), yet the token is a citation.
    const escaped = 'Docs: https\\://github.com/actualbudget/actual.【F:actual-budget/compose.yml†L2-L8】 The stack runs.';
    expect(linkCitations(escaped, TEMPLATE)).toBe(`Docs: https\\://github.com/actualbudget/actual.${linked('actual-budget/compose.yml', 2, 8)} The stack runs.`);
    const bare = 'See https://x.example/a【F:a/b.yml†L1-L2】 and www.example.com/x【F:a/b.yml†L3-L3】.';
    expect(linkCitations(bare, TEMPLATE)).toBe(`See https://x.example/a${linked('a/b.yml', 1, 2)} and www.example.com/x${linked('a/b.yml', 3, 3)}.`);
  });
});
