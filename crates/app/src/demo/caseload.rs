//! The demo authority's caseload story, laid over the generated data before
//! it is loaded. Pure and deterministic, like [`super::generate`], and kept
//! apart from it so the generator's output stays as it is.
//!
//! The story is the inspection's (domain reference §9): one experienced
//! worker in the exploitation team holds about 30 children and is in the
//! red; a newly qualified worker in the same team has been given more than
//! their protected ASYE cap; most others are green or amber. The ASYE worker
//! becomes a demo sign-in (`asye_worker@demo.harbour.test`) so a visitor can see a
//! protected caseload from the inside. Some looked-after children are in
//! care proceedings (court work), and a few pairs of children held by the
//! same worker are recorded as siblings, so the sibling reduction shows.
//! Twelve weeks of snapshot history are made up from the loads on the day,
//! rising towards today.

use super::generate::{DEMO_TEAM_NAME, DemoData};
use crate::caseload::iso_week;
use chrono::{NaiveDate, TimeDelta};
use harbour_db::caseload::SnapshotRow;
use harbour_domain::caseload::{
    CaseFacts, CaseType, RiskLevel, WeightingConfig, capacity, in_asye, worker_load,
};
use harbour_domain::codes::Sex;
use harbour_domain::ids::{ChildId, RelationshipId, UserId};
use harbour_domain::model::{Relationship, RelationshipKind};

/// The ASYE worker's demo sign-in.
pub const ASYE_SIGN_IN: &str = "asye_worker@demo.harbour.test";

/// What the loader writes besides the generated data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extras {
    /// Children in care proceedings, and since when.
    pub court_work: Vec<(ChildId, NaiveDate)>,
}

fn current_type(d: &DemoData, i: usize, court: &[(ChildId, NaiveDate)]) -> CaseType {
    let c = &d.children[i];
    let status = c
        .legal_statuses
        .iter()
        .find(|l| l.end_date.is_none())
        .map(|l| l.status.as_str());
    CaseType::from_status(status, court.iter().any(|(id, _)| *id == c.child.id))
}

fn open_worker(d: &DemoData, i: usize) -> Option<UserId> {
    d.children[i]
        .allocations
        .iter()
        .find(|a| a.end_date.is_none())
        .map(|a| a.worker_id)
}

fn load(cfg: &WeightingConfig, d: &DemoData, w: UserId, court: &[(ChildId, NaiveDate)]) -> u32 {
    let facts: Vec<CaseFacts> = (0..d.children.len())
        .filter(|&i| open_worker(d, i) == Some(w))
        .map(|i| CaseFacts {
            case_type: current_type(d, i, court),
            exploitation: RiskLevel::None,
            recent_missing: 0,
            sibling_group: None,
        })
        .collect();
    worker_load(cfg, &facts)
}

