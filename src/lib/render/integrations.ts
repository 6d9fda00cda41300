/**
 * The Integrations section of a service page: what the service depends on, who depends on it,
 * and whom it shares a network with — each statement cited at this service's end.
 */
import type { Service, Stack } from '../model/types.ts';
import type { RenderContext } from './context.ts';
import { cite, code, joinInline, link, type Inline } from './mdast.ts';
import { pageLink } from './page-tree.ts';

/** The real Docker network name of a stack's network key (what other stacks can join). */
export function networkName(stack: Stack, key: string): string {
  const definition = stack.networks.find((n) => n.key === key);
  if (definition && (definition.external || definition.name !== definition.key)) return definition.name;
  return `${stack.name.value}_${key}`;
}

const CONDITION_TEXT = {
  service_started: 'starts after it',
  service_healthy: 'waits until it is healthy',
  service_completed_successfully: 'waits until it has completed successfully',
} as const;

/** Links to a service page, titled by the service's page title. */
export function serviceLink(ctx: RenderContext, service: Service): Inline {
  return link(pageLink(ctx.tree.servicePath(service)), ctx.tree.serviceTitle(service));
}

/** The bullet items of the Integrations section. */
export function integrationItems(ctx: RenderContext, stack: Stack, service: Service): Inline[][] {
  const items: Inline[][] = [];
  const byName = new Map(stack.services.map((s) => [s.name, s]));
  for (const dependency of service.dependsOn) {
    const target = byName.get(dependency.value.service);
    items.push(['Depends on ', target ? serviceLink(ctx, target) : code(dependency.value.service), ` (${CONDITION_TEXT[dependency.value.condition]}${dependency.value.required ? '' : '; optional'}).`, cite(dependency.range)]);
  }
  for (const other of stack.services) {
    const dependency = other.dependsOn.find((d) => d.value.service === service.name);
    if (dependency) items.push(['Required by ', serviceLink(ctx, other), ` (it ${CONDITION_TEXT[dependency.value.condition]}).`, cite(dependency.range)]);
  }
  for (const linked of service.links) {
    const [name, alias] = linked.value.split(':');
    const target = byName.get(name ?? '');
    items.push(['Linked to ', target ? serviceLink(ctx, target) : code(name ?? linked.value), alias ? [' as ', code(alias)] : [], '.', cite(linked.range)].flat());
  }
  for (const network of service.networks) {
    const real = networkName(stack, network.value.name);
    const peers = (ctx.servicesOnNetwork.get(real) ?? []).filter((p) => p !== service);
    if (peers.length === 0) continue;
    const shown = peers.slice(0, 12);
    const more = peers.length - shown.length;
    items.push([
      'Shares network ', code(real), ' with ', ...joinInline(shown.map((p) => [serviceLink(ctx, p)])), more > 0 ? ` and ${more} more` : '', '.', cite(network.range),
    ]);
  }
  if (items.length === 0) items.push(['No dependencies or shared networks are declared in compose.', cite(service.range)]);
  return items;
}
