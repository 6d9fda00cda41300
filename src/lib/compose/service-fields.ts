/**
 * Readers for the list-valued service fields, each accepting every syntax the Compose
 * Specification allows (short strings, long mappings, lists or maps) and returning one located
 * fact per entry. A value of the wrong type becomes a diagnostic, never an exception.
 */
import type { Node as YamlNode } from 'yaml';
import type {
  Dependency, Healthcheck, Label, Located, PortMapping, ResourceReference, Resources, ServiceNetwork, VolumeMount,
} from '../model/types.ts';
import { isSecretName, looksSecretValue } from '../model/secrets.ts';
import { maskCommand } from './mask.ts';
import { entries, items, kindOf, rawText, report, resolve, text, unsetVariables, isMap, isSeq, isScalar, type ReadContext } from './yaml-view.ts';
import { rangeOfNode } from './yaml-file.ts';

/** Reports a wrong type and returns nothing. */
function wrongType(ctx: ReadContext, node: YamlNode | null, field: string, expected: string): [] {
  report(ctx, node, 'error', 'compose-type', `"${field}" must be ${expected}, found ${kindOf(ctx, node)}`);
  return [];
}

/** Entries of a field that may be a list or a mapping; each item is passed on with its range. */
function listOrMap<T>(
  ctx: ReadContext,
  node: YamlNode | null,
  field: string,
  fromItem: (item: YamlNode | null) => T | undefined,
  fromEntry: (key: string, value: YamlNode | null) => T | undefined,
): Located<T>[] {
  const resolved = resolve(ctx, node);
  if (resolved === null) return [];
  const out: Located<T>[] = [];
  if (isSeq(resolved)) {
    for (const item of items(ctx, resolved)) {
      const value = fromItem(item.node);
      if (value !== undefined) out.push({ value, range: item.range });
    }
    return out;
  }
  if (isMap(resolved)) {
    for (const entry of entries(ctx, resolved)) {
      const value = fromEntry(entry.key, entry.node);
      if (value !== undefined) out.push({ value, range: entry.range });
    }
    return out;
  }
  return wrongType(ctx, resolved, field, 'a list or a mapping');
}

/** A list of strings (`profiles`, `expose`, `links`, `devices`, `cap_add`); a single string is accepted. */
export function readStringList(ctx: ReadContext, node: YamlNode | null, field: string): Located<string>[] {
  const resolved = resolve(ctx, node);
  if (resolved === null) return [];
  if (isScalar(resolved)) {
    const value = text(ctx, resolved);
    return value === undefined ? [] : [{ value, range: rangeOfNode(ctx.file, resolved) }];
  }
  if (!isSeq(resolved)) return wrongType(ctx, resolved, field, 'a list of strings');
  const out: Located<string>[] = [];
  for (const item of items(ctx, resolved)) {
    const value = text(ctx, item.node);
    if (value === undefined) report(ctx, item.node, 'error', 'compose-type', `items of "${field}" must be strings, found ${kindOf(ctx, item.node)}`);
    else out.push({ value, range: item.range });
  }
  return out;
}

/** `ports`: `"8080:80"`, `"127.0.0.1:53:53/udp"`, `80`, or `{target, published, host_ip, protocol}`. */
export function readPorts(ctx: ReadContext, node: YamlNode | null): Located<PortMapping>[] {
  const resolved = resolve(ctx, node);
  if (resolved !== null && !isSeq(resolved)) return wrongType(ctx, resolved, 'ports', 'a list');
  const out: Located<PortMapping>[] = [];
  for (const item of items(ctx, resolved)) {
    const port = isMap(item.node) ? longPort(ctx, item.node) : shortPort(ctx, item.node);
    if (port) out.push({ value: port, range: item.range });
  }
  return out;
}

