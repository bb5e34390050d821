//! Pages for the schools partnership (schools, designated staff,
//! membership, contacts and referrals, the report per school and term with
//! its chart and CSV) and children missing education (school notices, CME
//! cases with enquiry steps and outcome). Handlers extract, call one `App`
//! function and render.

use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::extract::{ApiCtx, FormBody, Page};
use crate::views::{Choice, PageCtx, render};
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use harbour_app::AppError;
use harbour_app::schools::*;
use harbour_domain::ids::ChildId;
use harbour_domain::schools::*;
use harbour_domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

type PageResult = Result<Response, PageError>;
type Values = HashMap<String, String>;

fn id<T: std::str::FromStr>(p: &Page, s: &str) -> Result<T, PageError> {
    s.parse().map_err(|_| p.err(AppError::NotFound))
}

fn bad(mut r: Response) -> Response {
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

fn values(pairs: &[(String, String)]) -> Values {
    pairs.iter().cloned().collect()
}

fn g(v: &Values, k: &str) -> String {
    v.get(k).cloned().unwrap_or_default()
}

fn opts<T: Copy>(all: &[T], f: impl Fn(T) -> (&'static str, &'static str)) -> Vec<Choice> {
    all.iter()
        .map(|x| {
            let (v, l) = f(*x);
            Choice::new(v, l)
        })
        .collect()
}

/// Form state shared by the pages below.
#[derive(Clone, Debug, Default)]
pub struct FormState {
    /// Submitted values.
    pub values: Values,
    /// Problems.
    pub errors: FieldErrors,
    /// Choices by field.
    pub choices: HashMap<&'static str, Vec<Choice>>,
}

impl FormState {
    fn new(values: Values, errors: FieldErrors) -> Self {
        Self {
            values,
            errors,
            choices: HashMap::new(),
        }
    }
    /// A value.
    pub fn v(&self, n: &str) -> &str {
        self.values.get(n).map(String::as_str).unwrap_or("")
    }
    /// An error.
    pub fn e(&self, n: &str) -> &str {
        self.errors.get(n).unwrap_or("")
    }
    /// Choices.
    pub fn o(&self, n: &str) -> &[Choice] {
        self.choices.get(n).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// `?saved=…`.
#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    late: Option<String>,
}

/// The schools list.
#[derive(Template)]
#[template(path = "schools.html")]
pub struct SchoolsPage {
    /// Layout.
    pub page: PageCtx,
    /// Data.
    pub s: SchoolsIndex,
    /// The add-school form.
    pub f: FormState,
    /// Errors (for the summary).
    pub errors: FieldErrors,
}

async fn schools_page(st: &AppState, p: &Page, f: FormState) -> PageResult {
    let s = st.app.schools_index(&p.ctx).await.map_err(|e| p.err(e))?;
    let mut f = f;
    f.choices.insert(
        "phase",
        PHASES.iter().map(|x| Choice::new(*x, *x)).collect(),
    );
    let errors = f.errors.clone();
    let failed = !errors.is_empty();
    let r = render(&SchoolsPage {
        page: p.page.clone(),
        s,
        f,
        errors,
    });
    Ok(if failed { bad(r) } else { r })
}

/// GET /schools.
pub async fn index(State(st): State<AppState>, p: Page) -> PageResult {
    schools_page(&st, &p, FormState::default()).await
}

/// POST /schools: add a school.
pub async fn add(
    State(st): State<AppState>,
    p: Page,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> PageResult {
    let v = values(&pairs);
    let input = SchoolInput {
        urn: g(&v, "urn"),
        name: g(&v, "name"),
        phase: g(&v, "phase"),
    };
    match st.app.add_school(&p.ctx, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/schools/{id}")).into_response()),
        Err(AppError::Validation(e)) => schools_page(&st, &p, FormState::new(v, e)).await,
        Err(e) => Err(p.err(e)),
    }
}

/// A school's page.
#[derive(Template)]
#[template(path = "school.html")]
pub struct SchoolPageT {
    /// Layout.
    pub page: PageCtx,
    /// Data.
    pub s: SchoolPage,
    /// Forms (staff, membership).
    pub f: FormState,
    /// Errors (for the summary).
    pub errors: FieldErrors,
    /// What was just saved.
    pub saved: Option<String>,
    /// A notice just saved was late.
    pub late: bool,
}

impl SchoolPageT {
    /// A staff role's label.
    pub fn role_label(&self, code: &str) -> &'static str {
        StaffRole::parse(code).map_or("", StaffRole::label)
    }
    /// A contact kind's label.
    pub fn kind_label(&self, code: &str) -> &'static str {
        ContactKind::parse(code).map_or("", ContactKind::label)
    }
    /// An outcome's label.
    pub fn outcome_label(&self, code: &str) -> &'static str {
        ContactOutcome::parse(code).map_or("", ContactOutcome::label)
    }
    /// A notice kind's label.
    pub fn notice_label(&self, code: &str) -> &'static str {
        NoticeKind::parse(code).map_or("", NoticeKind::label)
    }
    /// A ground's label.
    pub fn ground_label(&self, code: &Option<String>) -> &'static str {
        code.as_deref()
            .and_then(DeletionGround::parse)
            .map_or("", DeletionGround::label)
    }
}

