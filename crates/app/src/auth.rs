//! Sign-in, sessions, second factor and API tokens.
//!
//! - Passwords: argon2id PHC strings (OWASP parameters), rehashed on sign-in
//!   when the stored parameters are weaker than the configured ones.
//! - Failed sign-ins lock the account after a threshold and are throttled per
//!   client address; every refusal says the same thing, so nobody can learn
//!   whether an account exists.
//! - Sessions are rows keyed by the SHA-256 of a 256-bit random token, with idle
//!   and absolute timeouts; disabling a user deletes their rows, which ends
//!   every session at once on every instance.
//! - TOTP (RFC 6238, SHA-1, 6 digits, 30 s) is required for `sysadmin` and
//!   `privacy_officer`.

use crate::config::HashCost;
use crate::{App, AppError, AppResult, CurrentUser};
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, TimeDelta, Utc};
use harbour_db::{sessions, users};
use harbour_domain::audit::{AuditEvent, Outcome};
use harbour_domain::authz::Actor;
use harbour_domain::ids::UserId;
use harbour_domain::model::User;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

fn argon(cost: HashCost) -> Argon2<'static> {
    let params = match cost {
        HashCost::Standard => Params::new(19 * 1024, 2, 1, None),
        HashCost::Test => Params::new(256, 1, 1, None),
    }
    .unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hash a password as an argon2id PHC string.
pub fn hash_password(cost: HashCost, password: &str) -> AppResult<String> {
    PasswordHasher::hash_password(&argon(cost), password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing failed: {e}")))
}

/// Whether `password` matches the PHC string.
pub fn verify_password(hash: &str, password: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// Work for the password threads.
type HashJob = Box<dyn FnOnce() + Send>;

/// Password checks run on two dedicated threads, not on the async workers.
/// Each argon2id check allocates 19 MiB; on the async workers (and the
/// threads they hand work to) glibc served those from many arenas and kept
/// them, so the server's peak RSS grew with the number of sign-ins (272 MB
/// after 2,000 sign-ins at the M scale, docs/PERFORMANCE.md). Two threads
/// keep at most two such buffers, and a burst of sign-ins cannot occupy the
/// workers that answer everyone else.
fn password_threads() -> &'static std::sync::mpsc::Sender<HashJob> {
    static TX: std::sync::OnceLock<std::sync::mpsc::Sender<HashJob>> = std::sync::OnceLock::new();
    TX.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<HashJob>();
        let rx = std::sync::Arc::new(Mutex::new(rx));
        for i in 0..2 {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("harbour-passwords-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password thread");
            }
        }
        tx
    })
}

/// [`verify_password`] on the password threads.
pub async fn verify_password_async(hash: String, password: String) -> bool {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: HashJob = Box::new(move || {
        let _ = tx.send(verify_password(&hash, &password));
    });
    if password_threads().send(job).is_err() {
        return false;
    }
    rx.await.unwrap_or(false)
}

fn needs_rehash(hash: &str, cost: HashCost) -> bool {
    cost == HashCost::Standard && !hash.contains("m=19456,t=2,p=1")
}

/// SHA-256 of a secret token, hex: what is stored for sessions and API tokens.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new 256-bit random token, hex.
pub fn new_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// A random password for accounts created without one (shown once).
pub fn generate_password() -> String {
    const WORDS: &[&str] = &[
        "harbour", "lantern", "meadow", "copper", "willow", "harvest", "pebble", "orchard",
        "saffron", "thistle", "beacon", "canal", "granite", "heron", "juniper", "kestrel",
        "marble", "nettle", "otter", "quarry", "russet", "sparrow",
    ];
    let mut b = [0u8; 8];
    rand::rng().fill_bytes(&mut b);
    let w = |i: usize| WORDS[b[i] as usize % WORDS.len()];
    format!("{}-{}-{}-{}{:02}", w(0), w(1), w(2), w(3), b[4] % 100)
}

// ---------- TOTP ----------

/// Decode RFC 4648 base32 (no padding needed, case-insensitive).
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut bits: u64 = 0;
    let mut n = 0u32;
    let mut out = Vec::new();
    for c in s.chars().filter(|c| *c != '=' && !c.is_whitespace()) {
        let v = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u64 - 'A' as u64,
            c @ '2'..='7' => c as u64 - '2' as u64 + 26,
            _ => return None,
        };
        bits = (bits << 5) | v;
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    Some(out)
}

