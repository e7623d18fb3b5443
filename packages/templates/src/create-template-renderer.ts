import { createCompiledTemplate, type CompiledTemplate } from './compiled-template.js';
import { compileMjml } from './compile-mjml.js';
import { prepareCompiledHtml, prepareTemplate, type MjmlCompiler } from './prepare-template.js';
import { renderCompiledTemplate } from './render-compiled-template.js';
import { reservedVariablesIn } from './reserved-variables-in.js';
import type { RenderedMessage, TemplateSource } from './types.js';

export interface TemplateRendererOptions {
  /** Compiled template versions kept in memory; the least recently used is dropped beyond it. */
  maxEntries?: number;
  /** The MJML step, replaceable so tests can count how often it runs. */
  compileMjml?: MjmlCompiler;
}

export interface TemplateRenderer {
  compile(source: TemplateSource): Promise<CompiledTemplate>;
  render(compiled: CompiledTemplate, data: Record<string, unknown>): RenderedMessage;
}

interface CacheEntry {
  source: TemplateSource;
  compiled: Promise<CompiledTemplate>;
}

function sameSource(a: TemplateSource, b: TemplateSource): boolean {
  return (
    a.subject === b.subject &&
    a.mjml === b.mjml &&
    a.html === b.html &&
    a.class === b.class &&
    a.required === b.required &&
    a.schema === b.schema
  );
}

/**
 * MJML costs milliseconds per template, a Handlebars fill microseconds per recipient, so each
 * template version is compiled once and kept. The cache holds promises: callers that ask for a
 * version while it compiles share that one compilation. Entries are checked against the source
 * they were built from, so a reused id with different content recompiles rather than sending
 * the wrong email.
 */
export function createTemplateRenderer(options: TemplateRendererOptions = {}): TemplateRenderer {
  const maxEntries = options.maxEntries ?? 500;
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw new Error('maxEntries must be a positive integer');
  const toHtml = options.compileMjml ?? compileMjml;
  // A Map iterates in insertion order, so re-inserting on use keeps the oldest first.
  const cache = new Map<string, CacheEntry>();

  const build = async (source: TemplateSource): Promise<CompiledTemplate> => {
    const reserved = source.schema === undefined ? [] : reservedVariablesIn(source.schema);
    if (reserved.length > 0)
      throw new Error(`Template data schema defines reserved system variables: ${reserved.join(', ')}`);
    const prepared =
      source.html === undefined
        ? await prepareTemplate(source, toHtml)
        : prepareCompiledHtml(source.subject, source.html);
    return createCompiledTemplate(source, prepared);
  };

  const compile = (source: TemplateSource): Promise<CompiledTemplate> => {
    const cached = cache.get(source.id);
    if (cached !== undefined && sameSource(cached.source, source)) {
      cache.delete(source.id);
      cache.set(source.id, cached);
      return cached.compiled;
    }
    const entry: CacheEntry = { source: { ...source }, compiled: build(source) };
    cache.delete(source.id);
    cache.set(source.id, entry);
    // A failed compilation is not kept: the next call tries again and reports the error again.
    entry.compiled.catch(() => {
      if (cache.get(source.id) === entry) cache.delete(source.id);
    });
    for (const oldest of cache.keys()) {
      if (cache.size <= maxEntries) break;
      cache.delete(oldest);
    }
    return entry.compiled;
  };

  return { compile, render: renderCompiledTemplate };
}
