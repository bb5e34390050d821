//! What happens to an interview's findings: the sharing decisions, the
//! notifications to other organisations (and their e-mail, sent by a
//! background job), the recipient's inbox with receipt tracking, and the
//! host view of children placed here by other authorities.

use crate::admin::system_event;
use crate::{App, AppError, AppResult, Ctx};
use chrono::{DateTime, TimeDelta, Utc};
use harbour_db::findings as repo;
use harbour_db::{Tx, tasks};
use harbour_domain::audit::Outcome;
use harbour_domain::authz::{Allowed, ServiceAction, may_open_notification};
use harbour_domain::calendar;
use harbour_domain::findings::*;
use harbour_domain::ids::ChildId;
use harbour_domain::missing::{MissingEpisode, ReturnInterview, next_working_day_10am};
use harbour_domain::model::Task;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The sharing answers on the interview form: `share_<recipient>` (`yes` or
/// `no`), `basis_<recipient>` and `reason_<recipient>`.
pub fn parse_decisions(
    form: &BTreeMap<String, String>,
    applies: &[Recipient],
) -> (Vec<ShareDecision>, Vec<(String, String)>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for &r in applies {
        let get = |k: &str| {
            form.get(&format!("{k}_{}", r.as_str()))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let share = match get("share").as_str() {
            "yes" => true,
            "no" => false,
            _ => continue, // check_decisions reports the missing answer
        };
        let basis_text = get("basis");
        let basis = LawfulBasis::parse(&basis_text);
        if share && basis.is_none() && !basis_text.is_empty() {
            errors.push((
                format!("basis_{}", r.as_str()),
                "Select a lawful basis from the list".to_string(),
            ));
        }
        let reason = get("reason");
        if reason.chars().count() > 2000 {
            errors.push((
                format!("reason_{}", r.as_str()),
                "This must be 2,000 characters or fewer".to_string(),
            ));
        }
        out.push(ShareDecision {
            recipient: r,
            share,
            basis: if share { basis } else { None },
            reason,
        });
    }
    (out, errors)
}

/// The form field a decision problem belongs to (`share_police`, …).
pub fn problem_field(p: &DecisionProblem) -> String {
    format!("{}_{}", p.answer, p.recipient.as_str())
}

/// People or places as typed, one per line: trimmed, blank lines and
/// repeats dropped, each at most 200 characters, at most 50.
pub fn split_names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let name: String = line.trim().chars().take(200).collect();
        if !name.is_empty() && !out.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            out.push(name);
        }
        if out.len() == 50 {
            break;
        }
    }
    out
}

/// The findings as the recipient reads them. Only what the interview found
/// and the minimum to identify the child and the episode.
pub fn compose_findings(
    child_name: &str,
    dob: chrono::NaiveDate,
    episode: &MissingEpisode,
    i: &ReturnInterview,
    provider: &str,
) -> String {
    let mut s = String::new();
    let when = calendar::format_london;
    s.push_str(&format!(
        "Child: {child_name}, born {}\n",
        calendar::format_date(dob)
    ));
    s.push_str(&format!(
        "{} from {}, last seen at {}",
        episode.kind.label(),
        when(episode.last_seen_at),
        episode.location_left
    ));
    if let Some(r) = episode.returned_at {
        s.push_str(&format!("; returned {}", when(r)));
    }
    if let Some(w) = &episode.found_where {
        s.push_str(&format!(", {w}"));
    }
    s.push_str("\n\n");
    s.push_str(&format!(
        "Return home interview by {provider}: {}\n",
        i.outcome.label()
    ));
    if let Some(o) = i.offered_at {
        s.push_str(&format!("Offered: {}", when(o)));
        if let Some(by) = &i.offered_by {
            s.push_str(&format!(" by {by}"));
        }
        s.push('\n');
    }
    if let Some(h) = i.held_at {
        s.push_str(&format!("Held: {}\n", when(h)));
    }
    for (label, v) in [
        ("Why it was not held", &i.reason),
        ("Who was told the child declined", &i.declined_told),
        ("Why it was late", &i.late_reason),
        ("What pushed or pulled the child away", &i.push_pull),
        ("Harm the child disclosed", &i.harm_disclosed),
        ("Signs of exploitation", &i.exploitation_indicators),
        ("People and places the child named", &i.people_places),
        ("Actions agreed", &i.actions),
    ] {
        if let Some(v) = v {
            s.push_str(&format!("\n{label}:\n{v}\n"));
        }
    }
    s
}

