/**
 * `buildRelations`: every relation between the services of a project, found through indexes
 * (names, networks, storage, endpoints, image repositories) so that the work grows with the
 * number of services, never with its square.
 */
import type { Catalog, CatalogEntry } from '../catalog/index.ts';
import { findCatalogEntry, normaliseImageRepository } from '../catalog/index.ts';
import { parseEnvFile } from '../compose/env-file.ts';
import { interpolate } from '../compose/interpolate.ts';
import { deepFreeze } from '../model/freeze.ts';
import { looksSecretValue, maskUrlCredentials } from '../model/secrets.ts';
import type { Project, Service, SourceRange, Stack } from '../model/types.ts';
import { caddyLabel, isSelfUrlName, middlewareName, readTraefikLabels, serviceEndpoints, type TraefikLabels } from './endpoints.ts';
import { allocationFindings, networkFindings, portAllocations, portConflicts, skewFindings, sortFindings, versionSkews } from './findings.ts';
import { catalogProtocol, findHostMentions, hostStem, isIpv4, nameSuggestsHost, schemeProtocol, type HostMention } from './hosts.ts';
import { FileLines, NameIndex, ResourceNames, keyLine, push, serviceId, type ServiceNode } from './names.ts';
import { backupRelations, collectStorages, freezeStorage } from './storage.ts';
import type {
  BuildRelationsOptions, Cited, Endpoint, EndpointPurpose, Finding, Membership, NetworkInfo, Protocol, ProxyMethod, Relation, RelationEnd, Relations,
  ServiceId, UsesRelation,
} from './types.ts';

const KIND_ORDER: Record<Relation['kind'], number> = {
  'depends-on': 0, 'network-mode': 1, link: 2, uses: 3, 'uses-endpoint': 4, 'proxied-by': 5, 'protected-by': 6, backup: 7,
};

/** A value of a service's environment, from `environment:` or (read from the file) from an `env_file`. */
interface EnvValue {
  readonly name: string;
  /** Undefined for secrets (their names still belong to a variable group). */
  readonly value?: string;
  readonly range: SourceRange;
  readonly via: 'environment' | 'env_file';
}

export function relationId(kind: string, from: ServiceId, to: ServiceId, range: SourceRange): string {
  return `${kind}:${from}->${to}@${range.file}:${range.startLine}`;
}

const end = (node: ServiceNode, range: SourceRange): RelationEnd => ({ id: node.id, stack: node.stack.id, service: node.service.name, range });

