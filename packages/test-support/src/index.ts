export { createApiClient, type ApiClient, type ApiResponse } from './create-api-client.js';
export { buildDeliveryStatusReport, type DeliveryStatusRecipient } from './build-delivery-status-report.js';
export { buildFeedbackReport } from './build-feedback-report.js';
export { createScratchDatabase, type ScratchDatabase } from './create-scratch-database.js';
export { flushQueuePrefix } from './flush-queue-prefix.js';
export { freePort } from './free-port.js';
export { heraldEnvironment } from './herald-environment.js';
export type { JsonBody } from './json-body.js';
export { REPO_ROOT } from './repo-root.js';
export { startHerald, type Herald, type HeraldOptions } from './start-herald.js';
export { startHeraldWithWeb, type HeraldWithWeb } from './start-herald-with-web.js';
export { startNodeProcess, type NodeProcess } from './start-node-process.js';
export { startRedisServer, type RedisServer } from './start-redis-server.js';
export { startTcpProxy, type TcpProxy } from './start-tcp-proxy.js';
export {
  startTestSmtpServer,
  type TestSmtpServer,
  type TestSmtpServerOptions,
} from './start-test-smtp-server.js';
export { startWebServer, type WebServer } from './start-web-server.js';
export { terminateDatabaseBackends } from './terminate-database-backends.js';
export { waitForHttp } from './wait-for-http.js';
export { workerNodeArgs } from './worker-node-args.js';
