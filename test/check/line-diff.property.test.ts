/**
 * The drifted page's diff: aligned by the lines without their citations, it must still be a
 * correct unified diff (applying it to the file gives the generated text, and back), count its
 * lines as its headers say, keep `diff`'s hunk and context rules, and show a line whose only change
 * is a citation as exactly one removal and one addition.
 */
import { applyPatch, formatPatch, parsePatch, reversePatch, structuredPatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pagePatch } from '../../src/lib/check/line-diff.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1500);
const HEADERS = { includeIndex: false, includeUnderline: false, includeFileHeaders: true } as const;

const citation = fc.record({ file: fc.constantFrom('a/compose.yml', 'b/compose.yml'), start: fc.integer({ min: 1, max: 40 }), length: fc.integer({ min: 0, max: 3 }) }).map(({ file, start, length }) => `【F:${file}†L${start}-L${start + length}】`);
const word = fc.constantFrom('image', 'port', '`FOO`', '|', '-', 'x', '', ' ', '**Image:**', 'same');
/** A page-like line: a few words, perhaps citations. */
const line = fc.array(fc.oneof(word, word, citation), { maxLength: 5 }).map((parts) => parts.join(' '));
const text = fc.tuple(fc.array(line, { maxLength: 30 }), fc.boolean()).map(([lines, endsInNewline]) => (lines.length === 0 ? '' : `${lines.join('\n')}${endsInNewline ? '\n' : ''}`));

/** The new text made from the old one: citations moved, lines changed, added and removed. */
const edited = (old: string) =>
  fc.array(fc.tuple(fc.constantFrom('keep', 'keep', 'keep', 'move', 'change', 'drop', 'add'), line), { minLength: old.split('\n').length, maxLength: old.split('\n').length + 3 }).map((edits) => {
    const lines = old.split('\n');
    const out: string[] = [];
    lines.forEach((l, i) => {
      const [edit, other] = edits[i] ?? ['keep', ''];
      if (edit === 'keep') out.push(l);
      else if (edit === 'move') out.push(l.replace(/†L(\d+)/g, (_, n: string) => `†L${Number(n) + 1}`));
      else if (edit === 'change') out.push(other);
      else if (edit === 'add') out.push(l, other);
    });
    return out.join('\n');
  });

const pair = text.chain((old) => fc.tuple(fc.constant(old), fc.oneof(edited(old), text)));
const patchOf = (old: string, now: string, context = 3) => pagePatch('a/p.md', 'b/p.md', old, now, 'on disk', 'generated', context);

describe('pagePatch', () => {
  it('applies to the old text to give the new one, and reversed gives the old one back', () => {
    fc.assert(
      fc.property(pair, fc.integer({ min: 0, max: 4 }), ([old, now], context) => {
        const patch = patchOf(old, now, context);
        const printed = formatPatch(patch, HEADERS);
        expect(applyPatch(old, printed)).toBe(now);
        expect(applyPatch(now, reversePatch(patch))).toBe(old);
        // The headers count what the hunks hold (parsePatch checks them and throws otherwise).
        if (patch.hunks.length > 0) expect(parsePatch(printed)[0]?.hunks.length).toBe(patch.hunks.length);
        else expect(old).toBe(now);
      }),
      { numRuns: RUNS, seed: 20261127 },
    );
  });

  it('keeps diff’s hunk rules: removals before additions, at most `context` lines around a hunk, hunks apart only when more than 2 × context lines part them', () => {
    fc.assert(
      fc.property(pair, ([old, now]) => {
        const { hunks } = patchOf(old, now);
        for (const hunk of hunks) {
          const lines = hunk.lines.filter((l) => !l.startsWith('\\'));
          const leading = lines.findIndex((l) => !l.startsWith(' '));
          const trailing = [...lines].reverse().findIndex((l) => !l.startsWith(' '));
          expect(leading).toBeLessThanOrEqual(3);
          expect(trailing).toBeLessThanOrEqual(3);
          // In a change, removals come before additions (as diff prints them, and as check reads them).
          expect(lines.some((l, i) => l.startsWith('-') && lines[i - 1]?.startsWith('+'))).toBe(false);
          // Inside a hunk, no run of context is longer than 2 × context.
          let run = 0;
          for (const l of lines.slice(leading, lines.length - trailing)) {
            run = l.startsWith(' ') ? run + 1 : 0;
            expect(run).toBeLessThanOrEqual(6);
          }
        }
        for (const [a, b] of hunks.slice(1).map((h, i) => [hunks[i]!, h] as const)) expect(b.oldStart - (a.oldStart + a.oldLines)).toBeGreaterThan(0);
      }),
      { numRuns: RUNS, seed: 20261128 },
    );
  });

  it('shows a line whose citations moved as one removal and one addition, like diff does', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), (lines, moved) => {
        const old = `${lines.join('\n')}\n`;
        const changed = lines.map((l, i) => (moved[i] ? l.replace(/†L(\d+)/g, (_, n: string) => `†L${Number(n) + 1}`) : l));
        const now = `${changed.join('\n')}\n`;
        const patch = patchOf(old, now);
        const count = (sign: string) => patch.hunks.flatMap((h) => h.lines).filter((l) => l.startsWith(sign)).length;
        const differing = lines.filter((l, i) => l !== changed[i]).length;
        expect(count('-')).toBe(differing);
        expect(count('+')).toBe(differing);
        // Where every line's shape is its own, it is the diff library's own diff, hunk for hunk.
        if (new Set(lines.map((l) => l.replace(/【[^】]*】/g, ''))).size === lines.length) expect(patch).toEqual(structuredPatch('a/p.md', 'b/p.md', old, now, 'on disk', 'generated', { context: 3 }));
      }),
      { numRuns: RUNS, seed: 20261129 },
    );
  });

  it('keeps a line that only changed places as context, as a line diff does (a note moving below another)', () => {
    const notes = (lines: string[]) => `## Operational Notes\n\n${lines.join('\n')}\n\nA note by a person.\n`;
    const pinned = '- The image is not pinned to a version (`latest`).【F:t/compose.yml†L4-L4】';
    const old = notes(['- Routes come from labels.【F:t/compose.yml†L4-L4】', pinned, '- A secret is written as a literal.【F:t/compose.yml†L17-L17】']);
    const now = notes(['- Routes come from labels.【F:t/compose.yml†L5-L5】', '- A secret is written as a literal.【F:t/compose.yml†L18-L18】', pinned]);
    const patch = patchOf(old, now);
    const lines = patch.hunks.flatMap((h) => h.lines);
    expect(lines).toContain(` ${pinned}`);
    expect(lines).not.toContain(`-${pinned}`);
    expect(patch).toEqual(structuredPatch('a/p.md', 'b/p.md', old, now, 'on disk', 'generated', { context: 3 }));
    expect(applyPatch(old, formatPatch(patch, HEADERS))).toBe(now);
  });
});

