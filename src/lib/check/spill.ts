/**
 * Text held for later output that spills to a temporary file once it grows large. The JSON report
 * lists citation errors after the drift, so they wait until every page is checked; when a compose
 * change moves every line of a large estate there is one per citation (446,552 at 11,652 pages, 0.3
 * GB of JSON), which must not wait in memory.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Bytes held in memory before the rest goes to a file. */
export const SPILL_THRESHOLD = 8 * 1024 * 1024;
/** Size of the pieces the spilled text is read back in. */
const READ_SIZE = 1024 * 1024;

/**
 * Appended text, read back once in order; `close` removes the file (reading to the end does too).
 * The file loses its name as soon as it is open, where the system allows it (POSIX): it is then
 * read and written through its descriptor only, and goes with the process however that ends
 * (Ctrl-C, SIGKILL), so an interrupted `check` leaves nothing of the report in the temporary folder.
 */
export class SpillingText {
  readonly #threshold: number;
  #memory: Buffer[] = [];
  #held = 0;
  /** `dir`: the folder still to remove at `close`, when it could not be removed at once. */
  #file: { dir: string | undefined; fd: number; size: number } | undefined;

  constructor(threshold = SPILL_THRESHOLD) {
    this.#threshold = threshold;
  }

  /** Whether the text went to a file (for tests). */
  get spilled(): boolean {
    return this.#file !== undefined;
  }

  append(text: string): void {
    const bytes = Buffer.from(text);
    if (this.#file) {
      writeAll(this.#file, bytes);
      return;
    }
    this.#memory.push(bytes);
    this.#held += bytes.length;
    if (this.#held > this.#threshold) {
      const dir = mkdtempSync(path.join(tmpdir(), 'compose-wiki-check-'));
      const fd = openSync(path.join(dir, 'held'), 'w+', 0o600);
      this.#file = { dir: unlinked(dir) ? undefined : dir, fd, size: 0 };
      for (const piece of this.#memory.splice(0)) writeAll(this.#file, piece);
      this.#held = 0;
    }
  }

  /** The text in pieces of bytes, in order (a piece may end inside a character). */
  *read(): Generator<Uint8Array> {
    try {
      yield* this.#memory.splice(0);
      const file = this.#file;
      if (!file) return;
      for (let position = 0; position < file.size; ) {
        const piece = Buffer.allocUnsafe(Math.min(READ_SIZE, file.size - position));
        const read = readSync(file.fd, piece, 0, piece.length, position);
        if (read === 0) throw new Error(`the held report text ended early at byte ${position} of ${file.size}`);
        position += read;
        yield piece.subarray(0, read);
      }
    } finally {
      this.close();
    }
  }

  /** Drops what is held and removes the file. */
  close(): void {
    this.#memory = [];
    this.#held = 0;
    const file = this.#file;
    this.#file = undefined;
    if (!file) return;
    closeSync(file.fd);
    if (file.dir !== undefined) rmSync(file.dir, { recursive: true, force: true });
  }
}

/** Removes the folder of a file that is open (POSIX keeps the file until its descriptor closes); false where that is refused (Windows). */
function unlinked(dir: string): boolean {
  try {
    rmSync(dir, { recursive: true });
    return true;
  } catch {
    return false;
  }
}

function writeAll(file: { fd: number; size: number }, bytes: Buffer): void {
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(file.fd, bytes, offset, bytes.length - offset, file.size + offset);
  file.size += bytes.length;
}
