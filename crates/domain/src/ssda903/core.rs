//! SSDA903 rules on the Header, Episodes and SWEpisodes tables: the code
//! list, date validity and simple consistency checks Harbour runs all year
//! on current data (the data-quality page). Each is a pure function that
//! flags the rows the DfE validator (`csc-validator-be-903` 0.1.17, ruleset
//! 2025-26) flags; `crates/domain/tests/ssda903_missing_fixtures.rs` runs
//! every one against its fixture in `shared/conformance/ssda903-rules-2025-26/`.
//!
//! Source: DfE, "Children looked after return 2025 to 2026: validation
//! rules"; domain-reference.md §10.1.

use chrono::NaiveDate;

use super::table::{EPISODES, HEADER, SW_EPISODES};
use super::{Flags, Return, RuleFn, RuleInfo, parse_date};

macro_rules! core_registry {
    ($( $code:literal => $f:ident, [$($field:literal),*],
        dfe: $dfe:literal, plain: $plain:literal; )*) => {
        static CORE_RULES: &[(&str, &str, RuleFn)] = &[ $( ($code, $plain, $f as RuleFn) ),* ];
        static CORE_INFO: &[RuleInfo] = &[ $( RuleInfo {
            code: $code,
            dfe_message: $dfe,
            plain_message: $plain,
            affected_fields: &[$($field),*],
        } ),* ];
    };
}

core_registry! {
    "101" => rule_101, ["SEX"],
        dfe: "The child or young person\u{2019}s reported sex is not valid.",
        plain: "The child's sex is not recorded as male, female or not known.";
    "102" => rule_102, ["DOB"],
        dfe: "Date of birth is not a valid date.",
        plain: "The child's date of birth is blank or not a real date.";
    "103" => rule_103, ["ETHNIC"],
        dfe: "The ethnicity code is either not valid or has not been entered.",
        plain: "The child's ethnicity is not recorded with one of the DfE's categories.";
    "393" => rule_393, ["MOTHER"],
        dfe: "Child is looked after but mother field is not completed.",
        plain: "Record whether she is a mother (the return asks it of every looked after girl and young woman).";
    "141" => rule_141, ["DECOM"],
        dfe: "Date episode began is not a valid date.",
        plain: "The date this episode of care began is not a real date.";
    "143" => rule_143, ["RNE"],
        dfe: "The reason for new episode code is not a valid code.",
        plain: "The reason this episode of care began is not one of the DfE's reasons.";
    "144" => rule_144, ["LS"],
        dfe: "The legal status code is not a valid code.",
        plain: "The legal status (for example care order or section 20) is not one of the DfE's codes.";
    "145" => rule_145, ["CIN"],
        dfe: "Category of need code is not a valid code.",
        plain: "The category of need (N1 to N8) is not recorded for this period of care.";
    "146" => rule_146, ["PLACE"],
        dfe: "Placement type code is not a valid code.",
        plain: "The placement type is not one of the DfE's 2025-26 placement types.";
    "147" => rule_147, ["DEC"],
        dfe: "Date episode ceased is not a valid date.",
        plain: "The date this episode of care ended is not a real date.";
    "148" => rule_148, ["DEC", "REC"],
        dfe: "Date episode ceased and reason episode ceased must both be coded, or both left blank.",
        plain: "The period of care has an end date but no reason it ended (or a reason but no end date).";
    "149" => rule_149, ["REC"],
        dfe: "Reason episode ceased code is not valid. ",
        plain: "The reason the period of care ended is not one of the DfE's reasons.";
    "1009" => rule_1009, ["REASON_PLACE_CHANGE"],
        dfe: "Reason for placement change is not a valid code.",
        plain: "The reason the placement changed is not one of the DfE's reasons.";
    "178" => rule_178, ["PLACE_PROVIDER"],
        dfe: "Placement provider code is not a valid code.",
        plain: "The placement provider is not a DfE provider code, or is given for a placement type that takes none (T0 to T3, Z11 to Z14).";
    "354" => rule_354, ["DECOM"],
        dfe: "Date episode ceased must be on or before the end of the current collection year.",
        plain: "This episode of care starts after the end of the collection year (31 March).";
    "356" => rule_356, ["DECOM"],
        dfe: "The date the episode ceased is before the date the same episode started.",
        plain: "This episode of care ends before it starts.";
    "SW02STG1" => rule_sw02stg1, ["SW_ID"],
        dfe: "Social worker ID does not begin with the characters \u{2018}SW\u{2019} or \u{2018}XX\u{2019}.",
        plain: "The social worker's Social Work England number is missing or not in the form SW followed by digits.";
    "SW13STG1" => rule_sw13stg1, ["SW_REASON"],
        dfe: "The reason for social worker change is not valid.",
        plain: "The reason the child's social worker changed is blank or not one of the DfE's reasons.";
    "SW18STG2" => rule_sw18stg2, ["SW_DEC", "SW_DECOM"],
        dfe: "The end date of the social worker episode is before the start date",
        plain: "This allocation to a social worker ends on or before the day it started.";
    "SW19STG2" => rule_sw19stg2, ["SW_DEC", "SW_DECOM"],
        dfe: "There are 2 social worker episodes for the child starting on the same date.",
        plain: "Two allocations to social workers start on the same day; one of them should be removed or corrected.";
}

