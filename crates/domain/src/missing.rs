//! Children missing from home, care or education: the episode, the police
//! risk grade, and the rules checked when an episode is recorded.
//!
//! Sources: DfE, *Statutory guidance on children who run away or go missing
//! from home or care* (January 2014) — definitions of "missing" (whereabouts
//! unknown) and "away from placement without authorisation" (whereabouts
//! known), and the return home interview within 72 hours; DfE SSDA903 guide
//! 2025-26, Missing table (`M` / `A`, every episode however short); College
//! of Policing APP on missing persons and ACPO/NPIA (2010) risk grades.

use crate::ids::{ChildId, UserId};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// Whether the child's whereabouts are known (SSDA903 `MISSING`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MissingKind {
    /// Missing: whereabouts unknown (`M`).
    Missing,
    /// Away from placement without authorisation: whereabouts known (`A`).
    Away,
}

impl MissingKind {
    /// Every value.
    pub const ALL: [MissingKind; 2] = [Self::Missing, Self::Away];
    /// The SSDA903 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Missing => "M",
            Self::Away => "A",
        }
    }
    /// Label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Missing => "Missing (whereabouts unknown)",
            Self::Away => "Away without authorisation (whereabouts known)",
        }
    }
    /// Parse the SSDA903 code.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// Where the child went missing from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MissingFrom {
    /// Home.
    Home,
    /// A care placement.
    Placement,
    /// A school or other education setting.
    Education,
}

impl MissingFrom {
    /// Every value.
    pub const ALL: [MissingFrom; 3] = [Self::Home, Self::Placement, Self::Education];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Home => "home",
            Self::Placement => "placement",
            Self::Education => "education",
        }
    }
    /// Label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Home => "Home",
            Self::Placement => "Care placement",
            Self::Education => "School or education setting",
        }
    }
    /// Parse.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A police risk grade. Grades change over time, so every grade is stored
/// with the scheme it belongs to ([`GRADE_SCHEME`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PoliceGrade {
    /// No apparent risk ("absent"), added in 2013; reportedly dropped from the
    /// restructured APP. Not the same as SSDA903 "away".
    NoApparentRisk,
    /// No apparent threat of danger.
    Low,
    /// Likely to place the child in danger.
    Medium,
    /// Immediate risk; substantial grounds for danger.
    High,
}

/// The grading scheme Harbour records grades under.
pub const GRADE_SCHEME: &str = "APP-2013";

impl PoliceGrade {
    /// Every value, lowest first.
    pub const ALL: [PoliceGrade; 4] = [Self::NoApparentRisk, Self::Low, Self::Medium, Self::High];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoApparentRisk => "no_apparent_risk",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
    /// Label.
    pub fn label(self) -> &'static str {
        match self {
            Self::NoApparentRisk => "No apparent risk (absent)",
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
        }
    }
    /// Parse.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One missing or away episode. Times are when things happened; the record
/// keeps when it was written separately.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MissingEpisode {
    /// Identifier.
    pub id: uuid::Uuid,
    /// The child.
    pub child_id: ChildId,
    /// Missing or away.
    pub kind: MissingKind,
    /// From where.
    pub from: MissingFrom,
    /// Last seen (SSDA903 MIS_START is the later of leaving and last sighting by a responsible adult).
    pub last_seen_at: DateTime<Utc>,
    /// Where the child left from or was last seen.
    pub location_left: String,
    /// Reported to police.
    pub reported_at: Option<DateTime<Utc>>,
    /// Police reference.
    pub police_ref: Option<String>,
    /// The current police grade.
    pub grade: Option<PoliceGrade>,
    /// What happened.
    pub circumstances: String,
    /// Found or returned.
    pub returned_at: Option<DateTime<Utc>>,
    /// Where found.
    pub found_where: Option<String>,
    /// Found by (police, carer, self-returned…).
    pub found_by: Option<String>,
    /// Recorded by.
    pub recorded_by: UserId,
    /// Recorded at.
    pub recorded_at: DateTime<Utc>,
}

impl MissingEpisode {
    /// Still open (not found or returned).
    pub fn is_open(&self) -> bool {
        self.returned_at.is_none()
    }
    /// How long the child was (or has been) missing at `now`.
    pub fn duration(&self, now: DateTime<Utc>) -> TimeDelta {
        self.returned_at.unwrap_or(now) - self.last_seen_at
    }
}

