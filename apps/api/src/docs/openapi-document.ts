import { z } from 'zod';
import { CreateCategorySchema } from '../categories/categories.controller.js';
import {
  UpdateContactSchema,
  UpdatePreferencesSchema,
  UpsertContactSchema,
} from '../contacts/contacts.schemas.js';
import {
  AudiencePreviewSchema,
  CreateCampaignSchema,
  PreviewCampaignSchema,
  ScheduleCampaignSchema,
  TestSendSchema,
} from '../campaigns/campaigns.schemas.js';
import { SendMessageSchema } from '../messages/messages.schemas.js';
import { AnnouncePolicySchema, CreatePolicySchema } from '../policies/policies.schemas.js';
import { PreviewTemplateSchema, SaveTemplateSchema } from '../templates/templates.schemas.js';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

const ErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};

interface Operation {
  summary: string;
  body?: z.ZodType;
  status?: number;
  query?: string[];
}

const operations: Record<string, Record<string, Operation>> = {
  '/health': { get: { summary: 'Whether PostgreSQL and Redis answer (no auth).' } },
  '/v1/contacts': {
    post: {
      summary: 'Create or update a contact by email (or externalId).',
      body: UpsertContactSchema,
      status: 201,
    },
  },
  '/v1/contacts/{id}': {
    get: { summary: 'Read a contact.' },
    patch: { summary: 'Update a contact.', body: UpdateContactSchema },
    delete: { summary: 'Erase a contact: personal data removed, the address stays suppressed by its hash.' },
  },
  '/v1/contacts/{id}/preferences': {
    get: { summary: "A contact's preferences per category and the all-promotional switch." },
    put: {
      summary: 'A support agent records a change (source "admin" in the consent log).',
      body: UpdatePreferencesSchema,
    },
  },
  '/v1/contacts/{id}/consent-log': { get: { summary: "The contact's append-only consent history." } },
  '/v1/categories': {
    get: { summary: 'List categories.' },
    post: { summary: 'Create a category.', body: CreateCategorySchema },
  },
  '/v1/templates': {
    get: { summary: 'List the latest version of each template.' },
    post: {
      summary: 'Create a template or add a version (MJML validated strictly).',
      body: SaveTemplateSchema,
    },
  },
  '/v1/templates/{key}': {
    get: { summary: 'Read the latest version, its variables and a fixture that renders.' },
  },
  '/v1/templates/{key}/preview': {
    post: { summary: 'Render with data (or the fixture).', body: PreviewTemplateSchema },
  },
  '/v1/messages': {
    post: {
      summary: 'Send one message; the class comes from the template category.',
      body: SendMessageSchema,
      status: 202,
    },
    get: { summary: 'List messages.', query: ['contactId', 'campaignId', 'status', 'limit', 'after'] },
  },
  '/v1/messages/{id}': { get: { summary: 'A message, its status, reason and events.' } },
  '/v1/campaigns': {
    post: {
      summary: 'Create a campaign (scheduled when sendAt is given).',
      body: CreateCampaignSchema,
      status: 201,
    },
    get: { summary: 'List campaigns with their status and counts.', query: ['status', 'limit', 'after'] },
  },
  '/v1/campaigns/audience-preview': {
    post: { summary: 'How many contacts an audience would reach now.', body: AudiencePreviewSchema },
  },
  '/v1/campaigns/{id}': {
    get: {
      summary:
        'A campaign: status and counts (targeted, queued, sent, suppressed, failed, bounced, unsubscribes).',
    },
  },
  '/v1/campaigns/{id}/timeline': { get: { summary: 'Messages over time, for the progress chart.' } },
  '/v1/campaigns/{id}/schedule': { post: { summary: 'Schedule a draft.', body: ScheduleCampaignSchema } },
  '/v1/campaigns/{id}/pause': { post: { summary: 'Pause sending (takes effect within a second).' } },
  '/v1/campaigns/{id}/resume': { post: { summary: 'Resume a paused campaign.' } },
  '/v1/campaigns/{id}/cancel': { post: { summary: 'Cancel: nothing more is sent.' } },
  '/v1/campaigns/{id}/preview': {
    post: { summary: 'Render the campaign email with sample data.', body: PreviewCampaignSchema },
  },
  '/v1/campaigns/{id}/test-send': {
    post: { summary: 'Send the campaign email to one address.', body: TestSendSchema },
  },
  '/v1/policies': {
    post: {
      summary:
        'A policy version; refused when effectiveAt is sooner than HERALD_POLICY_NOTICE_DAYS unless overridden with a reason.',
      body: CreatePolicySchema,
      status: 201,
    },
    get: { summary: 'List policy versions (filter by status).', query: ['status'] },
  },
  '/v1/policies/{id}': { get: { summary: 'A policy version and the version before it.' } },
  '/v1/policies/{id}/announce': {
    post: {
      summary: 'Notify every contact (email and in-app notice); idempotent.',
      body: AnnouncePolicySchema,
      status: 202,
    },
  },
  '/v1/policies/{id}/coverage': {
    get: { summary: 'Who was notified, delivered, failed, in-app only, acknowledged; at risk.' },
  },
  '/v1/contacts/{contactId}/notices': { get: { summary: "A contact's in-app notices.", query: ['pending'] } },
  '/v1/contacts/{contactId}/notices/{noticeId}/ack': { post: { summary: 'Acknowledge an in-app notice.' } },
};

/** The OpenAPI 3.1 document, built from the same zod schemas that validate requests. */
export function buildOpenApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, methods] of Object.entries(operations)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(methods)) {
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      const query = (op.query ?? []).map((name) => ({
        name,
        in: 'query',
        required: false,
        schema: { type: 'string' },
      }));
      (paths[path] as Record<string, unknown>)[method] = {
        summary: op.summary,
        ...(path.startsWith('/v1') && { security: [{ bearer: [] }] }),
        ...(params.length + query.length > 0 && { parameters: [...params, ...query] }),
        ...(op.body && {
          requestBody: { required: true, content: { 'application/json': { schema: schema(op.body) } } },
        }),
        responses: {
          [String(op.status ?? 200)]: { description: 'Success' },
          '4XX': {
            description: 'The caller’s mistake; nothing was changed.',
            content: { 'application/json': { schema: ErrorSchema } },
          },
        },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Herald API',
      version: '1.0.0',
      description: 'Notifications with consent enforced at send time.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'HERALD_API_KEY' } },
    },
    paths,
  };
}
