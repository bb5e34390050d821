//! Loading the demo authority into a fresh database, on SQLite and on
//! PostgreSQL (a fresh database from `HARBOUR_TEST_PG_URL`; the `_pg` test
//! fails, never skips, without it: run it through `scripts/test.sh`).

use chrono::{DateTime, TimeDelta, Utc};
use harbour_app::config::HashCost;
use harbour_app::demo::missing::PLACING_AUTHORITY_EMAIL;
use harbour_app::{App, Config, FixedClock};
use harbour_db::{Db, DbOptions, findings, missing, rhi, tasks, users};
use harbour_domain::Role;
use harbour_domain::findings::{DeliveryStatus, Recipient};
use std::sync::Arc;

mod common;

fn now() -> DateTime<Utc> {
    "2026-11-26T10:00:00Z".parse().unwrap()
}

async fn load_and_check(db: Db) {
    let config = Config {
        password_hash_cost: HashCost::Test,
        ..Config::default()
    };
    let app = App::new(db.clone(), config, Arc::new(FixedClock::new(now())));
    let s = app.load_demo().await.unwrap();
    assert!(s.children > 300);
    // The role sign-ins in role order, then the extra ones (the placing
    // authority's practitioner, a newly qualified worker).
    assert!(s.sign_ins.len() > Role::ALL.len());
    assert!(
        s.sign_ins
            .iter()
            .any(|d| d.email == "placing-authority@demo.harbour.test")
    );
    for (d, r) in s.sign_ins.iter().zip(Role::ALL) {
        assert_eq!(d.role, r);
    }
    let last = s.sign_ins.last().unwrap();
    assert_eq!(last.email, PLACING_AUTHORITY_EMAIL);
    assert_eq!(last.role, Role::PartnerPractitioner);
    assert!((5..=7).contains(&s.missing.missing_now), "{:?}", s.missing);

    let mut tx = db.begin_read().await.unwrap();
    // Children missing now.
    let open = missing::open_children(&mut tx).await.unwrap();
    assert_eq!(open.len(), s.missing.missing_now);
    for (_, seen) in &open {
        assert!(now() - *seen <= TimeDelta::hours(36));
    }
    // The provider's queue, with some overdue.
    let provider = rhi::provider(&mut tx).await.unwrap().unwrap();
    let queue = rhi::queue(&mut tx, provider).await.unwrap();
    let overdue = queue.iter().filter(|q| q.interview.due_at < now()).count();
    assert!((8..=10).contains(&overdue), "{overdue}");
    assert!(queue.len() > overdue);
    let counts = rhi::counts(&mut tx, now(), now() - TimeDelta::days(365))
        .await
        .unwrap();
    assert_eq!(counts.missing_now as usize, open.len());
    assert!(counts.completed > 40 && counts.declined > 0, "{counts:?}");
    assert!(
        rhi::repeat_missing(&mut tx, now() - TimeDelta::days(365), 4)
            .await
            .unwrap()
            >= 3
    );
    // The placing authority's inbox: findings notified to it, most opened.
    let pa = users::list(&mut tx)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == PLACING_AUTHORITY_EMAIL)
        .unwrap();
    let inbox = findings::for_org(&mut tx, pa.org_id).await.unwrap();
    assert!(
        inbox
            .iter()
            .any(|n| n.recipient == Recipient::PlacingAuthority && n.received_at.is_some())
    );
    assert!(inbox.iter().all(|n| n.status == DeliveryStatus::Sent));
    let host = findings::host_stats(&mut tx, "861", now() - TimeDelta::days(365), now())
        .await
        .unwrap();
    assert!(host.iter().any(|(_, h)| h.missing_now));
    assert!(host.iter().any(|(_, h)| h.told > 0 && h.received > 0));
    // The demo social worker has a missing report to respond to.
    let sw = users::list(&mut tx)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "social_worker@demo.harbour.test")
        .unwrap();
    let mine = tasks::open_for(&mut tx, sw.id, Role::SocialWorker)
        .await
        .unwrap();
    assert!(mine.iter().any(|t| t.kind == "missing.respond"));
    tx.commit().await.unwrap();

    // The audit chain holds, and a second load is refused.
    let chain = app.verify_audit_chain().await.unwrap();
    assert!(chain.broken.is_none());
    assert!(app.load_demo().await.is_err());
}

