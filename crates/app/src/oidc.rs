//! Single sign-on with OpenID Connect (issue 9 §3): the authorization code
//! flow with PKCE (OpenID Connect Core 1.0 §3.1, RFC 7636) against the
//! council's identity provider, for example Microsoft Entra ID.
//!
//! 1. [`App::oidc_begin`] records a sign-on in progress (state, nonce, code
//!    verifier; in the database so the callback may reach any instance) and
//!    returns the provider's authorization URL. The browser keeps the state
//!    in a cookie, so a callback started in someone else's browser fails
//!    (login CSRF).
//! 2. [`App::oidc_complete`] takes the sign-on (once), exchanges the code
//!    at the token endpoint, checks the ID token's RS256 signature against
//!    the provider's key set and its claims ([`harbour_domain::oidc`]),
//!    finds the account, and starts a session exactly as a password
//!    sign-in does.
//!
//! Accounts are never created by single sign-on: the provider's person
//! must already have a Harbour account (with its role and team). The first
//! sign-on links the account to the provider's subject (`sub`), found by
//! the configured email claim; later sign-ons must present that subject.
//! Every outcome is audited as `session.sign_in` with the reason.

use crate::auth::{NewSession, new_token, token_hash};
use crate::{App, AppError, AppResult};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::TimeDelta;
use harbour_db::{oidc as repo, sessions, users};
use harbour_domain::audit::{AuditEvent, Outcome};
use harbour_domain::ids::UserId;
use harbour_domain::oidc::{
    Expected, Jwks, ProviderMetadata, TokenError, check_algorithm, check_metadata, mfa_satisfied,
    pkce_challenge, select_key, split_jwt, validate_claims,
};
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Bytes;
use rand::RngCore as _;
use std::sync::Arc;
use std::time::Duration;

/// The callback path registered at the provider (with `public_origin`).
pub const CALLBACK_PATH: &str = "/sign-in/oidc/callback";
/// The cookie that holds the state between the redirect and the callback.
pub const STATE_COOKIE: &str = "harbour_oidc_state";
/// How long a sign-on may take at the provider.
const PENDING_MINUTES: i64 = 10;
/// Clock skew allowed on the token's times.
const LEEWAY_SECONDS: i64 = 120;
/// The oldest `iat` accepted.
const MAX_TOKEN_AGE_SECONDS: i64 = 600;
/// Discovery and keys are fetched again after this long.
const METADATA_TTL: TimeDelta = TimeDelta::hours(24);
/// An unknown `kid` fetches the key set again, at most this often.
const JWKS_REFRESH_MIN: TimeDelta = TimeDelta::minutes(1);
/// Largest answer read from the provider.
const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// What the provider published, cached per instance.
#[derive(Debug, Default)]
pub struct OidcCache {
    state: tokio::sync::Mutex<Option<Cached>>,
}

#[derive(Debug, Clone)]
struct Cached {
    meta: ProviderMetadata,
    jwks: Jwks,
    fetched: chrono::DateTime<chrono::Utc>,
    jwks_fetched: chrono::DateTime<chrono::Utc>,
}

/// A sign-on to start: send the browser to `redirect`, and keep `state` in
/// the [`STATE_COOKIE`].
#[derive(Debug)]
pub struct OidcStart {
    /// The provider's authorization URL with this sign-on's parameters.
    pub redirect: String,
    /// The state value for the browser's cookie.
    pub state: String,
}

/// The provider's answer at the callback.
#[derive(Debug, Default, Clone)]
pub struct OidcCallback {
    /// The authorization code.
    pub code: Option<String>,
    /// The state from the query.
    pub state: Option<String>,
    /// An error code from the provider (`access_denied`, …).
    pub error: Option<String>,
    /// The state from the browser's cookie.
    pub cookie_state: Option<String>,
    /// Client address, for throttling.
    pub client: String,
    /// Request id.
    pub request_id: String,
}

/// A completed sign-on.
#[derive(Debug)]
pub struct OidcSignedIn {
    /// The session.
    pub session: NewSession,
    /// The local path asked for before signing in (empty: home).
    pub next: String,
}

