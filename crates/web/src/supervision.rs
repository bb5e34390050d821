//! Pages for supervision and management oversight: the supervision page
//! (due and overdue lists), a worker's supervision file, the one-page
//! session form (details, reviews of open actions, a case discussion per
//! child), a session record, and the fast decision log. Handlers extract,
//! call one `App` function and render (a form with problems calls a second
//! to show the form again).

use crate::AppState;
use crate::error::PageError;
use crate::extract::{FormBody, Page};
use crate::views::{PageCtx, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use harbour_app::AppError;
use harbour_app::supervision::{
    GroupChoice, OversightInput, OversightLog, SessionForm, SessionPage, SessionRecord,
    SupervisionFile, SupervisionHome, WorkerDue, attendees_from,
};
use harbour_domain::ids::UserId;
use harbour_domain::supervision::{ActionStatus, DueState, SupervisionKind};
use harbour_domain::validate::FieldErrors;
use serde::Deserialize;
use std::collections::HashMap;

type PageResult = Result<Response, PageError>;

fn id<T: std::str::FromStr>(p: &Page, s: &str) -> Result<T, PageError> {
    s.parse().map_err(|_| p.err(AppError::NotFound))
}

/// "Overdue", "Due soon" or "Not due yet", with the tag colour.
pub fn due_tag(d: &WorkerDue) -> (&'static str, &'static str) {
    match d.state {
        DueState::Overdue => ("Overdue", "govuk-tag--red"),
        DueState::DueSoon => ("Due soon", "govuk-tag--yellow"),
        DueState::NotDue => ("Not due yet", "govuk-tag--green"),
    }
}

/// A date, or "No supervision on record".
pub fn next_text(d: &WorkerDue) -> String {
    match d.next {
        Some(n) => crate::views::date(n),
        None => "Now: no supervision on record".into(),
    }
}

/// A group session's supervisees, by name.
pub fn names(s: &harbour_db::supervision::SessionView) -> String {
    s.supervisees()
        .into_iter()
        .map(|(_, n)| n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// After-save messages.
#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    child: Option<String>,
}

/// The supervision page.
#[derive(Template)]
#[template(path = "supervision.html")]
pub struct HomePage {
    /// Layout.
    pub page: PageCtx,
    /// Content.
    pub h: SupervisionHome,
}

/// `GET /supervision`.
pub async fn home(State(st): State<AppState>, p: Page) -> PageResult {
    let h = st
        .app
        .supervision_home(&p.ctx)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&HomePage {
        page: p.page.clone().at("/supervision"),
        h,
    }))
}

/// A worker's file.
#[derive(Template)]
#[template(path = "supervision_file.html")]
pub struct FilePage {
    /// Layout.
    pub page: PageCtx,
    /// Content.
    pub f: SupervisionFile,
    /// Own file.
    pub own: bool,
}

/// `GET /supervision/workers/{id}`.
pub async fn file(State(st): State<AppState>, p: Page, Path(w): Path<String>) -> PageResult {
    let w: UserId = id(&p, &w)?;
    let f = st
        .app
        .supervision_file(&p.ctx, w)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&FilePage {
        own: w == p.ctx.me.user.id,
        page: p.page.clone(),
        f,
    }))
}

/// One field of a repeated block.
#[derive(Clone, Debug, Default)]
pub struct Field {
    /// Form name and element id.
    pub name: String,
    /// Value.
    pub value: String,
    /// Error message (empty: none).
    pub error: String,
}

/// A case discussion block for one child.
#[derive(Clone, Debug)]
pub struct Block {
    /// Index.
    pub idx: usize,
    /// The child's id.
    pub child_id: String,
    /// Name.
    pub child_name: String,
    /// The worker whose child it is.
    pub worker_id: String,
    /// Their name.
    pub worker_name: String,
    /// Identifier.
    pub la_child_id: String,
    /// Analysis.
    pub analysis: Field,
    /// Decisions.
    pub decisions: Field,
    /// The first action (always shown).
    pub first: ActionSlot,
    /// Further actions, behind "Add another action".
    pub more: Vec<ActionSlot>,
    /// Whether to show the further actions open (one is filled in or wrong).
    pub more_open: bool,
    /// Whether to show it open.
    pub open: bool,
}

