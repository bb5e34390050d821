//! Single sign-on with OpenID Connect: the two pages of the flow. `GET
//! /sign-in/oidc` sends the browser to the council's identity provider;
//! `GET /sign-in/oidc/callback` is where the provider sends it back. The
//! flow itself (state, PKCE, token checks, account, audit) is
//! `harbour_app::oidc`. Without `[oidc]` configured both answer 404.

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ClientAddr, MaybeUser, OidcStateCookie};
use crate::pages::{home_for, password_open, safe_next, session_redirect, sso_label};
use crate::views::{SignInPage, render};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use harbour_app::oidc::{OidcCallback, OidcRefusal, STATE_COOKIE};
use harbour_domain::validate::FieldErrors;
use serde::Deserialize;

/// `?next=` on the start link.
#[derive(Deserialize, Default)]
pub struct StartQuery {
    #[serde(default)]
    next: Option<String>,
}

fn state_cookie(st: &AppState, value: &str, max_age: i64) -> Option<HeaderValue> {
    let secure = st.app.config.cookie_secure;
    HeaderValue::from_str(&format!(
        "{STATE_COOKIE}={value}; Path=/sign-in/oidc; HttpOnly; SameSite=Lax{}; Max-Age={max_age}",
        if secure { "; Secure" } else { "" }
    ))
    .ok()
}

/// The sign-in page again with the refusal's message.
fn refused(st: &AppState, m: MaybeUser, why: OidcRefusal) -> Response {
    let mut errors = FieldErrors::new();
    errors.add("sso", why.message());
    let status = match why {
        OidcRefusal::ProviderUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        OidcRefusal::Expired | OidcRefusal::NotCompleted => StatusCode::BAD_REQUEST,
        OidcRefusal::NoAccount | OidcRefusal::SecondFactorNeeded => StatusCode::FORBIDDEN,
    };
    let mut r = render(&SignInPage {
        page: m.page,
        email: String::new(),
        errors,
        notice: None,
        next: String::new(),
        sso_label: sso_label(st),
        password_open: password_open(st),
        provider_sign_out: None,
    });
    *r.status_mut() = status;
    r
}

/// Start single sign-on: to the provider, with this sign-on's state in a
/// cookie.
pub async fn start(
    State(st): State<AppState>,
    m: MaybeUser,
    Query(q): Query<StartQuery>,
) -> Response {
    if let Some(u) = &m.user {
        return Redirect::to(home_for(u)).into_response();
    }
    let next = q.next.as_deref().and_then(safe_next).unwrap_or("");
    match st.app.oidc_begin(next).await {
        Ok(Ok(s)) => {
            let mut r = Redirect::to(&s.redirect).into_response();
            if let Some(c) = state_cookie(&st, &s.state, 600) {
                r.headers_mut().append(header::SET_COOKIE, c);
            }
            r
        }
        Ok(Err(why)) => refused(&st, m, why),
        Err(error) => PageError { error, ctx: m.page }.into_response(),
    }
}

/// The provider's answer.
#[derive(Deserialize, Default)]
pub struct CallbackQuery {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// The callback: finish the sign-on and start the session, or say why not.
pub async fn callback(
    State(st): State<AppState>,
    m: MaybeUser,
    ClientAddr(client): ClientAddr,
    OidcStateCookie(cookie_state): OidcStateCookie,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let cb = OidcCallback {
        code: q.code,
        state: q.state,
        error: q.error,
        cookie_state,
        client,
        request_id: m.page.request_id.clone(),
    };
    let mut r = match st.app.oidc_complete(&cb).await {
        Ok(Ok(done)) => {
            let u = harbour_app::auth::current_user(done.session.user, None);
            let target = safe_next(&done.next).unwrap_or(home_for(&u));
            session_redirect(&st, &done.session.token, target)
        }
        Ok(Err(why)) => refused(&st, m, why),
        Err(error) => PageError { error, ctx: m.page }.into_response(),
    };
    // The state is used once, whatever happened.
    if let Some(c) = state_cookie(&st, "", 0) {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}
