//! Supervision recorded once, and management oversight.
//!
//! - A supervisor (or a pod administrator drafting for them) records a
//!   session for a worker on one form: the details, the mandatory review of
//!   every action still open, and a case discussion for each of the
//!   worker's children discussed. Save as a draft any time; sign off when
//!   complete ([`App::save_session`]).
//! - Signed off, each case discussion and its actions are on the worker's
//!   file and the child's record (chronology and "Supervision and
//!   management oversight"), and each action is a task on its owner's My
//!   work, closed when a later session reviews it.
//! - [`App::supervision_home`]: supervision due and overdue per worker,
//!   write-ups past the recording deadline, drafts awaiting sign-off,
//!   overdue actions, children without management oversight.
//! - The fast decision log ([`App::record_oversight`]): one short form,
//!   recorded by a manager or by a pod administrator for a named manager,
//!   who confirms it ([`App::confirm_oversight`]).
//!
//! Permissions: `authz::decide_supervision` for the file,
//! `authz::decide_child` (`RecordCaseDiscussion`, `AddOversight`,
//! `ViewRecord`) for each child; every read and write of a child's part is
//! audited in its transaction.

use crate::children::ChildListItem;
use crate::{App, AppError, AppResult, Ctx};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use harbour_db::supervision::{self as repo, ActionView, SessionView};
use harbour_db::{Tx, children, org, tasks, users};
use harbour_domain::Role;
use harbour_domain::audit::Outcome;
use harbour_domain::authz::{
    self, ChildAction, ServiceAction, SuperviseeFacts, SupervisionAction as Act, decide_child,
};
use harbour_domain::calendar;
use harbour_domain::ids::*;
use harbour_domain::model::{Child, Task, User};
use harbour_domain::supervision::*;
use harbour_domain::validate::{self, FieldErrors};
use std::collections::HashMap;
use uuid::Uuid;

/// How many actions the session form offers per case discussion (the first
/// shown, the rest behind "Add another action"; a plain form, no script).
pub const ACTIONS_PER_DISCUSSION: usize = 3;

/// The form field prefix of action `k` (0-based) in discussion `i`:
/// `d{i}` for the first (`d{i}_action`, `d{i}_owner`, `d{i}_due`), then
/// `d{i}a{k}`.
pub fn action_prefix(i: usize, k: usize) -> String {
    if k == 0 {
        format!("d{i}")
    } else {
        format!("d{i}a{k}")
    }
}

/// Where one worker's supervision stands.
#[derive(Clone, Debug)]
pub struct WorkerDue {
    /// The worker.
    pub worker: User,
    /// The kind of supervision they should have now.
    pub kind: SupervisionKind,
    /// Their last signed-off one-to-one session (the one that sets the due
    /// date: [`counts_towards_frequency`]).
    pub last: Option<NaiveDate>,
    /// Their last signed-off group session (shown beside it; it does not
    /// reset the due date).
    pub last_group: Option<NaiveDate>,
    /// When the next is due (None: none on record, due now).
    pub next: Option<NaiveDate>,
    /// Due, due soon or overdue.
    pub state: DueState,
}

/// A child without management oversight for too long.
#[derive(Clone, Debug)]
pub struct OversightGap {
    /// The child.
    pub child: ChildListItem,
    /// The last decision, confirmed oversight or case discussion.
    pub last: Option<DateTime<Utc>>,
}

/// The supervision page.
#[derive(Clone, Debug, Default)]
pub struct SupervisionHome {
    /// My own supervision.
    pub me: Option<WorkerDue>,
    /// The workers I supervise or support (managers and pods).
    pub workers: Vec<WorkerDue>,
    /// Drafts waiting to be signed off.
    pub drafts: Vec<SessionView>,
    /// Drafts past their recording deadline (a subset of `drafts`).
    pub late: Vec<SessionView>,
    /// Open actions past their due date.
    pub overdue_actions: Vec<ActionView>,
    /// Children without management oversight in `oversight_days`.
    pub no_oversight: Vec<OversightGap>,
    /// Oversight entries awaiting a manager's confirmation.
    pub pending: Vec<(OversightEntry, String)>,
    /// The threshold, in days.
    pub oversight_days: i64,
    /// Whether this user sees the team lists.
    pub team_view: bool,
}

/// A worker's supervision file.
#[derive(Clone, Debug)]
pub struct SupervisionFile {
    /// Where it stands.
    pub due: WorkerDue,
    /// Sessions, newest first.
    pub sessions: Vec<SessionView>,
    /// Actions still open.
    pub open_actions: Vec<ActionView>,
    /// The viewer may record a session.
    pub can_record: bool,
}

/// What the session form needs.
#[derive(Clone, Debug)]
pub struct SessionForm {
    /// The worker supervised (in a group session, the first attendee).
    pub worker: User,
    /// A group session's supervisees (empty: one-to-one).
    pub attendees: Vec<User>,
    /// For each child in `children`, the worker whose child it is.
    pub child_workers: Vec<User>,
    /// The session, when editing a draft.
    pub session_id: Option<Uuid>,
    /// Who drafted it, when editing.
    pub drafted_by_name: Option<String>,
    /// The children that can be discussed (allocated to the worker, or in the draft).
    pub children: Vec<Child>,
    /// Actions still open, each to be reviewed.
    pub open_actions: Vec<ActionView>,
    /// Who can own an action.
    pub owners: Vec<User>,
    /// The form's values (defaults or the draft's).
    pub values: HashMap<String, String>,
    /// The viewer may sign off (a manager; a pod administrator drafts only).
    pub may_sign_off: bool,
    /// The viewer may read and write the notes about the worker.
    pub may_worker_notes: bool,
}

/// A signed-off (or read-only) session.
#[derive(Clone, Debug)]
pub struct SessionRecord {
    /// The session.
    pub session: SessionView,
    /// Case discussions the viewer may see, with their actions.
    pub discussions: Vec<(repo::DiscussionRow, Vec<ActionView>)>,
    /// Discussions withheld from this viewer (children they cannot open).
    pub withheld: usize,
    /// Reviews of earlier actions.
    pub reviews: Vec<repo::ReviewView>,
    /// Whether the notes about the worker are shown.
    pub show_worker_notes: bool,
}

/// A session: either the form (a draft the viewer may edit) or the record.
#[derive(Clone, Debug)]
pub enum SessionPage {
    /// Edit the draft.
    Form(Box<SessionForm>),
    /// Read it.
    Record(Box<SessionRecord>),
}

/// The outcome of saving a session.
#[derive(Clone, Debug)]
pub struct SavedSession {
    /// The session.
    pub id: Uuid,
    /// Whether it was signed off.
    pub signed_off: bool,
}

