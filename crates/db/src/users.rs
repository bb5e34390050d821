//! Users (staff and partner practitioners) and API tokens.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::Role;
use harbour_domain::ids::*;
use harbour_domain::model::User;
use uuid::Uuid;

/// A user with the secrets needed to sign them in. Never rendered or logged.
#[derive(Clone, Debug)]
pub struct UserCredentials {
    /// The user.
    pub user: User,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Base32 TOTP secret.
    pub totp_secret: Option<String>,
    /// Consecutive failed sign-ins.
    pub failed_attempts: i32,
    /// Locked until.
    pub locked_until: Option<DateTime<Utc>>,
    /// The last TOTP time step accepted (codes at or before it are refused).
    pub totp_last_step: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    email: String,
    name: String,
    role: String,
    org_id: Uuid,
    team_id: Option<Uuid>,
    pod_id: Option<Uuid>,
    fte_hundredths: i32,
    swe_number: Option<String>,
    agency: bool,
    asye_start: Option<NaiveDate>,
    disabled_at: Option<DateTime<Utc>>,
    password_hash: String,
    totp_secret: Option<String>,
    failed_attempts: i32,
    locked_until: Option<DateTime<Utc>>,
    totp_last_step: Option<i64>,
}

impl UserRow {
    fn into_creds(self) -> UserCredentials {
        UserCredentials {
            user: User {
                id: UserId(self.id),
                email: self.email,
                name: self.name,
                role: self.role.parse().unwrap_or(Role::Analyst),
                org_id: OrgId(self.org_id),
                team_id: self.team_id.map(TeamId),
                pod_id: self.pod_id.map(PodId),
                fte_hundredths: self.fte_hundredths,
                swe_number: self.swe_number,
                agency: self.agency,
                asye_start: self.asye_start,
                disabled_at: self.disabled_at,
                totp_enabled: self.totp_secret.is_some(),
            },
            password_hash: self.password_hash,
            totp_secret: self.totp_secret,
            failed_attempts: self.failed_attempts,
            locked_until: self.locked_until,
            totp_last_step: self.totp_last_step,
        }
    }
}

const COLS: &str = "id, email, name, role, org_id, team_id, pod_id, fte_hundredths, swe_number, agency, asye_start, disabled_at, password_hash, totp_secret, failed_attempts, locked_until, totp_last_step";

const INSERT_USER: &str = "insert into users (id, email, name, role, org_id, team_id, pod_id, fte_hundredths, swe_number, agency, asye_start, password_hash, totp_secret, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
/// Insert a user. A duplicate email is a `UniqueViolation`.
pub async fn insert(
    tx: &mut Tx,
    u: &User,
    password_hash: &str,
    totp_secret: Option<&str>,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_USER)
        .bind(u.id.0)
        .bind(&u.email)
        .bind(&u.name)
        .bind(u.role.as_str())
        .bind(u.org_id.0)
        .bind(u.team_id.map(|t| t.0))
        .bind(u.pod_id.map(|p| p.0))
        .bind(u.fte_hundredths)
        .bind(&u.swe_number)
        .bind(u.agency)
        .bind(u.asye_start)
        .bind(password_hash)
        .bind(totp_secret)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const BY_EMAIL: &str = "select id, email, name, role, org_id, team_id, pod_id, fte_hundredths, swe_number, agency, asye_start, disabled_at, password_hash, totp_secret, failed_attempts, locked_until, totp_last_step from users where email = $1";
/// A user and their credentials by (lower-cased) email.
pub async fn by_email(tx: &mut Tx, email: &str) -> DbResult<Option<UserCredentials>> {
    debug_assert!(BY_EMAIL.contains(COLS));
    let r: Option<UserRow> = on_tx!(tx, |c| sqlx::query_as(BY_EMAIL)
        .bind(email)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(UserRow::into_creds))
}

const BY_ID: &str = "select id, email, name, role, org_id, team_id, pod_id, fte_hundredths, swe_number, agency, asye_start, disabled_at, password_hash, totp_secret, failed_attempts, locked_until, totp_last_step from users where id = $1";
/// A user by id.
pub async fn get(tx: &mut Tx, id: UserId) -> DbResult<Option<User>> {
    let r: Option<UserRow> = on_tx!(tx, |c| sqlx::query_as(BY_ID)
        .bind(id.0)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(|r| r.into_creds().user))
}

