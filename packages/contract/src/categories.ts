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
  })
  .refine((value) => !(value.required && value.class === 'promotional'), {
    message: 'only transactional categories can be required',
    path: ['required'],
  });

export interface CategoryView {
  key: string;
  name: string;
  description: string;
  class: MessageClass;
  required: boolean;
  defaultSubscribed: boolean;
}
