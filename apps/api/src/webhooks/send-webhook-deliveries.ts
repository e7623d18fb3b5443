import type { Db, WebhookDelivery } from '@herald/db';
import { recordAudit } from '../core/record-audit.js';
import { type EndpointDisabledMail, queueEndpointDisabledMail } from './queue-endpoint-disabled-mail.js';
import { signatureHeader } from './webhook-signature.js';

export interface SendOptions {
  batchSize: number;
  timeoutMs: number;
  backoffMs: number;
  backoffMaxMs: number;
  retryWindowMs: number;
  /**
   * The console's Webhooks page (PUBLIC_WEB_URL/admin/webhooks), linked from the mail that tells the
   * owners of a disabled endpoint; null, the mail has no link.
   */
  consoleWebhooksUrl: string | null;
  /**
   * Told of each endpoint disabled after its retry window, after the commit, with the owners' mail
   * queued in the same transaction (an error log line, and the mail's jobs enqueued).
   */
  onDisabled: (
    endpoint: { id: string; url: string },
    reason: string,
    mail: EndpointDisabledMail,
  ) => void | Promise<void>;
}

interface Claimed extends WebhookDelivery {
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/**
 * Claims the due deliveries and sends them, each in parallel; answers how many it sent. A delivery
 * is due when pending, its next attempt has come, its endpoint is enabled and no earlier event for
 * the same contact is still pending for that endpoint (in order per contact per endpoint). The claim
 * moves the next attempt past the timeout, so another worker does not send it meanwhile; a worker
 * that dies holding it only delays it (delivered at least once).
 */
export async function sendWebhookDeliveries(db: Db, options: SendOptions): Promise<number> {
  const leaseMs = options.timeoutMs + 30_000;
  const claimed = await db.$queryRaw<Claimed[]>`
    WITH due AS (
      SELECT d.id FROM webhook_deliveries d
        JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.disabled_at IS NULL
       WHERE d.status = 'pending' AND d.next_attempt_at <= now()
         AND NOT EXISTS (
           SELECT 1 FROM webhook_deliveries p
            WHERE p.endpoint_id = d.endpoint_id AND p.contact_id = d.contact_id
              AND p.event_id < d.event_id AND p.status = 'pending')
       ORDER BY d.event_id
       LIMIT ${options.batchSize}::int
       FOR UPDATE OF d SKIP LOCKED)
    UPDATE webhook_deliveries d
       SET next_attempt_at = now() + ${leaseMs}::int * interval '1 millisecond'
      FROM due, webhook_endpoints e
     WHERE d.id = due.id AND e.id = d.endpoint_id
    RETURNING d.id, d.endpoint_id AS "endpointId", d.event_id AS "eventId", d.event_type AS "eventType",
              d.contact_id AS "contactId", d.payload, d.occurred_at AS "occurredAt", d.status, d.attempts,
              d.next_attempt_at AS "nextAttemptAt", d.last_attempt_at AS "lastAttemptAt",
              d.last_status_code AS "lastStatusCode", d.last_error AS "lastError",
              d.delivered_at AS "deliveredAt", d.created_at AS "createdAt",
              e.url, e.secret, e.previous_secret AS "previousSecret",
              e.previous_secret_expires_at AS "previousSecretExpiresAt"`;
  const delivered = (await Promise.all(claimed.map((delivery) => sendOne(db, delivery, options)))).filter(
    (outcome): outcome is Delivered => outcome !== null,
  );
  // The deliveries that went through are recorded in one statement for the pass, not one each: at
  // a receiver's full rate these writes were most of the worker's work. A worker that dies before it
  // sends them again (at least once, with the same webhook-id for the receiver to drop the repeat).
  if (delivered.length > 0) {
    await db.$executeRaw`
      UPDATE webhook_deliveries d
         SET status = 'delivered', attempts = d.attempts + 1, last_attempt_at = now(),
             last_status_code = r.code, last_error = NULL, delivered_at = now()
        FROM unnest(${delivered.map((outcome) => outcome.id)}::uuid[],
                    ${delivered.map((outcome) => outcome.statusCode)}::int[]) AS r(id, code)
       WHERE d.id = r.id`;
  }
  return claimed.length;
}

interface Delivered {
  id: string;
  statusCode: number;
}

/** Sends one delivery; answers it when the receiver took it, and records a failure itself. */
async function sendOne(db: Db, delivery: Claimed, options: SendOptions): Promise<Delivered | null> {
  const timestamp = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    type: delivery.eventType,
    timestamp: delivery.occurredAt.toISOString(),
    data: delivery.payload,
  });
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Herald-Webhooks',
        'webhook-id': delivery.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(delivery, delivery.id, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    statusCode = response.status;
    // The body is not needed: drop it so the connection is freed.
    await response.body?.cancel().catch(() => undefined);
    if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`;
  } catch (cause) {
    const failure = cause instanceof Error ? cause : new Error(String(cause));
    error =
      failure.name === 'TimeoutError'
        ? `no answer within ${options.timeoutMs} ms`
        : `${failure.message}${failure.cause instanceof Error ? `: ${failure.cause.message}` : ''}`;
  }
  const attempts = delivery.attempts + 1;
  if (error === null) return { id: delivery.id, statusCode: statusCode ?? 200 };
  const now = Date.now();
  if (now - delivery.createdAt.getTime() < options.retryWindowMs) {
    const wait = Math.min(options.backoffMs * 2 ** (attempts - 1), options.backoffMaxMs);
    await db.webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        attempts,
        lastAttemptAt: new Date(now),
        lastStatusCode: statusCode,
        lastError: error,
        nextAttemptAt: new Date(now + wait),
      },
    });
    return null;
  }
  const reason = `deliveries failed for longer than ${Math.round(options.retryWindowMs / 1000)} s (last: ${error})`;
  const disabled = await db.$transaction(async (tx) => {
    await tx.webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        status: 'failed',
        attempts,
        lastAttemptAt: new Date(now),
        lastStatusCode: statusCode,
        lastError: error,
      },
    });
    const { count } = await tx.webhookEndpoint.updateMany({
      where: { id: delivery.endpointId, disabledAt: null },
      data: { disabledAt: new Date(now), disabledReason: reason },
    });
    if (count === 0) return null;
    await recordAudit(tx, {
      actor: 'system',
      action: 'webhook.disabled',
      targetType: 'webhook',
      targetId: delivery.endpointId,
      reason,
      details: { url: delivery.url, deliveryId: delivery.id, eventType: delivery.eventType },
    });
    // The owners' mail commits with the disable or not at all (its message rows are the outbox).
    return queueEndpointDisabledMail(
      tx,
      { id: delivery.endpointId, url: delivery.url, reason, disabledAt: new Date(now) },
      options.consoleWebhooksUrl,
    );
  });
  if (disabled) await options.onDisabled({ id: delivery.endpointId, url: delivery.url }, reason, disabled);
  return null;
}
