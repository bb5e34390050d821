//! The multi-agency exploitation and missing panel (MACE) and strategy
//! discussions: referrals, meetings, the agenda, each child's discussion,
//! actions across agencies and review dates; and the information-sharing
//! log of disclosures and refusals.
//!
//! Sources: pan-London MACE guidance (2021) and local protocols (there is no
//! national model); Working Together to Safeguard Children 2023 for strategy
//! discussions; HM Government, *Information sharing: advice for
//! practitioners providing safeguarding services* (2024), golden rule 7:
//! record the decision and the reasons whether or not you share.

use crate::findings::LawfulBasis;
use crate::ids::{ChildId, OrgId, UserId};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal : $l:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),* }
        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$v),*];
            /// Machine name.
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s),* } }
            /// For people.
            pub fn label(self) -> &'static str { match self { $($name::$v => $l),* } }
            /// Parse a machine name.
            pub fn parse(s: &str) -> Option<Self> { Self::ALL.iter().copied().find(|x| x.as_str() == s) }
        }
    };
}

code_enum!(
    /// The kind of panel.
    PanelType {
        /// The multi-agency child exploitation and missing panel (MACE).
        Mace = "mace": "Exploitation and missing panel (MACE)",
        /// A strategy discussion (Working Together 2023).
        Strategy = "strategy": "Strategy discussion",
    }
);

code_enum!(
    /// A child's risk of exploitation as the panel assesses it.
    RiskLevel {
        /// Low or emerging.
        Low = "low": "Low",
        /// Medium.
        Medium = "medium": "Medium",
        /// High.
        High = "high": "High",
    }
);

code_enum!(
    /// What kind of disruption or support an action is.
    ActionKind {
        /// Child abduction warning notice (Child Abduction Act 1984 s.2; Children Act 1989 s.49).
        Cawn = "cawn": "Child abduction warning notice",
        /// National Referral Mechanism referral (the authority is a first responder).
        Nrm = "nrm": "National Referral Mechanism referral",
        /// Licensing, hotel or taxi work.
        Licensing = "licensing": "Licensing",
        /// A police operation or disruption visit.
        PoliceOperation = "police_operation": "Police operation",
        /// A school plan (transport, attendance, diversion).
        SchoolPlan = "school_plan": "School plan",
        /// Anything else.
        Other = "other": "Other",
    }
);

code_enum!(
    /// Where an action stands.
    ActionStatus {
        /// Not started.
        Open = "open": "Not started",
        /// Under way.
        InProgress = "in_progress": "In progress",
        /// Done.
        Done = "done": "Done",
    }
);

code_enum!(
    /// The outcome of a decision to share.
    DisclosureOutcome {
        /// Shared.
        Shared = "shared": "Shared",
        /// Shared in part.
        Partial = "partial": "Shared in part",
        /// Refused.
        Refused = "refused": "Not shared",
    }
);

/// Review cadence (`[panel]` in the configuration file). Weeks to the next
/// review by risk level; none may exceed `max_weeks`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PanelConfig {
    /// Weeks to the next review of a high-risk child.
    pub high_weeks: u32,
    /// Weeks for a medium-risk child.
    pub medium_weeks: u32,
    /// Weeks for a low-risk child.
    pub low_weeks: u32,
    /// The longest any child may wait for review.
    pub max_weeks: u32,
}

impl Default for PanelConfig {
    fn default() -> Self {
        Self {
            high_weeks: 4,
            medium_weeks: 6,
            low_weeks: 12,
            max_weeks: 12,
        }
    }
}

/// The next review date after a meeting on `held_on` that assessed risk as
/// `risk`: the configured weeks for that risk, never more than `max_weeks`
/// and never less than one week. Source: local MACE protocols review until
/// risk falls, at most quarterly (domain reference §1 and §4).
pub fn next_review(held_on: NaiveDate, risk: RiskLevel, cfg: &PanelConfig) -> NaiveDate {
    let weeks = match risk {
        RiskLevel::High => cfg.high_weeks,
        RiskLevel::Medium => cfg.medium_weeks,
        RiskLevel::Low => cfg.low_weeks,
    }
    .min(cfg.max_weeks)
    .max(1);
    held_on + TimeDelta::weeks(i64::from(weeks))
}

