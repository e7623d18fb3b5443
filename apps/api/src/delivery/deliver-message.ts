import type { Db } from '@herald/db';
import {
  buildListUnsubscribeHeaders,
  decideDelivery,
  preferenceLinks,
  signMailtoToken,
  signToken,
  suppressAddress,
  type SigningKey,
} from '@herald/preferences';
import type { TemplateRenderer } from '@herald/templates';
import type { TemplateWithCategory } from '../templates/template-source.js';
import { toRenderSource } from '../templates/template-source.js';
import type { CampaignGate, WorkerLeaseHolder } from './campaign-gate.js';
import { passCampaignGate } from './pass-campaign-gate.js';
import { classifySmtpError } from './classify-smtp-error.js';
import type { DeliveryStore } from './delivery-store.js';
import type { MailTransport } from './mail-transport.js';

export interface DeliveryDeps {
  db: Db;
  store: DeliveryStore;
  renderer: TemplateRenderer;
  transport: Pick<MailTransport, 'sendMail'>;
  keys: SigningKey[];
  sender: { publicWebUrl: string; mailDomain: string; mailFrom: string; postalAddress: string };
  /** Template versions never change, so rows are kept once loaded. */
  templates: Map<string, TemplateWithCategory>;
  campaigns: CampaignGate;
  lease: WorkerLeaseHolder;
}

export type DeliveryResult =
  | { outcome: 'skipped' }
  | { outcome: 'sent' | 'suppressed' | 'bounced' | 'failed'; reason?: string }
  | { outcome: 'retry'; reason: string }
  /** Left queued, unsent: its campaign is paused (the scheduler enqueues it again on resume). */
  | { outcome: 'parked'; reason: string };

/**
 * Delivers one queued message: claim it, decide with the contact's state as it is now, render,
 * send, record. Blocked messages become `suppressed` with the reason; nothing is dropped silently.
 */
export async function deliverMessage(
  deps: DeliveryDeps,
  {
    messageId,
    isFinalAttempt,
    rateAcquired = false,
  }: {
    messageId: string;
    isFinalAttempt: boolean;
    /** The caller already took this message's share of its campaign's rate (a campaign batch). */
    rateAcquired?: boolean;
  },
): Promise<DeliveryResult> {
  const { store } = deps;
  const claim = await store.claim(messageId);
  if (!claim) return { outcome: 'skipped' };

  let data = claim.data;
  if (claim.campaignId) {
    const gate = await passCampaignGate(deps.campaigns, claim.campaignId, rateAcquired);
    if (gate.outcome !== 'send') {
      const status = gate.outcome === 'suppressed' ? 'suppressed' : 'queued';
      await store.record({ messageId, status, event: gate.outcome, reason: gate.reason });
      return gate;
    }
    data = { ...gate.data, ...claim.data };
  }

  const { state } = claim;
  const decision = state
    ? decideDelivery(state.decisionInput)
    : ({ allowed: false, reason: 'no-address' } as const);
  if (!decision.allowed || !state?.contact.email) {
    const reason = decision.allowed ? 'no-address' : decision.reason;
    await store.record({ messageId, status: 'suppressed', event: 'suppressed', reason });
    return { outcome: 'suppressed', reason };
  }
  const email = state.contact.email;

  const template = await loadTemplate(deps, claim.templateId);
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
      name: state.contact.name ?? email.split('@')[0],
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

async function loadTemplate(deps: DeliveryDeps, templateId: string): Promise<TemplateWithCategory> {
  const cached = deps.templates.get(templateId);
  if (cached) return cached;
  const template = await deps.db.template.findUniqueOrThrow({
    where: { id: templateId },
    include: { category: true },
  });
  deps.templates.set(templateId, template);
  return template;
}
