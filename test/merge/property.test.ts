/**
 * Property: whatever a person adds to Operational Notes, the Overview or new sections (text full of
 * Markdown specials) survives, verbatim, a regenerate with a changed generated page; and the merge
 * is idempotent and keeps every generated section, in order, with its fresh facts.
 */
import fc from 'fast-check';
import type { Heading } from 'mdast';
import { describe, expect, it } from 'vitest';
import { fromMarkdown, mergePage, parsePageFile } from '../../src/lib/merge/index.ts';
import { cite, edit, SERVICE_FACTS, servicePage } from './fixtures.ts';

const TOKENS = [
  'a', 'b', 'Z', 'note', '42', ' ', ' ', '|', '*', '**', '_', '【', '】', '†', '【F:x.yml†L1-L2】', '`', '```', '<!--', '-->', '#', '[', ']', '(', ')',
  '\\', '>', '-', '+', '1.', '~', '$', '&', '<div>', '{.is-info}', ':', '"', "'",
];

/** One line of a person's text: trimmed, with at least one letter or digit. */
const personText = fc
  .array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 12 })
  .map((tokens) => tokens.join('').trim())
  .filter((text) => /[A-Za-z0-9]/.test(text));

const edits = fc.record({
  notes: fc.array(personText, { maxLength: 3 }),
  noteParagraphs: fc.array(personText, { maxLength: 2 }),
  overview: fc.array(personText, { maxLength: 2 }),
  sections: fc.array(fc.record({ body: personText, afterIntegrations: fc.boolean() }), { maxLength: 2 }),
});

const GENERATED_TITLES = ['Overview', 'Runtime Profile', 'Configuration & Secrets', 'Integrations', 'Operational Notes'];

function h2Titles(text: string): string[] {
  return fromMarkdown(parsePageFile(text).body)
    .children.filter((node): node is Heading => node.type === 'heading' && node.depth === 2)
    .map((node) => node.children.map((child) => ('value' in child ? child.value : '')).join(''));
}

describe('merge keeps random hand-written text', () => {
  it('survives regeneration with a changed page, and merging is idempotent', () => {
    const before = servicePage();
    const after = servicePage({
      ...SERVICE_FACTS,
      image: 'ghcr.io/goauthentik/server:2026.2.0',
      imageLine: 24,
      env: [
        { variable: 'AUTHENTIK_SECRET_KEY', purpose: 'Signs sessions and tokens.', line: 29 },
        { variable: 'AUTHENTIK_LOG_LEVEL', line: 30 },
      ],
    });
    const first = mergePage(before, undefined, { now: '2026-01-01T00:00:00.000Z' }).text;
    const lastNote = `- Keep AUTHENTIK_SECRET_KEY constant across restores.${cite(20)}\n`;

    fc.assert(
      fc.property(edits, ({ notes, noteParagraphs, overview, sections }) => {
        const added: string[] = [];
        let text = first;
        if (notes.length > 0) {
          const items = notes.map((note) => `- ${note}`);
          added.push(...items);
          text = edit(text, lastNote, `${lastNote}${items.join('\n')}\n`);
        }
        for (const paragraph of noteParagraphs) {
          added.push(paragraph);
          text = `${text}\n${paragraph}\n`;
        }
        for (const paragraph of overview) {
          added.push(paragraph);
          text = edit(text, '\n## Runtime Profile\n', `\n${paragraph}\n\n## Runtime Profile\n`);
        }
        sections.forEach(({ body, afterIntegrations }, index) => {
          const section = `## Person ${index}\n\n${body}`;
          added.push(`## Person ${index}`, body);
          text = afterIntegrations ? edit(text, '\n## Operational Notes\n', `\n${section}\n\n## Operational Notes\n`) : `${text}\n${section}\n`;
        });

        const merged = mergePage(after, text, { now: '2026-02-01T00:00:00.000Z' });
        for (const piece of added) expect(merged.text, `lost ${JSON.stringify(piece)}`).toContain(piece);
        expect(merged.text).toContain(`**Image:** \`ghcr.io/goauthentik/server:2026.2.0\`${cite(24)}`);
        expect(merged.text).toContain('| `AUTHENTIK_LOG_LEVEL` |');
        expect(h2Titles(merged.text).filter((title) => GENERATED_TITLES.includes(title))).toEqual(GENERATED_TITLES);

        const again = mergePage(after, merged.text, { now: '2026-03-01T00:00:00.000Z' });
        expect(again.text).toBe(merged.text);
        expect(again.changed).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
