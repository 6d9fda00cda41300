/**
 * A service page built by hand as render would build it (mdast + metadata), so merge can be
 * tested without the renderer.
 */
import type { ListItem, PhrasingContent, Root, RootContent, TableRow } from 'mdast';
import type { Page } from '../../src/lib/render/page.ts';

export interface EnvRow {
  readonly variable: string;
  /** Undefined: render does not know the purpose and writes the placeholder. */
  readonly purpose?: string;
  readonly line: number;
}

export interface ServiceFacts {
  readonly name: string;
  readonly image: string;
  readonly imageLine: number;
  readonly env: readonly EnvRow[];
  readonly notes: readonly string[];
  readonly tags?: readonly string[];
  readonly description?: string;
}

export const FILE = 'authentik/compose.yml';

export function cite(start: number, end = start): string {
  return `【F:${FILE}†L${start}-L${end}】`;
}

const text = (value: string): PhrasingContent => ({ type: 'text', value });
const code = (value: string): PhrasingContent => ({ type: 'inlineCode', value });
const strong = (value: string): PhrasingContent => ({ type: 'strong', children: [text(value)] });
const heading = (depth: 1 | 2, value: string): RootContent => ({ type: 'heading', depth, children: [text(value)] });
const paragraph = (...children: PhrasingContent[]): RootContent => ({ type: 'paragraph', children });
const item = (...children: PhrasingContent[]): ListItem => ({ type: 'listItem', spread: false, children: [{ type: 'paragraph', children }] });
const list = (...children: ListItem[]): RootContent => ({ type: 'list', ordered: false, spread: false, children });

function row(...cells: PhrasingContent[][]): TableRow {
  return { type: 'tableRow', children: cells.map((children) => ({ type: 'tableCell', children })) };
}

export const SERVICE_FACTS: ServiceFacts = {
  name: 'authentik-server',
  image: 'ghcr.io/goauthentik/server:2025.8.4',
  imageLine: 20,
  env: [
    { variable: 'AUTHENTIK_SECRET_KEY', purpose: 'Signs sessions and tokens.', line: 25 },
    { variable: 'AUTHENTIK_REDIS__HOST', line: 26 },
    { variable: 'AUTHENTIK_POSTGRESQL__HOST', line: 27 },
  ],
  notes: ['Run the server and the worker with the same image tag.', 'Keep AUTHENTIK_SECRET_KEY constant across restores.'],
  tags: ['authentik', 'homelab'],
  description: 'Authentik server',
};

export function servicePage(facts: ServiceFacts = SERVICE_FACTS): Page {
  const children: RootContent[] = [
    heading(1, facts.name),
    heading(2, 'Overview'),
    paragraph(
      text(`The ${facts.name} container runs `),
      code(facts.image),
      text(' and serves the Authentik UI and identity endpoints.'),
      text(cite(19, 45)),
    ),
    heading(2, 'Runtime Profile'),
    list(
      item(strong('Image:'), text(' '), code(facts.image), text(cite(facts.imageLine))),
      item(strong('Command:'), text(' '), code('server'), text(cite(21))),
      item(strong('Restart policy:'), text(' '), code('unless-stopped'), text(cite(22))),
      item(strong('Health:'), text(' no healthcheck is defined in compose.'), text(cite(19, 45))),
    ),
    heading(2, 'Configuration & Secrets'),
    paragraph(text("Environment variables, from the stack "), code(".env"), text(" file:")),
    {
      type: 'table',
      align: [null, null, null],
      children: [
        row([text('Variable')], [text('Purpose')], [text('Source')]),
        ...facts.env.map((env) =>
          row(
            [code(env.variable)],
            env.purpose === undefined ? [{ type: 'emphasis', children: [text('(purpose not documented)')] }] : [text(env.purpose)],
            [text(`.env | interpolated ${cite(env.line)}`)],
          ),
        ),
      ],
    },
    heading(2, 'Integrations'),
    list(item(text('Depends on '), code('postgres'), text(' and '), code('redis'), text('.'), text(cite(46, 58)))),
    heading(2, 'Operational Notes'),
    list(...facts.notes.map((note, index) => item(text(note), text(cite(19 + index))))),
  ];
  const body: Root = { type: 'root', children };
  return {
    path: `home/Platform/Stacks/authentik/${facts.name}`,
    kind: 'service',
    header: {
      title: facts.name,
      description: facts.description ?? '',
      published: true,
      date: '1970-01-01T00:00:00.000Z',
      tags: facts.tags ?? ['authentik'],
      editor: 'markdown',
    },
    body,
    ownedSections: ['Overview', 'Runtime Profile', 'Configuration & Secrets', 'Integrations'],
    sharedSections: ['Operational Notes'],
    // Its Configuration intro cites nothing (render's does), so only these are claimed.
    citedSections: ['Runtime Profile', 'Integrations'],
    sources: [{ file: FILE, startLine: 19, endLine: 58 }],
    stack: 'authentik',
    service: facts.name,
  };
}

/** Replaces the first occurrence of `search` in `text`, failing loudly when it is absent. */
export function edit(text: string, search: string, replacement: string): string {
  const index = text.indexOf(search);
  if (index === -1) throw new Error(`edit: ${JSON.stringify(search)} not found in\n${text}`);
  return text.slice(0, index) + replacement + text.slice(index + search.length);
}
