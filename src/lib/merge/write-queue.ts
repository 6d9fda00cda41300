/**
 * Where page texts go to be written once they are merged: a queue that writes them atomically,
 * at most IO_CONCURRENCY at once, while the caller renders the next pages. For a large run the
 * queue lives on a worker thread (write-thread.ts): an atomic write is five file-system calls, and
 * each call's completion needs the thread that issued it; on the main thread those hops wait
 * behind rendering, or rendering waits behind them. On the writer thread they wait for nobody.
 */
import { mkdir } from 'node:fs/promises';
import module from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import { writeTextAtomically } from './atomic-write.ts';

/** How many files are read or written at once. */
export const IO_CONCURRENCY = 8;
/** Texts handed over but not yet written, at most: beyond it `write` waits (bounds memory). */
export const WRITE_BACKLOG = 128;
/** From this many pages on, a run writes on a thread of its own. */
export const WRITE_THREAD_MIN_PAGES = 200;

/** One write, as the queue reports it. */
export interface WriteOutcome {
  readonly id: number;
  readonly error?: { readonly message: string; readonly code?: string; readonly name: string };
}

export interface WriteQueue {
  /**
   * Hands `text` over to be written to `target` (`absent`: the file did not exist when the folder
   * was listed). Resolves at once unless WRITE_BACKLOG texts are waiting; rejects with the first
   * write error (no further write is started after one).
   */
  write(target: string, text: string, absent: boolean): Promise<void>;
  /** Waits for every write handed over; rejects with the first error. `onWritten` saw each success. */
  close(): Promise<void>;
}

/** A queue; on a writer thread when `pages` (the run's page count) reaches WRITE_THREAD_MIN_PAGES. */
export function createWriteQueue(pages: number, onWritten: (target: string) => void): WriteQueue {
  return pages >= WRITE_THREAD_MIN_PAGES ? threadQueue(onWritten) : localQueue(onWritten);
}

/** Makes each folder once (a stack's pages share theirs), then writes atomically. */
export function folderWriter(): (target: string, text: string, absent: boolean) => Promise<void> {
  const folders = new Map<string, Promise<unknown>>();
  return async (target, text, absent) => {
    const folder = path.dirname(target);
    let made = folders.get(folder);
    if (!made) folders.set(folder, (made = mkdir(folder, { recursive: true })));
    await made;
    await writeTextAtomically(target, text, { absent });
  };
}

/** Bookkeeping shared by both queues: the backlog, the first error, the waiters. */
class Backlog {
  pending = 0;
  error: unknown;
  #waiters: (() => void)[] = [];

  done(error?: unknown): void {
    this.pending -= 1;
    if (error !== undefined && this.error === undefined) this.error = error;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves once fewer than `limit` writes are pending; rejects as soon as one has failed. */
  async below(limit: number): Promise<void> {
    while (this.pending >= limit && this.error === undefined) await this.#change();
    if (this.error !== undefined) throw this.error;
  }

  /** Resolves once no write is pending, failed or not; then rejects with the first error. */
  async drain(): Promise<void> {
    while (this.pending > 0) await this.#change();
    if (this.error !== undefined) throw this.error;
  }

  #change(): Promise<void> {
    return new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
}

function localQueue(onWritten: (target: string) => void): WriteQueue {
  const write = folderWriter();
  const backlog = new Backlog();
  const limit = pLimit(IO_CONCURRENCY);
  return {
    async write(target, text, absent) {
      await backlog.below(WRITE_BACKLOG);
      backlog.pending += 1;
      void limit(async () => {
        // After a failure, what is still queued is dropped (not written).
        if (backlog.error !== undefined) return backlog.done();
        try {
          await write(target, text, absent);
          onWritten(target);
          backlog.done();
        } catch (error) {
          backlog.done(error);
        }
      });
    },
    close: () => backlog.drain(),
  };
}

/**
 * Starts the writer thread. A worker does not inherit Node's compile cache, so without it the
 * thread type-strips and compiles its modules anew each run (loading Node's TypeScript stripper
 * first): ~60 ms (~90 ms of CPU) before its first write, against ~30 ms (~50 ms of CPU) with the
 * cache, on a core the rendering thread shares. So the thread's entry is a line of JavaScript that
 * turns on the cache this process uses (only when it uses one) before it loads the TypeScript
 * module.
 */
function startWriterThread(): Worker {
  const entry = new URL('./write-thread.ts', import.meta.url);
  const cache = module.getCompileCacheDir?.();
  if (cache === undefined) return new Worker(entry);
  // The directory given is the one Node names its versioned subfolder in.
  const boot = `require('node:module').enableCompileCache?.(${JSON.stringify(path.dirname(cache))}); import(${JSON.stringify(entry.href)});`;
  return new Worker(boot, { eval: true });
}

function threadQueue(onWritten: (target: string) => void): WriteQueue {
  const worker = startWriterThread();
  const backlog = new Backlog();
  const targets = new Map<number, string>();
  let sequence = 0;
  let exited: Error | undefined;
  worker.on('message', (outcome: WriteOutcome) => {
    const target = targets.get(outcome.id) as string;
    targets.delete(outcome.id);
    if (outcome.error) backlog.done(revive(outcome.error));
    else {
      onWritten(target);
      backlog.done();
    }
  });
  const fail = (error: Error) => {
    exited ??= error;
    // Writes handed over and never answered fail with the thread.
    while (backlog.pending > 0) backlog.done(exited);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the page writer thread ended (exit code ${code})`)));
  let closed = false;
  return {
    async write(target, text, absent) {
      await backlog.below(WRITE_BACKLOG);
      if (exited) throw exited;
      const id = ++sequence;
      targets.set(id, target);
      backlog.pending += 1;
      worker.postMessage({ id, target, text, absent });
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await backlog.drain();
      } finally {
        worker.removeAllListeners('exit');
        await worker.terminate();
      }
    },
  };
}

function revive(serialised: NonNullable<WriteOutcome['error']>): Error {
  const error = new Error(serialised.message) as NodeJS.ErrnoException;
  error.name = serialised.name;
  if (serialised.code !== undefined) error.code = serialised.code;
  return error;
}
