import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Controller, Get, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiEnvSchema, parseEnv } from '@herald/config';
import { ROUTES } from '@herald/contract';
import { createPrismaClient } from '@herald/db';
import { createApiClient, heraldEnvironment } from '@herald/test-support';
import { createHash, randomBytes } from 'node:crypto';
import { createApiApp } from '../src/create-api-app.js';
import { AuthModule } from '../src/core/auth.module.js';
import { CoreModule } from '../src/core/core.module.js';
import { HttpExceptionFilter } from '../src/core/http-exception.filter.js';
import { API_ENV } from '../src/core/injection-tokens.js';
import {
  PUBLIC_ROUTE_METADATA,
  SCOPE_METADATA,
  type ScopeRequirement,
} from '../src/core/require-scope.decorator.js';

/**
 * Every route of the API declares who may call it: a /v1 route its scope (the same one the contract's
 * route table, and so /docs, names), any other route that it is public (it authenticates its own
 * way). A route added without a scope is refused to every caller but HERALD_API_KEY.
 */
interface NestRoute {
  method: string;
  path: string;
  scope: ScopeRequirement | undefined;
  public: boolean;
}

const env = parseEnv(ApiEnvSchema, { ...heraldEnvironment('routes'), NODE_ENV: 'test' });

/** Walks the controllers Nest registered, as its router does: class path + handler path, per method. */
function nestRoutes(app: NestExpressApplication): NestRoute[] {
  const routes: NestRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (sub === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] ?? '';
        const path = `/${[base, sub].filter((part) => part && part !== '/').join('/')}`
          .replace(/\/+/g, '/')
          .replace(/:(\w+)/g, '{$1}');
        routes.push({
          method: method.toLowerCase(),
          path,
          scope:
            Reflect.getMetadata(SCOPE_METADATA, handler) ?? Reflect.getMetadata(SCOPE_METADATA, controller),
          public: Boolean(
            Reflect.getMetadata(PUBLIC_ROUTE_METADATA, handler) ??
              Reflect.getMetadata(PUBLIC_ROUTE_METADATA, controller),
          ),
        });
      }
    }
  }
  return routes;
}

describe('route coverage', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await createApiApp(env, { logger: false });
  });
  afterAll(async () => app?.close());

  it('every /v1 route declares a scope, the one the contract names; every other route is public', () => {
    const routes = nestRoutes(app);
    expect(routes.length).toBeGreaterThan(40);
    const unscoped = routes.filter((r) => r.path.startsWith('/v1/') && !r.scope);
    expect(unscoped.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const outside = routes.filter((r) => !r.path.startsWith('/v1/'));
    expect(outside.filter((r) => !r.public).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    // .well-known: the consent log's anchor public key (decision 023), public by design.
    expect(new Set(outside.map((r) => r.path.split('/')[1]))).toEqual(
      new Set(['health', 'docs', 'hooks', '.well-known']),
    );
    expect(routes.filter((r) => r.path.startsWith('/v1/') && r.public)).toEqual([]);

    const inCode = routes
      .filter((r) => r.path.startsWith('/v1/'))
      .map((r) => ({ route: `${r.method} ${r.path}`, scope: r.scope?.scope, narrower: r.scope?.narrower }))
      .sort((a, b) => a.route.localeCompare(b.route));
    const inContract = ROUTES.filter((r) => r.path.startsWith('/v1/'))
      .map((r) => ({ route: `${r.method} ${r.path}`, scope: r.scope, narrower: r.narrowerScope?.scope }))
      .sort((a, b) => a.route.localeCompare(b.route));
    expect(inCode).toEqual(inContract);
  });

  it('/docs names each /v1 route its scope and both ways to authenticate', async () => {
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const document = (await (await fetch(`${url}/docs`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown; 'x-herald-scope'?: string }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['bearer', 'console']);
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!path.startsWith('/v1/')) continue;
        expect(operation['x-herald-scope'], `${method} ${path}`).toEqual(expect.any(String));
        expect(operation.security).toEqual([{ bearer: [] }, { console: [] }]);
      }
    }
  });
});

/** A controller as someone might add it: no @RequireScope. */
@Controller('v1/forgotten')
class ForgottenController {
  @Get()
  read() {
    return { read: true };
  }
}

describe('a route without a declared scope', () => {
  let app: NestExpressApplication;
  let url: string;
  const db = createPrismaClient({ databaseUrl: env.DATABASE_URL, maxConnections: 2 });

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      imports: [CoreModule.forRoot({ env, envToken: API_ENV, maxConnections: 2 }), AuthModule],
      controllers: [ForgottenController],
    }).compile();
    app = module.createNestApplication<NestExpressApplication>({ logger: false });
    app.useGlobalFilters(new HttpExceptionFilter());
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await db.$disconnect();
  });

  it('answers only HERALD_API_KEY', async () => {
    const bootstrap = await createApiClient(url, env.HERALD_API_KEY).call('GET', '/v1/forgotten');
    expect(bootstrap).toEqual({ status: 200, body: { read: true } });

    const web = await createApiClient(url, env.HERALD_WEB_API_KEY ?? '').call('GET', '/v1/forgotten');
    expect(web.status).toBe(403);
    expect(web.body.error).toEqual({
      code: 'forbidden',
      message: 'This route declares no scope: only HERALD_API_KEY may call it.',
    });

    const admin = await db.adminUser.create({
      data: {
        email: `routes-${randomBytes(4).toString('hex')}@example.test`,
        passwordHash: 'unused',
        role: 'owner',
      },
    });
    const secret = randomBytes(32).toString('base64url');
    await db.adminSession.create({
      data: {
        adminUserId: admin.id,
        tokenHash: createHash('sha256').update(secret).digest('hex'),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    const consoleCall = await createApiClient(url, '').call('GET', '/v1/forgotten', undefined, {
      authorization: `Console ${secret}`,
    });
    expect(consoleCall.status).toBe(403);
  });
});
