//! Weighted caseloads: how heavy each child's case is, how much a worker can
//! safely hold, and whether a worker is green, amber or red.
//!
//! There is no national weighting model (domain reference §9, "Weighting").
//! Harbour follows the shape local authorities use and makes every number
//! configurable (`[caseload]` in the configuration file):
//!
//! - **points per case by type and phase** (Slough/Swindon: 4 to 10 points per
//!   case type): child in need, child protection, looked after, care leaver,
//!   and court work, which outweighs the legal status while proceedings last;
//! - **modifiers** for exploitation risk, repeated missing episodes and
//!   sibling groups (BASW/Unison principles: risk counted; a second sibling
//!   allocated to the same worker shares visits, meetings and reports, so it
//!   counts less than a separate child);
//! - **capacity by FTE**: 100 points for a full-time worker (Wirral);
//! - **a protected cap for a worker in their ASYE year**: about 90% of an
//!   experienced worker's caseload plus 10% protected development time
//!   (domain reference §9, "ASYE"; Wirral: ASYE 90 points);
//! - **amber and red thresholds** as a percentage of capacity, so escalation
//!   starts before demand exceeds capacity (BASW/Unison; LGA employer
//!   standard 3, safe workloads).
//!
//! The raw count of children, the figure the DfE workforce census takes at
//! 30 September, is always reported beside the weighted one (§9: "Report
//! the raw count beside any weighted figure").
//!
//! Everything here is pure: facts in, points out.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Settings of the weighting engine (`[caseload]` in the configuration file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WeightingConfig {
    /// Points for a child in need (s.17).
    pub child_in_need: u32,
    /// Points for a child on a child protection plan.
    pub child_protection: u32,
    /// Points for a looked-after child.
    pub looked_after: u32,
    /// Points for a care leaver.
    pub care_leaver: u32,
    /// Points for a child in care proceedings (court work), whatever the legal status.
    pub court_work: u32,
    /// Extra points for a low exploitation risk.
    pub exploitation_low: u32,
    /// Extra points for a medium exploitation risk.
    pub exploitation_medium: u32,
    /// Extra points for a high exploitation risk.
    pub exploitation_high: u32,
    /// Extra points for a child missing repeatedly.
    pub repeat_missing: u32,
    /// Missing episodes within `repeat_missing_days` that count as repeated.
    pub repeat_missing_count: u32,
    /// The window for repeated missing, in days.
    pub repeat_missing_days: i64,
    /// A further sibling allocated to the same worker counts this percentage of its points.
    pub sibling_percent: u32,
    /// Capacity of a full-time worker, in points.
    pub capacity_per_fte: u32,
    /// A worker in their ASYE year may hold this percentage of an experienced worker's capacity.
    pub asye_cap_percent: u32,
    /// Protected development time in the ASYE year, as a percentage of working time.
    pub asye_development_percent: u32,
    /// Amber from this percentage of capacity.
    pub amber_percent: u32,
    /// Red above this percentage of capacity; an allocation that takes a
    /// worker past it (or past an ASYE worker's protected cap) needs a team
    /// manager's override.
    pub red_percent: u32,
}

impl Default for WeightingConfig {
    fn default() -> Self {
        Self {
            child_in_need: 4,
            child_protection: 6,
            looked_after: 5,
            care_leaver: 3,
            court_work: 8,
            exploitation_low: 1,
            exploitation_medium: 2,
            exploitation_high: 4,
            repeat_missing: 2,
            repeat_missing_count: 3,
            repeat_missing_days: 90,
            sibling_percent: 50,
            capacity_per_fte: 100,
            asye_cap_percent: 90,
            asye_development_percent: 10,
            amber_percent: 80,
            red_percent: 100,
        }
    }
}