/// Why a sign-on was refused: what the person is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OidcRefusal {
    /// Started in another browser, used twice, or too old.
    Expired,
    /// Cancelled or refused at the provider.
    NotCompleted,
    /// The provider could not be reached or answered wrongly.
    ProviderUnavailable,
    /// No Harbour account (or a disabled one) for this person, or the
    /// token failed its checks.
    NoAccount,
    /// The role needs a second factor the provider did not report.
    SecondFactorNeeded,
}

impl OidcRefusal {
    /// The message on the sign-in page.
    pub fn message(self) -> &'static str {
        match self {
            OidcRefusal::Expired => {
                "Your sign-in took too long or was started in another window. Try again."
            }
            OidcRefusal::NotCompleted => {
                "Signing in with your council account was not completed. Try again."
            }
            OidcRefusal::ProviderUnavailable => {
                "Harbour cannot reach your council's sign-in service just now. Try again in a few minutes, or sign in with your Harbour password if you have one."
            }
            OidcRefusal::NoAccount => {
                "Your council account is not set up for Harbour. Contact your system administrator."
            }
            OidcRefusal::SecondFactorNeeded => {
                "Your role needs a second factor. Sign in with your Harbour password and authenticator app code."
            }
        }
    }
}

/// A random value for state, nonce and code verifier: 256 bits, base64url
/// (43 characters, within RFC 7636's 43–128 for the verifier).
fn random_value() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

fn event(
    target: Option<uuid::Uuid>,
    role: &str,
    outcome: Outcome,
    reason: &str,
    request_id: &str,
) -> AuditEvent {
    AuditEvent {
        actor_id: target,
        actor_role: role.into(),
        action: "session.sign_in".into(),
        target_kind: "user".into(),
        target_id: target,
        child_id: None,
        outcome,
        reason: Some(reason.into()),
        request_id: Some(request_id.into()),
    }
}

impl App {
    /// Whether single sign-on is configured.
    pub fn oidc_enabled(&self) -> bool {
        self.config.oidc.enabled()
    }

    /// The redirect URI registered at the provider.
    pub fn oidc_redirect_uri(&self) -> String {
        format!(
            "{}{CALLBACK_PATH}",
            self.config.public_origin.trim_end_matches('/')
        )
    }

    /// Where Harbour asks the provider to send the browser after signing
    /// out there: the sign-in page (register it at the provider as a
    /// post-logout redirect URI).
    pub fn oidc_post_logout_uri(&self) -> String {
        format!(
            "{}/sign-in",
            self.config.public_origin.trim_end_matches('/')
        )
    }

    /// After signing out of Harbour: the address that signs the person out
    /// of their council account as well (RP-Initiated Logout), offered on
    /// the signed-out page because on a shared computer the next person
    /// would otherwise be signed straight in as them. `None` without single
    /// sign-on, when the provider offers no sign-out endpoint, or when it
    /// cannot be reached (the page then says so without a link).
    pub async fn oidc_logout_url(&self) -> Option<String> {
        if !self.oidc_enabled() {
            return None;
        }
        let meta = match self.oidc_provider(false).await {
            Ok(c) => c.meta,
            Err(e) => {
                tracing::warn!(error = %e, "single sign-on: provider unavailable for sign-out");
                return None;
            }
        };
        harbour_domain::oidc::logout_url(
            meta.end_session_endpoint.as_deref(),
            &self.config.oidc.client_id,
            &self.oidc_post_logout_uri(),
        )
    }

