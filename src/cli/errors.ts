/** An error in how a command was called or configured: reported in one line, exit code 2. */
export class UsageError extends Error {}

/**
 * The reader of stdout went away (`compose-wiki check | head`). The command stops writing and
 * exits quietly with 141 (128 + SIGPIPE), as Unix tools do when their pipe closes.
 */
export class OutputClosedError extends Error {
  constructor() {
    super('stdout was closed by its reader');
  }
}

/** Whether stdout's reader went away; set by `watchOutput`. */
let closed = false;

/**
 * Watches stdout for its reader going away (EPIPE, which Node reports as an 'error' event after the
 * write that failed); any other output error stays fatal.
 */
export function watchOutput(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
}

/** Throws OutputClosedError once stdout's reader went away: the command stops there. */
export function assertOutputOpen(): void {
  if (closed) throw new OutputClosedError();
}
