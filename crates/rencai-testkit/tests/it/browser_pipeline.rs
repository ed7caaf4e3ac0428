//! The hiring pipeline and chat in two headless Chromium sessions at once: a seeker applies, the
//! recruiter invites to an interview, the seeker accepts, they chat in real time (each message
//! appears in the other browser without a reload), and the seeker sees the next status change.
//! SQLite only (the module name contains `browser`).

use fantoccini::Client;
use fantoccini::Locator::{Css, XPath};
use rencai_app::auth::sessions::SessionKind;
use rencai_app::market::{actor, jobs, resumes};
use rencai_domain::account::Role;
use rencai_domain::staff::StaffRole;
use rencai_testkit::TestApp;
use rencai_testkit::browser::{Browser, click, console_errors, sign_in, type_into, wait_for_text};
use rencai_testkit::market::{job_input, phone, resume_content, signed_in, staff_member, verified_org};

/// Types into the chat box and sends with the keyboard user's button.
async fn say(c: &Client, words: &str) {
    type_into(c, "chat-text", words).await;
    click(c, "#chat-form button[type=submit]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_a_seeker_applies_is_invited_they_chat_live_and_the_seeker_sees_the_offer() {
    let app = TestApp::spawn_cheap(|_| {}).await;
    let state = &app.state;
    let recruiter = signed_in(&app, Role::Company, &phone(1)).await;
    verified_org(&app, &recruiter, "万州峡江餐饮有限公司", 1).await;
    let (_, moderator) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    let rec = actor::require_recruiter(state, recruiter.account()).await.unwrap();
    let job = jobs::save(state, &rec, None, None, job_input("川菜厨师"), true).await.unwrap().public_id;
    jobs::review(state, &moderator, &job, true, None).await.unwrap();
    let seeker = signed_in(&app, Role::Seeker, &phone(11)).await;
    let r = resumes::save(state, seeker.account(), None, &resume_content("李秀英"), None).await.unwrap();
    resumes::set_visibility(state, seeker.account(), &r.public_id, "public", true).await.unwrap();

    let s_browser = Browser::start().await;
    let r_browser = Browser::start().await;
    let s = &s_browser.client;
    let c = &r_browser.client;
    sign_in(s, &app, seeker.account().id, SessionKind::Web).await;
    sign_in(c, &app, recruiter.account().id, SessionKind::Web).await;

    // The seeker applies from the job page.
    s.goto(&app.url(&format!("/jobs/{job}"))).await.unwrap();
    click(s, "form[action$='/apply'] button[type=submit]").await;
    wait_for_text(s, "你已投递该职位").await;

    // The recruiter finds it, opens it (the seeker's side now reads 已查看) and invites.
    c.goto(&app.url("/company/applications")).await.unwrap();
    wait_for_text(c, "李秀英").await;
    click(c, ".app-line-head a").await;
    wait_for_text(c, "发送面试邀请").await;
    let when = (state.now() + chrono::Duration::days(2))
        .with_timezone(&rencai_domain::time::china())
        .format("%Y-%m-%dT10:30")
        .to_string();
    // A datetime-local field takes its value as the browser's picker would set it.
    c.execute("document.getElementById('iv-time').value = arguments[0];", vec![serde_json::json!(when)]).await.unwrap();
    r_browser.screenshot("pipeline-recruiter-invite").await;
    click(c, "form[action='/company/applications/invite'] button[type=submit]").await;
    wait_for_text(c, "待确认").await;

    // The seeker sees the invitation in the notification center and accepts it.
    s.goto(&app.url("/me/notifications")).await.unwrap();
    wait_for_text(s, "面试邀请").await;
    s.goto(&app.url("/me/applications")).await.unwrap();
    wait_for_text(s, "邀请面试").await;
    click(s, ".app-line-head a").await;
    wait_for_text(s, "接受面试").await;
    s_browser.screenshot("pipeline-seeker-invitation").await;
    click(s, "button[value=accept]").await;
    wait_for_text(s, "已接受").await;

    // They chat: the seeker starts from the job page, the recruiter opens the same conversation.
    s.goto(&app.url(&format!("/jobs/{job}"))).await.unwrap();
    click(s, "form[action='/chat/start'] button[type=submit]").await;
    wait_for_text(s, "chat-log").await;
    let chat_url = s.current_url().await.unwrap().to_string();
    let path = chat_url.trim_start_matches(&app.base).to_string();
    c.goto(&app.url(&path)).await.unwrap();
    wait_for_text(c, "chat-log").await;
    // Give both pages' sockets a moment to say hello.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    say(s, "您好，我接受面试，请问需要带什么？").await;
    wait_for_text(c, "我接受面试").await;
    say(c, "带上身份证和健康证即可").await;
    wait_for_text(s, "带上身份证和健康证即可").await;
    // Sent through the socket: the seeker's page did not reload, and each message shows once.
    assert_eq!(s.current_url().await.unwrap().to_string(), chat_url);
    let shown = s.find_all(Css("#chat-log .chat-msg")).await.unwrap().len();
    assert_eq!(shown, 2, "one bubble per message");
    s_browser.screenshot("pipeline-seeker-chat").await;
    r_browser.screenshot("pipeline-recruiter-chat").await;

    // The recruiter makes an offer; the seeker's application page says so.
    c.goto(&app.url("/company/applications")).await.unwrap();
    click(c, ".app-line-head a").await;
    wait_for_text(c, "发录用通知").await;
    click(c, "button[value=offer]").await;
    wait_for_text(c, "已发录用通知").await;
    s.goto(&app.url("/me/applications")).await.unwrap();
    wait_for_text(s, "已发录用通知").await;
    let badge = s.find(XPath("//span[contains(@class,'stage-offered')]")).await.unwrap().text().await.unwrap();
    assert_eq!(badge, "已发录用通知");

    let errors = console_errors(&s_browser, &[]).await;
    assert!(errors.is_empty(), "seeker console: {errors:?}");
    let errors = console_errors(&r_browser, &[]).await;
    assert!(errors.is_empty(), "recruiter console: {errors:?}");
    s_browser.close().await;
    r_browser.close().await;
}
