//! Out of hours (see `harbour_domain::edt`): the crisis summary, the safety
//! plan, day-team alerts to EDT, the out-of-hours contact log, handovers to
//! the day team (and their escalation, computed on read) and placement
//! support. Each read and write of a child's record is authorised and
//! audited in its transaction.

use crate::children::{ChildListItem, ChildRecord, Reach, event_time, list_item};
use crate::missing::MissingInput;
use crate::philomena::Photo;
use crate::{App, AppError, AppResult, Ctx};
use chrono::{DateTime, Duration, Utc};
use harbour_db::children as kids;
use harbour_db::edt as repo;
use harbour_db::{DbResult, Tx, records};
use harbour_domain::audit::Outcome;
use harbour_domain::authz::{Allowed, ChildAction, ServiceAction, decide_child, decide_service};
use harbour_domain::calendar::{self, WorkingCalendar};
use harbour_domain::edt::*;
use harbour_domain::ids::ChildId;
use harbour_domain::missing::{MissingEpisode, is_out_of_hours};
use harbour_domain::model::{
    Alert, Child, ChronologyEntry, LegalStatusPeriod, Placement, Relationship,
};
use harbour_domain::philomena::{MissingHistory, PhilomenaProfile, missing_history};
use harbour_domain::roles::Role;
use harbour_domain::validate::{self, FieldErrors};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The out-of-hours part of a child's full record.
#[derive(Clone, Debug, Default)]
pub struct EdtRecord {
    /// The current safety plan.
    pub safety_plan: Option<SafetyPlan>,
    /// Alerts left for EDT, newest first (active and past).
    pub alerts: Vec<EdtAlert>,
    /// Out-of-hours contacts, newest first.
    pub contacts: Vec<OohContact>,
    /// Their handovers.
    pub handovers: Vec<Handover>,
    /// Placement support, newest first.
    pub support: Vec<PlacementSupport>,
}

impl EdtRecord {
    /// The handover of a contact.
    pub fn handover_of(&self, contact: Uuid) -> Option<&Handover> {
        self.handovers.iter().find(|h| h.contact_id == contact)
    }
}

/// Read the out-of-hours part of the record of the child `ok` names.
pub(crate) async fn record_part(tx: &mut Tx, ok: &Allowed) -> DbResult<EdtRecord> {
    Ok(EdtRecord {
        safety_plan: repo::current_plan(tx, ok).await?,
        alerts: repo::alerts_for_child(tx, ok).await?,
        contacts: repo::contacts_for_child(tx, ok).await?,
        handovers: repo::handovers_for_child(tx, ok).await?,
        support: repo::support_for_child(tx, ok).await?,
    })
}

/// Chronology entries for contacts, alerts, handovers, placement support
/// and the current safety plan.
pub(crate) fn chronology(e: &EdtRecord) -> Vec<ChronologyEntry> {
    let mut v = Vec::new();
    for c in &e.contacts {
        v.push(ChronologyEntry {
            at: c.received_at,
            source: "out_of_hours".into(),
            summary: format!(
                "Out-of-hours contact: {} (from {}, {}). Outcome: {}",
                c.kind.label().to_lowercase(),
                c.caller,
                c.caller_agency,
                c.outcome
            ),
            by: Some(c.recorded_by_name.clone()),
            significant: true,
        });
    }
    for h in &e.handovers {
        if let Some(at) = h.acknowledged_at {
            v.push(ChronologyEntry {
                at,
                source: "out_of_hours".into(),
                summary: match &h.note {
                    Some(n) => format!("Out-of-hours handover acknowledged: {n}"),
                    None => "Out-of-hours handover acknowledged".into(),
                },
                by: h.acknowledged_by_name.clone(),
                significant: false,
            });
        }
    }
    for a in &e.alerts {
        v.push(ChronologyEntry {
            at: a.created_at,
            source: "edt_alert".into(),
            summary: format!(
                "Alert to the out-of-hours team until {}: if {}, {}",
                calendar::format_london(a.expires_at),
                a.if_happens,
                a.then_do
            ),
            by: Some(a.created_by_name.clone()),
            significant: false,
        });
    }
    for s in &e.support {
        v.push(ChronologyEntry {
            at: s.occurred_at,
            source: "placement_support".into(),
            summary: format!("{}: {}", s.kind.label(), s.summary),
            by: Some(s.recorded_by_name.clone()),
            significant: true,
        });
    }
    if let Some(p) = &e.safety_plan {
        v.push(ChronologyEntry {
            at: p.recorded_at,
            source: "safety_plan".into(),
            summary: format!("Safety plan updated (version {})", p.version),
            by: Some(p.recorded_by_name.clone()),
            significant: false,
        });
    }
    v
}

/// What the viewer may do from the crisis summary.
#[derive(Clone, Copy, Debug, Default)]
pub struct CrisisCan {
    /// Record an out-of-hours contact.
    pub record_contact: bool,
    /// Report the child missing.
    pub report_missing: bool,
    /// Write a new safety plan.
    pub edit_safety_plan: bool,
    /// Leave an EDT alert.
    pub leave_alert: bool,
    /// Record placement support.
    pub record_support: bool,
    /// Open the full record.
    pub view_record: bool,
}

