import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parsePageFile, serializePageFile } from '../../src/lib/merge/index.ts';
import type { PageHeader } from '../../src/lib/render/page.ts';

const SEED = readFileSync(new URL('../../../shared/seed/authentik-server.md', import.meta.url), 'utf8');

/** The example from wikijs.md: a Markdown page as Wiki.js 2.x writes it to Git storage. */
const WIKIJS_FILE = `---
title: authentik-server
description: Primary Authentik application container
published: true
date: 2026-11-26T22:06:37.203Z
tags: homelab, authentik
editor: markdown
dateCreated: 2026-11-26T22:06:37.203Z
---

# authentik-server
`;

const HEADER: PageHeader = {
  title: 'authentik-server',
  description: '',
  published: true,
  date: '2026-11-26T22:06:37.203Z',
  tags: ['homelab', 'authentik'],
  editor: 'markdown',
  dateCreated: '2026-11-26T22:06:37.203Z',
};

/** The YAML between the delimiters of a serialised file. */
function headerBlock(text: string): string {
  const lines = text.split('\n');
  const close = lines.indexOf(lines[0] === '<!--' ? '-->' : '---', 1);
  return lines.slice(1, close).join('\n');
}

describe('parsePageFile', () => {
  it('reads the seed page (comment form), keeping the date as written', () => {
    const page = parsePageFile(SEED);
    expect(page.form).toBe('comment');
    expect(page.header).toEqual({
      title: 'authentik-server',
      description: '',
      published: true,
      date: '2025-10-19T08:57:42Z',
      tags: [],
      editor: 'markdown',
    });
    expect(typeof page.header.date).toBe('string');
    expect(page.body.startsWith('# authentik-server\n\n## Overview\n')).toBe(true);
    expect(page.body).toContain('【F:authentik/compose.yml†L19-L45】');
  });

  it('reads the Wiki.js Git-storage form: tags as a comma-space list, dates as strings', () => {
    const page = parsePageFile(WIKIJS_FILE);
    expect(page.form).toBe('frontmatter');
    expect(page.header.tags).toEqual(['homelab', 'authentik']);
    expect(page.header.date).toBe('2026-11-26T22:06:37.203Z');
    expect(page.header.dateCreated).toBe('2026-11-26T22:06:37.203Z');
    expect(page.header.published).toBe(true);
    expect(page.body).toBe('# authentik-server\n');
  });

  it('still reads a header Wiki.js wrote raw although it is not valid YAML (`: ` in a value)', () => {
    const page = parsePageFile(WIKIJS_FILE.replace('Primary Authentik application container', 'Authentik: the server'));
    expect(page.header.description).toBe('Authentik: the server');
    expect(page.header.tags).toEqual(['homelab', 'authentik']);
  });

  it('reads a raw value with ` #` whole, as Wiki.js meant it (not as a YAML comment)', () => {
    const page = parsePageFile(WIKIJS_FILE.replace('Primary Authentik application container', 'Ask in #infra first'));
    expect(page.header.description).toBe('Ask in #infra first');
  });

  it('keeps values YAML would retype exactly as written, and unknown fields', () => {
    const page = parsePageFile('---\ntitle: 0123\ndescription: 2025-01-01\ndate: 2025-10-19T08:57:42Z\ntags:\nisPublished: true\n---\n\n# x\n');
    expect(page.header.title).toBe('0123');
    expect(page.header.description).toBe('2025-01-01');
    expect(page.header.tags).toEqual([]);
    expect(page.header.isPublished).toBe('true');
  });

  it('treats a page without a header, or with an ordinary comment on top, as all body', () => {
    expect(parsePageFile('# Title\n\ntext\n')).toEqual({ header: {}, form: 'none', body: '# Title\n\ntext\n' });
    const commented = '<!-- TODO: more -->\n# Title\n';
    expect(parsePageFile(commented).form).toBe('none');
    const ruled = '---\n\ntext\n\n---\n';
    expect(parsePageFile(ruled).form).toBe('none');
  });

  it('accepts CRLF line endings and a byte-order mark', () => {
    const page = parsePageFile(`\uFEFF${WIKIJS_FILE.replace(/\n/g, '\r\n')}`);
    expect(page.form).toBe('frontmatter');
    expect(page.header.title).toBe('authentik-server');
    expect(page.body).toBe('# authentik-server\n');
  });
});

