//! The exploitation and missing panel: referral, agenda, meetings, minutes,
//! the action tracker across agencies, and the information-sharing log.
//! Every function: policy → transaction → repositories → audit (same
//! transaction).

use crate::{App, AppError, AppResult, Ctx};
use chrono::NaiveDate;
use harbour_db::children as repo;
use harbour_db::{Tx, org, panel as db};
use harbour_domain::audit::Outcome;
use harbour_domain::authz::{
    self, Allowed, ChildAction, ServiceAction, decide_child, decide_panel_grant,
    decide_panel_referral, may_update_panel_action,
};
use harbour_domain::calendar;
use harbour_domain::findings::LawfulBasis;
use harbour_domain::ids::*;
use harbour_domain::model::{OrgKind, Organisation, Share, ShareScope};
use harbour_domain::panel::*;
use harbour_domain::validate::{self, FieldErrors};
use uuid::Uuid;

/// A referral as typed.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct ReferralInput {
    /// `mace` or `strategy`.
    #[serde(default)]
    pub panel_type: String,
    /// Why: the concerns.
    #[serde(default)]
    pub reason: String,
    /// `low`, `medium` or `high`.
    #[serde(default)]
    pub risk: String,
    /// A `LawfulBasis` machine name.
    #[serde(default)]
    pub basis: String,
    /// The consent position.
    #[serde(default)]
    pub consent: String,
}

/// A new meeting as typed.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct MeetingInput {
    /// `mace` or `strategy`.
    #[serde(default)]
    pub panel_type: String,
    /// Day.
    #[serde(default)]
    pub day: String,
    /// Month.
    #[serde(default)]
    pub month: String,
    /// Year.
    #[serde(default)]
    pub year: String,
    /// Chair(s).
    #[serde(default)]
    pub chair: String,
}

/// An attendee as typed.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct AttendeeInput {
    /// Partner organisation id (blank: the authority's own staff or an agency Harbour does not know).
    #[serde(default)]
    pub org: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Agency, as recorded (used when no organisation is chosen).
    #[serde(default)]
    pub agency: String,
}

/// A child's discussion as typed.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct DiscussionInput {
    /// What was discussed.
    #[serde(default)]
    pub discussion: String,
    /// Risk now.
    #[serde(default)]
    pub risk: String,
    /// Decisions.
    #[serde(default)]
    pub decisions: String,
}

/// An action as typed.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct ActionInput {
    /// The referral (child) it is for.
    #[serde(default)]
    pub referral: String,
    /// `ActionKind` machine name.
    #[serde(default)]
    pub kind: String,
    /// What to do.
    #[serde(default)]
    pub description: String,
    /// Owning organisation id.
    #[serde(default)]
    pub owner_org: String,
    /// The named person who owns it (a partner practitioner), if any.
    #[serde(default)]
    pub owner_user: String,
    /// Due day.
    #[serde(default)]
    pub day: String,
    /// Due month.
    #[serde(default)]
    pub month: String,
    /// Due year.
    #[serde(default)]
    pub year: String,
}

/// A disclosure or refusal recorded by hand (a phone request refused, a
/// partial share by letter): everything the log needs.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct DisclosureInput {
    /// `DisclosureOutcome` machine name.
    #[serde(default)]
    pub outcome: String,
    /// The receiving organisation, when Harbour knows it (optional).
    #[serde(default)]
    pub recipient_org: String,
    /// The recipient: person and agency.
    #[serde(default)]
    pub recipient: String,
    /// What was asked for or shared.
    #[serde(default)]
    pub what: String,
    /// Why: the purpose, or the reason for refusing.
    #[serde(default)]
    pub why: String,
    /// `LawfulBasis` machine name (not for a refusal).
    #[serde(default)]
    pub basis: String,
    /// Who decided, if not the person recording.
    #[serde(default)]
    pub decided_by: String,
    /// When: day.
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

/// An owner's update to an action.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct ActionUpdate {
    /// `ActionStatus` machine name.
    #[serde(default)]
    pub status: String,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// The coordinator's overview.
#[derive(Clone, Debug)]
pub struct PanelOverview {
    /// Open referrals.
    pub referrals: Vec<Referral>,
    /// Meetings, newest first.
    pub meetings: Vec<Meeting>,
}

