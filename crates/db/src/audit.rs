//! The audit trail: append-only, hash-chained. The head (last sequence number
//! and hash) is one row advanced with `update … returning`, which serialises
//! appenders on its row lock on PostgreSQL and under the single writer on
//! SQLite; the new entry is inserted in the caller's transaction, so an action
//! and its audit row commit or vanish together.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, Utc};
use harbour_domain::audit::{AuditEntry, AuditEvent, Outcome, chain_hash};
use harbour_domain::checkpoint::Checkpoint;
use harbour_domain::ids::{ChildId, UserId};
use uuid::Uuid;

const ADVANCE_HEAD: &str = "update audit_head set seq = seq + 1 where id = 1 returning seq, hash";
const SET_HEAD_HASH: &str = "update audit_head set hash = $1 where id = 1";
const INSERT: &str = "insert into audit_log (seq, at, actor_id, actor_role, action, target_kind, target_id, child_id, outcome, reason, request_id, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

/// Append one event in the caller's transaction. Returns its sequence number.
pub async fn append(tx: &mut Tx, at: DateTime<Utc>, e: &AuditEvent) -> DbResult<i64> {
    let (seq, prev): (i64, String) =
        on_tx!(tx, |c| sqlx::query_as(ADVANCE_HEAD).fetch_one(c).await)?;
    let hash = chain_hash(&prev, seq, at, e);
    on_tx!(tx, |c| sqlx::query(INSERT)
        .bind(seq)
        .bind(at)
        .bind(e.actor_id)
        .bind(&e.actor_role)
        .bind(&e.action)
        .bind(&e.target_kind)
        .bind(e.target_id)
        .bind(e.child_id)
        .bind(e.outcome.as_str())
        .bind(&e.reason)
        .bind(&e.request_id)
        .bind(&prev)
        .bind(&hash)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    on_tx!(tx, |c| sqlx::query(SET_HEAD_HASH)
        .bind(&hash)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(seq)
}

const ADVANCE_HEAD_BY: &str =
    "update audit_head set seq = seq + $1 where id = 1 returning seq, hash";
const INSERT_COLS: &str = "insert into audit_log (seq, at, actor_id, actor_role, action, target_kind, target_id, child_id, outcome, reason, request_id, prev_hash, hash) values ";
/// Rows per multi-row insert (13 parameters each stays well inside SQLite's
/// 32,766 and PostgreSQL's 65,535 bound parameters).
const BATCH: usize = 500;

/// Append several events in the caller's transaction with a constant number
/// of statements per 500 events (advance the head once, multi-row inserts,
/// set the head's hash once), so a page that audits each child it names does
/// not issue three statements per child. The chain is the same as appending
/// them one by one.
pub async fn append_many(tx: &mut Tx, at: DateTime<Utc>, events: &[AuditEvent]) -> DbResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let n = events.len() as i64;
    let (last, mut prev): (i64, String) = on_tx!(tx, |c| sqlx::query_as(ADVANCE_HEAD_BY)
        .bind(n)
        .fetch_one(c)
        .await)?;
    let mut seq = last - n;
    for chunk in events.chunks(BATCH) {
        let mut rows = Vec::with_capacity(chunk.len());
        for e in chunk {
            seq += 1;
            let hash = chain_hash(&prev, seq, at, e);
            rows.push((seq, e, std::mem::replace(&mut prev, hash.clone()), hash));
        }
        // Only placeholders are generated; every value is bound.
        let sql = format!(
            "{INSERT_COLS}{}",
            (0..rows.len())
                .map(|i| {
                    let b = i * 13;
                    format!(
                        "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 4,
                        b + 5,
                        b + 6,
                        b + 7,
                        b + 8,
                        b + 9,
                        b + 10,
                        b + 11,
                        b + 12,
                        b + 13
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
        macro_rules! bind_all {
            ($q:expr) => {{
                let mut q = $q;
                for (seq, e, prev, hash) in &rows {
                    q = q
                        .bind(*seq)
                        .bind(at)
                        .bind(e.actor_id)
                        .bind(&e.actor_role)
                        .bind(&e.action)
                        .bind(&e.target_kind)
                        .bind(e.target_id)
                        .bind(e.child_id)
                        .bind(e.outcome.as_str())
                        .bind(&e.reason)
                        .bind(&e.request_id)
                        .bind(prev)
                        .bind(hash);
                }
                q
            }};
        }
        on_tx!(tx, |c| bind_all!(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    on_tx!(tx, |c| sqlx::query(SET_HEAD_HASH)
        .bind(&prev)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    seq: i64,
    at: DateTime<Utc>,
    actor_id: Option<Uuid>,
    actor_role: String,
    action: String,
    target_kind: String,
    target_id: Option<Uuid>,
    child_id: Option<Uuid>,
    outcome: String,
    reason: Option<String>,
    request_id: Option<String>,
    prev_hash: String,
    hash: String,
}

impl From<Row> for AuditEntry {
    fn from(r: Row) -> Self {
        let outcome = Outcome::parse(&r.outcome);
        AuditEntry {
            seq: r.seq,
            at: r.at,
            event: AuditEvent {
                actor_id: r.actor_id,
                actor_role: r.actor_role,
                action: r.action,
                target_kind: r.target_kind,
                target_id: r.target_id,
                child_id: r.child_id,
                outcome: outcome.unwrap_or(Outcome::Deny),
                reason: r.reason,
                request_id: r.request_id,
            },
            prev_hash: r.prev_hash,
            // An unknown outcome string can only come from tampering. Mapping
            // it to some outcome could reproduce the stored hash (a `deny`
            // changed to anything else would read back as `deny`), so the
            // entry is given a hash nothing can match.
            hash: if outcome.is_some() {
                r.hash
            } else {
                format!("unreadable outcome {:?}", r.outcome)
            },
        }
    }
}

/// An entry with the actor's name, for the access-history pages.
#[derive(Clone, Debug)]
pub struct NamedEntry {
    /// The entry.
    pub entry: AuditEntry,
    /// Actor's name, if a user.
    pub actor_name: Option<String>,
}

const FOR_CHILD: &str = "select l.seq, l.at, l.actor_id, l.actor_role, l.action, l.target_kind, l.target_id, l.child_id, l.outcome, l.reason, l.request_id, l.prev_hash, l.hash, u.name as actor_name from audit_log l left join users u on u.id = l.actor_id where l.child_id = $1 order by l.seq desc limit $2";
/// The latest entries about a child.
pub async fn for_child(tx: &mut Tx, child: ChildId, limit: i64) -> DbResult<Vec<NamedEntry>> {
    named(tx, FOR_CHILD, child.0, limit).await
}

const FOR_ACTOR: &str = "select l.seq, l.at, l.actor_id, l.actor_role, l.action, l.target_kind, l.target_id, l.child_id, l.outcome, l.reason, l.request_id, l.prev_hash, l.hash, u.name as actor_name from audit_log l left join users u on u.id = l.actor_id where l.actor_id = $1 order by l.seq desc limit $2";
/// The latest entries by a user.
pub async fn for_actor(tx: &mut Tx, user: UserId, limit: i64) -> DbResult<Vec<NamedEntry>> {
    named(tx, FOR_ACTOR, user.0, limit).await
}

async fn named(tx: &mut Tx, sql: &'static str, id: Uuid, limit: i64) -> DbResult<Vec<NamedEntry>> {
    #[derive(sqlx::FromRow)]
    struct NamedRow {
        #[sqlx(flatten)]
        row: Row,
        actor_name: Option<String>,
    }
    let rows: Vec<NamedRow> = on_tx!(tx, |c| sqlx::query_as(sql)
        .bind(id)
        .bind(limit)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| NamedEntry {
            entry: r.row.into(),
            actor_name: r.actor_name,
        })
        .collect())
}

const PAGE: &str = "select seq, at, actor_id, actor_role, action, target_kind, target_id, child_id, outcome, reason, request_id, prev_hash, hash from audit_log where seq > $1 order by seq limit $2";
/// Entries after `after_seq`, in order, for verification.
pub async fn page(tx: &mut Tx, after_seq: i64, limit: i64) -> DbResult<Vec<AuditEntry>> {
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(PAGE)
        .bind(after_seq)
        .bind(limit)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const HEAD: &str = "select seq, hash from audit_head where id = 1";
/// The recorded head: (seq, hash).
pub async fn head(tx: &mut Tx) -> DbResult<(i64, String)> {
    Ok(on_tx!(tx, |c| sqlx::query_as(HEAD).fetch_one(c).await)?)
}

const ENTRY_HASH: &str = "select hash from audit_log where seq = $1";
/// The hash of the entry at `seq`, if there is one.
pub async fn entry_hash(tx: &mut Tx, seq: i64) -> DbResult<Option<String>> {
    Ok(on_tx!(tx, |c| sqlx::query_scalar(ENTRY_HASH)
        .bind(seq)
        .fetch_optional(c)
        .await)?)
}

const COUNT: &str = "select count(*) from audit_log";
/// How many entries the chain holds.
pub async fn count(tx: &mut Tx) -> DbResult<i64> {
    Ok(on_tx!(tx, |c| sqlx::query_scalar(COUNT)
        .fetch_one(c)
        .await)?)
}

/// A stored checkpoint: the head and its signature (hex), with the public
/// key (hex) it verifies under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCheckpoint {
    /// The checkpoint.
    pub checkpoint: Checkpoint,
    /// Ed25519 signature of its message, hex.
    pub signature: String,
    /// The signer's public key, hex.
    pub public_key: String,
}

const INSERT_CHECKPOINT: &str = "insert into audit_checkpoints (seq, hash, at, entries, signature, public_key) values ($1, $2, $3, $4, $5, $6) on conflict (seq) do nothing";
/// Store a checkpoint. Returns false if one for this head is already stored.
pub async fn insert_checkpoint(tx: &mut Tx, c: &StoredCheckpoint) -> DbResult<bool> {
    let n = on_tx!(tx, |x| sqlx::query(INSERT_CHECKPOINT)
        .bind(c.checkpoint.seq)
        .bind(&c.checkpoint.hash)
        .bind(c.checkpoint.at)
        .bind(c.checkpoint.entries)
        .bind(&c.signature)
        .bind(&c.public_key)
        .execute(x)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

#[derive(sqlx::FromRow)]
struct CheckpointRow {
    seq: i64,
    hash: String,
    at: DateTime<Utc>,
    entries: i64,
    signature: String,
    public_key: String,
}

const CHECKPOINTS: &str =
    "select seq, hash, at, entries, signature, public_key from audit_checkpoints order by seq";
/// Every stored checkpoint, oldest first.
pub async fn checkpoints(tx: &mut Tx) -> DbResult<Vec<StoredCheckpoint>> {
    let rows: Vec<CheckpointRow> = on_tx!(tx, |c| sqlx::query_as(CHECKPOINTS).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|r| StoredCheckpoint {
            checkpoint: Checkpoint {
                seq: r.seq,
                hash: r.hash,
                at: r.at,
                entries: r.entries,
            },
            signature: r.signature,
            public_key: r.public_key,
        })
        .collect())
}

const LATEST_CHECKPOINT_AT: &str = "select at from audit_checkpoints order by seq desc limit 1";
/// When the latest checkpoint was taken.
pub async fn latest_checkpoint_at(tx: &mut Tx) -> DbResult<Option<DateTime<Utc>>> {
    Ok(on_tx!(tx, |c| sqlx::query_scalar(LATEST_CHECKPOINT_AT)
        .fetch_optional(c)
        .await)?)
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    ENTRY_HASH,
    COUNT,
    INSERT_CHECKPOINT,
    CHECKPOINTS,
    LATEST_CHECKPOINT_AT,
    ADVANCE_HEAD,
    ADVANCE_HEAD_BY,
    SET_HEAD_HASH,
    INSERT,
    FOR_CHILD,
    FOR_ACTOR,
    PAGE,
    HEAD,
];
