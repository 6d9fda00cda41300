/**
 * Allocations and the conflicts between them, version skew, and network declarations that do
 * not match their use: the findings `check` reports. Each is found through maps or one sorted
 * sweep, so a project of thousands of services is read in near-linear time.
 */
import { normaliseImageRepository } from '../catalog/index.ts';
import type { SourceRange, Stack } from '../model/types.ts';
import type { ResourceNames, ServiceNode } from './names.ts';
import { keyLine, push } from './names.ts';
import type { Finding, PortAllocation, UsesRelation, VersionSkew } from './types.ts';

const WILDCARD_IPS = new Set(['', '0.0.0.0', '::', '[::]', '*']);

/** Published host ports of every service (ports whose number did not resolve are skipped). */
export function portAllocations(nodes: readonly ServiceNode[]): PortAllocation[] {
  const out: PortAllocation[] = [];
  for (const node of nodes) {
    for (const port of node.service.ports) {
      const published = port.value.published?.trim();
      const match = published ? /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(published) : null;
      if (!match) continue;
      const first = Number(match[1]);
      const last = match[2] ? Number(match[2]) : first;
      if (first < 1 || last > 65535 || last < first) continue;
      const ip = port.value.hostIp?.trim() ?? '';
      out.push({
        id: node.id,
        stack: node.stack.id,
        service: node.service.name,
        range: port.range,
        ...(WILDCARD_IPS.has(ip) ? {} : { hostIp: ip.replace(/^\[|\]$/g, '') }),
        first,
        last,
        protocol: port.value.protocol,
      });
    }
  }
  return out;
}

const portText = (p: PortAllocation) => `${p.first === p.last ? p.first : `${p.first}-${p.last}`}/${p.protocol}`;

/**
 * Two services publishing overlapping host ports on one protocol and overlapping addresses. Single
 * ports are grouped by number (a map); port ranges, which are rare, are swept in port order. Each
 * port is reported against the first earlier one it collides with.
 */
export function portConflicts(ports: readonly PortAllocation[]): Finding[] {
  const findings: Finding[] = [];
  const report = (port: PortAllocation, clash: PortAllocation) => {
    const shared = Math.max(clash.first, port.first);
    findings.push({
      id: 'port-conflict',
      severity: 'warning',
      message: `${port.id} and ${clash.id} both publish host port ${shared}/${port.protocol}${port.hostIp && clash.hostIp ? ` on ${port.hostIp}` : ''}${port.first !== port.last || clash.first !== clash.last ? ` (${portText(port)} and ${portText(clash)})` : ''}; only one of them can start on one host.`,
      range: port.range,
      related: [clash.range],
    });
  };
  const overlaps = (a: PortAllocation, b: PortAllocation) => a.id !== b.id && (a.hostIp === undefined || b.hostIp === undefined || a.hostIp === b.hostIp);
  interface Seen { any?: PortAllocation; wildcard?: PortAllocation; byIp: Map<string, PortAllocation> }
  const singles = new Map<string, Seen>();
  const ranges: PortAllocation[] = [];
  for (const port of ports) {
    if (port.first !== port.last) {
      ranges.push(port);
      continue;
    }
    const key = `${port.protocol}:${port.first}`;
    let seen = singles.get(key);
    if (!seen) singles.set(key, (seen = { byIp: new Map() }));
    const candidates = port.hostIp === undefined ? [seen.any] : [seen.wildcard, seen.byIp.get(port.hostIp)];
    const clash = candidates.find((c): c is PortAllocation => c !== undefined && overlaps(c, port));
    if (clash) report(port, clash);
    seen.any ??= port;
    if (port.hostIp === undefined) seen.wildcard ??= port;
    else if (!seen.byIp.has(port.hostIp)) seen.byIp.set(port.hostIp, port);
  }
  if (ranges.length > 0) {
    // Ranges against everything: one sweep per protocol in port order.
    const singlesList = ports.filter((p) => p.first === p.last);
    const byProtocol = new Map<string, PortAllocation[]>();
    for (const p of [...ranges, ...singlesList]) {
      const list = byProtocol.get(p.protocol);
      if (list) list.push(p);
      else byProtocol.set(p.protocol, [p]);
    }
    for (const list of byProtocol.values()) {
      list.sort((a, b) => a.first - b.first || a.last - b.last);
      let active: PortAllocation[] = [];
      for (const port of list) {
        active = active.filter((a) => a.last >= port.first);
        const isRange = port.first !== port.last;
        const clash = active.find((a) => (isRange || a.first !== a.last) && overlaps(a, port));
        if (clash) report(port, clash);
        if (isRange || active.length < 64) active.push(port);
      }
    }
  }
  return findings;
}

