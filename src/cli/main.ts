/**
 * The `compose-wiki` command line: declared commands and flags only. Each command is a thin
 * adapter in `commands/` over the library in `src/lib`, which it imports only when it runs: a
 * command loads what it needs (`--version` and `--help` load commander alone), not what the
 * other commands need (the Wiki.js client, the diff library of `check`).
 */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { registerCheck } from './commands/check.ts';
import { registerGenerate } from './commands/generate.ts';
import { registerModel } from './commands/model.ts';
import { registerPublish } from './commands/publish.ts';
import { OutputClosedError, UsageError, watchOutput } from './errors.ts';

/**
 * Exit codes of every command (DESIGN): success, findings, usage or configuration error; and 141
 * (128 + SIGPIPE) when the reader of stdout went away, as for any Unix tool.
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, outputClosed: 141 } as const;

/** Builds the program; commands set `process.exitCode`-style results through `state.code`. */
export function buildProgram(state: { code: number }): Command {
  const program = new Command('compose-wiki')
    .description('Documents a repository of Docker Compose stacks as a cited wiki.')
    .version((createRequire(import.meta.url)('../../package.json') as { version: string }).version)
    .showHelpAfterError('(run "compose-wiki --help" for usage)')
    .exitOverride();
  registerModel(program, state);
  registerGenerate(program, state);
  registerPublish(program, state);
  registerCheck(program, state);
  return program;
}

/** A ConfigError can only come from the config module, so it is loaded (if not yet) only to ask. */
async function isConfigError(error: Error): Promise<boolean> {
  const { ConfigError } = await import('../lib/config/load-config.ts');
  return error instanceof ConfigError;
}

/** Runs the command line and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const state = { code: EXIT.ok as number };
  const program = buildProgram(state);
  watchOutput();
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof OutputClosedError) return EXIT.outputClosed;
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError || (error instanceof Error && (await isConfigError(error)))) {
      process.stderr.write(`compose-wiki: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  return state.code;
}
