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
use crate::model::ShareScope;
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
}

impl ChildAction {
    /// Every action, for exhaustive tests.
    pub const ALL: [ChildAction; 10] = [
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
        ViewAccessLog => match (role, close) {
            (Role::TeamManager, Closeness::Owner) => Some(false),
            (Role::TeamManager, _) => None,
            _ => return deny(DenyReason::ActionNotPermitted, false),
        },
    };
    match granted {
        Some(via) => allow(via),
        None => deny(
            no_access_reason,
            matches!(
                action,
                ViewSummary | ViewRecord | ViewPhilomena | AddNote | RecordMissing | AddDecision
            ) && !(action == AddDecision
                && matches!(role, Role::PodAdmin | Role::PanelCoordinator)),
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
    /// Run the exploitation and missing panel: agendas, meetings, minutes,
    /// referrals across the service.
    RunPanel,
    /// The panel action tracker (a partner sees its own organisation's
    /// actions only; see [`may_update_panel_action`]).
    PanelActions,
    /// The information-sharing log across the service.
    ViewDisclosures,
}

impl ServiceAction {
    /// Every action.
    pub const ALL: [ServiceAction; 14] = [
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
        Self::RunPanel,
        Self::PanelActions,
        Self::ViewDisclosures,
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
            Self::RunPanel => "panel.view",
            Self::PanelActions => "panel.actions",
            Self::ViewDisclosures => "disclosures.view",
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
        RunPanel => r == PanelCoordinator,
        PanelActions => matches!(r, PanelCoordinator | PartnerPractitioner),
        ViewDisclosures => r == PrivacyOfficer,
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
        let table: [(ServiceAction, &[Role]); 14] = [
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
            (RunPanel, &[PanelCoordinator]),
            (PanelActions, &[PanelCoordinator, PartnerPractitioner]),
            (ViewDisclosures, &[PrivacyOfficer]),
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
