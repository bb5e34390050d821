//! HTML page handlers: extract, call one `App` function, render. Every form
//! is a plain POST that redirects on success (post/redirect/get), so nothing
//! depends on JavaScript; a form with problems is shown again with the GOV.UK
//! error summary and a 422 status, and nothing is written.

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ClientAddr, FormBody, MaybeUser, Page, cookie_name};
use crate::views::*;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use harbour_app::admin::NewUserInput;
use harbour_app::auth::{SIGN_IN_FAILED, SignIn};
use harbour_app::children::{
    AllocateInput, BreakGlassInput, DecisionInput, NewChildInput, NoteInput, ShareInput,
};
use harbour_app::{AppError, CurrentUser};
use harbour_domain::Role;
use harbour_domain::authz::{ChildAction, ServiceAction, decide_service};
use harbour_domain::codes;
use harbour_domain::ids::*;
use harbour_domain::model::NoteKind;
use harbour_domain::validate::FieldErrors;
use serde::Deserialize;
use std::collections::HashMap;

type PageResult = Result<Response, PageError>;

pub(crate) fn home_for(u: &CurrentUser) -> &'static str {
    match u.user.role {
        Role::Analyst => "/stats",
        Role::Sysadmin => "/admin/staff",
        Role::PrivacyOfficer => "/privacy",
        _ => "/my-work",
    }
}

pub(crate) fn unprocessable(r: Response) -> Response {
    let mut r = r;
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

fn parse_id<T: std::str::FromStr>(p: &Page, s: &str) -> Result<T, PageError> {
    s.parse().map_err(|_| p.err(AppError::NotFound))
}

/// `/`: each role's home page, or sign in.
pub async fn home(m: MaybeUser) -> Response {
    match &m.user {
        Some(u) => Redirect::to(home_for(u)).into_response(),
        None => Redirect::to("/sign-in").into_response(),
    }
}

/// Query for the sign-in page.
#[derive(Deserialize, Default)]
pub struct SignInQuery {
    #[serde(default)]
    signed_out: Option<String>,
    #[serde(default)]
    next: Option<String>,
}

/// A `next` target is followed only if it is a path on this site.
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains(['\\', ':', '\r', '\n'])
        && next.len() < 300;
    ok.then_some(next)
}

/// The sign-in page.
pub async fn sign_in_page(
    State(st): State<AppState>,
    m: MaybeUser,
    Query(q): Query<SignInQuery>,
) -> Response {
    if let Some(u) = &m.user {
        return Redirect::to(home_for(u)).into_response();
    }
    let notice = match (&q.signed_out, &q.next) {
        (Some(_), _) => Some("You have been signed out.".to_string()),
        (None, Some(_)) => Some(
            "Sign in to continue. Anything you were typing is kept in this browser tab."
                .to_string(),
        ),
        _ => None,
    };
    let next = q
        .next
        .as_deref()
        .and_then(safe_next)
        .unwrap_or("")
        .to_string();
    let provider_sign_out = if q.signed_out.is_some() && st.app.oidc_enabled() {
        Some(st.app.oidc_logout_url().await)
    } else {
        None
    };
    render(&SignInPage {
        page: m.page,
        email: String::new(),
        errors: FieldErrors::new(),
        notice,
        next,
        sso_label: sso_label(&st),
        password_open: password_open(&st),
        provider_sign_out,
    })
}

/// The single sign-on button's label, when it is configured.
pub fn sso_label(st: &AppState) -> Option<String> {
    let o = &st.app.config.oidc;
    o.enabled().then(|| o.button_label.clone())
}

/// Whether the password form is shown openly.
pub fn password_open(st: &AppState) -> bool {
    let o = &st.app.config.oidc;
    !o.enabled() || o.password_sign_in
}

/// A redirect that starts a session: the session cookie and `target`.
pub fn session_redirect(st: &AppState, token: &str, target: &str) -> Response {
    let secure = st.app.config.cookie_secure;
    let cookie = format!(
        "{}={}; Path=/; HttpOnly; SameSite=Lax{}; Max-Age={}",
        cookie_name(secure),
        token,
        if secure { "; Secure" } else { "" },
        st.app.config.session_absolute_hours * 3600
    );
    let mut r = Redirect::to(target).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// Sign-in form fields.
#[derive(Deserialize, Default)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

/// Sign in: a session cookie and a redirect home, or the form again.
pub async fn sign_in(
    State(st): State<AppState>,
    m: MaybeUser,
    ClientAddr(client): ClientAddr,
    FormBody(f): FormBody<SignInForm>,
) -> Response {
    let s = SignIn {
        email: f.email.clone(),
        password: f.password,
        code: f.code,
        client,
        request_id: m.page.request_id.clone(),
    };
    match st.app.sign_in(&s).await {
        Ok(session) => {
            let u = harbour_app::auth::current_user(session.user, None);
            let target = safe_next(&f.next).unwrap_or(home_for(&u));
            session_redirect(&st, &session.token, target)
        }
        Err(AppError::Unauthenticated) => {
            let mut errors = FieldErrors::new();
            errors.add("email", SIGN_IN_FAILED);
            let next = safe_next(&f.next).unwrap_or("").to_string();
            unprocessable(render(&SignInPage {
                page: m.page,
                email: f.email,
                errors,
                notice: None,
                next,
                sso_label: sso_label(&st),
                password_open: password_open(&st),
                provider_sign_out: None,
            }))
        }
        Err(error) => PageError { error, ctx: m.page }.into_response(),
    }
}

/// Sign out: delete the session, clear the cookie and the browser's stored data.
pub async fn sign_out(State(st): State<AppState>, p: Page) -> PageResult {
    st.app
        .sign_out(&p.ctx.me, &p.ctx.request_id)
        .await
        .map_err(|e| p.err(e))?;
    let secure = st.app.config.cookie_secure;
    let mut r = Redirect::to("/sign-in?signed_out=1").into_response();
    let cookie = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax{}; Max-Age=0",
        cookie_name(secure),
        if secure { "; Secure" } else { "" }
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r.headers_mut().insert(
        "clear-site-data",
        HeaderValue::from_static("\"cache\", \"storage\""),
    );
    Ok(r)
}

/// My work.
pub async fn my_work(State(st): State<AppState>, p: Page) -> PageResult {
    let work = st.app.my_work(&p.ctx).await.map_err(|e| p.err(e))?;
    let role = p.ctx.me.user.role;
    Ok(render(&MyWorkPage {
        page: p.page.clone().at("/my-work"),
        work,
        partner: role.is_external(),
        team_view: matches!(role, Role::TeamManager | Role::PodAdmin),
    }))
}

/// Search form.
#[derive(Deserialize, Default)]
pub struct SearchForm {
    #[serde(default)]
    pub q: String,
}

/// Find a child: the empty form.
pub async fn search(State(st): State<AppState>, p: Page) -> PageResult {
    st.app
        .check_service(&p.ctx, harbour_domain::authz::ServiceAction::SearchChildren)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&SearchPage {
        page: p.page.clone().at("/children"),
        q: String::new(),
        searched: false,
        results: Vec::new(),
        edt: p.ctx.me.actor.role == harbour_domain::Role::EdtWorker,
    }))
}

