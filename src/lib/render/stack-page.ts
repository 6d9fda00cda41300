/**
 * The page of one stack: what it is for, its services (linked), networks, volumes (and their
 * backups), the secrets it needs, what it allocates on shared servers (databases, users, Redis
 * indexes, host ports) and a topology diagram.
 */
import type { RootContent } from 'mdast';
import type { SourceRange, Stack } from '../model/types.ts';
import type { Finding, PortAllocation } from '../relations/index.ts';
import type { RenderContext } from './context.ts';
import { stackDiagram } from './diagrams.ts';
import { coalesce } from './environment-table.ts';
import { beforeCitation, catalogEntryFor, describeService, sentence, summary } from './knowledge.ts';
import { cite, code, codeBlock, heading, joinInline, paragraph, root, table, text, type Inline } from './mdast.ts';
import type { Page } from './page.ts';
import { peer, perService, serviceLink } from './integrations.ts';

/** Sections of a stack page the generator owns. */
export const STACK_SECTIONS = ['Overview', 'Services', 'Networks', 'Volumes', 'Secrets', 'Allocations', 'Topology'] as const;

export function renderStackPage(ctx: RenderContext, stack: Stack): Page {
  const title = ctx.tree.stackTitle(stack);
  const configured = ctx.config.stacks[stack.id]?.description;
  const lead = configured ?? stack.description?.value.replace(/\s*\n\s*/g, ' ');
  const body: RootContent[] = [heading(1, title), heading(2, 'Overview')];
  const count = stack.services.length;
  const overview: Inline[] = [];
  if (lead) overview.push(...(stack.description && !configured ? [beforeCitation(sentence(lead)), cite(stack.description.range)] : [sentence(lead)]), ' ');
  overview.push(`The stack runs ${count} ${count === 1 ? 'service' : 'services'} from `, ...joinInline(stack.files.map((f) => [code(f)])), '.', cite(stack.range));
  body.push(paragraph(...overview));

  body.push(heading(2, 'Services'));
  body.push(
    table(
      ['Service', 'Image', 'Purpose', 'Source'],
      stack.services.map((service) => {
        const description = describeService(service, catalogEntryFor(ctx.catalog, service));
        const image = service.image ? [code(service.image.value.text)] : service.build ? ['built from ', code(service.build.value.context ?? '.')] : ['—'];
        return [[serviceLink(ctx, service)], image, [summary(description.text)], [cite(service.range)]];
      }),
    ),
  );

  body.push(heading(2, 'Networks'));
  if (stack.networks.length === 0) body.push(paragraph('The stack declares no networks; its services share Compose\'s default network.', cite(stack.range)));
  else {
    body.push(
      table(
        ['Network', 'Kind', 'Services', 'Also joined by', 'Source'],
        stack.networks.map((network) => {
          const name = ctx.networkName(stack, network.key);
          const byStack = ctx.lookup.networkStacks(name);
          const own = byStack.get(stack.id) ?? [];
          const otherStacks = [...byStack.keys()].filter((s) => s !== stack.id);
          const others = { length: (ctx.relations.networkByName.get(name)?.members.length ?? 0) - own.length };
          return [
            [code(name)],
            [network.external ? 'external (created elsewhere)' : network.driver ? `created here (${network.driver})` : 'created here'],
            own.length ? joinInline(own.map((m) => peer(ctx, m.id, stack))) : ['—'],
            otherStacks.length
              ? [`${others.length} ${others.length === 1 ? 'service' : 'services'} of `, ...joinInline(otherStacks.slice(0, 8).map((s) => [stackTitle(ctx, s)])), otherStacks.length > 8 ? ` and ${otherStacks.length - 8} more stacks` : '']
              : ['—'],
            [cite(network.range, ...perService(own))],
          ];
        }),
      ),
    );
  }

  body.push(heading(2, 'Volumes'));
  if (stack.volumes.length === 0) body.push(paragraph('The stack declares no named volumes.', cite(stack.range)));
  else {
    body.push(
      table(
        ['Volume', 'Kind', 'Mounted by', 'Backed up by', 'Source'],
        stack.volumes.map((volume) => {
          const storage = ctx.lookup.volume(stack.id, volume.key);
          const mounts = storage?.mounts ?? [];
          const backups = storage ? ctx.lookup.backupsOf(storage.key) : [];
          const jobs = [...new Set(storage?.backedUpBy ?? [])];
          const backedUp: Inline[] = jobs.length
            ? joinInline(jobs.map((j) => peer(ctx, j, stack)))
            : storage?.stateful && mounts.some((m) => ctx.lookup.findingsAt(m.range).some((f) => f.id === 'unbacked-volume'))
              ? ['not backed up (it holds database files)']
              : ['—'];
          return [
            [code(storage?.name ?? volume.name)],
            [volume.external ? 'external' : 'created here'],
            mounts.length ? joinInline(mounts.map((m) => [...peer(ctx, m.id, stack), ' at ', code(m.target), m.readOnly ? ' (read-only)' : ''])) : ['—'],
            backedUp,
            [cite(volume.range, ...perService(mounts.filter((m) => m.stack === stack.id))), cite(...perService(backups.map((b) => b.from)))],
          ];
        }),
      ),
    );
  }

  body.push(heading(2, 'Secrets'));
  const secrets = stack.services.flatMap((s) => s.environment.filter((e) => e.secret).map((e) => ({ s, e })));
  if (secrets.length === 0 && stack.secrets.length === 0) body.push(paragraph('No secret variables are used by this stack.', cite(stack.range)));
  else {
    const rows: Inline[][][] = secrets.map(({ s, e }) => [[code(e.name)], [serviceLink(ctx, s)], [e.literalSecret ? 'literal in compose — move it to .env' : e.origin === 'env_file' ? `from ${e.envFile ?? 'env_file'}` : e.origin === 'interpolated' ? 'from .env' : 'from the environment'], [cite(e.range)]]);
    for (const secret of stack.secrets) rows.push([[code(secret.key)], [text('Docker secret')], [secret.source ? `from ${secret.kind} ${secret.source}` : secret.kind], [cite(secret.range)]]);
    body.push(table(['Secret', 'Used by', 'Value from', 'Source'], rows));
  }

  body.push(heading(2, 'Allocations'), ...allocations(ctx, stack));

  body.push(heading(2, 'Topology'));
  const diagram = stackDiagram(ctx, stack);
  body.push(
    paragraph(
      'Boxes group the services that join the same networks; services of other stacks are grouped by stack. Solid arrows point from a service to what it depends on or uses, dotted ones to what protects, publishes or backs it up.',
      diagram.omitted > 0 ? ` ${diagram.omitted} more connections are listed on the service pages only.` : '',
      cite(stack.range),
    ),
    codeBlock('mermaid', diagram.text),
  );
  body.push(heading(2, 'Notes'));

  return {
    path: ctx.tree.stackPath(stack),
    kind: 'stack',
    header: { title, description: summary(lead ?? `The ${title} stack: ${count} services.`), published: true, date: '', tags: ctx.tags(stack), editor: 'markdown' },
    body: root(body),
    ownedSections: [...STACK_SECTIONS],
    sharedSections: ['Notes'],
    sources: [stack.range],
    stack: stack.id,
  };
}