/// Latest time for the return home interview.
/// Source: DfE, "Statutory guidance on children who run away or go missing
/// from home or care" (January 2014): an independent return interview should
/// be offered and held within 72 hours of the child's return.
pub fn rhi_due(returned_at: DateTime<Utc>) -> DateTime<Utc> {
    returned_at + TimeDelta::hours(72)
}

/// What became of a return home interview.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RhiOutcome {
    /// Not yet recorded.
    Awaiting,
    /// Held.
    Completed,
    /// Offered and declined by the child.
    Declined,
    /// Not held for another reason (recorded).
    NotHeld,
}

impl RhiOutcome {
    /// Every value.
    pub const ALL: [RhiOutcome; 4] = [
        Self::Awaiting,
        Self::Completed,
        Self::Declined,
        Self::NotHeld,
    ];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Awaiting => "awaiting",
            Self::Completed => "completed",
            Self::Declined => "declined",
            Self::NotHeld => "not_held",
        }
    }
    /// Label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Awaiting => "Awaiting interview",
            Self::Completed => "Interview held",
            Self::Declined => "Offered, declined by the child",
            Self::NotHeld => "Not offered, or offered but not held",
        }
    }
    /// Parse.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A return home interview after one episode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnInterview {
    /// Identifier.
    pub id: uuid::Uuid,
    /// The episode it follows.
    pub episode_id: uuid::Uuid,
    /// The child.
    pub child_id: ChildId,
    /// The commissioned provider.
    pub provider_org_id: crate::ids::OrgId,
    /// 72 hours after the return.
    pub due_at: DateTime<Utc>,
    /// Outcome.
    pub outcome: RhiOutcome,
    /// When the interview was offered.
    pub offered_at: Option<DateTime<Utc>>,
    /// Who offered it (name and role, as typed).
    pub offered_by: Option<String>,
    /// When it was held.
    pub held_at: Option<DateTime<Utc>>,
    /// Why declined or not held.
    pub reason: Option<String>,
    /// When declined: who was told (e.g. the social worker, the carer).
    pub declined_told: Option<String>,
    /// Why late, when held after the due time.
    pub late_reason: Option<String>,
    /// The child's account: push and pull factors.
    pub push_pull: Option<String>,
    /// Harm disclosed.
    pub harm_disclosed: Option<String>,
    /// Exploitation indicators seen.
    pub exploitation_indicators: Option<String>,
    /// People and places named.
    pub people_places: Option<String>,
    /// Actions agreed.
    pub actions: Option<String>,
}

/// What a provider records about an interview.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RhiRecord {
    /// Outcome (not Awaiting).
    pub outcome: Option<RhiOutcome>,
    /// Offered.
    pub offered_at: Option<DateTime<Utc>>,
    /// Held.
    pub held_at: Option<DateTime<Utc>>,
    /// Reason for declined / not held.
    pub reason: String,
    /// Who offered it.
    pub offered_by: String,
    /// When declined, who was told.
    pub declined_told: String,
    /// Reason for lateness.
    pub late_reason: String,
    /// Push and pull factors.
    pub push_pull: String,
    /// Harm disclosed.
    pub harm_disclosed: String,
}

