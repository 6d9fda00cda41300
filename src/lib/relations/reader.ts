/** A synchronous reader of repository files, confined to the repository root. */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RepositoryReader } from './types.ts';

/** Largest file the relations layer reads (configuration files are small). */
const MAX_BYTES = 1024 * 1024;

/** Reads `path` (repository-relative, POSIX) below `root`; undefined when absent, too large or outside. */
export function repositoryReader(root: string): RepositoryReader {
  const base = path.resolve(root);
  return (file) => {
    const full = path.resolve(base, ...file.split('/'));
    if (full !== base && !full.startsWith(base + path.sep)) return undefined;
    try {
      if (statSync(full).size > MAX_BYTES) return undefined;
      return readFileSync(full, 'utf8');
    } catch {
      return undefined;
    }
  };
}
