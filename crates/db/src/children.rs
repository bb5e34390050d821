//! Children: the record itself, its search keys, and the facts the policy
//! needs about the asking user's relationship with each child, read fresh in
//! the same query that lists or loads children.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::authz::{Actor, ChildFacts};
use harbour_domain::codes::Sex;
use harbour_domain::ids::*;
use harbour_domain::model::{Alias, Child, ShareScope};
use uuid::Uuid;

/// A child with the current allocation and the asking user's access facts.
#[derive(Clone, Debug)]
pub struct ChildWithFacts {
    /// The child.
    pub child: Child,
    /// Policy facts for the asking user.
    pub facts: ChildFacts,
    /// Allocated worker's name.
    pub worker_name: Option<String>,
    /// Allocated worker.
    pub worker_id: Option<UserId>,
    /// Allocated team's name.
    pub team_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    la_child_id: String,
    first_name: String,
    last_name: String,
    dob: NaiveDate,
    sex: String,
    ethnicity: String,
    upn: Option<String>,
    nhs_number: Option<String>,
    responsible_la: String,
    host_la: Option<String>,
    school: Option<String>,
    restricted: bool,
    created_at: DateTime<Utc>,
    worker_id: Option<Uuid>,
    worker_name: Option<String>,
    team_id: Option<Uuid>,
    team_name: Option<String>,
    pod_id: Option<Uuid>,
    manager_id: Option<Uuid>,
    share_scope: Option<String>,
    break_glass: bool,
}

impl Row {
    fn into_facts(self, actor: UserId) -> ChildWithFacts {
        let child = Child {
            id: ChildId(self.id),
            la_child_id: self.la_child_id,
            first_name: self.first_name,
            last_name: self.last_name,
            dob: self.dob,
            sex: Sex::parse(&self.sex).unwrap_or(Sex::U),
            ethnicity: self.ethnicity,
            upn: self.upn,
            nhs_number: self.nhs_number,
            responsible_la: self.responsible_la,
            host_la: self.host_la,
            school: self.school,
            restricted: self.restricted,
            created_at: self.created_at,
        };
        let facts = ChildFacts {
            child_id: child.id,
            restricted: child.restricted,
            allocated_to_actor: self.worker_id == Some(actor.0),
            allocated_team: self.team_id.map(TeamId),
            allocated_team_pod: self.pod_id.map(PodId),
            allocated_team_manager: self.manager_id.map(UserId),
            share: self.share_scope.as_deref().and_then(ShareScope::parse),
            break_glass: self.break_glass,
        };
        ChildWithFacts {
            child,
            facts,
            worker_name: self.worker_name,
            worker_id: self.worker_id.map(UserId),
            team_name: self.team_name,
        }
    }
}

/// The child columns with allocation and access facts. Parameters: $1 actor
/// user id, $2 actor org id, $3 now.
macro_rules! select_with_facts {
    () => {
        "select c.id, c.la_child_id, c.first_name, c.last_name, c.dob, c.sex, c.ethnicity, c.upn, c.nhs_number, \
         c.responsible_la, c.host_la, c.school, c.restricted, c.created_at, \
         a.worker_id, w.name as worker_name, a.team_id, t.name as team_name, t.pod_id, t.manager_id, \
         (select min(s.scope) from shares s where s.child_id = c.id and s.org_id = $2 and (s.expires_at is null or s.expires_at > $3)) as share_scope, \
         exists (select 1 from break_glass b where b.child_id = c.id and b.user_id = $1 and b.expires_at > $3) as break_glass \
         from children c \
         left join allocations a on a.child_id = c.id and a.end_date is null \
         left join users w on w.id = a.worker_id \
         left join teams t on t.id = a.team_id "
    };
}

async fn fetch_many(
    tx: &mut Tx,
    sql: &'static str,
    actor: &Actor,
    now: DateTime<Utc>,
    extra: Option<Uuid>,
    extra_text: Option<&str>,
) -> DbResult<Vec<ChildWithFacts>> {
    let rows: Vec<Row> = on_tx!(tx, |c| {
        let mut q = sqlx::query_as(sql)
            .bind(actor.user_id.0)
            .bind(actor.org_id.0)
            .bind(now);
        if let Some(e) = extra {
            q = q.bind(e);
        }
        if let Some(t) = extra_text {
            q = q.bind(t.to_string());
        }
        q.fetch_all(c).await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_facts(actor.user_id))
        .collect())
}

