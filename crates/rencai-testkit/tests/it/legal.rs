//! Policy versions (P3): staff publish; a material change holds every account back — pages and
//! API — until it accepts, except reading, logging out, exporting and deactivating; a minor
//! change only tells (banner, notice); acceptance history is kept.

use std::sync::Arc;

use rencai_app::clock::FixedClock;
use rencai_domain::account::Role;
use rencai_domain::staff::StaffRole;
use rencai_testkit::market::{Visitor, phone, signed_in, staff_member};
use rencai_testkit::{TestApp, TestOptions};

/// A site a month after the bundled texts took effect.
async fn site() -> (TestApp, Arc<FixedClock>) {
    let at = chrono::DateTime::parse_from_rfc3339("2027-01-05T02:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let clock = Arc::new(FixedClock::new(at));
    let app = TestApp::spawn_with(TestOptions {
        clock: clock.clone(),
        tweak: Box::new(rencai_testkit::cheap_hashing),
        ..Default::default()
    })
    .await;
    (app, clock)
}

fn v2_form<'a>(change: &'a str, version: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "privacy"),
        ("version", version),
        ("title", "隐私政策"),
        ("change", change),
        ("effective_at", ""),
        ("summary", "新增“个性化推荐”一节，说明我们如何使用你的求职意向，以及如何关闭。"),
        (
            "text",
            "## 一、我们收集的信息\n\n我们只收集提供招聘求职服务所必需的信息。\n\n## 二、个性化推荐\n\n- 依据你简历中的求职意向推荐职位\n- 你可以在隐私中心随时关闭\n\n关闭后你看到的内容与未登录访客相同，基本功能不受影响。",
        ),
    ]
}

