//! The JSON API under `/api/v1`, for partner systems. Bearer tokens
//! (`harbour token create`), RFC 9457 problem documents for every error, and
//! an OpenAPI 3.1 document generated from these handlers at
//! `/api/v1/openapi.json`. The same policy and audit apply as for pages.

use crate::AppState;
use crate::error::{ApiError, ProblemField, problem};
use crate::extract::{ApiCtx, Rid};
use axum::Json;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_app::AppError;
use harbour_app::children::{ChildListItem, DecisionInput, NewChildInput, NoteInput, Reach};
use harbour_domain::calendar;
use harbour_domain::ids::ChildId;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

/// A JSON body; malformed JSON is a 400 problem, wrong shapes a 422 problem.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send> FromRequest<AppState> for ApiJson<T> {
    type Rejection = Response;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let rid = req
            .extensions()
            .get::<crate::middleware::RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Send application/json",
                None,
                vec![],
                &rid,
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| {
                problem(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too-large",
                    "The body is too large",
                    None,
                    vec![],
                    &rid,
                )
            })?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        match T::deserialize(de) {
            Ok(v) => Ok(ApiJson(v)),
            Err(e) if e.is_syntax() || e.is_eof() => Err(problem(
                StatusCode::BAD_REQUEST,
                "malformed-json",
                "The body is not valid JSON",
                Some(format!("line {}, column {}", e.line(), e.column())),
                vec![],
                &rid,
            )),
            Err(e) => Err(problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "The request has problems",
                None,
                vec![ProblemField {
                    field: "body".into(),
                    message: e.to_string(),
                }],
                &rid,
            )),
        }
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// A child in a list.
#[derive(Serialize, ToSchema)]
pub struct ChildSummary {
    /// Id.
    pub id: uuid::Uuid,
    /// LA child id.
    pub la_child_id: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Date of birth (absent for restricted records you cannot open).
    pub dob: Option<NaiveDate>,
    /// Allocated worker.
    pub allocated_worker: Option<String>,
    /// Whether you can open the record (false: break-glass needed).
    pub can_open: bool,
}

impl From<ChildListItem> for ChildSummary {
    fn from(i: ChildListItem) -> Self {
        let open = i.reach == Reach::Open;
        ChildSummary {
            id: i.child.id.0,
            la_child_id: i.child.la_child_id,
            first_name: i.child.first_name,
            last_name: i.child.last_name,
            dob: (open || !i.child.restricted).then_some(i.child.dob),
            allocated_worker: i.worker_name,
            can_open: open,
        }
    }
}

/// A child's record as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct ChildDetail {
    /// Id.
    pub id: uuid::Uuid,
    /// LA child id.
    pub la_child_id: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Date of birth.
    pub dob: NaiveDate,
    /// M, F or U (absent when only the summary is shared with you).
    pub sex: Option<String>,
    /// DfE ethnicity code (absent when only the summary is shared with you).
    pub ethnicity: Option<String>,
    /// UPN (absent when only the summary is shared with you).
    pub upn: Option<String>,
    /// NHS number (absent when only the summary is shared with you).
    pub nhs_number: Option<String>,
    /// Responsible LA code.
    pub responsible_la: String,
    /// Host LA code.
    pub host_la: Option<String>,
    /// Restricted record.
    pub restricted: bool,
    /// Allocated worker.
    pub allocated_worker: Option<String>,
    /// Active alerts.
    pub alerts: Vec<String>,
    /// Whether notes and decisions are visible to you.
    pub full_record: bool,
}

/// A case note.
#[derive(Serialize, ToSchema)]
pub struct NoteOut {
    /// Id.
    pub id: uuid::Uuid,
    /// Kind.
    pub kind: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Author.
    pub author: String,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Significant.
    pub significant: bool,
}

/// A decision.
#[derive(Serialize, ToSchema)]
pub struct DecisionOut {
    /// Id.
    pub id: uuid::Uuid,
    /// Decided by.
    pub decided_by: String,
    /// Recorded by.
    pub recorded_by: String,
    /// When decided.
    pub decided_at: DateTime<Utc>,
    /// When recorded.
    pub recorded_at: DateTime<Utc>,
    /// The decision.
    pub decision: String,
    /// Why.
    pub rationale: String,
}

/// A chronology entry.
#[derive(Serialize, ToSchema)]
pub struct ChronologyOut {
    /// When.
    pub at: DateTime<Utc>,
    /// Source record kind.
    pub source: String,
    /// Summary.
    pub summary: String,
    /// Significant.
    pub significant: bool,
}

/// An allocation period.
#[derive(Serialize, ToSchema)]
pub struct AllocationOut {
    /// Worker.
    pub worker: String,
    /// From.
    pub start_date: NaiveDate,
    /// To.
    pub end_date: Option<NaiveDate>,
    /// SSDA903 SW_REASON code.
    pub sw_reason: String,
}

