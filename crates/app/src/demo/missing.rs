//! The demo authority's missing history: episodes over the last 12 months,
//! police grades, return home interviews and what their findings were shared
//! with, so a new user of the demo sees children missing now, an interview
//! queue (with some overdue), statistics and a host view with something in
//! them.
//!
//! [`generate`] is pure, like [`super::generate`]: a function of the demo
//! data, a seed and `now`, with no IO, no clock reads and no outside
//! randomness. [`App::load_demo_missing`] writes its output through the
//! storage functions, in the demo's transaction.
//!
//! **Shape.** About 22% of the children aged 11 to 17 went missing in the
//! last year, weighted toward looked-after children, children placed here by
//! other authorities and children with exploitation alerts or in the
//! exploitation and missing team. Most have one or two episodes; some go
//! missing repeatedly (4 to 8 episodes, a few of them 3 or more in 30 days).
//! Five to seven children are missing now (last seen in the past 36 hours),
//! one of them the demo social worker's and one placed here by another
//! authority. Every closed episode has a return home interview with the
//! commissioned provider, due 72 hours after the return: awaiting when not
//! yet due; otherwise mostly held in time, some late, declined or not held,
//! and 8 to 10 still awaiting past their due time. Recorded interviews carry
//! sharing decisions for every recipient that applies and notifications to
//! the police and the placing or host authority.
//!
//! **Every person and place named is invented** (places are generic parts of
//! Stoke-on-Trent and nearby towns). The first child on the demo social
//! worker's list (by name) is left without episodes: the browser tests report
//! that child missing.

use super::generate::{
    DEMO_TEAM_NAME, DemoChild, DemoData, FAR_TOWNS, HOME_LA, HOTSPOTS, ID_EPOCH_MS, Rng,
    sign_in_email,
};
use crate::{App, AppResult};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use harbour_db::{Tx, findings, missing as missing_repo, rhi, tasks};
use harbour_domain::Role;
use harbour_domain::authz::system_import;
use harbour_domain::calendar::{self, WorkingCalendar};
use harbour_domain::findings::{DeliveryStatus, LawfulBasis, Recipient, ShareDecision};
use harbour_domain::ids::{ChildId, OrgId, TeamId, UserId};
use harbour_domain::missing::*;
use harbour_domain::model::{OrgKind, Task, User};
use std::collections::{BTreeMap, BTreeSet};
use uuid::{Builder, Uuid};

/// The sign-in of the placing authority's practitioner.
pub const PLACING_AUTHORITY_EMAIL: &str = "placing-authority@demo.harbour.test";

/// How a notification to another organisation got on.
#[derive(Clone, Debug, PartialEq)]
pub enum Delivery {
    /// E-mailed, and opened by someone at the organisation.
    Received {
        /// E-mailed.
        sent_at: DateTime<Utc>,
        /// Opened.
        received_at: DateTime<Utc>,
        /// Who opened it.
        by: UserId,
        /// Their name.
        by_name: String,
    },
    /// E-mailed, not opened yet.
    Sent {
        /// E-mailed.
        sent_at: DateTime<Utc>,
    },
    /// Not e-mailed: the organisation is not set up in Harbour, so someone
    /// must tell them another way.
    NotEmailed,
}

/// One sharing decision and, for an external recipient it was shared with,
/// how the notification went.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoDecision {
    /// The decision.
    pub decision: ShareDecision,
    /// The notification, for a shared external recipient.
    pub delivery: Option<Delivery>,
}

/// What the provider recorded about an interview.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoRecord {
    /// The provider's worker.
    pub by: UserId,
    /// When recorded (after it was held or decided).
    pub at: DateTime<Utc>,
    /// One decision per recipient that applies.
    pub decisions: Vec<DemoDecision>,
    /// People the child named.
    pub people: Vec<String>,
    /// Places the child named.
    pub places: Vec<String>,
}

/// A return home interview after a closed episode.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoInterview {
    /// The interview as it stands (outcome and findings filled when recorded).
    pub interview: ReturnInterview,
    /// When it was created (when the return was recorded).
    pub created_at: DateTime<Utc>,
    /// The record, unless still awaiting.
    pub record: Option<DemoRecord>,
}

/// One episode with its grades, return and interview.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoEpisode {
    /// The episode, with its return if closed.
    pub episode: MissingEpisode,
    /// Police grades, oldest first (a re-grade is a second entry).
    pub grades: Vec<(PoliceGrade, DateTime<Utc>)>,
    /// Who recorded the return and when.
    pub return_recorded: Option<(UserId, DateTime<Utc>)>,
    /// The interview, for a closed episode.
    pub interview: Option<DemoInterview>,
}

/// The missing history of the demo authority.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoMissing {
    /// Episodes, grouped by child, oldest first within a child.
    pub episodes: Vec<DemoEpisode>,
}

impl DemoMissing {
    /// A child's episodes, oldest first.
    pub fn for_child(&self, child: ChildId) -> Vec<&MissingEpisode> {
        self.episodes
            .iter()
            .filter(|e| e.episode.child_id == child)
            .map(|e| &e.episode)
            .collect()
    }
    /// Children with an open episode.
    pub fn missing_now(&self) -> Vec<ChildId> {
        self.episodes
            .iter()
            .filter(|e| e.episode.is_open())
            .map(|e| e.episode.child_id)
            .collect()
    }
    /// Interviews awaiting past their due time at `now`.
    pub fn overdue(&self, now: DateTime<Utc>) -> Vec<&DemoInterview> {
        self.episodes
            .iter()
            .filter_map(|e| e.interview.as_ref())
            .filter(|i| i.interview.outcome == RhiOutcome::Awaiting && i.interview.due_at < now)
            .collect()
    }
}

/// The placing authority's practitioner: a partner practitioner in the
/// organisation of the authority that places the most children here, who
/// receives the findings about them. `None` if no such organisation.
pub fn placing_authority_user(data: &DemoData, seed: u64) -> Option<User> {
    let org = top_placing_org(data)?;
    let mut rng = Rng::new(seed ^ 0x504C_4143_494E_4721);
    Some(User {
        id: UserId(demo_uuid(&mut rng, 900_000)),
        email: PLACING_AUTHORITY_EMAIL.into(),
        name: "Dawn Ashcroft".into(),
        role: Role::PartnerPractitioner,
        org_id: org,
        team_id: None,
        pod_id: None,
        fte_hundredths: 100,
        swe_number: None,
        agency: false,
        asye_start: None,
        disabled_at: None,
        totp_enabled: false,
    })
}

/// The other-authority organisation that places the most children here.
pub fn top_placing_org(data: &DemoData) -> Option<OrgId> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &data.children {
        if c.child.responsible_la != HOME_LA {
            *count.entry(c.child.responsible_la.as_str()).or_default() += 1;
        }
    }
    data.orgs
        .iter()
        .filter(|o| o.kind == OrgKind::OtherAuthority)
        .filter_map(|o| {
            let la = o.la_code.as_deref()?;
            Some((count.get(la).copied().unwrap_or(0), o.id))
        })
        .max_by_key(|(n, id)| (*n, std::cmp::Reverse(id.0)))
        .map(|(_, id)| id)
}

/// A UUIDv7 with a fixed-epoch timestamp: reproducible, like the generator's.
pub(super) fn demo_uuid(rng: &mut Rng, counter: u64) -> Uuid {
    let a = rng.next_u64().to_le_bytes();
    let b = rng.next_u64().to_le_bytes();
    let mut bytes = [0u8; 10];
    bytes[..8].copy_from_slice(&a);
    bytes[8..].copy_from_slice(&b[..2]);
    Builder::from_unix_timestamp_millis(ID_EPOCH_MS + counter, &bytes).into_uuid()
}

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

