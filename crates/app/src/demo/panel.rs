//! The demo authority's exploitation and missing panel: three past meetings
//! with minutes, referrals (two new, two due for review, one not yet due, one
//! closed), actions across the police, a school and health (some done, some
//! open, some overdue, some with partner updates), and the attendance grants
//! and disclosures those meetings made.
//!
//! [`generate`] is pure, like [`super::generate`]: a function of the demo
//! data, a seed and `now`. [`App::load_demo_panel`] writes its output through
//! the storage functions, in the demo's transaction. The demo police partner
//! practitioner's organisation owns the police actions, so that sign-in has
//! actions to update. Every name and detail is invented.

use super::generate::{DemoData, sign_in_email};
use crate::{App, AppResult};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use harbour_db::{Tx, panel as db, records};
use harbour_domain::Role;
use harbour_domain::authz::system_import;
use harbour_domain::calendar;
use harbour_domain::findings::LawfulBasis;
use harbour_domain::ids::*;
use harbour_domain::model::{OrgKind, Share, ShareScope};
use harbour_domain::panel::*;
use uuid::Uuid;

/// The panel history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemoPanel {
    /// The coordinator who ran the meetings.
    pub coordinator: Option<UserId>,
    /// Referrals, in their final state.
    pub referrals: Vec<Referral>,
    /// Meetings, oldest first.
    pub meetings: Vec<Meeting>,
    /// Attendees.
    pub attendees: Vec<Attendee>,
    /// Discussions.
    pub discussions: Vec<Discussion>,
    /// Actions.
    pub actions: Vec<PanelAction>,
    /// Attendance grants (summary shares with an end date).
    pub shares: Vec<Share>,
    /// The disclosures those grants made.
    pub disclosures: Vec<Disclosure>,
}

/// A deterministic id from the seed and a counter (no outside randomness).
fn id(seed: u64, n: u64) -> Uuid {
    Uuid::from_u128((u128::from(seed) << 64) | u128::from(0x5041_4e45_0000_0000 | n))
}

const REASONS: [&str; 8] = [
    "Three missing episodes in a month; found out of area in a car with an older male. Return interview describes gifts and a new phone.",
    "School report: collected at the gates by older associates; cannabis found in bag; attendance falling.",
    "Found by police at an address of concern near the town centre with two other young people known to the panel.",
    "Sexualised online contact with an adult; missing overnight twice; disclosed staying at a hotel.",
    "Police intelligence links to a county line; found with cash and two phones in another town.",
    "Repeat missing from placement; peer group linked to a flat of concern; injuries unexplained.",
    "Concerns from health: repeat sexual health clinic visits; older boyfriend; missing from school.",
    "Carer reports controlling relationship and unexplained money; disclosed debt to older peers.",
];

const DISCUSSIONS: [&str; 4] = [
    "Police shared intelligence about the address and the vehicle. School reported reduced attendance. Health confirmed a clinic visit. Social worker described the child's account and the carer's worries.",
    "Episodes have reduced since the last panel. Child engaging with the youth worker; police disruption visit completed. School plan in place and attendance improving.",
    "Two further missing episodes since the last panel; found out of area each time. Links to two other children known to the panel. Carer finding the evenings hard.",
    "Child has a new peer group through college; no missing episodes for six weeks. Agencies agree risk has reduced but want one more review.",
];

/// A child discussed at a demo meeting: referral index, risk, discussion text index.
type Item = (usize, RiskLevel, usize);