/// Every Header, Episodes and SWEpisodes rule: (code, plain words, check).
pub fn core_rules() -> &'static [(&'static str, &'static str, RuleFn)] {
    CORE_RULES
}

/// Every rule Harbour implements (Missing rules, then the core rules).
pub fn all_rules() -> Vec<(&'static str, &'static str, RuleFn)> {
    super::missing_rules()
        .iter()
        .chain(CORE_RULES.iter())
        .copied()
        .collect()
}

/// Details of any implemented rule by DfE code.
pub fn any_rule_info(code: &str) -> Option<&'static RuleInfo> {
    super::rule_info(code).or_else(|| CORE_INFO.iter().find(|i| i.code == code))
}

fn flag<T>(name: &'static str, rows: Option<&Vec<T>>, bad: impl Fn(&T) -> bool) -> Flags {
    let mut f = Flags::new();
    if let Some(rows) = rows {
        f.insert(
            name,
            rows.iter()
                .enumerate()
                .filter(|(_, r)| bad(r))
                .map(|(i, _)| i)
                .collect(),
        );
    }
    f
}

fn in_list(v: &Option<String>, list: &[&str]) -> bool {
    v.as_deref().is_some_and(|x| list.contains(&x))
}

fn bad_code_or_blank_ok(v: &Option<String>, list: &[&str]) -> bool {
    v.is_some() && !in_list(v, list)
}

fn d(v: &Option<String>) -> Option<NaiveDate> {
    v.as_deref().and_then(parse_date)
}

/// 2024-25 onwards: M, F or U; blank is invalid.
pub fn rule_101(r: &Return) -> Flags {
    flag(HEADER, r.header.as_ref(), |h| {
        !in_list(&h.sex, &["M", "F", "U"])
    })
}

/// DOB blank or not DD/MM/YYYY.
pub fn rule_102(r: &Return) -> Flags {
    flag(HEADER, r.header.as_ref(), |h| d(&h.dob).is_none())
}

/// ETHNIC blank or not a DfE code.
pub fn rule_103(r: &Return) -> Flags {
    let codes: Vec<&str> = crate::codes::ETHNICITY.iter().map(|(c, _)| *c).collect();
    flag(HEADER, r.header.as_ref(), |h| !in_list(&h.ethnic, &codes))
}

/// A girl looked after (other than under V3/V4 short breaks) with MOTHER
/// blank (2024-25 onwards: SEX is `F`).
pub fn rule_393(r: &Return) -> Flags {
    let (Some(_), Some(eps)) = (&r.header, &r.episodes) else {
        return Flags::new();
    };
    flag(HEADER, r.header.as_ref(), |h| {
        h.sex.as_deref() == Some("F")
            && h.mother.is_none()
            && eps.iter().any(|e| {
                e.child == h.child
                    && !e
                        .ls
                        .as_deref()
                        .is_some_and(|l| matches!(l.to_uppercase().as_str(), "V3" | "V4"))
            })
    })
}

/// DECOM given but not a date (blank is left to other rules).
pub fn rule_141(r: &Return) -> Flags {
    flag(EPISODES, r.episodes.as_ref(), |e| {
        e.decom.is_some() && d(&e.decom).is_none()
    })
}

/// RNE not S, P, L, T, U or B (blank is left to other rules).
pub fn rule_143(r: &Return) -> Flags {
    flag(EPISODES, r.episodes.as_ref(), |e| {
        bad_code_or_blank_ok(&e.rne, &["S", "P", "L", "T", "U", "B"])
    })
}

/// LS not a 2025-26 legal status code.
pub fn rule_144(r: &Return) -> Flags {
    let codes: Vec<&str> = super::episodes::LS.iter().map(|(c, _)| *c).collect();
    flag(EPISODES, r.episodes.as_ref(), |e| {
        bad_code_or_blank_ok(&e.ls, &codes)
    })
}

/// CIN not N1-N8.
pub fn rule_145(r: &Return) -> Flags {
    let codes: Vec<&str> = super::episodes::CIN.iter().map(|(c, _)| *c).collect();
    flag(EPISODES, r.episodes.as_ref(), |e| {
        bad_code_or_blank_ok(&e.cin, &codes)
    })
}