function shortPort(ctx: ReadContext, node: YamlNode | null): PortMapping | undefined {
  const written = text(ctx, node);
  if (written === undefined) {
    report(ctx, node, 'error', 'compose-type', `a port must be a string such as "8080:80" or a mapping, found ${kindOf(ctx, node)}`);
    return undefined;
  }
  const [spec, protocol = 'tcp'] = written.split('/');
  let hostIp: string | undefined;
  let rest = spec ?? '';
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6) {
    hostIp = v6[1];
    rest = v6[2] ?? '';
  }
  const parts = rest.split(':');
  if (!v6 && parts.length === 3) hostIp = parts.shift();
  const target = parts.pop() ?? '';
  const published = parts.pop();
  if (!/^\d+(-\d+)?$/.test(target) || (published !== undefined && published !== '' && !/^\d+(-\d+)?$/.test(published))) {
    const unset = unsetVariables(ctx, node);
    if (unset.length > 0) {
      // The port is fine as written; its variables are only unknown here (no .env in the repository).
      report(ctx, node, 'warning', 'compose-port-unresolved', `this port uses ${unset.join(', ')}, which no .env or example env file of the stack sets, so its number is unknown here`);
      const raw = rawText(ctx, node) ?? written;
      return { text: raw, target: raw.split(':').pop() ?? raw, protocol: normaliseProtocol(protocol) };
    }
    report(ctx, node, 'error', 'compose-port', `"${written}" is not a valid port: write CONTAINER, HOST:CONTAINER or IP:HOST:CONTAINER with numbers, optionally followed by /tcp or /udp`);
    return undefined;
  }
  return {
    text: written,
    target,
    protocol: normaliseProtocol(protocol),
    ...(published ? { published } : {}),
    ...(hostIp ? { hostIp } : {}),
  };
}

function longPort(ctx: ReadContext, node: YamlNode): PortMapping | undefined {
  const fields = Object.fromEntries(entries(ctx, node).map((e) => [e.key, text(ctx, e.node)]));
  const target = fields.target;
  if (!target) {
    report(ctx, node, 'error', 'compose-port', 'a port in long syntax needs "target" (the container port)');
    return undefined;
  }
  const published = fields.published;
  const hostIp = fields.host_ip;
  const protocol = normaliseProtocol(fields.protocol ?? 'tcp');
  const textForm = `${hostIp ? `${hostIp}:` : ''}${published ? `${published}:` : ''}${target}${protocol === 'tcp' ? '' : `/${protocol}`}`;
  return { text: textForm, target, protocol, ...(published ? { published } : {}), ...(hostIp ? { hostIp } : {}), ...(fields.name ? { name: fields.name } : {}) };
}

function normaliseProtocol(protocol: string): PortMapping['protocol'] {
  const lower = protocol.toLowerCase();
  return lower === 'udp' || lower === 'sctp' ? lower : 'tcp';
}

/** `volumes`: `name:/path[:ro]`, `./dir:/path`, `/path`, or the long mapping form. */
export function readVolumes(ctx: ReadContext, node: YamlNode | null): Located<VolumeMount>[] {
  const resolved = resolve(ctx, node);
  if (resolved !== null && !isSeq(resolved)) return wrongType(ctx, resolved, 'volumes', 'a list');
  const out: Located<VolumeMount>[] = [];
  for (const item of items(ctx, resolved)) {
    const mount = isMap(item.node) ? longVolume(ctx, item.node) : shortVolume(ctx, item.node);
    if (mount) out.push({ value: mount, range: item.range });
  }
  return out;
}

function isPath(source: string): boolean {
  return /^[./~]/.test(source) || /^[A-Za-z]:[\\/]/.test(source) || source.startsWith('$');
}

function shortVolume(ctx: ReadContext, node: YamlNode | null): VolumeMount | undefined {
  const written = text(ctx, node);
  if (written === undefined || written === '') {
    report(ctx, node, 'error', 'compose-type', `a volume must be a string such as "data:/data" or a mapping, found ${kindOf(ctx, node)}`);
    return undefined;
  }
  const parts = written.split(':');
  if (parts.length === 1) return { type: 'volume', target: written, readOnly: false, text: written };
  const mode = parts.length >= 3 ? (parts.pop() as string) : '';
  const target = parts.pop() as string;
  const source = parts.join(':');
  return {
    type: isPath(source) ? 'bind' : 'volume',
    source,
    target,
    readOnly: mode.split(',').includes('ro'),
    text: written,
  };
}

