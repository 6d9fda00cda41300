/** Helpers shared by the command adapters: locating the source repository. */
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { UsageError } from './errors.ts';

/** The bundled example homelab: the default source of every command. */
export const EXAMPLE_SOURCE = fileURLToPath(new URL('../../examples/homelab', import.meta.url));

/** Resolves `--source`, defaulting to the bundled example; a missing folder is a usage error. */
export function resolveSource(source: string | undefined): string {
  const resolved = path.resolve(source ?? EXAMPLE_SOURCE);
  if (!existsSync(resolved) || !statSync(resolved).isDirectory()) {
    throw new UsageError(`--source ${source}: no such folder. Point --source at the root of your compose repository.`);
  }
  return resolved;
}