/// A new note.
#[derive(Deserialize, ToSchema)]
pub struct NoteCreate {
    /// visit, contact, meeting, case_discussion, management_oversight or other.
    pub kind: String,
    /// When it happened (RFC 3339).
    pub occurred_at: DateTime<Utc>,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Significant.
    #[serde(default)]
    pub significant: bool,
}

/// A new decision.
#[derive(Deserialize, ToSchema)]
pub struct DecisionCreate {
    /// The manager who decided (user id); omit for yourself.
    #[serde(default)]
    pub decided_by: Option<uuid::Uuid>,
    /// When it was decided (RFC 3339).
    pub decided_at: DateTime<Utc>,
    /// The decision.
    pub decision: String,
    /// Why.
    pub rationale: String,
    /// Significant.
    #[serde(default)]
    pub significant: bool,
}

/// A new child.
#[derive(Deserialize, ToSchema)]
pub struct ChildCreate {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Date of birth.
    pub dob: NaiveDate,
    /// M, F or U.
    pub sex: String,
    /// DfE ethnicity code.
    pub ethnicity: String,
    /// UPN.
    #[serde(default)]
    pub upn: Option<String>,
    /// NHS number.
    #[serde(default)]
    pub nhs_number: Option<String>,
    /// Responsible LA (default: the home authority).
    #[serde(default)]
    pub responsible_la: Option<String>,
    /// Host LA.
    #[serde(default)]
    pub host_la: Option<String>,
}

/// Identifier of something created.
#[derive(Serialize, ToSchema)]
pub struct Created {
    /// Id.
    pub id: uuid::Uuid,
}

/// A member of staff.
#[derive(Serialize, ToSchema)]
pub struct StaffOut {
    /// Id.
    pub id: uuid::Uuid,
    /// Name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Team.
    pub team_id: Option<uuid::Uuid>,
    /// Newly qualified (ASYE) since.
    pub asye_start: Option<NaiveDate>,
    /// Active.
    pub active: bool,
}

/// A team.
#[derive(Serialize, ToSchema)]
pub struct TeamOut {
    /// Id.
    pub id: uuid::Uuid,
    /// Name.
    pub name: String,
    /// Manager.
    pub manager_id: Option<uuid::Uuid>,
    /// Pod.
    pub pod_id: Option<uuid::Uuid>,
}

/// A search: in the body, so names never appear in URLs or logs.
#[derive(Deserialize, ToSchema)]
pub struct Search {
    /// Name (part or misspelt), date of birth or identifier (UPN, NHS number, LA child id).
    pub q: String,
}

fn child_id(ctx: &ApiCtx, s: &str) -> ApiResult<ChildId> {
    s.parse().map_err(|_| ctx.err(AppError::NotFound))
}

fn london_parts(t: DateTime<Utc>) -> (String, String, String, String) {
    let l = calendar::to_london(t);
    (
        l.format("%d").to_string(),
        l.format("%m").to_string(),
        l.format("%Y").to_string(),
        l.format("%H:%M").to_string(),
    )
}

/// Search children.
#[utoipa::path(post, path = "/api/v1/children/search", request_body = Search, responses((status = 200, body = [ChildSummary]), (status = 401, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn search(
    State(st): State<AppState>,
    ctx: ApiCtx,
    ApiJson(q): ApiJson<Search>,
) -> ApiResult<Json<Vec<ChildSummary>>> {
    let r = st
        .app
        .search_children(&ctx.0, &q.q)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(r.into_iter().map(Into::into).collect()))
}

/// The caller's children: allocated to them, in their team or pod, waiting for allocation, or shared with their organisation.
#[utoipa::path(get, path = "/api/v1/children", responses((status = 200, body = [ChildSummary]), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn list(State(st): State<AppState>, ctx: ApiCtx) -> ApiResult<Json<Vec<ChildSummary>>> {
    let w = st.app.my_work(&ctx.0).await.map_err(|e| ctx.err(e))?;
    let mut seen = std::collections::HashSet::new();
    let all = w
        .mine
        .into_iter()
        .chain(w.team)
        .chain(w.unallocated)
        .chain(w.shared)
        .filter(|i| seen.insert(i.child.id));
    Ok(Json(all.map(Into::into).collect()))
}

/// Create a child.
#[utoipa::path(post, path = "/api/v1/children", request_body = ChildCreate, responses((status = 201, body = Created), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn create_child(
    State(st): State<AppState>,
    ctx: ApiCtx,
    ApiJson(b): ApiJson<ChildCreate>,
) -> ApiResult<Response> {
    use chrono::Datelike;
    let input = NewChildInput {
        first_name: b.first_name,
        last_name: b.last_name,
        dob_day: b.dob.day().to_string(),
        dob_month: b.dob.month().to_string(),
        dob_year: b.dob.year().to_string(),
        sex: b.sex,
        ethnicity: b.ethnicity,
        upn: b.upn.unwrap_or_default(),
        nhs_number: b.nhs_number.unwrap_or_default(),
        responsible_la: b.responsible_la.unwrap_or_default(),
        host_la: b.host_la.unwrap_or_default(),
        ..Default::default()
    };
    let id = st
        .app
        .create_child(&ctx.0, &input)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0 })).into_response())
}

