//! Applications and the hiring pipeline (M8), notifications (M11) and their channel switches
//! (P13): every transition and the forbidden ones, the limits, who manages an application
//! (P17) and who does not (IDOR), the contact that applying opens (P6), and the pages and API.

use rencai_app::AppError;
use rencai_app::market::actor::{self, Recruiter};
use rencai_app::market::applications::{self as apps, ReceivedFilters, RejectInput};
use rencai_app::market::{jobs, resumes};
use rencai_app::notify;
use rencai_domain::access::ResumeAccess;
use rencai_domain::account::Role;
use rencai_domain::application::{InterviewInput, Stage};
use rencai_domain::staff::StaffRole;
use rencai_testkit::market::{Visitor, job_input, phone, resume_content, signed_in, staff_member, verified_org};
use rencai_testkit::{TestApp, error_code as code};

/// Company A (primary A1 owning `job`, sub-account A2 owning `job2`), company B (B1), and a
/// seeker with a public, complete resume.
struct World {
    app: TestApp,
    a1: Visitor,
    a2: Visitor,
    b1: Visitor,
    seeker: Visitor,
    resume: String,
    job: String,
    job2: String,
}

impl World {
    async fn rec(&self, v: &Visitor) -> Recruiter {
        actor::require_recruiter(&self.app.state, v.account()).await.unwrap()
    }
}

async fn world_with(tweak: impl FnOnce(&mut rencai_app::Settings) + Send + 'static) -> World {
    let app = TestApp::spawn_cheap(tweak).await;
    let state = &app.state;
    let a1 = signed_in(&app, Role::Company, &phone(1)).await;
    let a_org = verified_org(&app, &a1, "万州峡江餐饮有限公司", 1).await;
    let a2 = signed_in(&app, Role::Company, &phone(2)).await;
    rencai_store::market::companies::add_member(state.db().conn(), a_org.id, a2.account().id, false, state.now())
        .await
        .unwrap();
    let b1 = signed_in(&app, Role::Company, &phone(3)).await;
    verified_org(&app, &b1, "万州鸿达建材有限公司", 3).await;
    let (_, moderator) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    let a1_rec = actor::require_recruiter(state, a1.account()).await.unwrap();
    // A2 passes the real-name check so it may post.
    rencai_testkit::market::real_name(&app, &a2).await;
    let a2_rec = actor::require_recruiter(state, a2.account()).await.unwrap();
    let job = jobs::save(state, &a1_rec, None, None, job_input("川菜厨师"), true).await.unwrap().public_id;
    jobs::review(state, &moderator, &job, true, None).await.unwrap();
    let job2 = jobs::save(state, &a2_rec, None, None, job_input("服务员"), true).await.unwrap().public_id;
    jobs::review(state, &moderator, &job2, true, None).await.unwrap();
    let seeker = signed_in(&app, Role::Seeker, &phone(11)).await;
    let r = resumes::save(state, seeker.account(), None, &resume_content("李秀英"), None).await.unwrap();
    resumes::set_visibility(state, seeker.account(), &r.public_id, "public", true).await.unwrap();
    World { app, a1, a2, b1, seeker, resume: r.public_id, job, job2 }
}

async fn world() -> World {
    world_with(|_| {}).await
}

fn invitation(app: &TestApp, mode: &str, place: &str) -> InterviewInput {
    InterviewInput {
        starts_at: (app.state.now() + chrono::Duration::days(2)).to_rfc3339(),
        mode: mode.into(),
        place: place.into(),
        contact_name: "王经理".into(),
        contact_phone: "13812345678".into(),
        ..Default::default()
    }
}

async fn stage(w: &World, id: &str) -> Stage {
    apps::seeker_detail(&w.app.state, w.seeker.account(), id).await.unwrap().summary.stage
}