const PUSH_PULL: &[&str] = &[
    "{first} said rows at the placement about phone use and coming-in times made them want to get away for the night. Friends had messaged to meet at {hotspot}.",
    "{first} went to see a friend the family do not know; said they lost track of time and their phone battery died.",
    "{first} said they miss their mum and younger brothers and went to find them in {town}; they feel they do not fit in where they are living.",
    "{first} was offered cannabis and a lift by older lads at {hotspot} and said they did not want to look stupid by going home.",
    "{first} said school had been hard (a fall-out with a group in their year) and they could not face going back.",
    "Boredom and wanting to be with friends: {first} said their curfew is earlier than everyone else's.",
    "{first} said an older man they met online offered to pick them up and buy food; they did not see it as a problem.",
    "{first} said they owe someone money for a phone and were told they could work it off.",
    "{first} said home had been tense since a new partner moved in, and staying out felt easier than going back.",
];

const HARM: &[&str] = &[
    "A cut to the hand; {first} would not say how it happened.",
    "{first} said they had not eaten for a day and slept on a friend's floor.",
    "{first} said they drank vodka with older people and were sick; no medical help was sought.",
    "{first} said an older male pushed them against a wall during an argument.",
    "Bruising to the arm seen by the carer on return; {first} said it was from play-fighting.",
];

const EXPLOIT: &[&str] = &[
    "A new phone and cash that {first} could not explain; unknown numbers calling late at night.",
    "Travelled to {far} by train with no money of their own; said an older friend paid.",
    "Came back with a second phone and about eighty pounds in cash; would not say where they came from.",
    "Older adults with cars collecting {first} near {hotspot}; given alcohol and cannabis.",
    "Talks about owing people; has a graze they say was an accident with a knife.",
];

const PEOPLE: &[&str] = &[
    "\"Deano\" (older male, about 20, drives a grey car)",
    "\"K\" (teenage boy from Meir)",
    "Jordan (friend from school)",
    "An older woman known as \"Auntie\"",
    "Ty (about 17, from Longton)",
    "\"Smudge\" (adult male, sells phones)",
    "Kayla (friend, 15)",
    "A man called Lee who has a flat above a shop",
];

const PLACES: &[&str] = &[
    "Hanley bus station",
    "Fenton park",
    "Longton town centre",
    "Burslem town centre",
    "A flat in Meir",
    "Stoke railway station",
    "A takeaway in Tunstall",
    "The canal towpath at Etruria",
];

const ACTIONS: &[&str] = &[
    "Safety plan reviewed with {first} and the carers; the social worker to discuss the people named with the police missing person coordinator.",
    "Referral to the youth service for Friday night activities; {first} agreed to try one session.",
    "Share the names given with the police as intelligence; the social worker to consider a strategy discussion.",
    "Agree a later Saturday curfew as a trial; carers to text rather than ring when {first} is late.",
    "School to be told, with {first}'s agreement, about the fall-out; mentor sessions to restart.",
    "Refer to the exploitation and missing panel; update the exploitation screening tool.",
    "Family time with mum to be increased to weekly, supervised, as {first} asked.",
];

const DECLINED: &[&str] = &[
    "{first} said they did not want to talk about it and would speak to their social worker instead.",
    "Offered by phone and at the placement; {first} said nothing had happened and declined.",
    "{first} declined; said they had already spoken to the police officer who brought them back.",
];

const NOT_HELD: &[&str] = &[
    "{first} went missing again before the interview could take place; a new interview follows that return.",
    "{first} was in hospital for a few days after the return; the social worker followed up on the ward.",
    "{first} moved to a placement out of the area the day after the return; the interview was passed to the service there.",
];

const LATE: &[&str] = &[
    "{first} was staying with family until the weekend and not available sooner.",
    "The interview was rearranged twice at {first}'s request.",
    "Staff sickness: the interview was reallocated to another worker.",
];

const WITHHELD_POLICE: &str = "Nothing new for the police: the officer who found the child was told the same account at the time.";
const WITHHELD_PANEL: &str =
    "Already on the panel's list; the social worker takes the findings to the next review.";

struct Words<'a> {
    first: &'a str,
    town: &'a str,
    hotspot: &'static str,
    far: &'static str,
}

impl Words<'_> {
    fn fill(&self, t: &str) -> String {
        t.replace("{first}", self.first)
            .replace("{town}", self.town)
            .replace("{hotspot}", self.hotspot)
            .replace("{far}", self.far)
    }
}

// ---------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------

/// Facts about one child the generator needs.
struct Kid<'a> {
    c: &'a DemoChild,
    worker: Option<UserId>,
    team: Option<TeamId>,
    weight: u64,
    /// Placed here by an authority with no organisation in Harbour, or
    /// placed in an area whose authority has none.
    unknown_org: bool,
    placed_in: bool,
}

/// A forced last closed episode.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Anchor {
    /// Returned 10 to 60 hours ago: interview not yet due.
    Recent,
    /// Returned 4 to 14 days ago: interview overdue.
    Overdue,
}

struct Plan {
    kid: usize,
    n: usize,
    open: bool,
    anchor: Option<Anchor>,
}

fn child_exploit(c: &DemoChild, demo_team: Option<TeamId>, team: Option<TeamId>) -> bool {
    let alert = c.alerts.iter().any(|a| {
        let t = a.text.to_lowercase();
        t.contains("exploitation")
            || t.contains("philomena")
            || t.contains("abduction")
            || t.contains("missing")
    });
    alert || (team.is_some() && team == demo_team)
}

fn town_of(c: &DemoChild, on: NaiveDate) -> String {
    c.addresses
        .iter()
        .filter(|a| a.from_date <= on && a.to_date.is_none_or(|t| t > on))
        .map(|a| a.town.clone())
        .next_back()
        .or_else(|| c.addresses.last().map(|a| a.town.clone()))
        .unwrap_or_else(|| "Hanley".into())
}

fn minutes(rng: &mut Rng, lo: i64, hi: i64) -> Duration {
    Duration::minutes(rng.range(lo, hi))
}