impl WeightingConfig {
    /// Problems with the settings, in words (empty when usable).
    pub fn problems(&self) -> Vec<String> {
        let mut v = Vec::new();
        if self.capacity_per_fte == 0 {
            v.push("caseload.capacity_per_fte must be more than 0".into());
        }
        if self.amber_percent == 0 || self.amber_percent > self.red_percent {
            v.push("caseload.amber_percent must be more than 0 and at most red_percent".into());
        }
        if self.asye_cap_percent == 0 || self.asye_cap_percent > 100 {
            v.push("caseload.asye_cap_percent must be from 1 to 100".into());
        }
        if self.asye_cap_percent + self.asye_development_percent > 100 {
            v.push(
                "caseload.asye_cap_percent plus asye_development_percent must be at most 100"
                    .into(),
            );
        }
        if self.sibling_percent > 100 {
            v.push("caseload.sibling_percent must be at most 100".into());
        }
        v
    }
}

/// The kind and phase of a child's case, for weighting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseType {
    /// Child in need (s.17 Children Act 1989).
    ChildInNeed,
    /// Child protection plan.
    ChildProtection,
    /// Looked after.
    LookedAfter,
    /// Care leaver.
    CareLeaver,
    /// Care proceedings under way (court work).
    CourtWork,
}

impl CaseType {
    /// From the current legal status code (`CIN`, `CP`, `CLA`, `CL`) and
    /// whether care proceedings are under way. A child with no current
    /// status is weighted as a child in need (an open assessment).
    pub fn from_status(status: Option<&str>, court_work: bool) -> Self {
        if court_work {
            return Self::CourtWork;
        }
        match status {
            Some("CP") => Self::ChildProtection,
            Some("CLA") => Self::LookedAfter,
            Some("CL") => Self::CareLeaver,
            _ => Self::ChildInNeed,
        }
    }
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::ChildInNeed => "Child in need",
            Self::ChildProtection => "Child protection",
            Self::LookedAfter => "Looked after",
            Self::CareLeaver => "Care leaver",
            Self::CourtWork => "Court work",
        }
    }
    fn points(self, c: &WeightingConfig) -> u32 {
        match self {
            Self::ChildInNeed => c.child_in_need,
            Self::ChildProtection => c.child_protection,
            Self::LookedAfter => c.looked_after,
            Self::CareLeaver => c.care_leaver,
            Self::CourtWork => c.court_work,
        }
    }
}

/// Exploitation risk level. Today Harbour derives it from return home
/// interviews (see [`RiskLevel::from_interview_signs`]); an exploitation
/// screening can feed it directly later.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// No known risk.
    #[default]
    None,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

impl RiskLevel {
    /// Until the exploitation screening exists: an interview in the last
    /// 180 days that recorded signs of exploitation counts as a medium risk.
    pub fn from_interview_signs(recent_signs: bool) -> Self {
        if recent_signs {
            Self::Medium
        } else {
            Self::None
        }
    }
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "None known",
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
        }
    }
}

/// What the weighting needs to know about one child's case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFacts {
    /// Case type and phase.
    pub case_type: CaseType,
    /// Exploitation risk.
    pub exploitation: RiskLevel,
    /// Missing episodes that started within the repeat-missing window.
    pub recent_missing: u32,
    /// Children with the same key are siblings held by the same worker.
    pub sibling_group: Option<u64>,
}

/// One part of a case's weight, for "why".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WeightPart {
    /// What it is.
    pub label: String,
    /// Points (negative for the sibling reduction).
    pub points: i64,
}

/// A case's weight and the reasons for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Weight {
    /// Points.
    pub points: u32,
    /// Why, part by part; the parts add up to `points`.
    pub parts: Vec<WeightPart>,
}

