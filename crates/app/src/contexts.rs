//! Contextual safeguarding (see `harbour_domain::contexts`): a child's
//! network, context records and their pages, hotspots, children who share a
//! context, and suggested links from overlapping missing episodes.
//!
//! Policy: working with contexts at all is `authz::decide_contexts`; a
//! child's network is part of the child's record (`ViewRecord`; linking also
//! needs `AddNote`); every child shown on a context page is decided on as
//! search does (shown if the viewer could open it, or could with
//! break-glass); police intelligence is shown only as
//! `authz::may_see_police_intelligence` allows, per child. Every read that
//! shows a child's links is audited with that child's id.

use crate::{App, AppError, AppResult, Ctx};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_db::children::{self as child_repo, ChildWithFacts};
use harbour_db::contexts::{self as repo, EpisodePlace, SuggestionDecision};
use harbour_db::{DbError, Tx, findings};
use harbour_domain::audit::Outcome;
use harbour_domain::authz::{
    ChildAction, ContextAction, decide_child, decide_contexts, may_see_police_intelligence,
};
use harbour_domain::calendar;
use harbour_domain::contexts::*;
use harbour_domain::ids::ChildId;
use harbour_domain::model::{Child, OrgKind};
use harbour_domain::validate::{FieldErrors, date_parts, optional_text, required_text};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use uuid::Uuid;

/// A link as shown: the link, its context and whether it is police intelligence.
#[derive(Clone, Debug)]
pub struct NetworkEntry {
    /// The link.
    pub link: ContextLink,
    /// The context.
    pub entity: ContextEntity,
    /// From the police (the link or the context's record).
    pub police: bool,
}

/// Another child linked to one of the same contexts.
#[derive(Clone, Debug)]
pub struct OtherChild {
    /// The child.
    pub child_id: ChildId,
    /// Their name.
    pub name: String,
    /// The contexts they share with this child, and their part in each.
    pub via: Vec<(Uuid, LinkRole)>,
}

/// A person or place the child named at a return interview.
#[derive(Clone, Debug)]
pub struct NamedRow {
    /// What was named.
    pub named: findings::Named,
    /// The context it is linked to, if it is.
    pub linked_to: Option<Uuid>,
}

/// A child's network.
#[derive(Clone, Debug)]
pub struct NetworkView {
    /// The child.
    pub child: Child,
    /// Links the viewer may see, oldest first.
    pub entries: Vec<NetworkEntry>,
    /// The contexts among them, each once, in first-link order.
    pub entities: Vec<ContextEntity>,
    /// Other children on the same contexts the viewer may know of.
    pub others: Vec<OtherChild>,
    /// People and places named at return interviews.
    pub named: Vec<NamedRow>,
    /// Whether the viewer may link contexts to this child.
    pub can_link: bool,
    /// Contexts matching a search, when one was made.
    pub results: Option<Vec<ContextEntity>>,
}

/// A child on a context's page.
#[derive(Clone, Debug)]
pub struct ContextChild {
    /// The child.
    pub child_id: ChildId,
    /// Name.
    pub name: String,
    /// The link.
    pub link: ContextLink,
    /// Police intelligence.
    pub police: bool,
}

/// A missing episode that ended at a location.
#[derive(Clone, Debug)]
pub struct EpisodeHere {
    /// The episode.
    pub episode_id: Uuid,
    /// The child.
    pub child_id: ChildId,
    /// Name.
    pub name: String,
    /// Last seen.
    pub last_seen_at: DateTime<Utc>,
    /// Found or returned.
    pub returned_at: Option<DateTime<Utc>>,
    /// Where, as recorded.
    pub found_where: String,
}

/// A context's page.
#[derive(Clone, Debug)]
pub struct ContextPage {
    /// The context.
    pub entity: ContextEntity,
    /// Its record is police intelligence.
    pub police: bool,
    /// Children linked to it (those the viewer may know of).
    pub children: Vec<ContextChild>,
    /// For a location: episodes that ended there.
    pub episodes: Vec<EpisodeHere>,
    /// The viewer may correct the record (`ContextAction::Link`).
    pub can_edit: bool,
}

/// A location by how often it comes up.
#[derive(Clone, Debug)]
pub struct Hotspot {
    /// The location.
    pub entity: ContextEntity,
    /// Children linked to it.
    pub children: usize,
    /// Missing episodes that ended there.
    pub episodes: usize,
}

/// A context two or more children share.
#[derive(Clone, Debug)]
pub struct SharedContext {
    /// The context.
    pub entity: ContextEntity,
    /// The children the viewer may know of, by name.
    pub children: Vec<(ChildId, String)>,
}

/// The contexts index.
#[derive(Clone, Debug)]
pub struct ContextIndex {
    /// Every context the viewer may see.
    pub entities: Vec<ContextEntity>,
    /// Locations with children or episodes, most first.
    pub hotspots: Vec<Hotspot>,
    /// Contexts shared by two or more children.
    pub shared: Vec<SharedContext>,
    /// Suggested links waiting for a decision.
    pub suggestions: usize,
}

/// A suggested link, as shown.
#[derive(Clone, Debug, Serialize)]
pub struct SuggestionView {
    /// The suggestion.
    pub s: Suggestion,
    /// The first child's name.
    pub name_a: String,
    /// The second child's name.
    pub name_b: String,
    /// The place, as recorded on the first episode.
    pub place_text: String,
    /// Whether the viewer may confirm or dismiss it (may add to both records).
    pub can_decide: bool,
}

