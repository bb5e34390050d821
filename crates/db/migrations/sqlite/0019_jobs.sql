-- Background jobs (SQLite). Keep in step with ../postgres/0019_jobs.sql.
--
-- One row per piece of background work. On SQLite the claim runs in the
-- single writer's `BEGIN IMMEDIATE` transaction, so two claimers are already
-- serialised; a lease (`locked_until`) returns the job of a runner that died.
-- `unique_key` makes enqueueing a periodic job idempotent.
create table jobs (
    id blob primary key,
    kind text not null,
    payload text not null,
    unique_key text unique,
    run_at text not null,
    attempts integer not null default 0,
    max_attempts integer not null,
    locked_by text,
    locked_until text,
    state text not null check (state in ('waiting', 'done', 'failed')),
    last_error text,
    created_at text not null,
    finished_at text
);
create index jobs_due on jobs (run_at) where state = 'waiting';
