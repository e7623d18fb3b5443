import { z } from 'zod';
import { CLASSES, KebabKeySchema, type MessageClass } from './common.js';

export const CreateCategorySchema = z
  .strictObject({
    key: KebabKeySchema,
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().min(1).max(500),
    class: z.enum(CLASSES),
    required: z.boolean().default(false),
    defaultSubscribed: z.boolean().default(true),
    /**
     * Wrap the links of this category's mail in signed redirects and count the clicks
     * (docs/decisions/022-click-tracking.md). Left out: on for promotional categories, off for
     * transactional ones. A required category's mail is never tracked.
     */
    trackClicks: z.boolean().optional(),
  })
  .refine((value) => !(value.required && value.class === 'promotional'), {
    message: 'only transactional categories can be required',
    path: ['required'],
  })
  .refine((value) => !(value.required && value.trackClicks), {
    message:
      "a required category's mail is never tracked: its links may be sign-in links, and nobody chose it",
    path: ['trackClicks'],
  })
  .transform((value) => ({ ...value, trackClicks: value.trackClicks ?? value.class === 'promotional' }));

/** PATCH /v1/categories/{key}: what may change once a category exists (its key, class and required flag stay). */
export const UpdateCategorySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().min(1).max(500).optional(),
    defaultSubscribed: z.boolean().optional(),
    trackClicks: z.boolean().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, { message: 'nothing to change' });
export type UpdateCategoryInput = z.output<typeof UpdateCategorySchema>;

export interface CategoryView {
  key: string;
  name: string;
  description: string;
  class: MessageClass;
  required: boolean;
  defaultSubscribed: boolean;
  trackClicks: boolean;
}
