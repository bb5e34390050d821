//! Out of hours (migration 0013): safety plans, EDT alerts, the out-of-hours
//! contact log, handovers to the day team and placement support. Reading or
//! writing a child's part takes an [`Allowed`] and uses its child id. The
//! exceptions are the look-ups by id (an alert, a contact, a handover: to
//! learn which child to authorise against) and the service-wide lists for
//! the out-of-hours desk and the handover queues, after which the service
//! decides on each child before showing anything.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, Utc};
use harbour_domain::authz::Allowed;
use harbour_domain::edt::*;
use harbour_domain::ids::*;
use uuid::Uuid;

// ---------------------------------------------------------------------------
// Safety plans

#[derive(sqlx::FromRow)]
struct PlanRow {
    child_id: Uuid,
    version: i64,
    plan: String,
    agreed_with: String,
    recorded_by: Uuid,
    recorded_by_name: String,
    recorded_at: DateTime<Utc>,
}

impl From<PlanRow> for SafetyPlan {
    fn from(r: PlanRow) -> Self {
        SafetyPlan {
            child_id: ChildId(r.child_id),
            version: r.version,
            plan: r.plan,
            agreed_with: r.agreed_with,
            recorded_by: UserId(r.recorded_by),
            recorded_by_name: r.recorded_by_name,
            recorded_at: r.recorded_at,
        }
    }
}

