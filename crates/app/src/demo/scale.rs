//! Generated datasets at authority and national scale (`harbour generate`),
//! for benchmarks: S is one average English authority-year, M the largest
//! authority over ten years, L national volumes (see [`Scale::plan`] and
//! `docs/PERFORMANCE.md`, "Generated data").
//!
//! **Reproducible.** Everything is a pure function of `(plan, seed, now)`:
//! a first pass draws a small *skeleton* per child (start, length of the
//! case, looked after or not, episode, note and audit counts, worker), then
//! each child's rows come from a generator seeded by `(seed, child index)`,
//! so chunks can be made in any order and the data is still the same.
//! The skeleton is about 32 bytes a child (32 MB at L); rows are made and
//! written a chunk of children at a time, so memory stays bounded.
//!
//! **Two cores.** A producer thread makes the rows (and the audit chain's
//! SHA-256 hashes, which must be sequential) while the async writer sends
//! the previous chunk to the database (`COPY` on PostgreSQL, prepared
//! multi-row inserts on SQLite; [`harbour_db::bulk`]).
//!
//! **Shape.** Names, ethnicity mixes and streets come from the demo
//! generator's lists; codes are the real DfE ones (SSDA903 legal status,
//! category of need, placement type and provider, reason for a placement
//! change and for leaving care, SW_REASON, ethnicity), LA codes the real
//! ones. Missing episodes have a heavy tail (half of the children who go
//! missing go once; a few go dozens of times), caseloads centre on 15-20
//! with some workers over 30, about 15% of workers are in their ASYE, and
//! each worker has a year of supervision at their cadence (fortnightly in
//! the ASYE, otherwise four-weekly).

use super::generate::{ID_EPOCH_MS, Rng, invented_ethnicity, invented_name, invented_street};
use super::postcodes::REAL_POSTCODES;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use harbour_db::bulk::{Batch, Val};
use harbour_domain::audit::{AuditEvent, GENESIS_HASH, Outcome, chain_hash};
use harbour_domain::codes::Sex;
use harbour_domain::roles::Role;
use harbour_domain::search::name_keys;
use uuid::Uuid;

/// The password of the generated sign-in accounts.
pub const GENERATED_PASSWORD: &str = "harbour-generated";
/// The email domain of the generated sign-in accounts.
pub const SIGN_IN_DOMAIN: &str = "gen.harbour.test";
/// Sign-in accounts made per role (`<role>.<n>@gen.harbour.test`).
pub const SIGN_INS_PER_ROLE: usize = 3;

/// A named size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// One average English authority-year.
    S,
    /// The largest authority over ten years.
    M,
    /// National: every authority's volume in one database.
    L,
}

impl Scale {
    /// Parse `S`, `M` or `L` (any case).
    pub fn parse(s: &str) -> Option<Scale> {
        match s.to_ascii_uppercase().as_str() {
            "S" => Some(Scale::S),
            "M" => Some(Scale::M),
            "L" => Some(Scale::L),
            _ => None,
        }
    }

    /// The plan for this size. Sources (DfE *Characteristics of children in
    /// need* and *Children looked after* 2024; workforce statistics 2024):
    /// about 400,000 children in need in England in a year across 153
    /// authorities (about 2,600 a year in an average one, with some 550
    /// looked after), about 20% of them looked after; the largest
    /// authorities (Kent, Birmingham) see about 6,000 a year, so about
    /// 60,000 different children over ten years; an average caseload of
    /// about 16. Missing episodes and audit rows keep L's ratios (2
    /// episodes and 20 audit rows a child) at every size.
    pub fn plan(self) -> Plan {
        match self {
            Scale::S => Plan {
                children: 3_000,
                years: 1,
                missing_episodes: 6_000,
                audit_rows: 60_000,
            },
            Scale::M => Plan {
                children: 60_000,
                years: 10,
                missing_episodes: 120_000,
                audit_rows: 1_200_000,
            },
            Scale::L => Plan {
                children: 1_000_000,
                years: 10,
                missing_episodes: 2_000_000,
                audit_rows: 20_000_000,
            },
        }
    }
}

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Children with a record.
    pub children: u64,
    /// Years of history, ending now.
    pub years: u32,
    /// Missing or away episodes, exactly.
    pub missing_episodes: u64,
    /// Audit rows, exactly (when at least one per recorded act; see [`Totals`]).
    pub audit_rows: u64,
}

/// Share of children looked after at some point (per mille).
const CLA_PER_MILLE: u64 = 200;
/// Share of looked-after children first on a child protection plan.
const CP_FIRST_PER_MILLE: u64 = 350;
/// Target average of open cases per social worker (DfE 2016-2024: 15.4-17.8).
const CASES_PER_WORKER: f64 = 17.0;
/// Social workers per team (plus a manager).
const WORKERS_PER_TEAM: usize = 6;
/// Teams per business-support pod.
const TEAMS_PER_POD: usize = 3;
/// Children per chunk written.
pub const CHUNK: usize = 1_000;
/// Most episodes any one child has.
const EPISODE_CAP: u32 = 150;

/// One child's skeleton.
#[derive(Clone, Copy, Debug)]
struct Sk {
    start: NaiveDate,
    end: Option<NaiveDate>,
    cla: bool,
    age: u8,
    episodes: u32,
    open_episode: bool,
    notes: u32,
    audit: u32,
    worker: u32,
}

/// Row counts the plan produces (what the database holds after the load,
/// besides the one `generate.load` audit row the load appends).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Children.
    pub children: u64,
    /// Social workers.
    pub social_workers: u64,
    /// All staff.
    pub staff: u64,
    /// Teams.
    pub teams: u64,
    /// Looked-after children.
    pub looked_after: u64,
    /// Open cases (an open allocation now).
    pub open_cases: u64,
    /// Case notes.
    pub notes: u64,
    /// Missing episodes.
    pub episodes: u64,
    /// Children missing now.
    pub missing_now: u64,
    /// Audit rows for children's records.
    pub audit_rows: u64,
}

/// A generated staff member.
#[derive(Clone, Debug)]
struct Staff {
    id: Uuid,
    email: String,
    name: String,
    role: Role,
    team: Option<usize>,
    pod: Option<usize>,
    org: usize,
    asye_start: Option<NaiveDate>,
    fte: i64,
    agency: bool,
    swe: Option<String>,
    sign_in: bool,
}

/// The skeleton of the whole dataset: staff and per-child outlines.
pub struct Skeleton {
    plan: Plan,
    seed: u64,
    now: DateTime<Utc>,
    today: NaiveDate,
    home_la: String,
    levels: Vec<String>,
    sk: Vec<Sk>,
    staff: Vec<Staff>,
    /// Index into `staff` of each social worker, by worker number.
    workers: Vec<usize>,
    /// Organisation ids: council, police, health, school, RHI provider, voluntary.
    orgs: [Uuid; 6],
    team_ids: Vec<Uuid>,
    pod_ids: Vec<Uuid>,
    managers: Vec<usize>,
    rhi_user: usize,
    /// The totals the rows will have.
    pub totals: Totals,
}

/// A sign-in to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignIn {
    /// Role.
    pub role: Role,
    /// Email.
    pub email: String,
    /// Whether an authenticator code is needed.
    pub totp: bool,
}

