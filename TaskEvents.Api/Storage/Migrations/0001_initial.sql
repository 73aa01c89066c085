-- Tasks are keyed by tenant: the same task id in two tenants is two tasks, and nothing
-- about one tenant's tasks can be learned from another.
CREATE TABLE tasks (
    tenant_id   text        NOT NULL,
    task_id     text        NOT NULL,
    status      text        NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_seq    bigint      NOT NULL DEFAULT 0,
    metadata    jsonb,
    PRIMARY KEY (tenant_id, task_id)
);

-- seq is dense per task and assigned under the task row's lock, so commit order is seq order.
CREATE TABLE events (
    tenant_id       text        NOT NULL,
    task_id         text        NOT NULL,
    seq             bigint      NOT NULL CHECK (seq > 0),
    event_id        text        NOT NULL,
    event_type      text        NOT NULL,
    phase           text,
    actor           text,
    span_id         text,
    parent_span_id  text,
    payload         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, task_id, seq),
    UNIQUE (tenant_id, task_id, event_id),
    FOREIGN KEY (tenant_id, task_id) REFERENCES tasks (tenant_id, task_id) ON DELETE CASCADE
);
