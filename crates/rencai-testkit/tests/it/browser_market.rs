//! The marketplace in headless Chromium: a company registers, is verified, has a job refused by
//! a posting rule and fixed, and a visitor finds it; a seeker hides a resume from recruiters; a
//! recruiter unlocks a resume and the seeker sees the disclosure. The same flows as `market.rs`,
//! through the real forms. SQLite only (the module name contains `browser`).
//!
//! Accounts are made directly and handed to the browser as a session cookie (sign-in has its own
//! browser test). The back office has a cookie of its own, so one browser can hold a company's
//! session and a staff member's at once; switching between seeker and recruiter replaces the
//! site cookie.

use fantoccini::Client;
use fantoccini::Locator::{Css, Id, XPath};
use rencai_app::auth::sessions::SessionKind;
use rencai_app::market::{jobs, resumes};
use rencai_domain::account::Role;
use rencai_domain::staff::StaffRole;
use rencai_testkit::browser::{Browser, click, console_errors, sign_in, type_into, wait_for_page, wait_for_text};
use rencai_testkit::market::{credit_code, phone, resume_content, signed_in, verified_org};
use rencai_testkit::{TestApp, TestOptions};

const COMPANY: &str = "万州峡江餐饮有限公司";

async fn app() -> TestApp {
    TestApp::spawn_with(TestOptions {
        tweak: Box::new(|s| {
            s.auth.argon2_memory_kib = 64;
            s.auth.argon2_iterations = 1;
        }),
        ..Default::default()
    })
    .await
}

/// Forgets every cookie: the browser is an anonymous visitor again.
async fn sign_out(c: &Client, app: &TestApp) {
    c.goto(&app.url("/robots.txt")).await.unwrap();
    c.delete_all_cookies().await.unwrap();
}

/// The rendered text of the first element matching `css`, as a person sees it.
async fn text(c: &Client, css: &str) -> String {
    c.find(Css(css)).await.unwrap_or_else(|e| panic!("no element {css}: {e}")).text().await.unwrap()
}

/// The visible text of the page's main content.
async fn main_text(c: &Client) -> String {
    text(c, "main").await
}

/// Chooses the option with `value` in the select with id `id`.
async fn choose(c: &Client, id: &str, value: &str) {
    let select = c.find(Id(id)).await.unwrap_or_else(|e| panic!("no select #{id}: {e}"));
    select.select_by_value(value).await.unwrap_or_else(|e| panic!("no option {value} in #{id}: {e}"));
    assert_eq!(select.prop("value").await.unwrap().as_deref(), Some(value), "#{id} chosen");
}

/// Ticks a checkbox the way a keyboard user would (focus, space), as the other browser tests do.
async fn tick(c: &Client, css: &str) {
    let b = c.find(Css(css)).await.unwrap_or_else(|e| panic!("no checkbox {css}: {e}"));
    b.send_keys(" ").await.unwrap();
    assert_eq!(b.prop("checked").await.unwrap().as_deref(), Some("true"), "{css} ticked");
}

