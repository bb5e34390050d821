//! Missing and away episodes, police grade history and API idempotency keys.
//! Reading or writing a child's episodes takes an [`Allowed`] from the policy.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, Utc};
use harbour_domain::authz::Allowed;
use harbour_domain::ids::*;
use harbour_domain::missing::*;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    child_id: Uuid,
    kind: String,
    missing_from: String,
    last_seen_at: DateTime<Utc>,
    location_left: String,
    reported_at: Option<DateTime<Utc>>,
    police_ref: Option<String>,
    grade: Option<String>,
    circumstances: String,
    returned_at: Option<DateTime<Utc>>,
    found_where: Option<String>,
    found_by: Option<String>,
    recorded_by: Uuid,
    recorded_at: DateTime<Utc>,
}

impl From<Row> for MissingEpisode {
    fn from(r: Row) -> Self {
        MissingEpisode {
            id: r.id,
            child_id: ChildId(r.child_id),
            kind: MissingKind::parse(&r.kind).unwrap_or(MissingKind::Missing),
            from: MissingFrom::parse(&r.missing_from).unwrap_or(MissingFrom::Home),
            last_seen_at: r.last_seen_at,
            location_left: r.location_left,
            reported_at: r.reported_at,
            police_ref: r.police_ref,
            grade: r.grade.as_deref().and_then(PoliceGrade::parse),
            circumstances: r.circumstances,
            returned_at: r.returned_at,
            found_where: r.found_where,
            found_by: r.found_by,
            recorded_by: UserId(r.recorded_by),
            recorded_at: r.recorded_at,
        }
    }
}

macro_rules! select_episode {
    () => {
        "select e.id, e.child_id, e.kind, e.missing_from, e.last_seen_at, e.location_left, e.reported_at, e.police_ref, \
         (select g.grade from police_grades g where g.episode_id = e.id order by g.graded_at desc, g.recorded_at desc limit 1) as grade, \
         e.circumstances, e.returned_at, e.found_where, e.found_by, e.recorded_by, e.recorded_at from missing_episodes e "
    };
}

const FOR_CHILD: &str = concat!(
    select_episode!(),
    "where e.child_id = $1 order by e.last_seen_at desc"
);
/// A child's episodes, newest first.
pub async fn for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<MissingEpisode>> {
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const GET: &str = concat!(select_episode!(), "where e.id = $1");
/// One episode by id (the caller then authorises against its child).
pub async fn get(tx: &mut Tx, id: Uuid) -> DbResult<Option<MissingEpisode>> {
    let r: Option<Row> = on_tx!(tx, |c| sqlx::query_as(GET).bind(id).fetch_optional(c).await)?;
    Ok(r.map(Into::into))
}

const INSERT: &str = "insert into missing_episodes (id, child_id, kind, missing_from, last_seen_at, location_left, reported_at, police_ref, circumstances, returned_at, found_where, found_by, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
/// Record an episode (one open episode per child is a constraint).
pub async fn insert(tx: &mut Tx, ok: &Allowed, e: &MissingEpisode) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT)
        .bind(e.id)
        .bind(ok.child_id().0)
        .bind(e.kind.code())
        .bind(e.from.as_str())
        .bind(e.last_seen_at)
        .bind(&e.location_left)
        .bind(e.reported_at)
        .bind(&e.police_ref)
        .bind(&e.circumstances)
        .bind(e.returned_at)
        .bind(&e.found_where)
        .bind(&e.found_by)
        .bind(e.recorded_by.0)
        .bind(e.recorded_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const RECORD_RETURN: &str = "update missing_episodes set returned_at = $2, found_where = $3, found_by = $4, return_recorded_by = $5, return_recorded_at = $6 where id = $1 and child_id = $7 and returned_at is null";
/// A return as recorded.
#[derive(Clone, Debug)]
pub struct Return<'a> {
    /// Returned or found.
    pub returned_at: DateTime<Utc>,
    /// Where.
    pub found_where: &'a str,
    /// By whom.
    pub found_by: &'a str,
}

