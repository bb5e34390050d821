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
//! - a pod administrator's decision waits for the manager's confirmation;
//! - every other case-holding worker and every team manager (supervised by
//!   the manager of the next team) has a history over the last four months
//!   at their own cadence, each session's actions reviewed at the next one
//!   (done, not done, or carried forward into a new action) and the last
//!   session's actions open, so a manager's due list shows who is on track
//!   and the few above stand out;
//! - the team's monthly exploitation group case discussion, 12 days ago,
//!   with the demo social worker and two colleagues: a discussion about a
//!   child of two of them, each with an open action (on each attendee's
//!   file; it does not reset their one-to-one due dates).
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
    /// Reviews, in this session, of earlier sessions' actions.
    pub reviews: Vec<ActionReview>,
    /// (new action, the earlier action it carries forward).
    pub continues: Vec<(uuid::Uuid, uuid::Uuid)>,
}

/// What the loader adds.
#[derive(Clone, Debug, Default)]
pub struct DemoSupervision {
    /// Sessions.
    pub sessions: Vec<DemoSession>,
    /// Oversight entries.
    pub oversight: Vec<OversightEntry>,
    /// The attendees of the group sessions among `sessions`, by session.
    pub attendees: std::collections::HashMap<uuid::Uuid, Vec<UserId>>,
    /// In a group session, the worker whose child each discussion is about.
    pub discussion_workers: std::collections::HashMap<(uuid::Uuid, ChildId), UserId>,
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
    // Each story session: (index in out.sessions, days ago, signed off).
    let mut story: std::collections::HashMap<UserId, (usize, i64, bool)> = Default::default();
    // The demo social worker: overdue, two open actions (one overdue).
    let kids = kids_of(sw);
    if kids.len() >= 2 {
        story.insert(sw, (out.sessions.len(), 35, true));
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
            reviews: Vec::new(),
            continues: Vec::new(),
        });
    }
    // A colleague: a pod's draft, awaiting sign-off, past the recording deadline.
    if let (Some(&w), Some(pod)) = (others.first(), pod_admin) {
        let kids = kids_of(w);
        if let Some(&k) = kids.first() {
            story.insert(w, (out.sessions.len(), 10, false));
            let sid = next();
            out.sessions.push(DemoSession {
                session: session(sid, w, 10, SupervisionKind::Case, SessionStatus::Draft, pod),
                discussions: vec![(k, "Drafted from the manager's notes: placement stable, contact with family improving.".into(), String::new())],
                actions: Vec::new(),
                reviews: Vec::new(),
                continues: Vec::new(),
            });
        }
    }
    // The ASYE worker: five weeks into the year, weekly supervision.
    if let Some(&w) = others.get(1)
        && let Some(u) = data.users.iter_mut().find(|u| u.id == w)
    {
        u.asye_start = Some(today - TimeDelta::weeks(5));
        u.email = asye_email();
        story.insert(w, (out.sessions.len(), 6, true));
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
            reviews: Vec::new(),
            continues: Vec::new(),
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
    // Everyone else's history, and the history before each story session.
    let teams = data.teams.clone();
    let mut people: Vec<(UserId, UserId, Option<chrono::NaiveDate>)> = Vec::new();
    for (ti, t) in teams.iter().enumerate() {
        let Some(m) = t.manager_id else { continue };
        for u in data.users.iter().filter(|u| {
            u.team_id == Some(t.id) && u.role == Role::SocialWorker && u.disabled_at.is_none()
        }) {
            people.push((u.id, m, u.asye_start));
        }
        // The manager is supervised by the next team's manager.
        if let Some(sup) = teams[(ti + 1) % teams.len()].manager_id
            && sup != m
        {
            let start = data
                .users
                .iter()
                .find(|u| u.id == m)
                .and_then(|u| u.asye_start);
            people.push((m, sup, start));
        }
    }
    for (pi, (who, sup, asye_start)) in people.into_iter().enumerate() {
        let kids = kids_of(who);
        let (latest_ago, story_at) = match story.get(&who) {
            Some(&(i, ago, signed)) => (ago, Some((i, signed))),
            None => {
                // Within the person's cadence as it is today: on track.
                let k = kind_for(asye_start, today);
                let cadence = next_due(k, asye_start, Some(today), &cfg)
                    .map(|n| (n - today).num_days())
                    .unwrap_or(28);
                (1 + (pi as i64 * 5) % (cadence - 2).max(1), None)
            }
        };
        // Dates back from the latest, at the person's own cadence.
        let mut dates: Vec<i64> = Vec::new();
        let mut ago = latest_ago;
        if story_at.is_some() {
            // The story session is the latest; history comes before it.
            let d = today - TimeDelta::days(ago);
            let k = kind_for(asye_start, d);
            let gap = next_due(k, asye_start, Some(d), &cfg)
                .map(|n| (n - d).num_days())
                .unwrap_or(28);
            ago += gap;
        }
        while ago <= 120 && dates.len() < 5 {
            let d = today - TimeDelta::days(ago);
            if asye_start
                .is_some_and(|a| d < a && kind_for(asye_start, today) == SupervisionKind::Asye)
            {
                break;
            }
            dates.push(ago);
            let k = kind_for(asye_start, d);
            let gap = next_due(k, asye_start, Some(d - TimeDelta::days(28)), &cfg)
                .map(|n| (n - (d - TimeDelta::days(28))).num_days())
                .unwrap_or(28)
                .max(7);
            ago += gap;
        }
        dates.reverse();
        // (session index, its actions' ids) of the session before.
        let mut prev: Option<Vec<uuid::Uuid>> = None;
        for (j, ago) in dates.iter().enumerate() {
            let sid = next();
            let held_at = now - TimeDelta::days(*ago) - TimeDelta::hours(3);
            let day = harbour_domain::calendar::london_date(held_at);
            let kind = kind_for(asye_start, day);
            let action_due = next_due(kind, asye_start, Some(day), &cfg)
                .map(|n| n - TimeDelta::days(2))
                .unwrap_or(day + TimeDelta::days(21))
                .max(day + TimeDelta::days(5));
            let mut sess = DemoSession {
                session: Session {
                    id: sid,
                    supervisee_id: who,
                    supervisor_id: sup,
                    kind,
                    format: SessionFormat::OneToOne,
                    held_at,
                    duration_minutes: if kind == SupervisionKind::Asye {
                        90
                    } else {
                        60
                    },
                    worker_notes: NOTES[(pi + j) % NOTES.len()].into(),
                    status: SessionStatus::SignedOff,
                    drafted_by: sup,
                    drafted_at: held_at + TimeDelta::hours(4),
                    signed_off_by: Some(sup),
                    signed_off_at: Some(held_at + TimeDelta::days(1 + (j as i64 % 3))),
                    recording_due: recording_due(held_at, &cfg),
                },
                discussions: Vec::new(),
                actions: Vec::new(),
                reviews: Vec::new(),
                continues: Vec::new(),
            };
            review_previous(
                &mut sess,
                prev.take(),
                &mut out,
                pi + j,
                &mut next,
                action_due,
                who,
            );
            let talk: Vec<ChildId> = if kids.is_empty() {
                Vec::new()
            } else {
                (0..2.min(kids.len()))
                    .map(|x| kids[(j * 2 + x) % kids.len()])
                    .collect()
            };
            for (x, k) in talk.iter().enumerate() {
                let n = pi + j + x;
                sess.discussions.push((
                    *k,
                    ANALYSES[n % ANALYSES.len()].into(),
                    DECISIONS[n % DECISIONS.len()].into(),
                ));
                sess.actions.push(SupervisionAction {
                    id: next(),
                    session_id: sid,
                    child_id: Some(*k),
                    text: ACTIONS[n % ACTIONS.len()].into(),
                    owner_id: who,
                    due: action_due,
                    status: ActionStatus::Open,
                });
            }
            if talk.is_empty() {
                sess.actions.push(SupervisionAction {
                    id: next(),
                    session_id: sid,
                    child_id: None,
                    text: MANAGER_ACTIONS[(pi + j) % MANAGER_ACTIONS.len()].into(),
                    owner_id: who,
                    due: action_due,
                    status: ActionStatus::Open,
                });
            }
            prev = Some(sess.actions.iter().map(|a| a.id).collect());
            out.sessions.push(sess);
        }
        // The story session, if signed off, reviews the last history session's
        // actions (done or not done, nothing carried, so its own open actions
        // are the ones the story names).
        if let (Some((i, true)), Some(ids)) = (story_at, prev) {
            for (x, aid) in ids.into_iter().enumerate() {
                let outcome = if x % 2 == 0 {
                    ActionStatus::Done
                } else {
                    ActionStatus::NotDone
                };
                set_status(&mut out, aid, outcome);
                out.sessions[i].reviews.push(ActionReview {
                    action_id: aid,
                    outcome,
                    impact: impact(outcome).into(),
                });
            }
        }
    }
    // The team's monthly exploitation group case discussion, 12 days ago:
    // the demo social worker and two colleagues, a discussion about one
    // child of two of them, each with an action. It is on each attendee's
    // file but does not reset their one-to-one due dates.
    let group: Vec<UserId> = std::iter::once(sw)
        .chain(others.iter().skip(2).take(2).copied())
        .collect();
    let with_kids: Vec<(UserId, ChildId)> = group
        .iter()
        .filter_map(|w| kids_of(*w).last().map(|k| (*w, *k)))
        .take(2)
        .collect();
    if group.len() >= MIN_GROUP_ATTENDEES && with_kids.len() == 2 {
        let sid = next();
        let held_at = now - TimeDelta::days(12) - TimeDelta::hours(4);
        let day = harbour_domain::calendar::london_date(held_at);
        let texts = [
            (
                "The group mapped the same older peer group around two children; links to the same address.",
                "Share the address with the police and the exploitation panel.",
                "Send the police intelligence form about the address",
            ),
            (
                "School attendance falling and new phone; the group agreed the indicators fit criminal exploitation.",
                "Complete the exploitation screening tool again.",
                "Update the exploitation screening tool with the new indicators",
            ),
        ];
        let mut sess = DemoSession {
            session: Session {
                id: sid,
                supervisee_id: group[0],
                supervisor_id: manager,
                kind: SupervisionKind::Case,
                format: SessionFormat::Group,
                held_at,
                duration_minutes: 90,
                worker_notes: String::new(),
                status: SessionStatus::SignedOff,
                drafted_by: manager,
                drafted_at: held_at + TimeDelta::hours(2),
                signed_off_by: Some(manager),
                signed_off_at: Some(held_at + TimeDelta::days(1)),
                recording_due: recording_due(held_at, &cfg),
            },
            discussions: Vec::new(),
            actions: Vec::new(),
            reviews: Vec::new(),
            continues: Vec::new(),
        };
        for ((w, k), (analysis, decisions, action)) in with_kids.iter().zip(texts) {
            sess.discussions
                .push((*k, analysis.into(), decisions.into()));
            out.discussion_workers.insert((sid, *k), *w);
            sess.actions.push(SupervisionAction {
                id: next(),
                session_id: sid,
                child_id: Some(*k),
                text: action.into(),
                owner_id: *w,
                due: (day + TimeDelta::days(14)).max(today + TimeDelta::days(2)),
                status: ActionStatus::Open,
            });
        }
        out.attendees.insert(sid, group);
        out.sessions.push(sess);
    }
    out
}

