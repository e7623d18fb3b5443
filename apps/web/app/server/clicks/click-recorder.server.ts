import { Prisma } from '@herald/db';
import { db } from '../db.server';

export type ClickRecord = {
  messageId: string;
  linkIndex: number;
  url: string;
  clickedAt: Date;
  /** Why the request is a machine's when it shows it itself ("user-agent", "head"); null otherwise. */
  machine: string | null;
};

/** A batch is written at least this often while clicks arrive, and at once when this many wait. */
const FLUSH_INTERVAL_MS = 200;
const BATCH_SIZE = 500;
/**
 * While PostgreSQL cannot be reached the clicks wait in memory, at most this many per process (a
 * few megabytes); past it the oldest are dropped and counted in the log. The redirects never wait.
 */
const MAX_WAITING = 50_000;
const RETRY_DELAYS_MS = [500, 1000, 2000, 5000, 10_000];

/**
 * Clicks are written in batches, never one statement per request: a redirect answers at once and
 * its click joins the next multi-row insert (docs/decisions/022-click-tracking.md). A failed insert
 * keeps its rows for the next attempt, with backoff.
 */
export function createClickRecorder(
  write: (rows: ClickRecord[]) => Promise<void> = insertClicks,
  log: (message: string) => void = (message) => console.warn(message),
) {
  let waiting: ClickRecord[] = [];
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> | null = null;
  let failures = 0;
  let dropped = 0;

  const schedule = (delayMs: number) => {
    if (timer || flushing) return;
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, delayMs);
    timer.unref();
  };

  const flush = (): Promise<void> => {
    if (flushing) return flushing;
    if (waiting.length === 0) return Promise.resolve();
    const batch = waiting.slice(0, BATCH_SIZE);
    waiting = waiting.slice(batch.length);
    flushing = write(batch)
      .then(() => {
        if (failures > 0) log(`clicks: writing again after ${failures} failed attempt(s)`);
        if (dropped > 0) log(`clicks: ${dropped} click(s) were dropped while the database was unreachable`);
        failures = 0;
        dropped = 0;
      })
      .catch((error: unknown) => {
        failures += 1;
        // Back to the front, in order; the oldest go first when the queue is full.
        waiting = [...batch, ...waiting];
        trim();
        if (failures === 1)
          log(`clicks: cannot write clicks, keeping them to retry: ${(error as Error).message}`);
      })
      .finally(() => {
        flushing = null;
        if (waiting.length > 0) {
          const delay =
            failures > 0
              ? (RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length) - 1] ?? 10_000)
              : waiting.length >= BATCH_SIZE
                ? 0
                : FLUSH_INTERVAL_MS;
          schedule(delay);
        }
      });
    return flushing;
  };

  const trim = () => {
    const excess = waiting.length - MAX_WAITING;
    if (excess > 0) {
      waiting.splice(0, excess);
      dropped += excess;
    }
  };

  return {
    record(click: ClickRecord) {
      waiting.push(click);
      trim();
      if (failures > 0) return;
      if (waiting.length >= BATCH_SIZE && !flushing) {
        if (timer) clearTimeout(timer);
        timer = null;
        void flush();
      } else schedule(FLUSH_INTERVAL_MS);
    },
    /** Writes what waits (on shutdown); gives up after `timeoutMs`. */
    async drain(timeoutMs = 3000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while ((waiting.length > 0 || flushing) && Date.now() < deadline) {
        if (timer) clearTimeout(timer);
        timer = null;
        await Promise.race([flush(), new Promise((resolve) => setTimeout(resolve, deadline - Date.now()))]);
        if (failures > 0) return;
      }
    },
    get waiting() {
      return waiting.length;
    },
  };
}

/** One multi-row insert; clicks of a message that no longer exists are left out. */
async function insertClicks(rows: ClickRecord[]): Promise<void> {
  await db.$executeRaw(Prisma.sql`
    INSERT INTO link_clicks (message_id, link_index, url, clicked_at, machine)
    SELECT c.message_id, c.link_index, c.url, c.clicked_at, c.machine
      FROM unnest(${rows.map((r) => r.messageId)}::uuid[], ${rows.map((r) => r.linkIndex)}::int[],
                  ${rows.map((r) => r.url)}::text[], ${rows.map((r) => r.clickedAt.toISOString())}::timestamptz[],
                  ${rows.map((r) => r.machine)}::text[])
           AS c(message_id, link_index, url, clicked_at, machine)
     WHERE EXISTS (SELECT 1 FROM messages m WHERE m.id = c.message_id)`);
}
