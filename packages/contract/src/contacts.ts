import { z } from 'zod';
import { AttributesSchema, EmailSchema, KebabKeySchema, LocaleSchema, TimezoneSchema } from './common.js';

const ContactFields = {
  name: z.string().trim().min(1).max(200).nullable().optional(),
  locale: LocaleSchema.optional(),
  timezone: TimezoneSchema.optional(),
  externalId: z.string().min(1).max(200).nullable().optional(),
  attributes: AttributesSchema.optional(),
};

export const UpsertContactSchema = z
  .strictObject({ email: EmailSchema.optional(), ...ContactFields })
  .refine((value) => value.email !== undefined || (value.externalId ?? undefined) !== undefined, {
    message: 'email or externalId is required',
    path: ['email'],
  });
export type UpsertContactInput = z.output<typeof UpsertContactSchema>;

export const UpdateContactSchema = z.strictObject({ email: EmailSchema.optional(), ...ContactFields });
export type UpdateContactInput = z.output<typeof UpdateContactSchema>;

export const UpdatePreferencesSchema = z
  .strictObject({
    changes: z
      .array(z.strictObject({ category: KebabKeySchema, subscribed: z.boolean() }))
      .max(100)
      .default([]),
    allPromotional: z.boolean().optional(),
    reason: z.string().trim().min(3, 'must say why the change was made (at least 3 characters)').max(1000),
    actor: z.string().trim().min(1).max(200).optional(),
  })
  .refine((value) => value.changes.length > 0 || value.allPromotional !== undefined, {
    message: 'nothing to change: give changes or allPromotional',
    path: ['changes'],
  });

export interface ContactView {
  id: string;
  email: string | null;
  name: string | null;
  locale: string;
  timezone: string;
  externalId: string | null;
  attributes: unknown;
  erased: boolean;
  createdAt: string;
  updatedAt: string;
}
