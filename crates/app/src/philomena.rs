//! The Philomena profile and the police handover pack (Philomena Protocol,
//! Durham Constabulary 2019; see `harbour_domain::philomena`). Viewing, the
//! photo and the pack need `ViewPhilomena`; saving a version needs `Edit`.
//! Each read and each save is audited in its own transaction.

use crate::{App, AppError, AppResult, Ctx};
use harbour_db::philomena as repo;
use harbour_db::records;
use harbour_domain::audit::Outcome;
use harbour_domain::authz::{Allowed, ChildAction, decide_child};
use harbour_domain::calendar;
use harbour_domain::ids::ChildId;
use harbour_domain::missing::MissingEpisode;
use harbour_domain::model::{Child, LegalStatusPeriod, Placement};
use harbour_domain::philomena::*;
use harbour_domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};

/// A profile as typed (strings, as forms send them).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct ProfileInput {
    /// Height.
    #[serde(default)]
    pub height: String,
    /// Build.
    #[serde(default)]
    pub build: String,
    /// Hair.
    #[serde(default)]
    pub hair: String,
    /// Eyes.
    #[serde(default)]
    pub eyes: String,
    /// Distinguishing marks.
    #[serde(default)]
    pub marks: String,
    /// Usual clothing.
    #[serde(default)]
    pub clothing: String,
    /// Vulnerabilities.
    #[serde(default)]
    pub vulnerabilities: String,
    /// Medical needs and medication.
    #[serde(default)]
    pub medical: String,
    /// Associates, one per line.
    #[serde(default)]
    pub associates: String,
    /// Places, one per line.
    #[serde(default)]
    pub places: String,
    /// Phones and social media.
    #[serde(default)]
    pub phones_social: String,
    /// Transport and money.
    #[serde(default)]
    pub transport_finances: String,
    /// The version the form was opened on ("0" for none); a save on top of
    /// a newer version is refused rather than silently replacing it.
    #[serde(default)]
    pub base_version: String,
    /// "yes" to drop the photo from the new version.
    #[serde(default)]
    pub remove_photo: String,
}

impl ProfileInput {
    /// The form prefilled from a version (or empty).
    pub fn from_profile(p: Option<&PhilomenaProfile>) -> Self {
        let Some(p) = p else {
            return Self {
                base_version: "0".into(),
                ..Default::default()
            };
        };
        let d = &p.details;
        let desc = &d.description;
        Self {
            height: desc.height.clone(),
            build: desc.build.clone(),
            hair: desc.hair.clone(),
            eyes: desc.eyes.clone(),
            marks: desc.marks.clone(),
            clothing: desc.clothing.clone(),
            vulnerabilities: d.vulnerabilities.clone(),
            medical: d.medical.clone(),
            associates: d.associates.clone(),
            places: d.places.clone(),
            phones_social: d.phones_social.clone(),
            transport_finances: d.transport_finances.clone(),
            base_version: p.version.to_string(),
            remove_photo: String::new(),
        }
    }

    fn details(&self) -> ProfileDetails {
        ProfileDetails {
            description: PhysicalDescription {
                height: self.height.clone(),
                build: self.build.clone(),
                hair: self.hair.clone(),
                eyes: self.eyes.clone(),
                marks: self.marks.clone(),
                clothing: self.clothing.clone(),
            },
            vulnerabilities: self.vulnerabilities.clone(),
            medical: self.medical.clone(),
            associates: self.associates.clone(),
            places: self.places.clone(),
            phones_social: self.phones_social.clone(),
            transport_finances: self.transport_finances.clone(),
        }
        .normalised()
    }
}

/// A photo's type and bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Photo {
    /// JPEG or PNG.
    pub kind: PhotoType,
    /// The image.
    pub bytes: Vec<u8>,
}

/// The profile page: every version, and the one asked for.
#[derive(Clone, Debug)]
pub struct ProfileView {
    /// The child.
    pub child: Child,
    /// Every version, newest (current) first.
    pub versions: Vec<PhilomenaProfile>,
    /// The version shown (the current one unless another was asked for).
    pub shown: Option<PhilomenaProfile>,
    /// Whether the viewer may save a new version.
    pub can_edit: bool,
}

