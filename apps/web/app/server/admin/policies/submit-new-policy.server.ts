import { callApiAs, type ConsoleCaller } from '../api-client.server';
import type { PolicyVersionView as PolicyVersion } from '@herald/contract';
import { formErrors, type FormErrors } from '../form-errors.server';

export type PolicyFormValues = {
  version: string;
  title: string;
  summary: string;
  url: string;
  effectiveAt: string;
  timezone: string;
  overrideReason: string;
};

export type NewPolicyOutcome =
  | { kind: 'created'; id: string }
  | {
      kind: 'invalid';
      values: PolicyFormValues;
      errors: FormErrors;
      tooSoon?: { earliestAllowed: string; noticeDays: number };
    };

const FIELDS = {
  byPath: {
    version: 'version',
    title: 'title',
    summary: 'summary',
    url: 'url',
    effectiveAt: 'effectiveAt',
    timezone: 'timezone',
    'override.reason': 'overrideReason',
  },
  byCode: {
    effective_date_too_soon: 'effectiveAt',
    effective_date_in_past: 'effectiveAt',
    version_exists: 'version',
  },
};

/**
 * Publishes a version through the API, which holds it to the notice period and reads the form's
 * wall-clock time in the chosen zone, as it reads a campaign's send time. A refusal for too
 * short a notice comes back with the earliest allowed date, which the page shows beside the date
 * together with the field for a written reason; sent again with a reason, the API records it.
 */
export async function submitNewPolicy(caller: ConsoleCaller, form: FormData): Promise<NewPolicyOutcome> {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const values: PolicyFormValues = {
    version: text('version'),
    title: text('title'),
    summary: text('summary'),
    url: text('url'),
    effectiveAt: text('effectiveAt'),
    timezone: text('timezone') || 'UTC',
    overrideReason: text('overrideReason'),
  };
  if (!values.effectiveAt) {
    return {
      kind: 'invalid',
      values,
      errors: { fields: { effectiveAt: 'Choose the date and time the version takes effect.' } },
    };
  }
  const result = await callApiAs<PolicyVersion>(caller, 'POST', '/v1/policies', {
    version: values.version,
    title: values.title,
    summary: values.summary,
    url: values.url,
    effectiveAt: values.effectiveAt,
    timezone: values.timezone,
    ...(values.overrideReason && { override: { reason: values.overrideReason } }),
  });
  if (result.ok) return { kind: 'created', id: result.body.id };
  const { problem } = result;
  const details = problem.details as { earliestAllowed?: unknown; noticeDays?: unknown } | undefined;
  const tooSoon =
    problem.code === 'effective_date_too_soon' && typeof details?.earliestAllowed === 'string'
      ? { earliestAllowed: details.earliestAllowed, noticeDays: Number(details.noticeDays) }
      : undefined;
  return { kind: 'invalid', values, errors: formErrors(problem, FIELDS), ...(tooSoon && { tooSoon }) };
}