/// Shape the generated data for the caseload story; returns what the loader
/// writes besides it.
pub fn shape(d: &mut DemoData, today: NaiveDate, cfg: &WeightingConfig) -> Extras {
    let mut extras = Extras::default();
    // Court work: every seventh looked-after child, since their status began.
    let mut n = 0;
    for c in &d.children {
        if let Some(l) = c.legal_statuses.iter().find(|l| l.end_date.is_none())
            && l.status.as_str() == "CLA"
        {
            n += 1;
            if n % 7 == 0 {
                extras.court_work.push((c.child.id, l.start_date));
            }
        }
    }
    // The ASYE worker in the exploitation team, over their protected cap.
    let team = d
        .teams
        .iter()
        .find(|t| t.name == DEMO_TEAM_NAME)
        .map(|t| t.id);
    // The newly qualified worker the supervision demo signs in as, or else
    // the team's first worker in their ASYE year.
    let asye = d
        .users
        .iter()
        .position(|u| u.email == ASYE_SIGN_IN)
        .or_else(|| {
            d.users.iter().position(|u| {
                u.team_id == team
                    && team.is_some()
                    && in_asye(u.asye_start, today)
                    && !u.email.ends_with("@demo.harbour.test")
            })
        });
    if let Some(ai) = asye {
        d.users[ai].email = ASYE_SIGN_IN.into();
        let (aid, aname, astart) = (
            d.users[ai].id,
            d.users[ai].name.clone(),
            d.users[ai].asye_start.unwrap_or(today),
        );
        let cap = capacity(cfg, d.users[ai].fte_hundredths, true);
        // Colleagues who give children up: experienced, not the demo worker,
        // not the heavy-caseload worker (the one holding the most).
        let team_workers: Vec<UserId> = d
            .users
            .iter()
            .filter(|u| {
                u.team_id == team
                    && u.id != aid
                    && u.asye_start.is_none()
                    && u.role == harbour_domain::Role::SocialWorker
                    && !u.email.ends_with("@demo.harbour.test")
            })
            .map(|u| u.id)
            .collect();
        let count = |d: &DemoData, w: UserId| {
            (0..d.children.len())
                .filter(|&i| open_worker(d, i) == Some(w))
                .count()
        };
        let heavy = team_workers.iter().copied().max_by_key(|&w| count(d, w));
        let givers: Vec<UserId> = team_workers
            .into_iter()
            .filter(|w| Some(*w) != heavy)
            .collect();
        let mut k = 0;
        while load(cfg, d, aid, &extras.court_work) <= cap + cap / 20 && k < d.children.len() {
            let i = k;
            k += 1;
            let Some(w) = open_worker(d, i) else { continue };
            if !givers.contains(&w) || d.children[i].child.restricted {
                continue;
            }
            if let Some(a) = d.children[i]
                .allocations
                .iter_mut()
                .find(|a| a.end_date.is_none())
                && a.start_date >= astart
            {
                a.worker_id = aid;
                a.worker_name = aname.clone();
            }
        }
    }
    // Siblings held by the same worker: the first two unrestricted children
    // of every third worker.
    let workers: Vec<UserId> = d.users.iter().map(|u| u.id).collect();
    for (wi, w) in workers.iter().enumerate() {
        if wi % 3 != 0 {
            continue;
        }
        let held: Vec<usize> = (0..d.children.len())
            .filter(|&i| open_worker(d, i) == Some(*w) && !d.children[i].child.restricted)
            .take(2)
            .collect();
        if let [a, b] = held[..] {
            for (x, y) in [(a, b), (b, a)] {
                let other = d.children[y].child.clone();
                let role = if other.sex == Sex::M {
                    "Brother"
                } else {
                    "Sister"
                };
                let rel = Relationship {
                    // Distinct for each direction: (child, the sibling it names).
                    id: RelationshipId(uuid::Uuid::from_u128(
                        d.children[x].child.id.0.as_u128().rotate_left(64) ^ other.id.0.as_u128(),
                    )),
                    child_id: d.children[x].child.id,
                    kind: RelationshipKind::Family,
                    name: format!("{} {}", other.first_name, other.last_name),
                    role: role.into(),
                    organisation: None,
                    phone: None,
                    parental_responsibility: false,
                };
                d.children[x].relationships.push(rel);
            }
        }
    }
    extras
}

/// Twelve weeks of made-up snapshot history before `today`'s week, from
/// today's rows: caseloads a little lighter the further back, varying by
/// worker, so the trend rises towards today.
pub fn history(today: NaiveDate, now_rows: &[SnapshotRow]) -> Vec<SnapshotRow> {
    let mut out = Vec::new();
    for k in 1..=12i64 {
        let week = iso_week(today - TimeDelta::weeks(k));
        for r in now_rows {
            let wobble = (r.worker_id.as_u128() % 5) as i64;
            // About one child fewer every three weeks back, never below zero.
            let fewer = ((k + wobble) / 3).min(r.children as i64) as i32;
            let per_child = if r.children > 0 {
                r.points as f64 / r.children as f64
            } else {
                0.0
            };
            let children = r.children - fewer;
            out.push(SnapshotRow {
                week: week.clone(),
                children,
                points: (children as f64 * per_child).round() as i32,
                ..r.clone()
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_rises_towards_today() {
        let today: NaiveDate = "2026-11-26".parse().unwrap();
        let row = SnapshotRow {
            week: iso_week(today),
            worker_id: uuid::Uuid::from_u128(5),
            team_id: None,
            asye: false,
            fte_hundredths: 100,
            children: 30,
            points: 150,
            capacity_points: 100,
        };
        let h = history(today, std::slice::from_ref(&row));
        assert_eq!(h.len(), 12);
        assert_eq!(h[0].week, "2026-W47");
        assert!(h.windows(2).all(|w| w[0].children >= w[1].children));
        assert!(h[11].children < 30 && h[11].children > 20);
    }

    #[test]
    fn the_story_holds_on_the_demo_authority() {
        let now = "2026-11-26T10:00:00Z".parse().unwrap();
        let mut d = super::super::generate::generate(super::super::DEMO_SEED, now);
        let today = now.date_naive();
        let cfg = WeightingConfig::default();
        let x = shape(&mut d, today, &cfg);
        assert!(!x.court_work.is_empty());
        // Every relationship id stays unique (the loader inserts them all).
        let mut ids: Vec<_> = d
            .children
            .iter()
            .flat_map(|c| c.relationships.iter().map(|r| r.id.0))
            .collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate relationship ids");
        let asye = d
            .users
            .iter()
            .find(|u| u.email == ASYE_SIGN_IN)
            .expect("an ASYE sign-in");
        let cap = capacity(&cfg, asye.fte_hundredths, true);
        assert!(
            load(&cfg, &d, asye.id, &x.court_work) > cap,
            "ASYE worker over the cap"
        );
    }
}