/// Check an interview record: an outcome; the offer time and who offered it
/// for every outcome but "not held"; who was told when the child declined; the time held (not before the return's due window opened,
/// i.e. after the offer) for a completed one with the child's account; a
/// reason when declined or not held; a reason when held after the 72-hour
/// due time. Source: DfE 2014 missing guidance (offer after every return,
/// hold within 72 hours, record any decision not to hold one, with reasons).
pub fn check_rhi_record(
    r: &RhiRecord,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<EpisodeProblem> {
    let mut p = Vec::new();
    let mut add = |field, message: &str| {
        p.push(EpisodeProblem {
            field,
            message: message.to_string(),
        })
    };
    match r.outcome {
        None | Some(RhiOutcome::Awaiting) => add("outcome", "Select what happened"),
        Some(o) => {
            if o != RhiOutcome::NotHeld && r.offered_at.is_none() {
                add("offered", "Enter when the interview was offered");
            }
            if matches!(o, RhiOutcome::Declined | RhiOutcome::NotHeld) && r.reason.trim().is_empty()
            {
                add("reason", "Enter why the interview did not happen");
            }
            if o != RhiOutcome::NotHeld && r.offered_by.trim().is_empty() {
                add("offered_by", "Enter who offered the interview");
            }
            if o == RhiOutcome::Declined && r.declined_told.trim().is_empty() {
                add(
                    "declined_told",
                    "Enter who was told that the child declined (for example the social worker, the carer)",
                );
            }
            if o == RhiOutcome::Completed {
                match r.held_at {
                    None => add("held", "Enter when the interview was held"),
                    Some(h) => {
                        if r.offered_at.is_some_and(|o| h < o) {
                            add("held", "The interview must be held after it was offered");
                        }
                        if h > now + TimeDelta::minutes(5) {
                            add("held", "The time it was held must be in the past");
                        }
                        if h > due_at && r.late_reason.trim().is_empty() {
                            add(
                                "late_reason",
                                "The interview was held more than 72 hours after the return: enter why",
                            );
                        }
                    }
                }
                if r.push_pull.trim().is_empty() && r.harm_disclosed.trim().is_empty() {
                    add(
                        "push_pull",
                        "Record what the child said: what pushed or pulled them away, and any harm",
                    );
                }
            }
        }
    }
    p
}

/// A share as a whole percentage, or None when there is nothing to divide
/// ("no interviews yet" is not 0%).
pub fn percent(part: i64, whole: i64) -> Option<u32> {
    (whole > 0).then(|| ((part as f64 / whole as f64) * 100.0).round() as u32)
}

/// A problem with an episode as entered, in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpisodeProblem {
    /// The field it concerns.
    pub field: &'static str,
    /// What to do.
    pub message: String,
}

/// Check an episode against the child's other episodes and date of birth
/// before it is saved. Mirrors SSDA903 rules 567 (start after end), 574
/// (overlapping episodes; touching is allowed), 586 (start on or before date
/// of birth) at the point of entry, for every child, not only those looked
/// after. `others` excludes the episode itself when editing.
pub fn check_episode(
    e: &MissingEpisode,
    dob: NaiveDate,
    others: &[MissingEpisode],
    now: DateTime<Utc>,
) -> Vec<EpisodeProblem> {
    let mut p = Vec::new();
    let mut add = |field, message: &str| {
        p.push(EpisodeProblem {
            field,
            message: message.to_string(),
        })
    };
    if e.last_seen_at > now + TimeDelta::minutes(5) {
        add(
            "last_seen",
            "The time the child was last seen must be in the past",
        );
    }
    if e.last_seen_at.date_naive() <= dob {
        add(
            "last_seen",
            "The time the child was last seen must be after their date of birth",
        );
    }
    if let Some(r) = e.returned_at {
        if r < e.last_seen_at {
            add(
                "returned",
                "The time the child returned must be after they were last seen",
            );
        }
        if r > now + TimeDelta::minutes(5) {
            add(
                "returned",
                "The time the child returned must be in the past",
            );
        }
    }
    if let Some(rep) = e.reported_at
        && rep < e.last_seen_at - TimeDelta::hours(1)
    {
        add(
            "reported",
            "The report to police must be after the child was last seen",
        );
    }
    let end = e.returned_at.unwrap_or(DateTime::<Utc>::MAX_UTC);
    for o in others
        .iter()
        .filter(|o| o.id != e.id && o.child_id == e.child_id)
    {
        let o_end = o.returned_at.unwrap_or(DateTime::<Utc>::MAX_UTC);
        // Overlap, with touching allowed: one ends exactly when the other starts.
        if e.last_seen_at < o_end && o.last_seen_at < end {
            let msg = if o.is_open() {
                "This child already has an open missing episode. Record their return on that episode first."
            } else {
                "This episode overlaps another missing episode for the same child. Check the times."
            };
            add("last_seen", msg);
            break;
        }
    }
    p
}

/// Whether a child turned 18 while missing: the episode began before the
/// 18th birthday and was open on it. SSDA903 guidance: the care episode then
/// ends with REC = E8 ("any other reason") on the birthday (rule 580).
pub fn turned_18_while_missing(e: &MissingEpisode, dob: NaiveDate) -> Option<NaiveDate> {
    use chrono::Datelike;
    let eighteenth = NaiveDate::from_ymd_opt(dob.year() + 18, dob.month(), dob.day())
        .or_else(|| NaiveDate::from_ymd_opt(dob.year() + 18, 3, 1))?;
    let started = e.last_seen_at.date_naive();
    let ended = e.returned_at.map(|r| r.date_naive());
    (started < eighteenth && ended.is_none_or(|d| d >= eighteenth)).then_some(eighteenth)
}

