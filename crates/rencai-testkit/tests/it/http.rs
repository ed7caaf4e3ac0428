//! Every route answers as it should, with the headers every response must carry.

use rencai_testkit::{TestApp, TestOptions};

fn header<'a>(r: &'a reqwest::Response, name: &str) -> &'a str {
    r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

fn assert_security_headers(r: &reqwest::Response) {
    let csp = header(r, "content-security-policy");
    assert!(csp.contains("script-src 'self'") && !csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(header(r, "x-content-type-options"), "nosniff");
    assert_eq!(header(r, "referrer-policy"), "strict-origin-when-cross-origin");
    assert!(!header(r, "x-request-id").is_empty());
}

#[tokio::test]
async fn home_page_shows_the_station_real_counts_and_category_links() {
    let app = TestApp::spawn().await;
    let r = app.get("/").await;
    assert_eq!(r.status(), 200);
    assert_security_headers(&r);
    assert!(header(&r, "content-type").starts_with("text/html"));
    assert!(header(&r, "strict-transport-security").is_empty(), "no HSTS over plain HTTP");
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("万州人才网") && html.contains("高笋塘街道"));
    assert!(html.contains("0 个在招职位"), "the job count is the real one (none yet)");
    assert!(html.contains("href=\"/jobs?category=catering\""), "categories link to the filtered list");
    assert!(html.contains("演示站点"), "demo mode says so");
    assert!(!html.contains("<script"), "no inline or external script on the page");
    assert!(html.contains("/static/site.css?v="));
}

#[tokio::test]
async fn footer_shows_configured_licence_numbers_and_production_hides_the_demo_notice() {
    let app = TestApp::spawn_with(TestOptions {
        mode: rencai_app::config::Mode::Production,
        tweak: Box::new(|s| {
            s.site.hr_licence = Some("渝人社许字〔2026〕第0001号".into());
            s.site.icp = Some("渝ICP备2026000001号".into());
            s.site.police_beian = Some("渝公网安备50010102000001号".into());
            s.server.public_url = Some("https://www.example.cn".into());
        }),
        ..Default::default()
    })
    .await;
    let r = app.get("/").await;
    assert!(header(&r, "strict-transport-security").contains("max-age="), "HSTS when served over TLS");
    let html = r.text().await.unwrap();
    assert!(html.contains("人力资源服务许可证：渝人社许字〔2026〕第0001号"));
    assert!(html.contains("渝ICP备2026000001号") && html.contains("https://beian.miit.gov.cn/"));
    assert!(html.contains("渝公网安备50010102000001号"));
    assert!(!html.contains("演示站点"));
    let sitemap = app.get("/sitemap.xml").await.text().await.unwrap();
    assert!(sitemap.contains("<loc>https://www.example.cn/privacy</loc>"));
}

#[tokio::test]
async fn privacy_and_terms_show_the_current_versions() {
    let app = TestApp::spawn().await;
    for (path, title) in [("/privacy", "隐私政策"), ("/terms", "用户协议")] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_security_headers(&r);
        let html = r.text().await.unwrap();
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{path}");
        assert!(html.contains("版本 v1"), "{path}");
        assert!(html.contains("<h2>"), "{path}: the text itself is rendered as HTML");
        let v1 = app.get(&format!("{path}?version=v1")).await;
        assert_eq!(v1.status(), 200);
        let missing = app.get(&format!("{path}?version=v9")).await;
        assert_eq!(missing.status(), 404);
        assert!(missing.text().await.unwrap().contains("没有这个版本"));
    }
}

