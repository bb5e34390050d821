//! The SSDA903 rules that concern the Missing table: 1004 1005 1006 1012 564
//! 565 566 567 570 571 574 575 576 577 578 580 581 586 INT04 INT13.
//!
//! Two ways of matching a child across tables, both taken from the
//! validator's pandas code and kept apart on purpose:
//! * joining tables on CHILD (`DataFrame.merge`) matches a blank CHILD with
//!   a blank CHILD ([`join`]);
//! * comparing neighbouring rows (`CHILD == CHILD_PREV`) never treats two
//!   blanks as the same child ([`same_child`]).

use chrono::{Months, NaiveDate};

use super::table::{AD1, EPISODES, MISSING, OC2, PLACED_ADOPTION, PREV_PERM, REVIEWS};
use super::{Episode, Flags, MissingRow, Return, parse_date};

/// What Harbour knows about a rule besides its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    pub code: &'static str,
    /// The DfE's wording, as the validator reports it.
    pub dfe_message: &'static str,
    /// Plain words for the practitioner at the point of entry.
    pub plain_message: &'static str,
    /// Fields the DfE names as affected.
    pub affected_fields: &'static [&'static str],
}

/// A rule's check.
pub type RuleFn = fn(&Return) -> Flags;

macro_rules! registry {
    ($( $code:literal => $f:ident, [$($field:literal),*],
        dfe: $dfe:literal, plain: $plain:literal; )*) => {
        static RULES: &[(&str, &str, RuleFn)] = &[ $( ($code, $plain, $f as RuleFn) ),* ];
        static INFO: &[RuleInfo] = &[ $( RuleInfo {
            code: $code,
            dfe_message: $dfe,
            plain_message: $plain,
            affected_fields: &[$($field),*],
        } ),* ];
    };
}

registry! {
    "1004" => rule_1004, ["MIS_START"],
        dfe: "The start date of the missing episode or episode that the child was away from placement without authorisation is not a valid date.",
        plain: "Enter the date the child went missing or away, as DD/MM/YYYY. It is blank or not a real date.";
    "1005" => rule_1005, ["MIS_END"],
        dfe: "The end date of the missing episode or episode that the child was away from placement without authorisation is not a valid date.",
        plain: "The date the child was found or came back is not a real date. Use DD/MM/YYYY.";
    "1006" => rule_1006, ["MISSING"],
        dfe: "Missing type invalid.",
        plain: "Choose whether the child was missing (M) or away from placement without authorisation (A).";
    "564" => rule_564, ["MISSING", "MIS_START"],
        dfe: "Child was missing or away from placement without authorisation and the date started is blank.",
        plain: "The child is recorded as missing or away, but the date it started is blank.";
    "565" => rule_565, ["MISSING", "MIS_START"],
        dfe: "The date that the child started to be missing or away from placement without authorisation has been completed but whether the child was missing or away from placement without authorisation has not been completed.",
        plain: "A start date is entered, but not whether the child was missing (M) or away without authorisation (A).";
    "566" => rule_566, ["MISSING", "MIS_END"],
        dfe: "The date that the child's episode of being missing or away from placement without authorisation ended has been completed but whether the child was missing or away without authorisation has not been completed.",
        plain: "An end date is entered, but not whether the child was missing (M) or away without authorisation (A).";
    "567" => rule_567, ["MIS_START", "MIS_END"],
        dfe: "The date that the missing episode or episode that the child was away from placement without authorisation ended is before the date that it started.",
        plain: "The end date is before the start date. (Starting and ending on the same day is fine.)";
    "570" => rule_570, ["MIS_START"],
        dfe: "The date that the child started to be missing or away from placement without authorisation is after the end of the collection year.",
        plain: "This missing episode starts after the end of the collection year (31 March).";
    "571" => rule_571, ["MIS_END"],
        dfe: "The date that the child ceased to be missing or away from placement without authorisation is before the start or after the end of the collection year.",
        plain: "The end date falls outside this collection year (1 April to 31 March).";
    "574" => rule_574, ["MIS_START", "MIS_END"],
        dfe: "A new missing/away from placement without authorisation period cannot start when the previous missing/away from placement without authorisation period is still open. Missing/away from placement without authorisation periods should also not overlap.",
        plain: "This missing episode overlaps another one for the same child, or follows one that is still open. One may end on the day the next starts.";
    "575" => rule_575, ["MIS_END"],
        dfe: "If the placement from which the child goes missing/away from placement without authorisation ends, the missing/away from placement without authorisation period in the missing module must also have an end date.",
        plain: "The placement the child went missing from has ended, so this missing episode needs an end date.";
    "576" => rule_576, ["CHILD"],
        dfe: "There is an open missing/away from placement without authorisation period in last year\u{2019}s return and there is no corresponding period recorded at the start of this year.",
        plain: "Last year's return left a missing episode open for this child. This year's first missing episode should carry it on, with the same start date.";
    "577" => rule_577, ["MIS_END"],
        dfe: "Child ceased to be looked after but there is a missing/away from placement without authorisation period without an end date.",
        plain: "This missing episode does not fit a period of care: it is still open after the child left care, or it ends outside the time they were looked after.";
    "578" => rule_578, ["MIS_START"],
        dfe: "The date that the child started to be missing is after the child ceased to be looked after.",
        plain: "This missing episode starts before the child became looked after, or after they stopped being looked after.";
    "580" => rule_580, ["REC"],
        dfe: "Child is missing when cease being looked after but reason episode ceased not \u{2018}E8\u{2019}.",
        plain: "The child was missing when they left care on their 18th birthday, so the reason care ended must be E8 (any other reason).";
    "581" => rule_581, ["MIS_START"],
        dfe: "Child is missing but has not yet started to be looked after.",
        plain: "This missing episode does not start during any of the child's episodes of care.";
    "586" => rule_586, ["MIS_START"],
        dfe: "Dates of missing periods are before child\u{2019}s date of birth.",
        plain: "This missing episode starts on or before the child's date of birth.";
    "1012" => rule_1012, ["CHILD"],
        dfe: "No other data should be returned for OC3 children who had no episodes in the current year",
        plain: "This child has no episode of care in this year's return, so no missing, review, adoption or health records should be returned for them.";
    "INT04" => rule_int04, ["CHILD"],
        dfe: "Internal Check: Child in Missing does not exist in Header.",
        plain: "This child is not in the return's header (child details), so the missing episode cannot be returned.";
    "INT13" => rule_int13, ["DOB"],
        dfe: "Internal Check: DOB in Missing is different to DOB in Header.",
        plain: "The date of birth on this missing episode differs from the child's date of birth in their details.";
}

