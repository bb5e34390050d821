//! Out of hours: the emergency duty team (EDT), its contact log, the day
//! teams' alerts to it, the next-working-day handover and placement
//! support. Pure types and rules; no IO and no clock.
//!
//! Sources (domain reference §1 "EDT handover" and §7): EDT handles what
//! "cannot safely wait until the next working day" (usually 17:00-09:00,
//! weekends and bank holidays); it checks the record first and records the
//! check; day teams send EDT alerts; EDT is "not a message service", so an
//! alert is specific ("if X happens tonight, do Y") and time-limited; every
//! out-of-hours contact is handed over to the day team on the next working
//! day. Stoke-on-Trent's inspection (Ofsted 2019) praised EDT working with
//! the placement support team for children in crisis.

use crate::calendar::{self, WorkingCalendar};
use crate::ids::{ChildId, TeamId, UserId};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Out-of-hours settings (`[edt]` in the configuration file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EdtConfig {
    /// Local (London) time on the next working day by which the day team
    /// must acknowledge a handover, "HH:MM".
    pub handover_due: String,
    /// Weeks of chronology on the crisis summary.
    pub chronology_weeks: u32,
    /// The longest an EDT alert may run, in days.
    pub max_alert_days: u32,
}

impl Default for EdtConfig {
    fn default() -> Self {
        Self {
            handover_due: "10:00".into(),
            chronology_weeks: 6,
            max_alert_days: 28,
        }
    }
}

impl EdtConfig {
    /// The handover time, if `handover_due` is a valid "HH:MM".
    pub fn due_time(&self) -> Option<NaiveTime> {
        NaiveTime::parse_from_str(self.handover_due.trim(), "%H:%M").ok()
    }
    /// What is wrong with the settings, for the configuration loader.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if self.due_time().is_none() {
            p.push(format!(
                "edt.handover_due must be a time such as \"10:00\", not {:?}",
                self.handover_due
            ));
        }
        if !(1..=52).contains(&self.chronology_weeks) {
            p.push("edt.chronology_weeks must be between 1 and 52".into());
        }
        if !(1..=365).contains(&self.max_alert_days) {
            p.push("edt.max_alert_days must be between 1 and 365".into());
        }
        p
    }
}

/// When the day team must have acknowledged the handover of a contact
/// received at `received_at`: `due` (London time, 10:00 by default) on the
/// next working day. A contact received on a working day before office
/// hours begin (09:00) is handed over that same morning; anything later,
/// or on a weekend or bank holiday, goes to the next working day (England
/// and Wales bank holidays, including Christmas, Boxing Day, Good Friday
/// and Easter Monday and their substitute days). Source: domain reference
/// §1, "EDT handover: next WD (EDT usually 17:00-09:00, weekends, bank
/// holidays)".
pub fn handover_due(
    received_at: DateTime<Utc>,
    cal: &WorkingCalendar,
    due: NaiveTime,
) -> DateTime<Utc> {
    let local = calendar::to_london(received_at);
    let office_opens = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
    let day = if cal.is_working_day(local.date()) && local.time() < office_opens {
        local.date()
    } else {
        cal.next_working_day(local.date())
    };
    calendar::from_london(day.and_time(due))
}

/// Where a handover stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoverState {
    /// Not acknowledged, not yet due.
    Waiting,
    /// Not acknowledged and past due: escalated to the team manager.
    Escalated,
    /// Acknowledged by the due time.
    Acknowledged,
    /// Acknowledged after the due time.
    AcknowledgedLate,
}

impl HandoverState {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Waiting => "Waiting",
            Self::Escalated => "Overdue, escalated",
            Self::Acknowledged => "Acknowledged",
            Self::AcknowledgedLate => "Acknowledged late",
        }
    }
    /// GOV.UK tag colour class.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Waiting => "govuk-tag--blue",
            Self::Escalated => "govuk-tag--red",
            Self::Acknowledged => "govuk-tag--green",
            Self::AcknowledgedLate => "govuk-tag--yellow",
        }
    }
}

/// A handover's state at `now`: an item nobody acknowledged by its due
/// time escalates to the manager of the team it went to (or, for an
/// unallocated child, to the team managers' duty queue). Computed when
/// read, so it needs no background job and cannot be missed by one.
pub fn handover_state(
    due_at: DateTime<Utc>,
    acknowledged_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> HandoverState {
    match acknowledged_at {
        Some(a) if a <= due_at => HandoverState::Acknowledged,
        Some(_) => HandoverState::AcknowledgedLate,
        None if now > due_at => HandoverState::Escalated,
        None => HandoverState::Waiting,
    }
}

/// What an out-of-hours contact was about (the EDT's usual work, domain
/// reference §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// A child missing from home or care.
    Missing,
    /// A missing child found or returned.
    Found,
    /// A placement in crisis or breaking down.
    Placement,
    /// A child protection concern (possibly an emergency s.47).
    ChildProtection,
    /// Police protection or an emergency protection order.
    PoliceProtection,
    /// Appropriate adult for a child in custody.
    AppropriateAdult,
    /// Advice or information only.
    Advice,
}