/// Find a child: the results. The search is a POST so that names, dates of
/// birth and identifiers never appear in URLs, browser history or server logs.
pub async fn search_submit(
    State(st): State<AppState>,
    p: Page,
    FormBody(f): FormBody<SearchForm>,
) -> PageResult {
    let searched = !f.q.trim().is_empty();
    let results = if searched {
        st.app
            .search_children(&p.ctx, &f.q)
            .await
            .map_err(|e| p.err(e))?
    } else {
        st.app
            .check_service(&p.ctx, harbour_domain::authz::ServiceAction::SearchChildren)
            .await
            .map_err(|e| p.err(e))?;
        Vec::new()
    };
    Ok(render(&SearchPage {
        page: p.page.clone().at("/children"),
        q: f.q,
        searched,
        results,
        edt: p.ctx.me.actor.role == harbour_domain::Role::EdtWorker,
    }))
}

/// After-save messages, chosen by a code in the query (no personal data in URLs).
#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
    /// The episode just saved, for its SSDA903 checks.
    #[serde(default)]
    episode: Option<uuid::Uuid>,
}

/// The child record.
pub async fn child(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    let id: ChildId = parse_id(&p, &id)?;
    let r = st
        .app
        .child_record(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    let saved = match q.saved.as_deref() {
        Some("note") => Some("Case note saved"),
        Some("decision") => Some("Decision saved"),
        Some("allocation") => Some("Allocation saved"),
        Some("share") => Some("Record shared"),
        Some("created") => Some("Child's record created"),
        Some("missing") => Some("Missing episode recorded"),
        Some("return") => Some("Return recorded"),
        Some("episode") => Some("Corrections saved"),
        Some("grade") => Some("Police risk grade saved"),
        Some("court_work") => Some("Care proceedings updated"),
        _ => None,
    };
    let saved_draft = match q.saved.as_deref() {
        Some("note") => Some("note"),
        Some("decision") => Some("decision"),
        Some("missing") => Some("missing"),
        Some("return") => Some("return"),
        Some("episode") => Some("edit-missing"),
        _ => None,
    };
    // At the point of entry: the return's checks on the episode just saved
    // (the newest, unless the correction named one).
    let entry_checks = match q.saved.as_deref() {
        Some("missing" | "return" | "episode") => {
            let focus = q.episode.or_else(|| r.missing.first().map(|e| e.id));
            r.missing_checks
                .iter()
                .filter(|(id, _)| Some(*id) == focus)
                .map(|(_, m)| m.clone())
                .collect()
        }
        _ => Vec::new(),
    };
    Ok(render(&ChildPage {
        page: p.page.clone(),
        r,
        saved,
        saved_draft,
        entry_checks,
    }))
}

pub(crate) fn choices_for(
    form: &'static str,
    extra: Vec<Choice>,
) -> HashMap<&'static str, Vec<Choice>> {
    let mut m = HashMap::new();
    match form {
        "note" => {
            m.insert(
                "kind",
                NoteKind::ALL
                    .iter()
                    .map(|k| Choice::new(k.as_str(), k.label()))
                    .collect(),
            );
        }
        "decision" => {
            m.insert("decided_by", extra);
        }
        "allocate" => {
            m.insert("worker", extra);
            m.insert(
                "sw_reason",
                codes::SW_REASON
                    .iter()
                    .map(|(c, l)| Choice::new(*c, format!("{l} ({c})")))
                    .collect(),
            );
        }
        "missing" | "edit_missing" | "grade" => {
            use harbour_domain::missing::*;
            m.insert(
                "kind",
                MissingKind::ALL
                    .iter()
                    .map(|k| Choice::new(k.code(), k.label()))
                    .collect(),
            );
            m.insert(
                "from",
                MissingFrom::ALL
                    .iter()
                    .map(|k| Choice::new(k.as_str(), k.label()))
                    .collect(),
            );
            let mut grades: Vec<Choice> = PoliceGrade::ALL
                .iter()
                .rev()
                .map(|g| Choice::new(g.as_str(), g.label()))
                .collect();
            if form != "grade" {
                grades.push(Choice::new("", "Not graded yet"));
            }
            m.insert("grade", grades);
        }
        "return" => {}
        "share" => {
            m.insert("org", extra);
            m.insert(
                "basis",
                harbour_domain::findings::LawfulBasis::ALL
                    .iter()
                    .map(|b| Choice::new(b.as_str(), b.label()))
                    .collect(),
            );
            m.insert(
                "scope",
                vec![
                    Choice::new(
                        "summary",
                        "Summary only: name, date of birth, alerts and allocated worker",
                    ),
                    Choice::new(
                        "record",
                        "The record: also case notes, decisions and chronology",
                    ),
                ],
            );
        }
        _ => {
            m.insert(
                "minutes",
                [
                    (30, "30 minutes"),
                    (60, "1 hour"),
                    (120, "2 hours"),
                    (240, "4 hours"),
                    (480, "8 hours"),
                ]
                .iter()
                .map(|(v, l)| Choice::new(v.to_string(), *l))
                .collect(),
            );
        }
    }
    m
}