/// Management oversight within the last month for most of the demo team's
/// children (one in sixteen left out), so the "no oversight" list names the
/// few it should. Run after the caseload story has moved children about.
pub fn team_oversight(data: &DemoData, now: DateTime<Utc>) -> Vec<OversightEntry> {
    let Some(team) = data.teams.iter().find(|t| t.name == DEMO_TEAM_NAME) else {
        return Vec::new();
    };
    let Some(manager) = team.manager_id else {
        return Vec::new();
    };
    let members: Vec<UserId> = data
        .users
        .iter()
        .filter(|u| u.team_id == Some(team.id))
        .map(|u| u.id)
        .collect();
    let mut team_kids: Vec<ChildId> = data
        .children
        .iter()
        .filter(|c| {
            !c.child.restricted
                && c.allocations
                    .iter()
                    .any(|a| a.end_date.is_none() && members.contains(&a.worker_id))
        })
        .map(|c| c.child.id)
        .collect();
    team_kids.sort();
    let mut out = Vec::new();
    for (i, k) in team_kids.iter().enumerate() {
        if i % 16 == 5 {
            continue;
        }
        let at = now - TimeDelta::days(2 + (i as i64 * 3) % 25) - TimeDelta::hours(1);
        out.push(OversightEntry {
            id: id(0x10_000 + i as u128),
            child_id: *k,
            kind: if i % 3 == 0 {
                OversightKind::Decision
            } else {
                OversightKind::Oversight
            },
            text: OVERSIGHT[i % OVERSIGHT.len()].into(),
            rationale: "Read the latest visit and the chronology; discussed with the worker."
                .into(),
            manager_id: manager,
            manager_name: String::new(),
            recorded_by: manager,
            recorded_by_name: String::new(),
            at,
            recorded_at: at,
            confirmed_at: Some(at),
        });
    }
    out
}

