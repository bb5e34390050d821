//! Performance dashboards (counts only) and the child-level statutory lists:
//! the Ofsted Annex A lists Harbour can fill and the CIN census assessment
//! factors derived from the record.

use crate::{App, AppError, AppResult, Ctx};
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use harbour_db::reports as repo;
use harbour_domain::Role;
use harbour_domain::audit::Outcome;
use harbour_domain::authz::ServiceAction;
use harbour_domain::codes::{LegalStatusKind, Sex, place_label};
use harbour_domain::ids::TeamId;
use harbour_domain::reports::*;
use harbour_domain::screening::{Basis, Tick, cin_factors};
use std::collections::HashMap;
use uuid::Uuid;

/// Which team a dashboard shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeamChoice {
    /// The viewer's own team for a team manager; the whole service otherwise.
    Default,
    /// The whole service.
    All,
    /// One team.
    Team(TeamId),
}

/// One series of a chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    /// Its name, as in the legend and the table heading.
    pub name: String,
    /// One value per category.
    pub values: Vec<i64>,
}

/// One chart's figures: categories along the bottom, one or more series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    /// Stable key, used in the CSV address and element ids.
    pub key: &'static str,
    /// Title.
    pub title: String,
    /// What is counted, in a sentence.
    pub about: String,
    /// The heading of the category column.
    pub category_heading: String,
    /// Categories (months, levels, bands).
    pub categories: Vec<String>,
    /// Series.
    pub series: Vec<Series>,
}

impl Chart {
    /// The chart as CSV: one row per category, one column per series.
    pub fn csv(&self) -> String {
        let mut heads: Vec<&str> = vec![self.category_heading.as_str()];
        heads.extend(self.series.iter().map(|s| s.name.as_str()));
        let rows: Vec<Vec<String>> = self
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut r = vec![c.clone()];
                r.extend(
                    self.series
                        .iter()
                        .map(|s| s.values.get(i).copied().unwrap_or(0).to_string()),
                );
                r
            })
            .collect();
        csv(&heads, &rows)
    }
    /// Sum of every value.
    pub fn total(&self) -> i64 {
        self.series.iter().flat_map(|s| s.values.iter()).sum()
    }
}

/// The dashboards page.
#[derive(Clone, Debug)]
pub struct Dashboards {
    /// The team shown, if one.
    pub team: Option<(TeamId, String)>,
    /// The lookback.
    pub lookback: Lookback,
    /// Every team, for the filter.
    pub teams: Vec<(TeamId, String)>,
    /// The charts, in page order.
    pub charts: Vec<Chart>,
    /// Panel actions open now, and of those overdue.
    pub panel_actions: (i64, i64),
    /// The date the figures were read.
    pub today: NaiveDate,
}

/// Chart keys, in page order.
pub const CHART_KEYS: [&str; 8] = [
    "missing",
    "interviews",
    "repeat",
    "risk-levels",
    "risk-categories",
    "panel",
    "caseloads",
    "supervision",
];