/// The form to link a context to a child (an existing one by id, or a new
/// one described here).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct LinkInput {
    /// An existing context ("" for a new one).
    #[serde(default)]
    pub entity_id: String,
    /// New context: kind.
    #[serde(default)]
    pub kind: String,
    /// New context: name.
    #[serde(default)]
    pub name: String,
    /// New location: type.
    #[serde(default)]
    pub location_type: String,
    /// New location: postcode.
    #[serde(default)]
    pub postcode: String,
    /// New context: description.
    #[serde(default)]
    pub description: String,
    /// The link: role.
    #[serde(default)]
    pub role: String,
    /// The link (and a new context's record): source.
    #[serde(default)]
    pub source: String,
    /// The link: confidence.
    #[serde(default)]
    pub confidence: String,
    /// From: day.
    #[serde(default)]
    pub from_day: String,
    /// From: month.
    #[serde(default)]
    pub from_month: String,
    /// From: year.
    #[serde(default)]
    pub from_year: String,
    /// To: day.
    #[serde(default)]
    pub to_day: String,
    /// To: month.
    #[serde(default)]
    pub to_month: String,
    /// To: year.
    #[serde(default)]
    pub to_year: String,
    /// The named person or place this comes from ("" for none).
    #[serde(default)]
    pub named_id: String,
}

/// A decision on a suggested link.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct SuggestionInput {
    /// First episode.
    #[serde(default)]
    pub episode_a: String,
    /// Second episode.
    #[serde(default)]
    pub episode_b: String,
    /// `location`, `peer_group` or `dismiss`.
    #[serde(default)]
    pub decision: String,
}

fn optional_date(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    d: &str,
    m: &str,
    y: &str,
) -> Option<NaiveDate> {
    if d.trim().is_empty() && m.trim().is_empty() && y.trim().is_empty() {
        None
    } else {
        date_parts(errs, field, label, d, m, y)
    }
}

/// The child's name as lists show it.
fn name_of(c: &Child) -> String {
    format!("{} {}", c.first_name, c.last_name)
}

/// The place as typed, without anything in brackets.
fn place_text(s: &str) -> String {
    s.split('(').next().unwrap_or(s).trim().to_string()
}

/// Per-request cache of the children a context page may show.
struct Reach<'a> {
    app: &'a App,
    ctx: &'a Ctx,
    org_kind: OrgKind,
    seen: HashMap<ChildId, Option<ChildWithFacts>>,
}

impl<'a> Reach<'a> {
    /// The child, if the viewer may know of it (as search: could open it, or
    /// could with break-glass).
    async fn child(&mut self, tx: &mut Tx, id: ChildId) -> AppResult<Option<&ChildWithFacts>> {
        if !self.seen.contains_key(&id) {
            let now = self.app.now();
            let c = child_repo::get_with_facts(tx, &self.ctx.me.actor, id, now).await?;
            let c = c.filter(|c| {
                match decide_child(&self.ctx.me.actor, ChildAction::ViewSummary, &c.facts) {
                    Ok(_) => true,
                    Err(d) => d.break_glass_available,
                }
            });
            self.seen.insert(id, c);
        }
        Ok(self.seen.get(&id).and_then(Option::as_ref))
    }
}

/// A child's link as the correction page shows it, with its history.
#[derive(Clone, Debug)]
pub struct LinkEditView {
    /// The child.
    pub child: Child,
    /// The link and its context.
    pub entry: NetworkEntry,
    /// Corrections and the ending, oldest first.
    pub history: Vec<repo::ContextChange>,
}

/// The link correction page's two forms: correct (`intent=correct`: role,
/// source, confidence) or end (`intent=end`: date), each with a reason.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct LinkEditInput {
    /// `correct` or `end`.
    #[serde(default)]
    pub intent: String,
    /// Role.
    #[serde(default)]
    pub role: String,
    /// Source.
    #[serde(default)]
    pub source: String,
    /// Confidence.
    #[serde(default)]
    pub confidence: String,
    /// Why it is corrected.
    #[serde(default)]
    pub reason: String,
    /// End: day.
    #[serde(default)]
    pub end_day: String,
    /// Month.
    #[serde(default)]
    pub end_month: String,
    /// Year.
    #[serde(default)]
    pub end_year: String,
    /// Why it ended.
    #[serde(default)]
    pub end_reason: String,
}

/// A context's own record for editing, with its history.
#[derive(Clone, Debug)]
pub struct EntityEditView {
    /// The context.
    pub entity: ContextEntity,
    /// Edits, oldest first.
    pub history: Vec<repo::ContextChange>,
}

/// The context edit form.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct EntityEditInput {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// For a location.
    #[serde(default)]
    pub location_type: String,
    /// For a location.
    #[serde(default)]
    pub postcode: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Why it is changed.
    #[serde(default)]
    pub reason: String,
}

fn reason_of(errs: &mut FieldErrors, field: &str, v: &str, what: &str) -> String {
    let r = v.trim();
    if r.is_empty() {
        errs.add(field, format!("Enter why {what}"));
    } else if r.chars().count() > 2000 {
        errs.add(field, "Keep the reason to 2,000 characters or fewer");
    }
    r.to_string()
}

/// Whether the viewer may see police intelligence about this child.
fn sees_police(ctx: &Ctx, org_kind: OrgKind, c: &ChildWithFacts) -> bool {
    may_see_police_intelligence(&ctx.me.actor, org_kind, c.facts.allocated_to_actor)
}

