//! The route table. Every route is registered here and nowhere else; the
//! authorisation matrix test reads this file to prove none is missing from it.

use crate::middleware as mw;
use crate::{
    AppState, Metrics, account, api, assets, contexts, edt, pages, panel, philomena, privacy,
    reports, schools, screening, ssda903, sso, supervision,
};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use harbour_app::App;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// Build the whole application.
pub fn router(app: App) -> Router {
    let limit = app.config.max_body_bytes;
    let timeout = Duration::from_secs(app.config.request_timeout_seconds);
    let admission = Arc::new(mw::Admission::new(
        app.config.max_in_flight,
        Duration::from_millis(app.config.admission_wait_ms),
    ));
    let state = AppState {
        app,
        metrics: Arc::new(Metrics::default()),
        admission,
    };
    // The Philomena profile form carries a photo: a larger body limit on
    // that route alone.
    let uploads = Router::new()
        .route(
            "/children/{id}/philomena/edit",
            get(philomena::edit_form).post(philomena::edit_submit),
        )
        .layer(DefaultBodyLimit::max(philomena::FORM_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(
            limit.max(philomena::FORM_BODY_BYTES),
        ));
    Router::new()
        .route("/", get(pages::home))
        .route("/sign-in", get(pages::sign_in_page).post(pages::sign_in))
        .route("/sign-in/oidc", get(sso::start))
        .route("/sign-in/oidc/callback", get(sso::callback))
        .route("/sign-out", post(pages::sign_out))
        .route("/my-work", get(pages::my_work))
        .route("/interviews", get(pages::interviews))
        .route(
            "/interviews/{id}",
            get(pages::interview).post(pages::interview_submit),
        )
        .route("/findings", get(pages::findings_inbox))
        .route("/findings/{id}", get(pages::finding))
        .route("/placed-here", get(pages::placed_here))
        .route("/tasks/{id}/complete", post(pages::complete_task))
        .route("/children", get(pages::search).post(pages::search_submit))
        .route(
            "/children/new",
            get(pages::new_child_form).post(pages::new_child_submit),
        )
        .route("/children/{id}", get(pages::child))
        .route(
            "/children/{id}/notes/new",
            get(pages::note_form).post(pages::note_submit),
        )
        .route(
            "/children/{id}/decisions/new",
            get(pages::decision_form).post(pages::decision_submit),
        )
        .route(
            "/children/{id}/allocations/new",
            get(pages::allocate_form).post(pages::allocate_submit),
        )
        .route(
            "/children/{id}/shares/new",
            get(pages::share_form).post(pages::share_submit),
        )
        .route(
            "/children/{id}/missing/new",
            get(pages::missing_form).post(pages::missing_submit),
        )
        .route(
            "/children/{id}/missing/{episode}/return",
            get(pages::return_form).post(pages::return_submit),
        )
        .route(
            "/children/{id}/missing/{episode}/edit",
            get(pages::edit_missing_form).post(pages::edit_missing_submit),
        )
        .route(
            "/children/{id}/missing/{episode}/grade",
            get(pages::grade_form).post(pages::grade_submit),
        )
        .route(
            "/children/{id}/break-glass",
            get(pages::break_glass_form).post(pages::break_glass_submit),
        )
        .route(
            "/children/{id}/court-work",
            get(pages::court_work_form).post(pages::court_work_submit),
        )
        .route("/children/{id}/access-log", get(pages::access_log))
        .route("/children/{id}/philomena", get(philomena::view))
        .route("/children/{id}/philomena/photo", get(philomena::photo))
        .route("/children/{id}/philomena/pack", get(philomena::pack))
        .route("/children/{id}/screening", get(screening::view))
        .route(
            "/children/{id}/screening/new",
            get(screening::form).post(screening::submit),
        )
        .route("/escalations", get(screening::queue))
        .route(
            "/escalations/{id}",
            get(screening::proposal).post(screening::decide),
        )
        .route(
            "/children/{id}/network",
            get(contexts::network).post(contexts::network_search),
        )
        .route(
            "/children/{id}/network/new",
            get(contexts::link_form).post(contexts::link_submit),
        )
        .route("/children/{id}/crisis", get(edt::crisis))
        .route(
            "/children/{id}/safety-plan",
            get(edt::plan_form).post(edt::plan_submit),
        )
        .route(
            "/children/{id}/edt-alerts/new",
            get(edt::alert_form).post(edt::alert_submit),
        )
        .route("/edt-alerts/{id}/withdraw", post(edt::alert_withdraw))
        .route(
            "/children/{id}/ooh-contacts/new",
            get(edt::contact_form).post(edt::contact_submit),
        )
        .route(
            "/children/{id}/placement-support/new",
            get(edt::support_form).post(edt::support_submit),
        )
        .route("/edt", get(edt::desk))
        .route("/edt/handovers", get(edt::handovers))
        .route("/edt/handovers/{id}/acknowledge", post(edt::acknowledge))
        .route("/edt/contacts/{id}", get(edt::contact))
        .route(
            "/edt/contacts/{id}/missing",
            get(edt::contact_missing_form).post(edt::contact_missing_submit),
        )
        .route(
            "/children/{id}/network/links/{link}",
            get(contexts::link_edit_form).post(contexts::link_edit_submit),
        )
        .route("/contexts", get(contexts::index))
        .route(
            "/contexts/suggestions",
            get(contexts::suggestions).post(contexts::decide),
        )
        .route("/contexts/{id}", get(contexts::entity))
        .route(
            "/contexts/{id}/edit",
            get(contexts::entity_edit_form).post(contexts::entity_edit_submit),
        )
        .route("/users/{id}/access-history", get(pages::user_history))
        .route("/admin/staff", get(pages::staff))
        .route(
            "/admin/staff/new",
            get(pages::new_user_form).post(pages::new_user_submit),
        )
        .route("/admin/staff/{id}/disable", post(pages::disable_user))
        .route(
            "/admin/staff/{id}/reset-two-factor",
            post(pages::reset_two_factor),
        )
        .route("/admin/staff/{id}/unlink-sso", post(pages::unlink_sso))
        .route(
            "/account/two-factor",
            get(account::view).post(account::confirm),
        )
        .route("/account/two-factor/start", post(account::start))
        .route(
            "/admin/staff/{id}/edit",
            get(pages::edit_user_form).post(pages::edit_user_submit),
        )
        .route("/admin/teams", post(pages::add_team))
        .route("/admin/teams/{id}/manager", post(pages::set_team_manager))
        .route("/admin/pods", post(pages::add_pod))
        .route("/privacy", get(pages::privacy))
        .route("/privacy/verify", post(pages::privacy_verify))
        .route(
            "/privacy/break-glass/{id}/review",
            post(pages::review_break_glass),
        )
        .route("/privacy/disclosures", get(panel::disclosures))
        .route("/privacy/retention", get(privacy::retention))
        .route("/privacy/retention.csv", get(privacy::retention_csv))
        .route(
            "/privacy/retention/{id}/decision",
            get(privacy::retention_decision_form).post(privacy::retention_decision_submit),
        )
        .route("/privacy/subject-access", get(privacy::sar_list))
        .route(
            "/privacy/subject-access/new",
            get(privacy::sar_new_form).post(privacy::sar_new_submit),
        )
        .route("/privacy/subject-access/{id}", get(privacy::sar))
        .route(
            "/privacy/subject-access/{id}/assemble",
            post(privacy::sar_assemble),
        )
        .route(
            "/privacy/subject-access/{id}/review",
            get(privacy::sar_item).post(privacy::sar_item_submit),
        )
        .route(
            "/privacy/subject-access/{id}/response",
            get(privacy::sar_response),
        )
        .route(
            "/privacy/subject-access/{id}/response.json",
            get(privacy::sar_response_json),
        )
        .route("/panel", get(panel::overview))
        .route("/panel/meetings", post(panel::create_meeting))
        .route("/panel/meetings/{id}", get(panel::meeting))
        .route("/panel/meetings/{id}/agenda", get(panel::agenda))
        .route("/panel/meetings/{id}/minutes", get(panel::minutes))
        .route("/panel/meetings/{id}/attendees", post(panel::add_attendee))
        .route(
            "/panel/meetings/{id}/discussions",
            post(panel::add_discussion),
        )
        .route("/panel/meetings/{id}/actions", post(panel::add_action))
        .route("/panel/referrals/{id}/close", post(panel::close_referral))
        .route("/panel/actions", get(panel::actions))
        .route(
            "/panel/actions/{id}",
            get(panel::action_form).post(panel::action_submit),
        )
        .route(
            "/children/{id}/disclosures/new",
            get(panel::disclosure_form).post(panel::disclosure_submit),
        )
        .route(
            "/children/{id}/panel-referral/new",
            get(panel::refer_form).post(panel::refer_submit),
        )
        .route(
            "/api/v1/panel/referrals",
            get(panel::api_referrals).post(panel::api_refer),
        )
        .route("/api/v1/panel/meetings/{id}", get(panel::api_meeting))
        .route("/api/v1/panel/actions", get(panel::api_actions))
        .route(
            "/api/v1/panel/actions/{id}",
            patch(panel::api_update_action),
        )
        .route("/stats", get(pages::stats))
        .route("/dashboards", get(reports::dashboards))
        .route("/dashboards/csv/{key}", get(reports::dashboard_csv))
        .route("/reports", get(reports::statutory))
        .route("/reports/annex-a.xlsx", get(reports::annex_a_xlsx))
        .route("/reports/annex-a/csv/{list}", get(reports::annex_a_csv))
        .route("/reports/cin-factors.csv", get(reports::cin_factors_csv))
        .route("/data-quality", get(ssda903::quality))
        .route(
            "/children/{id}/care",
            get(ssda903::care).post(ssda903::care_submit),
        )
        .route("/caseload", get(pages::caseload_mine))
        .route("/caseload/workers/{id}", get(pages::caseload_worker))
        .route(
            "/caseload/workers/{id}/reallocate",
            get(pages::reallocate_form).post(pages::reallocate_submit),
        )
        .route("/caseload/teams/{id}", get(pages::caseload_team))
        .route("/caseload/pods/{id}", get(pages::caseload_pod))
        .route("/caseload/service", get(pages::caseload_service))
        .route("/caseload/workforce", get(pages::workforce))
        .route(
            "/caseload/workforce/teams/{id}/establishment",
            post(pages::set_establishment),
        )
        .route("/supervision", get(supervision::home))
        .route(
            "/supervision/group/new",
            get(supervision::group_new).post(supervision::group_new_submit),
        )
        .route("/supervision/workers/{id}", get(supervision::file))
        .route(
            "/supervision/workers/{id}/new",
            get(supervision::new_form).post(supervision::new_submit),
        )
        .route(
            "/supervision/sessions/{id}",
            get(supervision::session).post(supervision::session_submit),
        )
        .route(
            "/oversight",
            get(supervision::oversight).post(supervision::oversight_submit),
        )
        .route("/oversight/{id}/confirm", post(supervision::confirm))
        .route("/schools", get(schools::index).post(schools::add))
        .route("/schools/{id}", get(schools::school))
        .route("/schools/{id}/staff", post(schools::add_staff))
        .route("/schools/{id}/membership", post(schools::membership))
        .route(
            "/schools/{id}/contacts/new",
            get(schools::contact_form).post(schools::contact_submit),
        )
        .route("/schools/{id}/report", get(schools::report))
        .route("/schools/{id}/report.csv", get(schools::report_csv))
        .route("/cme", get(schools::cme))
        .route(
            "/cme/notices/new",
            get(schools::notice_form).post(schools::notice_submit),
        )
        .route("/cme/{id}", get(schools::case))
        .route("/cme/{id}/steps", post(schools::step_submit))
        .route("/cme/{id}/outcome", post(schools::outcome_submit))
        .route(
            "/children/{id}/cme/new",
            get(schools::case_form).post(schools::case_submit),
        )
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/children", get(api::list).post(api::create_child))
        .route("/api/v1/children/search", post(api::search))
        .route("/api/v1/children/{id}", get(api::child))
        .route(
            "/api/v1/children/{id}/notes",
            get(api::notes).post(api::create_note),
        )
        .route(
            "/api/v1/children/{id}/decisions",
            get(api::decisions).post(api::create_decision),
        )
        .route("/api/v1/children/{id}/chronology", get(api::chronology))
        .route("/api/v1/children/{id}/allocations", get(api::allocations))
        .route("/api/v1/children/{id}/philomena", get(api::philomena))
        .route(
            "/api/v1/children/{id}/crisis-summary",
            get(edt::api_crisis_summary),
        )
        .route(
            "/api/v1/children/{id}/screenings",
            get(screening::api_list).post(screening::api_create),
        )
        .route(
            "/api/v1/children/{id}/missing-episodes",
            get(api::episodes).post(api::create_episode),
        )
        .route(
            "/api/v1/missing-episodes/{episode}",
            get(api::episode).patch(api::update_episode),
        )
        .route(
            "/api/v1/missing-episodes/{episode}/return",
            post(api::create_return),
        )
        .route(
            "/api/v1/missing-episodes/{episode}/grades",
            post(api::create_grade),
        )
        .route("/api/v1/children/{id}/network", get(contexts::api_network))
        .route("/api/v1/schools/{id}/report", get(schools::api_report))
        .route(
            "/api/v1/children/{id}/cme-cases",
            get(schools::api_cme_cases),
        )
        .route("/api/v1/contexts/{id}", get(contexts::api_context))
        .route(
            "/api/v1/supervision/workers/{id}",
            get(supervision::api_file),
        )
        .route(
            "/api/v1/supervision/workers/{id}/sessions",
            post(supervision::api_record),
        )
        .route(
            "/api/v1/supervision/sessions/{id}",
            get(supervision::api_session),
        )
        .route("/api/v1/staff", get(api::staff))
        .route("/api/v1/teams", get(api::teams))
        .route("/api/v1/caseloads", get(api::caseloads))
        .route("/api/v1/{*rest}", get(api::not_found).post(api::not_found))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/assets/{*path}", get(assets::govuk))
        .route("/static/{*path}", get(assets::statics))
        .layer(RequestBodyLimitLayer::new(limit))
        .merge(uploads)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            mw::csrf,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            mw::admission,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            mw::security_headers,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.").into_response()
        }))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            mw::metrics,
        ))
        .layer(axum::middleware::from_fn(mw::request_id))
        .with_state(state)
}

