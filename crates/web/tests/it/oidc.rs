//! Single sign-on with OpenID Connect, against the small provider in
//! `oidc_provider.rs` started on this machine for each test: the whole
//! authorization code flow over real HTTP, and every way it must refuse.

use crate::oidc_provider::{Person, Provider, Tamper};
use crate::*;
use harbour_domain::audit::Outcome;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CLIENT: &str = "harbour-test-client";
const SECRET: &str = "test secret/with:odd+chars";
const CALLBACK: &str = "http://localhost/sign-in/oidc/callback";

async fn setup(f: impl FnOnce(&mut Config)) -> (TestApp, Provider) {
    let mut t = TestApp::new().await;
    let p = Provider::start(0, CLIENT, SECRET, CALLBACK).await;
    p.with(|s| s.now = now().timestamp());
    let issuer = p.issuer.clone();
    t.reconfigure(|c| {
        c.oidc.issuer = issuer;
        c.oidc.client_id = CLIENT.into();
        c.oidc.client_secret = SECRET.into();
        f(c);
    });
    (t, p)
}

fn person(email: &str, sub: &str) -> Person {
    Person {
        sub: sub.into(),
        email: email.into(),
        amr: vec!["pwd".into()],
    }
}

/// GET a URL on the provider over real HTTP; the Location it redirects to.
async fn provider_location(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).await.unwrap();
    buf.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("location")
                .then(|| v.trim().to_string())
        })
        .unwrap_or_else(|| panic!("no redirect from the provider: {buf}"))
}

fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap().to_string())
}

