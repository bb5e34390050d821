//! Demo schools partnership and children missing education, a pure
//! function of the generated data and `now` (no IO, no clock, no
//! randomness):
//!
//! - six invented Stoke-on-Trent schools with real-format URNs; three in
//!   the partnership (one since September of last school year, one since the
//!   December after, one since the September before), one that joined and
//!   left, two never members;
//! - a designated teacher and a designated safeguarding lead at each
//!   partnership school; the designated teachers at Kilnside Academy and
//!   Claybank High School sign in (`dt.kilnside@demo.harbour.test`,
//!   `dt.claybank@demo.harbour.test`) and are supervised by the demo team
//!   manager, with sessions on record (one case discussion about a child
//!   the school referred, an action open for the teacher);
//! - contacts and referrals from each school over three school years: more
//!   referrals before joining, more consultations after;
//! - registration and deletion notices in the last 60 days, some late;
//!   three CME cases on the demo social worker's children (one open with
//!   enquiries, one closed found in education, one newly opened).

use super::generate::{DEMO_SIGN_IN_DOMAIN, DEMO_TEAM_NAME, DemoData, sign_in_email};
use super::missing::DemoMissing;
use crate::{App, AppResult};
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use harbour_db::Tx;
use harbour_db::schools::{self as repo, NewCase, NewContact, NewNotice, School, Staff};
use harbour_domain::Role;
use harbour_domain::authz::system_import;
use harbour_domain::calendar;
use harbour_domain::ids::*;
use harbour_domain::missing::MissingFrom;
use harbour_domain::model::{OrgKind, Task, User};
use harbour_domain::schools::*;
use harbour_domain::supervision::*;
use uuid::Uuid;

fn id(n: u128) -> Uuid {
    // Fixed, time-ordered-looking ids (UUIDv7 layout), apart from the other demo modules'.
    Uuid::from_u128(0x0194_1f29_7c00_7000_8000_5c40_0000_0000 | n)
}

/// The designated teachers' demo sign-ins.
pub fn teacher_emails() -> [String; 2] {
    [
        format!("dt.kilnside@{DEMO_SIGN_IN_DOMAIN}"),
        format!("dt.claybank@{DEMO_SIGN_IN_DOMAIN}"),
    ]
}

/// (name, URN, phase): the demo schools.
const SCHOOLS: [(&str, &str, &str); 6] = [
    ("Kilnside Academy", "145201", "Secondary"),
    ("Claybank High School", "124370", "Secondary"),
    ("Marlpit Lane Primary School", "130412", "Primary"),
    (
        "The Turning Point (alternative provision)",
        "141780",
        "Alternative provision",
    ),
    ("Hanford Park Primary School", "122935", "Primary"),
    ("Meir Heath Academy", "138660", "Secondary"),
];

fn org_named(data: &DemoData, name: &str) -> Option<OrgId> {
    data.orgs
        .iter()
        .find(|o| o.kind == OrgKind::Education && o.name == name)
        .map(|o| o.id)
}

/// The designated teachers who sign in, as partner practitioners of their
/// schools' organisations.
pub fn school_users(data: &DemoData) -> Vec<User> {
    let [k, c] = teacher_emails();
    [
        (k, "Priya Mistry", "Kilnside Academy", 1u128),
        (c, "Gareth Pointon", "Claybank High School", 2),
    ]
    .into_iter()
    .filter_map(|(email, name, school, n)| {
        Some(User {
            id: UserId(id(0x10 + n)),
            email,
            name: name.into(),
            role: Role::PartnerPractitioner,
            org_id: org_named(data, school)?,
            team_id: None,
            pod_id: None,
            fte_hundredths: 100,
            swe_number: None,
            agency: false,
            asye_start: None,
            disabled_at: None,
            totp_enabled: false,
        })
    })
    .collect()
}

/// A supervision session with its discussion and action.
#[derive(Clone, Debug)]
pub struct DemoDtSession {
    /// The session.
    pub session: Session,
    /// (child, analysis, decisions).
    pub discussion: Option<(ChildId, String, String)>,
    /// An action.
    pub action: Option<SupervisionAction>,
}

