//! Exploitation screening and escalation (see `harbour_domain::screening`
//! and `harbour_domain::escalation`). Viewing needs `ViewRecord`; recording
//! a screening `RecordScreening`; accepting or declining a proposed panel
//! referral `DecideEscalation`; the queue `EscalationQueue`. Every read and
//! write is audited in its own transaction. The escalation rules run again
//! after each screening and each missing report, in that transaction.

use crate::{App, AppError, AppResult, Ctx};
use chrono::{DateTime, Utc};
use harbour_db::Tx;
use harbour_db::escalation as proposals;
use harbour_db::screening as repo;
use harbour_domain::audit::Outcome;
use harbour_domain::authz::{Allowed, ChildAction, ServiceAction, decide_child};
use harbour_domain::calendar;
use harbour_domain::escalation::{self, Proposal, Status};
use harbour_domain::ids::ChildId;
use harbour_domain::model::Child;
use harbour_domain::screening::*;
use harbour_domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One indicator as sent.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct TickInput {
    /// Indicator id.
    #[serde(default)]
    pub id: String,
    /// Evidence.
    #[serde(default)]
    pub evidence: String,
    /// `evidence` or `gut_feeling`.
    #[serde(default)]
    pub basis: String,
}

/// A screening as sent (form or API).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ScreeningInput {
    /// Indicators ticked.
    #[serde(default)]
    pub indicators: Vec<TickInput>,
    /// The practitioner's level.
    #[serde(default)]
    pub level: String,
    /// Peers of concern.
    #[serde(default)]
    pub peers: String,
    /// Why this level.
    #[serde(default)]
    pub summary: String,
}

impl ScreeningInput {
    /// From form pairs: `indicator=<id>` per ticked box, `evidence_<id>`,
    /// `basis_<id>`, `level`, `peers`, `summary`.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let mut out = Self {
            level: get("level"),
            peers: get("peers"),
            summary: get("summary"),
            indicators: Vec::new(),
        };
        for (n, v) in pairs {
            if n == "indicator" && !out.indicators.iter().any(|t| &t.id == v) {
                out.indicators.push(TickInput {
                    id: v.clone(),
                    evidence: get(&format!("evidence_{v}")),
                    basis: get(&format!("basis_{v}")),
                });
            }
        }
        out
    }

    /// Form pairs back (to show the form again with what was typed).
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut v = vec![
            ("level".to_string(), self.level.clone()),
            ("peers".to_string(), self.peers.clone()),
            ("summary".to_string(), self.summary.clone()),
        ];
        for t in &self.indicators {
            v.push(("indicator".into(), t.id.clone()));
            v.push((format!("evidence_{}", t.id), t.evidence.clone()));
            v.push((format!("basis_{}", t.id), t.basis.clone()));
        }
        v
    }
}

/// What a child's record shows about exploitation.
#[derive(Clone, Debug, Default)]
pub struct ExploitationSummary {
    /// Every screening, newest first.
    pub screenings: Vec<Screening>,
    /// The trend from the one before to the latest.
    pub trend: Option<Trend>,
    /// CIN census assessment factors the latest points to.
    pub cin_factors: Vec<String>,
    /// Proposed panel referrals, newest first.
    pub proposals: Vec<Proposal>,
}

impl ExploitationSummary {
    /// The latest screening.
    pub fn latest(&self) -> Option<&Screening> {
        self.screenings.first()
    }
    /// The proposal waiting for a decision.
    pub fn pending(&self) -> Option<&Proposal> {
        self.proposals.iter().find(|p| p.status == Status::Pending)
    }
}

/// The "Exploitation screening" page.
#[derive(Clone, Debug)]
pub struct ScreeningView {
    /// The child.
    pub child: Child,
    /// Age today.
    pub age: u32,
    /// History, trend, factors and proposals.
    pub summary: ExploitationSummary,
    /// Trend of each screening against the one before it (same order).
    pub trends: Vec<Option<Trend>>,
    /// The viewer may record a screening.
    pub can_record: bool,
    /// The viewer may accept or decline a proposal.
    pub can_decide: bool,
}

/// A proposal with its child, for the decision page and the queue.
#[derive(Clone, Debug)]
pub struct ProposalView {
    /// The proposal.
    pub proposal: Proposal,
    /// The child.
    pub child: Child,
    /// Age today.
    pub age: u32,
    /// The latest screening, if any.
    pub latest: Option<Screening>,
}

/// One row of the queue.
#[derive(Clone, Debug)]
pub struct QueueRow {
    /// The proposal.
    pub proposal: Proposal,
    /// Child's name.
    pub name: String,
    /// Age today.
    pub age: u32,
}

