//! Reports and statutory lists: the reporting period and its months, the
//! CIN census assessment factors derived from what practitioners recorded,
//! the Ofsted Annex A list headings and cell codings, caseload bands and
//! supervision write-up timeliness for the dashboards. All pure.
//!
//! Sources (`domain-reference.md`): §10.2 Ofsted Annex A (lists 1-11; the
//! List 8 missing and return-interview columns; lookback 6 months, 12 for
//! the List 8 missing counts), §10.3 CIN census, §3 (the assessment factor
//! codes), §1 (case supervision write-up within N working days), §9
//! (caseloads). The Annex A column headings are Ofsted's, as transcribed in
//! the Annex A template (2023 edition).

use crate::codes::Sex;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// A dashboard or Annex A lookback: 6 or 12 months (§1: Annex A lookback 6
/// months, 12 for lists 10-11 and the List 8 missing counts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lookback(u32);

impl Lookback {
    /// Six months.
    pub const SIX: Lookback = Lookback(6);
    /// Twelve months.
    pub const TWELVE: Lookback = Lookback(12);
    /// Read "6" or "12"; anything else is refused.
    pub fn parse(s: &str) -> Option<Lookback> {
        match s.trim() {
            "6" => Some(Self::SIX),
            "12" => Some(Self::TWELVE),
            _ => None,
        }
    }
    /// Number of months.
    pub fn months(self) -> u32 {
        self.0
    }
    /// The first day of the lookback: the same day `months` months before
    /// `today` (clamped to the month's end), so a 6-month lookback on
    /// 31 August starts on 28 or 29 February.
    pub fn start(self, today: NaiveDate) -> NaiveDate {
        today
            .checked_sub_months(chrono::Months::new(self.0))
            .unwrap_or(today)
    }
}

/// The calendar months a dashboard shows: the `months` months ending with
/// the month of `today`, oldest first, each as (first day, first day of the
/// next month).
pub fn calendar_months(today: NaiveDate, months: u32) -> Vec<(NaiveDate, NaiveDate)> {
    let this = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    (0..months)
        .rev()
        .map(|back| {
            let start = this
                .checked_sub_months(chrono::Months::new(back))
                .unwrap_or(this);
            let end = start
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(start);
            (start, end)
        })
        .collect()
}

/// "Nov 2026".
pub fn month_label(first: NaiveDate) -> String {
    first.format("%b %Y").to_string()
}

/// The CIN census assessment factor codes and their meanings (§3 table;
/// DfE CIN census guide). 18A and 19A are retired and absent; 21 ("no
/// factors identified") must be the sole code.
pub const CIN_FACTORS: &[(&str, &str)] = &[
    ("1A", "Alcohol misuse: concerns about the child"),
    ("1B", "Alcohol misuse: concerns about the parent or carer"),
    ("1C", "Alcohol misuse: concerns about another person"),
    ("2A", "Drug misuse: concerns about the child"),
    ("2B", "Drug misuse: concerns about the parent or carer"),
    ("2C", "Drug misuse: concerns about another person"),
    ("3A", "Domestic abuse: concerns about the child"),
    ("3B", "Domestic abuse: concerns about the parent or carer"),
    ("3C", "Domestic abuse: concerns about another person"),
    ("4A", "Mental health: concerns about the child"),
    ("4B", "Mental health: concerns about the parent or carer"),
    ("4C", "Mental health: concerns about another person"),
    ("5A", "Learning disability: concerns about the child"),
    (
        "5B",
        "Learning disability: concerns about the parent or carer",
    ),
    ("5C", "Learning disability: concerns about another person"),
    (
        "6A",
        "Physical disability or illness: concerns about the child",
    ),
    (
        "6B",
        "Physical disability or illness: concerns about the parent or carer",
    ),
    (
        "6C",
        "Physical disability or illness: concerns about another person",
    ),
    ("7A", "Young carer"),
    (
        "8B",
        "Private fostering: overseas child who intends to return",
    ),
    (
        "8C",
        "Private fostering: overseas child who intends to stay",
    ),
    ("8D", "Private fostering: UK child in education or training"),
    ("8E", "Private fostering: UK child, parents cannot care"),
    ("8F", "Private fostering: other"),
    ("9A", "Unaccompanied asylum-seeking child"),
    ("10A", "Going or being missing"),
    ("11A", "Child sexual exploitation"),
    ("12A", "Trafficking"),
    ("13A", "Gangs"),
    ("14A", "Socially unacceptable behaviour"),
    ("15A", "Self-harm"),
    ("16A", "Neglect"),
    ("17A", "Emotional abuse"),
    ("18B", "Physical abuse: child on child"),
    ("18C", "Physical abuse: adult on child"),
    ("19B", "Sexual abuse: child on child"),
    ("19C", "Sexual abuse: adult on child"),
    ("20", "Other"),
    ("21", "No factors identified"),
    ("22A", "Female genital mutilation"),
    ("23A", "Abuse linked to faith or belief"),
    ("24A", "Child criminal exploitation"),
];

