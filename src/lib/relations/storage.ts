/**
 * Shared storage and backups: named volumes (by real name) and host paths mounted by several
 * services, the backup jobs that cover them (by what is mounted into a backup container, narrowed
 * to the locations of an `.autorestic.yml` when the repository has one), and the stateful
 * storage no backup covers.
 */
import { posix } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { SourceRange, Stack } from '../model/types.ts';
import type { FileLines, ResourceNames, ServiceNode } from './names.ts';
import type { BackupRelation, Cited, Mount, ServiceId, StorageInfo } from './types.ts';

/** Host paths that are plumbing, not data: never reported as shared storage. */
const SYSTEM_PATHS = new Set([
  '/', '/etc/localtime', '/etc/timezone', '/etc/hosts', '/etc/resolv.conf', '/etc/machine-id', '/etc/ssl/certs', '/usr/share/zoneinfo',
  '/var/run/docker.sock', '/run/docker.sock', '/var/run', '/run', '/proc', '/sys', '/dev', '/lib/modules', '/var/lib/docker', '/tmp',
]);
const SYSTEM_PREFIXES = ['/proc/', '/sys/', '/dev/', '/run/', '/var/run/', '/var/lib/docker/', '/lib/modules/'];

export interface StorageDraft {
  key: string;
  kind: 'volume' | 'bind';
  name: string;
  declarations: { stack: string; key: string; external: boolean; range: SourceRange }[];
  mounts: Mount[];
  stateful: boolean;
  backedUpBy: Set<ServiceId>;
  /** Bind storages below this path (for a bind storage). */
  descendants: string[];
}

/** A host path as Docker resolves it: relative paths against the stack folder, normalised. */
export function hostPath(stack: Stack, source: string): string | undefined {
  const written = source.trim();
  if (!written) return undefined;
  if (written.startsWith('~')) return written.replace(/\/+$/, '');
  const joined = written.startsWith('/') ? written : posix.join(stack.id === '.' ? '' : stack.id, written);
  const normal = posix.normalize(joined);
  return normal.length > 1 ? normal.replace(/\/+$/, '') : normal;
}

function isSystemPath(path: string): boolean {
  return SYSTEM_PATHS.has(path) || SYSTEM_PREFIXES.some((p) => path.startsWith(p));
}

/** Where a database keeps its files, as opposed to init scripts and configuration. */
function isDataTarget(target: string): boolean {
  return !/^\/(docker-entrypoint|etc\/|run\/|tmp|dev\/)/.test(target) && !/\.(conf|cnf|ini|ya?ml|json|sh|sql|js|pem|crt|key)$/i.test(target);
}

/**
 * Variables written in the lines of `range` that have no value in the stack's `.env` (or example)
 * and no default: the model then holds the path with the variable replaced by nothing, so
 * `${PATH_CONFIG}/app` and `${PATH_DATA}/app` would both read `/app`.
 */