function longVolume(ctx: ReadContext, node: YamlNode): VolumeMount | undefined {
  const fields = Object.fromEntries(entries(ctx, node).map((e) => [e.key, text(ctx, e.node)]));
  const target = fields.target;
  if (!target) {
    report(ctx, node, 'error', 'compose-volume', 'a volume in long syntax needs "target" (the path inside the container)');
    return undefined;
  }
  const declared = fields.type;
  const type = (['volume', 'bind', 'tmpfs', 'npipe', 'image', 'cluster'] as const).find((t) => t === declared) ?? (fields.source && isPath(fields.source) ? 'bind' : 'volume');
  const readOnly = fields.read_only === 'true';
  const source = fields.source;
  const textForm = `${source ? `${source}:` : ''}${target}${readOnly ? ':ro' : ''}`;
  return { type, target, readOnly, text: type === 'tmpfs' ? `tmpfs:${target}` : textForm, ...(source ? { source } : {}) };
}

/** `networks`: a list of names or a mapping of name to `{aliases, ipv4_address}`. */
export function readServiceNetworks(ctx: ReadContext, node: YamlNode | null): Located<ServiceNetwork>[] {
  return listOrMap<ServiceNetwork>(
    ctx, node, 'networks',
    (item) => {
      const name = text(ctx, item);
      if (name === undefined) report(ctx, item, 'error', 'compose-type', `a network in a list must be a name, found ${kindOf(ctx, item)}`);
      return name === undefined ? undefined : { name, aliases: [] };
    },
    (name, value) => {
      const aliases = readStringList(ctx, entries(ctx, value).find((e) => e.key === 'aliases')?.node ?? null, 'aliases').map((a) => a.value);
      const ipv4 = entries(ctx, value).find((e) => e.key === 'ipv4_address');
      const ipv4Address = ipv4 ? text(ctx, ipv4.node) : undefined;
      return { name, aliases, ...(ipv4Address ? { ipv4Address } : {}) };
    },
  );
}

/** `depends_on`: a list of service names or a mapping with `condition`, `required`, `restart`. */
export function readDependsOn(ctx: ReadContext, node: YamlNode | null): Located<Dependency>[] {
  const conditions = ['service_started', 'service_healthy', 'service_completed_successfully'] as const;
  return listOrMap<Dependency>(
    ctx, node, 'depends_on',
    (item) => {
      const service = text(ctx, item);
      if (service === undefined) report(ctx, item, 'error', 'compose-type', `a depends_on entry must be a service name, found ${kindOf(ctx, item)}`);
      return service === undefined ? undefined : { service, condition: 'service_started', required: true, restart: false };
    },
    (service, value) => {
      const fields = Object.fromEntries(entries(ctx, value).map((e) => [e.key, { text: text(ctx, e.node), node: e.node }]));
      const written = fields.condition?.text ?? 'service_started';
      const condition = conditions.find((c) => c === written);
      if (!condition) report(ctx, fields.condition?.node ?? value, 'error', 'compose-depends-on', `unknown depends_on condition "${written}": use ${conditions.join(', ')}`);
      return { service, condition: condition ?? 'service_started', required: fields.required?.text !== 'false', restart: fields.restart?.text === 'true' };
    },
  );
}

/** `labels`: a list of `key=value` or a mapping. Secret-looking values are dropped. */
export function readLabels(ctx: ReadContext, node: YamlNode | null): Located<Label>[] {
  const make = (key: string, value: string | undefined): Label => {
    const secret = isSecretName(key) || /basicauth|digestauth/i.test(key) || (value !== undefined && looksSecretValue(value));
    return secret || value === undefined ? { key, secret } : { key, value: maskCommand(value), secret };
  };
  return listOrMap<Label>(
    ctx, node, 'labels',
    (item) => {
      const written = text(ctx, item);
      if (written === undefined) {
        report(ctx, item, 'error', 'compose-type', `a label in a list must be a "key=value" string, found ${kindOf(ctx, item)}`);
        return undefined;
      }
      const eq = written.indexOf('=');
      return eq < 0 ? make(written, undefined) : make(written.slice(0, eq), written.slice(eq + 1));
    },
    (key, value) => make(key, text(ctx, value) ?? ''),
  );
}

