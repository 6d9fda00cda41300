/**
 * The page writer thread of a large run (see write-queue.ts): writes each text it is sent
 * atomically, IO_CONCURRENCY at a time, and answers with the outcome. After a failed write the
 * texts already sent are still answered, as failed, without being written.
 */
import { parentPort } from 'node:worker_threads';
import { folderWriter, IO_CONCURRENCY, type WriteOutcome } from './write-queue.ts';

interface WriteJob {
  readonly id: number;
  readonly target: string;
  readonly text: string;
  readonly absent: boolean;
}

const port = parentPort;
if (!port) throw new Error('write-thread.ts runs as a worker thread');
const write = folderWriter();
const queued: WriteJob[] = [];
let running = 0;
let failed: WriteOutcome['error'];

function next(): void {
  while (running < IO_CONCURRENCY && queued.length > 0) {
    const job = queued.shift() as WriteJob;
    if (failed) {
      port?.postMessage({ id: job.id, error: failed } satisfies WriteOutcome);
      continue;
    }
    running += 1;
    write(job.target, job.text, job.absent).then(
      () => answer({ id: job.id }),
      (error: unknown) => {
        const e = error as NodeJS.ErrnoException;
        failed ??= { name: e?.name ?? 'Error', message: e?.message ?? String(error), ...(typeof e?.code === 'string' ? { code: e.code } : {}) };
        answer({ id: job.id, error: failed });
      },
    );
  }
}

function answer(outcome: WriteOutcome): void {
  running -= 1;
  port?.postMessage(outcome);
  next();
}

port.on('message', (job: WriteJob) => {
  queued.push(job);
  next();
});
