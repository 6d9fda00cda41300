/**
 * The Integrations section of a service page, from the relations layer: what the service depends
 * on and uses (and how: variable group, database, user, Redis index), who publishes, protects and
 * backs it up, what it shares, who uses it — each statement cited at both ends.
 */
import type { Service, SourceRange, Stack } from '../model/types.ts';
import type {
  BackupRelation, Finding, ProtectedByRelation, ProxiedByRelation, Relation, ServiceId, StorageInfo, UsesEndpointRelation, UsesRelation,
} from '../relations/index.ts';
import type { RenderContext } from './context.ts';
import { coalesce } from './environment-table.ts';
import { cite, code, joinInline, link, type Inline } from './mdast.ts';
import { pageLink } from './page-tree.ts';

const CONDITION_TEXT = {
  service_started: 'starts after it',
  service_healthy: 'waits until it is healthy',
  service_completed_successfully: 'waits until it has completed successfully',
} as const;

const CONDITION_INCOMING = {
  service_started: 'starts after this service',
  service_healthy: 'waits until this service is healthy',
  service_completed_successfully: 'waits until this service has completed successfully',
} as const;

/** Links to a service page, titled by the service's page title. */
export function serviceLink(ctx: RenderContext, service: Service): Inline {
  return link(pageLink(ctx.tree.servicePath(service)), ctx.tree.serviceTitle(service));
}

/** A link to the service `id`, followed by its stack's title when that is not `stack`. */
export function peer(ctx: RenderContext, id: ServiceId, stack?: Stack): Inline[] {
  const found = ctx.serviceById.get(id);
  if (!found) return [code(id)];
  return found.stack === stack ? [serviceLink(ctx, found.service)] : [serviceLink(ctx, found.service), ` (${ctx.tree.stackTitle(found.stack)})`];
}

/** `peer` for a service at hand (no look-up by a freshly built id). */
function servicePeer(ctx: RenderContext, service: Service, stack: Stack): Inline[] {
  const other = ctx.stackById.get(service.stack);
  if (other === undefined) return peer(ctx, `${service.stack}/${service.name}`, stack);
  return other === stack ? [serviceLink(ctx, service)] : [serviceLink(ctx, service), ` (${ctx.tree.stackTitle(other)})`];
}

const ranges = (items: readonly { readonly range: SourceRange }[]) => coalesce(items.map((i) => i.range));

/** Ranges of several services, merged per service only, so that no citation spans two services. */
export function perService(items: readonly { readonly id: string; readonly range: SourceRange }[]): SourceRange[] {
  const groups = new Map<string, SourceRange[]>();
  for (const item of items) {
    const group = groups.get(item.id);
    if (group) group.push(item.range);
    else groups.set(item.id, [item.range]);
  }
  return [...groups.values()].flatMap((group) => coalesce(group));
}

const SERVER_WORDS: Record<UsesRelation['protocol'], string> = {
  postgres: 'PostgreSQL database',
  mysql: 'MySQL/MariaDB database',
  mongodb: 'MongoDB database',
  redis: 'Redis server',
  amqp: 'message broker',
  mqtt: 'MQTT broker',
  memcache: 'cache',
  http: '',
  other: '',
};

/** `— database `x`, user `y`` / `— DB 2` for a connection. */
function allocation(r: UsesRelation): Inline[] {
  const parts: Inline[][] = [];
  if (r.database) parts.push(['database ', code(r.database.value)]);
  if (r.user) parts.push(['user ', code(r.user.value)]);
  if (r.redisDb) parts.push([`DB ${r.redisDb.value}${r.redisDb.implicit ? ' (none set, so 0)' : ''}`]);
  return parts.length ? [' — ', ...joinInline(parts)] : [];
}

function through(r: { readonly via?: UsesRelation['via']; readonly label: string }): Inline[] {
  if (r.via === 'command') return [' in its command'];
  if (r.via === 'label') return [' in its label ', code(r.label)];
  return [' through ', code(r.label), r.via === 'env_file' ? ' (from its env_file)' : ''];
}

const usesRanges = (r: UsesRelation | UsesEndpointRelation) => coalesce([r.from.range, ...r.variables.map((v) => v.range), ...(r.kind === 'uses' ? [r.database?.range, r.user?.range, r.redisDb?.range].filter((x): x is SourceRange => x !== undefined) : [])]);

