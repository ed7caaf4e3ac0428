//! Bad input gets a clear 4xx with a stable code, changes nothing, and never a 500.

use rencai_testkit::TestApp;

async fn snapshot(app: &TestApp) -> (u64, u64, u64) {
    let conn = app.state.db().conn();
    let accounts = rencai_store::accounts::count(conn).await.unwrap();
    // Counted directly: a reader on PostgreSQL may lag behind writers elsewhere in the cluster.
    let changes = rencai_store::changelog::count(conn).await.unwrap();
    let audit = rencai_store::audit::count(conn).await.unwrap();
    (accounts, changes, audit)
}

#[tokio::test]
async fn malformed_bodies_each_get_their_code_and_change_nothing() {
    let app = TestApp::spawn_with(rencai_testkit::TestOptions { load_demo: true, ..Default::default() }).await;
    let before = snapshot(&app).await;
    let path = "/api/v1/geo/district";
    let big = format!(r#"{{"lat": 30.8, "lng": 108.4, "pad": "{}"}}"#, "x".repeat(200_000));
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("application/json", br#"{"lat": 30.8, "lng": "#.to_vec(), 400, "request.malformed_json"),
        ("application/json", b"not json at all".to_vec(), 400, "request.malformed_json"),
        ("application/json", br#"{"lat": 30.8, "lng": 108.4} {}"#.to_vec(), 400, "request.malformed_json"),
        ("application/json", b"{\"lat\": \"\xff\xfe\", \"lng\": 1}".to_vec(), 400, "request.invalid_utf8"),
        ("application/json", big.into_bytes(), 413, "request.too_large"),
        ("application/json", br#"{"lat": true, "lng": 108.4}"#.to_vec(), 422, "request.invalid_fields"),
        ("application/json", br#"{"lat": 30.8}"#.to_vec(), 422, "request.invalid_fields"),
        ("application/json", br#"{"lat": 30.8, "lng": 108.4, "admin": true}"#.to_vec(), 422, "request.invalid_fields"),
        ("application/json", b"[]".to_vec(), 422, "request.invalid_fields"),
        ("application/json", b"".to_vec(), 400, "request.malformed_json"),
        ("text/plain", br#"{"lat": 30.8, "lng": 108.4}"#.to_vec(), 415, "request.unsupported_media_type"),
        ("application/x-www-form-urlencoded", b"lat=30.8&lng=108.4".to_vec(), 415, "request.unsupported_media_type"),
    ];
    for (ct, body, status, code) in cases {
        let r = app.post_raw(path, ct, body.clone()).await;
        assert_eq!(r.status().as_u16(), status, "{ct} {:?}", String::from_utf8_lossy(&body[..body.len().min(60)]));
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["code"], code);
        assert!(!v["detail"].as_str().unwrap().is_empty());
        if status == 422 {
            assert!(v["errors"][0]["field"].is_string(), "field errors name the field: {v}");
        }
    }
    let r = app.post_raw(path, "application/json", br#"{"lat": 30.8, "lng": 108.4, "admin": true}"#.to_vec()).await;
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["errors"][0]["field"], "admin");
    assert_eq!(v["errors"][0]["code"], "unknown_field");
    assert_eq!(snapshot(&app).await, before, "nothing changed");
}

#[tokio::test]
async fn bad_query_strings_on_pages_get_a_zh_error_page() {
    let app = TestApp::spawn().await;
    for q in ["/privacy?version=%FF%FE", "/terms?surprise=1", "/privacy?version=v1&version=v2"] {
        let r = app.get(q).await;
        assert_eq!(r.status(), 400, "{q}");
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let html = r.text().await.unwrap();
        assert!(html.contains("请求有误") && html.contains("地址中的参数有误"), "{q}");
    }
}
