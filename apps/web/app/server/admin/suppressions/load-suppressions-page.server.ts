import type { FeedbackRates, FeedbackReportList, SuppressionList } from '@herald/contract';
import { callApiAs, readApiAs, type ConsoleCaller } from '../api-client.server';
import { DEFAULT_RATE_RANGE, RATE_RANGES } from './rate-ranges.server';

const PAGE = 50;
const REPORTS = 20;

/** What the page was asked to show: the list's search and page, the rate window, the reports' page. */
export type SuppressionsPageQuery = {
  q: string;
  reason: string;
  cursor: string;
  range: string;
  reports: string;
  /** Prefills the lift form (the list's "Lift…" links). */
  lift: string;
  only: string;
  /** What the last form did, after its redirect. */
  done: string;
  removed: string;
};

export function readPageQuery(url: URL): SuppressionsPageQuery {
  const get = (name: string) => url.searchParams.get(name)?.trim() ?? '';
  return {
    q: get('q'),
    reason: get('reason'),
    cursor: get('cursor'),
    range: RATE_RANGES.some((range) => range.key === get('range')) ? get('range') : DEFAULT_RATE_RANGE,
    reports: get('reports'),
    lift: get('lift'),
    only: get('only'),
    done: get('done'),
    removed: get('removed'),
  };
}

/**
 * The suppression page's three reads, side by side: a page of the list (a search the API refuses,
 * such as an unknown reason, is shown beside the search form instead of failing the page), the latest
 * reports and the rates over the chosen window (those two for a role that reads feedback only).
 */
export async function loadSuppressionsPage(
  caller: ConsoleCaller,
  query: SuppressionsPageQuery,
  { feedback }: { feedback: boolean },
) {
  const range = RATE_RANGES.find((option) => option.key === query.range) ?? RATE_RANGES[1]!;
  const listQuery = new URLSearchParams({ limit: String(PAGE) });
  if (query.q) listQuery.set('q', query.q);
  if (query.reason) listQuery.set('reason', query.reason);
  if (query.cursor) listQuery.set('cursor', query.cursor);
  const reportsQuery = new URLSearchParams({ limit: String(REPORTS) });
  if (query.reports) reportsQuery.set('cursor', query.reports);
  const from = new Date(Date.now() - range.hours * 3600_000).toISOString();

  const [list, reports, rates] = await Promise.all([
    callApiAs<SuppressionList>(caller, 'GET', `/v1/suppressions?${listQuery}`),
    feedback ? readApiAs<FeedbackReportList>(caller, `/v1/feedback/reports?${reportsQuery}`) : null,
    feedback
      ? readApiAs<FeedbackRates>(
          caller,
          `/v1/feedback/rates?${new URLSearchParams({ from, bucket: range.bucket })}`,
        )
      : null,
  ]);
  return {
    query,
    list: list.ok ? list.body : { suppressions: [], next: null },
    listProblem: list.ok ? null : list.problem.message,
    reports,
    rates,
    ranges: RATE_RANGES,
  };
}
