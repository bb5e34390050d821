//! Pages for the performance dashboards (SVG charts with their tables and
//! CSV downloads, filtered by team and period) and the statutory lists (the
//! Ofsted Annex A lists as XLSX and CSV, the CIN assessment factors as
//! CSV). Handlers extract, call one `App` function and render.

use crate::AppState;
use crate::charts::{BarChart, bar_chart};
use crate::error::PageError;
use crate::extract::Page;
use crate::views::{PageCtx, render};
use crate::xlsx::{Sheet, workbook};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use harbour_app::AppError;
use harbour_app::reports::{AnnexA, Chart, Dashboards, TeamChoice};
use harbour_domain::ids::TeamId;
use harbour_domain::reports::{AnnexList, Lookback, csv};
use serde::Deserialize;

type PageResult = Result<Response, PageError>;

/// `?team=&months=` on the dashboards and their CSVs.
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    /// `all`, a team id, or nothing for the viewer's default.
    #[serde(default)]
    pub team: Option<String>,
    /// `6` or `12` (default 12).
    #[serde(default)]
    pub months: Option<String>,
}

impl Filter {
    fn choice(&self, p: &Page) -> Result<TeamChoice, PageError> {
        match self.team.as_deref().map(str::trim) {
            None | Some("") => Ok(TeamChoice::Default),
            Some("all") => Ok(TeamChoice::All),
            Some(s) => s
                .parse::<uuid::Uuid>()
                .map(|u| TeamChoice::Team(TeamId(u)))
                .map_err(|_| p.err(AppError::NotFound)),
        }
    }
    fn lookback(&self) -> Lookback {
        self.months
            .as_deref()
            .and_then(Lookback::parse)
            .unwrap_or(Lookback::TWELVE)
    }
}

/// A chart with its drawing and its download address.
pub struct ChartView {
    /// Figures.
    pub data: Chart,
    /// Drawing.
    pub svg: BarChart,
    /// The CSV address.
    pub csv_href: String,
    /// The table: each category with its value in every series.
    pub rows: Vec<(String, Vec<i64>)>,
}

/// `/dashboards`.
#[derive(Template)]
#[template(path = "dashboards.html")]
pub struct DashboardsPage {
    /// Layout.
    pub page: PageCtx,
    /// Figures.
    pub d: Dashboards,
    /// Charts.
    pub charts: Vec<ChartView>,
    /// The selected team value (`all` or an id).
    pub team_value: String,
}

impl DashboardsPage {
    /// "Looked-after team" or "All teams".
    pub fn scope(&self) -> String {
        match &self.d.team {
            Some((_, n)) => n.clone(),
            None => "All teams".into(),
        }
    }
}

fn query_string(team: &str, months: u32) -> String {
    format!("team={team}&months={months}")
}

/// The dashboards page.
pub async fn dashboards(
    State(st): State<AppState>,
    p: Page,
    Query(f): Query<Filter>,
) -> PageResult {
    let choice = f.choice(&p)?;
    let d = st
        .app
        .dashboards(&p.ctx, choice, f.lookback())
        .await
        .map_err(|e| p.err(e))?;
    let team_value = d
        .team
        .as_ref()
        .map(|(id, _)| id.to_string())
        .unwrap_or_else(|| "all".into());
    let qs = query_string(&team_value, d.lookback.months());
    let charts = d
        .charts
        .iter()
        .map(|c| {
            let series: Vec<(String, Vec<i64>)> = c
                .series
                .iter()
                .map(|s| (s.name.clone(), s.values.clone()))
                .collect();
            let desc = format!(
                "{} {} The table below the chart gives every figure.",
                c.about,
                summary(c)
            );
            let rows = c
                .categories
                .iter()
                .enumerate()
                .map(|(i, cat)| {
                    (
                        cat.clone(),
                        c.series
                            .iter()
                            .map(|s| s.values.get(i).copied().unwrap_or(0))
                            .collect(),
                    )
                })
                .collect();
            ChartView {
                rows,
                svg: bar_chart(c.key, &c.title, &desc, &c.categories, &series),
                csv_href: format!("/dashboards/csv/{}?{qs}", c.key),
                data: c.clone(),
            }
        })
        .collect();
    Ok(render(&DashboardsPage {
        page: p.page.clone().at("/dashboards"),
        d,
        charts,
        team_value,
    }))
}

/// "Totals: Missing 12, Away 3." for the chart description.
fn summary(c: &Chart) -> String {
    let parts: Vec<String> = c
        .series
        .iter()
        .map(|s| format!("{} {}", s.name, s.values.iter().sum::<i64>()))
        .collect();
    format!("Totals: {}.", parts.join(", "))
}