#[tokio::test]
async fn the_whole_pipeline_each_step_seen_and_notified_and_no_step_out_of_order() {
    let w = world().await;
    let state = &w.app.state;
    let a1 = w.rec(&w.a1).await;
    let id = apps::apply(state, w.seeker.account(), &w.job, &w.resume).await.unwrap();
    assert_eq!(stage(&w, &id).await, Stage::New);
    let (notices, _) = notify::center(state, w.a1.account().id, 1).await.unwrap();
    assert_eq!(notices[0].title, "收到新的投递", "the job's owner is told");
    assert_eq!(notices[0].link, format!("/company/applications/{id}"));

    // Forbidden before anything: a hire nobody was offered, an offer without a shortlist.
    let none = RejectInput::default();
    for step in ["hire", "offer"] {
        let out = apps::step_many(state, &a1, std::slice::from_ref(&id), step, &none).await.unwrap();
        assert!(out.moved.is_empty(), "{step} from new");
        assert!(out.refused[0].1.contains("当前状态为“已投递”"), "{:?}", out.refused);
    }
    assert_eq!(
        code(apps::step_many(state, &a1, std::slice::from_ref(&id), "withdraw", &none).await.unwrap_err()),
        "application.unknown_step"
    );

    // Opening it marks it viewed, once; the seeker is told and reads the full history.
    let (d, resume) = apps::open(state, &a1, &id).await.unwrap();
    assert_eq!(d.summary.stage, Stage::Viewed);
    assert_eq!(resume.unwrap().access, ResumeAccess::Full, "applying opened the contact to A (P6)");
    apps::open(state, &a1, &id).await.unwrap();
    for (step, want) in [("shortlist", Stage::Shortlisted)] {
        let out = apps::step_many(state, &a1, std::slice::from_ref(&id), step, &none).await.unwrap();
        assert_eq!(out.moved, vec![id.clone()]);
        assert_eq!(stage(&w, &id).await, want);
    }
    // Backwards is refused.
    let out = apps::step_many(state, &a1, std::slice::from_ref(&id), "shortlist", &none).await.unwrap();
    assert_eq!(out.refused.len(), 1);

    // An interview: the seeker gets the details, asks for another time, is invited again
    // (the first invitation is replaced), accepts; the recruiter is told each answer.
    apps::invite(state, &a1, std::slice::from_ref(&id), &invitation(&w.app, "onsite", "万州区北山大道88号3楼"))
        .await
        .unwrap();
    let d = apps::seeker_detail(state, w.seeker.account(), &id).await.unwrap();
    assert_eq!(d.summary.stage, Stage::Interview);
    assert_eq!(d.interviews[0].details.place, "万州区北山大道88号3楼");
    let first = d.interviews[0].public_id.clone();
    let e = apps::answer(state, w.seeker.account(), &first, "reschedule", "").await.unwrap_err();
    assert_eq!(code(e), "field.required", "a new time is asked for in words");
    apps::answer(state, w.seeker.account(), &first, "reschedule", "周四下午都可以").await.unwrap();
    let e = apps::answer(state, w.seeker.account(), &first, "accept", "").await.unwrap_err();
    assert_eq!(code(e), "interview.closed", "answered once");
    apps::invite(state, &a1, std::slice::from_ref(&id), &invitation(&w.app, "video", "https://meeting.example/j/123"))
        .await
        .unwrap();
    let d = apps::seeker_detail(state, w.seeker.account(), &id).await.unwrap();
    assert_eq!(d.interviews.len(), 2);
    assert_eq!(d.interviews[1].state, "reschedule", "the first kept its answer");
    assert!(d.interviews[0].awaiting_answer());
    apps::answer(state, w.seeker.account(), &d.interviews[0].public_id, "accept", "").await.unwrap();
    let (notices, _) = notify::center(state, w.a1.account().id, 1).await.unwrap();
    assert!(notices[0].body.contains("接受面试"), "{:?}", notices[0]);
    assert!(notices[1].body.contains("希望改期"));

    // Offer, hire; then the application is closed to everyone.
    for step in ["offer", "hire"] {
        let out = apps::step_many(state, &a1, std::slice::from_ref(&id), step, &none).await.unwrap();
        assert_eq!(out.moved.len(), 1, "{step}: {:?}", out.refused);
    }
    let e = apps::withdraw(state, w.seeker.account(), &id, "").await.unwrap_err();
    assert_eq!(code(e), "application.step_refused");
    let out = apps::step_many(state, &a1, std::slice::from_ref(&id), "reject", &none).await.unwrap();
    assert!(out.refused[0].1.contains("已入职"), "{:?}", out.refused);

    let d = apps::seeker_detail(state, w.seeker.account(), &id).await.unwrap();
    let history: Vec<Stage> = d.events.iter().map(|e| e.stage).collect();
    assert_eq!(
        history,
        [
            Stage::New,
            Stage::Viewed,
            Stage::Shortlisted,
            Stage::Interview,
            Stage::Interview,
            Stage::Offered,
            Stage::Hired
        ]
    );
    let (seen, total) = notify::center(state, w.seeker.account().id, 1).await.unwrap();
    let titles: Vec<&str> = seen.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(total, 6, "{titles:?}");
    assert_eq!(titles[0], "投递状态更新：已入职");
    assert!(titles.contains(&"面试邀请") && titles.contains(&"投递状态更新：已查看"));
}

