//! Reporting a child missing and recording their return: checked against the
//! child's other episodes at entry, with the police grade kept as history.

use crate::{App, AppError, AppResult, Ctx};
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use harbour_db::missing as repo;
use harbour_domain::audit::Outcome;
use harbour_domain::authz::ChildAction;
use harbour_domain::calendar;
use harbour_domain::ids::ChildId;
use harbour_domain::missing::*;
use harbour_domain::validate::{self, FieldErrors};
use uuid::Uuid;

/// A missing report as typed (strings, as forms send them).
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct MissingInput {
    /// `M` or `A`.
    #[serde(default)]
    pub kind: String,
    /// home, placement or education.
    #[serde(default)]
    pub from: String,
    /// Last seen: day.
    #[serde(default)]
    pub day: String,
    /// Month.
    #[serde(default)]
    pub month: String,
    /// Year.
    #[serde(default)]
    pub year: String,
    /// Time.
    #[serde(default)]
    pub time: String,
    /// Where the child was last seen or left from.
    #[serde(default)]
    pub location_left: String,
    /// Reported to police at (time on the same day, or blank).
    #[serde(default)]
    pub reported_time: String,
    /// Police reference.
    #[serde(default)]
    pub police_ref: String,
    /// Police risk grade, or blank if not yet graded.
    #[serde(default)]
    pub grade: String,
    /// What happened.
    #[serde(default)]
    pub circumstances: String,
    /// The exact report time, when a system sends one (the API); overrides `reported_time`.
    #[serde(skip)]
    pub reported_at: Option<DateTime<Utc>>,
}

/// A return as typed.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct ReturnInput {
    /// Day.
    #[serde(default)]
    pub day: String,
    /// Month.
    #[serde(default)]
    pub month: String,
    /// Year.
    #[serde(default)]
    pub year: String,
    /// Time.
    #[serde(default)]
    pub time: String,
    /// Where found.
    #[serde(default)]
    pub found_where: String,
    /// Found by.
    #[serde(default)]
    pub found_by: String,
}

fn add_problems(errs: &mut FieldErrors, problems: Vec<EpisodeProblem>) {
    for p in problems {
        let field = match p.field {
            "last_seen" => "day",
            "returned" => "day",
            "reported" => "reported_time",
            f => f,
        };
        errs.add(field, p.message);
    }
}

/// The fields of a report (or an edit), parsed; problems go into `errs`.
struct Fields {
    kind: Option<MissingKind>,
    from: Option<MissingFrom>,
    last_seen: Option<DateTime<Utc>>,
    location_left: String,
    reported_at: Option<DateTime<Utc>>,
    police_ref: Option<String>,
    grade: Option<PoliceGrade>,
    circumstances: String,
}

fn parse_fields(errs: &mut FieldErrors, input: &MissingInput, now: DateTime<Utc>) -> Fields {
    let kind = MissingKind::parse(input.kind.trim());
    if kind.is_none() {
        errs.add("kind", "Select whether the child is missing or away");
    }
    let from = MissingFrom::parse(input.from.trim());
    if from.is_none() {
        errs.add("from", "Select where the child went missing from");
    }
    let last_seen = crate::children::event_time(
        errs,
        now,
        &input.day,
        &input.month,
        &input.year,
        &input.time,
        "the date the child was last seen",
    );
    let location_left = validate::required_text(
        errs,
        "location_left",
        "where the child was last seen",
        &input.location_left,
        300,
    );
    let reported_at = match (input.reported_time.trim(), last_seen) {
        _ if input.reported_at.is_some() => input.reported_at,
        ("", _) => None,
        (t, Some(seen)) => match validate::parse_time(t) {
            Some(tm) => {
                let day = calendar::to_london(seen).date();
                let mut at = calendar::from_london(NaiveDateTime::new(day, tm));
                if at < seen {
                    at += TimeDelta::days(1); // reported after midnight
                }
                Some(at)
            }
            None => {
                errs.add(
                    "reported_time",
                    "Enter the time it was reported to police, for example 22:15",
                );
                None
            }
        },
        _ => None,
    };
    let police_ref = validate::optional_text(
        errs,
        "police_ref",
        "the police reference",
        &input.police_ref,
        50,
    );
    let grade = match input.grade.trim() {
        "" => None,
        g => match PoliceGrade::parse(g) {
            Some(g) => Some(g),
            None => {
                errs.add(
                    "grade",
                    "Select the police risk grade, or leave it if not yet graded",
                );
                None
            }
        },
    };
    let circumstances = validate::required_text(
        errs,
        "circumstances",
        "what happened",
        &input.circumstances,
        10_000,
    );
    Fields {
        kind,
        from,
        last_seen,
        location_left,
        reported_at,
        police_ref,
        grade,
        circumstances,
    }
}