impl ContactKind {
    /// Every kind, in form order.
    pub const ALL: [ContactKind; 7] = [
        Self::Missing,
        Self::Found,
        Self::Placement,
        Self::ChildProtection,
        Self::PoliceProtection,
        Self::AppropriateAdult,
        Self::Advice,
    ];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::Found => "found",
            Self::Placement => "placement",
            Self::ChildProtection => "child_protection",
            Self::PoliceProtection => "police_protection",
            Self::AppropriateAdult => "appropriate_adult",
            Self::Advice => "advice",
        }
    }
    /// From the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Missing => "Child missing",
            Self::Found => "Missing child found or returned",
            Self::Placement => "Placement in crisis or breaking down",
            Self::ChildProtection => "Child protection concern",
            Self::PoliceProtection => "Police protection or emergency protection order",
            Self::AppropriateAdult => "Appropriate adult",
            Self::Advice => "Advice or information",
        }
    }
}

/// A contact the out-of-hours team received about a child.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OohContact {
    /// Identifier.
    pub id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// When the call (or message) came in.
    pub received_at: DateTime<Utc>,
    /// Who called.
    pub caller: String,
    /// Their agency or relationship to the child.
    pub caller_agency: String,
    /// What it was about.
    pub kind: ContactKind,
    /// What was reported.
    pub reported: String,
    /// Other agencies involved (police, ambulance, hospital …).
    pub agencies: String,
    /// What EDT did.
    pub actions: String,
    /// How it ended.
    pub outcome: String,
    /// Whether the placement support team was involved.
    pub placement_support: bool,
    /// The missing episode started from this contact, if any.
    pub missing_episode_id: Option<Uuid>,
    /// Recorded by.
    pub recorded_by: UserId,
    /// Their name.
    pub recorded_by_name: String,
    /// Recorded at.
    pub recorded_at: DateTime<Utc>,
}

/// The child's current safety plan, one version per save.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SafetyPlan {
    /// The child.
    pub child_id: ChildId,
    /// 1, 2, …; the highest is current.
    pub version: i64,
    /// What keeps the child safe and what to do in a crisis.
    pub plan: String,
    /// Who agreed it (child, carers, agencies).
    pub agreed_with: String,
    /// Written by.
    pub recorded_by: UserId,
    /// Their name.
    pub recorded_by_name: String,
    /// Written at.
    pub recorded_at: DateTime<Utc>,
}

/// A day team's alert to EDT about one child.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EdtAlert {
    /// Identifier.
    pub id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// "If X happens …".
    pub if_happens: String,
    /// "… do Y".
    pub then_do: String,
    /// Stops showing after this.
    pub expires_at: DateTime<Utc>,
    /// Left by.
    pub created_by: UserId,
    /// Their name.
    pub created_by_name: String,
    /// Left at.
    pub created_at: DateTime<Utc>,
    /// Withdrawn early, if it was.
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl EdtAlert {
    /// Shown to EDT: not withdrawn and not expired.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.withdrawn_at.is_none() && now < self.expires_at
    }
}

/// A handover of one contact to the day team.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Handover {
    /// Identifier.
    pub id: Uuid,
    /// The contact handed over.
    pub contact_id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// The allocated team when the contact was recorded (None: the team
    /// managers' duty queue).
    pub team_id: Option<TeamId>,
    /// Acknowledge by.
    pub due_at: DateTime<Utc>,
    /// Acknowledged at.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// By whom.
    pub acknowledged_by_name: Option<String>,
    /// What the day team will do.
    pub note: Option<String>,
}

impl Handover {
    /// Its state at `now`.
    pub fn state(&self, now: DateTime<Utc>) -> HandoverState {
        handover_state(self.due_at, self.acknowledged_at, now)
    }
}

/// Placement support work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportKind {
    /// Crisis support given to the placement (a visit, a call, respite).
    Crisis,
    /// A concern that the placement may not hold.
    StabilityConcern,
}

impl SupportKind {
    /// Both, in form order.
    pub const ALL: [SupportKind; 2] = [Self::Crisis, Self::StabilityConcern];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Crisis => "crisis",
            Self::StabilityConcern => "stability_concern",
        }
    }
    /// From the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Crisis => "Crisis support given to the placement",
            Self::StabilityConcern => "Placement stability concern",
        }
    }
}

