//! What is recorded about a child: notes, decisions, allocations,
//! relationships, legal statuses, placements, addresses, alerts, shares and
//! break-glass grants. Functions that read or write a child's record take an
//! [`Allowed`] from the policy, so they cannot be called without a decision.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::authz::Allowed;
use harbour_domain::codes::LegalStatusKind;
use harbour_domain::ids::*;
use harbour_domain::model::*;
use uuid::Uuid;

// ---------- notes ----------

const INSERT_NOTE: &str = "insert into case_notes (id, child_id, author_id, kind, occurred_at, recorded_at, subject, body, significant) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
/// Record a note.
pub async fn insert_note(tx: &mut Tx, ok: &Allowed, n: &CaseNote) -> DbResult<()> {
    debug_assert_eq!(ok.child_id(), n.child_id);
    on_tx!(tx, |c| sqlx::query(INSERT_NOTE)
        .bind(n.id.0)
        .bind(ok.child_id().0)
        .bind(n.author_id.0)
        .bind(n.kind.as_str())
        .bind(n.occurred_at)
        .bind(n.recorded_at)
        .bind(&n.subject)
        .bind(&n.body)
        .bind(n.significant)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    id: Uuid,
    child_id: Uuid,
    author_id: Uuid,
    author_name: String,
    kind: String,
    occurred_at: DateTime<Utc>,
    recorded_at: DateTime<Utc>,
    subject: String,
    body: String,
    significant: bool,
}

const NOTES: &str = "select n.id, n.child_id, n.author_id, u.name as author_name, n.kind, n.occurred_at, n.recorded_at, n.subject, n.body, n.significant from case_notes n join users u on u.id = n.author_id where n.child_id = $1 order by n.occurred_at desc, n.id desc";
/// A child's notes, newest first.
pub async fn notes(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<CaseNote>> {
    let rows: Vec<NoteRow> = on_tx!(tx, |c| sqlx::query_as(NOTES)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| CaseNote {
            id: NoteId(r.id),
            child_id: ChildId(r.child_id),
            author_id: UserId(r.author_id),
            author_name: r.author_name,
            kind: NoteKind::parse(&r.kind).unwrap_or(NoteKind::Other),
            occurred_at: r.occurred_at,
            recorded_at: r.recorded_at,
            subject: r.subject,
            body: r.body,
            significant: r.significant,
        })
        .collect())
}

// ---------- decisions ----------

const INSERT_DECISION: &str = "insert into decisions (id, child_id, decided_by, recorded_by, decided_at, recorded_at, decision, rationale, significant) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
/// Record a decision.
pub async fn insert_decision(tx: &mut Tx, ok: &Allowed, d: &Decision) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_DECISION)
        .bind(d.id.0)
        .bind(ok.child_id().0)
        .bind(d.decided_by.0)
        .bind(d.recorded_by.0)
        .bind(d.decided_at)
        .bind(d.recorded_at)
        .bind(&d.decision)
        .bind(&d.rationale)
        .bind(d.significant)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct DecisionRow {
    id: Uuid,
    child_id: Uuid,
    decided_by: Uuid,
    decided_by_name: String,
    recorded_by: Uuid,
    recorded_by_name: String,
    decided_at: DateTime<Utc>,
    recorded_at: DateTime<Utc>,
    decision: String,
    rationale: String,
    significant: bool,
}

const DECISIONS: &str = "select d.id, d.child_id, d.decided_by, m.name as decided_by_name, d.recorded_by, r.name as recorded_by_name, d.decided_at, d.recorded_at, d.decision, d.rationale, d.significant from decisions d join users m on m.id = d.decided_by join users r on r.id = d.recorded_by where d.child_id = $1 order by d.decided_at desc, d.id desc";
/// A child's decisions, newest first.
pub async fn decisions(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Decision>> {
    let rows: Vec<DecisionRow> = on_tx!(tx, |c| sqlx::query_as(DECISIONS)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| Decision {
            id: DecisionId(r.id),
            child_id: ChildId(r.child_id),
            decided_by: UserId(r.decided_by),
            decided_by_name: r.decided_by_name,
            recorded_by: UserId(r.recorded_by),
            recorded_by_name: r.recorded_by_name,
            decided_at: r.decided_at,
            recorded_at: r.recorded_at,
            decision: r.decision,
            rationale: r.rationale,
            significant: r.significant,
        })
        .collect())
}