/// Outcome of a report: the episode and any warnings to show (not errors).
#[derive(Clone, Debug)]
pub struct Reported {
    /// The new episode's id.
    pub id: Uuid,
}

/// The task for one prompt action planned on a missing report made at
/// `now`: for the allocated worker, their team manager or the EDT queue;
/// with nobody allocated, the team managers' queue takes it, as it does
/// unallocated work.
pub(crate) fn report_task(
    p: PlannedTask,
    e: &MissingEpisode,
    worker: Option<harbour_domain::ids::UserId>,
    manager: Option<harbour_domain::ids::UserId>,
    now: DateTime<Utc>,
) -> harbour_domain::model::Task {
    let (user, role) = match p.to {
        Assignee::Worker => (worker, None),
        Assignee::Manager => (manager, None),
        Assignee::OutOfHours => (None, Some(harbour_domain::Role::EdtWorker)),
    };
    let role = if user.is_none() && role.is_none() {
        Some(harbour_domain::Role::TeamManager)
    } else {
        role
    };
    harbour_domain::model::Task {
        id: Uuid::now_v7(),
        child_id: Some(e.child_id),
        assigned_user: user,
        assigned_role: role,
        kind: p.kind.into(),
        title: p.title,
        detail: p.detail,
        due_at: p.due_at,
        source_id: Some(e.id),
        created_at: now,
        completed_at: None,
    }
}

impl App {
    /// Report a child missing (or away). Checked against the child's other
    /// episodes and date of birth; nothing is written when there is a problem.
    pub async fn report_missing(
        &self,
        ctx: &Ctx,
        child: ChildId,
        input: &MissingInput,
    ) -> AppResult<Reported> {
        self.report_missing_idempotent(ctx, child, input, None)
            .await
    }

