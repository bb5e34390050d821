//! Storage stories for contextual safeguarding: context records, their links
//! to children and decisions on suggested links, on both backends.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use harbour_db::contexts::{self as repo, SuggestionDecision};
use harbour_db::{Db, DbError, children, missing, org, users};
use harbour_domain::Role;
use harbour_domain::authz::system_import;
use harbour_domain::codes::Sex;
use harbour_domain::contexts::*;
use harbour_domain::ids::*;
use harbour_domain::missing::{MissingEpisode, MissingFrom, MissingKind};
use harbour_domain::model::*;

fn now() -> DateTime<Utc> {
    "2026-11-26T10:00:00.123456Z".parse().unwrap()
}

fn child(n: u32) -> Child {
    Child {
        id: ChildId::new(),
        la_child_id: format!("C{n:04}"),
        first_name: format!("Child{n}"),
        last_name: "Test".into(),
        dob: NaiveDate::from_ymd_opt(2011, 4, 2).unwrap(),
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

fn episode(c: ChildId, by: UserId, start_h: i64, end_h: i64, left: &str) -> MissingEpisode {
    MissingEpisode {
        id: uuid::Uuid::now_v7(),
        child_id: c,
        kind: MissingKind::Missing,
        from: MissingFrom::Home,
        last_seen_at: now() - TimeDelta::hours(start_h),
        location_left: left.into(),
        reported_at: None,
        police_ref: None,
        grade: None,
        circumstances: "Went out.".into(),
        returned_at: Some(now() - TimeDelta::hours(end_h)),
        found_where: Some("Found at Hanley bus station".into()),
        found_by: Some("Police".into()),
        recorded_by: by,
        recorded_at: now(),
    }
}

pub async fn contexts_links_and_suggestion_decisions(db: Db) {
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
    let police = Organisation {
        id: OrgId::new(),
        name: "Police".into(),
        kind: OrgKind::Police,
        la_code: None,
    };
    org::insert_org(&mut tx, &police).await.unwrap();
    let worker = User {
        id: UserId::new(),
        email: "sw@test.example".into(),
        name: "Worker".into(),
        role: Role::SocialWorker,
        org_id: police.id,
        team_id: None,
        pod_id: None,
        fte_hundredths: 100,
        swe_number: None,
        agency: false,
        asye_start: None,
        disabled_at: None,
        totp_enabled: false,
    };
    users::insert(&mut tx, &worker, "$argon2id$x", None, now())
        .await
        .unwrap();
    assert_eq!(
        repo::org_kind(&mut tx, police.id).await.unwrap(),
        Some(OrgKind::Police)
    );
    let (a, b) = (child(1), child(2));
    for c in [&a, &b] {
        children::insert(&mut tx, c, None).await.unwrap();
    }
    let place = ContextEntity {
        id: uuid::Uuid::now_v7(),
        kind: EntityKind::Location,
        name: "Hanley bus station".into(),
        location_type: Some(LocationType::TransportHub),
        postcode: Some("ST1 1AA".into()),
        description: "Bus station.".into(),
        source: Source::Practitioner,
        created_by: worker.id,
        created_at: now(),
    };
    let person = ContextEntity {
        id: uuid::Uuid::now_v7(),
        kind: EntityKind::Person,
        name: "\"Deano\" 50%_off".into(),
        location_type: None,
        postcode: None,
        description: "Older male.".into(),
        source: Source::Police,
        created_by: worker.id,
        created_at: now(),
    };
    repo::insert_entity(&mut tx, &place).await.unwrap();
    repo::insert_entity(&mut tx, &person).await.unwrap();
    assert_eq!(
        repo::get_entity(&mut tx, place.id).await.unwrap().as_ref(),
        Some(&place)
    );
    assert_eq!(repo::list_entities(&mut tx).await.unwrap().len(), 2);
    // Search by part of the name or postcode; % and _ are literal.
    let names = |v: Vec<ContextEntity>| v.into_iter().map(|e| e.name).collect::<Vec<_>>();
    assert_eq!(
        names(repo::search_entities(&mut tx, "HANLEY").await.unwrap()),
        vec!["Hanley bus station"]
    );
    assert_eq!(
        names(repo::search_entities(&mut tx, "st1 1").await.unwrap()),
        vec!["Hanley bus station"]
    );
    assert_eq!(
        repo::search_entities(&mut tx, "50%_").await.unwrap().len(),
        1
    );
    assert!(
        repo::search_entities(&mut tx, "%%")
            .await
            .unwrap()
            .is_empty()
    );

    let link = |c: &Child, e: &ContextEntity, role, source| ContextLink {
        id: uuid::Uuid::now_v7(),
        entity_id: e.id,
        child_id: c.id,
        role,
        source,
        confidence: Confidence::Likely,
        from_date: NaiveDate::from_ymd_opt(2026, 10, 1),
        to_date: None,
        named_id: None,
        recorded_by: worker.id,
        recorded_at: now(),
    };
    let la = link(&a, &place, LinkRole::Frequents, Source::Practitioner);
    let lb = link(&b, &person, LinkRole::SuspectedExploiter, Source::Police);
    repo::insert_link(&mut tx, &system_import(a.id), &la)
        .await
        .unwrap();
    repo::insert_link(&mut tx, &system_import(b.id), &lb)
        .await
        .unwrap();
    assert_eq!(
        repo::links_for_child(&mut tx, &system_import(a.id))
            .await
            .unwrap(),
        vec![la.clone()]
    );
    assert_eq!(
        repo::links_for_entity(&mut tx, person.id).await.unwrap(),
        vec![lb.clone()]
    );
    assert_eq!(repo::all_links(&mut tx).await.unwrap().len(), 2);

    // A correction and an ending, kept as history; another child's link is
    // not reachable through this child.
    let oka = system_import(a.id);
    assert_eq!(
        repo::link_of_child(&mut tx, &oka, la.id).await.unwrap(),
        Some(la.clone())
    );
    assert_eq!(
        repo::link_of_child(&mut tx, &oka, lb.id).await.unwrap(),
        None
    );
    let corrected = ContextLink {
        role: LinkRole::FoundAt,
        confidence: Confidence::Confirmed,
        to_date: NaiveDate::from_ymd_opt(2026, 11, 20),
        ..la.clone()
    };
    assert!(repo::update_link(&mut tx, &oka, &corrected).await.unwrap());
    assert_eq!(
        repo::link_of_child(&mut tx, &oka, la.id).await.unwrap(),
        Some(corrected.clone())
    );
    assert!(!repo::update_link(&mut tx, &oka, &lb).await.unwrap());
    for (i, (link, text)) in [
        (Some(la.id), "Role: Frequents → Found at"),
        (None, "Name changed"),
    ]
    .into_iter()
    .enumerate()
    {
        let c = repo::ContextChange {
            id: uuid::Uuid::now_v7(),
            entity_id: place.id,
            link_id: link,
            child_id: link.map(|_| a.id.0),
            change: text.into(),
            reason: "Police report".into(),
            changed_by: worker.id.0,
            changed_by_name: String::new(),
            changed_at: now() + TimeDelta::minutes(i as i64),
        };
        repo::insert_change(&mut tx, link.map(|_| &oka), &c)
            .await
            .unwrap();
    }
    let h = repo::changes_for_link(&mut tx, &oka, la.id).await.unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].change, "Role: Frequents → Found at");
    assert_eq!(h[0].changed_by_name, "Worker");
    assert_eq!(h[0].changed_at, now());
    assert!(
        repo::changes_for_link(&mut tx, &system_import(b.id), la.id)
            .await
            .unwrap()
            .is_empty()
    );
    let h = repo::changes_for_entity(&mut tx, place.id).await.unwrap();
    assert_eq!(
        h.iter().map(|c| c.change.as_str()).collect::<Vec<_>>(),
        vec!["Name changed"]
    );
    let renamed = ContextEntity {
        name: "Hanley bus station, stand F".into(),
        ..place.clone()
    };
    assert!(repo::update_entity(&mut tx, &renamed).await.unwrap());
    assert_eq!(
        repo::get_entity(&mut tx, place.id)
            .await
            .unwrap()
            .unwrap()
            .name,
        "Hanley bus station, stand F"
    );
    // Back as it was for the rest of the story.
    assert!(repo::update_entity(&mut tx, &place).await.unwrap());
    assert!(repo::update_link(&mut tx, &oka, &la).await.unwrap());

    let ea = episode(a.id, worker.id, 30, 20, "Hanley bus station");
    let eb = episode(b.id, worker.id, 25, 10, "hanley bus station (with friends)");
    missing::insert(&mut tx, &system_import(a.id), &ea)
        .await
        .unwrap();
    missing::insert(&mut tx, &system_import(b.id), &eb)
        .await
        .unwrap();
    let places = repo::episode_places(&mut tx).await.unwrap();
    assert_eq!(places.len(), 2);
    assert_eq!(places[0].span.id, ea.id);
    let spans: Vec<_> = places.iter().map(|p| p.span.clone()).collect();
    assert_eq!(suggest_links(&spans, now()).len(), 1);

    let (x, y) = if ea.id < eb.id {
        (ea.id, eb.id)
    } else {
        (eb.id, ea.id)
    };
    let dec = SuggestionDecision {
        episode_a: x,
        episode_b: y,
        entity_id: Some(place.id),
        decided_by: worker.id,
        decided_at: now(),
    };
    repo::insert_decision(&mut tx, &dec).await.unwrap();
    assert_eq!(repo::decisions(&mut tx).await.unwrap(), vec![dec.clone()]);
    tx.commit().await.unwrap();

    // A pair is decided once.
    let mut tx = db.begin_write().await.unwrap();
    let again = repo::insert_decision(
        &mut tx,
        &SuggestionDecision {
            entity_id: None,
            ..dec
        },
    )
    .await;
    assert!(matches!(again, Err(DbError::UniqueViolation)), "{again:?}");
    drop(tx);
    // The same role twice for one child and entity is refused.
    let mut tx = db.begin_write().await.unwrap();
    let dup = repo::insert_link(
        &mut tx,
        &system_import(a.id),
        &ContextLink {
            id: uuid::Uuid::now_v7(),
            ..la
        },
    )
    .await;
    assert!(matches!(dup, Err(DbError::UniqueViolation)), "{dup:?}");
    drop(tx);
    // A location needs its type; nothing else may have one.
    let mut tx = db.begin_write().await.unwrap();
    let bad = repo::insert_entity(
        &mut tx,
        &ContextEntity {
            id: uuid::Uuid::now_v7(),
            location_type: None,
            ..place
        },
    )
    .await;
    assert!(bad.is_err());
}
