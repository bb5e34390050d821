//! The SSDA903 return (children looked after): export, the data-quality
//! page that runs the DfE rules on current data all year, the care-episode
//! details page that fixes what they find, and the onboarding import.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use harbour_db::ssda903 as repo;
use harbour_db::{Tx, children};
use harbour_domain::audit::Outcome;
use harbour_domain::authz::{
    Allowed, ChildAction, ChildFacts, ServiceAction, decide_child, system_import,
};
use harbour_domain::calendar::london_date;
use harbour_domain::codes::{self, Sex};
use harbour_domain::ids::{ChildId, PodId, TeamId, UserId};
use harbour_domain::model::Child;
use harbour_domain::roles::Role;
use harbour_domain::search::name_keys;
use harbour_domain::ssda903::episodes::{
    self as ep, CareStatus, ChildFacts903, MissingFact, PlacementFact, WorkerFact,
};
use harbour_domain::ssda903::files::{FileProblem, Tables};
pub use harbour_domain::ssda903::files::{as_return, check_import};
use harbour_domain::ssda903::{self as s903, parse_date, table};
use harbour_domain::validate::FieldErrors;

use crate::admin::system_event;
use crate::{App, AppError, AppResult, Ctx};

/// An exported return.
#[derive(Clone, Debug)]
pub struct Export {
    /// Collection end year.
    pub year: i32,
    /// The tables.
    pub tables: Tables,
    /// The XML rendering.
    pub xml: String,
}

/// The SW_ID of a worker: their Social Work England number, or for a
/// worker without one a stable local code `XX` + the first eight hex digits
/// of their account (SW02STG1 wants at least four characters).
pub fn sw_id(swe: Option<&str>, worker: uuid::Uuid) -> String {
    match swe {
        Some(s) if !s.trim().is_empty() => s.trim().to_string(),
        _ => format!(
            "XX{}",
            worker.simple().to_string()[..8].to_ascii_uppercase()
        ),
    }
}

/// A London calendar date's instant at noon UTC (always the same London date).
fn noon(d: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(12, 0, 0).expect("valid time"))
}

/// Each child's rows, in their original order: one pass over each table
/// (filtering every table once per child was quadratic, and took most of an
/// export's time at the M scale; docs/PERFORMANCE.md).
fn by_child<T>(rows: &[T], child: impl Fn(&T) -> uuid::Uuid) -> HashMap<uuid::Uuid, Vec<&T>> {
    let mut m: HashMap<uuid::Uuid, Vec<&T>> = HashMap::new();
    for r in rows {
        m.entry(child(r)).or_default().push(r);
    }
    m
}

fn facts903(f: &repo::Facts) -> Vec<ChildFacts903> {
    let statuses = by_child(&f.statuses, |s| s.child_id);
    let placements = by_child(&f.placements, |p| p.child_id);
    let missing = by_child(&f.missing, |m| m.child_id);
    let allocations = by_child(&f.allocations, |a| a.child_id);
    let mut out = Vec::with_capacity(f.children.len());
    for c in &f.children {
        out.push(ChildFacts903 {
            child_id: c.id,
            child: c.la_child_id.clone(),
            sex: c.sex.clone(),
            dob: c.dob,
            ethnic: c.ethnicity.clone(),
            upn: c.upn.clone(),
            mother: c.mother.map(|m| m != 0),
            mc_dob: c.mc_dob,
            statuses: statuses
                .get(&c.id)
                .into_iter()
                .flatten()
                .map(|s| CareStatus {
                    id: s.id,
                    start: s.start_date,
                    end: s.end_date,
                    ls: s.ls_code.clone(),
                    cin: s.cin_code.clone(),
                    rec: s.rec_code.clone(),
                    home_post: s.home_postcode.clone(),
                    first_rne: s.first_rne.clone(),
                })
                .collect(),
            placements: placements
                .get(&c.id)
                .into_iter()
                .flatten()
                .map(|p| PlacementFact {
                    id: p.id,
                    start: p.start_date,
                    end: p.end_date,
                    place: p.place_code.clone(),
                    provider: p.provider_code.clone(),
                    carer: p.carer_name.clone(),
                    postcode: p.postcode.clone(),
                    urn: p.urn.clone(),
                    reason_change: p.reason_place_change.clone(),
                })
                .collect(),
            missing: missing
                .get(&c.id)
                .into_iter()
                .flatten()
                .map(|m| MissingFact {
                    id: m.id,
                    kind: m.kind.clone(),
                    start: london_date(m.last_seen_at),
                    end: m.returned_at.map(london_date),
                })
                .collect(),
            workers: allocations
                .get(&c.id)
                .into_iter()
                .flatten()
                .map(|a| WorkerFact {
                    id: a.id,
                    swe_number: Some(sw_id(a.swe_number.as_deref(), a.worker_id)),
                    start: a.start_date,
                    end: a.end_date,
                    reason: a.sw_reason.clone(),
                })
                .collect(),
        });
    }
    out
}

/// Where a flagged row came from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Origin {
    Header,
    Episode {
        status: uuid::Uuid,
        placement: Option<uuid::Uuid>,
    },
    Missing(uuid::Uuid),
    Worker(uuid::Uuid),
}