pub(crate) fn to_values<T: serde::Serialize>(t: &T) -> HashMap<String, String> {
    serde_urlencoded::to_string(t)
        .ok()
        .and_then(|s| serde_urlencoded::from_str::<Vec<(String, String)>>(&s).ok())
        .map(|v| v.into_iter().collect())
        .unwrap_or_default()
}

async fn form_choices(
    st: &AppState,
    p: &Page,
    form: &'static str,
) -> Result<Vec<Choice>, PageError> {
    Ok(match form {
        "decision" => st
            .app
            .decision_makers(&p.ctx)
            .await
            .map_err(|e| p.err(e))?
            .into_iter()
            .map(|u| Choice::new(u.id.to_string(), format!("{} ({})", u.name, u.role.label())))
            .collect(),
        "share" => st
            .app
            .share_targets()
            .await
            .map_err(|e| p.err(e))?
            .into_iter()
            .map(|o| Choice::new(o.id.to_string(), format!("{} ({})", o.name, o.kind.label())))
            .collect(),
        _ => Vec::new(),
    })
}

fn action_of(form: &'static str) -> ChildAction {
    match form {
        "note" => ChildAction::AddNote,
        "decision" => ChildAction::AddDecision,
        "allocate" => ChildAction::Allocate,
        "share" => ChildAction::Share,
        "missing" | "return" | "edit_missing" | "grade" => ChildAction::RecordMissing,
        _ => ChildAction::ViewSummary,
    }
}

async fn show_form(
    st: &AppState,
    p: &Page,
    id: ChildId,
    form: &'static str,
    values: HashMap<String, String>,
    errors: FieldErrors,
) -> PageResult {
    show_form_with(st, p, id, form, values, errors, String::new()).await
}

async fn show_form_with(
    st: &AppState,
    p: &Page,
    id: ChildId,
    form: &'static str,
    values: HashMap<String, String>,
    errors: FieldErrors,
    extra: String,
) -> PageResult {
    let child = if form == "break_glass" {
        st.app.break_glass_target(&p.ctx, id).await
    } else {
        st.app.child_for_action(&p.ctx, id, action_of(form)).await
    }
    .map_err(|e| p.err(e))?;
    let choices = choices_for(form, form_choices(st, p, form).await?);
    let candidates = if form == "allocate" {
        st.app
            .allocation_candidates(&p.ctx, id)
            .await
            .map_err(|e| p.err(e))?
    } else {
        Vec::new()
    };
    let bad = !errors.is_empty();
    let r = render(&ChildFormPage {
        page: p.page.clone(),
        child,
        form,
        values,
        choices,
        errors,
        extra,
        candidates,
    });
    Ok(if bad { unprocessable(r) } else { r })
}

macro_rules! child_form {
    ($get:ident, $post:ident, $form:literal, $input:ty, $saved:literal, |$st:ident, $p:ident, $id:ident, $f:ident| $call:expr) => {
        /// Show the form.
        pub async fn $get(
            State(st): State<AppState>,
            p: Page,
            Path(id): Path<String>,
        ) -> PageResult {
            let id: ChildId = parse_id(&p, &id)?;
            show_form(&st, &p, id, $form, HashMap::new(), FieldErrors::new()).await
        }
        /// Handle the form.
        pub async fn $post(
            State($st): State<AppState>,
            $p: Page,
            Path(id): Path<String>,
            FormBody($f): FormBody<$input>,
        ) -> PageResult {
            let $id: ChildId = parse_id(&$p, &id)?;
            match $call {
                Ok(_) => Ok(
                    Redirect::to(&format!("/children/{}?saved={}", $id, $saved)).into_response()
                ),
                Err(AppError::Validation(errors)) => {
                    show_form(&$st, &$p, $id, $form, to_values(&$f), errors).await
                }
                Err(e) => Err($p.err(e)),
            }
        }
    };
}

child_form!(
    note_form,
    note_submit,
    "note",
    NoteInput,
    "note",
    |st, p, id, f| st.app.add_note(&p.ctx, id, &f).await
);
child_form!(
    decision_form,
    decision_submit,
    "decision",
    DecisionInput,
    "decision",
    |st, p, id, f| st.app.add_decision(&p.ctx, id, &f).await
);
child_form!(
    allocate_form,
    allocate_submit,
    "allocate",
    AllocateInput,
    "allocation",
    |st, p, id, f| st.app.allocate(&p.ctx, id, &f).await
);
child_form!(
    share_form,
    share_submit,
    "share",
    ShareInput,
    "share",
    |st, p, id, f| st.app.share(&p.ctx, id, &f).await
);

/// Show the break-glass form.
pub async fn break_glass_form(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id: ChildId = parse_id(&p, &id)?;
    show_form(
        &st,
        &p,
        id,
        "break_glass",
        HashMap::new(),
        FieldErrors::new(),
    )
    .await
}

/// Grant break-glass, then open the record.
pub async fn break_glass_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<BreakGlassInput>,
) -> PageResult {
    let id: ChildId = parse_id(&p, &id)?;
    match st.app.break_glass(&p.ctx, id, &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/children/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            show_form(&st, &p, id, "break_glass", to_values(&f), errors).await
        }
        Err(e) => Err(p.err(e)),
    }
}

fn la_choices() -> Vec<Choice> {
    harbour_domain::la_codes::LA_CODES
        .iter()
        .map(|(c, n)| Choice::new(*c, format!("{n} ({c})")))
        .collect()
}

