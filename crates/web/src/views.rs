//! Page models and their askama templates. Everything rendered is escaped by
//! askama (HTML escaping is on for `.html` templates); no template marks
//! user-supplied text as safe.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use harbour_app::children::{ChildListItem, ChildRecord, MyWork, Reach};
use harbour_app::oversight::{ChildAccessLog, PrivacyOverview, Stats};
use harbour_app::{AppError, CurrentUser};
use harbour_db::audit::NamedEntry;
use harbour_domain::authz::{ServiceAction, decide_service};
use harbour_domain::calendar;
use harbour_domain::model::*;
use harbour_domain::validate::FieldErrors;

/// Render a template, or a bare error page if rendering fails.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(s) => Html(s).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong.",
            )
                .into_response()
        }
    }
}

/// A link in the service navigation.
#[derive(Clone, Debug)]
pub struct NavItem {
    /// Text.
    pub label: &'static str,
    /// Where.
    pub href: String,
}

/// What every page's layout needs.
#[derive(Clone, Debug, Default)]
pub struct PageCtx {
    /// Signed-in user's name.
    pub user_name: Option<String>,
    /// Their role's label.
    pub role_label: String,
    /// Navigation.
    pub nav: Vec<NavItem>,
    /// Request id (shown on error pages).
    pub request_id: String,
    /// The current path, to mark the active nav item.
    pub path: String,
    /// Whether the path shows a page on GET, so sign-in can return to it.
    pub returnable: bool,
    /// The signed-in user's id (keys this user's form drafts).
    pub user_id: String,
}

impl PageCtx {
    /// For a visitor who is not signed in.
    pub fn anonymous(rid: &str) -> Self {
        Self {
            request_id: rid.into(),
            ..Default::default()
        }
    }

    /// For the user (or nobody).
    pub fn new(user: Option<&CurrentUser>, rid: &str) -> Self {
        let Some(u) = user else {
            return Self::anonymous(rid);
        };
        let a = &u.actor;
        let mut nav = Vec::new();
        let mut add = |action, label, href: String| {
            if decide_service(a, action) {
                nav.push(NavItem { label, href });
            }
        };
        add(ServiceAction::ViewMyWork, "My work", "/my-work".into());
        add(ServiceAction::OutOfHours, "Out of hours", "/edt".into());
        add(
            ServiceAction::Handovers,
            "Handovers",
            "/edt/handovers".into(),
        );
        add(
            ServiceAction::SearchChildren,
            "Find a child",
            "/children".into(),
        );
        add(
            ServiceAction::CreateChild,
            "Add a child",
            "/children/new".into(),
        );
        add(
            ServiceAction::ViewSupervision,
            "Supervision",
            "/supervision".into(),
        );
        add(
            ServiceAction::OversightLog,
            "Decision log",
            "/oversight".into(),
        );
        add(ServiceAction::ViewStaff, "Staff", "/admin/staff".into());
        add(ServiceAction::ViewStats, "Statistics", "/stats".into());
        add(
            ServiceAction::ViewDashboards,
            "Dashboards",
            "/dashboards".into(),
        );
        add(
            ServiceAction::StatutoryLists,
            "Statutory lists",
            "/reports".into(),
        );
        add(
            ServiceAction::ViewDataQuality,
            "Data quality",
            "/data-quality".into(),
        );
        // Caseloads: each role's own view of them, as the policy decides.
        if let Some(home) = harbour_domain::authz::caseload_home(a) {
            use harbour_domain::authz::CaseloadHome;
            nav.push(NavItem {
                label: "Caseloads",
                href: match home {
                    CaseloadHome::Own => "/caseload".into(),
                    CaseloadHome::Team(t) => format!("/caseload/teams/{t}"),
                    CaseloadHome::Pod(p) => format!("/caseload/pods/{p}"),
                    CaseloadHome::Service => "/caseload/service".into(),
                },
            });
        }
        let mut add = |action, label, href: String| {
            if decide_service(a, action) {
                nav.push(NavItem { label, href });
            }
        };
        if matches!(
            u.user.role,
            harbour_domain::Role::Analyst | harbour_domain::Role::Sysadmin
        ) {
            add(
                ServiceAction::ViewWorkforce,
                "Workforce",
                "/caseload/workforce".into(),
            );
        }
        add(
            ServiceAction::PrivacyOversight,
            "Privacy",
            "/privacy".into(),
        );
        add(
            ServiceAction::RhiQueue,
            "Return interviews",
            "/interviews".into(),
        );
        add(
            ServiceAction::ReceiveFindings,
            "Findings shared with you",
            "/findings".into(),
        );
        add(ServiceAction::RunPanel, "Panel meetings", "/panel".into());
        add(ServiceAction::ViewSchools, "Schools", "/schools".into());
        add(ServiceAction::CmeCases, "Missing education", "/cme".into());
        add(
            ServiceAction::PanelActions,
            "Panel actions",
            "/panel/actions".into(),
        );
        add(
            ServiceAction::ViewDisclosures,
            "Information shared",
            "/privacy/disclosures".into(),
        );
        add(
            ServiceAction::HostView,
            "Placed here",
            "/placed-here".into(),
        );
        add(
            ServiceAction::EscalationQueue,
            "Proposed referrals",
            "/escalations".into(),
        );
        // Contexts: the authority's own roles (a police partner reaches
        // them from a shared child's network).
        if harbour_domain::authz::decide_contexts(
            a,
            harbour_domain::model::OrgKind::SocialCare,
            harbour_domain::authz::ContextAction::View,
        ) && !a.role.is_external()
        {
            nav.push(NavItem {
                label: "Contexts",
                href: "/contexts".into(),
            });
        }
        nav.push(NavItem {
            label: "My activity",
            href: format!("/users/{}/access-history", u.user.id),
        });
        Self {
            user_name: Some(u.user.name.clone()),
            role_label: u.user.role.label().into(),
            nav,
            request_id: rid.into(),
            path: String::new(),
            returnable: false,
            user_id: u.user.id.to_string(),
        }
    }