/// The one-page crisis summary.
#[derive(Clone, Debug)]
pub struct CrisisSummary {
    /// The child.
    pub child: Child,
    /// Age today.
    pub age: u32,
    /// Opened through break-glass.
    pub via_break_glass: bool,
    /// The record's alerts.
    pub alerts: Vec<Alert>,
    /// Active EDT alerts.
    pub edt_alerts: Vec<EdtAlert>,
    /// The latest exploitation screening level and when.
    pub screening: Option<(String, DateTime<Utc>)>,
    /// The latest panel risk level and the meeting date.
    pub panel_risk: Option<(String, chrono::NaiveDate)>,
    /// The current safety plan.
    pub safety_plan: Option<SafetyPlan>,
    /// The current Philomena profile.
    pub profile: Option<PhilomenaProfile>,
    /// Its photo.
    pub photo: Option<Photo>,
    /// Current legal status.
    pub legal_status: Option<LegalStatusPeriod>,
    /// The open placement.
    pub placement: Option<Placement>,
    /// People around the child with their phone numbers.
    pub contacts: Vec<Relationship>,
    /// Allocated worker.
    pub worker: Option<(String, String)>,
    /// Their team.
    pub team_name: Option<String>,
    /// The team's manager.
    pub manager: Option<(String, String)>,
    /// The open missing episode.
    pub missing_now: Option<MissingEpisode>,
    /// Missing history.
    pub history: MissingHistory,
    /// Recent out-of-hours contacts (newest first, at most 5).
    pub ooh: Vec<OohContact>,
    /// The chronology of the last `weeks` weeks, newest first.
    pub chronology: Vec<ChronologyEntry>,
    /// How many weeks.
    pub weeks: u32,
    /// Actions.
    pub can: CrisisCan,
    /// Produced at (the check of the record, as audited).
    pub produced_at: DateTime<Utc>,
    /// Produced by.
    pub produced_by: String,
}

/// A safety plan as typed.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct SafetyPlanInput {
    /// The plan.
    #[serde(default)]
    pub plan: String,
    /// Agreed with whom.
    #[serde(default)]
    pub agreed_with: String,
    /// The version the form was opened on ("0": none).
    #[serde(default)]
    pub base_version: String,
}

/// An EDT alert as typed.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct AlertInput {
    /// If this happens …
    #[serde(default)]
    pub if_happens: String,
    /// … do this.
    #[serde(default)]
    pub then_do: String,
    /// Expiry day.
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

/// An out-of-hours contact as typed.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ContactInput {
    /// Day received.
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
    /// Who called.
    #[serde(default)]
    pub caller: String,
    /// Their agency or relationship.
    #[serde(default)]
    pub caller_agency: String,
    /// What about.
    #[serde(default)]
    pub kind: String,
    /// What was reported.
    #[serde(default)]
    pub reported: String,
    /// Other agencies involved.
    #[serde(default)]
    pub agencies: String,
    /// Actions taken.
    #[serde(default)]
    pub actions: String,
    /// Outcome.
    #[serde(default)]
    pub outcome: String,
    /// "yes": the placement support team was involved.
    #[serde(default)]
    pub placement_support: String,
}

/// Placement support as typed.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct SupportInput {
    /// `crisis` or `stability_concern`.
    #[serde(default)]
    pub kind: String,
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
    /// What happened and what support was given.
    #[serde(default)]
    pub summary: String,
    /// Next steps.
    #[serde(default)]
    pub next_steps: String,
    /// A related missing episode (id), or blank.
    #[serde(default)]
    pub episode: String,
    /// The contact it came from (id), or blank.
    #[serde(default)]
    pub contact: String,
}

/// An acknowledgement as typed.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct AckInput {
    /// What the day team will do.
    #[serde(default)]
    pub note: String,
}

/// A contact and what hangs off it.
#[derive(Clone, Debug)]
pub struct ContactView {
    /// The contact.
    pub contact: OohContact,
    /// The child.
    pub child: Child,
    /// Its handover.
    pub handover: Option<Handover>,
    /// Its state now.
    pub state: Option<HandoverState>,
    /// The missing episode started from it.
    pub episode: Option<MissingEpisode>,
    /// Placement support recorded from it.
    pub support: Vec<PlacementSupport>,
    /// The child is missing now (another episode cannot be started).
    pub missing_now: bool,
    /// The viewer may report missing.
    pub can_report_missing: bool,
    /// The viewer may record placement support.
    pub can_record_support: bool,
}

/// The placement support form's choices.
#[derive(Clone, Debug)]
pub struct SupportForm {
    /// The child.
    pub child: Child,
    /// The open placement.
    pub placement: Option<Placement>,
    /// Episodes in the last 90 days, newest first.
    pub episodes: Vec<MissingEpisode>,
    /// Contacts in the last 30 days, newest first.
    pub contacts: Vec<OohContact>,
}

/// An alert with its child.
#[derive(Clone, Debug)]
pub struct AlertItem {
    /// The alert.
    pub alert: EdtAlert,
    /// The child.
    pub child: ChildListItem,
}

