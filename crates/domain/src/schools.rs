//! Schools partnership and children missing education (domain reference §8).
//!
//! - **Schools** are identified by their unique reference number (URN, six
//!   digits, from Get Information about Schools). Each has designated
//!   teachers and designated safeguarding leads, and may be a member of the
//!   authority's schools partnership ("Better Together" at Stoke-on-Trent:
//!   the council supervised designated teachers in six schools, which
//!   reduced referrals; Ofsted focused visit 2018).
//! - **Contacts from schools** are consultations (advice sought, no
//!   referral) or referrals, each with the front door's outcome; a
//!   referral accepted becomes a social-care case.
//! - **The report** counts, per school and per term, contacts, referrals
//!   and referrals that became cases, and splits them before and after the
//!   school joined the partnership ([`term_of`], [`report_rows`],
//!   [`before_after`]).
//! - **Children missing education** (s.436A Education Act 1996; DfE
//!   *Children missing education*, statutory guidance, August 2024): school
//!   notifications of new registrations and of deletions from roll with
//!   their ground ([`DeletionGround`]), lateness ([`notice_is_late`]), CME
//!   cases with enquiry steps and an outcome.
//!
//! Everything here is pure: no clock, no storage.

use crate::calendar::{WorkingCalendar, easter_sunday};
use chrono::{Datelike, NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

/// Whether `urn` is a school unique reference number as Get Information
/// about Schools issues them: six digits, the first not zero (URNs run
/// from 100000).
pub fn urn_is_valid(urn: &str) -> bool {
    urn.len() == 6 && urn.bytes().all(|b| b.is_ascii_digit()) && !urn.starts_with('0')
}

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident => ($code:literal, $label:literal)),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),* }
        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$v),*];
            /// Stable machine name.
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $code),* } }
            /// For people.
            pub fn label(self) -> &'static str { match self { $($name::$v => $label),* } }
            /// From the machine name.
            pub fn parse(s: &str) -> Option<Self> { Self::ALL.iter().copied().find(|v| v.as_str() == s) }
        }
    };
}

code_enum!(
    /// A school staff member's safeguarding role.
    StaffRole {
        /// Designated teacher for looked-after and previously looked-after
        /// children (Children and Young Persons Act 2008, s.20).
        DesignatedTeacher => ("designated_teacher", "Designated teacher"),
        /// Designated safeguarding lead (Keeping Children Safe in Education).
        Dsl => ("dsl", "Designated safeguarding lead"),
        /// Deputy designated safeguarding lead.
        DeputyDsl => ("deputy_dsl", "Deputy designated safeguarding lead"),
    }
);

code_enum!(
    /// A contact from a school: a consultation or a referral.
    ContactKind {
        /// Advice sought about a worry; no referral made (domain reference
        /// §8: record these as "consultation, no referral").
        Consultation => ("consultation", "Consultation, no referral"),
        /// A referral to children's social care.
        Referral => ("referral", "Referral"),
    }
);

code_enum!(
    /// What the front door decided about a contact from a school.
    ContactOutcome {
        /// Advice given to the school; nothing further.
        AdviceGiven => ("advice_given", "Advice given"),
        /// No further action.
        NoFurtherAction => ("nfa", "No further action"),
        /// Passed to early help.
        EarlyHelp => ("early_help", "Early help"),
        /// Already open to social care: passed to the allocated worker.
        AlreadyOpen => ("already_open", "Already open: passed to the allocated worker"),
        /// Referral accepted: became a social-care case (assessment).
        ReferralAccepted => ("accepted", "Referral accepted: social-care case"),
    }
);

impl ContactOutcome {
    /// Whether the contact became a social-care case.
    pub fn became_case(self) -> bool {
        self == ContactOutcome::ReferralAccepted
    }
}

/// A school term. `year` is the calendar year the academic year starts in
/// (2025 for 2025/26).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Term {
    /// The academic year's first calendar year.
    pub year: i32,
    /// Autumn, spring or summer.
    pub season: Season,
}

/// The three terms of the English school year, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Season {
    /// 1 September to 31 December.
    Autumn,
    /// 1 January to Easter Sunday.
    Spring,
    /// Easter Monday to 31 August.
    Summer,
}

