//! Journeys and security properties through the router.

use crate::*;

#[tokio::test]
async fn sign_in_refuses_with_one_message_and_locks_out() {
    let t = TestApp::new().await;
    let (s, _, body) = t
        .send(form(
            "/sign-in",
            "email=nobody%40test.example&password=whatever123",
            None,
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Enter a correct email address and password"));
    let (_, _, body2) = t
        .send(form(
            "/sign-in",
            "email=social_worker%40test.example&password=wrong-password",
            None,
        ))
        .await;
    assert!(
        body2.contains("Enter a correct email address and password"),
        "same message whether or not the account exists"
    );
    // Lock out after the threshold (5): even the right password is refused.
    for _ in 0..5 {
        t.send(form(
            "/sign-in",
            "email=team_manager%40test.example&password=wrong-password",
            None,
        ))
        .await;
    }
    let ok = format!(
        "email=team_manager%40test.example&password={}",
        PASSWORD.replace(' ', "+")
    );
    let (s, _, _) = t.send(form("/sign-in", &ok, None)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // TOTP is required for the sysadmin.
    let no_code = format!(
        "email=sysadmin%40test.example&password={}",
        PASSWORD.replace(' ', "+")
    );
    let (s, _, _) = t.send(form("/sign-in", &no_code, None)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    t.sign_in(Role::Sysadmin).await;
}

#[tokio::test]
async fn sessions_end_on_sign_out_and_when_disabled() {
    let t = TestApp::new().await;
    let c = t.sign_in(Role::SocialWorker).await;
    assert_eq!(t.send(get("/my-work", Some(&c))).await.0, StatusCode::OK);
    let (s, h, _) = t.send(form("/sign-out", "", Some(&c))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(h.get("clear-site-data").is_some());
    assert_eq!(
        t.send(get("/my-work", Some(&c))).await.0,
        StatusCode::SEE_OTHER
    );

    let c = t.sign_in(Role::SocialWorker).await;
    let admin = t.sign_in(Role::Sysadmin).await;
    let (s, _, body) = t
        .send(form(
            &format!("/admin/staff/{}/disable", t.users[&Role::SocialWorker].id),
            "",
            Some(&admin),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(
        t.send(get("/my-work", Some(&c))).await.0,
        StatusCode::SEE_OTHER,
        "a disabled user's session ends at once"
    );
}

#[tokio::test]
async fn security_headers_on_every_kind_of_response() {
    let t = TestApp::new().await;
    let c = t.sign_in(Role::SocialWorker).await;
    for path in [
        "/sign-in",
        "/my-work",
        "/children",
        "/nowhere",
        "/healthz",
        "/api/v1/openapi.json",
    ] {
        let (_, h, _) = t.send(get(path, Some(&c))).await;
        let csp = h
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'")
                && csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert_eq!(
            h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            h.get(header::REFERRER_POLICY).unwrap(),
            "no-referrer",
            "{path}"
        );
        assert_eq!(h.get(header::CACHE_CONTROL).unwrap(), "no-store", "{path}");
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let t = TestApp::new().await;
    let c = t.sign_in(Role::SocialWorker).await;
    let before = t.audit_count().await;
    let req = Request::post(format!("/children/{}/notes/new", t.child_allocated))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .header(header::COOKIE, &c)
        .body(Body::from("kind=visit&subject=x&body=y"))
        .unwrap();
    assert_eq!(t.send(req).await.0, StatusCode::FORBIDDEN);
    assert_eq!(t.audit_count().await, before);
}

#[tokio::test]
async fn recording_a_note_is_audited_and_shows_on_the_record() {
    let t = TestApp::new().await;
    let c = t.sign_in(Role::SocialWorker).await;
    let path = format!("/children/{}/notes/new", t.child_allocated);
    // Empty: 422 with the error summary, nothing written.
    let before = t.audit_count().await;
    let (s, _, body) = t.send(form(&path, "kind=&subject=", Some(&c))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("There is a problem")
            && body.contains("Select what kind of note this is")
            && body.contains("Enter a subject")
    );
    // An invalid submission writes no note; re-showing the form (which names
    // the child) is audited as one read.
    assert_eq!(t.audit_count().await, before + 1);
    // Showing the form names the child, so it is audited as a read.
    assert_eq!(t.send(get(&path, Some(&c))).await.0, StatusCode::OK);
    let mut tx = t.app.db.begin_read().await.unwrap();
    let rows = harbour_db::audit::for_child(&mut tx, t.child_allocated, 1)
        .await
        .unwrap();
    assert_eq!(rows[0].entry.event.action, "note.create.form");
    drop(tx);
    // Impossible date.
    let (s, _, body) = t
        .send(form(
            &path,
            "kind=visit&day=31&month=2&year=2026&time=10:00&subject=S&body=B",
            Some(&c),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("must be a real date"));
    // Valid.
    let (s, h, _) = t.send(form(&path, "kind=visit&day=25&month=11&year=2026&time=4%3A30pm&subject=Home+visit+after+return&body=Seen+alone.&significant=yes", Some(&c))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let loc = h
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let (s, _, page) = t.send(get(&loc, Some(&c))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Case note saved") && page.contains("Home visit after return"));
    assert!(
        page.contains("25 November 2026 at 4:30pm"),
        "event time shown as London wall-clock time"
    );
}

#[tokio::test]
async fn every_read_of_a_child_is_audited_with_its_id() {
    let t = TestApp::new().await;
    let c = t.sign_in(Role::SocialWorker).await;
    let before = t.audit_count().await;
    assert_eq!(
        t.send(get(&format!("/children/{}", t.child_allocated), Some(&c)))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(t.audit_count().await, before + 1);
    let mut tx = t.app.db.begin_read().await.unwrap();
    let rows = harbour_db::audit::for_child(&mut tx, t.child_allocated, 10)
        .await
        .unwrap();
    assert_eq!(rows[0].entry.event.action, "child.view");
    // Denials are audited too.
    let before = t.audit_count().await;
    assert_eq!(
        t.send(get(&format!("/children/{}", t.child_other), Some(&c)))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(t.audit_count().await, before + 1);
    drop(tx);
    assert!(t.app.verify_audit_chain().await.unwrap().broken.is_none());
}

#[tokio::test]
async fn break_glass_opens_the_record_for_a_time_and_alerts_the_privacy_officer() {
    let t = TestApp::new().await;
    let c = t.sign_in(Role::SocialWorker).await;
    let path = format!("/children/{}", t.child_other);
    let (s, _, body) = t.send(get(&path, Some(&c))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(body.contains("Request emergency access"));
    assert!(
        body.contains(&format!("href=\"{path}/break-glass\"")),
        "the offer links to this child's break-glass form"
    );
    // Refused on a form page, the offer is still for the child.
    let (_, _, body) = t.send(get(&format!("{path}/notes/new"), Some(&c))).await;
    assert!(body.contains(&format!("href=\"{path}/break-glass\"")));
    let (s, _, body) = t
        .send(form(
            &format!("{path}/break-glass"),
            "reason=short&minutes=30",
            Some(&c),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (s, _, _) = t
        .send(form(
            &format!("{path}/break-glass"),
            "reason=Police+report+the+child+missing+tonight&minutes=30",
            Some(&c),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, body) = t.send(get(&path, Some(&c))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("emergency access"));
    let p = t.sign_in(Role::PrivacyOfficer).await;
    let (_, _, body) = t.send(get("/privacy", Some(&p))).await;
    assert!(
        body.contains("1 awaiting review")
            && body.contains("Police report the child missing tonight")
    );
}

#[tokio::test]
async fn names_are_escaped_everywhere() {
    let t = TestApp::new().await;
    let c = t.sign_in(Role::SocialWorker).await;
    let (s, h, _) = t.send(form("/children/new", "first_name=%3Cscript%3Ealert(1)%3C%2Fscript%3E&last_name=O%27Brien&dob_day=1&dob_month=2&dob_year=2012&sex=F&ethnicity=WBRI&legal_status=CIN", Some(&c))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let loc = h
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let (_, _, page) = t.send(get(&loc, Some(&c))).await;
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(
        page.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "the name is shown as text"
    );
    let (_, _, results) = t.send(form("/children", "q=brien", Some(&c))).await;
    assert!(results.contains("&#60;script&#62;") && !results.contains("<script>alert"));
}

#[tokio::test]
async fn search_finds_partial_and_misspelt_names_and_hides_nothing_it_should_show() {
    let t = TestApp::new().await;
    let c = t.sign_in(Role::SocialWorker).await;
    for q in ["Allocated", "allo", "Alocated+Tester", "Teztr"] {
        let (s, _, body) = t.send(form("/children", &format!("q={q}"), Some(&c))).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            body.contains(&format!("/children/{}", t.child_allocated)),
            "{q}"
        );
    }
    let (_, _, body) = t.send(form("/children", "q=Tester", Some(&c))).await;
    assert!(body.contains("Not in your caseload"));
    // Partners see only what is shared with their organisation.
    let p = t.sign_in(Role::PartnerPractitioner).await;
    let (_, _, body) = t.send(form("/children", "q=Tester", Some(&p))).await;
    assert!(body.contains(&format!("/children/{}", t.child_shared)));
    assert!(!body.contains(&format!("/children/{}", t.child_allocated)));
}

#[tokio::test]
async fn bad_input_gets_clear_errors_and_changes_nothing() {
    let t = TestApp::new().await;
    let token = t
        .app
        .create_token_system("social_worker@test.example", "test")
        .await
        .unwrap();
    let before = t.audit_count().await;
    let req = |body: &str| {
        Request::post(format!("/api/v1/children/{}/notes", t.child_allocated))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let (s, h, body) = t.send(req("{not json")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(
        h.get(header::CONTENT_TYPE).unwrap(),
        "application/problem+json"
    );
    assert!(body.contains("request_id"));
    let (s, _, body) = t
        .send(req(
            r#"{"kind":"nonsense","occurred_at":"2026-11-25T10:00:00Z","subject":"","body":"x"}"#,
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("\"field\":\"kind\"") && body.contains("\"field\":\"subject\""),
        "{body}"
    );
    let big = "x".repeat(100 * 1024);
    let (s, _, _) = t.send(req(&format!(r#"{{"kind":"visit","occurred_at":"2026-11-25T10:00:00Z","subject":"s","body":"{big}"}}"#))).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    let (s, _, _) = t
        .send(req(
            r#"{"kind":"visit","occurred_at":"2099-01-01T10:00:00Z","subject":"s","body":"b"}"#,
        ))
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "future event time refused"
    );
    // Only the permission checks' own reads were audited; no note was written.
    let mut tx = t.app.db.begin_read().await.unwrap();
    let rows = harbour_db::audit::for_child(&mut tx, t.child_allocated, 50)
        .await
        .unwrap();
    assert!(rows.iter().all(|r| r.entry.event.action != "note.create"));
    assert!(t.audit_count().await >= before);
    let ok = t
        .send(req(
            r#"{"kind":"visit","occurred_at":"2026-11-25T10:00:00Z","subject":"s","body":"b"}"#,
        ))
        .await;
    assert_eq!(ok.0, StatusCode::CREATED, "{}", ok.2);
}

#[tokio::test]
async fn openapi_document_lists_the_api_routes() {
    let t = TestApp::new().await;
    let (s, _, body) = t.send(get("/api/v1/openapi.json", None)).await;
    assert_eq!(s, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    let src = include_str!("../../src/routes.rs");
    for line in src.lines().filter(|l| {
        l.contains(".route(\"/api/v1/") && !l.contains("openapi.json") && !l.contains("{*rest}")
    }) {
        let p = line.split('"').nth(1).unwrap();
        assert!(
            paths.iter().any(|x| x.as_str() == p),
            "{p} missing from OpenAPI"
        );
    }
}

#[tokio::test]
async fn an_ended_session_returns_to_the_same_form_after_signing_in() {
    let t = TestApp::new().await;
    let path = format!("/children/{}/notes/new", t.child_allocated);
    // A stale cookie: the session no longer exists.
    let (s, h, _) = t
        .send(form(
            &path,
            "kind=visit&subject=Typed+at+2am",
            Some("harbour_session=0000"),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let to = h
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        to,
        format!(
            "/sign-in?next=%2Fchildren%2F{}%2Fnotes%2Fnew",
            t.child_allocated
        )
    );
    let (_, _, page) = t.send(get(&to, None)).await;
    assert!(
        page.contains(&format!("name=\"next\" value=\"{path}\""))
            || page.contains("name=\"next\" value=\"&#47;children"),
        "{page}"
    );
    let body = format!(
        "email=social_worker%40test.example&password={}&next={}",
        PASSWORD.replace(' ', "+"),
        path.replace('/', "%2F")
    );
    let (s, h, _) = t.send(form("/sign-in", &body, None)).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h.get(header::LOCATION).unwrap(), path.as_str());
    // An action with no page of its own does not come back (it would be a GET of a POST-only path).
    let (_, h, _) = t
        .send(form("/admin/teams", "name=x", Some("harbour_session=0000")))
        .await;
    assert_eq!(h.get(header::LOCATION).unwrap(), "/sign-in");
    // Only paths on this site are followed.
    let body = format!(
        "email=social_worker%40test.example&password={}&next=%2F%2Fevil.example",
        PASSWORD.replace(' ', "+")
    );
    let (_, h, _) = t.send(form("/sign-in", &body, None)).await;
    assert_eq!(h.get(header::LOCATION).unwrap(), "/my-work");
}

#[tokio::test]
async fn my_work_lists_recently_opened_children_for_out_of_hours_staff() {
    let t = TestApp::new().await;
    let c = t.sign_in(Role::EdtWorker).await;
    let (_, _, before) = t.send(get("/my-work", Some(&c))).await;
    assert!(!before.contains("Recently opened"));
    for id in [t.child_other, t.child_team] {
        assert_eq!(
            t.send(get(&format!("/children/{id}"), Some(&c))).await.0,
            StatusCode::OK
        );
    }
    let (_, _, page) = t.send(get("/my-work", Some(&c))).await;
    let recent = &page[page
        .find("Recently opened")
        .expect("a Recently opened table")..];
    let (team, other) = (
        recent.find(&t.child_team.to_string()).unwrap(),
        recent.find(&t.child_other.to_string()).unwrap(),
    );
    assert!(team < other, "newest first");
    assert!(
        page.contains("action=\"/children\""),
        "a search box on the home page"
    );
}

#[tokio::test]
async fn a_sysadmin_records_workforce_details_and_team_managers() {
    let t = TestApp::new().await;
    let c = t.sign_in(Role::Sysadmin).await;
    let sw = &t.users[&Role::SocialWorker];
    let path = format!("/admin/staff/{}/edit", sw.id);
    let (s, _, page) = t.send(get(&path, Some(&c))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(&sw.name));
    let team = sw.team_id.unwrap();
    let bad = format!(
        "name=Sam+Worker&role=social_worker&team={team}&fte=120&swe_number=123&asye_day=1&asye_month=1&asye_year=2030"
    );
    let (s, _, page) = t.send(form(&path, &bad, Some(&c))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("percentage from 1 to 100")
            && page.contains("like SW123456")
            && page.contains("today or in the past")
    );
    let good = format!(
        "name=Sam+Worker&role=social_worker&team={team}&fte=80&swe_number=sw654321&agency=yes&asye_day=1&asye_month=9&asye_year=2026"
    );
    assert_eq!(t.send(form(&path, &good, Some(&c))).await.0, StatusCode::OK);
    let mut tx = t.app.db.begin_read().await.unwrap();
    let u = harbour_db::users::get(&mut tx, sw.id)
        .await
        .unwrap()
        .unwrap();
    drop(tx);
    assert_eq!(
        (u.fte_hundredths, u.swe_number.as_deref(), u.agency),
        (80, Some("SW654321"), true)
    );
    assert_eq!(u.asye_start, "2026-09-01".parse().ok());
    // A partner cannot be given a social care role.
    let partner = &t.users[&Role::PartnerPractitioner];
    let (s, _, _) = t
        .send(form(
            &format!("/admin/staff/{}/edit", partner.id),
            "name=P&role=social_worker&fte=100",
            Some(&c),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // Team managers.
    let tm = &t.users[&Role::TeamManager];
    let (s, _, _) = t
        .send(form(
            &format!("/admin/teams/{team}/manager"),
            &format!("manager={}", sw.id),
            Some(&c),
        ))
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only a team manager can manage a team"
    );
    let (s, _, _) = t
        .send(form(
            &format!("/admin/teams/{team}/manager"),
            &format!("manager={}", tm.id),
            Some(&c),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_second_factor_code_works_once() {
    let t = TestApp::new().await;
    t.sign_in(Role::PrivacyOfficer).await;
    let code = harbour_app::auth::totp_at(
        &harbour_app::auth::base32_decode(TOTP).unwrap(),
        now().timestamp() / 30,
    );
    let body = format!(
        "email=privacy_officer%40test.example&password={}&code={code}",
        PASSWORD.replace(' ', "+")
    );
    let (s, _, page) = t.send(form("/sign-in", &body, None)).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a replayed code is refused"
    );
    assert!(page.contains("Enter a correct email address and password"));
    t.clock.advance(chrono::TimeDelta::seconds(30));
    let next = harbour_app::auth::totp_at(
        &harbour_app::auth::base32_decode(TOTP).unwrap(),
        now().timestamp() / 30 + 1,
    );
    let body = format!(
        "email=privacy_officer%40test.example&password={}&code={next}",
        PASSWORD.replace(' ', "+")
    );
    assert_eq!(
        t.send(form("/sign-in", &body, None)).await.0,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn report_missing_and_record_the_return() {
    let t = TestApp::new().await;
    let c = t.sign_in(Role::SocialWorker).await;
    let child = t.child_allocated;
    let open = t.episodes[&child];
    // Missing now: a banner on the record and a list on My work.
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&c))).await;
    assert!(
        page.contains("Missing now")
            && page.contains(&format!("/children/{child}/missing/{open}/return"))
    );
    let (_, _, work) = t.send(get("/my-work", Some(&c))).await;
    assert!(work.contains("Children missing now"));
    // A second open episode is refused in plain words, and nothing is written.
    let report = "kind=M&from=placement&day=26&month=11&year=2026&time=08:00&location_left=Bus+station&circumstances=Left+after+breakfast&grade=high&police_ref=SP-1";
    let (s, _, page) = t
        .send(form(
            &format!("/children/{child}/missing/new"),
            report,
            Some(&c),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("already has an open missing episode"),
        "{page}"
    );
    // Record the return: not before the child was last seen.
    let ret = format!("/children/{child}/missing/{open}/return");
    let (s, _, page) = t
        .send(form(
            &ret,
            "day=20&month=11&year=2026&time=02:00&found_where=Town&found_by=Police",
            Some(&c),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("must be after they were last seen"));
    let (s, h, _) = t
        .send(form(
            &ret,
            "day=26&month=11&year=2026&time=07:30&found_where=Friend%27s+house&found_by=Police",
            Some(&c),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        h.get(header::LOCATION).unwrap(),
        format!("/children/{child}?saved=return").as_str()
    );
    // Now a new report is accepted, with its police grade.
    let (s, _, page) = t
        .send(form(
            &format!("/children/{child}/missing/new"),
            report,
            Some(&c),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&c))).await;
    assert!(
        page.contains("Bus station")
            && page.contains("Police risk grade: High")
            && page.contains("Returned or found: Friend&#39;s house")
    );
}

#[tokio::test]
async fn a_retried_api_report_creates_one_episode() {
    let t = TestApp::new().await;
    let token = t
        .app
        .create_token_system("partner_practitioner@test.example", "police system")
        .await
        .unwrap();
    let child = t.child_shared;
    // Close the fixture's open episode first.
    let ret = Request::post(format!(
        "/api/v1/missing-episodes/{}/return",
        t.episodes[&child]
    ))
    .header(header::AUTHORIZATION, format!("Bearer {token}"))
    .header(header::CONTENT_TYPE, "application/json")
    .body(Body::from(
        r#"{"returned_at":"2026-11-26T09:00:00Z","found_where":"Home","found_by":"Police"}"#,
    ))
    .unwrap();
    let (s, _, body) = t.send(ret).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains("\"returned_at\":\"2026-11-26T09:00:00Z\""));
    // An API read is audited as a view, not as opening a form.
    let mut tx = t.app.db.begin_read().await.unwrap();
    let actions: Vec<String> = harbour_db::audit::for_child(&mut tx, child, 20)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.entry.event.action)
        .collect();
    drop(tx);
    assert!(
        actions.contains(&"missing.view".to_string())
            && actions.contains(&"missing.return".to_string()),
        "{actions:?}"
    );
    assert!(!actions.iter().any(|a| a.ends_with(".form")), "{actions:?}");
    let report = || {
        Request::post(format!("/api/v1/children/{child}/missing-episodes"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", "report-42")
            .body(Body::from(r#"{"kind":"M","missing_from":"home","last_seen_at":"2026-11-26T09:30:00Z","location_left":"Park","circumstances":"Ran off","police_grade":"medium","police_ref":"SP-77"}"#))
            .unwrap()
    };
    let (s1, _, b1) = t.send(report()).await;
    let (s2, _, b2) = t.send(report()).await;
    assert_eq!(
        (s1, s2),
        (StatusCode::CREATED, StatusCode::CREATED),
        "{b1} {b2}"
    );
    assert_eq!(b1, b2, "the retry returns the first answer");
    let list = Request::get(format!("/api/v1/children/{child}/missing-episodes"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let (_, _, body) = t.send(list).await;
    let eps: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(eps.as_array().unwrap().len(), 2);
    assert_eq!(eps[0]["police_grade"], "medium");
}

#[tokio::test]
async fn a_missing_report_gives_the_worker_and_manager_tasks() {
    let t = TestApp::new().await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let child = t.child_allocated;
    let ret = format!("/children/{child}/missing/{}/return", t.episodes[&child]);
    assert_eq!(
        t.send(form(
            &ret,
            "day=26&month=11&year=2026&time=07:30&found_where=Home&found_by=Carer",
            Some(&sw)
        ))
        .await
        .0,
        StatusCode::SEE_OTHER
    );
    // A child of 15 with a high police grade: the strategy-discussion task too.
    let report = "kind=M&from=placement&day=26&month=11&year=2026&time=08:00&location_left=Bus+station&circumstances=Left&grade=high";
    assert_eq!(
        t.send(form(
            &format!("/children/{child}/missing/new"),
            report,
            Some(&sw)
        ))
        .await
        .0,
        StatusCode::SEE_OTHER
    );
    let (_, _, work) = t.send(get("/my-work", Some(&sw))).await;
    let mut tx = t.app.db.begin_read().await.unwrap();
    let open =
        harbour_db::tasks::open_for(&mut tx, t.users[&Role::SocialWorker].id, Role::SocialWorker)
            .await
            .unwrap();
    drop(tx);
    assert_eq!(open.len(), 1, "{open:?}");
    assert!(
        work.contains("My tasks") && work.contains("Respond to a missing report"),
        "{work}"
    );
    assert!(
        work.contains("26 November 2026 at 12pm") || work.contains("26 November 2026 at midday"),
        "due two hours after the 10:00 report"
    );
    let tm = t.sign_in(Role::TeamManager).await;
    let (_, _, mwork) = t.send(get("/my-work", Some(&tm))).await;
    assert!(
        mwork.contains("Oversee the response to a missing report")
            && mwork.contains("Consider a strategy discussion")
    );
    assert!(mwork.contains("police graded the risk as high"));
    // The manager cannot tick off the worker's task; the worker can.
    let id = work
        .split("/tasks/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        t.send(form(&format!("/tasks/{id}/complete"), "", Some(&tm)))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        t.send(form(&format!("/tasks/{id}/complete"), "", Some(&sw)))
            .await
            .0,
        StatusCode::SEE_OTHER
    );
    let (_, _, after) = t.send(get("/my-work", Some(&sw))).await;
    assert!(!after.contains(&id));
}

#[tokio::test]
async fn ssda903_checks_show_on_the_record_for_a_looked_after_child() {
    let t = TestApp::new().await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let mut tx = t.app.db.begin_write().await.unwrap();
    // Each fixture child has an episode that began at 05:00 today.
    for (child, start) in [
        (t.child_allocated, "2026-11-01"),
        (t.child_team, "2026-11-27"),
    ] {
        let placement = Placement {
            id: PlacementId::new(),
            child_id: child,
            place_code: "U4".into(),
            provider_code: "PR1".into(),
            carer_name: "Carers".into(),
            carer_phone: None,
            postcode: "ST1 1AA".into(),
            area_la: "861".into(),
            start_date: start.parse().unwrap(),
            end_date: None,
        };
        records::insert_placement(
            &mut tx,
            &harbour_domain::authz::system_import(child),
            &placement,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let (_, _, page) = t
        .send(get(&format!("/children/{}", t.child_allocated), Some(&sw)))
        .await;
    assert!(
        !page.contains("SSDA903 rule"),
        "the episode lies within the period of care"
    );
    let (_, _, page) = t
        .send(get(&format!("/children/{}", t.child_team), Some(&sw)))
        .await;
    assert!(
        page.contains("Checks for the looked-after children return (SSDA903)")
            && page.contains("SSDA903 rule 577"),
        "the episode began before care"
    );
}

#[tokio::test]
async fn api_missing_reports_keep_exact_times_and_name_fields_as_the_api_does() {
    let t = TestApp::new().await;
    let token = t
        .app
        .create_token_system("social_worker@test.example", "sys")
        .await
        .unwrap();
    let child = t.child_allocated;
    let call = |method: &str, path: String, body: &str| {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let (s, _, body) = t
        .send(call(
            "POST",
            format!("/api/v1/missing-episodes/{}/return", t.episodes[&child]),
            r#"{"returned_at":"2026-11-26T04:00:00Z","found_where":"x","found_by":"y"}"#,
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("\"field\":\"returned_at\""), "{body}");
    let (s, _, _) = t
        .send(call(
            "POST",
            format!("/api/v1/missing-episodes/{}/return", t.episodes[&child]),
            r#"{"returned_at":"2026-11-26T06:00:00Z","found_where":"x","found_by":"y"}"#,
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    // An open episode cannot start before a later, closed one (it would overlap it).
    let (s, _, body) = t.send(call("POST", format!("/api/v1/children/{child}/missing-episodes"), r#"{"kind":"M","missing_from":"home","last_seen_at":"2026-11-20T20:00:00Z","location_left":"Park","circumstances":"Not home","reported_at":"2026-11-22T09:00:00Z"}"#)).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an open episode before a later closed one overlaps it: {body}"
    );
    let (s, _, body) = t.send(call("POST", format!("/api/v1/children/{child}/missing-episodes"), r#"{"kind":"X","missing_from":"moon","last_seen_at":"2026-11-26T08:00:00Z","location_left":"Park","circumstances":"Not home"}"#)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("\"field\":\"kind\"") && body.contains("\"field\":\"missing_from\""),
        "{body}"
    );
    let (s, _, body) = t.send(call("POST", format!("/api/v1/children/{child}/missing-episodes"), r#"{"kind":"M","missing_from":"home","last_seen_at":"2026-11-26T08:00:00Z","location_left":"Park","circumstances":"Not home","reported_at":"2026-11-26T09:45:00Z"}"#)).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let (_, _, list) = t
        .send(call(
            "GET",
            format!("/api/v1/children/{child}/missing-episodes"),
            "",
        ))
        .await;
    assert!(
        list.contains("\"reported_at\":\"2026-11-26T09:45:00Z\""),
        "{list}"
    );
}

#[tokio::test]
async fn the_commissioned_provider_interviews_the_child_and_the_worker_sees_the_findings() {
    let t = TestApp::new().await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let child = t.child_allocated; // not shared with the provider: the interview alone gives access
    let ret = format!("/children/{child}/missing/{}/return", t.episodes[&child]);
    assert_eq!(
        t.send(form(
            &ret,
            "day=26&month=11&year=2026&time=07:30&found_where=Home&found_by=Carer",
            Some(&sw)
        ))
        .await
        .0,
        StatusCode::SEE_OTHER
    );
    let (_, _, record) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    assert!(
        record.contains("Awaiting interview")
            && record.contains("Due by 29 November 2026 at 7:30am"),
        "72 hours after the return"
    );
    let rhi = t.sign_in(Role::RhiProvider).await;
    let (s, _, queue) = t.send(get("/interviews", Some(&rhi))).await;
    assert_eq!(s, StatusCode::OK);
    let id = queue
        .split("/interviews/")
        .nth(1)
        .expect("an interview in the queue")
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let path = format!("/interviews/{id}");
    let (s, _, page) = t.send(get(&path, Some(&rhi))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Allocated Tester") && !page.contains("Visit to Allocated"),
        "the minimum: no case notes"
    );
    // Still no way into the child's record.
    assert_eq!(
        t.send(get(&format!("/children/{child}"), Some(&rhi)))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // Another role cannot open the interview.
    assert_eq!(t.send(get(&path, Some(&sw))).await.0, StatusCode::FORBIDDEN);
    let (s, _, page) = t.send(form(&path, "outcome=completed", Some(&rhi))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Enter when the interview was offered")
            && page.contains("Enter when the interview was held")
    );
    let body = "outcome=completed&offered_day=26&offered_month=11&offered_year=2026&offered_time=08:00&offered_by=Sam+Patel%2C+return+interview+worker&held_day=26&held_month=11&held_year=2026&held_time=09:30&push_pull=Older+friends+with+a+car&people_named=A+man+called+Dee&places_named=the+takeaway+on+Hope+Street&share_social_worker=yes&basis_social_worker=public_task_safeguarding&share_police=yes&basis_police=public_task_safeguarding&share_panel=yes&basis_panel=public_task_safeguarding";
    assert_eq!(
        t.send(form(&path, body, Some(&rhi))).await.0,
        StatusCode::SEE_OTHER
    );
    let (_, _, record) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    assert!(
        record.contains("Interview held")
            && record.contains("Older friends with a car")
            && record.contains("the takeaway on Hope Street")
    );
}

/// A child Birmingham placed here, allocated to the test social worker.
async fn placed_in_child(t: &TestApp) -> (ChildId, User) {
    let mut tx = t.app.db.begin_write().await.unwrap();
    org::upsert_authority(
        &mut tx,
        &Authority {
            la_code: "330".into(),
            name: "Birmingham".into(),
        },
    )
    .await
    .unwrap();
    let bham = Organisation {
        id: OrgId::new(),
        name: "Birmingham Children's Trust".into(),
        kind: OrgKind::OtherAuthority,
        la_code: Some("330".into()),
    };
    org::insert_org(&mut tx, &bham).await.unwrap();
    harbour_db::findings::set_notify_email(&mut tx, bham.id, Some("missing@birmingham.test"))
        .await
        .unwrap();
    let hash = harbour_app::auth::hash_password(HashCost::Test, PASSWORD).unwrap();
    let placing = User {
        id: UserId::new(),
        email: "placing@birmingham.test".into(),
        name: "Pat Placing".into(),
        org_id: bham.id,
        team_id: None,
        pod_id: None,
        ..t.users[&Role::PartnerPractitioner].clone()
    };
    users::insert(&mut tx, &placing, &hash, None, now())
        .await
        .unwrap();
    let sw = &t.users[&Role::SocialWorker];
    let c = Child {
        id: ChildId::new(),
        la_child_id: "T0099".into(),
        first_name: "Placedin".into(),
        last_name: "Tester".into(),
        dob: "2010-06-01".parse().unwrap(),
        sex: Sex::M,
        ethnicity: "WBRI".into(),
        upn: None,
        nhs_number: None,
        responsible_la: "330".into(),
        host_la: Some("861".into()),
        school: None,
        restricted: false,
        created_at: now(),
    };
    children::insert(&mut tx, &c, None).await.unwrap();
    records::insert_allocation(
        &mut tx,
        &system_import(c.id),
        &Allocation {
            id: AllocationId::new(),
            child_id: c.id,
            worker_id: sw.id,
            worker_name: sw.name.clone(),
            team_id: sw.team_id,
            start_date: "2026-01-05".parse().unwrap(),
            end_date: None,
            sw_reason: "FCONTA".into(),
            recorded_by: sw.id,
            recorded_at: now(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (c.id, placing)
}

/// The first link to `prefix` + id in a page.
fn first_id(page: &str, prefix: &str) -> String {
    page.split(prefix)
        .nth(1)
        .unwrap_or_else(|| panic!("no {prefix} link in {page}"))
        .split(['"', '<', '\n', '\r', ' '])
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn findings_reach_the_placing_authority_by_notification_email_and_receipt() {
    let mut t = TestApp::new().await;
    let sink = SmtpSink::start().await;
    t.reconfigure(|c| {
        c.smtp.host = "127.0.0.1".into();
        c.smtp.port = sink.port;
        c.smtp.security = harbour_app::config::SmtpSecurity::None;
        c.smtp.from = "Harbour <harbour@stoke.test>".into();
    });
    let (child, placing) = placed_in_child(&t).await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let report = "kind=M&from=placement&day=26&month=11&year=2026&time=01:00&location_left=Children%27s+home&circumstances=Left+by+a+window";
    let (s, _, page) = t
        .send(form(
            &format!("/children/{child}/missing/new"),
            report,
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let (_, _, record) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    let episode = first_id(&record, &format!("/children/{child}/missing/"));
    let episode = episode.trim_end_matches("/return");
    let ret = format!("/children/{child}/missing/{episode}/return");
    let (s, _, page) = t
        .send(form(
            &ret,
            "day=26&month=11&year=2026&time=07:30&found_where=Hanley+bus+station&found_by=Police",
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");

    let rhi = t.sign_in(Role::RhiProvider).await;
    let (_, _, queue) = t.send(get("/interviews", Some(&rhi))).await;
    let path = format!("/interviews/{}", first_id(&queue, "/interviews/"));
    let (_, _, page) = t.send(get(&path, Some(&rhi))).await;
    assert!(
        page.contains("Share the findings with the placing authority, Birmingham (330)?")
            && page.contains("Lawful basis for sharing with the police")
            && !page.contains("The authority the child is placed in"),
        "the recipients that apply to a child placed here"
    );
    let held = "outcome=completed&offered_day=26&offered_month=11&offered_year=2026&offered_time=08:00&offered_by=Sam+Patel%2C+return+interview+worker&held_day=26&held_month=11&held_year=2026&held_time=09:30&push_pull=Wanted+to+see+his+brother&exploitation_indicators=Given+a+new+phone&people_named=Dee%0D%0AKyle&places_named=Hope+Street+takeaway";
    // Not sharing with the police needs a reason; nothing is recorded until then.
    let missing_reason = format!(
        "{held}&share_social_worker=yes&basis_social_worker=public_task_safeguarding&share_police=no&share_placing_authority=yes&basis_placing_authority=public_task_safeguarding&share_panel=yes&basis_panel=public_task_safeguarding"
    );
    let (s, _, page) = t.send(form(&path, &missing_reason, Some(&rhi))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Enter why the findings are not shared with the police"),
        "{page}"
    );
    let (_, _, queue) = t.send(get("/interviews", Some(&rhi))).await;
    assert!(queue.contains(&path), "still waiting");
    let ok =
        format!("{missing_reason}&reason_police=Police+held+the+prevention+interview+and+know");
    let (s, _, page) = t.send(form(&path, &ok, Some(&rhi))).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");

    // The worker sees the findings, who they went to, and the people and places linked in.
    let (_, _, record) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    for text in [
        "Wanted to see his brother",
        "The police: <strong>not shared</strong>: Police held the prevention interview and know",
        "Birmingham Children&#39;s Trust",
        "Waiting to e-mail",
        "Not yet opened",
        "People and places the child has named",
        "Kyle",
        "Hope Street takeaway",
    ] {
        assert!(record.contains(text), "record lacks {text}");
    }
    let (_, _, work) = t.send(get("/my-work", Some(&sw))).await;
    assert!(work.contains("Read the return home interview findings for Placedin Tester"));
    let panel = t.sign_in(Role::PanelCoordinator).await;
    let (_, _, work) = t.send(get("/my-work", Some(&panel))).await;
    assert!(work.contains("shared with the panel"));

    // The outbox e-mails the placing authority: a link and a reference, no personal details.
    assert_eq!(t.app.send_due_notifications().await.unwrap(), 1);
    assert_eq!(
        t.app.send_due_notifications().await.unwrap(),
        0,
        "sent once"
    );
    let mails = sink.mails();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(
        mail.contains("missing@birmingham.test") && mail.contains("http://localhost/findings/")
    );
    assert!(
        !mail.contains("Placedin") && !mail.contains("brother"),
        "{mail}"
    );
    let note = first_id(mail, "http://localhost/findings/");
    let note = note.trim();

    // The police were not told: nothing in their inbox, and no way in.
    let police = t.sign_in(Role::PartnerPractitioner).await;
    let (s, _, inbox) = t.send(get("/findings", Some(&police))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!inbox.contains(note));
    let (s, _, _) = t
        .send(get(&format!("/findings/{note}"), Some(&police)))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The social worker cannot open it as the recipient either.
    let (s, _, _) = t.send(get(&format!("/findings/{note}"), Some(&sw))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The placing authority reads the findings; opening them is the receipt.
    let bham = t
        .sign_in_as(&placing.email, Role::PartnerPractitioner)
        .await;
    let (_, _, inbox) = t.send(get("/findings", Some(&bham))).await;
    assert!(inbox.contains(note) && inbox.contains("New"));
    let (s, _, page) = t.send(get(&format!("/findings/{note}"), Some(&bham))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Placedin Tester") && page.contains("Wanted to see his brother"));
    assert!(!page.contains("Left by a window") || page.contains("Children&#39;s home"));
    let (_, _, record) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    assert!(
        record.contains("by Pat Placing") && record.contains("E-mailed"),
        "receipt shown to the sender"
    );
    // Their Harbour account still gives no way into the child's record.
    let (s, _, _) = t
        .send(get(&format!("/children/{child}"), Some(&bham)))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The host view: the child, their placing authority, and the findings opened.
    let tm = t.sign_in(Role::TeamManager).await;
    let (s, _, host) = t.send(get("/placed-here", Some(&tm))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        host.contains("Placedin Tester")
            && host.contains("Birmingham (330)")
            && host.contains("1 of 1 opened"),
        "{host}"
    );
}

#[tokio::test]
async fn failed_emails_are_retried_then_shown_as_failed() {
    let mut t = TestApp::new().await;
    // Nothing listens on this port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    t.reconfigure(|c| {
        c.smtp.host = "127.0.0.1".into();
        c.smtp.port = port;
        c.smtp.security = harbour_app::config::SmtpSecurity::None;
        c.smtp.max_attempts = 2;
        c.smtp.timeout_seconds = 2;
    });
    let (child, _) = placed_in_child(&t).await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let report = "kind=A&from=placement&day=25&month=11&year=2026&time=20:00&location_left=Home&circumstances=At+a+friend%27s";
    assert_eq!(
        t.send(form(
            &format!("/children/{child}/missing/new"),
            report,
            Some(&sw)
        ))
        .await
        .0,
        StatusCode::SEE_OTHER
    );
    let (_, _, record) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    let episode = first_id(&record, &format!("/children/{child}/missing/"));
    let ret = format!(
        "/children/{child}/missing/{}/return",
        episode.trim_end_matches("/return")
    );
    assert_eq!(
        t.send(form(
            &ret,
            "day=25&month=11&year=2026&time=23:00&found_where=Friend%27s+house&found_by=Carer",
            Some(&sw)
        ))
        .await
        .0,
        StatusCode::SEE_OTHER
    );
    let rhi = t.sign_in(Role::RhiProvider).await;
    let (_, _, queue) = t.send(get("/interviews", Some(&rhi))).await;
    let path = format!("/interviews/{}", first_id(&queue, "/interviews/"));
    let body = "outcome=declined&offered_day=26&offered_month=11&offered_year=2026&offered_time=08:00&offered_by=Sam+Patel%2C+return+interview+worker&reason=Did+not+want+to+talk&declined_told=Social+worker+and+carer&share_social_worker=yes&basis_social_worker=public_task_safeguarding&share_police=yes&basis_police=public_task_safeguarding&share_placing_authority=yes&basis_placing_authority=legal_obligation&share_panel=no&reason_panel=No+exploitation+concerns";
    let (s, _, page) = t.send(form(&path, body, Some(&rhi))).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    // The police have no notification address: marked for someone to tell them, with a task.
    let (_, _, record) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    assert!(record.contains("Not e-mailed: tell them another way"));
    let (_, _, work) = t.send(get("/my-work", Some(&sw))).await;
    assert!(
        work.contains("Tell Police about the return home interview"),
        "{work}"
    );
    // The placing authority's e-mail fails, is retried a minute later, then marked failed.
    assert_eq!(t.app.send_due_notifications().await.unwrap(), 0);
    assert_eq!(
        t.app.send_due_notifications().await.unwrap(),
        0,
        "not due again yet"
    );
    t.clock.advance(TimeDelta::minutes(2));
    assert_eq!(t.app.send_due_notifications().await.unwrap(), 0);
    let (_, _, record) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    assert!(
        record.contains("E-mail failed: tell them another way"),
        "{record}"
    );
    let (_, _, host) = t
        .send(get(
            "/placed-here",
            Some(&t.sign_in(Role::TeamManager).await),
        ))
        .await;
    assert!(host.contains("1 not delivered"));
}

#[tokio::test]
async fn episodes_are_corrected_and_regraded_with_history_and_checked_at_entry() {
    let t = TestApp::new().await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let child = t.child_allocated;
    let episode = t.episodes[&child];
    // Looked after since 1 November.
    let mut tx = t.app.db.begin_write().await.unwrap();
    records::insert_placement(
        &mut tx,
        &system_import(child),
        &Placement {
            id: PlacementId::new(),
            child_id: child,
            place_code: "U4".into(),
            provider_code: "PR1".into(),
            carer_name: "Carers".into(),
            carer_phone: None,
            postcode: "ST1 1AA".into(),
            area_la: "861".into(),
            start_date: "2026-11-01".parse().unwrap(),
            end_date: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let edit = format!("/children/{child}/missing/{episode}/edit");
    let (s, _, page) = t.send(get(&edit, Some(&sw))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains(r#"value="Placement""#) && page.contains(r#"value="05:00""#),
        "filled in as it stands"
    );
    assert!(
        !page.contains("return_day"),
        "no return fields for an open episode"
    );
    // Before the child was born: refused, nothing changes.
    let before = t.audit_count().await;
    let bad = "open=yes&kind=M&from=placement&day=1&month=1&year=2009&time=05:00&location_left=Placement&circumstances=Did+not+return";
    let (s, _, page) = t.send(form(&edit, bad, Some(&sw))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("after their date of birth"));
    assert_eq!(
        t.audit_count().await,
        before + 1,
        "only the form view is audited"
    );
    // A correction that puts the start before care: saved, and the return's rule says so at once.
    let good = "open=yes&kind=A&from=placement&day=20&month=10&year=2026&time=05:00&location_left=Friend%27s+flat&circumstances=Did+not+return&police_ref=SP-9";
    let (s, h, _) = t.send(form(&edit, good, Some(&sw))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let to = h
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(to.ends_with(&format!("saved=episode&episode={episode}")));
    let (_, _, page) = t.send(get(&to, Some(&sw))).await;
    assert!(page.contains("Corrections saved") && page.contains("Friend&#39;s flat"));
    assert!(
        page.contains("will question this episode") && page.contains("SSDA903 rule 577"),
        "warned at the point of entry"
    );
    // Re-grading keeps the history.
    let grade = format!("/children/{child}/missing/{episode}/grade");
    let (s, _, page) = t.send(form(&grade, "grade=", Some(&sw))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Select the police risk grade"));
    assert_eq!(
        t.send(form(
            &grade,
            "grade=high&day=26&month=11&year=2026&time=06:00",
            Some(&sw)
        ))
        .await
        .0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        t.send(form(&grade, "grade=medium", Some(&sw))).await.0,
        StatusCode::SEE_OTHER
    );
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    assert!(
        page.contains("Police risk grade: Medium")
            && page.contains("Earlier: High, 26 November 2026 at 6am"),
        "{page}"
    );
    // The audit trail names what changed.
    let mut tx = t.app.db.begin_read().await.unwrap();
    let rows = harbour_db::audit::for_child(&mut tx, child, 50)
        .await
        .unwrap();
    assert!(rows.iter().any(|r| {
        r.entry.event.action == "missing.edit"
            && r.entry.event.reason.as_deref().is_some_and(|x| {
                x.contains("kind") && x.contains("last_seen_at") && x.contains("location_left")
            })
    }));
    assert_eq!(
        rows.iter()
            .filter(|r| r.entry.event.action == "missing.grade")
            .count(),
        2
    );
}

#[tokio::test]
async fn partner_systems_correct_and_regrade_episodes_through_the_api() {
    let t = TestApp::new().await;
    let token = t
        .app
        .create_token_system("social_worker@test.example", "sys")
        .await
        .unwrap();
    let episode = t.episodes[&t.child_allocated];
    let call = |method: &str, path: String, body: &str| {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let path = format!("/api/v1/missing-episodes/{episode}");
    let (s, _, body) = t
        .send(call(
            "PATCH",
            path.clone(),
            r#"{"police_ref":"SP-77","reported_at":"2026-11-26T05:30:00Z"}"#,
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(
        body.contains(r#""police_ref":"SP-77""#) && body.contains("2026-11-26T05:30:00Z"),
        "{body}"
    );
    assert!(
        body.contains(r#""location_left":"Placement""#),
        "unchanged fields kept"
    );
    let (s, _, body) = t
        .send(call(
            "PATCH",
            path.clone(),
            r#"{"last_seen_at":"2030-01-01T00:00:00Z"}"#,
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(r#""field":"last_seen_at""#), "{body}");
    let (s, _, body) = t
        .send(call(
            "POST",
            format!("{path}/grades"),
            r#"{"police_grade":"high"}"#,
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains(r#""police_grade":"high""#), "{body}");
    let (s, _, body) = t
        .send(call(
            "POST",
            format!("{path}/grades"),
            r#"{"police_grade":"purple"}"#,
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(r#""field":"police_grade""#), "{body}");
    let (_, _, doc) = t.send(get("/api/v1/openapi.json", None)).await;
    assert!(doc.contains("/api/v1/missing-episodes/{episode}/grades") && doc.contains("\"patch\""));
}

#[tokio::test]
async fn overdue_interviews_are_seen_by_the_worker_the_manager_and_in_the_figures() {
    let t = TestApp::new().await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let child = t.child_allocated;
    let ret = format!("/children/{child}/missing/{}/return", t.episodes[&child]);
    let body = "day=26&month=11&year=2026&time=07:30&found_where=Home&found_by=Carer";
    assert_eq!(
        t.send(form(&ret, body, Some(&sw))).await.0,
        StatusCode::SEE_OTHER
    );
    let (_, _, work) = t.send(get("/my-work", Some(&sw))).await;
    assert!(
        !work.contains("Return home interviews overdue"),
        "not yet due"
    );
    t.clock.advance(TimeDelta::hours(75));
    for role in [Role::SocialWorker, Role::TeamManager] {
        let c = t.sign_in(role).await;
        let (_, _, work) = t.send(get("/my-work", Some(&c))).await;
        assert!(
            work.contains("Return home interviews overdue")
                && work.contains("Allocated Tester")
                && work.contains("29 November 2026 at 7:30am"),
            "{role:?}"
        );
    }
    // Another team's worker does not see it.
    let other = t.sign_in_as("other@test.example", Role::SocialWorker).await;
    let (_, _, work) = t.send(get("/my-work", Some(&other))).await;
    assert!(!work.contains("Return home interviews overdue"));
    let analyst = t.sign_in(Role::Analyst).await;
    let (_, _, stats) = t.send(get("/stats", Some(&analyst))).await;
    assert!(
        stats.contains("Return home interviews by provider") && stats.contains("Return interviews"),
        "{stats}"
    );
    assert!(!stats.contains("Allocated Tester"), "figures only");
}
