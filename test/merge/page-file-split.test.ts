import fc from 'fast-check';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { parsePageFile, splitHeader } from '../../src/lib/merge/page-file.ts';

/** What gray-matter (which page-file.ts used before) makes of `text`: the block it parses, and the content. */
function grayMatter(text: string, open: string, close: string): { block: string | undefined; content: string } {
  let block: string | undefined;
  const file = matter(text, {
    delimiters: [open, close],
    language: 'yaml',
    engines: {
      yaml: {
        parse: (source: string) => {
          block = source;
          return {};
        },
      },
    },
  });
  return { block, content: file.content };
}

const FORMS = [
  ['<!--', '-->'],
  ['---', '---'],
] as const;

describe('splitHeader', () => {
  it.each([
    '<!--\ntitle: a\n-->\n\nbody\n',
    '<!--\ntitle: a\n-->',
    '<!--\ntitle: a\n-->\nbody',
    '<!--\ntitle: a\n-->  trailing\nbody',
    '<!--\ntitle: a\n-->\r\nbody',
    '<!--\ntitle: a\n-->\n\n\n<!-- a comment -->\n-->\n',
    '<!--  \t\n# only a comment\n-->\nbody\n',
    '<!--\n\n   \n-->\nbody\n',
    '<!--\n  # indented comment\ntitle: x\n-->\n',
    '<!--\ntitle: never closed\n',
    '<!--\n-->\n',
    '---\ntitle: a\n---\n\n# Body\n---\nmore\n',
    '---\ntitle: a\n----\nbody\n',
    '---\ntitle: a\n--- \nbody\n',
    '---\n---\n',
    '---\n#x\n---\n',
  ])('splits %j as gray-matter does', (text) => {
    const [open, close] = text.startsWith('<!--') ? FORMS[0] : FORMS[1];
    expect(splitHeader(text, open, close)).toEqual(grayMatter(text, open, close));
  });

  it('splits every generated page as gray-matter does (property)', () => {
    const piece = fc.constantFrom('\n', '\r', ' ', '\t', '#', '# c', 'title: a', 'tags: x, y', '-->', '--', '---', '----', '<!--', 'body', ': ', "'", '"');
    fc.assert(
      fc.property(fc.constantFrom(...FORMS), fc.constantFrom('', ' ', '\t', ' \t'), fc.array(piece, { maxLength: 14 }), ([open, close], pad, pieces) => {
        const text = `${open}${pad}\n${pieces.join('')}`;
        expect(splitHeader(text, open, close)).toEqual(grayMatter(text, open, close));
      }),
      // A fixed seed keeps `npm test` reproducible; PROPERTY_SEED and PROPERTY_RUNS explore further.
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 3000), seed: Number(process.env.PROPERTY_SEED ?? 20261127) },
    );
  });

  it('reads a page with a header as before', () => {
    const page = parsePageFile('<!--\ntitle: Grafana\ntags: homelab, monitoring\n-->\n\n# Grafana\n');
    expect(page.form).toBe('comment');
    expect(page.header.title).toBe('Grafana');
    expect(page.header.tags).toEqual(['homelab', 'monitoring']);
    expect(page.body).toBe('# Grafana\n');
  });
});