async fn school_page(st: &AppState, p: &Page, id: Uuid, f: FormState, q: SavedQuery) -> PageResult {
    let s = st.app.school_page(&p.ctx, id).await.map_err(|e| p.err(e))?;
    let mut f = f;
    f.choices
        .insert("role", opts(StaffRole::ALL, |r| (r.as_str(), r.label())));
    f.choices.insert(
        "supervisor",
        s.supervisors
            .iter()
            .map(|u| Choice::new(u.id.to_string(), u.name.clone()))
            .collect(),
    );
    f.choices.insert(
        "user",
        s.school_users
            .iter()
            .map(|u| Choice::new(u.id.to_string(), format!("{} ({})", u.name, u.email)))
            .collect(),
    );
    f.choices.insert(
        "change",
        if s.member_now {
            vec![Choice::new("leave", "Left the partnership")]
        } else {
            vec![Choice::new("join", "Joined the partnership")]
        },
    );
    let errors = f.errors.clone();
    let failed = !errors.is_empty();
    let r = render(&SchoolPageT {
        page: p.page.clone(),
        s,
        f,
        errors,
        saved: q.saved,
        late: q.late.is_some(),
    });
    Ok(if failed { bad(r) } else { r })
}

/// GET /schools/{id}.
pub async fn school(
    State(st): State<AppState>,
    p: Page,
    Path(sid): Path<String>,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    let sid = id(&p, &sid)?;
    school_page(&st, &p, sid, FormState::default(), q).await
}