/// The meaning of an assessment factor code.
pub fn cin_factor_label(code: &str) -> Option<&'static str> {
    CIN_FACTORS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
}

/// A factor derived for a child, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerivedFactor {
    /// The DfE code, e.g. `11A`.
    pub code: String,
    /// Its meaning.
    pub label: &'static str,
    /// Where it came from, in plain words ("latest exploitation screening",
    /// "3 missing or away episodes").
    pub sources: Vec<String>,
}

/// What the record holds that points to assessment factors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FactorFacts {
    /// Factors the latest exploitation screening points to
    /// ([`crate::screening::cin_factors`]: category factors 11A CSE, 24A CCE,
    /// 13A gangs, 12A trafficking and indicator factors such as 10A, 2A,
    /// 15A, 9A).
    pub screening: Vec<String>,
    /// Missing or away episodes in the period.
    pub missing_episodes: usize,
}

/// **CIN census assessment factors** (§3 table; §10.3
/// `FactorsIdentifiedAtAssessment`) derived from the record: every factor
/// the latest exploitation screening points to, and **10A** (going or being
/// missing) when the child had any missing or away episode in the period.
/// Unknown codes are dropped; the result is sorted by number then suffix
/// and has no repeats. Code 21 ("no factors") is never derived: an empty
/// result means Harbour holds nothing that points to a factor, not that the
/// assessment found none. Factors belong to completed assessments, so these
/// are what the record supports for the social worker to confirm.
pub fn assessment_factors(f: &FactorFacts) -> Vec<DerivedFactor> {
    let mut out: Vec<DerivedFactor> = Vec::new();
    let mut add = |code: &str, source: String| {
        let Some(label) = cin_factor_label(code) else {
            return;
        };
        if code == "21" {
            return;
        }
        match out.iter_mut().find(|d| d.code == code) {
            Some(d) => {
                if !d.sources.contains(&source) {
                    d.sources.push(source)
                }
            }
            None => out.push(DerivedFactor {
                code: code.to_string(),
                label,
                sources: vec![source],
            }),
        }
    };
    for c in &f.screening {
        add(c, "latest exploitation screening".into());
    }
    if f.missing_episodes > 0 {
        let n = f.missing_episodes;
        add(
            "10A",
            format!(
                "{n} missing or away episode{}",
                if n == 1 { "" } else { "s" }
            ),
        );
    }
    out.sort_by_key(|d| factor_order(&d.code));
    out
}

fn factor_order(code: &str) -> (u32, String) {
    let n: String = code.chars().take_while(|c| c.is_ascii_digit()).collect();
    (n.parse().unwrap_or(u32::MAX), code.to_string())
}

/// Caseload bands for the distribution chart, as (label, lowest, highest).
/// The last band is open. 25 children is the level the statistics page
/// marks red (§9: Stoke-on-Trent was told 30 complex cases is "not
/// sustainable"; many authorities aim for 18-22).
pub const CASELOAD_BANDS: &[(&str, i64, i64)] = &[
    ("0 to 5", 0, 5),
    ("6 to 10", 6, 10),
    ("11 to 15", 11, 15),
    ("16 to 20", 16, 20),
    ("21 to 25", 21, 25),
    ("26 or more", 26, i64::MAX),
];

/// The index into [`CASELOAD_BANDS`] for a worker holding `children`.
pub fn caseload_band(children: i64) -> usize {
    CASELOAD_BANDS
        .iter()
        .position(|(_, lo, hi)| children >= *lo && children <= *hi)
        .unwrap_or(0)
}

/// Whether a supervision session was written up in time (§1 case
/// supervision: write-up within N working days; the deadline is
/// [`crate::supervision::recording_due`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteUp {
    /// Signed off on or before the deadline.
    OnTime,
    /// Signed off after the deadline.
    Late,
    /// Not signed off and the deadline has passed.
    Overdue,
    /// Not signed off, still within the deadline.
    Pending,
}

