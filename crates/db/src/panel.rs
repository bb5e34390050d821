//! The exploitation and missing panel: referrals, meetings, attendance,
//! discussions and actions; and the information-sharing log (disclosures).
//! Writes about one child take the policy's [`Allowed`] for that child.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::authz::Allowed;
use harbour_domain::findings::LawfulBasis;
use harbour_domain::ids::*;
use harbour_domain::panel::*;
use uuid::Uuid;

/// Every query text, for the preparation test.
pub const QUERIES: &[&str] = &[
    INSERT_REFERRAL,
    REFERRALS_OPEN,
    REFERRALS_FOR_CHILD,
    REFERRAL,
    REVIEW_REFERRAL,
    CLOSE_REFERRAL,
    INSERT_MEETING,
    MEETINGS,
    MEETING,
    INSERT_ATTENDEE,
    ATTENDEES,
    INSERT_DISCUSSION,
    DISCUSSIONS_FOR_MEETING,
    DISCUSSIONS_FOR_CHILD,
    INSERT_ACTION,
    ACTIONS_FOR_MEETING,
    ACTIONS_FOR_CHILD,
    ACTIONS_ALL,
    ACTIONS_FOR_ORG,
    ACTION,
    UPDATE_ACTION,
    INSERT_DISCLOSURE,
    DISCLOSURES_FOR_CHILD,
    DISCLOSURES_RECENT,
];

// ---------- referrals ----------

#[derive(sqlx::FromRow)]
struct ReferralRow {
    id: Uuid,
    child_id: Uuid,
    first_name: String,
    last_name: String,
    panel_type: String,
    referred_by: Uuid,
    referred_by_name: String,
    referred_at: DateTime<Utc>,
    reason: String,
    risk: String,
    basis: String,
    consent: String,
    next_review: Option<NaiveDate>,
    first_discussed: Option<NaiveDate>,
    closed_at: Option<DateTime<Utc>>,
    closure_reason: Option<String>,
}

impl From<ReferralRow> for Referral {
    fn from(r: ReferralRow) -> Self {
        Referral {
            id: r.id,
            child_id: ChildId(r.child_id),
            child_name: format!("{} {}", r.first_name, r.last_name),
            panel_type: PanelType::parse(&r.panel_type).unwrap_or(PanelType::Mace),
            referred_by: UserId(r.referred_by),
            referred_by_name: r.referred_by_name,
            referred_at: r.referred_at,
            reason: r.reason,
            risk: RiskLevel::parse(&r.risk).unwrap_or(RiskLevel::High),
            basis: LawfulBasis::parse(&r.basis).unwrap_or(LawfulBasis::PublicTaskSafeguarding),
            consent: r.consent,
            next_review: r.next_review,
            first_discussed: r.first_discussed,
            closed_at: r.closed_at,
            closure_reason: r.closure_reason,
        }
    }
}

const INSERT_REFERRAL: &str = "insert into panel_referrals (id, child_id, panel_type, referred_by, referred_at, reason, risk, basis, consent) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
/// Refer a child to a panel.
pub async fn insert_referral(tx: &mut Tx, ok: &Allowed, r: &Referral) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_REFERRAL)
        .bind(r.id)
        .bind(ok.child_id().0)
        .bind(r.panel_type.as_str())
        .bind(r.referred_by.0)
        .bind(r.referred_at)
        .bind(&r.reason)
        .bind(r.risk.as_str())
        .bind(r.basis.as_str())
        .bind(&r.consent)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const REFERRALS_OPEN: &str = "select r.id, r.child_id, c.first_name, c.last_name, r.panel_type, r.referred_by, u.name as referred_by_name, r.referred_at, r.reason, r.risk, r.basis, r.consent, r.next_review, r.first_discussed, r.closed_at, r.closure_reason from panel_referrals r join children c on c.id = r.child_id join users u on u.id = r.referred_by where r.closed_at is null order by r.referred_at";
