//! DfE code lists used across Harbour. Source: DfE, "Children looked after
//! return 2025 to 2026: guide" (SSDA903) and "Children in need census 2025 to
//! 2026: guide", code annexes. Labels are short forms of the DfE wording.

use serde::{Deserialize, Serialize};

/// Sex as the SSDA903 return records it from 2024-25: `M`, `F` or `U` (unknown / not stated).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    /// Male.
    M,
    /// Female.
    F,
    /// Unknown or not recorded.
    U,
}

impl Sex {
    /// Every value.
    pub const ALL: [Sex; 3] = [Sex::M, Sex::F, Sex::U];
    /// The code.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::M => "M",
            Sex::F => "F",
            Sex::U => "U",
        }
    }
    /// Label.
    pub fn label(self) -> &'static str {
        match self {
            Sex::M => "Male",
            Sex::F => "Female",
            Sex::U => "Not known",
        }
    }
    /// Parse the code.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// DfE ethnicity codes (CIN census and SSDA903), with their descriptions.
pub const ETHNICITY: &[(&str, &str)] = &[
    ("WBRI", "White British"),
    ("WIRI", "White Irish"),
    ("WIRT", "Traveller of Irish heritage"),
    ("WOTH", "Any other White background"),
    ("WROM", "Gypsy/Roma"),
    ("MWBC", "White and Black Caribbean"),
    ("MWBA", "White and Black African"),
    ("MWAS", "White and Asian"),
    ("MOTH", "Any other mixed background"),
    ("AIND", "Indian"),
    ("APKN", "Pakistani"),
    ("ABAN", "Bangladeshi"),
    ("AOTH", "Any other Asian background"),
    ("BCRB", "Black Caribbean"),
    ("BAFR", "Black African"),
    ("BOTH", "Any other Black background"),
    ("CHNE", "Chinese"),
    ("OOTH", "Any other ethnic group"),
    ("REFU", "Refused"),
    ("NOBT", "Information not yet obtained"),
];

/// Description of an ethnicity code, if it is one.
pub fn ethnicity_label(code: &str) -> Option<&'static str> {
    ETHNICITY.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// SSDA903 SW_REASON: why a child's social worker changed (SWEpisodes table, from 2023-24).
pub const SW_REASON: &[(&str, &str)] = &[
    ("FCONTA", "First contact or re-referral"),
    ("MANAGE", "Caseload management"),
    ("LEFTRL", "Social worker left the role"),
    ("ORGRST", "Organisational restructure"),
    ("TSPROC", "Standard transfer process"),
    ("ABSENC", "Absence cover"),
    ("CHCHAN", "Child requested the change"),
    ("PCCHAN", "Parent or carer requested the change"),
    ("SWDIED", "Social worker died"),
    ("OTHERS", "Other reason"),
];

/// Description of a SW_REASON code, if it is one.
pub fn sw_reason_label(code: &str) -> Option<&'static str> {
    SW_REASON.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// The legal basis on which children's social care is involved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LegalStatusKind {
    /// Child in need (s.17 Children Act 1989).
    Cin,
    /// Subject of a child protection plan.
    Cp,
    /// Looked after (s.20, s.31, remand).
    Cla,
    /// Care leaver.
    CareLeaver,
}

impl LegalStatusKind {
    /// Every value.
    pub const ALL: [LegalStatusKind; 4] = [Self::Cin, Self::Cp, Self::Cla, Self::CareLeaver];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cin => "CIN",
            Self::Cp => "CP",
            Self::Cla => "CLA",
            Self::CareLeaver => "CL",
        }
    }
    /// Label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Cin => "Child in need",
            Self::Cp => "Child protection plan",
            Self::Cla => "Looked after",
            Self::CareLeaver => "Care leaver",
        }
    }
    /// Parse the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// SSDA903 PLACE codes (placement type), 2025-26.
pub const PLACE: &[(&str, &str)] = &[
    (
        "A3",
        "Placed for adoption with parental consent, with current foster carers",
    ),
    (
        "A4",
        "Placed for adoption with parental consent, not with current foster carers",
    ),
    (
        "A5",
        "Placed for adoption with placement order, with current foster carers",
    ),
    (
        "A6",
        "Placed for adoption with placement order, not with current foster carers",
    ),
    (
        "H5",
        "Semi-independent living accommodation not subject to children's homes regulations",
    ),
    ("K1", "Secure children's home"),
    (
        "K2",
        "Children's home subject to children's homes regulations",
    ),
    ("K3", "Supported accommodation registered with Ofsted"),
    (
        "P1",
        "Placed with own parent(s) or other person(s) with parental responsibility",
    ),
    (
        "P2",
        "Independent living, e.g. in a flat, lodgings, bedsit, B&B or with friends",
    ),
    ("P3", "Residential employment"),
    ("R1", "Residential care home"),
    (
        "R2",
        "NHS/health trust or other establishment providing medical or nursing care",
    ),
    ("R3", "Family centre or mother and baby unit"),
    ("R5", "Young offender institution or prison"),
    (
        "S1",
        "All residential schools, except where dual-registered as a school and children's home",
    ),
    (
        "T0",
        "Temporary placement of a kind listed under codes T1 to T4",
    ),
    ("T1", "Temporary periods in hospital"),
    ("T2", "Temporary absences of the child on holiday"),
    (
        "T3",
        "Temporary accommodation whilst normal foster carer is on holiday",
    ),
    ("T4", "Temporary accommodation of seven days or less"),
    (
        "U1",
        "Foster placement with relative or friend, long term fostering",
    ),
    (
        "U2",
        "Foster placement with relative or friend who is also an approved adopter, FFA",
    ),
    (
        "U3",
        "Foster placement with relative or friend, not long term or FFA",
    ),
    (
        "U4",
        "Foster placement with other foster carer, long term fostering",
    ),
    (
        "U5",
        "Foster placement with other foster carer who is also an approved adopter, FFA",
    ),
    (
        "U6",
        "Foster placement with other foster carer, not long term or FFA",
    ),
    ("Z1", "Other placements"),
];

/// SSDA903 PLACE_PROVIDER codes.
pub const PLACE_PROVIDER: &[(&str, &str)] = &[
    (
        "PR0",
        "Parents or other person with parental responsibility",
    ),
    ("PR1", "Own provision (by the council)"),
    ("PR2", "Other local authority provision"),
    ("PR3", "Other public provision (e.g. by a PCT)"),
    ("PR4", "Private provision"),
    ("PR5", "Voluntary/third sector provision"),
];

/// Description of a PLACE code, if it is one.
pub fn place_label(code: &str) -> Option<&'static str> {
    PLACE.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}