/// Warnings to show on an open episode: the child turned 18 while missing
/// (SSDA903 guidance: the care episode ends on the birthday with REC = E8,
/// rule 580), or their care episode ended while the episode is open
/// (rule 575). `care_ended` is the end date of the latest looked-after
/// period, if it has ended.
pub fn open_episode_flags(
    e: &MissingEpisode,
    dob: NaiveDate,
    care_ended: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<String> {
    let mut v = Vec::new();
    if !e.is_open() {
        return v;
    }
    if let Some(b) = turned_18_while_missing(e, dob).filter(|b| *b <= today) {
        v.push(format!(
            "The child turned 18 on {} while missing. In the SSDA903 return their care episode ends on that day with reason E8 (any other reason).",
            crate::calendar::format_date(b)
        ));
    }
    if let Some(end) = care_ended.filter(|d| *d >= e.last_seen_at.date_naive()) {
        v.push(format!(
            "The child's care episode ended on {} while this episode is still open. Check the placement and legal status, or record the return.",
            crate::calendar::format_date(end)
        ));
    }
    v
}

/// A period of care for the SSDA903 checks: a placement while looked after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CarePeriod {
    /// DECOM.
    pub start: NaiveDate,
    /// DEC, while open: None.
    pub end: Option<NaiveDate>,
    /// PLACE code.
    pub place: String,
    /// PLACE_PROVIDER code.
    pub provider: String,
}

/// The SSDA903 Missing-table rules, run at entry for a looked-after child:
/// builds this child's Header, Episodes and Missing rows for the collection
/// year containing `today` (1 April to 31 March) and returns, for each of the
/// child's episodes the return would include, the plain-words message of
/// every rule that flags it. Children with no care period get no checks (the
/// return covers looked-after children only). Source: DfE SSDA903 2025-26
/// validation rules, as in [`crate::ssda903`].
pub fn ssda903_warnings(
    child_code: &str,
    sex: &str,
    dob: NaiveDate,
    episodes: &[MissingEpisode],
    care: &[CarePeriod],
    today: NaiveDate,
) -> Vec<(uuid::Uuid, String)> {
    use crate::ssda903::{self as s, Episode, Header, Metadata, MissingRow, Return};
    use chrono::Datelike;
    let year_end = if today.month() >= 4 {
        today.year() + 1
    } else {
        today.year()
    };
    let meta = Metadata::year_ending(year_end);
    let (Some(start), Some(end)) = (meta.collection_start, meta.collection_end) else {
        return Vec::new();
    };
    let in_year =
        |from: NaiveDate, to: Option<NaiveDate>| from <= end && to.is_none_or(|t| t >= start);
    if !care.iter().any(|c| in_year(c.start, c.end)) {
        return Vec::new();
    }
    let d = |x: NaiveDate| Some(x.format("%d/%m/%Y").to_string());
    let child = Some(child_code.to_string());
    let rows: Vec<&MissingEpisode> = episodes
        .iter()
        .filter(|e| {
            in_year(
                e.last_seen_at.date_naive(),
                e.returned_at.map(|r| r.date_naive()),
            )
        })
        .collect();
    let ret = Return {
        metadata: meta,
        header: Some(vec![Header {
            child: child.clone(),
            sex: Some(sex.to_string()),
            dob: d(dob),
            ..Default::default()
        }]),
        episodes: Some(
            care.iter()
                .filter(|c| in_year(c.start, c.end))
                .enumerate()
                .map(|(i, c)| Episode {
                    child: child.clone(),
                    decom: d(c.start),
                    rne: Some(if i == 0 { "S" } else { "P" }.into()),
                    place: Some(c.place.clone()),
                    place_provider: Some(c.provider.clone()),
                    dec: c.end.and_then(d),
                    ..Default::default()
                })
                .collect(),
        ),
        missing: Some(
            rows.iter()
                .map(|e| MissingRow {
                    child: child.clone(),
                    dob: d(dob),
                    missing: Some(e.kind.code().into()),
                    mis_start: d(e.last_seen_at.date_naive()),
                    mis_end: e.returned_at.and_then(|r| d(r.date_naive())),
                })
                .collect(),
        ),
        ..Default::default()
    };
    let mut out = Vec::new();
    for (code, plain, rule) in s::missing_rules() {
        let flags = rule(&ret);
        for i in flags.get(s::table::MISSING).into_iter().flatten() {
            if let Some(e) = rows.get(*i) {
                out.push((e.id, format!("{plain} (SSDA903 rule {code})")));
            }
        }
    }
    out
}