/// A meeting with its agenda, attendance, discussions and actions.
#[derive(Clone, Debug, serde::Serialize)]
pub struct MeetingView {
    /// The meeting.
    pub meeting: Meeting,
    /// Who attended.
    pub attendees: Vec<Attendee>,
    /// Children still to discuss (new referrals and reviews due).
    pub agenda: Vec<AgendaItem>,
    /// What was discussed.
    pub discussions: Vec<Discussion>,
    /// Actions agreed.
    pub actions: Vec<PanelAction>,
    /// Partner organisations (for the forms).
    #[serde(skip)]
    pub orgs: Vec<Organisation>,
    /// Partner practitioners who can be named as an action's owner (and
    /// then update it themselves in the tracker).
    #[serde(skip)]
    pub people: Vec<harbour_domain::model::User>,
    /// Today (London), for overdue actions.
    pub today: NaiveDate,
}

/// The action tracker.
#[derive(Clone, Debug)]
pub struct Tracker {
    /// Actions the viewer may see.
    pub actions: Vec<PanelAction>,
    /// Today (London).
    pub today: NaiveDate,
    /// Whether the viewer sees every agency's actions.
    pub all: bool,
}

fn parse_or<T: Copy>(errs: &mut FieldErrors, field: &str, msg: &str, v: Option<T>) -> Option<T> {
    if v.is_none() {
        errs.add(field, msg);
    }
    v
}

fn partner(orgs: &[Organisation], id: &str) -> Option<Organisation> {
    let id: OrgId = id.trim().parse().ok()?;
    orgs.iter()
        .find(|o| o.id == id && o.kind != OrgKind::SocialCare)
        .cloned()
}

impl App {
    fn today(&self) -> NaiveDate {
        calendar::london_date(self.now())
    }

