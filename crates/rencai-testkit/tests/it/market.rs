//! The marketplace over HTTP and through its use cases: organisations and their verification,
//! jobs under the posting rules and the quota, the resume center under the access policy,
//! unlocking as a disclosure, job contact details for applicants only, and the visitor page cap.

use std::sync::Arc;

use rencai_app::FixedClock;
use rencai_app::market::{jobs, resumes};
use rencai_domain::account::Role;
use rencai_domain::staff::StaffRole;
use rencai_testkit::market::{Visitor, docx, job_input, phone, resume_content, signed_in, staff_member, verified_org};
use rencai_testkit::{TestApp, TestOptions};

async fn app_with(tweak: impl FnOnce(&mut rencai_app::Settings) + Send + 'static) -> TestApp {
    TestApp::spawn_cheap(tweak).await
}

async fn app() -> TestApp {
    app_with(|_| {}).await
}

/// A verified employer with its primary recruiter, a published job, and a moderator.
struct World {
    app: TestApp,
    recruiter: Visitor,
    org: rencai_store::market::companies::CompanyRow,
    job_id: String,
    moderator: rencai_app::auth::staff::StaffUser,
}

async fn world() -> World {
    let app = app().await;
    let recruiter = signed_in(&app, Role::Company, &phone(1)).await;
    let org = verified_org(&app, &recruiter, "万州峡江餐饮有限公司", 1).await;
    let rec = rencai_app::market::actor::require_recruiter(&app.state, recruiter.account()).await.unwrap();
    let job = jobs::save(&app.state, &rec, None, None, job_input("川菜厨师"), true).await.unwrap();
    let (_, moderator) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    jobs::review(&app.state, &moderator, &job.public_id, true, None).await.unwrap();
    World { app, recruiter, org, job_id: job.public_id, moderator }
}

#[tokio::test]
async fn a_company_registers_is_verified_posts_a_job_a_rule_refuses_then_it_goes_live() {
    let app = app().await;
    let c = signed_in(&app, Role::Company, &phone(1)).await;
    let (_, html) = c.page("/company").await;
    assert!(html.contains("统一社会信用代码") && html.contains("诚信承诺书"), "first visit asks for the profile");

    let mut form = vec![
        ("name", "万州峡江餐饮有限公司"),
        ("industry", "hospitality"),
        ("size", "20-99"),
        ("ownership", "private"),
        ("district", "wz-gaosuntang"),
        ("address", "万州区高笋塘街道北山大道88号"),
        ("intro", "本地餐饮企业"),
        ("contact_name", "王经理"),
        ("pledge", "1"),
    ];
    let good = rencai_testkit::market::credit_code(7);
    let mut bad = good.clone();
    let last = bad.pop().unwrap();
    bad.push(if last == '0' { '1' } else { '0' });
    form.push(("credit_code", bad.as_str()));
    let r = c.post("/company/profile", &form).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("校验"), "the check digit is named");
    assert!(rencai_app::market::actor::recruiter(&app.state, c.account()).await.unwrap().is_none(), "nothing created");

    form.pop();
    form.push(("credit_code", good.as_str()));
    let r = c.post("/company/profile", &form).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let r = c.post("/company/verify", &[]).await;
    assert_eq!(r.status(), 303);

    // Staff reject without a reason: refused; with one: the applicant sees it.
    let (staff, _) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    let (_, queue) = staff.page("/admin/companies").await;
    assert!(queue.contains("万州峡江餐饮有限公司") && queue.contains("王经理"));
    assert!(
        queue.contains("工商登记：（开发环境）未核验企业，存续，名称不一致"),
        "the registry's answer is shown to the reviewer"
    );
    let rec = rencai_app::market::actor::require_recruiter(&app.state, c.account()).await.unwrap();
    let review = format!("/admin/companies/{}/review", rec.org.public_id);
    let r = staff.post(&review, &[("decision", "reject"), ("reason", "")]).await;
    assert_eq!(r.status(), 422);
    assert_eq!(staff.post(&review, &[("decision", "reject"), ("reason", "营业执照照片不清晰")]).await.status(), 303);
    let (_, home) = c.page("/company").await;
    assert!(home.contains("营业执照照片不清晰"), "the applicant sees why");
    assert_eq!(c.post("/company/verify", &[]).await.status(), 303);
    assert_eq!(staff.post(&review, &[("decision", "approve")]).await.status(), 303);
    let (_, queue_html) = staff.page("/admin/companies").await;
    assert!(!queue_html.contains("万州峡江餐饮有限公司"), "decided: out of the queue");

    // The recruiter passes the real-name check (a wrong check digit is refused first).
    let (_, home) = c.page("/company").await;
    assert!(home.contains("招聘者实名核验"));
    let id = rencai_testkit::market::id_number();
    let mut wrong = id.clone();
    wrong.pop();
    wrong.push(if id.ends_with('0') { '1' } else { '0' });
    assert_eq!(c.post("/company/realname", &[("name", "王建国"), ("id_number", wrong.as_str())]).await.status(), 422);
    assert_eq!(c.post("/company/realname", &[("name", "王建国"), ("id_number", id.as_str())]).await.status(), 303);
    assert!(c.page("/company").await.1.contains("你已通过实名核验"));

    // A job demanding a deposit is refused, naming the rule; nothing is stored.
    let job = |desc: &'static str| job_form("川菜厨师", desc, "submit");
    let r = c.post("/company/jobs", &job("负责热菜出品，入职需交押金300元，工装自理。保证菜品口味稳定。")).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("禁止向求职者收费"), "the rule is named: {html}");
    assert!(html.contains("川菜厨师"), "the form keeps what was typed");
    assert_eq!(jobs::own_list(&app.state, &rec, None, None).await.unwrap().total, 0);

    let r = c
        .post("/company/jobs", &job("负责热菜的烹饪与出品，保证菜品口味稳定；协助厨师长管理食材库存与厨房卫生。"))
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let list = jobs::own_list(&app.state, &rec, None, None).await.unwrap();
    let posted = &list.items[0];
    assert_eq!(posted.status, "pending");

    // Not public before review.
    let visitor = Visitor::anonymous(&app);
    assert_eq!(visitor.page(&format!("/jobs/{}", posted.public_id)).await.0, 404);
    let (_, q) = staff.page("/admin/jobs").await;
    assert!(q.contains("川菜厨师") && q.contains("13812345678"), "the reviewer sees the contact");
    let r = staff.post(&format!("/admin/jobs/{}/review", posted.public_id), &[("decision", "approve")]).await;
    assert_eq!(r.status(), 303);

    // A visitor finds it by list and page; its contact stays hidden; JobPosting data is there.
    let (s, list) = visitor.page("/jobs?q=川菜").await;
    assert_eq!(s, 200);
    assert!(list.contains("<mark>川菜</mark>厨师") && list.contains("万州峡江餐饮有限公司"), "found and marked");
    let (s, page) = visitor.page(&format!("/jobs/{}", posted.public_id)).await;
    assert_eq!(s, 200);
    assert!(page.contains("\"@type\":\"JobPosting\"") && page.contains("\"currency\":\"CNY\""));
    assert!(!page.contains("13812345678") && page.contains("投递简历后可查看"));
    let (_, sitemap) = visitor.page("/sitemap.xml").await;
    assert!(sitemap.contains(&format!("/jobs/{}</loc>", posted.public_id)));
}

