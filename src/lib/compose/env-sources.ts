/**
 * The variables a stack is interpolated with. Docker Compose reads `.env` beside the compose file
 * (and the shell environment, which wins). Repositories rarely commit `.env`, but keep an example
 * (`.env.example`, `env.sample`, …); its values stand in so that defaults and hosts resolve.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic, EnvFile } from '../model/types.ts';
import { hasUrlCredentials, isSecretName, looksSecretValue, maskUrlCredentials } from '../model/secrets.ts';
import { parseEnvFile } from './env-file.ts';
import { readSourceFile } from './read-source.ts';
import type { VariableLookup } from './interpolate.ts';

/** Example env file names looked for beside a stack, in order of preference. */
export const EXAMPLE_ENV_FILE_NAMES = ['.env.example', '.env.sample', 'env.example', 'env.sample', 'example.env', '.env.dist', '.env.template', 'sample.env'] as const;

export interface StackEnvironment {
  readonly lookup: VariableLookup;
  readonly files: EnvFile[];
  readonly texts: Map<string, string>;
  readonly diagnostics: Diagnostic[];
}

/** The env files looked for, in order of precedence: `.env`, then the examples. */
const ENV_FILE_CANDIDATES = [['.env', 'dotenv'] as const, ...EXAMPLE_ENV_FILE_NAMES.map((name) => [name, 'example'] as const)];

/** Reads `.env` and the example env files of the stack folder `dir` (repository-relative). */
export async function readStackEnvironment(root: string, dir: string, processEnv: Readonly<Record<string, string | undefined>>): Promise<StackEnvironment> {
  const join = (name: string) => (dir === '.' ? name : `${dir}/${name}`);
  const files: EnvFile[] = [];
  const texts = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const layers: ReadonlyMap<string, string>[] = [];
  // One listing of the folder instead of a failed lstat per name that is not there. A name that is
  // listed (a file, a link, a folder: whatever lstat would have found) is read exactly as before.
  const listed = await listedNames(root, dir);
  const candidates = ENV_FILE_CANDIDATES.filter(([name]) => listed === undefined || listed.has(name.toLowerCase()));
  const sources = await Promise.all(candidates.map(([name]) => readSourceFile(root, join(name))));
  for (const [index, [name, role]] of candidates.entries()) {
    const file = join(name);
    const source = sources[index]!;
    diagnostics.push(...source.diagnostics);
    if (source.text === undefined) continue;
    const parsed = parseEnvFile(source.text);
    texts.set(file, source.text);
    diagnostics.push(...envFileSyntax(file, source.text, parsed.invalidLines));
    files.push({ path: file, role, variables: parsed.variables });
    layers.push(parsed.values);
  }
  const lookup: VariableLookup = (name) => {
    const fromProcess = processEnv[name];
    if (fromProcess !== undefined) return fromProcess;
    for (const layer of layers) {
      const value = layer.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  return { lookup, files, texts, diagnostics };
}

/**
 * The names in the stack folder, lower-cased (so that a case-insensitive file system, where
 * `lstat('.env')` finds `.ENV`, loses nothing), or undefined when the folder cannot be listed:
 * then every name is tried, as it always was.
 */
async function listedNames(root: string, dir: string): Promise<ReadonlySet<string> | undefined> {
  try {
    return new Set((await readdir(path.join(root, ...dir.split('/')))).map((name) => name.toLowerCase()));
  } catch {
    return undefined;
  }
}

/** Warnings for the lines of an env file that are no assignment (never quoting the line: it may hold a secret). */
export function envFileSyntax(file: string, text: string, invalidLines: readonly number[]): Diagnostic[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  return invalidLines.map((line) => {
    const column = (lines[line - 1] ?? '').search(/\S/) + 1 || 1;
    return { severity: 'warning', file, line, column, code: 'env-file-syntax', message: 'this line is not a NAME=value assignment (or its quote never closes) and is ignored' };
  });
}

/** The masked stand-in for a secret variable's value once interpolated. */
export const MASKED_VALUE = '***';

/**
 * A lookup for display: a variable that is secret by its name or the shape of its value reads as
 * `***` (URL credentials inside it masked instead), so interpolating `APP_SETTING: ${DB_PASSWORD}`
 * never copies the password into the model. Unset and empty stay unset and empty, so that
 * `${VAR:-default}` and `${VAR:?error}` behave as they would with the real value.
 */
export function maskSecretVariables(lookup: VariableLookup): VariableLookup {
  return (name) => {
    const value = lookup(name);
    if (value === undefined || value === '') return value;
    if (isSecretName(name) || looksSecretValue(value)) return MASKED_VALUE;
    return hasUrlCredentials(value) ? maskUrlCredentials(value) : value;
  };
}