function stackTitle(ctx: RenderContext, id: string): string {
  const stack = ctx.stackById.get(id);
  return stack ? ctx.tree.stackTitle(stack) : id;
}

const sameRange = (a: SourceRange, b: SourceRange) => a.file === b.file && a.startLine === b.startLine && a.endLine === b.endLine;

/** Databases, users, Redis indexes and host ports this stack's services hold, with conflicts marked. */
function allocations(ctx: RenderContext, stack: Stack): RootContent[] {
  const uses = ctx.lookup.usesTouching(stack.id);
  const conflictAt = (ids: Finding['id'][], range: SourceRange | undefined) => (range ? ctx.lookup.findingsAt(range).find((f) => ids.includes(f.id)) : undefined);
  const out: RootContent[] = [];
  const databases = uses.filter((r) => r.database || r.user);
  if (databases.length > 0) {
    out.push(
      paragraph('Databases and users on database servers:'),
      table(
        ['Consumer', 'Server', 'Database', 'User', 'Variables', 'Source'],
        databases.map((r) => {
          const clash = conflictAt(['shared-db-user'], r.user?.range);
          return [
            peer(ctx, r.from.id, stack),
            peer(ctx, r.to.id, stack),
            r.database ? [code(r.database.value)] : ['—'],
            r.user ? [code(r.user.value), clash ? ' (also used by another application)' : ''] : ['—'],
            [code(r.label)],
            [cite(...coalesce([r.from.range, ...r.variables.map((v) => v.range)])), cite(r.to.range)],
          ];
        }),
      ),
    );
  }
  const redis = uses.filter((r) => r.protocol === 'redis');
  if (redis.length > 0) {
    out.push(
      paragraph('Redis databases (logical indexes) per consumer:'),
      table(
        ['Consumer', 'Server', 'DB', 'Variables', 'Source'],
        redis.map((r) => {
          const clash = conflictAt(['redis-db-conflict'], r.redisDb?.range);
          return [
            peer(ctx, r.from.id, stack),
            peer(ctx, r.to.id, stack),
            [r.redisDb ? `${r.redisDb.value}${r.redisDb.implicit ? ' (none set)' : ''}` : '—', clash ? ' — shared with another application' : ''],
            [code(r.label)],
            [cite(...coalesce([r.from.range, ...r.variables.map((v) => v.range), ...(r.redisDb ? [r.redisDb.range] : [])])), cite(r.to.range)],
          ];
        }),
      ),
    );
  }
  const ports = ctx.lookup.portsOf(stack.id);
  if (ports.length > 0) {
    out.push(
      paragraph('Published host ports:'),
      table(
        ['Service', 'Host port', 'Address', 'Conflict', 'Source'],
        ports.map((p: PortAllocation) => {
          const clash = conflictAt(['port-conflict'], p.range);
          const other = clash ? [clash.range, ...(clash.related ?? [])].find((r) => !sameRange(r, p.range)) : undefined;
          return [
            peer(ctx, p.id, stack),
            [code(`${p.first === p.last ? p.first : `${p.first}-${p.last}`}/${p.protocol}`)],
            [p.hostIp ? code(p.hostIp) : 'all addresses'],
            clash ? [clash.message] : ['—'],
            [cite(p.range), other ? cite(other) : ''],
          ];
        }),
      ),
    );
  }
  if (out.length === 0) out.push(paragraph('The stack holds no database, Redis index or published host port.', cite(stack.range)));
  return out;
}
