//! The one authorisation policy. Every decision about who may do what is made
//! here, by pure functions over facts the storage layer reads fresh for each
//! request (allocations are never cached in a session, so taking a worker off
//! a case takes effect on their next click).
//!
//! The principles (see `docs/SECURITY.md`):
//! - deny by default;
//! - case access follows a legitimate relationship: the allocated worker, their
//!   team, its manager and its business-support pod; the out-of-hours team and
//!   the panel coordinator work across the service;
//! - partners and the return-interview provider see only what was shared with
//!   their organisation (information-sharing advice, HM Government 2024);
//! - `sysadmin` manages accounts but never reads case content; `analyst` sees
//!   aggregates only;
//! - restricted records (staff relatives, high-profile children) are open only
//!   to the allocated worker and the team manager; anyone else must break glass
//!   with a reason and a time limit, and the privacy officer is alerted.
//!
//! A permission to act on a child is an [`Allowed`] value that only this module
//! can construct; repository functions that touch a child's record take one, so
//! a skipped check does not compile.

use crate::ids::{ChildId, OrgId, PodId, TeamId, UserId};
use crate::model::{OrgKind, ShareScope};
use crate::roles::Role;
use serde::Serialize;

/// Who is asking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The user.
    pub user_id: UserId,
    /// Their role.
    pub role: Role,
    /// Their organisation.
    pub org_id: OrgId,
    /// Their team, if any.
    pub team_id: Option<TeamId>,
    /// Their pod, if any.
    pub pod_id: Option<PodId>,
}

/// Facts about one child and the actor, read from storage for this request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChildFacts {
    /// The child.
    pub child_id: ChildId,
    /// The record is restricted.
    pub restricted: bool,
    /// The actor is the child's allocated worker now.
    pub allocated_to_actor: bool,
    /// The team of the child's current allocation (None: unallocated).
    pub allocated_team: Option<TeamId>,
    /// The pod serving that team.
    pub allocated_team_pod: Option<PodId>,
    /// The manager of that team.
    pub allocated_team_manager: Option<UserId>,
    /// An unexpired share of this child with the actor's organisation.
    pub share: Option<ShareScope>,
    /// An unexpired break-glass grant for this actor and child.
    pub break_glass: bool,
}

/// Something one can do to a child's record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildAction {
    /// Name, date of birth, alerts, allocated worker, contacts.
    ViewSummary,
    /// The full record: notes, decisions, chronology, relationships.
    ViewRecord,
    /// Change the child's details.
    Edit,
    /// Record a case note.
    AddNote,
    /// Record a decision.
    AddDecision,
    /// Report a missing episode or record a return.
    RecordMissing,
    /// Allocate or re-allocate a worker.
    Allocate,
    /// Share the record with a partner organisation.
    Share,
    /// See who has viewed or changed the record.
    ViewAccessLog,
    /// The Philomena profile, its versions and photo, and the police
    /// handover pack. As the full record, except that the return-interview
    /// provider never gets it (its interview view carries the description
    /// and photo alone). Editing the profile is [`ChildAction::Edit`].
    ViewPhilomena,
    /// Record a case discussion about the child in a supervision session
    /// (the supervisor, or the pod drafting for them).
    RecordCaseDiscussion,
    /// Record a management oversight entry or a decision in the fast
    /// decision log (the team manager, or the pod on their behalf).
    AddOversight,
    /// Record an exploitation screening: as a note, but never a partner or
    /// the interview provider (it is the local authority's assessment).
    RecordScreening,
    /// Accept or decline a proposed panel referral: the team manager of the
    /// allocated team and the panel coordinator.
    DecideEscalation,
    /// Open a children-missing-education case on the child, record its
    /// enquiry steps and outcome: the authority's case-holding line (social
    /// worker, team, manager, pod) as for a note; never partners, the
    /// provider, the out-of-hours team or the panel (DfE *Children missing
    /// education*, 2024: the authority's duty under s.436A Education Act
    /// 1996). Reading a case is [`ChildAction::ViewRecord`].
    ManageCme,
    /// The one-page crisis summary (risks, alerts, safety plan, Philomena
    /// profile, contacts, chronology): the authority's own case roles as
    /// the full record, never a partner or the interview provider (it
    /// gathers the whole record onto one page).
    ViewCrisisSummary,
    /// Write a new version of the child's safety plan: the allocated
    /// worker and the team manager (the plan's owners), never by
    /// break-glass.
    EditSafetyPlan,
    /// Leave or withdraw an alert to the out-of-hours team: the day team
    /// (the allocated worker, their team and manager).
    LeaveEdtAlert,
    /// Record an out-of-hours contact: the emergency duty team, which works
    /// across the service (break-glass for a restricted record).
    RecordOohContact,
    /// Record placement support or a placement stability concern: the
    /// emergency duty team and the day team.
    RecordPlacementSupport,
    /// Acknowledge a handover from the out-of-hours team: the day team (the
    /// allocated worker's team, its manager and pod; for an unallocated
    /// child, the team managers' duty queue and the pods).
    AcknowledgeHandover,
}

impl ChildAction {
    /// Every action, for exhaustive tests.
    pub const ALL: [ChildAction; 21] = [
        Self::ViewSummary,
        Self::ViewRecord,
        Self::Edit,
        Self::AddNote,
        Self::AddDecision,
        Self::RecordMissing,
        Self::Allocate,
        Self::Share,
        Self::ViewAccessLog,
        Self::ViewPhilomena,
        Self::RecordCaseDiscussion,
        Self::AddOversight,
        Self::RecordScreening,
        Self::DecideEscalation,
        Self::ManageCme,
        Self::ViewCrisisSummary,
        Self::EditSafetyPlan,
        Self::LeaveEdtAlert,
        Self::RecordOohContact,
        Self::RecordPlacementSupport,
        Self::AcknowledgeHandover,
    ];
    /// The audit action name.
    pub fn audit_name(self) -> &'static str {
        match self {
            Self::ViewSummary => "child.view_summary",
            Self::ViewRecord => "child.view",
            Self::Edit => "child.edit",
            Self::AddNote => "note.create",
            Self::AddDecision => "decision.create",
            Self::RecordMissing => "missing.record",
            Self::Allocate => "allocation.change",
            Self::Share => "share.create",
            Self::ViewAccessLog => "child.view_access_log",
            Self::ViewPhilomena => "philomena.view",
            Self::RecordCaseDiscussion => "supervision.discussion",
            Self::AddOversight => "oversight.create",
            Self::RecordScreening => "screening.create",
            Self::DecideEscalation => "escalation.decide",
            Self::ManageCme => "cme.record",
            Self::ViewCrisisSummary => "edt.crisis_summary",
            Self::EditSafetyPlan => "safety_plan.save",
            Self::LeaveEdtAlert => "edt_alert.create",
            Self::RecordOohContact => "edt.contact.create",
            Self::RecordPlacementSupport => "placement_support.create",
            Self::AcknowledgeHandover => "edt.handover.acknowledge",
        }
    }
}

/// Why something was refused. Shown to the user in plain words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DenyReason {
    /// The role never reads case content.
    RoleHasNoCaseAccess,
    /// No allocation, team or pod relationship with this child.
    NoRelationship,
    /// Restricted record outside the allocated worker and manager.
    Restricted,
    /// Not shared with the actor's organisation (or not with enough scope).
    NotShared,
    /// The role may not perform this action on any record.
    ActionNotPermitted,
}

impl DenyReason {
    /// Machine name, for the audit trail.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RoleHasNoCaseAccess => "role_has_no_case_access",
            Self::NoRelationship => "no_relationship",
            Self::Restricted => "restricted",
            Self::NotShared => "not_shared",
            Self::ActionNotPermitted => "action_not_permitted",
        }
    }
    /// For people.
    pub fn explain(self) -> &'static str {
        match self {
            Self::RoleHasNoCaseAccess => "Your role does not give access to children's records.",
            Self::NoRelationship => {
                "This child is not allocated to you, your team or a team your pod supports."
            }
            Self::Restricted => {
                "This is a restricted record. Only the allocated worker and their manager can open it without emergency access."
            }
            Self::NotShared => "This record has not been shared with your organisation.",
            Self::ActionNotPermitted => "Your role cannot do this.",
        }
    }
}

/// A refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Denied {
    /// Why.
    pub reason: DenyReason,
    /// Whether emergency (break-glass) access would allow it.
    pub break_glass_available: bool,
}

/// Proof that the policy allowed `action` on `child_id`. Only this module can
/// make one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allowed {
    child_id: ChildId,
    action: ChildAction,
    via_break_glass: bool,
}

impl Allowed {
    /// The child.
    pub fn child_id(&self) -> ChildId {
        self.child_id
    }
    /// The action allowed.
    pub fn action(&self) -> ChildAction {
        self.action
    }
    /// Allowed only because of a break-glass grant.
    pub fn via_break_glass(&self) -> bool {
        self.via_break_glass
    }
}

/// A permission for the system itself (demo data, importers) to write a
/// child's record. Callers must audit what they write as the `system` actor.
pub fn system_import(child_id: ChildId) -> Allowed {
    Allowed {
        child_id,
        action: ChildAction::Edit,
        via_break_glass: false,
    }
}

/// The commissioned return-interview provider may work on an interview
/// assigned to its organisation, seeing the minimum about the child that the
/// interview needs (name, age, placement and carer contact, the episode) —
/// never case notes or other history (DfE 2014 missing guidance; information
/// sharing advice 2024, golden rule 6: only what is necessary).
pub fn decide_interview(
    actor: &Actor,
    interview_org: OrgId,
    child_id: ChildId,
) -> Result<Allowed, Denied> {
    if actor.role == Role::RhiProvider && actor.org_id == interview_org {
        Ok(Allowed {
            child_id,
            action: ChildAction::ViewSummary,
            via_break_glass: false,
        })
    } else {
        Err(Denied {
            reason: DenyReason::NotShared,
            break_glass_available: false,
        })
    }
}

/// The actor's closest relationship with the child.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Closeness {
    /// Allocated worker, or manager of the allocated team.
    Owner,
    /// Same team or the supporting pod.
    Team,
    /// A service-wide role (EDT, panel).
    ServiceWide,
    /// None.
    None,
}

