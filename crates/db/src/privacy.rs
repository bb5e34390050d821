//! Records management and subject access (migration 0021): the facts the
//! retention rules need for every child, review decisions, subject access
//! requests and the items of an assembled response with the reviewer's
//! decision on each. These are the privacy officer's service-wide tables:
//! the service checks `RetentionReview` / `SubjectAccess` before calling,
//! and reads of a child's record for a response go through the ordinary
//! loaders with an `Allowed` from `decide_subject_access`.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::ids::*;
use uuid::Uuid;

/// What the retention rules need about one child.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RetentionRow {
    /// Child.
    pub child_id: Uuid,
    /// LAchildID.
    pub la_child_id: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Date of birth.
    pub dob: NaiveDate,
    /// Record created.
    pub created_at: DateTime<Utc>,
    /// A CLA or care-leaver status, or any placement.
    pub looked_after: bool,
    /// The latest end (else start) of a placement for adoption (A3 to A6).
    pub adoption: Option<NaiveDate>,
    /// A CIN or CP status, an allocation, a missing episode, a screening or
    /// a panel referral.
    pub open_beyond_contact: bool,
    /// The latest note.
    pub last_note: Option<DateTime<Utc>>,
    /// The latest end of a legal status.
    pub last_status_end: Option<NaiveDate>,
}

macro_rules! retention_select {
    () => {
        "select c.id as child_id, c.la_child_id, c.first_name, c.last_name, c.dob, c.created_at, \
     (exists (select 1 from legal_statuses l where l.child_id = c.id and l.status in ('CLA', 'CL')) \
      or exists (select 1 from placements p where p.child_id = c.id)) as looked_after, \
     (select max(coalesce(p.end_date, p.start_date)) from placements p where p.child_id = c.id and p.place_code in ('A3', 'A4', 'A5', 'A6')) as adoption, \
     (exists (select 1 from legal_statuses l where l.child_id = c.id and l.status in ('CIN', 'CP')) \
      or exists (select 1 from allocations a where a.child_id = c.id) \
      or exists (select 1 from missing_episodes m where m.child_id = c.id) \
      or exists (select 1 from screenings s where s.child_id = c.id) \
      or exists (select 1 from panel_referrals r where r.child_id = c.id)) as open_beyond_contact, \
     (select max(n.occurred_at) from case_notes n where n.child_id = c.id) as last_note, \
     (select max(l.end_date) from legal_statuses l where l.child_id = c.id) as last_status_end \
     from children c "
    };
}
const RETENTION_FACTS: &str = concat!(
    retention_select!(),
    "order by c.last_name, c.first_name, c.id"
);
const RETENTION_FACTS_ONE: &str = concat!(retention_select!(), "where c.id = $1");
/// The retention facts of one child.
pub async fn retention_facts_of(tx: &mut Tx, child: ChildId) -> DbResult<Option<RetentionRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(RETENTION_FACTS_ONE)
        .bind(child.0)
        .fetch_optional(c)
        .await)?)
}

/// The retention facts of every child (the service decides first).
pub async fn retention_facts(tx: &mut Tx) -> DbResult<Vec<RetentionRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(RETENTION_FACTS)
        .fetch_all(c)
        .await)?)
}

/// A retention review decision.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RetentionDecision {
    /// Id.
    pub id: Uuid,
    /// Child.
    pub child_id: Uuid,
    /// `keep` or `destroy`.
    pub decision: String,
    /// Kept until (keep only).
    pub keep_until: Option<NaiveDate>,
    /// `HoldReason` machine name (keep only).
    pub hold_reason: Option<String>,
    /// Why.
    pub note: String,
    /// The retention category at the time.
    pub category: String,
    /// The retain-until date at the time.
    pub retain_until: NaiveDate,
    /// Who decided.
    pub decided_by: Uuid,
    /// Their name (filled on read).
    #[sqlx(default)]
    pub decided_by_name: String,
    /// When.
    pub decided_at: DateTime<Utc>,
}

