//! Records management and subject access, for the privacy officer (issue 9
//! §5): the retention report and review decisions; subject access requests
//! logged, the child's whole record assembled item by item through the
//! ordinary loaders ([`App::load_record`]), third-party information flagged
//! for a release / redact / withhold decision, and the response exported as
//! JSON and a printable document once every flagged item is decided.
//! Everything is audited; the assembly is audited as a read of the whole
//! record.

use crate::children::ChildRecord;
use crate::{App, AppError, AppResult, Ctx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_db::children as child_repo;
use harbour_db::privacy::{
    self as repo, RetentionDecision, SubjectAccessItem, SubjectAccessRequest,
};
use harbour_domain::audit::Outcome;
use harbour_domain::authz::{self, ChildAction, ServiceAction};
use harbour_domain::calendar;
use harbour_domain::ids::*;
use harbour_domain::retention::*;
use harbour_domain::validate::{FieldErrors, date_parts};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// One child in the retention report.
#[derive(Clone, Debug)]
pub struct RetentionEntry {
    /// Child.
    pub child_id: ChildId,
    /// LAchildID.
    pub la_child_id: String,
    /// Name.
    pub name: String,
    /// Date of birth.
    pub dob: NaiveDate,
    /// The rule's result.
    pub retention: Retention,
    /// Where the review stands.
    pub status: ReviewStatus,
    /// The latest review decision.
    pub latest: Option<RetentionDecision>,
}

/// The retention report.
#[derive(Clone, Debug)]
pub struct RetentionReport {
    /// Today (London).
    pub today: NaiveDate,
    /// The settings used.
    pub config: RetentionConfig,
    /// Records due for review or decided, soonest retain-until first.
    pub rows: Vec<RetentionEntry>,
}

/// A review decision as typed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RetentionDecisionInput {
    /// `keep` or `destroy`.
    #[serde(default)]
    pub decision: String,
    /// `HoldReason` machine name (keep).
    #[serde(default)]
    pub hold_reason: String,
    /// Kept until: day.
    #[serde(default)]
    pub until_day: String,
    /// Month.
    #[serde(default)]
    pub until_month: String,
    /// Year.
    #[serde(default)]
    pub until_year: String,
    /// Why.
    #[serde(default)]
    pub note: String,
}

/// A subject access request as typed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SarInput {
    /// The child's LA child ID.
    #[serde(default)]
    pub la_child_id: String,
    /// Who asked.
    #[serde(default)]
    pub requester: String,
    /// Their relationship to the child.
    #[serde(default)]
    pub relationship: String,
    /// Received: day.
    #[serde(default)]
    pub day: String,
    /// Month.
    #[serde(default)]
    pub month: String,
    /// Year.
    #[serde(default)]
    pub year: String,
    /// `yes` when identity (and authority to act) was checked.
    #[serde(default)]
    pub identity_checked: String,
    /// `yes` for a complex request (two more months).
    #[serde(default)]
    pub extended: String,
    /// Why it is complex.
    #[serde(default)]
    pub extension_reason: String,
}

/// A reviewer's decision on an item as typed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ItemInput {
    /// `ItemDecision` machine name.
    #[serde(default)]
    pub decision: String,
    /// `Exemption` machine name.
    #[serde(default)]
    pub exemption: String,
    /// The redacted copy.
    #[serde(default)]
    pub redacted: String,
}

/// An item with its decision parsed.
#[derive(Clone, Debug)]
pub struct ItemView {
    /// As stored.
    pub item: SubjectAccessItem,
    /// The decision.
    pub decision: Option<ItemDecision>,
    /// The exemption.
    pub exemption: Option<Exemption>,
}

impl ItemView {
    fn new(item: SubjectAccessItem) -> Self {
        Self {
            decision: item.decision.as_deref().and_then(ItemDecision::parse),
            exemption: item.exemption.as_deref().and_then(Exemption::parse),
            item,
        }
    }
    /// Names another person, so needs a decision.
    pub fn flagged(&self) -> bool {
        !self.item.names.is_empty()
    }
    /// Flagged and not yet decided.
    pub fn undecided(&self) -> bool {
        self.flagged() && self.decision.is_none()
    }
}

