//! Contextual safeguarding pages and API: a child's network (an inline SVG
//! picture with a text alternative, and a table of the same links), linking
//! contexts (including the people and places a child named), context and
//! location pages, hotspots, children who share a context, and suggested
//! links. Handlers extract, call one `App` function and render.

use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::extract::{ApiCtx, FormBody, Page};
use crate::views::{PageCtx, render};
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_app::AppError;
use harbour_app::contexts::{
    ContextIndex, ContextPage, LinkInput, NetworkView, SuggestionInput, SuggestionView,
};
use harbour_domain::contexts::*;
use harbour_domain::ids::ChildId;
use harbour_domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

type PageResult = Result<Response, PageError>;

fn parse<T: std::str::FromStr>(p: &Page, s: &str) -> Result<T, PageError> {
    s.parse().map_err(|_| p.err(AppError::NotFound))
}

/// Side of the network picture's square, in SVG units.
pub const PICTURE: f64 = 640.0;

/// A node of the picture.
pub struct Node {
    /// Across.
    pub x: f64,
    /// Down.
    pub y: f64,
    /// Label.
    pub label: String,
    /// Second line (kind).
    pub kind: String,
    /// Shape colour.
    pub fill: &'static str,
    /// Radius.
    pub r: f64,
    /// Link target, if any.
    pub href: Option<String>,
}

/// An edge of the picture.
pub struct Edge {
    /// From.
    pub x1: f64,
    /// From.
    pub y1: f64,
    /// To.
    pub x2: f64,
    /// To.
    pub y2: f64,
    /// Dashed (unverified).
    pub dashed: bool,
    /// Police intelligence.
    pub police: bool,
}

/// The picture, laid out.
pub struct Picture {
    /// Nodes: the child first, then contexts, then other children.
    pub nodes: Vec<Node>,
    /// Edges.
    pub edges: Vec<Edge>,
    /// The text alternative.
    pub desc: String,
}

fn fill_of(k: EntityKind) -> &'static str {
    match k {
        EntityKind::Person => "#d4351c",
        EntityKind::PeerGroup => "#912b88",
        EntityKind::Location => "#00703c",
        EntityKind::Vehicle => "#f47738",
        EntityKind::Phone => "#5694ca",
        EntityKind::OnlineHandle => "#4c2c92",
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let t: String = s.chars().take(n - 1).collect();
        format!("{t}…")
    }
}

/// Lay out and describe a network (deterministic: same network, same picture).
pub fn picture(v: &NetworkView) -> Picture {
    let l = layout_network(v.entities.len(), v.others.len(), PICTURE);
    let child_name = format!("{} {}", v.child.first_name, v.child.last_name);
    let mut nodes = vec![Node {
        x: l.centre.x,
        y: l.centre.y,
        label: truncate(&child_name, 22),
        kind: "This child".into(),
        fill: "#1d70b8",
        r: 30.0,
        href: None,
    }];
    let mut edges = Vec::new();
    for (e, p) in v.entities.iter().zip(&l.entities) {
        nodes.push(Node {
            x: p.x,
            y: p.y,
            label: truncate(&e.name, 22),
            kind: e.kind.label().into(),
            fill: fill_of(e.kind),
            r: 20.0,
            href: Some(format!("/contexts/{}", e.id)),
        });
        let links: Vec<_> = v.entries.iter().filter(|x| x.entity.id == e.id).collect();
        edges.push(Edge {
            x1: l.centre.x,
            y1: l.centre.y,
            x2: p.x,
            y2: p.y,
            dashed: links
                .iter()
                .all(|x| x.link.confidence == Confidence::Unverified),
            police: links.iter().any(|x| x.police),
        });
    }
    for (o, p) in v.others.iter().zip(&l.others) {
        nodes.push(Node {
            x: p.x,
            y: p.y,
            label: truncate(&o.name, 22),
            kind: "Another child".into(),
            fill: "#505a5f",
            r: 14.0,
            href: Some(format!("/children/{}", o.child_id)),
        });
        for (eid, _) in &o.via {
            if let Some(ep) = v
                .entities
                .iter()
                .position(|e| e.id == *eid)
                .and_then(|i| l.entities.get(i))
            {
                edges.push(Edge {
                    x1: ep.x,
                    y1: ep.y,
                    x2: p.x,
                    y2: p.y,
                    dashed: true,
                    police: false,
                });
            }
        }
    }
    let mut desc = if v.entries.is_empty() {
        format!("{child_name} has no linked people, places or other contexts.")
    } else {
        let parts: Vec<String> = v
            .entries
            .iter()
            .map(|x| {
                format!(
                    "{} ({}; {}, {})",
                    x.entity.name,
                    x.entity.kind.label().to_lowercase(),
                    x.link.role.label().to_lowercase(),
                    x.link.confidence.label().to_lowercase()
                )
            })
            .collect();
        format!("{child_name} is linked to: {}.", parts.join("; "))
    };
    if !v.others.is_empty() {
        let names: Vec<&str> = v.others.iter().map(|o| o.name.as_str()).collect();
        desc.push_str(&format!(
            " Other children linked to the same contexts: {}.",
            names.join(", ")
        ));
    }
    Picture { nodes, edges, desc }
}

