//! Children's records: search, the record page, creating a record, notes,
//! decisions, allocation, sharing and break-glass.

use crate::{App, AppError, AppResult, Ctx};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use harbour_db::children::{self as repo, ChildWithFacts};
use harbour_db::{Tx, org, records, users};
use harbour_domain::audit::Outcome;
use harbour_domain::authz::{
    self, Allowed, ChildAction, ServiceAction, decide_child, decide_service,
};
use harbour_domain::calendar;
use harbour_domain::codes::{self, LegalStatusKind, Sex};
use harbour_domain::ids::*;
use harbour_domain::model::*;
use harbour_domain::search::{self, score_names};
use harbour_domain::validate::{self, FieldErrors};
use harbour_domain::{Role, la_codes};

/// How a user may reach a child from a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// They can open the record.
    Open,
    /// They can ask for emergency (break-glass) access.
    BreakGlass,
}

/// A row in a list of children.
#[derive(Clone, Debug)]
pub struct ChildListItem {
    /// The child.
    pub child: Child,
    /// Allocated worker's name.
    pub worker_name: Option<String>,
    /// Allocated team's name.
    pub team_name: Option<String>,
    /// How the user can reach it.
    pub reach: Reach,
}

pub(crate) fn list_item(c: ChildWithFacts, actor: &authz::Actor) -> Option<ChildListItem> {
    let reach = match decide_child(actor, ChildAction::ViewSummary, &c.facts) {
        Ok(_) => Reach::Open,
        Err(d) if d.break_glass_available => Reach::BreakGlass,
        Err(_) => return None,
    };
    Some(ChildListItem {
        child: c.child,
        worker_name: c.worker_name,
        team_name: c.team_name,
        reach,
    })
}

/// What a user's "My work" page shows.
#[derive(Clone, Debug, Default)]
pub struct MyWork {
    /// Children allocated to me.
    pub mine: Vec<ChildListItem>,
    /// Children in my team (managers) or my pod's teams (pods).
    pub team: Vec<ChildListItem>,
    /// Children waiting for allocation (managers, pods).
    pub unallocated: Vec<ChildListItem>,
    /// Children shared with my organisation (partners).
    pub shared: Vec<ChildListItem>,
    /// Children I opened most recently (from the audit trail).
    pub recent: Vec<ChildListItem>,
    /// Children missing now that I can reach, longest missing first.
    pub missing_now: Vec<ChildListItem>,
    /// My open tasks and my role's queue, soonest due first.
    pub tasks: Vec<crate::tasks::TaskItem>,
    /// Return home interviews past their 72 hours for the user's children
    /// (a manager's: the team's), so a late interview is seen by more than the provider.
    pub overdue_interviews: Vec<harbour_db::rhi::Overdue>,
    /// Out of hours: EDT's alerts and contacts, or the day team's handovers.
    pub edt: crate::edt::EdtWork,
}

/// Everything the child record page can show, as the policy allows.
#[derive(Clone, Debug)]
pub struct ChildRecord {
    /// The child.
    pub child: Child,
    /// Aliases.
    pub aliases: Vec<Alias>,
    /// Allocated worker's name.
    pub worker_name: Option<String>,
    /// Allocated team.
    pub team_name: Option<String>,
    /// Active alerts.
    pub alerts: Vec<Alert>,
    /// Whether the full record (beyond the summary) is included.
    pub full: bool,
    /// Opened through break-glass.
    pub via_break_glass: bool,
    /// Legal status history.
    pub legal_statuses: Vec<LegalStatusPeriod>,
    /// Placements.
    pub placements: Vec<Placement>,
    /// Addresses.
    pub addresses: Vec<Address>,
    /// People around the child.
    pub relationships: Vec<Relationship>,
    /// Allocation history.
    pub allocations: Vec<Allocation>,
    /// Notes.
    pub notes: Vec<CaseNote>,
    /// Decisions.
    pub decisions: Vec<Decision>,
    /// Chronology.
    pub chronology: Vec<ChronologyEntry>,
    /// Current shares.
    pub shares: Vec<Share>,
    /// Missing and away episodes, newest first (full record only).
    pub missing: Vec<harbour_domain::missing::MissingEpisode>,
    /// The open episode, if the child is missing now (shown with the summary too).
    pub missing_now: Option<harbour_domain::missing::MissingEpisode>,
    /// Warnings about the open episode (turned 18, care ended).
    pub missing_flags: Vec<String>,
    /// SSDA903 return checks on the child's episodes, by episode id.
    pub missing_checks: Vec<(uuid::Uuid, String)>,
    /// Return home interviews, newest first (full record only).
    pub interviews: Vec<harbour_domain::missing::ReturnInterview>,
    /// Police grades of the child's episodes, oldest first (the history).
    pub grades: Vec<harbour_db::missing::GradeRow>,
    /// Sharing decisions on those interviews.
    pub finding_shares: Vec<harbour_db::findings::SharedRecord>,
    /// Notifications of findings to other organisations, newest first.
    pub notifications: Vec<harbour_domain::findings::Notification>,
    /// People and places the child has named.
    pub named: Vec<harbour_db::findings::Named>,
    /// The current Philomena profile (for its version and date), where the
    /// viewer may see it.
    pub philomena: Option<harbour_domain::philomena::PhilomenaProfile>,
    /// Case discussions from signed-off supervision, newest first.
    pub supervision: Vec<harbour_db::supervision::ChildDiscussion>,
    /// The actions agreed in them.
    pub supervision_actions: Vec<harbour_db::supervision::ActionView>,
    /// Management oversight entries and logged decisions, newest first.
    pub oversight: Vec<harbour_domain::supervision::OversightEntry>,
    /// Care proceedings under way (court work), full record only.
    pub court_work: Option<harbour_db::caseload::CourtWork>,
    /// Exploitation screenings and proposed panel referrals (full record only).
    pub exploitation: crate::screening::ExploitationSummary,
    /// CIN census assessment factors the record points to (full record only).
    pub assessment_factors: Vec<harbour_domain::reports::DerivedFactor>,
    /// The child's panel referrals, newest first (full record only).
    pub panel_referrals: Vec<harbour_domain::panel::Referral>,
    /// The child's panel discussions, newest first (full record only).
    pub panel: Vec<harbour_domain::panel::Discussion>,
    /// The child's panel actions (full record only).
    pub panel_actions: Vec<harbour_domain::panel::PanelAction>,
    /// Information shared (or refused) about the child (full record only).
    pub disclosures: Vec<harbour_domain::panel::Disclosure>,
    /// Contacts from schools and children-missing-education cases (full record only).
    pub schools: crate::schools::ChildSchools,
    /// Out of hours: safety plan, EDT alerts, contacts, handovers and
    /// placement support (full record only).
    pub edt: crate::edt::EdtRecord,
    /// What the viewer may do next.
    pub can: Permissions,
}

/// Where the interview provider decided not to share findings with the
/// social worker, the record shows the decision and reason, not the account.
fn withhold_unshared_findings(r: &mut ChildRecord) {
    use harbour_domain::findings::Recipient;
    let withheld: Vec<uuid::Uuid> = r
        .finding_shares
        .iter()
        .filter(|s| s.decision.recipient == Recipient::SocialWorker && !s.decision.share)
        .map(|s| s.interview_id)
        .collect();
    for i in r.interviews.iter_mut().filter(|i| withheld.contains(&i.id)) {
        i.push_pull = None;
        i.harm_disclosed = None;
        i.exploitation_indicators = None;
        i.people_places = None;
        i.actions = None;
    }
    r.named.retain(|n| !withheld.contains(&n.source_id));
}

