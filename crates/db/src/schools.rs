//! Schools, their designated staff and partnership membership, contacts and
//! referrals from schools, school notices (registrations and deletions) and
//! children-missing-education cases with their enquiry steps.
//!
//! Functions that read or write part of a child's record take an
//! [`Allowed`] and use its child id. Lists that span children (a school's
//! contacts, open CME cases) return each child's id so the caller can ask
//! the policy before showing a name.

use crate::{DbResult, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_domain::authz::Allowed;
use harbour_domain::ids::*;
use uuid::Uuid;

/// A school.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct School {
    /// Identifier.
    pub id: Uuid,
    /// Unique reference number (six digits).
    pub urn: String,
    /// Name.
    pub name: String,
    /// Phase: primary, secondary, all-through, special, alternative provision.
    pub phase: String,
    /// Local authority code (the school's area).
    pub la_code: String,
    /// The organisation its own staff sign in under.
    pub org_id: Option<Uuid>,
    /// When added.
    pub created_at: DateTime<Utc>,
}

/// A designated teacher or safeguarding lead.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Staff {
    /// Identifier.
    pub id: Uuid,
    /// The school.
    pub school_id: Uuid,
    /// Name.
    pub name: String,
    /// `StaffRole` code.
    pub role: String,
    /// E-mail.
    pub email: String,
    /// Telephone.
    pub phone: String,
    /// Their Harbour account.
    pub user_id: Option<Uuid>,
    /// Their social-care supervisor (designated teachers).
    pub supervisor_id: Option<Uuid>,
    /// The supervisor's name.
    pub supervisor_name: Option<String>,
    /// When added.
    pub created_at: DateTime<Utc>,
}

/// A membership period.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MembershipRow {
    /// Identifier.
    pub id: Uuid,
    /// The school.
    pub school_id: Uuid,
    /// Joined.
    pub joined_on: NaiveDate,
    /// Left.
    pub left_on: Option<NaiveDate>,
}

/// A contact or referral from a school.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct Contact {
    /// Identifier.
    pub id: Uuid,
    /// The school.
    pub school_id: Uuid,
    /// The school's name.
    pub school_name: String,
    /// The child, if known to Harbour.
    pub child_id: Option<Uuid>,
    /// The child's name (callers show it only where the policy allows).
    pub child_name: Option<String>,
    /// When received.
    pub received_at: DateTime<Utc>,
    /// `ContactKind` code.
    pub kind: String,
    /// Who at the school made it.
    pub contact_name: String,
    /// What was said.
    pub summary: String,
    /// `ContactOutcome` code.
    pub outcome: String,
    /// Recorded by.
    pub recorded_by_name: String,
}

/// A notice from a school.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Notice {
    /// Identifier.
    pub id: Uuid,
    /// The school.
    pub school_id: Uuid,
    /// Its name.
    pub school_name: String,
    /// `NoticeKind` code.
    pub kind: String,
    /// The pupil's name as the school gave it.
    pub pupil_name: String,
    /// Date of birth.
    pub pupil_dob: Option<NaiveDate>,
    /// Unique pupil number.
    pub upn: Option<String>,
    /// Registered on, or deleted on.
    pub event_on: NaiveDate,
    /// When the authority was told.
    pub notified_on: NaiveDate,
    /// `DeletionGround` code (deletions).
    pub ground: Option<String>,
    /// Future address and school, or where the pupil came from.
    pub destination: String,
    /// Recorded by.
    pub recorded_by_name: String,
}

/// A children-missing-education case.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct CmeCase {
    /// Identifier.
    pub id: Uuid,
    /// The child.
    pub child_id: Uuid,
    /// The child's name (for lists the caller has checked).
    pub child_name: String,
    /// The school the child was last on the roll of.
    pub school_id: Option<Uuid>,
    /// Its name.
    pub school_name: Option<String>,
    /// The notice that started it.
    pub notice_id: Option<Uuid>,
    /// A missing-from-education episode it is linked to.
    pub episode_id: Option<Uuid>,
    /// Opened.
    pub opened_on: NaiveDate,
    /// Why.
    pub reason: String,
    /// Opened by.
    pub opened_by_name: String,
    /// `CmeOutcome` code, when closed.
    pub outcome: Option<String>,
    /// Closed on.
    pub outcome_on: Option<NaiveDate>,
    /// Notes on the outcome.
    pub outcome_notes: Option<String>,
}

