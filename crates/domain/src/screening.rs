//! Exploitation screening: indicators ticked with their evidence, a risk
//! level on the authority's own scale, peers of concern, and the pure rules
//! read from a screening.
//!
//! Sources (see `domain-reference.md` §3 Exploitation): DfE, *Child sexual
//! exploitation: definition and guide for practitioners* (2017); Home Office
//! criminal exploitation and county lines guidance (2023); *Working Together
//! to Safeguard Children* 2023. The indicator groups follow the West
//! Midlands, Merton, Kent & Medway and Catch22 screening forms (the grouping
//! is illustrative, so every set is configuration); risk scales are a
//! per-authority list; the under-13 rule; and the CIN census assessment
//! factor codes (10A missing, 11A CSE, 12A trafficking, 13A gangs, 24A CCE,
//! 2A drugs, 9A UASC, 15A self-harm).

use crate::ids::{ChildId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One indicator on the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable id (stored with each screening).
    pub id: String,
    /// What the practitioner reads.
    pub label: String,
    /// A high-risk indicator: for a child aged 13 or under, one alone counts
    /// as potential exploitation.
    #[serde(default)]
    pub high_risk: bool,
    /// A CIN census assessment factor this indicator points to by itself
    /// (for example repeat missing, 10A), beyond its category's.
    #[serde(default)]
    pub cin_factor: Option<String>,
}

/// A category of harm: a fieldset on the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Stable id (`common`, `cse`, `cce`, `gangs`, `trafficking`, `online`).
    pub id: String,
    /// Heading.
    pub label: String,
    /// The CIN census assessment factor any ticked indicator here points to.
    #[serde(default)]
    pub cin_factor: Option<String>,
    /// Its indicators.
    pub indicators: Vec<Indicator>,
}

/// The `[screening]` configuration table: the risk scale (lowest first) and
/// the indicator sets, with the levels that feed other rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScreeningConfig {
    /// The authority's risk levels, lowest first (West Midlands: No current
    /// risk / At risk / Medium / High; Kent & Medway: Category 1-3).
    pub levels: Vec<String>,
    /// A latest screening at or above this level is an exploitation concern
    /// for the missing-report trigger.
    pub concern_level: String,
    /// A latest screening at or above this level proposes a panel referral.
    pub escalation_level: String,
    /// A proposal needs no new one while a decision on the same grounds is
    /// younger than this many days.
    pub repropose_after_days: i64,
    /// Escalation: this many episodes (0: off) ...
    pub repeat_count: usize,
    /// ... within this many days.
    pub repeat_days: i64,
    /// Escalation: a child this age or younger with any indicator ticked.
    pub young_child_age: u32,
    /// The indicator sets.
    pub categories: Vec<Category>,
}

fn ind(id: &str, label: &str, high_risk: bool, cin: Option<&str>) -> Indicator {
    Indicator {
        id: id.into(),
        label: label.into(),
        high_risk,
        cin_factor: cin.map(Into::into),
    }
}

fn cat(id: &str, label: &str, cin: Option<&str>, indicators: Vec<Indicator>) -> Category {
    Category {
        id: id.into(),
        label: label.into(),
        cin_factor: cin.map(Into::into),
        indicators,
    }
}

