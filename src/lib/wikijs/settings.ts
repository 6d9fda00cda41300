/**
 * Publish settings: the `wikijs:` section of compose-wiki.yaml, overridden by command-line flags,
 * and the API key — from the environment variable WIKIJS_TOKEN or a file named in the
 * configuration, never from a flag (command lines end up in shell history and process lists).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { WikiConfigError } from './errors.ts';
import { DEFAULT_GENERATOR_TAG, sourceUrlTemplateProblem } from './conventions.ts';

export const TOKEN_ENV = 'WIKIJS_TOKEN';

/** The `wikijs:` section of compose-wiki.yaml. */
export const wikiSettingsSchema = z
  .object({
    /** `api` or `git`; inferred from which of url / git is set when absent. */
    target: z.enum(['api', 'git']).optional(),
    url: z.string().optional(),
    /** File holding the API key (relative to the configuration file). */
    tokenFile: z.string().optional(),
    locale: z.string().default('en'),
    /** Wiki path under which compose-wiki publishes, e.g. `home/Platform`. '' = whole wiki. */
    prefix: z.string().default(''),
    generatorTag: z.string().default(DEFAULT_GENERATOR_TAG),
    concurrency: z.number().int().min(1).max(16).default(4),
    timeoutSeconds: z.number().positive().max(600).default(30),
    retries: z.number().int().min(0).max(10).default(4),
    /** Citation link template: `{path}`, `{start}`, `{end}`. */
    sourceUrl: z.string().optional(),
    /** Folder of the pages to publish (relative to the configuration file). Default `content`. */
    content: z.string().optional(),
    git: z
      .object({
        repo: z.string(),
        branch: z.string().optional(),
        dir: z.string().default(''),
        authorName: z.string().optional(),
        authorEmail: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type WikiSettingsFile = z.infer<typeof wikiSettingsSchema>;

/** Flags of `compose-wiki publish` (all optional; they override the file). */
export interface PublishFlags {
  readonly config?: string;
  readonly content?: string;
  readonly url?: string;
  readonly git?: string;
  readonly branch?: string;
  readonly prefix?: string;
  readonly locale?: string;
  readonly sourceUrl?: string;
  readonly concurrency?: string | number;
  readonly dryRun?: boolean;
  readonly diff?: boolean;
  readonly prune?: boolean;
}

export interface PublishSettings {
  readonly target: 'api' | 'git';
  readonly contentDir: string;
  readonly url?: string;
  readonly tokenFile?: string;
  readonly locale: string;
  readonly prefix: string;
  readonly generatorTag: string;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly sourceUrlTemplate?: string;
  readonly git?: { readonly repo: string; readonly branch?: string; readonly dir: string; readonly author?: { name: string; email: string } };
  readonly dryRun: boolean;
  readonly diff: boolean;
  readonly prune: boolean;
}

/** Reads the `wikijs:` section of a compose-wiki.yaml text (absent section ⇒ defaults). */
export function parseWikiSettings(yamlText: string, where = 'compose-wiki.yaml'): WikiSettingsFile {
  let doc: unknown;
  try {
    doc = parseYaml(yamlText);
  } catch (error) {
    throw new WikiConfigError(`${where}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const section = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).wikijs : undefined;
  const parsed = wikiSettingsSchema.safeParse(section ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `wikijs.${i.path.join('.')}: ${i.message}`).join('; ');
    throw new WikiConfigError(`${where}: ${issues}`);
  }
  return parsed.data;
}

/** Merges the configuration file (if any) with the flags and checks the result. */
export function resolvePublishSettings(flags: PublishFlags, cwd: string): PublishSettings {
  const configPath = path.resolve(cwd, flags.config ?? 'compose-wiki.yaml');
  if (flags.config && !existsSync(configPath)) throw new WikiConfigError(`--config ${flags.config}: no such file.`);
  const file = existsSync(configPath) ? parseWikiSettings(readFileSync(configPath, 'utf8'), configPath) : parseWikiSettings('');
  const base = existsSync(configPath) ? path.dirname(configPath) : cwd;

  const gitRepo = flags.git ?? file.git?.repo;
  let target: 'api' | 'git';
  if (flags.git) target = 'git';
  else if (flags.url) target = 'api';
  else if (file.target) target = file.target;
  else if (file.url && !file.git) target = 'api';
  else if (file.git && !file.url) target = 'git';
  else if (file.url && file.git) throw new WikiConfigError('Both wikijs.url and wikijs.git are configured: set wikijs.target, or pass --url or --git.');
  else throw new WikiConfigError('Nothing to publish to: pass --url <wiki address> or --git <storage repository>, or configure wikijs.url / wikijs.git in compose-wiki.yaml.');

  const url = flags.url ?? file.url;
  if (target === 'api' && !url) throw new WikiConfigError('The API target needs the wiki address: --url or wikijs.url.');
  if (target === 'git' && !gitRepo) throw new WikiConfigError('The Git target needs the storage repository: --git or wikijs.git.repo.');

  let concurrency = file.concurrency;
  if (flags.concurrency !== undefined) {
    const n = Number(flags.concurrency);
    if (!Number.isInteger(n) || n < 1 || n > 16) throw new WikiConfigError('--concurrency must be a whole number from 1 to 16.');
    concurrency = n;
  }
  const sourceUrlTemplate = flags.sourceUrl ?? file.sourceUrl;
  if (sourceUrlTemplate) {
    const problem = sourceUrlTemplateProblem(sourceUrlTemplate);
    if (problem) throw new WikiConfigError(problem);
  }
  const author = file.git?.authorName && file.git.authorEmail ? { name: file.git.authorName, email: file.git.authorEmail } : undefined;
  return {
    target,
    contentDir: flags.content ? path.resolve(cwd, flags.content) : path.resolve(base, file.content ?? 'content'),
    url,
    tokenFile: file.tokenFile ? path.resolve(base, file.tokenFile) : undefined,
    locale: flags.locale ?? file.locale,
    prefix: flags.prefix ?? file.prefix,
    generatorTag: file.generatorTag,
    concurrency,
    timeoutMs: file.timeoutSeconds * 1000,
    retries: file.retries,
    sourceUrlTemplate,
    git: gitRepo ? { repo: gitRepo, branch: flags.branch ?? file.git?.branch, dir: file.git?.dir ?? '', author } : undefined,
    dryRun: flags.dryRun ?? false,
    diff: flags.diff ?? false,
    prune: flags.prune ?? false,
  };
}

/**
 * The API key: WIKIJS_TOKEN when set, else the configured token file. Messages name where the key
 * was looked for, never the key. `warnings` gets a note when the file is readable by others.
 */
export function resolveToken(env: NodeJS.ProcessEnv, tokenFile: string | undefined, warnings: string[] = []): string {
  const fromEnv = env[TOKEN_ENV]?.trim();
  let token: string | undefined;
  let source: string;
  if (fromEnv) {
    token = fromEnv;
    source = TOKEN_ENV;
  } else if (tokenFile) {
    source = `the token file ${tokenFile}`;
    try {
      token = readFileSync(tokenFile, 'utf8').trim();
      if ((statSync(tokenFile).mode & 0o077) !== 0) warnings.push(`${tokenFile} is readable by other users; chmod 600 it.`);
    } catch (error) {
      throw new WikiConfigError(`Cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`);
    }
  } else {
    throw new WikiConfigError(
      `No Wiki.js API key: set ${TOKEN_ENV}, or name a token file in compose-wiki.yaml (wikijs.tokenFile). ` +
        'There is deliberately no flag for it: command lines end up in shell history and process lists.',
    );
  }
  if (!token) throw new WikiConfigError(`The API key from ${source} is empty.`);
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(token)) throw new WikiConfigError(`The API key from ${source} contains spaces or control characters; paste the key alone.`);
  return token;
}
