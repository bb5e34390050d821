//! Supervision, recorded once, and management oversight.
//!
//! A supervision session is held by a supervisor with one supervisee, or
//! with a group of two or more (each discussion then names the attendee
//! whose child it is; group sessions supplement one-to-one supervision and
//! do not reset the due date: [`counts_towards_frequency`]). Inside it, a *case discussion* per child records the analysis,
//! decisions and actions (each with an owner and a due date); recorded once,
//! it is filed on the worker's supervision file and in each child's
//! chronology. At the next session every action still open must be reviewed
//! (done, not done or carried forward, with its impact for the child) before
//! the new record can be signed off: the manager's evaluation that Ofsted
//! found missing at Stoke (2018: actions "not recorded within a prescribed
//! timeframe" nor reviewed).
//!
//! The supervisee is any user, so the same model serves social workers'
//! case supervision, the ASYE and the supervision of designated teachers in
//! schools ([`SupervisionKind::DesignatedTeacher`]).
//!
//! Rules here are pure: frequencies ([`next_due`]), the recording deadline
//! ([`recording_due`]) and the sign-off checks ([`check_session`]).

use crate::calendar::{self, WorkingCalendar};
use crate::ids::{ChildId, UserId};
use chrono::{DateTime, Months, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// Local settings for supervision (`[supervision]` in the configuration file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupervisionConfig {
    /// ASYE: weekly supervision for this many weeks from the start of the year.
    pub asye_weekly_weeks: u32,
    /// ASYE: then fortnightly until this many months from the start.
    pub asye_fortnightly_months: u32,
    /// Everyone else, and ASYE workers after that: every this many months.
    pub interval_months: u32,
    /// The record must be written up within this many working days of the session.
    pub recording_working_days: u32,
    /// An action's due date may be at most this many days after the session.
    pub max_action_days: i64,
    /// Children with no management decision, oversight entry or case
    /// discussion for this many days are listed for the team manager.
    pub oversight_days: i64,
    /// The shortest plausible session, in minutes.
    pub min_minutes: u32,
    /// The longest plausible session, in minutes.
    pub max_minutes: u32,
    /// ASYE sessions shorter than this are flagged (LGA standard 5: 1.5 hours or more).
    pub asye_min_minutes: u32,
}

impl Default for SupervisionConfig {
    fn default() -> Self {
        Self {
            asye_weekly_weeks: 6,
            asye_fortnightly_months: 6,
            interval_months: 1,
            recording_working_days: 5,
            max_action_days: 92,
            oversight_days: 30,
            min_minutes: 15,
            max_minutes: 240,
            asye_min_minutes: 90,
        }
    }
}

/// What kind of supervision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupervisionKind {
    /// Monthly case supervision of a social worker.
    Case,
    /// Supervision in the Assessed and Supported Year in Employment.
    Asye,
    /// Supervision of a designated teacher (schools).
    DesignatedTeacher,
}

impl SupervisionKind {
    /// Every kind.
    pub const ALL: [SupervisionKind; 3] = [Self::Case, Self::Asye, Self::DesignatedTeacher];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Case => "case",
            Self::Asye => "asye",
            Self::DesignatedTeacher => "designated_teacher",
        }
    }
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Case => "Case supervision",
            Self::Asye => "ASYE supervision",
            Self::DesignatedTeacher => "Designated teacher supervision",
        }
    }
    /// From the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One-to-one or group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionFormat {
    /// One supervisor, one supervisee.
    OneToOne,
    /// Group supervision.
    Group,
}

impl SessionFormat {
    /// Every format.
    pub const ALL: [SessionFormat; 2] = [Self::OneToOne, Self::Group];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OneToOne => "one_to_one",
            Self::Group => "group",
        }
    }
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::OneToOne => "One-to-one",
            Self::Group => "Group",
        }
    }
    /// From the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Being written (by the supervisor or, for them, a pod administrator).
    Draft,
    /// Signed off by the supervisor: filed on the worker's and the children's records.
    SignedOff,
}

impl SessionStatus {
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::SignedOff => "signed_off",
        }
    }
    /// From the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "signed_off" => Some(Self::SignedOff),
            _ => None,
        }
    }
}