/// A handover with its contact and child.
#[derive(Clone, Debug)]
pub struct HandoverItem {
    /// The handover.
    pub handover: Handover,
    /// Its state now.
    pub state: HandoverState,
    /// The contact.
    pub contact: OohContact,
    /// The child.
    pub child: ChildListItem,
    /// The viewer may acknowledge it.
    pub can_acknowledge: bool,
}

/// A contact with its child, for the desk.
#[derive(Clone, Debug)]
pub struct ContactItem {
    /// The contact.
    pub contact: OohContact,
    /// The child.
    pub child: ChildListItem,
}

/// The out-of-hours desk.
#[derive(Clone, Debug, Default)]
pub struct EdtDesk {
    /// It is out of hours now.
    pub out_of_hours: bool,
    /// When tonight's contacts are due with the day team.
    pub next_handover_due: Option<DateTime<Utc>>,
    /// Active alerts, soonest to expire first.
    pub alerts: Vec<AlertItem>,
    /// Contacts in the last 72 hours, newest first.
    pub contacts: Vec<ContactItem>,
    /// Handovers not yet acknowledged (and escalated ones), soonest due first.
    pub handovers: Vec<HandoverItem>,
}

/// The out-of-hours part of My work.
#[derive(Clone, Debug, Default)]
pub struct EdtWork {
    /// The viewer is in the emergency duty team.
    pub edt: bool,
    /// It is out of hours now.
    pub out_of_hours: bool,
    /// Active alerts (EDT only).
    pub alerts: Vec<AlertItem>,
    /// Contacts in the last 24 hours (EDT only).
    pub contacts: Vec<ContactItem>,
    /// Handovers waiting for the viewer's team.
    pub waiting: Vec<HandoverItem>,
    /// Handovers past due, escalated to the viewer as manager.
    pub escalated: Vec<HandoverItem>,
}

fn yes(s: &str) -> bool {
    matches!(s.trim(), "yes" | "on" | "true")
}

fn add(errs: &mut FieldErrors, p: Option<Problem>) {
    if let Some((f, m)) = p {
        errs.add(f, m);
    }
}

impl App {
    fn calendar(&self) -> WorkingCalendar {
        WorkingCalendar::england_and_wales()
    }

    #[allow(clippy::too_many_arguments)]
    fn edt_event(
        &self,
        ctx: &Ctx,
        action: &str,
        kind: &str,
        target: Option<Uuid>,
        child: ChildId,
        ok: &Allowed,
        extra: Option<String>,
    ) -> harbour_domain::audit::AuditEvent {
        let mut reason: Vec<String> = extra.into_iter().collect();
        if ok.via_break_glass() {
            reason.push("break_glass".into());
        }
        ctx.event(
            action,
            kind,
            target,
            Some(child.0),
            Outcome::Allow,
            (!reason.is_empty()).then(|| reason.join("; ")),
        )
    }

    /// The one-page crisis summary: risks and alerts, the safety plan, the
    /// Philomena profile, placement and carer contacts, the worker and
    /// manager, the open episode and the last weeks of the chronology.
    /// Audited as `edt.crisis_summary` (EDT "checks the record first and
    /// records the check").
    pub async fn crisis_summary(&self, ctx: &Ctx, child: ChildId) -> AppResult<CrisisSummary> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (tx, c, ok) = self
            .authorise_child_as(
                tx,
                ctx,
                child,
                ChildAction::ViewCrisisSummary,
                "edt.crisis_summary",
            )
            .await?;
        let actor = &ctx.me.actor;
        let may = |a| decide_child(actor, a, &c.facts).is_ok();
        let can = CrisisCan {
            record_contact: may(ChildAction::RecordOohContact),
            report_missing: may(ChildAction::RecordMissing),
            edit_safety_plan: may(ChildAction::EditSafetyPlan),
            leave_alert: may(ChildAction::LeaveEdtAlert),
            record_support: may(ChildAction::RecordPlacementSupport),
            view_record: may(ChildAction::ViewRecord),
        };
        let manager_id = c.facts.allocated_team_manager;
        let worker_id = c.worker_id;
        let team_name = c.team_name.clone();
        let (mut tx, r) = self
            .load_record(tx, ctx, c, ok, ChildAction::ViewRecord, now)
            .await?;
        let person = |u: Option<harbour_domain::model::User>| u.map(|u| (u.name, u.email));
        let worker = match worker_id {
            Some(id) => person(harbour_db::users::get(&mut tx, id).await?),
            None => None,
        };
        let manager = match manager_id {
            Some(id) => person(harbour_db::users::get(&mut tx, id).await?),
            None => None,
        };
        let profile = harbour_db::philomena::current(&mut tx, &ok).await?;
        let photo = match profile.as_ref().and_then(|p| p.photo.as_ref()) {
            Some(m) => harbour_db::philomena::photo(&mut tx, &ok, m.id)
                .await?
                .map(|(kind, bytes)| Photo { kind, bytes }),
            None => None,
        };
        let ev = self.edt_event(
            ctx,
            "edt.crisis_summary",
            "child",
            Some(child.0),
            child,
            &ok,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        let today = calendar::london_date(now);
        let weeks = self.config.edt.chronology_weeks;
        let since = now - Duration::weeks(i64::from(weeks));
        let ChildRecord {
            child,
            alerts,
            legal_statuses,
            placements,
            relationships,
            missing,
            missing_now,
            chronology,
            exploitation,
            panel,
            edt,
            ..
        } = r;
        Ok(CrisisSummary {
            age: child.age_on(today),
            child,
            via_break_glass: ok.via_break_glass(),
            alerts,
            edt_alerts: edt
                .alerts
                .iter()
                .filter(|a| a.is_active(now))
                .cloned()
                .collect(),
            screening: exploitation
                .latest()
                .map(|s| (s.level.clone(), s.recorded_at)),
            panel_risk: panel
                .first()
                .map(|p| (p.risk.label().to_string(), p.held_on)),
            safety_plan: edt.safety_plan.clone(),
            profile,
            photo,
            legal_status: legal_statuses
                .into_iter()
                .filter(|l| l.end_date.is_none())
                .max_by_key(|l| l.start_date),
            placement: placements.into_iter().find(|p| p.end_date.is_none()),
            contacts: relationships,
            worker,
            team_name,
            manager,
            history: missing_history(&missing, today),
            missing_now,
            ooh: edt.contacts.iter().take(5).cloned().collect(),
            chronology: chronology.into_iter().filter(|e| e.at >= since).collect(),
            weeks,
            can,
            produced_at: now,
            produced_by: ctx.me.user.name.clone(),
        })
    }

