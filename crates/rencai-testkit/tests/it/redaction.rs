//! P20: a full request cycle carrying phone numbers, codes, tokens and coordinates leaves none
//! of them in the logs. The same events are also captured raw, to prove the secrets did reach
//! the logger — so the test fails if redaction breaks, not merely if nothing is logged.

use rencai_testkit::TestApp;

const SECRETS: &[&str] = &[
    "13812345678",
    "138 1234 5678",
    "+86-139-8765-4321",
    "482915",
    "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    "30.807812",
    "108.408934",
    "wang.xiaoyan@example.com",
];

#[tokio::test(flavor = "current_thread")]
async fn a_request_cycle_with_secrets_leaves_none_in_the_logs() {
    let (_guard, redacted, raw) = rencai_testkit::logs::capture_on_this_thread();
    let mut app = TestApp::spawn().await;

    // Secrets in a query string (which a careless client might send), in headers, and in
    // JSON bodies the API rejects (serde quotes the offending value in its error).
    let r = app
        .client
        .get(app.url("/privacy?phone=13812345678&code=482915&lat=30.807812&lng=108.408934"))
        .header("authorization", "Bearer tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "unknown query parameters are refused");
    for body in [
        r#"{"lat": "138 1234 5678", "lng": 108.408934}"#,
        r#"{"lat": 30.807812, "lng": "+86-139-8765-4321"}"#,
        r#"{"lat": 30.807812, "lng": 108.408934, "code": 482915}"#,
        r#"{"lat": 30.807812, "lng": 108.408934, "email": "wang.xiaoyan@example.com"}"#,
    ] {
        let r = app.post_raw("/api/v1/geo/district", "application/json", body).await;
        assert_eq!(r.status(), 422);
        let text = r.text().await.unwrap();
        for s in SECRETS {
            assert!(!text.contains(s), "the error response echoes {s}: {text}");
        }
    }
    let r = app.post_json("/api/v1/geo/district", &serde_json::json!({"lat": 30.807812, "lng": 108.408934})).await;
    assert_eq!(r.status(), 200);
    app.stop().await;

    let raw = raw.text();
    let redacted = redacted.text();
    assert!(redacted.contains("served"), "the access log was captured:\n{redacted}");
    assert!(redacted.contains("rejected JSON body"), "the rejection was logged:\n{redacted}");
    let reached: Vec<_> = SECRETS.iter().filter(|s| raw.contains(**s)).collect();
    assert!(
        reached.len() >= 5,
        "secrets must reach the logger for this test to mean anything; raw log had {reached:?}:\n{raw}"
    );
    for s in SECRETS {
        assert!(!redacted.contains(s), "{s} leaked into the log:\n{redacted}");
    }
}
