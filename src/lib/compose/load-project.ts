/**
 * Loading a whole repository: discover its stacks, load each (several at a time), and return
 * one immutable Project whose facts all carry their source ranges.
 */
import path from 'node:path';
import pLimit from 'p-limit';
import type { Diagnostic, Project, SourceFile, Stack } from '../model/types.ts';
import { deepFreeze } from '../model/freeze.ts';
import { discoverStacks, type DiscoverOptions } from './discover.ts';
import { loadStack, type LoadedStack, type LoadStackOptions, type ParsedFiles } from './load-stack.ts';

export interface LoadProjectOptions extends DiscoverOptions {
  /**
   * Variables that win over `.env`, as the shell environment does for Docker Compose. Empty by
   * default so that the model (and every page) is the same on every machine.
   */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
  /** How many stacks load at once. */
  readonly concurrency?: number;
  /** Display name of the project; defaults to the root folder's name. */
  readonly name?: string;
}

/** Loads every stack below `root`. Never throws for bad input: problems become diagnostics. */
export async function loadProject(root: string, options: LoadProjectOptions = {}): Promise<Project> {
  const absoluteRoot = path.resolve(root);
  const discovered = await discoverStacks(absoluteRoot, options);
  const limit = pLimit(options.concurrency ?? 16);
  const parsed: ParsedFiles = new Map();
  const loaded = await Promise.all(
    discovered.stacks.map((s) => limit(() => loadStackSafely(absoluteRoot, s.dir, s.files, { processEnv: options.processEnv ?? {}, parsed }))),
  );
  const included = new Set(loaded.flatMap((l) => l.included));
  const stacks: Stack[] = [];
  const files = new Map<string, SourceFile>();
  const diagnostics: Diagnostic[] = [...discovered.diagnostics];
  for (const result of loaded) {
    // A compose file that another stack includes is part of that stack, not a stack of its own.
    if (result.stack && included.has(result.stack.files[0] ?? '')) continue;
    if (result.stack) stacks.push(result.stack);
    for (const file of result.files) files.set(file.path, file);
    diagnostics.push(...result.diagnostics);
  }
  const project: Project = {
    name: options.name ?? path.basename(absoluteRoot),
    stacks,
    files: [...files.values()].sort((a, b) => compare(a.path, b.path)),
    diagnostics: dedupe(diagnostics).sort((a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.code, b.code)),
  };
  return deepFreeze(project);
}

/**
 * Loads one stack; should the loader itself fail on some input nobody foresaw, the failure becomes
 * a diagnostic of that stack and every other stack is still documented. The error's message is not
 * quoted: it could carry a value from the file.
 */
async function loadStackSafely(root: string, dir: string, files: readonly string[], options: LoadStackOptions): Promise<LoadedStack> {
  try {
    return await loadStack(root, dir, files, options);
  } catch (error) {
    const kind = error instanceof Error ? error.name : 'error';
    return {
      files: [],
      included: [],
      diagnostics: [{ severity: 'error', file: files[0] ?? dir, line: 0, column: 0, code: 'internal-error', message: `compose-wiki failed while reading this stack (${kind}); the other stacks are documented. Please report this file as a bug` }],
    };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