    /// The child and current plan, for the safety plan form. Audited as
    /// `safety_plan.form`.
    pub async fn safety_plan_form(
        &self,
        ctx: &Ctx,
        child: ChildId,
    ) -> AppResult<(Child, Option<SafetyPlan>)> {
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child_as(
                tx,
                ctx,
                child,
                ChildAction::EditSafetyPlan,
                "safety_plan.form",
            )
            .await?;
        let plan = repo::current_plan(&mut tx, &ok).await?;
        let ev = self.edt_event(
            ctx,
            "safety_plan.form",
            "child",
            Some(child.0),
            child,
            &ok,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok((c.child, plan))
    }

    /// Save a new version of the safety plan. A save on top of a newer
    /// version than the form was opened on is refused (409). Audited as
    /// `safety_plan.save`.
    pub async fn save_safety_plan(
        &self,
        ctx: &Ctx,
        child: ChildId,
        input: &SafetyPlanInput,
    ) -> AppResult<i64> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, _, ok) = self
            .authorise_child(tx, ctx, child, ChildAction::EditSafetyPlan)
            .await?;
        let current = repo::current_plan(&mut tx, &ok).await?;
        let version = current.as_ref().map_or(0, |p| p.version);
        let stale = || {
            AppError::Conflict(
                "Someone else saved a new safety plan while you were editing. Open the plan again to see it, then make your changes."
                    .into(),
            )
        };
        match input.base_version.trim() {
            "" => {}
            b if b.parse::<i64>().ok() == Some(version) => {}
            _ => return Err(stale()),
        }
        let mut errs = FieldErrors::new();
        let plan =
            validate::required_text(&mut errs, "plan", "the safety plan", &input.plan, 10_000);
        let agreed_with = validate::optional_text(
            &mut errs,
            "agreed_with",
            "who it was agreed with",
            &input.agreed_with,
            500,
        );
        errs.into_result()?;
        let p = SafetyPlan {
            child_id: child,
            version: version + 1,
            plan,
            agreed_with: agreed_with.unwrap_or_default(),
            recorded_by: ctx.me.user.id,
            recorded_by_name: ctx.me.user.name.clone(),
            recorded_at: now,
        };
        repo::insert_plan(&mut tx, &ok, &p)
            .await
            .map_err(|e| match e {
                harbour_db::DbError::UniqueViolation => stale(),
                other => other.into(),
            })?;
        let ev = self.edt_event(
            ctx,
            "safety_plan.save",
            "safety_plan",
            Some(child.0),
            child,
            &ok,
            Some(format!("version {}", p.version)),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(p.version)
    }

