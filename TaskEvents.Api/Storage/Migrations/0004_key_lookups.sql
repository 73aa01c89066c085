-- The append path made independent of the tables' size when it was first planned. append_events keeps one generic plan
-- per connection (plan_cache_mode, 0002), made at the writer's first batch, often on a nearly empty database; with no
-- statistics yet the planner chose sequential scans of events (the repeat check, and task_change_payloads' read-back
-- for the notification) and of tasks (the row locks), kept until autovacuum's first ANALYZE. Every call then read the
-- whole table: a batch of 50 events took 20 ms once events held 60,000 rows, against 5 ms by key (found in the W1 load
-- test with pg_stat_user_functions; reproduced in psql). Now each lookup is a lateral subquery per key (OFFSET 0 keeps
-- it from being merged into a join over the table), sequential scans are off inside the function, and the
-- notifications are built from the inserted rows (RETURNING) instead of read back. Same signature, same results.

-- Built from the inserted rows in append_events now (below), so nothing calls it.
DROP FUNCTION task_change_payloads(text[], text[], bigint[], int);

-- As in 0003, with its lookups by key and its notifications built from the rows it inserted (RETURNING: exactly what
-- the table holds, so the same text a read returns) instead of read back from the table. Notifications are sent in
-- the same order as before (by tenant, task, run): PostgreSQL delivers them at commit, in this order.
CREATE OR REPLACE FUNCTION append_events(
    requests int[], tenant_ids text[], task_ids text[],
    event_ids text[], event_types text[], phases text[], actors text[], span_ids text[], parent_span_ids text[],
    payloads text[], terminal_statuses text[],
    channel text, max_payload_bytes int,
    trace_parents text[] DEFAULT NULL)
RETURNS TABLE (request int, outcome text, status text, seq bigint, duplicate boolean, last_seq bigint)
LANGUAGE plpgsql
-- Planned once per connection: left to choose, PostgreSQL re-plans these statements for every call (the arrays make
-- each custom plan look cheaper), which measured at 1–2 ms of CPU per call against 0.3–0.6 ms with the cached plan.
SET plan_cache_mode = force_generic_plan
-- Every relation read here is read by key. The plan above is made once, when the tables may still be nearly empty, and
-- kept while they grow: a sequential scan chosen then would read the whole table on every later call.
SET enable_seqscan = off
AS $$
#variable_conflict use_column
DECLARE
    locked_tenants text[];
    locked_tasks text[];
    seqs_before bigint[];
    statuses_before text[];
