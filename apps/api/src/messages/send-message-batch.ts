import { type SendMessageBatchResult, SendMessageSchema } from '@herald/contract';
import { errorResponse } from '../core/http-exception.filter.js';
import { parseInput } from '../core/parse-input.js';
import { checkTemplateAndData, type SendMessageDeps } from './send-message.js';
import { type CheckedSend, storeMessages } from './store-messages.js';

/**
 * POST /v1/messages/batch: each item is what POST /v1/messages would accept, and is answered with
 * what it would answer (`{ id, status }` or its 4xx error), in order. Every item is checked first
 * (schema, template, data); the ones that pass are stored and enqueued together (store-messages.ts:
 * one transaction, one addBulk). An idempotency key names one message within the batch and across
 * requests, as for single sends.
 */
export async function sendMessageBatch(
  deps: SendMessageDeps,
  items: readonly unknown[],
): Promise<SendMessageBatchResult[]> {
  const results: SendMessageBatchResult[] = new Array(items.length);
  const checked: (CheckedSend & { index: number })[] = [];
  for (const [index, body] of items.entries()) {
    try {
      const input = parseInput(SendMessageSchema, body);
      checked.push({ index, input, template: await checkTemplateAndData(deps, input) });
    } catch (error) {
      results[index] = itemError(error);
    }
  }
  if (checked.length === 0) return results;
  const outcomes = await storeMessages(deps, checked);
  for (const [i, outcome] of outcomes.entries()) {
    const { index } = checked[i] as { index: number };
    results[index] =
      'error' in outcome ? itemError(outcome.error) : { id: outcome.id, status: outcome.status };
  }
  return results;
}

/** An item's error, as the single send would answer it; anything that is not the caller's fails the request. */
function itemError(error: unknown): SendMessageBatchResult {
  const [status, body] = errorResponse(error);
  if (status >= 500) throw error;
  return body;
}