#[tokio::test]
async fn job_slots_come_from_the_quota_ledger_and_hold_under_concurrent_submissions() {
    let app = app_with(|s| s.market.free_job_slots = 3).await;
    let c = signed_in(&app, Role::Company, &phone(1)).await;
    verified_org(&app, &c, "万州平湖食品厂", 2).await;
    let rec = rencai_app::market::actor::require_recruiter(&app.state, c.account()).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..6 {
        let state = app.state.clone();
        let rec = rec.clone();
        tasks.push(tokio::spawn(async move {
            jobs::save(
                &state,
                &rec,
                None,
                None,
                job_input(&format!("面点师{}号岗", ["一", "二", "三", "四", "五", "六"][i])),
                true,
            )
            .await
        }));
    }
    let mut ok = 0;
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => {
                assert_eq!(e.code(), "quota.job_slots_exhausted", "{e:?}");
                refused += 1;
            }
        }
    }
    assert_eq!((ok, refused), (3, 3), "exactly the granted slots");
    // A draft needs no slot; closing a job frees one.
    jobs::save(&app.state, &rec, None, None, job_input("草稿岗位"), false).await.unwrap();
    let open = jobs::own_list(&app.state, &rec, Some("pending"), None).await.unwrap();
    jobs::close(&app.state, &rec, &open.items[0].public_id).await.unwrap();
    jobs::save(&app.state, &rec, None, None, job_input("新的岗位"), true).await.unwrap();
}

#[tokio::test]
async fn a_hidden_or_blocking_resume_is_out_of_reach_by_list_page_and_api() {
    let w = world().await;
    let app = &w.app;
    let seeker = signed_in(app, Role::Seeker, &phone(2)).await;
    let r = resumes::save(&app.state, seeker.account(), None, &resume_content("李秀英"), Some("lixiuying@example.com"))
        .await
        .unwrap();
    let rec = rencai_app::market::actor::require_recruiter(&app.state, w.recruiter.account()).await.unwrap();
    let path = format!("/resumes/{}", r.public_id);
    let api = format!("/api/v1/resumes/{}", r.public_id);

    // A new resume is not shown to companies until the seeker consents (P5).
    assert_eq!(w.recruiter.page(&path).await.0, 404);
    resumes::set_visibility(&app.state, seeker.account(), &r.public_id, "public", true).await.unwrap();
    let (s, html) = w.recruiter.page(&path).await;
    assert_eq!(s, 200);
    assert!(html.contains("李女士") && !html.contains("李秀英"), "name masked");
    assert!(html.contains("139****0002") && !html.contains("13900000002"), "phone masked");
    assert!(html.contains("l***@example.com"), "e-mail masked");
    let (_, list) = w.recruiter.page("/resumes").await;
    assert!(list.contains(&r.public_id));
    let body: serde_json::Value = w.recruiter.api_get(&api).await.json().await.unwrap();
    assert_eq!(body["access"], "masked");
    assert_eq!(body["name"], "李女士");

    // Hidden: gone from the list, the page and the API alike — and 404, not 403.
    resumes::set_visibility(&app.state, seeker.account(), &r.public_id, "hidden", true).await.unwrap();
    assert_eq!(w.recruiter.page(&path).await.0, 404);
    assert!(!w.recruiter.page("/resumes").await.1.contains(&r.public_id));
    assert_eq!(w.recruiter.api_get(&api).await.status(), 404);
    assert!(resumes::center(&app.state, &rec, &Default::default()).await.unwrap().items.is_empty());

    // Public again, but the seeker blocks the company: every recruiter of it, and an agency
    // recruiting for it, lose the resume.
    resumes::set_visibility(&app.state, seeker.account(), &r.public_id, "public", true).await.unwrap();
    let agency = signed_in(app, Role::Agency, &phone(3)).await;
    let agency_org = verified_org(app, &agency, "万州区英才人力资源服务有限公司", 3).await;
    let agency_rec = rencai_app::market::actor::require_recruiter(&app.state, agency.account()).await.unwrap();
    rencai_app::market::companies::declare_client(
        &app.state,
        &agency_rec,
        &w.org.public_id,
        "委托书2026-001，期限一年",
    )
    .await
    .unwrap();
    // No authorization document yet: staff cannot approve.
    let review = || {
        rencai_app::market::companies::review_client(
            &app.state,
            &w.moderator,
            &agency_org.public_id,
            &w.org.public_id,
            true,
            None,
        )
    };
    assert_eq!(review().await.unwrap_err().code(), "agency.document_required");
    rencai_app::market::org_files::upload_authorization(
        &app.state,
        &agency_rec,
        &w.org.public_id,
        "委托书.png",
        PNG.to_vec(),
    )
    .await
    .unwrap();
    review().await.unwrap();
    assert_eq!(agency.page(&path).await.0, 200, "the agency sees it masked before the block");
    resumes::block(&app.state, seeker.account(), &w.org.public_id).await.unwrap();
    assert_eq!(w.recruiter.page(&path).await.0, 404);
    assert_eq!(agency.page(&path).await.0, 404, "an agency recruiting for a blocked company is cut off");
    assert!(!agency.page("/resumes").await.1.contains(&r.public_id));
    resumes::unblock(&app.state, seeker.account(), &w.org.public_id).await.unwrap();
    assert_eq!(w.recruiter.page(&path).await.0, 200);

    // Applied-only: visible only to the company applied to, and then in full (P6).
    resumes::set_visibility(&app.state, seeker.account(), &r.public_id, "applied_only", true).await.unwrap();
    assert_eq!(w.recruiter.page(&path).await.0, 404);
    rencai_app::market::applications::apply(&app.state, seeker.account(), &w.job_id, &r.public_id).await.unwrap();
    let (s, html) = w.recruiter.page(&path).await;
    assert_eq!(s, 200);
    assert!(html.contains("李秀英") && html.contains("13900000002"), "applied: full view");
    assert_eq!(agency.page(&path).await.0, 404, "the agency did not receive this application");
    // Every view was recorded for the seeker.
    let (_, viewers) = seeker.page("/me/viewers").await;
    assert!(viewers.contains("万州峡江餐饮有限公司") && viewers.contains("查看了"));
}

