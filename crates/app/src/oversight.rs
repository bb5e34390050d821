//! Oversight: who has viewed or changed a child's record, a user's access
//! history, the privacy officer's break-glass reviews, aggregate statistics
//! for analysts and managers, and verification of the audit chain.

use crate::{App, AppError, AppResult, Ctx};
use harbour_db::audit::NamedEntry;
use harbour_db::records::CaseloadRow;
use harbour_db::{audit, children, records, users};
use harbour_domain::audit::{ChainBreak, ChainVerifier, Outcome};
use harbour_domain::authz::{self, ChildAction, ServiceAction};
use harbour_domain::ids::*;
use harbour_domain::model::{BreakGlass, Child, User};

/// A child's access log.
#[derive(Clone, Debug)]
pub struct ChildAccessLog {
    /// The child (name and id only are shown).
    pub child: Child,
    /// Entries, newest first.
    pub entries: Vec<NamedEntry>,
}

/// The privacy officer's overview.
#[derive(Clone, Debug)]
pub struct PrivacyOverview {
    /// Break-glass grants, unreviewed first.
    pub break_glass: Vec<BreakGlass>,
    /// How many await review.
    pub unreviewed: i64,
}

/// Aggregate figures, no child-level data.
#[derive(Clone, Debug)]
pub struct Stats {
    /// Children on record.
    pub children: i64,
    /// Without an allocated worker.
    pub unallocated: i64,
    /// Placed in the area by other authorities.
    pub placed_in: i64,
    /// Placed out of the area by this authority.
    pub placed_out: i64,
    /// By current legal status.
    pub by_status: Vec<(String, i64)>,
    /// Caseloads per worker.
    pub caseloads: Vec<CaseloadRow>,
    /// Missing episodes and return interviews over the last 12 months.
    pub missing: harbour_db::rhi::MissingCounts,
    /// Children missing repeatedly under the local rule.
    pub repeat_missing: i64,
    /// Interview figures per commissioned provider.
    pub by_provider: Vec<harbour_db::rhi::ProviderCounts>,
    /// That rule: (episodes, days).
    pub repeat_rule: (usize, i64),
}

/// Result of verifying the chain.
#[derive(Clone, Debug)]
pub struct ChainReport {
    /// Entries checked.
    pub entries: i64,
    /// The first break, if any.
    pub broken: Option<ChainBreak>,
}