const GET_WITH_FACTS: &str = concat!(select_with_facts!(), "where c.id = $4");
/// One child with the actor's access facts.
pub async fn get_with_facts(
    tx: &mut Tx,
    actor: &Actor,
    id: ChildId,
    now: DateTime<Utc>,
) -> DbResult<Option<ChildWithFacts>> {
    Ok(fetch_many(tx, GET_WITH_FACTS, actor, now, Some(id.0), None)
        .await?
        .pop())
}

const ALLOCATED_TO: &str = concat!(
    select_with_facts!(),
    "where a.worker_id = $4 order by c.last_name, c.first_name"
);
/// Children allocated to a worker.
pub async fn allocated_to(
    tx: &mut Tx,
    actor: &Actor,
    worker: UserId,
    now: DateTime<Utc>,
) -> DbResult<Vec<ChildWithFacts>> {
    fetch_many(tx, ALLOCATED_TO, actor, now, Some(worker.0), None).await
}

const IN_TEAM: &str = concat!(
    select_with_facts!(),
    "where a.team_id = $4 order by w.name, c.last_name, c.first_name"
);
/// Children allocated within a team.
pub async fn in_team(
    tx: &mut Tx,
    actor: &Actor,
    team: TeamId,
    now: DateTime<Utc>,
) -> DbResult<Vec<ChildWithFacts>> {
    fetch_many(tx, IN_TEAM, actor, now, Some(team.0), None).await
}

const IN_POD: &str = concat!(
    select_with_facts!(),
    "where t.pod_id = $4 order by t.name, c.last_name, c.first_name"
);
/// Children allocated within the teams a pod serves.
pub async fn in_pod(
    tx: &mut Tx,
    actor: &Actor,
    pod: PodId,
    now: DateTime<Utc>,
) -> DbResult<Vec<ChildWithFacts>> {
    fetch_many(tx, IN_POD, actor, now, Some(pod.0), None).await
}

// The 200 are chosen first, so the share and break-glass subqueries run for
// them only (with them in the same select, PostgreSQL ran both for every
// unallocated child before sorting: 50 s at the L scale).
const UNALLOCATED: &str = concat!(
    select_with_facts!(),
    "where a.id is null and c.id in (select c2.id from children c2 \
     where not exists (select 1 from allocations a2 where a2.child_id = c2.id and a2.end_date is null) \
     order by c2.created_at desc limit 200) \
     order by c.created_at desc"
);
/// Children awaiting allocation.
pub async fn unallocated(
    tx: &mut Tx,
    actor: &Actor,
    now: DateTime<Utc>,
) -> DbResult<Vec<ChildWithFacts>> {
    fetch_many(tx, UNALLOCATED, actor, now, None, None).await
}

const SHARED_WITH_ORG: &str = concat!(
    select_with_facts!(),
    "where exists (select 1 from shares s2 where s2.child_id = c.id and s2.org_id = $2 and (s2.expires_at is null or s2.expires_at > $3)) order by c.last_name, c.first_name limit 500"
);
/// Children currently shared with the actor's organisation.
pub async fn shared_with_actor_org(
    tx: &mut Tx,
    actor: &Actor,
    now: DateTime<Utc>,
) -> DbResult<Vec<ChildWithFacts>> {
    fetch_many(tx, SHARED_WITH_ORG, actor, now, None, None).await
}

const RECENTLY_VIEWED: &str = concat!(
    select_with_facts!(),
    "where c.id in (select l.child_id from audit_log l where l.actor_id = $1 and l.outcome = 'allow' and l.action in ('child.view', 'child.view_summary') and l.child_id is not null group by l.child_id order by max(l.seq) desc limit $4)"
);
const LAST_VIEWED: &str = "select child_id, max(seq) as last_seq from audit_log where actor_id = $1 and outcome = 'allow' and action in ('child.view', 'child.view_summary') and child_id is not null group by child_id order by last_seq desc limit $2";
/// The `limit` children the actor opened most recently, newest first (from the audit trail).
pub async fn recently_viewed(
    tx: &mut Tx,
    actor: &Actor,
    now: DateTime<Utc>,
    limit: i64,
) -> DbResult<Vec<ChildWithFacts>> {
    let order: Vec<(Uuid, i64)> = on_tx!(tx, |c| sqlx::query_as(LAST_VIEWED)
        .bind(actor.user_id.0)
        .bind(limit)
        .fetch_all(c)
        .await)?;
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(RECENTLY_VIEWED)
        .bind(actor.user_id.0)
        .bind(actor.org_id.0)
        .bind(now)
        .bind(limit)
        .fetch_all(c)
        .await)?;
    let mut found: Vec<ChildWithFacts> = rows
        .into_iter()
        .map(|r| r.into_facts(actor.user_id))
        .collect();
    found.sort_by_key(|c| order.iter().position(|(id, _)| *id == c.child.id.0));
    Ok(found)
}