/// A child's record.
#[utoipa::path(get, path = "/api/v1/children/{id}", params(("id" = String, Path)), responses((status = 200, body = ChildDetail), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn child(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<ChildDetail>> {
    let id = child_id(&ctx, &id)?;
    let r = st
        .app
        .child_record(&ctx.0, id)
        .await
        .map_err(|e| ctx.err(e))?;
    let c = r.child;
    Ok(Json(ChildDetail {
        id: c.id.0,
        la_child_id: c.la_child_id,
        first_name: c.first_name,
        last_name: c.last_name,
        dob: c.dob,
        sex: r.full.then(|| c.sex.as_str().to_string()),
        ethnicity: r.full.then_some(c.ethnicity),
        upn: c.upn.filter(|_| r.full),
        nhs_number: c.nhs_number.filter(|_| r.full),
        responsible_la: c.responsible_la,
        host_la: c.host_la,
        restricted: c.restricted,
        allocated_worker: r.worker_name,
        alerts: r.alerts.into_iter().map(|a| a.text).collect(),
        full_record: r.full,
    }))
}

async fn full_record(
    st: &AppState,
    ctx: &ApiCtx,
    id: &str,
) -> ApiResult<harbour_app::children::ChildRecord> {
    let id = child_id(ctx, id)?;
    let r = st
        .app
        .child_record(&ctx.0, id)
        .await
        .map_err(|e| ctx.err(e))?;
    if !r.full {
        return Err(ctx.err(AppError::Forbidden(None)));
    }
    Ok(r)
}

/// A child's case notes.
#[utoipa::path(get, path = "/api/v1/children/{id}/notes", params(("id" = String, Path)), responses((status = 200, body = [NoteOut]), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn notes(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<NoteOut>>> {
    let r = full_record(&st, &ctx, &id).await?;
    Ok(Json(
        r.notes
            .into_iter()
            .map(|n| NoteOut {
                id: n.id.0,
                kind: n.kind.as_str().into(),
                occurred_at: n.occurred_at,
                recorded_at: n.recorded_at,
                author: n.author_name,
                subject: n.subject,
                body: n.body,
                significant: n.significant,
            })
            .collect(),
    ))
}

/// Record a case note.
#[utoipa::path(post, path = "/api/v1/children/{id}/notes", params(("id" = String, Path)), request_body = NoteCreate, responses((status = 201, body = Created), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn create_note(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NoteCreate>,
) -> ApiResult<Response> {
    let id = child_id(&ctx, &id)?;
    let (day, month, year, time) = london_parts(b.occurred_at);
    let input = NoteInput {
        kind: b.kind,
        day,
        month,
        year,
        time,
        subject: b.subject,
        body: b.body,
        significant: b.significant.then(|| "yes".into()),
    };
    let nid = st.app.add_note(&ctx.0, id, &input).await.map_err(|e| {
        ctx.err(api_field_names(
            e,
            &[("day", "occurred_at"), ("time", "occurred_at")],
        ))
    })?;
    Ok((StatusCode::CREATED, Json(Created { id: nid.0 })).into_response())
}

/// A child's decisions.
#[utoipa::path(get, path = "/api/v1/children/{id}/decisions", params(("id" = String, Path)), responses((status = 200, body = [DecisionOut])), security(("bearer" = [])))]
pub async fn decisions(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DecisionOut>>> {
    let r = full_record(&st, &ctx, &id).await?;
    Ok(Json(
        r.decisions
            .into_iter()
            .map(|d| DecisionOut {
                id: d.id.0,
                decided_by: d.decided_by_name,
                recorded_by: d.recorded_by_name,
                decided_at: d.decided_at,
                recorded_at: d.recorded_at,
                decision: d.decision,
                rationale: d.rationale,
            })
            .collect(),
    ))
}

/// Record a decision.
#[utoipa::path(post, path = "/api/v1/children/{id}/decisions", params(("id" = String, Path)), request_body = DecisionCreate, responses((status = 201, body = Created), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn create_decision(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<DecisionCreate>,
) -> ApiResult<Response> {
    let id = child_id(&ctx, &id)?;
    let (day, month, year, time) = london_parts(b.decided_at);
    let input = DecisionInput {
        decided_by: b.decided_by.map(|u| u.to_string()).unwrap_or_default(),
        day,
        month,
        year,
        time,
        decision: b.decision,
        rationale: b.rationale,
        significant: b.significant.then(|| "yes".into()),
    };
    let did = st.app.add_decision(&ctx.0, id, &input).await.map_err(|e| {
        ctx.err(api_field_names(
            e,
            &[("day", "decided_at"), ("time", "decided_at")],
        ))
    })?;
    Ok((StatusCode::CREATED, Json(Created { id: did.0 })).into_response())
}

