//! Entry point of the `forms` fuzz target (`fuzz/`) and of the stable test
//! that replays its corpus (`crates/web/tests/fuzz_corpus.rs`): the bytes
//! are decoded as a urlencoded body or query string into every form and
//! query struct the handlers extract ([`crate::extract::read_form`], what
//! `FormBody` does; axum's `Query` decodes with the same serde_urlencoded),
//! the search box's text goes through the search parser, and the bytes as
//! request headers go through the CSRF check.

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};

use crate::extract::read_form;
use crate::middleware::csrf_ok;
use harbour_app as app;

macro_rules! decode_all {
    ($data:expr; $($t:ty),* $(,)?) => {
        $( let _ = read_form::<$t>($data); )*
    };
}

/// Decode, parse and check; panics only when one of them does.
pub fn forms(data: &[u8]) {
    decode_all!(data;
        crate::ssda903::SavedQuery,
        crate::screening::SavedQuery,
        crate::philomena::ProfileQuery,
        crate::reports::Months,
        crate::reports::Filter,
        crate::contexts::LinkedQuery,
        crate::contexts::SearchForm,
        crate::pages::WorkforceQuery,
        crate::pages::SignInQuery,
        crate::pages::MovedQuery,
        crate::pages::InterviewSaved,
        crate::pages::TeamForm,
        crate::pages::SignInForm,
        crate::pages::PodForm,
        crate::pages::ManagerForm,
        crate::pages::EstablishmentForm,
        crate::edt::SupportQuery,
        crate::edt::AckQuery,
        crate::screening::DecideForm,
        crate::panel::CloseForm,
        app::edt::SupportInput,
        app::edt::SafetyPlanInput,
        app::edt::ContactInput,
        app::edt::AlertInput,
        app::edt::AckInput,
        app::schools::ContactInput,
        app::contexts::SuggestionInput,
        app::contexts::LinkInput,
        app::contexts::LinkEditInput,
        app::contexts::EntityEditInput,
        app::panel::ReferralInput,
        app::panel::MeetingInput,
        app::panel::ActionUpdate,
        app::panel::DisclosureInput,
        app::supervision::OversightInput,
        app::admin::NewUserInput,
        app::admin::EditUserInput,
        app::children::NewChildInput,
        app::children::BreakGlassInput,
        app::ssda903::CareForm,
        app::rhi::InterviewInput,
        app::missing::ReturnInput,
        app::missing::MissingInput,
        app::missing::GradeInput,
        app::missing::EditInput,
        app::caseload::CourtWorkInput,
    );
    if let Some(f) = read_form::<crate::pages::SearchForm>(data) {
        let _ = harbour_domain::search::parse_query(&f.q);
    }
    csrf(data);
}

/// The bytes as a request: the first line the method, the rest `name: value`
/// headers. A request that is neither safe nor bearer-only nor same-origin
/// by `Sec-Fetch-Site` or `Origin`, and that carries a cookie, is refused.
fn csrf(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.lines();
    let method = Method::from_bytes(lines.next().unwrap_or("").as_bytes()).unwrap_or(Method::POST);
    let mut headers = HeaderMap::new();
    for l in lines {
        let Some((n, v)) = l.split_once(':') else {
            continue;
        };
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(n.trim().as_bytes()),
            HeaderValue::from_bytes(v.trim().as_bytes()),
        ) {
            headers.append(n, v);
        }
    }
    let origin = "https://harbour.example.org";
    let ok = csrf_ok(&method, &headers, origin);
    let safe = matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    let bearer_only = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "))
        && !headers.contains_key("cookie");
    let same_site = match headers.get("sec-fetch-site") {
        Some(s) => s == "same-origin" || s == "none",
        None => headers.get("origin").is_some_and(|o| o == origin),
    };
    if ok && !safe && !bearer_only && !same_site {
        assert!(
            !headers.contains_key("cookie"),
            "a cross-site {method} with a cookie was let through: {headers:?}"
        );
    }
}