/// The police handover pack: everything police need on a missing report,
/// in one document.
#[derive(Clone, Debug)]
pub struct PolicePack {
    /// The child.
    pub child: Child,
    /// Age today.
    pub age: u32,
    /// Current legal status.
    pub legal_status: Option<LegalStatusPeriod>,
    /// Current placement (carer and contact).
    pub placement: Option<Placement>,
    /// Allocated worker.
    pub worker_name: Option<String>,
    /// Their team.
    pub team_name: Option<String>,
    /// The current profile.
    pub profile: Option<PhilomenaProfile>,
    /// Its photo.
    pub photo: Option<Photo>,
    /// The open episode, if the child is missing now.
    pub open_episode: Option<MissingEpisode>,
    /// The history.
    pub history: MissingHistory,
    /// Produced at.
    pub produced_at: chrono::DateTime<chrono::Utc>,
    /// Produced by.
    pub produced_by: String,
}

fn reason(version: Option<i64>, ok: &Allowed) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(v) = version {
        parts.push(format!("version {v}"));
    }
    if ok.via_break_glass() {
        parts.push("break_glass".to_string());
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

impl App {
    fn philomena_event(
        &self,
        ctx: &Ctx,
        action: &str,
        child: ChildId,
        version: Option<i64>,
        ok: &Allowed,
    ) -> harbour_domain::audit::AuditEvent {
        ctx.event(
            action,
            "philomena_profile",
            Some(child.0),
            Some(child.0),
            Outcome::Allow,
            reason(version, ok),
        )
    }

    /// A child's profile: every version and the one asked for (`None`: the
    /// current one). Audited as `philomena.view`.
    pub async fn philomena(
        &self,
        ctx: &Ctx,
        child: ChildId,
        version: Option<i64>,
    ) -> AppResult<ProfileView> {
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child(tx, ctx, child, ChildAction::ViewPhilomena)
            .await?;
        let versions = repo::history(&mut tx, &ok).await?;
        let shown = match version {
            None => versions.first().cloned(),
            Some(v) => Some(
                versions
                    .iter()
                    .find(|p| p.version == v)
                    .cloned()
                    .ok_or(AppError::NotFound)?,
            ),
        };
        let ev = self.philomena_event(
            ctx,
            "philomena.view",
            child,
            shown.as_ref().map(|p| p.version),
            &ok,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(ProfileView {
            can_edit: decide_child(&ctx.me.actor, ChildAction::Edit, &c.facts).is_ok(),
            child: c.child,
            versions,
            shown,
        })
    }

    /// The child and current profile, to show the form for a new version.
    /// Audited as `philomena.edit.form`.
    pub async fn philomena_form(
        &self,
        ctx: &Ctx,
        child: ChildId,
    ) -> AppResult<(Child, Option<PhilomenaProfile>)> {
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child_as(tx, ctx, child, ChildAction::Edit, "philomena.edit.form")
            .await?;
        let current = repo::current(&mut tx, &ok).await?;
        let ev = self.philomena_event(
            ctx,
            "philomena.edit.form",
            child,
            current.as_ref().map(|p| p.version),
            &ok,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok((c.child, current))
    }

    /// Save a new version. `photo` is an uploaded file (JPEG or PNG, at most
    /// 2 MiB); without one the new version keeps the current photo, unless
    /// `remove_photo` is set. Bad input changes nothing. Audited as
    /// `philomena.save`. Returns the new version number.
    pub async fn save_philomena(
        &self,
        ctx: &Ctx,
        child: ChildId,
        input: &ProfileInput,
        photo: Option<&[u8]>,
    ) -> AppResult<i64> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, _, ok) = self
            .authorise_child_as(tx, ctx, child, ChildAction::Edit, "philomena.save")
            .await?;
        let current = repo::current(&mut tx, &ok).await?;
        let current_version = current.as_ref().map_or(0, |p| p.version);
        let stale = || {
            AppError::Conflict(
                "Someone else saved a new version of this profile while you were editing it. Open the profile again to see their changes, then make yours."
                    .into(),
            )
        };
        match input.base_version.trim() {
            "" => {}
            b if b.parse::<i64>().ok() == Some(current_version) => {}
            _ => return Err(stale()),
        }
        let details = input.details();
        let mut errs = FieldErrors::new();
        for p in check_profile(&details) {
            errs.add(p.field, p.message);
        }
        let upload = match photo.filter(|b| !b.is_empty()) {
            None => None,
            Some(bytes) => match check_photo(bytes) {
                Ok(kind) => Some((kind, bytes)),
                Err(m) => {
                    errs.add("photo", m);
                    None
                }
            },
        };
        errs.into_result()?;
        let photo = match upload {
            Some((kind, bytes)) => {
                Some(repo::insert_photo(&mut tx, &ok, kind, bytes, ctx.me.user.id, now).await?)
            }
            None if matches!(input.remove_photo.as_str(), "yes" | "on" | "true") => None,
            None => current.and_then(|p| p.photo),
        };
        let profile = PhilomenaProfile {
            child_id: child,
            version: current_version + 1,
            details,
            photo,
            recorded_by: ctx.me.user.id,
            recorded_by_name: ctx.me.user.name.clone(),
            recorded_at: now,
        };
        repo::insert(&mut tx, &ok, &profile)
            .await
            .map_err(|e| match e {
                harbour_db::DbError::UniqueViolation => stale(),
                other => other.into(),
            })?;
        let ev = self.philomena_event(ctx, "philomena.save", child, Some(profile.version), &ok);
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(profile.version)
    }

    /// The photo of a version (`None`: the current one). Audited as
    /// `philomena.photo`.
    pub async fn philomena_photo(
        &self,
        ctx: &Ctx,
        child: ChildId,
        version: Option<i64>,
    ) -> AppResult<Photo> {
        let tx = self.db.begin_write().await?;
        let (mut tx, _, ok) = self
            .authorise_child_as(
                tx,
                ctx,
                child,
                ChildAction::ViewPhilomena,
                "philomena.photo",
            )
            .await?;
        let profile = match version {
            None => repo::current(&mut tx, &ok).await?,
            Some(v) => repo::version(&mut tx, &ok, v).await?,
        };
        let profile = profile.ok_or(AppError::NotFound)?;
        let meta = profile.photo.ok_or(AppError::NotFound)?;
        let (kind, bytes) = repo::photo(&mut tx, &ok, meta.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let ev = self.philomena_event(ctx, "philomena.photo", child, Some(profile.version), &ok);
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(Photo { kind, bytes })
    }

    /// The police handover pack: the current profile and photo with the
    /// child's identity, legal status, placement and carer, the open episode
    /// and the missing history. Audited as `philomena.pack`.
    pub async fn police_pack(&self, ctx: &Ctx, child: ChildId) -> AppResult<PolicePack> {
        let now = self.now();
        let tx = self.db.begin_write().await?;
        let (mut tx, c, ok) = self
            .authorise_child_as(tx, ctx, child, ChildAction::ViewPhilomena, "philomena.pack")
            .await?;
        let profile = repo::current(&mut tx, &ok).await?;
        let photo = match profile.as_ref().and_then(|p| p.photo.as_ref()) {
            Some(m) => repo::photo(&mut tx, &ok, m.id)
                .await?
                .map(|(kind, bytes)| Photo { kind, bytes }),
            None => None,
        };
        let legal_status = records::legal_statuses(&mut tx, &ok)
            .await?
            .into_iter()
            .filter(|l| l.end_date.is_none())
            .max_by_key(|l| l.start_date);
        let placement = records::placements(&mut tx, &ok)
            .await?
            .into_iter()
            .find(|p| p.end_date.is_none());
        let episodes = harbour_db::missing::for_child(&mut tx, &ok).await?;
        let today = calendar::london_date(now);
        let ev = self.philomena_event(
            ctx,
            "philomena.pack",
            child,
            profile.as_ref().map(|p| p.version),
            &ok,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(PolicePack {
            age: harbour_domain::rules::age_on(c.child.dob, today),
            child: c.child,
            legal_status,
            placement,
            worker_name: c.worker_name,
            team_name: c.team_name,
            profile,
            photo,
            open_episode: episodes.iter().find(|e| e.is_open()).cloned(),
            history: missing_history(&episodes, today),
            produced_at: now,
            produced_by: ctx.me.user.name.clone(),
        })
    }
}