fn closeness(actor: &Actor, f: &ChildFacts) -> Closeness {
    let same_team = f.allocated_team.is_some() && f.allocated_team == actor.team_id;
    match actor.role {
        Role::SocialWorker if f.allocated_to_actor => Closeness::Owner,
        Role::SocialWorker if same_team => Closeness::Team,
        Role::TeamManager
            if f.allocated_to_actor || f.allocated_team_manager == Some(actor.user_id) =>
        {
            Closeness::Owner
        }
        Role::TeamManager if same_team => Closeness::Owner,
        // Unallocated children wait with the managers (who own allocation, even
        // of a restricted record) and the pods that support them.
        Role::TeamManager if f.allocated_team.is_none() => Closeness::Owner,
        Role::PodAdmin if f.allocated_team.is_none() => Closeness::Team,
        Role::PodAdmin
            if f.allocated_team_pod.is_some() && f.allocated_team_pod == actor.pod_id =>
        {
            Closeness::Team
        }
        Role::EdtWorker | Role::PanelCoordinator => Closeness::ServiceWide,
        _ => Closeness::None,
    }
}

/// Decide whether `actor` may do `action` to the child described by `facts`.
pub fn decide_child(
    actor: &Actor,
    action: ChildAction,
    facts: &ChildFacts,
) -> Result<Allowed, Denied> {
    use ChildAction::*;
    let allow = |via_break_glass| {
        Ok(Allowed {
            child_id: facts.child_id,
            action,
            via_break_glass,
        })
    };
    let deny = |reason, break_glass_available| {
        Err(Denied {
            reason,
            break_glass_available,
        })
    };

    match actor.role {
        Role::Sysadmin | Role::Analyst => return deny(DenyReason::RoleHasNoCaseAccess, false),
        Role::PartnerPractitioner | Role::RhiProvider => {
            return match (facts.share, action) {
                (Some(_), ViewSummary) => allow(false),
                (Some(ShareScope::Record), ViewRecord | AddNote | RecordMissing) => allow(false),
                (Some(ShareScope::Record), ViewPhilomena) if actor.role != Role::RhiProvider => {
                    allow(false)
                }
                _ => deny(DenyReason::NotShared, false),
            };
        }
        Role::PrivacyOfficer => {
            return match action {
                ViewAccessLog => allow(false),
                ViewSummary | ViewRecord | ViewPhilomena if facts.break_glass => allow(true),
                ViewSummary | ViewRecord | ViewPhilomena => {
                    deny(DenyReason::RoleHasNoCaseAccess, true)
                }
                _ => deny(DenyReason::ActionNotPermitted, false),
            };
        }
        Role::SocialWorker
        | Role::TeamManager
        | Role::PodAdmin
        | Role::EdtWorker
        | Role::PanelCoordinator => {}
    }

    let mut close = closeness(actor, facts);
    let mut restricted_block = false;
    if facts.restricted && close != Closeness::Owner && close != Closeness::None {
        close = Closeness::None;
        restricted_block = true;
    }
    let no_access_reason = if restricted_block || (facts.restricted && close == Closeness::None) {
        DenyReason::Restricted
    } else {
        DenyReason::NoRelationship
    };
    let bg = facts.break_glass;
    let role = actor.role;

    let granted: Option<bool> = match action {
        ViewSummary | ViewRecord | ViewPhilomena | AddNote | RecordMissing => match close {
            Closeness::Owner | Closeness::Team | Closeness::ServiceWide => Some(false),
            Closeness::None if bg => Some(true),
            Closeness::None => None,
        },
        // As a note (partners and the provider were refused above).
        RecordScreening => match close {
            Closeness::None => bg.then_some(true),
            _ => Some(false),
        },
        Edit => matches!(close, Closeness::Owner | Closeness::Team)
            .then_some(false)
            .filter(|_| role != Role::PanelCoordinator),
        AddDecision => match (role, close) {
            (Role::SocialWorker, _) => return deny(DenyReason::ActionNotPermitted, false),
            (_, Closeness::Owner | Closeness::Team | Closeness::ServiceWide) => Some(false),
            (Role::TeamManager | Role::EdtWorker, Closeness::None) if bg => Some(true),
            _ => None,
        },
        Allocate => match (role, close) {
            (Role::TeamManager, Closeness::Owner | Closeness::Team) => Some(false),
            (Role::TeamManager, _) => None,
            _ => return deny(DenyReason::ActionNotPermitted, false),
        },
        Share => match (role, close) {
            (Role::SocialWorker | Role::TeamManager, Closeness::Owner | Closeness::Team) => {
                Some(false)
            }
            (Role::SocialWorker | Role::TeamManager, _) => None,
            _ => return deny(DenyReason::ActionNotPermitted, false),
        },
        DecideEscalation => match (role, close) {
            (Role::TeamManager, Closeness::Owner | Closeness::Team) => Some(false),
            (Role::PanelCoordinator, Closeness::ServiceWide) => Some(false),
            (Role::TeamManager | Role::PanelCoordinator, _) => None,
            _ => return deny(DenyReason::ActionNotPermitted, false),
        },
        ViewAccessLog => match (role, close) {
            (Role::TeamManager, Closeness::Owner) => Some(false),
            (Role::TeamManager, _) => None,
            _ => return deny(DenyReason::ActionNotPermitted, false),
        },
        // Supervision and management oversight belong to the line: the
        // team manager, and the pod that records for them. Never by
        // break-glass: oversight is not an emergency.
        ManageCme => match (role, close) {
            (
                Role::SocialWorker | Role::TeamManager | Role::PodAdmin,
                Closeness::Owner | Closeness::Team,
            ) => Some(false),
            (Role::SocialWorker | Role::TeamManager | Role::PodAdmin, _) => bg.then_some(true),
            _ => return deny(DenyReason::ActionNotPermitted, false),
        },
        ViewCrisisSummary => match close {
            Closeness::Owner | Closeness::Team | Closeness::ServiceWide => Some(false),
            Closeness::None => bg.then_some(true),
        },
        EditSafetyPlan => match (role, close) {
            (Role::SocialWorker | Role::TeamManager, Closeness::Owner) => Some(false),
            (Role::SocialWorker | Role::TeamManager, _) => None,
            _ => return deny(DenyReason::ActionNotPermitted, false),
        },
        LeaveEdtAlert => match (role, close) {
            (Role::SocialWorker | Role::TeamManager, Closeness::Owner | Closeness::Team) => {
                Some(false)
            }
            (Role::SocialWorker | Role::TeamManager, _) => None,
            _ => return deny(DenyReason::ActionNotPermitted, false),
        },
        RecordOohContact => match (role, close) {
            (Role::EdtWorker, Closeness::ServiceWide) => Some(false),
            (Role::EdtWorker, _) => bg.then_some(true),
            _ => return deny(DenyReason::ActionNotPermitted, false),
        },
        RecordPlacementSupport => match (role, close) {
            (Role::EdtWorker, Closeness::ServiceWide) => Some(false),
            (Role::EdtWorker, _) => bg.then_some(true),
            (Role::SocialWorker | Role::TeamManager, Closeness::Owner | Closeness::Team) => {
                Some(false)
            }
            (Role::SocialWorker | Role::TeamManager, _) => None,
            _ => return deny(DenyReason::ActionNotPermitted, false),
        },
        AcknowledgeHandover => match (role, close) {
            (
                Role::SocialWorker | Role::TeamManager | Role::PodAdmin,
                Closeness::Owner | Closeness::Team,
            ) => Some(false),
            (Role::SocialWorker | Role::TeamManager | Role::PodAdmin, _) => None,
            _ => return deny(DenyReason::ActionNotPermitted, false),
        },
        RecordCaseDiscussion | AddOversight => match (role, close) {
            (Role::TeamManager, Closeness::Owner) | (Role::PodAdmin, Closeness::Team) => {
                Some(false)
            }
            (Role::TeamManager | Role::PodAdmin, _) => None,
            _ => return deny(DenyReason::ActionNotPermitted, false),
        },
    };
    match granted {
        Some(via) => allow(via),
        None => deny(
            no_access_reason,
            (matches!(
                action,
                ViewSummary
                    | ViewRecord
                    | ViewPhilomena
                    | AddNote
                    | RecordMissing
                    | RecordScreening
                    | AddDecision
                    | ManageCme
                    | ViewCrisisSummary
            ) && !(action == AddDecision
                && matches!(role, Role::PodAdmin | Role::PanelCoordinator)))
                || (matches!(action, RecordOohContact | RecordPlacementSupport)
                    && role == Role::EdtWorker),
        ),
    }
}

/// Actions that are not about one child.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceAction {
    /// Search the children index (results still respect record access).
    SearchChildren,
    /// Create a child's record.
    CreateChild,
    /// See one's own work list.
    ViewMyWork,
    /// See staff, teams and pods.
    ViewStaff,
    /// Add or disable users; manage teams and pods.
    ManageStaff,
    /// Aggregate statistics.
    ViewStats,
    /// The privacy officer's view: break-glass reviews, chain status.
    PrivacyOversight,
    /// Verify the audit chain.
    VerifyAudit,
    /// Work the return-home-interview queue.
    RhiQueue,
    /// Read findings another authority's Harbour shared with one's own
    /// organisation (placing or host authority, police).
    ReceiveFindings,
    /// The host view: children placed here by other authorities, their
    /// episodes, interviews and what was shared back.
    HostView,
    /// One's own weighted caseload (case-holding roles).
    ViewOwnCaseload,
    /// Service-wide caseload figures per team and worker.
    ViewServiceCaseloads,
    /// Workforce planning: establishment, vacancies, agency share, leavers,
    /// capacity against demand.
    ViewWorkforce,
    /// Set each team's establishment (funded FTE).
    ManageEstablishment,
    /// Move a leaver's or an absent worker's children to other workers in
    /// one go (each child still needs [`ChildAction::Allocate`]).
    BulkReallocate,
    /// The supervision page: one's own supervision and, for managers and
    /// pods, the team's due and overdue lists.
    ViewSupervision,
    /// The fast decision log and the management oversight lists.
    OversightLog,
    /// Start a group supervision session: choose its attendees among the
    /// workers one supervises or supports (each attendee is still decided
    /// by [`decide_supervision`]).
    RecordGroupSupervision,
    /// The queue of proposed panel referrals.
    EscalationQueue,
    /// Run the exploitation and missing panel: agendas, meetings, minutes,
    /// referrals across the service.
    RunPanel,
    /// The panel action tracker (a partner sees its own organisation's
    /// actions only; see [`may_update_panel_action`]).
    PanelActions,
    /// The information-sharing log across the service.
    ViewDisclosures,
    /// The performance dashboards: charts and their figures, counts only
    /// (no child can be identified).
    ViewDashboards,
    /// Child-level statutory lists: the Ofsted Annex A lists and the CIN
    /// census assessment factors, downloaded whole (a bulk export, audited).
    StatutoryLists,
    /// The schools list (each school's page and report are decided by
    /// [`decide_school`]).
    ViewSchools,
    /// The children-missing-education page: open cases and school
    /// notifications.
    CmeCases,
    /// The out-of-hours desk: active EDT alerts, the contact log and the
    /// state of handovers, across the service.
    OutOfHours,
    /// Handovers from the out-of-hours team to one's day team.
    Handovers,
    /// The SSDA903 data-quality page: problems the DfE rules find in
    /// current data, per child (one's own or one's team's children) and
    /// counted per team (managers and analysts).
    ViewDataQuality,
    /// The retention review: records due for review under the retention
    /// rules, and the keep or destroy decision on each.
    RetentionReview,
    /// Subject access requests: log a request, assemble the child's record,
    /// review third-party information and export the response.
    SubjectAccess,
}