#[tokio::test]
async fn unlocking_spends_quota_once_per_company_and_is_a_disclosure_the_seeker_sees() {
    let w = world().await;
    let app = &w.app;
    let seeker = signed_in(app, Role::Seeker, &phone(2)).await;
    let r = resumes::save(&app.state, seeker.account(), None, &resume_content("张伟"), None).await.unwrap();
    resumes::set_visibility(&app.state, seeker.account(), &r.public_id, "public", true).await.unwrap();
    let org_id = w.org.id;
    let before = rencai_app::market::quota::balance(
        app.state.db().conn(),
        org_id,
        rencai_app::market::quota::QuotaKind::ResumeUnlock,
        app.state.now(),
    )
    .await
    .unwrap();

    // Two recruiters of the company unlock at once: one unit is spent.
    let second = signed_in(app, Role::Company, &phone(4)).await;
    rencai_store::market::companies::add_member(
        app.state.db().conn(),
        org_id,
        second.account().id,
        false,
        app.state.now(),
    )
    .await
    .unwrap();
    let a = rencai_app::market::actor::require_recruiter(&app.state, w.recruiter.account()).await.unwrap();
    let b = rencai_app::market::actor::require_recruiter(&app.state, second.account()).await.unwrap();
    let (ra, rb) =
        tokio::join!(resumes::unlock(&app.state, &a, &r.public_id), resumes::unlock(&app.state, &b, &r.public_id));
    assert!(ra.is_ok() || rb.is_ok(), "{ra:?} {rb:?}");
    let after = rencai_app::market::quota::balance(
        app.state.db().conn(),
        org_id,
        rencai_app::market::quota::QuotaKind::ResumeUnlock,
        app.state.now(),
    )
    .await
    .unwrap();
    assert_eq!(after.1, before.1 + 1, "one unlock spent for the company");
    let (_, html) = second.page(&format!("/resumes/{}", r.public_id)).await;
    assert!(html.contains("张伟") && html.contains("13900000002"), "an unlock serves every recruiter of the company");
    let (_, html) = w.recruiter.page(&format!("/resumes/{}", r.public_id)).await;
    assert!(!html.contains("下载联系方式"), "nothing more to unlock");

    let (_, viewers) = seeker.page("/me/viewers").await;
    assert!(viewers.contains("下载了联系方式"), "the unlock is in the view log");
    assert!(
        viewers.contains("个人信息提供记录") && viewers.contains("简历《厨师求职简历》的联系方式"),
        "and in the disclosure log"
    );

    // With no unlocks left, a third company's unlock is refused and changes nothing.
    let other = signed_in(app, Role::Company, &phone(5)).await;
    verified_org(app, &other, "万州天城物流有限公司", 5).await;
    let o = rencai_app::market::actor::require_recruiter(&app.state, other.account()).await.unwrap();
    for _ in 0..app.state.settings().market.free_resume_unlocks {
        let x = signed_in(app, Role::Seeker, &phone(100 + rand_suffix())).await;
        let rx = resumes::save(&app.state, x.account(), None, &resume_content("刘洋"), None).await.unwrap();
        resumes::set_visibility(&app.state, x.account(), &rx.public_id, "public", true).await.unwrap();
        resumes::unlock(&app.state, &o, &rx.public_id).await.unwrap();
    }
    let r2 = other.post(&format!("/resumes/{}/unlock", r.public_id), &[]).await;
    assert_eq!(r2.status(), 409);
    assert!(r2.text().await.unwrap().contains("简历下载数已用完"));
    let api = other.api_post(&format!("/api/v1/resumes/{}/unlock", r.public_id), &serde_json::json!({})).await;
    assert_eq!(api.status(), 409);
    let problem: serde_json::Value = api.json().await.unwrap();
    assert_eq!(problem["code"], "quota.exhausted");
    let disclosures = resumes::disclosures(&app.state, seeker.account()).await.unwrap();
    assert_eq!(disclosures.len(), 1, "the refused unlock disclosed nothing");
}

/// The job form as a browser posts it, valid apart from what the test puts in.
fn job_form(title: &'static str, description: &'static str, action: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("title", title),
        ("category", "catering-chef"),
        ("industry", "hospitality"),
        ("district", "wz-gaosuntang"),
        ("address", "万州区高笋塘街道北山大道88号"),
        ("salary_min", "5000"),
        ("salary_max", "8000"),
        ("education", "any"),
        ("experience", "1-3"),
        ("job_type", "full-time"),
        ("headcount", "2"),
        ("benefits", "meals"),
        ("benefits", "social-insurance"),
        ("description", description),
        ("contact_name", "王经理"),
        ("contact_phone", "13812345678"),
        ("action", action),
    ]
}

/// The smallest thing that sniffs as a PNG.
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];