const MISSING_NOW: &str = concat!(
    select_with_facts!(),
    "where c.id in (select m.child_id from missing_episodes m where m.returned_at is null) order by (select min(m2.last_seen_at) from missing_episodes m2 where m2.child_id = c.id and m2.returned_at is null)"
);
/// Children with an open missing or away episode, with the actor's access facts.
pub async fn missing_now(
    tx: &mut Tx,
    actor: &Actor,
    now: DateTime<Utc>,
) -> DbResult<Vec<ChildWithFacts>> {
    fetch_many(tx, MISSING_NOW, actor, now, None, None).await
}

const PLACED_IN: &str = concat!(
    select_with_facts!(),
    "where c.responsible_la <> $4 order by c.last_name, c.first_name"
);
/// Children another authority is responsible for (placed here), with access facts.
pub async fn placed_in(
    tx: &mut Tx,
    actor: &Actor,
    now: DateTime<Utc>,
    home_la: &str,
) -> DbResult<Vec<ChildWithFacts>> {
    fetch_many(tx, PLACED_IN, actor, now, None, Some(home_la)).await
}

const WITH_OPEN_TASKS: &str = concat!(
    select_with_facts!(),
    "where c.id in (select t.child_id from tasks t where t.completed_at is null and (t.assigned_user = $1 or t.assigned_role = $4))"
);
/// The children the actor's open tasks are about, with access facts.
pub async fn with_open_tasks(
    tx: &mut Tx,
    actor: &Actor,
    now: DateTime<Utc>,
) -> DbResult<Vec<ChildWithFacts>> {
    fetch_many(
        tx,
        WITH_OPEN_TASKS,
        actor,
        now,
        None,
        Some(actor.role.as_str()),
    )
    .await
}

const SEARCH_BY_KEY: &str = concat!(
    select_with_facts!(),
    "where c.id in (select k.child_id from child_name_keys k where k.key like $4 or k.key = $5) limit 500"
);
/// Candidates whose names have a token starting with `prefix` or sounding like `soundex`.
pub async fn search_by_name_key(
    tx: &mut Tx,
    actor: &Actor,
    now: DateTime<Utc>,
    token: &str,
    soundex: &str,
) -> DbResult<Vec<ChildWithFacts>> {
    let like = format!("n:{}%", token.replace(['%', '_'], ""));
    let p = format!("p:{soundex}");
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(SEARCH_BY_KEY)
        .bind(actor.user_id.0)
        .bind(actor.org_id.0)
        .bind(now)
        .bind(&like)
        .bind(&p)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_facts(actor.user_id))
        .collect())
}

const SEARCH_BY_DOB: &str = concat!(select_with_facts!(), "where c.dob = $4 limit 500");
/// Children born on a date.
pub async fn search_by_dob(
    tx: &mut Tx,
    actor: &Actor,
    now: DateTime<Utc>,
    dob: NaiveDate,
) -> DbResult<Vec<ChildWithFacts>> {
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(SEARCH_BY_DOB)
        .bind(actor.user_id.0)
        .bind(actor.org_id.0)
        .bind(now)
        .bind(dob)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_facts(actor.user_id))
        .collect())
}

const SEARCH_BY_IDENTIFIER: &str = concat!(
    select_with_facts!(),
    "where upper(c.upn) = $4 or c.nhs_number = $4 or upper(c.la_child_id) = $4 limit 50"
);
/// Children with an identifier (UPN, NHS number, LA child id).
pub async fn search_by_identifier(
    tx: &mut Tx,
    actor: &Actor,
    now: DateTime<Utc>,
    ident: &str,
) -> DbResult<Vec<ChildWithFacts>> {
    fetch_many(tx, SEARCH_BY_IDENTIFIER, actor, now, None, Some(ident)).await
}