/** Builds every relation, network, storage, endpoint, allocation and finding of `project`. */
export function buildRelations(project: Project, catalog: Catalog, options: BuildRelationsOptions = {}): Relations {
  const files = new FileLines(options.read);
  const names = new ResourceNames(project, files);

  // Services, in project order, with their catalog entries.
  const nodes: ServiceNode[] = [];
  const byStack = new Map<string, Map<string, ServiceNode>>();
  for (const stack of project.stacks) {
    const local = new Map<string, ServiceNode>();
    for (const service of stack.services) {
      const node: ServiceNode = { id: serviceId(stack.id, service.name), stack, service, order: nodes.length, memberships: [], networks: new Set() };
      nodes.push(node);
      local.set(service.name, node);
    }
    byStack.set(stack.id, local);
  }
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const nodesOf = (stack: Stack): ServiceNode[] => [...(byStack.get(stack.id)?.values() ?? [])];
  const entries = new Map<ServiceNode, CatalogEntry | undefined>(nodes.map((n) => [n, catalogEntry(catalog, n.service)]));
  const roles = (node: ServiceNode) => entries.get(node)?.roles ?? [];
  const hasRole = (node: ServiceNode, role: string) => roles(node).includes(role as never);

  // Network memberships (the default network when a service lists none).
  for (const node of nodes) {
    const { stack, service } = node;
    if (service.networkMode) continue;
    if (service.networks.length === 0) {
      const network = names.network(stack, 'default');
      node.memberships.push({ network, id: node.id, stack: stack.id, service: service.name, range: keyLine(service), aliases: [] });
      node.networks.add(network);
      continue;
    }
    for (const written of service.networks) {
      const network = names.network(stack, written.value.name);
      node.memberships.push({
        network, id: node.id, stack: stack.id, service: service.name, range: written.range, aliases: written.value.aliases,
        ...(written.value.ipv4Address ? { ipv4Address: written.value.ipv4Address } : {}),
      });
      node.networks.add(network);
    }
  }

  // Names: service keys, container names, hostnames, aliases, default container names, static addresses.
  const index = new NameIndex();
  for (const node of nodes) {
    const { stack, service } = node;
    if (service.networkMode) continue;
    index.add(node, service.name, 'service', keyLine(service));
    if (service.containerName) index.add(node, service.containerName.value, 'container_name', service.containerName.range);
    else {
      index.add(node, `${stack.name.value}-${service.name}-1`, 'default-container-name', keyLine(service));
      index.add(node, `${stack.name.value}_${service.name}_1`, 'default-container-name', keyLine(service));
    }
    if (service.hostname) index.add(node, service.hostname.value, 'hostname', service.hostname.range);
    for (const membership of node.memberships) {
      for (const alias of membership.aliases) index.add(node, alias, 'alias', membership.range, [membership.network]);
      if (membership.ipv4Address) index.add(node, membership.ipv4Address, 'ipv4_address', membership.range, [membership.network]);
    }
  }

  const relations: Relation[] = [];

  // network_mode: service:x / container:x — the service lives in x's network stack.
  for (const node of nodes) {
    const mode = node.service.networkMode;
    if (!mode) continue;
    const [kind, target] = [mode.value.slice(0, mode.value.indexOf(':')), mode.value.slice(mode.value.indexOf(':') + 1)];
    if (kind !== 'service' && kind !== 'container') continue;
    const parent = kind === 'service' ? byStack.get(node.stack.id)?.get(target) : index.resolve(target, node)?.node;
    if (!parent) continue;
    node.networkParent = parent;
    node.networks = parent.networks;
    relations.push({ kind: 'network-mode', id: relationId('network-mode', node.id, parent.id, mode.range), from: end(node, mode.range), to: end(parent, kind === 'service' ? keyLine(parent.service) : parent.service.containerName?.range ?? keyLine(parent.service)) });
  }

  // depends_on, links, external_links.
  for (const node of nodes) {
    const local = byStack.get(node.stack.id);
    for (const dependency of node.service.dependsOn) {
      const target = local?.get(dependency.value.service);
      if (!target || target === node) continue;
      const { condition, required, restart } = dependency.value;
      relations.push({ kind: 'depends-on', id: relationId('depends-on', node.id, target.id, dependency.range), from: end(node, dependency.range), to: end(target, keyLine(target.service)), condition, required, restart });
    }
    for (const link of node.service.links) {
      const [name, alias] = link.value.split(':');
      const target = local?.get(name ?? '');
      if (!target || target === node) continue;
      relations.push({ kind: 'link', id: relationId('link', node.id, target.id, link.range), from: end(node, link.range), to: end(target, keyLine(target.service)), external: false, ...(alias ? { alias } : {}) });
    }
    for (const link of node.service.externalLinks) {
      const [name, alias] = link.value.split(':');
      const resolved = name ? index.resolve(name, node) : undefined;
      if (!resolved) continue;
      relations.push({ kind: 'link', id: relationId('link', node.id, resolved.node.id, link.range), from: end(node, link.range), to: end(resolved.node, resolved.range), external: true, ...(alias ? { alias } : {}) });
    }
  }

  // Endpoints: label-published hosts first; a service's own-URL variables only for hosts no other service publishes.
  const traefik = new Map<ServiceNode, TraefikLabels | undefined>(nodes.map((n) => [n, readTraefikLabels(n.service.labels)]));
  const endpoints: Endpoint[] = [];
  const endpointsByHost = new Map<string, Endpoint[]>();
  const fromEnvironment: Endpoint[] = [];
  for (const node of nodes) {
    for (const endpoint of serviceEndpoints(node.service, { id: node.id, stack: node.stack.id, service: node.service.name }, traefik.get(node))) {
      if (endpoint.source === 'environment') fromEnvironment.push(endpoint);
      else {
        endpoints.push(endpoint);
        push(endpointsByHost, endpoint.host, endpoint);
      }
    }
  }
  for (const endpoint of fromEnvironment) {
    const others = endpointsByHost.get(endpoint.host)?.filter((e) => e.id !== endpoint.id) ?? [];
    if (others.length > 0) continue;
    endpoints.push(endpoint);
    push(endpointsByHost, endpoint.host, endpoint);
  }
  endpoints.sort((a, b) => (nodeById.get(a.id)?.order ?? 0) - (nodeById.get(b.id)?.order ?? 0) || a.range.startLine - b.range.startLine);
  const endpointsOf = new Map<ServiceId, Endpoint[]>();
  for (const endpoint of endpoints) push(endpointsOf, endpoint.id, endpoint);

  // Host references in environment values, env_file values, commands and labels.
  const envValues = environmentReader(files);
  for (const node of nodes) {
    relations.push(...hostReferences(node, envValues(node), index, endpointsByHost, endpointsOf.get(node.id) ?? [], nodeById, entries, roles));
  }

  // Reverse proxies and what they publish.
  relations.push(...proxyRelations(nodes, nodeById, traefik, endpoints, endpointsOf, entries, index, byStack));

  // Storage and backups.
  const { storages, storagesOf } = collectStorages(project.stacks, nodesOf, names, (n) => hasRole(n, 'database'), files);
  const jobs = nodes.filter((n) => hasRole(n, 'backup'));
  relations.push(...backupRelations(jobs, storages, storagesOf, files, (n) => entries.get(n)?.id === 'autorestic', relationId));

  // Networks.
  const networks = new Map<string, { name: string; declarations: NetworkInfo['declarations'][number][]; members: Membership[] }>();
  const network = (name: string) => {
    let found = networks.get(name);
    if (!found) networks.set(name, (found = { name, declarations: [], members: [] }));
    return found;
  };
  for (const stack of project.stacks) for (const n of stack.networks) network(names.network(stack, n.key)).declarations.push({ stack: stack.id, key: n.key, external: n.external, range: n.range });
  for (const node of nodes) for (const m of node.memberships) network(m.network).members.push(m);

  // Findings.
  const ports = portAllocations(nodes);
  const skews = versionSkews(project.stacks, nodesOf);
  const uses = relations.filter((r): r is UsesRelation => r.kind === 'uses');
  const applicationOf = (id: string) => {
    const image = nodeById.get(id)?.service.image?.value;
    return image ? normaliseImageRepository({ repository: image.repository, ...(image.registry ? { registry: image.registry } : {}) }) : id;
  };
  const findings: Finding[] = [
    ...skewFindings(skews),
    ...portConflicts(ports),
    ...allocationFindings(uses, applicationOf),
    ...networkFindings(project.stacks, nodesOf, names),
    ...proxyFindings(nodes, traefik, relations, entries),
  ];
  if (jobs.length > 0) {
    for (const storage of storages.values()) {
      if (!storage.stateful || storage.backedUpBy.size > 0) continue;
      const owner = storage.mounts.find((m) => !m.readOnly && m.subpath === undefined) ?? storage.mounts[0];
      if (!owner) continue;
      findings.push({
        id: 'unbacked-volume',
        severity: 'warning',
        message: `${storage.kind === 'volume' ? 'Volume' : 'Host path'} ${storage.name} holds the data of ${owner.id} and no backup job of this repository (${jobs.slice(0, 3).map((j) => j.id).join(', ')}${jobs.length > 3 ? `, … ${jobs.length} jobs` : ''}) covers it.`,
        range: owner.range,
        related: storage.declarations.map((d) => d.range),
      });
    }
  }

  relations.sort((a, b) => {
    const fa = nodeById.get(a.from.id)?.order ?? 0;
    const fb = nodeById.get(b.from.id)?.order ?? 0;
    return fa - fb || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.from.range.startLine - b.from.range.startLine || (nodeById.get(a.to.id)?.order ?? 0) - (nodeById.get(b.to.id)?.order ?? 0);
  });
  const outgoing = new Map<ServiceId, Relation[]>();
  const incoming = new Map<ServiceId, Relation[]>();
  for (const relation of relations) {
    push(outgoing, relation.from.id, relation);
    push(incoming, relation.to.id, relation);
  }
  const networksOf = new Map<ServiceId, string[]>();
  for (const node of nodes) networksOf.set(node.id, [...node.networks]);
  const networkList = [...networks.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const storageList = [...storages.values()].filter((s) => s.mounts.length > 0).map(freezeStorage);
  const known = new Set(project.files.map((f) => f.path));
  const cited = new Set(relations.flatMap((r) => (r.kind === 'backup' && r.location ? [r.location.range.file] : [])));
  const extraFiles = [...cited].filter((f) => !known.has(f)).sort().map((path) => ({ path, kind: 'other' as const, lineCount: lineCount(files.lines(path)) }));
  const result: Relations = {
    relations,
    networks: networkList,
    storages: storageList,
    endpoints,
    ports,
    versionSkews: skews,
    findings: sortFindings(findings),
    outgoing,
    incoming,
    networksOf,
    storagesOf,
    networkByName: new Map(networkList.map((n) => [n.name, n])),
    storageByKey: new Map(storageList.map((s) => [s.key, s])),
    files: extraFiles,
  };
  // Maps are not reached by deepFreeze: freeze their lists, and the maps' contents are the frozen data.
  for (const map of [outgoing, incoming, networksOf, storagesOf]) for (const list of map.values()) Object.freeze(list);
  return deepFreeze(result);
}

/** Lines of a file as the loader counts them (a final newline ends the last line). */
function lineCount(lines: readonly string[] | undefined): number {
  if (!lines) return 0;
  return lines.at(-1) === '' ? lines.length - 1 : lines.length;
}

/** The findings of the relations, for `check`. */
export function relationFindings(relations: Relations): readonly Finding[] {
  return relations.findings;
}

function catalogEntry(catalog: Catalog, service: Service): CatalogEntry | undefined {
  const image = service.image?.value;
  if (!image) return undefined;
  const command = service.command?.value.split(/\s+/)[0];
  return findCatalogEntry(catalog, { repository: image.repository, ...(image.registry ? { registry: image.registry } : {}) }, command);
}

/**
 * The environment values of a service: `environment:` values the model keeps (never secrets), and
 * with a repository reader the values of non-secret `env_file` variables, interpolated with the
 * stack's `.env` (or example) the way Compose does.
 */
function environmentReader(files: FileLines): (node: ServiceNode) => EnvValue[] {
  const parsed = new Map<string, ReadonlyMap<string, string> | undefined>();
  const valuesOf = (path: string) => {
    if (!parsed.has(path)) {
      const text = files.text(path);
      parsed.set(path, text === undefined ? undefined : parseEnvFile(text).values);
    }
    return parsed.get(path);
  };
  const lookups = new Map<string, (name: string) => string | undefined>();
  const lookupOf = (stack: Stack) => {
    let lookup = lookups.get(stack.id);
    if (!lookup) {
      const layers = stack.envFiles.filter((f) => f.role !== 'env_file').map((f) => valuesOf(f.path)).filter((v): v is ReadonlyMap<string, string> => v !== undefined);
      lookup = (name: string) => {
        for (const layer of layers) {
          const value = layer.get(name);
          if (value !== undefined) return value;
        }
        return undefined;
      };
      lookups.set(stack.id, lookup);
    }
    return lookup;
  };
  return (node) => {
    const out: EnvValue[] = [];
    for (const env of node.service.environment) {
      const secret = { name: env.name, range: env.range, via: env.origin === 'env_file' ? ('env_file' as const) : ('environment' as const) };
      if (env.secret) out.push(secret);
      else if (env.origin === 'env_file') {
        const raw = files.available && env.envFile ? valuesOf(env.envFile)?.get(env.name) : undefined;
        const value = raw !== undefined && raw.includes('$') ? interpolate(raw, lookupOf(node.stack)).value : raw;
        if (raw === undefined || value === undefined || looksSecretValue(value) || looksSecretValue(raw)) out.push(secret);
        else out.push({ ...secret, value: maskUrlCredentials(value) });
      } else out.push(env.value === undefined ? secret : { ...secret, value: env.value });
    }
    return out;
  };
}

interface UsesDraft {
  /** Stem of the host variable, for the group's label. */
  stem?: string;
  from: ServiceNode;
  to: ServiceNode;
  fromRange: SourceRange;
  toRange: SourceRange;
  via: UsesRelation['via'];
  variables: Cited<string>[];
  host: string;
  port?: string;
  protocol: Protocol;
  matchedBy: UsesRelation['matchedBy'];
  reachable: boolean;
  database?: Cited<string>;
  user?: Cited<string>;
  redisDb?: Cited<number> & { implicit?: boolean };
}

const SQL_LIKE = new Set<Protocol>(['postgres', 'mysql', 'mongodb']);
const ROLE_NO_CONSUMER = ['database', 'cache', 'message-broker'];

/** Host references of one service: `uses` relations to services, `uses-endpoint` relations to public URLs. */
function hostReferences(
  node: ServiceNode,
  env: readonly EnvValue[],
  index: NameIndex,
  endpointsByHost: ReadonlyMap<string, readonly Endpoint[]>,
  ownEndpoints: readonly Endpoint[],
  nodeById: ReadonlyMap<ServiceId, ServiceNode>,
  entries: ReadonlyMap<ServiceNode, CatalogEntry | undefined>,
  roles: (node: ServiceNode) => readonly string[],
): Relation[] {
  const drafts = new Map<ServiceNode, UsesDraft>();
  const endpointDrafts = new Map<ServiceNode, { endpoint: Endpoint; variables: Cited<string>[]; purpose: EndpointPurpose; fromRange: SourceRange }>();
  const serverLike = roles(node).some((r) => ROLE_NO_CONSUMER.includes(r));
  const ownHosts = new Set(ownEndpoints.map((e) => e.host));

  interface Mention { readonly mention: HostMention; readonly name: string; readonly range: SourceRange; readonly via: UsesRelation['via'] }
  const mentions: Mention[] = [];
  for (const e of env) {
    // A shared env_file also reaches database containers, which do not act on other services' hosts.
    if (e.value === undefined || (e.via === 'env_file' && serverLike)) continue;
    for (const mention of findHostMentions(e.value, nameSuggestsHost(e.name))) mentions.push({ mention, name: e.name, range: e.range, via: e.via });
  }
  if (node.service.command) for (const mention of findHostMentions(node.service.command.value, false)) mentions.push({ mention, name: 'command', range: node.service.command.range, via: 'command' });
  for (const label of node.service.labels) {
    if (label.value.value === undefined || /^(homepage|traefik\.http\.routers|net\.unraid)\./i.test(label.value.key)) continue;
    for (const mention of findHostMentions(label.value.value, false)) if (mention.form === 'url') mentions.push({ mention, name: label.value.key, range: label.range, via: 'label' });
  }

  // Which variables name which provider (so that a group never absorbs another provider's variable).
  const targetOfVariable = new Map<string, ServiceNode>();
  const resolvedMentions: { m: Mention; target: ServiceNode; source: UsesRelation['matchedBy']; range: SourceRange; reachable: boolean }[] = [];
  for (const m of mentions) {
    const resolved = index.resolve(m.mention.host, node);
    if (resolved && (!isIpv4(m.mention.host) || resolved.source === 'ipv4_address')) {
      resolvedMentions.push({ m, target: resolved.node, source: resolved.source, range: resolved.range, reachable: resolved.reachable });
      if (!targetOfVariable.has(m.name)) targetOfVariable.set(m.name, resolved.node);
      continue;
    }
    if (!m.mention.host.includes('.') || ownHosts.has(m.mention.host) || m.via === 'label' || isSelfUrlName(m.name)) continue;
    const publishers = (endpointsByHost.get(m.mention.host) ?? []).filter((e) => e.id !== node.id && e.id !== node.networkParent?.id);
    const primary = publishers.filter((e) => !e.pathOnly);
    const chosen = primary.length > 0 ? primary : publishers;
    const services = new Set(chosen.map((e) => e.id));
    const endpoint = chosen[0];
    if (services.size !== 1 || !endpoint) continue;
    const target = nodeById.get(endpoint.id);
    if (!target) continue;
    const draft = endpointDrafts.get(target);
    const variable = { value: m.name, range: m.range };
    if (draft) {
      if (!draft.variables.some((v) => v.value === m.name)) draft.variables.push(variable);
    } else endpointDrafts.set(target, { endpoint, variables: [variable], purpose: purposeOf(m.name, m.mention, entries.get(target)), fromRange: m.range });
  }

  for (const { m, target, source, range, reachable } of resolvedMentions) {
    const provider = entries.get(target);
    const protocol = schemeProtocol(m.mention.scheme) === 'http' && catalogProtocol(provider?.protocol) ? (catalogProtocol(provider?.protocol) as Protocol) : (schemeProtocol(m.mention.scheme) ?? catalogProtocol(provider?.protocol) ?? 'other');
    const group = m.via === 'environment' || m.via === 'env_file' ? variableGroup(m.name, env, (name) => targetOfVariable.get(name), target) : [{ value: m.name, range: m.range }];
    const attributes = connectionAttributes(m, group, env, protocol);
    const existing = drafts.get(target);
    if (existing) {
      for (const v of group) if (!existing.variables.some((x) => x.value === v.value)) existing.variables.push(v);
      existing.database ??= attributes.database;
      existing.user ??= attributes.user;
      if (!existing.redisDb || (existing.redisDb.implicit && attributes.redisDb && !attributes.redisDb.implicit)) {
        if (attributes.redisDb) existing.redisDb = attributes.redisDb;
      }
      continue;
    }
    const stem = hostStem(m.name);
    drafts.set(target, {
      ...(stem ? { stem } : {}),
      from: node, to: target, fromRange: m.range, toRange: range, via: m.via, variables: group, host: m.mention.host, protocol, matchedBy: source, reachable,
      ...(m.mention.port ? { port: m.mention.port } : {}),
      ...attributes,
    });
  }

  const out: Relation[] = [];
  for (const d of drafts.values()) {
    const variables = [...d.variables].sort((a, b) => a.range.startLine - b.range.startLine);
    out.push({
      kind: 'uses', id: relationId('uses', d.from.id, d.to.id, d.fromRange), from: end(d.from, d.fromRange), to: end(d.to, d.toRange),
      via: d.via, variables, label: groupLabel(variables.map((v) => v.value), d.stem), host: d.host, protocol: d.protocol, matchedBy: d.matchedBy, reachable: d.reachable,
      ...(d.port ? { port: d.port } : {}), ...(d.database ? { database: d.database } : {}), ...(d.user ? { user: d.user } : {}), ...(d.redisDb ? { redisDb: d.redisDb } : {}),
    });
  }
  for (const [target, d] of endpointDrafts) {
    if (drafts.has(target)) continue;
    out.push({
      kind: 'uses-endpoint', id: relationId('uses-endpoint', node.id, target.id, d.fromRange), from: end(node, d.fromRange), to: end(target, d.endpoint.range),
      variables: d.variables, label: groupLabel(d.variables.map((v) => v.value)), host: d.endpoint.host, purpose: d.purpose,
    });
  }
  return out;
}

/**
 * The variables configuring one connection: those sharing the host variable's stem
 * (`AUTHENTIK_POSTGRESQL__HOST` → every `AUTHENTIK_POSTGRESQL__*`), minus variables that name
 * another provider (`PAPERLESS_TIKA_GOTENBERG_ENDPOINT` is not part of `PAPERLESS_TIKA_*`).
 */
function variableGroup(name: string, env: readonly EnvValue[], targetOf: (name: string) => ServiceNode | undefined, target: ServiceNode): Cited<string>[] {
  const stem = hostStem(name);
  const self = env.find((e) => e.name === name);
  if (!stem) return self ? [{ value: name, range: self.range }] : [];
  const members = env.filter((e) => e.name.startsWith(stem) && (e.name === name || (targetOf(e.name) ?? target) === target));
  return members.map((e) => ({ value: e.name, range: e.range }));
}

/**
 * How to write a group of variables: `DB_POSTGRESDB_*` when they share a prefix (cut back to a
 * `_` boundary, never shorter than the host variable's stem), else the names joined.
 */
export function groupLabel(names: readonly string[], stem?: string): string {
  if (names.length === 1) return names[0] as string;
  let prefix = names[0] ?? '';
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  if (!prefix.endsWith('_') && prefix !== stem) {
    const cut = prefix.slice(0, prefix.lastIndexOf('_') + 1);
    prefix = stem && cut.length < stem.length && prefix.startsWith(stem) ? stem : cut;
  }
  return prefix.length >= 3 && /[A-Za-z]/.test(prefix) ? `${prefix}*` : names.join(', ');
}

const USER_SUFFIX = /^_*(DB_?)?USER(_?NAME)?$/i;
const DATABASE_SUFFIX = /^_*(DB_?)?(NAME|DB|DATABASE|DATABASE_NAME|DBNAME)$/i;
const REDIS_DB_SUFFIX = /^_*(DB|DBINDEX|DB_INDEX|DATABASE|INDEX|DATABASE_INDEX)$/i;

/** Database, user and Redis index the consumer configures, from its variables or the URL it writes. */
function connectionAttributes(m: { mention: HostMention; range: SourceRange; name: string }, group: readonly Cited<string>[], env: readonly EnvValue[], protocol: Protocol): Pick<UsesDraft, 'database' | 'user' | 'redisDb'> {
  const out: Pick<UsesDraft, 'database' | 'user' | 'redisDb'> = {};
  const stem = hostStem(m.name) ?? '';
  const valueOf = new Map(env.map((e) => [e.name, e]));
  for (const variable of group) {
    if (variable.value === m.name) continue;
    const e = valueOf.get(variable.value);
    const value = e?.value?.trim();
    if (!e || !value) continue;
    const rest = variable.value.slice(stem.length);
    if (protocol === 'redis') {
      if (REDIS_DB_SUFFIX.test(rest) && /^\d+$/.test(value)) out.redisDb ??= { value: Number(value), range: e.range };
    } else if (SQL_LIKE.has(protocol)) {
      if (USER_SUFFIX.test(rest)) out.user ??= { value, range: e.range };
      else if (DATABASE_SUFFIX.test(rest)) out.database ??= { value, range: e.range };
    }
  }
  const path = m.mention.path?.trim();
  if (protocol === 'redis') {
    if (!out.redisDb && path && /^\d+$/.test(path)) out.redisDb = { value: Number(path), range: m.range };
    out.redisDb ??= { value: 0, range: m.range, implicit: true };
  } else if (SQL_LIKE.has(protocol)) {
    if (!out.database && path && m.mention.form === 'url') out.database = { value: path, range: m.range };
    if (!out.user && m.mention.user) out.user = { value: m.mention.user, range: m.range };
  }
  return out;
}

const SIGN_IN = /OIDC|OAUTH|OPENID|SSO|SAML|AUTHENTIK|KEYCLOAK|AUTHELIA|ISSUER|LOGIN|SOCIALACCOUNT|\.well-known\/openid|\/application\/o\/|\/realms\//i;

function purposeOf(name: string, mention: HostMention, provider: CatalogEntry | undefined): EndpointPurpose {
  const text = `${name} ${mention.path ?? ''}`;
  const idp = provider?.roles.includes('identity-provider') ?? false;
  if (SIGN_IN.test(name) || (idp && (SIGN_IN.test(text) || /AUTH/i.test(name)))) return 'sign-in';
  if (/WEBHOOK|HOOK_URL/i.test(name)) return 'webhook';
  if (/NOTIF|NTFY|GOTIFY|APPRISE|SHOUTRRR|ALERT/i.test(name) || mention.scheme === 'ntfy' || mention.scheme === 'gotify') return 'notifications';
  return idp ? 'sign-in' : 'api';
}

/** True when a Traefik's command or environment turns `exposedByDefault` off for the Docker provider. */
function exposedByDefaultOff(service: Service): boolean {
  if (/providers\.docker\.exposedbydefault[= ]+false/i.test(service.command?.value ?? '')) return true;
  return service.environment.some((e) => e.name.toUpperCase() === 'TRAEFIK_PROVIDERS_DOCKER_EXPOSEDBYDEFAULT' && e.value?.trim().toLowerCase() === 'false');
}

/** Proxies by kind of service: Traefik, caddy-docker-proxy, nginx-proxy (VIRTUAL_HOST). */
function proxyKind(node: ServiceNode, entry: CatalogEntry | undefined): ProxyMethod | undefined {
  if (entry?.id === 'traefik') return 'traefik-labels';
  if (entry?.id === 'caddy-docker-proxy') return 'caddy-labels';
  const repository = node.service.image?.value.repository.toLowerCase() ?? '';
  if (/(^|\/)(nginx-proxy|docker-gen)$/.test(repository)) return 'virtual-host';
  return undefined;
}

/** Which reverse proxy publishes which service, and which forward-auth service protects it. */
function proxyRelations(
  nodes: readonly ServiceNode[],
  nodeById: ReadonlyMap<ServiceId, ServiceNode>,
  traefik: ReadonlyMap<ServiceNode, TraefikLabels | undefined>,
  endpoints: readonly Endpoint[],
  endpointsOf: ReadonlyMap<ServiceId, readonly Endpoint[]>,
  entries: ReadonlyMap<ServiceNode, CatalogEntry | undefined>,
  index: NameIndex,
  byStack: ReadonlyMap<string, ReadonlyMap<string, ServiceNode>>,
): Relation[] {
  const out: Relation[] = [];
  const done = new Set<string>();
  const add = (relation: Relation) => {
    const key = `${relation.kind}|${relation.from.id}|${relation.to.id}`;
    if (done.has(key)) return;
    done.add(key);
    out.push(relation);
  };
  // Proxies by the networks they are on.
  const proxiesOn = new Map<string, { node: ServiceNode; method: ProxyMethod; range: SourceRange; optIn: boolean }[]>();
  for (const node of nodes) {
    const method = proxyKind(node, entries.get(node));
    // Traefik with `exposedbydefault=false` only routes containers labelled `traefik.enable=true`.
    const optIn = method === 'traefik-labels' && exposedByDefaultOff(node.service);
    if (method) for (const m of node.memberships) push(proxiesOn, m.network, { node, method, range: m.range, optIn });
  }
  const proxyOnNetwork = (node: ServiceNode, method: ProxyMethod, preferred?: string, enabled = true) => {
    const candidates: { proxy: ServiceNode; network: string; range: SourceRange }[] = [];
    const networks = preferred && node.networks.has(preferred) ? [preferred] : [...node.networks];
    for (const network of networks) {
      for (const p of proxiesOn.get(network) ?? []) {
        if (p.method !== method || p.node === node || (p.optIn && !enabled) || candidates.some((c) => c.proxy === p.node)) continue;
        candidates.push({ proxy: p.node, network, range: p.range });
      }
    }
    return candidates;
  };
  const hostsOf = (node: ServiceNode, source?: Endpoint['source']) => [...new Set((endpointsOf.get(node.id) ?? []).filter((e) => (source === undefined || e.source === source) && !e.pathOnly).map((e) => e.host))];

  for (const node of nodes) {
    const labels = traefik.get(node);
    if (labels && labels.enable?.value !== false) {
      const rule = labels.routers.find((r) => r.rule && !r.pathOnly)?.rule;
      const fromRange = rule?.range ?? labels.enable?.range ?? labels.first;
      if (fromRange && (labels.routers.some((r) => r.rule) || labels.hasService)) {
        for (const c of proxyOnNetwork(node, 'traefik-labels', labels.network?.value, labels.enable?.value === true)) {
          add({ kind: 'proxied-by', id: relationId('proxied-by', node.id, c.proxy.id, fromRange), from: end(node, fromRange), to: end(c.proxy, c.range), method: 'traefik-labels', network: c.network, hosts: hostsOf(node, 'traefik') });
        }
      }
    }
    const caddy = caddyLabel(node.service);
    if (caddy) {
      for (const c of proxyOnNetwork(node, 'caddy-labels')) add({ kind: 'proxied-by', id: relationId('proxied-by', node.id, c.proxy.id, caddy.range), from: end(node, caddy.range), to: end(c.proxy, c.range), method: 'caddy-labels', network: c.network, hosts: hostsOf(node, 'caddy') });
    }
    const virtualHost = node.service.environment.find((e) => e.name === 'VIRTUAL_HOST');
    if (virtualHost) {
      for (const c of proxyOnNetwork(node, 'virtual-host')) add({ kind: 'proxied-by', id: relationId('proxied-by', node.id, c.proxy.id, virtualHost.range), from: end(node, virtualHost.range), to: end(c.proxy, c.range), method: 'virtual-host', network: c.network, hosts: hostsOf(node, 'virtual-host') });
    }
  }

  // Forward-auth middlewares (name → the service answering the address) and the routers using them.
  const guards = new Map<string, { guard: ServiceNode; range: SourceRange }>();
  for (const node of nodes) {
    for (const auth of traefik.get(node)?.forwardAuth ?? []) {
      const host = findHostMentions(auth.address.value, false)[0]?.host;
      if (!host) continue;
      const owned = [node.service.name, node.service.containerName?.value, node.service.hostname?.value].some((n) => n?.toLowerCase() === host);
      const guard = owned ? node : index.resolve(host, node)?.node;
      if (guard && !guards.has(auth.name)) guards.set(auth.name, { guard, range: auth.address.range });
    }
  }
  for (const node of nodes) {
    const labels = traefik.get(node);
    if (!labels || labels.enable?.value === false) continue;
    for (const router of labels.routers) {
      for (const reference of router.middlewares?.value ?? []) {
        const name = middlewareName(reference);
        const guard = name ? guards.get(name) : undefined;
        if (!guard || guard.guard === node || !router.middlewares) continue;
        add({ kind: 'protected-by', id: relationId('protected-by', node.id, guard.guard.id, router.middlewares.range), from: end(node, router.middlewares.range), to: end(guard.guard, guard.range), method: 'traefik-middleware', middleware: name as string });
      }
    }
  }
  // Auth outposts routing their own path on other services' hosts.
  const publishers = new Map<string, Endpoint[]>();
  for (const e of endpoints) if (!e.pathOnly && e.source !== 'environment') push(publishers, e.host, e);
  for (const node of nodes) {
    if (!(entries.get(node)?.roles.includes('auth-outpost') ?? false)) continue;
    for (const router of traefik.get(node)?.routers ?? []) {
      if (!router.pathOnly || !router.rule) continue;
      for (const host of router.hosts) {
        for (const e of publishers.get(host) ?? []) {
          if (e.id === node.id) continue;
          const from = nodeById.get(e.id);
          if (!from) continue;
          add({ kind: 'protected-by', id: relationId('protected-by', from.id, node.id, e.range), from: end(from, e.range), to: end(node, router.rule.range), method: 'outpost-route' });
        }
      }
    }
  }
  // Declared in x-wiki: proxied_by / protected_by (names of services). Nginx Proxy Manager can only be declared.
  for (const node of nodes) {
    const field = node.service.extensions['x-wiki'];
    if (!field || !field.value || typeof field.value !== 'object' || Array.isArray(field.value)) continue;
    const record = field.value as Record<string, unknown>;
    for (const [key, kind] of [['proxied_by', 'proxied-by'], ['protected_by', 'protected-by']] as const) {
      const written = record[key];
      const targets = (Array.isArray(written) ? written : [written]).filter((t): t is string => typeof t === 'string');
      for (const name of targets) {
        const target = byStack.get(node.stack.id)?.get(name) ?? index.resolve(name, node)?.node;
        if (!target || target === node) continue;
        if (kind === 'proxied-by') add({ kind, id: relationId(kind, node.id, target.id, field.range), from: end(node, field.range), to: end(target, keyLine(target.service)), method: 'declared', hosts: hostsOf(node) });
        else add({ kind, id: relationId(kind, node.id, target.id, field.range), from: end(node, field.range), to: end(target, keyLine(target.service)), method: 'declared' });
      }
    }
  }
  return out;
}


/** Services with Traefik routes that share no network with any Traefik of the project. */
function proxyFindings(nodes: readonly ServiceNode[], traefik: ReadonlyMap<ServiceNode, TraefikLabels | undefined>, relations: readonly Relation[], entries: ReadonlyMap<ServiceNode, CatalogEntry | undefined>): Finding[] {
  const proxies = nodes.filter((n) => entries.get(n)?.id === 'traefik');
  if (proxies.length === 0) return [];
  const proxied = new Set(relations.filter((r) => r.kind === 'proxied-by' && r.method === 'traefik-labels').map((r) => r.from.id));
  const out: Finding[] = [];
  for (const node of nodes) {
    const labels = traefik.get(node);
    if (!labels || labels.enable?.value !== true || proxied.has(node.id) || proxies.includes(node) || node.networkParent) continue;
    const rule = labels.routers.find((r) => r.rule)?.rule;
    if (!rule) continue;
    out.push({
      id: 'proxy-unreachable',
      severity: 'warning',
      message: `${node.id} has Traefik routes but shares no network with ${proxies.map((p) => p.id).join(', ')}${labels.network ? ` (traefik.docker.network is "${labels.network.value}")` : ''}; Traefik cannot reach it.`,
      range: rule.range,
      related: [...(labels.network ? [labels.network.range] : []), ...proxies.flatMap((p) => p.memberships.map((m) => m.range))],
    });
  }
  return out;
}

