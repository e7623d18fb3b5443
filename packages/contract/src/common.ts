import { z } from 'zod';

export const IdSchema = z.uuid({ error: 'must be a UUID' });

export const EmailSchema = z
  .string({ error: 'must be an email address' })
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be a valid email address' }))
  .transform((email) => email.toLowerCase());

export const LocaleSchema = z
  .string()
  .max(35)
  .refine(
    (value) => {
      try {
        return Intl.getCanonicalLocales(value).length === 1;
      } catch {
        return false;
      }
    },
    { message: 'must be a BCP 47 language tag such as "en" or "fr-CA"' },
  );

const timeZones = new Set(Intl.supportedValuesOf('timeZone').concat('UTC'));
export const TimezoneSchema = z
  .string()
  .refine((value) => timeZones.has(value), { message: 'must be an IANA time zone such as "Europe/Paris"' });

export const KebabKeySchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (lower-case letters, digits and single hyphens)');

/** Contact attributes: a flat map of scalar values (campaign audiences filter on equality). */
export const AttributesSchema = z
  .record(z.string().min(1).max(64), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]))
  .refine((value) => Object.keys(value).length <= 100, { message: 'at most 100 attributes' });

/**
 * An ISO 8601 date-time: with an offset ("Z", "+02:00") it is an instant; without, a wall-clock
 * time in the request's `timezone` (campaigns' sendAt, policies' effectiveAt).
 */
export const ZonedDateTimeSchema = z.iso.datetime({
  offset: true,
  local: true,
  error: 'must be an ISO 8601 date-time such as "2026-12-01T09:00" (in `timezone`) or "2026-12-01T09:00:00Z"',
});

export const CLASSES = ['transactional', 'promotional'] as const;
export type MessageClass = (typeof CLASSES)[number];

/** What every refusal answers: nothing was changed. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}