    /// A stored answer for an API idempotency key: (request path, status, body).
    pub async fn idempotent_replay(
        &self,
        ctx: &Ctx,
        key: &str,
    ) -> AppResult<Option<(String, i32, String)>> {
        let mut tx = self.db.begin_read().await?;
        let r = repo::idempotent_response(&mut tx, ctx.me.user.id, key).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// As [`App::report_missing`], storing the created answer under an
    /// idempotency key (key, request path) in the same transaction, so a
    /// retried request can never create a second episode.
    pub async fn report_missing_idempotent(
        &self,
        ctx: &Ctx,
        child: ChildId,
        input: &MissingInput,
        idempotency: Option<(&str, &str)>,
    ) -> AppResult<Reported> {
        self.report_missing_linked(ctx, child, input, idempotency, None)
            .await
    }

    /// As [`App::report_missing_idempotent`], linking the new episode to
    /// the out-of-hours contact it was started from (in the same
    /// transaction; a contact that already has an episode is a conflict).
    pub(crate) async fn report_missing_linked(
        &self,
        ctx: &Ctx,
        child: ChildId,
        input: &MissingInput,
        idempotency: Option<(&str, &str)>,
        contact: Option<Uuid>,
    ) -> AppResult<Reported> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child(tx, ctx, child, ChildAction::RecordMissing)
            .await?;
        let mut errs = FieldErrors::new();
        let Fields {
            kind,
            from,
            last_seen,
            location_left,
            reported_at,
            police_ref,
            grade,
            circumstances,
        } = parse_fields(&mut errs, input, now);
        if let (Some(kind), Some(from), Some(last_seen_at)) = (kind, from, last_seen) {
            let e = MissingEpisode {
                id: Uuid::now_v7(),
                child_id: child,
                kind,
                from,
                last_seen_at,
                location_left: location_left.clone(),
                reported_at,
                police_ref: police_ref.clone(),
                grade,
                circumstances: circumstances.clone(),
                returned_at: None,
                found_where: None,
                found_by: None,
                recorded_by: ctx.me.user.id,
                recorded_at: now,
            };
            let others = repo::for_child(&mut tx, &ok).await?;
            add_problems(&mut errs, check_episode(&e, c.child.dob, &others, now));
            errs.into_result()?;
            repo::insert(&mut tx, &ok, &e)
                .await
                .map_err(|err| match err {
                    harbour_db::DbError::UniqueViolation => {
                        AppError::Conflict("This child already has an open missing episode.".into())
                    }
                    other => other.into(),
                })?;
            if let Some(cid) = contact
                && !harbour_db::edt::link_episode(&mut tx, &ok, cid, e.id).await?
            {
                return Err(AppError::Conflict(
                    "A missing episode has already been started from this contact.".into(),
                ));
            }
            if let Some(g) = grade {
                repo::insert_grade(
                    &mut tx,
                    &ok,
                    e.id,
                    g,
                    reported_at.unwrap_or(now),
                    ctx.me.user.id,
                    now,
                )
                .await?;
            }
            // Prompt action: tasks for the worker, the manager and (out of hours) EDT.
            let mut history = others.clone();
            history.push(e.clone());
            let age = harbour_domain::rules::age_on(c.child.dob, e.last_seen_at.date_naive());
            // An exploitation concern: a return interview in the last 180 days
            // that recorded signs of exploitation, or a latest screening at or
            // above the configured concern level or flagged by the under-13 rule.
            let concern = harbour_db::rhi::for_child(&mut tx, &ok)
                .await?
                .iter()
                .any(|i| {
                    i.exploitation_indicators.is_some()
                        && i.held_at.or(i.offered_at).unwrap_or(i.due_at)
                            >= now - TimeDelta::days(180)
                })
                || self.screening_concern(&mut tx, &ok).await?;
            let fired = triggers(&self.config.missing_triggers, &e, &history, age, concern);
            let cal = calendar::WorkingCalendar::england_and_wales();
            for p in plan_report_tasks(&e, &fired, now, &cal) {
                let task = report_task(p, &e, c.worker_id, c.facts.allocated_team_manager, now);
                harbour_db::tasks::insert(&mut tx, &task, Some(ctx.me.user.id)).await?;
            }
            if let Some((key, path)) = idempotency {
                let body = format!("{{\"id\":\"{}\"}}", e.id);
                repo::store_idempotent_response(
                    &mut tx,
                    ctx.me.user.id,
                    key,
                    path,
                    201,
                    &body,
                    now,
                )
                .await
                .map_err(|err| match err {
                    harbour_db::DbError::UniqueViolation => AppError::Conflict(
                        "This Idempotency-Key is already in use; retry to get the first answer."
                            .into(),
                    ),
                    other => other.into(),
                })?;
            }
            self.reevaluate_escalation(&mut tx, &ok, c.child.dob, "missing", now)
                .await?;
            let ev = ctx.event(
                "missing.report",
                "missing_episode",
                Some(e.id),
                Some(child.0),
                Outcome::Allow,
                Some(kind.code().into()),
            );
            self.audit(&mut tx, &ev).await?;
            tx.commit().await?;
            return Ok(Reported { id: e.id });
        }
        Err(AppError::Validation(errs))
    }