fn mix(seed: u64, salt: u64, i: u64) -> u64 {
    let mut x =
        seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i.wrapping_mul(0xD1B5_4A32_D192_ED03);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A UUIDv7 whose timestamp is `at` (so ids sort by when things happened)
/// and whose other bits come from `rng`.
fn id_at(rng: &mut Rng, at: DateTime<Utc>) -> Uuid {
    let ms = u64::try_from(at.timestamp_millis()).unwrap_or(ID_EPOCH_MS);
    let r = rng.next_u64().to_le_bytes();
    let r2 = rng.next_u64().to_le_bytes();
    let mut b = [0u8; 10];
    b[..8].copy_from_slice(&r);
    b[8..].copy_from_slice(&r2[..2]);
    uuid::Builder::from_unix_timestamp_millis(ms, &b).into_uuid()
}

fn at(d: NaiveDate, rng: &mut Rng) -> DateTime<Utc> {
    d.and_hms_opt(
        8 + rng.below(10) as u32,
        rng.below(60) as u32,
        rng.below(60) as u32,
    )
    .map(|t| t.and_utc())
    .unwrap_or_default()
}

/// An id stamped at some time on day `d`.
fn id_on(rng: &mut Rng, d: NaiveDate) -> Uuid {
    let t = at(d, rng);
    id_at(rng, t)
}

fn clamp_now(t: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    t.min(now)
}

impl Skeleton {
    /// Draw the skeleton: staff, and each child's outline (pure).
    pub fn new(
        plan: Plan,
        seed: u64,
        now: DateTime<Utc>,
        home_la: &str,
        levels: &[String],
    ) -> Skeleton {
        let now = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
        let today = now.date_naive();
        let span = i64::from(plan.years.max(1)) * 365;
        let first = today - Duration::days(span);
        let n = plan.children as usize;
        let mut sk = Vec::with_capacity(n);
        let cap = if plan.years <= 1 { 60 } else { EPISODE_CAP };
        // Heavy tail: P(X >= k) = 1/k, capped; mean ~ 1 + ln(cap).
        let mean: f64 = (1..=cap).map(|k| 1.0 / f64::from(k)).sum();
        let ratio = plan.missing_episodes as f64 / plan.children.max(1) as f64;
        // About 64% of children are 8 or older, the only ones drawn.
        let p_missing = ((ratio / (mean * 0.64)) * 1000.0).clamp(0.0, 900.0) as u64;
        for i in 0..n {
            let mut r = Rng::new(mix(seed, 1, i as u64));
            let slot = span * i as i64 / n.max(1) as i64;
            let start = first + Duration::days(slot + r.range(0, (span / n.max(1) as i64).max(1)));
            let start = start.min(today);
            let cla = r.chance(CLA_PER_MILLE);
            let age = if r.chance(550) {
                r.range(10, 17)
            } else {
                r.range(0, 9)
            } as u8;
            let age = if cla { age.min(15) } else { age };
            let len = if cla {
                r.range(120, 1_500)
            } else {
                r.range(45, 540)
            };
            let mut end = start + Duration::days(len);
            if cla {
                // Care ends by the 18th birthday.
                let eighteen = i64::from(18 - age) * 365 - 30;
                end = end.min(start + Duration::days(eighteen));
            }
            let end = (end < today).then_some(end);
            let episodes = if age >= 8 && r.chance(p_missing) {
                let u = (r.below(1 << 30) + 1) as f64 / f64::from(1u32 << 30);
                ((1.0 / u) as u32).clamp(1, cap)
            } else {
                0
            };
            let days = (end.unwrap_or(today) - start).num_days().max(1);
            let notes = (1 + days / 45).min(40) as u32;
            sk.push(Sk {
                start,
                end,
                cla,
                age,
                episodes,
                open_episode: false,
                notes,
                audit: 0,
                worker: 0,
            });
        }
        // Exactly the planned number of episodes.
        let mut r = Rng::new(mix(seed, 2, 0));
        let mut total: u64 = sk.iter().map(|s| u64::from(s.episodes)).sum();
        let eligible: Vec<usize> = (0..n).filter(|&i| sk[i].age >= 8).collect();
        let pool = if eligible.is_empty() {
            (0..n).collect()
        } else {
            eligible
        };
        let mut guard = 0u64;
        while total != plan.missing_episodes && !pool.is_empty() && guard < 100_000_000 {
            guard += 1;
            let i = pool[r.below(pool.len() as u64) as usize];
            if total < plan.missing_episodes {
                // Add to a child who already goes missing (or, sometimes, a new one).
                if sk[i].episodes < cap * 2 {
                    sk[i].episodes += 1;
                    total += 1;
                }
            } else if sk[i].episodes > 0 {
                sk[i].episodes -= 1;
                total -= 1;
            }
        }
        // A few children are missing now: their last episode is open.
        for (i, s) in sk.iter_mut().enumerate() {
            s.open_episode =
                s.episodes > 0 && s.end.is_none() && mix(seed, 3, i as u64) % 1000 < 15;
        }
        // Staff sized to the open caseload.
        let open = sk.iter().filter(|s| s.end.is_none()).count();
        let n_workers = ((open as f64 / CASES_PER_WORKER).ceil() as usize).max(2);
        let teams = n_workers.div_ceil(WORKERS_PER_TEAM);
        let pods = teams.div_ceil(TEAMS_PER_POD);
        let mut gr = Rng::new(mix(seed, 4, 0));
        let orgs = std::array::from_fn(|k| id_at(&mut gr, at(first, &mut Rng::new(k as u64))));
        let team_ids: Vec<Uuid> = (0..teams).map(|_| id_on(&mut gr, first)).collect();
        let pod_ids: Vec<Uuid> = (0..pods).map(|_| id_on(&mut gr, first)).collect();
        let mut staff: Vec<Staff> = Vec::new();
        let mut per_role = std::collections::HashMap::<Role, usize>::new();
        let mut person = |role: Role, team: Option<usize>, org: usize, gr: &mut Rng| {
            let k = per_role.entry(role).or_insert(0);
            *k += 1;
            let sex = if gr.chance(750) { Sex::F } else { Sex::M };
            let eth = invented_ethnicity(gr, true);
            let (given, family) = invented_name(gr, eth, sex, true);
            let sign_in = *k <= SIGN_INS_PER_ROLE;
            let email = if sign_in {
                format!("{}.{}@{SIGN_IN_DOMAIN}", role.as_str(), k)
            } else {
                format!(
                    "{}.{}.{}@staff.{SIGN_IN_DOMAIN}",
                    given
                        .to_lowercase()
                        .replace(|c: char| !c.is_ascii_alphanumeric(), ""),
                    family
                        .to_lowercase()
                        .replace(|c: char| !c.is_ascii_alphanumeric(), ""),
                    staff_len_hint(role, *k)
                )
            };
            Staff {
                id: id_on(gr, first),
                email,
                name: format!("{given} {family}"),
                role,
                team,
                pod: team.map(|t| t / TEAMS_PER_POD),
                org,
                asye_start: None,
                fte: 100,
                agency: false,
                swe: None,
                sign_in,
            }
        };
        let mut workers = Vec::with_capacity(n_workers);
        let mut managers = Vec::with_capacity(teams);
        for t in 0..teams {
            let mut m = person(Role::TeamManager, Some(t), 0, &mut gr);
            m.swe = Some(format!("SW{:06}", 100_000 + staff.len()));
            managers.push(staff.len());
            staff.push(m);
        }
        for w in 0..n_workers {
            let mut s = person(Role::SocialWorker, Some(w / WORKERS_PER_TEAM), 0, &mut gr);
            s.swe = Some(format!("SW{:06}", 100_000 + staff.len()));
            if gr.chance(150) {
                s.asye_start = Some(today - Duration::days(gr.range(14, 350)));
            }
            if gr.chance(150) {
                s.fte = 80;
            }
            s.agency = gr.chance(100);
            workers.push(staff.len());
            staff.push(s);
        }
        for p in 0..pods {
            for _ in 0..2 {
                let mut s = person(Role::PodAdmin, None, 0, &mut gr);
                s.pod = Some(p);
                staff.push(s);
            }
        }
        for _ in 0..(teams / 20).max(2) {
            let mut s = person(Role::EdtWorker, None, 0, &mut gr);
            s.swe = Some(format!("SW{:06}", 100_000 + staff.len()));
            staff.push(s);
        }
        let rhi_user = staff.len();
        for (role, org, k) in [
            (Role::RhiProvider, 4, (teams / 10).max(3)),
            (Role::PanelCoordinator, 0, 2),
            (Role::PartnerPractitioner, 1, 3),
            (Role::Analyst, 0, 2),
            (Role::PrivacyOfficer, 0, 1),
            (Role::Sysadmin, 0, 1),
        ] {
            for _ in 0..k {
                staff.push(person(role, None, org, &mut gr));
            }
        }
        // Open cases go to workers by weight: most carry 12-22, a few over 30.
        let weights: Vec<f64> = (0..n_workers)
            .map(|w| {
                let s = &staff[workers[w]];
                let base = if s.asye_start.is_some() { 0.75 } else { 1.0 };
                let spread = 0.6 + gr.below(800) as f64 / 1000.0;
                let heavy = if gr.chance(60) { 1.9 } else { 1.0 };
                base * spread * heavy * f64::from(s.fte as u32) / 100.0
            })
            .collect();
        let mut cum = Vec::with_capacity(n_workers);
        let mut acc = 0.0;
        for w in &weights {
            acc += w;
            cum.push(acc);
        }
        for (i, s) in sk.iter_mut().enumerate() {
            let mut r = Rng::new(mix(seed, 5, i as u64));
            let x = r.below(1 << 40) as f64 / (1u64 << 40) as f64 * acc;
            s.worker = cum.partition_point(|c| *c < x).min(n_workers - 1) as u32;
        }
        // Audit rows: one per recorded act, the rest views, in proportion to notes.
        let min: u64 = sk.iter().map(min_audit).sum();
        let extra = plan.audit_rows.saturating_sub(min);
        let notes_total: u64 = sk.iter().map(|s| u64::from(s.notes)).sum::<u64>().max(1);
        let mut given = 0u64;
        for s in &mut sk {
            let e = extra * u64::from(s.notes) / notes_total;
            s.audit = (min_audit(s) + e) as u32;
            given += e;
        }
        let mut k = 0;
        while given < extra && n > 0 {
            sk[k % n].audit += 1;
            given += 1;
            k += 1;
        }
        let totals = Totals {
            children: n as u64,
            social_workers: n_workers as u64,
            staff: staff.len() as u64,
            teams: teams as u64,
            looked_after: sk.iter().filter(|s| s.cla).count() as u64,
            open_cases: open as u64,
            notes: sk.iter().map(|s| u64::from(s.notes)).sum(),
            episodes: sk.iter().map(|s| u64::from(s.episodes)).sum(),
            missing_now: sk.iter().filter(|s| s.open_episode).count() as u64,
            audit_rows: sk.iter().map(|s| u64::from(s.audit)).sum(),
        };
        Skeleton {
            plan,
            seed,
            now,
            today,
            home_la: home_la.to_string(),
            levels: levels.to_vec(),
            sk,
            staff,
            workers,
            orgs,
            team_ids,
            pod_ids,
            managers,
            rhi_user,
            totals,
        }
    }

    /// The plan this skeleton was drawn for.
    pub fn plan(&self) -> Plan {
        self.plan
    }

    /// The sign-in accounts, in role order.
    pub fn sign_ins(&self) -> Vec<SignIn> {
        let mut v: Vec<SignIn> = self
            .staff
            .iter()
            .filter(|s| s.sign_in)
            .map(|s| SignIn {
                role: s.role,
                email: s.email.clone(),
                totp: s.role.requires_totp(),
            })
            .collect();
        v.sort_by_key(|s| (Role::ALL.iter().position(|r| *r == s.role), s.email.clone()));
        v
    }

    /// Number of chunks of children.
    pub fn chunks(&self) -> usize {
        self.sk.len().div_ceil(CHUNK)
    }

    /// Organisations, pods, teams, staff (with `hash` for sign-ins and
    /// `locked` for everyone else) and a year of supervision.
    pub fn staff_batches(&self, hash: &str, locked: &str, totp: &str) -> Vec<Batch> {
        let created = at(
            self.today - Duration::days(i64::from(self.plan.years) * 365 + 30),
            &mut Rng::new(0),
        );
        let mut orgs = Batch::new("organisations", &["id", "name", "kind", "la_code"]);
        let la = || Val::Text(self.home_la.clone());
        for (k, (name, kind)) in [
            ("Children's Social Care (generated)", "social_care"),
            ("Police (generated)", "police"),
            ("Health (generated)", "health"),
            ("Schools (generated)", "education"),
            ("Return Home Interview Service (generated)", "rhi_provider"),
            ("Voluntary Sector Partnership (generated)", "voluntary"),
        ]
        .into_iter()
        .enumerate()
        {
            orgs.row([
                Val::Id(self.orgs[k]),
                Val::Str(name),
                Val::Str(kind),
                if k == 0 { la() } else { Val::Null },
            ]);
        }
        let mut pods = Batch::new("pods", &["id", "name"]);
        for (p, id) in self.pod_ids.iter().enumerate() {
            pods.row([
                Val::Id(*id),
                Val::Text(format!("Business Support Pod {}", p + 1)),
            ]);
        }
        let mut teams = Batch::new(
            "teams",
            &[
                "id",
                "name",
                "pod_id",
                "manager_id",
                "establishment_fte_hundredths",
            ],
        );
        for (t, id) in self.team_ids.iter().enumerate() {
            let kind = [
                "Assessment",
                "Safeguarding",
                "Children in Care",
                "Exploitation and Missing",
                "Family Support",
            ][t % 5];
            teams.row([
                Val::Id(*id),
                Val::Text(format!("{kind} Team {}", t + 1)),
                Val::Id(self.pod_ids[t / TEAMS_PER_POD]),
                Val::Id(self.staff[self.managers[t]].id),
                Val::Int((WORKERS_PER_TEAM as i64) * 100),
            ]);
        }
        let mut users = Batch::new(
            "users",
            &[
                "id",
                "email",
                "name",
                "role",
                "org_id",
                "team_id",
                "pod_id",
                "fte_hundredths",
                "swe_number",
                "agency",
                "asye_start",
                "password_hash",
                "totp_secret",
                "created_at",
            ],
        );
        for s in &self.staff {
            users.row([
                Val::Id(s.id),
                Val::Text(s.email.clone()),
                Val::Text(s.name.clone()),
                Val::Str(s.role.as_str()),
                Val::Id(self.orgs[s.org]),
                s.team.map(|t| self.team_ids[t]).into(),
                s.pod.map(|p| self.pod_ids[p]).into(),
                Val::Int(s.fte),
                s.swe.clone().into(),
                Val::Bool(s.agency),
                s.asye_start.into(),
                Val::Text(if s.sign_in { hash } else { locked }.to_string()),
                if s.sign_in && s.role.requires_totp() {
                    Val::Text(totp.to_string())
                } else {
                    Val::Null
                },
                Val::At(created),
            ]);
        }
        let mut sessions = Batch::new(
            "supervision_sessions",
            &[
                "id",
                "supervisee_id",
                "supervisor_id",
                "kind",
                "format",
                "held_at",
                "duration_minutes",
                "worker_notes",
                "status",
                "drafted_by",
                "drafted_at",
                "signed_off_by",
                "signed_off_at",
                "recording_due",
            ],
        );
        for (w, &si) in self.workers.iter().enumerate() {
            let s = &self.staff[si];
            let mgr = &self.staff[self.managers[s.team.unwrap_or(0)]];
            let mut r = Rng::new(mix(self.seed, 6, w as u64));
            let mut d = self.today - Duration::days(365) + Duration::days(r.range(0, 27));
            while d < self.today {
                let asye = s.asye_start.is_some_and(|a| d >= a);
                let held = at(d, &mut r);
                let drafted = held + Duration::hours(r.range(2, 70));
                let signed = drafted + Duration::hours(r.range(1, 120));
                let draft = signed > self.now;
                sessions.row([
                    Val::Id(id_at(&mut r, held)),
                    Val::Id(s.id),
                    Val::Id(mgr.id),
                    Val::Str(if asye { "asye" } else { "case" }),
                    Val::Str("one_to_one"),
                    Val::At(held),
                    Val::Int(r.range(60, 100)),
                    Val::Str("Wellbeing, workload and learning discussed."),
                    Val::Str(if draft { "draft" } else { "signed_off" }),
                    Val::Id(mgr.id),
                    Val::At(clamp_now(drafted, self.now)),
                    if draft { Val::Null } else { Val::Id(mgr.id) },
                    if draft { Val::Null } else { Val::At(signed) },
                    Val::Date(d + Duration::days(7)),
                ]);
                // Fortnightly in the ASYE, otherwise four-weekly; some slip.
                d += Duration::days(
                    if asye { 14 } else { 28 } + if r.chance(150) { r.range(3, 20) } else { 0 },
                );
            }
        }
        vec![orgs, pods, teams, users, sessions]
    }

    /// The rows of chunk `k` of children, with the audit chain continued
    /// from `(seq, hash)`; returns the batches and the new chain head.
    pub fn chunk(&self, k: usize, mut seq: i64, mut prev: String) -> (Vec<Batch>, i64, String) {
        let mut b = ChunkBatches::new();
        let lo = k * CHUNK;
        let hi = ((k + 1) * CHUNK).min(self.sk.len());
        for i in lo..hi {
            self.child(i, &mut b, &mut seq, &mut prev);
        }
        (b.into_vec(), seq, prev)
    }

    fn postcode(&self, r: &mut Rng) -> &'static str {
        let home: Vec<&(&str, &[&str])> = REAL_POSTCODES
            .iter()
            .filter(|(d, _)| d.starts_with("ST"))
            .collect();
        let (_, list) = if home.is_empty() {
            r.pick(REAL_POSTCODES)
        } else {
            *r.pick(&home)
        };
        r.pick_str(list)
    }

    #[allow(clippy::too_many_lines)]
    fn child(&self, i: usize, b: &mut ChunkBatches, seq: &mut i64, prev: &mut String) {
        let s = self.sk[i];
        let mut r = Rng::new(mix(self.seed, 7, i as u64));
        let now = self.now;
        let worker = &self.staff[self.workers[s.worker as usize]];
        let team = worker.team.unwrap_or(0);
        let manager = &self.staff[self.managers[team]];
        let created = clamp_now(at(s.start, &mut r), now);
        let id = id_at(&mut r, created);
        let sex = match r.below(200) {
            0 if !s.cla => Sex::U,
            x if x % 2 == 0 => Sex::F,
            _ => Sex::M,
        };
        let city = r.chance(300);
        let eth = invented_ethnicity(&mut r, city);
        let (first, last) = invented_name(&mut r, eth, sex, false);
        let dob = s.start - Duration::days(i64::from(s.age) * 365 + r.range(0, 364));
        let placed_in = r.chance(60);
        let resp = if placed_in {
            let (code, _) = *r.pick(harbour_domain::la_codes::LA_CODES);
            if code == self.home_la {
                self.home_la.clone()
            } else {
                code.to_string()
            }
        } else {
            self.home_la.clone()
        };
        let upn = (s.age >= 5).then(|| {
            loop {
                let rest = format!(
                    "{}{:04}{:02}{:03}",
                    &self.home_la,
                    r.range(2000, 4699),
                    (dob.year() + 4).rem_euclid(100),
                    r.range(1, 999)
                );
                if let Some(c) = super::generate::upn_check_letter(&rest) {
                    break format!("{c}{rest}");
                }
            }
        });
        let nhs = loop {
            let nine = format!("999{:06}", r.below(1_000_000));
            if let Some(d) = super::generate::nhs_check_digit(&nine) {
                break format!("{nine}{d}");
            }
        };
        b.children.row([
            Val::Id(id),
            Val::Text(format!("G{:08}", i + 1)),
            Val::Str(first),
            Val::Str(last),
            Val::Date(dob),
            Val::Str(sex.as_str()),
            Val::Str(eth),
            upn.into(),
            Val::Text(nhs),
            Val::Text(resp.clone()),
            if placed_in {
                Val::Text(self.home_la.clone())
            } else {
                Val::Null
            },
            Val::Null,
            Val::Bool(r.chance(10)),
            Val::At(created),
            Val::Id(worker.id),
            if s.cla && sex == Sex::F && s.age >= 13 {
                Val::Int(0)
            } else {
                Val::Null
            },
        ]);
        let mut keys = name_keys(&[first, last]);
        keys.sort();
        keys.dedup();
        for k in keys {
            b.name_keys.row([Val::Text(k), Val::Id(id)]);
        }
        let home_pc = self.postcode(&mut r);
        let street = invented_street(&mut r);
        b.addresses.row([
            Val::Id(id_at(&mut r, created)),
            Val::Id(id),
            Val::Text(format!("{} {street}", r.range(1, 180))),
            Val::Str("Stoke-on-Trent"),
            Val::Str(home_pc),
            Val::Date(s.start),
            Val::Null,
        ]);
        // Legal status: child in need; or (looked after) perhaps a child
        // protection plan first, then one period of care.
        let ls = |b: &mut ChunkBatches,
                  r: &mut Rng,
                  status: &'static str,
                  from: NaiveDate,
                  to: Option<NaiveDate>,
                  ssda: [Val; 4]| {
            let [lsc, cin, rec, home] = ssda;
            b.statuses.row([
                Val::Id(id_on(r, from)),
                Val::Id(id),
                Val::Str(status),
                Val::Date(from),
                to.into(),
                Val::At(clamp_now(at(from, r), now)),
                lsc,
                cin,
                rec,
                home,
            ]);
        };
        if s.cla {
            let mut care_start = s.start;
            let cp_first = r.chance(CP_FIRST_PER_MILLE)
                && s.end.is_none_or(|e| (e - s.start).num_days() > 200);
            if cp_first {
                care_start = s.start + Duration::days(r.range(40, 120));
                ls(
                    b,
                    &mut r,
                    "CP",
                    s.start,
                    Some(care_start),
                    [Val::Null, Val::Null, Val::Null, Val::Null],
                );
            }
            let cin = ["N1", "N1", "N1", "N4", "N5", "N2", "N8"][r.below(7) as usize];
            let rec = s
                .end
                .map(|_| ["E4A", "E4A", "E13", "E41"][r.below(4) as usize]);
            ls(
                b,
                &mut r,
                "CLA",
                care_start,
                s.end,
                [
                    Val::Str(if cp_first { "C2" } else { "V2" }),
                    Val::Str(cin),
                    rec.into(),
                    Val::Str(home_pc),
                ],
            );
            // One to three placements, touching, covering the period of care.
            let last_day = s.end.unwrap_or(self.today);
            let days = (last_day - care_start).num_days().max(1);
            let n = (1 + r.below(3) as i64).min(days);
            let mut from = care_start;
            for p in 0..n {
                let to = if p == n - 1 {
                    s.end
                } else {
                    Some(care_start + Duration::days(days * (p + 1) / n))
                };
                let age = i64::from(s.age) + (from - s.start).num_days() / 365;
                let (place, provider) = match r.below(10) {
                    0..=5 => ("U6", if r.chance(600) { "PR1" } else { "PR4" }),
                    6 | 7 => ("U4", "PR1"),
                    _ if age >= 10 => ("K2", "PR4"),
                    _ => ("U6", "PR4"),
                };
                let mut pc = self.postcode(&mut r);
                while pc == home_pc {
                    pc = self.postcode(&mut r);
                }
                let reason = (p < n - 1).then(|| {
                    ["CARPL", "CHILD", "CREQB", "PLACE", "LAREQ", "CREQO"][r.below(6) as usize]
                });
                let urn = (!harbour_domain::ssda903::episodes::NO_URN_PLACES.contains(&place))
                    .then(|| format!("{:07}", 1_000_000 + r.below(8_999_999)));
                let ce = invented_ethnicity(&mut r, false);
                let (cg, cf) = invented_name(&mut r, ce, Sex::F, true);
                b.placements.row([
                    Val::Id(id_on(&mut r, from)),
                    Val::Id(id),
                    Val::Str(place),
                    Val::Str(provider),
                    Val::Text(if place == "K2" {
                        format!(
                            "{} House",
                            invented_street(&mut r).split(' ').next().unwrap_or("Oak")
                        )
                    } else {
                        format!("{cg} {cf}")
                    }),
                    Val::Text(format!("07700 900{:03}", r.below(1000))),
                    Val::Str(pc),
                    Val::Text(self.home_la.clone()),
                    Val::Date(from),
                    to.into(),
                    reason.into(),
                    urn.into(),
                ]);
                if let Some(t) = to {
                    from = t;
                }
            }
        } else {
            let status = if r.chance(150) { "CP" } else { "CIN" };
            ls(
                b,
                &mut r,
                status,
                s.start,
                s.end,
                [Val::Null, Val::Null, Val::Null, Val::Null],
            );
        }
        // Allocations: a first worker, sometimes a transfer, the last open while the case is.
        let transfer = (s.end.unwrap_or(self.today) - s.start).num_days() > 120 && r.chance(350);
        let alloc = |b: &mut ChunkBatches,
                     r: &mut Rng,
                     w: &Staff,
                     from: NaiveDate,
                     to: Option<NaiveDate>,
                     reason: &'static str| {
            let mgr = &self.staff[self.managers[w.team.unwrap_or(0)]];
            let rec = clamp_now(at(from, r), now);
            b.allocations.row([
                Val::Id(id_at(r, rec)),
                Val::Id(id),
                Val::Id(w.id),
                w.team.map(|t| self.team_ids[t]).into(),
                Val::Date(from),
                to.into(),
                Val::Str(reason),
                Val::Id(mgr.id),
                Val::At(rec),
            ]);
        };
        if transfer {
            let other = &self.staff[self.workers[r.below(self.workers.len() as u64) as usize]];
            let mid =
                s.start + Duration::days((s.end.unwrap_or(self.today) - s.start).num_days() / 2);
            alloc(b, &mut r, other, s.start, Some(mid), "FCONTA");
            let why = ["TSPROC", "LEFTRL", "ORGRST"][r.below(3) as usize];
            alloc(b, &mut r, worker, mid, s.end, why);
        } else {
            alloc(b, &mut r, worker, s.start, s.end, "FCONTA");
        }
        // Audit rows: made as the acts are, then chained in time order.
        let mut audit: Vec<(DateTime<Utc>, AuditEvent)> = Vec::with_capacity(s.audit as usize);
        let ev = |who: &Staff, action: &str, kind: &str, target: Uuid| AuditEvent {
            actor_id: Some(who.id),
            actor_role: who.role.as_str().to_string(),
            action: action.to_string(),
            target_kind: kind.to_string(),
            target_id: Some(target),
            child_id: Some(id),
            outcome: Outcome::Allow,
            reason: None,
            request_id: None,
        };
        audit.push((created, ev(worker, "child.create", "child", id)));
        let live_to = s.end.unwrap_or(self.today);
        let window = (live_to - s.start).num_days().max(1);
        for k in 0..s.notes {
            let d = s.start
                + Duration::days(window * i64::from(k) / i64::from(s.notes.max(1)) + r.range(0, 6));
            let d = d.min(live_to);
            let occurred = clamp_now(at(d, &mut r), now);
            let recorded = clamp_now(occurred + Duration::hours(r.range(1, 72)), now);
            let (kind, subject, body) = NOTES[r.below(NOTES.len() as u64) as usize];
            let nid = id_at(&mut r, recorded);
            b.notes.row([
                Val::Id(nid),
                Val::Id(id),
                Val::Id(worker.id),
                Val::Str(kind),
                Val::At(occurred),
                Val::At(recorded),
                Val::Str(subject),
                Val::Text(body.replace("{name}", first)),
                Val::Bool(r.chance(100)),
            ]);
            audit.push((recorded, ev(worker, "note.create", "note", nid)));
        }
        // Missing episodes: spread over the case, none overlapping.
        if s.episodes > 0 {
            let n = i64::from(s.episodes);
            let slot_h = ((window * 24) / n).max(2);
            let levels = &self.levels;
            for e in 0..n {
                let base = s
                    .start
                    .and_hms_opt(0, 0, 0)
                    .map(|t| t.and_utc())
                    .unwrap_or(created);
                let left = base + Duration::hours(slot_h * e + r.range(0, (slot_h / 3).max(1)));
                let left = left.min(now - Duration::hours(1));
                let open = s.open_episode && e == n - 1;
                let dur_h =
                    (r.range(1, 30) * if r.chance(100) { 4 } else { 1 }).min((slot_h / 2).max(1));
                let returned = (!open).then(|| {
                    (left + Duration::hours(dur_h) + Duration::minutes(r.range(0, 59))).min(now)
                });
                let kind = if s.cla && r.chance(250) { "A" } else { "M" };
                let from = if s.cla {
                    "placement"
                } else if r.chance(150) {
                    "education"
                } else {
                    "home"
                };
                let reported = left + Duration::minutes(r.range(20, 240));
                let recorded = clamp_now(reported + Duration::minutes(r.range(5, 90)), now);
                let eid = id_at(&mut r, recorded);
                let ret_rec =
                    returned.map(|t| clamp_now(t + Duration::minutes(r.range(10, 600)), now));
                b.episodes.row([
                    Val::Id(eid),
                    Val::Id(id),
                    Val::Str(kind),
                    Val::Str(from),
                    Val::At(left),
                    Val::Text(format!("{} {}", r.range(1, 180), invented_street(&mut r))),
                    Val::At(clamp_now(reported, now)),
                    Val::Text(format!("SP-{}-{:06}", left.year(), r.below(1_000_000))),
                    Val::Str(CIRCUMSTANCES[r.below(CIRCUMSTANCES.len() as u64) as usize]),
                    returned.into(),
                    returned
                        .map(|_| FOUND[r.below(FOUND.len() as u64) as usize])
                        .into(),
                    returned
                        .map(|_| ["police", "carer", "self", "parent"][r.below(4) as usize])
                        .into(),
                    Val::Id(worker.id),
                    Val::At(recorded),
                    returned.map(|_| worker.id).into(),
                    ret_rec.into(),
                ]);
                audit.push((
                    recorded,
                    ev(worker, "missing.record", "missing_episode", eid),
                ));
                let grade = match (s.age < 13, r.below(10)) {
                    (true, _) | (_, 0..=1) => "high",
                    (_, 2..=6) => "medium",
                    _ => "low",
                };
                b.grades.row([
                    Val::Id(id_at(&mut r, recorded)),
                    Val::Id(eid),
                    Val::Str(grade),
                    Val::Str(harbour_domain::missing::GRADE_SCHEME),
                    Val::At(clamp_now(reported, now)),
                    Val::Id(worker.id),
                    Val::At(recorded),
                ]);
                // The worker's task to respond: done on return, open while missing.
                b.tasks.row([
                    Val::Id(id_at(&mut r, recorded)),
                    Val::Id(id),
                    Val::Id(worker.id),
                    Val::Null,
                    Val::Str("missing.respond"),
                    Val::Str("Respond to a missing report"),
                    Val::Text(format!("{first} {last} is reported missing.")),
                    Val::At(recorded + Duration::hours(4)),
                    Val::Id(eid),
                    Val::At(recorded),
                    returned.into(),
                    returned.map(|_| worker.id).into(),
                ]);
                if let (Some(ret), Some(rr)) = (returned, ret_rec) {
                    audit.push((rr, ev(worker, "missing.return", "missing_episode", eid)));
                    let due = ret + Duration::hours(72);
                    let rhi = &self.staff[self.rhi_user];
                    let (outcome, held) = if due > now && r.chance(600) {
                        ("awaiting", None)
                    } else {
                        match r.below(100) {
                            0..=62 => ("completed", Some(ret + Duration::hours(r.range(4, 70)))),
                            63..=77 => ("completed", Some(ret + Duration::hours(r.range(73, 240)))),
                            78..=92 => ("declined", None),
                            _ => ("not_held", None),
                        }
                    };
                    let held = held.map(|h| h.min(now));
                    let done = outcome != "awaiting";
                    let rec_at = done.then(|| {
                        clamp_now(
                            held.unwrap_or(ret + Duration::hours(48))
                                + Duration::hours(r.range(1, 48)),
                            now,
                        )
                    });
                    let completed = outcome == "completed";
                    b.rhis.row([
                        Val::Id(id_at(&mut r, ret)),
                        Val::Id(eid),
                        Val::Id(id),
                        Val::Id(self.orgs[4]),
                        Val::At(due),
                        Val::At(ret),
                        Val::Str(outcome),
                        done.then(|| clamp_now(ret + Duration::hours(r.range(2, 24)), now))
                            .into(),
                        held.into(),
                        match outcome {
                            "declined" => Val::Str("The child declined the interview."),
                            "not_held" => Val::Str("The child could not be reached in time."),
                            _ => Val::Null,
                        },
                        (completed && held.is_some_and(|h| h > due))
                            .then_some("The child was not available until after the weekend.")
                            .into(),
                        completed
                            .then_some("Arguments at home; friends from the estate.")
                            .into(),
                        completed.then_some("None disclosed.").into(),
                        (completed && r.chance(250))
                            .then_some("Older associates; new phone; unexplained cash.")
                            .into(),
                        completed
                            .then_some("Friends from school; the town centre.")
                            .into(),
                        completed
                            .then_some("Findings shared with the allocated worker and police.")
                            .into(),
                        done.then_some(rhi.id).into(),
                        rec_at.into(),
                    ]);
                }
            }
            // Exploitation screenings for children who go missing repeatedly.
            if s.episodes >= 2 && !levels.is_empty() {
                let n_scr = (1 + s.episodes / 8).min(4);
                for k in 0..n_scr {
                    let d =
                        s.start + Duration::days(window * i64::from(k + 1) / i64::from(n_scr + 1));
                    let when = clamp_now(at(d, &mut r), now);
                    let top = levels.len() - 1;
                    let lvl = (u64::from(s.episodes / 4) + r.below(2)).min(top as u64) as usize;
                    let sid = id_at(&mut r, when);
                    b.screenings.row([
                        Val::Id(sid),
                        Val::Id(id),
                        Val::Int(i64::from(s.age) + (d - s.start).num_days() / 365),
                        Val::Text(levels[lvl].clone()),
                        Val::Text(levels[lvl].clone()),
                        Val::Bool(s.age < 13),
                        Val::Str(""),
                        Val::Str("Repeat missing episodes; screened at the worker's visit."),
                        Val::Id(worker.id),
                        Val::At(when),
                    ]);
                }
            }
        }
        // Views fill the child's share of audit rows.
        let view_to = (live_to + Duration::days(30)).min(self.today);
        let vwin = (view_to - s.start).num_days().max(1);
        while audit.len() < s.audit as usize {
            let who = if r.chance(150) { manager } else { worker };
            let t = clamp_now(at(s.start + Duration::days(r.range(0, vwin)), &mut r), now);
            audit.push((t, ev(who, "child.view", "child", id)));
        }
        audit.sort_by_key(|(t, _)| *t);
        for (t, e) in audit {
            *seq += 1;
            let h = chain_hash(prev, *seq, t, &e);
            b.audit.row([
                Val::Int(*seq),
                Val::At(t),
                e.actor_id.into(),
                Val::Text(e.actor_role),
                Val::Text(e.action),
                Val::Text(e.target_kind),
                e.target_id.into(),
                e.child_id.into(),
                Val::Str(e.outcome.as_str()),
                Val::Null,
                Val::Null,
                Val::Text(std::mem::take(prev)),
                Val::Text(h.clone()),
            ]);
            *prev = h;
        }
    }
}

