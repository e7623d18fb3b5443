import { type DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bull';
import type { ApiEnv } from '@herald/config';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { AuditLogModule } from './audit-log/audit-log.module.js';
import { ConformanceModule } from './conformance/conformance.module.js';
import { EvidencePackModule } from './evidence-pack/evidence-pack.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { CampaignsModule } from './campaigns/campaigns.module.js';
import { CategoriesModule } from './categories/categories.module.js';
import { ContactsModule } from './contacts/contacts.module.js';
import { AuthModule } from './core/auth.module.js';
import { CoreModule } from './core/core.module.js';
import { API_ENV } from './core/injection-tokens.js';
import { DELIVERY_QUEUE, deliveryQueueOptions } from './delivery/delivery-queue.js';
import { DocsController } from './docs/docs.controller.js';
import { EvidenceModule } from './evidence/evidence.module.js';
import { FeedbackModule } from './feedback/feedback.module.js';
import { FormsModule } from './forms/forms.module.js';
import { HealthController } from './health/health.controller.js';
import { HooksModule } from './hooks/hooks.module.js';
import type { HttpsFetcher } from './hooks/https-fetcher.js';
import { MessagesModule } from './messages/messages.module.js';
import { NoticesModule } from './notices/notices.module.js';
import { PoliciesModule } from './policies/policies.module.js';
import { SuppressionsModule } from './suppressions/suppressions.module.js';
import { TemplatesModule } from './templates/templates.module.js';

@Module({})
export class ApiModule {
  /** `snsFetch`: the fetcher for SNS certificates and subscription confirmations (tests serve their own). */
  static forRoot(env: ApiEnv, options: { snsFetch?: HttpsFetcher } = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot({ env, envToken: API_ENV, maxConnections: 10 }),
        AuthModule,
        BullModule.forRoot(deliveryQueueOptions(env)),
        BullModule.registerQueue({ name: DELIVERY_QUEUE }),
        ContactsModule,
        CategoriesModule,
        TemplatesModule,
        MessagesModule,
        CampaignsModule,
        PoliciesModule,
        NoticesModule,
        FeedbackModule,
        HooksModule.forRoot(options.snsFetch ? { fetch: options.snsFetch } : {}),
        SuppressionsModule,
        ApiKeysModule,
        AuditLogModule,
        ExportsModule,
        ConformanceModule,
        EvidencePackModule,
        ImportsModule,
        WebhooksModule,
        FormsModule,
        EvidenceModule,
      ],
      controllers: [HealthController, DocsController],
    };
  }
}