const CURRENT_PLAN: &str = "select p.child_id, p.version, p.plan, p.agreed_with, p.recorded_by, u.name as recorded_by_name, p.recorded_at from safety_plans p join users u on u.id = p.recorded_by where p.child_id = $1 order by p.version desc limit 1";
/// The child's current safety plan (the highest version).
pub async fn current_plan(tx: &mut Tx, ok: &Allowed) -> DbResult<Option<SafetyPlan>> {
    let r: Option<PlanRow> = on_tx!(tx, |c| sqlx::query_as(CURRENT_PLAN)
        .bind(ok.child_id().0)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const INSERT_PLAN: &str = "insert into safety_plans (child_id, version, plan, agreed_with, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6)";
/// Store a new version (a second save of the same version number is a
/// unique violation: someone else saved first).
pub async fn insert_plan(tx: &mut Tx, ok: &Allowed, p: &SafetyPlan) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_PLAN)
        .bind(ok.child_id().0)
        .bind(p.version)
        .bind(&p.plan)
        .bind(&p.agreed_with)
        .bind(p.recorded_by.0)
        .bind(p.recorded_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Alerts

#[derive(sqlx::FromRow)]
struct AlertRow {
    id: Uuid,
    child_id: Uuid,
    if_happens: String,
    then_do: String,
    expires_at: DateTime<Utc>,
    created_by: Uuid,
    created_by_name: String,
    created_at: DateTime<Utc>,
    withdrawn_at: Option<DateTime<Utc>>,
}

impl From<AlertRow> for EdtAlert {
    fn from(r: AlertRow) -> Self {
        EdtAlert {
            id: r.id,
            child_id: ChildId(r.child_id),
            if_happens: r.if_happens,
            then_do: r.then_do,
            expires_at: r.expires_at,
            created_by: UserId(r.created_by),
            created_by_name: r.created_by_name,
            created_at: r.created_at,
            withdrawn_at: r.withdrawn_at,
        }
    }
}

macro_rules! select_alert {
    () => {
        "select a.id, a.child_id, a.if_happens, a.then_do, a.expires_at, a.created_by, u.name as created_by_name, a.created_at, a.withdrawn_at from edt_alerts a join users u on u.id = a.created_by "
    };
}

const INSERT_ALERT: &str = "insert into edt_alerts (id, child_id, if_happens, then_do, expires_at, created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7)";
/// Leave an alert on the child `ok` names.
pub async fn insert_alert(tx: &mut Tx, ok: &Allowed, a: &EdtAlert) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_ALERT)
        .bind(a.id)
        .bind(ok.child_id().0)
        .bind(&a.if_happens)
        .bind(&a.then_do)
        .bind(a.expires_at)
        .bind(a.created_by.0)
        .bind(a.created_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const ALERTS_FOR_CHILD: &str = concat!(
    select_alert!(),
    "where a.child_id = $1 order by a.created_at desc, a.id"
);
/// Every alert left on the child, newest first (active and past).
pub async fn alerts_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<EdtAlert>> {
    let rows: Vec<AlertRow> = on_tx!(tx, |c| sqlx::query_as(ALERTS_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const ACTIVE_ALERTS: &str = concat!(
    select_alert!(),
    "where a.withdrawn_at is null and a.expires_at > $1 order by a.expires_at, a.id"
);
/// Every active alert across the service, soonest to expire first (the
/// caller decides on each child).
pub async fn active_alerts(tx: &mut Tx, now: DateTime<Utc>) -> DbResult<Vec<EdtAlert>> {
    let rows: Vec<AlertRow> = on_tx!(tx, |c| sqlx::query_as(ACTIVE_ALERTS)
        .bind(now)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const GET_ALERT: &str = concat!(select_alert!(), "where a.id = $1");
/// One alert by id (to learn its child).
pub async fn get_alert(tx: &mut Tx, id: Uuid) -> DbResult<Option<EdtAlert>> {
    let r: Option<AlertRow> = on_tx!(tx, |c| sqlx::query_as(GET_ALERT)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const WITHDRAW_ALERT: &str = "update edt_alerts set withdrawn_at = $3, withdrawn_by = $4 where id = $1 and child_id = $2 and withdrawn_at is null";
/// Withdraw an alert before it expires. False if already withdrawn.
pub async fn withdraw_alert(
    tx: &mut Tx,
    ok: &Allowed,
    id: Uuid,
    by: UserId,
    at: DateTime<Utc>,
) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(WITHDRAW_ALERT)
        .bind(id)
        .bind(ok.child_id().0)
        .bind(at)
        .bind(by.0)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

// ---------------------------------------------------------------------------
// Contacts

#[derive(sqlx::FromRow)]
struct ContactRow {
    id: Uuid,
    child_id: Uuid,
    received_at: DateTime<Utc>,
    caller: String,
    caller_agency: String,
    kind: String,
    reported: String,
    agencies: String,
    actions: String,
    outcome: String,
    placement_support: bool,
    missing_episode_id: Option<Uuid>,
    recorded_by: Uuid,
    recorded_by_name: String,
    recorded_at: DateTime<Utc>,
}

impl From<ContactRow> for OohContact {
    fn from(r: ContactRow) -> Self {
        OohContact {
            id: r.id,
            child_id: ChildId(r.child_id),
            received_at: r.received_at,
            caller: r.caller,
            caller_agency: r.caller_agency,
            kind: ContactKind::parse(&r.kind).unwrap_or(ContactKind::Advice),
            reported: r.reported,
            agencies: r.agencies,
            actions: r.actions,
            outcome: r.outcome,
            placement_support: r.placement_support,
            missing_episode_id: r.missing_episode_id,
            recorded_by: UserId(r.recorded_by),
            recorded_by_name: r.recorded_by_name,
            recorded_at: r.recorded_at,
        }
    }
}

macro_rules! select_contact {
    () => {
        "select o.id, o.child_id, o.received_at, o.caller, o.caller_agency, o.kind, o.reported, o.agencies, o.actions, o.outcome, o.placement_support, o.missing_episode_id, o.recorded_by, u.name as recorded_by_name, o.recorded_at from ooh_contacts o join users u on u.id = o.recorded_by "
    };
}

const INSERT_CONTACT: &str = "insert into ooh_contacts (id, child_id, received_at, caller, caller_agency, kind, reported, agencies, actions, outcome, placement_support, missing_episode_id, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
/// Record a contact about the child `ok` names.
pub async fn insert_contact(tx: &mut Tx, ok: &Allowed, o: &OohContact) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_CONTACT)
        .bind(o.id)
        .bind(ok.child_id().0)
        .bind(o.received_at)
        .bind(&o.caller)
        .bind(&o.caller_agency)
        .bind(o.kind.as_str())
        .bind(&o.reported)
        .bind(&o.agencies)
        .bind(&o.actions)
        .bind(&o.outcome)
        .bind(o.placement_support)
        .bind(o.missing_episode_id)
        .bind(o.recorded_by.0)
        .bind(o.recorded_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const CONTACTS_FOR_CHILD: &str = concat!(
    select_contact!(),
    "where o.child_id = $1 order by o.received_at desc, o.id"
);
/// The child's contacts, newest first.
pub async fn contacts_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<OohContact>> {
    let rows: Vec<ContactRow> = on_tx!(tx, |c| sqlx::query_as(CONTACTS_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const GET_CONTACT: &str = concat!(select_contact!(), "where o.id = $1");
/// One contact by id (to learn its child).
pub async fn get_contact(tx: &mut Tx, id: Uuid) -> DbResult<Option<OohContact>> {
    let r: Option<ContactRow> = on_tx!(tx, |c| sqlx::query_as(GET_CONTACT)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const CONTACTS_SINCE: &str = concat!(
    select_contact!(),
    "where o.received_at >= $1 order by o.received_at desc, o.id limit 200"
);
/// Contacts received since `since`, newest first, at most 200 (the caller
/// decides on each child).
pub async fn contacts_since(tx: &mut Tx, since: DateTime<Utc>) -> DbResult<Vec<OohContact>> {
    let rows: Vec<ContactRow> = on_tx!(tx, |c| sqlx::query_as(CONTACTS_SINCE)
        .bind(since)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const LINK_EPISODE: &str = "update ooh_contacts set missing_episode_id = $3 where id = $1 and child_id = $2 and missing_episode_id is null";
/// Link the missing episode started from a contact. False if the contact
/// already has one.
pub async fn link_episode(
    tx: &mut Tx,
    ok: &Allowed,
    contact: Uuid,
    episode: Uuid,
) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(LINK_EPISODE)
        .bind(contact)
        .bind(ok.child_id().0)
        .bind(episode)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

// ---------------------------------------------------------------------------
// Handovers

#[derive(sqlx::FromRow)]
struct HandoverRow {
    id: Uuid,
    contact_id: Uuid,
    child_id: Uuid,
    team_id: Option<Uuid>,
    due_at: DateTime<Utc>,
    acknowledged_at: Option<DateTime<Utc>>,
    acknowledged_by_name: Option<String>,
    note: Option<String>,
}

impl From<HandoverRow> for Handover {
    fn from(r: HandoverRow) -> Self {
        Handover {
            id: r.id,
            contact_id: r.contact_id,
            child_id: ChildId(r.child_id),
            team_id: r.team_id.map(TeamId),
            due_at: r.due_at,
            acknowledged_at: r.acknowledged_at,
            acknowledged_by_name: r.acknowledged_by_name,
            note: r.note,
        }
    }
}

macro_rules! select_handover {
    () => {
        "select h.id, h.contact_id, h.child_id, h.team_id, h.due_at, h.acknowledged_at, u.name as acknowledged_by_name, h.note from edt_handovers h left join users u on u.id = h.acknowledged_by "
    };
}

const INSERT_HANDOVER: &str = "insert into edt_handovers (id, contact_id, child_id, team_id, due_at) values ($1, $2, $3, $4, $5)";
/// Hand a contact over to the day team.
pub async fn insert_handover(tx: &mut Tx, ok: &Allowed, h: &Handover) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_HANDOVER)
        .bind(h.id)
        .bind(h.contact_id)
        .bind(ok.child_id().0)
        .bind(h.team_id.map(|t| t.0))
        .bind(h.due_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const HANDOVERS_FOR_CHILD: &str = concat!(
    select_handover!(),
    "where h.child_id = $1 order by h.due_at desc, h.id"
);
/// The child's handovers, newest first.
pub async fn handovers_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Handover>> {
    let rows: Vec<HandoverRow> = on_tx!(tx, |c| sqlx::query_as(HANDOVERS_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const GET_HANDOVER: &str = concat!(select_handover!(), "where h.id = $1");
/// One handover by id (to learn its child).
pub async fn get_handover(tx: &mut Tx, id: Uuid) -> DbResult<Option<Handover>> {
    let r: Option<HandoverRow> = on_tx!(tx, |c| sqlx::query_as(GET_HANDOVER)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const HANDOVERS_OPEN_OR_SINCE: &str = concat!(
    select_handover!(),
    "where h.acknowledged_at is null or h.acknowledged_at >= $1 order by h.due_at, h.id limit 500"
);
/// Handovers not yet acknowledged, and those acknowledged since `since`,
/// soonest due first (the caller decides on each child).
pub async fn handovers_open_or_since(tx: &mut Tx, since: DateTime<Utc>) -> DbResult<Vec<Handover>> {
    let rows: Vec<HandoverRow> = on_tx!(tx, |c| sqlx::query_as(HANDOVERS_OPEN_OR_SINCE)
        .bind(since)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const ACKNOWLEDGE: &str = "update edt_handovers set acknowledged_at = $3, acknowledged_by = $4, note = $5 where id = $1 and child_id = $2 and acknowledged_at is null";
/// Acknowledge a handover. False if someone already did.
pub async fn acknowledge(
    tx: &mut Tx,
    ok: &Allowed,
    id: Uuid,
    by: UserId,
    at: DateTime<Utc>,
    note: Option<&str>,
) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(ACKNOWLEDGE)
        .bind(id)
        .bind(ok.child_id().0)
        .bind(at)
        .bind(by.0)
        .bind(note)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

// ---------------------------------------------------------------------------
// Placement support

#[derive(sqlx::FromRow)]
struct SupportRow {
    id: Uuid,
    child_id: Uuid,
    placement_id: Option<Uuid>,
    kind: String,
    occurred_at: DateTime<Utc>,
    summary: String,
    next_steps: String,
    missing_episode_id: Option<Uuid>,
    contact_id: Option<Uuid>,
    recorded_by: Uuid,
    recorded_by_name: String,
    recorded_at: DateTime<Utc>,
}

impl From<SupportRow> for PlacementSupport {
    fn from(r: SupportRow) -> Self {
        PlacementSupport {
            id: r.id,
            child_id: ChildId(r.child_id),
            placement_id: r.placement_id,
            kind: SupportKind::parse(&r.kind).unwrap_or(SupportKind::Crisis),
            occurred_at: r.occurred_at,
            summary: r.summary,
            next_steps: r.next_steps,
            missing_episode_id: r.missing_episode_id,
            contact_id: r.contact_id,
            recorded_by: UserId(r.recorded_by),
            recorded_by_name: r.recorded_by_name,
            recorded_at: r.recorded_at,
        }
    }
}

const INSERT_SUPPORT: &str = "insert into placement_support (id, child_id, placement_id, kind, occurred_at, summary, next_steps, missing_episode_id, contact_id, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
/// Record placement support for the child `ok` names.
pub async fn insert_support(tx: &mut Tx, ok: &Allowed, s: &PlacementSupport) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_SUPPORT)
        .bind(s.id)
        .bind(ok.child_id().0)
        .bind(s.placement_id)
        .bind(s.kind.as_str())
        .bind(s.occurred_at)
        .bind(&s.summary)
        .bind(&s.next_steps)
        .bind(s.missing_episode_id)
        .bind(s.contact_id)
        .bind(s.recorded_by.0)
        .bind(s.recorded_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const SUPPORT_FOR_CHILD: &str = "select s.id, s.child_id, s.placement_id, s.kind, s.occurred_at, s.summary, s.next_steps, s.missing_episode_id, s.contact_id, s.recorded_by, u.name as recorded_by_name, s.recorded_at from placement_support s join users u on u.id = s.recorded_by where s.child_id = $1 order by s.occurred_at desc, s.id";
/// The child's placement support records, newest first.
pub async fn support_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<PlacementSupport>> {
    let rows: Vec<SupportRow> = on_tx!(tx, |c| sqlx::query_as(SUPPORT_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Every query, for the preparation test.
pub const QUERIES: &[&str] = &[
    CURRENT_PLAN,
    INSERT_PLAN,
    INSERT_ALERT,
    ALERTS_FOR_CHILD,
    ACTIVE_ALERTS,
    GET_ALERT,
    WITHDRAW_ALERT,
    INSERT_CONTACT,
    CONTACTS_FOR_CHILD,
    GET_CONTACT,
    CONTACTS_SINCE,
    LINK_EPISODE,
    INSERT_HANDOVER,
    HANDOVERS_FOR_CHILD,
    GET_HANDOVER,
    HANDOVERS_OPEN_OR_SINCE,
    ACKNOWLEDGE,
    INSERT_SUPPORT,
    SUPPORT_FOR_CHILD,
];
