/**
 * The write-or-check step of the scripts that compile a committed file (the catalog, the Markdown
 * escaping rules): write `text` to `file` when it differs, or with `--check` write nothing and exit
 * 1 when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes (or, with `--check` in `argv`, only checks) a generated file; `command` regenerates it. */
export function updateGeneratedFile(file: string, text: string, command: string, argv: readonly string[] = process.argv): void {
  const name = path.basename(file);
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (argv.includes('--check')) {
    if (current !== text) {
      process.stderr.write(`${name} is stale: run \`${command}\` and commit it.\n`);
      process.exitCode = 1;
    }
  } else if (current === text) {
    process.stdout.write(`${name} is up to date.\n`);
  } else {
    writeFileSync(file, text);
    process.stdout.write(`${name} written.\n`);
  }
}
