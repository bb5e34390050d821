//! Retention of children's records and subject access requests (issue 9
//! §5): how long each child's record is kept and why, whether it is due for
//! review, what a review decision may say, when a subject access response
//! is due, which parts of a record name other people, and what a reviewer's
//! decision on each part releases. Pure rules: no clock, no IO.
//!
//! A child has **one** record in Harbour, so the rule that keeps it longest
//! decides (return home interview findings, notes, screenings and the rest
//! follow the child's record and have no period of their own).

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Local retention settings (`[retention]` in the configuration file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionConfig {
    /// Children in need, child protection, missing and exploitation records
    /// are kept until this birthday (local retention schedule; the common
    /// LGA/IRMS schedule says the 25th birthday, some authorities the 26th
    /// or 30th).
    pub local_age_years: u32,
    /// Records of children never open beyond a contact are kept this many
    /// years after the last activity (local schedule; 6 is common).
    pub contact_only_years: u32,
    /// A record comes up for review this many months before its retain-until
    /// date.
    pub review_lead_months: u32,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        Self {
            local_age_years: 25,
            contact_only_years: 6,
            review_lead_months: 6,
        }
    }
}

impl RetentionConfig {
    /// What is wrong with the settings, for the configuration loader.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if !(18..=100).contains(&self.local_age_years) {
            p.push(format!(
                "retention.local_age_years must be 18 to 100, not {}",
                self.local_age_years
            ));
        }
        if !(1..=100).contains(&self.contact_only_years) {
            p.push(format!(
                "retention.contact_only_years must be 1 to 100, not {}",
                self.contact_only_years
            ));
        }
        if self.review_lead_months > 60 {
            p.push(format!(
                "retention.review_lead_months must be 0 to 60, not {}",
                self.review_lead_months
            ));
        }
        p
    }
}

/// The class of record that sets a child's retention period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionCategory {
    /// Adoption case records.
    Adoption,
    /// Looked after at some time (including care leavers).
    LookedAfter,
    /// Children in need, child protection, missing and exploitation work.
    SocialWork,
    /// Never open beyond a contact.
    ContactOnly,
}

impl RetentionCategory {
    /// Every category, longest-kept first.
    pub const ALL: [RetentionCategory; 4] = [
        Self::Adoption,
        Self::LookedAfter,
        Self::SocialWork,
        Self::ContactOnly,
    ];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Adoption => "adoption",
            Self::LookedAfter => "looked_after",
            Self::SocialWork => "social_work",
            Self::ContactOnly => "contact_only",
        }
    }
    /// Label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Adoption => "Adoption",
            Self::LookedAfter => "Looked after",
            Self::SocialWork => "Child in need, protection, missing or exploitation",
            Self::ContactOnly => "Contact only",
        }
    }
    /// Parse the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What the record shows about a child, for the retention rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionFacts {
    /// Date of birth.
    pub dob: NaiveDate,
    /// Date of death, where recorded (Harbour does not record it yet, so
    /// callers pass `None`; the rule is ready for it).
    pub died: Option<NaiveDate>,
    /// Ever looked after or a care leaver (a CLA or care-leaver legal
    /// status, or any placement).
    pub looked_after: bool,
    /// The date of the adoption order, or where it is not recorded the end
    /// (else the start) of a placement for adoption (SSDA903 PLACE A3 to A6).
    pub adoption: Option<NaiveDate>,
    /// Ever open beyond a contact: a CIN or CP status, an allocation, a
    /// missing episode, a screening or a panel referral.
    pub open_beyond_contact: bool,
    /// The last thing that happened on the record (for contact-only records).
    pub last_activity: NaiveDate,
}

/// How long a child's record is kept, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Retention {
    /// The class of record that decides.
    pub category: RetentionCategory,
    /// Keep until this date (inclusive).
    pub retain_until: NaiveDate,
    /// The record comes up for review on this date.
    pub review_on: NaiveDate,
    /// The rule, with its source.
    pub reason: String,
}

