//! Records management and subject access storage stories, on both backends.

use crate::stories::{d, now, world};
use chrono::TimeDelta;
use harbour_db::{Db, privacy, records};
use harbour_domain::authz::system_import;
use harbour_domain::codes::LegalStatusKind;
use harbour_domain::ids::*;
use harbour_domain::model::{LegalStatusPeriod, Placement};
use uuid::Uuid;

/// The retention facts come from the record (looked after through a
/// placement, adoption from an A-code placement, open beyond contact from
/// a CIN status); review decisions append and the latest is last;
/// a request is logged, assembled once, its items decided and exported once.
pub async fn retention_facts_decisions_and_subject_access(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    let ok = system_import(w.child.id);

    let facts = privacy::retention_facts(&mut tx).await.unwrap();
    let f = facts.iter().find(|f| f.child_id == w.child.id.0).unwrap();
    assert!(!f.looked_after && !f.open_beyond_contact && f.adoption.is_none());
    assert_eq!(f.dob, w.child.dob);

    records::insert_legal_status(
        &mut tx,
        &ok,
        &LegalStatusPeriod {
            id: LegalStatusId::new(),
            child_id: w.child.id,
            status: LegalStatusKind::Cin,
            start_date: d("2020-01-01"),
            end_date: Some(d("2021-03-31")),
            recorded_at: now(),
        },
    )
    .await
    .unwrap();
    for (code, start, end) in [
        ("U1", "2021-04-01", Some("2022-01-01")),
        ("A4", "2022-01-02", Some("2022-09-30")),
    ] {
        records::insert_placement(
            &mut tx,
            &ok,
            &Placement {
                id: PlacementId::new(),
                child_id: w.child.id,
                place_code: code.into(),
                provider_code: "PR1".into(),
                carer_name: "The Carers".into(),
                carer_phone: None,
                postcode: "ST4 1AA".into(),
                area_la: "861".into(),
                start_date: d(start),
                end_date: end.map(d),
            },
        )
        .await
        .unwrap();
    }
    let facts = privacy::retention_facts(&mut tx).await.unwrap();
    let f = facts.iter().find(|f| f.child_id == w.child.id.0).unwrap();
    assert!(f.looked_after && f.open_beyond_contact);
    assert_eq!(f.adoption, Some(d("2022-09-30")));
    assert_eq!(f.last_status_end, Some(d("2021-03-31")));
    let one = privacy::retention_facts_of(&mut tx, w.child.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((one.adoption, one.looked_after), (f.adoption, true));
    assert!(
        privacy::retention_facts_of(&mut tx, ChildId::new())
            .await
            .unwrap()
            .is_none()
    );

    // Review decisions: append-only, oldest first.
    let dec = |decision: &str, at: i64| privacy::RetentionDecision {
        id: Uuid::now_v7(),
        child_id: w.child.id.0,
        decision: decision.into(),
        keep_until: (decision == "keep").then(|| d("2030-01-01")),
        hold_reason: (decision == "keep").then(|| "inquiry_hold".into()),
        note: "Inquiry notice".into(),
        category: "adoption".into(),
        retain_until: d("2122-09-30"),
        decided_by: w.worker.id.0,
        decided_by_name: String::new(),
        decided_at: now() + TimeDelta::minutes(at),
    };
    privacy::insert_decision(&mut tx, &dec("keep", 0))
        .await
        .unwrap();
    privacy::insert_decision(&mut tx, &dec("destroy", 5))
        .await
        .unwrap();
    let all = privacy::decisions(&mut tx).await.unwrap();
    assert_eq!(
        all.iter().map(|x| x.decision.as_str()).collect::<Vec<_>>(),
        ["keep", "destroy"]
    );
    assert_eq!(all[0].decided_by_name, w.worker.name);
    assert_eq!(all[0].keep_until, Some(d("2030-01-01")));
    tx.commit().await.unwrap();

    // A keep without a date is refused by the database too.
    let mut tx = db.begin_write().await.unwrap();
    let mut bad = dec("keep", 9);
    bad.keep_until = None;
    assert!(privacy::insert_decision(&mut tx, &bad).await.is_err());
    drop(tx);

    // Subject access.
    let mut tx = db.begin_write().await.unwrap();
    let rid = Uuid::now_v7();
    let req = privacy::SubjectAccessRequest {
        id: rid,
        child_id: w.child.id.0,
        child_name: String::new(),
        la_child_id: String::new(),
        requester: "Sam Example".into(),
        relationship: "The child".into(),
        received_on: d("2026-11-02"),
        identity_checked: true,
        extended: false,
        extension_reason: None,
        due_on: d("2026-12-02"),
        logged_by: w.worker.id.0,
        logged_by_name: String::new(),
        logged_at: now(),
        assembled_at: None,
        exported_at: None,
        exported_by: None,
    };
    privacy::insert_request(&mut tx, &req).await.unwrap();
    let got = privacy::get_request(&mut tx, rid).await.unwrap().unwrap();
    assert_eq!(got.child_name, w.child.full_name());
    assert_eq!(got.la_child_id, w.child.la_child_id);
    assert_eq!(
        (
            got.received_on,
            got.due_on,
            got.identity_checked,
            got.extended
        ),
        (d("2026-11-02"), d("2026-12-02"), true, false)
    );
    assert!(
        privacy::get_request(&mut tx, Uuid::now_v7())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(privacy::list_requests(&mut tx).await.unwrap().len(), 1);

    assert!(privacy::mark_assembled(&mut tx, rid, now()).await.unwrap());
    assert!(!privacy::mark_assembled(&mut tx, rid, now()).await.unwrap());
    for (pos, names) in [(1, ""), (2, "Dean Hart")] {
        privacy::insert_item(
            &mut tx,
            &privacy::SubjectAccessItem {
                request_id: rid,
                position: pos,
                section: "notes".into(),
                title: format!("Note {pos}"),
                original: format!("Seen with Dean Hart ({pos})"),
                names: names.into(),
                decision: None,
                redacted: None,
                exemption: None,
                decided_by: None,
                decided_at: None,
            },
        )
        .await
        .unwrap();
    }
    assert!(
        privacy::decide_item(
            &mut tx,
            rid,
            2,
            "redact",
            Some("Seen with [a friend] (2)"),
            Some("third_party"),
            w.worker.id,
            now()
        )
        .await
        .unwrap()
    );
    assert!(
        !privacy::decide_item(&mut tx, rid, 9, "release", None, None, w.worker.id, now())
            .await
            .unwrap()
    );
    let items = privacy::items(&mut tx, rid).await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].decision.as_deref(), Some("redact"));
    assert_eq!(
        items[1].redacted.as_deref(),
        Some("Seen with [a friend] (2)")
    );
    assert_eq!(items[1].decided_by, Some(w.worker.id.0));
    assert!(items[0].decision.is_none());
    assert!(
        privacy::mark_exported(&mut tx, rid, now(), w.worker.id)
            .await
            .unwrap()
    );
    assert!(
        !privacy::mark_exported(&mut tx, rid, now(), w.worker.id)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();

    // A redaction without a redacted copy is refused by the database.
    let mut tx = db.begin_write().await.unwrap();
    assert!(
        privacy::decide_item(
            &mut tx,
            rid,
            1,
            "redact",
            None,
            Some("third_party"),
            w.worker.id,
            now()
        )
        .await
        .is_err()
    );
}
