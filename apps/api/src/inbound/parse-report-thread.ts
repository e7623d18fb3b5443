/**
 * The body of the listener's parsing thread (report-parser.ts): reads each report mail with
 * mailparser off the worker's main thread, which keeps the SMTP sessions, the database and the
 * queues. parseReportMail never throws, so every request gets an answer.
 */
import { parentPort } from 'node:worker_threads';
import { parseReportMail } from '../feedback/parse-report-mail.js';

parentPort?.on('message', ({ id, raw }: { id: number; raw: Uint8Array }) => {
  void parseReportMail(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)).then((parsed) =>
    parentPort?.postMessage({ id, parsed }),
  );
});
