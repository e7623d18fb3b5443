import pg from 'pg';

/**
 * Fills the consent log with `rounds` rows for each of `contacts` new contacts, chained as the
 * trigger chains them, fast enough for ten million rows: one set-based statement per round, the
 * trigger off (session_replication_role), each row's hashes computed by the migration's own SQL
 * functions (evidence_personal_hash, evidence_row_hash) from its contact's previous row in the
 * round before. The verifier re-computes every hash in Node, so rows made this way verify only if
 * they are what the trigger would have written. `progress` is told after each round.
 */
export async function seedConsentChains(
  databaseUrl: string,
  {
    contacts,
    rounds,
    prefix,
    progress,
  }: { contacts: number; rounds: number; prefix: string; progress?: (rows: number) => void },
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`SET session_replication_role = replica`);
    await client.query(
      `INSERT INTO contacts (id, email, updated_at)
       SELECT gen_random_uuid(), $1 || g || '@example.test', now() FROM generate_series(1, $2::int) AS g`,
      [`${prefix}-`, contacts],
    );
    await client.query(
      `CREATE TEMP TABLE chain_heads (contact_id uuid PRIMARY KEY, row_hash bytea NOT NULL)`,
    );
    await client.query(
      `INSERT INTO chain_heads
       SELECT id, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
         FROM contacts WHERE email LIKE $1`,
      [`${prefix}-%`],
    );
    for (let round = 1; round <= rounds; round += 1) {
      await client.query(
        `WITH fields AS (
           SELECT nextval('consent_log_id_seq') AS id, h.contact_id,
                  CASE WHEN $1::int % 2 = 0 THEN 'subscribe' ELSE 'unsubscribe' END::"ConsentAction" AS action,
                  'Mozilla/5.0 Bench' AS user_agent, md5(h.contact_id::text || $1) || md5($1 || h.contact_id::text) AS ip_hash,
                  nextval('consent_log_evidence_seq') AS evidence_seq, h.row_hash AS prev_hash
             FROM chain_heads h
         ), linked AS MATERIALIZED (
           -- A consent_log row by its columns' names, whatever columns the table has gained since.
           SELECT jsonb_populate_record(NULL::consent_log, jsonb_build_object(
                    'id', f.id, 'contact_id', f.contact_id, 'action', f.action, 'source', 'import',
                    'occurred_at', (now() AT TIME ZONE 'UTC')::timestamp(3), 'actor', 'bench',
                    'reason', 'bench round ' || $1, 'user_agent', f.user_agent, 'ip_hash', f.ip_hash,
                    'evidence_seq', f.evidence_seq, 'prev_hash', f.prev_hash,
                    'personal_hash', evidence_personal_hash(f.user_agent, f.ip_hash))) AS r
             FROM fields f
         ), inserted AS (
           INSERT INTO consent_log (id, contact_id, action, source, occurred_at, actor, reason, user_agent, ip_hash,
                                    evidence_seq, prev_hash, personal_hash, row_hash)
           SELECT (r).id, (r).contact_id, (r).action, (r).source, (r).occurred_at, (r).actor, (r).reason,
                  (r).user_agent, (r).ip_hash, (r).evidence_seq, (r).prev_hash, (r).personal_hash,
                  evidence_row_hash(r)
             FROM linked
           RETURNING contact_id, row_hash
         )
         UPDATE chain_heads h SET row_hash = i.row_hash FROM inserted i WHERE h.contact_id = i.contact_id`,
        [round],
      );
      progress?.(round * contacts);
    }
  } finally {
    await client.end();
  }
}
