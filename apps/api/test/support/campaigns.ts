import { Prisma } from '@herald/db';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Harness } from './harness.js';

export const NEWSLETTER_DATA = {
  headline: 'Campaign news',
  intro: 'What changed this month.',
  articles: [{ title: 'Faster sends', summary: 'We made sending faster.', url: 'https://example.com/a' }],
};

export interface TestContact {
  id: string;
  email: string;
}

/**
 * Inserts `count` contacts tagged with a run id of their own (attributes.run), so a campaign whose
 * audience filters on it never reaches the contacts of test files running at the same time.
 */
export async function insertContacts(
  h: Harness,
  {
    run,
    count,
    label = 'c',
    timezone = 'UTC',
    locale = 'en',
  }: { run: string; count: number; label?: string; timezone?: string; locale?: string },
): Promise<TestContact[]> {
  const emails = Array.from(
    { length: count },
    (_, i) => `${label}-${i}-${randomBytes(4).toString('hex')}@example.test`,
  );
  const rows = await h.db.$queryRaw<TestContact[]>(Prisma.sql`
    INSERT INTO contacts (id, email, name, locale, timezone, attributes, updated_at)
    SELECT herald_uuid7(), e, 'Reader ' || split_part(e, '@', 1), ${locale}, ${timezone},
           jsonb_build_object('run', ${run}::text), now()
      FROM unnest(${emails}::text[]) AS e
    RETURNING id::text, email`);
  return rows;
}

export const newRun = () => `run-${randomBytes(6).toString('hex')}`;

/** Polls the campaign until `done` holds. */
export async function waitForCampaign(
  h: Harness,
  id: string,
  done: (campaign: any) => boolean,
  timeoutMs = 20_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await h.request('GET', `/v1/campaigns/${id}`);
    if (done(body)) return body;
    if (Date.now() > deadline)
      throw new Error(`campaign ${id} not done after ${timeoutMs} ms: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every message of a campaign by contact. */
export async function campaignMessages(h: Harness, campaignId: string) {
  return h.db.message.findMany({
    where: { campaignId },
    select: { id: true, contactId: true, status: true, reason: true },
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates a newsletter campaign, due now, to the newsletter subscribers tagged with `run`; `extra`
 * adds or overrides fields of the request (a rate, say). Answers the campaign's id.
 */
export async function createNewsletterCampaign(
  h: Harness,
  run: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const created = await h.request('POST', '/v1/campaigns', {
    name: `Newsletter ${run}`,
    template: 'newsletter',
    data: NEWSLETTER_DATA,
    audience: { categories: ['newsletter'], attributes: { run } },
    sendAt: new Date().toISOString(),
    ...extra,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}
