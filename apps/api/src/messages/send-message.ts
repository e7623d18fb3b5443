import type { SendMessageInput } from '@herald/contract';
import type { SystemVariables, TemplateRenderer } from '@herald/templates';
import { DomainError } from '../core/domain-error.js';
import type { TemplateCache } from '../templates/template-cache.js';
import type { StoredTemplate } from '../templates/find-template.js';
import { toRenderSource } from '../templates/template-source.js';
import { type CheckedSend, type StoreDeps, type StoreOutcome, storeMessages } from './store-messages.js';

export interface SendMessageDeps extends StoreDeps {
  templates: TemplateCache;
  renderer: TemplateRenderer;
  sampleSystem: SystemVariables;
  /**
   * Stores a checked send with the sends that arrive with it (messages.controller.ts: group commit,
   * one transaction for the sends of many requests); without it, the send is stored alone.
   */
  commit?: (send: CheckedSend) => Promise<StoreOutcome>;
}

/**
 * Accepts one message: checks the template and its data now (so a caller learns of a missing
 * variable at once, not from a failed message), stores it as queued and enqueues its delivery
 * (store-messages.ts). Whether it may go is decided later, by the worker, at send time.
 */
export async function sendMessage(deps: SendMessageDeps, input: SendMessageInput) {
  const send = { input, template: await checkTemplateAndData(deps, input) };
  const outcome = deps.commit
    ? await deps.commit(send)
    : ((await storeMessages(deps, [send]))[0] as StoreOutcome);
  if ('error' in outcome) throw outcome.error;
  return outcome;
}

/**
 * The latest version of the message's template, once its data has rendered with it (a missing
 * variable is the caller's error now, not a failed message later). Shared by single and batch sends.
 */
export async function checkTemplateAndData(
  deps: Pick<SendMessageDeps, 'templates' | 'renderer' | 'sampleSystem'>,
  input: SendMessageInput,
): Promise<StoredTemplate> {
  const template = await deps.templates.latest(input.template);
  if (!template) throw new DomainError('unknown_template', `No template with key "${input.template}".`);
  const compiled = await deps.renderer.compile(toRenderSource(template));
  deps.renderer.render(compiled, { ...input.data, ...deps.sampleSystem });
  return template;
}