fn min_audit(s: &Sk) -> u64 {
    1 + u64::from(s.notes) + 2 * u64::from(s.episodes) - u64::from(s.open_episode)
}

fn staff_len_hint(role: Role, k: usize) -> String {
    format!("{}{k}", &role.as_str()[..2])
}

/// The genesis of an empty chain.
pub fn genesis() -> (i64, String) {
    (0, GENESIS_HASH.to_string())
}

struct ChunkBatches {
    children: Batch,
    name_keys: Batch,
    addresses: Batch,
    statuses: Batch,
    placements: Batch,
    allocations: Batch,
    notes: Batch,
    episodes: Batch,
    grades: Batch,
    tasks: Batch,
    rhis: Batch,
    screenings: Batch,
    audit: Batch,
}

impl ChunkBatches {
    fn new() -> Self {
        Self {
            children: Batch::new(
                "children",
                &[
                    "id",
                    "la_child_id",
                    "first_name",
                    "last_name",
                    "dob",
                    "sex",
                    "ethnicity",
                    "upn",
                    "nhs_number",
                    "responsible_la",
                    "host_la",
                    "school",
                    "restricted",
                    "created_at",
                    "created_by",
                    "mother",
                ],
            ),
            name_keys: Batch::new("child_name_keys", &["key", "child_id"]),
            addresses: Batch::new(
                "child_addresses",
                &[
                    "id",
                    "child_id",
                    "line1",
                    "town",
                    "postcode",
                    "from_date",
                    "to_date",
                ],
            ),
            statuses: Batch::new(
                "legal_statuses",
                &[
                    "id",
                    "child_id",
                    "status",
                    "start_date",
                    "end_date",
                    "recorded_at",
                    "ls_code",
                    "cin_code",
                    "rec_code",
                    "home_postcode",
                ],
            ),
            placements: Batch::new(
                "placements",
                &[
                    "id",
                    "child_id",
                    "place_code",
                    "provider_code",
                    "carer_name",
                    "carer_phone",
                    "postcode",
                    "area_la",
                    "start_date",
                    "end_date",
                    "reason_place_change",
                    "urn",
                ],
            ),
            allocations: Batch::new(
                "allocations",
                &[
                    "id",
                    "child_id",
                    "worker_id",
                    "team_id",
                    "start_date",
                    "end_date",
                    "sw_reason",
                    "recorded_by",
                    "recorded_at",
                ],
            ),
            notes: Batch::new(
                "case_notes",
                &[
                    "id",
                    "child_id",
                    "author_id",
                    "kind",
                    "occurred_at",
                    "recorded_at",
                    "subject",
                    "body",
                    "significant",
                ],
            ),
            episodes: Batch::new(
                "missing_episodes",
                &[
                    "id",
                    "child_id",
                    "kind",
                    "missing_from",
                    "last_seen_at",
                    "location_left",
                    "reported_at",
                    "police_ref",
                    "circumstances",
                    "returned_at",
                    "found_where",
                    "found_by",
                    "recorded_by",
                    "recorded_at",
                    "return_recorded_by",
                    "return_recorded_at",
                ],
            ),
            grades: Batch::new(
                "police_grades",
                &[
                    "id",
                    "episode_id",
                    "grade",
                    "scheme",
                    "graded_at",
                    "recorded_by",
                    "recorded_at",
                ],
            ),
            tasks: Batch::new(
                "tasks",
                &[
                    "id",
                    "child_id",
                    "assigned_user",
                    "assigned_role",
                    "kind",
                    "title",
                    "detail",
                    "due_at",
                    "source_id",
                    "created_at",
                    "completed_at",
                    "completed_by",
                ],
            ),
            rhis: Batch::new(
                "rhi_interviews",
                &[
                    "id",
                    "episode_id",
                    "child_id",
                    "provider_org_id",
                    "due_at",
                    "created_at",
                    "outcome",
                    "offered_at",
                    "held_at",
                    "reason",
                    "late_reason",
                    "push_pull",
                    "harm_disclosed",
                    "exploitation_indicators",
                    "people_places",
                    "actions",
                    "recorded_by",
                    "recorded_at",
                ],
            ),
            screenings: Batch::new(
                "screenings",
                &[
                    "id",
                    "child_id",
                    "age",
                    "level",
                    "suggested",
                    "under_13",
                    "peers",
                    "summary",
                    "recorded_by",
                    "recorded_at",
                ],
            ),
            audit: Batch::new(
                "audit_log",
                &[
                    "seq",
                    "at",
                    "actor_id",
                    "actor_role",
                    "action",
                    "target_kind",
                    "target_id",
                    "child_id",
                    "outcome",
                    "reason",
                    "request_id",
                    "prev_hash",
                    "hash",
                ],
            ),
        }
    }

