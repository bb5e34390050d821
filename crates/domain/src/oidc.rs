//! Single sign-on with OpenID Connect: the pure parts. Splitting and reading
//! an ID token, the checks OpenID Connect Core 1.0 requires of it, the PKCE
//! challenge, choosing a signing key from the provider's key set, and
//! whether the provider says more than one factor was used.
//!
//! The signature itself is checked by the service layer (with `ring`) over
//! [`Jwt::signing_input`]; nothing here trusts a token before that.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Why an ID token (or the provider's answer) was not accepted. The
/// `reason` is what the audit row records.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not three base64url parts, or not JSON.
    #[error("the ID token is not well formed")]
    Malformed,
    /// An algorithm other than RS256 (including `none` and HMAC).
    #[error("the ID token is signed with an algorithm Harbour does not accept")]
    UnsupportedAlgorithm,
    /// No key in the provider's key set matches the token's `kid`.
    #[error("no signing key matches the ID token")]
    UnknownKey,
    /// The signature does not verify.
    #[error("the ID token's signature does not verify")]
    BadSignature,
    /// `iss` is not the configured issuer.
    #[error("the ID token is from another issuer")]
    WrongIssuer,
    /// `aud` does not name this client, or `azp` names another.
    #[error("the ID token is for another application")]
    WrongAudience,
    /// Past `exp`.
    #[error("the ID token has expired")]
    Expired,
    /// `iat` too far in the past or future, or `nbf` in the future.
    #[error("the ID token was issued at an unacceptable time")]
    BadIssueTime,
    /// `nonce` missing or not the one sent.
    #[error("the ID token does not answer this sign-in")]
    NonceMismatch,
    /// No `sub`, or the claim that names the account is missing.
    #[error("the ID token does not say who signed in")]
    NoIdentity,
}

impl TokenError {
    /// The short reason recorded in the audit trail.
    pub fn reason(&self) -> &'static str {
        match self {
            TokenError::Malformed => "malformed_token",
            TokenError::UnsupportedAlgorithm => "unsupported_alg",
            TokenError::UnknownKey => "unknown_key",
            TokenError::BadSignature => "bad_signature",
            TokenError::WrongIssuer => "wrong_issuer",
            TokenError::WrongAudience => "wrong_audience",
            TokenError::Expired => "expired",
            TokenError::BadIssueTime => "bad_issue_time",
            TokenError::NonceMismatch => "nonce_mismatch",
            TokenError::NoIdentity => "no_identity",
        }
    }
}

