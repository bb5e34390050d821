//! Authorities, organisations, pods and teams.

use crate::{DbResult, Tx, on_tx};
use harbour_domain::ids::*;
use harbour_domain::model::{Authority, OrgKind, Organisation, Pod, Team};
use uuid::Uuid;

const INSERT_AUTHORITY: &str = "insert into authorities (la_code, name) values ($1, $2) on conflict (la_code) do update set name = excluded.name";
/// Insert or rename an authority.
pub async fn upsert_authority(tx: &mut Tx, a: &Authority) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_AUTHORITY)
        .bind(&a.la_code)
        .bind(&a.name)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const LIST_AUTHORITIES: &str = "select la_code, name from authorities order by name";
/// Every authority known.
pub async fn list_authorities(tx: &mut Tx) -> DbResult<Vec<Authority>> {
    let rows: Vec<(String, String)> =
        on_tx!(tx, |c| sqlx::query_as(LIST_AUTHORITIES).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|(la_code, name)| Authority { la_code, name })
        .collect())
}

const INSERT_ORG: &str =
    "insert into organisations (id, name, kind, la_code) values ($1, $2, $3, $4)";
/// Insert an organisation.
pub async fn insert_org(tx: &mut Tx, o: &Organisation) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_ORG)
        .bind(o.id.0)
        .bind(&o.name)
        .bind(o.kind.as_str())
        .bind(&o.la_code)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: Uuid,
    name: String,
    kind: String,
    la_code: Option<String>,
}

impl From<OrgRow> for Organisation {
    fn from(r: OrgRow) -> Self {
        Organisation {
            id: OrgId(r.id),
            name: r.name,
            kind: OrgKind::parse(&r.kind).unwrap_or(OrgKind::Voluntary),
            la_code: r.la_code,
        }
    }
}

const LIST_ORGS: &str = "select id, name, kind, la_code from organisations order by name";
/// Every organisation.
pub async fn list_orgs(tx: &mut Tx) -> DbResult<Vec<Organisation>> {
    let rows: Vec<OrgRow> = on_tx!(tx, |c| sqlx::query_as(LIST_ORGS).fetch_all(c).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const ORG_BY_NAME: &str =
    "select id, name, kind, la_code from organisations where lower(name) = lower($1)";
/// An organisation by name (case-insensitive).
pub async fn org_by_name(tx: &mut Tx, name: &str) -> DbResult<Option<Organisation>> {
    let r: Option<OrgRow> = on_tx!(tx, |c| sqlx::query_as(ORG_BY_NAME)
        .bind(name)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const ORG_SOCIAL_CARE: &str = "select id, name, kind, la_code from organisations where kind = 'social_care' order by name limit 1";
/// The authority's own social care organisation.
pub async fn home_org(tx: &mut Tx) -> DbResult<Option<Organisation>> {
    let r: Option<OrgRow> = on_tx!(tx, |c| sqlx::query_as(ORG_SOCIAL_CARE)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const INSERT_POD: &str = "insert into pods (id, name) values ($1, $2)";
/// Insert a pod.
pub async fn insert_pod(tx: &mut Tx, p: &Pod) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_POD)
        .bind(p.id.0)
        .bind(&p.name)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const LIST_PODS: &str = "select id, name from pods order by name";
/// Every pod.
pub async fn list_pods(tx: &mut Tx) -> DbResult<Vec<Pod>> {
    let rows: Vec<(Uuid, String)> = on_tx!(tx, |c| sqlx::query_as(LIST_PODS).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| Pod {
            id: PodId(id),
            name,
        })
        .collect())
}

const INSERT_TEAM: &str =
    "insert into teams (id, name, pod_id, manager_id) values ($1, $2, $3, $4)";
/// Insert a team.
pub async fn insert_team(tx: &mut Tx, t: &Team) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_TEAM)
        .bind(t.id.0)
        .bind(&t.name)
        .bind(t.pod_id.map(|p| p.0))
        .bind(t.manager_id.map(|m| m.0))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const SET_TEAM_MANAGER: &str = "update teams set manager_id = $2 where id = $1";
/// Set a team's manager.
pub async fn set_team_manager(
    tx: &mut Tx,
    team: TeamId,
    manager: Option<UserId>,
) -> DbResult<bool> {
    let r = on_tx!(tx, |c| sqlx::query(SET_TEAM_MANAGER)
        .bind(team.0)
        .bind(manager.map(|m| m.0))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(r))
}

#[derive(sqlx::FromRow)]
struct TeamRow {
    id: Uuid,
    name: String,
    pod_id: Option<Uuid>,
    manager_id: Option<Uuid>,
}

impl From<TeamRow> for Team {
    fn from(r: TeamRow) -> Self {
        Team {
            id: TeamId(r.id),
            name: r.name,
            pod_id: r.pod_id.map(PodId),
            manager_id: r.manager_id.map(UserId),
        }
    }
}

const LIST_TEAMS: &str = "select id, name, pod_id, manager_id from teams order by name";
/// Every team.
pub async fn list_teams(tx: &mut Tx) -> DbResult<Vec<Team>> {
    let rows: Vec<TeamRow> = on_tx!(tx, |c| sqlx::query_as(LIST_TEAMS).fetch_all(c).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const TEAM_BY_NAME: &str =
    "select id, name, pod_id, manager_id from teams where lower(name) = lower($1)";
/// A team by name (case-insensitive).
pub async fn team_by_name(tx: &mut Tx, name: &str) -> DbResult<Option<Team>> {
    let r: Option<TeamRow> = on_tx!(tx, |c| sqlx::query_as(TEAM_BY_NAME)
        .bind(name)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const TEAM_BY_ID: &str = "select id, name, pod_id, manager_id from teams where id = $1";
/// A team by id.
pub async fn team(tx: &mut Tx, id: TeamId) -> DbResult<Option<Team>> {
    let r: Option<TeamRow> = on_tx!(tx, |c| sqlx::query_as(TEAM_BY_ID)
        .bind(id.0)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const COUNT_CHILDREN: &str = "select count(*) from children";
/// Whether the database holds any children yet (demo data loads only into an empty one).
pub async fn is_empty(tx: &mut Tx) -> DbResult<bool> {
    let (n,): (i64,) = on_tx!(tx, |c| sqlx::query_as(COUNT_CHILDREN).fetch_one(c).await)?;
    Ok(n == 0)
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    INSERT_AUTHORITY,
    LIST_AUTHORITIES,
    INSERT_ORG,
    LIST_ORGS,
    ORG_BY_NAME,
    ORG_SOCIAL_CARE,
    INSERT_POD,
    LIST_PODS,
    INSERT_TEAM,
    SET_TEAM_MANAGER,
    LIST_TEAMS,
    TEAM_BY_NAME,
    TEAM_BY_ID,
    COUNT_CHILDREN,
];
