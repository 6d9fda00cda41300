import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parsePageFile, serializePageFile } from '../../src/lib/merge/index.ts';
import { plainlySafe, rawIsSafe, rawIsSafeByParsing } from '../../src/lib/merge/page-file.ts';

/** Values whose meaning YAML could change when written raw, and values next to them. */
const TRICKY = [
  '', 'a', 'y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'yES', 'no', 'No', 'on', 'On', 'ON', 'off', 'Off', 'true', 'True', 'TRUE', 'tRUE',
  'false', 'False', 'null', 'Null', 'NULL', 'nULL', '~', 'nil', 'none', 'None',
  'e4', 'E4', 'e+5', 'E-3', 'e', 'e4a', 'x1', '0', '1', '-1', '+1', '0x1', '0x1F', '0o17', '017', '0b101', '1_000', '1e3', '1E3', '1.5', '.5', '1.', '.inf', '-.inf', '.Inf', '.NaN', '.nan',
  '1:20', '190:20:30', '2026-11-27', '2026-11-27T00:31:00Z', '2026-11-27T00:31:00.123Z', '2026-11-27 00:31:00 +1', '2001-12-14t21:59:43.10-05:00',
  'a: b', 'a:b', 'a:', 'http://x', 'a #b', 'a#b', '#a', '- a', '-a', '-', '--', '---', '...', '? a', '?a', ': a', ':a', '*a', '&a', '!a', '!!str a',
  '%a', '@a', '`a', '|a', '>a', "'a'", '"a"', '[a]', '{a}', 'a, b', 'a,b', ',a', 'a [b]', 'a {b}', 'a]', 'a}',
  'a ', ' a', 'a\t', 'a\tb', 'a  b', 'a b ', 'a - b', 'a -', 'a &b', 'a *b', 'a !b', 'a @b', "it's", 'a=b', '=', '<<', 'a<<b',
  'Ünïcödé', 'café', 'a\u00a0b', 'a\u0085b', 'a\ufeffb', '\ufeffa', 'a\u2028b', 'π', '日本語', 'emoji 🚀', 'a\u200bb',
  'Authentik server', 'Primary Authentik application container', 'homelab, authentik', 'markdown', 'Paperless-ngx (paperless)',
  'media_serving/jellyfin', 'Postgres 16 + pgvector', 'A & B', 'user@example.com', 'x-wiki', 'A; B', 'a/b', 'a=b=c', "O'Reilly",
  'Yes please', 'on call', 'null pointer', 'true-ish', 'nope', 'yess', 'onn', 'of', 'nu',
];

describe('rawIsSafe', () => {
  it.each(TRICKY)('agrees with parsing the value back: %j', (value) => {
    for (const strictTypes of [true, false]) {
      const slow = rawIsSafeByParsing(value, strictTypes);
      if (plainlySafe(value)) expect(slow, `fast path claims ${JSON.stringify(value)} is safe`).toBe(true);
      expect(rawIsSafe(value, strictTypes)).toBe(slow);
      expect(rawIsSafe(value, strictTypes)).toBe(slow); // remembered
    }
  });

  it('takes the fast path for ordinary titles and descriptions', () => {
    for (const value of ['Authentik server', 'Primary Authentik application container', 'homelab, authentik', 'markdown', "O'Reilly", 'nope']) {
      expect(plainlySafe(value), value).toBe(true);
    }
    for (const value of ['yes', 'On', 'NULL', '1e3', '~', 'a: b', 'a #b', '-a', 'café', 'a ']) expect(plainlySafe(value), value).toBe(false);
  });

  it('never calls a value safe that YAML would read differently (property)', () => {
    const anything = fc.constantFrom(
      ...'aeyYnNoOtTrRuUlLfFsSxXbBeE0123456789 _.,;()/\'+=&@-:#?*!%`|>"[]{}~\t\u00a0\u0085é日'.split(''),
    );
    // Mostly what the fast path accepts, so that its every corner is tried against the parse.
    const plain = fc.constantFrom(...'aeEyYnNoOtTrRuUlLfFsSxXbB0123456789  _.,;()/\'+=&@-'.split(''));
    const values = fc.oneof(
      fc.string({ unit: anything, maxLength: 12 }),
      fc.string({ unit: plain, minLength: 1, maxLength: 8 }),
      fc.constantFrom(...TRICKY).chain((base) => fc.tuple(fc.string({ unit: anything, maxLength: 3 }), fc.string({ unit: anything, maxLength: 3 })).map(([a, b]) => `${a}${base}${b}`)),
    );
    fc.assert(
      fc.property(values, (value) => {
        for (const strictTypes of [true, false]) {
          const slow = rawIsSafeByParsing(value, strictTypes);
          if (plainlySafe(value) && !slow) return false;
          if (rawIsSafe(value, strictTypes) !== slow) return false;
        }
        return true;
      }),
      // A fixed seed keeps `npm test` reproducible; PROPERTY_SEED and PROPERTY_RUNS explore further.
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 5000), seed: Number(process.env.PROPERTY_SEED ?? 20261127) },
    );
  });

  it('writes headers that read back as the same strings', () => {
    for (const value of TRICKY.filter((tricky) => tricky !== '')) { // an empty value is written `key: ` on purpose
      const header = { title: value, description: value, published: true, date: '2026-11-27T00:31:00.000Z', tags: ['homelab'], editor: 'markdown' as const };
      const text = serializePageFile(header, '# Page\n', 'frontmatter');
      const clean = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
      const yaml = text.split('\n---\n')[0]!.replace(/^---\n/, '');
      expect((parseYaml(yaml, { schema: 'yaml-1.1' }) as Record<string, unknown>).title, JSON.stringify(value)).toBe(clean);
      expect(parsePageFile(text).header.title, JSON.stringify(value)).toBe(clean);
    }
  });
});