export function unsetVariables(stack: Stack, range: SourceRange, files: FileLines, resolved?: string): string[] {
  const lines = files.lines(range.file);
  if (!lines) return [];
  let text = lines.slice(range.startLine - 1, range.endLine).join('\n');
  // On a line holding several mounts (flow style), keep the expression written right before the path.
  if (resolved?.startsWith('/')) {
    const escaped = resolved.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const own = new RegExp(`\\$\\{[A-Za-z_][A-Za-z0-9_]*[^}]*\\}${escaped}(?![A-Za-z0-9_.-])`).exec(text);
    if (own) text = own[0];
  }
  const defined = new Set(stack.envFiles.filter((f) => f.role !== 'env_file').flatMap((f) => f.variables.filter((v) => v.hasValue).map((v) => v.name)));
  const out: string[] = [];
  for (const match of text.matchAll(/(?<!\$)\$(?:\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g)) {
    const name = (match[1] ?? match[3]) as string;
    const operator = match[2] ?? '';
    if (/^:?[-+]/.test(operator) || defined.has(name) || out.includes(name)) continue;
    out.push(name);
  }
  return out;
}

/** Collects every named volume and non-system host path, with its mounts; nested host paths are linked. */
export function collectStorages(
  stacks: readonly Stack[],
  nodesOf: (stack: Stack) => readonly ServiceNode[],
  names: ResourceNames,
  isDatabase: (node: ServiceNode) => boolean,
  files: FileLines,
): { storages: Map<string, StorageDraft>; storagesOf: Map<ServiceId, string[]> } {
  const storages = new Map<string, StorageDraft>();
  const storagesOf = new Map<ServiceId, string[]>();
  const draft = (key: string, kind: 'volume' | 'bind', name: string): StorageDraft => {
    let found = storages.get(key);
    if (!found) storages.set(key, (found = { key, kind, name, declarations: [], mounts: [], stateful: false, backedUpBy: new Set(), descendants: [] }));
    return found;
  };
  for (const stack of stacks) {
    for (const volume of stack.volumes) {
      const name = names.volume(stack, volume.key);
      draft(`volume:${name}`, 'volume', name).declarations.push({ stack: stack.id, key: volume.key, external: volume.external, range: volume.range });
    }
    for (const node of nodesOf(stack)) {
      for (const mount of node.service.volumes) {
        const { type, source, target, readOnly } = mount.value;
        let storage: StorageDraft | undefined;
        if (type === 'volume' && source) {
          const name = names.volume(stack, source);
          storage = draft(`volume:${name}`, 'volume', name);
        } else if (type === 'bind' && source) {
          const path = hostPath(stack, source);
          const unset = path ? unsetVariables(stack, mount.range, files, path) : [];
          if (path && unset.length > 0) {
            // Part of the path is unknown: only the same written path of the same stack is the same storage.
            const name = unset.length === 1 && path.startsWith('/') ? `\${${unset[0]}}${path}` : `${path} (with ${unset.map((v) => `\${${v}}`).join(', ')} unset)`;
            storage = draft(`bind:${stack.id}|${name}`, 'bind', name);
          } else if (path && !isSystemPath(path)) storage = draft(`bind:${path}`, 'bind', path);
        }
        if (!storage) continue;
        storage.mounts.push({ id: node.id, stack: stack.id, service: node.service.name, range: mount.range, target, readOnly });
        if (!readOnly && isDatabase(node) && isDataTarget(target)) storage.stateful = true;
        const keys = storagesOf.get(node.id) ?? [];
        if (!keys.includes(storage.key)) keys.push(storage.key);
        storagesOf.set(node.id, keys);
      }
    }
  }
  // A host path below another mounted one shares its data: list its mounts on the ancestor too.
  for (const storage of [...storages.values()]) {
    if (storage.kind !== 'bind' || !storage.name.startsWith('/')) continue;
    for (let parent = posix.dirname(storage.name); ; parent = posix.dirname(parent)) {
      const ancestor = storages.get(`bind:${parent}`);
      if (ancestor) {
        ancestor.descendants.push(storage.key);
        const subpath = storage.name.slice(parent === '/' ? 1 : parent.length + 1);
        for (const mount of storage.mounts) {
          ancestor.mounts.push({ ...mount, subpath });
          const keys = storagesOf.get(mount.id) ?? [];
          if (!keys.includes(ancestor.key)) keys.push(ancestor.key);
          storagesOf.set(mount.id, keys);
        }
      }
      if (parent === '/' || parent === '.') break;
    }
  }
  return { storages, storagesOf };
}

/** One location of a backup configuration file. */
export interface BackupLocation {
  readonly name: string;
  readonly from: readonly string[];
  readonly volume: boolean;
  readonly range: SourceRange;
  readonly schedule?: string;
}

/** Reads the `locations:` of an autorestic configuration (ranges cite the location's block). */
export function readAutoresticLocations(path: string, text: string): BackupLocation[] {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (document.errors.length > 0) return [];
  const root = document.contents;
  if (!isMap(root)) return [];
  const locations = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'locations')?.value;
  if (!isMap(locations)) return [];
  const out: BackupLocation[] = [];
  // Split once: a backup job's file lists a location per volume, each cited to its last line.
  const textLines = text.split(/\r?\n/);
  const lines = (node: YamlNode | null | undefined, keyNode: YamlNode | null | undefined): SourceRange | undefined => {
    const start = keyNode?.range?.[0] ?? node?.range?.[0];
    const end = node?.range?.[1];
    if (start === undefined || end === undefined) return undefined;
    const endLine = counter.linePos(Math.max(start, end - 1)).line;
    return { file: path, startLine: counter.linePos(start).line, endLine: lastContentLine(textLines, counter.linePos(start).line, endLine) };
  };
  for (const pair of locations.items) {
    if (!isScalar(pair.key) || !isMap(pair.value)) continue;
    const fields = new Map(pair.value.items.filter((p) => isScalar(p.key)).map((p) => [String((p.key as { value: unknown }).value), p.value as YamlNode | null]));
    const fromNode = fields.get('from');
    const from = isSeq(fromNode) ? fromNode.items.filter(isScalar).map((i) => String(i.value)) : isScalar(fromNode) ? [String(fromNode.value)] : [];
    const typeNode = fields.get('type');
    const cronNode = fields.get('cron');
    const range = lines(pair.value as YamlNode, pair.key as YamlNode);
    if (!range || from.length === 0) continue;
    out.push({
      name: String(pair.key.value),
      from,
      volume: isScalar(typeNode) && String(typeNode.value) === 'volume',
      range,
      ...(isScalar(cronNode) ? { schedule: String(cronNode.value) } : {}),
    });
  }
  return out;
}

/** The last line in [start, end] that is neither blank nor a comment. */
function lastContentLine(lines: readonly string[], start: number, end: number): number {
  for (let n = end; n > start; n--) {
    const line = (lines[n - 1] ?? '').trim();
    if (line && !line.startsWith('#')) return n;
  }
  return start;
}