/// Classify one session's write-up on `today`.
pub fn write_up(due: NaiveDate, signed_off: Option<DateTime<Utc>>, today: NaiveDate) -> WriteUp {
    match signed_off {
        Some(at) if at.date_naive() <= due => WriteUp::OnTime,
        Some(_) => WriteUp::Late,
        None if today > due => WriteUp::Overdue,
        None => WriteUp::Pending,
    }
}

/// Annex A date cells: `DD/MM/YYYY`.
pub fn annex_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

/// The Annex A gender cell (`a) Male`, `b) Female`, `c) Not
/// stated/recorded`).
pub fn annex_gender(s: Sex) -> &'static str {
    match s {
        Sex::M => "a) Male",
        Sex::F => "b) Female",
        Sex::U => "c) Not stated/recorded",
    }
}

/// An Annex A yes/no/unknown cell (§10.2: `a) Yes` / `b) No` / `c) Unknown`).
pub fn annex_yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "a) Yes",
        Some(false) => "b) No",
        None => "c) Unknown",
    }
}

/// What is known about the return interview after a child's last missing
/// episode, for the two List 8 columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LastInterview {
    /// No missing episode in the lookback: both cells blank.
    NoEpisode,
    /// The child has not yet returned, or the interview is still waiting
    /// for an outcome.
    Waiting,
    /// An outcome is recorded: offered (an offer time) and accepted (held).
    Recorded {
        /// An offer was made.
        offered: bool,
        /// The interview was held.
        held: bool,
    },
}

/// The List 8 cells "Was the child offered a Return Interview after their
/// last missing episode" and "Did the child accept ..." (§10.2). Offered is
/// `a) Yes` when an offer time is recorded, `b) No` when the outcome was
/// recorded without one; accepted is `a) Yes` when the interview was held,
/// `b) No` when it was declined or not held, and `c) Unknown` while no
/// offer was made or no outcome is known.
pub fn annex_interview_cells(i: LastInterview) -> (&'static str, &'static str) {
    match i {
        LastInterview::NoEpisode => ("", ""),
        LastInterview::Waiting => (annex_yes_no(None), annex_yes_no(None)),
        LastInterview::Recorded { offered, held } => (
            annex_yes_no(Some(offered)),
            if offered || held {
                annex_yes_no(Some(held))
            } else {
                annex_yes_no(None)
            },
        ),
    }
}

/// The Annex A lists Harbour fills. Lists 2 (early help), 4 (assessments),
/// 5 (section 47), 9 (care leavers), 10 (adoption) and 11 (adopters) need
/// records Harbour does not keep (early help, assessments, enquiries,
/// pathway plans, adoption) and are not produced rather than produced
/// empty. Lists 1 and 3 cover only the contacts Harbour records: contacts
/// from schools (consultations and referrals) and out-of-hours contacts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnnexList {
    /// List 1: contacts.
    List1,
    /// List 3: referrals.
    List3,
    /// List 6: children in need (including those on a plan or looked after).
    List6,
    /// List 7: children subject to a child protection plan.
    List7,
    /// List 8: children looked after.
    List8,
}