impl ServiceAction {
    /// Every action.
    pub const ALL: [ServiceAction; 32] = [
        Self::SearchChildren,
        Self::CreateChild,
        Self::ViewMyWork,
        Self::ViewStaff,
        Self::ManageStaff,
        Self::ViewStats,
        Self::PrivacyOversight,
        Self::VerifyAudit,
        Self::RhiQueue,
        Self::ReceiveFindings,
        Self::HostView,
        Self::ViewOwnCaseload,
        Self::ViewServiceCaseloads,
        Self::ViewWorkforce,
        Self::ManageEstablishment,
        Self::BulkReallocate,
        Self::ViewSupervision,
        Self::OversightLog,
        Self::RecordGroupSupervision,
        Self::EscalationQueue,
        Self::RunPanel,
        Self::PanelActions,
        Self::ViewDisclosures,
        Self::ViewDashboards,
        Self::StatutoryLists,
        Self::ViewSchools,
        Self::CmeCases,
        Self::OutOfHours,
        Self::Handovers,
        Self::ViewDataQuality,
        Self::RetentionReview,
        Self::SubjectAccess,
    ];
    /// The audit action name.
    pub fn audit_name(self) -> &'static str {
        match self {
            Self::SearchChildren => "child.search",
            Self::CreateChild => "child.create",
            Self::ViewMyWork => "my_work.view",
            Self::ViewStaff => "staff.view",
            Self::ManageStaff => "staff.manage",
            Self::ViewStats => "stats.view",
            Self::PrivacyOversight => "privacy.view",
            Self::VerifyAudit => "audit.verify",
            Self::RhiQueue => "rhi.queue",
            Self::ReceiveFindings => "findings.inbox",
            Self::HostView => "host.view",
            Self::ViewOwnCaseload => "caseload.view",
            Self::ViewServiceCaseloads => "caseload.service",
            Self::ViewWorkforce => "workforce.view",
            Self::ManageEstablishment => "workforce.establishment",
            Self::BulkReallocate => "allocation.bulk",
            Self::ViewSupervision => "supervision.list",
            Self::OversightLog => "oversight.list",
            Self::RecordGroupSupervision => "supervision.group",
            Self::EscalationQueue => "escalation.queue",
            Self::RunPanel => "panel.view",
            Self::PanelActions => "panel.actions",
            Self::ViewDisclosures => "disclosures.view",
            Self::ViewDashboards => "dashboards.view",
            Self::StatutoryLists => "statutory_lists.export",
            Self::ViewSchools => "schools.list",
            Self::CmeCases => "cme.list",
            Self::OutOfHours => "edt.desk",
            Self::Handovers => "edt.handovers",
            Self::ViewDataQuality => "data_quality.view",
            Self::RetentionReview => "retention.view",
            Self::SubjectAccess => "subject_access.view",
        }
    }
}

/// Decide a service-level action.
pub fn decide_service(actor: &Actor, action: ServiceAction) -> bool {
    use Role::*;
    use ServiceAction::*;
    let r = actor.role;
    match action {
        SearchChildren => !matches!(r, Sysadmin | Analyst),
        CreateChild => matches!(r, SocialWorker | TeamManager | PodAdmin | EdtWorker),
        ViewMyWork => !matches!(r, Sysadmin | Analyst | PrivacyOfficer),
        ViewStaff => matches!(r, Sysadmin | TeamManager | PodAdmin),
        ManageStaff => r == Sysadmin,
        ViewStats => matches!(r, Analyst | TeamManager),
        PrivacyOversight => r == PrivacyOfficer,
        VerifyAudit => matches!(r, PrivacyOfficer | Sysadmin),
        RhiQueue => r == RhiProvider,
        ReceiveFindings => r == PartnerPractitioner,
        HostView => matches!(r, TeamManager | EdtWorker | PanelCoordinator),
        ViewOwnCaseload => matches!(r, SocialWorker | TeamManager),
        ViewServiceCaseloads => matches!(r, TeamManager | Analyst),
        ViewWorkforce => matches!(r, TeamManager | Analyst | Sysadmin),
        ManageEstablishment => r == Sysadmin,
        BulkReallocate => r == TeamManager,
        ViewSupervision => matches!(r, SocialWorker | TeamManager | PodAdmin),
        OversightLog => matches!(r, TeamManager | PodAdmin),
        RecordGroupSupervision => matches!(r, TeamManager | PodAdmin),
        EscalationQueue => matches!(r, TeamManager | PanelCoordinator),
        RunPanel => r == PanelCoordinator,
        PanelActions => matches!(r, PanelCoordinator | PartnerPractitioner),
        ViewDisclosures => r == PrivacyOfficer,
        // Figures only: the analyst's and managers' view (§9 workforce, §2
        // missing figures); no child-level detail is shown.
        ViewDashboards => matches!(r, Analyst | TeamManager),
        // The Annex A lists are child-level by design: Ofsted asks the
        // authority for them, and the performance team (analysts) compiles
        // and checks them with the service's managers. Nobody else needs a
        // whole-authority list of children; each download is audited.
        StatutoryLists => matches!(r, Analyst | TeamManager),
        ViewSchools => matches!(
            r,
            SocialWorker
                | TeamManager
                | PodAdmin
                | EdtWorker
                | PanelCoordinator
                | PartnerPractitioner
                | Analyst
        ),
        CmeCases => matches!(r, SocialWorker | TeamManager | PodAdmin),
        OutOfHours => matches!(r, EdtWorker | TeamManager),
        Handovers => matches!(r, SocialWorker | TeamManager | PodAdmin | EdtWorker),
        ViewDataQuality => matches!(r, SocialWorker | TeamManager | Analyst),
        // Records management and subject access are the privacy officer's
        // (the data protection lead): nobody else sees records across the
        // service by retention date or assembles a child's whole record.
        RetentionReview | SubjectAccess => r == PrivacyOfficer,
    }
}

/// The privacy officer answering a subject access request reads the whole
/// of the child's record to assemble the response (UK GDPR Art 15: all the
/// personal data the authority holds). No allocation is needed: the request
/// is the reason, and the read is audited as `subject_access.assemble`.
/// Nobody else is given the record this way.
pub fn decide_subject_access(actor: &Actor, child_id: ChildId) -> Result<Allowed, Denied> {
    if decide_service(actor, ServiceAction::SubjectAccess) {
        Ok(Allowed {
            child_id,
            action: ChildAction::ViewRecord,
            via_break_glass: false,
        })
    } else {
        Err(Denied {
            reason: DenyReason::ActionNotPermitted,
            break_glass_available: false,
        })
    }
}

/// Who may refer a child to the panel: the child's social worker, their team
/// and manager, and the panel coordinator, i.e. those who may record a note
/// on the record and whose role makes referrals (MACE protocols: referral by
/// the lead professional or through the MASH). Partners ask the social
/// worker to refer.
pub fn decide_panel_referral(actor: &Actor, facts: &ChildFacts) -> Result<Allowed, Denied> {
    match actor.role {
        Role::SocialWorker | Role::TeamManager | Role::PanelCoordinator => {
            decide_child(actor, ChildAction::AddNote, facts)
        }
        _ => Err(Denied {
            reason: DenyReason::ActionNotPermitted,
            break_glass_available: false,
        }),
    }
}

/// A partner agency that attends a panel discussing a child is granted the
/// child's summary, for a limited time, through the same explicit share as
/// any other (information-sharing advice 2024, golden rule 6). Only the
/// panel coordinator records attendance, and only for a child whose summary
/// the coordinator may see (so never a restricted record without emergency
/// access). The grant is a [`ShareScope::Summary`] share with an end date.
pub fn decide_panel_grant(actor: &Actor, facts: &ChildFacts) -> Result<Allowed, Denied> {
    if actor.role != Role::PanelCoordinator {
        return Err(Denied {
            reason: DenyReason::ActionNotPermitted,
            break_glass_available: false,
        });
    }
    decide_child(actor, ChildAction::ViewSummary, facts).map(|a| Allowed {
        child_id: a.child_id,
        action: ChildAction::Share,
        via_break_glass: a.via_break_glass,
    })
}

/// Who may update a panel action's status and notes: the panel coordinator,
/// the user it is assigned to, or a partner practitioner in the organisation
/// it is assigned to, and nobody else (MACE protocols: each agency reports
/// on its own actions).
pub fn may_update_panel_action(
    actor: &Actor,
    owner_org: Option<OrgId>,
    owner_user: Option<UserId>,
) -> bool {
    match actor.role {
        Role::PanelCoordinator => true,
        Role::PartnerPractitioner => {
            owner_org == Some(actor.org_id) || owner_user == Some(actor.user_id)
        }
        Role::Sysadmin | Role::Analyst | Role::PrivacyOfficer | Role::RhiProvider => false,
        _ => owner_user == Some(actor.user_id),
    }
}

/// Whose caseload figures are asked for, with the facts the policy needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseloadScope {
    /// One worker's caseload, child by child.
    Worker {
        /// The worker.
        user: UserId,
        /// Their team.
        team: Option<TeamId>,
        /// The pod serving that team.
        pod: Option<PodId>,
        /// That team's manager.
        manager: Option<UserId>,
    },
    /// A team's dashboard (per worker, and the team's override report).
    Team {
        /// The team.
        team: TeamId,
        /// The pod serving it.
        pod: Option<PodId>,
        /// Its manager.
        manager: Option<UserId>,
    },
    /// A pod's dashboard (the teams it serves).
    Pod {
        /// The pod.
        pod: PodId,
    },
}

