import { describe, expect, it } from 'vitest';
import { inlineCode, isDelimiterLine, isDelimiterRow, isTableRow, scanPage, tableCells } from '../../src/lib/check/page-text.ts';

describe('tableCells', () => {
  it.each([
    ['| a | b |', ['a', 'b']],
    ['  | a | b  ', ['a', 'b']],
    ['|a||b|', ['a', '', 'b']],
    ['| |', ['']],
    ['|', []],
    ['| --- | :-: |', ['---', ':-:']],
    ['| `A\\|B` | x \\| y | z |', ['`A|B`', 'x | y', 'z']],
    ['| path\\to | b |', ['path\\to', 'b']],
    ['| a 【F:x/compose.yml†L1-L2】 | b |', ['a 【F:x/compose.yml†L1-L2】', 'b']],
  ])('splits %j', (line, cells) => {
    expect(tableCells(line)).toEqual(cells);
  });

  it('is undefined for a line that is not a row', () => {
    expect(tableCells('text | with a pipe')).toBeUndefined();
    expect(tableCells('')).toBeUndefined();
  });

  it('tells delimiter rows and reads inline code', () => {
    expect(isDelimiterRow(tableCells('| --- | :-- | --: |') ?? [])).toBe(true);
    expect(isDelimiterRow(tableCells('| --- | a |') ?? [])).toBe(false);
    expect(inlineCode('set `FOO` and `` BAR` ``')).toEqual(['FOO', 'BAR`']);
  });
});

describe('inlineCode', () => {
  // The fast path for one single-backtick span must read what the full pattern reads.
  const reference = (fragment: string) => [...fragment.matchAll(/(`+)([^`]|[^`].*?[^`])\1(?!`)/g)].map((m) => (m[2] as string).trim());

  it.each(['`FOO`', '| `FOO` |', '``', '` `', '`\n`', '`a\nb`', '`a\u2028b`', 'x `a` y `b`', '`a', 'a`', '``a``', '` a `', 'no code', '`` ` ``'])('reads %j as the full pattern does', (fragment) => {
    expect(inlineCode(fragment)).toEqual(reference(fragment));
  });

  it('agrees with the full pattern on random fragments', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = ['`', '`', 'a', 'B', ' ', '_', '\n', '\r', '|'];
    for (let i = 0; i < 20_000; i++) {
      let fragment = '';
      const length = Math.floor(next() * 9);
      for (let j = 0; j < length; j++) fragment += alphabet[Math.floor(next() * alphabet.length)];
      expect(inlineCode(fragment), JSON.stringify(fragment)).toEqual(reference(fragment));
    }
  });
});

describe('isTableRow and isDelimiterLine', () => {
  // They answer without splitting what tableCells and isDelimiterRow answer by splitting.
  it.each([
    '| a | b |', '  | a | b  ', '|', '| |', '| --- | :-: |', '|---|---|', '  |:--|--:|  ', '| --- | a |', '| - |', '| :: |',
    '| --- \\| --- |', '| `A\\|B` | x |', '--- | ---', 'text | with a pipe', '', '   ', '|\t---\t|', '| —— |', '- item', '> | quote |',
  ])('agree with the splitting functions on %j', (line) => {
    const cells = tableCells(line);
    expect(isTableRow(line)).toBe(cells !== undefined);
    expect(isDelimiterLine(line)).toBe(cells !== undefined && isDelimiterRow(cells));
  });
});

describe('scanPage', () => {
  it('places citations by line and column and skips fenced code', () => {
    const page = ['# T', 'A fact.【F:s/compose.yml†L3-L4】', '```', 'x【F:s/compose.yml†L1-L1】', '```', '| a【F:s/compose.yml†L5-L5】 |'].join('\n');
    const scanned = scanPage(page);
    expect(scanned.citations.map((c) => [c.line, c.column, c.startLine])).toEqual([[2, 8, 3], [6, 4, 5]]);
    expect([...scanned.inCode]).toEqual([3, 4, 5]);
  });
});
