/**
 * Reads one service block into a located Service. `extends` is returned as a reference for the
 * stack loader to resolve; `env_file` references are returned as written.
 */
import type { Node as YamlNode } from 'yaml';
import type { EnvFileReference, Located, Service, SourceRange } from '../model/types.ts';
import { parseImageRef } from './image-ref.ts';
import { maskCommand } from './mask.ts';
import { readEnvironment } from './environment.ts';
import {
  readDependsOn, readHealthcheck, readLabels, readPorts, readResourceRefs, readResources, readServiceNetworks, readStringList, readVolumes,
} from './service-fields.ts';
import { commentAbove, rangeOfNode } from './yaml-file.ts';
import { anchoredRanges, entries, items, kindOf, plain, rawText, report, resolve, text, where, isMap, isSeq, type Entry, type ReadContext } from './yaml-view.ts';

/** A service as read from one block, before overrides and `extends` are merged in. */
export type ServiceDraft = Omit<Service, 'envFiles'> & {
  readonly envFileRefs: readonly EnvFileRef[];
  readonly extendsRef?: ExtendsRef;
  /** Keys written in this block, so that merges know what a block overrides. */
  readonly keys: ReadonlySet<string>;
};

/** An `env_file` entry as written, with where its path is written (for diagnostics). */
export type EnvFileRef = Located<Omit<EnvFileReference, 'exists'>> & { readonly at: { readonly line: number; readonly column: number } };

/** A service's `extends`, with the positions its diagnostics point at. */
export type ExtendsRef = Located<{ service: string; file?: string }> & {
  /** Where the base service's name is written. */
  readonly serviceAt: { readonly line: number; readonly column: number };
  /** Where `file:` is written, when it is. */
  readonly fileAt?: { readonly line: number; readonly column: number };
};

/** Service keys of the Compose Specification; anything else (but `x-*`) is reported. */
const KNOWN_KEYS = new Set([
  'annotations', 'attach', 'blkio_config', 'build', 'cap_add', 'cap_drop', 'cgroup', 'cgroup_parent', 'command', 'configs',
  'container_name', 'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota', 'cpu_rt_period', 'cpu_rt_runtime', 'cpu_shares',
  'cpus', 'cpuset', 'credential_spec', 'depends_on', 'deploy', 'develop', 'device_cgroup_rules', 'devices', 'dns', 'dns_opt',
  'dns_search', 'domainname', 'driver_opts', 'entrypoint', 'env_file', 'environment', 'expose', 'extends', 'external_links',
  'extra_hosts', 'gpus', 'group_add', 'healthcheck', 'hostname', 'image', 'init', 'ipc', 'isolation', 'label_file', 'labels',
  'links', 'logging', 'mac_address', 'mem_limit', 'mem_reservation', 'mem_swappiness', 'memswap_limit', 'models',
  'network_mode', 'networks', 'oom_kill_disable', 'oom_score_adj', 'pid', 'pids_limit', 'platform', 'ports', 'post_start',
  'pre_stop', 'privileged', 'profiles', 'provider', 'pull_policy', 'read_only', 'restart', 'runtime', 'scale', 'secrets',
  'security_opt', 'shm_size', 'stdin_open', 'stop_grace_period', 'stop_signal', 'storage_opt', 'sysctls', 'tmpfs', 'tty',
  'ulimits', 'use_api_socket', 'user', 'userns_mode', 'uts', 'volumes', 'volumes_from', 'working_dir',
]);

