//! Return home interviews: created when an episode closes, worked by the
//! commissioned provider's queue.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::authz::Allowed;
use harbour_domain::ids::*;
use harbour_domain::missing::{ReturnInterview, RhiOutcome};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    episode_id: Uuid,
    child_id: Uuid,
    provider_org_id: Uuid,
    due_at: DateTime<Utc>,
    outcome: String,
    offered_at: Option<DateTime<Utc>>,
    offered_by: Option<String>,
    held_at: Option<DateTime<Utc>>,
    reason: Option<String>,
    declined_told: Option<String>,
    late_reason: Option<String>,
    push_pull: Option<String>,
    harm_disclosed: Option<String>,
    exploitation_indicators: Option<String>,
    people_places: Option<String>,
    actions: Option<String>,
}

impl From<Row> for ReturnInterview {
    fn from(r: Row) -> Self {
        ReturnInterview {
            id: r.id,
            episode_id: r.episode_id,
            child_id: ChildId(r.child_id),
            provider_org_id: OrgId(r.provider_org_id),
            due_at: r.due_at,
            outcome: RhiOutcome::parse(&r.outcome).unwrap_or(RhiOutcome::Awaiting),
            offered_at: r.offered_at,
            offered_by: r.offered_by,
            held_at: r.held_at,
            reason: r.reason,
            declined_told: r.declined_told,
            late_reason: r.late_reason,
            push_pull: r.push_pull,
            harm_disclosed: r.harm_disclosed,
            exploitation_indicators: r.exploitation_indicators,
            people_places: r.people_places,
            actions: r.actions,
        }
    }
}

macro_rules! cols {
    () => {
        "id, episode_id, child_id, provider_org_id, due_at, outcome, offered_at, offered_by, held_at, reason, declined_told, late_reason, push_pull, harm_disclosed, exploitation_indicators, people_places, actions"
    };
}

