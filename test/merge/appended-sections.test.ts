/**
 * The merge's fast path for sections a person added after the generated ones: it may only say
 * "unchanged" where the full merge (`mergeBodyOf` with `whole`) gives the body back byte for
 * byte, and it must say so for the common case (a person's own section at the end of a page).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendedSectionsOnly } from '../../src/lib/merge/appended-sections.ts';
import { mergePage, toMarkdown } from '../../src/lib/merge/index.ts';
import { mergeBodyOf } from '../../src/lib/merge/merge-page.ts';
import type { Page } from '../../src/lib/render/page.ts';
import { renderExample } from '../render/helpers.ts';
import { servicePage } from './fixtures.ts';

const NOW = '2026-01-01T00:00:00.000Z';
const LATER = '2026-02-01T00:00:00.000Z';

/** The page file generate writes first, with `appended` after its body. */
function fileWith(page: Page, appended: string): string {
  return `${mergePage(page, undefined, { now: NOW }).text}\n${appended}`;
}

/** What the full merge makes of the generated body with `appended` after it. */
function fullMerge(page: Page, appended: string): string {
  return mergeBodyOf(page, `${toMarkdown(page.body)}\n${appended}`, { whole: true }).body;
}

function fast(page: Page, appended: string): boolean {
  const generatedText = toMarkdown(page.body);
  return appendedSectionsOnly(page, generatedText, `${generatedText}\n${appended}`);
}

describe('appendedSectionsOnly', () => {
  const page = servicePage();
  const generatedText = toMarkdown(page.body);

  it('takes a page with a section a person added at the end, and the merge leaves it as it is', () => {
    const appended = '## Runbook\n\n1. Stop the server.\n2. Restore `ak_media`.\n\n> Ask first.\n\n### Notes\n\n- SSD pool only.\n';
    expect(fast(page, appended)).toBe(true);
    expect(fullMerge(page, appended)).toBe(`${generatedText}\n${appended}`);
    const file = fileWith(page, appended);
    const merged = mergePage(page, file, { now: LATER });
    expect(merged.text).toBe(file);
    expect(merged.changed).toBe(false);
    expect(merged.bodyIsGenerated).toBe(false);
  });

  it('takes several sections, H1 ones too, and link definitions', () => {
    const appended = '## One\n\nSee [the runbook][rb].\n\n# Two\n\ntext\n\n## Three\n\n[rb]: https://wiki.example.home/runbook\n';
    expect(fast(page, appended)).toBe(true);
    expect(fullMerge(page, appended)).toBe(`${generatedText}\n${appended}`);
  });

  it.each([
    ['a section the generator owns', '## Integrations\n\nMy words.\n'],
    ['a section it shares', '## Operational Notes\n\n- Mine.\n'],
    ['an owned title spelled with markup', '## *Integrations*\n\nMine.\n'],
    ['text before the first heading', 'A paragraph.\n\n## Mine\n\ntext\n'],
    ['an H3 first', '### Mine\n\ntext\n'],
    ['a setext heading first', 'Mine\n----\n\ntext\n'],
    ['a heading without its space', '##Mine\n'],
    ['two blank lines between sections', '## One\n\ntext\n\n\n## Two\n'],
    ['trailing spaces', '## One\n\ntext  \n'],
    ['no final line break', '## One\n\ntext'],
    ['a fence left open at the end', '## One\n\n```sh\necho hi\n'],
    ['an HTML comment left open at the end', '## One\n\n<!-- todo\n'],
  ])('declines %s', (_name, appended) => {
    expect(fast(page, appended)).toBe(false);
  });

  it('declines a section the generator owns but no longer writes, which the merge drops', () => {
    const owning: Page = { ...page, ownedSections: [...page.ownedSections, 'Backups'] };
    const appended = '## Backups\n\nNightly.\n';
    expect(fullMerge(owning, appended)).toBe(generatedText);
    expect(fast(owning, appended)).toBe(false);
  });

  it('declines a body that is not the generated text plus one blank line', () => {
    expect(appendedSectionsOnly(page, generatedText, generatedText)).toBe(false);
    expect(appendedSectionsOnly(page, generatedText, `${generatedText}## Mine\n`)).toBe(false);
    expect(appendedSectionsOnly(page, generatedText, `${generatedText.replace('# authentik-server', '# authentik')}\n## Mine\n`)).toBe(false);
  });

  it('declines a generated body whose H1 is not its only one', () => {
    const twoTitles: Page = { ...page, body: { ...page.body, children: [...page.body.children, { type: 'heading', depth: 1, children: [{ type: 'text', value: 'Again' }] }] } };
    expect(appendedSectionsOnly(twoTitles, toMarkdown(twoTitles.body), `${toMarkdown(twoTitles.body)}\n## Mine\n`)).toBe(false);
  });
});

