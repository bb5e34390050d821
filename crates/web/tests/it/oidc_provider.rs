//! A small OpenID Connect provider for tests (and, through
//! `cargo run -p harbour-web --example oidc-provider`, for trying single
//! sign-on by hand): discovery, a key set, an authorization endpoint that
//! asks who to sign in as (or answers at once for a preset person), and a
//! token endpoint that checks the client secret, the redirect URI and the
//! PKCE verifier and returns an RS256-signed ID token. Keys are synthetic
//! fixtures (`tests/fixtures/oidc-test-key-*.pk8`). Tests can make it
//! misbehave in each way an ID token can be wrong.
#![allow(dead_code)]

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The first synthetic signing key.
pub const KEY_1: &[u8] = include_bytes!("../fixtures/oidc-test-key-1.pk8");
/// The second (for rotation and wrong-key tests).
pub const KEY_2: &[u8] = include_bytes!("../fixtures/oidc-test-key-2.pk8");

/// Who signs in next.
#[derive(Clone, Debug)]
pub struct Person {
    /// Subject.
    pub sub: String,
    /// Email claim.
    pub email: String,
    /// Authentication methods.
    pub amr: Vec<String>,
}

/// Ways to get the ID token wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tamper {
    /// A correct token.
    None,
    /// Another nonce.
    Nonce,
    /// Expired an hour ago.
    Expired,
    /// For another client.
    Audience,
    /// From another issuer.
    Issuer,
    /// `alg: none`, no signature.
    AlgNone,
    /// HS256 with the client secret as the key.
    Hs256,
    /// Signed with the second key but naming the first's `kid`.
    WrongKey,
    /// A payload changed after signing.
    Altered,
}

/// The provider's state, shared with the test.
pub struct ProviderState {
    /// Issuer (its base URL).
    pub issuer: String,
    /// The registered client.
    pub client_id: String,
    /// Its secret.
    pub client_secret: String,
    /// The registered redirect URI.
    pub redirect_uri: String,
    /// Keys: (kid, key pair); the first signs.
    pub keys: Vec<(String, RsaKeyPair)>,
    /// Keys published in the key set (kids).
    pub published: Vec<String>,
    /// Answer /authorize at once as this person (else show a form).
    pub auto: Option<Person>,
    /// How to spoil the next ID token.
    pub tamper: Tamper,
    /// The provider's clock (seconds since the epoch); the tests set it to
    /// Harbour's fixed clock.
    pub now: i64,
    /// Codes issued: code → (nonce, PKCE challenge, person).
    codes: HashMap<String, (String, String, Person)>,
    /// Requests seen, by endpoint.
    pub hits: HashMap<&'static str, u32>,
    /// Answer the discovery document with this status instead.
    pub discovery_status: Option<StatusCode>,
    /// Offer an `end_session_endpoint` (RP-Initiated Logout).
    pub offers_logout: bool,
    /// Sign-outs asked for: the `post_logout_redirect_uri` of each.
    pub logouts: Vec<String>,
}

/// A running provider.
pub struct Provider {
    /// Its state.
    pub state: Arc<Mutex<ProviderState>>,
    /// Its issuer URL.
    pub issuer: String,
}

fn key(der: &[u8]) -> RsaKeyPair {
    RsaKeyPair::from_pkcs8(der).expect("the fixture key is a PKCS#8 RSA key")
}

impl Provider {
    /// Start on 127.0.0.1 (port 0: any free port).
    pub async fn start(
        port: u16,
        client_id: &str,
        client_secret: &str,
        redirect_uri: &str,
    ) -> Provider {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(ProviderState {
            issuer: issuer.clone(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            redirect_uri: redirect_uri.into(),
            keys: vec![("key-1".into(), key(KEY_1)), ("key-2".into(), key(KEY_2))],
            published: vec!["key-1".into()],
            auto: None,
            tamper: Tamper::None,
            now: chrono::Utc::now().timestamp(),
            codes: HashMap::new(),
            hits: HashMap::new(),
            discovery_status: None,
            offers_logout: true,
            logouts: Vec::new(),
        }));
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/keys", get(jwks))
            .route("/authorize", get(authorize).post(authorize_submit))
            .route("/token", axum::routing::post(token))
            .route("/logout", get(logout))
            // Browsers ask for it; an answer keeps their consoles quiet.
            .route(
                "/favicon.ico",
                get(|| async { ([(header::CONTENT_TYPE, "image/x-icon")], Vec::<u8>::new()) }),
            )
            .with_state(state.clone());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Provider { state, issuer }
    }

    /// Change the state.
    pub fn with<T>(&self, f: impl FnOnce(&mut ProviderState) -> T) -> T {
        f(&mut self.state.lock().unwrap())
    }

    /// Requests seen at an endpoint.
    pub fn hits(&self, endpoint: &str) -> u32 {
        self.with(|s| s.hits.get(endpoint).copied().unwrap_or(0))
    }
}

type St = State<Arc<Mutex<ProviderState>>>;

fn hit(s: &mut ProviderState, e: &'static str) {
    *s.hits.entry(e).or_default() += 1;
}

