// The demo's lists in and out: a webhook receiver of the demo's own (a local HTTP server that checks
// each event's Standard Webhooks signature and prints it), registered as an endpoint for every event;
// an import of a small CSV with the file's own column names, one of whose addresses had unsubscribed
// before (it stays unsubscribed: the import counts it as kept); and a subscribe form with its hosted
// page. Run by scripts/demo.mjs.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { WEBHOOK_EVENTS } from '@herald/contract';

type Api = (method: string, path: string, body?: unknown) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const RECEIVER_DESCRIPTION = 'demo receiver (scripts/demo-lists.ts)';
const FORM_KEY = 'newsletter-signup';

/** Whether one of the header's `v1,` signatures is HMAC-SHA256 of `id.timestamp.body` with the secret. */
function verified(secret: string, id: string, timestamp: string, body: string, header: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = Buffer.from(
    createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64'),
  );
  return header.split(' ').some((signature) => {
    const given = Buffer.from(signature.replace(/^v1,/, ''));
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface DemoLists {
  receiverUrl: string;
  formUrl: string;
  importId: string;
  imported: Record<string, number>;
  kept: string;
  events: () => number;
}

export async function runDemoLists({
  api,
  apiUrl,
  apiKey,
  webUrl,
  stamp,
}: {
  api: Api;
  apiUrl: string;
  apiKey: string;
  webUrl: string;
  stamp: string;
}): Promise<DemoLists> {
  // The receiver: prints each event as it arrives, with whether its signature verified.
  let secret = '';
  let received = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const id = String(request.headers['webhook-id'] ?? '');
      const ok = verified(
        secret,
        id,
        String(request.headers['webhook-timestamp'] ?? ''),
        body,
        String(request.headers['webhook-signature'] ?? ''),
      );
      received++;
      let summary = body;
      try {
        const event = JSON.parse(body) as { type: string; data: Record<string, unknown> };
        const data = event.data;
        summary = `${event.type} ${JSON.stringify({
          contact: data.contactId ?? null,
          ...(data.category !== undefined && { category: data.category }),
          ...(data.source !== undefined && { source: data.source }),
        })}`;
      } catch {
        // printed as it came
      }
      console.log(`[receiver] ${summary}  signature ${ok ? 'verified' : 'DID NOT VERIFY'}  (${id})`);
      response.writeHead(ok ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/herald`;

  // One endpoint for the receiver: the one an earlier demo run registered pointed at its own port.
  const { webhooks } = await api('GET', '/v1/webhooks');
  for (const endpoint of webhooks as { id: string; description: string | null }[]) {
    if (endpoint.description === RECEIVER_DESCRIPTION) await api('DELETE', `/v1/webhooks/${endpoint.id}`);
  }
  const endpoint = await api('POST', '/v1/webhooks', {
    url: receiverUrl,
    events: [...WEBHOOK_EVENTS],
    description: RECEIVER_DESCRIPTION,
  });
  secret = endpoint.secret as string;

  // Someone who unsubscribed from the newsletter by phone before the company moved to Herald.
  const kept = `returning-${stamp}@example.com`;
  const contact = await api('POST', '/v1/contacts', { email: kept, name: 'Returning Reader' });
  await api('PUT', `/v1/contacts/${contact.id}/preferences`, {
    changes: [{ category: 'newsletter', subscribed: false }],
    reason: 'Asked by phone, before the move to Herald',
  });

  // The old system's export, with its own column names: mapped on the way in.
  const csv = [
    'E-mail Address,First name,Plan,Internal notes',
    `mina-${stamp}@example.com,Mina,pro,met at the fair`,
    `oskar-${stamp}@example.com,Oskar,free,`,
    `${kept},Returning Reader,free,unsubscribed in the old system too`,
    `noor-${stamp}@example.com,Noor,pro,`,
  ].join('\n');
  const query = new URLSearchParams({
    categories: 'newsletter',
    basis: 'newsletter sign-up on example.com, 2021 to 2026 (old system export)',
    background: 'true',
    map: JSON.stringify({
      'E-mail Address': 'email',
      'First name': 'name',
      Plan: 'attr.plan',
      'Internal notes': '',
    }),
  });
  const posted = await fetch(`${apiUrl}/v1/imports?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' },
    body: csv,
  });
  const staged = (await posted.json()) as { id: string };
  if (posted.status !== 202) throw new Error(`POST /v1/imports: ${posted.status} ${JSON.stringify(staged)}`);
  let view = { status: 'queued', counts: {} as Record<string, number> };
  for (let i = 0; i < 120 && view.status !== 'finished'; i++) {
    await sleep(250);
    view = await api('GET', `/v1/imports/${staged.id}`);
  }

  // A subscribe form for the newsletter (kept from an earlier run).
  const forms = (await api('GET', '/v1/forms')).forms as { key: string }[];
  if (!forms.some((form) => form.key === FORM_KEY)) {
    await api('POST', '/v1/forms', {
      key: FORM_KEY,
      name: 'Newsletter sign-up',
      categories: ['newsletter'],
      fields: ['name'],
      consentText: 'Send me the monthly newsletter. I can unsubscribe at any time from any issue.',
    });
  }
  // The events of the import's subscriptions reach the receiver within a poll or two.
  for (let i = 0; i < 20 && received < 4; i++) await sleep(250);
  return {
    receiverUrl,
    formUrl: `${webUrl}/subscribe/${FORM_KEY}`,
    importId: staged.id,
    imported: view.counts,
    kept,
    events: () => received,
  };
}