    /// In foreign-key order.
    fn into_vec(self) -> Vec<Batch> {
        vec![
            self.children,
            self.name_keys,
            self.addresses,
            self.statuses,
            self.placements,
            self.allocations,
            self.notes,
            self.episodes,
            self.grades,
            self.tasks,
            self.rhis,
            self.screenings,
            self.audit,
        ]
    }
}

const NOTES: &[(&str, &str, &str)] = &[
    (
        "visit",
        "Home visit",
        "Visited {name} at home. Seen alone; talked about school and friends. No new concerns raised.",
    ),
    (
        "visit",
        "Statutory visit",
        "Statutory visit to {name}. Bedroom seen. {name} said things are going well with the carers.",
    ),
    (
        "contact",
        "Call with school",
        "Spoke to the designated safeguarding lead about {name}'s attendance, which has improved this half term.",
    ),
    (
        "contact",
        "Call with parent",
        "Mother called to say {name} came home late twice this week; advised to report if missing.",
    ),
    (
        "meeting",
        "Core group",
        "Core group met. Plan reviewed; actions agreed for health and education.",
    ),
    (
        "meeting",
        "Strategy discussion",
        "Strategy discussion with police and health about {name}. Information shared; decision recorded.",
    ),
    (
        "case_discussion",
        "Case discussion",
        "Discussed {name} in supervision: risks, plan and next steps agreed.",
    ),
    (
        "other",
        "Direct work",
        "Direct work session with {name} on safe relationships and online safety.",
    ),
];

