/** Preparing pages for Wiki.js: what is refused before anything is sent. */
import { describe, expect, it } from 'vitest';
import { WikiInvalidPagesError } from '../../src/lib/wikijs/errors.ts';
import { preparePages } from '../../src/lib/wikijs/plan.ts';
import { makePages, withContent } from './helpers.ts';

const TEMPLATE = 'https://git.example.home/homelab/src/branch/main/{path}#L{start}-L{end}';

describe('preparePages', () => {
  it('links citations when a source URL template is set', async () => {
    const [page] = await preparePages(makePages(1), { sourceUrlTemplate: TEMPLATE });
    expect(page!.content).toContain('[【F:stack0/compose.yml†L1-L5】](https://git.example.home/homelab/src/branch/main/stack0/compose.yml#L1-L5)');
  });

  it('refuses a page nested too deeply to parse, naming it and the line of its body, instead of overflowing the stack', async () => {
    const [ok, deep] = makePages(2);
    const body = `${deep!.content}\n${'>'.repeat(20_000)} a note\n`;
    const line = deep!.content.split('\n').length + 1;
    let thrown: unknown;
    try {
      await preparePages([ok!, { ...withContent(deep!, body), file: 'content/deep.md' }], { sourceUrlTemplate: TEMPLATE });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WikiInvalidPagesError);
    expect((thrown as WikiInvalidPagesError).problems).toEqual([
      {
        path: deep!.path,
        file: 'content/deep.md',
        problem: `the page's Markdown is nested too deeply to be parsed: line ${line} of the page body nests 20000 block quotes or list items; flatten the nesting`,
      },
    ]);
  });
});
