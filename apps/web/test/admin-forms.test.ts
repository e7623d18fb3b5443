import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../app/server/admin/password-hash.server.js';
import { readCampaignForm, toCampaignRequest } from '../app/server/admin/campaigns/campaign-form.server.js';
import { formErrors } from '../app/server/admin/form-errors.server.js';
import { zonedTimeToInstant } from '../app/server/admin/zoned-time.server.js';

/** The console's pure pieces: form parsing, error placement, zoned times, password hashes. */
describe('the campaign form', () => {
  const form = (fields: [string, string][]) => {
    const data = new FormData();
    for (const [name, value] of fields) data.append(name, value);
    return readCampaignForm(data);
  };

  it('becomes the API request: data as JSON, locales split, attribute values typed', () => {
    const parsed = toCampaignRequest(
      form([
        ['name', 'Winter'],
        ['template', 'newsletter'],
        ['data', '{"headline": "Hi"}'],
        ['categories', 'newsletter'],
        ['categories', 'product-news'],
        ['locales', 'en, fr-CA ,'],
        ['attributes', 'plan=pro\nseats=42\nbeta=true\nnote="42"\n\n'],
        ['timezone', 'Europe/Paris'],
        ['localTime', 'on'],
        ['rate', '25'],
      ]),
    );
    expect(parsed).toEqual({
      ok: true,
      request: {
        name: 'Winter',
        template: 'newsletter',
        data: { headline: 'Hi' },
        audience: {
          categories: ['newsletter', 'product-news'],
          locales: ['en', 'fr-CA'],
          attributes: { plan: 'pro', seats: 42, beta: true, note: '42' },
        },
        timezone: 'Europe/Paris',
        localTime: true,
        ratePerSecond: 25,
      },
    });
  });

  it('names each field whose syntax is wrong, and sends nothing', () => {
    const parsed = toCampaignRequest(
      form([
        ['data', '[1, 2]'],
        ['attributes', 'plan=pro\n=oops'],
        ['rate', '2.5'],
      ]),
    );
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? null : Object.keys(parsed.errors.fields).sort()).toEqual([
      'attributes',
      'data',
      'rate',
    ]);
    expect(parsed.ok ? '' : parsed.errors.fields.attributes).toBe('Line 2 is not key=value.');
  });
});

describe('API refusals placed beside their fields', () => {
  it('maps validation paths by their longest known prefix, and keeps the rest for the form', () => {
    const errors = formErrors(
      {
        status: 400,
        code: 'invalid_request',
        message: 'Invalid request body',
        details: [
          { path: 'audience.categories.0', message: 'must be kebab-case' },
          { path: 'name', message: 'too short' },
          { path: 'mystery', message: 'unknown field(s): mystery' },
        ],
      },
      { byPath: { name: 'name', 'audience.categories': 'categories' } },
    );
    expect(errors).toEqual({
      fields: { categories: 'Must be kebab-case.', name: 'Too short.' },
      form: 'Mystery: unknown field(s): mystery.',
    });
  });

  it('puts a domain refusal on the field its code names', () => {
    const problem = {
      status: 422,
      code: 'effective_date_too_soon',
      message: 'effectiveAt must be on or after …',
    };
    expect(formErrors(problem, { byCode: { effective_date_too_soon: 'effectiveAt' } })).toEqual({
      fields: { effectiveAt: 'effectiveAt must be on or after …' },
    });
    expect(formErrors(problem, {})).toEqual({ fields: {}, form: 'EffectiveAt must be on or after ….' });
  });
});

describe('wall-clock times in a zone', () => {
  it('finds the instant on both sides of a DST change, and refuses impossible input', () => {
    expect(zonedTimeToInstant('2030-01-15T09:00', 'Europe/Paris')?.toISOString()).toBe(
      '2030-01-15T08:00:00.000Z',
    );
    expect(zonedTimeToInstant('2030-07-15T09:00', 'Europe/Paris')?.toISOString()).toBe(
      '2030-07-15T07:00:00.000Z',
    );
    expect(zonedTimeToInstant('2030-07-15T09:00', 'America/New_York')?.toISOString()).toBe(
      '2030-07-15T13:00:00.000Z',
    );
    expect(zonedTimeToInstant('2030-02-30T09:00', 'UTC')).toBeNull();
    expect(zonedTimeToInstant('2030-01-15T09:00', 'Not/AZone')).toBeNull();
    expect(zonedTimeToInstant('next tuesday', 'UTC')).toBeNull();
  });
});

describe('console password hashes', () => {
  it('carry their own salt and cost, verify only the right password, and reject malformed hashes', async () => {
    const [first, second] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    expect(first).not.toBe(second);
    expect(first.startsWith('$scrypt$ln=15,r=8,p=1$')).toBe(true);
    expect(await verifyPassword('correct horse', first)).toBe(true);
    expect(await verifyPassword('correct horse!', first)).toBe(false);
    expect(await verifyPassword('correct horse', first.replace('ln=15', 'ln=14'))).toBe(false);
    expect(await verifyPassword('correct horse', 'plain-text-password')).toBe(false);
  });
});