/// An enquiry step.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct Step {
    /// Identifier.
    pub id: Uuid,
    /// The case.
    pub case_id: Uuid,
    /// `StepKind` code.
    pub kind: String,
    /// When.
    pub done_on: NaiveDate,
    /// By whom (name and agency).
    pub done_by: String,
    /// What was found.
    pub result: String,
    /// Recorded by.
    pub recorded_by_name: String,
}

/// A contact to insert.
#[derive(Clone, Debug)]
pub struct NewContact {
    /// Identifier.
    pub id: Uuid,
    /// School.
    pub school_id: Uuid,
    /// When received.
    pub received_at: DateTime<Utc>,
    /// Kind code.
    pub kind: String,
    /// Who called.
    pub contact_name: String,
    /// Summary.
    pub summary: String,
    /// Outcome code.
    pub outcome: String,
    /// Recorded by.
    pub recorded_by: UserId,
    /// When recorded.
    pub recorded_at: DateTime<Utc>,
}

/// A notice to insert.
#[derive(Clone, Debug)]
pub struct NewNotice {
    /// Identifier.
    pub id: Uuid,
    /// School.
    pub school_id: Uuid,
    /// Kind code.
    pub kind: String,
    /// Pupil name.
    pub pupil_name: String,
    /// Date of birth.
    pub pupil_dob: Option<NaiveDate>,
    /// UPN.
    pub upn: Option<String>,
    /// Registered or deleted on.
    pub event_on: NaiveDate,
    /// Notified on.
    pub notified_on: NaiveDate,
    /// Ground code.
    pub ground: Option<String>,
    /// Destination.
    pub destination: String,
    /// Recorded by.
    pub recorded_by: UserId,
    /// When recorded.
    pub recorded_at: DateTime<Utc>,
}

/// A case to open.
#[derive(Clone, Debug)]
pub struct NewCase {
    /// Identifier.
    pub id: Uuid,
    /// School.
    pub school_id: Option<Uuid>,
    /// Notice.
    pub notice_id: Option<Uuid>,
    /// Episode.
    pub episode_id: Option<Uuid>,
    /// Opened on.
    pub opened_on: NaiveDate,
    /// Why.
    pub reason: String,
    /// By.
    pub opened_by: UserId,
    /// At.
    pub opened_at: DateTime<Utc>,
}

const INSERT_SCHOOL: &str = "insert into schools (id, urn, name, phase, la_code, org_id, created_at) values ($1, $2, $3, $4, $5, $6, $7)";
const LIST_SCHOOLS: &str =
    "select id, urn, name, phase, la_code, org_id, created_at from schools order by name, urn";
const GET_SCHOOL: &str =
    "select id, urn, name, phase, la_code, org_id, created_at from schools where id = $1";