#[tokio::test]
async fn a_new_policy_version_becomes_current_and_the_old_one_stays_readable() {
    let app = TestApp::spawn().await;
    let now = app.state.now();
    rencai_store::legal::publish_if_missing(
        app.state.db().conn(),
        &rencai_store::legal::NewLegalDocument {
            kind: rencai_store::legal::LegalKind::Privacy,
            version: "v2",
            title: "隐私政策",
            material: false,
            body_html: "<h2>一、第二版</h2><p>新的说明。</p>",
            effective_at: now - chrono::Duration::minutes(1),
            change_summary: None,
        },
        now,
    )
    .await
    .unwrap();
    let html = app.get("/privacy").await.text().await.unwrap();
    assert!(html.contains("版本 v2") && html.contains("新的说明"));
    assert!(html.contains("?version=v1"), "older versions are listed");
    let old = app.get("/privacy?version=v1").await.text().await.unwrap();
    assert!(old.contains("这是历史版本"));
    let api: serde_json::Value = app.get("/api/v1/legal/privacy").await.json().await.unwrap();
    assert_eq!(api["version"], "v2");
}

#[tokio::test]
async fn health_robots_sitemap_assets() {
    let app = TestApp::spawn().await;
    let r = app.get("/healthz").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["status"], "ok");

    let robots = app.get("/robots.txt").await.text().await.unwrap();
    assert!(robots.contains("Disallow: /api/") && robots.contains("Disallow: /me/"));

    let r = app.get("/sitemap.xml").await;
    assert!(header(&r, "content-type").starts_with("application/xml"));
    assert!(r.text().await.unwrap().contains("<urlset"));

    let r = app.get("/static/site.css").await;
    assert_eq!(r.status(), 200);
    assert!(header(&r, "cache-control").contains("immutable"));
    assert!(r.text().await.unwrap().contains(".site-header"));
    let r = app.get("/favicon.svg").await;
    assert_eq!(header(&r, "content-type"), "image/svg+xml");
}

#[tokio::test]
async fn health_reports_an_unreachable_database() {
    let app = TestApp::spawn().await;
    app.state.db().clone().close().await.unwrap();
    let r = app.get("/healthz").await;
    assert_eq!(r.status(), 503);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["status"], "database_unavailable", "monitors get JSON");
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/taxonomies/industry").await;
    app.get("/no/such/page").await;
    let r = app.get("/metrics").await;
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    assert!(body.contains(r#"route="/api/v1/taxonomies/{kind}""#), "{body}");
    assert!(body.contains(r#"route="unmatched""#));
    assert!(!body.contains("/no/such/page"), "URLs never become label values");
    assert!(body.contains("rencai_database_up 1"));
    assert!(body.contains("rencai_http_request_duration_seconds_bucket"));
}

/// X-Forwarded-For is believed only from configured proxies: the metrics endpoint (loopback
/// only) sees a forwarded remote client as remote, and ignores the header from anyone else.
#[tokio::test]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    let trusting = TestApp::spawn_with(TestOptions {
        tweak: Box::new(|s| s.server.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]),
        ..Default::default()
    })
    .await;
    let r =
        trusting.client.get(trusting.url("/metrics")).header("x-forwarded-for", "203.0.113.5").send().await.unwrap();
    assert_eq!(r.status(), 403);
    let plain = TestApp::spawn().await;
    let r = plain.client.get(plain.url("/metrics")).header("x-forwarded-for", "203.0.113.5").send().await.unwrap();
    assert_eq!(r.status(), 200, "a header from an untrusted peer changes nothing");
}

