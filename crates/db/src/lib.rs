//! Storage for Harbour on SQLite (embedded default) and PostgreSQL
//! (production and scale-out) through one set of repositories.
//!
//! - [`Db`] holds the pools; [`Tx`] is an open transaction on either backend.
//! - Each repository function holds one portable SQL text (`$n` placeholders,
//!   `returning`, `on conflict`) in a lowercase `const` beside it, and runs it
//!   through [`on_tx!`], which expands one arm per backend so each compiles
//!   against a concrete driver and one `FromRow` struct decodes both.
//! - SQLite runs in WAL mode with `synchronous=FULL`, foreign keys on, a pool
//!   of readers and exactly one writer; writes begin with `BEGIN IMMEDIATE` so
//!   they queue for the lock instead of failing mid-transaction.
//! - Instants are bound from the application's clock (UTC, microseconds);
//!   SQL never calls `now()`.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

pub mod audit;
pub mod bulk;
pub mod caseload;
pub mod children;
pub mod contexts;
pub mod edt;
pub mod escalation;
pub mod findings;
pub mod jobs;
pub mod missing;
pub mod oidc;
pub mod org;
pub mod panel;
pub mod philomena;
pub mod privacy;
pub mod queries;
pub mod records;
pub mod reports;
pub mod rhi;
pub mod schools;
pub mod screening;
pub mod sessions;
pub mod ssda903;
pub mod supervision;
pub mod tasks;
pub mod users;

/// A storage error. Unique violations are told apart so callers can map them
/// to a conflict; outages, a full disk and a read-only database are told apart
/// so users get a clean "unavailable" answer (503) rather than an internal
/// error; everything else is an internal failure, never shown to users.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A unique constraint was violated.
    #[error("unique constraint violated")]
    UniqueViolation,
    /// The database could not be reached or is shutting down.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The disk holding the database is full: nothing more can be written.
    #[error("database disk full: {0}")]
    DiskFull(String),
    /// The database (or its directory) is read-only: nothing can be written.
    #[error("database read-only: {0}")]
    ReadOnly(String),
    /// Anything else.
    #[error("database error: {0}")]
    Other(String),
}

/// What a database error means for the caller, apart from its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Unreachable, shutting down, restarting, overloaded: try again shortly.
    Unavailable,
    /// The disk is full.
    DiskFull,
    /// The database refuses writes.
    ReadOnly,
    /// Anything else: a bug or corruption, an internal error.
    Other,
}

/// Classify a SQLite result code (primary or extended; see
/// <https://www.sqlite.org/rescode.html>): the primary code is its low byte.
pub fn sqlite_fault(code: i32) -> Fault {
    match code & 0xff {
        13 => Fault::DiskFull,         // SQLITE_FULL
        8 => Fault::ReadOnly,          // SQLITE_READONLY (and _DIRECTORY, _CANTINIT…)
        5 | 6 => Fault::Unavailable,   // SQLITE_BUSY, SQLITE_LOCKED past the busy timeout
        10 | 14 => Fault::Unavailable, // SQLITE_IOERR, SQLITE_CANTOPEN
        _ => Fault::Other,
    }
}

/// Classify a PostgreSQL SQLSTATE (Appendix A of the PostgreSQL manual).
pub fn pg_fault(sqlstate: &str) -> Fault {
    match sqlstate {
        "53100" => Fault::DiskFull, // disk_full
        "25006" => Fault::ReadOnly, // read_only_sql_transaction
        "53300" | "57P01" | "57P02" | "57P03" | "57P05" => Fault::Unavailable, // too many connections, shutdowns, starting up
        s if s.starts_with("08") => Fault::Unavailable, // connection exceptions
        _ => Fault::Other,
    }
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        let fault = match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => return DbError::UniqueViolation,
            sqlx::Error::Database(d) => {
                if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    d.code()
                        .and_then(|c| c.parse::<i32>().ok())
                        .map_or(Fault::Other, sqlite_fault)
                } else {
                    d.code().map_or(Fault::Other, |c| pg_fault(&c))
                }
            }
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::WorkerCrashed => Fault::Unavailable,
            _ => Fault::Other,
        };
        let m = e.to_string();
        match fault {
            Fault::Unavailable => DbError::Unavailable(m),
            Fault::DiskFull => DbError::DiskFull(m),
            Fault::ReadOnly => DbError::ReadOnly(m),
            Fault::Other => DbError::Other(m),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for DbError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        DbError::Other(e.to_string())
    }
}

/// Result alias.
pub type DbResult<T> = Result<T, DbError>;

/// Which engine a URL selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Backend {
    /// From a database URL's scheme.
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// Connection settings.
#[derive(Clone, Debug)]
pub struct DbOptions {
    /// Readers for SQLite; connections for PostgreSQL.
    pub max_connections: u32,
    /// How long to wait for a connection before answering "unavailable".
    pub acquire_timeout: Duration,
    /// Create a missing SQLite file (and its directory).
    pub create_if_missing: bool,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            max_connections: 8,
            acquire_timeout: Duration::from_secs(5),
            create_if_missing: true,
        }
    }
}

