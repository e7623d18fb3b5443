import { EnvError, parseEnv, WorkerEnvSchema } from '@herald/config';
import { createWorkerApp } from './create-worker-app.js';

try {
  const env = parseEnv(WorkerEnvSchema, process.env);
  await createWorkerApp(env);
  console.log(
    `herald worker started: concurrency ${env.WORKER_CONCURRENCY}, SMTP ${new URL(env.SMTP_URL).host}`,
  );
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
