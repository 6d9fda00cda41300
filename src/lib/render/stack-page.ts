/**
 * The page of one stack: what it is for, its services (linked), networks, stateful volumes and
 * the secrets it needs.
 */
import type { RootContent } from 'mdast';
import type { Stack } from '../model/types.ts';
import type { RenderContext } from './context.ts';
import { catalogEntryFor, describeService, sentence, summary } from './knowledge.ts';
import { cite, code, heading, joinInline, paragraph, root, table, text, type Inline } from './mdast.ts';
import type { Page } from './page.ts';
import { networkName, serviceLink } from './integrations.ts';

/** Sections of a stack page the generator owns. */
export const STACK_SECTIONS = ['Overview', 'Services', 'Networks', 'Volumes', 'Secrets'] as const;

export function renderStackPage(ctx: RenderContext, stack: Stack): Page {
  const title = ctx.tree.stackTitle(stack);
  const configured = ctx.config.stacks[stack.id]?.description;
  const lead = configured ?? stack.description?.value.replace(/\s*\n\s*/g, ' ');
  const body: RootContent[] = [heading(1, title), heading(2, 'Overview')];
  const count = stack.services.length;
  const overview: Inline[] = [];
  if (lead) overview.push(sentence(lead), stack.description && !configured ? cite(stack.description.range) : '', ' ');
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
        ['Network', 'Kind', 'Services', 'Source'],
        stack.networks.map((network) => {
          const users = stack.services.filter((s) => s.networks.some((n) => n.value.name === network.key));
          return [[code(networkName(stack, network.key))], [network.external ? 'external (created elsewhere)' : network.driver ? `created here (${network.driver})` : 'created here'], users.length ? joinInline(users.map((s) => [serviceLink(ctx, s)])) : ['—'], [cite(network.range)]];
        }),
      ),
    );
  }

  body.push(heading(2, 'Volumes'));
  if (stack.volumes.length === 0) body.push(paragraph('The stack declares no named volumes.', cite(stack.range)));
  else {
    body.push(
      table(
        ['Volume', 'Kind', 'Mounted by', 'Source'],
        stack.volumes.map((volume) => {
          const mounts = stack.services.flatMap((s) => s.volumes.filter((v) => v.value.type === 'volume' && v.value.source === volume.key).map((v) => ({ s, v })));
          return [
            [code(volume.name)],
            [volume.external ? 'external' : 'created here'],
            mounts.length ? joinInline(mounts.map(({ s, v }) => [serviceLink(ctx, s), ' at ', code(v.value.target), v.value.readOnly ? ' (read-only)' : ''])) : ['—'],
            [cite(volume.range, ...mounts.map(({ v }) => v.range))],
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