/// Every Missing rule: (code, plain-words message, check).
pub fn missing_rules() -> &'static [(&'static str, &'static str, RuleFn)] {
    RULES
}

/// Details of a Missing rule by DfE code.
pub fn rule_info(code: &str) -> Option<&'static RuleInfo> {
    INFO.iter().find(|i| i.code == code)
}

/// Every Missing rule's details, in registry order.
pub fn missing_rule_info() -> &'static [RuleInfo] {
    INFO
}

/// Run every Missing rule; returns (code, flags) for each rule that flags
/// at least one row.
pub fn check_missing(r: &Return) -> Vec<(&'static str, Flags)> {
    RULES
        .iter()
        .map(|(code, _, f)| (*code, f(r)))
        .filter(|(_, flags)| flags.values().any(|v| !v.is_empty()))
        .collect()
}

// ---------------------------------------------------------------------------
// Helpers

fn date(v: &Option<String>) -> Option<NaiveDate> {
    v.as_deref().and_then(parse_date)
}

/// Key equality of a pandas merge on CHILD: blank matches blank.
fn join(a: &Option<String>, b: &Option<String>) -> bool {
    a == b
}

/// Element-wise `CHILD == CHILD_PREV`: blanks never match.
fn same_child(a: &Option<String>, b: &Option<String>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x == y)
}

/// pandas sorts blanks last.
fn nulls_last<T: Ord>(a: &Option<T>, b: &Option<T>) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Less,
        (None, Some(_)) => Greater,
        (None, None) => Equal,
    }
}

fn one(table: &'static str, mut rows: Vec<usize>) -> Flags {
    rows.sort_unstable();
    rows.dedup();
    Flags::from([(table, rows)])
}

/// Flag each Missing row for which `pred` holds.
fn per_missing_row(r: &Return, pred: impl Fn(&MissingRow) -> bool) -> Flags {
    match &r.missing {
        None => Flags::new(),
        Some(rows) => one(
            MISSING,
            rows.iter()
                .enumerate()
                .filter(|(_, m)| pred(m))
                .map(|(i, _)| i)
                .collect(),
        ),
    }
}

/// A period of care: consecutive episodes of one child with no gap between
/// one episode's DEC and the next one's DECOM.
struct PeriodOfCare<'a> {
    child: &'a Option<String>,
    start: NaiveDate,
    /// DEC of the period's last episode; `None` while the child is still
    /// looked after (or that DEC is not a valid date).
    end: Option<NaiveDate>,
}