/// Build the demo's missing history. Pure: the same data, seed and `now`
/// give the same history; every instant is on or before `now`.
pub fn generate(data: &DemoData, seed: u64, now: DateTime<Utc>) -> DemoMissing {
    let mut rng = Rng::new(seed ^ 0x4D49_5353_494E_4721);
    let mut ids = Rng::new(seed ^ 0x4D49_5353_4944_5331);
    let mut counter = 1_000_000u64;
    let mut uuid = |ids: &mut Rng| {
        counter += 1;
        demo_uuid(ids, counter)
    };
    let today = now.date_naive();
    let cal = WorkingCalendar::england_and_wales();
    let demo_worker = data
        .users
        .iter()
        .find(|u| u.email == sign_in_email(Role::SocialWorker))
        .map(|u| u.id);
    let demo_team = data
        .teams
        .iter()
        .find(|t| t.name == DEMO_TEAM_NAME)
        .map(|t| t.id);
    let managers: BTreeMap<TeamId, Option<UserId>> =
        data.teams.iter().map(|t| (t.id, t.manager_id)).collect();
    let org_of_kind = |k: OrgKind| data.orgs.iter().find(|o| o.kind == k).map(|o| o.id);
    let rhi_org = org_of_kind(OrgKind::RhiProvider);
    let police_org = org_of_kind(OrgKind::Police);
    let users_of = |org: Option<OrgId>, role: Role| -> Vec<&User> {
        data.users
            .iter()
            .filter(|u| Some(u.org_id) == org && u.role == role)
            .collect()
    };
    let rhi_users = users_of(rhi_org, Role::RhiProvider);
    let edt: Vec<UserId> = data
        .users
        .iter()
        .filter(|u| u.role == Role::EdtWorker)
        .map(|u| u.id)
        .collect();
    let any_manager = data.teams.iter().find_map(|t| t.manager_id);
    let la_org = |la: &str| {
        data.orgs
            .iter()
            .find(|o| o.kind == OrgKind::OtherAuthority && o.la_code.as_deref() == Some(la))
            .map(|o| o.id)
    };

    // Who may go missing.
    let mut kids: Vec<Kid> = Vec::new();
    let protected = data
        .children
        .iter()
        .filter(|c| {
            c.allocations
                .iter()
                .any(|a| a.end_date.is_none() && Some(a.worker_id) == demo_worker)
        })
        .min_by(|a, b| {
            (&a.child.last_name, &a.child.first_name)
                .cmp(&(&b.child.last_name, &b.child.first_name))
        })
        .map(|c| c.child.id);
    for c in &data.children {
        let age = harbour_domain::rules::age_on(c.child.dob, today);
        if !(11..=17).contains(&age) || Some(c.child.id) == protected {
            continue;
        }
        let cur = c.allocations.iter().find(|a| a.end_date.is_none());
        let worker = cur.map(|a| a.worker_id);
        let team = cur.and_then(|a| a.team_id);
        let placed_in = c.child.responsible_la != HOME_LA;
        let lac = c.placements.iter().any(|p| p.end_date.is_none());
        let exploit = child_exploit(c, demo_team, team);
        let unknown_org = (placed_in && la_org(&c.child.responsible_la).is_none())
            || c.child
                .host_la
                .as_deref()
                .is_some_and(|h| h != HOME_LA && la_org(h).is_none());
        let mut weight = 10;
        if lac {
            weight += 15;
        }
        if exploit {
            weight += 25;
        }
        if placed_in {
            weight += 15;
        }
        if team.is_some() && team == demo_team {
            weight += 15;
        }
        if unknown_org {
            weight = (weight / 4).max(2);
        }
        kids.push(Kid {
            c,
            worker,
            team,
            weight,
            unknown_org,
            placed_in,
        });
    }

    // Which children: about 22% of those aged 11 to 17, weighted, with at
    // most two placed here by authorities Harbour has no organisation for.
    let target = (kids.len() * rng.range(21, 24) as usize + 50) / 100;
    let mut chosen: BTreeSet<usize> = BTreeSet::new();
    let mut unknown_in = 0;
    let mut guard = 0;
    while chosen.len() < target.min(kids.len()) && guard < 10_000 {
        guard += 1;
        let pool: Vec<(usize, u32)> = kids
            .iter()
            .enumerate()
            .filter(|(i, k)| {
                !(chosen.contains(i) || (k.unknown_org && k.placed_in && unknown_in >= 2))
            })
            .map(|(i, k)| (i, k.weight as u32))
            .collect();
        if pool.is_empty() {
            break;
        }
        let i = rng.weighted(&pool);
        if kids[i].unknown_org && kids[i].placed_in {
            unknown_in += 1;
        }
        chosen.insert(i);
    }
    let is_demo_team = |k: &Kid| k.team.is_some() && k.team == demo_team;
    let mut plans: Vec<Plan> = chosen
        .iter()
        .map(|&i| {
            let high = kids[i].weight >= 40;
            let n = if high {
                rng.weighted(&[
                    (1, 40),
                    (2, 28),
                    (3, 10),
                    (4, 8),
                    (5, 6),
                    (6, 4),
                    (7, 2),
                    (8, 2),
                ])
            } else {
                rng.weighted(&[(1, 60), (2, 28), (3, 8), (4, 4)])
            };
            Plan {
                kid: i,
                n,
                open: false,
                anchor: None,
            }
        })
        .collect();
    // At least four repeat-missing children.
    let mut by_weight: Vec<usize> = (0..plans.len()).collect();
    by_weight.sort_by_key(|&p| (std::cmp::Reverse(kids[plans[p].kid].weight), plans[p].kid));
    for &p in &by_weight {
        if plans.iter().filter(|p| p.n >= 4).count() >= 4 {
            break;
        }
        if plans[p].n < 4 {
            plans[p].n = rng.range(4, 6) as usize;
        }
    }
    // Ensure the plans hold a child of `want`, adding one if needed; returns its plan index.
    let ensure = |plans: &mut Vec<Plan>,
                  rng: &mut Rng,
                  want: &dyn Fn(&Kid) -> bool,
                  taken: &dyn Fn(&Plan) -> bool|
     -> Option<usize> {
        let have: Vec<usize> = (0..plans.len())
            .filter(|&p| want(&kids[plans[p].kid]) && !taken(&plans[p]))
            .collect();
        if !have.is_empty() {
            return Some(have[rng.below(have.len() as u64) as usize]);
        }
        let free: Vec<usize> = (0..kids.len())
            .filter(|i| want(&kids[*i]) && !plans.iter().any(|p| p.kid == *i))
            .collect();
        let i = *free.get(rng.below(free.len() as u64) as usize)?;
        plans.push(Plan {
            kid: i,
            n: 2,
            open: false,
            anchor: None,
        });
        Some(plans.len() - 1)
    };
    let not_taken = |p: &Plan| p.open || p.anchor.is_some();
    // Missing now: one of the demo worker's, one placed here, then others.
    let n_open = rng.range(5, 7) as usize;
    if let Some(p) = ensure(
        &mut plans,
        &mut rng,
        &|k: &Kid| k.worker.is_some() && k.worker == demo_worker && !k.c.child.restricted,
        &not_taken,
    ) {
        plans[p].open = true;
    }
    if let Some(p) = ensure(
        &mut plans,
        &mut rng,
        &|k: &Kid| k.placed_in && !k.unknown_org && !k.c.child.restricted,
        &not_taken,
    ) {
        plans[p].open = true;
    }
    while plans.iter().filter(|p| p.open).count() < n_open {
        let pool: Vec<(usize, u32)> = plans
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.open && !kids[p.kid].c.child.restricted)
            .map(|(i, p)| (i, kids[p.kid].weight as u32))
            .collect();
        if pool.is_empty() {
            break;
        }
        let p = rng.weighted(&pool);
        plans[p].open = true;
    }
    // Two interviews waiting in the demo team: one not yet due, one overdue.
    for anchor in [Anchor::Recent, Anchor::Overdue] {
        if let Some(p) = ensure(&mut plans, &mut rng, &|k: &Kid| is_demo_team(k), &not_taken) {
            plans[p].anchor = Some(anchor);
        }
    }
    plans.sort_by_key(|p| p.kid);

    // Episodes.
    let mut out: Vec<DemoEpisode> = Vec::new();
    let mut forced_overdue: BTreeSet<usize> = BTreeSet::new();
    for plan in &plans {
        let k = &kids[plan.kid];
        let c = &k.c.child;
        let recorder_at = |rng: &mut Rng, at: DateTime<Utc>| -> UserId {
            let manager = k.team.and_then(|t| managers.get(&t).copied().flatten());
            if is_out_of_hours(at, &cal) && !edt.is_empty() {
                edt[rng.below(edt.len() as u64) as usize]
            } else {
                k.worker
                    .or(manager)
                    .or(any_manager)
                    .unwrap_or(first_user(data))
            }
        };
        let birth10 = (c.dob + Duration::days(3653))
            .and_hms_opt(0, 0, 0)
            .map(|d| d.and_utc())
            .unwrap_or(now);
        let win_start = (now - Duration::days(365)).max(c.created_at).max(birth10);
        // The open episode and the anchored one come last; the rest fit before.
        let mut fixed: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = Vec::new();
        let mut limit = now - Duration::hours(1);
        let mut anchored = false;
        if plan.open {
            let start = now - minutes(&mut rng, 120, 36 * 60);
            fixed.push((start, None));
            limit = start - Duration::hours(8);
        }
        if let Some(a) = plan.anchor {
            let (lo, hi) = match a {
                Anchor::Recent => (10 * 60, 60 * 60),
                Anchor::Overdue => (4 * 24 * 60, 14 * 24 * 60),
            };
            let ret = limit.min(now - minutes(&mut rng, lo, hi));
            let start = ret - minutes(&mut rng, 180, 20 * 60);
            if start > win_start {
                anchored = true;
                fixed.push((start, Some(ret)));
                limit = start - Duration::hours(12);
            }
        }
        let free = plan
            .n
            .saturating_sub(fixed.len())
            .max(if fixed.is_empty() { 1 } else { 0 });
        let mut starts: Vec<DateTime<Utc>> = Vec::new();
        let span = (limit - win_start).num_minutes();
        if span > 2 * 24 * 60 {
            let cluster = plan.n >= 4 && span > 40 * 24 * 60;
            let c_end =
                win_start + Duration::minutes(rng.range(30 * 24 * 60, span)).min(limit - win_start);
            for j in 0..free {
                let t = if cluster && j < 3 {
                    c_end - minutes(&mut rng, 0, 18 * 24 * 60)
                } else {
                    win_start + minutes(&mut rng, 0, span)
                };
                // Mostly afternoons and evenings.
                let d = t.date_naive();
                let h = rng.weighted(&[
                    (10, 2),
                    (12, 4),
                    (14, 6),
                    (16, 10),
                    (18, 12),
                    (19, 12),
                    (20, 12),
                    (21, 10),
                    (22, 8),
                    (23, 4),
                ]) as u32;
                let m = rng.range(0, 59) as u32;
                let t = d
                    .and_hms_opt(h, m, 0)
                    .map(|x| x.and_utc())
                    .unwrap_or(t)
                    .max(win_start + Duration::hours(1));
                starts.push(t);
            }
        }
        starts.sort();
        let mut spans: Vec<(DateTime<Utc>, Option<DateTime<Utc>>)> = Vec::new();
        let mut prev_end = win_start;
        for s in starts {
            let dur = match rng.below(100) {
                0..=44 => minutes(&mut rng, 120, 8 * 60),
                45..=79 => minutes(&mut rng, 8 * 60, 24 * 60),
                _ => minutes(&mut rng, 24 * 60, 72 * 60),
            };
            let s = s.max(prev_end + minutes(&mut rng, 6 * 60, 30 * 60));
            let e = s + dur;
            if e > limit {
                continue;
            }
            spans.push((s, Some(e)));
            prev_end = e;
        }
        fixed.sort();
        spans.extend(fixed);
        if spans.is_empty() {
            continue;
        }
        for (last_seen_at, returned_at) in spans {
            let ep = episode(
                &mut rng,
                &mut ids,
                &mut uuid,
                k,
                last_seen_at,
                returned_at,
                now,
                &recorder_at,
            );
            out.push(ep);
        }
        if anchored && plan.anchor == Some(Anchor::Overdue) {
            // The anchored episode is the child's last.
            forced_overdue.insert(out.len() - 1);
        }
    }

    // Police references, in report order, numbered through each year.
    let mut order: Vec<usize> = (0..out.len())
        .filter(|&i| out[i].episode.reported_at.is_some())
        .collect();
    order.sort_by_key(|&i| (out[i].episode.reported_at, i));
    let mut last_num: BTreeMap<i32, u32> = BTreeMap::new();
    for i in order {
        let Some(r) = out[i].episode.reported_at else {
            continue;
        };
        let n = last_num.entry(r.year()).or_insert(0);
        *n = (*n + rng.range(20, 60) as u32).max(r.ordinal() * 42);
        out[i].episode.police_ref = Some(format!("SP-{:02}-{:06}", r.year() % 100, n));
    }

    // Interview outcomes: 8 to 10 overdue (the demo team's anchored one among
    // them), the rest of those past due mostly held.
    let past_due: Vec<usize> = (0..out.len())
        .filter(|&i| out[i].episode.returned_at.is_some_and(|r| rhi_due(r) < now))
        .collect();
    let n_overdue = rng.range(8, 10) as usize;
    let mut overdue: BTreeSet<usize> = forced_overdue.clone();
    let mut recent_due: Vec<usize> = past_due
        .iter()
        .copied()
        .filter(|&i| {
            out[i]
                .episode
                .returned_at
                .is_some_and(|r| rhi_due(r) >= now - Duration::days(28))
                && !overdue.contains(&i)
        })
        .collect();
    rng.shuffle(&mut recent_due);
    for i in recent_due {
        if overdue.len() >= n_overdue {
            break;
        }
        overdue.insert(i);
    }
    if overdue.len() < n_overdue {
        let mut older: Vec<usize> = past_due
            .iter()
            .copied()
            .filter(|i| !overdue.contains(i))
            .collect();
        older.sort_by_key(|&i| std::cmp::Reverse(out[i].episode.returned_at));
        for i in older.into_iter().take(n_overdue - overdue.len()) {
            overdue.insert(i);
        }
    }
    let police_users = users_of(police_org, Role::PartnerPractitioner);
    let kid_of: BTreeMap<ChildId, usize> = kids
        .iter()
        .enumerate()
        .map(|(i, k)| (k.c.child.id, i))
        .collect();
    for (i, ep) in out.iter_mut().enumerate() {
        let Some(returned) = ep.episode.returned_at else {
            continue;
        };
        let k = &kids[kid_of[&ep.episode.child_id]];
        let created_at = ep.return_recorded.map(|(_, t)| t).unwrap_or(returned);
        let due = rhi_due(returned);
        let mut iv = ReturnInterview {
            id: uuid(&mut ids),
            episode_id: ep.episode.id,
            child_id: ep.episode.child_id,
            provider_org_id: rhi_org.unwrap_or(OrgId(Uuid::nil())),
            due_at: due,
            outcome: RhiOutcome::Awaiting,
            offered_at: None,
            offered_by: None,
            held_at: None,
            reason: None,
            declined_told: None,
            late_reason: None,
            push_pull: None,
            harm_disclosed: None,
            exploitation_indicators: None,
            people_places: None,
            actions: None,
        };
        if due >= now || overdue.contains(&i) || rhi_users.is_empty() {
            ep.interview = Some(DemoInterview {
                interview: iv,
                created_at,
                record: None,
            });
            continue;
        }
        let words = Words {
            first: &k.c.child.first_name,
            town: &town_of(k.c, returned.date_naive()),
            hotspot: rng.pick_str(HOTSPOTS),
            far: rng.pick_str(FAR_TOWNS),
        };
        let mut outcome = rng.weighted(&[
            (RhiOutcome::Completed, 60),
            (RhiOutcome::Awaiting, 10), // held late
            (RhiOutcome::Declined, 12),
            (RhiOutcome::NotHeld, 5),
        ]);
        let mut late = false;
        if outcome == RhiOutcome::Awaiting {
            outcome = RhiOutcome::Completed;
            late = due + Duration::hours(30) < now;
        }
        iv.outcome = outcome;
        let offered = (returned + minutes(&mut rng, 90, 26 * 60)).min(now);
        let mut people = Vec::new();
        let mut places = Vec::new();
        match outcome {
            RhiOutcome::Completed => {
                iv.offered_at = Some(offered);
                let held = if late {
                    (due + minutes(&mut rng, 6 * 60, 5 * 24 * 60)).min(now - Duration::hours(1))
                } else {
                    offered
                        + Duration::minutes(
                            rng.range(60, (due - offered).num_minutes().max(61) - 1),
                        )
                };
                iv.held_at = Some(held.max(offered + Duration::minutes(30)));
                if late {
                    iv.late_reason = Some(words.fill(rng.pick_str(LATE)));
                }
                iv.push_pull = Some(words.fill(rng.pick_str(PUSH_PULL)));
                if rng.chance(300) {
                    iv.harm_disclosed = Some(words.fill(rng.pick_str(HARM)));
                }
                if rng.chance(if k.weight >= 40 { 450 } else { 150 }) {
                    iv.exploitation_indicators = Some(words.fill(rng.pick_str(EXPLOIT)));
                }
                if rng.chance(550) {
                    let np = rng.range(1, 2) as usize;
                    for _ in 0..np {
                        let p = rng.pick_str(PEOPLE).to_string();
                        if !people.contains(&p) {
                            people.push(p);
                        }
                    }
                    let pl = rng.pick_str(PLACES).to_string();
                    places.push(pl);
                    if rng.chance(300) {
                        let pl = words.fill("A house in {far}");
                        if !places.contains(&pl) {
                            places.push(pl);
                        }
                    }
                }
                iv.actions = Some(words.fill(rng.pick_str(ACTIONS)));
            }
            RhiOutcome::Declined => {
                iv.offered_at = Some(offered);
                iv.reason = Some(words.fill(rng.pick_str(DECLINED)));
            }
            _ => {
                if rng.chance(400) {
                    iv.offered_at = Some(offered);
                }
                iv.reason = Some(words.fill(rng.pick_str(NOT_HELD)));
            }
        }
        let mut named = Vec::new();
        if !people.is_empty() {
            named.push(format!("People: {}", people.join("; ")));
        }
        if !places.is_empty() {
            named.push(format!("Places: {}", places.join("; ")));
        }
        iv.people_places = (!named.is_empty()).then(|| named.join("\n"));
        let decided = iv.held_at.or(iv.offered_at).unwrap_or(due.min(now));
        let at = (decided + minutes(&mut rng, 30, 20 * 60)).min(now);
        let by = if rng.chance(400) {
            rhi_users[0].id
        } else {
            rhi_users[rng.below(rhi_users.len() as u64) as usize].id
        };
        if iv.offered_at.is_some() {
            let name = rhi_users
                .iter()
                .find(|u| u.id == by)
                .map(|u| u.name.as_str())
                .unwrap_or("A return interview worker");
            iv.offered_by = Some(format!("{name}, return interview worker"));
        }
        if outcome == RhiOutcome::Declined {
            iv.declined_told = Some(format!(
                "{}'s social worker and carer",
                k.c.child.first_name
            ));
        }
        // Sharing decisions: every recipient that applies; now and then one withheld.
        let recipients = Recipient::for_child(
            HOME_LA,
            &k.c.child.responsible_la,
            k.c.child.host_la.as_deref(),
        );
        let withhold = if rng.chance(80) {
            Some(if rng.chance(500) {
                Recipient::Police
            } else {
                Recipient::Panel
            })
        } else {
            None
        };
        let mut decisions = Vec::new();
        for r in recipients {
            if Some(r) == withhold {
                decisions.push(DemoDecision {
                    decision: ShareDecision {
                        recipient: r,
                        share: false,
                        basis: None,
                        reason: if r == Recipient::Police {
                            WITHHELD_POLICE.into()
                        } else {
                            WITHHELD_PANEL.into()
                        },
                    },
                    delivery: None,
                });
                continue;
            }
            let basis = if r == Recipient::Police && iv.harm_disclosed.is_some() && rng.chance(200)
            {
                LawfulBasis::VitalInterests
            } else {
                LawfulBasis::PublicTaskSafeguarding
            };
            let org = match r {
                Recipient::Police => police_org,
                Recipient::PlacingAuthority => la_org(&k.c.child.responsible_la),
                Recipient::HostAuthority => k.c.child.host_la.as_deref().and_then(la_org),
                _ => None,
            };
            let delivery = if !r.is_external() {
                None
            } else if org.is_none() {
                Some(Delivery::NotEmailed)
            } else {
                let sent_at = at + minutes(&mut rng, 1, 4);
                let receivers: Vec<&User> = if r == Recipient::Police {
                    police_users.clone()
                } else {
                    data.users
                        .iter()
                        .filter(|u| Some(u.org_id) == org)
                        .collect()
                };
                let received_at = sent_at + minutes(&mut rng, 40, 3 * 24 * 60);
                if receivers.is_empty() || received_at > now || rng.chance(120) {
                    Some(Delivery::Sent {
                        sent_at: sent_at.min(now),
                    })
                } else {
                    let u = receivers[rng.below(receivers.len() as u64) as usize];
                    Some(Delivery::Received {
                        sent_at,
                        received_at,
                        by: u.id,
                        by_name: u.name.clone(),
                    })
                }
            };
            decisions.push(DemoDecision {
                decision: ShareDecision {
                    recipient: r,
                    share: true,
                    basis: Some(basis),
                    reason: String::new(),
                },
                delivery,
            });
        }
        ep.interview = Some(DemoInterview {
            interview: iv,
            created_at,
            record: Some(DemoRecord {
                by,
                at,
                decisions,
                people,
                places,
            }),
        });
    }
    DemoMissing { episodes: out }
}

