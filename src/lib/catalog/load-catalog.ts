/**
 * Reading the catalog's data files: every `*.yaml` of one folder, validated, inheritance resolved,
 * cross-checked (unique ids and images), frozen, and cached per folder so each file is read once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { normaliseImageRepository } from './image-name.ts';
import { catalogEntrySchema, commonFileSchema } from './schema.ts';
import type { Catalog, CatalogEntry, CatalogEntryData, CommonFileData } from './schema.ts';

/** File name of the shared-variables file inside a catalog folder. */
export const COMMON_FILE_NAME = 'common.yaml';

/** The folder of data files shipped with compose-wiki. */
export const DEFAULT_CATALOG_FOLDER: string = fileURLToPath(new URL('./data/', import.meta.url));

const cache = new Map<string, Catalog>();

/**
 * Loads the catalog from `folder` (default: the shipped data), synchronously, once per folder.
 *
 * @throws Error naming the file, the YAML path and line, and the problem, when a data file is not
 *   valid YAML, does not match the schema, or clashes with another file (duplicate id or image,
 *   unknown `extends`).
 */
export function loadCatalog(folder: string | URL = DEFAULT_CATALOG_FOLDER): Catalog {
  const path = resolve(typeof folder === 'string' ? folder : fileURLToPath(folder));
  let catalog = cache.get(path);
  if (catalog === undefined) {
    catalog = readCatalog(path);
    cache.set(path, catalog);
  }
  return catalog;
}

interface SourcedEntry {
  readonly data: CatalogEntryData;
  readonly file: string;
}

function readCatalog(folder: string): Catalog {
  const names = readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  if (!names.includes(COMMON_FILE_NAME)) throw new Error(`Catalog folder ${folder} has no ${COMMON_FILE_NAME}`);

  const files: string[] = [];
  const written: SourcedEntry[] = [];
  let common: CommonFileData | undefined;
  for (const name of names) {
    const file = join(folder, name);
    files.push(file);
    const { document, lines } = readYaml(file);
    const raw: unknown = document.toJS();
    if (name === COMMON_FILE_NAME) {
      common = validate(commonFileSchema, raw, [], file, document, lines);
      continue;
    }
    // A file holds one entry (a mapping) or a family of entries (a sequence).
    const items: unknown[] = Array.isArray(raw) ? raw : [raw];
    if (items.length === 0) throw new Error(`Invalid catalog data file ${file}: the list of entries is empty`);
    items.forEach((item, index) => {
      const at = Array.isArray(raw) ? [index] : [];
      written.push({ data: validate(catalogEntrySchema, item, at, file, document, lines), file });
    });
  }
  if (common === undefined) throw new Error(`Catalog folder ${folder} has no ${COMMON_FILE_NAME}`);

  const entries = resolveInheritance(written);
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const byImage = indexImages(entries);
  return deepFreeze({
    entries,
    byId,
    byImage,
    linuxserver: {
      namespaces: common.linuxserver.namespaces.map((namespace) => normaliseImageRepository(namespace)),
      env: common.linuxserver.env,
      groups: common.linuxserver.groups ?? {},
      volumes: common.linuxserver.volumes ?? {},
      notes: common.linuxserver.notes ?? [],
    },
    generic: { env: common.generic.env, groups: common.generic.groups ?? {}, volumes: common.generic.volumes ?? {} },
    files,
  });
}

function readYaml(file: string): { document: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const document = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
  const error = document.errors[0];
  if (error !== undefined) {
    const line = error.pos[0] >= 0 ? lines.linePos(error.pos[0]).line : 0;
    throw new Error(`Invalid catalog data file ${file}:${line}: YAML syntax: ${error.message}`);
  }
  return { document, lines };
}

/** Parses `value` with `schema`; on failure throws one Error listing every issue by YAML path and line. */
function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  at: readonly (string | number)[],
  file: string,
  document: Document,
  lines: LineCounter,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = [...at, ...issue.path.filter((key) => typeof key !== 'symbol')];
    const line = lineOf(document, lines, path);
    return `${formatYamlPath(path)}${line > 0 ? ` (line ${line})` : ''}: ${describeIssue(issue)}`;
  });
  return fail(file, problems);
}

