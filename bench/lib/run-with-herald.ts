import type { Herald } from '@herald/test-support';
import type { SmtpSink } from './start-smtp-sink.js';

/**
 * Runs a benchmark against Herald's processes and the SMTP sink, and stops them whatever happens,
 * leaving nothing under the run's queue prefix in Redis. On failure it prints what the processes
 * said last: they do not print to the benchmark's terminal.
 */
export async function runWithHerald(
  herald: Herald,
  sink: SmtpSink,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    console.error(herald.output().slice(-5000));
    throw error;
  } finally {
    await herald.stop();
    await herald.flushQueuePrefix();
    await sink.close();
  }
}
