/**
 * Finding the stacks of a repository: every folder holding a Compose file is a stack. Docker
 * Compose's own file names are recognised, in its order of preference, with their override files.
 */
import { readdir } from 'node:fs/promises';
import { glob } from 'tinyglobby';
import path from 'node:path';
import type { Diagnostic } from '../model/types.ts';

/** Main file names, in Docker Compose's order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;
/** Override files Docker Compose merges automatically after the main file. */
export const OVERRIDE_FILE_NAMES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'] as const;

export interface DiscoveredStack {
  /** Repository-relative folder (`.` for the repository root). */
  readonly dir: string;
  /** Main file, then override files; repository-relative. */
  readonly files: readonly string[];
}

export interface DiscoverOptions {
  /** Folders to skip, as globs relative to the root. */
  readonly ignore?: readonly string[];
}

/** Lists the stacks under `root`, sorted by folder. */
export async function discoverStacks(root: string, options: DiscoverOptions = {}): Promise<{ stacks: DiscoveredStack[]; diagnostics: Diagnostic[] }> {
  const names = [...COMPOSE_FILE_NAMES, ...OVERRIDE_FILE_NAMES];
  const ignore = ['**/node_modules/**', '**/.git/**', ...(options.ignore ?? [])];
  const found = await glob(names.map((n) => `**/${n}`), { cwd: root, dot: false, followSymbolicLinks: false, ignore });
  found.push(...(await symlinkedComposeFiles(root, ignore, names)));
  const byDir = new Map<string, Set<string>>();
  for (const file of found) {
    const dir = path.posix.dirname(file);
    if (!byDir.has(dir)) byDir.set(dir, new Set());
    byDir.get(dir)?.add(path.posix.basename(file));
  }
  const stacks: DiscoveredStack[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const dir of [...byDir.keys()].sort()) {
    const present = byDir.get(dir) ?? new Set<string>();
    const mains = COMPOSE_FILE_NAMES.filter((n) => present.has(n));
    const join = (name: string) => (dir === '.' ? name : `${dir}/${name}`);
    const main = mains[0];
    if (!main) {
      diagnostics.push({ severity: 'warning', file: join(OVERRIDE_FILE_NAMES.find((n) => present.has(n)) ?? ''), line: 0, column: 0, code: 'stack-override-only', message: 'an override file without a main compose file beside it is ignored; add compose.yaml to this folder' });
      continue;
    }
    if (mains.length > 1) {
      diagnostics.push({ severity: 'warning', file: join(main), line: 0, column: 0, code: 'stack-several-main-files', message: `this folder has several compose files (${mains.join(', ')}); like Docker Compose, compose-wiki uses ${main} and ignores the others` });
    }
    const overrides = OVERRIDE_FILE_NAMES.filter((n) => present.has(n)).slice(0, 1);
    stacks.push({ dir, files: [main, ...overrides].map(join) });
  }
  return { stacks, diagnostics };
}

/**
 * Compose files that are symbolic links. The glob above lists regular files only (it must not
 * follow links, which may leave the repository or loop), so links are looked up folder by folder;
 * reading them later turns a link that leaves the repository, loops or is broken into a
 * diagnostic instead of silently skipping the stack.
 */
async function symlinkedComposeFiles(root: string, ignore: readonly string[], names: readonly string[]): Promise<string[]> {
  const folders = await glob(['**'], { cwd: root, dot: false, onlyDirectories: true, followSymbolicLinks: false, ignore: [...ignore] });
  const out: string[] = [];
  for (const folder of ['.', ...folders.map((f) => f.replace(/\/$/, ''))]) {
    if (/(^|\/)(node_modules|\.git)(\/|$)/.test(folder)) continue;
    let listing;
    try {
      listing = await readdir(path.join(root, folder), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of listing) {
      if (entry.isSymbolicLink() && names.includes(entry.name)) out.push(folder === '.' ? entry.name : `${folder}/${entry.name}`);
    }
  }
  return out;
}
