//! Out-of-hours pages: the crisis summary, the safety plan, EDT alerts, the
//! contact log (and a missing episode started from a contact), placement
//! support, the out-of-hours desk and the day team's handovers. Handlers
//! extract, call one `App` function and render.

use crate::AppState;
use crate::error::ApiError;
use crate::error::PageError;
use crate::extract::{ApiCtx, FormBody, Page};
use crate::pages::{choices_for, to_values, unprocessable};
use crate::views::{ChildFormPage, Choice, PageCtx, render};
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use harbour_app::AppError;
use harbour_app::edt::*;
use harbour_domain::edt::{ContactKind, SafetyPlan, SupportKind};
use harbour_domain::ids::ChildId;
use harbour_domain::model::Child;
use harbour_domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

type PageResult = Result<Response, PageError>;

fn parse<T: std::str::FromStr>(p: &Page, s: &str) -> Result<T, PageError> {
    s.parse().map_err(|_| p.err(AppError::NotFound))
}

/// `?saved=…` after a save.
#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// The crisis summary.
#[derive(Template)]
#[template(path = "crisis.html")]
pub struct CrisisPage {
    /// Layout.
    pub page: PageCtx,
    /// The summary.
    pub s: CrisisSummary,
    /// The photo as a `data:` URI.
    pub photo: Option<String>,
    /// What was just saved.
    pub saved: Option<&'static str>,
}

impl CrisisPage {
    /// Legal status label.
    pub fn status(&self, l: &harbour_domain::model::LegalStatusPeriod) -> String {
        format!(
            "{} since {}",
            l.status.label(),
            crate::views::date(l.start_date)
        )
    }
    /// PLACE label.
    pub fn place(&self, code: &str) -> String {
        crate::views::place_label(code)
    }
}

fn saved_message(q: &SavedQuery) -> Option<&'static str> {
    match q.saved.as_deref() {
        Some("contact") => Some("Out-of-hours contact recorded and handed over to the day team"),
        Some("alert") => Some("Alert to the out-of-hours team saved"),
        Some("withdrawn") => Some("Alert withdrawn"),
        Some("plan") => Some("Safety plan saved"),
        Some("support") => Some("Placement support recorded"),
        _ => None,
    }
}

/// `GET /children/{id}/crisis`.
pub async fn crisis(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    let id: ChildId = parse(&p, &id)?;
    let s = st
        .app
        .crisis_summary(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&CrisisPage {
        page: p.page.clone(),
        photo: s.photo.as_ref().map(crate::philomena::data_uri),
        s,
        saved: saved_message(&q),
    }))
}

/// A form about one child: the safety plan, an alert, a contact or
/// placement support.
#[derive(Template)]
#[template(path = "edt_form.html")]
pub struct FormPage {
    /// Layout.
    pub page: PageCtx,
    /// The child.
    pub child: Child,
    /// `plan`, `alert`, `contact` or `support`.
    pub form: &'static str,
    /// Values.
    pub values: HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
    /// The current plan (the plan form).
    pub plan: Option<SafetyPlan>,
    /// Choices for radios and selects.
    pub choices: HashMap<&'static str, Vec<Choice>>,
    /// The open placement, described (the support form).
    pub placement: Option<String>,
}

impl FormPage {
    /// A value.
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }
    /// The error for a field.
    pub fn e(&self, name: &str) -> &str {
        self.errors.get(name).unwrap_or("")
    }
    /// Choices for a field.
    pub fn opts(&self, name: &str) -> &[Choice] {
        self.choices.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
}

fn form_page(
    p: &Page,
    child: Child,
    form: &'static str,
    values: HashMap<String, String>,
    errors: FieldErrors,
) -> FormPage {
    let mut choices = HashMap::new();
    choices.insert(
        "kind",
        match form {
            "contact" => ContactKind::ALL
                .iter()
                .map(|k| Choice::new(k.as_str(), k.label()))
                .collect(),
            _ => SupportKind::ALL
                .iter()
                .map(|k| Choice::new(k.as_str(), k.label()))
                .collect(),
        },
    );
    FormPage {
        page: p.page.clone(),
        child,
        form,
        values,
        errors,
        plan: None,
        choices,
        placement: None,
    }
}

