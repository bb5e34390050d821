//! Typed rows of the SSDA903 tables that the Missing rules read. Every field
//! is the raw cell text; `None` is a blank cell.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One return, or the slice of it that a check needs (often one child).
/// A table that is `None` was not supplied; rules that need it do not run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Return {
    pub metadata: Metadata,
    pub header: Option<Vec<Header>>,
    pub episodes: Option<Vec<Episode>>,
    pub missing: Option<Vec<MissingRow>>,
    /// Last year's Missing table (rule 576).
    pub missing_last: Option<Vec<MissingRow>>,
    /// Tables that rule 1012 checks for children without episodes; only
    /// their CHILD column matters to the Missing rules.
    pub placed_adoption: Option<Vec<ChildRef>>,
    pub reviews: Option<Vec<ChildRef>>,
    pub ad1: Option<Vec<ChildRef>>,
    pub prev_perm: Option<Vec<ChildRef>>,
    pub oc2: Option<Vec<ChildRef>>,
    /// SWEpisodes: the child's social workers (from 2023-24).
    pub sw_episodes: Option<Vec<SwEpisode>>,
}

/// Collection metadata. The year for 2025-26 runs 01/04/2025 to 31/03/2026.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub collection_start: Option<NaiveDate>,
    pub collection_end: Option<NaiveDate>,
}

impl Metadata {
    /// The collection year that ends on 31 March of `end_year`.
    pub fn year_ending(end_year: i32) -> Self {
        Metadata {
            collection_start: NaiveDate::from_ymd_opt(end_year - 1, 4, 1),
            collection_end: NaiveDate::from_ymd_opt(end_year, 3, 31),
        }
    }
}

/// Header: one row per child.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub child: Option<String>,
    pub sex: Option<String>,
    pub dob: Option<String>,
    pub ethnic: Option<String>,
    pub upn: Option<String>,
    pub mother: Option<String>,
    pub mc_dob: Option<String>,
}

/// Episodes: one row per episode of care (a change of legal status or
/// placement starts a new one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    pub child: Option<String>,
    pub decom: Option<String>,
    pub rne: Option<String>,
    pub ls: Option<String>,
    pub cin: Option<String>,
    pub place: Option<String>,
    pub place_provider: Option<String>,
    pub dec: Option<String>,
    pub rec: Option<String>,
    pub reason_place_change: Option<String>,
    pub home_post: Option<String>,
    pub pl_post: Option<String>,
    pub urn: Option<String>,
}

/// Missing: one row per period missing (M) or away from placement without
/// authorisation (A). MIS_END is blank while the period is open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingRow {
    pub child: Option<String>,
    pub dob: Option<String>,
    pub missing: Option<String>,
    pub mis_start: Option<String>,
    pub mis_end: Option<String>,
}

/// A row of another table reduced to its CHILD column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildRef {
    pub child: Option<String>,
}

/// SWEpisodes: one row per period with one social worker.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwEpisode {
    pub child: Option<String>,
    pub dob: Option<String>,
    pub sw_id: Option<String>,
    pub sw_decom: Option<String>,
    pub sw_dec: Option<String>,
    pub sw_reason: Option<String>,
}