const INSERT_STAFF: &str = "insert into school_staff (id, school_id, name, role, email, phone, user_id, supervisor_id, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const STAFF_FOR_SCHOOL: &str = "select s.id, s.school_id, s.name, s.role, s.email, s.phone, s.user_id, s.supervisor_id, u.name as supervisor_name, s.created_at from school_staff s left join users u on u.id = s.supervisor_id where s.school_id = $1 order by s.role, s.name";
const DT_BY_USER: &str = "select s.id, s.school_id, s.name, s.role, s.email, s.phone, s.user_id, s.supervisor_id, u.name as supervisor_name, s.created_at from school_staff s left join users u on u.id = s.supervisor_id where s.user_id = $1 and s.role = 'designated_teacher' order by s.created_at limit 1";
const DT_SUPERVISED_BY: &str = "select s.id, s.school_id, s.name, s.role, s.email, s.phone, s.user_id, s.supervisor_id, u.name as supervisor_name, s.created_at from school_staff s left join users u on u.id = s.supervisor_id where s.supervisor_id = $1 and s.role = 'designated_teacher' and s.user_id is not null order by s.name";
const INSERT_MEMBERSHIP: &str = "insert into school_memberships (id, school_id, joined_on, left_on, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6)";
const MEMBERSHIPS: &str = "select id, school_id, joined_on, left_on from school_memberships where school_id = $1 order by joined_on";
const ALL_MEMBERSHIPS: &str = "select id, school_id, joined_on, left_on from school_memberships order by school_id, joined_on";
const CLOSE_MEMBERSHIP: &str = "update school_memberships set left_on = $1 where school_id = $2 and left_on is null and joined_on <= $1";
const INSERT_CONTACT: &str = "insert into school_contacts (id, school_id, child_id, received_at, kind, contact_name, summary, outcome, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const CONTACTS_FOR_SCHOOL: &str = "select c.id, c.school_id, s.name as school_name, c.child_id, k.first_name || ' ' || k.last_name as child_name, c.received_at, c.kind, c.contact_name, c.summary, c.outcome, u.name as recorded_by_name from school_contacts c join schools s on s.id = c.school_id join users u on u.id = c.recorded_by left join children k on k.id = c.child_id where c.school_id = $1 order by c.received_at desc";
const CONTACTS_FOR_CHILD: &str = "select c.id, c.school_id, s.name as school_name, c.child_id, k.first_name || ' ' || k.last_name as child_name, c.received_at, c.kind, c.contact_name, c.summary, c.outcome, u.name as recorded_by_name from school_contacts c join schools s on s.id = c.school_id join users u on u.id = c.recorded_by left join children k on k.id = c.child_id where c.child_id = $1 order by c.received_at desc";
const CHILDREN_FROM_SCHOOL: &str =
    "select distinct child_id from school_contacts where school_id = $1 and child_id is not null";
const INSERT_NOTICE: &str = "insert into cme_notices (id, school_id, kind, pupil_name, pupil_dob, upn, event_on, notified_on, ground, destination, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
const NOTICES_FOR_SCHOOL: &str = "select n.id, n.school_id, s.name as school_name, n.kind, n.pupil_name, n.pupil_dob, n.upn, n.event_on, n.notified_on, n.ground, n.destination, u.name as recorded_by_name from cme_notices n join schools s on s.id = n.school_id join users u on u.id = n.recorded_by where n.school_id = $1 order by n.notified_on desc, n.recorded_at desc";
const NOTICES_RECENT: &str = "select n.id, n.school_id, s.name as school_name, n.kind, n.pupil_name, n.pupil_dob, n.upn, n.event_on, n.notified_on, n.ground, n.destination, u.name as recorded_by_name from cme_notices n join schools s on s.id = n.school_id join users u on u.id = n.recorded_by where n.notified_on >= $1 order by n.notified_on desc, n.recorded_at desc";
const GET_NOTICE: &str = "select n.id, n.school_id, s.name as school_name, n.kind, n.pupil_name, n.pupil_dob, n.upn, n.event_on, n.notified_on, n.ground, n.destination, u.name as recorded_by_name from cme_notices n join schools s on s.id = n.school_id join users u on u.id = n.recorded_by where n.id = $1";
const INSERT_CASE: &str = "insert into cme_cases (id, child_id, school_id, notice_id, episode_id, opened_on, reason, opened_by, opened_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const GET_CASE: &str = "select c.id, c.child_id, k.first_name || ' ' || k.last_name as child_name, c.school_id, s.name as school_name, c.notice_id, c.episode_id, c.opened_on, c.reason, u.name as opened_by_name, c.outcome, c.outcome_on, c.outcome_notes from cme_cases c join children k on k.id = c.child_id join users u on u.id = c.opened_by left join schools s on s.id = c.school_id where c.id = $1";
const OPEN_CASES: &str = "select c.id, c.child_id, k.first_name || ' ' || k.last_name as child_name, c.school_id, s.name as school_name, c.notice_id, c.episode_id, c.opened_on, c.reason, u.name as opened_by_name, c.outcome, c.outcome_on, c.outcome_notes from cme_cases c join children k on k.id = c.child_id join users u on u.id = c.opened_by left join schools s on s.id = c.school_id where c.outcome is null order by c.opened_on";
const CASES_FOR_CHILD: &str = "select c.id, c.child_id, k.first_name || ' ' || k.last_name as child_name, c.school_id, s.name as school_name, c.notice_id, c.episode_id, c.opened_on, c.reason, u.name as opened_by_name, c.outcome, c.outcome_on, c.outcome_notes from cme_cases c join children k on k.id = c.child_id join users u on u.id = c.opened_by left join schools s on s.id = c.school_id where c.child_id = $1 order by c.opened_on desc";
const CASE_CHILD: &str = "select child_id from cme_cases where id = $1";
const CLOSE_CASE: &str = "update cme_cases set outcome = $1, outcome_on = $2, outcome_notes = $3, closed_by = $4 where id = $5 and child_id = $6 and outcome is null";
const INSERT_STEP: &str = "insert into cme_steps (id, case_id, kind, done_on, done_by, result, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8)";
const STEPS_FOR_CHILD: &str = "select t.id, t.case_id, t.kind, t.done_on, t.done_by, t.result, u.name as recorded_by_name from cme_steps t join cme_cases c on c.id = t.case_id join users u on u.id = t.recorded_by where c.child_id = $1 order by t.done_on, t.recorded_at";
const CHILD_BY_REF: &str = "select id from children where upper(la_child_id) = upper($1)";

