//! From what practitioners record to the SSDA903 tables: episodes of care
//! derived from the timelines of legal status and placement, and the
//! Header, Episodes, Missing and SWEpisodes rows of one child for one
//! collection year.
//!
//! Source: DfE, "Children looked after return 2025 to 2026: guide" (SSDA903),
//! sections on episodes, reason for new episode and reason episode ceased;
//! domain-reference.md §10.1. A new episode starts whenever the legal status
//! or the placement changes (or both); consecutive episodes touch (one ends
//! on the day the next starts) and all but the last of a period of care end
//! with REC `X1`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Episode, Header, MissingRow, SwEpisode};

/// SSDA903 LS codes (legal status), 2025-26.
pub const LS: &[(&str, &str)] = &[
    ("C1", "Interim care order"),
    ("C2", "Full care order"),
    ("D1", "Freeing order granted"),
    ("E1", "Placement order granted"),
    ("V2", "Accommodated under section 20 (single period)"),
    ("V3", "Accommodated under section 20: single short break"),
    (
        "V4",
        "Accommodated under section 20: series of short breaks",
    ),
    (
        "J1",
        "Remanded to local authority accommodation or youth detention",
    ),
    ("J2", "Placed in local authority accommodation under PACE"),
    (
        "J3",
        "Sentenced to a youth rehabilitation order with residence requirement",
    ),
    (
        "L1",
        "Under police protection and in local authority accommodation",
    ),
    ("L2", "Emergency protection order"),
    (
        "L3",
        "Child assessment order and in local authority accommodation",
    ),
];

/// SSDA903 CIN codes (category of need).
pub const CIN: &[(&str, &str)] = &[
    ("N1", "Abuse or neglect"),
    ("N2", "Child's disability"),
    ("N3", "Parental illness or disability"),
    ("N4", "Family in acute stress"),
    ("N5", "Family dysfunction"),
    ("N6", "Socially unacceptable behaviour"),
    ("N7", "Low income"),
    ("N8", "Absent parenting"),
];

/// SSDA903 RNE codes (reason for new episode).
pub const RNE: &[(&str, &str)] = &[
    ("S", "Started to be looked after"),
    ("L", "Change of legal status only"),
    ("P", "Change of placement and carer(s) only"),
    ("T", "Change of placement only, same carer(s)"),
    ("U", "Change of legal status and placement and carer(s)"),
    ("B", "Change of legal status and placement, same carer(s)"),
];

/// SSDA903 REC codes for a period of care that ended (`X1`, "episode ceases
/// and new one begins", is derived, never chosen).
pub const REC: &[(&str, &str)] = &[
    ("E11", "Adopted: application unopposed"),
    ("E12", "Adopted: consent dispensed with by the court"),
    ("E2", "Died"),
    ("E3", "Care taken over by another local authority in the UK"),
    (
        "E4A",
        "Returned home to parents, as part of the care planning process",
    ),
    (
        "E4B",
        "Returned home to parents, not as part of the care planning process",
    ),
    (
        "E13",
        "Left care to live with parents, relatives or others, no parental responsibility",
    ),
    ("E41", "Residence or child arrangements order granted"),
    (
        "E45",
        "Special guardianship order made to former foster carers",
    ),
    (
        "E46",
        "Special guardianship order made to carers other than former foster carers",
    ),
    (
        "E47",
        "Special guardianship order made to relatives or friends (former foster carers)",
    ),
    (
        "E48",
        "Special guardianship order made to relatives or friends (not former foster carers)",
    ),
    (
        "E5",
        "Moved into independent living arrangement with formalised support",
    ),
    (
        "E6",
        "Moved into independent living arrangement without formalised support",
    ),
    (
        "E7",
        "Transferred to residential care funded by adult social care",
    ),
    (
        "E8",
        "Period of being looked after ceased for any other reason",
    ),
    ("E9", "Sentenced to custody"),
    ("E14", "Accommodation on remand ended"),
    ("E15", "Age assessment determined child aged 18 or over"),
    ("E16", "Child moved abroad"),
    (
        "E17",
        "Aged 18 (or over) and remained with current carers (staying put)",
    ),
];