/// Periods of care as rules 577 and 578 build them: episodes without a valid
/// DECOM are dropped; the rest are sorted by child then DECOM; an episode
/// starts a new period when its child differs from the previous episode's or
/// its DECOM is after the previous episode's DEC (an open previous episode
/// never ends a period). The period runs from its first DECOM to its last
/// episode's DEC.
fn periods_of_care(eps: &[Episode]) -> Vec<PeriodOfCare<'_>> {
    let mut rows: Vec<(&Option<String>, NaiveDate, Option<NaiveDate>)> = eps
        .iter()
        .filter_map(|e| Some((&e.child, date(&e.decom)?, date(&e.dec))))
        .collect();
    rows.sort_by(|a, b| nulls_last(a.0, b.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<PeriodOfCare> = Vec::new();
    let mut prev: Option<(&Option<String>, Option<NaiveDate>)> = None;
    for (child, decom, dec) in rows {
        let new_period = match prev {
            None => true,
            Some((pchild, pdec)) => !same_child(child, pchild) || pdec.is_some_and(|pd| decom > pd),
        };
        match out.last_mut() {
            Some(p) if !new_period => p.end = dec,
            _ => out.push(PeriodOfCare {
                child,
                start: decom,
                end: dec,
            }),
        }
        prev = Some((child, dec));
    }
    out
}

/// Flag a Missing row when its child has at least one period of care and
/// `outside` holds for every one of them.
fn outside_every_period(r: &Return, outside: impl Fn(&MissingRow, &PeriodOfCare) -> bool) -> Flags {
    let (Some(eps), Some(_)) = (&r.episodes, &r.missing) else {
        return Flags::new();
    };
    let pocs = periods_of_care(eps);
    per_missing_row(r, |m| {
        let mut mine = pocs.iter().filter(|p| join(p.child, &m.child)).peekable();
        mine.peek().is_some() && mine.all(|p| outside(m, p))
    })
}

// ---------------------------------------------------------------------------
// Rules on one Missing row

/// **1004** — "The start date of the missing episode or episode that the
/// child was away from placement without authorisation is not a valid date."
///
/// Flags a Missing row whose MIS_START is blank or not a valid `DD/MM/YYYY`
/// date.
pub fn rule_1004(r: &Return) -> Flags {
    per_missing_row(r, |m| date(&m.mis_start).is_none())
}

/// **1005** — "The end date of the missing episode or episode that the child
/// was away from placement without authorisation is not a valid date."
///
/// Flags a Missing row whose MIS_END is filled in but is not a valid
/// `DD/MM/YYYY` date. A blank end date (an open period) is fine.
pub fn rule_1005(r: &Return) -> Flags {
    per_missing_row(r, |m| m.mis_end.is_some() && date(&m.mis_end).is_none())
}

/// **1006** — "Missing type invalid."
///
/// Flags a Missing row whose MISSING is filled in but is not exactly `M`
/// (missing) or `A` (away from placement without authorisation). Lower case
/// and empty text are invalid; a blank is left to rules 565 and 566.
pub fn rule_1006(r: &Return) -> Flags {
    per_missing_row(r, |m| {
        m.missing
            .as_deref()
            .is_some_and(|t| !matches!(t, "M" | "A"))
    })
}

/// **564** — "Child was missing or away from placement without authorisation
/// and the date started is blank."
///
/// Flags a Missing row whose MISSING is `M` or `A` (either case) and whose
/// MIS_START is blank.
pub fn rule_564(r: &Return) -> Flags {
    per_missing_row(r, |m| {
        matches!(m.missing.as_deref(), Some("M" | "A" | "m" | "a")) && m.mis_start.is_none()
    })
}

/// **565** — "The date that the child started to be missing or away from
/// placement without authorisation has been completed but whether the child
/// was missing or away from placement without authorisation has not been
/// completed."
///
/// Flags a Missing row with a MIS_START (valid or not) and a blank MISSING.
pub fn rule_565(r: &Return) -> Flags {
    per_missing_row(r, |m| m.mis_start.is_some() && m.missing.is_none())
}

/// **566** — "The date that the child's episode of being missing or away from
/// placement without authorisation ended has been completed but whether the
/// child was missing or away without authorisation has not been completed."
///
/// Flags a Missing row with a MIS_END (valid or not) and a blank MISSING.
pub fn rule_566(r: &Return) -> Flags {
    per_missing_row(r, |m| m.mis_end.is_some() && m.missing.is_none())
}

/// **567** — "The date that the missing episode or episode that the child was
/// away from placement without authorisation ended is before the date that
/// it started."
///
/// Flags a Missing row whose MIS_END is before its MIS_START (both valid).
/// Starting and ending on the same day is allowed.
pub fn rule_567(r: &Return) -> Flags {
    per_missing_row(r, |m| match (date(&m.mis_start), date(&m.mis_end)) {
        (Some(s), Some(e)) => s > e,
        _ => false,
    })
}

/// **570** — "The date that the child started to be missing or away from
/// placement without authorisation is after the end of the collection year."
///
/// Flags a Missing row whose valid MIS_START is after the collection end
/// date (31 March). Does nothing without a collection end date.
pub fn rule_570(r: &Return) -> Flags {
    let Some(end) = r.metadata.collection_end else {
        return Flags::new();
    };
    per_missing_row(r, |m| date(&m.mis_start).is_some_and(|s| s > end))
}

/// **571** — "The date that the child ceased to be missing or away from
/// placement without authorisation is before the start or after the end of
/// the collection year."
///
/// Flags a Missing row whose valid MIS_END is before the collection start
/// date or after the collection end date (each check applies only when that
/// date is known).
pub fn rule_571(r: &Return) -> Flags {
    let (start, end) = (r.metadata.collection_start, r.metadata.collection_end);
    per_missing_row(r, |m| {
        date(&m.mis_end).is_some_and(|e| start.is_some_and(|s| e < s) || end.is_some_and(|c| e > c))
    })
}

/// **586** — "Dates of missing periods are before child's date of birth."
///
/// Flags a Missing row whose valid MIS_START is on or before the DOB on the
/// same row.
pub fn rule_586(r: &Return) -> Flags {
    per_missing_row(r, |m| match (date(&m.mis_start), date(&m.dob)) {
        (Some(s), Some(dob)) => s <= dob,
        _ => false,
    })
}

// ---------------------------------------------------------------------------
// Rules across one child's Missing rows

/// **574** — "A new missing/away from placement without authorisation period
/// cannot start when the previous missing/away from placement without
/// authorisation period is still open. Missing/away from placement without
/// authorisation periods should also not overlap."
///
/// Orders each child's periods by end date (an open period counts as ending
/// on its start date) then start date. A period is flagged when the period
/// before it has no valid end date, or when it starts before that period's
/// end. Touching periods (one ends on the day the next starts) are allowed.
/// Because an open period sorts by its start date, an earlier closed period
/// that runs past that date is the one flagged.
pub fn rule_574(r: &Return) -> Flags {
    let Some(rows) = &r.missing else {
        return Flags::new();
    };
    struct P<'a> {
        pos: usize,
        child: &'a Option<String>,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
        fill: Option<NaiveDate>,
    }
    let mut ps: Vec<P> = rows
        .iter()
        .enumerate()
        .map(|(pos, m)| {
            let (start, end) = (date(&m.mis_start), date(&m.mis_end));
            P {
                pos,
                child: &m.child,
                start,
                end,
                fill: end.or(start),
            }
        })
        .collect();
    ps.sort_by(|a, b| {
        nulls_last(a.child, b.child)
            .then(nulls_last(&a.fill, &b.fill))
            .then(nulls_last(&a.start, &b.start))
    });
    let flagged = ps
        .windows(2)
        .filter(|w| {
            let (prev, cur) = (&w[0], &w[1]);
            same_child(cur.child, prev.child)
                && match (cur.start, prev.end) {
                    (_, None) => true,
                    (Some(s), Some(pe)) => s < pe,
                    (None, Some(_)) => false,
                }
        })
        .map(|w| w[1].pos)
        .collect();
    one(MISSING, flagged)
}

