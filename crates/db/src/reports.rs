//! Aggregates for the performance dashboards, and the child-level facts the
//! statutory lists (Ofsted Annex A, CIN assessment factors) are built from.
//!
//! Dashboard queries count within one window `[from, to)` and an optional
//! team; the app runs them once per calendar month (portable SQL, no
//! date functions). "A child's team" is the team of the child's current
//! allocation; a worker's team is the user's team.
//!
//! The list loaders read across every child and take no `Allowed`: they run
//! only after `decide_service(StatutoryLists)` in `App::annex_a` and
//! `App::cin_factors_export`, which audit the export.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::ids::TeamId;
use harbour_domain::reports::{WriteUp, write_up};
use uuid::Uuid;

const MISSING: &str = "select coalesce(sum(case when e.kind = 'M' then 1 else 0 end), 0), coalesce(sum(case when e.kind = 'A' then 1 else 0 end), 0) from missing_episodes e where e.last_seen_at >= $1 and e.last_seen_at < $2 and (exists (select 1 from allocations a where a.child_id = e.child_id and a.end_date is null and a.team_id = $3) or $3 is null)";
/// Missing (M) and away (A) episodes that began in the window.
pub async fn missing(
    tx: &mut Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    team: Option<TeamId>,
) -> DbResult<(i64, i64)> {
    Ok(on_tx!(tx, |c| sqlx::query_as(MISSING)
        .bind(from)
        .bind(to)
        .bind(team.map(|t| t.0))
        .fetch_one(c)
        .await)?)
}

/// Return home interviews due in a window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InterviewCounts {
    /// Due in the window.
    pub due: i64,
    /// Offered by the due time (72 hours after the return).
    pub offered_in_time: i64,
    /// Accepted: the interview was held.
    pub accepted: i64,
}

const INTERVIEWS: &str = "select count(*), coalesce(sum(case when i.offered_at is not null and i.offered_at <= i.due_at then 1 else 0 end), 0), coalesce(sum(case when i.outcome = 'completed' then 1 else 0 end), 0) from rhi_interviews i where i.due_at >= $1 and i.due_at < $2 and (exists (select 1 from allocations a where a.child_id = i.child_id and a.end_date is null and a.team_id = $3) or $3 is null)";
/// Interviews due in the window: offered in time, accepted.
pub async fn interviews(
    tx: &mut Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    team: Option<TeamId>,
) -> DbResult<InterviewCounts> {
    let (due, offered_in_time, accepted): (i64, i64, i64) =
        on_tx!(tx, |c| sqlx::query_as(INTERVIEWS)
            .bind(from)
            .bind(to)
            .bind(team.map(|t| t.0))
            .fetch_one(c)
            .await)?;
    Ok(InterviewCounts {
        due,
        offered_in_time,
        accepted,
    })
}

const REPEAT: &str = "select count(*), coalesce(sum(case when x.n >= $4 then 1 else 0 end), 0) from (select e.child_id, count(*) as n from missing_episodes e where e.last_seen_at >= $1 and e.last_seen_at < $2 and (exists (select 1 from allocations a where a.child_id = e.child_id and a.end_date is null and a.team_id = $3) or $3 is null) group by e.child_id) x";
/// (children missing or away at least once, of whom at least `repeat`
/// times) in the window.
pub async fn repeat_missing(
    tx: &mut Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    team: Option<TeamId>,
    repeat: i64,
) -> DbResult<(i64, i64)> {
    Ok(on_tx!(tx, |c| sqlx::query_as(REPEAT)
        .bind(from)
        .bind(to)
        .bind(team.map(|t| t.0))
        .bind(repeat)
        .fetch_one(c)
        .await)?)
}

const RISK_LEVELS: &str = "select s.level, count(*) from screenings s where s.recorded_at >= $1 and s.recorded_at < $2 and not exists (select 1 from screenings s2 where s2.child_id = s.child_id and s2.recorded_at > s.recorded_at and s2.recorded_at < $2) and (exists (select 1 from allocations a where a.child_id = s.child_id and a.end_date is null and a.team_id = $3) or $3 is null) group by s.level";
/// Children by the level of their latest screening, for screenings recorded
/// in the window (a child screened twice counts once, at the later level).
pub async fn risk_levels(
    tx: &mut Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    team: Option<TeamId>,
) -> DbResult<Vec<(String, i64)>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(RISK_LEVELS)
        .bind(from)
        .bind(to)
        .bind(team.map(|t| t.0))
        .fetch_all(c)
        .await)?)
}