/** Reads the service `entry` of the `services:` mapping. */
export function readService(ctx: ReadContext, entry: Entry, stack: string): ServiceDraft {
  const fields = new Map<string, Entry>();
  if (entry.node !== null && !isMap(entry.node)) {
    report(ctx, entry.node, 'error', 'compose-type', `service "${entry.key}" must be a mapping of settings, found ${kindOf(ctx, entry.node)}`);
  }
  for (const field of entries(ctx, entry.node)) {
    fields.set(field.key, field);
    if (!KNOWN_KEYS.has(field.key) && !field.key.startsWith('x-')) {
      report(ctx, field.keyNode, 'warning', 'compose-unknown-key', `unknown service key "${field.key}" in service "${entry.key}": check its spelling against the Compose Specification`);
    }
  }
  const node = (key: string): YamlNode | null => fields.get(key)?.node ?? null;
  const located = <T>(key: string, value: T | undefined): Located<T> | undefined => {
    const field = fields.get(key);
    return field && value !== undefined ? { value, range: field.range } : undefined;
  };
  const scalar = (key: string): Located<string> | undefined => {
    const field = fields.get(key);
    if (!field) return undefined;
    const value = text(ctx, field.node);
    if (value === undefined && resolve(ctx, field.node) !== null) {
      report(ctx, field.node, 'error', 'compose-type', `"${key}" of service "${entry.key}" must be a string, found ${kindOf(ctx, field.node)}`);
    }
    return located(key, value);
  };
  const commandLike = (key: string): Located<string> | undefined => {
    const value = resolve(ctx, node(key));
    if (value === null) return undefined;
    // Shown as written (variables by name, never their values), with secrets masked; interpolated
    // only so that invalid or unset-required variables are reported, as Compose would.
    const parts = isSeq(value) ? items(ctx, value).map((i) => i.node) : [value];
    for (const part of parts) text(ctx, part);
    const written = isSeq(value) ? parts.map((p) => rawText(ctx, p) ?? '').join(' ') : rawText(ctx, value);
    if (written === undefined) {
      report(ctx, value, 'error', 'compose-type', `"${key}" of service "${entry.key}" must be a string or a list, found ${kindOf(ctx, value)}`);
      return undefined;
    }
    return located(key, maskCommand(written));
  };

  const { line, column } = where(ctx, entry.keyNode);
  const description = commentAbove(ctx.file, line, column);
  const image = scalar('image');
  const build = fields.get('build');
  const buildValue = build ? readBuild(ctx, build.node) : undefined;
  const hostname = scalar('hostname');
  const containerName = scalar('container_name');
  const restart = scalar('restart');
  const extensions: Record<string, Located<unknown>> = {};
  for (const [key, field] of fields) {
    if (key.startsWith('x-')) extensions[key] = { value: key === 'x-wiki' ? plain(ctx, field.node) : null, range: field.range };
  }
  const deploy = fields.get('deploy');
  const resources = deploy ? readResources(ctx, deploy.node) : undefined;
  const privileged = scalar('privileged');
  const extendsRef = readExtends(ctx, fields.get('extends'));

  return {
    name: entry.key,
    stack,
    range: entry.range,
    definitions: withinOthers([entry.range, ...anchoredRanges(ctx, entry.node)]),
    ...(description ? { description: { value: description.text, range: { file: ctx.file.path, startLine: description.startLine, endLine: line - 1 } } } : {}),
    ...(containerName ? { containerName } : {}),
    ...(hostname ? { hostname } : {}),
    ...(image ? { image: { value: parseImageRef(image.value), range: image.range } } : {}),
    ...(buildValue && build ? { build: { value: buildValue, range: build.range } } : {}),
    ...optional('command', commandLike('command')),
    ...optional('entrypoint', commandLike('entrypoint')),
    ...(restart ? { restart } : {}),
    ...optional('user', scalar('user')),
    ...optional('workingDir', scalar('working_dir')),
    ...optional('networkMode', scalar('network_mode')),
    ...(privileged ? { privileged: { value: privileged.value === 'true', range: privileged.range } } : {}),
    ports: readPorts(ctx, node('ports')),
    expose: readStringList(ctx, node('expose'), 'expose'),
    volumes: readVolumes(ctx, node('volumes')),
    networks: readServiceNetworks(ctx, node('networks')),
    dependsOn: readDependsOn(ctx, node('depends_on')),
    links: readStringList(ctx, node('links'), 'links'),
    externalLinks: readStringList(ctx, node('external_links'), 'external_links'),
    environment: readEnvironment(ctx, node('environment')),
    envFileRefs: readEnvFileRefs(ctx, node('env_file')),
    labels: readLabels(ctx, node('labels')),
    ...optional('healthcheck', located('healthcheck', readHealthcheck(ctx, node('healthcheck')))),
    secrets: readResourceRefs(ctx, node('secrets'), 'secrets'),
    configs: readResourceRefs(ctx, node('configs'), 'configs'),
    profiles: readStringList(ctx, node('profiles'), 'profiles'),
    devices: readStringList(ctx, node('devices'), 'devices').map((d) => ({ value: d.value.split(':')[0] ?? d.value, range: d.range })),
    capAdd: readStringList(ctx, node('cap_add'), 'cap_add'),
    ...(resources && deploy ? { resources: { value: resources, range: deploy.range } } : {}),
    ...optional('logging', located('logging', text(ctx, entries(ctx, node('logging')).find((e) => e.key === 'driver')?.node ?? null))),
    extensions,
    ...(extendsRef ? { extendsRef } : {}),
    keys: new Set(fields.keys()),
  };
}

