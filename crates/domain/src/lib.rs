//! Harbour's domain: identifiers, records, DfE code lists, statutory and
//! practice rules, and the one authorisation policy. Everything here is pure:
//! no IO, no clock reads, no async. Time comes in as an argument.

pub mod audit;
pub mod authz;
pub mod calendar;
pub mod caseload;
pub mod checkpoint;
pub mod codes;
pub mod contexts;
pub mod edt;
pub mod escalation;
pub mod findings;
#[doc(hidden)]
pub mod fuzz;
pub mod ids;
pub mod jobs;
pub mod la_codes;
pub mod missing;
pub mod model;
pub mod oidc;
pub mod panel;
pub mod philomena;
pub mod reports;
pub mod retention;
pub mod roles;
pub mod rules;
pub mod schools;
pub mod screening;
pub mod search;
pub mod ssda903;
pub mod supervision;
pub mod validate;

pub use ids::*;
pub use roles::Role;