/// The actions a viewer may take on a record (to show only the buttons that work).
#[derive(Clone, Copy, Debug, Default)]
pub struct Permissions {
    /// Record a note.
    pub add_note: bool,
    /// Record a decision.
    pub add_decision: bool,
    /// Allocate.
    pub allocate: bool,
    /// Share.
    pub share: bool,
    /// See the access log.
    pub view_access_log: bool,
    /// Report missing or record a return.
    pub record_missing: bool,
    /// See the Philomena profile and produce the police handover pack.
    pub view_philomena: bool,
    /// Save a new version of the Philomena profile.
    pub edit_philomena: bool,
    /// Record management oversight or a decision in the fast log.
    pub add_oversight: bool,
    /// Record an exploitation screening.
    pub record_screening: bool,
    /// Refer the child to the panel.
    pub refer_to_panel: bool,
    /// Open a children-missing-education case.
    pub manage_cme: bool,
    /// Open the out-of-hours crisis summary.
    pub crisis_summary: bool,
}

/// Build a chronology from what is recorded: notes, decisions, legal status
/// changes, placements and allocations, newest first.
pub fn build_chronology(r: &ChildRecord) -> Vec<ChronologyEntry> {
    let day = |d: NaiveDate| {
        d.and_hms_opt(12, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or_default()
    };
    let mut v: Vec<ChronologyEntry> = Vec::new();
    v.extend(r.notes.iter().map(|n| ChronologyEntry {
        at: n.occurred_at,
        source: "note".into(),
        summary: format!("{}: {}", n.kind.label(), n.subject),
        by: Some(n.author_name.clone()),
        significant: n.significant,
    }));
    v.extend(r.decisions.iter().map(|d| ChronologyEntry {
        at: d.decided_at,
        source: "decision".into(),
        summary: format!("Decision: {}", d.decision),
        by: Some(d.decided_by_name.clone()),
        significant: d.significant,
    }));
    for l in &r.legal_statuses {
        v.push(ChronologyEntry {
            at: day(l.start_date),
            source: "legal_status".into(),
            summary: format!("{} started", l.status.label()),
            by: None,
            significant: true,
        });
        if let Some(e) = l.end_date {
            v.push(ChronologyEntry {
                at: day(e),
                source: "legal_status".into(),
                summary: format!("{} ended", l.status.label()),
                by: None,
                significant: true,
            });
        }
    }
    for p in &r.placements {
        let what = codes::place_label(&p.place_code).unwrap_or("Placement");
        v.push(ChronologyEntry {
            at: day(p.start_date),
            source: "placement".into(),
            summary: format!("Placement started: {what}"),
            by: None,
            significant: true,
        });
        if let Some(e) = p.end_date {
            v.push(ChronologyEntry {
                at: day(e),
                source: "placement".into(),
                summary: format!("Placement ended: {what}"),
                by: None,
                significant: true,
            });
        }
    }
    v.extend(r.allocations.iter().map(|a| ChronologyEntry {
        at: day(a.start_date),
        source: "allocation".into(),
        summary: format!(
            "Allocated to {} ({})",
            a.worker_name,
            codes::sw_reason_label(&a.sw_reason).unwrap_or(&a.sw_reason)
        ),
        by: None,
        significant: false,
    }));
    for e in &r.missing {
        v.push(ChronologyEntry {
            at: e.last_seen_at,
            source: "missing".into(),
            summary: format!(
                "{} from {}: last seen at {}",
                e.kind.label(),
                e.from.label().to_lowercase(),
                e.location_left
            ),
            by: None,
            significant: true,
        });
        if let (Some(at), Some(w)) = (e.returned_at, &e.found_where) {
            v.push(ChronologyEntry {
                at,
                source: "missing".into(),
                summary: format!("Returned or found: {w}"),
                by: None,
                significant: true,
            });
        }
    }
    for d in &r.supervision {
        let actions: Vec<String> = r
            .supervision_actions
            .iter()
            .filter(|a| a.action.session_id == d.session_id)
            .map(|a| {
                format!(
                    "{} ({}, by {})",
                    a.action.text,
                    a.owner_name,
                    calendar::format_date(a.action.due)
                )
            })
            .collect();
        v.push(ChronologyEntry {
            at: d.held_at,
            source: "supervision".into(),
            summary: if actions.is_empty() {
                format!("Case discussion in supervision with {}", d.supervisee_name)
            } else {
                format!(
                    "Case discussion in supervision with {}. Actions: {}",
                    d.supervisee_name,
                    actions.join("; ")
                )
            },
            by: Some(d.supervisor_name.clone()),
            significant: false,
        });
    }
    crate::schools::chronology(&r.schools, &mut v);
    for o in &r.oversight {
        v.push(ChronologyEntry {
            at: o.at,
            source: "oversight".into(),
            summary: format!(
                "{}: {}{}",
                o.kind.label(),
                o.text,
                if o.confirmed_at.is_none() {
                    format!(
                        " (recorded by {}, awaiting {}'s confirmation)",
                        o.recorded_by_name, o.manager_name
                    )
                } else {
                    String::new()
                }
            ),
            by: Some(o.manager_name.clone()),
            significant: false,
        });
    }
    for i in &r.interviews {
        if let Some(at) = i.held_at.or(i.offered_at) {
            v.push(ChronologyEntry {
                at,
                source: "rhi".into(),
                summary: format!(
                    "Return home interview: {}",
                    i.outcome.label().to_lowercase()
                ),
                by: None,
                significant: true,
            });
        }
    }
    for s in &r.exploitation.screenings {
        v.push(ChronologyEntry {
            at: s.recorded_at,
            source: "screening".into(),
            summary: format!(
                "Exploitation screening: {}{}",
                s.level,
                if s.under_13 {
                    " (under-13 rule: potential exploitation)"
                } else {
                    ""
                }
            ),
            by: Some(s.recorded_by_name.clone()),
            significant: true,
        });
    }
    for p in &r.exploitation.proposals {
        if let (Some(at), Some(reason)) = (p.decided_at, &p.reason) {
            v.push(ChronologyEntry {
                at,
                source: "escalation".into(),
                summary: format!(
                    "Panel referral {}: {reason}",
                    p.status.label().to_lowercase()
                ),
                by: p.decided_by_name.clone(),
                significant: true,
            });
        }
    }
    for p in &r.panel {
        v.push(ChronologyEntry {
            at: day(p.held_on),
            source: "panel".into(),
            summary: format!(
                "{}: risk {}; decisions: {}",
                p.panel_type.label(),
                p.risk.label().to_lowercase(),
                p.decisions
            ),
            by: None,
            significant: true,
        });
    }
    for p in &r.panel_referrals {
        v.push(ChronologyEntry {
            at: p.referred_at,
            source: "panel".into(),
            summary: format!("Referred to the {}", p.panel_type.label().to_lowercase()),
            by: Some(p.referred_by_name.clone()),
            significant: true,
        });
        if let (Some(at), Some(why)) = (p.closed_at, &p.closure_reason) {
            v.push(ChronologyEntry {
                at,
                source: "panel".into(),
                summary: format!("Panel referral closed: {why}"),
                by: None,
                significant: true,
            });
        }
    }
    v.extend(crate::edt::chronology(&r.edt));
    v.sort_by_key(|e| std::cmp::Reverse(e.at));
    v
}

/// Input for a new case note (strings as typed).
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct NoteInput {
    /// Note kind machine name.
    #[serde(default)]
    pub kind: String,
    /// Day of the event.
    #[serde(default)]
    pub day: String,
    /// Month.
    #[serde(default)]
    pub month: String,
    /// Year.
    #[serde(default)]
    pub year: String,
    /// Time, e.g. 14:30.
    #[serde(default)]
    pub time: String,
    /// Subject.
    #[serde(default)]
    pub subject: String,
    /// Body.
    #[serde(default)]
    pub body: String,
    /// "yes" when significant.
    #[serde(default)]
    pub significant: Option<String>,
}

/// Input for a new decision.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct DecisionInput {
    /// The decision-maker (a manager), as a user id; empty means "me".
    #[serde(default)]
    pub decided_by: String,
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
    /// The decision.
    #[serde(default)]
    pub decision: String,
    /// Why.
    #[serde(default)]
    pub rationale: String,
    /// "yes" when significant.
    #[serde(default)]
    pub significant: Option<String>,
}