/// The weight of one case on its own, before any sibling reduction.
pub fn case_weight(cfg: &WeightingConfig, f: &CaseFacts) -> Weight {
    let mut parts = vec![WeightPart {
        label: f.case_type.label().into(),
        points: f.case_type.points(cfg) as i64,
    }];
    let risk = match f.exploitation {
        RiskLevel::None => 0,
        RiskLevel::Low => cfg.exploitation_low,
        RiskLevel::Medium => cfg.exploitation_medium,
        RiskLevel::High => cfg.exploitation_high,
    };
    if risk > 0 {
        parts.push(WeightPart {
            label: format!(
                "Exploitation risk: {}",
                f.exploitation.label().to_lowercase()
            ),
            points: risk as i64,
        });
    }
    if cfg.repeat_missing_count > 0 && f.recent_missing >= cfg.repeat_missing_count {
        parts.push(WeightPart {
            label: format!(
                "Missing {} times in {} days",
                f.recent_missing, cfg.repeat_missing_days
            ),
            points: cfg.repeat_missing as i64,
        });
    }
    let points = parts.iter().map(|p| p.points).sum::<i64>().max(0) as u32;
    Weight { points, parts }
}

/// The weights of a worker's cases, in the order given. Within a sibling
/// group the heaviest case counts in full and each further sibling counts
/// `sibling_percent` of its points (rounded up).
pub fn weigh_caseload(cfg: &WeightingConfig, cases: &[CaseFacts]) -> Vec<Weight> {
    let mut out: Vec<Weight> = cases.iter().map(|c| case_weight(cfg, c)).collect();
    let mut groups: Vec<u64> = cases.iter().filter_map(|c| c.sibling_group).collect();
    groups.sort_unstable();
    groups.dedup();
    for g in groups {
        let mut members: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].sibling_group == Some(g))
            .collect();
        // Heaviest first; ties keep the given order.
        members.sort_by(|&a, &b| out[b].points.cmp(&out[a].points).then(a.cmp(&b)));
        for &i in members.iter().skip(1) {
            let full = out[i].points;
            let kept = (full * cfg.sibling_percent).div_ceil(100);
            if kept < full {
                out[i].parts.push(WeightPart {
                    label: "Sibling of another child you hold".into(),
                    points: kept as i64 - full as i64,
                });
                out[i].points = kept;
            }
        }
    }
    out
}

/// A worker's weighted load: the sum of their cases' weights.
pub fn worker_load(cfg: &WeightingConfig, cases: &[CaseFacts]) -> u32 {
    weigh_caseload(cfg, cases).iter().map(|w| w.points).sum()
}

/// The load if `new_case` were added to `cases`.
pub fn projected_load_with(
    cfg: &WeightingConfig,
    cases: &[CaseFacts],
    new_case: &CaseFacts,
) -> u32 {
    let mut all = cases.to_vec();
    all.push(new_case.clone());
    worker_load(cfg, &all)
}

/// Whether a worker is in their ASYE year on `today`: it started no more
/// than 12 months ago (the assessed year, domain reference §9).
pub fn in_asye(asye_start: Option<NaiveDate>, today: NaiveDate) -> bool {
    asye_start.is_some_and(|s| s <= today && today < s + chrono::Months::new(12))
}

/// A worker's capacity in points: points per FTE × FTE, and for a worker in
/// their ASYE year only the protected share of it.
pub fn capacity(cfg: &WeightingConfig, fte_hundredths: i32, asye: bool) -> u32 {
    let fte = fte_hundredths.clamp(0, 100) as u32;
    let full = cfg.capacity_per_fte * fte / 100;
    if asye {
        full * cfg.asye_cap_percent / 100
    } else {
        full
    }
}

/// Green, amber or red.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Below the amber threshold.
    Green,
    /// At or above amber, not above red.
    Amber,
    /// Above the red threshold (for an ASYE worker, their protected cap).
    Red,
}

impl Status {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Green => "Green",
            Self::Amber => "Amber",
            Self::Red => "Red",
        }
    }
    /// The GOV.UK tag colour class.
    pub fn tag_class(self) -> &'static str {
        match self {
            Self::Green => "govuk-tag--green",
            Self::Amber => "govuk-tag--yellow",
            Self::Red => "govuk-tag--red",
        }
    }
}

