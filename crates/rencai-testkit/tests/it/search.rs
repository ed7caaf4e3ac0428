//! Search kept in step with the database: every kind of change reaches the index, a node
//! catches up from where its index left off, a broken index is rebuilt, several nodes on one
//! database each keep a correct replica; and what the search API answers.

use rencai_app::market::companies;
use rencai_app::market::jobs::{self, JobFilters, Listing};
use rencai_app::market::light::{self, LightFilters, LightInput, LightKind};
use rencai_app::{AppState, search};
use rencai_domain::account::Role;
use rencai_domain::staff::StaffRole;
use rencai_testkit::TestApp;
use rencai_testkit::market::{Visitor, job_input, phone, profile, signed_in, staff_member, verified_org};

/// The rows a public list shows for `q` on this node (from the index's cards).
async fn found_rows(state: &AppState, q: &str) -> Vec<rencai_store::market::jobs::JobRow> {
    let f = JobFilters { q: Some(q.into()), ..Default::default() };
    jobs::public_list(state, &f, Listing::All).await.unwrap().page.items.into_iter().map(|l| l.job).collect()
}

/// Public ids the index finds for `q` on this node.
async fn found(state: &AppState, q: &str) -> Vec<String> {
    found_rows(state, q).await.into_iter().map(|j| j.public_id).collect()
}

struct Posting {
    app: TestApp,
    recruiter: Visitor,
    moderator: rencai_app::auth::staff::StaffUser,
}

impl Posting {
    async fn new() -> Self {
        Self::new_with(|_| {}).await
    }

