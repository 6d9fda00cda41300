import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHeaderYaml, parseHeaderYamlByParsing } from '../../src/lib/merge/page-file.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 2000);

/** Values next to YAML syntax, and ordinary ones. */
const VALUES = [
  '', 'a', 'yes', 'null', '~', '1e3', '2026-11-27T00:31:00.123Z', 'a: b', 'a:b', 'a:', 'http://x', 'a #b', '#a', '- a', '-a', '-', '? a', ': a',
  '*a', '&a x', '!a', '!!str a', '%a', '@a', '`a', '|', '>', '|-', "'a'", '"a"', "'a", '"a', 'a\'', '[a]', '{a}', '[a', 'a, b', ',a', 'a ]',
  'a\tb', 'a  b', 'Authentik server', 'homelab, authentik', 'markdown', "it's", 'A & B', 'user@example.com', 'ask in #infra', 'a --> b',
  'Ünïcödé', '日本語', '\u00a0a', 'a\u2028b', 'true', 'false', 'on', 'x: y: z', '"a" b', "'a' b", '{}', '[]', 'a: ', '- ', '__proto__',
];
const KEYS = ['title', 'description', 'published', 'date', 'tags', 'editor', 'dateCreated', 'custom-key', 'x.y', '_k', '__proto__'];

const line = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(': ', ':  ', ':\t', ': \t'), fc.constantFrom(...VALUES), fc.constantFrom('', ' ', '\t')).map(([k, sep, v, end]) => `${k}${sep}${v}${end}`) },
  { weight: 1, arbitrary: fc.constantFrom('', '# comment', '  continued', 'key:', 'no colon', ' - item', 'k: v # c', '---') },
);

describe('parseHeaderYaml', () => {
  it('reads plain headers without parsing, exactly as the parse would (property)', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 9 }), (lines) => {
        const source = lines.join('\n');
        expect(parseHeaderYaml(source)).toEqual(parseHeaderYamlByParsing(source));
      }),
      { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20261127) },
    );
  });

  it('agrees on the headers generate and Wiki.js write', () => {
    const header = [
      'title: authentik-server',
      "description: 'authentik-server: Primary Authentik application container'",
      'published: true',
      'date: 2026-11-26T23:18:15.795Z',
      'tags: homelab, authentik',
      'editor: markdown',
      'dateCreated: 2026-11-26T22:46:03.130Z',
    ].join('\n');
    expect(parseHeaderYaml(header)).toEqual(parseHeaderYamlByParsing(header));
    expect(parseHeaderYaml(header)).toMatchObject({ description: 'authentik-server: Primary Authentik application container', tags: 'homelab, authentik' });
  });
});
