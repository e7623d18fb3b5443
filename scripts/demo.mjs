// Starts the mail catcher, the API, a worker and the web app as child processes, sends sample mail
// through the real path and prints every URL. Run through `npm run demo`, which prepares the database.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { runDemoLists } from './demo-lists.ts';
import { runDemoLocales } from './demo-locales.ts';
import { sendDemoReports } from './demo-reports.ts';

const env = {
  ...process.env,
  WEB_PORT: process.env.WEB_PORT ?? '3000',
  API_PORT: process.env.API_PORT ?? '3001',
};
const catcherSmtpPort = process.env.MAILCATCHER_SMTP_PORT ?? '1025';
const catcherHttpPort = process.env.MAILCATCHER_HTTP_PORT ?? '1080';
env.SMTP_URL ??= `smtp://127.0.0.1:${catcherSmtpPort}`;
env.INBOUND_SMTP_PORT ??= '2525';
env.PUBLIC_WEB_URL ??= `http://localhost:${env.WEB_PORT}`;
env.PUBLIC_API_URL ??= `http://localhost:${env.API_PORT}`;
const apiUrl = `http://127.0.0.1:${env.API_PORT}`;
// The console calls the API: the one this demo starts, whatever its port.
env.HERALD_API_URL ??= apiUrl;
const inboxUrl = `http://localhost:${catcherHttpPort}`;
const usesCatcher = env.SMTP_URL === `smtp://127.0.0.1:${catcherSmtpPort}`;

