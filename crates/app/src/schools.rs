//! Schools partnership and children missing education.
//!
//! - Schools, their designated teachers and safeguarding leads, and their
//!   partnership membership ([`App::schools_index`], [`App::school_page`],
//!   [`App::add_school`], [`App::add_school_staff`], [`App::set_membership`]).
//! - Contacts and referrals from schools with the front door's outcome
//!   ([`App::record_school_contact`]); one about a known child needs
//!   `AddNote` on that child and goes into the child's chronology.
//! - The report per school and term, before and after joining
//!   ([`App::school_report`]): figures only, no child.
//! - Children missing education: school notices ([`App::record_notice`]),
//!   cases with enquiry steps and an outcome on the child's record
//!   ([`App::open_cme_case`], [`App::cme_case`], [`App::add_cme_step`],
//!   [`App::close_cme_case`]).
//!
//! Permissions: `authz::decide_school` for a school's records,
//! `ServiceAction::ViewSchools` and `ServiceAction::CmeCases` for the lists,
//! `ChildAction::ManageCme` / `ViewRecord` / `AddNote` for a child's part.
//! Every read and write of a child's part is audited in its transaction.

use crate::supervision::parse_day;
use crate::{App, AppError, AppResult, Ctx};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use harbour_db::schools::{self as repo, CmeCase, Contact, Notice, School, Staff, Step};
use harbour_db::{Tx, children, users};
use harbour_domain::Role;
use harbour_domain::audit::Outcome;
use harbour_domain::authz::{
    self, Allowed, ChildAction, SchoolAction, SchoolFacts, ServiceAction, decide_child,
};
use harbour_domain::calendar;
use harbour_domain::ids::*;
use harbour_domain::missing::{MissingEpisode, MissingFrom};
use harbour_domain::model::{Child, User};
use harbour_domain::schools::*;
use harbour_domain::validate::{self, FieldErrors};
use uuid::Uuid;

/// Phases a school may have, for the form.
pub const PHASES: [&str; 6] = [
    "Primary",
    "Secondary",
    "All-through",
    "Special",
    "Alternative provision",
    "Further education",
];

/// A school in the list.
#[derive(Clone, Debug)]
pub struct SchoolRow {
    /// The school.
    pub school: School,
    /// In the partnership now since.
    pub member_since: Option<NaiveDate>,
    /// Left the partnership on (and not re-joined).
    pub left_on: Option<NaiveDate>,
    /// The viewer may open its page.
    pub may_view: bool,
    /// The viewer may open its report.
    pub may_report: bool,
}

/// The schools list.
#[derive(Clone, Debug, Default)]
pub struct SchoolsIndex {
    /// Schools the viewer may see (all for the authority's staff and the
    /// analyst, their own for a school's practitioner).
    pub rows: Vec<SchoolRow>,
    /// The viewer may add schools.
    pub may_manage: bool,
}

/// A contact line on a school's page: the child's name only where the viewer may see the child.
#[derive(Clone, Debug)]
pub struct ContactLine {
    /// The contact.
    pub contact: Contact,
    /// The viewer may open the child's record summary.
    pub child_visible: bool,
}

/// A notice with its lateness.
#[derive(Clone, Debug)]
pub struct NoticeLine {
    /// The notice.
    pub notice: Notice,
    /// Notified after the deadline.
    pub late: bool,
    /// The deadline.
    pub due: NaiveDate,
    /// A deletion on a ground where nobody knows where the child is: the
    /// authority must make enquiries (a case).
    pub whereabouts_unknown: bool,
}

/// A school's page.
#[derive(Clone, Debug)]
pub struct SchoolPage {
    /// The school.
    pub school: School,
    /// Designated teachers and safeguarding leads.
    pub staff: Vec<Staff>,
    /// Membership periods.
    pub memberships: Vec<repo::MembershipRow>,
    /// In the partnership now.
    pub member_now: bool,
    /// Contacts and referrals, newest first.
    pub contacts: Vec<ContactLine>,
    /// Notices, newest first.
    pub notices: Vec<NoticeLine>,
    /// The viewer may change staff and membership.
    pub may_manage: bool,
    /// The viewer may record a contact.
    pub may_contact: bool,
    /// The viewer may record a notice.
    pub may_notice: bool,
    /// Social-care managers who may supervise a designated teacher.
    pub supervisors: Vec<User>,
    /// The school's own Harbour users (for linking a staff member).
    pub school_users: Vec<User>,
}

/// The report per school and term.
#[derive(Clone, Debug)]
pub struct SchoolReport {
    /// The school.
    pub school: School,
    /// Membership periods.
    pub memberships: Vec<Membership>,
    /// Terms, oldest first, the current one last.
    pub rows: Vec<TermRow>,
    /// Complete terms before joining.
    pub before: SideTotals,
    /// Complete terms in the partnership.
    pub member: SideTotals,
    /// The current term (unfinished, left out of the split).
    pub current: Term,
}

/// New school.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct SchoolInput {
    /// URN.
    #[serde(default)]
    pub urn: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Phase.
    #[serde(default)]
    pub phase: String,
}

/// New staff member.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct StaffInput {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Role code.
    #[serde(default)]
    pub role: String,
    /// E-mail.
    #[serde(default)]
    pub email: String,
    /// Telephone.
    #[serde(default)]
    pub phone: String,
    /// Harbour account (user id), optional.
    #[serde(default)]
    pub user: String,
    /// Supervisor (user id), optional.
    #[serde(default)]
    pub supervisor: String,
}

/// Join or leave.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct MembershipInput {
    /// "join" or "leave".
    #[serde(default)]
    pub change: String,
    /// The date.
    #[serde(default)]
    pub date: String,
}

