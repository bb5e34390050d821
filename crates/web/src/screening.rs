//! Exploitation screening and escalation: the child's "Exploitation
//! screening" page, the screening form, the queue of proposed panel
//! referrals and the decision on one, and the API. Handlers extract, call
//! one `App` function and render.

use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::extract::{ApiCtx, FormBody, Page};
use crate::views::{PageCtx, render};
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use harbour_app::AppError;
use harbour_app::screening::{ProposalView, QueueRow, ScreeningInput, ScreeningView, TickInput};
use harbour_domain::ids::ChildId;
use harbour_domain::model::Child;
use harbour_domain::screening::{ScreeningConfig, Trend};
use harbour_domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

type PageResult = Result<Response, PageError>;

fn child_id(p: &Page, s: &str) -> Result<ChildId, PageError> {
    s.parse().map_err(|_| p.err(AppError::NotFound))
}

/// A trend's label, for templates.
pub fn trend_label(t: impl crate::views::Val<Option<Trend>>) -> &'static str {
    t.val().map_or("First screening", Trend::label)
}

/// `?saved=…` after a save.
#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// The "Exploitation screening" page.
#[derive(Template)]
#[template(path = "screening.html")]
pub struct ScreeningPage {
    /// Layout.
    pub page: PageCtx,
    /// What to show.
    pub v: ScreeningView,
    /// Just saved.
    pub saved: bool,
}

impl ScreeningPage {
    /// The trend of the i-th screening (newest first) against the one before.
    pub fn trend_at(&self, i: impl crate::views::Val<usize>) -> &'static str {
        trend_label(self.v.trends.get(i.val()).copied().flatten())
    }
}

/// The child's screening history, trend, CIN factors and proposals.
pub async fn view(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    let id = child_id(&p, &id)?;
    let v = st
        .app
        .screening_view(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&ScreeningPage {
        page: p.page.clone(),
        v,
        saved: q.saved.is_some(),
    }))
}

/// The screening form.
#[derive(Template)]
#[template(path = "screening_form.html")]
pub struct FormPage {
    /// Layout.
    pub page: PageCtx,
    /// The child.
    pub child: Child,
    /// Age today.
    pub age: u32,
    /// Indicator sets and scale.
    pub cfg: ScreeningConfig,
    /// What was typed.
    pub input: ScreeningInput,
    /// Problems.
    pub errors: FieldErrors,
}

impl FormPage {
    fn tick(&self, id: &str) -> Option<&TickInput> {
        self.input.indicators.iter().find(|t| t.id == id)
    }
    /// Whether an indicator is ticked.
    pub fn ticked(&self, id: &str) -> bool {
        self.tick(id).is_some()
    }
    /// Its evidence.
    pub fn evidence(&self, id: &str) -> &str {
        self.tick(id).map_or("", |t| t.evidence.as_str())
    }
    /// Whether its basis is gut feeling.
    pub fn gut(&self, id: &str) -> bool {
        self.tick(id).is_some_and(|t| t.basis == "gut_feeling")
    }
    /// The error for a field.
    pub fn e(&self, name: &str) -> &str {
        self.errors.get(name).unwrap_or("")
    }
    /// The error for an indicator's evidence.
    pub fn ev_err(&self, id: &str) -> &str {
        self.errors.get(&format!("evidence_{id}")).unwrap_or("")
    }
}

