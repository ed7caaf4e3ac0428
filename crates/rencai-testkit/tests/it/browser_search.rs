//! Job search in headless Chromium on the demo data: words, a filter chosen by the count the
//! opened panel fetched, a sort, the next page — the result count shown at each step; and the
//! nearby page loads its script under the CSP. SQLite only (the module name contains `browser`).

use std::time::{Duration, Instant};

use fantoccini::Client;
use fantoccini::Locator::Css;
use rencai_testkit::browser::Browser;
use rencai_testkit::{TestApp, TestOptions};

/// The number in the result line ("“厨师”共找到 12 个职位").
async fn result_count(c: &Client) -> u64 {
    let text = c.find(Css("p.result-count")).await.unwrap().text().await.unwrap();
    let digits: String = text.split("共").nth(1).unwrap_or_default().chars().filter(|c| c.is_ascii_digit()).collect();
    digits.parse().unwrap_or_else(|_| panic!("no count in {text:?}"))
}

async fn wait_for_url(c: &Client, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !c.current_url().await.unwrap().as_str().contains(needle) {
        assert!(Instant::now() < deadline, "never reached a URL with {needle}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Monthly pay at the top of a card's range ("5000-8000元/月" → 8000, "8000-1.2万/月" → 12000;
/// 面议 → 0).
fn top_pay(label: &str) -> u32 {
    let top = label.rsplit('-').next().unwrap_or_default().trim_end_matches("/月").trim_end_matches('元');
    match top.strip_suffix('万') {
        Some(w) => w.parse::<f64>().map(|v| (v * 10_000.0).round() as u32).unwrap_or(0),
        None => top.parse().unwrap_or(0),
    }
}

#[tokio::test]
async fn browser_a_visitor_searches_filters_sorts_and_pages_with_counts_shown() {
    let app = TestApp::spawn_with(TestOptions {
        load_demo: true,
        tweak: Box::new(rencai_testkit::cheap_hashing),
        ..Default::default()
    })
    .await;
    let browser = Browser::start().await;
    let c = &browser.client;

    // Words: the count is shown and matches are marked.
    c.goto(&app.url("/jobs")).await.unwrap();
    let all = result_count(c).await;
    assert!(all >= 30, "the demo's published jobs are listed ({all})");
    let q = c.find(Css("#q")).await.unwrap();
    q.send_keys("服务员").await.unwrap();
    c.find(Css(".filter-q button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_url(c, "q=").await;
    let found = result_count(c).await;
    assert!(found > 0 && found < all, "{found} of {all}");
    assert!(!c.find_all(Css(".job-card h3 mark")).await.unwrap().is_empty(), "matched words are marked");
    browser.screenshot("search-words").await;

    // A filter chosen by its count narrows to exactly that count.
    c.goto(&app.url("/jobs")).await.unwrap();
    // Without a filter set, the panel starts closed (results first on a phone); open it.
    let details = c.find(Css("details.filter-more")).await.unwrap();
    assert!(details.attr("open").await.unwrap().is_none(), "closed until a filter is set");
    c.find(Css("details.filter-more summary")).await.unwrap().click().await.unwrap();
    // Opening the panel fetches the counts by value; the page itself never waits for them.
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Css("details.filter-more[data-counted]"))
        .await
        .expect("the panel shows its counts once opened");
    let options = c.find_all(Css("select[name=district] option")).await.unwrap();
    let mut pick = None;
    for o in options {
        let label = o.text().await.unwrap();
        let n: u64 = label.rsplit('（').next().unwrap_or_default().trim_end_matches('）').parse().unwrap_or(0);
        if n > 0 && n < all {
            pick = Some((o.attr("value").await.unwrap().unwrap(), n));
            break;
        }
    }
    let (district, n) = pick.expect("a district with jobs in it");
    c.find(Css("select[name=district]")).await.unwrap().select_by_value(&district).await.unwrap();
    c.find(Css("select[name=sort]")).await.unwrap().select_by_value("salary").await.unwrap();
    c.find(Css(".filter-q button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_url(c, "district=").await;
    assert_eq!(result_count(c).await, n, "the filter keeps exactly what its option counted");
    let mut pays = Vec::new();
    for s in c.find_all(Css(".job-card .salary")).await.unwrap() {
        pays.push(top_pay(&s.text().await.unwrap()));
    }
    assert!(pays.windows(2).all(|w| w[0] >= w[1]), "highest pay first: {pays:?}");

    // The next page keeps the filters and the count.
    c.goto(&app.url("/jobs?per_page=10")).await.unwrap();
    let first: Vec<String> = {
        let mut v = Vec::new();
        for a in c.find_all(Css(".job-card h3 a")).await.unwrap() {
            v.push(a.attr("href").await.unwrap().unwrap());
        }
        v
    };
    c.find(Css("a[rel=next]")).await.unwrap().click().await.unwrap();
    wait_for_url(c, "page=2").await;
    assert_eq!(result_count(c).await, all);
    for a in c.find_all(Css(".job-card h3 a")).await.unwrap() {
        assert!(!first.contains(&a.attr("href").await.unwrap().unwrap()), "page 2 repeats nothing of page 1");
    }

    // Nearby: the page and its script load under the CSP, with no console error.
    c.goto(&app.url("/nearby")).await.unwrap();
    assert!(c.find(Css("#locate")).await.is_ok());
    browser.screenshot("nearby").await;
    let severe: Vec<_> = browser.console().await.into_iter().filter(|e| e.level == "SEVERE").collect();
    assert!(severe.is_empty(), "{severe:?}");
    browser.close().await;
}