impl App {
    async fn org_kind(&self, tx: &mut Tx, ctx: &Ctx) -> AppResult<OrgKind> {
        Ok(repo::org_kind(tx, ctx.me.actor.org_id)
            .await?
            .unwrap_or(OrgKind::Voluntary))
    }

    /// Check a context action. A refusal is audited in `tx`, which is then
    /// committed (so only the refusal is recorded), and returned as an error.
    async fn require_contexts(
        &self,
        mut tx: Tx,
        ctx: &Ctx,
        action: ContextAction,
    ) -> AppResult<(Tx, OrgKind)> {
        let kind = self.org_kind(&mut tx, ctx).await?;
        if decide_contexts(&ctx.me.actor, kind, action) {
            return Ok((tx, kind));
        }
        let ev = ctx.event(
            action.audit_name(),
            "service",
            None,
            None,
            Outcome::Deny,
            Some("role".into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Err(AppError::Forbidden(None))
    }

    /// A child's network: the contexts linked to the child, other children on
    /// the same contexts, and the people and places the child named. `q`
    /// searches contexts by name to link. With `for_link`, the viewer must
    /// also be allowed to link (the form). Audited as `context.network`.
    pub async fn child_network(
        &self,
        ctx: &Ctx,
        id: ChildId,
        q: Option<&str>,
        for_link: bool,
    ) -> AppResult<NetworkView> {
        let mut tx = self.db.begin_write().await?;
        if for_link {
            (tx, _) = self.require_contexts(tx, ctx, ContextAction::Link).await?;
            (tx, _, _) = self
                .authorise_child_as(tx, ctx, id, ChildAction::AddNote, "context.link.form")
                .await?;
        }
        let (mut tx, c, ok) = self
            .authorise_child_as(tx, ctx, id, ChildAction::ViewRecord, "context.network")
            .await?;
        let kind = self.org_kind(&mut tx, ctx).await?;
        let police_ok =
            may_see_police_intelligence(&ctx.me.actor, kind, c.facts.allocated_to_actor);
        let mut entries = Vec::new();
        let mut entities: Vec<ContextEntity> = Vec::new();
        for link in repo::links_for_child(&mut tx, &ok).await? {
            let Some(entity) = repo::get_entity(&mut tx, link.entity_id).await? else {
                continue;
            };
            let police = is_police_intelligence(entity.source, Some(link.source));
            if police && !police_ok {
                continue;
            }
            if !entities.iter().any(|e| e.id == entity.id) {
                entities.push(entity.clone());
            }
            entries.push(NetworkEntry {
                link,
                entity,
                police,
            });
        }
        let mut reach = Reach {
            app: self,
            ctx,
            org_kind: kind,
            seen: HashMap::new(),
        };
        let mut others: Vec<OtherChild> = Vec::new();
        for e in &entities {
            for l in repo::links_for_entity(&mut tx, e.id).await? {
                if l.child_id == id {
                    continue;
                }
                let Some(oc) = reach.child(&mut tx, l.child_id).await? else {
                    continue;
                };
                let (name, ok_police) = (name_of(&oc.child), sees_police(ctx, kind, oc));
                if l.source == Source::Police && !ok_police {
                    continue;
                }
                match others.iter_mut().find(|o| o.child_id == l.child_id) {
                    Some(o) => o.via.push((e.id, l.role)),
                    None => others.push(OtherChild {
                        child_id: l.child_id,
                        name,
                        via: vec![(e.id, l.role)],
                    }),
                }
            }
        }
        let named = findings::named_for_child(&mut tx, &ok)
            .await?
            .into_iter()
            .map(|n| NamedRow {
                linked_to: entries
                    .iter()
                    .find(|e| e.link.named_id == Some(n.id))
                    .map(|e| e.entity.id),
                named: n,
            })
            .collect();
        let results = match q.map(str::trim) {
            Some(q) if !q.is_empty() => Some(
                repo::search_entities(&mut tx, q)
                    .await?
                    .into_iter()
                    .filter(|e| e.source != Source::Police || police_ok)
                    .collect(),
            ),
            Some(_) => Some(Vec::new()),
            None => None,
        };
        let can_link = decide_contexts(&ctx.me.actor, kind, ContextAction::Link)
            && decide_child(&ctx.me.actor, ChildAction::AddNote, &c.facts).is_ok();
        let mut reason = format!("{} links", entries.len());
        if ok.via_break_glass() {
            reason.push_str("; break_glass");
        }
        let ev = ctx.event(
            "context.network",
            "child",
            Some(id.0),
            Some(id.0),
            Outcome::Allow,
            Some(reason),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(NetworkView {
            child: c.child,
            entries,
            entities,
            others,
            named,
            can_link,
            results,
        })
    }

    /// Link a context to a child: an existing one, or a new one described in
    /// the form (optionally from a person or place the child named). Audited
    /// as `context.link`; a new context also as `context.create`.
    pub async fn link_context(&self, ctx: &Ctx, id: ChildId, input: &LinkInput) -> AppResult<Uuid> {
        let tx = self.db.begin_write().await?;
        let (tx, _) = self.require_contexts(tx, ctx, ContextAction::Link).await?;
        let (mut tx, _c, ok) = self
            .authorise_child_as(tx, ctx, id, ChildAction::AddNote, "context.link")
            .await?;
        let now = self.now();
        let mut errs = FieldErrors::new();
        let role = LinkRole::parse(&input.role);
        if role.is_none() {
            errs.add("role", "Select the part they play for the child");
        }
        let source = Source::parse(&input.source);
        if source.is_none() {
            errs.add("source", "Select where the information came from");
        }
        let confidence = Confidence::parse(&input.confidence);
        if confidence.is_none() {
            errs.add("confidence", "Select how sure the information is");
        }
        let from = optional_date(
            &mut errs,
            "from",
            "the date from",
            &input.from_day,
            &input.from_month,
            &input.from_year,
        );
        let to = optional_date(
            &mut errs,
            "to",
            "the date to",
            &input.to_day,
            &input.to_month,
            &input.to_year,
        );
        let today = calendar::to_london(now).date();
        if from.is_some_and(|d| d > today) {
            errs.add("from", "The date from must be today or in the past");
        }
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errs.add(
                "to",
                "The date to must be the same as or after the date from",
            );
        }
        let named_id = match input.named_id.trim() {
            "" => None,
            s => {
                let nid: Uuid = s.parse().map_err(|_| AppError::NotFound)?;
                if !findings::named_for_child(&mut tx, &ok)
                    .await?
                    .iter()
                    .any(|n| n.id == nid)
                {
                    return Err(AppError::NotFound);
                }
                Some(nid)
            }
        };
        let existing = match input.entity_id.trim() {
            "" => None,
            s => {
                let eid: Uuid = s.parse().map_err(|_| AppError::NotFound)?;
                Some(
                    repo::get_entity(&mut tx, eid)
                        .await?
                        .ok_or(AppError::NotFound)?,
                )
            }
        };
        let new_entity = if existing.is_none() {
            let kind = EntityKind::parse(&input.kind);
            if kind.is_none() {
                errs.add("kind", "Select what kind of context it is");
            }
            let name = required_text(&mut errs, "name", "a name", &input.name, 200);
            let location_type = match kind {
                Some(EntityKind::Location) => {
                    let t = LocationType::parse(&input.location_type);
                    if t.is_none() {
                        errs.add("location_type", "Select what kind of place it is");
                    }
                    t
                }
                _ => None,
            };
            let postcode =
                optional_text(&mut errs, "postcode", "the postcode", &input.postcode, 20)
                    .filter(|_| kind == Some(EntityKind::Location))
                    .map(|p| p.to_uppercase());
            let description = optional_text(
                &mut errs,
                "description",
                "the description",
                &input.description,
                5000,
            )
            .unwrap_or_default();
            match (kind, source) {
                (Some(kind), Some(source)) => Some(ContextEntity {
                    id: Uuid::now_v7(),
                    kind,
                    name,
                    location_type,
                    postcode,
                    description,
                    source,
                    created_by: ctx.me.user.id,
                    created_at: now,
                }),
                _ => None,
            }
        } else {
            None
        };
        errs.into_result()?;
        let (Some(role), Some(source), Some(confidence)) = (role, source, confidence) else {
            return Err(AppError::Internal("validated fields missing".into()));
        };
        let entity = match (existing, new_entity) {
            (Some(e), _) => e,
            (None, Some(e)) => {
                repo::insert_entity(&mut tx, &e).await?;
                let ev = ctx.event(
                    "context.create",
                    "context",
                    Some(e.id),
                    Some(id.0),
                    Outcome::Allow,
                    Some(e.kind.as_str().into()),
                );
                self.audit(&mut tx, &ev).await?;
                e
            }
            (None, None) => return Err(AppError::Internal("no context".into())),
        };
        let link = ContextLink {
            id: Uuid::now_v7(),
            entity_id: entity.id,
            child_id: id,
            role,
            source,
            confidence,
            from_date: from,
            to_date: to,
            named_id,
            recorded_by: ctx.me.user.id,
            recorded_at: now,
        };
        match repo::insert_link(&mut tx, &ok, &link).await {
            Ok(()) => {}
            Err(DbError::UniqueViolation) => {
                return Err(AppError::Conflict(format!(
                    "This child is already linked to {} as {}.",
                    entity.name,
                    role.label().to_lowercase()
                )));
            }
            Err(e) => return Err(e.into()),
        }
        let ev = ctx.event(
            "context.link",
            "context",
            Some(entity.id),
            Some(id.0),
            Outcome::Allow,
            Some(format!("{}; {}", role.as_str(), source.as_str())),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(entity.id)
    }

    /// One of the child's links for correcting or ending: as linking
    /// (`ContextAction::Link` and `AddNote` on the child), and never a link
    /// the viewer may not see (police intelligence: not found).
    async fn link_for_edit(
        &self,
        ctx: &Ctx,
        child: ChildId,
        link: Uuid,
    ) -> AppResult<(
        Tx,
        ChildWithFacts,
        harbour_domain::authz::Allowed,
        NetworkEntry,
    )> {
        let tx = self.db.begin_write().await?;
        let (tx, kind) = self.require_contexts(tx, ctx, ContextAction::Link).await?;
        let (mut tx, c, ok) = self
            .authorise_child_as(tx, ctx, child, ChildAction::AddNote, "context.link")
            .await?;
        let Some(l) = repo::link_of_child(&mut tx, &ok, link).await? else {
            return Err(AppError::NotFound);
        };
        let entity = repo::get_entity(&mut tx, l.entity_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let police = is_police_intelligence(entity.source, Some(l.source));
        if police && !sees_police(ctx, kind, &c) {
            return Err(AppError::NotFound);
        }
        Ok((
            tx,
            c,
            ok,
            NetworkEntry {
                link: l,
                entity,
                police,
            },
        ))
    }

    /// The page to correct or end one of the child's links, with its
    /// history. Audited as `context.link.view` on the child.
    pub async fn link_edit(
        &self,
        ctx: &Ctx,
        child: ChildId,
        link: Uuid,
    ) -> AppResult<LinkEditView> {
        let (mut tx, c, ok, entry) = self.link_for_edit(ctx, child, link).await?;
        let history = repo::changes_for_link(&mut tx, &ok, link).await?;
        let ev = ctx.event(
            "context.link.view",
            "context",
            Some(entry.entity.id),
            Some(child.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(LinkEditView {
            child: c.child,
            entry,
            history,
        })
    }

    /// Correct a link (role, source, confidence) or end it on a date, each
    /// with a reason kept in its history. Audited as `context.link.correct`
    /// or `context.link.end` on the child.
    pub async fn change_link(
        &self,
        ctx: &Ctx,
        child: ChildId,
        link: Uuid,
        input: &LinkEditInput,
    ) -> AppResult<()> {
        let now = self.now();
        let (mut tx, _c, ok, entry) = self.link_for_edit(ctx, child, link).await?;
        let old = entry.link.clone();
        let mut errs = FieldErrors::new();
        let (new, change, reason, action) = if input.intent == "end" {
            let end = date_parts(
                &mut errs,
                "end_day",
                "the date the link ended",
                &input.end_day,
                &input.end_month,
                &input.end_year,
            );
            if let Some(e) = end
                && let Some(p) = link_end_problem(&old, e, calendar::london_date(now))
            {
                errs.add("end_day", p);
            }
            let reason = reason_of(&mut errs, "end_reason", &input.end_reason, "the link ended");
            errs.into_result()?;
            let end = end.ok_or(AppError::NotFound)?;
            (
                ContextLink {
                    to_date: Some(end),
                    ..old.clone()
                },
                format!("Ended on {}", end.format("%-d %B %Y")),
                reason,
                "context.link.end",
            )
        } else {
            let role = LinkRole::parse(&input.role);
            if role.is_none() {
                errs.add("role", "Select the part they play for the child");
            }
            let source = Source::parse(&input.source);
            if source.is_none() {
                errs.add("source", "Select where the information came from");
            }
            let confidence = Confidence::parse(&input.confidence);
            if confidence.is_none() {
                errs.add("confidence", "Select how sure the information is");
            }
            let reason = reason_of(&mut errs, "reason", &input.reason, "it is corrected");
            let (Some(role), Some(source), Some(confidence)) = (role, source, confidence) else {
                return Err(AppError::Validation(errs));
            };
            let changes = link_changes(&old, role, source, confidence);
            if changes.is_empty() {
                errs.add(
                    "role",
                    "Nothing has changed: change the role, the source or the confidence",
                );
            }
            errs.into_result()?;
            (
                ContextLink {
                    role,
                    source,
                    confidence,
                    ..old.clone()
                },
                changes.join("; "),
                reason,
                "context.link.correct",
            )
        };
        match repo::update_link(&mut tx, &ok, &new).await {
            Ok(true) => {}
            Ok(false) => return Err(AppError::NotFound),
            Err(DbError::UniqueViolation) => {
                let mut e = FieldErrors::new();
                e.add(
                    "role",
                    format!(
                        "The child is already linked to {} as {}",
                        entry.entity.name,
                        new.role.label().to_lowercase()
                    ),
                );
                return Err(AppError::Validation(e));
            }
            Err(e) => return Err(e.into()),
        }
        let c = repo::ContextChange {
            id: Uuid::now_v7(),
            entity_id: entry.entity.id,
            link_id: Some(link),
            child_id: Some(child.0),
            change: change.clone(),
            reason,
            changed_by: ctx.me.user.id.0,
            changed_by_name: String::new(),
            changed_at: now,
        };
        repo::insert_change(&mut tx, Some(&ok), &c).await?;
        let ev = ctx.event(
            action,
            "context",
            Some(entry.entity.id),
            Some(child.0),
            Outcome::Allow,
            Some(change),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A context's own record for editing: as recording one
    /// (`ContextAction::Link`); a record from the police only for those who
    /// may see police intelligence.
    async fn entity_for_edit(&self, ctx: &Ctx, id: Uuid) -> AppResult<(Tx, ContextEntity)> {
        let tx = self.db.begin_write().await?;
        let (mut tx, kind) = self.require_contexts(tx, ctx, ContextAction::Link).await?;
        let e = repo::get_entity(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if e.source == Source::Police && !may_see_police_intelligence(&ctx.me.actor, kind, false) {
            return Err(AppError::NotFound);
        }
        Ok((tx, e))
    }

    /// The context edit form with its history. Audited as `context.view`.
    pub async fn entity_edit(&self, ctx: &Ctx, id: Uuid) -> AppResult<EntityEditView> {
        let (mut tx, entity) = self.entity_for_edit(ctx, id).await?;
        let history = repo::changes_for_entity(&mut tx, id).await?;
        let ev = ctx.event(
            "context.view",
            "context",
            Some(id),
            None,
            Outcome::Allow,
            Some("edit".into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(EntityEditView { entity, history })
    }

    /// Correct a context's own record (name, kind of place, postcode,
    /// description) with a reason kept in its history. Audited as
    /// `context.edit`.
    pub async fn edit_entity(&self, ctx: &Ctx, id: Uuid, input: &EntityEditInput) -> AppResult<()> {
        let now = self.now();
        let (mut tx, old) = self.entity_for_edit(ctx, id).await?;
        let mut errs = FieldErrors::new();
        let name = required_text(&mut errs, "name", "a name", &input.name, 200);
        let location_type = if old.kind == EntityKind::Location {
            let t = LocationType::parse(&input.location_type);
            if t.is_none() {
                errs.add("location_type", "Select what kind of place it is");
            }
            t
        } else {
            None
        };
        let postcode = optional_text(&mut errs, "postcode", "the postcode", &input.postcode, 20)
            .filter(|_| old.kind == EntityKind::Location)
            .map(|p| p.to_uppercase());
        let description = optional_text(
            &mut errs,
            "description",
            "the description",
            &input.description,
            5000,
        )
        .unwrap_or_default();
        let reason = reason_of(&mut errs, "reason", &input.reason, "it is changed");
        let new = ContextEntity {
            name,
            location_type,
            postcode,
            description,
            ..old.clone()
        };
        let changes = entity_changes(&old, &new);
        if changes.is_empty() && errs.is_empty() {
            errs.add("name", "Nothing has changed");
        }
        errs.into_result()?;
        repo::update_entity(&mut tx, &new).await?;
        let change = changes.join("; ");
        let c = repo::ContextChange {
            id: Uuid::now_v7(),
            entity_id: id,
            link_id: None,
            child_id: None,
            change: change.clone(),
            reason,
            changed_by: ctx.me.user.id.0,
            changed_by_name: String::new(),
            changed_at: now,
        };
        repo::insert_change(&mut tx, None, &c).await?;
        let ev = ctx.event(
            "context.edit",
            "context",
            Some(id),
            None,
            Outcome::Allow,
            Some(change),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A context's page: the children linked to it and, for a location, the
    /// missing episodes that ended there (found where matches its name or
    /// postcode). Audited as `context.view`, once for the context and once
    /// per child shown.
    pub async fn context_page(&self, ctx: &Ctx, id: Uuid) -> AppResult<ContextPage> {
        let tx = self.db.begin_write().await?;
        let (mut tx, kind) = self.require_contexts(tx, ctx, ContextAction::View).await?;
        let entity = repo::get_entity(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut reach = Reach {
            app: self,
            ctx,
            org_kind: kind,
            seen: HashMap::new(),
        };
        let police_entity = entity.source == Source::Police;
        let mut children = Vec::new();
        let mut police_reachable = may_see_police_intelligence(&ctx.me.actor, kind, false);
        for link in repo::links_for_entity(&mut tx, id).await? {
            let Some(c) = reach.child(&mut tx, link.child_id).await? else {
                continue;
            };
            let ok_police = sees_police(ctx, kind, c);
            police_reachable |= ok_police;
            let police = is_police_intelligence(entity.source, Some(link.source));
            if police && !ok_police {
                continue;
            }
            children.push(ContextChild {
                child_id: link.child_id,
                name: name_of(&c.child),
                link,
                police,
            });
        }
        if police_entity && !police_reachable {
            let ev = ctx.event(
                "context.view",
                "context",
                Some(id),
                None,
                Outcome::Deny,
                Some("police_intelligence".into()),
            );
            self.audit(&mut tx, &ev).await?;
            tx.commit().await?;
            return Err(AppError::Forbidden(None));
        }
        let mut episodes = Vec::new();
        if entity.kind == EntityKind::Location {
            for p in repo::episode_places(&mut tx).await? {
                let Some(fw) = p.found_where.as_deref() else {
                    continue;
                };
                if !found_at(fw, &entity.name, entity.postcode.as_deref()) {
                    continue;
                }
                let Some(c) = reach.child(&mut tx, p.span.child_id).await? else {
                    continue;
                };
                episodes.push(EpisodeHere {
                    episode_id: p.span.id,
                    child_id: p.span.child_id,
                    name: name_of(&c.child),
                    last_seen_at: p.span.start,
                    returned_at: p.span.end,
                    found_where: fw.to_string(),
                });
            }
            episodes.sort_by_key(|e| std::cmp::Reverse(e.last_seen_at));
        }
        let ev = ctx.event(
            "context.view",
            "context",
            Some(id),
            None,
            Outcome::Allow,
            Some(format!(
                "{} children; {} episodes",
                children.len(),
                episodes.len()
            )),
        );
        self.audit(&mut tx, &ev).await?;
        let shown: BTreeSet<ChildId> = children
            .iter()
            .map(|c| c.child_id)
            .chain(episodes.iter().map(|e| e.child_id))
            .collect();
        for c in shown {
            let ev = ctx.event(
                "context.view",
                "context",
                Some(id),
                Some(c.0),
                Outcome::Allow,
                None,
            );
            self.audit(&mut tx, &ev).await?;
        }
        tx.commit().await?;
        Ok(ContextPage {
            can_edit: decide_contexts(&ctx.me.actor, kind, ContextAction::Link),
            police: police_entity,
            entity,
            children,
            episodes,
        })
    }

    /// Every context, hotspots (locations by children linked and episodes
    /// ended there), contexts shared by two or more children, and how many
    /// suggested links wait. Audited as `context.index` with counts.
    pub async fn context_index(&self, ctx: &Ctx) -> AppResult<ContextIndex> {
        let tx = self.db.begin_write().await?;
        let (mut tx, kind) = self.require_contexts(tx, ctx, ContextAction::View).await?;
        let role_police = may_see_police_intelligence(&ctx.me.actor, kind, false);
        let all = repo::list_entities(&mut tx).await?;
        let links = repo::all_links(&mut tx).await?;
        let places = repo::episode_places(&mut tx).await?;
        let mut reach = Reach {
            app: self,
            ctx,
            org_kind: kind,
            seen: HashMap::new(),
        };
        let mut by_entity: BTreeMap<Uuid, Vec<&ContextLink>> = BTreeMap::new();
        for l in &links {
            by_entity.entry(l.entity_id).or_default().push(l);
        }
        let mut entities = Vec::new();
        let mut hotspots = Vec::new();
        let mut shared = Vec::new();
        for e in all {
            let mut names: Vec<(ChildId, String)> = Vec::new();
            let mut police_ok = role_police;
            for l in by_entity.get(&e.id).map(Vec::as_slice).unwrap_or(&[]) {
                let Some(c) = reach.child(&mut tx, l.child_id).await? else {
                    continue;
                };
                let ok_police = sees_police(ctx, kind, c);
                police_ok |= ok_police;
                if l.source == Source::Police && !ok_police {
                    continue;
                }
                if !names.iter().any(|(id, _)| *id == l.child_id) {
                    names.push((l.child_id, name_of(&c.child)));
                }
            }
            if e.source == Source::Police && !police_ok {
                continue;
            }
            if e.kind == EntityKind::Location {
                let children: BTreeSet<ChildId> = by_entity
                    .get(&e.id)
                    .map(|v| v.iter().map(|l| l.child_id).collect())
                    .unwrap_or_default();
                let episodes = places
                    .iter()
                    .filter(|p| {
                        p.found_where
                            .as_deref()
                            .is_some_and(|f| found_at(f, &e.name, e.postcode.as_deref()))
                    })
                    .count();
                if !children.is_empty() || episodes > 0 {
                    hotspots.push(Hotspot {
                        entity: e.clone(),
                        children: children.len(),
                        episodes,
                    });
                }
            }
            if names.len() >= 2 {
                shared.push(SharedContext {
                    entity: e.clone(),
                    children: names,
                });
            }
            entities.push(e);
        }
        hotspots.sort_by(|a, b| {
            (b.children + b.episodes)
                .cmp(&(a.children + a.episodes))
                .then_with(|| a.entity.name.cmp(&b.entity.name))
        });
        let suggestions = self
            .open_suggestions(&mut tx, &mut reach, &places)
            .await?
            .len();
        let ev = ctx.event(
            "context.index",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!(
                "{} contexts; {} shared; {} suggestions",
                entities.len(),
                shared.len(),
                suggestions
            )),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(ContextIndex {
            entities,
            hotspots,
            shared,
            suggestions,
        })
    }

    async fn open_suggestions(
        &self,
        tx: &mut Tx,
        reach: &mut Reach<'_>,
        places: &[EpisodePlace],
    ) -> AppResult<Vec<SuggestionView>> {
        let spans: Vec<EpisodeSpan> = places.iter().map(|p| p.span.clone()).collect();
        let decided: BTreeSet<(Uuid, Uuid)> = repo::decisions(tx)
            .await?
            .into_iter()
            .map(|d| (d.episode_a, d.episode_b))
            .collect();
        let mut out = Vec::new();
        for s in suggest_links(&spans, self.now()) {
            if decided.contains(&(s.episode_a, s.episode_b)) {
                continue;
            }
            let actor = &reach.ctx.me.actor;
            let may_add =
                |c: &ChildWithFacts| decide_child(actor, ChildAction::AddNote, &c.facts).is_ok();
            let Some((a, add_a)) = reach
                .child(tx, s.child_a)
                .await?
                .map(|c| (name_of(&c.child), may_add(c)))
            else {
                continue;
            };
            let Some((b, add_b)) = reach
                .child(tx, s.child_b)
                .await?
                .map(|c| (name_of(&c.child), may_add(c)))
            else {
                continue;
            };
            let text = places
                .iter()
                .find(|p| p.span.id == s.episode_a)
                .map(|p| place_text(&p.span.location_left))
                .unwrap_or_else(|| s.place.clone());
            out.push(SuggestionView {
                s,
                name_a: a,
                name_b: b,
                place_text: text,
                can_decide: add_a
                    && add_b
                    && decide_contexts(actor, reach.org_kind, ContextAction::DecideSuggestion),
            });
        }
        Ok(out)
    }

    /// Suggested links waiting for a decision: children missing at
    /// overlapping times from the same place. Audited as
    /// `context.suggestions` (one row with the count, and one per child shown).
    pub async fn context_suggestions(&self, ctx: &Ctx) -> AppResult<Vec<SuggestionView>> {
        let tx = self.db.begin_write().await?;
        let (mut tx, kind) = self.require_contexts(tx, ctx, ContextAction::View).await?;
        let places = repo::episode_places(&mut tx).await?;
        let mut reach = Reach {
            app: self,
            ctx,
            org_kind: kind,
            seen: HashMap::new(),
        };
        let out = self.open_suggestions(&mut tx, &mut reach, &places).await?;
        let ev = ctx.event(
            "context.suggestions",
            "service",
            None,
            None,
            Outcome::Allow,
            Some(format!("{} suggestions", out.len())),
        );
        self.audit(&mut tx, &ev).await?;
        let shown: BTreeSet<ChildId> = out
            .iter()
            .flat_map(|v| [v.s.child_a, v.s.child_b])
            .collect();
        for c in shown {
            let ev = ctx.event(
                "context.suggestions",
                "child",
                Some(c.0),
                Some(c.0),
                Outcome::Allow,
                None,
            );
            self.audit(&mut tx, &ev).await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Confirm a suggested link (as a shared location, found or created by
    /// the place's name, or as a new peer group; both children linked) or
    /// dismiss it. Stored once per pair; audited as
    /// `context.suggestion.decide` against each child.
    pub async fn decide_suggestion(&self, ctx: &Ctx, input: &SuggestionInput) -> AppResult<()> {
        let tx = self.db.begin_write().await?;
        let (mut tx, kind) = self
            .require_contexts(tx, ctx, ContextAction::DecideSuggestion)
            .await?;
        let mut errs = FieldErrors::new();
        let decision = input.decision.as_str();
        if !matches!(decision, "location" | "peer_group" | "dismiss") {
            errs.add(
                "decision",
                "Select whether to link the children or dismiss the suggestion",
            );
        }
        errs.into_result()?;
        let a: Uuid = input
            .episode_a
            .trim()
            .parse()
            .map_err(|_| AppError::NotFound)?;
        let b: Uuid = input
            .episode_b
            .trim()
            .parse()
            .map_err(|_| AppError::NotFound)?;
        let places = repo::episode_places(&mut tx).await?;
        let mut reach = Reach {
            app: self,
            ctx,
            org_kind: kind,
            seen: HashMap::new(),
        };
        let open = self.open_suggestions(&mut tx, &mut reach, &places).await?;
        let Some(v) = open
            .into_iter()
            .find(|v| v.s.episode_a == a && v.s.episode_b == b)
        else {
            return Err(AppError::NotFound);
        };
        let now = self.now();
        // Both children: the decision writes to each record.
        let (tx2, _, ok_a) = self
            .authorise_child_as(
                tx,
                ctx,
                v.s.child_a,
                ChildAction::AddNote,
                "context.suggestion.decide",
            )
            .await?;
        let (mut tx, _, ok_b) = self
            .authorise_child_as(
                tx2,
                ctx,
                v.s.child_b,
                ChildAction::AddNote,
                "context.suggestion.decide",
            )
            .await?;
        let entity_id = if decision == "dismiss" {
            None
        } else {
            let (entity, role) = if decision == "location" {
                let found = repo::list_entities(&mut tx).await?.into_iter().find(|e| {
                    e.kind == EntityKind::Location && normalise_place(&e.name) == v.s.place
                });
                let e = match found {
                    Some(e) => e,
                    None => ContextEntity {
                        id: Uuid::now_v7(),
                        kind: EntityKind::Location,
                        name: v.place_text.clone(),
                        location_type: Some(LocationType::Other),
                        postcode: None,
                        description: "Recorded from a suggested link: children missing at the same time from here.".into(),
                        source: Source::Practitioner,
                        created_by: ctx.me.user.id,
                        created_at: now,
                    },
                };
                (e, LinkRole::Frequents)
            } else {
                (
                    ContextEntity {
                        id: Uuid::now_v7(),
                        kind: EntityKind::PeerGroup,
                        name: format!("Missing together from {}", v.place_text),
                        location_type: None,
                        postcode: None,
                        description: format!(
                            "{} and {} were missing at the same time from {}.",
                            v.name_a, v.name_b, v.place_text
                        ),
                        source: Source::Practitioner,
                        created_by: ctx.me.user.id,
                        created_at: now,
                    },
                    LinkRole::Peer,
                )
            };
            if repo::get_entity(&mut tx, entity.id).await?.is_none() {
                repo::insert_entity(&mut tx, &entity).await?;
            }
            let since = v.s.overlap_start.date_naive();
            for ok in [&ok_a, &ok_b] {
                let exists = repo::links_for_child(&mut tx, ok)
                    .await?
                    .iter()
                    .any(|l| l.entity_id == entity.id && l.role == role);
                if !exists {
                    let link = ContextLink {
                        id: Uuid::now_v7(),
                        entity_id: entity.id,
                        child_id: ok.child_id(),
                        role,
                        source: Source::Practitioner,
                        confidence: Confidence::Likely,
                        from_date: Some(since),
                        to_date: None,
                        named_id: None,
                        recorded_by: ctx.me.user.id,
                        recorded_at: now,
                    };
                    repo::insert_link(&mut tx, ok, &link).await?;
                }
            }
            Some(entity.id)
        };
        repo::insert_decision(
            &mut tx,
            &SuggestionDecision {
                episode_a: a,
                episode_b: b,
                entity_id,
                decided_by: ctx.me.user.id,
                decided_at: now,
            },
        )
        .await?;
        for child in [v.s.child_a, v.s.child_b] {
            let ev = ctx.event(
                "context.suggestion.decide",
                "context_suggestion",
                Some(a),
                Some(child.0),
                Outcome::Allow,
                Some(if decision == "dismiss" {
                    "dismissed".into()
                } else {
                    format!("confirmed; {decision}")
                }),
            );
            self.audit(&mut tx, &ev).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_text_drops_the_brackets() {
        let table = [
            (
                "Hanley bus station (with friends, after leaving home)",
                "Hanley bus station",
            ),
            ("Fenton park", "Fenton park"),
            ("", ""),
        ];
        for (input, want) in table {
            assert_eq!(place_text(input), want);
        }
    }
}