/// A child's chronology.
#[utoipa::path(get, path = "/api/v1/children/{id}/chronology", params(("id" = String, Path)), responses((status = 200, body = [ChronologyOut])), security(("bearer" = [])))]
pub async fn chronology(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ChronologyOut>>> {
    let r = full_record(&st, &ctx, &id).await?;
    Ok(Json(
        r.chronology
            .into_iter()
            .map(|e| ChronologyOut {
                at: e.at,
                source: e.source,
                summary: e.summary,
                significant: e.significant,
            })
            .collect(),
    ))
}

/// A child's allocation history.
#[utoipa::path(get, path = "/api/v1/children/{id}/allocations", params(("id" = String, Path)), responses((status = 200, body = [AllocationOut])), security(("bearer" = [])))]
pub async fn allocations(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<AllocationOut>>> {
    let r = full_record(&st, &ctx, &id).await?;
    Ok(Json(
        r.allocations
            .into_iter()
            .map(|a| AllocationOut {
                worker: a.worker_name,
                start_date: a.start_date,
                end_date: a.end_date,
                sw_reason: a.sw_reason,
            })
            .collect(),
    ))
}

/// Staff.
#[utoipa::path(get, path = "/api/v1/staff", responses((status = 200, body = [StaffOut]), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn staff(State(st): State<AppState>, ctx: ApiCtx) -> ApiResult<Json<Vec<StaffOut>>> {
    let d = st
        .app
        .staff_directory(&ctx.0)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(
        d.users
            .into_iter()
            .map(|u| StaffOut {
                id: u.id.0,
                name: u.name,
                role: u.role.as_str().into(),
                team_id: u.team_id.map(|t| t.0),
                asye_start: u.asye_start,
                active: u.disabled_at.is_none(),
            })
            .collect(),
    ))
}

/// One worker's caseload figures.
#[derive(Serialize, ToSchema)]
pub struct CaseloadOut {
    /// The worker.
    pub worker_id: uuid::Uuid,
    /// Name.
    pub name: String,
    /// Team.
    pub team_id: Option<uuid::Uuid>,
    /// In their ASYE year (protected caseload).
    pub asye: bool,
    /// Agency worker.
    pub agency: bool,
    /// FTE in hundredths.
    pub fte_hundredths: i32,
    /// Children allocated now: the raw count the DfE workforce census uses.
    pub children: u32,
    /// Weighted load in points.
    pub points: u32,
    /// Capacity in points (FTE, and the ASYE protected cap).
    pub capacity_points: u32,
    /// Load as a percentage of capacity.
    pub percent: u32,
    /// `green`, `amber` or `red`.
    pub status: String,
}

/// Weighted caseloads of every case-holding worker, with the raw count beside each.
#[utoipa::path(get, path = "/api/v1/caseloads", responses((status = 200, body = [CaseloadOut]), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn caseloads(
    State(st): State<AppState>,
    ctx: ApiCtx,
) -> ApiResult<Json<Vec<CaseloadOut>>> {
    let d = st
        .app
        .service_caseloads(&ctx.0)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(
        d.workers
            .into_iter()
            .map(|w| CaseloadOut {
                worker_id: w.id.0,
                name: w.name,
                team_id: w.team_id.map(|t| t.0),
                asye: w.asye,
                agency: w.agency,
                fte_hundredths: w.fte_hundredths,
                children: w.children,
                points: w.points,
                capacity_points: w.capacity,
                percent: w.percent,
                status: w.status.label().to_lowercase(),
            })
            .collect(),
    ))
}

/// Teams.
#[utoipa::path(get, path = "/api/v1/teams", responses((status = 200, body = [TeamOut]), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn teams(State(st): State<AppState>, ctx: ApiCtx) -> ApiResult<Json<Vec<TeamOut>>> {
    let d = st
        .app
        .staff_directory(&ctx.0)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(
        d.teams
            .into_iter()
            .map(|t| TeamOut {
                id: t.id.0,
                name: t.name,
                manager_id: t.manager_id.map(|m| m.0),
                pod_id: t.pod_id.map(|p| p.0),
            })
            .collect(),
    ))
}