/// Read the summary with a permission to view the record.
pub(crate) async fn summary(
    tx: &mut Tx,
    ok: &Allowed,
    cfg: &ScreeningConfig,
) -> AppResult<ExploitationSummary> {
    let screenings = repo::for_child(tx, ok).await?;
    let proposals = proposals::for_child(tx, ok).await?;
    let trend = match (screenings.first(), screenings.get(1)) {
        (Some(l), Some(b)) => trend(cfg, &b.level, &l.level),
        _ => None,
    };
    let cin_factors = screenings
        .first()
        .map(|s| cin_factors(cfg, &s.ticks))
        .unwrap_or_default();
    Ok(ExploitationSummary {
        screenings,
        trend,
        cin_factors,
        proposals,
    })
}

impl App {
    /// Run the escalation rules for a child and store a proposal if they
    /// fire and none is waiting (or was just decided on the same grounds).
    /// Called in the transaction of a screening or a missing report, with
    /// its permission. Returns the new proposal, if one was made.
    pub(crate) async fn reevaluate_escalation(
        &self,
        tx: &mut Tx,
        ok: &Allowed,
        dob: chrono::NaiveDate,
        source: &str,
        now: DateTime<Utc>,
    ) -> AppResult<Option<Proposal>> {
        let cfg = &self.config.screening;
        let latest = repo::for_child(tx, ok).await?.into_iter().next();
        let episodes = harbour_db::missing::for_child(tx, ok).await?;
        let facts = escalation::Facts {
            age: harbour_domain::rules::age_on(dob, calendar::london_date(now)),
            latest_level: latest.as_ref().map(|s| s.level.clone()),
            under_13: latest.as_ref().is_some_and(|s| s.under_13),
            indicators: latest.as_ref().map_or(0, |s| s.ticks.len()),
            episodes: episodes.iter().map(|e| e.last_seen_at).collect(),
        };
        let grounds = escalation::grounds(cfg, &facts, now);
        let existing = proposals::for_child(tx, ok).await?;
        if !escalation::should_propose(cfg, &grounds, &existing, now) {
            return Ok(None);
        }
        let p = Proposal {
            id: Uuid::now_v7(),
            child_id: ok.child_id(),
            grounds: escalation::codes(&grounds),
            detail: escalation::detail(&grounds),
            source: source.into(),
            proposed_at: now,
            status: Status::Pending,
            decided_by: None,
            decided_by_name: None,
            decided_at: None,
            reason: None,
            referred_at: None,
        };
        proposals::insert(tx, ok, &p).await?;
        let ev = harbour_domain::audit::AuditEvent {
            actor_id: None,
            actor_role: "system".into(),
            action: "escalation.propose".into(),
            target_kind: "escalation_proposal".into(),
            target_id: Some(p.id),
            child_id: Some(ok.child_id().0),
            outcome: Outcome::Allow,
            reason: Some(p.grounds.clone()),
            request_id: None,
        };
        self.audit(tx, &ev).await?;
        Ok(Some(p))
    }

    /// Whether the latest screening is an exploitation concern for the
    /// missing-report trigger: at or above `concern_level`, or flagged by
    /// the under-13 rule.
    pub(crate) async fn screening_concern(&self, tx: &mut Tx, ok: &Allowed) -> AppResult<bool> {
        let cfg = &self.config.screening;
        Ok(repo::for_child(tx, ok)
            .await?
            .first()
            .is_some_and(|s| s.under_13 || cfg.at_or_above(&s.level, &cfg.concern_level)))
    }

