//! Return home interviews: the provider's queue, the minimum view of the
//! child the interview needs, and recording what happened.

use crate::{App, AppError, AppResult, Ctx};
use chrono::{DateTime, NaiveDateTime, Utc};
use harbour_db::{children, missing, records, rhi};
use harbour_domain::audit::Outcome;
use harbour_domain::authz::decide_interview;
use harbour_domain::calendar;
use harbour_domain::findings::{Recipient, check_decisions};
use harbour_domain::missing::*;
use harbour_domain::model::Placement;
use harbour_domain::validate::{self, FieldErrors};
use uuid::Uuid;

/// What the provider sees for one interview: the minimum the interview
/// needs, built here so nothing more reaches the page (no identifiers, no
/// case notes, no other history). From the Philomena profile, only the
/// description and photo, so the interviewer knows whom they are meeting.
#[derive(Clone, Debug)]
pub struct InterviewView {
    /// The interview.
    pub interview: ReturnInterview,
    /// The child's name.
    pub child_name: String,
    /// Their age today.
    pub age: u32,
    /// The current placement, for carer contact.
    pub placement: Option<Placement>,
    /// The episode the interview follows.
    pub episode: MissingEpisode,
    /// Who the findings may go to, each with a label naming them.
    pub recipients: Vec<(Recipient, String)>,
    /// Date of birth (for the findings sent on).
    pub dob: chrono::NaiveDate,
    /// Responsible authority (LA code).
    pub responsible_la: String,
    /// Host authority (LA code), when placed away from home.
    pub host_la: Option<String>,
    /// The allocated worker, who is told of the findings.
    pub worker: Option<harbour_domain::ids::UserId>,
    /// The description from the current Philomena profile, if there is one.
    pub description: Option<harbour_domain::philomena::PhysicalDescription>,
    /// The photo from the current Philomena profile, if there is one.
    pub photo: Option<crate::philomena::Photo>,
}

/// An interview record as typed.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct InterviewInput {
    /// completed, declined or not_held.
    #[serde(default)]
    pub outcome: String,
    /// Offered: day.
    #[serde(default)]
    pub offered_day: String,
    /// Month.
    #[serde(default)]
    pub offered_month: String,
    /// Year.
    #[serde(default)]
    pub offered_year: String,
    /// Time.
    #[serde(default)]
    pub offered_time: String,
    /// Held: day.
    #[serde(default)]
    pub held_day: String,
    /// Month.
    #[serde(default)]
    pub held_month: String,
    /// Year.
    #[serde(default)]
    pub held_year: String,
    /// Time.
    #[serde(default)]
    pub held_time: String,
    /// Who offered it.
    #[serde(default)]
    pub offered_by: String,
    /// Why declined or not held.
    #[serde(default)]
    pub reason: String,
    /// When declined: who was told.
    #[serde(default)]
    pub declined_told: String,
    /// Why late.
    #[serde(default)]
    pub late_reason: String,
    /// Push and pull factors.
    #[serde(default)]
    pub push_pull: String,
    /// Harm disclosed.
    #[serde(default)]
    pub harm_disclosed: String,
    /// Exploitation indicators.
    #[serde(default)]
    pub exploitation_indicators: String,
    /// Actions.
    #[serde(default)]
    pub actions: String,
    /// People the child named, one per line.
    #[serde(default)]
    pub people_named: String,
    /// Places the child named, one per line.
    #[serde(default)]
    pub places_named: String,
    /// Sharing decisions: `share_<recipient>`, `basis_<recipient>`, `reason_<recipient>`.
    #[serde(flatten)]
    pub shares: std::collections::BTreeMap<String, String>,
}