/// The whole return for a year, with each row's child and origin.
struct Built {
    tables: Tables,
    /// Per table, per row: (child id, origin).
    origins: BTreeMap<&'static str, Vec<(uuid::Uuid, Origin)>>,
}

fn build(facts: &[ChildFacts903], year: i32) -> Built {
    let mut t = Tables::default();
    let mut origins: BTreeMap<&'static str, Vec<(uuid::Uuid, Origin)>> = BTreeMap::new();
    for c in facts {
        let Some(rows) = ep::child_rows(c, year) else {
            continue;
        };
        t.header.push(rows.header);
        origins
            .entry(table::HEADER)
            .or_default()
            .push((c.child_id, Origin::Header));
        for (e, d) in rows.episodes {
            t.episodes.push(e);
            origins.entry(table::EPISODES).or_default().push((
                c.child_id,
                Origin::Episode {
                    status: d.status_id,
                    placement: d.placement_id,
                },
            ));
        }
        for (m, id) in rows.missing {
            t.missing.push(m);
            origins
                .entry(table::MISSING)
                .or_default()
                .push((c.child_id, Origin::Missing(id)));
        }
        for (s, id) in rows.sw {
            t.sw.push(s);
            origins
                .entry(table::SW_EPISODES)
                .or_default()
                .push((c.child_id, Origin::Worker(id)));
        }
    }
    Built { tables: t, origins }
}

/// One problem on the data-quality page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// DfE rule code.
    pub rule: &'static str,
    /// Plain words.
    pub message: &'static str,
    /// Which part of the record: "Child's details", "Period of care", ….
    pub area: &'static str,
    /// Where to fix it.
    pub fix_href: String,
    /// The link's words.
    pub fix_label: &'static str,
}

/// A child with problems.
#[derive(Clone, Debug)]
pub struct ChildProblems {
    pub child_id: uuid::Uuid,
    pub name: String,
    pub la_child_id: String,
    pub team: Option<String>,
    pub problems: Vec<Problem>,
}

/// Counts for one team.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamCount {
    pub team: String,
    /// Children in the return allocated to the team.
    pub children: usize,
    /// Of those, children with at least one problem.
    pub with_problems: usize,
    /// Problems in all.
    pub problems: usize,
}

/// The data-quality page.
#[derive(Clone, Debug)]
pub struct DataQuality {
    /// Collection end year checked.
    pub year: i32,
    /// Rules run.
    pub rules_run: usize,
    /// Children in the return.
    pub children_in_return: usize,
    /// The viewer's children (own or team's) with problems.
    pub children: Vec<ChildProblems>,
    /// Per team (managers and analysts only; empty otherwise).
    pub teams: Vec<TeamCount>,
    /// Problems per rule across the return (managers and analysts only).
    pub by_rule: Vec<(&'static str, &'static str, usize)>,
    /// Whether the viewer sees named children.
    pub lists_children: bool,
}

/// Run every implemented rule over a built return; returns per child the
/// problems found.
fn problems_of(b: &Built, year: i32) -> BTreeMap<uuid::Uuid, Vec<Problem>> {
    let ret = as_return(&b.tables, year);
    let mut out: BTreeMap<uuid::Uuid, Vec<Problem>> = BTreeMap::new();
    for (code, plain, rule) in s903::all_rules() {
        let flags = rule(&ret);
        for (tname, rows) in flags {
            let Some(origins) = b.origins.get(tname) else {
                continue;
            };
            for i in rows {
                let Some((child, origin)) = origins.get(i) else {
                    continue;
                };
                let (area, fix_href, fix_label) = match origin {
                    Origin::Header => (
                        "Child's details",
                        format!("/children/{child}/care#details"),
                        "Correct the child's details",
                    ),
                    Origin::Episode { status, .. } => (
                        "Period of care",
                        format!("/children/{child}/care#status-{status}"),
                        "Correct the period of care",
                    ),
                    Origin::Missing(id) => (
                        "Missing episode",
                        format!("/children/{child}/missing/{id}/edit"),
                        "Correct the missing episode",
                    ),
                    Origin::Worker(_) => (
                        "Social worker",
                        format!("/children/{child}/care#workers"),
                        "See the social worker history",
                    ),
                };
                let p = Problem {
                    rule: code,
                    message: plain,
                    area,
                    fix_href,
                    fix_label,
                };
                let v = out.entry(*child).or_default();
                if !v.contains(&p) {
                    v.push(p);
                }
            }
        }
    }
    out
}

/// Details of a looked-after status row for the care page.
#[derive(Clone, Debug)]
pub struct StatusView {
    pub row: repo::StatusRow,
}

