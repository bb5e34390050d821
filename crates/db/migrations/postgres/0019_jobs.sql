-- Background jobs (PostgreSQL). Keep in step with ../sqlite/0019_jobs.sql.
--
-- One row per piece of background work. Every `harbour serve` instance runs
-- a runner that claims due rows with `for update skip locked` and holds a
-- lease (`locked_until`); a job whose holder died is claimed again once the
-- lease has run out. `unique_key` makes enqueueing a periodic job idempotent
-- (one row per kind and period, whichever instance's scheduler gets there first).
create table jobs (
    id uuid primary key,
    kind text not null,
    payload text not null,
    unique_key text unique,
    run_at timestamptz not null,
    attempts integer not null default 0,
    max_attempts integer not null,
    locked_by text,
    locked_until timestamptz,
    state text not null check (state in ('waiting', 'done', 'failed')),
    last_error text,
    created_at timestamptz not null,
    finished_at timestamptz
);
create index jobs_due on jobs (run_at) where state = 'waiting';
