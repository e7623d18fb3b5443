/** This worker's lease: a worker that cannot renew it must stop sending, since others may take its claims over. */
export interface WorkerLeaseHolder {
  readonly workerId: string;
  isHeld(): boolean;
  /**
   * Notes, outside the database and at once, that the SMTP server accepted a message this worker
   * claimed: if the worker dies before recording it, the message is recorded as sent, not sent again.
   */
  markSent(messageId: string): void;
}

/** Injection token: the campaign worker module provides the lease before any processor starts. */
export const WORKER_LEASE = Symbol('WORKER_LEASE');