#[tokio::test]
async fn a_rejection_carries_its_reason_closes_the_invitation_and_a_withdrawal_tells_the_recruiter() {
    let w = world().await;
    let state = &w.app.state;
    let a1 = w.rec(&w.a1).await;
    let a2 = w.rec(&w.a2).await;
    let first = apps::apply(state, w.seeker.account(), &w.job, &w.resume).await.unwrap();
    let second = apps::apply(state, w.seeker.account(), &w.job2, &w.resume).await.unwrap();
    apps::invite(state, &a1, std::slice::from_ref(&first), &invitation(&w.app, "onsite", "北山大道88号"))
        .await
        .unwrap();

    // Words for the seeker may not smuggle a contact; an unknown reason code is refused.
    let sneaky = RejectInput { reason: "skills".into(), text: "加我微信 wx123456 细聊".into() };
    let e = apps::step_many(state, &a1, std::slice::from_ref(&first), "reject", &sneaky).await.unwrap_err();
    assert_eq!(code(e), "application.contact_in_text");
    let odd = RejectInput { reason: "too-old".into(), text: String::new() };
    assert_eq!(
        code(apps::step_many(state, &a1, std::slice::from_ref(&first), "reject", &odd).await.unwrap_err()),
        "application.reason"
    );
    assert_eq!(stage(&w, &first).await, Stage::Interview, "refused: nothing changed");

    let why = RejectInput { reason: "filled".into(), text: "感谢关注，欢迎下次再投。".into() };
    apps::step_many(state, &a1, std::slice::from_ref(&first), "reject", &why).await.unwrap();
    let d = apps::seeker_detail(state, w.seeker.account(), &first).await.unwrap();
    assert_eq!(d.summary.stage, Stage::Rejected);
    assert_eq!(d.events.last().unwrap().reason.as_deref(), Some("该职位已招满：感谢关注，欢迎下次再投。"));
    assert_eq!(d.interviews[0].state, "superseded", "a rejected application's invitation is void");
    let e = apps::answer(state, w.seeker.account(), &d.interviews[0].public_id, "accept", "").await.unwrap_err();
    assert_eq!(code(e), "interview.closed");

    // The seeker withdraws the other one; its owner (A2) is told.
    apps::withdraw(state, w.seeker.account(), &second, "已找到工作").await.unwrap();
    let d = apps::seeker_detail(state, w.seeker.account(), &second).await.unwrap();
    assert_eq!(d.summary.stage, Stage::Withdrawn);
    assert_eq!(d.events.last().unwrap().reason.as_deref(), Some("已找到工作"));
    let (n, _) = notify::center(state, w.a2.account().id, 1).await.unwrap();
    assert_eq!(n[0].title, "求职者撤回了投递");
    let out =
        apps::step_many(state, &a2, std::slice::from_ref(&second), "shortlist", &RejectInput::default()).await.unwrap();
    assert!(out.refused[0].1.contains("已撤回"));
    // Nor can the job be applied to again.
    let e = apps::apply(state, w.seeker.account(), &w.job2, &w.resume).await.unwrap_err();
    assert_eq!(code(e), "application.exists");
}

#[tokio::test]
async fn applying_is_limited_per_day_needs_a_complete_visible_resume_and_no_block() {
    let w = world_with(|s| {
        s.market.applications_per_day = 1;
        s.market.min_completeness_to_apply = 80;
    })
    .await;
    let state = &w.app.state;
    // The operator's bar is 80 %; this resume (70 %) is complete enough for the default 60 only.
    let mut thin = resume_content("李秀英");
    thin.skills.clear();
    thin.self_intro.clear();
    assert_eq!(thin.completeness(), 70);
    let r = resumes::save(state, w.seeker.account(), None, &thin, None).await.unwrap();
    let e = apps::apply(state, w.seeker.account(), &w.job, &r.public_id).await.unwrap_err();
    assert!(e.to_string().contains("80%"), "{e}");

    // Hidden: no company could open it.
    resumes::set_visibility(state, w.seeker.account(), &w.resume, "hidden", false).await.unwrap();
    assert_eq!(code(apps::apply(state, w.seeker.account(), &w.job, &w.resume).await.unwrap_err()), "resume.hidden");
    resumes::set_visibility(state, w.seeker.account(), &w.resume, "applied_only", false).await.unwrap();

    // A company the seeker blocked.
    let a_org = w.rec(&w.a1).await.org.public_id;
    resumes::block(state, w.seeker.account(), &a_org).await.unwrap();
    assert_eq!(
        code(apps::apply(state, w.seeker.account(), &w.job, &w.resume).await.unwrap_err()),
        "application.blocked_company"
    );
    resumes::unblock(state, w.seeker.account(), &a_org).await.unwrap();

    // Someone else's resume does not exist for this seeker.
    let other = signed_in(&w.app, Role::Seeker, &phone(12)).await;
    let e = apps::apply(state, other.account(), &w.job, &w.resume).await.unwrap_err();
    assert!(matches!(e, AppError::NotFound { .. }));

    apps::apply(state, w.seeker.account(), &w.job, &w.resume).await.unwrap();
    let e = apps::apply(state, w.seeker.account(), &w.job2, &w.resume).await.unwrap_err();
    let AppError::RateLimited { code, retry_after_secs, .. } = e else { panic!("{e:?}") };
    assert_eq!(code, "application.daily_limit");
    assert!((1..=86_400).contains(&retry_after_secs), "until midnight in Beijing: {retry_after_secs}");
    // Over HTTP: 429 with Retry-After.
    let res = w.seeker.post(&format!("/jobs/{}/apply", w.job2), &[("resume", w.resume.as_str())]).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().get("retry-after").is_some());
    assert_eq!(apps::mine(state, w.seeker.account(), None).await.unwrap().total, 1);
}

