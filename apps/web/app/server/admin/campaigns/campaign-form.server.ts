import type { FormErrors } from '../form-errors.server';

/** The new-campaign form as typed: sent back with every answer, so nothing typed is lost. */
export type CampaignFormValues = {
  name: string;
  template: string;
  data: string;
  categories: string[];
  locales: string;
  attributes: string;
  timezone: string;
  localTime: boolean;
  rate: string;
};

export type CampaignRequest = {
  name: string;
  template: string;
  data: Record<string, unknown>;
  audience: { categories: string[]; locales?: string[]; attributes?: Record<string, unknown> };
  timezone: string;
  localTime: boolean;
  ratePerSecond?: number;
};

export function readCampaignForm(form: FormData): CampaignFormValues {
  const text = (name: string) => String(form.get(name) ?? '');
  return {
    name: text('name'),
    template: text('template'),
    data: text('data'),
    categories: form.getAll('categories').map(String),
    locales: text('locales'),
    attributes: text('attributes'),
    timezone: text('timezone') || 'UTC',
    localTime: form.get('localTime') === 'on',
    rate: text('rate'),
  };
}

/**
 * Turns the typed form into the API's request. Only the form's own syntax is checked here (the
 * data is JSON, attribute lines are `key=value`, the rate is a whole number); what the values mean
 * is the API's to judge.
 */
export function toCampaignRequest(
  values: CampaignFormValues,
): { ok: true; request: CampaignRequest } | { ok: false; errors: FormErrors } {
  const fields: Record<string, string> = {};
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(values.data.trim() || '{}');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    data = parsed as Record<string, unknown>;
  } catch {
    fields.data = 'Template data must be a JSON object, like {"headline": "…"}.';
  }
  const attributes: Record<string, unknown> = {};
  for (const [index, line] of values.attributes.split(/\r?\n/).entries()) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    const key = line.slice(0, at).trim();
    if (at < 1 || !key) {
      fields.attributes = `Line ${index + 1} is not key=value.`;
      break;
    }
    attributes[key] = attributeValue(line.slice(at + 1).trim());
  }
  const locales = values.locales
    .split(',')
    .map((locale) => locale.trim())
    .filter(Boolean);
  const rate = values.rate.trim();
  if (rate && !/^\d+$/.test(rate)) fields.rate = 'The rate is a whole number of emails per second.';
  if (Object.keys(fields).length > 0) return { ok: false, errors: { fields } };
  return {
    ok: true,
    request: {
      name: values.name,
      template: values.template,
      data,
      audience: {
        categories: values.categories,
        ...(locales.length > 0 && { locales }),
        ...(Object.keys(attributes).length > 0 && { attributes }),
      },
      timezone: values.timezone,
      localTime: values.localTime,
      ...(rate && { ratePerSecond: Number(rate) }),
    },
  };
}

/** `42`, `true`, `null` and `"quoted"` are JSON values; anything else is a string as typed. */
function attributeValue(raw: string): unknown {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? raw : value;
  } catch {
    return raw;
  }
}

/** Which form field each API path belongs to. */
export const CAMPAIGN_FIELDS = {
  byPath: {
    name: 'name',
    template: 'template',
    data: 'data',
    'audience.categories': 'categories',
    'audience.locales': 'locales',
    'audience.attributes': 'attributes',
    timezone: 'timezone',
    localTime: 'localTime',
    ratePerSecond: 'rate',
  },
  byCode: {
    unknown_template: 'template',
    not_promotional: 'template',
    invalid_template_data: 'data',
    audience_without_template_category: 'categories',
    unknown_category: 'categories',
    audience_category_not_promotional: 'categories',
  },
};
