/**
 * A page a person nested thousands of levels deep cannot be parsed (the parser and the tree walks
 * run out of stack). Merging it must say so, with the line, and never lose or rewrite the file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergePage, UnreadablePageError } from '../../src/lib/merge/index.ts';
import { deepestLine, refuseUnparsableNesting } from '../../src/lib/merge/unreadable-page.ts';
import { writePageStream } from '../../src/lib/merge/write-pages.ts';
import { SERVICE_FACTS, servicePage } from './fixtures.ts';

const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-02-01T00:00:00.000Z';

/** The page file generate writes, with a person's note appended at its end. */
function withNote(note: string): { text: string; noteLine: number } {
  const text = mergePage(servicePage(), undefined, { now: T1 }).text;
  const noteLine = text.split('\n').length + 1;
  return { text: `${text}\n${note}\n`, noteLine };
}

describe('deepestLine', () => {
  it('counts block quotes, bullet and ordered list markers, and indentation before them', () => {
    expect(deepestLine('plain\n> one\n> > > three\n')).toEqual({ line: 3, depth: 3 });
    expect(deepestLine('a\n\n- - - x\n1. 2) x')).toEqual({ line: 3, depth: 3 });
    // The first line at the deepest level is the one named.
    expect(deepestLine('- a\n  - b\n    - c\n      text')).toEqual({ line: 3, depth: 3 });
    expect(deepestLine(`x\n${'>'.repeat(500)} y`)).toEqual({ line: 2, depth: 500 });
    // Not list markers: emphasis, a thematic break's dashes without spaces, a number without a dot.
    expect(deepestLine('*a*\n---\n2024 was\n')).toEqual({ line: 1, depth: 0 });
  });
});

describe('refuseUnparsableNesting', () => {
  it('refuses a line opening 10,000 block quotes or list items, before any parser runs', () => {
    expect(() => refuseUnparsableNesting(`text\n${'>'.repeat(10_000)} x\n`)).toThrow(RangeError);
    expect(() => refuseUnparsableNesting(`${'- '.repeat(10_000)}x`)).toThrow(RangeError);
    expect(() => refuseUnparsableNesting(`${'> - 1. '.repeat(4_000)}x`)).toThrow(RangeError);
  });

  it('lets through what a parser may still read: fewer levels, indentation, markers inside a line', () => {
    expect(() => refuseUnparsableNesting(`${'>'.repeat(9_999)} x`)).not.toThrow();
    // Indentation alone is an indented code block, however wide.
    expect(() => refuseUnparsableNesting(`${' '.repeat(50_000)}code`)).not.toThrow();
    expect(() => refuseUnparsableNesting(`x ${'>'.repeat(50_000)}`)).not.toThrow();
    expect(() => refuseUnparsableNesting(`${'> x\n'.repeat(20_000)}`)).not.toThrow();
  });
});

/** The error mergePage throws for the page file `text`, which must be an UnreadablePageError. */
function unreadableError(text: string): UnreadablePageError {
  let thrown: unknown;
  try {
    mergePage(servicePage(), text, { now: T2 });
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(UnreadablePageError);
  return thrown as UnreadablePageError;
}

describe('mergePage on a page nested too deeply to parse', () => {
  for (const [name, note] of [
    ['block quotes', `${'>'.repeat(20_000)} deep`],
    ['bullet lists', `${'- '.repeat(1_000)}deep`],
    ['ordered lists', `${'1. '.repeat(5_000)}deep`],
  ] as const) {
    it(`throws an UnreadablePageError naming the line (${name})`, () => {
      const { text, noteLine } = withNote(note);
      const error = unreadableError(text);
      expect(error.line).toBe(noteLine);
      expect(error.depth).toBeGreaterThanOrEqual(1_000);
      expect(error.message).toBe(
        `the page's Markdown is nested too deeply to be parsed: line ${noteLine} nests ${error.depth} block quotes or list items. It was left as it is; flatten the nesting, then run generate again`,
      );
      expect(error.cause).toBeInstanceOf(RangeError);
    });
  }

  it('refuses a page nested 200,000 levels deep before any parser runs', () => {
    // satteri is quadratic in the depth: it took ~27 s to give up on this page.
    const { text, noteLine } = withNote(`${'> '.repeat(200_000)}deep`);
    const error = unreadableError(text);
    expect([error.line, error.depth]).toEqual([noteLine, 200_000]);
    // The refusal, not a parser running out of stack.
    expect((error.cause as Error).message).toBe('Markdown nested 10000 levels deep or more');
  });

  it('still merges a page nested a few hundred levels deep', () => {
    const { text } = withNote(`${'>'.repeat(300)} deep`);
    const merged = mergePage(servicePage(), text, { now: T2 });
    expect(merged.text).toContain(`${'>'.repeat(300)} deep`);
  });

  it('writePageStream leaves the file byte for byte, reports it, and writes the other pages', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'compose-wiki-unreadable-'));
    try {
      const deep = servicePage({ ...SERVICE_FACTS, name: 'deep' });
      const other = servicePage({ ...SERVICE_FACTS, name: 'other' });
      const first = await writePageStream(dir, [deep, other], { now: T1, form: 'comment' });
      const [deepFile, otherFile] = [`${deep.path}.md`, `${other.path}.md`];
      expect(first.written).toEqual([deepFile, otherFile].sort());
      const original = await readFile(path.join(dir, deepFile), 'utf8');
      const edited = `${original}\n${'>'.repeat(20_000)} a person's words\n`;
      await writeFile(path.join(dir, deepFile), edited);
      await rm(path.join(dir, otherFile));

      const seen: string[] = [];
      const second = await writePageStream(dir, [deep, other], { now: T2, form: 'comment', onPage: (page) => seen.push(page.path) });
      expect(await readFile(path.join(dir, deepFile), 'utf8')).toBe(edited);
      expect(second.unreadable).toEqual([{ file: deepFile, line: original.split('\n').length + 1, message: expect.stringContaining('nested too deeply') }]);
      expect(second.written).toEqual([otherFile]);
      expect(second.unchanged).toEqual([]);
      expect(second.orphans).toEqual([]);
      // Its summary still reaches the caller (the findings sidecar lists the page).
      expect(seen).toEqual([deep.path, other.path]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