impl Default for ScreeningConfig {
    /// The domain reference's indicator table (§3: common, CSE, CCE,
    /// trafficking), with gangs and online harm from Working Together 2023's
    /// list of extra-familial harms. Which indicators are high-risk is local
    /// practice and configurable.
    fn default() -> Self {
        Self {
            levels: vec![
                "No current risk".into(),
                "At risk".into(),
                "Medium".into(),
                "High".into(),
            ],
            concern_level: "Medium".into(),
            escalation_level: "High".into(),
            repropose_after_days: 28,
            repeat_count: 3,
            repeat_days: 30,
            young_child_age: 13,
            categories: vec![
                cat(
                    "common",
                    "Common indicators",
                    None,
                    vec![
                        ind(
                            "repeat_missing",
                            "Repeat missing episodes",
                            false,
                            Some("10A"),
                        ),
                        ind(
                            "absence_exclusion",
                            "Absence from school or exclusion",
                            false,
                            None,
                        ),
                        ind("older_associates", "Older associates", true, None),
                        ind("substance_misuse", "Substance misuse", false, Some("2A")),
                        ind(
                            "unexplained_gifts",
                            "Unexplained money, phones or gifts",
                            true,
                            None,
                        ),
                        ind(
                            "controlling_relationship",
                            "Controlling relationships",
                            true,
                            None,
                        ),
                        ind("self_harm", "Self-harm", false, Some("15A")),
                    ],
                ),
                cat(
                    "cse",
                    "Sexual exploitation",
                    Some("11A"),
                    vec![
                        ind(
                            "older_boyfriend",
                            "Older \"boyfriend\" or girlfriend",
                            true,
                            None,
                        ),
                        ind("hotels_taxis", "Hotels, taxis or vehicles", true, None),
                        ind(
                            "sti_pregnancy",
                            "Sexually transmitted infections or pregnancy",
                            true,
                            None,
                        ),
                        ind("sexualised_online", "Sexualised online contact", true, None),
                    ],
                ),
                cat(
                    "cce",
                    "Criminal exploitation and county lines",
                    Some("24A"),
                    vec![
                        ind("out_of_area", "Found out of area", true, None),
                        ind("several_phones", "Several phones", true, None),
                        ind("drugs_cash_weapons", "Drugs, cash or weapons", true, None),
                        ind("injuries", "Unexplained injuries", false, None),
                    ],
                ),
                cat(
                    "gangs",
                    "Gangs and serious youth violence",
                    Some("13A"),
                    vec![
                        ind("gang_links", "Gang links", true, None),
                        ind(
                            "violence",
                            "Involved in serious violence, as victim or perpetrator",
                            true,
                            None,
                        ),
                        ind("carries_weapon", "Carries a weapon", true, None),
                    ],
                ),
                cat(
                    "trafficking",
                    "Trafficking and modern slavery",
                    Some("12A"),
                    vec![
                        ind("movement", "Movement across areas or borders", true, None),
                        ind(
                            "uasc",
                            "Unaccompanied asylum-seeking child",
                            false,
                            Some("9A"),
                        ),
                        ind(
                            "controlled_debt",
                            "Controlled debt or documents",
                            true,
                            None,
                        ),
                    ],
                ),
                cat(
                    "online",
                    "Online harm",
                    None,
                    vec![
                        ind(
                            "unknown_contacts",
                            "Contact with unknown adults online",
                            false,
                            None,
                        ),
                        ind(
                            "images_shared",
                            "Sharing or being asked for images",
                            true,
                            None,
                        ),
                    ],
                ),
            ],
        }
    }
}

impl ScreeningConfig {
    /// The position of a level on the scale (0 is lowest); `None` for a
    /// level not (or no longer) on it.
    pub fn rank(&self, level: &str) -> Option<usize> {
        self.levels.iter().position(|l| l == level)
    }
    /// An indicator and its category, by id.
    pub fn indicator(&self, id: &str) -> Option<(&Category, &Indicator)> {
        self.categories
            .iter()
            .find_map(|c| c.indicators.iter().find(|i| i.id == id).map(|i| (c, i)))
    }
    /// Whether `level` is at or above `threshold` (false when either is not
    /// on the scale).
    pub fn at_or_above(&self, level: &str, threshold: &str) -> bool {
        matches!((self.rank(level), self.rank(threshold)), (Some(l), Some(t)) if l >= t)
    }
    /// Problems with the configuration, for start-up.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.levels.len() < 2 {
            out.push("[screening] levels needs at least two levels".to_string());
        }
        for (k, v) in [
            ("concern_level", &self.concern_level),
            ("escalation_level", &self.escalation_level),
        ] {
            if self.rank(v).is_none() {
                out.push(format!("[screening] {k} \"{v}\" is not one of the levels"));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for c in &self.categories {
            for i in &c.indicators {
                if !seen.insert(i.id.clone()) {
                    out.push(format!(
                        "[screening] indicator id \"{}\" is used twice",
                        i.id
                    ));
                }
            }
        }
        out
    }
}

/// Whether the practitioner's reason for ticking is evidence or a
/// professional worry not yet evidenced ("evidence vs gut feeling", as the
/// screening forms ask).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Seen, said or recorded.
    Evidence,
    /// A professional worry.
    GutFeeling,
}

impl Basis {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Evidence => "evidence",
            Self::GutFeeling => "gut_feeling",
        }
    }
    /// Parse a stored code.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "evidence" => Some(Self::Evidence),
            "gut_feeling" => Some(Self::GutFeeling),
            _ => None,
        }
    }
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Evidence => "Evidence",
            Self::GutFeeling => "Gut feeling",
        }
    }
}

/// One indicator ticked. The label, category and high-risk mark are kept as
/// they were when screened, so history survives a change of configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tick {
    /// Indicator id.
    pub indicator: String,
    /// Its category id.
    pub category: String,
    /// Its label then.
    pub label: String,
    /// High-risk then.
    pub high_risk: bool,
    /// The evidence, in the practitioner's words.
    pub evidence: String,
    /// Evidence or gut feeling.
    pub basis: Basis,
}

