// The digest's worker thread (started by digest-thread.ts): replays each chunk of records into a
// DigestBytes, which writes and hashes exactly the bytes the simulation's thread would have, hands
// the chunk's buffer back to be filled again, and answers requests for the digest.
import { parentPort, workerData } from 'node:worker_threads';
import { DigestBytes } from './digest-bytes.js';
import { replayRecords } from './digest-records.js';
import { C_ANSWERED, C_FAILED, C_IN_FLIGHT, type DigestWorkerData, type FromDigestWorker, type ToDigestWorker } from './digest-thread.js';

const data = workerData as DigestWorkerData;
const control = new Int32Array(data.control);
const bytes = new DigestBytes();
const names: string[] = [];
// Once a chunk could not be replayed, nothing after it is (a digest without it would be wrong).
let failed = false;

function reply(m: FromDigestWorker, transfer: ArrayBuffer[] = []): void {
  data.replies.postMessage(m, transfer);
}

parentPort?.on('message', (m: ToDigestWorker) => {
  if (failed) return;
  try {
    if ('chunk' in m) {
      replayRecords(m.chunk, names, bytes);
      reply({ used: m.chunk.buffer }, [m.chunk.buffer]);
      Atomics.sub(control, C_IN_FLIGHT, 1);
      Atomics.notify(control, C_IN_FLIGHT);
    } else {
      reply({ digest: bytes.digest() });
      Atomics.store(control, C_ANSWERED, 1);
      Atomics.notify(control, C_ANSWERED);
    }
  } catch (e) {
    failed = true;
    reply({ failed: e instanceof Error ? e.message : String(e) });
    // The failure first, then every word the simulation may be waiting on, so its wait ends and
    // finds the failure (see digest-thread.ts).
    Atomics.store(control, C_FAILED, 1);
    Atomics.store(control, C_ANSWERED, 1);
    Atomics.store(control, C_IN_FLIGHT, -1);
    Atomics.notify(control, C_ANSWERED);
    Atomics.notify(control, C_IN_FLIGHT);
  }
});