async fn discovery(State(st): St) -> Response {
    let mut s = st.lock().unwrap();
    hit(&mut s, "discovery");
    if let Some(code) = s.discovery_status {
        return code.into_response();
    }
    let i = &s.issuer;
    let mut doc = json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "jwks_uri": format!("{i}/keys"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
    });
    if s.offers_logout {
        doc["end_session_endpoint"] = json!(format!("{i}/logout"));
    }
    Json(doc).into_response()
}

/// RP-Initiated Logout: the client must be ours and the address to return
/// to the registered one (the client's origin and `/sign-in`), else 400.
async fn logout(State(st): St, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut s = st.lock().unwrap();
    hit(&mut s, "logout");
    let registered = s
        .redirect_uri
        .strip_suffix("/sign-in/oidc/callback")
        .map(|o| format!("{o}/sign-in"))
        .unwrap_or_default();
    if q.get("client_id") != Some(&s.client_id) {
        return (StatusCode::BAD_REQUEST, "unknown client").into_response();
    }
    match q.get("post_logout_redirect_uri") {
        Some(u) if *u == registered => {
            s.logouts.push(u.clone());
            Redirect::to(u).into_response()
        }
        _ => (
            StatusCode::BAD_REQUEST,
            "post_logout_redirect_uri is not registered",
        )
            .into_response(),
    }
}

async fn jwks(State(st): St) -> Json<Value> {
    let mut s = st.lock().unwrap();
    hit(&mut s, "jwks");
    let keys: Vec<Value> = s
        .keys
        .iter()
        .filter(|(kid, _)| s.published.contains(kid))
        .map(|(kid, k)| {
            let c = ring::rsa::PublicKeyComponents::<Vec<u8>>::from(k.public());
            json!({
                "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
                "n": URL_SAFE_NO_PAD.encode(&c.n), "e": URL_SAFE_NO_PAD.encode(&c.e),
            })
        })
        .collect();
    Json(json!({ "keys": keys }))
}

fn redirect_with_code(s: &mut ProviderState, q: &HashMap<String, String>, who: Person) -> Response {
    let code = URL_SAFE_NO_PAD.encode(rand_bytes());
    let nonce = q.get("nonce").cloned().unwrap_or_default();
    let challenge = q.get("code_challenge").cloned().unwrap_or_default();
    s.codes.insert(code.clone(), (nonce, challenge, who));
    let state = q.get("state").cloned().unwrap_or_default();
    let to = format!(
        "{}?{}",
        s.redirect_uri,
        serde_urlencoded::to_string([("code", code.as_str()), ("state", state.as_str())]).unwrap()
    );
    Redirect::to(&to).into_response()
}

fn rand_bytes() -> [u8; 24] {
    let mut b = [0u8; 24];
    ring::rand::SecureRandom::fill(&SystemRandom::new(), &mut b).unwrap();
    b
}

/// Check the authentication request as a real provider would.
fn check_request(s: &ProviderState, q: &HashMap<String, String>) -> Result<(), String> {
    let want = [
        ("response_type", s.client_id.as_str()),
        ("client_id", s.client_id.as_str()),
        ("redirect_uri", s.redirect_uri.as_str()),
        ("code_challenge_method", "S256"),
    ];
    for (k, v) in want {
        let got = q.get(k).map(String::as_str);
        let ok = if k == "response_type" {
            got == Some("code")
        } else {
            got == Some(v)
        };
        if !ok {
            return Err(format!("bad {k}: {got:?}"));
        }
    }
    if !q
        .get("scope")
        .is_some_and(|s| s.split(' ').any(|x| x == "openid"))
    {
        return Err("scope without openid".into());
    }
    for k in ["state", "nonce", "code_challenge"] {
        if q.get(k).is_none_or(|v| v.len() < 32) {
            return Err(format!("{k} missing or short"));
        }
    }
    Ok(())
}

