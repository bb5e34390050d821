//! TEMPORARY: replaced by the synthetic generator being written.
use chrono::{DateTime, Utc};
use harbour_domain::model::*;
pub struct DemoChild { pub child: Child, pub aliases: Vec<Alias>, pub addresses: Vec<Address>, pub legal_statuses: Vec<LegalStatusPeriod>, pub placements: Vec<Placement>, pub relationships: Vec<Relationship>, pub allocations: Vec<Allocation>, pub notes: Vec<CaseNote>, pub decisions: Vec<Decision>, pub alerts: Vec<Alert>, pub shares: Vec<Share> }
pub struct DemoData { pub authority: Authority, pub other_authorities: Vec<Authority>, pub orgs: Vec<Organisation>, pub pods: Vec<Pod>, pub teams: Vec<Team>, pub users: Vec<User>, pub children: Vec<DemoChild> }
pub fn generate(_seed: u64, _now: DateTime<Utc>) -> DemoData { DemoData { authority: Authority { la_code: "861".into(), name: "x".into() }, other_authorities: vec![], orgs: vec![], pods: vec![], teams: vec![], users: vec![], children: vec![] } }
