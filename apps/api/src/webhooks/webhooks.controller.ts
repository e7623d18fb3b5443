import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { ApiEnv } from '@herald/config';
import {
  type CreatedWebhookEndpoint,
  CreateWebhookSchema,
  type EnabledWebhookEndpoint,
  IdSchema,
  ListWebhookDeliveriesSchema,
} from '@herald/contract';
import type { Db } from '@herald/db';
import { type Caller, CurrentCaller } from '../core/caller.js';
import { DomainError, notFound } from '../core/domain-error.js';
import { API_ENV, PRISMA } from '../core/injection-tokens.js';
import { parseInput } from '../core/parse-input.js';
import { recordAudit } from '../core/record-audit.js';
import { RequireScope } from '../core/require-scope.decorator.js';
import { newWebhookSecret } from './webhook-signature.js';
import { toWebhookDeliveryView, toWebhookEndpointView } from './webhook-view.js';

/** After a rotation the previous secret signs beside the new one this long. */
const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/**
 * Outbound webhook endpoints (scope `admin`): register (the secret is shown once), list, remove,
 * rotate the secret, enable one the worker disabled, read the delivery log, send a delivery again.
 * Every change is audited in its own transaction. The worker (webhook-dispatcher.service.ts) does
 * the sending.
 */
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    @Inject(PRISMA) private readonly db: Db,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  @Post()
  @RequireScope('admin')
  async create(@Body() body: unknown, @CurrentCaller() caller: Caller): Promise<CreatedWebhookEndpoint> {
    const input = parseInput(CreateWebhookSchema, body);
    const url = new URL(input.url);
    const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
    if (url.protocol !== 'https:' && !(local && this.env.NODE_ENV !== 'production')) {
      throw new DomainError(
        'invalid_request',
        'Invalid request body: url: must be https (http only for localhost or 127.0.0.1 outside production)',
        [{ path: 'url', message: 'must be https' }],
      );
    }
    const secret = newWebhookSecret();
    const created = await this.db.$transaction(async (tx) => {
      const row = await tx.webhookEndpoint.create({
        data: { url: input.url, events: input.events, secret, description: input.description ?? null },
      });
      await recordAudit(tx, {
        actor: caller.actor,
        action: 'webhook.created',
        targetType: 'webhook',
        targetId: row.id,
        details: { url: row.url, events: row.events },
      });
      return row;
    });
    return { ...toWebhookEndpointView(created), secret };
  }

  @Get()
  @RequireScope('admin')
  async list() {
    const endpoints = await this.db.webhookEndpoint.findMany({ orderBy: { createdAt: 'desc' } });
    return { webhooks: endpoints.map(toWebhookEndpointView) };
  }

  @Delete(':id')
  @RequireScope('admin')
  @HttpCode(200)
  async remove(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    const endpointId = parseInput(IdSchema, id, 'path');
    return this.db.$transaction(async (tx) => {
      const removed = await tx.webhookEndpoint.findUnique({ where: { id: endpointId } });
      if (!removed) throw notFound('webhook endpoint', endpointId);
      await tx.webhookEndpoint.delete({ where: { id: endpointId } });
      await recordAudit(tx, {
        actor: caller.actor,
        action: 'webhook.deleted',
        targetType: 'webhook',
        targetId: removed.id,
        details: { url: removed.url, events: removed.events },
      });
      return toWebhookEndpointView(removed);
    });
  }

  @Post(':id/rotate-secret')
  @RequireScope('admin')
  @HttpCode(200)
  async rotate(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<CreatedWebhookEndpoint> {
    const endpointId = parseInput(IdSchema, id, 'path');
    const secret = newWebhookSecret();
    const rotated = await this.db.$transaction(async (tx) => {
      const [current] = await tx.$queryRaw<{ secret: string }[]>`
        SELECT secret FROM webhook_endpoints WHERE id = ${endpointId}::uuid FOR UPDATE`;
      if (!current) throw notFound('webhook endpoint', endpointId);
      const row = await tx.webhookEndpoint.update({
        where: { id: endpointId },
        data: {
          secret,
          previousSecret: current.secret,
          previousSecretExpiresAt: new Date(Date.now() + ROTATION_OVERLAP_MS),
        },
      });
      await recordAudit(tx, {
        actor: caller.actor,
        action: 'webhook.secret-rotated',
        targetType: 'webhook',
        targetId: row.id,
        details: { previousSecretExpiresAt: row.previousSecretExpiresAt?.toISOString() ?? null },
      });
      return row;
    });
    return { ...toWebhookEndpointView(rotated), secret };
  }

  /**
   * Undoes the worker's disable (send-webhook-deliveries.ts): clears disabledAt and its reason, and
   * sets every delivery of the endpoint that was not delivered (the failed one that disabled it, and
   * those held pending meanwhile) to be sent now with a fresh retry window, as "send again" does:
   * the window is counted from createdAt. Their order per contact is kept (the worker sends the
   * earliest pending event of a contact first). Events that happened while the endpoint was disabled
   * were never queued for it, so none are sent. The endpoint row is locked first: a second enable
   * waits, then finds it enabled and answers 409.
   */
  @Post(':id/enable')
  @RequireScope('admin')
  @HttpCode(200)
  async enable(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<EnabledWebhookEndpoint> {
    const endpointId = parseInput(IdSchema, id, 'path');
    return this.db.$transaction(async (tx) => {
      const [current] = await tx.$queryRaw<{ disabled_at: Date | null; disabled_reason: string | null }[]>`
        SELECT disabled_at, disabled_reason FROM webhook_endpoints WHERE id = ${endpointId}::uuid FOR UPDATE`;
      if (!current) throw notFound('webhook endpoint', endpointId);
      if (!current.disabled_at) {
        throw new DomainError(
          'conflict',
          `The webhook endpoint "${endpointId}" is not disabled: there is nothing to enable.`,
        );
      }
      const row = await tx.webhookEndpoint.update({
        where: { id: endpointId },
        data: { disabledAt: null, disabledReason: null },
      });
      const now = new Date();
      const { count: requeued } = await tx.webhookDelivery.updateMany({
        where: { endpointId, status: { in: ['pending', 'failed'] } },
        data: { status: 'pending', nextAttemptAt: now, createdAt: now, deliveredAt: null },
      });
      await recordAudit(tx, {
        actor: caller.actor,
        action: 'webhook.enabled',
        targetType: 'webhook',
        targetId: row.id,
        details: {
          url: row.url,
          disabledAt: current.disabled_at.toISOString(),
          disabledReason: current.disabled_reason,
          requeued,
        },
      });
      return { ...toWebhookEndpointView(row), requeued };
    });
  }

  @Get(':id/deliveries')
  @RequireScope('admin')
  async deliveries(@Param('id') id: string, @Query() query: unknown) {
    const endpointId = parseInput(IdSchema, id, 'path');
    const { limit } = parseInput(ListWebhookDeliveriesSchema, query, 'query');
    const endpoint = await this.db.webhookEndpoint.findUnique({ where: { id: endpointId } });
    if (!endpoint) throw notFound('webhook endpoint', endpointId);
    const rows = await this.db.webhookDelivery.findMany({
      where: { endpointId },
      orderBy: [{ eventId: 'desc' }],
      take: limit,
    });
    return { deliveries: rows.map(toWebhookDeliveryView) };
  }

  @Post('deliveries/:id/resend')
  @RequireScope('admin')
  @HttpCode(200)
  async resend(@Param('id') id: string, @CurrentCaller() caller: Caller) {
    const deliveryId = parseInput(IdSchema, id, 'path');
    return this.db.$transaction(async (tx) => {
      const [row] = await tx.webhookDelivery.updateManyAndReturn({
        where: { id: deliveryId },
        // A fresh retry window: the window is counted from createdAt.
        data: { status: 'pending', nextAttemptAt: new Date(), createdAt: new Date(), deliveredAt: null },
      });
      if (!row) throw notFound('webhook delivery', deliveryId);
      await recordAudit(tx, {
        actor: caller.actor,
        action: 'webhook.delivery-resent',
        targetType: 'webhook',
        targetId: row.endpointId,
        details: { deliveryId: row.id, eventType: row.eventType },
      });
      return toWebhookDeliveryView(row);
    });
  }
}