fn respond(page: FormPage) -> PageResult {
    let bad = !page.errors.is_empty();
    let r = render(&page);
    Ok(if bad { unprocessable(r) } else { r })
}

fn to_crisis(id: ChildId, saved: &str) -> PageResult {
    Ok(Redirect::to(&format!("/children/{id}/crisis?saved={saved}")).into_response())
}

async fn plan_page(
    st: &AppState,
    p: &Page,
    id: ChildId,
    values: Option<HashMap<String, String>>,
    errors: FieldErrors,
) -> PageResult {
    let (child, plan) = st
        .app
        .safety_plan_form(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    let values = values.unwrap_or_else(|| {
        let mut m = HashMap::new();
        m.insert(
            "base_version".to_string(),
            plan.as_ref().map_or(0, |x| x.version).to_string(),
        );
        if let Some(x) = &plan {
            m.insert("plan".into(), x.plan.clone());
            m.insert("agreed_with".into(), x.agreed_with.clone());
        }
        m
    });
    let mut page = form_page(p, child, "plan", values, errors);
    page.plan = plan;
    respond(page)
}

/// `GET /children/{id}/safety-plan`.
pub async fn plan_form(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id = parse(&p, &id)?;
    plan_page(&st, &p, id, None, FieldErrors::new()).await
}

/// `POST /children/{id}/safety-plan`.
pub async fn plan_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<SafetyPlanInput>,
) -> PageResult {
    let id = parse(&p, &id)?;
    match st.app.save_safety_plan(&p.ctx, id, &f).await {
        Ok(_) => to_crisis(id, "plan"),
        Err(AppError::Validation(errors)) => {
            plan_page(&st, &p, id, Some(to_values(&f)), errors).await
        }
        Err(e) => Err(p.err(e)),
    }
}

async fn simple_form(
    st: &AppState,
    p: &Page,
    id: ChildId,
    form: &'static str,
    values: HashMap<String, String>,
    errors: FieldErrors,
) -> PageResult {
    let action = match form {
        "alert" => harbour_domain::authz::ChildAction::LeaveEdtAlert,
        _ => harbour_domain::authz::ChildAction::RecordOohContact,
    };
    let child = st
        .app
        .child_for_action(&p.ctx, id, action)
        .await
        .map_err(|e| p.err(e))?;
    respond(form_page(p, child, form, values, errors))
}

/// `GET /children/{id}/edt-alerts/new`.
pub async fn alert_form(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id = parse(&p, &id)?;
    simple_form(&st, &p, id, "alert", HashMap::new(), FieldErrors::new()).await
}