/// A contact from a school.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ContactInput {
    /// Date received.
    #[serde(default)]
    pub date: String,
    /// Time received.
    #[serde(default)]
    pub time: String,
    /// Kind code.
    #[serde(default)]
    pub kind: String,
    /// Who called.
    #[serde(default)]
    pub contact_name: String,
    /// Child's Harbour reference, optional.
    #[serde(default)]
    pub child_ref: String,
    /// What was said.
    #[serde(default)]
    pub summary: String,
    /// Outcome code.
    #[serde(default)]
    pub outcome: String,
}

/// A notice from a school.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct NoticeInput {
    /// School id.
    #[serde(default)]
    pub school: String,
    /// Kind code.
    #[serde(default)]
    pub kind: String,
    /// Pupil's name.
    #[serde(default)]
    pub pupil_name: String,
    /// Date of birth.
    #[serde(default)]
    pub dob: String,
    /// UPN.
    #[serde(default)]
    pub upn: String,
    /// Registered or deleted on.
    #[serde(default)]
    pub event_on: String,
    /// Notified on.
    #[serde(default)]
    pub notified_on: String,
    /// Ground code (deletions).
    #[serde(default)]
    pub ground: String,
    /// Future address and school, or previous school.
    #[serde(default)]
    pub destination: String,
}

/// A new CME case.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct CaseInput {
    /// Opened on.
    #[serde(default)]
    pub opened_on: String,
    /// School id, optional.
    #[serde(default)]
    pub school: String,
    /// Episode id, optional.
    #[serde(default)]
    pub episode: String,
    /// Notice id, optional.
    #[serde(default)]
    pub notice: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// An enquiry step.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct StepInput {
    /// Kind code.
    #[serde(default)]
    pub kind: String,
    /// Date.
    #[serde(default)]
    pub done_on: String,
    /// By whom.
    #[serde(default)]
    pub done_by: String,
    /// Result.
    #[serde(default)]
    pub result: String,
}

/// A case's outcome.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct OutcomeInput {
    /// Outcome code.
    #[serde(default)]
    pub outcome: String,
    /// Date.
    #[serde(default)]
    pub outcome_on: String,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// The CME page.
#[derive(Clone, Debug, Default)]
pub struct CmeHome {
    /// Open cases the viewer may open.
    pub cases: Vec<CmeCase>,
    /// Open cases on children the viewer cannot see (counted only).
    pub hidden_cases: usize,
    /// Notices in the last 90 days.
    pub notices: Vec<NoticeLine>,
}

/// What the case form needs.
#[derive(Clone, Debug)]
pub struct CaseForm {
    /// The child.
    pub child: Child,
    /// Schools.
    pub schools: Vec<School>,
    /// The child's missing-from-education episodes.
    pub episodes: Vec<MissingEpisode>,
    /// Deletion notices in the last 90 days, to start the case from.
    pub notices: Vec<Notice>,
}

/// A CME case page.
#[derive(Clone, Debug)]
pub struct CaseView {
    /// The case.
    pub case: CmeCase,
    /// The child.
    pub child: Child,
    /// Its enquiry steps.
    pub steps: Vec<Step>,
    /// The child's missing-from-education episodes (the linked one marked by id).
    pub episodes: Vec<MissingEpisode>,
    /// The viewer may add steps and close the case.
    pub may_manage: bool,
    /// The school notice the case started from.
    pub notice: Option<NoticeLine>,
}

/// A child's schools part, for the record and chronology.
#[derive(Clone, Debug, Default)]
pub struct ChildSchools {
    /// Contacts from schools about the child.
    pub contacts: Vec<Contact>,
    /// CME cases.
    pub cases: Vec<CmeCase>,
    /// Their steps.
    pub steps: Vec<Step>,
}

/// Read a child's schools part (callers audit the record read).
pub async fn child_part(tx: &mut Tx, ok: &Allowed) -> AppResult<ChildSchools> {
    Ok(ChildSchools {
        contacts: repo::contacts_for_child(tx, ok).await?,
        cases: repo::cases_for_child(tx, ok).await?,
        steps: repo::steps_for_child(tx, ok).await?,
    })
}

fn facts(s: &School) -> SchoolFacts {
    SchoolFacts {
        school_org: s.org_id.map(OrgId),
    }
}

fn notice_line(n: Notice) -> NoticeLine {
    let kind = NoticeKind::parse(&n.kind).unwrap_or(NoticeKind::Registration);
    NoticeLine {
        whereabouts_unknown: n
            .ground
            .as_deref()
            .and_then(DeletionGround::parse)
            .is_some_and(DeletionGround::whereabouts_unknown),
        late: notice_is_late(kind, n.event_on, n.notified_on),
        due: notice_due(kind, n.event_on),
        notice: n,
    }
}

fn memberships_of(rows: &[repo::MembershipRow]) -> Vec<Membership> {
    rows.iter()
        .map(|m| Membership {
            joined: m.joined_on,
            left: m.left_on,
        })
        .collect()
}

fn date_field(errs: &mut FieldErrors, field: &str, label: &str, v: &str) -> Option<NaiveDate> {
    if v.trim().is_empty() {
        errs.add(field, format!("Enter {label}"));
        return None;
    }
    let d = parse_day(v);
    if d.is_none() {
        errs.add(
            field,
            format!("Enter {label} as a real date, for example 27/3/2026"),
        );
    }
    d
}

fn not_future(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    d: Option<NaiveDate>,
    today: NaiveDate,
) {
    if d.is_some_and(|d| d > today) {
        errs.add(field, format!("{label} must be today or in the past"));
    }
}

fn uuid_opt(v: &str) -> Option<Uuid> {
    Uuid::parse_str(v.trim()).ok()
}