/// Every query in this module.
pub const QUERIES: &[&str] = &[
    INSERT_SCHOOL,
    LIST_SCHOOLS,
    GET_SCHOOL,
    INSERT_STAFF,
    STAFF_FOR_SCHOOL,
    DT_BY_USER,
    DT_SUPERVISED_BY,
    INSERT_MEMBERSHIP,
    MEMBERSHIPS,
    ALL_MEMBERSHIPS,
    CLOSE_MEMBERSHIP,
    INSERT_CONTACT,
    CONTACTS_FOR_SCHOOL,
    CONTACTS_FOR_CHILD,
    CHILDREN_FROM_SCHOOL,
    INSERT_NOTICE,
    NOTICES_FOR_SCHOOL,
    NOTICES_RECENT,
    GET_NOTICE,
    INSERT_CASE,
    GET_CASE,
    OPEN_CASES,
    CASES_FOR_CHILD,
    CASE_CHILD,
    CLOSE_CASE,
    INSERT_STEP,
    STEPS_FOR_CHILD,
    CHILD_BY_REF,
];

/// The child with this authority reference (`la_child_id`), if any. Only
/// the id: the caller asks the policy before reading anything else.
pub async fn child_by_reference(tx: &mut Tx, reference: &str) -> DbResult<Option<ChildId>> {
    let r: Option<(Uuid,)> = on_tx!(tx, |c| sqlx::query_as(CHILD_BY_REF)
        .bind(reference.trim())
        .fetch_optional(c)
        .await)?;
    Ok(r.map(|(u,)| ChildId(u)))
}

/// Add a school.
pub async fn insert_school(tx: &mut Tx, s: &School) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_SCHOOL)
        .bind(s.id)
        .bind(&s.urn)
        .bind(&s.name)
        .bind(&s.phase)
        .bind(&s.la_code)
        .bind(s.org_id)
        .bind(s.created_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every school, by name.
pub async fn list(tx: &mut Tx) -> DbResult<Vec<School>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(LIST_SCHOOLS)
        .fetch_all(c)
        .await)?)
}

/// One school.
pub async fn get(tx: &mut Tx, id: Uuid) -> DbResult<Option<School>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(GET_SCHOOL)
        .bind(id)
        .fetch_optional(c)
        .await)?)
}

