//! Caseload storage: the facts the weighting needs for every open
//! allocation, sibling pairs held by one worker, case-holding workers,
//! teams and their establishment, capacity overrides, weekly snapshots,
//! leavers and allocation starts (demand).

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::authz::Allowed;
use harbour_domain::ids::*;
use uuid::Uuid;

/// What the weighting needs about one allocated (or to-be-allocated) child.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseRow {
    /// The child.
    pub child_id: Uuid,
    /// The allocated worker (None when reading one child not yet allocated).
    pub worker_id: Option<Uuid>,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// The authority's child id.
    pub la_child_id: String,
    /// Restricted record.
    pub restricted: bool,
    /// Current legal status code.
    pub status: Option<String>,
    /// In care proceedings.
    pub court_work: bool,
    /// Missing episodes that started since the window's start.
    pub recent_missing: i64,
    /// Return home interviews since the exploitation window's start that recorded signs of exploitation.
    pub exploitation_signs: i64,
}

macro_rules! case_cols {
    () => {
        "c.id as child_id, a.worker_id, c.first_name, c.last_name, c.la_child_id, c.restricted, \
         (select l.status from legal_statuses l where l.child_id = c.id and l.end_date is null order by l.start_date desc limit 1) as status, \
         exists (select 1 from court_work w where w.child_id = c.id) as court_work, \
         (select count(*) from missing_episodes e where e.child_id = c.id and e.last_seen_at >= $1) as recent_missing, \
         (select count(*) from rhi_interviews i where i.child_id = c.id and i.held_at >= $2 and i.exploitation_indicators is not null and i.exploitation_indicators <> '') as exploitation_signs "
    };
}

const OPEN_CASES: &str = concat!(
    "select ",
    case_cols!(),
    "from allocations a join children c on c.id = a.child_id where a.end_date is null order by c.last_name, c.first_name"
);
const OPEN_CASES_IN_TEAM: &str = concat!(
    "select ",
    case_cols!(),
    "from allocations a join children c on c.id = a.child_id where a.end_date is null \
     and a.worker_id in (select u.id from users u where u.team_id = $3) order by c.last_name, c.first_name"
);
/// Every open allocation with its weighting facts, of every worker or of the
/// workers in `team` (a team's page need not weigh the whole country's
/// cases). `missing_since` starts the repeat-missing window, `signs_since`
/// the exploitation window.
pub async fn open_cases(
    tx: &mut Tx,
    missing_since: DateTime<Utc>,
    signs_since: DateTime<Utc>,
    team: Option<TeamId>,
) -> DbResult<Vec<CaseRow>> {
    Ok(on_tx!(tx, |c| {
        let q = sqlx::query_as(if team.is_some() {
            OPEN_CASES_IN_TEAM
        } else {
            OPEN_CASES
        })
        .bind(missing_since)
        .bind(signs_since);
        match team {
            Some(t) => q.bind(t.0),
            None => q,
        }
        .fetch_all(c)
        .await
    })?)
}

const CHILD_CASE: &str = concat!(
    "select ",
    case_cols!(),
    "from children c left join allocations a on a.child_id = c.id and a.end_date is null where c.id = $3"
);
/// One child's weighting facts.
pub async fn child_case(
    tx: &mut Tx,
    ok: &Allowed,
    missing_since: DateTime<Utc>,
    signs_since: DateTime<Utc>,
) -> DbResult<Option<CaseRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(CHILD_CASE)
        .bind(missing_since)
        .bind(signs_since)
        .bind(ok.child_id().0)
        .fetch_optional(c)
        .await)?)
}

/// A sibling relationship: the child's family relationship names the other
/// child (first and last name) as brother, sister, half-sibling or sibling.
macro_rules! sibling_family {
    () => {
        "join relationships r on r.child_id = x.id and r.kind = 'family' \
         and (lower(r.role) like '%brother%' or lower(r.role) like '%sister%' or lower(r.role) like '%sibling%') "
    };
}
macro_rules! sibling_named {
    () => {
        "y.id <> x.id and lower(r.name) = lower(y.first_name || ' ' || y.last_name) "
    };
}
macro_rules! sibling_join {
    () => {
        concat!(sibling_family!(), "join children y on ", sibling_named!())
    };
}