const OVERSIGHT: [&str; 4] = [
    "Plan is working; keep the current visiting pattern",
    "Case file read: chronology up to date, child's voice recorded",
    "Agree the step-down to early help at the next review",
    "Risk unchanged; the worker to visit before the core group",
];
const NOTES: [&str; 4] = [
    "Workload discussed; protected time for reflection agreed.",
    "Wellbeing check: managing, some late working; agreed to leave on time twice a week.",
    "Learning: booked onto the contextual safeguarding course.",
    "Annual leave planned; cover arranged with a colleague.",
];
const ANALYSES: [&str; 6] = [
    "Attending school more often; still missing some evenings.",
    "Placement settled; contact with mother going well.",
    "New concerns from school about an older boyfriend.",
    "Engaging with the youth worker; fewer missing episodes.",
    "Family under financial pressure; neglect concerns rising.",
    "Child's views gathered at the last visit: wants to stay with the carers.",
];
const DECISIONS: [&str; 4] = [
    "Continue the plan; review at the next supervision.",
    "Visit weekly until the review.",
    "Convene a core group meeting.",
    "Stay at child in need; review in a month.",
];
const ACTIONS: [&str; 6] = [
    "Visit the child at home and see them alone",
    "Chase the initial health assessment",
    "Update the chronology and the plan",
    "Share concerns with the school's safeguarding lead",
    "Arrange a family network meeting",
    "Follow up the return home interview with the provider",
];
const MANAGER_ACTIONS: [&str; 3] = [
    "Audit three case files in the team",
    "Review the team's allocation list with the pod",
    "Plan cover for a worker going on leave",
];

