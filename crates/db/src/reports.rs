//! Aggregates for the performance dashboards, and the child-level facts the
//! statutory lists (Ofsted Annex A, CIN assessment factors) are built from.
//!
//! Dashboard queries count a window of calendar months in one statement
//! per chart, grouped by month with a `case` over the month boundaries
//! (portable SQL, no date functions). A team's counts start from the team's
//! children (their current allocation) rather than filtering the country's
//! rows, and the service-wide counts read only the window's rows through
//! the time indexes (migrations 0025, 0026). "A child's team" is the team of
//! the child's current allocation; a worker's team is the user's team.
//!
//! The list loaders read across every child and take no `Allowed`: they run
//! only after `decide_service(StatutoryLists)` in `App::annex_a` and
//! `App::cin_factors_export`, which audit the export.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::ids::TeamId;
use harbour_domain::reports::{WriteUp, write_up};
use uuid::Uuid;

/// The SQL for "which month of the window is `col` in": a `case` over the
/// month boundaries, bound as `$1` (the window's start) to `$n` (its end).
/// Month `i` is `[bounds[i], bounds[i + 1])`; rows outside the window are
/// filtered by the statement (`col >= $1 and col < $n`). Portable SQL: no
/// date functions, so SQLite and PostgreSQL count the same months.
fn month_of(col: &str, bounds: usize) -> String {
    let months = bounds.saturating_sub(1);
    if months <= 1 {
        return "cast(0 as bigint)".into();
    }
    let mut s = String::from("cast(case");
    for i in 1..months {
        s.push_str(&format!(" when {col} < ${} then {}", i + 1, i - 1));
    }
    s.push_str(&format!(
        " else {} end as bigint)",
        months.saturating_sub(1)
    ));
    s
}

/// The window filter for [`month_of`]: `col >= $1 and col < $n`.
fn in_window(col: &str, bounds: usize) -> String {
    format!("{col} >= $1 and {col} < ${bounds}")
}

/// Where a team's counts start: its children, by their current allocation
/// (one open allocation per child, `allocations_one_open`), read through
/// `allocations_team_open` so the team's hundred or so children are found
/// without touching the rest of the country's rows. `$t` is the team.
fn team_children(t: usize) -> String {
    format!("(select a.child_id from allocations a where a.team_id = ${t} and a.end_date is null)")
}

/// Spread `(month, values…)` rows over `months` months, zero where a month
/// has no row.
fn by_month<const N: usize>(rows: Vec<(i64, [i64; N])>, months: usize) -> Vec<[i64; N]> {
    let mut out = vec![[0; N]; months];
    for (m, v) in rows {
        if let Some(slot) = usize::try_from(m).ok().and_then(|m| out.get_mut(m)) {
            for (o, x) in slot.iter_mut().zip(v) {
                *o += x;
            }
        }
    }
    out
}

/// `(month, a, b)` rows as `(a, b)` for each of `months` months.
fn pairs(rows: Vec<(i64, i64, i64)>, months: usize) -> Vec<(i64, i64)> {
    by_month(
        rows.into_iter().map(|(m, a, b)| (m, [a, b])).collect(),
        months,
    )
    .into_iter()
    .map(|[a, b]| (a, b))
    .collect()
}

/// Run a dashboard statement: `bounds` bound first (`$1`…), then `extra`
/// (a threshold), then the team when there is one (the statement was built
/// for it: see [`team_children`]).
macro_rules! dashboard {
    ($tx:expr, $sql:expr, $bounds:expr, $row:ty, [$($extra:expr),*], $team:expr, $fetch:ident) => {{
        let sql: String = $sql;
        let team: Option<TeamId> = $team;
        let rows: $row = on_tx!($tx, |c| {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for b in $bounds {
                q = q.bind(*b);
            }
            $(q = q.bind($extra);)*
            if let Some(t) = team {
                q = q.bind(t.0);
            }
            q.$fetch(c).await
        })?;
        rows
    }};
}

