//! Behaviour for personalization (P8): recorded only while personalization is on, turned into
//! interest tags a person sees and deletes, used for suggestions with a reason, gone after the
//! retention period, forgotten when switched off.

use std::sync::Arc;

use rencai_app::behaviour;
use rencai_app::clock::FixedClock;
use rencai_app::market::{actor, jobs};
use rencai_app::privacy::retention;
use rencai_domain::account::Role;
use rencai_domain::staff::StaffRole;
use rencai_testkit::market::{job_input, phone, signed_in, staff_member, verified_org};
use rencai_testkit::{TestApp, TestOptions};

/// Two published jobs of the catering-chef category, from a verified restaurant.
async fn two_chef_jobs(app: &TestApp) -> Vec<String> {
    let state = &app.state;
    let recruiter = signed_in(app, Role::Company, &phone(1)).await;
    verified_org(app, &recruiter, "万州峡江餐饮有限公司", 1).await;
    let (_, moderator) = staff_member(app, StaffRole::Moderator, &phone(900)).await;
    let rec = actor::require_recruiter(state, recruiter.account()).await.unwrap();
    let mut ids = Vec::new();
    for title in ["川菜厨师", "火锅厨师"] {
        let id = jobs::save(state, &rec, None, None, job_input(title), true).await.unwrap().public_id;
        jobs::review(state, &moderator, &id, true, None).await.unwrap();
        ids.push(id);
    }
    ids
}

#[tokio::test]
async fn browsing_makes_interest_tags_that_suggest_jobs_and_can_be_deleted_or_switched_off() {
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let app = TestApp::spawn_with(TestOptions {
        clock: clock.clone(),
        tweak: Box::new(rencai_testkit::cheap_hashing),
        ..Default::default()
    })
    .await;
    let state = &app.state;
    let chef_jobs = two_chef_jobs(&app).await;
    // A seeker without a resume: nothing to suggest from yet.
    let seeker = signed_in(&app, Role::Seeker, &phone(11)).await;
    assert!(!seeker.page("/").await.1.contains("为你推荐"));

    // Two job pages and a search make the category a tag; its suggestions say why.
    for id in &chef_jobs {
        assert_eq!(seeker.page(&format!("/jobs/{id}")).await.0, 200);
    }
    assert_eq!(seeker.page("/jobs?q=%E5%8E%A8%E5%B8%88").await.0, 200);
    let tags = behaviour::tags(state, seeker.account()).await.unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].code, "catering-chef");
    assert_eq!(tags[0].evidence, 2);
    let (_, home) = seeker.page("/").await;
    assert!(home.contains("为你推荐") && home.contains("你最近浏览"), "suggestions from behaviour, with the reason");
    let (_, center) = seeker.page("/me/privacy").await;
    assert!(center.contains(&tags[0].name), "the center shows the tag");

    // The search words are sealed at rest.
    let conn = state.db().conn();
    use rencai_store::ConnectionTrait;
    let row = conn
        .query_one_raw(rencai_store::raw(
            conn.get_database_backend(),
            "SELECT keyword_sealed FROM behaviour_events WHERE kind = 'search'",
            [],
        ))
        .await
        .unwrap()
        .unwrap();
    let sealed: String = row.try_get("", "keyword_sealed").unwrap();
    assert!(!sealed.contains("厨师"));

    // Deleting the tag forgets it and its suggestions.
    let r = seeker.post("/me/privacy/tags/delete", &[("code", "catering-chef")]).await;
    assert_eq!(r.status(), 303);
    assert!(behaviour::tags(state, seeker.account()).await.unwrap().is_empty());
    assert!(!seeker.page("/").await.1.contains("为你推荐"));

    // Switched off: nothing is recorded and nothing kept.
    for id in &chef_jobs {
        seeker.page(&format!("/jobs/{id}")).await;
    }
    assert_eq!(behaviour::tags(state, seeker.account()).await.unwrap().len(), 1);
    assert_eq!(seeker.post("/me/privacy/personalization", &[("on", "0")]).await.status(), 303);
    assert!(behaviour::tags(state, seeker.account()).await.unwrap().is_empty());
    for id in &chef_jobs {
        seeker.page(&format!("/jobs/{id}")).await;
    }
    assert!(behaviour::tags(state, seeker.account()).await.unwrap().is_empty());

    // Back on, events age out with the retention period.
    assert_eq!(seeker.post("/me/privacy/personalization", &[("on", "1")]).await.status(), 303);
    for id in &chef_jobs {
        seeker.page(&format!("/jobs/{id}")).await;
    }
    assert_eq!(behaviour::tags(state, seeker.account()).await.unwrap().len(), 1);
    clock.advance(chrono::Duration::days(i64::from(state.settings().privacy.behaviour_days) + 1));
    let report = retention::run(state, |_, _| {}).await.unwrap();
    assert!(report.expired.iter().any(|(t, n)| *t == "behaviour_events" && *n == 2), "{report:?}");
}

/// An app's job pages and searches count like the site's, and only while personalization is on.
#[tokio::test]
async fn the_apps_views_and_searches_count_only_while_personalization_is_on() {
    let app = TestApp::spawn_cheap(|_| {}).await;
    let state = &app.state;
    let chef_jobs = two_chef_jobs(&app).await;
    let seeker = signed_in(&app, Role::Seeker, &phone(11)).await;
    let events = || async {
        use rencai_store::ConnectionTrait;
        let conn = state.db().conn();
        let row = conn
            .query_one_raw(rencai_store::raw(
                conn.get_database_backend(),
                "SELECT COUNT(*) AS n FROM behaviour_events",
                [],
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    };

    assert_eq!(
        seeker.api_post("/api/v1/me/privacy/personalization", &serde_json::json!({"on": false})).await.status(),
        204
    );
    for id in &chef_jobs {
        assert_eq!(seeker.api_get(&format!("/api/v1/jobs/{id}")).await.status(), 200);
    }
    assert_eq!(seeker.api_get("/api/v1/jobs?q=%E5%8E%A8%E5%B8%88").await.status(), 200);
    assert_eq!(events().await, 0, "switched off: the app's browsing is not recorded");

    assert_eq!(
        seeker.api_post("/api/v1/me/privacy/personalization", &serde_json::json!({"on": true})).await.status(),
        204
    );
    for id in &chef_jobs {
        assert_eq!(seeker.api_get(&format!("/api/v1/jobs/{id}")).await.status(), 200);
    }
    assert_eq!(seeker.api_get("/api/v1/jobs?q=%E5%8E%A8%E5%B8%88").await.status(), 200);
    assert_eq!(events().await, 3, "two job views and a search");
    let tags = behaviour::tags(state, seeker.account()).await.unwrap();
    assert_eq!(tags.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(), ["catering-chef"]);
}