/// The fast decision log page.
#[derive(Clone, Debug, Default)]
pub struct OversightLog {
    /// Children the user can record for.
    pub children: Vec<Child>,
    /// Managers a pod administrator can record for.
    pub managers: Vec<User>,
    /// Entries awaiting confirmation (for me, or recorded by me).
    pub pending: Vec<(OversightEntry, String)>,
    /// Children without oversight in N days.
    pub no_oversight: Vec<OversightGap>,
    /// The threshold.
    pub oversight_days: i64,
    /// Whether the user records for a manager (pods).
    pub on_behalf: bool,
}

/// Input for the fast decision log.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct OversightInput {
    /// The child.
    #[serde(default)]
    pub child: String,
    /// oversight or decision.
    #[serde(default)]
    pub kind: String,
    /// The manager (pods).
    #[serde(default)]
    pub manager: String,
    /// The decision or oversight.
    #[serde(default)]
    pub text: String,
    /// Why.
    #[serde(default)]
    pub rationale: String,
}

/// The workers a group session can be recorded for.
#[derive(Clone, Debug, Default)]
pub struct GroupChoice {
    /// Workers whose supervision the viewer may record, by name.
    pub candidates: Vec<User>,
}

/// The attendees chosen on a form: every `attendee_<id>` key, in the order
/// of `candidates` when given (a plain form of checkboxes, no script).
pub fn attendees_from(form: &HashMap<String, String>) -> Vec<UserId> {
    let mut out: Vec<UserId> = form
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .filter_map(|(k, _)| k.strip_prefix("attendee_")?.parse().ok())
        .collect();
    out.sort_by_key(|u: &UserId| u.0);
    out.dedup();
    out
}

/// "27/3/2026" or "2026-03-27".
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(d) = s.parse::<NaiveDate>() {
        return Some(d);
    }
    let parts: Vec<&str> = s
        .split(['/', '.', ' ', '-'])
        .filter(|p| !p.is_empty())
        .collect();
    if let [d, m, y] = parts[..] {
        let y: i32 = y.parse().ok()?;
        let y = if y < 100 { 2000 + y } else { y };
        return NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?);
    }
    None
}

/// "27/3/2026".
pub fn day_text(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}/{}/{}", d.day(), d.month(), d.year())
}

fn due_instant(d: NaiveDate) -> DateTime<Utc> {
    calendar::from_london(NaiveDateTime::new(
        d,
        NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default(),
    ))
}

impl App {
    fn sv_cfg(&self) -> &SupervisionConfig {
        &self.config.supervision
    }

    async fn supervisee_facts(&self, tx: &mut Tx, u: &User) -> AppResult<SuperviseeFacts> {
        let team = match u.team_id {
            Some(t) => org::team(tx, t).await?,
            None => None,
        };
        Ok(SuperviseeFacts {
            supervisee: u.id,
            team: u.team_id,
            team_manager: team.as_ref().and_then(|t| t.manager_id),
            team_pod: team.as_ref().and_then(|t| t.pod_id),
            dt_supervisor: harbour_db::schools::designated_teacher(tx, u.id)
                .await?
                .and_then(|s| s.supervisor_id.map(UserId)),
        })
    }

    /// Decide on a supervisee. A refusal is audited in `tx`, which is then
    /// committed (so the refusal is recorded and nothing else is).
    async fn decide_file(
        &self,
        mut tx: Tx,
        ctx: &Ctx,
        u: &User,
        action: Act,
    ) -> AppResult<(Tx, SuperviseeFacts)> {
        let f = self.supervisee_facts(&mut tx, u).await?;
        if let Err(d) = authz::decide_supervision(&ctx.me.actor, action, &f) {
            let ev = ctx.event(
                action.audit_name(),
                "user",
                Some(u.id.0),
                None,
                Outcome::Deny,
                Some(d.reason.as_str().into()),
            );
            self.audit(&mut tx, &ev).await?;
            tx.commit().await?;
            return Err(AppError::Forbidden(Some(d)));
        }
        Ok((tx, f))
    }

    fn worker_due(&self, u: &User, sessions: &[SessionView], today: NaiveDate) -> WorkerDue {
        let held: Vec<(SessionFormat, NaiveDate)> = sessions
            .iter()
            .filter(|s| {
                s.session.status == SessionStatus::SignedOff
                    && s.supervisees().iter().any(|(id, _)| *id == u.id)
            })
            .map(|s| (s.session.format, calendar::london_date(s.session.held_at)))
            .collect();
        let last = last_for_frequency(&held);
        let last_group = held
            .iter()
            .filter(|(f, _)| !counts_towards_frequency(*f))
            .map(|(_, d)| *d)
            .max();
        // A school's practitioner supervised here is a designated teacher
        // (schools partnership); everyone else is case or ASYE supervision.
        let kind = if u.role == Role::PartnerPractitioner {
            SupervisionKind::DesignatedTeacher
        } else {
            kind_for(u.asye_start, today)
        };
        let next = next_due(kind, u.asye_start, last, self.sv_cfg());
        WorkerDue {
            worker: u.clone(),
            kind,
            last,
            last_group,
            next,
            state: due_state(next, today),
        }
    }

    async fn oversight_gaps(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        now: DateTime<Utc>,
    ) -> AppResult<Vec<OversightGap>> {
        let actor = &ctx.me.actor;
        let (kids, team, pod) = match actor.role {
            Role::TeamManager => match actor.team_id {
                Some(t) => (children::in_team(tx, actor, t, now).await?, Some(t), None),
                None => return Ok(Vec::new()),
            },
            Role::PodAdmin => match actor.pod_id {
                Some(p) => (children::in_pod(tx, actor, p, now).await?, None, Some(p)),
                None => return Ok(Vec::new()),
            },
            _ => return Ok(Vec::new()),
        };
        let marks = repo::oversight_marks(tx, team, pod).await?;
        let mut out: Vec<OversightGap> = kids
            .into_iter()
            .filter_map(|c| {
                let last = marks
                    .iter()
                    .filter(|m| m.child_id == c.child.id.0)
                    .map(|m| m.at)
                    .max();
                if !lacks_oversight(last, now, self.sv_cfg()) {
                    return None;
                }
                let item = crate::children::list_item(c, actor)?;
                (item.reach == crate::children::Reach::Open)
                    .then_some(OversightGap { child: item, last })
            })
            .collect();
        out.sort_by_key(|g| g.last);
        Ok(out)
    }