/// SSDA903 REASON_PLACE_CHANGE codes.
pub const REASON_PLACE_CHANGE: &[(&str, &str)] = &[
    ("CARPL", "Change to the care plan to implement it"),
    (
        "CLOSE",
        "Provider closed or ceased to provide the placement",
    ),
    ("ALLEG", "Allegation (s.47) against the carer"),
    ("STAND", "Standards of care concern"),
    ("APPRR", "Provider's approval or registration changed"),
    ("CREQB", "Carer requested the end: child's behaviour"),
    ("CREQO", "Carer requested the end: other reason"),
    ("CHILD", "Child requested the move"),
    ("LAREQ", "Responsible authority requested: other reason"),
    (
        "PLACE",
        "Change of placement type or plan to move to a better placement",
    ),
    ("CUSTOD", "Child went into custody"),
    ("OTHER", "Other"),
];

/// The label of `code` in a code list.
pub fn label(list: &[(&'static str, &'static str)], code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// Placement types that are temporary (no provider, no reason for change).
pub const TEMPORARY_PLACES: &[&str] = &["T0", "T1", "T2", "T3", "T4"];

/// Placement types that take no Ofsted URN (rule 222).
pub const NO_URN_PLACES: &[&str] = &[
    "H5", "P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1",
];

/// One looked-after legal status row: a stretch under one LS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareStatus {
    /// The legal status row (for links back to the record).
    pub id: uuid::Uuid,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub ls: Option<String>,
    pub cin: Option<String>,
    pub rec: Option<String>,
    pub home_post: Option<String>,
    /// For imported history: the RNE of the first episode Harbour holds of
    /// a period of care that began before its records (otherwise `S`).
    #[serde(default)]
    pub first_rne: Option<String>,
}

/// One placement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementFact {
    /// The placement row.
    pub id: uuid::Uuid,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub place: String,
    pub provider: String,
    pub carer: String,
    pub postcode: String,
    pub urn: Option<String>,
    pub reason_change: Option<String>,
}

/// One missing or away episode, by London dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingFact {
    pub id: uuid::Uuid,
    /// `M` or `A`.
    pub kind: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// One allocation to a social worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerFact {
    pub id: uuid::Uuid,
    /// Social Work England number, if the worker has one.
    pub swe_number: Option<String>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub reason: String,
}

/// What Harbour holds about one child that the return needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildFacts903 {
    pub child_id: uuid::Uuid,
    /// The authority's child identifier (CHILD).
    pub child: String,
    /// `M`, `F` or `U`.
    pub sex: String,
    pub dob: NaiveDate,
    pub ethnic: String,
    pub upn: Option<String>,
    /// Whether she is a mother (None: not recorded).
    pub mother: Option<bool>,
    /// Her first child's date of birth.
    pub mc_dob: Option<NaiveDate>,
    /// Looked-after legal status rows, any order.
    pub statuses: Vec<CareStatus>,
    pub placements: Vec<PlacementFact>,
    pub missing: Vec<MissingFact>,
    pub workers: Vec<WorkerFact>,
}

/// A derived episode, with the records it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerivedEpisode {
    pub decom: NaiveDate,
    pub dec: Option<NaiveDate>,
    pub rne: &'static str,
    pub ls: Option<String>,
    pub cin: Option<String>,
    pub place: Option<String>,
    pub provider: Option<String>,
    pub rec: Option<String>,
    pub reason_place_change: Option<String>,
    pub home_post: Option<String>,
    pub pl_post: Option<String>,
    pub urn: Option<String>,
    /// Legal status row in force.
    pub status_id: uuid::Uuid,
    /// Placement in force, if any was recorded.
    pub placement_id: Option<uuid::Uuid>,
}