const SIBLING_PAIRS: &str = concat!(
    "select x.id, y.id from children x ",
    sibling_join!(),
    "join allocations ax on ax.child_id = x.id and ax.end_date is null \
     join allocations ay on ay.child_id = y.id and ay.end_date is null and ay.worker_id = ax.worker_id"
);
// The same pairs for one team's workers, read from the team's allocations
// outwards: the other sibling is looked for among the same worker's
// children only.
const SIBLING_PAIRS_IN_TEAM: &str = concat!(
    "select x.id, y.id from allocations ax join children x on x.id = ax.child_id ",
    sibling_family!(),
    "join allocations ay on ay.worker_id = ax.worker_id and ay.end_date is null \
     join children y on y.id = ay.child_id and ",
    sibling_named!(),
    "where ax.end_date is null and ax.worker_id in (select u.id from users u where u.team_id = $1)"
);
/// Pairs of siblings allocated to the same worker (of `team`'s workers,
/// when given).
pub async fn sibling_pairs(tx: &mut Tx, team: Option<TeamId>) -> DbResult<Vec<(Uuid, Uuid)>> {
    Ok(on_tx!(tx, |c| match team {
        Some(t) =>
            sqlx::query_as(SIBLING_PAIRS_IN_TEAM)
                .bind(t.0)
                .fetch_all(c)
                .await,
        None => sqlx::query_as(SIBLING_PAIRS).fetch_all(c).await,
    })?)
}

const SIBLINGS_OF: &str = concat!(
    "select x.id, y.id from children x ",
    sibling_join!(),
    "where x.id = $1 or y.id = $1"
);
/// Sibling pairs (either direction) that include the child.
pub async fn siblings_of(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<(Uuid, Uuid)>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(SIBLINGS_OF)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?)
}

/// A worker who can hold cases.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct WorkerRow {
    /// User id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Team.
    pub team_id: Option<Uuid>,
    /// Team name.
    pub team_name: Option<String>,
    /// The pod serving the team.
    pub pod_id: Option<Uuid>,
    /// The team's manager.
    pub manager_id: Option<Uuid>,
    /// FTE in hundredths.
    pub fte_hundredths: i32,
    /// Agency worker.
    pub agency: bool,
    /// ASYE start.
    pub asye_start: Option<NaiveDate>,
}

macro_rules! workers_where {
    () => {
        "select u.id, u.name, u.role, u.team_id, t.name as team_name, t.pod_id, t.manager_id, u.fte_hundredths, u.agency, u.asye_start from users u left join teams t on t.id = u.team_id where u.role in ('social_worker', 'team_manager') and u.disabled_at is null "
    };
}
const WORKERS: &str = concat!(workers_where!(), "order by t.name, u.name");
const WORKERS_IN_TEAM: &str = concat!(workers_where!(), "and u.team_id = $1 order by u.name");
/// Case-holding workers (social workers and team managers), not disabled:
/// all of them, or `team`'s.
pub async fn workers(tx: &mut Tx, team: Option<TeamId>) -> DbResult<Vec<WorkerRow>> {
    Ok(on_tx!(tx, |c| match team {
        Some(t) => sqlx::query_as(WORKERS_IN_TEAM).bind(t.0).fetch_all(c).await,
        None => sqlx::query_as(WORKERS).fetch_all(c).await,
    })?)
}

const WORKER: &str = "select u.id, u.name, u.role, u.team_id, t.name as team_name, t.pod_id, t.manager_id, u.fte_hundredths, u.agency, u.asye_start from users u left join teams t on t.id = u.team_id where u.id = $1";
/// One user as a worker (disabled or not).
pub async fn worker(tx: &mut Tx, id: UserId) -> DbResult<Option<WorkerRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(WORKER)
        .bind(id.0)
        .fetch_optional(c)
        .await)?)
}

/// A team, its pod and its establishment.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TeamRow {
    /// Team id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Serving pod.
    pub pod_id: Option<Uuid>,
    /// Pod name.
    pub pod_name: Option<String>,
    /// Manager.
    pub manager_id: Option<Uuid>,
    /// Funded FTE in hundredths, if set.
    pub establishment_fte_hundredths: Option<i32>,
}

const TEAMS: &str = "select t.id, t.name, t.pod_id, p.name as pod_name, t.manager_id, t.establishment_fte_hundredths from teams t left join pods p on p.id = t.pod_id order by t.name";
/// Every team.
pub async fn teams(tx: &mut Tx) -> DbResult<Vec<TeamRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(TEAMS).fetch_all(c).await)?)
}

const POD_NAME: &str = "select name from pods where id = $1";
/// A pod's name.
pub async fn pod_name(tx: &mut Tx, id: PodId) -> DbResult<Option<String>> {
    let r: Option<(String,)> = on_tx!(tx, |c| sqlx::query_as(POD_NAME)
        .bind(id.0)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(|x| x.0))
}