// ---------- allocations ----------

const INSERT_ALLOCATION: &str = "insert into allocations (id, child_id, worker_id, team_id, start_date, end_date, sw_reason, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
/// Add an allocation (the open one must have been ended first).
pub async fn insert_allocation(tx: &mut Tx, ok: &Allowed, a: &Allocation) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_ALLOCATION)
        .bind(a.id.0)
        .bind(ok.child_id().0)
        .bind(a.worker_id.0)
        .bind(a.team_id.map(|t| t.0))
        .bind(a.start_date)
        .bind(a.end_date)
        .bind(&a.sw_reason)
        .bind(a.recorded_by.0)
        .bind(a.recorded_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const END_ALLOCATION: &str =
    "update allocations set end_date = $2 where child_id = $1 and end_date is null";
/// End the child's open allocation on `end`. Returns whether one was open.
pub async fn end_open_allocation(tx: &mut Tx, ok: &Allowed, end: NaiveDate) -> DbResult<bool> {
    let r = on_tx!(tx, |c| sqlx::query(END_ALLOCATION)
        .bind(ok.child_id().0)
        .bind(end)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(r))
}

#[derive(sqlx::FromRow)]
struct AllocationRow {
    id: Uuid,
    child_id: Uuid,
    worker_id: Uuid,
    worker_name: String,
    team_id: Option<Uuid>,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    sw_reason: String,
    recorded_by: Uuid,
    recorded_at: DateTime<Utc>,
}

const ALLOCATIONS: &str = "select a.id, a.child_id, a.worker_id, u.name as worker_name, a.team_id, a.start_date, a.end_date, a.sw_reason, a.recorded_by, a.recorded_at from allocations a join users u on u.id = a.worker_id where a.child_id = $1 order by a.start_date desc, a.recorded_at desc";
/// A child's allocation history, newest first.
pub async fn allocations(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Allocation>> {
    let rows: Vec<AllocationRow> = on_tx!(tx, |c| sqlx::query_as(ALLOCATIONS)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| Allocation {
            id: AllocationId(r.id),
            child_id: ChildId(r.child_id),
            worker_id: UserId(r.worker_id),
            worker_name: r.worker_name,
            team_id: r.team_id.map(TeamId),
            start_date: r.start_date,
            end_date: r.end_date,
            sw_reason: r.sw_reason,
            recorded_by: UserId(r.recorded_by),
            recorded_at: r.recorded_at,
        })
        .collect())
}

// ---------- relationships ----------

const INSERT_RELATIONSHIP: &str = "insert into relationships (id, child_id, kind, name, role, organisation, phone, parental_responsibility) values ($1, $2, $3, $4, $5, $6, $7, $8)";
/// Add a person around the child.
pub async fn insert_relationship(tx: &mut Tx, ok: &Allowed, r: &Relationship) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_RELATIONSHIP)
        .bind(r.id.0)
        .bind(ok.child_id().0)
        .bind(r.kind.as_str())
        .bind(&r.name)
        .bind(&r.role)
        .bind(&r.organisation)
        .bind(&r.phone)
        .bind(r.parental_responsibility)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct RelationshipRow {
    id: Uuid,
    child_id: Uuid,
    kind: String,
    name: String,
    role: String,
    organisation: Option<String>,
    phone: Option<String>,
    parental_responsibility: bool,
}

const RELATIONSHIPS: &str = "select id, child_id, kind, name, role, organisation, phone, parental_responsibility from relationships where child_id = $1 order by kind, name";
/// The people around a child.
pub async fn relationships(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Relationship>> {
    let rows: Vec<RelationshipRow> = on_tx!(tx, |c| sqlx::query_as(RELATIONSHIPS)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| Relationship {
            id: RelationshipId(r.id),
            child_id: ChildId(r.child_id),
            kind: RelationshipKind::parse(&r.kind).unwrap_or(RelationshipKind::Professional),
            name: r.name,
            role: r.role,
            organisation: r.organisation,
            phone: r.phone,
            parental_responsibility: r.parental_responsibility,
        })
        .collect())
}

// ---------- legal status, placements, addresses ----------

