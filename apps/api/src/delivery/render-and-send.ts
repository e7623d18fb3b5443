import {
  buildListUnsubscribeHeaders,
  preferenceLinks,
  signMailtoToken,
  signToken,
  suppressAddress,
} from '@herald/preferences';
import { toRenderSource } from '../templates/template-source.js';
import type { Claim } from './claim-and-record.js';
import { classifySmtpError } from './classify-smtp-error.js';
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
    data,
    isFinalAttempt,
  }: {
    claim: Claim;
    email: string;
    name: string | null;
    data: Record<string, unknown>;
    isFinalAttempt: boolean;
  },
): Promise<DeliveryResult> {
  const { store } = deps;
  const { messageId } = claim;
  const template = await deps.templates.version(claim.templateId);
  const token = signToken(
    { contactId: claim.contactId, scope: { kind: 'category', categoryKey: claim.categoryKey }, messageId },
    deps.keys,
  );
  const links = preferenceLinks({ publicWebUrl: deps.sender.publicWebUrl, token });
  let rendered: { subject: string; html: string; text: string };
  try {
    const compiled = await deps.renderer.compile(toRenderSource(template));
    rendered = deps.renderer.render(compiled, {
      ...data,
      name: name ?? email.split('@')[0],
      email,
      unsubscribeUrl: links.unsubscribeUrl,
      preferencesUrl: links.preferencesUrl,
      postalAddress: deps.sender.postalAddress,
      messageId,
    });
  } catch (error) {
    const reason = `render failed: ${(error as Error).message}`;
    await store.record({ messageId, status: 'failed', event: 'failed', reason });
    return { outcome: 'failed', reason };
  }

  const hasUnsubscribe = !template.category.required;
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

  if (!deps.lease.isHeld()) {
    // Another worker may already have taken this claim over: sending now could send it twice.
    const reason = 'worker lease lapsed before sending';
    await store.record({ messageId, status: 'queued', event: 'deferred', reason });
    return { outcome: 'retry', reason };
  }
  try {
    const info = await deps.transport.sendMail({
      from: deps.sender.mailFrom,
      to: email,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      messageId: `<${messageId}@${deps.sender.mailDomain}>`,
      headers,
    });
    // First a mark in Redis (written at once, no batching): should this worker die before the
    // record below commits, whoever takes its claims over knows the message went out.
    deps.lease.markSent(messageId);
    await store.record({
      messageId,
      status: 'sent',
      event: 'sent',
      smtpMessageId: info.messageId,
      detail: { response: info.response },
    });
    return { outcome: 'sent' };
  } catch (error) {
    return handleSendError(deps, {
      messageId,
      email,
      contactId: claim.contactId,
      campaignId: claim.campaignId,
      error,
      isFinalAttempt,
    });
  }
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
  const reason = `${failure.code ? `${failure.code} ` : ''}${failure.response}`;
  if (failure.kind === 'hard-bounce') {
    await store.record({ messageId: input.messageId, status: 'bounced', event: 'bounced', reason });
    await suppressAddress(db, {
      email: input.email,
      contactId: input.contactId,
      reason: 'hard-bounce',
      source: 'bounce',
      detail: reason,
      messageId: input.messageId,
      ...(input.campaignId && { campaignId: input.campaignId }),
    });
    return { outcome: 'bounced', reason };
  }
  if (failure.kind === 'permanent' || input.isFinalAttempt) {
    await store.record({ messageId: input.messageId, status: 'failed', event: 'failed', reason });
    return { outcome: 'failed', reason };
  }
  await store.record({ messageId: input.messageId, status: 'queued', event: 'deferred', reason });
  return { outcome: 'retry', reason };
}