fn rand_suffix() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[tokio::test]
async fn a_jobs_contact_is_shown_only_to_applicants_and_its_organisation() {
    let w = world().await;
    let app = &w.app;
    let path = format!("/jobs/{}", w.job_id);
    let api = format!("/api/v1/jobs/{}", w.job_id);
    let seeker = signed_in(app, Role::Seeker, &phone(2)).await;
    for v in [&Visitor::anonymous(app), &seeker] {
        let (s, html) = v.page(&path).await;
        assert_eq!(s, 200);
        assert!(!html.contains("13812345678"));
    }
    let j: serde_json::Value = seeker.api_get(&api).await.json().await.unwrap();
    assert!(j["contact"].is_null() && j["applied"] == false);
    assert!(w.recruiter.page(&path).await.1.contains("13812345678"), "the posting company sees its own contact");

    let r = resumes::save(&app.state, seeker.account(), None, &resume_content("陈静"), None).await.unwrap();
    let res = seeker.post(&format!("{path}/apply"), &[("resume", r.public_id.as_str())]).await;
    assert_eq!(res.status(), 303);
    let (_, html) = seeker.page(&path).await;
    assert!(html.contains("13812345678") && html.contains("你已投递该职位"));
    let j: serde_json::Value = seeker.api_get(&api).await.json().await.unwrap();
    assert_eq!(j["contact"]["phone"], "13812345678");
    // Applying twice is refused.
    let res = seeker.post(&format!("{path}/apply"), &[("resume", r.public_id.as_str())]).await;
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn recruiters_reach_only_their_own_organisations_jobs_and_sub_accounts_only_their_own() {
    let w = world().await;
    let app = &w.app;
    let edit = format!("/company/jobs/{}/edit", w.job_id);
    let close = format!("/company/jobs/{}/close", w.job_id);
    // Company B's recruiter.
    let b = signed_in(app, Role::Company, &phone(6)).await;
    verified_org(app, &b, "万州鸿达建材有限公司", 6).await;
    assert_eq!(b.page(&edit).await.0, 404);
    assert_eq!(b.post(&close, &[]).await.status(), 404);
    // A sub-account of A sees and manages only its own jobs; the primary account all of them (P17).
    let sub = signed_in(app, Role::Company, &phone(7)).await;
    rencai_store::market::companies::add_member(
        app.state.db().conn(),
        w.org.id,
        sub.account().id,
        false,
        app.state.now(),
    )
    .await
    .unwrap();
    assert_eq!(sub.page(&edit).await.0, 404);
    let sub_rec = rencai_app::market::actor::require_recruiter(&app.state, sub.account()).await.unwrap();
    let own = jobs::save(&app.state, &sub_rec, None, None, job_input("服务员"), false).await.unwrap();
    assert_eq!(sub.page(&format!("/company/jobs/{}/edit", own.public_id)).await.0, 200);
    assert_eq!(w.recruiter.page(&format!("/company/jobs/{}/edit", own.public_id)).await.0, 200);
    let primary = rencai_app::market::actor::require_recruiter(&app.state, w.recruiter.account()).await.unwrap();
    assert_eq!(jobs::own_list(&app.state, &primary, None, None).await.unwrap().total, 2);
    assert_eq!(jobs::own_list(&app.state, &sub_rec, None, None).await.unwrap().total, 1);
    jobs::reassign(&app.state, &primary, &w.job_id, sub.account().id).await.unwrap();
    assert_eq!(sub.page(&edit).await.0, 200, "reassigned to the sub-account");
    assert!(
        jobs::reassign(&app.state, &sub_rec, &w.job_id, sub.account().id).await.is_err(),
        "only the primary reassigns"
    );
    // Seekers and visitors have no company center.
    let seeker = signed_in(app, Role::Seeker, &phone(8)).await;
    assert_eq!(seeker.page("/company").await.0, 403);
    assert_eq!(seeker.page("/resumes").await.0, 403);
    assert_eq!(Visitor::anonymous(app).page("/resumes").await.0, 303);
    assert_eq!(seeker.api_get("/api/v1/resumes").await.status(), 403);
    assert_eq!(Visitor::anonymous(app).api_get("/api/v1/resumes").await.status(), 401);
}

#[tokio::test]
async fn editing_a_published_job_sends_it_back_to_review_and_expiry_takes_it_down() {
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let app = TestApp::spawn_with(TestOptions {
        clock: clock.clone(),
        tweak: Box::new(|s| {
            s.auth.argon2_memory_kib = 64;
            s.auth.argon2_iterations = 1;
        }),
        ..Default::default()
    })
    .await;
    let c = signed_in(&app, Role::Company, &phone(1)).await;
    verified_org(&app, &c, "万州盛鑫汽车服务有限公司", 9).await;
    let rec = rencai_app::market::actor::require_recruiter(&app.state, c.account()).await.unwrap();
    let (_, staff) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    let job = jobs::save(&app.state, &rec, None, None, job_input("汽车维修工"), true).await.unwrap();
    jobs::review(&app.state, &staff, &job.public_id, true, None).await.unwrap();
    let visitor = Visitor::anonymous(&app);
    assert!(visitor.page("/jobs").await.1.contains("汽车维修工"));

    let mut edited = job_input("汽车维修技师");
    edited.salary_min = "6000".into();
    let j = jobs::save(&app.state, &rec, Some(&job.public_id), None, edited, false).await.unwrap();
    assert_eq!(j.status, "pending", "an edit of a published job goes back to review");
    assert!(!visitor.page("/jobs").await.1.contains("汽车维修"));
    jobs::review(&app.state, &staff, &job.public_id, true, None).await.unwrap();
    assert_eq!(jobs::expire_due(&app.state).await.unwrap(), 0);
    clock.advance(chrono::Duration::days(31));
    assert_eq!(jobs::expire_due(&app.state).await.unwrap(), 1);
    assert!(!visitor.page("/jobs").await.1.contains("汽车维修技师"));
    assert_eq!(visitor.page(&format!("/jobs/{}", job.public_id)).await.0, 404);
}

#[tokio::test]
async fn script_in_every_text_field_is_rendered_inert_and_bad_salaries_change_nothing() {
    let w = world().await;
    let app = &w.app;
    let rec = rencai_app::market::actor::require_recruiter(&app.state, w.recruiter.account()).await.unwrap();
    let mut bad = job_input("厨师");
    bad.salary_min = "9000".into();
    bad.salary_max = "5000".into();
    let e = jobs::save(&app.state, &rec, None, None, bad, true).await.unwrap_err();
    assert_eq!(e.code(), "job.invalid");
    assert_eq!(jobs::own_list(&app.state, &rec, None, None).await.unwrap().total, 1, "nothing stored");

    let xss = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let mut j = job_input("厨师<b>急</b>");
    j.description = format!("负责热菜出品与厨房卫生管理工作。{xss}保证出品质量。");
    j.address = format!("北山大道{xss}");
    let job = jobs::save(&app.state, &rec, None, None, j, true).await.unwrap();
    jobs::review(&app.state, &w.moderator, &job.public_id, true, None).await.unwrap();
    let (s, html) = Visitor::anonymous(app).page(&format!("/jobs/{}", job.public_id)).await;
    assert_eq!(s, 200);
    assert!(
        !html.contains("<script>alert") && !html.contains("<img src=x") && !html.contains("<b>急"),
        "markup escaped"
    );
    assert!(html.contains("&lt;script&gt;") || html.contains("&#60;script"), "shown as text");
    // Inside the JSON-LD block `<` is escaped too, so the script element cannot be closed.
    assert!(!html.contains("</script><img"));
    let seeker = signed_in(app, Role::Seeker, &phone(2)).await;
    let mut c = resume_content(&format!("王{xss}"));
    c.full_name = "王芳".into();
    c.self_intro = format!("{xss} 有多年后厨经验，做事踏实认真负责。");
    let r = resumes::save(&app.state, seeker.account(), None, &c, None).await.unwrap();
    resumes::set_visibility(&app.state, seeker.account(), &r.public_id, "public", true).await.unwrap();
    let (_, html) = w.recruiter.page(&format!("/resumes/{}", r.public_id)).await;
    assert!(!html.contains("<script>alert") && html.contains("有多年后厨经验"));
}

#[tokio::test]
async fn unknown_filters_are_clear_errors_and_visitors_have_a_page_cap() {
    let app = app_with(|s| s.market.anonymous_list_pages_per_hour = 3).await;
    let v = Visitor::anonymous(&app);
    let r = v.api_get("/api/v1/jobs?district=nowhere").await;
    assert_eq!(r.status(), 422);
    let p: serde_json::Value = r.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "district");
    let (s, html) = v.page("/jobs?sort=sideways").await;
    assert_eq!(s, 400);
    assert!(html.contains("没有这种排序方式"));
    assert_eq!(v.page("/jobs").await.0, 200, "the third list page in the hour");
    let r = v.get("/companies").await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("请登录后继续浏览"));
    let r = v.api_get("/api/v1/jobs").await;
    assert_eq!(r.status(), 429);
    let p: serde_json::Value = r.json().await.unwrap();
    assert_eq!(p["code"], "visitor.page_cap");
    // Signed in, the cap does not apply.
    let seeker = signed_in(&app, Role::Seeker, &phone(2)).await;
    assert_eq!(seeker.page("/jobs").await.0, 200);
    let r = seeker.api_get("/api/v1/jobs").await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn favourites_both_ways_and_a_kept_candidate_follows_the_access_policy() {
    let w = world().await;
    let app = &w.app;
    let seeker = signed_in(app, Role::Seeker, &phone(2)).await;
    let job_page = format!("/jobs/{}", w.job_id);
    assert!(seeker.page(&job_page).await.1.contains("☆ 收藏"));
    let r =
        seeker.post("/favourites", &[("kind", "job"), ("id", w.job_id.as_str()), ("back", job_page.as_str())]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], job_page.as_str());
    assert!(seeker.page(&job_page).await.1.contains("★ 已收藏"));
    seeker.post("/favourites", &[("kind", "company"), ("id", w.org.public_id.as_str())]).await;
    let (_, mine) = seeker.page("/me/favourites").await;
    assert!(mine.contains("川菜厨师") && mine.contains("万州峡江餐饮有限公司"));
    // An open redirect is not followed; a seeker cannot keep resumes.
    let r = seeker.post("/favourites", &[("kind", "job"), ("id", w.job_id.as_str()), ("back", "//evil.example")]).await;
    assert_eq!(r.headers()["location"], "/");
    let r = seeker.post("/favourites", &[("kind", "resume"), ("id", w.job_id.as_str())]).await;
    assert_eq!(r.status(), 403);

    // The recruiter keeps a candidate; once the seeker hides the resume it drops out.
    let res = resumes::save(&app.state, seeker.account(), None, &resume_content("赵敏"), None).await.unwrap();
    resumes::set_visibility(&app.state, seeker.account(), &res.public_id, "public", true).await.unwrap();
    let r = w.recruiter.post("/favourites", &[("kind", "resume"), ("id", res.public_id.as_str())]).await;
    assert_eq!(r.status(), 303);
    let (_, kept) = w.recruiter.page("/company/candidates").await;
    assert!(kept.contains("赵女士") && !kept.contains("赵敏"), "kept, and still masked");
    resumes::set_visibility(&app.state, seeker.account(), &res.public_id, "hidden", true).await.unwrap();
    let (_, kept) = w.recruiter.page("/company/candidates").await;
    assert!(!kept.contains(&res.public_id), "a hidden resume leaves the kept list");
    // Nor can a hidden resume be kept.
    let r = w.recruiter.post("/favourites", &[("kind", "resume"), ("id", res.public_id.as_str())]).await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn the_search_form_with_empty_fields_works() {
    let w = world().await;
    let v = Visitor::anonymous(&w.app);
    let (s, html) = v.page("/jobs?q=川菜&district=&category=&salary_min=&experience=&education=&type=&sort=").await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("<mark>川菜</mark>厨师"));
    assert_eq!(v.page("/jobs?salary_min=lots").await.0, 400, "a salary that is not a number is still an error");
}

