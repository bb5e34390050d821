//! The panel from referral to minutes, the partner's action tracker, the
//! attendance grant, and the information-sharing log, through the router.

use crate::*;

fn org_named(orgs: &[Organisation], name: &str) -> OrgId {
    orgs.iter().find(|o| o.name == name).unwrap().id
}

async fn open_referral(t: &TestApp, child: ChildId) -> uuid::Uuid {
    let mut tx = t.app.db.begin_read().await.unwrap();
    let v = harbour_db::panel::referrals_open(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    v.into_iter().find(|r| r.child_id == child).unwrap().id
}

#[tokio::test]
async fn a_panel_from_referral_to_minutes_and_a_partner_update() {
    let t = TestApp::new().await;
    let orgs = t.app.share_targets().await.unwrap();
    let police = org_named(&orgs, "Police");
    let rhi = org_named(&orgs, "Return interviews");
    let child = t.child_allocated;
    let sw = t.sign_in(Role::SocialWorker).await;
    let pc = t.sign_in(Role::PanelCoordinator).await;
    let partner = t.sign_in(Role::PartnerPractitioner).await;

    // Before the panel, the police cannot see the child.
    let (s, _, _) = t
        .send(get(&format!("/children/{child}"), Some(&partner)))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The social worker refers; an incomplete referral is refused with reasons.
    let path = format!("/children/{child}/panel-referral/new");
    let (s, _, page) = t.send(form(&path, "panel_type=mace", Some(&sw))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Select the lawful basis"), "{page}");
    let body = "panel_type=mace&reason=Found+out+of+area+twice&risk=high&basis=public_task_safeguarding&consent=Not+sought%3A+risk+of+harm";
    let (s, _, _) = t.send(form(&path, body, Some(&sw))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let referral = open_referral(&t, child).await;

    // The coordinator sets up a meeting; the child is on its agenda.
    let (s, h, _) = t
        .send(form(
            "/panel/meetings",
            "panel_type=mace&day=26&month=11&year=2026&chair=DI+Patel",
            Some(&pc),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let meeting = h
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let (s, _, page) = t.send(get(&meeting, Some(&pc))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Allocated") && page.contains("New referral"),
        "{page}"
    );
    let (_, _, agenda) = t.send(get(&format!("{meeting}/agenda"), Some(&pc))).await;
    assert!(agenda.contains("New referral"));

    // Attendance, discussion, an action for the police and one for another agency.
    let (s, _, _) = t
        .send(form(
            &format!("{meeting}/attendees"),
            &format!("attendee-name=PC+Smith&attendee-org={police}"),
            Some(&pc),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let pre = format!("d{}-", referral.simple());
    let (s, _, _) = t
        .send(form(
            &format!("{meeting}/discussions"),
            &format!("referral={referral}&{pre}discussion=Links+to+a+flat&{pre}risk=high&{pre}decisions=Disruption+visit"),
            Some(&pc),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    for (org, what) in [
        (police, "Serve+a+warning+notice"),
        (rhi, "Offer+an+interview"),
    ] {
        let (s, _, page) = t
            .send(form(
                &format!("{meeting}/actions"),
                &format!("action-referral={referral}&action-kind=cawn&action-description={what}&action-owner_org={org}&action-day=10&action-month=12&action-year=2026"),
                Some(&pc),
            ))
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    }
    // A named person (agency left blank: it is theirs), and a person who
    // does not work for the agency chosen.
    let officer = t.users[&Role::PartnerPractitioner].clone();
    let (s, _, page) = t
        .send(form(
            &format!("{meeting}/actions"),
            &format!("action-referral={referral}&action-kind=cawn&action-description=Check+the+flat&action-owner_user={}&action-owner_org={rhi}&action-day=11&action-month=12&action-year=2026", officer.id),
            Some(&pc),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains(&format!("{} does not work for", officer.name)),
        "{page}"
    );
    let (s, _, page) = t
        .send(form(
            &format!("{meeting}/actions"),
            &format!("action-referral={referral}&action-kind=cawn&action-description=Check+the+flat&action-owner_user={}&action-day=11&action-month=12&action-year=2026", officer.id),
            Some(&pc),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let (_, _, page) = t.send(get(&format!("{meeting}/minutes"), Some(&pc))).await;
    assert!(
        page.contains(&format!("{}, ", officer.name)),
        "named owner in the minutes"
    );
    // The action form's problems come back on the meeting page.
    let (s, _, page) = t
        .send(form(&format!("{meeting}/actions"), "kind=cawn", Some(&pc)))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Select the agency that owns the action"));

    // Minutes: discussion, decision, next review (high risk: 4 weeks), actions.
    let (s, _, minutes) = t.send(get(&format!("{meeting}/minutes"), Some(&pc))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(minutes.contains("Links to a flat"));
    assert!(minutes.contains("Disruption visit"));
    assert!(minutes.contains("24 December 2026"), "{minutes}");
    assert!(minutes.contains("PC Smith, Police"));
    assert!(minutes.contains("Serve a warning notice"));

    // Attending gave the police the child's summary, until the review.
    let (s, _, _) = t
        .send(get(&format!("/children/{child}"), Some(&partner)))
        .await;
    assert_eq!(s, StatusCode::OK);

    // The police see and update their own action, and no one else's.
    let (s, _, page) = t.send(get("/panel/actions", Some(&partner))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Serve a warning notice"));
    assert!(!page.contains("Offer an interview"));
    let mut tx = t.app.db.begin_read().await.unwrap();
    let all = harbour_db::panel::actions_all(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    let mine = all
        .iter()
        .find(|a| a.owner_org == Some(police) && a.owner_user.is_none())
        .unwrap()
        .id;
    let theirs = all.iter().find(|a| a.owner_org == Some(rhi)).unwrap().id;
    let (s, _, _) = t
        .send(form(
            &format!("/panel/actions/{mine}"),
            "status=done&notes=Notice+served",
            Some(&partner),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = t
        .send(form(
            &format!("/panel/actions/{theirs}"),
            "status=done&notes=Not+mine",
            Some(&partner),
        ))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, _, page) = t.send(get("/panel/actions", Some(&pc))).await;
    assert!(page.contains("Notice served"));

    // The child's record: panel history, chronology, and what was shared.
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    assert!(page.contains("id=\"panel\""));
    assert!(page.contains("Information shared"));
    assert!(page.contains("Exploitation and missing panel (MACE): risk high"));

    // The privacy officer sees the log.
    let po = t.sign_in(Role::PrivacyOfficer).await;
    let (s, _, page) = t.send(get("/privacy/disclosures", Some(&po))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Attended the exploitation and missing panel"));

    // Closing the referral takes the child off future agendas.
    let (s, _, _) = t
        .send(form(
            &format!("/panel/referrals/{referral}/close"),
            "reason=Risk+reduced",
            Some(&pc),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let mut tx = t.app.db.begin_read().await.unwrap();
    assert!(
        harbour_db::panel::referrals_open(&mut tx)
            .await
            .unwrap()
            .is_empty()
    );
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn shares_need_an_end_date_and_a_basis_and_are_logged() {
    let t = TestApp::new().await;
    let orgs = t.app.share_targets().await.unwrap();
    let police = org_named(&orgs, "Police");
    let child = t.child_allocated;
    let sw = t.sign_in(Role::SocialWorker).await;
    let path = format!("/children/{child}/shares/new");
    let (s, _, page) = t
        .send(form(
            &path,
            &format!("org={police}&scope=summary&reason=Safeguarding"),
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Enter a number of days from 1 to 366"));
    assert!(page.contains("Select the lawful basis"));
    let (s, _, _) = t
        .send(form(
            &path,
            &format!(
                "org={police}&scope=summary&reason=Safeguarding&days=30&basis=legal_obligation"
            ),
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    assert!(
        page.contains("Legal obligation (UK GDPR Art 6(1)(c))"),
        "{page}"
    );
}

#[tokio::test]
async fn the_panel_api() {
    let t = TestApp::new().await;
    let child = t.child_allocated;
    let sw = t.users[&Role::SocialWorker].email.clone();
    let token = t.app.create_token_system(&sw, "t").await.unwrap();
    let body = format!(
        r#"{{"child_id":"{child}","panel_type":"strategy","reason":"Concerns","risk":"medium","basis":"public_task_safeguarding","consent":"Given"}}"#
    );
    let req = Request::post("/api/v1/panel/referrals")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.clone()))
        .unwrap();
    let (s, _, out) = t.send(req).await;
    assert_eq!(s, StatusCode::CREATED, "{out}");
    // Another team's child: refused.
    let other = body.replace(&child.to_string(), &t.child_other.to_string());
    let req = Request::post("/api/v1/panel/referrals")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(other))
        .unwrap();
    let (s, _, _) = t.send(req).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let pc = t.users[&Role::PanelCoordinator].email.clone();
    let token = t.app.create_token_system(&pc, "t").await.unwrap();
    let req = Request::get("/api/v1/panel/referrals")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let (s, _, out) = t.send(req).await;
    assert_eq!(s, StatusCode::OK);
    assert!(out.contains("\"panel_type\":\"strategy\""), "{out}");
    let (_, _, spec) = t.send(get("/api/v1/openapi.json", None)).await;
    for p in [
        "/api/v1/panel/referrals",
        "/api/v1/panel/meetings/{id}",
        "/api/v1/panel/actions",
        "/api/v1/panel/actions/{id}",
    ] {
        assert!(spec.contains(p), "{p} missing from the OpenAPI document");
    }
}

#[tokio::test]
async fn a_refusal_is_logged_by_hand_with_who_what_why_and_when() {
    let t = TestApp::new().await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let child = t.child_allocated;
    let path = format!("/children/{child}/disclosures/new");
    let (s, _, page) = t.send(get(&path, Some(&sw))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Was the information shared?"));
    // Shared needs a basis; a refusal does not.
    let base = "recipient=DC+Shah%2C+Staffordshire+Police&what=The+child%27s+school+timetable&why=Asked+by+phone%3B+no+safeguarding+purpose+given&day=20&month=11&year=2026&time=10%3A15";
    let (s, _, page) = t
        .send(form(&path, &format!("outcome=shared&{base}"), Some(&sw)))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Select the lawful basis for sharing"));
    let (s, _, page) = t
        .send(form(&path, &format!("outcome=refused&{base}"), Some(&sw)))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    assert!(page.contains("Not shared"));
    assert!(page.contains("DC Shah, Staffordshire Police"));
    let po = t.sign_in(Role::PrivacyOfficer).await;
    let (_, _, page) = t.send(get("/privacy/disclosures", Some(&po))).await;
    assert!(page.contains("Asked by phone; no safeguarding purpose given"));
    assert!(page.contains("20 November 2026"), "{page}");
}