fn plus_years(d: NaiveDate, years: u32) -> NaiveDate {
    // 29 February plus whole years lands on 28 February in common years.
    d.checked_add_months(Months::new(years * 12))
        .unwrap_or(NaiveDate::MAX)
}

/// Adoption case records: at least 100 years from the adoption order.
/// Source: Adoption Agencies Regulations 2005 (SI 2005/389), reg 21(1).
pub fn adoption_until(order: NaiveDate) -> NaiveDate {
    plus_years(order, 100)
}

/// Looked-after children's case records: until the 75th birthday, or, if
/// the child dies before 18, 15 years from the date of death.
/// Source: Care Planning, Placement and Case Review (England) Regulations
/// 2010 (SI 2010/959), reg 50.
pub fn looked_after_until(dob: NaiveDate, died: Option<NaiveDate>) -> NaiveDate {
    match died {
        Some(d) if d < plus_years(dob, 18) => plus_years(d, 15),
        _ => plus_years(dob, 75),
    }
}

/// Children in need, child protection, missing and exploitation records
/// (return home interviews follow the child's record): until the local
/// retention birthday. Source: the authority's retention schedule; the
/// LGA/IRMS retention guidelines for local authorities give the 25th
/// birthday (some authorities the 26th), the default of
/// [`RetentionConfig::local_age_years`].
pub fn social_work_until(dob: NaiveDate, local_age_years: u32) -> NaiveDate {
    plus_years(dob, local_age_years)
}

/// Records of children never open beyond a contact: a fixed number of years
/// after the last activity. Source: the authority's retention schedule
/// (6 years is common, the Limitation Act 1980 period).
pub fn contact_only_until(last_activity: NaiveDate, years: u32) -> NaiveDate {
    plus_years(last_activity, years)
}

/// The retention of a child's whole record: every rule that applies is
/// evaluated and the one keeping the record longest decides, so no rule's
/// period is ever cut short. The contact-only period applies only to a
/// record never open beyond a contact. The review date is
/// [`RetentionConfig::review_lead_months`] before the retain-until date.
pub fn retention(f: &RetentionFacts, cfg: &RetentionConfig) -> Retention {
    let mut rules: Vec<(RetentionCategory, NaiveDate, String)> = Vec::new();
    if let Some(order) = f.adoption {
        rules.push((
            RetentionCategory::Adoption,
            adoption_until(order),
            "Adoption record: 100 years from the adoption order (Adoption Agencies Regulations 2005, reg 21)".into(),
        ));
    }
    if f.looked_after {
        let early_death = f.died.is_some_and(|d| d < plus_years(f.dob, 18));
        rules.push((
            RetentionCategory::LookedAfter,
            looked_after_until(f.dob, f.died),
            if early_death {
                "Looked after, died before 18: 15 years from the date of death (Care Planning, Placement and Case Review (England) Regulations 2010, reg 50)".into()
            } else {
                "Looked after: until the 75th birthday (Care Planning, Placement and Case Review (England) Regulations 2010, reg 50)".into()
            },
        ));
    }
    if f.open_beyond_contact {
        rules.push((
            RetentionCategory::SocialWork,
            social_work_until(f.dob, cfg.local_age_years),
            format!(
                "Child in need, protection, missing or exploitation record: until the {} birthday (local retention schedule)",
                ordinal(cfg.local_age_years)
            ),
        ));
    }
    if rules.is_empty() {
        rules.push((
            RetentionCategory::ContactOnly,
            contact_only_until(f.last_activity, cfg.contact_only_years),
            format!(
                "Contact only: {} years after the last activity (local retention schedule)",
                cfg.contact_only_years
            ),
        ));
    }
    // Longest first; on a tie the more specific (earlier-listed) rule names it.
    let (category, retain_until, reason) = rules
        .into_iter()
        .rev()
        .max_by_key(|r| r.1)
        .expect("the contact rule applies when no other does");
    let review_on = retain_until
        .checked_sub_months(Months::new(cfg.review_lead_months))
        .unwrap_or(retain_until);
    Retention {
        category,
        retain_until,
        review_on,
        reason,
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Why a record is kept beyond its period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// Litigation under way or expected.
    Litigation,
    /// A public inquiry's "do not destroy" notice (for example the
    /// Independent Inquiry into Child Sexual Abuse's retention instruction).
    InquiryHold,
    /// Still needed for the child or for another open case.
    StillNeeded,
}

impl HoldReason {
    /// Every reason.
    pub const ALL: [HoldReason; 3] = [Self::Litigation, Self::InquiryHold, Self::StillNeeded];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Litigation => "litigation",
            Self::InquiryHold => "inquiry_hold",
            Self::StillNeeded => "still_needed",
        }
    }
    /// Label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Litigation => "Litigation under way or expected",
            Self::InquiryHold => "Inquiry hold (do not destroy)",
            Self::StillNeeded => "Still needed",
        }
    }
    /// Parse the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A retention review decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ReviewOutcome {
    /// Keep until a date, for a reason.
    Keep {
        /// Kept until.
        until: NaiveDate,
        /// Why.
        hold: HoldReason,
    },
    /// Approved for destruction (destruction itself is future work: see
    /// docs/SECURITY.md).
    Destroy,
}

