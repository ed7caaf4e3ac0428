//! Headless Chromium: pages load without console errors (CSP violations, missing assets,
//! script errors would all show there). SQLite only.

use rencai_testkit::TestApp;
use rencai_testkit::browser::{Browser, ConsoleEntry};

/// Waits (up to five seconds) until the page's source satisfies `cond`: a click on a submit
/// button returns before the next page has loaded.
async fn wait_for_page(c: &fantoccini::Client, cond: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let html = c.source().await.unwrap_or_default();
        if cond(&html) || std::time::Instant::now() > deadline {
            return html;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Console errors since the last call, except those `expected` accepts.
async fn errors(browser: &Browser, expected: impl Fn(&ConsoleEntry) -> bool) -> Vec<ConsoleEntry> {
    browser.console().await.into_iter().filter(|e| e.level == "SEVERE" && !expected(e)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_error_and_docs_pages_load_without_console_errors() {
    let app = TestApp::spawn().await;
    let browser = Browser::start().await;
    let c = &browser.client;

    c.goto(&app.url("/")).await.unwrap();
    assert!(c.title().await.unwrap().contains("万州人才网"));
    let h1 = c.find(fantoccini::Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert!(h1.contains("万州"), "{h1}");
    browser.screenshot("home").await;
    let found = errors(&browser, |_| false).await;
    assert!(found.is_empty(), "console errors on the home page: {found:?}");

    c.goto(&app.url("/privacy")).await.unwrap();
    browser.screenshot("privacy").await;
    let found = errors(&browser, |_| false).await;
    assert!(found.is_empty(), "console errors on the privacy page: {found:?}");

    let missing = app.url("/no/such/page");
    c.goto(&missing).await.unwrap();
    let h1 = c.find(fantoccini::Locator::Css("h1")).await.unwrap().text().await.unwrap();
    assert_eq!(h1, "页面不存在");
    browser.screenshot("not-found").await;
    // Chromium reports the 404 of the document itself; anything else is an error of ours.
    let found = errors(&browser, |e| e.message.contains(&missing) && e.message.contains("404")).await;
    assert!(found.is_empty(), "console errors on the error page: {found:?}");

    c.goto(&app.url("/api/docs/")).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    browser.screenshot("api-docs").await;
    let found = errors(&browser, |_| false).await;
    assert!(found.is_empty(), "console errors on the API docs: {found:?}");

    browser.close().await;
}

/// A seeker registers with the code from the dev outbox, logs out, logs in again, sees their
/// sessions and ends the other one — all in headless Chromium, without JavaScript on our side.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seeker_registers_logs_out_logs_in_and_ends_a_session() {
    use fantoccini::Locator::{Css, Id};
    let app = TestApp::spawn_with(rencai_testkit::TestOptions {
        tweak: Box::new(|s| {
            s.auth.argon2_memory_kib = 64;
            s.auth.argon2_iterations = 1;
        }),
        ..Default::default()
    })
    .await;
    let browser = Browser::start().await;
    let c = &browser.client;
    let phone = "13687654321";

    c.goto(&app.url("/register")).await.unwrap();
    c.find(Id("phone")).await.unwrap().send_keys(phone).await.unwrap();
    browser.screenshot("register-1").await;
    c.find(Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
    assert!(wait_for_page(c, |h| h.contains("验证码已发送至")).await.contains("验证码已发送至"));

    rencai_testkit::drain_deliveries(&app.state).await;
    let p = rencai_domain::account::Phone::parse(phone).unwrap();
    let code = rencai_app::providers::sms_outbox::read(app.state.db(), app.state.keys(), Some(&p), 1).await.unwrap()[0]
        .params["code"]
        .clone();
    c.find(Id("code")).await.unwrap().send_keys(&code).await.unwrap();
    c.find(Id("password")).await.unwrap().send_keys("wanzhou2026").await.unwrap();
    c.execute("document.getElementById('birth_date').value = '1998-03-15'", vec![]).await.unwrap();
    // The stylesheet scrolls smoothly, so a WebDriver click could land mid-scroll; tick the box
    // the way a keyboard user would: focus it and press space.
    let accept = c.find(Css("input[name=accept]")).await.unwrap();
    accept.send_keys(" ").await.unwrap();
    assert_eq!(accept.prop("checked").await.unwrap().as_deref(), Some("true"));
    browser.screenshot("register-2").await;
    c.find(Css("form[action='/register'] button[type=submit]")).await.unwrap().click().await.unwrap();

    let html = wait_for_page(c, |h| h.contains("<h1>我的账号</h1>")).await;
    assert!(html.contains("<h1>我的账号</h1>"), "{html}");
    assert!(html.contains("136****4321"));
    browser.screenshot("me").await;

    c.find(Css("form[action='/logout'] button")).await.unwrap().click().await.unwrap();
    wait_for_page(c, |h| !h.contains("<h1>我的账号</h1>")).await;
    c.goto(&app.url("/me")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().ends_with("/login"), "logged out, sent to log in");
    browser.screenshot("login").await;

    c.find(Id("phone")).await.unwrap().send_keys(phone).await.unwrap();
    c.find(Id("password")).await.unwrap().send_keys("wanzhou2026").await.unwrap();
    c.find(Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
    assert!(wait_for_page(c, |h| h.contains("<h1>我的账号</h1>")).await.contains("<h1>我的账号</h1>"));

    // A second device signs in; the browser ends it from its session list.
    let other = rencai_app::auth::register::login(
        &app.state,
        phone,
        rencai_app::auth::register::Proof::Password("wanzhou2026".into()),
        rencai_app::auth::register::Portal::Seeker,
        "192.0.2.1".parse().unwrap(),
        "Firefox · Linux",
    )
    .await
    .unwrap();
    c.refresh().await.unwrap();
    assert!(c.source().await.unwrap().contains("Firefox · Linux"));
    c.find(Css(".session-list form button")).await.unwrap().click().await.unwrap();
    assert!(!wait_for_page(c, |h| !h.contains("Firefox · Linux")).await.contains("Firefox · Linux"));
    assert!(
        rencai_app::auth::sessions::authenticate(
            &app.state,
            &other.token,
            rencai_app::auth::sessions::SessionKind::Web
        )
        .await
        .unwrap()
        .is_none()
    );

    let found = errors(&browser, |_| false).await;
    assert!(found.is_empty(), "console errors in the account pages: {found:?}");
    browser.close().await;
}

/// A staff member signs in to the back office with password and a TOTP code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_sign_in_with_totp() {
    use fantoccini::Locator::{Css, Id};
    let app = TestApp::spawn_with(rencai_testkit::TestOptions {
        tweak: Box::new(|s| {
            s.auth.argon2_memory_kib = 64;
            s.auth.argon2_iterations = 1;
        }),
        ..Default::default()
    })
    .await;
    let admin = rencai_app::auth::staff::create(
        &app.state,
        None,
        "13011112222",
        "houtai2026",
        rencai_domain::staff::StaffRole::Administrator,
    )
    .await
    .unwrap();
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&app.url("/admin")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().ends_with("/admin/login"));
    c.find(Id("phone")).await.unwrap().send_keys("13011112222").await.unwrap();
    c.find(Id("password")).await.unwrap().send_keys("houtai2026").await.unwrap();
    let code = rencai_crypto::totp::code_at(&admin.totp, chrono::Utc::now().timestamp() as u64);
    c.find(Id("totp")).await.unwrap().send_keys(&code).await.unwrap();
    browser.screenshot("admin-login").await;
    c.find(Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
    let html = wait_for_page(c, |h| h.contains("你的权限")).await;
    assert!(html.contains("管理员") && html.contains("管理工作人员"), "{html}");
    browser.screenshot("admin-home").await;
    let found = errors(&browser, |_| false).await;
    assert!(found.is_empty(), "console errors in the back office: {found:?}");
    browser.close().await;
}
