//! The dashboards and the statutory lists through the router: figures only
//! on the dashboards, a team manager's own team by default, the CSV and
//! XLSX downloads, and the audit rows of the child-level exports.

use crate::*;
use harbour_domain::codes::LegalStatusKind;

/// The test authority: six children, each with one missing episode that
/// began today (26 November 2026); children 1, 2 and 4 are allocated in
/// Team A, 3 and 5 in Team B, 6 to nobody.
#[tokio::test]
async fn dashboards_show_counts_for_the_chosen_team() {
    let t = TestApp::new().await;
    let analyst = t.sign_in(Role::Analyst).await;
    let (s, _, page) = t.send(get("/dashboards", Some(&analyst))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<strong id=\"scope\">All teams</strong>"));
    for title in [
        "Missing and away episodes per month",
        "Return home interviews",
        "Children missing repeatedly",
        "Exploitation risk by level",
        "Exploitation risk by category and level",
        "Exploitation and missing panel",
        "Caseload distribution",
        "Supervision written up on time",
    ] {
        assert!(page.contains(title), "{title}");
    }
    // Every chart is an image with a title and a description.
    assert!(page.contains("aria-labelledby=\"missing-title missing-desc\""));
    assert!(page.contains("<title id=\"missing-title\">"));
    // Figures only: no child's name or identifier.
    for name in ["Allocated", "Teamchild", "Otherchild", "T0001"] {
        assert!(!page.contains(name), "{name} on the dashboards");
    }
    let (s, h, csv) = t
        .send(get(
            "/dashboards/csv/missing?team=all&months=6",
            Some(&analyst),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(
        h[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"missing-all-teams-6-months-2026-11-26.csv\"")
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 7);
    assert_eq!(lines[0], "Month,Missing,Away");
    assert_eq!(lines[1], "Jun 2026,0,0");
    assert_eq!(lines[6], "Nov 2026,6,0");

    // A team manager sees their own team by default: three of the six.
    let tm = t.sign_in(Role::TeamManager).await;
    let (_, _, page) = t.send(get("/dashboards", Some(&tm))).await;
    assert!(page.contains("<strong id=\"scope\">Team A</strong>"));
    let (_, _, csv) = t
        .send(get("/dashboards/csv/missing?months=6", Some(&tm)))
        .await;
    assert!(csv.ends_with("Nov 2026,3,0\r\n"), "{csv}");
    // ... and can widen it.
    let (_, _, csv) = t
        .send(get("/dashboards/csv/missing?team=all&months=6", Some(&tm)))
        .await;
    assert!(csv.ends_with("Nov 2026,6,0\r\n"), "{csv}");
    let (_, _, csv) = t
        .send(get("/dashboards/csv/repeat?team=all&months=6", Some(&tm)))
        .await;
    assert!(csv.ends_with("Nov 2026,6,0\r\n"), "{csv}");
    // An unknown team or chart is not found.
    let (s, _, _) = t
        .send(get(
            &format!("/dashboards?team={}", uuid::Uuid::now_v7()),
            Some(&tm),
        ))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = t.send(get("/dashboards/csv/nothing", Some(&tm))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn annex_a_downloads_are_child_level_and_audited() {
    let t = TestApp::new().await;
    // Child 1 looked after since March; child 3 on a plan that ended in
    // 2025 (outside both lookbacks).
    let mut tx = t.app.db.begin_write().await.unwrap();
    for (child, kind, start, end) in [
        (t.child_allocated, LegalStatusKind::Cla, "2026-03-01", None),
        (
            t.child_other,
            LegalStatusKind::Cp,
            "2024-01-01",
            Some("2025-01-31"),
        ),
    ] {
        harbour_db::records::insert_legal_status(
            &mut tx,
            &system_import(child),
            &LegalStatusPeriod {
                id: LegalStatusId::new(),
                child_id: child,
                status: kind,
                start_date: start.parse().unwrap(),
                end_date: end.map(|e| e.parse().unwrap()),
                recorded_at: now(),
            },
        )
        .await
        .unwrap();
    }
    // Contacts: two referrals from a school about child 1 (one in
    // February, outside the 6-month lookback, ended NFA; one this month,
    // accepted), a consultation about child 1 in June, and an
    // out-of-hours call from the police about child 3 in October.
    let school = harbour_db::schools::School {
        id: uuid::Uuid::now_v7(),
        urn: "145201".into(),
        name: "Kilnside Academy".into(),
        phase: "Secondary".into(),
        la_code: "861".into(),
        org_id: None,
        created_at: now(),
    };
    harbour_db::schools::insert_school(&mut tx, &school)
        .await
        .unwrap();
    let recorder = t.users[&Role::TeamManager].id;
    for (n, at, kind, outcome) in [
        (1u128, "2026-02-10T09:00:00Z", "referral", "nfa"),
        (2, "2026-06-15T09:00:00Z", "consultation", "advice_given"),
        (3, "2026-11-20T09:00:00Z", "referral", "accepted"),
    ] {
        harbour_db::schools::insert_contact(
            &mut tx,
            &harbour_db::schools::NewContact {
                id: uuid::Uuid::from_u128(0x0194_0000_0000_7000_8000_0000_0000_0000 | n),
                school_id: school.id,
                received_at: at.parse().unwrap(),
                kind: kind.into(),
                contact_name: "DSL".into(),
                summary: "Worry".into(),
                outcome: outcome.into(),
                recorded_by: recorder,
                recorded_at: now(),
            },
            Some(&system_import(t.child_allocated)),
        )
        .await
        .unwrap();
    }
    let at: chrono::DateTime<chrono::Utc> = "2026-10-10T23:15:00Z".parse().unwrap();
    harbour_db::edt::insert_contact(
        &mut tx,
        &system_import(t.child_other),
        &harbour_domain::edt::OohContact {
            id: uuid::Uuid::now_v7(),
            child_id: t.child_other,
            received_at: at,
            caller: "PC Rowe".into(),
            caller_agency: "Staffordshire Police".into(),
            kind: harbour_domain::edt::ContactKind::ChildProtection,
            reported: "Found at 2am".into(),
            agencies: "Police".into(),
            actions: "Took home".into(),
            outcome: "Home".into(),
            placement_support: false,
            missing_episode_id: None,
            recorded_by: recorder,
            recorded_by_name: String::new(),
            recorded_at: at,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let analyst = t.sign_in(Role::Analyst).await;
    let (s, _, page) = t.send(get("/reports", Some(&analyst))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Columns left blank"));
    let before = t.audit_count().await;
    let (s, h, csv) = t
        .send(get("/reports/annex-a/csv/8?months=6", Some(&analyst)))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CACHE_CONTROL], "no-store");
    assert_eq!(t.audit_count().await, before + 1);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[0]
            .starts_with("Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),")
    );
    let cells: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(cells.len(), 34);
    assert_eq!(cells[0], "T0001");
    assert_eq!(cells[1], "b) Female");
    assert_eq!(cells[3], "02/04/2011");
    assert_eq!(cells[4], "15");
    assert_eq!(cells[7], "01/03/2026");
    // The open missing episode: one missing, none absent; the interview is
    // not known yet.
    assert_eq!(&cells[28..32], &["1", "0", "c) Unknown", "c) Unknown"]);
    assert_eq!(cells[32], "Team A");
    // List 7: the plan ended before the lookback, so nobody.
    let (_, _, csv) = t
        .send(get("/reports/annex-a/csv/7?months=12", Some(&analyst)))
        .await;
    assert_eq!(csv.lines().count(), 1);
    let (s, _, _) = t
        .send(get("/reports/annex-a/csv/8?months=3", Some(&analyst)))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = t.send(get("/reports/annex-a/csv/2", Some(&analyst))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // List 1: the June consultation, the October call and the November
    // referral, by date; the February referral is before the lookback.
    let (s, _, csv) = t
        .send(get("/reports/annex-a/csv/1?months=6", Some(&analyst)))
        .await;
    assert_eq!(s, StatusCode::OK);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Date of Contact,Contact Source"
    );
    let tail = |l: &str| l.split(',').skip(5).collect::<Vec<_>>().join(",");
    assert_eq!(
        lines[1..].iter().map(|l| tail(l)).collect::<Vec<_>>(),
        [
            "15/06/2026,2A) Schools",
            "10/10/2026,6) Police",
            "20/11/2026,2A) Schools"
        ]
    );
    assert!(lines[1].starts_with("T0001,"));
    assert!(lines[2].starts_with("T0003,"));
    // Twelve months: the February referral too.
    let (_, _, csv) = t
        .send(get("/reports/annex-a/csv/1?months=12", Some(&analyst)))
        .await;
    assert_eq!(csv.lines().count(), 5);
    // List 3: the November referral, accepted (not NFA), the child's second
    // referral in 12 months.
    let (_, _, csv) = t
        .send(get("/reports/annex-a/csv/3?months=6", Some(&analyst)))
        .await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    let cells: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(cells[0], "T0001");
    assert_eq!(
        &cells[5..11],
        &["", "20/11/2026", "2A) Schools", "b) No", "2", "Team A"]
    );
    let (_, _, csv) = t
        .send(get("/reports/annex-a/csv/3?months=12", Some(&analyst)))
        .await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        lines[1].contains(",10/02/2026,2A) Schools,a) Yes,1,"),
        "{csv}"
    );

    // The workbook: a ZIP with the OOXML parts.
    let tm = t.sign_in(Role::TeamManager).await;
    let res = t
        .router
        .clone()
        .oneshot(get("/reports/annex-a.xlsx?months=12", Some(&tm)))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    let text = String::from_utf8_lossy(&bytes);
    for part in [
        "[Content_Types].xml",
        "xl/workbook.xml",
        "xl/worksheets/sheet5.xml",
        "<sheet name=\"List 1\" sheetId=\"1\"",
        "<sheet name=\"List 3\" sheetId=\"2\"",
        "<sheet name=\"List 8\" sheetId=\"5\"",
        "<sheet name=\"Notes\"",
        "T0001",
    ] {
        assert!(text.contains(part), "{part}");
    }

    // CIN assessment factors: child 1 (in need this year) with 10A from
    // the missing episode.
    let (s, _, csv) = t
        .send(get("/reports/cin-factors.csv", Some(&analyst)))
        .await;
    assert_eq!(s, StatusCode::OK);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "LAchildID,AssessmentFactors,Meanings,Derived from"
    );
    assert_eq!(
        lines[1],
        "T0001,10A,Going or being missing,10A: 1 missing or away episode"
    );
    assert_eq!(lines.len(), 2);
}
