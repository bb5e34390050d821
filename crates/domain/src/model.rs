//! The core records. Plain data: no IO, no behaviour beyond small helpers.
//! Every record that describes something that happened keeps the time of the
//! event apart from the time it was recorded.

use crate::codes::{LegalStatusKind, Sex};
use crate::ids::*;
use crate::roles::Role;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A local authority, keyed by its DfE three-digit LA code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authority {
    /// DfE LA code, e.g. `861`.
    pub la_code: String,
    /// Name of the authority.
    pub name: String,
}

/// What kind of organisation a partner is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// The authority's own children's social care.
    SocialCare,
    /// A police force.
    Police,
    /// An NHS body.
    Health,
    /// A school or education setting.
    Education,
    /// The commissioned return-home-interview provider.
    RhiProvider,
    /// Another local authority.
    OtherAuthority,
    /// A voluntary or community organisation.
    Voluntary,
}

impl OrgKind {
    /// Every kind.
    pub const ALL: [OrgKind; 7] = [
        OrgKind::SocialCare,
        OrgKind::Police,
        OrgKind::Health,
        OrgKind::Education,
        OrgKind::RhiProvider,
        OrgKind::OtherAuthority,
        OrgKind::Voluntary,
    ];
    /// Stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::SocialCare => "social_care",
            OrgKind::Police => "police",
            OrgKind::Health => "health",
            OrgKind::Education => "education",
            OrgKind::RhiProvider => "rhi_provider",
            OrgKind::OtherAuthority => "other_authority",
            OrgKind::Voluntary => "voluntary",
        }
    }
    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            OrgKind::SocialCare => "Children's social care",
            OrgKind::Police => "Police",
            OrgKind::Health => "Health",
            OrgKind::Education => "Education",
            OrgKind::RhiProvider => "Return home interview provider",
            OrgKind::OtherAuthority => "Other local authority",
            OrgKind::Voluntary => "Voluntary sector",
        }
    }
    /// Parse the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An organisation whose people use Harbour or with whom records are shared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    /// Identifier.
    pub id: OrgId,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// The LA code, for social care and other authorities.
    pub la_code: Option<String>,
}

/// A business-support pod.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pod {
    /// Identifier.
    pub id: PodId,
    /// Name.
    pub name: String,
}

/// A team of social workers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Team {
    /// Identifier.
    pub id: TeamId,
    /// Name.
    pub name: String,
    /// The pod that supports the team.
    pub pod_id: Option<PodId>,
    /// The team manager.
    pub manager_id: Option<UserId>,
}

/// A person who signs in: staff of the authority or of a partner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Identifier.
    pub id: UserId,
    /// Email, lower-cased; the sign-in name.
    pub email: String,
    /// Full name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Employing organisation.
    pub org_id: OrgId,
    /// Team, for social workers, managers and others in a team.
    pub team_id: Option<TeamId>,
    /// Pod, for business-support administrators.
    pub pod_id: Option<PodId>,
    /// Full-time equivalent in hundredths (100 = full time).
    pub fte_hundredths: i32,
    /// Social Work England registration number, e.g. `SW123456`.
    pub swe_number: Option<String>,
    /// Agency (not employed) worker.
    pub agency: bool,
    /// Start of the Assessed and Supported Year in Employment, for newly qualified workers.
    pub asye_start: Option<NaiveDate>,
    /// When the account was disabled; disabled users cannot sign in.
    pub disabled_at: Option<DateTime<Utc>>,
    /// Whether a TOTP second factor is set up.
    pub totp_enabled: bool,
}

/// A child or young person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Child {
    /// Identifier.
    pub id: ChildId,
    /// The authority's own child identifier (LAchildID).
    pub la_child_id: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Date of birth.
    pub dob: NaiveDate,
    /// Sex as recorded for the SSDA903 return.
    pub sex: Sex,
    /// DfE ethnicity code, e.g. `WBRI`.
    pub ethnicity: String,
    /// Unique Pupil Number (13 characters).
    pub upn: Option<String>,
    /// NHS number (10 digits).
    pub nhs_number: Option<String>,
    /// The responsible (placing) authority's LA code.
    pub responsible_la: String,
    /// The host authority's LA code when placed in another area.
    pub host_la: Option<String>,
    /// School attended, as a name (and URN where known).
    pub school: Option<String>,
    /// A restricted record (high-profile, staff relative): every access outside the
    /// allocated worker and their manager needs break-glass.
    pub restricted: bool,
    /// When the record was created.
    pub created_at: DateTime<Utc>,
}