/// The care page: a child's periods of care, placements, the episodes the
/// return will carry and the problems found.
#[derive(Clone, Debug)]
pub struct CareRecord {
    pub child: Child,
    pub statuses: Vec<repo::StatusRow>,
    pub placements: Vec<repo::PlacementRow>,
    /// The derived episodes (all years), oldest first.
    pub episodes: Vec<ep::DerivedEpisode>,
    /// Social worker episodes: (SW_ID, start, end, reason).
    pub workers: Vec<(String, NaiveDate, Option<NaiveDate>, String)>,
    /// Problems the rules find for this child this collection year.
    pub problems: Vec<Problem>,
    pub year: i32,
    pub can_edit: bool,
    /// Whether she is a mother (None: not recorded).
    pub mother: Option<bool>,
    /// Her first child's date of birth.
    pub mc_dob: Option<NaiveDate>,
}

/// One of the care page's forms.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct CareForm {
    /// "details", "status" or "placement".
    #[serde(default)]
    pub section: String,
    /// The status or placement id.
    #[serde(default)]
    pub row: String,
    #[serde(flatten)]
    pub header: HeaderInput,
    #[serde(flatten)]
    pub status: StatusInput,
    #[serde(flatten)]
    pub placement: PlacementInput,
}

/// Input for a looked-after status row.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct StatusInput {
    #[serde(default)]
    pub ls: String,
    #[serde(default)]
    pub cin: String,
    #[serde(default)]
    pub rec: String,
    #[serde(default)]
    pub home_postcode: String,
}

/// Input for a placement's return details.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct PlacementInput {
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub provider: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub urn: String,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A UK postcode in its usual written form (outward, space, inward).
pub fn normalise_postcode(s: &str) -> Option<String> {
    let compact: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let n = compact.len();
    if !(5..=7).contains(&n) || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (out, inw) = compact.split_at(n - 3);
    let b = inw.as_bytes();
    if !(b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()) {
        return None;
    }
    if !out.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    Some(format!("{out} {inw}"))
}

/// Input for the child's details the Header carries.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct HeaderInput {
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub upn: String,
    /// "yes", "no" or empty (not recorded).
    #[serde(default)]
    pub mother: String,
    #[serde(default, rename = "mc_dob-day")]
    pub mc_day: String,
    #[serde(default, rename = "mc_dob-month")]
    pub mc_month: String,
    #[serde(default, rename = "mc_dob-year")]
    pub mc_year: String,
}

/// What the Header form records.
pub type HeaderValues = (
    String,
    String,
    Option<String>,
    Option<bool>,
    Option<NaiveDate>,
);

/// Validate the Header details (pure). A UPN is 13 characters, a letter
/// then 12 digits or a letter then 11 digits and a letter (DfE UPN guide);
/// a mother's first child's date of birth is needed when she is a mother.
/// "Not known yet" is accepted for whether she is a mother: the
/// data-quality page asks for it until it is recorded (rule 393).
pub fn check_header_input(i: &HeaderInput) -> Result<HeaderValues, FieldErrors> {
    let mut errs = FieldErrors::new();
    let sex = i.sex.trim().to_string();
    if Sex::parse(&sex).is_none() {
        errs.add("sex", "Select the child's sex");
    }
    let eth = i.ethnicity.trim().to_string();
    if codes::ethnicity_label(&eth).is_none() {
        errs.add("ethnicity", "Select the child's ethnicity");
    }
    let upn = opt(&i.upn).map(|u| u.to_ascii_uppercase());
    if let Some(u) = &upn {
        let b = u.as_bytes();
        let ok = b.len() == 13
            && b[0].is_ascii_alphabetic()
            && b[1..12].iter().all(u8::is_ascii_digit)
            && b[12].is_ascii_alphanumeric();
        if !ok {
            errs.add("upn", "Enter a 13-character UPN, a letter then 12 digits (the last may be a letter), or leave it blank if not known");
        }
    }
    let mother = match i.mother.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let parts = [i.mc_day.trim(), i.mc_month.trim(), i.mc_year.trim()];
    let mc_dob = if parts.iter().all(|p| p.is_empty()) {
        None
    } else {
        match (parts[0].parse(), parts[1].parse(), parts[2].parse()) {
            (Ok(d), Ok(m), Ok(y)) => NaiveDate::from_ymd_opt(y, m, d),
            _ => None,
        }
        .or_else(|| {
            errs.add("mc_dob-day", "Enter a real date, like 27 3 2025");
            None
        })
    };
    if sex == "F" && mother == Some(true) && mc_dob.is_none() {
        errs.add("mc_dob-day", "Enter her first child's date of birth");
    }
    errs.into_result()?;
    let (mother, mc_dob) = if sex == "F" {
        (mother, mc_dob.filter(|_| mother == Some(true)))
    } else {
        (None, None)
    };
    Ok((sex, eth, upn, mother, mc_dob))
}

/// Validate a status row's input (pure).
pub fn check_status_input(i: &StatusInput) -> Result<[Option<String>; 4], FieldErrors> {
    let mut errs = FieldErrors::new();
    let ls = opt(&i.ls);
    if ls.as_deref().is_none_or(|c| ep::label(ep::LS, c).is_none()) {
        errs.add("ls", "Select the legal status");
    }
    let cin = opt(&i.cin);
    if cin
        .as_deref()
        .is_none_or(|c| ep::label(ep::CIN, c).is_none())
    {
        errs.add("cin", "Select the category of need");
    }
    let rec = opt(&i.rec);
    if rec
        .as_deref()
        .is_some_and(|r| ep::label(ep::REC, r).is_none())
    {
        errs.add("rec", "Select a reason the period of care ended");
    }
    let home = match opt(&i.home_postcode) {
        None => None,
        Some(p) => match normalise_postcode(&p) {
            Some(n) => Some(n),
            None => {
                errs.add("home_postcode", "Enter a full UK postcode, like ST4 1AA");
                None
            }
        },
    };
    errs.into_result()?;
    Ok([ls, cin, rec, home])
}