/// Episodes of care from the legal status and placement timelines, oldest
/// first. Consecutive looked-after status rows that touch form one period of
/// care; within it a new episode starts on every date where the LS or the
/// placement changes. RNE: `S` for the first of a period; `L` legal status
/// only; `P`/`T` placement only (T when the carer is the same); `U`/`B`
/// both (B when the carer is the same). REC is `X1` when another episode
/// of the same period follows, otherwise the period's recorded reason (blank
/// while open). REASON_PLACE_CHANGE is carried on the episode that ended
/// because the placement changed, from the placement that ended.
/// CIN and HOME_POST are those recorded at the start of the period (rule
/// 504: the category of need does not change within a period).
pub fn derive_episodes(
    statuses: &[CareStatus],
    placements: &[PlacementFact],
) -> Vec<DerivedEpisode> {
    let mut st: Vec<&CareStatus> = statuses.iter().collect();
    st.sort_by_key(|s| s.start);
    let mut periods: Vec<Vec<&CareStatus>> = Vec::new();
    for s in st {
        match periods.last_mut() {
            Some(p) if p.last().and_then(|l| l.end) == Some(s.start) => p.push(s),
            _ => periods.push(vec![s]),
        }
    }
    let covering_pl = |d: NaiveDate| {
        placements
            .iter()
            .filter(|p| p.start <= d && p.end.is_none_or(|e| e > d))
            .max_by_key(|p| p.start)
    };
    let mut out = Vec::new();
    for period in periods {
        let first = period[0];
        let pend = period.last().and_then(|s| s.end);
        let mut dates: Vec<NaiveDate> = period.iter().map(|s| s.start).collect();
        dates.extend(
            placements
                .iter()
                .map(|p| p.start)
                .filter(|d| *d > first.start && pend.is_none_or(|e| *d < e)),
        );
        dates.sort();
        dates.dedup();
        let status_at = |d: NaiveDate| {
            period
                .iter()
                .rev()
                .find(|s| s.start <= d)
                .copied()
                .unwrap_or(first)
        };
        let mut segs: Vec<(NaiveDate, &CareStatus, Option<&PlacementFact>)> = Vec::new();
        for d in dates {
            let s = status_at(d);
            let p = covering_pl(d);
            if let Some((_, ps, pp)) = segs.last() {
                let same_ls = ps.ls == s.ls;
                let same_pl = pp.map(|x| x.id) == p.map(|x| x.id);
                if same_ls && same_pl {
                    continue;
                }
            }
            segs.push((d, s, p));
        }
        let n = segs.len();
        for i in 0..n {
            let (d, s, p) = segs[i];
            let next = segs.get(i + 1);
            let rne = if i == 0 {
                first
                    .first_rne
                    .as_deref()
                    .and_then(|r| RNE.iter().find(|(c, _)| *c == r))
                    .map(|(c, _)| *c)
                    .unwrap_or("S")
            } else {
                let (_, ps, pp) = segs[i - 1];
                let ls_changed = ps.ls != s.ls;
                let pl_changed = pp.map(|x| x.id) != p.map(|x| x.id);
                let same_carer = matches!((pp, p), (Some(a), Some(b)) if a.carer == b.carer);
                match (ls_changed, pl_changed, same_carer) {
                    (true, false, _) => "L",
                    (false, true, true) => "T",
                    (false, true, false) => "P",
                    (true, true, true) => "B",
                    (true, true, false) => "U",
                    (false, false, _) => "L",
                }
            };
            let dec = next.map(|(nd, _, _)| *nd).or(pend);
            let rec = if next.is_some() {
                Some("X1".to_string())
            } else {
                period.last().and_then(|l| l.rec.clone())
            };
            let placement_changes_next =
                next.is_some_and(|(_, _, np)| np.map(|x| x.id) != p.map(|x| x.id));
            let reason_place_change = if placement_changes_next {
                p.and_then(|x| x.reason_change.clone())
            } else {
                None
            };
            let no_provider =
                p.is_some_and(|x| super::NO_PROVIDER_PLACES.contains(&x.place.as_str()));
            out.push(DerivedEpisode {
                decom: d,
                dec,
                rne,
                ls: s.ls.clone(),
                cin: first.cin.clone(),
                place: p.map(|x| x.place.clone()),
                provider: p.filter(|_| !no_provider).map(|x| x.provider.clone()),
                rec,
                reason_place_change,
                home_post: first.home_post.clone(),
                pl_post: p.map(|x| x.postcode.clone()).filter(|x| !x.is_empty()),
                urn: p.and_then(|x| x.urn.clone()),
                status_id: s.id,
                placement_id: p.map(|x| x.id),
            });
        }
    }
    out
}