fn new_child_page(p: &Page, values: HashMap<String, String>, errors: FieldErrors) -> Response {
    let ethnicities = codes::ETHNICITY
        .iter()
        .map(|(c, l)| Choice::new(*c, format!("{l} ({c})")))
        .collect();
    let bad = !errors.is_empty();
    let r = render(&NewChildPage {
        page: p.page.clone().at("/children/new"),
        values,
        errors,
        ethnicities,
        las: la_choices(),
    });
    if bad { unprocessable(r) } else { r }
}

/// Show the new-child form.
pub async fn new_child_form(State(st): State<AppState>, p: Page) -> PageResult {
    st.app
        .check_service(&p.ctx, harbour_domain::authz::ServiceAction::CreateChild)
        .await
        .map_err(|e| p.err(e))?;
    Ok(new_child_page(&p, HashMap::new(), FieldErrors::new()))
}

/// Create a child.
pub async fn new_child_submit(
    State(st): State<AppState>,
    p: Page,
    FormBody(f): FormBody<NewChildInput>,
) -> PageResult {
    match st.app.create_child(&p.ctx, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("/children/{id}?saved=created")).into_response()),
        Err(AppError::Validation(errors)) => Ok(new_child_page(&p, to_values(&f), errors)),
        Err(e) => Err(p.err(e)),
    }
}

/// Who has viewed or changed a child's record.
pub async fn access_log(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id: ChildId = parse_id(&p, &id)?;
    let log = st
        .app
        .child_access_log(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    let entries = log.entries.clone();
    Ok(render(&AccessLogPage {
        page: p.page.clone(),
        log,
        entries,
    }))
}

/// A user's access history.
pub async fn user_history(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id: UserId = parse_id(&p, &id)?;
    let (subject, entries) = st
        .app
        .user_access_history(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    let path = format!("/users/{id}/access-history");
    Ok(render(&UserHistoryPage {
        page: p.page.clone().at(&path),
        subject,
        entries,
    }))
}

async fn staff_page(
    st: &AppState,
    p: &Page,
    errors: FieldErrors,
    notice: Option<String>,
) -> PageResult {
    let dir = st.app.staff_directory(&p.ctx).await.map_err(|e| p.err(e))?;
    let manage = harbour_domain::authz::decide_service(
        &p.ctx.me.actor,
        harbour_domain::authz::ServiceAction::ManageStaff,
    );
    let bad = !errors.is_empty();
    let r = render(&StaffPage {
        page: p.page.clone().at("/admin/staff"),
        dir,
        manage,
        errors,
        notice,
    });
    Ok(if bad { unprocessable(r) } else { r })
}

/// Staff, teams and pods.
pub async fn staff(State(st): State<AppState>, p: Page) -> PageResult {
    staff_page(&st, &p, FieldErrors::new(), None).await
}

async fn new_user_page(
    st: &AppState,
    p: &Page,
    values: NewUserInput,
    errors: FieldErrors,
) -> PageResult {
    let dir = st.app.staff_directory(&p.ctx).await.map_err(|e| p.err(e))?;
    let bad = !errors.is_empty();
    let r = render(&NewUserPage {
        page: p.page.clone().at("/admin/staff"),
        values,
        errors,
        teams: dir
            .teams
            .iter()
            .map(|t| Choice::new(t.id.to_string(), t.name.clone()))
            .collect(),
        orgs: dir
            .orgs
            .iter()
            .map(|o| Choice::new(o.id.to_string(), o.name.clone()))
            .collect(),
        roles: Role::ALL
            .iter()
            .map(|r| Choice::new(r.as_str(), r.label()))
            .collect(),
    });
    Ok(if bad { unprocessable(r) } else { r })
}

/// The add-a-person form.
pub async fn new_user_form(State(st): State<AppState>, p: Page) -> PageResult {
    st.app
        .check_service(&p.ctx, harbour_domain::authz::ServiceAction::ManageStaff)
        .await
        .map_err(|e| p.err(e))?;
    new_user_page(&st, &p, NewUserInput::default(), FieldErrors::new()).await
}

/// Add a person; the generated password is shown once.
pub async fn new_user_submit(
    State(st): State<AppState>,
    p: Page,
    FormBody(f): FormBody<NewUserInput>,
) -> PageResult {
    match st.app.add_user(&p.ctx, &f).await {
        Ok(c) => {
            let mut notice = format!(
                "{} added. Give them this password privately; it will not be shown again: {}",
                c.user.name,
                c.generated_password
                    .unwrap_or_else(|| "(the one you chose)".into())
            );
            if let Some(t) = c.totp_secret {
                notice.push_str(&format!(". Authenticator app secret: {t}"));
            }
            staff_page(&st, &p, FieldErrors::new(), Some(notice)).await
        }
        Err(AppError::Validation(errors)) => new_user_page(&st, &p, f, errors).await,
        Err(e) => Err(p.err(e)),
    }
}

/// Disable an account.
pub async fn disable_user(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id: UserId = parse_id(&p, &id)?;
    match st.app.disable_user(&p.ctx, id).await {
        Ok(n) => {
            staff_page(
                &st,
                &p,
                FieldErrors::new(),
                Some(format!("Account disabled; {n} sessions ended.")),
            )
            .await
        }
        Err(AppError::Validation(errors)) => staff_page(&st, &p, errors, None).await,
        Err(e) => Err(p.err(e)),
    }
}

/// Reset another account's second factor (`sysadmin`); a new secret for
/// roles that need one is shown once, to hand over.
pub async fn reset_two_factor(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id: UserId = parse_id(&p, &id)?;
    match st.app.reset_two_factor(&p.ctx, id).await {
        Ok(secret) => {
            let notice = match secret {
                Some(s) => format!(
                    "Two-factor authentication reset. Give the account holder this new setup key privately (shown once): {s}"
                ),
                None => "Two-factor authentication removed from the account.".to_string(),
            };
            staff_page(&st, &p, FieldErrors::new(), Some(notice)).await
        }
        Err(AppError::Validation(errors)) => staff_page(&st, &p, errors, None).await,
        Err(e) => Err(p.err(e)),
    }
}

/// Remove an account's single sign-on link (`sysadmin`).
pub async fn unlink_sso(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id: UserId = parse_id(&p, &id)?;
    let done = st.app.oidc_unlink(&p.ctx, id).await.map_err(|e| p.err(e))?;
    let notice = if done {
        "Single sign-on link removed. The person's next sign-on with their council account links the account again, by email."
    } else {
        "That account had no single sign-on link."
    };
    staff_page(&st, &p, FieldErrors::new(), Some(notice.to_string())).await
}

/// New team form fields.
#[derive(Deserialize, Default, serde::Serialize)]
pub struct TeamForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    pod: String,
}

/// Add a team.
pub async fn add_team(
    State(st): State<AppState>,
    p: Page,
    FormBody(f): FormBody<TeamForm>,
) -> PageResult {
    match st.app.add_team(&p.ctx, &f.name, &f.pod).await {
        Ok(_) => Ok(Redirect::to("/admin/staff").into_response()),
        Err(AppError::Validation(errors)) => staff_page(&st, &p, errors, None).await,
        Err(e) => Err(p.err(e)),
    }
}

/// New pod form fields.
#[derive(Deserialize, Default)]
pub struct PodForm {
    #[serde(default)]
    pod_name: String,
}

/// Add a pod.
pub async fn add_pod(
    State(st): State<AppState>,
    p: Page,
    FormBody(f): FormBody<PodForm>,
) -> PageResult {
    match st.app.add_pod(&p.ctx, &f.pod_name).await {
        Ok(_) => Ok(Redirect::to("/admin/staff").into_response()),
        Err(AppError::Validation(errors)) => staff_page(&st, &p, errors, None).await,
        Err(e) => Err(p.err(e)),
    }
}

async fn privacy_page(st: &AppState, p: &Page, chain: Option<String>) -> PageResult {
    let o = st
        .app
        .privacy_overview(&p.ctx)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&PrivacyPage {
        page: p.page.clone().at("/privacy"),
        o,
        chain,
    }))
}