/// Open referrals across the service (the coordinator's list and the agenda's source).
pub async fn referrals_open(tx: &mut Tx) -> DbResult<Vec<Referral>> {
    let rows: Vec<ReferralRow> = on_tx!(tx, |c| sqlx::query_as(REFERRALS_OPEN).fetch_all(c).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const REFERRALS_FOR_CHILD: &str = "select r.id, r.child_id, c.first_name, c.last_name, r.panel_type, r.referred_by, u.name as referred_by_name, r.referred_at, r.reason, r.risk, r.basis, r.consent, r.next_review, r.first_discussed, r.closed_at, r.closure_reason from panel_referrals r join children c on c.id = r.child_id join users u on u.id = r.referred_by where r.child_id = $1 order by r.referred_at desc";
/// A child's referrals, newest first.
pub async fn referrals_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Referral>> {
    let rows: Vec<ReferralRow> = on_tx!(tx, |c| sqlx::query_as(REFERRALS_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const REFERRAL: &str = "select r.id, r.child_id, c.first_name, c.last_name, r.panel_type, r.referred_by, u.name as referred_by_name, r.referred_at, r.reason, r.risk, r.basis, r.consent, r.next_review, r.first_discussed, r.closed_at, r.closure_reason from panel_referrals r join children c on c.id = r.child_id join users u on u.id = r.referred_by where r.id = $1";
/// One referral (the caller then decides on its child).
pub async fn referral(tx: &mut Tx, id: Uuid) -> DbResult<Option<Referral>> {
    let r: Option<ReferralRow> = on_tx!(tx, |c| sqlx::query_as(REFERRAL)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const REVIEW_REFERRAL: &str = "update panel_referrals set risk = $3, next_review = $4, first_discussed = coalesce(first_discussed, $5) where id = $1 and child_id = $2";
/// After a discussion: the new risk and review date (and the first discussion date).
pub async fn review_referral(
    tx: &mut Tx,
    ok: &Allowed,
    id: Uuid,
    risk: RiskLevel,
    next_review: NaiveDate,
    held_on: NaiveDate,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(REVIEW_REFERRAL)
        .bind(id)
        .bind(ok.child_id().0)
        .bind(risk.as_str())
        .bind(next_review)
        .bind(held_on)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const CLOSE_REFERRAL: &str = "update panel_referrals set closed_at = $3, closed_by = $4, closure_reason = $5 where id = $1 and child_id = $2 and closed_at is null";
/// Close a referral with a reason. False if it was already closed.
pub async fn close_referral(
    tx: &mut Tx,
    ok: &Allowed,
    id: Uuid,
    at: DateTime<Utc>,
    by: UserId,
    reason: &str,
) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(CLOSE_REFERRAL)
        .bind(id)
        .bind(ok.child_id().0)
        .bind(at)
        .bind(by.0)
        .bind(reason)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

// ---------- meetings and attendance ----------

#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: Uuid,
    panel_type: String,
    held_on: NaiveDate,
    chair: String,
    created_by: Uuid,
    created_at: DateTime<Utc>,
}

impl From<MeetingRow> for Meeting {
    fn from(r: MeetingRow) -> Self {
        Meeting {
            id: r.id,
            panel_type: PanelType::parse(&r.panel_type).unwrap_or(PanelType::Mace),
            held_on: r.held_on,
            chair: r.chair,
            created_by: UserId(r.created_by),
            created_at: r.created_at,
        }
    }
}

const INSERT_MEETING: &str = "insert into panel_meetings (id, panel_type, held_on, chair, created_by, created_at) values ($1, $2, $3, $4, $5, $6)";
/// A new meeting.
pub async fn insert_meeting(tx: &mut Tx, m: &Meeting) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_MEETING)
        .bind(m.id)
        .bind(m.panel_type.as_str())
        .bind(m.held_on)
        .bind(&m.chair)
        .bind(m.created_by.0)
        .bind(m.created_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const MEETINGS: &str = "select id, panel_type, held_on, chair, created_by, created_at from panel_meetings order by held_on desc, created_at desc limit 100";
/// Meetings, newest first.
pub async fn meetings(tx: &mut Tx) -> DbResult<Vec<Meeting>> {
    let rows: Vec<MeetingRow> = on_tx!(tx, |c| sqlx::query_as(MEETINGS).fetch_all(c).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const MEETING: &str = "select id, panel_type, held_on, chair, created_by, created_at from panel_meetings where id = $1";
/// One meeting.
pub async fn meeting(tx: &mut Tx, id: Uuid) -> DbResult<Option<Meeting>> {
    let r: Option<MeetingRow> = on_tx!(tx, |c| sqlx::query_as(MEETING)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

#[derive(sqlx::FromRow)]
struct AttendeeRow {
    id: Uuid,
    meeting_id: Uuid,
    org_id: Option<Uuid>,
    name: String,
    agency: String,
}

const INSERT_ATTENDEE: &str = "insert into panel_attendees (id, meeting_id, org_id, name, agency) values ($1, $2, $3, $4, $5)";
/// Record someone at a meeting.
pub async fn insert_attendee(tx: &mut Tx, a: &Attendee) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_ATTENDEE)
        .bind(a.id)
        .bind(a.meeting_id)
        .bind(a.org_id.map(|o| o.0))
        .bind(&a.name)
        .bind(&a.agency)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const ATTENDEES: &str = "select id, meeting_id, org_id, name, agency from panel_attendees where meeting_id = $1 order by agency, name";
/// Who attended a meeting.
pub async fn attendees(tx: &mut Tx, meeting: Uuid) -> DbResult<Vec<Attendee>> {
    let rows: Vec<AttendeeRow> = on_tx!(tx, |c| sqlx::query_as(ATTENDEES)
        .bind(meeting)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| Attendee {
            id: r.id,
            meeting_id: r.meeting_id,
            org_id: r.org_id.map(OrgId),
            name: r.name,
            agency: r.agency,
        })
        .collect())
}

// ---------- discussions ----------

#[derive(sqlx::FromRow)]
struct DiscussionRow {
    id: Uuid,
    meeting_id: Uuid,
    held_on: NaiveDate,
    panel_type: String,
    referral_id: Uuid,
    child_id: Uuid,
    first_name: String,
    last_name: String,
    discussion: String,
    risk: String,
    decisions: String,
    next_review: NaiveDate,
    recorded_by: Uuid,
    recorded_at: DateTime<Utc>,
}

impl From<DiscussionRow> for Discussion {
    fn from(r: DiscussionRow) -> Self {
        Discussion {
            id: r.id,
            meeting_id: r.meeting_id,
            held_on: r.held_on,
            panel_type: PanelType::parse(&r.panel_type).unwrap_or(PanelType::Mace),
            referral_id: r.referral_id,
            child_id: ChildId(r.child_id),
            child_name: format!("{} {}", r.first_name, r.last_name),
            discussion: r.discussion,
            risk: RiskLevel::parse(&r.risk).unwrap_or(RiskLevel::High),
            decisions: r.decisions,
            next_review: r.next_review,
            recorded_by: UserId(r.recorded_by),
            recorded_at: r.recorded_at,
        }
    }
}

const INSERT_DISCUSSION: &str = "insert into panel_discussions (id, meeting_id, referral_id, child_id, discussion, risk, decisions, next_review, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
/// Record a child's discussion at a meeting.
pub async fn insert_discussion(tx: &mut Tx, ok: &Allowed, d: &Discussion) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_DISCUSSION)
        .bind(d.id)
        .bind(d.meeting_id)
        .bind(d.referral_id)
        .bind(ok.child_id().0)
        .bind(&d.discussion)
        .bind(d.risk.as_str())
        .bind(&d.decisions)
        .bind(d.next_review)
        .bind(d.recorded_by.0)
        .bind(d.recorded_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const DISCUSSIONS_FOR_MEETING: &str = "select d.id, d.meeting_id, m.held_on, m.panel_type, d.referral_id, d.child_id, c.first_name, c.last_name, d.discussion, d.risk, d.decisions, d.next_review, d.recorded_by, d.recorded_at from panel_discussions d join panel_meetings m on m.id = d.meeting_id join children c on c.id = d.child_id where d.meeting_id = $1 order by d.recorded_at";
/// The discussions at a meeting, in the order recorded.
pub async fn discussions_for_meeting(tx: &mut Tx, meeting: Uuid) -> DbResult<Vec<Discussion>> {
    let rows: Vec<DiscussionRow> = on_tx!(tx, |c| sqlx::query_as(DISCUSSIONS_FOR_MEETING)
        .bind(meeting)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const DISCUSSIONS_FOR_CHILD: &str = "select d.id, d.meeting_id, m.held_on, m.panel_type, d.referral_id, d.child_id, c.first_name, c.last_name, d.discussion, d.risk, d.decisions, d.next_review, d.recorded_by, d.recorded_at from panel_discussions d join panel_meetings m on m.id = d.meeting_id join children c on c.id = d.child_id where d.child_id = $1 order by m.held_on desc, d.recorded_at desc";
/// A child's panel history, newest first.
pub async fn discussions_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Discussion>> {
    let rows: Vec<DiscussionRow> = on_tx!(tx, |c| sqlx::query_as(DISCUSSIONS_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

// ---------- actions ----------

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: Uuid,
    meeting_id: Uuid,
    referral_id: Uuid,
    child_id: Uuid,
    first_name: String,
    last_name: String,
    kind: String,
    description: String,
    owner_org: Option<Uuid>,
    owner_org_name: Option<String>,
    owner_user: Option<Uuid>,
    owner_user_name: Option<String>,
    due_on: NaiveDate,
    status: String,
    notes: String,
    updated_at: Option<DateTime<Utc>>,
}

impl From<ActionRow> for PanelAction {
    fn from(r: ActionRow) -> Self {
        PanelAction {
            id: r.id,
            meeting_id: r.meeting_id,
            referral_id: r.referral_id,
            child_id: ChildId(r.child_id),
            child_name: format!("{} {}", r.first_name, r.last_name),
            kind: ActionKind::parse(&r.kind).unwrap_or(ActionKind::Other),
            description: r.description,
            owner_org: r.owner_org.map(OrgId),
            owner_org_name: r.owner_org_name,
            owner_user: r.owner_user.map(UserId),
            owner_user_name: r.owner_user_name,
            due_on: r.due_on,
            status: ActionStatus::parse(&r.status).unwrap_or(ActionStatus::Open),
            notes: r.notes,
            updated_at: r.updated_at,
        }
    }
}

const INSERT_ACTION: &str = "insert into panel_actions (id, meeting_id, referral_id, child_id, kind, description, owner_org, owner_user, due_on, status, notes, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
/// Record an action agreed for a child.
pub async fn insert_action(
    tx: &mut Tx,
    ok: &Allowed,
    a: &PanelAction,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_ACTION)
        .bind(a.id)
        .bind(a.meeting_id)
        .bind(a.referral_id)
        .bind(ok.child_id().0)
        .bind(a.kind.as_str())
        .bind(&a.description)
        .bind(a.owner_org.map(|o| o.0))
        .bind(a.owner_user.map(|o| o.0))
        .bind(a.due_on)
        .bind(a.status.as_str())
        .bind(&a.notes)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const ACTIONS_FOR_MEETING: &str = "select a.id, a.meeting_id, a.referral_id, a.child_id, c.first_name, c.last_name, a.kind, a.description, a.owner_org, o.name as owner_org_name, a.owner_user, u.name as owner_user_name, a.due_on, a.status, a.notes, a.updated_at from panel_actions a join children c on c.id = a.child_id left join organisations o on o.id = a.owner_org left join users u on u.id = a.owner_user where a.meeting_id = $1 order by a.created_at";
/// Actions agreed at a meeting.
pub async fn actions_for_meeting(tx: &mut Tx, meeting: Uuid) -> DbResult<Vec<PanelAction>> {
    let rows: Vec<ActionRow> = on_tx!(tx, |c| sqlx::query_as(ACTIONS_FOR_MEETING)
        .bind(meeting)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const ACTIONS_FOR_CHILD: &str = "select a.id, a.meeting_id, a.referral_id, a.child_id, c.first_name, c.last_name, a.kind, a.description, a.owner_org, o.name as owner_org_name, a.owner_user, u.name as owner_user_name, a.due_on, a.status, a.notes, a.updated_at from panel_actions a join children c on c.id = a.child_id left join organisations o on o.id = a.owner_org left join users u on u.id = a.owner_user where a.child_id = $1 order by a.due_on desc";
/// A child's panel actions.
pub async fn actions_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<PanelAction>> {
    let rows: Vec<ActionRow> = on_tx!(tx, |c| sqlx::query_as(ACTIONS_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const ACTIONS_ALL: &str = "select a.id, a.meeting_id, a.referral_id, a.child_id, c.first_name, c.last_name, a.kind, a.description, a.owner_org, o.name as owner_org_name, a.owner_user, u.name as owner_user_name, a.due_on, a.status, a.notes, a.updated_at from panel_actions a join children c on c.id = a.child_id left join organisations o on o.id = a.owner_org left join users u on u.id = a.owner_user order by case when a.status = 'done' then 1 else 0 end, a.due_on limit 500";
/// Every action, open ones first, soonest due first (the coordinator's tracker).
pub async fn actions_all(tx: &mut Tx) -> DbResult<Vec<PanelAction>> {
    let rows: Vec<ActionRow> = on_tx!(tx, |c| sqlx::query_as(ACTIONS_ALL).fetch_all(c).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const ACTIONS_FOR_ORG: &str = "select a.id, a.meeting_id, a.referral_id, a.child_id, c.first_name, c.last_name, a.kind, a.description, a.owner_org, o.name as owner_org_name, a.owner_user, u.name as owner_user_name, a.due_on, a.status, a.notes, a.updated_at from panel_actions a join children c on c.id = a.child_id left join organisations o on o.id = a.owner_org left join users u on u.id = a.owner_user where a.owner_org = $1 or a.owner_user = $2 order by case when a.status = 'done' then 1 else 0 end, a.due_on limit 500";
/// Actions owned by an organisation or a user (a partner's tracker).
pub async fn actions_for_org(tx: &mut Tx, org: OrgId, user: UserId) -> DbResult<Vec<PanelAction>> {
    let rows: Vec<ActionRow> = on_tx!(tx, |c| sqlx::query_as(ACTIONS_FOR_ORG)
        .bind(org.0)
        .bind(user.0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const ACTION: &str = "select a.id, a.meeting_id, a.referral_id, a.child_id, c.first_name, c.last_name, a.kind, a.description, a.owner_org, o.name as owner_org_name, a.owner_user, u.name as owner_user_name, a.due_on, a.status, a.notes, a.updated_at from panel_actions a join children c on c.id = a.child_id left join organisations o on o.id = a.owner_org left join users u on u.id = a.owner_user where a.id = $1";
/// One action (the caller then asks the policy).
pub async fn action(tx: &mut Tx, id: Uuid) -> DbResult<Option<PanelAction>> {
    let r: Option<ActionRow> = on_tx!(tx, |c| sqlx::query_as(ACTION)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const UPDATE_ACTION: &str = "update panel_actions set status = $2, notes = $3, updated_by = $4, updated_at = $5 where id = $1";
/// An owner's update: status and notes. Callers ask
/// [`harbour_domain::authz::may_update_panel_action`] first.
pub async fn update_action(
    tx: &mut Tx,
    id: Uuid,
    status: ActionStatus,
    notes: &str,
    by: UserId,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(UPDATE_ACTION)
        .bind(id)
        .bind(status.as_str())
        .bind(notes)
        .bind(by.0)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

// ---------- disclosures ----------

#[derive(sqlx::FromRow)]
struct DisclosureRow {
    id: Uuid,
    child_id: Uuid,
    first_name: String,
    last_name: String,
    outcome: String,
    recipient_org: Option<Uuid>,
    recipient: String,
    what: String,
    why: String,
    basis: Option<String>,
    decided_by: Uuid,
    decided_by_name: String,
    decided_at: DateTime<Utc>,
    source: String,
}

impl From<DisclosureRow> for Disclosure {
    fn from(r: DisclosureRow) -> Self {
        Disclosure {
            id: r.id,
            child_id: ChildId(r.child_id),
            child_name: format!("{} {}", r.first_name, r.last_name),
            outcome: DisclosureOutcome::parse(&r.outcome).unwrap_or(DisclosureOutcome::Shared),
            recipient_org: r.recipient_org.map(OrgId),
            recipient: r.recipient,
            what: r.what,
            why: r.why,
            basis: r.basis.as_deref().and_then(LawfulBasis::parse),
            decided_by: UserId(r.decided_by),
            decided_by_name: r.decided_by_name,
            decided_at: r.decided_at,
            source: r.source,
        }
    }
}

const INSERT_DISCLOSURE: &str = "insert into disclosures (id, child_id, outcome, recipient_org, recipient, what, why, basis, decided_by, decided_at, source) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
/// Log a decision to share or not to share.
pub async fn insert_disclosure(tx: &mut Tx, ok: &Allowed, d: &Disclosure) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_DISCLOSURE)
        .bind(d.id)
        .bind(ok.child_id().0)
        .bind(d.outcome.as_str())
        .bind(d.recipient_org.map(|o| o.0))
        .bind(&d.recipient)
        .bind(&d.what)
        .bind(&d.why)
        .bind(d.basis.map(|b| b.as_str()))
        .bind(d.decided_by.0)
        .bind(d.decided_at)
        .bind(&d.source)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const DISCLOSURES_FOR_CHILD: &str = "select d.id, d.child_id, c.first_name, c.last_name, d.outcome, d.recipient_org, d.recipient, d.what, d.why, d.basis, d.decided_by, u.name as decided_by_name, d.decided_at, d.source from disclosures d join children c on c.id = d.child_id join users u on u.id = d.decided_by where d.child_id = $1 order by d.decided_at desc";
/// A child's information-sharing log, newest first.
pub async fn disclosures_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Disclosure>> {
    let rows: Vec<DisclosureRow> = on_tx!(tx, |c| sqlx::query_as(DISCLOSURES_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const DISCLOSURES_RECENT: &str = "select d.id, d.child_id, c.first_name, c.last_name, d.outcome, d.recipient_org, d.recipient, d.what, d.why, d.basis, d.decided_by, u.name as decided_by_name, d.decided_at, d.source from disclosures d join children c on c.id = d.child_id join users u on u.id = d.decided_by order by d.decided_at desc limit 500";
/// The latest disclosures across the service (the privacy officer's view).
pub async fn disclosures_recent(tx: &mut Tx) -> DbResult<Vec<Disclosure>> {
    let rows: Vec<DisclosureRow> = on_tx!(tx, |c| sqlx::query_as(DISCLOSURES_RECENT)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}