fn optional_time(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    d: &str,
    m: &str,
    y: &str,
    t: &str,
) -> Option<DateTime<Utc>> {
    if [d, m, y, t].iter().all(|v| v.trim().is_empty()) {
        return None;
    }
    let date = validate::date_parts(errs, field, label, d, m, y)?;
    match validate::parse_time(t) {
        Some(tm) => Some(calendar::from_london(NaiveDateTime::new(date, tm))),
        None => {
            errs.add(field, "Enter a time, for example 16:00");
            None
        }
    }
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

impl App {
    /// The provider's open interviews, soonest due first.
    pub async fn rhi_queue(&self, ctx: &Ctx) -> AppResult<Vec<rhi::QueueItem>> {
        self.check_service(ctx, harbour_domain::authz::ServiceAction::RhiQueue)
            .await?;
        let mut tx = self.db.begin_write().await?;
        let q = rhi::queue(&mut tx, ctx.me.user.org_id).await?;
        let ev = ctx.event(
            "rhi.queue",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!("{} interviews", q.len())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(q)
    }

    /// One interview with the minimum about the child. Audited as a read.
    pub async fn interview(&self, ctx: &Ctx, id: Uuid) -> AppResult<InterviewView> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let i = rhi::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        let ok = match decide_interview(&ctx.me.actor, i.provider_org_id, i.child_id) {
            Ok(ok) => ok,
            Err(d) => {
                let ev = ctx.event(
                    "rhi.view",
                    "rhi_interview",
                    Some(id),
                    Some(i.child_id.0),
                    Outcome::Deny,
                    Some(d.reason.as_str().into()),
                );
                drop(tx);
                return Err(self.deny(ev, Some(d)).await);
            }
        };
        let c = children::get_with_facts(&mut tx, &ctx.me.actor, i.child_id, now)
            .await?
            .ok_or(AppError::NotFound)?;
        let placement = records::placements(&mut tx, &ok)
            .await?
            .into_iter()
            .find(|p| p.end_date.is_none());
        let episode = missing::for_child(&mut tx, &ok)
            .await?
            .into_iter()
            .find(|e| e.id == i.episode_id)
            .ok_or(AppError::NotFound)?;
        let profile = harbour_db::philomena::current(&mut tx, &ok).await?;
        let photo = match profile.as_ref().and_then(|p| p.photo.as_ref()) {
            Some(m) => harbour_db::philomena::photo(&mut tx, &ok, m.id)
                .await?
                .map(|(kind, bytes)| crate::philomena::Photo { kind, bytes }),
            None => None,
        };
        let ev = ctx.event(
            "rhi.view",
            "rhi_interview",
            Some(id),
            Some(i.child_id.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        let age = harbour_domain::rules::age_on(c.child.dob, calendar::london_date(now));
        let la = |code: &str| {
            harbour_domain::la_codes::la_name(code)
                .map(|n| format!("{n} ({code})"))
                .unwrap_or_else(|| code.to_string())
        };
        let recipients = Recipient::for_child(
            &self.config.home_la,
            &c.child.responsible_la,
            c.child.host_la.as_deref(),
        )
        .into_iter()
        .map(|r| {
            let label = match r {
                Recipient::PlacingAuthority => {
                    format!("The placing authority, {}", la(&c.child.responsible_la))
                }
                Recipient::HostAuthority => format!(
                    "The authority the child is placed in, {}",
                    la(c.child.host_la.as_deref().unwrap_or_default())
                ),
                r => r.label().to_string(),
            };
            (r, label)
        })
        .collect();
        Ok(InterviewView {
            interview: i,
            child_name: c.child.full_name(),
            age,
            placement,
            episode,
            recipients,
            dob: c.child.dob,
            responsible_la: c.child.responsible_la.clone(),
            host_la: c.child.host_la.clone(),
            worker: c.worker_id,
            description: profile.map(|p| p.details.description),
            photo,
        })
    }

    /// Record what happened at (or instead of) an interview.
    pub async fn record_interview(
        &self,
        ctx: &Ctx,
        id: Uuid,
        input: &InterviewInput,
    ) -> AppResult<()> {
        let now = self.now();
        let view = self.interview(ctx, id).await?;
        let mut errs = FieldErrors::new();
        let offered_at = optional_time(
            &mut errs,
            "offered_day",
            "the date the interview was offered",
            &input.offered_day,
            &input.offered_month,
            &input.offered_year,
            &input.offered_time,
        );
        let held_at = optional_time(
            &mut errs,
            "held_day",
            "the date the interview was held",
            &input.held_day,
            &input.held_month,
            &input.held_year,
            &input.held_time,
        );
        let rec = RhiRecord {
            outcome: RhiOutcome::parse(input.outcome.trim()),
            offered_at,
            held_at,
            reason: input.reason.clone(),
            offered_by: input.offered_by.clone(),
            declined_told: input.declined_told.clone(),
            late_reason: input.late_reason.clone(),
            push_pull: input.push_pull.clone(),
            harm_disclosed: input.harm_disclosed.clone(),
        };
        for p in check_rhi_record(&rec, view.interview.due_at, now) {
            let field = match p.field {
                "offered" => "offered_day",
                "held" => "held_day",
                f => f,
            };
            errs.add(field, p.message);
        }
        for (field, v) in [
            ("push_pull", &input.push_pull),
            ("harm_disclosed", &input.harm_disclosed),
            ("exploitation_indicators", &input.exploitation_indicators),
            ("actions", &input.actions),
            ("people_named", &input.people_named),
            ("places_named", &input.places_named),
            ("reason", &input.reason),
            ("offered_by", &input.offered_by),
            ("declined_told", &input.declined_told),
            ("late_reason", &input.late_reason),
        ] {
            if v.chars().count() > 10_000 {
                errs.add(field, "This must be 10,000 characters or fewer");
            }
        }
        let applies: Vec<Recipient> = view.recipients.iter().map(|(r, _)| *r).collect();
        let (decisions, share_errors) = crate::findings::parse_decisions(&input.shares, &applies);
        for (field, message) in share_errors {
            errs.add(&field, message);
        }
        for p in check_decisions(&applies, &decisions) {
            let field = crate::findings::problem_field(&p);
            if errs.get(&field).is_none() {
                errs.add(&field, p.message);
            }
        }
        let people = crate::findings::split_names(&input.people_named);
        let places = crate::findings::split_names(&input.places_named);
        errs.into_result()?;
        let mut named_text = Vec::new();
        if !people.is_empty() {
            named_text.push(format!("People: {}", people.join("; ")));
        }
        if !places.is_empty() {
            named_text.push(format!("Places: {}", places.join("; ")));
        }
        let i = ReturnInterview {
            outcome: rec.outcome.ok_or(AppError::NotFound)?,
            offered_at,
            held_at,
            reason: some(&input.reason),
            offered_by: some(&input.offered_by),
            declined_told: some(&input.declined_told),
            late_reason: some(&input.late_reason),
            push_pull: some(&input.push_pull),
            harm_disclosed: some(&input.harm_disclosed),
            exploitation_indicators: some(&input.exploitation_indicators),
            people_places: some(&named_text.join("\n")),
            actions: some(&input.actions),
            ..view.interview
        };
        let mut tx = self.db.begin_write().await?;
        if !rhi::record(&mut tx, &i, ctx.me.user.id, now).await? {
            return Err(AppError::Conflict(
                "This interview has already been recorded.".into(),
            ));
        }
        let ok = decide_interview(&ctx.me.actor, i.provider_org_id, i.child_id)
            .map_err(|d| AppError::Forbidden(Some(d)))?;
        let provider = ctx.me.user.org_id;
        let provider_name = harbour_db::org::list_orgs(&mut tx)
            .await?
            .into_iter()
            .find(|o| o.id == provider)
            .map(|o| o.name)
            .unwrap_or_else(|| "the return interview service".into());
        let sc = crate::findings::ShareContext {
            child_name: &view.child_name,
            dob: view.dob,
            responsible_la: &view.responsible_la,
            host_la: view.host_la.as_deref(),
            worker: view.worker,
            episode: &view.episode,
            provider: &provider_name,
        };
        self.distribute_findings(
            &mut tx,
            ctx,
            &ok,
            &sc,
            &i,
            &decisions,
            &[("person", people), ("place", places)],
            now,
        )
        .await?;
        let ev = ctx.event(
            "rhi.record",
            "rhi_interview",
            Some(id),
            Some(i.child_id.0),
            Outcome::Allow,
            Some(i.outcome.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }
}