/// Load as a whole percentage of capacity (rounded down); a worker with no
/// capacity but some load is at 999%.
pub fn percent_of(load: u32, capacity: u32) -> u32 {
    match (load, capacity) {
        (0, _) => 0,
        (_, 0) => 999,
        (l, c) => l * 100 / c,
    }
}

/// The status of `load` against `capacity`.
pub fn status(cfg: &WeightingConfig, load: u32, capacity: u32) -> Status {
    // Compare exactly: load × 100 against threshold × capacity.
    let l = load as u64 * 100;
    let c = capacity as u64;
    if load > 0 && l > cfg.red_percent as u64 * c {
        Status::Red
    } else if load > 0 && l >= cfg.amber_percent as u64 * c {
        Status::Amber
    } else {
        Status::Green
    }
}

/// What an allocation would breach.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Breach {
    /// Over a worker's protected ASYE cap.
    AsyeCap,
    /// Over the red threshold.
    RedThreshold,
}

impl Breach {
    /// Machine name (stored and audited).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AsyeCap => "asye_cap",
            Self::RedThreshold => "red_threshold",
        }
    }
    /// Parse the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "asye_cap" => Some(Self::AsyeCap),
            "red_threshold" => Some(Self::RedThreshold),
            _ => None,
        }
    }
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::AsyeCap => "Over the protected ASYE cap",
            Self::RedThreshold => "Over the red threshold",
        }
    }
}

/// Whether taking a worker to `projected` points would breach their
/// protected ASYE cap or the red threshold, and so needs a team manager's
/// override with a reason (BASW/Unison: escalation when demand exceeds
/// capacity). A worker already over it breaches with any further child.
pub fn breaches(
    cfg: &WeightingConfig,
    projected: u32,
    capacity: u32,
    asye: bool,
) -> Option<Breach> {
    (status(cfg, projected, capacity) == Status::Red).then_some(if asye {
        Breach::AsyeCap
    } else {
        Breach::RedThreshold
    })
}

/// Capacity against demand over recent weeks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Forecast {
    /// Mean new allocations per week.
    pub new_per_week: f64,
    /// Mean points of a case now held.
    pub mean_case_points: f64,
    /// Points of new work arriving per week.
    pub demand_points_per_week: f64,
    /// Free points below the amber threshold, summed over workers.
    pub free_points: u32,
    /// Weeks of new work the free points would absorb, if nothing closed.
    pub weeks_of_headroom: Option<f64>,
}