/// Add a staff member.
pub async fn insert_staff(tx: &mut Tx, s: &Staff) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_STAFF)
        .bind(s.id)
        .bind(s.school_id)
        .bind(&s.name)
        .bind(&s.role)
        .bind(&s.email)
        .bind(&s.phone)
        .bind(s.user_id)
        .bind(s.supervisor_id)
        .bind(s.created_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A school's staff.
pub async fn staff(tx: &mut Tx, school: Uuid) -> DbResult<Vec<Staff>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(STAFF_FOR_SCHOOL)
        .bind(school)
        .fetch_all(c)
        .await)?)
}

/// The designated-teacher entry for a Harbour user, if they are one.
pub async fn designated_teacher(tx: &mut Tx, user: UserId) -> DbResult<Option<Staff>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(DT_BY_USER)
        .bind(user.0)
        .fetch_optional(c)
        .await)?)
}

/// Designated teachers (with accounts) supervised by `supervisor`.
pub async fn supervised_teachers(tx: &mut Tx, supervisor: UserId) -> DbResult<Vec<Staff>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(DT_SUPERVISED_BY)
        .bind(supervisor.0)
        .fetch_all(c)
        .await)?)
}

/// Record that a school joined the partnership (and, if it has left, when).
pub async fn insert_membership(
    tx: &mut Tx,
    school: Uuid,
    joined: NaiveDate,
    left: Option<NaiveDate>,
    by: UserId,
    at: DateTime<Utc>,
) -> DbResult<Uuid> {
    let id = Uuid::now_v7();
    on_tx!(tx, |c| sqlx::query(INSERT_MEMBERSHIP)
        .bind(id)
        .bind(school)
        .bind(joined)
        .bind(left)
        .bind(by.0)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(id)
}

/// Record that a school left: closes its open membership. Returns whether one was open.
pub async fn close_membership(tx: &mut Tx, school: Uuid, left: NaiveDate) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(CLOSE_MEMBERSHIP)
        .bind(left)
        .bind(school)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// A school's membership periods, earliest first.
pub async fn memberships(tx: &mut Tx, school: Uuid) -> DbResult<Vec<MembershipRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(MEMBERSHIPS)
        .bind(school)
        .fetch_all(c)
        .await)?)
}

/// Every school's membership periods.
pub async fn all_memberships(tx: &mut Tx) -> DbResult<Vec<MembershipRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(ALL_MEMBERSHIPS)
        .fetch_all(c)
        .await)?)
}

/// Record a contact. A contact about a known child needs the policy's
/// permission on that child.
pub async fn insert_contact(tx: &mut Tx, n: &NewContact, child: Option<&Allowed>) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_CONTACT)
        .bind(n.id)
        .bind(n.school_id)
        .bind(child.map(|a| a.child_id().0))
        .bind(n.received_at)
        .bind(&n.kind)
        .bind(&n.contact_name)
        .bind(&n.summary)
        .bind(&n.outcome)
        .bind(n.recorded_by.0)
        .bind(n.recorded_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A school's contacts, newest first (child names for the caller to filter).
pub async fn contacts_for_school(tx: &mut Tx, school: Uuid) -> DbResult<Vec<Contact>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(CONTACTS_FOR_SCHOOL)
        .bind(school)
        .fetch_all(c)
        .await)?)
}

/// Contacts from schools about the child, newest first.
pub async fn contacts_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Contact>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(CONTACTS_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?)
}

/// The children a school has contacted the authority about.
pub async fn children_from_school(tx: &mut Tx, school: Uuid) -> DbResult<Vec<ChildId>> {
    let rows: Vec<(Uuid,)> = on_tx!(tx, |c| sqlx::query_as(CHILDREN_FROM_SCHOOL)
        .bind(school)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(|(u,)| ChildId(u)).collect())
}

/// Record a notice.
pub async fn insert_notice(tx: &mut Tx, n: &NewNotice) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_NOTICE)
        .bind(n.id)
        .bind(n.school_id)
        .bind(&n.kind)
        .bind(&n.pupil_name)
        .bind(n.pupil_dob)
        .bind(&n.upn)
        .bind(n.event_on)
        .bind(n.notified_on)
        .bind(&n.ground)
        .bind(&n.destination)
        .bind(n.recorded_by.0)
        .bind(n.recorded_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A school's notices, newest first.
pub async fn notices_for_school(tx: &mut Tx, school: Uuid) -> DbResult<Vec<Notice>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(NOTICES_FOR_SCHOOL)
        .bind(school)
        .fetch_all(c)
        .await)?)
}