/// `POST /children/{id}/edt-alerts/new`.
pub async fn alert_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<AlertInput>,
) -> PageResult {
    let id = parse(&p, &id)?;
    match st.app.leave_alert(&p.ctx, id, &f).await {
        Ok(_) => to_crisis(id, "alert"),
        Err(AppError::Validation(errors)) => {
            simple_form(&st, &p, id, "alert", to_values(&f), errors).await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// `POST /edt-alerts/{id}/withdraw`.
pub async fn alert_withdraw(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id: uuid::Uuid = parse(&p, &id)?;
    let child = st
        .app
        .withdraw_alert(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    to_crisis(child, "withdrawn")
}

/// `GET /children/{id}/ooh-contacts/new`.
pub async fn contact_form(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id = parse(&p, &id)?;
    simple_form(&st, &p, id, "contact", HashMap::new(), FieldErrors::new()).await
}

/// `POST /children/{id}/ooh-contacts/new`: to the contact's page, which
/// offers to start a missing episode or record placement support from it.
pub async fn contact_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<ContactInput>,
) -> PageResult {
    let id = parse(&p, &id)?;
    match st.app.record_contact(&p.ctx, id, &f).await {
        Ok(cid) => Ok(Redirect::to(&format!("/edt/contacts/{cid}?saved=contact")).into_response()),
        Err(AppError::Validation(errors)) => {
            simple_form(&st, &p, id, "contact", to_values(&f), errors).await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// A contact's page.
#[derive(Template)]
#[template(path = "edt_contact.html")]
pub struct ContactPage {
    /// Layout.
    pub page: PageCtx,
    /// The contact.
    pub v: ContactView,
    /// Just recorded.
    pub saved: bool,
}

/// `GET /edt/contacts/{id}`.
pub async fn contact(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    let id: uuid::Uuid = parse(&p, &id)?;
    let v = st.app.contact(&p.ctx, id).await.map_err(|e| p.err(e))?;
    Ok(render(&ContactPage {
        page: p.page.clone(),
        v,
        saved: q.saved.as_deref() == Some("contact"),
    }))
}

fn missing_page(
    p: &Page,
    child: Child,
    contact: uuid::Uuid,
    values: HashMap<String, String>,
    errors: FieldErrors,
) -> PageResult {
    let bad = !errors.is_empty();
    let r = render(&ChildFormPage {
        page: p.page.clone(),
        child,
        form: "missing",
        values,
        choices: choices_for("missing", Vec::new()),
        errors,
        extra: format!("/edt/contacts/{contact}/missing"),
        candidates: Vec::new(),
    });
    Ok(if bad { unprocessable(r) } else { r })
}

/// `GET /edt/contacts/{id}/missing`: the missing report form, filled in
/// from the contact.
pub async fn contact_missing_form(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let cid: uuid::Uuid = parse(&p, &id)?;
    let (child, input) = st
        .app
        .contact_missing_form(&p.ctx, cid)
        .await
        .map_err(|e| p.err(e))?;
    missing_page(&p, child, cid, to_values(&input), FieldErrors::new())
}

/// `POST /edt/contacts/{id}/missing`: report missing, linked to the contact.
pub async fn contact_missing_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<harbour_app::missing::MissingInput>,
) -> PageResult {
    let cid: uuid::Uuid = parse(&p, &id)?;
    match st.app.report_missing_from_contact(&p.ctx, cid, &f).await {
        Ok((child, episode)) => Ok(Redirect::to(&format!(
            "/children/{child}?saved=missing&episode={episode}"
        ))
        .into_response()),
        Err(AppError::Validation(errors)) => {
            let (child, _) = st
                .app
                .contact_missing_form(&p.ctx, cid)
                .await
                .map_err(|e| p.err(e))?;
            missing_page(&p, child, cid, to_values(&f), errors)
        }
        Err(e) => Err(p.err(e)),
    }
}

/// `?contact=…` to link placement support to a contact.
#[derive(Deserialize, Default)]
pub struct SupportQuery {
    #[serde(default)]
    contact: Option<String>,
}

async fn support_page(
    st: &AppState,
    p: &Page,
    id: ChildId,
    values: HashMap<String, String>,
    errors: FieldErrors,
) -> PageResult {
    let f = st
        .app
        .support_form(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    let mut page = form_page(p, f.child, "support", values, errors);
    let mut episodes = Vec::new();
    episodes.extend(f.episodes.iter().map(|e| {
        Choice::new(
            e.id.to_string(),
            format!(
                "{} from {}, last seen {}{}",
                e.kind.label(),
                e.from.label().to_lowercase(),
                harbour_domain::calendar::format_london(e.last_seen_at),
                if e.is_open() { " (open)" } else { "" }
            ),
        )
    }));
    page.choices.insert("episode", episodes);
    let mut contacts = Vec::new();
    contacts.extend(f.contacts.iter().map(|c| {
        Choice::new(
            c.id.to_string(),
            format!(
                "{}: {} ({})",
                harbour_domain::calendar::format_london(c.received_at),
                c.kind.label(),
                c.caller
            ),
        )
    }));
    page.choices.insert("contact", contacts);
    page.placement = f.placement.map(|pl| {
        format!(
            "{}, {} (since {})",
            pl.carer_name,
            pl.postcode,
            harbour_domain::calendar::format_date(pl.start_date)
        )
    });
    respond(page)
}

/// `GET /children/{id}/placement-support/new`.
pub async fn support_form(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    Query(q): Query<SupportQuery>,
) -> PageResult {
    let id = parse(&p, &id)?;
    let mut values = HashMap::new();
    if let Some(c) = q.contact.filter(|c| !c.is_empty()) {
        values.insert("contact".to_string(), c);
        values.insert("kind".to_string(), "crisis".to_string());
    }
    support_page(&st, &p, id, values, FieldErrors::new()).await
}

/// `POST /children/{id}/placement-support/new`.
pub async fn support_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<SupportInput>,
) -> PageResult {
    let id = parse(&p, &id)?;
    match st.app.record_support(&p.ctx, id, &f).await {
        Ok(_) => to_crisis(id, "support"),
        Err(AppError::Validation(errors)) => support_page(&st, &p, id, to_values(&f), errors).await,
        Err(e) => Err(p.err(e)),
    }
}

/// The out-of-hours desk.
#[derive(Template)]
#[template(path = "edt_desk.html")]
pub struct DeskPage {
    /// Layout.
    pub page: PageCtx,
    /// The desk.
    pub d: EdtDesk,
}

/// `GET /edt`.
pub async fn desk(State(st): State<AppState>, p: Page) -> PageResult {
    let d = st.app.edt_desk(&p.ctx).await.map_err(|e| p.err(e))?;
    Ok(render(&DeskPage {
        page: p.page.clone().at("/edt"),
        d,
    }))
}

/// The handover queue.
#[derive(Template)]
#[template(path = "handovers.html")]
pub struct HandoversPage {
    /// Layout.
    pub page: PageCtx,
    /// The handovers.
    pub items: Vec<HandoverItem>,
    /// Just acknowledged.
    pub acknowledged: bool,
}

impl HandoversPage {
    /// Not yet acknowledged.
    pub fn open(&self) -> Vec<&HandoverItem> {
        self.items
            .iter()
            .filter(|i| i.handover.acknowledged_at.is_none())
            .collect()
    }
    /// Acknowledged.
    pub fn done(&self) -> Vec<&HandoverItem> {
        self.items
            .iter()
            .filter(|i| i.handover.acknowledged_at.is_some())
            .collect()
    }
}

/// `?acknowledged=1`.
#[derive(Deserialize, Default)]
pub struct AckQuery {
    #[serde(default)]
    acknowledged: Option<String>,
}

/// `GET /edt/handovers`.
pub async fn handovers(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<AckQuery>,
) -> PageResult {
    let items = st.app.handovers(&p.ctx).await.map_err(|e| p.err(e))?;
    Ok(render(&HandoversPage {
        page: p.page.clone().at("/edt/handovers"),
        items,
        acknowledged: q.acknowledged.is_some(),
    }))
}

/// `POST /edt/handovers/{id}/acknowledge`.
pub async fn acknowledge(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<AckInput>,
) -> PageResult {
    let id: uuid::Uuid = parse(&p, &id)?;
    st.app
        .acknowledge_handover(&p.ctx, id, &f)
        .await
        .map_err(|e| p.err(e))?;
    Ok(Redirect::to("/edt/handovers?acknowledged=1").into_response())
}

/// An alert to EDT, over the API.
#[derive(Serialize, ToSchema)]
pub struct EdtAlertOut {
    /// Id.
    pub id: uuid::Uuid,
    /// If this happens …
    pub if_happens: String,
    /// … do this.
    pub then_do: String,
    /// When it stops showing.
    pub expires_at: DateTime<Utc>,
    /// Who left it.
    pub left_by: String,
}

/// The safety plan, over the API.
#[derive(Serialize, ToSchema)]
pub struct SafetyPlanOut {
    /// The plan.
    pub plan: String,
    /// Agreed with.
    pub agreed_with: String,
    /// Version.
    pub version: i64,
    /// Written by.
    pub recorded_by: String,
    /// Written at.
    pub recorded_at: DateTime<Utc>,
}

/// An out-of-hours contact, over the API.
#[derive(Serialize, ToSchema)]
pub struct OohContactOut {
    /// Id.
    pub id: uuid::Uuid,
    /// Received.
    pub received_at: DateTime<Utc>,
    /// `missing`, `found`, `placement`, `child_protection`,
    /// `police_protection`, `appropriate_adult` or `advice`.
    pub kind: String,
    /// Who called.
    pub caller: String,
    /// Their agency or relationship.
    pub caller_agency: String,
    /// Outcome.
    pub outcome: String,
    /// The missing episode started from it.
    pub missing_episode_id: Option<uuid::Uuid>,
}

/// The crisis summary, over the API.
#[derive(Serialize, ToSchema)]
pub struct CrisisSummaryOut {
    /// The child.
    pub child_id: uuid::Uuid,
    /// Name.
    pub name: String,
    /// Date of birth.
    pub dob: chrono::NaiveDate,
    /// The record's alerts.
    pub alerts: Vec<String>,
    /// Active alerts for EDT.
    pub edt_alerts: Vec<EdtAlertOut>,
    /// The current safety plan.
    pub safety_plan: Option<SafetyPlanOut>,
    /// The latest exploitation screening level.
    pub screening_level: Option<String>,
    /// Carer and telephone of the open placement.
    pub placement_carer: Option<String>,
    /// Their telephone.
    pub placement_phone: Option<String>,
    /// Allocated worker.
    pub worker: Option<String>,
    /// Their team's manager.
    pub manager: Option<String>,
    /// The open missing episode.
    pub missing_episode_id: Option<uuid::Uuid>,
    /// Recent out-of-hours contacts, newest first.
    pub contacts: Vec<OohContactOut>,
}

/// A child's crisis summary for the out-of-hours team: active alerts for
/// EDT, the safety plan, placement and who to call, the open episode and
/// recent out-of-hours contacts. Audited as `edt.crisis_summary`.
#[utoipa::path(get, path = "/api/v1/children/{id}/crisis-summary", params(("id" = String, Path)), responses((status = 200, body = CrisisSummaryOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_crisis_summary(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> Result<Json<CrisisSummaryOut>, ApiError> {
    let id: ChildId = id.parse().map_err(|_| ctx.err(AppError::NotFound))?;
    let s = st
        .app
        .crisis_summary(&ctx.0, id)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(CrisisSummaryOut {
        child_id: s.child.id.0,
        name: s.child.full_name(),
        dob: s.child.dob,
        alerts: s.alerts.into_iter().map(|a| a.text).collect(),
        edt_alerts: s
            .edt_alerts
            .into_iter()
            .map(|a| EdtAlertOut {
                id: a.id,
                if_happens: a.if_happens,
                then_do: a.then_do,
                expires_at: a.expires_at,
                left_by: a.created_by_name,
            })
            .collect(),
        safety_plan: s.safety_plan.map(|p| SafetyPlanOut {
            plan: p.plan,
            agreed_with: p.agreed_with,
            version: p.version,
            recorded_by: p.recorded_by_name,
            recorded_at: p.recorded_at,
        }),
        screening_level: s.screening.map(|(l, _)| l),
        placement_carer: s.placement.as_ref().map(|p| p.carer_name.clone()),
        placement_phone: s.placement.and_then(|p| p.carer_phone),
        worker: s.worker.map(|(n, _)| n),
        manager: s.manager.map(|(n, _)| n),
        missing_episode_id: s.missing_now.map(|e| e.id),
        contacts: s
            .ooh
            .into_iter()
            .map(|c| OohContactOut {
                id: c.id,
                received_at: c.received_at,
                kind: c.kind.as_str().into(),
                caller: c.caller,
                caller_agency: c.caller_agency,
                outcome: c.outcome,
                missing_episode_id: c.missing_episode_id,
            })
            .collect(),
    }))
}
