//! Search kept in step with the database: every kind of change reaches the index, a node
//! catches up from where its index left off, a broken index is rebuilt, several nodes on one
//! database each keep a correct replica; and what the search API answers.

use rencai_app::market::companies;
use rencai_app::market::jobs::{self, JobFilters, Listing};
use rencai_app::{AppState, search};
use rencai_domain::account::Role;
use rencai_domain::staff::StaffRole;
use rencai_testkit::market::{Visitor, job_input, phone, profile, signed_in, staff_member, verified_org};
use rencai_testkit::{TestApp, TestOptions};

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

/// Public ids the index finds for `q` on this node.
async fn found(state: &AppState, q: &str) -> Vec<String> {
    let f = JobFilters { q: Some(q.into()), ..Default::default() };
    jobs::public_list(state, &f, Listing::All).await.unwrap().page.items.into_iter().map(|l| l.job.public_id).collect()
}

struct Posting {
    app: TestApp,
    recruiter: Visitor,
    moderator: rencai_app::auth::staff::StaffUser,
}

impl Posting {
    async fn new() -> Self {
        let app = app().await;
        let recruiter = signed_in(&app, Role::Company, &phone(1)).await;
        verified_org(&app, &recruiter, "万州峡江餐饮有限公司", 1).await;
        let (_, moderator) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
        Posting { app, recruiter, moderator }
    }

    async fn rec(&self) -> rencai_app::market::actor::Recruiter {
        rencai_app::market::actor::require_recruiter(&self.app.state, self.recruiter.account()).await.unwrap()
    }

    async fn publish(&self, title: &str) -> String {
        let job = jobs::save(&self.app.state, &self.rec().await, None, None, job_input(title), true).await.unwrap();
        jobs::review(&self.app.state, &self.moderator, &job.public_id, true, None).await.unwrap();
        job.public_id
    }
}

#[tokio::test]
async fn every_kind_of_change_reaches_search() {
    let p = Posting::new().await;
    let state = &p.app.state;
    let id = p.publish("川菜厨师").await;
    assert_eq!(found(state, "川菜").await, vec![id.clone()], "published: found at once on this node");

    // Edited: back to review, so out of search until approved again.
    let mut edited = job_input("湘菜厨师");
    edited.description = "负责湘菜热菜的烹饪与出品，保证菜品口味稳定，协助管理后厨卫生。".into();
    jobs::save(state, &p.rec().await, Some(&id), None, edited, true).await.unwrap();
    assert!(found(state, "湘菜").await.is_empty(), "pending review: not public");
    jobs::review(state, &p.moderator, &id, true, None).await.unwrap();
    assert_eq!(found(state, "湘菜").await, vec![id.clone()], "the new title is searchable");
    assert!(found(state, "川菜").await.is_empty(), "the old title is gone");

    // Expired on schedule.
    let other = p.publish("面点师").await;
    assert_eq!(found(state, "面点师").await, vec![other.clone()]);
    let row = rencai_store::market::jobs::find_public(state.db().conn(), &other).await.unwrap().unwrap();
    let past = state.now() - chrono::Duration::hours(1);
    rencai_store::market::jobs::set_times(state.db().conn(), row.id, row.published_at, Some(past), row.refreshed_at)
        .await
        .unwrap();
    assert_eq!(jobs::expire_due(state).await.unwrap(), 1);
    assert!(found(state, "面点师").await.is_empty(), "expired: gone");
    // The organisation's new name reaches its jobs (renaming sends it back to review, which
    // leaves its published jobs up).
    let mut renamed = profile("万州渝味轩餐饮有限公司", 1);
    renamed.intro = "经营湘菜。".into();
    companies::update(state, &p.rec().await, renamed).await.unwrap();
    assert_eq!(found(state, "渝味轩").await, vec![id.clone()]);

    // Closed.
    jobs::close(state, &p.rec().await, &id).await.unwrap();
    assert!(found(state, "湘菜").await.is_empty(), "closed: gone");
}

#[tokio::test]
async fn the_index_never_holds_contact_details() {
    let p = Posting::new().await;
    p.publish("川菜厨师").await;
    // The contact is 王经理 13812345678 (job_input); neither finds the job.
    assert!(found(&p.app.state, "13812345678").await.is_empty());
    let r = Visitor::anonymous(&p.app).api_get("/api/v1/jobs?q=13812345678").await;
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["total"], 0);
}

#[tokio::test]
async fn a_second_node_keeps_its_own_replica_catches_up_and_rebuilds_a_broken_index() {
    let p = Posting::new().await;
    let first = p.publish("川菜厨师").await;
    let dir = tempfile::tempdir().unwrap();
    let node_b = p.app.second_node(dir.path()).await;
    assert_eq!(found(&node_b, "川菜").await, vec![first.clone()], "built from the database on first start");

    // A write on node A reaches node B when B polls the change log.
    let second = p.publish("凉菜厨师").await;
    let report = search::sync::catch_up(&node_b).await.unwrap();
    assert!(report.changes >= 1 && !report.rebuilt, "{report:?}");
    assert_eq!(found(&node_b, "凉菜").await, vec![second.clone()]);

    // Node B stops; A writes; B starts again and catches up from where its index left off.
    drop(node_b);
    jobs::close(&p.app.state, &p.rec().await, &first).await.unwrap();
    let node_b = p.app.second_node(dir.path()).await;
    assert!(found(&node_b, "川菜").await.is_empty(), "the close made while B was down reached it");
    assert_eq!(found(&node_b, "凉菜").await, vec![second.clone()]);
    drop(node_b);

    // A corrupt index is rebuilt from the database on start.
    std::fs::write(dir.path().join("search/jobs/meta.json"), b"{ broken").unwrap();
    let node_b = p.app.second_node(dir.path()).await;
    assert_eq!(found(&node_b, "凉菜").await, vec![second]);
    assert!(found(&node_b, "川菜").await.is_empty());
}

#[tokio::test]
async fn the_api_answers_highlights_facets_and_clear_errors() {
    let p = Posting::new().await;
    let id = p.publish("川菜厨师").await;
    p.publish("行政文员").await;
    let v = Visitor::anonymous(&p.app);
    let r = v.api_get("/api/v1/jobs?q=%E5%B7%9D%E8%8F%9C&facets=true").await;
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["id"], id.as_str());
    assert_eq!(body["items"][0]["title_pieces"][0], serde_json::json!({ "text": "川菜", "hit": true }));
    assert_eq!(body["facets"]["district"][0], serde_json::json!({ "code": "wz-gaosuntang", "count": 1 }));
    assert_eq!(body["relaxed"], false);

    // Without words, facets count everything listed.
    let body: serde_json::Value = v.api_get("/api/v1/jobs?facets=true").await.json().await.unwrap();
    assert_eq!(body["total"], 2);
    assert_eq!(body["facets"]["within"][0], serde_json::json!({ "code": "1", "count": 2 }));

    for bad in ["/api/v1/jobs?within=5", "/api/v1/jobs?sort=random", "/api/v1/jobs?page=101&per_page=20"] {
        let r = v.api_get(bad).await;
        assert_eq!(r.status(), 422, "{bad}");
        let problem: serde_json::Value = r.json().await.unwrap();
        assert!(problem["code"].as_str().unwrap().starts_with("filter."), "{bad}: {problem}");
    }
}
