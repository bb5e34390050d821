//! Demo out-of-hours work, a pure function of the generated data, the
//! missing history and `now`, so an EDT worker signing in (at night or by
//! day) meets a realistic picture:
//!
//! - three of the demo social worker's children in placements carry day-team
//!   alerts for EDT ("if … tonight, do …") ending in the next days, with a
//!   safety plan each; one older alert has expired and no longer shows;
//! - contacts from the last hours (a placement in crisis, with placement
//!   support given; a police call about a child found) wait for the day
//!   team's acknowledgement;
//! - a contact four days ago was never acknowledged, so it is past due and
//!   escalated to the team manager; one three days ago was acknowledged;
//! - a contact about an unallocated child waits in the team managers' duty
//!   queue;
//! - a placement stability concern is linked to the child's latest missing
//!   episode.

use super::generate::{DemoData, sign_in_email};
use super::missing::DemoMissing;
use chrono::{DateTime, Duration, Utc};
use harbour_domain::Role;
use harbour_domain::calendar::{self, WorkingCalendar};
use harbour_domain::codes::Sex;
use harbour_domain::edt::*;
use harbour_domain::ids::*;
use uuid::Uuid;

/// What the loader writes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemoEdt {
    /// Safety plans.
    pub plans: Vec<SafetyPlan>,
    /// Alerts (active and expired).
    pub alerts: Vec<EdtAlert>,
    /// Contacts.
    pub contacts: Vec<OohContact>,
    /// Their handovers, with who acknowledged (and when) where they did.
    pub handovers: Vec<(Handover, Option<UserId>)>,
    /// Placement support.
    pub support: Vec<PlacementSupport>,
}

fn id(n: u128) -> Uuid {
    // Fixed, time-ordered-looking ids (UUIDv7 layout).
    Uuid::from_u128(0x0194_1f29_7c00_7000_8000_0ed7_0000_0000 | n)
}