/// A missing or away episode.
#[derive(Serialize, ToSchema)]
pub struct EpisodeOut {
    /// Id.
    pub id: uuid::Uuid,
    /// The child.
    pub child_id: uuid::Uuid,
    /// SSDA903 code: M (missing) or A (away).
    pub kind: String,
    /// home, placement or education.
    pub missing_from: String,
    /// Last seen.
    pub last_seen_at: DateTime<Utc>,
    /// Where last seen.
    pub location_left: String,
    /// Reported to police.
    pub reported_at: Option<DateTime<Utc>>,
    /// Police reference.
    pub police_ref: Option<String>,
    /// Current police grade: high, medium, low or no_apparent_risk.
    pub police_grade: Option<String>,
    /// Returned or found.
    pub returned_at: Option<DateTime<Utc>>,
    /// Where found.
    pub found_where: Option<String>,
    /// Found by.
    pub found_by: Option<String>,
    /// When recorded.
    pub recorded_at: DateTime<Utc>,
}

impl From<harbour_domain::missing::MissingEpisode> for EpisodeOut {
    fn from(e: harbour_domain::missing::MissingEpisode) -> Self {
        EpisodeOut {
            id: e.id,
            child_id: e.child_id.0,
            kind: e.kind.code().into(),
            missing_from: e.from.as_str().into(),
            last_seen_at: e.last_seen_at,
            location_left: e.location_left,
            reported_at: e.reported_at,
            police_ref: e.police_ref,
            police_grade: e.grade.map(|g| g.as_str().to_string()),
            returned_at: e.returned_at,
            found_where: e.found_where,
            found_by: e.found_by,
            recorded_at: e.recorded_at,
        }
    }
}

/// A new missing report.
#[derive(Deserialize, ToSchema)]
pub struct EpisodeCreate {
    /// M (whereabouts unknown) or A (away: whereabouts known).
    pub kind: String,
    /// home, placement or education.
    pub missing_from: String,
    /// Last seen (RFC 3339).
    pub last_seen_at: DateTime<Utc>,
    /// Where last seen.
    pub location_left: String,
    /// What happened.
    pub circumstances: String,
    /// Reported to police (RFC 3339).
    #[serde(default)]
    pub reported_at: Option<DateTime<Utc>>,
    /// Police reference.
    #[serde(default)]
    pub police_ref: Option<String>,
    /// high, medium, low or no_apparent_risk.
    #[serde(default)]
    pub police_grade: Option<String>,
}

/// A return.
#[derive(Deserialize, ToSchema)]
pub struct ReturnCreate {
    /// Returned or found (RFC 3339).
    pub returned_at: DateTime<Utc>,
    /// Where found or returned to.
    pub found_where: String,
    /// Found by.
    pub found_by: String,
}

/// A child's missing and away episodes, newest first.
#[utoipa::path(get, path = "/api/v1/children/{id}/missing-episodes", params(("id" = String, Path)), responses((status = 200, body = [EpisodeOut]), (status = 403, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn episodes(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<EpisodeOut>>> {
    let r = full_record(&st, &ctx, &id).await?;
    Ok(Json(r.missing.into_iter().map(Into::into).collect()))
}

fn idempotency_key(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .map(str::to_string)
}

/// Report a child missing. Send an `Idempotency-Key` header: a retry with the same key returns the first answer and creates nothing.
#[utoipa::path(post, path = "/api/v1/children/{id}/missing-episodes", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")), request_body = EpisodeCreate, responses((status = 201, body = Created), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn create_episode(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    ApiJson(b): ApiJson<EpisodeCreate>,
) -> ApiResult<Response> {
    let child = child_id(&ctx, &id)?;
    let key = idempotency_key(&headers);
    let path = format!("/api/v1/children/{child}/missing-episodes");
    if let Some(k) = &key
        && let Some((stored_path, status, body)) = st
            .app
            .idempotent_replay(&ctx.0, k)
            .await
            .map_err(|e| ctx.err(e))?
    {
        if stored_path != path {
            return Err(ctx.err(AppError::Conflict(
                "This Idempotency-Key was used for a different request.".into(),
            )));
        }
        let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
        return Ok((
            status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response());
    }
    let (day, month, year, time) = london_parts(b.last_seen_at);
    let reported_time = String::new();
    let input = harbour_app::missing::MissingInput {
        kind: b.kind,
        from: b.missing_from,
        day,
        month,
        year,
        time,
        location_left: b.location_left,
        reported_time,
        police_ref: b.police_ref.unwrap_or_default(),
        grade: b.police_grade.unwrap_or_default(),
        circumstances: b.circumstances,
        reported_at: b.reported_at,
    };
    let r = st
        .app
        .report_missing_idempotent(
            &ctx.0,
            child,
            &input,
            key.as_deref().map(|k| (k, path.as_str())),
        )
        .await
        .map_err(|e| ctx.err(api_field_names(e, EPISODE_FIELDS)))?;
    Ok((StatusCode::CREATED, Json(Created { id: r.id })).into_response())
}

/// Form field names → the API's names, for field-level errors.
const EPISODE_FIELDS: &[(&str, &str)] = &[
    ("day", "last_seen_at"),
    ("time", "last_seen_at"),
    ("from", "missing_from"),
    ("reported_time", "reported_at"),
    ("grade", "police_grade"),
];
const RETURN_FIELDS: &[(&str, &str)] = &[("day", "returned_at"), ("time", "returned_at")];

/// Rename field errors from the form's names to the API's.
fn api_field_names(e: AppError, names: &[(&str, &str)]) -> AppError {
    match e {
        AppError::Validation(mut f) => {
            for err in &mut f.0 {
                if let Some((_, api)) = names.iter().find(|(form, _)| *form == err.field) {
                    err.field = api.to_string();
                }
            }
            AppError::Validation(f)
        }
        other => other,
    }
}

/// One episode.
#[utoipa::path(get, path = "/api/v1/missing-episodes/{episode}", params(("episode" = String, Path)), responses((status = 200, body = EpisodeOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn episode(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<EpisodeOut>> {
    let id: uuid::Uuid = id.parse().map_err(|_| ctx.err(AppError::NotFound))?;
    let (_, e) = st
        .app
        .episode_for(
            &ctx.0,
            id,
            harbour_domain::authz::ChildAction::ViewRecord,
            "missing.view",
        )
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(e.into()))
}