/// **576** — "There is an open missing/away from placement without
/// authorisation period in last year's return and there is no corresponding
/// period recorded at the start of this year."
///
/// For each child, takes this year's period with the earliest MIS_START (a
/// blank or invalid start counts as 01/01/2099; the first row wins a tie).
/// Flags it when last year's Missing table has an open period (blank
/// MIS_END) for that child with a valid MIS_START that differs from it.
/// Rows with a blank CHILD are ignored.
pub fn rule_576(r: &Return) -> Flags {
    let (Some(rows), Some(last)) = (&r.missing, &r.missing_last) else {
        return Flags::new();
    };
    let far = NaiveDate::from_ymd_opt(2099, 1, 1).expect("valid date");
    // child -> (position, filled start) of the earliest row
    let mut earliest: Vec<(&String, usize, NaiveDate)> = Vec::new();
    for (pos, m) in rows.iter().enumerate() {
        let Some(child) = &m.child else { continue };
        let start = date(&m.mis_start).unwrap_or(far);
        match earliest.iter_mut().find(|e| e.0 == child) {
            Some(e) if start < e.2 => *e = (child, pos, start),
            Some(_) => {}
            None => earliest.push((child, pos, start)),
        }
    }
    let flagged = earliest
        .into_iter()
        .filter(|(child, _, start)| {
            last.iter().any(|l| {
                l.mis_end.is_none()
                    && l.child.as_ref() == Some(*child)
                    && date(&l.mis_start).is_some_and(|ls| ls != *start)
            })
        })
        .map(|(_, pos, _)| pos)
        .collect();
    one(MISSING, flagged)
}

