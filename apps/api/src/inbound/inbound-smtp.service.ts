import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { WorkerEnv } from '@herald/config';
import type { Db } from '@herald/db';
import type { SigningKey } from '@herald/preferences';
import { PRISMA, SIGNING_KEYS, WORKER_ENV } from '../core/injection-tokens.js';
import { type InboundSmtpListener, startInboundSmtpServer } from './inbound-smtp-server.js';
import { readInboundTls } from './read-inbound-tls.js';

/** Runs the inbound listener (mailto unsubscribe, bounce and complaint reports) in the worker process when INBOUND_SMTP_PORT is set. */
@Injectable()
export class InboundSmtpService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('InboundSmtp');
  private server: InboundSmtpListener | undefined;

  constructor(
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    @Inject(PRISMA) private readonly db: Db,
    @Inject(SIGNING_KEYS) private readonly keys: SigningKey[],
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.env.INBOUND_SMTP_PORT === undefined) return;
    const tls = readInboundTls(this.env);
    this.server = await startInboundSmtpServer({
      db: this.db,
      keys: this.keys,
      mailDomain: this.env.MAIL_DOMAIN,
      feedbackLoopAddress: this.env.HERALD_FBL_ADDRESS ?? `fbl@${this.env.MAIL_DOMAIN}`,
      feedbackEnv: this.env,
      port: this.env.INBOUND_SMTP_PORT,
      host: this.env.INBOUND_SMTP_HOST,
      maxClients: this.env.INBOUND_SMTP_MAX_CLIENTS,
      idleTimeoutMs: this.env.INBOUND_SMTP_IDLE_TIMEOUT_MS,
      ...(tls && { tls }),
      log: (line) => this.logger.log(line),
    });
    this.logger.log(
      `inbound SMTP listening on ${this.server.host}:${this.server.port}${tls ? ' (STARTTLS offered)' : ''} for unsubscribe+…@ and bounce+…@${this.env.MAIL_DOMAIN}, and ${this.env.HERALD_FBL_ADDRESS ?? `fbl@${this.env.MAIL_DOMAIN}`}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }

  get port(): number | undefined {
    return this.server?.port;
  }

  /** The address the listener is bound to. */
  get host(): string | undefined {
    return this.server?.host;
  }
}