/// What the loader adds.
#[derive(Clone, Debug, Default)]
pub struct DemoSchools {
    /// Schools.
    pub schools: Vec<School>,
    /// Staff.
    pub staff: Vec<Staff>,
    /// (school, joined, left).
    pub memberships: Vec<(Uuid, NaiveDate, Option<NaiveDate>)>,
    /// Contacts, each with the child it is about.
    pub contacts: Vec<(NewContact, Option<ChildId>)>,
    /// Notices.
    pub notices: Vec<NewNotice>,
    /// CME cases with their steps (kind, days after opening, by, result) and outcome.
    pub cases: Vec<DemoCase>,
    /// Designated teacher supervision.
    pub sessions: Vec<DemoDtSession>,
    /// The demo team manager: supervisor, and recorder of the history.
    pub manager: Option<UserId>,
}

/// A CME case to load.
#[derive(Clone, Debug)]
pub struct DemoCase {
    /// The child.
    pub child: ChildId,
    /// The case.
    pub case: NewCase,
    /// (kind, date, by, result).
    pub steps: Vec<(StepKind, NaiveDate, String, String)>,
    /// (outcome, date, notes).
    pub outcome: Option<(CmeOutcome, NaiveDate, String)>,
}

fn first_sept(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or_default()
}

/// Plan the demo schools.
pub fn plan(data: &DemoData, history: &DemoMissing, now: DateTime<Utc>) -> DemoSchools {
    let today = calendar::london_date(now);
    let mut p = DemoSchools::default();
    let Some(team) = data.teams.iter().find(|t| t.name == DEMO_TEAM_NAME) else {
        return p;
    };
    let Some(manager) = team.manager_id else {
        return p;
    };
    let system = manager;
    p.manager = Some(manager);
    let this_year = term_of(today).year; // the current school year's September
    // (school index, joined, left)
    let memberships: [(usize, NaiveDate, Option<NaiveDate>); 4] = [
        (0, first_sept(this_year - 1), None),
        (
            1,
            NaiveDate::from_ymd_opt(this_year - 1, 12, 15).unwrap_or_default(),
            None,
        ),
        (2, first_sept(this_year - 2), None),
        (
            4,
            first_sept(this_year - 3),
            NaiveDate::from_ymd_opt(this_year - 1, 8, 31),
        ),
    ];
    for (i, (name, urn, phase)) in SCHOOLS.iter().enumerate() {
        p.schools.push(School {
            id: id(0x100 + i as u128),
            urn: (*urn).into(),
            name: (*name).into(),
            phase: (*phase).into(),
            la_code: data.authority.la_code.clone(),
            org_id: org_named(data, name).map(|o| o.0),
            created_at: now - TimeDelta::days(1200),
        });
    }
    for (i, j, l) in memberships {
        p.memberships.push((p.schools[i].id, j, l));
    }
    // Designated staff at the partnership schools.
    let users = school_users(data);
    let staff_names = [
        ("Priya Mistry", "Dean Hollins"),
        ("Gareth Pointon", "Aisha Begum"),
        ("Lucy Baddeley", "Mark Salt"),
        ("", ""),
        ("Helen Wardle", "Sam Keeling"),
        ("Owen Price", "Farah Hussain"),
    ];
    for (i, (dt, dsl)) in staff_names.iter().enumerate() {
        if dt.is_empty() {
            continue;
        }
        let s = &p.schools[i];
        let domain = s.name.to_lowercase().replace([' ', '(', ')'], "");
        let user = users.iter().find(|u| u.name == *dt).map(|u| u.id.0);
        p.staff.push(Staff {
            id: id(0x200 + 2 * i as u128),
            school_id: s.id,
            name: (*dt).into(),
            role: StaffRole::DesignatedTeacher.as_str().into(),
            email: format!("{}@{domain}.example", dt.to_lowercase().replace(' ', ".")),
            phone: format!("01782 {:06}", 230_100 + i * 17),
            user_id: user,
            supervisor_id: Some(manager.0),
            supervisor_name: None,
            created_at: now - TimeDelta::days(800),
        });
        p.staff.push(Staff {
            id: id(0x201 + 2 * i as u128),
            school_id: s.id,
            name: (*dsl).into(),
            role: StaffRole::Dsl.as_str().into(),
            email: format!("{}@{domain}.example", dsl.to_lowercase().replace(' ', ".")),
            phone: format!("01782 {:06}", 230_105 + i * 17),
            user_id: None,
            supervisor_id: None,
            supervisor_name: None,
            created_at: now - TimeDelta::days(800),
        });
    }
    // Children on the demo team, by school, for linking contacts.
    let on_team: Vec<&super::generate::DemoChild> = data
        .children
        .iter()
        .filter(|c| {
            c.allocations
                .iter()
                .any(|a| a.end_date.is_none() && a.team_id == Some(team.id))
        })
        .collect();
    let pupils = |school: &str| -> Vec<ChildId> {
        let mut v: Vec<ChildId> = on_team
            .iter()
            .filter(|c| c.child.school.as_deref() == Some(school))
            .map(|c| c.child.id)
            .collect();
        if v.is_empty() {
            v = on_team.iter().take(3).map(|c| c.child.id).collect();
        }
        v
    };
    // Contacts: three school years to today.
    let from = first_sept(this_year - 3);
    let mut n: u128 = 0;
    for (si, s) in p.schools.iter().enumerate() {
        let ms: Vec<Membership> = p
            .memberships
            .iter()
            .filter(|m| m.0 == s.id)
            .map(|m| Membership {
                joined: m.1,
                left: m.2,
            })
            .collect();
        let kids = pupils(&s.name);
        for (ti, term) in terms_between(from, today).into_iter().enumerate() {
            let (start, end) = term.bounds();
            let member = ms.iter().any(|m| m.covers(start + TimeDelta::days(30)));
            let k = si + ti;
            let (referrals, consultations) = if member {
                (1 + k % 2, 3 + k % 2)
            } else {
                (4 + k % 3, k % 2)
            };
            let total = referrals + consultations;
            let span = (end - start).num_days().max(1);
            for j in 0..total {
                let on = start + TimeDelta::days(7 + (span - 14).max(1) * j as i64 / total as i64);
                if on >= today {
                    continue;
                }
                let referral = j < referrals;
                let outcome = if referral {
                    match (j + k) % 5 {
                        0 | 2 | 4 if !member => ContactOutcome::ReferralAccepted,
                        0 | 3 if member => ContactOutcome::ReferralAccepted,
                        1 => ContactOutcome::EarlyHelp,
                        _ => ContactOutcome::NoFurtherAction,
                    }
                } else if (j + k) % 3 == 0 {
                    ContactOutcome::EarlyHelp
                } else {
                    ContactOutcome::AdviceGiven
                };
                n += 1;
                let at = calendar::from_london(
                    on.and_hms_opt(9 + (j % 6) as u32, 15, 0)
                        .unwrap_or_default(),
                );
                let child = (referral && j % 2 == 0 && !kids.is_empty())
                    .then(|| kids[(j + ti) % kids.len()]);
                let summary = if referral {
                    "Worried about bruising the pupil explained inconsistently, and about who collects them after school. Attendance has fallen this half-term."
                } else {
                    "Talked through a worry about a pupil's low mood and a new older friend before deciding whether to refer; agreed a plan in school."
                };
                let who = p
                    .staff
                    .iter()
                    .find(|x| x.school_id == s.id && x.role == "dsl")
                    .map_or("Head of year".to_string(), |x| {
                        format!("{}, designated safeguarding lead", x.name)
                    });
                p.contacts.push((
                    NewContact {
                        id: id(0x1000 + n),
                        school_id: s.id,
                        received_at: at,
                        kind: if referral {
                            ContactKind::Referral
                        } else {
                            ContactKind::Consultation
                        }
                        .as_str()
                        .into(),
                        contact_name: who,
                        summary: summary.into(),
                        outcome: outcome.as_str().into(),
                        recorded_by: system,
                        recorded_at: at + TimeDelta::hours(2),
                    },
                    child,
                ));
            }
        }
    }
    // Designated teacher supervision (Kilnside: two sessions; Claybank: one).
    let cfg = SupervisionConfig::default();
    let kilnside_child = pupils(SCHOOLS[0].0).first().copied();
    if let Some(c) = kilnside_child {
        // Make sure the school has a recent contact about the child it discussed.
        let at = now - TimeDelta::days(50);
        p.contacts.push((
            NewContact {
                id: id(0x1000 + n + 1),
                school_id: p.schools[0].id,
                received_at: at,
                kind: ContactKind::Consultation.as_str().into(),
                contact_name: "Priya Mistry, designated teacher".into(),
                summary: "Pupil missing afternoons; seen with older youths near the retail park. Wanted to talk it through before referring.".into(),
                outcome: ContactOutcome::AlreadyOpen.as_str().into(),
                recorded_by: system,
                recorded_at: at,
            },
            Some(c),
        ));
    }
    for (ui, days, with_child) in [(0usize, 40i64, true), (0, 12, false), (1, 20, false)] {
        let Some(u) = users.get(ui) else { continue };
        let held = calendar::from_london(
            (today - TimeDelta::days(days))
                .and_hms_opt(15, 30, 0)
                .unwrap_or_default(),
        );
        let sid = id(0x3000 + (ui as u128) * 16 + days as u128);
        let session = Session {
            id: sid,
            supervisee_id: u.id,
            supervisor_id: manager,
            kind: SupervisionKind::DesignatedTeacher,
            format: SessionFormat::OneToOne,
            held_at: held,
            duration_minutes: 60,
            worker_notes: "Talked about the weight of safeguarding work on top of teaching; agreed protected time each Friday afternoon.".into(),
            status: SessionStatus::SignedOff,
            drafted_by: manager,
            drafted_at: held + TimeDelta::hours(20),
            signed_off_by: Some(manager),
            signed_off_at: Some(held + TimeDelta::hours(20)),
            recording_due: recording_due(held, &cfg),
        };
        let discussion = with_child.then_some(kilnside_child).flatten().map(|c| {
            (
                c,
                "Attendance down to 82%; missing afternoons. Seen near the retail park with older youths. The school has kept a log and spoken to the pupil, who said nothing was wrong.".to_string(),
                "No referral needed: the child is already open to the team. The school's plan continues with a daily check-in; the worker is told today.".to_string(),
            )
        });
        let action = discussion.as_ref().map(|(c, _, _)| SupervisionAction {
            id: id(0x3800 + days as u128),
            session_id: sid,
            child_id: Some(*c),
            text: "Set up a daily check-in with the pupil and share the attendance log with the allocated worker weekly.".into(),
            owner_id: u.id,
            due: today - TimeDelta::days(days) + TimeDelta::days(21),
            status: ActionStatus::Open,
        });
        p.sessions.push(DemoDtSession {
            session,
            discussion,
            action,
        });
    }
    // Notices in the last 60 days.
    let pupils_named = [
        ("Kacper Nowak", "registration", 58, 3, ""),
        ("Amelia Rowley", "deletion", 44, 0, "continuous_absence"),
        ("Tyler Beech", "registration", 37, 9, ""),
        ("Mia Lovatt", "deletion", 30, 2, "other_school"),
        ("Zainab Ali", "deletion", 21, 0, "home_education"),
        ("Liam Hulme", "registration", 14, 4, ""),
        ("Ruby Capewell", "deletion", 6, 0, "moved_away"),
    ];
    for (i, (name, kind, ago, delay, ground)) in pupils_named.iter().enumerate() {
        let event_on = today - TimeDelta::days(*ago);
        let notified_on = (event_on + TimeDelta::days(*delay)).min(today);
        let s = &p.schools[i % 3 + usize::from(i % 4 == 3) * 3];
        p.notices.push(NewNotice {
            id: id(0x4000 + i as u128),
            school_id: s.id,
            kind: (*kind).into(),
            pupil_name: (*name).into(),
            pupil_dob: NaiveDate::from_ymd_opt(
                today.year() - 11 - (i as i32 % 4),
                1 + (i as u32 * 5) % 12,
                3 + i as u32,
            ),
            upn: None,
            event_on,
            notified_on,
            ground: (!ground.is_empty()).then(|| (*ground).into()),
            destination: match *ground {
                "other_school" => {
                    "Moving to Sandon Road Academy, Stafford; new address given by parent.".into()
                }
                "home_education" => {
                    "Parent's letter: the child will be educated at home. Same address.".into()
                }
                "moved_away" => "Family moving to Crewe; new school not yet known.".into(),
                "continuous_absence" => {
                    "Not seen since the start of term; family not at the address.".into()
                }
                _ => "Previously at a school in Birmingham.".into(),
            },
            recorded_by: system,
            recorded_at: calendar::from_london(
                notified_on.and_hms_opt(11, 0, 0).unwrap_or_default(),
            ),
        });
    }
    // CME cases on the demo social worker's school-age children.
    let demo_sw = data
        .users
        .iter()
        .find(|u| u.email == sign_in_email(Role::SocialWorker))
        .map(|u| u.id);
    let school_age: Vec<&super::generate::DemoChild> = data
        .children
        .iter()
        .filter(|c| {
            let age = harbour_domain::rules::age_on(c.child.dob, today);
            (6..=15).contains(&age)
                && c.allocations
                    .iter()
                    .any(|a| a.end_date.is_none() && Some(a.worker_id) == demo_sw)
        })
        .collect();
    let plans: [(i64, &str, Option<CmeOutcome>); 3] = [
        (
            24,
            "Deleted from roll after 20 school days' unauthorised absence; family not at the last known address.",
            None,
        ),
        (
            70,
            "Not on any school roll after moving into the city; mother says a place was applied for.",
            Some(CmeOutcome::FoundInEducation),
        ),
        (
            3,
            "Missing from school for a week after a missing episode; the school cannot reach the family.",
            None,
        ),
    ];
    for (i, (ago, reason, outcome)) in plans.iter().enumerate() {
        let Some(c) = school_age.get(i) else { break };
        let opened_on = today - TimeDelta::days(*ago);
        let episode = history
            .for_child(c.child.id)
            .into_iter()
            .rev()
            .find(|e| e.from == MissingFrom::Education)
            .map(|e| e.id);
        let mut steps = Vec::new();
        if *ago > 10 {
            steps.push((
                StepKind::School,
                opened_on + TimeDelta::days(1),
                "Attendance officer, Kilnside Academy".to_string(),
                "Last attended 20 school days before the case opened; no contact from the family since.".to_string(),
            ));
            steps.push((
                StepKind::HomeVisit,
                opened_on + TimeDelta::days(3),
                "Children missing education officer".to_string(),
                "No answer; a neighbour said the family may have moved to Birmingham.".to_string(),
            ));
            steps.push((
                StepKind::OtherLa,
                opened_on + TimeDelta::days(6),
                "CME officer, Birmingham City Council".to_string(),
                "No school application found yet; Birmingham checking its admissions and council tax records.".to_string(),
            ));
        }
        p.cases.push(DemoCase {
            child: c.child.id,
            case: NewCase {
                id: id(0x5000 + i as u128),
                school_id: Some(p.schools[i % 2].id),
                notice_id: None,
                episode_id: episode,
                opened_on,
                reason: (*reason).into(),
                opened_by: demo_sw.unwrap_or(system),
                opened_at: calendar::from_london(opened_on.and_hms_opt(10, 0, 0).unwrap_or_default()),
            },
            steps,
            outcome: outcome.map(|o| {
                (
                    o,
                    opened_on + TimeDelta::days(12),
                    "On roll at Meir Heath Academy from this week; the school confirmed attendance.".to_string(),
                )
            }),
        });
    }
    p
}