/// A request with its items.
#[derive(Clone, Debug)]
pub struct SarView {
    /// The request.
    pub request: SubjectAccessRequest,
    /// Its items, in order (empty until assembled).
    pub items: Vec<ItemView>,
}

impl SarView {
    /// Items needing a decision.
    pub fn flagged(&self) -> usize {
        self.items.iter().filter(|i| i.flagged()).count()
    }
    /// Flagged items still undecided.
    pub fn undecided(&self) -> usize {
        self.items.iter().filter(|i| i.undecided()).count()
    }
    /// Ready to export.
    pub fn ready(&self) -> bool {
        self.request.assembled_at.is_some() && self.undecided() == 0
    }
}

/// One item of the released response.
#[derive(Clone, Debug, Serialize)]
pub struct BundleItem {
    /// Section.
    pub section: String,
    /// Title.
    pub title: String,
    /// The released text (the redacted copy where redacted); absent when withheld.
    pub text: Option<String>,
    /// `release`, `redact` or `withhold` (`release` for items naming nobody else).
    pub decision: String,
    /// The exemption relied on, with its source.
    pub exemption: Option<String>,
}

/// The response to a subject access request, redactions applied.
#[derive(Clone, Debug, Serialize)]
pub struct SarBundle {
    /// Request id.
    pub request_id: Uuid,
    /// The child.
    pub child_name: String,
    /// LAchildID.
    pub la_child_id: String,
    /// Who asked.
    pub requester: String,
    /// Their relationship.
    pub relationship: String,
    /// Received.
    pub received_on: NaiveDate,
    /// Due.
    pub due_on: NaiveDate,
    /// Extended as complex, and why.
    pub extension_reason: Option<String>,
    /// When this copy was produced.
    pub produced_at: DateTime<Utc>,
    /// Items, in order.
    pub items: Vec<BundleItem>,
    /// Items released with redactions.
    pub redacted: usize,
    /// Items withheld.
    pub withheld: usize,
}

/// A piece of the record before storage.
struct Draft {
    section: &'static str,
    title: String,
    text: String,
    always: Option<&'static str>,
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36 && Uuid::parse_str(s).is_ok()
}

fn scalar(v: &serde_json::Value) -> String {
    use serde_json::Value as V;
    match v {
        V::Null => String::new(),
        V::Bool(b) => if *b { "Yes" } else { "No" }.into(),
        V::Number(n) => n.to_string(),
        V::String(s) => match s.parse::<DateTime<Utc>>() {
            Ok(t) => {
                let l = calendar::to_london(t);
                format!("{} {}", calendar::format_date(l.date()), l.format("%H:%M"))
            }
            Err(_) => match s.parse::<NaiveDate>() {
                Ok(d) => calendar::format_date(d),
                Err(_) => s.clone(),
            },
        },
        V::Array(a) => a
            .iter()
            .map(scalar)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        V::Object(_) => flatten(v).replace('\n', ", "),
    }
}

/// "Field: value" lines of a serialised record entry, leaving out internal
/// identifiers and empty fields.
fn flatten(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => m
            .iter()
            .filter(|(k, _)| k.as_str() != "id" && !k.ends_with("_id"))
            .filter(|(_, v)| !v.as_str().is_some_and(is_uuid))
            .map(|(k, v)| (k, scalar(v)))
            .filter(|(_, s)| !s.is_empty())
            .map(|(k, s)| {
                let mut label = k.replace('_', " ");
                if let Some(f) = label.get_mut(0..1) {
                    f.make_ascii_uppercase();
                }
                format!("{label}: {s}")
            })
            .collect::<Vec<_>>()
            .join("\n"),
        other => scalar(other),
    }
}

const DATE_KEYS: [&str; 10] = [
    "occurred_at",
    "decided_at",
    "last_seen_at",
    "received_at",
    "held_at",
    "referred_at",
    "start_date",
    "named_at",
    "recorded_at",
    "created_at",
];