#[tokio::test]
async fn the_owner_and_the_primary_account_manage_an_application_and_nobody_else_even_by_id() {
    let w = world().await;
    let state = &w.app.state;
    let (a1, a2, b1) = (w.rec(&w.a1).await, w.rec(&w.a2).await, w.rec(&w.b1).await);
    let to_a1 = apps::apply(state, w.seeker.account(), &w.job, &w.resume).await.unwrap();
    let to_a2 = apps::apply(state, w.seeker.account(), &w.job2, &w.resume).await.unwrap();

    let listed = |rec: Recruiter| async move {
        let (p, counts) = apps::received(state, &rec, &ReceivedFilters::default()).await.unwrap();
        // The same resume went to two of A's jobs: both lines show the applicant.
        assert!(p.items.iter().all(|r| r.candidate.as_ref().is_some_and(|c| c.display_name == "李秀英")));
        let ids: Vec<String> = p.items.iter().map(|r| r.summary.public_id.clone()).collect();
        (ids, counts)
    };
    let (ids, counts) = listed(a1.clone()).await;
    assert_eq!(ids.len(), 2, "the primary account sees its sub-account's pipeline (P17)");
    assert_eq!(counts.iter().find(|(s, _)| *s == Stage::New).unwrap().1, 2);
    assert_eq!(listed(a2.clone()).await.0, vec![to_a2.clone()], "a sub-account sees its own jobs' applications");
    assert!(listed(b1.clone()).await.0.is_empty());

    // By id: not found for anyone who does not manage it, and nothing moves.
    for (rec, id) in [(&a2, &to_a1), (&b1, &to_a1), (&b1, &to_a2)] {
        assert!(matches!(apps::open(state, rec, id).await.unwrap_err(), AppError::NotFound { .. }));
        let e =
            apps::step_many(state, rec, std::slice::from_ref(id), "reject", &RejectInput::default()).await.unwrap_err();
        assert!(matches!(e, AppError::NotFound { .. }), "{e:?}");
        let e = apps::invite(state, rec, std::slice::from_ref(id), &invitation(&w.app, "onsite", "某地"))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound { .. }), "{e:?}");
    }
    // A job filter naming another organisation's job is refused as not found.
    let f = ReceivedFilters { job: Some(w.job.clone()), ..Default::default() };
    assert!(matches!(apps::received(state, &b1, &f).await.unwrap_err(), AppError::NotFound { .. }));
    // A mixed bulk action moves what is this recruiter's and names the rest.
    let out = apps::step_many(state, &a2, &[to_a1.clone(), to_a2.clone()], "shortlist", &RejectInput::default())
        .await
        .unwrap();
    assert_eq!(out.moved, vec![to_a2.clone()]);
    assert_eq!(out.refused, vec![(to_a1.clone(), "该投递不存在".to_string())]);
    assert_eq!(stage(&w, &to_a1).await, Stage::New);
    // The primary account acts on the sub-account's application too.
    apps::step_many(state, &a1, std::slice::from_ref(&to_a2), "reject", &RejectInput::default()).await.unwrap();
    assert_eq!(stage(&w, &to_a2).await, Stage::Rejected);

    // Another seeker, and recruiters, cannot read the seeker's side.
    let other = signed_in(&w.app, Role::Seeker, &phone(12)).await;
    assert!(matches!(
        apps::seeker_detail(state, other.account(), &to_a1).await.unwrap_err(),
        AppError::NotFound { .. }
    ));
    assert!(matches!(apps::withdraw(state, other.account(), &to_a1, "").await.unwrap_err(), AppError::NotFound { .. }));
    assert!(matches!(
        apps::seeker_detail(state, w.a1.account(), &to_a1).await.unwrap_err(),
        AppError::Forbidden { .. }
    ));
    assert_eq!(w.b1.page(&format!("/company/applications/{to_a1}")).await.0, 404);
    assert_eq!(other.page(&format!("/me/applications/{to_a1}")).await.0, 404);
}