    async fn new_with(tweak: impl FnOnce(&mut rencai_app::Settings) + Send + 'static) -> Self {
        let app = TestApp::spawn_cheap(tweak).await;
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
    let id = p.publish("川菜厨师").await;
    // The card stored with the document (what lists show) carries no contact, not even sealed.
    let row = rencai_store::market::jobs::find_public(p.app.state.db().conn(), &id).await.unwrap().unwrap();
    let doc = rencai_app::search::job_doc(&row);
    assert!(!row.contact_phone_sealed.is_empty());
    for secret in
        [&row.contact_phone_sealed, &row.contact_name_sealed, &"13812345678".to_string(), &"王经理".to_string()]
    {
        assert!(!doc.card.windows(secret.len()).any(|w| w == secret.as_bytes()), "the card holds {secret}");
    }
    let listed = &found_rows(&p.app.state, "川菜").await[0];
    assert!(listed.contact_phone_sealed.is_empty() && listed.contact_name_sealed.is_empty());
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

#[tokio::test]
async fn the_list_page_leaves_its_counts_to_the_panel_which_counts_the_same_result() {
    let p = Posting::new().await;
    p.publish("川菜厨师").await;
    p.publish("川菜学徒").await;
    p.publish("行政文员").await;
    let v = Visitor::anonymous(&p.app);

    // The page lists the jobs without counting them by value, and says where the counts are.
    let (status, html) = v.page("/jobs?q=%E5%B7%9D%E8%8F%9C&sort=newest").await;
    assert_eq!(status, 200);
    assert!(!html.contains("（2）"), "no count rendered into the page");
    assert!(html.contains(r#"data-counts="/jobs/counts?q=%E5%B7%9D%E8%8F%9C""#), "{html}");

    // The panel's counts are the page's result counted by value, as the API counts them.
    let r = v.get("/jobs/counts?q=%E5%B7%9D%E8%8F%9C").await;
    assert_eq!(r.status(), 200);
    let panel: serde_json::Value = r.json().await.unwrap();
    assert_eq!(panel["broad"], false);
    assert_eq!(panel["counts"]["district"], serde_json::json!({ "wz-gaosuntang": 2 }));
    assert_eq!(panel["counts"]["within"]["1"], 2);
    assert_eq!(panel["counts"]["salary_min"]["3000"], 2);
    let api: serde_json::Value = v.api_get("/api/v1/jobs?q=%E5%B7%9D%E8%8F%9C&facets=true").await.json().await.unwrap();
    for (kind, panel_name) in [("district", "district"), ("industry", "industry"), ("type", "type")] {
        let by_api: serde_json::Map<String, serde_json::Value> = api["facets"][kind]
            .as_array()
            .unwrap_or_else(|| panic!("{kind} in {api}"))
            .iter()
            .map(|f| (f["code"].as_str().unwrap().to_string(), f["count"].clone()))
            .collect();
        assert_eq!(panel["counts"][panel_name], serde_json::Value::Object(by_api), "{kind}");
    }
    // A value typed into the address bar counts as the result it keeps.
    let typed: serde_json::Value = v.get("/jobs/counts?salary_min=4321").await.json().await.unwrap();
    assert_eq!(typed["counts"]["salary_min"]["4321"], 3, "{typed}");

    // A bad filter is a clear client error, never a 500.
    for bad in ["/jobs/counts?district=nowhere", "/jobs/counts?within=5", "/today/counts?salary_min=lots"] {
        let status = v.get(bad).await.status();
        assert!(status.is_client_error(), "{bad}: {status}");
    }
    // The other lists have their own counts.
    let today: serde_json::Value = v.get("/today/counts").await.json().await.unwrap();
    assert_eq!(today["counts"]["within"]["1"], 3, "{today}");
    let campus: serde_json::Value = v.get("/campus/counts").await.json().await.unwrap();
    assert_eq!(campus["counts"]["district"], serde_json::json!({}), "no campus job: {campus}");
}

/// A job at a known point (高笋塘 in 万州).
async fn publish_at(p: &Posting, title: &str, lat: f64, lng: f64) -> String {
    let mut input = job_input(title);
    input.lat = Some(lat);
    input.lng = Some(lng);
    let job = jobs::save(&p.app.state, &p.rec().await, None, None, input, true).await.unwrap();
    jobs::review(&p.app.state, &p.moderator, &job.public_id, true, None).await.unwrap();
    job.public_id
}

#[tokio::test]
async fn nearby_jobs_come_nearest_first_with_their_distance_and_bad_points_are_refused() {
    let p = Posting::new().await;
    let near = publish_at(&p, "川菜厨师", 30.8090, 108.3801).await; // ≈ 70 m north
    let far = publish_at(&p, "面点师", 30.8270, 108.3801).await; // ≈ 2 km north
    publish_at(&p, "服务员", 30.9500, 108.3801).await; // ≈ 16 km: outside 5 km
    let v = Visitor::anonymous(&p.app);
    let r = v.api_post("/api/v1/jobs/nearby", &serde_json::json!({ "lat": 30.8084, "lng": 108.3801 })).await;
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["total"], 2, "{body}");
    assert_eq!(body["items"][0]["id"], near.as_str());
    assert_eq!(body["items"][1]["id"], far.as_str());
    let d = body["items"][1]["distance_m"].as_u64().unwrap();
    assert!((1_900..2_200).contains(&d), "{d}");
    // Words and a wider radius.
    let body: serde_json::Value = v
        .api_post(
            "/api/v1/jobs/nearby",
            &serde_json::json!({ "lat": 30.8084, "lng": 108.3801, "radius_km": 30, "q": "服务员" }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["total"], 1);
    for bad in [
        serde_json::json!({ "lat": 95.0, "lng": 108.38 }),
        serde_json::json!({ "lat": 30.8, "lng": 108.38, "radius_km": 51 }),
        serde_json::json!({ "lat": 30.8, "lng": 108.38, "radius_km": 0 }),
        serde_json::json!({ "lat": 30.8 }),
        serde_json::json!({ "lat": 30.8, "lng": 108.38, "district": "nowhere" }),
    ] {
        let r = v.api_post("/api/v1/jobs/nearby", &bad).await;
        assert!(matches!(r.status().as_u16(), 400 | 422), "{bad}: {}", r.status());
    }
    // The point never travels in a URL: there is no GET form of the search.
    assert_eq!(v.get("/api/v1/jobs/nearby?lat=30.8&lng=108.38").await.status(), 405);
}

#[tokio::test(flavor = "current_thread")]
async fn sqlite_only_a_nearby_search_leaves_its_coordinates_nowhere_in_the_data_folder_or_logs() {
    assert!(!rencai_testkit::on_postgres(), "the data folder holds the database only on SQLite");
    let (_guard, redacted, raw) = rencai_testkit::logs::capture_on_this_thread();
    let mut p = Posting::new_with(|s| s.database.url = None).await;
    publish_at(&p, "川菜厨师", 30.8090, 108.3801).await;
    // Distinctive coordinates that appear nowhere else.
    let (lat, lng) = (30.81234_f64, 108.37654_f64);
    let r = Visitor::anonymous(&p.app)
        .api_post("/api/v1/jobs/nearby", &serde_json::json!({ "lat": lat, "lng": lng }))
        .await;
    assert_eq!(r.status(), 200);
    let seeker = signed_in(&p.app, Role::Seeker, &phone(50)).await;
    let r = seeker.post("/nearby", &[("lat", "30.81234"), ("lng", "108.37654"), ("radius_km", "5"), ("q", "")]).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("川菜厨师") && html.contains("距你"), "the page lists the job with its distance");
    let data_dir = p.app.data_path();
    p.app.stop().await;
    std::fs::create_dir_all(data_dir.join("logs")).unwrap();
    std::fs::write(data_dir.join("logs/rencai.log"), redacted.text()).unwrap();
    std::fs::write(data_dir.join("logs/raw.log"), raw.text()).unwrap();
    let files = rencai_testkit::files_under(&data_dir);
    assert!(files.iter().any(|f| f.to_string_lossy().ends_with("rencai.db")), "the database is checked: {files:?}");
    let needles: Vec<Vec<u8>> = vec![
        b"30.81234".to_vec(),
        b"108.37654".to_vec(),
        lat.to_le_bytes().to_vec(),
        lat.to_be_bytes().to_vec(),
        lng.to_le_bytes().to_vec(),
        lng.to_be_bytes().to_vec(),
    ];
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        for n in &needles {
            assert!(!rencai_testkit::contains_bytes(&bytes, n), "{} holds the searched position", file.display());
        }
    }
}

#[tokio::test]
async fn resume_search_finds_by_words_leaves_out_hidden_and_blocking_seekers_and_masks_names() {
    use rencai_app::market::resumes;
    let p = Posting::new().await;
    let state = &p.app.state;
    let rec = p.rec().await;
    // A seeker who has not agreed to be shown is not found either.
    let shy = signed_in(&p.app, Role::Seeker, &phone(15)).await;
    resumes::save(state, shy.account(), None, &rencai_testkit::market::resume_content("钱芳"), None).await.unwrap();
    let org_public =
        rencai_store::market::companies::find(state.db().conn(), rec.org.id).await.unwrap().unwrap().public_id;
    let mut saved = Vec::new();
    for (n, name) in [(11, "张秀英"), (12, "李桂兰"), (13, "王建华"), (14, "赵丽")] {
        let seeker = signed_in(&p.app, Role::Seeker, &phone(n)).await;
        let mut c = rencai_testkit::market::resume_content(name);
        if n == 14 {
            c.title = "仓库管理员求职".into();
            c.skills = vec![rencai_domain::resume::Skill { name: "叉车".into(), level: "熟练".into() }];
        }
        let r = resumes::save(state, seeker.account(), None, &c, None).await.unwrap();
        // New resumes are not shown to companies until the seeker says so (P5).
        resumes::set_visibility(state, seeker.account(), &r.public_id, "public", true).await.unwrap();
        saved.push((seeker, r.public_id, name));
    }
    // 李桂兰 hides hers; 王建华 blocks this company.
    resumes::set_visibility(state, saved[1].0.account(), &saved[1].1, "hidden", true).await.unwrap();
    resumes::block(state, saved[2].0.account(), &org_public).await.unwrap();

    let search = |q: &str| {
        let f = resumes::CenterFilters { q: Some(q.into()), ..Default::default() };
        let state = state.clone();
        let rec = rec.clone();
        async move { resumes::center(&state, &rec, &f).await.unwrap() }
    };
    let page = search("川菜").await;
    let ids: Vec<&str> = page.items.iter().map(|r| r.row.public_id.as_str()).collect();
    assert_eq!(ids, vec![saved[0].1.as_str()], "only the open, unblocking seeker's resume (P5)");
    assert_eq!(page.items[0].display_name, "张女士", "masked (P6)");
    assert!(!page.items[0].phone.contains("138"), "cards carry no contact details");
    let page = search("叉车").await;
    assert_eq!(page.items.iter().map(|r| r.row.public_id.as_str()).collect::<Vec<_>>(), vec![saved[3].1.as_str()]);
    // Names are not in the index: searching one finds nothing.
    assert!(search("张秀英").await.items.is_empty());
    // Unblocking brings the resume back at once.
    resumes::unblock(state, saved[2].0.account(), &org_public).await.unwrap();
    assert_eq!(search("川菜").await.items.len(), 2);
    // Over HTTP too, for the recruiter; not for a seeker.
    let (s, html) = p.recruiter.page("/resumes?q=%E5%8F%89%E8%BD%A6").await;
    assert_eq!(s, 200);
    assert!(html.contains("赵女士") && !html.contains("张女士"), "{html}");
    assert_eq!(saved[0].0.page("/resumes?q=x").await.0, 403);
}

#[tokio::test]
async fn suggestions_say_why_similar_jobs_share_the_category_and_seekers_get_their_intention() {
    use rencai_app::market::{matching, resumes};
    let p = Posting::new().await;
    let state = &p.app.state;
    let sichuan = p.publish("川菜厨师").await;
    let hunan = p.publish("湘菜厨师").await;
    let mut accountant = job_input("会计");
    accountant.category = "office-accountant".into();
    accountant.description = "负责日常账务处理、凭证录入与报税，熟悉用友财务软件，有会计证优先。".into();
    let acc = jobs::save(state, &p.rec().await, None, None, accountant, true).await.unwrap();
    jobs::review(state, &p.moderator, &acc.public_id, true, None).await.unwrap();

    let row = rencai_store::market::jobs::find_public(state.db().conn(), &sichuan).await.unwrap().unwrap();
    let similar = matching::similar(state, &row, 4).await.unwrap();
    let ids: Vec<&str> = similar.iter().map(|s| s.listed.job.public_id.as_str()).collect();
    assert_eq!(ids, vec![hunan.as_str()], "same category, never itself, not the accountant");
    assert!(similar[0].reason.contains("同为") && similar[0].reason.contains("高笋塘"), "{}", similar[0].reason);
    let (_, page) = Visitor::anonymous(&p.app).page(&format!("/jobs/{sichuan}")).await;
    assert!(page.contains("相似职位") && page.contains("湘菜厨师") && page.contains("推荐理由"), "{page}");

    // A seeker's suggestions follow the intention of their resume (a chef in 高笋塘).
    let seeker = signed_in(&p.app, Role::Seeker, &phone(60)).await;
    assert!(matching::for_seeker(state, seeker.account(), 6).await.unwrap().is_empty(), "no resume, no guess");
    let resume = resumes::save(state, seeker.account(), None, &rencai_testkit::market::resume_content("孙梅"), None)
        .await
        .unwrap();
    let mine = matching::for_seeker(state, seeker.account(), 6).await.unwrap();
    let mut ids: Vec<&str> = mine.iter().map(|s| s.listed.job.public_id.as_str()).collect();
    ids.sort();
    let mut want = vec![sichuan.as_str(), hunan.as_str()];
    want.sort();
    assert_eq!(ids, want);
    assert!(mine.iter().all(|s| s.reason.starts_with("符合你的求职意向")), "{:?}", mine[0].reason);
    let (_, home) = seeker.page("/").await;
    assert!(home.contains("为你推荐") && home.contains("推荐理由"));
    let (_, home) = Visitor::anonymous(&p.app).page("/").await;
    assert!(!home.contains("为你推荐"), "visitors get no guesses");

    // Candidates for a job: only once the seeker agrees to be shown (P5), masked (P6), with why.
    let rec = p.rec().await;
    assert!(matching::candidates(state, &rec, &sichuan, 20).await.unwrap().1.is_empty());
    resumes::set_visibility(state, seeker.account(), &resume.public_id, "public", true).await.unwrap();
    let (_, found) = matching::candidates(state, &rec, &sichuan, 20).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].resume.row.public_id, resume.public_id);
    assert_eq!(found[0].resume.display_name, "孙女士");
    assert!(found[0].reason.contains("厨师") && found[0].reason.contains("高笋塘"), "{}", found[0].reason);
    assert!(matching::candidates(state, &rec, &acc.public_id, 20).await.unwrap().1.is_empty(), "not a chef's job");
    let (s, html) = p.recruiter.page(&format!("/company/jobs/{sichuan}/candidates")).await;
    assert_eq!(s, 200);
    assert!(html.contains("孙女士") && html.contains("推荐理由") && !html.contains("孙梅"), "{html}");
}

