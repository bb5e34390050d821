//! Harbour over HTTP: server-rendered GOV.UK-style pages (htmx for
//! progressive enhancement; every flow works without JavaScript), the JSON API
//! under `/api/v1` with its OpenAPI document, health and metrics endpoints,
//! and the embedded front-end assets.
//!
//! Layers, outermost first: request id → metrics → catch-panic → timeout →
//! security headers → admission control (`max_in_flight`, then 503) → CSRF (Sec-Fetch-Site / Origin) → body limit (larger on
//! the Philomena profile form, which carries a photo) → router.
//! Handlers extract, call one `harbour_app::App` function, and render.

// A page error carries the page context so the error page can render the
// layout; it is built at most once per request, so its size does not matter.
#![allow(clippy::result_large_err)]

pub mod account;
pub mod api;
pub mod assets;
pub mod charts;
pub mod contexts;
pub mod edt;
pub mod error;
pub mod extract;
#[doc(hidden)]
pub mod fuzz;
pub mod middleware;
pub mod pages;
pub mod panel;
pub mod philomena;
pub mod privacy;
pub mod reports;
pub mod routes;
pub mod schools;
pub mod screening;
pub mod ssda903;
pub mod sso;
pub mod supervision;
pub mod views;
pub mod xlsx;

use harbour_app::App;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

/// Shared state for handlers.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The application.
    pub app: App,
    /// Request counters for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// The bound on requests in flight.
    pub admission: Arc<middleware::Admission>,
}

/// Counters exposed at `/metrics`.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Requests served.
    pub requests: AtomicU64,
    /// Responses with a 5xx status.
    pub server_errors: AtomicU64,
    /// Responses with a 4xx status.
    pub client_errors: AtomicU64,
}

pub use routes::router;
