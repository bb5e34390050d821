//! Tampering with the audit trail as the database's owner would: the
//! append-only triggers are dropped first (that is the attack), then rows are
//! changed, deleted, reordered or rewritten with fresh hashes. Each way must
//! be detected, naming the first broken entry.

use chrono::{DateTime, TimeDelta, Utc};
use harbour_db::{Db, audit};
use harbour_domain::audit::{
    AuditEntry, AuditEvent, ChainBreak, ChainVerifier, GENESIS_HASH, Outcome, chain_hash,
};

const N: i64 = 8;

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap()
}

/// Run statements directly on the database, as its owner.
async fn owner(db: &Db, sql: &str) {
    for stmt in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let q = sqlx::AssertSqlSafe(stmt.to_string());
        match db {
            Db::Sqlite { write, .. } => sqlx::query(q).execute(write).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query(q).execute(p).await.map(|_| ()),
        }
        .unwrap_or_else(|e| panic!("{stmt}: {e}"));
    }
}

/// Drop the append-only triggers, as someone with the owner's rights can.
async fn drop_triggers(db: &Db) {
    owner(
        db,
        match db {
            Db::Sqlite { .. } => {
                "drop trigger audit_log_no_update; drop trigger audit_log_no_delete"
            }
            Db::Postgres(_) => "drop trigger audit_log_no_update on audit_log",
        },
    )
    .await;
}