/// Record that the child has returned or been found.
#[utoipa::path(post, path = "/api/v1/missing-episodes/{episode}/return", params(("episode" = String, Path)), request_body = ReturnCreate, responses((status = 200, body = EpisodeOut), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn create_return(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReturnCreate>,
) -> ApiResult<Json<EpisodeOut>> {
    let id: uuid::Uuid = id.parse().map_err(|_| ctx.err(AppError::NotFound))?;
    let (child, _) = st
        .app
        .episode_for(
            &ctx.0,
            id,
            harbour_domain::authz::ChildAction::RecordMissing,
            "missing.view",
        )
        .await
        .map_err(|e| ctx.err(e))?;
    let (day, month, year, time) = london_parts(b.returned_at);
    let input = harbour_app::missing::ReturnInput {
        day,
        month,
        year,
        time,
        found_where: b.found_where,
        found_by: b.found_by,
    };
    st.app
        .record_return(&ctx.0, child.id, id, &input)
        .await
        .map_err(|e| ctx.err(api_field_names(e, RETURN_FIELDS)))?;
    let (_, e) = st
        .app
        .episode_for(
            &ctx.0,
            id,
            harbour_domain::authz::ChildAction::RecordMissing,
            "missing.view",
        )
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(e.into()))
}

/// Corrections to an episode: send only what changes.
#[derive(Deserialize, ToSchema)]
pub struct EpisodeUpdate {
    /// M or A.
    #[serde(default)]
    pub kind: Option<String>,
    /// home, placement or education.
    #[serde(default)]
    pub missing_from: Option<String>,
    /// Last seen (RFC 3339).
    #[serde(default)]
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Where last seen.
    #[serde(default)]
    pub location_left: Option<String>,
    /// What happened.
    #[serde(default)]
    pub circumstances: Option<String>,
    /// Reported to police (RFC 3339).
    #[serde(default)]
    pub reported_at: Option<DateTime<Utc>>,
    /// Police reference.
    #[serde(default)]
    pub police_ref: Option<String>,
    /// Returned or found (RFC 3339); only for an episode that has ended.
    #[serde(default)]
    pub returned_at: Option<DateTime<Utc>>,
    /// Where found.
    #[serde(default)]
    pub found_where: Option<String>,
    /// Found by.
    #[serde(default)]
    pub found_by: Option<String>,
}

/// A police re-grading.
#[derive(Deserialize, ToSchema)]
pub struct GradeCreate {
    /// high, medium, low or no_apparent_risk.
    pub police_grade: String,
    /// When the police graded it (RFC 3339); now if left out.
    #[serde(default)]
    pub graded_at: Option<DateTime<Utc>>,
}

async fn episode_to_change(
    st: &AppState,
    ctx: &ApiCtx,
    id: &str,
) -> ApiResult<(
    uuid::Uuid,
    harbour_domain::model::Child,
    harbour_domain::missing::MissingEpisode,
)> {
    let id: uuid::Uuid = id.parse().map_err(|_| ctx.err(AppError::NotFound))?;
    let (child, e) = st
        .app
        .episode_for(
            &ctx.0,
            id,
            harbour_domain::authz::ChildAction::RecordMissing,
            "missing.view",
        )
        .await
        .map_err(|e| ctx.err(e))?;
    Ok((id, child, e))
}

