//! Admission control: beyond `max_in_flight` requests (after a short wait)
//! Harbour answers 503 with `Retry-After`; the probes always answer.

use super::*;
use axum::body::Bytes;
use http_body_util::channel::Channel;

/// A sign-in POST whose body arrives only when the test sends it, so the
/// request holds its place in flight for as long as the test wants.
fn held_sign_in() -> (http_body_util::channel::Sender<Bytes>, Request<Body>) {
    let (tx, body) = Channel::<Bytes>::new(1);
    let req = Request::post("/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::new(body))
        .unwrap();
    (tx, req)
}

#[tokio::test]
async fn beyond_capacity_requests_get_503_with_retry_after_and_probes_still_answer() {
    let mut t = TestApp::new().await;
    t.reconfigure(|c| {
        c.max_in_flight = 1;
        c.admission_wait_ms = 20;
    });
    let (mut tx, held) = held_sign_in();
    let router = t.router.clone();
    let first = tokio::spawn(async move { router.oneshot(held).await.unwrap().status() });
    // Let the held request take the one place.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;

    let (status, headers, page) = t.send(get("/sign-in", None)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers.get(header::RETRY_AFTER).unwrap(), "1");
    assert!(page.contains("Sorry, the service is busy"), "{page}");
    assert!(headers.get("x-request-id").is_some());
    assert!(headers.get(header::CONTENT_SECURITY_POLICY).is_some());

    let (status, headers, body) = t
        .send(
            Request::get("/api/v1/children")
                .header(header::AUTHORIZATION, "Bearer nothing")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers.get(header::RETRY_AFTER).unwrap(), "1");
    assert_eq!(
        headers.get(header::CONTENT_TYPE).unwrap(),
        "application/problem+json"
    );
    let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        problem["type"],
        "https://harbour.example/problems/overloaded"
    );
    assert_eq!(problem["status"], 503);

    for probe in ["/healthz", "/readyz"] {
        let (status, _, _) = t.send(get(probe, None)).await;
        assert_eq!(status, StatusCode::OK, "{probe}");
    }

    // The held request finishes; its place is free again.
    tx.send_data(Bytes::from_static(
        b"email=nobody%40example.org&password=x&code=",
    ))
    .await
    .unwrap();
    drop(tx);
    let held_status = first.await.unwrap();
    assert_ne!(held_status, StatusCode::SERVICE_UNAVAILABLE);
    let (status, _, _) = t.send(get("/sign-in", None)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_request_that_waits_briefly_for_a_place_is_admitted() {
    let mut t = TestApp::new().await;
    t.reconfigure(|c| {
        c.max_in_flight = 1;
        c.admission_wait_ms = 5_000;
    });
    let (mut tx, held) = held_sign_in();
    let router = t.router.clone();
    let first = tokio::spawn(async move { router.oneshot(held).await.unwrap().status() });
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let router = t.router.clone();
    let second = tokio::spawn(async move {
        router
            .oneshot(get("/sign-in", None))
            .await
            .unwrap()
            .status()
    });
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(
        !second.is_finished(),
        "the second request waits for the place"
    );
    tx.send_data(Bytes::from_static(
        b"email=nobody%40example.org&password=x&code=",
    ))
    .await
    .unwrap();
    drop(tx);
    first.await.unwrap();
    assert_eq!(second.await.unwrap(), StatusCode::OK);
}