const ALIASES_FOR_KEY: &str = "select child_id, name, kind from child_aliases where child_id in (select k.child_id from child_name_keys k where k.key like $1 or k.key = $2)";
/// Aliases of the children a name key finds (to score them).
pub async fn aliases_for_key(
    tx: &mut Tx,
    token: &str,
    soundex: &str,
) -> DbResult<Vec<(ChildId, Alias)>> {
    let like = format!("n:{}%", token.replace(['%', '_'], ""));
    let p = format!("p:{soundex}");
    let rows: Vec<(Uuid, String, String)> = on_tx!(tx, |c| sqlx::query_as(ALIASES_FOR_KEY)
        .bind(&like)
        .bind(&p)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, kind)| (ChildId(id), Alias { name, kind }))
        .collect())
}

const INSERT: &str = "insert into children (id, la_child_id, first_name, last_name, dob, sex, ethnicity, upn, nhs_number, responsible_la, host_la, school, restricted, created_at, created_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";
/// Insert a child (then [`replace_name_keys`]).
pub async fn insert(tx: &mut Tx, ch: &Child, created_by: Option<UserId>) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT)
        .bind(ch.id.0)
        .bind(&ch.la_child_id)
        .bind(&ch.first_name)
        .bind(&ch.last_name)
        .bind(ch.dob)
        .bind(ch.sex.as_str())
        .bind(&ch.ethnicity)
        .bind(&ch.upn)
        .bind(&ch.nhs_number)
        .bind(&ch.responsible_la)
        .bind(&ch.host_la)
        .bind(&ch.school)
        .bind(ch.restricted)
        .bind(ch.created_at)
        .bind(created_by.map(|u| u.0))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const DELETE_KEYS: &str = "delete from child_name_keys where child_id = $1";
const INSERT_KEY: &str =
    "insert into child_name_keys (key, child_id) values ($1, $2) on conflict do nothing";
/// Replace a child's search keys.
pub async fn replace_name_keys(tx: &mut Tx, id: ChildId, keys: &[String]) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(DELETE_KEYS)
        .bind(id.0)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    for k in keys {
        on_tx!(tx, |c| sqlx::query(INSERT_KEY)
            .bind(k)
            .bind(id.0)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

const INSERT_ALIAS: &str = "insert into child_aliases (child_id, name, kind) values ($1, $2, $3)";
/// Add an alias.
pub async fn insert_alias(tx: &mut Tx, id: ChildId, a: &Alias) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_ALIAS)
        .bind(id.0)
        .bind(&a.name)
        .bind(&a.kind)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const ALIASES: &str = "select name, kind from child_aliases where child_id = $1 order by name";
/// A child's aliases.
pub async fn aliases(tx: &mut Tx, id: ChildId) -> DbResult<Vec<Alias>> {
    let rows: Vec<(String, String)> = on_tx!(tx, |c| sqlx::query_as(ALIASES)
        .bind(id.0)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|(name, kind)| Alias { name, kind })
        .collect())
}

const LA_ID_EXISTS: &str = "select count(*) from children where la_child_id = $1";
/// Whether an LA child id is taken.
pub async fn la_child_id_taken(tx: &mut Tx, la_child_id: &str) -> DbResult<bool> {
    let (n,): (i64,) = on_tx!(tx, |c| sqlx::query_as(LA_ID_EXISTS)
        .bind(la_child_id)
        .fetch_one(c)
        .await)?;
    Ok(n > 0)
}

const NEXT_LA_ID: &str = "select count(*) from children";
/// How many children there are (used to number new LA child ids).
pub async fn count(tx: &mut Tx) -> DbResult<i64> {
    let (n,): (i64,) = on_tx!(tx, |c| sqlx::query_as(NEXT_LA_ID).fetch_one(c).await)?;
    Ok(n)
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    GET_WITH_FACTS,
    RECENTLY_VIEWED,
    LAST_VIEWED,
    MISSING_NOW,
    PLACED_IN,
    WITH_OPEN_TASKS,
    ALLOCATED_TO,
    IN_TEAM,
    IN_POD,
    UNALLOCATED,
    SHARED_WITH_ORG,
    SEARCH_BY_KEY,
    SEARCH_BY_DOB,
    SEARCH_BY_IDENTIFIER,
    ALIASES_FOR_KEY,
    INSERT,
    DELETE_KEYS,
    INSERT_KEY,
    INSERT_ALIAS,
    ALIASES,
    LA_ID_EXISTS,
    NEXT_LA_ID,
];