/// The term a date falls in, so that every day belongs to exactly one term.
///
/// The school year runs from 1 September to 31 August (Education Act 1996,
/// s.579: the year beginning with the first term to begin after July).
/// Within it the boundaries follow the DfE's termly statistics (school
/// census and pupil absence methodology, verify): the **autumn** term runs
/// from 1 September to 31 December, the **spring** term from 1 January to
/// Easter Sunday, the **summer** term from Easter Monday to 31 August.
/// School holidays are counted in the term they follow (the summer holiday
/// with the summer term), since schools set their own term dates and a
/// report by term needs every contact in one; a school that joins a
/// partnership on 1 September is a member for the whole autumn term.
pub fn term_of(d: NaiveDate) -> Term {
    let y = d.year();
    if d.month() >= 9 {
        return Term {
            year: y,
            season: Season::Autumn,
        };
    }
    let easter = easter_sunday(y).unwrap_or_else(|| NaiveDate::from_ymd_opt(y, 4, 1).unwrap_or(d));
    Term {
        year: y - 1,
        season: if d <= easter {
            Season::Spring
        } else {
            Season::Summer
        },
    }
}

impl Term {
    /// First and last day (inclusive).
    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let easter = |y| easter_sunday(y).unwrap_or_else(|| ymd(y, 4, 1));
        match self.season {
            Season::Autumn => (ymd(self.year, 9, 1), ymd(self.year, 12, 31)),
            Season::Spring => (ymd(self.year + 1, 1, 1), easter(self.year + 1)),
            Season::Summer => (
                easter(self.year + 1) + TimeDelta::days(1),
                ymd(self.year + 1, 8, 31),
            ),
        }
    }
    /// The term after.
    pub fn next(self) -> Term {
        match self.season {
            Season::Autumn => Term {
                year: self.year,
                season: Season::Spring,
            },
            Season::Spring => Term {
                year: self.year,
                season: Season::Summer,
            },
            Season::Summer => Term {
                year: self.year + 1,
                season: Season::Autumn,
            },
        }
    }
    /// "Autumn 2025", "Spring 2026": the term and the calendar year it is in.
    pub fn label(self) -> String {
        match self.season {
            Season::Autumn => format!("Autumn {}", self.year),
            Season::Spring => format!("Spring {}", self.year + 1),
            Season::Summer => format!("Summer {}", self.year + 1),
        }
    }
    /// "Autumn 2025/26", for the CSV and the table's detail.
    pub fn academic_label(self) -> String {
        let s = match self.season {
            Season::Autumn => "Autumn",
            Season::Spring => "Spring",
            Season::Summer => "Summer",
        };
        format!("{s} {}/{:02}", self.year, (self.year + 1) % 100)
    }
}

/// Terms from the one containing `from` to the one containing `to`, inclusive.
pub fn terms_between(from: NaiveDate, to: NaiveDate) -> Vec<Term> {
    let (mut t, last) = (term_of(from), term_of(to));
    let mut v = Vec::new();
    while t <= last && v.len() < 300 {
        v.push(t);
        t = t.next();
    }
    v
}

/// A period of partnership membership: joined, and left (None: still a member).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Membership {
    /// First day in the partnership.
    pub joined: NaiveDate,
    /// Last day in the partnership, if the school has left.
    pub left: Option<NaiveDate>,
}

impl Membership {
    /// Whether the school was a member on `d`.
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.joined <= d && self.left.is_none_or(|l| d <= l)
    }
}

/// Where a term stands against a school's partnership membership.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Phase {
    /// Wholly before the school first joined.
    Before,
    /// A member on every day of the term.
    Member,
    /// Joined or left during the term: counted in neither side of the split.
    Changed,
    /// Not a member, after having been one (left).
    Left,
}

impl Phase {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Before => "Before joining",
            Phase::Member => "In the partnership",
            Phase::Changed => "Joined or left this term",
            Phase::Left => "After leaving",
        }
    }
}

/// The phase of `term` for a school with these memberships. A school that
/// never joined is [`Phase::Before`] throughout.
pub fn phase_of(term: Term, memberships: &[Membership]) -> Phase {
    let (start, end) = term.bounds();
    let member_all = memberships.iter().any(|m| m.covers(start) && m.covers(end));
    if member_all {
        return Phase::Member;
    }
    let touches = memberships
        .iter()
        .any(|m| m.joined <= end && m.left.is_none_or(|l| l >= start));
    if touches {
        return Phase::Changed;
    }
    match memberships.iter().map(|m| m.joined).min() {
        Some(first) if first <= start => Phase::Left,
        _ => Phase::Before,
    }
}

