//! The account pages and API over HTTP: forms with CSRF, cookies, the session list, 429s.

use rencai_testkit::{TestApp, TestOptions};

fn cheap(s: &mut rencai_app::Settings) {
    s.auth.argon2_memory_kib = 64;
    s.auth.argon2_iterations = 1;
    s.auth.captcha_after_first_send = false;
}

async fn app() -> TestApp {
    TestApp::spawn_with(TestOptions { tweak: Box::new(cheap), ..Default::default() }).await
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn csrf_of(html: &str) -> String {
    let re = regex::Regex::new(r#"name="csrf" value="([^"]+)""#).unwrap();
    re.captures(html).expect("a form with a CSRF token").get(1).unwrap().as_str().to_owned()
}

async fn code_from_outbox(app: &TestApp, phone: &str) -> String {
    rencai_testkit::drain_deliveries(&app.state).await;
    let p = rencai_domain::account::Phone::parse(phone).unwrap();
    let m = rencai_app::providers::sms_outbox::read(app.state.db(), app.state.keys(), Some(&p), 1).await.unwrap();
    m[0].params["code"].clone()
}

/// Registers through the pages and returns the signed-in client.
async fn register(app: &TestApp, phone: &str) -> reqwest::Client {
    let c = browser();
    let html = c.get(app.url("/register")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&html);
    let r = c.post(app.url("/register/code")).form(&[("csrf", csrf.as_str()), ("phone", phone)]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("验证码已发送至"), "{html}");
    assert!(!html.contains(&phone[3..7]) || html.contains(&format!("value=\"{phone}\"")), "shown masked");
    let code = code_from_outbox(app, phone).await;
    let r = c
        .post(app.url("/register"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("phone", phone),
            ("code", code.as_str()),
            ("password", "wanzhou2026"),
            ("birth_date", "1998-03-15"),
            ("role", "seeker"),
            ("accept", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    c
}

#[tokio::test]
async fn register_see_the_account_log_out() {
    let app = app().await;
    let c = register(&app, "13912345678").await;
    let r = c.get(app.url("/me")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store", "pages with personal data are not cached");
    let html = r.text().await.unwrap();
    assert!(html.contains("139****5678") && !html.contains("13912345678"), "the phone number is masked");
    assert!(html.contains("当前设备") && html.contains("同意了隐私政策 v1"));

    // The home page follows the visitor: account entry when signed in, and then not cacheable
    // by shared caches; login and registration entries for everyone else.
    let home = c.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.headers()["cache-control"], "no-store");
    let home = home.text().await.unwrap();
    assert!(home.contains(r#"href="/me""#) && !home.contains(r#"href="/register""#));
    let anon = app.get("/").await;
    assert!(anon.headers()["cache-control"].to_str().unwrap().starts_with("public"));
    let anon = anon.text().await.unwrap();
    assert!(anon.contains(r#"href="/register""#) && !anon.contains(r#"<a href="/me""#));

    let csrf = csrf_of(&html);
    let r = c.post(app.url("/logout")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let r = c.get(app.url("/me")).send().await.unwrap();
    assert_eq!(r.status(), 303, "logged out");
    assert_eq!(r.headers()["location"], "/login");
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_are_refused() {
    let app = app().await;
    let c = browser();
    let r = c.post(app.url("/login")).form(&[("phone", "13912345678"), ("password", "x")]).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("页面已过期"));
    // A token minted for another browser's nonce does not fit this one.
    let other = browser();
    let foreign = csrf_of(&other.get(app.url("/login")).send().await.unwrap().text().await.unwrap());
    c.get(app.url("/login")).send().await.unwrap();
    let r =
        c.post(app.url("/login")).form(&[("csrf", foreign.as_str()), ("phone", "13912345678")]).send().await.unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn the_session_list_ends_other_devices() {
    let app = app().await;
    let phone_client = register(&app, "13912340001").await;
    let laptop = browser();
    let csrf = csrf_of(&laptop.get(app.url("/login")).send().await.unwrap().text().await.unwrap());
    let r = laptop
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("method", "password"),
            ("phone", "139 1234 0001"),
            ("password", "wanzhou2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = laptop.get(app.url("/me")).send().await.unwrap().text().await.unwrap();
    let re = regex::Regex::new(r#"name="session" value="([^"]+)""#).unwrap();
    let ids: Vec<String> = re.captures_iter(&html).map(|c| c[1].to_owned()).collect();
    assert_eq!(ids.len(), 1, "one other device listed with an end button");
    let r = laptop
        .post(app.url("/me/sessions/end"))
        .form(&[("csrf", csrf_of(&html).as_str()), ("session", ids[0].as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(phone_client.get(app.url("/me")).send().await.unwrap().status(), 303, "the other device is signed out");
    assert_eq!(laptop.get(app.url("/me")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn wrong_logins_look_alike_on_every_portal() {
    let app = app().await;
    register(&app, "13912340002").await;
    let c = browser();
    let csrf = csrf_of(&c.get(app.url("/company/login")).send().await.unwrap().text().await.unwrap());
    let mut bodies = Vec::new();
    for (phone, pw) in [("13912340002", "wrongpass1"), ("13912349999", "wanzhou2026")] {
        let r = c
            .post(app.url("/company/login"))
            .form(&[("csrf", csrf.as_str()), ("method", "password"), ("phone", phone), ("password", pw)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let html = r.text().await.unwrap();
        let start = html.find("<div class=\"form-errors\"").unwrap();
        bodies.push(html[start..start + 120].to_owned());
    }
    assert_eq!(bodies[0], bodies[1]);
    let r = c
        .post(app.url("/company/login"))
        .form(&[("csrf", csrf.as_str()), ("method", "password"), ("phone", "13912340002"), ("password", "wanzhou2026")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("求职者登录"), "a seeker is sent to the seeker portal");
}

#[tokio::test]
async fn api_codes_answer_alike_and_refuse_with_retry_after() {
    let app = TestApp::spawn_with(TestOptions {
        tweak: Box::new(|s| {
            cheap(s);
            // Registration itself sends one code; leave room for one more this minute.
            s.auth.sms_limits.per_phone_per_minute = 2;
        }),
        ..Default::default()
    })
    .await;
    register(&app, "13912340003").await;
    let a = app.post_json("/api/v1/auth/codes", &serde_json::json!({"phone": "13912340004", "purpose": "login"})).await;
    assert_eq!(a.status(), 202);
    let b = app
        .post_json("/api/v1/auth/codes", &serde_json::json!({"phone": "+86 139 1234 0003", "purpose": "login"}))
        .await;
    assert_eq!(b.status(), 202);
    assert_eq!(a.text().await.unwrap(), b.text().await.unwrap(), "registered or not, the same answer");
    let r = app.post_json("/api/v1/auth/codes", &serde_json::json!({"phone": "13912340003", "purpose": "login"})).await;
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["code"], "sms.too_soon");
    let r = app.post_json("/api/v1/auth/codes", &serde_json::json!({"phone": "12345", "purpose": "login"})).await;
    assert_eq!(r.status(), 422);
    let captcha: serde_json::Value =
        app.client.post(app.url("/api/v1/captcha")).send().await.unwrap().json().await.unwrap();
    assert!(captcha["image"].as_str().unwrap().starts_with("data:image/svg+xml;base64,"));
}

#[tokio::test]
async fn the_dev_outbox_page_exists_only_when_switched_on() {
    let off = app().await;
    assert_eq!(off.get("/dev/outbox").await.status(), 404);
    let on = TestApp::spawn_with(TestOptions {
        tweak: Box::new(|s| {
            cheap(s);
            s.sms.outbox_page = true;
        }),
        ..Default::default()
    })
    .await;
    on.post_json("/api/v1/auth/codes", &serde_json::json!({"phone": "13912340005", "purpose": "register"})).await;
    rencai_testkit::drain_deliveries(&on.state).await;
    let html = on.get("/dev/outbox").await.text().await.unwrap();
    assert!(html.contains("13912340005") && html.contains("code="));
    assert!(!html.contains("电子邮件发件箱"), "no e-mail yet, no e-mail section");
    // A notice to an account with an address shows in the e-mail and push sections too.
    let seeker = rencai_testkit::market::signed_in(&on, rencai_domain::account::Role::Seeker, "13912340007").await;
    let st = &on.state;
    rencai_store::accounts::set_email(
        st.db().conn(),
        &st.keys().get(),
        seeker.account().id,
        "dev@example.com",
        st.now(),
    )
    .await
    .unwrap();
    let notice = rencai_app::notify::Notice::new(rencai_app::notify::Kind::ChatMessage, "/chat/x", &[]);
    rencai_app::notify::send(st, st.db().conn(), seeker.account().id, &notice).await.unwrap();
    rencai_testkit::drain_deliveries(st).await;
    let html = on.get("/dev/outbox").await.text().await.unwrap();
    assert!(
        html.contains("dev@example.com")
            && html.contains("新的沟通消息 - 万州人才网")
            && html.contains("App 推送发件箱")
    );
}

#[tokio::test]
async fn the_api_signs_apps_in_with_bearer_tokens_and_ignores_cookies() {
    let app = app().await;
    let web = register(&app, "13912340006").await;
    let r = app
        .post_json("/api/v1/auth/token", &serde_json::json!({"phone": "13912340006", "password": "wanzhou2026"}))
        .await;
    assert_eq!(r.status(), 200);
    let t: serde_json::Value = r.json().await.unwrap();
    assert_eq!(t["token_type"], "Bearer");
    let me =
        app.client.get(app.url("/api/v1/me")).bearer_auth(t["access_token"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["phone"], "139****0006");
    assert_eq!(me["role"], "seeker");
    let r = web.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), 401, "a site cookie opens nothing in the API, so no CSRF is possible there");
    let wrong = app
        .post_json("/api/v1/auth/token", &serde_json::json!({"phone": "13912340006", "password": "nope12345"}))
        .await;
    let unknown = app
        .post_json("/api/v1/auth/token", &serde_json::json!({"phone": "13912349999", "password": "nope12345"}))
        .await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(
        wrong.text().await.unwrap().split("\"request_id\"").next(),
        unknown.text().await.unwrap().split("\"request_id\"").next()
    );
    let r = app.post_json("/api/v1/auth/refresh", &serde_json::json!({"refresh_token": t["refresh_token"]})).await;
    assert_eq!(r.status(), 200);
    let r = app.post_json("/api/v1/auth/refresh", &serde_json::json!({"refresh_token": t["refresh_token"]})).await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn the_phone_change_pages_walk_through_both_proofs() {
    let app = app().await;
    let c = register(&app, "13912340007").await;
    let html = c.get(app.url("/me/phone")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("更换手机号") && html.contains("139****0007"));
    let csrf = csrf_of(&html);
    let r = c
        .post(app.url("/me/phone/codes"))
        .form(&[("csrf", csrf.as_str()), ("new_phone", "13912340008"), ("proof", "password")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("当前密码") && html.contains("139****0008"));
    let code = code_from_outbox(&app, "13912340008").await;
    let r = c
        .post(app.url("/me/phone"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("new_phone", "13912340008"),
            ("proof", "password"),
            ("password", "wanzhou2026"),
            ("new_code", code.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = c.get(app.url("/me")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("139****0008"), "the account shows the new number");
}

#[tokio::test]
async fn login_by_code_over_the_pages() {
    let app = app().await;
    register(&app, "13912340010").await;
    let c = browser();
    let html = c.get(app.url("/agency/login?method=code")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"action="/agency/login/code""#), "each portal asks for codes at its own address");
    let html = c.get(app.url("/login?method=code")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&html);
    // Registration sent a code less than a minute ago; the per-minute limit answers for this number.
    let r =
        c.post(app.url("/login/code")).form(&[("csrf", csrf.as_str()), ("phone", "13912340010")]).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("验证码发送太频繁"));
}
