//! The SSDA903 (children looked after) return: loading the facts it is built
//! from for every child the authority looks after, recording the care-episode
//! details the return needs (LS, CIN, REC, home postcode, reason for
//! placement change, URN), and the look-ups the import needs to stay
//! idempotent.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::authz::Allowed;
use uuid::Uuid;

/// A child the return may include: one of the authority's children who has
/// ever been looked after.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ChildRow {
    pub id: Uuid,
    pub la_child_id: String,
    pub first_name: String,
    pub last_name: String,
    pub dob: NaiveDate,
    pub sex: String,
    pub ethnicity: String,
    pub upn: Option<String>,
    pub mother: Option<i32>,
    pub mc_dob: Option<NaiveDate>,
    pub restricted: bool,
    /// Team of the current allocation, if any.
    pub team_id: Option<Uuid>,
    pub team_name: Option<String>,
    /// That team's pod and manager (for the access policy).
    pub pod_id: Option<Uuid>,
    pub manager_id: Option<Uuid>,
    /// Current allocated worker.
    pub worker_id: Option<Uuid>,
}

/// A looked-after legal status row with its SSDA903 details.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StatusRow {
    pub id: Uuid,
    pub child_id: Uuid,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub ls_code: Option<String>,
    pub cin_code: Option<String>,
    pub rec_code: Option<String>,
    pub home_postcode: Option<String>,
    pub first_rne: Option<String>,
}

/// A placement with its SSDA903 details.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PlacementRow {
    pub id: Uuid,
    pub child_id: Uuid,
    pub place_code: String,
    pub provider_code: String,
    pub carer_name: String,
    pub postcode: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub reason_place_change: Option<String>,
    pub urn: Option<String>,
}

/// A missing or away episode.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MissingRow {
    pub id: Uuid,
    pub child_id: Uuid,
    pub kind: String,
    pub last_seen_at: DateTime<Utc>,
    pub returned_at: Option<DateTime<Utc>>,
}

/// An allocation with the worker's Social Work England number.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AllocationRow {
    pub id: Uuid,
    pub child_id: Uuid,
    pub worker_id: Uuid,
    pub swe_number: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub sw_reason: String,
}

/// Everything the return is built from.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub children: Vec<ChildRow>,
    pub statuses: Vec<StatusRow>,
    pub placements: Vec<PlacementRow>,
    pub missing: Vec<MissingRow>,
    pub allocations: Vec<AllocationRow>,
}

const CHILDREN: &str = "select c.id, c.la_child_id, c.first_name, c.last_name, c.dob, c.sex, c.ethnicity, c.upn, c.mother, c.mc_dob, c.restricted, \
     a.team_id, t.name as team_name, t.pod_id, t.manager_id, a.worker_id \
     from children c \
     left join allocations a on a.child_id = c.id and a.end_date is null \
     left join teams t on t.id = a.team_id \
     where c.responsible_la = $1 and exists (select 1 from legal_statuses l where l.child_id = c.id and l.status = 'CLA') \
     order by c.la_child_id";
const STATUSES: &str = "select l.id, l.child_id, l.start_date, l.end_date, l.ls_code, l.cin_code, l.rec_code, l.home_postcode, l.first_rne \
     from legal_statuses l join children c on c.id = l.child_id \
     where c.responsible_la = $1 and l.status = 'CLA' order by l.child_id, l.start_date";
const PLACEMENTS: &str = "select p.id, p.child_id, p.place_code, p.provider_code, p.carer_name, p.postcode, p.start_date, p.end_date, p.reason_place_change, p.urn \
     from placements p join children c on c.id = p.child_id \
     where c.responsible_la = $1 order by p.child_id, p.start_date";
const MISSING: &str = "select m.id, m.child_id, m.kind, m.last_seen_at, m.returned_at \
     from missing_episodes m join children c on c.id = m.child_id \
     where c.responsible_la = $1 and exists (select 1 from legal_statuses l where l.child_id = c.id and l.status = 'CLA') \
     order by m.child_id, m.last_seen_at";
const ALLOCATIONS: &str = "select a.id, a.child_id, a.worker_id, u.swe_number, a.start_date, a.end_date, a.sw_reason \
     from allocations a join users u on u.id = a.worker_id join children c on c.id = a.child_id \
     where c.responsible_la = $1 and exists (select 1 from legal_statuses l where l.child_id = c.id and l.status = 'CLA') \
     order by a.child_id, a.start_date";

