/**
 * `MergeResult.generatedLines`: how many first lines of a page are generate's own, as it writes
 * them. `check` treats the citations of those lines as on a page that is all generated, so the
 * count must never reach a line a person wrote.
 */
import { describe, expect, it } from 'vitest';
import { mergePage } from '../../src/lib/merge/index.ts';
import { edit, servicePage } from './fixtures.ts';

const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-02-01T00:00:00.000Z';
const page = servicePage();
const first = mergePage(page, undefined, { now: T1 }).text;
const lines = (text: string) => text.split('\n').length - 1;
/** The lines before the first occurrence of `search`. */
const before = (text: string, search: string) => lines(text.slice(0, text.indexOf(search)));

describe('MergeResult.generatedLines', () => {
  it('counts every line of a page as generated', () => {
    expect(mergePage(page, undefined, { now: T1 }).generatedLines).toBe(lines(first));
    expect(mergePage(page, first, { now: T2 }).generatedLines).toBe(lines(first));
  });

  it('stops where a section a person added begins', () => {
    const text = `${first}\n## Runbook\n\nStop it first.\n`;
    const merged = mergePage(page, text, { now: T2 });
    expect(merged.text).toBe(text);
    expect(merged.generatedLines).toBe(lines(first));
  });

  it('stops at the section a person wrote in, when only the sections from there on are merged', () => {
    const text = `${first}- Restart the worker after the server.\n`;
    const merged = mergePage(page, text, { now: T2 });
    expect(merged.text).toBe(text);
    expect(merged.generatedLines).toBe(before(text, '## Operational Notes'));
  });

  it('counts only the header when the page is merged whole', () => {
    const text = edit(first, '# authentik-server\n', '# authentik-server\n\n> Owner: platform team.\n');
    const merged = mergePage(page, text, { now: T2 });
    expect(merged.text).toBe(text);
    expect(merged.generatedLines).toBe(before(text, '# authentik-server'));
  });
});
