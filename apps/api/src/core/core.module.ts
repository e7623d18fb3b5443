import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { CommonEnv } from '@herald/config';
import { createPrismaClient, type Db } from '@herald/db';
import { parseSigningKeys } from '@herald/preferences';
import { createTemplateRenderer } from '@herald/templates';
import { TemplateCache } from '../templates/template-cache.js';
import { TEMPLATES, PRISMA, SIGNING_KEYS, TEMPLATE_RENDERER } from './injection-tokens.js';

/** The clients every part of the API and the worker share: one Prisma pool, one renderer, the signing keys. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(@Inject(PRISMA) private readonly db: Db) {}

  static forRoot({
    env,
    envToken,
    maxConnections,
  }: {
    env: CommonEnv;
    envToken: symbol;
    maxConnections: number;
  }): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: envToken, useValue: env },
        {
          provide: PRISMA,
          useFactory: () => createPrismaClient({ databaseUrl: env.DATABASE_URL, maxConnections }),
        },
        { provide: SIGNING_KEYS, useFactory: () => parseSigningKeys(env.HERALD_SECRET) },
        { provide: TEMPLATE_RENDERER, useFactory: () => createTemplateRenderer({ maxEntries: 500 }) },
        { provide: TEMPLATES, useFactory: (db: Db) => new TemplateCache(db), inject: [PRISMA] },
      ],
      exports: [envToken, PRISMA, SIGNING_KEYS, TEMPLATE_RENDERER, TEMPLATES],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.$disconnect();
  }
}
