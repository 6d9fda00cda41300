import { readFileSync } from 'node:fs';
import type { Root, RootContent } from 'mdast';
import { describe, expect, it } from 'vitest';
import { BLOCK_SEPARATOR, fromMarkdown, mergePage, parsePageFile, PURPOSE_PLACEHOLDER } from '../../src/lib/merge/index.ts';
import type { Page } from '../../src/lib/render/page.ts';
import { cite, edit, SERVICE_FACTS, servicePage } from './fixtures.ts';

const SEED = readFileSync(new URL('../../../shared/seed/authentik-server.md', import.meta.url), 'utf8');
const T1 = '2026-01-01T00:00:00.000Z';
const T2 = '2026-02-01T00:00:00.000Z';
const T3 = '2026-03-01T00:00:00.000Z';

function count(text: string, search: string): number {
  return text.split(search).length - 1;
}

/** H2 titles of a page's body, in order. */
function sectionTitles(text: string): string[] {
  return parsePageFile(text)
    .body.split('\n')
    .filter((line) => line.startsWith('## '))
    .map((line) => line.slice(3));
}

function sectionOf(text: string, title: string): string {
  const body = parsePageFile(text).body;
  const start = body.indexOf(`## ${title}\n`);
  if (start === -1) throw new Error(`no section ${title}`);
  const next = body.indexOf('\n## ', start + 1);
  return body.slice(start, next === -1 ? undefined : next);
}

describe('mergePage without an existing page', () => {
  it('writes the generated page, dated now, in the default (comment) form', () => {
    const result = mergePage(servicePage(), undefined, { now: T1 });
    expect(result.changed).toBe(true);
    expect(result.header.date).toBe(T1);
    expect(result.header.dateCreated).toBe(T1);
    expect(result.text.startsWith(`<!--\ntitle: authentik-server\ndescription: Authentik server\npublished: true\ndate: ${T1}\ntags: authentik, homelab\neditor: markdown\ndateCreated: ${T1}\n-->\n\n# authentik-server\n\n## Overview\n`)).toBe(true);
    expect(sectionTitles(result.text)).toEqual(['Overview', 'Runtime Profile', 'Configuration & Secrets', 'Integrations', 'Operational Notes']);
    expect(result.text).toContain(`| \`AUTHENTIK_REDIS__HOST\` | ${PURPOSE_PLACEHOLDER} |`);
  });

  it('uses the configured form', () => {
    const result = mergePage(servicePage(), undefined, { now: T1, form: 'frontmatter' });
    expect(result.text.startsWith('---\ntitle: authentik-server\n')).toBe(true);
    expect(parsePageFile(result.text).form).toBe('frontmatter');
  });
});

