//! Feedback tickets (P18, M13): people and visitors ask and report; staff answer against a
//! deadline; an upheld report takes the item down; only staff with `HandleTickets` see the
//! queue; requesters see only their own tickets.

use std::sync::Arc;

use rencai_app::clock::FixedClock;
use rencai_app::market::{actor, jobs};
use rencai_app::tickets::{self, OpenInput};
use rencai_domain::account::Role;
use rencai_domain::staff::StaffRole;
use rencai_testkit::market::{job_input, phone, signed_in, staff_member, verified_org};
use rencai_testkit::{TestApp, TestOptions, error_code};

fn report_job(job: &str) -> OpenInput {
    OpenInput {
        kind: "report_job".into(),
        subject: job.into(),
        title: "要求先交培训费".into(),
        body: "面试时对方要求先交 800 元培训费才能上岗。".into(),
        contact: String::new(),
    }
}

#[tokio::test]
async fn a_report_is_answered_against_its_deadline_and_upheld_takes_the_job_down() {
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let app = TestApp::spawn_with(TestOptions {
        clock: clock.clone(),
        tweak: Box::new(rencai_testkit::cheap_hashing),
        ..Default::default()
    })
    .await;
    let state = &app.state;
    let recruiter = signed_in(&app, Role::Company, &phone(1)).await;
    verified_org(&app, &recruiter, "万州峡江餐饮有限公司", 1).await;
    let (_, moderator) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    let rec = actor::require_recruiter(state, recruiter.account()).await.unwrap();
    let job = jobs::save(state, &rec, None, None, job_input("川菜厨师"), true).await.unwrap().public_id;
    jobs::review(state, &moderator, &job, true, None).await.unwrap();
    let seeker = signed_in(&app, Role::Seeker, &phone(11)).await;

    // From the job page's link: the form names the job; a report of something that does not
    // exist is refused.
    let (status, page) = seeker.page(&format!("/feedback?kind=report_job&subject={job}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(&job));
    let mut ghost = report_job("0190aaaa-0000-7000-8000-000000000000");
    let e = tickets::open(state, Some(seeker.account()), &ghost, true).await.unwrap_err();
    assert_eq!(error_code(e), "ticket.subject");
    ghost.subject = job.clone();
    let r = seeker
        .post("/feedback", &[("kind", "report_job"), ("subject", &job), ("title", &ghost.title), ("body", &ghost.body)])
        .await;
    assert_eq!(r.status(), 303);
    let mine = tickets::mine(state, seeker.account()).await.unwrap();
    assert_eq!(mine.len(), 1);
    let id = mine[0].id.clone();
    // PostgreSQL keeps microseconds.
    assert!((mine[0].due_at - (state.now() + chrono::Duration::hours(48))).num_milliseconds().abs() < 1);

    // Only staff with HandleTickets see the queue.
    let (mod_visitor, _) = staff_member(&app, StaffRole::Moderator, &phone(901)).await;
    assert_eq!(mod_visitor.get("/admin/tickets").await.status(), 403);
    let (cs, cs_user) = staff_member(&app, StaffRole::CustomerService, &phone(902)).await;
    let (_, queue) = cs.page("/admin/tickets").await;
    assert!(queue.contains("要求先交培训费") && !queue.contains("已超期</strong>"));

    // Staff answer; the requester is told and sees it; nobody else can open the ticket.
    assert_eq!(cs.post(&format!("/admin/tickets/{id}/assign"), &[]).await.status(), 303);
    let r = cs.post(&format!("/admin/tickets/{id}/reply"), &[("body", "已收到，正在核实。")]).await;
    assert_eq!(r.status(), 303);
    let (_, mine_page) = seeker.page(&format!("/me/feedback/{id}")).await;
    assert!(mine_page.contains("已收到，正在核实") && mine_page.contains("已答复"));
    let other = signed_in(&app, Role::Seeker, &phone(12)).await;
    assert_eq!(other.page(&format!("/me/feedback/{id}")).await.0, 404);
    let (told, _) = rencai_app::notify::center(state, seeker.account().id, 1).await.unwrap();
    assert!(told.iter().any(|n| n.title.contains("答复")), "the requester is told");

    // A reply from the requester puts it back in the queue with a new deadline.
    assert_eq!(seeker.post(&format!("/me/feedback/{id}"), &[("body", "对方还发了收款码。")]).await.status(), 303);
    let open = tickets::queue(state, &cs_user, "open").await.unwrap();
    assert_eq!(open[0].status, "open");
    assert!((open[0].due_at - (state.now() + chrono::Duration::hours(48))).num_milliseconds().abs() < 1);

    // Upheld: the job is taken down, the ticket closed, the requester told; closed stays closed.
    assert_eq!(app.get(&format!("/jobs/{job}")).await.status(), 200);
    let r = cs.post(&format!("/admin/tickets/{id}/close"), &[("outcome", "upheld")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.get(&format!("/jobs/{job}")).await.status(), 404);
    let e = tickets::reply_as_requester(state, seeker.account(), &id, "还有一件事").await.unwrap_err();
    assert_eq!(error_code(e), "ticket.closed");
    assert_eq!(cs.post(&format!("/admin/tickets/{id}/close"), &[("outcome", "upheld")]).await.status(), 409);

    // A ticket nobody answers shows as overdue once its deadline passes.
    let late = OpenInput {
        kind: "question".into(),
        title: "简历怎么置顶".into(),
        body: "想了解置顶。".into(),
        ..Default::default()
    };
    tickets::open(state, Some(other.account()), &late, true).await.unwrap();
    assert!(tickets::queue(state, &cs_user, "overdue").await.unwrap().is_empty());
    clock.advance(chrono::Duration::hours(73));
    let overdue = tickets::queue(state, &cs_user, "overdue").await.unwrap();
    assert_eq!(overdue.len(), 1);
    assert!(overdue[0].overdue);
    let (cs2, _) = staff_member(&app, StaffRole::CustomerService, &phone(903)).await;
    let (_, page) = cs2.page("/admin/tickets?queue=overdue").await;
    assert!(page.contains("简历怎么置顶") && page.contains("已超期"));
}

#[tokio::test]
async fn visitors_leave_a_contact_and_pass_the_captcha_and_staff_reads_are_audited() {
    let app = TestApp::spawn().await;
    let state = &app.state;
    let visitor = rencai_testkit::market::Visitor::anonymous(&app);
    let (status, page) = visitor.page("/feedback").await;
    assert_eq!(status, 200);
    assert!(page.contains("图形验证码") && page.contains("联系方式"));

    let question = OpenInput {
        kind: "security".into(),
        title: "登录页可能有漏洞".into(),
        body: "在登录页输入特殊字符时返回了错误。".into(),
        contact: "tester@example.com".into(),
        ..Default::default()
    };
    // Without the CAPTCHA, or without a contact: refused, nothing stored.
    let e = tickets::open(state, None, &question, false).await.unwrap_err();
    assert_eq!(error_code(e), "captcha.wrong");
    let e =
        tickets::open(state, None, &OpenInput { contact: String::new(), ..question.clone() }, true).await.unwrap_err();
    assert_eq!(error_code(e), "ticket.invalid");
    let e = tickets::open(state, None, &OpenInput { kind: "report_chat".into(), ..question.clone() }, true)
        .await
        .unwrap_err();
    assert_eq!(error_code(e), "ticket.kind", "a chat is reported from the chat");
    let id = tickets::open(state, None, &question, true).await.unwrap();

    // The contact is sealed at rest and opened for staff, and that read is audited.
    let (_, cs) = staff_member(&app, StaffRole::CustomerService, &phone(902)).await;
    let before = rencai_app::audit::count(state).await.unwrap();
    let shown = tickets::staff_view(state, &cs, &id).await.unwrap();
    assert_eq!(shown.contact.as_deref(), Some("tester@example.com"));
    assert_eq!(shown.due_at, shown.created_at + chrono::Duration::hours(24), "security first");
    assert_eq!(rencai_app::audit::count(state).await.unwrap(), before + 1);
    let e = tickets::close(state, &cs, &id, "upheld").await.unwrap_err();
    assert_eq!(error_code(e), "ticket.outcome", "only a report is upheld");
    tickets::close(state, &cs, &id, "resolved").await.unwrap();
}

#[tokio::test]
async fn a_chat_report_opens_a_ticket_and_upholding_it_blocks_the_conversation() {
    let app = TestApp::spawn_cheap(|_| {}).await;
    let state = &app.state;
    let recruiter = signed_in(&app, Role::Company, &phone(1)).await;
    verified_org(&app, &recruiter, "万州峡江餐饮有限公司", 1).await;
    let (_, moderator) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    let rec = actor::require_recruiter(state, recruiter.account()).await.unwrap();
    let job = jobs::save(state, &rec, None, None, job_input("川菜厨师"), true).await.unwrap().public_id;
    jobs::review(state, &moderator, &job, true, None).await.unwrap();
    let seeker = signed_in(&app, Role::Seeker, &phone(11)).await;
    let c = rencai_app::chat::start_with_job(state, seeker.account(), &job).await.unwrap();
    rencai_app::chat::report(state, seeker.account(), &c, "fee", "对方让我先交押金").await.unwrap();

    let (_, cs) = staff_member(&app, StaffRole::CustomerService, &phone(902)).await;
    let queue = tickets::queue(state, &cs, "open").await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].kind, "report_chat");
    assert!(queue[0].title.contains("索要费用"));
    tickets::close(state, &cs, &queue[0].id, "upheld").await.unwrap();
    let out = rencai_app::chat::Outgoing { client_id: "x1".into(), text: "还在吗".into(), ..Default::default() };
    assert!(rencai_app::chat::send(state, recruiter.account(), &c, &out).await.is_err(), "the conversation is blocked");
}