describe('serializePageFile', () => {
  it('writes exactly what Wiki.js writes (field order, raw values, comma-space tags)', () => {
    const page = parsePageFile(WIKIJS_FILE);
    const header = { ...HEADER, description: 'Primary Authentik application container' };
    expect(serializePageFile(header, page.body, 'frontmatter')).toBe(WIKIJS_FILE);
  });

  it('writes an empty value as `key: ` and the comment form like the seed', () => {
    const text = serializePageFile({ ...HEADER, tags: [] }, '# authentik-server\n', 'comment');
    expect(text).toBe(
      '<!--\ntitle: authentik-server\ndescription: \npublished: true\ndate: 2026-11-26T22:06:37.203Z\ntags: \neditor: markdown\ndateCreated: 2026-11-26T22:06:37.203Z\n-->\n\n# authentik-server\n',
    );
  });

  it('round-trips the seed header', () => {
    const seed = parsePageFile(SEED);
    const header = { ...HEADER, ...seed.header, dateCreated: undefined } as PageHeader;
    const again = parsePageFile(serializePageFile(header, seed.body, 'comment'));
    expect(again.header).toEqual(seed.header);
    expect(again.body).toBe(seed.body);
  });

  it('puts one blank line between header and body and ends the body with exactly one newline', () => {
    const text = serializePageFile(HEADER, '\n\n# x\n\ntext  \n\n\n', 'frontmatter');
    expect(text.endsWith('---\n\n# x\n\ntext\n')).toBe(true);
  });

  it('quotes values that would break the YAML Wiki.js parses, and reads them back exactly', () => {
    const awkward = ['Authentik: the server', "it's #1", '#hash', '- dash', '@at', '`tick`', '"quoted"', 'true', '123', '2025-01-01', 'null', 'ends with colon:', ' padded ', '{brace', '[bracket', '%percent', 'a #b'];
    for (const form of ['comment', 'frontmatter'] as const) {
      for (const value of awkward) {
        const text = serializePageFile({ ...HEADER, title: value, description: value, tags: [value] }, '# x', form);
        const block = headerBlock(text);
        // Wiki.js reads the header with js-yaml (YAML 1.1): the whole block must parse, with strings.
        const data = parseYaml(block, { schema: 'yaml-1.1' }) as Record<string, unknown>;
        expect(data.title, `${form}: ${value}`).toBe(value);
        expect(data.description).toBe(value);
        expect(data.tags).toBe(value.trim());
        const again = parsePageFile(text);
        expect(again.form).toBe(form);
        expect(again.header.title).toBe(value);
        expect(again.header.description).toBe(value);
      }
    }
    const text = serializePageFile({ ...HEADER, description: 'Authentik: the server' }, '# x', 'frontmatter');
    expect(text).toContain("description: 'Authentik: the server'\n");
  });

  it('never lets a value close the comment form', () => {
    const header = { ...HEADER, title: 'a --> b', description: 'c --!> d -->', tags: ['x-->y'] };
    const text = serializePageFile(header, '# x\n', 'comment');
    // The first `-->` (or `--!>`) in the file is the header's closing line.
    const firstCloser = Math.min(...['-->', '--!>'].map((closer) => text.indexOf(closer)).filter((index) => index !== -1));
    expect(text.slice(firstCloser)).toMatch(/^-->\n\n# x\n$/);
    const again = parsePageFile(text);
    expect(again.header.title).toBe('a --> b');
    expect(again.header.description).toBe('c --!> d -->');
    expect(again.header.tags).toEqual(['x-->y']);
    expect(again.body).toBe('# x\n');
  });

  it('writes every value on one line', () => {
    const text = serializePageFile({ ...HEADER, title: 'two\nlines', description: 'a\r\nb\tc' }, '# x', 'frontmatter');
    expect(headerBlock(text).split('\n')).toHaveLength(7);
    expect(parsePageFile(text).header.title).toBe('two lines');
  });

  it('writes extra fields after the known ones and reads them back', () => {
    const text = serializePageFile(HEADER, '# x', 'frontmatter', { isPublished: 'true', custom: 'a: b', list: ['x', 'y'] });
    expect(text).toContain("dateCreated: 2026-11-26T22:06:37.203Z\nisPublished: 'true'\ncustom: 'a: b'\nlist: [\"x\",\"y\"]\n---\n");
    const again = parsePageFile(text).header;
    expect([again.isPublished, again.custom, again.list]).toEqual(['true', 'a: b', ['x', 'y']]);
  });
});
