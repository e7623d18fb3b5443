import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('../', import.meta.url));
// One level below the package root, like dist/, so the built code finds templates/ the same way.
const outDir = fileURLToPath(new URL('../.dist-test/', import.meta.url));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

it('reads the template files from compiled output under plain node, not only from src', () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(
    process.execPath,
    [
      tsc,
      '-p',
      'tsconfig.build.json',
      '--outDir',
      outDir,
      '--declaration',
      'false',
      '--declarationMap',
      'false',
    ],
    {
      cwd: packageRoot,
    },
  );
  const entry = pathToFileURL(`${outDir}index.js`).href;
  const script = `const { seedTemplates } = await import(${JSON.stringify(entry)});
console.log(JSON.stringify(seedTemplates.map((t) => ({ key: t.key, subject: t.subject, mjmlStart: t.mjml.slice(0, 16) }))));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: packageRoot,
    encoding: 'utf8',
  });
  const templates = JSON.parse(output) as { key: string; subject: string; mjmlStart: string }[];
  expect(templates.map((template) => template.key)).toEqual([
    'service-notice',
    'security-sign-in',
    'policy-update',
    'collaboration-invite',
    'newsletter',
    'consent-confirmation',
    'console-invitation',
    'subscription-confirm',
    'webhook-endpoint-disabled',
  ]);
  for (const template of templates) {
    expect(template.mjmlStart).toBe('<mjml lang="en" ');
    expect(template.subject).toContain('{{');
  }
});