BEGIN
    -- Every transaction takes its task rows in the same order, the database's order of the key, so two Api processes
    -- appending to overlapping tasks queue behind each other instead of deadlocking. A row that another transaction
    -- held comes back as that transaction committed it. The row locks are also what makes commit order seq order.
    SELECT array_agg(t.tenant_id), array_agg(t.task_id), array_agg(t.last_seq), array_agg(t.status)
    INTO locked_tenants, locked_tasks, seqs_before, statuses_before
    -- One key lookup per task (the lateral subquery runs once per key, in the keys' order), whatever the plan's size
    -- estimates were when it was made.
    FROM (SELECT DISTINCT k.tenant_id, k.task_id
          FROM unnest(tenant_ids, task_ids) AS k(tenant_id, task_id)
          ORDER BY k.tenant_id, k.task_id) k
    CROSS JOIN LATERAL (
          SELECT tasks.tenant_id, tasks.task_id, tasks.last_seq, tasks.status
          FROM tasks
          WHERE tasks.tenant_id = k.tenant_id AND tasks.task_id = k.task_id
          FOR UPDATE) t;

    -- A new statement, so a new snapshot: it sees every event committed before the locks above were granted, which
    -- the repeat check below needs (a snapshot from before the wait would miss a just-committed copy of an event).
    RETURN QUERY
    WITH batch AS (
        SELECT b.*
        -- A null trace_parents (a caller from before 0003) is padded with nulls like any shorter array.
        FROM unnest(requests, tenant_ids, task_ids, event_ids, event_types, phases, actors, span_ids, parent_span_ids, payloads, terminal_statuses, trace_parents)
             WITH ORDINALITY AS b(request, tenant_id, task_id, event_id, event_type, phase, actor, span_id, parent_span_id, payload, terminal_status, trace_parent, ord)
    ),
    task AS (
        SELECT * FROM unnest(locked_tenants, locked_tasks, seqs_before, statuses_before) AS t(tenant_id, task_id, seq_before, status_before)
    ),
    -- Each event with its task (none: no such task) and, when its event_id is stored already, that seq; first_request is
    -- the earliest request in the batch carrying its event_id, the only one that may store it.
    known AS (
        SELECT b.*, t.task_id IS NOT NULL AS task_exists, t.seq_before, t.status_before, e.seq AS stored_seq,
               min(b.request) OVER (PARTITION BY b.tenant_id, b.task_id, b.event_id) AS first_request
        FROM batch b
        LEFT JOIN task t ON t.tenant_id = b.tenant_id AND t.task_id = b.task_id
        -- A lookup per event by its unique key; OFFSET 0 keeps it one (not merged into a join over the whole table).
        LEFT JOIN LATERAL (
            SELECT stored.seq FROM events stored
            WHERE stored.tenant_id = b.tenant_id AND stored.task_id = b.task_id AND stored.event_id = b.event_id
            OFFSET 0) e ON true
    ),
    -- Per task, the request that ends it (0 when it had ended before this batch) and the status it ends with. Every
    -- request up to that one is accepted; a later one is accepted only if all its events are repeats.
    ending AS (
        SELECT tenant_id, task_id,
               CASE WHEN min(status_before) <> 'running' THEN 0
                    ELSE min(request) FILTER (WHERE terminal_status IS NOT NULL AND stored_seq IS NULL AND first_request = request) END AS ended_by,
               CASE WHEN min(status_before) <> 'running' THEN min(status_before)
                    ELSE (array_agg(terminal_status ORDER BY ord)
                          FILTER (WHERE terminal_status IS NOT NULL AND stored_seq IS NULL AND first_request = request))[1] END AS ended_status
        FROM known
        WHERE task_exists
        GROUP BY tenant_id, task_id
    ),
    verdict AS (
        SELECT k.request,
               CASE WHEN NOT bool_and(k.task_exists) THEN 'task_not_found'
                    WHEN bool_or(k.stored_seq IS NULL AND k.first_request > n.ended_by) THEN 'task_closed'
                    ELSE 'appended' END AS outcome,
               min(n.ended_status) AS ended_status
        FROM known k
        LEFT JOIN ending n ON n.tenant_id = k.tenant_id AND n.task_id = k.task_id
        GROUP BY k.request
    ),
    -- The events to store: first sightings in accepted requests, numbered on from their task's last seq in arrival order.
    fresh AS (
        SELECT k.*, k.seq_before + row_number() OVER (PARTITION BY k.tenant_id, k.task_id ORDER BY k.ord) AS new_seq
        FROM known k
        JOIN verdict v ON v.request = k.request
        WHERE v.outcome = 'appended' AND k.stored_seq IS NULL AND k.first_request = k.request
    ),
    inserted AS (
        -- Sorted so clock_timestamp() (evaluated after the sort) rises with seq within a task.
        INSERT INTO events (tenant_id, task_id, seq, event_id, event_type, phase, actor, span_id, parent_span_id, payload, created_at, trace_parent)
        SELECT f.tenant_id, f.task_id, f.new_seq, f.event_id, f.event_type, f.phase, f.actor, f.span_id, f.parent_span_id, f.payload::jsonb, clock_timestamp(), f.trace_parent
        FROM fresh f
        ORDER BY f.tenant_id, f.task_id, f.new_seq
        RETURNING tenant_id, task_id, seq, event_id, event_type, phase, actor, span_id, parent_span_id, payload, created_at, trace_parent
    ),
    updated AS (
        UPDATE tasks SET last_seq = f.new_last_seq, status = coalesce(f.new_status, tasks.status)
        FROM (SELECT tenant_id, task_id, max(new_seq) AS new_last_seq, min(terminal_status) AS new_status
              FROM fresh GROUP BY tenant_id, task_id) f
        WHERE tasks.tenant_id = f.tenant_id AND tasks.task_id = f.task_id
    ),
    -- The notifications, in the shape TaskChangeNotification parses (as 0002/0003 describe): each task's new events in
    -- consecutive runs of about half a payload, so every run of ordinary events fits; a run that still passes
    -- max_payload_bytes (one very large event) is announced by its last seq alone, and the tails read it from the table.
    stored AS (
        SELECT i.tenant_id, i.task_id, i.seq, i.trace_parent,
               json_build_array(i.seq, i.event_id, i.event_type, i.phase, i.actor, i.span_id, i.parent_span_id,
                                i.payload::text, (extract(epoch FROM i.created_at) * 1000000)::bigint) AS item
        FROM inserted i
    ),
    sized AS (
        -- The item and its separator, the traceparent (quoted, or null) and its separator.
        SELECT s.*, octet_length(s.item::text) + 2 + coalesce(octet_length(s.trace_parent) + 2, 4) + 2 AS bytes
        FROM stored s
    ),
    runs AS (
        SELECT s.*, (sum(s.bytes) OVER (PARTITION BY s.tenant_id, s.task_id ORDER BY s.seq) - s.bytes) / (max_payload_bytes / 2) AS run
        FROM sized s
    ),
    announced AS (
        SELECT r.tenant_id, r.task_id, r.run, max(r.seq) AS last_seq,
               json_build_object('tenant', r.tenant_id, 'task', r.task_id, 'seq', max(r.seq), 'events', json_agg(r.item ORDER BY r.seq),
                                 'trace_parents', CASE WHEN count(r.trace_parent) > 0 THEN json_agg(r.trace_parent ORDER BY r.seq) END)::text AS whole
        FROM runs r
        GROUP BY r.tenant_id, r.task_id, r.run
    ),
    -- One row, joined below so the notifications are sent within this statement; the aggregate takes the payloads in
    -- the subquery's order.
    notified AS (
        SELECT count(pg_notify(channel, p.payload)) AS notifications
        FROM (SELECT CASE WHEN octet_length(a.whole) <= max_payload_bytes THEN a.whole
                          ELSE json_build_object('tenant', a.tenant_id, 'task', a.task_id, 'seq', a.last_seq)::text END AS payload
              FROM announced a
              ORDER BY a.tenant_id, a.task_id, a.run) p
    )
    SELECT k.request, v.outcome,
           CASE WHEN v.outcome = 'task_closed' THEN v.ended_status END,
           coalesce(k.stored_seq, f.new_seq),
           f.ord IS DISTINCT FROM k.ord,
           k.seq_before + count(f.new_seq) FILTER (WHERE f.ord = k.ord) OVER (PARTITION BY k.tenant_id, k.task_id ORDER BY k.ord)
    FROM known k
    JOIN verdict v ON v.request = k.request
    LEFT JOIN fresh f ON f.tenant_id = k.tenant_id AND f.task_id = k.task_id AND f.event_id = k.event_id
    CROSS JOIN notified
    ORDER BY k.ord;

END
$$;
