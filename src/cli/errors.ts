/** An error in how a command was called or configured: reported in one line, exit code 2. */
export class UsageError extends Error {}