/// Plan the demo's out-of-hours records.
pub fn generate(data: &DemoData, history: &DemoMissing, now: DateTime<Utc>) -> DemoEdt {
    let cal = WorkingCalendar::england_and_wales();
    let ten = chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default();
    let user = |role| {
        data.users
            .iter()
            .find(|u| u.email == sign_in_email(role))
            .cloned()
    };
    let (Some(edt), Some(worker), Some(manager)) = (
        user(Role::EdtWorker),
        user(Role::SocialWorker),
        user(Role::TeamManager),
    ) else {
        return DemoEdt::default();
    };
    let missing_now = history.missing_now();
    let placed = |c: &&super::generate::DemoChild| {
        c.placements.iter().any(|p| p.end_date.is_none())
            && !missing_now.contains(&c.child.id)
            && !c.child.restricted
    };
    let allocated_to = |c: &&super::generate::DemoChild, w: UserId| {
        c.allocations
            .iter()
            .any(|a| a.end_date.is_none() && a.worker_id == w)
    };
    // The worker's placed children, those with a Philomena profile and a
    // missing history first (the alerts and plans talk about both); the
    // texts are written for a girl, a boy and a girl.
    let mut pool: Vec<_> = data
        .children
        .iter()
        .filter(placed)
        .filter(|c| allocated_to(c, worker.id))
        .collect();
    pool.sort_by_key(|c| {
        (
            c.philomena.is_empty(),
            history.for_child(c.child.id).is_empty(),
        )
    });
    let mut mine: Vec<&super::generate::DemoChild> = Vec::new();
    for want in [Sex::F, Sex::M, Sex::F, Sex::M] {
        let pick = pool.iter().position(|c| c.child.sex == want).unwrap_or(0);
        if pick < pool.len() {
            mine.push(pool.remove(pick));
        }
    }
    let unallocated = data
        .children
        .iter()
        .filter(placed)
        .find(|c| c.allocations.iter().all(|a| a.end_date.is_some()));
    if mine.len() < 4 {
        return DemoEdt::default();
    }
    let mut d = DemoEdt::default();
    let mut n = 0u128;
    let mut next = || {
        n += 1;
        id(n)
    };
    let carer = |c: &super::generate::DemoChild| {
        c.placements
            .iter()
            .find(|p| p.end_date.is_none())
            .map(|p| p.carer_name.clone())
            .unwrap_or_default()
    };

    // Safety plans and alerts from the day team.
    let plans = [
        "Triggers: contact from older males online, arguments about phone use. Calms with music and time alone; trusts her foster carer and her nan. If she goes missing: carers ring police at once (high risk after 22:00), check Hanley bus station and the retail park.",
        "Triggers: news about his mum, being told no about money. Do not confront; give space and offer food. If he is not home by 21:00: carers ring his mobile, then police; known to go to a friend's flat on Birches Head Road.",
        "Triggers: contact with her brother's friends. Keep her phone charged and on. If she goes missing: police straight away; check the takeaway on Leek Road; her nan will collect her at any hour.",
    ];
    let alerts = [
        (
            "she goes missing tonight",
            "ring the police missing person coordinator on 01782 555010 and give the car registration in her Philomena profile; do not wait for the carers' usual checks",
        ),
        (
            "the placement rings to say he will not come in",
            "do not move him tonight; the placement support team will go out (duty number 01782 555020) and the manager has agreed a taxi home",
        ),
        (
            "her brother turns up at the placement",
            "he must not take her out: call the police and tell the carers they can refuse him entry; his bail conditions forbid contact",
        ),
    ];
    for (i, c) in mine.iter().take(3).enumerate() {
        d.plans.push(SafetyPlan {
            child_id: c.child.id,
            version: 1,
            plan: plans[i].replace(
                "her foster carer",
                &format!("her foster carer ({})", carer(c)),
            ),
            agreed_with: format!("{}, {} and the police", c.child.first_name, carer(c)),
            recorded_by: worker.id,
            recorded_by_name: worker.name.clone(),
            recorded_at: calendar::from_london(
                (calendar::london_date(now) - Duration::days(12 + i as i64))
                    .and_hms_opt(14, 20, 0)
                    .unwrap_or_default(),
            ),
        });
        d.alerts.push(EdtAlert {
            id: next(),
            child_id: c.child.id,
            if_happens: alerts[i].0.into(),
            then_do: alerts[i].1.into(),
            expires_at: now + Duration::days(2 + i as i64),
            created_by: if i == 1 { manager.id } else { worker.id },
            created_by_name: if i == 1 {
                manager.name.clone()
            } else {
                worker.name.clone()
            },
            created_at: now - Duration::hours(6 + 20 * i as i64),
            withdrawn_at: None,
        });
    }
    // An older alert that has expired (kept on the record, not shown to EDT).
    d.alerts.push(EdtAlert {
        id: next(),
        child_id: mine[3].child.id,
        if_happens: "he calls about his court date".into(),
        then_do: "reassure him the solicitor will ring in the morning".into(),
        expires_at: now - Duration::days(3),
        created_by: worker.id,
        created_by_name: worker.name.clone(),
        created_at: now - Duration::days(10),
        withdrawn_at: None,
    });

    // Contacts: (child, hours ago, caller, agency, kind, reported, agencies, actions, outcome, placement support, acknowledged by the worker after hours).
    struct C<'a> {
        child: ChildId,
        hours_ago: i64,
        caller: &'a str,
        agency: &'a str,
        kind: ContactKind,
        reported: String,
        agencies: &'a str,
        actions: &'a str,
        outcome: &'a str,
        support: bool,
        ack: Option<(i64, &'a str)>,
    }
    let carers: Vec<String> = mine.iter().map(|c| carer(c)).collect();
    let mut cs = vec![
        C {
            child: mine[1].child.id,
            hours_ago: 2,
            caller: &carers[1],
            agency: "Carer",
            kind: ContactKind::Placement,
            reported: format!(
                "{} came in at 23:30 very distressed after a phone call, smashed a window and said he would not stay. Carer says she cannot manage him tonight.",
                mine[1].child.first_name
            ),
            agencies: "Placement support team",
            actions: "Checked the record and the day team's alert. Spoke to him by phone; the placement support worker visited at 00:40 and stayed until he settled.",
            outcome: "Settled and asleep at the placement. Carer wants a placement stability meeting this week.",
            support: true,
            ack: None,
        },
        C {
            child: mine[2].child.id,
            hours_ago: 5,
            caller: "PC Amir Hussain",
            agency: "Staffordshire Police control room",
            kind: ContactKind::Found,
            reported: format!(
                "{} was found by officers near the takeaway on Leek Road at 21:50 with two older males, one known to police.",
                mine[2].child.first_name
            ),
            agencies: "Police",
            actions: "Checked the safety plan; asked officers to take her home. Rang her nan, who went to the placement.",
            outcome: "Home at 22:30. Return home interview to offer; intelligence to the police missing coordinator.",
            support: false,
            ack: None,
        },
        C {
            child: mine[0].child.id,
            hours_ago: 24 * 3 + 3,
            caller: &carers[0],
            agency: "Carer",
            kind: ContactKind::Advice,
            reported: "Asked whether she may stay overnight with her nan at the weekend.".into(),
            agencies: "",
            actions: "Checked the care plan: overnight stays with her nan are agreed.",
            outcome: "Told the carers she may stay; the day team to confirm the arrangement.",
            support: false,
            ack: Some((
                24 * 3 - 9,
                "Confirmed the stay with her nan and the carers.",
            )),
        },
        C {
            child: mine[3].child.id,
            hours_ago: 24 * 4 + 2,
            caller: "Out-of-hours GP",
            agency: "Health",
            kind: ContactKind::ChildProtection,
            reported: format!(
                "{} attended with a cut to his hand; he said an older boy did it. The GP was worried about who he was with.",
                mine[3].child.first_name
            ),
            agencies: "Health, police",
            actions: "Spoke to the GP and the police; no immediate risk at the placement.",
            outcome: "Back at the placement. Day team to consider a strategy discussion.",
            support: false,
            ack: None,
        },
    ];
    if let Some(u) = unallocated {
        cs.push(C {
            child: u.child.id,
            hours_ago: 26,
            caller: "Children's home manager",
            agency: "Children's home",
            kind: ContactKind::Placement,
            reported: format!(
                "{} was verbally abusive to staff and damaged a door; staff asked whether she must move.",
                u.child.first_name
            ),
            agencies: "Placement support team",
            actions: "Advised the home; the placement support team rang the home at 20:15.",
            outcome: "Calm by 21:00. No move tonight; needs an allocated worker.",
            support: true,
            ack: None,
        });
    }
    for c in cs {
        let received_at = now - Duration::hours(c.hours_ago);
        let recorded_at = received_at + Duration::minutes(40);
        let contact = OohContact {
            id: next(),
            child_id: c.child,
            received_at,
            caller: c.caller.into(),
            caller_agency: c.agency.into(),
            kind: c.kind,
            reported: c.reported,
            agencies: c.agencies.into(),
            actions: c.actions.into(),
            outcome: c.outcome.into(),
            placement_support: c.support,
            missing_episode_id: None,
            recorded_by: edt.id,
            recorded_by_name: edt.name.clone(),
            recorded_at,
        };
        let team = data
            .children
            .iter()
            .find(|x| x.child.id == c.child)
            .and_then(|x| x.allocations.iter().find(|a| a.end_date.is_none()))
            .and_then(|a| a.team_id);
        let due_at = handover_due(recorded_at, &cal, ten);
        let (acknowledged_at, note, by) = match c.ack {
            Some((hours_ago, note)) => (
                Some((now - Duration::hours(hours_ago)).min(due_at)),
                Some(note.to_string()),
                Some(worker.id),
            ),
            None => (None, None, None),
        };
        d.handovers.push((
            Handover {
                id: next(),
                contact_id: contact.id,
                child_id: c.child,
                team_id: team,
                due_at,
                acknowledged_at,
                acknowledged_by_name: by.map(|_| worker.name.clone()),
                note,
            },
            by,
        ));
        if c.support {
            d.support.push(PlacementSupport {
                id: next(),
                child_id: c.child,
                placement_id: None,
                kind: SupportKind::Crisis,
                occurred_at: received_at + Duration::minutes(50),
                summary: "Placement support worker visited, stayed with the carer and the child until things settled, and agreed a plan for the morning.".into(),
                next_steps: "Placement stability meeting; extra support visits this week.".into(),
                missing_episode_id: None,
                contact_id: Some(contact.id),
                recorded_by: edt.id,
                recorded_by_name: edt.name.clone(),
                recorded_at: recorded_at + Duration::minutes(30),
            });
        }
        d.contacts.push(contact);
    }
    // A stability concern tied to the latest missing episode of one of the
    // worker's children who has one.
    if let Some((c, e)) = data
        .children
        .iter()
        .filter(|c| allocated_to(c, worker.id) && placed(c))
        .find_map(|c| {
            history
                .for_child(c.child.id)
                .into_iter()
                .rev()
                .find(|e| !e.is_open() && e.last_seen_at > now - Duration::days(25))
                .map(|e| (c, e.clone()))
        })
    {
        d.support.push(PlacementSupport {
            id: next(),
            child_id: c.child.id,
            placement_id: None,
            kind: SupportKind::StabilityConcern,
            occurred_at: e.returned_at.unwrap_or(e.last_seen_at) + Duration::hours(20),
            summary: format!(
                "Carers say they are struggling after {}'s latest missing episode and asked for more support; they are not yet asking for a move.",
                c.child.first_name
            ),
            next_steps: "Supervising social worker to visit; consider respite.".into(),
            missing_episode_id: Some(e.id),
            contact_id: None,
            recorded_by: worker.id,
            recorded_by_name: worker.name.clone(),
            recorded_at: e.returned_at.unwrap_or(e.last_seen_at) + Duration::hours(22),
        });
    }
    d
}