/// Input for a new child record.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct NewChildInput {
    /// Given name.
    #[serde(default)]
    pub first_name: String,
    /// Family name.
    #[serde(default)]
    pub last_name: String,
    /// Day of birth.
    #[serde(default)]
    pub dob_day: String,
    /// Month.
    #[serde(default)]
    pub dob_month: String,
    /// Year.
    #[serde(default)]
    pub dob_year: String,
    /// M, F or U.
    #[serde(default)]
    pub sex: String,
    /// DfE ethnicity code.
    #[serde(default)]
    pub ethnicity: String,
    /// UPN.
    #[serde(default)]
    pub upn: String,
    /// NHS number.
    #[serde(default)]
    pub nhs_number: String,
    /// Responsible LA code (blank: the home authority).
    #[serde(default)]
    pub responsible_la: String,
    /// Host LA code if placed elsewhere.
    #[serde(default)]
    pub host_la: String,
    /// School.
    #[serde(default)]
    pub school: String,
    /// Initial legal status (CIN, CP, CLA, CL) or blank.
    #[serde(default)]
    pub legal_status: String,
    /// "yes" to restrict.
    #[serde(default)]
    pub restricted: Option<String>,
}

/// Input for allocating a worker.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct AllocateInput {
    /// Worker id.
    #[serde(default)]
    pub worker: String,
    /// SW_REASON code.
    #[serde(default)]
    pub sw_reason: String,
    /// Start day.
    #[serde(default)]
    pub day: String,
    /// Month.
    #[serde(default)]
    pub month: String,
    /// Year.
    #[serde(default)]
    pub year: String,
    /// A team manager's reason for allocating past a protected ASYE cap or
    /// the red threshold.
    #[serde(default)]
    pub override_reason: String,
}

/// Input for sharing with an organisation.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct ShareInput {
    /// Organisation id.
    #[serde(default)]
    pub org: String,
    /// summary or record.
    #[serde(default)]
    pub scope: String,
    /// Purpose and lawful basis.
    #[serde(default)]
    pub reason: String,
    /// Days until it lapses (required: every grant to another organisation ends).
    #[serde(default)]
    pub days: String,
    /// The lawful basis (machine name of a `LawfulBasis`).
    #[serde(default)]
    pub basis: String,
}

/// Input for break-glass.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct BreakGlassInput {
    /// Why.
    #[serde(default)]
    pub reason: String,
    /// For how many minutes.
    #[serde(default)]
    pub minutes: String,
}

fn yes(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("yes" | "true" | "on"))
}