impl App {
    async fn school_decided(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        id: Uuid,
        action: SchoolAction,
    ) -> AppResult<School> {
        let Some(s) = repo::get(tx, id).await? else {
            return Err(AppError::NotFound);
        };
        if !authz::decide_school(&ctx.me.actor, action, &facts(&s)) {
            let ev = ctx.event(
                action.audit_name(),
                "school",
                Some(id),
                None,
                Outcome::Deny,
                Some("school".into()),
            );
            self.audit(tx, &ev).await?;
            return Err(AppError::Forbidden(None));
        }
        Ok(s)
    }

    /// Run `f` after deciding on the school; a refusal is committed (audited) and returned.
    async fn with_school(
        &self,
        ctx: &Ctx,
        id: Uuid,
        action: SchoolAction,
    ) -> AppResult<(Tx, School)> {
        let mut tx = self.db.begin_write().await?;
        match self.school_decided(&mut tx, ctx, id, action).await {
            Ok(s) => Ok((tx, s)),
            Err(e) => {
                if matches!(e, AppError::Forbidden(_)) {
                    tx.commit().await?;
                }
                Err(e)
            }
        }
    }

    /// The schools list.
    pub async fn schools_index(&self, ctx: &Ctx) -> AppResult<SchoolsIndex> {
        self.check_service(ctx, ServiceAction::ViewSchools).await?;
        let actor = &ctx.me.actor;
        let mut tx = self.db.begin_write().await?;
        let schools = repo::list(&mut tx).await?;
        let ms = repo::all_memberships(&mut tx).await?;
        let rows: Vec<SchoolRow> = schools
            .into_iter()
            .filter_map(|s| {
                let f = facts(&s);
                let may_view = authz::decide_school(actor, SchoolAction::View, &f);
                let may_report = authz::decide_school(actor, SchoolAction::ViewReport, &f);
                if !may_view && !may_report {
                    return None;
                }
                let mine: Vec<&repo::MembershipRow> =
                    ms.iter().filter(|m| m.school_id == s.id).collect();
                let open = mine.iter().rev().find(|m| m.left_on.is_none());
                Some(SchoolRow {
                    member_since: open.map(|m| m.joined_on),
                    left_on: if open.is_none() {
                        mine.last().and_then(|m| m.left_on)
                    } else {
                        None
                    },
                    school: s,
                    may_view,
                    may_report,
                })
            })
            .collect();
        let ev = ctx.event(
            "schools.list",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!("{} schools", rows.len())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(SchoolsIndex {
            rows,
            may_manage: authz::decide_school(actor, SchoolAction::Manage, &SchoolFacts::default()),
        })
    }

    /// Add a school.
    pub async fn add_school(&self, ctx: &Ctx, input: &SchoolInput) -> AppResult<Uuid> {
        if !authz::decide_school(&ctx.me.actor, SchoolAction::Manage, &SchoolFacts::default()) {
            return Err(self
                .deny(
                    ctx.event(
                        "school.manage",
                        "service",
                        None,
                        None,
                        Outcome::Deny,
                        Some("role".into()),
                    ),
                    None,
                )
                .await);
        }
        let mut errs = FieldErrors::new();
        let urn = input.urn.trim().to_string();
        if urn.is_empty() {
            errs.add("urn", "Enter the school's URN");
        } else if !urn_is_valid(&urn) {
            errs.add("urn", "URN must be 6 digits, for example 124087");
        }
        let name =
            validate::required_text(&mut errs, "name", "the school's name", &input.name, 200);
        if !PHASES.contains(&input.phase.as_str()) {
            errs.add("phase", "Choose the school's phase");
        }
        errs.into_result()?;
        let now = self.now();
        let s = School {
            id: Uuid::now_v7(),
            urn,
            name,
            phase: input.phase.clone(),
            la_code: self.config.home_la.clone(),
            org_id: None,
            created_at: now,
        };
        let mut tx = self.db.begin_write().await?;
        match repo::insert_school(&mut tx, &s).await {
            Err(harbour_db::DbError::UniqueViolation) => {
                let mut errs = FieldErrors::new();
                errs.add("urn", "A school with this URN is already in Harbour");
                return Err(errs.into());
            }
            r => r?,
        }
        let ev = ctx.event(
            "school.manage",
            "school",
            Some(s.id),
            None,
            Outcome::Allow,
            Some("added".into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(s.id)
    }

    /// A school's page.
    pub async fn school_page(&self, ctx: &Ctx, id: Uuid) -> AppResult<SchoolPage> {
        let now = self.now();
        let actor = ctx.me.actor.clone();
        let (mut tx, s) = self.with_school(ctx, id, SchoolAction::View).await?;
        let f = facts(&s);
        let staff = repo::staff(&mut tx, id).await?;
        let memberships = repo::memberships(&mut tx, id).await?;
        let today = calendar::london_date(now);
        let member_now = memberships_of(&memberships).iter().any(|m| m.covers(today));
        let mut contacts = Vec::new();
        let mut seen_children = Vec::new();
        for c in repo::contacts_for_school(&mut tx, id).await? {
            let mut child_visible = false;
            if let Some(cid) = c.child_id
                && let Some(k) =
                    children::get_with_facts(&mut tx, &actor, ChildId(cid), now).await?
            {
                child_visible = decide_child(&actor, ChildAction::ViewSummary, &k.facts).is_ok();
                if child_visible && !seen_children.contains(&cid) {
                    seen_children.push(cid);
                }
            }
            contacts.push(ContactLine {
                contact: c,
                child_visible,
            });
        }
        let notices = repo::notices_for_school(&mut tx, id)
            .await?
            .into_iter()
            .map(notice_line)
            .collect();
        let may_manage = authz::decide_school(&actor, SchoolAction::Manage, &f);
        let (supervisors, school_users) = if may_manage {
            let all = users::list(&mut tx).await?;
            (
                all.iter()
                    .filter(|u| u.disabled_at.is_none() && u.role == Role::TeamManager)
                    .cloned()
                    .collect(),
                all.into_iter()
                    .filter(|u| {
                        u.disabled_at.is_none()
                            && u.role == Role::PartnerPractitioner
                            && s.org_id == Some(u.org_id.0)
                    })
                    .collect(),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let ev = ctx.event(
            "school.view",
            "school",
            Some(id),
            None,
            Outcome::Allow,
            Some(format!("{} contacts", contacts.len())),
        );
        self.audit(&mut tx, &ev).await?;
        // Each child named on the page is a read of that child's record.
        for cid in seen_children {
            let ev = ctx.event(
                "school.view",
                "child",
                Some(cid),
                Some(cid),
                Outcome::Allow,
                None,
            );
            self.audit(&mut tx, &ev).await?;
        }
        tx.commit().await?;
        Ok(SchoolPage {
            school: s,
            staff,
            member_now,
            memberships,
            contacts,
            notices,
            may_manage,
            may_contact: authz::decide_school(&actor, SchoolAction::RecordContact, &f),
            may_notice: authz::decide_school(&actor, SchoolAction::RecordNotice, &f),
            supervisors,
            school_users,
        })
    }

    /// Add a designated teacher or safeguarding lead.
    pub async fn add_school_staff(
        &self,
        ctx: &Ctx,
        school: Uuid,
        input: &StaffInput,
    ) -> AppResult<()> {
        let (mut tx, s) = self.with_school(ctx, school, SchoolAction::Manage).await?;
        let mut errs = FieldErrors::new();
        let name = validate::required_text(&mut errs, "name", "their name", &input.name, 200);
        let role = StaffRole::parse(&input.role);
        if role.is_none() {
            errs.add("role", "Choose their role");
        }
        let email = if input.email.trim().is_empty() {
            String::new()
        } else {
            validate::email(&mut errs, "email", &input.email)
        };
        let phone = validate::optional_text(&mut errs, "phone", "telephone", &input.phone, 40)
            .unwrap_or_default();
        let mut user_id = None;
        if let Some(u) = uuid_opt(&input.user) {
            match users::get(&mut tx, UserId(u)).await? {
                Some(x) if x.role == Role::PartnerPractitioner && s.org_id == Some(x.org_id.0) => {
                    user_id = Some(u)
                }
                _ => errs.add("user", "Choose one of the school's own Harbour users"),
            }
        }
        let mut supervisor_id = None;
        if let Some(u) = uuid_opt(&input.supervisor) {
            match users::get(&mut tx, UserId(u)).await? {
                Some(x) if x.role == Role::TeamManager => supervisor_id = Some(u),
                _ => errs.add("supervisor", "Choose a team manager as supervisor"),
            }
            if role != Some(StaffRole::DesignatedTeacher) {
                errs.add(
                    "supervisor",
                    "Only a designated teacher has a supervisor here",
                );
            }
        }
        errs.into_result()?;
        let st = Staff {
            id: Uuid::now_v7(),
            school_id: school,
            name,
            role: role.map(|r| r.as_str()).unwrap_or_default().into(),
            email,
            phone,
            user_id,
            supervisor_id,
            supervisor_name: None,
            created_at: self.now(),
        };
        repo::insert_staff(&mut tx, &st).await?;
        let ev = ctx.event(
            "school.manage",
            "school",
            Some(school),
            None,
            Outcome::Allow,
            Some("staff added".into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Record that a school joined or left the partnership.
    pub async fn set_membership(
        &self,
        ctx: &Ctx,
        school: Uuid,
        input: &MembershipInput,
    ) -> AppResult<()> {
        let now = self.now();
        let today = calendar::london_date(now);
        let (mut tx, _s) = self.with_school(ctx, school, SchoolAction::Manage).await?;
        let mut errs = FieldErrors::new();
        let date = date_field(&mut errs, "date", "the date", &input.date);
        if !matches!(input.change.as_str(), "join" | "leave") {
            errs.add("change", "Choose joined or left");
        }
        if date.is_some_and(|d| d > today + TimeDelta::days(366)) {
            errs.add("date", "The date must be within a year from today");
        }
        errs.into_result()?;
        let date = date.unwrap_or(today);
        let mut errs = FieldErrors::new();
        let ms = memberships_of(&repo::memberships(&mut tx, school).await?);
        let open = ms.iter().any(|m| m.left.is_none());
        if input.change == "join" {
            if open {
                errs.add("change", "The school is already in the partnership");
            } else if ms.iter().any(|m| m.left.is_some_and(|l| date <= l)) {
                errs.add(
                    "date",
                    "The school was a member then; choose a date after it left",
                );
            }
            errs.into_result()?;
            repo::insert_membership(&mut tx, school, date, None, ctx.me.user.id, now).await?;
        } else {
            if !open {
                errs.add("change", "The school is not in the partnership");
            }
            errs.into_result()?;
            if !repo::close_membership(&mut tx, school, date).await? {
                let mut errs = FieldErrors::new();
                errs.add("date", "The date it left must be after it joined");
                return Err(errs.into());
            }
        }
        let ev = ctx.event(
            "school.manage",
            "school",
            Some(school),
            None,
            Outcome::Allow,
            Some(format!("{} {date}", input.change)),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The school, for the contact form.
    pub async fn contact_form(&self, ctx: &Ctx, school: Uuid) -> AppResult<School> {
        let (mut tx, s) = self
            .with_school(ctx, school, SchoolAction::RecordContact)
            .await?;
        let ev = ctx.event(
            "school.contact.form",
            "school",
            Some(school),
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Record a contact or referral from a school.
    pub async fn record_school_contact(
        &self,
        ctx: &Ctx,
        school: Uuid,
        input: &ContactInput,
    ) -> AppResult<()> {
        let now = self.now();
        let (mut tx, _s) = self
            .with_school(ctx, school, SchoolAction::RecordContact)
            .await?;
        let mut errs = FieldErrors::new();
        let day = date_field(&mut errs, "date", "the date received", &input.date);
        let time = if input.time.trim().is_empty() {
            chrono::NaiveTime::from_hms_opt(12, 0, 0)
        } else {
            let t = validate::parse_time(&input.time);
            if t.is_none() {
                errs.add("time", "Enter a real time, for example 14:30");
            }
            t
        };
        let received_at = day
            .zip(time)
            .map(|(d, t)| calendar::from_london(d.and_time(t)));
        if received_at.is_some_and(|r| r > now + TimeDelta::minutes(5)) {
            errs.add("date", "The date received must be in the past");
        }
        let kind = ContactKind::parse(&input.kind);
        if kind.is_none() {
            errs.add("kind", "Choose consultation or referral");
        }
        let outcome = ContactOutcome::parse(&input.outcome);
        if outcome.is_none() {
            errs.add("outcome", "Choose the outcome");
        }
        if kind == Some(ContactKind::Consultation)
            && outcome == Some(ContactOutcome::ReferralAccepted)
        {
            errs.add(
                "outcome",
                "A consultation cannot be an accepted referral; choose referral",
            );
        }
        let contact_name = validate::required_text(
            &mut errs,
            "contact_name",
            "who contacted you",
            &input.contact_name,
            200,
        );
        let summary = validate::required_text(
            &mut errs,
            "summary",
            "what the school said",
            &input.summary,
            4000,
        );
        let mut child: Option<Allowed> = None;
        if !input.child_ref.trim().is_empty() {
            match repo::child_by_reference(&mut tx, &input.child_ref).await? {
                None => errs.add("child_ref", "No child has this Harbour reference"),
                Some(cid) => match children::get_with_facts(&mut tx, &ctx.me.actor, cid, now).await? {
                    Some(k) => match decide_child(&ctx.me.actor, ChildAction::AddNote, &k.facts) {
                        Ok(ok) => child = Some(ok),
                        Err(_) => errs.add(
                            "child_ref",
                            "You cannot add to this child's record; leave it blank and the front door will link it",
                        ),
                    },
                    None => errs.add("child_ref", "No child has this Harbour reference"),
                },
            }
        }
        errs.into_result()?;
        let (Some(received_at), Some(kind), Some(outcome)) = (received_at, kind, outcome) else {
            return Err(AppError::Internal("checked above".into()));
        };
        let n = repo::NewContact {
            id: Uuid::now_v7(),
            school_id: school,
            received_at,
            kind: kind.as_str().into(),
            contact_name,
            summary,
            outcome: outcome.as_str().into(),
            recorded_by: ctx.me.user.id,
            recorded_at: now,
        };
        repo::insert_contact(&mut tx, &n, child.as_ref()).await?;
        let child_id = child.map(|a| a.child_id().0);
        let ev = ctx.event(
            "school.contact",
            "school_contact",
            Some(n.id),
            child_id,
            Outcome::Allow,
            Some(format!("{} {}", kind.as_str(), outcome.as_str())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The report per school and term: figures only.
    pub async fn school_report(&self, ctx: &Ctx, id: Uuid) -> AppResult<SchoolReport> {
        let now = self.now();
        let today = calendar::london_date(now);
        let (mut tx, s) = self.with_school(ctx, id, SchoolAction::ViewReport).await?;
        let ms = memberships_of(&repo::memberships(&mut tx, id).await?);
        let contacts = repo::contacts_for_school(&mut tx, id).await?;
        let facts: Vec<ContactFact> = contacts
            .iter()
            .filter_map(|c| {
                Some(ContactFact {
                    on: calendar::london_date(c.received_at),
                    kind: ContactKind::parse(&c.kind)?,
                    outcome: ContactOutcome::parse(&c.outcome)?,
                })
            })
            .collect();
        // From the earliest contact or six terms before the first joining,
        // whichever is earlier, to today; at most the last five school years.
        let earliest = facts.iter().map(|c| c.on).min().unwrap_or(today);
        let joined = ms.iter().map(|m| m.joined).min();
        let six_before = joined
            .map(|j| j - TimeDelta::days(2 * 365))
            .unwrap_or(today);
        let floor = today - TimeDelta::days(5 * 365);
        let from = earliest.min(six_before).max(floor);
        let rows = report_rows(&facts, &ms, from, today);
        let current = term_of(today);
        let complete: Vec<TermRow> = rows.iter().filter(|r| r.term < current).cloned().collect();
        let (before, member) = before_after(&complete);
        let ev = ctx.event(
            "school.report",
            "school",
            Some(id),
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(SchoolReport {
            school: s,
            memberships: ms,
            rows,
            before,
            member,
            current,
        })
    }

    /// The CME page: open cases and recent notices.
    pub async fn cme_home(&self, ctx: &Ctx) -> AppResult<CmeHome> {
        self.check_service(ctx, ServiceAction::CmeCases).await?;
        let now = self.now();
        let actor = ctx.me.actor.clone();
        let mut tx = self.db.begin_write().await?;
        let mut h = CmeHome::default();
        for c in repo::open_cases(&mut tx).await? {
            let visible =
                match children::get_with_facts(&mut tx, &actor, ChildId(c.child_id), now).await? {
                    Some(k) => decide_child(&actor, ChildAction::ViewSummary, &k.facts).is_ok(),
                    None => false,
                };
            if visible {
                h.cases.push(c);
            } else {
                h.hidden_cases += 1;
            }
        }
        let since = calendar::london_date(now) - TimeDelta::days(90);
        h.notices = repo::notices_since(&mut tx, since)
            .await?
            .into_iter()
            .map(notice_line)
            .collect();
        let ev = ctx.event(
            "cme.list",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!("{} cases", h.cases.len())),
        );
        self.audit(&mut tx, &ev).await?;
        for c in &h.cases {
            let ev = ctx.event(
                "cme.list",
                "child",
                Some(c.id),
                Some(c.child_id),
                Outcome::Allow,
                None,
            );
            self.audit(&mut tx, &ev).await?;
        }
        tx.commit().await?;
        Ok(h)
    }

    /// The schools the user may record a notice for (a school's own
    /// practitioner: their school). None is a refusal.
    pub async fn notice_schools(&self, ctx: &Ctx) -> AppResult<Vec<School>> {
        let mut tx = self.db.begin_write().await?;
        let schools: Vec<School> = repo::list(&mut tx)
            .await?
            .into_iter()
            .filter(|s| authz::decide_school(&ctx.me.actor, SchoolAction::RecordNotice, &facts(s)))
            .collect();
        if schools.is_empty() {
            let ev = ctx.event(
                "cme.notice",
                "service",
                None,
                None,
                Outcome::Deny,
                Some("school".into()),
            );
            self.audit(&mut tx, &ev).await?;
            tx.commit().await?;
            return Err(AppError::Forbidden(None));
        }
        tx.commit().await?;
        Ok(schools)
    }

    /// Record a school's notice of a registration or a deletion. Returns
    /// whether it was late.
    pub async fn record_notice(&self, ctx: &Ctx, input: &NoticeInput) -> AppResult<bool> {
        let schools = self.notice_schools(ctx).await?;
        let now = self.now();
        let today = calendar::london_date(now);
        let mut errs = FieldErrors::new();
        let school = uuid_opt(&input.school).and_then(|u| schools.iter().find(|s| s.id == u));
        if school.is_none() {
            errs.add("school", "Choose the school");
        }
        let kind = NoticeKind::parse(&input.kind);
        if kind.is_none() {
            errs.add("kind", "Choose new registration or deletion");
        }
        let pupil_name = validate::required_text(
            &mut errs,
            "pupil_name",
            "the pupil's name",
            &input.pupil_name,
            200,
        );
        let dob = if input.dob.trim().is_empty() {
            None
        } else {
            let d = parse_day(&input.dob);
            if d.is_none() {
                errs.add(
                    "dob",
                    "Enter the date of birth as a real date, for example 27/3/2014",
                );
            }
            d
        };
        let upn = input.upn.trim().to_uppercase();
        if !upn.is_empty() && !validate::upn_is_valid(&upn) {
            errs.add(
                "upn",
                "Enter a real unique pupil number (13 characters), or leave it blank",
            );
        }
        let event_on = date_field(
            &mut errs,
            "event_on",
            "the date of the registration or deletion",
            &input.event_on,
        );
        let notified_on = date_field(
            &mut errs,
            "notified_on",
            "the date the school told us",
            &input.notified_on,
        );
        not_future(
            &mut errs,
            "event_on",
            "The date of the registration or deletion",
            event_on,
            today,
        );
        not_future(
            &mut errs,
            "notified_on",
            "The date the school told us",
            notified_on,
            today,
        );
        let ground = if kind == Some(NoticeKind::Deletion) {
            let g = DeletionGround::parse(&input.ground);
            if g.is_none() {
                errs.add("ground", "Choose the ground for deletion");
            }
            g
        } else {
            None
        };
        let destination = validate::optional_text(
            &mut errs,
            "destination",
            "the address and school",
            &input.destination,
            1000,
        )
        .unwrap_or_default();
        errs.into_result()?;
        let (Some(school), Some(kind), Some(event_on), Some(notified_on)) =
            (school, kind, event_on, notified_on)
        else {
            return Err(AppError::Internal("checked above".into()));
        };
        let n = repo::NewNotice {
            id: Uuid::now_v7(),
            school_id: school.id,
            kind: kind.as_str().into(),
            pupil_name,
            pupil_dob: dob,
            upn: (!upn.is_empty()).then_some(upn),
            event_on,
            notified_on,
            ground: ground.map(|g| g.as_str().into()),
            destination,
            recorded_by: ctx.me.user.id,
            recorded_at: now,
        };
        let late = notice_is_late(kind, event_on, notified_on);
        let mut tx = self.db.begin_write().await?;
        repo::insert_notice(&mut tx, &n).await?;
        let ev = ctx.event(
            "cme.notice",
            "school",
            Some(school.id),
            None,
            Outcome::Allow,
            Some(format!(
                "{}{}",
                kind.as_str(),
                if late { " late" } else { "" }
            )),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(late)
    }

    async fn education_episodes(
        &self,
        tx: &mut Tx,
        ok: &Allowed,
    ) -> AppResult<Vec<MissingEpisode>> {
        Ok(harbour_db::missing::for_child(tx, ok)
            .await?
            .into_iter()
            .filter(|e| e.from == MissingFrom::Education)
            .collect())
    }

    /// What the form to open a CME case needs. Audited as a read.
    pub async fn cme_case_form(&self, ctx: &Ctx, child: ChildId) -> AppResult<CaseForm> {
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child_as(tx, ctx, child, ChildAction::ManageCme, "cme.record.form")
            .await?;
        let episodes = self.education_episodes(&mut tx, &ok).await?;
        let schools = repo::list(&mut tx).await?;
        let since = calendar::london_date(self.now()) - TimeDelta::days(90);
        let notices = repo::notices_since(&mut tx, since)
            .await?
            .into_iter()
            .filter(|n| n.kind == NoticeKind::Deletion.as_str())
            .collect();
        let ev = ctx.event(
            "cme.record.form",
            "child",
            Some(child.0),
            Some(child.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(CaseForm {
            child: c.child,
            schools,
            episodes,
            notices,
        })
    }

    /// Open a CME case on the child.
    pub async fn open_cme_case(
        &self,
        ctx: &Ctx,
        child: ChildId,
        input: &CaseInput,
    ) -> AppResult<Uuid> {
        let now = self.now();
        let today = calendar::london_date(now);
        let tx = self.db.begin_write().await?;
        let (mut tx, _c, ok) = self
            .authorise_child(tx, ctx, child, ChildAction::ManageCme)
            .await?;
        let mut errs = FieldErrors::new();
        let opened_on = date_field(
            &mut errs,
            "opened_on",
            "the date the case opened",
            &input.opened_on,
        );
        not_future(
            &mut errs,
            "opened_on",
            "The date the case opened",
            opened_on,
            today,
        );
        let reason = validate::required_text(
            &mut errs,
            "reason",
            "why the child may be missing education",
            &input.reason,
            4000,
        );
        let notice = match uuid_opt(&input.notice) {
            Some(u) => {
                let n = repo::notice(&mut tx, u).await?;
                if n.is_none() {
                    errs.add("notice", "Choose a notice from the list");
                }
                n
            }
            None => None,
        };
        let school = match uuid_opt(&input.school).or(notice.as_ref().map(|n| n.school_id)) {
            Some(u) => {
                if repo::get(&mut tx, u).await?.is_none() {
                    errs.add("school", "Choose a school from the list");
                }
                Some(u)
            }
            None if !input.school.trim().is_empty() => {
                errs.add("school", "Choose a school from the list");
                None
            }
            None => None,
        };
        let episodes = self.education_episodes(&mut tx, &ok).await?;
        let episode = match uuid_opt(&input.episode) {
            Some(u) if episodes.iter().any(|e| e.id == u) => Some(u),
            Some(_) => {
                errs.add(
                    "episode",
                    "Choose one of the child's missing-from-education episodes",
                );
                None
            }
            None => None,
        };
        errs.into_result()?;
        let n = repo::NewCase {
            id: Uuid::now_v7(),
            school_id: school,
            notice_id: notice.map(|n| n.id),
            episode_id: episode,
            opened_on: opened_on.unwrap_or(today),
            reason,
            opened_by: ctx.me.user.id,
            opened_at: now,
        };
        repo::insert_case(&mut tx, &ok, &n).await?;
        let ev = ctx.event(
            "cme.open",
            "cme_case",
            Some(n.id),
            Some(child.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(n.id)
    }

    async fn case_decided(
        &self,
        ctx: &Ctx,
        id: Uuid,
        action: ChildAction,
        audit: &str,
    ) -> AppResult<(Tx, harbour_db::children::ChildWithFacts, Allowed, CmeCase)> {
        let mut tx = self.db.begin_write().await?;
        let Some(child) = repo::case_child(&mut tx, id).await? else {
            return Err(AppError::NotFound);
        };
        let (mut tx, c, ok) = self
            .authorise_child_as(tx, ctx, child, action, audit)
            .await?;
        let case = repo::get_case(&mut tx, &ok, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((tx, c, ok, case))
    }

    /// A CME case, its steps and the child's missing-from-education episodes.
    pub async fn cme_case(&self, ctx: &Ctx, id: Uuid) -> AppResult<CaseView> {
        let (mut tx, c, ok, case) = self
            .case_decided(ctx, id, ChildAction::ViewRecord, "cme.view")
            .await?;
        let steps = repo::steps_for_child(&mut tx, &ok)
            .await?
            .into_iter()
            .filter(|s| s.case_id == id)
            .collect();
        let episodes = self.education_episodes(&mut tx, &ok).await?;
        let may_manage = decide_child(&ctx.me.actor, ChildAction::ManageCme, &c.facts).is_ok();
        let notice = match case.notice_id {
            Some(n) => repo::notice(&mut tx, n).await?.map(notice_line),
            None => None,
        };
        let reason = ok.via_break_glass().then(|| "break_glass".to_string());
        let ev = ctx.event(
            "cme.view",
            "cme_case",
            Some(id),
            Some(c.child.id.0),
            Outcome::Allow,
            reason,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(CaseView {
            case,
            child: c.child,
            steps,
            episodes,
            may_manage,
            notice,
        })
    }

    /// A child's CME cases with their steps (the API). Audited as `cme.view`.
    pub async fn cme_cases_for_child(
        &self,
        ctx: &Ctx,
        child: ChildId,
    ) -> AppResult<(Vec<CmeCase>, Vec<Step>)> {
        let tx = self.db.begin_write().await?;
        let (mut tx, _c, ok) = self
            .authorise_child_as(tx, ctx, child, ChildAction::ViewRecord, "cme.view")
            .await?;
        let cases = repo::cases_for_child(&mut tx, &ok).await?;
        let steps = repo::steps_for_child(&mut tx, &ok).await?;
        let reason = ok.via_break_glass().then(|| "break_glass".to_string());
        let ev = ctx.event(
            "cme.view",
            "child",
            Some(child.0),
            Some(child.0),
            Outcome::Allow,
            reason,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok((cases, steps))
    }

    /// Record an enquiry step.
    pub async fn add_cme_step(&self, ctx: &Ctx, id: Uuid, input: &StepInput) -> AppResult<ChildId> {
        let now = self.now();
        let today = calendar::london_date(now);
        let (mut tx, c, ok, case) = self
            .case_decided(ctx, id, ChildAction::ManageCme, "cme.record")
            .await?;
        let mut errs = FieldErrors::new();
        if case.outcome.is_some() {
            errs.add("kind", "This case is closed");
        }
        let kind = StepKind::parse(&input.kind);
        if kind.is_none() {
            errs.add("kind", "Choose the enquiry");
        }
        let on = date_field(
            &mut errs,
            "done_on",
            "the date of the enquiry",
            &input.done_on,
        );
        not_future(&mut errs, "done_on", "The date of the enquiry", on, today);
        if on.is_some_and(|d| d < case.opened_on - TimeDelta::days(30)) {
            errs.add(
                "done_on",
                "The enquiry must be after (or shortly before) the case opened",
            );
        }
        let by = validate::required_text(
            &mut errs,
            "done_by",
            "who made the enquiry",
            &input.done_by,
            200,
        );
        let result =
            validate::required_text(&mut errs, "result", "what was found", &input.result, 4000);
        errs.into_result()?;
        let (Some(kind), Some(on)) = (kind, on) else {
            return Err(AppError::Internal("checked above".into()));
        };
        let step = repo::insert_step(
            &mut tx,
            &ok,
            id,
            kind.as_str(),
            on,
            &by,
            &result,
            ctx.me.user.id,
            now,
        )
        .await?;
        let ev = ctx.event(
            "cme.step",
            "cme_case",
            Some(step),
            Some(c.child.id.0),
            Outcome::Allow,
            Some(kind.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(c.child.id)
    }

    /// Close a case with its outcome.
    pub async fn close_cme_case(
        &self,
        ctx: &Ctx,
        id: Uuid,
        input: &OutcomeInput,
    ) -> AppResult<ChildId> {
        let now = self.now();
        let today = calendar::london_date(now);
        let (mut tx, c, ok, case) = self
            .case_decided(ctx, id, ChildAction::ManageCme, "cme.record")
            .await?;
        let mut errs = FieldErrors::new();
        if case.outcome.is_some() {
            errs.add("outcome", "This case is already closed");
        }
        let outcome = CmeOutcome::parse(&input.outcome);
        if outcome.is_none() {
            errs.add("outcome", "Choose the outcome");
        }
        let on = date_field(
            &mut errs,
            "outcome_on",
            "the date of the outcome",
            &input.outcome_on,
        );
        not_future(
            &mut errs,
            "outcome_on",
            "The date of the outcome",
            on,
            today,
        );
        if on.is_some_and(|d| d < case.opened_on) {
            errs.add(
                "outcome_on",
                "The outcome must be on or after the day the case opened",
            );
        }
        let notes = validate::required_text(
            &mut errs,
            "notes",
            "what was found and who was told",
            &input.notes,
            4000,
        );
        errs.into_result()?;
        let (Some(outcome), Some(on)) = (outcome, on) else {
            return Err(AppError::Internal("checked above".into()));
        };
        if !repo::close_case(
            &mut tx,
            &ok,
            id,
            outcome.as_str(),
            on,
            &notes,
            ctx.me.user.id,
        )
        .await?
        {
            return Err(AppError::Conflict("This case is already closed.".into()));
        }
        let ev = ctx.event(
            "cme.close",
            "cme_case",
            Some(id),
            Some(c.child.id.0),
            Outcome::Allow,
            Some(outcome.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(c.child.id)
    }
}

/// The report as CSV (RFC 4180): one row per term, then the split.
pub fn report_csv(r: &SchoolReport) -> String {
    let mut out = String::from(
        "urn,school,term,academic_term,first_day,last_day,phase,contacts,consultations,referrals,became_cases\r\n",
    );
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for row in &r.rows {
        let (s, e) = row.term.bounds();
        out.push_str(&format!(
            "{},{},{},{},{s},{e},{},{},{},{},{}\r\n",
            r.school.urn,
            q(&r.school.name),
            q(&row.term.label()),
            q(&row.term.academic_label()),
            q(row.phase.label()),
            row.contacts,
            row.consultations,
            row.referrals,
            row.became_cases
        ));
    }
    out
}

/// A date-time's London date, for templates.
pub fn day_of(t: DateTime<Utc>) -> NaiveDate {
    calendar::london_date(t)
}

/// Chronology entries for a child's school contacts and CME cases: each
/// contact with its outcome, each case opened, each enquiry step and each
/// outcome.
pub fn chronology(p: &ChildSchools, v: &mut Vec<harbour_domain::model::ChronologyEntry>) {
    use harbour_domain::model::ChronologyEntry;
    let noon = |d: NaiveDate| {
        d.and_hms_opt(12, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or_default()
    };
    for c in &p.contacts {
        let kind = ContactKind::parse(&c.kind).map_or("Contact", |k| k.label());
        let outcome = ContactOutcome::parse(&c.outcome).map_or("", |o| o.label());
        v.push(ChronologyEntry {
            at: c.received_at,
            source: "school".into(),
            summary: format!(
                "{kind} from {} ({}): {outcome}",
                c.school_name, c.contact_name
            ),
            by: Some(c.recorded_by_name.clone()),
            significant: c.outcome == ContactOutcome::ReferralAccepted.as_str(),
        });
    }
    for c in &p.cases {
        v.push(ChronologyEntry {
            at: noon(c.opened_on),
            source: "cme".into(),
            summary: format!("Children missing education case opened: {}", c.reason),
            by: Some(c.opened_by_name.clone()),
            significant: true,
        });
        if let (Some(o), Some(on)) = (&c.outcome, c.outcome_on) {
            v.push(ChronologyEntry {
                at: noon(on),
                source: "cme".into(),
                summary: format!(
                    "Children missing education case closed: {}",
                    CmeOutcome::parse(o).map_or(o.as_str(), |o| o.label())
                ),
                by: None,
                significant: true,
            });
        }
    }
    for s in &p.steps {
        v.push(ChronologyEntry {
            at: noon(s.done_on),
            source: "cme".into(),
            summary: format!(
                "Missing education enquiry, {} ({}): {}",
                StepKind::parse(&s.kind)
                    .map_or(s.kind.as_str(), |k| k.label())
                    .to_lowercase(),
                s.done_by,
                s.result
            ),
            by: Some(s.recorded_by_name.clone()),
            significant: false,
        });
    }
}