const SET_ESTABLISHMENT: &str = "update teams set establishment_fte_hundredths = $2 where id = $1";
/// Set a team's establishment; false if there is no such team.
pub async fn set_establishment(
    tx: &mut Tx,
    team: TeamId,
    fte_hundredths: Option<i32>,
) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(SET_ESTABLISHMENT)
        .bind(team.0)
        .bind(fte_hundredths)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

const SET_COURT_WORK: &str = "insert into court_work (child_id, since, recorded_by, recorded_at) values ($1, $2, $3, $4) on conflict (child_id) do nothing";
/// Record that care proceedings are under way for the child.
pub async fn set_court_work(
    tx: &mut Tx,
    ok: &Allowed,
    since: NaiveDate,
    by: Option<UserId>,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(SET_COURT_WORK)
        .bind(ok.child_id().0)
        .bind(since)
        .bind(by.map(|u| u.0))
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Care proceedings under way for the child: since when, recorded by whom.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CourtWork {
    /// Since.
    pub since: NaiveDate,
    /// Who recorded it (none for an import or the demo).
    pub recorded_by_name: Option<String>,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

const COURT_WORK: &str = "select w.since, u.name as recorded_by_name, w.recorded_at from court_work w left join users u on u.id = w.recorded_by where w.child_id = $1";
/// Whether care proceedings are recorded for the child (court work, which
/// the caseload weighting counts).
pub async fn court_work(tx: &mut Tx, ok: &Allowed) -> DbResult<Option<CourtWork>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(COURT_WORK)
        .bind(ok.child_id().0)
        .fetch_optional(c)
        .await)?)
}

const END_COURT_WORK: &str = "delete from court_work where child_id = $1";
/// Proceedings have ended: the child no longer counts as court work (the
/// audit trail keeps when it started and ended). Returns whether a row went.
pub async fn end_court_work(tx: &mut Tx, ok: &Allowed) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(END_COURT_WORK)
        .bind(ok.child_id().0)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// An allocation a team manager made past a cap or threshold.
#[derive(Clone, Debug)]
pub struct NewOverride {
    /// Identifier.
    pub id: Uuid,
    /// The allocation it allowed.
    pub allocation_id: AllocationId,
    /// The worker.
    pub worker_id: UserId,
    /// The worker's team.
    pub team_id: Option<TeamId>,
    /// `asye_cap` or `red_threshold`.
    pub breach: &'static str,
    /// Load after the allocation.
    pub projected_points: i32,
    /// The worker's capacity.
    pub capacity_points: i32,
    /// The manager's reason.
    pub reason: String,
    /// The manager.
    pub approved_by: UserId,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

const INSERT_OVERRIDE: &str = "insert into allocation_overrides (id, allocation_id, child_id, worker_id, team_id, breach, projected_points, capacity_points, reason, approved_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
/// Store an override, with the allocation it allowed.
pub async fn insert_override(tx: &mut Tx, ok: &Allowed, o: &NewOverride) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_OVERRIDE)
        .bind(o.id)
        .bind(o.allocation_id.0)
        .bind(ok.child_id().0)
        .bind(o.worker_id.0)
        .bind(o.team_id.map(|t| t.0))
        .bind(o.breach)
        .bind(o.projected_points)
        .bind(o.capacity_points)
        .bind(&o.reason)
        .bind(o.approved_by.0)
        .bind(o.recorded_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// An override, for the manager's report.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OverrideRow {
    /// Identifier.
    pub id: Uuid,
    /// The child.
    pub child_id: Uuid,
    /// Child's given name.
    pub first_name: String,
    /// Child's family name.
    pub last_name: String,
    /// Restricted record.
    pub restricted: bool,
    /// The worker.
    pub worker_name: String,
    /// `asye_cap` or `red_threshold`.
    pub breach: String,
    /// Load after the allocation.
    pub projected_points: i32,
    /// Capacity.
    pub capacity_points: i32,
    /// Reason.
    pub reason: String,
    /// The manager.
    pub approved_by_name: String,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

const OVERRIDES_FOR_TEAM: &str = "select o.id, o.child_id, c.first_name, c.last_name, c.restricted, w.name as worker_name, o.breach, o.projected_points, o.capacity_points, o.reason, m.name as approved_by_name, o.recorded_at from allocation_overrides o join children c on c.id = o.child_id join users w on w.id = o.worker_id join users m on m.id = o.approved_by where o.team_id = $1 and o.recorded_at >= $2 order by o.recorded_at desc limit 500";
/// A team's overrides since `since`, newest first.
pub async fn overrides_for_team(
    tx: &mut Tx,
    team: TeamId,
    since: DateTime<Utc>,
) -> DbResult<Vec<OverrideRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(OVERRIDES_FOR_TEAM)
        .bind(team.0)
        .bind(since)
        .fetch_all(c)
        .await)?)
}

