//! Saved searches and job alerts (M7, M11): instant alerts within a minute of a new job, a
//! daily digest once a morning, nothing when nothing is new or alerts are off, and the limits.

use std::sync::Arc;

use chrono::TimeZone;
use rencai_app::market::alerts;
use rencai_app::market::jobs::{self, JobFilters};
use rencai_app::{AppError, FixedClock, notify};
use rencai_domain::account::Role;
use rencai_domain::staff::StaffRole;
use rencai_testkit::market::{job_input, phone, signed_in, staff_member, verified_org};
use rencai_testkit::{TestApp, TestOptions};

fn q(words: &str) -> JobFilters {
    JobFilters { q: Some(words.into()), ..Default::default() }
}

#[tokio::test]
async fn instant_and_daily_alerts_tell_of_new_jobs_once() {
    // 10:00 in Beijing.
    let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()));
    let app = TestApp::spawn_with(TestOptions {
        clock: clock.clone(),
        tweak: Box::new(rencai_testkit::cheap_hashing),
        ..Default::default()
    })
    .await;
    let state = &app.state;
    let company = signed_in(&app, Role::Company, &phone(1)).await;
    verified_org(&app, &company, "万州峡江餐饮有限公司", 1).await;
    let rec = rencai_app::market::actor::require_recruiter(state, company.account()).await.unwrap();
    let (_, moderator) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    let publish = |title: &'static str| {
        let rec = rec.clone();
        let moderator = moderator.clone();
        async move {
            let j = jobs::save(state, &rec, None, None, job_input(title), true).await.unwrap();
            jobs::review(state, &moderator, &j.public_id, true, None).await.unwrap();
        }
    };
    publish("川菜厨师").await; // before any subscription: never alerted
    clock.advance(chrono::Duration::seconds(1));
    let seeker = signed_in(&app, Role::Seeker, &phone(11)).await;
    let me = seeker.account();

    let instant = alerts::save(state, me, &q("会计"), "", "instant").await.unwrap();
    assert_eq!(instant.name, "会计", "named after the keywords");
    assert_eq!(instant.link, "/jobs?q=%E4%BC%9A%E8%AE%A1");
    alerts::save(state, me, &q("面点"), "面点岗位", "daily").await.unwrap();
    let quiet = alerts::save(state, me, &q("司机"), "", "off").await.unwrap();

    let alerts_seen = || async {
        notify::center(state, me.id, 1)
            .await
            .unwrap()
            .0
            .into_iter()
            .filter(|n| n.title.starts_with("职位订阅"))
            .collect::<Vec<_>>()
    };
    clock.advance(chrono::Duration::seconds(5));
    publish("出纳会计").await;
    publish("司机").await;
    assert_eq!(alerts::run_due(state).await.unwrap(), 0, "instant alerts are checked once a minute");
    clock.advance(chrono::Duration::seconds(60));
    assert_eq!(alerts::run_due(state).await.unwrap(), 1);
    let seen = alerts_seen().await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].title, "职位订阅「会计」有1个新职位");
    assert!(seen[0].body.contains("出纳会计"));
    assert!(seen[0].link.starts_with("/jobs?q=%E4%BC%9A%E8%AE%A1"));
    // Nothing new: nothing sent.
    clock.advance(chrono::Duration::seconds(61));
    assert_eq!(alerts::run_due(state).await.unwrap(), 0);

    // The daily digest: not again this morning; tomorrow at 08:00 Beijing, one notice.
    publish("面点厨师").await;
    assert_eq!(alerts::run_due(state).await.unwrap(), 0, "today's digest hour has passed since saving");
    clock.set(chrono::Utc.with_ymd_and_hms(2026, 12, 1, 23, 59, 0).unwrap()); // 07:59 the next day
    assert_eq!(alerts::run_due(state).await.unwrap(), 0);
    clock.set(chrono::Utc.with_ymd_and_hms(2026, 12, 2, 0, 1, 0).unwrap()); // 08:01
    assert_eq!(alerts::run_due(state).await.unwrap(), 1);
    let seen = alerts_seen().await;
    assert_eq!(seen[0].title, "职位订阅「面点岗位」有1个新职位", "{seen:?}");
    clock.advance(chrono::Duration::hours(3));
    assert_eq!(alerts::run_due(state).await.unwrap(), 0, "once a day");

    // Off means off; switching on starts from then, not from the beginning.
    alerts::set_frequency(state, me, &quiet.public_id, "instant").await.unwrap();
    clock.advance(chrono::Duration::seconds(61));
    assert_eq!(alerts::run_due(state).await.unwrap(), 0, "the driver job came while alerts were off");
    assert!(alerts_seen().await.iter().all(|n| !n.title.contains("司机")));
}