// ---------------------------------------------------------------------------
// Rules across Missing and Episodes

/// **575** — "If the placement from which the child goes missing/away from
/// placement without authorisation ends, the missing/away from placement
/// without authorisation period in the missing module must also have an end
/// date."
///
/// Flags a Missing row with a blank MIS_END whose valid MIS_START falls
/// within (inclusive) one of the child's episodes that has ended (valid DEC).
/// Note: a child who goes missing on the day of a placement move (the old
/// episode's DEC equals MIS_START) is flagged, because that start also falls
/// within the ended episode.
pub fn rule_575(r: &Return) -> Flags {
    let (Some(eps), Some(_)) = (&r.episodes, &r.missing) else {
        return Flags::new();
    };
    per_missing_row(r, |m| {
        let Some(s) = date(&m.mis_start) else {
            return false;
        };
        m.mis_end.is_none()
            && eps.iter().any(|e| {
                join(&e.child, &m.child)
                    && date(&e.decom).is_some_and(|d| d <= s)
                    && date(&e.dec).is_some_and(|d| s <= d)
            })
    })
}

/// **577** — "Child ceased to be looked after but there is a missing/away
/// from placement without authorisation period without an end date."
///
/// Builds the child's periods of care from Episodes (consecutive episodes
/// with no gap). A Missing row with a valid MIS_START is flagged when, for
/// every one of the child's periods of care, it is outside that period:
/// it is still open (blank or invalid MIS_END) and the period has ended, or
/// it is still open and started before the period, or it ended after the
/// period ended, or it ended before the period started. A child with no
/// episodes is not flagged.
pub fn rule_577(r: &Return) -> Flags {
    outside_every_period(r, |m, p| {
        let Some(start) = date(&m.mis_start) else {
            return false;
        };
        match date(&m.mis_end) {
            None => p.end.is_some() || start < p.start,
            Some(end) => p.end.is_some_and(|pe| end > pe) || end < p.start,
        }
    })
}

/// **578** — "The date that the child started to be missing is after the
/// child ceased to be looked after."
///
/// Builds periods of care as for 577. A Missing row is flagged when its
/// valid MIS_START is, for every one of the child's periods of care, before
/// the period started or after it ended. A child with no episodes is not
/// flagged.
pub fn rule_578(r: &Return) -> Flags {
    outside_every_period(r, |m, p| {
        date(&m.mis_start).is_some_and(|s| s < p.start || p.end.is_some_and(|e| s > e))
    })
}

/// **580** — "Child is missing when cease being looked after but reason
/// episode ceased not 'E8'."
///
/// Flags an **Episodes** row whose REC is not `E8` (blank included) when a
/// Missing row for the child has MIS_END equal to the episode's DEC and to
/// the child's 18th birthday (Missing DOB plus 18 years; as in the validator
/// a 29 February birthday falls on 28 February in a non-leap year).
pub fn rule_580(r: &Return) -> Flags {
    let (Some(eps), Some(mis)) = (&r.episodes, &r.missing) else {
        return Flags::new();
    };
    let flagged = eps
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            let Some(dec) = date(&e.dec) else {
                return false;
            };
            e.rec.as_deref() != Some("E8")
                && mis.iter().any(|m| {
                    join(&m.child, &e.child)
                        && date(&m.mis_end) == Some(dec)
                        && date(&m.dob).and_then(|d| d.checked_add_months(Months::new(18 * 12)))
                            == Some(dec)
                })
        })
        .map(|(i, _)| i)
        .collect();
    one(EPISODES, flagged)
}

/// **581** — "Child is missing but has not yet started to be looked after."
///
/// Flags a Missing row whose child has episodes when its MIS_START is not
/// within any of them: on or after DECOM and on or before DEC (an episode
/// with a blank or invalid DEC is open). A blank or invalid MIS_START is
/// within none. A child with no episodes is not flagged.
pub fn rule_581(r: &Return) -> Flags {
    let (Some(eps), Some(_)) = (&r.episodes, &r.missing) else {
        return Flags::new();
    };
    per_missing_row(r, |m| {
        let start = date(&m.mis_start);
        let mut mine = eps.iter().filter(|e| join(&e.child, &m.child)).peekable();
        mine.peek().is_some()
            && !mine.any(|e| match (start, date(&e.decom)) {
                (Some(s), Some(d)) => s >= d && date(&e.dec).is_none_or(|dec| s <= dec),
                _ => false,
            })
    })
}

