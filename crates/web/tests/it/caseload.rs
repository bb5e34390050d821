//! Weighted caseloads through the router: allocation that sees capacity
//! (override with a reason, audited and reported), the dashboards, the
//! snapshot and the API.

use crate::*;

/// Add a worker to team A; returns them.
async fn add_worker(t: &TestApp, email: &str, name: &str, fte: i32, asye: bool) -> User {
    let u = User {
        id: UserId::new(),
        email: email.into(),
        name: name.into(),
        fte_hundredths: fte,
        asye_start: asye.then(|| "2026-09-01".parse().unwrap()),
        ..t.users[&Role::SocialWorker].clone()
    };
    let hash = harbour_app::auth::hash_password(HashCost::Test, PASSWORD).unwrap();
    let mut tx = t.app.db.begin_write().await.unwrap();
    users::insert(&mut tx, &u, &hash, None, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    u
}

#[tokio::test]
async fn a_manager_overrides_the_asye_cap_with_a_reason_and_it_is_audited_and_reported() {
    let t = TestApp::new().await;
    // 0.04 FTE in the ASYE year: capacity 4 points, protected cap 3; a child in need weighs 4.
    let asye = add_worker(&t, "nq@test.example", "Newly Qualified", 4, true).await;
    let tm = t.sign_in(Role::TeamManager).await;
    let path = format!("/children/{}/allocations/new", t.child_unallocated);

    // The form shows each candidate's load now and with the child.
    let (s, _, page) = t.send(get(&path, Some(&tm))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Newly Qualified (ASYE)"), "{page}");
    assert!(page.contains("Now 0 of 3 points (0%, Green); with this child 4 (133%, Red)"));
    assert!(page.contains("Over the protected ASYE cap"));

    // Without a reason: refused, nothing written.
    let body = format!(
        "worker={}&sw_reason=FCONTA&day=20&month=11&year=2026",
        asye.id
    );
    let (s, _, page) = t.send(form(&path, &body, Some(&tm))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Newly Qualified would go over their protected ASYE cap (4 of 3 points)")
    );
    // SW_REASON is still required.
    let (s, _, page) = t
        .send(form(
            &path,
            &format!(
                "worker={}&day=20&month=11&year=2026&override_reason=Only+worker+who+knows+the+family",
                asye.id
            ),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Select the reason for the change of worker"));

    // With a reason: saved, audited, reported.
    let (s, _, _) = t
        .send(form(
            &path,
            &format!("{body}&override_reason=Only+worker+who+knows+the+family"),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let mut tx = t.app.db.begin_read().await.unwrap();
    let actions: Vec<(String, Option<String>)> =
        harbour_db::audit::for_child(&mut tx, t.child_unallocated, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.entry.event.action, e.entry.event.reason))
            .collect();
    tx.commit().await.unwrap();
    assert!(
        actions.contains(&("allocation.override".into(), Some("asye_cap 4/3".into()))),
        "{actions:?}"
    );
    assert!(actions.iter().any(|(a, _)| a == "allocation.change"));

    let (s, _, page) = t
        .send(get(&format!("/caseload/teams/{}", t.team_a), Some(&tm)))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Caseload overrides"));
    assert!(page.contains("Only worker who knows the family"));
    assert!(page.contains("Over the protected ASYE cap: 4 of 3 points"));
    assert!(page.contains("Waiting Tester"));
}

#[tokio::test]
async fn only_a_breach_needs_a_reason_and_the_red_threshold_counts_too() {
    let t = TestApp::new().await;
    let ok = add_worker(&t, "roomy@test.example", "Roomy Worker", 100, false).await;
    let tight = add_worker(&t, "tight@test.example", "Tight Worker", 3, false).await;
    let tm = t.sign_in(Role::TeamManager).await;
    let path = format!("/children/{}/allocations/new", t.child_unallocated);
    let (s, _, page) = t
        .send(form(
            &path,
            &format!(
                "worker={}&sw_reason=FCONTA&day=20&month=11&year=2026",
                tight.id
            ),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("would go over the red threshold (4 of 3 points)"));
    let (s, _, _) = t
        .send(form(
            &path,
            &format!(
                "worker={}&sw_reason=FCONTA&day=20&month=11&year=2026",
                ok.id
            ),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn dashboards_show_the_raw_count_beside_the_weighted_load() {
    let t = TestApp::new().await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let (s, _, page) = t.send(get("/caseload", Some(&sw))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("My caseload"));
    assert!(page.contains("Children allocated"));
    assert!(page.contains("Allocated Tester"));
    assert!(page.contains("Child in need: +4"));

    // The snapshot: one per ISO week.
    assert!(t.app.take_caseload_snapshot().await.unwrap().is_some());
    assert!(t.app.take_caseload_snapshot().await.unwrap().is_none());

    let pod = t.sign_in(Role::PodAdmin).await;
    let (s, _, page) = t
        .send(get(&format!("/caseload/pods/{}", t.pod_a), Some(&pod)))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Pod A"));
    assert!(page.contains("Team A"));
    assert!(page.contains("2026-W48"));
    // A restricted child's name stays hidden from the pod on a worker's page.
    let teammate = {
        let mut tx = t.app.db.begin_read().await.unwrap();
        let u = users::list(&mut tx)
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.email == "teammate@test.example")
            .unwrap();
        tx.commit().await.unwrap();
        u
    };
    let (s, _, page) = t
        .send(get(
            &format!("/caseload/workers/{}", teammate.id),
            Some(&pod),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Restricted record"));
    assert!(!page.contains("Restricted Tester"));

    let analyst = t.sign_in(Role::Analyst).await;
    let token = t
        .app
        .create_token_system(&t.users[&Role::Analyst].email, "caseloads")
        .await
        .unwrap();
    let (s, _, page) = t.send(get("/caseload/service", Some(&analyst))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Workers, most loaded first"));
    let req = Request::get("/api/v1/caseloads")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let (s, _, body) = t.send(req).await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let first = &v.as_array().unwrap()[0];
    assert!(first["children"].is_number() && first["points"].is_number());
    assert!(first["status"].is_string());
}

#[tokio::test]
async fn the_sysadmin_sets_an_establishment_and_the_workforce_page_shows_vacancies() {
    let t = TestApp::new().await;
    let admin = t.sign_in(Role::Sysadmin).await;
    let path = format!("/caseload/workforce/teams/{}/establishment", t.team_a);
    let (s, _, page) = t.send(form(&path, "fte=lots", Some(&admin))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    let (s, _, _) = t.send(form(&path, "fte=6.5", Some(&admin))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, page) = t.send(get("/caseload/workforce", Some(&admin))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("6.5"), "{page}");
    assert!(page.contains("Leavers in the last 12 months"));
}

#[tokio::test]
async fn a_leavers_children_move_in_one_go_each_audited_and_a_breach_needs_the_reason() {
    let t = TestApp::new().await;
    let roomy = add_worker(&t, "roomy@test.example", "Roomy Worker", 100, false).await;
    let nq = add_worker(&t, "nq@test.example", "Newly Qualified", 4, true).await;
    let tm = t.sign_in(Role::TeamManager).await;
    let path = format!("/caseload/workers/{}/reallocate", t.teammate);

    // The page lists the leaver's children with each candidate's loads.
    let (s, _, page) = t.send(get(&path, Some(&tm))).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains("Teamchild"), "{page}");
    assert!(page.contains("Restricted"));
    assert!(page.contains("Roomy Worker, Team A: 0 children, now 0 of"));
    assert!(page.contains("with all of them"));
    assert!(page.contains("Over the protected ASYE cap: needs your override reason"));

    // One worker for all, one child to the ASYE worker without a reason:
    // refused, and nobody moved.
    let body = format!(
        "all={}&worker-{}={}&sw_reason=FCONTA&day=20&month=11&year=2026",
        roomy.id, t.child_restricted_team, nq.id
    );
    let (s, _, page) = t.send(form(&path, &body, Some(&tm))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("would go over their protected ASYE cap"),
        "{page}"
    );
    let holds = |w: UserId, name: &'static str| {
        let (t, tm) = (&t, tm.clone());
        async move {
            let (_, _, page) = t
                .send(get(&format!("/caseload/workers/{w}"), Some(&tm)))
                .await;
            page.contains(name)
        }
    };
    assert!(holds(t.teammate, "Teamchild").await);
    assert!(!holds(roomy.id, "Teamchild").await);

    // With the reason: both move in one go, each audited on its record.
    let (s, headers, _) = t
        .send(form(
            &path,
            &format!("{body}&override_reason=Knows+the+family+from+school"),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        headers.get("location").unwrap(),
        &format!("/caseload/workers/{}?moved=2", t.teammate)
    );
    assert!(holds(roomy.id, "Teamchild").await);
    assert!(holds(nq.id, "Restricted").await);
    assert!(!holds(t.teammate, "Teamchild").await);
    let mut tx = t.app.db.begin_read().await.unwrap();
    for (child, override_too) in [(t.child_team, false), (t.child_restricted_team, true)] {
        let actions: Vec<String> = harbour_db::audit::for_child(&mut tx, child, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.entry.event.action)
            .collect();
        assert!(
            actions.contains(&"allocation.change".to_string()),
            "{actions:?}"
        );
        assert_eq!(
            actions.contains(&"allocation.override".to_string()),
            override_too
        );
    }
    tx.commit().await.unwrap();
    let (_, _, page) = t
        .send(get(
            &format!("/caseload/workers/{}?moved=2", t.teammate),
            Some(&tm),
        ))
        .await;
    assert!(page.contains("2 children moved to their new workers"));
    assert!(page.contains("No children allocated."));
    let (_, _, page) = t
        .send(get(&format!("/caseload/teams/{}", t.team_a), Some(&tm)))
        .await;
    assert!(page.contains("Knows the family from school"));
}

#[tokio::test]
async fn court_work_is_marked_and_ended_and_the_weighting_sees_it() {
    let t = TestApp::new().await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let path = format!("/children/{}/court-work", t.child_allocated);
    let points = |page: &str| {
        // "Weighted load</dt><dd ...>N of M points"
        let i = page.find("Weighted load").unwrap();
        let rest = &page[i..];
        let j = rest.find("\">").unwrap() + 2;
        rest[j..].split(' ').next().unwrap().parse::<u32>().unwrap()
    };
    let (_, _, page) = t.send(get("/caseload", Some(&sw))).await;
    let before = points(&page);
    let (s, _, page) = t.send(get(&path, Some(&sw))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("No proceedings are recorded."));
    // A date in the future is refused.
    let (s, _, page) = t
        .send(form(
            &path,
            "change=start&day=1&month=1&year=2099",
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("must be today or in the past"));
    let (s, _, _) = t
        .send(form(
            &path,
            "change=start&day=2&month=11&year=2026",
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, page) = t
        .send(get(&format!("/children/{}", t.child_allocated), Some(&sw)))
        .await;
    assert!(page.contains("Under way since"), "{page}");
    let (_, _, page) = t.send(get("/caseload", Some(&sw))).await;
    assert!(page.contains("Court work"), "{page}");
    let during = points(&page);
    assert!(during > before, "{before} -> {during}");
    // Ending them without saying so is a problem; saying so ends them.
    let (s, _, page) = t.send(form(&path, "", Some(&sw))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Select whether the proceedings have ended"));
    let (s, _, _) = t.send(form(&path, "change=end", Some(&sw))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, page) = t.send(get("/caseload", Some(&sw))).await;
    assert_eq!(points(&page), before);
    let mut tx = t.app.db.begin_read().await.unwrap();
    let actions: Vec<String> = harbour_db::audit::for_child(&mut tx, t.child_allocated, 20)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.entry.event.action)
        .collect();
    tx.commit().await.unwrap();
    assert!(actions.contains(&"court_work.start".to_string()));
    assert!(actions.contains(&"court_work.end".to_string()));
}