/// Where an action is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// Not yet reviewed.
    Open,
    /// Reviewed: done.
    Done,
    /// Reviewed: not done.
    NotDone,
    /// Reviewed: carried forward (a new action continues it).
    CarriedForward,
}

impl ActionStatus {
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done => "done",
            Self::NotDone => "not_done",
            Self::CarriedForward => "carried_forward",
        }
    }
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::Done => "Done",
            Self::NotDone => "Not done",
            Self::CarriedForward => "Carried forward",
        }
    }
    /// From the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Done, Self::NotDone, Self::CarriedForward]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
    /// The outcomes a review can give.
    pub const REVIEW_OUTCOMES: [ActionStatus; 3] =
        [Self::Done, Self::NotDone, Self::CarriedForward];
}

/// An action agreed in supervision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SupervisionAction {
    /// Identifier.
    pub id: uuid::Uuid,
    /// The session that agreed it.
    pub session_id: uuid::Uuid,
    /// The child it is for (None: about the worker's practice).
    pub child_id: Option<ChildId>,
    /// What is to be done.
    pub text: String,
    /// Who is to do it.
    pub owner_id: UserId,
    /// By when.
    pub due: NaiveDate,
    /// Where it is.
    pub status: ActionStatus,
}

/// A case discussion about one child in a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaseDiscussion {
    /// Identifier.
    pub id: uuid::Uuid,
    /// The session.
    pub session_id: uuid::Uuid,
    /// The child.
    pub child_id: ChildId,
    /// Analysis: what is happening for the child, risks, what is working.
    pub analysis: String,
    /// Decisions made.
    pub decisions: String,
}

/// A review, at a later session, of an action agreed earlier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionReview {
    /// The action reviewed.
    pub action_id: uuid::Uuid,
    /// Done, not done or carried forward.
    pub outcome: ActionStatus,
    /// The impact for the child (the manager's evaluation).
    pub impact: String,
}

/// A supervision session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Session {
    /// Identifier.
    pub id: uuid::Uuid,
    /// The person supervised (a social worker, or a designated teacher).
    pub supervisee_id: UserId,
    /// The supervisor (who signs it off).
    pub supervisor_id: UserId,
    /// Kind.
    pub kind: SupervisionKind,
    /// One-to-one or group.
    pub format: SessionFormat,
    /// When it was held.
    pub held_at: DateTime<Utc>,
    /// How long, in minutes.
    pub duration_minutes: u32,
    /// Notes about the worker (wellbeing, development, workload): private to
    /// the supervisee and their managers, never filed on a child's record.
    pub worker_notes: String,
    /// Draft or signed off.
    pub status: SessionStatus,
    /// Who wrote the record (the supervisor, or a pod administrator for them).
    pub drafted_by: UserId,
    /// When the draft was last saved.
    pub drafted_at: DateTime<Utc>,
    /// Who signed it off.
    pub signed_off_by: Option<UserId>,
    /// When.
    pub signed_off_at: Option<DateTime<Utc>>,
    /// The recording deadline ([`recording_due`]).
    pub recording_due: NaiveDate,
}

/// When the next supervision is due, given the last one held.
///
/// - ASYE (LGA *Standards for employers of social workers*, 2014, standard 5;
///   Skills for Care ASYE guidance): **weekly** for the first 6 weeks,
///   **fortnightly** until 6 months, then **monthly**; the interval is the
///   one that applies on the day of the last session, counted from the ASYE
///   start.
/// - Case supervision and designated teachers: **monthly** (local policy;
///   domain reference §1).
///
/// Every figure comes from `cfg`. With no session on record, an ASYE
/// worker's first is due a week after the start; anyone else's is due now
/// (`None`).
pub fn next_due(
    kind: SupervisionKind,
    asye_start: Option<NaiveDate>,
    last_session: Option<NaiveDate>,
    cfg: &SupervisionConfig,
) -> Option<NaiveDate> {
    let monthly = |d: NaiveDate| d.checked_add_months(Months::new(cfg.interval_months.max(1)));
    match (kind, asye_start) {
        (SupervisionKind::Asye, Some(start)) => {
            let Some(last) = last_session else {
                return Some(start + TimeDelta::days(7));
            };
            let weekly_until = start + TimeDelta::weeks(i64::from(cfg.asye_weekly_weeks));
            let fortnightly_until =
                start.checked_add_months(Months::new(cfg.asye_fortnightly_months))?;
            if last < weekly_until {
                Some(last + TimeDelta::days(7))
            } else if last < fortnightly_until {
                Some(last + TimeDelta::days(14))
            } else {
                monthly(last)
            }
        }
        _ => last_session.and_then(monthly),
    }
}