fn first_user(data: &DemoData) -> UserId {
    data.users
        .first()
        .map(|u| u.id)
        .unwrap_or(UserId(Uuid::nil()))
}

#[allow(clippy::too_many_arguments)]
fn episode(
    rng: &mut Rng,
    ids: &mut Rng,
    uuid: &mut dyn FnMut(&mut Rng) -> Uuid,
    k: &Kid,
    last_seen_at: DateTime<Utc>,
    returned_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    recorder_at: &dyn Fn(&mut Rng, DateTime<Utc>) -> UserId,
) -> DemoEpisode {
    let c = k.c;
    let day = last_seen_at.date_naive();
    let placement = c
        .placements
        .iter()
        .find(|p| p.start_date <= day && p.end_date.is_none_or(|e| e > day));
    let hour = calendar::to_london(last_seen_at).time();
    let school_day = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
        && (9..15).contains(&chrono::Timelike::hour(&hour));
    let from = if school_day && c.child.school.is_some() && rng.chance(450) {
        MissingFrom::Education
    } else if placement.is_some() {
        MissingFrom::Placement
    } else {
        MissingFrom::Home
    };
    let kind = if rng.chance(200) {
        MissingKind::Away
    } else {
        MissingKind::Missing
    };
    let town = town_of(c, day);
    let words = Words {
        first: &c.child.first_name,
        town: &town,
        hotspot: rng.pick_str(HOTSPOTS),
        far: rng.pick_str(FAR_TOWNS),
    };
    let base = match (from, placement) {
        (MissingFrom::Education, _) => c.child.school.clone().unwrap_or_else(|| "School".into()),
        (MissingFrom::Placement, Some(p)) => format!("Placement: {}", p.carer_name),
        _ => format!("Family home, {town}"),
    };
    let location_left = if from != MissingFrom::Education && rng.chance(300) {
        format!(
            "{} (with friends, after leaving {})",
            words.hotspot,
            match from {
                MissingFrom::Placement => "the placement",
                _ => "home",
            }
        )
    } else {
        base
    };
    let circumstances = words.fill(match (kind, from) {
        (MissingKind::Away, _) => {
            "{first} did not come back by the agreed time but texted to say they were at a friend's in {town}. The address is known; {first} was asked to come back and the police were told."
        }
        (_, MissingFrom::Education) => {
            "{first} left school at lunchtime without permission and did not go home. School rang the carer, who searched the usual places and then rang the police."
        }
        (_, MissingFrom::Placement) => {
            "{first} left the placement saying they were going to the shop and did not come back. Phone switched off. Carers searched the local area and reported to the police."
        }
        _ => {
            "{first} went out after an argument at home and was not back by the agreed time. Mum rang friends, then the police."
        }
    });
    let reported = match kind {
        MissingKind::Missing => rng.chance(950),
        MissingKind::Away => rng.chance(400),
    };
    let end = returned_at.unwrap_or(now);
    let reported_at = reported.then(|| {
        (last_seen_at + minutes(rng, 30, 180))
            .min(end)
            .min(now - Duration::minutes(10))
            .max(last_seen_at)
    });
    let mut grades = Vec::new();
    if let Some(r) = reported_at {
        let g = match kind {
            MissingKind::Away => {
                rng.weighted(&[(PoliceGrade::NoApparentRisk, 5), (PoliceGrade::Low, 5)])
            }
            MissingKind::Missing => rng.weighted(&[
                (PoliceGrade::NoApparentRisk, 5),
                (PoliceGrade::Low, 35),
                (PoliceGrade::Medium, 45),
                (PoliceGrade::High, 15),
            ]),
        };
        grades.push((g, r));
        let regrade_at = r + minutes(rng, 3 * 60, 12 * 60);
        if rng.chance(180) && regrade_at < end {
            let g2 = match g {
                PoliceGrade::High => PoliceGrade::Medium,
                PoliceGrade::Medium => PoliceGrade::High,
                _ => PoliceGrade::Medium,
            };
            grades.push((g2, regrade_at));
        }
    }
    let recorded_at = (reported_at.unwrap_or(last_seen_at) + minutes(rng, 10, 90)).min(now);
    let recorded_by = recorder_at(rng, recorded_at);
    let (found_where, found_by) = match returned_at {
        None => (None, None),
        Some(_) => {
            let back_to = match from {
                MissingFrom::Placement => "the placement",
                _ => "home",
            };
            let (w, b) = match (kind, rng.below(6)) {
                (MissingKind::Away, _) => (
                    format!("Came back to {back_to} from a friend's in {town}"),
                    "Self-returned",
                ),
                (_, 0 | 1) => (format!("Walked back into {back_to}"), "Self-returned"),
                (_, 2) => (format!("Found at {}", words.hotspot), "Police"),
                (_, 3) => (format!("Found at a friend's address in {town}"), "Police"),
                (_, 4) => (
                    format!("Collected from {} railway station", words.far),
                    "Carer",
                ),
                _ => (
                    format!("Seen in {} and brought back", words.hotspot),
                    "Parent",
                ),
            };
            (Some(w), Some(b.to_string()))
        }
    };
    let return_recorded = returned_at.map(|r| {
        let at = (r + minutes(rng, 10, 180)).min(now);
        (recorder_at(rng, at), at)
    });
    let grade = grades.last().map(|(g, _)| *g);
    DemoEpisode {
        episode: MissingEpisode {
            id: uuid(ids),
            child_id: c.child.id,
            kind,
            from,
            last_seen_at,
            location_left,
            reported_at,
            police_ref: None,
            grade,
            circumstances,
            returned_at,
            found_where,
            found_by,
            recorded_by,
            recorded_at,
        },
        grades,
        return_recorded,
        interview: None,
    }
}