pub(crate) fn download(name: &str, content_type: &'static str, body: Vec<u8>) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// One chart's figures as CSV.
pub async fn dashboard_csv(
    State(st): State<AppState>,
    p: Page,
    Path(key): Path<String>,
    Query(f): Query<Filter>,
) -> PageResult {
    let choice = f.choice(&p)?;
    let (name, body) = st
        .app
        .dashboard_csv(&p.ctx, choice, f.lookback(), &key)
        .await
        .map_err(|e| p.err(e))?;
    Ok(download(
        &name,
        "text/csv; charset=utf-8",
        body.into_bytes(),
    ))
}

/// `/reports`: the statutory lists to download.
#[derive(Template)]
#[template(path = "statutory_lists.html")]
pub struct StatutoryPage {
    /// Layout.
    pub page: PageCtx,
    /// The lists, for their headings and blank columns.
    pub lists: Vec<AnnexList>,
}

/// The statutory lists page.
pub async fn statutory(State(st): State<AppState>, p: Page) -> PageResult {
    st.app
        .statutory_lists_page(&p.ctx)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&StatutoryPage {
        page: p.page.clone().at("/reports"),
        lists: AnnexList::ALL.to_vec(),
    }))
}

/// `?months=` on the Annex A downloads.
#[derive(Debug, Default, Deserialize)]
pub struct Months {
    /// `6` or `12`.
    #[serde(default)]
    pub months: Option<String>,
}

impl Months {
    fn lookback(&self, p: &Page) -> Result<Lookback, PageError> {
        match self.months.as_deref() {
            None | Some("") => Ok(Lookback::SIX),
            Some(s) => Lookback::parse(s).ok_or_else(|| p.err(AppError::NotFound)),
        }
    }
}

/// The notes sheet: what each list holds and which columns are blank.
fn notes(a: &AnnexA) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec!["Harbour: Ofsted Annex A lists".to_string()],
        vec![format!(
            "Built on {} with a {}-month lookback (missing and absent counts in List 8 cover 12 months).",
            a.today.format("%d/%m/%Y"),
            a.lookback.months()
        )],
        vec!["Lists 2, 4, 5 and 9-11 are not produced: Harbour does not record early help, assessments, section 47 enquiries, care leavers' pathway plans or adoption.".to_string()],
    ];
    rows.extend(
        a.lists
            .iter()
            .filter_map(|(l, _)| l.coverage())
            .map(|c| vec![c.to_string()]),
    );
    rows.extend([
        vec![],
        vec![
            "List".to_string(),
            "Column left blank".to_string(),
            "Why".to_string(),
        ],
    ]);
    for (l, _) in &a.lists {
        for b in l.blank() {
            rows.push(vec![
                l.sheet(),
                b.to_string(),
                "Not recorded in Harbour".to_string(),
            ]);
        }
    }
    rows
}

/// The Annex A lists as one workbook.
pub async fn annex_a_xlsx(
    State(st): State<AppState>,
    p: Page,
    Query(m): Query<Months>,
) -> PageResult {
    let lookback = m.lookback(&p)?;
    let a = st
        .app
        .annex_a(&p.ctx, lookback, "xlsx")
        .await
        .map_err(|e| p.err(e))?;
    let names: Vec<String> = a.lists.iter().map(|(l, _)| l.sheet()).collect();
    let mut sheets: Vec<Sheet> = a
        .lists
        .iter()
        .zip(&names)
        .map(|((l, rows), name)| {
            let mut all = vec![l.headings().iter().map(|h| h.to_string()).collect()];
            all.extend(rows.iter().cloned());
            Sheet { name, rows: all }
        })
        .collect();
    sheets.push(Sheet {
        name: "Notes",
        rows: notes(&a),
    });
    let name = format!(
        "annex-a-{}-months-{}.xlsx",
        a.lookback.months(),
        a.today.format("%Y-%m-%d")
    );
    Ok(download(
        &name,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        workbook(&sheets),
    ))
}

/// One Annex A list as CSV.
pub async fn annex_a_csv(
    State(st): State<AppState>,
    p: Page,
    Path(list): Path<String>,
    Query(m): Query<Months>,
) -> PageResult {
    let which = AnnexList::parse(&list).ok_or_else(|| p.err(AppError::NotFound))?;
    let lookback = m.lookback(&p)?;
    let a = st
        .app
        .annex_a(&p.ctx, lookback, &format!("{} csv", which.sheet()))
        .await
        .map_err(|e| p.err(e))?;
    let rows = a
        .lists
        .into_iter()
        .find(|(l, _)| *l == which)
        .map(|(_, r)| r)
        .unwrap_or_default();
    let name = format!(
        "annex-a-list-{}-{}-months-{}.csv",
        which.number(),
        lookback.months(),
        a.today.format("%Y-%m-%d")
    );
    Ok(download(
        &name,
        "text/csv; charset=utf-8",
        csv(which.headings(), &rows).into_bytes(),
    ))
}

/// The CIN census assessment factors as CSV.
pub async fn cin_factors_csv(State(st): State<AppState>, p: Page) -> PageResult {
    let (name, body) = st
        .app
        .cin_factors_export(&p.ctx)
        .await
        .map_err(|e| p.err(e))?;
    Ok(download(
        &name,
        "text/csv; charset=utf-8",
        body.into_bytes(),
    ))
}