    /// The "Exploitation screening" page: history, trend, CIN factors and
    /// proposals. Audited as `screening.view`.
    pub async fn screening_view(&self, ctx: &Ctx, child: ChildId) -> AppResult<ScreeningView> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child_as(tx, ctx, child, ChildAction::ViewRecord, "screening.view")
            .await?;
        let cfg = &self.config.screening;
        let s = summary(&mut tx, &ok, cfg).await?;
        let ev = ctx.event(
            "screening.view",
            "child",
            Some(child.0),
            Some(child.0),
            Outcome::Allow,
            ok.via_break_glass().then(|| "break_glass".into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        let trends = (0..s.screenings.len())
            .map(|i| match s.screenings.get(i + 1) {
                Some(b) => trend(cfg, &b.level, &s.screenings[i].level),
                None => None,
            })
            .collect();
        Ok(ScreeningView {
            age: harbour_domain::rules::age_on(c.child.dob, calendar::london_date(now)),
            can_record: decide_child(&ctx.me.actor, ChildAction::RecordScreening, &c.facts).is_ok(),
            can_decide: decide_child(&ctx.me.actor, ChildAction::DecideEscalation, &c.facts)
                .is_ok(),
            child: c.child,
            summary: s,
            trends,
        })
    }

    /// The child, for the screening form. Audited as `screening.form`.
    pub async fn screening_form(&self, ctx: &Ctx, child: ChildId) -> AppResult<(Child, u32)> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, c, _ok) = self
            .authorise_child_as(
                tx,
                ctx,
                child,
                ChildAction::RecordScreening,
                "screening.form",
            )
            .await?;
        let ev = ctx.event(
            "screening.form",
            "child",
            Some(child.0),
            Some(child.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        let age = harbour_domain::rules::age_on(c.child.dob, calendar::london_date(now));
        Ok((c.child, age))
    }

    /// Record a screening, then run the escalation rules in the same
    /// transaction. Bad input changes nothing. Audited as `screening.create`.
    pub async fn record_screening(
        &self,
        ctx: &Ctx,
        child: ChildId,
        input: &ScreeningInput,
    ) -> AppResult<Screening> {
        let now = self.now();
        let cfg = &self.config.screening;
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child(tx, ctx, child, ChildAction::RecordScreening)
            .await?;
        let age = harbour_domain::rules::age_on(c.child.dob, calendar::london_date(now));
        let mut errs = FieldErrors::new();
        let mut ticks = Vec::new();
        for t in &input.indicators {
            let Some((cat, ind)) = cfg.indicator(&t.id) else {
                errs.add("indicators", "Choose indicators from the list");
                continue;
            };
            let evidence = t.evidence.trim();
            let field = format!("evidence_{}", t.id);
            if evidence.is_empty() {
                errs.add(
                    &field,
                    format!("Enter the evidence for \u{201c}{}\u{201d}", ind.label),
                );
            } else if evidence.chars().count() > 2000 {
                errs.add(&field, "Evidence must be 2,000 characters or fewer");
            }
            let basis = match t.basis.as_str() {
                "" | "evidence" => Basis::Evidence,
                "gut_feeling" => Basis::GutFeeling,
                _ => {
                    errs.add(&format!("basis_{}", t.id), "Choose evidence or gut feeling");
                    Basis::Evidence
                }
            };
            ticks.push(Tick {
                indicator: ind.id.clone(),
                category: cat.id.clone(),
                label: ind.label.clone(),
                high_risk: ind.high_risk,
                evidence: evidence.to_string(),
                basis,
            });
        }
        if cfg.rank(input.level.trim()).is_none() {
            errs.add("level", "Choose the risk level");
        }
        for (f, v, max) in [
            ("peers", &input.peers, 2000),
            ("summary", &input.summary, 4000),
        ] {
            if v.chars().count() > max {
                errs.add(f, format!("This must be {max} characters or fewer"));
            }
        }
        errs.into_result()?;
        let s = Screening {
            id: Uuid::now_v7(),
            child_id: child,
            age,
            under_13: under_13_rule(age, &ticks),
            suggested: suggested_level(cfg, age, &ticks),
            level: input.level.trim().to_string(),
            ticks,
            peers: input.peers.trim().to_string(),
            summary: input.summary.trim().to_string(),
            recorded_by: ctx.me.user.id,
            recorded_by_name: ctx.me.user.name.clone(),
            recorded_at: now,
        };
        repo::insert(&mut tx, &ok, &s).await?;
        let ev = ctx.event(
            "screening.create",
            "screening",
            Some(s.id),
            Some(child.0),
            Outcome::Allow,
            Some(format!(
                "level {}{}",
                s.level,
                if s.under_13 { "; under_13" } else { "" }
            )),
        );
        self.audit(&mut tx, &ev).await?;
        self.reevaluate_escalation(&mut tx, &ok, c.child.dob, "screening", now)
            .await?;
        tx.commit().await?;
        Ok(s)
    }

    /// The child's screenings, newest first (API). Audited as
    /// `screening.list`.
    pub async fn screenings(&self, ctx: &Ctx, child: ChildId) -> AppResult<ExploitationSummary> {
        let tx = self.db.begin_write().await?;
        let (mut tx, _c, ok) = self
            .authorise_child_as(tx, ctx, child, ChildAction::ViewRecord, "screening.list")
            .await?;
        let s = summary(&mut tx, &ok, &self.config.screening).await?;
        let ev = ctx.event(
            "screening.list",
            "child",
            Some(child.0),
            Some(child.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Proposals waiting for a decision that the viewer may decide, oldest
    /// first. Audited as `escalation.queue`.
    pub async fn escalation_queue(&self, ctx: &Ctx) -> AppResult<Vec<QueueRow>> {
        self.check_service(ctx, ServiceAction::EscalationQueue)
            .await?;
        let now = self.now();
        let today = calendar::london_date(now);
        let mut tx = self.db.begin_write().await?;
        let mut out = Vec::new();
        for item in proposals::queue(&mut tx).await? {
            let Some(c) = harbour_db::children::get_with_facts(
                &mut tx,
                &ctx.me.actor,
                item.proposal.child_id,
                now,
            )
            .await?
            else {
                continue;
            };
            if decide_child(&ctx.me.actor, ChildAction::DecideEscalation, &c.facts).is_ok_and(
                // Break-glass access is for one record, not for a queue.
                |ok| !ok.via_break_glass(),
            ) {
                out.push(QueueRow {
                    name: format!("{} {}", item.first_name, item.last_name),
                    age: harbour_domain::rules::age_on(item.dob, today),
                    proposal: item.proposal,
                });
            }
        }
        let ev = ctx.event(
            "escalation.queue",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!("{} proposals", out.len())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn proposal_child(
        &self,
        ctx: &Ctx,
        id: Uuid,
        action: ChildAction,
        audit_action: &str,
    ) -> AppResult<(Tx, harbour_db::children::ChildWithFacts, Allowed, Proposal)> {
        let mut tx = self.db.begin_write().await?;
        let Some(p) = proposals::get(&mut tx, id).await? else {
            return Err(AppError::NotFound);
        };
        let (tx, c, ok) = self
            .authorise_child_as(tx, ctx, p.child_id, action, audit_action)
            .await?;
        Ok((tx, c, ok, p))
    }

    /// One proposal, to decide. Audited as `escalation.view`.
    pub async fn escalation(&self, ctx: &Ctx, id: Uuid) -> AppResult<ProposalView> {
        let now = self.now();
        let (mut tx, c, ok, p) = self
            .proposal_child(ctx, id, ChildAction::ViewRecord, "escalation.view")
            .await?;
        let latest = repo::for_child(&mut tx, &ok).await?.into_iter().next();
        let ev = ctx.event(
            "escalation.view",
            "escalation_proposal",
            Some(id),
            Some(p.child_id.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(ProposalView {
            age: harbour_domain::rules::age_on(c.child.dob, calendar::london_date(now)),
            child: c.child,
            proposal: p,
            latest,
        })
    }

    /// Accept (`decision` = `accept`) or decline (`decline`) a proposal,
    /// with a reason. An accepted proposal waits for the panel module
    /// (`harbour_db::escalation::accepted_unreferred`). Audited as
    /// `escalation.accept` or `escalation.decline`. Returns the child.
    pub async fn decide_escalation(
        &self,
        ctx: &Ctx,
        id: Uuid,
        decision: &str,
        reason: &str,
    ) -> AppResult<ChildId> {
        let now = self.now();
        let (mut tx, _c, ok, p) = self
            .proposal_child(ctx, id, ChildAction::DecideEscalation, "escalation.decide")
            .await?;
        let mut errs = FieldErrors::new();
        let accept = match decision {
            "accept" => Some(true),
            "decline" => Some(false),
            _ => {
                errs.add(
                    "decision",
                    "Choose whether to accept or decline the referral",
                );
                None
            }
        };
        let reason = reason.trim();
        if reason.is_empty() {
            errs.add("reason", "Enter the reason for your decision");
        } else if reason.chars().count() > 2000 {
            errs.add("reason", "The reason must be 2,000 characters or fewer");
        }
        errs.into_result()?;
        let accept = accept.unwrap_or(false);
        if p.status != Status::Pending
            || !proposals::decide(&mut tx, &ok, id, accept, ctx.me.user.id, now, reason).await?
        {
            return Err(AppError::Conflict(
                "Someone has already decided on this proposal.".into(),
            ));
        }
        let ev = ctx.event(
            if accept {
                "escalation.accept"
            } else {
                "escalation.decline"
            },
            "escalation_proposal",
            Some(id),
            Some(p.child_id.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        if accept {
            // An accepted proposal is a referral to the exploitation and
            // missing panel, made through the panel's one referral path (and
            // so checked, audited and put on the agenda like any other).
            let input = crate::panel::ReferralInput {
                panel_type: "mace".into(),
                reason: format!("{} ({}). Accepted: {reason}", p.grounds, p.detail),
                risk: "high".into(),
                basis: "public_task_safeguarding".into(),
                consent: "Not sought: a safeguarding referral".into(),
            };
            match self.refer_to_panel(ctx, p.child_id, &input).await {
                Ok(_) => {
                    let mut tx = self.db.begin_write().await?;
                    harbour_db::escalation::mark_referred(&mut tx, id, self.now()).await?;
                    tx.commit().await?;
                }
                // Someone who may decide but not refer (or bad data): the
                // proposal stays accepted and waiting, and the panel
                // coordinator's queue shows it.
                Err(e) => {
                    tracing::warn!(proposal = %id, error = %e, "accepted proposal not referred")
                }
            }
        }
        Ok(p.child_id)
    }
}
