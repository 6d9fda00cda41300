/** The stacks index and the platform overview: one table of stacks, and who is on which network. */
import type { RootContent } from 'mdast';
import type { Service } from '../model/types.ts';
import type { RenderContext } from './context.ts';
import { cite, code, heading, joinInline, link, paragraph, root, table, type Inline } from './mdast.ts';
import type { Page } from './page.ts';
import { pageLink } from './page-tree.ts';
import { serviceLink } from './integrations.ts';

function stackTable(ctx: RenderContext): RootContent {
  return table(
    ['Stack', 'Services', 'Compose file', 'Source'],
    ctx.project.stacks.map((stack) => [
      [link(pageLink(ctx.tree.stackPath(stack)), ctx.tree.stackTitle(stack))],
      [String(stack.services.length)],
      [code(stack.files[0] ?? '')],
      [cite(stack.range)],
    ]),
  );
}

export function renderStacksIndex(ctx: RenderContext): Page {
  const title = ctx.tree.stacksIndexTitle;
  const services = ctx.project.stacks.reduce((n, s) => n + s.services.length, 0);
  const body: RootContent[] = [
    heading(1, title),
    heading(2, 'Overview'),
    paragraph(`${ctx.project.stacks.length} stacks run ${services} services.`),
    heading(2, 'Stacks'),
    stackTable(ctx),
  ];
  return {
    path: ctx.tree.stacksIndexPath,
    kind: 'stacks-index',
    header: { title, description: `All ${ctx.project.stacks.length} stacks of the platform.`, published: true, date: '', tags: ctx.tags(), editor: 'markdown' },
    body: root(body),
    ownedSections: ['Overview', 'Stacks'],
    sharedSections: [],
    sources: ctx.project.stacks.map((s) => s.range),
  };
}

export function renderPlatformPage(ctx: RenderContext): Page {
  const title = ctx.tree.platformTitle;
  const services = ctx.project.stacks.reduce((n, s) => n + s.services.length, 0);
  const body: RootContent[] = [
    heading(1, title),
    heading(2, 'Overview'),
    paragraph(`The platform runs ${services} services in ${ctx.project.stacks.length} stacks. See `, link(pageLink(ctx.tree.stacksIndexPath), ctx.tree.stacksIndexTitle), ' for the full list.'),
    heading(2, 'Stacks'),
    stackTable(ctx),
    heading(2, 'Networks'),
  ];
  const shared = [...ctx.servicesOnNetwork].filter(([, members]) => new Set(members.map((m) => m.stack)).size > 1).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (shared.length === 0) body.push(paragraph('No network is shared between stacks.'));
  else {
    body.push(
      table(
        ['Network', 'Stacks', 'Services', 'Source'],
        shared.map(([name, members]) => {
          const stacks = [...new Set(members.map((m) => m.stack))];
          return [[code(name)], joinInline(stacks.map((s) => [code(s)])), joinInline(members.map((m: Service) => [serviceLink(ctx, m)])), [cite(...networkRanges(members, name, ctx))]] as Inline[][];
        }),
      ),
    );
  }
  body.push(heading(2, 'Notes'));
  return {
    path: ctx.tree.platformPath,
    kind: 'platform',
    header: { title, description: `Overview of the platform: ${ctx.project.stacks.length} stacks, ${services} services.`, published: true, date: '', tags: ctx.tags(), editor: 'markdown' },
    body: root(body),
    ownedSections: ['Overview', 'Stacks', 'Networks'],
    sharedSections: ['Notes'],
    sources: ctx.project.stacks.map((s) => s.range),
  };
}

function networkRanges(members: readonly Service[], _name: string, ctx: RenderContext) {
  // Cite each stack's declaration of the shared network.
  const out = [];
  for (const stackId of new Set(members.map((m) => m.stack))) {
    const stack = ctx.project.stacks.find((s) => s.id === stackId);
    const member = members.find((m) => m.stack === stackId);
    const network = member?.networks.find((n) => stack?.networks.some((d) => d.key === n.value.name && (d.name === _name || `${stack.name.value}_${d.key}` === _name)));
    const definition = stack?.networks.find((d) => d.key === network?.value.name);
    if (definition) out.push(definition.range);
  }
  return out;
}
