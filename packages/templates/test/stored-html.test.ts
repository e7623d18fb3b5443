import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import {
  compileMjml,
  createTemplateRenderer,
  seedTemplates,
  TemplateSourceError,
  validateTemplateSource,
} from '../src/index.js';
import { mjmlWith, sourceOf, system } from './helpers.js';

describe('a version saved with its MJML output', () => {
  it.each(seedTemplates.map((template) => [template.key, template] as const))(
    '%s renders from the stored HTML exactly as from its MJML, without running MJML',
    async (_key, template) => {
      const source = sourceOf(template);
      const validation = await validateTemplateSource(source);
      if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
      const spy = vi.fn(compileMjml);
      const fromStored = createTemplateRenderer({ compileMjml: spy });
      const fromMjml = createTemplateRenderer();
      const data = { ...template.fixture, ...system };

      const stored = await fromStored.compile({ ...source, html: validation.html });
      const compiled = await fromMjml.compile(source);

      expect(spy).not.toHaveBeenCalled();
      expect(fromStored.render(stored, data)).toEqual(fromMjml.render(compiled, data));
      // The same paths; their order follows MJML's output rather than the source.
      expect([...stored.variables].sort()).toEqual([...compiled.variables].sort());
      expect(stored.requirements).toEqual(compiled.requirements);
    },
  );

  it('checks data against the requirements read from the stored HTML', async () => {
    const source = {
      id: 'v1',
      subject: 'Hi {{name}}',
      mjml: mjmlWith('<mj-text>{{#each items}}{{title}} {{/each}}</mj-text>'),
      class: 'transactional' as const,
      required: false,
    };
    const validation = await validateTemplateSource(source);
    if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
    const renderer = createTemplateRenderer({ compileMjml: vi.fn(compileMjml) });
    const compiled = await renderer.compile({ ...source, html: validation.html });
    expect(() => renderer.render(compiled, { ...system, name: 'Ada', items: 'not a list' })).toThrow(/items/);
    expect(renderer.render(compiled, { ...system, name: 'Ada', items: [{ title: 'One' }] }).text).toContain(
      'One',
    );
  });

  it('refuses stored HTML whose expressions no longer parse (a row changed behind Herald)', async () => {
    const renderer = createTemplateRenderer();
    const compiled = renderer.compile({
      id: 'v1',
      subject: 'Hi',
      mjml: mjmlWith('<mj-text>Hello</mj-text>'),
      html: '<p>{{#if broken}}</p>',
      class: 'transactional',
      required: false,
    });
    await expect(compiled).rejects.toBeInstanceOf(TemplateSourceError);
  });

  it('a different stored HTML under the same id is compiled again, not served from the cache', async () => {
    const renderer = createTemplateRenderer();
    const base = {
      id: 'v1',
      subject: 'Hi',
      mjml: mjmlWith('<mj-text>Hello</mj-text>'),
      class: 'transactional' as const,
      required: false,
    };
    const first = await renderer.compile({ ...base, html: '<p>one {{email}}</p>' });
    const second = await renderer.compile({ ...base, html: '<p>two {{email}}</p>' });
    expect(renderer.render(second, system).html).toContain('two');
    expect(second).not.toBe(first);
  });
});

describe('the built package under plain node', () => {
  // npm test builds every package before the tests run.
  const entry = pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url))).href;

  function mjmlLoadedAfter(steps: string): boolean {
    const script = `import { createRequire } from 'node:module';
const t = await import(${JSON.stringify(entry)});
const template = t.seedTemplates[0];
const category = t.seedCategories.find((c) => c.key === template.categoryKey);
const source = { id: 'v1', subject: template.subject, mjml: template.mjml, class: category.class, required: category.required };
${steps}
const loaded = Object.keys(createRequire(import.meta.url).cache).some((path) => /node_modules\\/mjml(-core)?\\//.test(path));
console.log(JSON.stringify(loaded));`;
    return JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
    ) as boolean;
  }

  it('renders a version from its stored HTML without loading MJML; compiling MJML loads it', () => {
    // The HTML comes from MJML in another process, as a save in the API would store it.
    const html = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t = await import(${JSON.stringify(entry)});
const template = t.seedTemplates[0];
const category = t.seedCategories.find((c) => c.key === template.categoryKey);
const v = await t.validateTemplateSource({ subject: template.subject, mjml: template.mjml, class: category.class, required: category.required });
process.stdout.write(v.html);`,
      ],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    expect(html).toContain('<!doctype html>');
    const renderStored = `const renderer = t.createTemplateRenderer();
const compiled = await renderer.compile({ ...source, html: ${JSON.stringify(html)} });
renderer.render(compiled, { ...template.fixture, ...t.exampleSystemVariables });`;
    expect(mjmlLoadedAfter(renderStored)).toBe(false);
    expect(mjmlLoadedAfter(`await t.compileMjml(template.mjml);`)).toBe(true);
  });
});
