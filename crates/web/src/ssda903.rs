//! Pages for the looked after children return (SSDA903): the data-quality
//! page (the DfE rules run on current data, per child with a link to the
//! fix, counted per team for managers) and a child's care page, where the
//! period-of-care and placement details the return needs are recorded.
//! Handlers extract, call one `App` function and render (a form with
//! problems calls a second to show the page again).

use crate::AppState;
use crate::error::PageError;
use crate::extract::{FormBody, Page};
use crate::views::{PageCtx, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use harbour_app::AppError;
use harbour_app::ssda903::{CareForm, CareRecord, DataQuality};
use harbour_domain::codes;
use harbour_domain::ids::ChildId;
use harbour_domain::ssda903::episodes as ep;
use harbour_domain::validate::FieldErrors;
use serde::Deserialize;
use std::collections::HashMap;

type PageResult = Result<Response, PageError>;

fn id<T: std::str::FromStr>(p: &Page, s: &str) -> Result<T, PageError> {
    s.parse().map_err(|_| p.err(AppError::NotFound))
}

/// A select option.
#[derive(Clone, Debug)]
pub struct Opt {
    /// Value.
    pub value: String,
    /// Label.
    pub label: String,
}

fn opts(list: &[(&str, &str)]) -> Vec<Opt> {
    list.iter()
        .map(|(c, l)| Opt {
            value: c.to_string(),
            label: format!("{c}: {l}"),
        })
        .collect()
}

/// The data-quality page.
#[derive(Template)]
#[template(path = "data_quality.html")]
pub struct QualityPage {
    /// Layout.
    pub page: PageCtx,
    /// Content.
    pub q: DataQuality,
}

/// `GET /data-quality`.
pub async fn quality(State(st): State<AppState>, p: Page) -> PageResult {
    let q = st.app.data_quality(&p.ctx).await.map_err(|e| p.err(e))?;
    Ok(render(&QualityPage {
        page: p.page.clone().at("/data-quality"),
        q,
    }))
}

/// After-save banner.
#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// A child's care page.
#[derive(Template)]
#[template(path = "care.html")]
pub struct CarePage {
    /// Layout.
    pub page: PageCtx,
    /// Content.
    pub r: CareRecord,
    /// Which form the values and errors belong to ("details", a status
    /// row's id or a placement's id).
    pub form: String,
    /// Submitted values.
    pub values: HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
    /// Banner.
    pub saved: bool,
}

impl CarePage {
    /// A form's value: the submitted one for the form shown again, else `current`.
    pub fn v(&self, form: &str, name: &str, current: impl AsRef<str>) -> String {
        if self.form == form {
            self.values.get(name).cloned().unwrap_or_default()
        } else {
            current.as_ref().to_string()
        }
    }
    /// An error on the form shown again.
    pub fn e(&self, form: &str, name: &str) -> &str {
        if self.form == form {
            self.errors.get(name).unwrap_or("")
        } else {
            ""
        }
    }
    /// Whether the sex option `c` is the one to show selected.
    pub fn sex_selected(&self, c: &str) -> bool {
        self.v("details", "sex", self.r.child.sex.as_str()) == c
    }
    /// LS options.
    pub fn ls_opts(&self) -> Vec<Opt> {
        opts(ep::LS)
    }
    /// CIN options.
    pub fn cin_opts(&self) -> Vec<Opt> {
        opts(ep::CIN)
    }
    /// REC options.
    pub fn rec_opts(&self) -> Vec<Opt> {
        opts(ep::REC)
    }
    /// REASON_PLACE_CHANGE options.
    pub fn reason_opts(&self) -> Vec<Opt> {
        opts(ep::REASON_PLACE_CHANGE)
    }
    /// PLACE options valid this year.
    pub fn place_opts(&self) -> Vec<Opt> {
        harbour_domain::ssda903::PLACE_2025
            .iter()
            .map(|c| Opt {
                value: c.to_string(),
                label: format!(
                    "{c}: {}",
                    codes::place_label(c).unwrap_or("Other placement (DfE code)")
                ),
            })
            .collect()
    }
    /// PLACE_PROVIDER options.
    pub fn provider_opts(&self) -> Vec<Opt> {
        opts(codes::PLACE_PROVIDER)
    }
    /// Ethnicity options.
    pub fn ethnicity_opts(&self) -> Vec<Opt> {
        opts(codes::ETHNICITY)
    }
    /// A code's words, from one of the lists.
    pub fn words(&self, list: &str, code: impl std::borrow::Borrow<Option<String>>) -> String {
        let Some(c) = code.borrow().as_deref() else {
            return "Not recorded".into();
        };
        let l = match list {
            "ls" => ep::label(ep::LS, c),
            "cin" => ep::label(ep::CIN, c),
            "rec" => ep::label(ep::REC, c),
            "reason" => ep::label(ep::REASON_PLACE_CHANGE, c),
            "rne" => ep::label(ep::RNE, c),
            "place" => codes::place_label(c),
            _ => None,
        };
        match l {
            Some(l) => format!("{l} ({c})"),
            None if c == "X1" => "A new episode began (X1)".into(),
            None => c.to_string(),
        }
    }
    /// "Fri 27 November 2026" or "Continuing".
    pub fn end(&self, d: impl OptDate) -> String {
        d.opt_date()
            .map(crate::views::date)
            .unwrap_or_else(|| "Continuing".into())
    }
    /// The child's current mother answer as the form value.
    pub fn mother_now(&self) -> &'static str {
        match self.r.mother {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        }
    }
    /// Day, month, year of the first child's date of birth.
    pub fn mc(&self, part: usize) -> String {
        use chrono::Datelike;
        match self.r.mc_dob {
            Some(d) => [d.day() as i32, d.month() as i32, d.year()][part].to_string(),
            None => String::new(),
        }
    }
}