const INSERT_LEGAL: &str = "insert into legal_statuses (id, child_id, status, start_date, end_date, recorded_at) values ($1, $2, $3, $4, $5, $6)";
/// Add a legal status period.
pub async fn insert_legal_status(tx: &mut Tx, ok: &Allowed, l: &LegalStatusPeriod) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_LEGAL)
        .bind(l.id.0)
        .bind(ok.child_id().0)
        .bind(l.status.as_str())
        .bind(l.start_date)
        .bind(l.end_date)
        .bind(l.recorded_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const LEGAL: &str = "select id, child_id, status, start_date, end_date, recorded_at from legal_statuses where child_id = $1 order by start_date desc";
/// Legal status history, newest first.
pub async fn legal_statuses(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<LegalStatusPeriod>> {
    type R = (
        Uuid,
        Uuid,
        String,
        NaiveDate,
        Option<NaiveDate>,
        DateTime<Utc>,
    );
    let rows: Vec<R> = on_tx!(tx, |c| sqlx::query_as(LEGAL)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, child, status, start_date, end_date, recorded_at)| {
            Some(LegalStatusPeriod {
                id: LegalStatusId(id),
                child_id: ChildId(child),
                status: LegalStatusKind::parse(&status)?,
                start_date,
                end_date,
                recorded_at,
            })
        })
        .collect())
}

const INSERT_PLACEMENT: &str = "insert into placements (id, child_id, place_code, provider_code, carer_name, carer_phone, postcode, area_la, start_date, end_date) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
/// Add a placement.
pub async fn insert_placement(tx: &mut Tx, ok: &Allowed, p: &Placement) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_PLACEMENT)
        .bind(p.id.0)
        .bind(ok.child_id().0)
        .bind(&p.place_code)
        .bind(&p.provider_code)
        .bind(&p.carer_name)
        .bind(&p.carer_phone)
        .bind(&p.postcode)
        .bind(&p.area_la)
        .bind(p.start_date)
        .bind(p.end_date)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct PlacementRow {
    id: Uuid,
    child_id: Uuid,
    place_code: String,
    provider_code: String,
    carer_name: String,
    carer_phone: Option<String>,
    postcode: String,
    area_la: String,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
}

const PLACEMENTS: &str = "select id, child_id, place_code, provider_code, carer_name, carer_phone, postcode, area_la, start_date, end_date from placements where child_id = $1 order by start_date desc";
/// Placements, newest first.
pub async fn placements(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Placement>> {
    let rows: Vec<PlacementRow> = on_tx!(tx, |c| sqlx::query_as(PLACEMENTS)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| Placement {
            id: PlacementId(r.id),
            child_id: ChildId(r.child_id),
            place_code: r.place_code,
            provider_code: r.provider_code,
            carer_name: r.carer_name,
            carer_phone: r.carer_phone,
            postcode: r.postcode,
            area_la: r.area_la,
            start_date: r.start_date,
            end_date: r.end_date,
        })
        .collect())
}

const INSERT_ADDRESS: &str = "insert into child_addresses (id, child_id, line1, town, postcode, from_date, to_date) values ($1, $2, $3, $4, $5, $6, $7)";
/// Add an address.
pub async fn insert_address(tx: &mut Tx, ok: &Allowed, a: &Address) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_ADDRESS)
        .bind(a.id.0)
        .bind(ok.child_id().0)
        .bind(&a.line1)
        .bind(&a.town)
        .bind(&a.postcode)
        .bind(a.from_date)
        .bind(a.to_date)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const ADDRESSES: &str = "select id, child_id, line1, town, postcode, from_date, to_date from child_addresses where child_id = $1 order by from_date desc";
/// Addresses, newest first.
pub async fn addresses(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Address>> {
    type R = (
        Uuid,
        Uuid,
        String,
        String,
        String,
        NaiveDate,
        Option<NaiveDate>,
    );
    let rows: Vec<R> = on_tx!(tx, |c| sqlx::query_as(ADDRESSES)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, child, line1, town, postcode, from_date, to_date)| Address {
                id: AddressId(id),
                child_id: ChildId(child),
                line1,
                town,
                postcode,
                from_date,
                to_date,
            },
        )
        .collect())
}

// ---------- alerts ----------

const INSERT_ALERT: &str =
    "insert into alerts (id, child_id, text, created_at, expires_at) values ($1, $2, $3, $4, $5)";