/// One contact, as the report needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContactFact {
    /// The (London) day it was received.
    pub on: NaiveDate,
    /// Consultation or referral.
    pub kind: ContactKind,
    /// The outcome.
    pub outcome: ContactOutcome,
}

/// One row of the report: a term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TermRow {
    /// The term.
    pub term: Term,
    /// Against the membership.
    pub phase: Phase,
    /// Contacts of either kind.
    pub contacts: u32,
    /// Consultations without referral.
    pub consultations: u32,
    /// Referrals.
    pub referrals: u32,
    /// Referrals that became social-care cases.
    pub became_cases: u32,
}

/// The report's rows: every term from `from` to `to` (inclusive), with the
/// contacts received in it counted and its phase against the memberships.
pub fn report_rows(
    contacts: &[ContactFact],
    memberships: &[Membership],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<TermRow> {
    terms_between(from, to)
        .into_iter()
        .map(|term| {
            let (s, e) = term.bounds();
            let inside: Vec<&ContactFact> =
                contacts.iter().filter(|c| s <= c.on && c.on <= e).collect();
            let referrals: Vec<&&ContactFact> = inside
                .iter()
                .filter(|c| c.kind == ContactKind::Referral)
                .collect();
            TermRow {
                term,
                phase: phase_of(term, memberships),
                contacts: inside.len() as u32,
                consultations: (inside.len() - referrals.len()) as u32,
                referrals: referrals.len() as u32,
                became_cases: referrals.iter().filter(|c| c.outcome.became_case()).count() as u32,
            }
        })
        .collect()
}

/// Totals over the terms on one side of the split.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct SideTotals {
    /// Whole terms counted.
    pub terms: u32,
    /// Contacts.
    pub contacts: u32,
    /// Referrals.
    pub referrals: u32,
    /// Referrals that became cases.
    pub became_cases: u32,
}

impl SideTotals {
    /// Referrals per term (None with no terms).
    pub fn referrals_per_term(&self) -> Option<f64> {
        (self.terms > 0).then(|| f64::from(self.referrals) / f64::from(self.terms))
    }
    /// Cases per term.
    pub fn cases_per_term(&self) -> Option<f64> {
        (self.terms > 0).then(|| f64::from(self.became_cases) / f64::from(self.terms))
    }
    /// The share of referrals that became cases, as a whole percentage.
    pub fn conversion_percent(&self) -> Option<u32> {
        (self.referrals > 0).then(|| {
            ((f64::from(self.became_cases) * 100.0) / f64::from(self.referrals)).round() as u32
        })
    }
}

/// The before-and-after split: whole terms before the school joined
/// against whole terms in the partnership. Terms in which the school joined
/// or left, and terms after it left, are in neither, so the comparison is
/// between like periods; averages are per term because the two sides
/// rarely have the same number of terms. The current, unfinished term is
/// left out by passing rows only up to the last complete term.
pub fn before_after(rows: &[TermRow]) -> (SideTotals, SideTotals) {
    let mut before = SideTotals::default();
    let mut member = SideTotals::default();
    for r in rows {
        let side = match r.phase {
            Phase::Before => &mut before,
            Phase::Member => &mut member,
            Phase::Changed | Phase::Left => continue,
        };
        side.terms += 1;
        side.contacts += r.contacts;
        side.referrals += r.referrals;
        side.became_cases += r.became_cases;
    }
    (before, member)
}

code_enum!(
    /// A school's notification to the authority about a pupil.
    NoticeKind {
        /// A pupil added to the admission register (outside the normal
        /// points of entry).
        Registration => ("registration", "New registration"),
        /// A pupil's name deleted from the admission register.
        Deletion => ("deletion", "Deletion from roll"),
    }
);