impl ReviewOutcome {
    /// Machine name of the decision.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Keep { .. } => "keep",
            Self::Destroy => "destroy",
        }
    }
}

/// Where a child's record stands in the retention review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ReviewStatus {
    /// Not yet due.
    NotDue,
    /// Due for review (the review date has passed).
    Due,
    /// Reviewed and kept until a date.
    Held(NaiveDate),
    /// Approved for destruction.
    ApprovedForDestruction,
}

impl ReviewStatus {
    /// Label.
    pub fn label(&self) -> String {
        match self {
            Self::NotDue => "Not due".into(),
            Self::Due => "Due for review".into(),
            Self::Held(d) => format!("Kept until {}", crate::calendar::format_date(*d)),
            Self::ApprovedForDestruction => "Approved for destruction".into(),
        }
    }
    /// Whether the report lists it (due, or decided and still to act on).
    pub fn listed(&self) -> bool {
        !matches!(self, Self::NotDue)
    }
}

/// Where a record stands, given its retention and the latest review
/// decision: a "keep" holds it until its date, after which it is due again;
/// an approval for destruction stands (nothing is deleted by Harbour).
pub fn review_status(
    r: &Retention,
    latest: Option<&ReviewOutcome>,
    today: NaiveDate,
) -> ReviewStatus {
    match latest {
        Some(ReviewOutcome::Destroy) => ReviewStatus::ApprovedForDestruction,
        Some(ReviewOutcome::Keep { until, .. }) if *until >= today => ReviewStatus::Held(*until),
        _ if today >= r.review_on => ReviewStatus::Due,
        _ => ReviewStatus::NotDue,
    }
}

/// Check a review decision: a "keep" needs a future date and a reason; a
/// destruction may be approved only once the retain-until date has passed
/// (a rule's period is never cut short) and needs a note saying why it is
/// safe (no hold, nothing open). Returns field errors.
pub fn check_review(
    r: &Retention,
    outcome: &ReviewOutcome,
    note: &str,
    today: NaiveDate,
) -> Vec<(&'static str, String)> {
    let mut e = Vec::new();
    match outcome {
        ReviewOutcome::Keep { until, .. } => {
            if *until <= today {
                e.push(("until_day", "Enter a date after today".to_string()));
            }
        }
        ReviewOutcome::Destroy => {
            if today <= r.retain_until {
                e.push((
                    "decision",
                    format!(
                        "The record must be kept until {}: it cannot be approved for destruction yet",
                        crate::calendar::format_date(r.retain_until)
                    ),
                ));
            }
        }
    }
    if note.trim().is_empty() {
        e.push(("note", "Enter the reason for the decision".to_string()));
    }
    e
}

