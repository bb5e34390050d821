//! Second-factor enrolment from the account page, sign-in with the new
//! secret (valid, replayed, wrong, clock drift of one step either side), and
//! the sysadmin's audited reset.

use crate::*;
use harbour_app::auth::{base32_decode, totp_at};

/// The pending secret shown on the account page.
fn secret_on(page: &str) -> String {
    let start = page.find(r#"id="totp-secret">"#).expect("secret shown") + 17;
    page[start..].split('<').next().unwrap().to_string()
}

fn code(secret: &str, at: DateTime<Utc>, steps: i64) -> String {
    totp_at(&base32_decode(secret).unwrap(), at.timestamp() / 30 + steps)
}

async fn sign_in_with(t: &TestApp, email: &str, code: &str) -> StatusCode {
    let body = format!(
        "email={email}&password={}&code={code}",
        PASSWORD.replace(' ', "+")
    );
    t.send(form("/sign-in", &body, None)).await.0
}

async fn enrol(t: &TestApp, cookie: &str) -> String {
    let (status, _, page) = t
        .send(form("/account/two-factor/start", "", Some(cookie)))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("otpauth://totp/Harbour:"),
        "URI shown as text"
    );
    let secret = secret_on(&page);
    assert!(page.contains(&format!("secret={secret}")));
    secret
}

#[tokio::test]
async fn enrolment_takes_effect_only_after_a_correct_code() {
    let t = TestApp::new().await;
    let sw = &t.users[&Role::SocialWorker];
    let cookie = t.sign_in(Role::SocialWorker).await;
    let secret = enrol(&t, &cookie).await;

    // A wrong code: refused with a clear message, nothing changes.
    let before = t.audit_count().await;
    let wrong = if code(&secret, now(), 0) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let (status, _, page) = t
        .send(form(
            "/account/two-factor",
            &format!("code={wrong}"),
            Some(&cookie),
        ))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(harbour_app::two_factor::WRONG_CODE));
    assert_eq!(t.audit_count().await, before + 1, "the refusal is audited");
    // Still no second factor: a password alone signs in.
    assert_eq!(sign_in_with(&t, &sw.email, "").await, StatusCode::SEE_OTHER);

    // The right code confirms it.
    let (status, headers, _) = t
        .send(form(
            "/account/two-factor",
            &format!("code={}", code(&secret, now(), 0)),
            Some(&cookie),
        ))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/account/two-factor?done=1");
    let (_, _, page) = t.send(get("/account/two-factor", Some(&cookie))).await;
    assert!(page.contains("An authenticator app is set up"));
    assert!(
        !page.contains("totp-secret"),
        "the secret is not shown again"
    );

    // Now the password alone is refused, and so is the code used to confirm
    // (already spent), but the next step's code signs in.
    assert_eq!(
        sign_in_with(&t, &sw.email, "").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        sign_in_with(&t, &sw.email, &code(&secret, now(), 0)).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    t.clock.advance(TimeDelta::seconds(30));
    assert_eq!(
        sign_in_with(&t, &sw.email, &code(&secret, t.app.now(), 0)).await,
        StatusCode::SEE_OTHER
    );
    let mut tx = t.app.db.begin_read().await.unwrap();
    let rows = harbour_db::audit::page(&mut tx, 0, 10_000).await.unwrap();
    assert!(
        rows.iter()
            .any(|r| r.event.action == "user.totp_enrol_confirm"
                && r.event.target_id == Some(sw.id.0))
    );
}