/// Validate a placement's return details (pure).
pub fn check_placement_input(
    i: &PlacementInput,
) -> Result<(String, String, Option<String>, Option<String>), FieldErrors> {
    let mut errs = FieldErrors::new();
    let place = i.place.trim().to_string();
    if !s903::PLACE_2025.contains(&place.as_str()) {
        errs.add("place", "Select the placement type");
    }
    let provider = i.provider.trim().to_string();
    let none_needed = s903::NO_PROVIDER_PLACES.contains(&place.as_str());
    if !none_needed && !codes::PLACE_PROVIDER.iter().any(|(c, _)| *c == provider) {
        errs.add("provider", "Select the placement provider");
    }
    let reason = opt(&i.reason);
    if reason
        .as_deref()
        .is_some_and(|r| ep::label(ep::REASON_PLACE_CHANGE, r).is_none())
    {
        errs.add("reason", "Select the reason the placement changed");
    }
    let urn = opt(&i.urn).map(|u| u.to_ascii_uppercase());
    if let Some(u) = &urn {
        if ep::NO_URN_PLACES.contains(&place.as_str()) {
            errs.add(
                "urn",
                "Leave the URN blank: this placement type has no Ofsted registration",
            );
        } else if !(u.len() == 7 && u.chars().all(|c| c.is_ascii_alphanumeric())) {
            errs.add(
                "urn",
                "Enter the Ofsted URN: 7 characters, like SC123456 without the SC, or 1234567",
            );
        }
    }
    errs.into_result()?;
    let provider = if none_needed { String::new() } else { provider };
    Ok((place, provider, reason, urn))
}

impl App {
    async fn built(&self, tx: &mut Tx, year: i32) -> AppResult<(Vec<repo::ChildRow>, Built)> {
        let f = repo::facts(tx, &self.config.home_la).await?;
        // Building a large authority's return is seconds of CPU: on the
        // blocking pool, so it cannot stall the workers that answer every
        // other request (at the L scale it held both for minutes).
        tokio::task::spawn_blocking(move || {
            let facts = facts903(&f);
            let b = build(&facts, year);
            (f.children, b)
        })
        .await
        .map_err(|e| AppError::Internal(format!("building the return: {e}")))
    }

