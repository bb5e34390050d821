//! Philomena profiles: append-only versions (the current one is the highest)
//! and their photos, kept as bytes. Every function reads or writes part of a
//! child's record, so each takes an [`Allowed`] and uses its child id.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, Utc};
use harbour_domain::authz::Allowed;
use harbour_domain::ids::*;
use harbour_domain::philomena::*;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    child_id: Uuid,
    version: i64,
    height: String,
    build: String,
    hair: String,
    eyes: String,
    marks: String,
    clothing: String,
    vulnerabilities: String,
    medical: String,
    associates: String,
    places: String,
    phones_social: String,
    transport_finances: String,
    photo_id: Option<Uuid>,
    content_type: Option<String>,
    size_bytes: Option<i64>,
    recorded_by: Uuid,
    recorded_by_name: String,
    recorded_at: DateTime<Utc>,
}

impl From<Row> for PhilomenaProfile {
    fn from(r: Row) -> Self {
        let photo = match (
            r.photo_id,
            r.content_type.as_deref().and_then(PhotoType::parse),
        ) {
            (Some(id), Some(kind)) => Some(PhotoMeta {
                id,
                kind,
                size: r.size_bytes.unwrap_or(0),
            }),
            _ => None,
        };
        PhilomenaProfile {
            child_id: ChildId(r.child_id),
            version: r.version,
            details: ProfileDetails {
                description: PhysicalDescription {
                    height: r.height,
                    build: r.build,
                    hair: r.hair,
                    eyes: r.eyes,
                    marks: r.marks,
                    clothing: r.clothing,
                },
                vulnerabilities: r.vulnerabilities,
                medical: r.medical,
                associates: r.associates,
                places: r.places,
                phones_social: r.phones_social,
                transport_finances: r.transport_finances,
            },
            photo,
            recorded_by: UserId(r.recorded_by),
            recorded_by_name: r.recorded_by_name,
            recorded_at: r.recorded_at,
        }
    }
}

macro_rules! select_profile {
    () => {
        "select p.child_id, p.version, p.height, p.build, p.hair, p.eyes, p.marks, p.clothing, \
         p.vulnerabilities, p.medical, p.associates, p.places, p.phones_social, p.transport_finances, \
         p.photo_id, ph.content_type, ph.size_bytes, p.recorded_by, u.name as recorded_by_name, p.recorded_at \
         from philomena_profiles p join users u on u.id = p.recorded_by \
         left join philomena_photos ph on ph.id = p.photo_id "
    };
}

const HISTORY: &str = concat!(
    select_profile!(),
    "where p.child_id = $1 order by p.version desc"
);
/// Every version of the child's profile, newest (current) first.
pub async fn history(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<PhilomenaProfile>> {
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(HISTORY)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

const CURRENT: &str = concat!(
    select_profile!(),
    "where p.child_id = $1 order by p.version desc limit 1"
);
/// The current profile: the highest version, if there is one.
pub async fn current(tx: &mut Tx, ok: &Allowed) -> DbResult<Option<PhilomenaProfile>> {
    let r: Option<Row> = on_tx!(tx, |c| sqlx::query_as(CURRENT)
        .bind(ok.child_id().0)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const VERSION: &str = concat!(
    select_profile!(),
    "where p.child_id = $1 and p.version = $2"
);
/// One version.
pub async fn version(tx: &mut Tx, ok: &Allowed, v: i64) -> DbResult<Option<PhilomenaProfile>> {
    let r: Option<Row> = on_tx!(tx, |c| sqlx::query_as(VERSION)
        .bind(ok.child_id().0)
        .bind(v)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(Into::into))
}

const INSERT: &str = "insert into philomena_profiles (child_id, version, height, build, hair, eyes, marks, clothing, vulnerabilities, medical, associates, places, phones_social, transport_finances, photo_id, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
/// Add a version. Its number must be new for the child (the primary key
/// refuses a second version with the same number: a unique violation).
pub async fn insert(tx: &mut Tx, ok: &Allowed, p: &PhilomenaProfile) -> DbResult<()> {
    let d = &p.details;
    let desc = &d.description;
    on_tx!(tx, |c| sqlx::query(INSERT)
        .bind(ok.child_id().0)
        .bind(p.version)
        .bind(&desc.height)
        .bind(&desc.build)
        .bind(&desc.hair)
        .bind(&desc.eyes)
        .bind(&desc.marks)
        .bind(&desc.clothing)
        .bind(&d.vulnerabilities)
        .bind(&d.medical)
        .bind(&d.associates)
        .bind(&d.places)
        .bind(&d.phones_social)
        .bind(&d.transport_finances)
        .bind(p.photo.as_ref().map(|ph| ph.id))
        .bind(p.recorded_by.0)
        .bind(p.recorded_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const INSERT_PHOTO: &str = "insert into philomena_photos (id, child_id, content_type, size_bytes, bytes, uploaded_by, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7)";
/// Store a photo (already checked with `check_photo`) for the child.
pub async fn insert_photo(
    tx: &mut Tx,
    ok: &Allowed,
    kind: PhotoType,
    bytes: &[u8],
    by: UserId,
    now: DateTime<Utc>,
) -> DbResult<PhotoMeta> {
    let meta = PhotoMeta {
        id: Uuid::now_v7(),
        kind,
        size: bytes.len() as i64,
    };
    on_tx!(tx, |c| sqlx::query(INSERT_PHOTO)
        .bind(meta.id)
        .bind(ok.child_id().0)
        .bind(kind.content_type())
        .bind(meta.size)
        .bind(bytes)
        .bind(by.0)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(meta)
}

const PHOTO: &str =
    "select content_type, bytes from philomena_photos where id = $1 and child_id = $2";
/// A photo's type and bytes, if it belongs to the child.
pub async fn photo(tx: &mut Tx, ok: &Allowed, id: Uuid) -> DbResult<Option<(PhotoType, Vec<u8>)>> {
    let r: Option<(String, Vec<u8>)> = on_tx!(tx, |c| sqlx::query_as(PHOTO)
        .bind(id)
        .bind(ok.child_id().0)
        .fetch_optional(c)
        .await)?;
    Ok(r.and_then(|(t, b)| PhotoType::parse(&t).map(|t| (t, b))))
}

/// Every query in this module.
pub const QUERIES: &[&str] = &[HISTORY, CURRENT, VERSION, INSERT, INSERT_PHOTO, PHOTO];
