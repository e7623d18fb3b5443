import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  freePort,
  startHerald,
  startTestSmtpServer,
  type Herald,
  type TestSmtpServer,
} from '@herald/test-support';

/**
 * Prometheus metrics of the built processes: the worker on METRICS_PORT, the API on API_METRICS_PORT
 * (never on its own port), each counting what happens in it, with low-cardinality labels only; and
 * the Grafana dashboard in docs/grafana queries only metrics the processes serve.
 */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Scrape {
  samples: Sample[];
  /** Every metric family named by a `# TYPE` line, with its type. */
  families: Map<string, string>;
}

function parseExposition(text: string): Scrape {
  const samples: Sample[] = [];
  const families = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) families.set(type[1] as string, type[2] as string);
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`unreadable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[label[1] as string] = label[2] as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return { samples, families };
}

async function scrape(port: number): Promise<Scrape> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return parseExposition(await response.text());
}

/** The sample's value (0 when the series does not exist yet). */
function valueOf(scraped: Scrape, name: string, labels: Record<string, string>): number {
  const found = scraped.samples.find(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  return found?.value ?? 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForMetrics(port: number, herald: Herald): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answered = await fetch(`http://127.0.0.1:${port}/metrics`).then(
      (r) => r.ok,
      () => false,
    );
    if (answered) return;
    if (Date.now() > deadline) throw new Error(`no metrics on port ${port}:\n${herald.output()}`);
    await sleep(100);
  }
}

const QUEUES = ['delivery', 'bulk-delivery', 'campaign-delivery'];
const run = randomBytes(4).toString('hex');
const NOTICE = { title: 'Metrics check', body: 'Counted, not labelled.' };

let smtp: TestSmtpServer;
let herald: Herald;
let workerPort: number;
let apiMetricsPort: number;

beforeAll(async () => {
  smtp = await startTestSmtpServer({ unknownPrefixes: ['nobody-'] });
  [workerPort, apiMetricsPort] = await Promise.all([freePort(), freePort()]);
  herald = await startHerald({
    env: {
      SMTP_URL: smtp.smtpUrl,
      METRICS_PORT: String(workerPort),
      // A message the relay did not answer is tried again soon.
      DELIVERY_BACKOFF_MS: '200',
      API_METRICS_PORT: String(apiMetricsPort),
    },
  });
  await waitForMetrics(workerPort, herald);
  await waitForMetrics(apiMetricsPort, herald);
}, 60_000);

afterAll(async () => {
  await herald?.stop();
  await herald?.flushQueuePrefix();
  await smtp?.close();
});

async function send(email: string): Promise<string> {
  const response = await herald.client.call('POST', '/v1/messages', {
    template: 'service-notice',
    to: { email },
    data: NOTICE,
  });
  expect(response.status).toBe(202);
  return (response.body as { id: string }).id;
}