/// The resume unlocks the company has used, "used / granted", as its company center shows them.
async fn unlocks_used(c: &Client, app: &TestApp) -> String {
    c.goto(&app.url("/company")).await.unwrap();
    c.find(XPath("//dt[.='简历下载数']/following-sibling::dd")).await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_company_registers_is_verified_posts_a_refused_job_fixes_it_and_a_visitor_finds_it() {
    let app = app().await;
    let company = signed_in(&app, Role::Company, &phone(1)).await;
    let staff = rencai_app::auth::staff::create(&app.state, None, &phone(900), "staffpass2026", StaffRole::Moderator)
        .await
        .unwrap();
    let browser = Browser::start().await;
    let c = &browser.client;
    let code = credit_code(7);

    // First visit: the company center asks for the profile and the pledge.
    sign_in(c, &app, company.account().id, SessionKind::Web).await;
    c.goto(&app.url("/company")).await.unwrap();
    assert_eq!(text(c, "main h1").await, "登记企业信息");
    let page = main_text(c).await;
    assert!(page.contains("统一社会信用代码") && page.contains("诚信承诺书"), "{page}");
    type_into(c, "name", COMPANY).await;
    type_into(c, "credit_code", &code).await;
    choose(c, "industry", "hospitality").await;
    choose(c, "size", "20-99").await;
    choose(c, "ownership", "private").await;
    choose(c, "district", "wz-gaosuntang").await;
    type_into(c, "address", "万州区高笋塘街道北山大道88号").await;
    type_into(c, "intro", "本地餐饮企业，经营川菜与烤鱼。").await;
    type_into(c, "contact_name", "王经理").await;
    tick(c, "input[name='pledge']").await;
    browser.screenshot("market-company-profile").await;
    click(c, "form[action='/company/profile'] button[type=submit]").await;

    wait_for_text(c, "action=\"/company/verify\"").await;
    assert_eq!(text(c, "main h1").await, "企业中心");
    let page = main_text(c).await;
    assert!(page.contains(COMPANY) && page.contains(&code) && page.contains("未认证"), "{page}");
    click(c, "form[action='/company/verify'] button[type=submit]").await;
    wait_for_text(c, "认证审核中").await;
    let page = main_text(c).await;
    assert!(page.contains("审核中") && !page.contains("提交认证"), "{page}");

    // A moderator approves it in the back office (its own cookie, in the same browser).
    let rec = rencai_app::market::actor::require_recruiter(&app.state, company.account()).await.unwrap();
    sign_in(c, &app, staff.account.id, SessionKind::Admin).await;
    c.goto(&app.url("/admin/companies")).await.unwrap();
    let page = main_text(c).await;
    assert!(page.contains(COMPANY) && page.contains(&code) && page.contains("王经理"), "{page}");
    click(c, &format!("form[action='/admin/companies/{}/review'] button[value='approve']", rec.org.public_id)).await;
    wait_for_text(c, "没有待审核的单位。").await;
    assert!(main_text(c).await.contains("已处理。"));

    c.goto(&app.url("/company")).await.unwrap();
    let page = main_text(c).await;
    assert!(page.contains("已认证") && page.contains("查看公开主页") && !page.contains("提交认证"), "{page}");

    // The recruiter passes the real-name check.
    type_into(c, "rn-name", "王建国").await;
    type_into(c, "rn-id", &rencai_testkit::market::id_number()).await;
    click(c, "form[action='/company/realname'] button[type='submit']").await;
    wait_for_text(c, "你已通过实名核验").await;

    // A job demanding a deposit is refused, naming the rule, and the form keeps what was typed.
    c.goto(&app.url("/company/jobs/new")).await.unwrap();
    assert_eq!(text(c, "main h1").await, "发布职位");
    type_into(c, "title", "川菜厨师").await;
    choose(c, "category", "catering-chef").await;
    choose(c, "industry", "hospitality").await;
    choose(c, "district", "wz-gaosuntang").await;
    type_into(c, "address", "万州区高笋塘街道北山大道88号").await;
    type_into(c, "salary_min", "5000").await;
    type_into(c, "salary_max", "8000").await;
    choose(c, "education", "any").await;
    choose(c, "experience", "1-3").await;
    choose(c, "job_type", "full-time").await;
    type_into(c, "headcount", "2").await;
    tick(c, "input[name='benefits'][value='meals']").await;
    tick(c, "input[name='benefits'][value='social-insurance']").await;
    type_into(c, "description", "负责热菜出品，入职需交押金300元，工装自理。保证菜品口味稳定。").await;
    type_into(c, "contact_name", "王经理").await;
    type_into(c, "contact_phone", "13812345678").await;
    click(c, "button[name='action'][value='submit']").await;

    wait_for_text(c, "禁止向求职者收费").await;
    let errors = text(c, ".form-errors").await;
    assert!(errors.contains("禁止向求职者收费") && errors.contains("需交押金300元"), "{errors}");
    assert_eq!(c.find(Id("title")).await.unwrap().prop("value").await.unwrap().as_deref(), Some("川菜厨师"));
    let kept = c.find(Css("input[name='benefits'][value='meals']")).await.unwrap().prop("checked").await.unwrap();
    assert_eq!(kept.as_deref(), Some("true"), "the benefits stay ticked");
    browser.screenshot("market-job-refused").await;
    assert_eq!(jobs::own_list(&app.state, &rec, None, None).await.unwrap().total, 0, "nothing stored");

    type_into(c, "description", "负责热菜的烹饪与出品，保证菜品口味稳定；协助厨师长管理食材库存与厨房卫生。").await;
    click(c, "button[name='action'][value='submit']").await;
    wait_for_page(c, "the company center", |h| h.contains("<h1>企业中心</h1>")).await;
    let page = main_text(c).await;
    assert!(page.contains("川菜厨师") && page.contains("待审核"), "{page}");
    let list = jobs::own_list(&app.state, &rec, None, None).await.unwrap();
    assert_eq!(list.total, 1);
    let job_id = list.items[0].public_id.clone();

    // The moderator approves the job.
    c.goto(&app.url("/admin/jobs")).await.unwrap();
    let page = main_text(c).await;
    assert!(page.contains("川菜厨师") && page.contains(COMPANY) && page.contains("13812345678"), "{page}");
    click(c, &format!("form[action='/admin/jobs/{job_id}/review'] button[value='approve']")).await;
    wait_for_text(c, "没有待审核的职位。").await;

    c.goto(&app.url("/company")).await.unwrap();
    let page = main_text(c).await;
    assert!(page.contains("川菜厨师") && page.contains("招聘中"), "{page}");
    browser.screenshot("market-company-center").await;

    // An anonymous visitor searches for it, finds it and opens it; its contact stays hidden.
    sign_out(c, &app).await;
    c.goto(&app.url("/jobs")).await.unwrap();
    c.find(Id("q")).await.unwrap().send_keys("川菜厨师").await.unwrap();
    click(c, "form[role='search'] button[type=submit]").await;
    // The form sends every filter, the empty ones too ("salary_min=" among them).
    let html = wait_for_page(c, "the search result", |h| {
        h.contains("value=\"川菜厨师\"") || h.contains("class=\"error-page\"")
    })
    .await;
    assert!(
        !html.contains("class=\"error-page\""),
        "the job list refused its own search form ({}): {}",
        c.current_url().await.unwrap(),
        main_text(c).await
    );
    let page = main_text(c).await;
    assert!(
        page.contains("“川菜厨师”共找到 1 个职位") && page.contains("川菜厨师") && page.contains(COMPANY),
        "{page}"
    );
    assert!(page.contains("已认证"), "{page}");
    click(c, &format!(".job-card a[href='/jobs/{job_id}']")).await;
    wait_for_text(c, "投递简历后可查看联系人与电话").await;
    assert_eq!(c.current_url().await.unwrap().path(), format!("/jobs/{job_id}"));
    assert_eq!(text(c, "main h1").await, "川菜厨师");
    let page = main_text(c).await;
    assert!(page.contains(COMPANY) && page.contains("协助厨师长管理食材库存与厨房卫生"), "{page}");
    assert!(page.contains("登录后投递") && !page.contains("13812345678"), "{page}");
    browser.screenshot("market-job-page").await;

    let found = console_errors(&browser, &[(app.url("/company/jobs"), 422)]).await;
    assert!(found.is_empty(), "console errors in the company and job pages: {found:?}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seeker_hides_a_resume_and_a_recruiter_can_no_longer_reach_it() {
    let app = app().await;
    let recruiter = signed_in(&app, Role::Company, &phone(1)).await;
    verified_org(&app, &recruiter, COMPANY, 1).await;
    let seeker = signed_in(&app, Role::Seeker, &phone(2)).await;
    let r = resumes::save(&app.state, seeker.account(), None, &resume_content("李秀英"), None).await.unwrap();
    resumes::set_visibility(&app.state, seeker.account(), &r.public_id, "public", true).await.unwrap();
    let id = r.public_id.clone();
    let browser = Browser::start().await;
    let c = &browser.client;

    // The recruiter finds it, masked.
    sign_in(c, &app, recruiter.account().id, SessionKind::Web).await;
    c.goto(&app.url("/resumes")).await.unwrap();
    let page = main_text(c).await;
    assert!(page.contains("李女士 · 厨师求职简历") && !page.contains("李秀英"), "{page}");
    c.find(Css(&format!("a[href='/resumes/{id}']"))).await.expect("the resume is listed");
    c.goto(&app.url(&format!("/resumes/{id}"))).await.unwrap();
    assert!(text(c, "main h1").await.contains("李女士"));
    let page = main_text(c).await;
    assert!(page.contains("139****0002") && !page.contains("13900000002"), "{page}");

    // The seeker hides it.
    sign_in(c, &app, seeker.account().id, SessionKind::Web).await;
    c.goto(&app.url("/me/resumes")).await.unwrap();
    let form_css = format!("form[action='/me/resumes/{id}/visibility']");
    let select = c.find(Css(&format!("{form_css} select[name='visibility']"))).await.unwrap();
    assert_eq!(select.prop("value").await.unwrap().as_deref(), Some("public"));
    select.select_by_label("隐藏").await.unwrap();
    assert_eq!(select.prop("value").await.unwrap().as_deref(), Some("hidden"));
    browser.screenshot("market-resume-hiding").await;
    click(c, &format!("{form_css} button[type=submit]")).await;
    wait_for_text(c, "已保存。").await;
    assert_eq!(text(c, ".resume-card .badge").await, "隐藏");
    let select = c.find(Css(&format!("{form_css} select[name='visibility']"))).await.unwrap();
    assert_eq!(select.prop("value").await.unwrap().as_deref(), Some("hidden"), "the choice is kept");

    // The recruiter no longer finds it, nor opens it by its address: 404, not 403.
    sign_in(c, &app, recruiter.account().id, SessionKind::Web).await;
    c.goto(&app.url("/resumes")).await.unwrap();
    let page = main_text(c).await;
    assert!(
        page.contains("共 0 份简历") && page.contains("没有符合条件的简历。") && !page.contains("李女士"),
        "{page}"
    );
    assert!(c.find_all(Css(&format!("a[href='/resumes/{id}']"))).await.unwrap().is_empty());
    let hidden = app.url(&format!("/resumes/{id}"));
    c.goto(&hidden).await.unwrap();
    assert_eq!(text(c, "main h1").await, "页面不存在");
    let page = main_text(c).await;
    assert!(page.contains("404") && page.contains("该简历不存在") && !page.contains("李女士"), "{page}");
    browser.screenshot("market-resume-hidden").await;

    let found = console_errors(&browser, &[(hidden, 404)]).await;
    assert!(found.is_empty(), "console errors in the resume pages: {found:?}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unlock_spends_quota_and_the_seeker_sees_it() {
    let app = app().await;
    let recruiter = signed_in(&app, Role::Company, &phone(1)).await;
    verified_org(&app, &recruiter, COMPANY, 1).await;
    let seeker = signed_in(&app, Role::Seeker, &phone(2)).await;
    let r = resumes::save(&app.state, seeker.account(), None, &resume_content("张伟"), None).await.unwrap();
    resumes::set_visibility(&app.state, seeker.account(), &r.public_id, "public", true).await.unwrap();
    let id = r.public_id.clone();
    let unlocks = app.state.settings().market.free_resume_unlocks;
    let browser = Browser::start().await;
    let c = &browser.client;

    // Masked, with the free unlocks on the button.
    sign_in(c, &app, recruiter.account().id, SessionKind::Web).await;
    assert_eq!(unlocks_used(c, &app).await, format!("0 / {unlocks}"));
    c.goto(&app.url(&format!("/resumes/{id}"))).await.unwrap();
    assert!(text(c, "main h1").await.contains("张女士"));
    let page = main_text(c).await;
    assert!(!page.contains("张伟") && page.contains("139****0002") && !page.contains("13900000002"), "{page}");
    let unlock = format!("form[action='/resumes/{id}/unlock'] button[type=submit]");
    assert_eq!(text(c, &unlock).await, format!("下载联系方式（剩余 {unlocks} 次）"));
    assert_eq!(unlocks, 3, "the default free unlocks");

    // Unlocking shows the full name and phone, now and on the next visit, and spends one unit.
    click(c, &unlock).await;
    wait_for_text(c, "已下载，本单位的招聘者都可以看到完整联系方式。").await;
    assert!(text(c, "main h1").await.contains("张伟"));
    let page = main_text(c).await;
    assert!(page.contains("13900000002") && !page.contains("下载联系方式（"), "{page}");
    browser.screenshot("market-resume-unlocked").await;
    c.goto(&app.url(&format!("/resumes/{id}"))).await.unwrap();
    let page = main_text(c).await;
    assert!(page.contains("张伟") && page.contains("13900000002") && !page.contains("下载联系方式（"), "{page}");
    assert_eq!(unlocks_used(c, &app).await, format!("1 / {unlocks}"), "one unit spent, once");

    // The seeker sees the view, the unlock and the disclosure.
    sign_in(c, &app, seeker.account().id, SessionKind::Web).await;
    c.goto(&app.url("/me/viewers")).await.unwrap();
    let views = text(c, "section[aria-labelledby='views-title']").await;
    assert!(views.contains(COMPANY) && views.contains("下载了联系方式") && views.contains("查看了"), "{views}");
    let disclosures = c.find_all(Css("section[aria-labelledby='disc-title'] tbody tr")).await.unwrap();
    assert_eq!(disclosures.len(), 1, "one disclosure");
    let line = disclosures[0].text().await.unwrap();
    assert!(line.contains(COMPANY) && line.contains("简历《厨师求职简历》的联系方式"), "{line}");
    assert!(main_text(c).await.contains("个人信息提供记录"));
    browser.screenshot("market-viewers").await;

    let found = console_errors(&browser, &[]).await;
    assert!(found.is_empty(), "console errors in the resume pages: {found:?}");
    browser.close().await;
}
