// The demo's feedback from the mail world: two messages go out through the real path, then the
// demo plays the receiving servers and sends the worker's inbound listener what they would send
// back: a delivery status notification (RFC 3464, 5.1.1 user unknown) to the first message's VERP
// address, and a feedback-loop complaint (RFC 5965) about the second to the FBL address. Both are
// read, matched and applied like any real report; the console's suppression page shows them.
// Run by scripts/demo.mjs (under tsx, for the report builders of @herald/test-support).
import { setTimeout as sleep } from 'node:timers/promises';
import { buildDeliveryStatusReport, buildFeedbackReport } from '@herald/test-support';
import nodemailer from 'nodemailer';

type Api = (method: string, path: string, body?: unknown) => Promise<unknown>;

export type Caught = { id: string; from: string; to: string[]; heraldMessageId: string | null };

export async function sendDemoReports({
  api,
  inboxUrl,
  inboundPort,
  fblAddress,
  stamp,
}: {
  api: Api;
  /** The demo mail catcher's web inbox, which keeps each message's envelope and raw text. */
  inboxUrl: string;
  inboundPort: number;
  /** HERALD_FBL_ADDRESS when set; else fbl@ the domain of the messages' VERP addresses. */
  fblAddress: string | undefined;
  stamp: string;
}): Promise<{ bounced: string; complained: string }> {
  const bounced = `moved-away-${stamp}@example.com`;
  const complained = `not-interested-${stamp}@example.com`;
  const { id: noticeId } = (await api('POST', '/v1/messages', {
    template: 'service-notice',
    to: { email: bounced },
    data: { title: 'Your invoice is ready', body: 'Your December invoice is in your account.' },
  })) as { id: string };
  // A subscriber the company added first: a contact created by a send takes no marketing consent.
  await api('POST', '/v1/contacts', { email: complained });
  const { id: newsletterId } = (await api('POST', '/v1/messages', {
    template: 'newsletter',
    to: { email: complained },
    data: {
      headline: 'A newsletter someone did not want',
      intro: 'They will press "Report spam" in their mailbox.',
      articles: [
        { title: 'Feedback loops', summary: 'How complaints come back.', url: 'https://example.com/fbl' },
      ],
    },
  })) as { id: string };
  const [notice, newsletter] = await Promise.all([
    waitForCaught(inboxUrl, noticeId),
    waitForCaught(inboxUrl, newsletterId),
  ]);
  const raw = (message: Caught) => fetchText(`${inboxUrl}/messages/${encodeURIComponent(message.id)}/raw`);
  const fbl = fblAddress ?? `fbl@${notice.from.split('@')[1]}`;

  const dsn = buildDeliveryStatusReport({
    to: notice.from,
    recipients: [
      {
        finalRecipient: bounced,
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: `smtp; 550 5.1.1 <${bounced}>: Recipient address rejected: User unknown in virtual mailbox table`,
      },
    ],
    returned: await raw(notice),
    headersOnly: true,
  });
  const arf = buildFeedbackReport({
    to: fbl,
    feedbackType: 'abuse',
    originalMailFrom: newsletter.from,
    originalRcptTo: complained,
    returned: await raw(newsletter),
  });

  // As a receiving MTA sends them: from the null sender, to the listener.
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: inboundPort, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from: '', to: [notice.from] }, raw: dsn });
    await transport.sendMail({ envelope: { from: '', to: [fbl] }, raw: arf });
  } finally {
    transport.close();
  }
  await waitForSuppression(api, bounced, 'hard-bounce');
  await waitForSuppression(api, complained, 'complaint');
  return { bounced, complained };
}

/** The mail catcher's record of a message Herald sent, once it has arrived. */
export async function waitForCaught(
  inboxUrl: string,
  heraldMessageId: string,
  timeoutMs = 30_000,
): Promise<Caught> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const list = JSON.parse(await fetchText(`${inboxUrl}/api/messages`)) as Caught[];
    const found = list.find((message) => message.heraldMessageId === heraldMessageId);
    if (found) return found;
    await sleep(250);
  }
  throw new Error(`message ${heraldMessageId} did not reach the mail catcher within ${timeoutMs / 1000} s`);
}

async function waitForSuppression(api: Api, email: string, reason: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { suppressions } = (await api(
      'GET',
      `/v1/suppressions?q=${encodeURIComponent(email)}&reason=${reason}`,
    )) as { suppressions: unknown[] };
    if (suppressions.length > 0) return;
    await sleep(250);
  }
  throw new Error(`the ${reason} report for ${email} was not applied within ${timeoutMs / 1000} s`);
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return response.text();
}