/// Record the return on an open episode. Returns false if it was not open.
pub async fn record_return(
    tx: &mut Tx,
    ok: &Allowed,
    episode: Uuid,
    r: &Return<'_>,
    by: UserId,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let (returned_at, found_where, found_by) = (r.returned_at, r.found_where, r.found_by);
    let n = on_tx!(tx, |c| sqlx::query(RECORD_RETURN)
        .bind(episode)
        .bind(returned_at)
        .bind(found_where)
        .bind(found_by)
        .bind(by.0)
        .bind(now)
        .bind(ok.child_id().0)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

const UPDATE: &str = "update missing_episodes set kind = $3, missing_from = $4, last_seen_at = $5, location_left = $6, reported_at = $7, police_ref = $8, circumstances = $9, returned_at = $10, found_where = $11, found_by = $12, updated_by = $13, updated_at = $14 where id = $1 and child_id = $2";
/// Correct an episode's details (not its grade, which has its own history).
pub async fn update(
    tx: &mut Tx,
    ok: &Allowed,
    e: &MissingEpisode,
    by: UserId,
    now: DateTime<Utc>,
) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(UPDATE)
        .bind(e.id)
        .bind(ok.child_id().0)
        .bind(e.kind.code())
        .bind(e.from.as_str())
        .bind(e.last_seen_at)
        .bind(&e.location_left)
        .bind(e.reported_at)
        .bind(&e.police_ref)
        .bind(&e.circumstances)
        .bind(e.returned_at)
        .bind(&e.found_where)
        .bind(&e.found_by)
        .bind(by.0)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

const INSERT_GRADE: &str = "insert into police_grades (id, episode_id, grade, scheme, graded_at, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7)";
/// Add a police grade (every re-grading is kept).
pub async fn insert_grade(
    tx: &mut Tx,
    _ok: &Allowed,
    episode: Uuid,
    grade: PoliceGrade,
    graded_at: DateTime<Utc>,
    by: UserId,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_GRADE)
        .bind(Uuid::now_v7())
        .bind(episode)
        .bind(grade.as_str())
        .bind(GRADE_SCHEME)
        .bind(graded_at)
        .bind(by.0)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A grade as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GradeRow {
    /// Episode.
    pub episode_id: Uuid,
    /// Grade.
    pub grade: Option<PoliceGrade>,
    /// Scheme version.
    pub scheme: String,
    /// When graded.
    pub graded_at: DateTime<Utc>,
}

const GRADES: &str = "select g.episode_id, g.grade, g.scheme, g.graded_at from police_grades g join missing_episodes e on e.id = g.episode_id where e.child_id = $1 order by g.graded_at";
/// Every grade of a child's episodes, oldest first.
pub async fn grades(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<GradeRow>> {
    let rows: Vec<(Uuid, String, String, DateTime<Utc>)> = on_tx!(tx, |c| sqlx::query_as(GRADES)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|(episode_id, g, scheme, graded_at)| GradeRow {
            episode_id,
            grade: PoliceGrade::parse(&g),
            scheme,
            graded_at,
        })
        .collect())
}

const OPEN_CHILDREN: &str = "select child_id, last_seen_at from missing_episodes where returned_at is null order by last_seen_at";
/// Children missing now: (child, last seen), longest missing first.
pub async fn open_children(tx: &mut Tx) -> DbResult<Vec<(ChildId, DateTime<Utc>)>> {
    let rows: Vec<(Uuid, DateTime<Utc>)> =
        on_tx!(tx, |c| sqlx::query_as(OPEN_CHILDREN).fetch_all(c).await)?;
    Ok(rows.into_iter().map(|(c, t)| (ChildId(c), t)).collect())
}

const IDEM_GET: &str =
    "select request_path, status, body from idempotency_keys where user_id = $1 and key = $2";
/// A stored response for an idempotency key: (path, status, body).
pub async fn idempotent_response(
    tx: &mut Tx,
    user: UserId,
    key: &str,
) -> DbResult<Option<(String, i32, String)>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(IDEM_GET)
        .bind(user.0)
        .bind(key)
        .fetch_optional(c)
        .await)?)
}

const IDEM_PUT: &str = "insert into idempotency_keys (user_id, key, request_path, status, body, created_at) values ($1, $2, $3, $4, $5, $6)";
/// Store the response for an idempotency key, in the creating transaction.
pub async fn store_idempotent_response(
    tx: &mut Tx,
    user: UserId,
    key: &str,
    path: &str,
    status: i32,
    body: &str,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(IDEM_PUT)
        .bind(user.0)
        .bind(key)
        .bind(path)
        .bind(status)
        .bind(body)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    UPDATE,
    FOR_CHILD,
    GET,
    INSERT,
    RECORD_RETURN,
    INSERT_GRADE,
    GRADES,
    OPEN_CHILDREN,
    IDEM_GET,
    IDEM_PUT,
];
