import type { SendMessageInput } from '@herald/contract';
import type { SystemVariables, TemplateRenderer } from '@herald/templates';
import { DomainError } from '../core/domain-error.js';
import type { TemplateCache } from '../templates/template-cache.js';
import type { StoredTemplate } from '../templates/find-template.js';
import { toRenderSource } from '../templates/template-source.js';
import type { CheckedSend, StoreDeps, StoreOutcome } from './store-messages.js';

export interface SendMessageDeps extends StoreDeps {
  templates: TemplateCache;
  renderer: TemplateRenderer;
  sampleSystem: SystemVariables;
}

/**
 * Accepts one message: checks the template and its data now (so a caller learns of a missing
 * variable at once, not from a failed message), then hands it to `commit`, which stores it as queued
 * with the sends that arrive with it and enqueues its delivery (messages.controller.ts: group commit
 * over store-messages.ts). Whether it may go is decided later, by the worker, at send time.
 */
export async function sendMessage(
  deps: Pick<SendMessageDeps, 'templates' | 'renderer' | 'sampleSystem'>,
  commit: (send: CheckedSend) => Promise<StoreOutcome>,
  input: SendMessageInput,
) {
  const outcome = await commit({ input, template: await checkTemplateAndData(deps, input) });
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