describe('mergePage: the round trip of issue 3', () => {
  // A person's edits, each a verbatim piece of Markdown that must survive regeneration.
  const NOTE_ADDED = '- Restart the worker after `docker compose pull` | both *must* match 【F:authentik/compose.yml†L60-L61】';
  const NOTE_REWORDED = '- Run server and worker on the same tag: we pin both in `.env`.';
  const PURPOSE = 'Redis host; see the **Databases** stack \\| db 1';
  const OVERVIEW_EXTRA = 'The UI is reached at `https://auth.example.com` through the Frontdoor stack.';
  const INTRO = '> Owner: platform team. Ask in #infra before changing this page.';
  const SECTION = '## Backups\n\nAutorestic backs up `ak_media` nightly.\n\n1. Stop the server.\n2. Restore the volume.';

  function personEdits(text: string): string {
    let result = text;
    result = edit(result, '- Run the server and the worker with the same image tag.【F:authentik/compose.yml†L19-L19】', NOTE_REWORDED);
    result = edit(result, '- Keep AUTHENTIK_SECRET_KEY constant across restores.【F:authentik/compose.yml†L20-L20】', `- Keep AUTHENTIK_SECRET_KEY constant across restores.【F:authentik/compose.yml†L20-L20】\n${NOTE_ADDED}`);
    result = edit(result, `| \`AUTHENTIK_REDIS__HOST\` | ${PURPOSE_PLACEHOLDER} |`, `| \`AUTHENTIK_REDIS__HOST\` | ${PURPOSE} |`);
    result = edit(result, '\n## Runtime Profile\n', `\n${OVERVIEW_EXTRA}\n\n## Runtime Profile\n`);
    result = edit(result, '# authentik-server\n\n', `# authentik-server\n\n${INTRO}\n\n`);
    result = edit(result, '\n## Operational Notes\n', `\n${SECTION}\n\n## Operational Notes\n`);
    result = edit(result, 'tags: authentik, homelab', 'tags: authentik, homelab, SSO');
    result = edit(result, 'description: Authentik server', 'description: Identity provider for every app');
    return result;
  }

  /** The compose file changed: image tag bump, one variable added, one removed, lines shifted. */
  const changed = servicePage({
    ...SERVICE_FACTS,
    image: 'ghcr.io/goauthentik/server:2025.10.1',
    imageLine: 21,
    env: [
      { variable: 'AUTHENTIK_SECRET_KEY', purpose: 'Signs sessions and tokens.', line: 26 },
      { variable: 'AUTHENTIK_REDIS__HOST', line: 27 },
      { variable: 'AUTHENTIK_COOKIE_DOMAIN', line: 28 },
    ],
    tags: ['authentik', 'homelab', 'sso'],
    description: 'Authentik server (generated)',
  });

  const first = mergePage(servicePage(), undefined, { now: T1 });
  const edited = personEdits(first.text);
  const second = mergePage(changed, edited, { now: T2 });

  it('updates every derived fact', () => {
    expect(count(second.text, 'ghcr.io/goauthentik/server:2025.10.1')).toBe(2); // Overview lead and Runtime Profile
    expect(second.text).not.toContain('2025.8.4');
    expect(second.text).toContain(`| \`AUTHENTIK_COOKIE_DOMAIN\` | ${PURPOSE_PLACEHOLDER} | .env \\| interpolated ${cite(28)} |`);
    expect(second.text).not.toContain('AUTHENTIK_POSTGRESQL__HOST');
    expect(second.text).toContain(`**Image:** \`ghcr.io/goauthentik/server:2025.10.1\`${cite(21)}`);
    expect(second.text).not.toContain(`${cite(20)}\n- **Command:**`);
  });

  it('keeps every hand-written word, where the person put it', () => {
    for (const piece of [NOTE_ADDED, NOTE_REWORDED, OVERVIEW_EXTRA, INTRO, SECTION]) expect(second.text).toContain(piece);
    expect(second.text).toContain(`| \`AUTHENTIK_REDIS__HOST\` | ${PURPOSE} | .env \\| interpolated ${cite(27)} |`);
    expect(sectionTitles(second.text)).toEqual(['Overview', 'Runtime Profile', 'Configuration & Secrets', 'Integrations', 'Backups', 'Operational Notes']);
    const overview = sectionOf(second.text, 'Overview');
    expect(overview.indexOf('2025.10.1')).toBeLessThan(overview.indexOf(OVERVIEW_EXTRA));
    expect(parsePageFile(second.text).body.startsWith(`# authentik-server\n\n${INTRO}\n\n## Overview\n`)).toBe(true);
  });

  it('puts the generated notes first, the person’s after, and never repeats a generated note', () => {
    const notes = sectionOf(second.text, 'Operational Notes');
    expect(notes).toBe(
      [
        '## Operational Notes',
        '',
        `- Run the server and the worker with the same image tag.${cite(19)}`,
        `- Keep AUTHENTIK_SECRET_KEY constant across restores.${cite(20)}`,
        NOTE_REWORDED,
        NOTE_ADDED,
        '',
      ].join('\n'),
    );
  });

  it('keeps the person’s header fields and adds missing generated tags case-insensitively', () => {
    expect(second.header.tags).toEqual(['authentik', 'homelab', 'SSO']);
    expect(second.header.description).toBe('Identity provider for every app');
    expect(second.header.dateCreated).toBe(T1);
    expect(second.header.date).toBe(T2);
    expect(second.changed).toBe(true);
    expect(parsePageFile(second.text).form).toBe('comment');
  });

  it('is idempotent: merging the same generated page again changes nothing, not even the date', () => {
    const third = mergePage(changed, second.text, { now: T3 });
    expect(third.text).toBe(second.text);
    expect(third.changed).toBe(false);
    // The person's words are still in it: check reads such a page in full.
    expect(third.bodyIsGenerated).toBe(false);
    expect(third.header.date).toBe(T2);
  });

  it('keeps the date when nothing changed and moves it when the body changed', () => {
    const unchanged = mergePage(servicePage(), first.text, { now: T2 });
    expect(unchanged.changed).toBe(false);
    expect(unchanged.bodyIsGenerated).toBe(true);
    expect(first.bodyIsGenerated).toBe(true);
    expect(unchanged.text).toBe(first.text);
    expect(unchanged.header.date).toBe(T1);
    const headerOnly = mergePage(servicePage({ ...SERVICE_FACTS, tags: ['authentik', 'homelab', 'new-tag'] }), first.text, { now: T2 });
    expect(headerOnly.changed).toBe(true);
    expect(headerOnly.header.date).toBe(T1); // only the body dates a page
    const bodyChanged = mergePage(changed, first.text, { now: T2 });
    expect(bodyChanged.header.date).toBe(T2);
    expect(bodyChanged.header.dateCreated).toBe(T1);
  });
});

