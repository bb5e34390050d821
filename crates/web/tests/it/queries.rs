//! No page issues a query per row: the number of storage statements a main
//! page runs (counted by `harbour_db::count_queries`) is the same with few
//! rows and with ten times as many children, notes, missing episodes and
//! panel referrals.

use crate::*;

/// Statements the router runs for one request.
async fn count(t: &TestApp, req: Request<Body>) -> (StatusCode, u64) {
    let ((s, _, _), n) = harbour_db::count_queries(t.send(req)).await;
    (s, n)
}

/// `n` more children allocated to the fixture social worker, each with
/// three notes, a closed and an open missing episode; and `notes` more
/// notes and `notes` closed episodes on the allocated fixture child.
async fn grow(t: &TestApp, n: u32, notes: u32) -> Vec<ChildId> {
    let mut made = Vec::new();
    let sw = t.users[&Role::SocialWorker].clone();
    let mut tx = t.app.db.begin_write().await.unwrap();
    let note = |c: ChildId, i: u32| CaseNote {
        id: NoteId::new(),
        child_id: c,
        author_id: sw.id,
        author_name: sw.name.clone(),
        kind: NoteKind::Visit,
        occurred_at: now() - TimeDelta::days(i as i64 + 3),
        recorded_at: now() - TimeDelta::days(i as i64 + 2),
        subject: format!("Visit {i}"),
        body: "Seen alone.".into(),
        significant: i.is_multiple_of(2),
    };
    let episode = |c: ChildId, i: u32, open: bool| harbour_domain::missing::MissingEpisode {
        id: uuid::Uuid::now_v7(),
        child_id: c,
        kind: harbour_domain::missing::MissingKind::Missing,
        from: harbour_domain::missing::MissingFrom::Placement,
        last_seen_at: now() - TimeDelta::days(i as i64 + 10),
        location_left: "Placement".into(),
        reported_at: None,
        police_ref: None,
        grade: None,
        circumstances: "Did not return".into(),
        returned_at: (!open).then(|| now() - TimeDelta::days(i as i64 + 9)),
        found_where: None,
        found_by: None,
        recorded_by: sw.id,
        recorded_at: now() - TimeDelta::days(i as i64 + 10),
    };
    for k in 0..n {
        let c = child(500 + k, &format!("Grown{k}"), "Tester", false);
        children::insert(&mut tx, &c, None).await.unwrap();
        children::replace_name_keys(
            &mut tx,
            c.id,
            &harbour_domain::search::name_keys(&[&c.first_name, &c.last_name]),
        )
        .await
        .unwrap();
        made.push(c.id);
        let ok = system_import(c.id);
        records::insert_allocation(
            &mut tx,
            &ok,
            &Allocation {
                id: AllocationId::new(),
                child_id: c.id,
                worker_id: sw.id,
                worker_name: sw.name.clone(),
                team_id: Some(t.team_a),
                start_date: "2026-02-02".parse().unwrap(),
                end_date: None,
                sw_reason: "FCONTA".into(),
                recorded_by: sw.id,
                recorded_at: now(),
            },
        )
        .await
        .unwrap();
        for i in 0..3 {
            records::insert_note(&mut tx, &ok, &note(c.id, i))
                .await
                .unwrap();
        }
        harbour_db::missing::insert(&mut tx, &ok, &episode(c.id, 40, false))
            .await
            .unwrap();
        harbour_db::missing::insert(&mut tx, &ok, &episode(c.id, 0, true))
            .await
            .unwrap();
    }
    let ok = system_import(t.child_allocated);
    for i in 0..notes {
        records::insert_note(&mut tx, &ok, &note(t.child_allocated, i))
            .await
            .unwrap();
        harbour_db::missing::insert(&mut tx, &ok, &episode(t.child_allocated, 20 + 2 * i, false))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    made
}

/// Refer the children to a MACE panel through the router; returns the
/// path of the meeting (made when `meeting` is `None`).
async fn panel_with_referrals(
    t: &TestApp,
    children: &[ChildId],
    sw: &str,
    pc: &str,
    meeting: Option<String>,
) -> String {
    let body = "panel_type=mace&reason=Found+out+of+area+twice&risk=high&basis=public_task_safeguarding&consent=Not+sought%3A+risk+of+harm";
    for c in children {
        let (s, _, page) = t
            .send(form(
                &format!("/children/{c}/panel-referral/new"),
                body,
                Some(sw),
            ))
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    }
    if let Some(m) = meeting {
        return m;
    }
    let (s, h, _) = t
        .send(form(
            "/panel/meetings",
            "panel_type=mace&day=26&month=11&year=2026&chair=DI+Patel",
            Some(pc),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    h.get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn main_pages_do_not_issue_a_query_per_row() {
    let t = TestApp::new().await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let tm = t.sign_in(Role::TeamManager).await;
    let an = t.sign_in(Role::Analyst).await;
    let pc = t.sign_in(Role::PanelCoordinator).await;
    let meeting = panel_with_referrals(&t, &[t.child_allocated], &sw, &pc, None).await;
    let child = t.child_allocated;
    let sw_id = t.users[&Role::SocialWorker].id;
    let pages: Vec<(&str, String, &str)> = vec![
        ("GET", "/my-work".into(), &sw),
        ("GET", format!("/children/{child}"), &sw),
        ("GET", "/caseload".into(), &sw),
        ("GET", format!("/caseload/workers/{sw_id}"), &tm),
        ("GET", format!("/caseload/teams/{}", t.team_a), &tm),
        ("GET", "/caseload/service".into(), &an),
        ("GET", "/supervision".into(), &tm),
        ("GET", format!("{meeting}/agenda"), &pc),
        ("GET", meeting.clone(), &pc),
        ("GET", "/dashboards".into(), &an),
        ("GET", "/reports".into(), &an),
        ("GET", "/stats".into(), &an),
        ("POST", "/children".into(), &sw),
    ];
    let req = |m: &str, p: &str, c: &str| {
        if m == "POST" {
            form(p, "q=Tester", Some(c))
        } else {
            get(p, Some(c))
        }
    };
    let mut before = Vec::new();
    for (m, p, c) in &pages {
        let (s, n) = count(&t, req(m, p, c)).await;
        assert_eq!(s, StatusCode::OK, "{m} {p}");
        assert!(n > 0, "{m} {p} ran no counted statement");
        // Shown with --no-capture; docs/PERFORMANCE.md quotes them.
        eprintln!("statements: {n:>3}  {m} {p}");
        before.push(n);
    }
    let grown = grow(&t, 27, 30).await;
    panel_with_referrals(&t, &grown, &sw, &pc, Some(meeting.clone())).await;
    let mut grew = Vec::new();
    for ((m, p, c), b) in pages.iter().zip(&before) {
        let (s, n) = count(&t, req(m, p, c)).await;
        assert_eq!(s, StatusCode::OK, "{m} {p}");
        if n != *b {
            grew.push(format!(
                "{m} {p}: {b} statements with few rows, {n} with many"
            ));
        }
    }
    assert!(
        grew.is_empty(),
        "query count grows with rows:\n{}",
        grew.join("\n")
    );
}
