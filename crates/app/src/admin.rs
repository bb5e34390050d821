//! Accounts, teams and pods: used by `sysadmin` in the browser and by the
//! `harbour user` / `harbour token` commands.

use crate::auth::{generate_password, hash_password, new_token, new_totp_secret, token_hash};
use crate::{App, AppError, AppResult, Ctx};
use harbour_db::{Tx, org, sessions, users};
use harbour_domain::Role;
use harbour_domain::audit::{AuditEvent, Outcome};
use harbour_domain::authz::ServiceAction;
use harbour_domain::ids::*;
use harbour_domain::model::*;
use harbour_domain::validate::{self, FieldErrors};

/// A new account's details as typed.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct NewUserInput {
    /// Email.
    #[serde(default)]
    pub email: String,
    /// Full name.
    #[serde(default)]
    pub name: String,
    /// Role machine name.
    #[serde(default)]
    pub role: String,
    /// Team name or id (optional).
    #[serde(default)]
    pub team: String,
    /// Organisation name or id (optional: the authority's social care).
    #[serde(default)]
    pub org: String,
    /// Password (optional: one is generated).
    #[serde(default)]
    pub password: String,
}

/// A person's details as typed on the edit form.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct EditUserInput {
    /// Full name.
    #[serde(default)]
    pub name: String,
    /// Role machine name.
    #[serde(default)]
    pub role: String,
    /// Team id, or empty.
    #[serde(default)]
    pub team: String,
    /// Pod id, or empty.
    #[serde(default)]
    pub pod: String,
    /// Full-time equivalent as a percentage, 1 to 100.
    #[serde(default)]
    pub fte: String,
    /// Social Work England registration number.
    #[serde(default)]
    pub swe_number: String,
    /// "yes" for agency staff.
    #[serde(default)]
    pub agency: Option<String>,
    /// ASYE start: day.
    #[serde(default)]
    pub asye_day: String,
    /// Month.
    #[serde(default)]
    pub asye_month: String,
    /// Year.
    #[serde(default)]
    pub asye_year: String,
}

impl EditUserInput {
    /// The form pre-filled from a user.
    pub fn from_user(u: &User) -> Self {
        use chrono::Datelike;
        Self {
            name: u.name.clone(),
            role: u.role.as_str().into(),
            team: u.team_id.map(|t| t.to_string()).unwrap_or_default(),
            pod: u.pod_id.map(|p| p.to_string()).unwrap_or_default(),
            fte: u.fte_hundredths.to_string(),
            swe_number: u.swe_number.clone().unwrap_or_default(),
            agency: u.agency.then(|| "yes".into()),
            asye_day: u
                .asye_start
                .map(|d| d.day().to_string())
                .unwrap_or_default(),
            asye_month: u
                .asye_start
                .map(|d| d.month().to_string())
                .unwrap_or_default(),
            asye_year: u
                .asye_start
                .map(|d| d.year().to_string())
                .unwrap_or_default(),
        }
    }
}

/// Whether text is a Social Work England registration number: "SW" then digits.
/// Source: Social Work England register; SSDA903 SW_ID uses the same form.
pub fn is_swe_number(s: &str) -> bool {
    s.len() >= 3
        && s.len() <= 10
        && s.starts_with("SW")
        && s[2..].chars().all(|c| c.is_ascii_digit())
}

/// What creating an account gives back, shown once.
#[derive(Clone, Debug)]
pub struct CreatedUser {
    /// The user.
    pub user: User,
    /// The generated password, if none was given.
    pub generated_password: Option<String>,
    /// The TOTP secret, for roles that need a second factor.
    pub totp_secret: Option<String>,
}

/// Staff, teams and pods for the admin pages.
#[derive(Clone, Debug)]
pub struct StaffDirectory {
    /// Users.
    pub users: Vec<User>,
    /// Teams.
    pub teams: Vec<Team>,
    /// Pods.
    pub pods: Vec<Pod>,
    /// Organisations.
    pub orgs: Vec<Organisation>,
    /// Accounts linked to an identity at the single sign-on provider.
    pub sso_linked: Vec<UserId>,
}

/// The system actor's audit event (CLI and loaders).
pub fn system_event(
    action: &str,
    target_kind: &str,
    target_id: Option<uuid::Uuid>,
    reason: Option<String>,
) -> AuditEvent {
    AuditEvent {
        actor_id: None,
        actor_role: "system".into(),
        action: action.into(),
        target_kind: target_kind.into(),
        target_id,
        child_id: None,
        outcome: Outcome::Allow,
        reason,
        request_id: None,
    }
}