#[tokio::test]
async fn quick_and_one_line_posts_are_moderated_and_a_seekers_phone_is_a_logged_disclosure() {
    let w = world().await;
    let app = &w.app;
    let (staff, _) = staff_member(app, StaffRole::Moderator, &phone(901)).await;
    // 速聘 by the company: a fee demand is refused; a clean one waits for review.
    let quick = |body: &'static str| {
        vec![
            ("title", "急招火锅店服务员"),
            ("body", body),
            ("district", "wz-gaosuntang"),
            ("category", "catering-waiter"),
            ("salary_min", "3500"),
            ("salary_max", "4500"),
            ("contact_phone", "13812345678"),
        ]
    };
    let r = w.recruiter.post("/quick", &quick("包吃住，入职先交押金200元，月休四天。")).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("禁止向求职者收费"));
    assert_eq!(w.recruiter.post("/quick", &quick("包吃住，月休四天，下午两点到晚上十点。")).await.status(), 303);
    let visitor = Visitor::anonymous(app);
    assert!(!visitor.page("/quick").await.1.contains("急招火锅店服务员"), "not before review");
    let (_, queue) = staff.page("/admin/light").await;
    let id =
        regex::Regex::new(r"/admin/light/([0-9a-f-]{36})/review").unwrap().captures(&queue).unwrap()[1].to_string();
    assert_eq!(staff.post(&format!("/admin/light/{id}/review"), &[("decision", "approve")]).await.status(), 303);
    let (_, list) = visitor.page("/quick").await;
    assert!(list.contains("急招火锅店服务员") && !list.contains("13812345678"), "visitors do not see the phone");
    let seeker = signed_in(app, Role::Seeker, &phone(2)).await;
    assert!(seeker.page("/quick").await.1.contains("13812345678"), "signed-in seekers do");

    // 一句话求职 by the seeker: contact details in the line are refused; "男，35岁" is not.
    let r = seeker
        .post(
            "/wanted",
            &[("body", "会开叉车，电话13900000002"), ("district", "wz-gaosuntang"), ("category", "logistics-forklift")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = seeker
        .post(
            "/wanted",
            &[
                ("body", "男，35岁，会开叉车，想在五桥附近找仓库工作"),
                ("district", "wz-gaosuntang"),
                ("category", "logistics-forklift"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        w.recruiter
            .post("/wanted", &[("body", "招人"), ("district", "wz-gaosuntang"), ("category", "logistics-forklift")])
            .await
            .status(),
        403
    );
    let (_, queue) = staff.page("/admin/light").await;
    let id =
        regex::Regex::new(r"/admin/light/([0-9a-f-]{36})/review").unwrap().captures(&queue).unwrap()[1].to_string();
    assert_eq!(staff.post(&format!("/admin/light/{id}/review"), &[("decision", "approve")]).await.status(), 303);
    let (_, list) = w.recruiter.page("/wanted").await;
    assert!(list.contains("会开叉车") && !list.contains("13900000002"));
    let (s, html) =
        w.recruiter.post(&format!("/wanted/{id}/contact"), &[]).await.text().await.map(|t| (200, t)).unwrap();
    assert_eq!(s, 200);
    assert!(html.contains("13900000002"));
    let disclosures = resumes::disclosures(&app.state, seeker.account()).await.unwrap();
    assert_eq!(disclosures.len(), 1, "the reveal is on the seeker's disclosure log");
    // A company the seeker blocked gets nothing, exactly as for resumes.
    resumes::block(&app.state, seeker.account(), &w.org.public_id).await.unwrap();
    assert_eq!(w.recruiter.post(&format!("/wanted/{id}/contact"), &[]).await.status(), 404);
    resumes::unblock(&app.state, seeker.account(), &w.org.public_id).await.unwrap();
    // An unverified company cannot reveal it.
    let other = signed_in(app, Role::Company, &phone(10)).await;
    rencai_app::market::companies::create(
        &app.state,
        other.account(),
        rencai_testkit::market::profile("万州某小店", 10),
        true,
    )
    .await
    .unwrap();
    assert_eq!(other.post(&format!("/wanted/{id}/contact"), &[]).await.status(), 403);
}

/// A multipart body with one file field, as a browser sends it.
fn multipart(file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----rencaitestboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts a file as a browser would, the CSRF token in the address (`path` has a query already
/// or not).
async fn post_file(v: &Visitor, path: &str, name: &str, bytes: &[u8]) -> reqwest::Response {
    let (ct, body) = multipart(name, bytes);
    let token: String = form_urlencoded::byte_serialize(v.csrf.as_bytes()).collect();
    let sep = if path.contains('?') { '&' } else { '?' };
    v.client
        .post(format!("{}{path}{sep}csrf={token}", v.base))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn upload(v: &Visitor, resume: &str, name: &str, bytes: &[u8]) -> reqwest::Response {
    post_file(v, &format!("/me/resumes/{resume}/attachments"), name, bytes).await
}

#[tokio::test]
async fn attachments_are_checked_by_content_encrypted_redacted_for_search_and_served_only_in_full_view() {
    let w = world().await;
    let app = &w.app;
    let seeker = signed_in(app, Role::Seeker, &phone(2)).await;
    let r = resumes::save(&app.state, seeker.account(), None, &resume_content("欧阳娜"), None).await.unwrap();
    resumes::set_visibility(&app.state, seeker.account(), &r.public_id, "public", true).await.unwrap();
    let secret = "欧阳娜 手机 13900000002 邮箱 ouyang@example.com 八年川菜经验 擅长火锅底料";

    // Lies about type, empty, too big for the limit, no CSRF token: refused, nothing stored.
    assert_eq!(upload(&seeker, &r.public_id, "简历.pdf", b"MZ\x90\0 not a pdf").await.status(), 422);
    assert_eq!(upload(&seeker, &r.public_id, "简历.pdf", b"%PDF-1.7 garbage only").await.status(), 422);
    let r2 = upload(&seeker, &r.public_id, "简历.pdf", b"").await;
    assert_eq!(r2.status(), 422);
    let (ct, body) = multipart("简历.docx", &docx(secret));
    let no_token = seeker
        .client
        .post(format!("{}/me/resumes/{}/attachments", seeker.base, r.public_id))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), 403);
    let row = rencai_store::market::resumes::find_public(app.state.db().conn(), &r.public_id).await.unwrap().unwrap();
    assert!(rencai_app::market::attachments::list(&app.state, row.id).await.unwrap().is_empty());

    // A real Word file: accepted under its true type; bytes on disk are ciphertext.
    let res = upload(&seeker, &r.public_id, "C:\\简历\\欧阳娜的简历.DOCX", &docx(secret)).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let files = rencai_app::market::attachments::list(&app.state, row.id).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name, "欧阳娜的简历.docx");
    let stored = rencai_store::files::find_public(app.state.db().conn(), &files[0].public_id).await.unwrap().unwrap();
    let on_disk = std::fs::read(app.state.settings().uploads_dir().join(&stored.storage_name)).unwrap();
    assert!(
        !rencai_testkit::contains_bytes(&on_disk, "八年川菜经验".as_bytes())
            && !rencai_testkit::contains_bytes(&on_disk, b"word/document.xml")
    );
    let text = stored.text_redacted.clone().unwrap();
    assert!(
        text.contains("八年川菜经验")
            && !text.contains("欧阳娜")
            && !text.contains("13900000002")
            && !text.contains("ouyang@"),
        "{text}"
    );
    // The owner downloads it back, with a safe Content-Disposition.
    let d = seeker.get(&format!("/me/files/{}", files[0].public_id)).await;
    assert_eq!(d.status(), 200);
    let cd = d.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(cd.starts_with("attachment;") && cd.contains("filename*=UTF-8''"), "{cd}");
    assert_eq!(d.headers()["x-content-type-options"], "nosniff");
    assert_eq!(d.bytes().await.unwrap().as_ref(), docx(secret).as_slice());

    // A recruiter who sees the resume masked cannot download it; nobody else's seeker can either.
    let path = format!("/resumes/{}/files/{}", r.public_id, files[0].public_id);
    assert_eq!(w.recruiter.get(&path).await.status(), 403);
    assert!(!w.recruiter.page(&format!("/resumes/{}", r.public_id)).await.1.contains(&files[0].public_id));
    let other = signed_in(app, Role::Seeker, &phone(3)).await;
    assert_eq!(other.get(&format!("/me/files/{}", files[0].public_id)).await.status(), 404);
    // Once the seeker applies, the company may, and the seeker sees the download.
    rencai_app::market::applications::apply(&app.state, seeker.account(), &w.job_id, &r.public_id).await.unwrap();
    let d = w.recruiter.get(&path).await;
    assert_eq!(d.status(), 200);
    assert!(seeker.page("/me/viewers").await.1.contains("下载了简历"));
    // Deleting removes the file from disk too.
    assert_eq!(seeker.post(&format!("/me/files/{}/delete", files[0].public_id), &[]).await.status(), 303);
    assert!(!app.state.settings().uploads_dir().join(&stored.storage_name).exists());
}

#[tokio::test]
async fn an_attachment_over_the_size_limit_is_refused_as_it_arrives() {
    let app = app_with(|s| s.market.max_attachment_kib = 1).await;
    let seeker = signed_in(&app, Role::Seeker, &phone(2)).await;
    let r = resumes::save(&app.state, seeker.account(), None, &resume_content("周杰"), None).await.unwrap();
    let mut big = b"%PDF-1.7\n".to_vec();
    big.extend(std::iter::repeat_n(b'x', 4096));
    let res = upload(&seeker, &r.public_id, "big.pdf", &big).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("文件不能超过"));
}

#[tokio::test]
async fn the_primary_account_invites_a_recruiter_by_sms_who_joins_and_can_be_handed_jobs() {
    let w = world().await;
    let app = &w.app;
    let colleague_phone = phone(20);
    let r = w.recruiter.post("/company/members/invite", &[("phone", colleague_phone.as_str())]).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("邀请已发送"));
    rencai_testkit::drain_deliveries(&app.state).await;
    let p = rencai_domain::account::Phone::parse(&colleague_phone).unwrap();
    let sent = rencai_app::providers::sms_outbox::read(app.state.db(), app.state.keys(), Some(&p), 1).await.unwrap();
    assert_eq!(sent[0].template, "recruiter_invite");
    assert_eq!(sent[0].params["company"], "万州峡江餐饮有限公司");
    let code = sent[0].params["code"].clone();

    // Someone else with the code but another number cannot use it; a wrong code is refused.
    let stranger = signed_in(app, Role::Company, &phone(21)).await;
    assert_eq!(stranger.post("/company/join", &[("code", code.as_str())]).await.status(), 422);
    let colleague = signed_in(app, Role::Company, &colleague_phone).await;
    assert_eq!(colleague.post("/company/join", &[("code", "000000")]).await.status(), 422);
    let (_, page) = colleague.page("/company").await;
    assert!(page.contains("收到了同事的邀请"));
    let r = colleague.post("/company/join", &[("code", code.as_str())]).await;
    assert_eq!(r.status(), 303);
    let rec = rencai_app::market::actor::require_recruiter(&app.state, colleague.account()).await.unwrap();
    assert_eq!(rec.org.id, w.org.id);
    assert!(!rec.primary);
    assert_eq!(colleague.post("/company/join", &[("code", code.as_str())]).await.status(), 409, "used once");
    // A sub-account cannot invite; the primary sees the member and hands it a job.
    assert_eq!(colleague.post("/company/members/invite", &[("phone", "13900000099")]).await.status(), 403);
    let (_, home) = w.recruiter.page("/company").await;
    assert!(home.contains("139****0020") && home.contains("转交"));
    let to = colleague.account().id.to_string();
    let r = w.recruiter.post(&format!("/company/jobs/{}/reassign", w.job_id), &[("to", to.as_str())]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(colleague.page(&format!("/company/jobs/{}/edit", w.job_id)).await.0, 200);
    // Handing a job to someone outside the organisation is refused.
    let outsider = stranger.account().id.to_string();
    let r = w.recruiter.post(&format!("/company/jobs/{}/reassign", w.job_id), &[("to", outsider.as_str())]).await;
    assert_eq!(r.status(), 422);
}

#[tokio::test]
async fn real_name_checks_are_limited_per_day_and_a_mismatch_is_a_clear_error() {
    let app = app().await;
    let c = signed_in(&app, Role::Company, &phone(1)).await;
    rencai_app::market::companies::create(
        &app.state,
        c.account(),
        rencai_testkit::market::profile("万州某店", 1),
        true,
    )
    .await
    .unwrap();
    let id = rencai_testkit::market::id_number();
    // The dev verifier says "mismatch" for names containing 不符.
    for _ in 0..rencai_app::market::realname::MAX_CHECKS_PER_DAY {
        let r = c.post("/company/realname", &[("name", "王不符"), ("id_number", id.as_str())]).await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("姓名与身份证号不一致"));
    }
    let r = c.post("/company/realname", &[("name", "王建国"), ("id_number", id.as_str())]).await;
    assert_eq!(r.status(), 429, "the sixth check in a day");
    assert!(r.headers().contains_key("retry-after"));
    let rec = rencai_app::market::actor::require_recruiter(&app.state, c.account()).await.unwrap();
    assert!(!rec.real_name_verified);
}

#[tokio::test]
async fn content_editors_add_rename_and_retire_taxonomy_terms_with_stable_codes() {
    let app = app().await;
    let (editor, _) = staff_member(&app, StaffRole::ContentEditor, &phone(902)).await;
    let (_, page) = editor.page("/admin/taxonomies?kind=benefit").await;
    assert!(page.contains("五险一金"));
    let add = |code: &'static str, name: &'static str| {
        vec![("kind", "benefit"), ("action", "add"), ("code", code), ("name", name)]
    };
    assert_eq!(
        editor.post("/admin/taxonomies", &add("Shuttle Bus", "免费班车")).await.status(),
        422,
        "codes are lower-case"
    );
    assert_eq!(editor.post("/admin/taxonomies", &add("meals", "包吃")).await.status(), 409, "a used code");
    assert_eq!(editor.post("/admin/taxonomies", &add("shuttle-bus", "免费班车")).await.status(), 303);
    // Renaming and retiring keep the code; a retired term is no longer offered.
    let r = editor
        .post("/admin/taxonomies", &[("kind", "benefit"), ("action", "update"), ("code", "meals"), ("name", "包三餐")])
        .await;
    assert_eq!(r.status(), 303);
    let terms = rencai_app::taxonomy::list(&app.state, rencai_domain::taxonomy::TaxonomyKind::Benefit).await.unwrap();
    assert!(terms.iter().any(|t| t.code == "shuttle-bus" && t.name == "免费班车"));
    assert!(!terms.iter().any(|t| t.code == "meals"), "unticked 启用: retired");
    let c = signed_in(&app, Role::Company, &phone(1)).await;
    verified_org(&app, &c, "万州峡江餐饮有限公司", 1).await;
    let (_, form) = c.page("/company/jobs/new").await;
    assert!(form.contains("免费班车") && !form.contains("包三餐"));
    // A moderator may not edit them.
    let (moderator, _) = staff_member(&app, StaffRole::Moderator, &phone(903)).await;
    assert_eq!(moderator.page("/admin/taxonomies").await.0, 403);
}

#[tokio::test]
async fn review_fixes_unverified_organisations_free_text_deleted_attachments_and_odd_bytes() {
    let w = world().await;
    let app = &w.app;
    let seeker = signed_in(app, Role::Seeker, &phone(2)).await;
    let mut c = resume_content("钱多多");
    c.self_intro = "我叫钱多多，电话13900000002，微信qdd_2026，做事认真负责，有多年后厨经验。".into();
    let r = resumes::save(&app.state, seeker.account(), None, &c, None).await.unwrap();
    resumes::set_visibility(&app.state, seeker.account(), &r.public_id, "public", true).await.unwrap();

    // An organisation nobody verified sees no resumes at all.
    let shady = signed_in(app, Role::Company, &phone(30)).await;
    rencai_app::market::companies::create(
        &app.state,
        shady.account(),
        rencai_testkit::market::profile("某某公司", 30),
        true,
    )
    .await
    .unwrap();
    assert_eq!(shady.page("/resumes").await.0, 403);
    assert_eq!(shady.page(&format!("/resumes/{}", r.public_id)).await.0, 403);
    assert_eq!(shady.post(&format!("/resumes/{}/unlock", r.public_id), &[]).await.status(), 403);
    assert_eq!(shady.api_get("/api/v1/resumes").await.status(), 403);
    assert_eq!(shady.post("/company/members/invite", &[("phone", "13900000077")]).await.status(), 403);

    // A masked viewer does not read identifiers typed into the free text.
    let (_, html) = w.recruiter.page(&format!("/resumes/{}", r.public_id)).await;
    assert!(html.contains("钱女士") && html.contains("多年后厨经验"));
    for leak in ["钱多多", "13900000002", "qdd_2026"] {
        assert!(!html.contains(leak), "{leak} shown to a masked viewer");
    }

    // A hidden resume cannot be used to apply (the company could not open it).
    resumes::set_visibility(&app.state, seeker.account(), &r.public_id, "hidden", true).await.unwrap();
    let e = rencai_app::market::applications::apply(&app.state, seeker.account(), &w.job_id, &r.public_id)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "resume.hidden");

    // Deleting a resume deletes its attachments, rows and files.
    let res = upload(&seeker, &r.public_id, "简历.docx", &docx("后厨经验")).await;
    assert_eq!(res.status(), 303);
    let row = rencai_store::market::resumes::find_public(app.state.db().conn(), &r.public_id).await.unwrap().unwrap();
    let file = rencai_app::market::attachments::list(&app.state, row.id).await.unwrap().remove(0);
    let stored = rencai_store::files::find_public(app.state.db().conn(), &file.public_id).await.unwrap().unwrap();
    assert_eq!(seeker.post(&format!("/me/resumes/{}/delete", r.public_id), &[]).await.status(), 303);
    assert!(rencai_store::files::find_public(app.state.db().conn(), &file.public_id).await.unwrap().is_none());
    assert!(!app.state.settings().uploads_dir().join(&stored.storage_name).exists());

    // NUL and other control bytes in addresses and forms are ordinary bad input, on every engine.
    let v = Visitor::anonymous(app);
    for path in ["/jobs?q=%00", "/jobs/%00", "/companies/%00abc", "/companies?q=a%00b"] {
        let s = v.page(path).await.0;
        assert!(s < 500, "{path} → {s}");
    }
    let s = w.recruiter.page("/resumes/%00").await.0;
    assert_eq!(s, 404);
    // A form drops control bytes before anything reads them; the stored title has none.
    let form = job_form("厨师\u{0}长", "负责热菜的烹饪与出品，保证菜品口味稳定；协助管理食材库存与厨房卫生。", "draft");
    assert_eq!(w.recruiter.post("/company/jobs", &form).await.status(), 303);
    let rec = rencai_app::market::actor::require_recruiter(&app.state, w.recruiter.account()).await.unwrap();
    let drafts = jobs::own_list(&app.state, &rec, Some("draft"), None).await.unwrap();
    assert_eq!(drafts.items[0].title, "厨师长");
    // Through any other door (the API, a use case) the domain refuses them outright.
    let e = jobs::save(&app.state, &rec, None, None, job_input("厨师\u{0}"), false).await.unwrap_err();
    assert_eq!(e.code(), "job.invalid");
    assert!(format!("{e:?}").contains("field.control_character"));
}