const RISK_CATEGORIES: &str = "select s.level, t.category, count(distinct s.child_id) from screenings s join screening_ticks t on t.screening_id = s.id where s.recorded_at >= $1 and s.recorded_at < $2 and not exists (select 1 from screenings s2 where s2.child_id = s.child_id and s2.recorded_at > s.recorded_at and s2.recorded_at < $2) and (exists (select 1 from allocations a where a.child_id = s.child_id and a.end_date is null and a.team_id = $3) or $3 is null) group by s.level, t.category";
/// (level, category id, children): children whose latest screening in the
/// window has at least one indicator ticked in the category.
pub async fn risk_categories(
    tx: &mut Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    team: Option<TeamId>,
) -> DbResult<Vec<(String, String, i64)>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(RISK_CATEGORIES)
        .bind(from)
        .bind(to)
        .bind(team.map(|t| t.0))
        .fetch_all(c)
        .await)?)
}

const PANEL: &str = "select (select count(*) from panel_referrals r where r.referred_at >= $1 and r.referred_at < $2 and (exists (select 1 from allocations a where a.child_id = r.child_id and a.end_date is null and a.team_id = $5) or $5 is null)), (select count(*) from panel_discussions d join panel_meetings m on m.id = d.meeting_id where m.held_on >= $3 and m.held_on < $4 and (exists (select 1 from allocations a where a.child_id = d.child_id and a.end_date is null and a.team_id = $5) or $5 is null))";
/// (referrals made, reviews held: a child discussed at a meeting) in the
/// window; `days` is the same window as dates, for meeting days.
pub async fn panel(
    tx: &mut Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    days: (NaiveDate, NaiveDate),
    team: Option<TeamId>,
) -> DbResult<(i64, i64)> {
    Ok(on_tx!(tx, |c| sqlx::query_as(PANEL)
        .bind(from)
        .bind(to)
        .bind(days.0)
        .bind(days.1)
        .bind(team.map(|t| t.0))
        .fetch_one(c)
        .await)?)
}

const PANEL_ACTIONS: &str = "select count(*), coalesce(sum(case when p.due_on < $1 then 1 else 0 end), 0) from panel_actions p where p.status <> 'done' and (exists (select 1 from allocations a where a.child_id = p.child_id and a.end_date is null and a.team_id = $2) or $2 is null)";
/// (panel actions open now, of which past their due date on `today`).
pub async fn panel_actions_open(
    tx: &mut Tx,
    today: NaiveDate,
    team: Option<TeamId>,
) -> DbResult<(i64, i64)> {
    Ok(on_tx!(tx, |c| sqlx::query_as(PANEL_ACTIONS)
        .bind(today)
        .bind(team.map(|t| t.0))
        .fetch_one(c)
        .await)?)
}

