/**
 * What `check` needs to know about the compose repository to judge a citation: the lines of each
 * cited file, the service blocks of each compose file (to tell when a range straddles two
 * services), and the stack a file belongs to (to tell a stack range that stops early).
 */
import path from 'node:path';
import { readSourceFile } from '../compose/index.ts';
import type { Project, Service, SourceRange, Stack } from '../model/types.ts';

/** One block of service definition in one file (a main block, an override, an `extends` base). */
export interface ServiceBlock {
  /** The YAML key on the block's first line (the service name, or the base's key). */
  readonly label: string;
  readonly range: SourceRange;
  /** The services this block defines (several when one base is extended by several services). */
  readonly services: readonly { readonly stack: string; readonly name: string }[];
}

export interface SourceIndex {
  /** Lines of a repository file (no trailing empty line), undefined when it can't be read. */
  lines(file: string): readonly string[] | undefined;
  /** Service blocks of a file, sorted by start line, without duplicates. */
  blocks(file: string): readonly ServiceBlock[];
  /** The stack whose compose files include `file`. */
  stackOf(file: string): Stack | undefined;
  stack(id: string): Stack | undefined;
  service(stack: string, name: string): Service | undefined;
}

/** A SourceIndex that reads more files when asked (files cited by a page, before it is validated). */
export interface GrowingSourceIndex extends SourceIndex {
  /** Reads the files of `files` not read yet; `lines` answers for them afterwards. */
  load(files: Iterable<string>): Promise<void>;
}

/** A repository-relative POSIX path, or undefined when it would leave the repository. */
export function normaliseRepoPath(file: string): string | undefined {
  if (normalised.has(file)) return normalised.get(file);
  const normal = normaliseRepoPathOnce(file);
  if (normalised.size >= 10_000) normalised.clear();
  // The path is cut from a page's text: a V8 slice would keep that whole text alive in the memo.
  normalised.set(Buffer.from(file, 'utf8').toString('utf8'), normal === undefined ? undefined : Buffer.from(normal, 'utf8').toString('utf8'));
  return normal;
}

/** Paths cited by pages, normalised once (a page cites the same few files dozens of times). */
const normalised = new Map<string, string | undefined>();

function normaliseRepoPathOnce(file: string): string | undefined {
  if (file === '' || file.includes('\\') || file.includes('\0') || path.posix.isAbsolute(file)) return undefined;
  const normal = path.posix.normalize(file);
  if (normal === '..' || normal.startsWith('../') || normal === '.') return undefined;
  return normal;
}

/** Splits a text into lines the way line numbers count them (a final newline ends the last line). */
export function splitLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Builds the index: reads every file in `files` (repository-relative) and every file holding a
 * service block through the loader's safe reader (inside the repository, size-limited, UTF-8), and
 * collects the service blocks. `load` reads more files later.
 */
export async function buildSourceIndex(root: string, project: Project, files: Iterable<string>): Promise<GrowingSourceIndex> {
  const texts = new Map<string, readonly string[] | undefined>();
  const reading = new Map<string, Promise<void>>();
  const load = async (more: Iterable<string>): Promise<void> => {
    const pending: Promise<void>[] = [];
    for (const file of more) {
      const normal = normaliseRepoPath(file);
      if (normal === undefined || texts.has(normal)) continue;
      let promise = reading.get(normal);
      if (!promise) {
        promise = readSourceFile(root, normal).then(
          (read) => {
            texts.set(normal, read.text === undefined ? undefined : splitLines(read.text));
          },
          () => {
            texts.set(normal, undefined);
          },
        );
        reading.set(normal, promise);
        void promise.finally(() => reading.delete(normal));
      }
      pending.push(promise);
    }
    await Promise.all(pending);
  };

  const stackByFile = new Map<string, Stack>();
  const services = new Map<string, Service>();
  const blockMap = new Map<string, Map<string, { range: SourceRange; services: { stack: string; name: string }[] }>>();
  for (const stack of project.stacks) {
    for (const file of stack.files) if (!stackByFile.has(file)) stackByFile.set(file, stack);
    for (const service of stack.services) {
      services.set(`${stack.id}\u0000${service.name}`, service);
      // The main block and the blocks of other files (overrides, `extends` bases); YAML anchors in
      // the same file (`x-env: &env`) are shared settings, not a service of their own.
      const ranges = [service.range, ...service.definitions.filter((d) => d.file !== service.range.file)];
      for (const range of ranges) {
        const byFile = blockMap.get(range.file) ?? new Map();
        blockMap.set(range.file, byFile);
        const key = `${range.startLine}-${range.endLine}`;
        const block = byFile.get(key) ?? { range, services: [] };
        if (!block.services.some((s: { stack: string; name: string }) => s.stack === stack.id && s.name === service.name)) block.services.push({ stack: stack.id, name: service.name });
        byFile.set(key, block);
      }
    }
  }
  // The files of the service blocks are read now, whoever cites them, so that a block's label
  // does not depend on which pages were validated first.
  await load([...files, ...blockMap.keys()]);
  const blocks = new Map<string, ServiceBlock[]>();
  for (const [file, byFile] of blockMap) {
    const lines = texts.get(file);
    const list = [...byFile.values()]
      .map((b) => ({ label: keyOf(lines?.[b.range.startLine - 1]) ?? b.services[0]?.name ?? '?', range: b.range, services: b.services }))
      .sort((a, b) => a.range.startLine - b.range.startLine || a.range.endLine - b.range.endLine);
    blocks.set(file, list);
  }

  const stacksById = new Map(project.stacks.map((s) => [s.id, s]));
  return {
    lines: (file) => {
      const normal = normaliseRepoPath(file);
      return normal === undefined ? undefined : texts.get(normal);
    },
    blocks: (file) => blocks.get(normaliseRepoPath(file) ?? '') ?? [],
    stackOf: (file) => stackByFile.get(normaliseRepoPath(file) ?? ''),
    stack: (id) => stacksById.get(id),
    service: (stack, name) => services.get(`${stack}\u0000${name}`),
    load,
  };
}

/** The key of a `key:` line (quotes removed), for naming a block. */
function keyOf(line: string | undefined): string | undefined {
  const match = line === undefined ? null : /^\s*(?:"([^"]+)"|'([^']+)'|([^\s:#][^:#]*?))\s*:/.exec(line);
  const key = match?.[1] ?? match?.[2] ?? match?.[3];
  return key?.trim() || undefined;
}
