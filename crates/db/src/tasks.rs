//! Tasks: work with a due time for a person or a role queue.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, Utc};
use harbour_domain::Role;
use harbour_domain::ids::*;
use harbour_domain::model::Task;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    child_id: Option<Uuid>,
    assigned_user: Option<Uuid>,
    assigned_role: Option<String>,
    kind: String,
    title: String,
    detail: String,
    due_at: DateTime<Utc>,
    source_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    completed_at: Option<DateTime<Utc>>,
}

impl From<Row> for Task {
    fn from(r: Row) -> Self {
        Task {
            id: r.id,
            child_id: r.child_id.map(ChildId),
            assigned_user: r.assigned_user.map(UserId),
            assigned_role: r.assigned_role.and_then(|x| x.parse().ok()),
            kind: r.kind,
            title: r.title,
            detail: r.detail,
            due_at: r.due_at,
            source_id: r.source_id,
            created_at: r.created_at,
            completed_at: r.completed_at,
        }
    }
}

const INSERT: &str = "insert into tasks (id, child_id, assigned_user, assigned_role, kind, title, detail, due_at, source_id, created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
/// Create a task (in the transaction of whatever caused it).
pub async fn insert(tx: &mut Tx, t: &Task, created_by: Option<UserId>) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT)
        .bind(t.id)
        .bind(t.child_id.map(|x| x.0))
        .bind(t.assigned_user.map(|x| x.0))
        .bind(t.assigned_role.map(|r| r.as_str()))
        .bind(&t.kind)
        .bind(&t.title)
        .bind(&t.detail)
        .bind(t.due_at)
        .bind(t.source_id)
        .bind(created_by.map(|x| x.0))
        .bind(t.created_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const OPEN_FOR: &str = "select id, child_id, assigned_user, assigned_role, kind, title, detail, due_at, source_id, created_at, completed_at from tasks where completed_at is null and (assigned_user = $1 or assigned_role = $2) order by due_at limit 200";
/// Open tasks for a user or their role queue, soonest due first.
pub async fn open_for(tx: &mut Tx, user: UserId, role: Role) -> DbResult<Vec<Task>> {
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(OPEN_FOR)
        .bind(user.0)
        .bind(role.as_str())
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const GET: &str = "select id, child_id, assigned_user, assigned_role, kind, title, detail, due_at, source_id, created_at, completed_at from tasks where id = $1";
/// One task.
pub async fn get(tx: &mut Tx, id: Uuid) -> DbResult<Option<Task>> {
    let r: Option<Row> = on_tx!(tx, |c| sqlx::query_as(GET).bind(id).fetch_optional(c).await)?;
    Ok(r.map(Into::into))
}

const COMPLETE: &str =
    "update tasks set completed_at = $2, completed_by = $3 where id = $1 and completed_at is null";
/// Mark a task done. Returns false if it was already done.
pub async fn complete(tx: &mut Tx, id: Uuid, by: UserId, now: DateTime<Utc>) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(COMPLETE)
        .bind(id)
        .bind(now)
        .bind(by.0)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

const FOR_CHILD: &str = "select id, child_id, assigned_user, assigned_role, kind, title, detail, due_at, source_id, created_at, completed_at from tasks where child_id = $1 and completed_at is null order by due_at";
/// Open tasks about a child.
pub async fn open_for_child(tx: &mut Tx, child: ChildId) -> DbResult<Vec<Task>> {
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(FOR_CHILD)
        .bind(child.0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[INSERT, OPEN_FOR, GET, COMPLETE, FOR_CHILD];