const CIRCUMSTANCES: &[&str] = &[
    "Did not return after school; phone switched off.",
    "Left the home after an argument; last seen walking towards the town centre.",
    "Went out with friends and did not come back by the agreed time.",
    "Left through a window overnight; bed empty in the morning.",
    "Believed to be with older associates; seen getting into a car.",
];

const FOUND: &[&str] = &[
    "At a friend's house",
    "In the town centre",
    "Returned home by themselves",
    "At a relative's address",
    "Found by police at the railway station",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-10T12:00:00Z")
            .unwrap()
            .to_utc()
    }

    fn levels() -> Vec<String> {
        ["No current risk", "At risk", "Medium", "High"]
            .map(String::from)
            .to_vec()
    }

    fn tiny() -> Plan {
        Plan {
            children: 250,
            years: 2,
            missing_episodes: 400,
            audit_rows: 6_000,
        }
    }

    #[test]
    fn the_skeleton_meets_the_plan_exactly() {
        for plan in [tiny(), Scale::S.plan()] {
            let s = Skeleton::new(plan, 5, now(), "861", &levels());
            assert_eq!(s.totals.children, plan.children);
            assert_eq!(s.totals.episodes, plan.missing_episodes);
            assert_eq!(s.totals.audit_rows, plan.audit_rows);
        }
    }

    #[test]
    fn missing_has_a_heavy_tail_and_caseloads_a_spread() {
        let s = Skeleton::new(Scale::S.plan(), 5, now(), "861", &levels());
        let missing: Vec<u32> = s.sk.iter().map(|k| k.episodes).filter(|e| *e > 0).collect();
        let once = missing.iter().filter(|e| **e == 1).count();
        let dozens = missing.iter().filter(|e| **e >= 24).count();
        assert!(
            once * 10 >= missing.len() * 3,
            "{once} of {}",
            missing.len()
        );
        assert!(dozens > 0 && dozens * 10 < missing.len());
        let mut loads = vec![0u32; s.workers.len()];
        for k in s.sk.iter().filter(|k| k.end.is_none()) {
            loads[k.worker as usize] += 1;
        }
        let mean = loads.iter().sum::<u32>() as f64 / loads.len() as f64;
        assert!((14.0..=20.0).contains(&mean), "{mean}");
        assert!(loads.iter().any(|l| *l > 30), "{loads:?}");
        assert!(s.staff.iter().any(|w| w.asye_start.is_some()));
    }

    #[test]
    fn chunks_are_pure_and_chain_the_audit_rows() {
        let a = Skeleton::new(tiny(), 9, now(), "861", &levels());
        let b = Skeleton::new(tiny(), 9, now(), "861", &levels());
        let (g, _) = genesis();
        let (x, seq_x, hx) = a.chunk(0, g, GENESIS_HASH.into());
        let (y, seq_y, hy) = b.chunk(0, g, GENESIS_HASH.into());
        assert_eq!((seq_x, &hx), (seq_y, &hy));
        assert_eq!(format!("{x:?}"), format!("{y:?}"));
        assert_eq!(seq_x as u64, a.totals.audit_rows);
        let c = Skeleton::new(tiny(), 10, now(), "861", &levels());
        let (_, _, hz) = c.chunk(0, g, GENESIS_HASH.into());
        assert_ne!(hx, hz);
    }
}

