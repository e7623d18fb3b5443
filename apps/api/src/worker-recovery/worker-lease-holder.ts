/** This worker's lease: a worker that cannot renew it must stop sending, since others may take its claims over. */
export interface WorkerLeaseHolder {
  /**
   * The current lease's id, also its fencing token: claims are made in its name, and a lease lost
   * (lapsed while the worker stalled) is never renewed but replaced by one with a new id, so every
   * claim made under the old id stops being this worker's.
   */
  readonly workerId: string;
  /** The lease is held now, and (given a claim's lease id) it is still the lease the claim was made under. */
  isHeld(leaseId?: string): boolean;
  /**
   * Notes, outside the database and at once, that the SMTP server accepted a message this worker
   * claimed: if the worker dies before recording it, the message is recorded as sent, not sent again.
   */
  markSent(messageId: string): void;
}

/** Injection token: the campaign worker module provides the lease before any processor starts. */
export const WORKER_LEASE = Symbol('WORKER_LEASE');
