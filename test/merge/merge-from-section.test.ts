/**
 * The merge from the first section where the page a person edited parts from the generated one
 * (merge-page.ts `sharedSectionStart`): whatever the edit, the body must be the full merge's, byte
 * for byte, and so must its verdict on whether the body changed. Edits are random insertions,
 * replacements and deletions of a person's Markdown at the generated text's line and section
 * boundaries, and citations moved to other lines (as when the compose files changed), on the
 * fixture page and every page of the example.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeBodyOf, mergePage } from '../../src/lib/merge/merge-page.ts';
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
  | { kind: 'append'; piece: string; gap: string }
  | { kind: 'move-citations'; from: number; to: number; by: number; single: boolean };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), place: fc.nat(), piece: fc.constantFrom(...PIECES), gap: fc.constantFrom('\n\n', '\n', '') }),
  fc.record({ kind: fc.constant('replace-line' as const), place: fc.nat(), piece: fc.constantFrom(...PIECES) }),
  fc.record({ kind: fc.constant('delete' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), piece: fc.constantFrom(...PIECES), gap: fc.constantFrom('\n\n', '\n') }),
  fc.record({ kind: fc.constant('move-citations' as const), from: fc.nat(), to: fc.nat(), by: fc.integer({ min: 1, max: 12 }), single: fc.boolean() }),
);

/** Every citation between `from` and `to` pointing `by` lines further down (`single`: at its first line only). */
function moveCitations(text: string, from: number, to: number, by: number, single: boolean): string {
  const part = text.slice(from, to).replace(/†L(\d+)(?:-L(\d+))?】/g, (_, start: string, end?: string) => {
    const first = Number(start) + by;
    return single || end === undefined ? `†L${first}】` : `†L${first}-L${Number(end) + by}】`;
  });
  return text.slice(0, from) + part + text.slice(to);
}

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
    } else if (e.kind === 'move-citations') {
      const [from, to] = [pick(e.from), pick(e.to)].sort((a, b) => a - b) as [number, number];
      body = moveCitations(body, from === to ? 0 : from, from === to ? body.length : to, e.by, e.single);
    } else body = `${body.trimEnd()}${e.gap}${e.piece}\n`;
  }
  return body;
}

/** The body, the text removed from owned sections and whether the body changed are the full merge's. */
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
  expect(merged.bodyChanged).toBe(whole.bodyChanged);
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

  it('gives the full merge on a page with a section it writes once and then leaves to people', () => {
    const fixture = servicePage();
    const page: Page = { ...fixture, ownedSections: fixture.ownedSections.filter((title) => title !== 'Integrations') };
    const { text, headings } = toMarkdownWithHeadings(page.body);
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => agrees(page, applyEdits(text, headings, edits))),
      { numRuns: 300 },
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

  it('merges a page whose citations all moved from the section a person wrote in, and dates it', async () => {
    const T1 = '2026-01-01T00:00:00.000Z';
    const T2 = '2026-02-01T00:00:00.000Z';
    const { pages } = await renderExample();
    let shortened = 0;
    for (const page of pages.filter((p) => p.kind === 'service')) {
      const first = mergePage(page, undefined, { now: T1 });
      // A person's note (as the merge keeps it), then the compose files change: every citation
      // now points one line lower.
      const edited = mergePage(page, `${first.text}- Restart the worker after the server.\n`, { now: T1 }).text;
      const moved = moveCitations(edited, 0, edited.length, 1, false);
      const result = mergePage(page, moved, { now: T2 });
      expect(result.text, page.path).toBe(edited.replace(`\ndate: ${T1}\n`, `\ndate: ${T2}\n`));
      expect(result.header.date, page.path).toBe(T2);
      const body = moved.slice(moved.indexOf('# '));
      expect(mergeBodyOf(page, body)).toEqual(mergeBodyOf(page, body, { whole: true }));
      // Everything before Operational Notes was taken as generated, without being parsed.
      const notes = result.text.indexOf('\n## Operational Notes\n');
      if (result.generatedLines >= result.text.slice(0, notes).split('\n').length) shortened += 1;
    }
    expect(shortened).toBe(pages.filter((p) => p.kind === 'service').length);
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