/// A JWS in compact form, split but not yet verified.
#[derive(Clone, Debug)]
pub struct Jwt {
    /// The protected header.
    pub header: JwtHeader,
    /// The claims (unverified until the signature is checked).
    pub claims: IdClaims,
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`: what was signed.
    pub signing_input: String,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

/// The header fields Harbour reads.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct JwtHeader {
    /// Algorithm.
    pub alg: String,
    /// Key id.
    #[serde(default)]
    pub kid: Option<String>,
}

/// `aud` is a string or an array of strings (RFC 7519 §4.1.3).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Audience {
    /// One audience.
    One(String),
    /// Several.
    Many(Vec<String>),
}

impl Audience {
    fn contains(&self, who: &str) -> bool {
        match self {
            Audience::One(a) => a == who,
            Audience::Many(v) => v.iter().any(|a| a == who),
        }
    }
    fn len(&self) -> usize {
        match self {
            Audience::One(_) => 1,
            Audience::Many(v) => v.len(),
        }
    }
}

/// The ID token claims Harbour reads (OpenID Connect Core 1.0 §2, §5.1;
/// `upn` is Microsoft Entra ID's).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct IdClaims {
    /// Issuer.
    pub iss: String,
    /// Subject: the person's stable id at the issuer.
    #[serde(default)]
    pub sub: String,
    /// Audience.
    pub aud: Audience,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Issued at.
    pub iat: i64,
    /// Not before.
    #[serde(default)]
    pub nbf: Option<i64>,
    /// The nonce from the authentication request.
    #[serde(default)]
    pub nonce: Option<String>,
    /// Authorised party.
    #[serde(default)]
    pub azp: Option<String>,
    /// Authentication methods (RFC 8176).
    #[serde(default)]
    pub amr: Vec<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// The sign-in name (Entra ID: the user principal name).
    #[serde(default)]
    pub preferred_username: Option<String>,
    /// Entra ID's user principal name.
    #[serde(default)]
    pub upn: Option<String>,
}

impl IdClaims {
    /// The value of the claim that names the Harbour account (`email`,
    /// `preferred_username` or `upn`), lower-cased.
    pub fn account_name(&self, claim: &str) -> Option<String> {
        let v = match claim {
            "email" => self.email.as_deref(),
            "preferred_username" => self.preferred_username.as_deref(),
            "upn" => self.upn.as_deref(),
            _ => None,
        }?;
        let v = v.trim().to_lowercase();
        (!v.is_empty()).then_some(v)
    }
}

/// Split a compact JWS (RFC 7515 §7.1) and read its header and claims.
pub fn split_jwt(token: &str) -> Result<Jwt, TokenError> {
    let mut parts = token.trim().split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    let decode = |x: &str| URL_SAFE_NO_PAD.decode(x).map_err(|_| TokenError::Malformed);
    let header: JwtHeader =
        serde_json::from_slice(&decode(h)?).map_err(|_| TokenError::Malformed)?;
    let claims: IdClaims =
        serde_json::from_slice(&decode(p)?).map_err(|_| TokenError::Malformed)?;
    Ok(Jwt {
        header,
        claims,
        signing_input: format!("{h}.{p}"),
        signature: decode(s)?,
    })
}

/// Only RS256 (RSASSA-PKCS1-v1_5 with SHA-256) is accepted: it is the
/// algorithm OpenID Connect Core 1.0 §15.1 requires providers to support
/// and the one Microsoft Entra ID uses. `none` and the HMAC algorithms are
/// refused, so a token cannot be forged with the client secret or no key.
pub fn check_algorithm(header: &JwtHeader) -> Result<(), TokenError> {
    if header.alg == "RS256" {
        Ok(())
    } else {
        Err(TokenError::UnsupportedAlgorithm)
    }
}

/// What the ID token must match.
#[derive(Clone, Debug)]
pub struct Expected<'a> {
    /// The configured issuer, exactly.
    pub issuer: &'a str,
    /// This application's client id.
    pub client_id: &'a str,
    /// The nonce sent with this sign-in.
    pub nonce: &'a str,
    /// Now, seconds since the epoch.
    pub now: i64,
    /// Clock skew allowed, seconds.
    pub leeway: i64,
    /// The oldest acceptable `iat`, seconds before now.
    pub max_age: i64,
}

/// ID token validation, OpenID Connect Core 1.0 §3.1.3.7: `iss` equals the
/// issuer exactly (2); `aud` contains the client id (3) and, with several
/// audiences, `azp` is present and is the client id (4, 5); the current
/// time is before `exp` (9) and not before `nbf`; `iat` is recent (10: the
/// client "MAY use the iat Claim to reject tokens that were issued too far
/// away from the current time"); `nonce` equals the one sent (11). A
/// `sub` must be present (§2: REQUIRED). The signature (6, 7) is checked
/// separately over [`Jwt::signing_input`].
pub fn validate_claims(c: &IdClaims, e: &Expected<'_>) -> Result<(), TokenError> {
    if c.iss != e.issuer {
        return Err(TokenError::WrongIssuer);
    }
    if !c.aud.contains(e.client_id) {
        return Err(TokenError::WrongAudience);
    }
    if c.aud.len() > 1 && c.azp.as_deref() != Some(e.client_id) {
        return Err(TokenError::WrongAudience);
    }
    if let Some(azp) = &c.azp
        && azp != e.client_id
    {
        return Err(TokenError::WrongAudience);
    }
    if e.now >= c.exp + e.leeway {
        return Err(TokenError::Expired);
    }
    if c.iat > e.now + e.leeway || c.iat < e.now - e.max_age {
        return Err(TokenError::BadIssueTime);
    }
    if c.nbf.is_some_and(|nbf| nbf > e.now + e.leeway) {
        return Err(TokenError::BadIssueTime);
    }
    if c.nonce.as_deref() != Some(e.nonce) {
        return Err(TokenError::NonceMismatch);
    }
    if c.sub.trim().is_empty() {
        return Err(TokenError::NoIdentity);
    }
    Ok(())
}

/// The PKCE S256 code challenge (RFC 7636 §4.2):
/// `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`.
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Whether the provider reports that more than one factor was used
/// (RFC 8176 authentication method reference values): `mfa` itself, or a
/// knowledge factor (`pwd`, `pin`, `kba`) together with a possession or
/// inherence factor (`otp`, `hwk`, `swk`, `sms`, `tel`, `fpt`, `face`,
/// `iris`, `retina`, `vbm`). Microsoft Entra ID reports `mfa` when its
/// conditional access asked for a second factor.
pub fn mfa_satisfied(amr: &[String]) -> bool {
    let has = |set: &[&str]| amr.iter().any(|a| set.contains(&a.as_str()));
    has(&["mfa"])
        || (has(&["pwd", "pin", "kba"])
            && has(&[
                "otp", "hwk", "swk", "sms", "tel", "fpt", "face", "iris", "retina", "vbm",
            ]))
}

/// One key of a JSON Web Key Set (RFC 7517), as published at the
/// provider's `jwks_uri`.
#[derive(Clone, Debug, Deserialize)]
pub struct Jwk {
    /// Key type.
    pub kty: String,
    /// Key id.
    #[serde(default)]
    pub kid: Option<String>,
    /// Intended use (`sig`).
    #[serde(rename = "use", default)]
    pub use_: Option<String>,
    /// Algorithm, if stated.
    #[serde(default)]
    pub alg: Option<String>,
    /// RSA modulus, base64url.
    #[serde(default)]
    pub n: Option<String>,
    /// RSA exponent, base64url.
    #[serde(default)]
    pub e: Option<String>,
}

/// A key set.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Jwks {
    /// The keys.
    pub keys: Vec<Jwk>,
}

/// An RSA public key as big-endian modulus and exponent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaKey {
    /// Modulus.
    pub n: Vec<u8>,
    /// Exponent.
    pub e: Vec<u8>,
}

/// The RSA signing key for a token's `kid` (RFC 7517 §4): keys of another
/// type, meant for encryption, or stating another algorithm are skipped. A
/// token without `kid` is accepted only when exactly one key qualifies.
pub fn select_key(jwks: &Jwks, kid: Option<&str>) -> Result<RsaKey, TokenError> {
    let usable = jwks.keys.iter().filter(|k| {
        k.kty == "RSA"
            && k.use_.as_deref().is_none_or(|u| u == "sig")
            && k.alg.as_deref().is_none_or(|a| a == "RS256")
            && k.n.is_some()
            && k.e.is_some()
    });
    let mut matching: Vec<&Jwk> = match kid {
        Some(kid) => usable.filter(|k| k.kid.as_deref() == Some(kid)).collect(),
        None => usable.collect(),
    };
    if matching.len() != 1 {
        return Err(TokenError::UnknownKey);
    }
    let k = matching.remove(0);
    let decode = |x: &Option<String>| {
        URL_SAFE_NO_PAD
            .decode(x.as_deref().unwrap_or_default())
            .map_err(|_| TokenError::UnknownKey)
    };
    Ok(RsaKey {
        n: decode(&k.n)?,
        e: decode(&k.e)?,
    })
}

/// The provider's metadata (OpenID Connect Discovery 1.0 §3) that Harbour
/// uses, from `{issuer}/.well-known/openid-configuration`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ProviderMetadata {
    /// Must equal the configured issuer (Discovery §4.3).
    pub issuer: String,
    /// Where the browser is sent to sign in.
    pub authorization_endpoint: String,
    /// Where the code is exchanged.
    pub token_endpoint: String,
    /// The key set.
    pub jwks_uri: String,
    /// Where to send the browser to sign out at the provider, if offered.
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
}

/// The discovery document's issuer must be the configured issuer, exactly
/// (Discovery 1.0 §4.3), and every endpoint must use https, except on the
/// loopback interface (a provider on the same machine, as in tests).
pub fn check_metadata(m: &ProviderMetadata, issuer: &str) -> Result<(), String> {
    if m.issuer != issuer {
        return Err(format!(
            "the provider's discovery document names issuer {:?}, not the configured {:?}",
            m.issuer, issuer
        ));
    }
    for (name, url) in [
        ("authorization_endpoint", &m.authorization_endpoint),
        ("token_endpoint", &m.token_endpoint),
        ("jwks_uri", &m.jwks_uri),
    ] {
        if !secure_url(url) {
            return Err(format!("the provider's {name} is not an https address"));
        }
    }
    Ok(())
}

/// Where to send the browser to sign out at the provider too (OpenID
/// Connect RP-Initiated Logout 1.0 §2): the provider's
/// `end_session_endpoint` with `client_id` (§2: "RECOMMENDED" without an
/// `id_token_hint`; Harbour keeps no ID token) and the
/// `post_logout_redirect_uri` registered for Harbour, which must match a
/// registered address exactly (§3). `None` when the provider offers no such
/// endpoint or it is not an https address (the same rule as its other
/// endpoints, [`check_metadata`]).
pub fn logout_url(
    end_session_endpoint: Option<&str>,
    client_id: &str,
    post_logout_redirect_uri: &str,
) -> Option<String> {
    let endpoint = end_session_endpoint?.trim();
    if endpoint.is_empty() || !secure_url(endpoint) || endpoint.contains('#') {
        return None;
    }
    let query = format!(
        "client_id={}&post_logout_redirect_uri={}",
        form_encode(client_id),
        form_encode(post_logout_redirect_uri)
    );
    let sep = if endpoint.contains('?') { '&' } else { '?' };
    Some(format!("{endpoint}{sep}{query}"))
}

/// `application/x-www-form-urlencoded` for one value (WHATWG URL §5.2):
/// letters, digits and `*-._` kept, a space as `+`, every other byte `%XX`.
pub fn form_encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// An https URL, or an http URL on the loopback interface.
pub fn secure_url(url: &str) -> bool {
    if url.starts_with("https://") {
        return true;
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = if let Some(h) = host.strip_prefix('[') {
        h.split(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    matches!(host, "127.0.0.1" | "localhost" | "::1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> IdClaims {
        IdClaims {
            iss: "https://login.example.test/tenant/v2.0".into(),
            sub: "abc".into(),
            aud: Audience::One("client-1".into()),
            exp: 2_000,
            iat: 1_000,
            nbf: None,
            nonce: Some("n-1".into()),
            azp: None,
            amr: vec![],
            email: Some("A.Worker@Example.test ".into()),
            preferred_username: None,
            upn: None,
        }
    }

    fn expected(now: i64) -> Expected<'static> {
        Expected {
            issuer: "https://login.example.test/tenant/v2.0",
            client_id: "client-1",
            nonce: "n-1",
            now,
            leeway: 60,
            max_age: 600,
        }
    }

    #[test]
    fn id_token_checks() {
        type Edit = fn(&mut IdClaims);
        let cases: &[(&str, Edit, i64, Result<(), TokenError>)] = &[
            ("valid", |_| {}, 1_010, Ok(())),
            ("exp in leeway", |c| c.iat = 1_600, 2_059, Ok(())),
            (
                "expired",
                |c| c.iat = 1_600,
                2_060,
                Err(TokenError::Expired),
            ),
            (
                "other issuer",
                |c| c.iss = "https://evil.test".into(),
                1_010,
                Err(TokenError::WrongIssuer),
            ),
            (
                "issuer with slash",
                |c| c.iss.push('/'),
                1_010,
                Err(TokenError::WrongIssuer),
            ),
            (
                "other audience",
                |c| c.aud = Audience::One("client-2".into()),
                1_010,
                Err(TokenError::WrongAudience),
            ),
            (
                "audience list with us and azp",
                |c| {
                    c.aud = Audience::Many(vec!["client-1".into(), "api".into()]);
                    c.azp = Some("client-1".into());
                },
                1_010,
                Ok(()),
            ),
            (
                "audience list without azp",
                |c| c.aud = Audience::Many(vec!["client-1".into(), "api".into()]),
                1_010,
                Err(TokenError::WrongAudience),
            ),
            (
                "azp of another",
                |c| c.azp = Some("client-2".into()),
                1_010,
                Err(TokenError::WrongAudience),
            ),
            (
                "issued in the future",
                |c| c.iat = 1_100,
                1_010,
                Err(TokenError::BadIssueTime),
            ),
            (
                "issued too long ago",
                |c| {
                    c.iat = 100;
                    c.exp = 5_000;
                },
                1_010,
                Err(TokenError::BadIssueTime),
            ),
            (
                "not yet valid",
                |c| c.nbf = Some(1_200),
                1_010,
                Err(TokenError::BadIssueTime),
            ),
            ("nbf in leeway", |c| c.nbf = Some(1_050), 1_010, Ok(())),
            (
                "no nonce",
                |c| c.nonce = None,
                1_010,
                Err(TokenError::NonceMismatch),
            ),
            (
                "other nonce",
                |c| c.nonce = Some("n-2".into()),
                1_010,
                Err(TokenError::NonceMismatch),
            ),
            (
                "no subject",
                |c| c.sub = " ".into(),
                1_010,
                Err(TokenError::NoIdentity),
            ),
        ];
        for (name, edit, now, want) in cases {
            let mut c = claims();
            edit(&mut c);
            assert_eq!(validate_claims(&c, &expected(*now)), *want, "{name}");
        }
    }

    #[test]
    fn pkce_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn only_rs256() {
        for (alg, ok) in [
            ("RS256", true),
            ("none", false),
            ("HS256", false),
            ("RS512", false),
            ("rs256", false),
            ("ES256", false),
        ] {
            let h = JwtHeader {
                alg: alg.into(),
                kid: None,
            };
            assert_eq!(check_algorithm(&h).is_ok(), ok, "{alg}");
        }
    }

    #[test]
    fn second_factor_from_amr() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        for (amr, ok) in [
            (v(&["mfa"]), true),
            (v(&["pwd", "mfa"]), true),
            (v(&["pwd", "otp"]), true),
            (v(&["pin", "hwk"]), true),
            (v(&["pwd"]), false),
            (v(&["otp"]), false),
            (v(&["pwd", "rsa"]), false),
            (v(&[]), false),
        ] {
            assert_eq!(mfa_satisfied(&amr), ok, "{amr:?}");
        }
    }

    #[test]
    fn account_name_claims() {
        let mut c = claims();
        assert_eq!(
            c.account_name("email").as_deref(),
            Some("a.worker@example.test")
        );
        assert_eq!(c.account_name("upn"), None);
        c.upn = Some("X@Y.test".into());
        assert_eq!(c.account_name("upn").as_deref(), Some("x@y.test"));
        assert_eq!(c.account_name("sub"), None);
        c.email = Some("  ".into());
        assert_eq!(c.account_name("email"), None);
    }

    #[test]
    fn splitting() {
        let enc = |s: &str| URL_SAFE_NO_PAD.encode(s);
        let h = enc(r#"{"alg":"RS256","kid":"k1"}"#);
        let p = enc(r#"{"iss":"i","sub":"s","aud":["a"],"exp":2,"iat":1}"#);
        let t = format!("{h}.{p}.{}", enc("sig"));
        let j = split_jwt(&t).expect("splits");
        assert_eq!(j.header.kid.as_deref(), Some("k1"));
        assert_eq!(j.signing_input, format!("{h}.{p}"));
        assert_eq!(j.signature, b"sig");
        for bad in [
            String::new(),
            format!("{h}.{p}"),
            format!("{h}.{p}.x.y"),
            format!("{h}.{p}.!!"),
            format!("{}.{p}.{}", enc("not json"), enc("s")),
            format!("{h}.{}.{}", enc(r#"{"iss":"i"}"#), enc("s")),
        ] {
            assert_eq!(split_jwt(&bad).err(), Some(TokenError::Malformed), "{bad}");
        }
    }

    #[test]
    fn key_selection() {
        let key = |kid: &str, kty: &str, use_: Option<&str>, alg: Option<&str>| Jwk {
            kty: kty.into(),
            kid: Some(kid.into()),
            use_: use_.map(Into::into),
            alg: alg.map(Into::into),
            n: Some(URL_SAFE_NO_PAD.encode([kid.as_bytes(), b"-n"].concat())),
            e: Some("AQAB".into()),
        };
        let set = Jwks {
            keys: vec![
                key("a", "RSA", Some("sig"), Some("RS256")),
                key("b", "RSA", None, None),
                key("c", "EC", Some("sig"), None),
                key("d", "RSA", Some("enc"), None),
                key("e", "RSA", Some("sig"), Some("RS512")),
            ],
        };
        assert_eq!(
            select_key(&set, Some("a")).map(|k| k.n),
            Ok(b"a-n".to_vec())
        );
        assert_eq!(select_key(&set, Some("b")).map(|k| k.e), Ok(vec![1, 0, 1]));
        for kid in [Some("c"), Some("d"), Some("e"), Some("z"), None] {
            assert_eq!(
                select_key(&set, kid),
                Err(TokenError::UnknownKey),
                "{kid:?}"
            );
        }
        let one = Jwks {
            keys: vec![key("a", "RSA", None, None)],
        };
        assert!(select_key(&one, None).is_ok());
    }

    #[test]
    fn discovery_checks() {
        let m = |iss: &str, auth: &str| ProviderMetadata {
            issuer: iss.into(),
            authorization_endpoint: auth.into(),
            token_endpoint: "https://p.test/token".into(),
            jwks_uri: "https://p.test/keys".into(),
            end_session_endpoint: None,
        };
        assert!(check_metadata(&m("https://p.test", "https://p.test/a"), "https://p.test").is_ok());
        assert!(
            check_metadata(&m("https://p.test/", "https://p.test/a"), "https://p.test").is_err()
        );
        assert!(check_metadata(&m("https://p.test", "http://p.test/a"), "https://p.test").is_err());
        for (url, ok) in [
            ("https://login.microsoftonline.com/x/v2.0", true),
            ("http://127.0.0.1:9400/authorize", true),
            ("http://localhost/x", true),
            ("http://[::1]:80/x", true),
            ("http://127.0.0.1.evil.test/x", false),
            ("http://evil.test@127.0.0.1/x", true),
            ("http://127.0.0.1@evil.test/x", false),
            ("http://example.test/x", false),
            ("ftp://127.0.0.1/x", false),
        ] {
            assert_eq!(secure_url(url), ok, "{url}");
        }
    }

    #[test]
    fn logout_url_table() {
        let back = "https://harbour.example/sign-in";
        let rows: [(Option<&str>, Option<&str>); 7] = [
            (None, None),
            (Some(""), None),
            // Not https: refused, as for the other endpoints.
            (Some("http://login.example/logout"), None),
            (Some("https://login.example/logout#x"), None),
            (
                Some("https://login.example/t/oauth2/v2.0/logout"),
                Some(
                    "https://login.example/t/oauth2/v2.0/logout?client_id=harbour+app&post_logout_redirect_uri=https%3A%2F%2Fharbour.example%2Fsign-in",
                ),
            ),
            // An endpoint with its own query keeps it.
            (
                Some("https://login.example/logout?p=B2C_1"),
                Some(
                    "https://login.example/logout?p=B2C_1&client_id=harbour+app&post_logout_redirect_uri=https%3A%2F%2Fharbour.example%2Fsign-in",
                ),
            ),
            // A provider on the loopback interface (tests).
            (
                Some("http://127.0.0.1:9/logout"),
                Some(
                    "http://127.0.0.1:9/logout?client_id=harbour+app&post_logout_redirect_uri=https%3A%2F%2Fharbour.example%2Fsign-in",
                ),
            ),
        ];
        for (endpoint, want) in rows {
            assert_eq!(
                logout_url(endpoint, "harbour app", back).as_deref(),
                want,
                "{endpoint:?}"
            );
        }
    }
}