async fn upload_org(v: &Visitor, kind: &str, name: &str, bytes: &[u8]) -> reqwest::Response {
    post_file(v, &format!("/company/files?kind={kind}"), name, bytes).await
}

#[tokio::test]
async fn an_organisations_logo_and_photos_are_public_and_its_licence_only_for_its_recruiters_and_reviewers() {
    let w = world().await;
    let app = &w.app;
    let png = PNG;
    assert_eq!(upload_org(&w.recruiter, "logo", "logo.png", b"%PDF-1.7 not an image").await.status(), 422);
    assert_eq!(upload_org(&w.recruiter, "logo", "logo.png", png).await.status(), 303);
    assert_eq!(upload_org(&w.recruiter, "photo", "门店.png", png).await.status(), 303);
    assert_eq!(upload_org(&w.recruiter, "qualification", "营业执照.png", png).await.status(), 303);
    let list = |k| rencai_app::market::org_files::list(&app.state, w.org.id, k);
    use rencai_app::market::org_files::OrgFile;
    let logo = list(OrgFile::Logo).await.unwrap().remove(0);
    let licence = list(OrgFile::Qualification).await.unwrap().remove(0);
    // A second logo replaces the first.
    assert_eq!(upload_org(&w.recruiter, "logo", "logo2.png", png).await.status(), 303);
    assert_eq!(list(OrgFile::Logo).await.unwrap().len(), 1);
    let logo2 = list(OrgFile::Logo).await.unwrap().remove(0);
    assert_ne!(logo.public_id, logo2.public_id);

    let v = Visitor::anonymous(app);
    let (_, page) = v.page(&format!("/companies/{}", w.org.public_id)).await;
    assert!(page.contains(&format!("/images/{}", logo2.public_id)) && page.contains("环境照片"));
    let img = v.get(&format!("/companies/{}/images/{}", w.org.public_id, logo2.public_id)).await;
    assert_eq!(img.status(), 200);
    assert_eq!(img.headers()["content-type"], "image/png");
    assert_eq!(v.get(&format!("/companies/{}/images/{}", w.org.public_id, licence.public_id)).await.status(), 404);
    // The licence: the organisation's own recruiters, and reviewers (audited).
    assert_eq!(w.recruiter.get(&format!("/company/files/{}", licence.public_id)).await.status(), 200);
    let other = signed_in(app, Role::Company, &phone(40)).await;
    verified_org(app, &other, "万州天城物流有限公司", 40).await;
    assert_eq!(other.get(&format!("/company/files/{}", licence.public_id)).await.status(), 404);
    let (staff, _) = staff_member(app, StaffRole::Moderator, &phone(904)).await;
    let before = rencai_store::audit::count(app.state.db().conn()).await.unwrap();
    assert_eq!(staff.get(&format!("/admin/files/{}", licence.public_id)).await.status(), 200);
    assert!(rencai_store::audit::count(app.state.db().conn()).await.unwrap() > before, "the opening is audited");
}

