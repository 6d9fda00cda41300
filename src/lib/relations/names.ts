/**
 * Names as Docker sees them: real network and volume names, service ids, and the index that
 * resolves a host name written in one service to another service of any stack — by service key,
 * `container_name`, `hostname`, network alias, Compose's default container name or a static
 * address — through maps, never by scanning every service.
 */
import type { NetworkDefinition, Project, Service, SourceRange, Stack, VolumeDefinition } from '../model/types.ts';
import type { Membership, NameSource, RepositoryReader, ServiceId } from './types.ts';

export const serviceId = (stack: string, service: string): ServiceId => `${stack}/${service}`;

/** The line of a service's key (where its name is written). */
export function keyLine(service: Service): SourceRange {
  return { file: service.range.file, startLine: service.range.startLine, endLine: service.range.startLine };
}

/** Line texts of repository files, read once. */
export class FileLines {
  readonly #read: RepositoryReader | undefined;
  readonly #cache = new Map<string, readonly string[] | undefined>();
  constructor(read: RepositoryReader | undefined) {
    this.#read = read;
  }
  get available(): boolean {
    return this.#read !== undefined;
  }
  text(path: string): string | undefined {
    if (!this.#read) return undefined;
    try {
      return this.#read(path);
    } catch {
      return undefined;
    }
  }
  lines(path: string): readonly string[] | undefined {
    if (!this.#cache.has(path)) this.#cache.set(path, this.text(path)?.split(/\r?\n/));
    return this.#cache.get(path);
  }
}

/**
 * True when a network or volume definition writes `name:` itself. The model keeps `name` equal to
 * the key both when `name: <key>` is written and when no name is given, but Docker then uses
 * `<key>` and `<project>_<key>` respectively; the definition's own lines tell them apart.
 */
function writesName(definition: NetworkDefinition | VolumeDefinition, files: FileLines, referencedExternally: boolean): boolean {
  if (definition.name !== definition.key) return true;
  const lines = files.lines(definition.range.file);
  if (!lines) return referencedExternally;
  let childIndent: number | undefined;
  for (let n = definition.range.startLine + 1; n <= definition.range.endLine; n++) {
    const line = lines[n - 1] ?? '';
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    childIndent ??= indent;
    if (indent === childIndent && /^name\s*:/.test(line.trimStart())) return true;
  }
  return false;
}

/** Real names of the networks and volumes of every stack. */
export class ResourceNames {
  readonly #networks = new Map<string, Map<string, string>>();
  readonly #volumes = new Map<string, Map<string, string>>();

  constructor(project: Project, files: FileLines) {
    const externalNetworks = new Set<string>();
    const externalVolumes = new Set<string>();
    for (const stack of project.stacks) {
      for (const n of stack.networks) if (n.external) externalNetworks.add(n.name);
      for (const v of stack.volumes) if (v.external) externalVolumes.add(v.name);
    }
    for (const stack of project.stacks) {
      const project = stack.name.value;
      const networks = new Map<string, string>();
      for (const n of stack.networks) {
        networks.set(n.key, n.external || writesName(n, files, externalNetworks.has(n.name)) ? n.name : `${project}_${n.key}`);
      }
      const volumes = new Map<string, string>();
      for (const v of stack.volumes) {
        volumes.set(v.key, v.external || writesName(v, files, externalVolumes.has(v.name)) ? v.name : `${project}_${v.key}`);
      }
      this.#networks.set(stack.id, networks);
      this.#volumes.set(stack.id, volumes);
    }
  }

  /** The real name of network `key` of `stack` (Compose prefixes undeclared and unnamed ones). */
  network(stack: Stack, key: string): string {
    return this.#networks.get(stack.id)?.get(key) ?? `${stack.name.value}_${key}`;
  }

  volume(stack: Stack, key: string): string {
    return this.#volumes.get(stack.id)?.get(key) ?? `${stack.name.value}_${key}`;
  }
}

/** A service of the project with what the relations need to know about it, computed once. */
export interface ServiceNode {
  readonly id: ServiceId;
  readonly stack: Stack;
  readonly service: Service;
  /** Position in project order (stacks, then services as declared). */
  readonly order: number;
  /** Network memberships (real names); for `network_mode: service:x`, those of x. */
  memberships: Membership[];
  /** Real network names this service can reach others on. */
  networks: Set<string>;
  /** The service whose network stack this one shares (`network_mode: service:x`). */
  networkParent?: ServiceNode;
}

interface NameCandidate {
  readonly node: ServiceNode;
  readonly source: NameSource;
  readonly range: SourceRange;
}

const SOURCE_RANK: Record<NameSource, number> = {
  service: 0,
  container_name: 0,
  alias: 1,
  'default-container-name': 1,
  ipv4_address: 1,
  hostname: 2,
};

export interface ResolvedHost {
  readonly node: ServiceNode;
  readonly source: NameSource;
  readonly range: SourceRange;
  readonly reachable: boolean;
}

/** Every name a service answers to, indexed per stack, per network and project-wide. */
export class NameIndex {
  readonly #byStack = new Map<string, Map<string, NameCandidate[]>>();
  readonly #byNetwork = new Map<string, Map<string, NameCandidate[]>>();
  readonly #global = new Map<string, NameCandidate[]>();

  add(node: ServiceNode, name: string, source: NameSource, range: SourceRange, networks?: Iterable<string>): void {
    const key = name.toLowerCase();
    const candidate: NameCandidate = { node, source, range };
    push(getOrCreate(this.#byStack, node.stack.id), key, candidate);
    push(this.#global, key, candidate);
    for (const network of networks ?? node.networks) push(getOrCreate(this.#byNetwork, network), key, candidate);
  }

  /**
   * Resolves `host` as seen from `from`: a name of its own stack first, then a name on a network
   * it shares, then a name no other service of the project has (then marked unreachable).
   */
  resolve(host: string, from: ServiceNode): ResolvedHost | undefined {
    const key = host.toLowerCase();
    const own = pick(this.#byStack.get(from.stack.id)?.get(key), from, (c) => c.source !== 'ipv4_address');
    if (own) return { ...own, reachable: sharesNetwork(from, own.node) || from.stack === own.node.stack };
    const onNetwork: NameCandidate[] = [];
    for (const network of from.networks) onNetwork.push(...(this.#byNetwork.get(network)?.get(key) ?? []));
    const shared = pick(onNetwork, from);
    if (shared) return { ...shared, reachable: true };
    const anywhere = pick(this.#global.get(key), from, (c) => c.source !== 'hostname' && c.source !== 'ipv4_address');
    return anywhere ? { ...anywhere, reachable: sharesNetwork(from, anywhere.node) } : undefined;
  }
}

/** The one service the candidates name (best name source first); undefined when none or ambiguous. */
function pick(candidates: readonly NameCandidate[] | undefined, from: ServiceNode, keep: (c: NameCandidate) => boolean = () => true): NameCandidate | undefined {
  if (!candidates?.length) return undefined;
  let best: NameCandidate | undefined;
  let ambiguous = false;
  for (const candidate of candidates) {
    if (!keep(candidate) || candidate.node === from || candidate.node === from.networkParent) continue;
    if (!best || SOURCE_RANK[candidate.source] < SOURCE_RANK[best.source]) {
      best = candidate;
      ambiguous = false;
    } else if (SOURCE_RANK[candidate.source] === SOURCE_RANK[best.source] && candidate.node !== best.node) ambiguous = true;
  }
  return ambiguous ? undefined : best;
}

export function sharesNetwork(a: ServiceNode, b: ServiceNode): boolean {
  const [small, large] = a.networks.size <= b.networks.size ? [a.networks, b.networks] : [b.networks, a.networks];
  for (const n of small) if (large.has(n)) return true;
  return false;
}

function getOrCreate<K, V>(map: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let inner = map.get(key);
  if (!inner) map.set(key, (inner = new Map()));
  return inner;
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
