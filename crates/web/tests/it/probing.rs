//! Probing from a signed-in account: guessing other records' ids (random
//! UUIDv7s, ids next to real ones, and real ids of records on another
//! child's file), a disabled user's sessions and tokens on two instances
//! over one database, and break-glass access ending at its expiry.

use crate::*;

/// A UUID one above or below a real one in its last byte: what someone
/// walking the id space next to a record they know would try.
fn adjacent(id: uuid::Uuid, up: bool) -> uuid::Uuid {
    let mut b = *id.as_bytes();
    b[15] = if up {
        b[15].wrapping_add(1)
    } else {
        b[15].wrapping_sub(1)
    };
    uuid::Uuid::from_bytes(b)
}

/// The body with request ids and the id in the path taken out, so two 404s
/// can be compared.
fn normalised(body: &str, ids: &[String]) -> String {
    let mut s = body.to_string();
    for id in ids {
        s = s.replace(id.as_str(), "ID");
    }
    // Request ids are UUIDs too: blank every remaining hex-and-dash run of 36.
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let run: String = chars[i..chars.len().min(i + 36)].iter().collect();
        if run.len() == 36 && uuid::Uuid::parse_str(&run).is_ok() {
            out.push_str("UUID");
            i += 36;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[tokio::test]
async fn guessed_ids_get_the_same_404_as_a_missing_record() {
    let t = TestApp::new().await;
    let mine = t.child_allocated;
    let foreign_episode = t.episodes[&t.child_other];
    let my_episode = t.episodes[&mine];
    let mut failures = Vec::new();
    for role in [
        Role::SocialWorker,
        Role::TeamManager,
        Role::PartnerPractitioner,
        Role::RhiProvider,
    ] {
        let cookie = t.sign_in(role).await;
        // (path template with {x}, real ids next to which to guess)
        let templates: Vec<(String, uuid::Uuid)> = vec![
            ("/children/{x}".into(), t.child_other.0),
            ("/api/v1/children/{x}".into(), t.child_other.0),
            (format!("/children/{mine}/missing/{{x}}/return"), my_episode),
            (format!("/children/{mine}/missing/{{x}}/edit"), my_episode),
            (format!("/children/{mine}/missing/{{x}}/grade"), my_episode),
            ("/interviews/{x}".into(), my_episode),
            ("/findings/{x}".into(), my_episode),
            ("/escalations/{x}".into(), my_episode),
            ("/supervision/sessions/{x}".into(), my_episode),
            ("/cme/{x}".into(), my_episode),
            ("/edt/contacts/{x}".into(), my_episode),
        ];
        let token = t
            .app
            .create_token_system(&t.users[&role].email, "probe")
            .await
            .unwrap();
        for (template, real) in templates {
            let send = |id: uuid::Uuid| {
                let p = template.replace("{x}", &id.to_string());
                let api = p.starts_with("/api/");
                let mut b = Request::get(&p);
                if api {
                    b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
                } else {
                    b = b.header(header::COOKIE, &cookie);
                }
                t.send(b.body(Body::empty()).unwrap())
            };
            let missing = uuid::Uuid::now_v7();
            let (base_status, _, base_body) = send(missing).await;
            if base_status != StatusCode::NOT_FOUND && base_status != StatusCode::FORBIDDEN {
                failures.push(format!(
                    "{role:?} {template}: a missing record gave {base_status}"
                ));
                continue;
            }
            let base = normalised(&base_body, &[missing.to_string()]);
            for guess in [
                uuid::Uuid::now_v7(),
                adjacent(real, true),
                adjacent(real, false),
            ] {
                let (status, _, body) = send(guess).await;
                if status != base_status || normalised(&body, &[guess.to_string()]) != base {
                    failures.push(format!(
                        "{role:?} {template} guess {guess}: {status}, unlike a missing record ({base_status})"
                    ));
                }
            }
        }
        // Another child's real episode under a child the caller may open:
        // the same as a missing episode, never the other child's data.
        for action in ["return", "edit", "grade"] {
            let p = format!("/children/{mine}/missing/{foreign_episode}/{action}");
            let (status, _, body) = t.send(get(&p, Some(&cookie))).await;
            let q = format!("/children/{mine}/missing/{}/{action}", uuid::Uuid::now_v7());
            let (want, _, _) = t.send(get(&q, Some(&cookie))).await;
            if status != want || body.contains("Otherchild") {
                failures.push(format!(
                    "{role:?} {p}: {status}, a missing episode gives {want}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn a_record_the_caller_may_not_open_shows_no_data() {
    // An existing child outside the caller's access gives 403 (with the
    // break-glass offer), not 404: break-glass needs the record to be named.
    // The refusal carries none of the child's details.
    let t = TestApp::new().await;
    let c = t.sign_in(Role::SocialWorker).await;
    let (status, _, body) = t
        .send(get(&format!("/children/{}", t.child_other), Some(&c)))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The fixture child in another team: "Otherchild Tester", T0003, born 2011.
    for detail in ["Otherchild", "T0003"] {
        assert!(!body.contains(detail), "the refusal shows {detail}");
    }
    assert!(!body.contains("2011"), "no date of birth");
}

#[tokio::test]
async fn a_disabled_users_sessions_and_tokens_end_at_once_on_every_instance() {
    let t = TestApp::new().await;
    // A second instance: another router over the same database, as a second
    // `harbour serve` would be.
    let second = harbour_web::routes::router(t.app.clone());
    let sw = t.users[&Role::SocialWorker].clone();
    let cookie = t.sign_in(Role::SocialWorker).await;
    let token = t.app.create_token_system(&sw.email, "probe").await.unwrap();
    let api = || {
        Request::get(format!("/api/v1/children/{}", t.child_allocated))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let on_second = |req: Request<Body>| {
        let r = second.clone();
        async move { r.oneshot(req).await.unwrap().status() }
    };
    assert_eq!(
        t.send(get("/my-work", Some(&cookie))).await.0,
        StatusCode::OK
    );
    assert_eq!(
        on_second(get("/my-work", Some(&cookie))).await,
        StatusCode::OK
    );
    assert_eq!(on_second(api()).await, StatusCode::OK);

    let admin = t.sign_in(Role::Sysadmin).await;
    let (s, _, _) = t
        .send(form(
            &format!("/admin/staff/{}/disable", sw.id),
            "",
            Some(&admin),
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    // The very next request, on either instance, is refused: no clock moves.
    assert_eq!(
        on_second(get("/my-work", Some(&cookie))).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        t.send(get("/my-work", Some(&cookie))).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(on_second(api()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(t.send(api()).await.0, StatusCode::UNAUTHORIZED);
    // And the password no longer signs in.
    let body = format!("email={}&password={}", sw.email, PASSWORD.replace(' ', "+"));
    assert_eq!(
        t.send(form("/sign-in", &body, None)).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn break_glass_access_ends_at_its_expiry_and_stays_on_the_privacy_list() {
    let t = TestApp::new().await;
    let c = t.sign_in(Role::SocialWorker).await;
    // Signed in now: the fixture's second factor is for the starting time.
    let p = t.sign_in(Role::PrivacyOfficer).await;
    let path = format!("/children/{}", t.child_other);
    let (s, _, _) = t
        .send(form(
            &format!("{path}/break-glass"),
            "reason=Police+report+the+child+missing+tonight&minutes=30",
            Some(&c),
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    // Keep the session alive across the half hour (idle limit 30 minutes).
    t.clock.advance(TimeDelta::minutes(15));
    assert_eq!(t.send(get(&path, Some(&c))).await.0, StatusCode::OK);
    assert_eq!(t.send(get("/privacy", Some(&p))).await.0, StatusCode::OK);
    t.clock
        .advance(TimeDelta::minutes(14) + TimeDelta::seconds(59));
    assert_eq!(
        t.send(get(&path, Some(&c))).await.0,
        StatusCode::OK,
        "open until the expiry"
    );
    t.clock.advance(TimeDelta::seconds(1));
    assert_eq!(
        t.send(get(&path, Some(&c))).await.0,
        StatusCode::FORBIDDEN,
        "closed at the expiry"
    );
    let (_, _, body) = t.send(get("/privacy", Some(&p))).await;
    assert!(
        body.contains("1 awaiting review")
            && body.contains("Police report the child missing tonight"),
        "the expired grant is still on the privacy officer's list"
    );
}

#[tokio::test]
async fn another_organisation_sees_nothing_shared_with_a_different_one() {
    let t = TestApp::new().await;
    // A second police force and a second interview provider, each with a
    // user: the fixture child "Shared" is shared with the first police only.
    let mut tx = t.app.db.begin_write().await.unwrap();
    let hash = harbour_app::auth::hash_password(HashCost::Test, PASSWORD).unwrap();
    let mut outsiders = Vec::new();
    for (kind, role, email) in [
        (
            OrgKind::Police,
            Role::PartnerPractitioner,
            "other.police@test.example",
        ),
        (
            OrgKind::RhiProvider,
            Role::RhiProvider,
            "other.rhi@test.example",
        ),
    ] {
        let o = Organisation {
            id: OrgId::new(),
            name: format!("Other {kind:?}"),
            kind,
            la_code: None,
        };
        org::insert_org(&mut tx, &o).await.unwrap();
        let mut u = t.users[&role].clone();
        u.id = UserId::new();
        u.email = email.into();
        u.org_id = o.id;
        users::insert(&mut tx, &u, &hash, None, now())
            .await
            .unwrap();
        outsiders.push((role, u));
    }
    tx.commit().await.unwrap();

    let shared = t.child_shared;
    let episode = t.episodes[&shared];
    for (role, u) in &outsiders {
        // The fixture organisation's user of the same role sees the record.
        let insider = t.sign_in(*role).await;
        assert_eq!(
            t.send(get(&format!("/children/{shared}"), Some(&insider)))
                .await
                .0,
            StatusCode::OK,
            "{role:?} in the organisation it is shared with"
        );
        let cookie = t.sign_in_as(&u.email, *role).await;
        let token = t.app.create_token_system(&u.email, "probe").await.unwrap();
        for path in [
            format!("/children/{shared}"),
            format!("/children/{shared}/philomena"),
            format!("/children/{shared}/missing/{episode}/return"),
        ] {
            let (status, _, body) = t.send(get(&path, Some(&cookie))).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} {path}");
            assert!(!body.contains("T0005"), "{role:?} {path} shows the record");
        }
        let api = Request::get(format!("/api/v1/children/{shared}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(t.send(api).await.0, StatusCode::FORBIDDEN, "{role:?} API");
        let (_, _, results) = t.send(form("/children", "q=Tester", Some(&cookie))).await;
        assert!(
            !results.contains(&shared.to_string()),
            "{role:?}: search lists another organisation's share"
        );
        let (_, _, queue) = t.send(get("/interviews", Some(&cookie))).await;
        assert!(
            !queue.contains(&shared.to_string()) && !queue.contains("Shared"),
            "{role:?}: the interview queue shows another provider's work"
        );
    }
}