// ---------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------

/// What was loaded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MissingLoaded {
    /// Episodes.
    pub episodes: usize,
    /// Children missing now.
    pub missing_now: usize,
    /// Interviews.
    pub interviews: usize,
    /// Of which still awaiting.
    pub awaiting: usize,
    /// Notifications to other organisations.
    pub notifications: usize,
}

/// Findings tasks (read the findings, panel, tell another way) are created
/// only for interviews recorded this recently; older ones would long since
/// have been done.
const FINDINGS_TASK_DAYS: i64 = 7;

impl App {
    /// Write the missing history through the storage functions, in the
    /// demo's transaction, after the children: episodes with their grades and
    /// returns, interviews with their records, sharing decisions,
    /// notifications and people and places named, the findings tasks of
    /// recent interviews and the prompt-action tasks of open episodes.
    pub(super) async fn load_demo_missing(
        &self,
        tx: &mut Tx,
        data: &DemoData,
        m: &DemoMissing,
        now: DateTime<Utc>,
    ) -> AppResult<MissingLoaded> {
        let mut loaded = MissingLoaded::default();
        let provider = rhi::provider(tx).await?;
        let provider_name = data
            .orgs
            .iter()
            .find(|o| Some(o.id) == provider)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| "the return interview service".into());
        let children: BTreeMap<ChildId, &DemoChild> =
            data.children.iter().map(|c| (c.child.id, c)).collect();
        let managers: BTreeMap<TeamId, Option<UserId>> =
            data.teams.iter().map(|t| (t.id, t.manager_id)).collect();
        let cal = WorkingCalendar::england_and_wales();
        let recent = now - Duration::days(FINDINGS_TASK_DAYS);
        for ep in &m.episodes {
            let e = &ep.episode;
            let Some(dc) = children.get(&e.child_id) else {
                continue;
            };
            let c = &dc.child;
            let ok = system_import(c.id);
            let worker = dc
                .allocations
                .iter()
                .find(|a| a.end_date.is_none())
                .map(|a| a.worker_id);
            let open = MissingEpisode {
                returned_at: None,
                found_where: None,
                found_by: None,
                ..e.clone()
            };
            missing_repo::insert(tx, &ok, &open).await?;
            loaded.episodes += 1;
            for (g, at) in &ep.grades {
                let written = (*at).max(e.recorded_at).min(now);
                missing_repo::insert_grade(tx, &ok, e.id, *g, *at, e.recorded_by, written).await?;
            }
            let (Some(returned_at), Some((by, at))) = (e.returned_at, ep.return_recorded) else {
                loaded.missing_now += 1;
                continue;
            };
            let ret = missing_repo::Return {
                returned_at,
                found_where: e.found_where.as_deref().unwrap_or_default(),
                found_by: e.found_by.as_deref().unwrap_or_default(),
            };
            missing_repo::record_return(tx, &ok, e.id, &ret, by, at).await?;
            let (Some(di), Some(provider)) = (&ep.interview, provider) else {
                continue;
            };
            let id =
                rhi::insert(tx, &ok, e.id, provider, di.interview.due_at, di.created_at).await?;
            loaded.interviews += 1;
            let Some(rec) = &di.record else {
                loaded.awaiting += 1;
                continue;
            };
            let i = ReturnInterview {
                id,
                provider_org_id: provider,
                ..di.interview.clone()
            };
            rhi::record(tx, &i, rec.by, rec.at).await?;
            let name = c.full_name();
            let body = crate::findings::compose_findings(&name, c.dob, e, &i, &provider_name);
            let next_day = next_working_day_10am(rec.at, &cal);
            let task = |kind: &str,
                        title: String,
                        detail: String,
                        user: Option<UserId>,
                        role: Option<Role>,
                        source: Uuid| Task {
                id: Uuid::now_v7(),
                child_id: Some(c.id),
                assigned_user: user,
                assigned_role: role,
                kind: kind.into(),
                title,
                detail,
                due_at: next_day,
                source_id: Some(source),
                created_at: rec.at,
                completed_at: None,
            };
            // Nobody allocated: the team managers' queue, as for unallocated work.
            let worker_role = worker.is_none().then_some(Role::TeamManager);
            for d in &rec.decisions {
                findings::insert_share(tx, id, &d.decision, rec.by, rec.at).await?;
                if !d.decision.share {
                    continue;
                }
                let basis = d
                    .decision
                    .basis
                    .unwrap_or(LawfulBasis::PublicTaskSafeguarding);
                match d.decision.recipient {
                    Recipient::SocialWorker => {
                        if rec.at >= recent {
                            let t = task(
                                "rhi.findings",
                                format!("Read the return home interview findings for {name}"),
                                "Add the actions agreed to the child's plan.".into(),
                                worker,
                                worker_role,
                                id,
                            );
                            tasks::insert(tx, &t, Some(rec.by)).await?;
                        }
                    }
                    Recipient::Panel => {
                        if rec.at >= recent {
                            let t = task(
                                "rhi.panel",
                                format!(
                                    "Return home interview findings for {name} shared with the panel"
                                ),
                                "Consider the child for the exploitation and missing panel.".into(),
                                None,
                                Some(Role::PanelCoordinator),
                                id,
                            );
                            tasks::insert(tx, &t, Some(rec.by)).await?;
                        }
                    }
                    external => {
                        let mut n = crate::findings::external_notification(
                            tx,
                            external,
                            (&c.responsible_la, c.host_la.as_deref()),
                            (c.id, id),
                            &body,
                            basis,
                            rec.at,
                        )
                        .await?;
                        let known = n.org_id.is_some();
                        let org_name = n.org_name.clone();
                        let delivery = match &d.delivery {
                            Some(x) if n.status == DeliveryStatus::Queued => x.clone(),
                            _ => Delivery::NotEmailed,
                        };
                        if delivery == Delivery::NotEmailed {
                            n.status = DeliveryStatus::NotEmailed;
                        }
                        findings::insert_notification(tx, &n, rec.by).await?;
                        loaded.notifications += 1;
                        match &delivery {
                            Delivery::Received {
                                sent_at,
                                received_at,
                                by,
                                by_name,
                            } => {
                                findings::mark_sent(tx, n.id, *sent_at).await?;
                                findings::mark_received(tx, n.id, *received_at, *by, by_name)
                                    .await?;
                            }
                            Delivery::Sent { sent_at } => {
                                findings::mark_sent(tx, n.id, *sent_at).await?;
                            }
                            Delivery::NotEmailed => {
                                if rec.at >= recent {
                                    let why = if !known {
                                        format!("{org_name} is not set up in Harbour")
                                    } else {
                                        format!("{org_name} has no notification address")
                                    };
                                    let t = task(
                                        "findings.tell",
                                        format!(
                                            "Tell {org_name} about the return home interview for {name}"
                                        ),
                                        format!(
                                            "{why}: send the findings by secure e-mail or telephone."
                                        ),
                                        worker,
                                        worker_role,
                                        n.id,
                                    );
                                    tasks::insert(tx, &t, Some(rec.by)).await?;
                                }
                            }
                        }
                    }
                }
            }
            for (kind, names) in [("person", &rec.people), ("place", &rec.places)] {
                for name in names {
                    let n = findings::Named {
                        id: Uuid::now_v7(),
                        kind: kind.into(),
                        name: name.clone(),
                        source: "rhi".into(),
                        source_id: id,
                        named_at: i.held_at.unwrap_or(rec.at),
                    };
                    findings::insert_named(tx, &ok, &n, rec.by, rec.at).await?;
                }
            }
        }
        // Prompt action on the open episodes, as when they were reported.
        for ep in m.episodes.iter().filter(|e| e.episode.is_open()) {
            let e = &ep.episode;
            let Some(dc) = children.get(&e.child_id) else {
                continue;
            };
            let cur = dc.allocations.iter().find(|a| a.end_date.is_none());
            let worker = cur.map(|a| a.worker_id);
            let manager = cur
                .and_then(|a| a.team_id)
                .and_then(|t| managers.get(&t).copied().flatten());
            let history: Vec<MissingEpisode> =
                m.for_child(e.child_id).into_iter().cloned().collect();
            let age = harbour_domain::rules::age_on(dc.child.dob, e.last_seen_at.date_naive());
            let concern = m
                .episodes
                .iter()
                .filter(|x| x.episode.child_id == e.child_id)
                .filter_map(|x| x.interview.as_ref())
                .any(|i| {
                    i.interview.exploitation_indicators.is_some()
                        && i.interview
                            .held_at
                            .or(i.interview.offered_at)
                            .unwrap_or(i.interview.due_at)
                            >= e.recorded_at - Duration::days(180)
                });
            let fired = triggers(&self.config.missing_triggers, e, &history, age, concern);
            for p in plan_report_tasks(e, &fired, e.recorded_at, &cal) {
                let t = crate::missing::report_task(p, e, worker, manager, e.recorded_at);
                tasks::insert(tx, &t, Some(e.recorded_by)).await?;
            }
        }
        Ok(loaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use harbour_domain::findings::check_decisions;

    fn nows() -> Vec<DateTime<Utc>> {
        [
            "2026-11-26T10:00:00Z", // a Thursday morning
            "2027-03-07T22:30:00Z", // a Sunday night
            "2026-07-01T15:45:00Z",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect()
    }

    fn world(now: DateTime<Utc>) -> (DemoData, DemoMissing) {
        let mut d = super::super::generate::generate(861, now);
        d.users.extend(placing_authority_user(&d, 861));
        let m = generate(&d, 861, now);
        (d, m)
    }

    fn child(d: &DemoData, id: ChildId) -> &DemoChild {
        d.children.iter().find(|c| c.child.id == id).unwrap()
    }

    #[test]
    fn same_seed_same_history() {
        let now = nows()[0];
        let (d, m) = world(now);
        assert_eq!(m, generate(&d, 861, now));
        assert_ne!(m, generate(&d, 862, now));
        assert_eq!(
            placing_authority_user(&d, 861),
            placing_authority_user(&d, 861)
        );
    }

    #[test]
    fn episodes_are_valid_and_in_the_past() {
        for now in nows() {
            let (d, m) = world(now);
            let ids: BTreeSet<Uuid> = m.episodes.iter().map(|e| e.episode.id).collect();
            assert_eq!(ids.len(), m.episodes.len());
            for ep in &m.episodes {
                let e = &ep.episode;
                let c = child(&d, e.child_id);
                let others: Vec<MissingEpisode> =
                    m.for_child(e.child_id).into_iter().cloned().collect();
                let p = check_episode(e, c.child.dob, &others, now);
                assert!(p.is_empty(), "{p:?} {e:?}");
                let mut times = vec![e.last_seen_at, e.recorded_at];
                times.extend(e.reported_at);
                times.extend(e.returned_at);
                times.extend(ep.grades.iter().map(|(_, t)| *t));
                times.extend(ep.return_recorded.map(|(_, t)| t));
                assert!(e.recorded_at >= e.last_seen_at);
                assert_eq!(e.grade, ep.grades.last().map(|(g, _)| *g));
                assert_eq!(e.reported_at.is_some(), e.police_ref.is_some());
                if let Some(r) = &e.police_ref {
                    assert!(r.starts_with("SP-") && r.len() == 12, "{r}");
                }
                if let Some(r) = e.returned_at {
                    assert!(r - e.last_seen_at <= Duration::hours(72));
                    assert!(e.found_where.is_some() && e.found_by.is_some());
                    let i = ep
                        .interview
                        .as_ref()
                        .expect("every closed episode has an interview");
                    assert_eq!(i.interview.due_at, rhi_due(r));
                    times.push(i.created_at);
                    times.extend(i.interview.offered_at);
                    times.extend(i.interview.held_at);
                    if let Some(rec) = &i.record {
                        times.push(rec.at);
                        let iv = &i.interview;
                        let p = check_rhi_record(
                            &RhiRecord {
                                outcome: Some(iv.outcome),
                                offered_at: iv.offered_at,
                                held_at: iv.held_at,
                                reason: iv.reason.clone().unwrap_or_default(),
                                offered_by: iv.offered_by.clone().unwrap_or_default(),
                                declined_told: iv.declined_told.clone().unwrap_or_default(),
                                late_reason: iv.late_reason.clone().unwrap_or_default(),
                                push_pull: iv.push_pull.clone().unwrap_or_default(),
                                harm_disclosed: iv.harm_disclosed.clone().unwrap_or_default(),
                            },
                            iv.due_at,
                            now,
                        );
                        assert!(p.is_empty(), "{p:?}");
                        assert!(iv.due_at < now, "only interviews past due are recorded");
                        let applies = Recipient::for_child(
                            HOME_LA,
                            &c.child.responsible_la,
                            c.child.host_la.as_deref(),
                        );
                        let ds: Vec<ShareDecision> =
                            rec.decisions.iter().map(|d| d.decision.clone()).collect();
                        assert!(check_decisions(&applies, &ds).is_empty());
                        for x in &rec.decisions {
                            assert_eq!(
                                x.delivery.is_some(),
                                x.decision.share && x.decision.recipient.is_external()
                            );
                            match &x.delivery {
                                Some(Delivery::Received {
                                    sent_at,
                                    received_at,
                                    ..
                                }) => {
                                    assert!(rec.at <= *sent_at && sent_at < received_at);
                                    times.push(*received_at);
                                }
                                Some(Delivery::Sent { sent_at }) => times.push(*sent_at),
                                _ => {}
                            }
                        }
                    } else {
                        assert_eq!(i.interview.outcome, RhiOutcome::Awaiting);
                    }
                } else {
                    assert!(ep.interview.is_none() && ep.return_recorded.is_none());
                }
                for t in times {
                    assert!(t <= now, "{t} after {now}");
                }
            }
        }
    }

    #[test]
    fn the_demo_has_what_a_new_user_needs_to_see() {
        for now in nows() {
            let (d, m) = world(now);
            let demo_worker = d
                .users
                .iter()
                .find(|u| u.email == sign_in_email(Role::SocialWorker))
                .unwrap()
                .id;
            let demo_team = d
                .teams
                .iter()
                .find(|t| t.name == DEMO_TEAM_NAME)
                .unwrap()
                .id;
            let current =
                |c: &DemoChild| c.allocations.iter().find(|a| a.end_date.is_none()).cloned();
            // About 20-25% of children aged 11 to 17.
            let teens = d
                .children
                .iter()
                .filter(|c| {
                    (11..=17).contains(&harbour_domain::rules::age_on(
                        c.child.dob,
                        now.date_naive(),
                    ))
                })
                .count();
            let with: BTreeSet<ChildId> = m.episodes.iter().map(|e| e.episode.child_id).collect();
            let pct = with.len() * 100 / teens;
            assert!((19..=27).contains(&pct), "{pct}% of {teens}");
            // Missing now.
            let open = m.missing_now();
            assert!((5..=7).contains(&open.len()), "{}", open.len());
            assert!(
                open.iter()
                    .any(|id| current(child(&d, *id)).is_some_and(|a| a.worker_id == demo_worker))
            );
            assert!(
                open.iter()
                    .any(|id| child(&d, *id).child.responsible_la != HOME_LA)
            );
            for id in &open {
                let e = m.for_child(*id).into_iter().find(|e| e.is_open()).unwrap();
                assert!(now - e.last_seen_at <= Duration::hours(36));
            }
            // Overdue interviews, two of them waiting in the demo team.
            let overdue = m.overdue(now);
            assert!((8..=10).contains(&overdue.len()), "{}", overdue.len());
            let team_of = |id: ChildId| current(child(&d, id)).and_then(|a| a.team_id);
            let team_waiting: Vec<&DemoInterview> = m
                .episodes
                .iter()
                .filter_map(|e| e.interview.as_ref())
                .filter(|i| i.record.is_none() && team_of(i.interview.child_id) == Some(demo_team))
                .collect();
            assert!(team_waiting.len() >= 2);
            assert!(team_waiting.iter().any(|i| i.interview.due_at < now));
            // Repeat missing: 3 or more in 30 days.
            let repeat = with
                .iter()
                .filter(|id| {
                    let eps = m.for_child(**id);
                    eps.iter().any(|e| {
                        eps.iter()
                            .filter(|o| {
                                o.last_seen_at <= e.last_seen_at
                                    && o.last_seen_at > e.last_seen_at - Duration::days(30)
                            })
                            .count()
                            >= 3
                    })
                })
                .count();
            assert!(repeat >= 3, "{repeat}");
            // Outcomes of interviews past due, roughly as described.
            let past: Vec<&DemoInterview> = m
                .episodes
                .iter()
                .filter_map(|e| e.interview.as_ref())
                .filter(|i| i.interview.due_at < now)
                .collect();
            let n = |o: RhiOutcome| {
                past.iter()
                    .filter(|i| i.record.is_some() && i.interview.outcome == o)
                    .count()
            };
            assert!(n(RhiOutcome::Completed) * 100 / past.len() >= 50);
            assert!(n(RhiOutcome::Declined) > 0 && n(RhiOutcome::NotHeld) > 0);
            assert!(past.iter().any(|i| i.interview.late_reason.is_some()));
            // Kinds, re-grades and findings sent to placing authorities.
            let away = m
                .episodes
                .iter()
                .filter(|e| e.episode.kind == MissingKind::Away)
                .count();
            assert!(away * 100 / m.episodes.len() >= 10 && away * 100 / m.episodes.len() <= 30);
            assert!(m.episodes.iter().any(|e| e.grades.len() > 1));
            let deliveries: Vec<(&Recipient, &Delivery)> = m
                .episodes
                .iter()
                .filter_map(|e| e.interview.as_ref()?.record.as_ref())
                .flat_map(|r| r.decisions.iter())
                .filter_map(|x| Some((&x.decision.recipient, x.delivery.as_ref()?)))
                .collect();
            assert!(
                deliveries
                    .iter()
                    .any(|(r, d)| **r == Recipient::PlacingAuthority
                        && matches!(d, Delivery::Received { .. }))
            );
            assert!(
                deliveries.iter().any(
                    |(r, d)| **r == Recipient::Police && matches!(d, Delivery::Received { .. })
                )
            );
            assert!(
                deliveries
                    .iter()
                    .any(|(_, d)| matches!(d, Delivery::Sent { .. }))
            );
            // The browser tests' child has no episodes.
            let first = d
                .children
                .iter()
                .filter(|c| current(c).is_some_and(|a| a.worker_id == demo_worker))
                .min_by(|a, b| {
                    (&a.child.last_name, &a.child.first_name)
                        .cmp(&(&b.child.last_name, &b.child.first_name))
                })
                .unwrap();
            assert!(m.for_child(first.child.id).is_empty());
        }
    }
}