/// Build the panel history. Pure.
pub fn generate(data: &DemoData, seed: u64, now: DateTime<Utc>) -> DemoPanel {
    let mut out = DemoPanel::default();
    let today = calendar::london_date(now);
    let Some(coordinator) = data
        .users
        .iter()
        .find(|u| u.email == sign_in_email(Role::PanelCoordinator))
    else {
        return out;
    };
    out.coordinator = Some(coordinator.id);
    let org_of = |k: OrgKind| data.orgs.iter().find(|o| o.kind == k);
    let police = data
        .users
        .iter()
        .find(|u| u.email == sign_in_email(Role::PartnerPractitioner))
        .and_then(|u| data.orgs.iter().find(|o| o.id == u.org_id))
        .or_else(|| org_of(OrgKind::Police));
    let (Some(police), Some(school), Some(health)) =
        (police, org_of(OrgKind::Education), org_of(OrgKind::Health))
    else {
        return out;
    };
    let demo_sw = data
        .users
        .iter()
        .find(|u| u.email == sign_in_email(Role::SocialWorker))
        .map(|u| u.id);
    // Children aged 11 to 17 with an allocated worker; the demo social
    // worker's second child (the first is kept for the missing journey)
    // first, so that sign-in sees a panel history.
    let age = |dob: NaiveDate| today.years_since(dob).unwrap_or(0);
    let worker = |c: &super::generate::DemoChild| {
        c.allocations
            .iter()
            .find(|a| a.end_date.is_none())
            .map(|a| a.worker_id)
    };
    let mut eligible: Vec<&super::generate::DemoChild> = data
        .children
        .iter()
        .filter(|c| (11..=17).contains(&age(c.child.dob)) && worker(c).is_some())
        .filter(|c| !c.child.restricted)
        .collect();
    let mut mine: Vec<&super::generate::DemoChild> = eligible
        .iter()
        .copied()
        .filter(|c| worker(c) == demo_sw)
        .collect();
    mine.sort_by(|a, b| {
        (&a.child.last_name, &a.child.first_name).cmp(&(&b.child.last_name, &b.child.first_name))
    });
    let featured = mine.get(1).copied();
    eligible.retain(|c| Some(c.child.id) != featured.map(|f| f.child.id));
    let offset = (seed % 7) as usize;
    let mut picked: Vec<&super::generate::DemoChild> = featured.into_iter().collect();
    picked.extend(
        eligible
            .iter()
            .skip(offset)
            .step_by(3)
            .take(8 - picked.len()),
    );
    if picked.len() < 8 {
        return out;
    }
    let mut n = 0u64;
    let mut next = || {
        n += 1;
        id(seed, n)
    };
    let at = |d: NaiveDate, h: u32| d.and_hms_opt(h, 0, 0).map(|t| t.and_utc()).unwrap_or(now);
    let cfg = PanelConfig::default();
    // (child index, days ago referred, risk at referral)
    let plan: [(usize, i64, RiskLevel); 8] = [
        (0, 84, RiskLevel::High),
        (1, 80, RiskLevel::Medium),
        (2, 78, RiskLevel::Low),
        (3, 50, RiskLevel::Medium),
        (4, 48, RiskLevel::High),
        (5, 5, RiskLevel::High),
        (6, 2, RiskLevel::Medium),
        (7, 76, RiskLevel::Medium),
    ];
    for (i, days, risk) in plan {
        let c = &picked[i].child;
        let by = worker(picked[i]).unwrap_or(coordinator.id);
        out.referrals.push(Referral {
            id: next(),
            child_id: c.id,
            child_name: format!("{} {}", c.first_name, c.last_name),
            panel_type: PanelType::Mace,
            referred_by: by,
            referred_by_name: String::new(),
            referred_at: at(today - Duration::days(days), 10).min(now),
            reason: REASONS[i].into(),
            risk,
            basis: LawfulBasis::PublicTaskSafeguarding,
            consent: if i % 3 == 0 {
                "Not sought: asking would increase the risk to the child".into()
            } else {
                "Discussed with the child and carer, who agreed".into()
            },
            next_review: None,
            first_discussed: None,
            closed_at: None,
            closure_reason: None,
        });
    }
    // Meetings 70, 42 and 14 days ago: (days ago, [(referral index, risk, discussion text)]).
    let meetings: [(i64, &[Item]); 3] = [
        (
            70,
            &[
                (0, RiskLevel::High, 0),
                (1, RiskLevel::Medium, 0),
                (2, RiskLevel::Low, 0),
                (7, RiskLevel::Medium, 0),
            ],
        ),
        (
            42,
            &[
                (0, RiskLevel::High, 2),
                (3, RiskLevel::Medium, 0),
                (4, RiskLevel::High, 0),
            ],
        ),
        (14, &[(0, RiskLevel::High, 2), (4, RiskLevel::Medium, 1)]),
    ];
    let chair = "DI Rowe (police) and Priya Shah (exploitation team manager)";
    for (days, items) in meetings {
        let held_on = today - Duration::days(days);
        let m = Meeting {
            id: next(),
            panel_type: PanelType::Mace,
            held_on,
            chair: chair.into(),
            created_by: coordinator.id,
            created_at: at(held_on - Duration::days(7), 9).min(now),
        };
        for (org, name) in [
            (Some(police), "DC Amir Khan"),
            (Some(school), "Jo Barker, designated safeguarding lead"),
            (Some(health), "Nurse Lyn Ellis"),
            (None, coordinator.name.as_str()),
        ] {
            out.attendees.push(Attendee {
                id: next(),
                meeting_id: m.id,
                org_id: org.map(|o| o.id),
                name: name.into(),
                agency: org.map_or("Children's social care".into(), |o| o.name.clone()),
            });
        }
        for (k, &(ri, risk, text)) in items.iter().enumerate() {
            let review = next_review(held_on, risk, &cfg);
            let (rid, child_id, child_name) = {
                let r = &mut out.referrals[ri];
                r.risk = risk;
                r.next_review = Some(review);
                r.first_discussed.get_or_insert(held_on);
                (r.id, r.child_id, r.child_name.clone())
            };
            let decisions = match risk {
                RiskLevel::High => {
                    "Remain at high risk. Police to disrupt the address and consider a child abduction warning notice; school to agree a safe transport plan; health to offer a clinic appointment."
                }
                RiskLevel::Medium => {
                    "Medium risk. Continue the plan; school to keep the attendance plan; review at the next panel."
                }
                RiskLevel::Low => {
                    "Low risk. Universal services with the social worker's plan; review in twelve weeks."
                }
            };
            out.discussions.push(Discussion {
                id: next(),
                meeting_id: m.id,
                held_on,
                panel_type: m.panel_type,
                referral_id: rid,
                child_id,
                child_name,
                discussion: DISCUSSIONS[text].into(),
                risk,
                decisions: decisions.into(),
                next_review: review,
                recorded_by: coordinator.id,
                recorded_at: at(held_on, 12).min(now),
            });
            let due = held_on + Duration::days(14 + 7 * (k as i64 % 2));
            let old = days > 30;
            let acts: Vec<(ActionKind, &str, OrgId)> = match risk {
                RiskLevel::High => vec![
                    (
                        if k % 2 == 0 {
                            ActionKind::PoliceOperation
                        } else {
                            ActionKind::Cawn
                        },
                        if k % 2 == 0 {
                            "Disruption visit to the address of concern; share the outcome with the social worker"
                        } else {
                            "Consider and, if agreed, serve a child abduction warning notice on the adult named"
                        },
                        police.id,
                    ),
                    (
                        ActionKind::SchoolPlan,
                        "Safe transport and attendance plan with the child and carer",
                        school.id,
                    ),
                    (
                        ActionKind::Other,
                        "Offer a sexual health and wellbeing appointment",
                        health.id,
                    ),
                ],
                RiskLevel::Medium => vec![
                    (
                        ActionKind::PoliceOperation,
                        "Add the vehicle to police briefings; report sightings to the social worker",
                        police.id,
                    ),
                    (
                        ActionKind::SchoolPlan,
                        "Review the attendance plan at half term",
                        school.id,
                    ),
                ],
                RiskLevel::Low => {
                    vec![(ActionKind::SchoolPlan, "Mentor check-ins weekly", school.id)]
                }
            };
            for (j, (kind, what, org)) in acts.into_iter().enumerate() {
                // Older meetings' actions are mostly done; one police action
                // from the middle meeting is left open and overdue.
                let (status, notes) = if old && !(days == 42 && j == 0 && k == 0) {
                    (
                        ActionStatus::Done,
                        "Completed and reported to the panel.".to_string(),
                    )
                } else if j == 1 && !old {
                    (
                        ActionStatus::InProgress,
                        "First meeting held with the child and carer; plan drafted.".into(),
                    )
                } else {
                    (ActionStatus::Open, String::new())
                };
                out.actions.push(PanelAction {
                    id: next(),
                    meeting_id: m.id,
                    referral_id: rid,
                    child_id,
                    child_name: String::new(),
                    kind,
                    description: what.into(),
                    owner_org: Some(org),
                    owner_org_name: None,
                    owner_user: None,
                    owner_user_name: None,
                    due_on: due,
                    status,
                    notes,
                    updated_at: (status != ActionStatus::Open)
                        .then(|| at(due - Duration::days(2), 15).min(now)),
                });
            }
            // Attendance grants: the partners present see the summary until the review.
            for o in [police, school, health] {
                let end = attendance_grant_end(held_on, Some(review), &cfg);
                let reason = format!(
                    "Attended the exploitation and missing panel on {}: summary until the next review",
                    held_on.format("%-d %B %Y")
                );
                out.shares.push(Share {
                    id: ShareId(next()),
                    child_id,
                    org_id: o.id,
                    org_name: o.name.clone(),
                    scope: ShareScope::Summary,
                    reason: reason.clone(),
                    granted_by: coordinator.id,
                    granted_at: at(held_on, 12).min(now),
                    expires_at: end.and_hms_opt(23, 59, 59).map(|t| t.and_utc()),
                });
                out.disclosures.push(Disclosure {
                    id: next(),
                    child_id,
                    child_name: String::new(),
                    outcome: DisclosureOutcome::Shared,
                    recipient_org: Some(o.id),
                    recipient: o.name.clone(),
                    what: format!(
                        "Panel discussion and the child's summary until {}",
                        end.format("%-d %B %Y")
                    ),
                    why: reason,
                    basis: Some(LawfulBasis::PublicTaskSafeguarding),
                    decided_by: coordinator.id,
                    decided_by_name: String::new(),
                    decided_at: at(held_on, 12).min(now),
                    source: "panel".into(),
                });
            }
        }
        out.meetings.push(m);
    }
    // The eighth child's referral closed after the first meeting.
    let closed = &mut out.referrals[7];
    closed.closed_at = Some(at(today - Duration::days(60), 11).min(now));
    closed.closure_reason =
        Some("Risk reduced: settled in placement, no missing episodes for eight weeks".into());
    // A refusal, recorded as the guidance asks.
    let r0 = &out.referrals[0];
    out.disclosures.push(Disclosure {
        id: next(),
        child_id: r0.child_id,
        child_name: String::new(),
        outcome: DisclosureOutcome::Refused,
        recipient_org: None,
        recipient: "A neighbour's housing association".into(),
        what: "Asked for the child's address history and missing episodes".into(),
        why: "Not shared: no safeguarding role, and sharing could put the child at greater risk"
            .into(),
        basis: None,
        decided_by: coordinator.id,
        decided_by_name: String::new(),
        decided_at: at(today - Duration::days(20), 14).min(now),
        source: "request".into(),
    });
    out
}

