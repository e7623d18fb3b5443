import {
  buildListUnsubscribeHeaders,
  preferenceLinks,
  signBounceToken,
  signMailtoToken,
  signToken,
  suppressAddress,
} from '@herald/preferences';
import { countConsentWrites } from '../metrics/count-consent-writes.js';
import { openSealedData } from '../messages/sealed-data.js';
import { toRenderSource } from '../templates/template-source.js';
import type { StoredTemplate } from '../templates/find-template.js';
import type { CampaignUtm } from '../campaigns/campaign-gate.js';
import { trackLinks } from './track-links.js';
import type { Claim } from './claim-and-record.js';
import { chooseTemplateVariant } from './choose-template-variant.js';
import { classifySmtpError, type SmtpFailure } from './classify-smtp-error.js';
import type { DeliveryDeps, DeliveryResult } from './delivery-deps.js';

/**
 * The second half of a delivery, once the message is claimed and allowed: render it for its
 * recipient, sign its unsubscribe links, hand it to the pooled SMTP transport, record the outcome.
 */
export async function renderAndSend(
  deps: DeliveryDeps,
  {
    claim,
    email,
    name,
    locale,
    tokenEpoch,
    data,
    isFinalAttempt,
    tracking = null,
    onSmtpDone = () => {},
  }: {
    claim: Claim;
    email: string;
    name: string | null;
    /** The contact's locale: it picks the template's translation (choose-template-variant.ts). */
    locale?: string | null;
    /** The contact's token epoch as read just before the send: its links are signed under it. */
    tokenEpoch: number;
    data: Record<string, unknown>;
    isFinalAttempt: boolean;
    /**
     * Set when the message's links are to be tracked: its category tracks clicks and its contact has
     * not said "don't track my clicks" (docs/decisions/022-click-tracking.md). Null: plain links.
     */
    tracking?: { utm: CampaignUtm | null } | null;
    /** Called once the SMTP transaction has ended, either way: its connection is free for the next message. */
    onSmtpDone?: () => void;
  },
): Promise<DeliveryResult> {
  const { store } = deps;
  const { messageId } = claim;
  const chosen = await chooseTemplateVariant(deps.templates, claim.templateId, locale);
  const token = signToken(
    {
      contactId: claim.contactId,
      scope: { kind: 'category', categoryKey: claim.categoryKey },
      messageId,
      tokenEpoch,
    },
    deps.keys,
  );
  const links = preferenceLinks({ publicWebUrl: deps.sender.publicWebUrl, token });
  const values = {
    // A secret value (a sign-in link) is opened here, for the render only: it is never stored open.
    ...openSealedData(deps.keys, messageId, data),
    name: name ?? email.split('@')[0],
    email,
    unsubscribeUrl: links.unsubscribeUrl,
    preferencesUrl: links.preferencesUrl,
    postalAddress: deps.sender.postalAddress,
    messageId,
  };
  const render = async (version: StoredTemplate) =>
    deps.renderer.render(await deps.renderer.compile(toRenderSource(version)), values);
  let rendered: { subject: string; html: string; text: string };
  // Which language went, for the sent event: a reader who got the default instead of their own
  // language is a reported fallback (the console's templates page counts them).
  let language: SentLanguage = chosen.missing
    ? { locale: null, localeFallback: { wanted: chosen.missing, reason: 'no translation' } }
    : { locale: chosen.locale };
  try {
    try {
      rendered = await render(chosen.template);
    } catch (error) {
      if (chosen.template === chosen.base) throw error;
      // A broken translation never stops a message: the default goes, and the fallback is reported.
      rendered = await render(chosen.base);
      language = {
        locale: null,
        localeFallback: {
          wanted: chosen.locale ?? '',
          reason: `translation did not render: ${(error as Error).message}`,
        },
      };
    }
  } catch (error) {
    const reason = `render failed: ${(error as Error).message}`;
    await store.record({ messageId, status: 'failed', event: 'failed', reason });
    return { outcome: 'failed', reason };
  }

  // ── Click tracking: a step of its own after rendering (docs/decisions/022-click-tracking.md) ──
  // The body's links become signed /c/{token} redirects; the unsubscribe and preference links, the
  // List-Unsubscribe headers and mailto:/tel: links stay as they are. Never for a required category.
  if (tracking && !chosen.base.category.required) {
    rendered = trackLinks(rendered, {
      messageId,
      publicWebUrl: deps.sender.publicWebUrl,
      keys: deps.keys,
      utm: tracking.utm,
    });
  }
  // ── end of click tracking ──

  const hasUnsubscribe = !chosen.base.category.required;
  const headers: Record<string, string | { prepared: true; value: string }> = {
    'X-Herald-Message-Id': messageId,
    'X-Herald-Class': claim.class,
    'X-Herald-Category': claim.categoryKey,
  };
  if (hasUnsubscribe) {
    const list = buildListUnsubscribeHeaders({
      publicWebUrl: deps.sender.publicWebUrl,
      mailDomain: deps.sender.mailDomain,
      categoryKey: claim.categoryKey,
      ...(claim.campaignId && { campaignId: claim.campaignId }),
      token,
      mailtoToken: signMailtoToken({ messageId }, deps.keys),
    });
    // Prepared: nodemailer would fold a long value, and folded List-Unsubscribe headers break DKIM checks.
    for (const [name, value] of Object.entries(list)) headers[name] = { prepared: true, value };
  }

  if (!deps.lease.isHeld(claim.leaseId)) {
    // Another worker may already have taken this claim over: sending now could send it twice. Nothing
    // was tried and the lapse is the worker's (a stall, a slow renewal), so no attempt is used: a
    // worker stalling again and again must not spend a required message's attempts.
    const reason = 'worker lease lapsed before sending';
    await store.record({ messageId, status: 'queued', event: 'deferred', reason });
    return { outcome: 'held', reason, delayMs: LEASE_LAPSE_HOLD_MS };
  }
  if (deps.smtp.holding()) {
    // The relay stopped answering while this message waited: it keeps its attempts for later.
    const reason = SMTP_UNAVAILABLE;
    await store.record({ messageId, status: 'queued', event: 'deferred', reason });
    return { outcome: 'held', reason };
  }
  let info: { messageId: string; response: string };
  try {
    // The transport, sender and key are the message class's lane (select-lane.ts): promotional mail
    // through PROMOTIONAL_SMTP_URL from PROMOTIONAL_MAIL_FROM signed with the promotional key.
    info = await deps.transport.sendMail({
      from: deps.sender.mailFrom,
      ...(deps.sender.dkim && { dkim: deps.sender.dkim }),
      to: email,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      messageId: `<${messageId}@${deps.sender.mailDomain}>`,
      headers,
      // VERP: a bounce sent back to the envelope sender names the message even if it quotes nothing.
      envelope: {
        from: `bounce+${signBounceToken({ messageId }, deps.keys)}@${deps.sender.mailDomain}`,
        to: email,
      },
    });
  } catch (error) {
    onSmtpDone();
    return handleSendError(deps, {
      messageId,
      email,
      contactId: claim.contactId,
      campaignId: claim.campaignId,
      error,
      isFinalAttempt,
    });
  }
  onSmtpDone();
  deps.smtp.recordSend();
  // First a mark in Redis (written at once, no batching): should this worker die, or the database
  // stay out of reach, before the record below commits, whoever takes its claim over reads the mark
  // and records the message as sent instead of sending it again.
  deps.lease.markSent(messageId);
  return recordAccepted(deps, messageId, info, language);
}

