//! Turning `AppError` into responses: GOV.UK error pages for browsers and RFC
//! 9457 problem documents for the API. A 5xx never says what went wrong inside;
//! the cause is logged once, with the request id the user sees.

use crate::views::{self, PageCtx};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use harbour_app::AppError;
use serde::Serialize;

/// Status for an error.
pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        AppError::Unavailable | AppError::CannotSave(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn log_if_server_error(e: &AppError, request_id: &str) {
    match e {
        AppError::Internal(m) => {
            tracing::error!(request.id = request_id, error = %m, "internal error")
        }
        AppError::Unavailable => tracing::warn!(request.id = request_id, "database unavailable"),
        // An operator has to act (free space, fix the mount): an error, not a warning.
        AppError::CannotSave(why) => {
            tracing::error!(request.id = request_id, reason = ?why, "database cannot save")
        }
        _ => {}
    }
}

/// An error on an HTML page.
pub struct PageError {
    /// The error.
    pub error: AppError,
    /// The page context (signed-in user, request id).
    pub ctx: PageCtx,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = status_of(&self.error);
        log_if_server_error(&self.error, &self.ctx.request_id);
        if let AppError::Unauthenticated = self.error {
            // Come back here after signing in (a form's path is also the path
            // that shows it, so a timed-out form reopens with its draft).
            let target = match self.ctx.path.as_str() {
                "" | "/" | "/sign-in" | "/sign-out" => "/sign-in".to_string(),
                _ if !self.ctx.returnable => "/sign-in".to_string(),
                p => format!(
                    "/sign-in?{}",
                    serde_urlencoded::to_string([("next", p)]).unwrap_or_default()
                ),
            };
            return axum::response::Redirect::to(&target).into_response();
        }
        let page = views::ErrorPage::from_error(self.ctx, &self.error);
        let mut r = (status, views::render(&page)).into_response();
        if matches!(
            self.error,
            AppError::Unavailable | AppError::CannotSave(_) | AppError::TooManyRequests
        ) {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        r
    }
}

/// RFC 9457 problem details.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// Explanation for this occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Field-level problems (422).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// The request id, to quote to support.
    pub request_id: String,
}

/// One field's problem.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    /// Field name.
    pub field: String,
    /// Message.
    pub message: String,
}

/// An error from the API.
pub struct ApiError {
    /// The error.
    pub error: AppError,
    /// The request id.
    pub request_id: String,
}

/// Build a problem response.
pub fn problem(
    status: StatusCode,
    kind: &str,
    title: &str,
    detail: Option<String>,
    errors: Vec<ProblemField>,
    request_id: &str,
) -> Response {
    let body = Problem {
        kind: format!("https://harbour.example/problems/{kind}"),
        title: title.into(),
        status: status.as_u16(),
        detail,
        errors,
        request_id: request_id.into(),
    };
    let mut r = (status, axum::Json(body)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.error);
        log_if_server_error(&self.error, &self.request_id);
        let (kind, title, detail, errors) = match &self.error {
            AppError::Unauthenticated => (
                "unauthenticated",
                "Authentication required",
                Some("Send a valid API token as 'Authorization: Bearer <token>'.".to_string()),
                vec![],
            ),
            AppError::Forbidden(d) => (
                "forbidden",
                "Forbidden",
                d.map(|d| d.reason.explain().to_string()),
                vec![],
            ),
            AppError::NotFound => ("not-found", "Not found", None, vec![]),
            AppError::Validation(f) => (
                "validation",
                "The request has problems",
                None,
                f.0.iter()
                    .map(|e| ProblemField {
                        field: e.field.clone(),
                        message: e.message.clone(),
                    })
                    .collect(),
            ),
            AppError::Conflict(m) => ("conflict", "Conflict", Some(m.clone()), vec![]),
            AppError::TooManyRequests => ("too-many-requests", "Too many requests", None, vec![]),
            AppError::Unavailable => (
                "unavailable",
                "Service unavailable",
                Some("Try again shortly.".to_string()),
                vec![],
            ),
            AppError::CannotSave(why) => (
                "cannot-save",
                "Harbour cannot save right now",
                Some(why.message().to_string()),
                vec![],
            ),
            AppError::Internal(_) => (
                "internal",
                "Something went wrong",
                Some("The error has been logged with this request id.".to_string()),
                vec![],
            ),
        };
        let mut r = problem(status, kind, title, detail, errors, &self.request_id);
        if matches!(
            self.error,
            AppError::Unavailable | AppError::CannotSave(_) | AppError::TooManyRequests
        ) {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use harbour_app::SaveBlocked;

    async fn body(r: Response) -> String {
        let b = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
        String::from_utf8(b.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn a_full_disk_or_read_only_database_is_a_plain_503() {
        for (why, words) in [
            (SaveBlocked::DiskFull, "the database disk is full"),
            (SaveBlocked::ReadOnly, "the database is read-only"),
        ] {
            let r = ApiError {
                error: AppError::CannotSave(why),
                request_id: "rid-1".into(),
            }
            .into_response();
            assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(r.headers()[header::RETRY_AFTER], "5");
            assert_eq!(
                r.headers()[header::CONTENT_TYPE],
                "application/problem+json"
            );
            let b = body(r).await;
            assert!(b.contains("problems/cannot-save"), "{b}");
            assert!(
                b.contains(&format!("Harbour cannot save right now: {words}")),
                "{b}"
            );
            assert!(b.contains("rid-1"), "{b}");
        }
    }

    #[tokio::test]
    async fn an_outage_is_a_503_that_says_nothing_internal() {
        let r = ApiError {
            error: AppError::Unavailable,
            request_id: "rid-2".into(),
        }
        .into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()[header::RETRY_AFTER], "5");
        let b = body(r).await.to_lowercase();
        for w in ["sqlx", "sqlite", "postgres", "database error", "pool"] {
            assert!(!b.contains(w), "{b}");
        }
    }
}
