//! The demo authority's exploitation screenings and proposed panel
//! referrals: for every child at risk (an alert naming exploitation, or a
//! return home interview that recorded signs of it), two to four screenings
//! over the last nine months with their risk moving up and down, and for
//! those whose latest screening is high (or flagged by the under-13 rule) a
//! proposal, some waiting for a decision, some accepted and some declined
//! by the team manager with a reason.
//!
//! [`generate`] is pure (a function of the demo data, the missing history,
//! a seed, `now` and the screening configuration); [`App::load_demo_screening`]
//! writes it in the demo's transaction. Everything written is invented.

use super::generate::{DemoData, Rng};
use super::missing::{DemoMissing, demo_uuid};
use crate::{App, AppResult};
use chrono::{DateTime, Duration, Utc};
use harbour_db::{Tx, escalation as proposals, screening as repo};
use harbour_domain::Role;
use harbour_domain::authz::system_import;
use harbour_domain::escalation::{self, Proposal, Status};
use harbour_domain::ids::{ChildId, UserId};
use harbour_domain::rules::age_on;
use harbour_domain::screening::*;

/// What the generator made.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoScreening {
    /// Screenings, oldest first.
    pub screenings: Vec<Screening>,
    /// Proposals (decided ones carry their decision).
    pub proposals: Vec<Proposal>,
}

const EVIDENCE: &[&str] = &[
    "Seen by the carer getting into a car with adults not known to the household.",
    "Told the return home interviewer about meeting older friends near the bus station.",
    "Police stop: found with cash that could not be explained.",
    "School reports absence on Fridays and a new phone.",
    "Came home with new trainers and clothes; said a friend bought them.",
    "Worker's concern after the last visit: withdrawn and checking the phone constantly.",
];

const ACCEPT: &[&str] = &[
    "Risk is high and rising; refer to the exploitation and missing panel for a multi-agency plan.",
    "Under-13 rule met; the panel should coordinate disruption with police.",
];
const DECLINE: &[&str] = &[
    "Already open to the panel under the sibling's referral; discussed there on the next review.",
    "Strategy discussion held this week with a plan in place; review after four weeks.",
];

/// Children at risk: an exploitation alert, or an interview with
/// exploitation indicators.
fn at_risk(data: &DemoData, history: &DemoMissing) -> Vec<ChildId> {
    let mut out: Vec<ChildId> = data
        .children
        .iter()
        .filter(|dc| {
            dc.alerts
                .iter()
                .any(|a| a.text.to_lowercase().contains("exploitation"))
                || history.episodes.iter().any(|e| {
                    e.episode.child_id == dc.child.id
                        && e.interview
                            .as_ref()
                            .is_some_and(|i| i.interview.exploitation_indicators.is_some())
                })
        })
        .map(|dc| dc.child.id)
        .collect();
    out.dedup();
    out
}

