//! Contextual safeguarding through the router: linking contexts, the network
//! picture and table, location pages, suggested links, and the police
//! intelligence matrix (role × child → what the network shows).

use crate::*;
use harbour_db::contexts as repo;
use harbour_domain::Role::{self, *};
use harbour_domain::contexts::*;

fn entity(name: &str, kind: EntityKind, source: Source, by: UserId) -> ContextEntity {
    ContextEntity {
        id: uuid::Uuid::now_v7(),
        kind,
        name: name.into(),
        location_type: (kind == EntityKind::Location).then_some(LocationType::TransportHub),
        postcode: None,
        description: String::new(),
        source,
        created_by: by,
        created_at: now(),
    }
}

fn link(
    e: &ContextEntity,
    child: ChildId,
    role: LinkRole,
    source: Source,
    by: UserId,
) -> ContextLink {
    ContextLink {
        id: uuid::Uuid::now_v7(),
        entity_id: e.id,
        child_id: child,
        role,
        source,
        confidence: Confidence::Likely,
        from_date: None,
        to_date: None,
        named_id: None,
        recorded_by: by,
        recorded_at: now(),
    }
}

/// A practitioner-sourced place and a police-sourced link to a person, on
/// the allocated child and the shared child.
async fn seed(t: &TestApp) -> (ContextEntity, ContextEntity) {
    let by = t.users[&SocialWorker].id;
    let place = entity(
        "Hanley bus station",
        EntityKind::Location,
        Source::Practitioner,
        by,
    );
    let person = entity("Deano", EntityKind::Person, Source::Practitioner, by);
    let mut tx = t.app.db.begin_write().await.unwrap();
    repo::insert_entity(&mut tx, &place).await.unwrap();
    repo::insert_entity(&mut tx, &person).await.unwrap();
    for c in [t.child_allocated, t.child_shared] {
        let ok = system_import(c);
        repo::insert_link(
            &mut tx,
            &ok,
            &link(&place, c, LinkRole::Frequents, Source::Practitioner, by),
        )
        .await
        .unwrap();
        repo::insert_link(
            &mut tx,
            &ok,
            &link(&person, c, LinkRole::SuspectedExploiter, Source::Police, by),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    (place, person)
}

/// Police intelligence on a child's network, per role: `P` = the network
/// with the police link, `V` = the network without it, `-` = 403. Columns:
/// the social worker's allocated child; a child of another team shared
/// (record) with the police and the interview provider.
#[rustfmt::skip]
const POLICE_INTEL: [(Role, &str, &str); 10] = [
    (SocialWorker,        "P", "-"),
    (TeamManager,         "P", "-"),
    (PodAdmin,            "V", "-"),
    (EdtWorker,           "V", "V"),
    (PanelCoordinator,    "P", "P"),
    (PartnerPractitioner, "-", "P"),
    (RhiProvider,         "-", "V"),
    (Analyst,             "-", "-"),
    (PrivacyOfficer,      "-", "-"),
    (Sysadmin,            "-", "-"),
];

#[tokio::test]
async fn police_intelligence_matrix() {
    let t = TestApp::new().await;
    let (place, person) = seed(&t).await;
    let mut failures = Vec::new();
    for (role, alloc, shared) in POLICE_INTEL {
        let cookie = t.sign_in(role).await;
        let token = t
            .app
            .create_token_system(&t.users[&role].email, "police-intel")
            .await
            .unwrap();
        for (child, want) in [(t.child_allocated, alloc), (t.child_shared, shared)] {
            let (status, _, body) = t
                .send(get(&format!("/children/{child}/network"), Some(&cookie)))
                .await;
            let got = match status {
                StatusCode::OK if body.contains("Deano") => "P",
                StatusCode::OK => "V",
                StatusCode::FORBIDDEN => "-",
                s => {
                    failures.push(format!("{role:?} {child}: status {s}"));
                    continue;
                }
            };
            if got != want {
                failures.push(format!("{role:?} page {child}: got {got}, want {want}"));
            }
            if got != "-" {
                assert!(body.contains("Hanley bus station"), "{role:?}");
            }
            // The API says the same.
            let req = Request::get(format!("/api/v1/children/{child}/network"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap();
            let (status, _, body) = t.send(req).await;
            let got = match status {
                StatusCode::OK if body.contains(&person.id.to_string()) => "P",
                StatusCode::OK => "V",
                StatusCode::FORBIDDEN => "-",
                s => {
                    failures.push(format!("{role:?} api {child}: status {s}"));
                    continue;
                }
            };
            if got != want {
                failures.push(format!("{role:?} api {child}: got {got}, want {want}"));
            }
        }
        // The place's page: police links only for those allowed to see them.
        let (status, _, body) = t
            .send(get(&format!("/contexts/{}", place.id), Some(&cookie)))
            .await;
        let view_roles = [
            SocialWorker,
            TeamManager,
            PodAdmin,
            EdtWorker,
            PanelCoordinator,
            PartnerPractitioner,
        ];
        if view_roles.contains(&role) {
            assert_eq!(status, StatusCode::OK, "{role:?}");
        } else {
            assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
        }
        let (status, _, body2) = t
            .send(get(&format!("/contexts/{}", person.id), Some(&cookie)))
            .await;
        if view_roles.contains(&role) {
            assert_eq!(status, StatusCode::OK, "{role:?}");
            // The person's links are both police: a pod sees no child on it.
            let sees = body2.contains("Allocated Tester") || body2.contains("Shared Tester");
            let want = matches!(
                role,
                SocialWorker | TeamManager | PanelCoordinator | PartnerPractitioner
            );
            assert_eq!(sees, want, "{role:?} person page");
        }
        drop(body);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn a_worker_links_a_new_place_and_sees_it_drawn_and_listed() {
    let t = TestApp::new().await;
    let cookie = t.sign_in(SocialWorker).await;
    let id = t.child_allocated;
    // Nothing chosen: the problems, nothing written.
    let before = t.audit_count().await;
    let (status, _, body) = t
        .send(form(
            &format!("/children/{id}/network/new"),
            "",
            Some(&cookie),
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Select the part they play"));
    assert!(body.contains("Select what kind of context it is"));
    let (status, headers, _) = t
        .send(form(
            &format!("/children/{id}/network/new"),
            "kind=location&name=Fenton+park&location_type=park&postcode=st4+3&role=frequents&source=practitioner&confidence=likely&from_day=1&from_month=10&from_year=2026",
            Some(&cookie),
        ))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers.get(header::LOCATION).unwrap(),
        &format!("/children/{id}/network?linked=1")
    );
    assert!(t.audit_count().await > before);
    let (status, _, body) = t
        .send(get(
            &format!("/children/{id}/network?linked=1"),
            Some(&cookie),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<svg id=\"network-picture\""));
    assert!(body.contains("<desc id=\"network-desc\">Allocated Tester is linked to: Fenton park (location; frequents, likely).</desc>"), "{body}");
    assert!(
        body.contains("Since 1 Oct 2026") || body.contains("Since 1 October 2026"),
        "dates shown"
    );
    // The same link again is a conflict, not a second row.
    let (status, _, _) = t
        .send(form(
            &format!("/children/{id}/network/new"),
            "kind=location&name=Fenton+park&location_type=park&role=frequents&source=practitioner&confidence=likely",
            Some(&cookie),
        ))
        .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "a second record of the same name is a new context"
    );
    // Search finds both records; linking an existing one by id.
    let (status, _, body) = t
        .send(form(
            &format!("/children/{}/network", t.child_team),
            "q=fenton",
            Some(&cookie),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.matches("name=\"entity_id\"").count(), 2);
    let eid = body
        .split("name=\"entity_id\" type=\"radio\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let path = format!("/children/{}/network/new", t.child_team);
    let body = format!("entity_id={eid}&role=found_at&source=school&confidence=confirmed");
    let (status, _, _) = t.send(form(&path, &body, Some(&cookie))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = t.send(form(&path, &body, Some(&cookie))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // The place's page lists the children.
    let (status, _, page) = t
        .send(get(&format!("/contexts/{eid}"), Some(&cookie)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Teamchild Tester"));
    // A team manager sees it among the hotspots.
    let tm = t.sign_in(TeamManager).await;
    let (status, _, index) = t.send(get("/contexts", Some(&tm))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(index.contains("Fenton park"));
}

#[tokio::test]
async fn overlapping_episodes_are_suggested_and_a_decision_is_kept() {
    let t = TestApp::new().await;
    let cookie = t.sign_in(SocialWorker).await;
    // Every fixture child has an open episode from "Placement", five hours ago.
    let (status, _, body) = t.send(get("/contexts/suggestions", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    let n = body.matches("name=\"episode_a\"").count();
    assert!(n >= 1, "{body}");
    let a = body
        .split("name=\"episode_a\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let b = body
        .split("name=\"episode_b\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    // No decision chosen.
    let (status, _, _) = t
        .send(form(
            "/contexts/suggestions",
            &format!("episode_a={a}&episode_b={b}"),
            Some(&cookie),
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = t
        .send(form(
            "/contexts/suggestions",
            &format!("episode_a={a}&episode_b={b}&decision=location"),
            Some(&cookie),
        ))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, after) = t
        .send(get("/contexts/suggestions?decided=1", Some(&cookie)))
        .await;
    assert_eq!(after.matches("name=\"episode_a\"").count(), n - 1);
    assert!(after.contains("Decision saved"));
    // Decided once.
    let (status, _, _) = t
        .send(form(
            "/contexts/suggestions",
            &format!("episode_a={a}&episode_b={b}&decision=dismiss"),
            Some(&cookie),
        ))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The place now exists with both children linked.
    let (_, _, index) = t.send(get("/contexts", Some(&cookie))).await;
    assert!(index.contains(">Placement<"), "{index}");
}

#[tokio::test]
async fn a_link_is_corrected_and_ended_with_reasons_kept_and_police_links_stay_hidden() {
    let t = TestApp::new().await;
    let (place, person) = seed(&t).await;
    let sw = t.sign_in(SocialWorker).await;
    let id = t.child_allocated;
    let mut tx = t.app.db.begin_read().await.unwrap();
    let links = repo::all_links(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    let at_place = links
        .iter()
        .find(|l| l.entity_id == place.id && l.child_id == id)
        .unwrap()
        .id;
    let police = links
        .iter()
        .find(|l| l.entity_id == person.id && l.child_id == id)
        .unwrap()
        .id;
    let path = format!("/children/{id}/network/links/{at_place}");
    let (s, _, page) = t.send(get(&path, Some(&sw))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Not changed since it was recorded."));
    // A correction needs a reason and a change.
    let (s, _, page) = t
        .send(form(
            &path,
            "intent=correct&role=frequents&source=practitioner&confidence=likely",
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Enter why it is corrected"));
    let (s, _, _) = t
        .send(form(
            &path,
            "intent=correct&role=found_at&source=police&confidence=confirmed&reason=Police+report+received",
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    // Ending: not in the future, with a reason.
    let (s, _, page) = t
        .send(form(
            &path,
            "intent=end&end_day=1&end_month=1&end_year=2099&end_reason=Moved",
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("The end date must be today or in the past"));
    let (s, _, _) = t
        .send(form(&path, "intent=end&end_day=20&end_month=11&end_year=2026&end_reason=Moved+to+a+placement+out+of+area", Some(&sw)))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, page) = t.send(get(&path, Some(&sw))).await;
    assert!(page.contains("Role: Frequents → Found at"), "{page}");
    assert!(page.contains("Police report received"));
    assert!(page.contains("Ended on 20 November 2026"));
    assert!(page.contains("Moved to a placement out of area"));
    assert!(!page.contains("End the link</h2>"));
    let (_, _, page) = t
        .send(get(&format!("/children/{id}/network"), Some(&sw)))
        .await;
    assert!(page.contains(">Ended<"));
    // A pod administrator may link for the child but not see the police link.
    let pod = t.sign_in(PodAdmin).await;
    let (s, _, _) = t
        .send(get(
            &format!("/children/{id}/network/links/{police}"),
            Some(&pod),
        ))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The context's own record: corrected with a reason, kept in history.
    let edit = format!("/contexts/{}/edit", place.id);
    let (s, _, page) = t.send(get(&edit, Some(&sw))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Hanley bus station"));
    let (s, _, _) = t
        .send(form(
            &edit,
            "name=Hanley+bus+station%2C+stand+F&location_type=transport_hub&postcode=st1+1&description=&reason=Stand+named+by+the+police",
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, page) = t.send(get(&edit, Some(&sw))).await;
    assert!(page.contains("Name: Hanley bus station → Hanley bus station, stand F"));
    assert!(page.contains("Postcode: none → ST1 1"));
    let partner = t.sign_in(PartnerPractitioner).await;
    let (s, _, _) = t.send(get(&edit, Some(&partner))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