async fn form_page(
    st: &AppState,
    p: &Page,
    id: ChildId,
    input: ScreeningInput,
    errors: FieldErrors,
) -> PageResult {
    let (child, age) = st
        .app
        .screening_form(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    let bad = !errors.is_empty();
    let mut r = render(&FormPage {
        page: p.page.clone(),
        child,
        age,
        cfg: st.app.config.screening.clone(),
        input,
        errors,
    });
    if bad {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// The form for a new screening.
pub async fn form(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id = child_id(&p, &id)?;
    form_page(&st, &p, id, ScreeningInput::default(), FieldErrors::new()).await
}

/// Save a screening.
pub async fn submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> PageResult {
    let id = child_id(&p, &id)?;
    let input = ScreeningInput::from_pairs(&pairs);
    match st.app.record_screening(&p.ctx, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/children/{id}/screening?saved=1")).into_response()),
        Err(AppError::Validation(errors)) => form_page(&st, &p, id, input, errors).await,
        Err(e) => Err(p.err(e)),
    }
}

/// The queue of proposed panel referrals.
#[derive(Template)]
#[template(path = "escalations.html")]
pub struct QueuePage {
    /// Layout.
    pub page: PageCtx,
    /// Waiting proposals.
    pub rows: Vec<QueueRow>,
    /// Just decided.
    pub saved: Option<String>,
}

/// Proposals waiting for a decision.
pub async fn queue(State(st): State<AppState>, p: Page, Query(q): Query<SavedQuery>) -> PageResult {
    let rows = st
        .app
        .escalation_queue(&p.ctx)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&QueuePage {
        page: p.page.clone(),
        rows,
        saved: q.saved,
    }))
}

/// One proposal and the decision form.
#[derive(Template)]
#[template(path = "escalation.html")]
pub struct ProposalPage {
    /// Layout.
    pub page: PageCtx,
    /// The proposal.
    pub v: ProposalView,
    /// Chosen decision.
    pub decision: String,
    /// Typed reason.
    pub reason: String,
    /// Problems.
    pub errors: FieldErrors,
}

impl ProposalPage {
    /// The error for a field.
    pub fn e(&self, name: &str) -> &str {
        self.errors.get(name).unwrap_or("")
    }
}

fn proposal_id(p: &Page, s: &str) -> Result<uuid::Uuid, PageError> {
    s.parse().map_err(|_| p.err(AppError::NotFound))
}

async fn proposal_page(
    st: &AppState,
    p: &Page,
    id: uuid::Uuid,
    decision: String,
    reason: String,
    errors: FieldErrors,
) -> PageResult {
    let v = st.app.escalation(&p.ctx, id).await.map_err(|e| p.err(e))?;
    let bad = !errors.is_empty();
    let mut r = render(&ProposalPage {
        page: p.page.clone(),
        v,
        decision,
        reason,
        errors,
    });
    if bad {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// A proposal, with the form to accept or decline it.
pub async fn proposal(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id = proposal_id(&p, &id)?;
    proposal_page(
        &st,
        &p,
        id,
        String::new(),
        String::new(),
        FieldErrors::new(),
    )
    .await
}

/// The decision form.
#[derive(Deserialize, Default)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

/// Accept or decline a proposal.
pub async fn decide(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<DecideForm>,
) -> PageResult {
    let id = proposal_id(&p, &id)?;
    match st
        .app
        .decide_escalation(&p.ctx, id, &f.decision, &f.reason)
        .await
    {
        Ok(child) => Ok(
            Redirect::to(&format!("/children/{child}/screening?saved=decision")).into_response(),
        ),
        Err(AppError::Validation(errors)) => {
            proposal_page(&st, &p, id, f.decision, f.reason, errors).await
        }
        Err(e) => Err(p.err(e)),
    }
}

// ---------------------------------------------------------------------------
// API
// ---------------------------------------------------------------------------

/// One indicator ticked.
#[derive(Serialize, Deserialize, ToSchema, Default)]
pub struct TickApi {
    /// Indicator id from the configured sets (for example `older_boyfriend`).
    #[serde(default)]
    pub id: String,
    /// Evidence in the practitioner's words (required).
    #[serde(default)]
    pub evidence: String,
    /// `evidence` (default) or `gut_feeling`.
    #[serde(default)]
    pub basis: String,
}

/// A new screening.
#[derive(Deserialize, ToSchema, Default)]
pub struct ScreeningCreate {
    /// Indicators ticked.
    #[serde(default)]
    pub indicators: Vec<TickApi>,
    /// Risk level, one of the configured scale.
    #[serde(default)]
    pub level: String,
    /// Peers of concern.
    #[serde(default)]
    pub peers: String,
    /// Why this level.
    #[serde(default)]
    pub summary: String,
}

/// A screening.
#[derive(Serialize, ToSchema)]
pub struct ScreeningOut {
    /// Id.
    pub id: uuid::Uuid,
    /// Age when screened.
    pub age: u32,
    /// Risk level.
    pub level: String,
    /// The level the rules suggested.
    pub suggested: String,
    /// The under-13 rule flagged potential exploitation.
    pub under_13: bool,
    /// Indicators ticked.
    pub indicators: Vec<TickApi>,
    /// Peers of concern.
    pub peers: String,
    /// Why this level.
    pub summary: String,
    /// By.
    pub recorded_by: String,
    /// At.
    pub recorded_at: DateTime<Utc>,
}

/// A proposed panel referral.
#[derive(Serialize, ToSchema)]
pub struct ProposalOut {
    /// Id.
    pub id: uuid::Uuid,
    /// Grounds, for people.
    pub grounds: String,
    /// `pending`, `accepted` or `declined`.
    pub status: String,
    /// Proposed at.
    pub proposed_at: DateTime<Utc>,
    /// Decided by.
    pub decided_by: Option<String>,
    /// Decided at.
    pub decided_at: Option<DateTime<Utc>>,
    /// Reason given.
    pub reason: Option<String>,
}

/// A child's screenings.
#[derive(Serialize, ToSchema)]
pub struct ScreeningsOut {
    /// Newest first.
    pub screenings: Vec<ScreeningOut>,
    /// `up`, `down` or `same` from the one before to the latest.
    pub trend: Option<String>,
    /// CIN census assessment factors the latest points to.
    pub cin_factors: Vec<String>,
    /// Proposed panel referrals, newest first.
    pub proposals: Vec<ProposalOut>,
}

/// Created.
#[derive(Serialize, ToSchema)]
pub struct ScreeningCreated {
    /// Id.
    pub id: uuid::Uuid,
    /// The under-13 rule flagged potential exploitation.
    pub under_13: bool,
    /// The level the rules suggested.
    pub suggested: String,
}

fn api_child(ctx: &ApiCtx, s: &str) -> Result<ChildId, ApiError> {
    s.parse().map_err(|_| ctx.err(AppError::NotFound))
}

/// A child's exploitation screenings (newest first) with the trend, CIN
/// census factors and proposed panel referrals. Audited as `screening.list`.
#[utoipa::path(get, path = "/api/v1/children/{id}/screenings", params(("id" = String, Path)), responses((status = 200, body = ScreeningsOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_list(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> Result<Json<ScreeningsOut>, ApiError> {
    let id = api_child(&ctx, &id)?;
    let s = st
        .app
        .screenings(&ctx.0, id)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(ScreeningsOut {
        trend: s.trend.map(|t| {
            match t {
                Trend::Up => "up",
                Trend::Down => "down",
                Trend::Same => "same",
            }
            .to_string()
        }),
        cin_factors: s.cin_factors.clone(),
        proposals: s
            .proposals
            .iter()
            .map(|p| ProposalOut {
                id: p.id,
                grounds: p.detail.clone(),
                status: p.status.code().into(),
                proposed_at: p.proposed_at,
                decided_by: p.decided_by_name.clone(),
                decided_at: p.decided_at,
                reason: p.reason.clone(),
            })
            .collect(),
        screenings: s
            .screenings
            .into_iter()
            .map(|x| ScreeningOut {
                id: x.id,
                age: x.age,
                level: x.level,
                suggested: x.suggested,
                under_13: x.under_13,
                indicators: x
                    .ticks
                    .into_iter()
                    .map(|t| TickApi {
                        id: t.indicator,
                        evidence: t.evidence,
                        basis: t.basis.code().into(),
                    })
                    .collect(),
                peers: x.peers,
                summary: x.summary,
                recorded_by: x.recorded_by_name,
                recorded_at: x.recorded_at,
            })
            .collect(),
    }))
}

/// Record an exploitation screening. The escalation rules run in the same
/// transaction and may propose a panel referral. Audited as
/// `screening.create`.
#[utoipa::path(post, path = "/api/v1/children/{id}/screenings", params(("id" = String, Path)), request_body = ScreeningCreate, responses((status = 201, body = ScreeningCreated), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_create(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
    crate::api::ApiJson(b): crate::api::ApiJson<ScreeningCreate>,
) -> Result<Response, ApiError> {
    let id = api_child(&ctx, &id)?;
    let input = ScreeningInput {
        indicators: b
            .indicators
            .into_iter()
            .map(|t| TickInput {
                id: t.id,
                evidence: t.evidence,
                basis: t.basis,
            })
            .collect(),
        level: b.level,
        peers: b.peers,
        summary: b.summary,
    };
    let s = st
        .app
        .record_screening(&ctx.0, id, &input)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok((
        StatusCode::CREATED,
        Json(ScreeningCreated {
            id: s.id,
            under_13: s.under_13,
            suggested: s.suggested,
        }),
    )
        .into_response())
}
