//! Pages and API for the exploitation and missing panel (agenda, meeting,
//! printable agenda and minutes, the action tracker, referral) and the
//! information-sharing log. Handlers extract, call one `App` function and
//! render.

use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::extract::{ApiCtx, FormBody, Page};
use crate::views::{Choice, PageCtx, render};
use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_app::AppError;
use harbour_app::panel::{
    ActionInput, ActionUpdate, AttendeeInput, DiscussionInput, MeetingInput, MeetingView,
    PanelOverview, ReferralInput, Tracker,
};
use harbour_domain::findings::LawfulBasis;
use harbour_domain::ids::ChildId;
use harbour_domain::model::Child;
use harbour_domain::panel::*;
use harbour_domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

type PageResult = Result<Response, PageError>;

fn id<T: std::str::FromStr>(p: &Page, s: &str) -> Result<T, PageError> {
    s.parse().map_err(|_| p.err(AppError::NotFound))
}

fn choices<T: Copy>(all: &[T], f: impl Fn(T) -> (&'static str, &'static str)) -> Vec<Choice> {
    all.iter()
        .map(|x| {
            let (v, l) = f(*x);
            Choice::new(v, l)
        })
        .collect()
}

fn bad(mut r: Response) -> Response {
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

/// The coordinator's page.
#[derive(Template)]
#[template(path = "panel.html")]
pub struct OverviewPage {
    /// Layout.
    pub page: PageCtx,
    /// Data.
    pub o: PanelOverview,
    /// Values.
    pub values: HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
    /// Panel types.
    pub types: Vec<Choice>,
}

impl OverviewPage {
    /// A value.
    pub fn v(&self, n: &str) -> &str {
        self.values.get(n).map(String::as_str).unwrap_or("")
    }
    /// An error.
    pub fn e(&self, n: &str) -> &str {
        self.errors.get(n).unwrap_or("")
    }
}

async fn overview_page(
    st: &AppState,
    p: &Page,
    values: HashMap<String, String>,
    errors: FieldErrors,
) -> PageResult {
    let o = st.app.panel_overview(&p.ctx).await.map_err(|e| p.err(e))?;
    let bad_input = !errors.is_empty();
    let r = render(&OverviewPage {
        page: p.page.clone().at("/panel"),
        o,
        values,
        errors,
        types: choices(PanelType::ALL, |t| (t.as_str(), t.label())),
    });
    Ok(if bad_input { bad(r) } else { r })
}

/// `GET /panel`.
pub async fn overview(State(st): State<AppState>, p: Page) -> PageResult {
    overview_page(&st, &p, HashMap::new(), FieldErrors::new()).await
}

/// `POST /panel/meetings`: set up a meeting.
pub async fn create_meeting(
    State(st): State<AppState>,
    p: Page,
    FormBody(f): FormBody<MeetingInput>,
) -> PageResult {
    match st.app.create_meeting(&p.ctx, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("/panel/meetings/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let values = serde_json::to_value(&f)
                .ok()
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default();
            overview_page(&st, &p, values, errors).await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// A meeting.
#[derive(Template)]
#[template(path = "panel_meeting.html")]
pub struct MeetingPage {
    /// Layout.
    pub page: PageCtx,
    /// Data.
    pub m: MeetingView,
    /// Values.
    pub values: HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
    /// Options.
    pub opts: HashMap<&'static str, Vec<Choice>>,
}

impl MeetingPage {
    /// A value.
    pub fn v(&self, n: &str) -> &str {
        self.values.get(n).map(String::as_str).unwrap_or("")
    }
    /// An error.
    pub fn e(&self, n: &str) -> &str {
        self.errors.get(n).unwrap_or("")
    }
    /// Options.
    pub fn o(&self, n: &str) -> Vec<Choice> {
        self.opts.get(n).cloned().unwrap_or_default()
    }
}

fn meeting_opts(m: &MeetingView) -> HashMap<&'static str, Vec<Choice>> {
    let mut o = HashMap::new();
    o.insert(
        "org",
        m.orgs
            .iter()
            .map(|x| Choice::new(x.id.to_string(), x.name.clone()))
            .collect(),
    );
    o.insert(
        "person",
        m.people
            .iter()
            .map(|u| {
                let org = m
                    .orgs
                    .iter()
                    .find(|o| o.id == u.org_id)
                    .map(|o| o.name.as_str())
                    .unwrap_or("");
                Choice::new(u.id.to_string(), format!("{} ({org})", u.name))
            })
            .collect(),
    );
    o.insert("risk", choices(RiskLevel::ALL, |t| (t.as_str(), t.label())));
    o.insert(
        "kind",
        choices(ActionKind::ALL, |t| (t.as_str(), t.label())),
    );
    o.insert(
        "referral",
        m.discussions
            .iter()
            .map(|d| Choice::new(d.referral_id.to_string(), d.child_name.clone()))
            .collect(),
    );
    o
}

async fn meeting_page(
    st: &AppState,
    p: &Page,
    mid: Uuid,
    values: HashMap<String, String>,
    errors: FieldErrors,
) -> PageResult {
    let m = st
        .app
        .panel_meeting(&p.ctx, mid, "meeting.view")
        .await
        .map_err(|e| p.err(e))?;
    let bad_input = !errors.is_empty();
    let r = render(&MeetingPage {
        page: p.page.clone().at("/panel"),
        opts: meeting_opts(&m),
        m,
        values,
        errors,
    });
    Ok(if bad_input { bad(r) } else { r })
}

/// `GET /panel/meetings/{id}`.
pub async fn meeting(State(st): State<AppState>, p: Page, Path(mid): Path<String>) -> PageResult {
    let mid = id(&p, &mid)?;
    meeting_page(&st, &p, mid, HashMap::new(), FieldErrors::new()).await
}

fn values_of<T: Serialize>(f: &T, prefix: &str) -> HashMap<String, String> {
    let m: HashMap<String, String> = serde_json::to_value(f)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    m.into_iter()
        .map(|(k, v)| (format!("{prefix}{k}"), v))
        .collect()
}

/// A meeting page's form fields carry a prefix (several forms share the
/// page); read them with or without it.
fn unprefixed<T: serde::de::DeserializeOwned + Default>(
    f: HashMap<String, String>,
    prefix: &str,
) -> T {
    let m: HashMap<String, String> = f
        .into_iter()
        .map(|(k, v)| (k.strip_prefix(prefix).map(str::to_string).unwrap_or(k), v))
        .collect();
    serde_json::to_value(m)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

fn prefixed(e: FieldErrors, prefix: &str) -> FieldErrors {
    let mut out = FieldErrors::new();
    for x in e.0 {
        out.add(&format!("{prefix}{}", x.field), x.message);
    }
    out
}

async fn after(
    st: &AppState,
    p: &Page,
    mid: Uuid,
    r: Result<(), AppError>,
    values: HashMap<String, String>,
    prefix: &str,
    anchor: &str,
) -> PageResult {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/panel/meetings/{mid}#{anchor}")).into_response()),
        Err(AppError::Validation(errors)) => {
            meeting_page(st, p, mid, values, prefixed(errors, prefix)).await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// `POST /panel/meetings/{id}/attendees`.
pub async fn add_attendee(
    State(st): State<AppState>,
    p: Page,
    Path(mid): Path<String>,
    FormBody(f): FormBody<HashMap<String, String>>,
) -> PageResult {
    let mid = id(&p, &mid)?;
    let f: AttendeeInput = unprefixed(f, "attendee-");
    let r = st.app.add_attendee(&p.ctx, mid, &f).await;
    after(
        &st,
        &p,
        mid,
        r,
        values_of(&f, "attendee-"),
        "attendee-",
        "attendance",
    )
    .await
}

/// `POST /panel/meetings/{id}/discussions`.
pub async fn add_discussion(
    State(st): State<AppState>,
    p: Page,
    Path(mid): Path<String>,
    FormBody(f): FormBody<HashMap<String, String>>,
) -> PageResult {
    let mid = id(&p, &mid)?;
    let rid: Uuid = f
        .get("referral")
        .and_then(|r| r.parse().ok())
        .unwrap_or(Uuid::nil());
    let prefix = format!("d{}-", rid.simple());
    let get = |k: &str| f.get(&format!("{prefix}{k}")).cloned().unwrap_or_default();
    let input = DiscussionInput {
        discussion: get("discussion"),
        risk: get("risk"),
        decisions: get("decisions"),
    };
    let r = st
        .app
        .record_discussion(&p.ctx, mid, rid, &input)
        .await
        .map(|_| ());
    after(
        &st,
        &p,
        mid,
        r,
        values_of(&input, &prefix),
        &prefix,
        "minutes",
    )
    .await
}

/// `POST /panel/meetings/{id}/actions`.
pub async fn add_action(
    State(st): State<AppState>,
    p: Page,
    Path(mid): Path<String>,
    FormBody(f): FormBody<HashMap<String, String>>,
) -> PageResult {
    let mid = id(&p, &mid)?;
    let f: ActionInput = unprefixed(f, "action-");
    let r = st.app.add_panel_action(&p.ctx, mid, &f).await.map(|_| ());
    after(
        &st,
        &p,
        mid,
        r,
        values_of(&f, "action-"),
        "action-",
        "actions",
    )
    .await
}

/// The printable agenda or minutes.
#[derive(Template)]
#[template(path = "panel_print.html")]
pub struct PrintPage {
    /// Layout.
    pub page: PageCtx,
    /// Data.
    pub m: MeetingView,
    /// Minutes (else the agenda).
    pub minutes: bool,
}

/// `GET /panel/meetings/{id}/agenda`.
pub async fn agenda(State(st): State<AppState>, p: Page, Path(mid): Path<String>) -> PageResult {
    let mid = id(&p, &mid)?;
    let m = st
        .app
        .panel_meeting(&p.ctx, mid, "agenda.print")
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&PrintPage {
        page: p.page.clone().at("/panel"),
        m,
        minutes: false,
    }))
}

/// `GET /panel/meetings/{id}/minutes`.
pub async fn minutes(State(st): State<AppState>, p: Page, Path(mid): Path<String>) -> PageResult {
    let mid = id(&p, &mid)?;
    let m = st
        .app
        .panel_meeting(&p.ctx, mid, "minutes.print")
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&PrintPage {
        page: p.page.clone().at("/panel"),
        m,
        minutes: true,
    }))
}

/// The closure form's body.
#[derive(Deserialize, Serialize, Default)]
pub struct CloseForm {
    #[serde(default)]
    reason: String,
}

/// `POST /panel/referrals/{id}/close`.
pub async fn close_referral(
    State(st): State<AppState>,
    p: Page,
    Path(rid): Path<String>,
    FormBody(f): FormBody<CloseForm>,
) -> PageResult {
    let rid: Uuid = id(&p, &rid)?;
    match st.app.close_panel_referral(&p.ctx, rid, &f.reason).await {
        Ok(()) => Ok(Redirect::to("/panel").into_response()),
        Err(AppError::Validation(errors)) => {
            overview_page(&st, &p, values_of(&f, "close-"), prefixed(errors, "close-")).await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// The tracker.
#[derive(Template)]
#[template(path = "panel_actions.html")]
pub struct TrackerPage {
    /// Layout.
    pub page: PageCtx,
    /// Data.
    pub t: Tracker,
}

/// `GET /panel/actions`.
pub async fn actions(State(st): State<AppState>, p: Page) -> PageResult {
    let t = st.app.panel_actions(&p.ctx).await.map_err(|e| p.err(e))?;
    Ok(render(&TrackerPage {
        page: p.page.clone().at("/panel/actions"),
        t,
    }))
}

/// One action's update form.
#[derive(Template)]
#[template(path = "panel_action.html")]
pub struct ActionPage {
    /// Layout.
    pub page: PageCtx,
    /// The action.
    pub a: PanelAction,
    /// Values.
    pub values: HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
    /// Statuses.
    pub statuses: Vec<Choice>,
}

impl ActionPage {
    /// A value.
    pub fn v(&self, n: &str) -> &str {
        self.values.get(n).map(String::as_str).unwrap_or("")
    }
    /// An error.
    pub fn e(&self, n: &str) -> &str {
        self.errors.get(n).unwrap_or("")
    }
}

/// `GET /panel/actions/{id}`.
pub async fn action_form(
    State(st): State<AppState>,
    p: Page,
    Path(aid): Path<String>,
) -> PageResult {
    let aid: Uuid = id(&p, &aid)?;
    let a = st
        .app
        .panel_action(&p.ctx, aid)
        .await
        .map_err(|e| p.err(e))?;
    let mut values = HashMap::new();
    values.insert("status".into(), a.status.as_str().into());
    values.insert("notes".into(), a.notes.clone());
    Ok(render(&ActionPage {
        page: p.page.clone().at("/panel/actions"),
        a,
        values,
        errors: FieldErrors::new(),
        statuses: choices(ActionStatus::ALL, |t| (t.as_str(), t.label())),
    }))
}

/// `POST /panel/actions/{id}`.
pub async fn action_submit(
    State(st): State<AppState>,
    p: Page,
    Path(aid): Path<String>,
    FormBody(f): FormBody<ActionUpdate>,
) -> PageResult {
    let aid: Uuid = id(&p, &aid)?;
    match st.app.update_panel_action(&p.ctx, aid, &f).await {
        Ok(_) => Ok(Redirect::to("/panel/actions").into_response()),
        Err(AppError::Validation(errors)) => {
            let a = st
                .app
                .panel_action(&p.ctx, aid)
                .await
                .map_err(|e| p.err(e))?;
            Ok(bad(render(&ActionPage {
                page: p.page.clone().at("/panel/actions"),
                a,
                values: values_of(&f, ""),
                errors,
                statuses: choices(ActionStatus::ALL, |t| (t.as_str(), t.label())),
            })))
        }
        Err(e) => Err(p.err(e)),
    }
}

/// The referral form.
#[derive(Template)]
#[template(path = "panel_refer.html")]
pub struct ReferPage {
    /// Layout.
    pub page: PageCtx,
    /// The child.
    pub child: Child,
    /// Values.
    pub values: HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
    /// Options.
    pub opts: HashMap<&'static str, Vec<Choice>>,
}

impl ReferPage {
    /// A value.
    pub fn v(&self, n: &str) -> &str {
        self.values.get(n).map(String::as_str).unwrap_or("")
    }
    /// An error.
    pub fn e(&self, n: &str) -> &str {
        self.errors.get(n).unwrap_or("")
    }
    /// Options.
    pub fn o(&self, n: &str) -> Vec<Choice> {
        self.opts.get(n).cloned().unwrap_or_default()
    }
}

async fn refer_page(
    st: &AppState,
    p: &Page,
    cid: ChildId,
    values: HashMap<String, String>,
    errors: FieldErrors,
) -> PageResult {
    let child = st
        .app
        .referral_form(&p.ctx, cid)
        .await
        .map_err(|e| p.err(e))?;
    let mut opts = HashMap::new();
    opts.insert(
        "panel_type",
        choices(PanelType::ALL, |t| (t.as_str(), t.label())),
    );
    opts.insert("risk", choices(RiskLevel::ALL, |t| (t.as_str(), t.label())));
    opts.insert(
        "basis",
        LawfulBasis::ALL
            .iter()
            .map(|b| Choice::new(b.as_str(), b.label()))
            .collect(),
    );
    let bad_input = !errors.is_empty();
    let r = render(&ReferPage {
        page: p.page.clone(),
        child,
        values,
        errors,
        opts,
    });
    Ok(if bad_input { bad(r) } else { r })
}

/// `GET /children/{id}/panel-referral/new`.
pub async fn refer_form(
    State(st): State<AppState>,
    p: Page,
    Path(cid): Path<String>,
) -> PageResult {
    let cid: ChildId = id(&p, &cid)?;
    refer_page(&st, &p, cid, HashMap::new(), FieldErrors::new()).await
}

/// `POST /children/{id}/panel-referral/new`.
pub async fn refer_submit(
    State(st): State<AppState>,
    p: Page,
    Path(cid): Path<String>,
    FormBody(f): FormBody<ReferralInput>,
) -> PageResult {
    let cid: ChildId = id(&p, &cid)?;
    match st.app.refer_to_panel(&p.ctx, cid, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/children/{cid}#panel")).into_response()),
        Err(AppError::Validation(errors)) => {
            refer_page(&st, &p, cid, values_of(&f, ""), errors).await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// The privacy officer's information-sharing log.
#[derive(Template)]
#[template(path = "disclosures.html")]
pub struct DisclosuresPage {
    /// Layout.
    pub page: PageCtx,
    /// Newest first.
    pub list: Vec<Disclosure>,
}

/// `GET /privacy/disclosures`.
pub async fn disclosures(State(st): State<AppState>, p: Page) -> PageResult {
    let list = st.app.disclosures(&p.ctx).await.map_err(|e| p.err(e))?;
    Ok(render(&DisclosuresPage {
        page: p.page.clone().at("/privacy"),
        list,
    }))
}

// ---------------------------------------------------------------- API

type ApiResult<T> = Result<T, ApiError>;

/// A referral.
#[derive(Serialize, ToSchema)]
pub struct ReferralOut {
    /// Id.
    pub id: Uuid,
    /// Child.
    pub child_id: Uuid,
    /// Child's name.
    pub child_name: String,
    /// `mace` or `strategy`.
    pub panel_type: String,
    /// Who referred.
    pub referred_by: String,
    /// When.
    pub referred_at: DateTime<Utc>,
    /// Why.
    pub reason: String,
    /// `low`, `medium`, `high`.
    pub risk: String,
    /// Lawful basis.
    pub basis: String,
    /// Consent position.
    pub consent: String,
    /// Next review.
    pub next_review: Option<NaiveDate>,
    /// Closed.
    pub closed_at: Option<DateTime<Utc>>,
}

impl From<Referral> for ReferralOut {
    fn from(r: Referral) -> Self {
        Self {
            id: r.id,
            child_id: r.child_id.0,
            child_name: r.child_name,
            panel_type: r.panel_type.as_str().into(),
            referred_by: r.referred_by_name,
            referred_at: r.referred_at,
            reason: r.reason,
            risk: r.risk.as_str().into(),
            basis: r.basis.as_str().into(),
            consent: r.consent,
            next_review: r.next_review,
            closed_at: r.closed_at,
        }
    }
}

/// A new referral.
#[derive(Deserialize, ToSchema)]
pub struct ReferralCreate {
    /// The child.
    #[serde(default)]
    pub child_id: String,
    /// `mace` or `strategy`.
    #[serde(default)]
    pub panel_type: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
    /// `low`, `medium`, `high`.
    #[serde(default)]
    pub risk: String,
    /// A lawful basis machine name.
    #[serde(default)]
    pub basis: String,
    /// Consent position.
    #[serde(default)]
    pub consent: String,
}

/// Created.
#[derive(Serialize, ToSchema)]
pub struct CreatedOut {
    /// Id.
    pub id: Uuid,
}

/// An action.
#[derive(Serialize, ToSchema)]
pub struct ActionOut {
    /// Id.
    pub id: Uuid,
    /// Meeting.
    pub meeting_id: Uuid,
    /// Child.
    pub child_id: Uuid,
    /// Child's name.
    pub child_name: String,
    /// Kind.
    pub kind: String,
    /// What.
    pub description: String,
    /// Owning agency.
    pub owner: String,
    /// Due.
    pub due_on: NaiveDate,
    /// `open`, `in_progress`, `done`.
    pub status: String,
    /// Notes.
    pub notes: String,
}

impl From<PanelAction> for ActionOut {
    fn from(a: PanelAction) -> Self {
        Self {
            owner: a.owner(),
            id: a.id,
            meeting_id: a.meeting_id,
            child_id: a.child_id.0,
            child_name: a.child_name,
            kind: a.kind.as_str().into(),
            description: a.description,
            due_on: a.due_on,
            status: a.status.as_str().into(),
            notes: a.notes,
        }
    }
}

/// An update to an action.
#[derive(Deserialize, ToSchema)]
pub struct ActionPatch {
    /// `open`, `in_progress`, `done`.
    #[serde(default)]
    pub status: String,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// A child discussed at a meeting.
#[derive(Serialize, ToSchema)]
pub struct DiscussionOut {
    /// Child.
    pub child_id: Uuid,
    /// Child's name.
    pub child_name: String,
    /// What was discussed.
    pub discussion: String,
    /// Risk.
    pub risk: String,
    /// Decisions.
    pub decisions: String,
    /// Next review.
    pub next_review: NaiveDate,
}

/// A meeting.
#[derive(Serialize, ToSchema)]
pub struct MeetingOut {
    /// Id.
    pub id: Uuid,
    /// Panel.
    pub panel_type: String,
    /// Day.
    pub held_on: NaiveDate,
    /// Chair.
    pub chair: String,
    /// Attendees: name and agency.
    pub attendees: Vec<String>,
    /// Children still on the agenda.
    pub agenda: Vec<String>,
    /// Discussions.
    pub discussions: Vec<DiscussionOut>,
    /// Actions.
    pub actions: Vec<ActionOut>,
}

/// Open referrals (the panel coordinator).
#[utoipa::path(get, path = "/api/v1/panel/referrals", responses((status = 200, body = [ReferralOut]), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_referrals(
    State(st): State<AppState>,
    ctx: ApiCtx,
) -> ApiResult<Json<Vec<ReferralOut>>> {
    let o = st
        .app
        .panel_overview(&ctx.0)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(o.referrals.into_iter().map(Into::into).collect()))
}

/// Refer a child to a panel.
#[utoipa::path(post, path = "/api/v1/panel/referrals", request_body = ReferralCreate, responses((status = 201, body = CreatedOut), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_refer(
    State(st): State<AppState>,
    ctx: ApiCtx,
    crate::api::ApiJson(b): crate::api::ApiJson<ReferralCreate>,
) -> ApiResult<Response> {
    let Ok(child) = b.child_id.parse::<ChildId>() else {
        return Err(ctx.err(AppError::NotFound));
    };
    let input = ReferralInput {
        panel_type: b.panel_type,
        reason: b.reason,
        risk: b.risk,
        basis: b.basis,
        consent: b.consent,
    };
    let id = st
        .app
        .refer_to_panel(&ctx.0, child, &input)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok((StatusCode::CREATED, Json(CreatedOut { id })).into_response())
}

/// A meeting with its agenda, discussions and actions.
#[utoipa::path(get, path = "/api/v1/panel/meetings/{id}", params(("id" = String, Path)), responses((status = 200, body = MeetingOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_meeting(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(mid): Path<String>,
) -> ApiResult<Json<MeetingOut>> {
    let mid: Uuid = mid.parse().map_err(|_| ctx.err(AppError::NotFound))?;
    let m = st
        .app
        .panel_meeting(&ctx.0, mid, "meeting.api")
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(MeetingOut {
        id: m.meeting.id,
        panel_type: m.meeting.panel_type.as_str().into(),
        held_on: m.meeting.held_on,
        chair: m.meeting.chair,
        attendees: m
            .attendees
            .into_iter()
            .map(|a| format!("{} ({})", a.name, a.agency))
            .collect(),
        agenda: m.agenda.into_iter().map(|a| a.child_name).collect(),
        discussions: m
            .discussions
            .into_iter()
            .map(|d| DiscussionOut {
                child_id: d.child_id.0,
                child_name: d.child_name,
                discussion: d.discussion,
                risk: d.risk.as_str().into(),
                decisions: d.decisions,
                next_review: d.next_review,
            })
            .collect(),
        actions: m.actions.into_iter().map(Into::into).collect(),
    }))
}

/// The action tracker: every agency's (coordinator) or one's own organisation's (partner).
#[utoipa::path(get, path = "/api/v1/panel/actions", responses((status = 200, body = [ActionOut]), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_actions(
    State(st): State<AppState>,
    ctx: ApiCtx,
) -> ApiResult<Json<Vec<ActionOut>>> {
    let t = st.app.panel_actions(&ctx.0).await.map_err(|e| ctx.err(e))?;
    Ok(Json(t.actions.into_iter().map(Into::into).collect()))
}

/// Update an action's status and notes (a partner: its own organisation's actions only).
#[utoipa::path(patch, path = "/api/v1/panel/actions/{id}", params(("id" = String, Path)), request_body = ActionPatch, responses((status = 200, body = ActionOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_update_action(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(aid): Path<String>,
    crate::api::ApiJson(b): crate::api::ApiJson<ActionPatch>,
) -> ApiResult<Json<ActionOut>> {
    let aid: Uuid = aid.parse().map_err(|_| ctx.err(AppError::NotFound))?;
    let a = st
        .app
        .update_panel_action(
            &ctx.0,
            aid,
            &ActionUpdate {
                status: b.status,
                notes: b.notes,
            },
        )
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(a.into()))
}

/// The form to record a disclosure or a refusal by hand.
#[derive(Template)]
#[template(path = "disclosure_form.html")]
pub struct DisclosureFormPage {
    /// Layout.
    pub page: PageCtx,
    /// The child.
    pub child: Child,
    /// Values.
    pub values: HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
    /// Options.
    pub opts: HashMap<&'static str, Vec<Choice>>,
}

impl DisclosureFormPage {
    /// A value.
    pub fn v(&self, n: &str) -> String {
        self.values.get(n).cloned().unwrap_or_default()
    }
    /// An error ("" if none).
    pub fn e(&self, n: &str) -> String {
        self.errors.get(n).unwrap_or_default().to_string()
    }
    /// Options.
    pub fn o(&self, n: &str) -> Vec<Choice> {
        self.opts.get(n).cloned().unwrap_or_default()
    }
}

async fn disclosure_page(
    st: &AppState,
    p: &Page,
    cid: ChildId,
    values: HashMap<String, String>,
    errors: FieldErrors,
) -> PageResult {
    let child = st
        .app
        .child_for_action(&p.ctx, cid, harbour_domain::authz::ChildAction::Share)
        .await
        .map_err(|e| p.err(e))?;
    let mut opts = HashMap::new();
    opts.insert(
        "outcome",
        choices(DisclosureOutcome::ALL, |t| (t.as_str(), t.label())),
    );
    opts.insert(
        "basis",
        LawfulBasis::ALL
            .iter()
            .map(|b| Choice::new(b.as_str(), b.label()))
            .collect(),
    );
    opts.insert(
        "org",
        st.app
            .share_targets()
            .await
            .map_err(|e| p.err(e))?
            .into_iter()
            .map(|o| Choice::new(o.id.to_string(), o.name))
            .collect(),
    );
    opts.insert(
        "decided_by",
        st.app
            .decision_makers(&p.ctx)
            .await
            .map_err(|e| p.err(e))?
            .into_iter()
            .map(|u| Choice::new(u.id.to_string(), format!("{} ({})", u.name, u.role.label())))
            .collect(),
    );
    let bad_input = !errors.is_empty();
    let r = render(&DisclosureFormPage {
        page: p.page.clone(),
        child,
        values,
        errors,
        opts,
    });
    Ok(if bad_input { bad(r) } else { r })
}

/// `GET /children/{id}/disclosures/new`.
pub async fn disclosure_form(
    State(st): State<AppState>,
    p: Page,
    Path(cid): Path<String>,
) -> PageResult {
    let cid: ChildId = id(&p, &cid)?;
    disclosure_page(&st, &p, cid, HashMap::new(), FieldErrors::new()).await
}

/// `POST /children/{id}/disclosures/new`.
pub async fn disclosure_submit(
    State(st): State<AppState>,
    p: Page,
    Path(cid): Path<String>,
    FormBody(f): FormBody<harbour_app::panel::DisclosureInput>,
) -> PageResult {
    let cid: ChildId = id(&p, &cid)?;
    match st.app.record_disclosure(&p.ctx, cid, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/children/{cid}#information-shared")).into_response()),
        Err(AppError::Validation(errors)) => {
            disclosure_page(&st, &p, cid, values_of(&f, ""), errors).await
        }
        Err(e) => Err(p.err(e)),
    }
}