/// One action's fields in a case discussion.
#[derive(Clone, Debug)]
pub struct ActionSlot {
    /// 1-based number on the form.
    pub number: usize,
    /// Action.
    pub action: Field,
    /// Owner.
    pub owner: Field,
    /// Due.
    pub due: Field,
}

impl ActionSlot {
    fn touched(&self) -> bool {
        !self.action.value.is_empty()
            || [&self.action, &self.owner, &self.due]
                .iter()
                .any(|x| !x.error.is_empty())
    }
}

/// A review block for one open action.
#[derive(Clone, Debug)]
pub struct ReviewBlock {
    /// Index.
    pub idx: usize,
    /// The action's text.
    pub text: String,
    /// The child's name.
    pub child: Option<String>,
    /// Owner.
    pub owner: String,
    /// Due.
    pub due: String,
    /// Outcome radio.
    pub outcome: Field,
    /// Impact.
    pub impact: Field,
}

/// The session form.
#[derive(Template)]
#[template(path = "supervision_form.html")]
pub struct FormPage {
    /// Layout.
    pub page: PageCtx,
    /// Content.
    pub f: SessionForm,
    /// Problems.
    pub errors: FieldErrors,
    /// Where it posts.
    pub action: String,
    /// Draft key for the browser's copy.
    pub draft_key: String,
    /// The case discussion blocks.
    pub blocks: Vec<Block>,
    /// The review blocks.
    pub reviews: Vec<ReviewBlock>,
    /// Submitted values.
    pub values: HashMap<String, String>,
    /// A notice (draft saved).
    pub notice: Option<&'static str>,
    /// A browser draft to forget (the new-session form's, once on the server).
    pub saved_draft: Option<String>,
}

impl FormPage {
    fn new(
        page: PageCtx,
        f: SessionForm,
        values: Option<HashMap<String, String>>,
        errors: FieldErrors,
    ) -> Self {
        let values = values.unwrap_or_else(|| f.values.clone());
        let field = |name: String| Field {
            value: values.get(&name).cloned().unwrap_or_default(),
            error: errors.get(&name).unwrap_or("").to_string(),
            name,
        };
        let blocks = f
            .children
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let slot = |k: usize| {
                    let prefix = harbour_app::supervision::action_prefix(i, k);
                    ActionSlot {
                        number: k + 1,
                        action: field(format!("{prefix}_action")),
                        owner: field(format!("{prefix}_owner")),
                        due: field(format!("{prefix}_due")),
                    }
                };
                let more: Vec<ActionSlot> = (1..harbour_app::supervision::ACTIONS_PER_DISCUSSION)
                    .map(slot)
                    .collect();
                let b = Block {
                    idx: i,
                    child_id: c.id.to_string(),
                    child_name: format!("{} {}", c.first_name, c.last_name),
                    worker_id: f
                        .child_workers
                        .get(i)
                        .map(|w| w.id.to_string())
                        .unwrap_or_default(),
                    worker_name: f
                        .child_workers
                        .get(i)
                        .map(|w| w.name.clone())
                        .unwrap_or_default(),
                    la_child_id: c.la_child_id.clone(),
                    analysis: field(format!("d{i}_analysis")),
                    decisions: field(format!("d{i}_decisions")),
                    first: slot(0),
                    more_open: more.iter().any(ActionSlot::touched),
                    more,
                    open: false,
                };
                let open = [&b.analysis, &b.decisions]
                    .iter()
                    .any(|x| !x.error.is_empty())
                    || b.first.touched()
                    || b.more_open
                    || !b.analysis.value.is_empty();
                Block { open, ..b }
            })
            .collect();
        let reviews = f
            .open_actions
            .iter()
            .enumerate()
            .map(|(i, a)| ReviewBlock {
                idx: i,
                text: a.action.text.clone(),
                child: a.child_name.clone(),
                owner: a.owner_name.clone(),
                due: crate::views::date(a.action.due),
                outcome: field(format!("r{i}_outcome")),
                impact: field(format!("r{i}_impact")),
            })
            .collect();
        let (action, draft_key) = match f.session_id {
            Some(s) => (
                format!("/supervision/sessions/{s}"),
                format!("supervision-{s}-{}", page.user_id),
            ),
            None if !f.attendees.is_empty() => (
                "/supervision/group/new".to_string(),
                group_draft_key(
                    &f.attendees.iter().map(|a| a.id).collect::<Vec<_>>(),
                    &page.user_id,
                ),
            ),
            None => (
                format!("/supervision/workers/{}/new", f.worker.id),
                format!("supervision-new-{}-{}", f.worker.id, page.user_id),
            ),
        };
        FormPage {
            page,
            f,
            errors,
            action,
            draft_key,
            blocks,
            reviews,
            values,
            notice: None,
            saved_draft: None,
        }
    }
    /// A value.
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }
    /// An error.
    pub fn e(&self, name: &str) -> &str {
        self.errors.get(name).unwrap_or("")
    }
    /// Kinds of supervision.
    pub fn kinds(&self) -> &'static [SupervisionKind] {
        &SupervisionKind::ALL
    }
    /// Review outcomes.
    pub fn outcomes(&self) -> &'static [ActionStatus] {
        &ActionStatus::REVIEW_OUTCOMES
    }
}

