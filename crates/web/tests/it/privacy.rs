//! Retention review and subject access through the router: the report and
//! its decisions, and a request from logging to the printable response with
//! a redaction applied.

use crate::*;
use harbour_domain::codes::LegalStatusKind;

async fn actions_for(t: &TestApp, child: ChildId) -> Vec<String> {
    let mut tx = t.app.db.begin_read().await.unwrap();
    let v = harbour_db::audit::for_child(&mut tx, child, 500)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    v.into_iter().map(|e| e.entry.event.action).collect()
}

async fn old_child(
    t: &TestApp,
    la: &str,
    first: &str,
    dob: &str,
    status: LegalStatusKind,
) -> ChildId {
    let c = Child {
        la_child_id: la.into(),
        first_name: first.into(),
        last_name: "Archive".into(),
        dob: dob.parse().unwrap(),
        ..child(0, first, "Archive", false)
    };
    let mut tx = t.app.db.begin_write().await.unwrap();
    children::insert(&mut tx, &c, None).await.unwrap();
    records::insert_legal_status(
        &mut tx,
        &system_import(c.id),
        &LegalStatusPeriod {
            id: LegalStatusId::new(),
            child_id: c.id,
            status,
            start_date: "2012-01-01".parse().unwrap(),
            end_date: Some("2013-01-01".parse().unwrap()),
            recorded_at: now(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    c.id
}

#[tokio::test]
async fn the_retention_report_lists_records_due_and_records_decisions() {
    let t = TestApp::new().await;
    // Child in need, born 2000: kept to the 25th birthday (15 January 2025), passed.
    let cin = old_child(&t, "R0001", "Corin", "2000-01-15", LegalStatusKind::Cin).await;
    // Looked after, born 1951: kept to the 75th birthday, 1 December 2026; review due.
    let cla = old_child(&t, "R0002", "Lana", "1951-12-01", LegalStatusKind::Cla).await;
    let po = t.sign_in(Role::PrivacyOfficer).await;
    let (s, _, page) = t.send(get("/privacy/retention", Some(&po))).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(
        page.contains("Corin Archive") && page.contains("Lana Archive"),
        "{page}"
    );
    assert!(
        page.contains("15 January 2025") && page.contains("1 December 2026"),
        "{page}"
    );
    assert!(page.contains("until the 75th birthday"), "{page}");
    assert!(!page.contains("T0001"), "a child not yet due is not listed");
    let (s, h, csv) = t.send(get("/privacy/retention.csv", Some(&po))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        h[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.starts_with("LA child ID,Name,Date of birth,Category"),
        "{csv}"
    );
    assert!(
        csv.contains(
            "R0002,Lana Archive,1951-12-01,Looked after,2026-12-01,2026-06-01,Due for review"
        ),
        "{csv}"
    );

    // Destruction before the retain-until date is refused.
    let path = format!("/privacy/retention/{cla}/decision");
    let (s, _, page) = t
        .send(form(&path, "decision=destroy&note=No+holds", Some(&po)))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("The record must be kept until 1 December 2026"),
        "{page}"
    );
    // A hold: keep until 2030 for an inquiry.
    let (s, _, page) = t
        .send(form(&path, "decision=keep&hold_reason=inquiry_hold&until_day=1&until_month=1&until_year=2030&note=Inquiry+do-not-destroy+notice", Some(&po)))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let path = format!("/privacy/retention/{cin}/decision");
    let (s, _, _) = t
        .send(form(
            &path,
            "decision=destroy&note=No+litigation+or+inquiry+hold%3B+case+closed+2013",
            Some(&po),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, page) = t.send(get("/privacy/retention", Some(&po))).await;
    assert!(page.contains("Kept until 1 January 2030"), "{page}");
    assert!(page.contains("Approved for destruction"), "{page}");
    assert!(
        actions_for(&t, cla)
            .await
            .contains(&"retention.decide".to_string())
    );

    // Nobody else sees it.
    let tm = t.sign_in(Role::TeamManager).await;
    let (s, _, _) = t.send(get("/privacy/retention", Some(&tm))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_subject_access_request_is_assembled_reviewed_redacted_and_exported() {
    let t = TestApp::new().await;
    let child = t.child_allocated;
    let la = {
        let mut tx = t.app.db.begin_write().await.unwrap();
        let ok = system_import(child);
        records::insert_relationship(
            &mut tx,
            &ok,
            &Relationship {
                id: RelationshipId::new(),
                child_id: child,
                kind: RelationshipKind::Family,
                name: "Dean Hart".into(),
                role: "Uncle".into(),
                organisation: None,
                phone: Some("07700 900123".into()),
                parental_responsibility: false,
            },
        )
        .await
        .unwrap();
        let sw = &t.users[&Role::SocialWorker];
        records::insert_note(
            &mut tx,
            &ok,
            &CaseNote {
                id: NoteId::new(),
                child_id: child,
                author_id: sw.id,
                author_name: sw.name.clone(),
                kind: NoteKind::Visit,
                occurred_at: now() - TimeDelta::days(3),
                recorded_at: now(),
                subject: "Home visit".into(),
                body: "Seen at home. Dean Hart was there and shouted.".into(),
                significant: false,
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        "T0001".to_string()
    };
    let po = t.sign_in(Role::PrivacyOfficer).await;

    // Logging checks the fields and computes the due date.
    let (s, _, page) = t
        .send(form(
            "/privacy/subject-access/new",
            "la_child_id=NOPE",
            Some(&po),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for m in [
        "No child has this ID",
        "Enter who made the request",
        "Check the requester",
        "Enter the date the request was received",
    ] {
        assert!(page.contains(m), "{m}: {page}");
    }
    let body = format!(
        "la_child_id={la}&requester=Kerry+Example&relationship=Mother+with+parental+responsibility&day=2&month=11&year=2026&identity_checked=yes"
    );
    let (s, h, _) = t
        .send(form("/privacy/subject-access/new", &body, Some(&po)))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let page_path = h[header::LOCATION].to_str().unwrap().to_string();
    let id = page_path.rsplit('/').next().unwrap().to_string();
    let (_, _, page) = t.send(get(&page_path, Some(&po))).await;
    assert!(
        page.contains("2 December 2026"),
        "due a calendar month later: {page}"
    );

    // Nothing to export before the record is assembled and reviewed.
    let response = format!("{page_path}/response");
    let (s, _, _) = t.send(get(&response, Some(&po))).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _, _) = t
        .send(form(&format!("{page_path}/assemble"), "", Some(&po)))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = t
        .send(form(&format!("{page_path}/assemble"), "", Some(&po)))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "assembled once");
    assert!(
        actions_for(&t, child)
            .await
            .contains(&"subject_access.assemble".to_string())
    );
    let (_, _, page) = t.send(get(&page_path, Some(&po))).await;
    assert!(page.contains("To decide"), "{page}");
    let (s, _, _) = t.send(get(&response, Some(&po))).await;
    assert_eq!(s, StatusCode::CONFLICT, "undecided items block the export");

    let items = {
        let mut tx = t.app.db.begin_read().await.unwrap();
        let v = harbour_db::privacy::items(&mut tx, id.parse().unwrap())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        v
    };
    let flagged: Vec<_> = items.iter().filter(|i| !i.names.is_empty()).collect();
    let note = flagged
        .iter()
        .find(|i| i.section == "Notes")
        .expect("the note names Dean Hart");
    assert_eq!(note.names, "Dean Hart");
    assert!(
        flagged.iter().any(|i| i.section == "People"),
        "relationships are flagged"
    );
    assert!(
        items
            .iter()
            .any(|i| i.section == "Details" && i.names.is_empty())
    );
    assert!(
        items.iter().any(|i| i.section == "Allocations"),
        "the whole record is assembled"
    );

    let review = format!("{page_path}/review");
    let (s, _, page) = t
        .send(get(&format!("{review}?item={}", note.position), Some(&po)))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Dean Hart was there"), "{page}");
    // A redaction needs an exemption and a changed copy.
    let (s, _, page) = t
        .send(form(
            &review,
            &format!(
                "item={}&decision=redact&redacted=Seen+at+home.+Dean+Hart+was+there+and+shouted.",
                note.position
            ),
            Some(&po),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Choose the exemption relied on"), "{page}");
    for i in &flagged {
        let body = if i.position == note.position {
            format!(
                "item={}&decision=redact&exemption=third_party&redacted=Seen+at+home.+%5Ba+family+member%5D+was+there+and+shouted.",
                i.position
            )
        } else {
            format!(
                "item={}&decision=withhold&exemption=third_party",
                i.position
            )
        };
        let (s, _, page) = t.send(form(&review, &body, Some(&po))).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    }
    let (s, _, doc) = t.send(get(&response, Some(&po))).await;
    assert_eq!(s, StatusCode::OK, "{doc}");
    assert!(doc.contains("[a family member] was there"), "{doc}");
    assert!(
        !doc.contains("Dean Hart"),
        "no third party's name survives: {doc}"
    );
    assert!(!doc.contains("07700 900123"));
    assert!(doc.contains("Third-party information (DPA 2018 Sch 2 Part 3 para 16)"));
    assert!(doc.contains("Kerry Example"));
    let (s, h, json) = t.send(get(&format!("{response}.json"), Some(&po))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        h[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["withheld"].as_u64().unwrap() as usize, flagged.len() - 1);
    assert_eq!(v["redacted"], 1);
    assert!(!json.contains("Dean Hart"));
    assert!(
        actions_for(&t, child)
            .await
            .iter()
            .filter(|a| *a == "subject_access.export")
            .count()
            >= 2
    );
    // The response is sent: decisions are fixed.
    let (s, _, _) = t
        .send(form(
            &review,
            &format!("item={}&decision=release", note.position),
            Some(&po),
        ))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // The child's social worker cannot see the request.
    let sw = t.sign_in(Role::SocialWorker).await;
    let (s, _, _) = t.send(get(&page_path, Some(&sw))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