/// What the interview's sharing needs to know about the child.
#[derive(Clone, Debug)]
pub struct ShareContext<'a> {
    /// The child's name.
    pub child_name: &'a str,
    /// Date of birth.
    pub dob: chrono::NaiveDate,
    /// Responsible authority.
    pub responsible_la: &'a str,
    /// Host authority.
    pub host_la: Option<&'a str>,
    /// Allocated worker.
    pub worker: Option<harbour_domain::ids::UserId>,
    /// The episode.
    pub episode: &'a MissingEpisode,
    /// Provider's name.
    pub provider: &'a str,
}

/// The notification carrying findings to an external recipient: to the
/// organisation found for it (the police force, or the placing or host
/// authority by LA code, named from the code when Harbour has none), queued
/// for e-mail when that organisation has an address, otherwise not e-mailed.
/// `las` is the child's (responsible, host) authority, `about` the (child,
/// interview).
pub(crate) async fn external_notification(
    tx: &mut Tx,
    recipient: Recipient,
    (responsible_la, host_la): (&str, Option<&str>),
    (child, interview): (ChildId, Uuid),
    body: &str,
    basis: LawfulBasis,
    now: DateTime<Utc>,
) -> AppResult<Notification> {
    let (kind, la) = match recipient {
        Recipient::Police => ("police", None),
        Recipient::PlacingAuthority => ("other_authority", Some(responsible_la)),
        _ => ("other_authority", host_la),
    };
    let target = repo::target(tx, kind, la).await?;
    let org_name = match (&target, la) {
        (Some(t), _) => t.name.clone(),
        (None, Some(code)) => harbour_domain::la_codes::la_name(code)
            .map(|n| format!("{n} ({code})"))
            .unwrap_or_else(|| code.to_string()),
        (None, None) => "The police".into(),
    };
    let email = target.as_ref().and_then(|t| t.email.clone());
    Ok(Notification {
        id: Uuid::now_v7(),
        child_id: child,
        interview_id: interview,
        recipient,
        org_id: target.as_ref().map(|t| t.org_id),
        org_name,
        status: if email.is_some() {
            DeliveryStatus::Queued
        } else {
            DeliveryStatus::NotEmailed
        },
        email,
        subject: "Return home interview findings are waiting in Harbour".into(),
        body: body.to_string(),
        basis,
        attempts: 0,
        last_error: None,
        created_at: now,
        sent_at: None,
        received_at: None,
        received_by: None,
    })
}

/// A row of the host view.
#[derive(Clone, Debug)]
pub struct HostRow {
    /// The child, as the viewer may see them.
    pub child: crate::children::ChildListItem,
    /// The placing authority, e.g. "Birmingham (330)".
    pub placing: String,
    /// Episodes, interviews and findings sent back.
    pub stats: repo::HostStats,
}

