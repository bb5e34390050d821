//! The privacy officer's records management and subject access pages: the
//! retention report (and its CSV), review decisions, subject access
//! requests, the review of third-party information item by item, and the
//! response as JSON and as a printable document.

use crate::AppState;
use crate::error::PageError;
use crate::extract::{FormBody, Page};
use crate::views::{Choice, PageCtx, render};
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use harbour_app::AppError;
use harbour_app::privacy::*;
use harbour_db::privacy::SubjectAccessRequest;
use harbour_domain::retention::{Exemption, HoldReason, ItemDecision};
use harbour_domain::validate::FieldErrors;
use serde::Deserialize;
use std::collections::HashMap;

type PageResult = Result<Response, PageError>;

fn bad(mut r: Response) -> Response {
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

fn values<T: serde::Serialize>(f: &T) -> HashMap<String, String> {
    serde_json::to_value(f)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// Field values, errors and options of a form page.
#[derive(Default)]
pub struct Form {
    /// Typed values.
    pub values: HashMap<String, String>,
    /// Errors.
    pub errors: FieldErrors,
}

impl Form {
    /// A value.
    pub fn v(&self, n: &str) -> String {
        self.values.get(n).cloned().unwrap_or_default()
    }
    /// An error ("" if none).
    pub fn e(&self, n: &str) -> String {
        self.errors.get(n).unwrap_or_default().to_string()
    }
}

// ---------------------------------------------------------------- retention

/// `/privacy/retention`.
#[derive(Template)]
#[template(path = "retention.html")]
pub struct RetentionPage {
    /// Layout.
    pub page: PageCtx,
    /// The report.
    pub r: RetentionReport,
}

/// `GET /privacy/retention`.
pub async fn retention(State(st): State<AppState>, p: Page) -> PageResult {
    let r = st
        .app
        .retention_report(&p.ctx, false)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&RetentionPage {
        page: p.page.clone().at("/privacy"),
        r,
    }))
}

/// `GET /privacy/retention.csv`.
pub async fn retention_csv(State(st): State<AppState>, p: Page) -> PageResult {
    let r = st
        .app
        .retention_report(&p.ctx, true)
        .await
        .map_err(|e| p.err(e))?;
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|e| {
            vec![
                e.la_child_id.clone(),
                e.name.clone(),
                e.dob.to_string(),
                e.retention.category.label().to_string(),
                e.retention.retain_until.to_string(),
                e.retention.review_on.to_string(),
                e.status.label(),
                e.retention.reason.clone(),
                e.latest
                    .as_ref()
                    .map(|d| d.note.clone())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let body = harbour_domain::reports::csv(
        &[
            "LA child ID",
            "Name",
            "Date of birth",
            "Category",
            "Retain until",
            "Review date",
            "Status",
            "Rule",
            "Decision note",
        ],
        &rows,
    );
    Ok(crate::reports::download(
        &format!("retention-review-{}.csv", r.today.format("%Y-%m-%d")),
        "text/csv; charset=utf-8",
        body.into_bytes(),
    ))
}

/// The review decision form.
#[derive(Template)]
#[template(path = "retention_decision.html")]
pub struct RetentionDecisionPage {
    /// Layout.
    pub page: PageCtx,
    /// The child's retention.
    pub e: RetentionEntry,
    /// The form.
    pub f: Form,
    /// Decisions.
    pub decisions: Vec<Choice>,
    /// Hold reasons.
    pub holds: Vec<Choice>,
}

async fn retention_decision_page(st: &AppState, p: &Page, id: &str, f: Form) -> PageResult {
    let e = st
        .app
        .retention_for_child(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    let invalid = !f.errors.is_empty();
    let r = render(&RetentionDecisionPage {
        page: p.page.clone().at("/privacy"),
        e,
        f,
        decisions: vec![
            Choice::new("keep", "Keep the record for a stated period"),
            Choice::new("destroy", "Approve for destruction"),
        ],
        holds: HoldReason::ALL
            .iter()
            .map(|h| Choice::new(h.as_str(), h.label()))
            .collect(),
    });
    Ok(if invalid { bad(r) } else { r })
}

/// `GET /privacy/retention/{id}/decision`.
pub async fn retention_decision_form(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    retention_decision_page(&st, &p, &id, Form::default()).await
}

/// `POST /privacy/retention/{id}/decision`.
pub async fn retention_decision_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<RetentionDecisionInput>,
) -> PageResult {
    match st.app.record_retention_decision(&p.ctx, &id, &f).await {
        Ok(()) => Ok(Redirect::to("/privacy/retention").into_response()),
        Err(AppError::Validation(errors)) => {
            retention_decision_page(
                &st,
                &p,
                &id,
                Form {
                    values: values(&f),
                    errors,
                },
            )
            .await
        }
        Err(e) => Err(p.err(e)),
    }
}

// ---------------------------------------------------------------- subject access

/// `/privacy/subject-access`.
#[derive(Template)]
#[template(path = "sar_list.html")]
pub struct SarListPage {
    /// Layout.
    pub page: PageCtx,
    /// Requests.
    pub list: Vec<SubjectAccessRequest>,
}

/// `GET /privacy/subject-access`.
pub async fn sar_list(State(st): State<AppState>, p: Page) -> PageResult {
    let list = st
        .app
        .subject_access_requests(&p.ctx)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&SarListPage {
        page: p.page.clone().at("/privacy"),
        list,
    }))
}

/// The new request form.
#[derive(Template)]
#[template(path = "sar_new.html")]
pub struct SarNewPage {
    /// Layout.
    pub page: PageCtx,
    /// The form.
    pub f: Form,
}

