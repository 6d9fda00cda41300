/**
 * The stacks index and the platform overview: one table of stacks, who is on which shared
 * network, the services other stacks rely on, a platform diagram and the relations' findings.
 */
import type { RootContent } from 'mdast';
import type { UsesEndpointRelation, UsesRelation } from '../relations/index.ts';
import type { RenderContext } from './context.ts';
import { platformDiagram } from './diagrams.ts';
import { coalesce } from './environment-table.ts';
import { cite, code, codeBlock, heading, joinInline, link, list, listItem, paragraph, root, table, type Inline } from './mdast.ts';
import type { Page } from './page.ts';
import { pageLink } from './page-tree.ts';
import { peer, perService } from './integrations.ts';

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
  const rel = ctx.relations;
  const services = ctx.project.stacks.reduce((n, s) => n + s.services.length, 0);
  const body: RootContent[] = [
    heading(1, title),
    heading(2, 'Overview'),
    paragraph(`The platform runs ${services} services in ${ctx.project.stacks.length} stacks. See `, link(pageLink(ctx.tree.stacksIndexPath), ctx.tree.stacksIndexTitle), ' for the full list.'),
    heading(2, 'Stacks'),
    stackTable(ctx),
    heading(2, 'Networks'),
  ];
  const shared = rel.networks.filter((n) => new Set(n.members.map((m) => m.stack)).size > 1);
  if (shared.length === 0) body.push(paragraph('No network is shared between stacks.'));
  else {
    body.push(
      table(
        ['Network', 'Created by', 'Stacks', 'Services', 'Source'],
        shared.map((network) => {
          const stacks = [...new Set(network.members.map((m) => m.stack))];
          const creators = network.declarations.filter((d) => !d.external);
          const shown = network.members.slice(0, 30);
          return [
            [code(network.name)],
            creators.length ? joinInline(creators.map((d) => [stackTitle(ctx, d.stack)])) : ['no stack of this repository'],
            [...joinInline(stacks.slice(0, 20).map((s) => [stackTitle(ctx, s)])), stacks.length > 20 ? ` and ${stacks.length - 20} more` : ''],
            [...joinInline(shown.map((m) => peer(ctx, m.id))), network.members.length > shown.length ? ` and ${network.members.length - shown.length} more` : ''],
            [cite(...network.declarations.map((d) => d.range))],
          ] as Inline[][];
        }),
      ),
    );
  }

  body.push(heading(2, 'Shared Services'));
  const crossStack = rel.relations.filter((r): r is UsesRelation | UsesEndpointRelation => (r.kind === 'uses' || r.kind === 'uses-endpoint') && r.from.stack !== r.to.stack);
  const providers = new Map<string, (UsesRelation | UsesEndpointRelation)[]>();
  for (const r of crossStack) {
    const group = providers.get(r.to.id);
    if (group) group.push(r);
    else providers.set(r.to.id, [r]);
  }
  if (providers.size === 0) body.push(paragraph('No service is used by another stack.'));
  else {
    body.push(
      table(
        ['Service', 'Used by', 'How', 'Source'],
        [...providers].map(([id, uses]) => {
          const consumers = [...new Set(uses.map((u) => u.from.id))];
          const how = [...new Set(uses.map((u) => (u.kind === 'uses-endpoint' ? (u.purpose === 'sign-in' ? 'sign-in' : u.purpose) : u.protocol === 'redis' ? 'Redis' : u.protocol === 'postgres' ? 'PostgreSQL' : u.protocol === 'mysql' ? 'MySQL/MariaDB' : u.protocol)))];
          return [
            peer(ctx, id),
            joinInline(consumers.slice(0, 20).map((c) => peer(ctx, c))),
            [how.join(', ')],
            [cite(...coalesce(uses.map((u) => u.to.range))), cite(...perService(uses.map((u) => u.from)).slice(0, 12))],
          ] as Inline[][];
        }),
      ),
    );
  }

  body.push(heading(2, 'Topology'));
  const diagram = platformDiagram(ctx);
  body.push(
    paragraph(
      'One box per stack, grouped by the networks it shares with other stacks. Arrows point from a stack to the stacks whose services it uses; dotted arrows show publishing, protection and backups.',
      diagram.omitted > 0 ? ` ${diagram.omitted} more connections are listed on the stack pages only.` : '',
    ),
    codeBlock('mermaid', diagram.text),
  );

  body.push(heading(2, 'Findings'));
  if (rel.findings.length === 0) body.push(paragraph('The relations between services show no conflict, version skew or unbacked database volume.'));
  else body.push(list(rel.findings.map((f) => listItem(`${f.severity === 'error' ? 'Error' : f.severity === 'warning' ? 'Warning' : 'Note'} (${f.id}): ${f.message}`, cite(f.range), cite(...(f.related ?? []))))));

  body.push(heading(2, 'Notes'));
  return {
    path: ctx.tree.platformPath,
    kind: 'platform',
    header: { title, description: `Overview of the platform: ${ctx.project.stacks.length} stacks, ${services} services.`, published: true, date: '', tags: ctx.tags(), editor: 'markdown' },
    body: root(body),
    ownedSections: ['Overview', 'Stacks', 'Networks', 'Shared Services', 'Topology', 'Findings'],
    sharedSections: ['Notes'],
    sources: ctx.project.stacks.map((s) => s.range),
  };
}

function stackTitle(ctx: RenderContext, id: string): string {
  const stack = ctx.stackById.get(id);
  return stack ? ctx.tree.stackTitle(stack) : id;
}
