/**
 * Reading and validating `compose-wiki.yaml`. Errors name the file, line and column of the
 * offending value and say what is expected, the way the loader reports compose files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { defaultConfigFile } from './defaults.ts';
import type { Config, configSchema } from './schema.ts';

const require = createRequire(import.meta.url);

/** The schema, loaded (with zod) on first use: only a config file needs validating. */
function schema(): typeof configSchema {
  return (require('./schema.ts') as typeof import('./schema.ts')).configSchema;
}

/** Name of the config file looked for in the working folder. */
export const CONFIG_FILE_NAME = 'compose-wiki.yaml';

/** A configuration problem with its place; the CLI prints it and exits with code 2. */
export class ConfigError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  constructor(file: string, line: number, column: number, message: string) {
    super(`${file}${line ? `:${line}:${column}` : ''}: ${message}`);
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/**
 * Loads the config file at `file` (or returns the defaults when `file` is undefined), resolving
 * `source` and `content` against the file's folder (or `cwd`). `defaultSource` applies when the
 * config names none.
 */
export function loadConfig(file: string | undefined, options: { cwd: string; defaultSource: string }): Config {
  if (file === undefined) {
    const parsed = defaultConfigFile();
    return { ...parsed, source: options.defaultSource, content: path.resolve(options.cwd, parsed.content) };
  }
  const display = path.relative(options.cwd, file) || file;
  if (!existsSync(file)) throw new ConfigError(display, 0, 0, 'config file not found');
  const text = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new ConfigError(display, line, col, `invalid YAML: ${first.message.split('\n')[0]}`);
  }
  const result = schema().safeParse(doc.toJS() ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    // An unknown key is reported at the key itself, with the keys that are allowed there.
    const unknown = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const keyPath = [...((issue?.path ?? []) as (string | number)[]), ...(unknown !== undefined ? [unknown] : [])];
    const at = issue ? nodeAt(doc.contents, keyPath, unknown !== undefined) : undefined;
    const pos = at?.range ? lineCounter.linePos(at.range[0]) : { line: 0, col: 0 };
    const where = issue?.path.length ? `"${issue.path.join('.')}"` : 'the config';
    const message = unknown !== undefined ? `unknown key "${keyPath.join('.')}": check its spelling (see the README's configuration section)` : `${where}: ${issue?.message ?? 'invalid value'}`;
    throw new ConfigError(display, pos.line, pos.col, message);
  }
  const base = path.dirname(file);
  return {
    ...result.data,
    file,
    source: result.data.source ? path.resolve(base, result.data.source) : options.defaultSource,
    content: path.resolve(base, result.data.content),
  };
}

/** The deepest node of the config document along `keys` (for error positions). */
function nodeAt(root: unknown, keys: readonly (string | number)[], wantKey = false): YamlNode | undefined {
  let current: unknown = root;
  let found: YamlNode | undefined = isNode(root) ? root : undefined;
  for (const [index, key] of keys.entries()) {
    if (!current || typeof current !== 'object' || !('get' in current)) break;
    const pair = (current as { items?: Array<{ key: unknown; value: unknown }> }).items?.find((p) => (isNode(p.key) ? String((p.key as { value?: unknown }).value) : String(p.key)) === String(key)) as { key: unknown; value: unknown } | undefined;
    if (wantKey && index === keys.length - 1 && pair && isNode(pair.key)) return pair.key;
    const next = pair ? pair.value ?? pair.key : (current as { get(k: unknown, keep: boolean): unknown }).get(key, true);
    if (!isNode(next)) {
      if (pair && isNode(pair.key)) found = pair.key;
      break;
    }
    found = next;
    current = next;
  }
  return found;
}

/** Finds `compose-wiki.yaml` in `cwd` when no `--config` is given. */
export function findConfigFile(cwd: string, explicit: string | undefined): string | undefined {
  if (explicit) return path.resolve(cwd, explicit);
  const candidate = path.join(cwd, CONFIG_FILE_NAME);
  return existsSync(candidate) ? candidate : undefined;
}