#[tokio::test]
async fn saved_searches_are_checked_limited_and_private() {
    let app = TestApp::spawn_cheap(|_| {}).await;
    let state = &app.state;
    let seeker = signed_in(&app, Role::Seeker, &phone(11)).await;
    let me = seeker.account();
    let bad = JobFilters { district: Some("mars".into()), ..Default::default() };
    assert!(matches!(alerts::save(state, me, &bad, "", "daily").await.unwrap_err(), AppError::Validation { .. }));
    assert!(matches!(
        alerts::save(state, me, &q("会计"), "", "hourly").await.unwrap_err(),
        AppError::Validation { .. }
    ));
    alerts::save(state, me, &q("会计"), "", "daily").await.unwrap();
    let again = alerts::save(state, me, &q("会计"), "别的名字", "instant").await.unwrap_err();
    assert!(matches!(again, AppError::Conflict { code: "alert.exists", .. }));
    for i in 1..alerts::MAX_PER_ACCOUNT {
        alerts::save(state, me, &q(&format!("关键词{i}")), "", "off").await.unwrap();
    }
    let full = alerts::save(state, me, &q("再来一个"), "", "off").await.unwrap_err();
    assert!(matches!(full, AppError::Conflict { code: "alert.too_many", .. }));

    // Someone else's saved search is not found; recruiters have none.
    let other = signed_in(&app, Role::Seeker, &phone(12)).await;
    let mine = alerts::list(state, me).await.unwrap();
    assert!(matches!(
        alerts::delete(state, other.account(), &mine[0].public_id).await.unwrap_err(),
        AppError::NotFound { .. }
    ));
    assert_eq!(alerts::list(state, me).await.unwrap().len(), 10);
    let company = signed_in(&app, Role::Company, &phone(1)).await;
    assert!(matches!(alerts::list(state, company.account()).await.unwrap_err(), AppError::Forbidden { .. }));

    // The pages: subscribe from the list, change, delete.
    let (_, html) = other.page("/jobs?q=%E4%BC%9A%E8%AE%A1").await;
    assert!(html.contains("/me/alerts/new?q=%E4%BC%9A%E8%AE%A1"), "the list offers the subscription");
    let (s, html) = other.page("/me/alerts/new?q=%E4%BC%9A%E8%AE%A1&district=").await;
    assert_eq!(s, 200);
    assert!(html.contains("订阅这个搜索") && html.contains("value=\"会计\""));
    let res = other.post("/me/alerts", &[("q", "会计"), ("name", ""), ("frequency", "daily")]).await;
    assert_eq!(res.status(), 303);
    let id = alerts::list(state, other.account()).await.unwrap()[0].public_id.clone();
    assert_eq!(other.post(&format!("/me/alerts/{id}/frequency"), &[("frequency", "instant")]).await.status(), 303);
    assert_eq!(alerts::list(state, other.account()).await.unwrap()[0].frequency, alerts::Frequency::Instant);
    assert_eq!(seeker.post(&format!("/me/alerts/{id}/delete"), &[]).await.status(), 404, "not the other seeker's");
    assert_eq!(other.post(&format!("/me/alerts/{id}/delete"), &[]).await.status(), 303);
    assert!(alerts::list(state, other.account()).await.unwrap().is_empty());
    // The API.
    let res = other
        .api_post(
            "/api/v1/me/saved-searches",
            &serde_json::json!({"name": "", "frequency": "daily", "filters": {"q": "司机"}}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let list: serde_json::Value = other.api_get("/api/v1/me/saved-searches").await.json().await.unwrap();
    assert_eq!(list[0]["name"], "司机");
}
