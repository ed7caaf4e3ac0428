//! Headless Chromium: pages load without console errors (CSP violations, missing assets,
//! script errors would all show there). SQLite only.

use rencai_testkit::TestApp;
use rencai_testkit::browser::{Browser, ConsoleEntry};

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