/// Restrict to the team's children when `team` is `Some(param)`.
fn team_filter(col: &str, team: Option<usize>) -> String {
    match team {
        Some(t) => format!(" and {col} in {}", team_children(t)),
        None => String::new(),
    }
}

/// `select <month>, <counts> from <from> where <in the window> [and the
/// child is the team's] group by <month>`: `time` is the column the months
/// are read from, `child` the child's id column; the team, when there is
/// one, is the parameter after the boundaries.
fn monthly_sql(
    counts: &str,
    from: &str,
    time: &str,
    child: &str,
    bounds: usize,
    team: bool,
) -> String {
    format!(
        "select {}, {counts} from {from} where {}{} group by 1",
        month_of(time, bounds),
        in_window(time, bounds),
        team_filter(child, team.then_some(bounds + 1)),
    )
}

/// Missing and away episodes by month (see [`missing`]).
fn missing_sql(bounds: usize, team: bool) -> String {
    monthly_sql(
        "coalesce(sum(case when e.kind = 'M' then 1 else 0 end), 0), coalesce(sum(case when e.kind = 'A' then 1 else 0 end), 0)",
        "missing_episodes e",
        "e.last_seen_at",
        "e.child_id",
        bounds,
        team,
    )
}

/// Interviews due by month (see [`interviews`]).
fn interviews_sql(bounds: usize, team: bool) -> String {
    monthly_sql(
        "count(*), coalesce(sum(case when i.offered_at is not null and i.offered_at <= i.due_at then 1 else 0 end), 0), coalesce(sum(case when i.outcome = 'completed' then 1 else 0 end), 0)",
        "rhi_interviews i",
        "i.due_at",
        "i.child_id",
        bounds,
        team,
    )
}

/// Children missing, and missing repeatedly, by month (see
/// [`repeat_missing`]); the threshold is `$bounds + 1`.
fn repeat_sql(bounds: usize, team: bool) -> String {
    format!(
        "select x.m, count(*), coalesce(sum(case when x.n >= ${} then 1 else 0 end), 0) from (select {} as m, e.child_id, count(*) as n from missing_episodes e where {}{} group by 1, 2) x group by x.m",
        bounds + 1,
        month_of("e.last_seen_at", bounds),
        in_window("e.last_seen_at", bounds),
        team_filter("e.child_id", team.then_some(bounds + 2)),
    )
}

/// Panel referrals by month (see [`panel`]).
fn referrals_sql(bounds: usize, team: bool) -> String {
    monthly_sql(
        "count(*)",
        "panel_referrals r",
        "r.referred_at",
        "r.child_id",
        bounds,
        team,
    )
}

/// Children discussed at panel meetings, by the meeting's month (see
/// [`panel`]); the boundaries are dates.
fn reviews_sql(bounds: usize, team: bool) -> String {
    monthly_sql(
        "count(*)",
        "panel_discussions d join panel_meetings m on m.id = d.meeting_id",
        "m.held_on",
        "d.child_id",
        bounds,
        team,
    )
}

/// Supervision sessions held, by month, with what classifies their
/// write-up (see [`supervision`]): the supervisee's team.
fn supervision_sql(bounds: usize, team: bool) -> String {
    let team = if team {
        format!(
            " and s.supervisee_id in (select u.id from users u where u.team_id = ${})",
            bounds + 1
        )
    } else {
        String::new()
    };
    format!(
        "select {}, s.recording_due, s.signed_off_at from supervision_sessions s where {}{team}",
        month_of("s.held_at", bounds),
        in_window("s.held_at", bounds),
    )
}

const LATEST_IN_WINDOW: &str = "s.recorded_at >= $1 and s.recorded_at < $2 and not exists (select 1 from screenings s2 where s2.child_id = s.child_id and s2.recorded_at > s.recorded_at and s2.recorded_at < $2)";