#[tokio::test]
async fn the_resume_pdf_is_for_full_view_only_and_carries_the_downloaders_watermark() {
    let w = world().await;
    let app = &w.app;
    let seeker = signed_in(app, Role::Seeker, &phone(2)).await;
    let r = resumes::save(&app.state, seeker.account(), None, &resume_content("孙丽"), None).await.unwrap();
    resumes::set_visibility(&app.state, seeker.account(), &r.public_id, "public", true).await.unwrap();
    let path = format!("/resumes/{}/pdf", r.public_id);
    assert_eq!(w.recruiter.get(&path).await.status(), 403, "masked: no PDF");
    rencai_app::market::applications::apply(&app.state, seeker.account(), &w.job_id, &r.public_id).await.unwrap();
    let (_, page) = w.recruiter.page(&format!("/resumes/{}", r.public_id)).await;
    assert!(page.contains(&path));
    let d = w.recruiter.get(&path).await;
    assert_eq!(d.status(), 200);
    assert_eq!(d.headers()["content-type"], "application/pdf");
    assert!(d.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    let bytes = d.bytes().await.unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    assert!(text.contains("孙丽") && text.contains("13900000002"), "the full resume");
    assert!(text.contains("万州峡江餐饮有限公司 下载"), "the watermark names the company");
    assert!(seeker.page("/me/viewers").await.1.contains("下载了简历"));
}

#[tokio::test]
async fn top_placement_spends_top_days_and_puts_the_job_first() {
    let w = world().await;
    let app = &w.app;
    let rec = rencai_app::market::actor::require_recruiter(&app.state, w.recruiter.account()).await.unwrap();
    // A second, fresher job would list first on its own.
    let other = jobs::save(&app.state, &rec, None, None, job_input("面点师"), true).await.unwrap();
    jobs::review(&app.state, &w.moderator, &other.public_id, true, None).await.unwrap();
    let top = format!("/company/jobs/{}/top", w.job_id);
    let r = w.recruiter.post(&top, &[("days", "3")]).await;
    assert_eq!(r.status(), 409, "no top-placement days granted yet");
    assert!(r.text().await.unwrap().contains("置顶天数已用完"));
    let (finance, fin) = staff_member(app, StaffRole::Finance, &phone(905)).await;
    let _ = finance;
    rencai_app::market::quota::grant(
        &app.state,
        &fin,
        &w.org.public_id,
        rencai_app::market::quota::QuotaKind::TopDay,
        5,
        30,
        "套餐",
    )
    .await
    .unwrap();
    assert_eq!(w.recruiter.post(&top, &[("days", "9")]).await.status(), 409, "more days than granted: nothing spent");
    assert_eq!(w.recruiter.post(&top, &[("days", "3")]).await.status(), 303);
    let (granted, used) = rencai_app::market::quota::balance(
        app.state.db().conn(),
        w.org.id,
        rencai_app::market::quota::QuotaKind::TopDay,
        app.state.now(),
    )
    .await
    .unwrap();
    assert_eq!((granted, used), (5, 3));
    let list = jobs::public_list(&app.state, &Default::default(), jobs::Listing::All).await.unwrap();
    assert_eq!(list.page.items[0].job.public_id, w.job_id, "the placed job leads the list");
    assert!(Visitor::anonymous(app).page("/jobs").await.1.contains("置顶"));
    assert_eq!(w.recruiter.post(&top, &[("days", "0")]).await.status(), 422);
}

#[tokio::test]
async fn script_in_the_company_profile_and_light_posts_is_rendered_inert() {
    let w = world().await;
    let app = &w.app;
    let xss = "<script>alert(1)</script>";
    let mut p = rencai_testkit::market::profile("万州峡江餐饮有限公司", 1);
    p.intro = format!("本地餐饮企业。{xss}<img src=x onerror=alert(2)>");
    p.address = format!("北山大道{xss}");
    let rec = rencai_app::market::actor::require_recruiter(&app.state, w.recruiter.account()).await.unwrap();
    rencai_app::market::companies::update(&app.state, &rec, p).await.unwrap();
    let (s, html) = Visitor::anonymous(app).page(&format!("/companies/{}", w.org.public_id)).await;
    assert_eq!(s, 200);
    assert!(!html.contains("<script>alert") && !html.contains("<img src=x"), "markup escaped");
    assert!(html.contains("&lt;script&gt;") || html.contains("&#60;script"), "shown as text");
    let r = w
        .recruiter
        .post(
            "/quick",
            &[
                ("title", "急招<b>服务员</b>"),
                ("body", "包吃住，月休四天<script>alert(3)</script>，下午两点上班。"),
                ("district", "wz-gaosuntang"),
                ("category", "catering-waiter"),
                ("negotiable", "1"),
                ("contact_phone", "13812345678"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, mine) = w.recruiter.page("/quick").await;
    assert!(!mine.contains("<b>服务员") && !mine.contains("<script>alert(3)"));
}