/// The network page.
#[derive(Template)]
#[template(path = "network.html")]
pub struct NetworkPage {
    /// Layout.
    pub page: PageCtx,
    /// The network.
    pub v: NetworkView,
    /// The picture.
    pub pic: Picture,
    /// The search text.
    pub q: String,
    /// Form values after a problem.
    pub values: HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
    /// Just linked.
    pub linked: bool,
}

impl NetworkPage {
    /// A form value.
    pub fn val(&self, k: &str) -> &str {
        self.values.get(k).map(String::as_str).unwrap_or("")
    }
    /// A problem.
    pub fn err(&self, k: &str) -> &str {
        self.errors.get(k).unwrap_or("")
    }
    /// The context's name.
    pub fn entity_name(&self, id: &uuid::Uuid) -> String {
        self.v
            .entities
            .iter()
            .find(|e| e.id == *id)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    }
    /// Kinds, roles, sources, confidences and place types for the forms.
    pub fn kinds(&self) -> &'static [EntityKind] {
        EntityKind::ALL
    }
    /// Roles.
    pub fn roles(&self) -> &'static [LinkRole] {
        LinkRole::ALL
    }
    /// Sources.
    pub fn sources(&self) -> &'static [Source] {
        Source::ALL
    }
    /// Confidences.
    pub fn confidences(&self) -> &'static [Confidence] {
        Confidence::ALL
    }
    /// Place types.
    pub fn location_types(&self) -> &'static [LocationType] {
        LocationType::ALL
    }
    /// Dates of a link.
    pub fn dates(&self, from: &Option<NaiveDate>, to: &Option<NaiveDate>) -> String {
        dates(from, to)
    }
}

fn dates(from: &Option<NaiveDate>, to: &Option<NaiveDate>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!("{} to {}", crate::views::date(*f), crate::views::date(*t)),
        (Some(f), None) => format!("Since {}", crate::views::date(*f)),
        (None, Some(t)) => format!("Until {}", crate::views::date(*t)),
        (None, None) => "Not known".into(),
    }
}

/// `?linked=1` after a link.
#[derive(Deserialize, Default)]
pub struct LinkedQuery {
    #[serde(default)]
    linked: Option<String>,
    #[serde(default)]
    decided: Option<String>,
}

/// The search form on the network page.
#[derive(Deserialize, Serialize, Default)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    named_id: String,
}

async fn network_page(
    st: &AppState,
    p: &Page,
    id: ChildId,
    q: Option<String>,
    values: HashMap<String, String>,
    errors: FieldErrors,
    linked: bool,
) -> PageResult {
    network_page_for(st, p, id, q, values, errors, linked, false).await
}

