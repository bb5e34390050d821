//! SSDA903, the DfE "children looked after" return (collection year
//! 2025-26), and the validation rules that concern its **Missing** table.
//!
//! The rules come from the DfE's "Children looked after return 2025 to 2026:
//! validation rules", as implemented by the Data to Insight validator
//! (`csc-validator-be-903` 0.1.17, Python package `lac_validator.rules`,
//! modules `lac2022_23.rule_*`; the logic has not changed between 2022-23 and
//! 2026-27). Each rule here is a pure function that flags the same rows that
//! validator flags; `crates/domain/tests/ssda903_missing_fixtures.rs` proves
//! it against the validator's own per-rule fixtures in
//! `shared/conformance/ssda903-rules-2025-26/`.
//!
//! Harbour runs these rules **at data entry**, not once a year at return
//! time: when a practitioner records or closes a missing episode the service
//! layer builds a [`Return`] holding the child's rows (and, for the
//! cross-table rules, the child's episodes of care and header) and shows the
//! plain-words message of every rule that flags the row being edited. The
//! annual return then goes out clean instead of being fixed in March.
//!
//! Conventions, all mirroring the validator so that results agree:
//!
//! * Every field is raw text (`Option<String>`). `None` is a blank cell.
//!   `Some("")` is *not* blank: it is a value that fails every code list and
//!   date check (the validator reads CSV blanks as null, so a caller building
//!   a `Return` from a form should map empty inputs to `None`).
//! * Dates are `DD/MM/YYYY` ([`parse_date`]); a value that does not parse
//!   (ISO dates, two-digit years, 31/02) is flagged by the validity rules
//!   (1004, 1005) and is treated as absent by every other rule.
//! * A rule returns [`Flags`]: for each table it looked at, the positions
//!   (0-based row numbers) of the rows it flags, sorted. A rule whose tables
//!   are absent from the `Return` returns an empty map.

mod core;
mod date;
pub mod episodes;
pub mod files;
mod missing;
mod tables;

pub use core::*;
pub use date::parse_date;
pub use missing::*;
pub use tables::*;

use std::collections::BTreeMap;

/// Rows a rule flags: table name (as in the return, e.g. `"Missing"`,
/// `"Episodes"`) to sorted, de-duplicated row positions in that table.
pub type Flags = BTreeMap<&'static str, Vec<usize>>;

/// Table names used as [`Flags`] keys.
pub mod table {
    pub const HEADER: &str = "Header";
    pub const EPISODES: &str = "Episodes";
    pub const MISSING: &str = "Missing";
    pub const MISSING_LAST: &str = "Missing_last";
    pub const PLACED_ADOPTION: &str = "PlacedAdoption";
    pub const REVIEWS: &str = "Reviews";
    pub const AD1: &str = "AD1";
    pub const PREV_PERM: &str = "PrevPerm";
    pub const OC2: &str = "OC2";
    pub const SW_EPISODES: &str = "SWEpisodes";
}