/// Add an alert.
pub async fn insert_alert(tx: &mut Tx, ok: &Allowed, a: &Alert) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_ALERT)
        .bind(a.id.0)
        .bind(ok.child_id().0)
        .bind(&a.text)
        .bind(a.created_at)
        .bind(a.expires_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const ALERTS: &str = "select id, child_id, text, created_at, expires_at from alerts where child_id = $1 and (expires_at is null or expires_at > $2) order by created_at desc";
/// Active alerts.
pub async fn alerts(tx: &mut Tx, ok: &Allowed, now: DateTime<Utc>) -> DbResult<Vec<Alert>> {
    type R = (Uuid, Uuid, String, DateTime<Utc>, Option<DateTime<Utc>>);
    let rows: Vec<R> = on_tx!(tx, |c| sqlx::query_as(ALERTS)
        .bind(ok.child_id().0)
        .bind(now)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, child, text, created_at, expires_at)| Alert {
            id: AlertId(id),
            child_id: ChildId(child),
            text,
            created_at,
            expires_at,
        })
        .collect())
}

// ---------- shares ----------

const INSERT_SHARE: &str = "insert into shares (id, child_id, org_id, scope, reason, granted_by, granted_at, expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8)";
/// Share a child's record with an organisation.
pub async fn insert_share(tx: &mut Tx, ok: &Allowed, s: &Share) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_SHARE)
        .bind(s.id.0)
        .bind(ok.child_id().0)
        .bind(s.org_id.0)
        .bind(s.scope.as_str())
        .bind(&s.reason)
        .bind(s.granted_by.0)
        .bind(s.granted_at)
        .bind(s.expires_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ShareRow {
    id: Uuid,
    child_id: Uuid,
    org_id: Uuid,
    org_name: String,
    scope: String,
    reason: String,
    granted_by: Uuid,
    granted_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
}

const SHARES: &str = "select s.id, s.child_id, s.org_id, o.name as org_name, s.scope, s.reason, s.granted_by, s.granted_at, s.expires_at from shares s join organisations o on o.id = s.org_id where s.child_id = $1 and (s.expires_at is null or s.expires_at > $2) order by s.granted_at desc";
/// Current shares of a child.
pub async fn shares(tx: &mut Tx, ok: &Allowed, now: DateTime<Utc>) -> DbResult<Vec<Share>> {
    let rows: Vec<ShareRow> = on_tx!(tx, |c| sqlx::query_as(SHARES)
        .bind(ok.child_id().0)
        .bind(now)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| Share {
            id: ShareId(r.id),
            child_id: ChildId(r.child_id),
            org_id: OrgId(r.org_id),
            org_name: r.org_name,
            scope: ShareScope::parse(&r.scope).unwrap_or(ShareScope::Summary),
            reason: r.reason,
            granted_by: UserId(r.granted_by),
            granted_at: r.granted_at,
            expires_at: r.expires_at,
        })
        .collect())
}

// ---------- break-glass ----------

