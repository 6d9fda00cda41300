/**
 * The page writer thread of a large run (see write-queue.ts): writes each text it is sent
 * atomically, IO_CONCURRENCY at a time, and answers with the outcome. After a failed write the
 * texts already sent are still answered, as failed, without being written.
 */
import { parentPort } from 'node:worker_threads';
import pLimit from 'p-limit';
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
const limit = pLimit(IO_CONCURRENCY);
let failed: WriteOutcome['error'];

port.on('message', (job: WriteJob) => {
  void limit(async () => {
    if (!failed) {
      try {
        await write(job.target, job.text, job.absent);
        port.postMessage({ id: job.id } satisfies WriteOutcome);
        return;
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        failed ??= { name: e?.name ?? 'Error', message: e?.message ?? String(error), ...(typeof e?.code === 'string' ? { code: e.code } : {}) };
      }
    }
    port.postMessage({ id: job.id, error: failed } satisfies WriteOutcome);
  });
});