const PURPOSE_OUT: Record<UsesEndpointRelation['purpose'], string> = {
  'sign-in': 'Signs users in with ',
  webhook: 'Sends webhooks to ',
  notifications: 'Sends notifications to ',
  api: 'Calls ',
};
const PURPOSE_IN: Record<UsesEndpointRelation['purpose'], string> = {
  'sign-in': 'Used for sign-in by ',
  webhook: 'Receives webhooks from ',
  notifications: 'Receives notifications from ',
  api: 'Called at its public address by ',
};

/** The bullet items of the Integrations section. */
export function integrationItems(ctx: RenderContext, stack: Stack, service: Service): Inline[][] {
  const id = `${stack.id}/${service.name}`;
  const rel = ctx.relations;
  const outgoing = rel.outgoing.get(id) ?? [];
  const incoming = rel.incoming.get(id) ?? [];
  const items: Inline[][] = [];
  // Each list grouped by kind once (a hub such as a shared database has hundreds of relations).
  const byKind = (list: readonly Relation[]) => {
    const groups = new Map<Relation['kind'], Relation[]>();
    for (const r of list) {
      const group = groups.get(r.kind);
      if (group) group.push(r);
      else groups.set(r.kind, [r]);
    }
    return groups;
  };
  const outgoingByKind = byKind(outgoing);
  const incomingByKind = byKind(incoming);
  const of = <K extends Relation['kind']>(list: readonly Relation[], kind: K) =>
    ((list === outgoing ? outgoingByKind : list === incoming ? incomingByKind : byKind(list)).get(kind) ?? []) as Extract<Relation, { kind: K }>[];

  // What it depends on and uses.
  const dependsOn = of(outgoing, 'depends-on');
  const uses = of(outgoing, 'uses');
  const usedTargets = new Set(uses.map((r) => r.to.id));
  for (const r of dependsOn) {
    if (usedTargets.has(r.to.id)) continue;
    items.push(['Depends on ', ...peer(ctx, r.to.id, stack), ` (${CONDITION_TEXT[r.condition]}${r.required ? '' : '; optional'}${r.restart ? '; restarted with it' : ''}).`, cite(r.from.range), cite(r.to.range)]);
  }
  for (const r of uses) {
    const what = SERVER_WORDS[r.protocol];
    const dependency = dependsOn.find((d) => d.to.id === r.to.id);
    items.push([
      what ? 'Uses ' : 'Connects to ', ...peer(ctx, r.to.id, stack), what ? ` as its ${what}` : [' at ', code(`${r.host}${r.port ? `:${r.port}` : ''}`)], ...through(r), ...allocation(r),
      dependency ? `; it ${CONDITION_TEXT[dependency.condition]}` : '',
      r.reachable ? '.' : '. The two share no network, so this name does not resolve between them.',
      cite(...usesRanges(r), dependency?.from.range), cite(r.to.range),
    ].flat() as Inline[]);
  }
  for (const r of of(outgoing, 'uses-endpoint')) {
    items.push([PURPOSE_OUT[r.purpose], ...peer(ctx, r.to.id, stack), ' at ', code(r.host), ...through(r), '.', cite(...usesRanges(r)), cite(r.to.range)]);
  }
  for (const r of of(outgoing, 'network-mode')) {
    items.push(['Runs in the network stack of ', ...peer(ctx, r.to.id, stack), ' (', code(service.networkMode?.value ?? 'network_mode'), '): it has no network of its own and reaches others, and is reached, through that container.', cite(r.from.range), cite(r.to.range)]);
  }
  for (const r of of(outgoing, 'link')) {
    items.push([r.external ? 'Linked to the external container ' : 'Linked to ', ...peer(ctx, r.to.id, stack), ...(r.alias ? [' as ', code(r.alias)] : []), '.', cite(r.from.range), cite(r.to.range)]);
  }

  // Who publishes and protects it.
  for (const r of of(outgoing, 'proxied-by')) items.push(proxiedSentence(ctx, stack, r));
  for (const r of of(outgoing, 'protected-by')) items.push(protectedSentence(ctx, stack, r));
  if (ctx.catalog && isProxyManager(ctx, service)) {
    items.push(['Nginx Proxy Manager keeps its proxy hosts in its own database, so the services it publishes cannot be read from compose; declare them on each published service with ', code('x-wiki: {proxied_by: <this service>}'), '.', cite(service.image?.range ?? service.range)]);
  }

  // Storage: backups of what it owns, storage no backup covers, storage shared with others.
  const backups = of(incoming, 'backup');
  for (const r of backups) {
    const mount = mountOf(ctx, id, r.storage);
    // A folder inside the backed-up path is named as mounted, then the path the job covers.
    const inside = mount?.subpath !== undefined;
    items.push([
      storageWord(r.storage), ' ', code(inside ? below(r.storageName, mount.subpath as string) : r.storageName), mount ? [' (mounted at ', code(mount.target), ')'] : [],
      inside ? [' lies inside ', code(r.storageName), ', which is backed up by '] : [' is backed up by '], ...peer(ctx, r.from.id, stack),
      r.location ? [', location ', code(r.location.value), ' of ', code(r.location.range.file)] : [],
      r.schedule ? [', schedule ', code(r.schedule)] : [], '.', cite(r.to.range), cite(...coalesce([r.from.range, ...(r.location ? [r.location.range] : [])])),
    ].flat() as Inline[]);
  }
  for (const finding of findingsAt(ctx, id, 'unbacked-volume')) {
    const storage = (rel.storagesOf.get(id) ?? []).map((k) => rel.storageByKey.get(k)).find((s) => s?.stateful && s.mounts.some((m) => sameRange(m.range, finding.range)));
    items.push([storage ? [storageWord(storage.key), ' ', code(storage.name)] : ['Its data'], ' holds this service\'s data and no backup job of this repository covers it.', cite(finding.range), cite(...(finding.related ?? []))].flat() as Inline[]);
  }
  for (const key of rel.storagesOf.get(id) ?? []) {
    const storage = rel.storageByKey.get(key);
    if (!storage || storage.backedUpBy.includes(id)) continue;
    const jobs = new Set([...storage.backedUpBy, ...backups.map((b) => b.from.id)]);
    const mounters = mountersOf(storage);
    const mine = mounters.all.get(id);
    if (mine === undefined) continue;
    // Mounted only below the storage's path: it shares with those mounting the path itself, not with its siblings.
    const nested = mine.every((m) => m.subpath !== undefined);
    const candidates = nested ? mounters.whole : mounters.all;
    // The first twelve others in mount order, and how many there are (a media share has thousands).
    const shown: ServiceId[] = [];
    for (const other of candidates.keys()) {
      if (shown.length === 12) break;
      if (other !== id && !jobs.has(other)) shown.push(other);
    }
    let count = candidates.size - (candidates.has(id) ? 1 : 0);
    for (const job of jobs) if (job !== id && candidates.has(job)) count -= 1;
    if (count === 0) continue;
    const list = [...joinInline(shown.map((p) => peer(ctx, p, stack))), count > shown.length ? ` and ${count - shown.length} more` : ''];
    const cites = [cite(...ranges(mine)), cite(...shown.flatMap((other) => coalesce((candidates.get(other) ?? []).map((m) => m.range))).slice(0, 12))];
    if (nested) items.push(['Its host path ', code(`${storage.name}/${mine[0]?.subpath ?? ''}`), ' lies inside ', code(storage.name), ', which ', ...list, count === 1 ? ' mounts whole.' : ' mount whole.', ...cites]);
    else items.push(['Shares ', storageWord(storage.key).toLowerCase(), ' ', code(storage.name), ' with ', ...list, '.', ...cites]);
  }

  // Networks it shares.
  for (const network of service.networkMode ? [] : service.networks.length ? service.networks.map((n) => ({ name: ctx.networkName(stack, n.value.name), range: n.range })) : [{ name: ctx.networkName(stack, 'default'), range: undefined }]) {
    const members = ctx.servicesOnNetwork.get(network.name) ?? [];
    const shown: Service[] = [];
    for (const p of members) {
      if (shown.length === 12) break;
      if (p !== service) shown.push(p);
    }
    if (shown.length === 0) continue;
    const more = Math.max(0, members.length - 1 - shown.length);
    const info = rel.networkByName.get(network.name);
    const declaration = ctx.lookup.networkDeclaration(network.name, stack.id);
    items.push([
      network.range ? 'Shares network ' : 'Shares the stack\'s default network ', code(network.name), ' with ', ...joinInline(shown.map((p) => servicePeer(ctx, p, stack))), more > 0 ? ` and ${more} more` : '', '.',
      cite(network.range ?? { file: service.range.file, startLine: service.range.startLine, endLine: service.range.startLine }),
      cite(declaration?.range ?? info?.members.find((m) => m.id === `${shown[0]?.stack}/${shown[0]?.name}`)?.range),
    ]);
  }

  // Who uses it.
  const incomingDepends = of(incoming, 'depends-on');
  const incomingUses = of(incoming, 'uses');
  const consumers = new Set(incomingUses.map((r) => r.from.id));
  for (const r of incomingUses) {
    const dependency = incomingDepends.find((d) => d.from.id === r.from.id);
    items.push([
      'Used by ', ...peer(ctx, r.from.id, stack), ...through(r), ...allocation(r), dependency ? `; it ${CONDITION_INCOMING[dependency.condition]}` : '', '.',
      cite(r.to.range), cite(...usesRanges(r), dependency?.from.range),
    ].flat() as Inline[]);
  }
  for (const r of incomingDepends) {
    if (consumers.has(r.from.id)) continue;
    items.push(['Required by ', ...peer(ctx, r.from.id, stack), ` (it ${CONDITION_INCOMING[r.condition]}).`, cite(r.to.range), cite(r.from.range)]);
  }
  for (const r of of(incoming, 'uses-endpoint')) {
    items.push([PURPOSE_IN[r.purpose], ...peer(ctx, r.from.id, stack), ...through(r), ', which names ', code(r.host), '.', cite(r.to.range), cite(...usesRanges(r))]);
  }
  for (const r of of(incoming, 'network-mode')) {
    items.push([...peer(ctx, r.from.id, stack), ' runs in this container\'s network stack (', code(`network_mode: ${ctx.serviceById.get(r.from.id)?.service.networkMode?.value ?? ''}`), ').', cite(r.to.range), cite(r.from.range)]);
  }
  for (const r of of(incoming, 'link')) {
    items.push(['Linked from ', ...peer(ctx, r.from.id, stack), ...(r.alias ? [' as ', code(r.alias)] : []), '.', cite(r.to.range), cite(r.from.range)]);
  }
  for (const r of of(incoming, 'proxied-by')) {
    items.push(['Publishes ', ...peer(ctx, r.from.id, stack), ...hostList(r.hosts), r.method === 'declared' ? ' (declared in its x-wiki)' : r.network ? [' over ', code(r.network)] : [], '.', cite(r.to.range), cite(r.from.range)].flat() as Inline[]);
  }
  for (const r of of(incoming, 'protected-by')) {
    items.push(['Protects ', ...peer(ctx, r.from.id, stack), r.middleware ? [' through the Traefik forward-auth middleware ', code(r.middleware)] : r.method === 'outpost-route' ? ' (it answers the outpost path on that service\'s host)' : ' (declared in its x-wiki)', '.', cite(r.to.range), cite(r.from.range)].flat() as Inline[]);
  }
  for (const [storage, list] of groupBy(of(outgoing, 'backup'), (r) => r.storage)) {
    const first = list[0] as BackupRelation;
    items.push([
      'Backs up ', storageWord(storage).toLowerCase(), ' ', code(first.storageName), first.location ? [' (location ', code(first.location.value), ...(first.schedule ? [', schedule ', code(first.schedule)] : []), ')'] : [], ' of ',
      ...joinInline(list.map((r) => peer(ctx, r.to.id, stack))), '.',
      cite(...coalesce([first.from.range, ...(first.location ? [first.location.range] : [])])), cite(...perService(list.map((r) => r.to)).slice(0, 12)),
    ].flat() as Inline[]);
  }

  // Findings about it.
  for (const skew of ctx.lookup.skewsOf(id)) {
    const me = skew.members.find((m) => m.id === id);
    if (!me) continue;
    const others = skew.members.filter((m) => m.tag !== me.tag);
    if (others.length === 0) continue;
    items.push([
      'Runs ', code(`${skew.repository}:${me.tag}`), ' while ', ...joinInline(others.map((o) => [...peer(ctx, o.id, stack), ' runs ', code(o.tag)])), ': keep the services of one image on one tag.',
      cite(me.range), cite(...perService(others)),
    ]);
  }
  for (const finding of ctx.lookup.findingsOf(id)) {
    if (finding.id === 'version-skew' || finding.id === 'unbacked-volume') continue;
    items.push([`Finding (${finding.id}): ${finding.message}`, cite(finding.range), cite(...(finding.related ?? []))]);
  }

  if (items.length === 0) items.push(['No dependencies, consumers or shared networks are declared in compose.', cite(service.range)]);
  return items;
}

