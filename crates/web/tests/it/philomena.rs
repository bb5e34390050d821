//! The Philomena profile and the police handover pack, through the router.

use crate::*;

const BOUNDARY: &str = "harbour-test-boundary";

/// A tiny valid-looking PNG (the signature is what is checked).
fn png() -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend_from_slice(b"\0\0\0\rIHDR synthetic test image");
    b
}

/// A same-origin multipart POST of the profile form.
fn multipart(
    path: &str,
    fields: &[(&str, &str)],
    photo: Option<&[u8]>,
    cookie: &str,
) -> Request<Body> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some(p) = photo {
        body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"me.png\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(p);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap()
}

const PROFILE: &[(&str, &str)] = &[
    ("height", "5 ft 4 in"),
    ("build", "Slim"),
    ("hair", "Brown, shoulder length"),
    ("eyes", "Green"),
    ("marks", "Scar on left eyebrow"),
    ("clothing", "Black puffer jacket, white trainers"),
    (
        "vulnerabilities",
        "Older associates with cars; not safe to travel alone",
    ),
    ("medical", "Asthma: blue inhaler"),
    (
        "associates",
        "Dee, older male, red Golf\r\n\r\nSam (cousin), Bentilee",
    ),
    ("places", "Hanley bus station\nThe takeaway on Hope Street"),
    ("phones_social", "07700 900123; Snapchat @not_a_real_handle"),
    ("transport_finances", "Bus pass; no bank card"),
];

fn with(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    PROFILE
        .iter()
        .map(|(k, v)| {
            changes
                .iter()
                .find(|(ck, _)| ck == k)
                .map_or((*k, *v), |c| *c)
        })
        .chain(
            changes
                .iter()
                .filter(|(k, _)| !PROFILE.iter().any(|(pk, _)| pk == k))
                .copied(),
        )
        .collect()
}

/// Send a request and keep the body as bytes.
async fn send_bytes(
    t: &TestApp,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = t.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body.to_vec())
}

async fn actions(t: &TestApp, child: ChildId) -> Vec<String> {
    let mut tx = t.app.db.begin_read().await.unwrap();
    harbour_db::audit::for_child(&mut tx, child, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.entry.event.action)
        .collect()
}