/// A screening.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Screening {
    /// Id.
    pub id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// The child's age in completed years when screened.
    pub age: u32,
    /// Indicators ticked.
    pub ticks: Vec<Tick>,
    /// The practitioner's risk level, on the configured scale.
    pub level: String,
    /// The level suggested by [`suggested_level`] when saved.
    pub suggested: String,
    /// The under-13 rule flagged potential exploitation.
    pub under_13: bool,
    /// Peers of concern (free text).
    pub peers: String,
    /// Analysis: why this level.
    pub summary: String,
    /// Who.
    pub recorded_by: UserId,
    /// Their name.
    pub recorded_by_name: String,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

/// **The under-13 rule** (domain reference §3, from local CSE/CCE
/// protocols): for a child aged 13 or under, any single high-risk indicator
/// counts as potential exploitation.
pub fn under_13_rule(age: u32, ticks: &[Tick]) -> bool {
    age <= 13 && ticks.iter().any(|t| t.high_risk)
}

/// A level to suggest from what was ticked (the practitioner decides; "surface,
/// don't score", §5): nothing ticked → the lowest level; only lower-risk
/// indicators → the second; one high-risk indicator → the second highest;
/// two or more, or the under-13 rule → the highest. On a scale of fewer
/// than four levels the steps share levels.
pub fn suggested_level(cfg: &ScreeningConfig, age: u32, ticks: &[Tick]) -> String {
    let n = cfg.levels.len();
    if n == 0 {
        return String::new();
    }
    let high = ticks.iter().filter(|t| t.high_risk).count();
    let step = if ticks.is_empty() {
        0
    } else if high >= 2 || under_13_rule(age, ticks) {
        3
    } else if high == 1 {
        2
    } else {
        1
    };
    let idx = match step {
        0 => 0,
        3 => n - 1,
        2 => n.saturating_sub(2).max(1.min(n - 1)),
        _ => 1.min(n - 1),
    };
    cfg.levels[idx].clone()
}

/// The CIN census assessment factors a screening points to (§3 table): each
/// ticked indicator's category factor (11A CSE, 24A CCE, 13A gangs, 12A
/// trafficking) and its own (10A missing, 2A drugs, 15A self-harm, 9A UASC),
/// sorted and without repeats. Factors are recorded on completed
/// assessments only, so these are suggestions for the assessment.
pub fn cin_factors(cfg: &ScreeningConfig, ticks: &[Tick]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in ticks {
        if let Some(c) = cfg.categories.iter().find(|c| c.id == t.category)
            && let Some(f) = &c.cin_factor
        {
            out.push(f.clone());
        }
        if let Some((_, i)) = cfg.indicator(&t.indicator)
            && let Some(f) = &i.cin_factor
        {
            out.push(f.clone());
        }
    }
    out.sort_by_key(|f| {
        let n: String = f.chars().take_while(|c| c.is_ascii_digit()).collect();
        (n.parse::<u32>().unwrap_or(u32::MAX), f.clone())
    });
    out.dedup();
    out
}

/// How risk moved between two screenings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Higher than before.
    Up,
    /// Lower than before.
    Down,
    /// The same level.
    Same,
}

impl Trend {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Up => "Risk increasing",
            Self::Down => "Risk decreasing",
            Self::Same => "No change",
        }
    }
}