/// **1012** — "No other data should be returned for OC3 children who had no
/// episodes in the current year"
///
/// When Episodes is supplied, flags every row of PlacedAdoption, Missing,
/// Reviews, AD1, PrevPerm and OC2 (those supplied) whose CHILD has no row in
/// Episodes.
pub fn rule_1012(r: &Return) -> Flags {
    let Some(eps) = &r.episodes else {
        return Flags::new();
    };
    let orphans = |children: &mut dyn Iterator<Item = &Option<String>>| -> Vec<usize> {
        children
            .enumerate()
            .filter(|(_, c)| !eps.iter().any(|e| join(&e.child, c)))
            .map(|(i, _)| i)
            .collect()
    };
    let mut out = Flags::new();
    let refs = [
        (PLACED_ADOPTION, &r.placed_adoption),
        (REVIEWS, &r.reviews),
        (AD1, &r.ad1),
        (PREV_PERM, &r.prev_perm),
        (OC2, &r.oc2),
    ];
    for (name, rows) in refs {
        if let Some(rows) = rows {
            out.insert(name, orphans(&mut rows.iter().map(|x| &x.child)));
        }
    }
    if let Some(rows) = &r.missing {
        out.insert(MISSING, orphans(&mut rows.iter().map(|x| &x.child)));
    }
    out
}

// ---------------------------------------------------------------------------
// Rules across Missing and Header

/// **INT04** — "Internal Check: Child in Missing does not exist in Header."
///
/// Flags a Missing row whose CHILD has no row in Header.
pub fn rule_int04(r: &Return) -> Flags {
    let Some(header) = &r.header else {
        return Flags::new();
    };
    per_missing_row(r, |m| !header.iter().any(|h| join(&h.child, &m.child)))
}

/// **INT13** — "Internal Check: DOB in Missing is different to DOB in Header."
///
/// Flags a Missing row whose valid DOB differs from the valid DOB of a
/// Header row for the same child. Blank or invalid DOBs are not compared.
pub fn rule_int13(r: &Return) -> Flags {
    let Some(header) = &r.header else {
        return Flags::new();
    };
    per_missing_row(r, |m| {
        let Some(dob) = date(&m.dob) else {
            return false;
        };
        header
            .iter()
            .any(|h| join(&h.child, &m.child) && date(&h.dob).is_some_and(|hd| hd != dob))
    })
}

#[cfg(test)]
mod tests {
    use super::super::{ChildRef, Header, Metadata};
    use super::*;

    fn s(v: &str) -> Option<String> {
        (!v.is_empty()).then(|| v.to_string())
    }

    /// (child, missing, start, end); "" is blank.
    fn mis(rows: &[(&str, &str, &str, &str)]) -> Vec<MissingRow> {
        rows.iter()
            .map(|(c, t, st, en)| MissingRow {
                child: s(c),
                dob: None,
                missing: s(t),
                mis_start: s(st),
                mis_end: s(en),
            })
            .collect()
    }

    /// (child, decom, dec, rec); "" is blank.
    fn eps(rows: &[(&str, &str, &str, &str)]) -> Vec<Episode> {
        rows.iter()
            .map(|(c, d, e, rec)| Episode {
                child: s(c),
                decom: s(d),
                dec: s(e),
                rec: s(rec),
                ..Episode::default()
            })
            .collect()
    }

    fn missing_only(rows: &[(&str, &str, &str, &str)]) -> Return {
        Return {
            missing: Some(mis(rows)),
            ..Return::default()
        }
    }

    fn flagged(f: &Flags, table: &str) -> Vec<usize> {
        f.get(table).cloned().unwrap_or_default()
    }

