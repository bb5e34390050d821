//! Demo: the SSDA903 details of the demo authority's looked-after children,
//! so that its return passes the DfE rules and the data-quality page has a
//! little to show.
//!
//! [`shape`] runs on the generated data before it is stored: it brings
//! placements in line with the 2025-26 code lists and the DfE's provider and
//! age rules, splits a care order into its interim and full stages, and
//! decides each period of care's legal status, category of need, reason it
//! ended and home postcode, and each placement's reason for change and
//! Ofsted URN. It draws nothing from the generator's random stream (choices
//! come from a hash of the record's id), so every other demo story is
//! unchanged. The demo's return is clean (the DfE validator finds no
//! errors; `scripts/test.sh` checks it), so the data-quality page starts
//! empty on the demo and fills as soon as a record is changed badly.

use chrono::{Duration, NaiveDate};
use harbour_domain::codes::{LegalStatusKind, Sex};
use harbour_domain::ids::{AllocationId, LegalStatusId, TeamId, UserId};
use harbour_domain::model::{Allocation, LegalStatusPeriod, Placement};
use harbour_domain::rules::age_on;

use super::generate::{DemoData, HOME_LA};

/// (legal status id, LS, CIN, REC, home postcode).
pub type StatusDetails = (
    uuid::Uuid,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Details to write once the rows exist.
#[derive(Clone, Debug, Default)]
pub struct Details {
    /// (legal status id, LS, CIN, REC, home postcode).
    pub statuses: Vec<StatusDetails>,
    /// (placement id, reason for change, URN).
    pub placements: Vec<(uuid::Uuid, Option<String>, Option<String>)>,
}

fn pick(id: uuid::Uuid, salt: u128, n: usize) -> usize {
    let x = id.as_u128() ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let h = (x ^ (x >> 61) ^ (x >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    ((h >> 17) % n as u128) as usize
}

/// A placement type valid in 2025-26, fit for the child's age, with a
/// provider the rules allow for it.
fn fix_place(p: &mut Placement, age: u32) {
    let place = match p.place_code.as_str() {
        "H5" | "P2" => {
            if age >= 16 {
                "K3"
            } else {
                "U6"
            }
        }
        "K3" if age < 16 => "U6",
        "Z1" => "U6",
        "S1" if age < 4 => "U6",
        "P3" if age < 14 => "U6",
        "R5" if age < 10 => "U6",
        other => other,
    }
    .to_string();
    let provider = match place.as_str() {
        "P1" => "PR0",
        "R2" => "PR3",
        "R5" => "PR3",
        "K1" | "K2" | "U1" | "U2" | "U3" | "U4" | "U5" | "U6" | "A3" | "A4" | "A5" | "A6"
            if matches!(p.provider_code.as_str(), "PR0" | "PR3") =>
        {
            "PR1"
        }
        _ if p.provider_code == "PR0" => "PR1",
        _ => p.provider_code.as_str(),
    }
    .to_string();
    p.place_code = place;
    p.provider_code = provider;
}

/// Shape the generated data (see the module comment); returns the details
/// to write after the rows are stored.
pub fn shape(data: &mut DemoData, today: NaiveDate) -> Details {
    let mut out = Details::default();
    let managers: Vec<(TeamId, UserId, String)> = data
        .teams
        .iter()
        .filter_map(|t| {
            let m = t.manager_id?;
            let name = data.users.iter().find(|u| u.id == m)?.name.clone();
            Some((t.id, m, name))
        })
        .collect();
    for dc in &mut data.children {
        if dc.child.responsible_la != HOME_LA {
            continue;
        }
        if !dc
            .legal_statuses
            .iter()
            .any(|l| l.status == LegalStatusKind::Cla)
        {
            continue;
        }
        let dob = dc.child.dob;
        // A looked-after child always has an allocated worker (Care Planning
        // Regulations 2010): where the generator left one unallocated, the
        // team manager holds the case pending allocation (SW_REASON MANAGE),
        // as the generator does for earlier gaps. The return needs an open
        // social worker episode at 31 March (SW17STG2).
        let looked_after_now = dc
            .legal_statuses
            .iter()
            .any(|l| l.status == LegalStatusKind::Cla && l.end_date.is_none());
        let unallocated = !dc.allocations.iter().any(|a| a.end_date.is_none());
        if let Some(last) = dc
            .allocations
            .last()
            .cloned()
            .filter(|_| looked_after_now && unallocated)
        {
            {
                let team = last.team_id;
                if let Some((t, m, name)) = managers
                    .iter()
                    .find(|(t, _, _)| Some(*t) == team)
                    .or(managers.first())
                {
                    let start = last.end_date.unwrap_or(today);
                    dc.allocations.push(Allocation {
                        id: AllocationId(uuid::Uuid::from_u128(last.id.0.as_u128() ^ 0x903a_110c)),
                        worker_id: *m,
                        worker_name: name.clone(),
                        team_id: Some(*t),
                        start_date: start,
                        end_date: None,
                        sw_reason: "MANAGE".into(),
                        recorded_at: last.recorded_at.max(
                            start
                                .and_hms_opt(10, 0, 0)
                                .map(|t| t.and_utc())
                                .unwrap_or(last.recorded_at),
                        ),
                        ..last
                    });
                }
            }
        }
        // The return queries sex "not known" for a looked-after child (232).
        if dc.child.sex == Sex::U {
            dc.child.sex = if pick(dc.child.id.0, 17, 2) == 0 {
                Sex::F
            } else {
                Sex::M
            };
        }
        for p in &mut dc.placements {
            fix_place(p, age_on(dob, p.start_date));
            // Own provision is inside the authority's own area (rule 1015).
            if p.provider_code == "PR1" && p.area_la != HOME_LA {
                p.provider_code = "PR4".into();
            }
        }
        // Split long care-order periods into an interim then a full order.
        let mut split = Vec::new();
        for (i, l) in dc.legal_statuses.iter().enumerate() {
            if l.status != LegalStatusKind::Cla {
                continue;
            }
            let end = l.end_date.unwrap_or(today);
            let had_cp = i > 0 && dc.legal_statuses[i - 1].status == LegalStatusKind::Cp;
            if had_cp && (end - l.start_date).num_days() > 150 {
                split.push(i);
            }
        }
        for &i in split.iter().rev() {
            let l = dc.legal_statuses[i].clone();
            let mid = l.start_date + Duration::days(84 + pick(l.id.0, 7, 40) as i64);
            let mut first = l.clone();
            first.end_date = Some(mid);
            let second = LegalStatusPeriod {
                id: LegalStatusId(uuid::Uuid::from_u128(l.id.0.as_u128() ^ 0x5da9_0300)),
                start_date: mid,
                ..l
            };
            dc.legal_statuses[i] = first;
            dc.legal_statuses.insert(i + 1, second);
        }
        let home_post = dc.addresses.first().map(|a| a.postcode.clone()).map(|pc| {
            // Home and placement postcodes differ unless placed at home (392d).
            let clash = dc
                .placements
                .iter()
                .any(|p| p.postcode == pc && p.place_code != "P1");
            match super::postcodes::REAL_POSTCODES
                .iter()
                .find(|(_, l)| l.contains(&pc.as_str()))
            {
                Some((_, l)) if clash => {
                    let k = l.iter().position(|x| *x == pc).unwrap_or(0);
                    l[(k + 1) % l.len()].to_string()
                }
                _ => pc,
            }
        });
        let n = dc.legal_statuses.len();
        let mut period_cin = "N1";
        for i in 0..n {
            let l = &dc.legal_statuses[i];
            if l.status != LegalStatusKind::Cla {
                continue;
            }
            let prev_cla = i > 0 && dc.legal_statuses[i - 1].status == LegalStatusKind::Cla;
            let next = dc.legal_statuses.get(i + 1);
            let next_cla = next.is_some_and(|x| x.status == LegalStatusKind::Cla);
            let had_cp = i > 0 && dc.legal_statuses[i - 1].status == LegalStatusKind::Cp;
            let ls = if next_cla {
                "C1"
            } else if prev_cla || had_cp {
                "C2"
            } else {
                "V2"
            };
            // One category of need for the whole period of care (rule 504).
            if !prev_cla {
                period_cin = ["N1", "N1", "N1", "N4", "N5", "N2", "N8"][pick(l.id.0, 3, 7)];
            }
            let cin = period_cin;
            let rec = match (l.end_date, next.map(|x| x.status)) {
                (None, _) => None,
                (Some(_), Some(LegalStatusKind::Cla)) => None,
                (Some(e), Some(LegalStatusKind::CareLeaver)) => Some(if age_on(dob, e) >= 18 {
                    ["E17", "E5", "E8"][pick(l.id.0, 5, 3)]
                } else {
                    "E8"
                }),
                (Some(_), _) => Some(["E4A", "E4A", "E13", "E41"][pick(l.id.0, 5, 4)]),
            };
            out.statuses.push((
                l.id.0,
                Some(ls.to_string()),
                Some(cin.to_string()),
                rec.map(str::to_string),
                home_post.clone(),
            ));
        }
        let m = dc.placements.len();
        for k in 0..m {
            let p = &dc.placements[k];
            let next_starts_same_day = dc
                .placements
                .get(k + 1)
                .is_some_and(|q| Some(q.start_date) == p.end_date);
            let temporary = p.place_code.starts_with('T');
            let reason = (next_starts_same_day && !temporary).then(|| {
                ["CARPL", "CHILD", "CREQB", "PLACE", "LAREQ", "CREQO"][pick(p.id.0, 11, 6)]
                    .to_string()
            });
            let urn = (!harbour_domain::ssda903::episodes::NO_URN_PLACES
                .contains(&p.place_code.as_str())
                && p.provider_code != "PR0")
                .then(|| format!("{:07}", 1_000_000 + pick(p.id.0, 13, 8_999_999)));
            out.placements.push((p.id.0, reason, urn));
        }
    }
    out
}