// A bad record key (variable name, group prefix, container path) carries its reason one level down.
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key' && issue.issues.length > 0) {
    return `${issue.message}: ${issue.issues.map((inner) => inner.message).join('; ')}`;
  }
  return issue.message;
}

function fail(file: string, problems: readonly string[]): never {
  throw new Error(`Invalid catalog data file ${file}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
}

/** Line of the node at `path`, or of its nearest existing ancestor (a missing field points at its parent). */
function lineOf(document: Document, lines: LineCounter, path: readonly (string | number)[]): number {
  for (let length = path.length; length >= 0; length--) {
    const node: unknown = document.getIn(path.slice(0, length), true);
    if (node !== null && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
      const offset: unknown = node.range[0];
      if (typeof offset === 'number') return lines.linePos(offset).line;
    }
  }
  return 0;
}

/** `[0].env.AUTHENTIK_SECRET_KEY`, `volumes["/media"]`; `(root)` for the document itself. */
export function formatYamlPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(key)}]`;
  }
  return text;
}

/** Applies `extends`: the child's fields win, maps merge key by key, notes and images do not inherit. */
function resolveInheritance(written: readonly SourcedEntry[]): CatalogEntry[] {
  const byId = new Map<string, SourcedEntry>();
  for (const item of written) {
    const other = byId.get(item.data.id);
    if (other !== undefined) {
      fail(item.file, [`id "${item.data.id}" is already used by an entry of ${basename(other.file)}`]);
    }
    byId.set(item.data.id, item);
  }
  const resolved = new Map<string, CatalogEntry>();
  const resolveOne = (item: SourcedEntry, chain: readonly string[]): CatalogEntry => {
    const done = resolved.get(item.data.id);
    if (done !== undefined) return done;
    const { data, file } = item;
    let parent: CatalogEntry | undefined;
    if (data.extends !== undefined) {
      const base = byId.get(data.extends);
      if (base === undefined) fail(file, [`${data.id}.extends: no entry has the id "${data.extends}"`]);
      if (chain.includes(data.extends)) fail(file, [`${data.id}.extends: cycle ${[...chain, data.extends].join(' -> ')}`]);
      parent = resolveOne(base, [...chain, data.extends]);
    }
    const entry: CatalogEntry = {
      id: data.id,
      name: data.name,
      images: data.images,
      description: data.description,
      ...(data.extends !== undefined ? { extends: data.extends } : {}),
      ...optional('homepage', data.homepage ?? parent?.homepage),
      category: data.category ?? parent?.category ?? 'other',
      roles: data.roles ?? parent?.roles ?? ['other'],
      ...optional('protocol', data.protocol ?? parent?.protocol),
      ...optional('defaultPort', data.defaultPort ?? parent?.defaultPort),
      env: { ...parent?.env, ...data.env },
      groups: { ...parent?.groups, ...data.groups },
      volumes: { ...parent?.volumes, ...data.volumes },
      notes: [...(parent?.notes ?? []), ...(data.notes ?? [])],
      variants: data.variants ?? parent?.variants ?? [],
      file,
    };
    const commands = entry.variants.map((variant) => variant.command);
    const repeated = commands.find((command, index) => commands.indexOf(command) !== index);
    if (repeated !== undefined) fail(file, [`${data.id}.variants: command "${repeated}" is listed twice`]);
    resolved.set(entry.id, entry);
    return entry;
  };
  return written.map((item) => resolveOne(item, [item.data.id]));
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function indexImages(entries: readonly CatalogEntry[]): Map<string, CatalogEntry> {
  const byImage = new Map<string, CatalogEntry>();
  for (const entry of entries) {
    for (const image of entry.images) {
      const key = normaliseImageRepository(image);
      const other = byImage.get(key);
      if (other !== undefined) {
        fail(entry.file, [`${entry.id}.images: "${image}" is already claimed by "${other.id}" (${basename(other.file)})`]);
      }
      byImage.set(key, entry);
    }
  }
  return byImage;
}

// Maps are frozen too, though `Object.freeze` cannot stop `Map#set`; their type is read-only.
function deepFreeze<T>(value: T): T {
  if (value instanceof Map) {
    for (const item of value.values()) deepFreeze(item);
  } else if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value !== null && typeof value === 'object' ? Object.freeze(value) : value;
}
