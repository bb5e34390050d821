//! Out-of-hours storage stories, on both backends.

use crate::stories::{now, world};
use chrono::{DateTime, TimeDelta, Utc};
use harbour_db::{Db, DbError, edt, missing};
use harbour_domain::authz::system_import;
use harbour_domain::edt::*;
use harbour_domain::missing::{MissingEpisode, MissingFrom, MissingKind};
use uuid::Uuid;

/// Safety plans are versions; alerts expire and can be withdrawn once; a
/// contact links to one episode once; a handover is acknowledged once; the
/// service-wide lists see what is active, recent or still waiting.
pub async fn out_of_hours_contacts_handovers_alerts_and_support(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    let ok = system_import(w.child.id);
    let at = |h: i64| -> DateTime<Utc> { now() + TimeDelta::hours(h) };

    // Safety plan versions: the highest is current; a second version 1 is a conflict.
    let plan = |v: i64, text: &str| SafetyPlan {
        child_id: w.child.id,
        version: v,
        plan: text.into(),
        agreed_with: "Carers".into(),
        recorded_by: w.worker.id,
        recorded_by_name: String::new(),
        recorded_at: at(v),
    };
    assert!(edt::current_plan(&mut tx, &ok).await.unwrap().is_none());
    edt::insert_plan(&mut tx, &ok, &plan(1, "first"))
        .await
        .unwrap();
    edt::insert_plan(&mut tx, &ok, &plan(2, "second"))
        .await
        .unwrap();
    let cur = edt::current_plan(&mut tx, &ok).await.unwrap().unwrap();
    assert_eq!((cur.version, cur.plan.as_str()), (2, "second"));
    assert_eq!(cur.recorded_by_name, w.worker.name);
    tx.commit().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    assert!(matches!(
        edt::insert_plan(&mut tx, &ok, &plan(1, "again")).await,
        Err(DbError::UniqueViolation)
    ));
    drop(tx);

    // Alerts: active until expiry, withdrawn once.
    let mut tx = db.begin_write().await.unwrap();
    let alert = |hours: i64| EdtAlert {
        id: Uuid::now_v7(),
        child_id: w.child.id,
        if_happens: "goes missing".into(),
        then_do: "ring DS Patel".into(),
        expires_at: at(hours),
        created_by: w.worker.id,
        created_by_name: String::new(),
        created_at: now(),
        withdrawn_at: None,
    };
    let a1 = alert(12);
    let a2 = alert(48);
    edt::insert_alert(&mut tx, &ok, &a1).await.unwrap();
    edt::insert_alert(&mut tx, &ok, &a2).await.unwrap();
    let active = edt::active_alerts(&mut tx, at(1)).await.unwrap();
    assert_eq!(
        active.iter().map(|a| a.id).collect::<Vec<_>>(),
        [a1.id, a2.id]
    );
    assert_eq!(edt::active_alerts(&mut tx, at(13)).await.unwrap().len(), 1);
    assert!(
        edt::withdraw_alert(&mut tx, &ok, a2.id, w.worker.id, at(2))
            .await
            .unwrap()
    );
    assert!(
        !edt::withdraw_alert(&mut tx, &ok, a2.id, w.worker.id, at(3))
            .await
            .unwrap()
    );
    assert!(
        edt::active_alerts(&mut tx, at(13))
            .await
            .unwrap()
            .is_empty()
    );
    let got = edt::get_alert(&mut tx, a2.id).await.unwrap().unwrap();
    assert_eq!(got.withdrawn_at, Some(at(2)));
    assert_eq!(edt::alerts_for_child(&mut tx, &ok).await.unwrap().len(), 2);

    // A contact, its handover and the episode started from it.
    let c = OohContact {
        id: Uuid::now_v7(),
        child_id: w.child.id,
        received_at: now(),
        caller: "Jan Carter".into(),
        caller_agency: "Foster carer".into(),
        kind: ContactKind::Missing,
        reported: "Not back".into(),
        agencies: "Police".into(),
        actions: "Rang police".into(),
        outcome: "Reported".into(),
        placement_support: true,
        missing_episode_id: None,
        recorded_by: w.worker.id,
        recorded_by_name: String::new(),
        recorded_at: now(),
    };
    edt::insert_contact(&mut tx, &ok, &c).await.unwrap();
    let got = edt::get_contact(&mut tx, c.id).await.unwrap().unwrap();
    assert!(got.placement_support);
    assert_eq!(got.kind, ContactKind::Missing);
    assert_eq!(edt::contacts_since(&mut tx, at(-1)).await.unwrap().len(), 1);
    assert!(
        edt::contacts_since(&mut tx, at(1))
            .await
            .unwrap()
            .is_empty()
    );
    let e = MissingEpisode {
        id: Uuid::now_v7(),
        child_id: w.child.id,
        kind: MissingKind::Missing,
        from: MissingFrom::Placement,
        last_seen_at: at(-1),
        location_left: "Bus station".into(),
        reported_at: None,
        police_ref: None,
        grade: None,
        circumstances: "Not back".into(),
        returned_at: None,
        found_where: None,
        found_by: None,
        recorded_by: w.worker.id,
        recorded_at: now(),
    };
    missing::insert(&mut tx, &ok, &e).await.unwrap();
    assert!(edt::link_episode(&mut tx, &ok, c.id, e.id).await.unwrap());
    assert!(
        !edt::link_episode(&mut tx, &ok, c.id, e.id).await.unwrap(),
        "once"
    );
    assert_eq!(
        edt::contacts_for_child(&mut tx, &ok).await.unwrap()[0].missing_episode_id,
        Some(e.id)
    );
    let h = Handover {
        id: Uuid::now_v7(),
        contact_id: c.id,
        child_id: w.child.id,
        team_id: Some(w.team.id),
        due_at: at(24),
        acknowledged_at: None,
        acknowledged_by_name: None,
        note: None,
    };
    edt::insert_handover(&mut tx, &ok, &h).await.unwrap();
    assert_eq!(
        edt::handovers_open_or_since(&mut tx, at(0))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        edt::acknowledge(&mut tx, &ok, h.id, w.worker.id, at(25), Some("Visit"))
            .await
            .unwrap()
    );
    assert!(
        !edt::acknowledge(&mut tx, &ok, h.id, w.worker.id, at(26), None)
            .await
            .unwrap()
    );
    let got = edt::get_handover(&mut tx, h.id).await.unwrap().unwrap();
    assert_eq!(got.acknowledged_at, Some(at(25)));
    assert_eq!(
        got.acknowledged_by_name.as_deref(),
        Some(w.worker.name.as_str())
    );
    assert_eq!(got.state(at(30)), HandoverState::AcknowledgedLate);
    assert_eq!(
        edt::handovers_open_or_since(&mut tx, at(24))
            .await
            .unwrap()
            .len(),
        1,
        "recent"
    );
    assert!(
        edt::handovers_open_or_since(&mut tx, at(26))
            .await
            .unwrap()
            .is_empty()
    );

    // Placement support linked to the episode and the contact.
    let s = PlacementSupport {
        id: Uuid::now_v7(),
        child_id: w.child.id,
        placement_id: None,
        kind: SupportKind::StabilityConcern,
        occurred_at: now(),
        summary: "Carers struggling".into(),
        next_steps: String::new(),
        missing_episode_id: Some(e.id),
        contact_id: Some(c.id),
        recorded_by: w.worker.id,
        recorded_by_name: String::new(),
        recorded_at: now(),
    };
    edt::insert_support(&mut tx, &ok, &s).await.unwrap();
    let got = edt::support_for_child(&mut tx, &ok).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].kind, SupportKind::StabilityConcern);
    assert_eq!(got[0].missing_episode_id, Some(e.id));
    assert_eq!(got[0].contact_id, Some(c.id));
    tx.commit().await.unwrap();

    // A handover needs its contact (one handover per contact).
    let mut tx = db.begin_write().await.unwrap();
    let again = Handover {
        id: Uuid::now_v7(),
        ..h.clone()
    };
    assert!(matches!(
        edt::insert_handover(&mut tx, &ok, &again).await,
        Err(DbError::UniqueViolation)
    ));
}
