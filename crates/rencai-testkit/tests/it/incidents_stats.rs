//! Incident notices (P11) and public statistics (P19): a notice reaches exactly its audience
//! through every channel, switches or not, and shows in their privacy center; statistics come
//! from the aggregate table with every small cell suppressed.

use rencai_app::incidents::{self, PublishInput};
use rencai_app::market::{actor, jobs, resumes};
use rencai_domain::account::Role;
use rencai_domain::staff::StaffRole;
use rencai_store::incidents::IncidentText;
use rencai_testkit::market::{job_input, phone, resume_content, signed_in, staff_member, verified_org};
use rencai_testkit::{TestApp, error_code};

fn notice(audience: &str, phones: &str) -> PublishInput {
    PublishInput {
        text: IncidentText {
            title: "部分简历附件曾可被未授权访问".into(),
            situation: "11 月 28 日 14:00 至 16:30，一个配置错误使部分简历附件的下载链接无需登录即可打开。".into(),
            impact: "附件中可能包含姓名、手机号和工作经历。".into(),
            measures: "已修复配置、使所有旧链接失效，并向主管部门报告。".into(),
            advice: "警惕自称招聘方、索要费用或验证码的电话和短信。".into(),
            remedies: "受影响用户可申请免费的简历置顶与一对一咨询。".into(),
            contact: "安全事务邮箱 security@example.com，电话 023-00000000".into(),
        },
        audience: audience.into(),
        phones: phones.into(),
    }
}