fn sar_new_page(p: &Page, f: Form) -> Response {
    let invalid = !f.errors.is_empty();
    let r = render(&SarNewPage {
        page: p.page.clone().at("/privacy"),
        f,
    });
    if invalid { bad(r) } else { r }
}

/// `GET /privacy/subject-access/new`.
pub async fn sar_new_form(State(st): State<AppState>, p: Page) -> PageResult {
    // Showing the form needs the same permission as logging a request.
    st.app
        .check_service(&p.ctx, harbour_domain::authz::ServiceAction::SubjectAccess)
        .await
        .map_err(|e| p.err(e))?;
    Ok(sar_new_page(&p, Form::default()))
}

/// `POST /privacy/subject-access/new`.
pub async fn sar_new_submit(
    State(st): State<AppState>,
    p: Page,
    FormBody(f): FormBody<SarInput>,
) -> PageResult {
    match st.app.log_subject_access(&p.ctx, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("/privacy/subject-access/{id}")).into_response()),
        Err(AppError::Validation(errors)) => Ok(sar_new_page(
            &p,
            Form {
                values: values(&f),
                errors,
            },
        )),
        Err(e) => Err(p.err(e)),
    }
}

/// One request.
#[derive(Template)]
#[template(path = "sar.html")]
pub struct SarPage {
    /// Layout.
    pub page: PageCtx,
    /// The request and its items.
    pub v: SarView,
}

/// `GET /privacy/subject-access/{id}`.
pub async fn sar(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let v = st
        .app
        .subject_access(&p.ctx, &id)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&SarPage {
        page: p.page.clone().at("/privacy"),
        v,
    }))
}

/// `POST /privacy/subject-access/{id}/assemble`.
pub async fn sar_assemble(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let rid = st
        .app
        .assemble_subject_access(&p.ctx, &id)
        .await
        .map_err(|e| p.err(e))?;
    Ok(Redirect::to(&format!("/privacy/subject-access/{rid}")).into_response())
}

/// The item review form.
#[derive(Template)]
#[template(path = "sar_item.html")]
pub struct SarItemPage {
    /// Layout.
    pub page: PageCtx,
    /// The request.
    pub request: SubjectAccessRequest,
    /// The item.
    pub item: ItemView,
    /// The form.
    pub f: Form,
    /// Decisions.
    pub decisions: Vec<Choice>,
    /// Exemptions.
    pub exemptions: Vec<Choice>,
}

/// Which item.
#[derive(Debug, Default, Deserialize)]
pub struct ItemQuery {
    /// Position.
    #[serde(default)]
    pub item: i64,
}

/// The posted decision (with the item's position).
#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub struct ItemForm {
    /// Position.
    #[serde(default)]
    pub item: String,
    /// The decision.
    #[serde(flatten)]
    pub input: ItemInput,
}

async fn sar_item_page(st: &AppState, p: &Page, id: &str, pos: i64, f: Form) -> PageResult {
    let (request, item) = st
        .app
        .subject_access_item(&p.ctx, id, pos)
        .await
        .map_err(|e| p.err(e))?;
    let mut f = f;
    if f.values.is_empty() {
        f.values.insert(
            "decision".into(),
            item.decision.map(|d| d.as_str()).unwrap_or("").into(),
        );
        f.values.insert(
            "exemption".into(),
            item.exemption.map(|d| d.as_str()).unwrap_or("").into(),
        );
        f.values.insert(
            "redacted".into(),
            item.item
                .redacted
                .clone()
                .unwrap_or_else(|| item.item.original.clone()),
        );
    }
    let invalid = !f.errors.is_empty();
    let r = render(&SarItemPage {
        page: p.page.clone().at("/privacy"),
        request,
        item,
        f,
        decisions: ItemDecision::ALL
            .iter()
            .map(|d| Choice::new(d.as_str(), d.label()))
            .collect(),
        exemptions: Exemption::ALL
            .iter()
            .map(|d| Choice::new(d.as_str(), d.label()))
            .collect(),
    });
    Ok(if invalid { bad(r) } else { r })
}

/// `GET /privacy/subject-access/{id}/review?item=N`.
pub async fn sar_item(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    Query(q): Query<ItemQuery>,
) -> PageResult {
    sar_item_page(&st, &p, &id, q.item, Form::default()).await
}

/// `POST /privacy/subject-access/{id}/review`.
pub async fn sar_item_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<ItemForm>,
) -> PageResult {
    let pos: i64 = f.item.trim().parse().unwrap_or(0);
    match st
        .app
        .decide_subject_access_item(&p.ctx, &id, pos, &f.input)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/privacy/subject-access/{id}#item-{pos}")).into_response())
        }
        Err(AppError::Validation(errors)) => {
            sar_item_page(
                &st,
                &p,
                &id,
                pos,
                Form {
                    values: values(&f.input),
                    errors,
                },
            )
            .await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// The printable response.
#[derive(Template)]
#[template(path = "sar_response.html")]
pub struct SarResponsePage {
    /// Layout.
    pub page: PageCtx,
    /// The response.
    pub b: SarBundle,
}

/// `GET /privacy/subject-access/{id}/response`: the printable document.
pub async fn sar_response(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let b = st
        .app
        .export_subject_access(&p.ctx, &id, "html")
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&SarResponsePage {
        page: p.page.clone().at("/privacy"),
        b,
    }))
}

/// `GET /privacy/subject-access/{id}/response.json`: the response as JSON.
pub async fn sar_response_json(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let b = st
        .app
        .export_subject_access(&p.ctx, &id, "json")
        .await
        .map_err(|e| p.err(e))?;
    let name = format!("subject-access-{}.json", b.request_id);
    let mut r = Json(&b).into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        r.headers_mut()
            .insert(axum::http::header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}
