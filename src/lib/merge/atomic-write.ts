/**
 * Atomic text writes: the text goes to a temporary file beside the target, is flushed to disk
 * when it replaces an existing file, and then takes the target's place by `rename` — a reader, or
 * a run killed half-way, sees the old file or the new one, never a torn one.
 *
 * This used to be write-file-atomic. Per file it resolves the real path with one `lstat` per path
 * segment, hashes a temporary name, registers an exit handler, and unlinks the temporary file once
 * more after the rename; writing 1,188 pages took ~620 ms against ~210 ms for the same writes
 * done as below (benchmark machine, issue 8). What it offered that matters here is kept: a link
 * is written through to its target, and an existing file keeps its permission bits. (Its
 * per-file write queue is not needed: a run writes each page once.)
 */
import { lstat, open, realpath, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

let sequence = 0;

export interface AtomicWriteOptions {
  /**
   * The caller knows that `file` did not exist a moment ago (it listed the folder): no `lstat` is
   * spent finding a link or permission bits to keep.
   */
  readonly absent?: boolean;
}

/**
 * Writes `text` (UTF-8) to `file` atomically. The temporary file is a dot-file in the same folder
 * (so that `rename` stays on one file system and page listings, which skip dot-files, never
 * see it); it is removed when the write fails.
 */
export async function writeTextAtomically(file: string, text: string, options: AtomicWriteOptions = {}): Promise<void> {
  let target = file;
  let mode: number | undefined;
  const stats = options.absent
    ? undefined
    : await lstat(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
  if (stats?.isSymbolicLink()) {
    // A dangling link is replaced by the file, as write-file-atomic did.
    target = await realpath(file).catch(() => file);
    if (target !== file) mode = (await lstat(target)).mode & 0o7777;
  } else if (stats) mode = stats.mode & 0o7777;
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${++sequence}.tmp`);
  const handle = await open(temporary, 'wx');
  try {
    try {
      await handle.writeFile(text, 'utf8');
      if (mode !== undefined) await handle.chmod(mode);
      // Flushed before it replaces a file, whose words (a person's among them) a power cut must not
      // take with it. A new page holds only generated text: at worst it comes back empty and the
      // next run writes it again, so it is not worth a disk flush each (~0.1 s at 1,188 pages).
      if (stats) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