/// Who sees which caseload dashboard (LGA employer standard 3: managers
/// monitor workloads; workers see their own). A worker sees their own; a
/// team manager their own team's workers and dashboard; a pod administrator
/// those of the teams their pod serves, and their pod's dashboard.
/// Service-wide figures are [`ServiceAction::ViewServiceCaseloads`].
pub fn may_view_caseload(actor: &Actor, scope: CaseloadScope) -> bool {
    let manages = |team: Option<TeamId>, manager: Option<UserId>| {
        actor.role == Role::TeamManager
            && (manager == Some(actor.user_id) || (team.is_some() && team == actor.team_id))
    };
    let pod_serves =
        |pod: Option<PodId>| actor.role == Role::PodAdmin && pod.is_some() && pod == actor.pod_id;
    match scope {
        CaseloadScope::Worker {
            user,
            team,
            pod,
            manager,
        } => {
            (user == actor.user_id && matches!(actor.role, Role::SocialWorker | Role::TeamManager))
                || manages(team, manager)
                || pod_serves(pod)
        }
        CaseloadScope::Team { team, pod, manager } => {
            manages(Some(team), manager) || pod_serves(pod)
        }
        CaseloadScope::Pod { pod } => pod_serves(Some(pod)),
    }
}

/// Where a user's "Caseloads" menu item leads: the widest caseload view
/// the policy gives them (a team manager their team's dashboard, a pod
/// administrator their pod's, a case-holder their own, an analyst the
/// service's), or none. The menu asks this, so it never offers a page the
/// policy would refuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseloadHome {
    /// One's own caseload (`/caseload`).
    Own,
    /// A team's dashboard.
    Team(TeamId),
    /// A pod's dashboard.
    Pod(PodId),
    /// The service-wide figures.
    Service,
}

/// The caseload view the menu offers (see [`CaseloadHome`]).
pub fn caseload_home(actor: &Actor) -> Option<CaseloadHome> {
    if let Some(team) = actor.team_id {
        let scope = CaseloadScope::Team {
            team,
            pod: None,
            manager: None,
        };
        if actor.role == Role::TeamManager && may_view_caseload(actor, scope) {
            return Some(CaseloadHome::Team(team));
        }
    }
    if let Some(pod) = actor.pod_id
        && may_view_caseload(actor, CaseloadScope::Pod { pod })
    {
        return Some(CaseloadHome::Pod(pod));
    }
    if decide_service(actor, ServiceAction::ViewOwnCaseload) {
        return Some(CaseloadHome::Own);
    }
    if decide_service(actor, ServiceAction::ViewServiceCaseloads) {
        return Some(CaseloadHome::Service);
    }
    None
}

/// Only a team manager may allocate a child to a worker past their
/// protected ASYE cap or the red threshold, and then only with a reason
/// (BASW/Unison: escalation when demand exceeds capacity; domain reference
/// §9). The override is stored, audited and reported.
pub fn may_override_capacity(actor: &Actor) -> bool {
    actor.role == Role::TeamManager
}

/// Something one can do with a person's supervision file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SupervisionAction {
    /// The file: sessions, case discussions, actions and reviews.
    ViewFile,
    /// The notes about the worker themselves (wellbeing, development,
    /// workload): the non-case part, private to the supervisee and their
    /// line manager.
    ViewWorkerNotes,
    /// Write or change a draft record.
    Draft,
    /// Sign a record off (approve a pod's draft).
    SignOff,
}

impl SupervisionAction {
    /// Every action.
    pub const ALL: [SupervisionAction; 4] = [
        Self::ViewFile,
        Self::ViewWorkerNotes,
        Self::Draft,
        Self::SignOff,
    ];
    /// The audit action name.
    pub fn audit_name(self) -> &'static str {
        match self {
            Self::ViewFile => "supervision.view",
            Self::ViewWorkerNotes => "supervision.view_notes",
            Self::Draft => "supervision.draft",
            Self::SignOff => "supervision.sign_off",
        }
    }
}

/// Facts about the person supervised, read fresh for the request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SuperviseeFacts {
    /// The supervisee.
    pub supervisee: UserId,
    /// Their team.
    pub team: Option<TeamId>,
    /// That team's manager.
    pub team_manager: Option<UserId>,
    /// The pod supporting that team.
    pub team_pod: Option<PodId>,
    /// For a designated teacher in a partnership school: the social-care
    /// manager named as their supervisor (schools partnership).
    pub dt_supervisor: Option<UserId>,
}

/// Decide what `actor` may do with the supervision file of the person
/// described by `f`. The supervisee sees their own file; their team manager
/// sees, drafts and signs off; the pod supporting the team drafts for the
/// manager (the manager signs off) but never reads the notes about the
/// worker; colleagues see nothing (LGA employer standards 2014, std 5:
/// supervision is a confidential, regular space; Ofsted wants case
/// discussions on the child's record, which they are, separately).
pub fn decide_supervision(
    actor: &Actor,
    action: SupervisionAction,
    f: &SuperviseeFacts,
) -> Result<(), Denied> {
    use SupervisionAction::*;
    let own = actor.user_id == f.supervisee;
    let manager = actor.role == Role::TeamManager
        && !own
        && (f.team_manager == Some(actor.user_id)
            || (f.team.is_some() && f.team == actor.team_id)
            || f.dt_supervisor == Some(actor.user_id));
    let pod =
        actor.role == Role::PodAdmin && !own && f.team_pod.is_some() && f.team_pod == actor.pod_id;
    let ok = match action {
        ViewFile => own || manager || pod,
        ViewWorkerNotes => own || manager,
        Draft => manager || pod,
        SignOff => manager,
    };
    if ok {
        Ok(())
    } else {
        Err(Denied {
            reason: if own || manager || pod {
                DenyReason::ActionNotPermitted
            } else {
                DenyReason::NoRelationship
            },
            break_glass_available: false,
        })
    }
}

/// Something one can do with a school's records (schools partnership and
/// children missing education, domain reference §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SchoolAction {
    /// The school's page: staff, membership, contacts and notifications.
    View,
    /// Add a school, its staff, and partnership membership.
    Manage,
    /// Record a contact or referral from the school (the front door).
    RecordContact,
    /// The school's report by term: figures only, no child.
    ViewReport,
    /// Record a registration or deletion notice from the school.
    RecordNotice,
}

impl SchoolAction {
    /// Every action.
    pub const ALL: [SchoolAction; 5] = [
        Self::View,
        Self::Manage,
        Self::RecordContact,
        Self::ViewReport,
        Self::RecordNotice,
    ];
    /// The audit action name.
    pub fn audit_name(self) -> &'static str {
        match self {
            Self::View => "school.view",
            Self::Manage => "school.manage",
            Self::RecordContact => "school.contact",
            Self::ViewReport => "school.report",
            Self::RecordNotice => "cme.notice",
        }
    }
}

/// Facts about one school for the policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SchoolFacts {
    /// The organisation the school's own staff sign in under (None: the
    /// school has no Harbour users).
    pub school_org: Option<OrgId>,
}

/// Decide what `actor` may do with a school's records.
///
/// - The authority's own staff see every school; the front door (social
///   workers, managers, pods) records contacts and notices; managers and
///   pods keep the list of schools, staff and membership.
/// - A school's own practitioners (partner practitioners in the school's
///   organisation) see their own school only: its page, report, and the
///   notices they send (information sharing advice 2024, golden rule 6:
///   only what they need); never another school's.
/// - The analyst sees the report's figures for every school, and nothing
///   naming a child.
pub fn decide_school(actor: &Actor, action: SchoolAction, f: &SchoolFacts) -> bool {
    use Role::*;
    let internal = matches!(
        actor.role,
        SocialWorker | TeamManager | PodAdmin | EdtWorker | PanelCoordinator
    );
    let front_door = matches!(actor.role, SocialWorker | TeamManager | PodAdmin);
    let own_school = actor.role == PartnerPractitioner && f.school_org == Some(actor.org_id);
    match action {
        SchoolAction::View => internal || own_school,
        SchoolAction::Manage => matches!(actor.role, TeamManager | PodAdmin),
        SchoolAction::RecordContact => front_door,
        SchoolAction::ViewReport => internal || own_school || actor.role == Analyst,
        SchoolAction::RecordNotice => front_door || own_school,
    }
}

/// Only the manager a pod administrator recorded a decision or oversight
/// entry for may confirm it as theirs.
pub fn may_confirm_oversight(actor: &Actor, manager: UserId) -> bool {
    actor.role == Role::TeamManager && actor.user_id == manager
}

/// A partner practitioner may open findings notified to their own
/// organisation, and nobody else's (information sharing advice 2024,
/// golden rule 6: share with those who have a safeguarding role).
pub fn may_open_notification(actor: &Actor, recipient_org: Option<OrgId>) -> bool {
    actor.role == Role::PartnerPractitioner && recipient_org == Some(actor.org_id)
}

/// Whether `actor` may see the access history of `subject` (a user), whose team is `subject_team`.
pub fn may_view_user_history(actor: &Actor, subject: UserId, subject_team: Option<TeamId>) -> bool {
    actor.user_id == subject
        || actor.role == Role::PrivacyOfficer
        || (actor.role == Role::TeamManager
            && subject_team.is_some()
            && subject_team == actor.team_id)
}

/// Contextual safeguarding (persons of concern, peer groups, locations and the
/// rest, `crate::contexts`): what one may do with contexts as such. A child's
/// network is part of the child's record and follows [`decide_child`]
/// (`ViewRecord` to see it; linking needs `AddNote` as well as
/// [`ContextAction::Link`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContextAction {
    /// Open context records, the hotspot list, children who share a context
    /// and the suggested links.
    View,
    /// Record a context or link one to a child.
    Link,
    /// Confirm or dismiss a suggested link.
    DecideSuggestion,
}

impl ContextAction {
    /// Every action.
    pub const ALL: [ContextAction; 3] = [Self::View, Self::Link, Self::DecideSuggestion];
    /// The audit action name.
    pub fn audit_name(self) -> &'static str {
        match self {
            Self::View => "context.view",
            Self::Link => "context.link",
            Self::DecideSuggestion => "context.suggestion.decide",
        }
    }
}

/// Who may work with contexts. They hold unproven allegations about adults
/// and children (domain reference §5: "tight access control"), so: the
/// authority's case-holding roles, the panel coordinator and, to view them,
/// police partner practitioners (MACE panels share persons and locations of
/// concern with the police). Never the return-interview provider, other
/// partners, analysts, the privacy officer or system administrators.
/// `org_kind` is the kind of the actor's organisation.
pub fn decide_contexts(actor: &Actor, org_kind: OrgKind, action: ContextAction) -> bool {
    use Role::*;
    let internal = matches!(
        actor.role,
        SocialWorker | TeamManager | PodAdmin | EdtWorker | PanelCoordinator
    );
    let police = actor.role == PartnerPractitioner && org_kind == OrgKind::Police;
    match action {
        ContextAction::View => internal || police,
        ContextAction::Link => internal,
        ContextAction::DecideSuggestion => {
            matches!(actor.role, SocialWorker | TeamManager | PanelCoordinator)
        }
    }
}