/// A light post as typed (速聘 by a company, 一句话求职 by a seeker).
fn light_input(title: &str, body: &str, district: &str, category: &str) -> LightInput {
    LightInput {
        title: title.into(),
        body: body.into(),
        district: district.into(),
        category: category.into(),
        salary_min: "3500".into(),
        salary_max: "4500".into(),
        negotiable: false,
        contact_phone: "13812345678".into(),
    }
}

/// Public ids of a light list.
async fn light_found(state: &AppState, kind: LightKind, f: LightFilters) -> Vec<String> {
    light::public_list(state, kind, &f).await.unwrap().page.items.into_iter().map(|i| i.post.public_id).collect()
}

fn words(q: &str) -> LightFilters {
    LightFilters { q: Some(q.into()), ..Default::default() }
}

#[tokio::test]
async fn light_posts_are_searched_by_word_and_filter_and_follow_review_close_and_expiry() {
    let p = Posting::new().await;
    let state = &p.app.state;
    let company = p.recruiter.account();
    let post = |title: &'static str, body: &'static str, district: &'static str| async move {
        let row =
            light::create(state, company, LightKind::Quick, light_input(title, body, district, "catering-waiter"))
                .await
                .unwrap();
        row.public_id
    };
    let waiter = post("急招火锅店服务员", "包吃住，月休四天，下午两点到晚上十点。", "wz-gaosuntang").await;
    let driver = post("招送货司机", "熟悉城区道路，有C照，主要送建材，月休四天。", "wz-wuqiao").await;
    assert!(light_found(state, LightKind::Quick, words("服务员")).await.is_empty(), "pending: not listed");
    for id in [&waiter, &driver] {
        light::review(state, &p.moderator, id, true, None).await.unwrap();
    }

    // Words by segment, in the title or only in the text; pinyin of a title; filters.
    assert_eq!(light_found(state, LightKind::Quick, words("服务员")).await, vec![waiter.clone()]);
    assert_eq!(light_found(state, LightKind::Quick, words("包吃住")).await, vec![waiter.clone()]);
    assert_eq!(light_found(state, LightKind::Quick, words("siji")).await, vec![driver.clone()]);
    assert_eq!(light_found(state, LightKind::Quick, words("会计")).await, Vec::<String>::new());
    let both = light_found(state, LightKind::Quick, words("月休")).await;
    assert_eq!(both.len(), 2);
    let in_wuqiao = LightFilters { district: Some("wz-wuqiao".into()), ..words("月休") };
    assert_eq!(light_found(state, LightKind::Quick, in_wuqiao).await, vec![driver.clone()]);
    assert_eq!(
        light_found(state, LightKind::Quick, LightFilters::default()).await,
        vec![driver.clone(), waiter.clone()]
    );
    assert!(light_found(state, LightKind::Wanted, words("服务员")).await.is_empty(), "one kind per list");
    let unknown = LightFilters { district: Some("nowhere".into()), ..Default::default() };
    let e = light::public_list(state, LightKind::Quick, &unknown).await.err().expect("an unknown district is refused");
    assert_eq!(e.code(), "filter.invalid");

    // The list page marks the words it found and says how many; a bad filter is a 400 in zh-CN.
    let visitor = Visitor::anonymous(&p.app);
    let (status, html) = visitor.page("/quick?q=%E6%9C%8D%E5%8A%A1%E5%91%98").await;
    assert_eq!(status, 200);
    assert!(html.contains("<mark>服务员</mark>") && html.contains("共找到 1 条"), "{html}");
    assert!(!html.contains("招送货司机"));
    assert!(!html.contains("13812345678"), "a visitor never sees the phone");
    let (status, html) = visitor.page("/quick?district=nowhere").await;
    assert_eq!(status, 400);
    assert!(html.contains("没有这个筛选项"));
    // The same list for apps: marked pieces, and no phone for a visitor.
    let r = visitor.api_get("/api/v1/quick?q=%E6%9C%8D%E5%8A%A1%E5%91%98").await;
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!((body["total"].as_u64(), body["items"][0]["id"].as_str()), (Some(1), Some(waiter.as_str())));
    let marked: Vec<&str> = body["items"][0]["title_pieces"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["hit"] == true)
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(marked, vec!["服务员"]);
    assert!(body["items"][0]["contact_phone"].is_null());
    let r = visitor.api_get("/api/v1/wanted?category=nowhere").await;
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["code"], "filter.invalid");

    // A second node builds its replica from the database, then follows a close by the change log.
    let dir = tempfile::tempdir().unwrap();
    let node_b = p.app.second_node(dir.path()).await;
    assert_eq!(light_found(&node_b, LightKind::Quick, words("司机")).await, vec![driver.clone()]);
    light::close(state, company, &driver).await.unwrap();
    assert!(light_found(state, LightKind::Quick, words("司机")).await.is_empty(), "closed: gone at once here");
    search::sync::catch_up(&node_b).await.unwrap();
    assert!(light_found(&node_b, LightKind::Quick, words("司机")).await.is_empty(), "and on the other node");

    // Expiry: once its time is up a post no longer shows, and the scheduled expiry takes it
    // out of every replica's index.
    let past = state.now() - chrono::Duration::hours(1);
    rencai_store::ConnectionTrait::execute_raw(
        state.db().conn(),
        rencai_store::raw(
            state.db().conn().get_database_backend(),
            "UPDATE light_posts SET expires_at = ? WHERE public_id = ?",
            [past.into(), waiter.clone().into()],
        ),
    )
    .await
    .unwrap();
    assert!(light_found(state, LightKind::Quick, words("服务员")).await.is_empty(), "past its time");
    assert_eq!(light::expire_due(state).await.unwrap(), 1);
    search::sync::catch_up(&node_b).await.unwrap();
    assert_eq!(node_b.search().unwrap().documents().light_posts, 0, "the expired post left the index");
}