impl Child {
    /// "First Last".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
    /// Age in whole years on `on`.
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        crate::rules::age_on(self.dob, on)
    }
}

/// Another name a child is or was known by.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alias {
    /// The name.
    pub name: String,
    /// Why the child has it: e.g. "previous name", "street name", "nickname".
    pub kind: String,
}

/// An address held for a child.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Address {
    /// Identifier.
    pub id: AddressId,
    /// Child.
    pub child_id: ChildId,
    /// First line.
    pub line1: String,
    /// Town.
    pub town: String,
    /// Postcode.
    pub postcode: String,
    /// From.
    pub from_date: NaiveDate,
    /// To; open while current.
    pub to_date: Option<NaiveDate>,
}

/// A period of a legal status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LegalStatusPeriod {
    /// Identifier.
    pub id: LegalStatusId,
    /// Child.
    pub child_id: ChildId,
    /// Status.
    pub status: LegalStatusKind,
    /// Start.
    pub start_date: NaiveDate,
    /// End; open while current.
    pub end_date: Option<NaiveDate>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// Where a child lives when looked after.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    /// Identifier.
    pub id: PlacementId,
    /// Child.
    pub child_id: ChildId,
    /// SSDA903 PLACE code, e.g. `U1`.
    pub place_code: String,
    /// SSDA903 PLACE_PROVIDER code, e.g. `PR1`.
    pub provider_code: String,
    /// Name of the home or carers.
    pub carer_name: String,
    /// Carer or home telephone.
    pub carer_phone: Option<String>,
    /// Placement postcode.
    pub postcode: String,
    /// LA code of the area the placement is in.
    pub area_la: String,
    /// Start.
    pub start_date: NaiveDate,
    /// End; open while current.
    pub end_date: Option<NaiveDate>,
}

/// How a person is related to a child.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationshipKind {
    /// Parent, sibling or other relative.
    Family,
    /// Foster carer, residential worker, kinship carer.
    Carer,
    /// Teacher, health visitor, police officer, youth worker…
    Professional,
}

impl RelationshipKind {
    /// Every kind.
    pub const ALL: [RelationshipKind; 3] = [Self::Family, Self::Carer, Self::Professional];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Family => "family",
            Self::Carer => "carer",
            Self::Professional => "professional",
        }
    }
    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Family => "Family",
            Self::Carer => "Carer",
            Self::Professional => "Professional",
        }
    }
    /// Parse the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A person around the child.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Relationship {
    /// Identifier.
    pub id: RelationshipId,
    /// Child.
    pub child_id: ChildId,
    /// Kind.
    pub kind: RelationshipKind,
    /// Name.
    pub name: String,
    /// Their relationship to the child, e.g. "Mother", "Foster carer", "Designated teacher".
    pub role: String,
    /// Organisation, for professionals.
    pub organisation: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// Holds parental responsibility.
    pub parental_responsibility: bool,
}

/// A worker's allocation to a child.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    /// Identifier.
    pub id: AllocationId,
    /// Child.
    pub child_id: ChildId,
    /// Allocated worker.
    pub worker_id: UserId,
    /// Worker's name, for display.
    pub worker_name: String,
    /// Worker's team at the time of allocation.
    pub team_id: Option<TeamId>,
    /// Start date.
    pub start_date: NaiveDate,
    /// End date; open while current.
    pub end_date: Option<NaiveDate>,
    /// SSDA903 SW_REASON code for the change that started this allocation.
    pub sw_reason: String,
    /// Who recorded it.
    pub recorded_by: UserId,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// What sort of contact or work a case note records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// A home or placement visit, the child seen.
    Visit,
    /// Telephone, message or email contact.
    Contact,
    /// A meeting (strategy, professionals, family).
    Meeting,
    /// A case discussion in supervision.
    CaseDiscussion,
    /// Management oversight.
    ManagementOversight,
    /// Anything else.
    Other,
}

