//! Pages for the Philomena profile: view (with its versions), edit (a
//! multipart form with the photo), the photo itself, and the printable police
//! handover pack. Handlers extract, call one `App` function and render.

use crate::AppState;
use crate::error::PageError;
use crate::extract::{FormBody, Page};
use crate::views::{PageCtx, render};
use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use harbour_app::AppError;
use harbour_app::philomena::{Photo, PolicePack, ProfileInput, ProfileView};
use harbour_domain::ids::ChildId;
use harbour_domain::model::{Child, LegalStatusPeriod};
use harbour_domain::philomena::PhilomenaProfile;
use harbour_domain::validate::FieldErrors;
use serde::Deserialize;
use std::collections::HashMap;

type PageResult = Result<Response, PageError>;

/// The largest body the profile form may send: a photo of at most 2 MiB and
/// the text fields (the rest of the site keeps `max_body_bytes`).
pub const FORM_BODY_BYTES: usize = harbour_domain::philomena::PHOTO_MAX_BYTES + 512 * 1024;

fn child_id(p: &Page, s: &str) -> Result<ChildId, PageError> {
    s.parse().map_err(|_| p.err(AppError::NotFound))
}

/// `?version=N` (a past version) and `?saved=1` (after a save).
#[derive(Deserialize, Default)]
pub struct ProfileQuery {
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

impl ProfileQuery {
    fn version(&self, p: &Page) -> Result<Option<i64>, PageError> {
        match self.version.as_deref() {
            None | Some("") => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| p.err(AppError::NotFound)),
        }
    }
}

/// A `data:` URI for a photo, so a page carries it with its own (audited) read.
pub fn data_uri(p: &Photo) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(p.bytes.len() * 4 / 3 + 32);
    out.push_str("data:");
    out.push_str(p.kind.content_type());
    out.push_str(";base64,");
    for chunk in p.bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The profile page.
#[derive(Template)]
#[template(path = "philomena.html")]
pub struct ProfilePage {
    /// Layout.
    pub page: PageCtx,
    /// The profile.
    pub v: ProfileView,
    /// Just saved.
    pub saved: bool,
}

impl ProfilePage {
    /// The current version number (0: none).
    pub fn current(&self) -> i64 {
        self.v.versions.first().map_or(0, |p| p.version)
    }
}

/// The form for a new version.
#[derive(Template)]
#[template(path = "philomena_form.html")]
pub struct ProfileFormPage {
    /// Layout.
    pub page: PageCtx,
    /// The child.
    pub child: Child,
    /// The current version, if any.
    pub current: Option<PhilomenaProfile>,
    /// Values.
    pub values: HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
}

impl ProfileFormPage {
    /// A value.
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }
    /// The error for a field.
    pub fn e(&self, name: &str) -> &str {
        self.errors.get(name).unwrap_or("")
    }
}

/// The police handover pack.
#[derive(Template)]
#[template(path = "police_pack.html")]
pub struct PackPage {
    /// Layout.
    pub page: PageCtx,
    /// The pack.
    pub p: PolicePack,
    /// The photo, inline.
    pub photo_uri: Option<String>,
}

impl PackPage {
    /// Legal status label.
    pub fn status(&self, l: &LegalStatusPeriod) -> String {
        format!(
            "{} since {}",
            l.status.label(),
            crate::views::date(l.start_date)
        )
    }
    /// An authority's name and code.
    pub fn la(&self, code: &str) -> String {
        crate::views::la_label(code)
    }
    /// PLACE label.
    pub fn place(&self, code: &str) -> String {
        crate::views::place_label(code)
    }
}

fn to_values(i: &ProfileInput) -> HashMap<String, String> {
    serde_json::to_value(i)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// The profile form's body: multipart (with the photo) from browsers, or a
/// plain urlencoded form (no photo). Too large a body is a 413.
pub struct ProfileForm {
    /// The text fields.
    pub input: ProfileInput,
    /// The uploaded photo's bytes, if a file was chosen.
    pub photo: Option<Vec<u8>>,
}

fn unreadable(status: StatusCode) -> Response {
    // A stream that fails part way is the client's problem, not ours.
    let status = if status.is_server_error() {
        StatusCode::BAD_REQUEST
    } else {
        status
    };
    let msg = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "The form was too large to accept. The photo must be smaller than 2 MB."
    } else {
        "The form could not be read. Go back and try again."
    };
    (status, msg).into_response()
}