const INSERT: &str = "insert into rhi_interviews (id, episode_id, child_id, provider_org_id, due_at, created_at) values ($1, $2, $3, $4, $5, $6)";
/// Create the interview for a closed episode.
pub async fn insert(
    tx: &mut Tx,
    ok: &Allowed,
    episode: Uuid,
    provider: OrgId,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> DbResult<Uuid> {
    let id = Uuid::now_v7();
    on_tx!(tx, |c| sqlx::query(INSERT)
        .bind(id)
        .bind(episode)
        .bind(ok.child_id().0)
        .bind(provider.0)
        .bind(due_at)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(id)
}

const GET: &str = concat!("select ", cols!(), " from rhi_interviews where id = $1");
/// One interview.
pub async fn get(tx: &mut Tx, id: Uuid) -> DbResult<Option<ReturnInterview>> {
    let r: Option<Row> = on_tx!(tx, |c| sqlx::query_as(GET).bind(id).fetch_optional(c).await)?;
    Ok(r.map(Into::into))
}

const FOR_CHILD: &str = concat!(
    "select ",
    cols!(),
    " from rhi_interviews where child_id = $1 order by due_at desc"
);
/// A child's interviews, newest first.
pub async fn for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<ReturnInterview>> {
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// A row of a provider's queue: the interview and the minimum about the child.
#[derive(Clone, Debug)]
pub struct QueueItem {
    /// The interview.
    pub interview: ReturnInterview,
    /// Child's name.
    pub child_name: String,
    /// Date of birth (for age).
    pub dob: NaiveDate,
    /// When the child returned.
    pub returned_at: Option<DateTime<Utc>>,
}

const QUEUE: &str = "select i.id, i.episode_id, i.child_id, i.provider_org_id, i.due_at, i.outcome, i.offered_at, i.offered_by, i.held_at, i.reason, i.declined_told, i.late_reason, i.push_pull, i.harm_disclosed, i.exploitation_indicators, i.people_places, i.actions, c.first_name, c.last_name, c.dob, e.returned_at from rhi_interviews i join children c on c.id = i.child_id join missing_episodes e on e.id = i.episode_id where i.provider_org_id = $1 and i.outcome = 'awaiting' order by i.due_at";
/// A provider's open interviews, soonest due first.
pub async fn queue(tx: &mut Tx, provider: OrgId) -> DbResult<Vec<QueueItem>> {
    #[derive(sqlx::FromRow)]
    struct QueueRow {
        #[sqlx(flatten)]
        row: Row,
        first_name: String,
        last_name: String,
        dob: NaiveDate,
        returned_at: Option<DateTime<Utc>>,
    }
    let rows: Vec<QueueRow> = on_tx!(tx, |c| sqlx::query_as(QUEUE)
        .bind(provider.0)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|q| QueueItem {
            interview: q.row.into(),
            child_name: format!("{} {}", q.first_name, q.last_name),
            dob: q.dob,
            returned_at: q.returned_at,
        })
        .collect())
}

const RECORD: &str = "update rhi_interviews set outcome = $2, offered_at = $3, held_at = $4, reason = $5, late_reason = $6, push_pull = $7, harm_disclosed = $8, exploitation_indicators = $9, people_places = $10, actions = $11, recorded_by = $12, recorded_at = $13, offered_by = $14, declined_told = $15 where id = $1 and outcome = 'awaiting'";
/// Record the outcome of an awaiting interview. Returns false if already recorded.
pub async fn record(
    tx: &mut Tx,
    i: &ReturnInterview,
    by: UserId,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(RECORD)
        .bind(i.id)
        .bind(i.outcome.as_str())
        .bind(i.offered_at)
        .bind(i.held_at)
        .bind(&i.reason)
        .bind(&i.late_reason)
        .bind(&i.push_pull)
        .bind(&i.harm_disclosed)
        .bind(&i.exploitation_indicators)
        .bind(&i.people_places)
        .bind(&i.actions)
        .bind(by.0)
        .bind(now)
        .bind(&i.offered_by)
        .bind(&i.declined_told)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

const RESCHEDULE: &str =
    "update rhi_interviews set due_at = $2 where episode_id = $1 and outcome = 'awaiting'";
/// When a return time is corrected, move a waiting interview's due time with it.
pub async fn reschedule(tx: &mut Tx, episode: Uuid, due_at: DateTime<Utc>) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(RESCHEDULE)
        .bind(episode)
        .bind(due_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

const PROVIDER: &str =
    "select id from organisations where kind = 'rhi_provider' order by name limit 1";
/// The commissioned return-interview provider, if one is set up.
pub async fn provider(tx: &mut Tx) -> DbResult<Option<OrgId>> {
    let r: Option<(Uuid,)> = on_tx!(tx, |c| sqlx::query_as(PROVIDER).fetch_optional(c).await)?;
    Ok(r.map(|(id,)| OrgId(id)))
}

/// Counts for the missing and interviews dashboard.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MissingCounts {
    /// Children with an open episode.
    pub missing_now: i64,
    /// Episodes that began since the start of the window.
    pub episodes: i64,
    /// Interviews waiting.
    pub awaiting: i64,
    /// Of which past their due time.
    pub overdue: i64,
    /// Interviews (due in the window) with an outcome.
    pub decided: i64,
    /// Of those, offered by the due time.
    pub offered_in_time: i64,
    /// Completed.
    pub completed: i64,
    /// Declined.
    pub declined: i64,
}

const COUNTS: &str = "select (select count(*) from missing_episodes where returned_at is null), (select count(*) from missing_episodes where last_seen_at >= $2), (select count(*) from rhi_interviews where outcome = 'awaiting'), (select count(*) from rhi_interviews where outcome = 'awaiting' and due_at < $1), (select count(*) from rhi_interviews where outcome <> 'awaiting' and due_at >= $2), (select count(*) from rhi_interviews where outcome <> 'awaiting' and due_at >= $2 and offered_at is not null and offered_at <= due_at), (select count(*) from rhi_interviews where outcome = 'completed' and due_at >= $2), (select count(*) from rhi_interviews where outcome = 'declined' and due_at >= $2)";
/// Service-wide counts: now, and over the window starting at `since`.
pub async fn counts(
    tx: &mut Tx,
    now: DateTime<Utc>,
    since: DateTime<Utc>,
) -> DbResult<MissingCounts> {
    type R = (i64, i64, i64, i64, i64, i64, i64, i64);
    let r: R = on_tx!(tx, |c| sqlx::query_as(COUNTS)
        .bind(now)
        .bind(since)
        .fetch_one(c)
        .await)?;
    Ok(MissingCounts {
        missing_now: r.0,
        episodes: r.1,
        awaiting: r.2,
        overdue: r.3,
        decided: r.4,
        offered_in_time: r.5,
        completed: r.6,
        declined: r.7,
    })
}

const REPEAT: &str = "select count(*) from (select child_id from missing_episodes where last_seen_at >= $1 group by child_id having count(*) >= $2) x";
/// Children with at least `n` episodes since `since`.
pub async fn repeat_missing(tx: &mut Tx, since: DateTime<Utc>, n: i64) -> DbResult<i64> {
    let (c,): (i64,) = on_tx!(tx, |c| sqlx::query_as(REPEAT)
        .bind(since)
        .bind(n)
        .fetch_one(c)
        .await)?;
    Ok(c)
}

/// One provider's figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProviderCounts {
    /// Provider's name.
    pub name: String,
    /// Waiting now.
    pub awaiting: i64,
    /// Of which overdue.
    pub overdue: i64,
    /// Due in the window, with an outcome.
    pub decided: i64,
    /// Of those, offered by the due time.
    pub offered_in_time: i64,
    /// Completed.
    pub completed: i64,
}

const BY_PROVIDER: &str = "select o.name, \
 sum(case when i.outcome = 'awaiting' then 1 else 0 end), \
 sum(case when i.outcome = 'awaiting' and i.due_at < $1 then 1 else 0 end), \
 sum(case when i.outcome <> 'awaiting' and i.due_at >= $2 then 1 else 0 end), \
 sum(case when i.outcome <> 'awaiting' and i.due_at >= $2 and i.offered_at is not null and i.offered_at <= i.due_at then 1 else 0 end), \
 sum(case when i.outcome = 'completed' and i.due_at >= $2 then 1 else 0 end) \
 from rhi_interviews i join organisations o on o.id = i.provider_org_id group by o.name order by o.name";
/// Interview figures per commissioned provider.
pub async fn by_provider(
    tx: &mut Tx,
    now: DateTime<Utc>,
    since: DateTime<Utc>,
) -> DbResult<Vec<ProviderCounts>> {
    let rows: Vec<(String, i64, i64, i64, i64, i64)> = on_tx!(tx, |c| sqlx::query_as(BY_PROVIDER)
        .bind(now)
        .bind(since)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| ProviderCounts {
            name: r.0,
            awaiting: r.1,
            overdue: r.2,
            decided: r.3,
            offered_in_time: r.4,
            completed: r.5,
        })
        .collect())
}

/// An overdue interview for a child in someone's work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overdue {
    /// The child.
    pub child_id: ChildId,
    /// Their name.
    pub child_name: String,
    /// When it was due.
    pub due_at: DateTime<Utc>,
    /// The provider.
    pub provider: String,
}

