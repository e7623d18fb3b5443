import type { ConformanceReport } from '@herald/contract';
import { callApiAs, type ConsoleCaller } from '../api-client.server';

export type ConformancePeriod = { from: string; to: string };

/** The last 30 days, UTC, ending today: what the page shows before a period is chosen. */
export function defaultPeriod(now = new Date()): ConformancePeriod {
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return { from: day(-29), to: day(0) };
}

export function readPeriod(url: URL): ConformancePeriod {
  const fallback = defaultPeriod();
  return {
    from: url.searchParams.get('from')?.trim() || fallback.from,
    to: url.searchParams.get('to')?.trim() || fallback.to,
  };
}

/**
 * The conformance report for a period, from the API (which checks the dates): a period it refuses
 * comes back as the problem to show beside the form, with no report.
 */
export async function loadConformancePage(
  caller: ConsoleCaller,
  period: ConformancePeriod,
): Promise<{ period: ConformancePeriod; report: ConformanceReport | null; problem: string | null }> {
  const query = new URLSearchParams(period);
  const result = await callApiAs<ConformanceReport>(caller, 'GET', `/v1/reports/conformance?${query}`);
  if (result.ok) return { period, report: result.body, problem: null };
  return { period, report: null, problem: result.problem.message };
}
