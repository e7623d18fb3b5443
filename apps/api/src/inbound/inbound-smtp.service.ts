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
import { startInboundSmtpServer } from './inbound-smtp-server.js';

/** Runs the inbound listener (mailto unsubscribe, bounce and complaint reports) in the worker process when INBOUND_SMTP_PORT is set. */
@Injectable()
export class InboundSmtpService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('InboundSmtp');
  private server: { port: number; close(): Promise<void> } | undefined;

  constructor(
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    @Inject(PRISMA) private readonly db: Db,
    @Inject(SIGNING_KEYS) private readonly keys: SigningKey[],
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.env.INBOUND_SMTP_PORT === undefined) return;
    this.server = await startInboundSmtpServer({
      db: this.db,
      keys: this.keys,
      mailDomain: this.env.MAIL_DOMAIN,
      feedbackLoopAddress: this.env.HERALD_FBL_ADDRESS ?? `fbl@${this.env.MAIL_DOMAIN}`,
      feedbackEnv: this.env,
      port: this.env.INBOUND_SMTP_PORT,
      host: this.env.INBOUND_SMTP_HOST,
      log: (line) => this.logger.log(line),
    });
    this.logger.log(
      `inbound SMTP listening on port ${this.server.port} for unsubscribe+…@ and bounce+…@${this.env.MAIL_DOMAIN}, and ${this.env.HERALD_FBL_ADDRESS ?? `fbl@${this.env.MAIL_DOMAIN}`}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }

  get port(): number | undefined {
    return this.server?.port;
  }
}