describe('mergePage with the seed page as the existing page', () => {
  const generated = servicePage({
    ...SERVICE_FACTS,
    env: [
      { variable: 'AUTHENTIK_SECRET_KEY', line: 25 },
      { variable: 'POSTGRES_PASSWORD', purpose: 'Database password.', line: 30 },
    ],
    notes: ['Run the server and the worker with the same image tag.'],
  });
  const result = mergePage(generated, SEED, { now: T1 });

  it('keeps the seed’s Operational Notes, Purpose cells and comment form', () => {
    expect(parsePageFile(result.text).form).toBe('comment');
    for (const line of SEED.split('\n').filter((line) => line.startsWith('- ') && SEED.indexOf(line) > SEED.indexOf('## Operational Notes'))) {
      expect(result.text).toContain(line);
    }
    expect(result.text).toContain('| `AUTHENTIK_SECRET_KEY` | Core application signing key. |');
    // The seed's POSTGRES_PASSWORD purpose differs from the generated one: it is a person's.
    expect(result.text).toContain('| `POSTGRES_PASSWORD` | Legacy variable retained for compatibility with Authentik migrations. |');
  });

  it('regenerates the owned sections and fills the empty header fields', () => {
    expect(result.text).not.toContain('Utilizes Redis and PostgreSQL readiness');
    expect(result.text).not.toContain('AUTHENTIK_REDIS__HOST/PORT/DB/PASSWORD');
    expect(result.header.description).toBe('Authentik server');
    expect(result.header.tags).toEqual(['authentik', 'homelab']);
    expect(result.header.date).toBe(T1);
    expect(result.header.dateCreated).toBeUndefined(); // not known for a page written before
    expect(mergePage(generated, result.text, { now: T2 }).text).toBe(result.text);
  });
});

function pageWith(children: RootContent[], extra: Partial<Page> = {}): Page {
  const body: Root = { type: 'root', children };
  return { ...servicePage(), body, ...extra };
}

function md(text: string): RootContent[] {
  return fromMarkdown(text).children;
}