/// Whether the actor may see police intelligence (a context recorded from
/// police information, or a link whose source is the police) about a child:
/// police partner practitioners, the panel coordinator, team managers and
/// the child's allocated worker (`allocated_to_actor`) — never the
/// return-interview provider, other partners, pods, the out-of-hours team or
/// anyone else (information sharing advice 2024, golden rule 6: share only
/// with those who need it; police intelligence is disclosed for a
/// safeguarding purpose, not for general case access). Whether the actor may
/// see the child at all is decided first, by [`decide_child`].
pub fn may_see_police_intelligence(
    actor: &Actor,
    org_kind: OrgKind,
    allocated_to_actor: bool,
) -> bool {
    match actor.role {
        Role::PartnerPractitioner => org_kind == OrgKind::Police,
        Role::PanelCoordinator | Role::TeamManager => true,
        Role::SocialWorker => allocated_to_actor,
        _ => false,
    }
}

/// Whether the actor may ask for break-glass access at all.
pub fn may_break_glass(actor: &Actor) -> bool {
    matches!(
        actor.role,
        Role::SocialWorker
            | Role::TeamManager
            | Role::PodAdmin
            | Role::EdtWorker
            | Role::PanelCoordinator
            | Role::PrivacyOfficer
    )
}

/// The longest a break-glass grant may last, in minutes. Long enough for a
/// night's emergency, short enough that it is not a standing permission.
pub const BREAK_GLASS_MAX_MINUTES: i64 = 8 * 60;

#[cfg(test)]
mod tests {
    use super::*;
    use ChildAction::*;

