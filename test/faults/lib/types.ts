import type { Installation } from './start-installation.js';

/** One row of the table: what an operator would have observed after the fault. */
export interface FaultRow {
  name: string;
  fault: string;
  load: string;
  /** Accepted messages not in a final state at the end, recorded `sent` but never received, or campaign contacts without a message. */
  lost: number;
  /** Receipts beyond the first of each X-Herald-Message-Id. */
  duplicated: number;
  /** What the killed or frozen workers had in their send slots: the most duplicates may be. */
  allowedDuplicates: number;
  /** Promotional SMTP transactions (RCPT TO) to a person after their opt-out answered. */
  optOutsViolated: number | null;
  /** POST /v1/messages → receipt at the SMTP server, transactional messages, ms. */
  transactionalP99Ms: number | null;
  statuses: Record<string, number>;
  passed: boolean;
  failures: string[];
  seconds: number;
}

/** What a scenario adds to the checks every scenario gets. */
export interface ScenarioResult {
  load: string;
  /** Checks of its own that did not hold, in an operator's words. */
  failures?: string[];
  /** Campaigns whose every targeted contact must end with one message. */
  campaigns?: { id: string; contacts: number }[];
  /** Transactional message ids whose POST → SMTP latency goes into the p99. */
  latencyIds?: string[];
}

export interface Scenario {
  name: string;
  fault: string;
  /** Starts its load and its fault on `installation`, waits for the fault to end. */
  run(installation: Installation): Promise<ScenarioResult>;
  /** Processes and settings of its installation. */
  setup?: {
    apis?: number;
    workers?: number;
    env?: Record<string, string>;
    throughProxy?: boolean;
    web?: boolean;
  };
}
