//! Storage tests. Every story runs on SQLite (a temp file) and on PostgreSQL
//! (a fresh database per test, from `HARBOUR_TEST_PG_URL`). The `_pg`
//! variants fail, never skip, when PostgreSQL is not configured: run them
//! through `scripts/test.sh`, which starts a throwaway cluster.

mod contexts;
mod edt;
mod jobs;
mod oidc;
mod panel;
mod privacy;
mod reports;
mod schools;
mod screening;
mod stories;
mod tamper;

use harbour_db::{Db, DbOptions};

/// A migrated SQLite database in a temp dir (kept alive by the returned guard).
pub async fn sqlite() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/t.db", dir.path().display());
    let db = Db::connect(&url, &DbOptions::default()).await.unwrap();
    db.migrate().await.unwrap();
    (db, dir)
}

/// A migrated, fresh PostgreSQL database.
pub async fn postgres() -> Db {
    let base = std::env::var("HARBOUR_TEST_PG_URL").expect(
        "HARBOUR_TEST_PG_URL is not set. The PostgreSQL tests need a server: run scripts/test.sh, which starts a throwaway cluster (see docs/OPERATIONS-POSTGRES.md).",
    );
    let admin = Db::connect(
        &base,
        &DbOptions {
            max_connections: 2,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let name = format!("harbour_t_{}", uuid::Uuid::now_v7().simple());
    if let Db::Postgres(p) = &admin {
        sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
            .execute(p)
            .await
            .unwrap();
    }
    admin.close().await;
    let (prefix, _) = base.rsplit_once('/').unwrap();
    let db = Db::connect(
        &format!("{prefix}/{name}"),
        &DbOptions {
            max_connections: 8,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    db.migrate().await.unwrap();
    db
}

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let (db, _dir) = crate::sqlite().await;
                    crate::stories::$name(db).await;
                }
            )*
        }
        mod on_postgres {
            $(
                paste_pg!($name);
            )*
        }
    };
}

macro_rules! paste_pg {
    ($name:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let db = crate::postgres().await;
            crate::stories::$name(db).await;
        }
    };
}

both!(
    every_query_prepares,
    people_children_and_facts,
    one_open_allocation_per_child,
    audit_chain_appends_and_verifies,
    audit_rows_cannot_be_changed,
    sessions_are_revocable,
    concurrent_audit_appends_keep_the_chain,
    missing_interviews_and_findings,
    philomena_versions_are_append_only_and_keep_their_photo,
    philomena_photos_are_checked_by_the_database_too,
    caseload_facts_overrides_and_snapshots,
    supervision_is_recorded_once_and_reviewed,
    group_supervision_is_on_every_attendees_file,
    screenings_and_escalation_proposals,
    contexts_links_and_suggestion_decisions,
    out_of_hours_contacts_handovers_alerts_and_support,
    jobs_claim_lease_retry_and_give_up,
    concurrent_claimers_take_each_job_once,
    audit_tampering_is_detected_each_way,
    audit_checkpoints_are_stored_once_and_append_only,
    retention_facts_decisions_and_subject_access,
    sign_ons_are_single_use_and_identities_unique
);

/// PostgreSQL only: `for update skip locked` lets a second connection claim
/// while the first holds its job's lock (SQLite has one writer, so a second
/// write transaction waits by design).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skip_locked_on_two_connections_pg() {
    let db = postgres().await;
    jobs::skip_locked_on_two_connections(db).await;
}

#[test]
fn migration_versions_match_on_both_backends() {
    let (s, p) = harbour_db::migration_versions();
    assert!(!s.is_empty());
    assert_eq!(s, p);
}
