/**
 * Property: for random trees of the node types the renderer emits, with adversarial text, the fast
 * writer either declines (`undefined`) or writes exactly what remark writes. It must also answer
 * often enough for the property to mean something.
 */
import fc from 'fast-check';
import type { AlignType, Code, Heading, InlineCode, Link, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Table, TableCell, Text } from 'mdast';
import { describe, expect, it } from 'vitest';
import { fromMarkdown, remarkToMarkdown, writeMarkdownByBlocks, writeMarkdownFast } from '../../src/lib/merge/markdown.ts';
import { blockDocument } from './markdown-blocks.ts';

const TOKENS = [
  'a', 'Z', 'word', '42', '7', ' ', '  ', '\t', '_', '__', '*', '**', '@', '|', '`', '``', '```', '~', '#', '-', '+', '.', '1.', '2)', ':', '/', 'http://', 'https://x.y',
  'www.', 'mailto:', '<', '>', '<b>', '&', '&amp;', '&#x41;', '\\', '[', ']', '(', ')', '!', '=', '"', "'", '$', '%', '^', '{', '}', '【F:x_y.yml†L1-L2】', '【', '】',
  'é', 'ü', '—', '“', '🙂', '\u00a0', '\u200b', '\n', '\r\n', 'x@y.z', 'a_b',
];

const textValue = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...TOKENS), { maxLength: 8 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);
const urls = fc.oneof(
  fc.constantFrom('/home/Platform/Stacks/a', 'https://git.example.com/h/src/branch/main/a.yml#L1-L2', 'mailto:a@b.c', 'a_b', 'x(y)', 'a|b', '', 'a b', '<x>', 'https://x.y/a*b'),
  textValue,
);

const text: fc.Arbitrary<Text> = textValue.map((value) => ({ type: 'text', value }));
const inlineCode: fc.Arbitrary<InlineCode> = textValue.map((value) => ({ type: 'inlineCode', value }));
const simple: fc.Arbitrary<PhrasingContent> = fc.oneof({ weight: 4, arbitrary: text }, { weight: 2, arbitrary: inlineCode });
const link: fc.Arbitrary<Link> = fc.oneof(
  fc.record({ url: urls, children: fc.array(simple, { maxLength: 3 }) }).map(({ url, children }): Link => ({ type: 'link', url, children })),
  urls.map((url): Link => ({ type: 'link', url, children: [{ type: 'text', value: url }] })),
);
const leaf: fc.Arbitrary<PhrasingContent> = fc.oneof({ weight: 6, arbitrary: simple }, { weight: 1, arbitrary: link });
const inline: fc.Arbitrary<PhrasingContent> = fc.oneof(
  { weight: 8, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { minLength: 0, maxLength: 3 }).map((children): PhrasingContent => ({ type: 'emphasis', children })) },
  { weight: 1, arbitrary: fc.array(leaf, { minLength: 0, maxLength: 3 }).map((children): PhrasingContent => ({ type: 'strong', children })) },
);
const inlines = fc.array(inline, { maxLength: 6 });

const paragraph: fc.Arbitrary<Paragraph> = inlines.map((children) => ({ type: 'paragraph', children }));
const heading: fc.Arbitrary<Heading> = fc.record({ depth: fc.constantFrom(1, 2, 3, 6), children: inlines }).map(({ depth, children }) => ({ type: 'heading', depth: depth as Heading['depth'], children }));
const listItem: fc.Arbitrary<ListItem> = fc.record({ children: inlines, spread: fc.boolean() }).map(({ children, spread }) => ({ type: 'listItem', spread, children: [{ type: 'paragraph', children }] }));
const list: fc.Arbitrary<List> = fc.record({ items: fc.array(listItem, { minLength: 1, maxLength: 4 }), spread: fc.constantFrom(false, false, true, undefined), ordered: fc.constantFrom(false, false, false, true) })
  .map(({ items, spread, ordered }) => ({ type: 'list', ordered, ...(spread === undefined ? {} : { spread }), children: items }));
const cell: fc.Arbitrary<TableCell> = fc.array(inline, { maxLength: 3 }).map((children) => ({ type: 'tableCell', children }));
const table: fc.Arbitrary<Table> = fc.record({ columns: fc.integer({ min: 1, max: 3 }), rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }), align: fc.constantFrom<AlignType>(null, 'left', 'center', 'right') })
  .map(({ columns, rows, align }) => ({ type: 'table', align: Array.from({ length: columns }, (_, index) => (index === 0 ? align : null)), children: rows.map((cells) => ({ type: 'tableRow', children: cells })) }));
