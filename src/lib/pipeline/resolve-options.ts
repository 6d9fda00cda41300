/**
 * Turning command-line options into a validated configuration: `--config` or `compose-wiki.yaml`
 * in the working folder, then `--source` / `--out` overrides, with the bundled example as the
 * default source.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// load-config.ts rather than the config index: the schemas (zod) load only when a file is validated.
import { ConfigError, findConfigFile, loadConfig } from '../config/load-config.ts';
import type { Config } from '../config/schema.ts';

/** The bundled example homelab: the default source of every command. */
export const EXAMPLE_SOURCE = fileURLToPath(new URL('../../../examples/homelab', import.meta.url));

export interface CommandOptions {
  readonly source?: string;
  readonly content?: string;
  readonly config?: string;
  readonly cwd?: string;
}

/** Loads the config and applies overrides. Throws ConfigError for a bad config or missing folder. */
export function resolveConfig(options: CommandOptions): Config {
  const cwd = options.cwd ?? process.cwd();
  const file = findConfigFile(cwd, options.config);
  const config = loadConfig(file, { cwd, defaultSource: EXAMPLE_SOURCE });
  const source = options.source ? path.resolve(cwd, options.source) : config.source;
  if (!existsSync(source) || !statSync(source).isDirectory()) {
    throw new ConfigError(options.source ? '--source' : (file ? path.relative(cwd, file) : 'source'), 0, 0, `${source === EXAMPLE_SOURCE ? 'the bundled example' : path.relative(cwd, source) || source} is not a folder; point --source at the root of your compose repository`);
  }
  return { ...config, source, content: options.content ? path.resolve(cwd, options.content) : config.content };
}