/// Encode RFC 4648 base32 without padding.
pub fn base32_encode(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let mut bits: u32 = 0;
    let mut n = 0;
    for &b in data {
        bits = (bits << 8) | b as u32;
        n += 8;
        while n >= 5 {
            n -= 5;
            out.push(A[((bits >> n) & 31) as usize] as char);
        }
    }
    if n > 0 {
        out.push(A[((bits << (5 - n)) & 31) as usize] as char);
    }
    out
}

/// The TOTP code for a time step (RFC 6238 with HMAC-SHA-1, RFC 4226 truncation).
pub fn totp_at(secret: &[u8], step: i64) -> String {
    let mut mac =
        <Hmac<sha1::Sha1> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&(step as u64).to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = (h[19] & 0x0f) as usize;
    let bin = ((h[off] as u32 & 0x7f) << 24)
        | ((h[off + 1] as u32) << 16)
        | ((h[off + 2] as u32) << 8)
        | h[off + 3] as u32;
    format!("{:06}", bin % 1_000_000)
}

/// Check a code against the secret at `now`, allowing one step either side for clock drift.
pub fn totp_verify(secret_b32: &str, code: &str, now: DateTime<Utc>) -> bool {
    totp_match(secret_b32, code, now, None).is_some()
}

/// The time step a code matches, allowing one step either side for clock
/// drift, and only steps after `last_used` (RFC 6238 §5.2: a verifier must
/// not accept the same one-time password twice).
pub fn totp_match(
    secret_b32: &str,
    code: &str,
    now: DateTime<Utc>,
    last_used: Option<i64>,
) -> Option<i64> {
    let secret = base32_decode(secret_b32)?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 {
        return None;
    }
    let step = now.timestamp().div_euclid(30);
    (-1..=1)
        .map(|d| step + d)
        .filter(|s| last_used.is_none_or(|l| *s > l))
        .find(|s| totp_at(&secret, *s) == code)
}

/// A new random TOTP secret, base32.
pub fn new_totp_secret() -> String {
    let mut b = [0u8; 20];
    rand::rng().fill_bytes(&mut b);
    base32_encode(&b)
}

/// The `otpauth://` URI an authenticator app scans.
pub fn otpauth_uri(email: &str, secret: &str) -> String {
    format!(
        "otpauth://totp/Harbour:{email}?secret={secret}&issuer=Harbour&algorithm=SHA1&digits=6&period=30"
    )
}

// ---------- throttling ----------

/// Sign-in attempts per client address, in a fixed five-minute window. In
/// memory per instance: account lockout (in the database) is what holds
/// across instances.
#[derive(Debug, Default)]
pub struct Throttle {
    windows: Mutex<HashMap<String, (DateTime<Utc>, u32)>>,
}

impl Throttle {
    /// Count an attempt; false when over the limit.
    pub fn allow(&self, key: &str, limit: u32, now: DateTime<Utc>) -> bool {
        let mut m = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if m.len() > 10_000 {
            m.retain(|_, (start, _)| now - *start < TimeDelta::minutes(5));
        }
        let e = m.entry(key.to_string()).or_insert((now, 0));
        if now - e.0 >= TimeDelta::minutes(5) {
            *e = (now, 0);
        }
        e.1 += 1;
        e.1 <= limit
    }
}

/// What sign-in needs.
#[derive(Clone, Debug, Default)]
pub struct SignIn {
    /// Email as typed.
    pub email: String,
    /// Password.
    pub password: String,
    /// TOTP code, if typed.
    pub code: String,
    /// Client address, for throttling.
    pub client: String,
    /// Request id.
    pub request_id: String,
}

/// A started session: the raw token goes in the cookie, once.
#[derive(Debug)]
pub struct NewSession {
    /// The cookie value.
    pub token: String,
    /// The user.
    pub user: User,
}

/// An argon2id hash of a random string, checked when no account matches so
/// that a refusal takes as long as a real check.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";

/// The one message for every failed sign-in.
pub const SIGN_IN_FAILED: &str = "Enter a correct email address and password";

fn actor_of(u: &User) -> Actor {
    Actor {
        user_id: u.id,
        role: u.role,
        org_id: u.org_id,
        team_id: u.team_id,
        pod_id: u.pod_id,
    }
}

/// Build the current-user value for a loaded user.
pub fn current_user(user: User, session: Option<String>) -> CurrentUser {
    CurrentUser {
        actor: actor_of(&user),
        user,
        session,
    }
}

