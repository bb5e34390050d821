//! The register of every SQL text, so a test can prepare each one on both
//! migrated backends (nothing checks SQL at compile time).

/// Every query, by module.
pub fn all() -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    for (m, qs) in [
        ("org", crate::org::QUERIES),
        ("caseload", crate::caseload::QUERIES),
        ("users", crate::users::QUERIES),
        ("sessions", crate::sessions::QUERIES),
        ("oidc", crate::oidc::QUERIES),
        ("children", crate::children::QUERIES),
        ("records", crate::records::QUERIES),
        ("audit", crate::audit::QUERIES),
        ("bulk", crate::bulk::QUERIES),
        ("missing", crate::missing::QUERIES),
        ("tasks", crate::tasks::QUERIES),
        ("rhi", crate::rhi::QUERIES),
        ("findings", crate::findings::QUERIES),
        ("philomena", crate::philomena::QUERIES),
        ("supervision", crate::supervision::QUERIES),
        ("screening", crate::screening::QUERIES),
        ("escalation", crate::escalation::QUERIES),
        ("contexts", crate::contexts::QUERIES),
        ("edt", crate::edt::QUERIES),
        ("panel", crate::panel::QUERIES),
        ("reports", crate::reports::QUERIES),
        ("schools", crate::schools::QUERIES),
        ("jobs", crate::jobs::QUERIES),
        ("privacy", crate::privacy::QUERIES),
    ] {
        v.extend(qs.iter().map(|q| (m, q.to_string())));
    }
    v.extend(
        crate::reports::dashboard_queries()
            .into_iter()
            .map(|q| ("reports", q)),
    );
    v
}