/// Correct an episode. The same checks as a new report apply; a waiting
/// interview's due time moves with a corrected return time.
#[utoipa::path(patch, path = "/api/v1/missing-episodes/{episode}", params(("episode" = String, Path)), request_body = EpisodeUpdate, responses((status = 200, body = EpisodeOut), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn update_episode(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<EpisodeUpdate>,
) -> ApiResult<Json<EpisodeOut>> {
    let (id, child, e) = episode_to_change(&st, &ctx, &id).await?;
    let mut input = harbour_app::missing::EditInput::from_episode(&e);
    if let Some(k) = b.kind {
        input.report.kind = k;
    }
    if let Some(f) = b.missing_from {
        input.report.from = f;
    }
    if let Some(t) = b.last_seen_at {
        (
            input.report.day,
            input.report.month,
            input.report.year,
            input.report.time,
        ) = london_parts(t);
    }
    if let Some(x) = b.location_left {
        input.report.location_left = x;
    }
    if let Some(x) = b.circumstances {
        input.report.circumstances = x;
    }
    input.report.reported_at = b.reported_at.or(e.reported_at);
    if let Some(x) = b.police_ref {
        input.report.police_ref = x;
    }
    if let Some(t) = b.returned_at {
        (
            input.return_day,
            input.return_month,
            input.return_year,
            input.return_time,
        ) = london_parts(t);
    }
    if let Some(x) = b.found_where {
        input.found_where = x;
    }
    if let Some(x) = b.found_by {
        input.found_by = x;
    }
    st.app
        .edit_episode(&ctx.0, child.id, id, &input)
        .await
        .map_err(|e| {
            ctx.err(api_field_names(
                e,
                &[
                    ("day", "last_seen_at"),
                    ("time", "last_seen_at"),
                    ("from", "missing_from"),
                    ("reported_time", "reported_at"),
                    ("return_day", "returned_at"),
                    ("return_time", "returned_at"),
                ],
            ))
        })?;
    let (_, _, e) = episode_to_change(&st, &ctx, &id.to_string()).await?;
    Ok(Json(e.into()))
}

/// Record a police re-grading; earlier grades are kept.
#[utoipa::path(post, path = "/api/v1/missing-episodes/{episode}/grades", params(("episode" = String, Path)), request_body = GradeCreate, responses((status = 200, body = EpisodeOut), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn create_grade(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<GradeCreate>,
) -> ApiResult<Json<EpisodeOut>> {
    let (id, child, _) = episode_to_change(&st, &ctx, &id).await?;
    let (day, month, year, time) = b.graded_at.map(london_parts).unwrap_or_default();
    let input = harbour_app::missing::GradeInput {
        grade: b.police_grade,
        day,
        month,
        year,
        time,
    };
    st.app
        .regrade(&ctx.0, child.id, id, &input)
        .await
        .map_err(|e| {
            ctx.err(api_field_names(
                e,
                &[
                    ("grade", "police_grade"),
                    ("day", "graded_at"),
                    ("time", "graded_at"),
                ],
            ))
        })?;
    let (_, _, e) = episode_to_change(&st, &ctx, &id.to_string()).await?;
    Ok(Json(e.into()))
}

/// A photo kept with a profile version (the image itself is served only to
/// signed-in pages and in the police pack).
#[derive(Serialize, ToSchema)]
pub struct PhotoOut {
    /// image/jpeg or image/png.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
}

/// One version of a Philomena profile.
#[derive(Serialize, ToSchema)]
pub struct PhilomenaOut {
    /// 1, 2, 3…
    pub version: i64,
    /// Height.
    pub height: String,
    /// Build.
    pub build: String,
    /// Hair colour and style.
    pub hair: String,
    /// Eye colour.
    pub eyes: String,
    /// Scars, tattoos, piercings, glasses.
    pub distinguishing_marks: String,
    /// What the child usually wears.
    pub usual_clothing: String,
    /// Vulnerabilities and risks.
    pub vulnerabilities: String,
    /// Medical needs and medication.
    pub medical: String,
    /// Associates, one per entry.
    pub associates: Vec<String>,
    /// Places the child may go and addresses frequented, one per entry.
    pub places: Vec<String>,
    /// Phones and social media accounts.
    pub phones_social: String,
    /// Transport and money.
    pub transport_finances: String,
    /// The photo, if the version has one.
    pub photo: Option<PhotoOut>,
    /// Saved by.
    pub recorded_by: String,
    /// Saved at.
    pub recorded_at: DateTime<Utc>,
}

impl From<harbour_domain::philomena::PhilomenaProfile> for PhilomenaOut {
    fn from(p: harbour_domain::philomena::PhilomenaProfile) -> Self {
        let associates = p
            .details
            .associate_lines()
            .into_iter()
            .map(String::from)
            .collect();
        let places = p
            .details
            .place_lines()
            .into_iter()
            .map(String::from)
            .collect();
        let d = p.details;
        PhilomenaOut {
            version: p.version,
            height: d.description.height,
            build: d.description.build,
            hair: d.description.hair,
            eyes: d.description.eyes,
            distinguishing_marks: d.description.marks,
            usual_clothing: d.description.clothing,
            vulnerabilities: d.vulnerabilities,
            medical: d.medical,
            associates,
            places,
            phones_social: d.phones_social,
            transport_finances: d.transport_finances,
            photo: p.photo.map(|m| PhotoOut {
                content_type: m.kind.content_type().into(),
                size_bytes: m.size,
            }),
            recorded_by: p.recorded_by_name,
            recorded_at: p.recorded_at,
        }
    }
}

