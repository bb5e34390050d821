//! Contextual safeguarding: context records (persons of concern, peer
//! groups, locations, vehicles, phone numbers, online handles), their links to
//! children and the decisions on suggested links. A context record is not
//! part of one child's record, so reading or writing it takes no
//! [`Allowed`]; a child's links do (`insert_link`, `links_for_child`).
//! Reading an entity's links (to learn which children to authorise against)
//! and the episode spans behind hotspots and suggestions are the exceptions:
//! the service decides on each child before showing anything.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::authz::Allowed;
use harbour_domain::contexts::*;
use harbour_domain::ids::*;
use harbour_domain::model::OrgKind;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct EntityRow {
    id: Uuid,
    kind: String,
    name: String,
    location_type: Option<String>,
    postcode: Option<String>,
    description: String,
    source: String,
    created_by: Uuid,
    created_at: DateTime<Utc>,
}

impl From<EntityRow> for ContextEntity {
    fn from(r: EntityRow) -> Self {
        ContextEntity {
            id: r.id,
            kind: EntityKind::parse(&r.kind).unwrap_or(EntityKind::Person),
            name: r.name,
            location_type: r.location_type.as_deref().and_then(LocationType::parse),
            postcode: r.postcode,
            description: r.description,
            source: Source::parse(&r.source).unwrap_or(Source::Practitioner),
            created_by: UserId(r.created_by),
            created_at: r.created_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: Uuid,
    entity_id: Uuid,
    child_id: Uuid,
    role: String,
    source: String,
    confidence: String,
    from_date: Option<NaiveDate>,
    to_date: Option<NaiveDate>,
    named_id: Option<Uuid>,
    recorded_by: Uuid,
    recorded_at: DateTime<Utc>,
}

impl From<LinkRow> for ContextLink {
    fn from(r: LinkRow) -> Self {
        ContextLink {
            id: r.id,
            entity_id: r.entity_id,
            child_id: ChildId(r.child_id),
            role: LinkRole::parse(&r.role).unwrap_or(LinkRole::Associate),
            source: Source::parse(&r.source).unwrap_or(Source::Practitioner),
            confidence: Confidence::parse(&r.confidence).unwrap_or(Confidence::Unverified),
            from_date: r.from_date,
            to_date: r.to_date,
            named_id: r.named_id,
            recorded_by: UserId(r.recorded_by),
            recorded_at: r.recorded_at,
        }
    }
}

macro_rules! select_entity {
    () => {
        "select id, kind, name, location_type, postcode, description, source, created_by, created_at from context_entities "
    };
}
macro_rules! select_link {
    () => {
        "select id, entity_id, child_id, role, source, confidence, from_date, to_date, named_id, recorded_by, recorded_at from context_links "
    };
}

const INSERT_ENTITY: &str = "insert into context_entities (id, kind, name, location_type, postcode, description, source, created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
/// Record a context.
pub async fn insert_entity(tx: &mut Tx, e: &ContextEntity) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_ENTITY)
        .bind(e.id)
        .bind(e.kind.as_str())
        .bind(&e.name)
        .bind(e.location_type.map(|t| t.as_str()))
        .bind(&e.postcode)
        .bind(&e.description)
        .bind(e.source.as_str())
        .bind(e.created_by.0)
        .bind(e.created_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const GET_ENTITY: &str = concat!(select_entity!(), "where id = $1");
/// One context by id.
pub async fn get_entity(tx: &mut Tx, id: Uuid) -> DbResult<Option<ContextEntity>> {
    let r: Option<EntityRow> = on_tx!(tx, |c| sqlx::query_as(GET_ENTITY)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const LIST_ENTITIES: &str = concat!(select_entity!(), "order by kind, lower(name), id");
/// Every context, by kind and name.
pub async fn list_entities(tx: &mut Tx) -> DbResult<Vec<ContextEntity>> {
    let rows: Vec<EntityRow> = on_tx!(tx, |c| sqlx::query_as(LIST_ENTITIES).fetch_all(c).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const SEARCH_ENTITIES: &str = concat!(
    select_entity!(),
    "where lower(name) like $1 escape '\\' or lower(coalesce(postcode, '')) like $1 escape '\\' order by lower(name), id limit 50"
);
/// Contexts whose name or postcode contains `q` (case-insensitive), at most 50.
pub async fn search_entities(tx: &mut Tx, q: &str) -> DbResult<Vec<ContextEntity>> {
    let mut pat = String::from("%");
    for ch in q.trim().to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pat.push('\\');
        }
        pat.push(ch);
    }
    pat.push('%');
    let rows: Vec<EntityRow> = on_tx!(tx, |c| sqlx::query_as(SEARCH_ENTITIES)
        .bind(&pat)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const INSERT_LINK: &str = "insert into context_links (id, entity_id, child_id, role, source, confidence, from_date, to_date, named_id, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
/// Link a context to the child `ok` names (the link's own child id is ignored).
pub async fn insert_link(tx: &mut Tx, ok: &Allowed, l: &ContextLink) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_LINK)
        .bind(l.id)
        .bind(l.entity_id)
        .bind(ok.child_id().0)
        .bind(l.role.as_str())
        .bind(l.source.as_str())
        .bind(l.confidence.as_str())
        .bind(l.from_date)
        .bind(l.to_date)
        .bind(l.named_id)
        .bind(l.recorded_by.0)
        .bind(l.recorded_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const LINKS_FOR_CHILD: &str = concat!(
    select_link!(),
    "where child_id = $1 order by recorded_at, id"
);
/// A child's links, oldest first.
pub async fn links_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<ContextLink>> {
    let rows: Vec<LinkRow> = on_tx!(tx, |c| sqlx::query_as(LINKS_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const LINKS_FOR_ENTITY: &str = concat!(
    select_link!(),
    "where entity_id = $1 order by recorded_at, id"
);
/// Every link to one context (the caller decides on each child before
/// showing any).
pub async fn links_for_entity(tx: &mut Tx, entity_id: Uuid) -> DbResult<Vec<ContextLink>> {
    let rows: Vec<LinkRow> = on_tx!(tx, |c| sqlx::query_as(LINKS_FOR_ENTITY)
        .bind(entity_id)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const ALL_LINKS: &str = concat!(select_link!(), "order by recorded_at, id");
/// Every link (for the hotspot counts and children who share a context).
pub async fn all_links(tx: &mut Tx) -> DbResult<Vec<ContextLink>> {
    let rows: Vec<LinkRow> = on_tx!(tx, |c| sqlx::query_as(ALL_LINKS).fetch_all(c).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// An episode as hotspots and suggestions see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EpisodePlace {
    /// The times and the place left.
    pub span: EpisodeSpan,
    /// Where the child was found, if recorded.
    pub found_where: Option<String>,
}

const EPISODE_PLACES: &str = "select id, child_id, last_seen_at, returned_at, location_left, found_where from missing_episodes order by last_seen_at, id";
/// Every missing episode's times and places.
pub async fn episode_places(tx: &mut Tx) -> DbResult<Vec<EpisodePlace>> {
    type R = (
        Uuid,
        Uuid,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
        String,
        Option<String>,
    );
    let rows: Vec<R> = on_tx!(tx, |c| sqlx::query_as(EPISODE_PLACES).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, child, start, end, left, found)| EpisodePlace {
            span: EpisodeSpan {
                id,
                child_id: ChildId(child),
                start,
                end,
                location_left: left,
            },
            found_where: found,
        })
        .collect())
}

/// A decision on a suggested link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestionDecision {
    /// The first episode.
    pub episode_a: Uuid,
    /// The second.
    pub episode_b: Uuid,
    /// Confirmed (with the context the children were linked to) or dismissed.
    pub entity_id: Option<Uuid>,
    /// Decided by.
    pub decided_by: UserId,
    /// When.
    pub decided_at: DateTime<Utc>,
}

const INSERT_DECISION: &str = "insert into context_suggestion_decisions (episode_a, episode_b, decision, entity_id, decided_by, decided_at) values ($1, $2, $3, $4, $5, $6)";
/// Store a decision on a suggestion (once per pair: a second is a conflict).
pub async fn insert_decision(tx: &mut Tx, d: &SuggestionDecision) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_DECISION)
        .bind(d.episode_a)
        .bind(d.episode_b)
        .bind(if d.entity_id.is_some() {
            "confirmed"
        } else {
            "dismissed"
        })
        .bind(d.entity_id)
        .bind(d.decided_by.0)
        .bind(d.decided_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const DECISIONS: &str = "select episode_a, episode_b, entity_id, decided_by, decided_at from context_suggestion_decisions order by decided_at, episode_a, episode_b";
/// Every decision on a suggestion.
pub async fn decisions(tx: &mut Tx) -> DbResult<Vec<SuggestionDecision>> {
    type R = (Uuid, Uuid, Option<Uuid>, Uuid, DateTime<Utc>);
    let rows: Vec<R> = on_tx!(tx, |c| sqlx::query_as(DECISIONS).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|(a, b, e, by, at)| SuggestionDecision {
            episode_a: a,
            episode_b: b,
            entity_id: e,
            decided_by: UserId(by),
            decided_at: at,
        })
        .collect())
}

const LINK_OF_CHILD: &str = concat!(select_link!(), "where id = $1 and child_id = $2");
/// One of the child's links.
pub async fn link_of_child(tx: &mut Tx, ok: &Allowed, id: Uuid) -> DbResult<Option<ContextLink>> {
    let r: Option<LinkRow> = on_tx!(tx, |c| sqlx::query_as(LINK_OF_CHILD)
        .bind(id)
        .bind(ok.child_id().0)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const UPDATE_LINK: &str = "update context_links set role = $3, source = $4, confidence = $5, to_date = $6 where id = $1 and child_id = $2";
/// Correct a link of the child's (role, source, confidence) or end it
/// (`to_date`). A role the child already has with the context is a
/// [`crate::DbError::UniqueViolation`].
pub async fn update_link(tx: &mut Tx, ok: &Allowed, l: &ContextLink) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(UPDATE_LINK)
        .bind(l.id)
        .bind(ok.child_id().0)
        .bind(l.role.as_str())
        .bind(l.source.as_str())
        .bind(l.confidence.as_str())
        .bind(l.to_date)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

const UPDATE_ENTITY: &str = "update context_entities set name = $2, location_type = $3, postcode = $4, description = $5 where id = $1";
/// Correct a context's own record (its kind and source stay as recorded).
pub async fn update_entity(tx: &mut Tx, e: &ContextEntity) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(UPDATE_ENTITY)
        .bind(e.id)
        .bind(&e.name)
        .bind(e.location_type.map(|t| t.as_str()))
        .bind(&e.postcode)
        .bind(&e.description)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// A correction or ending, as kept.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ContextChange {
    /// Identifier.
    pub id: Uuid,
    /// The context.
    pub entity_id: Uuid,
    /// The link, for a change to a link.
    pub link_id: Option<Uuid>,
    /// The link's child.
    pub child_id: Option<Uuid>,
    /// What changed, in words.
    pub change: String,
    /// Why.
    pub reason: String,
    /// Who.
    pub changed_by: Uuid,
    /// Their name (filled on reading).
    #[sqlx(default)]
    pub changed_by_name: String,
    /// When.
    pub changed_at: DateTime<Utc>,
}

const INSERT_CHANGE: &str = "insert into context_changes (id, entity_id, link_id, child_id, change, reason, changed_by, changed_at) values ($1, $2, $3, $4, $5, $6, $7, $8)";
/// Keep a change to a context (`ok` none) or to one child's link.
pub async fn insert_change(tx: &mut Tx, ok: Option<&Allowed>, c: &ContextChange) -> DbResult<()> {
    on_tx!(tx, |x| sqlx::query(INSERT_CHANGE)
        .bind(c.id)
        .bind(c.entity_id)
        .bind(c.link_id)
        .bind(ok.map(|o| o.child_id().0))
        .bind(&c.change)
        .bind(&c.reason)
        .bind(c.changed_by)
        .bind(c.changed_at)
        .execute(x)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const CHANGES_FOR_LINK: &str = "select c.id, c.entity_id, c.link_id, c.child_id, c.change, c.reason, c.changed_by, u.name as changed_by_name, c.changed_at from context_changes c join users u on u.id = c.changed_by where c.link_id = $1 and c.child_id = $2 order by c.changed_at, c.id";
/// The history of one of the child's links, oldest first.
pub async fn changes_for_link(
    tx: &mut Tx,
    ok: &Allowed,
    link: Uuid,
) -> DbResult<Vec<ContextChange>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(CHANGES_FOR_LINK)
        .bind(link)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?)
}

const CHANGES_FOR_ENTITY: &str = "select c.id, c.entity_id, c.link_id, c.child_id, c.change, c.reason, c.changed_by, u.name as changed_by_name, c.changed_at from context_changes c join users u on u.id = c.changed_by where c.entity_id = $1 and c.link_id is null order by c.changed_at, c.id";
/// The history of a context's own record (not its links), oldest first.
pub async fn changes_for_entity(tx: &mut Tx, entity: Uuid) -> DbResult<Vec<ContextChange>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(CHANGES_FOR_ENTITY)
        .bind(entity)
        .fetch_all(c)
        .await)?)
}

const ORG_KIND: &str = "select kind from organisations where id = $1";
/// The kind of an organisation (for the policy's police checks).
pub async fn org_kind(tx: &mut Tx, org: OrgId) -> DbResult<Option<OrgKind>> {
    let r: Option<(String,)> = on_tx!(tx, |c| sqlx::query_as(ORG_KIND)
        .bind(org.0)
        .fetch_optional(c)
        .await)?;
    Ok(r.and_then(|(k,)| OrgKind::parse(&k)))
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    INSERT_ENTITY,
    GET_ENTITY,
    LIST_ENTITIES,
    SEARCH_ENTITIES,
    INSERT_LINK,
    LINKS_FOR_CHILD,
    LINKS_FOR_ENTITY,
    ALL_LINKS,
    EPISODE_PLACES,
    INSERT_DECISION,
    DECISIONS,
    ORG_KIND,
    LINK_OF_CHILD,
    UPDATE_LINK,
    UPDATE_ENTITY,
    INSERT_CHANGE,
    CHANGES_FOR_LINK,
    CHANGES_FOR_ENTITY,
];