/// A London wall-clock date and time from form parts, as UTC, not in the future (5 minutes' grace for clock skew).
pub(crate) fn event_time(
    errs: &mut FieldErrors,
    now: DateTime<Utc>,
    day: &str,
    month: &str,
    year: &str,
    time: &str,
    label: &str,
) -> Option<DateTime<Utc>> {
    let date = validate::date_parts(errs, "day", label, day, month, year)?;
    let t = if time.trim().is_empty() {
        errs.add("time", "Enter a time, for example 14:30");
        return None;
    } else if let Some(t) = validate::parse_time(time) {
        t
    } else {
        errs.add("time", "Enter a real time, for example 14:30 or 2:30pm");
        return None;
    };
    let at = calendar::from_london(NaiveDateTime::new(date, t));
    if at > now + TimeDelta::minutes(5) {
        errs.add("day", format!("{} must be in the past", capitalise(label)));
        return None;
    }
    Some(at)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

impl App {
    /// Load a child with the actor's facts and decide. A denial is audited in
    /// this same transaction, which is then committed (so the refusal is
    /// recorded and nothing else is), and the error returned.
    pub(crate) async fn authorise_child(
        &self,
        tx: Tx,
        ctx: &Ctx,
        id: ChildId,
        action: ChildAction,
    ) -> AppResult<(Tx, ChildWithFacts, Allowed)> {
        self.authorise_child_as(tx, ctx, id, action, action.audit_name())
            .await
    }

    /// As [`App::authorise_child`], auditing a refusal under `audit_action`
    /// (for a use of the action with its own audit name, such as
    /// `philomena.pack`).
    pub(crate) async fn authorise_child_as(
        &self,
        mut tx: Tx,
        ctx: &Ctx,
        id: ChildId,
        action: ChildAction,
        audit_action: &str,
    ) -> AppResult<(Tx, ChildWithFacts, Allowed)> {
        let now = self.now();
        let Some(c) = repo::get_with_facts(&mut tx, &ctx.me.actor, id, now).await? else {
            return Err(AppError::NotFound);
        };
        match decide_child(&ctx.me.actor, action, &c.facts) {
            Ok(ok) => Ok((tx, c, ok)),
            Err(d) => {
                let ev = ctx.event(
                    audit_action,
                    "child",
                    Some(id.0),
                    Some(id.0),
                    Outcome::Deny,
                    Some(d.reason.as_str().into()),
                );
                self.audit(&mut tx, &ev).await?;
                tx.commit().await?;
                Err(AppError::Forbidden(Some(d)))
            }
        }
    }

    fn require_service(&self, ctx: &Ctx, action: ServiceAction) -> Result<(), AuditedDenial> {
        if decide_service(&ctx.me.actor, action) {
            Ok(())
        } else {
            Err(AuditedDenial(action))
        }
    }

    /// Check a service-level permission, auditing a refusal.
    pub async fn check_service(&self, ctx: &Ctx, action: ServiceAction) -> AppResult<()> {
        match self.require_service(ctx, action) {
            Ok(()) => Ok(()),
            Err(AuditedDenial(a)) => Err(self
                .deny(
                    ctx.event(
                        a.audit_name(),
                        "service",
                        None,
                        None,
                        Outcome::Deny,
                        Some("role".into()),
                    ),
                    None,
                )
                .await),
        }
    }

    /// Search children by name (partial or misspelt), date of birth or identifier.
    pub async fn search_children(&self, ctx: &Ctx, q: &str) -> AppResult<Vec<ChildListItem>> {
        self.check_service(ctx, ServiceAction::SearchChildren)
            .await?;
        let query = search::parse_query(q);
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let now = self.now();
        let actor = &ctx.me.actor;
        let mut tx = self.db.begin_write().await?;
        let mut candidates: Vec<ChildWithFacts> = Vec::new();
        let mut aliases: Vec<(ChildId, Alias)> = Vec::new();
        if let Some(first) = query.names.iter().max_by_key(|t| t.len()) {
            let sx = search::soundex(first);
            candidates = repo::search_by_name_key(&mut tx, actor, now, first, &sx).await?;
            aliases = repo::aliases_for_key(&mut tx, first, &sx).await?;
        } else if let Some(dob) = query.dob {
            candidates = repo::search_by_dob(&mut tx, actor, now, dob).await?;
        } else if let Some(ident) = query.identifiers.first() {
            candidates = repo::search_by_identifier(&mut tx, actor, now, ident).await?;
        }
        let mut scored: Vec<(f64, ChildWithFacts)> = candidates
            .into_iter()
            .filter(|c| query.dob.is_none_or(|d| c.child.dob == d))
            .filter(|c| {
                query.identifiers.is_empty()
                    || query.identifiers.iter().any(|i| {
                        [
                            c.child.upn.as_deref(),
                            c.child.nhs_number.as_deref(),
                            Some(c.child.la_child_id.as_str()),
                        ]
                        .into_iter()
                        .flatten()
                        .any(|v| v.eq_ignore_ascii_case(i))
                    })
            })
            .filter_map(|c| {
                let mut names: Vec<&str> = vec![&c.child.first_name, &c.child.last_name];
                names.extend(
                    aliases
                        .iter()
                        .filter(|(id, _)| *id == c.child.id)
                        .map(|(_, a)| a.name.as_str()),
                );
                let s = score_names(&query.names, &names)?;
                Some((s, c))
            })
            .collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(a.1.child.last_name.cmp(&b.1.child.last_name))
        });
        let items: Vec<ChildListItem> = scored
            .into_iter()
            .filter_map(|(_, c)| list_item(c, actor))
            .take(50)
            .collect();
        let ev = ctx.event(
            "child.search",
            "child",
            None,
            None,
            Outcome::Allow,
            Some(format!("{} results", items.len())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(items)
    }

    /// The signed-in user's work list.
    pub async fn my_work(&self, ctx: &Ctx) -> AppResult<MyWork> {
        self.check_service(ctx, ServiceAction::ViewMyWork).await?;
        let now = self.now();
        let actor = &ctx.me.actor;
        let tasks = self.my_tasks(ctx).await?;
        let mut tx = self.db.begin_write().await?;
        let keep = |v: Vec<ChildWithFacts>| {
            v.into_iter()
                .filter_map(|c| list_item(c, actor))
                .collect::<Vec<_>>()
        };
        let mut w = MyWork {
            mine: keep(repo::allocated_to(&mut tx, actor, actor.user_id, now).await?),
            ..Default::default()
        };
        match actor.role {
            Role::TeamManager => {
                if let Some(t) = actor.team_id {
                    w.team = keep(repo::in_team(&mut tx, actor, t, now).await?);
                }
                w.unallocated = keep(repo::unallocated(&mut tx, actor, now).await?);
            }
            Role::PodAdmin => {
                if let Some(p) = actor.pod_id {
                    w.team = keep(repo::in_pod(&mut tx, actor, p, now).await?);
                }
                w.unallocated = keep(repo::unallocated(&mut tx, actor, now).await?);
            }
            Role::PartnerPractitioner | Role::RhiProvider => {
                w.shared = keep(repo::shared_with_actor_org(&mut tx, actor, now).await?);
            }
            _ => {}
        }
        w.recent = keep(repo::recently_viewed(&mut tx, actor, now, 10).await?);
        // Only children the user may open: a missing child's name is not shared service-wide.
        w.missing_now = keep(repo::missing_now(&mut tx, actor, now).await?)
            .into_iter()
            .filter(|i| i.reach == Reach::Open)
            .collect();
        w.tasks = tasks;
        w.overdue_interviews = match actor.role {
            Role::SocialWorker => {
                harbour_db::rhi::overdue_for(&mut tx, now, actor.user_id, None).await?
            }
            Role::TeamManager | Role::PodAdmin => {
                harbour_db::rhi::overdue_for(&mut tx, now, actor.user_id, actor.team_id).await?
            }
            _ => Vec::new(),
        };
        w.edt = self.edt_work(&mut tx, ctx, now).await?;
        let n = w.mine.len()
            + w.team.len()
            + w.unallocated.len()
            + w.shared.len()
            + w.recent.len()
            + w.missing_now.len();
        let ev = ctx.event(
            "child.list",
            "child",
            None,
            None,
            Outcome::Allow,
            Some(format!("my work: {n} children")),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(w)
    }

    /// Open a child's record (the summary, or the full record where allowed). Audited.
    pub async fn child_record(&self, ctx: &Ctx, id: ChildId) -> AppResult<ChildRecord> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let full_ok = repo::get_with_facts(&mut tx, &ctx.me.actor, id, now)
            .await?
            .map(|c| decide_child(&ctx.me.actor, ChildAction::ViewRecord, &c.facts).is_ok());
        let action = if full_ok == Some(true) {
            ChildAction::ViewRecord
        } else {
            ChildAction::ViewSummary
        };
        let (tx, c, ok) = self.authorise_child(tx, ctx, id, action).await?;
        let (mut tx, r) = self.load_record(tx, ctx, c, ok, action, now).await?;
        let reason = ok.via_break_glass().then(|| "break_glass".to_string());
        let ev = ctx.event(
            action.audit_name(),
            "child",
            Some(id.0),
            Some(id.0),
            Outcome::Allow,
            reason,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// Read what `action` (the summary or the full record) shows of the
    /// child `ok` names, in `tx`; the caller audits the read.
    pub(crate) async fn load_record(
        &self,
        mut tx: Tx,
        ctx: &Ctx,
        c: ChildWithFacts,
        ok: Allowed,
        action: ChildAction,
        now: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<(Tx, ChildRecord)> {
        let id = c.child.id;
        let actor = &ctx.me.actor;
        let may = |a| decide_child(actor, a, &c.facts).is_ok();
        let can = Permissions {
            add_note: may(ChildAction::AddNote),
            add_decision: may(ChildAction::AddDecision),
            allocate: may(ChildAction::Allocate),
            share: may(ChildAction::Share),
            view_access_log: may(ChildAction::ViewAccessLog),
            record_missing: may(ChildAction::RecordMissing),
            view_philomena: may(ChildAction::ViewPhilomena),
            edit_philomena: may(ChildAction::Edit),
            add_oversight: may(ChildAction::AddOversight),
            record_screening: may(ChildAction::RecordScreening),
            refer_to_panel: harbour_domain::authz::decide_panel_referral(actor, &c.facts).is_ok(),
            manage_cme: may(ChildAction::ManageCme),
            crisis_summary: may(ChildAction::ViewCrisisSummary),
        };
        let full = action == ChildAction::ViewRecord;
        let mut r = ChildRecord {
            aliases: repo::aliases(&mut tx, id).await?,
            worker_name: c.worker_name.clone(),
            team_name: c.team_name.clone(),
            alerts: records::alerts(&mut tx, &ok, now).await?,
            full,
            via_break_glass: ok.via_break_glass(),
            legal_statuses: Vec::new(),
            placements: Vec::new(),
            addresses: Vec::new(),
            relationships: Vec::new(),
            allocations: Vec::new(),
            notes: Vec::new(),
            decisions: Vec::new(),
            chronology: Vec::new(),
            shares: Vec::new(),
            missing: Vec::new(),
            missing_now: None,
            missing_flags: Vec::new(),
            missing_checks: Vec::new(),
            interviews: Vec::new(),
            grades: Vec::new(),
            finding_shares: Vec::new(),
            notifications: Vec::new(),
            named: Vec::new(),
            philomena: None,
            supervision: Vec::new(),
            supervision_actions: Vec::new(),
            oversight: Vec::new(),
            court_work: None,
            exploitation: Default::default(),
            assessment_factors: Vec::new(),
            panel_referrals: Vec::new(),
            panel: Vec::new(),
            panel_actions: Vec::new(),
            disclosures: Vec::new(),
            schools: Default::default(),
            edt: Default::default(),
            child: c.child,
            can,
        };
        if full {
            r.legal_statuses = records::legal_statuses(&mut tx, &ok).await?;
            r.placements = records::placements(&mut tx, &ok).await?;
            r.addresses = records::addresses(&mut tx, &ok).await?;
            r.relationships = records::relationships(&mut tx, &ok).await?;
            r.allocations = records::allocations(&mut tx, &ok).await?;
            r.notes = records::notes(&mut tx, &ok).await?;
            r.decisions = records::decisions(&mut tx, &ok).await?;
            r.shares = records::shares(&mut tx, &ok, now).await?;
            r.exploitation =
                crate::screening::summary(&mut tx, &ok, &self.config.screening).await?;
        }
        // Whether a child is missing now is part of the summary: a partner
        // or provider must know, even without the full record.
        let episodes = harbour_db::missing::for_child(&mut tx, &ok).await?;
        r.missing_now = episodes.iter().find(|e| e.is_open()).cloned();
        if full {
            let since = crate::reports::year_before(now);
            r.assessment_factors = crate::reports::child_factors(
                &r.exploitation.cin_factors,
                episodes.iter().filter(|e| e.last_seen_at >= since).count(),
            );
        }
        if let Some(open) = &r.missing_now {
            let care_ended = r
                .legal_statuses
                .iter()
                .filter(|l| l.status == LegalStatusKind::Cla)
                .max_by_key(|l| l.start_date)
                .and_then(|l| l.end_date);
            r.missing_flags = harbour_domain::missing::open_episode_flags(
                open,
                r.child.dob,
                care_ended,
                calendar::london_date(now),
            );
        }
        if full {
            let care: Vec<harbour_domain::missing::CarePeriod> = r
                .placements
                .iter()
                .map(|p| harbour_domain::missing::CarePeriod {
                    start: p.start_date,
                    end: p.end_date,
                    place: p.place_code.clone(),
                    provider: p.provider_code.clone(),
                })
                .collect();
            r.missing_checks = harbour_domain::missing::ssda903_warnings(
                &r.child.la_child_id,
                r.child.sex.as_str(),
                r.child.dob,
                &episodes,
                &care,
                calendar::london_date(now),
            );
            r.missing = episodes;
            r.interviews = harbour_db::rhi::for_child(&mut tx, &ok).await?;
            r.grades = harbour_db::missing::grades(&mut tx, &ok).await?;
            r.finding_shares = harbour_db::findings::shares_for_child(&mut tx, &ok).await?;
            r.notifications = harbour_db::findings::for_child(&mut tx, &ok).await?;
            r.named = harbour_db::findings::named_for_child(&mut tx, &ok).await?;
            withhold_unshared_findings(&mut r);
            r.supervision = harbour_db::supervision::discussions_for_child(&mut tx, &ok).await?;
            r.supervision_actions =
                harbour_db::supervision::actions_for_child(&mut tx, &ok).await?;
            r.oversight = harbour_db::supervision::oversight_for_child(&mut tx, &ok).await?;
            r.court_work = harbour_db::caseload::court_work(&mut tx, &ok).await?;
            r.panel_referrals = harbour_db::panel::referrals_for_child(&mut tx, &ok).await?;
            r.panel = harbour_db::panel::discussions_for_child(&mut tx, &ok).await?;
            r.panel_actions = harbour_db::panel::actions_for_child(&mut tx, &ok).await?;
            r.disclosures = harbour_db::panel::disclosures_for_child(&mut tx, &ok).await?;
            r.schools = crate::schools::child_part(&mut tx, &ok).await?;
            r.edt = crate::edt::record_part(&mut tx, &ok).await?;
            r.chronology = build_chronology(&r);
        }
        if can.view_philomena {
            r.philomena = harbour_db::philomena::current(&mut tx, &ok).await?;
        }
        Ok((tx, r))
    }

    /// Check that the user may do `action` to the child, to show its form.
    /// The form names the child, so showing it is audited as a read
    /// (`<action>.form`); a refusal is audited as usual.
    pub async fn child_for_action(
        &self,
        ctx: &Ctx,
        id: ChildId,
        action: ChildAction,
    ) -> AppResult<Child> {
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self.authorise_child(tx, ctx, id, action).await?;
        let reason = ok.via_break_glass().then(|| "break_glass".to_string());
        let ev = ctx.event(
            &format!("{}.form", action.audit_name()),
            "child",
            Some(id.0),
            Some(id.0),
            Outcome::Allow,
            reason,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(c.child)
    }

    /// Record a case note.
    pub async fn add_note(&self, ctx: &Ctx, id: ChildId, input: &NoteInput) -> AppResult<NoteId> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child(tx, ctx, id, ChildAction::AddNote)
            .await?;
        let mut errs = FieldErrors::new();
        let kind = NoteKind::parse(&input.kind);
        if kind.is_none() {
            errs.add("kind", "Select what kind of note this is");
        }
        let at = event_time(
            &mut errs,
            now,
            &input.day,
            &input.month,
            &input.year,
            &input.time,
            "the date it happened",
        );
        if let Some(at) = at
            && calendar::london_date(at) < c.child.dob
        {
            errs.add(
                "day",
                "The date it happened must be on or after the child's date of birth",
            );
        }
        let subject =
            validate::required_text(&mut errs, "subject", "a subject", &input.subject, 200);
        let body = validate::required_text(&mut errs, "body", "the note", &input.body, 20_000);
        errs.into_result()?;
        let note = CaseNote {
            id: NoteId::new(),
            child_id: id,
            author_id: ctx.me.user.id,
            author_name: ctx.me.user.name.clone(),
            kind: kind.unwrap_or(NoteKind::Other),
            occurred_at: at.unwrap_or(now),
            recorded_at: now,
            subject,
            body,
            significant: yes(&input.significant),
        };
        records::insert_note(&mut tx, &ok, &note).await?;
        let ev = ctx.event(
            "note.create",
            "note",
            Some(note.id.0),
            Some(id.0),
            Outcome::Allow,
            ok.via_break_glass().then(|| "break_glass".into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(note.id)
    }

    /// The managers a decision can be recorded for.
    pub async fn decision_makers(&self, _ctx: &Ctx) -> AppResult<Vec<User>> {
        let mut tx = self.db.begin_read().await?;
        let all = users::list(&mut tx).await?;
        tx.commit().await?;
        Ok(all
            .into_iter()
            .filter(|u| {
                u.disabled_at.is_none()
                    && matches!(
                        u.role,
                        Role::TeamManager | Role::EdtWorker | Role::PanelCoordinator
                    )
            })
            .collect())
    }

    /// Record a decision (by a manager, or by a pod administrator on a manager's behalf).
    pub async fn add_decision(
        &self,
        ctx: &Ctx,
        id: ChildId,
        input: &DecisionInput,
    ) -> AppResult<DecisionId> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, _, ok) = self
            .authorise_child(tx, ctx, id, ChildAction::AddDecision)
            .await?;
        let mut errs = FieldErrors::new();
        let decided_by = if input.decided_by.trim().is_empty() {
            if ctx.me.user.role == Role::PodAdmin {
                errs.add("decided_by", "Select the manager who made the decision");
                None
            } else {
                Some(ctx.me.user.clone())
            }
        } else {
            match input.decided_by.parse::<UserId>() {
                Ok(uid) => match users::get(&mut tx, uid).await? {
                    Some(u)
                        if matches!(
                            u.role,
                            Role::TeamManager | Role::EdtWorker | Role::PanelCoordinator
                        ) && u.disabled_at.is_none() =>
                    {
                        Some(u)
                    }
                    _ => {
                        errs.add("decided_by", "Select the manager who made the decision");
                        None
                    }
                },
                Err(_) => {
                    errs.add("decided_by", "Select the manager who made the decision");
                    None
                }
            }
        };
        let at = event_time(
            &mut errs,
            now,
            &input.day,
            &input.month,
            &input.year,
            &input.time,
            "the date of the decision",
        );
        let decision = validate::required_text(
            &mut errs,
            "decision",
            "the decision",
            &input.decision,
            5_000,
        );
        let rationale = validate::required_text(
            &mut errs,
            "rationale",
            "the reasons for the decision",
            &input.rationale,
            10_000,
        );
        errs.into_result()?;
        let maker = decided_by
            .ok_or_else(|| AppError::Internal("decision maker missing after validation".into()))?;
        let d = Decision {
            id: DecisionId::new(),
            child_id: id,
            decided_by: maker.id,
            decided_by_name: maker.name,
            recorded_by: ctx.me.user.id,
            recorded_by_name: ctx.me.user.name.clone(),
            decided_at: at.unwrap_or(now),
            recorded_at: now,
            decision,
            rationale,
            significant: yes(&input.significant),
        };
        records::insert_decision(&mut tx, &ok, &d).await?;
        let ev = ctx.event(
            "decision.create",
            "decision",
            Some(d.id.0),
            Some(id.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(d.id)
    }

    /// Workers a child can be allocated to.
    pub async fn allocatable_workers(&self, _ctx: &Ctx) -> AppResult<Vec<User>> {
        let mut tx = self.db.begin_read().await?;
        let all = users::list(&mut tx).await?;
        tx.commit().await?;
        Ok(all
            .into_iter()
            .filter(|u| {
                u.disabled_at.is_none() && matches!(u.role, Role::SocialWorker | Role::TeamManager)
            })
            .collect())
    }

    /// Allocate (or re-allocate) a worker, ending the open allocation the day the new one starts.
    pub async fn allocate(
        &self,
        ctx: &Ctx,
        id: ChildId,
        input: &AllocateInput,
    ) -> AppResult<AllocationId> {
        let tx = self.db.begin_write().await?;
        let (mut tx, _, ok) = self
            .authorise_child(tx, ctx, id, ChildAction::Allocate)
            .await?;
        let a = self.allocate_in(&mut tx, ctx, &ok, input).await?;
        tx.commit().await?;
        Ok(a)
    }

    /// Allocate inside a transaction (the single form and the bulk
    /// re-allocation share it): validation, the capacity check with its
    /// override, the allocation, its audit row and the override's.
    pub(crate) async fn allocate_in(
        &self,
        tx: &mut harbour_db::Tx,
        ctx: &Ctx,
        ok: &Allowed,
        input: &AllocateInput,
    ) -> AppResult<AllocationId> {
        let now = self.now();
        let id = ok.child_id();
        let mut errs = FieldErrors::new();
        let worker = match input.worker.parse::<UserId>() {
            Ok(w) => users::get(tx, w).await?.filter(|u| {
                u.disabled_at.is_none() && matches!(u.role, Role::SocialWorker | Role::TeamManager)
            }),
            Err(_) => None,
        };
        if worker.is_none() {
            errs.add("worker", "Select a social worker");
        }
        if codes::sw_reason_label(&input.sw_reason).is_none() {
            errs.add("sw_reason", "Select the reason for the change of worker");
        }
        let start = validate::date_parts(
            &mut errs,
            "day",
            "the start date",
            &input.day,
            &input.month,
            &input.year,
        );
        let history = records::allocations(tx, ok).await?;
        if let (Some(s), Some(open)) = (start, history.iter().find(|a| a.end_date.is_none())) {
            if s < open.start_date {
                errs.add(
                    "day",
                    "The start date must be on or after the current allocation's start date",
                );
            }
            if worker.as_ref().is_some_and(|w| w.id == open.worker_id) {
                errs.add("worker", "This worker is already allocated");
            }
        }
        if start.is_some_and(|s| s > calendar::london_date(now) + TimeDelta::days(31)) {
            errs.add("day", "The start date must be within the next month");
        }
        // Capacity: past a protected ASYE cap or the red threshold needs a
        // team manager's override with a reason.
        let mut over = None;
        if let Some(w) = &worker {
            let cands = self.candidates_in(tx, ok).await?;
            if let Some(c) = cands.into_iter().find(|c| c.worker.id == w.id)
                && let Some(b) = c.breach
            {
                let reason = input.override_reason.trim();
                let what = match b {
                    harbour_domain::caseload::Breach::AsyeCap => "their protected ASYE cap",
                    harbour_domain::caseload::Breach::RedThreshold => "the red threshold",
                };
                if !authz::may_override_capacity(&ctx.me.actor) {
                    errs.add(
                        "worker",
                        format!(
                            "{} would go over {what} ({} of {} points). Only a team manager can override this; choose another worker",
                            w.name, c.projected, c.worker.capacity
                        ),
                    );
                } else if reason.chars().count() < 10 {
                    errs.add(
                        "override_reason",
                        format!(
                            "{} would go over {what} ({} of {} points). Choose another worker, or give your reason for overriding (at least 10 characters)",
                            w.name, c.projected, c.worker.capacity
                        ),
                    );
                } else if reason.chars().count() > 2000 {
                    errs.add(
                        "override_reason",
                        "The reason must be 2,000 characters or fewer",
                    );
                } else {
                    over = Some((b, c.projected, c.worker.capacity, reason.to_string()));
                }
            }
        }
        errs.into_result()?;
        let (worker, start) = (
            worker.ok_or(AppError::NotFound)?,
            start.ok_or(AppError::NotFound)?,
        );
        records::end_open_allocation(tx, ok, start).await?;
        let a = Allocation {
            id: AllocationId::new(),
            child_id: id,
            worker_id: worker.id,
            worker_name: worker.name,
            team_id: worker.team_id,
            start_date: start,
            end_date: None,
            sw_reason: input.sw_reason.clone(),
            recorded_by: ctx.me.user.id,
            recorded_at: now,
        };
        records::insert_allocation(tx, ok, &a).await?;
        let ev = ctx.event(
            "allocation.change",
            "allocation",
            Some(a.id.0),
            Some(id.0),
            Outcome::Allow,
            Some(a.sw_reason.clone()),
        );
        self.audit(tx, &ev).await?;
        if let Some((breach, projected, capacity, reason)) = over {
            let o = harbour_db::caseload::NewOverride {
                id: uuid::Uuid::now_v7(),
                allocation_id: a.id,
                worker_id: a.worker_id,
                team_id: a.team_id,
                breach: breach.as_str(),
                projected_points: projected as i32,
                capacity_points: capacity as i32,
                reason,
                approved_by: ctx.me.user.id,
                recorded_at: now,
            };
            harbour_db::caseload::insert_override(tx, ok, &o).await?;
            let ev = ctx.event(
                "allocation.override",
                "allocation",
                Some(a.id.0),
                Some(id.0),
                Outcome::Allow,
                Some(format!("{} {projected}/{capacity}", breach.as_str())),
            );
            self.audit(tx, &ev).await?;
        }
        Ok(a.id)
    }

    /// Organisations a record can be shared with.
    pub async fn share_targets(&self) -> AppResult<Vec<Organisation>> {
        let mut tx = self.db.begin_read().await?;
        let orgs = org::list_orgs(&mut tx).await?;
        tx.commit().await?;
        Ok(orgs
            .into_iter()
            .filter(|o| o.kind != OrgKind::SocialCare)
            .collect())
    }

    /// Share a child's record with a partner organisation, recording purpose and basis.
    pub async fn share(&self, ctx: &Ctx, id: ChildId, input: &ShareInput) -> AppResult<ShareId> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, _, ok) = self
            .authorise_child(tx, ctx, id, ChildAction::Share)
            .await?;
        let mut errs = FieldErrors::new();
        let orgs = org::list_orgs(&mut tx).await?;
        let target = input.org.parse::<OrgId>().ok().and_then(|o| {
            orgs.into_iter()
                .find(|x| x.id == o && x.kind != OrgKind::SocialCare)
        });
        if target.is_none() {
            errs.add("org", "Select the organisation to share with");
        }
        let scope = ShareScope::parse(&input.scope);
        if scope.is_none() {
            errs.add("scope", "Select what to share");
        }
        let reason = validate::required_text(
            &mut errs,
            "reason",
            "the purpose and lawful basis for sharing",
            &input.reason,
            2_000,
        );
        // Every grant to another organisation has an end date (information
        // sharing advice 2024: share only for as long as it is needed).
        let expires_at = match input.days.trim().parse::<i64>() {
            Ok(n) if (1..=366).contains(&n) => Some(now + TimeDelta::days(n)),
            _ => {
                errs.add("days", "Enter a number of days from 1 to 366");
                None
            }
        };
        let basis = harbour_domain::findings::LawfulBasis::parse(input.basis.trim());
        if basis.is_none() {
            errs.add("basis", "Select the lawful basis for sharing");
        }
        errs.into_result()?;
        let target = target.ok_or(AppError::NotFound)?;
        let s = Share {
            id: ShareId::new(),
            child_id: id,
            org_id: target.id,
            org_name: target.name,
            scope: scope.unwrap_or(ShareScope::Summary),
            reason,
            granted_by: ctx.me.user.id,
            granted_at: now,
            expires_at,
        };
        records::insert_share(&mut tx, &ok, &s).await?;
        // The information-sharing log: every disclosure, with its basis.
        let d = harbour_domain::panel::Disclosure {
            id: uuid::Uuid::now_v7(),
            child_id: id,
            child_name: String::new(),
            outcome: harbour_domain::panel::DisclosureOutcome::Shared,
            recipient_org: Some(s.org_id),
            recipient: s.org_name.clone(),
            what: match s.scope {
                ShareScope::Summary => {
                    "Summary of the record (name, date of birth, alerts, worker, contacts)".into()
                }
                ShareScope::Record => "The record: summary, notes, decisions and chronology".into(),
            },
            why: s.reason.clone(),
            basis,
            decided_by: ctx.me.user.id,
            decided_by_name: String::new(),
            decided_at: now,
            source: "share".into(),
        };
        harbour_db::panel::insert_disclosure(&mut tx, &ok, &d).await?;
        let ev = ctx.event(
            "share.create",
            "share",
            Some(s.id.0),
            Some(id.0),
            Outcome::Allow,
            Some(format!("{}:{}", s.scope.as_str(), target.id)),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(s.id)
    }

    /// Grant break-glass access to a child the user has no relationship with.
    pub async fn break_glass(
        &self,
        ctx: &Ctx,
        id: ChildId,
        input: &BreakGlassInput,
    ) -> AppResult<()> {
        let now = self.now();
        self.require_break_glass_role(ctx, id).await?;
        let mut errs = FieldErrors::new();
        let reason = validate::required_text(
            &mut errs,
            "reason",
            "the reason you need emergency access",
            &input.reason,
            1_000,
        );
        if !reason.is_empty() && reason.chars().count() < 10 {
            errs.add("reason", "Explain the reason in at least 10 characters");
        }
        let minutes = match input.minutes.trim().parse::<i64>() {
            Ok(m) if (15..=authz::BREAK_GLASS_MAX_MINUTES).contains(&m) => m,
            _ => {
                errs.add("minutes", "Select how long you need access for");
                0
            }
        };
        errs.into_result()?;
        let mut tx = self.db.begin_write().await?;
        if repo::get_with_facts(&mut tx, &ctx.me.actor, id, now)
            .await?
            .is_none()
        {
            return Err(AppError::NotFound);
        }
        let b = BreakGlass {
            id: BreakGlassId::new(),
            user_id: ctx.me.user.id,
            user_name: ctx.me.user.name.clone(),
            child_id: id,
            reason: reason.clone(),
            granted_at: now,
            expires_at: now + TimeDelta::minutes(minutes),
            reviewed_at: None,
        };
        records::insert_break_glass(&mut tx, &b).await?;
        let ev = ctx.event(
            "child.break_glass",
            "child",
            Some(b.id.0),
            Some(id.0),
            Outcome::Allow,
            Some(reason),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        tracing::warn!(child.id = %id, user.id = %ctx.me.user.id, minutes, "break-glass access granted; privacy officer alerted");
        Ok(())
    }

    /// Create a child's record. A social worker who creates one is allocated to it.
    pub async fn create_child(&self, ctx: &Ctx, input: &NewChildInput) -> AppResult<ChildId> {
        self.check_service(ctx, ServiceAction::CreateChild).await?;
        let now = self.now();
        let today = calendar::london_date(now);
        let mut errs = FieldErrors::new();
        let first = validate::required_text(
            &mut errs,
            "first_name",
            "the child's first name",
            &input.first_name,
            100,
        );
        let last = validate::required_text(
            &mut errs,
            "last_name",
            "the child's last name",
            &input.last_name,
            100,
        );
        let dob = validate::date_parts(
            &mut errs,
            "dob_day",
            "date of birth",
            &input.dob_day,
            &input.dob_month,
            &input.dob_year,
        );
        if let Some(d) = dob {
            if d > today {
                errs.add("dob_day", "Date of birth must be today or in the past");
            } else if harbour_domain::rules::age_on(d, today) > 25 {
                errs.add("dob_day", "Date of birth must be within the last 25 years");
            }
        }
        let sex = Sex::parse(&input.sex);
        if sex.is_none() {
            errs.add("sex", "Select the child's sex");
        }
        if codes::ethnicity_label(&input.ethnicity).is_none() {
            errs.add(
                "ethnicity",
                "Select the child's ethnicity, or 'Information not yet obtained'",
            );
        }
        let upn = validate::optional_text(&mut errs, "upn", "UPN", &input.upn.to_uppercase(), 13);
        if upn.as_deref().is_some_and(|u| !validate::upn_is_valid(u)) {
            errs.add("upn", "Enter a valid 13-character UPN, or leave it blank");
        }
        let nhs: Option<String> = Some(
            input
                .nhs_number
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
        )
        .filter(|s| !s.is_empty());
        if nhs
            .as_deref()
            .is_some_and(|n| !validate::nhs_number_is_valid(n))
        {
            errs.add(
                "nhs_number",
                "Enter a valid 10-digit NHS number, or leave it blank",
            );
        }
        let responsible = if input.responsible_la.trim().is_empty() {
            self.config.home_la.clone()
        } else {
            input.responsible_la.trim().to_string()
        };
        if !la_codes::is_la_code(&responsible) {
            errs.add("responsible_la", "Select the responsible local authority");
        }
        let host = Some(input.host_la.trim().to_string()).filter(|s| !s.is_empty());
        if host.as_deref().is_some_and(|h| !la_codes::is_la_code(h)) {
            errs.add(
                "host_la",
                "Select the host local authority, or leave it blank",
            );
        }
        let legal = match input.legal_status.trim() {
            "" => None,
            s => match LegalStatusKind::parse(s) {
                Some(k) => Some(k),
                None => {
                    errs.add("legal_status", "Select a legal status");
                    None
                }
            },
        };
        let school = validate::optional_text(&mut errs, "school", "school", &input.school, 200);
        errs.into_result()?;
        let mut tx = self.db.begin_write().await?;
        for la in [Some(&responsible), host.as_ref()].into_iter().flatten() {
            org::upsert_authority(
                &mut tx,
                &Authority {
                    la_code: la.clone(),
                    name: la_codes::la_name(la).unwrap_or(la).to_string(),
                },
            )
            .await?;
        }
        let n = repo::count(&mut tx).await?;
        let mut la_child_id = format!("HB{:07}", n + 1);
        let mut k = n + 1;
        while repo::la_child_id_taken(&mut tx, &la_child_id).await? {
            k += 1;
            la_child_id = format!("HB{k:07}");
        }
        let child = Child {
            id: ChildId::new(),
            la_child_id,
            first_name: first,
            last_name: last,
            dob: dob.ok_or(AppError::NotFound)?,
            sex: sex.unwrap_or(Sex::U),
            ethnicity: input.ethnicity.clone(),
            upn,
            nhs_number: nhs,
            responsible_la: responsible,
            host_la: host,
            school,
            restricted: yes(&input.restricted),
            created_at: now,
        };
        repo::insert(&mut tx, &child, Some(ctx.me.user.id)).await?;
        repo::replace_name_keys(
            &mut tx,
            child.id,
            &search::name_keys(&[&child.first_name, &child.last_name]),
        )
        .await?;
        let ok = authz::system_import(child.id);
        if let Some(status) = legal {
            records::insert_legal_status(
                &mut tx,
                &ok,
                &LegalStatusPeriod {
                    id: LegalStatusId::new(),
                    child_id: child.id,
                    status,
                    start_date: today,
                    end_date: None,
                    recorded_at: now,
                },
            )
            .await?;
        }
        if ctx.me.user.role == Role::SocialWorker {
            records::insert_allocation(
                &mut tx,
                &ok,
                &Allocation {
                    id: AllocationId::new(),
                    child_id: child.id,
                    worker_id: ctx.me.user.id,
                    worker_name: ctx.me.user.name.clone(),
                    team_id: ctx.me.user.team_id,
                    start_date: today,
                    end_date: None,
                    sw_reason: "FCONTA".into(),
                    recorded_by: ctx.me.user.id,
                    recorded_at: now,
                },
            )
            .await?;
        }
        let ev = ctx.event(
            "child.create",
            "child",
            Some(child.id.0),
            Some(child.id.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(child.id)
    }
}

/// A service-level refusal still to be audited.
struct AuditedDenial(ServiceAction);

impl App {
    /// Refuse (and audit) a break-glass request from a role that may never make one.
    async fn require_break_glass_role(&self, ctx: &Ctx, id: ChildId) -> AppResult<()> {
        if authz::may_break_glass(&ctx.me.actor) {
            return Ok(());
        }
        let ev = ctx.event(
            "child.break_glass",
            "child",
            Some(id.0),
            Some(id.0),
            Outcome::Deny,
            Some("role".into()),
        );
        Err(self.deny(ev, None).await)
    }

    /// The child a break-glass request is about (for the form's heading). Only
    /// roles that may break glass get an answer; the look is audited.
    pub async fn break_glass_target(&self, ctx: &Ctx, id: ChildId) -> AppResult<Child> {
        self.require_break_glass_role(ctx, id).await?;
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let c = repo::get_with_facts(&mut tx, &ctx.me.actor, id, now)
            .await?
            .ok_or(AppError::NotFound)?;
        let ev = ctx.event(
            "child.break_glass_form",
            "child",
            Some(id.0),
            Some(id.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(c.child)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chronology_orders_and_labels() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let child = Child {
            id: ChildId::new(),
            la_child_id: "X".into(),
            first_name: "A".into(),
            last_name: "B".into(),
            dob: d("2010-01-01"),
            sex: Sex::F,
            ethnicity: "WBRI".into(),
            upn: None,
            nhs_number: None,
            responsible_la: "861".into(),
            host_la: None,
            school: None,
            restricted: false,
            created_at: t("2026-01-01T00:00:00Z"),
        };
        let mut r = ChildRecord {
            child: child.clone(),
            aliases: vec![],
            worker_name: None,
            team_name: None,
            alerts: vec![],
            full: true,
            via_break_glass: false,
            legal_statuses: vec![LegalStatusPeriod {
                id: LegalStatusId::new(),
                child_id: child.id,
                status: LegalStatusKind::Cla,
                start_date: d("2025-03-01"),
                end_date: None,
                recorded_at: t("2025-03-01T10:00:00Z"),
            }],
            placements: vec![],
            addresses: vec![],
            relationships: vec![],
            allocations: vec![],
            notes: vec![CaseNote {
                id: NoteId::new(),
                child_id: child.id,
                author_id: UserId::new(),
                author_name: "Sam".into(),
                kind: NoteKind::Visit,
                occurred_at: t("2025-06-01T09:00:00Z"),
                recorded_at: t("2025-06-02T09:00:00Z"),
                subject: "Home visit".into(),
                body: "x".into(),
                significant: true,
            }],
            decisions: vec![],
            chronology: vec![],
            shares: vec![],
            missing: vec![],
            missing_now: None,
            missing_flags: vec![],
            missing_checks: vec![],
            interviews: vec![],
            grades: vec![],
            finding_shares: vec![],
            notifications: vec![],
            named: vec![],
            philomena: None,
            supervision: vec![],
            supervision_actions: vec![],
            court_work: None,
            oversight: vec![],
            exploitation: Default::default(),
            assessment_factors: Vec::new(),
            panel_referrals: vec![],
            panel: vec![],
            panel_actions: vec![],
            disclosures: vec![],
            schools: Default::default(),
            edt: Default::default(),
            can: Permissions::default(),
        };
        r.chronology = build_chronology(&r);
        let summaries: Vec<&str> = r.chronology.iter().map(|e| e.summary.as_str()).collect();
        assert_eq!(
            summaries,
            vec!["Visit (child seen): Home visit", "Looked after started"]
        );
    }

    #[test]
    fn event_times_are_london_wall_clock_and_not_future() {
        let now: DateTime<Utc> = "2026-07-01T12:00:00Z".parse().unwrap();
        let mut e = FieldErrors::new();
        // 1 July is BST: 10:30 London is 09:30 UTC.
        let at = event_time(
            &mut e,
            now,
            "1",
            "7",
            "2026",
            "10:30",
            "the date it happened",
        )
        .unwrap();
        assert_eq!(at, "2026-07-01T09:30:00Z".parse::<DateTime<Utc>>().unwrap());
        let mut e = FieldErrors::new();
        assert!(
            event_time(
                &mut e,
                now,
                "2",
                "7",
                "2026",
                "10:30",
                "the date it happened"
            )
            .is_none()
        );
        assert_eq!(
            e.get("day"),
            Some("The date it happened must be in the past")
        );
        let mut e = FieldErrors::new();
        assert!(event_time(&mut e, now, "1", "7", "2026", "", "the date it happened").is_none());
        assert_eq!(e.get("time"), Some("Enter a time, for example 14:30"));
    }
}