// ---------------------------------------------------------------------------
// Subject access

/// When a subject access response is due: one calendar month from receipt
/// (the corresponding date in the next month, or that month's last day when
/// there is none), or three months where the request is complex and the
/// requester was told of the extension within the first month.
/// Source: UK GDPR Art 12(3); ICO, "Right of access" guidance (time limits).
pub fn sar_due(received: NaiveDate, extended: bool) -> NaiveDate {
    let months = if extended { 3 } else { 1 };
    received
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// A reviewer's decision on one item of the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemDecision {
    /// Release as held.
    Release,
    /// Release a redacted copy.
    Redact,
    /// Withhold entirely.
    Withhold,
}

impl ItemDecision {
    /// Every decision.
    pub const ALL: [ItemDecision; 3] = [Self::Release, Self::Redact, Self::Withhold];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Release => "release",
            Self::Redact => "redact",
            Self::Withhold => "withhold",
        }
    }
    /// Label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Release => "Release in full",
            Self::Redact => "Release with redactions",
            Self::Withhold => "Withhold",
        }
    }
    /// Parse the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The exemption relied on to redact or withhold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exemption {
    /// Information about another person who has not consented and whom it
    /// would not be reasonable to name: DPA 2018 Sch 2 Part 3 para 16.
    ThirdParty,
    /// Likely to cause serious harm to the physical or mental health of the
    /// child or another person: DPA 2018 Sch 3 Part 3 (social work data).
    SeriousHarm,
    /// Given by the child in the expectation it would not be disclosed to
    /// the person with parental responsibility asking: DPA 2018 Sch 3 Part 3.
    ChildExpectation,
}

impl Exemption {
    /// Every exemption.
    pub const ALL: [Exemption; 3] = [Self::ThirdParty, Self::SeriousHarm, Self::ChildExpectation];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ThirdParty => "third_party",
            Self::SeriousHarm => "serious_harm",
            Self::ChildExpectation => "child_expectation",
        }
    }
    /// Label with its source.
    pub fn label(self) -> &'static str {
        match self {
            Self::ThirdParty => "Third-party information (DPA 2018 Sch 2 Part 3 para 16)",
            Self::SeriousHarm => "Serious harm (DPA 2018 Sch 3 Part 3, social work data)",
            Self::ChildExpectation => {
                "Given by the child in confidence from the requester (DPA 2018 Sch 3 Part 3)"
            }
        }
    }
    /// Parse the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A text as typed into a form, with line endings made `\n`: browsers send
/// a textarea's lines with CRLF (HTML's form submission rules), the record
/// holds LF, so an unedited copy must still compare equal.
pub fn normalise_lines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn same_text(a: &str, b: &str) -> bool {
    normalise_lines(a).trim() == normalise_lines(b).trim()
}

/// Check a reviewer's decision on an item: redacting or withholding needs
/// an exemption (the response says what was withheld and why; ICO guidance),
/// a redacted copy must differ from the original and not be empty, and
/// releasing in full relies on no exemption. Returns field errors. Line endings do not count
/// as an edit ([`normalise_lines`]).
pub fn check_item_decision(
    decision: Option<ItemDecision>,
    exemption: Option<Exemption>,
    original: &str,
    redacted: &str,
) -> Vec<(&'static str, String)> {
    let mut e = Vec::new();
    match decision {
        None => e.push(("decision", "Choose what to do with this item".to_string())),
        Some(ItemDecision::Release) => {
            if exemption.is_some() {
                e.push((
                    "exemption",
                    "An item released in full relies on no exemption: leave it blank".to_string(),
                ));
            }
        }
        Some(d) => {
            if exemption.is_none() {
                e.push(("exemption", "Choose the exemption relied on".to_string()));
            }
            if d == ItemDecision::Redact {
                if redacted.trim().is_empty() {
                    e.push((
                        "redacted",
                        "Enter the redacted copy, or withhold the item".to_string(),
                    ));
                } else if same_text(redacted, original) {
                    e.push((
                        "redacted",
                        "The redacted copy is the same as the original: edit it, or release in full"
                            .to_string(),
                    ));
                }
            }
        }
    }
    e
}

