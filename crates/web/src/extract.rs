//! Extractors: who is asking (session cookie for pages, bearer token for the
//! API), the request id, and form bodies parsed without leaking parser errors.

use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::middleware::RequestId;
use crate::views::PageCtx;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use harbour_app::{AppError, Ctx, CurrentUser};
use serde::de::DeserializeOwned;

/// The session cookie's name: `__Host-` pins it to this origin over HTTPS; plain
/// HTTP (local testing only) cannot use the prefix.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-harbour_session"
    } else {
        "harbour_session"
    }
}

fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name && !v.is_empty()).then(|| v.to_string())
        })
}

/// The single sign-on state cookie, if the browser sent one.
pub struct OidcStateCookie(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for OidcStateCookie {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(cookie_value(parts, harbour_app::oidc::STATE_COOKIE)))
    }
}

fn request_id(parts: &Parts) -> String {
    parts
        .extensions
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default()
}

/// A page request: the signed-in user, if any.
pub struct MaybeUser {
    /// Context for the layout.
    pub page: PageCtx,
    /// The user, if signed in.
    pub user: Option<CurrentUser>,
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = PageError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let rid = request_id(parts);
        let token = cookie_value(parts, cookie_name(state.app.config.cookie_secure));
        let user = match token {
            Some(t) => state
                .app
                .session_user(&t)
                .await
                .map_err(|error| PageError {
                    error,
                    ctx: PageCtx::anonymous(&rid)
                        .at(parts.uri.path())
                        .returnable(&parts.method, parts.uri.path()),
                })?,
            None => None,
        };
        Ok(MaybeUser {
            page: PageCtx::new(user.as_ref(), &rid)
                .at(parts.uri.path())
                .returnable(&parts.method, parts.uri.path()),
            user,
        })
    }
}

/// A page request that needs a signed-in user; otherwise redirects to sign in.
pub struct Page {
    /// Context for the layout.
    pub page: PageCtx,
    /// Context for the app.
    pub ctx: Ctx,
}

impl Page {
    /// Wrap an app error for rendering on this page.
    pub fn err(&self, error: AppError) -> PageError {
        PageError {
            error,
            ctx: self.page.clone(),
        }
    }
}

impl FromRequestParts<AppState> for Page {
    type Rejection = PageError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let m = MaybeUser::from_request_parts(parts, state).await?;
        match m.user {
            Some(me) => Ok(Page {
                ctx: Ctx {
                    me,
                    request_id: m.page.request_id.clone(),
                },
                page: m.page,
            }),
            None => Err(PageError {
                error: AppError::Unauthenticated,
                ctx: m.page,
            }),
        }
    }
}

/// An API request with a valid bearer token.
pub struct ApiCtx(pub Ctx);

impl ApiCtx {
    /// Wrap an app error for the API.
    pub fn err(&self, error: AppError) -> ApiError {
        ApiError {
            error,
            request_id: self.0.request_id.clone(),
        }
    }
}

impl FromRequestParts<AppState> for ApiCtx {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let rid = request_id(parts);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Err(ApiError {
                error: AppError::Unauthenticated,
                request_id: rid,
            });
        };
        match state.app.token_user(token).await {
            Ok(Some(me)) => Ok(ApiCtx(Ctx {
                me,
                request_id: rid,
            })),
            Ok(None) => Err(ApiError {
                error: AppError::Unauthenticated,
                request_id: rid,
            }),
            Err(error) => Err(ApiError {
                error,
                request_id: rid,
            }),
        }
    }
}

/// The request id alone.
pub struct Rid(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Rid {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Rid(request_id(parts)))
    }
}

/// The client's address as seen by the server (for sign-in throttling).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "local".into());
        Ok(ClientAddr(ip))
    }
}

/// Decode a urlencoded form body into `T` (what [`FormBody`] does with the
/// bytes); `None` when it is not such a form.
pub fn read_form<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    serde_urlencoded::from_bytes(bytes).ok()
}

/// A urlencoded form body. Unknown fields are ignored, missing ones default;
/// a body that is not a form at all is a 400 with a plain message.
pub struct FormBody<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for FormBody<T> {
    type Rejection = axum::response::Response;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let ct_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !ct_ok {
            return Err((
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the form as application/x-www-form-urlencoded.",
            )
                .into_response());
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| {
                (
                    axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                    "The form was too large to accept.",
                )
                    .into_response()
            })?;
        read_form(&bytes).map(FormBody).ok_or_else(|| {
            (
                axum::http::StatusCode::BAD_REQUEST,
                "The form could not be read. Go back and try again.",
            )
                .into_response()
        })
    }
}