/// The whole flow as a browser goes through it: Harbour's start link, the
/// provider, the callback. Returns the callback's answer.
async fn sign_on(
    t: &TestApp,
    p: &Provider,
    who: Person,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let (status, headers, _) = t.send(get("/sign-in/oidc?next=/children", None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let to_provider = headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(
        to_provider.starts_with(&format!("{}/authorize?", p.issuer)),
        "{to_provider}"
    );
    let state_cookie = cookie(&headers, "harbour_oidc_state").expect("a state cookie");
    let set = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("harbour_oidc_state="))
        .unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    p.with(|s| s.auto = Some(who));
    let back = provider_location(&to_provider).await;
    let path = back
        .strip_prefix("http://localhost")
        .expect("back to Harbour");
    t.send(get(path, Some(&state_cookie))).await
}

async fn audit_after(t: &TestApp, seq: i64) -> Vec<(String, Outcome, String)> {
    let mut tx = t.app.db.begin_read().await.unwrap();
    let rows = harbour_db::audit::page(&mut tx, seq, 100).await.unwrap();
    tx.commit().await.unwrap();
    rows.into_iter()
        .map(|e| {
            (
                e.event.action,
                e.event.outcome,
                e.event.reason.unwrap_or_default(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_council_account_signs_on_links_and_returns_where_it_was_going() {
    let (t, p) = setup(|_| {}).await;
    let sw = t.users[&Role::SocialWorker].clone();
    // The sign-in page offers the button.
    let (_, _, page) = t.send(get("/sign-in", None)).await;
    assert!(page.contains("Sign in with your council account"), "{page}");
    assert!(page.contains(r#"href="/sign-in/oidc""#), "{page}");

    let before = t.audit_count().await;
    let (status, headers, body) =
        sign_on(&t, &p, person(&sw.email.to_uppercase(), "entra-oid-1")).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(headers[header::LOCATION], "/children");
    let session = cookie(&headers, "harbour_session").expect("a session");
    // The state cookie is cleared.
    assert_eq!(
        cookie(&headers, "harbour_oidc_state").as_deref(),
        Some("harbour_oidc_state=")
    );
    let (status, _, page) = t.send(get("/children", Some(&session))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&sw.name), "signed in as the worker");
    let audit = audit_after(&t, before).await;
    assert!(
        audit.contains(&(
            "user.oidc_link".into(),
            Outcome::Allow,
            "first_sign_on".into()
        )),
        "{audit:?}"
    );
    assert!(
        audit.contains(&("session.sign_in".into(), Outcome::Allow, "oidc".into())),
        "{audit:?}"
    );
    assert_eq!(p.hits("token"), 1);

    // Next time the subject finds the account, whatever the email says.
    let (status, _, _) = sign_on(&t, &p, person("renamed@elsewhere.test", "entra-oid-1")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // Someone else holding the email at the provider now is refused.
    let before = t.audit_count().await;
    let (status, headers, page) = sign_on(&t, &p, person(&sw.email, "entra-oid-2")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(cookie(&headers, "harbour_session").is_none());
    assert!(page.contains("not set up for Harbour"), "{page}");
    let audit = audit_after(&t, before).await;
    assert!(
        audit.contains(&(
            "session.sign_in".into(),
            Outcome::Deny,
            "oidc_identity_mismatch".into()
        )),
        "{audit:?}"
    );
    // Discovery and keys were fetched once and cached.
    assert_eq!((p.hits("discovery"), p.hits("jwks")), (1, 1));

    // The person's council account was replaced: a system administrator
    // removes the link (the staff page offers it), and the new identity
    // links by email at its next sign-on.
    let admin = t.sign_in(Role::Sysadmin).await;
    let (_, _, page) = t.send(get("/admin/staff", Some(&admin))).await;
    assert!(
        page.contains(&format!("/admin/staff/{}/unlink-sso", sw.id)),
        "{page}"
    );
    let before = t.audit_count().await;
    let (status, _, page) = t
        .send(form(
            &format!("/admin/staff/{}/unlink-sso", sw.id),
            "",
            Some(&admin),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Single sign-on link removed"), "{page}");
    assert!(audit_after(&t, before).await.contains(&(
        "user.oidc_unlink".into(),
        Outcome::Allow,
        String::new()
    )));
    let (_, _, page) = t.send(get("/admin/staff", Some(&admin))).await;
    assert!(!page.contains(&format!("/admin/staff/{}/unlink-sso", sw.id)));
    let (status, _, _) = sign_on(&t, &p, person(&sw.email, "entra-oid-2")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_wrong_id_token_is_refused() {
    let (t, p) = setup(|_| {}).await;
    let sw = t.users[&Role::SocialWorker].email.clone();
    for (tamper, reason) in [
        (Tamper::Nonce, "oidc_nonce_mismatch"),
        (Tamper::Expired, "oidc_expired"),
        (Tamper::Audience, "oidc_wrong_audience"),
        (Tamper::Issuer, "oidc_wrong_issuer"),
        (Tamper::AlgNone, "oidc_unsupported_alg"),
        (Tamper::Hs256, "oidc_unsupported_alg"),
        (Tamper::WrongKey, "oidc_bad_signature"),
        (Tamper::Altered, "oidc_bad_signature"),
    ] {
        p.with(|s| s.tamper = tamper);
        let before = t.audit_count().await;
        let (status, headers, page) = sign_on(&t, &p, person(&sw, "oid-x")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{tamper:?}");
        assert!(cookie(&headers, "harbour_session").is_none(), "{tamper:?}");
        assert!(page.contains("There is a problem"), "{tamper:?}");
        let audit = audit_after(&t, before).await;
        assert_eq!(
            audit,
            vec![("session.sign_in".into(), Outcome::Deny, reason.into())],
            "{tamper:?}"
        );
    }
    // Nothing was linked by any of them.
    p.with(|s| s.tamper = Tamper::None);
    let (status, _, _) = sign_on(&t, &p, person(&sw, "oid-y")).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the account was still unlinked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_state_belongs_to_one_browser_and_is_used_once() {
    let (t, p) = setup(|_| {}).await;
    let sw = t.users[&Role::SocialWorker].email.clone();
    let (_, headers, _) = t.send(get("/sign-in/oidc", None)).await;
    let to_provider = headers[header::LOCATION].to_str().unwrap().to_string();
    let mine = cookie(&headers, "harbour_oidc_state").unwrap();
    p.with(|s| s.auto = Some(person(&sw, "oid-1")));
    let back = provider_location(&to_provider).await;
    let path = back.strip_prefix("http://localhost").unwrap().to_string();
    // Without the cookie (a link planted in someone else's browser).
    let (status, headers, page) = t.send(get(&path, None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Try again"), "{page}");
    assert!(cookie(&headers, "harbour_session").is_none());
    // With another sign-on's cookie.
    let (_, h2, _) = t.send(get("/sign-in/oidc", None)).await;
    let other = cookie(&h2, "harbour_oidc_state").unwrap();
    let (status, _, _) = t.send(get(&path, Some(&other))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // The right cookie still works once (the failed tries did not use it up)…
    let (status, _, _) = t.send(get(&path, Some(&mine))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // …and never again.
    let (status, _, _) = t.send(get(&path, Some(&mine))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Ten minutes later a started sign-on has expired.
    let (_, headers, _) = t.send(get("/sign-in/oidc", None)).await;
    let to_provider = headers[header::LOCATION].to_str().unwrap().to_string();
    let c = cookie(&headers, "harbour_oidc_state").unwrap();
    let back = provider_location(&to_provider).await;
    t.clock.advance(TimeDelta::minutes(11));
    let (status, _, _) = t
        .send(get(
            back.strip_prefix("http://localhost").unwrap(),
            Some(&c),
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_disabled_accounts_and_cancelled_sign_ons_are_refused() {
    let (t, p) = setup(|_| {}).await;
    let before = t.audit_count().await;
    let (status, _, page) = sign_on(&t, &p, person("nobody@council.test", "oid-n")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("Contact your system administrator"), "{page}");
    assert_eq!(
        audit_after(&t, before).await,
        vec![(
            "session.sign_in".into(),
            Outcome::Deny,
            "oidc_unknown_account".into()
        )]
    );

    let sw = t.users[&Role::SocialWorker].clone();
    let mut tx = t.app.db.begin_write().await.unwrap();
    users::disable(&mut tx, sw.id, now()).await.unwrap();
    tx.commit().await.unwrap();
    let (status, headers, _) = sign_on(&t, &p, person(&sw.email, "oid-d")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(cookie(&headers, "harbour_session").is_none());

    // Cancelled at the provider: it sends error=access_denied back.
    let (_, headers, _) = t.send(get("/sign-in/oidc", None)).await;
    let loc = headers[header::LOCATION].to_str().unwrap();
    let c = cookie(&headers, "harbour_oidc_state").unwrap();
    let state = loc
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let before = t.audit_count().await;
    let (status, _, page) = t
        .send(get(
            &format!("/sign-in/oidc/callback?error=access_denied&state={state}"),
            Some(&c),
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("was not completed"), "{page}");
    assert_eq!(
        audit_after(&t, before).await,
        vec![(
            "session.sign_in".into(),
            Outcome::Deny,
            "oidc_provider_error:access_denied".into()
        )]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_that_need_a_second_factor_need_it_from_the_provider() {
    let (t, p) = setup(|_| {}).await;
    let admin = t.users[&Role::Sysadmin].email.clone();
    let (status, _, page) = sign_on(&t, &p, person(&admin, "oid-a")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("needs a second factor"), "{page}");
    let mut with_mfa = person(&admin, "oid-a");
    with_mfa.amr = vec!["pwd".into(), "mfa".into()];
    let before = t.audit_count().await;
    let (status, _, _) = sign_on(&t, &p, with_mfa).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(audit_after(&t, before).await.contains(&(
        "session.sign_in".into(),
        Outcome::Allow,
        "oidc_mfa".into()
    )));

    // A council whose provider enforces it for Harbour says so.
    let (t, p) = setup(|c| c.oidc.idp_enforces_mfa = true).await;
    let admin = t.users[&Role::PrivacyOfficer].email.clone();
    let (status, _, _) = sign_on(&t, &p, person(&admin, "oid-p")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rolled_keys_are_fetched_again_and_an_unreachable_provider_is_explained() {
    let (t, p) = setup(|_| {}).await;
    let sw = t.users[&Role::SocialWorker].email.clone();
    let (status, _, _) = sign_on(&t, &p, person(&sw, "oid-r")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The provider rolls to its second key; Harbour's cached set lacks it.
    // Within a minute of the last fetch the set is not fetched again (an
    // unknown kid cannot make Harbour hammer the provider)…
    p.with(|s| s.published = vec!["key-2".into()]);
    let jwks_before = p.hits("jwks");
    let before = t.audit_count().await;
    let (status, _, _) = sign_on(&t, &p, person(&sw, "oid-r")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        audit_after(&t, before).await,
        vec![(
            "session.sign_in".into(),
            Outcome::Deny,
            "oidc_unknown_key".into()
        )]
    );
    assert_eq!(p.hits("jwks"), jwks_before);
    // …after it, it is, and the new key is used.
    t.clock.advance(TimeDelta::minutes(2));
    p.with(|s| s.now = now().timestamp() + 120);
    let (status, _, _) = sign_on(&t, &p, person(&sw, "oid-r")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(p.hits("jwks"), jwks_before + 1);

    // A fresh instance (no cache) against a provider that is down.
    let (t, p) = setup(|_| {}).await;
    p.with(|s| s.discovery_status = Some(StatusCode::INTERNAL_SERVER_ERROR));
    let (status, headers, page) = t.send(get("/sign-in/oidc", None)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(cookie(&headers, "harbour_oidc_state").is_none());
    assert!(page.contains("cannot reach your council"), "{page}");
    assert!(
        !page.contains("HTTP 500") && !page.contains("127.0.0.1"),
        "no internals: {page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_passwords_off_only_system_administrators_use_one() {
    let (t, _p) = setup(|c| c.oidc.password_sign_in = false).await;
    let (_, _, page) = t.send(get("/sign-in", None)).await;
    assert!(
        page.contains("System administrators: sign in with a password"),
        "{page}"
    );
    let sw = t.users[&Role::SocialWorker].email.clone();
    let before = t.audit_count().await;
    let body = format!("email={sw}&password={}", PASSWORD.replace(' ', "+"));
    let (status, headers, _) = t.send(form("/sign-in", &body, None)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(cookie(&headers, "harbour_session").is_none());
    assert!(
        audit_after(&t, before)
            .await
            .iter()
            .any(|(_, o, r)| *o == Outcome::Deny && r == "password_sign_in_off")
    );
    // The system administrator still can (with their authenticator code).
    t.sign_in(Role::Sysadmin).await;
}

/// Signing out of Harbour offers to sign out of the council account too
/// (RP-Initiated Logout), and the provider sends the browser back to the
/// sign-in page; without an `end_session_endpoint` the page still warns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_offers_to_sign_out_of_the_council_account_too() {
    let (t, p) = setup(|_| {}).await;
    let sw = t.users[&Role::SocialWorker].clone();
    let (status, headers, _) = sign_on(&t, &p, person(&sw.email, "entra-oid-9")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let session = cookie(&headers, "harbour_session").expect("a session");
    let (status, headers, _) = t.send(form("/sign-out", "", Some(&session))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/sign-in?signed_out=1");
    // The session is gone whatever happens at the provider.
    let (status, _, _) = t.send(get("/my-work", Some(&session))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let (status, _, page) = t.send(get("/sign-in?signed_out=1", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("You have been signed out."), "{page}");
    let want = format!(
        "{}/logout?client_id={CLIENT}&#38;post_logout_redirect_uri=http%3A%2F%2Flocalhost%2Fsign-in",
        p.issuer
    );
    assert!(page.contains(&format!(r#"href="{want}""#)), "{page}");
    assert!(page.contains("sign out of your council account as well"));
    // Following it, the provider signs the person out and sends the browser
    // back to Harbour's sign-in page (the registered address).
    let back = provider_location(&want.replace("&#38;", "&")).await;
    assert_eq!(back, "http://localhost/sign-in");
    p.with(|s| assert_eq!(s.logouts, vec!["http://localhost/sign-in".to_string()]));
    // The plain sign-in page does not offer it.
    let (_, _, page) = t.send(get("/sign-in", None)).await;
    assert!(!page.contains("council account as well"), "{page}");

    // A provider without a sign-out endpoint: the warning, without a link.
    let (t, p) = setup(|_| {}).await;
    p.with(|s| s.offers_logout = false);
    let (_, _, page) = t.send(get("/sign-in?signed_out=1", None)).await;
    assert!(
        page.contains("sign out of it as well, or close every browser window"),
        "{page}"
    );
    assert!(!page.contains("provider-sign-out"), "{page}");
    // The provider down: the same warning, and the page still answers.
    let (t, p) = setup(|_| {}).await;
    p.with(|s| s.discovery_status = Some(StatusCode::INTERNAL_SERVER_ERROR));
    let (status, _, page) = t.send(get("/sign-in?signed_out=1", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("close every browser window"), "{page}");
}

#[tokio::test]
async fn without_configuration_there_is_no_single_sign_on() {
    let t = TestApp::new().await;
    let (_, _, page) = t.send(get("/sign-in", None)).await;
    assert!(!page.contains("/sign-in/oidc"), "{page}");
    let (status, _, _) = t.send(get("/sign-in/oidc", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Signed out with passwords only: nothing about a council account.
    let (_, _, page) = t.send(get("/sign-in?signed_out=1", None)).await;
    assert!(page.contains("You have been signed out."), "{page}");
    assert!(!page.contains("council account"), "{page}");
}