    /// Mark the current path.
    pub fn at(mut self, path: &str) -> Self {
        self.path = path.into();
        self
    }

    /// Record whether a request for this path can be repeated as a GET
    /// (pages, and forms whose POST path also shows the form).
    pub fn returnable(mut self, method: &axum::http::Method, path: &str) -> Self {
        self.returnable = method == axum::http::Method::GET
            || path.ends_with("/new")
            || path.ends_with("/edit")
            || path.ends_with("/break-glass")
            || path.ends_with("/return")
            || path.ends_with("/grade")
            || path.ends_with("/network")
            || path.ends_with("/safety-plan")
            || path.ends_with("/missing")
            || path.ends_with("/court-work")
            || path.ends_with("/reallocate")
            || path.contains("/network/links/")
            || path.ends_with("/care")
            || path.starts_with("/interviews/");
        self
    }
}

/// A copyable value however many references askama wraps it in.
pub trait Val<T> {
    /// The value.
    fn val(&self) -> T;
}
impl<T: Copy> Val<T> for T {
    fn val(&self) -> T {
        *self
    }
}
impl<T: Copy> Val<T> for &T {
    fn val(&self) -> T {
        **self
    }
}
impl<T: Copy> Val<T> for &&T {
    fn val(&self) -> T {
        ***self
    }
}

/// "26 November 2026".
pub fn date(d: impl Val<NaiveDate>) -> String {
    calendar::format_date(d.val())
}

/// "26 November 2026 at 2:05am" in London time.
pub fn when(t: impl Val<DateTime<Utc>>) -> String {
    calendar::format_london(t.val())
}

/// Optional date, or a dash.
pub fn odate(d: impl Val<Option<NaiveDate>>) -> String {
    d.val().map(date).unwrap_or_else(|| "Current".into())
}

/// A child's age today.
pub fn age(c: &Child) -> u32 {
    c.age_on(calendar::london_date(Utc::now()))
}

/// The sign-in page.
#[derive(Template)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    /// Layout.
    pub page: PageCtx,
    /// Email as typed.
    pub email: String,
    /// Problems.
    pub errors: FieldErrors,
    /// A notice (e.g. signed out).
    pub notice: Option<String>,
    /// Where to go after signing in (a local path), or empty.
    pub next: String,
    /// The single sign-on button's label, when single sign-on is configured.
    pub sso_label: Option<String>,
    /// Whether the password form is offered openly (with single sign-on
    /// only, it is folded away for system administrators).
    pub password_open: bool,
    /// Just signed out with single sign-on configured: `Some`, holding the
    /// address that signs out of the council account too when the
    /// provider offers one.
    pub provider_sign_out: Option<Option<String>>,
}

/// My work.
#[derive(Template)]
#[template(path = "my_work.html")]
pub struct MyWorkPage {
    /// Layout.
    pub page: PageCtx,
    /// Lists.
    pub work: MyWork,
    /// Whether the user is a partner (shared list shown).
    pub partner: bool,
    /// Whether the user is a manager or pod (team lists shown).
    pub team_view: bool,
}

/// Search.
#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    /// Layout.
    pub page: PageCtx,
    /// Query.
    pub q: String,
    /// Whether a search was made.
    pub searched: bool,
    /// Results.
    pub results: Vec<ChildListItem>,
    /// The viewer is in the out-of-hours team: results open the crisis summary.
    pub edt: bool,
}

