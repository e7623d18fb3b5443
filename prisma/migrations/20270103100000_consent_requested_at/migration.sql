-- When the request behind a consent change arrived (the HTTP request, the unsubscribe mail), so the
-- conformance report can say how long each opt-out took to take effect (decision 024). A measure,
-- not evidence: it is outside the row's hash (the chain's encoding is unchanged), NULL where the
-- writer did not know it, and the rows written before this column have none.
ALTER TABLE "consent_log" ADD COLUMN "requested_at" TIMESTAMP(3);