    /// Start a sign-on: record it and return where to send the browser.
    /// `next` is a local path to return to (already checked by the caller).
    pub async fn oidc_begin(&self, next: &str) -> AppResult<Result<OidcStart, OidcRefusal>> {
        if !self.oidc_enabled() {
            return Err(AppError::NotFound);
        }
        let meta = match self.oidc_provider(false).await {
            Ok(c) => c.meta,
            Err(e) => {
                tracing::warn!(error = %e, "single sign-on: provider unavailable");
                return Ok(Err(OidcRefusal::ProviderUnavailable));
            }
        };
        let now = self.now();
        let state = random_value();
        let pending = repo::PendingLogin {
            nonce: random_value(),
            code_verifier: random_value(),
            next_path: next.chars().take(300).collect(),
            expires_at: now + TimeDelta::minutes(PENDING_MINUTES),
        };
        let mut tx = self.db.begin_write().await?;
        repo::purge_pending(&mut tx, now).await?;
        repo::insert_pending(&mut tx, &token_hash(&state), &pending, now).await?;
        tx.commit().await?;
        let o = &self.config.oidc;
        let query = serde_urlencoded::to_string([
            ("response_type", "code"),
            ("client_id", o.client_id.as_str()),
            ("redirect_uri", self.oidc_redirect_uri().as_str()),
            ("scope", "openid email profile"),
            ("state", state.as_str()),
            ("nonce", pending.nonce.as_str()),
            (
                "code_challenge",
                pkce_challenge(&pending.code_verifier).as_str(),
            ),
            ("code_challenge_method", "S256"),
        ])
        .map_err(|e| AppError::Internal(e.to_string()))?;
        let sep = if meta.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(Ok(OidcStart {
            redirect: format!("{}{sep}{query}", meta.authorization_endpoint),
            state,
        }))
    }

