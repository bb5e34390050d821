//! Escalation: rules over missing episodes and the latest screening that
//! propose a referral to the multi-agency exploitation and missing panel.
//! A person accepts or declines each proposal with a reason; nothing is
//! referred automatically ("surface, don't score", domain reference §5).
//!
//! Sources: domain reference §2 (three or more episodes in 30 days prompting
//! a strategy meeting, Derbyshire), §3 (the under-13 rule and per-authority
//! risk scales) and §4 (MACE panels: referral from the screening result).

use crate::screening::ScreeningConfig;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use uuid::Uuid;

/// Why a referral is proposed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    /// The latest screening is at or above the escalation level.
    HighRisk {
        /// The level.
        level: String,
    },
    /// Several episodes within the window.
    RepeatMissing {
        /// Episodes counted.
        episodes: usize,
        /// Window in days.
        days: i64,
    },
    /// A young child with any indicator ticked on the latest screening.
    YoungChildIndicator {
        /// Age.
        age: u32,
    },
    /// The under-13 rule flagged the latest screening.
    Under13Rule,
}

impl Ground {
    /// Stable code (stored).
    pub fn code(&self) -> &'static str {
        match self {
            Self::HighRisk { .. } => "high_risk",
            Self::RepeatMissing { .. } => "repeat_missing",
            Self::YoungChildIndicator { .. } => "young_child_indicator",
            Self::Under13Rule => "under_13_rule",
        }
    }
    /// For people.
    pub fn describe(&self) -> String {
        match self {
            Self::HighRisk { level } => format!("latest screening risk level is {level}"),
            Self::RepeatMissing { episodes, days } => {
                format!("{episodes} missing episodes in {days} days")
            }
            Self::YoungChildIndicator { age } => {
                format!("aged {age} with exploitation indicators")
            }
            Self::Under13Rule => {
                "under-13 rule: a high-risk indicator for a child aged 13 or under".into()
            }
        }
    }
}

/// What the rules read about a child.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Age today.
    pub age: u32,
    /// The latest screening's level, if screened.
    pub latest_level: Option<String>,
    /// The latest screening's under-13 flag.
    pub under_13: bool,
    /// Indicators ticked on the latest screening.
    pub indicators: usize,
    /// When each missing or away episode began (last seen).
    pub episodes: Vec<DateTime<Utc>>,
}

/// The grounds on which to propose a panel referral now (empty: none).
/// Configurable in `[screening]`: `escalation_level`, `repeat_count` (0
/// turns it off) within `repeat_days`, `young_child_age`.
pub fn grounds(cfg: &ScreeningConfig, f: &Facts, now: DateTime<Utc>) -> Vec<Ground> {
    let mut out = Vec::new();
    if let Some(l) = &f.latest_level
        && cfg.at_or_above(l, &cfg.escalation_level)
    {
        out.push(Ground::HighRisk { level: l.clone() });
    }
    if cfg.repeat_count > 0 {
        let from = now - TimeDelta::days(cfg.repeat_days);
        let n = f
            .episodes
            .iter()
            .filter(|e| **e >= from && **e <= now)
            .count();
        if n >= cfg.repeat_count {
            out.push(Ground::RepeatMissing {
                episodes: n,
                days: cfg.repeat_days,
            });
        }
    }
    if f.under_13 {
        out.push(Ground::Under13Rule);
    } else if f.age <= cfg.young_child_age && f.indicators > 0 {
        out.push(Ground::YoungChildIndicator { age: f.age });
    }
    out
}

/// A proposal's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for a decision.
    Pending,
    /// Accepted: a referral is to be made.
    Accepted,
    /// Declined.
    Declined,
}

impl Status {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
        }
    }
    /// Parse.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "accepted" => Some(Self::Accepted),
            "declined" => Some(Self::Declined),
            _ => None,
        }
    }
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Waiting for a decision",
            Self::Accepted => "Accepted",
            Self::Declined => "Declined",
        }
    }
}

/// A proposed panel referral.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// Id.
    pub id: Uuid,
    /// The child.
    pub child_id: crate::ids::ChildId,
    /// Grounds, as codes (`high_risk;repeat_missing`).
    pub grounds: String,
    /// Grounds, for people.
    pub detail: String,
    /// What prompted the evaluation (`screening` or `missing`).
    pub source: String,
    /// When proposed.
    pub proposed_at: DateTime<Utc>,
    /// State.
    pub status: Status,
    /// Who decided.
    pub decided_by: Option<crate::ids::UserId>,
    /// Their name.
    pub decided_by_name: Option<String>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// Why.
    pub reason: Option<String>,
    /// When the panel module made the referral (accepted ones only).
    pub referred_at: Option<DateTime<Utc>>,
}

