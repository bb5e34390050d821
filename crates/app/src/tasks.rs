//! Tasks on "My work": what is due, soonest first, and marking it done.

use crate::children::ChildListItem;
use crate::{App, AppError, AppResult, Ctx};
use harbour_db::{children, tasks};
use harbour_domain::audit::Outcome;
use harbour_domain::authz::{ChildAction, decide_child};
use harbour_domain::model::Task;
use uuid::Uuid;

/// A task with the child it concerns, where the user may see that child.
#[derive(Clone, Debug)]
pub struct TaskItem {
    /// The task.
    pub task: Task,
    /// The child, if any and reachable.
    pub child: Option<ChildListItem>,
    /// Past its due time.
    pub overdue: bool,
}

impl App {
    /// Open tasks for the user and their role queue, soonest due first.
    /// Tasks about a child the user can no longer reach are left out.
    pub async fn my_tasks(&self, ctx: &Ctx) -> AppResult<Vec<TaskItem>> {
        let now = self.now();
        let actor = &ctx.me.actor;
        let mut tx = self.db.begin_read().await?;
        let open = tasks::open_for(&mut tx, actor.user_id, actor.role).await?;
        let kids = children::with_open_tasks(&mut tx, actor, now).await?;
        tx.commit().await?;
        Ok(open
            .into_iter()
            .filter_map(|task| {
                let child = match task.child_id {
                    None => None,
                    Some(id) => {
                        let c = kids.iter().find(|k| k.child.id == id)?;
                        decide_child(actor, ChildAction::ViewSummary, &c.facts).ok()?;
                        Some(ChildListItem {
                            child: c.child.clone(),
                            worker_name: c.worker_name.clone(),
                            team_name: c.team_name.clone(),
                            reach: crate::children::Reach::Open,
                        })
                    }
                };
                Some(TaskItem {
                    overdue: task.due_at < now,
                    task,
                    child,
                })
            })
            .collect())
    }

    /// Mark a task done: the person it is for, or anyone in its role queue.
    pub async fn complete_task(&self, ctx: &Ctx, id: Uuid) -> AppResult<()> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let t = tasks::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        let mine =
            t.assigned_user == Some(ctx.me.user.id) || t.assigned_role == Some(ctx.me.user.role);
        if !mine {
            let ev = ctx.event(
                "task.complete",
                "task",
                Some(id),
                t.child_id.map(|c| c.0),
                Outcome::Deny,
                Some("not_assigned".into()),
            );
            drop(tx);
            return Err(self.deny(ev, None).await);
        }
        if !tasks::complete(&mut tx, id, ctx.me.user.id, now).await? {
            return Err(AppError::Conflict("This task is already done.".into()));
        }
        let ev = ctx.event(
            "task.complete",
            "task",
            Some(id),
            t.child_id.map(|c| c.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }
}
