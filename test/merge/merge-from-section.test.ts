/**
 * The merge from the first section where the page a person edited parts from the generated one
 * (merge-page.ts `sharedSectionStart`): whatever the edit, the body must be the full merge's, byte
 * for byte. Edits are random insertions, replacements and deletions of a person's Markdown at the
 * generated text's line and section boundaries, on the fixture page and every page of the example.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeBodyOf } from '../../src/lib/merge/merge-page.ts';
import { toMarkdown, toMarkdownWithHeadings } from '../../src/lib/merge/markdown.ts';
import type { Page } from '../../src/lib/render/page.ts';
import { renderExample } from '../render/helpers.ts';
import { servicePage } from './fixtures.ts';

const PIECES = [
  '- Checked by hand; see [the runbook][rb].',
  '- Keep its data on the SSD pool.【F:authentik/compose.yml†L1-L2】',
  '* a star item',
  '1. first\n2. second',
  'A paragraph of a person, with `code` and _emphasis_.',
  '> Ask before restarting it.',
  '## Runbook\n\nStop it first.',
  '## Operator notes',
  '# Appendix',
  '## Integrations\n\nMy own words on integrations.',
  '## Operational Notes\n\n- Mine.',
  '## Backups\n\nNightly.',
  '### Sub-heading\n\ntext',
  'Setext\n---',
  '```sh\necho hi\n```',
  '```\nopen fence',
  '<!-- a comment -->',
  '<!-- -->',
  '<!-- open comment',
  '[rb]: https://wiki.example.home/runbook',
  '| a | b |\n| --- | --- |\n| 1 | 2 |',
  '    indented code',
  '',
];

/** Offsets in `text` where an edit may go: line starts, blank lines and the generated sections' starts. */
function places(text: string, headings: readonly number[]): number[] {
  const found = new Set<number>([...headings, text.length]);
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) found.add(at + 1);
  return [...found].filter((at) => at > 0).sort((a, b) => a - b);
}

type Edit =
  | { kind: 'insert'; place: number; piece: string; gap: string }
  | { kind: 'replace-line'; place: number; piece: string }
  | { kind: 'delete'; from: number; to: number }
  | { kind: 'append'; piece: string; gap: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), place: fc.nat(), piece: fc.constantFrom(...PIECES), gap: fc.constantFrom('\n\n', '\n', '') }),
  fc.record({ kind: fc.constant('replace-line' as const), place: fc.nat(), piece: fc.constantFrom(...PIECES) }),
  fc.record({ kind: fc.constant('delete' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), piece: fc.constantFrom(...PIECES), gap: fc.constantFrom('\n\n', '\n') }),
);

/** The body after the edits, each applied to the previous result at a place of the generated text's kind. */
function applyEdits(text: string, headings: readonly number[], edits: readonly Edit[]): string {
  let body = text;
  for (const e of edits) {
    const at = places(body, headings);
    const pick = (n: number) => at[n % at.length] as number;
    if (e.kind === 'insert') {
      const place = pick(e.place);
      body = `${body.slice(0, place)}${e.piece}${e.gap}${body.slice(place)}`;
    } else if (e.kind === 'replace-line') {
      const place = pick(e.place);
      const end = body.indexOf('\n', place);
      body = `${body.slice(0, place)}${e.piece}${end === -1 ? '' : body.slice(end)}`;
    } else if (e.kind === 'delete') {
      const [from, to] = [pick(e.from), pick(e.to)].sort((a, b) => a - b) as [number, number];
      body = `${body.slice(0, from)}${body.slice(to)}`;
    } else body = `${body.trimEnd()}${e.gap}${e.piece}\n`;
  }
  return body;
}

/** The body and the text removed from owned sections are the full merge's. */
function agrees(page: Page, body: string): void {
  let whole: ReturnType<typeof mergeBodyOf>;
  try {
    whole = mergeBodyOf(page, body, { whole: true });
  } catch (error) {
    expect(() => mergeBodyOf(page, body)).toThrow((error as Error).constructor as new () => Error);
    return;
  }
  const merged = mergeBodyOf(page, body);
  expect(merged.body).toBe(whole.body);
  expect(merged.removed).toEqual(whole.removed);
}

describe('merging from the first section that differs', () => {
  it('gives the full merge on the fixture page (which owns a section it does not write)', () => {
    const fixture = servicePage();
    const page: Page = { ...fixture, ownedSections: [...fixture.ownedSections, 'Backups'] };
    const { text, headings } = toMarkdownWithHeadings(page.body);
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => agrees(page, applyEdits(text, headings, edits))),
      { numRuns: 400 },
    );
  });

  it('gives the full merge on every page of the example', async () => {
    const { pages } = await renderExample();
    fc.assert(
      fc.property(fc.constantFrom(...pages), fc.array(edit, { minLength: 1, maxLength: 3 }), (page, edits) => {
        const { text, headings } = toMarkdownWithHeadings(page.body);
        agrees(page, applyEdits(text, headings, edits));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a note a person added under Operational Notes, and the section before it as generated', () => {
    const page = servicePage();
    const text = toMarkdown(page.body);
    const body = `${text}- Restart the worker after the server.\n`;
    const merged = mergeBodyOf(page, body).body;
    expect(merged).toBe(body);
    expect(merged).toBe(mergeBodyOf(page, body, { whole: true }).body);
  });

  it('reads a person\'s H1 where the texts part as a section, not as the page title', () => {
    const page = servicePage();
    const { text, headings } = toMarkdownWithHeadings(page.body);
    const at = headings.at(-1) as number; // Operational Notes
    const body = `${text.slice(0, at)}# Appendix\n\nSome text.\n\n<!-- -->\n\nMore text.\n\n${text.slice(at)}`;
    const whole = mergeBodyOf(page, body, { whole: true }).body;
    expect(whole).toContain('Some text.\n\n<!-- -->\n\nMore text.');
    expect(mergeBodyOf(page, body).body).toBe(whole);
  });
});

describe('toMarkdownWithHeadings', () => {
  it('gives the offset of every top-level heading of a generated page', async () => {
    const { pages } = await renderExample();
    for (const page of pages) {
      const { text, headings } = toMarkdownWithHeadings(page.body);
      expect(text).toBe(toMarkdown(page.body));
      const count = page.body.children.filter((node) => node.type === 'heading').length;
      expect(headings, page.path).toHaveLength(count);
      for (const at of headings) {
        expect(at === 0 || text.slice(at - 2, at) === '\n\n', page.path).toBe(true);
        expect(text.slice(at), page.path).toMatch(/^#{1,6}(?: |\n|$)/);
      }
    }
  });
});
