/** The audit page's filters as the URL carries them (a GET form: the page can be bookmarked and shared). */
export type AuditQuery = {
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  from: string;
  to: string;
  before: string;
};

const FIELDS = ['actor', 'action', 'targetType', 'targetId', 'from', 'to', 'before'] as const;

export function readAuditQuery(url: URL): AuditQuery {
  return Object.fromEntries(
    FIELDS.map((field) => [field, (url.searchParams.get(field) ?? '').trim().slice(0, 300)]),
  ) as AuditQuery;
}

/** The API's query for these filters: empty ones left out. */
export function apiAuditQuery(query: AuditQuery, extra: Record<string, string> = {}): URLSearchParams {
  const params = new URLSearchParams(extra);
  for (const field of FIELDS) if (query[field]) params.set(field, query[field]);
  return params;
}