/// The five cells every Annex A list starts with.
fn common_cells(c: &repo::ListChild, today: NaiveDate) -> Vec<String> {
    vec![
        c.la_child_id.clone(),
        annex_gender(Sex::parse(&c.sex).unwrap_or(Sex::U)).to_string(),
        c.ethnicity.clone(),
        annex_date(Some(c.dob)),
        harbour_domain::rules::age_on(c.dob, today).to_string(),
    ]
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// The Annex A lists, built.
#[derive(Clone, Debug)]
pub struct AnnexA {
    /// The lookback.
    pub lookback: Lookback,
    /// The day they were built.
    pub today: NaiveDate,
    /// Each list with its rows, in the Ofsted column order.
    pub lists: Vec<(AnnexList, Vec<Vec<String>>)>,
}

impl App {
    fn dashboard_team(
        &self,
        ctx: &Ctx,
        choice: TeamChoice,
        teams: &[(TeamId, String)],
    ) -> AppResult<Option<(TeamId, String)>> {
        let id = match choice {
            TeamChoice::All => None,
            TeamChoice::Team(t) => Some(t),
            TeamChoice::Default => match ctx.me.user.role {
                Role::TeamManager => ctx.me.user.team_id,
                _ => None,
            },
        };
        match id {
            None => Ok(None),
            Some(t) => teams
                .iter()
                .find(|(id, _)| *id == t)
                .cloned()
                .map(Some)
                .ok_or(AppError::NotFound),
        }
    }

    /// The dashboards: every chart for a team (or the service) over the
    /// lookback. Counts only.
    pub async fn dashboards(
        &self,
        ctx: &Ctx,
        choice: TeamChoice,
        lookback: Lookback,
    ) -> AppResult<Dashboards> {
        self.check_service(ctx, ServiceAction::ViewDashboards)
            .await?;
        let mut tx = self.begin_report_read().await?;
        let teams = repo::teams(&mut tx).await?;
        let team = self.dashboard_team(ctx, choice, &teams)?;
        let t = team.as_ref().map(|(id, _)| *id);
        let now = self.now();
        let today = now.date_naive();
        let months = calendar_months(today, lookback.months());
        let labels: Vec<String> = months.iter().map(|(m, _)| month_label(*m)).collect();
        let month_heading = "Month".to_string();
        let mut charts = Vec::new();

        // One statement per chart for every month: the month boundaries.
        let days: Vec<NaiveDate> = months
            .first()
            .map(|(f, _)| *f)
            .into_iter()
            .chain(months.iter().map(|(_, e)| *e))
            .collect();
        let bounds: Vec<DateTime<Utc>> = days.iter().copied().map(midnight).collect();

        // Missing and away episodes per month.
        let (m, a): (Vec<i64>, Vec<i64>) = repo::missing(&mut tx, &bounds, t)
            .await?
            .into_iter()
            .unzip();
        charts.push(Chart {
            key: "missing",
            title: "Missing and away episodes per month".into(),
            about: "Episodes that began in each month: missing (whereabouts unknown) and away from placement without authorisation (whereabouts known), SSDA903 M and A.".into(),
            category_heading: month_heading.clone(),
            categories: labels.clone(),
            series: vec![
                Series { name: "Missing".into(), values: m },
                Series { name: "Away".into(), values: a },
            ],
        });

        // Return interviews.
        let counts = repo::interviews(&mut tx, &bounds, t).await?;
        let due = counts.iter().map(|c| c.due).collect();
        let offered = counts.iter().map(|c| c.offered_in_time).collect();
        let held = counts.iter().map(|c| c.accepted).collect();
        charts.push(Chart {
            key: "interviews",
            title: "Return home interviews".into(),
            about: "Interviews falling due in each month (72 hours after the child's return), those offered by then, and those the child accepted (held).".into(),
            category_heading: month_heading.clone(),
            categories: labels.clone(),
            series: vec![
                Series { name: "Due".into(), values: due },
                Series { name: "Offered within 72 hours".into(), values: offered },
                Series { name: "Accepted".into(), values: held },
            ],
        });

        // Children missing repeatedly.
        let n = self.config.missing_triggers.repeat_count.max(2) as i64;
        let (any, rep): (Vec<i64>, Vec<i64>) = repo::repeat_missing(&mut tx, &bounds, t, n)
            .await?
            .into_iter()
            .unzip();
        charts.push(Chart {
            key: "repeat",
            title: "Children missing repeatedly".into(),
            about: format!("Children with at least one missing or away episode beginning in the month, and those with {n} or more in that month (the local repeat-missing threshold)."),
            category_heading: month_heading.clone(),
            categories: labels.clone(),
            series: vec![
                Series { name: "Children missing or away".into(), values: any },
                Series { name: format!("Missing {n} or more times"), values: rep },
            ],
        });

        // Exploitation risk: latest screening in the lookback.
        let cfg = &self.config.screening;
        let (from, to) = (midnight(lookback.start(today)), now);
        let by_level = repo::risk_levels(&mut tx, from, to, t).await?;
        let level_values: Vec<i64> = cfg
            .levels
            .iter()
            .map(|l| {
                by_level
                    .iter()
                    .filter(|(x, _)| x == l)
                    .map(|(_, n)| n)
                    .sum()
            })
            .collect();
        charts.push(Chart {
            key: "risk-levels",
            title: "Exploitation risk by level".into(),
            about: format!(
                "Children screened in the last {} months, by the level of their latest screening.",
                lookback.months()
            ),
            category_heading: "Risk level".into(),
            categories: cfg.levels.clone(),
            series: vec![Series {
                name: "Children".into(),
                values: level_values,
            }],
        });
        let by_cat = repo::risk_categories(&mut tx, from, to, t).await?;
        let cats: Vec<(String, String)> = cfg
            .categories
            .iter()
            .map(|c| (c.id.clone(), c.label.clone()))
            .collect();
        charts.push(Chart {
            key: "risk-categories",
            title: "Exploitation risk by category and level".into(),
            about: format!("Children screened in the last {} months whose latest screening ticked at least one indicator in the category, by that screening's level. A child can appear in several categories.", lookback.months()),
            category_heading: "Category".into(),
            categories: cats.iter().map(|(_, l)| l.clone()).collect(),
            series: cfg
                .levels
                .iter()
                .map(|level| Series {
                    name: level.clone(),
                    values: cats
                        .iter()
                        .map(|(id, _)| {
                            by_cat
                                .iter()
                                .filter(|(l, c, _)| l == level && c == id)
                                .map(|(_, _, n)| n)
                                .sum()
                        })
                        .collect(),
                })
                .collect(),
        });

        // Panel.
        let (refs, revs): (Vec<i64>, Vec<i64>) = repo::panel(&mut tx, &bounds, &days, t)
            .await?
            .into_iter()
            .unzip();
        let panel_actions = repo::panel_actions_open(&mut tx, today, t).await?;
        charts.push(Chart {
            key: "panel",
            title: "Exploitation and missing panel".into(),
            about: "Referrals made to the panel in each month, and reviews: children discussed at a panel meeting held in the month.".into(),
            category_heading: month_heading.clone(),
            categories: labels.clone(),
            series: vec![
                Series { name: "Referrals".into(), values: refs },
                Series { name: "Reviews".into(), values: revs },
            ],
        });

        // Caseloads now.
        let loads = repo::caseloads(&mut tx, t).await?;
        let mut bands = vec![0i64; CASELOAD_BANDS.len()];
        for n in loads {
            bands[caseload_band(n)] += 1;
        }
        charts.push(Chart {
            key: "caseloads",
            title: "Caseload distribution".into(),
            about: "Case-holding workers (social workers and team managers) by the number of children allocated to them today.".into(),
            category_heading: "Children allocated".into(),
            categories: CASELOAD_BANDS.iter().map(|(l, _, _)| l.to_string()).collect(),
            series: vec![Series { name: "Workers".into(), values: bands }],
        });

        // Supervision.
        let sessions = repo::supervision(&mut tx, &bounds, t, today).await?;
        let h = sessions.iter().map(|s| s.held).collect();
        let ot = sessions.iter().map(|s| s.on_time).collect();
        let late = sessions.iter().map(|s| s.late).collect();
        let over = sessions.iter().map(|s| s.overdue).collect();
        charts.push(Chart {
            key: "supervision",
            title: "Supervision written up on time".into(),
            about: "Supervision sessions held in each month, and whether the record was signed off by its recording deadline, late, or is still not signed off after it.".into(),
            category_heading: month_heading,
            categories: labels,
            series: vec![
                Series { name: "Held".into(), values: h },
                Series { name: "Signed off on time".into(), values: ot },
                Series { name: "Signed off late".into(), values: late },
                Series { name: "Overdue".into(), values: over },
            ],
        });
        tx.commit().await?;
        Ok(Dashboards {
            team,
            lookback,
            teams,
            charts,
            panel_actions,
            today,
        })
    }

    /// One chart as CSV, audited as a download of figures.
    pub async fn dashboard_csv(
        &self,
        ctx: &Ctx,
        choice: TeamChoice,
        lookback: Lookback,
        key: &str,
    ) -> AppResult<(String, String)> {
        if !CHART_KEYS.contains(&key) {
            return Err(AppError::NotFound);
        }
        let d = self.dashboards(ctx, choice, lookback).await?;
        let chart = d
            .charts
            .into_iter()
            .find(|c| c.key == key)
            .ok_or(AppError::NotFound)?;
        let team = d
            .team
            .as_ref()
            .map(|(_, n)| n.to_lowercase().replace(' ', "-"))
            .unwrap_or_else(|| "all-teams".into());
        let name = format!(
            "{key}-{team}-{}-months-{}.csv",
            lookback.months(),
            d.today.format("%Y-%m-%d")
        );
        let mut tx = self.db.begin_write().await?;
        let ev = ctx.event(
            "dashboards.csv",
            "service",
            d.team.as_ref().map(|(id, _)| id.0),
            None,
            Outcome::Allow,
            Some(format!("{key}, {} months", lookback.months())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok((name, chart.csv()))
    }

    /// May the viewer download the statutory lists? (For the page that
    /// offers them; the downloads decide again.)
    pub async fn statutory_lists_page(&self, ctx: &Ctx) -> AppResult<()> {
        self.check_service(ctx, ServiceAction::StatutoryLists).await
    }

    /// The Annex A lists Harbour fills, for a lookback, audited as a bulk
    /// export of child-level data.
    pub async fn annex_a(&self, ctx: &Ctx, lookback: Lookback, what: &str) -> AppResult<AnnexA> {
        self.check_service(ctx, ServiceAction::StatutoryLists)
            .await?;
        let now = self.now();
        let today = now.date_naive();
        let from = lookback.start(today);
        let year_ago = Lookback::TWELVE.start(today);
        let mut tx = self.db.begin_write().await?;
        let children = repo::list_children(&mut tx).await?;
        let mut statuses: HashMap<Uuid, Vec<(LegalStatusKind, StatusPeriod)>> = HashMap::new();
        for (c, kind, start, end) in repo::statuses(&mut tx).await? {
            if let Some(k) = LegalStatusKind::parse(&kind) {
                statuses
                    .entry(c)
                    .or_default()
                    .push((k, StatusPeriod { start, end }));
            }
        }
        let alloc: HashMap<Uuid, (Option<String>, String)> = repo::allocated(&mut tx)
            .await?
            .into_iter()
            .map(|(c, t, w)| (c, (t, w)))
            .collect();
        let mut placements: HashMap<Uuid, Vec<repo::ListPlacement>> = HashMap::new();
        for p in repo::placements(&mut tx).await? {
            placements.entry(p.child_id).or_default().push(p);
        }
        let mut episodes: HashMap<Uuid, Vec<repo::ListEpisode>> = HashMap::new();
        for e in repo::episodes(&mut tx, midnight(year_ago), now).await? {
            episodes.entry(e.child_id).or_default().push(e);
        }
        let mut visits: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
        for (c, at) in repo::visits(&mut tx, now).await? {
            visits.insert(c, at);
        }
        let home = &self.config.home_la;
        let (mut l6, mut l7, mut l8) = (Vec::new(), Vec::new(), Vec::new());
        for c in &children {
            let st = statuses.get(&c.id).cloned().unwrap_or_default();
            let of = |k: LegalStatusKind| -> Vec<StatusPeriod> {
                st.iter()
                    .filter(|(x, _)| *x == k)
                    .map(|(_, p)| *p)
                    .collect()
            };
            let common = common_cells(c, today);
            let (team, worker) = alloc
                .get(&c.id)
                .map(|(t, w)| (t.clone().unwrap_or_default(), w.clone()))
                .unwrap_or_default();
            let visit = visits.get(&c.id).map(|v| v.date_naive());
            let open = |k: LegalStatusKind| of(k).iter().any(|p| p.end.is_none_or(|e| e >= today));

            // List 6: any CIN, CP or CLA period in the lookback.
            let cin_all: Vec<StatusPeriod> = st
                .iter()
                .filter(|(k, _)| *k != LegalStatusKind::CareLeaver)
                .map(|(_, p)| *p)
                .collect();
            let joined = continuous_periods(cin_all);
            if let Some(p) = joined.iter().rev().find(|p| p.overlaps(from, today)) {
                let mut r = common.clone();
                r.extend([
                    String::new(),
                    annex_date(Some(p.start)),
                    String::new(),
                    annex_date(visit),
                    annex_date(p.end.filter(|e| *e < today)),
                    String::new(),
                    case_status(
                        open(LegalStatusKind::Cla),
                        open(LegalStatusKind::Cp),
                        open(LegalStatusKind::Cin),
                    )
                    .to_string(),
                    team.clone(),
                    worker.clone(),
                ]);
                l6.push(r);
            }

            // List 7: a CP plan in the lookback.
            let cp = continuous_periods(of(LegalStatusKind::Cp));
            if let Some((i, p)) = cp
                .iter()
                .enumerate()
                .rev()
                .find(|(_, p)| p.overlaps(from, today))
            {
                let mut r = common.clone();
                r.extend([
                    String::new(),
                    annex_date(Some(p.start)),
                    String::new(),
                    String::new(),
                    annex_date(visit),
                    String::new(),
                    String::new(),
                    annex_date(p.end.filter(|e| *e < today)),
                    String::new(),
                    i.to_string(),
                    team.clone(),
                    worker.clone(),
                ]);
                l7.push(r);
            }

            // List 8: looked after in the lookback.
            let cla_rows = of(LegalStatusKind::Cla);
            let cla = continuous_periods(cla_rows.clone());
            if let Some(p) = cla.iter().rev().find(|p| p.overlaps(from, today)) {
                let current_status = cla_rows.iter().map(|p| p.start).max();
                let ps = placements.get(&c.id).cloned().unwrap_or_default();
                let in_year = ps
                    .iter()
                    .filter(|x| {
                        StatusPeriod {
                            start: x.start_date,
                            end: x.end_date,
                        }
                        .overlaps(year_ago, today)
                    })
                    .count();
                let latest = ps.iter().max_by_key(|x| x.start_date);
                let eps = episodes.get(&c.id).cloned().unwrap_or_default();
                let missing = eps.iter().filter(|e| e.kind == "M").count();
                let absent = eps.iter().filter(|e| e.kind == "A").count();
                let last = match eps
                    .iter()
                    .filter(|e| e.kind == "M")
                    .max_by_key(|e| e.last_seen_at)
                {
                    None => LastInterview::NoEpisode,
                    Some(e) => match e.outcome.as_deref() {
                        None | Some("awaiting") => LastInterview::Waiting,
                        Some(o) => LastInterview::Recorded {
                            offered: e.offered_at.is_some(),
                            held: o == "completed",
                        },
                    },
                };
                let (offered, accepted) = annex_interview_cells(last);
                let mut r = common.clone();
                r.extend([
                    String::new(),
                    String::new(),
                    annex_date(Some(p.start)),
                    String::new(),
                    annex_yes_no(Some(second_period_in_year(&cla_rows, today))).to_string(),
                    annex_date(current_status),
                    String::new(),
                    String::new(),
                    annex_date(visit),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    in_year.to_string(),
                    annex_date(p.end.filter(|e| *e < today)),
                    String::new(),
                    annex_date(latest.map(|x| x.start_date)),
                    latest
                        .map(|x| match place_label(&x.place_code) {
                            Some(l) => format!("{}: {l}", x.place_code),
                            None => x.place_code.clone(),
                        })
                        .unwrap_or_default(),
                    latest.map(|x| x.provider_code.clone()).unwrap_or_default(),
                    latest.map(|x| x.postcode.clone()).unwrap_or_default(),
                    String::new(),
                    latest
                        .map(|x| {
                            if &x.area_la == home {
                                "a) In"
                            } else {
                                "b) Out"
                            }
                            .to_string()
                        })
                        .unwrap_or_default(),
                    latest
                        .map(|x| x.area_name.clone().unwrap_or_else(|| x.area_la.clone()))
                        .unwrap_or_default(),
                    missing.to_string(),
                    absent.to_string(),
                    offered.to_string(),
                    accepted.to_string(),
                    team.clone(),
                    worker.clone(),
                ]);
                l8.push(r);
            }
        }
        // Lists 1 and 3: contacts from schools and out of hours about a
        // known child, received in the lookback.
        let everyone: HashMap<Uuid, repo::ListChild> = repo::all_children(&mut tx)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let school = repo::school_contacts(&mut tx, now).await?;
        let ooh = repo::ooh_contacts(&mut tx, midnight(from), now).await?;
        let mut referral_days: HashMap<Uuid, Vec<NaiveDate>> = HashMap::new();
        for c in school.iter().filter(|c| c.kind == "referral") {
            referral_days
                .entry(c.child_id)
                .or_default()
                .push(c.received_at.date_naive());
        }
        let mut contacts: Vec<(DateTime<Utc>, &str, Uuid, &'static str)> = Vec::new();
        let (mut l1, mut l3) = (Vec::new(), Vec::new());
        for c in school.iter().filter(|c| c.received_at >= midnight(from)) {
            let Some(child) = everyone.get(&c.child_id) else {
                continue;
            };
            contacts.push((c.received_at, &child.la_child_id, c.child_id, SOURCE_SCHOOL));
            if c.kind != "referral" {
                continue;
            }
            let on = c.received_at.date_naive();
            let (team, worker) = alloc
                .get(&c.child_id)
                .map(|(t, w)| (t.clone().unwrap_or_default(), w.clone()))
                .unwrap_or_default();
            let mut r = common_cells(child, today);
            r.extend([
                String::new(),
                annex_date(Some(on)),
                SOURCE_SCHOOL.to_string(),
                harbour_domain::schools::ContactOutcome::parse(&c.outcome)
                    .map(referral_nfa)
                    .unwrap_or_default()
                    .to_string(),
                referrals_in_year(referral_days.get(&c.child_id).map_or(&[][..], |v| v), on)
                    .to_string(),
                team,
                worker,
            ]);
            l3.push(r);
        }
        for (child_id, at, agency) in &ooh {
            if let Some(child) = everyone.get(child_id) {
                contacts.push((
                    *at,
                    &child.la_child_id,
                    *child_id,
                    ooh_contact_source(agency),
                ));
            }
        }
        contacts.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (at, _, child_id, source) in contacts {
            if let Some(child) = everyone.get(&child_id) {
                let mut r = common_cells(child, today);
                r.extend([annex_date(Some(at.date_naive())), source.to_string()]);
                l1.push(r);
            }
        }
        let lists = vec![
            (AnnexList::List1, l1),
            (AnnexList::List3, l3),
            (AnnexList::List6, l6),
            (AnnexList::List7, l7),
            (AnnexList::List8, l8),
        ];
        let ev = ctx.event(
            "annex_a.export",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!(
                "{what}; {} months; {}",
                lookback.months(),
                lists
                    .iter()
                    .map(|(l, r)| format!("{}: {} rows", l.sheet(), r.len()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(AnnexA {
            lookback,
            today,
            lists,
        })
    }

    /// The CIN census assessment factors derived for every child in need
    /// (including those on a plan or looked after) in the census year to
    /// date (1 April to 31 March, §10.3), as CSV, audited as a bulk export.
    pub async fn cin_factors_export(&self, ctx: &Ctx) -> AppResult<(String, String)> {
        self.check_service(ctx, ServiceAction::StatutoryLists)
            .await?;
        let now = self.now();
        let today = now.date_naive();
        let year_start = {
            let y = if today.month() >= 4 {
                today.year()
            } else {
                today.year() - 1
            };
            NaiveDate::from_ymd_opt(y, 4, 1).unwrap_or(today)
        };
        let mut tx = self.db.begin_write().await?;
        let children = repo::list_children(&mut tx).await?;
        let mut in_need: HashMap<Uuid, bool> = HashMap::new();
        for (c, kind, start, end) in repo::statuses(&mut tx).await? {
            if kind != LegalStatusKind::CareLeaver.as_str()
                && (StatusPeriod { start, end }).overlaps(year_start, today)
            {
                in_need.insert(c, true);
            }
        }
        let mut ticks: HashMap<Uuid, Vec<Tick>> = HashMap::new();
        for (c, indicator, category) in repo::latest_ticks(&mut tx, now).await? {
            ticks.entry(c).or_default().push(Tick {
                indicator,
                category,
                label: String::new(),
                high_risk: false,
                evidence: String::new(),
                basis: Basis::Evidence,
            });
        }
        let mut eps: HashMap<Uuid, usize> = HashMap::new();
        for e in repo::episodes(&mut tx, midnight(year_start), now).await? {
            *eps.entry(e.child_id).or_default() += 1;
        }
        let cfg = &self.config.screening;
        let rows: Vec<Vec<String>> = children
            .iter()
            .filter(|c| in_need.contains_key(&c.id))
            .map(|c| {
                let f = assessment_factors(&FactorFacts {
                    screening: ticks
                        .get(&c.id)
                        .map(|t| cin_factors(cfg, t))
                        .unwrap_or_default(),
                    missing_episodes: eps.get(&c.id).copied().unwrap_or(0),
                });
                vec![
                    c.la_child_id.clone(),
                    f.iter()
                        .map(|x| x.code.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    f.iter().map(|x| x.label).collect::<Vec<_>>().join("; "),
                    f.iter()
                        .map(|x| format!("{}: {}", x.code, x.sources.join(", ")))
                        .collect::<Vec<_>>()
                        .join("; "),
                ]
            })
            .collect();
        let ev = ctx.event(
            "cin_factors.export",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!("{} children", rows.len())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        let body = csv(
            &["LAchildID", "AssessmentFactors", "Meanings", "Derived from"],
            &rows,
        );
        Ok((
            format!("cin-assessment-factors-{}.csv", today.format("%Y-%m-%d")),
            body,
        ))
    }
}

/// Derived factors for one child's record page: the latest screening's
/// factors and the missing episodes of the last 12 months.
pub fn child_factors(screening: &[String], episodes_last_year: usize) -> Vec<DerivedFactor> {
    assessment_factors(&FactorFacts {
        screening: screening.to_vec(),
        missing_episodes: episodes_last_year,
    })
}

/// The start of the last twelve months, for [`child_factors`].
pub fn year_before(now: DateTime<Utc>) -> DateTime<Utc> {
    now - TimeDelta::days(365)
}