fn anon_event(
    action: &str,
    target: Option<uuid::Uuid>,
    outcome: Outcome,
    reason: &str,
    request_id: &str,
) -> AuditEvent {
    AuditEvent {
        actor_id: target,
        actor_role: "anonymous".into(),
        action: action.into(),
        target_kind: "user".into(),
        target_id: target,
        child_id: None,
        outcome,
        reason: Some(reason.into()),
        request_id: Some(request_id.into()),
    }
}

impl App {
    /// Sign in with email, password and (where required) a TOTP code.
    pub async fn sign_in(&self, s: &SignIn) -> AppResult<NewSession> {
        let now = self.now();
        if !self
            .throttle
            .allow(&s.client, self.config.sign_in_attempts_per_ip, now)
        {
            return Err(AppError::TooManyRequests);
        }
        let email = s.email.trim().to_lowercase();
        // Read, then check the password outside any transaction: argon2 takes
        // tens of milliseconds and must not hold SQLite's single writer.
        let found = {
            let mut tx = self.db.begin_read().await?;
            let f = users::by_email(&mut tx, &email).await?;
            tx.commit().await?;
            f
        };
        // Always spend the cost of a real check, so timing reveals neither
        // whether the account exists nor whether it is locked or disabled.
        let password_ok = match &found {
            Some(c) => verify_password_async(c.password_hash.clone(), s.password.clone()).await,
            None => {
                let _ = verify_password_async(DUMMY_HASH.into(), s.password.clone()).await;
                false
            }
        };
        let mut tx = self.db.begin_write().await?;
        let Some(creds) = found else {
            self.audit(
                &mut tx,
                &anon_event(
                    "session.sign_in",
                    None,
                    Outcome::Deny,
                    "unknown_account",
                    &s.request_id,
                ),
            )
            .await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        };
        let uid = creds.user.id;
        let fail = |reason: &'static str| {
            anon_event(
                "session.sign_in",
                Some(uid.0),
                Outcome::Deny,
                reason,
                &s.request_id,
            )
        };
        if creds.user.disabled_at.is_some() {
            self.audit(&mut tx, &fail("disabled")).await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        }
        if self.config.oidc.enabled()
            && !self.config.oidc.password_sign_in
            && creds.user.role != harbour_domain::Role::Sysadmin
        {
            // Single sign-on only: passwords are kept for system
            // administrators, to reach Harbour when the provider is down.
            self.audit(&mut tx, &fail("password_sign_in_off")).await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        }
        if creds.locked_until.is_some_and(|t| t > now) {
            self.audit(&mut tx, &fail("locked")).await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        }
        let totp_step = creds
            .totp_secret
            .as_deref()
            .and_then(|secret| totp_match(secret, &s.code, now, creds.totp_last_step));
        let totp_ok = match (&creds.totp_secret, creds.user.role.requires_totp()) {
            (Some(_), _) => totp_step.is_some(),
            (None, true) => false, // a role that needs TOTP without one set up cannot sign in
            (None, false) => true,
        };
        if !password_ok || !totp_ok {
            let lock_until = now + TimeDelta::minutes(self.config.lockout_minutes);
            users::record_failure(&mut tx, uid, self.config.lockout_threshold, lock_until).await?;
            self.audit(
                &mut tx,
                &fail(if password_ok {
                    "bad_second_factor"
                } else {
                    "bad_password"
                }),
            )
            .await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        }
        users::record_success(&mut tx, uid, totp_step).await?;
        if needs_rehash(&creds.password_hash, self.config.password_hash_cost) {
            users::set_password(
                &mut tx,
                uid,
                &hash_password(self.config.password_hash_cost, &s.password)?,
            )
            .await?;
        }
        let token = new_token();
        let expires = now + TimeDelta::hours(self.config.session_absolute_hours);
        sessions::insert(&mut tx, &token_hash(&token), uid, now, expires).await?;
        let mut ev = anon_event(
            "session.sign_in",
            Some(uid.0),
            Outcome::Allow,
            "password",
            &s.request_id,
        );
        ev.actor_role = creds.user.role.as_str().into();
        if creds.totp_secret.is_some() {
            ev.reason = Some("password_and_totp".into());
        }
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(NewSession {
            token,
            user: creds.user,
        })
    }

    /// The user behind a session cookie, if the session is live. Writes only
    /// when the last-seen time is over a minute old (or to delete an expired row).
    pub async fn session_user(&self, token: &str) -> AppResult<Option<CurrentUser>> {
        let now = self.now();
        let th = token_hash(token);
        let mut tx = self.db.begin_read().await?;
        let Some(s) = sessions::get(&mut tx, &th).await? else {
            return Ok(None);
        };
        let user = users::get(&mut tx, UserId(s.user_id)).await?;
        tx.commit().await?;
        let idle_limit = TimeDelta::minutes(self.config.session_idle_minutes);
        let live = s.expires_at > now && now - s.last_seen_at < idle_limit;
        let user = user.filter(|u| u.disabled_at.is_none());
        match (live, user) {
            (true, Some(u)) => {
                if now - s.last_seen_at > TimeDelta::minutes(1) {
                    let mut tx = self.db.begin_write().await?;
                    sessions::touch(&mut tx, &th, now).await?;
                    tx.commit().await?;
                }
                Ok(Some(current_user(u, Some(th))))
            }
            _ => {
                let mut tx = self.db.begin_write().await?;
                sessions::delete(&mut tx, &th).await?;
                tx.commit().await?;
                Ok(None)
            }
        }
    }

    /// End the current session.
    pub async fn sign_out(&self, me: &CurrentUser, request_id: &str) -> AppResult<()> {
        let mut tx = self.db.begin_write().await?;
        if let Some(th) = &me.session {
            sessions::delete(&mut tx, th).await?;
        }
        let ev = crate::Ctx {
            me: me.clone(),
            request_id: request_id.into(),
        }
        .event(
            "session.sign_out",
            "user",
            Some(me.user.id.0),
            None,
            Outcome::Allow,
            None,
        );
        self.audit(&mut tx, &ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Delete sessions past their absolute or idle limit (run periodically by `serve`).
    pub async fn purge_sessions(&self) -> AppResult<u64> {
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let n = sessions::purge(
            &mut tx,
            now,
            now - TimeDelta::minutes(self.config.session_idle_minutes),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The user behind an API bearer token.
    pub async fn token_user(&self, token: &str) -> AppResult<Option<CurrentUser>> {
        let mut tx = self.db.begin_read().await?;
        let u = users::user_by_token(&mut tx, &token_hash(token)).await?;
        tx.commit().await?;
        Ok(u.map(|u| current_user(u, None)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_test_vectors() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", 8 digits there; we compare the last 6.
        let secret = b"12345678901234567890";
        for (t, code8) in [
            (59i64, "94287082"),
            (1111111109, "07081804"),
            (1111111111, "14050471"),
            (1234567890, "89005924"),
            (2000000000, "69279037"),
        ] {
            assert_eq!(totp_at(secret, t / 30), code8[2..], "t={t}");
        }
    }

    #[test]
    fn base32_round_trip_and_verify_window() {
        let secret = base32_decode("JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(base32_encode(&secret), "JBSWY3DPEHPK3PXP");
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let code = totp_at(&secret, now.timestamp() / 30);
        assert!(totp_verify("JBSWY3DPEHPK3PXP", &code, now));
        assert!(totp_verify(
            "JBSWY3DPEHPK3PXP",
            &code,
            now + TimeDelta::seconds(30)
        ));
        assert!(!totp_verify(
            "JBSWY3DPEHPK3PXP",
            &code,
            now + TimeDelta::seconds(95)
        ));
        assert!(!totp_verify("JBSWY3DPEHPK3PXP", "12345", now));
        assert!(base32_decode("not base32!").is_none());
        // A code is accepted once: not again, and not an earlier one.
        let step = now.timestamp() / 30;
        assert_eq!(totp_match("JBSWY3DPEHPK3PXP", &code, now, None), Some(step));
        assert_eq!(totp_match("JBSWY3DPEHPK3PXP", &code, now, Some(step)), None);
        let next = totp_at(&secret, step + 1);
        assert_eq!(
            totp_match("JBSWY3DPEHPK3PXP", &next, now, Some(step)),
            Some(step + 1)
        );
    }

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password(HashCost::Test, "correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "correct horse battery"));
        assert!(!verify_password(&h, "wrong horse battery"));
        assert!(needs_rehash(&h, HashCost::Standard));
        assert!(!needs_rehash(&h, HashCost::Test));
    }

    #[test]
    fn throttle_window() {
        let t = Throttle::default();
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert!((0..3).all(|_| t.allow("1.2.3.4", 3, now)));
        assert!(!t.allow("1.2.3.4", 3, now));
        assert!(t.allow("5.6.7.8", 3, now));
        assert!(t.allow("1.2.3.4", 3, now + TimeDelta::minutes(5)));
    }
}