#[tokio::test]
async fn taxonomies_api_lists_every_kind_with_stable_codes() {
    let app = TestApp::spawn().await;
    let r = app.get("/api/v1/taxonomies").await;
    assert_eq!(r.status(), 200);
    assert!(header(&r, "cache-control").starts_with("public"));
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["station"]["name"], "万州");
    let districts = v["districts"].as_array().unwrap();
    assert!(districts.len() >= 40);
    assert!(
        districts
            .iter()
            .all(|d| d["lat"].is_f64() && d["lng"].is_f64() && d["code"].as_str().unwrap().starts_with("wz-"))
    );
    for key in [
        "industries",
        "job_categories",
        "education_levels",
        "experience_levels",
        "job_types",
        "salary_bands",
        "benefits",
    ] {
        assert!(!v[key].as_array().unwrap().is_empty(), "{key}");
    }
    let cats = v["job_categories"].as_array().unwrap();
    assert!(cats.iter().any(|c| c["parent"].is_string()), "job categories have two levels");

    let one: serde_json::Value = app.get("/api/v1/taxonomies/education").await.json().await.unwrap();
    assert_eq!(one["page"], 1);
    assert_eq!(one["total"], one["items"].as_array().unwrap().len());
    assert_eq!(one["items"][0]["code"], "any");

    let r = app.get("/api/v1/taxonomies/planets").await;
    assert_eq!(r.status(), 404);
    assert_eq!(header(&r, "content-type"), "application/problem+json");
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["code"], "taxonomy.unknown_kind");
}

#[tokio::test]
async fn a_point_finds_its_district_and_is_never_kept() {
    let app = TestApp::spawn().await;
    let r = app.post_json("/api/v1/geo/district", &serde_json::json!({"lat": 30.8078, "lng": 108.4089})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "cache-control"), "no-store", "answers derived from a location are not cached");
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(v["district"]["code"].as_str().unwrap().starts_with("wz-"));
    assert_eq!(v["distance_m"].as_u64().unwrap() % 100, 0, "distance is rounded");

    let far = app.post_json("/api/v1/geo/district", &serde_json::json!({"lat": 39.9, "lng": 116.4})).await;
    assert_eq!(far.status(), 404);
    assert_eq!(far.json::<serde_json::Value>().await.unwrap()["code"], "geo.outside_station");

    let bad = app.post_json("/api/v1/geo/district", &serde_json::json!({"lat": 95.0, "lng": 108.4})).await;
    assert_eq!(bad.status(), 422);
    let v: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(v["code"], "geo.invalid_point");
    assert_eq!(v["errors"][0]["field"], "lat");

    let get = app.get("/api/v1/geo/district?lat=30.8&lng=108.4").await;
    assert_eq!(get.status(), 405, "a point is never accepted in a URL");
}

#[tokio::test]
async fn legal_api_serves_the_texts() {
    let app = TestApp::spawn().await;
    for kind in ["privacy", "terms"] {
        let v: serde_json::Value = app.get(&format!("/api/v1/legal/{kind}")).await.json().await.unwrap();
        assert_eq!(v["kind"], kind);
        assert_eq!(v["version"], "v1");
        assert!(v["body_html"].as_str().unwrap().contains("<h2>"));
    }
    assert_eq!(app.get("/api/v1/legal/cookies").await.status(), 404);
}

#[tokio::test]
async fn unknown_pages_and_methods_get_friendly_errors_in_the_right_shape() {
    let app = TestApp::spawn().await;
    let r = app.get("/no/such/page").await;
    assert_eq!(r.status(), 404);
    assert_security_headers(&r);
    assert_eq!(header(&r, "cache-control"), "no-store");
    let id = header(&r, "x-request-id").to_string();
    let html = r.text().await.unwrap();
    assert!(html.contains("页面不存在") && html.contains("返回首页"));
    assert!(html.contains(&id), "the page shows the request id");

    let r = app.get("/api/v1/nothing-here").await;
    assert_eq!(r.status(), 404);
    assert_eq!(header(&r, "content-type"), "application/problem+json");
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["code"], "route.not_found");
    assert_eq!(v["status"], 404);

    // A form post carrying a valid CSRF token to a page that takes none.
    let browser = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let html = browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let r = browser.post(app.url("/privacy")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert!(r.text().await.unwrap().contains("请求方式不对"));
    let r = app.client.delete(app.url("/api/v1/taxonomies")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["code"], "request.method_not_allowed");
}

#[tokio::test]
async fn api_docs_are_served_from_the_binary() {
    let app = TestApp::spawn().await;
    let r = app.get("/api/docs/").await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("swagger"));
    let spec: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
}
