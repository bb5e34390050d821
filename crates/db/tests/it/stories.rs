//! Storage stories, each an `async fn(Db)` run on both backends.

pub use crate::contexts::*;
pub use crate::edt::out_of_hours_contacts_handovers_alerts_and_support;
pub use crate::jobs::{concurrent_claimers_take_each_job_once, jobs_claim_lease_retry_and_give_up};
pub use crate::tamper::{
    audit_checkpoints_are_stored_once_and_append_only, audit_tampering_is_detected_each_way,
};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use harbour_db::{Db, DbError, Tx, audit, children, org, philomena, records, sessions, users};
use harbour_domain::Role;
use harbour_domain::audit::{AuditEvent, ChainVerifier, Outcome};
use harbour_domain::authz::{Actor, system_import};
use harbour_domain::codes::Sex;
use harbour_domain::ids::*;
use harbour_domain::model::*;
use harbour_domain::philomena::*;

pub use crate::oidc::sign_ons_are_single_use_and_identities_unique;
pub use crate::privacy::retention_facts_decisions_and_subject_access;
pub use crate::screening::screenings_and_escalation_proposals;

pub(crate) fn now() -> DateTime<Utc> {
    "2026-11-26T10:00:00.123456Z".parse().unwrap()
}

pub(crate) fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub(crate) struct World {
    pub(crate) org: Organisation,
    pub(crate) team: Team,
    pub(crate) worker: User,
    pub(crate) child: Child,
}

fn user(org: OrgId, team: Option<TeamId>, role: Role, email: &str) -> User {
    User {
        id: UserId::new(),
        email: email.into(),
        name: format!("Test {email}"),
        role,
        org_id: org,
        team_id: team,
        pod_id: None,
        fte_hundredths: 100,
        swe_number: Some("SW123456".into()),
        agency: false,
        asye_start: None,
        disabled_at: None,
        totp_enabled: false,
    }
}

/// Insert a social worker of `org` (no team) and return their id.
pub(crate) async fn insert_user(tx: &mut Tx, org: OrgId, email: &str) -> UserId {
    let u = user(org, None, Role::SocialWorker, email);
    users::insert(tx, &u, "$argon2id$x", None, now())
        .await
        .unwrap();
    u.id
}

pub(crate) async fn world(tx: &mut Tx) -> World {
    org::upsert_authority(
        tx,
        &Authority {
            la_code: "861".into(),
            name: "Stoke-on-Trent".into(),
        },
    )
    .await
    .unwrap();
    let o = Organisation {
        id: OrgId::new(),
        name: "Children's social care".into(),
        kind: OrgKind::SocialCare,
        la_code: Some("861".into()),
    };
    org::insert_org(tx, &o).await.unwrap();
    let pod = Pod {
        id: PodId::new(),
        name: "Pod A".into(),
    };
    org::insert_pod(tx, &pod).await.unwrap();
    let team = Team {
        id: TeamId::new(),
        name: "Team A".into(),
        pod_id: Some(pod.id),
        manager_id: None,
    };
    org::insert_team(tx, &team).await.unwrap();
    let worker = user(o.id, Some(team.id), Role::SocialWorker, "sw@test.example");
    users::insert(tx, &worker, "$argon2id$x", None, now())
        .await
        .unwrap();
    let child = Child {
        id: ChildId::new(),
        la_child_id: "T0001".into(),
        first_name: "Tyler".into(),
        last_name: "Johnson".into(),
        dob: d("2011-04-02"),
        sex: Sex::M,
        ethnicity: "WBRI".into(),
        upn: None,
        nhs_number: Some("9434765919".into()),
        responsible_la: "861".into(),
        host_la: None,
        school: None,
        restricted: false,
        created_at: now(),
    };
    children::insert(tx, &child, Some(worker.id)).await.unwrap();
    children::replace_name_keys(
        tx,
        child.id,
        &harbour_domain::search::name_keys(&["Tyler", "Johnson"]),
    )
    .await
    .unwrap();
    World {
        org: o,
        team,
        worker,
        child,
    }
}

pub(crate) fn allocation(w: &World, start: &str) -> Allocation {
    Allocation {
        id: AllocationId::new(),
        child_id: w.child.id,
        worker_id: w.worker.id,
        worker_name: w.worker.name.clone(),
        team_id: Some(w.team.id),
        start_date: d(start),
        end_date: None,
        sw_reason: "FCONTA".into(),
        recorded_by: w.worker.id,
        recorded_at: now(),
    }
}

pub async fn every_query_prepares(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    for (module, q) in harbour_db::queries::all() {
        let r = match &mut tx {
            Tx::Sqlite(t) => sqlx::Executor::prepare(
                &mut **t,
                sqlx::SqlSafeStr::into_sql_str(sqlx::AssertSqlSafe(q.clone())),
            )
            .await
            .map(|_| ()),
            Tx::Postgres(t) => sqlx::Executor::prepare(
                &mut **t,
                sqlx::SqlSafeStr::into_sql_str(sqlx::AssertSqlSafe(q.clone())),
            )
            .await
            .map(|_| ()),
        };
        assert!(r.is_ok(), "{module}: {q}\n{r:?}");
    }
    if let Tx::Postgres(t) = &mut tx {
        for q in harbour_db::jobs::PG_ONLY {
            let r = sqlx::Executor::prepare(&mut **t, sqlx::SqlSafeStr::into_sql_str(*q)).await;
            assert!(r.is_ok(), "jobs: {q}\n{r:?}");
        }
    }
}