/// Collection year bounds: 1 April `end_year - 1` to 31 March `end_year`.
pub fn year_bounds(end_year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(end_year - 1, 4, 1).expect("valid date"),
        NaiveDate::from_ymd_opt(end_year, 3, 31).expect("valid date"),
    )
}

/// The collection year (by its end year) that contains `day`.
pub fn collection_year_of(day: NaiveDate) -> i32 {
    use chrono::Datelike;
    if day.month() >= 4 {
        day.year() + 1
    } else {
        day.year()
    }
}

/// `DD/MM/YYYY`, as the return wants dates.
pub fn fmt_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// One child's rows for the collection year ending 31 March `end_year`, or
/// `None` when the child was not looked after during that year. Episodes
/// are those open on or after 1 April and starting on or before 31 March;
/// an episode still open at 31 March of a past year is returned open (the
/// return records the position at year end, so a DEC after the year is left
/// blank together with its REC). Missing rows are the episodes in the year;
/// SWEpisodes are every allocation in the year (SW12STG2: a child looked
/// after on 31 March needs the full year's social workers).
pub struct ChildRows {
    pub header: Header,
    pub episodes: Vec<(Episode, DerivedEpisode)>,
    pub missing: Vec<(MissingRow, uuid::Uuid)>,
    pub sw: Vec<(SwEpisode, uuid::Uuid)>,
}

/// See [`ChildRows`].
pub fn child_rows(c: &ChildFacts903, end_year: i32) -> Option<ChildRows> {
    let (start, end) = year_bounds(end_year);
    let in_year =
        |from: NaiveDate, to: Option<NaiveDate>| from <= end && to.is_none_or(|t| t >= start);
    let derived: Vec<DerivedEpisode> = derive_episodes(&c.statuses, &c.placements)
        .into_iter()
        .filter(|e| in_year(e.decom, e.dec))
        .collect();
    if derived.is_empty() {
        return None;
    }
    let child = Some(c.child.clone());
    let dob = Some(fmt_date(c.dob));
    let header = Header {
        child: child.clone(),
        sex: Some(c.sex.clone()),
        dob: dob.clone(),
        ethnic: Some(c.ethnic.clone()),
        upn: Some(c.upn.clone().unwrap_or_else(|| unknown_upn(c.dob, end))),
        // MOTHER is asked of girls only (rule 174: a boy has no MC_DOB).
        mother: (c.sex == "F")
            .then(|| c.mother.map(|m| if m { "1" } else { "0" }.to_string()))
            .flatten(),
        mc_dob: (c.sex == "F" && c.mother == Some(true))
            .then(|| c.mc_dob.map(fmt_date))
            .flatten(),
    };
    let episodes: Vec<(Episode, DerivedEpisode)> = derived
        .into_iter()
        .map(|d| {
            let after = d.dec.is_some_and(|x| x > end);
            let e = Episode {
                child: child.clone(),
                decom: Some(fmt_date(d.decom)),
                rne: Some(d.rne.to_string()),
                ls: d.ls.clone(),
                cin: d.cin.clone(),
                place: d.place.clone(),
                place_provider: d.provider.clone(),
                dec: if after { None } else { d.dec.map(fmt_date) },
                rec: if after { None } else { d.rec.clone() },
                reason_place_change: if after {
                    None
                } else {
                    d.reason_place_change.clone()
                },
                home_post: d.home_post.clone(),
                pl_post: d.pl_post.clone(),
                urn: d.urn.clone(),
            };
            (e, d)
        })
        .collect();
    // Only episodes that began while looked after go into the return
    // (domain-reference §4: "only CLA episodes go into SSDA903").
    let in_care = |d: NaiveDate| {
        c.statuses
            .iter()
            .any(|s| s.start <= d && s.end.is_none_or(|e| d <= e))
    };
    let mut missing: Vec<&MissingFact> = c
        .missing
        .iter()
        .filter(|m| in_year(m.start, m.end) && m.start <= end && in_care(m.start))
        .collect();
    missing.sort_by_key(|m| m.start);
    let missing = missing
        .into_iter()
        .map(|m| {
            (
                MissingRow {
                    child: child.clone(),
                    dob: dob.clone(),
                    missing: Some(m.kind.clone()),
                    mis_start: Some(fmt_date(m.start)),
                    mis_end: m.end.filter(|e| *e <= end).map(fmt_date),
                },
                m.id,
            )
        })
        .collect();
    // A child looked after on 31 March needs every social worker episode of
    // the year, looked after or not (SW12STG2); any other child only those
    // while looked after.
    let looked_after_at_end = episodes
        .iter()
        .any(|(e, _): &(Episode, DerivedEpisode)| e.dec.is_none());
    let overlaps_care = |w: &WorkerFact| {
        c.statuses.iter().any(|s| {
            s.start <= w.end.unwrap_or(NaiveDate::MAX) && s.end.is_none_or(|e| w.start <= e)
        })
    };
    let mut workers: Vec<&WorkerFact> = c
        .workers
        .iter()
        .filter(|w| in_year(w.start, w.end) && (looked_after_at_end || overlaps_care(w)))
        .collect();
    workers.sort_by_key(|w| w.start);
    let sw = workers
        .into_iter()
        .map(|w| {
            (
                SwEpisode {
                    child: child.clone(),
                    dob: dob.clone(),
                    sw_id: Some(w.swe_number.clone().unwrap_or_else(|| "XX".into())),
                    sw_decom: Some(fmt_date(w.start)),
                    sw_dec: w.end.filter(|e| *e <= end).map(fmt_date),
                    sw_reason: Some(w.reason.clone()),
                },
                w.id,
            )
        })
        .collect();
    Some(ChildRows {
        header,
        episodes,
        missing,
        sw,
    })
}