/** Services of one image repository in one stack on different tags. */
export function versionSkews(stacks: readonly Stack[], nodesOf: (stack: Stack) => readonly ServiceNode[]): VersionSkew[] {
  const out: VersionSkew[] = [];
  for (const stack of stacks) {
    const groups = new Map<string, { repository: string; members: VersionSkew['members'][number][] }>();
    for (const node of nodesOf(stack)) {
      const image = node.service.image;
      if (!image || (image.value.digest && !image.value.tag)) continue;
      const key = normaliseImageRepository({ repository: image.value.repository, ...(image.value.registry ? { registry: image.value.registry } : {}) });
      if (!key || key.includes('$')) continue;
      const group = groups.get(key) ?? { repository: key, members: [] };
      group.members.push({ id: node.id, service: node.service.name, tag: image.value.tag ?? 'latest', range: image.range });
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      if (new Set(group.members.map((m) => m.tag)).size > 1) out.push({ stack: stack.id, repository: group.repository, members: group.members });
    }
  }
  return out;
}

/** One finding per service whose tag differs from the tag most of its image's services run. */
export function skewFindings(skews: readonly VersionSkew[]): Finding[] {
  const findings: Finding[] = [];
  for (const skew of skews) {
    const counts = new Map<string, number>();
    for (const m of skew.members) counts.set(m.tag, (counts.get(m.tag) ?? 0) + 1);
    const majority = [...counts.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
    const main = skew.members.filter((m) => m.tag === majority);
    for (const member of skew.members.filter((m) => m.tag !== majority)) {
      findings.push({
        id: 'version-skew',
        severity: 'warning',
        message: `${member.id} runs ${skew.repository}:${member.tag} while ${main.map((m) => m.id).join(', ')} ${main.length === 1 ? 'runs' : 'run'} ${majority}; services of one image should run one tag.`,
        range: member.range,
        related: main.map((m) => m.range),
      });
    }
  }
  return findings;
}

/**
 * Redis DB indexes and database users shared by different applications (an application is an
 * image repository: a server and its worker are one application).
 */
export function allocationFindings(uses: readonly UsesRelation[], applicationOf: (id: string) => string): Finding[] {
  const findings: Finding[] = [];
  const redis = new Map<string, UsesRelation[]>();
  const users = new Map<string, UsesRelation[]>();
  for (const relation of uses) {
    if (relation.protocol === 'redis' && relation.redisDb) {
      push(redis, `${relation.to.id}\u0000${relation.redisDb.value}`, relation);
    }
    if ((relation.protocol === 'postgres' || relation.protocol === 'mysql' || relation.protocol === 'mongodb') && relation.user) {
      push(users, `${relation.to.id}\u0000${relation.user.value}`, relation);
    }
  }
  const report = (groups: Map<string, UsesRelation[]>, make: (later: UsesRelation, first: UsesRelation) => Finding) => {
    for (const group of groups.values()) {
      const seen = new Map<string, UsesRelation>();
      for (const relation of group) {
        const app = applicationOf(relation.from.id);
        if (seen.has(app)) continue;
        const first = [...seen.values()][0];
        if (first) findings.push(make(relation, first));
        seen.set(app, relation);
      }
    }
  };
  report(redis, (later, first) => ({
    id: 'redis-db-conflict',
    severity: 'warning',
    message: `${later.from.id} and ${first.from.id} both use Redis database ${later.redisDb?.value}${later.redisDb?.implicit || first.redisDb?.implicit ? ' (no index set means 0)' : ''} on ${later.to.id}; their keys can collide.`,
    range: later.redisDb?.range ?? later.from.range,
    related: [first.redisDb?.range ?? first.from.range, later.to.range],
  }));
  report(users, (later, first) => ({
    id: 'shared-db-user',
    severity: 'warning',
    message: `${later.from.id} and ${first.from.id} both sign in to ${later.to.id} as database user "${later.user?.value}"; give each application its own user.`,
    range: later.user?.range ?? later.from.range,
    related: [first.user?.range ?? first.from.range, later.to.range],
  }));
  return findings;
}

/** Networks a service joins that its stack does not declare, and declared networks nobody joins. */
export function networkFindings(stacks: readonly Stack[], nodesOf: (stack: Stack) => readonly ServiceNode[], names: ResourceNames): Finding[] {
  const findings: Finding[] = [];
  for (const stack of stacks) {
    const declared = new Map(stack.networks.map((n) => [n.key, n]));
    const used = new Set<string>();
    for (const node of nodesOf(stack)) {
      const service = node.service;
      if (service.networkMode) continue;
      if (service.networks.length === 0) used.add('default');
      for (const network of service.networks) {
        used.add(network.value.name);
        if (!declared.has(network.value.name) && network.value.name !== 'default') {
          findings.push({
            id: 'network-undeclared',
            severity: 'error',
            message: `${node.id} joins network "${network.value.name}", which ${stack.id} does not declare under networks: (Compose refuses to start it).`,
            range: network.range,
            related: [keyLine(service)],
          });
        }
      }
    }
    for (const network of stack.networks) {
      if (used.has(network.key)) continue;
      findings.push({
        id: 'network-unused',
        severity: 'warning',
        message: `${stack.id} declares network "${network.key}" (${names.network(stack, network.key)}) but no service of the stack joins it.`,
        range: network.range,
      });
    }
  }
  return findings;
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  const cmp = (a: SourceRange, b: SourceRange) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.startLine - b.startLine);
  return [...findings].sort((a, b) => cmp(a.range, b.range) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.message < b.message ? -1 : 1));
}