impl App {
    async fn build_user(&self, tx: &mut Tx, input: &NewUserInput) -> AppResult<CreatedUser> {
        let mut errs = FieldErrors::new();
        let email = validate::email(&mut errs, "email", &input.email);
        let name = validate::required_text(
            &mut errs,
            "name",
            "the person's full name",
            &input.name,
            200,
        );
        let role = input.role.parse::<Role>().ok();
        if role.is_none() {
            errs.add("role", "Select a role");
        }
        let teams = org::list_teams(tx).await?;
        let team = match input.team.trim() {
            "" => None,
            t => match teams
                .iter()
                .find(|x| x.name.eq_ignore_ascii_case(t) || x.id.to_string() == t)
            {
                Some(x) => Some(x.clone()),
                None => {
                    errs.add("team", format!("There is no team called '{t}'"));
                    None
                }
            },
        };
        let orgs = org::list_orgs(tx).await?;
        let organisation = match input.org.trim() {
            "" => orgs.iter().find(|o| o.kind == OrgKind::SocialCare).cloned(),
            o => orgs
                .iter()
                .find(|x| x.name.eq_ignore_ascii_case(o) || x.id.to_string() == o)
                .cloned(),
        };
        if organisation.is_none() {
            errs.add("org", "Select an organisation that exists");
        }
        if let Some(r) = role
            && r.is_external()
            && organisation
                .as_ref()
                .is_some_and(|o| o.kind == OrgKind::SocialCare)
        {
            errs.add(
                "org",
                "Partner and provider accounts must belong to their own organisation",
            );
        }
        let generated = input.password.is_empty().then(generate_password);
        let password = generated.clone().unwrap_or_else(|| input.password.clone());
        if let Some(p) = validate::password_problem(&password) {
            errs.add("password", p);
        }
        if users::by_email(tx, &email).await?.is_some() {
            errs.add("email", "An account with this email address already exists");
        }
        errs.into_result()?;
        let role = role.ok_or(AppError::NotFound)?;
        let organisation = organisation.ok_or(AppError::NotFound)?;
        let totp_secret = role.requires_totp().then(new_totp_secret);
        let user = User {
            id: UserId::new(),
            email,
            name,
            role,
            org_id: organisation.id,
            team_id: team.as_ref().map(|t| t.id),
            pod_id: if role == Role::PodAdmin {
                team.as_ref().and_then(|t| t.pod_id)
            } else {
                None
            },
            fte_hundredths: 100,
            swe_number: None,
            agency: false,
            asye_start: None,
            disabled_at: None,
            totp_enabled: totp_secret.is_some(),
        };
        users::insert(
            tx,
            &user,
            &hash_password(self.config.password_hash_cost, &password)?,
            totp_secret.as_deref(),
            self.now(),
        )
        .await?;
        Ok(CreatedUser {
            user,
            generated_password: generated,
            totp_secret,
        })
    }

    /// On a new database, create the home authority's children's social care
    /// organisation (and the DfE authority list) so the first accounts have
    /// somewhere to belong.
    async fn ensure_home_org(&self, tx: &mut Tx) -> AppResult<()> {
        if org::home_org(tx).await?.is_some() {
            return Ok(());
        }
        for (code, name) in harbour_domain::la_codes::LA_CODES {
            org::upsert_authority(
                tx,
                &Authority {
                    la_code: code.to_string(),
                    name: name.to_string(),
                },
            )
            .await?;
        }
        let home = &self.config.home_la;
        let Some(name) = harbour_domain::la_codes::la_name(home) else {
            return Err(AppError::Conflict(format!(
                "home_la '{home}' is not a DfE local authority code"
            )));
        };
        let o = Organisation {
            id: OrgId::new(),
            name: format!("{name} children's social care"),
            kind: OrgKind::SocialCare,
            la_code: Some(home.clone()),
        };
        org::insert_org(tx, &o).await?;
        self.audit(
            tx,
            &system_event(
                "org.create",
                "organisation",
                Some(o.id.0),
                Some("home authority".into()),
            ),
        )
        .await?;
        Ok(())
    }