code_enum!(
    /// The grounds on which a pupil of compulsory school age may be deleted
    /// from a school's admission register, which the school gives the
    /// authority in its notice (School Attendance (Pupil Registration)
    /// (England) Regulations 2024, regulation 9, replacing regulation 8 of
    /// the 2006 Regulations; DfE *Children missing education*, August 2024,
    /// "Notifications from schools"). The grounds were renumbered in 2024:
    /// codes here are Harbour's own, stable across versions, and the
    /// labels paraphrase the regulation (verify against the text).
    DeletionGround {
        /// Registered at another school (and not dual-registered).
        OtherSchool => ("other_school", "Registered at another school"),
        /// Parent has told the school in writing the child is being
        /// educated other than at school (elective home education).
        HomeEducation => ("home_education", "Educated other than at school (elective home education)"),
        /// No longer lives within a reasonable distance of the school.
        MovedAway => ("moved_away", "Moved to an address too far from the school"),
        /// Has not returned within 10 school days of a leave of absence and
        /// both school and authority have failed, after reasonable enquiry,
        /// to find where the child is.
        NotReturnedFromLeave => ("not_returned_from_leave", "Not returned 10 school days after leave; whereabouts unknown after joint enquiries"),
        /// Absent without authorisation for 20 consecutive school days and
        /// both school and authority have failed, after reasonable enquiry,
        /// to find where the child is.
        ContinuousAbsence => ("continuous_absence", "20 consecutive school days unauthorised absence; whereabouts unknown after joint enquiries"),
        /// Certified by the school medical officer as unlikely to be fit to
        /// attend before ceasing to be of compulsory school age.
        MedicallyUnfit => ("medically_unfit", "Medically unfit to attend before leaving school age"),
        /// In custody for more than four months and not likely to return.
        Custody => ("custody", "In custody and not likely to return"),
        /// Permanently excluded.
        PermanentlyExcluded => ("permanently_excluded", "Permanently excluded"),
        /// Has died.
        Died => ("died", "Died"),
        /// A school attendance order names another school, or is revoked.
        AttendanceOrder => ("attendance_order", "School attendance order names another school or is revoked"),
        /// No longer of compulsory school age (and not continuing in the sixth form).
        CeasedCompulsoryAge => ("ceased_compulsory_age", "No longer of compulsory school age"),
    }
);

impl DeletionGround {
    /// Grounds where the school and the authority do not know where the
    /// child is: the authority must treat the child as possibly missing
    /// education and enquire (DfE CME guidance 2024).
    pub fn whereabouts_unknown(self) -> bool {
        matches!(
            self,
            DeletionGround::NotReturnedFromLeave | DeletionGround::ContinuousAbsence
        )
    }
}

/// How many school days a school has to tell the authority of a new
/// registration (DfE CME guidance 2024: "within five days").
pub const REGISTRATION_NOTICE_DAYS: u32 = 5;

/// Whether a school's notice was late.
///
/// - A **new registration** must be notified within five days of adding the
///   pupil's name to the register (Pupil Registration Regulations 2024;
///   DfE CME guidance 2024). Harbour counts **school days** as weekdays
///   that are not England and Wales bank holidays, the registration day not
///   counted (schools' own closure days are not known to Harbour; verify the
///   day type, domain reference §1).
/// - A **deletion** must be notified as soon as the ground is met and no
///   later than the name is removed: a notice received after the deletion
///   date is late.
pub fn notice_is_late(kind: NoticeKind, event_on: NaiveDate, notified_on: NaiveDate) -> bool {
    match kind {
        NoticeKind::Registration => notified_on > notice_due(kind, event_on),
        NoticeKind::Deletion => notified_on > event_on,
    }
}

/// The last day on which a notice is in time (see [`notice_is_late`]).
pub fn notice_due(kind: NoticeKind, event_on: NaiveDate) -> NaiveDate {
    match kind {
        NoticeKind::Registration => WorkingCalendar::england_and_wales()
            .add_working_days(event_on, REGISTRATION_NOTICE_DAYS),
        NoticeKind::Deletion => event_on,
    }
}

code_enum!(
    /// A step in the enquiries to find a child missing education (DfE CME
    /// guidance 2024: "reasonable enquiries" with the school, family,
    /// other authorities and agencies).
    StepKind {
        /// Checks with the school (attendance, last contact, friends).
        School => ("school", "Checks with the school"),
        /// A visit to the last known address.
        HomeVisit => ("home_visit", "Home visit"),
        /// Another local authority (admissions, CME officer), including
        /// through the school-to-school and Key to Success systems.
        OtherLa => ("other_la", "Another local authority"),
        /// The police.
        Police => ("police", "Police"),
        /// Health: GP, school nurse, health visitor.
        Health => ("health", "Health (GP, school nurse)"),
        /// Border Force or the Home Office (travel abroad).
        BorderForce => ("border_force", "Border Force or Home Office"),
        /// Children's social care records and the allocated worker.
        SocialCare => ("social_care", "Children's social care"),
        /// Housing, benefits or another agency.
        Other => ("other", "Another agency"),
    }
);