/** The language a message went in, as its sent event records it. */
type SentLanguage =
  | { locale: string | null }
  | { locale: null; localeFallback: { wanted: string; reason: string } };

/** The reason of a message held while the SMTP relay cannot be reached (smtp-circuit-breaker.ts). */
const SMTP_UNAVAILABLE = 'smtp unavailable';

/** A job whose worker's lease lapsed before it could send waits this long (a new lease takes less). */
const LEASE_LAPSE_HOLD_MS = 1000;

/** Attempts to record an accepted message, with backoff: about 6 s in all, the length of a connection reset. */
const RECORD_RETRY_DELAYS_MS = [100, 200, 400, 800, 1600, 3200];

/**
 * Records a message the SMTP server accepted. From here on only the write may be retried, never
 * the send: if the database cannot be reached after the retries, the message is left claimed
 * (`sending`) and its job ends as sent; whoever takes the claim over finds the mark and records it.
 */
async function recordAccepted(
  deps: DeliveryDeps,
  messageId: string,
  info: { messageId: string; response: string },
  language: SentLanguage,
): Promise<DeliveryResult> {
  const outcome = {
    messageId,
    status: 'sent',
    event: 'sent',
    smtpMessageId: info.messageId,
    detail: { response: info.response, ...language },
  } as const;
  let lastError: unknown;
  for (const delayMs of [0, ...RECORD_RETRY_DELAYS_MS]) {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    try {
      // False when the claim was taken over meanwhile: the new holder read the mark.
      await deps.store.record(outcome);
      return { outcome: 'sent' };
    } catch (error) {
      lastError = error;
    }
  }
  const reason = `accepted by the SMTP server, not yet recorded: ${(lastError as Error).message}`;
  return { outcome: 'sent', reason };
}

