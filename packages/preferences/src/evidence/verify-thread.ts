import { parentPort } from 'node:worker_threads';
import { checkBatch, useWasmSha256 } from './check-batch.js';

await useWasmSha256();

/** A verification thread (verify.ts): checks the batches it is sent, in order, and answers each. */
parentPort!.on(
  'message',
  ({ id, bytes, rows, withLeaves }: { id: number; bytes: Uint8Array; rows: number; withLeaves: boolean }) => {
    try {
      const result = checkBatch(
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        rows,
        withLeaves,
      );
      parentPort!.postMessage({ id, result });
    } catch (error) {
      parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  },
);