/// A referral of a child to a panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// Identifier.
    pub id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// The child's name (for lists).
    pub child_name: String,
    /// Which panel.
    pub panel_type: PanelType,
    /// Who referred.
    pub referred_by: UserId,
    /// Their name.
    pub referred_by_name: String,
    /// When.
    pub referred_at: DateTime<Utc>,
    /// Why: the concerns.
    pub reason: String,
    /// Risk at referral.
    pub risk: RiskLevel,
    /// The lawful basis for sharing the child's information with the panel.
    pub basis: LawfulBasis,
    /// The consent position (sought, given, refused, not sought and why).
    pub consent: String,
    /// The next review, once discussed.
    pub next_review: Option<NaiveDate>,
    /// When it was first discussed.
    pub first_discussed: Option<NaiveDate>,
    /// Closed, with the reason.
    pub closed_at: Option<DateTime<Utc>>,
    /// Why it closed.
    pub closure_reason: Option<String>,
}

/// Why a child is on an agenda.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AgendaReason {
    /// Referred and not yet discussed.
    NewReferral,
    /// A review due on or before the meeting.
    ReviewDue {
        /// When it fell due.
        due: NaiveDate,
    },
}

impl AgendaReason {
    /// For people.
    pub fn label(&self) -> String {
        match self {
            Self::NewReferral => "New referral".into(),
            Self::ReviewDue { due } => format!("Review due {}", due.format("%-d %B %Y")),
        }
    }
}

/// One child on an agenda.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AgendaItem {
    /// The referral.
    pub referral_id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// The child's name.
    pub child_name: String,
    /// Risk as last assessed.
    pub risk: RiskLevel,
    /// Why they are on it.
    pub reason: AgendaReason,
}

/// Build a meeting's agenda from the open referrals of its panel type: new
/// referrals (never discussed) first, oldest referral first; then reviews
/// due on or before the meeting date, earliest due first. Closed referrals
/// and reviews not yet due are left off. Source: MACE protocols (panel
/// discusses new referrals and children due for review; domain reference §4).
pub fn build_agenda(
    referrals: &[Referral],
    panel_type: PanelType,
    held_on: NaiveDate,
) -> Vec<AgendaItem> {
    let open = referrals
        .iter()
        .filter(|r| r.closed_at.is_none() && r.panel_type == panel_type);
    let item = |r: &Referral, reason| AgendaItem {
        referral_id: r.id,
        child_id: r.child_id,
        child_name: r.child_name.clone(),
        risk: r.risk,
        reason,
    };
    let mut new: Vec<&Referral> = open
        .clone()
        .filter(|r| r.first_discussed.is_none())
        .collect();
    new.sort_by_key(|r| (r.referred_at, r.id));
    let mut due: Vec<(NaiveDate, &Referral)> = open
        .filter(|r| r.first_discussed.is_some())
        .filter_map(|r| r.next_review.filter(|d| *d <= held_on).map(|d| (d, r)))
        .collect();
    due.sort_by_key(|(d, r)| (*d, r.referred_at, r.id));
    new.into_iter()
        .map(|r| item(r, AgendaReason::NewReferral))
        .chain(
            due.into_iter()
                .map(|(d, r)| item(r, AgendaReason::ReviewDue { due: d })),
        )
        .collect()
}

/// When a partner agency's access to a child's summary, granted because it
/// attended a panel that discussed the child, ends: at the next review, or
/// `max_weeks` after the meeting if none was set, and never before the day
/// after the meeting (information-sharing advice 2024: share only what is
/// necessary, for as long as it is needed).
pub fn attendance_grant_end(
    held_on: NaiveDate,
    next_review: Option<NaiveDate>,
    cfg: &PanelConfig,
) -> NaiveDate {
    let cap = held_on + TimeDelta::weeks(i64::from(cfg.max_weeks.max(1)));
    next_review
        .unwrap_or(cap)
        .min(cap)
        .max(held_on + TimeDelta::days(1))
}

/// A panel meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Identifier.
    pub id: Uuid,
    /// Which panel.
    pub panel_type: PanelType,
    /// The day.
    pub held_on: NaiveDate,
    /// Who chairs (name and agency).
    pub chair: String,
    /// Who set it up.
    pub created_by: UserId,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Someone at a meeting, by agency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    /// Identifier.
    pub id: Uuid,
    /// The meeting.
    pub meeting_id: Uuid,
    /// Their organisation, when it is a partner Harbour knows.
    pub org_id: Option<OrgId>,
    /// Their name.
    pub name: String,
    /// Their agency, as recorded.
    pub agency: String,
}

