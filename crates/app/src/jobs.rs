//! Background jobs: a scheduler that enqueues the periodic jobs once per
//! period (whichever instance gets there first) and a runner that claims due
//! jobs, runs them and records the outcome, retrying with backoff. Every
//! `harbour serve` instance runs both unless configured otherwise
//! (`job_scheduler`, `job_runner`), so a job waits for any live instance.

use crate::{App, AppError, AppResult};
use chrono::TimeDelta;
use harbour_db::jobs::{self as repo, JobRow, NewJob};
use harbour_domain::jobs::{
    self as rules, AUDIT_CHECKPOINT, CASELOAD_SNAPSHOT, MAIL_OUTBOX, SESSION_PURGE,
};

/// How long a claimed job is leased to its runner. A runner that dies
/// holding a job gives it back when this runs out.
pub const LEASE: TimeDelta = TimeDelta::seconds(120);

/// Finished jobs are kept this long for operators to read, then deleted.
pub const KEEP_FINISHED: TimeDelta = TimeDelta::days(1);

/// What happened to a job a runner took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done.
    Done,
    /// Failed; tried again later.
    Retry(String),
    /// Failed for good.
    Failed(String),
}

/// A runner's name as recorded on the jobs it takes: host, process and the
/// address it serves, so an operator can tell instances apart.
pub fn runner_name(listen: &str) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "harbour".into());
    format!("{host}/{}/{listen}", std::process::id())
}

impl App {
    /// Enqueue this period's run of each periodic job, idempotently.
    /// Returns how many were new.
    pub async fn schedule_periodic_jobs(&self) -> AppResult<usize> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let mut n = 0;
        for p in rules::periodic(self.config.smtp.enabled()) {
            let key = rules::period_key(p, now);
            let job = NewJob {
                kind: p.kind,
                payload: "{}",
                unique_key: Some(&key),
                run_at: rules::period_start(now, p.every_seconds),
                max_attempts: rules::MAX_ATTEMPTS,
            };
            if repo::enqueue(&mut tx, &job, now).await? {
                n += 1;
            }
        }
        tx.commit().await?;
        Ok(n)
    }

    /// Enqueue one job of a known kind to run now (operators, tests).
    pub async fn enqueue_job(&self, kind: &str) -> AppResult<()> {
        if ![
            SESSION_PURGE,
            CASELOAD_SNAPSHOT,
            MAIL_OUTBOX,
            AUDIT_CHECKPOINT,
        ]
        .contains(&kind)
        {
            return Err(AppError::NotFound);
        }
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        repo::enqueue(
            &mut tx,
            &NewJob {
                kind,
                payload: "{}",
                unique_key: None,
                run_at: now,
                max_attempts: rules::MAX_ATTEMPTS,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Claim the next due job for `runner`, run it and record the outcome.
    /// `None` when nothing is due.
    pub async fn run_next_job(&self, runner: &str) -> AppResult<Option<(JobRow, Outcome)>> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let job = repo::claim(&mut tx, runner, now, now + LEASE).await?;
        tx.commit().await?;
        let Some(job) = job else { return Ok(None) };
        let result = if job.attempts > job.max_attempts {
            Err("the runner holding it stopped during its last attempt".to_string())
        } else {
            self.run_job(&job).await
        };
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let outcome = match result {
            Ok(()) => {
                repo::complete(&mut tx, job.id, runner, now).await?;
                Outcome::Done
            }
            Err(e) => match rules::retry_at(job.attempts, job.max_attempts, now) {
                Some(at) if job.attempts <= job.max_attempts => {
                    repo::fail(&mut tx, job.id, runner, &e, Some(at), now).await?;
                    Outcome::Retry(e)
                }
                _ => {
                    repo::fail(&mut tx, job.id, runner, &e, None, now).await?;
                    Outcome::Failed(e)
                }
            },
        };
        tx.commit().await?;
        Ok(Some((job, outcome)))
    }

    async fn run_job(&self, job: &JobRow) -> Result<(), String> {
        match job.kind.as_str() {
            SESSION_PURGE => {
                let n = self.purge_sessions().await.map_err(|e| e.to_string())?;
                if n > 0 {
                    tracing::info!(sessions.purged = n, "expired sessions removed");
                }
                let mut tx = self.db.begin_write().await.map_err(|e| e.to_string())?;
                repo::purge_finished(&mut tx, self.now() - KEEP_FINISHED)
                    .await
                    .map_err(|e| e.to_string())?;
                tx.commit().await.map_err(|e| e.to_string())
            }
            CASELOAD_SNAPSHOT => match self.take_caseload_snapshot().await {
                Ok(Some(n)) => {
                    tracing::info!(workers = n, "caseload snapshot taken");
                    Ok(())
                }
                Ok(None) => Ok(()),
                Err(e) => Err(e.to_string()),
            },
            MAIL_OUTBOX => match self.send_due_notifications().await {
                Ok(n) => {
                    if n > 0 {
                        tracing::info!(notifications.sent = n, "e-mails sent");
                    }
                    Ok(())
                }
                Err(e) => Err(e.to_string()),
            },
            AUDIT_CHECKPOINT => match self.audit_checkpoint_if_due().await {
                Ok(Some(c)) => {
                    tracing::info!(audit.seq = c.seq, "audit checkpoint signed");
                    Ok(())
                }
                Ok(None) => Ok(()),
                Err(e) => Err(e.to_string()),
            },
            other => Err(format!("unknown job kind {other}")),
        }
    }

    /// The newest jobs, for operators (`harbour jobs list`).
    pub async fn list_jobs(&self, limit: i64) -> AppResult<Vec<JobRow>> {
        let mut tx = self.db.begin_read().await?;
        let v = repo::list(&mut tx, limit).await?;
        tx.commit().await?;
        Ok(v)
    }
}
