//! Interview findings: sharing decisions, notifications to other
//! organisations (an outbox the mailer works through) and the people and
//! places a child named.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, Utc};
use harbour_domain::authz::Allowed;
use harbour_domain::findings::*;
use harbour_domain::ids::*;
use uuid::Uuid;

const INSERT_SHARE: &str = "insert into rhi_shares (interview_id, recipient, share, basis, reason, decided_by, decided_at) values ($1, $2, $3, $4, $5, $6, $7)";
/// Record one sharing decision on an interview.
pub async fn insert_share(
    tx: &mut Tx,
    interview: Uuid,
    d: &ShareDecision,
    by: UserId,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_SHARE)
        .bind(interview)
        .bind(d.recipient.as_str())
        .bind(d.share)
        .bind(d.basis.map(|b| b.as_str()))
        .bind(&d.reason)
        .bind(by.0)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A recorded decision with who made it and when.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedRecord {
    /// The interview.
    pub interview_id: Uuid,
    /// The decision.
    pub decision: ShareDecision,
    /// Decided by (name).
    pub decided_by: String,
    /// When.
    pub decided_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ShareRow {
    interview_id: Uuid,
    recipient: String,
    share: bool,
    basis: Option<String>,
    reason: String,
    decided_by: String,
    decided_at: DateTime<Utc>,
}

const SHARES_FOR_CHILD: &str = "select s.interview_id, s.recipient, s.share, s.basis, s.reason, u.name as decided_by, s.decided_at from rhi_shares s join rhi_interviews i on i.id = s.interview_id join users u on u.id = s.decided_by where i.child_id = $1 order by s.decided_at, s.recipient";
/// Every sharing decision on a child's interviews.
pub async fn shares_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<SharedRecord>> {
    let rows: Vec<ShareRow> = on_tx!(tx, |c| sqlx::query_as(SHARES_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(SharedRecord {
                interview_id: r.interview_id,
                decision: ShareDecision {
                    recipient: Recipient::parse(&r.recipient)?,
                    share: r.share,
                    basis: r.basis.as_deref().and_then(LawfulBasis::parse),
                    reason: r.reason,
                },
                decided_by: r.decided_by,
                decided_at: r.decided_at,
            })
        })
        .collect())
}

/// Who to tell: an organisation of a kind (and, for authorities, LA code).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The organisation.
    pub org_id: OrgId,
    /// Its name.
    pub name: String,
    /// Where its notifications are e-mailed.
    pub email: Option<String>,
}

const TARGET_BY_LA: &str = "select id, name, notify_email from organisations where kind in ('other_authority', 'social_care') and la_code = $1 order by name limit 1";
const TARGET_BY_KIND: &str =
    "select id, name, notify_email from organisations where kind = $1 order by name limit 1";
/// The organisation for an authority (by LA code) or, without a code, the
/// first organisation of `kind` (e.g. the police force).
pub async fn target(tx: &mut Tx, kind: &str, la_code: Option<&str>) -> DbResult<Option<Target>> {
    let r: Option<(Uuid, String, Option<String>)> = match la_code {
        Some(la) => on_tx!(tx, |c| sqlx::query_as(TARGET_BY_LA)
            .bind(la)
            .fetch_optional(c)
            .await)?,
        None => on_tx!(tx, |c| sqlx::query_as(TARGET_BY_KIND)
            .bind(kind)
            .fetch_optional(c)
            .await)?,
    };
    Ok(r.map(|(id, name, email)| Target {
        org_id: OrgId(id),
        name,
        email,
    }))
}

const SET_EMAIL: &str = "update organisations set notify_email = $2 where id = $1";
/// Set (or clear) where an organisation's notifications are e-mailed.
pub async fn set_notify_email(tx: &mut Tx, org: OrgId, email: Option<&str>) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(SET_EMAIL)
        .bind(org.0)
        .bind(email)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

