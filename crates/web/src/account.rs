//! The account page for the second factor: set up an authenticator app
//! (show the secret and its `otpauth://` URI as text, confirm with a code).
//! Handlers extract, call one `App` function and render.

use crate::AppState;
use crate::error::PageError;
use crate::extract::{FormBody, Page};
use crate::views::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use harbour_app::AppError;
use harbour_app::two_factor::TwoFactorStatus;
use harbour_domain::validate::FieldErrors;
use serde::Deserialize;

type PageResult = Result<Response, PageError>;

/// The two-factor page.
#[derive(Template)]
#[template(path = "two_factor.html")]
pub struct TwoFactorPage {
    /// Layout.
    pub page: PageCtx,
    /// Status.
    pub s: TwoFactorStatus,
    /// Problems with the code.
    pub errors: FieldErrors,
    /// Just confirmed.
    pub done: bool,
}

fn page(p: &Page, s: TwoFactorStatus, errors: FieldErrors, done: bool) -> Response {
    let bad = !errors.is_empty();
    let mut r = render(&TwoFactorPage {
        page: p.page.clone().at("/account/two-factor"),
        s,
        errors,
        done,
    });
    if bad {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

/// Query for the page.
#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /account/two-factor`: status, and the pending secret if set-up has started.
pub async fn view(
    State(st): State<AppState>,
    p: Page,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> PageResult {
    let s = st
        .app
        .two_factor_status(&p.ctx)
        .await
        .map_err(|e| p.err(e))?;
    Ok(page(&p, s, FieldErrors::new(), q.done.is_some()))
}

/// `POST /account/two-factor/start`: draw a new secret, pending until confirmed.
pub async fn start(State(st): State<AppState>, p: Page) -> PageResult {
    let s = st
        .app
        .start_two_factor(&p.ctx)
        .await
        .map_err(|e| p.err(e))?;
    Ok(page(&p, s, FieldErrors::new(), false))
}

/// Confirmation form.
#[derive(Deserialize, Default)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `POST /account/two-factor`: confirm the pending secret with a code.
pub async fn confirm(
    State(st): State<AppState>,
    p: Page,
    FormBody(f): FormBody<CodeForm>,
) -> PageResult {
    match st.app.confirm_two_factor(&p.ctx, &f.code).await {
        Ok(()) => Ok(Redirect::to("/account/two-factor?done=1").into_response()),
        Err(AppError::Validation(errors)) => {
            let s = st
                .app
                .two_factor_status(&p.ctx)
                .await
                .map_err(|e| p.err(e))?;
            Ok(page(&p, s, errors, false))
        }
        Err(e) => Err(p.err(e)),
    }
}