/// Empty the chain and append `N` entries (entry 6 a refusal).
async fn fresh_chain(db: &Db) {
    owner(
        db,
        &format!("delete from audit_log; update audit_head set seq = 0, hash = '{GENESIS_HASH}'"),
    )
    .await;
    for i in 1..=N {
        let mut tx = db.begin_write().await.unwrap();
        let e = AuditEvent {
            actor_id: Some(uuid::Uuid::now_v7()),
            actor_role: "social_worker".into(),
            action: format!("child.view.{i}"),
            target_kind: "child".into(),
            target_id: Some(uuid::Uuid::now_v7()),
            child_id: None,
            outcome: if i == 6 {
                Outcome::Deny
            } else {
                Outcome::Allow
            },
            reason: (i == 6).then(|| "no_relationship".to_string()),
            request_id: Some(format!("req-{i}")),
        };
        audit::append(&mut tx, t0() + TimeDelta::seconds(i), &e)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(verify(db).await, Ok(N), "a fresh chain verifies");
}

async fn entries(db: &Db) -> Vec<AuditEntry> {
    let mut tx = db.begin_read().await.unwrap();
    audit::page(&mut tx, i64::MIN, 100_000).await.unwrap()
}

async fn verify(db: &Db) -> Result<i64, ChainBreak> {
    let mut tx = db.begin_read().await.unwrap();
    let (seq, hash) = audit::head(&mut tx).await.unwrap();
    let mut v = ChainVerifier::default();
    for e in audit::page(&mut tx, i64::MIN, 100_000).await.unwrap() {
        v.check(&e)?;
    }
    v.finish(seq, &hash)
}

/// Rewrite entry `from` (a new action) and recompute every hash after it,
/// so each entry again follows its predecessor; optionally the head too.
async fn rewrite_and_rehash(db: &Db, from: i64, head_too: bool) {
    let mut es = entries(db).await;
    let mut prev = es[(from - 2) as usize].hash.clone();
    for e in es.iter_mut().skip((from - 1) as usize) {
        if e.seq == from {
            e.event.action = "note.create".into();
        }
        e.prev_hash = prev.clone();
        e.hash = chain_hash(&e.prev_hash, e.seq, e.at, &e.event);
        prev = e.hash.clone();
        owner(
            db,
            &format!(
                "update audit_log set action = '{}', prev_hash = '{}', hash = '{}' where seq = {}",
                e.event.action, e.prev_hash, e.hash, e.seq
            ),
        )
        .await;
    }
    if head_too {
        owner(
            db,
            &format!("update audit_head set hash = '{prev}' where id = 1"),
        )
        .await;
    }
}

pub async fn audit_tampering_is_detected_each_way(db: Db) {
    drop_triggers(&db).await;
    use ChainBreak::*;

    // Modify one field of an entry: each column the hash covers.
    let modifications: &[(&str, ChainBreak)] = &[
        (
            "update audit_log set action = 'child.search' where seq = 4",
            Content { seq: 4 },
        ),
        (
            "update audit_log set actor_role = 'sysadmin' where seq = 3",
            Content { seq: 3 },
        ),
        (
            "update audit_log set reason = null where seq = 6",
            Content { seq: 6 },
        ),
        (
            "update audit_log set request_id = 'other' where seq = 2",
            Content { seq: 2 },
        ),
        (
            "update audit_log set outcome = 'allow' where seq = 6",
            Content { seq: 6 },
        ),
        // Not a valid outcome: must not read back as the original `deny`.
        (
            "update audit_log set outcome = 'denied' where seq = 6",
            Content { seq: 6 },
        ),
        (
            "update audit_log set target_id = null where seq = 5",
            Content { seq: 5 },
        ),
        (
            "update audit_log set hash = prev_hash where seq = 5",
            Content { seq: 5 },
        ),
        (
            "update audit_log set prev_hash = hash where seq = 5",
            Link { seq: 5 },
        ),
        // Delete one in the middle, the first, the last ones.
        (
            "delete from audit_log where seq = 4",
            Sequence {
                expected: 4,
                found: 5,
            },
        ),
        (
            "delete from audit_log where seq = 1",
            Sequence {
                expected: 1,
                found: 2,
            },
        ),
        (
            "delete from audit_log where seq >= 7",
            Head { last: 6, head: 8 },
        ),
        // Moved before the start of the chain.
        (
            "update audit_log set seq = 0 where seq = 1",
            Sequence {
                expected: 1,
                found: 0,
            },
        ),
        // An entry added at the end (with a made-up hash).
        (
            "insert into audit_log (seq, at, actor_role, action, target_kind, outcome, prev_hash, hash) select 9, at, actor_role, action, target_kind, outcome, hash, hash from audit_log where seq = 8",
            Content { seq: 9 },
        ),
    ];
    for (sql, want) in modifications {
        fresh_chain(&db).await;
        owner(&db, sql).await;
        assert_eq!(verify(&db).await, Err(want.clone()), "{sql}");
    }

    // Swap two entries' order, sequence numbers changed but the chain paged
    // in order: entry 3 now holds the old entry 4, which does not follow 2.
    fresh_chain(&db).await;
    owner(&db, "update audit_log set seq = 100 where seq = 3; update audit_log set seq = 3 where seq = 4; update audit_log set seq = 4 where seq = 100").await;
    assert_eq!(verify(&db).await, Err(Link { seq: 3 }), "swapped 3 and 4");

    // Swap two entries' content, each keeping its place.
    fresh_chain(&db).await;
    let es = entries(&db).await;
    for (seq, from) in [(3usize, 4usize), (4, 3)] {
        let e = &es[from - 1];
        owner(
            &db,
            &format!(
                "update audit_log set action = '{}', request_id = '{}', prev_hash = '{}', hash = '{}' where seq = {seq}",
                e.event.action,
                e.event.request_id.as_deref().unwrap(),
                e.prev_hash,
                e.hash
            ),
        )
        .await;
    }
    assert_eq!(verify(&db).await, Err(Link { seq: 3 }), "swapped contents");

    // Rewrite entry 4 and re-hash the chain from there: every link holds,
    // the head does not.
    fresh_chain(&db).await;
    rewrite_and_rehash(&db, 4, false).await;
    assert_eq!(verify(&db).await, Err(HeadHash { seq: N }), "re-hashed");

    // With the head rewritten too, or the last entries cut and the head set
    // back, the chain alone verifies: that is what signed checkpoints are for
    // (crates/app/tests/checkpoints.rs).
    fresh_chain(&db).await;
    rewrite_and_rehash(&db, 4, true).await;
    assert_eq!(verify(&db).await, Ok(N), "re-hashed with the head");
    fresh_chain(&db).await;
    let h6 = entries(&db).await[5].hash.clone();
    owner(
        &db,
        &format!(
            "delete from audit_log where seq > 6; update audit_head set seq = 6, hash = '{h6}'"
        ),
    )
    .await;
    assert_eq!(verify(&db).await, Ok(6), "truncated with the head");
}

pub async fn audit_checkpoints_are_stored_once_and_append_only(db: Db) {
    use harbour_domain::checkpoint::Checkpoint;
    fresh_chain(&db).await;
    let mut tx = db.begin_write().await.unwrap();
    let (seq, hash) = audit::head(&mut tx).await.unwrap();
    let c = audit::StoredCheckpoint {
        checkpoint: Checkpoint {
            seq,
            hash: hash.clone(),
            at: t0() + TimeDelta::microseconds(1_234_567),
            entries: audit::count(&mut tx).await.unwrap(),
        },
        signature: "ab".repeat(64),
        public_key: "cd".repeat(32),
    };
    assert!(audit::insert_checkpoint(&mut tx, &c).await.unwrap());
    assert!(!audit::insert_checkpoint(&mut tx, &c).await.unwrap());
    assert_eq!(audit::entry_hash(&mut tx, seq).await.unwrap(), Some(hash));
    assert_eq!(audit::entry_hash(&mut tx, seq + 1).await.unwrap(), None);
    tx.commit().await.unwrap();
    let mut tx = db.begin_read().await.unwrap();
    assert_eq!(audit::checkpoints(&mut tx).await.unwrap(), vec![c.clone()]);
    assert_eq!(
        audit::latest_checkpoint_at(&mut tx).await.unwrap(),
        Some(c.checkpoint.at)
    );
    drop(tx);
    let r = match &db {
        Db::Sqlite { write, .. } => sqlx::query("delete from audit_checkpoints")
            .execute(write)
            .await
            .map(|_| ()),
        Db::Postgres(p) => sqlx::query("delete from audit_checkpoints")
            .execute(p)
            .await
            .map(|_| ()),
    };
    assert!(r.is_err(), "checkpoints are append-only");
}
