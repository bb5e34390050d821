//! Exploitation screenings: append-only, each with the indicators ticked.
//! Every function reads or writes part of a child's record, so each takes
//! an [`Allowed`] and uses its child id.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, Utc};
use harbour_domain::authz::Allowed;
use harbour_domain::ids::*;
use harbour_domain::screening::*;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    child_id: Uuid,
    age: i64,
    level: String,
    suggested: String,
    under_13: bool,
    peers: String,
    summary: String,
    recorded_by: Uuid,
    recorded_by_name: String,
    recorded_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct TickRow {
    screening_id: Uuid,
    indicator: String,
    category: String,
    label: String,
    high_risk: bool,
    evidence: String,
    basis: String,
}

const FOR_CHILD: &str = "select s.id, s.child_id, s.age, s.level, s.suggested, s.under_13, s.peers, s.summary, s.recorded_by, u.name as recorded_by_name, s.recorded_at from screenings s join users u on u.id = s.recorded_by where s.child_id = $1 order by s.recorded_at desc, s.id desc";
const TICKS: &str = "select t.screening_id, t.indicator, t.category, t.label, t.high_risk, t.evidence, t.basis from screening_ticks t join screenings s on s.id = t.screening_id where s.child_id = $1 order by t.screening_id, t.category, t.indicator";

/// Every screening of the child, newest first, with its ticks.
pub async fn for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Screening>> {
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    let ticks: Vec<TickRow> = on_tx!(tx, |c| sqlx::query_as(TICKS)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| Screening {
            ticks: ticks
                .iter()
                .filter(|t| t.screening_id == r.id)
                .map(|t| Tick {
                    indicator: t.indicator.clone(),
                    category: t.category.clone(),
                    label: t.label.clone(),
                    high_risk: t.high_risk,
                    evidence: t.evidence.clone(),
                    basis: Basis::parse(&t.basis).unwrap_or(Basis::Evidence),
                })
                .collect(),
            id: r.id,
            child_id: ChildId(r.child_id),
            age: u32::try_from(r.age).unwrap_or(0),
            level: r.level,
            suggested: r.suggested,
            under_13: r.under_13,
            peers: r.peers,
            summary: r.summary,
            recorded_by: UserId(r.recorded_by),
            recorded_by_name: r.recorded_by_name,
            recorded_at: r.recorded_at,
        })
        .collect())
}

const INSERT: &str = "insert into screenings (id, child_id, age, level, suggested, under_13, peers, summary, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const INSERT_TICK: &str = "insert into screening_ticks (screening_id, indicator, category, label, high_risk, evidence, basis) values ($1, $2, $3, $4, $5, $6, $7)";

/// Store a screening and its ticks (for the child in `ok`).
pub async fn insert(tx: &mut Tx, ok: &Allowed, s: &Screening) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT)
        .bind(s.id)
        .bind(ok.child_id().0)
        .bind(i64::from(s.age))
        .bind(&s.level)
        .bind(&s.suggested)
        .bind(s.under_13)
        .bind(&s.peers)
        .bind(&s.summary)
        .bind(s.recorded_by.0)
        .bind(s.recorded_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    for t in &s.ticks {
        on_tx!(tx, |c| sqlx::query(INSERT_TICK)
            .bind(s.id)
            .bind(&t.indicator)
            .bind(&t.category)
            .bind(&t.label)
            .bind(t.high_risk)
            .bind(&t.evidence)
            .bind(t.basis.code())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[FOR_CHILD, TICKS, INSERT, INSERT_TICK];