/** Drops ranges that another range of the list already covers (the first range always stays). */
function withinOthers(ranges: readonly SourceRange[]): SourceRange[] {
  const covers = (outer: SourceRange, inner: SourceRange) => outer.file === inner.file && outer.startLine <= inner.startLine && outer.endLine >= inner.endLine;
  return ranges.filter((r, i) => i === 0 || !ranges.some((o, j) => j !== i && (j < i || !covers(r, o)) && covers(o, r)));
}

function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

function readBuild(ctx: ReadContext, node: YamlNode | null): { context?: string; dockerfile?: string; target?: string } | undefined {
  const value = resolve(ctx, node);
  if (value === null) return {};
  if (!isMap(value)) {
    const context = text(ctx, value);
    return context === undefined ? undefined : { context };
  }
  const fields = Object.fromEntries(entries(ctx, value).map((e) => [e.key, text(ctx, e.node)]));
  return {
    ...(fields.context ? { context: fields.context } : {}),
    ...(fields.dockerfile ? { dockerfile: fields.dockerfile } : {}),
    ...(fields.target ? { target: fields.target } : {}),
  };
}

function readEnvFileRefs(ctx: ReadContext, node: YamlNode | null): EnvFileRef[] {
  const value = resolve(ctx, node);
  if (value === null) return [];
  const list = isSeq(value) ? items(ctx, value) : [{ node: value, range: rangeOfNode(ctx.file, value) }];
  const out: EnvFileRef[] = [];
  for (const item of list) {
    if (isMap(item.node)) {
      const fields = new Map(entries(ctx, item.node).map((e) => [e.key, { text: text(ctx, e.node), node: e.node }]));
      const path = fields.get('path');
      if (path?.text) out.push({ value: { path: path.text, required: fields.get('required')?.text !== 'false' }, range: item.range, at: where(ctx, path.node) });
      else report(ctx, item.node, 'error', 'compose-type', 'an env_file entry in long syntax needs "path"');
      continue;
    }
    const path = text(ctx, item.node);
    if (path === undefined) report(ctx, item.node, 'error', 'compose-type', `"env_file" must be a path or a list of paths, found ${kindOf(ctx, item.node)}`);
    else out.push({ value: { path, required: true }, range: item.range, at: where(ctx, item.node) });
  }
  return out;
}

function readExtends(ctx: ReadContext, field: Entry | undefined): ExtendsRef | undefined {
  if (!field) return undefined;
  const value = resolve(ctx, field.node);
  if (isMap(value)) {
    const fields = new Map(entries(ctx, value).map((e) => [e.key, { text: text(ctx, e.node), node: e.node }]));
    const service = fields.get('service');
    const file = fields.get('file');
    if (!service?.text) {
      report(ctx, service?.node ?? value, 'error', 'compose-extends', '"extends" needs "service" (the name of the service to extend)');
      return undefined;
    }
    return {
      value: { service: service.text, ...(file?.text ? { file: file.text } : {}) },
      range: field.range,
      serviceAt: where(ctx, service.node),
      ...(file?.text ? { fileAt: where(ctx, file.node) } : {}),
    };
  }
  const service = text(ctx, value);
  if (service === undefined) {
    report(ctx, value ?? field.keyNode, 'error', 'compose-extends', `"extends" must be a service name or a mapping with "service" and "file", found ${kindOf(ctx, value)}`);
    return undefined;
  }
  return { value: { service }, range: field.range, serviceAt: where(ctx, value) };
}