/// The DfE's "UPN unknown" code when no UPN is recorded. `UN1` is "child
/// under school age, not yet attending school"; rule 209 forbids it for a
/// child who was 4 by 31 August of the year before the collection starts.
/// Harbour does not record why a UPN is missing, so every older child gets
/// `UN5` ("sources collating UPNs reflect either no UPN or multiple UPNs"),
/// the honest catch-all; UN2-UN4 need facts Harbour does not hold.
pub fn unknown_upn(dob: NaiveDate, year_end: NaiveDate) -> String {
    use chrono::Datelike;
    let reference = NaiveDate::from_ymd_opt(year_end.year() - 2, 8, 31).expect("valid date");
    if crate::rules::age_on(dob, reference) >= 4 {
        "UN5".into()
    } else {
        "UN1".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn id(n: u128) -> uuid::Uuid {
        uuid::Uuid::from_u128(n)
    }
    fn st(n: u128, a: &str, b: Option<&str>, ls: &str, rec: Option<&str>) -> CareStatus {
        CareStatus {
            id: id(n),
            start: d(a),
            end: b.map(d),
            ls: Some(ls.into()),
            cin: Some("N1".into()),
            rec: rec.map(Into::into),
            home_post: Some("ST4 1AA".into()),
            first_rne: None,
        }
    }
    fn pl(n: u128, a: &str, b: Option<&str>, carer: &str, why: Option<&str>) -> PlacementFact {
        PlacementFact {
            id: id(n),
            start: d(a),
            end: b.map(d),
            place: "U4".into(),
            provider: "PR1".into(),
            carer: carer.into(),
            postcode: "ST4 1AB".into(),
            urn: None,
            reason_change: why.map(Into::into),
        }
    }

    #[test]
    fn episodes_follow_every_change() {
        // (case, statuses, placements, expected (decom, dec, rne, rec, rpc))
        type Want = (
            &'static str,
            Option<&'static str>,
            &'static str,
            Option<&'static str>,
            Option<&'static str>,
        );
        type Case = (&'static str, Vec<CareStatus>, Vec<PlacementFact>, Vec<Want>);
        let cases: Vec<Case> = vec![
            (
                "one placement, one status, open",
                vec![st(1, "2024-01-10", None, "V2", None)],
                vec![pl(10, "2024-01-10", None, "A", None)],
                vec![("2024-01-10", None, "S", None, None)],
            ),
            (
                "placement change with a new carer, then legal status change",
                vec![
                    st(1, "2024-01-10", Some("2024-06-01"), "V2", None),
                    st(2, "2024-06-01", Some("2025-02-01"), "C2", Some("E4A")),
                ],
                vec![
                    pl(10, "2024-01-10", Some("2024-03-05"), "A", Some("CARPL")),
                    pl(11, "2024-03-05", Some("2025-02-01"), "B", None),
                ],
                vec![
                    (
                        "2024-01-10",
                        Some("2024-03-05"),
                        "S",
                        Some("X1"),
                        Some("CARPL"),
                    ),
                    ("2024-03-05", Some("2024-06-01"), "P", Some("X1"), None),
                    ("2024-06-01", Some("2025-02-01"), "L", Some("E4A"), None),
                ],
            ),
            (
                "both change on one day, same carer: B; different carer: U",
                vec![
                    st(1, "2024-01-10", Some("2024-02-01"), "V2", None),
                    st(2, "2024-02-01", Some("2024-03-01"), "C1", None),
                    st(3, "2024-03-01", None, "C2", None),
                ],
                vec![
                    pl(10, "2024-01-10", Some("2024-02-01"), "A", Some("PLACE")),
                    pl(11, "2024-02-01", Some("2024-03-01"), "A", Some("CHILD")),
                    pl(12, "2024-03-01", None, "C", None),
                ],
                vec![
                    (
                        "2024-01-10",
                        Some("2024-02-01"),
                        "S",
                        Some("X1"),
                        Some("PLACE"),
                    ),
                    (
                        "2024-02-01",
                        Some("2024-03-01"),
                        "B",
                        Some("X1"),
                        Some("CHILD"),
                    ),
                    ("2024-03-01", None, "U", None, None),
                ],
            ),
            (
                "two periods of care; a status row repeating the LS is no change",
                vec![
                    st(1, "2023-01-10", Some("2023-02-01"), "V2", None),
                    st(2, "2023-02-01", Some("2023-05-01"), "V2", Some("E13")),
                    st(3, "2024-01-01", None, "C1", None),
                ],
                vec![
                    pl(10, "2023-01-10", Some("2023-05-01"), "A", None),
                    pl(11, "2024-01-01", None, "A", None),
                ],
                vec![
                    ("2023-01-10", Some("2023-05-01"), "S", Some("E13"), None),
                    ("2024-01-01", None, "S", None, None),
                ],
            ),
        ];
        for (name, s, p, want) in cases {
            let got: Vec<Want> = derive_episodes(&s, &p)
                .into_iter()
                .map(|e| {
                    let f = |x: NaiveDate| -> &'static str {
                        Box::leak(x.format("%Y-%m-%d").to_string().into_boxed_str())
                    };
                    let o = |x: Option<String>| -> Option<&'static str> {
                        x.map(|v| &*Box::leak(v.into_boxed_str()))
                    };
                    (
                        f(e.decom),
                        e.dec.map(f),
                        e.rne,
                        o(e.rec),
                        o(e.reason_place_change),
                    )
                })
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn year_end_position_and_unknown_upn() {
        let c = ChildFacts903 {
            child_id: id(1),
            child: "C1".into(),
            sex: "F".into(),
            dob: d("2012-05-01"),
            ethnic: "WBRI".into(),
            upn: None,
            mother: Some(false),
            mc_dob: None,
            statuses: vec![st(1, "2025-01-10", Some("2026-05-01"), "V2", Some("E4A"))],
            placements: vec![pl(10, "2025-01-10", Some("2026-05-01"), "A", None)],
            missing: vec![],
            workers: vec![],
        };
        let rows = child_rows(&c, 2026).expect("in the year");
        assert_eq!(rows.episodes.len(), 1);
        assert_eq!(
            rows.episodes[0].0.dec, None,
            "ends after the year: open at 31 March"
        );
        assert_eq!(rows.episodes[0].0.rec, None);
        assert_eq!(rows.header.upn.as_deref(), Some("UN5"));
        assert_eq!(rows.header.mother.as_deref(), Some("0"));
        assert!(
            child_rows(&c, 2024).is_none(),
            "not looked after in 2023-24"
        );
        assert_eq!(unknown_upn(d("2022-01-01"), d("2026-03-31")), "UN1");
        assert_eq!(unknown_upn(d("2020-08-31"), d("2026-03-31")), "UN5");
        assert_eq!(collection_year_of(d("2026-03-31")), 2026);
        assert_eq!(collection_year_of(d("2026-04-01")), 2027);
    }
}