/// Children by the level of their latest screening in `[$1, $2)`.
fn risk_levels_sql(team: bool) -> String {
    format!(
        "select s.level, count(*) from screenings s where {LATEST_IN_WINDOW}{} group by s.level",
        team_filter("s.child_id", team.then_some(3)),
    )
}

/// Children by category and level of their latest screening in `[$1, $2)`.
fn risk_categories_sql(team: bool) -> String {
    format!(
        "select s.level, t.category, count(distinct s.child_id) from screenings s join screening_ticks t on t.screening_id = s.id where {LATEST_IN_WINDOW}{} group by s.level, t.category",
        team_filter("s.child_id", team.then_some(3)),
    )
}

/// Panel actions open, and overdue on `$1`.
fn panel_actions_sql(team: bool) -> String {
    format!(
        "select count(*), coalesce(sum(case when p.due_on < $1 then 1 else 0 end), 0) from panel_actions p where p.status <> 'done'{}",
        team_filter("p.child_id", team.then_some(2)),
    )
}

/// Every dashboard statement as it is built for the 6- and 12-month
/// lookbacks, for a team and for the service (for the register of queries).
pub fn dashboard_queries() -> Vec<String> {
    let mut v = Vec::new();
    for team in [false, true] {
        for bounds in [7, 13] {
            v.extend([
                missing_sql(bounds, team),
                interviews_sql(bounds, team),
                repeat_sql(bounds, team),
                referrals_sql(bounds, team),
                reviews_sql(bounds, team),
                supervision_sql(bounds, team),
            ]);
        }
        v.extend([
            risk_levels_sql(team),
            risk_categories_sql(team),
            panel_actions_sql(team),
        ]);
    }
    v
}

/// Missing (M) and away (A) episodes that began in each month of the window
/// `bounds` (month `i` is `[bounds[i], bounds[i + 1])`), for a team's
/// children or the whole service: one statement for every month.
pub async fn missing(
    tx: &mut Tx,
    bounds: &[DateTime<Utc>],
    team: Option<TeamId>,
) -> DbResult<Vec<(i64, i64)>> {
    let n = bounds.len();
    let rows = dashboard!(
        tx,
        missing_sql(n, team.is_some()),
        bounds,
        Vec<(i64, i64, i64)>,
        [],
        team,
        fetch_all
    );
    Ok(pairs(rows, n.saturating_sub(1)))
}

/// Return home interviews due in a month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InterviewCounts {
    /// Due in the month.
    pub due: i64,
    /// Offered by the due time (72 hours after the return).
    pub offered_in_time: i64,
    /// Accepted: the interview was held.
    pub accepted: i64,
}

/// Interviews due in each month of the window: offered in time, accepted.
pub async fn interviews(
    tx: &mut Tx,
    bounds: &[DateTime<Utc>],
    team: Option<TeamId>,
) -> DbResult<Vec<InterviewCounts>> {
    let n = bounds.len();
    let rows = dashboard!(
        tx,
        interviews_sql(n, team.is_some()),
        bounds,
        Vec<(i64, i64, i64, i64)>,
        [],
        team,
        fetch_all
    );
    Ok(by_month(
        rows.into_iter()
            .map(|(m, a, b, c)| (m, [a, b, c]))
            .collect(),
        n.saturating_sub(1),
    )
    .into_iter()
    .map(|[due, offered_in_time, accepted]| InterviewCounts {
        due,
        offered_in_time,
        accepted,
    })
    .collect())
}

/// For each month of the window: (children missing or away at least once,
/// of whom at least `repeat` times in that month).
pub async fn repeat_missing(
    tx: &mut Tx,
    bounds: &[DateTime<Utc>],
    team: Option<TeamId>,
    repeat: i64,
) -> DbResult<Vec<(i64, i64)>> {
    let n = bounds.len();
    let rows = dashboard!(
        tx,
        repeat_sql(n, team.is_some()),
        bounds,
        Vec<(i64, i64, i64)>,
        [repeat],
        team,
        fetch_all
    );
    Ok(pairs(rows, n.saturating_sub(1)))
}

