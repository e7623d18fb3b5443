import { z } from 'zod';
import { reservedVariablesIn } from '../reserved-variables-in.js';
import { readTemplateFiles, readTemplateVariants } from './read-template-files.js';
import type { TemplateDefinition } from './template-definition.js';

/** Builds a seed template from its files, refusing a schema that would shadow a system variable. */
export function defineTemplate<Schema extends z.ZodObject>(definition: {
  key: string;
  categoryKey: string;
  schema: Schema;
  fixture: z.input<Schema>;
  secretVariables?: readonly (keyof z.input<Schema> & string)[];
}): TemplateDefinition {
  const reserved = reservedVariablesIn(definition.schema);
  if (reserved.length > 0) {
    throw new Error(`Template ${definition.key} defines reserved system variables: ${reserved.join(', ')}`);
  }
  return {
    ...definition,
    ...readTemplateFiles(definition.key),
    variants: readTemplateVariants(definition.key),
  };
}
