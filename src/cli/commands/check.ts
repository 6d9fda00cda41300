/** `compose-wiki check`: fails when the pages no longer match the compose files. */
import { once } from 'node:events';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { CheckReporter, ReportPaths } from '../../lib/check/index.ts';
import { assertOutputOpen, OutputClosedError, UsageError } from '../errors.ts';

interface CheckCommandOptions {
  source?: string;
  content?: string;
  config?: string;
  format: 'text' | 'json' | 'github';
  fix?: boolean;
}

/** Colour on a terminal only; `NO_COLOR` (any non-empty value) turns it off, `FORCE_COLOR` on. */
function useColor(env: NodeJS.ProcessEnv, isTTY: boolean | undefined): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return isTTY === true && env.TERM !== 'dumb';
}

/**
 * Writes to stdout; while its buffer is full, returns a promise to wait on (a slow pipe must not
 * make output pile up in memory). No promise otherwise: most pages have nothing to write.
 */
function write(chunk: string | Uint8Array): Promise<void> | undefined {
  // Once the reader is gone (`check | head`), the check stops instead of running on unread.
  assertOutputOpen();
  if (chunk.length === 0 || process.stdout.write(chunk)) return undefined;
  return once(process.stdout, 'drain').then(
    () => undefined,
    (error: NodeJS.ErrnoException) => {
      throw error.code === 'EPIPE' ? new OutputClosedError() : error;
    },
  );
}

/** The reporter of one output format, loading only its module. */
async function reporterModule(format: CheckCommandOptions['format']): Promise<(paths: ReportPaths, options: { color: boolean }) => CheckReporter> {
  if (format === 'json') {
    const { jsonReporter } = await import('../../lib/check/format-json.ts');
    return (paths) => jsonReporter(paths);
  }
  if (format === 'github') {
    const { githubReporter } = await import('../../lib/check/format-github.ts');
    return (paths) => githubReporter(paths);
  }
  return (await import('../../lib/check/format-text.ts')).textReporter;
}

export function registerCheck(program: Command, state: { code: number }): void {
  program
    .command('check')
    .description('Check that the pages match the compose files: drift, citations and findings. Exit 0 clean, 1 problems, 2 usage error.')
    .option('--source <dir>', 'root of the compose repository (default: from compose-wiki.yaml, else the bundled example)')
    .option('--content <dir>', 'content folder holding the pages (default: content/)')
    .option('--config <file>', 'config file (default: ./compose-wiki.yaml when present)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--fix', 'run generate first, then check')
    .action(async (options: CheckCommandOptions) => {
      // The run and the one report form asked for, not the check library's index (every form).
      const [{ runCheck }, reporterOf, { ConfigError }, { nowFromEnvironment }, { generateProject, resolveConfig }] = await Promise.all([
        import('../../lib/check/run-check.ts'),
        reporterModule(options.format),
        import('../../lib/config/load-config.ts'), // not index.ts: its schemas load zod
        import('../../lib/merge/index.ts'),
        import('../../lib/pipeline/index.ts'),
      ]);
      let config;
      let now: string;
      try {
        config = resolveConfig({ source: options.source, content: options.content, config: options.config });
        now = nowFromEnvironment(process.env);
      } catch (error) {
        if (error instanceof ConfigError || (error instanceof Error && error.message.startsWith('SOURCE_DATE_EPOCH'))) throw new UsageError(error.message);
        throw error;
      }
      if (options.fix) {
        const generated = await generateProject(config);
        process.stderr.write(`generate: ${generated.written.length} page(s) written, ${generated.unchanged.length} unchanged\n`);
      }
      const cwd = process.cwd();
      const contentLabel = path.relative(cwd, config.content).split(path.sep).join('/') || '.';
      const paths: ReportPaths = { source: config.source, content: config.content, cwd };
      const reporter = reporterOf(paths, { color: useColor(process.env, process.stdout.isTTY) });
      try {
        // Each page's drift is written as it is checked, not held until the end.
        const { report } = await runCheck(config, { now, contentLabel, onPage: (checked) => write(reporter.page(checked)) });
        for (const chunk of reporter.end(report)) await write(chunk);
        state.code = report.exitCode;
      } finally {
        reporter.close?.();
      }
    });
}
