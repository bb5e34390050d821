//! Test databases shared by the app crate's integration tests.

use harbour_db::{Db, DbOptions};

/// A fresh, migrated PostgreSQL database named `<prefix>_<uuidv7>` on the
/// server at `HARBOUR_TEST_PG_URL`; panics (never skips) when it is not set.
pub async fn fresh_pg(prefix: &str) -> Db {
    let base = std::env::var("HARBOUR_TEST_PG_URL").expect(
        "HARBOUR_TEST_PG_URL is not set. The PostgreSQL tests need a server: run scripts/test.sh, which starts a throwaway cluster.",
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
    let name = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
    if let Db::Postgres(p) = &admin {
        sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
            .execute(p)
            .await
            .unwrap();
    }
    admin.close().await;
    let (root, _) = base.rsplit_once('/').unwrap();
    let db = Db::connect(&format!("{root}/{name}"), &DbOptions::default())
        .await
        .unwrap();
    db.migrate().await.unwrap();
    db
}