#[allow(clippy::too_many_arguments)]
async fn network_page_for(
    st: &AppState,
    p: &Page,
    id: ChildId,
    q: Option<String>,
    values: HashMap<String, String>,
    errors: FieldErrors,
    linked: bool,
    for_link: bool,
) -> PageResult {
    let v = st
        .app
        .child_network(&p.ctx, id, q.as_deref(), for_link)
        .await
        .map_err(|e| p.err(e))?;
    let bad = !errors.is_empty();
    let pic = picture(&v);
    let mut r = render(&NetworkPage {
        page: p.page.clone(),
        v,
        pic,
        q: q.unwrap_or_default(),
        values,
        errors,
        linked,
    });
    if bad {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// `GET /children/{id}/network`.
pub async fn network(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    Query(q): Query<LinkedQuery>,
) -> PageResult {
    let id = parse(&p, &id)?;
    network_page(
        &st,
        &p,
        id,
        None,
        HashMap::new(),
        FieldErrors::new(),
        q.linked.is_some(),
    )
    .await
}

/// `POST /children/{id}/network`: search contexts to link (the text stays
/// out of the URL).
pub async fn network_search(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<SearchForm>,
) -> PageResult {
    let id = parse(&p, &id)?;
    let mut values = HashMap::new();
    values.insert("named_id".to_string(), f.named_id.clone());
    network_page(&st, &p, id, Some(f.q), values, FieldErrors::new(), false).await
}

/// `GET /children/{id}/network/new`: the network page, as the form to link
/// a context (refused to those who may not link).
pub async fn link_form(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id = parse(&p, &id)?;
    network_page_for(
        &st,
        &p,
        id,
        None,
        HashMap::new(),
        FieldErrors::new(),
        false,
        true,
    )
    .await
}

/// `POST /children/{id}/network/new`: link a context (existing or new).
pub async fn link_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<LinkInput>,
) -> PageResult {
    let id: ChildId = parse(&p, &id)?;
    match st.app.link_context(&p.ctx, id, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/children/{id}/network?linked=1")).into_response()),
        Err(AppError::Validation(errors)) => {
            let values: HashMap<String, String> = serde_urlencoded::to_string(&f)
                .ok()
                .and_then(|s| serde_urlencoded::from_str::<Vec<(String, String)>>(&s).ok())
                .map(|v| v.into_iter().collect())
                .unwrap_or_default();
            network_page_for(&st, &p, id, None, values, errors, false, true).await
        }
        Err(e) => Err(p.err(e)),
    }
}

/// The contexts index.
#[derive(Template)]
#[template(path = "contexts.html")]
pub struct IndexPage {
    /// Layout.
    pub page: PageCtx,
    /// The index.
    pub v: ContextIndex,
}

/// `GET /contexts`.
pub async fn index(State(st): State<AppState>, p: Page) -> PageResult {
    let v = st.app.context_index(&p.ctx).await.map_err(|e| p.err(e))?;
    Ok(render(&IndexPage {
        page: p.page.clone(),
        v,
    }))
}

/// A context's page.
#[derive(Template)]
#[template(path = "context.html")]
pub struct EntityPage {
    /// Layout.
    pub page: PageCtx,
    /// The page.
    pub v: ContextPage,
}

impl EntityPage {
    /// Dates of a link.
    pub fn dates(&self, from: &Option<NaiveDate>, to: &Option<NaiveDate>) -> String {
        dates(from, to)
    }
}

/// `GET /contexts/{id}`.
pub async fn entity(State(st): State<AppState>, p: Page, Path(id): Path<String>) -> PageResult {
    let id: uuid::Uuid = parse(&p, &id)?;
    let v = st
        .app
        .context_page(&p.ctx, id)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&EntityPage {
        page: p.page.clone(),
        v,
    }))
}

/// Suggested links.
#[derive(Template)]
#[template(path = "suggestions.html")]
pub struct SuggestionsPage {
    /// Layout.
    pub page: PageCtx,
    /// Waiting.
    pub list: Vec<SuggestionView>,
    /// Just decided.
    pub decided: bool,
    /// Problems.
    pub errors: FieldErrors,
}

/// `GET /contexts/suggestions`.
pub async fn suggestions(
    State(st): State<AppState>,
    p: Page,
    Query(q): Query<LinkedQuery>,
) -> PageResult {
    let list = st
        .app
        .context_suggestions(&p.ctx)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&SuggestionsPage {
        page: p.page.clone(),
        list,
        decided: q.decided.is_some(),
        errors: FieldErrors::new(),
    }))
}