impl SearchPage {
    /// Whether an item can be opened.
    pub fn open(&self, i: &ChildListItem) -> bool {
        i.reach == Reach::Open
    }
}

/// The child record.
#[derive(Template)]
#[template(path = "child.html")]
pub struct ChildPage {
    /// Layout.
    pub page: PageCtx,
    /// The record.
    pub r: ChildRecord,
    /// A success message after a save.
    pub saved: Option<&'static str>,
    /// Which form's draft that save completes ("note", "decision").
    pub saved_draft: Option<&'static str>,
    /// SSDA903 checks on the episode just saved, in plain words.
    pub entry_checks: Vec<String>,
}

impl ChildPage {
    /// Current legal status label.
    pub fn status(&self) -> String {
        self.r
            .legal_statuses
            .iter()
            .find(|l| l.end_date.is_none())
            .map(|l| l.status.label().to_string())
            .unwrap_or_else(|| "None recorded".into())
    }
    /// Current placement.
    pub fn placement(&self) -> Option<&Placement> {
        self.r.placements.iter().find(|p| p.end_date.is_none())
    }
    /// Earlier police grades of an episode (all but the current), newest first.
    pub fn earlier_grades(&self, id: &uuid::Uuid) -> Vec<&harbour_db::missing::GradeRow> {
        let mut v: Vec<_> = self
            .r
            .grades
            .iter()
            .filter(|g| g.episode_id == *id)
            .collect();
        v.pop();
        v.reverse();
        v
    }
    /// The sharing decisions on one interview.
    pub fn shares_for(&self, id: &uuid::Uuid) -> Vec<&harbour_db::findings::SharedRecord> {
        self.r
            .finding_shares
            .iter()
            .filter(|s| s.interview_id == *id)
            .collect()
    }
    /// The notifications sent about one interview.
    pub fn notes_for(&self, id: &uuid::Uuid) -> Vec<&harbour_domain::findings::Notification> {
        self.r
            .notifications
            .iter()
            .filter(|n| n.interview_id == *id)
            .collect()
    }
    /// People or places the child named.
    pub fn named(&self, kind: &str) -> Vec<&harbour_db::findings::Named> {
        self.r.named.iter().filter(|n| n.kind == kind).collect()
    }
    /// A label for an LA code.
    pub fn la(&self, code: &str) -> String {
        la_label(code)
    }
    /// Ethnicity label.
    pub fn ethnicity(&self) -> &str {
        harbour_domain::codes::ethnicity_label(&self.r.child.ethnicity)
            .unwrap_or(&self.r.child.ethnicity)
    }
    /// SW_REASON label.
    pub fn sw_reason(&self, code: &str) -> String {
        harbour_domain::codes::sw_reason_label(code)
            .map(|l| format!("{l} ({code})"))
            .unwrap_or_else(|| code.into())
    }
    /// PLACE label.
    pub fn place(&self, code: &str) -> String {
        place_label(code)
    }
}

/// An authority's name and code, for example "Stoke-on-Trent (861)".
pub fn la_label(code: &str) -> String {
    harbour_domain::la_codes::la_name(code)
        .map(|n| format!("{n} ({code})"))
        .unwrap_or_else(|| code.to_string())
}

/// A placement type (SSDA903 PLACE) with its code.
pub fn place_label(code: &str) -> String {
    harbour_domain::codes::place_label(code)
        .map(|l| format!("{l} ({code})"))
        .unwrap_or_else(|| code.into())
}

/// An option in a select or radios.
#[derive(Clone, Debug)]
pub struct Choice {
    /// Submitted value.
    pub value: String,
    /// Shown text.
    pub label: String,
}

impl Choice {
    /// Make one.
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// A form page about one child (note, decision, allocation, share, break-glass).
#[derive(Template)]
#[template(path = "child_form.html")]
pub struct ChildFormPage {
    /// Layout.
    pub page: PageCtx,
    /// The child.
    pub child: Child,
    /// Which form: note, decision, allocate, share, break_glass.
    pub form: &'static str,
    /// Submitted values by field name.
    pub values: std::collections::HashMap<String, String>,
    /// Choices for selects and radios, by field name.
    pub choices: std::collections::HashMap<&'static str, Vec<Choice>>,
    /// Problems.
    pub errors: FieldErrors,
    /// A further id the form needs (the episode, for a return).
    pub extra: String,
    /// Allocation candidates with their capacity (the allocate form).
    pub candidates: Vec<harbour_app::caseload::Candidate>,
}

impl ChildFormPage {
    /// A submitted value.
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }
    /// Choices for a field.
    pub fn opts(&self, name: &str) -> &[Choice] {
        self.choices.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
    /// Whether a field has an error.
    pub fn bad(&self, name: &str) -> bool {
        self.errors.get(name).is_some()
    }
    /// The error for a field.
    pub fn e(&self, name: &str) -> &str {
        self.errors.get(name).unwrap_or("")
    }
}

/// New child form.
#[derive(Template)]
#[template(path = "new_child.html")]
pub struct NewChildPage {
    /// Layout.
    pub page: PageCtx,
    /// Submitted values.
    pub values: std::collections::HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
    /// Ethnicity choices.
    pub ethnicities: Vec<Choice>,
    /// LA choices.
    pub las: Vec<Choice>,
}

impl NewChildPage {
    /// A submitted value.
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }
    /// Whether a field has an error.
    pub fn bad(&self, name: &str) -> bool {
        self.errors.get(name).is_some()
    }
    /// The error for a field.
    pub fn e(&self, name: &str) -> &str {
        self.errors.get(name).unwrap_or("")
    }
}