/** The reason an operator reads: the server's reply, after "blocked: " when it refused the sender. */
function reasonFor(failure: SmtpFailure): string {
  return failure.kind === 'blocked' ? `blocked: ${failure.response}` : failure.response;
}

async function handleSendError(
  deps: DeliveryDeps,
  input: {
    messageId: string;
    email: string;
    contactId: string;
    campaignId: string | null;
    error: unknown;
    isFinalAttempt: boolean;
  },
): Promise<DeliveryResult> {
  const { db, store } = deps;
  const failure = classifySmtpError(input.error);
  const reason = reasonFor(failure);
  const unreachable = deps.smtp.recordSend(input.error);
  const detail = {
    smtp: {
      kind: failure.kind,
      response: failure.response,
      ...(failure.code !== undefined && { code: failure.code }),
      ...(failure.enhanced !== undefined && { enhanced: failure.enhanced }),
      ...(failure.stage !== undefined && { stage: failure.stage }),
    },
  };
  const { messageId } = input;
  if (unreachable && (deps.smtp.holding() || input.isFinalAttempt)) {
    // The relay cannot be reached: not this message's fault, so no attempt is used and none is the
    // last. The job waits for the breaker's next test connection (or, breaker still closed, a while).
    const held = `${SMTP_UNAVAILABLE}: ${reason}`;
    await store.record({ messageId, status: 'queued', event: 'deferred', reason: held, detail });
    return { outcome: 'held', reason: held };
  }
  if (failure.kind === 'hard-bounce') {
    // Suppress first: whoever sees the message bounced also sees its address suppressed. A crash in
    // between leaves the message queued; its retry finds the address suppressed and records that.
    const suppression = await suppressAddress(db, {
      email: input.email,
      contactId: input.contactId,
      reason: 'hard-bounce',
      source: 'bounce',
      detail: reason,
      messageId,
      ...(input.campaignId && { campaignId: input.campaignId }),
    });
    countConsentWrites('bounce', suppression.created ? 1 : 0);
    await store.record({ messageId, status: 'bounced', event: 'bounced', reason, detail });
    return { outcome: 'bounced', reason };
  }
  if (failure.kind !== 'temporary' || input.isFinalAttempt) {
    await store.record({ messageId, status: 'failed', event: 'failed', reason, detail });
    return { outcome: 'failed', reason };
  }
  await store.record({ messageId, status: 'queued', event: 'deferred', reason, detail });
  return { outcome: 'retry', reason };
}