impl NoteKind {
    /// Every kind.
    pub const ALL: [NoteKind; 6] = [
        Self::Visit,
        Self::Contact,
        Self::Meeting,
        Self::CaseDiscussion,
        Self::ManagementOversight,
        Self::Other,
    ];
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Visit => "visit",
            Self::Contact => "contact",
            Self::Meeting => "meeting",
            Self::CaseDiscussion => "case_discussion",
            Self::ManagementOversight => "management_oversight",
            Self::Other => "other",
        }
    }
    /// Label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Visit => "Visit (child seen)",
            Self::Contact => "Phone, message or email",
            Self::Meeting => "Meeting",
            Self::CaseDiscussion => "Case discussion",
            Self::ManagementOversight => "Management oversight",
            Self::Other => "Other",
        }
    }
    /// Parse the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A case note.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseNote {
    /// Identifier.
    pub id: NoteId,
    /// Child.
    pub child_id: ChildId,
    /// Author.
    pub author_id: UserId,
    /// Author's name.
    pub author_name: String,
    /// Kind.
    pub kind: NoteKind,
    /// When the event happened.
    pub occurred_at: DateTime<Utc>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Short subject.
    pub subject: String,
    /// The note.
    pub body: String,
    /// Flagged as significant for the chronology.
    pub significant: bool,
}

/// A decision about a child, made by a manager (or other decision-maker)
/// and possibly recorded by someone else, such as a pod administrator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// Identifier.
    pub id: DecisionId,
    /// Child.
    pub child_id: ChildId,
    /// Who made the decision.
    pub decided_by: UserId,
    /// Their name.
    pub decided_by_name: String,
    /// Who recorded it.
    pub recorded_by: UserId,
    /// Their name.
    pub recorded_by_name: String,
    /// When the decision was made.
    pub decided_at: DateTime<Utc>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// The decision.
    pub decision: String,
    /// Why.
    pub rationale: String,
    /// Flagged as significant for the chronology.
    pub significant: bool,
}

/// An alert shown prominently on a child's record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Identifier.
    pub id: AlertId,
    /// Child.
    pub child_id: ChildId,
    /// What everyone should know.
    pub text: String,
    /// From.
    pub created_at: DateTime<Utc>,
    /// Until, if it expires.
    pub expires_at: Option<DateTime<Utc>>,
}

/// How much of a child's record a share grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareScope {
    /// Name, date of birth, alerts, allocated worker and contacts.
    Summary,
    /// The summary plus notes, decisions and chronology.
    Record,
}

impl ShareScope {
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Summary => "summary",
            Self::Record => "record",
        }
    }
    /// Parse the machine name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "summary" => Some(Self::Summary),
            "record" => Some(Self::Record),
            _ => None,
        }
    }
}

/// A grant of (part of) a child's record to a partner organisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// Identifier.
    pub id: ShareId,
    /// Child.
    pub child_id: ChildId,
    /// Organisation it is shared with.
    pub org_id: OrgId,
    /// Organisation name.
    pub org_name: String,
    /// Scope.
    pub scope: ShareScope,
    /// Purpose and lawful basis, as recorded by the person sharing.
    pub reason: String,
    /// Who shared.
    pub granted_by: UserId,
    /// When.
    pub granted_at: DateTime<Utc>,
    /// Until.
    pub expires_at: Option<DateTime<Utc>>,
}

/// A break-glass grant: a user reached a record they have no relationship with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreakGlass {
    /// Identifier.
    pub id: BreakGlassId,
    /// Who.
    pub user_id: UserId,
    /// Their name.
    pub user_name: String,
    /// Which child.
    pub child_id: ChildId,
    /// Why, in their words.
    pub reason: String,
    /// When.
    pub granted_at: DateTime<Utc>,
    /// Until.
    pub expires_at: DateTime<Utc>,
    /// When a privacy officer reviewed it.
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// A row of a child's chronology, built from everything recorded about them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChronologyEntry {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What kind of record it came from: note, decision, legal_status, placement, allocation.
    pub source: String,
    /// One-line summary.
    pub summary: String,
    /// Who recorded it, where known.
    pub by: Option<String>,
    /// Flagged significant.
    pub significant: bool,
}

/// A piece of work with a due time: for a person, or for everyone holding a
/// role (the out-of-hours team's queue).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Identifier.
    pub id: uuid::Uuid,
    /// The child it is about.
    pub child_id: Option<ChildId>,
    /// The person it is for.
    pub assigned_user: Option<UserId>,
    /// The role queue it is for.
    pub assigned_role: Option<Role>,
    /// A machine name for the kind of task, e.g. `missing.respond`.
    pub kind: String,
    /// What to do.
    pub title: String,
    /// Why, in plain words.
    pub detail: String,
    /// Due.
    pub due_at: DateTime<Utc>,
    /// The record that caused it (e.g. the missing episode).
    pub source_id: Option<uuid::Uuid>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Done.
    pub completed_at: Option<DateTime<Utc>>,
}