impl App {
    /// Write the panel history in the demo's transaction. Returns the
    /// number of referrals loaded.
    pub(super) async fn load_demo_panel(&self, tx: &mut Tx, p: &DemoPanel) -> AppResult<usize> {
        for r in &p.referrals {
            let ok = system_import(r.child_id);
            db::insert_referral(tx, &ok, r).await?;
        }
        for m in &p.meetings {
            db::insert_meeting(tx, m).await?;
        }
        for a in &p.attendees {
            db::insert_attendee(tx, a).await?;
        }
        for d in &p.discussions {
            db::insert_discussion(tx, &system_import(d.child_id), d).await?;
        }
        for r in &p.referrals {
            let ok = system_import(r.child_id);
            if let (Some(next), Some(first)) = (r.next_review, r.first_discussed) {
                db::review_referral(tx, &ok, r.id, r.risk, next, first).await?;
            }
            if let (Some(at), Some(why)) = (r.closed_at, &r.closure_reason) {
                let by = p.coordinator.unwrap_or(r.referred_by);
                db::close_referral(tx, &ok, r.id, at, by, why).await?;
            }
        }
        for a in &p.actions {
            let ok = system_import(a.child_id);
            db::insert_action(tx, &ok, a, a.updated_at.unwrap_or_default()).await?;
            if let (Some(at), Some(by)) = (a.updated_at, p.coordinator) {
                db::update_action(tx, a.id, a.status, &a.notes, by, at).await?;
            }
        }
        for s in &p.shares {
            records::insert_share(tx, &system_import(s.child_id), s).await?;
        }
        for d in &p.disclosures {
            db::insert_disclosure(tx, &system_import(d.child_id), d).await?;
        }
        Ok(p.referrals.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_panel_has_what_a_new_user_needs() {
        let now: DateTime<Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        let data = super::super::generate::generate(super::super::DEMO_SEED, now);
        let p = generate(&data, super::super::DEMO_SEED, now);
        assert_eq!(p, generate(&data, super::super::DEMO_SEED, now));
        assert_eq!(p.meetings.len(), 3);
        let today = calendar::london_date(now);
        let agenda = build_agenda(&p.referrals, PanelType::Mace, today);
        let new = agenda
            .iter()
            .filter(|a| a.reason == AgendaReason::NewReferral)
            .count();
        let due = agenda.len() - new;
        assert_eq!(new, 2, "{agenda:?}");
        assert!(due >= 2, "{agenda:?}");
        assert!(p.actions.iter().any(|a| a.overdue(&today)));
        assert!(p.actions.iter().any(|a| a.status == ActionStatus::Done));
        let partner = data
            .users
            .iter()
            .find(|u| u.email == sign_in_email(Role::PartnerPractitioner))
            .unwrap();
        assert!(
            p.actions
                .iter()
                .any(|a| a.owner_org == Some(partner.org_id) && a.status != ActionStatus::Done)
        );
        assert!(p.referrals.iter().any(|r| r.closed_at.is_some()));
        assert!(p.shares.iter().all(|s| s.expires_at.is_some()));
        assert!(
            p.disclosures
                .iter()
                .any(|d| d.outcome == DisclosureOutcome::Refused)
        );
        for x in &p.discussions {
            assert!(x.recorded_at <= now && x.held_on <= today);
        }
    }
}
