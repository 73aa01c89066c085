-- Trace context with each event: the W3C traceparent of the append request that stored it (AppendTraceContext), so the
-- span of a delivery in any Api process can link to the append (DeliveryTrace). Null when the append was not traced.
-- Reads for clients never show it; notifications carry it beside the events.

-- Nullable without a default: existing rows are not rewritten, and the lock is held only for the catalog change.
ALTER TABLE events ADD COLUMN trace_parent text;

-- As in 0002, plus "trace_parents": one traceparent (or null) per event of "events", in the same order, or null when no
-- event of the payload has one. A separate key rather than a tenth item element: an Api process from before this
-- migration skips keys it does not know, so it keeps taking the events during a rolling upgrade. Each event's share of
-- the size now counts its traceparent, so runs still fit under max_bytes.
CREATE OR REPLACE FUNCTION task_change_payloads(tenant_ids text[], task_ids text[], after_seqs bigint[], max_bytes int)
RETURNS TABLE (payload text)
LANGUAGE sql STABLE AS $$
    WITH stored AS (
        SELECT e.tenant_id, e.task_id, e.seq, e.trace_parent,
               json_build_array(e.seq, e.event_id, e.event_type, e.phase, e.actor, e.span_id, e.parent_span_id,
                                e.payload::text, (extract(epoch FROM e.created_at) * 1000000)::bigint) AS item
        FROM unnest(tenant_ids, task_ids, after_seqs) AS t(tenant_id, task_id, after_seq)
        JOIN events e ON e.tenant_id = t.tenant_id AND e.task_id = t.task_id AND e.seq > t.after_seq
    ),
    sized AS (
        -- The item and its separator, the traceparent (quoted, or null) and its separator.
        SELECT s.*, octet_length(s.item::text) + 2 + coalesce(octet_length(s.trace_parent) + 2, 4) + 2 AS bytes
        FROM stored s
    ),
    runs AS (
        SELECT s.*, (sum(bytes) OVER (PARTITION BY tenant_id, task_id ORDER BY seq) - bytes) / (max_bytes / 2) AS run
        FROM sized s
    ),
    announced AS (
        SELECT tenant_id, task_id, run, max(seq) AS last_seq,
               json_build_object('tenant', tenant_id, 'task', task_id, 'seq', max(seq), 'events', json_agg(item ORDER BY seq),
                                 'trace_parents', CASE WHEN count(trace_parent) > 0 THEN json_agg(trace_parent ORDER BY seq) END)::text AS whole
        FROM runs
        GROUP BY tenant_id, task_id, run
    )
    SELECT CASE WHEN octet_length(whole) <= max_bytes THEN whole
                ELSE json_build_object('tenant', tenant_id, 'task', task_id, 'seq', last_seq)::text END
    FROM announced
    ORDER BY tenant_id, task_id, run
$$;

-- As in 0002, storing each event's traceparent (trace_parents, parallel to the other arrays). The new parameter comes last
-- with a default, so a call with 0002's thirteen arguments (an Api process from before this migration, during a rolling
-- upgrade) still resolves, and stores no trace context.
DROP FUNCTION append_events(int[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text[], text, int);

CREATE FUNCTION append_events(
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
AS $$
#variable_conflict use_column
DECLARE
    locked_tenants text[];
    locked_tasks text[];
    seqs_before bigint[];
    statuses_before text[];
    notification text;
BEGIN
    -- Every transaction takes its task rows in the same order, the database's order of the key, so two Api processes
    -- appending to overlapping tasks queue behind each other instead of deadlocking. A row that another transaction
    -- held comes back as that transaction committed it. The row locks are also what makes commit order seq order.
    SELECT array_agg(t.tenant_id), array_agg(t.task_id), array_agg(t.last_seq), array_agg(t.status)
    INTO locked_tenants, locked_tasks, seqs_before, statuses_before
    FROM (SELECT tasks.tenant_id, tasks.task_id, tasks.last_seq, tasks.status
          FROM tasks
          WHERE (tasks.tenant_id, tasks.task_id) IN (SELECT k.tenant_id, k.task_id FROM unnest(tenant_ids, task_ids) AS k(tenant_id, task_id))
          ORDER BY tasks.tenant_id, tasks.task_id
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
        LEFT JOIN events e ON e.tenant_id = b.tenant_id AND e.task_id = b.task_id AND e.event_id = b.event_id
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
    ),
    updated AS (
        UPDATE tasks SET last_seq = f.new_last_seq, status = coalesce(f.new_status, tasks.status)
        FROM (SELECT tenant_id, task_id, max(new_seq) AS new_last_seq, min(terminal_status) AS new_status
              FROM fresh GROUP BY tenant_id, task_id) f
        WHERE tasks.tenant_id = f.tenant_id AND tasks.task_id = f.task_id
    )
    SELECT k.request, v.outcome,
           CASE WHEN v.outcome = 'task_closed' THEN v.ended_status END,
           coalesce(k.stored_seq, f.new_seq),
           f.ord IS DISTINCT FROM k.ord,
           k.seq_before + count(f.new_seq) FILTER (WHERE f.ord = k.ord) OVER (PARTITION BY k.tenant_id, k.task_id ORDER BY k.ord)
    FROM known k
    JOIN verdict v ON v.request = k.request
    LEFT JOIN fresh f ON f.tenant_id = k.tenant_id AND f.task_id = k.task_id AND f.event_id = k.event_id
    ORDER BY k.ord;

    -- Read back what this call stored (the same text a read returns) and announce it; PostgreSQL delivers the
    -- notifications at commit, in this order.
    FOR notification IN SELECT p.payload FROM task_change_payloads(locked_tenants, locked_tasks, seqs_before, max_payload_bytes) p LOOP
        PERFORM pg_notify(channel, notification);
    END LOOP;
END
$$;