describe('mergePage edge cases', () => {
  it('keeps a person’s section at the top, their H3 inside an owned section, and drops an owned section no longer generated', () => {
    const first = mergePage(servicePage(), undefined, { now: T1 });
    let text = edit(first.text, '## Overview\n', '## Read me first\n\nPerson text.\n\n## Overview\n');
    text = edit(text, '\n## Configuration & Secrets\n', '\n### Tuning\n\nSet `WORKERS=4`.\n\n## Configuration & Secrets\n');
    const withoutIntegrations = servicePage();
    const children = withoutIntegrations.body.children.filter((_, index, all) => {
      const integrations = all.findIndex((node) => node.type === 'heading' && node.depth === 2 && JSON.stringify(node).includes('Integrations'));
      return index !== integrations && index !== integrations + 1;
    });
    const merged = mergePage({ ...withoutIntegrations, body: { type: 'root', children } }, text, { now: T2 });
    expect(sectionTitles(merged.text)).toEqual(['Read me first', 'Overview', 'Runtime Profile', 'Configuration & Secrets', 'Operational Notes']);
    expect(sectionOf(merged.text, 'Runtime Profile')).toContain('### Tuning\n\nSet `WORKERS=4`.');
    expect(merged.text).not.toContain('Depends on');
    expect(mergePage({ ...withoutIntegrations, body: { type: 'root', children } }, merged.text, { now: T3 }).changed).toBe(false);
  });

  it('keeps the existing frontmatter form and unknown header fields', () => {
    const first = mergePage(servicePage(), undefined, { now: T1, form: 'frontmatter' });
    const text = edit(first.text, `dateCreated: ${T1}\n`, `dateCreated: ${T1}\nowner: 'team: platform'\n`);
    const merged = mergePage(servicePage(), text, { now: T2, form: 'comment' });
    expect(merged.text).toBe(text);
    expect(merged.changed).toBe(false);
  });

  it('separates a person’s list from a generated list it would otherwise join', () => {
    const page = pageWith(md(`# x\n\n## Overview\n\nLead.${cite(1)}\n\n- generated a\n- generated b\n\n## Operational Notes\n`));
    const first = mergePage(page, undefined, { now: T1 });
    const text = edit(first.text, '- generated b\n', '- generated b\n\n- person item\n');
    // As written by the person, the item joined the generated list.
    const merged = mergePage(page, text, { now: T2 });
    expect(merged.text).toContain(`- generated a\n- generated b\n\n${BLOCK_SEPARATOR}\n\n- person item\n`);
    const again = mergePage(page, merged.text, { now: T3 });
    expect(again.text).toBe(merged.text);
    expect(count(again.text, 'person item')).toBe(1);
  });

  it('closes a block a person left open, so that it cannot swallow the generated sections', () => {
    const first = mergePage(servicePage(), undefined, { now: T1 });
    for (const opened of ['<!-- draft, to finish', '```sh\ndocker compose up']) {
      // Left open before Operational Notes, the block swallows that section in the existing page.
      const text = edit(first.text, '\n## Operational Notes\n', `\n## Scratch\n\n${opened}\n\n## Operational Notes\n`);
      const changed = servicePage({ ...SERVICE_FACTS, imageLine: 30 });
      const merged = mergePage(changed, text, { now: T2 });
      expect(merged.text).toContain(opened);
      const headings = fromMarkdown(parsePageFile(merged.text).body).children.flatMap((node) => (node.type === 'heading' && node.depth === 2 ? [JSON.stringify(node.children)] : []));
      expect(headings).toHaveLength(6); // all generated sections are real headings again, plus Scratch
      expect(sectionTitles(merged.text).slice(0, 5)).toEqual(['Overview', 'Runtime Profile', 'Configuration & Secrets', 'Integrations', 'Scratch']);
      const again = mergePage(servicePage({ ...SERVICE_FACTS, imageLine: 31 }), merged.text, { now: T3 });
      expect(sectionTitles(again.text)).toEqual(sectionTitles(merged.text));
      expect(mergePage(servicePage({ ...SERVICE_FACTS, imageLine: 31 }), again.text, { now: T3 }).text).toBe(again.text);
    }
  });

  it('keeps a person’s notes written with another marker, loose, or as paragraphs', () => {
    const first = mergePage(servicePage(), undefined, { now: T1 });
    const text = `${first.text}\n* star one\n\n* star two\n\nA closing paragraph.\n`;
    const merged = mergePage(servicePage({ ...SERVICE_FACTS, imageLine: 40 }), text, { now: T2 });
    for (const piece of ['* star one\n\n* star two', 'A closing paragraph.']) expect(merged.text).toContain(piece);
    expect(mergePage(servicePage({ ...SERVICE_FACTS, imageLine: 40 }), merged.text, { now: T3 }).text).toBe(merged.text);
  });

  it('writes a section that is neither owned nor shared once, then leaves it to people', () => {
    const page = pageWith(md('# x\n\n## Overview\n\nLead.\n\n## Notes\n\nStart here.\n'), { sharedSections: [] });
    const first = mergePage(page, undefined, { now: T1 });
    const text = edit(first.text, 'Start here.', 'Rewritten by a person.');
    const merged = mergePage(pageWith(md('# x\n\n## Overview\n\nLead two.\n\n## Notes\n\nStart here.\n'), { sharedSections: [] }), text, { now: T2 });
    expect(merged.text).toContain('Rewritten by a person.');
    expect(merged.text).not.toContain('Start here.');
    expect(merged.text).toContain('Lead two.');
  });
});

describe('mergePage with a file that has no header', () => {
  it('adds the header (default form, created now) and keeps the text under the H1', () => {
    const merged = mergePage(servicePage(), 'Notes a person wrote before any page existed.\n', { now: T1, form: 'frontmatter' });
    expect(parsePageFile(merged.text).form).toBe('frontmatter');
    expect(merged.header.dateCreated).toBe(T1);
    expect(parsePageFile(merged.text).body.startsWith('# authentik-server\n\nNotes a person wrote before any page existed.\n\n## Overview\n')).toBe(true);
    expect(mergePage(servicePage(), merged.text, { now: T2 }).changed).toBe(false);
  });
});