const CASELOADS: &str = "select count(a.id) from users u left join allocations a on a.worker_id = u.id and a.end_date is null where u.role in ('social_worker', 'team_manager') and u.disabled_at is null and (u.team_id = $1 or $1 is null) group by u.id";
/// The number of children each case-holding worker holds now.
pub async fn caseloads(tx: &mut Tx, team: Option<TeamId>) -> DbResult<Vec<i64>> {
    let rows: Vec<(i64,)> = on_tx!(tx, |c| sqlx::query_as(CASELOADS)
        .bind(team.map(|t| t.0))
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

/// Supervision sessions held in a window, by how their write-up went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SupervisionCounts {
    /// Sessions held.
    pub held: i64,
    /// Signed off by the recording deadline.
    pub on_time: i64,
    /// Signed off after it.
    pub late: i64,
    /// Not signed off, deadline passed.
    pub overdue: i64,
    /// Not signed off, still in time.
    pub pending: i64,
}

const SUPERVISION: &str = "select s.recording_due, s.signed_off_at from supervision_sessions s join users u on u.id = s.supervisee_id where s.held_at >= $1 and s.held_at < $2 and (u.team_id = $3 or $3 is null)";
/// Sessions held in the window, classified by [`write_up`] on `today`.
pub async fn supervision(
    tx: &mut Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    team: Option<TeamId>,
    today: NaiveDate,
) -> DbResult<SupervisionCounts> {
    let rows: Vec<(NaiveDate, Option<DateTime<Utc>>)> =
        on_tx!(tx, |c| sqlx::query_as(SUPERVISION)
            .bind(from)
            .bind(to)
            .bind(team.map(|t| t.0))
            .fetch_all(c)
            .await)?;
    let mut s = SupervisionCounts {
        held: rows.len() as i64,
        ..Default::default()
    };
    for (due, signed) in rows {
        match write_up(due, signed, today) {
            WriteUp::OnTime => s.on_time += 1,
            WriteUp::Late => s.late += 1,
            WriteUp::Overdue => s.overdue += 1,
            WriteUp::Pending => s.pending += 1,
        }
    }
    Ok(s)
}

const TEAMS: &str = "select id, name from teams order by name";
/// Every team, for the filter.
pub async fn teams(tx: &mut Tx) -> DbResult<Vec<(TeamId, String)>> {
    let rows: Vec<(Uuid, String)> = on_tx!(tx, |c| sqlx::query_as(TEAMS).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|(id, n)| (TeamId(id), n)).collect())
}

/// A child on a statutory list, with what every list shows.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ListChild {
    /// Id.
    pub id: Uuid,
    /// LAchildID.
    pub la_child_id: String,
    /// Date of birth.
    pub dob: NaiveDate,
    /// Sex (M/F/U).
    pub sex: String,
    /// Ethnicity code.
    pub ethnicity: String,
}

const LIST_CHILDREN: &str = "select id, la_child_id, dob, sex, ethnicity from children where id in (select child_id from legal_statuses) order by la_child_id";
/// Every child with any legal status, by LAchildID.
pub async fn list_children(tx: &mut Tx) -> DbResult<Vec<ListChild>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(LIST_CHILDREN)
        .fetch_all(c)
        .await)?)
}

const STATUSES: &str = "select child_id, status, start_date, end_date from legal_statuses order by child_id, start_date";
/// (child, kind, start, end) of every legal status.
pub async fn statuses(tx: &mut Tx) -> DbResult<Vec<(Uuid, String, NaiveDate, Option<NaiveDate>)>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(STATUSES).fetch_all(c).await)?)
}

const ALLOCATED: &str = "select a.child_id, t.name, u.name from allocations a join users u on u.id = a.worker_id left join teams t on t.id = a.team_id where a.end_date is null";
/// (child, team name, worker name) of every current allocation.
pub async fn allocated(tx: &mut Tx) -> DbResult<Vec<(Uuid, Option<String>, String)>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(ALLOCATED)
        .fetch_all(c)
        .await)?)
}

/// A placement, for List 8.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ListPlacement {
    /// Child.
    pub child_id: Uuid,
    /// PLACE code.
    pub place_code: String,
    /// PLACE_PROVIDER code.
    pub provider_code: String,
    /// Postcode.
    pub postcode: String,
    /// LA code of the placement's area.
    pub area_la: String,
    /// That authority's name.
    pub area_name: Option<String>,
    /// Start.
    pub start_date: NaiveDate,
    /// End.
    pub end_date: Option<NaiveDate>,
}

const PLACEMENTS: &str = "select p.child_id, p.place_code, p.provider_code, p.postcode, p.area_la, au.name as area_name, p.start_date, p.end_date from placements p left join authorities au on au.la_code = p.area_la order by p.child_id, p.start_date";
/// Every placement, by child and start.
pub async fn placements(tx: &mut Tx) -> DbResult<Vec<ListPlacement>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(PLACEMENTS)
        .fetch_all(c)
        .await)?)
}

