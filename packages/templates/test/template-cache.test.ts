import { describe, expect, it, vi } from 'vitest';
import {
  TemplateSourceError,
  compileMjml,
  createTemplateRenderer,
  type TemplateSource,
} from '../src/index.js';
import { mjmlWith } from './helpers.js';

function source(id: string, text = 'Hello {{who}}'): TemplateSource {
  return {
    id,
    subject: 'Hi',
    mjml: mjmlWith(`<mj-text>${text}</mj-text>`),
    class: 'transactional',
    required: false,
  };
}

describe('compile cache', () => {
  it('returns the same compiled object for the same version id', async () => {
    const spy = vi.fn(compileMjml);
    const renderer = createTemplateRenderer({ compileMjml: spy });
    const first = await renderer.compile(source('v1'));
    const second = await renderer.compile(source('v1'));
    expect(second).toBe(first);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('runs MJML once for concurrent first compiles of one version', async () => {
    const spy = vi.fn(compileMjml);
    const renderer = createTemplateRenderer({ compileMjml: spy });
    const compiled = await Promise.all(Array.from({ length: 20 }, () => renderer.compile(source('v1'))));
    expect(spy).toHaveBeenCalledTimes(1);
    expect(new Set(compiled).size).toBe(1);
  });

  it('compiles each version id separately', async () => {
    const spy = vi.fn(compileMjml);
    const renderer = createTemplateRenderer({ compileMjml: spy });
    const [a, b] = await Promise.all([
      renderer.compile(source('v1')),
      renderer.compile(source('v2', 'Bye {{who}}')),
    ]);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(
      renderer.render(b, {
        who: 'Ada',
        email: 'a@x',
        preferencesUrl: 'p',
        unsubscribeUrl: 'u',
        postalAddress: 'addr',
      }).text,
    ).toContain('Bye Ada');
    expect(a).not.toBe(b);
  });

  it('drops the least recently used version beyond maxEntries', async () => {
    const spy = vi.fn(compileMjml);
    const renderer = createTemplateRenderer({ maxEntries: 2, compileMjml: spy });
    await renderer.compile(source('a'));
    await renderer.compile(source('b'));
    await renderer.compile(source('a')); // a is now the most recently used
    await renderer.compile(source('c')); // evicts b
    expect(spy).toHaveBeenCalledTimes(3);
    await renderer.compile(source('a'));
    expect(spy).toHaveBeenCalledTimes(3);
    await renderer.compile(source('b'));
    expect(spy).toHaveBeenCalledTimes(4);
  });

  it('does not keep a failed compilation', async () => {
    const spy = vi.fn(compileMjml);
    const renderer = createTemplateRenderer({ compileMjml: spy });
    const broken = { ...source('bad'), mjml: mjmlWith('<mj-sparkle>x</mj-sparkle>') };
    await expect(renderer.compile(broken)).rejects.toBeInstanceOf(TemplateSourceError);
    await expect(renderer.compile(broken)).rejects.toMatchObject({ errors: [{ field: 'mjml', line: 5 }] });
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('recompiles when an id comes back with different content', async () => {
    const spy = vi.fn(compileMjml);
    const renderer = createTemplateRenderer({ compileMjml: spy });
    const first = await renderer.compile(source('v1', 'Old {{who}}'));
    const second = await renderer.compile(source('v1', 'New {{who}}'));
    expect(second).not.toBe(first);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('refuses a data schema that defines a system variable', async () => {
    const { z } = await import('zod');
    const renderer = createTemplateRenderer();
    await expect(
      renderer.compile({ ...source('reserved'), schema: z.object({ email: z.string() }) }),
    ).rejects.toThrow(/reserved system variables: email/);
  });

  it('refuses a nonsensical cache size', () => {
    expect(() => createTemplateRenderer({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});
