/**
 * Text the merge takes out of a section the generator owns: what looks like a person's (it cites
 * nothing and is not what the generator writes there) is named with its line, so that it is never
 * removed without a word; what the generator wrote, and what the merge keeps, is not.
 */
import { describe, expect, it } from 'vitest';
import { mergePage } from '../../src/lib/merge/index.ts';
import { cite, edit, SERVICE_FACTS, servicePage } from './fixtures.ts';

const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-02-01T00:00:00.000Z';
const page = servicePage();
const first = mergePage(page, undefined, { now: T1 }).text;
const INTEGRATION = `- Depends on \`postgres\` and \`redis\`.${cite(46, 58)}\n`;

/** The 1-based line of the first occurrence of `search` in `text`. */
const lineOf = (text: string, search: string) => text.slice(0, text.indexOf(search)).split('\n').length;

describe('MergeResult.removedText', () => {
  it('is empty for a page as generated, and for one a person wrote where the merge keeps it', () => {
    expect(mergePage(page, first, { now: T2 }).removedText).toEqual([]);
    const kept = edit(
      edit(first, `${INTEGRATION}`, `${INTEGRATION}\n[docs]: https://goauthentik.io/docs\n\n### Our SSO clients\n\nGrafana and Paperless sign in here.\n`),
      '## Runtime Profile',
      'The UI is reached through the Frontdoor stack.\n\n## Runtime Profile',
    );
    const merged = mergePage(page, kept, { now: T2 });
    expect(merged.removedText).toEqual([]);
    expect(merged.text).toContain('Grafana and Paperless sign in here.');
    expect(merged.text).toContain('The UI is reached through the Frontdoor stack.');
  });

  it('names a paragraph a person wrote under a generated section, by the line it was on', () => {
    const text = edit(first, INTEGRATION, `${INTEGRATION}\nOur SSO clients are Grafana and Paperless.\n`);
    const merged = mergePage(page, text, { now: T2 });
    expect(merged.removedText).toEqual([{ line: lineOf(text, 'Our SSO clients'), section: 'Integrations' }]);
    // The merge itself is unchanged: the section is regenerated.
    expect(merged.text).not.toContain('Our SSO clients');
  });

  it('names a bullet a person added to a generated list, and not the generated bullets', () => {
    const text = edit(first, INTEGRATION, `${INTEGRATION}- Grafana signs in here too.\n`);
    const merged = mergePage(page, text, { now: T2 });
    expect(merged.removedText).toEqual([{ line: lineOf(text, '- Grafana signs in'), section: 'Integrations' }]);
  });

  it('does not name generated facts that no longer hold: they cite what they came from', () => {
    const changed = servicePage({ ...SERVICE_FACTS, image: 'ghcr.io/goauthentik/server:2026.2.0', imageLine: 24 });
    const stale = edit(first, INTEGRATION, `${INTEGRATION}- Depends on \`valkey\`.${cite(60)}\n`);
    const merged = mergePage(changed, stale, { now: T2 });
    expect(merged.changed).toBe(true);
    expect(merged.removedText).toEqual([]);
  });

  it('counts the lines of a CRLF file, header included', () => {
    const text = edit(first, INTEGRATION, `${INTEGRATION}\nOur SSO clients are Grafana and Paperless.\n`);
    const crlf = text.replace(/\n/g, '\r\n');
    expect(mergePage(page, crlf, { now: T2 }).removedText).toEqual([{ line: lineOf(text, 'Our SSO clients'), section: 'Integrations' }]);
  });

  it('names it when the whole page is merged (a person wrote under the title too)', () => {
    const text = edit(edit(first, INTEGRATION, `${INTEGRATION}\nOur SSO clients are Grafana and Paperless.\n`), '# authentik-server\n', '# authentik-server\n\n> Owner: platform team.\n');
    const merged = mergePage(page, text, { now: T2 });
    expect(merged.text).toContain('> Owner: platform team.');
    expect(merged.removedText).toEqual([{ line: lineOf(text, 'Our SSO clients'), section: 'Integrations' }]);
  });

  it('names text under a generated section when only the sections from there on are merged', () => {
    // Everything before Integrations is as generated, so the merge parses from there on.
    const text = edit(first, INTEGRATION, `${INTEGRATION}\nOne.\n\nTwo.\n`);
    const merged = mergePage(page, text, { now: T2 });
    expect(merged.removedText).toEqual([
      { line: lineOf(text, 'One.'), section: 'Integrations' },
      { line: lineOf(text, 'Two.'), section: 'Integrations' },
    ]);
  });
});