/// The denied page, with a break-glass offer where the policy allows one.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// Layout.
    pub page: PageCtx,
    /// Heading.
    pub title: String,
    /// Explanation paragraphs.
    pub body: Vec<String>,
    /// Offer break-glass on this path.
    pub break_glass_href: Option<String>,
}

impl ErrorPage {
    /// The page for an error.
    pub fn from_error(page: PageCtx, e: &AppError) -> Self {
        let (title, body) = match e {
            AppError::Forbidden(Some(d)) => (
                "You do not have access to this record".to_string(),
                vec![
                    d.reason.explain().to_string(),
                    "Your attempt has been recorded.".into(),
                ],
            ),
            AppError::Forbidden(None) => (
                "You do not have access to this page".to_string(),
                vec![
                    "Your role does not allow this. If you think it should, speak to your manager."
                        .into(),
                ],
            ),
            AppError::NotFound => (
                "Page not found".into(),
                vec!["If you typed the web address, check it is correct.".into()],
            ),
            AppError::Conflict(m) => ("This could not be saved".into(), vec![m.clone()]),
            AppError::TooManyRequests => (
                "Too many attempts".into(),
                vec!["Wait a few minutes, then try again.".into()],
            ),
            AppError::Unavailable => (
                "Sorry, the service is unavailable".into(),
                vec![
                    "Nothing you entered has been lost if you go back. Try again in a few minutes."
                        .into(),
                ],
            ),
            AppError::CannotSave(why) => (
                "Harbour cannot save right now".into(),
                vec![
                    why.message().into(),
                    "Nothing you entered has been lost if you go back. Try again later.".into(),
                ],
            ),
            AppError::Validation(_) => (
                "There is a problem".into(),
                vec!["Go back and check what you entered.".into()],
            ),
            _ => (
                "Sorry, there is a problem with the service".into(),
                vec!["Try again later.".into()],
            ),
        };
        // Emergency access is offered for the child whose page was refused:
        // /children/{id}/… → /children/{id}/break-glass.
        let child_path: Option<String> = {
            let parts: Vec<&str> = page.path.split('/').collect();
            (parts.len() >= 3
                && parts[1] == "children"
                && parts[2].parse::<harbour_domain::ids::ChildId>().is_ok())
            .then(|| format!("/children/{}", parts[2]))
        };
        let break_glass_href = match e {
            AppError::Forbidden(Some(d)) if d.break_glass_available => {
                child_path.map(|c| format!("{c}/break-glass"))
            }
            _ => None,
        };
        Self {
            page,
            title,
            body,
            break_glass_href,
        }
    }
}

/// A child's access log.
#[derive(Template)]
#[template(path = "access_log.html")]
pub struct AccessLogPage {
    /// Layout.
    pub page: PageCtx,
    /// The log.
    pub log: ChildAccessLog,
    /// Its entries.
    pub entries: Vec<NamedEntry>,
}

/// A user's access history.
#[derive(Template)]
#[template(path = "user_history.html")]
pub struct UserHistoryPage {
    /// Layout.
    pub page: PageCtx,
    /// The user.
    pub subject: User,
    /// Entries.
    pub entries: Vec<NamedEntry>,
}