fn impact(o: ActionStatus) -> &'static str {
    match o {
        ActionStatus::Done => "Done: the child was seen and the plan updated.",
        ActionStatus::NotDone => {
            "Not done: the family cancelled twice; the risk is unchanged and the plan says so."
        }
        _ => "Started but not finished; carried forward with a new date.",
    }
}

fn set_status(out: &mut DemoSupervision, action: uuid::Uuid, status: ActionStatus) {
    for s in &mut out.sessions {
        for a in &mut s.actions {
            if a.id == action {
                a.status = status;
            }
        }
    }
}

/// Review the previous session's actions in `sess`: the first done, the
/// next not done or, every third session, carried forward into a new
/// action of this session.
fn review_previous(
    sess: &mut DemoSession,
    prev: Option<Vec<uuid::Uuid>>,
    out: &mut DemoSupervision,
    n: usize,
    next: &mut impl FnMut() -> uuid::Uuid,
    due: chrono::NaiveDate,
    who: UserId,
) {
    let Some(ids) = prev else { return };
    for (x, aid) in ids.into_iter().enumerate() {
        let outcome = match (x, n % 3) {
            (0, _) => ActionStatus::Done,
            (_, 0) => ActionStatus::CarriedForward,
            _ => ActionStatus::NotDone,
        };
        set_status(out, aid, outcome);
        sess.reviews.push(ActionReview {
            action_id: aid,
            outcome,
            impact: impact(outcome).into(),
        });
        if outcome == ActionStatus::CarriedForward {
            let old = out
                .sessions
                .iter()
                .flat_map(|s| &s.actions)
                .find(|a| a.id == aid)
                .cloned();
            if let Some(old) = old {
                let id = next();
                sess.actions.push(SupervisionAction {
                    id,
                    session_id: sess.session.id,
                    child_id: old.child_id,
                    text: old.text,
                    owner_id: who,
                    due,
                    status: ActionStatus::Open,
                });
                sess.continues.push((id, aid));
            }
        }
    }
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
        // Everyone in every team, managers too, has a supervision history.
        for t in &d.teams {
            let m = t.manager_id.unwrap();
            let mut people: Vec<UserId> = d
                .users
                .iter()
                .filter(|u| u.team_id == Some(t.id) && u.role == Role::SocialWorker)
                .map(|u| u.id)
                .collect();
            if d.teams.len() > 1 {
                people.push(m);
            }
            for w in people {
                let signed: Vec<&Session> = p
                    .sessions
                    .iter()
                    .map(|s| &s.session)
                    .filter(|s| s.supervisee_id == w && s.status == SessionStatus::SignedOff)
                    .collect();
                assert!(signed.len() >= 2, "{w:?} has a history");
            }
        }
        // Every action of a session followed by another is reviewed there,
        // and only the latest session's actions are open.
        let reviewed: Vec<uuid::Uuid> = p
            .sessions
            .iter()
            .flat_map(|s| s.reviews.iter().map(|r| r.action_id))
            .collect();
        for a in p.sessions.iter().flat_map(|s| &s.actions) {
            assert_eq!(
                a.status == ActionStatus::Open,
                !reviewed.contains(&a.id),
                "{a:?}"
            );
        }
        assert!(
            p.sessions.iter().any(|s| !s.continues.is_empty()),
            "something carried forward"
        );
        // The group session: three attendees, two discussions naming their workers.
        let groups: Vec<_> = p
            .sessions
            .iter()
            .filter(|s| s.session.format == SessionFormat::Group)
            .collect();
        assert_eq!(groups.len(), 1);
        assert_eq!(p.attendees[&groups[0].session.id].len(), 3);
        assert_eq!(groups[0].actions.len(), 2);
        for (k, _, _) in &groups[0].discussions {
            let w = p.discussion_workers[&(groups[0].session.id, *k)];
            assert!(p.attendees[&groups[0].session.id].contains(&w));
        }
        // Overdue: the demo social worker (and the drafted colleague, whose
        // last signed-off session is past due), nobody else.
        let mut overdue = Vec::new();
        for u in &d.users {
            let last = p
                .sessions
                .iter()
                .filter(|s| {
                    s.session.supervisee_id == u.id
                        && s.session.status == SessionStatus::SignedOff
                        && counts_towards_frequency(s.session.format)
                })
                .map(|s| harbour_domain::calendar::london_date(s.session.held_at))
                .max();
            if let Some(l) = last {
                let k = kind_for(u.asye_start, today);
                if next_due(k, u.asye_start, Some(l), &SupervisionConfig::default())
                    .is_some_and(|n| n < today)
                {
                    overdue.push(format!("{} {:?} {:?} {l}", u.email, u.role, u.asye_start));
                }
            }
        }
        assert!(
            overdue
                .iter()
                .any(|o| o.starts_with(&sign_in_email(Role::SocialWorker))),
            "{overdue:?}"
        );
        assert!(overdue.len() <= 2, "{overdue:?}");
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
        assert_eq!(
            p.oversight
                .iter()
                .filter(|o| o.confirmed_at.is_none())
                .count(),
            1
        );
        // Pure: the same again.
        let mut d2 = super::super::generate::generate(super::super::DEMO_SEED, now);
        assert_eq!(
            plan(&mut d2, now).sessions[0].session,
            p.sessions[0].session
        );
    }
}
