import type { FeedbackInput, FeedbackResult } from '@herald/preferences';
import { consentWrites, feedbackReports } from './registry.js';

/** Consent sources as the consent log spells them: the `source` label's values. */
type ConsentSource = 'mailto' | 'admin' | 'api' | 'bounce' | 'complaint';

/** Counts the consent changes a write made (each with its consent-log rows); none, nothing counted. */
export function countConsentWrites(source: ConsentSource, changes: number): void {
  if (changes > 0) consentWrites.inc({ source }, changes);
}

/**
 * Counts the reports recordFeedback took (a duplicate is not counted again) by kind, and the
 * suppressions they wrote, by source: a complaint's is "complaint", a bounce's "bounce".
 */
export function countFeedback(inputs: FeedbackInput[], results: FeedbackResult[]): void {
  results.forEach((result, index) => {
    const kind = inputs[index]?.kind ?? 'unparsed';
    if (result.effect === 'duplicate') return;
    feedbackReports.inc({ kind });
    if (result.effect === 'suppressed' || result.effect === 'soft-bounce-limit')
      countConsentWrites(kind === 'complaint' ? 'complaint' : 'bounce', 1);
  });
}