/// Local thresholds for prompt action (per-authority configuration, not code).
/// Defaults follow common local protocols: 3+ episodes in 30 days prompts a
/// strategy meeting (Derbyshire); any episode of a child aged 13 or under; a
/// high police grade; a child with an exploitation concern.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TriggerConfig {
    /// Episodes (including this one) within the window that count as repeat missing.
    pub repeat_count: usize,
    /// The window in days.
    pub repeat_days: i64,
    /// Children at or under this age always trigger.
    pub young_child_age: u32,
    /// A high police grade triggers.
    pub high_grade: bool,
    /// An exploitation concern triggers.
    pub exploitation_concern: bool,
}

impl Default for TriggerConfig {
    fn default() -> Self {
        Self {
            repeat_count: 3,
            repeat_days: 30,
            young_child_age: 13,
            high_grade: true,
            exploitation_concern: true,
        }
    }
}

/// Why prompt action is needed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Trigger {
    /// N episodes within the window.
    RepeatMissing {
        /// Episodes counted.
        episodes: usize,
        /// Window in days.
        days: i64,
    },
    /// A young child.
    YoungChild {
        /// Age.
        age: u32,
    },
    /// High police grade.
    HighRisk,
    /// Exploitation concern recorded.
    ExploitationConcern,
}

impl Trigger {
    /// Plain words for a task.
    pub fn describe(&self) -> String {
        match self {
            Trigger::RepeatMissing { episodes, days } => {
                format!("{episodes} missing episodes in {days} days")
            }
            Trigger::YoungChild { age } => format!("the child is {age}"),
            Trigger::HighRisk => "police graded the risk as high".into(),
            Trigger::ExploitationConcern => "there is an exploitation concern".into(),
        }
    }
}

/// Which triggers an episode fires. `history` is the child's episodes,
/// including this one; `age` is the child's age when last seen.
pub fn triggers(
    cfg: &TriggerConfig,
    e: &MissingEpisode,
    history: &[MissingEpisode],
    age: u32,
    exploitation_concern: bool,
) -> Vec<Trigger> {
    let mut t = Vec::new();
    let since = e.last_seen_at - TimeDelta::days(cfg.repeat_days);
    let recent = history
        .iter()
        .filter(|h| h.last_seen_at > since && h.last_seen_at <= e.last_seen_at)
        .count();
    if cfg.repeat_count > 0 && recent >= cfg.repeat_count {
        t.push(Trigger::RepeatMissing {
            episodes: recent,
            days: cfg.repeat_days,
        });
    }
    if age <= cfg.young_child_age {
        t.push(Trigger::YoungChild { age });
    }
    if cfg.high_grade && e.grade == Some(PoliceGrade::High) {
        t.push(Trigger::HighRisk);
    }
    if cfg.exploitation_concern && exploitation_concern {
        t.push(Trigger::ExploitationConcern);
    }
    t
}

/// Whether an instant falls outside office hours: office hours are 09:00 to
/// 17:00 (London) on an England and Wales working day. Source: local EDT
/// arrangements — the emergency duty team usually covers 17:00–09:00,
/// weekends and bank holidays (domain reference §1, "EDT handover").
pub fn is_out_of_hours(at: DateTime<Utc>, cal: &crate::calendar::WorkingCalendar) -> bool {
    use chrono::Timelike;
    let local = crate::calendar::to_london(at);
    !cal.is_working_day(local.date()) || local.hour() < 9 || local.hour() >= 17
}

/// 10:00 (London) on the next working day: when the day team picks up work
/// that arrived out of hours (configurable in later releases).
pub fn next_working_day_10am(
    at: DateTime<Utc>,
    cal: &crate::calendar::WorkingCalendar,
) -> DateTime<Utc> {
    let day = cal.next_working_day(crate::calendar::london_date(at));
    crate::calendar::from_london(day.and_hms_opt(10, 0, 0).unwrap_or_default())
}

/// Who a planned task is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assignee {
    /// The child's allocated worker.
    Worker,
    /// The manager of the allocated team.
    Manager,
    /// The out-of-hours team's queue.
    OutOfHours,
}

