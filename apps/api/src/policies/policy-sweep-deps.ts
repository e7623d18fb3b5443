import type { Db, PolicyVersion } from '@herald/db';
import type { Queue } from 'bull';

/** What the sweep's steps share: the database and the bulk delivery queue. */
export interface PolicySweepDeps {
  db: Db;
  /** The bulk delivery queue (send-message jobs): announcements never take transactional slots. */
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