    /// Refer a child to a panel (by the child's worker, team manager or the
    /// panel coordinator). One function, so escalation proposals and the API
    /// call the same path.
    pub async fn refer_to_panel(
        &self,
        ctx: &Ctx,
        child: ChildId,
        input: &ReferralInput,
    ) -> AppResult<Uuid> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let Some(c) = repo::get_with_facts(&mut tx, &ctx.me.actor, child, now).await? else {
            return Err(AppError::NotFound);
        };
        let ok = match decide_panel_referral(&ctx.me.actor, &c.facts) {
            Ok(ok) => ok,
            Err(d) => {
                let ev = ctx.event(
                    "panel.refer",
                    "child",
                    Some(child.0),
                    Some(child.0),
                    Outcome::Deny,
                    Some(d.reason.as_str().into()),
                );
                self.audit(&mut tx, &ev).await?;
                tx.commit().await?;
                return Err(AppError::Forbidden(Some(d)));
            }
        };
        let mut errs = FieldErrors::new();
        let panel_type = parse_or(
            &mut errs,
            "panel_type",
            "Select the panel",
            PanelType::parse(input.panel_type.trim()),
        );
        let reason = validate::required_text(
            &mut errs,
            "reason",
            "why you are referring",
            &input.reason,
            4_000,
        );
        let risk = parse_or(
            &mut errs,
            "risk",
            "Select the risk level",
            RiskLevel::parse(input.risk.trim()),
        );
        let basis = parse_or(
            &mut errs,
            "basis",
            "Select the lawful basis for sharing the child's information with the panel",
            LawfulBasis::parse(input.basis.trim()),
        );
        let consent = validate::required_text(
            &mut errs,
            "consent",
            "the consent position (sought, given, refused, or not sought and why)",
            &input.consent,
            2_000,
        );
        errs.into_result()?;
        let (Some(panel_type), Some(risk), Some(basis)) = (panel_type, risk, basis) else {
            return Err(AppError::Internal("validated".into()));
        };
        let r = Referral {
            id: Uuid::now_v7(),
            child_id: child,
            child_name: String::new(),
            panel_type,
            referred_by: ctx.me.user.id,
            referred_by_name: ctx.me.user.name.clone(),
            referred_at: now,
            reason,
            risk,
            basis,
            consent,
            next_review: None,
            first_discussed: None,
            closed_at: None,
            closure_reason: None,
        };
        db::insert_referral(&mut tx, &ok, &r).await?;
        let ev = ctx.event(
            "panel.refer",
            "panel_referral",
            Some(r.id),
            Some(child.0),
            Outcome::Allow,
            Some(panel_type.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(r.id)
    }

    /// A child's referrals (the API list, for those who may see the record).
    pub async fn child_referrals(&self, ctx: &Ctx, child: ChildId) -> AppResult<Vec<Referral>> {
        let tx = self.db.begin_write().await?;
        let (mut tx, _, ok) = self
            .authorise_child(tx, ctx, child, ChildAction::ViewRecord)
            .await?;
        let v = db::referrals_for_child(&mut tx, &ok).await?;
        let ev = ctx.event(
            "panel.referrals",
            "child",
            Some(child.0),
            Some(child.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Open referrals and meetings (the coordinator).
    pub async fn panel_overview(&self, ctx: &Ctx) -> AppResult<PanelOverview> {
        self.check_service(ctx, ServiceAction::RunPanel).await?;
        let mut tx = self.db.begin_write().await?;
        let referrals = db::referrals_open(&mut tx).await?;
        let meetings = db::meetings(&mut tx).await?;
        for r in &referrals {
            let ev = ctx.event(
                "panel.view",
                "panel_referral",
                Some(r.id),
                Some(r.child_id.0),
                Outcome::Allow,
                None,
            );
            self.audit(&mut tx, &ev).await?;
        }
        tx.commit().await?;
        Ok(PanelOverview {
            referrals,
            meetings,
        })
    }

    /// Set up a meeting.
    pub async fn create_meeting(&self, ctx: &Ctx, input: &MeetingInput) -> AppResult<Uuid> {
        self.check_service(ctx, ServiceAction::RunPanel).await?;
        let mut errs = FieldErrors::new();
        let panel_type = parse_or(
            &mut errs,
            "panel_type",
            "Select the panel",
            PanelType::parse(input.panel_type.trim()),
        );
        let held_on = validate::date_parts(
            &mut errs,
            "held_on",
            "the date of the meeting",
            &input.day,
            &input.month,
            &input.year,
        );
        let chair = validate::required_text(&mut errs, "chair", "who chairs", &input.chair, 200);
        errs.into_result()?;
        let (Some(panel_type), Some(held_on)) = (panel_type, held_on) else {
            return Err(AppError::Internal("validated".into()));
        };
        let m = Meeting {
            id: Uuid::now_v7(),
            panel_type,
            held_on,
            chair,
            created_by: ctx.me.user.id,
            created_at: self.now(),
        };
        let mut tx = self.db.begin_write().await?;
        db::insert_meeting(&mut tx, &m).await?;
        let ev = ctx.event(
            "panel.meeting.create",
            "panel_meeting",
            Some(m.id),
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(m.id)
    }

    async fn load_meeting(&self, tx: &mut Tx, id: Uuid) -> AppResult<MeetingView> {
        let meeting = db::meeting(tx, id).await?.ok_or(AppError::NotFound)?;
        let discussions = db::discussions_for_meeting(tx, id).await?;
        let open = db::referrals_open(tx).await?;
        let discussed: Vec<Uuid> = discussions.iter().map(|d| d.referral_id).collect();
        // A referral discussed at this meeting is off its agenda; for the
        // others, the agenda is what was due on the meeting's day.
        let rest: Vec<Referral> = open
            .into_iter()
            .filter(|r| !discussed.contains(&r.id))
            .filter(|r| r.referred_at.date_naive() <= meeting.held_on)
            .collect();
        let agenda = build_agenda(&rest, meeting.panel_type, meeting.held_on);
        Ok(MeetingView {
            attendees: db::attendees(tx, id).await?,
            actions: db::actions_for_meeting(tx, id).await?,
            people: harbour_db::users::list(tx)
                .await?
                .into_iter()
                .filter(|u| {
                    u.role == harbour_domain::Role::PartnerPractitioner && u.disabled_at.is_none()
                })
                .collect(),
            orgs: org::list_orgs(tx)
                .await?
                .into_iter()
                .filter(|o| o.kind != OrgKind::SocialCare)
                .collect(),
            agenda,
            discussions,
            meeting,
            today: self.today(),
        })
    }

    /// A meeting: agenda, attendance, discussions, actions (for the page,
    /// the printable agenda and minutes, and the API). Each child named is
    /// an audited read.
    pub async fn panel_meeting(&self, ctx: &Ctx, id: Uuid, what: &str) -> AppResult<MeetingView> {
        self.check_service(ctx, ServiceAction::RunPanel).await?;
        let mut tx = self.db.begin_write().await?;
        let v = self.load_meeting(&mut tx, id).await?;
        let mut kids: Vec<ChildId> = v.agenda.iter().map(|a| a.child_id).collect();
        kids.extend(v.discussions.iter().map(|d| d.child_id));
        kids.sort();
        kids.dedup();
        let evs: Vec<_> = kids
            .into_iter()
            .map(|k| {
                ctx.event(
                    &format!("panel.{what}"),
                    "panel_meeting",
                    Some(id),
                    Some(k.0),
                    Outcome::Allow,
                    None,
                )
            })
            .collect();
        self.audit_all(&mut tx, &evs).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Grant a partner organisation that attended the summary of a child
    /// discussed, until the next review, through the one share mechanism,
    /// and log the disclosure.
    #[allow(clippy::too_many_arguments)]
    async fn grant_attendance(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        ok: &Allowed,
        org: &Organisation,
        meeting: &Meeting,
        next_review: Option<NaiveDate>,
    ) -> AppResult<()> {
        let now = self.now();
        let end = attendance_grant_end(meeting.held_on, next_review, &self.config.panel);
        let expires_at = end.and_hms_opt(23, 59, 59).map(|t| t.and_utc());
        let s = Share {
            id: ShareId::new(),
            child_id: ok.child_id(),
            org_id: org.id,
            org_name: org.name.clone(),
            scope: ShareScope::Summary,
            reason: format!(
                "Attended the {} on {}: summary until the next review",
                meeting.panel_type.label().to_lowercase(),
                meeting.held_on.format("%-d %B %Y")
            ),
            granted_by: ctx.me.user.id,
            granted_at: now,
            expires_at,
        };
        harbour_db::records::insert_share(tx, ok, &s).await?;
        let d = Disclosure {
            id: Uuid::now_v7(),
            child_id: ok.child_id(),
            child_name: String::new(),
            outcome: DisclosureOutcome::Shared,
            recipient_org: Some(org.id),
            recipient: org.name.clone(),
            what: format!(
                "Panel discussion and the child's summary until {}",
                end.format("%-d %B %Y")
            ),
            why: s.reason.clone(),
            basis: Some(LawfulBasis::PublicTaskSafeguarding),
            decided_by: ctx.me.user.id,
            decided_by_name: String::new(),
            decided_at: now,
            source: "panel".into(),
        };
        db::insert_disclosure(tx, ok, &d).await?;
        let ev = ctx.event(
            "share.create",
            "share",
            Some(s.id.0),
            Some(ok.child_id().0),
            Outcome::Allow,
            Some(format!("summary:{}:panel", org.id)),
        );
        self.audit(tx, &ev).await?;
        Ok(())
    }

    async fn panel_child(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        child: ChildId,
        action: &str,
    ) -> AppResult<(Allowed, Option<Allowed>)> {
        let Some(c) = repo::get_with_facts(tx, &ctx.me.actor, child, self.now()).await? else {
            return Err(AppError::NotFound);
        };
        match decide_child(&ctx.me.actor, ChildAction::AddNote, &c.facts) {
            Ok(ok) => Ok((ok, decide_panel_grant(&ctx.me.actor, &c.facts).ok())),
            Err(d) => {
                let ev = ctx.event(
                    action,
                    "child",
                    Some(child.0),
                    Some(child.0),
                    Outcome::Deny,
                    Some(d.reason.as_str().into()),
                );
                self.audit(tx, &ev).await?;
                Err(AppError::Forbidden(Some(d)))
            }
        }
    }

    /// Record who attended. A partner organisation that attends gets each
    /// discussed child's summary until the next review.
    pub async fn add_attendee(
        &self,
        ctx: &Ctx,
        meeting: Uuid,
        input: &AttendeeInput,
    ) -> AppResult<()> {
        self.check_service(ctx, ServiceAction::RunPanel).await?;
        let mut tx = self.db.begin_write().await?;
        let v = self.load_meeting(&mut tx, meeting).await?;
        let mut errs = FieldErrors::new();
        let name = validate::required_text(&mut errs, "name", "their name", &input.name, 200);
        let org = if input.org.trim().is_empty() {
            None
        } else {
            let o = partner(&v.orgs, &input.org);
            if o.is_none() {
                errs.add("org", "Select an organisation from the list");
            }
            o
        };
        let agency = match &org {
            Some(o) => o.name.clone(),
            None => {
                validate::required_text(&mut errs, "agency", "their agency", &input.agency, 200)
            }
        };
        errs.into_result()?;
        let a = Attendee {
            id: Uuid::now_v7(),
            meeting_id: meeting,
            org_id: org.as_ref().map(|o| o.id),
            name,
            agency,
        };
        db::insert_attendee(&mut tx, &a).await?;
        let ev = ctx.event(
            "panel.attendee.add",
            "panel_meeting",
            Some(meeting),
            None,
            Outcome::Allow,
            a.org_id.map(|o| o.to_string()),
        );
        self.audit(&mut tx, &ev).await?;
        if let Some(o) = &org {
            let already: Vec<OrgId> = v.attendees.iter().filter_map(|x| x.org_id).collect();
            if !already.contains(&o.id) {
                for d in &v.discussions {
                    let (_, grant) = self
                        .panel_child(&mut tx, ctx, d.child_id, "panel.attendee.add")
                        .await?;
                    if let Some(g) = grant {
                        self.grant_attendance(&mut tx, ctx, &g, o, &v.meeting, Some(d.next_review))
                            .await?;
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Record a child's discussion at a meeting: the next review follows the
    /// configured cadence, the referral's risk and review date follow, and
    /// the partner agencies present get the child's summary until then.
    pub async fn record_discussion(
        &self,
        ctx: &Ctx,
        meeting: Uuid,
        referral: Uuid,
        input: &DiscussionInput,
    ) -> AppResult<NaiveDate> {
        self.check_service(ctx, ServiceAction::RunPanel).await?;
        let mut tx = self.db.begin_write().await?;
        let v = self.load_meeting(&mut tx, meeting).await?;
        let r = db::referral(&mut tx, referral)
            .await?
            .filter(|r| r.closed_at.is_none())
            .ok_or(AppError::NotFound)?;
        let (ok, grant) = match self
            .panel_child(&mut tx, ctx, r.child_id, "panel.discussion")
            .await
        {
            Ok(x) => x,
            Err(e) => {
                tx.commit().await?;
                return Err(e);
            }
        };
        let mut errs = FieldErrors::new();
        let discussion = validate::required_text(
            &mut errs,
            "discussion",
            "what the panel discussed",
            &input.discussion,
            8_000,
        );
        let risk = parse_or(
            &mut errs,
            "risk",
            "Select the risk level",
            RiskLevel::parse(input.risk.trim()),
        );
        let decisions = validate::required_text(
            &mut errs,
            "decisions",
            "the panel's decisions",
            &input.decisions,
            4_000,
        );
        errs.into_result()?;
        let risk = risk.ok_or(AppError::Internal("validated".into()))?;
        let next = next_review(v.meeting.held_on, risk, &self.config.panel);
        let d = Discussion {
            id: Uuid::now_v7(),
            meeting_id: meeting,
            held_on: v.meeting.held_on,
            panel_type: v.meeting.panel_type,
            referral_id: r.id,
            child_id: r.child_id,
            child_name: r.child_name.clone(),
            discussion,
            risk,
            decisions,
            next_review: next,
            recorded_by: ctx.me.user.id,
            recorded_at: self.now(),
        };
        db::insert_discussion(&mut tx, &ok, &d).await?;
        db::review_referral(&mut tx, &ok, r.id, risk, next, v.meeting.held_on).await?;
        let ev = ctx.event(
            "panel.discussion",
            "panel_meeting",
            Some(meeting),
            Some(r.child_id.0),
            Outcome::Allow,
            Some(risk.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        if let Some(g) = grant {
            let mut done: Vec<OrgId> = Vec::new();
            for a in &v.attendees {
                let Some(o) = a.org_id.and_then(|o| v.orgs.iter().find(|x| x.id == o)) else {
                    continue;
                };
                if done.contains(&o.id) {
                    continue;
                }
                done.push(o.id);
                self.grant_attendance(&mut tx, ctx, &g, o, &v.meeting, Some(next))
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(next)
    }

    /// Agree an action for a child discussed at the meeting, owned by an agency.
    pub async fn add_panel_action(
        &self,
        ctx: &Ctx,
        meeting: Uuid,
        input: &ActionInput,
    ) -> AppResult<Uuid> {
        self.check_service(ctx, ServiceAction::RunPanel).await?;
        let mut tx = self.db.begin_write().await?;
        let v = self.load_meeting(&mut tx, meeting).await?;
        let mut errs = FieldErrors::new();
        let r = input
            .referral
            .trim()
            .parse::<Uuid>()
            .ok()
            .and_then(|id| v.discussions.iter().find(|d| d.referral_id == id));
        if r.is_none() {
            errs.add("referral", "Select a child discussed at this meeting");
        }
        let kind = parse_or(
            &mut errs,
            "kind",
            "Select the kind of action",
            ActionKind::parse(input.kind.trim()),
        );
        let description = validate::required_text(
            &mut errs,
            "description",
            "what is to be done",
            &input.description,
            2_000,
        );
        // A named person (a partner practitioner) and their agency: the
        // agency can be left out when the person is named.
        let person = match input.owner_user.trim() {
            "" => None,
            s => {
                let p = s
                    .parse::<UserId>()
                    .ok()
                    .and_then(|id| v.people.iter().find(|u| u.id == id).cloned());
                if p.is_none() {
                    errs.add(
                        "owner_user",
                        "Select a person from the list, or leave it blank",
                    );
                }
                p
            }
        };
        let owner = match (input.owner_org.trim(), &person) {
            ("", Some(p)) => v.orgs.iter().find(|o| o.id == p.org_id).cloned(),
            (o, _) => partner(&v.orgs, o),
        };
        if owner.is_none() {
            errs.add("owner_org", "Select the agency that owns the action");
        }
        if let (Some(o), Some(p)) = (&owner, &person)
            && p.org_id != o.id
        {
            errs.add(
                "owner_user",
                format!(
                    "{} does not work for {}; choose someone from that agency or change the agency",
                    p.name, o.name
                ),
            );
        }
        let due = validate::date_parts(
            &mut errs,
            "due",
            "the due date",
            &input.day,
            &input.month,
            &input.year,
        );
        errs.into_result()?;
        let (Some(r), Some(kind), Some(owner), Some(due)) = (r, kind, owner, due) else {
            return Err(AppError::Internal("validated".into()));
        };
        let child = r.child_id;
        let (ok, _) = match self
            .panel_child(&mut tx, ctx, child, "panel.action.create")
            .await
        {
            Ok(x) => x,
            Err(e) => {
                tx.commit().await?;
                return Err(e);
            }
        };
        let a = PanelAction {
            id: Uuid::now_v7(),
            meeting_id: meeting,
            referral_id: r.referral_id,
            child_id: child,
            child_name: String::new(),
            kind,
            description,
            owner_org: Some(owner.id),
            owner_org_name: None,
            owner_user: person.as_ref().map(|p| p.id),
            owner_user_name: None,
            due_on: due,
            status: ActionStatus::Open,
            notes: String::new(),
            updated_at: None,
        };
        db::insert_action(&mut tx, &ok, &a, self.now()).await?;
        let ev = ctx.event(
            "panel.action.create",
            "panel_action",
            Some(a.id),
            Some(child.0),
            Outcome::Allow,
            Some(owner.id.to_string()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(a.id)
    }

    /// Close a referral with a reason.
    pub async fn close_panel_referral(
        &self,
        ctx: &Ctx,
        referral: Uuid,
        reason: &str,
    ) -> AppResult<()> {
        self.check_service(ctx, ServiceAction::RunPanel).await?;
        let mut tx = self.db.begin_write().await?;
        let r = db::referral(&mut tx, referral)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut errs = FieldErrors::new();
        let reason = validate::required_text(
            &mut errs,
            "reason",
            "why the referral is closing",
            reason,
            2_000,
        );
        errs.into_result()?;
        let (ok, _) = match self
            .panel_child(&mut tx, ctx, r.child_id, "panel.close")
            .await
        {
            Ok(x) => x,
            Err(e) => {
                tx.commit().await?;
                return Err(e);
            }
        };
        if !db::close_referral(&mut tx, &ok, r.id, self.now(), ctx.me.user.id, &reason).await? {
            return Err(AppError::Conflict(
                "This referral is already closed.".into(),
            ));
        }
        let ev = ctx.event(
            "panel.close",
            "panel_referral",
            Some(r.id),
            Some(r.child_id.0),
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The action tracker: the coordinator sees every agency's actions; a
    /// partner sees its own organisation's.
    pub async fn panel_actions(&self, ctx: &Ctx) -> AppResult<Tracker> {
        self.check_service(ctx, ServiceAction::PanelActions).await?;
        let mut tx = self.db.begin_write().await?;
        let all = ctx.me.actor.role == harbour_domain::Role::PanelCoordinator;
        let actions = if all {
            db::actions_all(&mut tx).await?
        } else {
            db::actions_for_org(&mut tx, ctx.me.actor.org_id, ctx.me.user.id).await?
        };
        let actions: Vec<PanelAction> = actions
            .into_iter()
            .filter(|a| all || may_update_panel_action(&ctx.me.actor, a.owner_org, a.owner_user))
            .collect();
        for a in &actions {
            let ev = ctx.event(
                "panel.actions",
                "panel_action",
                Some(a.id),
                Some(a.child_id.0),
                Outcome::Allow,
                None,
            );
            self.audit(&mut tx, &ev).await?;
        }
        tx.commit().await?;
        Ok(Tracker {
            actions,
            today: self.today(),
            all,
        })
    }

    /// One action, for its update form (only to those who may update it).
    pub async fn panel_action(&self, ctx: &Ctx, id: Uuid) -> AppResult<PanelAction> {
        self.check_service(ctx, ServiceAction::PanelActions).await?;
        let mut tx = self.db.begin_write().await?;
        let a = db::action(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        let allowed = may_update_panel_action(&ctx.me.actor, a.owner_org, a.owner_user);
        let ev = ctx.event(
            "panel.action.view",
            "panel_action",
            Some(a.id),
            Some(a.child_id.0),
            if allowed {
                Outcome::Allow
            } else {
                Outcome::Deny
            },
            (!allowed).then(|| "not_owner".into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        if allowed {
            Ok(a)
        } else {
            Err(AppError::Forbidden(None))
        }
    }

    /// An owner's update: status and notes (a partner only for its own organisation's actions).
    pub async fn update_panel_action(
        &self,
        ctx: &Ctx,
        id: Uuid,
        input: &ActionUpdate,
    ) -> AppResult<PanelAction> {
        self.check_service(ctx, ServiceAction::PanelActions).await?;
        let mut tx = self.db.begin_write().await?;
        let a = db::action(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if !authz::may_update_panel_action(&ctx.me.actor, a.owner_org, a.owner_user) {
            let ev = ctx.event(
                "panel.action.update",
                "panel_action",
                Some(a.id),
                Some(a.child_id.0),
                Outcome::Deny,
                Some("not_owner".into()),
            );
            self.audit(&mut tx, &ev).await?;
            tx.commit().await?;
            return Err(AppError::Forbidden(None));
        }
        let mut errs = FieldErrors::new();
        let status = parse_or(
            &mut errs,
            "status",
            "Select where the action stands",
            ActionStatus::parse(input.status.trim()),
        );
        let notes = validate::optional_text(&mut errs, "notes", "notes", &input.notes, 4_000)
            .unwrap_or_default();
        errs.into_result()?;
        let status = status.ok_or(AppError::Internal("validated".into()))?;
        let now = self.now();
        db::update_action(&mut tx, id, status, &notes, ctx.me.user.id, now).await?;
        let ev = ctx.event(
            "panel.action.update",
            "panel_action",
            Some(a.id),
            Some(a.child_id.0),
            Outcome::Allow,
            Some(status.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(PanelAction {
            status,
            notes,
            updated_at: Some(now),
            ..a
        })
    }

    /// The information-sharing log across the service (the privacy officer).
    pub async fn disclosures(&self, ctx: &Ctx) -> AppResult<Vec<Disclosure>> {
        self.check_service(ctx, ServiceAction::ViewDisclosures)
            .await?;
        let mut tx = self.db.begin_write().await?;
        let v = db::disclosures_recent(&mut tx).await?;
        let ev = ctx.event(
            "disclosures.view",
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

    /// Record a disclosure or a refusal by hand in the information-sharing
    /// log: who may share the child's record ([`ChildAction::Share`]) logs
    /// the decision, for themselves or for the manager who made it.
    /// Checked by [`harbour_domain::panel::check_disclosure`]; audited as
    /// `disclosure.record`.
    pub async fn record_disclosure(
        &self,
        ctx: &Ctx,
        id: ChildId,
        input: &DisclosureInput,
    ) -> AppResult<Uuid> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, _, ok) = self
            .authorise_child(tx, ctx, id, authz::ChildAction::Share)
            .await?;
        let mut errs = FieldErrors::new();
        let outcome = DisclosureOutcome::parse(input.outcome.trim());
        if outcome.is_none() {
            errs.add("outcome", "Select whether the information was shared");
        }
        let orgs = org::list_orgs(&mut tx).await?;
        let org = match input.recipient_org.trim() {
            "" => None,
            s => {
                let o = s
                    .parse::<OrgId>()
                    .ok()
                    .and_then(|i| orgs.iter().find(|o| o.id == i).cloned());
                if o.is_none() {
                    errs.add(
                        "recipient_org",
                        "Select an organisation from the list, or leave it blank",
                    );
                }
                o
            }
        };
        let mut recipient = input.recipient.trim().to_string();
        if recipient.is_empty()
            && let Some(o) = &org
        {
            recipient = o.name.clone();
        }
        let basis = match input.basis.trim() {
            "" => None,
            s => {
                let b = LawfulBasis::parse(s);
                if b.is_none() {
                    errs.add("basis", "Select the lawful basis for sharing");
                }
                b
            }
        };
        let decided_by = match input.decided_by.trim() {
            "" => Some(ctx.me.user.clone()),
            s => {
                let u = match s.parse::<UserId>() {
                    Ok(u) => harbour_db::users::get(&mut tx, u)
                        .await?
                        .filter(|u| u.disabled_at.is_none()),
                    Err(_) => None,
                };
                if u.is_none() {
                    errs.add(
                        "decided_by",
                        "Select who decided, or leave it blank if it was you",
                    );
                }
                u
            }
        };
        let at = crate::children::event_time(
            &mut errs,
            now,
            &input.day,
            &input.month,
            &input.year,
            &input.time,
            "when it was decided",
        );
        for (field, v, max) in [
            ("recipient", &recipient, 300),
            ("what", &input.what, 2000),
            ("why", &input.why, 2000),
        ] {
            if v.trim().chars().count() > max {
                errs.add(field, format!("Keep this to {max} characters or fewer"));
            }
        }
        let d = Disclosure {
            id: Uuid::now_v7(),
            child_id: id,
            child_name: String::new(),
            outcome: outcome.unwrap_or(DisclosureOutcome::Refused),
            recipient_org: org.as_ref().map(|o| o.id),
            recipient,
            what: input.what.trim().to_string(),
            why: input.why.trim().to_string(),
            basis: if outcome == Some(DisclosureOutcome::Refused) {
                None
            } else {
                basis
            },
            decided_by: decided_by.as_ref().map(|u| u.id).unwrap_or(ctx.me.user.id),
            decided_by_name: String::new(),
            decided_at: at.unwrap_or(now),
            source: "manual".into(),
        };
        if outcome.is_some() {
            for (field, msg) in harbour_domain::panel::check_disclosure(&d) {
                errs.add(field, msg);
            }
        }
        errs.into_result()?;
        db::insert_disclosure(&mut tx, &ok, &d).await?;
        let ev = ctx.event(
            "disclosure.record",
            "disclosure",
            Some(d.id),
            Some(id.0),
            Outcome::Allow,
            Some(d.outcome.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(d.id)
    }

    /// The referral form's child (an audited read of the summary, as other forms).
    pub async fn referral_form(
        &self,
        ctx: &Ctx,
        child: ChildId,
    ) -> AppResult<harbour_domain::model::Child> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let Some(c) = repo::get_with_facts(&mut tx, &ctx.me.actor, child, now).await? else {
            return Err(AppError::NotFound);
        };
        let (outcome, reason) = match decide_panel_referral(&ctx.me.actor, &c.facts) {
            Ok(_) => (Outcome::Allow, None),
            Err(d) => (Outcome::Deny, Some(d)),
        };
        let ev = ctx.event(
            "panel.refer.form",
            "child",
            Some(child.0),
            Some(child.0),
            outcome,
            reason.map(|d| d.reason.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        match reason {
            None => Ok(c.child),
            Some(d) => Err(AppError::Forbidden(Some(d))),
        }
    }
}
