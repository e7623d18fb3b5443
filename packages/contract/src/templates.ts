import { z } from 'zod';
import { KebabKeySchema, type MessageClass } from './common.js';
import { TemplateDataSchema } from './template-data.js';

export const SaveTemplateSchema = z.strictObject({
  key: KebabKeySchema,
  category: KebabKeySchema,
  subject: z.string().trim().min(1).max(300),
  mjml: z.string().min(1).max(200_000),
  /** Sample data that renders; generated from the template's variables when left out. */
  fixture: TemplateDataSchema.optional(),
});
export type SaveTemplateInput = z.output<typeof SaveTemplateSchema>;

export const PreviewTemplateSchema = z.strictObject({
  data: TemplateDataSchema.optional(),
});

export interface TemplateView {
  key: string;
  category: string;
  class: MessageClass;
  required: boolean;
  version: number;
  subject: string;
  variables: unknown;
  fixture: unknown;
  createdAt: string;
}

/** A template or campaign email rendered for one recipient. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}
