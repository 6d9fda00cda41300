/**
 * Mermaid flowcharts of a stack and of the platform. Networks are groups (subgraphs), never
 * edges: services that join exactly the same networks share one group, so every box tells the
 * truth about membership however many networks a service joins. Edges are dependencies and
 * consumers only (solid), plus proxy, protection and backup (dotted). Ids are derived from names
 * (stable from one run to the next) and every label is quoted and escaped.
 */
import type { Relation, ServiceId } from '../relations/index.ts';
import type { Service, Stack } from '../model/types.ts';
import type { RenderContext } from './context.ts';

/** Most edges drawn in one diagram; beyond that the page says how many were left out. */
export const MAX_EDGES = 120;
/** Up to this many stacks the platform diagram shows every stack, connected or not. */
export const MAX_PLATFORM_STACKS = 60;

/** A label Mermaid reads as text: quoted, with `"`, `<`, `>`, `#`, backticks and line breaks neutralised. */
export function mermaidLabel(text: string): string {
  const escaped = text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/\s+/g, ' ')
    .trim();
  return `"${escaped || ' '}"`;
}

/** A Mermaid id from any text: letters, digits and `_`, plus a short hash so that distinct texts never collide. */
export function mermaidId(prefix: string, text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  const readable = text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  return `${prefix}_${readable}_${h.toString(36)}`;
}

interface Edge {
  from: string;
  to: string;
  dotted: boolean;
  labels: string[];
}

const EDGE_LABEL: Partial<Record<Relation['kind'], (r: Relation) => string>> = {
  'depends-on': (r) => (r.kind === 'depends-on' && r.condition === 'service_healthy' ? 'healthy' : r.kind === 'depends-on' && r.condition === 'service_completed_successfully' ? 'completed' : ''),
  uses: (r) => (r.kind === 'uses' ? (r.redisDb && !r.redisDb.implicit ? `${r.label} · DB ${r.redisDb.value}` : r.label) : ''),
  'uses-endpoint': (r) => (r.kind === 'uses-endpoint' ? r.purpose : ''),
  'network-mode': () => 'network',
  link: () => 'link',
  'proxied-by': () => 'proxy',
  'protected-by': () => 'auth',
  backup: () => 'backup',
};

const DOTTED = new Set<Relation['kind']>(['proxied-by', 'protected-by', 'backup']);

/** Adds an edge per relation, one per ordered pair of nodes, labels merged. */
function collectEdges(relations: Iterable<Relation>, nodeOf: (id: ServiceId) => string | undefined): Map<string, Edge> {
  const edges = new Map<string, Edge>();
  for (const r of relations) {
    // Arrows point from the one who needs to the one needed; a backup job needs what it copies.
    const [a, b] = [nodeOf(r.from.id), nodeOf(r.to.id)];
    if (!a || !b || a === b) continue;
    const key = `${a}>${b}`;
    const label = EDGE_LABEL[r.kind]?.(r) ?? '';
    const edge = edges.get(key) ?? { from: a, to: b, dotted: DOTTED.has(r.kind), labels: [] };
    if (!DOTTED.has(r.kind)) edge.dotted = false;
    if (label && !edge.labels.includes(label)) edge.labels.push(label);
    edges.set(key, edge);
  }
  return edges;
}

function edgeLines(edges: Iterable<Edge>, indent: string): { lines: string[]; omitted: number } {
  const lines: string[] = [];
  let omitted = 0;
  for (const edge of edges) {
    if (lines.length >= MAX_EDGES) {
      omitted++;
      continue;
    }
    const shown = edge.labels.slice(0, 2).join(', ') + (edge.labels.length > 2 ? ', …' : '');
    const arrow = edge.dotted ? '-.->' : '-->';
    lines.push(shown ? `${indent}${edge.from} ${arrow}|${mermaidLabel(shown)}| ${edge.to}` : `${indent}${edge.from} ${arrow} ${edge.to}`);
  }
  return { lines, omitted };
}