async fn notices(app: &TestApp, v: &Visitor) -> Vec<String> {
    for _ in 0..100 {
        let (list, _) = rencai_app::notify::center(&app.state, v.account().id, 1).await.unwrap();
        if !list.is_empty() {
            return list.into_iter().map(|n| format!("{} {}", n.title, n.body)).collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    Vec::new()
}

#[tokio::test]
async fn a_material_change_holds_every_account_back_until_it_accepts() {
    let (app, _clock) = site().await;
    let seeker = signed_in(&app, Role::Seeker, &phone(1)).await;
    let app_user = signed_in(&app, Role::Company, &phone(2)).await;
    assert_eq!(seeker.page("/me/applications").await.0, 200, "no change yet: nothing held back");

    // Only staff with the permission publish; the moderator is refused and nothing changes.
    let (moderator, _) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    assert_eq!(moderator.post("/admin/legal", &v2_form("material", "v2")).await.status(), 403);
    assert_eq!(seeker.page("/me/applications").await.0, 200);
    let (dpo, _) = staff_member(&app, StaffRole::DataProtectionOfficer, &phone(901)).await;
    let r = dpo.post("/admin/legal", &v2_form("material", "v2")).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("已发布 v2"));

    // Pages: held back, sent to the acceptance page with the way back.
    let r = seeker.get("/me/applications").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/legal/accept?next=%2Fme%2Fapplications");
    // Reading, the privacy center (export, deactivation) stay open.
    assert_eq!(seeker.page("/jobs").await.0, 200);
    assert_eq!(seeker.page("/privacy").await.0, 200);
    assert_eq!(seeker.page("/me/privacy").await.0, 200);
    assert_eq!(seeker.post("/me/privacy/exports", &[]).await.status(), 303);
    assert_eq!(seeker.page("/me/privacy/deactivate").await.0, 200);

    // The acceptance page says what changed; consent needs the box and the versions shown.
    let (status, page) = seeker.page("/legal/accept?next=%2Fme%2Fapplications").await;
    assert_eq!(status, 200);
    assert!(page.contains("个性化推荐") && page.contains("v2"), "{page}");
    let r = seeker
        .post("/legal/accept", &[("privacy_version", "v2"), ("terms_version", "v1"), ("next", "/me/applications")])
        .await;
    assert_eq!(r.status(), 422);
    let r = seeker
        .post(
            "/legal/accept",
            &[("privacy_version", "v1"), ("terms_version", "v1"), ("next", "/me/applications"), ("agree", "1")],
        )
        .await;
    assert_eq!(r.status(), 409, "an outdated version shown cannot be accepted");
    let r = seeker
        .post(
            "/legal/accept",
            &[("privacy_version", "v2"), ("terms_version", "v1"), ("next", "https://evil.example/"), ("agree", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/", "never sent off-site");
    assert_eq!(seeker.page("/me/applications").await.0, 200);

    // The API: a stable code until the app accepts; the exempt endpoints work meanwhile.
    let r = app_user.api_get("/api/v1/me/notifications").await;
    assert_eq!(r.status(), 403);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["code"], "legal.reaccept_required");
    assert_eq!(app_user.api_get("/api/v1/me").await.status(), 200);
    assert_eq!(app_user.api_get("/api/v1/me/privacy").await.status(), 200);
    let r = app_user
        .api_post("/api/v1/legal/accept", &serde_json::json!({ "privacy_version": "v2", "terms_version": "v1" }))
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(app_user.api_get("/api/v1/me/notifications").await.status(), 200);

    // History: both acceptances are on record, and the change was announced.
    let o: serde_json::Value = seeker.api_get("/api/v1/me/privacy").await.json().await.unwrap();
    let versions: Vec<&str> =
        o["consents"].as_array().unwrap().iter().map(|c| c["privacy_version"].as_str().unwrap()).collect();
    assert_eq!(versions, ["v2", "v1"]);
    let told = notices(&app, &seeker).await;
    assert!(told.iter().any(|n| n.contains("隐私政策更新为 v2") && n.contains("重新阅读并同意")), "{told:?}");
}

#[tokio::test]
async fn a_minor_change_only_tells_and_a_version_is_published_once() {
    let (app, clock) = site().await;
    let seeker = signed_in(&app, Role::Seeker, &phone(1)).await;
    let (dpo, _) = staff_member(&app, StaffRole::DataProtectionOfficer, &phone(901)).await;

    // Bad input: each field explained, nothing published.
    let bad =
        [("kind", "cookies"), ("version", "2.0"), ("title", ""), ("change", "huge"), ("summary", ""), ("text", "短")];
    let r = dpo.post("/admin/legal", &bad).await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    for msg in ["请选择隐私政策或用户协议", "版本号形如", "请填写标题", "重大变更或一般变更", "正文太短"]
    {
        assert!(body.contains(msg), "missing {msg}");
    }
    let mut past = v2_form("minor", "v2");
    past[4] = ("effective_at", "2020-01-01T00:00");
    assert_eq!(dpo.post("/admin/legal", &past).await.status(), 422, "no effective date in the past");
    assert_eq!(
        rencai_app::legal::versions(&app.state, rencai_store::legal::LegalKind::Privacy).await.unwrap().len(),
        1
    );

    // A script in the text is shown as text.
    let mut form = v2_form("minor", "v2");
    let text =
        "## 说明\n\n<script>alert(1)</script> 这一版只调整了措辞，没有改变我们处理你的个人信息的方式，也没有新增用途。";
    form[6] = ("text", text);
    assert_eq!(dpo.post("/admin/legal", &form).await.status(), 200);
    assert_eq!(dpo.post("/admin/legal", &form).await.status(), 409, "a version number is used once");
    let html = app.get("/privacy").await.text().await.unwrap();
    assert!(html.contains("&lt;script&gt;") && !html.contains("<script>alert"));

    // Minor: nothing held back; signed-in pages carry the banner; everyone is told.
    let (status, page) = seeker.page("/me/applications").await;
    assert_eq!(status, 200);
    assert!(page.contains("更新为 v2"), "the banner");
    let told = notices(&app, &seeker).await;
    assert!(told.iter().any(|n| n.contains("v2") && n.contains("无需操作")), "{told:?}");
    // The banner goes after a month.
    clock.advance(chrono::Duration::days(31));
    assert!(!seeker.page("/me/applications").await.1.contains("更新为 v2"));
}