/// A user and their credentials by id.
pub async fn get_credentials(tx: &mut Tx, id: UserId) -> DbResult<Option<UserCredentials>> {
    let r: Option<UserRow> = on_tx!(tx, |c| sqlx::query_as(BY_ID)
        .bind(id.0)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(UserRow::into_creds))
}

const LIST: &str = "select id, email, name, role, org_id, team_id, pod_id, fte_hundredths, swe_number, agency, asye_start, disabled_at, password_hash, totp_secret, failed_attempts, locked_until, totp_last_step from users order by name";
/// Every user.
pub async fn list(tx: &mut Tx) -> DbResult<Vec<User>> {
    let r: Vec<UserRow> = on_tx!(tx, |c| sqlx::query_as(LIST).fetch_all(c).await)?;
    Ok(r.into_iter().map(|r| r.into_creds().user).collect())
}

const LIST_TEAM: &str = "select id, email, name, role, org_id, team_id, pod_id, fte_hundredths, swe_number, agency, asye_start, disabled_at, password_hash, totp_secret, failed_attempts, locked_until, totp_last_step from users where team_id = $1 order by name";
/// Members of a team.
pub async fn list_team(tx: &mut Tx, team: TeamId) -> DbResult<Vec<User>> {
    let r: Vec<UserRow> = on_tx!(tx, |c| sqlx::query_as(LIST_TEAM)
        .bind(team.0)
        .fetch_all(c)
        .await)?;
    Ok(r.into_iter().map(|r| r.into_creds().user).collect())
}

const UPDATE_DETAILS: &str = "update users set name = $2, role = $3, team_id = $4, pod_id = $5, fte_hundredths = $6, swe_number = $7, agency = $8, asye_start = $9 where id = $1";
/// Change a person's details (not their email, organisation or credentials).
pub async fn update_details(tx: &mut Tx, u: &User) -> DbResult<bool> {
    let r = on_tx!(tx, |c| sqlx::query(UPDATE_DETAILS)
        .bind(u.id.0)
        .bind(&u.name)
        .bind(u.role.as_str())
        .bind(u.team_id.map(|t| t.0))
        .bind(u.pod_id.map(|p| p.0))
        .bind(u.fte_hundredths)
        .bind(&u.swe_number)
        .bind(u.agency)
        .bind(u.asye_start)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(r))
}

const DISABLE: &str = "update users set disabled_at = $2 where id = $1 and disabled_at is null";
/// Disable a user. Returns whether anything changed.
pub async fn disable(tx: &mut Tx, id: UserId, now: DateTime<Utc>) -> DbResult<bool> {
    let r = on_tx!(tx, |c| sqlx::query(DISABLE)
        .bind(id.0)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(r))
}