/// Whether a session counts towards a supervisee's frequency due date
/// ([`next_due`]).
///
/// Group supervision **supplements but does not replace** one-to-one
/// supervision: the domain reference's supervision section asks for "a
/// supervision record per worker" with actions reviewed at the worker's
/// next session, LGA *Standards for employers of social workers* (2014)
/// standard 5 asks for regular (1.5 hours or more) supervision with
/// frequency monitored, and Ofsted's criticism at Stoke (2019) was of "no
/// one-to-one supervision". So only a one-to-one session resets the
/// worker's due date; a group case discussion is recorded on every
/// attendee's file and each child's chronology, and is shown beside the
/// due date, but a worker who has only had group sessions is still due
/// (or overdue) their one-to-one.
pub fn counts_towards_frequency(format: SessionFormat) -> bool {
    match format {
        SessionFormat::OneToOne => true,
        SessionFormat::Group => false,
    }
}

/// The last session that sets a supervisee's due date: the latest of
/// `sessions` (format and London day, signed off) that
/// [`counts_towards_frequency`].
pub fn last_for_frequency(sessions: &[(SessionFormat, NaiveDate)]) -> Option<NaiveDate> {
    sessions
        .iter()
        .filter(|(f, _)| counts_towards_frequency(*f))
        .map(|(_, d)| *d)
        .max()
}

/// The fewest supervisees in a group session (with one, it is a one-to-one).
pub const MIN_GROUP_ATTENDEES: usize = 2;

/// The kind of supervision a worker should have on `today`: ASYE during the
/// first twelve months from the ASYE start, case supervision otherwise.
pub fn kind_for(asye_start: Option<NaiveDate>, today: NaiveDate) -> SupervisionKind {
    match asye_start {
        Some(s)
            if s <= today
                && s.checked_add_months(Months::new(12))
                    .is_some_and(|e| today < e) =>
        {
            SupervisionKind::Asye
        }
        _ => SupervisionKind::Case,
    }
}

/// The recording deadline: `cfg.recording_working_days` England and Wales
/// working days after the (London) day of the session. Local policy, often
/// 5 working days (domain reference §1, "Case supervision"); Ofsted at
/// Stoke (2018) found actions "not recorded within a prescribed timeframe".
pub fn recording_due(session_at: DateTime<Utc>, cfg: &SupervisionConfig) -> NaiveDate {
    WorkingCalendar::england_and_wales().add_working_days(
        calendar::london_date(session_at),
        cfg.recording_working_days,
    )
}

/// An action as typed into a session record, before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionDraft {
    /// Where it is on the form (for the error link).
    pub field: String,
    /// What is to be done.
    pub text: String,
    /// Its owner.
    pub owner: Option<UserId>,
    /// Its due date.
    pub due: Option<NaiveDate>,
}

/// What [`check_session`] looks at.
#[derive(Clone, Debug)]
pub struct SessionCheckInput<'a> {
    /// Kind.
    pub kind: SupervisionKind,
    /// When held.
    pub held_at: DateTime<Utc>,
    /// Now.
    pub now: DateTime<Utc>,
    /// Duration in minutes.
    pub duration_minutes: u32,
    /// Actions still open from the supervisee's earlier signed-off sessions.
    pub open_actions: &'a [uuid::Uuid],
    /// Reviews given in this record.
    pub reviews: &'a [ActionReview],
    /// Actions agreed in this record.
    pub actions: &'a [ActionDraft],
    /// Whether the record is being signed off (a draft may be incomplete).
    pub signing_off: bool,
}

/// The outcome of [`check_session`]: errors stop the save; warnings are shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionCheck {
    /// (field, message) pairs.
    pub errors: Vec<(String, String)>,
    /// Things to draw attention to.
    pub warnings: Vec<String>,
}

