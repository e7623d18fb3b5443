import { z, type ZodType } from 'zod';
import { isSystemVariable } from './system-variables.js';

/** Keys of a data schema that would shadow a sender-supplied system variable. */
export function reservedVariablesIn(schema: ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape).filter(isSystemVariable) : [];
}
