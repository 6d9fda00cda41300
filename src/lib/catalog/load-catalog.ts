/**
 * Reading the catalog's data files: every `*.yaml` of one folder, validated, inheritance resolved,
 * cross-checked (unique ids and images), frozen, and cached per folder so each file is read once.
 *
 * The YAML files are the source of truth. Parsing and validating them costs ~0.1 s, at every start
 * of every command, so the shipped folder also has a compiled form, `catalog.generated.json`: the
 * validated data of every file and a fingerprint of the YAML it came from (`npm run catalog`
 * writes it; test/catalog fails when it is stale). It is used only while the fingerprint matches
 * the YAML on disk, so an edited data file takes effect at once, read the slow way. Only that
 * way loads the schemas (and zod).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { z } from 'zod';
import { normaliseImageRepository } from './image-name.ts';
import type { Catalog, CatalogEntry, CatalogEntryData, CommonFileData } from './schema.ts';

const require = createRequire(import.meta.url);

/** File name of the shared-variables file inside a catalog folder. */
export const COMMON_FILE_NAME = 'common.yaml';

/** The folder of data files shipped with compose-wiki. */
export const DEFAULT_CATALOG_FOLDER: string = fileURLToPath(new URL('./data/', import.meta.url));

/** The compiled form of {@link DEFAULT_CATALOG_FOLDER} (see `compileCatalog`). */
export const COMPILED_CATALOG_FILE: string = fileURLToPath(new URL('./catalog.generated.json', import.meta.url));

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
    catalog = readCatalog(path, path === resolve(DEFAULT_CATALOG_FOLDER) ? COMPILED_CATALOG_FILE : undefined);
    cache.set(path, catalog);
  }
  return catalog;
}

/**
 * Reads the catalog of `folder` without the cache. With `compiledFile`, the validated data is taken
 * from that file when its fingerprint matches the folder's YAML files (else, or when it is missing
 * or unreadable, the YAML is parsed and validated as always).
 */
export function readCatalog(folder: string, compiledFile?: string): Catalog {
  const sources = readSources(folder);
  const compiled = compiledFile === undefined ? undefined : readCompiled(compiledFile, fingerprint(sources));
  return assemble(folder, compiled ?? validateSources(sources));
}

/**
 * The compiled form of the catalog of `folder`: its YAML files, validated, as the JSON text that
 * `npm run catalog` writes to {@link COMPILED_CATALOG_FILE}.
 *
 * @throws as {@link loadCatalog} on an invalid data file.
 */
export function compileCatalog(folder: string = DEFAULT_CATALOG_FOLDER): string {
  const sources = readSources(resolve(folder));
  const data = validateSources(sources);
  assemble(resolve(folder), data); // the cross-checks (ids, images, extends) must pass too
  const compiled: CompiledCatalog = {
    comment: 'Generated from data/*.yaml by `npm run catalog`; do not edit. Used only while `sources` matches the YAML files.',
    sources: fingerprint(sources),
    ...data,
  };
  return `${JSON.stringify(compiled, null, 2)}\n`;
}

/** One data file as read: its name in the folder, its path and its text. */
interface SourceFile {
  readonly name: string;
  readonly path: string;
  readonly text: string;
}

/** The validated content of a catalog folder, before inheritance: what the compiled file holds. */
interface CatalogData {
  readonly common: CommonFileData;
  readonly files: readonly { readonly name: string; readonly entries: readonly CatalogEntryData[] }[];
}

interface CompiledCatalog extends CatalogData {
  readonly comment: string;
  readonly sources: string;
}

function readSources(folder: string): SourceFile[] {
  const names = readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  if (!names.includes(COMMON_FILE_NAME)) throw new Error(`Catalog folder ${folder} has no ${COMMON_FILE_NAME}`);
  return names.map((name) => {
    const path = join(folder, name);
    return { name, path, text: readFileSync(path, 'utf8') };
  });
}

/** A hash of the data files' names and texts. */
function fingerprint(sources: readonly SourceFile[]): string {
  const hash = createHash('sha256');
  // Line endings do not change what YAML reads (a checkout with CRLF keeps the compiled file usable).
  for (const { name, text } of sources) {
    const normalised = text.replace(/\r\n?/g, '\n');
    hash.update(`${name}\0${normalised.length}\0${normalised}\0`);
  }
  return `sha256:${hash.digest('hex')}`;
}

/** The compiled data, when `file` exists, parses and was compiled from exactly these sources. */
function readCompiled(file: string, sources: string): CatalogData | undefined {
  let compiled: Partial<CompiledCatalog>;
  try {
    compiled = JSON.parse(readFileSync(file, 'utf8')) as Partial<CompiledCatalog>;
  } catch {
    return undefined;
  }
  if (compiled.sources !== sources || compiled.common === undefined || !Array.isArray(compiled.files)) return undefined;
  return { common: compiled.common, files: compiled.files };
}

/** Parses every data file and validates it against the schema. */
function validateSources(sources: readonly SourceFile[]): CatalogData {
  // Loaded here, not at the top: the compiled catalog needs no validation, and zod is 95 modules.
  const { catalogEntrySchema, commonFileSchema } = require('./schema.ts') as typeof import('./schema.ts');
  let common: CommonFileData | undefined;
  const files: { name: string; entries: CatalogEntryData[] }[] = [];
  for (const { name, path, text } of sources) {
    const { document, lines } = readYaml(path, text);
    const raw: unknown = document.toJS();
    if (name === COMMON_FILE_NAME) {
      common = validate(commonFileSchema, raw, [], path, document, lines);
      continue;
    }
    // A file holds one entry (a mapping) or a family of entries (a sequence).
    const items: unknown[] = Array.isArray(raw) ? raw : [raw];
    if (items.length === 0) throw new Error(`Invalid catalog data file ${path}: the list of entries is empty`);
    files.push({
      name,
      entries: items.map((item, index) => validate(catalogEntrySchema, item, Array.isArray(raw) ? [index] : [], path, document, lines)),
    });
  }
  if (common === undefined) throw new Error(`Catalog has no ${COMMON_FILE_NAME}`); // readSources made sure it has
  return { common, files };
}

interface SourcedEntry {
  readonly data: CatalogEntryData;
  readonly file: string;
}

/** Resolves inheritance, cross-checks and indexes the validated data of `folder`, frozen. */
function assemble(folder: string, data: CatalogData): Catalog {
  const { common } = data;
  const written: SourcedEntry[] = data.files.flatMap(({ name, entries }) => entries.map((entry) => ({ data: entry, file: join(folder, name) })));
  const files = [COMMON_FILE_NAME, ...data.files.map(({ name }) => name)].sort().map((name) => join(folder, name));
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

function readYaml(file: string, text: string): { document: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
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