/// Check a session record.
///
/// - Not in the future (five minutes' grace).
/// - Duration between `min_minutes` and `max_minutes`; an ASYE session under
///   `asye_min_minutes` is a warning (LGA employer standard 5: 1.5 hours or more).
/// - Every action has what, an owner and a due date, on or after the session
///   and at most `max_action_days` later (the "prescribed timeframe").
/// - On sign-off only: every action still open from earlier sessions has a
///   review with an outcome and its impact for the child (Ofsted, Stoke
///   2018: supervision actions not "reviewed and evaluated").
pub fn check_session(i: &SessionCheckInput, cfg: &SupervisionConfig) -> SessionCheck {
    let mut out = SessionCheck::default();
    let mut err = |f: &str, m: String| out.errors.push((f.to_string(), m));
    if i.held_at > i.now + TimeDelta::minutes(5) {
        err("day", "The date of the session must be in the past".into());
    }
    if i.duration_minutes < cfg.min_minutes || i.duration_minutes > cfg.max_minutes {
        err(
            "duration",
            format!(
                "Enter how long the session lasted, between {} and {} minutes",
                cfg.min_minutes, cfg.max_minutes
            ),
        );
    }
    let session_day = calendar::london_date(i.held_at);
    for a in i.actions {
        if a.text.trim().is_empty() {
            err(&format!("{}_action", a.field), "Enter the action".into());
        }
        if a.owner.is_none() {
            err(
                &format!("{}_owner", a.field),
                "Select who will do the action".into(),
            );
        }
        match a.due {
            None => err(
                &format!("{}_due", a.field),
                "Enter the date the action is due, for example 27/3/2026".into(),
            ),
            Some(d) if d < session_day => err(
                &format!("{}_due", a.field),
                "The action's due date must be on or after the session".into(),
            ),
            Some(d) if d > session_day + TimeDelta::days(cfg.max_action_days) => err(
                &format!("{}_due", a.field),
                format!(
                    "The action must be due within {} days of the session",
                    cfg.max_action_days
                ),
            ),
            Some(_) => {}
        }
    }
    if i.signing_off {
        for (n, id) in i.open_actions.iter().enumerate() {
            let field = format!("r{n}_outcome");
            match i.reviews.iter().find(|r| r.action_id == *id) {
                None => err(
                    &field,
                    "Review this action from an earlier session: done, not done or carried forward"
                        .into(),
                ),
                Some(r) if r.outcome == ActionStatus::Open => err(
                    &field,
                    "Review this action from an earlier session: done, not done or carried forward"
                        .into(),
                ),
                Some(r) if r.impact.trim().is_empty() => err(
                    &format!("r{n}_impact"),
                    "Say what difference this made for the child".into(),
                ),
                Some(_) => {}
            }
        }
    }
    if i.kind == SupervisionKind::Asye
        && i.duration_minutes < cfg.asye_min_minutes
        && i.duration_minutes >= cfg.min_minutes
    {
        out.warnings.push(format!(
            "ASYE supervision should last at least {} minutes (LGA employer standard 5).",
            cfg.asye_min_minutes
        ));
    }
    out
}

/// Where a worker's supervision stands on `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    /// Not due yet.
    NotDue,
    /// Due within the next 7 days, or today.
    DueSoon,
    /// Past its due date (or none on record).
    Overdue,
}

/// Where supervision due on `due` stands on `today` (`None`: none on record, so overdue).
pub fn due_state(due: Option<NaiveDate>, today: NaiveDate) -> DueState {
    match due {
        None => DueState::Overdue,
        Some(d) if d < today => DueState::Overdue,
        Some(d) if d <= today + TimeDelta::days(7) => DueState::DueSoon,
        Some(_) => DueState::NotDue,
    }
}

/// Whether a child has gone without management oversight: the latest of the
/// child's management decisions, confirmed oversight entries and signed-off
/// case discussions is more than `cfg.oversight_days` before `now` (or there
/// is none). Ofsted at Stoke (2024): "inconsistent management oversight";
/// inspectors want oversight "regular, reflective and recorded".
pub fn lacks_oversight(
    last: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    cfg: &SupervisionConfig,
) -> bool {
    last.is_none_or(|l| now - l > TimeDelta::days(cfg.oversight_days))
}