/// The text released for an item: the original, the redacted copy, or
/// nothing (withheld). An undecided item releases nothing.
pub fn released_text<'a>(
    decision: Option<ItemDecision>,
    original: &'a str,
    redacted: &'a str,
) -> Option<&'a str> {
    match decision {
        Some(ItemDecision::Release) => Some(original),
        Some(ItemDecision::Redact) => Some(redacted),
        Some(ItemDecision::Withhold) | None => None,
    }
}

/// Which of `names` (other people known to the record: relatives, carers,
/// persons of concern, people the child named) appear in `text`, compared
/// case-insensitively as whole words. Names shorter than three characters
/// are ignored (initials match too much).
pub fn names_mentioned(text: &str, names: &[String]) -> Vec<String> {
    let hay: Vec<String> = words(text);
    let mut found: Vec<String> = Vec::new();
    for n in names {
        let needle = words(n);
        if needle.is_empty() || n.trim().chars().count() < 3 {
            continue;
        }
        let hit = hay.windows(needle.len()).any(|w| w == needle.as_slice());
        if hit && !found.iter().any(|f| f.eq_ignore_ascii_case(n.trim())) {
            found.push(n.trim().to_string());
        }
    }
    found
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn facts(dob: &str) -> RetentionFacts {
        RetentionFacts {
            dob: d(dob),
            died: None,
            looked_after: false,
            adoption: None,
            open_beyond_contact: false,
            last_activity: d("2020-05-01"),
        }
    }

    #[test]
    fn the_rule_keeping_the_record_longest_decides() {
        let cfg = RetentionConfig::default();
        let la = |f: RetentionFacts| RetentionFacts {
            looked_after: true,
            ..f
        };
        let open = |f: RetentionFacts| RetentionFacts {
            open_beyond_contact: true,
            ..f
        };
        #[rustfmt::skip]
        let cases: Vec<(&str, RetentionFacts, RetentionCategory, &str, &str)> = vec![
            ("looked after: 75th birthday", la(facts("2008-03-14")), RetentionCategory::LookedAfter, "2083-03-14", "2082-09-14"),
            ("leap-day birth: 28 Feb", la(facts("2008-02-29")), RetentionCategory::LookedAfter, "2083-02-28", "2082-08-28"),
            ("looked after, died at 10: 15 years from death",
                RetentionFacts { died: Some(d("2018-06-01")), ..la(facts("2008-03-14")) },
                RetentionCategory::LookedAfter, "2033-06-01", "2032-12-01"),
            ("looked after, died at 30: 75th birthday",
                RetentionFacts { died: Some(d("2038-06-01")), ..la(facts("2008-03-14")) },
                RetentionCategory::LookedAfter, "2083-03-14", "2082-09-14"),
            ("adoption: 100 years from the order",
                RetentionFacts { adoption: Some(d("2012-07-02")), ..la(facts("2010-01-01")) },
                RetentionCategory::Adoption, "2112-07-02", "2112-01-02"),
            ("child in need: 25th birthday", open(facts("2001-09-30")), RetentionCategory::SocialWork, "2026-09-30", "2026-03-30"),
            ("contact only: 6 years after last activity", facts("2001-09-30"), RetentionCategory::ContactOnly, "2026-05-01", "2025-11-01"),
            ("recent activity does not extend a child in need record",
                RetentionFacts { last_activity: d("2024-01-10"), ..open(facts("2001-09-30")) },
                RetentionCategory::SocialWork, "2026-09-30", "2026-03-30"),
            ("looked after and in need: the 75th birthday wins",
                open(la(facts("2001-09-30"))), RetentionCategory::LookedAfter, "2076-09-30", "2076-03-30"),
        ];
        for (name, f, cat, until, review) in cases {
            let r = retention(&f, &cfg);
            assert_eq!(
                (r.category, r.retain_until, r.review_on),
                (cat, d(until), d(review)),
                "{name}"
            );
            assert!(!r.reason.is_empty(), "{name}");
        }
    }

    #[test]
    fn the_local_age_and_lead_time_are_configurable() {
        let cfg = RetentionConfig {
            local_age_years: 26,
            contact_only_years: 6,
            review_lead_months: 0,
        };
        let f = RetentionFacts {
            open_beyond_contact: true,
            ..facts("2001-09-30")
        };
        let r = retention(&f, &cfg);
        assert_eq!(
            (r.retain_until, r.review_on),
            (d("2027-09-30"), d("2027-09-30"))
        );
        assert!(r.reason.contains("26th birthday"), "{}", r.reason);
        assert!(RetentionConfig::default().problems().is_empty());
        assert_eq!(
            RetentionConfig {
                local_age_years: 5,
                ..Default::default()
            }
            .problems()
            .len(),
            1
        );
    }

    #[test]
    fn ordinals() {
        for (n, s) in [
            (21, "21st"),
            (22, "22nd"),
            (23, "23rd"),
            (25, "25th"),
            (11, "11th"),
            (12, "12th"),
            (13, "13th"),
            (101, "101st"),
        ] {
            assert_eq!(ordinal(n), s);
        }
    }

    #[test]
    fn review_status_follows_the_latest_decision() {
        let r = Retention {
            category: RetentionCategory::SocialWork,
            retain_until: d("2026-09-30"),
            review_on: d("2026-03-30"),
            reason: String::new(),
        };
        let keep = ReviewOutcome::Keep {
            until: d("2030-01-01"),
            hold: HoldReason::InquiryHold,
        };
        #[rustfmt::skip]
        let cases: Vec<(Option<&ReviewOutcome>, &str, ReviewStatus)> = vec![
            (None, "2026-03-29", ReviewStatus::NotDue),
            (None, "2026-03-30", ReviewStatus::Due),
            (Some(&keep), "2027-01-01", ReviewStatus::Held(d("2030-01-01"))),
            (Some(&keep), "2030-01-01", ReviewStatus::Held(d("2030-01-01"))),
            (Some(&keep), "2030-01-02", ReviewStatus::Due),
            (Some(&ReviewOutcome::Destroy), "2027-01-01", ReviewStatus::ApprovedForDestruction),
        ];
        for (latest, today, want) in cases {
            assert_eq!(review_status(&r, latest, d(today)), want, "{today}");
        }
        assert!(!ReviewStatus::NotDue.listed());
        assert!(ReviewStatus::Due.listed());
    }

    #[test]
    fn review_decisions_are_checked() {
        let r = Retention {
            category: RetentionCategory::SocialWork,
            retain_until: d("2026-09-30"),
            review_on: d("2026-03-30"),
            reason: String::new(),
        };
        let keep = |u: &str| ReviewOutcome::Keep {
            until: d(u),
            hold: HoldReason::Litigation,
        };
        #[rustfmt::skip]
        let cases: Vec<(ReviewOutcome, &str, &str, Vec<&str>)> = vec![
            (keep("2028-01-01"), "Claim issued", "2026-04-01", vec![]),
            (keep("2026-04-01"), "Claim issued", "2026-04-01", vec!["until_day"]),
            (keep("2028-01-01"), " ", "2026-04-01", vec!["note"]),
            (ReviewOutcome::Destroy, "No holds", "2026-09-30", vec!["decision"]),
            (ReviewOutcome::Destroy, "No holds", "2026-10-01", vec![]),
            (ReviewOutcome::Destroy, "", "2026-10-01", vec!["note"]),
        ];
        for (o, note, today, want) in cases {
            let got: Vec<&str> = check_review(&r, &o, note, d(today))
                .into_iter()
                .map(|e| e.0)
                .collect();
            assert_eq!(got, want, "{o:?} {today}");
        }
    }

    #[test]
    fn subject_access_is_due_a_calendar_month_after_receipt() {
        #[rustfmt::skip]
        let cases = [
            ("2026-09-03", false, "2026-10-03"),
            ("2026-01-31", false, "2026-02-28"),
            ("2028-01-31", false, "2028-02-29"),
            ("2026-12-15", false, "2027-01-15"),
            ("2026-09-03", true, "2026-12-03"),
            ("2026-11-30", true, "2027-02-28"),
        ];
        for (rec, ext, due) in cases {
            assert_eq!(sar_due(d(rec), ext), d(due), "{rec} {ext}");
        }
    }

    #[test]
    fn item_decisions_are_checked() {
        use Exemption::*;
        use ItemDecision::*;
        #[rustfmt::skip]
        type Case<'a> = (Option<ItemDecision>, Option<Exemption>, &'a str, Vec<&'a str>);
        let cases: Vec<Case> = vec![
            (None, None, "", vec!["decision"]),
            (Some(Release), None, "", vec![]),
            (Some(Release), Some(ThirdParty), "", vec!["exemption"]),
            (Some(Withhold), None, "", vec!["exemption"]),
            (Some(Withhold), Some(SeriousHarm), "", vec![]),
            (Some(Redact), Some(ThirdParty), "Seen by [redacted]", vec![]),
            (
                Some(Redact),
                Some(ThirdParty),
                "Seen by Dean Hart",
                vec!["redacted"],
            ),
            (Some(Redact), Some(ThirdParty), "  ", vec!["redacted"]),
            (Some(Redact), None, "Seen by [redacted]", vec!["exemption"]),
        ];
        for (dec, ex, red, want) in cases {
            let got: Vec<&str> = check_item_decision(dec, ex, "Seen by Dean Hart", red)
                .into_iter()
                .map(|e| e.0)
                .collect();
            assert_eq!(got, want, "{dec:?} {ex:?} {red:?}");
        }
        // Browsers send a textarea's lines with CRLF: an unedited copy of a
        // multi-line item is still the original.
        let two = "Carer: Lou Hume\nPhone 07700 900123";
        for red in [
            "Carer: Lou Hume\r\nPhone 07700 900123",
            "Carer: Lou Hume\rPhone 07700 900123\r\n",
        ] {
            let got: Vec<&str> = check_item_decision(Some(Redact), Some(ThirdParty), two, red)
                .into_iter()
                .map(|e| e.0)
                .collect();
            assert_eq!(got, vec!["redacted"], "{red:?}");
        }
        assert!(
            check_item_decision(
                Some(Redact),
                Some(ThirdParty),
                two,
                "Carer: [redacted]\r\nPhone [redacted]"
            )
            .is_empty()
        );
        assert_eq!(normalise_lines("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(released_text(Some(Release), "a", "b"), Some("a"));
        assert_eq!(released_text(Some(Redact), "a", "b"), Some("b"));
        assert_eq!(released_text(Some(Withhold), "a", "b"), None);
        assert_eq!(released_text(None, "a", "b"), None);
    }

    #[test]
    fn names_are_found_as_whole_words() {
        let names: Vec<String> = ["Dean Hart", "Jo", "Kim", "Tracey O'Neil"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        #[rustfmt::skip]
        let cases: Vec<(&str, Vec<&str>)> = vec![
            ("Seen with dean  hart at the park", vec!["Dean Hart"]),
            ("Kimberley was there", vec![]),
            ("Kim and Tracey O'Neil visited", vec!["Kim", "Tracey O'Neil"]),
            ("Jo rang", vec![]),
            ("Nobody else", vec![]),
        ];
        for (text, want) in cases {
            assert_eq!(names_mentioned(text, &names), want, "{text}");
        }
    }
}
