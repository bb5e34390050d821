//! Harbour's use-cases. Each public function on [`App`] follows one path:
//! policy decision → transaction → repositories → audit row (same
//! transaction) → commit. Handlers in the web crate extract input, call one
//! of these, and render. Denials are audited too, in their own transaction.

pub mod admin;
pub mod auth;
pub mod caseload;
pub mod checkpoints;
pub mod children;
pub mod config;
pub mod contexts;
pub mod demo;
pub mod edt;
pub mod findings;
pub mod jobs;
pub mod mail;
pub mod missing;
pub mod oidc;
pub mod oversight;
pub mod panel;
pub mod philomena;
pub mod privacy;
pub mod reports;
pub mod rhi;
pub mod schools;
pub mod screening;
pub mod ssda903;
pub mod supervision;
pub mod tasks;
pub mod two_factor;

use chrono::{DateTime, SubsecRound, Utc};
use harbour_db::{Db, DbError, Tx};
use harbour_domain::audit::{AuditEvent, Outcome};
use harbour_domain::authz::{Actor, Denied};
use harbour_domain::model::User;
use harbour_domain::validate::FieldErrors;
use std::sync::Arc;

pub use config::Config;

/// Where "now" comes from. Injected so tests can fix time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant, UTC, truncated to microseconds (what PostgreSQL keeps).
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

/// A clock that stands still (for tests), settable.
#[derive(Debug)]
pub struct FixedClock(pub std::sync::Mutex<DateTime<Utc>>);

impl FixedClock {
    /// Fixed at `at`.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(std::sync::Mutex::new(at.trunc_subsecs(6)))
    }
    /// Move time on.
    pub fn advance(&self, by: chrono::TimeDelta) {
        let mut g = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *g += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What went wrong, in terms a handler can map to a status and a page.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not signed in, or the session ended.
    #[error("sign in to continue")]
    Unauthenticated,
    /// The policy refused.
    #[error("you do not have access")]
    Forbidden(Option<Denied>),
    /// No such record (or one the user may not know exists).
    #[error("not found")]
    NotFound,
    /// The input has problems; nothing was written.
    #[error("there is a problem with the input")]
    Validation(FieldErrors),
    /// The request conflicts with the current state (e.g. duplicate).
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts.
    #[error("too many attempts")]
    TooManyRequests,
    /// The database is unreachable or overloaded.
    #[error("the service is temporarily unavailable")]
    Unavailable,
    /// The database cannot take writes: its disk is full or it is read-only.
    /// Nothing was saved; reads may still work.
    #[error("{}", .0.message())]
    CannotSave(SaveBlocked),
    /// Anything else. The message is for logs, never for users.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(_) => AppError::Unavailable,
            DbError::DiskFull(_) => AppError::CannotSave(SaveBlocked::DiskFull),
            DbError::ReadOnly(_) => AppError::CannotSave(SaveBlocked::ReadOnly),
            DbError::UniqueViolation => AppError::Conflict("That record already exists.".into()),
            DbError::Other(m) => AppError::Internal(m),
        }
    }
}

/// Why the database cannot take writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveBlocked {
    /// The disk holding the database is full.
    DiskFull,
    /// The database or its directory is read-only.
    ReadOnly,
}

impl SaveBlocked {
    /// What users and API clients are told (no internals: the cause is logged).
    pub fn message(self) -> &'static str {
        match self {
            SaveBlocked::DiskFull => {
                "Harbour cannot save right now: the database disk is full. Nothing was saved."
            }
            SaveBlocked::ReadOnly => {
                "Harbour cannot save right now: the database is read-only. Nothing was saved."
            }
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Validation(e)
    }
}

/// Result alias.
pub type AppResult<T> = Result<T, AppError>;

/// The signed-in user, as established for one request.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    /// The user's record.
    pub user: User,
    /// For the policy.
    pub actor: Actor,
    /// The session's token hash (None for API tokens).
    pub session: Option<String>,
}

/// One request's context: who, and which request (for the audit trail).
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The user.
    pub me: CurrentUser,
    /// The request id.
    pub request_id: String,
}

impl Ctx {
    /// An audit event by this user.
    pub fn event(
        &self,
        action: &str,
        target_kind: &str,
        target_id: Option<uuid::Uuid>,
        child_id: Option<uuid::Uuid>,
        outcome: Outcome,
        reason: Option<String>,
    ) -> AuditEvent {
        AuditEvent {
            actor_id: Some(self.me.user.id.0),
            actor_role: self.me.user.role.as_str().to_string(),
            action: action.to_string(),
            target_kind: target_kind.to_string(),
            target_id,
            child_id,
            outcome,
            reason,
            request_id: Some(self.request_id.clone()),
        }
    }
}

/// The application: storage, configuration and clock.
#[derive(Clone, Debug)]
pub struct App {
    /// Storage.
    pub db: Db,
    /// Configuration.
    pub config: Arc<Config>,
    /// Time.
    pub clock: Arc<dyn Clock>,
    /// Sign-in throttling per client address.
    pub throttle: Arc<auth::Throttle>,
    /// An optional PostgreSQL read replica for report and dashboard reads.
    pub replica: Option<Db>,
    /// The single sign-on provider's metadata and keys.
    pub oidc_cache: Arc<oidc::OidcCache>,
}

impl App {
    /// Build from parts.
    pub fn new(db: Db, config: Config, clock: Arc<dyn Clock>) -> Self {
        Self {
            db,
            config: Arc::new(config),
            clock,
            throttle: Arc::new(auth::Throttle::default()),
            replica: None,
            oidc_cache: Arc::new(oidc::OidcCache::default()),
        }
    }

    /// Send report and dashboard reads to a read replica.
    pub fn with_replica(mut self, replica: Db) -> Self {
        self.replica = Some(replica);
        self
    }

    /// A read-only transaction for report, dashboard and statistics reads:
    /// on the replica when one is configured and answers, else on the
    /// primary. Replicas lag by a little; these pages show counts over
    /// months, never a record just written.
    pub(crate) async fn begin_report_read(&self) -> AppResult<Tx> {
        if let Some(r) = &self.replica {
            match r.begin_read().await {
                Ok(tx) => return Ok(tx),
                Err(e) => {
                    tracing::warn!(error = %e, "read replica unavailable; reading from the primary")
                }
            }
        }
        Ok(self.db.begin_read().await?)
    }

    /// Whether the replica answers (`None` when none is configured).
    pub async fn replica_ready(&self) -> Option<bool> {
        match &self.replica {
            Some(r) => Some(r.ping().await),
            None => None,
        }
    }

    /// Now.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Append an audit row in `tx`.
    pub(crate) async fn audit(&self, tx: &mut Tx, ev: &AuditEvent) -> AppResult<()> {
        harbour_db::audit::append(tx, self.now(), ev).await?;
        Ok(())
    }

    /// Append several audit rows with a constant number of statements (for
    /// pages that audit each child they name).
    pub(crate) async fn audit_all(&self, tx: &mut Tx, evs: &[AuditEvent]) -> AppResult<()> {
        harbour_db::audit::append_many(tx, self.now(), evs).await?;
        Ok(())
    }

    /// Record a denial in its own transaction and return the error to raise.
    pub(crate) async fn deny(&self, ev: AuditEvent, denied: Option<Denied>) -> AppError {
        let r: AppResult<()> = async {
            let mut tx = self.db.begin_write().await?;
            self.audit(&mut tx, &ev).await?;
            tx.commit().await?;
            Ok(())
        }
        .await;
        match r {
            Ok(()) => AppError::Forbidden(denied),
            Err(e) => e,
        }
    }
}