    /// The SSDA903 return for the collection year ending 31 March `year`
    /// (the command line; audited as a system event).
    pub async fn export_ssda903_system(&self, year: i32) -> AppResult<Export> {
        let mut tx = self.db.begin_write().await?;
        let (_, b) = self.built(&mut tx, year).await?;
        let xml = b.tables.to_xml(year, &self.config.home_la);
        self.audit(
            &mut tx,
            &system_event(
                "ssda903.export",
                "service",
                None,
                Some(format!(
                    "{year}: {} children, {} episodes",
                    b.tables.header.len(),
                    b.tables.episodes.len()
                )),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Export {
            year,
            tables: b.tables,
            xml,
        })
    }

    /// The data-quality page for the current collection year.
    pub async fn data_quality(&self, ctx: &Ctx) -> AppResult<DataQuality> {
        self.check_service(ctx, ServiceAction::ViewDataQuality)
            .await?;
        let year = ep::collection_year_of(london_date(self.now()));
        let mut tx = self.db.begin_write().await?;
        let (children, b) = self.built(&mut tx, year).await?;
        let problems = problems_of(&b, year);
        let actor = &ctx.me.actor;
        let in_return: BTreeSet<uuid::Uuid> = b
            .origins
            .get(table::HEADER)
            .map(|v| v.iter().map(|(c, _)| *c).collect())
            .unwrap_or_default();
        let managerial = matches!(actor.role, Role::TeamManager | Role::Analyst);
        let lists_children = matches!(actor.role, Role::SocialWorker | Role::TeamManager);
        let mut listed = Vec::new();
        let mut teams: BTreeMap<String, TeamCount> = BTreeMap::new();
        for c in children.iter().filter(|c| in_return.contains(&c.id)) {
            let ps = problems.get(&c.id).cloned().unwrap_or_default();
            if managerial {
                let name = c
                    .team_name
                    .clone()
                    .unwrap_or_else(|| "Not allocated".into());
                let t = teams.entry(name.clone()).or_insert(TeamCount {
                    team: name,
                    children: 0,
                    with_problems: 0,
                    problems: 0,
                });
                t.children += 1;
                t.with_problems += usize::from(!ps.is_empty());
                t.problems += ps.len();
            }
            if ps.is_empty() || !lists_children {
                continue;
            }
            let mine = match actor.role {
                Role::SocialWorker => c.worker_id == Some(actor.user_id.0),
                Role::TeamManager => c.team_id.is_some() && c.team_id == actor.team_id.map(|t| t.0),
                _ => false,
            };
            if !mine {
                continue;
            }
            let facts = ChildFacts {
                child_id: ChildId(c.id),
                restricted: c.restricted,
                allocated_to_actor: c.worker_id == Some(actor.user_id.0),
                allocated_team: c.team_id.map(TeamId),
                allocated_team_pod: c.pod_id.map(PodId),
                allocated_team_manager: c.manager_id.map(UserId),
                share: None,
                break_glass: false,
            };
            if decide_child(actor, ChildAction::ViewSummary, &facts).is_err() {
                continue;
            }
            listed.push(ChildProblems {
                child_id: c.id,
                name: format!("{} {}", c.first_name, c.last_name),
                la_child_id: c.la_child_id.clone(),
                team: c.team_name.clone(),
                problems: ps,
            });
        }
        let mut by_rule: BTreeMap<&'static str, (&'static str, usize)> = BTreeMap::new();
        if managerial {
            for ps in problems.values() {
                for p in ps {
                    by_rule.entry(p.rule).or_insert((p.message, 0)).1 += 1;
                }
            }
        }
        for c in &listed {
            let ev = ctx.event(
                "data_quality.child",
                "child",
                Some(c.child_id),
                Some(c.child_id),
                Outcome::Allow,
                Some(format!("{} problems listed", c.problems.len())),
            );
            self.audit(&mut tx, &ev).await?;
        }
        let ev = ctx.event(
            "data_quality.view",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!("{year}: {} children listed", listed.len())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(DataQuality {
            year,
            rules_run: s903::all_rules().len(),
            children_in_return: in_return.len(),
            children: listed,
            teams: teams.into_values().collect(),
            by_rule: by_rule.into_iter().map(|(k, (m, n))| (k, m, n)).collect(),
            lists_children,
        })
    }

    /// A child's care page (periods of care, placements, episodes, problems).
    pub async fn care_record(&self, ctx: &Ctx, id: ChildId) -> AppResult<CareRecord> {
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child(tx, ctx, id, ChildAction::ViewRecord)
            .await?;
        let can_edit = decide_child(&ctx.me.actor, ChildAction::Edit, &c.facts).is_ok();
        let statuses = repo::child_statuses(&mut tx, &ok).await?;
        let placements = repo::child_placements(&mut tx, &ok).await?;
        let year = ep::collection_year_of(london_date(self.now()));
        let (_, b) = self.built(&mut tx, year).await?;
        let problems = problems_of(&b, year).remove(&id.0).unwrap_or_default();
        let f = repo::facts(&mut tx, &self.config.home_la).await?;
        let mine = facts903(&f).into_iter().find(|x| x.child_id == id.0);
        let (episodes, workers) = match &mine {
            Some(m) => (
                ep::derive_episodes(&m.statuses, &m.placements),
                m.workers
                    .iter()
                    .map(|w| {
                        (
                            w.swe_number.clone().unwrap_or_default(),
                            w.start,
                            w.end,
                            w.reason.clone(),
                        )
                    })
                    .collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        let ev = ctx.event(
            "care.view",
            "child",
            Some(id.0),
            Some(id.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(CareRecord {
            child: c.child,
            statuses,
            placements,
            episodes,
            workers,
            problems,
            year,
            can_edit,
            mother: mine.as_ref().and_then(|m| m.mother),
            mc_dob: mine.as_ref().and_then(|m| m.mc_dob),
        })
    }

    /// Save one of the care page's forms (`section`: "details", "status"
    /// or "placement", with `row` the status or placement id). Decides
    /// [`ChildAction::Edit`] first, then validates; returns the page anchor
    /// to go back to.
    pub async fn save_care(&self, ctx: &Ctx, id: ChildId, f: &CareForm) -> AppResult<String> {
        let tx = self.db.begin_write().await?;
        let (mut tx, _, ok) = self.authorise_child(tx, ctx, id, ChildAction::Edit).await?;
        let row = f.row.parse::<uuid::Uuid>().ok();
        let (anchor, ev) = match (f.section.as_str(), row) {
            ("details", _) => {
                let (sex, eth, upn, mother, mc_dob) =
                    check_header_input(&f.header).map_err(AppError::Validation)?;
                repo::set_header_details(&mut tx, &ok, &sex, &eth, upn.as_deref(), mother, mc_dob)
                    .await?;
                (
                    "details".to_string(),
                    ctx.event(
                        "care.details.edit",
                        "child",
                        Some(id.0),
                        Some(id.0),
                        Outcome::Allow,
                        Some(format!("sex {sex} ethnicity {eth}")),
                    ),
                )
            }
            ("status", Some(status)) => {
                let [ls, cin, rec, home] =
                    check_status_input(&f.status).map_err(AppError::Validation)?;
                let n = repo::set_status_details(
                    &mut tx,
                    &ok,
                    status,
                    ls.as_deref(),
                    cin.as_deref(),
                    rec.as_deref(),
                    home.as_deref(),
                )
                .await?;
                if n == 0 {
                    return Err(AppError::NotFound);
                }
                (
                    format!("status-{status}"),
                    ctx.event(
                        "care.status.edit",
                        "legal_status",
                        Some(status),
                        Some(id.0),
                        Outcome::Allow,
                        Some(format!(
                            "LS {} CIN {} REC {}",
                            ls.as_deref().unwrap_or("-"),
                            cin.as_deref().unwrap_or("-"),
                            rec.as_deref().unwrap_or("-")
                        )),
                    ),
                )
            }
            ("placement", Some(placement)) => {
                let (place, provider, reason, urn) =
                    check_placement_input(&f.placement).map_err(AppError::Validation)?;
                let n = repo::set_placement_details(
                    &mut tx,
                    &ok,
                    placement,
                    &place,
                    &provider,
                    reason.as_deref(),
                    urn.as_deref(),
                )
                .await?;
                if n == 0 {
                    return Err(AppError::NotFound);
                }
                (
                    format!("placement-{placement}"),
                    ctx.event(
                        "care.placement.edit",
                        "placement",
                        Some(placement),
                        Some(id.0),
                        Outcome::Allow,
                        Some(format!(
                            "PLACE {place} provider {provider} reason {}",
                            reason.as_deref().unwrap_or("-")
                        )),
                    ),
                )
            }
            _ => {
                let mut e = FieldErrors::new();
                e.add(
                    "section",
                    "Choose what to save: the child's details, a period of care or a placement",
                );
                return Err(AppError::Validation(e));
            }
        };
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(anchor)
    }

    /// Import an SSDA903 return (CSV files) for onboarding: every problem is
    /// reported with file, row and column and nothing is written unless
    /// there are none; everything is written in one transaction; rows that
    /// already exist (same child and start) are left alone, so running it
    /// again changes nothing. `progress(done, total)` is called per child.
    pub async fn import_ssda903_system(
        &self,
        year: i32,
        files: &[(String, String)],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> AppResult<Result<ImportSummary, Vec<FileProblem>>> {
        let (tables, problems) = s903::files::import_files(files, year);
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let home = self.config.home_la.clone();
        let Some(org) = repo::social_care_org(&mut tx, &home).await? else {
            return Err(AppError::Conflict(format!(
                "No children's social care organisation for authority {home}; set up the authority before importing."
            )));
        };
        const IMPORTER: &str = "ssda903-import@import.invalid";
        let importer = match repo::user_by_email(&mut tx, IMPORTER).await? {
            Some(u) => u,
            None => {
                let id = uuid::Uuid::now_v7();
                repo::insert_placeholder_user(
                    &mut tx,
                    id,
                    IMPORTER,
                    "SSDA903 import",
                    org,
                    None,
                    now,
                )
                .await?;
                id
            }
        };
        let mut sum = ImportSummary::default();
        let total = tables.header.len();
        for (n, h) in tables.header.iter().enumerate() {
            let code = h.child.clone().unwrap_or_default();
            let dob = h.dob.as_deref().and_then(parse_date).expect("checked");
            let child_id = match repo::child_by_code(&mut tx, &code).await? {
                Some(id) => id,
                None => {
                    let ch = Child {
                        id: ChildId::new(),
                        la_child_id: code.clone(),
                        first_name: "Not recorded".into(),
                        last_name: format!("(imported child {code})"),
                        dob,
                        sex: h.sex.as_deref().and_then(Sex::parse).unwrap_or(Sex::U),
                        ethnicity: h.ethnic.clone().unwrap_or_default(),
                        upn: h.upn.clone().filter(|u| !u.starts_with("UN")),
                        nhs_number: None,
                        responsible_la: home.clone(),
                        host_la: None,
                        school: None,
                        restricted: false,
                        created_at: now,
                    };
                    children::insert(&mut tx, &ch, None).await?;
                    children::replace_name_keys(
                        &mut tx,
                        ch.id,
                        &name_keys(&[&ch.first_name, &ch.last_name]),
                    )
                    .await?;
                    let mother = match h.mother.as_deref() {
                        Some("1") => Some(true),
                        Some("0") => Some(false),
                        _ => None,
                    };
                    repo::set_header_details(
                        &mut tx,
                        &system_import(ch.id),
                        ch.sex.as_str(),
                        &ch.ethnicity,
                        ch.upn.as_deref(),
                        mother,
                        h.mc_dob.as_deref().and_then(parse_date),
                    )
                    .await?;
                    sum.children_created += 1;
                    ch.id.0
                }
            };
            let ok = system_import(ChildId(child_id));
            let plan = plan_child(&tables, &code);
            self.write_plan(&mut tx, &ok, &plan, &home, importer, org, now, &mut sum)
                .await?;
            progress(n + 1, total);
        }
        self.audit(
            &mut tx,
            &system_event(
                "ssda903.import",
                "service",
                None,
                Some(format!(
                    "{year}: {} children ({} new), {} care rows, {} placements, {} missing, {} allocations added",
                    total,
                    sum.children_created,
                    sum.statuses,
                    sum.placements,
                    sum.missing,
                    sum.allocations
                )),
            ),
        )
        .await?;
        tx.commit().await?;
        sum.children = total;
        Ok(Ok(sum))
    }

    #[allow(clippy::too_many_arguments)]
    async fn write_plan(
        &self,
        tx: &mut Tx,
        ok: &Allowed,
        plan: &ChildPlan,
        home: &str,
        importer: uuid::Uuid,
        org: uuid::Uuid,
        now: DateTime<Utc>,
        sum: &mut ImportSummary,
    ) -> AppResult<()> {
        use harbour_db::records;
        use harbour_domain::codes::LegalStatusKind;
        use harbour_domain::ids::{LegalStatusId, PlacementId};
        use harbour_domain::model::{LegalStatusPeriod, Placement};
        let child = ok.child_id();
        for s in &plan.statuses {
            if repo::status_exists(tx, child.0, s.start).await? {
                continue;
            }
            let id = LegalStatusId::new();
            records::insert_legal_status(
                tx,
                ok,
                &LegalStatusPeriod {
                    id,
                    child_id: child,
                    status: LegalStatusKind::Cla,
                    start_date: s.start,
                    end_date: s.end,
                    recorded_at: now,
                },
            )
            .await?;
            repo::set_status_details(
                tx,
                ok,
                id.0,
                s.ls.as_deref(),
                s.cin.as_deref(),
                s.rec.as_deref(),
                s.home_post.as_deref(),
            )
            .await?;
            if let Some(r) = &s.first_rne {
                repo::set_first_rne(tx, ok, id.0, r).await?;
            }
            sum.statuses += 1;
        }
        for p in &plan.placements {
            if repo::placement_exists(tx, child.0, p.start).await? {
                continue;
            }
            let id = PlacementId::new();
            records::insert_placement(
                tx,
                ok,
                &Placement {
                    id,
                    child_id: child,
                    place_code: p.place.clone(),
                    provider_code: p.provider.clone(),
                    carer_name: p.carer.clone(),
                    carer_phone: None,
                    postcode: p.postcode.clone(),
                    area_la: home.to_string(),
                    start_date: p.start,
                    end_date: p.end,
                },
            )
            .await?;
            repo::set_placement_details(
                tx,
                ok,
                id.0,
                &p.place,
                &p.provider,
                p.reason_change.as_deref(),
                p.urn.as_deref(),
            )
            .await?;
            sum.placements += 1;
        }
        for m in &plan.missing {
            let start = noon(m.start);
            if repo::missing_exists(tx, child.0, start).await? {
                continue;
            }
            repo::insert_missing(
                tx,
                ok,
                uuid::Uuid::now_v7(),
                &m.kind,
                start,
                m.end.map(noon),
                importer,
                now,
            )
            .await?;
            sum.missing += 1;
        }
        for w in &plan.workers {
            if repo::allocation_exists(tx, child.0, w.start).await? {
                continue;
            }
            let swe = w.swe_number.clone().unwrap_or_default();
            let worker = match repo::user_by_swe(tx, &swe).await? {
                Some(u) => u,
                None => {
                    let id = uuid::Uuid::now_v7();
                    repo::insert_placeholder_user(
                        tx,
                        id,
                        &format!("{}@import.invalid", swe.to_ascii_lowercase()),
                        &format!("Imported worker {swe}"),
                        org,
                        Some(&swe),
                        now,
                    )
                    .await?;
                    sum.workers_created += 1;
                    id
                }
            };
            repo::insert_allocation(
                tx,
                ok,
                uuid::Uuid::now_v7(),
                worker,
                w.start,
                w.end,
                &w.reason,
                importer,
                now,
            )
            .await?;
            sum.allocations += 1;
        }
        Ok(())
    }
}

/// What an import wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub children: usize,
    pub children_created: usize,
    pub statuses: usize,
    pub placements: usize,
    pub missing: usize,
    pub allocations: usize,
    pub workers_created: usize,
}

/// What one child's rows become in Harbour.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChildPlan {
    pub statuses: Vec<CareStatus>,
    pub placements: Vec<PlacementFact>,
    pub missing: Vec<MissingFact>,
    pub workers: Vec<WorkerFact>,
}

/// The inverse of [`ep::derive_episodes`]: legal status rows and placements
/// from a child's episodes (sorted by start). A run of episodes with one LS
/// is one status row; a placement runs until an episode whose RNE says the
/// placement changed (P, T, U, B) or the period ends. Carers are not in the
/// return, so they are named by sequence, keeping "same carer" (T, B)
/// apart from "new carer" (P, U) so that exporting again gives the same RNE.
pub fn plan_child(t: &Tables, code: &str) -> ChildPlan {
    let d = |v: &Option<String>| v.as_deref().and_then(parse_date);
    let mut eps: Vec<&s903::Episode> = t
        .episodes
        .iter()
        .filter(|e| e.child.as_deref() == Some(code))
        .collect();
    eps.sort_by_key(|e| d(&e.decom));
    let mut plan = ChildPlan::default();
    let mut carer_n = 0;
    for (i, e) in eps.iter().enumerate() {
        let start = d(&e.decom).expect("checked");
        let end = d(&e.dec);
        let rne = e.rne.as_deref().unwrap_or("S");
        let new_period = i == 0 || rne == "S";
        let ls_change = new_period || matches!(rne, "L" | "U" | "B");
        let pl_change = new_period || matches!(rne, "P" | "T" | "U" | "B");
        // Close what this episode replaces.
        if ls_change {
            if let Some(s) = plan
                .statuses
                .last_mut()
                .filter(|s| s.end.is_none() && !new_period)
            {
                s.end = Some(start);
            }
            plan.statuses.push(CareStatus {
                id: uuid::Uuid::nil(),
                start,
                end: None,
                ls: e.ls.clone(),
                cin: e.cin.clone(),
                rec: None,
                home_post: if new_period {
                    e.home_post.clone()
                } else {
                    plan.statuses.last().and_then(|s| s.home_post.clone())
                },
                first_rne: (new_period && rne != "S").then(|| rne.to_string()),
            });
        }
        if pl_change {
            if let Some(p) = plan
                .placements
                .last_mut()
                .filter(|p| p.end.is_none() && !new_period)
            {
                p.end = Some(start);
            }
            if !matches!(rne, "T" | "B") || new_period {
                carer_n += 1;
            }
            if e.place.is_some() {
                plan.placements.push(PlacementFact {
                    id: uuid::Uuid::nil(),
                    start,
                    end: None,
                    place: e.place.clone().unwrap_or_default(),
                    provider: e.place_provider.clone().unwrap_or_default(),
                    carer: format!("Carer {carer_n} (imported)"),
                    postcode: e.pl_post.clone().unwrap_or_default(),
                    urn: e.urn.clone(),
                    reason_change: None,
                });
            }
        }
        if let Some(p) = plan
            .placements
            .last_mut()
            .filter(|_| e.reason_place_change.is_some())
        {
            p.reason_change = e.reason_place_change.clone();
        }
        // The period ends with this episode unless X1 says another follows.
        let rec = e.rec.as_deref();
        if end.is_some() && rec != Some("X1") {
            if let Some(s) = plan.statuses.last_mut() {
                s.end = end;
                s.rec = e.rec.clone();
            }
            if let Some(p) = plan.placements.last_mut().filter(|p| p.end.is_none()) {
                p.end = end;
            }
        }
    }
    for m in t
        .missing
        .iter()
        .filter(|m| m.child.as_deref() == Some(code))
    {
        plan.missing.push(MissingFact {
            id: uuid::Uuid::nil(),
            kind: m.missing.clone().unwrap_or_default(),
            start: d(&m.mis_start).expect("checked"),
            end: d(&m.mis_end),
        });
    }
    for s in t.sw.iter().filter(|s| s.child.as_deref() == Some(code)) {
        plan.workers.push(WorkerFact {
            id: uuid::Uuid::nil(),
            swe_number: s.sw_id.clone(),
            start: d(&s.sw_decom).expect("checked"),
            end: d(&s.sw_dec),
            reason: s.sw_reason.clone().unwrap_or_default(),
        });
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_table() {
        for (i, want) in [
            ("st4 1aa", Some("ST4 1AA")),
            ("ST41AA", Some("ST4 1AA")),
            ("SW1A 1AA", Some("SW1A 1AA")),
            ("B8 1AA", Some("B8 1AA")),
            ("ST4", None),
            ("12345", None),
            ("ST4 AAA", None),
        ] {
            assert_eq!(normalise_postcode(i).as_deref(), want, "{i}");
        }
    }

    #[test]
    fn sw_id_table() {
        let u = uuid::Uuid::from_u128(0xabcdef12_0000_0000_0000_000000000000);
        assert_eq!(sw_id(Some("SW123456"), u), "SW123456");
        assert_eq!(sw_id(None, u), "XXABCDEF12");
        assert_eq!(sw_id(Some(" "), u), "XXABCDEF12");
    }

    #[test]
    fn status_and_placement_inputs() {
        let bad = check_status_input(&StatusInput {
            ls: "Z9".into(),
            cin: "".into(),
            rec: "E99".into(),
            home_postcode: "nowhere".into(),
        })
        .unwrap_err();
        for f in ["ls", "cin", "rec", "home_postcode"] {
            assert!(bad.get(f).is_some(), "{f}");
        }
        let good = check_status_input(&StatusInput {
            ls: "C2".into(),
            cin: "N1".into(),
            rec: "".into(),
            home_postcode: "st4 1aa".into(),
        })
        .unwrap();
        assert_eq!(good[3].as_deref(), Some("ST4 1AA"));
        let p = check_placement_input(&PlacementInput {
            place: "T1".into(),
            provider: "PR1".into(),
            reason: "".into(),
            urn: "".into(),
        })
        .unwrap();
        assert_eq!(p.1, "", "T1 takes no provider");
        let e = check_placement_input(&PlacementInput {
            place: "P1".into(),
            provider: "PR0".into(),
            reason: "NOPE".into(),
            urn: "1234567".into(),
        })
        .unwrap_err();
        assert!(e.get("reason").is_some() && e.get("urn").is_some());
    }
}