/// The privacy officer's page.
pub async fn privacy(State(st): State<AppState>, p: Page) -> PageResult {
    privacy_page(&st, &p, None).await
}

/// Verify the audit chain now.
pub async fn privacy_verify(State(st): State<AppState>, p: Page) -> PageResult {
    let r = st
        .app
        .verify_audit_chain_as(&p.ctx)
        .await
        .map_err(|e| p.err(e))?;
    let msg = match r.broken {
        None => format!("The audit trail is intact: {} entries checked.", r.entries),
        Some(b) => format!(
            "The audit trail has been altered: {b}. Report this to your information security team now."
        ),
    };
    privacy_page(&st, &p, Some(msg)).await
}

/// Mark a break-glass grant reviewed.
pub async fn review_break_glass(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id: BreakGlassId = parse_id(&p, &id)?;
    st.app
        .review_break_glass(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    Ok(Redirect::to("/privacy").into_response())
}

/// Aggregate statistics.
pub async fn stats(State(st): State<AppState>, p: Page) -> PageResult {
    let s = st.app.stats(&p.ctx).await.map_err(|e| p.err(e))?;
    Ok(render(&StatsPage {
        page: p.page.clone().at("/stats"),
        s,
    }))
}

/// 404 for unknown paths.
pub async fn not_found(m: MaybeUser) -> Response {
    PageError {
        error: AppError::NotFound,
        ctx: m.page,
    }
    .into_response()
}

async fn edit_user_page(
    st: &AppState,
    p: &Page,
    subject: harbour_domain::model::User,
    values: harbour_app::admin::EditUserInput,
    errors: FieldErrors,
) -> PageResult {
    let dir = st.app.staff_directory(&p.ctx).await.map_err(|e| p.err(e))?;
    let bad = !errors.is_empty();
    let r = render(&EditUserPage {
        page: p.page.clone(),
        subject,
        values,
        errors,
        roles: Role::ALL
            .iter()
            .map(|r| Choice::new(r.as_str(), r.label()))
            .collect(),
        teams: dir
            .teams
            .iter()
            .map(|t| Choice::new(t.id.to_string(), t.name.clone()))
            .collect(),
        pods: dir
            .pods
            .iter()
            .map(|x| Choice::new(x.id.to_string(), x.name.clone()))
            .collect(),
    });
    Ok(if bad { unprocessable(r) } else { r })
}

/// The change-details form.
pub async fn edit_user_form(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id: UserId = parse_id(&p, &id)?;
    let u = st
        .app
        .staff_member(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    let values = harbour_app::admin::EditUserInput::from_user(&u);
    edit_user_page(&st, &p, u, values, FieldErrors::new()).await
}

/// Save a person's details.
pub async fn edit_user_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<harbour_app::admin::EditUserInput>,
) -> PageResult {
    let id: UserId = parse_id(&p, &id)?;
    match st.app.edit_user(&p.ctx, id, &f).await {
        Ok(secret) => {
            let notice = match secret {
                None => "Details saved.".to_string(),
                Some(t) => format!(
                    "Details saved. This role needs an authenticator app: give the person this secret privately; it will not be shown again: {t}"
                ),
            };
            staff_page(&st, &p, FieldErrors::new(), Some(notice)).await
        }
        Err(AppError::Validation(errors)) => {
            let u = st
                .app
                .staff_member(&p.ctx, id)
                .await
                .map_err(|e| p.err(e))?;
            edit_user_page(&st, &p, u, f, errors).await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// Team manager form fields.
#[derive(Deserialize, Default)]
pub struct ManagerForm {
    #[serde(default)]
    manager: String,
}

/// Set a team's manager.
pub async fn set_team_manager(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<ManagerForm>,
) -> PageResult {
    let id: TeamId = parse_id(&p, &id)?;
    match st.app.set_team_manager(&p.ctx, id, &f.manager).await {
        Ok(()) => Ok(Redirect::to("/admin/staff").into_response()),
        Err(AppError::Validation(errors)) => staff_page(&st, &p, errors, None).await,
        Err(e) => Err(p.err(e)),
    }
}

child_form!(
    missing_form,
    missing_submit,
    "missing",
    harbour_app::missing::MissingInput,
    "missing",
    |st, p, id, f| st.app.report_missing(&p.ctx, id, &f).await
);

/// Show the record-a-return form for an open episode.
pub async fn return_form(
    State(st): State<AppState>,
    p: Page,
    Path((id, episode)): Path<(String, String)>,
) -> PageResult {
    let id: ChildId = parse_id(&p, &id)?;
    let episode: uuid::Uuid = parse_id(&p, &episode)?;
    let (child, e) = st
        .app
        .episode_of_child(
            &p.ctx,
            id,
            episode,
            ChildAction::RecordMissing,
            "missing.record.form",
        )
        .await
        .map_err(|e| p.err(e))?;
    if child.id != id || !e.is_open() {
        return Err(p.err(AppError::NotFound));
    }
    show_form_with(
        &st,
        &p,
        id,
        "return",
        HashMap::new(),
        FieldErrors::new(),
        episode.to_string(),
    )
    .await
}

/// After a form about one episode: back to the record with `saved`, or the
/// form again with the problems.
#[allow(clippy::too_many_arguments)]
async fn after_episode_form<T: serde::Serialize>(
    st: &AppState,
    p: &Page,
    id: ChildId,
    episode: uuid::Uuid,
    form: &'static str,
    saved: &str,
    r: Result<(), AppError>,
    f: &T,
) -> PageResult {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/children/{id}?{saved}")).into_response()),
        Err(AppError::Validation(errors)) => {
            show_form_with(st, p, id, form, to_values(f), errors, episode.to_string()).await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// Record a return.
pub async fn return_submit(
    State(st): State<AppState>,
    p: Page,
    Path((id, episode)): Path<(String, String)>,
    FormBody(f): FormBody<harbour_app::missing::ReturnInput>,
) -> PageResult {
    let id: ChildId = parse_id(&p, &id)?;
    let episode: uuid::Uuid = parse_id(&p, &episode)?;
    let r = st.app.record_return(&p.ctx, id, episode, &f).await;
    after_episode_form(&st, &p, id, episode, "return", "saved=return", r, &f).await
}

/// An episode of this child the user may correct.
async fn episode_of(
    st: &AppState,
    p: &Page,
    id: ChildId,
    episode: &str,
    audit: &str,
) -> Result<harbour_domain::missing::MissingEpisode, PageError> {
    let episode: uuid::Uuid = parse_id(p, episode)?;
    let (child, e) = st
        .app
        .episode_of_child(&p.ctx, id, episode, ChildAction::RecordMissing, audit)
        .await
        .map_err(|e| p.err(e))?;
    if child.id != id {
        return Err(p.err(AppError::NotFound));
    }
    Ok(e)
}

/// Show the form to correct an episode, filled in as it stands.
pub async fn edit_missing_form(
    State(st): State<AppState>,
    p: Page,
    Path((id, episode)): Path<(String, String)>,
) -> PageResult {
    let id: ChildId = parse_id(&p, &id)?;
    let e = episode_of(&st, &p, id, &episode, "missing.edit.form").await?;
    let values = to_values(&harbour_app::missing::EditInput::from_episode(&e));
    show_form_with(
        &st,
        &p,
        id,
        "edit_missing",
        values,
        FieldErrors::new(),
        e.id.to_string(),
    )
    .await
}

/// Save corrections to an episode.
pub async fn edit_missing_submit(
    State(st): State<AppState>,
    p: Page,
    Path((id, episode)): Path<(String, String)>,
    FormBody(f): FormBody<harbour_app::missing::EditInput>,
) -> PageResult {
    let id: ChildId = parse_id(&p, &id)?;
    let episode: uuid::Uuid = parse_id(&p, &episode)?;
    let r = st.app.edit_episode(&p.ctx, id, episode, &f).await;
    after_episode_form(
        &st,
        &p,
        id,
        episode,
        "edit_missing",
        &format!("saved=episode&episode={episode}"),
        r,
        &f,
    )
    .await
}

/// Show the re-grading form.
pub async fn grade_form(
    State(st): State<AppState>,
    p: Page,
    Path((id, episode)): Path<(String, String)>,
) -> PageResult {
    let id: ChildId = parse_id(&p, &id)?;
    let e = episode_of(&st, &p, id, &episode, "missing.grade.form").await?;
    let mut values = HashMap::new();
    if let Some(g) = e.grade {
        values.insert("grade".to_string(), g.as_str().to_string());
    }
    show_form_with(
        &st,
        &p,
        id,
        "grade",
        values,
        FieldErrors::new(),
        e.id.to_string(),
    )
    .await
}

/// Record a re-grading.
pub async fn grade_submit(
    State(st): State<AppState>,
    p: Page,
    Path((id, episode)): Path<(String, String)>,
    FormBody(f): FormBody<harbour_app::missing::GradeInput>,
) -> PageResult {
    let id: ChildId = parse_id(&p, &id)?;
    let episode: uuid::Uuid = parse_id(&p, &episode)?;
    let r = st.app.regrade(&p.ctx, id, episode, &f).await;
    after_episode_form(&st, &p, id, episode, "grade", "saved=grade", r, &f).await
}

/// Mark a task done, then back to My work.
pub async fn complete_task(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id: uuid::Uuid = parse_id(&p, &id)?;
    st.app
        .complete_task(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    Ok(Redirect::to("/my-work").into_response())
}

/// After saving an interview: its id (only ids in URLs).
#[derive(Deserialize, Default)]
pub struct InterviewSaved {
    #[serde(default)]
    saved: Option<uuid::Uuid>,
}

/// The provider's queue of return home interviews.
pub async fn interviews(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<InterviewSaved>,
) -> PageResult {
    let queue = st.app.rhi_queue(&p.ctx).await.map_err(|e| p.err(e))?;
    let saved = q.saved.map(|id| id.to_string());
    Ok(render(&InterviewsPage {
        page: p.page.clone().at("/interviews"),
        queue,
        saved,
    }))
}

async fn interview_page(
    st: &AppState,
    p: &Page,
    id: uuid::Uuid,
    values: HashMap<String, String>,
    errors: FieldErrors,
) -> PageResult {
    let v = st.app.interview(&p.ctx, id).await.map_err(|e| p.err(e))?;
    let mut values = values;
    let share_rows: Vec<crate::views::ShareRow> = v
        .recipients
        .iter()
        .map(|(r, label)| {
            let key = r.as_str();
            let mut chars = label.chars();
            let who: String = match chars.next() {
                Some(f) => f.to_lowercase().chain(chars).collect(),
                None => String::new(),
            };
            crate::views::ShareRow {
                label: format!("Share the findings with {who}?"),
                share: format!("share_{key}"),
                basis: format!("basis_{key}"),
                basis_label: format!("Lawful basis for sharing with {who}"),
                reason: format!("reason_{key}"),
                reason_label: format!("If not sharing with {who}: why"),
            }
        })
        .collect();
    if values.is_empty() {
        // Findings go to everyone with a safeguarding role unless there is a
        // reason not to (information sharing advice 2024): start from "share".
        for r in &share_rows {
            values.insert(r.share.clone(), "yes".into());
            values.insert(
                r.basis.clone(),
                harbour_domain::findings::LawfulBasis::PublicTaskSafeguarding
                    .as_str()
                    .into(),
            );
        }
    }
    let share_choices = vec![
        Choice::new("yes", "Yes, share"),
        Choice::new("no", "No, do not share"),
    ];
    let bases = harbour_domain::findings::LawfulBasis::ALL
        .iter()
        .map(|b| Choice::new(b.as_str(), b.label()))
        .collect();
    let outcomes = [
        harbour_domain::missing::RhiOutcome::Completed,
        harbour_domain::missing::RhiOutcome::Declined,
        harbour_domain::missing::RhiOutcome::NotHeld,
    ]
    .iter()
    .map(|o| Choice::new(o.as_str(), o.label()))
    .collect();
    let bad = !errors.is_empty();
    let r = render(&InterviewPage {
        page: p.page.clone(),
        v,
        values,
        errors,
        outcomes,
        share_rows,
        share_choices,
        bases,
    });
    Ok(if bad { unprocessable(r) } else { r })
}

/// One interview, to record.
pub async fn interview(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id: uuid::Uuid = parse_id(&p, &id)?;
    interview_page(&st, &p, id, HashMap::new(), FieldErrors::new()).await
}

/// Record an interview.
pub async fn interview_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<harbour_app::rhi::InterviewInput>,
) -> PageResult {
    let id: uuid::Uuid = parse_id(&p, &id)?;
    match st.app.record_interview(&p.ctx, id, &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/interviews?saved={id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            interview_page(&st, &p, id, to_values(&f), errors).await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// Findings other authorities' interviews shared with the user's organisation.
pub async fn findings_inbox(State(st): State<AppState>, p: Page) -> PageResult {
    let list = st.app.findings_inbox(&p.ctx).await.map_err(|e| p.err(e))?;
    Ok(render(&FindingsInboxPage {
        page: p.page.clone().at("/findings"),
        list,
    }))
}

/// One notification's findings; the first opening is the receipt.
pub async fn finding(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id: uuid::Uuid = parse_id(&p, &id)?;
    let n = st
        .app
        .open_notification(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&FindingPage {
        page: p.page.clone(),
        n,
    }))
}

/// The host view: children placed here by other authorities.
pub async fn placed_here(State(st): State<AppState>, p: Page) -> PageResult {
    let rows = st.app.host_view(&p.ctx).await.map_err(|e| p.err(e))?;
    Ok(render(&PlacedHerePage {
        page: p.page.clone().at("/placed-here"),
        rows,
    }))
}

/// My caseload.
pub async fn caseload_mine(State(st): State<AppState>, p: Page) -> PageResult {
    let c = st
        .app
        .worker_caseload(&p.ctx, None)
        .await
        .map_err(|e| p.err(e))?;
    let chart = TrendChart::new(c.trend.clone(), c.config.amber_percent);
    Ok(render(&CaseloadWorkerPage {
        page: p.page.clone().at("/caseload"),
        notice: None,
        c,
        chart,
    }))
}

/// A worker's caseload (their team manager, their pod).
pub async fn caseload_worker(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    Query(q): Query<MovedQuery>,
) -> PageResult {
    let id: UserId = parse_id(&p, &id)?;
    let c = st
        .app
        .worker_caseload(&p.ctx, Some(id))
        .await
        .map_err(|e| p.err(e))?;
    let chart = TrendChart::new(c.trend.clone(), c.config.amber_percent);
    Ok(render(&CaseloadWorkerPage {
        page: p.page.clone(),
        notice: q.moved.map(|n| {
            format!(
                "{n} {} moved to {} new worker{}",
                if n == 1 { "child" } else { "children" },
                if n == 1 { "a" } else { "their" },
                if n == 1 { "" } else { "s" }
            )
        }),
        c,
        chart,
    }))
}

/// After a bulk move.
#[derive(Deserialize, Default)]
pub struct MovedQuery {
    /// How many children moved.
    #[serde(default)]
    moved: Option<usize>,
}

fn sw_reason_choices() -> Vec<Choice> {
    codes::SW_REASON
        .iter()
        .map(|(c, l)| Choice::new(*c, format!("{l} ({c})")))
        .collect()
}

/// The bulk re-allocation form for a leaver or a long absence.
pub async fn reallocate_form(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id: UserId = parse_id(&p, &id)?;
    let plan = st
        .app
        .bulk_reallocation_plan(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&BulkReallocatePage {
        page: p.page.clone(),
        plan,
        values: HashMap::new(),
        errors: FieldErrors::new(),
        sw_reasons: sw_reason_choices(),
    }))
}

/// Move every child in one go.
pub async fn reallocate_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<HashMap<String, String>>,
) -> PageResult {
    let id: UserId = parse_id(&p, &id)?;
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let input = harbour_app::caseload::BulkReallocateInput {
        all: get("all"),
        per_child: f
            .iter()
            .filter_map(|(k, v)| {
                let c = k.strip_prefix("worker-")?.parse::<ChildId>().ok()?;
                Some((c, v.clone()))
            })
            .collect(),
        sw_reason: get("sw_reason"),
        day: get("day"),
        month: get("month"),
        year: get("year"),
        override_reason: get("override_reason"),
    };
    match st.app.bulk_reallocate(&p.ctx, id, &input).await {
        Ok(n) => Ok(Redirect::to(&format!("/caseload/workers/{id}?moved={n}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let plan = st
                .app
                .bulk_reallocation_plan(&p.ctx, id)
                .await
                .map_err(|e| p.err(e))?;
            Ok(unprocessable(render(&BulkReallocatePage {
                page: p.page.clone(),
                plan,
                values: f,
                errors,
                sw_reasons: sw_reason_choices(),
            })))
        }
        Err(e) => Err(p.err(e)),
    }
}

fn dashboard(p: &Page, d: harbour_app::caseload::Dashboard, at: &str) -> Response {
    let chart = TrendChart::new(d.trend.clone(), d.config.amber_percent);
    let link_workers = d.scope != "service";
    let a = &p.ctx.me.actor;
    let mut links = Vec::new();
    for (action, label, href) in [
        (ServiceAction::ViewOwnCaseload, "My caseload", "/caseload"),
        (
            ServiceAction::ViewServiceCaseloads,
            "Service-wide caseloads",
            "/caseload/service",
        ),
        (
            ServiceAction::ViewWorkforce,
            "Workforce planning",
            "/caseload/workforce",
        ),
    ] {
        if decide_service(a, action) && href != at {
            links.push((label, href));
        }
    }
    render(&CaseloadDashboardPage {
        page: p.page.clone().at(at),
        d,
        chart,
        link_workers,
        links,
    })
}

/// A team's caseload dashboard, with its override report.
pub async fn caseload_team(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id: TeamId = parse_id(&p, &id)?;
    let d = st
        .app
        .team_caseloads(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    Ok(dashboard(&p, d, &format!("/caseload/teams/{id}")))
}

/// A pod's caseload dashboard.
pub async fn caseload_pod(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id: PodId = parse_id(&p, &id)?;
    let d = st
        .app
        .pod_caseloads(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    Ok(dashboard(&p, d, &format!("/caseload/pods/{id}")))
}

/// The service's caseload dashboard.
pub async fn caseload_service(State(st): State<AppState>, p: Page) -> PageResult {
    let d = st
        .app
        .service_caseloads(&p.ctx)
        .await
        .map_err(|e| p.err(e))?;
    Ok(dashboard(&p, d, "/caseload/service"))
}

/// Query for the workforce page.
#[derive(Deserialize, Default)]
pub struct WorkforceQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// Workforce planning.
pub async fn workforce(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<WorkforceQuery>,
) -> PageResult {
    let w = st.app.workforce(&p.ctx).await.map_err(|e| p.err(e))?;
    Ok(render(&WorkforcePage {
        page: p.page.clone().at("/caseload/workforce"),
        w,
        errors: FieldErrors::new(),
        notice: q.saved.map(|_| "Establishment saved".to_string()),
    }))
}

/// The establishment form.
#[derive(Deserialize, Default, serde::Serialize)]
pub struct EstablishmentForm {
    #[serde(default)]
    fte: String,
}

/// Set a team's establishment (sysadmin).
pub async fn set_establishment(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<EstablishmentForm>,
) -> PageResult {
    let id: TeamId = parse_id(&p, &id)?;
    match st.app.set_establishment(&p.ctx, id, &f.fte).await {
        Ok(()) => Ok(Redirect::to("/caseload/workforce?saved=1").into_response()),
        Err(AppError::Validation(mut errors)) => {
            // One form per team: the field is `fte-{team}`.
            for e in &mut errors.0 {
                if e.field == "fte" {
                    e.field = format!("fte-{id}");
                }
            }
            let w = st.app.workforce(&p.ctx).await.map_err(|e| p.err(e))?;
            Ok(unprocessable(render(&WorkforcePage {
                page: p.page.clone().at("/caseload/workforce"),
                w,
                errors,
                notice: None,
            })))
        }
        Err(e) => Err(p.err(e)),
    }
}

/// Care proceedings (court work) for a child: the form.
pub async fn court_work_form(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id: ChildId = parse_id(&p, &id)?;
    let v = st.app.court_work(&p.ctx, id).await.map_err(|e| p.err(e))?;
    Ok(render(&CourtWorkPage {
        page: p.page.clone(),
        v,
        values: HashMap::new(),
        errors: FieldErrors::new(),
    }))
}

/// Record that proceedings started or ended.
pub async fn court_work_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<harbour_app::caseload::CourtWorkInput>,
) -> PageResult {
    let id: ChildId = parse_id(&p, &id)?;
    match st.app.set_court_work(&p.ctx, id, &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/children/{id}?saved=court_work")).into_response()),
        Err(AppError::Validation(errors)) => {
            let v = st.app.court_work(&p.ctx, id).await.map_err(|e| p.err(e))?;
            Ok(unprocessable(render(&CourtWorkPage {
                page: p.page.clone(),
                v,
                values: to_values(&f),
                errors,
            })))
        }
        Err(e) => Err(p.err(e)),
    }
}
