import type { Db, PolicyVersion } from '@herald/db';
import type { Queue } from 'bull';

/** What the sweep's steps share: the database, the delivery queue and the policy-update template. */
export interface PolicySweepDeps {
  db: Db;
  /** The delivery queue (send-message jobs). */
  queue: Queue;
  log?: (message: string) => void;
}

export interface PolicyTemplate {
  id: string;
  categoryKey: string;
  class: 'transactional' | 'promotional';
}

export type SweptVersion = Pick<
  PolicyVersion,
  'id' | 'title' | 'summary' | 'url' | 'effectiveAt' | 'ratePerSecond'
>;

/** A notice's first email has the key `policy:{version}:{contact}`; its retries add the attempt number. */
export function policyIdempotencyKey(policyVersionId: string, contactId: string, attempt: number): string {
  const key = `policy:${policyVersionId}:${contactId}`;
  return attempt <= 1 ? key : `${key}:${attempt}`;
}