impl AnnexList {
    /// Every list produced.
    pub const ALL: [AnnexList; 5] = [
        Self::List1,
        Self::List3,
        Self::List6,
        Self::List7,
        Self::List8,
    ];
    /// "1", "3", "6", "7", "8".
    pub fn number(self) -> &'static str {
        match self {
            Self::List1 => "1",
            Self::List3 => "3",
            Self::List6 => "6",
            Self::List7 => "7",
            Self::List8 => "8",
        }
    }
    /// Parse a list number Harbour produces.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.number() == s)
    }
    /// The sheet and file name, e.g. "List 8".
    pub fn sheet(self) -> String {
        format!("List {}", self.number())
    }
    /// What the list is.
    pub fn title(self) -> &'static str {
        match self {
            Self::List1 => "Contacts (from schools and out of hours)",
            Self::List3 => "Referrals (from schools)",
            Self::List6 => "Children in need",
            Self::List7 => "Children subject to a child protection plan",
            Self::List8 => "Children looked after",
        }
    }
    /// What the list covers when Harbour holds only part of what Ofsted
    /// asks for, for the notes.
    pub fn coverage(self) -> Option<&'static str> {
        match self {
            Self::List1 => Some(
                "List 1 holds the contacts Harbour records about a known child: contacts from schools (consultations and referrals) and out-of-hours contacts. Contacts taken by other routes, and school contacts not linked to a child's record, are not on it.",
            ),
            Self::List3 => Some(
                "List 3 holds referrals from schools about a known child. 'Referral NFA?' is 'b) No' when the front door accepted the referral or passed it to the child's allocated worker; the number of referrals counts the child's referrals from schools in the 12 months up to and including each one.",
            ),
            _ => None,
        }
    }
    /// The Ofsted column headings, in order.
    pub fn headings(self) -> &'static [&'static str] {
        match self {
            Self::List1 => LIST_1,
            Self::List3 => LIST_3,
            Self::List6 => LIST_6,
            Self::List7 => LIST_7,
            Self::List8 => LIST_8,
        }
    }
    /// Headings Harbour leaves blank because it does not record them.
    pub fn blank(self) -> &'static [&'static str] {
        match self {
            Self::List1 => &[],
            Self::List3 => &["Does the Child have a Disability"],
            Self::List6 => &[
                "Does the Child have a Disability",
                "Primary Need Code",
                "Reason for Closure",
            ],
            Self::List7 => &[
                "Does the Child have a Disability",
                "Initial Category of Abuse",
                "Latest Category of Abuse",
                "Was the Child Seen Alone?",
                "Date of latest review conference",
                "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
            ],
            Self::List8 => &[
                "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
                "Does the Child have a Disability",
                "Child's Category of Need",
                "Child's Legal Status",
                "Date of Latest Statutory Review",
                "What is the permanence plan for this child?",
                "Date of Last IRO Visit / Contact to the Child",
                "Date of Last Health Assessment",
                "Date of Last Dental Check",
                "Reason Ceased to be Looked After",
                "URN of Placement",
            ],
        }
    }
}

const COMMON: [&str; 5] = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
];

/// List 1 (contacts) headings.
pub const LIST_1: &[&str] = &[
    COMMON[0],
    COMMON[1],
    COMMON[2],
    COMMON[3],
    COMMON[4],
    "Date of Contact",
    "Contact Source",
];

/// List 3 (referrals) headings.
pub const LIST_3: &[&str] = &[
    COMMON[0],
    COMMON[1],
    COMMON[2],
    COMMON[3],
    COMMON[4],
    "Does the Child have a Disability",
    "Date of Referral",
    "Referral Source",
    "Referral NFA?",
    "Number of Referrals in Last 12 Months",
    "Allocated Team",
    "Allocated Worker",
];

/// Annex A contact or referral source for a contact from a school: the CIN
/// census referral source code `2A` ("Schools"; §10.3 `ReferralSource`,
/// which Annex A lists 1 and 3 use for "Contact Source" and "Referral
/// Source").
pub const SOURCE_SCHOOL: &str = "2A) Schools";

/// The Annex A "Contact Source" of an out-of-hours contact, from the
/// caller's agency or relationship to the child as recorded (free text),
/// coded with the CIN census referral sources (§10.3 `ReferralSource`;
/// Annex A lists 1 and 3 use the same codes): police → `6` Police; a
/// hospital, ambulance or A&E → `3E` A&E; a GP → `3A` GP; another health
/// service → `3F` Other health; a school → `2A` Schools; housing → `4`
/// Housing; a parent, family member or carer (including a foster carer)
/// → `1B` Individual: family member/relative/carer; the child themself →
/// `1A` Individual: self; a children's home or another council's social
/// care → `5C` LA services: external; anonymous → `9`; nothing recorded →
/// `10` Unknown; anything else → `8` Other. The first match in that order
/// wins, so "police surgeon at hospital" is Police.
pub fn ooh_contact_source(agency: &str) -> &'static str {
    let a = agency.trim().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| a.contains(w));
    if a.is_empty() {
        "10) Unknown"
    } else if has(&["police", "constabulary"]) {
        "6) Police"
    } else if has(&["hospital", "ambulance", "a&e", "emergency department"]) {
        "3E) Health services: A&E"
    } else if a == "gp" || has(&["gp ", "general practi", "doctor"]) {
        "3A) Health services: GP"
    } else if has(&["health", "nurse", "nhs", "camhs", "midwife"]) {
        "3F) Health services: Other"
    } else if has(&["school", "college", "academy"]) {
        SOURCE_SCHOOL
    } else if has(&["housing"]) {
        "4) Housing"
    } else if has(&[
        "parent", "mother", "father", "mum", "dad", "family", "relative", "carer", "grand", "aunt",
        "uncle", "sibling",
    ]) {
        "1B) Individual: Family member/relative/carer"
    } else if has(&["self", "young person", "the child"]) {
        "1A) Individual: Self"
    } else if has(&[
        "children's home",
        "childrens home",
        "social care",
        "council",
    ]) {
        "5C) LA services: External"
    } else if has(&["anonymous"]) {
        "9) Anonymous"
    } else {
        "8) Other"
    }
}