/// The facts for every child of `la_code` who has ever been looked after.
/// A service-level read for the return and the data-quality page; the
/// caller decides which children a person may see.
pub async fn facts(tx: &mut Tx, la_code: &str) -> DbResult<Facts> {
    let children: Vec<ChildRow> = on_tx!(tx, |c| sqlx::query_as(CHILDREN)
        .bind(la_code)
        .fetch_all(c)
        .await)?;
    let statuses: Vec<StatusRow> = on_tx!(tx, |c| sqlx::query_as(STATUSES)
        .bind(la_code)
        .fetch_all(c)
        .await)?;
    let placements: Vec<PlacementRow> = on_tx!(tx, |c| sqlx::query_as(PLACEMENTS)
        .bind(la_code)
        .fetch_all(c)
        .await)?;
    let missing: Vec<MissingRow> = on_tx!(tx, |c| sqlx::query_as(MISSING)
        .bind(la_code)
        .fetch_all(c)
        .await)?;
    let allocations: Vec<AllocationRow> = on_tx!(tx, |c| sqlx::query_as(ALLOCATIONS)
        .bind(la_code)
        .fetch_all(c)
        .await)?;
    Ok(Facts {
        children,
        statuses,
        placements,
        missing,
        allocations,
    })
}

const CHILD_STATUSES: &str = "select id, child_id, start_date, end_date, ls_code, cin_code, rec_code, home_postcode, first_rne \
     from legal_statuses where child_id = $1 and status = 'CLA' order by start_date";
