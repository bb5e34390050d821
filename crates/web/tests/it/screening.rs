//! Exploitation screening and escalation, through the router.

use crate::*;

const HIGH: &str = "indicator=several_phones&evidence_several_phones=Two+phones+seen+by+the+carer&basis_several_phones=evidence&indicator=out_of_area&evidence_out_of_area=Found+in+Crewe+by+police&basis_out_of_area=gut_feeling&level=High&peers=Older+group+at+the+retail+park&summary=Rising+risk";

#[tokio::test]
async fn a_screening_proposes_a_referral_that_the_manager_accepts_into_the_chronology() {
    let t = TestApp::new().await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let tm = t.sign_in(Role::TeamManager).await;
    let child = t.child_allocated;
    let path = format!("/children/{child}/screening/new");

    // The form: categories as fieldsets, evidence boxes present without JS.
    let (s, _, page) = t.send(get(&path, Some(&sw))).await;
    assert_eq!(s, StatusCode::OK);
    for want in [
        "Sexual exploitation",
        "Criminal exploitation and county lines",
        "Gangs and serious youth violence",
        "Trafficking and modern slavery",
        "Online harm",
        "name=\"evidence_several_phones\"",
        "Gut feeling",
    ] {
        assert!(page.contains(want), "{want}");
    }

    // A ticked indicator needs its evidence, and a level is required; nothing is written.
    let before = t.audit_count().await;
    let (s, _, page) = t
        .send(form(&path, "indicator=several_phones", Some(&sw)))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Enter the evidence for"), "{page}");
    assert!(page.contains("Choose the risk level"));
    assert!(page.contains("checked"), "the ticked box stays ticked");
    // Only the form view is audited.
    assert_eq!(t.audit_count().await, before + 1);

    let (s, h, _) = t.send(form(&path, HIGH, Some(&sw))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        h.get(header::LOCATION).unwrap(),
        &format!("/children/{child}/screening?saved=1")
    );
    let (_, _, page) = t
        .send(get(&format!("/children/{child}/screening"), Some(&sw)))
        .await;
    assert!(page.contains("Current level</dt><dd class=\"govuk-summary-list__value\">High"));
    assert!(page.contains("24A"), "CCE factor");
    assert!(page.contains("latest screening risk level is High"));
    assert!(page.contains("Waiting for a decision"));
    assert!(!page.contains("/escalations/"), "the worker cannot decide");

    // The record shows the summary.
    let (_, _, record) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    assert!(
        record.contains("Exploitation screening") && record.contains("Panel referral proposed")
    );

    // The manager's queue has it; the worker has no queue.
    let (s, _, _) = t.send(get("/escalations", Some(&sw))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, queue) = t.send(get("/escalations", Some(&tm))).await;
    assert_eq!(s, StatusCode::OK);
    let pending = {
        let mut tx = t.app.db.begin_read().await.unwrap();
        let q = harbour_db::escalation::queue(&mut tx).await.unwrap();
        tx.commit().await.unwrap();
        q.into_iter()
            .find(|i| i.proposal.child_id == child)
            .unwrap()
            .proposal
            .id
    };
    assert!(queue.contains(&format!("/escalations/{pending}")));

    // The worker may not decide; the manager must give a reason.
    let decide = format!("/escalations/{pending}");
    let (s, _, _) = t
        .send(form(&decide, "decision=accept&reason=Refer", Some(&sw)))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, page) = t
        .send(form(&decide, "decision=accept&reason=", Some(&tm)))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Enter the reason for your decision"));
    let (s, _, _) = t
        .send(form(
            &decide,
            "decision=accept&reason=Rising+risk+of+county+lines",
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    // Decided once.
    let (s, _, _) = t
        .send(form(&decide, "decision=decline&reason=No", Some(&tm)))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    let (_, _, record) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    assert!(
        record.contains("Panel referral accepted: Rising risk of county lines"),
        "chronology"
    );
    // Accepting made the referral to the exploitation and missing panel.
    assert!(
        record.contains("Referred to the exploitation and missing panel"),
        "the referral is in the chronology"
    );
    let mut tx = t.app.db.begin_read().await.unwrap();
    let waiting = harbour_db::escalation::accepted_unreferred(&mut tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        !waiting.iter().any(|p| p.id == pending),
        "no longer waiting for the panel"
    );

    // A second screening does not propose again while the decision is fresh.
    let (s, _, _) = t.send(form(&path, HIGH, Some(&sw))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let mut tx = t.app.db.begin_read().await.unwrap();
    assert!(
        harbour_db::escalation::queue(&mut tx)
            .await
            .unwrap()
            .is_empty()
    );
    tx.commit().await.unwrap();
    let (_, _, page) = t
        .send(get(&format!("/children/{child}/screening"), Some(&sw)))
        .await;
    assert!(page.contains("No change"), "trend");
}

#[tokio::test]
async fn the_api_records_and_lists_screenings() {
    let t = TestApp::new().await;
    let token = t
        .app
        .create_token_system(&t.users[&Role::SocialWorker].email, "t")
        .await
        .unwrap();
    let child = t.child_allocated;
    let path = format!("/api/v1/children/{child}/screenings");
    let post = |body: &'static str| {
        Request::post(&path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let (s, _, body) = t
        .send(post(
            r#"{"indicators":[{"id":"not_an_indicator","evidence":"x"}],"level":"High"}"#,
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (s, _, body) = t
        .send(post(
            r#"{"indicators":[{"id":"injuries","evidence":"Bruised knuckles"}],"level":"At risk"}"#,
        ))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert!(body.contains("\"under_13\":false") && body.contains("\"suggested\":\"At risk\""));
    let get = Request::get(&path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let (s, _, body) = t.send(get).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains("Bruised knuckles") && body.contains("\"proposals\":[]"),
        "{body}"
    );
    let (_, _, spec) = t.send(crate::get("/api/v1/openapi.json", None)).await;
    assert!(spec.contains("/api/v1/children/{id}/screenings"));
}