    /// The supervision page: my own supervision, and for managers and pods
    /// their teams' due and overdue lists. Audited (it names children).
    pub async fn supervision_home(&self, ctx: &Ctx) -> AppResult<SupervisionHome> {
        self.check_service(ctx, ServiceAction::ViewSupervision)
            .await?;
        let now = self.now();
        let today = calendar::london_date(now);
        let actor = &ctx.me.actor;
        let mut tx = self.db.begin_write().await?;
        let mine = repo::for_supervisee(&mut tx, actor.user_id).await?;
        let mut h = SupervisionHome {
            // Business support is not supervised under the social work
            // supervision policy: a pod administrator sees the team lists only.
            me: (actor.role != Role::PodAdmin).then(|| self.worker_due(&ctx.me.user, &mine, today)),
            oversight_days: self.sv_cfg().oversight_days,
            ..Default::default()
        };
        let (team, pod) = match actor.role {
            Role::TeamManager => (actor.team_id, None),
            Role::PodAdmin => (None, actor.pod_id),
            _ => (None, None),
        };
        if team.is_some() || pod.is_some() {
            h.team_view = true;
            let sessions = repo::for_teams(&mut tx, team, pod).await?;
            let staff = users::list(&mut tx).await?;
            let teams = org::list_teams(&mut tx).await?;
            let in_scope = |u: &User| {
                u.team_id.is_some_and(|t| {
                    Some(t) == team
                        || teams
                            .iter()
                            .any(|x| x.id == t && x.pod_id.is_some() && x.pod_id == pod)
                })
            };
            h.workers = staff
                .iter()
                .filter(|u| {
                    u.disabled_at.is_none()
                        && u.role == Role::SocialWorker
                        && u.id != actor.user_id
                        && in_scope(u)
                })
                .map(|u| self.worker_due(u, &sessions, today))
                .collect();
            h.workers
                .sort_by_key(|w| (w.state != DueState::Overdue, w.next));
            h.drafts = sessions
                .iter()
                .filter(|s| s.session.status == SessionStatus::Draft)
                .cloned()
                .collect();
            h.late = h
                .drafts
                .iter()
                .filter(|s| s.session.recording_due < today)
                .cloned()
                .collect();
            h.overdue_actions = repo::overdue_for_teams(&mut tx, team, pod, today).await?;
            h.no_oversight = self.oversight_gaps(&mut tx, ctx, now).await?;
            h.pending = repo::pending_oversight(&mut tx, actor.user_id).await?;
        }
        if actor.role == Role::TeamManager {
            self.add_designated_teachers(&mut tx, actor.user_id, today, &mut h)
                .await?;
        }
        let ev = ctx.event(
            "supervision.list",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!(
                "{} workers, {} children without oversight",
                h.workers.len(),
                h.no_oversight.len()
            )),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(h)
    }

    /// Designated teachers this manager supervises (schools partnership),
    /// listed with the workers.
    async fn add_designated_teachers(
        &self,
        tx: &mut Tx,
        me: UserId,
        today: NaiveDate,
        h: &mut SupervisionHome,
    ) -> AppResult<()> {
        for st in harbour_db::schools::supervised_teachers(tx, me).await? {
            let Some(uid) = st.user_id else { continue };
            if let Some(u) = users::get(tx, UserId(uid)).await?
                && u.disabled_at.is_none()
            {
                let sessions = repo::for_supervisee(tx, u.id).await?;
                h.workers.push(self.worker_due(&u, &sessions, today));
                h.team_view = true;
            }
        }
        Ok(())
    }

    /// A worker's supervision file.
    pub async fn supervision_file(&self, ctx: &Ctx, worker: UserId) -> AppResult<SupervisionFile> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let u = users::get(&mut tx, worker)
            .await?
            .ok_or(AppError::NotFound)?;
        let (mut tx, f) = self.decide_file(tx, ctx, &u, Act::ViewFile).await?;
        let sessions = repo::for_supervisee(&mut tx, worker).await?;
        let due = self.worker_due(&u, &sessions, calendar::london_date(now));
        let open_actions = repo::open_attended(&mut tx, worker).await?;
        let ev = ctx.event(
            "supervision.view",
            "user",
            Some(worker.0),
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(SupervisionFile {
            due,
            sessions,
            open_actions,
            can_record: authz::decide_supervision(&ctx.me.actor, Act::Draft, &f).is_ok(),
        })
    }

    /// The supervisor of a session: the manager recording it, else the
    /// draft's, else the (first) supervisee's team manager.
    fn supervisor_of(
        ctx: &Ctx,
        existing: Option<&SessionView>,
        f: &SuperviseeFacts,
    ) -> Option<UserId> {
        match ctx.me.actor.role {
            Role::TeamManager => Some(ctx.me.actor.user_id),
            _ => existing.map(|s| s.session.supervisor_id).or(f.team_manager),
        }
    }

    /// The actions a session must review: a one-to-one reviews the
    /// supervisee's earlier one-to-one actions; a group session reviews the
    /// supervisor's earlier group sessions' actions (the group's last meeting).
    async fn open_to_review(
        &self,
        tx: &mut Tx,
        group: bool,
        supervisee: UserId,
        supervisor: Option<UserId>,
    ) -> AppResult<Vec<ActionView>> {
        Ok(match (group, supervisor) {
            (false, _) => repo::open_for(tx, supervisee).await?,
            (true, Some(m)) => repo::open_for_group(tx, m).await?,
            (true, None) => Vec::new(),
        })
    }

