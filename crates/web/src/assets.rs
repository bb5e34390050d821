//! The embedded front-end: GOV.UK Frontend (CSS, JS module and images, at
//! `/assets` because its CSS uses absolute `/assets/...` URLs), htmx, and
//! Harbour's own small stylesheet and script. Built into the binary by
//! `build.rs`, so serving needs no files on disk and no node.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

fn serve(url: &str) -> Response {
    match ASSETS.iter().find(|(p, _, _)| *p == url) {
        Some((_, ct, body)) => {
            let mut r = (StatusCode::OK, *body).into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
            r
        }
        None => (StatusCode::NOT_FOUND, "Not found").into_response(),
    }
}

/// `/assets/*path`.
pub async fn govuk(Path(path): Path<String>) -> Response {
    serve(&format!("/assets/{path}"))
}

/// `/static/*path`.
pub async fn statics(Path(path): Path<String>) -> Response {
    serve(&format!("/static/{path}"))
}
