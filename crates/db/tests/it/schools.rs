//! Storage stories for schools, partnership membership, contacts, school
//! notices and children-missing-education cases.

use chrono::{DateTime, NaiveDate, Utc};
use harbour_db::schools::{self as repo, NewCase, NewContact, NewNotice, School, Staff};
use harbour_db::{Db, DbError, children, org, users};
use harbour_domain::Role;
use harbour_domain::authz::system_import;
use harbour_domain::codes::Sex;
use harbour_domain::ids::*;
use harbour_domain::model::*;
use uuid::Uuid;

fn now() -> DateTime<Utc> {
    "2026-11-26T10:00:00.123456Z".parse().unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn child(n: u32) -> Child {
    Child {
        id: ChildId::new(),
        la_child_id: format!("S{n:04}"),
        first_name: "Lily".into(),
        last_name: format!("Moss{n}"),
        dob: "2014-03-01".parse().unwrap(),
        sex: Sex::F,
        ethnicity: "WBRI".into(),
        upn: None,
        nhs_number: None,
        responsible_la: "861".into(),
        host_la: None,
        school: None,
        restricted: false,
        created_at: now(),
    }
}

/// Schools are unique by URN; membership periods open and close; contacts
/// and cases are read back per school and per child, and a case's steps and
/// outcome only through the child they belong to.
pub async fn schools_partnership_and_cme(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    org::upsert_authority(
        &mut tx,
        &Authority {
            la_code: "861".into(),
            name: "Stoke-on-Trent".into(),
        },
    )
    .await
    .unwrap();
    let o = Organisation {
        id: OrgId::new(),
        name: "Kilnside Academy".into(),
        kind: OrgKind::Education,
        la_code: None,
    };
    org::insert_org(&mut tx, &o).await.unwrap();
    let mk = |email: &str, role| User {
        id: UserId::new(),
        email: email.into(),
        name: email.into(),
        role,
        org_id: o.id,
        team_id: None,
        pod_id: None,
        fte_hundredths: 100,
        swe_number: None,
        agency: false,
        asye_start: None,
        disabled_at: None,
        totp_enabled: false,
    };
    let manager = mk("tm@test.example", Role::TeamManager);
    let teacher = mk("dt@test.example", Role::PartnerPractitioner);
    for u in [&manager, &teacher] {
        users::insert(&mut tx, u, "$argon2id$x", None, now())
            .await
            .unwrap();
    }
    let (a, b) = (child(1), child(2));
    for c in [&a, &b] {
        children::insert(&mut tx, c, None).await.unwrap();
    }
    let school = School {
        id: Uuid::now_v7(),
        urn: "145201".into(),
        name: "Kilnside Academy".into(),
        phase: "Secondary".into(),
        la_code: "861".into(),
        org_id: Some(o.id.0),
        created_at: now(),
    };
    repo::insert_school(&mut tx, &school).await.unwrap();
    tx.commit().await.unwrap();

    // A second school with the same URN is a unique violation.
    let mut tx = db.begin_write().await.unwrap();
    let dup = School {
        id: Uuid::now_v7(),
        name: "Copy".into(),
        ..school.clone()
    };
    assert!(matches!(
        repo::insert_school(&mut tx, &dup).await,
        Err(DbError::UniqueViolation)
    ));
    drop(tx);

    let mut tx = db.begin_write().await.unwrap();
    assert_eq!(
        repo::get(&mut tx, school.id).await.unwrap(),
        Some(school.clone())
    );
    assert_eq!(repo::list(&mut tx).await.unwrap().len(), 1);
    // Staff: the designated teacher with a Harbour account and a supervisor.
    repo::insert_staff(
        &mut tx,
        &Staff {
            id: Uuid::now_v7(),
            school_id: school.id,
            name: "Priya Mistry".into(),
            role: "designated_teacher".into(),
            email: "p@kilnside.example".into(),
            phone: "01782 000000".into(),
            user_id: Some(teacher.id.0),
            supervisor_id: Some(manager.id.0),
            supervisor_name: None,
            created_at: now(),
        },
    )
    .await
    .unwrap();
    let dt = repo::designated_teacher(&mut tx, teacher.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(dt.supervisor_name.as_deref(), Some("tm@test.example"));
    assert_eq!(
        repo::supervised_teachers(&mut tx, manager.id)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        repo::designated_teacher(&mut tx, manager.id)
            .await
            .unwrap()
            .is_none()
    );
    // Membership: join, leave, and leaving again finds nothing open.
    repo::insert_membership(&mut tx, school.id, d("2025-09-01"), None, manager.id, now())
        .await
        .unwrap();
    assert!(
        !repo::close_membership(&mut tx, school.id, d("2025-08-01"))
            .await
            .unwrap()
    );
    assert!(
        repo::close_membership(&mut tx, school.id, d("2026-07-31"))
            .await
            .unwrap()
    );
    assert!(
        !repo::close_membership(&mut tx, school.id, d("2026-08-01"))
            .await
            .unwrap()
    );
    let ms = repo::memberships(&mut tx, school.id).await.unwrap();
    assert_eq!(ms.len(), 1);
    assert_eq!(
        (ms[0].joined_on, ms[0].left_on),
        (d("2025-09-01"), Some(d("2026-07-31")))
    );
    assert_eq!(repo::all_memberships(&mut tx).await.unwrap().len(), 1);
    tx.commit().await.unwrap();
    // A period cannot end before it starts (a check on both backends).
    let mut tx = db.begin_write().await.unwrap();
    assert!(
        repo::insert_membership(
            &mut tx,
            school.id,
            d("2026-09-01"),
            Some(d("2026-01-01")),
            manager.id,
            now()
        )
        .await
        .is_err()
    );
    drop(tx);

    // Contacts: one about child a, one unlinked.
    let mut tx = db.begin_write().await.unwrap();
    let contact = |n: u128, kind: &str, outcome: &str| NewContact {
        id: Uuid::from_u128(0x0194_0000_0000_7000_8000_0000_0000_0000 | n),
        school_id: school.id,
        received_at: now(),
        kind: kind.into(),
        contact_name: "DSL".into(),
        summary: "Worry".into(),
        outcome: outcome.into(),
        recorded_by: manager.id,
        recorded_at: now(),
    };
    repo::insert_contact(
        &mut tx,
        &contact(1, "referral", "accepted"),
        Some(&system_import(a.id)),
    )
    .await
    .unwrap();
    repo::insert_contact(&mut tx, &contact(2, "consultation", "advice_given"), None)
        .await
        .unwrap();
    let all = repo::contacts_for_school(&mut tx, school.id).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].received_at, now());
    let mine = repo::contacts_for_child(&mut tx, &system_import(a.id))
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].child_name.as_deref(), Some("Lily Moss1"));
    assert!(
        repo::contacts_for_child(&mut tx, &system_import(b.id))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        repo::children_from_school(&mut tx, school.id)
            .await
            .unwrap(),
        vec![a.id]
    );
    assert_eq!(
        repo::child_by_reference(&mut tx, "s0001").await.unwrap(),
        Some(a.id)
    );
    assert_eq!(
        repo::child_by_reference(&mut tx, "nope").await.unwrap(),
        None
    );

    // Notices: a deletion must carry its ground.
    let notice = |n: u128, kind: &str, ground: Option<&str>| NewNotice {
        id: Uuid::from_u128(0x0194_0000_0000_7000_8000_0000_0001_0000 | n),
        school_id: school.id,
        kind: kind.into(),
        pupil_name: "Kacper Nowak".into(),
        pupil_dob: Some(d("2013-05-02")),
        upn: None,
        event_on: d("2026-11-12"),
        notified_on: d("2026-11-20"),
        ground: ground.map(str::to_string),
        destination: String::new(),
        recorded_by: manager.id,
        recorded_at: now(),
    };
    repo::insert_notice(&mut tx, &notice(1, "registration", None))
        .await
        .unwrap();
    repo::insert_notice(&mut tx, &notice(2, "deletion", Some("other_school")))
        .await
        .unwrap();
    let ns = repo::notices_since(&mut tx, d("2026-11-01")).await.unwrap();
    assert_eq!(ns.len(), 2);
    assert_eq!(ns[0].pupil_dob, Some(d("2013-05-02")));
    let reg = ns.iter().find(|n| n.kind == "registration").unwrap();
    let one = repo::notice(&mut tx, reg.id).await.unwrap().unwrap();
    assert_eq!(
        (one.pupil_name.as_str(), one.ground.as_deref()),
        ("Kacper Nowak", None)
    );
    assert!(
        repo::notice(&mut tx, Uuid::now_v7())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        repo::notices_since(&mut tx, d("2026-11-21"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        repo::notices_for_school(&mut tx, school.id)
            .await
            .unwrap()
            .len(),
        2
    );
    tx.commit().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    assert!(
        repo::insert_notice(&mut tx, &notice(3, "deletion", None))
            .await
            .is_err()
    );
    drop(tx);

    // A case on child a: steps, and an outcome recorded once.
    let mut tx = db.begin_write().await.unwrap();
    let ok = system_import(a.id);
    let case = NewCase {
        id: Uuid::now_v7(),
        school_id: Some(school.id),
        notice_id: None,
        episode_id: None,
        opened_on: d("2026-11-20"),
        reason: "Deleted from roll".into(),
        opened_by: manager.id,
        opened_at: now(),
    };
    repo::insert_case(&mut tx, &ok, &case).await.unwrap();
    assert_eq!(
        repo::case_child(&mut tx, case.id).await.unwrap(),
        Some(a.id)
    );
    assert!(
        repo::get_case(&mut tx, &system_import(b.id), case.id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        repo::insert_step(
            &mut tx,
            &system_import(b.id),
            case.id,
            "police",
            d("2026-11-21"),
            "PC",
            "x",
            manager.id,
            now()
        )
        .await
        .is_err()
    );
    repo::insert_step(
        &mut tx,
        &ok,
        case.id,
        "home_visit",
        d("2026-11-21"),
        "CME officer",
        "No answer",
        manager.id,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(repo::open_cases(&mut tx).await.unwrap().len(), 1);
    assert!(
        repo::close_case(
            &mut tx,
            &ok,
            case.id,
            "found_in_education",
            d("2026-11-25"),
            "On roll",
            manager.id
        )
        .await
        .unwrap()
    );
    assert!(
        !repo::close_case(
            &mut tx,
            &ok,
            case.id,
            "moved_abroad",
            d("2026-11-26"),
            "x",
            manager.id
        )
        .await
        .unwrap()
    );
    let got = repo::get_case(&mut tx, &ok, case.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.outcome.as_deref(), Some("found_in_education"));
    assert_eq!(got.outcome_on, Some(d("2026-11-25")));
    assert_eq!(got.school_name.as_deref(), Some("Kilnside Academy"));
    assert!(repo::open_cases(&mut tx).await.unwrap().is_empty());
    assert_eq!(repo::cases_for_child(&mut tx, &ok).await.unwrap().len(), 1);
    let steps = repo::steps_for_child(&mut tx, &ok).await.unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].done_on, d("2026-11-21"));
    assert!(
        repo::steps_for_child(&mut tx, &system_import(b.id))
            .await
            .unwrap()
            .is_empty()
    );
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn schools_stories_on_sqlite() {
    let (db, _dir) = crate::sqlite().await;
    schools_partnership_and_cme(db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schools_stories_on_postgres() {
    let db = crate::postgres().await;
    schools_partnership_and_cme(db).await;
}
