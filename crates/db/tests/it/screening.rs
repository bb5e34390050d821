//! Storage stories for exploitation screening and escalation proposals.

use chrono::{DateTime, TimeDelta, Utc};
use harbour_db::{Db, DbError, children, escalation, org, screening, users};
use harbour_domain::Role;
use harbour_domain::authz::system_import;
use harbour_domain::codes::Sex;
use harbour_domain::escalation::{Proposal, Status};
use harbour_domain::ids::*;
use harbour_domain::model::*;
use harbour_domain::screening::{Basis, Screening, Tick};

fn now() -> DateTime<Utc> {
    "2026-11-26T10:00:00.123456Z".parse().unwrap()
}

/// Screenings keep their ticks and come back newest first; they cannot be
/// changed; one proposal waits per child; a decision is stored once, and an
/// accepted proposal waits for the panel until marked referred.
pub async fn screenings_and_escalation_proposals(db: Db) {
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
        name: "Children's social care".into(),
        kind: OrgKind::SocialCare,
        la_code: None,
    };
    org::insert_org(&mut tx, &o).await.unwrap();
    let worker = User {
        id: UserId::new(),
        email: "sw@test.example".into(),
        name: "Sam Worker".into(),
        role: Role::SocialWorker,
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
    users::insert(&mut tx, &worker, "$argon2id$x", None, now())
        .await
        .unwrap();
    let child = Child {
        id: ChildId::new(),
        la_child_id: "S0001".into(),
        first_name: "Lily".into(),
        last_name: "Moss".into(),
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
    };
    children::insert(&mut tx, &child, Some(worker.id))
        .await
        .unwrap();
    let ok = system_import(child.id);
    let tick = |id: &str, high| Tick {
        indicator: id.into(),
        category: "cse".into(),
        label: format!("Label {id}"),
        high_risk: high,
        evidence: format!("Evidence for {id}"),
        basis: Basis::GutFeeling,
    };
    let s = |days: i64, level: &str, ticks: Vec<Tick>| Screening {
        id: uuid::Uuid::now_v7(),
        child_id: child.id,
        age: 12,
        level: level.into(),
        suggested: "High".into(),
        under_13: ticks.iter().any(|t| t.high_risk),
        ticks,
        peers: "Older group at the park".into(),
        summary: "Why".into(),
        recorded_by: worker.id,
        recorded_by_name: String::new(),
        recorded_at: now() - TimeDelta::days(days),
    };
    let first = s(30, "At risk", vec![]);
    let second = s(
        1,
        "High",
        vec![tick("older_boyfriend", true), tick("injuries", false)],
    );
    screening::insert(&mut tx, &ok, &first).await.unwrap();
    screening::insert(&mut tx, &ok, &second).await.unwrap();
    let got = screening::for_child(&mut tx, &ok).await.unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].id, second.id);
    assert_eq!(got[0].level, "High");
    assert!(got[0].under_13);
    assert_eq!(got[0].recorded_by_name, "Sam Worker");
    assert_eq!(got[0].recorded_at, second.recorded_at);
    let mut ticks = got[0].ticks.clone();
    ticks.sort_by(|a, b| a.indicator.cmp(&b.indicator));
    assert_eq!(
        ticks,
        vec![tick("injuries", false), tick("older_boyfriend", true)]
    );
    assert!(got[1].ticks.is_empty());
    tx.commit().await.unwrap();

    // Append-only.
    let mut tx = db.begin_write().await.unwrap();
    let r = harbour_db::on_tx!(&mut tx, |c| sqlx::query(
        "update screenings set level = 'None'"
    )
    .execute(c)
    .await
    .map(|r| r.rows_affected()));
    assert!(r.is_err());
    tx.rollback().await.unwrap();

    let mut tx = db.begin_write().await.unwrap();
    let p = |source: &str| Proposal {
        id: uuid::Uuid::now_v7(),
        child_id: child.id,
        grounds: "under_13_rule".into(),
        detail: "under-13 rule".into(),
        source: source.into(),
        proposed_at: now(),
        status: Status::Pending,
        decided_by: None,
        decided_by_name: None,
        decided_at: None,
        reason: None,
        referred_at: None,
    };
    let first = p("screening");
    escalation::insert(&mut tx, &ok, &first).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    let again = escalation::insert(&mut tx, &ok, &p("missing")).await;
    assert!(matches!(again, Err(DbError::UniqueViolation)), "{again:?}");
    tx.rollback().await.unwrap();

    let mut tx = db.begin_write().await.unwrap();
    let q = escalation::queue(&mut tx).await.unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].first_name, "Lily");
    let at = now() + TimeDelta::hours(1);
    assert!(
        escalation::decide(&mut tx, &ok, first.id, true, worker.id, at, "Refer")
            .await
            .unwrap()
    );
    // Decided once only.
    assert!(
        !escalation::decide(&mut tx, &ok, first.id, false, worker.id, at, "No")
            .await
            .unwrap()
    );
    let got = escalation::get(&mut tx, first.id).await.unwrap().unwrap();
    assert_eq!(got.status, Status::Accepted);
    assert_eq!(got.reason.as_deref(), Some("Refer"));
    assert_eq!(got.decided_by_name.as_deref(), Some("Sam Worker"));
    assert_eq!(got.decided_at, Some(at));
    assert!(escalation::queue(&mut tx).await.unwrap().is_empty());
    let waiting = escalation::accepted_unreferred(&mut tx).await.unwrap();
    assert_eq!(waiting.iter().map(|p| p.id).collect::<Vec<_>>(), [first.id]);
    assert!(
        escalation::mark_referred(&mut tx, first.id, at)
            .await
            .unwrap()
    );
    assert!(
        !escalation::mark_referred(&mut tx, first.id, at)
            .await
            .unwrap()
    );
    assert!(
        escalation::accepted_unreferred(&mut tx)
            .await
            .unwrap()
            .is_empty()
    );
    // A new proposal may wait once the first is decided.
    escalation::insert(&mut tx, &ok, &p("missing"))
        .await
        .unwrap();
    assert_eq!(escalation::for_child(&mut tx, &ok).await.unwrap().len(), 2);
    tx.commit().await.unwrap();
}