/// `POST /contexts/suggestions`: confirm or dismiss one.
pub async fn decide(
    State(st): State<AppState>,
    p: Page,
    FormBody(f): FormBody<SuggestionInput>,
) -> PageResult {
    match st.app.decide_suggestion(&p.ctx, &f).await {
        Ok(()) => Ok(Redirect::to("/contexts/suggestions?decided=1").into_response()),
        Err(AppError::Validation(errors)) => {
            let list = st
                .app
                .context_suggestions(&p.ctx)
                .await
                .map_err(|e| p.err(e))?;
            let mut r = render(&SuggestionsPage {
                page: p.page.clone(),
                list,
                decided: false,
                errors,
            });
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(p.err(e)),
    }
}

// ---------------------------------------------------------------------------
// API

/// A context.
#[derive(Serialize, ToSchema)]
pub struct ContextOut {
    /// Id.
    pub id: uuid::Uuid,
    /// `person`, `peer_group`, `location`, `vehicle`, `phone` or `online_handle`.
    pub kind: String,
    /// Name, registration, number or handle.
    pub name: String,
    /// For a location: `park`, `takeaway`, `hotel`, `address_of_concern`, `school`, `transport_hub` or `other`.
    pub location_type: Option<String>,
    /// For a location: postcode.
    pub postcode: Option<String>,
    /// Description.
    pub description: String,
    /// `interview`, `police`, `practitioner` or `school`.
    pub source: String,
    /// Police intelligence.
    pub police: bool,
}

impl From<&ContextEntity> for ContextOut {
    fn from(e: &ContextEntity) -> Self {
        ContextOut {
            id: e.id,
            kind: e.kind.as_str().into(),
            name: e.name.clone(),
            location_type: e.location_type.map(|t| t.as_str().into()),
            postcode: e.postcode.clone(),
            description: e.description.clone(),
            source: e.source.as_str().into(),
            police: e.source == Source::Police,
        }
    }
}

/// A link between a child and a context.
#[derive(Serialize, ToSchema)]
pub struct LinkOut {
    /// Id.
    pub id: uuid::Uuid,
    /// The context.
    pub context_id: uuid::Uuid,
    /// The child.
    pub child_id: uuid::Uuid,
    /// `associate`, `suspected_exploiter`, `victim`, `peer`, `frequents` or `found_at`.
    pub role: String,
    /// `interview`, `police`, `practitioner` or `school`.
    pub source: String,
    /// `confirmed`, `likely` or `unverified`.
    pub confidence: String,
    /// From.
    pub from_date: Option<NaiveDate>,
    /// To.
    pub to_date: Option<NaiveDate>,
    /// Police intelligence (the link's source or the context's record).
    pub police: bool,
    /// Recorded at.
    pub recorded_at: DateTime<Utc>,
}

fn link_out(l: &ContextLink, police: bool) -> LinkOut {
    LinkOut {
        id: l.id,
        context_id: l.entity_id,
        child_id: l.child_id.0,
        role: l.role.as_str().into(),
        source: l.source.as_str().into(),
        confidence: l.confidence.as_str().into(),
        from_date: l.from_date,
        to_date: l.to_date,
        police,
        recorded_at: l.recorded_at,
    }
}

/// Another child on the same contexts.
#[derive(Serialize, ToSchema)]
pub struct OtherChildOut {
    /// The child.
    pub child_id: uuid::Uuid,
    /// Name.
    pub name: String,
    /// The shared contexts.
    pub context_ids: Vec<uuid::Uuid>,
}

/// A child's network.
#[derive(Serialize, ToSchema)]
pub struct NetworkOut {
    /// The child.
    pub child_id: uuid::Uuid,
    /// The contexts linked.
    pub contexts: Vec<ContextOut>,
    /// The links the caller may see (police intelligence only for those
    /// the policy allows).
    pub links: Vec<LinkOut>,
    /// Other children linked to the same contexts.
    pub other_children: Vec<OtherChildOut>,
}

/// A child's network: contexts (people, peer groups, places, vehicles,
/// phones, online handles) linked to the child, the links, and other
/// children on the same contexts. Police intelligence appears only for
/// police partners, panel coordinators, team managers and the allocated
/// worker. Audited as `context.network`.
#[utoipa::path(get, path = "/api/v1/children/{id}/network", params(("id" = String, Path)), responses((status = 200, body = NetworkOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_network(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> Result<Json<NetworkOut>, ApiError> {
    let id: ChildId = id.parse().map_err(|_| ctx.err(AppError::NotFound))?;
    let v = st
        .app
        .child_network(&ctx.0, id, None, false)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(NetworkOut {
        child_id: id.0,
        contexts: v.entities.iter().map(Into::into).collect(),
        links: v
            .entries
            .iter()
            .map(|x| link_out(&x.link, x.police))
            .collect(),
        other_children: v
            .others
            .iter()
            .map(|o| OtherChildOut {
                child_id: o.child_id.0,
                name: o.name.clone(),
                context_ids: o.via.iter().map(|(e, _)| *e).collect(),
            })
            .collect(),
    }))
}

