/**
 * Loading one stack: its main compose file, `include`d files, the override file, `extends`
 * bases and `env_file`s, resolved into located services and top-level resources.
 */
import path from 'node:path';
import type {
  Diagnostic, EnvFile, EnvironmentEntry, Located, NetworkDefinition, Service, SourceFile, SourceRange, Stack, TopLevelResource, VolumeDefinition,
} from '../model/types.ts';
import { parseEnvFile } from './env-file.ts';
import { readStackEnvironment } from './env-sources.ts';
import type { VariableLookup } from './interpolate.ts';
import { mergeService } from './merge-service.ts';
import { readService, type ServiceDraft } from './read-service.ts';
import { readSourceFile } from './read-source.ts';
import { parseYamlFile, type YamlFile } from './yaml-file.ts';
import { entries, items, kindOf, report, resolve, text, isMap, isSeq, type Entry, type ReadContext } from './yaml-view.ts';

export interface LoadStackOptions {
  readonly processEnv: Readonly<Record<string, string | undefined>>;
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
  for (const file of env.files) sourceFiles.set(file.path, { path: file.path, kind: 'env', lineCount: lineCount(env.texts.get(file.path) ?? '') });

  const documents = new Map<string, ComposeDocument | null>();
  /** Reads and parses a compose file once per stack. */
  const open = async (file: string): Promise<ComposeDocument | null> => {
    if (documents.has(file)) return documents.get(file) ?? null;
    documents.set(file, null);
    const source = await readSourceFile(root, file);
    diagnostics.push(...source.diagnostics);
    if (source.text === undefined) return null;
    const parsed = parseYamlFile(file, source.text);
    diagnostics.push(...parsed.diagnostics);
    sourceFiles.set(file, { path: file, kind: 'compose', lineCount: parsed.file?.lineCount ?? lineCount(source.text) });
    if (!parsed.file) return null;
    const ctx: ReadContext = { file: parsed.file, lookup: env.lookup, diagnostics, hasDotEnv: env.files.some((f) => f.role === 'dotenv') };
    const contents = parsed.file.doc.contents;
    if (contents !== null && !isMap(contents)) {
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

  const mainFile = files[0] as string;
  const main = await open(mainFile);
  if (!main) return { files: [...sourceFiles.values()], diagnostics, included: [] };

  // The main file, its includes (depth first, before the file that includes them), then overrides.
  const included: string[] = [];
  const ordered: ComposeDocument[] = [];
  const visit = async (doc: ComposeDocument, chain: readonly string[]): Promise<void> => {
    for (const item of items(doc.ctx, doc.top.get('include')?.node ?? null)) {
      const target = includePath(doc.ctx, item.node);
      if (!target) continue;
      const file = resolveRelative(doc.ctx.file.path, target);
      if (file === undefined) {
        report(doc.ctx, item.node, 'error', 'compose-include-outside', `include "${target}" leads outside the repository; compose-wiki only reads files inside it`);
        continue;
      }
      if (chain.includes(file)) {
        report(doc.ctx, item.node, 'error', 'compose-include-cycle', `include cycle: ${[...chain, file].join(' → ')}; remove one of these includes`);
        continue;
      }
      const child = await open(file);
      if (!child) {
        if (!sourceFiles.has(file)) report(doc.ctx, item.node, 'error', 'compose-include-missing', `included file "${target}" does not exist (looked for ${file})`);
        continue;
      }
      included.push(file);
      await visit(child, [...chain, file]);
      ordered.push(child);
    }
  };
  if (main.top.has('include') && !isSeq(resolve(main.ctx, main.top.get('include')?.node))) {
    report(main.ctx, main.top.get('include')?.node, 'error', 'compose-type', '"include" must be a list of paths or mappings with "path"');
  }
  await visit(main, [mainFile]);
  ordered.push(main);
  for (const override of files.slice(1)) {
    const doc = await open(override);
    if (doc) ordered.push(doc);
  }

  // Services: read each definition, merge overrides over earlier definitions.
  const drafts = new Map<string, ServiceDraft>();
  const fromMain = new Set<string>();
  for (const doc of ordered) {
    const servicesNode = doc.top.get('services')?.node ?? null;
    if (servicesNode !== null && !isMap(servicesNode)) {
      report(doc.ctx, servicesNode, 'error', 'compose-type', `"services" must be a mapping of service names to settings, found ${kindOf(doc.ctx, servicesNode)}`);
      continue;
    }
    for (const entry of entries(doc.ctx, servicesNode)) {
      const draft = readService(doc.ctx, entry, dir);
      const existing = drafts.get(entry.key);
      if (doc === main) fromMain.add(entry.key);
      drafts.set(entry.key, existing ? mergeService(existing, draft, 'base') : draft);
    }
  }

  // `extends`: resolve each chain (same file or another file), detecting cycles.
  const resolved = new Map<string, ServiceDraft>();
  const resolveExtends = async (draft: ServiceDraft, chain: readonly string[], doc: ComposeDocument): Promise<ServiceDraft> => {
    const ref = draft.extendsRef;
    if (!ref) return draft;
    const baseFile = ref.value.file ? resolveRelative(ref.range.file, ref.value.file) : ref.range.file;
    const label = `${baseFile ?? ref.value.file}#${ref.value.service}`;
    const here = (code: string, message: string) => diagnostics.push({ severity: 'error', file: ref.range.file, line: ref.range.startLine, column: 1, code, message });
    if (baseFile === undefined) {
      here('compose-extends-outside', `extends file "${ref.value.file}" leads outside the repository`);
      return draft;
    }
    if (chain.includes(label)) {
      here('compose-extends-cycle', `extends cycle: ${[...chain, label].join(' → ')}; one service must stop extending the other`);
      return withoutExtends(draft);
    }
    let base: ServiceDraft | undefined;
    let baseDoc = doc;
    if (!ref.value.file) {
      base = drafts.get(ref.value.service);
    } else {
      const other = await open(baseFile);
      if (!other) {
        if (!sourceFiles.has(baseFile)) here('compose-extends-missing', `extends file "${ref.value.file}" does not exist (looked for ${baseFile})`);
        return withoutExtends(draft);
      }
      baseDoc = other;
      const entry = entries(other.ctx, other.top.get('services')?.node ?? null).find((e) => e.key === ref.value.service);
      base = entry ? readService(other.ctx, entry, dir) : undefined;
    }
    if (!base) {
      here('compose-extends-unknown', `extends names service "${ref.value.service}", which ${ref.value.file ? `"${ref.value.file}"` : 'this stack'} does not define`);
      return withoutExtends(draft);
    }
    const baseResolved = await resolveExtends(base, [...chain, label], baseDoc);
    return withoutExtends(mergeService(withoutExtends(baseResolved), draft, 'over'));
  };
  for (const [name, draft] of drafts) {
    const origin = ordered.find((d) => d.ctx.file.path === draft.range.file) ?? main;
    resolved.set(name, await resolveExtends(draft, [`${draft.range.file}#${name}`], origin));
  }

  // env_file: variable names (never values) become environment entries cited at the env file line.
  const envFiles: EnvFile[] = [...env.files];
  const services: Service[] = [];
  for (const draft of resolved.values()) {
    const references = [];
    const fromFiles: EnvironmentEntry[] = [];
    for (const ref of draft.envFileRefs) {
      let file = resolveRelative(ref.range.file, ref.value.path);
      let source = file === undefined ? undefined : await readSourceFile(root, file);
      const exists = source?.text !== undefined;
      if (file !== undefined && !exists) {
        // Env files with real values are usually git-ignored; an example beside them names the same variables.
        const example = await findExample(root, file, env.files);
        if (example) {
          diagnostics.push({ severity: 'info', file: ref.range.file, line: ref.range.startLine, column: 1, code: 'env-file-example-used', message: `env_file "${ref.value.path}" is not in the repository; its variables are documented from ${example.file}` });
          file = example.file;
          source = example.source;
        }
      }
      references.push({ value: { ...ref.value, exists }, range: ref.range });
      if (file === undefined) {
        diagnostics.push({ severity: 'error', file: ref.range.file, line: ref.range.startLine, column: 1, code: 'env-file-outside', message: `env_file "${ref.value.path}" leads outside the repository` });
        continue;
      }
      diagnostics.push(...(source?.diagnostics ?? []));
      if (source?.text === undefined) {
        if (ref.value.required) diagnostics.push({ severity: 'warning', file: ref.range.file, line: ref.range.startLine, column: 1, code: 'env-file-missing', message: `env_file "${ref.value.path}" is not in the repository (looked for ${file}); its variables cannot be documented. Commit an example of it, or mark it "required: false"` });
        continue;
      }
      const parsed = parseEnvFile(source?.text ?? '');
      if (!sourceFiles.has(file)) sourceFiles.set(file, { path: file, kind: 'env', lineCount: lineCount(source?.text ?? '') });
      if (!envFiles.some((e) => e.path === file)) envFiles.push({ path: file, role: 'env_file', variables: parsed.variables });
      for (const variable of parsed.variables) {
        if (draft.environment.some((e) => e.name === variable.name) || fromFiles.some((e) => e.name === variable.name)) continue;
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
    range: { file: mainFile, startLine: 1, endLine: Math.max(1, main.ctx.file.lineCount) },
    ...(description ? { description } : {}),
    services: orderServices(services, fromMain),
    networks: collectTop(ordered, 'networks', readNetwork),
    volumes: collectTop(ordered, 'volumes', readVolume),
    secrets: collectTop(ordered, 'secrets', readResource),
    configs: collectTop(ordered, 'configs', readResource),
    envFiles,
    extensions: Object.fromEntries([...main.top].filter(([k]) => k.startsWith('x-')).map(([k, e]) => [k, { value: null, range: e.range }])),
  };
  checkReferences(stack, diagnostics);
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

function includePath(ctx: ReadContext, node: unknown): string | undefined {
  if (isMap(resolve(ctx, node))) {
    const pathEntry = entries(ctx, node).find((e) => e.key === 'path');
    const value = pathEntry ? (isSeq(pathEntry.node) ? text(ctx, items(ctx, pathEntry.node)[0]?.node) : text(ctx, pathEntry.node)) : undefined;
    if (!value) report(ctx, node, 'error', 'compose-include', 'an include entry in long syntax needs "path"');
    return value;
  }
  const value = text(ctx, node);
  if (value === undefined) report(ctx, node, 'error', 'compose-type', `an include entry must be a path or a mapping with "path", found ${kindOf(ctx, node)}`);
  return value;
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
  for (const doc of docs) {
    const node = doc.top.get(section)?.node ?? null;
    if (node !== null && !isMap(node)) {
      report(doc.ctx, node, 'error', 'compose-type', `"${section}" must be a mapping, found ${kindOf(doc.ctx, node)}`);
      continue;
    }
    for (const entry of entries(doc.ctx, node)) {
      const value = read(doc.ctx, entry);
      const index = out.findIndex((o) => o.key === value.key);
      if (index >= 0) out[index] = value;
      else out.push(value);
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
function checkReferences(stack: Stack, diagnostics: Diagnostic[]): void {
  const at = (range: SourceRange, code: string, message: string) => diagnostics.push({ severity: 'error', file: range.file, line: range.startLine, column: 1, code, message });
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

function lineCount(text: string): number {
  const lines = text.split(/\r?\n|\r/);
  return lines.at(-1) === '' ? lines.length - 1 : lines.length;
}