/// One worker's figures in one ISO week.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SnapshotRow {
    /// ISO week, `2026-W48`.
    pub week: String,
    /// Worker.
    pub worker_id: Uuid,
    /// Their team then.
    pub team_id: Option<Uuid>,
    /// In their ASYE year then.
    pub asye: bool,
    /// FTE then.
    pub fte_hundredths: i32,
    /// Children held.
    pub children: i32,
    /// Weighted points.
    pub points: i32,
    /// Capacity in points.
    pub capacity_points: i32,
}

const SNAPSHOT_WEEK_EXISTS: &str = "select count(*) from caseload_snapshots where week = $1";
/// Whether a snapshot of `week` was taken.
pub async fn snapshot_exists(tx: &mut Tx, week: &str) -> DbResult<bool> {
    let (n,): (i64,) = on_tx!(tx, |c| sqlx::query_as(SNAPSHOT_WEEK_EXISTS)
        .bind(week)
        .fetch_one(c)
        .await)?;
    Ok(n > 0)
}

const INSERT_SNAPSHOT: &str = "insert into caseload_snapshots (week, worker_id, team_id, asye, fte_hundredths, children, points, capacity_points, taken_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (week, worker_id) do nothing";
/// Store one worker's row of a snapshot (a second for the same week and worker is ignored).
pub async fn insert_snapshot(tx: &mut Tx, s: &SnapshotRow, at: DateTime<Utc>) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_SNAPSHOT)
        .bind(&s.week)
        .bind(s.worker_id)
        .bind(s.team_id)
        .bind(s.asye)
        .bind(s.fte_hundredths)
        .bind(s.children)
        .bind(s.points)
        .bind(s.capacity_points)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const SNAPSHOTS_SINCE: &str = "select week, worker_id, team_id, asye, fte_hundredths, children, points, capacity_points from caseload_snapshots where week >= $1 order by week, worker_id";
/// Snapshot rows from `week` on (ISO week strings sort in time order).
pub async fn snapshots_since(tx: &mut Tx, week: &str) -> DbResult<Vec<SnapshotRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(SNAPSHOTS_SINCE)
        .bind(week)
        .fetch_all(c)
        .await)?)
}

/// A case-holding worker whose account was disabled.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LeaverRow {
    /// User id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Team.
    pub team_id: Option<Uuid>,
    /// Agency worker.
    pub agency: bool,
    /// When disabled.
    pub disabled_at: DateTime<Utc>,
    /// Children still allocated to them.
    pub children: i64,
}

const LEAVERS: &str = "select u.id, u.name, u.team_id, u.agency, u.disabled_at, (select count(*) from allocations a where a.worker_id = u.id and a.end_date is null) as children from users u where u.role in ('social_worker', 'team_manager') and u.disabled_at is not null and u.disabled_at >= $1 order by u.disabled_at desc";
/// Case-holding workers disabled since `since`.
pub async fn leavers(tx: &mut Tx, since: DateTime<Utc>) -> DbResult<Vec<LeaverRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(LEAVERS)
        .bind(since)
        .fetch_all(c)
        .await)?)
}

const ALLOCATION_STARTS: &str =
    "select start_date, team_id from allocations where start_date >= $1 and start_date <= $2";
/// Start dates (and teams) of allocations from `from` to `to`.
pub async fn allocation_starts(
    tx: &mut Tx,
    from: NaiveDate,
    to: NaiveDate,
) -> DbResult<Vec<(NaiveDate, Option<Uuid>)>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(ALLOCATION_STARTS)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await)?)
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    OPEN_CASES,
    OPEN_CASES_IN_TEAM,
    CHILD_CASE,
    SIBLING_PAIRS,
    SIBLING_PAIRS_IN_TEAM,
    WORKERS_IN_TEAM,
    SIBLINGS_OF,
    WORKERS,
    WORKER,
    TEAMS,
    POD_NAME,
    SET_ESTABLISHMENT,
    SET_COURT_WORK,
    INSERT_OVERRIDE,
    OVERRIDES_FOR_TEAM,
    SNAPSHOT_WEEK_EXISTS,
    INSERT_SNAPSHOT,
    SNAPSHOTS_SINCE,
    LEAVERS,
    ALLOCATION_STARTS,
];