pub async fn people_children_and_facts(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    let ok = system_import(w.child.id);
    records::insert_allocation(&mut tx, &ok, &allocation(&w, "2026-01-05"))
        .await
        .unwrap();
    let actor = Actor {
        user_id: w.worker.id,
        role: Role::SocialWorker,
        org_id: w.org.id,
        team_id: Some(w.team.id),
        pod_id: None,
    };
    let c = children::get_with_facts(&mut tx, &actor, w.child.id, now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        c.child, w.child,
        "round trip keeps every field (incl. microseconds)"
    );
    assert!(c.facts.allocated_to_actor);
    assert_eq!(c.facts.allocated_team, Some(w.team.id));
    assert_eq!(c.worker_name.as_deref(), Some(w.worker.name.as_str()));
    assert!(!c.facts.break_glass);
    assert_eq!(c.facts.share, None);

    // Search keys find it by a misspelling's sound and by prefix.
    let hits = children::search_by_name_key(
        &mut tx,
        &actor,
        now(),
        "jonhson",
        &harbour_domain::search::soundex("jonhson"),
    )
    .await
    .unwrap();
    assert_eq!(hits.len(), 1);
    let hits = children::search_by_name_key(&mut tx, &actor, now(), "ty", "T000")
        .await
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        children::search_by_identifier(&mut tx, &actor, now(), "9434765919")
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        children::search_by_dob(&mut tx, &actor, now(), d("2011-04-02"))
            .await
            .unwrap()
            .len(),
        1
    );

    // A share with the actor's organisation and a break-glass grant show in the facts; expired ones do not.
    let share = Share {
        id: ShareId::new(),
        child_id: w.child.id,
        org_id: w.org.id,
        org_name: String::new(),
        scope: ShareScope::Record,
        reason: "test".into(),
        granted_by: w.worker.id,
        granted_at: now(),
        expires_at: Some(now() + TimeDelta::hours(1)),
    };
    records::insert_share(&mut tx, &ok, &share).await.unwrap();
    let bg = BreakGlass {
        id: BreakGlassId::new(),
        user_id: w.worker.id,
        user_name: String::new(),
        child_id: w.child.id,
        reason: "emergency".into(),
        granted_at: now(),
        expires_at: now() + TimeDelta::minutes(30),
        reviewed_at: None,
    };
    records::insert_break_glass(&mut tx, &bg).await.unwrap();
    let c = children::get_with_facts(&mut tx, &actor, w.child.id, now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.facts.share, Some(ShareScope::Record));
    assert!(c.facts.break_glass);
    let later = now() + TimeDelta::hours(2);
    let c = children::get_with_facts(&mut tx, &actor, w.child.id, later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.facts.share, None);
    assert!(!c.facts.break_glass);

    // Notes keep event time apart from recording time.
    let note = CaseNote {
        id: NoteId::new(),
        child_id: w.child.id,
        author_id: w.worker.id,
        author_name: w.worker.name.clone(),
        kind: NoteKind::Visit,
        occurred_at: now() - TimeDelta::days(2),
        recorded_at: now(),
        subject: "Visit".into(),
        body: "Seen alone".into(),
        significant: true,
    };
    records::insert_note(&mut tx, &ok, &note).await.unwrap();
    assert_eq!(records::notes(&mut tx, &ok).await.unwrap(), vec![note]);
    tx.commit().await.unwrap();
}