/// Children by the level of their latest screening, for screenings recorded
/// in the window (a child screened twice counts once, at the later level).
pub async fn risk_levels(
    tx: &mut Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    team: Option<TeamId>,
) -> DbResult<Vec<(String, i64)>> {
    Ok(dashboard!(
        tx,
        risk_levels_sql(team.is_some()),
        &[from, to],
        Vec<(String, i64)>,
        [],
        team,
        fetch_all
    ))
}

/// (level, category id, children): children whose latest screening in the
/// window has at least one indicator ticked in the category.
pub async fn risk_categories(
    tx: &mut Tx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    team: Option<TeamId>,
) -> DbResult<Vec<(String, String, i64)>> {
    Ok(dashboard!(
        tx,
        risk_categories_sql(team.is_some()),
        &[from, to],
        Vec<(String, String, i64)>,
        [],
        team,
        fetch_all
    ))
}

/// For each month of the window: (referrals made, reviews held: a child
/// discussed at a meeting). `days` are the same boundaries as dates, for
/// meeting days.
pub async fn panel(
    tx: &mut Tx,
    bounds: &[DateTime<Utc>],
    days: &[NaiveDate],
    team: Option<TeamId>,
) -> DbResult<Vec<(i64, i64)>> {
    let months = bounds.len().saturating_sub(1);
    let refs = dashboard!(
        tx,
        referrals_sql(bounds.len(), team.is_some()),
        bounds,
        Vec<(i64, i64)>,
        [],
        team,
        fetch_all
    );
    let revs = dashboard!(
        tx,
        reviews_sql(days.len(), team.is_some()),
        days,
        Vec<(i64, i64)>,
        [],
        team,
        fetch_all
    );
    let refs = by_month(refs.into_iter().map(|(m, a)| (m, [a])).collect(), months);
    let revs = by_month(revs.into_iter().map(|(m, a)| (m, [a])).collect(), months);
    Ok(refs
        .into_iter()
        .zip(revs)
        .map(|([a], [b])| (a, b))
        .collect())
}

/// (panel actions open now, of which past their due date on `today`).
pub async fn panel_actions_open(
    tx: &mut Tx,
    today: NaiveDate,
    team: Option<TeamId>,
) -> DbResult<(i64, i64)> {
    Ok(dashboard!(
        tx,
        panel_actions_sql(team.is_some()),
        &[today],
        (i64, i64),
        [],
        team,
        fetch_one
    ))
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

/// Sessions held in each month of the window (the supervisee's team, or
/// the service), classified by [`write_up`] on `today`.
pub async fn supervision(
    tx: &mut Tx,
    bounds: &[DateTime<Utc>],
    team: Option<TeamId>,
    today: NaiveDate,
) -> DbResult<Vec<SupervisionCounts>> {
    let n = bounds.len();
    let rows = dashboard!(
        tx,
        supervision_sql(n, team.is_some()),
        bounds,
        Vec<(i64, NaiveDate, Option<DateTime<Utc>>)>,
        [],
        team,
        fetch_all
    );
    let mut out = vec![SupervisionCounts::default(); n.saturating_sub(1)];
    for (m, due, signed) in rows {
        let Some(s) = usize::try_from(m).ok().and_then(|m| out.get_mut(m)) else {
            continue;
        };
        s.held += 1;
        match write_up(due, signed, today) {
            WriteUp::OnTime => s.on_time += 1,
            WriteUp::Late => s.late += 1,
            WriteUp::Overdue => s.overdue += 1,
            WriteUp::Pending => s.pending += 1,
        }
    }
    Ok(out)
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
/// (The dashboard statements are built for the lookback: see
/// [`dashboard_queries`].)
pub const QUERIES: &[&str] = &[
    CASELOADS,
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
