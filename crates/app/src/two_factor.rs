//! Second-factor enrolment and reset.
//!
//! Anyone signed in may set up an authenticator app for their own account
//! (required for `sysadmin` and `privacy_officer`, optional for every other
//! role). Setting up draws a new secret, held as *pending* until the user
//! types a code it produced: only then does it replace the account's secret,
//! so a half-finished enrolment never locks anyone out. The code used to
//! confirm is recorded as the last step used, so it cannot sign in again
//! (RFC 6238 §5.2). A `sysadmin` can reset another account's second factor
//! (a lost phone): roles that need one get a new secret to hand over, shown
//! once; other roles have theirs removed. Every step is audited.

use crate::auth::{new_totp_secret, otpauth_uri, totp_match};
use crate::{App, AppError, AppResult, Ctx};
use harbour_db::users;
use harbour_domain::audit::Outcome;
use harbour_domain::authz::ServiceAction;
use harbour_domain::ids::UserId;
use harbour_domain::validate::FieldErrors;

/// What the account page shows about the second factor.
#[derive(Clone, Debug)]
pub struct TwoFactorStatus {
    /// An authenticator app is set up.
    pub enabled: bool,
    /// The role must use one to sign in.
    pub required: bool,
    /// A secret awaiting confirmation: (base32 secret, `otpauth://` URI).
    pub pending: Option<(String, String)>,
}

/// The message when a confirmation code does not match.
pub const WRONG_CODE: &str = "Enter the 6-digit code your authenticator app shows now";

impl App {
    /// The signed-in user's second-factor status.
    pub async fn two_factor_status(&self, ctx: &Ctx) -> AppResult<TwoFactorStatus> {
        let me = &ctx.me.user;
        let mut tx = self.db.begin_read().await?;
        let user = users::get(&mut tx, me.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let pending = users::totp_pending(&mut tx, me.id).await?;
        tx.commit().await?;
        Ok(TwoFactorStatus {
            enabled: user.totp_enabled,
            required: user.role.requires_totp(),
            pending: pending.map(|s| {
                let uri = otpauth_uri(&user.email, &s);
                (s, uri)
            }),
        })
    }

    /// Draw a new secret for the signed-in user, pending until confirmed.
    /// The current secret (if any) keeps working meanwhile.
    pub async fn start_two_factor(&self, ctx: &Ctx) -> AppResult<TwoFactorStatus> {
        let mut tx = self.db.begin_write().await?;
        let secret = new_totp_secret();
        users::set_totp_pending(&mut tx, ctx.me.user.id, Some(&secret)).await?;
        let ev = ctx.event(
            "user.totp_enrol_start",
            "user",
            Some(ctx.me.user.id.0),
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        self.two_factor_status(ctx).await
    }

    /// Confirm the pending secret with a code it produced (one step either
    /// side allowed for clock drift). A wrong code changes nothing but the
    /// audit trail.
    pub async fn confirm_two_factor(&self, ctx: &Ctx, code: &str) -> AppResult<()> {
        let now = self.now();
        let id = ctx.me.user.id;
        let mut tx = self.db.begin_write().await?;
        let pending = users::totp_pending(&mut tx, id).await?;
        let step = pending
            .as_deref()
            .and_then(|secret| totp_match(secret, code, now, None));
        let (Some(secret), Some(step)) = (pending, step) else {
            let ev = ctx.event(
                "user.totp_enrol_confirm",
                "user",
                Some(id.0),
                None,
                Outcome::Deny,
                Some("wrong_code".into()),
            );
            self.audit(&mut tx, &ev).await?;
            tx.commit().await?;
            let mut e = FieldErrors::new();
            e.add("code", WRONG_CODE);
            return Err(AppError::Validation(e));
        };
        users::activate_totp(&mut tx, id, Some(&secret), Some(step)).await?;
        let ev = ctx.event(
            "user.totp_enrol_confirm",
            "user",
            Some(id.0),
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reset another account's second factor (`sysadmin`). Returns the new
    /// secret to hand over for roles that need one, shown once; other roles
    /// have theirs removed and may set one up again themselves.
    pub async fn reset_two_factor(&self, ctx: &Ctx, user: UserId) -> AppResult<Option<String>> {
        self.check_service(ctx, ServiceAction::ManageStaff).await?;
        if user == ctx.me.user.id {
            let mut e = FieldErrors::new();
            e.add(
                "user",
                "You cannot reset your own second factor; set up a new authenticator app from your account page",
            );
            return Err(AppError::Validation(e));
        }
        let mut tx = self.db.begin_write().await?;
        let u = users::get(&mut tx, user).await?.ok_or(AppError::NotFound)?;
        let secret = u.role.requires_totp().then(new_totp_secret);
        users::activate_totp(&mut tx, user, secret.as_deref(), None).await?;
        users::set_totp_pending(&mut tx, user, None).await?;
        let ev = ctx.event(
            "user.totp_reset",
            "user",
            Some(user.0),
            None,
            Outcome::Allow,
            Some(
                if secret.is_some() {
                    "new_secret_issued"
                } else {
                    "removed"
                }
                .into(),
            ),
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(secret)
    }
}