/// Readable text for an audit action.
pub fn action_label(a: &str) -> String {
    match a {
        "child.view" => "Viewed the record".into(),
        "child.view_summary" => "Viewed the summary".into(),
        "child.edit" => "Changed details".into(),
        "note.create" => "Recorded a case note".into(),
        "decision.create" => "Recorded a decision".into(),
        "allocation.change" => "Changed the allocation".into(),
        "allocation.override" => "Allocated past the caseload cap (manager's override)".into(),
        "allocation.bulk" => "Moved a worker's children to other workers".into(),
        "court_work.start" => "Recorded care proceedings (court work)".into(),
        "court_work.end" => "Recorded the end of care proceedings".into(),
        "disclosure.record" => "Recorded a disclosure or a refusal".into(),
        "context.link.correct" => "Corrected a context link".into(),
        "context.link.end" => "Ended a context link".into(),
        "context.edit" => "Changed a context record".into(),
        "share.create" => "Shared the record".into(),
        "child.break_glass" => "Used emergency access".into(),
        "child.create" => "Created the record".into(),
        "child.view_access_log" => "Viewed the access log".into(),
        "note.create.form" => "Opened the case note form".into(),
        "decision.create.form" => "Opened the decision form".into(),
        "allocation.change.form" => "Opened the allocation form".into(),
        "share.create.form" => "Opened the sharing form".into(),
        "child.break_glass_form" => "Opened the emergency access form".into(),
        "missing.record.form" => "Opened the missing-return form".into(),
        "missing.view" => "Viewed a missing episode".into(),
        "missing.report" => "Reported the child missing".into(),
        "missing.return" => "Recorded the child's return".into(),
        "rhi.view" => "Opened the return home interview".into(),
        "rhi.record" => "Recorded the return home interview".into(),
        "philomena.view" => "Viewed the Philomena profile".into(),
        "philomena.photo" => "Viewed the Philomena profile photo".into(),
        "philomena.edit.form" => "Opened the Philomena profile form".into(),
        "philomena.save" => "Saved a new Philomena profile version".into(),
        "philomena.pack" => "Produced the police handover pack".into(),
        "child.search" => "Searched for children".into(),
        "child.list" => "Listed children".into(),
        "session.sign_in" => "Signed in".into(),
        "session.sign_out" => "Signed out".into(),
        other => other.replace(['.', '_'], " "),
    }
}

/// Staff admin.
#[derive(Template)]
#[template(path = "staff.html")]
pub struct StaffPage {
    /// Layout.
    pub page: PageCtx,
    /// Directory.
    pub dir: harbour_app::admin::StaffDirectory,
    /// May change things.
    pub manage: bool,
    /// Problems with the add-team/pod forms.
    pub errors: FieldErrors,
    /// A one-time message (e.g. a generated password).
    pub notice: Option<String>,
}

impl StaffPage {
    /// Whether an account is linked to a single sign-on identity.
    pub fn sso_linked(&self, id: &harbour_domain::ids::UserId) -> bool {
        self.dir.sso_linked.contains(id)
    }
    /// Team name.
    pub fn team(&self, id: &Option<harbour_domain::ids::TeamId>) -> String {
        id.and_then(|t| self.dir.teams.iter().find(|x| x.id == t))
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }
    /// Org name.
    pub fn org(&self, id: &harbour_domain::ids::OrgId) -> String {
        self.dir
            .orgs
            .iter()
            .find(|x| x.id == *id)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    }
    /// Pod name.
    pub fn pod(&self, id: &Option<harbour_domain::ids::PodId>) -> String {
        id.and_then(|p| self.dir.pods.iter().find(|x| x.id == p))
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }
    /// Team managers, for the manager selects.
    pub fn managers(&self) -> Vec<&User> {
        self.dir
            .users
            .iter()
            .filter(|u| u.role == harbour_domain::Role::TeamManager && u.disabled_at.is_none())
            .collect()
    }
    /// User name.
    pub fn user(&self, id: &Option<harbour_domain::ids::UserId>) -> String {
        id.and_then(|u| self.dir.users.iter().find(|x| x.id == u))
            .map(|u| u.name.clone())
            .unwrap_or_else(|| "No manager".into())
    }
}

/// New user form.
#[derive(Template)]
#[template(path = "new_user.html")]
pub struct NewUserPage {
    /// Layout.
    pub page: PageCtx,
    /// Values.
    pub values: harbour_app::admin::NewUserInput,
    /// Problems.
    pub errors: FieldErrors,
    /// Teams.
    pub teams: Vec<Choice>,
    /// Organisations.
    pub orgs: Vec<Choice>,
    /// Roles.
    pub roles: Vec<Choice>,
}

/// The privacy officer's page.
#[derive(Template)]
#[template(path = "privacy.html")]
pub struct PrivacyPage {
    /// Layout.
    pub page: PageCtx,
    /// Overview.
    pub o: PrivacyOverview,
    /// Result of a chain check just made.
    pub chain: Option<String>,
}

/// Statistics.
#[derive(Template)]
#[template(path = "stats.html")]
pub struct StatsPage {
    /// Layout.
    pub page: PageCtx,
    /// Figures.
    pub s: Stats,
}