    /// Record that a missing child has been found or has returned.
    pub async fn record_return(
        &self,
        ctx: &Ctx,
        child: ChildId,
        episode: Uuid,
        input: &ReturnInput,
    ) -> AppResult<()> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child(tx, ctx, child, ChildAction::RecordMissing)
            .await?;
        let all = repo::for_child(&mut tx, &ok).await?;
        let Some(mut e) = all.iter().find(|x| x.id == episode).cloned() else {
            return Err(AppError::NotFound);
        };
        if !e.is_open() {
            return Err(AppError::Conflict(
                "This episode already has a return recorded.".into(),
            ));
        }
        let mut errs = FieldErrors::new();
        let returned = crate::children::event_time(
            &mut errs,
            now,
            &input.day,
            &input.month,
            &input.year,
            &input.time,
            "the date the child returned",
        );
        let found_where = validate::required_text(
            &mut errs,
            "found_where",
            "where the child was found or returned to",
            &input.found_where,
            300,
        );
        let found_by = validate::required_text(
            &mut errs,
            "found_by",
            "who found the child or how they returned",
            &input.found_by,
            200,
        );
        if let Some(r) = returned {
            e.returned_at = Some(r);
            add_problems(&mut errs, check_episode(&e, c.child.dob, &all, now));
        }
        errs.into_result()?;
        let returned = returned.ok_or(AppError::NotFound)?;
        let ret = repo::Return {
            returned_at: returned,
            found_where: &found_where,
            found_by: &found_by,
        };
        if !repo::record_return(&mut tx, &ok, episode, &ret, ctx.me.user.id, now).await? {
            return Err(AppError::Conflict(
                "This episode already has a return recorded.".into(),
            ));
        }
        // The return home interview: offered after every return, by the
        // commissioned provider, due within 72 hours.
        if let Some(provider) = harbour_db::rhi::provider(&mut tx).await? {
            harbour_db::rhi::insert(&mut tx, &ok, episode, provider, rhi_due(returned), now)
                .await?;
        }
        let ev = ctx.event(
            "missing.return",
            "missing_episode",
            Some(episode),
            Some(child.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// As [`App::episode_for`], for a page whose path names the child: an
    /// episode of another child is "not found" before any policy decision, so
    /// a guessed episode id under a child the user may open answers exactly
    /// as a missing one does (never 403, which would confirm it exists).
    pub async fn episode_of_child(
        &self,
        ctx: &Ctx,
        child: harbour_domain::ids::ChildId,
        episode: Uuid,
        action: ChildAction,
        audit_action: &str,
    ) -> AppResult<(harbour_domain::model::Child, MissingEpisode)> {
        let mut tx = self.db.begin_read().await?;
        let e = repo::get(&mut tx, episode).await?;
        tx.commit().await?;
        if e.is_none_or(|e| e.child_id != child) {
            return Err(AppError::NotFound);
        }
        self.episode_for(ctx, episode, action, audit_action).await
    }

    /// An episode and its child, if the user may do `action` to the child.
    /// The read is audited as `audit_action` (e.g. `missing.record.form` for
    /// the return form, `missing.view` for the API).
    pub async fn episode_for(
        &self,
        ctx: &Ctx,
        episode: Uuid,
        action: ChildAction,
        audit_action: &str,
    ) -> AppResult<(harbour_domain::model::Child, MissingEpisode)> {
        let mut tx = self.db.begin_read().await?;
        let e = repo::get(&mut tx, episode)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self.authorise_child(tx, ctx, e.child_id, action).await?;
        let ev = ctx.event(
            audit_action,
            "missing_episode",
            Some(episode),
            Some(e.child_id.0),
            Outcome::Allow,
            ok.via_break_glass().then(|| "break_glass".into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok((c.child, e))
    }
}

/// Corrections to an episode as typed: the report's fields, and for an
/// episode that has ended, the return's.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct EditInput {
    /// The report's fields (the grade is changed on its own form).
    #[serde(flatten)]
    pub report: MissingInput,
    /// Returned: day.
    #[serde(default)]
    pub return_day: String,
    /// Month.
    #[serde(default)]
    pub return_month: String,
    /// Year.
    #[serde(default)]
    pub return_year: String,
    /// Time.
    #[serde(default)]
    pub return_time: String,
    /// Where found.
    #[serde(default)]
    pub found_where: String,
    /// Found by.
    #[serde(default)]
    pub found_by: String,
    /// `yes` when the episode is still open (the form then has no return fields).
    #[serde(default)]
    pub open: String,
}

impl EditInput {
    /// The form as it stands for an episode (London dates and times).
    pub fn from_episode(e: &MissingEpisode) -> Self {
        let parts = |t: DateTime<Utc>| {
            let l = calendar::to_london(t);
            (
                l.format("%-d").to_string(),
                l.format("%-m").to_string(),
                l.format("%Y").to_string(),
                l.format("%H:%M").to_string(),
            )
        };
        let (day, month, year, time) = parts(e.last_seen_at);
        let (return_day, return_month, return_year, return_time) =
            e.returned_at.map(parts).unwrap_or_default();
        EditInput {
            report: MissingInput {
                kind: e.kind.code().into(),
                from: e.from.as_str().into(),
                day,
                month,
                year,
                time,
                location_left: e.location_left.clone(),
                reported_time: e
                    .reported_at
                    .map(|r| calendar::to_london(r).format("%H:%M").to_string())
                    .unwrap_or_default(),
                police_ref: e.police_ref.clone().unwrap_or_default(),
                grade: String::new(),
                circumstances: e.circumstances.clone(),
                reported_at: None,
            },
            return_day,
            return_month,
            return_year,
            return_time,
            found_where: e.found_where.clone().unwrap_or_default(),
            found_by: e.found_by.clone().unwrap_or_default(),
            open: if e.is_open() {
                "yes".into()
            } else {
                String::new()
            },
        }
    }
}

/// A re-grading as typed.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct GradeInput {
    /// The new grade.
    #[serde(default)]
    pub grade: String,
    /// When the police graded it: day (blank: now).
    #[serde(default)]
    pub day: String,
    /// Month.
    #[serde(default)]
    pub month: String,
    /// Year.
    #[serde(default)]
    pub year: String,
    /// Time.
    #[serde(default)]
    pub time: String,
}

impl App {
    /// Correct an episode. Checked again against the child's other episodes
    /// and date of birth; a waiting interview's due time moves with a
    /// corrected return time. Nothing changes when there is a problem.
    pub async fn edit_episode(
        &self,
        ctx: &Ctx,
        child: ChildId,
        episode: Uuid,
        input: &EditInput,
    ) -> AppResult<()> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child(tx, ctx, child, ChildAction::RecordMissing)
            .await?;
        let all = repo::for_child(&mut tx, &ok).await?;
        let Some(old) = all.iter().find(|x| x.id == episode).cloned() else {
            return Err(AppError::NotFound);
        };
        let others: Vec<MissingEpisode> = all.into_iter().filter(|x| x.id != episode).collect();
        let mut errs = FieldErrors::new();
        let f = parse_fields(&mut errs, &input.report, now);
        let mut e = old.clone();
        if let (Some(kind), Some(from), Some(seen)) = (f.kind, f.from, f.last_seen) {
            e.kind = kind;
            e.from = from;
            e.last_seen_at = seen;
        }
        e.location_left = f.location_left;
        e.reported_at = f.reported_at;
        e.police_ref = f.police_ref;
        e.circumstances = f.circumstances;
        if old.returned_at.is_some() {
            e.returned_at = crate::children::event_time(
                &mut errs,
                now,
                &input.return_day,
                &input.return_month,
                &input.return_year,
                &input.return_time,
                "the date the child returned",
            )
            .map_or(old.returned_at, Some);
            e.found_where = Some(validate::required_text(
                &mut errs,
                "found_where",
                "where the child was found or returned to",
                &input.found_where,
                300,
            ));
            e.found_by = Some(validate::required_text(
                &mut errs,
                "found_by",
                "who found the child or how they returned",
                &input.found_by,
                200,
            ));
        }
        for p in check_episode(&e, c.child.dob, &others, now) {
            let field = match p.field {
                "last_seen" => "day",
                "returned" => "return_day",
                "reported" => "reported_time",
                f => f,
            };
            errs.add(field, p.message);
        }
        errs.into_result()?;
        if !repo::update(&mut tx, &ok, &e, ctx.me.user.id, now).await? {
            return Err(AppError::NotFound);
        }
        if let Some(r) = e.returned_at
            && old.returned_at != e.returned_at
        {
            harbour_db::rhi::reschedule(&mut tx, episode, rhi_due(r)).await?;
        }
        let changed = changed_fields(&old, &e);
        let ev = ctx.event(
            "missing.edit",
            "missing_episode",
            Some(episode),
            Some(child.0),
            Outcome::Allow,
            Some(if changed.is_empty() {
                "no changes".into()
            } else {
                changed.join(", ")
            }),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Record a police re-grading; the earlier grades stay in the history.
    pub async fn regrade(
        &self,
        ctx: &Ctx,
        child: ChildId,
        episode: Uuid,
        input: &GradeInput,
    ) -> AppResult<()> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, _c, ok) = self
            .authorise_child(tx, ctx, child, ChildAction::RecordMissing)
            .await?;
        let e = repo::for_child(&mut tx, &ok)
            .await?
            .into_iter()
            .find(|x| x.id == episode)
            .ok_or(AppError::NotFound)?;
        let mut errs = FieldErrors::new();
        let grade = PoliceGrade::parse(input.grade.trim());
        if grade.is_none() {
            errs.add("grade", "Select the police risk grade");
        }
        let at = if [&input.day, &input.month, &input.year, &input.time]
            .iter()
            .all(|v| v.trim().is_empty())
        {
            Some(now)
        } else {
            crate::children::event_time(
                &mut errs,
                now,
                &input.day,
                &input.month,
                &input.year,
                &input.time,
                "the date the police graded the risk",
            )
        };
        if let Some(at) = at
            && at < e.last_seen_at - TimeDelta::hours(1)
        {
            errs.add("day", "The grading must be after the child was last seen");
        }
        errs.into_result()?;
        let (Some(grade), Some(at)) = (grade, at) else {
            return Err(AppError::NotFound);
        };
        repo::insert_grade(&mut tx, &ok, episode, grade, at, ctx.me.user.id, now).await?;
        let ev = ctx.event(
            "missing.grade",
            "missing_episode",
            Some(episode),
            Some(child.0),
            Outcome::Allow,
            Some(grade.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The names of the fields a correction changed, for the audit trail.
fn changed_fields(a: &MissingEpisode, b: &MissingEpisode) -> Vec<&'static str> {
    let mut v = Vec::new();
    let mut check = |name, same: bool| {
        if !same {
            v.push(name);
        }
    };
    check("kind", a.kind == b.kind);
    check("from", a.from == b.from);
    check("last_seen_at", a.last_seen_at == b.last_seen_at);
    check("location_left", a.location_left == b.location_left);
    check("reported_at", a.reported_at == b.reported_at);
    check("police_ref", a.police_ref == b.police_ref);
    check("circumstances", a.circumstances == b.circumstances);
    check("returned_at", a.returned_at == b.returned_at);
    check("found_where", a.found_where == b.found_where);
    check("found_by", a.found_by == b.found_by);
    v
}