/// A task to create when a child is reported missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedTask {
    /// For whom.
    pub to: Assignee,
    /// Machine name.
    pub kind: &'static str,
    /// What to do.
    pub title: String,
    /// Why.
    pub detail: String,
    /// Due.
    pub due_at: DateTime<Utc>,
}

/// The prompt action for a missing report: the allocated worker and the team
/// manager are told at once (due within 2 hours in office hours, or by 10:00
/// the next working day when reported out of hours, when the out-of-hours
/// team gets a task due within the hour instead); any trigger adds "consider
/// a strategy discussion" for the manager with a suggested referral to the
/// exploitation and missing panel (domain reference §2 and §4).
pub fn plan_report_tasks(
    e: &MissingEpisode,
    fired: &[Trigger],
    now: DateTime<Utc>,
    cal: &crate::calendar::WorkingCalendar,
) -> Vec<PlannedTask> {
    let ooh = is_out_of_hours(now, cal);
    let day_due = if ooh {
        next_working_day_10am(now, cal)
    } else {
        now + TimeDelta::hours(2)
    };
    let what = format!(
        "{} since {}, last seen at {}",
        e.kind.label(),
        crate::calendar::format_london(e.last_seen_at),
        e.location_left
    );
    let mut v = vec![
        PlannedTask {
            to: Assignee::Worker,
            kind: "missing.respond",
            title: "Respond to a missing report".into(),
            detail: what.clone(),
            due_at: day_due,
        },
        PlannedTask {
            to: Assignee::Manager,
            kind: "missing.oversee",
            title: "Oversee the response to a missing report".into(),
            detail: what.clone(),
            due_at: day_due,
        },
    ];
    if ooh {
        v.push(PlannedTask {
            to: Assignee::OutOfHours,
            kind: "missing.respond_ooh",
            title: "Respond to a missing report out of hours".into(),
            detail: what,
            due_at: now + TimeDelta::hours(1),
        });
    }
    if !fired.is_empty() {
        let why: Vec<String> = fired.iter().map(Trigger::describe).collect();
        v.push(PlannedTask {
            to: Assignee::Manager,
            kind: "missing.strategy",
            title: "Consider a strategy discussion and a referral to the exploitation and missing panel".into(),
            detail: format!("Because {}.", why.join("; ")),
            due_at: cal.add_working_days(crate::calendar::london_date(now), 1).and_hms_opt(17, 0, 0).map(crate::calendar::from_london).unwrap_or(now + TimeDelta::days(1)),
        });
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn ep(start: &str, end: Option<&str>) -> MissingEpisode {
        MissingEpisode {
            id: uuid::Uuid::now_v7(),
            child_id: ChildId(uuid::Uuid::nil()),
            kind: MissingKind::Missing,
            from: MissingFrom::Placement,
            last_seen_at: t(start),
            location_left: "Home".into(),
            reported_at: None,
            police_ref: None,
            grade: None,
            circumstances: String::new(),
            returned_at: end.map(t),
            found_where: None,
            found_by: None,
            recorded_by: UserId(uuid::Uuid::nil()),
            recorded_at: t("2026-11-26T10:00:00Z"),
        }
    }

    #[test]
    fn office_hours_and_task_routing() {
        let cal = crate::calendar::WorkingCalendar::england_and_wales();
        // Thursday 26 November 2026, 14:00 GMT: office hours.
        assert!(!is_out_of_hours(t("2026-11-26T14:00:00Z"), &cal));
        assert!(is_out_of_hours(t("2026-11-26T17:30:00Z"), &cal));
        assert!(is_out_of_hours(t("2026-11-28T11:00:00Z"), &cal), "Saturday");
        assert!(
            is_out_of_hours(t("2026-12-25T11:00:00Z"), &cal),
            "Christmas Day"
        );
        // Friday 18 December 2026, 22:00: the day team picks up at 10:00 on Monday 21st.
        assert_eq!(
            next_working_day_10am(t("2026-12-18T22:00:00Z"), &cal),
            t("2026-12-21T10:00:00Z")
        );
        let e = ep("2026-11-26T16:00:00Z", None);
        let day = plan_report_tasks(&e, &[], t("2026-11-26T14:00:00Z"), &cal);
        assert_eq!(
            day.iter().map(|p| p.to).collect::<Vec<_>>(),
            vec![Assignee::Worker, Assignee::Manager]
        );
        assert_eq!(day[0].due_at, t("2026-11-26T16:00:00Z"));
        let night = plan_report_tasks(&e, &[Trigger::HighRisk], t("2026-11-26T23:00:00Z"), &cal);
        assert_eq!(
            night.iter().map(|p| p.to).collect::<Vec<_>>(),
            vec![
                Assignee::Worker,
                Assignee::Manager,
                Assignee::OutOfHours,
                Assignee::Manager
            ]
        );
        assert_eq!(night[0].due_at, t("2026-11-27T10:00:00Z"));
        assert_eq!(night[2].due_at, t("2026-11-27T00:00:00Z"));
        assert!(night[3].detail.contains("police graded the risk as high"));
    }

    #[test]
    fn rhi_records() {
        let due = t("2026-11-29T08:00:00Z");
        let now = t("2026-11-30T12:00:00Z");
        let ok = RhiRecord {
            outcome: Some(RhiOutcome::Completed),
            offered_at: Some(t("2026-11-26T10:00:00Z")),
            offered_by: "Sam, return interview worker".into(),
            held_at: Some(t("2026-11-27T16:00:00Z")),
            push_pull: "Older friends".into(),
            ..Default::default()
        };
        assert!(check_rhi_record(&ok, due, now).is_empty());
        let late = RhiRecord {
            held_at: Some(t("2026-11-30T10:00:00Z")),
            ..ok.clone()
        };
        assert_eq!(check_rhi_record(&late, due, now)[0].field, "late_reason");
        let late_ok = RhiRecord {
            late_reason: "Child in hospital".into(),
            ..late
        };
        assert!(check_rhi_record(&late_ok, due, now).is_empty());
        let declined = RhiRecord {
            outcome: Some(RhiOutcome::Declined),
            offered_at: Some(t("2026-11-26T10:00:00Z")),
            offered_by: "Sam".into(),
            ..Default::default()
        };
        let fields: Vec<&str> = check_rhi_record(&declined, due, now)
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["reason", "declined_told"]);
        let declined_ok = RhiRecord {
            reason: "Did not want to talk".into(),
            declined_told: "Social worker and carer".into(),
            ..declined.clone()
        };
        assert!(check_rhi_record(&declined_ok, due, now).is_empty());
        let no_offerer = RhiRecord {
            offered_by: " ".into(),
            ..declined_ok
        };
        assert_eq!(
            check_rhi_record(&no_offerer, due, now)[0].field,
            "offered_by"
        );
        assert_eq!(
            check_rhi_record(&RhiRecord::default(), due, now)[0].field,
            "outcome"
        );
        let empty_account = RhiRecord {
            push_pull: String::new(),
            ..ok
        };
        assert_eq!(
            check_rhi_record(&empty_account, due, now)[0].field,
            "push_pull"
        );
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(63, 100), Some(63));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(0, 4), Some(0));
    }

    #[test]
    fn seventy_two_hours() {
        assert_eq!(
            rhi_due(t("2026-11-26T23:30:00Z")),
            t("2026-11-29T23:30:00Z")
        );
    }

    #[test]
    fn entry_checks() {
        let dob: NaiveDate = "2012-05-01".parse().unwrap();
        let now = t("2026-11-26T12:00:00Z");
        let others = [
            ep("2026-11-01T20:00:00Z", Some("2026-11-02T09:00:00Z")),
            ep("2026-11-20T20:00:00Z", None),
        ];
        let cases: [(MissingEpisode, Option<&str>); 7] = [
            (
                ep("2026-11-10T20:00:00Z", Some("2026-11-11T01:00:00Z")),
                None,
            ),
            // Touching the end of an earlier episode is allowed (SSDA903 574).
            (
                ep("2026-11-02T09:00:00Z", Some("2026-11-02T12:00:00Z")),
                None,
            ),
            (
                ep("2026-11-01T22:00:00Z", Some("2026-11-03T01:00:00Z")),
                Some("overlaps another"),
            ),
            (
                ep("2026-11-21T20:00:00Z", None),
                Some("already has an open missing episode"),
            ),
            (
                ep("2026-11-10T20:00:00Z", Some("2026-11-10T19:00:00Z")),
                Some("must be after they were last seen"),
            ),
            (
                ep("2026-11-27T20:00:00Z", None),
                Some("must be in the past"),
            ),
            (
                ep("2012-05-01T08:00:00Z", Some("2012-05-01T09:00:00Z")),
                Some("after their date of birth"),
            ),
        ];
        for (e, want) in cases {
            let got = check_episode(&e, dob, &others, now);
            match want {
                None => assert!(got.is_empty(), "{got:?}"),
                Some(w) => assert!(got.iter().any(|p| p.message.contains(w)), "{w}: {got:?}"),
            }
        }
    }

    #[test]
    fn flags_on_open_episodes() {
        let dob: NaiveDate = "2008-11-20".parse().unwrap();
        let today: NaiveDate = "2026-11-26".parse().unwrap();
        let open = ep("2026-11-15T20:00:00Z", None);
        let f = open_episode_flags(&open, dob, None, today);
        assert_eq!(f.len(), 1);
        assert!(f[0].contains("turned 18 on 20 November 2026") && f[0].contains("E8"));
        let f = open_episode_flags(
            &open,
            "2010-01-01".parse().unwrap(),
            Some("2026-11-20".parse().unwrap()),
            today,
        );
        assert!(f[0].contains("care episode ended on 20 November 2026"));
        assert!(
            open_episode_flags(
                &ep("2026-11-15T20:00:00Z", Some("2026-11-16T08:00:00Z")),
                dob,
                None,
                today
            )
            .is_empty()
        );
    }

    #[test]
    fn ssda903_checks_at_entry() {
        let dob: NaiveDate = "2010-06-01".parse().unwrap();
        let today: NaiveDate = "2026-11-26".parse().unwrap();
        let care = [CarePeriod {
            start: "2026-05-01".parse().unwrap(),
            end: None,
            place: "U4".into(),
            provider: "PR1".into(),
        }];
        let inside = ep("2026-11-01T20:00:00Z", Some("2026-11-02T08:00:00Z"));
        assert!(
            ssda903_warnings("C1", "F", dob, std::slice::from_ref(&inside), &care, today)
                .is_empty()
        );
        // Before the period of care began: rules 577/578/581 speak.
        let before = ep("2026-04-20T20:00:00Z", Some("2026-04-21T08:00:00Z"));
        let w = ssda903_warnings("C1", "F", dob, std::slice::from_ref(&before), &care, today);
        assert!(
            !w.is_empty() && w.iter().all(|(id, _)| *id == before.id),
            "{w:?}"
        );
        assert!(w.iter().any(|(_, m)| m.contains("SSDA903 rule")));
        // Not looked after: no return, no checks.
        assert!(ssda903_warnings("C1", "F", dob, &[before], &[], today).is_empty());
    }

    #[test]
    fn eighteenth_birthday_while_missing() {
        let dob: NaiveDate = "2008-12-01".parse().unwrap();
        assert_eq!(
            turned_18_while_missing(&ep("2026-11-30T20:00:00Z", None), dob),
            "2026-12-01".parse().ok()
        );
        assert_eq!(
            turned_18_while_missing(
                &ep("2026-11-30T20:00:00Z", Some("2026-11-30T23:00:00Z")),
                dob
            ),
            None
        );
        assert_eq!(
            turned_18_while_missing(&ep("2026-12-02T20:00:00Z", None), dob),
            None
        );
    }

    #[test]
    fn trigger_table() {
        let cfg = TriggerConfig::default();
        let history = vec![
            ep("2026-10-01T20:00:00Z", Some("2026-10-02T08:00:00Z")),
            ep("2026-11-05T20:00:00Z", Some("2026-11-06T08:00:00Z")),
            ep("2026-11-20T20:00:00Z", None),
        ];
        let this = history[2].clone();
        // Two in the last 30 days, age 15, no grade: nothing.
        assert!(triggers(&cfg, &this, &history, 15, false).is_empty());
        let mut more = history.clone();
        more.push(ep("2026-11-10T20:00:00Z", Some("2026-11-11T08:00:00Z")));
        assert_eq!(
            triggers(&cfg, &this, &more, 15, false),
            vec![Trigger::RepeatMissing {
                episodes: 3,
                days: 30
            }]
        );
        assert_eq!(
            triggers(&cfg, &this, &history, 13, false),
            vec![Trigger::YoungChild { age: 13 }]
        );
        let mut high = this.clone();
        high.grade = Some(PoliceGrade::High);
        assert_eq!(
            triggers(&cfg, &high, &history, 16, true),
            vec![Trigger::HighRisk, Trigger::ExploitationConcern]
        );
        let off = TriggerConfig {
            high_grade: false,
            exploitation_concern: false,
            ..cfg
        };
        assert!(triggers(&off, &high, &history, 16, true).is_empty());
    }
}