const INSERT_DECISION: &str = "insert into retention_decisions (id, child_id, decision, keep_until, hold_reason, note, category, retain_until, decided_by, decided_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
/// Record a review decision (append-only; the latest per child stands).
pub async fn insert_decision(tx: &mut Tx, d: &RetentionDecision) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_DECISION)
        .bind(d.id)
        .bind(d.child_id)
        .bind(&d.decision)
        .bind(d.keep_until)
        .bind(&d.hold_reason)
        .bind(&d.note)
        .bind(&d.category)
        .bind(d.retain_until)
        .bind(d.decided_by)
        .bind(d.decided_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const DECISIONS: &str = "select d.id, d.child_id, d.decision, d.keep_until, d.hold_reason, d.note, d.category, d.retain_until, d.decided_by, u.name as decided_by_name, d.decided_at from retention_decisions d join users u on u.id = d.decided_by order by d.decided_at, d.id";
/// Every review decision, oldest first (so the last per child stands).
pub async fn decisions(tx: &mut Tx) -> DbResult<Vec<RetentionDecision>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(DECISIONS)
        .fetch_all(c)
        .await)?)
}

/// A subject access request.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SubjectAccessRequest {
    /// Id.
    pub id: Uuid,
    /// The child whose record is asked for.
    pub child_id: Uuid,
    /// The child's name (filled on read).
    #[sqlx(default)]
    pub child_name: String,
    /// The child's LAchildID (filled on read).
    #[sqlx(default)]
    pub la_child_id: String,
    /// Who asked.
    pub requester: String,
    /// Their relationship to the child (the child, a parent, a solicitor…).
    pub relationship: String,
    /// Received.
    pub received_on: NaiveDate,
    /// Identity (and authority to act) checked.
    pub identity_checked: bool,
    /// Extended by two months as complex.
    pub extended: bool,
    /// Why it is complex.
    pub extension_reason: Option<String>,
    /// Response due.
    pub due_on: NaiveDate,
    /// Logged by.
    pub logged_by: Uuid,
    /// Their name (filled on read).
    #[sqlx(default)]
    pub logged_by_name: String,
    /// Logged.
    pub logged_at: DateTime<Utc>,
    /// The record was assembled.
    pub assembled_at: Option<DateTime<Utc>>,
    /// The response was exported (first time).
    pub exported_at: Option<DateTime<Utc>>,
    /// By whom.
    pub exported_by: Option<Uuid>,
}

const INSERT_REQUEST: &str = "insert into subject_access_requests (id, child_id, requester, relationship, received_on, identity_checked, extended, extension_reason, due_on, logged_by, logged_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
/// Log a request.
pub async fn insert_request(tx: &mut Tx, r: &SubjectAccessRequest) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_REQUEST)
        .bind(r.id)
        .bind(r.child_id)
        .bind(&r.requester)
        .bind(&r.relationship)
        .bind(r.received_on)
        .bind(r.identity_checked)
        .bind(r.extended)
        .bind(&r.extension_reason)
        .bind(r.due_on)
        .bind(r.logged_by)
        .bind(r.logged_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const GET_REQUEST: &str = "select r.id, r.child_id, c.first_name || ' ' || c.last_name as child_name, c.la_child_id, r.requester, r.relationship, r.received_on, r.identity_checked, r.extended, r.extension_reason, r.due_on, r.logged_by, u.name as logged_by_name, r.logged_at, r.assembled_at, r.exported_at, r.exported_by from subject_access_requests r join children c on c.id = r.child_id join users u on u.id = r.logged_by where r.id = $1";
const LIST_REQUESTS: &str = "select r.id, r.child_id, c.first_name || ' ' || c.last_name as child_name, c.la_child_id, r.requester, r.relationship, r.received_on, r.identity_checked, r.extended, r.extension_reason, r.due_on, r.logged_by, u.name as logged_by_name, r.logged_at, r.assembled_at, r.exported_at, r.exported_by from subject_access_requests r join children c on c.id = r.child_id join users u on u.id = r.logged_by order by (r.exported_at is null) desc, r.due_on, r.id";

/// One request.
pub async fn get_request(tx: &mut Tx, id: Uuid) -> DbResult<Option<SubjectAccessRequest>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(GET_REQUEST)
        .bind(id)
        .fetch_optional(c)
        .await)?)
}

