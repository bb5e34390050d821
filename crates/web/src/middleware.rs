//! Cross-cutting request handling: request ids, security headers, CSRF
//! checks, metrics and JSON/plain-text responses for errors raised by layers.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::Ordering;

/// The request id, available to handlers as an extension.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Give every request an id (a fresh UUIDv7; an incoming `x-request-id` is not trusted).
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let id = uuid::Uuid::now_v7().to_string();
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request.id = %id, method = %req.method(), path = %req.uri().path());
    let _enter = span.enter();
    drop(_enter);
    let mut res = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// Content Security Policy: no inline script, no framing, same-origin only.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// Security headers on every response; `no-store` on everything but static assets.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_asset =
        req.uri().path().starts_with("/assets/") || req.uri().path().starts_with("/static/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    if state.app.config.cookie_secure {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    if is_asset {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        );
    } else {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Whether a state-changing request comes from our own pages: `Sec-Fetch-Site`
/// must be `same-origin` (or `none`, typed by the user), or failing that the
/// `Origin` header must be our public origin. API calls with a bearer token
/// carry no ambient credentials and are exempt.
pub fn csrf_ok(method: &Method, headers: &HeaderMap, public_origin: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "))
        && headers.get(header::COOKIE).is_none()
    {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => origin == public_origin,
        // No browser signals at all: a non-browser client without cookies is not a CSRF vector.
        None => headers.get(header::COOKIE).is_none(),
    }
}

/// Refuse cross-site state changes.
pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !csrf_ok(req.method(), req.headers(), &state.app.config.public_origin) {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "This form was sent from another site, so Harbour refused it. Go back, reload the page and try again.").into_response();
    }
    next.run(req).await
}

/// Count requests by outcome.
pub async fn metrics(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let m = &state.metrics;
    m.requests.fetch_add(1, Ordering::Relaxed);
    if res.status().is_server_error() {
        m.server_errors.fetch_add(1, Ordering::Relaxed);
    } else if res.status().is_client_error() {
        m.client_errors.fetch_add(1, Ordering::Relaxed);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(*k, HeaderValue::from_static(v));
        }
        m
    }

    #[test]
    fn csrf_table() {
        let o = "https://harbour.example";
        type Case<'a> = (Method, &'a [(&'a str, &'a str)], bool);
        let cases: [Case; 8] = [
            (Method::GET, &[("sec-fetch-site", "cross-site")], true),
            (
                Method::POST,
                &[("sec-fetch-site", "same-origin"), ("cookie", "x")],
                true,
            ),
            (
                Method::POST,
                &[("sec-fetch-site", "cross-site"), ("cookie", "x")],
                false,
            ),
            (
                Method::POST,
                &[("sec-fetch-site", "same-site"), ("cookie", "x")],
                false,
            ),
            (
                Method::POST,
                &[("origin", "https://harbour.example"), ("cookie", "x")],
                true,
            ),
            (
                Method::POST,
                &[("origin", "https://evil.example"), ("cookie", "x")],
                false,
            ),
            (Method::POST, &[("cookie", "x")], false),
            (Method::POST, &[("authorization", "Bearer abc")], true),
        ];
        for (m, headers, want) in cases {
            assert_eq!(csrf_ok(&m, &h(headers), o), want, "{m} {headers:?}");
        }
    }
}