/// Forecast: new allocations per week (`weekly_new`, one figure per week)
/// against free capacity below amber, summed over workers from their
/// `(load, capacity)`, with new cases weighted at the mean of those held.
pub fn forecast(
    cfg: &WeightingConfig,
    weekly_new: &[u32],
    workers: &[(u32, u32)],
    cases_held: u32,
) -> Forecast {
    let weeks = weekly_new.len().max(1) as f64;
    let new_per_week = weekly_new.iter().sum::<u32>() as f64 / weeks;
    let total_load: u32 = workers.iter().map(|w| w.0).sum();
    let mean_case_points = if cases_held == 0 {
        0.0
    } else {
        total_load as f64 / cases_held as f64
    };
    let free_points = workers
        .iter()
        .map(|&(l, c)| (c * cfg.amber_percent / 100).saturating_sub(l))
        .sum();
    let demand = new_per_week * mean_case_points;
    Forecast {
        new_per_week,
        mean_case_points,
        demand_points_per_week: demand,
        free_points,
        weeks_of_headroom: (demand > 0.0).then(|| free_points as f64 / demand),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(t: CaseType) -> CaseFacts {
        CaseFacts {
            case_type: t,
            exploitation: RiskLevel::None,
            recent_missing: 0,
            sibling_group: None,
        }
    }

    #[test]
    fn case_weights_by_type_and_modifier() {
        use CaseType::*;
        let c = WeightingConfig::default();
        // (type, risk, missing episodes, expected points)
        let table = [
            (ChildInNeed, RiskLevel::None, 0, 4),
            (ChildProtection, RiskLevel::None, 0, 6),
            (LookedAfter, RiskLevel::None, 0, 5),
            (CareLeaver, RiskLevel::None, 0, 3),
            (CourtWork, RiskLevel::None, 0, 8),
            (LookedAfter, RiskLevel::Low, 0, 6),
            (LookedAfter, RiskLevel::Medium, 0, 7),
            (LookedAfter, RiskLevel::High, 0, 9),
            (LookedAfter, RiskLevel::None, 2, 5),
            (LookedAfter, RiskLevel::None, 3, 7),
            (ChildProtection, RiskLevel::High, 5, 12),
        ];
        for (t, risk, missing, want) in table {
            let f = CaseFacts {
                case_type: t,
                exploitation: risk,
                recent_missing: missing,
                sibling_group: None,
            };
            let w = case_weight(&c, &f);
            assert_eq!(w.points, want, "{t:?} {risk:?} {missing}");
            assert_eq!(
                w.parts.iter().map(|p| p.points).sum::<i64>(),
                want as i64,
                "parts add up"
            );
        }
    }

    #[test]
    fn case_type_from_legal_status() {
        let table = [
            (Some("CIN"), false, CaseType::ChildInNeed),
            (Some("CP"), false, CaseType::ChildProtection),
            (Some("CLA"), false, CaseType::LookedAfter),
            (Some("CL"), false, CaseType::CareLeaver),
            (None, false, CaseType::ChildInNeed),
            (Some("CLA"), true, CaseType::CourtWork),
            (None, true, CaseType::CourtWork),
        ];
        for (s, court, want) in table {
            assert_eq!(CaseType::from_status(s, court), want, "{s:?} {court}");
        }
    }

    #[test]
    fn siblings_with_the_same_worker_count_less() {
        let c = WeightingConfig::default();
        let sib = |t, g| CaseFacts {
            sibling_group: Some(g),
            ..case(t)
        };
        // (cases, expected total)
        let table: [(Vec<CaseFacts>, u32); 5] = [
            (
                vec![case(CaseType::LookedAfter), case(CaseType::LookedAfter)],
                10,
            ),
            (
                vec![sib(CaseType::LookedAfter, 1), sib(CaseType::LookedAfter, 1)],
                8, // 5 + ceil(2.5)
            ),
            (
                // The heavier sibling counts in full, whatever the order.
                vec![
                    sib(CaseType::ChildInNeed, 1),
                    sib(CaseType::ChildProtection, 1),
                ],
                8, // 6 + 4/2
            ),
            (
                vec![
                    sib(CaseType::LookedAfter, 1),
                    sib(CaseType::LookedAfter, 1),
                    sib(CaseType::LookedAfter, 1),
                ],
                11,
            ),
            (
                vec![sib(CaseType::LookedAfter, 1), sib(CaseType::LookedAfter, 2)],
                10, // different families
            ),
        ];
        for (cases, want) in table {
            assert_eq!(worker_load(&c, &cases), want, "{cases:?}");
            let ws = weigh_caseload(&c, &cases);
            for w in ws {
                assert_eq!(
                    w.parts.iter().map(|p| p.points).sum::<i64>(),
                    w.points as i64
                );
            }
        }
        let none = WeightingConfig {
            sibling_percent: 100,
            ..c
        };
        assert_eq!(
            worker_load(
                &none,
                &[sib(CaseType::LookedAfter, 1), sib(CaseType::LookedAfter, 1)]
            ),
            10
        );
    }

    #[test]
    fn capacity_by_fte_and_asye() {
        let c = WeightingConfig::default();
        // (fte, asye, expected)
        let table = [
            (100, false, 100),
            (80, false, 80),
            (60, false, 60),
            (100, true, 90),
            (80, true, 72),
            (0, false, 0),
            (150, false, 100),
        ];
        for (fte, asye, want) in table {
            assert_eq!(capacity(&c, fte, asye), want, "{fte} {asye}");
        }
    }

    #[test]
    fn in_asye_for_twelve_months() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let table = [
            (None, "2026-11-26", false),
            (Some("2026-09-01"), "2026-11-26", true),
            (Some("2025-11-27"), "2026-11-26", true),
            (Some("2025-11-26"), "2026-11-26", false),
            (Some("2026-12-01"), "2026-11-26", false),
        ];
        for (start, today, want) in table {
            assert_eq!(in_asye(start.map(d), d(today)), want, "{start:?} {today}");
        }
    }

    #[test]
    fn status_thresholds() {
        let c = WeightingConfig::default();
        // (load, capacity, expected)
        let table = [
            (0, 100, Status::Green),
            (79, 100, Status::Green),
            (80, 100, Status::Amber),
            (100, 100, Status::Amber),
            (101, 100, Status::Red),
            (72, 90, Status::Amber),
            (91, 90, Status::Red),
            (0, 0, Status::Green),
            (1, 0, Status::Red),
        ];
        for (load, cap, want) in table {
            assert_eq!(status(&c, load, cap), want, "{load}/{cap}");
        }
        assert_eq!(percent_of(45, 90), 50);
        assert_eq!(percent_of(3, 0), 999);
    }

    #[test]
    fn breaches_need_an_override() {
        let c = WeightingConfig::default();
        // (projected, capacity, asye, expected)
        let table = [
            (90, 100, false, None),
            (100, 100, false, None),
            (101, 100, false, Some(Breach::RedThreshold)),
            (90, 90, true, None),
            (91, 90, true, Some(Breach::AsyeCap)),
            (160, 100, false, Some(Breach::RedThreshold)),
        ];
        for (p, cap, asye, want) in table {
            assert_eq!(breaches(&c, p, cap, asye), want, "{p}/{cap} {asye}");
        }
        for b in [Breach::AsyeCap, Breach::RedThreshold] {
            assert_eq!(Breach::parse(b.as_str()), Some(b));
        }
    }

    #[test]
    fn projected_load_adds_the_child() {
        let c = WeightingConfig::default();
        let held = vec![case(CaseType::LookedAfter); 17];
        assert_eq!(worker_load(&c, &held), 85);
        assert_eq!(
            projected_load_with(&c, &held, &case(CaseType::ChildProtection)),
            91
        );
    }

    #[test]
    fn forecast_of_capacity_against_demand() {
        let c = WeightingConfig::default();
        let f = forecast(&c, &[2, 4, 3, 3], &[(60, 100), (90, 100), (40, 90)], 38);
        assert_eq!(f.new_per_week, 3.0);
        assert_eq!(f.free_points, 20 + 32);
        assert!((f.mean_case_points - 190.0 / 38.0).abs() < 1e-9);
        assert!((f.weeks_of_headroom.unwrap() - 52.0 / 15.0).abs() < 1e-9);
        let idle = forecast(&c, &[], &[], 0);
        assert_eq!(idle.weeks_of_headroom, None);
    }

    #[test]
    fn configuration_problems() {
        assert!(WeightingConfig::default().problems().is_empty());
        let bad = WeightingConfig {
            asye_cap_percent: 95,
            asye_development_percent: 10,
            amber_percent: 120,
            ..Default::default()
        };
        assert_eq!(bad.problems().len(), 2);
    }

    #[test]
    fn interview_signs_feed_the_risk_level() {
        assert_eq!(RiskLevel::from_interview_signs(true), RiskLevel::Medium);
        assert_eq!(RiskLevel::from_interview_signs(false), RiskLevel::None);
    }
}