    /// The session form for `people` (one supervisee, or a group's
    /// attendees, each already decided with `facts`).
    async fn build_form(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        people: &[User],
        facts: &[SuperviseeFacts],
        group: bool,
        draft: Option<&SessionView>,
    ) -> AppResult<SessionForm> {
        let now = self.now();
        let today = calendar::london_date(now);
        let actor = &ctx.me.actor;
        let (Some(u), Some(f)) = (people.first(), facts.first()) else {
            return Err(AppError::NotFound);
        };
        let mut children: Vec<Child> = Vec::new();
        let mut child_workers: Vec<User> = Vec::new();
        for p in people {
            for c in children::allocated_to(tx, actor, p.id, now).await? {
                if decide_child(actor, ChildAction::RecordCaseDiscussion, &c.facts).is_ok()
                    && !children.iter().any(|x| x.id == c.child.id)
                {
                    children.push(c.child);
                    child_workers.push(p.clone());
                }
            }
        }
        // A designated teacher discusses children their school has
        // contacted us about, where the supervisor may record a discussion.
        if !group && let Some(st) = harbour_db::schools::designated_teacher(tx, u.id).await? {
            for cid in harbour_db::schools::children_from_school(tx, st.school_id).await? {
                if !children.iter().any(|c| c.id == cid)
                    && let Some(c) = children::get_with_facts(tx, actor, cid, now).await?
                    && decide_child(actor, ChildAction::RecordCaseDiscussion, &c.facts).is_ok()
                {
                    children.push(c.child);
                    child_workers.push(u.clone());
                }
            }
        }
        let mut values: HashMap<String, String> = HashMap::new();
        let open_actions = self
            .open_to_review(tx, group, u.id, Self::supervisor_of(ctx, draft, f))
            .await?;
        // A group's actions are owned by its attendees.
        let mut owners = match (group, u.team_id) {
            (true, _) => people.to_vec(),
            (false, Some(t)) => users::list_team(tx, t).await?,
            (false, None) => vec![u.clone()],
        };
        owners.retain(|o| {
            o.disabled_at.is_none() && matches!(o.role, Role::SocialWorker | Role::TeamManager)
        });
        if !group && !owners.iter().any(|o| o.id == u.id) {
            owners.insert(0, u.clone());
        }
        let sessions = repo::for_supervisee(tx, u.id).await?;
        let due = self.worker_due(u, &sessions, today);
        let action_due = next_due(due.kind, u.asye_start, Some(today), self.sv_cfg())
            .unwrap_or(today + chrono::TimeDelta::days(28));
        match draft {
            None => {
                let local = calendar::to_london(now);
                use chrono::Datelike;
                values.insert("day".into(), local.day().to_string());
                values.insert("month".into(), local.month().to_string());
                values.insert("year".into(), local.year().to_string());
                values.insert("time".into(), local.format("%H:%M").to_string());
                values.insert("kind".into(), due.kind.as_str().into());
                let format = if group {
                    SessionFormat::Group
                } else {
                    SessionFormat::OneToOne
                };
                values.insert("format".into(), format.as_str().into());
                values.insert(
                    "duration".into(),
                    if due.kind == SupervisionKind::Asye {
                        "90"
                    } else {
                        "60"
                    }
                    .into(),
                );
            }
            Some(s) => {
                let local = calendar::to_london(s.session.held_at);
                use chrono::Datelike;
                values.insert("day".into(), local.day().to_string());
                values.insert("month".into(), local.month().to_string());
                values.insert("year".into(), local.year().to_string());
                values.insert("time".into(), local.format("%H:%M").to_string());
                values.insert("kind".into(), s.session.kind.as_str().into());
                values.insert("format".into(), s.session.format.as_str().into());
                values.insert("duration".into(), s.session.duration_minutes.to_string());
                if !group && authz::decide_supervision(actor, Act::ViewWorkerNotes, f).is_ok() {
                    values.insert("worker_notes".into(), s.session.worker_notes.clone());
                }
                let discussions = repo::discussions(tx, s.session.id).await?;
                let actions = repo::actions(tx, s.session.id).await?;
                for d in &discussions {
                    if !children.iter().any(|c| c.id.0 == d.child_id)
                        && let Some(c) =
                            children::get_with_facts(tx, actor, ChildId(d.child_id), now).await?
                        && decide_child(actor, ChildAction::RecordCaseDiscussion, &c.facts).is_ok()
                    {
                        children.push(c.child);
                        child_workers.push(
                            people
                                .iter()
                                .find(|p| p.id.0 == d.worker_id)
                                .unwrap_or(u)
                                .clone(),
                        );
                    }
                }
                for (i, c) in children.iter().enumerate() {
                    if let Some(d) = discussions.iter().find(|d| d.child_id == c.id.0) {
                        values.insert(format!("d{i}_analysis"), d.analysis.clone());
                        values.insert(format!("d{i}_decisions"), d.decisions.clone());
                    }
                    for (k, a) in actions
                        .iter()
                        .filter(|a| a.action.child_id == Some(c.id))
                        .take(ACTIONS_PER_DISCUSSION)
                        .enumerate()
                    {
                        let p = action_prefix(i, k);
                        values.insert(format!("{p}_action"), a.action.text.clone());
                        values.insert(format!("{p}_owner"), a.action.owner_id.to_string());
                        values.insert(format!("{p}_due"), day_text(a.action.due));
                    }
                }
                for r in repo::reviews(tx, s.session.id).await? {
                    if let Some(i) = open_actions
                        .iter()
                        .position(|a| a.action.id == r.review.action_id)
                    {
                        values.insert(format!("r{i}_outcome"), r.review.outcome.as_str().into());
                        values.insert(format!("r{i}_impact"), r.review.impact.clone());
                    }
                }
            }
        }
        for (i, w) in child_workers.iter().enumerate() {
            values.insert(format!("d{i}_worker"), w.id.to_string());
            for k in 0..ACTIONS_PER_DISCUSSION {
                let p = action_prefix(i, k);
                values
                    .entry(format!("{p}_owner"))
                    .or_insert_with(|| w.id.to_string());
                values
                    .entry(format!("{p}_due"))
                    .or_insert_with(|| day_text(action_due));
            }
        }
        Ok(SessionForm {
            worker: u.clone(),
            attendees: if group { people.to_vec() } else { Vec::new() },
            child_workers,
            session_id: draft.map(|s| s.session.id),
            drafted_by_name: draft.map(|s| s.drafted_by_name.clone()),
            children,
            open_actions,
            owners,
            values,
            may_sign_off: facts
                .iter()
                .all(|f| authz::decide_supervision(actor, Act::SignOff, f).is_ok()),
            // Notes about a worker are for their one-to-one, never shared with a group.
            may_worker_notes: !group
                && authz::decide_supervision(actor, Act::ViewWorkerNotes, f).is_ok(),
        })
    }