/** Finds the autorestic configuration of a backup job: a mounted `.autorestic.yml`, else one beside the compose file. */
export function autoresticConfig(node: ServiceNode, files: FileLines): { path: string; text: string } | undefined {
  const candidates: string[] = [];
  for (const mount of node.service.volumes) {
    if (mount.value.type !== 'bind' || !mount.value.source) continue;
    const path = hostPath(node.stack, mount.value.source);
    if (path && !path.startsWith('/') && /(^|\/)\.?autorestic\.ya?ml$/.test(path)) candidates.push(path);
  }
  const dir = node.stack.id === '.' ? '' : `${node.stack.id}/`;
  candidates.push(`${dir}.autorestic.yml`, `${dir}.autorestic.yaml`);
  for (const path of candidates) {
    const text = files.text(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

export interface Coverage {
  readonly storage: string;
  readonly evidence: 'config' | 'mount';
  /** The job's own mount of the storage, when it has one. */
  readonly mount?: Mount;
  readonly location?: Cited<string>;
  readonly schedule?: string;
}

/** What a backup job covers: its configuration's locations, else everything of others it mounts. */
export function jobCoverage(
  job: ServiceNode,
  storages: ReadonlyMap<string, StorageDraft>,
  storagesOf: ReadonlyMap<ServiceId, readonly string[]>,
  files: FileLines,
  isAutorestic: boolean,
): Coverage[] {
  const own = (storagesOf.get(job.id) ?? []).map((key) => storages.get(key)).filter((s): s is StorageDraft => s !== undefined);
  const mountOf = (storage: StorageDraft) => storage.mounts.find((m) => m.id === job.id && m.subpath === undefined);
  const config = isAutorestic ? autoresticConfig(job, files) : undefined;
  if (config) {
    const out: Coverage[] = [];
    for (const location of readAutoresticLocations(config.path, config.text)) {
      for (const from of location.from) {
        let storage: StorageDraft | undefined;
        if (location.volume || !/^[/.~]/.test(from)) storage = storages.get(`volume:${from}`);
        else {
          // A container path: the job's mount whose target holds it.
          const path = posix.normalize(from).replace(/\/+$/, '');
          let best: StorageDraft | undefined;
          let bestLength = -1;
          for (const candidate of own) {
            const mount = mountOf(candidate);
            if (!mount) continue;
            const target = mount.target.replace(/\/+$/, '');
            if ((path === target || path.startsWith(`${target}/`)) && target.length > bestLength) {
              best = candidate;
              bestLength = target.length;
            }
          }
          storage = best ?? storages.get(`bind:${path}`);
        }
        if (!storage) continue;
        const mount = mountOf(storage);
        out.push({ storage: storage.key, evidence: 'config', ...(mount ? { mount } : {}), location: { value: location.name, range: location.range }, ...(location.schedule ? { schedule: location.schedule } : {}) });
      }
    }
    return out;
  }
  return own
    .filter((storage) => storage.mounts.some((m) => m.id !== job.id))
    .map((storage) => {
      const mount = mountOf(storage);
      return { storage: storage.key, evidence: 'mount' as const, ...(mount ? { mount } : {}) };
    });
}

/** Backup relations from each job to the services owning the storage it covers; marks coverage. */
export function backupRelations(
  jobs: readonly ServiceNode[],
  storages: Map<string, StorageDraft>,
  storagesOf: ReadonlyMap<ServiceId, readonly string[]>,
  files: FileLines,
  isAutorestic: (node: ServiceNode) => boolean,
  relationId: (kind: string, from: ServiceId, to: ServiceId, range: SourceRange) => string,
): BackupRelation[] {
  const jobIds = new Set(jobs.map((j) => j.id));
  const out: BackupRelation[] = [];
  for (const job of jobs) {
    const seen = new Set<string>();
    for (const coverage of jobCoverage(job, storages, storagesOf, files, isAutorestic(job))) {
      const storage = storages.get(coverage.storage);
      if (!storage) continue;
      const mark = (s: StorageDraft) => {
        s.backedUpBy.add(job.id);
        for (const key of s.descendants) storages.get(key)?.backedUpBy.add(job.id);
      };
      mark(storage);
      const fromRange = coverage.mount?.range ?? coverage.location?.range;
      if (!fromRange) continue;
      for (const owner of storage.mounts) {
        if (jobIds.has(owner.id) || seen.has(`${storage.key}|${owner.id}`)) continue;
        seen.add(`${storage.key}|${owner.id}`);
        out.push({
          kind: 'backup',
          id: relationId('backup', job.id, owner.id, fromRange),
          from: { id: job.id, stack: job.stack.id, service: job.service.name, range: fromRange },
          to: { id: owner.id, stack: owner.stack, service: owner.service, range: owner.range },
          storage: storage.key,
          storageName: storage.name,
          evidence: coverage.evidence,
          ...(coverage.location ? { location: coverage.location } : {}),
          ...(coverage.schedule ? { schedule: coverage.schedule } : {}),
        });
      }
    }
  }
  return out;
}

export function freezeStorage(draft: StorageDraft): StorageInfo {
  return { key: draft.key, kind: draft.kind, name: draft.name, declarations: draft.declarations, mounts: draft.mounts, stateful: draft.stateful, backedUpBy: [...draft.backedUpBy] };
}