#[tokio::test]
async fn philomena_profile_versions_photo_and_the_police_pack() {
    let t = TestApp::new().await;
    let c = t.sign_in(Role::SocialWorker).await;
    let child = t.child_allocated;
    let base = format!("/children/{child}/philomena");
    let edit = format!("{base}/edit");

    let (s, _, page) = t.send(get(&base, Some(&c))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("No Philomena profile has been recorded"));
    let (s, _, page) = t.send(get(&format!("/children/{child}"), Some(&c))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains(&format!("href=\"{base}/pack\"")),
        "banner link"
    );

    // Bad input: field errors and nothing written (showing the form again is
    // audited as a read of the form, as for every form).
    let before = t.audit_count().await;
    let bad = with(&[
        ("height", " "),
        ("vulnerabilities", ""),
        ("base_version", "0"),
    ]);
    let (s, _, page) = t.send(multipart(&edit, &bad, Some(&png()), &c)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Enter the child&#39;s height") && page.contains("None known"),
        "{page}"
    );
    assert!(page.contains("Slim"), "the form keeps what was typed");
    // Photo type and size are checked by content.
    let gif = b"GIF89a not a photo".to_vec();
    let (s, _, page) = t
        .send(multipart(
            &edit,
            &with(&[("base_version", "0")]),
            Some(&gif),
            &c,
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("The photo must be a JPEG or PNG"));
    let mut big = vec![0u8; 2 * 1024 * 1024 + 1];
    big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
    let (s, _, page) = t
        .send(multipart(
            &edit,
            &with(&[("base_version", "0")]),
            Some(&big),
            &c,
        ))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("The photo must be smaller than 2 MB"));
    let huge = vec![0xFFu8; 3 * 1024 * 1024];
    let (s, _, _) = t
        .send(multipart(
            &edit,
            &with(&[("base_version", "0")]),
            Some(&huge),
            &c,
        ))
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(t.audit_count().await, before + 3, "three forms shown again");
    assert!(
        !actions(&t, child)
            .await
            .iter()
            .any(|a| a == "philomena.save")
    );
    assert!(
        t.send(get(&base, Some(&c)))
            .await
            .2
            .contains("No Philomena profile")
    );

    // Version 1, with a photo.
    let (s, h, page) = t
        .send(multipart(
            &edit,
            &with(&[("base_version", "0")]),
            Some(&png()),
            &c,
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(
        h.get(header::LOCATION).unwrap(),
        format!("{base}?saved=1").as_str()
    );
    let (_, _, page) = t.send(get(&format!("{base}?saved=1"), Some(&c))).await;
    assert!(page.contains("Philomena profile saved as version 1"));
    assert!(
        page.contains("Version 1, updated 26 November 2026 at 10am by Test Social worker"),
        "{page}"
    );
    assert!(
        page.contains("<li>Dee, older male, red Golf</li>")
            && page.contains("<li>Sam (cousin), Bentilee</li>")
    );
    let (s, h, bytes) = send_bytes(&t, get(&format!("{base}/photo"), Some(&c))).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h.get(header::CONTENT_TYPE).unwrap(), "image/png");
    assert_eq!(bytes, png());

    // Version 2 keeps the photo; version 1 stays readable.
    t.clock.advance(chrono::TimeDelta::minutes(5));
    let v2 = with(&[("hair", "Dyed red, short"), ("base_version", "1")]);
    assert_eq!(
        t.send(multipart(&edit, &v2, None, &c)).await.0,
        StatusCode::SEE_OTHER
    );
    let (_, _, page) = t.send(get(&base, Some(&c))).await;
    assert!(
        page.contains("Version 2, updated 26 November 2026 at 10:05am")
            && page.contains("Dyed red, short"),
        "{page}"
    );
    assert!(
        page.contains(&format!("{base}?version=1")),
        "history links to version 1"
    );
    let (_, _, page) = t.send(get(&format!("{base}?version=1"), Some(&c))).await;
    assert!(page.contains("Brown, shoulder length") && page.contains("not the current profile"));
    let (s, _, bytes) = send_bytes(&t, get(&format!("{base}/photo?version=2"), Some(&c))).await;
    assert_eq!((s, bytes), (StatusCode::OK, png()));
    assert_eq!(
        t.send(get(&format!("{base}?version=9"), Some(&c))).await.0,
        StatusCode::NOT_FOUND
    );
    // A save on top of an older version is refused.
    assert_eq!(
        t.send(multipart(&edit, &v2, None, &c)).await.0,
        StatusCode::CONFLICT
    );
    // Version 3 drops the photo; a plain urlencoded form (no file) works too.
    let v3 = "height=5+ft+5+in&build=Slim&hair=Red&eyes=Green&vulnerabilities=As+before&base_version=2&remove_photo=yes";
    assert_eq!(
        t.send(form(&edit, v3, Some(&c))).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        t.send(get(&format!("{base}/photo"), Some(&c))).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.send(get(&format!("{base}/photo?version=1"), Some(&c)))
            .await
            .0,
        StatusCode::OK
    );

    // The form is prefilled from the current version.
    let (_, _, page) = t.send(get(&edit, Some(&c))).await;
    assert!(page.contains("value=\"Red\"") && page.contains("name=\"base_version\" value=\"3\""));

    // The pack: identity, the open episode, the profile and its photo, in one audited read.
    let before = t.audit_count().await;
    let (s, _, page) = t.send(get(&format!("{base}/pack"), Some(&c))).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(t.audit_count().await, before + 1);
    for want in [
        "Police handover pack",
        "OFFICIAL-SENSITIVE",
        "Allocated Tester",
        "2 April 2011 (age 15)",
        "Did not return",
        "Not graded yet",
        "5 ft 5 in",
        "Philomena profile version 3",
        "1 episode recorded, 1 in the last 12 months",
        "data-print-button",
    ] {
        assert!(page.contains(want), "pack lacks {want:?}");
    }
    assert!(
        !page.contains("Visit to Allocated"),
        "no case notes in the pack"
    );

    // Every read and save was audited against the child.
    let acts = actions(&t, child).await;
    for a in [
        "philomena.view",
        "philomena.edit.form",
        "philomena.save",
        "philomena.photo",
        "philomena.pack",
    ] {
        assert!(acts.iter().any(|x| x == a), "no {a} row in {acts:?}");
    }
    assert!(t.app.verify_audit_chain().await.unwrap().broken.is_none());

    // The API read.
    let token = t
        .app
        .create_token_system(&t.users[&Role::SocialWorker].email, "t")
        .await
        .unwrap();
    let (s, _, json) = t
        .send(
            Request::get(format!("/api/v1/children/{child}/philomena"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["current"]["version"], 3);
    assert_eq!(v["current"]["hair"], "Red");
    assert_eq!(v["current"]["photo"], serde_json::Value::Null);
    assert_eq!(v["versions"].as_array().unwrap().len(), 3);
    assert_eq!(v["versions"][2]["version"], 1);
}

#[tokio::test]
async fn philomena_the_interview_provider_sees_the_description_and_photo_only() {
    let t = TestApp::new().await;
    let sw = t.sign_in(Role::SocialWorker).await;
    let child = t.child_allocated;
    let edit = format!("/children/{child}/philomena/edit");
    let (s, _, _) = t
        .send(multipart(
            &edit,
            &with(&[("base_version", "0")]),
            Some(&png()),
            &sw,
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let ret = format!("/children/{child}/missing/{}/return", t.episodes[&child]);
    let body = "day=26&month=11&year=2026&time=07:30&found_where=Home&found_by=Carer";
    assert_eq!(
        t.send(form(&ret, body, Some(&sw))).await.0,
        StatusCode::SEE_OTHER
    );

    let rhi = t.sign_in(Role::RhiProvider).await;
    let (_, _, queue) = t.send(get("/interviews", Some(&rhi))).await;
    let id = queue
        .split("/interviews/")
        .nth(1)
        .expect("an interview in the queue")
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let (s, _, page) = t.send(get(&format!("/interviews/{id}"), Some(&rhi))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Brown, shoulder length") && page.contains("Scar on left eyebrow"));
    assert!(
        page.contains("src=\"data:image/png;base64,"),
        "the photo, inline"
    );
    for secret in [
        "Older associates",
        "Asthma",
        "Hope Street",
        "07700 900123",
        "Bus pass",
    ] {
        assert!(
            !page.contains(secret),
            "the interview view shows {secret:?}"
        );
    }
    // Not the profile pages, not even for a child shared with the provider's organisation.
    for c in [child, t.child_shared] {
        for path in ["", "/photo", "/pack", "/edit"] {
            let p = format!("/children/{c}/philomena{path}");
            assert_eq!(
                t.send(get(&p, Some(&rhi))).await.0,
                StatusCode::FORBIDDEN,
                "{p}"
            );
        }
    }
    // The police see the pack for the child shared with them, and nothing else.
    let police = t.sign_in(Role::PartnerPractitioner).await;
    let shared = format!("/children/{}/philomena/pack", t.child_shared);
    assert_eq!(t.send(get(&shared, Some(&police))).await.0, StatusCode::OK);
    let mine = format!("/children/{child}/philomena/pack");
    assert_eq!(
        t.send(get(&mine, Some(&police))).await.0,
        StatusCode::FORBIDDEN
    );
    let acts = actions(&t, child).await;
    assert!(
        acts.iter().filter(|a| *a == "philomena.pack").count() == 2,
        "the provider's and the police refusals are audited as packs: {acts:?}"
    );
}