impl App {
    /// Record the sharing decisions of a just-recorded interview and act on
    /// them, in the interview's transaction: notifications to other
    /// organisations (queued for e-mail), a task for the social worker to read
    /// the findings, one for the panel coordinators, and the people and
    /// places named linked into the child's record.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn distribute_findings(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        ok: &Allowed,
        sc: &ShareContext<'_>,
        i: &ReturnInterview,
        decisions: &[ShareDecision],
        named: &[(&str, Vec<String>)],
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let body = compose_findings(sc.child_name, sc.dob, sc.episode, i, sc.provider);
        let cal = calendar::WorkingCalendar::england_and_wales();
        let next_day = next_working_day_10am(now, &cal);
        let child = ok.child_id();
        for d in decisions {
            repo::insert_share(tx, i.id, d, ctx.me.user.id, now).await?;
            if !d.share {
                continue;
            }
            let basis = d.basis.unwrap_or(LawfulBasis::PublicTaskSafeguarding);
            match d.recipient {
                Recipient::SocialWorker => {
                    self.findings_task(
                        tx,
                        ctx,
                        child,
                        sc.worker,
                        "rhi.findings",
                        format!(
                            "Read the return home interview findings for {}",
                            sc.child_name
                        ),
                        "Add the actions agreed to the child's plan.".into(),
                        next_day,
                        i.id,
                        now,
                    )
                    .await?;
                }
                Recipient::Panel => {
                    let t = Task {
                        id: Uuid::now_v7(),
                        child_id: Some(child),
                        assigned_user: None,
                        assigned_role: Some(harbour_domain::Role::PanelCoordinator),
                        kind: "rhi.panel".into(),
                        title: format!(
                            "Return home interview findings for {} shared with the panel",
                            sc.child_name
                        ),
                        detail: "Consider the child for the exploitation and missing panel.".into(),
                        due_at: next_day,
                        source_id: Some(i.id),
                        created_at: now,
                        completed_at: None,
                    };
                    tasks::insert(tx, &t, Some(ctx.me.user.id)).await?;
                }
                external => {
                    let mut n = external_notification(
                        tx,
                        external,
                        (sc.responsible_la, sc.host_la),
                        (child, i.id),
                        &body,
                        basis,
                        now,
                    )
                    .await?;
                    if !self.config.smtp.enabled() {
                        n.status = DeliveryStatus::NotEmailed;
                    }
                    let (status, org_name, known) =
                        (n.status, n.org_name.clone(), n.org_id.is_some());
                    repo::insert_notification(tx, &n, ctx.me.user.id).await?;
                    let ev = ctx.event(
                        "findings.share",
                        "notification",
                        Some(n.id),
                        Some(child.0),
                        Outcome::Allow,
                        Some(format!("{} ({})", external.as_str(), basis.as_str())),
                    );
                    self.audit(tx, &ev).await?;
                    if status == DeliveryStatus::NotEmailed || !known {
                        let why = if !known {
                            format!("{org_name} is not set up in Harbour")
                        } else {
                            format!("{org_name} has no notification address or e-mail is off")
                        };
                        self.findings_task(
                            tx,
                            ctx,
                            child,
                            sc.worker,
                            "findings.tell",
                            format!(
                                "Tell {org_name} about the return home interview for {}",
                                sc.child_name
                            ),
                            format!("{why}: send the findings by secure e-mail or telephone."),
                            next_day,
                            n.id,
                            now,
                        )
                        .await?;
                    }
                }
            }
        }
        for (kind, names) in named {
            for name in names {
                let n = repo::Named {
                    id: Uuid::now_v7(),
                    kind: (*kind).to_string(),
                    name: name.clone(),
                    source: "rhi".into(),
                    source_id: i.id,
                    named_at: i.held_at.unwrap_or(now),
                };
                repo::insert_named(tx, ok, &n, ctx.me.user.id, now).await?;
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn findings_task(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        child: ChildId,
        worker: Option<harbour_domain::ids::UserId>,
        kind: &str,
        title: String,
        detail: String,
        due_at: DateTime<Utc>,
        source: Uuid,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let t = Task {
            id: Uuid::now_v7(),
            child_id: Some(child),
            assigned_user: worker,
            // Nobody allocated: the team managers' queue, as for unallocated work.
            assigned_role: worker
                .is_none()
                .then_some(harbour_domain::Role::TeamManager),
            kind: kind.into(),
            title,
            detail,
            due_at,
            source_id: Some(source),
            created_at: now,
            completed_at: None,
        };
        tasks::insert(tx, &t, Some(ctx.me.user.id)).await?;
        Ok(())
    }

    /// Findings shared with the user's organisation, newest first.
    pub async fn findings_inbox(&self, ctx: &Ctx) -> AppResult<Vec<Notification>> {
        self.check_service(ctx, ServiceAction::ReceiveFindings)
            .await?;
        let mut tx = self.db.begin_write().await?;
        let list = repo::for_org(&mut tx, ctx.me.user.org_id).await?;
        let ev = ctx.event(
            "findings.inbox",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!("{} notifications", list.len())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(list)
    }

    /// Open one notification. The first opening by someone at the recipient
    /// organisation is its receipt.
    pub async fn open_notification(&self, ctx: &Ctx, id: Uuid) -> AppResult<Notification> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let n = repo::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if !may_open_notification(&ctx.me.actor, n.org_id) {
            let ev = ctx.event(
                "findings.view",
                "notification",
                Some(id),
                Some(n.child_id.0),
                Outcome::Deny,
                Some("not the recipient".into()),
            );
            drop(tx);
            return Err(self.deny(ev, None).await);
        }
        let first =
            repo::mark_received(&mut tx, id, now, ctx.me.user.id, &ctx.me.user.name).await?;
        let ev = ctx.event(
            "findings.view",
            "notification",
            Some(id),
            Some(n.child_id.0),
            Outcome::Allow,
            first.then(|| "receipt".into()),
        );
        self.audit(&mut tx, &ev).await?;
        let n = repo::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(n)
    }

    /// Send the e-mails that are due (the background job). Each result is
    /// written in its own transaction with a system audit row; the e-mail
    /// carries no personal details, only a link and a reference. Returns the
    /// number sent.
    pub async fn send_due_notifications(&self) -> AppResult<usize> {
        if !self.config.smtp.enabled() {
            return Ok(0);
        }
        let now = self.now();
        let mut tx = self.db.begin_read().await?;
        let due = repo::due(&mut tx, now, 20).await?;
        tx.commit().await?;
        let mut sent = 0;
        for n in due {
            let Some(to) = n.email.clone() else { continue };
            let link = format!(
                "{}/findings/{}",
                self.config.public_origin.trim_end_matches('/'),
                n.id
            );
            let body = format!(
                "{org},\n\nA return home interview has been recorded for a child your organisation \
                 is involved with, and its findings have been shared with you under {basis}.\n\n\
                 Read them in Harbour (sign in with your own account): {link}\n\
                 Reference: {r}\n\n\
                 This e-mail holds no personal details. Opening the findings tells the sender \
                 you have received them. If you cannot sign in, reply to this e-mail or \
                 telephone the sending authority quoting the reference.\n",
                org = n.org_name,
                basis = n.basis.label(),
                r = n.id,
            );
            let result = crate::mail::send(&self.config.smtp, &to, &n.subject, &body).await;
            let now = self.now();
            let mut tx = self.db.begin_write().await?;
            let ev = match &result {
                Ok(()) => {
                    repo::mark_sent(&mut tx, n.id, now).await?;
                    sent += 1;
                    system_event("findings.email", "notification", Some(n.id), None)
                }
                Err(e) => {
                    let next = retry_after_minutes(n.attempts + 1, self.config.smtp.max_attempts)
                        .map(|m| now + TimeDelta::minutes(m));
                    repo::mark_failed_attempt(&mut tx, n.id, e, next).await?;
                    tracing::warn!(notification = %n.id, error = %e, "e-mail failed");
                    system_event(
                        "findings.email.failed",
                        "notification",
                        Some(n.id),
                        Some(e.chars().take(300).collect()),
                    )
                }
            };
            self.audit(&mut tx, &ev).await?;
            tx.commit().await?;
        }
        Ok(sent)
    }

    /// The host view: children placed here by other authorities that the
    /// user may open, with their episodes in the last 12 months, interviews
    /// waiting, and findings sent back to the placing authority.
    pub async fn host_view(&self, ctx: &Ctx) -> AppResult<Vec<HostRow>> {
        self.check_service(ctx, ServiceAction::HostView).await?;
        let now = self.now();
        let home = self.config.home_la.clone();
        let mut tx = self.db.begin_write().await?;
        let children = harbour_db::children::placed_in(&mut tx, &ctx.me.actor, now, &home).await?;
        let stats: std::collections::HashMap<ChildId, repo::HostStats> =
            repo::host_stats(&mut tx, &home, now - TimeDelta::days(365), now)
                .await?
                .into_iter()
                .collect();
        let rows: Vec<HostRow> = children
            .into_iter()
            .filter_map(|c| crate::children::list_item(c, &ctx.me.actor))
            .filter(|i| i.reach == crate::children::Reach::Open)
            .map(|item| {
                let code = item.child.responsible_la.clone();
                HostRow {
                    placing: harbour_domain::la_codes::la_name(&code)
                        .map(|n| format!("{n} ({code})"))
                        .unwrap_or(code),
                    stats: stats.get(&item.child.id).cloned().unwrap_or_default(),
                    child: item,
                }
            })
            .collect();
        let ev = ctx.event(
            "child.list",
            "child",
            None,
            None,
            Outcome::Allow,
            Some(format!("placed here: {} children", rows.len())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Set where an organisation's notifications are e-mailed (operators).
    pub async fn set_org_email(&self, org_name: &str, email: Option<&str>) -> AppResult<()> {
        let email = match email {
            Some(e) => {
                let mut errs = harbour_domain::validate::FieldErrors::new();
                let e = harbour_domain::validate::email(&mut errs, "email", e);
                errs.into_result()?;
                Some(e)
            }
            None => None,
        };
        let email = email.as_deref();
        let mut tx = self.db.begin_write().await?;
        let org = harbour_db::org::org_by_name(&mut tx, org_name)
            .await?
            .ok_or_else(|| AppError::Conflict(format!("no organisation is named {org_name}")))?;
        repo::set_notify_email(&mut tx, org.id, email).await?;
        let ev = system_event(
            "org.email",
            "organisation",
            Some(org.id.0),
            Some(email.unwrap_or("cleared").to_string()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_split_one_per_line() {
        let table: &[(&str, &[&str])] = &[
            ("", &[]),
            ("Jay\n\n  Kyle  \njay\n", &["Jay", "Kyle"]),
            (
                "The chicken shop, Hanley\r\nBus station",
                &["The chicken shop, Hanley", "Bus station"],
            ),
        ];
        for (text, want) in table {
            assert_eq!(split_names(text), *want, "{text:?}");
        }
        let long = "x".repeat(300);
        assert_eq!(split_names(&long)[0].len(), 200);
        let many: String = (0..80).map(|i| format!("Person {i}\n")).collect();
        assert_eq!(split_names(&many).len(), 50);
    }

    #[test]
    fn decisions_are_read_from_the_form() {
        use Recipient::*;
        let form: BTreeMap<String, String> = [
            ("share_social_worker", "yes"),
            ("basis_social_worker", "public_task_safeguarding"),
            ("share_police", "no"),
            ("basis_police", "public_task_safeguarding"),
            (
                "reason_police",
                "Already told the police at the prevention interview",
            ),
            ("share_panel", "yes"),
            ("basis_panel", "made_up"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (d, errs) = parse_decisions(&form, &[SocialWorker, Police, PlacingAuthority, Panel]);
        assert_eq!(d.len(), 3, "no answer for the placing authority");
        assert_eq!(d[0].basis, Some(LawfulBasis::PublicTaskSafeguarding));
        assert!(!d[1].share && d[1].basis.is_none());
        assert_eq!(d[2].basis, None);
        assert_eq!(
            errs,
            vec![(
                "basis_panel".to_string(),
                "Select a lawful basis from the list".to_string()
            )]
        );
        let problems = check_decisions(&[SocialWorker, Police, PlacingAuthority, Panel], &d);
        let fields: Vec<String> = problems.iter().map(problem_field).collect();
        assert_eq!(fields, vec!["share_placing_authority", "basis_panel"]);
    }
}