#[tokio::test]
async fn demo_loads_with_missing_history_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/t.db", dir.path().display());
    let db = Db::connect(&url, &DbOptions::default()).await.unwrap();
    db.migrate().await.unwrap();
    load_and_check(db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_loads_with_missing_history_pg() {
    load_and_check(common::fresh_pg("harbour_demo").await).await;
}

// ---------------------------------------------------------------------------
// SSDA903: the demo's return round-trips through the onboarding import into
// a fresh database, the import is idempotent, and a malformed file is
// rejected whole.

fn csv_files(e: &harbour_app::ssda903::Export) -> Vec<(String, String)> {
    e.tables
        .to_csv()
        .into_iter()
        .map(|(n, t)| (n.to_string(), t))
        .collect()
}

async fn ssda903_round_trip(source: Db, target: Db) {
    use harbour_db::org;
    use harbour_domain::ids::OrgId;
    use harbour_domain::model::{Authority, OrgKind, Organisation};
    let config = || Config {
        password_hash_cost: HashCost::Test,
        ..Config::default()
    };
    let a = App::new(source, config(), Arc::new(FixedClock::new(now())));
    a.load_demo().await.unwrap();
    let year = 2026;
    let first = a.export_ssda903_system(year).await.unwrap();
    assert!(first.tables.header.len() > 50 && first.tables.missing.len() > 3);
    assert!(
        first
            .tables
            .episodes
            .iter()
            .any(|e| e.rne.as_deref() != Some("S"))
    );
    let files = csv_files(&first);

    // A new authority's empty Harbour: the authority and its social care.
    let b = App::new(target.clone(), config(), Arc::new(FixedClock::new(now())));
    let mut tx = target.begin_write().await.unwrap();
    org::upsert_authority(
        &mut tx,
        &Authority {
            la_code: "861".into(),
            name: "Stoke-on-Trent".into(),
        },
    )
    .await
    .unwrap();
    org::insert_org(
        &mut tx,
        &Organisation {
            id: OrgId::new(),
            name: "Children's social care".into(),
            kind: OrgKind::SocialCare,
            la_code: Some("861".into()),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    // A malformed set is rejected whole, with file, row and column.
    let mut bad = files.clone();
    bad[1].1 = bad[1].1.replacen("\nDEMO", "\nDEMO-NOT-IN-HEADER", 1);
    let lines: Vec<&str> = bad[2].1.lines().collect();
    let mut broken = lines.clone();
    let mut cells: Vec<&str> = broken[1].split(',').collect();
    cells[3] = "2026-02-20";
    let row = cells.join(",");
    broken[1] = &row;
    bad[2].1 = broken.join("\n");
    bad.push((
        "extra.csv".into(),
        "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON,NOTE\n".into(),
    ));
    let problems = b
        .import_ssda903_system(year, &bad, &|_, _| {})
        .await
        .unwrap()
        .unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|p| p.starts_with("extra.csv, row 1: the columns")),
        "{text:#?}"
    );
    assert!(
        text.iter().any(|p| p.starts_with(
            "episodes.csv, row 2, column CHILD: this child is not in the Header file"
        )),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|p| p.starts_with("missing.csv, row 2, column MIS_START")),
        "{text:#?}"
    );
    let mut tx = target.begin_read().await.unwrap();
    assert_eq!(harbour_db::children::count(&mut tx).await.unwrap(), 0);
    tx.commit().await.unwrap();

    // Import, export again: the same files.
    let progress = std::sync::Mutex::new(Vec::new());
    let s = b
        .import_ssda903_system(year, &files, &|d, t| progress.lock().unwrap().push((d, t)))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.children, first.tables.header.len());
    assert_eq!(s.children_created, s.children);
    assert_eq!(
        progress.lock().unwrap().last(),
        Some(&(s.children, s.children))
    );
    let second = b.export_ssda903_system(year).await.unwrap();
    for ((name, want), (_, got)) in files.iter().zip(csv_files(&second)) {
        if *want != got {
            let diff: Vec<_> = want
                .lines()
                .zip(got.lines())
                .filter(|(x, y)| x != y)
                .take(5)
                .collect();
            panic!("{name} differs after the round trip: {diff:#?}");
        }
    }
    assert_eq!(first.xml, second.xml);

    // Again: nothing new, nothing changed.
    let again = b
        .import_ssda903_system(year, &files, &|_, _| {})
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            again.children_created,
            again.statuses,
            again.placements,
            again.missing,
            again.allocations
        ),
        (0, 0, 0, 0, 0)
    );
    let third = b.export_ssda903_system(year).await.unwrap();
    assert_eq!(csv_files(&third), files);
}

#[tokio::test]
async fn ssda903_round_trip_sqlite() {
    let d1 = tempfile::tempdir().unwrap();
    let d2 = tempfile::tempdir().unwrap();
    let mut dbs = Vec::new();
    for d in [&d1, &d2] {
        let url = format!("sqlite://{}/t.db", d.path().display());
        let db = Db::connect(&url, &DbOptions::default()).await.unwrap();
        db.migrate().await.unwrap();
        dbs.push(db);
    }
    let target = dbs.pop().unwrap();
    ssda903_round_trip(dbs.pop().unwrap(), target).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ssda903_round_trip_pg() {
    ssda903_round_trip(
        common::fresh_pg("harbour_903").await,
        common::fresh_pg("harbour_903").await,
    )
    .await;
}