/// The database: pools for one backend.
#[derive(Clone, Debug)]
pub enum Db {
    /// SQLite: several readers, exactly one writer.
    Sqlite {
        /// Read-only connections.
        read: SqlitePool,
        /// The single writer.
        write: SqlitePool,
    },
    /// PostgreSQL.
    Postgres(PgPool),
}

/// An open transaction.
#[derive(Debug)]
pub enum Tx {
    /// On SQLite.
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    /// On PostgreSQL.
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Run one body per backend with `$c` bound to the transaction's connection.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$c:ident| $body:expr) => {{
        $crate::count_query();
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    }};
}

tokio::task_local! {
    static QUERY_COUNT: std::sync::Arc<std::sync::atomic::AtomicU64>;
}

/// Count one statement against the current task's counter, if it has one
/// (see [`count_queries`]). Every repository statement goes through [`on_tx!`],
/// which calls this.
pub fn count_query() {
    let _ = QUERY_COUNT.try_with(|c| c.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
}

/// Run `fut` and count the repository statements it issues in this task
/// (tests use it to prove a page's query count does not grow with its rows).
pub async fn count_queries<F: std::future::Future>(fut: F) -> (F::Output, u64) {
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let out = QUERY_COUNT.scope(counter.clone(), fut).await;
    (out, counter.load(std::sync::atomic::Ordering::Relaxed))
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// SQLite-only statement (not in the both-backend query list).
const VACUUM_INTO: &str = "vacuum into $1";

/// The migration versions each backend embeds (they must match).
pub fn migration_versions() -> (Vec<i64>, Vec<i64>) {
    (
        SQLITE_MIGRATIONS.iter().map(|m| m.version).collect(),
        POSTGRES_MIGRATIONS.iter().map(|m| m.version).collect(),
    )
}

/// Whether a pooled connection may be handed out: not when it still counts
/// itself inside a transaction. That happens after a failed commit (on a full
/// disk SQLite rolls the transaction back itself, so the rollback queued when
/// the transaction is dropped fails too): handed out again, every later
/// `BEGIN` on it would fail with "non-zero transaction depth", and with one
/// SQLite writer no write would succeed again until a restart. Returning
/// false makes the pool close it and open a fresh one. A rollback queued on
/// drop may not have run yet, so ask once more after a round trip (commands
/// run in order).
async fn not_stuck_in_transaction<C: sqlx::Connection>(c: &mut C) -> Result<bool, sqlx::Error> {
    if !c.is_in_transaction() {
        return Ok(true);
    }
    c.ping().await?;
    Ok(!c.is_in_transaction())
}

impl Db {
    /// Connect to the database a URL names (`sqlite://path` or `postgres://…`).
    /// SQLite files and their directory are created when missing.
    pub async fn connect(url: &str, opts: &DbOptions) -> DbResult<Db> {
        match Backend::from_url(url) {
            Some(Backend::Sqlite) => {
                let base = SqliteConnectOptions::from_str(url)
                    .map_err(|e| DbError::Other(format!("bad SQLite URL: {e}")))?
                    .create_if_missing(opts.create_if_missing)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .pragma("temp_store", "memory");
                if opts.create_if_missing
                    && let Some(parent) = base.get_filename().parent()
                    && !parent.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        DbError::Unavailable(format!("cannot create the data directory: {e}"))
                    })?;
                }
                let write = SqlitePoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(opts.acquire_timeout)
                    .before_acquire(|c, _| Box::pin(not_stuck_in_transaction(c)))
                    .connect_with(base.clone())
                    .await?;
                let read = SqlitePoolOptions::new()
                    .max_connections(opts.max_connections.max(1))
                    .acquire_timeout(opts.acquire_timeout)
                    .before_acquire(|c, _| Box::pin(not_stuck_in_transaction(c)))
                    .connect_with(base.read_only(true))
                    .await?;
                Ok(Db::Sqlite { read, write })
            }
            Some(Backend::Postgres) => {
                let o = PgConnectOptions::from_str(url)
                    .map_err(|e| DbError::Other(format!("bad PostgreSQL URL: {e}")))?;
                let pool = PgPoolOptions::new()
                    .max_connections(opts.max_connections.max(2))
                    .acquire_timeout(opts.acquire_timeout)
                    .before_acquire(|c, _| Box::pin(not_stuck_in_transaction(c)))
                    .connect_with(o)
                    .await?;
                Ok(Db::Postgres(pool))
            }
            None => Err(DbError::Other(
                "the database URL must start with sqlite:// or postgres://".into(),
            )),
        }
    }

    /// A PostgreSQL read replica's pool, connected lazily (so an instance
    /// starts while the replica is down) with a short acquire timeout (so a
    /// read falls back to the primary quickly).
    pub fn connect_replica(url: &str, opts: &DbOptions) -> DbResult<Db> {
        if Backend::from_url(url) != Some(Backend::Postgres) {
            return Err(DbError::Other(
                "database_replica_url must be a postgres:// URL".into(),
            ));
        }
        let o = PgConnectOptions::from_str(url)
            .map_err(|e| DbError::Other(format!("bad PostgreSQL replica URL: {e}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(opts.max_connections.max(2))
            .acquire_timeout(opts.acquire_timeout.min(Duration::from_secs(1)))
            .connect_lazy_with(o);
        Ok(Db::Postgres(pool))
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// SQLite only: write a consistent copy of the database to `path` with
    /// `VACUUM INTO`, which reads in one transaction, so it is safe while
    /// `serve` writes (WAL lets it read alongside the writer). The file must
    /// not exist. On PostgreSQL, use pg_dump or a base backup (docs/BACKUPS.md).
    pub async fn sqlite_backup_into(&self, path: &str) -> DbResult<()> {
        match self {
            Db::Sqlite { read, .. } => {
                sqlx::query(VACUUM_INTO).bind(path).execute(read).await?;
                Ok(())
            }
            Db::Postgres(_) => Err(DbError::Other(
                "PostgreSQL is backed up with pg_dump or pg_basebackup (docs/BACKUPS.md)".into(),
            )),
        }
    }

    /// Apply pending migrations.
    pub async fn migrate(&self) -> DbResult<()> {
        match self {
            Db::Sqlite { write, .. } => SQLITE_MIGRATIONS.run(write).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// Begin a transaction that may write (on SQLite, takes the write lock at once).
    pub async fn begin_write(&self) -> DbResult<Tx> {
        Ok(match self {
            Db::Sqlite { write, .. } => Tx::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Begin a read-only transaction (a consistent snapshot).
    pub async fn begin_read(&self) -> DbResult<Tx> {
        Ok(match self {
            Db::Sqlite { read, .. } => Tx::Sqlite(read.begin().await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        match self {
            Db::Sqlite { read, .. } => sqlx::query("select 1").execute(read).await.is_ok(),
            Db::Postgres(p) => sqlx::query("select 1").execute(p).await.is_ok(),
        }
    }

    /// Pool statistics for `/metrics`: (size, idle).
    pub fn pool_stats(&self) -> (u32, usize) {
        match self {
            Db::Sqlite { read, write } => (
                read.size() + write.size(),
                read.num_idle() + write.num_idle(),
            ),
            Db::Postgres(p) => (p.size(), p.num_idle()),
        }
    }

    /// Close all connections.
    pub async fn close(&self) {
        match self {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }

    /// SQLite's `PRAGMA integrity_check` (PostgreSQL: a trivial query). True when healthy.
    pub async fn integrity_check(&self) -> DbResult<bool> {
        match self {
            Db::Sqlite { write, .. } => {
                let (r,): (String,) = sqlx::query_as("pragma integrity_check")
                    .fetch_one(write)
                    .await?;
                Ok(r == "ok")
            }
            Db::Postgres(p) => Ok(sqlx::query("select 1").execute(p).await.is_ok()),
        }
    }
}

impl Tx {
    /// Commit.
    pub async fn commit(self) -> DbResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
    /// Roll back (also happens on drop).
    pub async fn rollback(self) -> DbResult<()> {
        match self {
            Tx::Sqlite(t) => t.rollback().await?,
            Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }
}

/// Count rows affected into a bool ("did it change anything").
pub(crate) fn changed(n: u64) -> bool {
    n > 0
}

#[cfg(test)]
mod fault_tests {
    use super::{Fault, pg_fault, sqlite_fault};

    #[test]
    fn sqlite_codes_are_classified() {
        for (code, want) in [
            (13, Fault::DiskFull),      // SQLITE_FULL
            (8, Fault::ReadOnly),       // SQLITE_READONLY
            (1032, Fault::ReadOnly),    // SQLITE_READONLY_DBMOVED
            (1544, Fault::ReadOnly),    // SQLITE_READONLY_DIRECTORY
            (5, Fault::Unavailable),    // SQLITE_BUSY
            (10, Fault::Unavailable),   // SQLITE_IOERR
            (1034, Fault::Unavailable), // SQLITE_IOERR_FSYNC
            (14, Fault::Unavailable),   // SQLITE_CANTOPEN
            (19, Fault::Other),         // SQLITE_CONSTRAINT
            (11, Fault::Other),         // SQLITE_CORRUPT
            (1, Fault::Other),          // SQLITE_ERROR
        ] {
            assert_eq!(sqlite_fault(code), want, "code {code}");
        }
    }

    #[test]
    fn pg_sqlstates_are_classified() {
        for (code, want) in [
            ("53100", Fault::DiskFull),
            ("25006", Fault::ReadOnly),
            ("57P01", Fault::Unavailable),
            ("57P02", Fault::Unavailable),
            ("57P03", Fault::Unavailable),
            ("53300", Fault::Unavailable),
            ("08006", Fault::Unavailable),
            ("08001", Fault::Unavailable),
            ("23505", Fault::Other),
            ("42P01", Fault::Other),
            ("XX001", Fault::Other),
        ] {
            assert_eq!(pg_fault(code), want, "sqlstate {code}");
        }
    }
}