/// Where a load has got to, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The phase: `plan`, `staff`, `children`, `finish`.
    pub phase: &'static str,
    /// Children written so far (in `children`).
    pub done: u64,
    /// Children in all.
    pub total: u64,
    /// Rows written so far, all tables.
    pub rows: u64,
}

/// What a load made.
#[derive(Clone, Debug)]
pub struct GenerateSummary {
    /// Row counts by kind.
    pub totals: Totals,
    /// Rows written, all tables.
    pub rows: u64,
    /// The sign-ins (password [`GENERATED_PASSWORD`]).
    pub sign_ins: Vec<SignIn>,
}

impl crate::App {
    /// Fill an empty, migrated database with a generated dataset (see the
    /// module comment). Refuses a database that holds any records. Calls
    /// `progress` as it goes.
    pub async fn generate_dataset(
        &self,
        plan: Plan,
        seed: u64,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> crate::AppResult<GenerateSummary> {
        use harbour_db::{bulk, org, users};
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        if !org::is_empty(&mut tx).await? || !users::list(&mut tx).await?.is_empty() {
            return Err(crate::AppError::Conflict(
                "The database already holds records; generated data loads only into an empty, migrated database (create a new one, run `harbour migrate`, then generate).".into(),
            ));
        }
        for (code, name) in harbour_domain::la_codes::LA_CODES {
            org::upsert_authority(
                &mut tx,
                &harbour_domain::model::Authority {
                    la_code: code.to_string(),
                    name: name.to_string(),
                },
            )
            .await?;
        }
        tx.commit().await?;
        progress(Progress {
            phase: "plan",
            done: 0,
            total: plan.children,
            rows: 0,
        });
        let home = self.config.home_la.clone();
        let levels = self.config.screening.levels.clone();
        let sk =
            tokio::task::spawn_blocking(move || Skeleton::new(plan, seed, now, &home, &levels))
                .await
                .map_err(|e| crate::AppError::Internal(format!("generator failed: {e}")))?;
        let sk = std::sync::Arc::new(sk);
        let cost = self.config.password_hash_cost;
        let hash = crate::auth::hash_password(cost, GENERATED_PASSWORD)?;
        let locked = crate::auth::hash_password(cost, &crate::auth::generate_password())?;
        bulk::sqlite_fast_load(&self.db).await?;
        let mut rows = 0u64;
        progress(Progress {
            phase: "staff",
            done: 0,
            total: plan.children,
            rows,
        });
        let mut tx = self.db.begin_write().await?;
        for b in sk.staff_batches(&hash, &locked, super::DEMO_TOTP_SECRET) {
            bulk::write(&mut tx, &b).await?;
            rows += b.len() as u64;
        }
        tx.commit().await?;
        // The producer makes chunk k+1 while the writer stores chunk k.
        type Msg = (usize, Vec<Batch>, i64, String);
        let (send, mut recv) = tokio::sync::mpsc::channel::<Msg>(2);
        let producer = {
            let sk = sk.clone();
            std::thread::spawn(move || {
                let (mut seq, mut prev) = genesis();
                for k in 0..sk.chunks() {
                    let (batches, s, h) = sk.chunk(k, seq, prev);
                    seq = s;
                    prev = h.clone();
                    if send.blocking_send((k, batches, s, h)).is_err() {
                        return;
                    }
                }
            })
        };
        let mut done = 0u64;
        let result: crate::AppResult<()> = async {
            while let Some((_, batches, seq, head)) = recv.recv().await {
                let mut tx = self.db.begin_write().await?;
                for b in &batches {
                    bulk::write(&mut tx, b).await?;
                    rows += b.len() as u64;
                }
                if seq > 0 {
                    bulk::set_audit_head(&mut tx, seq, &head).await?;
                }
                tx.commit().await?;
                done += batches.first().map_or(0, |b| b.len() as u64);
                progress(Progress {
                    phase: "children",
                    done,
                    total: plan.children,
                    rows,
                });
            }
            Ok(())
        }
        .await;
        drop(recv);
        let _ = producer.join();
        result?;
        progress(Progress {
            phase: "finish",
            done,
            total: plan.children,
            rows,
        });
        let t = &sk.totals;
        let mut tx = self.db.begin_write().await?;
        self.audit(
            &mut tx,
            &crate::admin::system_event(
                "generate.load",
                "service",
                None,
                Some(format!(
                    "plan {}x{}y seed {seed}: {} children, {} staff, {} missing episodes, {} audit rows",
                    plan.children, plan.years, t.children, t.staff, t.episodes, t.audit_rows
                )),
            ),
        )
        .await?;
        tx.commit().await?;
        bulk::finish_load(&self.db).await?;
        Ok(GenerateSummary {
            totals: sk.totals.clone(),
            rows,
            sign_ins: sk.sign_ins(),
        })
    }
}