#[tokio::test]
async fn applying_opens_the_contact_to_that_company_only_and_a_later_block_closes_it() {
    let w = world().await;
    let state = &w.app.state;
    let (a1, b1) = (w.rec(&w.a1).await, w.rec(&w.b1).await);
    resumes::set_visibility(state, w.seeker.account(), &w.resume, "public", true).await.unwrap();
    let id = apps::apply(state, w.seeker.account(), &w.job, &w.resume).await.unwrap();
    let (p, _) = apps::received(state, &a1, &ReceivedFilters::default()).await.unwrap();
    let card = p.items[0].candidate.as_ref().unwrap();
    assert_eq!(card.display_name, "李秀英", "applied: A sees the name");
    assert!(card.phone.is_empty(), "a list card never carries contact details");
    let (_, html) = w.a1.page(&format!("/company/applications/{id}")).await;
    assert!(html.contains(&phone(11)), "the application page shows the number in full");
    // B did not receive the application: masked.
    assert_eq!(resumes::view(state, &b1, &w.resume).await.unwrap().access, ResumeAccess::Masked);

    // The seeker blocks A afterwards: the application stays in A's list, the applicant does not.
    resumes::block(state, w.seeker.account(), &a1.org.public_id).await.unwrap();
    let (p, _) = apps::received(state, &a1, &ReceivedFilters::default()).await.unwrap();
    assert!(p.items[0].candidate.is_none());
    let (d, resume) = apps::open(state, &a1, &id).await.unwrap();
    assert!(resume.is_none() && d.summary.stage == Stage::Viewed);
    let (s, html) = w.a1.page(&format!("/company/applications/{id}")).await;
    assert_eq!(s, 200);
    assert!(!html.contains(&phone(11)) && !html.contains("李秀英") && html.contains("求职者已限制本单位查看"));
}

#[tokio::test]
async fn an_interview_invitation_goes_by_sms_only_while_that_channel_is_on() {
    let w = world().await;
    let state = &w.app.state;
    let a1 = w.rec(&w.a1).await;
    let a2 = w.rec(&w.a2).await;
    let first = apps::apply(state, w.seeker.account(), &w.job, &w.resume).await.unwrap();
    let second = apps::apply(state, w.seeker.account(), &w.job2, &w.resume).await.unwrap();
    let seeker_phone = rencai_domain::account::Phone::parse(&phone(11)).unwrap();
    let texts = || async {
        rencai_testkit::drain_deliveries(state).await;
        rencai_app::providers::sms_outbox::read(state.db(), state.keys(), Some(&seeker_phone), 10).await.unwrap()
    };
    let before = texts().await.len();

    apps::invite(state, &a1, std::slice::from_ref(&first), &invitation(&w.app, "onsite", "北山大道88号"))
        .await
        .unwrap();
    let sent = texts().await;
    assert_eq!(sent.len(), before + 1);
    assert_eq!(sent[0].template, "interview_invite");
    assert_eq!(sent[0].params["company"], "万州峡江餐饮有限公司");
    assert_eq!(sent[0].params["job"], "川菜厨师");
    assert!(sent[0].params["time"].len() == "2026-12-01 10:00".len(), "{:?}", sent[0].params);

    // P13: SMS off — the next invitation is in-app only; other channels keep their setting.
    let p = notify::set_pref(state, w.seeker.account().id, "sms", false).await.unwrap();
    assert!(!p.sms && p.email && p.push);
    apps::invite(state, &a2, std::slice::from_ref(&second), &invitation(&w.app, "onsite", "北山大道90号"))
        .await
        .unwrap();
    assert_eq!(texts().await.len(), before + 1, "no text with the channel off");
    let (n, _) = notify::center(state, w.seeker.account().id, 1).await.unwrap();
    assert_eq!(n[0].title, "面试邀请", "the in-app notice stays");
    assert_eq!(
        code(notify::set_pref(state, w.seeker.account().id, "fax", false).await.unwrap_err()),
        "notify.unknown_channel"
    );

    // Read state is the owner's alone.
    let unread = notify::unread(state, w.seeker.account().id).await.unwrap();
    assert!(unread >= 2);
    assert_eq!(notify::mark_read(state, w.a1.account().id, Some(&n[0].public_id)).await.unwrap(), 0, "not A1's notice");
    assert_eq!(notify::unread(state, w.seeker.account().id).await.unwrap(), unread);
    assert_eq!(notify::mark_read(state, w.seeker.account().id, Some(&n[0].public_id)).await.unwrap(), 1);
    assert_eq!(notify::mark_read(state, w.seeker.account().id, None).await.unwrap(), unread - 1);
    assert_eq!(notify::unread(state, w.seeker.account().id).await.unwrap(), 0);
}