    const ME: UserId = UserId(uuid::Uuid::from_u128(1));
    const MY_TEAM: TeamId = TeamId(uuid::Uuid::from_u128(10));
    const OTHER_TEAM: TeamId = TeamId(uuid::Uuid::from_u128(11));
    const MY_POD: PodId = PodId(uuid::Uuid::from_u128(20));
    const OTHER_POD: PodId = PodId(uuid::Uuid::from_u128(21));
    const OTHER_MANAGER: UserId = UserId(uuid::Uuid::from_u128(2));

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: ME,
            role,
            org_id: OrgId(uuid::Uuid::from_u128(100)),
            team_id: Some(MY_TEAM),
            pod_id: Some(MY_POD),
        }
    }

    /// The relationships the table below uses.
    #[derive(Clone, Copy, Debug)]
    enum Rel {
        Allocated,
        Team,
        Other,
        Unallocated,
        SharedSummary,
        SharedRecord,
        RestrictedTeam,
        RestrictedAllocated,
        BreakGlass,
    }

    const ALL_RELS: [Rel; 9] = [
        Rel::Allocated,
        Rel::Team,
        Rel::Other,
        Rel::Unallocated,
        Rel::SharedSummary,
        Rel::SharedRecord,
        Rel::RestrictedTeam,
        Rel::RestrictedAllocated,
        Rel::BreakGlass,
    ];

    fn facts(rel: Rel, role: Role) -> ChildFacts {
        let mut f = ChildFacts {
            allocated_team: Some(OTHER_TEAM),
            allocated_team_pod: Some(OTHER_POD),
            allocated_team_manager: Some(OTHER_MANAGER),
            ..Default::default()
        };
        let mine = |f: &mut ChildFacts| {
            f.allocated_team = Some(MY_TEAM);
            f.allocated_team_pod = Some(MY_POD);
            f.allocated_team_manager = Some(if role == Role::TeamManager {
                ME
            } else {
                OTHER_MANAGER
            });
        };
        match rel {
            Rel::Allocated => {
                mine(&mut f);
                f.allocated_to_actor = true;
            }
            Rel::Team => mine(&mut f),
            Rel::Other => {}
            Rel::Unallocated => {
                f.allocated_team = None;
                f.allocated_team_pod = None;
                f.allocated_team_manager = None;
            }
            Rel::SharedSummary => f.share = Some(ShareScope::Summary),
            Rel::SharedRecord => f.share = Some(ShareScope::Record),
            Rel::RestrictedTeam => {
                mine(&mut f);
                f.restricted = true;
            }
            Rel::RestrictedAllocated => {
                mine(&mut f);
                f.restricted = true;
                f.allocated_to_actor = true;
            }
            Rel::BreakGlass => f.break_glass = true,
        }
        f
    }

    /// Expected view access (ViewRecord) per role × relationship. `B` = denied but
    /// break-glass available, `N` = denied, `Y` = allowed.
    #[test]
    fn view_record_matrix() {
        use Role::*;
        let rels = ALL_RELS;
        #[rustfmt::skip]
        let table: [(Role, &str); 10] = [
            //                   Alloc Team Other Unall ShSum ShRec RTeam RAll  BG
            (SocialWorker,        "Y    Y    B     B     B     B     B     Y     Y"),
            (TeamManager,         "Y    Y    B     Y     B     B     Y     Y     Y"),
            (PodAdmin,            "Y    Y    B     Y     B     B     B     B     Y"),
            (EdtWorker,           "Y    Y    Y     Y     Y     Y     B     B     Y"),
            (PanelCoordinator,    "Y    Y    Y     Y     Y     Y     B     B     Y"),
            (PartnerPractitioner, "N    N    N     N     N     Y     N     N     N"),
            (RhiProvider,         "N    N    N     N     N     Y     N     N     N"),
            (Analyst,             "N    N    N     N     N     N     N     N     N"),
            (PrivacyOfficer,      "B    B    B     B     B     B     B     B     Y"),
            (Sysadmin,            "N    N    N     N     N     N     N     N     N"),
        ];
        for (role, row) in table {
            let expected: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(expected.len(), rels.len());
            for (rel, want) in rels.iter().zip(expected) {
                let got = match decide_child(&actor(role), ViewRecord, &facts(*rel, role)) {
                    Ok(_) => "Y",
                    Err(d) if d.break_glass_available => "B",
                    Err(_) => "N",
                };
                assert_eq!(got, want, "{role:?} × {rel:?}");
            }
        }
    }

    /// The out-of-hours actions per role × relationship (`B`: denied, but
    /// break-glass would allow it).
    #[test]
    fn out_of_hours_matrix() {
        use Role::*;
        let rels = ALL_RELS;
        #[rustfmt::skip]
        let tables: [(ChildAction, [(Role, &str); 10]); 6] = [
            (ViewCrisisSummary, [
                //                   Alloc Team Other Unall ShSum ShRec RTeam RAll  BG
                (SocialWorker,        "Y    Y    B     B     B     B     B     Y     Y"),
                (TeamManager,         "Y    Y    B     Y     B     B     Y     Y     Y"),
                (PodAdmin,            "Y    Y    B     Y     B     B     B     B     Y"),
                (EdtWorker,           "Y    Y    Y     Y     Y     Y     B     B     Y"),
                (PanelCoordinator,    "Y    Y    Y     Y     Y     Y     B     B     Y"),
                (PartnerPractitioner, "N    N    N     N     N     N     N     N     N"),
                (RhiProvider,         "N    N    N     N     N     N     N     N     N"),
                (Analyst,             "N    N    N     N     N     N     N     N     N"),
                (PrivacyOfficer,      "N    N    N     N     N     N     N     N     N"),
                (Sysadmin,            "N    N    N     N     N     N     N     N     N"),
            ]),
            (EditSafetyPlan, [
                (SocialWorker,        "Y    N    N     N     N     N     N     Y     N"),
                (TeamManager,         "Y    Y    N     Y     N     N     Y     Y     N"),
                (PodAdmin,            "N    N    N     N     N     N     N     N     N"),
                (EdtWorker,           "N    N    N     N     N     N     N     N     N"),
                (PanelCoordinator,    "N    N    N     N     N     N     N     N     N"),
                (PartnerPractitioner, "N    N    N     N     N     N     N     N     N"),
                (RhiProvider,         "N    N    N     N     N     N     N     N     N"),
                (Analyst,             "N    N    N     N     N     N     N     N     N"),
                (PrivacyOfficer,      "N    N    N     N     N     N     N     N     N"),
                (Sysadmin,            "N    N    N     N     N     N     N     N     N"),
            ]),
            (LeaveEdtAlert, [
                (SocialWorker,        "Y    Y    N     N     N     N     N     Y     N"),
                (TeamManager,         "Y    Y    N     Y     N     N     Y     Y     N"),
                (PodAdmin,            "N    N    N     N     N     N     N     N     N"),
                (EdtWorker,           "N    N    N     N     N     N     N     N     N"),
                (PanelCoordinator,    "N    N    N     N     N     N     N     N     N"),
                (PartnerPractitioner, "N    N    N     N     N     N     N     N     N"),
                (RhiProvider,         "N    N    N     N     N     N     N     N     N"),
                (Analyst,             "N    N    N     N     N     N     N     N     N"),
                (PrivacyOfficer,      "N    N    N     N     N     N     N     N     N"),
                (Sysadmin,            "N    N    N     N     N     N     N     N     N"),
            ]),
            (RecordOohContact, [
                (SocialWorker,        "N    N    N     N     N     N     N     N     N"),
                (TeamManager,         "N    N    N     N     N     N     N     N     N"),
                (PodAdmin,            "N    N    N     N     N     N     N     N     N"),
                (EdtWorker,           "Y    Y    Y     Y     Y     Y     B     B     Y"),
                (PanelCoordinator,    "N    N    N     N     N     N     N     N     N"),
                (PartnerPractitioner, "N    N    N     N     N     N     N     N     N"),
                (RhiProvider,         "N    N    N     N     N     N     N     N     N"),
                (Analyst,             "N    N    N     N     N     N     N     N     N"),
                (PrivacyOfficer,      "N    N    N     N     N     N     N     N     N"),
                (Sysadmin,            "N    N    N     N     N     N     N     N     N"),
            ]),
            (RecordPlacementSupport, [
                (SocialWorker,        "Y    Y    N     N     N     N     N     Y     N"),
                (TeamManager,         "Y    Y    N     Y     N     N     Y     Y     N"),
                (PodAdmin,            "N    N    N     N     N     N     N     N     N"),
                (EdtWorker,           "Y    Y    Y     Y     Y     Y     B     B     Y"),
                (PanelCoordinator,    "N    N    N     N     N     N     N     N     N"),
                (PartnerPractitioner, "N    N    N     N     N     N     N     N     N"),
                (RhiProvider,         "N    N    N     N     N     N     N     N     N"),
                (Analyst,             "N    N    N     N     N     N     N     N     N"),
                (PrivacyOfficer,      "N    N    N     N     N     N     N     N     N"),
                (Sysadmin,            "N    N    N     N     N     N     N     N     N"),
            ]),
            (AcknowledgeHandover, [
                (SocialWorker,        "Y    Y    N     N     N     N     N     Y     N"),
                (TeamManager,         "Y    Y    N     Y     N     N     Y     Y     N"),
                (PodAdmin,            "Y    Y    N     Y     N     N     N     N     N"),
                (EdtWorker,           "N    N    N     N     N     N     N     N     N"),
                (PanelCoordinator,    "N    N    N     N     N     N     N     N     N"),
                (PartnerPractitioner, "N    N    N     N     N     N     N     N     N"),
                (RhiProvider,         "N    N    N     N     N     N     N     N     N"),
                (Analyst,             "N    N    N     N     N     N     N     N     N"),
                (PrivacyOfficer,      "N    N    N     N     N     N     N     N     N"),
                (Sysadmin,            "N    N    N     N     N     N     N     N     N"),
            ]),
        ];
        for (action, table) in tables {
            for (role, row) in table {
                let expected: Vec<&str> = row.split_whitespace().collect();
                assert_eq!(expected.len(), rels.len());
                for (rel, want) in rels.iter().zip(expected) {
                    let got = match decide_child(&actor(role), action, &facts(*rel, role)) {
                        Ok(_) => "Y",
                        Err(d) if d.break_glass_available => "B",
                        Err(_) => "N",
                    };
                    assert_eq!(got, want, "{action:?}: {role:?} × {rel:?}");
                }
            }
        }
    }

    #[test]
    fn partners_with_summary_share_see_only_the_summary() {
        for role in [Role::PartnerPractitioner, Role::RhiProvider] {
            let f = facts(Rel::SharedSummary, role);
            assert!(decide_child(&actor(role), ViewSummary, &f).is_ok());
            assert!(decide_child(&actor(role), ViewRecord, &f).is_err());
            assert!(decide_child(&actor(role), AddNote, &f).is_err());
            for a in [Edit, AddDecision, Allocate, Share, ViewAccessLog] {
                assert!(decide_child(&actor(role), a, &facts(Rel::SharedRecord, role)).is_err());
            }
        }
    }

    #[test]
    fn the_philomena_profile_follows_the_record_but_never_reaches_the_interview_provider() {
        use Role::*;
        let rels = ALL_RELS;
        for role in Role::ALL {
            for rel in rels {
                let f = facts(rel, role);
                let record = decide_child(&actor(role), ViewRecord, &f);
                let profile = decide_child(&actor(role), ViewPhilomena, &f);
                if role == RhiProvider {
                    assert!(profile.is_err(), "{rel:?}");
                } else {
                    assert_eq!(
                        record.map(|a| a.via_break_glass()),
                        profile.map(|a| a.via_break_glass()),
                        "{role:?} × {rel:?}"
                    );
                }
            }
        }
        // Police see it only with a record share.
        let p = |rel| {
            decide_child(
                &actor(PartnerPractitioner),
                ViewPhilomena,
                &facts(rel, PartnerPractitioner),
            )
        };
        assert!(p(Rel::SharedRecord).is_ok());
        assert!(p(Rel::SharedSummary).is_err());
    }

    #[test]
    fn sysadmin_and_analyst_never_reach_case_content() {
        for role in [Role::Sysadmin, Role::Analyst] {
            for a in ChildAction::ALL {
                for rel in [
                    Rel::Allocated,
                    Rel::Team,
                    Rel::BreakGlass,
                    Rel::SharedRecord,
                ] {
                    let d = decide_child(&actor(role), a, &facts(rel, role)).unwrap_err();
                    assert!(!d.break_glass_available);
                }
            }
        }
    }

    #[test]
    fn decisions_allocation_sharing_and_access_logs() {
        let a = |role, action, rel| decide_child(&actor(role), action, &facts(rel, role)).is_ok();
        // Decisions: managers, pods (on a manager's behalf), EDT and panel; not social workers.
        assert!(a(Role::TeamManager, AddDecision, Rel::Team));
        assert!(a(Role::PodAdmin, AddDecision, Rel::Team));
        assert!(a(Role::EdtWorker, AddDecision, Rel::Other));
        assert!(!a(Role::SocialWorker, AddDecision, Rel::Allocated));
        assert!(!a(Role::PodAdmin, AddDecision, Rel::Other));
        // Allocation: the team manager, for their team or unallocated children.
        assert!(a(Role::TeamManager, Allocate, Rel::Team));
        assert!(a(Role::TeamManager, Allocate, Rel::Unallocated));
        assert!(!a(Role::TeamManager, Allocate, Rel::Other));
        assert!(!a(Role::SocialWorker, Allocate, Rel::Allocated));
        // Sharing: worker and manager with a relationship.
        assert!(a(Role::SocialWorker, Share, Rel::Allocated));
        assert!(!a(Role::EdtWorker, Share, Rel::Other));
        // Access log: the manager of the allocated team and the privacy officer.
        assert!(a(Role::TeamManager, ViewAccessLog, Rel::Team));
        assert!(a(Role::PrivacyOfficer, ViewAccessLog, Rel::Other));
        assert!(!a(Role::SocialWorker, ViewAccessLog, Rel::Allocated));
        // Editing details: close relationship only.
        assert!(a(Role::SocialWorker, Edit, Rel::Allocated));
        assert!(!a(Role::EdtWorker, Edit, Rel::Other));
        assert!(!a(Role::SocialWorker, Edit, Rel::BreakGlass));
    }

    #[test]
    fn break_glass_marks_the_permission() {
        let f = facts(Rel::BreakGlass, Role::SocialWorker);
        let ok = decide_child(&actor(Role::SocialWorker), ViewRecord, &f).unwrap();
        assert!(ok.via_break_glass());
        assert_eq!(ok.child_id(), f.child_id);
        let f = facts(Rel::Allocated, Role::SocialWorker);
        assert!(
            !decide_child(&actor(Role::SocialWorker), ViewRecord, &f)
                .unwrap()
                .via_break_glass()
        );
    }

    #[test]
    fn a_restricted_child_waiting_for_allocation_can_be_allocated_by_a_manager() {
        let mut f = facts(Rel::Unallocated, Role::TeamManager);
        f.restricted = true;
        assert!(decide_child(&actor(Role::TeamManager), Allocate, &f).is_ok());
        assert!(decide_child(&actor(Role::TeamManager), ViewRecord, &f).is_ok());
        let d = decide_child(&actor(Role::PodAdmin), ViewRecord, &f).unwrap_err();
        assert_eq!(d.reason, DenyReason::Restricted);
        assert!(d.break_glass_available);
    }

    #[test]
    fn only_the_assigned_provider_works_on_an_interview() {
        let org = OrgId(uuid::Uuid::from_u128(100));
        let other = OrgId(uuid::Uuid::from_u128(101));
        let child = ChildId(uuid::Uuid::from_u128(7));
        let ok = decide_interview(&actor(Role::RhiProvider), org, child).unwrap();
        assert_eq!((ok.child_id(), ok.action()), (child, ViewSummary));
        assert!(decide_interview(&actor(Role::RhiProvider), other, child).is_err());
        for role in Role::ALL.into_iter().filter(|r| *r != Role::RhiProvider) {
            assert!(
                decide_interview(&actor(role), org, child).is_err(),
                "{role:?}"
            );
        }
    }

    #[test]
    fn restricted_reason_is_reported() {
        let d = decide_child(
            &actor(Role::EdtWorker),
            ViewRecord,
            &facts(Rel::RestrictedTeam, Role::EdtWorker),
        )
        .unwrap_err();
        assert_eq!(d.reason, DenyReason::Restricted);
        let d = decide_child(
            &actor(Role::SocialWorker),
            ViewRecord,
            &facts(Rel::Other, Role::SocialWorker),
        )
        .unwrap_err();
        assert_eq!(d.reason, DenyReason::NoRelationship);
    }

    #[test]
    fn service_actions_table() {
        use Role::*;
        use ServiceAction::*;
        #[rustfmt::skip]
        let table: [(ServiceAction, &[Role]); 32] = [
            (SearchChildren, &[SocialWorker, TeamManager, PodAdmin, EdtWorker, PanelCoordinator, PartnerPractitioner, RhiProvider, PrivacyOfficer]),
            (CreateChild, &[SocialWorker, TeamManager, PodAdmin, EdtWorker]),
            (ViewMyWork, &[SocialWorker, TeamManager, PodAdmin, EdtWorker, PanelCoordinator, PartnerPractitioner, RhiProvider]),
            (ViewStaff, &[TeamManager, PodAdmin, Sysadmin]),
            (ManageStaff, &[Sysadmin]),
            (ViewStats, &[TeamManager, Analyst]),
            (PrivacyOversight, &[PrivacyOfficer]),
            (VerifyAudit, &[PrivacyOfficer, Sysadmin]),
            (RhiQueue, &[RhiProvider]),
            (ReceiveFindings, &[PartnerPractitioner]),
            (HostView, &[TeamManager, EdtWorker, PanelCoordinator]),
            (ViewOwnCaseload, &[SocialWorker, TeamManager]),
            (ViewServiceCaseloads, &[TeamManager, Analyst]),
            (ViewWorkforce, &[TeamManager, Analyst, Sysadmin]),
            (ManageEstablishment, &[Sysadmin]),
            (BulkReallocate, &[TeamManager]),
            (ViewSupervision, &[SocialWorker, TeamManager, PodAdmin]),
            (OversightLog, &[TeamManager, PodAdmin]),
            (RecordGroupSupervision, &[TeamManager, PodAdmin]),
            (EscalationQueue, &[TeamManager, PanelCoordinator]),
            (RunPanel, &[PanelCoordinator]),
            (PanelActions, &[PanelCoordinator, PartnerPractitioner]),
            (ViewDisclosures, &[PrivacyOfficer]),
            (ViewDashboards, &[TeamManager, Analyst]),
            (StatutoryLists, &[TeamManager, Analyst]),
            (ViewSchools, &[SocialWorker, TeamManager, PodAdmin, EdtWorker, PanelCoordinator, PartnerPractitioner, Analyst]),
            (CmeCases, &[SocialWorker, TeamManager, PodAdmin]),
            (OutOfHours, &[EdtWorker, TeamManager]),
            (Handovers, &[SocialWorker, TeamManager, PodAdmin, EdtWorker]),
            (ViewDataQuality, &[SocialWorker, TeamManager, Analyst]),
            (RetentionReview, &[PrivacyOfficer]),
            (SubjectAccess, &[PrivacyOfficer]),
        ];
        for (action, allowed) in table {
            for role in Role::ALL {
                assert_eq!(
                    decide_service(&actor(role), action),
                    allowed.contains(&role),
                    "{role:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn only_the_privacy_officer_assembles_a_subject_access_response() {
        let c = ChildId::new();
        for role in Role::ALL {
            let got = decide_subject_access(&actor(role), c);
            assert_eq!(got.is_ok(), role == Role::PrivacyOfficer, "{role:?}");
            if let Ok(a) = got {
                assert_eq!(
                    (a.child_id(), a.action(), a.via_break_glass()),
                    (c, ChildAction::ViewRecord, false)
                );
            }
        }
    }

    /// Case discussions and oversight entries: the team manager (their team,
    /// restricted records and unallocated children included) and the pod
    /// that supports the team (not restricted records); nobody by break-glass.
    #[test]
    fn case_discussion_and_oversight_matrix() {
        use Role::*;
        #[rustfmt::skip]
        let table: [(Role, &str); 10] = [
            //                   Alloc Team Other Unall ShSum ShRec RTeam RAll  BG
            (SocialWorker,        "N    N    N     N     N     N     N     N     N"),
            (TeamManager,         "Y    Y    N     Y     N     N     Y     Y     N"),
            (PodAdmin,            "Y    Y    N     Y     N     N     N     N     N"),
            (EdtWorker,           "N    N    N     N     N     N     N     N     N"),
            (PanelCoordinator,    "N    N    N     N     N     N     N     N     N"),
            (PartnerPractitioner, "N    N    N     N     N     N     N     N     N"),
            (RhiProvider,         "N    N    N     N     N     N     N     N     N"),
            (Analyst,             "N    N    N     N     N     N     N     N     N"),
            (PrivacyOfficer,      "N    N    N     N     N     N     N     N     N"),
            (Sysadmin,            "N    N    N     N     N     N     N     N     N"),
        ];
        for action in [RecordCaseDiscussion, AddOversight] {
            for (role, row) in table {
                let expected: Vec<&str> = row.split_whitespace().collect();
                for (rel, want) in ALL_RELS.iter().zip(expected) {
                    let got = match decide_child(&actor(role), action, &facts(*rel, role)) {
                        Ok(_) => "Y",
                        Err(d) if d.break_glass_available => "B",
                        Err(_) => "N",
                    };
                    assert_eq!(got, want, "{action:?} {role:?} × {rel:?}");
                }
            }
        }
    }

    /// Children missing education: the case-holding line and its pod, as a
    /// note; by break-glass for those roles; never anyone else.
    #[test]
    fn cme_matrix() {
        use Role::*;
        #[rustfmt::skip]
        let table: [(Role, &str); 10] = [
            //                   Alloc Team Other Unall ShSum ShRec RTeam RAll  BG
            (SocialWorker,        "Y    Y    B     B     B     B     B     Y     Y"),
            (TeamManager,         "Y    Y    B     Y     B     B     Y     Y     Y"),
            (PodAdmin,            "Y    Y    B     Y     B     B     B     B     Y"),
            (EdtWorker,           "N    N    N     N     N     N     N     N     N"),
            (PanelCoordinator,    "N    N    N     N     N     N     N     N     N"),
            (PartnerPractitioner, "N    N    N     N     N     N     N     N     N"),
            (RhiProvider,         "N    N    N     N     N     N     N     N     N"),
            (Analyst,             "N    N    N     N     N     N     N     N     N"),
            (PrivacyOfficer,      "N    N    N     N     N     N     N     N     N"),
            (Sysadmin,            "N    N    N     N     N     N     N     N     N"),
        ];
        for (role, row) in table {
            let expected: Vec<&str> = row.split_whitespace().collect();
            for (rel, want) in ALL_RELS.iter().zip(expected) {
                let got = match decide_child(&actor(role), ManageCme, &facts(*rel, role)) {
                    Ok(_) => "Y",
                    Err(d) if d.break_glass_available => "B",
                    Err(_) => "N",
                };
                assert_eq!(got, want, "ManageCme {role:?} × {rel:?}");
            }
        }
    }

    /// Schools: columns are the actor's own school, another school, and a
    /// school with no Harbour users. The actor's organisation is `MY_ORG`.
    #[test]
    fn school_actions_table() {
        use Role::*;
        use SchoolAction::*;
        let mine = SchoolFacts {
            school_org: Some(actor(PartnerPractitioner).org_id),
        };
        let other = SchoolFacts {
            school_org: Some(OrgId(uuid::Uuid::from_u128(77))),
        };
        let none = SchoolFacts::default();
        #[rustfmt::skip]
        let table: &[(Role, SchoolAction, &str)] = &[
            //                                  own other none
            (SocialWorker,        View,          "Y   Y     Y"),
            (SocialWorker,        Manage,        "N   N     N"),
            (SocialWorker,        RecordContact, "Y   Y     Y"),
            (SocialWorker,        ViewReport,    "Y   Y     Y"),
            (SocialWorker,        RecordNotice,  "Y   Y     Y"),
            (TeamManager,         Manage,        "Y   Y     Y"),
            (PodAdmin,            Manage,        "Y   Y     Y"),
            (PodAdmin,            RecordNotice,  "Y   Y     Y"),
            (EdtWorker,           View,          "Y   Y     Y"),
            (EdtWorker,           RecordContact, "N   N     N"),
            (EdtWorker,           RecordNotice,  "N   N     N"),
            (PanelCoordinator,    Manage,        "N   N     N"),
            (PartnerPractitioner, View,          "Y   N     N"),
            (PartnerPractitioner, ViewReport,    "Y   N     N"),
            (PartnerPractitioner, RecordNotice,  "Y   N     N"),
            (PartnerPractitioner, RecordContact, "N   N     N"),
            (PartnerPractitioner, Manage,        "N   N     N"),
            (Analyst,             ViewReport,    "Y   Y     Y"),
            (Analyst,             View,          "N   N     N"),
            (Analyst,             RecordNotice,  "N   N     N"),
            (RhiProvider,         ViewReport,    "N   N     N"),
            (PrivacyOfficer,      View,          "N   N     N"),
            (Sysadmin,            ViewReport,    "N   N     N"),
        ];
        for (role, action, row) in table {
            for (col, want) in row.split_whitespace().enumerate() {
                let f = [mine, other, none][col];
                assert_eq!(
                    decide_school(&actor(*role), *action, &f),
                    want == "Y",
                    "{role:?} {action:?} column {col}"
                );
            }
        }
        // Every action has a distinct audit name.
        let names: std::collections::BTreeSet<_> =
            SchoolAction::ALL.iter().map(|a| a.audit_name()).collect();
        assert_eq!(names.len(), SchoolAction::ALL.len());
    }

    /// A designated teacher (a school's partner practitioner, in no team) is
    /// supervised by the social-care manager named as their supervisor, and
    /// by nobody else in social care; they see their own file.
    #[test]
    fn designated_teacher_supervision() {
        use Role::*;
        use SupervisionAction::*;
        let teacher = UserId(uuid::Uuid::from_u128(9));
        let f = SuperviseeFacts {
            supervisee: teacher,
            dt_supervisor: Some(ME),
            ..Default::default()
        };
        let unsupervised = SuperviseeFacts {
            supervisee: teacher,
            dt_supervisor: Some(OTHER_MANAGER),
            ..Default::default()
        };
        for action in SupervisionAction::ALL {
            assert!(decide_supervision(&actor(TeamManager), action, &f).is_ok());
            assert!(decide_supervision(&actor(TeamManager), action, &unsupervised).is_err());
            assert!(decide_supervision(&actor(SocialWorker), action, &f).is_err());
            assert!(decide_supervision(&actor(PodAdmin), action, &f).is_err());
        }
        let mut me = actor(PartnerPractitioner);
        me.user_id = teacher;
        assert!(decide_supervision(&me, ViewFile, &f).is_ok());
        assert!(decide_supervision(&me, ViewWorkerNotes, &f).is_ok());
        assert!(decide_supervision(&me, SignOff, &f).is_err());
    }

    /// Who may do what with a supervision file. Columns: my own file; a
    /// worker in my team (whose manager I am when a manager); a worker in
    /// another team of my pod's; a worker elsewhere.
    #[test]
    fn supervision_file_matrix() {
        use Role::*;
        use SupervisionAction::*;
        let other = UserId(uuid::Uuid::from_u128(3));
        let subject = |col: usize, role: Role| match col {
            0 => SuperviseeFacts {
                supervisee: ME,
                team: Some(MY_TEAM),
                team_manager: Some(OTHER_MANAGER),
                team_pod: Some(MY_POD),
                dt_supervisor: None,
            },
            1 => SuperviseeFacts {
                supervisee: other,
                team: Some(MY_TEAM),
                team_manager: Some(if role == TeamManager {
                    ME
                } else {
                    OTHER_MANAGER
                }),
                team_pod: Some(MY_POD),
                dt_supervisor: None,
            },
            2 => SuperviseeFacts {
                supervisee: other,
                team: Some(OTHER_TEAM),
                team_manager: Some(OTHER_MANAGER),
                team_pod: Some(MY_POD),
                dt_supervisor: None,
            },
            _ => SuperviseeFacts {
                supervisee: other,
                team: Some(OTHER_TEAM),
                team_manager: Some(OTHER_MANAGER),
                team_pod: Some(OTHER_POD),
                dt_supervisor: None,
            },
        };
        #[rustfmt::skip]
        let table: &[(Role, SupervisionAction, &str)] = &[
            //                              own team pod  other
            (SocialWorker, ViewFile,        "Y   N    N    N"),
            (SocialWorker, ViewWorkerNotes, "Y   N    N    N"),
            (SocialWorker, Draft,           "N   N    N    N"),
            (SocialWorker, SignOff,         "N   N    N    N"),
            (TeamManager,  ViewFile,        "Y   Y    N    N"),
            (TeamManager,  ViewWorkerNotes, "Y   Y    N    N"),
            (TeamManager,  Draft,           "N   Y    N    N"),
            (TeamManager,  SignOff,         "N   Y    N    N"),
            (PodAdmin,     ViewFile,        "Y   Y    Y    N"),
            (PodAdmin,     ViewWorkerNotes, "Y   N    N    N"),
            (PodAdmin,     Draft,           "N   Y    Y    N"),
            (PodAdmin,     SignOff,         "N   N    N    N"),
            (EdtWorker,    ViewFile,        "Y   N    N    N"),
            (EdtWorker,    Draft,           "N   N    N    N"),
            (Analyst,      ViewFile,        "Y   N    N    N"),
            (Sysadmin,     SignOff,         "N   N    N    N"),
        ];
        for (role, action, row) in table {
            for (col, want) in row.split_whitespace().enumerate() {
                let got = decide_supervision(&actor(*role), *action, &subject(col, *role)).is_ok();
                assert_eq!(got, want == "Y", "{role:?} {action:?} column {col}");
            }
        }
        assert!(may_confirm_oversight(&actor(TeamManager), ME));
        assert!(!may_confirm_oversight(&actor(TeamManager), other));
        assert!(!may_confirm_oversight(&actor(PodAdmin), ME));
    }

    #[test]
    fn caseload_dashboards_table() {
        use Role::*;
        let colleague = UserId(uuid::Uuid::from_u128(3));
        let worker = |user, team, pod, manager| CaseloadScope::Worker {
            user,
            team: Some(team),
            pod: Some(pod),
            manager: Some(manager),
        };
        let team = |team, pod, manager| CaseloadScope::Team {
            team,
            pod: Some(pod),
            manager: Some(manager),
        };
        let scopes = [
            ("own", worker(ME, MY_TEAM, MY_POD, OTHER_MANAGER)),
            (
                "colleague",
                worker(colleague, MY_TEAM, MY_POD, OTHER_MANAGER),
            ),
            (
                "other team worker",
                worker(colleague, OTHER_TEAM, OTHER_POD, OTHER_MANAGER),
            ),
            ("my team", team(MY_TEAM, MY_POD, OTHER_MANAGER)),
            ("other team", team(OTHER_TEAM, OTHER_POD, OTHER_MANAGER)),
            ("team I manage elsewhere", team(OTHER_TEAM, OTHER_POD, ME)),
            ("my pod", CaseloadScope::Pod { pod: MY_POD }),
            ("other pod", CaseloadScope::Pod { pod: OTHER_POD }),
        ];
        #[rustfmt::skip]
        let table: [(Role, &str); 10] = [
            //                    own coll othW myT othT mgd myP othP
            (SocialWorker,        "Y   N    N    N   N    N   N   N"),
            (TeamManager,         "Y   Y    N    Y   N    Y   N   N"),
            (PodAdmin,            "Y   Y    N    Y   N    N   Y   N"),
            (EdtWorker,           "N   N    N    N   N    N   N   N"),
            (PanelCoordinator,    "N   N    N    N   N    N   N   N"),
            (PartnerPractitioner, "N   N    N    N   N    N   N   N"),
            (RhiProvider,         "N   N    N    N   N    N   N   N"),
            (Analyst,             "N   N    N    N   N    N   N   N"),
            (PrivacyOfficer,      "N   N    N    N   N    N   N   N"),
            (Sysadmin,            "N   N    N    N   N    N   N   N"),
        ];
        for (role, row) in table {
            let want: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(want.len(), scopes.len());
            for ((name, scope), w) in scopes.iter().zip(want) {
                assert_eq!(
                    may_view_caseload(&actor(role), *scope),
                    w == "Y",
                    "{role:?} {name}"
                );
            }
        }
        // The menu's caseload item goes only where the policy allows.
        for role in Role::ALL {
            let a = actor(role);
            let want = match role {
                TeamManager => a.team_id.map(CaseloadHome::Team),
                PodAdmin => a.pod_id.map(CaseloadHome::Pod),
                SocialWorker => Some(CaseloadHome::Own),
                Analyst => Some(CaseloadHome::Service),
                _ => None,
            };
            assert_eq!(caseload_home(&a), want, "{role:?}");
            let no_team = Actor {
                team_id: None,
                pod_id: None,
                ..a
            };
            let want = match role {
                SocialWorker | TeamManager => Some(CaseloadHome::Own),
                Analyst => Some(CaseloadHome::Service),
                _ => None,
            };
            assert_eq!(caseload_home(&no_team), want, "{role:?} without a team");
        }
        for role in Role::ALL {
            assert_eq!(may_override_capacity(&actor(role)), role == TeamManager);
        }
    }

    #[test]
    fn notifications_open_only_to_the_recipient_organisation() {
        let mine = actor(Role::PartnerPractitioner);
        let other = OrgId(uuid::Uuid::from_u128(77));
        // (role, recipient org, allowed)
        let table = [
            (Role::PartnerPractitioner, Some(mine.org_id), true),
            (Role::PartnerPractitioner, Some(other), false),
            (Role::PartnerPractitioner, None, false),
            (Role::SocialWorker, Some(mine.org_id), false),
            (Role::RhiProvider, Some(mine.org_id), false),
            (Role::Sysadmin, Some(mine.org_id), false),
        ];
        for (role, org, want) in table {
            assert_eq!(
                may_open_notification(&actor(role), org),
                want,
                "{role:?} {org:?}"
            );
        }
    }

    #[test]
    fn user_history_visibility() {
        let other = UserId(uuid::Uuid::from_u128(9));
        assert!(may_view_user_history(
            &actor(Role::SocialWorker),
            ME,
            Some(MY_TEAM)
        ));
        assert!(!may_view_user_history(
            &actor(Role::SocialWorker),
            other,
            Some(MY_TEAM)
        ));
        assert!(may_view_user_history(
            &actor(Role::TeamManager),
            other,
            Some(MY_TEAM)
        ));
        assert!(!may_view_user_history(
            &actor(Role::TeamManager),
            other,
            Some(OTHER_TEAM)
        ));
        assert!(may_view_user_history(
            &actor(Role::PrivacyOfficer),
            other,
            None
        ));
        assert!(!may_view_user_history(&actor(Role::Sysadmin), other, None));
    }

    #[test]
    fn panel_actions_are_updated_by_their_own_agency() {
        let me = actor(Role::PartnerPractitioner);
        let my_org = Some(me.org_id);
        let other_org = Some(OrgId(uuid::Uuid::from_u128(77)));
        let other_user = Some(UserId(uuid::Uuid::from_u128(9)));
        // (role, owner org, owner user, allowed)
        let table = [
            (Role::PartnerPractitioner, my_org, None, true),
            (Role::PartnerPractitioner, other_org, None, false),
            (Role::PartnerPractitioner, None, other_user, false),
            (Role::PartnerPractitioner, None, Some(ME), true),
            (Role::PartnerPractitioner, None, None, false),
            (Role::PanelCoordinator, other_org, None, true),
            (Role::SocialWorker, None, Some(ME), true),
            (Role::SocialWorker, my_org, other_user, false),
            (Role::TeamManager, other_org, None, false),
            (Role::RhiProvider, my_org, Some(ME), false),
            (Role::Sysadmin, my_org, Some(ME), false),
            (Role::PrivacyOfficer, my_org, None, false),
        ];
        for (role, org, user, want) in table {
            assert_eq!(
                may_update_panel_action(&actor(role), org, user),
                want,
                "{role:?} {org:?} {user:?}"
            );
        }
    }

    #[test]
    fn panel_referrals_and_attendance_grants() {
        // (role, relationship, may refer, may grant on attendance)
        let table = [
            (Role::SocialWorker, Rel::Allocated, true, false),
            (Role::SocialWorker, Rel::Other, false, false),
            (Role::TeamManager, Rel::Team, true, false),
            (Role::PanelCoordinator, Rel::Other, true, true),
            (Role::PanelCoordinator, Rel::RestrictedTeam, false, false),
            (Role::PanelCoordinator, Rel::BreakGlass, true, true),
            (Role::PodAdmin, Rel::Allocated, false, false),
            (Role::EdtWorker, Rel::Other, false, false),
            (Role::PartnerPractitioner, Rel::SharedRecord, false, false),
            (Role::PrivacyOfficer, Rel::BreakGlass, false, false),
        ];
        for (role, rel, refer, grant) in table {
            let f = facts(rel, role);
            assert_eq!(
                decide_panel_referral(&actor(role), &f).is_ok(),
                refer,
                "refer {role:?} {rel:?}"
            );
            let g = decide_panel_grant(&actor(role), &f);
            assert_eq!(g.is_ok(), grant, "grant {role:?} {rel:?}");
            if let Ok(a) = g {
                assert_eq!(a.action(), ChildAction::Share);
            }
        }
    }
}

#[cfg(test)]
mod context_tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: UserId(uuid::Uuid::from_u128(1)),
            role,
            org_id: OrgId(uuid::Uuid::from_u128(100)),
            team_id: None,
            pod_id: None,
        }
    }

    /// Role × organisation kind → View, Link, DecideSuggestion.
    #[test]
    fn context_actions_table() {
        use OrgKind as K;
        use Role::*;
        #[rustfmt::skip]
        let table = [
            (SocialWorker,        K::SocialCare,  "Y Y Y"),
            (TeamManager,         K::SocialCare,  "Y Y Y"),
            (PodAdmin,            K::SocialCare,  "Y Y N"),
            (EdtWorker,           K::SocialCare,  "Y Y N"),
            (PanelCoordinator,    K::SocialCare,  "Y Y Y"),
            (PartnerPractitioner, K::Police,      "Y N N"),
            (PartnerPractitioner, K::Health,      "N N N"),
            (PartnerPractitioner, K::Education,   "N N N"),
            (RhiProvider,         K::RhiProvider, "N N N"),
            (RhiProvider,         K::Police,      "N N N"),
            (Analyst,             K::SocialCare,  "N N N"),
            (PrivacyOfficer,      K::SocialCare,  "N N N"),
            (Sysadmin,            K::SocialCare,  "N N N"),
        ];
        for (role, kind, row) in table {
            let want: Vec<bool> = row.split_whitespace().map(|c| c == "Y").collect();
            let got: Vec<bool> = ContextAction::ALL
                .iter()
                .map(|a| decide_contexts(&actor(role), kind, *a))
                .collect();
            assert_eq!(got, want, "{role:?} {kind:?}");
        }
    }

    /// Role × organisation kind × allocated to the actor → sees police
    /// intelligence.
    #[test]
    fn police_intelligence_table() {
        use OrgKind as K;
        use Role::*;
        #[rustfmt::skip]
        let table = [
            //                              allocated  not allocated
            (SocialWorker,        K::SocialCare,  true,      false),
            (TeamManager,         K::SocialCare,  true,      true),
            (PodAdmin,            K::SocialCare,  false,     false),
            (EdtWorker,           K::SocialCare,  false,     false),
            (PanelCoordinator,    K::SocialCare,  true,      true),
            (PartnerPractitioner, K::Police,      true,      true),
            (PartnerPractitioner, K::Health,      false,     false),
            (RhiProvider,         K::RhiProvider, false,     false),
            (RhiProvider,         K::Police,      false,     false),
            (Analyst,             K::SocialCare,  false,     false),
            (PrivacyOfficer,      K::SocialCare,  false,     false),
            (Sysadmin,            K::SocialCare,  false,     false),
        ];
        for (role, kind, alloc, other) in table {
            assert_eq!(
                may_see_police_intelligence(&actor(role), kind, true),
                alloc,
                "{role:?} {kind:?} allocated"
            );
            assert_eq!(
                may_see_police_intelligence(&actor(role), kind, false),
                other,
                "{role:?} {kind:?}"
            );
        }
    }
}