/** The diagram of one stack: its services grouped by the networks they join, and the services of other stacks they use or serve. */
export function stackDiagram(ctx: RenderContext, stack: Stack): { text: string; nodes: number; edges: number; groups: number; omitted: number } {
  const rel = ctx.relations;
  const own = new Map<ServiceId, Service>(stack.services.map((s) => [`${stack.id}/${s.name}`, s]));
  const relations: Relation[] = [];
  for (const id of own.keys()) {
    for (const r of rel.outgoing.get(id) ?? []) relations.push(r);
    for (const r of rel.incoming.get(id) ?? []) if (!own.has(r.from.id)) relations.push(r);
  }
  // Proxies fan in from every published service: drawn only inside a stack.
  const shown = relations.filter((r) => r.kind !== 'proxied-by' || (own.has(r.from.id) && own.has(r.to.id)));
  const nodeIds = new Map<ServiceId, string>();
  for (const id of own.keys()) nodeIds.set(id, mermaidId('s', id));
  for (const r of shown) for (const id of [r.from.id, r.to.id]) if (!nodeIds.has(id) && ctx.serviceById.has(id)) nodeIds.set(id, mermaidId('s', id));
  const edges = collectEdges(shown, (id) => nodeIds.get(id));
  const drawn = edgeLines([...edges.values()].slice(0, MAX_EDGES), '  ');
  const omitted = Math.max(0, edges.size - MAX_EDGES);
  // Services of other stacks appear only when an edge drawn touches them.
  const touched = new Set<string>();
  for (const edge of [...edges.values()].slice(0, MAX_EDGES)) touched.add(edge.from).add(edge.to);
  const external = new Map<string, ServiceId[]>();
  for (const [id, node] of nodeIds) {
    if (own.has(id) || !touched.has(node)) continue;
    const other = ctx.serviceById.get(id);
    if (!other) continue;
    const list = external.get(other.stack.id);
    if (list) list.push(id);
    else external.set(other.stack.id, [id]);
  }
  const lines = ['flowchart LR'];
  // Own services, grouped by the exact set of networks they join.
  const groups = new Map<string, ServiceId[]>();
  for (const [id, service] of own) {
    const parent = rel.outgoing.get(id)?.find((r) => r.kind === 'network-mode');
    const networks = parent ? [`network stack of ${ctx.tree.serviceTitle(ctx.serviceById.get(parent.to.id)?.service ?? service)}`] : (rel.networksOf.get(id) ?? []);
    const key = networks.length ? [...networks].sort().join(' + ') : 'no network';
    const group = groups.get(key);
    if (group) group.push(id);
    else groups.set(key, [id]);
  }
  for (const [key, ids] of groups) {
    lines.push(`  subgraph ${mermaidId('g', `${stack.id}:${key}`)}[${mermaidLabel(key)}]`);
    for (const id of ids) lines.push(`    ${nodeIds.get(id)}[${mermaidLabel(ctx.tree.serviceTitle(own.get(id) as Service))}]`);
    lines.push('  end');
  }
  // Services of other stacks, grouped by their stack.
  for (const [stackId, ids] of [...external].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const other = ctx.stackById.get(stackId);
    lines.push(`  subgraph ${mermaidId('x', stackId)}[${mermaidLabel(`${other ? ctx.tree.stackTitle(other) : stackId} stack`)}]`);
    for (const id of ids) {
      const service = ctx.serviceById.get(id)?.service;
      lines.push(`    ${nodeIds.get(id)}[${mermaidLabel(service ? ctx.tree.serviceTitle(service) : id)}]`);
    }
    lines.push('  end');
  }
  lines.push(...drawn.lines);
  const nodes = own.size + [...external.values()].reduce((n, ids) => n + ids.length, 0);
  return { text: lines.join('\n'), nodes, edges: drawn.lines.length, groups: groups.size + external.size, omitted };
}

/** The diagram of the platform: one node per stack, grouped by the networks they share with other stacks; edges aggregate cross-stack relations. */
export function platformDiagram(ctx: RenderContext): { text: string; nodes: number; edges: number; groups: number; omitted: number } {
  const rel = ctx.relations;
  const sharedNetworks = new Set(rel.networks.filter((n) => new Set(n.members.map((m) => m.stack)).size > 1).map((n) => n.name));
  const stackNode = new Map(ctx.project.stacks.map((s) => [s.id, mermaidId('st', s.id)]));
  // Cross-stack relations, aggregated per pair of stacks and labelled by what flows.
  const edges = new Map<string, Edge>();
  for (const r of rel.relations) {
    if (r.from.stack === r.to.stack) continue;
    const [a, b] = [stackNode.get(r.from.stack), stackNode.get(r.to.stack)];
    if (!a || !b) continue;
    const key = `${a}>${b}`;
    const target = ctx.serviceById.get(r.to.id)?.service;
    const label = r.kind === 'uses' && target ? ctx.tree.serviceTitle(target) : EDGE_LABEL[r.kind]?.(r) || r.kind;
    const edge = edges.get(key) ?? { from: a, to: b, dotted: DOTTED.has(r.kind), labels: [] };
    if (!DOTTED.has(r.kind)) edge.dotted = false;
    if (!edge.labels.includes(label)) edge.labels.push(label);
    edges.set(key, edge);
  }
  const kept = [...edges.values()].slice(0, MAX_EDGES);
  const touched = new Set<string>();
  for (const edge of kept) touched.add(edge.from).add(edge.to);
  // Every stack while the platform is small; beyond that only the stacks an arrow touches.
  const everyStack = ctx.project.stacks.length <= MAX_PLATFORM_STACKS;
  const lines = ['flowchart LR'];
  const groups = new Map<string, Stack[]>();
  for (const stack of ctx.project.stacks) {
    if (!everyStack && !touched.has(stackNode.get(stack.id) as string)) continue;
    const nets = new Set<string>();
    for (const service of stack.services) for (const n of rel.networksOf.get(`${stack.id}/${service.name}`) ?? []) if (sharedNetworks.has(n)) nets.add(n);
    const key = nets.size ? [...nets].sort().join(' + ') : 'no shared network';
    const group = groups.get(key);
    if (group) group.push(stack);
    else groups.set(key, [stack]);
  }
  let nodes = 0;
  for (const [key, stacks] of groups) {
    lines.push(`  subgraph ${mermaidId('g', `platform:${key}`)}[${mermaidLabel(key)}]`);
    for (const stack of stacks) lines.push(`    ${stackNode.get(stack.id)}[${mermaidLabel(ctx.tree.stackTitle(stack))}]`);
    nodes += stacks.length;
    lines.push('  end');
  }
  const drawn = edgeLines(kept, '  ');
  lines.push(...drawn.lines);
  return { text: lines.join('\n'), nodes, edges: drawn.lines.length, groups: groups.size, omitted: Math.max(0, edges.size - MAX_EDGES) };
}
