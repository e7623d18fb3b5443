import { createServer, type Server } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import type Bull from 'bull';
import type { Db } from '@herald/db';
import { CAMPAIGN_QUEUE } from '../campaigns/campaign-queue.js';
import { PRISMA } from '../core/injection-tokens.js';
import { DeliveryContext } from '../delivery/delivery-context.js';
import { BULK_DELIVERY_QUEUE, DELIVERY_QUEUE } from '../delivery/delivery-queue.js';
import { metricsRegistry, useMetricSources, type MetricSources } from './registry.js';

const METRICS_OPTIONS = Symbol('METRICS_OPTIONS');

interface MetricsOptions {
  port: number;
  host: string;
}

/**
 * Serves GET /metrics (Prometheus text format, no key) on a port of its own, from start-up to
 * shutdown. The scrape-time gauges read the queues, the database and the SMTP circuit breakers this
 * process has (the API has only the delivery queue and no breakers).
 */
@Injectable()
class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | null = null;
  private readonly logger = new Logger('Metrics');

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(METRICS_OPTIONS) private readonly options: MetricsOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    useMetricSources(this.sources());
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      metricsRegistry.metrics().then(
        (body) => response.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(body),
        (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.server = server;
    this.logger.log(`metrics on http://${this.options.host}:${this.options.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private find<T>(token: string | symbol | (abstract new (...args: never[]) => T)): T | undefined {
    try {
      return this.moduleRef.get<T>(token as string, { strict: false });
    } catch {
      return undefined;
    }
  }

  private sources(): MetricSources {
    const queues = [DELIVERY_QUEUE, BULK_DELIVERY_QUEUE, CAMPAIGN_QUEUE]
      .map((name) => this.find<Bull.Queue>(getQueueToken(name)))
      .filter((queue): queue is Bull.Queue => queue !== undefined);
    const db = this.find<Db>(PRISMA);
    const delivery = this.find<DeliveryContext>(DeliveryContext);
    const breakers: NonNullable<MetricSources['breakers']> = [];
    for (const [stream, deps] of Object.entries(delivery?.streams ?? {})) {
      const transactional = deps.lanes?.transactional.smtp ?? deps.smtp;
      const promotional = deps.lanes?.promotional.smtp ?? transactional;
      breakers.push({ stream, relay: 'transactional', state: () => transactional.status().state });
      // Without PROMOTIONAL_SMTP_URL both classes share one relay and its breaker.
      if (promotional !== transactional)
        breakers.push({ stream, relay: 'promotional', state: () => promotional.status().state });
    }
    return { queues, ...(db && { db }), breakers };
  }
}

@Module({})
class MetricsModule {}

/**
 * The process's root module, with the metrics server beside it when a metrics port is set
 * (API_METRICS_PORT for the API, METRICS_PORT for the worker); unset, the root as it is.
 */
export function withMetrics(
  root: DynamicModule,
  env: { API_METRICS_PORT?: number | undefined; METRICS_PORT?: number | undefined; METRICS_HOST: string },
): DynamicModule {
  // Each process's schema keeps only its own variable: the API's API_METRICS_PORT, the worker's METRICS_PORT.
  const port = env.API_METRICS_PORT ?? env.METRICS_PORT;
  if (!port) return root;
  const options: MetricsOptions = { port, host: env.METRICS_HOST };
  return {
    module: MetricsModule,
    imports: [root],
    providers: [{ provide: METRICS_OPTIONS, useValue: options }, MetricsServer],
  };
}
