import type { Db } from '@herald/db';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { WorkerLeaseHolder } from './worker-lease-holder.js';

/** Lease ids a worker lost that still get its sent marks: a send started under one may end after it. */
const KEEP_LOST_IDS = 3;

/**
 * This worker's lease in worker_leases, renewed every third of `leaseMs`. Claims and campaign work
 * carry the lease's id; once the lease lapses (the process died or stalled) another worker takes
 * them over. The worker considers its lease held only until two thirds of `leaseMs` after its last
 * renewal began, so it stops sending before anyone else could think it dead.
 *
 * The id is a fencing token: a renewal only extends a lease that is still alive. A worker that wakes
 * from a stall (GC pause, SIGSTOP, a partition) longer than its lease finds it lapsed or deleted and
 * takes a new lease with a new id, so the claims it still holds in memory fail every "still claimed
 * by me" check (the stamp before SMTP, the record) instead of being sent a second time.
 */
export class WorkerLease implements WorkerLeaseHolder {
  private id = randomUUID();
  private readonly lostIds: string[] = [];
  private readonly markers = new Map<string, (messageId: string) => void>();
  private readonly makeMarker: (workerId: string) => (messageId: string) => void;
  private readonly db: Db;
  private readonly leaseMs: number;
  private readonly onError: (error: Error) => void;
  private readonly onLost: (lostId: string) => void;
  private acquired = false;
  private heldUntil = 0;
  private timer: NodeJS.Timeout | undefined;

  /** `markSent` makes a marker for a lease id: the marks a dead worker left are found by that id. */
  constructor(options: {
    db: Db;
    leaseMs: number;
    markSent: (workerId: string) => (messageId: string) => void;
    onError?: (error: Error) => void;
    onLost?: (lostId: string) => void;
  }) {
    this.db = options.db;
    this.leaseMs = options.leaseMs;
    this.makeMarker = options.markSent;
    this.onError = options.onError ?? (() => {});
    this.onLost = options.onLost ?? (() => {});
  }

  get workerId(): string {
    return this.id;
  }

  isHeld(leaseId?: string): boolean {
    return Date.now() < this.heldUntil && (leaseId === undefined || leaseId === this.id);
  }

  /**
   * Marked under the current id and the few lost ones: a message claimed under a lost id and accepted
   * after the stall is found by whoever took that id's claims over, if it has not read them yet.
   */
  markSent(messageId: string): void {
    for (const id of [this.id, ...this.lostIds]) this.markerFor(id)(messageId);
  }

  async start(): Promise<void> {
    await this.renew();
    this.timer = setInterval(
      () => void this.renew().catch((error: Error) => this.onError(error)),
      Math.floor(this.leaseMs / 3),
    );
    this.timer.unref();
  }

  /** Extends the lease while it is alive; a lapsed or deleted one is replaced by a new lease with a new id. */
  async renew(): Promise<void> {
    const startedAt = Date.now();
    const seconds = this.leaseMs / 1000;
    const renewed = this.acquired
      ? await this.db.$executeRaw`
          UPDATE worker_leases SET expires_at = now() + make_interval(secs => ${seconds})
           WHERE id = ${this.id}::uuid AND expires_at > now()`
      : 0;
    if (renewed === 0) {
      if (this.acquired) this.replaceLostId();
      await this.db.$executeRaw`
        INSERT INTO worker_leases (id, host, pid, expires_at)
        VALUES (${this.id}::uuid, ${hostname()}, ${process.pid}, now() + make_interval(secs => ${seconds}))`;
      this.acquired = true;
    }
    this.heldUntil = startedAt + Math.floor((this.leaseMs * 2) / 3);
  }

  /**
   * On a clean shutdown, after the processors stopped: what it still held is taken over at once. The
   * lease ends as a lapsed one does (expired, left for a scheduler tick to delete), since a deleted
   * lapsed lease is what makes the workers look for orphaned claims at once
   * (worker-recovery/requeue-orphaned-claims.ts).
   */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.heldUntil = 0;
    await this.db.$executeRaw`
      UPDATE worker_leases SET expires_at = now() - interval '1 millisecond' WHERE id = ${this.id}::uuid`;
  }

  private replaceLostId(): void {
    const lost = this.id;
    this.acquired = false;
    this.heldUntil = 0;
    this.id = randomUUID();
    this.lostIds.unshift(lost);
    for (const dropped of this.lostIds.splice(KEEP_LOST_IDS)) this.markers.delete(dropped);
    this.onLost(lost);
  }

  private markerFor(id: string): (messageId: string) => void {
    let marker = this.markers.get(id);
    if (!marker) {
      marker = this.makeMarker(id);
      this.markers.set(id, marker);
    }
    return marker;
  }
}