impl crate::App {
    /// Write the demo's out-of-hours records.
    pub(super) async fn load_demo_edt(
        &self,
        tx: &mut harbour_db::Tx,
        d: &DemoEdt,
    ) -> crate::AppResult<()> {
        use harbour_db::edt as repo;
        use harbour_domain::authz::system_import;
        for p in &d.plans {
            repo::insert_plan(tx, &system_import(p.child_id), p).await?;
        }
        for a in &d.alerts {
            repo::insert_alert(tx, &system_import(a.child_id), a).await?;
        }
        for c in &d.contacts {
            repo::insert_contact(tx, &system_import(c.child_id), c).await?;
        }
        for (h, by) in &d.handovers {
            let ok = system_import(h.child_id);
            repo::insert_handover(tx, &ok, h).await?;
            if let (Some(at), Some(by)) = (h.acknowledged_at, by) {
                repo::acknowledge(tx, &ok, h.id, *by, at, h.note.as_deref()).await?;
            }
        }
        for s in &d.support {
            let ok = system_import(s.child_id);
            let mut s = s.clone();
            s.placement_id = harbour_db::records::placements(tx, &ok)
                .await?
                .into_iter()
                .find(|p| p.end_date.is_none())
                .map(|p| p.id.0);
            repo::insert_support(tx, &ok, &s).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_has_alerts_contacts_waiting_and_escalated_handovers_and_support() {
        let now: DateTime<Utc> = "2026-11-26T23:30:00Z".parse().unwrap();
        let data = super::super::generate::generate(super::super::DEMO_SEED, now);
        let history = super::super::missing::generate(&data, super::super::DEMO_SEED, now);
        let d = generate(&data, &history, now);
        assert_eq!(d, generate(&data, &history, now), "pure");
        assert_eq!(d.alerts.iter().filter(|a| a.is_active(now)).count(), 3);
        assert_eq!(d.alerts.iter().filter(|a| !a.is_active(now)).count(), 1);
        assert_eq!(d.plans.len(), 3);
        assert_eq!(
            d.contacts.len(),
            5,
            "four of the worker's and one unallocated"
        );
        let states: Vec<HandoverState> = d.handovers.iter().map(|(h, _)| h.state(now)).collect();
        assert!(states.contains(&HandoverState::Waiting));
        assert!(states.contains(&HandoverState::Escalated));
        assert!(states.contains(&HandoverState::Acknowledged));
        assert!(
            d.handovers.iter().any(|(h, _)| h.team_id.is_none()),
            "duty queue"
        );
        assert!(d.support.iter().any(|s| s.contact_id.is_some()));
        for c in &d.contacts {
            assert!(check_event_time("day", c.received_at, now).is_none());
        }
    }
}