const INSERT_BREAK_GLASS: &str = "insert into break_glass (id, user_id, child_id, reason, granted_at, expires_at) values ($1, $2, $3, $4, $5, $6)";
/// Record a break-glass grant. It is a policy input, not a policy decision, so it takes a plain id.
pub async fn insert_break_glass(tx: &mut Tx, b: &BreakGlass) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_BREAK_GLASS)
        .bind(b.id.0)
        .bind(b.user_id.0)
        .bind(b.child_id.0)
        .bind(&b.reason)
        .bind(b.granted_at)
        .bind(b.expires_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct BreakGlassRow {
    id: Uuid,
    user_id: Uuid,
    user_name: String,
    child_id: Uuid,
    reason: String,
    granted_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    reviewed_at: Option<DateTime<Utc>>,
}

impl From<BreakGlassRow> for BreakGlass {
    fn from(r: BreakGlassRow) -> Self {
        BreakGlass {
            id: BreakGlassId(r.id),
            user_id: UserId(r.user_id),
            user_name: r.user_name,
            child_id: ChildId(r.child_id),
            reason: r.reason,
            granted_at: r.granted_at,
            expires_at: r.expires_at,
            reviewed_at: r.reviewed_at,
        }
    }
}

const BREAK_GLASS_RECENT: &str = "select b.id, b.user_id, u.name as user_name, b.child_id, b.reason, b.granted_at, b.expires_at, b.reviewed_at from break_glass b join users u on u.id = b.user_id order by b.reviewed_at is not null, b.granted_at desc limit 200";
/// Break-glass grants, unreviewed first, for the privacy officer.
pub async fn break_glass_recent(tx: &mut Tx) -> DbResult<Vec<BreakGlass>> {
    let rows: Vec<BreakGlassRow> = on_tx!(tx, |c| sqlx::query_as(BREAK_GLASS_RECENT)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const BREAK_GLASS_REVIEW: &str = "update break_glass set reviewed_at = $2, reviewed_by = $3 where id = $1 and reviewed_at is null";
/// Mark a grant reviewed.
pub async fn review_break_glass(
    tx: &mut Tx,
    id: BreakGlassId,
    now: DateTime<Utc>,
    by: UserId,
) -> DbResult<bool> {
    let r = on_tx!(tx, |c| sqlx::query(BREAK_GLASS_REVIEW)
        .bind(id.0)
        .bind(now)
        .bind(by.0)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(r))
}

const BREAK_GLASS_UNREVIEWED: &str = "select count(*) from break_glass where reviewed_at is null";
/// How many grants await review.
pub async fn break_glass_unreviewed(tx: &mut Tx) -> DbResult<i64> {
    let (n,): (i64,) = on_tx!(tx, |c| sqlx::query_as(BREAK_GLASS_UNREVIEWED)
        .fetch_one(c)
        .await)?;
    Ok(n)
}

// ---------- aggregates ----------

const COUNT_BY_STATUS: &str = "select status, count(*) from legal_statuses where end_date is null group by status order by status";
/// Children by current legal status.
pub async fn count_by_status(tx: &mut Tx) -> DbResult<Vec<(String, i64)>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(COUNT_BY_STATUS)
        .fetch_all(c)
        .await)?)
}

/// A worker's open caseload.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CaseloadRow {
    /// Worker.
    pub worker_id: Uuid,
    /// Name.
    pub name: String,
    /// Team.
    pub team_name: Option<String>,
    /// ASYE start.
    pub asye_start: Option<NaiveDate>,
    /// FTE in hundredths.
    pub fte_hundredths: i32,
    /// Children allocated now.
    pub children: i64,
}

const CASELOADS: &str = "select u.id as worker_id, u.name, t.name as team_name, u.asye_start, u.fte_hundredths, count(a.id) as children from users u left join teams t on t.id = u.team_id left join allocations a on a.worker_id = u.id and a.end_date is null where u.role in ('social_worker', 'team_manager') and u.disabled_at is null group by u.id, u.name, t.name, u.asye_start, u.fte_hundredths order by children desc, u.name";
/// Open caseloads of every case-holding worker.
pub async fn caseloads(tx: &mut Tx) -> DbResult<Vec<CaseloadRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(CASELOADS)
        .fetch_all(c)
        .await)?)
}

const COUNTS: &str = "select (select count(*) from children), (select count(*) from children c where not exists (select 1 from allocations a where a.child_id = c.id and a.end_date is null)), (select count(*) from children where host_la is not null and responsible_la <> host_la and host_la = $1), (select count(*) from children where host_la is not null and responsible_la = $1 and host_la <> $1)";
/// (children, unallocated, placed in by other authorities, placed out of area) for the home LA.
pub async fn headline_counts(tx: &mut Tx, home_la: &str) -> DbResult<(i64, i64, i64, i64)> {
    Ok(on_tx!(tx, |c| sqlx::query_as(COUNTS)
        .bind(home_la)
        .fetch_one(c)
        .await)?)
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    INSERT_NOTE,
    NOTES,
    INSERT_DECISION,
    DECISIONS,
    INSERT_ALLOCATION,
    END_ALLOCATION,
    ALLOCATIONS,
    INSERT_RELATIONSHIP,
    RELATIONSHIPS,
    INSERT_LEGAL,
    LEGAL,
    INSERT_PLACEMENT,
    PLACEMENTS,
    INSERT_ADDRESS,
    ADDRESSES,
    INSERT_ALERT,
    ALERTS,
    INSERT_SHARE,
    SHARES,
    INSERT_BREAK_GLASS,
    BREAK_GLASS_RECENT,
    BREAK_GLASS_REVIEW,
    BREAK_GLASS_UNREVIEWED,
    COUNT_BY_STATUS,
    CASELOADS,
    COUNTS,
];
