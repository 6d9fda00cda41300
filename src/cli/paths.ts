/** How the CLI shows a file of the compose repository: relative to the working folder, as compilers do. */
import path from 'node:path';

/**
 * A function turning a repository-relative POSIX path (as diagnostics carry it) into the path to
 * print: relative to `cwd`, `/`-separated, so that a terminal or an editor opens the right file
 * whatever folder the command ran in.
 */
export function shownFrom(root: string, cwd: string = process.cwd()): (file: string) => string {
  return (file) => path.relative(cwd, path.join(root, ...file.split('/'))).split(path.sep).join('/') || file;
}
