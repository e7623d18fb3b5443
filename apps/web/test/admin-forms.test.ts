import { describe, expect, it } from 'vitest';
import { readCampaignForm, toCampaignRequest } from '../app/server/admin/campaigns/campaign-form.server.js';
import { formErrors } from '../app/server/admin/form-errors.server.js';

/** The console's pure pieces: form parsing and error placement. */
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