pub async fn one_open_allocation_per_child(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    let ok = system_import(w.child.id);
    records::insert_allocation(&mut tx, &ok, &allocation(&w, "2026-01-05"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    let e = records::insert_allocation(&mut tx, &ok, &allocation(&w, "2026-02-05"))
        .await
        .unwrap_err();
    assert!(matches!(e, DbError::UniqueViolation), "{e:?}");
    drop(tx);
    let mut tx = db.begin_write().await.unwrap();
    assert!(
        records::end_open_allocation(&mut tx, &ok, d("2026-02-05"))
            .await
            .unwrap()
    );
    records::insert_allocation(&mut tx, &ok, &allocation(&w, "2026-02-05"))
        .await
        .unwrap();
    assert_eq!(records::allocations(&mut tx, &ok).await.unwrap().len(), 2);
    tx.commit().await.unwrap();
}

fn ev(action: &str) -> AuditEvent {
    AuditEvent {
        actor_id: None,
        actor_role: "system".into(),
        action: action.into(),
        target_kind: "test".into(),
        target_id: None,
        child_id: None,
        outcome: Outcome::Allow,
        reason: None,
        request_id: None,
    }
}

async fn verify(db: &Db) -> Result<i64, harbour_domain::audit::ChainBreak> {
    let mut tx = db.begin_read().await.unwrap();
    let (seq, hash) = audit::head(&mut tx).await.unwrap();
    let mut v = ChainVerifier::default();
    for e in audit::page(&mut tx, 0, 100_000).await.unwrap() {
        v.check(&e)?;
    }
    v.finish(seq, &hash)
}

pub async fn audit_chain_appends_and_verifies(db: Db) {
    for i in 0..5 {
        let mut tx = db.begin_write().await.unwrap();
        audit::append(
            &mut tx,
            now() + TimeDelta::seconds(i),
            &ev(&format!("a{i}")),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    // A rolled-back append leaves no trace and no gap.
    let mut tx = db.begin_write().await.unwrap();
    audit::append(&mut tx, now(), &ev("rolled back"))
        .await
        .unwrap();
    drop(tx);
    assert_eq!(verify(&db).await, Ok(5));
    // A batch (more than one multi-row insert) continues the same chain,
    // then a single append after it.
    let batch: Vec<_> = (0..1203).map(|i| ev(&format!("b{i}"))).collect();
    let mut tx = db.begin_write().await.unwrap();
    audit::append_many(&mut tx, now() + TimeDelta::seconds(9), &batch)
        .await
        .unwrap();
    audit::append_many(&mut tx, now(), &[]).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    audit::append(&mut tx, now() + TimeDelta::seconds(10), &ev("after"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(verify(&db).await, Ok(1209));
}

pub async fn audit_rows_cannot_be_changed(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    audit::append(&mut tx, now(), &ev("x")).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    let r = match &mut tx {
        Tx::Sqlite(t) => sqlx::query("update audit_log set action = 'y'")
            .execute(&mut **t)
            .await
            .map(|_| ()),
        Tx::Postgres(t) => sqlx::query("update audit_log set action = 'y'")
            .execute(&mut **t)
            .await
            .map(|_| ()),
    };
    assert!(r.is_err(), "update of an audit row must be refused");
    drop(tx);
    let mut tx = db.begin_write().await.unwrap();
    let r = match &mut tx {
        Tx::Sqlite(t) => sqlx::query("delete from audit_log")
            .execute(&mut **t)
            .await
            .map(|_| ()),
        Tx::Postgres(t) => sqlx::query("delete from audit_log")
            .execute(&mut **t)
            .await
            .map(|_| ()),
    };
    assert!(r.is_err(), "delete of an audit row must be refused");
}

pub async fn sessions_are_revocable(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    sessions::insert(
        &mut tx,
        "h1",
        w.worker.id,
        now(),
        now() + TimeDelta::hours(10),
    )
    .await
    .unwrap();
    sessions::insert(
        &mut tx,
        "h2",
        w.worker.id,
        now(),
        now() + TimeDelta::hours(10),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    assert!(sessions::get(&mut tx, "h1").await.unwrap().is_some());
    assert!(users::disable(&mut tx, w.worker.id, now()).await.unwrap());
    assert_eq!(
        sessions::delete_for_user(&mut tx, w.worker.id)
            .await
            .unwrap(),
        2
    );
    assert!(sessions::get(&mut tx, "h1").await.unwrap().is_none());
    assert!(
        users::get(&mut tx, w.worker.id)
            .await
            .unwrap()
            .unwrap()
            .disabled_at
            .is_some()
    );
    tx.commit().await.unwrap();
}

pub async fn concurrent_audit_appends_keep_the_chain(db: Db) {
    let mut tasks = Vec::new();
    for t in 0..8 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                let mut tx = db.begin_write().await.unwrap();
                audit::append(
                    &mut tx,
                    now() + TimeDelta::milliseconds(t * 100 + i),
                    &ev("concurrent"),
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(verify(&db).await, Ok(80));
}

fn profile(w: &World, version: i64, hair: &str, photo: Option<PhotoMeta>) -> PhilomenaProfile {
    PhilomenaProfile {
        child_id: w.child.id,
        version,
        details: ProfileDetails {
            description: PhysicalDescription {
                height: "5 ft 4 in".into(),
                build: "Slim".into(),
                hair: hair.into(),
                eyes: "Green".into(),
                marks: String::new(),
                clothing: "Black jacket".into(),
            },
            vulnerabilities: "None known".into(),
            associates: "Dee\nSam".into(),
            ..Default::default()
        },
        photo,
        recorded_by: w.worker.id,
        recorded_by_name: w.worker.name.clone(),
        recorded_at: now() + TimeDelta::minutes(version),
    }
}

/// Run one statement that should be refused (the append-only triggers).
async fn refused(db: &Db, sql: &'static str) -> bool {
    let mut tx = db.begin_write().await.unwrap();
    let r = match &mut tx {
        Tx::Sqlite(t) => sqlx::query(sql).execute(&mut **t).await.map(|_| ()),
        Tx::Postgres(t) => sqlx::query(sql).execute(&mut **t).await.map(|_| ()),
    };
    r.is_err()
}

pub async fn philomena_versions_are_append_only_and_keep_their_photo(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    let ok = system_import(w.child.id);
    assert!(philomena::current(&mut tx, &ok).await.unwrap().is_none());
    let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
    let photo = philomena::insert_photo(&mut tx, &ok, PhotoType::Png, &png, w.worker.id, now())
        .await
        .unwrap();
    assert_eq!(photo.size, png.len() as i64);
    let v1 = profile(&w, 1, "Brown", Some(photo.clone()));
    philomena::insert(&mut tx, &ok, &v1).await.unwrap();
    // Version 2 keeps the photo of version 1.
    let v2 = profile(&w, 2, "Red", Some(photo.clone()));
    philomena::insert(&mut tx, &ok, &v2).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = db.begin_read().await.unwrap();
    let cur = philomena::current(&mut tx, &ok).await.unwrap().unwrap();
    assert_eq!(cur, v2, "the highest version is current, and round-trips");
    assert_eq!(
        philomena::version(&mut tx, &ok, 1).await.unwrap().unwrap(),
        v1
    );
    assert!(philomena::version(&mut tx, &ok, 3).await.unwrap().is_none());
    let all = philomena::history(&mut tx, &ok).await.unwrap();
    assert_eq!(
        all.iter().map(|p| p.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    let (kind, bytes) = philomena::photo(&mut tx, &ok, photo.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((kind, bytes.as_slice()), (PhotoType::Png, &png[..]));
    // Another child's permission does not reach this photo.
    let other = system_import(ChildId::new());
    assert!(
        philomena::photo(&mut tx, &other, photo.id)
            .await
            .unwrap()
            .is_none()
    );
    drop(tx);

    // A second version 2 is a unique violation, not an overwrite.
    let mut tx = db.begin_write().await.unwrap();
    let e = philomena::insert(&mut tx, &ok, &profile(&w, 2, "Blue", None))
        .await
        .unwrap_err();
    assert!(matches!(e, DbError::UniqueViolation), "{e:?}");
    drop(tx);
    // Rows are never changed or deleted.
    assert!(refused(&db, "update philomena_profiles set hair = 'Blue'").await);
    assert!(refused(&db, "delete from philomena_profiles").await);
    assert!(
        refused(
            &db,
            "update philomena_photos set content_type = 'image/png'"
        )
        .await
    );
    assert!(refused(&db, "delete from philomena_photos").await);
}

pub async fn philomena_photos_are_checked_by_the_database_too(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    tx.commit().await.unwrap();
    let ok = system_import(w.child.id);
    // Larger than 2 MiB: refused by the check constraint even if the app let it through.
    let mut big = vec![0u8; 2 * 1024 * 1024 + 1];
    big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
    let mut tx = db.begin_write().await.unwrap();
    assert!(
        philomena::insert_photo(&mut tx, &ok, PhotoType::Jpeg, &big, w.worker.id, now())
            .await
            .is_err()
    );
    drop(tx);
    // A version cannot point at another child's photo.
    let mut tx = db.begin_write().await.unwrap();
    let mut c2 = w.child.clone();
    c2.id = ChildId::new();
    c2.la_child_id = "T0002".into();
    children::insert(&mut tx, &c2, None).await.unwrap();
    let theirs = philomena::insert_photo(
        &mut tx,
        &system_import(c2.id),
        PhotoType::Jpeg,
        &[0xFF, 0xD8, 0xFF, 0xE0],
        w.worker.id,
        now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    assert!(
        philomena::insert(&mut tx, &ok, &profile(&w, 1, "Brown", Some(theirs)))
            .await
            .is_err()
    );
}

/// Missing episodes, the one-open rule, the return, the interview queue and
/// the findings that follow: sharing decisions, a notification's life from
/// queued through a failed attempt to sent and received (once), people and
/// places named, and the host view's figures.
pub async fn missing_interviews_and_findings(db: Db) {
    use harbour_db::{findings, missing, rhi};
    use harbour_domain::findings::*;
    use harbour_domain::missing::*;
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    org::upsert_authority(
        &mut tx,
        &Authority {
            la_code: "330".into(),
            name: "Birmingham".into(),
        },
    )
    .await
    .unwrap();
    let provider = Organisation {
        id: OrgId::new(),
        name: "Safe Return".into(),
        kind: OrgKind::RhiProvider,
        la_code: None,
    };
    let bham = Organisation {
        id: OrgId::new(),
        name: "Birmingham Children's Trust".into(),
        kind: OrgKind::OtherAuthority,
        la_code: Some("330".into()),
    };
    org::insert_org(&mut tx, &provider).await.unwrap();
    org::insert_org(&mut tx, &bham).await.unwrap();
    assert!(
        findings::set_notify_email(&mut tx, bham.id, Some("missing@bham.test"))
            .await
            .unwrap()
    );
    let mut placed = w.child.clone();
    placed.id = ChildId::new();
    placed.la_child_id = "T0002".into();
    placed.responsible_la = "330".into();
    placed.host_la = Some("861".into());
    children::insert(&mut tx, &placed, Some(w.worker.id))
        .await
        .unwrap();
    let ok = system_import(placed.id);
    let seen = now() - TimeDelta::hours(30);
    let e = MissingEpisode {
        id: uuid::Uuid::now_v7(),
        child_id: placed.id,
        kind: MissingKind::Missing,
        from: MissingFrom::Placement,
        last_seen_at: seen,
        location_left: "Children's home".into(),
        reported_at: Some(seen + TimeDelta::minutes(40)),
        police_ref: Some("SP-1".into()),
        grade: None,
        circumstances: "Left by a window".into(),
        returned_at: None,
        found_where: None,
        found_by: None,
        recorded_by: w.worker.id,
        recorded_at: now(),
    };
    missing::insert(&mut tx, &ok, &e).await.unwrap();
    missing::insert_grade(
        &mut tx,
        &ok,
        e.id,
        PoliceGrade::High,
        seen,
        w.worker.id,
        now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // A second open episode for the same child is refused by the database
    // (in a transaction of its own: PostgreSQL aborts one after an error).
    let mut tx = db.begin_write().await.unwrap();
    let second = MissingEpisode {
        id: uuid::Uuid::now_v7(),
        last_seen_at: seen + TimeDelta::hours(1),
        ..e.clone()
    };
    assert!(matches!(
        missing::insert(&mut tx, &ok, &second).await,
        Err(DbError::UniqueViolation)
    ));
    drop(tx);

    let mut tx = db.begin_write().await.unwrap();
    let back = now() - TimeDelta::hours(20);
    let ret = missing::Return {
        returned_at: back,
        found_where: "Hanley bus station",
        found_by: "Police",
    };
    assert!(
        missing::record_return(&mut tx, &ok, e.id, &ret, w.worker.id, now())
            .await
            .unwrap()
    );
    assert!(
        !missing::record_return(&mut tx, &ok, e.id, &ret, w.worker.id, now())
            .await
            .unwrap()
    );
    let got = missing::get(&mut tx, e.id).await.unwrap().unwrap();
    assert_eq!(
        (got.last_seen_at, got.returned_at),
        (seen, Some(back)),
        "times round-trip exactly"
    );
    assert_eq!(got.grade, Some(PoliceGrade::High));
    assert_eq!(rhi::provider(&mut tx).await.unwrap(), Some(provider.id));
    let iid = rhi::insert(&mut tx, &ok, e.id, provider.id, rhi_due(back), now())
        .await
        .unwrap();
    let queue = rhi::queue(&mut tx, provider.id).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].returned_at, Some(back));
    let mut i = rhi::get(&mut tx, iid).await.unwrap().unwrap();
    i.outcome = RhiOutcome::Completed;
    i.offered_at = Some(back + TimeDelta::hours(2));
    i.held_at = Some(back + TimeDelta::hours(4));
    i.push_pull = Some("Wanted to see his brother".into());
    assert!(rhi::record(&mut tx, &i, w.worker.id, now()).await.unwrap());
    assert!(
        !rhi::record(&mut tx, &i, w.worker.id, now()).await.unwrap(),
        "recorded once"
    );
    assert!(rhi::queue(&mut tx, provider.id).await.unwrap().is_empty());

    // Decisions, notification and named people.
    let decisions = [
        ShareDecision {
            recipient: Recipient::PlacingAuthority,
            share: true,
            basis: Some(LawfulBasis::PublicTaskSafeguarding),
            reason: String::new(),
        },
        ShareDecision {
            recipient: Recipient::Police,
            share: false,
            basis: None,
            reason: "Told at the prevention interview".into(),
        },
    ];
    for d in &decisions {
        findings::insert_share(&mut tx, iid, d, w.worker.id, now())
            .await
            .unwrap();
    }
    let shares = findings::shares_for_child(&mut tx, &ok).await.unwrap();
    assert_eq!(shares.len(), 2);
    assert!(
        shares
            .iter()
            .any(|s| s.decision == decisions[1] && s.decided_by == w.worker.name)
    );
    let target = findings::target(&mut tx, "other_authority", Some("330"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (target.org_id, target.email.as_deref()),
        (bham.id, Some("missing@bham.test"))
    );
    assert!(
        findings::target(&mut tx, "other_authority", Some("895"))
            .await
            .unwrap()
            .is_none()
    );
    let n = Notification {
        id: uuid::Uuid::now_v7(),
        child_id: placed.id,
        interview_id: iid,
        recipient: Recipient::PlacingAuthority,
        org_id: Some(bham.id),
        org_name: bham.name.clone(),
        email: target.email.clone(),
        subject: "Findings".into(),
        body: "Wanted to see his brother".into(),
        basis: LawfulBasis::PublicTaskSafeguarding,
        status: DeliveryStatus::Queued,
        attempts: 0,
        last_error: None,
        created_at: now(),
        sent_at: None,
        received_at: None,
        received_by: None,
    };
    findings::insert_notification(&mut tx, &n, w.worker.id)
        .await
        .unwrap();
    let named = findings::Named {
        id: uuid::Uuid::now_v7(),
        kind: "person".into(),
        name: "Dee".into(),
        source: "rhi".into(),
        source_id: iid,
        named_at: back + TimeDelta::hours(4),
    };
    findings::insert_named(&mut tx, &ok, &named, w.worker.id, now())
        .await
        .unwrap();
    assert_eq!(
        findings::named_for_child(&mut tx, &ok).await.unwrap(),
        vec![named]
    );
    tx.commit().await.unwrap();

    // The outbox: due now, a failed attempt puts it off, then sent.
    let mut tx = db.begin_write().await.unwrap();
    let due = findings::due(&mut tx, now(), 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0], n);
    let later = now() + TimeDelta::minutes(1);
    assert!(
        findings::mark_failed_attempt(&mut tx, n.id, "refused", Some(later))
            .await
            .unwrap()
    );
    assert!(findings::due(&mut tx, now(), 10).await.unwrap().is_empty());
    assert_eq!(
        findings::due(&mut tx, later, 10).await.unwrap()[0].attempts,
        1
    );
    assert!(findings::mark_sent(&mut tx, n.id, later).await.unwrap());
    assert!(
        !findings::mark_sent(&mut tx, n.id, later).await.unwrap(),
        "only a queued one"
    );
    assert!(findings::due(&mut tx, later, 10).await.unwrap().is_empty());
    let reader = user(bham.id, None, Role::PartnerPractitioner, "p@bham.test");
    users::insert(&mut tx, &reader, "$argon2id$x", None, now())
        .await
        .unwrap();
    assert!(
        findings::mark_received(&mut tx, n.id, later, reader.id, &reader.name)
            .await
            .unwrap()
    );
    assert!(
        !findings::mark_received(&mut tx, n.id, later, reader.id, "Someone else")
            .await
            .unwrap()
    );
    let inbox = findings::for_org(&mut tx, bham.id).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(
        (
            inbox[0].status,
            inbox[0].attempts,
            inbox[0].received_by.as_deref(),
            inbox[0].sent_at
        ),
        (
            DeliveryStatus::Sent,
            2,
            Some(reader.name.as_str()),
            Some(later)
        )
    );
    assert_eq!(findings::for_child(&mut tx, &ok).await.unwrap().len(), 1);
    // Host view figures for the placed-in child only.
    let stats = findings::host_stats(&mut tx, "861", now() - TimeDelta::days(365), now())
        .await
        .unwrap();
    assert_eq!(stats.len(), 1);
    assert_eq!(stats[0].0, placed.id);
    assert_eq!(
        stats[0].1,
        findings::HostStats {
            episodes: 1,
            missing_now: false,
            awaiting: 0,
            overdue: 0,
            told: 1,
            received: 1,
            undelivered: 0,
        }
    );
    tx.commit().await.unwrap();
}

pub async fn caseload_facts_overrides_and_snapshots(db: Db) {
    use harbour_db::caseload;
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    let a = allocation(&w, "2026-01-05");
    let ok = system_import(w.child.id);
    records::insert_allocation(&mut tx, &ok, &a).await.unwrap();
    caseload::set_court_work(&mut tx, &ok, d("2026-06-01"), None, now())
        .await
        .unwrap();
    // A sibling held by the same worker, named in the first child's relationships.
    let sib = Child {
        id: ChildId::new(),
        la_child_id: "T0002".into(),
        first_name: "Amy".into(),
        ..w.child.clone()
    };
    children::insert(&mut tx, &sib, None).await.unwrap();
    records::insert_relationship(
        &mut tx,
        &ok,
        &Relationship {
            id: RelationshipId::new(),
            child_id: w.child.id,
            kind: RelationshipKind::Family,
            name: "amy johnson".into(),
            role: "Half-sister".into(),
            organisation: None,
            phone: None,
            parental_responsibility: false,
        },
    )
    .await
    .unwrap();
    let sib_ok = system_import(sib.id);
    records::insert_allocation(
        &mut tx,
        &sib_ok,
        &Allocation {
            id: AllocationId::new(),
            child_id: sib.id,
            ..allocation(&w, "2026-02-01")
        },
    )
    .await
    .unwrap();
    let since = now() - TimeDelta::days(90);
    let cases = caseload::open_cases(&mut tx, since, since, None)
        .await
        .unwrap();
    assert_eq!(cases.len(), 2);
    let mine = cases.iter().find(|c| c.child_id == w.child.id.0).unwrap();
    assert!(mine.court_work);
    assert_eq!(mine.worker_id, Some(w.worker.id.0));
    assert_eq!(mine.recent_missing, 0);
    let pairs = caseload::sibling_pairs(&mut tx, None).await.unwrap();
    assert_eq!(pairs, vec![(w.child.id.0, sib.id.0)]);
    assert_eq!(
        caseload::siblings_of(&mut tx, &sib_ok).await.unwrap().len(),
        1
    );
    assert_eq!(caseload::workers(&mut tx, None).await.unwrap().len(), 1);
    // The same, for the worker's team, and nothing for another team.
    let team = Some(w.team.id);
    assert_eq!(
        caseload::open_cases(&mut tx, since, since, team)
            .await
            .unwrap(),
        cases
    );
    assert_eq!(caseload::sibling_pairs(&mut tx, team).await.unwrap(), pairs);
    assert_eq!(caseload::workers(&mut tx, team).await.unwrap().len(), 1);
    let other = Some(TeamId::new());
    assert!(
        caseload::open_cases(&mut tx, since, since, other)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        caseload::sibling_pairs(&mut tx, other)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(caseload::workers(&mut tx, other).await.unwrap().is_empty());
    // Establishment.
    assert!(
        caseload::set_establishment(&mut tx, w.team.id, Some(650))
            .await
            .unwrap()
    );
    let teams = caseload::teams(&mut tx).await.unwrap();
    assert_eq!(teams[0].establishment_fte_hundredths, Some(650));
    // An override, reported for the team.
    caseload::insert_override(
        &mut tx,
        &ok,
        &caseload::NewOverride {
            id: uuid::Uuid::now_v7(),
            allocation_id: a.id,
            worker_id: w.worker.id,
            team_id: Some(w.team.id),
            breach: "asye_cap",
            projected_points: 95,
            capacity_points: 90,
            reason: "Knows the family well".into(),
            approved_by: w.worker.id,
            recorded_at: now(),
        },
    )
    .await
    .unwrap();
    let o = caseload::overrides_for_team(&mut tx, w.team.id, now() - TimeDelta::days(1))
        .await
        .unwrap();
    assert_eq!((o.len(), o[0].projected_points), (1, 95));
    // Snapshots: one row per week and worker.
    let row = caseload::SnapshotRow {
        week: "2026-W48".into(),
        worker_id: w.worker.id.0,
        team_id: Some(w.team.id.0),
        asye: false,
        fte_hundredths: 100,
        children: 2,
        points: 11,
        capacity_points: 100,
    };
    assert!(
        !caseload::snapshot_exists(&mut tx, "2026-W48")
            .await
            .unwrap()
    );
    caseload::insert_snapshot(&mut tx, &row, now())
        .await
        .unwrap();
    caseload::insert_snapshot(&mut tx, &row, now())
        .await
        .unwrap();
    assert!(
        caseload::snapshot_exists(&mut tx, "2026-W48")
            .await
            .unwrap()
    );
    assert_eq!(
        caseload::snapshots_since(&mut tx, "2026-W40")
            .await
            .unwrap(),
        vec![row]
    );
    let starts = caseload::allocation_starts(&mut tx, d("2026-01-01"), d("2026-01-31"))
        .await
        .unwrap();
    assert_eq!(starts.len(), 1);
    assert!(
        caseload::leavers(&mut tx, now() - TimeDelta::days(365))
            .await
            .unwrap()
            .is_empty()
    );
    tx.commit().await.unwrap();
}

/// Supervision recorded once: a signed-off session's case discussion and
/// action are on the child's record; the next session reviews the action;
/// a signed-off record cannot be changed; oversight entries wait for
/// confirmation and count towards the team's oversight marks.
pub async fn supervision_is_recorded_once_and_reviewed(db: Db) {
    use harbour_db::supervision as sv;
    use harbour_domain::supervision::*;
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    records::insert_allocation(
        &mut tx,
        &system_import(w.child.id),
        &allocation(&w, "2026-01-05"),
    )
    .await
    .unwrap();
    let manager = user(
        w.org.id,
        Some(w.team.id),
        Role::TeamManager,
        "tm@test.example",
    );
    users::insert(&mut tx, &manager, "$argon2id$x", None, now())
        .await
        .unwrap();
    let held: DateTime<Utc> = "2026-10-01T09:00:00Z".parse().unwrap();
    let mut s1 = Session {
        id: uuid::Uuid::now_v7(),
        supervisee_id: w.worker.id,
        supervisor_id: manager.id,
        kind: SupervisionKind::Case,
        format: SessionFormat::OneToOne,
        held_at: held,
        duration_minutes: 90,
        worker_notes: "Feeling stretched".into(),
        status: SessionStatus::Draft,
        drafted_by: manager.id,
        drafted_at: now(),
        signed_off_by: None,
        signed_off_at: None,
        recording_due: d("2026-10-08"),
    };
    sv::insert_session(&mut tx, &s1).await.unwrap();
    let ok = system_import(w.child.id);
    let disc = CaseDiscussion {
        id: uuid::Uuid::now_v7(),
        session_id: s1.id,
        child_id: w.child.id,
        analysis: "Missing twice this month".into(),
        decisions: "Strategy discussion".into(),
    };
    sv::insert_discussion(&mut tx, &ok, &disc, 0).await.unwrap();
    let act = SupervisionAction {
        id: uuid::Uuid::now_v7(),
        session_id: s1.id,
        child_id: Some(w.child.id),
        text: "Refer to the exploitation panel".into(),
        owner_id: w.worker.id,
        due: d("2026-10-15"),
        status: ActionStatus::Open,
    };
    sv::insert_action(&mut tx, Some(&ok), &act, 0, None)
        .await
        .unwrap();
    // A draft is not on the child's record yet.
    assert!(
        sv::discussions_for_child(&mut tx, &ok)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(sv::open_for(&mut tx, w.worker.id).await.unwrap().is_empty());
    s1.status = SessionStatus::SignedOff;
    s1.signed_off_by = Some(manager.id);
    s1.signed_off_at = Some(now());
    assert!(sv::update_draft(&mut tx, &s1).await.unwrap());
    // Signed off: on the child's record, on the worker's file, and open for review.
    let on_child = sv::discussions_for_child(&mut tx, &ok).await.unwrap();
    assert_eq!(on_child.len(), 1);
    assert_eq!(on_child[0].supervisor_name, manager.name);
    assert_eq!(on_child[0].held_at, held);
    assert_eq!(sv::actions_for_child(&mut tx, &ok).await.unwrap().len(), 1);
    assert_eq!(
        sv::discussions(&mut tx, s1.id).await.unwrap()[0].child_name,
        "Tyler Johnson"
    );
    let open = sv::open_for(&mut tx, w.worker.id).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].action.due, d("2026-10-15"));
    assert_eq!(
        sv::overdue_for_teams(&mut tx, Some(w.team.id), None, d("2026-10-16"))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        sv::overdue_for_teams(&mut tx, Some(w.team.id), None, d("2026-10-15"))
            .await
            .unwrap()
            .is_empty()
    );
    // Signed off: no longer a draft, so neither changed nor cleared.
    assert!(!sv::update_draft(&mut tx, &s1).await.unwrap());
    sv::clear_draft(&mut tx, s1.id).await.unwrap();
    assert_eq!(sv::actions(&mut tx, s1.id).await.unwrap().len(), 1);
    // The next session reviews the action.
    let s2 = Session {
        id: uuid::Uuid::now_v7(),
        held_at: "2026-11-02T09:00:00Z".parse().unwrap(),
        status: SessionStatus::Draft,
        signed_off_by: None,
        signed_off_at: None,
        ..s1.clone()
    };
    sv::insert_session(&mut tx, &s2).await.unwrap();
    let review = ActionReview {
        action_id: act.id,
        outcome: ActionStatus::Done,
        impact: "Panel met; plan in place".into(),
    };
    sv::insert_review(&mut tx, s2.id, &review).await.unwrap();
    assert!(
        sv::set_action_status(&mut tx, act.id, ActionStatus::Done)
            .await
            .unwrap()
    );
    assert!(
        !sv::set_action_status(&mut tx, act.id, ActionStatus::NotDone)
            .await
            .unwrap()
    );
    let reviews = sv::reviews(&mut tx, s2.id).await.unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].review, review);
    assert_eq!(reviews[0].action.action.text, act.text);
    assert!(sv::open_for(&mut tx, w.worker.id).await.unwrap().is_empty());
    assert_eq!(
        sv::for_supervisee(&mut tx, w.worker.id)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        sv::for_teams(&mut tx, None, w.team.pod_id)
            .await
            .unwrap()
            .len(),
        2
    );
    // A draft's content can be cleared and saved again.
    sv::clear_draft(&mut tx, s2.id).await.unwrap();
    assert!(sv::reviews(&mut tx, s2.id).await.unwrap().is_empty());
    // Oversight: recorded by a pod for the manager, pending until confirmed.
    let entry = OversightEntry {
        id: uuid::Uuid::now_v7(),
        child_id: w.child.id,
        kind: OversightKind::Decision,
        text: "Step down to child in need".into(),
        rationale: "Plan achieved".into(),
        manager_id: manager.id,
        manager_name: manager.name.clone(),
        recorded_by: w.worker.id,
        recorded_by_name: w.worker.name.clone(),
        at: now(),
        recorded_at: now(),
        confirmed_at: None,
    };
    sv::insert_oversight(&mut tx, &ok, &entry).await.unwrap();
    assert_eq!(
        sv::pending_oversight(&mut tx, manager.id)
            .await
            .unwrap()
            .len(),
        1
    );
    let marks = sv::oversight_marks(&mut tx, Some(w.team.id), None)
        .await
        .unwrap();
    assert_eq!(
        marks.len(),
        1,
        "the signed-off discussion only: the entry is unconfirmed"
    );
    assert!(
        sv::confirm_oversight(&mut tx, entry.id, now())
            .await
            .unwrap()
    );
    assert!(
        !sv::confirm_oversight(&mut tx, entry.id, now())
            .await
            .unwrap()
    );
    assert!(
        sv::pending_oversight(&mut tx, manager.id)
            .await
            .unwrap()
            .is_empty()
    );
    let got = sv::oversight_for_child(&mut tx, &ok).await.unwrap();
    assert_eq!(got[0].confirmed_at, Some(now()));
    assert_eq!(
        sv::oversight(&mut tx, entry.id).await.unwrap().unwrap().1,
        "Tyler Johnson"
    );
    assert_eq!(
        sv::oversight_marks(&mut tx, Some(w.team.id), None)
            .await
            .unwrap()
            .len(),
        2
    );
    tx.commit().await.unwrap();
    // The database refuses a signed-off record without who and when.
    assert!(refused(&db, "update supervision_sessions set signed_off_at = null").await);
}

/// Group supervision: one record with two attendees is on each attendee's
/// file; its discussion names the worker whose child it is; its actions are
/// reviewed at the supervisor's next group session, not at a one-to-one.
pub async fn group_supervision_is_on_every_attendees_file(db: Db) {
    use harbour_db::supervision as sv;
    use harbour_domain::supervision::*;
    let mut tx = db.begin_write().await.unwrap();
    let w = world(&mut tx).await;
    let manager = user(
        w.org.id,
        Some(w.team.id),
        Role::TeamManager,
        "tm@test.example",
    );
    let second = User {
        name: "Second Worker".into(),
        ..user(
            w.org.id,
            Some(w.team.id),
            Role::SocialWorker,
            "second@test.example",
        )
    };
    for u in [&manager, &second] {
        users::insert(&mut tx, u, "$argon2id$x", None, now())
            .await
            .unwrap();
    }
    let s = Session {
        id: uuid::Uuid::now_v7(),
        supervisee_id: second.id,
        supervisor_id: manager.id,
        kind: SupervisionKind::Case,
        format: SessionFormat::Group,
        held_at: "2026-10-01T09:00:00Z".parse().unwrap(),
        duration_minutes: 90,
        worker_notes: String::new(),
        status: SessionStatus::SignedOff,
        drafted_by: manager.id,
        drafted_at: now(),
        signed_off_by: Some(manager.id),
        signed_off_at: Some(now()),
        recording_due: d("2026-10-08"),
    };
    sv::insert_session(&mut tx, &s).await.unwrap();
    sv::set_attendees(&mut tx, s.id, &[second.id, w.worker.id])
        .await
        .unwrap();
    let ok = system_import(w.child.id);
    let disc = CaseDiscussion {
        id: uuid::Uuid::now_v7(),
        session_id: s.id,
        child_id: w.child.id,
        analysis: "Seen by the group".into(),
        decisions: String::new(),
    };
    sv::insert_discussion_for(&mut tx, &ok, &disc, 0, Some(w.worker.id))
        .await
        .unwrap();
    let act = SupervisionAction {
        id: uuid::Uuid::now_v7(),
        session_id: s.id,
        child_id: Some(w.child.id),
        text: "Share the pattern".into(),
        owner_id: w.worker.id,
        due: d("2026-10-15"),
        status: ActionStatus::Open,
    };
    sv::insert_action(&mut tx, Some(&ok), &act, 0, None)
        .await
        .unwrap();
    // On both files, with its attendees in order.
    for who in [second.id, w.worker.id] {
        let files = sv::for_supervisee(&mut tx, who).await.unwrap();
        assert_eq!(files.len(), 1);
        let names: Vec<String> = files[0].supervisees().into_iter().map(|x| x.1).collect();
        assert_eq!(
            names,
            vec!["Second Worker".to_string(), w.worker.name.clone()]
        );
        assert_eq!(sv::open_attended(&mut tx, who).await.unwrap().len(), 1);
    }
    assert_eq!(
        sv::session(&mut tx, s.id)
            .await
            .unwrap()
            .unwrap()
            .attendees
            .len(),
        2
    );
    // The discussion names the worker whose child it is, here and on the child.
    let ds = sv::discussions(&mut tx, s.id).await.unwrap();
    assert_eq!(ds[0].worker_id, w.worker.id.0);
    assert_eq!(ds[0].worker_name, w.worker.name);
    let on_child = sv::discussions_for_child(&mut tx, &ok).await.unwrap();
    assert_eq!(on_child[0].supervisee_name, w.worker.name);
    // Reviewed at the group's next session, not at a one-to-one.
    assert!(sv::open_for(&mut tx, second.id).await.unwrap().is_empty());
    assert!(sv::open_for(&mut tx, w.worker.id).await.unwrap().is_empty());
    assert_eq!(
        sv::open_for_group(&mut tx, manager.id).await.unwrap()[0]
            .action
            .id,
        act.id
    );
    // A signed-off group's attendees are not changed.
    assert!(
        sv::set_attendees(&mut tx, s.id, &[second.id])
            .await
            .is_err()
    );
    drop(tx);
}
