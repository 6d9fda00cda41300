/**
 * Loading one stack: its main compose file, `include`d files, the override file, `extends`
 * bases and `env_file`s, resolved into located services and top-level resources.
 */
import path from 'node:path';
import type {
  Diagnostic, EnvFile, EnvironmentEntry, Located, NetworkDefinition, Service, SourceFile, SourceRange, Stack, TopLevelResource, VolumeDefinition,
} from '../model/types.ts';
import { parseEnvFile } from './env-file.ts';
import { envFileSyntax, maskSecretVariables, readStackEnvironment } from './env-sources.ts';
import type { Node as YamlNode } from 'yaml';
import type { VariableLookup } from './interpolate.ts';
import { mergeService } from './merge-service.ts';
import { readService, type ServiceDraft } from './read-service.ts';
import { readSourceFile, type SourceText } from './read-source.ts';
import { countLines, parseYamlFile, type YamlFile } from './yaml-file.ts';
import { entries, items, kindOf, report, resolve, text, isMap, isScalar, isSeq, type Entry, type ReadContext } from './yaml-view.ts';

export interface LoadStackOptions {
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /**
   * Compose files outside the stack's folder read and parsed so far, shared by the stacks of one
   * project: a base file that many stacks `extends` or `include` is parsed once (each stack still
   * reads its model from it, with its own variables). A stack's own files are not kept there: no
   * other stack reads them, and keeping every document until the last stack is loaded cost ~100 MB
   * at 10,000 services. Without it, each stack parses its files itself.
   */
  readonly parsed?: ParsedFiles;
}

/** A compose file as read and parsed (see `LoadStackOptions.parsed`); both steps are pure. */
export interface ParsedComposeFile {
  readonly source: SourceText;
  readonly parsed?: ReturnType<typeof parseYamlFile>;
}

/** Read and parsed compose files by repository path, for one run over one repository. */
export type ParsedFiles = Map<string, Promise<ParsedComposeFile>>;

/** Reads and parses `file` of `root`, or takes it from `cache` (its text and YAML do not depend on the stack). */
function readAndParse(root: string, file: string, cache: ParsedFiles | undefined): Promise<ParsedComposeFile> {
  let known = cache?.get(file);
  if (known === undefined) {
    known = readSourceFile(root, file).then((source) => (source.text === undefined ? { source } : { source, parsed: parseYamlFile(file, source.text) }));
    cache?.set(file, known);
  }
  return known;
}

export interface LoadedStack {
  readonly stack?: Stack;
  readonly files: readonly SourceFile[];
  readonly diagnostics: readonly Diagnostic[];
  /** Compose files this stack included (so that they are not also taken as stacks). */
  readonly included: readonly string[];
}

const TOP_LEVEL_KEYS = new Set(['version', 'name', 'include', 'services', 'networks', 'volumes', 'secrets', 'configs', 'models']);

/** One compose file read for this stack. */
interface ComposeDocument {
  readonly ctx: ReadContext;
  readonly top: ReadonlyMap<string, Entry>;
}