const OVERDUE_FOR: &str = "select c.id, c.first_name, c.last_name, i.due_at, o.name from rhi_interviews i join children c on c.id = i.child_id join organisations o on o.id = i.provider_org_id join allocations a on a.child_id = c.id and a.end_date is null where i.outcome = 'awaiting' and i.due_at < $1 and (a.worker_id = $2 or a.team_id = $3) order by i.due_at";
/// Overdue interviews for children allocated to `worker` or in `team`.
pub async fn overdue_for(
    tx: &mut Tx,
    now: DateTime<Utc>,
    worker: UserId,
    team: Option<TeamId>,
) -> DbResult<Vec<Overdue>> {
    let rows: Vec<(Uuid, String, String, DateTime<Utc>, String)> =
        on_tx!(tx, |c| sqlx::query_as(OVERDUE_FOR)
            .bind(now)
            .bind(worker.0)
            .bind(team.map(|t| t.0))
            .fetch_all(c)
            .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, f, l, due_at, provider)| Overdue {
            child_id: ChildId(id),
            child_name: format!("{f} {l}"),
            due_at,
            provider,
        })
        .collect())
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    INSERT,
    GET,
    FOR_CHILD,
    QUEUE,
    RECORD,
    RESCHEDULE,
    PROVIDER,
    COUNTS,
    REPEAT,
    BY_PROVIDER,
    OVERDUE_FOR,
];
