import { Logger } from '@nestjs/common';
import { ApiEnvSchema, EnvError, parseEnv } from '@herald/config';
import { createApiApp } from './create-api-app.js';

try {
  const env = parseEnv(ApiEnvSchema, process.env);
  const app = await createApiApp(env);
  await app.listen(env.API_PORT);
  new Logger('Herald').log(
    `herald api listening on ${env.PUBLIC_API_URL} (port ${env.API_PORT}); OpenAPI at /docs`,
  );
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