    /// Finish a sign-on at the callback.
    pub async fn oidc_complete(
        &self,
        cb: &OidcCallback,
    ) -> AppResult<Result<OidcSignedIn, OidcRefusal>> {
        if !self.oidc_enabled() {
            return Err(AppError::NotFound);
        }
        let now = self.now();
        if !self
            .throttle
            .allow(&cb.client, self.config.sign_in_attempts_per_ip, now)
        {
            return Err(AppError::TooManyRequests);
        }
        let rid = cb.request_id.as_str();
        // The state must be the one this browser started, and unused.
        let state = cb.state.as_deref().unwrap_or("");
        let pending = if state.is_empty() || cb.cookie_state.as_deref() != Some(state) {
            None
        } else {
            let mut tx = self.db.begin_write().await?;
            let p = repo::take_pending(&mut tx, &token_hash(state)).await?;
            tx.commit().await?;
            p.filter(|p| p.expires_at > now)
        };
        let Some(pending) = pending else {
            self.oidc_refuse("oidc_state", rid).await?;
            return Ok(Err(OidcRefusal::Expired));
        };
        if let Some(err) = &cb.error {
            let reason = format!(
                "oidc_provider_error:{}",
                err.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .take(40)
                    .collect::<String>()
            );
            self.oidc_refuse(&reason, rid).await?;
            return Ok(Err(OidcRefusal::NotCompleted));
        }
        let Some(code) = cb.code.as_deref().filter(|c| !c.is_empty()) else {
            self.oidc_refuse("oidc_no_code", rid).await?;
            return Ok(Err(OidcRefusal::NotCompleted));
        };
        let id_token = match self.oidc_exchange(code, &pending.code_verifier).await {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "single sign-on: token exchange failed");
                self.oidc_refuse("oidc_token_exchange", rid).await?;
                return Ok(Err(OidcRefusal::ProviderUnavailable));
            }
        };
        let claims = match self.oidc_verify(&id_token, &pending.nonce).await {
            Ok(c) => c,
            Err(VerifyError::Token(e)) => {
                tracing::warn!(error = %e, "single sign-on: ID token refused");
                self.oidc_refuse(&format!("oidc_{}", e.reason()), rid)
                    .await?;
                return Ok(Err(OidcRefusal::NoAccount));
            }
            Err(VerifyError::Provider(e)) => {
                tracing::warn!(error = %e, "single sign-on: key set unavailable");
                self.oidc_refuse("oidc_keys_unavailable", rid).await?;
                return Ok(Err(OidcRefusal::ProviderUnavailable));
            }
        };
        self.oidc_session(&claims, pending.next_path, rid).await
    }

    /// Find the account for verified claims and start its session.
    async fn oidc_session(
        &self,
        claims: &harbour_domain::oidc::IdClaims,
        next: String,
        rid: &str,
    ) -> AppResult<Result<OidcSignedIn, OidcRefusal>> {
        let now = self.now();
        let o = &self.config.oidc;
        let mut tx = self.db.begin_write().await?;
        let linked = repo::by_subject(&mut tx, &claims.iss, &claims.sub).await?;
        let (creds, newly_linked) = match linked {
            Some(l) => (
                users::get_credentials(&mut tx, UserId(l.user_id)).await?,
                false,
            ),
            None => {
                let by_name = match claims.account_name(&o.account_claim) {
                    Some(email) => users::by_email(&mut tx, &email).await?,
                    None => None,
                };
                match by_name {
                    Some(c) => {
                        let link = repo::of_user(&mut tx, c.user.id).await?;
                        if link.is_some_and(|l| l.oidc_subject.is_some()) {
                            // Already linked to another identity: someone
                            // else now holds this email at the provider.
                            let id = c.user.id.0;
                            self.audit(
                                &mut tx,
                                &event(
                                    Some(id),
                                    "anonymous",
                                    Outcome::Deny,
                                    "oidc_identity_mismatch",
                                    rid,
                                ),
                            )
                            .await?;
                            tx.commit().await?;
                            return Ok(Err(OidcRefusal::NoAccount));
                        }
                        (Some(c), true)
                    }
                    None => (None, false),
                }
            }
        };
        let Some(creds) = creds else {
            self.audit(
                &mut tx,
                &event(
                    None,
                    "anonymous",
                    Outcome::Deny,
                    "oidc_unknown_account",
                    rid,
                ),
            )
            .await?;
            tx.commit().await?;
            return Ok(Err(OidcRefusal::NoAccount));
        };
        let user = creds.user;
        let uid = user.id;
        if user.disabled_at.is_some() {
            self.audit(
                &mut tx,
                &event(
                    Some(uid.0),
                    "anonymous",
                    Outcome::Deny,
                    "oidc_disabled",
                    rid,
                ),
            )
            .await?;
            tx.commit().await?;
            return Ok(Err(OidcRefusal::NoAccount));
        }
        let mfa = mfa_satisfied(&claims.amr);
        if user.role.requires_totp() && !mfa && !o.idp_enforces_mfa {
            self.audit(
                &mut tx,
                &event(
                    Some(uid.0),
                    "anonymous",
                    Outcome::Deny,
                    "oidc_no_second_factor",
                    rid,
                ),
            )
            .await?;
            tx.commit().await?;
            return Ok(Err(OidcRefusal::SecondFactorNeeded));
        }
        if newly_linked {
            repo::link(&mut tx, uid, &claims.iss, &claims.sub).await?;
            let mut ev = event(
                Some(uid.0),
                user.role.as_str(),
                Outcome::Allow,
                "first_sign_on",
                rid,
            );
            ev.action = "user.oidc_link".into();
            self.audit(&mut tx, &ev).await?;
        }
        let token = new_token();
        let expires = now + TimeDelta::hours(self.config.session_absolute_hours);
        sessions::insert(&mut tx, &token_hash(&token), uid, now, expires).await?;
        let reason = if mfa { "oidc_mfa" } else { "oidc" };
        self.audit(
            &mut tx,
            &event(Some(uid.0), user.role.as_str(), Outcome::Allow, reason, rid),
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(OidcSignedIn {
            session: NewSession { token, user },
            next,
        }))
    }

    /// Record a refused sign-on that names no account.
    async fn oidc_refuse(&self, reason: &str, rid: &str) -> AppResult<()> {
        let mut tx = self.db.begin_write().await?;
        self.audit(
            &mut tx,
            &event(None, "anonymous", Outcome::Deny, reason, rid),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Remove an account's link to its identity at the provider
    /// (`sysadmin`), so its next sign-on links again by email: for a person
    /// whose account at the council was replaced. False if it had none.
    pub async fn oidc_unlink(&self, ctx: &crate::Ctx, user: UserId) -> AppResult<bool> {
        self.check_service(ctx, harbour_domain::authz::ServiceAction::ManageStaff)
            .await?;
        let mut tx = self.db.begin_write().await?;
        users::get(&mut tx, user).await?.ok_or(AppError::NotFound)?;
        let done = repo::unlink(&mut tx, user).await?;
        if done {
            let ev = ctx.event(
                "user.oidc_unlink",
                "user",
                Some(user.0),
                None,
                Outcome::Allow,
                None,
            );
            self.audit(&mut tx, &ev).await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// The provider's metadata and keys, from the cache unless stale (or
    /// `refresh_keys` asks for the key set again, after an unknown `kid`).
    async fn oidc_provider(&self, refresh_keys: bool) -> Result<Cached, String> {
        let mut guard = self.oidc_cache.state.lock().await;
        let now = self.now();
        let fresh = guard
            .as_ref()
            .is_some_and(|c| now - c.fetched < METADATA_TTL);
        if !fresh {
            let issuer = self.config.oidc.issuer.trim();
            let url = format!(
                "{}/.well-known/openid-configuration",
                issuer.trim_end_matches('/')
            );
            let body = self.oidc_http(&url, None).await?;
            let meta: ProviderMetadata =
                serde_json::from_slice(&body).map_err(|e| format!("discovery document: {e}"))?;
            check_metadata(&meta, issuer)?;
            let jwks = self.oidc_fetch_jwks(&meta.jwks_uri).await?;
            *guard = Some(Cached {
                meta,
                jwks,
                fetched: now,
                jwks_fetched: now,
            });
        } else if refresh_keys
            && let Some(c) = guard.as_mut()
            && now - c.jwks_fetched >= JWKS_REFRESH_MIN
        {
            c.jwks = self.oidc_fetch_jwks(&c.meta.jwks_uri).await?;
            c.jwks_fetched = now;
        }
        guard
            .clone()
            .ok_or_else(|| "no provider metadata".to_string())
    }

    async fn oidc_fetch_jwks(&self, url: &str) -> Result<Jwks, String> {
        let body = self.oidc_http(url, None).await?;
        serde_json::from_slice(&body).map_err(|e| format!("key set: {e}"))
    }

    /// Exchange the code for tokens (Core §3.1.3.1, client_secret_basic).
    async fn oidc_exchange(&self, code: &str, verifier: &str) -> Result<String, String> {
        let meta = self.oidc_provider(false).await?.meta;
        let o = &self.config.oidc;
        let form = serde_urlencoded::to_string([
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", self.oidc_redirect_uri().as_str()),
            ("code_verifier", verifier),
            ("client_id", o.client_id.as_str()),
        ])
        .map_err(|e| e.to_string())?;
        // RFC 6749 §2.3.1: id and secret form-encoded, then Basic.
        let enc = |s: &str| serde_urlencoded::to_string([("", s)]).map(|x| x[1..].to_string());
        let basic = format!(
            "{}:{}",
            enc(&o.client_id).map_err(|e| e.to_string())?,
            enc(&o.client_secret).map_err(|e| e.to_string())?
        );
        let auth = format!("Basic {}", STANDARD.encode(basic));
        let body = self
            .oidc_http(&meta.token_endpoint, Some((form, auth)))
            .await?;
        #[derive(serde::Deserialize)]
        struct TokenResponse {
            id_token: Option<String>,
        }
        let r: TokenResponse =
            serde_json::from_slice(&body).map_err(|e| format!("token response: {e}"))?;
        r.id_token
            .ok_or_else(|| "the token response has no id_token".to_string())
    }

    /// Check the ID token's signature and claims.
    async fn oidc_verify(
        &self,
        id_token: &str,
        nonce: &str,
    ) -> Result<harbour_domain::oidc::IdClaims, VerifyError> {
        let jwt = split_jwt(id_token)?;
        check_algorithm(&jwt.header)?;
        let cached = self
            .oidc_provider(false)
            .await
            .map_err(VerifyError::Provider)?;
        let key = match select_key(&cached.jwks, jwt.header.kid.as_deref()) {
            Ok(k) => k,
            Err(_) => {
                // The provider may have rolled its keys: fetch them again.
                let c = self
                    .oidc_provider(true)
                    .await
                    .map_err(VerifyError::Provider)?;
                select_key(&c.jwks, jwt.header.kid.as_deref())?
            }
        };
        let public = ring::signature::RsaPublicKeyComponents {
            n: &key.n,
            e: &key.e,
        };
        public
            .verify(
                &ring::signature::RSA_PKCS1_2048_8192_SHA256,
                jwt.signing_input.as_bytes(),
                &jwt.signature,
            )
            .map_err(|_| TokenError::BadSignature)?;
        let o = &self.config.oidc;
        validate_claims(
            &jwt.claims,
            &Expected {
                issuer: o.issuer.trim(),
                client_id: &o.client_id,
                nonce,
                now: self.now().timestamp(),
                leeway: LEEWAY_SECONDS,
                max_age: MAX_TOKEN_AGE_SECONDS,
            },
        )?;
        Ok(jwt.claims)
    }

    /// GET `url`, or POST a form with an Authorization header; the body of
    /// a 2xx answer.
    async fn oidc_http(
        &self,
        url: &str,
        post: Option<(String, String)>,
    ) -> Result<Vec<u8>, String> {
        let timeout = Duration::from_secs(self.config.oidc.timeout_seconds);
        tokio::time::timeout(timeout, http_request(url, post))
            .await
            .map_err(|_| format!("{url}: no answer within {timeout:?}"))?
    }
}

#[derive(Debug)]
enum VerifyError {
    Token(TokenError),
    Provider(String),
}

impl From<TokenError> for VerifyError {
    fn from(e: TokenError) -> Self {
        VerifyError::Token(e)
    }
}

/// One HTTP/1.1 request over a fresh connection: TLS (webpki roots) for
/// https, plain TCP only for the loopback interface.
async fn http_request(url: &str, post: Option<(String, String)>) -> Result<Vec<u8>, String> {
    if !harbour_domain::oidc::secure_url(url) {
        return Err(format!("{url}: not an https address"));
    }
    let uri: hyper::Uri = url.parse().map_err(|e| format!("{url}: {e}"))?;
    let https = uri.scheme_str() == Some("https");
    let host = uri
        .host()
        .ok_or_else(|| format!("{url}: no host"))?
        .to_string();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let host_header = match uri.port_u16() {
        Some(p) => format!("{host}:{p}"),
        None => host.clone(),
    };
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    let connect_host = host.trim_start_matches('[').trim_end_matches(']');
    let tcp = tokio::net::TcpStream::connect((connect_host, port))
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let mut req = hyper::Request::builder()
        .uri(path)
        .header(hyper::header::HOST, host_header)
        .header(hyper::header::ACCEPT, "application/json")
        .header(hyper::header::USER_AGENT, "Harbour");
    let body = match post {
        Some((form, auth)) => {
            req = req
                .method(hyper::Method::POST)
                .header(
                    hyper::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .header(hyper::header::AUTHORIZATION, auth);
            Full::new(Bytes::from(form))
        }
        None => Full::new(Bytes::new()),
    };
    let req = req.body(body).map_err(|e| e.to_string())?;
    if https {
        let mut roots = tokio_rustls::rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(Arc::new(
            tokio_rustls::rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(connect_host.to_string())
            .map_err(|e| format!("{url}: {e}"))?;
        let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
            .map_err(|e| format!("{url}: {e}"))?;
        send(url, hyper_util::rt::TokioIo::new(tls), req).await
    } else {
        send(url, hyper_util::rt::TokioIo::new(tcp), req).await
    }
}

async fn send<T>(url: &str, io: T, req: hyper::Request<Full<Bytes>>) -> Result<Vec<u8>, String>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let resp = sender
        .send_request(req)
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let status = resp.status();
    let body = Limited::new(resp.into_body(), MAX_RESPONSE_BYTES)
        .collect()
        .await
        .map_err(|e| format!("{url}: {e}"))?
        .to_bytes();
    if !status.is_success() {
        let text: String = String::from_utf8_lossy(&body).chars().take(300).collect();
        return Err(format!("{url}: HTTP {status}: {text}"));
    }
    Ok(body.to_vec())
}