/** Loads the stack in folder `dir` whose compose files are `files` (main first). */
export async function loadStack(root: string, dir: string, files: readonly string[], options: LoadStackOptions): Promise<LoadedStack> {
  const diagnostics: Diagnostic[] = [];
  const sourceFiles = new Map<string, SourceFile>();
  const env = await readStackEnvironment(root, dir, options.processEnv);
  diagnostics.push(...env.diagnostics);
  for (const file of env.files) sourceFiles.set(file.path, { path: file.path, kind: 'env', lineCount: countLines(env.texts.get(file.path) ?? '') });

  // Values are interpolated for display: a secret variable's value never enters the model.
  const displayLookup = maskSecretVariables(env.lookup);
  const documents = new Map<string, ComposeDocument | null>();
  /** Files that exist but could not be read or parsed (their own diagnostics say why). */
  const unreadable = new Set<string>();
  /** Reads and parses a compose file once per stack. */
  const open = async (file: string): Promise<ComposeDocument | null> => {
    if (documents.has(file)) return documents.get(file) ?? null;
    documents.set(file, null);
    const own = dir === '.' || file.startsWith(`${dir}/`);
    const { source, parsed } = await readAndParse(root, file, own ? undefined : options.parsed);
    diagnostics.push(...source.diagnostics);
    if (source.diagnostics.length > 0) unreadable.add(file);
    if (source.text === undefined || parsed === undefined) return null;
    diagnostics.push(...parsed.diagnostics);
    sourceFiles.set(file, { path: file, kind: 'compose', lineCount: parsed.file?.lineCount ?? countLines(source.text) });
    if (!parsed.file) {
      unreadable.add(file);
      return null;
    }
    const ctx: ReadContext = { file: parsed.file, lookup: displayLookup, diagnostics, hasDotEnv: env.files.some((f) => f.role === 'dotenv') };
    const contents = parsed.file.doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) {
      // An empty main file is refused below; an empty included or override file is only useless.
      if (file !== files[0]) diagnostics.push({ severity: 'warning', file, line: 0, column: 0, code: 'compose-empty', message: emptyMessage(parsed.file.lines) });
    } else if (!isMap(contents)) {
      report(ctx, contents, 'error', 'compose-type', `a compose file must be a mapping with "services:" at the top, found ${kindOf(ctx, contents)}`);
      return null;
    }
    const top = new Map(entries(ctx, contents).map((e) => [e.key, e]));
    for (const [key, entry] of top) {
      if (key === 'version') report(ctx, entry.keyNode, 'info', 'compose-version-obsolete', 'the top-level "version" key is obsolete and ignored by Docker Compose; it can be removed');
      else if (!TOP_LEVEL_KEYS.has(key) && !key.startsWith('x-')) report(ctx, entry.keyNode, 'warning', 'compose-unknown-key', `unknown top-level key "${key}": check its spelling against the Compose Specification`);
    }
    const doc: ComposeDocument = { ctx, top };
    documents.set(file, doc);
    return doc;
  };

  /** Column of the first character written on a range's first line (after a list item's dash). */
  const columnAt = (range: SourceRange): number => {
    const text = documents.get(range.file)?.ctx.file.lines[range.startLine - 1] ?? '';
    const match = /^(\s*(?:-\s+)?)\S/.exec(text);
    return match ? (match[1] as string).length + 1 : 1;
  };

  const mainFile = files[0] as string;
  const main = await open(mainFile);
  if (!main) return { files: [...sourceFiles.values()], diagnostics, included: [] };
  if (main.top.size === 0) {
    // Docker Compose refuses an empty file (or one holding only comments): there is nothing to document.
    diagnostics.push({ severity: 'error', file: mainFile, line: 1, column: 1, code: 'compose-empty', message: 'the compose file is empty (or only comments); add a "services:" section or remove the file' });
    return { files: [...sourceFiles.values()], diagnostics, included: [] };
  }

  // The main file, its includes (depth first, before the file that includes them), then overrides.
  const included: string[] = [];
  const ordered: ComposeDocument[] = [];
  /** The file that included each included document (Compose refuses services defined by both). */
  const includedBy = new Map<ComposeDocument, ComposeDocument>();
  const includedOverrides = new Set<ComposeDocument>();
  const visit = async (doc: ComposeDocument, chain: readonly string[]): Promise<void> => {
    const includeNode = doc.top.get('include')?.node ?? null;
    if (includeNode !== null && !isSeq(includeNode)) {
      report(doc.ctx, includeNode, 'error', 'compose-type', `"include" must be a list of paths or mappings with "path", found ${kindOf(doc.ctx, includeNode)}`);
      return;
    }
    for (const item of items(doc.ctx, includeNode)) {
      for (const [index, { target, node }] of includeTargets(doc.ctx, item.node).entries()) {
        const file = resolveRelative(doc.ctx.file.path, target);
        if (file === undefined) {
          report(doc.ctx, node, 'error', 'compose-include-outside', `include "${target}" leads outside the repository; compose-wiki only reads files inside it`);
          continue;
        }
        if (chain.includes(file)) {
          report(doc.ctx, node, 'error', 'compose-include-cycle', `include cycle: ${[...chain, file].join(' → ')}; remove one of these includes`);
          continue;
        }
        if (included.includes(file)) continue; // already included through another file
        const child = await open(file);
        if (!child) {
          if (unreadable.has(file)) report(doc.ctx, node, 'error', 'compose-include-unreadable', `included file "${target}" could not be read; see the diagnostics of ${file}`);
          else if (!sourceFiles.has(file)) report(doc.ctx, node, 'error', 'compose-include-missing', `included file "${target}" does not exist (looked for ${file})`);
          continue;
        }
        included.push(file);
        includedBy.set(child, doc);
        // `path: [a.yml, b.yml]` loads b.yml over a.yml, as an override file.
        if (index > 0) includedOverrides.add(child);
        await visit(child, [...chain, file]);
        ordered.push(child);
      }
    }
  };
  await visit(main, [mainFile]);
  ordered.push(main);
  for (const override of files.slice(1)) {
    const doc = await open(override);
    if (!doc) continue;
    await visit(doc, [override]);
    ordered.push(doc);
  }

  // Services of one file, read once (reading reports the block's problems).
  const readDrafts = new Map<string, ServiceDraft | undefined>();
  const entriesByDoc = new Map<ComposeDocument, Map<string, Entry>>();
  const serviceEntries = (doc: ComposeDocument): Map<string, Entry> => {
    let found = entriesByDoc.get(doc);
    if (!found) {
      const servicesNode = doc.top.get('services')?.node ?? null;
      found = new Map(isMap(servicesNode) ? entries(doc.ctx, servicesNode).map((e) => [e.key, e]) : []);
      entriesByDoc.set(doc, found);
    }
    return found;
  };
  const draftIn = (doc: ComposeDocument, name: string): ServiceDraft | undefined => {
    const id = `${doc.ctx.file.path}#${name}`;
    if (readDrafts.has(id)) return readDrafts.get(id);
    const entry = serviceEntries(doc).get(name);
    const draft = entry ? readService(doc.ctx, entry, dir) : undefined;
    readDrafts.set(id, draft);
    return draft;
  };

  // `extends` is resolved within each file before files are merged, as Docker Compose does: a base
  // named without `file:` is a service of the same file; with `file:`, of that file.
  const resolveExtends = async (draft: ServiceDraft, doc: ComposeDocument, chain: readonly string[]): Promise<ServiceDraft> => {
    const ref = draft.extendsRef;
    if (!ref) return draft;
    const baseFile = ref.value.file ? resolveRelative(doc.ctx.file.path, ref.value.file) : doc.ctx.file.path;
    const at = ref.value.file && ref.fileAt ? ref.fileAt : ref.serviceAt;
    const here = (code: string, message: string, place = at) => diagnostics.push({ severity: 'error', file: doc.ctx.file.path, line: place.line, column: place.column, code, message });
    if (baseFile === undefined) {
      here('compose-extends-outside', `extends file "${ref.value.file}" leads outside the repository; compose-wiki only reads files inside it`);
      return withoutExtends(draft);
    }
    const label = `${baseFile}#${ref.value.service}`;
    if (chain.includes(label)) {
      here('compose-extends-cycle', `extends cycle: ${[...chain, label].join(' → ')}; one service must stop extending the other`, ref.serviceAt);
      return withoutExtends(draft);
    }
    let baseDoc: ComposeDocument | null = doc;
    if (ref.value.file) {
      baseDoc = await open(baseFile);
      if (!baseDoc) {
        if (!sourceFiles.has(baseFile)) here('compose-extends-missing', `extends file "${ref.value.file}" does not exist (looked for ${baseFile})`);
        else here('compose-extends-unreadable', `extends file "${ref.value.file}" could not be read; see the diagnostics of ${baseFile}`);
        return withoutExtends(draft);
      }
    }
    const base = draftIn(baseDoc, ref.value.service);
    if (!base) {
      here('compose-extends-unknown', `extends names service "${ref.value.service}", which ${ref.value.file ? `"${ref.value.file}"` : 'this file'} does not define`, ref.serviceAt);
      return withoutExtends(draft);
    }
    const baseResolved = await resolveExtends(base, baseDoc, [...chain, label]);
    return withoutExtends(mergeService(withoutExtends(baseResolved), draft, 'over'));
  };

  // Services: each file's definitions (extends resolved), merged in order over earlier files.
  const drafts = new Map<string, ServiceDraft>();
  const fromMain = new Set<string>();
  /** The file each service was first defined in, among the main file and the files it includes. */
  const definedBy = new Map<string, ComposeDocument>();
  const rootOf = (doc: ComposeDocument): ComposeDocument => {
    let current = doc;
    for (let parent = includedBy.get(current); parent; parent = includedBy.get(current)) current = parent;
    return current;
  };
  for (const doc of ordered) {
    const servicesNode = doc.top.get('services')?.node ?? null;
    if (servicesNode !== null && !isMap(servicesNode)) {
      report(doc.ctx, servicesNode, 'error', 'compose-type', `"services" must be a mapping of service names to settings, found ${kindOf(doc.ctx, servicesNode)}`);
      continue;
    }
    for (const entry of serviceEntries(doc).values()) {
      const draft = draftIn(doc, entry.key);
      if (!draft) continue;
      const earlier = definedBy.get(entry.key);
      if (earlier && earlier !== doc && rootOf(earlier) === main && rootOf(doc) === main && !includedOverrides.has(doc)) {
        report(doc.ctx, entry.keyNode, 'error', 'compose-include-conflict', `service "${entry.key}" is also defined in included file ${earlier.ctx.file.path}; Docker Compose refuses a service defined both by a file and by a file it includes. Rename one of them`);
        continue;
      }
      definedBy.set(entry.key, doc);
      const resolvedDraft = await resolveExtends(draft, doc, [`${doc.ctx.file.path}#${entry.key}`]);
      const existing = drafts.get(entry.key);
      if (doc === main) fromMain.add(entry.key);
      drafts.set(entry.key, existing ? mergeService(existing, resolvedDraft, 'base') : resolvedDraft);
    }
  }
  const resolved = drafts;

  // env_file: variable names (never values) become environment entries cited at the env file line.
  const envFiles: EnvFile[] = [...env.files];
  const services: Service[] = [];
  for (const draft of resolved.values()) {
    const references = [];
    const fromFiles: EnvironmentEntry[] = [];
    /** Variables already documented: the service's own environment wins over its env files. */
    const named = new Set(draft.environment.map((e) => e.name));
    for (const ref of draft.envFileRefs) {
      let file = resolveRelative(ref.range.file, ref.value.path);
      let source = file === undefined ? undefined : await readSourceFile(root, file);
      const exists = source?.text !== undefined;
      if (file !== undefined && !exists) {
        // Env files with real values are usually git-ignored; an example beside them names the same variables.
        const example = await findExample(root, file, env.files);
        if (example) {
          diagnostics.push({ severity: 'info', file: ref.range.file, line: ref.at.line, column: ref.at.column, code: 'env-file-example-used', message: `env_file "${ref.value.path}" is not in the repository; its variables are documented from ${example.file}` });
          file = example.file;
          source = example.source;
        }
      }
      references.push({ value: { ...ref.value, exists }, range: ref.range });
      if (file === undefined) {
        diagnostics.push({ severity: 'error', file: ref.range.file, line: ref.at.line, column: ref.at.column, code: 'env-file-outside', message: `env_file "${ref.value.path}" leads outside the repository` });
        continue;
      }
      diagnostics.push(...(source?.diagnostics ?? []));
      if (source?.text === undefined) {
        if (ref.value.required) diagnostics.push({ severity: 'warning', file: ref.range.file, line: ref.at.line, column: ref.at.column, code: 'env-file-missing', message: `env_file "${ref.value.path}" is not in the repository (looked for ${file}); its variables cannot be documented. Commit an example of it, or mark it "required: false"` });
        continue;
      }
      const parsed = parseEnvFile(source?.text ?? '');
      if (!sourceFiles.has(file)) {
        sourceFiles.set(file, { path: file, kind: 'env', lineCount: countLines(source?.text ?? '') });
        diagnostics.push(...envFileSyntax(file, source?.text ?? '', parsed.invalidLines));
      }
      if (!envFiles.some((e) => e.path === file)) envFiles.push({ path: file, role: 'env_file', variables: parsed.variables });
      for (const variable of parsed.variables) {
        if (named.has(variable.name)) continue;
        named.add(variable.name);
        fromFiles.push({
          name: variable.name,
          range: { file, startLine: variable.line, endLine: variable.line },
          origin: 'env_file',
          secret: variable.secret,
          variables: [],
          envFile: file,
          ...(variable.doc ? { doc: variable.doc } : {}),
        });
      }
    }
    const { envFileRefs: _refs, extendsRef: _ext, keys: _keys, ...service } = draft;
    services.push({ ...service, environment: [...draft.environment, ...fromFiles], envFiles: references });
  }

  const ctx = main.ctx;
  const nameEntry = main.top.get('name');
  const nameValue = nameEntry ? text(ctx, nameEntry.node) : undefined;
  const stackName = nameValue && nameEntry ? { value: nameValue, range: nameEntry.range } : { value: defaultProjectName(dir, root) };
  const description = stackDescription(main.ctx.file);
  const stack: Stack = {
    id: dir === '.' ? '.' : dir,
    name: stackName,
    files: [mainFile, ...included, ...files.slice(1)],
    range: contentRange(main.ctx.file),
    ...(description ? { description } : {}),
    services: orderServices(services, fromMain),
    networks: collectTop(ordered, 'networks', readNetwork),
    volumes: collectTop(ordered, 'volumes', readVolume),
    secrets: collectTop(ordered, 'secrets', readResource),
    configs: collectTop(ordered, 'configs', readResource),
    envFiles,
    extensions: Object.fromEntries([...main.top].filter(([k]) => k.startsWith('x-')).map(([k, e]) => [k, { value: null, range: e.range }])),
  };
  checkReferences(stack, diagnostics, columnAt);
  return { stack, files: [...sourceFiles.values()], diagnostics, included };
}