    /// The form to record a session for `worker`. Audited (it lists the worker's children).
    pub async fn new_session_form(&self, ctx: &Ctx, worker: UserId) -> AppResult<SessionForm> {
        let mut tx = self.db.begin_write().await?;
        let u = users::get(&mut tx, worker)
            .await?
            .ok_or(AppError::NotFound)?;
        let (mut tx, f) = self.decide_file(tx, ctx, &u, Act::Draft).await?;
        let form = self
            .build_form(&mut tx, ctx, std::slice::from_ref(&u), &[f], false, None)
            .await?;
        let ev = ctx.event(
            "supervision.draft.form",
            "user",
            Some(worker.0),
            None,
            Outcome::Allow,
            Some(format!("{} children listed", form.children.len())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(form)
    }

    /// A session: the draft form for those who may edit it, otherwise the
    /// record. Each child's discussion shown is audited on that child.
    pub async fn session_page(&self, ctx: &Ctx, id: Uuid) -> AppResult<SessionPage> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let s = repo::session(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let actor = &ctx.me.actor;
        let group = s.session.format == SessionFormat::Group;
        let (people, facts) = self.people_of(&mut tx, &s).await?;
        // A group record is on every attendee's file: whoever may open one
        // of those files may open it (each child's part is decided below).
        let seen = facts
            .iter()
            .position(|f| authz::decide_supervision(actor, Act::ViewFile, f).is_ok())
            .unwrap_or(0);
        let (mut tx, f) = self
            .decide_file(tx, ctx, &people[seen], Act::ViewFile)
            .await?;
        if s.session.status == SessionStatus::Draft
            && facts
                .iter()
                .all(|f| authz::decide_supervision(actor, Act::Draft, f).is_ok())
        {
            let form = self
                .build_form(&mut tx, ctx, &people, &facts, group, Some(&s))
                .await?;
            let ev = ctx.event(
                "supervision.draft.form",
                "supervision",
                Some(id),
                None,
                Outcome::Allow,
                None,
            );
            self.audit(&mut tx, &ev).await?;
            tx.commit().await?;
            return Ok(SessionPage::Form(Box::new(form)));
        }
        let in_room = people.iter().any(|p| p.id == actor.user_id)
            || actor.user_id == s.session.supervisor_id
            || facts
                .iter()
                .any(|f| authz::decide_supervision(actor, Act::SignOff, f).is_ok());
        let all_actions = repo::actions(&mut tx, id).await?;
        let mut discussions = Vec::new();
        let mut withheld = 0;
        for d in repo::discussions(&mut tx, id).await? {
            let facts = children::get_with_facts(&mut tx, actor, ChildId(d.child_id), now).await?;
            let may = facts
                .as_ref()
                .is_some_and(|c| decide_child(actor, ChildAction::ViewRecord, &c.facts).is_ok());
            if may || in_room {
                let ev = ctx.event(
                    "supervision.discussion.view",
                    "case_discussion",
                    Some(d.id),
                    Some(d.child_id),
                    Outcome::Allow,
                    (!may).then(|| "supervision_file".into()),
                );
                self.audit(&mut tx, &ev).await?;
                let acts = all_actions
                    .iter()
                    .filter(|a| a.action.child_id == Some(ChildId(d.child_id)))
                    .cloned()
                    .collect();
                discussions.push((d, acts));
            } else {
                withheld += 1;
            }
        }
        let reviews = repo::reviews(&mut tx, id).await?;
        let show_worker_notes =
            !group && authz::decide_supervision(actor, Act::ViewWorkerNotes, &f).is_ok();
        let ev = ctx.event(
            "supervision.view",
            "supervision",
            Some(id),
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(SessionPage::Record(Box::new(SessionRecord {
            session: s,
            discussions,
            withheld,
            reviews,
            show_worker_notes,
        })))
    }

    /// The people supervised in a session (one, or a group's attendees), each
    /// with the facts `decide_supervision` needs.
    async fn people_of(
        &self,
        tx: &mut Tx,
        s: &SessionView,
    ) -> AppResult<(Vec<User>, Vec<SuperviseeFacts>)> {
        let mut people = Vec::new();
        let mut facts = Vec::new();
        for (id, _) in s.supervisees() {
            let p = users::get(tx, id).await?.ok_or(AppError::NotFound)?;
            facts.push(self.supervisee_facts(tx, &p).await?);
            people.push(p);
        }
        if people.is_empty() {
            return Err(AppError::NotFound);
        }
        Ok((people, facts))
    }

    /// The workers a group session can be recorded for: active social
    /// workers whose supervision the viewer may record (the one policy,
    /// `decide_supervision`, for each).
    pub async fn group_choice(&self, ctx: &Ctx) -> AppResult<GroupChoice> {
        self.check_service(ctx, ServiceAction::RecordGroupSupervision)
            .await?;
        let mut tx = self.db.begin_write().await?;
        let mut out = GroupChoice::default();
        for u in users::list(&mut tx).await? {
            if u.disabled_at.is_some() || u.role != Role::SocialWorker {
                continue;
            }
            let f = self.supervisee_facts(&mut tx, &u).await?;
            if authz::decide_supervision(&ctx.me.actor, Act::Draft, &f).is_ok() {
                out.candidates.push(u);
            }
        }
        out.candidates.sort_by(|a, b| a.name.cmp(&b.name));
        tx.commit().await?;
        Ok(out)
    }

    /// Decide `act` on every attendee of a group, in one transaction; the
    /// first refusal is audited and returned.
    async fn decide_group(
        &self,
        mut tx: Tx,
        ctx: &Ctx,
        ids: &[UserId],
        act: Act,
    ) -> AppResult<(Tx, Vec<User>, Vec<SuperviseeFacts>)> {
        let mut people = Vec::new();
        let mut facts = Vec::new();
        for id in ids {
            let u = users::get(&mut tx, *id).await?.ok_or(AppError::NotFound)?;
            let (t, f) = self.decide_file(tx, ctx, &u, act).await?;
            tx = t;
            people.push(u);
            facts.push(f);
        }
        Ok((tx, people, facts))
    }

    /// The form to record a group session for `attendees` (two or more).
    /// Audited (it lists their children).
    pub async fn new_group_form(&self, ctx: &Ctx, attendees: &[UserId]) -> AppResult<SessionForm> {
        if attendees.len() < MIN_GROUP_ATTENDEES {
            let mut errs = FieldErrors::new();
            errs.add(
                "attendees",
                "Select at least two workers who attended the group session",
            );
            return Err(errs.into());
        }
        self.check_service(ctx, ServiceAction::RecordGroupSupervision)
            .await?;
        let tx = self.db.begin_write().await?;
        let (mut tx, people, facts) = self.decide_group(tx, ctx, attendees, Act::Draft).await?;
        let form = self
            .build_form(&mut tx, ctx, &people, &facts, true, None)
            .await?;
        let ev = ctx.event(
            "supervision.draft.form",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!(
                "group of {}; {} children listed",
                people.len(),
                form.children.len()
            )),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(form)
    }

    /// The form again, after a save with problems: for a new session or a draft.
    pub async fn session_form_again(
        &self,
        ctx: &Ctx,
        worker: Option<UserId>,
        session: Option<Uuid>,
    ) -> AppResult<SessionForm> {
        match (worker, session) {
            (Some(w), _) => self.new_session_form(ctx, w).await,
            (None, Some(s)) => match self.session_page(ctx, s).await? {
                SessionPage::Form(f) => Ok(*f),
                SessionPage::Record(_) => Err(AppError::Conflict(
                    "This record has been signed off.".into(),
                )),
            },
            _ => Err(AppError::NotFound),
        }
    }

    /// Save a session record: a new one for `worker`, or the draft
    /// `session`. `intent` "sign_off" signs it off (managers only), anything
    /// else saves a draft. All in one transaction with its audit rows.
    pub async fn save_session(
        &self,
        ctx: &Ctx,
        worker: Option<UserId>,
        session: Option<Uuid>,
        form: &HashMap<String, String>,
    ) -> AppResult<SavedSession> {
        self.save_any(ctx, worker.map(|w| vec![w]), false, session, form)
            .await
    }

    /// Save a new group session for `attendees` (two or more), as
    /// [`App::save_session`] does for one: the same checks, reviews,
    /// sign-off and audit. Every attendee is decided by the one policy;
    /// each discussion names the attendee whose child it is
    /// (`d{i}_worker`), and actions are owned by attendees.
    pub async fn save_group_session(
        &self,
        ctx: &Ctx,
        attendees: &[UserId],
        form: &HashMap<String, String>,
    ) -> AppResult<SavedSession> {
        self.check_service(ctx, ServiceAction::RecordGroupSupervision)
            .await?;
        if attendees.len() < MIN_GROUP_ATTENDEES {
            let mut errs = FieldErrors::new();
            errs.add(
                "attendees",
                "Select at least two workers who attended the group session",
            );
            return Err(errs.into());
        }
        self.save_any(ctx, Some(attendees.to_vec()), true, None, form)
            .await
    }

    async fn save_any(
        &self,
        ctx: &Ctx,
        new_people: Option<Vec<UserId>>,
        new_group: bool,
        session: Option<Uuid>,
        form: &HashMap<String, String>,
    ) -> AppResult<SavedSession> {
        let now = self.now();
        let actor = ctx.me.actor.clone();
        let mut tx = self.db.begin_write().await?;
        let existing = match session {
            Some(id) => Some(
                repo::session(&mut tx, id)
                    .await?
                    .ok_or(AppError::NotFound)?,
            ),
            None => None,
        };
        let (ids, group): (Vec<UserId>, bool) = match (&existing, new_people) {
            (Some(s), _) => (
                s.supervisees().into_iter().map(|x| x.0).collect(),
                s.session.format == SessionFormat::Group,
            ),
            (None, Some(p)) => (p, new_group),
            _ => return Err(AppError::NotFound),
        };
        let supervisee = *ids.first().ok_or(AppError::NotFound)?;
        let signing = form.get("intent").map(String::as_str) == Some("sign_off");
        let (mut tx, people, facts) = self
            .decide_group(
                tx,
                ctx,
                &ids,
                if signing { Act::SignOff } else { Act::Draft },
            )
            .await?;
        let (Some(u), Some(f)) = (people.first().cloned(), facts.first().cloned()) else {
            return Err(AppError::NotFound);
        };
        if let Some(s) = &existing
            && s.session.status != SessionStatus::Draft
        {
            return Err(AppError::Conflict(
                "This record has been signed off and cannot be changed.".into(),
            ));
        }
        let v = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
        let mut errs = FieldErrors::new();
        let kind = SupervisionKind::parse(v("kind"));
        if kind.is_none() {
            errs.add("kind", "Select the kind of supervision");
        }
        // The format follows from who was there: one supervisee, or a group.
        let format = if group {
            Some(SessionFormat::Group)
        } else {
            if v("format") == SessionFormat::Group.as_str() {
                errs.add(
                    "format",
                    "A group session has two or more supervisees: record it as a group session",
                );
            }
            Some(SessionFormat::OneToOne)
        };
        let held_at = crate::children::event_time(
            &mut errs,
            now,
            v("day"),
            v("month"),
            v("year"),
            v("time"),
            "the date of the session",
        );
        let duration: Option<u32> = v("duration").trim().parse().ok();
        if duration.is_none() {
            errs.add("duration", "Enter how long the session lasted, in minutes");
        }
        let may_notes =
            !group && authz::decide_supervision(&actor, Act::ViewWorkerNotes, &f).is_ok();
        let worker_notes = if may_notes {
            validate::optional_text(
                &mut errs,
                "worker_notes",
                "the notes about the worker",
                v("worker_notes"),
                20_000,
            )
            .unwrap_or_default()
        } else {
            existing
                .as_ref()
                .map(|s| s.session.worker_notes.clone())
                .unwrap_or_default()
        };
        // Case discussions: one block per child on the form, counted when anything is written.
        struct Disc {
            idx: usize,
            child: ChildId,
            worker: Option<UserId>,
            analysis: String,
            decisions: String,
            actions: Vec<ActionDraft>,
        }
        let mut discs: Vec<Disc> = Vec::new();
        for i in 0..200 {
            let Some(child) = form.get(&format!("d{i}_child")) else {
                break;
            };
            let analysis = v(&format!("d{i}_analysis")).trim().to_string();
            let decisions = v(&format!("d{i}_decisions")).trim().to_string();
            let texts: Vec<(String, String)> = (0..ACTIONS_PER_DISCUSSION)
                .map(|k| {
                    let p = action_prefix(i, k);
                    let t = v(&format!("{p}_action")).trim().to_string();
                    (p, t)
                })
                .collect();
            if analysis.is_empty()
                && decisions.is_empty()
                && texts.iter().all(|(_, t)| t.is_empty())
            {
                continue;
            }
            let Ok(child) = child.parse::<ChildId>() else {
                return Err(AppError::NotFound);
            };
            // In a group, the attendee whose child it is.
            let worker = if group {
                match v(&format!("d{i}_worker")).parse::<UserId>() {
                    Ok(w) if ids.contains(&w) => Some(w),
                    _ => return Err(AppError::NotFound),
                }
            } else {
                None
            };
            if analysis.is_empty() {
                errs.add(
                    &format!("d{i}_analysis"),
                    "Enter the analysis of the child's situation",
                );
            }
            for (field, text) in [("analysis", &analysis), ("decisions", &decisions)] {
                if text.chars().count() > 10_000 {
                    errs.add(
                        &format!("d{i}_{field}"),
                        "Keep this to 10,000 characters or fewer",
                    );
                }
            }
            let mut actions = Vec::new();
            for (p, text) in texts {
                if text.chars().count() > 10_000 {
                    errs.add(
                        &format!("{p}_action"),
                        "Keep this to 10,000 characters or fewer",
                    );
                }
                if text.is_empty() {
                    continue;
                }
                actions.push(ActionDraft {
                    owner: v(&format!("{p}_owner")).parse().ok(),
                    due: parse_day(v(&format!("{p}_due"))),
                    field: p,
                    text,
                });
            }
            discs.push(Disc {
                idx: i,
                child,
                worker,
                analysis,
                decisions,
                actions,
            });
        }
        // Reviews of every action still open.
        let open = self
            .open_to_review(
                &mut tx,
                group,
                supervisee,
                Self::supervisor_of(ctx, existing.as_ref(), &f),
            )
            .await?;
        let mut reviews: Vec<ActionReview> = Vec::new();
        for (i, a) in open.iter().enumerate() {
            let outcome = ActionStatus::parse(v(&format!("r{i}_outcome")))
                .filter(|o| ActionStatus::REVIEW_OUTCOMES.contains(o));
            let impact = v(&format!("r{i}_impact")).trim().to_string();
            if outcome.is_some() || !impact.is_empty() {
                reviews.push(ActionReview {
                    action_id: a.action.id,
                    outcome: outcome.unwrap_or(ActionStatus::Open),
                    impact,
                });
            }
        }
        let open_ids: Vec<Uuid> = open.iter().map(|a| a.action.id).collect();
        let action_drafts: Vec<ActionDraft> = discs
            .iter()
            .flat_map(|d| d.actions.iter().cloned())
            .collect();
        let owner_ok: Vec<UserId> = if group {
            ids.clone()
        } else {
            let mut team = match u.team_id {
                Some(t) => users::list_team(&mut tx, t).await?,
                None => Vec::new(),
            };
            team.push(u.clone());
            team.into_iter()
                .filter(|o| o.disabled_at.is_none())
                .map(|o| o.id)
                .collect()
        };
        for a in &action_drafts {
            if let Some(o) = a.owner
                && !owner_ok.contains(&o)
            {
                errs.add(
                    &format!("{}_owner", a.field),
                    if group {
                        "Select one of the workers at the session"
                    } else {
                        "Select someone in the worker's team"
                    },
                );
            }
        }
        if let (Some(k), Some(at), Some(dur)) = (kind, held_at, duration) {
            let check = check_session(
                &SessionCheckInput {
                    kind: k,
                    held_at: at,
                    now,
                    duration_minutes: dur,
                    open_actions: &open_ids,
                    reviews: &reviews,
                    actions: &action_drafts,
                    signing_off: signing,
                },
                self.sv_cfg(),
            );
            for (field, msg) in check.errors {
                errs.add(&field, msg);
            }
        } else if signing {
            // Still say which reviews are missing.
            for (n, id) in open_ids.iter().enumerate() {
                if !reviews
                    .iter()
                    .any(|r| r.action_id == *id && r.outcome != ActionStatus::Open)
                {
                    errs.add(&format!("r{n}_outcome"), "Review this action from an earlier session: done, not done or carried forward");
                }
            }
        }
        // Every child discussed must be one the recorder may record for.
        let mut allowed = Vec::new();
        for d in &discs {
            let Some(c) = children::get_with_facts(&mut tx, &actor, d.child, now).await? else {
                return Err(AppError::NotFound);
            };
            match decide_child(&actor, ChildAction::RecordCaseDiscussion, &c.facts) {
                Ok(ok) => allowed.push(ok),
                Err(den) => {
                    let ev = ctx.event(
                        "supervision.discussion",
                        "child",
                        Some(d.child.0),
                        Some(d.child.0),
                        Outcome::Deny,
                        Some(den.reason.as_str().into()),
                    );
                    drop(tx);
                    return Err(self.deny(ev, Some(den)).await);
                }
            }
        }
        let supervisor = Self::supervisor_of(ctx, existing.as_ref(), &f);
        let Some(supervisor) = supervisor else {
            errs.add("kind", "The worker's team has no manager to sign this off; ask an administrator to set one");
            return Err(errs.into());
        };
        errs.into_result()?;
        let (kind, format, held_at, duration) = match (kind, format, held_at, duration) {
            (Some(a), Some(b), Some(c), Some(d)) => (a, b, c, d),
            _ => {
                return Err(AppError::Internal(
                    "session fields missing after validation".into(),
                ));
            }
        };
        let s = Session {
            id: existing
                .as_ref()
                .map(|s| s.session.id)
                .unwrap_or_else(Uuid::now_v7),
            supervisee_id: supervisee,
            supervisor_id: supervisor,
            kind,
            format,
            held_at,
            duration_minutes: duration,
            worker_notes,
            status: if signing {
                SessionStatus::SignedOff
            } else {
                SessionStatus::Draft
            },
            drafted_by: existing
                .as_ref()
                .map(|s| s.session.drafted_by)
                .unwrap_or(actor.user_id),
            drafted_at: now,
            signed_off_by: signing.then_some(actor.user_id),
            signed_off_at: signing.then_some(now),
            recording_due: recording_due(held_at, self.sv_cfg()),
        };
        if existing.is_some() {
            repo::clear_draft(&mut tx, s.id).await?;
            if !repo::update_draft(&mut tx, &s).await? {
                return Err(AppError::Conflict(
                    "This record has been signed off and cannot be changed.".into(),
                ));
            }
        } else {
            repo::insert_session(&mut tx, &s).await?;
        }
        // A draft keeps the attendees it was started with.
        if group && existing.is_none() {
            repo::set_attendees(&mut tx, s.id, &ids).await?;
        }
        let mut position = 0;
        let mut new_actions: Vec<SupervisionAction> = Vec::new();
        for (d, ok) in discs.iter().zip(&allowed) {
            let cd = CaseDiscussion {
                id: Uuid::now_v7(),
                session_id: s.id,
                child_id: d.child,
                analysis: d.analysis.clone(),
                decisions: d.decisions.clone(),
            };
            repo::insert_discussion_for(
                &mut tx,
                ok,
                &cd,
                i32::try_from(d.idx).unwrap_or(0),
                d.worker,
            )
            .await?;
            for a in &d.actions {
                let (Some(owner), Some(due)) = (a.owner, a.due) else {
                    continue;
                };
                let act = SupervisionAction {
                    id: Uuid::now_v7(),
                    session_id: s.id,
                    child_id: Some(d.child),
                    text: a.text.clone(),
                    owner_id: owner,
                    due,
                    status: ActionStatus::Open,
                };
                repo::insert_action(&mut tx, Some(ok), &act, position, None).await?;
                position += 1;
                new_actions.push(act);
            }
            let ev = ctx.event(
                "supervision.discussion",
                "case_discussion",
                Some(cd.id),
                Some(d.child.0),
                Outcome::Allow,
                Some(if signing { "signed_off" } else { "draft" }.into()),
            );
            self.audit(&mut tx, &ev).await?;
        }
        for r in &reviews {
            repo::insert_review(&mut tx, s.id, r).await?;
        }
        if signing {
            let next = next_due(
                kind,
                u.asye_start,
                Some(calendar::london_date(held_at)),
                self.sv_cfg(),
            )
            .unwrap_or(calendar::london_date(held_at) + chrono::TimeDelta::days(28));
            for r in &reviews {
                repo::set_action_status(&mut tx, r.action_id, r.outcome).await?;
                repo::complete_action_tasks(&mut tx, r.action_id, actor.user_id, now).await?;
                if r.outcome == ActionStatus::CarriedForward
                    && let Some(old) = open.iter().find(|a| a.action.id == r.action_id)
                {
                    let ok = match old.action.child_id {
                        Some(c) => {
                            let Some(cf) =
                                children::get_with_facts(&mut tx, &actor, c, now).await?
                            else {
                                continue;
                            };
                            match decide_child(&actor, ChildAction::RecordCaseDiscussion, &cf.facts)
                            {
                                Ok(ok) => Some(ok),
                                Err(_) => continue,
                            }
                        }
                        None => None,
                    };
                    let act = SupervisionAction {
                        id: Uuid::now_v7(),
                        session_id: s.id,
                        child_id: old.action.child_id,
                        text: old.action.text.clone(),
                        owner_id: old.action.owner_id,
                        due: next.max(calendar::london_date(held_at)),
                        status: ActionStatus::Open,
                    };
                    repo::insert_action(&mut tx, ok.as_ref(), &act, position, Some(old.action.id))
                        .await?;
                    position += 1;
                    new_actions.push(act);
                }
            }
            for a in &new_actions {
                let t = Task {
                    id: Uuid::now_v7(),
                    child_id: a.child_id,
                    assigned_user: Some(a.owner_id),
                    assigned_role: None,
                    kind: "supervision.action".into(),
                    title: "Action from supervision".into(),
                    detail: a.text.clone(),
                    due_at: due_instant(a.due),
                    source_id: Some(a.id),
                    created_at: now,
                    completed_at: None,
                };
                tasks::insert(&mut tx, &t, Some(actor.user_id)).await?;
            }
        }
        let ev = ctx.event(
            if signing {
                "supervision.sign_off"
            } else {
                "supervision.draft"
            },
            "supervision",
            Some(s.id),
            None,
            Outcome::Allow,
            Some(format!(
                "{}; {} discussions, {} reviews",
                if group {
                    format!(
                        "group: {}",
                        ids.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                } else {
                    format!("worker {supervisee}")
                },
                discs.len(),
                reviews.len()
            )),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(SavedSession {
            id: s.id,
            signed_off: signing,
        })
    }

    /// The fast decision log page.
    pub async fn oversight_log(&self, ctx: &Ctx) -> AppResult<OversightLog> {
        self.check_service(ctx, ServiceAction::OversightLog).await?;
        let now = self.now();
        let actor = &ctx.me.actor;
        let mut tx = self.db.begin_write().await?;
        let kids = match (actor.role, actor.team_id, actor.pod_id) {
            (Role::TeamManager, Some(t), _) => children::in_team(&mut tx, actor, t, now).await?,
            (Role::PodAdmin, _, Some(p)) => children::in_pod(&mut tx, actor, p, now).await?,
            _ => Vec::new(),
        };
        let mut children: Vec<Child> = kids
            .into_iter()
            .filter(|c| decide_child(actor, ChildAction::AddOversight, &c.facts).is_ok())
            .map(|c| c.child)
            .collect();
        children.sort_by(|a, b| (&a.last_name, &a.first_name).cmp(&(&b.last_name, &b.first_name)));
        let on_behalf = actor.role == Role::PodAdmin;
        let managers = if on_behalf {
            let teams = org::list_teams(&mut tx).await?;
            let mut m = Vec::new();
            for t in teams
                .iter()
                .filter(|t| t.pod_id.is_some() && t.pod_id == actor.pod_id)
            {
                if let Some(id) = t.manager_id
                    && let Some(u) = users::get(&mut tx, id).await?
                    && u.disabled_at.is_none()
                {
                    m.push(u);
                }
            }
            m
        } else {
            Vec::new()
        };
        let log = OversightLog {
            no_oversight: self.oversight_gaps(&mut tx, ctx, now).await?,
            pending: repo::pending_oversight(&mut tx, actor.user_id).await?,
            oversight_days: self.sv_cfg().oversight_days,
            children,
            managers,
            on_behalf,
        };
        let ev = ctx.event(
            "oversight.list",
            "service",
            None,
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(log)
    }

    /// Record a management oversight entry or decision. A manager's own is
    /// confirmed at once; a pod administrator's, for a named manager, waits
    /// for that manager's confirmation (a task on their My work).
    pub async fn record_oversight(&self, ctx: &Ctx, input: &OversightInput) -> AppResult<ChildId> {
        self.check_service(ctx, ServiceAction::OversightLog).await?;
        let now = self.now();
        let mut errs = FieldErrors::new();
        let child: Option<ChildId> = input.child.parse().ok();
        if child.is_none() {
            errs.add("child", "Select the child");
        }
        let kind = OversightKind::parse(&input.kind);
        if kind.is_none() {
            errs.add("kind", "Select a decision or management oversight");
        }
        let text = validate::required_text(
            &mut errs,
            "text",
            "the decision or oversight",
            &input.text,
            5_000,
        );
        let rationale = validate::required_text(
            &mut errs,
            "rationale",
            "the reasons",
            &input.rationale,
            10_000,
        );
        let mut tx = self.db.begin_write().await?;
        let on_behalf = ctx.me.user.role == Role::PodAdmin;
        let manager = if on_behalf {
            match input.manager.parse::<UserId>() {
                Ok(id) => match users::get(&mut tx, id).await? {
                    Some(u) if u.role == Role::TeamManager && u.disabled_at.is_none() => Some(u),
                    _ => None,
                },
                Err(_) => None,
            }
        } else {
            Some(ctx.me.user.clone())
        };
        if manager.is_none() {
            errs.add("manager", "Select the manager you are recording for");
        }
        errs.into_result()?;
        let (Some(child), Some(kind), Some(manager)) = (child, kind, manager) else {
            return Err(AppError::Internal(
                "oversight fields missing after validation".into(),
            ));
        };
        let (mut tx, _, ok) = self
            .authorise_child(tx, ctx, child, ChildAction::AddOversight)
            .await?;
        let e = OversightEntry {
            id: Uuid::now_v7(),
            child_id: child,
            kind,
            text,
            rationale,
            manager_id: manager.id,
            manager_name: manager.name.clone(),
            recorded_by: ctx.me.user.id,
            recorded_by_name: ctx.me.user.name.clone(),
            at: now,
            recorded_at: now,
            confirmed_at: (!on_behalf).then_some(now),
        };
        repo::insert_oversight(&mut tx, &ok, &e).await?;
        if on_behalf {
            let cal = calendar::WorkingCalendar::england_and_wales();
            let t = Task {
                id: Uuid::now_v7(),
                child_id: Some(child),
                assigned_user: Some(manager.id),
                assigned_role: None,
                kind: "oversight.confirm".into(),
                title: format!("Confirm a {} recorded for you", kind.label().to_lowercase()),
                detail: format!(
                    "Recorded by {}: {}",
                    ctx.me.user.name,
                    e.text.chars().take(120).collect::<String>()
                ),
                due_at: due_instant(cal.next_working_day(calendar::london_date(now))),
                source_id: Some(e.id),
                created_at: now,
                completed_at: None,
            };
            tasks::insert(&mut tx, &t, Some(ctx.me.user.id)).await?;
        }
        let ev = ctx.event(
            "oversight.create",
            "oversight",
            Some(e.id),
            Some(child.0),
            Outcome::Allow,
            Some(format!(
                "{}{}",
                kind.as_str(),
                if on_behalf { "; for a manager" } else { "" }
            )),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(child)
    }

    /// The named manager confirms an entry recorded for them.
    pub async fn confirm_oversight(&self, ctx: &Ctx, id: Uuid) -> AppResult<ChildId> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let (e, _) = repo::oversight(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !authz::may_confirm_oversight(&ctx.me.actor, e.manager_id) {
            let ev = ctx.event(
                "oversight.confirm",
                "oversight",
                Some(id),
                Some(e.child_id.0),
                Outcome::Deny,
                Some("not_the_manager".into()),
            );
            drop(tx);
            return Err(self.deny(ev, None).await);
        }
        let (mut tx, _, _ok) = self
            .authorise_child_as(
                tx,
                ctx,
                e.child_id,
                ChildAction::AddOversight,
                "oversight.confirm",
            )
            .await?;
        if !repo::confirm_oversight(&mut tx, id, now).await? {
            return Err(AppError::Conflict(
                "This has already been confirmed.".into(),
            ));
        }
        harbour_db::supervision::complete_action_tasks_of_kind(
            &mut tx,
            id,
            "oversight.confirm",
            ctx.me.user.id,
            now,
        )
        .await?;
        let ev = ctx.event(
            "oversight.confirm",
            "oversight",
            Some(id),
            Some(e.child_id.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(e.child_id)
    }
}
