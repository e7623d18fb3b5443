import { z } from 'zod';
import { KebabKeySchema } from './common.js';

/** The optional fields a subscribe form may ask besides the address. */
export const SUBSCRIBE_FORM_FIELDS = ['name'] as const;
export type SubscribeFormField = (typeof SUBSCRIBE_FORM_FIELDS)[number];

/** POST /v1/forms: a subscribe form for promotional categories, confirmed by mail (double opt-in). */
export const CreateSubscribeFormSchema = z.strictObject({
  key: KebabKeySchema,
  name: z.string().trim().min(1).max(200),
  /** Promotional category keys a confirmed address is subscribed to. */
  categories: z.array(KebabKeySchema).min(1).max(20),
  fields: z.array(z.enum(SUBSCRIBE_FORM_FIELDS)).max(SUBSCRIBE_FORM_FIELDS.length).default([]),
  /** What the form tells the person they agree to; each confirmation keeps the text it showed. */
  consentText: z.string().trim().min(1).max(2000),
});
export type CreateSubscribeFormInput = z.output<typeof CreateSubscribeFormSchema>;

/** A subscribe form as the API returns it. */
export interface SubscribeFormView {
  key: string;
  name: string;
  categories: string[];
  fields: SubscribeFormField[];
  consentText: string;
  createdAt: string;
  disabledAt: string | null;
}