/// Notices received on or after `since`, newest first.
pub async fn notices_since(tx: &mut Tx, since: NaiveDate) -> DbResult<Vec<Notice>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(NOTICES_RECENT)
        .bind(since)
        .fetch_all(c)
        .await)?)
}

/// One notice.
pub async fn notice(tx: &mut Tx, id: Uuid) -> DbResult<Option<Notice>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(GET_NOTICE)
        .bind(id)
        .fetch_optional(c)
        .await)?)
}

/// Open a case on the child.
pub async fn insert_case(tx: &mut Tx, ok: &Allowed, n: &NewCase) -> DbResult<()> {
    on_tx!(tx, |c| sqlx::query(INSERT_CASE)
        .bind(n.id)
        .bind(ok.child_id().0)
        .bind(n.school_id)
        .bind(n.notice_id)
        .bind(n.episode_id)
        .bind(n.opened_on)
        .bind(&n.reason)
        .bind(n.opened_by.0)
        .bind(n.opened_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Which child a case is about (to ask the policy before reading it).
pub async fn case_child(tx: &mut Tx, id: Uuid) -> DbResult<Option<ChildId>> {
    let r: Option<(Uuid,)> = on_tx!(tx, |c| sqlx::query_as(CASE_CHILD)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(r.map(|(u,)| ChildId(u)))
}

/// A case, if it is about the permitted child.
pub async fn get_case(tx: &mut Tx, ok: &Allowed, id: Uuid) -> DbResult<Option<CmeCase>> {
    let r: Option<CmeCase> = on_tx!(tx, |c| sqlx::query_as(GET_CASE)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(r.filter(|c| c.child_id == ok.child_id().0))
}

/// Open cases across the service, oldest first (names for the caller to filter).
pub async fn open_cases(tx: &mut Tx) -> DbResult<Vec<CmeCase>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(OPEN_CASES)
        .fetch_all(c)
        .await)?)
}

/// The child's cases, newest first.
pub async fn cases_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<CmeCase>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(CASES_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?)
}

/// Close a case with its outcome. Returns false if it was already closed.
pub async fn close_case(
    tx: &mut Tx,
    ok: &Allowed,
    id: Uuid,
    outcome: &str,
    on: NaiveDate,
    notes: &str,
    by: UserId,
) -> DbResult<bool> {
    let n = on_tx!(tx, |c| sqlx::query(CLOSE_CASE)
        .bind(outcome)
        .bind(on)
        .bind(notes)
        .bind(by.0)
        .bind(id)
        .bind(ok.child_id().0)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Record an enquiry step on one of the child's cases.
#[allow(clippy::too_many_arguments)]
pub async fn insert_step(
    tx: &mut Tx,
    ok: &Allowed,
    case: Uuid,
    kind: &str,
    on: NaiveDate,
    by_whom: &str,
    result: &str,
    recorded_by: UserId,
    at: DateTime<Utc>,
) -> DbResult<Uuid> {
    // The case must be the permitted child's.
    if case_child(tx, case).await? != Some(ok.child_id()) {
        return Err(crate::DbError::Other("case is not this child's".into()));
    }
    let id = Uuid::now_v7();
    on_tx!(tx, |c| sqlx::query(INSERT_STEP)
        .bind(id)
        .bind(case)
        .bind(kind)
        .bind(on)
        .bind(by_whom)
        .bind(result)
        .bind(recorded_by.0)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(id)
}

/// Enquiry steps on all the child's cases, in date order.
pub async fn steps_for_child(tx: &mut Tx, ok: &Allowed) -> DbResult<Vec<Step>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(STEPS_FOR_CHILD)
        .bind(ok.child_id().0)
        .fetch_all(c)
        .await)?)
}