/// Whether to store a new proposal: there are grounds, none is pending, and
/// no decision on the same grounds was made in the last
/// `repropose_after_days` (so a declined proposal is not put straight back).
pub fn should_propose(
    cfg: &ScreeningConfig,
    grounds: &[Ground],
    existing: &[Proposal],
    now: DateTime<Utc>,
) -> bool {
    if grounds.is_empty() || existing.iter().any(|p| p.status == Status::Pending) {
        return false;
    }
    let codes = codes(grounds);
    let since = now - TimeDelta::days(cfg.repropose_after_days);
    !existing
        .iter()
        .any(|p| p.grounds == codes && p.decided_at.is_some_and(|d| d >= since))
}

/// The grounds as stored codes.
pub fn codes(grounds: &[Ground]) -> String {
    grounds
        .iter()
        .map(Ground::code)
        .collect::<Vec<_>>()
        .join(";")
}

/// The grounds for people.
pub fn detail(grounds: &[Ground]) -> String {
    grounds
        .iter()
        .map(Ground::describe)
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
    }
    fn days_ago(d: i64) -> DateTime<Utc> {
        now() - TimeDelta::days(d)
    }

    /// Domain reference §2 (3+ episodes in 30 days), §3 (under-13 rule; the
    /// authority's scale), issue §5 (high risk; under 13 with any indicator).
    #[test]
    fn grounds_table() {
        let cfg = ScreeningConfig::default();
        let f = |age, level: Option<&str>, under_13, indicators, eps: &[i64]| Facts {
            age,
            latest_level: level.map(Into::into),
            under_13,
            indicators,
            episodes: eps.iter().map(|d| days_ago(*d)).collect(),
        };
        #[rustfmt::skip]
        let cases: Vec<(Facts, &[&str])> = vec![
            (f(15, None, false, 0, &[]), &[]),
            (f(15, Some("Medium"), false, 2, &[]), &[]),
            (f(15, Some("High"), false, 2, &[]), &["high_risk"]),
            (f(15, None, false, 0, &[1, 10, 29]), &["repeat_missing"]),
            (f(15, None, false, 0, &[1, 10, 31]), &[]),
            (f(12, Some("At risk"), false, 1, &[]), &["young_child_indicator"]),
            (f(13, Some("At risk"), false, 1, &[]), &["young_child_indicator"]),
            (f(14, Some("At risk"), false, 1, &[]), &[]),
            (f(12, Some("High"), true, 1, &[2]), &["high_risk", "under_13_rule"]),
        ];
        for (facts, want) in cases {
            let got: Vec<&str> = grounds(&cfg, &facts, now())
                .iter()
                .map(Ground::code)
                .collect();
            assert_eq!(got, want, "{facts:?}");
        }
        let off = ScreeningConfig {
            repeat_count: 0,
            ..ScreeningConfig::default()
        };
        assert!(grounds(&off, &f(15, None, false, 0, &[1, 2, 3, 4]), now()).is_empty());
    }

    #[test]
    fn proposals_are_not_repeated() {
        let cfg = ScreeningConfig::default();
        let g = vec![Ground::Under13Rule];
        let p = |status, decided: Option<i64>, grounds: &str| Proposal {
            id: Uuid::nil(),
            child_id: Default::default(),
            grounds: grounds.into(),
            detail: String::new(),
            source: "screening".into(),
            proposed_at: days_ago(40),
            status,
            decided_by: None,
            decided_by_name: None,
            decided_at: decided.map(days_ago),
            reason: None,
            referred_at: None,
        };
        #[rustfmt::skip]
        let cases: Vec<(Vec<Proposal>, bool)> = vec![
            (vec![], true),
            (vec![p(Status::Pending, None, "high_risk")], false),
            (vec![p(Status::Declined, Some(3), "under_13_rule")], false),
            (vec![p(Status::Declined, Some(40), "under_13_rule")], true),
            (vec![p(Status::Declined, Some(3), "repeat_missing")], true),
            (vec![p(Status::Accepted, Some(3), "under_13_rule")], false),
        ];
        for (existing, want) in cases {
            assert_eq!(
                should_propose(&cfg, &g, &existing, now()),
                want,
                "{existing:?}"
            );
        }
        assert!(!should_propose(&cfg, &[], &[], now()));
    }
}