/// A missing episode that ended at a location.
#[derive(Serialize, ToSchema)]
pub struct EpisodeHereOut {
    /// The episode.
    pub episode_id: uuid::Uuid,
    /// The child.
    pub child_id: uuid::Uuid,
    /// Last seen.
    pub last_seen_at: DateTime<Utc>,
    /// Returned or found.
    pub returned_at: Option<DateTime<Utc>>,
    /// Where found, as recorded.
    pub found_where: String,
}

/// A context and the children linked to it.
#[derive(Serialize, ToSchema)]
pub struct ContextPageOut {
    /// The context.
    pub context: ContextOut,
    /// Links to children the caller may know of.
    pub links: Vec<LinkOut>,
    /// For a location: missing episodes that ended there.
    pub episodes: Vec<EpisodeHereOut>,
}

/// A context: its record, the children linked to it and, for a location,
/// the missing episodes that ended there. Audited as `context.view`.
#[utoipa::path(get, path = "/api/v1/contexts/{id}", params(("id" = String, Path)), responses((status = 200, body = ContextPageOut), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)), security(("bearer" = [])))]
pub async fn api_context(
    State(st): State<AppState>,
    ctx: ApiCtx,
    Path(id): Path<String>,
) -> Result<Json<ContextPageOut>, ApiError> {
    let id: uuid::Uuid = id.parse().map_err(|_| ctx.err(AppError::NotFound))?;
    let v = st
        .app
        .context_page(&ctx.0, id)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(ContextPageOut {
        context: (&v.entity).into(),
        links: v
            .children
            .iter()
            .map(|c| link_out(&c.link, c.police))
            .collect(),
        episodes: v
            .episodes
            .iter()
            .map(|e| EpisodeHereOut {
                episode_id: e.episode_id,
                child_id: e.child_id.0,
                last_seen_at: e.last_seen_at,
                returned_at: e.returned_at,
                found_where: e.found_where.clone(),
            })
            .collect(),
    }))
}