async function findExample(root: string, file: string, stackEnvFiles: readonly EnvFile[]): Promise<{ file: string; source: Awaited<ReturnType<typeof readSourceFile>> } | undefined> {
  const candidates = [`${file}.example`, `${file}.sample`, `${file}.dist`, `${file}.template`];
  if (path.posix.basename(file) === '.env') candidates.push(...stackEnvFiles.filter((f) => f.role === 'example').map((f) => f.path));
  for (const candidate of candidates) {
    const source = await readSourceFile(root, candidate);
    if (source.text !== undefined) return { file: candidate, source };
  }
  return undefined;
}

function withoutExtends(draft: ServiceDraft): ServiceDraft {
  const { extendsRef: _dropped, ...rest } = draft;
  return rest;
}

/** The paths an `include` item names: a string, or a mapping whose `path` is a string or a list. */
function includeTargets(ctx: ReadContext, node: YamlNode | null): Array<{ target: string; node: YamlNode | null }> {
  if (isMap(resolve(ctx, node))) {
    const pathEntry = entries(ctx, node).find((e) => e.key === 'path');
    const nodes = pathEntry ? (isSeq(pathEntry.node) ? items(ctx, pathEntry.node).map((i) => i.node) : [pathEntry.node]) : [];
    const out: Array<{ target: string; node: YamlNode | null }> = [];
    for (const pathNode of nodes) {
      const target = text(ctx, pathNode);
      if (target) out.push({ target, node: pathNode });
      else report(ctx, pathNode ?? node, 'error', 'compose-type', `an include path must be a string, found ${kindOf(ctx, pathNode)}`);
    }
    if (!pathEntry) report(ctx, node, 'error', 'compose-include', 'an include entry in long syntax needs "path"');
    return out;
  }
  const target = text(ctx, node);
  if (target === undefined || target === '') {
    report(ctx, node, 'error', 'compose-type', `an include entry must be a path or a mapping with "path", found ${kindOf(ctx, node)}`);
    return [];
  }
  return [{ target, node }];
}

