//! Cross-cutting request handling: request ids, security headers, CSRF
//! checks, metrics and JSON/plain-text responses for errors raised by layers.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::Semaphore;

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

/// Admission control: at most `max_in_flight` requests are handled at once.
/// A request beyond that waits up to `admission_wait_ms` for a place and is
/// then refused with 503 and `Retry-After`, so under overload the requests
/// Harbour admits keep their latency instead of every request queueing.
#[derive(Debug)]
pub struct Admission {
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl Admission {
    /// A bound of `max_in_flight` (at least 1) with a wait of `wait`.
    pub fn new(max_in_flight: u32, wait: Duration) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(max_in_flight.max(1) as usize)),
            wait,
        }
    }
}

/// Seconds a refused client is asked to wait.
pub const OVERLOAD_RETRY_AFTER: &str = "1";

/// Paths admission control never refuses: probes must answer under load,
/// or an orchestrator would restart a busy but healthy instance.
fn always_admitted(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/metrics")
}

/// Hold a place for the request while it runs, or refuse it with 503.
pub async fn admission(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if always_admitted(req.uri().path()) {
        return next.run(req).await;
    }
    let permits = state.admission.permits.clone();
    let permit = match permits.clone().try_acquire_owned() {
        Ok(p) => p,
        Err(_) => match tokio::time::timeout(state.admission.wait, permits.acquire_owned()).await {
            Ok(Ok(p)) => p,
            _ => return overloaded(&req),
        },
    };
    let res = next.run(req).await;
    drop(permit);
    res
}

/// The 503 for a request refused by admission control: problem JSON for the
/// API, a plain page otherwise (no database is touched to build either).
fn overloaded(req: &Request) -> Response {
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    tracing::warn!(request.id = %request_id, path = %req.uri().path(), "over capacity: request refused");
    let mut res = if req.uri().path().starts_with("/api/") {
        crate::error::problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "Service busy",
            Some("Harbour is handling as many requests as it can. Try again shortly.".into()),
            vec![],
            &request_id,
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            OVERLOADED_PAGE.replace("{request_id}", &request_id),
        )
            .into_response()
    };
    res.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_static(OVERLOAD_RETRY_AFTER),
    );
    res
}

/// A plain GOV.UK-style page for an overloaded service (static: built
/// without a session or the database).
const OVERLOADED_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<title>Sorry, the service is busy – Harbour</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/vendor/govuk/govuk-frontend.min.css">
</head>
<body class="govuk-template__body">
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content">
<h1 class="govuk-heading-l">Sorry, the service is busy</h1>
<p class="govuk-body">Harbour is handling as many requests as it can right now.</p>
<p class="govuk-body">Nothing you entered has been lost if you go back. Try again in a few seconds.</p>
<p class="govuk-body">Request reference: {request_id}</p>
</main>
</div>
</body>
</html>
"#;

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
