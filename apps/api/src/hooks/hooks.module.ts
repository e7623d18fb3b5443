import { type DynamicModule, Module } from '@nestjs/common';
import { fetchHttps, type HttpsFetcher } from './https-fetcher.js';
import { HTTPS_FETCHER, SNS_CERTIFICATES } from './hook-tokens.js';
import { HooksController } from './hooks.controller.js';
import { SnsCertificates } from './sns-certificates.js';

/**
 * The provider webhooks under /hooks (SES through SNS, SendGrid, Postmark, Mailgun), outside the
 * API key: each provider authenticates the way it signs. `fetch` replaces the HTTPS fetcher SNS
 * certificates and subscription confirmations go through (tests serve a certificate they made).
 */
@Module({})
export class HooksModule {
  static forRoot(options: { fetch?: HttpsFetcher } = {}): DynamicModule {
    return {
      module: HooksModule,
      controllers: [HooksController],
      providers: [
        { provide: HTTPS_FETCHER, useValue: options.fetch ?? fetchHttps },
        {
          provide: SNS_CERTIFICATES,
          useFactory: (fetch: HttpsFetcher) => new SnsCertificates(fetch),
          inject: [HTTPS_FETCHER],
        },
      ],
    };
  }
}