impl App {
    /// Who has viewed or changed a child's record.
    pub async fn child_access_log(&self, ctx: &Ctx, id: ChildId) -> AppResult<ChildAccessLog> {
        let mut tx = self.db.begin_write().await?;
        let now = self.now();
        let Some(c) = children::get_with_facts(&mut tx, &ctx.me.actor, id, now).await? else {
            return Err(AppError::NotFound);
        };
        if let Err(d) = authz::decide_child(&ctx.me.actor, ChildAction::ViewAccessLog, &c.facts) {
            let ev = ctx.event(
                "child.view_access_log",
                "child",
                Some(id.0),
                Some(id.0),
                Outcome::Deny,
                Some(d.reason.as_str().into()),
            );
            drop(tx);
            return Err(self.deny(ev, Some(d)).await);
        }
        let entries = audit::for_child(&mut tx, id, 500).await?;
        let ev = ctx.event(
            "child.view_access_log",
            "child",
            Some(id.0),
            Some(id.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(ChildAccessLog {
            child: c.child,
            entries,
        })
    }

    /// A user's access history.
    pub async fn user_access_history(
        &self,
        ctx: &Ctx,
        user: UserId,
    ) -> AppResult<(User, Vec<NamedEntry>)> {
        let mut tx = self.db.begin_write().await?;
        let Some(subject) = users::get(&mut tx, user).await? else {
            return Err(AppError::NotFound);
        };
        if !authz::may_view_user_history(&ctx.me.actor, user, subject.team_id) {
            let ev = ctx.event(
                "user.view_access_history",
                "user",
                Some(user.0),
                None,
                Outcome::Deny,
                Some("no_relationship".into()),
            );
            drop(tx);
            return Err(self.deny(ev, None).await);
        }
        let entries = audit::for_actor(&mut tx, user, 500).await?;
        let ev = ctx.event(
            "user.view_access_history",
            "user",
            Some(user.0),
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok((subject, entries))
    }

    /// The privacy officer's overview.
    pub async fn privacy_overview(&self, ctx: &Ctx) -> AppResult<PrivacyOverview> {
        self.check_service(ctx, ServiceAction::PrivacyOversight)
            .await?;
        let mut tx = self.db.begin_write().await?;
        let o = PrivacyOverview {
            break_glass: records::break_glass_recent(&mut tx).await?,
            unreviewed: records::break_glass_unreviewed(&mut tx).await?,
        };
        let ev = ctx.event("privacy.view", "service", None, None, Outcome::Allow, None);
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(o)
    }

    /// Mark a break-glass grant reviewed.
    pub async fn review_break_glass(&self, ctx: &Ctx, id: BreakGlassId) -> AppResult<()> {
        self.check_service(ctx, ServiceAction::PrivacyOversight)
            .await?;
        let mut tx = self.db.begin_write().await?;
        if !records::review_break_glass(&mut tx, id, self.now(), ctx.me.user.id).await? {
            return Err(AppError::NotFound);
        }
        let ev = ctx.event(
            "break_glass.review",
            "break_glass",
            Some(id.0),
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Aggregate statistics.
    pub async fn stats(&self, ctx: &Ctx) -> AppResult<Stats> {
        self.check_service(ctx, ServiceAction::ViewStats).await?;
        let mut tx = self.begin_report_read().await?;
        let (children, unallocated, placed_in, placed_out) =
            records::headline_counts(&mut tx, &self.config.home_la).await?;
        let now = self.now();
        let cfg = &self.config.missing_triggers;
        let s = Stats {
            children,
            unallocated,
            placed_in,
            placed_out,
            by_status: records::count_by_status(&mut tx).await?,
            caseloads: records::caseloads(&mut tx).await?,
            missing: harbour_db::rhi::counts(&mut tx, now, now - chrono::TimeDelta::days(365))
                .await?,
            repeat_rule: (cfg.repeat_count, cfg.repeat_days),
            repeat_missing: harbour_db::rhi::repeat_missing(
                &mut tx,
                now - chrono::TimeDelta::days(cfg.repeat_days),
                cfg.repeat_count as i64,
            )
            .await?,
            by_provider: harbour_db::rhi::by_provider(
                &mut tx,
                now,
                now - chrono::TimeDelta::days(365),
            )
            .await?,
        };
        tx.commit().await?;
        Ok(s)
    }

    /// Verify the whole audit chain, page by page.
    pub async fn verify_audit_chain(&self) -> AppResult<ChainReport> {
        let mut tx = self.db.begin_read().await?;
        let (head_seq, head_hash) = audit::head(&mut tx).await?;
        let mut v = ChainVerifier::default();
        // From the lowest possible number, so a row moved before 1 is seen.
        let mut after = i64::MIN;
        let mut n = 0i64;
        loop {
            let page = audit::page(&mut tx, after, 5_000).await?;
            if page.is_empty() {
                break;
            }
            for e in &page {
                if let Err(b) = v.check(e) {
                    return Ok(ChainReport {
                        entries: n,
                        broken: Some(b),
                    });
                }
                n += 1;
                after = e.seq;
            }
        }
        tx.commit().await?;
        match v.finish(head_seq, &head_hash) {
            Ok(_) => Ok(ChainReport {
                entries: n,
                broken: None,
            }),
            Err(b) => Ok(ChainReport {
                entries: n,
                broken: Some(b),
            }),
        }
    }

    /// Verify the chain as a signed-in user (privacy officer or sysadmin), audited.
    pub async fn verify_audit_chain_as(&self, ctx: &Ctx) -> AppResult<ChainReport> {
        self.check_service(ctx, ServiceAction::VerifyAudit).await?;
        let r = self.verify_audit_chain().await?;
        let mut tx = self.db.begin_write().await?;
        let ev = ctx.event(
            "audit.verify",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(match &r.broken {
                None => format!("intact: {} entries", r.entries),
                Some(b) => b.to_string(),
            }),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(r)
    }
}
