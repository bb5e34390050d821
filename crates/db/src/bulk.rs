//! Bulk loading for generated datasets (`harbour generate`): rows go in by
//! the fastest path each engine offers, with every index and constraint
//! left in place (so a loaded database is exactly as if the application had
//! written it row by row).
//!
//! - **PostgreSQL:** `COPY table (columns) FROM STDIN` in text format, sent
//!   in pieces of about a megabyte.
//! - **SQLite:** one prepared multi-row `insert` per batch of rows (up to
//!   SQLite's 32,766 bound parameters), reused across batches of the same
//!   size, inside the caller's transaction; [`sqlite_fast_load`] relaxes
//!   `synchronous` for the load and [`sqlite_restore`] puts `FULL` back.
//!
//! Table and column names come only from `&'static str` constants in the
//! generator (never from input), which is why the built SQL is wrapped in
//! `AssertSqlSafe`.

use crate::{Db, DbResult, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use std::fmt::Write as _;
use uuid::Uuid;

/// One value of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// SQL null.
    Null,
    /// An identifier (blob on SQLite, `uuid` on PostgreSQL).
    Id(Uuid),
    /// Text.
    Text(String),
    /// A static text (codes).
    Str(&'static str),
    /// An integer.
    Int(i64),
    /// A boolean (integer 0/1 on SQLite, `boolean` on PostgreSQL).
    Bool(bool),
    /// A date.
    Date(NaiveDate),
    /// An instant (UTC, microseconds).
    At(DateTime<Utc>),
}

impl From<Option<Uuid>> for Val {
    fn from(v: Option<Uuid>) -> Self {
        v.map_or(Val::Null, Val::Id)
    }
}
impl From<Option<NaiveDate>> for Val {
    fn from(v: Option<NaiveDate>) -> Self {
        v.map_or(Val::Null, Val::Date)
    }
}
impl From<Option<DateTime<Utc>>> for Val {
    fn from(v: Option<DateTime<Utc>>) -> Self {
        v.map_or(Val::Null, Val::At)
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        v.map_or(Val::Null, Val::Text)
    }
}
impl From<Option<&'static str>> for Val {
    fn from(v: Option<&'static str>) -> Self {
        v.map_or(Val::Null, Val::Str)
    }
}

/// Rows for one table: values row after row, `cols.len()` per row.
#[derive(Clone, Debug)]
pub struct Batch {
    /// The table.
    pub table: &'static str,
    /// Its columns, in the order of the values.
    pub cols: &'static [&'static str],
    /// The values, row-major.
    pub vals: Vec<Val>,
}

impl Batch {
    /// An empty batch.
    pub fn new(table: &'static str, cols: &'static [&'static str]) -> Self {
        Self {
            table,
            cols,
            vals: Vec::new(),
        }
    }
    /// Append one row (panics in debug builds if its width is wrong).
    pub fn row<const N: usize>(&mut self, row: [Val; N]) {
        debug_assert_eq!(N, self.cols.len(), "row width for {}", self.table);
        self.vals.extend(row);
    }
    /// Rows held.
    pub fn len(&self) -> usize {
        self.vals.len() / self.cols.len().max(1)
    }
    /// Whether no rows are held.
    pub fn is_empty(&self) -> bool {
        self.vals.is_empty()
    }
}

/// Bound parameters per SQLite statement. SQLite allows 32,766 (since
/// 3.32), but sqlx binds each by name and `sqlite3_bind_parameter_name`
/// walks the statement's parameter list, so binding costs grow with the
/// square of the parameters per statement: at 6,500 a profile of
/// `harbour generate` showed 87% of the time in that lookup. At about 1,000
/// the lookups stop mattering (docs/PERFORMANCE.md, generation).
const SQLITE_MAX_PARAMS: usize = 1_000;
/// Rows per SQLite statement at most (beyond this, larger statements stop paying).
const SQLITE_MAX_ROWS: usize = 500;
/// Bytes per `COPY` message.
const COPY_PIECE: usize = 1 << 20;

/// Write a batch in the caller's transaction.
pub async fn write(tx: &mut Tx, b: &Batch) -> DbResult<()> {
    if b.is_empty() {
        return Ok(());
    }
    match tx {
        Tx::Sqlite(t) => sqlite_write(t, b).await,
        Tx::Postgres(t) => pg_write(t, b).await,
    }
}

fn insert_sql(b: &Batch, rows: usize) -> String {
    let n = b.cols.len();
    let mut sql = format!("insert into {} ({}) values ", b.table, b.cols.join(", "));
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..n {
            if c > 0 {
                sql.push_str(", ");
            }
            let _ = write!(sql, "${}", r * n + c + 1);
        }
        sql.push(')');
    }
    sql
}