/// The screenings and proposals. Pure.
pub fn generate(
    data: &DemoData,
    history: &DemoMissing,
    seed: u64,
    now: DateTime<Utc>,
    cfg: &ScreeningConfig,
) -> DemoScreening {
    let mut rng = Rng::new(seed ^ 0x5343_5245_454E_494E);
    let mut ids = Rng::new(seed ^ 0x5343_5245_4944_5331);
    let mut counter = 3_000_000u64;
    let mut out = DemoScreening {
        screenings: Vec::new(),
        proposals: Vec::new(),
    };
    let all: Vec<(&Category, &Indicator)> = cfg
        .categories
        .iter()
        .flat_map(|c| c.indicators.iter().map(move |i| (c, i)))
        .collect();
    let fallback = data
        .users
        .iter()
        .find(|u| u.role == Role::SocialWorker)
        .map(|u| u.id);
    let top = cfg.levels.len().saturating_sub(1);
    let mut decided = 0usize;
    for child in at_risk(data, history) {
        let Some(dc) = data.children.iter().find(|d| d.child.id == child) else {
            continue;
        };
        let alloc = dc.allocations.iter().rev().find(|a| a.end_date.is_none());
        let Some(worker) = alloc.map(|a| a.worker_id).or(fallback) else {
            continue;
        };
        let worker_name = data
            .users
            .iter()
            .find(|u| u.id == worker)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        let n = rng.range(2, 4);
        let mut level = rng.range(1, top as i64) as usize;
        let mut latest: Option<Screening> = None;
        for k in 0..n {
            let days_ago = (n - k) * rng.range(42, 70) - rng.range(0, 20);
            let at = now - Duration::days(days_ago.max(3)) - Duration::minutes(rng.range(0, 600));
            if at.date_naive() < dc.child.dob {
                continue;
            }
            // A random walk on the scale, staying above the lowest level.
            let step = rng.range(-1, 1);
            level = (level as i64 + step).clamp(1, top as i64) as usize;
            let mut ticks: Vec<Tick> = Vec::new();
            for _ in 0..(level + rng.range(0, 2) as usize) {
                let (c, i) = *rng.pick(&all);
                if ticks.iter().any(|t| t.indicator == i.id) {
                    continue;
                }
                ticks.push(Tick {
                    indicator: i.id.clone(),
                    category: c.id.clone(),
                    label: i.label.clone(),
                    high_risk: i.high_risk,
                    evidence: rng.pick_str(EVIDENCE).to_string(),
                    basis: if rng.chance(250) {
                        Basis::GutFeeling
                    } else {
                        Basis::Evidence
                    },
                });
            }
            let age = age_on(dc.child.dob, at.date_naive());
            counter += 1;
            let s = Screening {
                id: demo_uuid(&mut ids, counter),
                child_id: child,
                age,
                under_13: under_13_rule(age, &ticks),
                suggested: suggested_level(cfg, age, &ticks),
                level: cfg.levels[level].clone(),
                ticks,
                peers: if rng.chance(500) {
                    "Spends time with an older group at the retail park; two of them known to police."
                        .into()
                } else {
                    String::new()
                },
                summary: format!(
                    "Screened after review with the carer and school. Level {} agreed in supervision.",
                    cfg.levels[level]
                ),
                recorded_by: worker,
                recorded_by_name: worker_name.clone(),
                recorded_at: at,
            };
            latest = Some(s.clone());
            out.screenings.push(s);
        }
        let Some(l) = latest else { continue };
        let facts = escalation::Facts {
            age: age_on(dc.child.dob, now.date_naive()),
            latest_level: Some(l.level.clone()),
            under_13: l.under_13,
            indicators: l.ticks.len(),
            episodes: Vec::new(),
        };
        let grounds = escalation::grounds(cfg, &facts, now);
        if grounds.is_empty() {
            continue;
        }
        counter += 1;
        let proposed_at = l.recorded_at;
        let manager: Option<UserId> = alloc
            .and_then(|a| a.team_id)
            .and_then(|t| data.teams.iter().find(|x| x.id == t))
            .and_then(|t| t.manager_id);
        // Every third stays pending; the others are decided by the manager.
        let status = match (decided % 3, manager) {
            (_, None) | (0, _) => Status::Pending,
            (1, _) => Status::Accepted,
            _ => Status::Declined,
        };
        decided += 1;
        let decided_at = (status != Status::Pending).then(|| proposed_at + Duration::hours(26));
        out.proposals.push(Proposal {
            id: demo_uuid(&mut ids, counter),
            child_id: child,
            grounds: escalation::codes(&grounds),
            detail: escalation::detail(&grounds),
            source: "screening".into(),
            proposed_at,
            status,
            decided_by: manager.filter(|_| status != Status::Pending),
            decided_by_name: None,
            decided_at,
            reason: match status {
                Status::Pending => None,
                Status::Accepted => Some(rng.pick_str(ACCEPT).to_string()),
                Status::Declined => Some(rng.pick_str(DECLINE).to_string()),
            },
            referred_at: None,
        });
    }
    out
}

impl App {
    /// Write the demo screenings and proposals (in the demo's transaction).
    pub(crate) async fn load_demo_screening(
        &self,
        tx: &mut Tx,
        d: &DemoScreening,
    ) -> AppResult<(usize, usize)> {
        for s in &d.screenings {
            repo::insert(tx, &system_import(s.child_id), s).await?;
        }
        for p in &d.proposals {
            let ok = system_import(p.child_id);
            proposals::insert(tx, &ok, p).await?;
            if let (Some(by), Some(at), Some(reason)) = (p.decided_by, p.decided_at, &p.reason) {
                proposals::decide(tx, &ok, p.id, p.status == Status::Accepted, by, at, reason)
                    .await?;
            }
        }
        Ok((d.screenings.len(), d.proposals.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screenings_are_reproducible_and_cover_every_proposal_state() {
        let now: DateTime<Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        let data = super::super::generate::generate(861, now);
        let history = super::super::missing::generate(&data, 861, now);
        let cfg = ScreeningConfig::default();
        let a = generate(&data, &history, 861, now, &cfg);
        assert_eq!(a, generate(&data, &history, 861, now, &cfg));
        assert!(a.screenings.len() >= 10, "{}", a.screenings.len());
        for s in &a.screenings {
            assert!(s.recorded_at < now);
            assert!(cfg.rank(&s.level).is_some());
        }
        for st in [Status::Pending, Status::Accepted, Status::Declined] {
            assert!(a.proposals.iter().any(|p| p.status == st), "{st:?}");
        }
        // At most one proposal per child.
        let mut kids: Vec<_> = a.proposals.iter().map(|p| p.child_id).collect();
        kids.sort_by_key(|c| c.0);
        kids.dedup();
        assert_eq!(kids.len(), a.proposals.len());
    }
}