/// POST /schools/{id}/staff.
pub async fn add_staff(
    State(st): State<AppState>,
    p: Page,
    Path(sid): Path<String>,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> PageResult {
    let sid: Uuid = id(&p, &sid)?;
    let v = values(&pairs);
    let input = StaffInput {
        name: g(&v, "name"),
        role: g(&v, "role"),
        email: g(&v, "email"),
        phone: g(&v, "phone"),
        user: g(&v, "user"),
        supervisor: g(&v, "supervisor"),
    };
    match st.app.add_school_staff(&p.ctx, sid, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{sid}?saved=staff")).into_response()),
        Err(AppError::Validation(e)) => {
            school_page(&st, &p, sid, FormState::new(v, e), SavedQuery::default()).await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// POST /schools/{id}/membership.
pub async fn membership(
    State(st): State<AppState>,
    p: Page,
    Path(sid): Path<String>,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> PageResult {
    let sid: Uuid = id(&p, &sid)?;
    let v = values(&pairs);
    let input = MembershipInput {
        change: g(&v, "change"),
        date: g(&v, "date"),
    };
    match st.app.set_membership(&p.ctx, sid, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{sid}?saved=membership")).into_response()),
        Err(AppError::Validation(e)) => {
            school_page(&st, &p, sid, FormState::new(v, e), SavedQuery::default()).await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// The contact form.
#[derive(Template)]
#[template(path = "school_contact.html")]
pub struct ContactPage {
    /// Layout.
    pub page: PageCtx,
    /// The school.
    pub school: harbour_db::schools::School,
    /// Form.
    pub f: FormState,
    /// Errors.
    pub errors: FieldErrors,
}

async fn contact_page(st: &AppState, p: &Page, sid: Uuid, f: FormState) -> PageResult {
    let school = st
        .app
        .contact_form(&p.ctx, sid)
        .await
        .map_err(|e| p.err(e))?;
    let mut f = f;
    f.choices
        .insert("kind", opts(ContactKind::ALL, |k| (k.as_str(), k.label())));
    f.choices.insert(
        "outcome",
        opts(ContactOutcome::ALL, |k| (k.as_str(), k.label())),
    );
    let errors = f.errors.clone();
    let failed = !errors.is_empty();
    let r = render(&ContactPage {
        page: p.page.clone(),
        school,
        f,
        errors,
    });
    Ok(if failed { bad(r) } else { r })
}

/// GET /schools/{id}/contacts/new.
pub async fn contact_form(
    State(st): State<AppState>,
    p: Page,
    Path(sid): Path<String>,
) -> PageResult {
    let sid = id(&p, &sid)?;
    contact_page(&st, &p, sid, FormState::default()).await
}

/// POST /schools/{id}/contacts/new.
pub async fn contact_submit(
    State(st): State<AppState>,
    p: Page,
    Path(sid): Path<String>,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> PageResult {
    let sid: Uuid = id(&p, &sid)?;
    let v = values(&pairs);
    let input = ContactInput {
        date: g(&v, "date"),
        time: g(&v, "time"),
        kind: g(&v, "kind"),
        contact_name: g(&v, "contact_name"),
        child_ref: g(&v, "child_ref"),
        summary: g(&v, "summary"),
        outcome: g(&v, "outcome"),
    };
    match st.app.record_school_contact(&p.ctx, sid, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{sid}?saved=contact")).into_response()),
        Err(AppError::Validation(e)) => contact_page(&st, &p, sid, FormState::new(v, e)).await,
        Err(e) => Err(p.err(e)),
    }
}

/// One term's bars in the chart.
#[derive(Clone, Debug)]
pub struct Bar {
    /// Left of the term's slot.
    pub x: i64,
    /// Slot width.
    pub slot: i64,
    /// Referrals bar top and height.
    pub ref_y: i64,
    /// Height.
    pub ref_h: i64,
    /// Cases bar top.
    pub case_y: i64,
    /// Height.
    pub case_h: i64,
    /// "Aut 25".
    pub short: String,
    /// Full label.
    pub label: String,
    /// Referrals.
    pub referrals: u32,
    /// Cases.
    pub cases: u32,
    /// In the partnership (shaded).
    pub member: bool,
    /// Centre of the slot.
    pub mid: i64,
}

/// The chart's geometry (viewBox 0 0 640 240; plot from y=20 to y=190).
#[derive(Clone, Debug)]
pub struct Chart {
    /// Bars.
    pub bars: Vec<Bar>,
    /// Gridlines: (y, label).
    pub grid: Vec<(i64, u32)>,
    /// Summary for the text alternative.
    pub summary: String,
}

const PLOT_LEFT: i64 = 48;
const PLOT_RIGHT: i64 = 624;
const PLOT_TOP: i64 = 20;
const PLOT_BOTTOM: i64 = 190;

/// Lay the report out as grouped bars (referrals, and those that became
/// cases) per term, terms in the partnership shaded.
pub fn chart(r: &SchoolReport) -> Chart {
    let max = r.rows.iter().map(|x| x.referrals).max().unwrap_or(0).max(1);
    // A round top: the next even number at or above the largest count.
    let top = max.div_ceil(2) * 2;
    let n = r.rows.len().max(1) as i64;
    let slot = (PLOT_RIGHT - PLOT_LEFT) / n;
    let h = |v: u32| (i64::from(v) * (PLOT_BOTTOM - PLOT_TOP)) / i64::from(top);
    let bars = r
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let x = PLOT_LEFT + slot * i as i64;
            let label = row.term.label();
            let short = {
                let (season, year) = label.split_once(' ').unwrap_or((&label, ""));
                format!(
                    "{} {}",
                    &season[..3.min(season.len())],
                    &year[year.len().saturating_sub(2)..]
                )
            };
            Bar {
                x,
                slot,
                ref_h: h(row.referrals),
                ref_y: PLOT_BOTTOM - h(row.referrals),
                case_h: h(row.became_cases),
                case_y: PLOT_BOTTOM - h(row.became_cases),
                short,
                label,
                referrals: row.referrals,
                cases: row.became_cases,
                member: row.phase == Phase::Member,
                mid: x + slot / 2,
            }
        })
        .collect();
    let grid = (0..=2)
        .map(|k| {
            let v = top * k / 2;
            (PLOT_BOTTOM - h(v), v)
        })
        .collect();
    let per = |x: Option<f64>| x.map_or("no complete terms".into(), |v| format!("{v:.1} a term"));
    let n = |v: u32, one: &str, many: &str| format!("{v} {}", if v == 1 { one } else { many });
    let side = |t: &SideTotals| {
        format!(
            "{} in {} ({}), {} became {}",
            n(t.referrals, "referral", "referrals"),
            n(t.terms, "complete term", "complete terms"),
            per(t.referrals_per_term()),
            t.became_cases,
            if t.became_cases == 1 {
                "a case"
            } else {
                "cases"
            }
        )
    };
    let summary = format!(
        "Referrals from {} by term. Before joining: {}. In the partnership: {}.",
        r.school.name,
        side(&r.before),
        side(&r.member),
    );
    Chart {
        bars,
        grid,
        summary,
    }
}

/// The report page.
#[derive(Template)]
#[template(path = "school_report.html")]
pub struct ReportPage {
    /// Layout.
    pub page: PageCtx,
    /// Data.
    pub r: SchoolReport,
    /// Chart.
    pub chart: Chart,
}

impl ReportPage {
    /// A per-term figure, one decimal place.
    pub fn per(&self, v: Option<f64>) -> String {
        v.map_or("–".into(), |v| format!("{v:.1}"))
    }
    /// A percentage.
    pub fn pct(&self, v: Option<u32>) -> String {
        v.map_or("–".into(), |v| format!("{v}%"))
    }
}

/// GET /schools/{id}/report.
pub async fn report(State(st): State<AppState>, p: Page, Path(sid): Path<String>) -> PageResult {
    let sid = id(&p, &sid)?;
    let r = st
        .app
        .school_report(&p.ctx, sid)
        .await
        .map_err(|e| p.err(e))?;
    let chart = chart(&r);
    Ok(render(&ReportPage {
        page: p.page.clone(),
        r,
        chart,
    }))
}

/// GET /schools/{id}/report.csv.
pub async fn report_csv(
    State(st): State<AppState>,
    p: Page,
    Path(sid): Path<String>,
) -> PageResult {
    let sid = id(&p, &sid)?;
    let r = st
        .app
        .school_report(&p.ctx, sid)
        .await
        .map_err(|e| p.err(e))?;
    let name = format!("school-{}-referrals-by-term.csv", r.school.urn);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        harbour_app::schools::report_csv(&r),
    )
        .into_response())
}

/// The CME page.
#[derive(Template)]
#[template(path = "cme.html")]
pub struct CmePage {
    /// Layout.
    pub page: PageCtx,
    /// Data.
    pub h: CmeHome,
    /// Just saved.
    pub saved: Option<String>,
    /// A notice just saved was late.
    pub late: bool,
}

impl CmePage {
    /// A notice kind's label.
    pub fn notice_label(&self, code: &str) -> &'static str {
        NoticeKind::parse(code).map_or("", NoticeKind::label)
    }
    /// A ground's label.
    pub fn ground_label(&self, code: &Option<String>) -> &'static str {
        code.as_deref()
            .and_then(DeletionGround::parse)
            .map_or("", DeletionGround::label)
    }
}

/// GET /cme.
pub async fn cme(State(st): State<AppState>, p: Page, Query(q): Query<SavedQuery>) -> PageResult {
    let h = st.app.cme_home(&p.ctx).await.map_err(|e| p.err(e))?;
    Ok(render(&CmePage {
        page: p.page.clone(),
        h,
        saved: q.saved,
        late: q.late.is_some(),
    }))
}

/// The notice form.
#[derive(Template)]
#[template(path = "cme_notice.html")]
pub struct NoticePage {
    /// Layout.
    pub page: PageCtx,
    /// Form.
    pub f: FormState,
    /// Errors.
    pub errors: FieldErrors,
}

async fn notice_page(st: &AppState, p: &Page, f: FormState) -> PageResult {
    let schools = st.app.notice_schools(&p.ctx).await.map_err(|e| p.err(e))?;
    let mut f = f;
    if schools.len() == 1 && f.v("school").is_empty() {
        f.values.insert("school".into(), schools[0].id.to_string());
    }
    f.choices.insert(
        "school",
        schools
            .iter()
            .map(|s| Choice::new(s.id.to_string(), format!("{} (URN {})", s.name, s.urn)))
            .collect(),
    );
    f.choices
        .insert("kind", opts(NoticeKind::ALL, |k| (k.as_str(), k.label())));
    f.choices.insert(
        "ground",
        opts(DeletionGround::ALL, |k| (k.as_str(), k.label())),
    );
    let errors = f.errors.clone();
    let failed = !errors.is_empty();
    let r = render(&NoticePage {
        page: p.page.clone(),
        f,
        errors,
    });
    Ok(if failed { bad(r) } else { r })
}

/// GET /cme/notices/new.
pub async fn notice_form(State(st): State<AppState>, p: Page) -> PageResult {
    notice_page(&st, &p, FormState::default()).await
}

/// POST /cme/notices/new.
pub async fn notice_submit(
    State(st): State<AppState>,
    p: Page,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> PageResult {
    let v = values(&pairs);
    let input = NoticeInput {
        school: g(&v, "school"),
        kind: g(&v, "kind"),
        pupil_name: g(&v, "pupil_name"),
        dob: g(&v, "dob"),
        upn: g(&v, "upn"),
        event_on: g(&v, "event_on"),
        notified_on: g(&v, "notified_on"),
        ground: g(&v, "ground"),
        destination: g(&v, "destination"),
    };
    match st.app.record_notice(&p.ctx, &input).await {
        Ok(late) => {
            let late = if late { "&late=1" } else { "" };
            // The authority's staff go back to the CME page; a school's
            // practitioner to their school's page.
            let to = if harbour_domain::authz::decide_service(
                &p.ctx.me.actor,
                harbour_domain::authz::ServiceAction::CmeCases,
            ) {
                format!("/cme?saved=notice{late}")
            } else {
                format!("/schools/{}?saved=notice{late}", input.school.trim())
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(AppError::Validation(e)) => notice_page(&st, &p, FormState::new(v, e)).await,
        Err(e) => Err(p.err(e)),
    }
}

/// The form to open a CME case.
#[derive(Template)]
#[template(path = "cme_case_form.html")]
pub struct CaseFormPage {
    /// Layout.
    pub page: PageCtx,
    /// Data.
    pub c: CaseForm,
    /// Form.
    pub f: FormState,
    /// Errors.
    pub errors: FieldErrors,
}

async fn case_form_page(st: &AppState, p: &Page, child: ChildId, f: FormState) -> PageResult {
    let c = st
        .app
        .cme_case_form(&p.ctx, child)
        .await
        .map_err(|e| p.err(e))?;
    let mut f = f;
    f.choices.insert(
        "school",
        c.schools
            .iter()
            .map(|s| Choice::new(s.id.to_string(), format!("{} (URN {})", s.name, s.urn)))
            .collect(),
    );
    f.choices.insert(
        "notice",
        c.notices
            .iter()
            .map(|n| {
                Choice::new(
                    n.id.to_string(),
                    format!(
                        "{}, deleted by {} on {}",
                        n.pupil_name,
                        n.school_name,
                        harbour_domain::calendar::format_date(n.event_on)
                    ),
                )
            })
            .collect(),
    );
    f.choices.insert(
        "episode",
        c.episodes
            .iter()
            .map(|e| {
                Choice::new(
                    e.id.to_string(),
                    format!(
                        "{} from education, last seen {}",
                        e.kind.label(),
                        harbour_domain::calendar::format_london(e.last_seen_at)
                    ),
                )
            })
            .collect(),
    );
    let errors = f.errors.clone();
    let failed = !errors.is_empty();
    let r = render(&CaseFormPage {
        page: p.page.clone(),
        c,
        f,
        errors,
    });
    Ok(if failed { bad(r) } else { r })
}

/// GET /children/{id}/cme/new.
pub async fn case_form(State(st): State<AppState>, p: Page, Path(cid): Path<String>) -> PageResult {
    let cid = id(&p, &cid)?;
    case_form_page(&st, &p, cid, FormState::default()).await
}

/// POST /children/{id}/cme/new.
pub async fn case_submit(
    State(st): State<AppState>,
    p: Page,
    Path(cid): Path<String>,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> PageResult {
    let cid: ChildId = id(&p, &cid)?;
    let v = values(&pairs);
    let input = CaseInput {
        opened_on: g(&v, "opened_on"),
        school: g(&v, "school"),
        episode: g(&v, "episode"),
        notice: g(&v, "notice"),
        reason: g(&v, "reason"),
    };
    match st.app.open_cme_case(&p.ctx, cid, &input).await {
        Ok(case) => Ok(Redirect::to(&format!("/cme/{case}?saved=opened")).into_response()),
        Err(AppError::Validation(e)) => case_form_page(&st, &p, cid, FormState::new(v, e)).await,
        Err(e) => Err(p.err(e)),
    }
}

/// A CME case.
#[derive(Template)]
#[template(path = "cme_case.html")]
pub struct CasePage {
    /// Layout.
    pub page: PageCtx,
    /// Data.
    pub c: CaseView,
    /// Forms (step, outcome).
    pub f: FormState,
    /// Errors.
    pub errors: FieldErrors,
    /// Just saved.
    pub saved: Option<String>,
}

impl CasePage {
    /// A ground's label.
    pub fn ground_label(&self, code: &Option<String>) -> &'static str {
        code.as_deref()
            .and_then(DeletionGround::parse)
            .map_or("", DeletionGround::label)
    }
    /// A step kind's label.
    pub fn step_label(&self, code: &str) -> &'static str {
        StepKind::parse(code).map_or("", StepKind::label)
    }
    /// The outcome's label.
    pub fn outcome_label(&self) -> &'static str {
        self.c
            .case
            .outcome
            .as_deref()
            .and_then(CmeOutcome::parse)
            .map_or("", CmeOutcome::label)
    }
}

async fn case_page(
    st: &AppState,
    p: &Page,
    cid: Uuid,
    f: FormState,
    saved: Option<String>,
) -> PageResult {
    let c = st.app.cme_case(&p.ctx, cid).await.map_err(|e| p.err(e))?;
    let mut f = f;
    f.choices
        .insert("kind", opts(StepKind::ALL, |k| (k.as_str(), k.label())));
    f.choices.insert(
        "outcome",
        opts(CmeOutcome::ALL, |k| (k.as_str(), k.label())),
    );
    let errors = f.errors.clone();
    let failed = !errors.is_empty();
    let r = render(&CasePage {
        page: p.page.clone(),
        c,
        f,
        errors,
        saved,
    });
    Ok(if failed { bad(r) } else { r })
}

/// GET /cme/{id}.
pub async fn case(
    State(st): State<AppState>,
    p: Page,
    Path(cid): Path<String>,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    let cid = id(&p, &cid)?;
    case_page(&st, &p, cid, FormState::default(), q.saved).await
}

/// POST /cme/{id}/steps.
pub async fn step_submit(
    State(st): State<AppState>,
    p: Page,
    Path(cid): Path<String>,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> PageResult {
    let cid: Uuid = id(&p, &cid)?;
    let v = values(&pairs);
    let input = StepInput {
        kind: g(&v, "kind"),
        done_on: g(&v, "done_on"),
        done_by: g(&v, "done_by"),
        result: g(&v, "result"),
    };
    match st.app.add_cme_step(&p.ctx, cid, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/cme/{cid}?saved=step")).into_response()),
        Err(AppError::Validation(e)) => case_page(&st, &p, cid, FormState::new(v, e), None).await,
        Err(e) => Err(p.err(e)),
    }
}

/// POST /cme/{id}/outcome.
pub async fn outcome_submit(
    State(st): State<AppState>,
    p: Page,
    Path(cid): Path<String>,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> PageResult {
    let cid: Uuid = id(&p, &cid)?;
    let v = values(&pairs);
    let input = OutcomeInput {
        outcome: g(&v, "outcome"),
        outcome_on: g(&v, "outcome_on"),
        notes: g(&v, "notes"),
    };
    match st.app.close_cme_case(&p.ctx, cid, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/cme/{cid}?saved=closed")).into_response()),
        Err(AppError::Validation(e)) => case_page(&st, &p, cid, FormState::new(v, e), None).await,
        Err(e) => Err(p.err(e)),
    }
}

/// One term of a school's report.
#[derive(Serialize, ToSchema)]
pub struct TermOut {
    /// "Autumn 2025".
    pub term: String,
    /// "Autumn 2025/26".
    pub academic_term: String,
    /// First day.
    pub first_day: NaiveDate,
    /// Last day.
    pub last_day: NaiveDate,
    /// `before`, `member`, `changed` (joined or left in the term) or `left`.
    pub phase: String,
    /// Contacts of either kind.
    pub contacts: u32,
    /// Consultations without referral.
    pub consultations: u32,
    /// Referrals.
    pub referrals: u32,
    /// Referrals that became social-care cases.
    pub became_cases: u32,
}

/// Totals over complete terms on one side of the split.
#[derive(Serialize, ToSchema)]
pub struct SideOut {
    /// Complete terms counted.
    pub terms: u32,
    /// Contacts.
    pub contacts: u32,
    /// Referrals.
    pub referrals: u32,
    /// Referrals that became cases.
    pub became_cases: u32,
    /// Referrals per term.
    pub referrals_per_term: Option<f64>,
    /// Cases per term.
    pub cases_per_term: Option<f64>,
}

impl From<&SideTotals> for SideOut {
    fn from(t: &SideTotals) -> Self {
        Self {
            terms: t.terms,
            contacts: t.contacts,
            referrals: t.referrals,
            became_cases: t.became_cases,
            referrals_per_term: t.referrals_per_term(),
            cases_per_term: t.cases_per_term(),
        }
    }
}

/// A school's report: figures only, no child.
#[derive(Serialize, ToSchema)]
pub struct ReportOut {
    /// The school's URN.
    pub urn: String,
    /// Its name.
    pub name: String,
    /// Membership periods: (joined, left).
    pub memberships: Vec<MembershipOut>,
    /// Terms, oldest first; the last is the current, unfinished term.
    pub terms: Vec<TermOut>,
    /// Complete terms before joining.
    pub before: SideOut,
    /// Complete terms in the partnership.
    pub member: SideOut,
}

/// A membership period.
#[derive(Serialize, ToSchema)]
pub struct MembershipOut {
    /// Joined.
    pub joined: NaiveDate,
    /// Left (null: still a member).
    pub left: Option<NaiveDate>,
}

/// A school's referrals by term, before and after joining the partnership.
/// Audited as `school.report`.
#[utoipa::path(get, path = "/api/v1/schools/{id}/report", params(("id" = String, Path)), responses((status = 200, body = ReportOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_report(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(sid): Path<String>,
) -> Result<Json<ReportOut>, ApiError> {
    let sid: Uuid = sid.parse().map_err(|_| ctx.err(AppError::NotFound))?;
    let r = st
        .app
        .school_report(&ctx.0, sid)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(ReportOut {
        urn: r.school.urn.clone(),
        name: r.school.name.clone(),
        memberships: r
            .memberships
            .iter()
            .map(|m| MembershipOut {
                joined: m.joined,
                left: m.left,
            })
            .collect(),
        terms: r
            .rows
            .iter()
            .map(|row| {
                let (first_day, last_day) = row.term.bounds();
                TermOut {
                    term: row.term.label(),
                    academic_term: row.term.academic_label(),
                    first_day,
                    last_day,
                    phase: match row.phase {
                        Phase::Before => "before",
                        Phase::Member => "member",
                        Phase::Changed => "changed",
                        Phase::Left => "left",
                    }
                    .into(),
                    contacts: row.contacts,
                    consultations: row.consultations,
                    referrals: row.referrals,
                    became_cases: row.became_cases,
                }
            })
            .collect(),
        before: (&r.before).into(),
        member: (&r.member).into(),
    }))
}

/// An enquiry in a CME case.
#[derive(Serialize, ToSchema)]
pub struct StepOut {
    /// `school`, `home_visit`, `other_la`, `police`, `health`, `border_force`, `social_care`, `other`.
    pub kind: String,
    /// When.
    pub done_on: NaiveDate,
    /// By whom.
    pub done_by: String,
    /// What was found.
    pub result: String,
}

/// A children-missing-education case.
#[derive(Serialize, ToSchema)]
pub struct CmeCaseOut {
    /// Id.
    pub id: Uuid,
    /// Opened.
    pub opened_on: NaiveDate,
    /// Why.
    pub reason: String,
    /// The last school's name.
    pub school: Option<String>,
    /// The linked missing-from-education episode.
    pub episode_id: Option<Uuid>,
    /// `found_in_education`, `moved_to_another_la`, `moved_abroad`, `home_educated`, `missing_referred`; null while open.
    pub outcome: Option<String>,
    /// Closed on.
    pub outcome_on: Option<NaiveDate>,
    /// Enquiries, oldest first.
    pub steps: Vec<StepOut>,
}

/// A child's children-missing-education cases, newest first. Audited as `cme.view`.
#[utoipa::path(get, path = "/api/v1/children/{id}/cme-cases", params(("id" = String, Path)), responses((status = 200, body = [CmeCaseOut]), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_cme_cases(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(cid): Path<String>,
) -> Result<Json<Vec<CmeCaseOut>>, ApiError> {
    let cid: ChildId = cid.parse().map_err(|_| ctx.err(AppError::NotFound))?;
    let (cases, steps) = st
        .app
        .cme_cases_for_child(&ctx.0, cid)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(
        cases
            .into_iter()
            .map(|c| CmeCaseOut {
                steps: steps
                    .iter()
                    .filter(|s| s.case_id == c.id)
                    .map(|s| StepOut {
                        kind: s.kind.clone(),
                        done_on: s.done_on,
                        done_by: s.done_by.clone(),
                        result: s.result.clone(),
                    })
                    .collect(),
                id: c.id,
                opened_on: c.opened_on,
                reason: c.reason,
                school: c.school_name,
                episode_id: c.episode_id,
                outcome: c.outcome,
                outcome_on: c.outcome_on,
            })
            .collect(),
    ))
}
