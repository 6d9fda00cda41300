/**
 * The variables a stack is interpolated with. Docker Compose reads `.env` beside the compose file
 * (and the shell environment, which wins). Repositories rarely commit `.env`, but keep an example
 * (`.env.example`, `env.sample`, …); its values stand in so that defaults and hosts resolve.
 */
import type { Diagnostic, EnvFile } from '../model/types.ts';
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

/** Reads `.env` and the example env files of the stack folder `dir` (repository-relative). */
export async function readStackEnvironment(root: string, dir: string, processEnv: Readonly<Record<string, string | undefined>>): Promise<StackEnvironment> {
  const join = (name: string) => (dir === '.' ? name : `${dir}/${name}`);
  const files: EnvFile[] = [];
  const texts = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const layers: ReadonlyMap<string, string>[] = [];
  for (const [name, role] of [['.env', 'dotenv'] as const, ...EXAMPLE_ENV_FILE_NAMES.map((n) => [n, 'example'] as const)]) {
    const file = join(name);
    const source = await readSourceFile(root, file);
    diagnostics.push(...source.diagnostics);
    if (source.text === undefined) continue;
    const parsed = parseEnvFile(source.text);
    texts.set(file, source.text);
    for (const line of parsed.invalidLines) {
      diagnostics.push({ severity: 'warning', file, line, column: 1, code: 'env-file-syntax', message: 'this line is not a NAME=value assignment and is ignored' });
    }
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