/// A management oversight entry or a decision from the fast decision log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OversightEntry {
    /// Identifier.
    pub id: uuid::Uuid,
    /// The child.
    pub child_id: ChildId,
    /// Oversight or decision.
    pub kind: OversightKind,
    /// The oversight, or the decision.
    pub text: String,
    /// Why.
    pub rationale: String,
    /// The manager whose oversight or decision it is.
    pub manager_id: UserId,
    /// Their name.
    pub manager_name: String,
    /// Who recorded it (the manager, or a pod administrator for them).
    pub recorded_by: UserId,
    /// Their name.
    pub recorded_by_name: String,
    /// When it was given.
    pub at: DateTime<Utc>,
    /// When recorded.
    pub recorded_at: DateTime<Utc>,
    /// When the manager confirmed it (at once when they recorded it themselves).
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// Management oversight or a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OversightKind {
    /// A management oversight entry (direction, reflection, scrutiny of the plan).
    Oversight,
    /// A management decision.
    Decision,
}

impl OversightKind {
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oversight => "oversight",
            Self::Decision => "decision",
        }
    }
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Oversight => "Management oversight",
            Self::Decision => "Management decision",
        }
    }
    /// From the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "oversight" => Some(Self::Oversight),
            "decision" => Some(Self::Decision),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// ASYE frequency (LGA employer standards 2014, std 5) and monthly case
    /// supervision, from an ASYE start of Monday 5 January 2026.
    #[test]
    fn next_due_table() {
        use SupervisionKind::*;
        let cfg = SupervisionConfig::default();
        let start = Some(d("2026-01-05"));
        #[rustfmt::skip]
        type Row<'a> = (SupervisionKind, Option<NaiveDate>, Option<&'a str>, Option<&'a str>, &'a str);
        let table: &[Row] = &[
            // kind, asye start, last session, expected next, why
            (
                Asye,
                start,
                None,
                Some("2026-01-12"),
                "first session a week after the start",
            ),
            (
                Asye,
                start,
                Some("2026-01-05"),
                Some("2026-01-12"),
                "week 1: weekly",
            ),
            (
                Asye,
                start,
                Some("2026-02-13"),
                Some("2026-02-20"),
                "day 39, still in the first 6 weeks: weekly",
            ),
            (
                Asye,
                start,
                Some("2026-02-16"),
                Some("2026-03-02"),
                "day 42, 6 weeks reached: fortnightly",
            ),
            (
                Asye,
                start,
                Some("2026-07-04"),
                Some("2026-07-18"),
                "the day before 6 months: fortnightly",
            ),
            (
                Asye,
                start,
                Some("2026-07-05"),
                Some("2026-08-05"),
                "6 months reached: monthly",
            ),
            (
                Case,
                None,
                Some("2026-01-31"),
                Some("2026-02-28"),
                "monthly, end of month clamps",
            ),
            (
                Case,
                None,
                Some("2026-03-10"),
                Some("2026-04-10"),
                "monthly",
            ),
            (Case, None, None, None, "none on record: due now"),
            (
                Asye,
                None,
                Some("2026-03-10"),
                Some("2026-04-10"),
                "ASYE without a start date: monthly",
            ),
            (
                DesignatedTeacher,
                None,
                Some("2026-03-10"),
                Some("2026-04-10"),
                "designated teachers: monthly",
            ),
        ];
        for (kind, asye, last, want, why) in table {
            assert_eq!(
                next_due(*kind, *asye, last.map(d), &cfg),
                want.map(d),
                "{why}"
            );
        }
    }

    #[test]
    fn frequencies_are_configurable() {
        let cfg = SupervisionConfig {
            asye_weekly_weeks: 4,
            asye_fortnightly_months: 3,
            interval_months: 2,
            ..Default::default()
        };
        let start = Some(d("2026-01-05"));
        let k = SupervisionKind::Asye;
        assert_eq!(
            next_due(k, start, Some(d("2026-01-30")), &cfg),
            Some(d("2026-02-06"))
        );
        assert_eq!(
            next_due(k, start, Some(d("2026-02-02")), &cfg),
            Some(d("2026-02-16"))
        );
        assert_eq!(
            next_due(k, start, Some(d("2026-04-06")), &cfg),
            Some(d("2026-06-06"))
        );
        assert_eq!(
            next_due(SupervisionKind::Case, None, Some(d("2026-01-10")), &cfg),
            Some(d("2026-03-10"))
        );
    }

    /// Group supervision supplements one-to-one supervision: only
    /// one-to-one sessions set the due date (LGA employer standard 5;
    /// Ofsted at Stoke 2019, "no one-to-one supervision").
    #[test]
    fn group_sessions_do_not_reset_the_due_date() {
        use SessionFormat::*;
        assert!(counts_towards_frequency(OneToOne));
        assert!(!counts_towards_frequency(Group));
        type Row<'a> = (&'a [(SessionFormat, &'a str)], Option<&'a str>, &'a str);
        #[rustfmt::skip]
        let table: &[Row] = &[
            (&[], None, "nothing on record"),
            (&[(Group, "2026-03-20")], None, "only group sessions: still due a one-to-one"),
            (&[(OneToOne, "2026-03-02")], Some("2026-03-02"), "one one-to-one"),
            (&[(OneToOne, "2026-03-02"), (Group, "2026-03-20")], Some("2026-03-02"), "a later group session does not move it"),
            (&[(Group, "2026-02-20"), (OneToOne, "2026-03-02"), (OneToOne, "2026-02-02")], Some("2026-03-02"), "the latest one-to-one, in any order"),
        ];
        for (sessions, want, why) in table {
            let s: Vec<(SessionFormat, NaiveDate)> =
                sessions.iter().map(|(f, x)| (*f, d(x))).collect();
            assert_eq!(last_for_frequency(&s), want.map(d), "{why}");
        }
        let cfg = SupervisionConfig::default();
        let last = last_for_frequency(&[(OneToOne, d("2026-03-02")), (Group, d("2026-03-20"))]);
        assert_eq!(
            next_due(SupervisionKind::Case, None, last, &cfg),
            Some(d("2026-04-02")),
            "monthly from the one-to-one"
        );
    }

    #[test]
    fn kind_follows_the_asye_year() {
        let s = Some(d("2026-01-05"));
        #[rustfmt::skip]
        let table = [
            (s,    "2026-01-04", SupervisionKind::Case, "before the start"),
            (s,    "2026-01-05", SupervisionKind::Asye, "first day"),
            (s,    "2027-01-04", SupervisionKind::Asye, "last day of the year"),
            (s,    "2027-01-05", SupervisionKind::Case, "year over"),
            (None, "2026-06-01", SupervisionKind::Case, "not newly qualified"),
        ];
        for (start, today, want, why) in table {
            assert_eq!(kind_for(start, d(today)), want, "{why}");
        }
    }

    /// Recording deadline: 5 working days by default (local policy), England
    /// and Wales bank holidays skipped, London dates.
    #[test]
    fn recording_due_table() {
        let cfg = SupervisionConfig::default();
        #[rustfmt::skip]
        let table = [
            ("2026-03-02T10:00:00Z", "2026-03-09", "Monday: the next Monday"),
            ("2026-03-06T15:00:00Z", "2026-03-13", "Friday: the next Friday"),
            ("2026-03-30T10:00:00Z", "2026-04-08", "Good Friday and Easter Monday 2026 skipped"),
            ("2026-12-21T10:00:00Z", "2026-12-30", "Christmas Day and the Boxing Day substitute (28th) skipped"),
            ("2026-06-07T23:30:00Z", "2026-06-15", "00:30 on Monday in London is Monday"),
        ];
        for (at, want, why) in table {
            assert_eq!(recording_due(t(at), &cfg), d(want), "{why}");
        }
        let three = SupervisionConfig {
            recording_working_days: 3,
            ..Default::default()
        };
        assert_eq!(
            recording_due(t("2026-03-02T10:00:00Z"), &three),
            d("2026-03-05")
        );
    }

    fn action(due: Option<&str>, owner: bool, text: &str) -> ActionDraft {
        ActionDraft {
            field: "d0".into(),
            text: text.into(),
            owner: owner.then(|| UserId(uuid::Uuid::from_u128(5))),
            due: due.map(d),
        }
    }

    #[test]
    fn check_session_table() {
        let cfg = SupervisionConfig::default();
        let a1 = uuid::Uuid::from_u128(1);
        let a2 = uuid::Uuid::from_u128(2);
        let review = |id, outcome, impact: &str| ActionReview {
            action_id: id,
            outcome,
            impact: impact.into(),
        };
        let ok_reviews = [
            review(a1, ActionStatus::Done, "Visited; child safer"),
            review(a2, ActionStatus::CarriedForward, "Not yet; still needed"),
        ];
        let now = t("2026-03-10T12:00:00Z");
        struct Case<'a> {
            why: &'a str,
            held: &'a str,
            minutes: u32,
            reviews: &'a [ActionReview],
            actions: Vec<ActionDraft>,
            signing: bool,
            kind: SupervisionKind,
            errors: &'a [&'a str],
            warnings: usize,
        }
        let base = || Case {
            why: "",
            held: "2026-03-10T10:00:00Z",
            minutes: 60,
            reviews: &[],
            actions: vec![],
            signing: true,
            kind: SupervisionKind::Case,
            errors: &[],
            warnings: 0,
        };
        let cases = [
            Case {
                why: "all reviewed, good action",
                reviews: &ok_reviews,
                actions: vec![action(Some("2026-03-20"), true, "Visit")],
                ..base()
            },
            Case {
                why: "a draft need not review",
                signing: false,
                ..base()
            },
            Case {
                why: "sign-off needs every review",
                reviews: &ok_reviews[..1],
                errors: &["r1_outcome"],
                ..base()
            },
            Case {
                why: "a review needs its impact",
                reviews: &[review(a1, ActionStatus::Done, " "), ok_reviews[1].clone()],
                errors: &["r0_impact"],
                ..base()
            },
            Case {
                why: "future session",
                held: "2026-03-11T10:00:00Z",
                reviews: &ok_reviews,
                errors: &["day"],
                ..base()
            },
            Case {
                why: "too short",
                minutes: 5,
                reviews: &ok_reviews,
                errors: &["duration"],
                ..base()
            },
            Case {
                why: "too long",
                minutes: 600,
                reviews: &ok_reviews,
                errors: &["duration"],
                ..base()
            },
            Case {
                why: "action due before the session",
                reviews: &ok_reviews,
                actions: vec![action(Some("2026-03-09"), true, "x")],
                errors: &["d0_due"],
                ..base()
            },
            Case {
                why: "action due beyond the timeframe",
                reviews: &ok_reviews,
                actions: vec![action(Some("2026-07-01"), true, "x")],
                errors: &["d0_due"],
                ..base()
            },
            Case {
                why: "action with no owner, date or text",
                reviews: &ok_reviews,
                actions: vec![action(None, false, "")],
                errors: &["d0_action", "d0_owner", "d0_due"],
                ..base()
            },
            Case {
                why: "short ASYE session: warning only",
                kind: SupervisionKind::Asye,
                reviews: &ok_reviews,
                warnings: 1,
                ..base()
            },
            Case {
                why: "ASYE of 90 minutes",
                kind: SupervisionKind::Asye,
                minutes: 90,
                reviews: &ok_reviews,
                ..base()
            },
        ];
        for c in cases {
            let got = check_session(
                &SessionCheckInput {
                    kind: c.kind,
                    held_at: t(c.held),
                    now,
                    duration_minutes: c.minutes,
                    open_actions: &[a1, a2],
                    reviews: c.reviews,
                    actions: &c.actions,
                    signing_off: c.signing,
                },
                &cfg,
            );
            let fields: Vec<&str> = got.errors.iter().map(|(f, _)| f.as_str()).collect();
            assert_eq!(fields, c.errors, "{}", c.why);
            assert_eq!(got.warnings.len(), c.warnings, "{}", c.why);
        }
    }

    #[test]
    fn due_state_and_oversight_gaps() {
        let today = d("2026-03-10");
        assert_eq!(due_state(None, today), DueState::Overdue);
        assert_eq!(due_state(Some(d("2026-03-09")), today), DueState::Overdue);
        assert_eq!(due_state(Some(d("2026-03-10")), today), DueState::DueSoon);
        assert_eq!(due_state(Some(d("2026-03-17")), today), DueState::DueSoon);
        assert_eq!(due_state(Some(d("2026-03-18")), today), DueState::NotDue);
        let cfg = SupervisionConfig::default();
        let now = t("2026-03-31T12:00:00Z");
        assert!(lacks_oversight(None, now, &cfg));
        assert!(!lacks_oversight(Some(t("2026-03-01T12:00:00Z")), now, &cfg));
        assert!(lacks_oversight(Some(t("2026-03-01T11:59:00Z")), now, &cfg));
    }
}