impl StatsPage {
    /// "63% (19 of 30)", or "No interviews yet".
    pub fn share(&self, part: impl Val<i64>, whole: impl Val<i64>) -> String {
        let (part, whole) = (part.val(), whole.val());
        match harbour_domain::missing::percent(part, whole) {
            Some(p) => format!("{p}% ({part} of {whole})"),
            None => "No interviews yet".into(),
        }
    }
    /// The local repeat-missing rule in words.
    pub fn repeat_rule(&self) -> String {
        format!(
            "{} or more episodes in {} days",
            self.s.repeat_rule.0, self.s.repeat_rule.1
        )
    }
    /// Label for a legal status code.
    pub fn status_label(&self, code: &str) -> &'static str {
        harbour_domain::codes::LegalStatusKind::parse(code)
            .map(|k| k.label())
            .unwrap_or("Other")
    }
    /// Mean caseload of case-holding workers.
    pub fn mean_caseload(&self) -> String {
        let holding: Vec<i64> = self
            .s
            .caseloads
            .iter()
            .map(|c| c.children)
            .filter(|n| *n > 0)
            .collect();
        if holding.is_empty() {
            return "0".into();
        }
        format!(
            "{:.1}",
            holding.iter().sum::<i64>() as f64 / holding.len() as f64
        )
    }
}

impl NewChildPage {
    /// Sex choices.
    pub fn sexes(&self) -> Vec<Choice> {
        harbour_domain::codes::Sex::ALL
            .iter()
            .map(|s| Choice::new(s.as_str(), s.label()))
            .collect()
    }
    /// Legal status choices.
    pub fn statuses(&self) -> Vec<Choice> {
        let mut v: Vec<Choice> = harbour_domain::codes::LegalStatusKind::ALL
            .iter()
            .map(|s| Choice::new(s.as_str(), s.label()))
            .collect();
        v.push(Choice::new("", "None yet (contact or referral)"));
        v
    }
}

/// Change a person's details.
#[derive(Template)]
#[template(path = "edit_user.html")]
pub struct EditUserPage {
    /// Layout.
    pub page: PageCtx,
    /// Who.
    pub subject: User,
    /// Values.
    pub values: harbour_app::admin::EditUserInput,
    /// Problems.
    pub errors: FieldErrors,
    /// Roles.
    pub roles: Vec<Choice>,
    /// Teams.
    pub teams: Vec<Choice>,
    /// Pods.
    pub pods: Vec<Choice>,
}

/// "2 days 4 hours" until (or past) a time.
pub fn remaining(due: impl Val<DateTime<Utc>>) -> String {
    let d = due.val() - Utc::now();
    let (past, d) = if d < chrono::TimeDelta::zero() {
        (true, -d)
    } else {
        (false, d)
    };
    let (days, hours) = (d.num_days(), d.num_hours() % 24);
    let span = match (days, hours) {
        (0, 0) => format!("{} minutes", d.num_minutes().max(1)),
        (0, h) => format!("{h} hours"),
        (dd, h) => format!("{dd} {} {h} hours", if dd == 1 { "day" } else { "days" }),
    };
    if past {
        format!("{span} overdue")
    } else {
        format!("{span} left")
    }
}

/// The provider's queue.
#[derive(Template)]
#[template(path = "interviews.html")]
pub struct InterviewsPage {
    /// Layout.
    pub page: PageCtx,
    /// Open interviews.
    pub queue: Vec<harbour_db::rhi::QueueItem>,
    /// The interview just saved, whose draft the browser can forget.
    pub saved: Option<String>,
}

impl InterviewsPage {
    /// Age today.
    pub fn age(&self, dob: &NaiveDate) -> u32 {
        harbour_domain::rules::age_on(*dob, calendar::london_date(Utc::now()))
    }
    /// Overdue.
    pub fn overdue(&self, due: &DateTime<Utc>) -> bool {
        *due < Utc::now()
    }
}

/// One interview.
#[derive(Template)]
#[template(path = "interview.html")]
pub struct InterviewPage {
    /// Layout.
    pub page: PageCtx,
    /// What the provider may see.
    pub v: harbour_app::rhi::InterviewView,
    /// Values.
    pub values: std::collections::HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
    /// Outcome choices.
    pub outcomes: Vec<Choice>,
    /// One sharing question per recipient that applies.
    pub share_rows: Vec<ShareRow>,
    /// Share or not.
    pub share_choices: Vec<Choice>,
    /// Lawful bases.
    pub bases: Vec<Choice>,
}

/// The field names and labels of one recipient's sharing decision.
pub struct ShareRow {
    /// The question.
    pub label: String,
    /// `share_<recipient>`.
    pub share: String,
    /// `basis_<recipient>`.
    pub basis: String,
    /// Its label.
    pub basis_label: String,
    /// `reason_<recipient>`.
    pub reason: String,
    /// Its label.
    pub reason_label: String,
}

impl InterviewPage {
    /// A submitted value.
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }
    /// The error for a field.
    pub fn e(&self, name: &str) -> &str {
        self.errors.get(name).unwrap_or("")
    }
}

