//! Storage stories for background jobs: idempotent periodic enqueue, claims
//! that never hand one job to two runners, lease expiry and lost leases.

use chrono::{DateTime, TimeDelta, Utc};
use harbour_db::{Db, jobs};
use std::collections::HashSet;

fn t0() -> DateTime<Utc> {
    "2026-11-26T10:00:00.123456Z".parse().unwrap()
}

fn job(kind: &str, key: Option<&'static str>, run_at: DateTime<Utc>) -> jobs::NewJob<'static> {
    jobs::NewJob {
        kind: if kind == "a" { "test.a" } else { "test.b" },
        payload: "{}",
        unique_key: key,
        run_at,
        max_attempts: 2,
    }
}

async fn claim(db: &Db, runner: &str, now: DateTime<Utc>) -> Option<jobs::JobRow> {
    let mut tx = db.begin_write().await.unwrap();
    let j = jobs::claim(&mut tx, runner, now, now + TimeDelta::seconds(60))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    j
}

/// A unique key enqueues once; two runners get different jobs; a job not yet
/// due is not claimed; an expired lease is taken over and the first runner's
/// late outcome is refused; failures retry until `max_attempts`, then stop.
pub async fn jobs_claim_lease_retry_and_give_up(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    assert!(
        jobs::enqueue(&mut tx, &job("a", Some("p:1"), t0()), t0())
            .await
            .unwrap()
    );
    assert!(
        !jobs::enqueue(&mut tx, &job("a", Some("p:1"), t0()), t0())
            .await
            .unwrap(),
        "the same period's job is enqueued once"
    );
    assert!(
        jobs::enqueue(&mut tx, &job("b", None, t0() + TimeDelta::seconds(1)), t0())
            .await
            .unwrap()
    );
    assert!(
        jobs::enqueue(&mut tx, &job("b", None, t0() + TimeDelta::hours(1)), t0())
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();

    let now = t0() + TimeDelta::seconds(2);
    let a = claim(&db, "one", now).await.expect("a due job");
    let b = claim(&db, "two", now).await.expect("another due job");
    assert_ne!(a.id, b.id, "two claimers never get the same job");
    assert_eq!(a.kind, "test.a");
    assert_eq!(a.attempts, 1);
    assert_eq!(a.locked_by.as_deref(), Some("one"));
    assert!(
        claim(&db, "three", now).await.is_none(),
        "the third job is not due and the others are leased"
    );

    // Runner "one" dies: after its lease, "three" takes job a over.
    let later = now + TimeDelta::seconds(61);
    let again = claim(&db, "three", later).await.expect("the expired lease");
    assert_eq!(again.id, a.id);
    assert_eq!(again.attempts, 2);
    let mut tx = db.begin_write().await.unwrap();
    assert!(
        !jobs::complete(&mut tx, a.id, "one", later).await.unwrap(),
        "a runner that lost its lease cannot record an outcome"
    );
    assert!(jobs::complete(&mut tx, a.id, "three", later).await.unwrap());
    // Job b fails once: retried after the backoff, not before.
    assert!(
        jobs::fail(
            &mut tx,
            b.id,
            "two",
            "mail server down",
            Some(later + TimeDelta::seconds(30)),
            later
        )
        .await
        .unwrap()
    );
    tx.commit().await.unwrap();
    assert!(claim(&db, "one", later).await.is_none());
    let retry = claim(&db, "one", later + TimeDelta::seconds(31))
        .await
        .expect("the retry");
    assert_eq!(retry.id, b.id);
    assert_eq!(retry.attempts, 2);
    assert_eq!(retry.last_error.as_deref(), Some("mail server down"));
    let mut tx = db.begin_write().await.unwrap();
    assert!(
        jobs::fail(&mut tx, b.id, "one", "still down", None, later)
            .await
            .unwrap()
    );
    let done = jobs::get(&mut tx, a.id).await.unwrap().unwrap();
    assert_eq!(done.state, "done");
    let failed = jobs::get(&mut tx, b.id).await.unwrap().unwrap();
    assert_eq!(failed.state, "failed");
    assert_eq!(failed.last_error.as_deref(), Some("still down"));
    assert_eq!(jobs::list(&mut tx, 10).await.unwrap().len(), 3);
    assert_eq!(
        jobs::purge_finished(&mut tx, later + TimeDelta::days(1))
            .await
            .unwrap(),
        2
    );
    assert_eq!(jobs::list(&mut tx, 10).await.unwrap().len(), 1);
    tx.commit().await.unwrap();
}

/// Many runners claiming at once (each in its own transaction) take every
/// due job exactly once.
pub async fn concurrent_claimers_take_each_job_once(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    for _ in 0..40 {
        jobs::enqueue(&mut tx, &job("a", None, t0()), t0())
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let mut tasks = Vec::new();
    for r in 0..4 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            while let Some(j) = claim(&db, &format!("runner-{r}"), t0()).await {
                got.push(j.id);
            }
            got
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let distinct: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), 40, "every job claimed");
    assert_eq!(distinct.len(), 40, "no job claimed twice");
}

/// PostgreSQL: while one connection holds a claimed job's row lock in an
/// open transaction, a second connection's claim skips it (no waiting) and
/// takes the next job.
pub async fn skip_locked_on_two_connections(db: Db) {
    let mut tx = db.begin_write().await.unwrap();
    jobs::enqueue(&mut tx, &job("a", None, t0()), t0())
        .await
        .unwrap();
    jobs::enqueue(&mut tx, &job("b", None, t0() + TimeDelta::seconds(1)), t0())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let now = t0() + TimeDelta::seconds(5);
    let lease = now + TimeDelta::seconds(60);
    let mut first = db.begin_write().await.unwrap();
    let a = jobs::claim(&mut first, "A", now, lease)
        .await
        .unwrap()
        .unwrap();
    // `first` is still open and holds the row lock on job a.
    let mut second = db.begin_write().await.unwrap();
    let b = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        jobs::claim(&mut second, "B", now, lease),
    )
    .await
    .expect("the second claim does not wait for the first transaction")
    .unwrap()
    .unwrap();
    assert_ne!(a.id, b.id);
    assert_eq!(a.kind, "test.a");
    assert_eq!(b.kind, "test.b");
    assert!(
        jobs::claim(&mut second, "B", now, lease)
            .await
            .unwrap()
            .is_none()
    );
    second.commit().await.unwrap();
    first.rollback().await.unwrap();
    // The rolled-back claim leaves job a free to take at once.
    let again = claim(&db, "C", now).await.unwrap();
    assert_eq!(again.id, a.id);
    assert_eq!(again.attempts, 1);
}