const RECORD_FAILURE: &str = "update users set failed_attempts = failed_attempts + 1, locked_until = case when failed_attempts + 1 >= $2 then $3 else locked_until end where id = $1";
/// Count a failed sign-in; the count and the lock are decided in one
/// statement, so failures arriving together cannot slip past the threshold.
pub async fn record_failure(
    tx: &mut Tx,
    id: UserId,
    threshold: i32,
    lock_until: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(RECORD_FAILURE)
        .bind(id.0)
        .bind(threshold)
        .bind(lock_until)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const RECORD_SUCCESS: &str = "update users set failed_attempts = 0, locked_until = null, totp_last_step = coalesce($2, totp_last_step) where id = $1";
/// Reset the failure count after a successful sign-in, remembering the TOTP step used.
pub async fn record_success(tx: &mut Tx, id: UserId, totp_step: Option<i64>) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(RECORD_SUCCESS)
        .bind(id.0)
        .bind(totp_step)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const SET_PASSWORD: &str = "update users set password_hash = $2 where id = $1";
/// Replace a password hash (e.g. rehash with stronger parameters).
pub async fn set_password(tx: &mut Tx, id: UserId, hash: &str) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(SET_PASSWORD)
        .bind(id.0)
        .bind(hash)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const SET_TOTP: &str = "update users set totp_secret = $2 where id = $1";
/// Set or clear the TOTP secret.
pub async fn set_totp(tx: &mut Tx, id: UserId, secret: Option<&str>) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(SET_TOTP)
        .bind(id.0)
        .bind(secret)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const SET_TOTP_PENDING: &str = "update users set totp_pending_secret = $2 where id = $1";
/// Hold (or drop) a TOTP secret awaiting confirmation with a code.
pub async fn set_totp_pending(tx: &mut Tx, id: UserId, secret: Option<&str>) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(SET_TOTP_PENDING)
        .bind(id.0)
        .bind(secret)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const TOTP_PENDING: &str = "select totp_pending_secret from users where id = $1";
/// The TOTP secret awaiting confirmation, if any.
pub async fn totp_pending(tx: &mut Tx, id: UserId) -> DbResult<Option<String>> {
    let row: Option<(Option<String>,)> = on_tx!(tx, |c| sqlx::query_as(TOTP_PENDING)
        .bind(id.0)
        .fetch_optional(c)
        .await)?;
    Ok(row.and_then(|r| r.0))
}

const ACTIVATE_TOTP: &str = "update users set totp_secret = $2, totp_pending_secret = null, totp_last_step = $3 where id = $1";
/// Make a secret the account's second factor. `last_step` is the step of the
/// code just used to confirm it (so that code cannot sign in again), or none
/// for a secret issued by a sysadmin.
pub async fn activate_totp(
    tx: &mut Tx,
    id: UserId,
    secret: Option<&str>,
    last_step: Option<i64>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(ACTIVATE_TOTP)
        .bind(id.0)
        .bind(secret)
        .bind(last_step)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const INSERT_TOKEN: &str = "insert into api_tokens (id, user_id, name, token_hash, created_at) values ($1, $2, $3, $4, $5)";
/// Store an API token's hash.
pub async fn insert_token(
    tx: &mut Tx,
    id: TokenId,
    user: UserId,
    name: &str,
    token_hash: &str,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_TOKEN)
        .bind(id.0)
        .bind(user.0)
        .bind(name)
        .bind(token_hash)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const USER_BY_TOKEN: &str = "select u.id, u.email, u.name, u.role, u.org_id, u.team_id, u.pod_id, u.fte_hundredths, u.swe_number, u.agency, u.asye_start, u.disabled_at, u.password_hash, u.totp_secret, u.failed_attempts, u.locked_until, u.totp_last_step from api_tokens t join users u on u.id = t.user_id where t.token_hash = $1 and t.revoked_at is null and u.disabled_at is null";
/// The (enabled) user an unrevoked token belongs to.
pub async fn user_by_token(tx: &mut Tx, token_hash: &str) -> DbResult<Option<User>> {
    let r: Option<UserRow> = on_tx!(tx, |c| sqlx::query_as(USER_BY_TOKEN)
        .bind(token_hash)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(|r| r.into_creds().user))
}

const REVOKE_TOKEN_NAMED: &str =
    "update api_tokens set revoked_at = $3 where user_id = $1 and name = $2 and revoked_at is null";
/// Revoke a user's tokens with a label. Returns how many.
pub async fn revoke_token_named(
    tx: &mut Tx,
    user: UserId,
    name: &str,
    now: DateTime<Utc>,
) -> DbResult<u64> {
    Ok(on_tx!(tx, |c| sqlx::query(REVOKE_TOKEN_NAMED)
        .bind(user.0)
        .bind(name)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

const REVOKE_TOKENS: &str =
    "update api_tokens set revoked_at = $2 where user_id = $1 and revoked_at is null";
/// Revoke every token of a user.
pub async fn revoke_tokens(tx: &mut Tx, user: UserId, now: DateTime<Utc>) -> DbResult<u64> {
    let r = on_tx!(tx, |c| sqlx::query(REVOKE_TOKENS)
        .bind(user.0)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(r)
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    REVOKE_TOKEN_NAMED,
    UPDATE_DETAILS,
    INSERT_USER,
    BY_EMAIL,
    BY_ID,
    LIST,
    LIST_TEAM,
    DISABLE,
    RECORD_FAILURE,
    RECORD_SUCCESS,
    SET_PASSWORD,
    SET_TOTP,
    SET_TOTP_PENDING,
    TOTP_PENDING,
    ACTIVATE_TOTP,
    INSERT_TOKEN,
    USER_BY_TOKEN,
    REVOKE_TOKENS,
];
