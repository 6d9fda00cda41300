/**
 * Merging two definitions of one service the way Docker Compose merges override files and
 * `extends` bases: single values are replaced, mappings and most lists are merged by their key
 * (environment by name, volumes by target, ports by their text, networks by name), and each
 * merged fact keeps the range of the file that wrote it.
 */
import type { Located } from '../model/types.ts';
import type { ServiceDraft } from './read-service.ts';

/** Lists merged by a key; the later definition replaces an item with the same key in place. */
function byKey<T extends { range: unknown }>(base: readonly T[], over: readonly T[], key: (item: T) => string): T[] {
  const out = [...base];
  const index = new Map<string, number>();
  for (const [i, item] of out.entries()) if (!index.has(key(item))) index.set(key(item), i);
  for (const item of over) {
    const at = index.get(key(item));
    if (at !== undefined) out[at] = item;
    else {
      index.set(key(item), out.length);
      out.push(item);
    }
  }
  return out;
}

const value = <T>(item: Located<T>): T => item.value;

/**
 * Applies `over` on top of `base`. `primary` says which side's block is the service's main range:
 * for override files it is the base (the main compose file), for `extends` it is the extending
 * service itself.
 */
export function mergeService(base: ServiceDraft, over: ServiceDraft, primary: 'base' | 'over'): ServiceDraft {
  const pick = <K extends keyof ServiceDraft>(key: K): Partial<Pick<ServiceDraft, K>> => {
    const chosen = over[key] !== undefined ? over[key] : base[key];
    return (chosen === undefined ? {} : { [key]: chosen }) as Partial<Pick<ServiceDraft, K>>;
  };
  const main = primary === 'base' ? base : over;
  const other = primary === 'base' ? over : base;
  const description = main.description ?? other.description;
  const definitions = primary === 'base' ? [...base.definitions, ...over.definitions] : [...over.definitions, ...base.definitions];
  return {
    name: main.name,
    stack: main.stack,
    range: main.range,
    definitions: definitions.filter((d, i) => definitions.findIndex((e) => e.file === d.file && e.startLine === d.startLine) === i),
    ...(description ? { description } : {}),
    ...pick('containerName'),
    ...pick('hostname'),
    ...pick('image'),
    ...pick('build'),
    ...pick('command'),
    ...pick('entrypoint'),
    ...pick('restart'),
    ...pick('user'),
    ...pick('workingDir'),
    ...pick('networkMode'),
    ...pick('privileged'),
    ...pick('healthcheck'),
    ...pick('resources'),
    ...pick('logging'),
    ...(main.extendsRef ? { extendsRef: main.extendsRef } : {}),
    ports: byKey(base.ports, over.ports, (p) => p.value.text),
    expose: byKey(base.expose, over.expose, value),
    volumes: byKey(base.volumes, over.volumes, (v) => v.value.target),
    networks: byKey(base.networks, over.networks, (n) => n.value.name),
    dependsOn: byKey(base.dependsOn, over.dependsOn, (d) => d.value.service),
    links: byKey(base.links, over.links, value),
    externalLinks: byKey(base.externalLinks, over.externalLinks, value),
    environment: byKey(base.environment, over.environment, (e) => e.name),
    envFileRefs: byKey(base.envFileRefs, over.envFileRefs, (e) => e.value.path),
    labels: byKey(base.labels, over.labels, (l) => l.value.key),
    secrets: byKey(base.secrets, over.secrets, (s) => s.value.source),
    configs: byKey(base.configs, over.configs, (c) => c.value.source),
    profiles: byKey(base.profiles, over.profiles, value),
    devices: byKey(base.devices, over.devices, value),
    capAdd: byKey(base.capAdd, over.capAdd, value),
    extensions: { ...base.extensions, ...over.extensions },
    keys: new Set([...base.keys, ...over.keys]),
  };
}