    /// Add a partner organisation from the command line.
    pub async fn add_org_system(
        &self,
        name: &str,
        kind: &str,
        la_code: Option<&str>,
    ) -> AppResult<Organisation> {
        let mut errs = FieldErrors::new();
        let name = validate::required_text(&mut errs, "name", "the organisation's name", name, 200);
        let kind = OrgKind::parse(kind);
        if kind.is_none() {
            errs.add("kind", "Choose a kind: social_care, police, health, education, rhi_provider, other_authority or voluntary");
        }
        if la_code.is_some_and(|c| !harbour_domain::la_codes::is_la_code(c)) {
            errs.add("la", "Enter a DfE local authority code, for example 861");
        }
        let mut tx = self.db.begin_write().await?;
        self.ensure_home_org(&mut tx).await?;
        if !name.is_empty() && org::org_by_name(&mut tx, &name).await?.is_some() {
            errs.add("name", "An organisation with this name already exists");
        }
        errs.into_result()?;
        let o = Organisation {
            id: OrgId::new(),
            name,
            kind: kind.ok_or(AppError::NotFound)?,
            la_code: la_code.map(str::to_string),
        };
        org::insert_org(&mut tx, &o).await?;
        self.audit(
            &mut tx,
            &system_event(
                "org.create",
                "organisation",
                Some(o.id.0),
                Some(o.kind.as_str().into()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(o)
    }

    /// Create an account from the command line (the system acts).
    pub async fn add_user_system(&self, input: &NewUserInput) -> AppResult<CreatedUser> {
        let mut tx = self.db.begin_write().await?;
        self.ensure_home_org(&mut tx).await?;
        let created = self.build_user(&mut tx, input).await?;
        self.audit(
            &mut tx,
            &system_event(
                "user.create",
                "user",
                Some(created.user.id.0),
                Some(created.user.role.as_str().into()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Create an account as a signed-in `sysadmin`.
    pub async fn add_user(&self, ctx: &Ctx, input: &NewUserInput) -> AppResult<CreatedUser> {
        self.check_service(ctx, ServiceAction::ManageStaff).await?;
        let mut tx = self.db.begin_write().await?;
        let created = self.build_user(&mut tx, input).await?;
        let ev = ctx.event(
            "user.create",
            "user",
            Some(created.user.id.0),
            None,
            Outcome::Allow,
            Some(created.user.role.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn disable_in(&self, tx: &mut Tx, user: UserId) -> AppResult<u64> {
        users::disable(tx, user, self.now()).await?;
        users::revoke_tokens(tx, user, self.now()).await?;
        Ok(sessions::delete_for_user(tx, user).await?)
    }

    /// Disable an account from the command line: ends its sessions and tokens at once.
    pub async fn disable_user_system(&self, email: &str) -> AppResult<(User, u64)> {
        let mut tx = self.db.begin_write().await?;
        let creds = users::by_email(&mut tx, &email.trim().to_lowercase())
            .await?
            .ok_or(AppError::NotFound)?;
        let ended = self.disable_in(&mut tx, creds.user.id).await?;
        self.audit(
            &mut tx,
            &system_event(
                "user.disable",
                "user",
                Some(creds.user.id.0),
                Some(format!("{ended} sessions ended")),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok((creds.user, ended))
    }

    /// Disable an account as `sysadmin`.
    pub async fn disable_user(&self, ctx: &Ctx, user: UserId) -> AppResult<u64> {
        self.check_service(ctx, ServiceAction::ManageStaff).await?;
        if user == ctx.me.user.id {
            let mut e = FieldErrors::new();
            e.add("user", "You cannot disable your own account");
            return Err(AppError::Validation(e));
        }
        let mut tx = self.db.begin_write().await?;
        users::get(&mut tx, user).await?.ok_or(AppError::NotFound)?;
        let ended = self.disable_in(&mut tx, user).await?;
        let ev = ctx.event(
            "user.disable",
            "user",
            Some(user.0),
            None,
            Outcome::Allow,
            Some(format!("{ended} sessions ended")),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// Create an API token for a user (command line). Returns the token, shown once.
    pub async fn create_token_system(&self, email: &str, label: &str) -> AppResult<String> {
        let mut errs = FieldErrors::new();
        let label = validate::required_text(&mut errs, "name", "a label for the token", label, 100);
        errs.into_result()?;
        let mut tx = self.db.begin_write().await?;
        let creds = users::by_email(&mut tx, &email.trim().to_lowercase())
            .await?
            .ok_or(AppError::NotFound)?;
        if creds.user.disabled_at.is_some() {
            return Err(AppError::Conflict("That account is disabled.".into()));
        }
        let token = format!("hbr_{}", new_token());
        let id = TokenId::new();
        users::insert_token(
            &mut tx,
            id,
            creds.user.id,
            &label,
            &token_hash(&token),
            self.now(),
        )
        .await?;
        self.audit(
            &mut tx,
            &system_event(
                "token.create",
                "token",
                Some(id.0),
                Some(format!("user {}", creds.user.id)),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Revoke a user's API tokens with a label (command line).
    pub async fn revoke_token_system(&self, email: &str, label: &str) -> AppResult<u64> {
        let mut tx = self.db.begin_write().await?;
        let creds = users::by_email(&mut tx, &email.trim().to_lowercase())
            .await?
            .ok_or(AppError::NotFound)?;
        let n = users::revoke_token_named(&mut tx, creds.user.id, label, self.now()).await?;
        self.audit(
            &mut tx,
            &system_event(
                "token.revoke",
                "user",
                Some(creds.user.id.0),
                Some(format!("{n} tokens")),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Staff, teams, pods and organisations.
    pub async fn staff_directory(&self, ctx: &Ctx) -> AppResult<StaffDirectory> {
        self.check_service(ctx, ServiceAction::ViewStaff).await?;
        let mut tx = self.db.begin_read().await?;
        let d = StaffDirectory {
            users: users::list(&mut tx).await?,
            teams: org::list_teams(&mut tx).await?,
            pods: org::list_pods(&mut tx).await?,
            orgs: org::list_orgs(&mut tx).await?,
            sso_linked: harbour_db::oidc::linked_users(&mut tx).await?,
        };
        tx.commit().await?;
        Ok(d)
    }

    /// One person, for the edit form.
    pub async fn staff_member(&self, ctx: &Ctx, id: UserId) -> AppResult<User> {
        self.check_service(ctx, ServiceAction::ManageStaff).await?;
        let mut tx = self.db.begin_read().await?;
        let u = users::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(u)
    }

    /// Change a person's role, team, pod, FTE, registration, agency status and
    /// ASYE start. Moving someone into a role that needs a second factor gives
    /// them a TOTP secret, returned to be shown once.
    pub async fn edit_user(
        &self,
        ctx: &Ctx,
        id: UserId,
        input: &EditUserInput,
    ) -> AppResult<Option<String>> {
        self.check_service(ctx, ServiceAction::ManageStaff).await?;
        let today = harbour_domain::calendar::london_date(self.now());
        let mut tx = self.db.begin_write().await?;
        let mut u = users::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        let mut errs = FieldErrors::new();
        u.name = validate::required_text(
            &mut errs,
            "name",
            "the person's full name",
            &input.name,
            200,
        );
        match input.role.parse::<Role>() {
            Ok(r) => u.role = r,
            Err(_) => errs.add("role", "Select a role"),
        }
        let orgs = org::list_orgs(&mut tx).await?;
        let in_social_care = orgs
            .iter()
            .any(|o| o.id == u.org_id && o.kind == OrgKind::SocialCare);
        if u.role.is_external() == in_social_care {
            errs.add("role", if in_social_care { "Partner and provider roles belong to partner organisations" } else { "This person belongs to a partner organisation, so their role must be a partner or provider role" });
        }
        if id == ctx.me.user.id && u.role != Role::Sysadmin {
            errs.add("role", "You cannot remove your own administrator role");
        }
        let teams = org::list_teams(&mut tx).await?;
        u.team_id = match input.team.trim() {
            "" => None,
            t => match teams.iter().find(|x| x.id.to_string() == t) {
                Some(x) => Some(x.id),
                None => {
                    errs.add("team", "Select a team that exists");
                    None
                }
            },
        };
        let pods = org::list_pods(&mut tx).await?;
        u.pod_id = match input.pod.trim() {
            "" => None,
            p => match pods.iter().find(|x| x.id.to_string() == p) {
                Some(x) => Some(x.id),
                None => {
                    errs.add("pod", "Select a pod that exists");
                    None
                }
            },
        };
        match input.fte.trim().trim_end_matches('%').parse::<i32>() {
            Ok(n) if (1..=100).contains(&n) => u.fte_hundredths = n,
            _ => errs.add(
                "fte",
                "Enter the full-time equivalent as a percentage from 1 to 100",
            ),
        }
        let swe = input.swe_number.trim().to_uppercase();
        u.swe_number = if swe.is_empty() {
            None
        } else if is_swe_number(&swe) {
            Some(swe)
        } else {
            errs.add(
                "swe_number",
                "Enter a Social Work England number like SW123456, or leave it blank",
            );
            None
        };
        u.agency = matches!(input.agency.as_deref(), Some("yes" | "on" | "true"));
        u.asye_start = if [&input.asye_day, &input.asye_month, &input.asye_year]
            .iter()
            .all(|v| v.trim().is_empty())
        {
            None
        } else {
            let d = validate::date_parts(
                &mut errs,
                "asye_day",
                "the ASYE start date",
                &input.asye_day,
                &input.asye_month,
                &input.asye_year,
            );
            if d.is_some_and(|d| d > today) {
                errs.add(
                    "asye_day",
                    "The ASYE start date must be today or in the past",
                );
            }
            d
        };
        errs.into_result()?;
        users::update_details(&mut tx, &u).await?;
        let secret = (u.role.requires_totp() && !u.totp_enabled).then(new_totp_secret);
        if let Some(sec) = &secret {
            users::set_totp(&mut tx, id, Some(sec)).await?;
        }
        let ev = ctx.event(
            "user.update",
            "user",
            Some(id.0),
            None,
            Outcome::Allow,
            Some(u.role.as_str().into()),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// Set (or clear) a team's manager.
    pub async fn set_team_manager(&self, ctx: &Ctx, team: TeamId, manager: &str) -> AppResult<()> {
        self.check_service(ctx, ServiceAction::ManageStaff).await?;
        let mut tx = self.db.begin_write().await?;
        org::team(&mut tx, team).await?.ok_or(AppError::NotFound)?;
        let manager = match manager.trim() {
            "" => None,
            m => {
                let u = match m.parse::<UserId>() {
                    Ok(id) => users::get(&mut tx, id).await?,
                    Err(_) => None,
                };
                match u {
                    Some(u) if u.role == Role::TeamManager && u.disabled_at.is_none() => Some(u.id),
                    _ => {
                        let mut e = FieldErrors::new();
                        e.add("manager", "Select a team manager");
                        return Err(AppError::Validation(e));
                    }
                }
            }
        };
        org::set_team_manager(&mut tx, team, manager).await?;
        let ev = ctx.event(
            "team.set_manager",
            "team",
            Some(team.0),
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Create a team (optionally in a pod).
    pub async fn add_team(&self, ctx: &Ctx, name: &str, pod: &str) -> AppResult<TeamId> {
        self.check_service(ctx, ServiceAction::ManageStaff).await?;
        let mut errs = FieldErrors::new();
        let name = validate::required_text(&mut errs, "name", "the team's name", name, 100);
        let mut tx = self.db.begin_write().await?;
        let pods = org::list_pods(&mut tx).await?;
        let pod_id = match pod.trim() {
            "" => None,
            p => match pods.iter().find(|x| x.id.to_string() == p) {
                Some(x) => Some(x.id),
                None => {
                    errs.add("pod", "Select a pod that exists");
                    None
                }
            },
        };
        if !name.is_empty() && org::team_by_name(&mut tx, &name).await?.is_some() {
            errs.add("name", "A team with this name already exists");
        }
        errs.into_result()?;
        let t = Team {
            id: TeamId::new(),
            name,
            pod_id,
            manager_id: None,
        };
        org::insert_team(&mut tx, &t).await?;
        let ev = ctx.event(
            "team.create",
            "team",
            Some(t.id.0),
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(t.id)
    }

    /// Create a pod.
    pub async fn add_pod(&self, ctx: &Ctx, name: &str) -> AppResult<PodId> {
        self.check_service(ctx, ServiceAction::ManageStaff).await?;
        let mut errs = FieldErrors::new();
        let name = validate::required_text(&mut errs, "pod_name", "the pod's name", name, 100);
        let mut tx = self.db.begin_write().await?;
        if !name.is_empty()
            && org::list_pods(&mut tx)
                .await?
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(&name))
        {
            errs.add("pod_name", "A pod with this name already exists");
        }
        errs.into_result()?;
        let p = Pod {
            id: PodId::new(),
            name,
        };
        org::insert_pod(&mut tx, &p).await?;
        let ev = ctx.event(
            "pod.create",
            "pod",
            Some(p.id.0),
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(p.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swe_numbers() {
        for (s, ok) in [
            ("SW123456", true),
            ("SW1", true),
            ("sw123", false),
            ("SW", false),
            ("SW12A", false),
            ("XX", false),
            ("SW12345678901", false),
        ] {
            assert_eq!(is_swe_number(s), ok, "{s}");
        }
    }
}