/** Resolves `target` relative to the folder of repository file `from`; undefined when it leaves the repository. */
function resolveRelative(from: string, target: string): string | undefined {
  if (path.posix.isAbsolute(target)) return undefined;
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), target));
  return joined.startsWith('../') || joined === '..' ? undefined : joined;
}

/** Compose's default project name: the folder name, lower-cased, other characters dropped. */
function defaultProjectName(dir: string, root: string): string {
  const base = dir === '.' ? path.basename(root) : path.posix.basename(dir);
  return base.toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'default';
}

/** The comment block at the top of a file (before any content), minus editor directives. */
function stackDescription(file: YamlFile): Located<string> | undefined {
  const lines: string[] = [];
  let last = 0;
  for (let i = 0; i < file.lines.length; i++) {
    const trimmed = (file.lines[i] ?? '').trim();
    if (trimmed === '' && lines.length === 0) continue;
    if (!trimmed.startsWith('#')) break;
    if (/^#\s*(yaml-language-server|!|-\*-|vim:)/.test(trimmed)) continue;
    lines.push(trimmed.replace(/^#+ ?/, ''));
    last = i + 1;
  }
  const text = lines.join('\n').trim();
  if (!text) return undefined;
  const first = file.lines.findIndex((l) => l.trim().startsWith('#')) + 1;
  return { value: text, range: { file: file.path, startLine: first, endLine: last } };
}

function orderServices(services: Service[], fromMain: ReadonlySet<string>): Service[] {
  // Declaration order of the main file first (included files' services were read earlier).
  return [...services.filter((s) => fromMain.has(s.name)), ...services.filter((s) => !fromMain.has(s.name))];
}

type TopReader<T> = (ctx: ReadContext, entry: Entry) => T;

function collectTop<T extends { key: string }>(docs: readonly ComposeDocument[], section: string, read: TopReader<T>): T[] {
  const out: T[] = [];
  const at = new Map<string, number>();
  for (const doc of docs) {
    const node = doc.top.get(section)?.node ?? null;
    if (node !== null && !isMap(node)) {
      report(doc.ctx, node, 'error', 'compose-type', `"${section}" must be a mapping, found ${kindOf(doc.ctx, node)}`);
      continue;
    }
    for (const entry of entries(doc.ctx, node)) {
      const value = read(doc.ctx, entry);
      const index = at.get(value.key);
      if (index !== undefined) out[index] = value;
      else {
        at.set(value.key, out.length);
        out.push(value);
      }
    }
  }
  return out;
}

function fieldsOf(ctx: ReadContext, node: unknown): Map<string, Entry> {
  return new Map(entries(ctx, node).map((e) => [e.key, e]));
}

function readNetwork(ctx: ReadContext, entry: Entry): NetworkDefinition {
  const fields = fieldsOf(ctx, entry.node);
  const external = fields.get('external');
  const externalValue = external ? text(ctx, external.node) ?? '' : '';
  const externalName = external && isMap(external.node) ? text(ctx, fieldsOf(ctx, external.node).get('name')?.node ?? null) : undefined;
  const name = text(ctx, fields.get('name')?.node ?? null) ?? externalName ?? entry.key;
  const driver = text(ctx, fields.get('driver')?.node ?? null);
  return { key: entry.key, name, external: externalValue === 'true' || isMap(external?.node ?? null), range: entry.range, ...(driver ? { driver } : {}) };
}

function readVolume(ctx: ReadContext, entry: Entry): VolumeDefinition {
  return readNetwork(ctx, entry);
}

function readResource(ctx: ReadContext, entry: Entry): TopLevelResource {
  const fields = fieldsOf(ctx, entry.node);
  const kind = (['file', 'environment', 'content', 'external'] as const).find((k) => fields.has(k)) ?? 'unknown';
  // Inline `content:` may hold a secret: keep only that it is inline.
  const source = kind === 'file' || kind === 'environment' ? text(ctx, fields.get(kind)?.node ?? null) : undefined;
  return { key: entry.key, kind, range: entry.range, ...(source ? { source } : {}) };
}

/** Compose refuses services that name undeclared networks, volumes, secrets or services. */
function checkReferences(stack: Stack, diagnostics: Diagnostic[], columnAt: (range: SourceRange) => number): void {
  const at = (range: SourceRange, code: string, message: string) => diagnostics.push({ severity: 'error', file: range.file, line: range.startLine, column: columnAt(range), code, message });
  const networks = new Set(['default', ...stack.networks.map((n) => n.key)]);
  const volumes = new Set(stack.volumes.map((v) => v.key));
  const secrets = new Set(stack.secrets.map((s) => s.key));
  const configs = new Set(stack.configs.map((c) => c.key));
  const services = new Set(stack.services.map((s) => s.name));
  for (const service of stack.services) {
    for (const network of service.networks) {
      if (!networks.has(network.value.name)) at(network.range, 'compose-undefined-network', `service "${service.name}" uses network "${network.value.name}", which the stack does not declare under top-level "networks:"`);
    }
    for (const volume of service.volumes) {
      if (volume.value.type === 'volume' && volume.value.source && !volumes.has(volume.value.source)) {
        at(volume.range, 'compose-undefined-volume', `service "${service.name}" mounts named volume "${volume.value.source}", which the stack does not declare under top-level "volumes:"`);
      }
    }
    for (const secret of service.secrets) {
      if (!secrets.has(secret.value.source)) at(secret.range, 'compose-undefined-secret', `service "${service.name}" uses secret "${secret.value.source}", which the stack does not declare under top-level "secrets:"`);
    }
    for (const config of service.configs) {
      if (!configs.has(config.value.source)) at(config.range, 'compose-undefined-config', `service "${service.name}" uses config "${config.value.source}", which the stack does not declare under top-level "configs:"`);
    }
    for (const dependency of service.dependsOn) {
      if (!services.has(dependency.value.service)) at(dependency.range, 'compose-undefined-service', `service "${service.name}" depends on "${dependency.value.service}", which this stack does not define`);
    }
  }
}

/** The whole file without leading and trailing blank lines. */
function contentRange(file: YamlFile) {
  let start = 1;
  let end = Math.max(1, file.lineCount);
  while (start < end && (file.lines[start - 1] ?? '').trim() === '') start++;
  while (end > start && (file.lines[end - 1] ?? '').trim() === '') end--;
  return { file: file.path, startLine: start, endLine: end };
}

function emptyMessage(lines: readonly string[]): string {
  if (lines.every((l) => l.trim() === '')) return 'the file is empty: it defines no services';
  if (lines.every((l) => /^\s*(#.*)?$/.test(l))) return 'the file holds only comments: it defines no services';
  return 'the file\'s YAML document is empty (null): it defines no services';
}


