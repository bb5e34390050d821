//! Out of hours through the router: a contact that becomes a missing
//! episode, its handover acknowledged by the day team (and escalated when
//! not), alerts that stop showing when they expire, the safety plan and the
//! crisis summary, placement support in the chronology.

use crate::*;

async fn actions(t: &TestApp, child: ChildId) -> Vec<String> {
    let mut tx = t.app.db.begin_read().await.unwrap();
    harbour_db::audit::for_child(&mut tx, child, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.entry.event.action)
        .collect()
}

fn location(h: &axum::http::HeaderMap) -> String {
    h.get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

/// Thursday 26 November 2026, 23:00 in London (GMT): out of hours.
fn night() -> DateTime<Utc> {
    "2026-11-26T23:00:00Z".parse().unwrap()
}

#[tokio::test]
async fn a_contact_becomes_a_missing_episode_and_its_handover_is_acknowledged() {
    let t = TestApp::new().await;
    t.clock.advance(night() - now());
    let child = t.child_allocated;
    let edt = t.sign_in(Role::EdtWorker).await;
    // The fixture child is missing: she comes back first.
    let ep = t.episodes[&child];
    let (s, _, b) = t
        .send(form(
            &format!("/children/{child}/missing/{ep}/return"),
            "day=26&month=11&year=2026&time=21:00&found_where=Home&found_by=Carer",
            Some(&edt),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{b}");

    // The EDT worker's My work says it is out of hours.
    let (_, _, page) = t.send(get("/my-work", Some(&edt))).await;
    assert!(page.contains("Out of hours: you are the emergency duty team"));

    // Problems come back with the form.
    let (s, _, page) = t
        .send(form(
            &format!("/children/{child}/ooh-contacts/new"),
            "caller=&kind=",
            Some(&edt),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Enter who called"));

    let body = "day=26&month=11&year=2026&time=22:40&caller=Jan+Carter&caller_agency=Foster+carer&kind=missing&reported=Not+back+from+town+by+curfew%3B+phone+off&agencies=Police&actions=Checked+the+safety+plan%3B+rang+police&outcome=Reported+missing+to+police&placement_support=yes";
    let (s, h, b) = t
        .send(form(
            &format!("/children/{child}/ooh-contacts/new"),
            body,
            Some(&edt),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{b}");
    let to = location(&h);
    assert!(to.starts_with("/edt/contacts/"), "{to}");
    let cid: uuid::Uuid = to["/edt/contacts/".len()..]
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (s, _, page) = t.send(get(&to, Some(&edt))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Start a missing episode from this contact"));
    assert!(page.contains("Not back from town by curfew"));

    // The handover: to team A, due 10:00 on Friday 27 November.
    let mut tx = t.app.db.begin_read().await.unwrap();
    let ok = harbour_domain::authz::system_import(child);
    let hs = harbour_db::edt::handovers_for_child(&mut tx, &ok)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(hs.len(), 1);
    assert_eq!(hs[0].contact_id, cid);
    assert_eq!(hs[0].team_id, Some(t.team_a));
    assert_eq!(
        hs[0].due_at,
        "2026-11-27T10:00:00Z".parse::<DateTime<Utc>>().unwrap()
    );

    // The missing form, filled in from the contact.
    let (s, _, page) = t
        .send(get(&format!("/edt/contacts/{cid}/missing"), Some(&edt)))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Reported out of hours by Jan Carter (Foster carer)"));
    assert!(page.contains(&format!("action=\"/edt/contacts/{cid}/missing\"")));
    assert!(page.contains("value=\"22:40\""));
    let report = "kind=M&from=placement&day=26&month=11&year=2026&time=22:40&location_left=Hanley+bus+station&circumstances=Reported+out+of+hours+by+Jan+Carter&reported_time=&police_ref=&grade=";
    let (s, h, b) = t
        .send(form(
            &format!("/edt/contacts/{cid}/missing"),
            report,
            Some(&edt),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{b}");
    assert!(location(&h).starts_with(&format!("/children/{child}?saved=missing")));
    let mut tx = t.app.db.begin_read().await.unwrap();
    let contact = harbour_db::edt::get_contact(&mut tx, cid)
        .await
        .unwrap()
        .unwrap();
    let open = harbour_db::missing::for_child(&mut tx, &ok)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.is_open())
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        contact.missing_episode_id,
        Some(open.id),
        "contact → episode"
    );
    assert_eq!(open.location_left, "Hanley bus station");
    // A second episode cannot be started from the same contact.
    let (s, _, _) = t
        .send(get(&format!("/edt/contacts/{cid}/missing"), Some(&edt)))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, _, page) = t.send(get(&to, Some(&edt))).await;
    assert!(!page.contains("Start a missing episode from this contact"));
    assert!(!page.contains("None started from this contact"));
    assert!(page.contains("from care placement, last seen"));

    // The day team sees the handover; EDT sees it but cannot acknowledge.
    let (_, _, page) = t.send(get("/edt/handovers", Some(&edt))).await;
    assert!(page.contains("Waiting"));
    assert!(!page.contains("/acknowledge"));
    let sw = t.sign_in(Role::SocialWorker).await;
    let (_, _, page) = t.send(get("/my-work", Some(&sw))).await;
    assert!(page.contains("Handovers from the out-of-hours team"));
    let (_, _, page) = t.send(get("/edt/handovers", Some(&sw))).await;
    assert!(page.contains(&format!("/edt/handovers/{}/acknowledge", hs[0].id)));
    // Someone in another team cannot acknowledge it.
    let other = t.sign_in_as("other@test.example", Role::SocialWorker).await;
    let (s, _, _) = t
        .send(form(
            &format!("/edt/handovers/{}/acknowledge", hs[0].id),
            "note=",
            Some(&other),
        ))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Past 10:00 on Friday nobody has acknowledged it: escalated to the manager.
    t.clock
        .advance(TimeDelta::hours(11) + TimeDelta::minutes(30));
    let tm = t.sign_in(Role::TeamManager).await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let (_, _, page) = t.send(get("/my-work", Some(&tm))).await;
    assert!(page.contains("Escalated: out-of-hours handovers not acknowledged in time"));
    let (s, h, _) = t
        .send(form(
            &format!("/edt/handovers/{}/acknowledge", hs[0].id),
            "note=Visit+today+and+strategy+discussion",
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/edt/handovers?acknowledged=1");
    let (_, _, page) = t.send(get("/my-work", Some(&tm))).await;
    assert!(!page.contains("Escalated: out-of-hours handovers"));
    let (_, _, page) = t.send(get("/edt/handovers", Some(&sw))).await;
    assert!(page.contains("Acknowledged late"));
    // Only once.
    let (s, _, _) = t
        .send(form(
            &format!("/edt/handovers/{}/acknowledge", hs[0].id),
            "note=",
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // The record's chronology has the contact and the acknowledgement.
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&sw))).await;
    assert!(page.contains("Out-of-hours contact: child missing (from Jan Carter, Foster carer)"));
    assert!(
        page.contains("Out-of-hours handover acknowledged: Visit today and strategy discussion")
    );

    let a = actions(&t, child).await;
    for want in [
        "edt.contact.create",
        "edt.contact.view",
        "missing.record.form",
        "missing.report",
        "edt.handover.acknowledge",
    ] {
        assert!(a.iter().any(|x| x == want), "{want} in {a:?}");
    }
    assert!(a.iter().any(|x| x == "edt.handover.acknowledge"));
}

#[tokio::test]
async fn alerts_show_until_they_end_and_the_crisis_summary_carries_the_safety_plan() {
    let t = TestApp::new().await;
    let child = t.child_allocated;
    let sw = t.sign_in(Role::SocialWorker).await;
    // An alert must end in the future, at most 28 days ahead.
    let (s, _, page) = t
        .send(form(
            &format!("/children/{child}/edt-alerts/new"),
            "if_happens=she+goes+missing&then_do=ring+DS+Patel&day=25&month=11&year=2026",
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("The alert must end in the future"));
    let (s, h, _) = t
        .send(form(
            &format!("/children/{child}/edt-alerts/new"),
            "if_happens=she+goes+missing+tonight&then_do=ring+DS+Patel+on+07700+900123&day=28&month=11&year=2026&time=",
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        location(&h),
        format!("/children/{child}/crisis?saved=alert")
    );
    // The safety plan: the allocated worker writes it; a stale save is refused.
    let (s, _, _) = t
        .send(form(
            &format!("/children/{child}/safety-plan"),
            "base_version=0&plan=Carers+ring+police+at+once+after+22%3A00&agreed_with=Carers",
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = t
        .send(form(
            &format!("/children/{child}/safety-plan"),
            "base_version=0&plan=Another",
            Some(&sw),
        ))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    t.clock.advance(night() - now());
    let edt = t.sign_in(Role::EdtWorker).await;
    let (s, _, page) = t
        .send(get(&format!("/children/{child}/crisis"), Some(&edt)))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("she goes missing tonight"));
    assert!(page.contains("ring DS Patel on 07700 900123"));
    assert!(page.contains("Carers ring police at once after 22:00"));
    assert!(page.contains("Record an out-of-hours contact"));
    assert!(
        !page.contains("Leave an alert for EDT"),
        "EDT does not leave alerts"
    );
    let (_, _, page) = t.send(get("/edt", Some(&edt))).await;
    assert!(page.contains("she goes missing tonight"));
    // The same over the API.
    let token = t
        .app
        .create_token_system(&t.users[&Role::EdtWorker].email, "edt")
        .await
        .unwrap();
    let req = Request::get(format!("/api/v1/children/{child}/crisis-summary"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let (s, _, body) = t.send(req).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["edt_alerts"][0]["if_happens"], "she goes missing tonight");
    assert_eq!(v["safety_plan"]["version"], 1);
    let (_, _, page) = t.send(get("/my-work", Some(&edt))).await;
    assert!(page.contains("she goes missing tonight"));
    assert!(
        actions(&t, child)
            .await
            .iter()
            .any(|a| a == "edt.crisis_summary")
    );

    // After 10:00 on Saturday 28 November it no longer shows.
    t.clock
        .advance(TimeDelta::hours(35) + TimeDelta::minutes(1));
    let edt = t.sign_in(Role::EdtWorker).await;
    let (_, _, page) = t
        .send(get(&format!("/children/{child}/crisis"), Some(&edt)))
        .await;
    assert!(!page.contains("<strong>If</strong> she goes missing tonight"));
    assert!(
        page.contains("No active alerts."),
        "{}",
        &page[..page.len().min(3000)]
    );
    let (_, _, page) = t.send(get("/edt", Some(&edt))).await;
    assert!(!page.contains("she goes missing tonight"));
}

#[tokio::test]
async fn an_alert_can_be_withdrawn_and_placement_support_reaches_the_chronology() {
    let t = TestApp::new().await;
    let child = t.child_team;
    let tm = t.sign_in(Role::TeamManager).await;
    let (s, _, _) = t
        .send(form(
            &format!("/children/{child}/edt-alerts/new"),
            "if_happens=he+rings&then_do=reassure+him&day=27&month=11&year=2026&time=09%3A00",
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let mut tx = t.app.db.begin_read().await.unwrap();
    let ok = harbour_domain::authz::system_import(child);
    let alert = harbour_db::edt::alerts_for_child(&mut tx, &ok)
        .await
        .unwrap()[0]
        .clone();
    tx.commit().await.unwrap();
    let edt = t.sign_in(Role::EdtWorker).await;
    let (s, _, _) = t
        .send(form(
            &format!("/edt-alerts/{}/withdraw", alert.id),
            "",
            Some(&edt),
        ))
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "EDT does not withdraw the day team's alerts"
    );
    let (s, _, _) = t
        .send(form(
            &format!("/edt-alerts/{}/withdraw", alert.id),
            "",
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, page) = t
        .send(get(&format!("/children/{child}/crisis"), Some(&edt)))
        .await;
    assert!(page.contains("No active alerts."));
    assert!(!page.contains("<strong>Then</strong> reassure him"));

    // Placement support from EDT, linked to the child's missing episode.
    let ep = t.episodes[&child];
    let (s, _, page) = t
        .send(form(
            &format!("/children/{child}/placement-support/new"),
            &format!("kind=stability_concern&day=26&month=11&year=2026&time=08%3A00&summary=Carers+struggling+after+the+latest+episode&episode={}", uuid::Uuid::nil()),
            Some(&edt),
        ))
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another child's episode"
    );
    assert!(page.contains("Select one of this child"));
    let (s, _, _) = t
        .send(form(
            &format!("/children/{child}/placement-support/new"),
            &format!("kind=stability_concern&day=26&month=11&year=2026&time=08%3A00&summary=Carers+struggling+after+the+latest+episode&next_steps=Respite&episode={ep}"),
            Some(&edt),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&tm))).await;
    assert!(
        page.contains("Placement stability concern: Carers struggling after the latest episode")
    );
    assert!(page.contains("(linked to a missing episode)"));
    let a = actions(&t, child).await;
    for want in [
        "edt_alert.create",
        "edt_alert.withdraw",
        "placement_support.create",
    ] {
        assert!(a.iter().any(|x| x == want), "{want} in {a:?}");
    }
}
