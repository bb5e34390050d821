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
    OversightInput, OversightLog, SessionForm, SessionPage, SessionRecord, SupervisionFile,
    SupervisionHome, WorkerDue,
};
use harbour_domain::ids::UserId;
use harbour_domain::supervision::{ActionStatus, DueState, SessionFormat, SupervisionKind};
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
    /// Formats.
    pub fn formats(&self) -> &'static [SessionFormat] {
        &SessionFormat::ALL
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
            let worker = f.worker.id;
            let mut page = FormPage::new(p.page.clone(), *f, None, FieldErrors::new());
            match q.saved.as_deref() {
                Some("draft_new") => {
                    page.notice = Some("Draft saved");
                    page.saved_draft = Some(format!("supervision-new-{worker}-{}", p.page.user_id));
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