/// PLACE codes valid in 2025-26 (H5, P2 and Z1 were withdrawn; K3 and
/// Z11-Z14 added).
pub const PLACE_2025: &[&str] = &[
    "A3", "A4", "A5", "A6", "K1", "K2", "K3", "P1", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1",
    "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z11", "Z12", "Z13", "Z14",
];

/// PLACE not a 2025-26 placement type.
pub fn rule_146(r: &Return) -> Flags {
    flag(EPISODES, r.episodes.as_ref(), |e| {
        bad_code_or_blank_ok(&e.place, PLACE_2025)
    })
}

/// DEC given but not a date.
pub fn rule_147(r: &Return) -> Flags {
    flag(EPISODES, r.episodes.as_ref(), |e| {
        e.dec.is_some() && d(&e.dec).is_none()
    })
}

/// DEC and REC both present or both blank.
pub fn rule_148(r: &Return) -> Flags {
    flag(EPISODES, r.episodes.as_ref(), |e| {
        e.dec.is_some() != e.rec.is_some()
    })
}

/// REC not a DfE reason (X1 included).
pub fn rule_149(r: &Return) -> Flags {
    let mut codes: Vec<&str> = super::episodes::REC.iter().map(|(c, _)| *c).collect();
    codes.push("X1");
    flag(EPISODES, r.episodes.as_ref(), |e| {
        bad_code_or_blank_ok(&e.rec, &codes)
    })
}

/// REASON_PLACE_CHANGE not a DfE reason.
pub fn rule_1009(r: &Return) -> Flags {
    let codes: Vec<&str> = super::episodes::REASON_PLACE_CHANGE
        .iter()
        .map(|(c, _)| *c)
        .collect();
    flag(EPISODES, r.episodes.as_ref(), |e| {
        bad_code_or_blank_ok(&e.reason_place_change, &codes)
    })
}

/// Placement types that take no provider code (2025-26).
pub const NO_PROVIDER_PLACES: &[&str] = &["T0", "T1", "T2", "T3", "Z11", "Z12", "Z13", "Z14"];

/// PLACE_PROVIDER given but not PR0-PR5, or given for a placement type
/// that takes none ([`NO_PROVIDER_PLACES`]).
pub fn rule_178(r: &Return) -> Flags {
    let providers = ["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"];
    let none_needed = NO_PROVIDER_PLACES;
    flag(EPISODES, r.episodes.as_ref(), |e| {
        e.place_provider.is_some()
            && (!in_list(&e.place_provider, &providers) || in_list(&e.place, none_needed))
    })
}

/// DECOM after the end of the collection year.
pub fn rule_354(r: &Return) -> Flags {
    let end = r.metadata.collection_end;
    flag(
        EPISODES,
        r.episodes.as_ref(),
        |e| matches!((d(&e.decom), end), (Some(x), Some(end)) if x > end),
    )
}

/// DEC before DECOM.
pub fn rule_356(r: &Return) -> Flags {
    flag(
        EPISODES,
        r.episodes.as_ref(),
        |e| matches!((d(&e.decom), d(&e.dec)), (Some(a), Some(b)) if b < a),
    )
}

/// SW_ID must start SW or XX and be at least four characters (2025-26).
pub fn rule_sw02stg1(r: &Return) -> Flags {
    flag(SW_EPISODES, r.sw_episodes.as_ref(), |s| match &s.sw_id {
        None => true,
        Some(id) => !(id.starts_with("SW") || id.starts_with("XX")) || id.chars().count() < 4,
    })
}

/// SW_REASON present and not a DfE reason, or blank for an episode
/// starting on or after 1 April 2023.
pub fn rule_sw13stg1(r: &Return) -> Flags {
    let codes: Vec<&str> = crate::codes::SW_REASON.iter().map(|(c, _)| *c).collect();
    let from = NaiveDate::from_ymd_opt(2023, 4, 1).expect("valid date");
    flag(SW_EPISODES, r.sw_episodes.as_ref(), |s| {
        match &s.sw_reason {
            Some(_) => !in_list(&s.sw_reason, &codes),
            None => d(&s.sw_decom).is_some_and(|x| x >= from),
        }
    })
}

/// Where both are given, SW_DEC must be after SW_DECOM.
pub fn rule_sw18stg2(r: &Return) -> Flags {
    flag(
        SW_EPISODES,
        r.sw_episodes.as_ref(),
        |s| matches!((d(&s.sw_decom), d(&s.sw_dec)), (Some(a), Some(b)) if b <= a),
    )
}

/// A second SW episode for the same child with the same SW_DECOM (the
/// first of each pair is not flagged).
pub fn rule_sw19stg2(r: &Return) -> Flags {
    let mut f = Flags::new();
    if let Some(rows) = &r.sw_episodes {
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for (i, s) in rows.iter().enumerate() {
            if !seen.insert((s.child.clone(), s.sw_decom.clone())) {
                out.push(i);
            }
        }
        f.insert(SW_EPISODES, out);
    }
    f
}
