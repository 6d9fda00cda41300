/**
 * `withoutCitedLines` (src/lib/render/citation.ts) lets the merge tell that a page changed without
 * writing both trees again: two different texts that are equal once their citations' line ranges
 * are taken out must differ in their normalised Markdown too. Held here on citations in every
 * construct a page can put them in, with their ranges moved, shortened, lengthened and dropped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeMarkdown } from '../../src/lib/merge/markdown.ts';
import { withoutCitedLines } from '../../src/lib/render/citation.ts';

/** `@` stands for a citation token; each construct a page (or a person) may put one in. */
const CONTEXTS = [
  'Plain text @ and more.',
  '- an item @',
  '1. a numbered item @',
  '> a quote @',
  '## A heading @',
  'Setext heading @\n---',
  '| Variable | Where |\n| --- | --- |\n| `A` | @ |',
  'In `code @` spans.',
  '```\nfenced @\n```',
  '    indented @',
  '<!-- comment @ -->',
  '<div>html @</div>',
  '[link text @](https://example.home/x)',
  '[@](https://example.home/src/a.yml#L1)',
  '![alt @](image.png)',
  '*emphasis @*',
  '_emphasis @_',
  '**strong @**',
  '~~struck @~~',
  'Text with a backslash\\ @ before it.',
  '[ref]: https://example.home/ "title @"',
  '<https://example.home/@>',
  'https://example.home/path/@ as a bare link',
  'www.example.home/@',
  '@',
  '@@',
  '_@_',
  '*@*',
  '1@',
];

const FILES = ['stacks/app/compose.yml', 'a_b/docker-compose.yml', '_x/compose.yaml', 'x_/y.yml', 'media/.env.example', 'http://host/x.yml', 'a*b/c.yml'];

const range = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 120 })).map(([a]) => `L${a}`),
  fc.tuple(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 120 })).map(([a, b]) => `L${a}-L${b}`),
);
const token = fc.record({ file: fc.constantFrom(...FILES), range });
const doc = fc.array(fc.record({ context: fc.constantFrom(...CONTEXTS), tokens: fc.array(token, { minLength: 2, maxLength: 2 }) }), { minLength: 1, maxLength: 6 });

/** The document with each `@` replaced by its token, the first range or (`moved`) the second. */
function write(blocks: { context: string; tokens: { file: string; range: string }[] }[], moved: readonly boolean[]): string {
  return blocks
    .map((block, i) => {
      let n = 0;
      return block.context.replace(/@/g, () => {
        const t = block.tokens[n++ % block.tokens.length] as { file: string; range: string };
        const other = block.tokens[1] as { file: string; range: string };
        return `【F:${t.file}†${moved[i] ? other.range : t.range}】`;
      });
    })
    .join('\n\n')
    .concat('\n');
}

describe('withoutCitedLines', () => {
  it('takes out exactly the line ranges', () => {
    expect(withoutCitedLines('a 【F:x/c.yml†L3-L9】 b 【F:y.yml†L12】')).toBe('a 【F:x/c.yml†】 b 【F:y.yml†】');
    // A file spelled with an escape or a character reference is left whole.
    expect(withoutCitedLines('【F:a\\_b.yml†L3】 【F:a&#95;b.yml†L3】')).toBe('【F:a\\_b.yml†L3】 【F:a&#95;b.yml†L3】');
  });

  it('leaves two texts equal only when they read alike or differ in content', () => {
    fc.assert(
      fc.property(doc, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (blocks, moved) => {
        const a = write(blocks, blocks.map(() => false));
        const b = write(blocks, moved);
        expect(withoutCitedLines(a)).toBe(withoutCitedLines(b));
        if (a !== b) expect(normalizeMarkdown(a)).not.toBe(normalizeMarkdown(b));
      }),
      { numRuns: 600 },
    );
  });
});