/// An episode with its interview, for List 8 and the assessment factors.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ListEpisode {
    /// Child.
    pub child_id: Uuid,
    /// M or A.
    pub kind: String,
    /// Last seen.
    pub last_seen_at: DateTime<Utc>,
    /// Found or returned.
    pub returned_at: Option<DateTime<Utc>>,
    /// Interview outcome, if an interview exists.
    pub outcome: Option<String>,
    /// When it was offered.
    pub offered_at: Option<DateTime<Utc>>,
}

const EPISODES: &str = "select e.child_id, e.kind, e.last_seen_at, e.returned_at, i.outcome, i.offered_at from missing_episodes e left join rhi_interviews i on i.episode_id = e.id where e.last_seen_at >= $1 and e.last_seen_at < $2 order by e.child_id, e.last_seen_at";
/// Episodes that began in `[from, to)`, by child and start.
pub async fn episodes(
    tx: &mut Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DbResult<Vec<ListEpisode>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(EPISODES)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await)?)
}

const VISITS: &str = "select child_id, occurred_at from case_notes where kind = 'visit' and occurred_at < $1 order by child_id, occurred_at";
/// (child, when) of every visit note before `to`.
pub async fn visits(tx: &mut Tx, to: DateTime<Utc>) -> DbResult<Vec<(Uuid, DateTime<Utc>)>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(VISITS)
        .bind(to)
        .fetch_all(c)
        .await)?)
}

const LATEST_TICKS: &str = "select s.child_id, t.indicator, t.category from screenings s join screening_ticks t on t.screening_id = s.id where s.recorded_at < $1 and not exists (select 1 from screenings s2 where s2.child_id = s.child_id and s2.recorded_at > s.recorded_at and s2.recorded_at < $1) order by s.child_id";
/// (child, indicator id, category id) ticked on each child's latest
/// screening before `to`.
pub async fn latest_ticks(tx: &mut Tx, to: DateTime<Utc>) -> DbResult<Vec<(Uuid, String, String)>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(LATEST_TICKS)
        .bind(to)
        .fetch_all(c)
        .await)?)
}

const ALL_CHILDREN: &str =
    "select id, la_child_id, dob, sex, ethnicity from children order by la_child_id";
/// Every child, for the contact and referral lists (a contact can be about
/// a child with no legal status).
pub async fn all_children(tx: &mut Tx) -> DbResult<Vec<ListChild>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(ALL_CHILDREN)
        .fetch_all(c)
        .await)?)
}

/// A contact from a school about a known child, for Annex A lists 1 and 3.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ListSchoolContact {
    /// Child.
    pub child_id: Uuid,
    /// When it came in.
    pub received_at: DateTime<Utc>,
    /// `consultation` or `referral`.
    pub kind: String,
    /// The front door's outcome code.
    pub outcome: String,
}

const SCHOOL_CONTACTS: &str = "select child_id, received_at, kind, outcome from school_contacts where child_id is not null and received_at < $1 order by received_at, id";
/// Every contact from a school linked to a child and received before `to`
/// (all of them, so the app can count each referral's previous 12 months).
pub async fn school_contacts(tx: &mut Tx, to: DateTime<Utc>) -> DbResult<Vec<ListSchoolContact>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(SCHOOL_CONTACTS)
        .bind(to)
        .fetch_all(c)
        .await)?)
}

const OOH_CONTACTS: &str = "select child_id, received_at, caller_agency from ooh_contacts where received_at >= $1 and received_at < $2 order by received_at, id";
/// (child, received, caller's agency) of every out-of-hours contact
/// received in `[from, to)`.
pub async fn ooh_contacts(
    tx: &mut Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DbResult<Vec<(Uuid, DateTime<Utc>, String)>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(OOH_CONTACTS)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await)?)
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    MISSING,
    INTERVIEWS,
    REPEAT,
    RISK_LEVELS,
    RISK_CATEGORIES,
    PANEL,
    PANEL_ACTIONS,
    CASELOADS,
    SUPERVISION,
    TEAMS,
    LIST_CHILDREN,
    STATUSES,
    ALLOCATED,
    PLACEMENTS,
    EPISODES,
    VISITS,
    LATEST_TICKS,
    ALL_CHILDREN,
    SCHOOL_CONTACTS,
    OOH_CONTACTS,
];
