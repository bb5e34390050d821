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
pub mod caseload;
pub mod children;
pub mod contexts;
pub mod edt;
pub mod escalation;
pub mod findings;
pub mod missing;
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
/// to a conflict; everything else is an internal failure, never shown to users.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A unique constraint was violated.
    #[error("unique constraint violated")]
    UniqueViolation,
    /// The database could not be reached or is shutting down.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else.
    #[error("database error: {0}")]
    Other(String),
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => DbError::UniqueViolation,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                DbError::Unavailable(e.to_string())
            }
            _ => DbError::Other(e.to_string()),
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
    ($tx:expr, |$c:ident| $body:expr) => {
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
    };
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The migration versions each backend embeds (they must match).
pub fn migration_versions() -> (Vec<i64>, Vec<i64>) {
    (
        SQLITE_MIGRATIONS.iter().map(|m| m.version).collect(),
        POSTGRES_MIGRATIONS.iter().map(|m| m.version).collect(),
    )
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
                    .connect_with(base.clone())
                    .await?;
                let read = SqlitePoolOptions::new()
                    .max_connections(opts.max_connections.max(1))
                    .acquire_timeout(opts.acquire_timeout)
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
                    .connect_with(o)
                    .await?;
                Ok(Db::Postgres(pool))
            }
            None => Err(DbError::Other(
                "the database URL must start with sqlite:// or postgres://".into(),
            )),
        }
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
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
