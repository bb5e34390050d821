//! The schools partnership and children missing education, through the router.

use crate::*;

fn enc(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).unwrap()[2..].to_string()
}

fn body(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn location(h: &axum::http::HeaderMap) -> String {
    h.get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

async fn child_actions(t: &TestApp, child: ChildId) -> Vec<String> {
    let mut tx = t.app.db.begin_read().await.unwrap();
    harbour_db::audit::for_child(&mut tx, child, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.entry.event.action)
        .collect()
}

#[tokio::test]
async fn the_report_counts_referrals_and_cases_before_and_after_joining() {
    let t = TestApp::new().await;
    let tm = t.sign_in(Role::TeamManager).await;
    // Add a school: a bad URN first.
    let (s, _, page) = t
        .send(form(
            "/schools",
            &body(&[
                ("urn", "12345"),
                ("name", "Hillside"),
                ("phase", "Secondary"),
            ]),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("URN must be 6 digits"));
    let (s, h, _) = t
        .send(form(
            "/schools",
            &body(&[
                ("urn", "137001"),
                ("name", "Hillside Academy"),
                ("phase", "Secondary"),
            ]),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let school = location(&h);
    // The same URN again is refused.
    let (s, _, page) = t
        .send(form(
            "/schools",
            &body(&[("urn", "137001"), ("name", "Again"), ("phase", "Primary")]),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("already in Harbour"));
    // Joined on 1 September 2025.
    let (s, _, page) = t
        .send(form(
            &format!("{school}/membership"),
            &body(&[("change", "join"), ("date", "1/9/2025")]),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    // Two referrals in spring 2025 (one accepted), one in autumn 2024
    // (accepted), one referral in spring 2026 (not accepted), a consultation
    // in autumn 2025.
    for (date, kind, outcome, child) in [
        ("10/10/2024", "referral", "accepted", ""),
        ("3/2/2025", "referral", "accepted", "T0001"),
        ("4/2/2025", "referral", "nfa", ""),
        ("14/10/2025", "consultation", "advice_given", ""),
        ("12/2/2026", "referral", "early_help", ""),
    ] {
        let (s, _, page) = t
            .send(form(
                &format!("{school}/contacts/new"),
                &body(&[
                    ("date", date),
                    ("time", "10:30"),
                    ("kind", kind),
                    ("contact_name", "Jo Barker, DSL"),
                    ("child_ref", child),
                    ("summary", "Bruising explained inconsistently"),
                    ("outcome", outcome),
                ]),
                Some(&tm),
            ))
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    }
    // A consultation cannot be an accepted referral; a child the manager
    // cannot add to is refused.
    let (s, _, page) = t
        .send(form(
            &format!("{school}/contacts/new"),
            &body(&[
                ("date", "1/3/2026"),
                ("kind", "consultation"),
                ("contact_name", "Jo"),
                ("child_ref", "T0003"),
                ("summary", "x"),
                ("outcome", "accepted"),
            ]),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("cannot be an accepted referral"));
    assert!(page.contains("You cannot add to this child"));

    let (s, _, page) = t.send(get(&format!("{school}/report"), Some(&tm))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<svg"));
    assert!(page.contains("<desc id=\"chart-desc\">"));
    // Before: six terms from autumn 2023 (two school years before joining)
    // to summer 2025, with 3 referrals and 2 cases; in the partnership: autumn 2025 to summer 2026 (3 terms, 1
    // referral, no case). Autumn 2026 is the current term.
    assert!(
        page.contains("Before joining: 3 referrals in 6 complete terms (0.5 a term), 2 became cases. In the partnership: 1 referral in 3 complete terms (0.3 a term), 0 became cases."),
        "{page}"
    );
    assert!(page.contains("67%"));
    // The CSV.
    let (s, h, csv) = t
        .send(get(&format!("{school}/report.csv"), Some(&tm)))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        h.get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.starts_with("urn,school,term"));
    assert!(csv.contains(
        "137001,\"Hillside Academy\",\"Spring 2025\",\"Spring 2024/25\",2025-01-01,2025-04-20,\"Before joining\",2,0,2,1"
    ));
    assert!(csv.contains(
        "\"Autumn 2025\",\"Autumn 2025/26\",2025-09-01,2025-12-31,\"In the partnership\",1,1,0,0"
    ));

    // The same figures over the API.
    let token = t
        .app
        .create_token_system(&t.users[&Role::Analyst].email, "schools")
        .await
        .unwrap();
    let id = school.trim_start_matches("/schools/");
    let (s, _, json) = t
        .send(
            Request::get(format!("/api/v1/schools/{id}/report"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["urn"], "137001");
    assert_eq!(doc["before"]["referrals"], 3);
    assert_eq!(doc["before"]["became_cases"], 2);
    assert_eq!(doc["member"]["terms"], 3);
    assert_eq!(doc["terms"][0]["term"], "Autumn 2023");
    assert_eq!(doc["terms"][0]["phase"], "before");

    // The analyst sees the figures, not the school's page (children's names).
    let analyst = t.sign_in(Role::Analyst).await;
    let (s, _, _) = t
        .send(get(&format!("{school}/report"), Some(&analyst)))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = t.send(get(&school, Some(&analyst))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The linked contact is in the child's chronology, and the school page
    // read is audited against the child it names.
    let sw = t.sign_in(Role::SocialWorker).await;
    let (_, _, page) = t
        .send(get(&format!("/children/{}", t.child_allocated), Some(&sw)))
        .await;
    assert!(page.contains("Referral from Hillside Academy (Jo Barker, DSL): Referral accepted"));
    let (_, _, page) = t.send(get(&school, Some(&sw))).await;
    assert!(page.contains("Allocated Tester"));
    let actions = child_actions(&t, t.child_allocated).await;
    assert!(
        actions.contains(&"school.contact".to_string()),
        "{actions:?}"
    );
    assert!(actions.contains(&"school.view".to_string()), "{actions:?}");
}

#[tokio::test]
async fn a_cme_case_from_opening_to_outcome_is_on_the_child_record() {
    let t = TestApp::new().await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let school = crate::matrix::add_school(&t).await;
    // A late registration notice (Thursday 12 November, told on the 20th).
    let (s, h, page) = t
        .send(form(
            "/cme/notices/new",
            &body(&[
                ("school", &school.to_string()),
                ("kind", "registration"),
                ("pupil_name", "Kacper Nowak"),
                ("event_on", "12/11/2026"),
                ("notified_on", "20/11/2026"),
            ]),
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    assert!(location(&h).contains("late=1"));
    // A deletion needs its ground.
    let (s, _, page) = t
        .send(form(
            "/cme/notices/new",
            &body(&[
                ("school", &school.to_string()),
                ("kind", "deletion"),
                ("pupil_name", "Amelia Rowley"),
                ("event_on", "2/11/2026"),
                ("notified_on", "2/11/2026"),
            ]),
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Choose the ground for deletion"));
    let (s, _, page) = t
        .send(form(
            "/cme/notices/new",
            &body(&[
                ("school", &school.to_string()),
                ("kind", "deletion"),
                ("pupil_name", "Amelia Rowley"),
                ("event_on", "2/11/2026"),
                ("notified_on", "2/11/2026"),
                ("ground", "continuous_absence"),
            ]),
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let (_, _, page) = t.send(get("/cme", Some(&sw))).await;
    assert!(page.contains("Kacper Nowak"));
    assert!(page.contains("Late"));
    assert!(page.contains("Whereabouts unknown"));
    let deletion = {
        let mut tx = t.app.db.begin_read().await.unwrap();
        harbour_db::schools::notices_since(&mut tx, "2026-11-01".parse().unwrap())
            .await
            .unwrap()
            .into_iter()
            .find(|n| n.kind == "deletion")
            .unwrap()
            .id
            .to_string()
    };

    // Open a case on the worker's child, record an enquiry, close it.
    let child = t.child_allocated;
    let (s, h, page) = t
        .send(form(
            &format!("/children/{child}/cme/new"),
            &body(&[
                ("opened_on", "20/11/2026"),
                ("notice", &deletion),
                ("reason", "Deleted from roll; family not at the address"),
            ]),
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let case = location(&h).split('?').next().unwrap().to_string();
    let (s, _, page) = t
        .send(form(
            &format!("{case}/steps"),
            &body(&[
                ("kind", "home_visit"),
                ("done_on", "23/11/2026"),
                ("done_by", "CME officer"),
                ("result", "No answer; neighbour says they moved to Crewe"),
            ]),
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    // An outcome before the case opened is refused.
    let (s, _, page) = t
        .send(form(
            &format!("{case}/outcome"),
            &body(&[
                ("outcome", "moved_to_another_la"),
                ("outcome_on", "1/11/2026"),
                ("notes", "Cheshire East told"),
            ]),
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("on or after the day the case opened"));
    let (s, _, _) = t
        .send(form(
            &format!("{case}/outcome"),
            &body(&[
                ("outcome", "moved_to_another_la"),
                ("outcome_on", "25/11/2026"),
                ("notes", "On roll in Cheshire East; their CME officer told"),
            ]),
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, page) = t.send(get(&case, Some(&sw))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Moved to another local authority"));
    assert!(page.contains("neighbour says they moved to Crewe"));
    // The notice it started from, and the notice's school as the last school.
    assert!(page.contains("Amelia Rowley deleted from roll at Matrix High School"));
    assert!(page.contains("<dd class=\"govuk-summary-list__value\">Matrix High School</dd>"));
    // The record's chronology has the case, the enquiry and the outcome.
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    assert!(page.contains("Children missing education case opened"));
    assert!(page.contains("Missing education enquiry, home visit (CME officer)"));
    assert!(
        page.contains("Children missing education case closed: Moved to another local authority")
    );
    let actions = child_actions(&t, child).await;
    for a in ["cme.open", "cme.step", "cme.close", "cme.view"] {
        assert!(actions.contains(&a.to_string()), "{a}: {actions:?}");
    }
    // Over the API.
    let token = t
        .app
        .create_token_system(&t.users[&Role::SocialWorker].email, "cme")
        .await
        .unwrap();
    let (s, _, json) = t
        .send(
            Request::get(format!("/api/v1/children/{child}/cme-cases"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc[0]["outcome"], "moved_to_another_la");
    assert_eq!(doc[0]["steps"][0]["kind"], "home_visit");

    // Another team's worker may not read the case; a closed case takes no more enquiries.
    let edt = t.sign_in(Role::EdtWorker).await;
    let (s, _, _) = t
        .send(form(
            &format!("{case}/steps"),
            &body(&[("kind", "police")]),
            Some(&edt),
        ))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, page) = t
        .send(form(
            &format!("{case}/steps"),
            &body(&[
                ("kind", "police"),
                ("done_on", "25/11/2026"),
                ("done_by", "PC"),
                ("result", "x"),
            ]),
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("This case is closed"));
}

#[tokio::test]
async fn a_designated_teacher_is_supervised_and_the_discussion_reaches_the_child() {
    let t = TestApp::new().await;
    let tm_user = t.users[&Role::TeamManager].clone();
    let teacher = t.users[&Role::PartnerPractitioner].clone();
    // A school whose own practitioners sign in under the partner's
    // organisation, with the partner as its designated teacher, supervised
    // by the team manager; the school referred the team's child.
    let school = harbour_db::schools::School {
        id: uuid::Uuid::now_v7(),
        urn: "145201".into(),
        name: "Kilnside Academy".into(),
        phase: "Secondary".into(),
        la_code: "861".into(),
        org_id: Some(teacher.org_id.0),
        created_at: now(),
    };
    let other = crate::matrix::add_school(&t).await;
    let mut tx = t.app.db.begin_write().await.unwrap();
    harbour_db::schools::insert_school(&mut tx, &school)
        .await
        .unwrap();
    harbour_db::schools::insert_staff(
        &mut tx,
        &harbour_db::schools::Staff {
            id: uuid::Uuid::now_v7(),
            school_id: school.id,
            name: teacher.name.clone(),
            role: "designated_teacher".into(),
            email: teacher.email.clone(),
            phone: String::new(),
            user_id: Some(teacher.id.0),
            supervisor_id: Some(tm_user.id.0),
            supervisor_name: None,
            created_at: now(),
        },
    )
    .await
    .unwrap();
    harbour_db::schools::insert_contact(
        &mut tx,
        &harbour_db::schools::NewContact {
            id: uuid::Uuid::now_v7(),
            school_id: school.id,
            received_at: now() - chrono::TimeDelta::days(3),
            kind: "consultation".into(),
            contact_name: "Designated teacher".into(),
            summary: "Missing afternoons".into(),
            outcome: "already_open".into(),
            recorded_by: tm_user.id,
            recorded_at: now(),
        },
        Some(&harbour_domain::authz::system_import(t.child_team)),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    // The school's practitioner sees their own school, not another.
    let dt = t.sign_in(Role::PartnerPractitioner).await;
    let (s, _, page) = t
        .send(get(&format!("/schools/{}", school.id), Some(&dt)))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        !page.contains("Teamchild"),
        "no child's name for the school"
    );
    let (s, _, _) = t.send(get(&format!("/schools/{other}"), Some(&dt))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, _, page) = t.send(get("/schools", Some(&dt))).await;
    assert!(page.contains("Kilnside Academy") && !page.contains("Matrix High School"));

    // The manager sees the teacher due supervision and records a session
    // with a case discussion about the child the school raised.
    let tm = t.sign_in(Role::TeamManager).await;
    let (_, _, page) = t.send(get("/supervision", Some(&tm))).await;
    assert!(page.contains(&teacher.name), "{page}");
    let (s, _, page) = t
        .send(get(
            &format!("/supervision/workers/{}/new", teacher.id),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains("Teamchild"));
    assert!(
        page.contains("value=\"designated_teacher\" checked")
            || page.contains("value=\"designated_teacher\" selected"),
        "{page}"
    );
    let child = t.child_team.to_string();
    let owner = teacher.id.to_string();
    let fields = [
        ("intent", "sign_off"),
        ("kind", "designated_teacher"),
        ("format", "one_to_one"),
        ("day", "26"),
        ("month", "11"),
        ("year", "2026"),
        ("time", "09:00"),
        ("duration", "60"),
        ("worker_notes", "Protected time on Fridays"),
        ("d0_child", child.as_str()),
        ("d0_analysis", "Missing afternoons; seen with older youths"),
        ("d0_decisions", "Daily check-in at school"),
        ("d0_action", "Share the attendance log weekly"),
        ("d0_owner", owner.as_str()),
        ("d0_due", "10/12/2026"),
    ];
    let (s, _, page) = t
        .send(form(
            &format!("/supervision/workers/{}/new", teacher.id),
            &body(&fields),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    // On the child's chronology, and on the teacher's own file.
    let (_, _, page) = t
        .send(get(&format!("/children/{}", t.child_team), Some(&tm)))
        .await;
    assert!(
        page.contains(&format!(
            "Case discussion in supervision with {}",
            teacher.name
        )),
        "{page}"
    );
    let (s, _, page) = t
        .send(get(
            &format!("/supervision/workers/{}", teacher.id),
            Some(&dt),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Designated teacher supervision"), "{page}");
    // Another manager's social worker cannot open the teacher's file.
    let sw = t.sign_in(Role::SocialWorker).await;
    let (s, _, _) = t
        .send(get(
            &format!("/supervision/workers/{}", teacher.id),
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