const codeBlock: fc.Arbitrary<Code> = fc.record({ lang: fc.oneof(fc.constantFrom('sh', 'yaml', 'mermaid', 'c++', '', 'a b', 'x`y', 'a&amp'), textValue), value: textValue })
  .map(({ lang, value }) => ({ type: 'code', lang, value }));
const block: fc.Arbitrary<RootContent> = fc.oneof({ weight: 4, arbitrary: paragraph }, { weight: 2, arbitrary: heading }, { weight: 3, arbitrary: list }, { weight: 2, arbitrary: table }, { weight: 1, arbitrary: codeBlock });
const tree: fc.Arbitrary<Root> = fc.array(block, { maxLength: 5 }).map((children) => ({ type: 'root', children }));

/**
 * Runs `numRuns` random trees of `trees` through the fast writer; whenever it answers, its bytes
 * must be remark's. Returns the share of trees it answered. A fixed seed keeps `npm test`
 * reproducible; PROPERTY_SEED and PROPERTY_RUNS explore further.
 */
function answeredLikeRemark(trees: fc.Arbitrary<Root>, numRuns: number, what: string): number {
  let answered = 0;
  let runs = 0;
  fc.assert(
    fc.property(trees, (root) => {
      runs += 1;
      const written = writeMarkdownFast(root);
      if (written === undefined) return;
      answered += 1;
      expect(written).toBe(remarkToMarkdown(root));
    }),
    { numRuns, seed: Number(process.env.PROPERTY_SEED ?? 20261127), endOnFailure: true },
  );
  console.log(`write-markdown property: the fast writer answered ${answered} of ${runs} random ${what}`);
  return answered / runs;
}

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

describe('fast writer against remark on random trees', () => {
  it('writes what remark writes whenever it answers', () => {
    expect(answeredLikeRemark(tree, RUNS, 'trees')).toBeGreaterThan(0.2);
  });

  it('writes what remark writes for single random paragraphs, headings and cells', () => {
    const small = fc.oneof(paragraph.map((p): Root => ({ type: 'root', children: [p] })), heading.map((h): Root => ({ type: 'root', children: [h] })),
      cell.map((c): Root => ({ type: 'root', children: [{ type: 'table', align: [null], children: [{ type: 'tableRow', children: [c] }] }] })));
    expect(answeredLikeRemark(small, 3 * RUNS, 'blocks')).toBeGreaterThan(0.4);
  });
});

/** Blocks only remark writes, as a person's text has them: quotes, HTML, rules, definitions. */
const personBlock: fc.Arbitrary<RootContent> = fc.oneof(
  paragraph.map((p): RootContent => ({ type: 'blockquote', children: [p] })),
  fc.constantFrom('<details>', '<!-- note -->', '<div>\n  x  \n</div>', '<b>x</b>  ').map((value): RootContent => ({ type: 'html', value })),
  fc.constant<RootContent>({ type: 'thematicBreak' }),
  urls.map((url): RootContent => ({ type: 'definition', identifier: 'r', label: 'r', url, title: null })),
  list.map((l): RootContent => ({ ...l, ordered: true, start: 3 })),
);
const mixedTree: fc.Arbitrary<Root> = fc.array(fc.oneof({ weight: 3, arbitrary: block }, { weight: 2, arbitrary: personBlock }), { maxLength: 6 })
  .map((children) => ({ type: 'root', children }));

describe('block-by-block writing against remark', () => {
  it('writes what remark writes for random trees mixing blocks only remark writes', () => {
    let answered = 0;
    fc.assert(
      fc.property(mixedTree, (root) => {
        const written = writeMarkdownByBlocks(root);
        if (written === undefined) return;
        answered += 1;
        expect(written).toBe(remarkToMarkdown(root));
      }),
      { numRuns: 3 * RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20261127), endOnFailure: true },
    );
    expect(answered / (3 * RUNS)).toBeGreaterThan(0.8);
  });

  it('writes what remark writes for parsed random documents of block-level lines', () => {
    fc.assert(
      fc.property(blockDocument, (markdown) => {
        const root = fromMarkdown(markdown);
        const written = writeMarkdownByBlocks(root);
        if (written !== undefined) expect(written).toBe(remarkToMarkdown(root));
      }),
      { numRuns: 10 * RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20261127), endOnFailure: true },
    );
  });
});