const INSERT_NOTE: &str = "insert into notifications (id, child_id, interview_id, recipient, org_id, org_name, email, subject, body, basis, status, attempts, next_attempt_at, created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $13, $14)";
/// Create a notification (queued when there is an address to e-mail).
pub async fn insert_notification(tx: &mut Tx, n: &Notification, by: UserId) -> DbResult<()> {
    let next = (n.status == DeliveryStatus::Queued).then_some(n.created_at);
    on_tx!(tx, |c| sqlx::query(INSERT_NOTE)
        .bind(n.id)
        .bind(n.child_id.0)
        .bind(n.interview_id)
        .bind(n.recipient.as_str())
        .bind(n.org_id.map(|o| o.0))
        .bind(&n.org_name)
        .bind(&n.email)
        .bind(&n.subject)
        .bind(&n.body)
        .bind(n.basis.as_str())
        .bind(n.status.as_str())
        .bind(next)
        .bind(by.0)
        .bind(n.created_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    id: Uuid,
    child_id: Uuid,
    interview_id: Uuid,
    recipient: String,
    org_id: Option<Uuid>,
    org_name: String,
    email: Option<String>,
    subject: String,
    body: String,
    basis: String,
    status: String,
    attempts: i32,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    received_at: Option<DateTime<Utc>>,
    received_by_name: Option<String>,
}

impl From<NoteRow> for Notification {
    fn from(r: NoteRow) -> Self {
        Notification {
            id: r.id,
            child_id: ChildId(r.child_id),
            interview_id: r.interview_id,
            recipient: Recipient::parse(&r.recipient).unwrap_or(Recipient::Police),
            org_id: r.org_id.map(OrgId),
            org_name: r.org_name,
            email: r.email,
            subject: r.subject,
            body: r.body,
            basis: LawfulBasis::parse(&r.basis).unwrap_or(LawfulBasis::PublicTaskSafeguarding),
            status: DeliveryStatus::parse(&r.status).unwrap_or(DeliveryStatus::Failed),
            attempts: u32::try_from(r.attempts).unwrap_or(0),
            last_error: r.last_error,
            created_at: r.created_at,
            sent_at: r.sent_at,
            received_at: r.received_at,
            received_by: r.received_by_name,
        }
    }
}

macro_rules! note_cols {
    () => {
        "id, child_id, interview_id, recipient, org_id, org_name, email, subject, body, basis, status, attempts, last_error, created_at, sent_at, received_at, received_by_name"
    };
}

const NOTES_FOR_CHILD: &str = concat!(
    "select ",
    note_cols!(),
    " from notifications where child_id = $1 order by created_at desc"
);
/// A child's notifications, newest first (the sender's view).
pub async fn for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Notification>> {
    let rows: Vec<NoteRow> = on_tx!(tx, |c| sqlx::query_as(NOTES_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const NOTES_FOR_ORG: &str = concat!(
    "select ",
    note_cols!(),
    " from notifications where org_id = $1 order by created_at desc limit 200"
);
/// An organisation's notifications, newest first (the recipient's inbox).
pub async fn for_org(tx: &mut Tx, org: OrgId) -> DbResult<Vec<Notification>> {
    let rows: Vec<NoteRow> = on_tx!(tx, |c| sqlx::query_as(NOTES_FOR_ORG)
        .bind(org.0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const NOTE_GET: &str = concat!("select ", note_cols!(), " from notifications where id = $1");
/// One notification.
pub async fn get(tx: &mut Tx, id: Uuid) -> DbResult<Option<Notification>> {
    let r: Option<NoteRow> = on_tx!(tx, |c| sqlx::query_as(NOTE_GET)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const NOTES_DUE: &str = concat!(
    "select ",
    note_cols!(),
    " from notifications where status = 'queued' and next_attempt_at <= $1 order by next_attempt_at limit $2"
);
/// Queued notifications whose next attempt is due.
pub async fn due(tx: &mut Tx, now: DateTime<Utc>, limit: i64) -> DbResult<Vec<Notification>> {
    let rows: Vec<NoteRow> = on_tx!(tx, |c| sqlx::query_as(NOTES_DUE)
        .bind(now)
        .bind(limit)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const MARK_SENT: &str = "update notifications set status = 'sent', sent_at = $2, attempts = attempts + 1, next_attempt_at = null, last_error = null where id = $1 and status = 'queued'";
/// The e-mail went.
pub async fn mark_sent(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(MARK_SENT)
        .bind(id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

const MARK_RETRY: &str = "update notifications set attempts = attempts + 1, last_error = $2, next_attempt_at = $3, status = $4 where id = $1 and status = 'queued'";
/// The e-mail failed: try again at `next`, or give up when `next` is None.
pub async fn mark_failed_attempt(
    tx: &mut Tx,
    id: Uuid,
    error: &str,
    next: Option<DateTime<Utc>>,
) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(MARK_RETRY)
        .bind(id)
        .bind(error)
        .bind(next)
        .bind(if next.is_some() { "queued" } else { "failed" })
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

const MARK_RECEIVED: &str = "update notifications set received_at = $2, received_by = $3, received_by_name = $4 where id = $1 and received_at is null";
/// Someone at the recipient organisation opened it. Only the first counts.
pub async fn mark_received(
    tx: &mut Tx,
    id: Uuid,
    now: DateTime<Utc>,
    by: UserId,
    by_name: &str,
) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(MARK_RECEIVED)
        .bind(id)
        .bind(now)
        .bind(by.0)
        .bind(by_name)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

/// A person or place a child named.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Named {
    /// Identifier.
    pub id: Uuid,
    /// `person` or `place`.
    pub kind: String,
    /// As the child said it.
    pub name: String,
    /// Where it was recorded (`rhi`).
    pub source: String,
    /// The record it came from.
    pub source_id: Uuid,
    /// When the child said it.
    pub named_at: DateTime<Utc>,
}

const INSERT_NAMED: &str = "insert into child_named (id, child_id, kind, name, source, source_id, named_at, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
/// Link a named person or place into the child's record.
pub async fn insert_named(
    tx: &mut Tx,
    ok: &Allowed,
    n: &Named,
    by: UserId,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_NAMED)
        .bind(n.id)
        .bind(ok.child_id().0)
        .bind(&n.kind)
        .bind(&n.name)
        .bind(&n.source)
        .bind(n.source_id)
        .bind(n.named_at)
        .bind(by.0)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const NAMED_FOR_CHILD: &str = "select id, kind, name, source, source_id, named_at from child_named where child_id = $1 order by kind, named_at desc";
/// The people and places a child has named.
pub async fn named_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Named>> {
    let rows: Vec<(Uuid, String, String, String, Uuid, DateTime<Utc>)> =
        on_tx!(tx, |c| sqlx::query_as(NAMED_FOR_CHILD)
            .bind(ok.child_id().0)
            .fetch_all(c)
            .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, name, source, source_id, named_at)| Named {
            id,
            kind,
            name,
            source,
            source_id,
            named_at,
        })
        .collect())
}

/// For the host view: one placed-in child's episodes, interviews and
/// findings sent back to the placing authority.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostStats {
    /// Episodes since the window start.
    pub episodes: i64,
    /// Missing now.
    pub missing_now: bool,
    /// Interviews waiting.
    pub awaiting: i64,
    /// Of which overdue.
    pub overdue: i64,
    /// Notifications to the placing authority.
    pub told: i64,
    /// Of which opened by them.
    pub received: i64,
    /// Not e-mailed or failed, and not opened: someone must tell them.
    pub undelivered: i64,
}

const HOST_STATS: &str = "select c.id, \
 (select count(*) from missing_episodes e where e.child_id = c.id and e.last_seen_at >= $2), \
 exists (select 1 from missing_episodes e where e.child_id = c.id and e.returned_at is null), \
 (select count(*) from rhi_interviews i where i.child_id = c.id and i.outcome = 'awaiting'), \
 (select count(*) from rhi_interviews i where i.child_id = c.id and i.outcome = 'awaiting' and i.due_at < $3), \
 (select count(*) from notifications n where n.child_id = c.id and n.recipient = 'placing_authority'), \
 (select count(*) from notifications n where n.child_id = c.id and n.recipient = 'placing_authority' and n.received_at is not null), \
 (select count(*) from notifications n where n.child_id = c.id and n.recipient = 'placing_authority' and n.received_at is null and n.status in ('not_emailed', 'failed')) \
 from children c where c.responsible_la <> $1";
/// Host-view figures for every child placed here by another authority.
pub async fn host_stats(
    tx: &mut Tx,
    home_la: &str,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> DbResult<Vec<(ChildId, HostStats)>> {
    type R = (Uuid, i64, bool, i64, i64, i64, i64, i64);
    let rows: Vec<R> = on_tx!(tx, |c| sqlx::query_as(HOST_STATS)
        .bind(home_la)
        .bind(since)
        .bind(now)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                ChildId(r.0),
                HostStats {
                    episodes: r.1,
                    missing_now: r.2,
                    awaiting: r.3,
                    overdue: r.4,
                    told: r.5,
                    received: r.6,
                    undelivered: r.7,
                },
            )
        })
        .collect())
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    INSERT_SHARE,
    SHARES_FOR_CHILD,
    TARGET_BY_LA,
    TARGET_BY_KIND,
    SET_EMAIL,
    INSERT_NOTE,
    NOTES_FOR_CHILD,
    NOTES_FOR_ORG,
    NOTE_GET,
    NOTES_DUE,
    MARK_SENT,
    MARK_RETRY,
    MARK_RECEIVED,
    INSERT_NAMED,
    NAMED_FOR_CHILD,
    HOST_STATS,
];
