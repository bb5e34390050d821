//! `harbour audit verify` against a tampered database, on SQLite and
//! PostgreSQL, with and without signed checkpoints. The tampering is done as
//! the database's owner would: the append-only trigger is dropped first.

use harbour_db::{Db, DbOptions, audit};
use harbour_domain::audit::chain_hash;
use std::path::Path;
use std::process::{Command, Output};

struct Case {
    url: String,
    dir: tempfile::TempDir,
}

fn harbour(c: &Case, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harbour"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HARBOUR_DATABASE_URL", &c.url)
        .env("HARBOUR_PASSWORD_HASH_COST", "test")
        .env("HARBOUR_AUDIT_CHECKPOINT_KEY", c.dir.path().join("key.pem"))
        .env("HARBOUR_AUDIT_CHECKPOINT_DIR", c.dir.path().join("cp"))
        .output()
        .unwrap()
}

fn ok(c: &Case, args: &[&str]) -> String {
    let o = harbour(c, args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Verify with checkpoints; returns (success, stdout + stderr).
fn verify(c: &Case, with_checkpoints: bool) -> (bool, String) {
    let cp = c.dir.path().join("cp");
    let key = c.dir.path().join("key.pem.pub");
    let o = if with_checkpoints {
        harbour(
            c,
            &[
                "audit",
                "verify",
                "--checkpoints",
                cp.to_str().unwrap(),
                "--public-key",
                key.to_str().unwrap(),
            ],
        )
    } else {
        harbour(c, &["audit", "verify"])
    };
    (
        o.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

/// A database with 9 audit entries (the first organisation writes two),
/// checkpoints signed at entries 3 and 5.
async fn setup(pg: bool) -> Case {
    let dir = tempfile::tempdir().unwrap();
    let url = if pg {
        let base = std::env::var("HARBOUR_TEST_PG_URL").expect(
            "HARBOUR_TEST_PG_URL is not set: run scripts/test.sh (docs/OPERATIONS-POSTGRES.md)",
        );
        let name = format!("harbour_cli_{}", uuid::Uuid::now_v7().simple());
        let admin = sqlx::PgPool::connect(&base).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;
        format!("{}/{name}", base.rsplit_once('/').unwrap().0)
    } else {
        format!("sqlite://{}/h.db", dir.path().display())
    };
    let c = Case { url, dir };
    ok(&c, &["migrate"]);
    let key = c.dir.path().join("key.pem");
    ok(&c, &["audit", "keygen", "--out", key.to_str().unwrap()]);
    for i in 1..=6 {
        ok(
            &c,
            &[
                "org",
                "add",
                "--name",
                &format!("Org {i}"),
                "--kind",
                "police",
            ],
        );
        // Each checkpoint also appends its own audit row.
        if i == 2 || i == 3 {
            ok(&c, &["audit", "checkpoint"]);
        }
    }
    let (passed, out) = verify(&c, true);
    assert!(
        passed
            && out.contains(
                "Audit trail intact: 9 entries; 2 signed checkpoints hold (latest: entry 5)"
            ),
        "{out}"
    );
    c
}

async fn db(c: &Case) -> Db {
    Db::connect(&c.url, &DbOptions::default()).await.unwrap()
}

async fn owner(c: &Case, sql: &str) {
    let db = db(c).await;
    let drop = match &db {
        Db::Sqlite { .. } => {
            "drop trigger if exists audit_log_no_update; drop trigger if exists audit_log_no_delete"
        }
        Db::Postgres(_) => "drop trigger if exists audit_log_no_update on audit_log",
    };
    for stmt in drop.split("; ").chain(sql.split("; ")) {
        let q = sqlx::AssertSqlSafe(stmt.to_string());
        match &db {
            Db::Sqlite { write, .. } => sqlx::query(q).execute(write).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query(q).execute(p).await.map(|_| ()),
        }
        .unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
    db.close().await;
}

/// Rewrite entry 2 and re-hash every later entry and the head.
async fn rewrite_and_rehash(c: &Case) {
    let d = db(c).await;
    let mut tx = d.begin_read().await.unwrap();
    let mut es = audit::page(&mut tx, 0, 1000).await.unwrap();
    drop(tx);
    d.close().await;
    let mut prev = es[0].hash.clone();
    let mut sql = Vec::new();
    for e in es.iter_mut().skip(1) {
        if e.seq == 2 {
            e.event.action = "org.delete".into();
        }
        e.prev_hash = prev.clone();
        e.hash = chain_hash(&e.prev_hash, e.seq, e.at, &e.event);
        prev = e.hash.clone();
        sql.push(format!(
            "update audit_log set action = '{}', prev_hash = '{}', hash = '{}' where seq = {}",
            e.event.action, e.prev_hash, e.hash, e.seq
        ));
    }
    sql.push(format!(
        "update audit_head set hash = '{prev}' where id = 1"
    ));
    owner(c, &sql.join("; ")).await;
}

async fn all_ways(pg: bool) {
    // Modified, deleted, reordered: the chain alone names the first broken entry.
    let cases: &[(&str, &str)] = &[
        (
            "update audit_log set action = 'org.delete' where seq = 3",
            "entry 3 has been modified",
        ),
        (
            "delete from audit_log where seq = 2",
            "entry 3 found where entry 2 was expected",
        ),
        (
            "update audit_log set seq = 100 where seq = 2; update audit_log set seq = 2 where seq = 3; update audit_log set seq = 3 where seq = 100",
            "entry 2 does not follow the entry before it",
        ),
        (
            "delete from audit_log where seq >= 7",
            "the chain ends at entry 6 but the recorded head is entry 9",
        ),
    ];
    for (sql, want) in cases {
        let c = setup(pg).await;
        owner(&c, sql).await;
        for with in [false, true] {
            let (passed, out) = verify(&c, with);
            assert!(!passed && out.contains(want), "{sql} ({with}): {out}");
        }
    }

    // The last entries cut and the head set back: only the checkpoints see it.
    let c = setup(pg).await;
    owner(
        &c,
        "delete from audit_log where seq > 3; update audit_head set seq = 3, hash = (select hash from audit_log where seq = 3)",
    )
    .await;
    let (passed, out) = verify(&c, false);
    assert!(passed, "{out}");
    let (passed, out) = verify(&c, true);
    assert!(
        !passed
            && out.contains("checkpoint of entry 5")
            && out.contains("now ends at entry 3")
            && out.contains("1 of 2 checkpoints held"),
        "{out}"
    );

    // Rewritten from entry 2 with every hash and the head recomputed.
    let c = setup(pg).await;
    rewrite_and_rehash(&c).await;
    let (passed, out) = verify(&c, false);
    assert!(passed, "{out}");
    let (passed, out) = verify(&c, true);
    assert!(
        !passed
            && out.contains("checkpoint of entry 3")
            && out.contains("entry 3 no longer has the signed hash")
            && out.contains("0 of 2 checkpoints held"),
        "{out}"
    );

    // A checkpoint file edited to claim another head.
    let c = setup(pg).await;
    let f = c.dir.path().join("cp/checkpoint-000000000003.txt");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, text.replace("entries=3", "entries=2")).unwrap();
    let (passed, out) = verify(&c, true);
    assert!(
        !passed && out.contains("checkpoint-000000000003.txt: the signature does not match"),
        "{out}"
    );
    // A missing directory is an error, not a pass.
    assert!(!Path::new(&c.dir.path().join("none")).exists());
}

#[tokio::test]
async fn tampering_is_detected_by_the_command_sqlite() {
    all_ways(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampering_is_detected_by_the_command_pg() {
    all_ways(true).await;
}