/// `GET /supervision/workers/{id}/new`.
pub async fn new_form(State(st): State<AppState>, p: Page, Path(w): Path<String>) -> PageResult {
    let w: UserId = id(&p, &w)?;
    let f = st
        .app
        .new_session_form(&p.ctx, w)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&FormPage::new(
        p.page.clone(),
        f,
        None,
        FieldErrors::new(),
    )))
}

async fn save(
    st: &AppState,
    p: &Page,
    worker: Option<UserId>,
    session: Option<uuid::Uuid>,
    form: HashMap<String, String>,
) -> PageResult {
    match st.app.save_session(&p.ctx, worker, session, &form).await {
        Ok(s) => Ok(Redirect::to(&format!(
            "/supervision/sessions/{}?saved={}",
            s.id,
            match (s.signed_off, session.is_some()) {
                (true, false) => "signed_new",
                (true, true) => "signed",
                (false, false) => "draft_new",
                (false, true) => "draft",
            }
        ))
        .into_response()),
        Err(AppError::Validation(errors)) => {
            let f = st
                .app
                .session_form_again(&p.ctx, worker, session)
                .await
                .map_err(|e| p.err(e))?;
            let mut r = render(&FormPage::new(p.page.clone(), f, Some(form), errors));
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(p.err(e)),
    }
}

/// `POST /supervision/workers/{id}/new`.
pub async fn new_submit(
    State(st): State<AppState>,
    p: Page,
    Path(w): Path<String>,
    FormBody(form): FormBody<HashMap<String, String>>,
) -> PageResult {
    let w: UserId = id(&p, &w)?;
    save(&st, &p, Some(w), None, form).await
}

/// The browser's draft key for a new group session with these attendees.
fn group_draft_key(attendees: &[UserId], user: impl std::fmt::Display) -> String {
    let mut ids: Vec<String> = attendees.iter().map(ToString::to_string).collect();
    ids.sort();
    format!("supervision-group-{}-{user}", ids.join("-"))
}

/// Choosing who attended a group session.
#[derive(Template)]
#[template(path = "supervision_group.html")]
pub struct GroupPage {
    /// Layout.
    pub page: PageCtx,
    /// Workers to choose from.
    pub g: GroupChoice,
    /// Chosen so far.
    pub chosen: Vec<UserId>,
    /// Problems.
    pub errors: FieldErrors,
}

impl GroupPage {
    /// Whether a worker is ticked.
    pub fn is_chosen(&self, id: &UserId) -> bool {
        self.chosen.contains(id)
    }
}

async fn group_chooser(
    st: &AppState,
    p: &Page,
    chosen: Vec<UserId>,
    errors: FieldErrors,
) -> PageResult {
    let g = st.app.group_choice(&p.ctx).await.map_err(|e| p.err(e))?;
    let bad = !errors.is_empty();
    let mut r = render(&GroupPage {
        page: p.page.clone().at("/supervision"),
        g,
        chosen,
        errors,
    });
    if bad {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// `GET /supervision/group/new`: choose who attended (checkboxes
/// `attendee_<id>`); with two or more chosen, the session form.
pub async fn group_new(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let chosen = attendees_from(&q);
    if q.is_empty() {
        return group_chooser(&st, &p, chosen, FieldErrors::new()).await;
    }
    match st.app.new_group_form(&p.ctx, &chosen).await {
        Ok(f) => Ok(render(&FormPage::new(
            p.page.clone(),
            f,
            None,
            FieldErrors::new(),
        ))),
        Err(AppError::Validation(errors)) => group_chooser(&st, &p, chosen, errors).await,
        Err(e) => Err(p.err(e)),
    }
}

/// `POST /supervision/group/new`: save a new group session (its attendees
/// come back as hidden `attendee_<id>` fields).
pub async fn group_new_submit(
    State(st): State<AppState>,
    p: Page,
    FormBody(form): FormBody<HashMap<String, String>>,
) -> PageResult {
    let chosen = attendees_from(&form);
    match st.app.save_group_session(&p.ctx, &chosen, &form).await {
        Ok(s) => Ok(Redirect::to(&format!(
            "/supervision/sessions/{}?saved={}",
            s.id,
            if s.signed_off {
                "signed_new"
            } else {
                "draft_new"
            }
        ))
        .into_response()),
        Err(AppError::Validation(errors)) if errors.get("attendees").is_some() => {
            group_chooser(&st, &p, chosen, errors).await
        }
        Err(AppError::Validation(errors)) => {
            let f = st
                .app
                .new_group_form(&p.ctx, &chosen)
                .await
                .map_err(|e| p.err(e))?;
            let mut r = render(&FormPage::new(p.page.clone(), f, Some(form), errors));
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(p.err(e)),
    }
}

/// A session record.
#[derive(Template)]
#[template(path = "supervision_session.html")]
pub struct RecordPage {
    /// Layout.
    pub page: PageCtx,
    /// Content.
    pub r: SessionRecord,
    /// Banner.
    pub saved: Option<&'static str>,
    /// Browser draft to forget.
    pub saved_draft: Option<String>,
}

/// `GET /supervision/sessions/{id}`.
pub async fn session(
    State(st): State<AppState>,
    p: Page,
    Path(s): Path<String>,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    let s: uuid::Uuid = id(&p, &s)?;
    match st.app.session_page(&p.ctx, s).await.map_err(|e| p.err(e))? {
        SessionPage::Form(f) => {
            let new_key = if f.attendees.is_empty() {
                format!("supervision-new-{}-{}", f.worker.id, p.page.user_id)
            } else {
                group_draft_key(
                    &f.attendees.iter().map(|a| a.id).collect::<Vec<_>>(),
                    &p.page.user_id,
                )
            };
            let mut page = FormPage::new(p.page.clone(), *f, None, FieldErrors::new());
            match q.saved.as_deref() {
                Some("draft_new") => {
                    page.notice = Some("Draft saved");
                    page.saved_draft = Some(new_key);
                }
                Some("draft") => page.notice = Some("Draft saved"),
                _ => {}
            }
            Ok(render(&page))
        }
        SessionPage::Record(r) => {
            let saved = match q.saved.as_deref() {
                Some("signed" | "signed_new") => Some("Supervision record signed off"),
                Some("draft" | "draft_new") => Some("Draft saved"),
                _ => None,
            };
            let saved_draft = match q.saved.as_deref() {
                Some("signed_new" | "draft_new") if !r.session.attendees.is_empty() => {
                    Some(group_draft_key(
                        &r.session
                            .attendees
                            .iter()
                            .map(|(id, _)| *id)
                            .collect::<Vec<_>>(),
                        &p.page.user_id,
                    ))
                }
                Some("signed_new" | "draft_new") => Some(format!(
                    "supervision-new-{}-{}",
                    r.session.session.supervisee_id, p.page.user_id
                )),
                Some("signed" | "draft") => Some(format!("supervision-{s}-{}", p.page.user_id)),
                _ => None,
            };
            Ok(render(&RecordPage {
                page: p.page.clone(),
                r: *r,
                saved,
                saved_draft,
            }))
        }
    }
}

/// `POST /supervision/sessions/{id}`.
pub async fn session_submit(
    State(st): State<AppState>,
    p: Page,
    Path(s): Path<String>,
    FormBody(form): FormBody<HashMap<String, String>>,
) -> PageResult {
    let s: uuid::Uuid = id(&p, &s)?;
    save(&st, &p, None, Some(s), form).await
}

/// The fast decision log.
#[derive(Template)]
#[template(path = "oversight.html")]
pub struct OversightPage {
    /// Layout.
    pub page: PageCtx,
    /// Content.
    pub log: OversightLog,
    /// Values.
    pub values: HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
    /// Banner.
    pub saved: Option<&'static str>,
}

impl OversightPage {
    /// A value.
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }
    /// An error.
    pub fn e(&self, name: &str) -> &str {
        self.errors.get(name).unwrap_or("")
    }
    /// The child the form is for when one was chosen before (from the
    /// child's record or the list of children without oversight): the form
    /// names them instead of offering the whole list.
    pub fn chosen_child(&self) -> Option<&harbour_domain::model::Child> {
        let v = self.v("child");
        if v.is_empty() {
            return None;
        }
        self.log.children.iter().find(|c| c.id.to_string() == v)
    }
}

/// `GET /oversight` (`?child=` preselects a child).
pub async fn oversight(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    let log = st.app.oversight_log(&p.ctx).await.map_err(|e| p.err(e))?;
    let mut values = HashMap::new();
    if let Some(c) = q.child {
        values.insert("child".to_string(), c);
    }
    values.insert("kind".to_string(), "decision".to_string());
    let saved = match q.saved.as_deref() {
        Some("recorded") => Some("Recorded"),
        Some("pending") => Some("Recorded: it waits for the manager's confirmation"),
        Some("confirmed") => Some("Confirmed"),
        _ => None,
    };
    Ok(render(&OversightPage {
        page: p.page.clone().at("/oversight"),
        log,
        values,
        errors: FieldErrors::new(),
        saved,
    }))
}

/// `POST /oversight`.
pub async fn oversight_submit(
    State(st): State<AppState>,
    p: Page,
    FormBody(f): FormBody<OversightInput>,
) -> PageResult {
    match st.app.record_oversight(&p.ctx, &f).await {
        Ok(_) => Ok(
            Redirect::to(if p.ctx.me.user.role == harbour_domain::Role::PodAdmin {
                "/oversight?saved=pending"
            } else {
                "/oversight?saved=recorded"
            })
            .into_response(),
        ),
        Err(AppError::Validation(errors)) => {
            let log = st.app.oversight_log(&p.ctx).await.map_err(|e| p.err(e))?;
            let values = [
                ("child", &f.child),
                ("kind", &f.kind),
                ("manager", &f.manager),
                ("text", &f.text),
                ("rationale", &f.rationale),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
            let mut r = render(&OversightPage {
                page: p.page.clone().at("/oversight"),
                log,
                values,
                errors,
                saved: None,
            });
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(p.err(e)),
    }
}

/// `POST /oversight/{id}/confirm`.
pub async fn confirm(State(st): State<AppState>, p: Page, Path(e): Path<String>) -> PageResult {
    let e: uuid::Uuid = id(&p, &e)?;
    st.app
        .confirm_oversight(&p.ctx, e)
        .await
        .map_err(|e| p.err(e))?;
    Ok(Redirect::to("/oversight?saved=confirmed").into_response())
}

/// Whether an instant falls (in London) after a date.
pub fn after(at: &chrono::DateTime<chrono::Utc>, day: &chrono::NaiveDate) -> bool {
    harbour_domain::calendar::london_date(*at) > *day
}

/// Whether a draft is past its recording deadline.
pub fn is_late(s: &harbour_db::supervision::SessionView) -> bool {
    harbour_domain::calendar::london_date(chrono::Utc::now()) > s.session.recording_due
}

// ---------------------------------------------------------------- API

use crate::error::ApiError;
use crate::extract::ApiCtx;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

type ApiResult<T> = Result<T, ApiError>;

/// A supervision session.
#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    /// Id.
    pub id: Uuid,
    /// The person supervised.
    pub supervisee_id: Uuid,
    /// Their name.
    pub supervisee_name: String,
    /// Supervisor's name.
    pub supervisor_name: String,
    /// `case`, `asye` or `designated_teacher`.
    pub kind: String,
    /// `one_to_one` or `group`.
    pub format: String,
    /// When it was held.
    pub held_at: DateTime<Utc>,
    /// Minutes.
    pub duration_minutes: u32,
    /// `draft` or `signed_off`.
    pub status: String,
    /// Who drafted it.
    pub drafted_by_name: String,
    /// Who signed it off.
    pub signed_off_by_name: Option<String>,
    /// When it was signed off.
    pub signed_off_at: Option<DateTime<Utc>>,
    /// The write-up deadline.
    pub recording_due: NaiveDate,
    /// Everyone supervised: the one supervisee, or a group session's
    /// attendees (the first is `supervisee_id`).
    pub supervisees: Vec<PersonOut>,
}

/// A person named in a record.
#[derive(Serialize, ToSchema)]
pub struct PersonOut {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

impl From<&harbour_db::supervision::SessionView> for SessionOut {
    fn from(v: &harbour_db::supervision::SessionView) -> Self {
        let s = &v.session;
        Self {
            id: s.id,
            supervisee_id: s.supervisee_id.0,
            supervisee_name: v.supervisee_name.clone(),
            supervisor_name: v.supervisor_name.clone(),
            kind: s.kind.as_str().into(),
            format: s.format.as_str().into(),
            held_at: s.held_at,
            duration_minutes: s.duration_minutes,
            status: s.status.as_str().into(),
            drafted_by_name: v.drafted_by_name.clone(),
            signed_off_by_name: v.signed_off_by_name.clone(),
            signed_off_at: s.signed_off_at,
            recording_due: s.recording_due,
            supervisees: v
                .supervisees()
                .into_iter()
                .map(|(id, name)| PersonOut { id: id.0, name })
                .collect(),
        }
    }
}

/// An action agreed in supervision.
#[derive(Serialize, ToSchema)]
pub struct SupervisionActionOut {
    /// Id.
    pub id: Uuid,
    /// The session it was agreed in.
    pub session_id: Uuid,
    /// The child it is about, if any.
    pub child_id: Option<Uuid>,
    /// The child's name (only for a child the caller may open).
    pub child_name: Option<String>,
    /// What is to be done.
    pub text: String,
    /// Owner.
    pub owner_id: Uuid,
    /// Owner's name.
    pub owner_name: String,
    /// Due date.
    pub due: NaiveDate,
    /// `open`, `done`, `not_done` or `carried_forward`.
    pub status: String,
}

impl From<&harbour_db::supervision::ActionView> for SupervisionActionOut {
    fn from(a: &harbour_db::supervision::ActionView) -> Self {
        Self {
            id: a.action.id,
            session_id: a.action.session_id,
            child_id: a.action.child_id.map(|c| c.0),
            child_name: a.child_name.clone(),
            text: a.action.text.clone(),
            owner_id: a.action.owner_id.0,
            owner_name: a.owner_name.clone(),
            due: a.action.due,
            status: a.action.status.as_str().into(),
        }
    }
}

/// A worker's supervision file.
#[derive(Serialize, ToSchema)]
pub struct FileOut {
    /// The worker.
    pub worker_id: Uuid,
    /// Their name.
    pub worker_name: String,
    /// The kind of supervision they should have now.
    pub kind: String,
    /// Their last signed-off session.
    pub last: Option<NaiveDate>,
    /// When the next is due (none: due now).
    pub next_due: Option<NaiveDate>,
    /// `not_due`, `due_soon` or `overdue`.
    pub state: String,
    /// Sessions, newest first.
    pub sessions: Vec<SessionOut>,
    /// Actions still open.
    pub open_actions: Vec<SupervisionActionOut>,
}

/// A case discussion.
#[derive(Serialize, ToSchema)]
pub struct DiscussionOut {
    /// The child.
    pub child_id: Uuid,
    /// Their name.
    pub child_name: String,
    /// The worker whose child it is (in a group session, one of the attendees).
    pub worker: PersonOut,
    /// Analysis.
    pub analysis: String,
    /// Decisions.
    pub decisions: String,
    /// Actions agreed for the child.
    pub actions: Vec<SupervisionActionOut>,
}

/// A review, in this session, of an earlier action.
#[derive(Serialize, ToSchema)]
pub struct ReviewOut {
    /// The action reviewed.
    pub action_id: Uuid,
    /// Its text.
    pub text: String,
    /// `done`, `not_done` or `carried_forward`.
    pub outcome: String,
    /// The impact for the child.
    pub impact: String,
}

/// A signed-off session (or a draft's summary for someone who may not edit it).
#[derive(Serialize, ToSchema)]
pub struct SessionDetailOut {
    /// The session.
    pub session: SessionOut,
    /// Case discussions about children the caller may open.
    pub discussions: Vec<DiscussionOut>,
    /// How many discussions are withheld (children the caller cannot open).
    pub withheld: usize,
    /// Reviews of earlier actions.
    pub reviews: Vec<ReviewOut>,
}

/// A worker's supervision file: where they stand, their sessions, open
/// actions. The worker, their team manager and their pod.
#[utoipa::path(get, path = "/api/v1/supervision/workers/{id}", params(("id" = String, Path)), responses((status = 200, body = FileOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_file(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<FileOut>> {
    let Ok(w) = id.parse::<UserId>() else {
        return Err(ctx.err(AppError::NotFound));
    };
    let f = st
        .app
        .supervision_file(&ctx.0, w)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(FileOut {
        worker_id: f.due.worker.id.0,
        worker_name: f.due.worker.name.clone(),
        kind: f.due.kind.as_str().into(),
        last: f.due.last,
        next_due: f.due.next,
        state: match f.due.state {
            DueState::NotDue => "not_due",
            DueState::DueSoon => "due_soon",
            DueState::Overdue => "overdue",
        }
        .into(),
        sessions: f.sessions.iter().map(Into::into).collect(),
        open_actions: f.open_actions.iter().map(Into::into).collect(),
    }))
}

/// A session with its case discussions, actions and reviews. A signed-off
/// session, or a draft as read by someone who may not edit it; a draft the
/// caller may edit is 409 (use the page, or record it again).
#[utoipa::path(get, path = "/api/v1/supervision/sessions/{id}", params(("id" = String, Path)), responses((status = 200, body = SessionDetailOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_session(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<SessionDetailOut>> {
    let Ok(id) = id.parse::<Uuid>() else {
        return Err(ctx.err(AppError::NotFound));
    };
    match st
        .app
        .session_page(&ctx.0, id)
        .await
        .map_err(|e| ctx.err(e))?
    {
        SessionPage::Record(r) => Ok(Json(SessionDetailOut {
            session: (&r.session).into(),
            discussions: r
                .discussions
                .iter()
                .map(|(d, acts)| DiscussionOut {
                    child_id: d.child_id,
                    child_name: d.child_name.clone(),
                    worker: PersonOut {
                        id: d.worker_id,
                        name: d.worker_name.clone(),
                    },
                    analysis: d.analysis.clone(),
                    decisions: d.decisions.clone(),
                    actions: acts.iter().map(Into::into).collect(),
                })
                .collect(),
            withheld: r.withheld,
            reviews: r
                .reviews
                .iter()
                .map(|v| ReviewOut {
                    action_id: v.review.action_id,
                    text: v.action.action.text.clone(),
                    outcome: v.review.outcome.as_str().into(),
                    impact: v.review.impact.clone(),
                })
                .collect(),
        })),
        SessionPage::Form(_) => Err(ctx.err(AppError::Conflict(
            "This session is a draft you may still change; read it once it is signed off.".into(),
        ))),
    }
}

/// An action agreed for a child, as sent.
#[derive(Deserialize, ToSchema)]
pub struct ActionIn {
    /// What is to be done.
    pub text: String,
    /// Owner (someone in the worker's team); the worker if left out.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    /// Due date.
    pub due: NaiveDate,
}

/// A case discussion, as sent.
#[derive(Deserialize, ToSchema)]
pub struct DiscussionIn {
    /// A child allocated to the worker.
    pub child_id: Uuid,
    /// Analysis.
    pub analysis: String,
    /// Decisions.
    #[serde(default)]
    pub decisions: String,
    /// Up to three actions.
    #[serde(default)]
    pub actions: Vec<ActionIn>,
}

/// A review of an earlier, still open action.
#[derive(Deserialize, ToSchema)]
pub struct ReviewIn {
    /// The action.
    pub action_id: Uuid,
    /// `done`, `not_done` or `carried_forward`.
    pub outcome: String,
    /// The impact for the child.
    pub impact: String,
}

/// A session to record.
#[derive(Deserialize, ToSchema)]
pub struct SessionCreate {
    /// `case`, `asye` or `designated_teacher`.
    #[serde(default)]
    pub kind: String,
    /// `one_to_one` or `group`.
    #[serde(default)]
    pub format: String,
    /// When it was held.
    #[serde(default)]
    pub held_at: Option<DateTime<Utc>>,
    /// Minutes.
    #[serde(default)]
    pub duration_minutes: Option<u32>,
    /// Notes about the worker (the supervisor only).
    #[serde(default)]
    pub worker_notes: String,
    /// Sign it off now (the team manager); otherwise a draft.
    #[serde(default)]
    pub sign_off: bool,
    /// Case discussions.
    #[serde(default)]
    pub discussions: Vec<DiscussionIn>,
    /// Reviews of every action still open (needed to sign off).
    #[serde(default)]
    pub reviews: Vec<ReviewIn>,
}

/// Record a session for a worker, as the page does: a draft (a pod
/// administrator, for the manager) or signed off (the team manager), with
/// the same checks. Problems name the page's fields (`d0_analysis`,
/// `d0a1_due`, `r0_outcome` …): discussion, action and review by position.
#[utoipa::path(post, path = "/api/v1/supervision/workers/{id}/sessions", params(("id" = String, Path)), request_body = SessionCreate, responses((status = 201, body = crate::panel::CreatedOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_record(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
    crate::api::ApiJson(b): crate::api::ApiJson<SessionCreate>,
) -> ApiResult<Response> {
    let Ok(w) = id.parse::<UserId>() else {
        return Err(ctx.err(AppError::NotFound));
    };
    let file = st
        .app
        .supervision_file(&ctx.0, w)
        .await
        .map_err(|e| ctx.err(e))?;
    let mut m: HashMap<String, String> = HashMap::new();
    use chrono::Datelike;
    m.insert(
        "intent".into(),
        if b.sign_off { "sign_off" } else { "draft" }.into(),
    );
    m.insert("kind".into(), b.kind);
    m.insert("format".into(), b.format);
    if let Some(at) = b.held_at {
        let local = harbour_domain::calendar::to_london(at);
        m.insert("day".into(), local.day().to_string());
        m.insert("month".into(), local.month().to_string());
        m.insert("year".into(), local.year().to_string());
        m.insert("time".into(), local.format("%H:%M").to_string());
    }
    if let Some(d) = b.duration_minutes {
        m.insert("duration".into(), d.to_string());
    }
    m.insert("worker_notes".into(), b.worker_notes);
    let mut errs = FieldErrors::new();
    for (i, d) in b.discussions.into_iter().enumerate() {
        m.insert(format!("d{i}_child"), d.child_id.to_string());
        m.insert(format!("d{i}_analysis"), d.analysis);
        m.insert(format!("d{i}_decisions"), d.decisions);
        if d.actions.len() > harbour_app::supervision::ACTIONS_PER_DISCUSSION {
            errs.add(
                &format!("d{i}_action"),
                format!(
                    "At most {} actions per case discussion",
                    harbour_app::supervision::ACTIONS_PER_DISCUSSION
                ),
            );
        }
        for (k, a) in d.actions.into_iter().enumerate() {
            let p = harbour_app::supervision::action_prefix(i, k);
            m.insert(format!("{p}_action"), a.text);
            m.insert(format!("{p}_owner"), a.owner_id.unwrap_or(w.0).to_string());
            m.insert(format!("{p}_due"), a.due.format("%d/%m/%Y").to_string());
        }
    }
    for r in b.reviews {
        match file
            .open_actions
            .iter()
            .position(|a| a.action.id == r.action_id)
        {
            Some(i) => {
                m.insert(format!("r{i}_outcome"), r.outcome);
                m.insert(format!("r{i}_impact"), r.impact);
            }
            None => errs.add(
                "reviews",
                format!("{} is not an open action of this worker's", r.action_id),
            ),
        }
    }
    if !errs.is_empty() {
        return Err(ctx.err(AppError::Validation(errs)));
    }
    let saved = st
        .app
        .save_session(&ctx.0, Some(w), None, &m)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok((
        StatusCode::CREATED,
        Json(crate::panel::CreatedOut { id: saved.id }),
    )
        .into_response())
}