describe('worker metrics', () => {
  it('counts each message sent by class, stream and outcome, with its SMTP reply and its latency', async () => {
    const sent = { class: 'transactional', stream: 'transactional', outcome: 'sent' };
    const before = await scrape(workerPort);
    const ids = await Promise.all([1, 2, 3].map((i) => send(`metrics-${run}-${i}@example.com`)));
    for (const id of ids) expect(await herald.client.settled(id)).toMatchObject({ status: 'sent' });
    const after = await scrape(workerPort);

    const delta = (name: string, labels: Record<string, string>) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta('herald_delivery_outcomes_total', sent)).toBe(3);
    expect(delta('herald_smtp_replies_total', { class: 'transactional', reply: 'accepted' })).toBe(3);
    expect(
      delta('herald_send_latency_seconds_count', { class: 'transactional', stream: 'transactional' }),
    ).toBe(3);
    // Every observation fell in some bucket: the +Inf bucket holds them all.
    expect(
      valueOf(after, 'herald_send_latency_seconds_bucket', {
        class: 'transactional',
        stream: 'transactional',
        le: '+Inf',
      }),
    ).toBeGreaterThanOrEqual(3);
  });

  it('counts a refused address as a bounce, its hard-bounce reply and its suppression (a consent write)', async () => {
    const before = await scrape(workerPort);
    const id = await send(`nobody-${run}@example.com`);
    expect(await herald.client.settled(id)).toMatchObject({ status: 'bounced' });
    const delta = (after: Scrape, name: string, labels: Record<string, string>) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    // The address is suppressed just after the bounce is recorded: wait for that write too.
    await vi.waitFor(
      async () =>
        expect(delta(await scrape(workerPort), 'herald_consent_writes_total', { source: 'bounce' })).toBe(1),
      { timeout: 10_000, interval: 100 },
    );
    const after = await scrape(workerPort);
    expect(
      delta(after, 'herald_delivery_outcomes_total', {
        class: 'transactional',
        stream: 'transactional',
        outcome: 'bounced',
      }),
    ).toBe(1);
    expect(delta(after, 'herald_smtp_replies_total', { class: 'transactional', reply: 'hard-bounce' })).toBe(
      1,
    );
  });

  it('counts an attempt the relay never answered as no-reply, not as a classified reply', async () => {
    const before = await scrape(workerPort);
    const noReply = { class: 'transactional', reply: 'no-reply' };
    await smtp.refuseConnections();
    let id: string;
    try {
      id = await send(`unreached-${run}@example.com`);
      await vi.waitFor(
        async () =>
          expect(valueOf(await scrape(workerPort), 'herald_smtp_replies_total', noReply)).toBeGreaterThan(
            valueOf(before, 'herald_smtp_replies_total', noReply),
          ),
        { timeout: 15_000, interval: 100 },
      );
    } finally {
      await smtp.acceptConnections();
    }
    expect(await herald.client.settled(id, 20_000)).toMatchObject({ status: 'sent' });
    const after = await scrape(workerPort);
    expect(
      valueOf(after, 'herald_smtp_replies_total', { class: 'transactional', reply: 'temporary' }) -
        valueOf(before, 'herald_smtp_replies_total', { class: 'transactional', reply: 'temporary' }),
    ).toBe(0);
    expect(
      valueOf(after, 'herald_delivery_outcomes_total', {
        class: 'transactional',
        stream: 'transactional',
        outcome: 'deferred',
      }),
    ).toBeGreaterThan(0);
  }, 40_000);

  it('reads the depth and oldest waiting job of every queue, and each stream’s circuit breaker, at scrape time', async () => {
    const scraped = await scrape(workerPort);
    for (const queue of QUEUES) {
      for (const state of ['waiting', 'active', 'delayed', 'failed'])
        expect(
          scraped.samples.some(
            (s) => s.name === 'herald_queue_jobs' && s.labels.queue === queue && s.labels.state === state,
          ),
        ).toBe(true);
      expect(valueOf(scraped, 'herald_queue_oldest_waiting_seconds', { queue })).toBeGreaterThanOrEqual(0);
      expect(
        scraped.samples.some(
          (s) => s.name === 'herald_queue_oldest_waiting_seconds' && s.labels.queue === queue,
        ),
      ).toBe(true);
    }
    for (const stream of ['transactional', 'bulk']) {
      expect(
        valueOf(scraped, 'herald_smtp_breaker_state', { stream, relay: 'transactional', state: 'closed' }),
      ).toBe(1);
      expect(
        valueOf(scraped, 'herald_smtp_breaker_state', { stream, relay: 'transactional', state: 'open' }),
      ).toBe(0);
    }
    expect(scraped.families.get('herald_campaigns')).toBe('gauge');
    expect(scraped.families.get('herald_process_resident_memory_bytes')).toBe('gauge');
  });
});

describe('API metrics', () => {
  it('are served on API_METRICS_PORT only, never on the API port', async () => {
    const onApiPort = await fetch(`${herald.apiUrl}/metrics`);
    expect(onApiPort.status).toBe(404);
    const scraped = await scrape(apiMetricsPort);
    expect(scraped.samples.some((s) => s.name === 'herald_queue_jobs' && s.labels.queue === 'delivery')).toBe(
      true,
    );
  });

  it('counts consent writes by source and feedback reports by kind', async () => {
    const before = await scrape(apiMetricsPort);
    const added = await herald.client.call('POST', '/v1/suppressions', {
      email: `manual-${run}@example.com`,
      reason: 'manual',
    });
    expect(added.status).toBe(201);
    const report = await herald.client.call('POST', '/v1/feedback', {
      type: 'complaint',
      email: `complainer-${run}@example.com`,
    });
    expect(report.status).toBeLessThan(300);
    const after = await scrape(apiMetricsPort);
    const delta = (name: string, labels: Record<string, string>) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta('herald_consent_writes_total', { source: 'api' })).toBe(1);
    expect(delta('herald_feedback_reports_total', { kind: 'complaint' })).toBe(1);
  });
});

describe('labels and the dashboard', () => {
  it('never puts an address in a label value', async () => {
    const scrapes = await Promise.all([scrape(workerPort), scrape(apiMetricsPort)]);
    const values = scrapes.flatMap((s) => s.samples.flatMap((sample) => Object.values(sample.labels)));
    expect(values.length).toBeGreaterThan(0);
    expect(values.filter((value) => value.includes('@'))).toEqual([]);
  });

  it('queries only metrics the processes serve', async () => {
    const dashboard = JSON.parse(
      readFileSync(new URL('../../../docs/grafana/herald-dashboard.json', import.meta.url), 'utf8'),
    ) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const scrapes = await Promise.all([scrape(workerPort), scrape(apiMetricsPort)]);
    const served = new Set(scrapes.flatMap((s) => [...s.families.keys()]));
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    expect(exprs.length).toBeGreaterThan(10);
    const queried = new Set(exprs.flatMap((expr) => expr.match(/\bherald_[a-z0-9_]+/g) ?? []));
    // A histogram's series are its family's name with _bucket, _sum or _count.
    const family = (name: string) => (served.has(name) ? name : name.replace(/_(bucket|sum|count)$/, ''));
    const unknown = [...queried].filter((name) => !served.has(family(name)));
    expect(queried.size).toBeGreaterThan(10);
    expect(unknown).toEqual([]);
  });
});