/// Crisis support given to a placement, or a concern about its stability.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlacementSupport {
    /// Identifier.
    pub id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// The placement (the child's open one when recorded).
    pub placement_id: Option<Uuid>,
    /// Which.
    pub kind: SupportKind,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// What happened and what was given.
    pub summary: String,
    /// Next steps agreed.
    pub next_steps: String,
    /// A related missing episode.
    pub missing_episode_id: Option<Uuid>,
    /// The out-of-hours contact it came from.
    pub contact_id: Option<Uuid>,
    /// Recorded by.
    pub recorded_by: UserId,
    /// Their name.
    pub recorded_by_name: String,
    /// Recorded at.
    pub recorded_at: DateTime<Utc>,
}

/// One problem with an entry: the form field and a message.
pub type Problem = (&'static str, String);

/// Checks on an event time typed into an out-of-hours form: not in the
/// future (five minutes' grace, as elsewhere) and not more than 30 days
/// back (out-of-hours work is recorded the same night or the next day;
/// older events belong in a case note).
pub fn check_event_time(
    field: &'static str,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Problem> {
    if at > now + Duration::minutes(5) {
        Some((field, "The time must be in the past".into()))
    } else if at < now - Duration::days(30) {
        Some((
            field,
            "Record events more than 30 days ago as a case note".into(),
        ))
    } else {
        None
    }
}

/// Checks on a new EDT alert: the expiry is in the future and no more than
/// `max_alert_days` ahead (an alert is for the nights ahead, not a
/// standing instruction: EDT is "not a message service", domain reference
/// §7), and both halves say something.
pub fn check_alert(
    if_happens: &str,
    then_do: &str,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    cfg: &EdtConfig,
) -> Vec<Problem> {
    let mut p = Vec::new();
    if if_happens.trim().is_empty() {
        p.push(("if_happens", "Enter what might happen".into()));
    }
    if then_do.trim().is_empty() {
        p.push(("then_do", "Enter what EDT should do if it does".into()));
    }
    for (f, v) in [("if_happens", if_happens), ("then_do", then_do)] {
        if v.trim().chars().count() > 2_000 {
            p.push((f, "Keep this to 2,000 characters or fewer".into()));
        }
    }
    match expires_at {
        None => {}
        Some(e) if e <= now => p.push(("day", "The alert must end in the future".into())),
        Some(e) if e > now + Duration::days(i64::from(cfg.max_alert_days)) => p.push((
            "day",
            format!(
                "An alert can run for at most {} days; leave a new one nearer the time",
                cfg.max_alert_days
            ),
        )),
        Some(_) => {}
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    fn london(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        calendar::from_london(
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(h, min, 0)
                .unwrap(),
        )
    }

    #[test]
    fn handover_is_due_at_ten_on_the_next_working_day() {
        let cal = WorkingCalendar::england_and_wales();
        let ten = NaiveTime::from_hms_opt(10, 0, 0).unwrap();
        // (received, London; due, London; why)
        #[rustfmt::skip]
        let cases = [
            ((2026, 11, 26, 18, 30), (2026, 11, 27, 10, 0), "Thursday evening: Friday"),
            ((2026, 11, 27, 3, 10), (2026, 11, 27, 10, 0), "Friday before office hours: same morning"),
            ((2026, 11, 27, 9, 0), (2026, 11, 30, 10, 0), "Friday 09:00, office open: Monday"),
            ((2026, 11, 27, 23, 0), (2026, 11, 30, 10, 0), "Friday night: Monday"),
            ((2026, 11, 28, 14, 0), (2026, 11, 30, 10, 0), "Saturday: Monday"),
            ((2026, 11, 29, 23, 59), (2026, 11, 30, 10, 0), "Sunday night: Monday"),
            ((2026, 12, 24, 20, 0), (2026, 12, 29, 10, 0), "Christmas Eve: past Christmas and the Boxing Day substitute"),
            ((2026, 12, 25, 2, 0), (2026, 12, 29, 10, 0), "Christmas Day (a bank holiday, not a working morning)"),
            ((2026, 12, 31, 22, 0), (2027, 1, 4, 10, 0), "New Year's Eve: past New Year's Day and the weekend"),
            ((2027, 3, 25, 18, 0), (2027, 3, 30, 10, 0), "Before Easter: past Good Friday and Easter Monday"),
            ((2027, 3, 29, 6, 0), (2027, 3, 30, 10, 0), "Easter Monday morning is not a working morning"),
            ((2027, 4, 30, 22, 0), (2027, 5, 4, 10, 0), "Early May bank holiday"),
            ((2027, 12, 24, 18, 0), (2027, 12, 29, 10, 0), "2027: Christmas and Boxing Day both on substitute days"),
            ((2026, 8, 28, 17, 30), (2026, 9, 1, 10, 0), "Summer bank holiday"),
        ];
        for ((y, m, d, h, mi), (dy, dm, dd, dh, dmi), why) in cases {
            assert_eq!(
                handover_due(london(y, m, d, h, mi), &cal, ten),
                london(dy, dm, dd, dh, dmi),
                "{why}"
            );
        }
    }

    #[test]
    fn handover_due_follows_summer_time_and_the_configured_hour() {
        let cal = WorkingCalendar::england_and_wales();
        // Easter 2027 falls just after the clocks go forward (28 March): 10:00
        // BST is 09:00 UTC.
        let due = handover_due(
            london(2027, 3, 25, 18, 0),
            &cal,
            NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        );
        assert_eq!(due, Utc.with_ymd_and_hms(2027, 3, 30, 9, 0, 0).unwrap());
        let cfg = EdtConfig {
            handover_due: "09:30".into(),
            ..Default::default()
        };
        let due = handover_due(london(2026, 11, 26, 18, 0), &cal, cfg.due_time().unwrap());
        assert_eq!(due, london(2026, 11, 27, 9, 30));
    }

    #[test]
    fn configuration_problems() {
        assert!(EdtConfig::default().problems().is_empty());
        for bad in ["25:00", "ten", ""] {
            let c = EdtConfig {
                handover_due: bad.into(),
                ..Default::default()
            };
            assert_eq!(c.problems().len(), 1, "{bad}");
        }
        let c = EdtConfig {
            chronology_weeks: 0,
            max_alert_days: 0,
            ..Default::default()
        };
        assert_eq!(c.problems().len(), 2);
    }

    #[test]
    fn handover_states() {
        let due = london(2026, 11, 27, 10, 0);
        let before = due - Duration::hours(1);
        let after = due + Duration::minutes(1);
        #[rustfmt::skip]
        let cases = [
            (None, before, HandoverState::Waiting),
            (None, due, HandoverState::Waiting),
            (None, after, HandoverState::Escalated),
            (Some(before), after, HandoverState::Acknowledged),
            (Some(due), after, HandoverState::Acknowledged),
            (Some(after), after, HandoverState::AcknowledgedLate),
        ];
        for (ack, now, want) in cases {
            assert_eq!(handover_state(due, ack, now), want, "{ack:?} at {now}");
        }
    }

    #[test]
    fn alerts_are_active_until_they_expire_or_are_withdrawn() {
        let now = london(2026, 11, 26, 20, 0);
        let mut a = EdtAlert {
            id: Uuid::nil(),
            child_id: ChildId(Uuid::nil()),
            if_happens: "x".into(),
            then_do: "y".into(),
            expires_at: now + Duration::hours(12),
            created_by: UserId(Uuid::nil()),
            created_by_name: String::new(),
            created_at: now - Duration::hours(3),
            withdrawn_at: None,
        };
        assert!(a.is_active(now));
        assert!(!a.is_active(a.expires_at), "ends at its expiry");
        a.withdrawn_at = Some(now - Duration::minutes(1));
        assert!(!a.is_active(now));
    }

    #[test]
    fn alert_checks() {
        let now = london(2026, 11, 26, 12, 0);
        let cfg = EdtConfig::default();
        let fields = |ih: &str, td: &str, e: Option<DateTime<Utc>>| -> Vec<&'static str> {
            check_alert(ih, td, e, now, &cfg)
                .into_iter()
                .map(|p| p.0)
                .collect()
        };
        assert!(
            fields(
                "goes missing",
                "call DS Patel",
                Some(now + Duration::days(2))
            )
            .is_empty()
        );
        assert_eq!(
            fields("", " ", Some(now + Duration::days(2))),
            ["if_happens", "then_do"]
        );
        assert_eq!(fields("a", "b", Some(now)), ["day"]);
        assert_eq!(fields("a", "b", Some(now + Duration::days(29))), ["day"]);
        assert!(fields("a", "b", Some(now + Duration::days(28))).is_empty());
        assert_eq!(fields(&"x".repeat(2_001), "b", None), ["if_happens"]);
    }

    #[test]
    fn event_time_checks() {
        let now = london(2026, 11, 26, 12, 0);
        assert!(check_event_time("day", now + Duration::minutes(4), now).is_none());
        assert!(check_event_time("day", now + Duration::minutes(6), now).is_some());
        assert!(check_event_time("day", now - Duration::days(30), now).is_none());
        assert!(check_event_time("day", now - Duration::days(31), now).is_some());
    }

    #[test]
    fn kinds_round_trip() {
        for k in ContactKind::ALL {
            assert_eq!(ContactKind::parse(k.as_str()), Some(k));
        }
        for k in SupportKind::ALL {
            assert_eq!(SupportKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ContactKind::parse("nope"), None);
    }
}