/// The trend from the screening before to the latest, by position on the
/// scale (panels record each child's risk level and trend, §4). `None`
/// when there is no earlier screening or a level is no longer on the scale.
pub fn trend(cfg: &ScreeningConfig, before: &str, latest: &str) -> Option<Trend> {
    let (b, l) = (cfg.rank(before)?, cfg.rank(latest)?);
    Some(match l.cmp(&b) {
        std::cmp::Ordering::Greater => Trend::Up,
        std::cmp::Ordering::Less => Trend::Down,
        std::cmp::Ordering::Equal => Trend::Same,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tick(cfg: &ScreeningConfig, id: &str) -> Tick {
        let (c, i) = cfg.indicator(id).unwrap();
        Tick {
            indicator: id.into(),
            category: c.id.clone(),
            label: i.label.clone(),
            high_risk: i.high_risk,
            evidence: "seen".into(),
            basis: Basis::Evidence,
        }
    }

    #[test]
    fn defaults_are_valid_and_cover_the_reference_categories() {
        let cfg = ScreeningConfig::default();
        assert!(cfg.problems().is_empty(), "{:?}", cfg.problems());
        let ids: Vec<&str> = cfg.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            ["common", "cse", "cce", "gangs", "trafficking", "online"]
        );
    }

    /// §3: "for a child aged 13 or under, any single high-risk indicator
    /// counts as potential exploitation".
    #[test]
    fn under_13_rule_table() {
        let cfg = ScreeningConfig::default();
        #[rustfmt::skip]
        let cases: &[(u32, &[&str], bool)] = &[
            (12, &["older_boyfriend"], true),        // one high-risk indicator
            (13, &["several_phones"], true),         // 13 is included
            (14, &["several_phones"], false),        // over 13: the rule does not apply
            (12, &["injuries"], false),              // not a high-risk indicator
            (12, &[], false),                        // nothing ticked
            (10, &["injuries", "self_harm"], false), // only lower-risk ones
            (9, &["self_harm", "images_shared"], true),
        ];
        for (age, ids, want) in cases {
            let ticks: Vec<Tick> = ids.iter().map(|i| tick(&cfg, i)).collect();
            assert_eq!(under_13_rule(*age, &ticks), *want, "{age} {ids:?}");
        }
    }

    #[test]
    fn suggested_levels_table() {
        let cfg = ScreeningConfig::default();
        #[rustfmt::skip]
        let cases: &[(u32, &[&str], &str)] = &[
            (15, &[], "No current risk"),
            (15, &["injuries"], "At risk"),
            (15, &["several_phones"], "Medium"),
            (15, &["several_phones", "out_of_area"], "High"),
            (12, &["several_phones"], "High"), // the under-13 rule
        ];
        for (age, ids, want) in cases {
            let ticks: Vec<Tick> = ids.iter().map(|i| tick(&cfg, i)).collect();
            assert_eq!(suggested_level(&cfg, *age, &ticks), *want, "{ids:?}");
        }
        // Kent & Medway's three categories.
        let km = ScreeningConfig {
            levels: vec![
                "Category 1".into(),
                "Category 2".into(),
                "Category 3".into(),
            ],
            ..ScreeningConfig::default()
        };
        #[rustfmt::skip]
        let cases: &[(&[&str], &str)] = &[
            (&[], "Category 1"),
            (&["injuries"], "Category 2"),
            (&["several_phones"], "Category 2"),
            (&["several_phones", "gang_links"], "Category 3"),
        ];
        for (ids, want) in cases {
            let ticks: Vec<Tick> = ids.iter().map(|i| tick(&km, i)).collect();
            assert_eq!(suggested_level(&km, 15, &ticks), *want, "{ids:?}");
        }
    }

    /// The CIN census factor table in §3: 10A missing, 11A CSE, 12A
    /// trafficking, 13A gangs, 24A CCE (and 2A, 9A, 15A).
    #[test]
    fn cin_factor_table() {
        let cfg = ScreeningConfig::default();
        #[rustfmt::skip]
        let cases: &[(&[&str], &[&str])] = &[
            (&[], &[]),
            (&["repeat_missing"], &["10A"]),
            (&["older_boyfriend", "hotels_taxis"], &["11A"]),
            (&["movement"], &["12A"]),
            (&["gang_links"], &["13A"]),
            (&["several_phones"], &["24A"]),
            (&["uasc"], &["9A", "12A"]),
            (&["self_harm", "substance_misuse", "repeat_missing"], &["2A", "10A", "15A"]),
            (&["several_phones", "sexualised_online", "repeat_missing"], &["10A", "11A", "24A"]),
            (&["images_shared"], &[]),
        ];
        for (ids, want) in cases {
            let ticks: Vec<Tick> = ids.iter().map(|i| tick(&cfg, i)).collect();
            assert_eq!(cin_factors(&cfg, &ticks), *want, "{ids:?}");
        }
    }

    #[test]
    fn trend_table() {
        let cfg = ScreeningConfig::default();
        #[rustfmt::skip]
        let cases: &[(&str, &str, Option<Trend>)] = &[
            ("At risk", "High", Some(Trend::Up)),
            ("High", "Medium", Some(Trend::Down)),
            ("Medium", "Medium", Some(Trend::Same)),
            ("Category 2", "High", None),
        ];
        for (b, l, want) in cases {
            assert_eq!(trend(&cfg, b, l), *want, "{b} -> {l}");
        }
        assert!(cfg.at_or_above("High", "Medium"));
        assert!(!cfg.at_or_above("At risk", "Medium"));
        assert!(!cfg.at_or_above("Unknown", "Medium"));
    }

    #[test]
    fn configuration_problems_are_named() {
        let cfg = ScreeningConfig {
            levels: vec!["Low".into(), "High".into()],
            ..ScreeningConfig::default()
        };
        let p = cfg.problems();
        assert_eq!(p.len(), 1, "{p:?}"); // "Medium" is not on this scale
    }
}