impl App {
    /// Load the planned schools data (demo only; written as the system).
    pub(super) async fn load_demo_schools(&self, tx: &mut Tx, p: &DemoSchools) -> AppResult<()> {
        use harbour_db::supervision as sv;
        for s in &p.schools {
            repo::insert_school(tx, s).await?;
        }
        for s in &p.staff {
            repo::insert_staff(tx, s).await?;
        }
        let Some(by) = p.manager else {
            return Ok(());
        };
        for (school, joined, left) in &p.memberships {
            repo::insert_membership(tx, *school, *joined, *left, by, self.now()).await?;
        }
        for (c, child) in &p.contacts {
            let ok = child.map(system_import);
            repo::insert_contact(tx, c, ok.as_ref()).await?;
        }
        for n in &p.notices {
            repo::insert_notice(tx, n).await?;
        }
        for c in &p.cases {
            let ok = system_import(c.child);
            repo::insert_case(tx, &ok, &c.case).await?;
            for (kind, on, by, result) in &c.steps {
                repo::insert_step(
                    tx,
                    &ok,
                    c.case.id,
                    kind.as_str(),
                    *on,
                    by,
                    result,
                    c.case.opened_by,
                    c.case.opened_at,
                )
                .await?;
            }
            if let Some((o, on, notes)) = &c.outcome {
                repo::close_case(tx, &ok, c.case.id, o.as_str(), *on, notes, c.case.opened_by)
                    .await?;
            }
        }
        for s in &p.sessions {
            sv::insert_session(tx, &s.session).await?;
            if let Some((child, analysis, decisions)) = &s.discussion {
                let d = CaseDiscussion {
                    id: Uuid::from_u128(s.session.id.as_u128() ^ 0x100),
                    session_id: s.session.id,
                    child_id: *child,
                    analysis: analysis.clone(),
                    decisions: decisions.clone(),
                };
                sv::insert_discussion(tx, &system_import(*child), &d, 0).await?;
            }
            if let Some(a) = &s.action {
                let ok = a.child_id.map(system_import);
                sv::insert_action(tx, ok.as_ref(), a, 0, None).await?;
                let t = Task {
                    id: Uuid::from_u128(a.id.as_u128() ^ 0x7a5c),
                    child_id: a.child_id,
                    assigned_user: Some(a.owner_id),
                    assigned_role: None,
                    kind: "supervision.action".into(),
                    title: "Action from supervision".into(),
                    detail: a.text.clone(),
                    due_at: a
                        .due
                        .and_hms_opt(17, 0, 0)
                        .map(|t| t.and_utc())
                        .unwrap_or(s.session.held_at),
                    source_id: Some(a.id),
                    created_at: s.session.held_at,
                    completed_at: None,
                };
                harbour_db::tasks::insert(tx, &t, None).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_shows_fewer_referrals_after_joining() {
        let now: DateTime<Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        let data = super::super::generate::generate(super::super::DEMO_SEED, now);
        let history = super::super::missing::generate(&data, super::super::DEMO_SEED, now);
        let p = plan(&data, &history, now);
        assert_eq!(p.schools.len(), 6);
        assert!(p.schools.iter().all(|s| urn_is_valid(&s.urn)));
        assert_eq!(school_users(&data).len(), 2);
        // Kilnside: referrals per complete term before and after joining.
        let k = &p.schools[0];
        let facts: Vec<ContactFact> = p
            .contacts
            .iter()
            .filter(|c| c.0.school_id == k.id)
            .map(|c| ContactFact {
                on: calendar::london_date(c.0.received_at),
                kind: ContactKind::parse(&c.0.kind).unwrap(),
                outcome: ContactOutcome::parse(&c.0.outcome).unwrap(),
            })
            .collect();
        let ms: Vec<Membership> = p
            .memberships
            .iter()
            .filter(|m| m.0 == k.id)
            .map(|m| Membership {
                joined: m.1,
                left: m.2,
            })
            .collect();
        let today = calendar::london_date(now);
        let rows: Vec<TermRow> = report_rows(&facts, &ms, "2023-09-01".parse().unwrap(), today)
            .into_iter()
            .filter(|r| r.term < term_of(today))
            .collect();
        let (before, member) = before_after(&rows);
        assert_eq!((before.terms, member.terms), (6, 3));
        assert!(before.referrals_per_term() > member.referrals_per_term());
        assert!(!p.sessions.is_empty());
        assert!(p.sessions.iter().any(|s| s.discussion.is_some()));
        assert_eq!(p.cases.len(), 3);
        assert!(p.notices.iter().any(|n| {
            notice_is_late(
                NoticeKind::parse(&n.kind).unwrap(),
                n.event_on,
                n.notified_on,
            )
        }));
    }
}