function proxiedSentence(ctx: RenderContext, stack: Stack, r: ProxiedByRelation): Inline[] {
  const how = r.method === 'traefik-labels' ? ' through Traefik labels' : r.method === 'caddy-labels' ? ' through Caddy labels' : r.method === 'virtual-host' ? ' through VIRTUAL_HOST' : ' (declared in x-wiki)';
  return ['Published by ', ...peer(ctx, r.to.id, stack), ...hostList(r.hosts), how, ...(r.network ? [' over ', code(r.network)] : []), '.', cite(r.from.range), cite(r.to.range)];
}

function protectedSentence(ctx: RenderContext, stack: Stack, r: ProtectedByRelation): Inline[] {
  const how: Inline[] = r.middleware ? [' through the Traefik forward-auth middleware ', code(r.middleware)] : r.method === 'outpost-route' ? [', which answers its outpost path on this service\'s host'] : [' (declared in x-wiki)'];
  return ['Protected by ', ...peer(ctx, r.to.id, stack), ...how, '.', cite(r.from.range), cite(r.to.range)];
}

function hostList(hosts: readonly string[]): Inline[] {
  return hosts.length ? [' at ', ...joinInline(hosts.slice(0, 6).map((h) => [code(h)])), hosts.length > 6 ? ` and ${hosts.length - 6} more` : ''] : [];
}

