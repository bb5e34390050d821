//! Single sign-on with OpenID Connect: sign-ons in progress (state, nonce
//! and PKCE verifier between the redirect to the identity provider and its
//! callback) and the link from an account to its identity there.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, Utc};
use harbour_domain::ids::UserId;
use uuid::Uuid;

/// A sign-on in progress, as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PendingLogin {
    /// The nonce sent in the authentication request.
    pub nonce: String,
    /// The PKCE code verifier.
    pub code_verifier: String,
    /// Where to go once signed in (a local path, or empty for home).
    pub next_path: String,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
}

const INSERT: &str = "insert into oidc_logins (state_hash, nonce, code_verifier, next_path, created_at, expires_at) values ($1, $2, $3, $4, $5, $6)";
/// Record a sign-on in progress.
pub async fn insert_pending(
    tx: &mut Tx,
    state_hash: &str,
    p: &PendingLogin,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT)
        .bind(state_hash)
        .bind(&p.nonce)
        .bind(&p.code_verifier)
        .bind(&p.next_path)
        .bind(now)
        .bind(p.expires_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const TAKE: &str = "delete from oidc_logins where state_hash = $1 returning nonce, code_verifier, next_path, expires_at";
/// Take (read and delete) a sign-on in progress: each state is used once.
pub async fn take_pending(tx: &mut Tx, state_hash: &str) -> DbResult<Option<PendingLogin>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(TAKE)
        .bind(state_hash)
        .fetch_optional(c)
        .await)?)
}

const PURGE: &str = "delete from oidc_logins where expires_at < $1";
/// Forget abandoned sign-ons.
pub async fn purge_pending(tx: &mut Tx, now: DateTime<Utc>) -> DbResult<u64> {
    Ok(on_tx!(tx, |c| sqlx::query(PURGE)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// An account's link to an identity at the identity provider.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Identity {
    /// The account.
    pub user_id: Uuid,
    /// Issuer.
    pub oidc_issuer: Option<String>,
    /// Subject at that issuer.
    pub oidc_subject: Option<String>,
}

const BY_SUBJECT: &str = "select id as user_id, oidc_issuer, oidc_subject from users where oidc_issuer = $1 and oidc_subject = $2";
/// The account linked to `(issuer, subject)`, if any.
pub async fn by_subject(tx: &mut Tx, issuer: &str, subject: &str) -> DbResult<Option<Identity>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(BY_SUBJECT)
        .bind(issuer)
        .bind(subject)
        .fetch_optional(c)
        .await)?)
}

const OF_USER: &str = "select id as user_id, oidc_issuer, oidc_subject from users where id = $1";
/// An account's link (both fields empty when not linked).
pub async fn of_user(tx: &mut Tx, user: UserId) -> DbResult<Option<Identity>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(OF_USER)
        .bind(user.0)
        .fetch_optional(c)
        .await)?)
}

const LINK: &str =
    "update users set oidc_issuer = $2, oidc_subject = $3 where id = $1 and oidc_subject is null";
/// Link an unlinked account; false if it was already linked.
pub async fn link(tx: &mut Tx, user: UserId, issuer: &str, subject: &str) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(LINK)
        .bind(user.0)
        .bind(issuer)
        .bind(subject)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

const UNLINK: &str = "update users set oidc_issuer = null, oidc_subject = null where id = $1 and oidc_subject is not null";
/// Remove an account's link (a sysadmin's action); false if it had none.
pub async fn unlink(tx: &mut Tx, user: UserId) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(UNLINK)
        .bind(user.0)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

const LINKED: &str = "select id from users where oidc_subject is not null";
/// The accounts linked to an identity at the provider.
pub async fn linked_users(tx: &mut Tx) -> DbResult<Vec<UserId>> {
    let v: Vec<(Uuid,)> = on_tx!(tx, |c| sqlx::query_as(LINKED).fetch_all(c).await)?;
    Ok(v.into_iter().map(|(id,)| UserId(id)).collect())
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    INSERT, TAKE, PURGE, BY_SUBJECT, OF_USER, LINK, UNLINK, LINKED,
];