/// List 3 "Referral NFA?": `b) No` when the referral led to social-care
/// work (accepted as a case, or passed to the worker of a child already
/// open), `a) Yes` when it ended at the front door with advice, no further
/// action or a step down to early help (§10.3 `ReferralNFA`: a referral
/// that ends with no further social-care action).
pub fn referral_nfa(outcome: crate::schools::ContactOutcome) -> &'static str {
    use crate::schools::ContactOutcome as O;
    match outcome {
        O::ReferralAccepted | O::AlreadyOpen => annex_yes_no(Some(false)),
        O::AdviceGiven | O::NoFurtherAction | O::EarlyHelp => annex_yes_no(Some(true)),
    }
}

/// List 3 "Number of Referrals in Last 12 Months": the child's referrals
/// dated in the 12 months up to and including `on` (from the same day a
/// year before), counting the one on `on`. 2 or more means a re-referral
/// within 12 months (the DfE re-referral measure).
pub fn referrals_in_year(dates: &[NaiveDate], on: NaiveDate) -> usize {
    let from = Lookback::TWELVE.start(on);
    dates.iter().filter(|d| **d >= from && **d <= on).count()
}

/// List 6 headings.
pub const LIST_6: &[&str] = &[
    COMMON[0],
    COMMON[1],
    COMMON[2],
    COMMON[3],
    COMMON[4],
    "Does the Child have a Disability",
    "CIN Start Date",
    "Primary Need Code",
    "Date Child Was Last Seen",
    "CIN Closure Date",
    "Reason for Closure",
    "Case Status",
    "Allocated Team",
    "Allocated Worker",
];

/// List 7 headings.
pub const LIST_7: &[&str] = &[
    COMMON[0],
    COMMON[1],
    COMMON[2],
    COMMON[3],
    COMMON[4],
    "Does the Child have a Disability",
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
];

/// List 8 headings.
pub const LIST_8: &[&str] = &[
    COMMON[0],
    COMMON[1],
    COMMON[2],
    COMMON[3],
    COMMON[4],
    "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
    "Does the Child have a Disability",
    "Date Started to be Looked After",
    "Child's Category of Need",
    "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
    "Start date of current legal status",
    "Child's Legal Status",
    "Date of Latest Statutory Review",
    "Date of Last Social Work Visit",
    "What is the permanence plan for this child?",
    "Date of Last IRO Visit / Contact to the Child",
    "Date of Last Health Assessment",
    "Date of Last Dental Check",
    "Number of Placements in the Last 12 months",
    "Date Ceased to be Looked After",
    "Reason Ceased to be Looked After",
    "Start Date of Most Recent Placement",
    "Placement Type",
    "Placement Provider",
    "Placement postcode",
    "URN of Placement",
    "Placement Location",
    "LA of Placement",
    "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
    "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
    "Was the child offered a Return Interview after their last missing episode (Y/N)?",
    "Did the child accept a Return Interview after their last missing episode (Y/N)?",
    "Allocated Team",
    "Allocated Worker",
];

/// One period under a legal status, for the Annex A rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusPeriod {
    /// Start.
    pub start: NaiveDate,
    /// End, if ended.
    pub end: Option<NaiveDate>,
}

impl StatusPeriod {
    /// Whether the period touches `[from, to]`.
    pub fn overlaps(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.start <= to && self.end.is_none_or(|e| e >= from)
    }
}

/// Join periods that touch or overlap (a change of legal status on the same
/// day continues the period: SSDA903 episodes join when one ends the day the
/// next starts) and return them in date order.
pub fn continuous_periods(mut ps: Vec<StatusPeriod>) -> Vec<StatusPeriod> {
    ps.sort_by_key(|p| p.start);
    let mut out: Vec<StatusPeriod> = Vec::new();
    for p in ps {
        match out.last_mut() {
            Some(last) if last.end.is_none_or(|e| p.start <= e) => {
                last.end = match (last.end, p.end) {
                    (None, _) | (_, None) => None,
                    (Some(a), Some(b)) => Some(a.max(b)),
                };
            }
            _ => out.push(p),
        }
    }
    out
}