/// Every request: open ones first, soonest due first.
pub async fn list_requests(tx: &mut Tx) -> DbResult<Vec<SubjectAccessRequest>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(LIST_REQUESTS)
        .fetch_all(c)
        .await)?)
}

const MARK_ASSEMBLED: &str =
    "update subject_access_requests set assembled_at = $2 where id = $1 and assembled_at is null";
/// Mark a request assembled; false if it already was (assembled once).
pub async fn mark_assembled(tx: &mut Tx, id: Uuid, at: DateTime<Utc>) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(MARK_ASSEMBLED)
        .bind(id)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

const MARK_EXPORTED: &str = "update subject_access_requests set exported_at = $2, exported_by = $3 where id = $1 and exported_at is null";
/// Record the first export (later exports are audited but keep the date).
pub async fn mark_exported(tx: &mut Tx, id: Uuid, at: DateTime<Utc>, by: UserId) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(MARK_EXPORTED)
        .bind(id)
        .bind(at)
        .bind(by.0)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// One item of an assembled response.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SubjectAccessItem {
    /// The request.
    pub request_id: Uuid,
    /// Order in the response (from 1).
    pub position: i64,
    /// Section (details, notes, placements…).
    pub section: String,
    /// A short title (date and kind).
    pub title: String,
    /// The text as held.
    pub original: String,
    /// Other people named in it, `; `-separated; empty if none (then the
    /// item needs no decision and is released as held).
    pub names: String,
    /// `ItemDecision` machine name.
    pub decision: Option<String>,
    /// The redacted copy.
    pub redacted: Option<String>,
    /// `Exemption` machine name.
    pub exemption: Option<String>,
    /// Who decided.
    pub decided_by: Option<Uuid>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
}

const INSERT_ITEM: &str = "insert into subject_access_items (request_id, position, section, title, original, names) values ($1, $2, $3, $4, $5, $6)";
/// Store an assembled item.
pub async fn insert_item(tx: &mut Tx, i: &SubjectAccessItem) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_ITEM)
        .bind(i.request_id)
        .bind(i.position)
        .bind(&i.section)
        .bind(&i.title)
        .bind(&i.original)
        .bind(&i.names)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const ITEMS: &str = "select request_id, position, section, title, original, names, decision, redacted, exemption, decided_by, decided_at from subject_access_items where request_id = $1 order by position";
/// A request's items, in order.
pub async fn items(tx: &mut Tx, request: Uuid) -> DbResult<Vec<SubjectAccessItem>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(ITEMS)
        .bind(request)
        .fetch_all(c)
        .await)?)
}

const DECIDE_ITEM: &str = "update subject_access_items set decision = $3, redacted = $4, exemption = $5, decided_by = $6, decided_at = $7 where request_id = $1 and position = $2";
/// Record the reviewer's decision on an item (a later decision replaces an
/// earlier one until the response is exported; each is audited). False if
/// there is no such item.
#[allow(clippy::too_many_arguments)]
pub async fn decide_item(
    tx: &mut Tx,
    request: Uuid,
    position: i64,
    decision: &str,
    redacted: Option<&str>,
    exemption: Option<&str>,
    by: UserId,
    at: DateTime<Utc>,
) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(DECIDE_ITEM)
        .bind(request)
        .bind(position)
        .bind(decision)
        .bind(redacted)
        .bind(exemption)
        .bind(by.0)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    RETENTION_FACTS,
    RETENTION_FACTS_ONE,
    INSERT_DECISION,
    DECISIONS,
    INSERT_REQUEST,
    GET_REQUEST,
    LIST_REQUESTS,
    MARK_ASSEMBLED,
    MARK_EXPORTED,
    INSERT_ITEM,
    ITEMS,
    DECIDE_ITEM,
];