#[tokio::test]
async fn sign_in_codes_valid_replayed_wrong_and_drifted() {
    let t = TestApp::new().await;
    let sw = &t.users[&Role::SocialWorker];
    let cookie = t.sign_in(Role::SocialWorker).await;
    let secret = enrol(&t, &cookie).await;
    let (status, _, _) = t
        .send(form(
            "/account/two-factor",
            &format!("code={}", code(&secret, now(), -1)),
            Some(&cookie),
        ))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "one step behind confirms");
    // Ten minutes on: each case gets fresh steps.
    t.clock.advance(TimeDelta::minutes(10));
    let at = t.app.now();
    // One step ahead (the phone's clock runs fast) is accepted...
    let ahead = code(&secret, at, 1);
    assert_eq!(
        sign_in_with(&t, &sw.email, &ahead).await,
        StatusCode::SEE_OTHER
    );
    // ...and replaying it is refused, as is any earlier step.
    assert_eq!(
        sign_in_with(&t, &sw.email, &ahead).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        sign_in_with(&t, &sw.email, &code(&secret, at, 0)).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Two steps away either side is refused.
    t.clock.advance(TimeDelta::minutes(10));
    let at = t.app.now();
    for steps in [-2, 2] {
        assert_eq!(
            sign_in_with(&t, &sw.email, &code(&secret, at, steps)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{steps} steps"
        );
    }
    // One step behind (the phone's clock runs slow) is accepted.
    assert_eq!(
        sign_in_with(&t, &sw.email, &code(&secret, at, -1)).await,
        StatusCode::SEE_OTHER
    );
    // A wrong code is refused.
    t.clock.advance(TimeDelta::minutes(10));
    let at = t.app.now();
    let right = code(&secret, at, 0);
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    assert_eq!(
        sign_in_with(&t, &sw.email, &wrong).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        sign_in_with(&t, &sw.email, &right).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_sysadmin_resets_a_second_factor_and_it_is_audited() {
    let t = TestApp::new().await;
    let pf = t.users[&Role::PrivacyOfficer].clone();
    let admin = t.sign_in(Role::Sysadmin).await;

    // Nobody else may reset.
    let tm = t.sign_in(Role::TeamManager).await;
    let path = format!("/admin/staff/{}/reset-two-factor", pf.id);
    assert_eq!(
        t.send(form(&path, "", Some(&tm))).await.0,
        StatusCode::FORBIDDEN
    );
    // Not one's own.
    let own = format!(
        "/admin/staff/{}/reset-two-factor",
        t.users[&Role::Sysadmin].id
    );
    assert_eq!(
        t.send(form(&own, "", Some(&admin))).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // A role that needs a second factor gets a new secret, shown once.
    let (status, _, page) = t.send(form(&path, "", Some(&admin))).await;
    assert_eq!(status, StatusCode::OK);
    let key = page
        .split("(shown once): ")
        .nth(1)
        .expect("new key shown")
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert_ne!(key, TOTP);
    t.clock.advance(TimeDelta::minutes(5));
    let at = t.app.now();
    assert_eq!(
        sign_in_with(&t, &pf.email, &code(TOTP, at, 0)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the old secret no longer works"
    );
    assert_eq!(
        sign_in_with(&t, &pf.email, &code(&key, at, 0)).await,
        StatusCode::SEE_OTHER
    );

    // Another role's is removed.
    let sw = t.users[&Role::SocialWorker].clone();
    let cookie = t.sign_in(Role::SocialWorker).await;
    let secret = enrol(&t, &cookie).await;
    let c = code(&secret, t.app.now(), 0);
    let (status, _, _) = t
        .send(form(
            "/account/two-factor",
            &format!("code={c}"),
            Some(&cookie),
        ))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let path = format!("/admin/staff/{}/reset-two-factor", sw.id);
    let (status, _, page) = t.send(form(&path, "", Some(&admin))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Two-factor authentication removed"));
    assert_eq!(sign_in_with(&t, &sw.email, "").await, StatusCode::SEE_OTHER);

    let mut tx = t.app.db.begin_read().await.unwrap();
    let rows = harbour_db::audit::page(&mut tx, 0, 10_000).await.unwrap();
    let resets: Vec<_> = rows
        .iter()
        .map(|r| &r.event)
        .filter(|e| e.action == "user.totp_reset")
        .collect();
    assert_eq!(resets.len(), 2);
    assert_eq!(resets[0].target_id, Some(pf.id.0));
    assert_eq!(resets[0].reason.as_deref(), Some("new_secret_issued"));
    assert_eq!(resets[1].reason.as_deref(), Some("removed"));
}