/// The panel's discussion of one child at one meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discussion {
    /// Identifier.
    pub id: Uuid,
    /// The meeting.
    pub meeting_id: Uuid,
    /// The meeting's day.
    pub held_on: NaiveDate,
    /// The panel.
    pub panel_type: PanelType,
    /// The referral.
    pub referral_id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// The child's name.
    pub child_name: String,
    /// What was discussed.
    pub discussion: String,
    /// Risk as assessed at this meeting.
    pub risk: RiskLevel,
    /// Decisions.
    pub decisions: String,
    /// The next review.
    pub next_review: NaiveDate,
    /// Who recorded it.
    pub recorded_by: UserId,
    /// When.
    pub recorded_at: DateTime<Utc>,
}

/// An action agreed at a panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelAction {
    /// Identifier.
    pub id: Uuid,
    /// The meeting that agreed it.
    pub meeting_id: Uuid,
    /// The referral.
    pub referral_id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// The child's name.
    pub child_name: String,
    /// What kind.
    pub kind: ActionKind,
    /// What to do.
    pub description: String,
    /// The agency that owns it.
    pub owner_org: Option<OrgId>,
    /// That agency's name.
    pub owner_org_name: Option<String>,
    /// The person who owns it.
    pub owner_user: Option<UserId>,
    /// Their name.
    pub owner_user_name: Option<String>,
    /// Due.
    pub due_on: NaiveDate,
    /// Where it stands.
    pub status: ActionStatus,
    /// Updates from the owner.
    pub notes: String,
    /// Last updated.
    pub updated_at: Option<DateTime<Utc>>,
}

impl PanelAction {
    /// Not done and past its due date.
    pub fn overdue(&self, today: &NaiveDate) -> bool {
        self.status != ActionStatus::Done && self.due_on < *today
    }
    /// Who owns it, for people.
    pub fn owner(&self) -> String {
        match (&self.owner_user_name, &self.owner_org_name) {
            (Some(u), Some(o)) => format!("{u}, {o}"),
            (Some(u), None) => u.clone(),
            (None, Some(o)) => o.clone(),
            (None, None) => "Unassigned".into(),
        }
    }
}

/// A recorded decision to share, or not to share, a child's information.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disclosure {
    /// Identifier.
    pub id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// The child's name (for the privacy officer's list).
    pub child_name: String,
    /// Shared, partly shared or refused.
    pub outcome: DisclosureOutcome,
    /// The receiving organisation, when it is one Harbour knows.
    pub recipient_org: Option<OrgId>,
    /// The recipient as recorded (organisation or person and agency).
    pub recipient: String,
    /// What was shared (or asked for).
    pub what: String,
    /// Why: the purpose, or the reason for refusing.
    pub why: String,
    /// The lawful basis (none for a refusal).
    pub basis: Option<LawfulBasis>,
    /// Who decided.
    pub decided_by: UserId,
    /// Their name.
    pub decided_by_name: String,
    /// When.
    pub decided_at: DateTime<Utc>,
    /// Where it came from: `share`, `panel`.
    pub source: String,
}