/// The recipient's list of shared findings.
#[derive(Template)]
#[template(path = "findings.html")]
pub struct FindingsInboxPage {
    /// Layout.
    pub page: PageCtx,
    /// Newest first.
    pub list: Vec<harbour_domain::findings::Notification>,
}

/// One notification's findings.
#[derive(Template)]
#[template(path = "finding.html")]
pub struct FindingPage {
    /// Layout.
    pub page: PageCtx,
    /// The notification.
    pub n: harbour_domain::findings::Notification,
}

/// Children placed here by other authorities.
#[derive(Template)]
#[template(path = "placed_here.html")]
pub struct PlacedHerePage {
    /// Layout.
    pub page: PageCtx,
    /// One row per child.
    pub rows: Vec<harbour_app::findings::HostRow>,
}

/// The trend chart: weighted load as a percentage of capacity per week,
/// drawn as server-rendered SVG (no script), with the same figures in a table.
#[derive(Clone, Debug, Default)]
pub struct TrendChart {
    /// The weeks, oldest first.
    pub points: Vec<harbour_app::caseload::TrendPoint>,
    /// `x,y x,y …` for the polyline.
    pub line: String,
    /// Dots: (x, y, week, percent).
    pub dots: Vec<(u32, u32, String, u32)>,
    /// The y of 100% (capacity).
    pub capacity_y: u32,
    /// The y of the amber threshold.
    pub amber_y: u32,
    /// The text alternative.
    pub summary: String,
}

impl TrendChart {
    /// Width of the drawing.
    pub const W: u32 = 640;
    /// Height.
    pub const H: u32 = 220;

    /// Build from the weeks.
    pub fn new(points: Vec<harbour_app::caseload::TrendPoint>, amber: u32) -> Self {
        let pct = |p: &harbour_app::caseload::TrendPoint| {
            harbour_domain::caseload::percent_of(p.points.max(0) as u32, p.capacity.max(0) as u32)
        };
        let top = points.iter().map(pct).max().unwrap_or(0).max(120);
        let (left, right, up, down) = (48u32, 16u32, 16u32, 32u32);
        let span_x = Self::W - left - right;
        let span_y = Self::H - up - down;
        let y = |p: u32| up + span_y - (p.min(top) * span_y / top);
        let n = points.len().max(2) as u32 - 1;
        let dots: Vec<(u32, u32, String, u32)> = points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    left + i as u32 * span_x / n,
                    y(pct(p)),
                    p.week.clone(),
                    pct(p),
                )
            })
            .collect();
        let line = dots
            .iter()
            .map(|(x, y, _, _)| format!("{x},{y}"))
            .collect::<Vec<_>>()
            .join(" ");
        let summary = match (points.first(), points.last()) {
            (Some(a), Some(b)) => format!(
                "Weighted load as a share of capacity, week {} to week {}: from {}% to {}%; children held from {} to {}.",
                a.week,
                b.week,
                pct(a),
                pct(b),
                a.children,
                b.children
            ),
            _ => "No weekly snapshots yet.".into(),
        };
        Self {
            capacity_y: y(100),
            amber_y: y(amber),
            points,
            line,
            dots,
            summary,
        }
    }
    /// Percent for a week (for the table).
    pub fn pct(&self, p: &harbour_app::caseload::TrendPoint) -> u32 {
        harbour_domain::caseload::percent_of(p.points.max(0) as u32, p.capacity.max(0) as u32)
    }
    /// Whether there is anything to draw.
    pub fn drawable(&self) -> bool {
        self.points.len() >= 2
    }
}

