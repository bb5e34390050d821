//! Proposed panel referrals and the decisions on them. Reading or writing a
//! child's proposals takes an [`Allowed`]; [`get`] (to learn which child to
//! authorise against), [`queue`] (after a role check; the service then asks
//! the policy about each child) and [`accepted_unreferred`] /
//! [`mark_referred`] (for the panel module, which makes the referrals) do not.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::authz::Allowed;
use harbour_domain::escalation::*;
use harbour_domain::ids::*;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    child_id: Uuid,
    grounds: String,
    detail: String,
    source: String,
    proposed_at: DateTime<Utc>,
    status: String,
    decided_by: Option<Uuid>,
    decided_by_name: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    reason: Option<String>,
    referred_at: Option<DateTime<Utc>>,
}

impl From<Row> for Proposal {
    fn from(r: Row) -> Self {
        Proposal {
            id: r.id,
            child_id: ChildId(r.child_id),
            grounds: r.grounds,
            detail: r.detail,
            source: r.source,
            proposed_at: r.proposed_at,
            status: Status::parse(&r.status).unwrap_or(Status::Pending),
            decided_by: r.decided_by.map(UserId),
            decided_by_name: r.decided_by_name,
            decided_at: r.decided_at,
            reason: r.reason,
            referred_at: r.referred_at,
        }
    }
}

macro_rules! select_proposal {
    () => {
        "select p.id, p.child_id, p.grounds, p.detail, p.source, p.proposed_at, p.status, p.decided_by, u.name as decided_by_name, p.decided_at, p.reason, p.referred_at from escalation_proposals p left join users u on u.id = p.decided_by "
    };
}

const FOR_CHILD: &str = concat!(
    select_proposal!(),
    "where p.child_id = $1 order by p.proposed_at desc, p.id desc"
);
/// The child's proposals, newest first.
pub async fn for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Proposal>> {
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const GET: &str = concat!(select_proposal!(), "where p.id = $1");
/// One proposal by id (to learn which child to decide on).
pub async fn get(tx: &mut Tx, id: Uuid) -> DbResult<Option<Proposal>> {
    let r: Option<Row> = on_tx!(tx, |c| sqlx::query_as(GET).bind(id).fetch_optional(c).await)?;
    Ok(r.map(Into::into))
}

const INSERT: &str = "insert into escalation_proposals (id, child_id, grounds, detail, source, proposed_at, status) values ($1, $2, $3, $4, $5, $6, 'pending')";
/// Store a pending proposal for the child in `ok`. A second pending one for
/// the same child is a unique violation.
pub async fn insert(tx: &mut Tx, ok: &Allowed, p: &Proposal) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT)
        .bind(p.id)
        .bind(ok.child_id().0)
        .bind(&p.grounds)
        .bind(&p.detail)
        .bind(&p.source)
        .bind(p.proposed_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const DECIDE: &str = "update escalation_proposals set status = $3, decided_by = $4, decided_at = $5, reason = $6 where id = $1 and child_id = $2 and status = 'pending'";
/// Accept or decline a pending proposal of the child in `ok`. False when it
/// is not (or no longer) pending.
pub async fn decide(
    tx: &mut Tx,
    ok: &Allowed,
    id: Uuid,
    accept: bool,
    by: UserId,
    at: DateTime<Utc>,
    reason: &str,
) -> DbResult<bool> {
    let status = if accept {
        Status::Accepted
    } else {
        Status::Declined
    };
    let n = on_tx!(tx, |c| sqlx::query(DECIDE)
        .bind(id)
        .bind(ok.child_id().0)
        .bind(status.code())
        .bind(by.0)
        .bind(at)
        .bind(reason)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// A pending proposal in the queue, with the child's name.
#[derive(Clone, Debug)]
pub struct QueueItem {
    /// The proposal.
    pub proposal: Proposal,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Date of birth.
    pub dob: NaiveDate,
}

const QUEUE: &str = concat!(
    "select p.id, p.child_id, p.grounds, p.detail, p.source, p.proposed_at, p.status, p.decided_by, u.name as decided_by_name, p.decided_at, p.reason, p.referred_at, c.first_name, c.last_name, c.dob from escalation_proposals p left join users u on u.id = p.decided_by join children c on c.id = p.child_id ",
    "where p.status = 'pending' order by p.proposed_at"
);
/// Every pending proposal, oldest first. The caller keeps only the children
/// the policy lets the viewer decide on.
pub async fn queue(tx: &mut Tx) -> DbResult<Vec<QueueItem>> {
    #[derive(sqlx::FromRow)]
    struct QRow {
        #[sqlx(flatten)]
        row: Row,
        first_name: String,
        last_name: String,
        dob: NaiveDate,
    }
    let rows: Vec<QRow> = on_tx!(tx, |c| sqlx::query_as(QUEUE).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|r| QueueItem {
            proposal: r.row.into(),
            first_name: r.first_name,
            last_name: r.last_name,
            dob: r.dob,
        })
        .collect())
}

const ACCEPTED_UNREFERRED: &str = concat!(
    select_proposal!(),
    "where p.status = 'accepted' and p.referred_at is null order by p.decided_at"
);
/// Accepted proposals the panel has not yet turned into referrals, oldest
/// decision first. For the panel module, which makes the referral and then
/// calls [`mark_referred`] in the same transaction.
pub async fn accepted_unreferred(tx: &mut Tx) -> DbResult<Vec<Proposal>> {
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(ACCEPTED_UNREFERRED)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const MARK_REFERRED: &str = "update escalation_proposals set referred_at = $2 where id = $1 and status = 'accepted' and referred_at is null";
/// Record that an accepted proposal became a referral. False when it was
/// not accepted or already referred.
pub async fn mark_referred(tx: &mut Tx, id: Uuid, at: DateTime<Utc>) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(MARK_REFERRED)
        .bind(id)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    FOR_CHILD,
    GET,
    INSERT,
    DECIDE,
    QUEUE,
    ACCEPTED_UNREFERRED,
    MARK_REFERRED,
];
