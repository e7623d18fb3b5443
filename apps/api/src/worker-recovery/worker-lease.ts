import type { Db } from '@herald/db';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { WorkerLeaseHolder } from './worker-lease-holder.js';

/**
 * This worker's lease in worker_leases, renewed every third of `leaseMs`. Claims and campaign work
 * carry the worker's id; once the lease lapses (the process died) another worker takes them over.
 * The worker considers its lease held only until two thirds of `leaseMs` after its last renewal
 * began, so it stops sending before anyone else could think it dead.
 */
export class WorkerLease implements WorkerLeaseHolder {
  readonly workerId = randomUUID();
  readonly markSent: (messageId: string) => void;
  private readonly db: Db;
  private readonly leaseMs: number;
  private readonly onError: (error: Error) => void;
  private heldUntil = 0;
  private timer: NodeJS.Timeout | undefined;

  /** `markSent` is made for this lease's worker id: the marks a dead worker left are found by it. */
  constructor(options: {
    db: Db;
    leaseMs: number;
    markSent: (workerId: string) => (messageId: string) => void;
    onError?: (error: Error) => void;
  }) {
    this.db = options.db;
    this.leaseMs = options.leaseMs;
    this.markSent = options.markSent(this.workerId);
    this.onError = options.onError ?? (() => {});
  }

  isHeld(): boolean {
    return Date.now() < this.heldUntil;
  }

  async start(): Promise<void> {
    await this.renew();
    this.timer = setInterval(
      () => void this.renew().catch((error: Error) => this.onError(error)),
      Math.floor(this.leaseMs / 3),
    );
    this.timer.unref();
  }

  /** Upserts: a worker whose lease was reaped while it stalled gets a fresh one (its old claims are gone). */
  async renew(): Promise<void> {
    const startedAt = Date.now();
    await this.db.$executeRaw`
      INSERT INTO worker_leases (id, host, pid, expires_at)
      VALUES (${this.workerId}::uuid, ${hostname()}, ${process.pid},
              now() + make_interval(secs => ${this.leaseMs / 1000}))
      ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at`;
    this.heldUntil = startedAt + Math.floor((this.leaseMs * 2) / 3);
  }

  /** On a clean shutdown, after the processors stopped: what it still held is taken over at once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.heldUntil = 0;
    await this.db.$executeRaw`DELETE FROM worker_leases WHERE id = ${this.workerId}::uuid`;
  }
}
