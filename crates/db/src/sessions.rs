//! Server-side sessions: one row per signed-in browser, keyed by the SHA-256
//! of the cookie's token, so a database leak does not leak usable cookies.
//! Rows are created only at sign-in, never for anonymous page views.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, Utc};
use harbour_domain::ids::UserId;
use uuid::Uuid;

/// A session as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// The user.
    pub user_id: Uuid,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last request.
    pub last_seen_at: DateTime<Utc>,
    /// Absolute expiry.
    pub expires_at: DateTime<Utc>,
}

const INSERT: &str = "insert into sessions (token_hash, user_id, created_at, last_seen_at, expires_at) values ($1, $2, $3, $3, $4)";
/// Start a session.
pub async fn insert(
    tx: &mut Tx,
    token_hash: &str,
    user: UserId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT)
        .bind(token_hash)
        .bind(user.0)
        .bind(now)
        .bind(expires_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const GET: &str = "select token_hash, user_id, created_at, last_seen_at, expires_at from sessions where token_hash = $1";
/// A session by token hash.
pub async fn get(tx: &mut Tx, token_hash: &str) -> DbResult<Option<SessionRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(GET)
        .bind(token_hash)
        .fetch_optional(c)
        .await)?)
}

const TOUCH: &str = "update sessions set last_seen_at = $2 where token_hash = $1";
/// Record activity.
pub async fn touch(tx: &mut Tx, token_hash: &str, now: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(TOUCH)
        .bind(token_hash)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const DELETE: &str = "delete from sessions where token_hash = $1";
/// End one session.
pub async fn delete(tx: &mut Tx, token_hash: &str) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(DELETE)
        .bind(token_hash)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const DELETE_USER: &str = "delete from sessions where user_id = $1";
/// End every session of a user.
pub async fn delete_for_user(tx: &mut Tx, user: UserId) -> DbResult<u64> {
    let r = on_tx!(tx, |c| sqlx::query(DELETE_USER)
        .bind(user.0)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(r)
}

const LIST_USER: &str = "select token_hash, user_id, created_at, last_seen_at, expires_at from sessions where user_id = $1 order by last_seen_at desc";
/// A user's sessions.
pub async fn list_for_user(tx: &mut Tx, user: UserId) -> DbResult<Vec<SessionRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(LIST_USER)
        .bind(user.0)
        .fetch_all(c)
        .await)?)
}

const PURGE: &str = "delete from sessions where expires_at < $1 or last_seen_at < $2";
/// Remove expired and idle sessions.
pub async fn purge(tx: &mut Tx, now: DateTime<Utc>, idle_before: DateTime<Utc>) -> DbResult<u64> {
    let r = on_tx!(tx, |c| sqlx::query(PURGE)
        .bind(now)
        .bind(idle_before)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(r)
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[INSERT, GET, TOUCH, DELETE, DELETE_USER, LIST_USER, PURGE];