async fn sqlite_write(c: &mut sqlx::SqliteConnection, b: &Batch) -> DbResult<()> {
    let n = b.cols.len();
    let per = (SQLITE_MAX_PARAMS / n).clamp(1, SQLITE_MAX_ROWS);
    let mut full_sql: Option<String> = None;
    for chunk in b.vals.chunks(per * n) {
        let rows = chunk.len() / n;
        let sql = if rows == per {
            full_sql.get_or_insert_with(|| insert_sql(b, per)).clone()
        } else {
            insert_sql(b, rows)
        };
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for v in chunk {
            q = match v {
                Val::Null => q.bind(Option::<i64>::None),
                Val::Id(u) => q.bind(*u),
                Val::Text(s) => q.bind(s.clone()),
                Val::Str(s) => q.bind(*s),
                Val::Int(i) => q.bind(*i),
                Val::Bool(x) => q.bind(*x),
                Val::Date(d) => q.bind(*d),
                Val::At(t) => q.bind(*t),
            };
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// Append one value in PostgreSQL's `COPY` text format.
pub fn copy_text(out: &mut String, v: &Val) {
    match v {
        Val::Null => out.push_str("\\N"),
        Val::Id(u) => {
            let _ = write!(out, "{}", u.hyphenated());
        }
        Val::Text(s) => escape(out, s),
        Val::Str(s) => escape(out, s),
        Val::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Val::Bool(x) => out.push(if *x { 't' } else { 'f' }),
        Val::Date(d) => {
            let _ = write!(out, "{}", d.format("%Y-%m-%d"));
        }
        Val::At(t) => {
            let _ = write!(out, "{}+00", t.format("%Y-%m-%d %H:%M:%S%.6f"));
        }
    }
}

fn escape(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

async fn pg_write(c: &mut sqlx::PgConnection, b: &Batch) -> DbResult<()> {
    let sql = format!("copy {} ({}) from stdin", b.table, b.cols.join(", "));
    let mut copy = c.copy_in_raw(&sql).await?;
    let n = b.cols.len();
    let mut buf = String::with_capacity(COPY_PIECE + 4096);
    for row in b.vals.chunks(n) {
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                buf.push('\t');
            }
            copy_text(&mut buf, v);
        }
        buf.push('\n');
        if buf.len() >= COPY_PIECE {
            if let Err(e) = copy.send(buf.as_bytes()).await {
                let _ = copy.abort("send failed").await;
                return Err(e.into());
            }
            buf.clear();
        }
    }
    if !buf.is_empty()
        && let Err(e) = copy.send(buf.as_bytes()).await
    {
        let _ = copy.abort("send failed").await;
        return Err(e.into());
    }
    copy.finish().await?;
    Ok(())
}

const SET_AUDIT_HEAD: &str = "update audit_head set seq = $1, hash = $2 where id = 1";
/// Move the audit head to the last entry a bulk load wrote.
pub async fn set_audit_head(tx: &mut Tx, seq: i64, hash: &str) -> DbResult<()> {
    crate::on_tx!(tx, |c| sqlx::query(SET_AUDIT_HEAD)
        .bind(seq)
        .bind(hash)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// SQLite only: `synchronous=OFF` on the writer for a bulk load (a crash
/// mid-load can corrupt the file, which the generator's "start again on an
/// empty database" already implies). PostgreSQL: nothing.
pub async fn sqlite_fast_load(db: &Db) -> DbResult<()> {
    if let Db::Sqlite { write, .. } = db {
        sqlx::query("pragma synchronous = off")
            .execute(write)
            .await?;
    }
    Ok(())
}

/// SQLite only: back to `synchronous=FULL`, checkpoint the WAL into the
/// database file and refresh the planner's statistics. PostgreSQL: `analyze`.
pub async fn finish_load(db: &Db) -> DbResult<()> {
    match db {
        Db::Sqlite { write, .. } => {
            sqlx::query("pragma synchronous = full")
                .execute(write)
                .await?;
            sqlx::query("pragma wal_checkpoint(truncate)")
                .execute(write)
                .await?;
            sqlx::query("analyze").execute(write).await?;
        }
        Db::Postgres(p) => {
            sqlx::query("analyze").execute(p).await?;
        }
    }
    Ok(())
}

/// Database size in bytes (SQLite: pages in use; PostgreSQL: `pg_database_size`).
pub async fn database_size(db: &Db) -> DbResult<i64> {
    Ok(match db {
        Db::Sqlite { write, .. } => {
            let (n,): (i64,) = sqlx::query_as(
                "select page_count * page_size from pragma_page_count(), pragma_page_size()",
            )
            .fetch_one(write)
            .await?;
            n
        }
        Db::Postgres(p) => {
            let (n,): (i64,) = sqlx::query_as("select pg_database_size(current_database())")
                .fetch_one(p)
                .await?;
            n
        }
    })
}

/// Every fixed query in this module.
pub const QUERIES: &[&str] = &[SET_AUDIT_HEAD];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_and_formats() {
        let cases: &[(Val, &str)] = &[
            (Val::Null, "\\N"),
            (Val::Text("a\tb\nc\\d\re".into()), "a\\tb\\nc\\\\d\\re"),
            (Val::Bool(true), "t"),
            (Val::Int(-7), "-7"),
            (
                Val::Date(NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()),
                "2025-03-31",
            ),
            (
                Val::At(
                    DateTime::parse_from_rfc3339("2025-03-31T10:11:12.000345Z")
                        .unwrap()
                        .to_utc(),
                ),
                "2025-03-31 10:11:12.000345+00",
            ),
            (Val::Id(Uuid::nil()), "00000000-0000-0000-0000-000000000000"),
        ];
        for (v, want) in cases {
            let mut s = String::new();
            copy_text(&mut s, v);
            assert_eq!(&s, want, "{v:?}");
        }
    }

    #[test]
    fn insert_sql_numbers_every_placeholder() {
        let b = Batch::new("t", &["a", "b"]);
        assert_eq!(
            insert_sql(&b, 2),
            "insert into t (a, b) values ($1, $2), ($3, $4)"
        );
    }
}