/// Liveness: the process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers, within two seconds (less than the pool's
/// acquire timeout, so a probe gets its 503 while the database is down), and,
/// when configured, whether the read replica does.
async fn readyz(State(st): State<AppState>) -> Response {
    let ready = tokio::time::timeout(std::time::Duration::from_secs(2), st.app.db.ping())
        .await
        .unwrap_or(false);
    if ready {
        // A replica that does not answer does not make the instance unready:
        // report reads fall back to the primary.
        match st.app.replica_ready().await {
            None => "ready".into_response(),
            Some(true) => "ready\nreplica: ok".into_response(),
            Some(false) => {
                "ready\nreplica: unavailable (reports read from the primary)".into_response()
            }
        }
    } else {
        let mut r = (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
        r.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("5"),
        );
        r
    }
}

/// Prometheus text format.
async fn metrics(State(st): State<AppState>) -> Response {
    let m = &st.metrics;
    let (size, idle) = st.app.db.pool_stats();
    let body = format!(
        "# HELP harbour_http_requests_total Requests served.\n# TYPE harbour_http_requests_total counter\nharbour_http_requests_total {}\n# HELP harbour_http_server_errors_total Responses with status 5xx.\n# TYPE harbour_http_server_errors_total counter\nharbour_http_server_errors_total {}\n# HELP harbour_http_client_errors_total Responses with status 4xx.\n# TYPE harbour_http_client_errors_total counter\nharbour_http_client_errors_total {}\n# HELP harbour_db_connections Open database connections.\n# TYPE harbour_db_connections gauge\nharbour_db_connections {}\n# HELP harbour_db_connections_idle Idle database connections.\n# TYPE harbour_db_connections_idle gauge\nharbour_db_connections_idle {}\n",
        m.requests.load(Ordering::Relaxed),
        m.server_errors.load(Ordering::Relaxed),
        m.client_errors.load(Ordering::Relaxed),
        size,
        idle
    );
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        body,
    )
        .into_response()
}