async fn authorize(State(st): St, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut s = st.lock().unwrap();
    hit(&mut s, "authorize");
    if let Err(e) = check_request(&s, &q) {
        return (StatusCode::BAD_REQUEST, e).into_response();
    }
    if let Some(p) = s.auto.clone() {
        return redirect_with_code(&mut s, &q, p);
    }
    let hidden: String = q
        .iter()
        .map(|(k, v)| {
            format!(
                r#"<input type="hidden" name="{}" value="{}">"#,
                html_escape(k),
                html_escape(v)
            )
        })
        .collect();
    Html(format!(
        r##"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head><body><a href="#main-content">Skip to main content</a><main id="main-content" tabindex="-1">
<h1>Test identity provider</h1><p>Not a real council's sign-in: for trying Harbour's single sign-on.</p>
<form method="post" action="/authorize">{hidden}
<p><label for="email">Email address</label> <input id="email" name="email" type="email"></p>
<p><input id="mfa" name="mfa" type="checkbox" value="1"> <label for="mfa">Used a second factor</label></p>
<p><button type="submit" name="decision" value="allow">Sign in</button>
<button type="submit" name="decision" value="deny">Cancel</button></p></form></main></body></html>"##
    ))
    .into_response()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

async fn authorize_submit(State(st): St, Form(q): Form<HashMap<String, String>>) -> Response {
    let mut s = st.lock().unwrap();
    hit(&mut s, "authorize");
    if let Err(e) = check_request(&s, &q) {
        return (StatusCode::BAD_REQUEST, e).into_response();
    }
    if q.get("decision").map(String::as_str) != Some("allow") {
        let state = q.get("state").cloned().unwrap_or_default();
        let to = format!(
            "{}?{}",
            s.redirect_uri,
            serde_urlencoded::to_string([("error", "access_denied"), ("state", state.as_str())])
                .unwrap()
        );
        return Redirect::to(&to).into_response();
    }
    let email = q
        .get("email")
        .cloned()
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    let mut amr = vec!["pwd".to_string()];
    if q.contains_key("mfa") {
        amr.push("mfa".into());
    }
    let p = Person {
        sub: format!(
            "sub-{}",
            hex::encode(&Sha256::digest(email.as_bytes())[..8])
        ),
        email,
        amr,
    };
    redirect_with_code(&mut s, &q, p)
}

fn sign(s: &ProviderState, header: &Value, claims: &Value, key_index: usize) -> String {
    let h = URL_SAFE_NO_PAD.encode(header.to_string());
    let p = URL_SAFE_NO_PAD.encode(claims.to_string());
    let input = format!("{h}.{p}");
    let k = &s.keys[key_index].1;
    let mut sig = vec![0u8; k.public().modulus_len()];
    k.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        input.as_bytes(),
        &mut sig,
    )
    .unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

fn id_token(s: &ProviderState, nonce: &str, p: &Person) -> String {
    let t = s.tamper;
    let now = s.now;
    let claims = json!({
        "iss": if t == Tamper::Issuer { "https://evil.example.test".to_string() } else { s.issuer.clone() },
        "sub": p.sub,
        "aud": if t == Tamper::Audience { "another-client".to_string() } else { s.client_id.clone() },
        "exp": if t == Tamper::Expired { now - 3600 } else { now + 3600 },
        "iat": if t == Tamper::Expired { now - 7200 } else { now },
        "nonce": if t == Tamper::Nonce { "not-the-nonce" } else { nonce },
        "email": p.email,
        "preferred_username": p.email,
        "amr": p.amr,
        "name": "Test Person",
    });
    // The signing key is the first published one.
    let signer = s
        .keys
        .iter()
        .position(|(kid, _)| s.published.first() == Some(kid))
        .unwrap_or(0);
    let kid = s.keys[signer].0.clone();
    match t {
        Tamper::AlgNone => format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(json!({"alg": "none", "kid": kid}).to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        ),
        Tamper::Hs256 => {
            let h = URL_SAFE_NO_PAD.encode(json!({"alg": "HS256", "kid": kid}).to_string());
            let b = URL_SAFE_NO_PAD.encode(claims.to_string());
            let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, s.client_secret.as_bytes());
            let tag = ring::hmac::sign(&key, format!("{h}.{b}").as_bytes());
            format!("{h}.{b}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
        }
        Tamper::WrongKey => {
            let other = (signer + 1) % s.keys.len();
            sign(s, &json!({"alg": "RS256", "kid": kid}), &claims, other)
        }
        Tamper::Altered => {
            let t = sign(s, &json!({"alg": "RS256", "kid": kid}), &claims, signer);
            let mut parts: Vec<String> = t.split('.').map(String::from).collect();
            let mut c = claims.clone();
            c["sub"] = json!("someone-else");
            parts[1] = URL_SAFE_NO_PAD.encode(c.to_string());
            parts.join(".")
        }
        _ => sign(
            s,
            &json!({"alg": "RS256", "kid": kid, "typ": "JWT"}),
            &claims,
            signer,
        ),
    }
}

fn token_error(code: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": code }))).into_response()
}

async fn token(
    State(st): St,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let mut s = st.lock().unwrap();
    hit(&mut s, "token");
    // client_secret_basic, with the id and secret form-encoded (RFC 6749 §2.3.1).
    let client = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|b| {
            let (id, secret) = b.split_once(':')?;
            let dec = |x: &str| {
                serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={x}"))
                    .ok()
                    .and_then(|v| v.into_iter().next())
                    .map(|(_, v)| v)
            };
            Some((dec(id)?, dec(secret)?))
        });
    if client != Some((s.client_id.clone(), s.client_secret.clone())) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    if f.get("grant_type").map(String::as_str) != Some("authorization_code") {
        return token_error("unsupported_grant_type");
    }
    if f.get("redirect_uri") != Some(&s.redirect_uri) {
        return token_error("invalid_grant");
    }
    let Some((nonce, challenge, person)) = f.get("code").and_then(|c| s.codes.remove(c)) else {
        return token_error("invalid_grant");
    };
    let verifier = f.get("code_verifier").cloned().unwrap_or_default();
    if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != challenge {
        return token_error("invalid_grant");
    }
    let id = id_token(&s, &nonce, &person);
    Json(json!({
        "access_token": "opaque-access-token",
        "token_type": "Bearer",
        "expires_in": 3600,
        "id_token": id,
    }))
    .into_response()
}
