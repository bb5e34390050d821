//! Supervision sessions, case discussions, actions and their reviews, and
//! management oversight entries (migration 0009).
//!
//! Writing or reading a case discussion, an action about a child or an
//! oversight entry *for a child's record* takes an [`Allowed`]. The
//! worker's supervision file is decided by `authz::decide_supervision`
//! instead: `session`, `for_supervisee`, `discussions`, `actions` and
//! `reviews` read by session or person and take none; the app decides each
//! child shown in them (and audits it).

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::authz::Allowed;
use harbour_domain::ids::*;
use harbour_domain::supervision::*;
use uuid::Uuid;

/// A session with the names of the people in it.
#[derive(Clone, Debug)]
pub struct SessionView {
    /// The session.
    pub session: Session,
    /// Supervisee's name.
    pub supervisee_name: String,
    /// Supervisor's name.
    pub supervisor_name: String,
    /// Who drafted it.
    pub drafted_by_name: String,
    /// Who signed it off.
    pub signed_off_by_name: Option<String>,
    /// A group session's supervisees, in order (empty for one-to-one).
    pub attendees: Vec<(UserId, String)>,
}

impl SessionView {
    /// Everyone supervised in the session: the attendees of a group
    /// session, or the one supervisee.
    pub fn supervisees(&self) -> Vec<(UserId, String)> {
        if self.attendees.is_empty() {
            vec![(self.session.supervisee_id, self.supervisee_name.clone())]
        } else {
            self.attendees.clone()
        }
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: Uuid,
    supervisee_id: Uuid,
    supervisor_id: Uuid,
    kind: String,
    format: String,
    held_at: DateTime<Utc>,
    duration_minutes: i32,
    worker_notes: String,
    status: String,
    drafted_by: Uuid,
    drafted_at: DateTime<Utc>,
    signed_off_by: Option<Uuid>,
    signed_off_at: Option<DateTime<Utc>>,
    recording_due: NaiveDate,
    supervisee_name: String,
    supervisor_name: String,
    drafted_by_name: String,
    signed_off_by_name: Option<String>,
}

impl From<SessionRow> for SessionView {
    fn from(r: SessionRow) -> Self {
        SessionView {
            session: Session {
                id: r.id,
                supervisee_id: UserId(r.supervisee_id),
                supervisor_id: UserId(r.supervisor_id),
                kind: SupervisionKind::parse(&r.kind).unwrap_or(SupervisionKind::Case),
                format: SessionFormat::parse(&r.format).unwrap_or(SessionFormat::OneToOne),
                held_at: r.held_at,
                duration_minutes: u32::try_from(r.duration_minutes).unwrap_or(0),
                worker_notes: r.worker_notes,
                status: SessionStatus::parse(&r.status).unwrap_or(SessionStatus::Draft),
                drafted_by: UserId(r.drafted_by),
                drafted_at: r.drafted_at,
                signed_off_by: r.signed_off_by.map(UserId),
                signed_off_at: r.signed_off_at,
                recording_due: r.recording_due,
            },
            supervisee_name: r.supervisee_name,
            supervisor_name: r.supervisor_name,
            drafted_by_name: r.drafted_by_name,
            signed_off_by_name: r.signed_off_by_name,
            attendees: Vec::new(),
        }
    }
}

macro_rules! select_session {
    () => {
        "select s.id, s.supervisee_id, s.supervisor_id, s.kind, s.format, s.held_at, s.duration_minutes, s.worker_notes, s.status, s.drafted_by, s.drafted_at, s.signed_off_by, s.signed_off_at, s.recording_due, \
         e.name as supervisee_name, m.name as supervisor_name, d.name as drafted_by_name, o.name as signed_off_by_name \
         from supervision_sessions s join users e on e.id = s.supervisee_id join users m on m.id = s.supervisor_id \
         join users d on d.id = s.drafted_by left join users o on o.id = s.signed_off_by "
    };
}

const INSERT_SESSION: &str = "insert into supervision_sessions (id, supervisee_id, supervisor_id, kind, format, held_at, duration_minutes, worker_notes, status, drafted_by, drafted_at, signed_off_by, signed_off_at, recording_due) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
/// Store a new session (draft or signed off).
pub async fn insert_session(tx: &mut Tx, s: &Session) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_SESSION)
        .bind(s.id)
        .bind(s.supervisee_id.0)
        .bind(s.supervisor_id.0)
        .bind(s.kind.as_str())
        .bind(s.format.as_str())
        .bind(s.held_at)
        .bind(i32::try_from(s.duration_minutes).unwrap_or(i32::MAX))
        .bind(&s.worker_notes)
        .bind(s.status.as_str())
        .bind(s.drafted_by.0)
        .bind(s.drafted_at)
        .bind(s.signed_off_by.map(|u| u.0))
        .bind(s.signed_off_at)
        .bind(s.recording_due)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const UPDATE_DRAFT: &str = "update supervision_sessions set supervisor_id = $2, kind = $3, format = $4, held_at = $5, duration_minutes = $6, worker_notes = $7, status = $8, drafted_by = $9, drafted_at = $10, signed_off_by = $11, signed_off_at = $12, recording_due = $13 where id = $1 and status = 'draft'";