code_enum!(
    /// How a CME case ends.
    CmeOutcome {
        /// Found, on a school roll or in alternative provision.
        FoundInEducation => ("found_in_education", "Found in education"),
        /// Moved to another local authority, which has been told.
        MovedToAnotherLa => ("moved_to_another_la", "Moved to another local authority"),
        /// Left the country.
        MovedAbroad => ("moved_abroad", "Moved abroad"),
        /// Educated at home (elective home education).
        HomeEducated => ("home_educated", "Home-educated"),
        /// Still missing: referred to children's social care and the police.
        MissingReferred => ("missing_referred", "Still missing: referred to social care and police"),
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn urns() {
        for (u, ok) in [
            ("124087", true),
            ("100000", true),
            ("999999", true),
            ("012345", false),
            ("12345", false),
            ("1234567", false),
            ("12345a", false),
            ("", false),
        ] {
            assert_eq!(urn_is_valid(u), ok, "{u}");
        }
    }

    #[test]
    fn terms_cover_every_day_with_easter_boundaries() {
        // Easter Sunday 2026 is 5 April; 2025 was 20 April.
        for (day, label) in [
            ("2025-08-31", "Summer 2025"),
            ("2025-09-01", "Autumn 2025"),
            ("2025-09-03", "Autumn 2025"),
            ("2025-12-31", "Autumn 2025"),
            ("2026-01-01", "Spring 2026"),
            ("2026-04-05", "Spring 2026"),
            ("2026-04-06", "Summer 2026"),
            ("2026-07-31", "Summer 2026"),
            ("2026-08-31", "Summer 2026"),
            ("2025-04-20", "Spring 2025"),
            ("2025-04-21", "Summer 2025"),
            ("2024-02-29", "Spring 2024"),
        ] {
            assert_eq!(term_of(d(day)).label(), label, "{day}");
        }
        assert_eq!(term_of(d("2026-03-01")).academic_label(), "Spring 2025/26");
    }

    #[test]
    fn bounds_chain_without_gaps() {
        let mut t = term_of(d("2019-09-01"));
        for _ in 0..30 {
            let (s, e) = t.bounds();
            assert!(s <= e);
            assert_eq!(term_of(s), t);
            assert_eq!(term_of(e), t);
            let n = t.next();
            assert_eq!(n.bounds().0, e + TimeDelta::days(1), "{}", t.label());
            t = n;
        }
        assert_eq!(terms_between(d("2025-09-01"), d("2026-09-01")).len(), 4);
        assert_eq!(terms_between(d("2026-09-01"), d("2025-09-01")).len(), 0);
    }

    #[test]
    fn phases() {
        let joined = Membership {
            joined: d("2025-09-01"),
            left: None,
        };
        let left = Membership {
            joined: d("2024-01-01"),
            left: Some(d("2024-12-31")),
        };
        let t = |s| term_of(d(s));
        for (term, ms, want) in [
            (t("2025-05-01"), vec![joined], Phase::Before),
            // Joined on the first day of the autumn term: a member all term.
            (t("2025-10-01"), vec![joined], Phase::Member),
            (t("2026-02-01"), vec![joined], Phase::Member),
            (t("2023-10-01"), vec![left], Phase::Before),
            // Spring 2024 starts 1 January, the day the school joined.
            (t("2024-02-01"), vec![left], Phase::Member),
            (t("2024-05-01"), vec![left], Phase::Member),
            (t("2025-02-01"), vec![left], Phase::Left),
            (t("2025-02-01"), vec![], Phase::Before),
        ] {
            assert_eq!(phase_of(term, &ms), want, "{}", term.label());
        }
        let joined_at_half_term = Membership {
            joined: d("2025-10-27"),
            left: None,
        };
        assert_eq!(
            phase_of(t("2025-10-01"), &[joined_at_half_term]),
            Phase::Changed
        );
    }

    #[test]
    fn rows_and_split() {
        use ContactKind::*;
        use ContactOutcome::*;
        let c = |on: &str, kind, outcome| ContactFact {
            on: d(on),
            kind,
            outcome,
        };
        let contacts = [
            c("2024-10-01", Referral, ReferralAccepted),
            c("2024-11-01", Referral, NoFurtherAction),
            c("2025-02-01", Referral, ReferralAccepted),
            c("2025-02-02", Referral, ReferralAccepted),
            c("2025-06-01", Consultation, AdviceGiven),
            c("2025-10-01", Referral, EarlyHelp),
            c("2026-01-10", Consultation, AdviceGiven),
            c("2026-02-10", Referral, ReferralAccepted),
            c("2026-05-10", Consultation, AdviceGiven),
        ];
        // Joined at the October half-term: the autumn term is in neither side.
        let ms = [Membership {
            joined: d("2025-10-27"),
            left: None,
        }];
        let rows = report_rows(&contacts, &ms, d("2024-09-01"), d("2026-07-31"));
        let got: Vec<(String, Phase, u32, u32, u32)> = rows
            .iter()
            .map(|r| {
                (
                    r.term.label(),
                    r.phase,
                    r.contacts,
                    r.referrals,
                    r.became_cases,
                )
            })
            .collect();
        let want = vec![
            ("Autumn 2024".to_string(), Phase::Before, 2, 2, 1),
            ("Spring 2025".to_string(), Phase::Before, 2, 2, 2),
            ("Summer 2025".to_string(), Phase::Before, 1, 0, 0),
            ("Autumn 2025".to_string(), Phase::Changed, 1, 1, 0),
            ("Spring 2026".to_string(), Phase::Member, 2, 1, 1),
            ("Summer 2026".to_string(), Phase::Member, 1, 0, 0),
        ];
        assert_eq!(got, want);
        assert_eq!(rows[2].consultations, 1);
        let (before, member) = before_after(&rows);
        assert_eq!(
            (
                before.terms,
                before.contacts,
                before.referrals,
                before.became_cases
            ),
            (3, 5, 4, 3)
        );
        assert_eq!(
            (
                member.terms,
                member.contacts,
                member.referrals,
                member.became_cases
            ),
            (2, 3, 1, 1)
        );
        assert_eq!(before.referrals_per_term(), Some(4.0 / 3.0));
        assert_eq!(member.cases_per_term(), Some(0.5));
        assert_eq!(before.conversion_percent(), Some(75));
        assert_eq!(SideTotals::default().referrals_per_term(), None);
        assert_eq!(SideTotals::default().conversion_percent(), None);
    }

    #[test]
    fn notices() {
        use NoticeKind::*;
        // Registered Thursday 20 November 2025: five school days to Thursday 27th.
        for (kind, event, notified, late) in [
            (Registration, "2025-11-20", "2025-11-20", false),
            (Registration, "2025-11-20", "2025-11-27", false),
            (Registration, "2025-11-20", "2025-11-28", true),
            // Christmas: Tue 23 Dec 2025 -> 24, 29, 30, 31 Dec, 2 Jan (25, 26 Dec, 1 Jan bank holidays).
            (Registration, "2025-12-23", "2026-01-02", false),
            (Registration, "2025-12-23", "2026-01-05", true),
            (Deletion, "2025-11-20", "2025-11-19", false),
            (Deletion, "2025-11-20", "2025-11-20", false),
            (Deletion, "2025-11-20", "2025-11-21", true),
        ] {
            assert_eq!(
                notice_is_late(kind, d(event), d(notified)),
                late,
                "{kind:?} {event} {notified}"
            );
        }
        assert_eq!(notice_due(Registration, d("2025-12-23")), d("2026-01-02"));
    }

    #[test]
    fn codes_round_trip() {
        for g in DeletionGround::ALL {
            assert_eq!(DeletionGround::parse(g.as_str()), Some(*g));
        }
        for o in CmeOutcome::ALL {
            assert_eq!(CmeOutcome::parse(o.as_str()), Some(*o));
        }
        for s in StepKind::ALL {
            assert_eq!(StepKind::parse(s.as_str()), Some(*s));
        }
        for o in ContactOutcome::ALL {
            assert_eq!(ContactOutcome::parse(o.as_str()), Some(*o));
            assert_eq!(o.became_case(), *o == ContactOutcome::ReferralAccepted);
        }
        assert!(DeletionGround::ContinuousAbsence.whereabouts_unknown());
        assert!(!DeletionGround::OtherSchool.whereabouts_unknown());
        assert_eq!(StaffRole::parse("dsl"), Some(StaffRole::Dsl));
        assert_eq!(NoticeKind::parse("x"), None);
    }
}