    /// Leave an alert for EDT. Audited as `edt_alert.create`.
    pub async fn leave_alert(
        &self,
        ctx: &Ctx,
        child: ChildId,
        input: &AlertInput,
    ) -> AppResult<Uuid> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, _, ok) = self
            .authorise_child(tx, ctx, child, ChildAction::LeaveEdtAlert)
            .await?;
        let mut errs = FieldErrors::new();
        let expires = {
            let date = validate::date_parts(
                &mut errs,
                "day",
                "the date the alert ends",
                &input.day,
                &input.month,
                &input.year,
            );
            let time = if input.time.trim().is_empty() {
                Some(chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default())
            } else {
                let t = validate::parse_time(&input.time);
                if t.is_none() {
                    errs.add("time", "Enter a real time, for example 09:00 or 9am");
                }
                t
            };
            date.zip(time)
                .map(|(d, t)| calendar::from_london(d.and_time(t)))
        };
        for (f, m) in check_alert(
            &input.if_happens,
            &input.then_do,
            expires,
            now,
            &self.config.edt,
        ) {
            errs.add(f, m);
        }
        errs.into_result()?;
        let Some(expires_at) = expires else {
            return Err(AppError::Internal("alert expiry missing".into()));
        };
        let a = EdtAlert {
            id: Uuid::now_v7(),
            child_id: child,
            if_happens: input.if_happens.trim().to_string(),
            then_do: input.then_do.trim().to_string(),
            expires_at,
            created_by: ctx.me.user.id,
            created_by_name: ctx.me.user.name.clone(),
            created_at: now,
            withdrawn_at: None,
        };
        repo::insert_alert(&mut tx, &ok, &a).await?;
        let ev = self.edt_event(
            ctx,
            "edt_alert.create",
            "edt_alert",
            Some(a.id),
            child,
            &ok,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(a.id)
    }

    /// Withdraw an alert before it expires (the day team, as for leaving
    /// one). Audited as `edt_alert.withdraw`. Returns the child.
    pub async fn withdraw_alert(&self, ctx: &Ctx, id: Uuid) -> AppResult<ChildId> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let a = repo::get_alert(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (mut tx, _, ok) = self
            .authorise_child_as(
                tx,
                ctx,
                a.child_id,
                ChildAction::LeaveEdtAlert,
                "edt_alert.withdraw",
            )
            .await?;
        if !repo::withdraw_alert(&mut tx, &ok, id, ctx.me.user.id, now).await? {
            return Err(AppError::Conflict(
                "This alert was already withdrawn.".into(),
            ));
        }
        let ev = self.edt_event(
            ctx,
            "edt_alert.withdraw",
            "edt_alert",
            Some(id),
            a.child_id,
            &ok,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(a.child_id)
    }

    /// Record an out-of-hours contact and hand it over to the day team (the
    /// allocated team, or the team managers' duty queue), due at the
    /// configured time on the next working day. Audited as
    /// `edt.contact.create`.
    pub async fn record_contact(
        &self,
        ctx: &Ctx,
        child: ChildId,
        input: &ContactInput,
    ) -> AppResult<Uuid> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child(tx, ctx, child, ChildAction::RecordOohContact)
            .await?;
        let mut errs = FieldErrors::new();
        let received_at = event_time(
            &mut errs,
            now,
            &input.day,
            &input.month,
            &input.year,
            &input.time,
            "the date the contact was received",
        );
        if let Some(at) = received_at {
            add(&mut errs, check_event_time("day", at, now));
        }
        let caller = validate::required_text(&mut errs, "caller", "who called", &input.caller, 200);
        let caller_agency = validate::required_text(
            &mut errs,
            "caller_agency",
            "their agency or relationship to the child",
            &input.caller_agency,
            200,
        );
        let kind = ContactKind::parse(input.kind.trim());
        if kind.is_none() {
            errs.add("kind", "Select what the contact was about");
        }
        let reported = validate::required_text(
            &mut errs,
            "reported",
            "what was reported",
            &input.reported,
            10_000,
        );
        let agencies = validate::optional_text(
            &mut errs,
            "agencies",
            "the agencies involved",
            &input.agencies,
            1_000,
        );
        let actions = validate::required_text(
            &mut errs,
            "actions",
            "the actions taken",
            &input.actions,
            10_000,
        );
        let outcome =
            validate::required_text(&mut errs, "outcome", "the outcome", &input.outcome, 10_000);
        errs.into_result()?;
        let (Some(received_at), Some(kind)) = (received_at, kind) else {
            return Err(AppError::Internal("contact fields missing".into()));
        };
        let contact = OohContact {
            id: Uuid::now_v7(),
            child_id: child,
            received_at,
            caller,
            caller_agency,
            kind,
            reported,
            agencies: agencies.unwrap_or_default(),
            actions,
            outcome,
            placement_support: yes(&input.placement_support),
            missing_episode_id: None,
            recorded_by: ctx.me.user.id,
            recorded_by_name: ctx.me.user.name.clone(),
            recorded_at: now,
        };
        repo::insert_contact(&mut tx, &ok, &contact).await?;
        let due = self
            .config
            .edt
            .due_time()
            .ok_or_else(|| AppError::Internal("edt.handover_due".into()))?;
        // Handed over from when it was recorded: a contact typed up after
        // the shift still reaches the day team the next working day.
        let h = Handover {
            id: Uuid::now_v7(),
            contact_id: contact.id,
            child_id: child,
            team_id: c.facts.allocated_team,
            due_at: handover_due(now, &self.calendar(), due),
            acknowledged_at: None,
            acknowledged_by_name: None,
            note: None,
        };
        repo::insert_handover(&mut tx, &ok, &h).await?;
        let ev = self.edt_event(
            ctx,
            "edt.contact.create",
            "ooh_contact",
            Some(contact.id),
            child,
            &ok,
            Some(kind.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(contact.id)
    }

    /// One contact with its handover, episode and placement support.
    /// Audited as `edt.contact.view` (needs the crisis summary's access).
    pub async fn contact(&self, ctx: &Ctx, id: Uuid) -> AppResult<ContactView> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let contact = repo::get_contact(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (mut tx, c, ok) = self
            .authorise_child_as(
                tx,
                ctx,
                contact.child_id,
                ChildAction::ViewCrisisSummary,
                "edt.contact.view",
            )
            .await?;
        let handover = repo::handovers_for_child(&mut tx, &ok)
            .await?
            .into_iter()
            .find(|h| h.contact_id == id);
        let episodes = harbour_db::missing::for_child(&mut tx, &ok).await?;
        let support = repo::support_for_child(&mut tx, &ok)
            .await?
            .into_iter()
            .filter(|s| s.contact_id == Some(id))
            .collect();
        let ev = self.edt_event(
            ctx,
            "edt.contact.view",
            "ooh_contact",
            Some(id),
            contact.child_id,
            &ok,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        let may = |a| decide_child(&ctx.me.actor, a, &c.facts).is_ok();
        Ok(ContactView {
            state: handover.as_ref().map(|h| h.state(now)),
            handover,
            episode: contact
                .missing_episode_id
                .and_then(|e| episodes.iter().find(|x| x.id == e).cloned()),
            missing_now: episodes.iter().any(|e| e.is_open()),
            support,
            can_report_missing: may(ChildAction::RecordMissing),
            can_record_support: may(ChildAction::RecordPlacementSupport),
            child: c.child,
            contact,
        })
    }

    /// The missing report form, prefilled from a contact: what was reported
    /// becomes the circumstances, the placement the place last seen, the
    /// time received the time last seen (to be corrected where it differs).
    /// Audited as `missing.record.form` with the contact as the reason.
    pub async fn contact_missing_form(
        &self,
        ctx: &Ctx,
        contact_id: Uuid,
    ) -> AppResult<(Child, MissingInput)> {
        let mut tx = self.db.begin_write().await?;
        let contact = repo::get_contact(&mut tx, contact_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (mut tx, c, ok) = self
            .authorise_child_as(
                tx,
                ctx,
                contact.child_id,
                ChildAction::RecordMissing,
                "missing.record.form",
            )
            .await?;
        if contact.missing_episode_id.is_some() {
            return Err(AppError::Conflict(
                "A missing episode has already been started from this contact.".into(),
            ));
        }
        let placement = records::placements(&mut tx, &ok)
            .await?
            .into_iter()
            .find(|p| p.end_date.is_none());
        let ev = self.edt_event(
            ctx,
            "missing.record.form",
            "ooh_contact",
            Some(contact_id),
            contact.child_id,
            &ok,
            Some("from out-of-hours contact".into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok((c.child, prefill_missing(&contact, placement.as_ref())))
    }

    /// Report the child missing from a contact: the missing service's own
    /// report (checks, police grade, tasks, escalation), with the contact
    /// linked to the new episode in the same transaction. Returns the child
    /// and the episode.
    pub async fn report_missing_from_contact(
        &self,
        ctx: &Ctx,
        contact_id: Uuid,
        input: &MissingInput,
    ) -> AppResult<(ChildId, Uuid)> {
        let child = {
            let mut tx = self.db.begin_read().await?;
            let c = repo::get_contact(&mut tx, contact_id)
                .await?
                .ok_or(AppError::NotFound)?;
            tx.commit().await?;
            c.child_id
        };
        let r = self
            .report_missing_linked(ctx, child, input, None, Some(contact_id))
            .await?;
        Ok((child, r.id))
    }

    /// The placement support form: the child, the open placement, recent
    /// episodes and contacts to link. Audited as
    /// `placement_support.create.form`.
    pub async fn support_form(&self, ctx: &Ctx, child: ChildId) -> AppResult<SupportForm> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child_as(
                tx,
                ctx,
                child,
                ChildAction::RecordPlacementSupport,
                "placement_support.create.form",
            )
            .await?;
        let placement = records::placements(&mut tx, &ok)
            .await?
            .into_iter()
            .find(|p| p.end_date.is_none());
        let mut episodes = harbour_db::missing::for_child(&mut tx, &ok).await?;
        episodes.retain(|e| e.last_seen_at >= now - Duration::days(90));
        episodes.sort_by_key(|e| std::cmp::Reverse(e.last_seen_at));
        let mut contacts = repo::contacts_for_child(&mut tx, &ok).await?;
        contacts.retain(|o| o.received_at >= now - Duration::days(30));
        let ev = self.edt_event(
            ctx,
            "placement_support.create.form",
            "child",
            Some(child.0),
            child,
            &ok,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(SupportForm {
            child: c.child,
            placement,
            episodes,
            contacts,
        })
    }

    /// Record crisis support given to the placement or a stability concern,
    /// linked to the open placement and, where chosen, a missing episode
    /// and the contact it came from (both must be the child's). Audited as
    /// `placement_support.create`.
    pub async fn record_support(
        &self,
        ctx: &Ctx,
        child: ChildId,
        input: &SupportInput,
    ) -> AppResult<Uuid> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, _, ok) = self
            .authorise_child(tx, ctx, child, ChildAction::RecordPlacementSupport)
            .await?;
        let mut errs = FieldErrors::new();
        let kind = SupportKind::parse(input.kind.trim());
        if kind.is_none() {
            errs.add("kind", "Select crisis support or a stability concern");
        }
        let occurred_at = event_time(
            &mut errs,
            now,
            &input.day,
            &input.month,
            &input.year,
            &input.time,
            "the date it happened",
        );
        if let Some(at) = occurred_at {
            add(&mut errs, check_event_time("day", at, now));
        }
        let summary = validate::required_text(
            &mut errs,
            "summary",
            "what happened and the support given",
            &input.summary,
            10_000,
        );
        let next_steps = validate::optional_text(
            &mut errs,
            "next_steps",
            "the next steps",
            &input.next_steps,
            10_000,
        );
        let episodes = harbour_db::missing::for_child(&mut tx, &ok).await?;
        let episode = match input.episode.trim() {
            "" => None,
            s => match s
                .parse::<Uuid>()
                .ok()
                .filter(|id| episodes.iter().any(|e| e.id == *id))
            {
                Some(id) => Some(id),
                None => {
                    errs.add("episode", "Select one of this child's missing episodes");
                    None
                }
            },
        };
        let contacts = repo::contacts_for_child(&mut tx, &ok).await?;
        let contact = match input.contact.trim() {
            "" => None,
            s => match s
                .parse::<Uuid>()
                .ok()
                .filter(|id| contacts.iter().any(|c| c.id == *id))
            {
                Some(id) => Some(id),
                None => {
                    errs.add(
                        "contact",
                        "Select one of this child's out-of-hours contacts",
                    );
                    None
                }
            },
        };
        errs.into_result()?;
        let (Some(kind), Some(occurred_at)) = (kind, occurred_at) else {
            return Err(AppError::Internal("support fields missing".into()));
        };
        let placement = records::placements(&mut tx, &ok)
            .await?
            .into_iter()
            .find(|p| p.end_date.is_none());
        let s = PlacementSupport {
            id: Uuid::now_v7(),
            child_id: child,
            placement_id: placement.map(|p| p.id.0),
            kind,
            occurred_at,
            summary,
            next_steps: next_steps.unwrap_or_default(),
            missing_episode_id: episode,
            contact_id: contact,
            recorded_by: ctx.me.user.id,
            recorded_by_name: ctx.me.user.name.clone(),
            recorded_at: now,
        };
        repo::insert_support(&mut tx, &ok, &s).await?;
        let ev = self.edt_event(
            ctx,
            "placement_support.create",
            "placement_support",
            Some(s.id),
            child,
            &ok,
            Some(kind.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(s.id)
    }

    /// Acknowledge a handover (the day team). Audited as
    /// `edt.handover.acknowledge`. Returns the child.
    pub async fn acknowledge_handover(
        &self,
        ctx: &Ctx,
        id: Uuid,
        input: &AckInput,
    ) -> AppResult<ChildId> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let h = repo::get_handover(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (mut tx, _, ok) = self
            .authorise_child(tx, ctx, h.child_id, ChildAction::AcknowledgeHandover)
            .await?;
        let mut errs = FieldErrors::new();
        let note = validate::optional_text(
            &mut errs,
            "note",
            "what the team will do",
            &input.note,
            2_000,
        );
        errs.into_result()?;
        if !repo::acknowledge(&mut tx, &ok, id, ctx.me.user.id, now, note.as_deref()).await? {
            return Err(AppError::Conflict(
                "Someone in the team has already acknowledged this handover.".into(),
            ));
        }
        let state = handover_state(h.due_at, Some(now), now);
        let ev = self.edt_event(
            ctx,
            "edt.handover.acknowledge",
            "edt_handover",
            Some(id),
            h.child_id,
            &ok,
            (state == HandoverState::AcknowledgedLate).then(|| "late".to_string()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(h.child_id)
    }

    /// Handovers the viewer can see, with their contacts and children:
    /// waiting and escalated ones, and those acknowledged in the last
    /// `recent` hours. EDT sees every one it may open (to know what the
    /// day team has picked up); the day team sees those it may acknowledge.
    async fn handover_items(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        now: DateTime<Utc>,
        recent: i64,
    ) -> AppResult<Vec<HandoverItem>> {
        let actor = &ctx.me.actor;
        let rows = repo::handovers_open_or_since(tx, now - Duration::hours(recent)).await?;
        let mut out = Vec::new();
        for h in rows {
            let Some(c) = kids::get_with_facts(tx, actor, h.child_id, now).await? else {
                continue;
            };
            let can_acknowledge =
                decide_child(actor, ChildAction::AcknowledgeHandover, &c.facts).is_ok();
            let visible = can_acknowledge
                || (actor.role == Role::EdtWorker
                    && decide_child(actor, ChildAction::ViewSummary, &c.facts).is_ok());
            if !visible {
                continue;
            }
            let Some(contact) = repo::get_contact(tx, h.contact_id).await? else {
                continue;
            };
            let Some(child) = list_item(c, actor) else {
                continue;
            };
            out.push(HandoverItem {
                state: h.state(now),
                handover: h,
                contact,
                child,
                can_acknowledge,
            });
        }
        Ok(out)
    }

    async fn alert_items(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        now: DateTime<Utc>,
    ) -> AppResult<Vec<AlertItem>> {
        let actor = &ctx.me.actor;
        let mut out = Vec::new();
        for a in repo::active_alerts(tx, now).await? {
            let Some(c) = kids::get_with_facts(tx, actor, a.child_id, now).await? else {
                continue;
            };
            if let Some(child) = list_item(c, actor).filter(|i| i.reach == Reach::Open) {
                out.push(AlertItem { alert: a, child });
            }
        }
        Ok(out)
    }

    async fn contact_items(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        now: DateTime<Utc>,
        since: DateTime<Utc>,
    ) -> AppResult<Vec<ContactItem>> {
        let actor = &ctx.me.actor;
        let mut out = Vec::new();
        for o in repo::contacts_since(tx, since).await? {
            let Some(c) = kids::get_with_facts(tx, actor, o.child_id, now).await? else {
                continue;
            };
            if let Some(child) = list_item(c, actor).filter(|i| i.reach == Reach::Open) {
                out.push(ContactItem { contact: o, child });
            }
        }
        Ok(out)
    }

    /// The out-of-hours desk: active alerts, contacts in the last 72 hours
    /// and handovers still waiting. Audited as `edt.desk`.
    pub async fn edt_desk(&self, ctx: &Ctx) -> AppResult<EdtDesk> {
        self.check_service(ctx, ServiceAction::OutOfHours).await?;
        let now = self.now();
        let cal = self.calendar();
        let mut tx = self.db.begin_write().await?;
        let alerts = self.alert_items(&mut tx, ctx, now).await?;
        let contacts = self
            .contact_items(&mut tx, ctx, now, now - Duration::hours(72))
            .await?;
        let mut handovers = self.handover_items(&mut tx, ctx, now, 0).await?;
        handovers.retain(|h| h.handover.acknowledged_at.is_none());
        let n = alerts.len() + contacts.len() + handovers.len();
        let ev = ctx.event(
            "edt.desk",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!("{n} items")),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(EdtDesk {
            out_of_hours: is_out_of_hours(now, &cal),
            next_handover_due: self
                .config
                .edt
                .due_time()
                .map(|t| handover_due(now, &cal, t)),
            alerts,
            contacts,
            handovers,
        })
    }

    /// Handovers for the viewer's day team (or, for EDT, all it may open):
    /// waiting, escalated and acknowledged in the last 7 days. Audited as
    /// `edt.handovers`.
    pub async fn handovers(&self, ctx: &Ctx) -> AppResult<Vec<HandoverItem>> {
        self.check_service(ctx, ServiceAction::Handovers).await?;
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let items = self.handover_items(&mut tx, ctx, now, 24 * 7).await?;
        let ev = ctx.event(
            "edt.handovers",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!("{} handovers", items.len())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(items)
    }

    /// The out-of-hours part of My work, in the caller's transaction (My
    /// work audits the page). EDT: whether it is out of hours, the active
    /// alerts and the last day's contacts. The day team: handovers waiting
    /// for it; a manager (or pod): those past due, escalated to them.
    pub(crate) async fn edt_work(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        now: DateTime<Utc>,
    ) -> AppResult<EdtWork> {
        let actor = &ctx.me.actor;
        let mut w = EdtWork {
            edt: actor.role == Role::EdtWorker,
            out_of_hours: is_out_of_hours(now, &self.calendar()),
            ..Default::default()
        };
        if w.edt {
            w.alerts = self.alert_items(tx, ctx, now).await?;
            w.contacts = self
                .contact_items(tx, ctx, now, now - Duration::hours(24))
                .await?;
        } else if decide_service(actor, ServiceAction::Handovers) {
            let items = self.handover_items(tx, ctx, now, 0).await?;
            for i in items.into_iter().filter(|i| i.can_acknowledge) {
                match i.state {
                    HandoverState::Escalated
                        if matches!(actor.role, Role::TeamManager | Role::PodAdmin) =>
                    {
                        w.escalated.push(i)
                    }
                    HandoverState::Waiting | HandoverState::Escalated => w.waiting.push(i),
                    _ => {}
                }
            }
        }
        Ok(w)
    }
}

/// The missing report form's answers from a contact.
pub fn prefill_missing(contact: &OohContact, placement: Option<&Placement>) -> MissingInput {
    let local = calendar::to_london(contact.received_at);
    let (from, location) = match placement {
        Some(p) => ("placement", format!("{}, {}", p.carer_name, p.postcode)),
        None => ("home", String::new()),
    };
    MissingInput {
        kind: "M".into(),
        from: from.into(),
        day: local.format("%-d").to_string(),
        month: local.format("%-m").to_string(),
        year: local.format("%Y").to_string(),
        time: local.format("%H:%M").to_string(),
        location_left: location,
        circumstances: format!(
            "Reported out of hours by {} ({}) at {}: {}",
            contact.caller,
            contact.caller_agency,
            calendar::format_london(contact.received_at),
            contact.reported
        ),
        ..Default::default()
    }
}