/// Change a draft (and perhaps sign it off). False if it is no longer a draft.
pub async fn update_draft(tx: &mut Tx, s: &Session) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(UPDATE_DRAFT)
        .bind(s.id)
        .bind(s.supervisor_id.0)
        .bind(s.kind.as_str())
        .bind(s.format.as_str())
        .bind(s.held_at)
        .bind(i32::try_from(s.duration_minutes).unwrap_or(i32::MAX))
        .bind(&s.worker_notes)
        .bind(s.status.as_str())
        .bind(s.drafted_by.0)
        .bind(s.drafted_at)
        .bind(s.signed_off_by.map(|u| u.0))
        .bind(s.signed_off_at)
        .bind(s.recording_due)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

const GET_SESSION: &str = concat!(select_session!(), "where s.id = $1");
/// One session (to learn whose file it is, before deciding), with a group
/// session's attendees.
pub async fn session(tx: &mut Tx, id: Uuid) -> DbResult<Option<SessionView>> {
    let r: Option<SessionRow> = on_tx!(tx, |c| sqlx::query_as(GET_SESSION)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    let mut out: Vec<SessionView> = r.into_iter().map(Into::into).collect();
    with_attendees(tx, &mut out).await?;
    Ok(out.pop())
}

const FOR_SUPERVISEE: &str = concat!(
    select_session!(),
    "where s.supervisee_id = $1 or s.id in (select x.session_id from supervision_attendees x where x.user_id = $1) order by s.held_at desc, s.id desc"
);
/// A person's sessions, one-to-one and the group sessions they attended, newest first.
pub async fn for_supervisee(tx: &mut Tx, who: UserId) -> DbResult<Vec<SessionView>> {
    let rows: Vec<SessionRow> = on_tx!(tx, |c| sqlx::query_as(FOR_SUPERVISEE)
        .bind(who.0)
        .fetch_all(c)
        .await)?;
    let mut out: Vec<SessionView> = rows.into_iter().map(Into::into).collect();
    with_attendees(tx, &mut out).await?;
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct AttendeeRow {
    user_id: Uuid,
    name: String,
}

const ATTENDEES: &str = "select x.user_id, u.name from supervision_attendees x join users u on u.id = x.user_id where x.session_id = $1 order by x.position";
/// Fill in the attendees of the group sessions among `sessions`.
async fn with_attendees(tx: &mut Tx, sessions: &mut [SessionView]) -> DbResult<()> {
    for s in sessions
        .iter_mut()
        .filter(|s| s.session.format == SessionFormat::Group)
    {
        let rows: Vec<AttendeeRow> = on_tx!(tx, |c| sqlx::query_as(ATTENDEES)
            .bind(s.session.id)
            .fetch_all(c)
            .await)?;
        s.attendees = rows
            .into_iter()
            .map(|r| (UserId(r.user_id), r.name))
            .collect();
    }
    Ok(())
}

const CLEAR_ATTENDEES: &str = "delete from supervision_attendees where session_id = $1 and exists (select 1 from supervision_sessions s where s.id = $1 and s.status = 'draft')";
const INSERT_ATTENDEE: &str =
    "insert into supervision_attendees (session_id, user_id, position) values ($1, $2, $3)";
/// Set a group session's attendees (the first must be its `supervisee_id`).
/// Call it after storing the session, while it is a draft or as it is
/// signed off in the same transaction.
pub async fn set_attendees(tx: &mut Tx, session: Uuid, who: &[UserId]) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(CLEAR_ATTENDEES)
        .bind(session)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    for (i, u) in who.iter().enumerate() {
        on_tx!(tx, |c| sqlx::query(INSERT_ATTENDEE)
            .bind(session)
            .bind(u.0)
            .bind(i32::try_from(i).unwrap_or(i32::MAX))
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

const FOR_TEAMS: &str = concat!(
    select_session!(),
    "where e.team_id in (select t.id from teams t where t.id = $1 or t.pod_id = $2) order by s.held_at desc, s.id desc"
);
/// Sessions of everyone in a team (`team`) or in the teams a pod supports (`pod`), newest first.
pub async fn for_teams(
    tx: &mut Tx,
    team: Option<TeamId>,
    pod: Option<PodId>,
) -> DbResult<Vec<SessionView>> {
    let rows: Vec<SessionRow> = on_tx!(tx, |c| sqlx::query_as(FOR_TEAMS)
        .bind(team.map(|t| t.0))
        .bind(pod.map(|p| p.0))
        .fetch_all(c)
        .await)?;
    let mut out: Vec<SessionView> = rows.into_iter().map(Into::into).collect();
    with_attendees(tx, &mut out).await?;
    Ok(out)
}

const CLEAR_REVIEWS: &str = "delete from supervision_reviews where session_id = $1 and exists (select 1 from supervision_sessions s where s.id = $1 and s.status = 'draft')";
const CLEAR_ACTIONS: &str = "delete from supervision_actions where session_id = $1 and exists (select 1 from supervision_sessions s where s.id = $1 and s.status = 'draft')";
const CLEAR_DISCUSSIONS: &str = "delete from case_discussions where session_id = $1 and exists (select 1 from supervision_sessions s where s.id = $1 and s.status = 'draft')";
/// Remove a *draft's* discussions, actions and reviews, before saving it
/// again. A signed-off record is never changed.
pub async fn clear_draft(tx: &mut Tx, session: Uuid) -> DbResult<()> {
    for q in [CLEAR_REVIEWS, CLEAR_ACTIONS, CLEAR_DISCUSSIONS] {
        on_tx!(tx, |c| sqlx::query(q)
            .bind(session)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

const INSERT_DISCUSSION: &str = "insert into case_discussions (id, session_id, child_id, position, analysis, decisions, worker_id) values ($1, $2, $3, $4, $5, $6, $7)";
/// Store a case discussion (part of the child's record), about a child of
/// the session's supervisee.
pub async fn insert_discussion(
    tx: &mut Tx,
    ok: &Allowed,
    d: &CaseDiscussion,
    position: i32,
) -> DbResult<()> {
    insert_discussion_for(tx, ok, d, position, None).await
}

/// Store a case discussion about a child of `worker` (in a group session,
/// one of the attendees; None: the session's supervisee).
pub async fn insert_discussion_for(
    tx: &mut Tx,
    ok: &Allowed,
    d: &CaseDiscussion,
    position: i32,
    worker: Option<UserId>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_DISCUSSION)
        .bind(d.id)
        .bind(d.session_id)
        .bind(ok.child_id().0)
        .bind(position)
        .bind(&d.analysis)
        .bind(&d.decisions)
        .bind(worker.map(|w| w.0))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const INSERT_ACTION: &str = "insert into supervision_actions (id, session_id, child_id, position, text, owner_id, due_date, status, continues) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
/// Store an action. One about a child takes that child's [`Allowed`].
pub async fn insert_action(
    tx: &mut Tx,
    ok: Option<&Allowed>,
    a: &SupervisionAction,
    position: i32,
    continues: Option<Uuid>,
) -> DbResult<()> {
    debug_assert_eq!(ok.map(|o| o.child_id()), a.child_id);
    on_tx!(tx, |c| sqlx::query(INSERT_ACTION)
        .bind(a.id)
        .bind(a.session_id)
        .bind(ok.map(|o| o.child_id().0))
        .bind(position)
        .bind(&a.text)
        .bind(a.owner_id.0)
        .bind(a.due)
        .bind(a.status.as_str())
        .bind(continues)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const INSERT_REVIEW: &str = "insert into supervision_reviews (session_id, action_id, outcome, impact) values ($1, $2, $3, $4)";
/// Store a review of an earlier action in `session`.
pub async fn insert_review(tx: &mut Tx, session: Uuid, r: &ActionReview) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_REVIEW)
        .bind(session)
        .bind(r.action_id)
        .bind(r.outcome.as_str())
        .bind(&r.impact)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const SET_ACTION_STATUS: &str =
    "update supervision_actions set status = $2 where id = $1 and status = 'open'";
/// Close an open action with a review outcome. False if it was not open.
pub async fn set_action_status(tx: &mut Tx, id: Uuid, status: ActionStatus) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(SET_ACTION_STATUS)
        .bind(id)
        .bind(status.as_str())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

const COMPLETE_TASKS: &str = "update tasks set completed_at = $2, completed_by = $3 where source_id = $1 and kind = $4 and completed_at is null";
/// Close the "My work" task of a reviewed action.
pub async fn complete_action_tasks(
    tx: &mut Tx,
    action: Uuid,
    by: UserId,
    now: DateTime<Utc>,
) -> DbResult<()> {
    complete_action_tasks_of_kind(tx, action, "supervision.action", by, now).await
}

/// Close the open tasks of `kind` that `source` caused.
pub async fn complete_action_tasks_of_kind(
    tx: &mut Tx,
    source: Uuid,
    kind: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(COMPLETE_TASKS)
        .bind(source)
        .bind(now)
        .bind(by.0)
        .bind(kind)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A case discussion with its child's name.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DiscussionRow {
    /// Identifier.
    pub id: Uuid,
    /// Session.
    pub session_id: Uuid,
    /// Child.
    pub child_id: Uuid,
    /// Child's name.
    pub child_name: String,
    /// Analysis.
    pub analysis: String,
    /// Decisions.
    pub decisions: String,
    /// The worker whose child it is.
    pub worker_id: Uuid,
    /// Their name.
    pub worker_name: String,
}

const DISCUSSIONS: &str = "select d.id, d.session_id, d.child_id, c.first_name || ' ' || c.last_name as child_name, d.analysis, d.decisions, w.id as worker_id, w.name as worker_name from case_discussions d join children c on c.id = d.child_id join supervision_sessions s on s.id = d.session_id join users w on w.id = coalesce(d.worker_id, s.supervisee_id) where d.session_id = $1 order by d.position";
/// A session's case discussions, in the order recorded (the app decides each child).
pub async fn discussions(tx: &mut Tx, session: Uuid) -> DbResult<Vec<DiscussionRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(DISCUSSIONS)
        .bind(session)
        .fetch_all(c)
        .await)?)
}

/// An action with its owner's name and the session it came from.
#[derive(Clone, Debug)]
pub struct ActionView {
    /// The action.
    pub action: SupervisionAction,
    /// Owner's name.
    pub owner_name: String,
    /// The child's name, if about a child.
    pub child_name: Option<String>,
    /// When the session that agreed it was held.
    pub agreed_at: DateTime<Utc>,
    /// Whose supervision it came from.
    pub supervisee_id: UserId,
    /// Their name.
    pub supervisee_name: String,
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: Uuid,
    session_id: Uuid,
    child_id: Option<Uuid>,
    text: String,
    owner_id: Uuid,
    due_date: NaiveDate,
    status: String,
    owner_name: String,
    child_name: Option<String>,
    agreed_at: DateTime<Utc>,
    supervisee_id: Uuid,
    supervisee_name: String,
}

impl From<ActionRow> for ActionView {
    fn from(r: ActionRow) -> Self {
        ActionView {
            action: SupervisionAction {
                id: r.id,
                session_id: r.session_id,
                child_id: r.child_id.map(ChildId),
                text: r.text,
                owner_id: UserId(r.owner_id),
                due: r.due_date,
                status: ActionStatus::parse(&r.status).unwrap_or(ActionStatus::Open),
            },
            owner_name: r.owner_name,
            child_name: r.child_name,
            agreed_at: r.agreed_at,
            supervisee_id: UserId(r.supervisee_id),
            supervisee_name: r.supervisee_name,
        }
    }
}

macro_rules! select_action {
    () => {
        "select a.id, a.session_id, a.child_id, a.text, a.owner_id, a.due_date, a.status, o.name as owner_name, \
         c.first_name || ' ' || c.last_name as child_name, s.held_at as agreed_at, s.supervisee_id, e.name as supervisee_name \
         from supervision_actions a join supervision_sessions s on s.id = a.session_id join users o on o.id = a.owner_id \
         join users e on e.id = s.supervisee_id left join children c on c.id = a.child_id "
    };
}

const ACTIONS: &str = concat!(
    select_action!(),
    "where a.session_id = $1 order by a.position"
);
/// A session's actions, in order.
pub async fn actions(tx: &mut Tx, session: Uuid) -> DbResult<Vec<ActionView>> {
    let rows: Vec<ActionRow> = on_tx!(tx, |c| sqlx::query_as(ACTIONS)
        .bind(session)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const OPEN_FOR: &str = concat!(
    select_action!(),
    "where s.supervisee_id = $1 and s.format = 'one_to_one' and s.status = 'signed_off' and a.status = 'open' order by s.held_at, a.position"
);
/// Actions still open from a person's signed-off one-to-one sessions,
/// oldest first: the ones their next one-to-one session must review.
pub async fn open_for(tx: &mut Tx, supervisee: UserId) -> DbResult<Vec<ActionView>> {
    let rows: Vec<ActionRow> = on_tx!(tx, |c| sqlx::query_as(OPEN_FOR)
        .bind(supervisee.0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const OPEN_FOR_GROUP: &str = concat!(
    select_action!(),
    "where s.supervisor_id = $1 and s.format = 'group' and s.status = 'signed_off' and a.status = 'open' order by s.held_at, a.position"
);
/// Actions still open from a supervisor's signed-off group sessions, oldest
/// first: the ones the group's next session must review.
pub async fn open_for_group(tx: &mut Tx, supervisor: UserId) -> DbResult<Vec<ActionView>> {
    let rows: Vec<ActionRow> = on_tx!(tx, |c| sqlx::query_as(OPEN_FOR_GROUP)
        .bind(supervisor.0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const OPEN_ATTENDED: &str = concat!(
    select_action!(),
    "where (s.supervisee_id = $1 or s.id in (select x.session_id from supervision_attendees x where x.user_id = $1)) and s.status = 'signed_off' and a.status = 'open' order by s.held_at, a.position"
);
/// Actions still open from every signed-off session a person was
/// supervised in (one-to-one or group), oldest first: for their file.
pub async fn open_attended(tx: &mut Tx, who: UserId) -> DbResult<Vec<ActionView>> {
    let rows: Vec<ActionRow> = on_tx!(tx, |c| sqlx::query_as(OPEN_ATTENDED)
        .bind(who.0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const OVERDUE_FOR_TEAMS: &str = concat!(
    select_action!(),
    "where s.status = 'signed_off' and a.status = 'open' and a.due_date < $3 and e.team_id in (select t.id from teams t where t.id = $1 or t.pod_id = $2) order by a.due_date, a.position"
);
/// Open actions past their due date, from the supervision of a team's (or a pod's teams') staff.
pub async fn overdue_for_teams(
    tx: &mut Tx,
    team: Option<TeamId>,
    pod: Option<PodId>,
    today: NaiveDate,
) -> DbResult<Vec<ActionView>> {
    let rows: Vec<ActionRow> = on_tx!(tx, |c| sqlx::query_as(OVERDUE_FOR_TEAMS)
        .bind(team.map(|t| t.0))
        .bind(pod.map(|p| p.0))
        .bind(today)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const ACTIONS_FOR_CHILD: &str = concat!(
    select_action!(),
    "where a.child_id = $1 and s.status = 'signed_off' order by s.held_at desc, a.position"
);
/// The actions about a child from signed-off sessions, newest session first.
pub async fn actions_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<ActionView>> {
    let rows: Vec<ActionRow> = on_tx!(tx, |c| sqlx::query_as(ACTIONS_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// A review with the action it reviews.
#[derive(Clone, Debug)]
pub struct ReviewView {
    /// The review.
    pub review: ActionReview,
    /// The action.
    pub action: ActionView,
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    action_id: Uuid,
    outcome: String,
    impact: String,
}

const REVIEWS: &str =
    "select action_id, outcome, impact from supervision_reviews where session_id = $1";
const REVIEWED_ACTIONS: &str = concat!(
    select_action!(),
    "where a.id in (select r.action_id from supervision_reviews r where r.session_id = $1) order by s.held_at, a.position"
);
/// The reviews given in a session, with the actions reviewed.
pub async fn reviews(tx: &mut Tx, session: Uuid) -> DbResult<Vec<ReviewView>> {
    let rows: Vec<ReviewRow> = on_tx!(tx, |c| sqlx::query_as(REVIEWS)
        .bind(session)
        .fetch_all(c)
        .await)?;
    let acts: Vec<ActionRow> = on_tx!(tx, |c| sqlx::query_as(REVIEWED_ACTIONS)
        .bind(session)
        .fetch_all(c)
        .await)?;
    Ok(acts
        .into_iter()
        .filter_map(|a| {
            let r = rows.iter().find(|r| r.action_id == a.id)?;
            Some(ReviewView {
                review: ActionReview {
                    action_id: r.action_id,
                    outcome: ActionStatus::parse(&r.outcome).unwrap_or(ActionStatus::Open),
                    impact: r.impact.clone(),
                },
                action: a.into(),
            })
        })
        .collect())
}

/// A signed-off case discussion as it appears on the child's record.
#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct ChildDiscussion {
    /// Identifier.
    pub id: Uuid,
    /// The session.
    pub session_id: Uuid,
    /// When the session was held.
    pub held_at: DateTime<Utc>,
    /// The supervisor's name.
    pub supervisor_name: String,
    /// The name of the worker whose child it is (in a group session, the attendee).
    pub supervisee_name: String,
    /// Analysis.
    pub analysis: String,
    /// Decisions.
    pub decisions: String,
}

const FOR_CHILD: &str = "select d.id, d.session_id, s.held_at, m.name as supervisor_name, e.name as supervisee_name, d.analysis, d.decisions from case_discussions d join supervision_sessions s on s.id = d.session_id join users m on m.id = s.supervisor_id join users e on e.id = coalesce(d.worker_id, s.supervisee_id) where d.child_id = $1 and s.status = 'signed_off' order by s.held_at desc, d.id desc";
/// A child's signed-off case discussions, newest first.
pub async fn discussions_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<ChildDiscussion>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?)
}

// ---------- management oversight ----------

#[derive(sqlx::FromRow)]
struct OversightRow {
    id: Uuid,
    child_id: Uuid,
    kind: String,
    text: String,
    rationale: String,
    manager_id: Uuid,
    manager_name: String,
    recorded_by: Uuid,
    recorded_by_name: String,
    at: DateTime<Utc>,
    recorded_at: DateTime<Utc>,
    confirmed_at: Option<DateTime<Utc>>,
    child_name: String,
}

impl OversightRow {
    fn split(self) -> (OversightEntry, String) {
        (
            OversightEntry {
                id: self.id,
                child_id: ChildId(self.child_id),
                kind: OversightKind::parse(&self.kind).unwrap_or(OversightKind::Oversight),
                text: self.text,
                rationale: self.rationale,
                manager_id: UserId(self.manager_id),
                manager_name: self.manager_name,
                recorded_by: UserId(self.recorded_by),
                recorded_by_name: self.recorded_by_name,
                at: self.at,
                recorded_at: self.recorded_at,
                confirmed_at: self.confirmed_at,
            },
            self.child_name,
        )
    }
}

macro_rules! select_oversight {
    () => {
        "select o.id, o.child_id, o.kind, o.text, o.rationale, o.manager_id, m.name as manager_name, o.recorded_by, r.name as recorded_by_name, \
         o.at, o.recorded_at, o.confirmed_at, c.first_name || ' ' || c.last_name as child_name \
         from oversight_entries o join users m on m.id = o.manager_id join users r on r.id = o.recorded_by join children c on c.id = o.child_id "
    };
}

const INSERT_OVERSIGHT: &str = "insert into oversight_entries (id, child_id, kind, text, rationale, manager_id, recorded_by, at, recorded_at, confirmed_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
/// Record an oversight entry or decision.
pub async fn insert_oversight(tx: &mut Tx, ok: &Allowed, e: &OversightEntry) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_OVERSIGHT)
        .bind(e.id)
        .bind(ok.child_id().0)
        .bind(e.kind.as_str())
        .bind(&e.text)
        .bind(&e.rationale)
        .bind(e.manager_id.0)
        .bind(e.recorded_by.0)
        .bind(e.at)
        .bind(e.recorded_at)
        .bind(e.confirmed_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const OVERSIGHT_FOR_CHILD: &str = concat!(
    select_oversight!(),
    "where o.child_id = $1 order by o.at desc, o.id desc"
);
/// A child's oversight entries and logged decisions, newest first.
pub async fn oversight_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<OversightEntry>> {
    let rows: Vec<OversightRow> = on_tx!(tx, |c| sqlx::query_as(OVERSIGHT_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(|r| r.split().0).collect())
}

const GET_OVERSIGHT: &str = concat!(select_oversight!(), "where o.id = $1");
/// One entry (to learn its manager and child, before deciding).
pub async fn oversight(tx: &mut Tx, id: Uuid) -> DbResult<Option<(OversightEntry, String)>> {
    let r: Option<OversightRow> = on_tx!(tx, |c| sqlx::query_as(GET_OVERSIGHT)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(OversightRow::split))
}

const PENDING: &str = concat!(
    select_oversight!(),
    "where o.confirmed_at is null and (o.manager_id = $1 or o.recorded_by = $1) order by o.recorded_at"
);
/// Entries awaiting a manager's confirmation: those recorded for `who`, or by `who`.
pub async fn pending_oversight(
    tx: &mut Tx,
    who: UserId,
) -> DbResult<Vec<(OversightEntry, String)>> {
    let rows: Vec<OversightRow> = on_tx!(tx, |c| sqlx::query_as(PENDING)
        .bind(who.0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(OversightRow::split).collect())
}

const CONFIRM: &str =
    "update oversight_entries set confirmed_at = $2 where id = $1 and confirmed_at is null";
/// Confirm an entry. False if already confirmed.
pub async fn confirm_oversight(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(CONFIRM)
        .bind(id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(crate::changed(n))
}

/// When a child last had management oversight of some kind.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OversightMark {
    /// The child.
    pub child_id: Uuid,
    /// A decision, confirmed oversight entry or signed-off case discussion.
    pub at: DateTime<Utc>,
}

const MARKS_FOR_TEAMS: &str = "select d.child_id, d.decided_at as at from decisions d join allocations a on a.child_id = d.child_id and a.end_date is null where a.team_id in (select t.id from teams t where t.id = $1 or t.pod_id = $2) \
     union all select o.child_id, o.at from oversight_entries o join allocations a on a.child_id = o.child_id and a.end_date is null where o.confirmed_at is not null and a.team_id in (select t.id from teams t where t.id = $1 or t.pod_id = $2) \
     union all select cd.child_id, s.held_at as at from case_discussions cd join supervision_sessions s on s.id = cd.session_id join allocations a on a.child_id = cd.child_id and a.end_date is null where s.status = 'signed_off' and a.team_id in (select t.id from teams t where t.id = $1 or t.pod_id = $2)";
/// Every management decision, confirmed oversight entry and signed-off case
/// discussion about the children allocated in a team (or a pod's teams).
pub async fn oversight_marks(
    tx: &mut Tx,
    team: Option<TeamId>,
    pod: Option<PodId>,
) -> DbResult<Vec<OversightMark>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(MARKS_FOR_TEAMS)
        .bind(team.map(|t| t.0))
        .bind(pod.map(|p| p.0))
        .fetch_all(c)
        .await)?)
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    INSERT_SESSION,
    UPDATE_DRAFT,
    GET_SESSION,
    FOR_SUPERVISEE,
    ATTENDEES,
    CLEAR_ATTENDEES,
    INSERT_ATTENDEE,
    FOR_TEAMS,
    CLEAR_REVIEWS,
    CLEAR_ACTIONS,
    CLEAR_DISCUSSIONS,
    INSERT_DISCUSSION,
    INSERT_ACTION,
    INSERT_REVIEW,
    SET_ACTION_STATUS,
    COMPLETE_TASKS,
    DISCUSSIONS,
    ACTIONS,
    OPEN_FOR,
    OPEN_FOR_GROUP,
    OPEN_ATTENDED,
    OVERDUE_FOR_TEAMS,
    ACTIONS_FOR_CHILD,
    REVIEWS,
    REVIEWED_ACTIONS,
    FOR_CHILD,
    INSERT_OVERSIGHT,
    OVERSIGHT_FOR_CHILD,
    GET_OVERSIGHT,
    PENDING,
    CONFIRM,
    MARKS_FOR_TEAMS,
];