#[tokio::test]
async fn invitations_are_checked_and_a_group_invitation_moves_each_application() {
    let w = world().await;
    let state = &w.app.state;
    let a1 = w.rec(&w.a1).await;
    let other = signed_in(&w.app, Role::Seeker, &phone(12)).await;
    let r = resumes::save(state, other.account(), None, &resume_content("王芳"), None).await.unwrap();
    let x = apps::apply(state, w.seeker.account(), &w.job, &w.resume).await.unwrap();
    let y = apps::apply(state, other.account(), &w.job, &r.public_id).await.unwrap();

    let mut bad = invitation(&w.app, "video", "腾讯会议 123");
    bad.note = "到了打 13800001111".into();
    let e = apps::invite(state, &a1, &[x.clone(), y.clone()], &bad).await.unwrap_err();
    let AppError::Validation { fields, .. } = e else { panic!("{e:?}") };
    assert_eq!(fields[0].field, "place");
    let mut noted = invitation(&w.app, "onsite", "北山大道88号");
    noted.note = "到了打 13800001111".into();
    assert_eq!(
        code(apps::invite(state, &a1, std::slice::from_ref(&x), &noted).await.unwrap_err()),
        "application.contact_in_text"
    );
    assert_eq!(stage(&w, &x).await, Stage::New, "refused: nothing moved");

    let out =
        apps::invite(state, &a1, &[x.clone(), y.clone(), x.clone()], &invitation(&w.app, "onsite", "北山大道88号"))
            .await
            .unwrap();
    assert_eq!(out.moved, vec![x.clone(), y.clone()], "each once");
    assert_eq!(stage(&w, &x).await, Stage::Interview);
    // The same from the list page's group form: both move, and the list says so.
    let when = (state.now() + chrono::Duration::days(4))
        .with_timezone(&rencai_domain::time::china())
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let res =
        w.a1.post(
            "/company/applications/invite",
            &[
                ("id", x.as_str()),
                ("id", y.as_str()),
                ("starts_at", when.as_str()),
                ("mode", "onsite"),
                ("place", "北山大道88号"),
                ("contact_name", "王经理"),
                ("contact_phone", "13812345678"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/company/applications?moved=2&refused=0");
    let (_, html) = w.a1.page("/company/applications?moved=2&refused=0").await;
    assert!(html.contains("已处理 2 份投递") && html.contains("邀请勾选的求职者参加面试"));
    let too_many: Vec<String> = (0..=apps::BULK_MAX).map(|i| format!("id-{i}")).collect();
    assert_eq!(
        code(apps::invite(state, &a1, &too_many, &invitation(&w.app, "onsite", "某地")).await.unwrap_err()),
        "application.too_many"
    );
    assert_eq!(
        code(apps::step_many(state, &a1, &[], "shortlist", &RejectInput::default()).await.unwrap_err()),
        "application.none_chosen"
    );
}

#[tokio::test]
async fn the_pages_and_the_api_walk_the_same_pipeline() {
    let w = world().await;
    // The seeker applies from the job page and finds the application in their list.
    let res = w.seeker.post(&format!("/jobs/{}/apply", w.job), &[("resume", w.resume.as_str())]).await;
    assert_eq!(res.status(), 303);
    let (s, html) = w.seeker.page("/me/applications").await;
    assert_eq!(s, 200);
    assert!(html.contains("川菜厨师") && html.contains("已投递"));
    let id = apps::mine(&w.app.state, w.seeker.account(), None).await.unwrap().items[0].public_id.clone();

    // The recruiter's list: stage tabs with counts, the applicant by name; opening marks viewed.
    let (s, html) = w.a1.page("/company/applications").await;
    assert_eq!(s, 200);
    assert!(html.contains("李秀英") && html.contains("已投递 1"), "{html}");
    let (s, html) = w.a1.page(&format!("/company/applications/{id}")).await;
    assert_eq!(s, 200);
    assert!(html.contains("发送面试邀请") && html.contains("初筛通过"));
    // An invitation with a bad time comes back with the form filled and a zh-CN message.
    let res =
        w.a1.post(
            "/company/applications/invite",
            &[("id", id.as_str()), ("starts_at", "明天"), ("mode", "onsite"), ("place", "北山大道88号")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("请填写面试时间") && body.contains("北山大道88号"));
    let when = (w.app.state.now() + chrono::Duration::days(3))
        .with_timezone(&rencai_domain::time::china())
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let res =
        w.a1.post(
            "/company/applications/invite",
            &[
                ("id", id.as_str()),
                ("starts_at", when.as_str()),
                ("mode", "onsite"),
                ("place", "北山大道88号"),
                ("contact_name", "王经理"),
                ("contact_phone", "13812345678"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);

    // The seeker's badge and notice; the application page with its answer form.
    let (_, html) = w.seeker.page("/me/notifications").await;
    assert!(html.contains("面试邀请") && html.contains("nav-count"));
    let (_, html) = w.seeker.page(&format!("/me/applications/{id}")).await;
    assert!(html.contains("接受面试") && html.contains("北山大道88号") && html.contains(&when.replace('T', " ")));

    // The API: the seeker's list and detail, the answer, the recruiter's bulk step.
    let seeker = &w.seeker;
    let res = seeker.api_get("/api/v1/me/applications").await;
    assert_eq!(res.status(), 200);
    let list: serde_json::Value = res.json().await.unwrap();
    assert_eq!(list["items"][0]["stage"], "interview");
    let detail: serde_json::Value =
        seeker.api_get(&format!("/api/v1/me/applications/{id}")).await.json().await.unwrap();
    let interview = detail["interviews"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(detail["interviews"][0]["contact_phone"], "13812345678");
    let res = seeker
        .api_post(&format!("/api/v1/me/interviews/{interview}/answer"), &serde_json::json!({"answer": "accept"}))
        .await;
    assert_eq!(res.status(), 204);
    let res =
        w.a1.api_post("/api/v1/company/applications/steps", &serde_json::json!({"ids": [id], "step": "offer"})).await;
    assert_eq!(res.status(), 200);
    let out: serde_json::Value = res.json().await.unwrap();
    assert_eq!(out["moved"][0], id.as_str());
    let got: serde_json::Value =
        w.a1.api_get(&format!("/api/v1/company/applications/{id}")).await.json().await.unwrap();
    assert_eq!(got["stage"], "offered");
    assert_eq!(got["next_steps"], serde_json::json!(["hire", "reject"]));
    assert_eq!(got["candidate"]["access"], "full");
    let n: serde_json::Value = seeker.api_get("/api/v1/me/notifications").await.json().await.unwrap();
    assert!(n["unread"].as_u64().unwrap() >= 3, "{n}");
    let res = seeker
        .api_post("/api/v1/me/notification-channels", &serde_json::json!({"channel": "email", "enabled": false}))
        .await;
    let p: serde_json::Value = res.json().await.unwrap();
    assert_eq!(p, serde_json::json!({"sms": true, "email": false, "push": true}));
    // Applying through the API: a second time is a conflict with a stable code.
    let res = seeker
        .api_post(&format!("/api/v1/jobs/{}/applications", w.job), &serde_json::json!({"resume": w.resume}))
        .await;
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["code"], "application.exists");
}

#[tokio::test]
async fn notices_go_by_e_mail_to_an_address_on_file_while_that_channel_is_on() {
    let w = world().await;
    let state = &w.app.state;
    let a1 = w.rec(&w.a1).await;
    let mail = "li.xiuying@example.com";
    rencai_store::accounts::set_email(state.db().conn(), &state.keys().get(), w.seeker.account().id, mail, state.now())
        .await
        .unwrap();
    let first = apps::apply(state, w.seeker.account(), &w.job, &w.resume).await.unwrap();
    apps::invite(state, &a1, std::slice::from_ref(&first), &invitation(&w.app, "onsite", "北山大道88号"))
        .await
        .unwrap();
    rencai_testkit::drain_deliveries(state).await;
    let inbox =
        || async { rencai_app::providers::email::read_outbox(state.db(), state.keys(), Some(mail), 20).await.unwrap() };
    let got = inbox().await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].subject, "面试邀请 - 万州人才网");
    assert!(got[0].text.contains(&format!("/me/applications/{first}")) && got[0].text.contains("关闭电子邮件通知"));
    assert!(got[0].message_id.starts_with("<n") && got[0].message_id.ends_with('>'));
    // The recruiter has no address on file: nothing was mailed to anyone else.
    assert_eq!(rencai_app::providers::email::read_outbox(state.db(), state.keys(), None, 20).await.unwrap().len(), 1);

    // P13: e-mail off, and the next notice stays in the app.
    notify::set_pref(state, w.seeker.account().id, "email", false).await.unwrap();
    apps::step_many(state, &a1, std::slice::from_ref(&first), "offer", &RejectInput::default()).await.unwrap();
    rencai_testkit::drain_deliveries(state).await;
    assert_eq!(inbox().await.len(), 1, "no mail with the channel off");
    let (n, _) = notify::center(state, w.seeker.account().id, 1).await.unwrap();
    assert_eq!(n[0].title, "投递状态更新：已发录用通知");
}

#[tokio::test]
async fn notices_are_pushed_to_the_accounts_alias_while_push_is_on() {
    let w = world().await;
    let state = &w.app.state;
    let a1 = w.rec(&w.a1).await;
    let me: serde_json::Value = w.seeker.api_get("/api/v1/me").await.json().await.unwrap();
    let alias = me["push_alias"].as_str().unwrap().to_string();
    assert_eq!(alias.len(), 32);
    assert!(!alias.contains(&w.seeker.account().public_id), "the provider never sees our account id");
    let pushed = || async {
        rencai_app::providers::push::read_outbox(state.db(), state.keys(), Some(&alias), 20).await.unwrap()
    };
    let id = apps::apply(state, w.seeker.account(), &w.job, &w.resume).await.unwrap();
    apps::invite(state, &a1, std::slice::from_ref(&id), &invitation(&w.app, "onsite", "北山大道88号")).await.unwrap();
    rencai_testkit::drain_deliveries(state).await;
    let got = pushed().await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].title, "面试邀请");
    assert_eq!(got[0].link, format!("/me/applications/{id}"));
    notify::set_pref(state, w.seeker.account().id, "push", false).await.unwrap();
    apps::step_many(state, &a1, std::slice::from_ref(&id), "offer", &RejectInput::default()).await.unwrap();
    rencai_testkit::drain_deliveries(state).await;
    assert_eq!(pushed().await.len(), 1, "nothing pushed with the channel off");
}

#[tokio::test]
async fn staff_reword_a_notice_checked_before_saving_and_it_applies_to_notices_already_sent() {
    let w = world().await;
    let state = &w.app.state;
    let a1 = w.rec(&w.a1).await;
    let id = apps::apply(state, w.seeker.account(), &w.job, &w.resume).await.unwrap();
    apps::step_many(state, &a1, std::slice::from_ref(&id), "shortlist", &RejectInput::default()).await.unwrap();
    let (editor_page, editor) = staff_member(&w.app, StaffRole::ContentEditor, &phone(901)).await;
    let (_, moderator) = staff_member(&w.app, StaffRole::Moderator, &phone(902)).await;
    use rencai_app::notice_templates;

    // A typo, an unknown variable, too long: refused, and nothing changes.
    for (title, body) in [("进展：{{ stage ", "x"), ("进展：{{ salary }}", "x"), ("进展", &"长".repeat(301) as &str)]
    {
        let e = notice_templates::save(state, &editor, "application.stage", title, body).await.unwrap_err();
        assert!(matches!(e, AppError::Validation { .. }), "{title}: {e:?}");
    }
    assert!(matches!(
        notice_templates::save(state, &moderator, "application.stage", "进展", "x").await.unwrap_err(),
        AppError::Forbidden { .. }
    ));
    notice_templates::save(
        state,
        &editor,
        "application.stage",
        "【{{ company }}】{{ stage }}",
        "「{{ job }}」有了新进展：{{ stage }}。",
    )
    .await
    .unwrap();
    let (n, _) = notify::center(state, w.seeker.account().id, 1).await.unwrap();
    assert_eq!(n[0].title, "【万州峡江餐饮有限公司】初筛通过", "the notice sent before the edit reads the new wording");
    assert_eq!(n[0].body, "「川菜厨师」有了新进展：初筛通过。");
    // The back office shows it with a preview; a reset brings the default back.
    let (s, html) = editor_page.page("/admin/templates").await;
    assert_eq!(s, 200);
    assert!(html.contains("已修改") && html.contains("【万州峡江餐饮有限公司】邀请面试"));
    notice_templates::reset(state, &editor, "application.stage").await.unwrap();
    let (n, _) = notify::center(state, w.seeker.account().id, 1).await.unwrap();
    assert_eq!(n[0].title, "投递状态更新：初筛通过");
}