#[tokio::test]
async fn an_incident_notice_reaches_exactly_the_affected_accounts_by_every_channel() {
    let app = TestApp::spawn_cheap(|s| s.email.outbox = true).await;
    let state = &app.state;
    let affected = signed_in(&app, Role::Seeker, &phone(1)).await;
    let bystander = signed_in(&app, Role::Seeker, &phone(2)).await;
    // The affected person switched SMS off: an incident notice is a duty, it goes anyway.
    rencai_app::notify::set_pref(state, affected.account().id, "sms", false).await.unwrap();

    let (_, moderator) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    let e = incidents::publish(state, &moderator, &notice("affected", &phone(1))).await.unwrap_err();
    assert_eq!(error_code(e), "staff.permission_denied");
    let (dpo_visitor, dpo) = staff_member(&app, StaffRole::DataProtectionOfficer, &phone(901)).await;
    let e = incidents::publish(state, &dpo, &PublishInput { phones: "not-a-phone".into(), ..notice("affected", "") })
        .await
        .unwrap_err();
    assert_eq!(error_code(e), "incident.invalid");
    let mut blank = notice("affected", &phone(1));
    blank.text.advice.clear();
    assert_eq!(error_code(incidents::publish(state, &dpo, &blank).await.unwrap_err()), "incident.invalid");

    let r = dpo_visitor
        .post(
            "/admin/incidents",
            &[
                ("title", "部分简历附件曾可被未授权访问"),
                ("situation", "一个配置错误使部分附件链接无需登录即可打开。"),
                ("impact", "附件中可能包含姓名和手机号。"),
                ("measures", "已修复并使旧链接失效。"),
                ("advice", "警惕索要费用或验证码的电话。"),
                ("remedies", "可申请一对一咨询。"),
                ("contact", "security@example.com"),
                ("audience", "affected"),
                ("phones", &format!("{}\n13900000999", phone(1))),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    assert!(body.contains("通知 1 个受影响用户") && body.contains("1 个手机号没有对应的账号"), "{body}");

    // In-app for the affected account only; SMS despite the switch.
    let (told, _) = rencai_app::notify::center(state, affected.account().id, 1).await.unwrap();
    assert_eq!(told.len(), 1);
    assert!(told[0].title.contains("安全事件"));
    let (none, _) = rencai_app::notify::center(state, bystander.account().id, 1).await.unwrap();
    assert!(none.is_empty());
    rencai_testkit::drain_deliveries(state).await;
    let p1 = rencai_domain::account::Phone::parse(&phone(1)).unwrap();
    let texts = rencai_app::providers::sms_outbox::read(state.db(), state.keys(), Some(&p1), 10).await.unwrap();
    assert!(texts.iter().any(|t| t.template == "incident_notice"), "{texts:?}");

    // The notice page: the affected account reads it; nobody else finds it; the privacy
    // center lists it.
    let link = told[0].link.clone();
    let (status, page) = affected.page(&link).await;
    assert_eq!(status, 200);
    assert!(page.contains("自我") || page.contains("保护自己"));
    assert_eq!(bystander.page(&link).await.0, 404);
    assert_eq!(app.get(&link).await.status(), 404);
    let (_, center) = affected.page("/me/privacy").await;
    assert!(center.contains("部分简历附件曾可被未授权访问"));

    // To everyone: a public announcement, and every account is told.
    let p = incidents::publish(state, &dpo, &notice("everyone", "")).await.unwrap();
    assert_eq!(app.get(&format!("/notices/{}", p.public_id)).await.status(), 200);
    for _ in 0..100 {
        let (n, _) = rencai_app::notify::center(state, bystander.account().id, 1).await.unwrap();
        if !n.is_empty() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
    }
    panic!("the bystander was not told of the public notice");
}

#[tokio::test]
async fn statistics_come_from_aggregates_and_hide_every_small_cell() {
    let app = TestApp::spawn_cheap(|s| s.market.free_job_slots = 20).await;
    let state = &app.state;
    let recruiter = signed_in(&app, Role::Company, &phone(1)).await;
    verified_org(&app, &recruiter, "万州峡江餐饮有限公司", 1).await;
    let (_, moderator) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    let rec = actor::require_recruiter(state, recruiter.account()).await.unwrap();
    // 12 jobs in one district (shown), 3 in another (hidden: merged alone it would still be 3).
    let mut ids = Vec::new();
    for i in 0..15 {
        let mut input = job_input(&format!("厨师{i}"));
        if i >= 12 {
            input.district = "wz-taibai".into();
        }
        let id = jobs::save(state, &rec, None, None, input, true).await.unwrap().public_id;
        jobs::review(state, &moderator, &id, true, None).await.unwrap();
        ids.push(id);
    }
    let seeker = signed_in(&app, Role::Seeker, &phone(11)).await;
    let r = resumes::save(state, seeker.account(), None, &resume_content("李秀英"), None).await.unwrap();
    resumes::set_visibility(state, seeker.account(), &r.public_id, "public", true).await.unwrap();
    rencai_app::market::applications::apply(state, seeker.account(), &ids[0], &r.public_id).await.unwrap();

    // Nothing before the refresh: the page reads the aggregates, not the live tables.
    let (_, before) = rencai_testkit::market::Visitor::anonymous(&app).page("/stats").await;
    assert!(!before.contains("高笋塘"));
    rencai_app::stats::refresh(state).await.unwrap();
    rencai_app::stats::refresh(state).await.unwrap();
    let o = rencai_app::stats::overview(state).await.unwrap();
    assert_eq!(o.open_by_district.cells.len(), 1, "{:?}", o.open_by_district);
    assert_eq!(o.open_by_district.cells[0].1, 12);
    assert_eq!(o.open_by_district.hidden, 3);
    assert!(o.open_by_district.cells.iter().all(|(_, n)| *n >= rencai_domain::stats::K));
    let today = o.new_jobs.points.last().unwrap();
    assert_eq!(today.1, Some(15), "refreshed twice, counted once");
    assert!(o.new_applications.points.iter().all(|(_, v)| v.is_none()), "one application is never shown");
    assert_eq!(o.applications_per_job.cells, vec![("0 份".to_string(), 14)]);

    let (status, page) = rencai_testkit::market::Visitor::anonymous(&app).page("/stats").await;
    assert_eq!(status, 200);
    assert!(page.contains("<svg") && page.contains("高笋塘") && !page.contains("太白"));
    assert!(page.contains("另有 3 个计数因分组过小未显示"));
}

/// P21: a 16–17-year-old may give a guardian's number; an incident notice then reaches the
/// guardian too. Only a minor's account keeps one.
#[tokio::test]
async fn an_incident_notice_to_a_minor_also_reaches_the_guardian() {
    use rencai_domain::account::{AgeGroup, MinorBasis, Phone};
    use rencai_store::accounts::{self, NewAccount};
    let app = TestApp::spawn_cheap(|_| {}).await;
    let state = &app.state;
    let minor = accounts::create(
        state.db().conn(),
        &state.keys().get(),
        &NewAccount {
            station_id: state.station().id,
            role: Role::Seeker,
            name: None,
            phone: Phone::parse(&phone(3)).unwrap(),
            email: None,
            birth_date: None,
            age_group: AgeGroup::Minor,
            minor_basis: Some(MinorBasis::GuardianConsent),
        },
        state.now(),
    )
    .await
    .unwrap();
    let e = rencai_app::auth::profile::update(state, &minor, "", "", &phone(3)).await.unwrap_err();
    assert_eq!(error_code(e), "account.guardian_phone", "not one's own number");
    rencai_app::auth::profile::update(state, &minor, "", "", &phone(4)).await.unwrap();
    let details = rencai_app::auth::profile::details(
        state,
        &accounts::find_by_id(state.db().conn(), minor.id).await.unwrap().unwrap(),
    )
    .unwrap();
    assert_eq!(details.guardian_phone.as_deref(), Some(phone(4).as_str()));
    // An adult's account keeps no guardian number.
    let adult = signed_in(&app, Role::Seeker, &phone(5)).await;
    rencai_app::auth::profile::update(state, adult.account(), "", "", &phone(6)).await.unwrap();
    let adult_row = accounts::find_by_id(state.db().conn(), adult.account().id).await.unwrap().unwrap();
    assert!(adult_row.guardian_phone.is_none());

    let (_, dpo) = staff_member(&app, StaffRole::DataProtectionOfficer, &phone(901)).await;
    incidents::publish(state, &dpo, &notice("affected", &phone(3))).await.unwrap();
    rencai_testkit::drain_deliveries(state).await;
    let guardian = Phone::parse(&phone(4)).unwrap();
    let texts = rencai_app::providers::sms_outbox::read(state.db(), state.keys(), Some(&guardian), 10).await.unwrap();
    assert!(texts.iter().any(|t| t.template == "incident_notice"), "{texts:?}");
}