/// An optional date, however many references deep (templates pass them so).
pub trait OptDate {
    /// The date.
    fn opt_date(&self) -> Option<chrono::NaiveDate>;
}
impl OptDate for Option<chrono::NaiveDate> {
    fn opt_date(&self) -> Option<chrono::NaiveDate> {
        *self
    }
}
impl<T: OptDate + ?Sized> OptDate for &T {
    fn opt_date(&self) -> Option<chrono::NaiveDate> {
        (**self).opt_date()
    }
}

async fn show(
    st: &AppState,
    p: &Page,
    child: ChildId,
    form: &str,
    values: HashMap<String, String>,
    errors: FieldErrors,
) -> PageResult {
    let r = st
        .app
        .care_record(&p.ctx, child)
        .await
        .map_err(|e| p.err(e))?;
    let invalid = !errors.is_empty();
    let mut resp = render(&CarePage {
        page: p.page.clone(),
        r,
        form: form.to_string(),
        values,
        errors,
        saved: false,
    });
    if invalid {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

/// `GET /children/{id}/care`.
pub async fn care(
    State(st): State<AppState>,
    p: Page,
    Path(c): Path<String>,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    let c: ChildId = id(&p, &c)?;
    let r = st.app.care_record(&p.ctx, c).await.map_err(|e| p.err(e))?;
    Ok(render(&CarePage {
        page: p.page.clone(),
        r,
        form: String::new(),
        values: HashMap::new(),
        errors: FieldErrors::new(),
        saved: q.saved.is_some(),
    }))
}

/// `POST /children/{id}/care`: one of the page's forms.
pub async fn care_submit(
    State(st): State<AppState>,
    p: Page,
    Path(c): Path<String>,
    FormBody(f): FormBody<CareForm>,
) -> PageResult {
    let c: ChildId = id(&p, &c)?;
    match st.app.save_care(&p.ctx, c, &f).await {
        Ok(anchor) => {
            Ok(Redirect::to(&format!("/children/{c}/care?saved=1#{anchor}")).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let h = &f.header;
            let values = [
                ("sex", &h.sex),
                ("ethnicity", &h.ethnicity),
                ("upn", &h.upn),
                ("mother", &h.mother),
                ("mc_dob-day", &h.mc_day),
                ("mc_dob-month", &h.mc_month),
                ("mc_dob-year", &h.mc_year),
                ("ls", &f.status.ls),
                ("cin", &f.status.cin),
                ("rec", &f.status.rec),
                ("home_postcode", &f.status.home_postcode),
                ("place", &f.placement.place),
                ("provider", &f.placement.provider),
                ("reason", &f.placement.reason),
                ("urn", &f.placement.urn),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
            let form = if f.section == "details" {
                "details".to_string()
            } else {
                f.row.clone()
            };
            show(&st, &p, c, &form, values, errors).await
        }
        Err(e) => Err(p.err(e)),
    }
}