impl FromRequest<AppState> for ProfileForm {
    type Rejection = Response;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let mut fields: HashMap<String, String> = HashMap::new();
        let mut photo = None;
        if multipart {
            // Read the whole (bounded) body first, so a body over the limit
            // is a 413 however it was sent (with a length or chunked).
            let (parts, body) = req.into_parts();
            let bytes = axum::body::to_bytes(body, FORM_BODY_BYTES)
                .await
                .map_err(|_| unreadable(StatusCode::PAYLOAD_TOO_LARGE))?;
            let req = Request::from_parts(parts, axum::body::Body::from(bytes));
            let mut m = Multipart::from_request(req, state)
                .await
                .map_err(|e| unreadable(e.status()))?;
            while let Some(f) = m.next_field().await.map_err(|e| unreadable(e.status()))? {
                let name = f.name().unwrap_or("").to_string();
                if name == "photo" {
                    let b = f.bytes().await.map_err(|e| unreadable(e.status()))?;
                    photo = (!b.is_empty()).then(|| b.to_vec());
                } else {
                    let t = f.text().await.map_err(|e| unreadable(e.status()))?;
                    fields.insert(name, t);
                }
            }
        } else {
            let FormBody(f) = FormBody::<HashMap<String, String>>::from_request(req, state).await?;
            fields = f;
        }
        let input = serde_json::to_value(&fields)
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        Ok(ProfileForm { input, photo })
    }
}

/// The profile, current or `?version=N`, with its versions.
pub async fn view(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    Query(q): Query<ProfileQuery>,
) -> PageResult {
    let id = child_id(&p, &id)?;
    let version = q.version(&p)?;
    let v = st
        .app
        .philomena(&p.ctx, id, version)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&ProfilePage {
        page: p.page.clone(),
        v,
        saved: q.saved.is_some(),
    }))
}

async fn form_page(
    st: &AppState,
    p: &Page,
    id: ChildId,
    values: Option<HashMap<String, String>>,
    errors: FieldErrors,
) -> PageResult {
    let (child, current) = st
        .app
        .philomena_form(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    let values = values.unwrap_or_else(|| to_values(&ProfileInput::from_profile(current.as_ref())));
    let bad = !errors.is_empty();
    let mut r = render(&ProfileFormPage {
        page: p.page.clone(),
        child,
        current,
        values,
        errors,
    });
    if bad {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// The form for a new version, prefilled from the current one.
pub async fn edit_form(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id = child_id(&p, &id)?;
    form_page(&st, &p, id, None, FieldErrors::new()).await
}

/// Save a new version.
pub async fn edit_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    f: ProfileForm,
) -> PageResult {
    let id = child_id(&p, &id)?;
    match st
        .app
        .save_philomena(&p.ctx, id, &f.input, f.photo.as_deref())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/children/{id}/philomena?saved=1")).into_response()),
        Err(AppError::Validation(errors)) => {
            form_page(&st, &p, id, Some(to_values(&f.input)), errors).await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// The photo of the current version, or of `?version=N`.
pub async fn photo(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    Query(q): Query<ProfileQuery>,
) -> PageResult {
    let id = child_id(&p, &id)?;
    let version = q.version(&p)?;
    let ph = st
        .app
        .philomena_photo(&p.ctx, id, version)
        .await
        .map_err(|e| p.err(e))?;
    let mut r = ph.bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(ph.kind.content_type()),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline"),
    );
    Ok(r)
}

/// The police handover pack, ready to print.
pub async fn pack(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id = child_id(&p, &id)?;
    let pack = st.app.police_pack(&p.ctx, id).await.map_err(|e| p.err(e))?;
    let photo_uri = pack.photo.as_ref().map(data_uri);
    Ok(render(&PackPage {
        page: p.page.clone(),
        p: pack,
        photo_uri,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use harbour_domain::philomena::PhotoType;

    #[test]
    fn data_uris_are_base64() {
        let cases: [(&[u8], &str); 5] = [
            (b"", ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foobar\xff", "Zm9vYmFy/w=="),
        ];
        for (bytes, want) in cases {
            let p = Photo {
                kind: PhotoType::Png,
                bytes: bytes.to_vec(),
            };
            assert_eq!(data_uri(&p), format!("data:image/png;base64,{want}"));
        }
    }
}
