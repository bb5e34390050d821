//! The authorisation matrix: every route × every role × every relationship a
//! user can have with a child, with the expected outcome written out here by
//! hand (not computed from the policy). A route added to `routes.rs` without a
//! row here fails `every_route_is_in_the_matrix`.

use crate::*;
use harbour_domain::Role::{self, *};
use std::collections::BTreeSet;

/// Relationship columns, in order: allocated, team, other team, restricted in team, shared with partners, unallocated.
const RELS: usize = 6;

fn children_in_order(t: &TestApp) -> [ChildId; RELS] {
    [
        t.child_allocated,
        t.child_team,
        t.child_other,
        t.child_restricted_team,
        t.child_shared,
        t.child_unallocated,
    ]
}

/// `Y` = allowed (200, or 422 for an empty form), `N` = 403.
type Table = [(Role, &'static str); 10];

#[rustfmt::skip]
const VIEW: Table = [
    (SocialWorker,        "Y Y N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "Y Y N N N Y"),
    (EdtWorker,           "Y Y Y N Y Y"),
    (PanelCoordinator,    "Y Y Y N Y Y"),
    (PartnerPractitioner, "N N N N Y N"),
    (RhiProvider,         "N N N N Y N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];
const NOTE: Table = VIEW;
#[rustfmt::skip]
const DECISION: Table = [
    (SocialWorker,        "N N N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "Y Y N N N Y"),
    (EdtWorker,           "Y Y Y N Y Y"),
    (PanelCoordinator,    "Y Y Y N Y Y"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];
#[rustfmt::skip]
const ALLOCATE: Table = [
    (SocialWorker,        "N N N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "N N N N N N"),
    (EdtWorker,           "N N N N N N"),
    (PanelCoordinator,    "N N N N N N"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];
#[rustfmt::skip]
const SHARE: Table = [
    (SocialWorker,        "Y Y N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "N N N N N N"),
    (EdtWorker,           "N N N N N N"),
    (PanelCoordinator,    "N N N N N N"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];
#[rustfmt::skip]
const ACCESS_LOG: Table = [
    (SocialWorker,        "N N N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "N N N N N N"),
    (EdtWorker,           "N N N N N N"),
    (PanelCoordinator,    "N N N N N N"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "Y Y Y Y Y Y"),
    (Sysadmin,            "N N N N N N"),
];
#[rustfmt::skip]
const BREAK_GLASS: Table = [
    (SocialWorker,        "Y Y Y Y Y Y"),
    (TeamManager,         "Y Y Y Y Y Y"),
    (PodAdmin,            "Y Y Y Y Y Y"),
    (EdtWorker,           "Y Y Y Y Y Y"),
    (PanelCoordinator,    "Y Y Y Y Y Y"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "Y Y Y Y Y Y"),
    (Sysadmin,            "N N N N N N"),
];

/// The Philomena profile, its photo and the police pack: as VIEW, but never
/// the return-interview provider (its interview view has the description
/// and photo alone).
#[rustfmt::skip]
const PHILOMENA: Table = [
    (SocialWorker,        "Y Y N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "Y Y N N N Y"),
    (EdtWorker,           "Y Y Y N Y Y"),
    (PanelCoordinator,    "Y Y Y N Y Y"),
    (PartnerPractitioner, "N N N N Y N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];
/// Saving a profile version (`Edit`): the allocated team and its pod.
#[rustfmt::skip]
const EDIT: Table = [
    (SocialWorker,        "Y Y N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "Y Y N N N Y"),
    (EdtWorker,           "N N N N N N"),
    (PanelCoordinator,    "N N N N N N"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];

/// Recording an exploitation screening (`RecordScreening`): as a note, but
/// never a partner or the interview provider.
#[rustfmt::skip]
const SCREEN: Table = [
    (SocialWorker,        "Y Y N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "Y Y N N N Y"),
    (EdtWorker,           "Y Y Y N Y Y"),
    (PanelCoordinator,    "Y Y Y N Y Y"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];

/// Linking a context to a child: the authority's own roles that may add a
/// note (never partners or the interview provider). Police intelligence on
/// the network is covered by `contexts::police_intelligence_matrix`.
#[rustfmt::skip]
const LINK_CONTEXT: Table = [
    (SocialWorker,        "Y Y N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "Y Y N N N Y"),
    (EdtWorker,           "Y Y Y N Y Y"),
    (PanelCoordinator,    "Y Y Y N Y Y"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];

/// Referring a child to the panel: the child's worker, team and manager,
/// and the panel coordinator (as NOTE for those roles); nobody else.
#[rustfmt::skip]
const REFER: Table = [
    (SocialWorker,        "Y Y N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "N N N N N N"),
    (EdtWorker,           "N N N N N N"),
    (PanelCoordinator,    "Y Y Y N Y Y"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];

/// Children missing education cases (`ManageCme`): the case-holding line
/// and its pod, as a note; never the out-of-hours team, the panel,
/// partners or the provider.
#[rustfmt::skip]
const CME: Table = [
    (SocialWorker,        "Y Y N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "Y Y N N N Y"),
    (EdtWorker,           "N N N N N N"),
    (PanelCoordinator,    "N N N N N N"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];
/// The crisis summary and a contact's page: as VIEW, but never a partner or
/// the interview provider.
#[rustfmt::skip]
const CRISIS: Table = [
    (SocialWorker,        "Y Y N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "Y Y N N N Y"),
    (EdtWorker,           "Y Y Y N Y Y"),
    (PanelCoordinator,    "Y Y Y N Y Y"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];
/// The safety plan: the allocated worker and the team manager.
#[rustfmt::skip]
const SAFETY_PLAN: Table = [
    (SocialWorker,        "Y N N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "N N N N N N"),
    (EdtWorker,           "N N N N N N"),
    (PanelCoordinator,    "N N N N N N"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];
/// Alerts for EDT: the day team (worker, team, manager).
#[rustfmt::skip]
const EDT_ALERT: Table = [
    (SocialWorker,        "Y Y N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "N N N N N N"),
    (EdtWorker,           "N N N N N N"),
    (PanelCoordinator,    "N N N N N N"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];
/// Out-of-hours contacts: the emergency duty team alone.
#[rustfmt::skip]
const OOH_CONTACT: Table = [
    (SocialWorker,        "N N N N N N"),
    (TeamManager,         "N N N N N N"),
    (PodAdmin,            "N N N N N N"),
    (EdtWorker,           "Y Y Y N Y Y"),
    (PanelCoordinator,    "N N N N N N"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];
/// Placement support: EDT and the day team.
#[rustfmt::skip]
const PLACEMENT_SUPPORT: Table = [
    (SocialWorker,        "Y Y N N N N"),
    (TeamManager,         "Y Y N Y N Y"),
    (PodAdmin,            "N N N N N N"),
    (EdtWorker,           "Y Y Y N Y Y"),
    (PanelCoordinator,    "N N N N N N"),
    (PartnerPractitioner, "N N N N N N"),
    (RhiProvider,         "N N N N N N"),
    (Analyst,             "N N N N N N"),
    (PrivacyOfficer,      "N N N N N N"),
    (Sysadmin,            "N N N N N N"),
];

/// Child routes: (method, path template, table, allowed status).
fn child_routes() -> Vec<(&'static str, &'static str, Table, StatusCode)> {
    use StatusCode as S;
    vec![
        ("GET", "/children/{id}", VIEW, S::OK),
        ("GET", "/children/{id}/care", ACCESS_FULL, S::OK),
        // The policy first, then the empty form is refused.
        ("POST", "/children/{id}/care", EDIT, S::UNPROCESSABLE_ENTITY),
        ("GET", "/children/{id}/notes/new", NOTE, S::OK),
        (
            "POST",
            "/children/{id}/notes/new",
            NOTE,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/decisions/new", DECISION, S::OK),
        (
            "POST",
            "/children/{id}/decisions/new",
            DECISION,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/allocations/new", ALLOCATE, S::OK),
        (
            "POST",
            "/children/{id}/allocations/new",
            ALLOCATE,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/shares/new", SHARE, S::OK),
        (
            "POST",
            "/children/{id}/shares/new",
            SHARE,
            S::UNPROCESSABLE_ENTITY,
        ),
        // A disclosure or refusal logged by hand: as sharing the record.
        ("GET", "/children/{id}/disclosures/new", SHARE, S::OK),
        (
            "POST",
            "/children/{id}/disclosures/new",
            SHARE,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/break-glass", BREAK_GLASS, S::OK),
        (
            "POST",
            "/children/{id}/break-glass",
            BREAK_GLASS,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/access-log", ACCESS_LOG, S::OK),
        // Care proceedings (court work): as changing the child's details.
        ("GET", "/children/{id}/court-work", EDIT, S::OK),
        (
            "POST",
            "/children/{id}/court-work",
            EDIT,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/philomena", PHILOMENA, S::OK),
        // No fixture child has a photo: allowed roles get past the policy to a 404.
        (
            "GET",
            "/children/{id}/philomena/photo",
            PHILOMENA,
            S::NOT_FOUND,
        ),
        ("GET", "/children/{id}/philomena/pack", PHILOMENA, S::OK),
        ("GET", "/children/{id}/philomena/edit", EDIT, S::OK),
        (
            "POST",
            "/children/{id}/philomena/edit",
            EDIT,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/api/v1/children/{id}/philomena", PHILOMENA, S::OK),
        ("GET", "/children/{id}/screening", VIEW, S::OK),
        ("GET", "/children/{id}/screening/new", SCREEN, S::OK),
        (
            "POST",
            "/children/{id}/screening/new",
            SCREEN,
            S::UNPROCESSABLE_ENTITY,
        ),
        (
            "GET",
            "/api/v1/children/{id}/screenings",
            ACCESS_FULL,
            S::OK,
        ),
        (
            "POST",
            "/api/v1/children/{id}/screenings",
            SCREEN,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/crisis", CRISIS, S::OK),
        ("GET", "/api/v1/children/{id}/crisis-summary", CRISIS, S::OK),
        ("GET", "/children/{id}/safety-plan", SAFETY_PLAN, S::OK),
        (
            "POST",
            "/children/{id}/safety-plan",
            SAFETY_PLAN,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/edt-alerts/new", EDT_ALERT, S::OK),
        (
            "POST",
            "/children/{id}/edt-alerts/new",
            EDT_ALERT,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/ooh-contacts/new", OOH_CONTACT, S::OK),
        (
            "POST",
            "/children/{id}/ooh-contacts/new",
            OOH_CONTACT,
            S::UNPROCESSABLE_ENTITY,
        ),
        (
            "GET",
            "/children/{id}/placement-support/new",
            PLACEMENT_SUPPORT,
            S::OK,
        ),
        (
            "POST",
            "/children/{id}/placement-support/new",
            PLACEMENT_SUPPORT,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/network", VIEW, S::OK),
        ("POST", "/children/{id}/network", VIEW, S::OK),
        ("GET", "/children/{id}/network/new", LINK_CONTEXT, S::OK),
        (
            "POST",
            "/children/{id}/network/new",
            LINK_CONTEXT,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/api/v1/children/{id}/network", VIEW, S::OK),
        // Correcting or ending a link: as linking. No fixture child has
        // links, so allowed roles get past the policy to a 404.
        (
            "GET",
            "/children/{id}/network/links/{link}",
            LINK_CONTEXT,
            S::NOT_FOUND,
        ),
        (
            "POST",
            "/children/{id}/network/links/{link}",
            LINK_CONTEXT,
            S::NOT_FOUND,
        ),
        ("GET", "/children/{id}/panel-referral/new", REFER, S::OK),
        (
            "POST",
            "/children/{id}/panel-referral/new",
            REFER,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/cme/new", CME, S::OK),
        ("GET", "/api/v1/children/{id}/cme-cases", VIEW, S::OK),
        (
            "POST",
            "/children/{id}/cme/new",
            CME,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/missing/new", NOTE, S::OK),
        (
            "POST",
            "/children/{id}/missing/new",
            NOTE,
            S::UNPROCESSABLE_ENTITY,
        ),
        (
            "GET",
            "/children/{id}/missing/{episode}/return",
            NOTE,
            S::OK,
        ),
        (
            "POST",
            "/children/{id}/missing/{episode}/return",
            NOTE,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/missing/{episode}/edit", NOTE, S::OK),
        (
            "POST",
            "/children/{id}/missing/{episode}/edit",
            NOTE,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/children/{id}/missing/{episode}/grade", NOTE, S::OK),
        (
            "POST",
            "/children/{id}/missing/{episode}/grade",
            NOTE,
            S::UNPROCESSABLE_ENTITY,
        ),
        (
            "GET",
            "/api/v1/children/{id}/missing-episodes",
            ACCESS_FULL,
            S::OK,
        ),
        (
            "POST",
            "/api/v1/children/{id}/missing-episodes",
            NOTE,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/api/v1/missing-episodes/{episode}", VIEW, S::OK),
        ("PATCH", "/api/v1/missing-episodes/{episode}", NOTE, S::OK),
        (
            "POST",
            "/api/v1/missing-episodes/{episode}/grades",
            NOTE,
            S::UNPROCESSABLE_ENTITY,
        ),
        (
            "POST",
            "/api/v1/missing-episodes/{episode}/return",
            NOTE,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/api/v1/children/{id}", VIEW, S::OK),
        ("GET", "/api/v1/children/{id}/notes", ACCESS_FULL, S::OK),
        (
            "POST",
            "/api/v1/children/{id}/notes",
            NOTE,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/api/v1/children/{id}/decisions", ACCESS_FULL, S::OK),
        (
            "POST",
            "/api/v1/children/{id}/decisions",
            DECISION,
            S::UNPROCESSABLE_ENTITY,
        ),
        (
            "GET",
            "/api/v1/children/{id}/chronology",
            ACCESS_FULL,
            S::OK,
        ),
        (
            "GET",
            "/api/v1/children/{id}/allocations",
            ACCESS_FULL,
            S::OK,
        ),
    ]
}

/// The full record over the API: as VIEW (every share in the fixtures has record scope).
const ACCESS_FULL: Table = VIEW;

/// Service routes: (method, path, roles allowed, allowed status). `{me}` is the caller's own id, `{other}` another worker's.
fn service_routes() -> Vec<(&'static str, &'static str, &'static [Role], StatusCode)> {
    use StatusCode as S;
    const ALL: &[Role] = &Role::ALL;
    const CASE: &[Role] = &[
        SocialWorker,
        TeamManager,
        PodAdmin,
        EdtWorker,
        PanelCoordinator,
        PartnerPractitioner,
        RhiProvider,
    ];
    const SEARCH: &[Role] = &[
        SocialWorker,
        TeamManager,
        PodAdmin,
        EdtWorker,
        PanelCoordinator,
        PartnerPractitioner,
        RhiProvider,
        PrivacyOfficer,
    ];
    const CREATE: &[Role] = &[SocialWorker, TeamManager, PodAdmin, EdtWorker];
    // The fixture's partner practitioner is in the police.
    const CONTEXTS: &[Role] = &[
        SocialWorker,
        TeamManager,
        PodAdmin,
        EdtWorker,
        PanelCoordinator,
        PartnerPractitioner,
    ];
    const DECIDE_SUGGESTION: &[Role] = &[SocialWorker, TeamManager, PanelCoordinator];
    // Schools: `{school}` has no users of its own, so no partner sees it.
    const INTERNAL: &[Role] = &[
        SocialWorker,
        TeamManager,
        PodAdmin,
        EdtWorker,
        PanelCoordinator,
    ];
    const SCHOOLS: &[Role] = &[
        SocialWorker,
        TeamManager,
        PodAdmin,
        EdtWorker,
        PanelCoordinator,
        PartnerPractitioner,
        Analyst,
    ];
    const REPORT: &[Role] = &[
        SocialWorker,
        TeamManager,
        PodAdmin,
        EdtWorker,
        PanelCoordinator,
        Analyst,
    ];
    const FRONT_DOOR: &[Role] = &[SocialWorker, TeamManager, PodAdmin];
    const SCHOOL_ADMIN: &[Role] = &[TeamManager, PodAdmin];
    vec![
        ("GET", "/schools", SCHOOLS, S::OK),
        ("POST", "/schools", SCHOOL_ADMIN, S::UNPROCESSABLE_ENTITY),
        ("GET", "/schools/{school}", INTERNAL, S::OK),
        (
            "POST",
            "/schools/{school}/staff",
            SCHOOL_ADMIN,
            S::UNPROCESSABLE_ENTITY,
        ),
        (
            "POST",
            "/schools/{school}/membership",
            SCHOOL_ADMIN,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/schools/{school}/contacts/new", FRONT_DOOR, S::OK),
        (
            "POST",
            "/schools/{school}/contacts/new",
            FRONT_DOOR,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/schools/{school}/report", REPORT, S::OK),
        ("GET", "/schools/{school}/report.csv", REPORT, S::OK),
        ("GET", "/api/v1/schools/{school}/report", REPORT, S::OK),
        ("GET", "/cme", FRONT_DOOR, S::OK),
        ("GET", "/cme/notices/new", FRONT_DOOR, S::OK),
        (
            "POST",
            "/cme/notices/new",
            FRONT_DOOR,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/cme/{random}", ALL, S::NOT_FOUND),
        ("POST", "/cme/{random}/steps", ALL, S::NOT_FOUND),
        ("POST", "/cme/{random}/outcome", ALL, S::NOT_FOUND),
        ("GET", "/contexts", CONTEXTS, S::OK),
        ("GET", "/contexts/suggestions", CONTEXTS, S::OK),
        (
            "POST",
            "/contexts/suggestions",
            DECIDE_SUGGESTION,
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/contexts/{random}", CONTEXTS, S::NOT_FOUND),
        ("GET", "/api/v1/contexts/{random}", CONTEXTS, S::NOT_FOUND),
        // Changing a context's record: the authority's roles, not the police.
        (
            "GET",
            "/contexts/{random}/edit",
            &CONTEXTS[..5],
            S::NOT_FOUND,
        ),
        (
            "POST",
            "/contexts/{random}/edit",
            &CONTEXTS[..5],
            S::NOT_FOUND,
        ),
        ("GET", "/my-work", CASE, S::OK),
        ("GET", "/edt", &[EdtWorker, TeamManager], S::OK),
        (
            "GET",
            "/edt/handovers",
            &[SocialWorker, TeamManager, PodAdmin, EdtWorker],
            S::OK,
        ),
        (
            "POST",
            "/edt/handovers/{random}/acknowledge",
            ALL,
            S::NOT_FOUND,
        ),
        ("GET", "/edt/contacts/{random}", ALL, S::NOT_FOUND),
        ("GET", "/edt/contacts/{random}/missing", ALL, S::NOT_FOUND),
        ("POST", "/edt/contacts/{random}/missing", ALL, S::NOT_FOUND),
        ("POST", "/edt-alerts/{random}/withdraw", ALL, S::NOT_FOUND),
        ("GET", "/interviews", &[RhiProvider], S::OK),
        ("GET", "/interviews/{random}", ALL, S::NOT_FOUND),
        ("POST", "/interviews/{random}", ALL, S::NOT_FOUND),
        ("POST", "/tasks/{random}/complete", ALL, S::NOT_FOUND),
        ("GET", "/findings", &[PartnerPractitioner], S::OK),
        ("GET", "/findings/{random}", ALL, S::NOT_FOUND),
        (
            "GET",
            "/placed-here",
            &[TeamManager, EdtWorker, PanelCoordinator],
            S::OK,
        ),
        (
            "GET",
            "/escalations",
            &[TeamManager, PanelCoordinator],
            S::OK,
        ),
        ("GET", "/escalations/{random}", ALL, S::NOT_FOUND),
        ("POST", "/escalations/{random}", ALL, S::NOT_FOUND),
        ("GET", "/children", SEARCH, S::OK),
        ("POST", "/children", SEARCH, S::OK),
        ("GET", "/children/new", CREATE, S::OK),
        ("POST", "/children/new", CREATE, S::UNPROCESSABLE_ENTITY),
        (
            "GET",
            "/admin/staff",
            &[TeamManager, PodAdmin, Sysadmin],
            S::OK,
        ),
        ("GET", "/admin/staff/new", &[Sysadmin], S::OK),
        (
            "POST",
            "/admin/staff/new",
            &[Sysadmin],
            S::UNPROCESSABLE_ENTITY,
        ),
        (
            "POST",
            "/admin/staff/{me}/disable",
            &[Sysadmin],
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/admin/staff/{other}/edit", &[Sysadmin], S::OK),
        (
            "POST",
            "/admin/staff/{other}/reset-two-factor",
            &[Sysadmin],
            S::OK,
        ),
        (
            "POST",
            "/admin/staff/{other}/unlink-sso",
            &[Sysadmin],
            S::OK,
        ),
        ("GET", "/account/two-factor", ALL, S::OK),
        ("POST", "/account/two-factor/start", ALL, S::OK),
        ("POST", "/account/two-factor", ALL, S::UNPROCESSABLE_ENTITY),
        (
            "POST",
            "/admin/staff/{other}/edit",
            &[Sysadmin],
            S::UNPROCESSABLE_ENTITY,
        ),
        (
            "POST",
            "/admin/teams/{random}/manager",
            &[Sysadmin],
            S::NOT_FOUND,
        ),
        ("POST", "/admin/teams", &[Sysadmin], S::UNPROCESSABLE_ENTITY),
        ("POST", "/admin/pods", &[Sysadmin], S::UNPROCESSABLE_ENTITY),
        ("GET", "/privacy", &[PrivacyOfficer], S::OK),
        ("POST", "/privacy/verify", &[PrivacyOfficer], S::OK),
        (
            "POST",
            "/privacy/break-glass/{random}/review",
            &[PrivacyOfficer],
            S::NOT_FOUND,
        ),
        ("GET", "/stats", &[TeamManager, Analyst], S::OK),
        ("GET", "/dashboards", &[TeamManager, Analyst], S::OK),
        (
            "GET",
            "/dashboards/csv/{chart}",
            &[TeamManager, Analyst],
            S::OK,
        ),
        ("GET", "/reports", &[TeamManager, Analyst], S::OK),
        (
            "GET",
            "/reports/annex-a.xlsx",
            &[TeamManager, Analyst],
            S::OK,
        ),
        (
            "GET",
            "/reports/annex-a/csv/{annex_list}",
            &[TeamManager, Analyst],
            S::OK,
        ),
        (
            "GET",
            "/reports/cin-factors.csv",
            &[TeamManager, Analyst],
            S::OK,
        ),
        (
            "GET",
            "/data-quality",
            &[SocialWorker, TeamManager, Analyst],
            S::OK,
        ),
        ("GET", "/caseload", &[SocialWorker, TeamManager], S::OK),
        (
            "GET",
            "/caseload/workers/{me}",
            &[SocialWorker, TeamManager, PodAdmin],
            S::OK,
        ),
        // Another team's worker: nobody in team A or pod A.
        ("GET", "/caseload/workers/{other}", &[], S::OK),
        // Bulk re-allocation: the team's manager only; an empty form is 422.
        (
            "GET",
            "/caseload/workers/{teammate}/reallocate",
            &[TeamManager],
            S::OK,
        ),
        (
            "POST",
            "/caseload/workers/{teammate}/reallocate",
            &[TeamManager],
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/caseload/workers/{other}/reallocate", &[], S::OK),
        (
            "GET",
            "/caseload/teams/{team}",
            &[TeamManager, PodAdmin],
            S::OK,
        ),
        ("GET", "/caseload/pods/{pod}", &[PodAdmin], S::OK),
        ("GET", "/caseload/service", &[TeamManager, Analyst], S::OK),
        (
            "GET",
            "/caseload/workforce",
            &[TeamManager, Analyst, Sysadmin],
            S::OK,
        ),
        (
            "POST",
            "/caseload/workforce/teams/{team}/establishment",
            &[Sysadmin],
            S::SEE_OTHER,
        ),
        ("GET", "/api/v1/caseloads", &[TeamManager, Analyst], S::OK),
        (
            "GET",
            "/supervision",
            &[SocialWorker, TeamManager, PodAdmin],
            S::OK,
        ),
        (
            "GET",
            "/supervision/group/new",
            &[TeamManager, PodAdmin],
            S::OK,
        ),
        (
            "POST",
            "/supervision/group/new",
            &[TeamManager, PodAdmin],
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/supervision/workers/{me}", ALL, S::OK),
        ("GET", "/supervision/workers/{other}", &[], S::OK),
        (
            "GET",
            "/supervision/workers/{teammate}/new",
            &[TeamManager, PodAdmin],
            S::OK,
        ),
        (
            "POST",
            "/supervision/workers/{teammate}/new",
            &[TeamManager, PodAdmin],
            S::UNPROCESSABLE_ENTITY,
        ),
        ("GET", "/supervision/sessions/{random}", ALL, S::NOT_FOUND),
        ("POST", "/supervision/sessions/{random}", ALL, S::NOT_FOUND),
        ("GET", "/oversight", &[TeamManager, PodAdmin], S::OK),
        (
            "POST",
            "/oversight",
            &[TeamManager, PodAdmin],
            S::UNPROCESSABLE_ENTITY,
        ),
        ("POST", "/oversight/{random}/confirm", ALL, S::NOT_FOUND),
        ("GET", "/privacy/disclosures", &[PrivacyOfficer], S::OK),
        ("GET", "/privacy/retention", &[PrivacyOfficer], S::OK),
        ("GET", "/privacy/retention.csv", &[PrivacyOfficer], S::OK),
        (
            "GET",
            "/privacy/retention/{random}/decision",
            &[PrivacyOfficer],
            S::NOT_FOUND,
        ),
        (
            "POST",
            "/privacy/retention/{random}/decision",
            &[PrivacyOfficer],
            S::NOT_FOUND,
        ),
        ("GET", "/privacy/subject-access", &[PrivacyOfficer], S::OK),
        (
            "GET",
            "/privacy/subject-access/new",
            &[PrivacyOfficer],
            S::OK,
        ),
        (
            "POST",
            "/privacy/subject-access/new",
            &[PrivacyOfficer],
            S::UNPROCESSABLE_ENTITY,
        ),
        (
            "GET",
            "/privacy/subject-access/{random}",
            &[PrivacyOfficer],
            S::NOT_FOUND,
        ),
        (
            "POST",
            "/privacy/subject-access/{random}/assemble",
            &[PrivacyOfficer],
            S::NOT_FOUND,
        ),
        (
            "GET",
            "/privacy/subject-access/{random}/review",
            &[PrivacyOfficer],
            S::NOT_FOUND,
        ),
        (
            "POST",
            "/privacy/subject-access/{random}/review",
            &[PrivacyOfficer],
            S::NOT_FOUND,
        ),
        (
            "GET",
            "/privacy/subject-access/{random}/response",
            &[PrivacyOfficer],
            S::NOT_FOUND,
        ),
        (
            "GET",
            "/privacy/subject-access/{random}/response.json",
            &[PrivacyOfficer],
            S::NOT_FOUND,
        ),
        ("GET", "/panel", &[PanelCoordinator], S::OK),
        (
            "POST",
            "/panel/meetings",
            &[PanelCoordinator],
            S::UNPROCESSABLE_ENTITY,
        ),
        (
            "GET",
            "/panel/meetings/{random}",
            &[PanelCoordinator],
            S::NOT_FOUND,
        ),
        (
            "GET",
            "/panel/meetings/{random}/agenda",
            &[PanelCoordinator],
            S::NOT_FOUND,
        ),
        (
            "GET",
            "/panel/meetings/{random}/minutes",
            &[PanelCoordinator],
            S::NOT_FOUND,
        ),
        (
            "POST",
            "/panel/meetings/{random}/attendees",
            &[PanelCoordinator],
            S::NOT_FOUND,
        ),
        (
            "POST",
            "/panel/meetings/{random}/discussions",
            &[PanelCoordinator],
            S::NOT_FOUND,
        ),
        (
            "POST",
            "/panel/meetings/{random}/actions",
            &[PanelCoordinator],
            S::NOT_FOUND,
        ),
        (
            "POST",
            "/panel/referrals/{random}/close",
            &[PanelCoordinator],
            S::NOT_FOUND,
        ),
        (
            "GET",
            "/panel/actions",
            &[PanelCoordinator, PartnerPractitioner],
            S::OK,
        ),
        (
            "GET",
            "/panel/actions/{random}",
            &[PanelCoordinator, PartnerPractitioner],
            S::NOT_FOUND,
        ),
        (
            "POST",
            "/panel/actions/{random}",
            &[PanelCoordinator, PartnerPractitioner],
            S::NOT_FOUND,
        ),
        // Supervision through the API: as the pages.
        ("GET", "/api/v1/supervision/workers/{me}", ALL, S::OK),
        ("GET", "/api/v1/supervision/workers/{other}", &[], S::OK),
        (
            "POST",
            "/api/v1/supervision/workers/{teammate}/sessions",
            &[TeamManager, PodAdmin],
            S::UNPROCESSABLE_ENTITY,
        ),
        (
            "GET",
            "/api/v1/supervision/sessions/{random}",
            ALL,
            S::NOT_FOUND,
        ),
        ("GET", "/api/v1/panel/referrals", &[PanelCoordinator], S::OK),
        // No child id in the body: nobody gets past the lookup.
        ("POST", "/api/v1/panel/referrals", ALL, S::NOT_FOUND),
        (
            "GET",
            "/api/v1/panel/meetings/{random}",
            &[PanelCoordinator],
            S::NOT_FOUND,
        ),
        (
            "GET",
            "/api/v1/panel/actions",
            &[PanelCoordinator, PartnerPractitioner],
            S::OK,
        ),
        (
            "PATCH",
            "/api/v1/panel/actions/{random}",
            &[PanelCoordinator, PartnerPractitioner],
            S::NOT_FOUND,
        ),
        ("GET", "/users/{me}/access-history", ALL, S::OK),
        (
            "GET",
            "/users/{other}/access-history",
            &[PrivacyOfficer],
            S::OK,
        ),
        ("GET", "/api/v1/children", CASE, S::OK),
        ("POST", "/api/v1/children/search", SEARCH, S::OK),
        ("POST", "/api/v1/children", CREATE, S::UNPROCESSABLE_ENTITY),
        (
            "GET",
            "/api/v1/staff",
            &[TeamManager, PodAdmin, Sysadmin],
            S::OK,
        ),
        (
            "GET",
            "/api/v1/teams",
            &[TeamManager, PodAdmin, Sysadmin],
            S::OK,
        ),
    ]
}

/// Routes open to everyone: (method, path, status without signing in).
fn public_routes() -> Vec<(&'static str, &'static str, StatusCode)> {
    use StatusCode as S;
    vec![
        ("GET", "/", S::SEE_OTHER),
        ("GET", "/sign-in", S::OK),
        ("POST", "/sign-in", S::UNPROCESSABLE_ENTITY),
        // Single sign-on is not configured in the test app: 404.
        ("GET", "/sign-in/oidc", S::NOT_FOUND),
        ("GET", "/sign-in/oidc/callback", S::NOT_FOUND),
        ("POST", "/sign-out", S::SEE_OTHER),
        ("GET", "/healthz", S::OK),
        ("GET", "/readyz", S::OK),
        ("GET", "/metrics", S::OK),
        ("GET", "/assets/{*path}", S::OK),
        ("GET", "/static/{*path}", S::OK),
        ("GET", "/api/v1/openapi.json", S::OK),
        ("GET", "/api/v1/{*rest}", S::NOT_FOUND),
        ("POST", "/api/v1/{*rest}", S::NOT_FOUND),
    ]
}

fn registered_routes() -> BTreeSet<(String, String)> {
    let src = include_str!("../../src/routes.rs");
    let mut out = BTreeSet::new();
    for (start, _) in src.match_indices(".route(") {
        if !src[start + 7..].trim_start().starts_with('"') {
            continue;
        }
        // The call runs to its balanced closing parenthesis (rustfmt may wrap it).
        let mut depth = 0;
        let mut end = start;
        for (i, ch) in src[start..].char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let call = &src[start..end];
        let path = call.split('"').nth(1).unwrap().to_string();
        for (m, needle) in [("GET", "get("), ("POST", "post("), ("PATCH", "patch(")] {
            if call.contains(needle) {
                out.insert((m.to_string(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn every_route_is_in_the_matrix() {
    let mut covered: BTreeSet<(String, String)> = BTreeSet::new();
    covered.extend(
        child_routes()
            .into_iter()
            .map(|(m, p, _, _)| (m.to_string(), p.to_string())),
    );
    covered.extend(service_routes().into_iter().map(|(m, p, _, _)| {
        (
            m.to_string(),
            p.replace("{me}", "{id}")
                .replace("{other}", "{id}")
                .replace("{team}", "{id}")
                .replace("{pod}", "{id}")
                .replace("{teammate}", "{id}")
                .replace("{school}", "{id}")
                .replace("{random}", "{id}")
                .replace("{chart}", "{key}")
                .replace("{annex_list}", "{list}"),
        )
    }));
    covered.extend(
        public_routes()
            .into_iter()
            .map(|(m, p, _)| (m.to_string(), p.to_string())),
    );
    let registered = registered_routes();
    let missing: Vec<_> = registered.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes in crates/web/src/routes.rs without a row in the authorisation matrix \
         (add one to child_routes, service_routes or public_routes in \
         crates/web/tests/it/matrix.rs, with the roles allowed written out by hand): {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&registered).collect();
    assert!(
        stale.is_empty(),
        "matrix rows for routes that do not exist: {stale:?}"
    );
}

fn request(method: &str, path: &str, cookie: Option<&str>, bearer: Option<&str>) -> Request<Body> {
    let api = path.starts_with("/api/");
    let mut b = Request::builder().method(method).uri(path);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    if let Some(t) = bearer {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if method == "PATCH" {
        // An empty correction: allowed roles get the episode back unchanged.
        return b
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .unwrap();
    }
    if method == "POST" {
        b = b.header("sec-fetch-site", "same-origin");
        if api {
            return b.header(header::CONTENT_TYPE, "application/json").body(Body::from(r#"{"missing_from":"","last_seen_at":"2026-11-25T10:00:00Z","location_left":"","circumstances":"","returned_at":"2026-11-26T09:00:00Z","police_grade":"","found_where":"","found_by":"","q":"Tester","kind":"","occurred_at":"2026-11-25T10:00:00Z","decided_at":"2026-11-25T10:00:00Z","subject":"","body":"","decision":"","rationale":"","first_name":"","last_name":"","dob":"2012-01-01","sex":"","ethnicity":""}"#)).unwrap();
        }
        return b
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(""))
            .unwrap();
    }
    b.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn route_role_relationship_matrix() {
    let t = TestApp::new().await;
    let school = add_school(&t).await;
    let kids = children_in_order(&t);
    let mut failures = Vec::new();
    for role in Role::ALL {
        let cookie = t.sign_in(role).await;
        let token = t
            .app
            .create_token_system(&t.users[&role].email, "matrix")
            .await
            .unwrap();
        for (method, path, table, ok_status) in child_routes() {
            let row = table.iter().find(|(r, _)| *r == role).unwrap().1;
            let cells: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(cells.len(), RELS);
            for (i, id) in kids.iter().enumerate() {
                let p = path
                    .replace("{id}", &id.to_string())
                    .replace("{episode}", &t.episodes[id].to_string())
                    .replace("{link}", "0");
                let api = p.starts_with("/api/");
                let (status, _, body) = t
                    .send(request(
                        method,
                        &p,
                        (!api).then_some(cookie.as_str()),
                        api.then_some(token.as_str()),
                    ))
                    .await;
                let want = if cells[i] == "Y" {
                    ok_status
                } else {
                    StatusCode::FORBIDDEN
                };
                if status != want {
                    failures.push(format!(
                        "{role:?} {method} {path} rel#{i}: got {status}, want {want}; {}",
                        body.chars().take(200).collect::<String>()
                    ));
                }
            }
        }
        for (method, path, roles, ok_status) in service_routes() {
            let p = path
                .replace("{me}", &t.users[&role].id.to_string())
                .replace("{other}", &t.other_worker.to_string())
                .replace("{team}", &t.team_a.to_string())
                .replace("{pod}", &t.pod_a.to_string())
                .replace("{teammate}", &t.teammate.to_string())
                .replace("{school}", &school.to_string())
                .replace("{random}", &uuid::Uuid::now_v7().to_string())
                .replace("{chart}", "missing")
                .replace("{annex_list}", "8");
            let api = p.starts_with("/api/");
            let (status, _, body) = t
                .send(request(
                    method,
                    &p,
                    (!api).then_some(cookie.as_str()),
                    api.then_some(token.as_str()),
                ))
                .await;
            let want = if roles.contains(&role) {
                ok_status
            } else {
                StatusCode::FORBIDDEN
            };
            if status != want {
                failures.push(format!(
                    "{role:?} {method} {path}: got {status}, want {want}; {}",
                    body.chars().take(200).collect::<String>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn anonymous_requests_are_sent_to_sign_in_or_refused() {
    let t = TestApp::new().await;
    let id = t.child_allocated.to_string();
    for (method, path, _, _) in child_routes() {
        let p = path
            .replace("{id}", &id)
            .replace("{episode}", &t.episodes[&t.child_allocated].to_string())
            .replace("{link}", "0");
        let (status, headers, _) = t.send(request(method, &p, None, None)).await;
        if p.starts_with("/api/") {
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {p}");
            assert_eq!(
                headers.get(header::CONTENT_TYPE).unwrap(),
                "application/problem+json"
            );
        } else {
            assert_eq!(status, StatusCode::SEE_OTHER, "{method} {p}");
            let to = headers.get(header::LOCATION).unwrap().to_str().unwrap();
            assert!(to.starts_with("/sign-in?next=%2F"), "{method} {p} -> {to}");
        }
    }
    for (method, path, _, _) in service_routes() {
        let p = path
            .replace("{me}", &id)
            .replace("{other}", &id)
            .replace("{team}", &id)
            .replace("{pod}", &id)
            .replace("{teammate}", &id)
            .replace("{school}", &id)
            .replace("{random}", &id)
            .replace("{chart}", "missing")
            .replace("{annex_list}", "8");
        let (status, _, _) = t.send(request(method, &p, None, None)).await;
        assert!(
            status == StatusCode::SEE_OTHER || status == StatusCode::UNAUTHORIZED,
            "{method} {p}: {status}"
        );
    }
    for (method, path, want) in public_routes() {
        let p = path
            .replace("{*path}", "images/favicon.ico")
            .replace("{*rest}", "nothing-here");
        let p = if p == "/static/images/favicon.ico" {
            "/static/harbour.css".to_string()
        } else {
            p
        };
        let (status, _, _) = t.send(request(method, &p, None, None)).await;
        assert_eq!(status, want, "{method} {p}");
    }
}

/// A school with no Harbour users of its own, for the schools rows.
pub async fn add_school(t: &TestApp) -> uuid::Uuid {
    let s = harbour_db::schools::School {
        id: uuid::Uuid::now_v7(),
        urn: "124087".into(),
        name: "Matrix High School".into(),
        phase: "Secondary".into(),
        la_code: "861".into(),
        org_id: None,
        created_at: now(),
    };
    let mut tx = t.app.db.begin_write().await.unwrap();
    harbour_db::schools::insert_school(&mut tx, &s)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    s.id
}