/// List 8: "Is this a second or subsequent period of being a Looked After
/// Child within the last 12 months": the latest continuous period of care
/// touching the list's window is not the first to touch the 12 months
/// before `today`.
pub fn second_period_in_year(periods: &[StatusPeriod], today: NaiveDate) -> bool {
    let from = Lookback::TWELVE.start(today);
    continuous_periods(periods.to_vec())
        .iter()
        .filter(|p| p.overlaps(from, today))
        .count()
        > 1
}

/// List 6 "Case Status" (`a) Looked after child`, `b) Child Protection
/// plan`, `c) Child in need plan`, `e) Closed episode`), from which kinds
/// are open today: looked after wins over a plan, a plan over child in
/// need.
pub fn case_status(cla_open: bool, cp_open: bool, cin_open: bool) -> &'static str {
    if cla_open {
        "a) Looked after child"
    } else if cp_open {
        "b) Child Protection plan"
    } else if cin_open {
        "c) Child in need plan"
    } else {
        "e) Closed episode"
    }
}

/// A cell written as RFC 4180 CSV, quoted when needed. Cells starting with
/// `=`, `+`, `-` or `@` get a leading apostrophe so a spreadsheet does not
/// run them as formulas (OWASP CSV injection).
pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Rows as CSV text (CRLF line ends, as RFC 4180).
pub fn csv(headings: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let line = |cells: &mut dyn Iterator<Item = String>| {
        cells.map(|c| csv_cell(&c)).collect::<Vec<_>>().join(",") + "\r\n"
    };
    out.push_str(&line(&mut headings.iter().map(|h| h.to_string())));
    for r in rows {
        out.push_str(&line(&mut r.iter().cloned()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn lookback_parse_and_start() {
        for (s, want) in [
            ("6", Some(6)),
            ("12", Some(12)),
            (" 12 ", Some(12)),
            ("3", None),
            ("", None),
            ("twelve", None),
        ] {
            assert_eq!(Lookback::parse(s).map(|l| l.months()), want, "{s:?}");
        }
        for (today, months, want) in [
            ("2026-11-26", 6, "2026-05-26"),
            ("2026-11-26", 12, "2025-11-26"),
            ("2026-08-31", 6, "2026-02-28"),
            ("2028-08-31", 6, "2028-02-29"),
        ] {
            let l = Lookback::parse(&months.to_string()).unwrap();
            assert_eq!(l.start(d(today)), d(want), "{today} {months}");
        }
    }

    #[test]
    fn months_end_with_this_month() {
        let m = calendar_months(d("2026-02-14"), 3);
        assert_eq!(
            m,
            vec![
                (d("2025-12-01"), d("2026-01-01")),
                (d("2026-01-01"), d("2026-02-01")),
                (d("2026-02-01"), d("2026-03-01")),
            ]
        );
        assert_eq!(month_label(m[0].0), "Dec 2025");
        assert_eq!(calendar_months(d("2026-02-14"), 12).len(), 12);
    }

    #[test]
    fn factor_codes_follow_the_reference() {
        for (code, want) in [
            ("10A", "Going or being missing"),
            ("11A", "Child sexual exploitation"),
            ("12A", "Trafficking"),
            ("13A", "Gangs"),
            ("24A", "Child criminal exploitation"),
            ("9A", "Unaccompanied asylum-seeking child"),
            ("22A", "Female genital mutilation"),
        ] {
            assert_eq!(cin_factor_label(code), Some(want), "{code}");
        }
        // Retired codes are not offered.
        assert_eq!(cin_factor_label("18A"), None);
        assert_eq!(cin_factor_label("19A"), None);
        let mut seen = std::collections::HashSet::new();
        assert!(CIN_FACTORS.iter().all(|(c, _)| seen.insert(*c)));
    }

    #[test]
    fn assessment_factors_table() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let codes = |f: &FactorFacts| {
            assessment_factors(f)
                .into_iter()
                .map(|x| x.code)
                .collect::<Vec<_>>()
        };
        let cases: &[(&str, FactorFacts, &[&str])] = &[
            ("nothing recorded", FactorFacts::default(), &[]),
            (
                "missing only",
                FactorFacts {
                    screening: vec![],
                    missing_episodes: 2,
                },
                &["10A"],
            ),
            (
                "CSE and CCE from a screening, sorted by number",
                FactorFacts {
                    screening: s(&["24A", "11A"]),
                    missing_episodes: 0,
                },
                &["11A", "24A"],
            ),
            (
                "10A from both sources appears once",
                FactorFacts {
                    screening: s(&["10A", "13A", "2A"]),
                    missing_episodes: 1,
                },
                &["2A", "10A", "13A"],
            ),
            (
                "unknown and retired codes dropped; 21 never derived",
                FactorFacts {
                    screening: s(&["99Z", "18A", "21", "12A"]),
                    missing_episodes: 0,
                },
                &["12A"],
            ),
        ];
        for (why, f, want) in cases {
            assert_eq!(codes(f), want.to_vec(), "{why}");
        }
        let both = assessment_factors(&FactorFacts {
            screening: s(&["10A"]),
            missing_episodes: 3,
        });
        assert_eq!(
            both[0].sources,
            vec![
                "latest exploitation screening".to_string(),
                "3 missing or away episodes".to_string()
            ]
        );
        let one = assessment_factors(&FactorFacts {
            screening: vec![],
            missing_episodes: 1,
        });
        assert_eq!(
            one[0].sources,
            vec!["1 missing or away episode".to_string()]
        );
    }

    #[test]
    fn caseload_bands_table() {
        for (n, want) in [
            (0, "0 to 5"),
            (5, "0 to 5"),
            (6, "6 to 10"),
            (20, "16 to 20"),
            (25, "21 to 25"),
            (26, "26 or more"),
            (60, "26 or more"),
        ] {
            assert_eq!(CASELOAD_BANDS[caseload_band(n)].0, want, "{n}");
        }
    }

    #[test]
    fn write_up_table() {
        let at = |s: &str| -> DateTime<Utc> { s.parse().unwrap() };
        let due = d("2026-11-10");
        for (signed, today, want) in [
            (
                Some(at("2026-11-10T23:00:00Z")),
                "2026-11-20",
                WriteUp::OnTime,
            ),
            (
                Some(at("2026-11-03T09:00:00Z")),
                "2026-11-20",
                WriteUp::OnTime,
            ),
            (
                Some(at("2026-11-11T00:00:00Z")),
                "2026-11-20",
                WriteUp::Late,
            ),
            (None, "2026-11-10", WriteUp::Pending),
            (None, "2026-11-11", WriteUp::Overdue),
        ] {
            assert_eq!(write_up(due, signed, d(today)), want, "{signed:?} {today}");
        }
    }

    #[test]
    fn interview_cells_table() {
        use LastInterview::*;
        for (i, want) in [
            (NoEpisode, ("", "")),
            (Waiting, ("c) Unknown", "c) Unknown")),
            (
                Recorded {
                    offered: true,
                    held: true,
                },
                ("a) Yes", "a) Yes"),
            ),
            (
                Recorded {
                    offered: true,
                    held: false,
                },
                ("a) Yes", "b) No"),
            ),
            (
                Recorded {
                    offered: false,
                    held: false,
                },
                ("b) No", "c) Unknown"),
            ),
        ] {
            assert_eq!(annex_interview_cells(i), want, "{i:?}");
        }
    }

    #[test]
    fn periods_join_and_count() {
        let p = |s: &str, e: Option<&str>| StatusPeriod {
            start: d(s),
            end: e.map(d),
        };
        // Touching periods join; a gap starts a new period.
        let j = continuous_periods(vec![
            p("2026-06-01", None),
            p("2026-01-01", Some("2026-03-01")),
            p("2026-03-01", Some("2026-04-01")),
        ]);
        assert_eq!(
            j,
            vec![p("2026-01-01", Some("2026-04-01")), p("2026-06-01", None)]
        );
        let today = d("2026-11-26");
        assert!(second_period_in_year(
            &[p("2026-01-01", Some("2026-04-01")), p("2026-06-01", None)],
            today
        ));
        assert!(!second_period_in_year(
            &[p("2026-01-01", Some("2026-03-01")), p("2026-03-01", None)],
            today
        ));
        // An earlier period that ended over a year ago does not count.
        assert!(!second_period_in_year(
            &[p("2024-01-01", Some("2025-01-01")), p("2026-06-01", None)],
            today
        ));
        assert!(p("2026-01-01", Some("2026-03-01")).overlaps(d("2026-03-01"), today));
        assert!(!p("2026-01-01", Some("2026-02-28")).overlaps(d("2026-03-01"), today));
    }

    #[test]
    fn case_status_order() {
        assert_eq!(case_status(true, true, true), "a) Looked after child");
        assert_eq!(case_status(false, true, true), "b) Child Protection plan");
        assert_eq!(case_status(false, false, true), "c) Child in need plan");
        assert_eq!(case_status(false, false, false), "e) Closed episode");
    }

    #[test]
    fn csv_quoting_and_formula_guard() {
        for (cell, want) in [
            ("plain", "plain"),
            ("a, b", "\"a, b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("=SUM(A1)", "'=SUM(A1)"),
            ("-1", "'-1"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(cell), want, "{cell}");
        }
        assert_eq!(
            csv(&["A", "B"], &[vec!["1".into(), "x,y".into()]]),
            "A,B\r\n1,\"x,y\"\r\n"
        );
    }

    #[test]
    fn list_headings() {
        assert_eq!(LIST_8.len(), 34);
        assert_eq!(LIST_8[0], "Child Unique ID");
        for l in AnnexList::ALL {
            for b in l.blank() {
                assert!(l.headings().contains(b), "{l:?}: {b}");
            }
        }
        assert_eq!(AnnexList::parse("8"), Some(AnnexList::List8));
        assert_eq!(AnnexList::parse("1"), Some(AnnexList::List1));
        assert_eq!(AnnexList::parse("3"), Some(AnnexList::List3));
        assert_eq!(AnnexList::parse("2"), None);
        assert_eq!(AnnexList::parse("9"), None);
        assert_eq!(LIST_1.len(), 7);
        assert_eq!(LIST_3.len(), 12);
    }

    #[test]
    fn ooh_contact_source_table() {
        for (agency, want) in [
            ("Staffordshire Police control room", "6) Police"),
            ("police surgeon at hospital", "6) Police"),
            ("Royal Stoke Hospital", "3E) Health services: A&E"),
            ("Ambulance crew", "3E) Health services: A&E"),
            ("GP", "3A) Health services: GP"),
            ("Health", "3F) Health services: Other"),
            ("CAMHS crisis team", "3F) Health services: Other"),
            ("Head of the academy", "2A) Schools"),
            ("Housing officer", "4) Housing"),
            ("Carer", "1B) Individual: Family member/relative/carer"),
            (
                "Foster carer",
                "1B) Individual: Family member/relative/carer",
            ),
            ("Mother", "1B) Individual: Family member/relative/carer"),
            ("Young person", "1A) Individual: Self"),
            ("Children's home", "5C) LA services: External"),
            ("Anonymous caller", "9) Anonymous"),
            ("", "10) Unknown"),
            ("  ", "10) Unknown"),
            ("Taxi driver", "8) Other"),
        ] {
            assert_eq!(ooh_contact_source(agency), want, "{agency:?}");
        }
    }

    #[test]
    fn referral_nfa_table() {
        use crate::schools::ContactOutcome as O;
        for (o, want) in [
            (O::ReferralAccepted, "b) No"),
            (O::AlreadyOpen, "b) No"),
            (O::AdviceGiven, "a) Yes"),
            (O::NoFurtherAction, "a) Yes"),
            (O::EarlyHelp, "a) Yes"),
        ] {
            assert_eq!(referral_nfa(o), want, "{o:?}");
        }
        assert_eq!(O::ALL.len(), 5);
    }

    #[test]
    fn referrals_in_year_table() {
        let ds = |v: &[&str]| v.iter().map(|x| d(x)).collect::<Vec<_>>();
        for (dates, on, want) in [
            (ds(&["2026-11-01"]), "2026-11-01", 1),
            (ds(&["2025-11-01", "2026-11-01"]), "2026-11-01", 2),
            (ds(&["2025-10-31", "2026-11-01"]), "2026-11-01", 1),
            (
                ds(&["2026-03-01", "2026-06-01", "2026-11-01"]),
                "2026-06-01",
                2,
            ),
            (
                ds(&["2026-03-01", "2026-06-01", "2026-11-01"]),
                "2026-11-01",
                3,
            ),
            (ds(&["2026-12-01"]), "2026-11-01", 0),
            (ds(&["2024-02-29", "2025-02-28"]), "2025-02-28", 2),
        ] {
            assert_eq!(referrals_in_year(&dates, d(on)), want, "{dates:?} {on}");
        }
    }
}
