//! Background jobs: a table every instance's runner claims from.
//!
//! - [`enqueue`] inserts a job, in the caller's transaction; a `unique_key`
//!   (e.g. `session.purge:2026-11-26T10:10`) makes a periodic job's enqueue
//!   idempotent across instances (`on conflict do nothing`).
//! - [`claim`] takes the oldest due job whose lease is free or has run out and
//!   leases it to one runner until `locked_until`. On PostgreSQL the inner
//!   select uses `for update skip locked`, so concurrent claimers on several
//!   instances never wait for or get the same row; on SQLite the claim runs in
//!   the single writer's `BEGIN IMMEDIATE` transaction, which serialises them.
//! - [`complete`] and [`fail`] only touch a job still leased to the caller, so a
//!   runner whose lease ran out (and whose job another runner took over)
//!   cannot overwrite the newer attempt's outcome.
//! - `locked_by` stays on a finished job, so operators see which instance ran it.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A job as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct JobRow {
    /// Id.
    pub id: Uuid,
    /// What to do (e.g. `session.purge`).
    pub kind: String,
    /// Ids and parameters as JSON text (never personal content).
    pub payload: String,
    /// Dedupe key of a periodic job.
    pub unique_key: Option<String>,
    /// Not before.
    pub run_at: DateTime<Utc>,
    /// Attempts started so far (including a running one).
    pub attempts: i32,
    /// Attempts allowed before the job is marked failed.
    pub max_attempts: i32,
    /// The runner holding the lease, or the last one that ran the job.
    pub locked_by: Option<String>,
    /// The lease's end.
    pub locked_until: Option<DateTime<Utc>>,
    /// `waiting`, `done` or `failed`.
    pub state: String,
    /// The last attempt's error, in plain words.
    pub last_error: Option<String>,
    /// Enqueued.
    pub created_at: DateTime<Utc>,
    /// Done or failed at.
    pub finished_at: Option<DateTime<Utc>>,
}

/// A job to enqueue.
#[derive(Clone, Debug)]
pub struct NewJob<'a> {
    /// Kind.
    pub kind: &'a str,
    /// Payload (JSON text).
    pub payload: &'a str,
    /// Dedupe key (periodic jobs).
    pub unique_key: Option<&'a str>,
    /// Not before.
    pub run_at: DateTime<Utc>,
    /// Attempts allowed.
    pub max_attempts: i32,
}

const ENQUEUE: &str = "insert into jobs (id, kind, payload, unique_key, run_at, attempts, max_attempts, state, created_at) values ($1, $2, $3, $4, $5, 0, $6, 'waiting', $7) on conflict (unique_key) do nothing";
/// Enqueue a job. False when a job with the same unique key already exists.
pub async fn enqueue(tx: &mut Tx, job: &NewJob<'_>, now: DateTime<Utc>) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(ENQUEUE)
        .bind(Uuid::now_v7())
        .bind(job.kind)
        .bind(job.payload)
        .bind(job.unique_key)
        .bind(job.run_at)
        .bind(job.max_attempts)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

const CLAIM_PG: &str = "update jobs set attempts = attempts + 1, locked_by = $2, locked_until = $3 where id = (select id from jobs where state = 'waiting' and run_at <= $1 and (locked_until is null or locked_until < $1) order by run_at, id limit 1 for update skip locked) returning id, kind, payload, unique_key, run_at, attempts, max_attempts, locked_by, locked_until, state, last_error, created_at, finished_at";
const CLAIM_SQLITE: &str = "update jobs set attempts = attempts + 1, locked_by = $2, locked_until = $3 where id = (select id from jobs where state = 'waiting' and run_at <= $1 and (locked_until is null or locked_until < $1) order by run_at, id limit 1) returning id, kind, payload, unique_key, run_at, attempts, max_attempts, locked_by, locked_until, state, last_error, created_at, finished_at";
/// Claim the oldest due job for `runner` until `lease_until`; `None` when
/// nothing is due. The returned row's `attempts` counts this attempt.
pub async fn claim(
    tx: &mut Tx,
    runner: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> DbResult<Option<JobRow>> {
    crate::count_query();
    Ok(match tx {
        Tx::Sqlite(t) => {
            sqlx::query_as(CLAIM_SQLITE)
                .bind(now)
                .bind(runner)
                .bind(lease_until)
                .fetch_optional(&mut **t)
                .await?
        }
        Tx::Postgres(t) => {
            sqlx::query_as(CLAIM_PG)
                .bind(now)
                .bind(runner)
                .bind(lease_until)
                .fetch_optional(&mut **t)
                .await?
        }
    })
}

const COMPLETE: &str = "update jobs set state = 'done', finished_at = $3, locked_until = null, last_error = null where id = $1 and locked_by = $2 and state = 'waiting'";
/// Mark a job done. False when the lease was lost (another runner took it over).
pub async fn complete(tx: &mut Tx, id: Uuid, runner: &str, now: DateTime<Utc>) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(COMPLETE)
        .bind(id)
        .bind(runner)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

const RETRY: &str = "update jobs set run_at = $3, locked_until = null, last_error = $4 where id = $1 and locked_by = $2 and state = 'waiting'";
const GIVE_UP: &str = "update jobs set state = 'failed', finished_at = $3, locked_until = null, last_error = $4 where id = $1 and (locked_by = $2 or locked_by is null) and state = 'waiting'";
/// Record a failed attempt: `retry_at` schedules another attempt, `None`
/// marks the job failed for good. False when the lease was lost.
pub async fn fail(
    tx: &mut Tx,
    id: Uuid,
    runner: &str,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let n = match retry_at {
        Some(at) => on_tx!(tx, |c| sqlx::query(RETRY)
            .bind(id)
            .bind(runner)
            .bind(at)
            .bind(error)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?,
        None => on_tx!(tx, |c| sqlx::query(GIVE_UP)
            .bind(id)
            .bind(runner)
            .bind(now)
            .bind(error)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?,
    };
    Ok(crate::changed(n))
}

const LIST: &str = "select id, kind, payload, unique_key, run_at, attempts, max_attempts, locked_by, locked_until, state, last_error, created_at, finished_at from jobs order by created_at desc, id desc limit $1";
/// The newest jobs, newest first.
pub async fn list(tx: &mut Tx, limit: i64) -> DbResult<Vec<JobRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(LIST)
        .bind(limit)
        .fetch_all(c)
        .await)?)
}

const GET: &str = "select id, kind, payload, unique_key, run_at, attempts, max_attempts, locked_by, locked_until, state, last_error, created_at, finished_at from jobs where id = $1";
/// One job.
pub async fn get(tx: &mut Tx, id: Uuid) -> DbResult<Option<JobRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(GET)
        .bind(id)
        .fetch_optional(c)
        .await)?)
}

const PURGE: &str = "delete from jobs where state <> 'waiting' and finished_at < $1";
/// Delete finished (done or failed) jobs older than `before`.
pub async fn purge_finished(tx: &mut Tx, before: DateTime<Utc>) -> DbResult<u64> {
    let n = on_tx!(tx, |c| sqlx::query(PURGE)
        .bind(before)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n)
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    ENQUEUE,
    CLAIM_SQLITE,
    COMPLETE,
    RETRY,
    GIVE_UP,
    LIST,
    GET,
    PURGE,
];

/// The PostgreSQL-only claim (prepared only there).
pub const PG_ONLY: &[&str] = &[CLAIM_PG];