/// One child's looked-after legal status rows, oldest first.
pub async fn child_statuses(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<StatusRow>> {
    on_tx!(tx, |c| sqlx::query_as(CHILD_STATUSES)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)
    .map_err(Into::into)
}

const CHILD_PLACEMENTS: &str = "select id, child_id, place_code, provider_code, carer_name, postcode, start_date, end_date, reason_place_change, urn \
     from placements where child_id = $1 order by start_date";
/// One child's placements with their SSDA903 details, oldest first.
pub async fn child_placements(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<PlacementRow>> {
    on_tx!(tx, |c| sqlx::query_as(CHILD_PLACEMENTS)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)
    .map_err(Into::into)
}

const SET_STATUS: &str = "update legal_statuses set ls_code = $1, cin_code = $2, rec_code = $3, home_postcode = $4 where id = $5 and child_id = $6 and status = 'CLA'";
/// Record a looked-after status row's SSDA903 details. Returns rows changed.
pub async fn set_status_details(
    tx: &mut Tx,
    ok: &Allowed,
    id: Uuid,
    ls: Option<&str>,
    cin: Option<&str>,
    rec: Option<&str>,
    home_postcode: Option<&str>,
) -> DbResult<u64> {
    on_tx!(tx, |c| sqlx::query(SET_STATUS)
        .bind(ls)
        .bind(cin)
        .bind(rec)
        .bind(home_postcode)
        .bind(id)
        .bind(ok.child_id().0)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
    .map_err(Into::into)
}

const SET_PLACEMENT: &str = "update placements set place_code = $1, provider_code = $2, reason_place_change = $3, urn = $4 where id = $5 and child_id = $6";
/// Record a placement's type, provider, reason for change and URN.
pub async fn set_placement_details(
    tx: &mut Tx,
    ok: &Allowed,
    id: Uuid,
    place: &str,
    provider: &str,
    reason: Option<&str>,
    urn: Option<&str>,
) -> DbResult<u64> {
    on_tx!(tx, |c| sqlx::query(SET_PLACEMENT)
        .bind(place)
        .bind(provider)
        .bind(reason)
        .bind(urn)
        .bind(id)
        .bind(ok.child_id().0)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
    .map_err(Into::into)
}

// ---------- import look-ups ----------

/// The child with this LA child identifier, if any.
pub async fn child_by_code(tx: &mut Tx, code: &str) -> DbResult<Option<Uuid>> {
    let r: Option<(Uuid,)> = on_tx!(tx, |c| sqlx::query_as(
        "select id from children where la_child_id = $1"
    )
    .bind(code)
    .fetch_optional(c)
    .await)?;
    Ok(r.map(|x| x.0))
}

/// Whether a looked-after status row starting on `start` exists.
pub async fn status_exists(tx: &mut Tx, child: Uuid, start: NaiveDate) -> DbResult<bool> {
    let r: Option<(Uuid,)> = on_tx!(tx, |c| {
        sqlx::query_as(
        "select id from legal_statuses where child_id = $1 and status = 'CLA' and start_date = $2"
    )
    .bind(child)
    .bind(start)
    .fetch_optional(c)
    .await
    })?;
    Ok(r.is_some())
}

/// Whether a placement starting on `start` exists.
pub async fn placement_exists(tx: &mut Tx, child: Uuid, start: NaiveDate) -> DbResult<bool> {
    let r: Option<(Uuid,)> = on_tx!(tx, |c| sqlx::query_as(
        "select id from placements where child_id = $1 and start_date = $2"
    )
    .bind(child)
    .bind(start)
    .fetch_optional(c)
    .await)?;
    Ok(r.is_some())
}

/// Whether a missing episode starting at `at` exists.
pub async fn missing_exists(tx: &mut Tx, child: Uuid, at: DateTime<Utc>) -> DbResult<bool> {
    let r: Option<(Uuid,)> = on_tx!(tx, |c| sqlx::query_as(
        "select id from missing_episodes where child_id = $1 and last_seen_at = $2"
    )
    .bind(child)
    .bind(at)
    .fetch_optional(c)
    .await)?;
    Ok(r.is_some())
}

/// Whether an allocation starting on `start` exists.
pub async fn allocation_exists(tx: &mut Tx, child: Uuid, start: NaiveDate) -> DbResult<bool> {
    let r: Option<(Uuid,)> = on_tx!(tx, |c| sqlx::query_as(
        "select id from allocations where child_id = $1 and start_date = $2"
    )
    .bind(child)
    .bind(start)
    .fetch_optional(c)
    .await)?;
    Ok(r.is_some())
}

/// The user holding this Social Work England number (or local `XX` code).
pub async fn user_by_swe(tx: &mut Tx, swe: &str) -> DbResult<Option<Uuid>> {
    let r: Option<(Uuid,)> = on_tx!(tx, |c| sqlx::query_as(
        "select id from users where swe_number = $1"
    )
    .bind(swe)
    .fetch_optional(c)
    .await)?;
    Ok(r.map(|x| x.0))
}

/// Insert an imported allocation (the import records who ran it).
#[allow(clippy::too_many_arguments)]
pub async fn insert_allocation(
    tx: &mut Tx,
    ok: &Allowed,
    id: Uuid,
    worker: Uuid,
    start: NaiveDate,
    end: Option<NaiveDate>,
    reason: &str,
    recorded_by: Uuid,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "insert into allocations (id, child_id, worker_id, team_id, start_date, end_date, sw_reason, recorded_by, recorded_at) values ($1, $2, $3, null, $4, $5, $6, $7, $8)"
    )
    .bind(id)
    .bind(ok.child_id().0)
    .bind(worker)
    .bind(start)
    .bind(end)
    .bind(reason)
    .bind(recorded_by)
    .bind(at)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Insert an imported missing episode: only what the return carries (type,
/// dates); the circumstances say where it came from.
#[allow(clippy::too_many_arguments)]
pub async fn insert_missing(
    tx: &mut Tx,
    ok: &Allowed,
    id: Uuid,
    kind: &str,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
    recorded_by: Uuid,
    at: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "insert into missing_episodes (id, child_id, kind, missing_from, last_seen_at, location_left, circumstances, returned_at, recorded_by, recorded_at, return_recorded_by, return_recorded_at) \
         values ($1, $2, $3, 'placement', $4, 'Not recorded (imported from SSDA903)', 'Imported from an SSDA903 return; details were not in the return.', $5, $6, $7, $8, $9)"
    )
    .bind(id)
    .bind(ok.child_id().0)
    .bind(kind)
    .bind(start)
    .bind(end)
    .bind(recorded_by)
    .bind(at)
    .bind(end.map(|_| recorded_by))
    .bind(end.map(|_| at))
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// The user with this email, if any.
pub async fn user_by_email(tx: &mut Tx, email: &str) -> DbResult<Option<Uuid>> {
    let r: Option<(Uuid,)> = on_tx!(tx, |c| sqlx::query_as(
        "select id from users where email = $1"
    )
    .bind(email)
    .fetch_optional(c)
    .await)?;
    Ok(r.map(|x| x.0))
}

/// The authority's own social care organisation.
pub async fn social_care_org(tx: &mut Tx, la_code: &str) -> DbResult<Option<Uuid>> {
    let r: Option<(Uuid,)> = on_tx!(tx, |c| {
        sqlx::query_as(
        "select id from organisations where la_code = $1 and kind = 'social_care' order by name limit 1"
    )
    .bind(la_code)
    .fetch_optional(c)
    .await
    })?;
    Ok(r.map(|x| x.0))
}

/// Insert a disabled account that cannot sign in: a worker named in
/// imported data who has no Harbour account (so their allocations keep
/// their SW_ID), or the import itself as the recorder of what it wrote.
pub async fn insert_placeholder_user(
    tx: &mut Tx,
    id: Uuid,
    email: &str,
    name: &str,
    org: Uuid,
    swe_number: Option<&str>,
    now: DateTime<Utc>,
) -> DbResult<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "insert into users (id, email, name, role, org_id, swe_number, password_hash, disabled_at, created_at) values ($1, $2, $3, 'social_worker', $4, $5, '!', $6, $6)"
    )
    .bind(id)
    .bind(email)
    .bind(name)
    .bind(org)
    .bind(swe_number)
    .bind(now)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Demo loading: the SSDA903 details of rows just inserted by the demo
/// loader (no policy decision: the loader owns the empty database).
#[allow(clippy::type_complexity)]
pub async fn write_demo_details(
    tx: &mut Tx,
    statuses: &[(
        Uuid,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    )],
    placements: &[(Uuid, Option<String>, Option<String>)],
) -> DbResult<()> {
    for (id, ls, cin, rec, home) in statuses {
        on_tx!(tx, |c| {
            sqlx::query(
            "update legal_statuses set ls_code = $1, cin_code = $2, rec_code = $3, home_postcode = $4 where id = $5"
        )
        .bind(ls)
        .bind(cin)
        .bind(rec)
        .bind(home)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
        })?;
    }
    for (id, reason, urn) in placements {
        on_tx!(tx, |c| sqlx::query(
            "update placements set reason_place_change = $1, urn = $2 where id = $3"
        )
        .bind(reason)
        .bind(urn)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Record the child's details the return's Header carries: sex, ethnicity,
/// UPN, whether she is a mother and her first child's date of birth.
#[allow(clippy::too_many_arguments)]
pub async fn set_header_details(
    tx: &mut Tx,
    ok: &Allowed,
    sex: &str,
    ethnicity: &str,
    upn: Option<&str>,
    mother: Option<bool>,
    mc_dob: Option<NaiveDate>,
) -> DbResult<u64> {
    on_tx!(tx, |c| sqlx::query(
        "update children set sex = $1, ethnicity = $2, upn = $3, mother = $4, mc_dob = $5 where id = $6"
    )
    .bind(sex)
    .bind(ethnicity)
    .bind(upn)
    .bind(mother.map(i32::from))
    .bind(mc_dob)
    .bind(ok.child_id().0)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
    .map_err(Into::into)
}

/// Demo loading: "not a mother" for the home authority's looked-after girls
/// (the demo invents no teenage mothers).
pub async fn write_demo_mothers(tx: &mut Tx, la_code: &str) -> DbResult<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "update children set mother = 0 where responsible_la = $1 and sex = 'F' and exists (select 1 from legal_statuses l where l.child_id = children.id and l.status = 'CLA')"
    )
    .bind(la_code)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Record the RNE an import found on the first episode it holds of a
/// period of care that began before the imported year.
pub async fn set_first_rne(tx: &mut Tx, ok: &Allowed, id: Uuid, rne: &str) -> DbResult<u64> {
    on_tx!(tx, |c| sqlx::query(
        "update legal_statuses set first_rne = $1 where id = $2 and child_id = $3"
    )
    .bind(rne)
    .bind(id)
    .bind(ok.child_id().0)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
    .map_err(Into::into)
}
