import type { PolicyVersion } from '@herald/db';
import { formatEffectiveDate } from './format-effective-date.js';

export const POLICY_TEMPLATE_KEY = 'policy-update';

/** The policy-update template's data for one reader (packages/templates/src/seed/policy-update.ts). */
export function policyEmailData(
  version: Pick<PolicyVersion, 'title' | 'summary' | 'url' | 'effectiveAt'>,
  reader: { locale: string; timezone: string },
) {
  return {
    policyTitle: version.title,
    summary: version.summary,
    effectiveDate: formatEffectiveDate(version.effectiveAt, reader.locale, reader.timezone),
    policyUrl: version.url,
  };
}