/// A version in a profile's history.
#[derive(Serialize, ToSchema)]
pub struct PhilomenaVersionOut {
    /// Version number.
    pub version: i64,
    /// Saved by.
    pub recorded_by: String,
    /// Saved at.
    pub recorded_at: DateTime<Utc>,
}

/// A child's Philomena profile.
#[derive(Serialize, ToSchema)]
pub struct PhilomenaProfileOut {
    /// The child.
    pub child_id: uuid::Uuid,
    /// The current version (absent when no profile has been saved).
    pub current: Option<PhilomenaOut>,
    /// Every version, newest first.
    pub versions: Vec<PhilomenaVersionOut>,
}

/// A child's current Philomena profile (Philomena Protocol: description,
/// vulnerabilities, associates, places, phones and social media, medical
/// needs) and its version history. Audited as `philomena.view`.
#[utoipa::path(get, path = "/api/v1/children/{id}/philomena", params(("id" = String, Path)), responses((status = 200, body = PhilomenaProfileOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn philomena(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<PhilomenaProfileOut>> {
    let id = child_id(&ctx, &id)?;
    let v = st
        .app
        .philomena(&ctx.0, id, None)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(PhilomenaProfileOut {
        child_id: id.0,
        versions: v
            .versions
            .iter()
            .map(|p| PhilomenaVersionOut {
                version: p.version,
                recorded_by: p.recorded_by_name.clone(),
                recorded_at: p.recorded_at,
            })
            .collect(),
        current: v.shown.map(Into::into),
    }))
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Errors as the API sends them: every error response is an RFC 9457
/// problem document (`application/problem+json`), and every operation
/// documents the errors any request can meet before its handler decides:
/// 400 (a path, query or body that cannot be read), 401 (no valid token),
/// 403 (the role or relationship does not allow it), 404 (no such record,
/// or an unknown path), and for operations with a body 413 (too large),
/// 415 (not JSON) and 422 (invalid fields).
struct ProblemResponses;

impl utoipa::Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
        const PROBLEM: &str = "application/problem+json";
        let problem = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        PROBLEM,
                        Content::new(Some(Ref::from_schema_name("Problem"))),
                    )
                    .build(),
            )
        };
        for item in openapi.paths.paths.values_mut() {
            let ops = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in ops.into_iter().flatten() {
                let responses = &mut op.responses.responses;
                for (status, r) in responses.iter_mut() {
                    if let (true, RefOr::T(r)) = (status.as_str() >= "400", r)
                        && let Some(c) = r.content.shift_remove("application/json")
                    {
                        r.content.insert(PROBLEM.to_string(), c);
                    }
                }
                let mut common = vec![
                    ("400", "The request could not be read"),
                    ("401", "No valid API token"),
                    ("403", "Not allowed for this user"),
                    ("404", "No such record, or not found"),
                ];
                if op.request_body.is_some() {
                    common.extend([
                        ("413", "The body is too large"),
                        ("415", "The body is not JSON"),
                        ("422", "Invalid fields"),
                    ]);
                }
                for (status, description) in common {
                    responses
                        .entry(status.to_string())
                        .or_insert_with(|| problem(description));
                }
            }
        }
    }
}

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Harbour API", version = "1", description = "Children's exploitation, missing and case work. Errors are RFC 9457 problem documents."),
    paths(list, search, create_child, episodes, create_episode, episode, update_episode, create_return, create_grade, child, notes, create_note, decisions, create_decision, chronology, allocations, philomena, crate::screening::api_list, crate::screening::api_create, crate::contexts::api_network, crate::contexts::api_context, staff, teams, caseloads, crate::panel::api_referrals, crate::panel::api_refer, crate::panel::api_meeting, crate::panel::api_actions, crate::panel::api_update_action, crate::schools::api_report, crate::schools::api_cme_cases, crate::edt::api_crisis_summary, crate::supervision::api_file, crate::supervision::api_session, crate::supervision::api_record),
    components(schemas(crate::error::Problem, crate::error::ProblemField)),
    modifiers(&BearerAuth, &ProblemResponses)
)]
pub struct ApiDoc;

/// `/api/v1/openapi.json`.
pub async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

/// Unknown API paths.
pub async fn not_found(Rid(rid): Rid) -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        None,
        vec![],
        &rid,
    )
}