/// FTE in hundredths as "0.8".
pub fn fte(h: i32) -> String {
    let s = format!("{:.2}", h as f64 / 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A worker's caseload page.
#[derive(Template)]
#[template(path = "caseload_worker.html")]
pub struct CaseloadWorkerPage {
    /// Layout.
    pub page: PageCtx,
    /// A success message (after a bulk move).
    pub notice: Option<String>,
    /// The caseload.
    pub c: harbour_app::caseload::WorkerCaseload,
    /// The trend.
    pub chart: TrendChart,
}

impl CaseloadWorkerPage {
    /// FTE.
    pub fn fte(&self, h: &i32) -> String {
        fte(*h)
    }
}

/// Bulk re-allocation of a leaver's or an absent worker's children.
#[derive(Template)]
#[template(path = "caseload_reallocate.html")]
pub struct BulkReallocatePage {
    /// Layout.
    pub page: PageCtx,
    /// The children and candidates.
    pub plan: harbour_app::caseload::BulkPlan,
    /// Submitted values.
    pub values: std::collections::HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
    /// SW_REASON codes.
    pub sw_reasons: Vec<Choice>,
}

impl BulkReallocatePage {
    /// A submitted value.
    pub fn v(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
    /// A field's problem ("" if none).
    pub fn e(&self, name: &str) -> String {
        self.errors.get(name).unwrap_or_default().to_string()
    }
    /// The chosen worker for a child.
    pub fn chosen(&self, child: &harbour_domain::ids::ChildId) -> String {
        self.v(&format!("worker-{child}"))
    }
    /// The problem with a child's choice ("" if none).
    pub fn child_error(&self, child: &harbour_domain::ids::ChildId) -> String {
        self.e(&format!("worker-{child}"))
    }
    /// A candidate as an option's text.
    pub fn option(&self, c: &harbour_app::caseload::Candidate, with: &str) -> String {
        let w = &c.worker;
        let mut s = w.name.clone();
        if w.asye {
            s.push_str(" (ASYE)");
        }
        if let Some(t) = &w.team_name {
            s.push_str(&format!(", {t}"));
        }
        s.push_str(&format!(
            ": {} children, now {} of {} points ({}%); {with} {} ({}%, {})",
            w.children,
            w.points,
            w.capacity,
            w.percent,
            c.projected,
            c.projected_percent,
            c.projected_status.label()
        ));
        if let Some(b) = c.breach {
            s.push_str(&format!(". {}: needs your override reason", b.label()));
        }
        s
    }
}

/// Care proceedings (court work) for a child.
#[derive(Template)]
#[template(path = "court_work.html")]
pub struct CourtWorkPage {
    /// Layout.
    pub page: PageCtx,
    /// The child and what is recorded.
    pub v: harbour_app::caseload::CourtWorkView,
    /// Submitted values.
    pub values: std::collections::HashMap<String, String>,
    /// Problems.
    pub errors: FieldErrors,
}

impl CourtWorkPage {
    /// A submitted value.
    pub fn v(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
    /// A field's problem ("" if none).
    pub fn e(&self, name: &str) -> String {
        self.errors.get(name).unwrap_or_default().to_string()
    }
}

/// A team, pod or service dashboard.
#[derive(Template)]
#[template(path = "caseload_dashboard.html")]
pub struct CaseloadDashboardPage {
    /// Layout.
    pub page: PageCtx,
    /// The dashboard.
    pub d: harbour_app::caseload::Dashboard,
    /// The trend.
    pub chart: TrendChart,
    /// Link each worker to their caseload page.
    pub link_workers: bool,
    /// Related pages the viewer may open.
    pub links: Vec<(&'static str, &'static str)>,
}

impl CaseloadDashboardPage {
    /// FTE.
    pub fn fte(&self, h: &i32) -> String {
        fte(*h)
    }
    /// A breach code for people.
    pub fn breach(&self, code: &str) -> &'static str {
        harbour_domain::caseload::Breach::parse(code)
            .map(|b| b.label())
            .unwrap_or("Over capacity")
    }
}

/// Workforce planning.
#[derive(Template)]
#[template(path = "workforce.html")]
pub struct WorkforcePage {
    /// Layout.
    pub page: PageCtx,
    /// Figures.
    pub w: harbour_app::caseload::Workforce,
    /// Problems with an establishment form.
    pub errors: FieldErrors,
    /// A success message.
    pub notice: Option<String>,
}

impl WorkforcePage {
    /// FTE.
    pub fn fte(&self, h: &i32) -> String {
        fte(*h)
    }
    /// Optional FTE.
    pub fn fte_opt(&self, h: &Option<i32>) -> String {
        h.map(fte).unwrap_or_else(|| "Not set".into())
    }
    /// Agency share of filled FTE.
    pub fn agency_share(&self, agency: &i32, filled: &i32) -> String {
        if *filled == 0 {
            "0%".into()
        } else {
            format!("{}%", agency * 100 / filled)
        }
    }
    /// One decimal place.
    pub fn one(&self, v: &f64) -> String {
        format!("{v:.1}")
    }
    /// The problem with one team's establishment form, if any (its field
    /// id is `fte-{team}`, which the error summary links to).
    pub fn fte_error(&self, t: &harbour_domain::ids::TeamId) -> Option<&str> {
        self.errors.get(&format!("fte-{t}"))
    }
    /// The headroom in words.
    pub fn headroom(&self) -> String {
        match self.w.forecast.weeks_of_headroom {
            Some(w) => format!("about {w:.1} weeks"),
            None => "no new allocations in the period".into(),
        }
    }
    /// A date, plainly.
    pub fn day(&self, t: &DateTime<Utc>) -> String {
        calendar::london_date(*t).format("%-d %B %Y").to_string()
    }
    /// The error for a field.
    pub fn e(&self, name: &str) -> &str {
        self.errors.get(name).unwrap_or("")
    }
}