fn drafts_of<T: Serialize>(
    out: &mut Vec<Draft>,
    section: &'static str,
    label: &str,
    items: &[T],
    always: Option<&'static str>,
) {
    for it in items {
        let v = serde_json::to_value(it).unwrap_or_default();
        let when = DATE_KEYS
            .iter()
            .find_map(|k| v.get(*k).map(scalar).filter(|s| !s.is_empty()));
        out.push(Draft {
            section,
            title: match when {
                Some(w) => format!("{label}, {w}"),
                None => label.to_string(),
            },
            text: flatten(&v),
            always,
        });
    }
}

/// The record, item by item, and the names of other people it holds.
fn record_drafts(
    r: &ChildRecord,
    contexts: &[(
        harbour_domain::contexts::ContextLink,
        harbour_domain::contexts::ContextEntity,
    )],
) -> (Vec<Draft>, Vec<String>) {
    let c = &r.child;
    let mut out = vec![Draft {
        section: "Details",
        title: "Personal details".into(),
        text: [
            format!("Name: {}", c.full_name()),
            format!("Date of birth: {}", calendar::format_date(c.dob)),
            format!("LA child ID: {}", c.la_child_id),
            format!("Sex: {}", c.sex.as_str()),
            format!("Ethnicity: {}", c.ethnicity),
            c.upn
                .as_ref()
                .map(|u| format!("UPN: {u}"))
                .unwrap_or_default(),
            c.nhs_number
                .as_ref()
                .map(|u| format!("NHS number: {u}"))
                .unwrap_or_default(),
            c.school
                .as_ref()
                .map(|u| format!("School: {u}"))
                .unwrap_or_default(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n"),
        always: None,
    }];
    drafts_of(&mut out, "Details", "Other name", &r.aliases, None);
    drafts_of(&mut out, "Details", "Address", &r.addresses, None);
    drafts_of(&mut out, "Details", "Alert", &r.alerts, None);
    drafts_of(
        &mut out,
        "Legal status",
        "Legal status",
        &r.legal_statuses,
        None,
    );
    drafts_of(
        &mut out,
        "Placements",
        "Placement",
        &r.placements,
        Some("Carer's details"),
    );
    drafts_of(
        &mut out,
        "People",
        "Person",
        &r.relationships,
        Some("Another person's details"),
    );
    drafts_of(&mut out, "Allocations", "Allocation", &r.allocations, None);
    drafts_of(&mut out, "Notes", "Note", &r.notes, None);
    drafts_of(&mut out, "Decisions", "Decision", &r.decisions, None);
    drafts_of(&mut out, "Shares", "Shared with", &r.shares, None);
    drafts_of(&mut out, "Missing", "Missing episode", &r.missing, None);
    drafts_of(
        &mut out,
        "Return interviews",
        "Return home interview",
        &r.interviews,
        None,
    );
    drafts_of(
        &mut out,
        "Return interviews",
        "Person or place named",
        &r.named,
        Some("Someone the child named"),
    );
    let (peers, no_peers): (Vec<_>, Vec<_>) = r
        .exploitation
        .screenings
        .iter()
        .cloned()
        .partition(|s| !s.peers.trim().is_empty());
    drafts_of(
        &mut out,
        "Screenings",
        "Exploitation screening",
        &peers,
        Some("Names peers"),
    );
    drafts_of(
        &mut out,
        "Screenings",
        "Exploitation screening",
        &no_peers,
        None,
    );
    for (link, entity) in contexts {
        let police =
            harbour_domain::contexts::is_police_intelligence(entity.source, Some(link.source));
        let mut v = serde_json::to_value(entity).unwrap_or_default();
        if let (Some(m), Ok(serde_json::Value::Object(l))) =
            (v.as_object_mut(), serde_json::to_value(link))
        {
            for (k, x) in l {
                m.entry(format!("link_{k}")).or_insert(x);
            }
        }
        out.push(Draft {
            section: "Contexts",
            title: format!("Linked: {}", entity.name),
            text: flatten(&v),
            always: Some(if police {
                "Police intelligence"
            } else {
                "A person or place of concern"
            }),
        });
    }
    drafts_of(
        &mut out,
        "Supervision",
        "Case discussion in supervision",
        &r.supervision,
        None,
    );
    drafts_of(
        &mut out,
        "Supervision",
        "Management oversight",
        &r.oversight,
        None,
    );
    drafts_of(
        &mut out,
        "Panel",
        "Panel referral",
        &r.panel_referrals,
        None,
    );
    drafts_of(&mut out, "Panel", "Panel discussion", &r.panel, None);
    drafts_of(&mut out, "Panel", "Panel action", &r.panel_actions, None);
    drafts_of(
        &mut out,
        "Disclosures",
        "Information shared or refused",
        &r.disclosures,
        None,
    );
    drafts_of(
        &mut out,
        "Education",
        "Contact from school",
        &r.schools.contacts,
        None,
    );
    drafts_of(
        &mut out,
        "Education",
        "Children missing education case",
        &r.schools.cases,
        None,
    );
    drafts_of(
        &mut out,
        "Education",
        "Children missing education step",
        &r.schools.steps,
        None,
    );
    if let Some(p) = &r.edt.safety_plan {
        drafts_of(
            &mut out,
            "Out of hours",
            "Safety plan",
            std::slice::from_ref(p),
            None,
        );
    }
    drafts_of(
        &mut out,
        "Out of hours",
        "Alert for out of hours",
        &r.edt.alerts,
        None,
    );
    drafts_of(
        &mut out,
        "Out of hours",
        "Out-of-hours contact",
        &r.edt.contacts,
        Some("Caller's details"),
    );
    drafts_of(
        &mut out,
        "Out of hours",
        "Placement support",
        &r.edt.support,
        None,
    );

    // Other people the record names: relatives and others around the child,
    // carers, people the child named, persons of concern.
    let mut names: Vec<String> = Vec::new();
    names.extend(r.relationships.iter().map(|x| x.name.clone()));
    names.extend(r.placements.iter().map(|x| x.carer_name.clone()));
    names.extend(
        r.named
            .iter()
            .filter(|n| n.kind == "person")
            .map(|n| n.name.clone()),
    );
    names.extend(
        contexts
            .iter()
            .filter(|(_, e)| e.kind == harbour_domain::contexts::EntityKind::Person)
            .map(|(_, e)| e.name.clone()),
    );
    names.sort();
    names.dedup();
    (out, names)
}

fn parse_id(s: &str) -> AppResult<Uuid> {
    Uuid::parse_str(s).map_err(|_| AppError::NotFound)
}

impl App {
    fn retention_entry(
        &self,
        row: repo::RetentionRow,
        latest: Option<RetentionDecision>,
        today: NaiveDate,
    ) -> RetentionEntry {
        let last = [
            Some(calendar::london_date(row.created_at)),
            row.last_note.map(calendar::london_date),
            row.last_status_end,
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(today);
        let facts = RetentionFacts {
            dob: row.dob,
            died: None,
            looked_after: row.looked_after,
            adoption: row.adoption,
            open_beyond_contact: row.open_beyond_contact,
            last_activity: last,
        };
        let retention = retention(&facts, &self.config.retention);
        let outcome = latest.as_ref().and_then(outcome_of);
        RetentionEntry {
            status: review_status(&retention, outcome.as_ref(), today),
            child_id: ChildId(row.child_id),
            la_child_id: row.la_child_id,
            name: format!("{} {}", row.first_name, row.last_name),
            dob: row.dob,
            retention,
            latest,
        }
    }

    /// The retention report: every record due for review or already
    /// decided. `export` marks a CSV download (audited as such).
    pub async fn retention_report(&self, ctx: &Ctx, export: bool) -> AppResult<RetentionReport> {
        self.check_service(ctx, ServiceAction::RetentionReview)
            .await?;
        let today = calendar::london_date(self.now());
        let mut tx = self.db.begin_write().await?;
        let mut latest: HashMap<Uuid, RetentionDecision> = HashMap::new();
        for d in repo::decisions(&mut tx).await? {
            latest.insert(d.child_id, d);
        }
        let mut rows: Vec<RetentionEntry> = repo::retention_facts(&mut tx)
            .await?
            .into_iter()
            .map(|r| {
                let l = latest.remove(&r.child_id);
                self.retention_entry(r, l, today)
            })
            .filter(|e| e.status.listed())
            .collect();
        rows.sort_by(|a, b| {
            (a.retention.retain_until, &a.name).cmp(&(b.retention.retain_until, &b.name))
        });
        let ev = ctx.event(
            if export {
                "retention.export"
            } else {
                "retention.view"
            },
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!("{} records listed", rows.len())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(RetentionReport {
            today,
            config: self.config.retention.clone(),
            rows,
        })
    }

    async fn retention_of(
        &self,
        tx: &mut harbour_db::Tx,
        child: ChildId,
        today: NaiveDate,
    ) -> AppResult<RetentionEntry> {
        let Some(row) = repo::retention_facts_of(tx, child).await? else {
            return Err(AppError::NotFound);
        };
        let latest = repo::decisions(tx)
            .await?
            .into_iter()
            .rfind(|d| d.child_id == child.0);
        Ok(self.retention_entry(row, latest, today))
    }

    /// One child's retention, for the decision form (audited).
    pub async fn retention_for_child(&self, ctx: &Ctx, child: &str) -> AppResult<RetentionEntry> {
        self.check_service(ctx, ServiceAction::RetentionReview)
            .await?;
        let child = ChildId(parse_id(child)?);
        let today = calendar::london_date(self.now());
        let mut tx = self.db.begin_write().await?;
        let e = self.retention_of(&mut tx, child, today).await?;
        let ev = ctx.event(
            "retention.form",
            "child",
            Some(child.0),
            Some(child.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(e)
    }

    /// Record a retention review decision (keep with a reason and date, or
    /// approve for destruction). Checked by [`check_review`]; audited as
    /// `retention.decide`.
    pub async fn record_retention_decision(
        &self,
        ctx: &Ctx,
        child: &str,
        input: &RetentionDecisionInput,
    ) -> AppResult<()> {
        self.check_service(ctx, ServiceAction::RetentionReview)
            .await?;
        let child = ChildId(parse_id(child)?);
        let now = self.now();
        let today = calendar::london_date(now);
        let mut tx = self.db.begin_write().await?;
        let e = self.retention_of(&mut tx, child, today).await?;
        let mut errs = FieldErrors::new();
        let outcome = match input.decision.as_str() {
            "keep" => {
                let hold = HoldReason::parse(&input.hold_reason);
                if hold.is_none() {
                    errs.add("hold_reason", "Choose why the record is kept");
                }
                let until = date_parts(
                    &mut errs,
                    "until_day",
                    "the date to keep it until",
                    &input.until_day,
                    &input.until_month,
                    &input.until_year,
                );
                match (hold, until) {
                    (Some(hold), Some(until)) => Some(ReviewOutcome::Keep { until, hold }),
                    _ => None,
                }
            }
            "destroy" => Some(ReviewOutcome::Destroy),
            _ => {
                errs.add("decision", "Choose keep or approve for destruction");
                None
            }
        };
        if let Some(o) = &outcome {
            for (f, m) in check_review(&e.retention, o, &input.note, today) {
                errs.add(f, m);
            }
        } else if input.note.trim().is_empty() {
            errs.add("note", "Enter the reason for the decision");
        }
        let Some(outcome) = outcome.filter(|_| errs.is_empty()) else {
            return Err(AppError::Validation(errs));
        };
        let (keep_until, hold_reason) = match &outcome {
            ReviewOutcome::Keep { until, hold } => (Some(*until), Some(hold.as_str().to_string())),
            ReviewOutcome::Destroy => (None, None),
        };
        let d = RetentionDecision {
            id: Uuid::now_v7(),
            child_id: child.0,
            decision: outcome.as_str().into(),
            keep_until,
            hold_reason,
            note: input.note.trim().into(),
            category: e.retention.category.as_str().into(),
            retain_until: e.retention.retain_until,
            decided_by: ctx.me.user.id.0,
            decided_by_name: String::new(),
            decided_at: now,
        };
        repo::insert_decision(&mut tx, &d).await?;
        let ev = ctx.event(
            "retention.decide",
            "retention_decision",
            Some(d.id),
            Some(child.0),
            Outcome::Allow,
            Some(outcome.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Subject access requests, open first.
    pub async fn subject_access_requests(&self, ctx: &Ctx) -> AppResult<Vec<SubjectAccessRequest>> {
        self.check_service(ctx, ServiceAction::SubjectAccess)
            .await?;
        let mut tx = self.db.begin_write().await?;
        let v = repo::list_requests(&mut tx).await?;
        let ev = ctx.event(
            "subject_access.list",
            "service",
            None,
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Log a subject access request; the due date comes from [`sar_due`].
    pub async fn log_subject_access(&self, ctx: &Ctx, input: &SarInput) -> AppResult<Uuid> {
        self.check_service(ctx, ServiceAction::SubjectAccess)
            .await?;
        let now = self.now();
        let today = calendar::london_date(now);
        let mut tx = self.db.begin_write().await?;
        let mut errs = FieldErrors::new();
        let ident = input.la_child_id.trim().to_uppercase();
        let child = if ident.is_empty() {
            errs.add("la_child_id", "Enter the child's ID");
            None
        } else {
            let found = child_repo::search_by_identifier(&mut tx, &ctx.me.actor, now, &ident)
                .await?
                .into_iter()
                .find(|c| c.child.la_child_id.eq_ignore_ascii_case(&ident));
            if found.is_none() {
                errs.add("la_child_id", "No child has this ID");
            }
            found
        };
        if input.requester.trim().is_empty() {
            errs.add("requester", "Enter who made the request");
        }
        if input.relationship.trim().is_empty() {
            errs.add("relationship", "Enter their relationship to the child");
        }
        let received = date_parts(
            &mut errs,
            "day",
            "the date the request was received",
            &input.day,
            &input.month,
            &input.year,
        );
        if received.is_some_and(|r| r > today) {
            errs.add("day", "The date received must be today or in the past");
        }
        if input.identity_checked != "yes" {
            errs.add(
                "identity_checked",
                "Check the requester's identity and their right to act for the child before logging the request",
            );
        }
        let extended = input.extended == "yes";
        if extended && input.extension_reason.trim().is_empty() {
            errs.add("extension_reason", "Enter why the request is complex");
        }
        let (Some(child), Some(received), true) = (child, received, errs.is_empty()) else {
            return Err(AppError::Validation(errs));
        };
        let r = SubjectAccessRequest {
            id: Uuid::now_v7(),
            child_id: child.child.id.0,
            child_name: String::new(),
            la_child_id: String::new(),
            requester: input.requester.trim().into(),
            relationship: input.relationship.trim().into(),
            received_on: received,
            identity_checked: true,
            extended,
            extension_reason: extended.then(|| input.extension_reason.trim().to_string()),
            due_on: sar_due(received, extended),
            logged_by: ctx.me.user.id.0,
            logged_by_name: String::new(),
            logged_at: now,
            assembled_at: None,
            exported_at: None,
            exported_by: None,
        };
        repo::insert_request(&mut tx, &r).await?;
        let ev = ctx.event(
            "subject_access.log",
            "subject_access_request",
            Some(r.id),
            Some(r.child_id),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(r.id)
    }

    async fn load_sar(&self, tx: &mut harbour_db::Tx, id: &str) -> AppResult<SarView> {
        let id = parse_id(id)?;
        let Some(request) = repo::get_request(tx, id).await? else {
            return Err(AppError::NotFound);
        };
        let items = repo::items(tx, id)
            .await?
            .into_iter()
            .map(ItemView::new)
            .collect();
        Ok(SarView { request, items })
    }

    /// A request with its items (the assembled record: audited as a read).
    pub async fn subject_access(&self, ctx: &Ctx, id: &str) -> AppResult<SarView> {
        self.check_service(ctx, ServiceAction::SubjectAccess)
            .await?;
        let mut tx = self.db.begin_write().await?;
        let v = self.load_sar(&mut tx, id).await?;
        let ev = ctx.event(
            "subject_access.open",
            "subject_access_request",
            Some(v.request.id),
            Some(v.request.child_id),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Assemble the child's whole record for a request, once: read through
    /// the ordinary record loader with the privacy officer's subject access
    /// permission, split into items, and flag each item naming someone else.
    /// Audited as `subject_access.assemble`, a read of the whole record.
    pub async fn assemble_subject_access(&self, ctx: &Ctx, id: &str) -> AppResult<Uuid> {
        self.check_service(ctx, ServiceAction::SubjectAccess)
            .await?;
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let v = self.load_sar(&mut tx, id).await?;
        let rid = v.request.id;
        if v.request.assembled_at.is_some() {
            return Err(AppError::Conflict(
                "This request's record has already been assembled.".into(),
            ));
        }
        let cid = ChildId(v.request.child_id);
        let ok = authz::decide_subject_access(&ctx.me.actor, cid)
            .map_err(|d| AppError::Forbidden(Some(d)))?;
        let Some(c) = child_repo::get_with_facts(&mut tx, &ctx.me.actor, cid, now).await? else {
            return Err(AppError::NotFound);
        };
        let (mut tx, record) = self
            .load_record(tx, ctx, c, ok, ChildAction::ViewRecord, now)
            .await?;
        let mut contexts = Vec::new();
        for link in harbour_db::contexts::links_for_child(&mut tx, &ok).await? {
            if let Some(e) = harbour_db::contexts::get_entity(&mut tx, link.entity_id).await? {
                contexts.push((link, e));
            }
        }
        let (drafts, names) = record_drafts(&record, &contexts);
        let mut flagged = 0;
        for (i, d) in drafts.iter().enumerate() {
            let mentioned = names_mentioned(&d.text, &names);
            let why = match (d.always, mentioned.is_empty()) {
                (_, false) => mentioned.join("; "),
                (Some(w), true) => w.to_string(),
                (None, true) => String::new(),
            };
            if !why.is_empty() {
                flagged += 1;
            }
            repo::insert_item(
                &mut tx,
                &SubjectAccessItem {
                    request_id: rid,
                    position: i as i64 + 1,
                    section: d.section.into(),
                    title: d.title.clone(),
                    original: d.text.clone(),
                    names: why,
                    decision: None,
                    redacted: None,
                    exemption: None,
                    decided_by: None,
                    decided_at: None,
                },
            )
            .await?;
        }
        repo::mark_assembled(&mut tx, rid, now).await?;
        let ev = ctx.event(
            "subject_access.assemble",
            "subject_access_request",
            Some(rid),
            Some(cid.0),
            Outcome::Allow,
            Some(format!(
                "whole record read: {} items, {flagged} naming others",
                drafts.len()
            )),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(rid)
    }

    /// One item, for the review form (audited as a read of the record).
    pub async fn subject_access_item(
        &self,
        ctx: &Ctx,
        id: &str,
        position: i64,
    ) -> AppResult<(SubjectAccessRequest, ItemView)> {
        self.check_service(ctx, ServiceAction::SubjectAccess)
            .await?;
        let mut tx = self.db.begin_write().await?;
        let v = self.load_sar(&mut tx, id).await?;
        let Some(item) = v.items.into_iter().find(|i| i.item.position == position) else {
            return Err(AppError::NotFound);
        };
        let ev = ctx.event(
            "subject_access.item",
            "subject_access_request",
            Some(v.request.id),
            Some(v.request.child_id),
            Outcome::Allow,
            Some(format!("item {position}")),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok((v.request, item))
    }

    /// Decide an item: release, redact (with the redacted copy) or withhold,
    /// with the exemption relied on. Checked by [`check_item_decision`];
    /// refused once the response has been exported. Audited.
    pub async fn decide_subject_access_item(
        &self,
        ctx: &Ctx,
        id: &str,
        position: i64,
        input: &ItemInput,
    ) -> AppResult<()> {
        self.check_service(ctx, ServiceAction::SubjectAccess)
            .await?;
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let v = self.load_sar(&mut tx, id).await?;
        if v.request.exported_at.is_some() {
            return Err(AppError::Conflict(
                "The response has been sent: its decisions cannot change.".into(),
            ));
        }
        let Some(item) = v.items.iter().find(|i| i.item.position == position) else {
            return Err(AppError::NotFound);
        };
        let decision = ItemDecision::parse(&input.decision);
        let exemption = Exemption::parse(&input.exemption);
        let mut errs = FieldErrors::new();
        for (f, m) in check_item_decision(decision, exemption, &item.item.original, &input.redacted)
        {
            errs.add(f, m);
        }
        let Some(decision) = decision.filter(|_| errs.is_empty()) else {
            return Err(AppError::Validation(errs));
        };
        let redacted_text = harbour_domain::retention::normalise_lines(&input.redacted);
        let redacted = (decision == ItemDecision::Redact).then(|| redacted_text.trim());
        repo::decide_item(
            &mut tx,
            v.request.id,
            position,
            decision.as_str(),
            redacted,
            exemption.map(|e| e.as_str()),
            ctx.me.user.id,
            now,
        )
        .await?;
        let ev = ctx.event(
            "subject_access.decide",
            "subject_access_request",
            Some(v.request.id),
            Some(v.request.child_id),
            Outcome::Allow,
            Some(format!(
                "item {position}: {}{}",
                decision.as_str(),
                exemption
                    .map(|e| format!(" ({})", e.as_str()))
                    .unwrap_or_default()
            )),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The response with the redactions applied, once every flagged item is
    /// decided (a conflict before). The first export is recorded on the
    /// request; every export is audited as `subject_access.export`.
    pub async fn export_subject_access(
        &self,
        ctx: &Ctx,
        id: &str,
        format: &str,
    ) -> AppResult<SarBundle> {
        self.check_service(ctx, ServiceAction::SubjectAccess)
            .await?;
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let v = self.load_sar(&mut tx, id).await?;
        if v.request.assembled_at.is_none() {
            return Err(AppError::Conflict("Assemble the record first.".into()));
        }
        if v.undecided() > 0 {
            return Err(AppError::Conflict(format!(
                "{} items naming other people still need a decision.",
                v.undecided()
            )));
        }
        let items: Vec<BundleItem> = v
            .items
            .iter()
            .map(|i| {
                let decision = if i.flagged() {
                    i.decision
                } else {
                    Some(ItemDecision::Release)
                };
                BundleItem {
                    section: i.item.section.clone(),
                    title: i.item.title.clone(),
                    text: released_text(
                        decision,
                        &i.item.original,
                        i.item.redacted.as_deref().unwrap_or(""),
                    )
                    .map(str::to_string),
                    decision: decision.map(|d| d.as_str()).unwrap_or("withhold").into(),
                    exemption: i.exemption.map(|e| e.label().to_string()),
                }
            })
            .collect();
        repo::mark_exported(&mut tx, v.request.id, now, ctx.me.user.id).await?;
        let ev = ctx.event(
            "subject_access.export",
            "subject_access_request",
            Some(v.request.id),
            Some(v.request.child_id),
            Outcome::Allow,
            Some(format.to_string()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        let r = v.request;
        Ok(SarBundle {
            request_id: r.id,
            child_name: r.child_name,
            la_child_id: r.la_child_id,
            requester: r.requester,
            relationship: r.relationship,
            received_on: r.received_on,
            due_on: r.due_on,
            extension_reason: r.extension_reason,
            produced_at: now,
            redacted: items.iter().filter(|i| i.decision == "redact").count(),
            withheld: items.iter().filter(|i| i.decision == "withhold").count(),
            items,
        })
    }
}

fn outcome_of(d: &RetentionDecision) -> Option<ReviewOutcome> {
    match d.decision.as_str() {
        "destroy" => Some(ReviewOutcome::Destroy),
        "keep" => Some(ReviewOutcome::Keep {
            until: d.keep_until?,
            hold: HoldReason::parse(d.hold_reason.as_deref()?)?,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattening_leaves_out_ids_and_empty_fields() {
        let v = serde_json::json!({
            "id": "0190f0c8-1234-7abc-8def-0123456789ab",
            "child_id": "x",
            "subject": "Home visit",
            "body": "Seen with Dean",
            "significant": true,
            "empty": "",
            "none": null,
            "occurred_at": "2026-03-02T10:00:00Z",
        });
        let s = flatten(&v);
        assert!(s.contains("Subject: Home visit"), "{s}");
        assert!(s.contains("Significant: Yes"), "{s}");
        assert!(s.contains("Occurred at: 2 March 2026 10:00"), "{s}");
        assert!(
            !s.contains("0190f0c8") && !s.contains("Child id") && !s.contains("Empty"),
            "{s}"
        );
    }
}