/// A problem with a disclosure record, by field.
pub fn check_disclosure(d: &Disclosure) -> Vec<(&'static str, &'static str)> {
    let mut v = Vec::new();
    if d.recipient.trim().is_empty() {
        v.push(("recipient", "Enter who the information went to"));
    }
    if d.what.trim().is_empty() {
        v.push(("what", "Enter what was shared"));
    }
    if d.why.trim().is_empty() {
        v.push(("why", "Enter why"));
    }
    if d.outcome != DisclosureOutcome::Refused && d.basis.is_none() {
        v.push(("basis", "Select the lawful basis for sharing"));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn referral(n: u128, referred: &str, discussed: bool, review: Option<&str>) -> Referral {
        Referral {
            id: Uuid::from_u128(n),
            child_id: ChildId(Uuid::from_u128(100 + n)),
            child_name: format!("Child {n}"),
            panel_type: PanelType::Mace,
            referred_by: UserId(Uuid::from_u128(9)),
            referred_by_name: "Worker".into(),
            referred_at: d(referred).and_hms_opt(9, 0, 0).unwrap().and_utc(),
            reason: "Concerns".into(),
            risk: RiskLevel::Medium,
            basis: LawfulBasis::PublicTaskSafeguarding,
            consent: String::new(),
            next_review: review.map(d),
            first_discussed: discussed.then(|| d("2026-09-01")),
            closed_at: None,
            closure_reason: None,
        }
    }

    #[test]
    fn next_review_follows_risk_and_the_cap() {
        let cfg = PanelConfig::default();
        let tight = PanelConfig {
            max_weeks: 5,
            ..PanelConfig::default()
        };
        let zero = PanelConfig {
            high_weeks: 0,
            ..PanelConfig::default()
        };
        let cases = [
            (RiskLevel::High, &cfg, "2026-12-01"),
            (RiskLevel::Medium, &cfg, "2026-12-15"),
            (RiskLevel::Low, &cfg, "2027-01-26"),
            (RiskLevel::Low, &tight, "2026-12-08"),
            (RiskLevel::High, &zero, "2026-11-10"),
        ];
        for (risk, c, want) in cases {
            assert_eq!(next_review(d("2026-11-03"), risk, c), d(want), "{risk:?}");
        }
    }

    #[test]
    fn agenda_has_new_referrals_then_reviews_due() {
        let mut closed = referral(5, "2026-10-01", false, None);
        closed.closed_at = Some(d("2026-10-20").and_hms_opt(9, 0, 0).unwrap().and_utc());
        let mut strategy = referral(6, "2026-10-01", false, None);
        strategy.panel_type = PanelType::Strategy;
        let rs = vec![
            referral(1, "2026-10-10", false, None),              // new
            referral(2, "2026-10-02", false, None),              // new, older
            referral(3, "2026-08-01", true, Some("2026-11-01")), // due
            referral(4, "2026-08-01", true, Some("2026-12-01")), // not yet due
            closed,
            strategy,
            referral(7, "2026-07-01", true, Some("2026-10-15")), // due, earlier
            referral(8, "2026-07-01", true, Some("2026-11-03")), // due on the day
            referral(9, "2026-07-01", true, None),               // discussed, no review set
        ];
        let got: Vec<(u128, AgendaReason)> = build_agenda(&rs, PanelType::Mace, d("2026-11-03"))
            .into_iter()
            .map(|i| (i.referral_id.as_u128(), i.reason))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, AgendaReason::NewReferral),
                (1, AgendaReason::NewReferral),
                (
                    7,
                    AgendaReason::ReviewDue {
                        due: d("2026-10-15")
                    }
                ),
                (
                    3,
                    AgendaReason::ReviewDue {
                        due: d("2026-11-01")
                    }
                ),
                (
                    8,
                    AgendaReason::ReviewDue {
                        due: d("2026-11-03")
                    }
                ),
            ]
        );
        assert!(build_agenda(&[], PanelType::Mace, d("2026-11-03")).is_empty());
        let s = build_agenda(&rs, PanelType::Strategy, d("2026-11-03"));
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn attendance_grants_end_at_the_review_within_the_cap() {
        let cfg = PanelConfig::default();
        let cases = [
            (Some("2026-12-01"), "2026-12-01"),
            (None, "2027-01-26"),
            (Some("2027-06-01"), "2027-01-26"),
            (Some("2026-11-03"), "2026-11-04"),
            (Some("2026-10-01"), "2026-11-04"),
        ];
        for (review, want) in cases {
            assert_eq!(
                attendance_grant_end(d("2026-11-03"), review.map(d), &cfg),
                d(want),
                "{review:?}"
            );
        }
    }

    #[test]
    fn disclosures_need_a_basis_unless_refused() {
        let base = Disclosure {
            id: Uuid::nil(),
            child_id: ChildId(Uuid::nil()),
            child_name: String::new(),
            outcome: DisclosureOutcome::Shared,
            recipient_org: None,
            recipient: "Police".into(),
            what: "Summary".into(),
            why: "Panel".into(),
            basis: None,
            decided_by: UserId(Uuid::nil()),
            decided_by_name: String::new(),
            decided_at: DateTime::<Utc>::default(),
            source: "panel".into(),
        };
        let cases = [
            (DisclosureOutcome::Shared, None, vec!["basis"]),
            (DisclosureOutcome::Partial, None, vec!["basis"]),
            (DisclosureOutcome::Refused, None, vec![]),
            (
                DisclosureOutcome::Shared,
                Some(LawfulBasis::LegalObligation),
                vec![],
            ),
        ];
        for (outcome, basis, want) in cases {
            let x = Disclosure {
                outcome,
                basis,
                ..base.clone()
            };
            let got: Vec<&str> = check_disclosure(&x).into_iter().map(|(f, _)| f).collect();
            assert_eq!(got, want, "{outcome:?}");
        }
        let empty = Disclosure {
            recipient: " ".into(),
            what: String::new(),
            why: String::new(),
            outcome: DisclosureOutcome::Refused,
            ..base
        };
        let got: Vec<&str> = check_disclosure(&empty)
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(got, vec!["recipient", "what", "why"]);
    }
}
