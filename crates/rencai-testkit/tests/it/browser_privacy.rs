//! The privacy center in headless Chromium: a seeker exports their data, switches
//! personalization off, deactivates and cannot log in again; staff publish a material policy
//! change and another user must re-accept before going on. SQLite only (`browser` in the name).

use fantoccini::Locator::Css;
use rencai_app::auth::sessions::SessionKind;
use rencai_app::market::resumes;
use rencai_domain::account::{Password, Role};
use rencai_domain::staff::StaffRole;
use rencai_testkit::TestApp;
use rencai_testkit::browser::{Browser, click, sign_in, type_into, wait_for_text};
use rencai_testkit::market::{phone, resume_content, signed_in, staff_member};

const PASSWORD: &str = "mima2026abc";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_a_seeker_exports_switches_personalization_off_and_deactivates() {
    let app = TestApp::spawn_cheap(|_| {}).await;
    let state = &app.state;
    let seeker = signed_in(&app, Role::Seeker, &phone(11)).await;
    let hash = state.passwords().hash(&Password::parse(PASSWORD).unwrap()).await.unwrap();
    rencai_store::auth::set_password(state.db().conn(), seeker.account().id, &hash, state.now()).await.unwrap();
    let r = resumes::save(state, seeker.account(), None, &resume_content("李秀英"), None).await.unwrap();
    resumes::set_visibility(state, seeker.account(), &r.public_id, "public", true).await.unwrap();

    let browser = Browser::start().await;
    let c = &browser.client;
    sign_in(c, &app, seeker.account().id, SessionKind::Web).await;
    c.goto(&app.url("/me/privacy")).await.unwrap();
    wait_for_text(c, "我们保存的你的信息").await;
    browser.screenshot("privacy-center").await;

    // Export: ask, wait for it to be ready, download once.
    click(c, "form[action='/me/privacy/exports'] button[type=submit]").await;
    let mut html = String::new();
    for _ in 0..50 {
        c.goto(&app.url("/me/privacy")).await.unwrap();
        html = c.source().await.unwrap();
        // The ready export's download form, not the section's explanation (which also says 可下载).
        if html.contains("/download\"") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(html.contains("<span class=\"badge\">可下载</span>"), "the export became ready: {html}");
    click(c, "form[action$='/download'] button[type=submit]").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    c.goto(&app.url("/me/privacy")).await.unwrap();
    wait_for_text(c, "已下载").await;

    // Personalization off, at once.
    c.goto(&app.url("/me/privacy")).await.unwrap();
    click(c, "form[action='/me/privacy/personalization'] button[type=submit]").await;
    wait_for_text(c, "已关闭").await;

    // Deactivate: the page says what goes and what stays; the password confirms.
    c.goto(&app.url("/me/privacy/deactivate")).await.unwrap();
    wait_for_text(c, "依法保留").await;
    browser.screenshot("privacy-deactivate").await;
    type_into(c, "password", PASSWORD).await;
    click(c, "input[name=understood]").await;
    click(c, "form[action='/me/privacy/deactivate'] button[type=submit]").await;
    wait_for_text(c, "账号已注销").await;

    // Signed out everywhere, and the password no longer opens the account.
    c.goto(&app.url("/me")).await.unwrap();
    wait_for_text(c, "登录").await;
    assert!(c.current_url().await.unwrap().path().starts_with("/login"));
    c.goto(&app.url("/login")).await.unwrap();
    type_into(c, "phone", &phone(11)).await;
    type_into(c, "password", PASSWORD).await;
    click(c, "form[action='/login'] button[type=submit]").await;
    let page = wait_for_text(c, "错误").await;
    assert!(!page.contains("退出登录"));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_staff_publish_a_material_change_and_a_user_must_reaccept() {
    let app = TestApp::spawn_cheap(|_| {}).await;
    let user = signed_in(&app, Role::Seeker, &phone(12)).await;
    let (dpo, _) = staff_member(&app, StaffRole::DataProtectionOfficer, &phone(901)).await;

    let staff_browser = Browser::start().await;
    let s = &staff_browser.client;
    sign_in(s, &app, dpo.account().id, SessionKind::Admin).await;
    s.goto(&app.url("/admin/legal")).await.unwrap();
    wait_for_text(s, "发布新版本").await;
    type_into(s, "version", "v2").await;
    type_into(s, "title", "隐私政策").await;
    click(s, "input[name=change][value=material]").await;
    type_into(s, "summary", "新增个性化推荐一节：说明如何使用求职意向，以及如何关闭。").await;
    type_into(
        s,
        "text",
        "## 一、我们收集的信息\n\n我们只收集提供服务所必需的信息。\n\n## 二、个性化推荐\n\n- 依据求职意向推荐职位\n- 可以随时关闭",
    )
    .await;
    staff_browser.screenshot("admin-legal-publish").await;
    click(s, "form[action='/admin/legal'] button[type=submit]").await;
    wait_for_text(s, "已发布 v2").await;
    staff_browser.close().await;

    let browser = Browser::start().await;
    let c = &browser.client;
    sign_in(c, &app, user.account().id, SessionKind::Web).await;
    c.goto(&app.url("/me/applications")).await.unwrap();
    wait_for_text(c, "请阅读更新后的条款").await;
    assert!(c.current_url().await.unwrap().path().starts_with("/legal/accept"));
    browser.screenshot("legal-reaccept").await;
    c.find(Css("input[name=agree]")).await.unwrap().click().await.unwrap();
    click(c, "form[action='/legal/accept'] button[type=submit]").await;
    wait_for_text(c, "我的投递").await;
    assert_eq!(c.current_url().await.unwrap().path(), "/me/applications");
    browser.close().await;
}
