//! Demo supervision and management oversight, a pure function of the
//! generated data and `now` (no IO, no clock, no randomness), so the demo
//! team manager, pod administrator and an ASYE worker meet every list:
//!
//! - the demo social worker's last supervision was 35 days ago (monthly, so
//!   overdue), with two actions still open, one past its due date;
//! - a colleague's session 10 days ago is a pod administrator's draft,
//!   awaiting sign-off and past its 5-working-day recording deadline;
//! - one colleague becomes an ASYE worker five weeks into the year (weekly
//!   supervision; last one 6 days ago), signing in as
//!   `asye_worker@demo.harbour.test` with the demo password;
//! - a pod administrator's decision waits for the manager's confirmation.
//!
//! Children with no decision, oversight or case discussion in 30 days fall
//! out of the generated data as they are (most decisions are older).

use super::generate::{DEMO_SIGN_IN_DOMAIN, DEMO_TEAM_NAME, DemoData, sign_in_email};
use chrono::{DateTime, TimeDelta, Utc};
use harbour_domain::Role;
use harbour_domain::ids::*;
use harbour_domain::supervision::*;

/// The ASYE worker's demo sign-in.
pub fn asye_email() -> String {
    format!("asye_worker@{DEMO_SIGN_IN_DOMAIN}")
}

/// A session with its discussions (child, analysis, decisions) and actions (child, text, owner, due in days from the session).
#[derive(Clone, Debug)]
pub struct DemoSession {
    /// The session.
    pub session: Session,
    /// (child, analysis, decisions).
    pub discussions: Vec<(ChildId, String, String)>,
    /// Actions.
    pub actions: Vec<SupervisionAction>,
}

/// What the loader adds.
#[derive(Clone, Debug, Default)]
pub struct DemoSupervision {
    /// Sessions.
    pub sessions: Vec<DemoSession>,
    /// Oversight entries.
    pub oversight: Vec<OversightEntry>,
}

fn id(n: u128) -> uuid::Uuid {
    // Fixed, time-ordered-looking ids (UUIDv7 layout, epoch 2025-01-01).
    uuid::Uuid::from_u128(0x0194_1f29_7c00_7000_8000_5e55_0000_0000 | n)
}