// Blocks a person's sections are made of, the awkward ones included: lists that a neighbour
// could continue, open fences, HTML, definitions, headings that spell generated titles.
const HEADINGS = ['## Runbook', '## Operator notes', '# Appendix', '## Backups', '## Integrations', '## Operational Notes', '## Overview', '## **Runbook**', '##', '## Configuration &amp; Secrets', '## Runtime Profile'];
const BLOCKS = [
  'Plain text with `code` and a 【F:authentik/compose.yml†L1-L2】 citation.',
  '- one\n- two',
  '* star',
  '1. first\n2. second',
  '> quoted\nlazy line',
  '```sh\necho hi\n```',
  '```\nopen fence',
  '<!-- a comment -->',
  '<!-- open comment',
  '<div>\nhtml\n</div>',
  '[rb]: https://wiki.example.home/runbook',
  'See [rb].',
  '### Sub-heading',
  'Setext\n---',
  '| a | b |\n| --- | --- |\n| 1 | 2 |',
  '    indented code',
  'trailing spaces  ',
  '\\## not a heading',
  '',
];

/** Mostly what the fast path takes (one blank line between blocks, one line break at the end), sometimes not. */
const usually = <T,>(common: T, ...rare: T[]) => fc.oneof({ arbitrary: fc.constant(common), weight: 6 }, { arbitrary: fc.constantFrom(...rare), weight: 1 });

const appendedText = fc
  .array(
    fc.record({
      heading: fc.oneof({ arbitrary: fc.constantFrom(...HEADINGS.slice(0, 3)), weight: 3 }, { arbitrary: fc.constantFrom(...HEADINGS), weight: 1 }),
      blocks: fc.array(fc.constantFrom(...BLOCKS), { maxLength: 3 }),
      gap: usually('\n\n', '\n', '\n\n\n'),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .chain((sections) => usually('\n', '', '\n\n', '  \n').map((end) => `${sections.map((s) => [s.heading, ...s.blocks].join(s.gap)).join('\n\n')}${end}`));

describe('appendedSectionsOnly agrees with the full merge', () => {
  it('on the fixture page, for random sections', () => {
    // It owns a section it does not write (as a page does whose service lost its relations).
    const fixture = servicePage();
    const page: Page = { ...fixture, ownedSections: [...fixture.ownedSections, 'Backups'] };
    let taken = 0;
    fc.assert(
      fc.property(appendedText, (appended) => {
        if (!fast(page, appended)) return;
        taken += 1;
        expect(fullMerge(page, appended)).toBe(`${toMarkdown(page.body)}\n${appended}`);
      }),
      { numRuns: 300 },
    );
    // The property must not hold only because the fast path never says yes.
    expect(taken).toBeGreaterThan(30);
  });

  it('on every page of the example, for a section a person added and for random ones', async () => {
    const { pages } = await renderExample();
    const runbook = '## Runbook\n\nRestart it after `docker compose pull`.\n\n- Checked by hand.\n';
    for (const page of pages) {
      expect(fast(page, runbook), page.path).toBe(true);
      expect(fullMerge(page, runbook), page.path).toBe(`${toMarkdown(page.body)}\n${runbook}`);
    }
    fc.assert(
      fc.property(fc.constantFrom(...pages), appendedText, (page, appended) => {
        if (!fast(page, appended)) return;
        expect(fullMerge(page, appended)).toBe(`${toMarkdown(page.body)}\n${appended}`);
      }),
      { numRuns: 150 },
    );
  });
});