const children = [];
function start(name, args, cwd = '.') {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}]`.padEnd(9);
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      for (const line of chunk.split('\n')) if (line.trim()) console.log(`${prefix} ${line}`);
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix} exited (${signal ?? code}); stopping the demo`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
async function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await sleep(500);
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function waitFor(url, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

async function api(method, path, body) {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${env.HERALD_API_KEY}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function main() {
  if (usesCatcher) {
    start('mail', [
      'packages/mail-catcher/dist/cli.js',
      '--smtp-port',
      catcherSmtpPort,
      '--http-port',
      catcherHttpPort,
    ]);
    await waitFor(inboxUrl, 'the mail catcher');
  }
  start('api', ['apps/api/dist/main.js']);
  start('worker', ['--max-old-space-size=256', 'apps/api/dist/worker.js']);
  start('web', ['server.js'], 'apps/web');
  await waitFor(`${apiUrl}/health`, 'the API');
  await waitFor(`http://127.0.0.1:${env.WEB_PORT}/`, 'the web app');

  const { id: noticeId } = await api('POST', '/v1/messages', {
    template: 'service-notice',
    to: { email: 'ada@example.com' },
    data: {
      title: 'Scheduled maintenance on Saturday',
      body: 'Herald will be read-only for about 20 minutes on Saturday at 06:00 UTC while we upgrade the database.',
    },
  });
  await api('POST', '/v1/messages', {
    template: 'newsletter',
    to: { email: 'grace@example.com' },
    data: {
      headline: 'What is new in Herald this month',
      intro: 'Three things we shipped, and one we learned.',
      articles: [
        {
          title: 'One-click unsubscribe',
          summary: 'RFC 8058 headers on every promotional message.',
          url: 'https://example.com/blog/one-click',
        },
        {
          title: 'Consent log',
          summary: 'Every change, who made it, and how.',
          url: 'https://example.com/blog/consent-log',
        },
      ],
    },
  });

  // A policy change announced to everyone (required transactional: no opt-out blocks it)…
  const effectiveAt = new Date(Date.now() + 31 * 24 * 3600 * 1000).toISOString();
  const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
  const policy = await api('POST', '/v1/policies', {
    version: `demo-${stamp}`,
    title: 'Privacy policy update',
    summary: 'We now keep delivery logs for 90 days instead of 30, and name our new email provider.',
    url: `${env.PUBLIC_WEB_URL}/policy`,
    effectiveAt,
  });
  await api('POST', `/v1/policies/${policy.id}/announce`, {});
  // …and a small newsletter campaign to the newsletter's subscribers, now.
  const campaign = await api('POST', '/v1/campaigns', {
    name: `Demo newsletter ${stamp}`,
    template: 'newsletter',
    data: {
      headline: 'Herald in the demo',
      intro: 'A campaign to every subscriber of the newsletter, scheduled for now.',
      articles: [
        {
          title: 'Preference center',
          summary: 'Change what you get, in one place.',
          url: `${env.PUBLIC_WEB_URL}/`,
        },
      ],
    },
    audience: { categories: ['newsletter'] },
    sendAt: new Date().toISOString(),
    ratePerSecond: 5,
  });

  // A bounce and a complaint coming back through the worker's inbound listener, as DSN and ARF mail.
  const reports =
    usesCatcher && env.INBOUND_SMTP_PORT
      ? await sendDemoReports({
          api,
          inboxUrl,
          inboundPort: Number(env.INBOUND_SMTP_PORT),
          fblAddress: env.HERALD_FBL_ADDRESS,
          stamp,
        })
      : null;

  // Lists in and out: a webhook receiver the demo prints, an import with an earlier unsubscribe, a form.
  const lists = await runDemoLists({
    api,
    apiUrl,
    apiKey: env.HERALD_API_KEY,
    webUrl: env.PUBLIC_WEB_URL,
    stamp,
  });

  // Readers in their own languages: a German and a French newsletter, from the template's translations.
  const localized = await runDemoLocales({
    api,
    stamp,
    inboxUrl: usesCatcher ? inboxUrl : null,
    webUrl: env.PUBLIC_WEB_URL,
  });

  let status = 'queued';
  for (let i = 0; i < 60 && (status === 'queued' || status === 'sending'); i++) {
    await sleep(250);
    ({ status } = await api('GET', `/v1/messages/${noticeId}`));
  }
  console.log('');
  console.log(`Herald is running. The sample service notice is ${status}.`);
  if (usesCatcher) console.log(`  mail catcher inbox   ${inboxUrl}  (read the notice and its headers there)`);
  console.log(
    `  web app              ${env.PUBLIC_WEB_URL}  (unsubscribe from a newsletter in the inbox, or /account)`,
  );
  console.log(
    `  console              ${env.PUBLIC_WEB_URL}/admin  (${env.HERALD_ADMIN_EMAIL ?? 'admin@example.com'} / ${env.HERALD_ADMIN_PASSWORD ?? 'see .env'})`,
  );
  console.log(
    '  console roles        marketer@, operator@, support@ and viewer@example.com, same password (each sees only its part)',
  );
  console.log(`  campaign             ${env.PUBLIC_WEB_URL}/admin/campaigns/${campaign.id}`);
  for (const campaign of localized) {
    console.log(
      `  ${`${campaign.language} newsletter`.padEnd(20)} ${env.PUBLIC_WEB_URL}/admin/campaigns/${campaign.id}  (${campaign.name}: ${campaign.sent} sent from the "${campaign.language}" translation; its report is on that page)`,
    );
    if (campaign.clicked) {
      console.log(
        `                       a reader followed ${campaign.clicked.link} → ${campaign.clicked.target} (report: ${campaign.humanClicks} person clicked)`,
      );
    }
  }
  console.log(
    `  templates            ${env.PUBLIC_WEB_URL}/admin/templates  (each template's languages and previews)`,
  );
  console.log(
    `  conformance report   ${env.PUBLIC_WEB_URL}/admin/conformance  (the policy's promises for the last 30 days, printable and as PDF)`,
  );
  console.log(
    `  policy coverage      ${env.PUBLIC_WEB_URL}/admin/policies/${policy.id}  (public page: ${env.PUBLIC_WEB_URL}/policy)`,
  );
  if (reports) {
    console.log(
      `  suppressions         ${env.PUBLIC_WEB_URL}/admin/suppressions  (a 5.1.1 bounce for ${reports.bounced} and a complaint for ${reports.complained} just arrived as DSN and ARF mail)`,
    );
  }
  const c = lists.imported;
  console.log(
    `  import               ${env.PUBLIC_WEB_URL}/admin/imports/${lists.importId}  (${c.created ?? 0} created and subscribed; ${lists.kept} had unsubscribed before and stayed so: keptUnsubscribed ${c.keptUnsubscribed ?? 0})`,
  );
  console.log(
    `  subscribe form       ${lists.formUrl}  (double opt-in: subscribing there mails a confirmation link to the inbox)`,
  );
  console.log(
    `  webhook receiver     ${lists.receiverUrl}  (${lists.events()} signed events so far; each prints as a [receiver] line)`,
  );
  console.log(
    `  inbound listener     smtp://127.0.0.1:${env.INBOUND_SMTP_PORT}  (mailto unsubscribe, bounces to bounce+…, complaints to the feedback-loop address)`,
  );
  console.log(
    `  API                  ${env.PUBLIC_API_URL}  (OpenAPI at ${env.PUBLIC_API_URL}/docs, health at /health)`,
  );
  console.log(`  API key              ${env.HERALD_API_KEY}  (in .env)`);
  console.log(
    `  try: curl -H "Authorization: Bearer $HERALD_API_KEY" ${env.PUBLIC_API_URL}/v1/messages/${noticeId}`,
  );
  console.log('Press Ctrl-C to stop.');
  if (process.argv.includes('--exit-after-send')) await stop(status === 'sent' ? 0 : 1);
}

main().catch((error) => {
  console.error(`demo failed: ${error.message}`);
  void stop(1);
});