/// Make one team member the ASYE worker (in place) and plan the sessions.
pub fn plan(data: &mut DemoData, now: DateTime<Utc>) -> DemoSupervision {
    let cfg = SupervisionConfig::default();
    let today = harbour_domain::calendar::london_date(now);
    let Some(team) = data
        .teams
        .iter()
        .find(|t| t.name == DEMO_TEAM_NAME)
        .cloned()
    else {
        return DemoSupervision::default();
    };
    let Some(manager) = team.manager_id else {
        return DemoSupervision::default();
    };
    let demo_sw = sign_in_email(Role::SocialWorker);
    let pod_admin = data
        .users
        .iter()
        .find(|u| u.email == sign_in_email(Role::PodAdmin))
        .map(|u| u.id);
    let mut workers: Vec<UserId> = data
        .users
        .iter()
        .filter(|u| u.team_id == Some(team.id) && u.role == Role::SocialWorker)
        .map(|u| u.id)
        .collect();
    workers.sort();
    let Some(sw) = data.users.iter().find(|u| u.email == demo_sw).map(|u| u.id) else {
        return DemoSupervision::default();
    };
    let others: Vec<UserId> = workers.into_iter().filter(|w| *w != sw).collect();
    let kids_of = |w: UserId| -> Vec<ChildId> {
        data.children
            .iter()
            .filter(|c| {
                !c.child.restricted
                    && c.allocations
                        .iter()
                        .any(|a| a.worker_id == w && a.end_date.is_none())
            })
            .map(|c| c.child.id)
            .collect()
    };
    let mut out = DemoSupervision::default();
    let mut n = 0u128;
    let mut next = || {
        n += 1;
        id(n)
    };
    let session = |sid, who: UserId, ago: i64, kind, status: SessionStatus, drafted_by: UserId| {
        let held_at = now - TimeDelta::days(ago) - TimeDelta::hours(2);
        Session {
            id: sid,
            supervisee_id: who,
            supervisor_id: manager,
            kind,
            format: SessionFormat::OneToOne,
            held_at,
            duration_minutes: if kind == SupervisionKind::Asye {
                90
            } else {
                60
            },
            worker_notes: "Workload discussed; protected time for reflection agreed.".into(),
            status,
            drafted_by,
            drafted_at: held_at + TimeDelta::hours(3),
            signed_off_by: (status == SessionStatus::SignedOff).then_some(manager),
            signed_off_at: (status == SessionStatus::SignedOff)
                .then_some(held_at + TimeDelta::days(2)),
            recording_due: recording_due(held_at, &cfg),
        }
    };
    // The demo social worker: overdue, two open actions (one overdue).
    let kids = kids_of(sw);
    if kids.len() >= 2 {
        let sid = next();
        let s = session(
            sid,
            sw,
            35,
            SupervisionKind::Case,
            SessionStatus::SignedOff,
            manager,
        );
        let day = harbour_domain::calendar::london_date(s.held_at);
        let actions = vec![
            SupervisionAction {
                id: next(),
                session_id: sid,
                child_id: Some(kids[0]),
                text: "Request a return home interview follow-up with the provider".into(),
                owner_id: sw,
                due: day + TimeDelta::days(14),
                status: ActionStatus::Open,
            },
            SupervisionAction {
                id: next(),
                session_id: sid,
                child_id: Some(kids[1]),
                text: "Update the safety plan with school and carers".into(),
                owner_id: sw,
                due: (day + TimeDelta::days(45)).max(today + TimeDelta::days(3)),
                status: ActionStatus::Open,
            },
        ];
        out.sessions.push(DemoSession {
            session: s,
            discussions: vec![
                (kids[0], "Two missing episodes since the last review; the pattern points to an older peer group.".into(), "Keep at child protection; strategy discussion if missing again.".into()),
                (kids[1], "Settled at school; some contact with an adult of concern.".into(), "Share concerns with the school's designated safeguarding lead.".into()),
            ],
            actions,
        });
    }
    // A colleague: a pod's draft, awaiting sign-off, past the recording deadline.
    if let (Some(&w), Some(pod)) = (others.first(), pod_admin) {
        let kids = kids_of(w);
        if let Some(&k) = kids.first() {
            let sid = next();
            out.sessions.push(DemoSession {
                session: session(sid, w, 10, SupervisionKind::Case, SessionStatus::Draft, pod),
                discussions: vec![(k, "Drafted from the manager's notes: placement stable, contact with family improving.".into(), String::new())],
                actions: Vec::new(),
            });
        }
    }
    // The ASYE worker: five weeks into the year, weekly supervision.
    if let Some(&w) = others.get(1)
        && let Some(u) = data.users.iter_mut().find(|u| u.id == w)
    {
        u.asye_start = Some(today - TimeDelta::weeks(5));
        u.email = asye_email();
        let sid = next();
        out.sessions.push(DemoSession {
            session: session(
                sid,
                w,
                6,
                SupervisionKind::Asye,
                SessionStatus::SignedOff,
                manager,
            ),
            discussions: Vec::new(),
            actions: Vec::new(),
        });
    }
    // A decision a pod recorded for the manager, waiting for confirmation.
    if let (Some(pod), Some(&k)) = (pod_admin, kids_of(sw).get(2)) {
        out.oversight.push(OversightEntry {
            id: next(),
            child_id: k,
            kind: OversightKind::Decision,
            text: "Hold a strategy discussion before Friday".into(),
            rationale: "Agreed by phone after the police report; recorded by business support."
                .into(),
            manager_id: manager,
            manager_name: String::new(),
            recorded_by: pod,
            recorded_by_name: String::new(),
            at: now - TimeDelta::hours(5),
            recorded_at: now - TimeDelta::hours(4),
            confirmed_at: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_team_meets_every_list() {
        let now: DateTime<Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        let mut d = super::super::generate::generate(super::super::DEMO_SEED, now);
        let p = plan(&mut d, now);
        let today = harbour_domain::calendar::london_date(now);
        assert_eq!(p.sessions.len(), 3);
        assert!(
            p.sessions.iter().any(
                |s| s.session.status == SessionStatus::Draft && s.session.recording_due < today
            )
        );
        assert!(
            p.sessions
                .iter()
                .flat_map(|s| &s.actions)
                .any(|a| a.due < today)
        );
        let asye = d.users.iter().find(|u| u.email == asye_email()).unwrap();
        assert_eq!(kind_for(asye.asye_start, today), SupervisionKind::Asye);
        assert_eq!(p.oversight.len(), 1);
        // Pure: the same again.
        let mut d2 = super::super::generate::generate(super::super::DEMO_SEED, now);
        assert_eq!(
            plan(&mut d2, now).sessions[0].session,
            p.sessions[0].session
        );
    }
}