function isProxyManager(ctx: RenderContext, service: Service): boolean {
  const repository = service.image?.value.repository.toLowerCase() ?? '';
  return /(^|\/)nginx-proxy-manager$/.test(repository) || ctx.catalog.byImage.get(repository)?.id === 'nginx-proxy-manager';
}

type StorageMount = StorageInfo['mounts'][number];
interface Mounters {
  /** Every mount by service, services in the order of their first mount. */
  readonly all: ReadonlyMap<ServiceId, readonly StorageMount[]>;
  /** The same for mounts of the storage's path itself (not below it). */
  readonly whole: ReadonlyMap<ServiceId, readonly StorageMount[]>;
}
const mountersCache = new WeakMap<StorageInfo, Mounters>();

/** A storage's mounts grouped by service once, instead of scanning them all for every service page. */
function mountersOf(storage: StorageInfo): Mounters {
  let found = mountersCache.get(storage);
  if (found) return found;
  const all = new Map<ServiceId, StorageMount[]>();
  const whole = new Map<ServiceId, StorageMount[]>();
  for (const mount of storage.mounts) {
    pushTo(all, mount.id, mount);
    if (mount.subpath === undefined) pushTo(whole, mount.id, mount);
  }
  found = { all, whole };
  mountersCache.set(storage, found);
  return found;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function storageWord(key: string): string {
  return key.startsWith('volume:') ? 'Volume' : 'Host path';
}

/** The service's mount of a storage: of the storage's path itself when it has one, else of a folder below it. */
function mountOf(ctx: RenderContext, id: ServiceId, storage: string): StorageMount | undefined {
  const mounts = ctx.relations.storageByKey.get(storage)?.mounts.filter((m) => m.id === id) ?? [];
  return mounts.find((m) => m.subpath === undefined) ?? mounts[0];
}

/** The host path `subpath` below `parent`. */
function below(parent: string, subpath: string): string {
  return parent.endsWith('/') ? `${parent}${subpath}` : `${parent}/${subpath}`;
}

function findingsAt(ctx: RenderContext, id: ServiceId, kind: Finding['id']): Finding[] {
  const service = ctx.serviceById.get(id)?.service;
  return service ? ctx.lookup.findingsOf(id).filter((f) => f.id === kind && inService(service, f.range)) : [];
}

function inService(service: Service, range: SourceRange): boolean {
  return service.definitions.some((d) => d.file === range.file && d.startLine <= range.startLine && range.endLine <= d.endLine);
}

const sameRange = (a: SourceRange, b: SourceRange) => a.file === b.file && a.startLine === b.startLine && a.endLine === b.endLine;

function groupBy<T>(list: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of list) {
    const k = key(item);
    const group = out.get(k);
    if (group) group.push(item);
    else out.set(k, [item]);
  }
  return out;
}