    #[test]
    fn registry_is_consistent() {
        let rules = missing_rules();
        let info = missing_rule_info();
        assert_eq!(rules.len(), 20);
        assert_eq!(rules.len(), info.len());
        for ((code, plain, _), i) in rules.iter().zip(info) {
            assert_eq!(*code, i.code);
            assert_eq!(*plain, i.plain_message);
            assert!(!i.affected_fields.is_empty());
            assert_eq!(rule_info(code), Some(i));
        }
        let mut codes: Vec<_> = rules.iter().map(|r| r.0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), rules.len(), "duplicate code");
        // Every rule is quiet on an empty return.
        for (code, _, f) in rules {
            assert!(f(&Return::default()).is_empty(), "{code}");
        }
    }

    #[test]
    fn single_row_rules() {
        type Case = (
            RuleFn,
            (&'static str, &'static str, &'static str, &'static str),
            bool,
        );
        let cases: &[Case] = &[
            // 567: same-day start and end is allowed; end before start is not.
            (rule_567, ("1", "M", "01/06/2025", "01/06/2025"), false),
            (rule_567, ("1", "M", "02/06/2025", "01/06/2025"), true),
            (rule_567, ("1", "M", "02/06/2025", ""), false),
            (rule_567, ("1", "M", "02/06/2025", "2025-06-01"), false),
            // 1004: blank and ISO start dates are invalid.
            (rule_1004, ("1", "M", "", ""), true),
            (rule_1004, ("1", "M", "2025-06-01", ""), true),
            (rule_1004, ("1", "M", "01/06/2025", ""), false),
            // 1005: a blank end is an open period, not an invalid date.
            (rule_1005, ("1", "M", "01/06/2025", ""), false),
            (rule_1005, ("1", "M", "01/06/2025", "1/6/25"), true),
            // 1006: blank type is left to 565/566; lower case is invalid.
            (rule_1006, ("1", "", "01/06/2025", ""), false),
            (rule_1006, ("1", "a", "01/06/2025", ""), true),
            (rule_1006, ("1", "A", "01/06/2025", ""), false),
            // 564 accepts either case of type; 565/566 need a blank type.
            (rule_564, ("1", "m", "", ""), true),
            (rule_565, ("1", "", "01/06/2025", ""), true),
            (rule_566, ("1", "", "", "01/06/2025"), true),
            (rule_566, ("1", "M", "", "01/06/2025"), false),
        ];
        for (i, (f, row, want)) in cases.iter().enumerate() {
            let got = flagged(&f(&missing_only(&[*row])), MISSING);
            assert_eq!(got == vec![0], *want, "case {i}: {row:?}");
        }
    }

    #[test]
    fn collection_year_rules() {
        let mut r = missing_only(&[
            ("1", "M", "31/03/2026", "31/03/2026"),
            ("1", "M", "01/04/2026", "02/04/2026"),
            ("1", "M", "30/03/2025", "31/03/2025"),
            ("1", "M", "30/03/2025", "01/04/2025"),
        ]);
        r.metadata = Metadata::year_ending(2026);
        assert_eq!(flagged(&rule_570(&r), MISSING), vec![1]);
        assert_eq!(flagged(&rule_571(&r), MISSING), vec![1, 2]);
        r.metadata = Metadata::default();
        assert!(rule_570(&r).is_empty());
        assert_eq!(flagged(&rule_571(&r), MISSING), Vec::<usize>::new());
    }

    #[test]
    fn overlap_574() {
        type Rows = &'static [(&'static str, &'static str, &'static str, &'static str)];
        let cases: &[(Rows, &[usize])] = &[
            // Touching periods are allowed.
            (
                &[
                    ("1", "M", "01/06/2025", "03/06/2025"),
                    ("1", "M", "03/06/2025", "05/06/2025"),
                ],
                &[],
            ),
            // Overlap by a day: the later-ending one is flagged.
            (
                &[
                    ("1", "M", "01/06/2025", "04/06/2025"),
                    ("1", "M", "03/06/2025", "05/06/2025"),
                ],
                &[1],
            ),
            // A period after one that is still open.
            (
                &[
                    ("1", "M", "01/06/2025", ""),
                    ("1", "A", "07/06/2025", "08/06/2025"),
                ],
                &[1],
            ),
            // An open period inside a closed one: the closed one is flagged.
            (
                &[
                    ("1", "M", "01/06/2025", "10/06/2025"),
                    ("1", "M", "04/06/2025", ""),
                ],
                &[0],
            ),
            // An invalid end date counts as open.
            (
                &[
                    ("1", "M", "01/06/2025", "2025-06-02"),
                    ("1", "M", "05/06/2025", "06/06/2025"),
                ],
                &[1],
            ),
            // Different children never overlap; nor do blank children.
            (
                &[
                    ("1", "M", "01/06/2025", ""),
                    ("2", "M", "02/06/2025", "03/06/2025"),
                    ("", "M", "01/06/2025", ""),
                    ("", "M", "02/06/2025", "03/06/2025"),
                ],
                &[],
            ),
            // Row order in the table does not matter.
            (
                &[
                    ("1", "M", "07/06/2025", "09/06/2025"),
                    ("1", "M", "01/06/2025", "08/06/2025"),
                ],
                &[0],
            ),
        ];
        for (i, (rows, want)) in cases.iter().enumerate() {
            assert_eq!(
                flagged(&rule_574(&missing_only(rows)), MISSING),
                want.to_vec(),
                "case {i}"
            );
        }
    }

    #[test]
    fn continuation_576() {
        let mut r = missing_only(&[
            ("1", "M", "20/03/2025", "02/04/2025"),
            ("1", "M", "10/05/2025", ""),
            ("2", "M", "10/05/2025", ""),
        ]);
        r.missing_last = Some(mis(&[
            ("1", "M", "20/03/2025", ""),
            ("2", "M", "25/03/2025", ""),
        ]));
        assert_eq!(flagged(&rule_576(&r), MISSING), vec![2]);
    }

    #[test]
    fn still_missing_from_open_placement_is_not_flagged() {
        // A child missing since 20/03/2026 from a placement still open on
        // 31/03/2026: neither 575 nor 577 (nor 578/581) flags it.
        let r = Return {
            episodes: Some(eps(&[
                ("1", "01/04/2024", "01/01/2026", "X1"),
                ("1", "01/01/2026", "", ""),
            ])),
            missing: Some(mis(&[("1", "M", "20/03/2026", "")])),
            ..Return::default()
        };
        for f in [rule_575, rule_577, rule_578, rule_581] {
            assert_eq!(flagged(&f(&r), MISSING), Vec::<usize>::new());
        }
        // Going missing on the day of a placement move: 575 flags it (the
        // start also falls on the ended episode's DEC); 577 does not.
        let r = Return {
            missing: Some(mis(&[("1", "M", "01/01/2026", "")])),
            ..r
        };
        assert_eq!(flagged(&rule_575(&r), MISSING), vec![0]);
        assert_eq!(flagged(&rule_577(&r), MISSING), Vec::<usize>::new());
    }

    #[test]
    fn periods_of_care_577_578_581() {
        let r = Return {
            episodes: Some(eps(&[
                ("1", "01/04/2024", "01/06/2024", "E4A"),
                ("1", "01/09/2024", "01/10/2024", "E4A"),
                ("2", "01/04/2024", "", ""),
            ])),
            missing: Some(mis(&[
                ("1", "M", "10/05/2024", "11/05/2024"), // within period 1
                ("1", "M", "10/07/2024", "11/07/2024"), // between periods
                ("1", "M", "10/09/2024", ""),           // open after care ended
                ("3", "M", "10/09/2024", ""),           // no episodes at all
                ("2", "M", "10/09/2023", ""),           // before care began
            ])),
            ..Return::default()
        };
        assert_eq!(flagged(&rule_577(&r), MISSING), vec![1, 2, 4]);
        assert_eq!(flagged(&rule_578(&r), MISSING), vec![1, 4]);
        assert_eq!(flagged(&rule_581(&r), MISSING), vec![1, 4]);
        assert_eq!(flagged(&rule_575(&r), MISSING), vec![2]);
    }

    #[test]
    fn eighteenth_birthday_580() {
        let r = |dob: &str, end: &str, rec: &str| Return {
            episodes: Some(eps(&[("1", "01/04/2024", end, rec)])),
            missing: Some(vec![MissingRow {
                child: s("1"),
                dob: s(dob),
                missing: s("M"),
                mis_start: s("01/01/2026"),
                mis_end: s(end),
            }]),
            ..Return::default()
        };
        let cases = [
            ("15/01/2008", "15/01/2026", "E4A", true),
            ("15/01/2008", "15/01/2026", "E8", false),
            ("15/01/2008", "15/01/2026", "", true),
            ("15/01/2008", "16/01/2026", "E4A", false),
            // The validator's 18th birthday for 29 Feb is 28 Feb.
            ("29/02/2008", "28/02/2026", "E4A", true),
            ("29/02/2008", "01/03/2026", "E4A", false),
        ];
        for (dob, end, rec, want) in cases {
            let got = flagged(&rule_580(&r(dob, end, rec)), EPISODES);
            assert_eq!(got == vec![0], want, "{dob} {end} {rec}");
        }
    }

    #[test]
    fn cross_table_checks() {
        let r = Return {
            header: Some(vec![Header {
                child: s("1"),
                dob: s("01/01/2010"),
                ..Header::default()
            }]),
            episodes: Some(eps(&[("1", "01/04/2025", "", "")])),
            missing: Some(vec![
                MissingRow {
                    child: s("1"),
                    dob: s("02/01/2010"),
                    ..MissingRow::default()
                },
                MissingRow {
                    child: s("2"),
                    dob: s("01/01/2010"),
                    ..MissingRow::default()
                },
                MissingRow {
                    child: s("1"),
                    dob: s("01/01/2010"),
                    mis_start: s("01/01/2010"),
                    ..MissingRow::default()
                },
            ]),
            oc2: Some(vec![ChildRef { child: s("9") }]),
            ..Return::default()
        };
        assert_eq!(flagged(&rule_int04(&r), MISSING), vec![1]);
        assert_eq!(flagged(&rule_int13(&r), MISSING), vec![0]);
        assert_eq!(flagged(&rule_586(&r), MISSING), vec![2]);
        let f = rule_1012(&r);
        assert_eq!(flagged(&f, MISSING), vec![1]);
        assert_eq!(flagged(&f, OC2), vec![0]);
        assert!(!f.contains_key(REVIEWS));
        let hits: Vec<&str> = check_missing(&r).into_iter().map(|(c, _)| c).collect();
        assert!(hits.contains(&"INT04") && hits.contains(&"1012"));
    }
}