/** `healthcheck`: the test as display text (as written, secrets masked) and its timings. */
export function readHealthcheck(ctx: ReadContext, node: YamlNode | null): Healthcheck | undefined {
  const resolved = resolve(ctx, node);
  if (resolved === null) return undefined;
  if (!isMap(resolved)) {
    wrongType(ctx, resolved, 'healthcheck', 'a mapping');
    return undefined;
  }
  const fields = new Map(entries(ctx, resolved).map((e) => [e.key, e.node]));
  const testNode = resolve(ctx, fields.get('test') ?? null);
  let test: string | undefined;
  // Shown as written, secrets masked; interpolated only to report invalid variables.
  const testParts = isSeq(testNode) ? items(ctx, testNode).map((i) => i.node) : testNode === null ? [] : [testNode];
  for (const part of testParts) text(ctx, part);
  if (isSeq(testNode)) test = testParts.map((p) => rawText(ctx, p) ?? '').join(' ');
  else if (testNode !== null) test = rawText(ctx, testNode);
  const disabled = text(ctx, fields.get('disable') ?? null) === 'true' || test === 'NONE' || test?.startsWith('NONE') === true;
  const value = (key: string) => text(ctx, fields.get(key) ?? null);
  const retries = Number(value('retries'));
  return {
    disabled,
    ...(test !== undefined ? { test: maskCommand(test) } : {}),
    ...(value('interval') ? { interval: value('interval') } : {}),
    ...(value('timeout') ? { timeout: value('timeout') } : {}),
    ...(Number.isFinite(retries) && value('retries') ? { retries } : {}),
    ...(value('start_period') ? { startPeriod: value('start_period') } : {}),
  };
}

/** Service `secrets:` / `configs:`: names or `{source, target}` mappings. */
export function readResourceRefs(ctx: ReadContext, node: YamlNode | null, field: string): Located<ResourceReference>[] {
  const resolved = resolve(ctx, node);
  if (resolved !== null && !isSeq(resolved)) return wrongType(ctx, resolved, field, 'a list');
  const out: Located<ResourceReference>[] = [];
  for (const item of items(ctx, resolved)) {
    if (isMap(item.node)) {
      const fields = Object.fromEntries(entries(ctx, item.node).map((e) => [e.key, text(ctx, e.node)]));
      if (!fields.source) report(ctx, item.node, 'error', 'compose-type', `a ${field} entry in long syntax needs "source"`);
      else out.push({ value: { source: fields.source, ...(fields.target ? { target: fields.target } : {}) }, range: item.range });
      continue;
    }
    const source = text(ctx, item.node);
    if (source === undefined) report(ctx, item.node, 'error', 'compose-type', `a ${field} entry must be a name or a mapping, found ${kindOf(ctx, item.node)}`);
    else out.push({ value: { source }, range: item.range });
  }
  return out;
}

/** `deploy.resources` limits and reservations, plus the legacy `mem_limit` / `cpus` keys. */
export function readResources(ctx: ReadContext, deploy: YamlNode | null): Resources | undefined {
  const resources = entries(ctx, deploy).find((e) => e.key === 'resources')?.node ?? null;
  const part = (name: string) => new Map(entries(ctx, entries(ctx, resources).find((e) => e.key === name)?.node ?? null).map((e) => [e.key, text(ctx, e.node)]));
  const limits = part('limits');
  const reservations = part('reservations');
  const out: Resources = {
    ...(limits.get('cpus') ? { cpus: limits.get('cpus') } : {}),
    ...(limits.get('memory') ? { memory: limits.get('memory') } : {}),
    ...(reservations.get('cpus') ? { reservationsCpus: reservations.get('cpus') } : {}),
    ...(reservations.get('memory') ? { reservationsMemory: reservations.get('memory') } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}
