/**
 * Questions asked of a loaded catalog: which entry describes this image (and command), and what does
 * this environment variable or group of variables mean for it.
 */
import { normaliseImage } from './image-name.ts';
import type { ImageName } from './image-name.ts';
import type { Catalog, CatalogEntry, CatalogVariant } from './schema.ts';

/**
 * Finds the entry describing `image`, or undefined when the image is not catalogued.
 *
 * Matching is on the normalised repository (see `normaliseImage`); an image from a registry the
 * catalog does not list (a mirror such as `registry.lan:5000/library/postgres`) falls back to its
 * path. When `command` selects one of the entry's variants (e.g. `worker` for the authentik image),
 * the returned entry carries the variant's name, description, roles, port and notes, and `variant`.
 */
export function findCatalogEntry(
  catalog: Catalog,
  image: ImageName | string,
  command?: string | readonly string[],
): CatalogEntry | undefined {
  const { registry, path, key } = normaliseImage(image);
  let entry = catalog.byImage.get(key);
  if (entry === undefined && registry !== undefined) {
    entry = catalog.byImage.get(path) ?? catalog.byImage.get(path.replace(/^library\//, ''));
  }
  if (entry === undefined || command === undefined) return entry;
  const variant = findVariant(entry, command);
  return variant === undefined ? entry : applyVariant(entry, variant);
}

/** True when `image` is published by linuxserver.io, so that their common variables apply to it. */
export function isLinuxserverImage(catalog: Catalog, image: ImageName | string): boolean {
  const { key } = normaliseImage(image);
  return catalog.linuxserver.namespaces.some((namespace) => key.startsWith(`${namespace}/`));
}

/** Where the purpose of a variable was found, most specific first. */
export type PurposeSource = 'entry' | 'entry-pattern' | 'linuxserver' | 'generic';

/** The purpose of a variable together with the catalog key (name or glob) that gave it. */
export interface EnvironmentPurpose {
  readonly purpose: string;
  readonly source: PurposeSource;
  /** The variable name or glob pattern written in the catalog. */
  readonly key: string;
}

/**
 * Looks up what `variableName` is for, in order: the entry's exact names, the entry's glob patterns
 * (the most specific pattern wins), the linuxserver.io common variables when `image` is a linuxserver
 * image, then the generic variables. Undefined when nothing in the catalog knows the variable.
 */
export function lookupEnvironmentVariable(
  catalog: Catalog,
  entry: CatalogEntry | undefined,
  variableName: string,
  image?: ImageName | string,
): EnvironmentPurpose | undefined {
  if (entry !== undefined) {
    const exact = entry.env[variableName];
    if (exact !== undefined && !variableName.includes('*')) return { purpose: exact, source: 'entry', key: variableName };
    const pattern = matchPattern(entry.env, variableName);
    if (pattern !== undefined) return { ...pattern, source: 'entry-pattern' };
  }
  if (image !== undefined && isLinuxserverImage(catalog, image)) {
    const found = matchName(catalog.linuxserver.env, variableName);
    if (found !== undefined) return { ...found, source: 'linuxserver' };
  }
  const found = matchName(catalog.generic.env, variableName);
  return found === undefined ? undefined : { ...found, source: 'generic' };
}

/** The purpose sentence of `variableName`; see {@link lookupEnvironmentVariable} for the order. */
export function environmentPurpose(
  catalog: Catalog,
  entry: CatalogEntry | undefined,
  variableName: string,
  image?: ImageName | string,
): string | undefined {
  return lookupEnvironmentVariable(catalog, entry, variableName, image)?.purpose;
}

/** Group tables in look-up order: the entry's, linuxserver.io's for their images, the generic ones. */
function groupTables(catalog: Catalog, entry: CatalogEntry | undefined, image: ImageName | string | undefined): Readonly<Record<string, string>>[] {
  const tables: Readonly<Record<string, string>>[] = [];
  if (entry !== undefined) tables.push(entry.groups);
  if (image !== undefined && isLinuxserverImage(catalog, image)) tables.push(catalog.linuxserver.groups);
  tables.push(catalog.generic.groups);
  return tables;
}

/**
 * The purpose of a group of variables sharing `prefix` (e.g. `AUTHENTIK_POSTGRESQL__`), looked up in
 * the entry, then the linuxserver.io groups for a linuxserver image, then the generic groups.
 * Trailing underscores do not matter: `AUTHENTIK_POSTGRESQL` finds `AUTHENTIK_POSTGRESQL__`.
 */
export function groupPurpose(
  catalog: Catalog,
  entry: CatalogEntry | undefined,
  prefix: string,
  image?: ImageName | string,
): string | undefined {
  const tables = groupTables(catalog, entry, image);
  const wanted = trimUnderscores(prefix);
  for (const table of tables) {
    const exact = table[prefix];
    if (exact !== undefined) return exact;
    for (const [key, purpose] of Object.entries(table)) if (trimUnderscores(key) === wanted) return purpose;
  }
  return undefined;
}

/**
 * The catalog group prefix `variableName` belongs to (the longest matching prefix of the entry's,
 * then the linuxserver, then the generic groups), or undefined. Lets a renderer group variables
 * the way the catalog documents them.
 */
export function findVariableGroup(
  catalog: Catalog,
  entry: CatalogEntry | undefined,
  variableName: string,
  image?: ImageName | string,
): string | undefined {
  const tables = groupTables(catalog, entry, image);
  for (const table of tables) {
    const prefixes = Object.keys(table)
      .filter((prefix) => variableName.startsWith(prefix) && variableName.length > prefix.length)
      .sort((a, b) => b.length - a.length);
    if (prefixes[0] !== undefined) return prefixes[0];
  }
  return undefined;
}

/**
 * What is stored at `containerPath` (a volume or bind-mount target), looked up in the entry, then in
 * the linuxserver.io conventions for a linuxserver image, then in the generic paths (Docker socket,
 * local time). A trailing slash does not matter.
 */
export function volumePurpose(
  catalog: Catalog,
  entry: CatalogEntry | undefined,
  containerPath: string,
  image?: ImageName | string,
): string | undefined {
  const path = containerPath.length > 1 ? containerPath.replace(/\/+$/, '') : containerPath;
  const tables: Readonly<Record<string, string>>[] = [];
  if (entry !== undefined) tables.push(entry.volumes);
  if (image !== undefined && isLinuxserverImage(catalog, image)) tables.push(catalog.linuxserver.volumes);
  tables.push(catalog.generic.volumes);
  for (const table of tables) {
    const purpose = table[path];
    if (purpose !== undefined) return purpose;
  }
  return undefined;
}

/** True when `name` matches the glob `pattern`, where `*` stands for one or more characters. */
export function matchesVariablePattern(pattern: string, name: string): boolean {
  return globToRegExp(pattern).test(name);
}

function matchName(table: Readonly<Record<string, string>>, name: string): { purpose: string; key: string } | undefined {
  const exact = table[name];
  if (exact !== undefined && !name.includes('*')) return { purpose: exact, key: name };
  return matchPattern(table, name);
}

// The pattern with the most literal characters is the most specific, e.g. `AUTHENTIK_EMAIL__*`
// before `AUTHENTIK_*`; ties go to the pattern written first.
function matchPattern(table: Readonly<Record<string, string>>, name: string): { purpose: string; key: string } | undefined {
  let best: { purpose: string; key: string; literal: number } | undefined;
  for (const [key, purpose] of Object.entries(table)) {
    if (!key.includes('*') || !matchesVariablePattern(key, name)) continue;
    const literal = key.replaceAll('*', '').length;
    if (best === undefined || literal > best.literal) best = { purpose, key, literal };
  }
  return best === undefined ? undefined : { purpose: best.purpose, key: best.key };
}

const patternCache = new Map<string, RegExp>();

function globToRegExp(pattern: string): RegExp {
  let regexp = patternCache.get(pattern);
  if (regexp === undefined) {
    // Names are `[A-Za-z0-9_]` only (schema), so `*` is the one character needing translation.
    regexp = new RegExp(`^${pattern.split('*').join('.+')}$`);
    patternCache.set(pattern, regexp);
  }
  return regexp;
}

function trimUnderscores(prefix: string): string {
  return prefix.replace(/_+$/, '');
}

/**
 * The variant a command selects: its first word (`worker`), or its second when the first is the
 * program (`ak worker`, `n8n worker`). Options (`-x`, `--flag`) are skipped; a path keeps its last part.
 */
function findVariant(entry: CatalogEntry, command: string | readonly string[]): CatalogVariant | undefined {
  if (entry.variants.length === 0) return undefined;
  const words = commandWords(command).filter((word) => !word.startsWith('-'));
  const candidates = words.slice(0, 2).map((word) => word.replace(/^.*\//, ''));
  for (const word of candidates) {
    const variant = entry.variants.find((item) => item.command === word);
    if (variant !== undefined) return variant;
  }
  return undefined;
}

/** Splits a command written as a string (shell words, JSON array text) or as a list into words. */
function commandWords(command: string | readonly string[]): string[] {
  if (typeof command !== 'string') return [...command];
  const text = command.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Not JSON: fall through to shell-like splitting.
    }
  }
  return (text.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((word) => word.replace(/^(["'])(.*)\1$/, '$2'));
}

const variantCache = new WeakMap<CatalogEntry, Map<string, CatalogEntry>>();

// One frozen object per (entry, variant), so callers may compare entries by identity.
function applyVariant(entry: CatalogEntry, variant: CatalogVariant): CatalogEntry {
  let perEntry = variantCache.get(entry);
  if (perEntry === undefined) {
    perEntry = new Map();
    variantCache.set(entry, perEntry);
  }
  let applied = perEntry.get(variant.command);
  if (applied === undefined) {
    const { defaultPort: _port, ...rest } = entry;
    const port = variant.defaultPort === undefined ? entry.defaultPort : (variant.defaultPort ?? undefined);
    const merged: CatalogEntry = {
      ...rest,
      name: variant.name ?? entry.name,
      description: variant.description,
      roles: variant.roles ?? entry.roles,
      ...(port === undefined ? {} : { defaultPort: port }),
      notes: Object.freeze([...entry.notes, ...(variant.notes ?? [])]),
      variant,
    };
    applied = Object.freeze(merged);
    perEntry.set(variant.command, applied);
  }
  return applied;
}