fn status_422(mut r: Response) -> Response {
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

/// Correct or end one of a child's links.
#[derive(Template)]
#[template(path = "context_link_edit.html")]
pub struct LinkEditPage {
    /// Layout.
    pub page: PageCtx,
    /// The link.
    pub v: harbour_app::contexts::LinkEditView,
    /// Values.
    pub values: HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
}

impl LinkEditPage {
    /// A value, or the link's own.
    pub fn val(&self, n: &str) -> String {
        if let Some(v) = self.values.get(n) {
            return v.clone();
        }
        let l = &self.v.entry.link;
        match n {
            "role" => l.role.as_str().into(),
            "source" => l.source.as_str().into(),
            "confidence" => l.confidence.as_str().into(),
            _ => String::new(),
        }
    }
    /// A problem ("" if none).
    pub fn err(&self, n: &str) -> String {
        self.errors.get(n).unwrap_or_default().to_string()
    }
    /// Roles.
    pub fn roles(&self) -> Vec<(&'static str, &'static str)> {
        LinkRole::ALL
            .iter()
            .map(|r| (r.as_str(), r.label()))
            .collect()
    }
    /// Sources.
    pub fn sources(&self) -> Vec<(&'static str, &'static str)> {
        Source::ALL
            .iter()
            .map(|r| (r.as_str(), r.label()))
            .collect()
    }
    /// Confidences.
    pub fn confidences(&self) -> Vec<(&'static str, &'static str)> {
        Confidence::ALL
            .iter()
            .map(|r| (r.as_str(), r.label()))
            .collect()
    }
    /// The three selects: (name, label, options).
    #[allow(clippy::type_complexity)]
    pub fn selects(
        &self,
    ) -> Vec<(
        &'static str,
        &'static str,
        Vec<(&'static str, &'static str)>,
    )> {
        vec![
            ("role", "Part they play", self.roles()),
            ("source", "Where the information came from", self.sources()),
            ("confidence", "How sure", self.confidences()),
        ]
    }
    /// Dates of the link.
    pub fn dates(&self) -> String {
        dates(&self.v.entry.link.from_date, &self.v.entry.link.to_date)
    }
}

/// `GET /children/{id}/network/links/{link}`.
pub async fn link_edit_form(
    State(st): State<AppState>,
    p: Page,
    Path((id, link)): Path<(String, String)>,
) -> PageResult {
    let id: ChildId = parse(&p, &id)?;
    // A malformed link id is no link: the policy still decides first.
    let link: uuid::Uuid = link.parse().unwrap_or_default();
    let v = st
        .app
        .link_edit(&p.ctx, id, link)
        .await
        .map_err(|e| p.err(e))?;
    Ok(render(&LinkEditPage {
        page: p.page.clone(),
        v,
        values: HashMap::new(),
        errors: FieldErrors::new(),
    }))
}

/// `POST /children/{id}/network/links/{link}`.
pub async fn link_edit_submit(
    State(st): State<AppState>,
    p: Page,
    Path((id, link)): Path<(String, String)>,
    FormBody(f): FormBody<harbour_app::contexts::LinkEditInput>,
) -> PageResult {
    let id: ChildId = parse(&p, &id)?;
    let link: uuid::Uuid = link.parse().unwrap_or_default();
    match st.app.change_link(&p.ctx, id, link, &f).await {
        Ok(()) => Ok(
            Redirect::to(&format!("/children/{id}/network/links/{link}?saved=1")).into_response(),
        ),
        Err(AppError::Validation(errors)) => {
            let v = st
                .app
                .link_edit(&p.ctx, id, link)
                .await
                .map_err(|e| p.err(e))?;
            let values: HashMap<String, String> = serde_json::to_value(&f)
                .ok()
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default();
            Ok(status_422(render(&LinkEditPage {
                page: p.page.clone(),
                v,
                values,
                errors,
            })))
        }
        Err(e) => Err(p.err(e)),
    }
}

/// Edit a context's own record.
#[derive(Template)]
#[template(path = "context_edit.html")]
pub struct EntityEditPage {
    /// Layout.
    pub page: PageCtx,
    /// The context.
    pub v: harbour_app::contexts::EntityEditView,
    /// Values.
    pub values: HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
}

impl EntityEditPage {
    /// A value, or the record's own.
    pub fn val(&self, n: &str) -> String {
        if let Some(v) = self.values.get(n) {
            return v.clone();
        }
        let e = &self.v.entity;
        match n {
            "name" => e.name.clone(),
            "location_type" => e
                .location_type
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
            "postcode" => e.postcode.clone().unwrap_or_default(),
            "description" => e.description.clone(),
            _ => String::new(),
        }
    }
    /// A problem ("" if none).
    pub fn err(&self, n: &str) -> String {
        self.errors.get(n).unwrap_or_default().to_string()
    }
    /// Kinds of place.
    pub fn location_types(&self) -> Vec<(&'static str, &'static str)> {
        LocationType::ALL
            .iter()
            .map(|r| (r.as_str(), r.label()))
            .collect()
    }
}

/// `GET /contexts/{id}/edit`.
pub async fn entity_edit_form(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
) -> PageResult {
    let id: uuid::Uuid = parse(&p, &id)?;
    let v = st.app.entity_edit(&p.ctx, id).await.map_err(|e| p.err(e))?;
    Ok(render(&EntityEditPage {
        page: p.page.clone(),
        v,
        values: HashMap::new(),
        errors: FieldErrors::new(),
    }))
}

/// `POST /contexts/{id}/edit`.
pub async fn entity_edit_submit(
    State(st): State<AppState>,
    p: Page,
    Path(id): Path<String>,
    FormBody(f): FormBody<harbour_app::contexts::EntityEditInput>,
) -> PageResult {
    let id: uuid::Uuid = parse(&p, &id)?;
    match st.app.edit_entity(&p.ctx, id, &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/contexts/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let v = st.app.entity_edit(&p.ctx, id).await.map_err(|e| p.err(e))?;
            let values: HashMap<String, String> = serde_json::to_value(&f)
                .ok()
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default();
            Ok(status_422(render(&EntityEditPage {
                page: p.page.clone(),
                v,
                values,
                errors,
            })))
        }
        Err(e) => Err(p.err(e)),
    }
}
