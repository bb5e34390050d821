//! Supervision recorded once, and the fast decision log, through the router.

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

fn session_fields<'a>(intent: &'a str, child: &'a str, action: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("intent", intent),
        ("kind", "case"),
        ("format", "one_to_one"),
        ("day", "26"),
        ("month", "11"),
        ("year", "2026"),
        ("time", "09:00"),
        ("duration", "60"),
        ("worker_notes", "Off sick last week; carrying a heavy load"),
        ("d0_child", child),
        ("d0_analysis", "Missing three times this month"),
        ("d0_decisions", "Strategy discussion today"),
        ("d0_action", action),
        ("d0_due", "3/12/2026"),
    ]
}

fn location(h: &axum::http::HeaderMap) -> String {
    h.get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_pod_drafts_the_manager_signs_off_and_it_is_on_the_child_and_the_next_session_must_review_it()
 {
    let t = TestApp::new().await;
    let pod = t.sign_in(Role::PodAdmin).await;
    let tm = t.sign_in(Role::TeamManager).await;
    let child = t.child_team.to_string();
    let mut fields = session_fields("draft", &child, "Refer to the exploitation panel");
    let owner = t.teammate.to_string();
    fields.push(("d0_owner", &owner));

    // The pod drafts (no notes about the worker: the field is not theirs).
    let (s, _, page) = t
        .send(get(
            &format!("/supervision/workers/{}/new", t.teammate),
            Some(&pod),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Teamchild"));
    assert!(
        !page.contains("Restricted"),
        "a pod cannot see a restricted child"
    );
    assert!(!page.contains("worker_notes"));
    assert!(!page.contains("value=\"sign_off\""));
    let (s, h, page) = t
        .send(form(
            &format!("/supervision/workers/{}/new", t.teammate),
            &body(&fields),
            Some(&pod),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let session = location(&h);
    assert!(session.contains("saved=draft_new"));
    let session = session.split('?').next().unwrap().to_string();
    // A pod cannot sign off.
    let signing = session_fields("sign_off", &child, "Refer to the exploitation panel");
    let (s, _, _) = t.send(form(&session, &body(&signing), Some(&pod))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Not on the child's record while a draft; listed for the manager.
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&tm))).await;
    assert!(!page.contains("Refer to the exploitation panel"));
    let (_, _, page) = t.send(get("/supervision", Some(&tm))).await;
    assert!(page.contains("Drafts awaiting sign-off"));
    let pod_name = t.users[&Role::PodAdmin].name.clone();
    let tm_name = t.users[&Role::TeamManager].name.clone();
    assert!(page.contains(&format!("drafted by {pod_name}")));

    // The manager approves it.
    let (s, _, page) = t.send(get(&session, Some(&tm))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Missing three times this month"));
    let mut signing = session_fields("sign_off", &child, "Refer to the exploitation panel");
    signing.push(("d0_owner", &owner));
    let (s, h, page) = t.send(form(&session, &body(&signing), Some(&tm))).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    assert!(location(&h).contains("saved=signed"));
    let (_, _, page) = t.send(get(&session, Some(&tm))).await;
    assert!(
        page.contains(&format!("Drafted by {pod_name}; signed off by {tm_name}")),
        "both attributed: {page}"
    );
    assert!(page.contains("Off sick last week"));

    // Recorded once: on the child's chronology and record section.
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&tm))).await;
    assert!(page.contains(
        "Case discussion in supervision with Teammate. Actions: Refer to the exploitation panel"
    ));
    assert!(page.contains("Supervision and management oversight"));
    // The pod sees the file but never the notes about the worker; a colleague sees nothing.
    let (_, _, page) = t.send(get(&session, Some(&pod))).await;
    assert!(page.contains("Refer to the exploitation panel"));
    assert!(!page.contains("Off sick last week"));
    let sw = t.sign_in(Role::SocialWorker).await;
    let (s, _, _) = t.send(get(&session, Some(&sw))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The action is a task on the owner's My work.
    let mate = t
        .sign_in_as("teammate@test.example", Role::SocialWorker)
        .await;
    let (_, _, page) = t.send(get("/my-work", Some(&mate))).await;
    assert!(page.contains("Action from supervision"));
    assert!(page.contains("Refer to the exploitation panel"));
    // The worker sees their own file and when the next is due.
    let (s, _, page) = t.send(get("/supervision", Some(&mate))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("26 December 2026"), "monthly: {page}");

    // The next session cannot be signed off without reviewing the action.
    t.clock.advance(chrono::TimeDelta::days(30));
    let tm = t.sign_in(Role::TeamManager).await;
    let mate = t
        .sign_in_as("teammate@test.example", Role::SocialWorker)
        .await;
    let (_, _, page) = t
        .send(get(
            &format!("/supervision/workers/{}/new", t.teammate),
            Some(&tm),
        ))
        .await;
    assert!(
        page.contains("Every open action must be reviewed"),
        "{page}"
    );
    let mut next = session_fields("sign_off", &child, "");
    next[3] = ("day", "24");
    next[4] = ("month", "12");
    let (s, _, page) = t
        .send(form(
            &format!("/supervision/workers/{}/new", t.teammate),
            &body(&next),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Review this action from an earlier session"));
    next.push(("r0_outcome", "done"));
    next.push(("r0_impact", "Panel met; a safety plan is in place"));
    let (s, _, page) = t
        .send(form(
            &format!("/supervision/workers/{}/new", t.teammate),
            &body(&next),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let (_, _, page) = t.send(get("/my-work", Some(&mate))).await;
    assert!(
        !page.contains("Action from supervision"),
        "reviewed: the task is closed"
    );
}

#[tokio::test]
async fn the_fast_decision_log_records_for_a_manager_who_confirms() {
    let t = TestApp::new().await;
    let pod = t.sign_in(Role::PodAdmin).await;
    let tm = t.sign_in(Role::TeamManager).await;
    let child = t.child_team.to_string();
    let (s, _, page) = t.send(get("/oversight", Some(&pod))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Children without management oversight in 30 days"));
    let manager = t.users[&Role::TeamManager].id.to_string();
    let fields = [
        ("child", child.as_str()),
        ("kind", "decision"),
        ("manager", manager.as_str()),
        ("text", "Convene a strategy discussion"),
        ("rationale", "Three episodes in a month"),
    ];
    // Without naming the manager, a pod is asked to.
    let (s, _, page) = t
        .send(form("/oversight", &body(&fields[..2]), Some(&pod)))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Select the manager you are recording for"));
    let (s, h, _) = t.send(form("/oversight", &body(&fields), Some(&pod))).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/oversight?saved=pending");
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&tm))).await;
    assert!(
        page.contains("Awaiting the manager&#x27;s confirmation")
            || page.contains("Awaiting the manager's confirmation"),
        "{page}"
    );
    // Only the named manager confirms.
    let (_, _, page) = t.send(get("/oversight", Some(&tm))).await;
    let id = page
        .split("/oversight/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_string();
    let (s, _, _) = t
        .send(form(&format!("/oversight/{id}/confirm"), "", Some(&pod)))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = t
        .send(form(&format!("/oversight/{id}/confirm"), "", Some(&tm)))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&tm))).await;
    assert!(page.contains("Management decision: Convene a strategy discussion"));
    assert!(!page.contains("Awaiting the manager"));
    // A manager's own entry is confirmed at once; a social worker has no log.
    let (s, h, _) = t
        .send(form(
            "/oversight",
            &body(&[fields[0], ("kind", "oversight"), fields[3], fields[4]]),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/oversight?saved=recorded");
    let sw = t.sign_in(Role::SocialWorker).await;
    let (s, _, _) = t.send(get("/oversight", Some(&sw))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_case_discussion_can_carry_several_actions_each_on_the_childs_record() {
    let t = TestApp::new().await;
    let tm = t.sign_in(Role::TeamManager).await;
    let child = t.child_team.to_string();
    let owner = t.teammate.to_string();
    let path = format!("/supervision/workers/{}/new", t.teammate);
    let (_, _, page) = t.send(get(&path, Some(&tm))).await;
    assert!(page.contains("Add another action"));
    assert!(page.contains("name=\"d0a1_action\""));
    let mut fields = session_fields("sign_off", &child, "Visit at home this week");
    fields.extend([
        ("d0_owner", owner.as_str()),
        (
            "d0a1_action",
            "Ask the school for attendance since September",
        ),
        ("d0a1_owner", owner.as_str()),
        ("d0a1_due", "10/12/2026"),
        ("d0a2_action", "Book a strategy discussion"),
        ("d0a2_owner", owner.as_str()),
        ("d0a2_due", "not a date"),
    ]);
    // A bad due date on the third action is named on that action.
    let (s, _, page) = t.send(form(&path, &body(&fields), Some(&tm))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("href=\"#d0a2_due\""), "{page}");
    fields.pop();
    fields.push(("d0a2_due", "17/12/2026"));
    let (s, _, page) = t.send(form(&path, &body(&fields), Some(&tm))).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let (_, _, page) = t.send(get(&format!("/children/{child}"), Some(&tm))).await;
    for a in [
        "Visit at home this week",
        "Ask the school for attendance since September",
        "Book a strategy discussion",
    ] {
        assert!(page.contains(a), "{a} on the child's record");
    }
}

#[tokio::test]
async fn the_supervision_api_records_a_session_and_reads_it_back() {
    let t = TestApp::new().await;
    let token = t
        .app
        .create_token_system(&t.users[&Role::TeamManager].email, "supervision")
        .await
        .unwrap();
    let send = |method: &str, path: &str, body: Option<String>| {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        let body = match body {
            Some(j) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(j)
            }
            None => Body::empty(),
        };
        b.body(body).unwrap()
    };
    let child = t.child_team;
    let path = format!("/api/v1/supervision/workers/{}/sessions", t.teammate);
    let body = serde_json::json!({
        "kind": "case",
        "format": "one_to_one",
        "held_at": "2026-11-26T09:00:00Z",
        "duration_minutes": 60,
        "sign_off": true,
        "discussions": [{
            "child_id": child.to_string(),
            "analysis": "Missing twice; school worried",
            "decisions": "Strategy discussion",
            "actions": [
                {"text": "Visit at home", "due": "2026-12-03"},
                {"text": "Ask the school for attendance", "due": "2026-12-10"}
            ]
        }]
    });
    let (s, _, b) = t.send(send("POST", &path, Some(body.to_string()))).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let id = serde_json::from_str::<serde_json::Value>(&b).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, _, b) = t
        .send(send(
            "GET",
            &format!("/api/v1/supervision/sessions/{id}"),
            None,
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let v: serde_json::Value = serde_json::from_str(&b).unwrap();
    assert_eq!(v["session"]["status"], "signed_off");
    assert_eq!(v["discussions"][0]["actions"].as_array().unwrap().len(), 2);
    let (s, _, b) = t
        .send(send(
            "GET",
            &format!("/api/v1/supervision/workers/{}", t.teammate),
            None,
        ))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let v: serde_json::Value = serde_json::from_str(&b).unwrap();
    assert_eq!(v["open_actions"].as_array().unwrap().len(), 2);
    assert_eq!(v["sessions"].as_array().unwrap().len(), 1);
    // A problem names the field, as the page does.
    let bad = serde_json::json!({"kind": "case", "format": "one_to_one", "held_at": "2026-11-26T09:00:00Z", "duration_minutes": 60,
        "discussions": [{"child_id": child.to_string(), "analysis": "x", "actions": [{"text": "y", "due": "2020-01-01"}]}]});
    let (s, _, b) = t.send(send("POST", &path, Some(bad.to_string()))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b.contains("d0_due"), "{b}");
}

#[tokio::test]
async fn a_group_session_with_three_workers_is_on_each_file_and_each_childs_chronology() {
    let t = TestApp::new().await;
    let tm = t.sign_in(Role::TeamManager).await;
    let sw = t.users[&Role::SocialWorker].id;
    let third = User {
        id: UserId::new(),
        email: "third@test.example".into(),
        name: "Third Worker".into(),
        ..t.users[&Role::SocialWorker].clone()
    };
    let hash = harbour_app::auth::hash_password(HashCost::Test, PASSWORD).unwrap();
    let mut tx = t.app.db.begin_write().await.unwrap();
    users::insert(&mut tx, &third, &hash, None, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // Choose who attended: the team's workers are offered; one is not a group.
    let (s, _, page) = t.send(get("/supervision/group/new", Some(&tm))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Teammate") && page.contains("Third Worker"));
    assert!(!page.contains("Other Worker"), "another team's worker");
    let (s, _, page) = t
        .send(get(
            &format!("/supervision/group/new?attendee_{sw}=yes"),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Select at least two workers"));
    let who = [sw, t.teammate, third.id];
    let query = who
        .iter()
        .map(|u| format!("attendee_{u}=yes"))
        .collect::<Vec<_>>()
        .join("&");
    let (s, _, page) = t
        .send(get(&format!("/supervision/group/new?{query}"), Some(&tm)))
        .await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains("Allocated Tester") && page.contains("Teamchild Tester"));
    assert!(page.contains("Teammate&#x27;s child") || page.contains("Teammate's child"));
    assert!(
        !page.contains("worker_notes"),
        "no private notes in a group"
    );

    let (sw_s, mate_s, third_s) = (sw.to_string(), t.teammate.to_string(), third.id.to_string());
    let (c1, c2) = (t.child_allocated.to_string(), t.child_team.to_string());
    let pod = t.users[&Role::PodAdmin].id.to_string();
    let a_sw = format!("attendee_{sw}");
    let a_mate = format!("attendee_{}", t.teammate);
    let a_third = format!("attendee_{}", third.id);
    let mut fields: Vec<(&str, &str)> = vec![
        ("intent", "sign_off"),
        ("kind", "case"),
        ("day", "26"),
        ("month", "11"),
        ("year", "2026"),
        ("time", "09:00"),
        ("duration", "90"),
        (&a_sw, "yes"),
        (&a_mate, "yes"),
        (&a_third, "yes"),
        ("d0_child", &c1),
        ("d0_worker", &sw_s),
        ("d0_analysis", "Group view: the county line pattern again"),
        ("d0_action", "Share the pattern with the police"),
        ("d0_owner", &third_s),
        ("d0_due", "3/12/2026"),
        ("d1_child", &c2),
        ("d1_worker", &mate_s),
        ("d1_analysis", "Group view: school attendance falling"),
        ("d1_action", "Meet the designated teacher"),
        ("d1_owner", &pod),
        ("d1_due", "3/12/2026"),
    ];
    // An action's owner must be one of the attendees.
    let (s, _, page) = t
        .send(form("/supervision/group/new", &body(&fields), Some(&tm)))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Select one of the workers at the session"));
    fields.retain(|(k, _)| *k != "d1_owner");
    fields.push(("d1_owner", &mate_s));
    let (s, h, page) = t
        .send(form("/supervision/group/new", &body(&fields), Some(&tm)))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let session = location(&h).split('?').next().unwrap().to_string();
    let (s, _, page) = t.send(get(&session, Some(&tm))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Group supervision"));
    assert!(page.contains("Third Worker"));
    assert!(page.contains("Share the pattern with the police"));

    // On every attendee's file, for the manager and for each of them.
    for u in who {
        let (_, _, page) = t
            .send(get(&format!("/supervision/workers/{u}"), Some(&tm)))
            .await;
        assert!(page.contains(&session), "on {u}'s file");
        assert!(page.contains("Group (with"));
    }
    let me = t.sign_in_as("third@test.example", Role::SocialWorker).await;
    let (_, _, page) = t
        .send(get(
            &format!("/supervision/workers/{}", third.id),
            Some(&me),
        ))
        .await;
    assert!(page.contains(&session));
    // Group supervision does not replace the one-to-one: still due now.
    assert!(page.contains("Now: no supervision on record"));
    assert!(page.contains("Last group session"));
    let (s, _, page) = t.send(get(&session, Some(&me))).await;
    assert_eq!(s, StatusCode::OK, "an attendee opens the record");
    assert!(page.contains("Group view: school attendance falling"));

    // Each child's chronology has its own discussion, naming its worker.
    let (_, _, page) = t.send(get(&format!("/children/{c1}"), Some(&tm))).await;
    assert!(page.contains("Group view: the county line pattern again"));
    assert!(!page.contains("Group view: school attendance falling"));
    assert!(page.contains("Case discussion in supervision with Test Social worker"));
    let (_, _, page) = t.send(get(&format!("/children/{c2}"), Some(&tm))).await;
    assert!(page.contains("Group view: school attendance falling"));
    assert!(page.contains("Case discussion in supervision with Teammate"));

    // An outsider is refused, and a social worker cannot start a group.
    let other = t.sign_in_as("other@test.example", Role::SocialWorker).await;
    let (s, _, _) = t.send(get(&session, Some(&other))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = t.send(get("/supervision/group/new", Some(&me))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The group's next session must review its actions.
    let (_, _, page) = t
        .send(get(&format!("/supervision/group/new?{query}"), Some(&tm)))
        .await;
    assert!(page.contains("Share the pattern with the police"));
    assert!(page.contains("r0_outcome"));
}
