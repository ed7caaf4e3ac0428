//! Chat (M10): who may talk to whom, what unmasks a seeker's contact (P6), blocks, reports,
//! one notice per burst, idempotent sends, and the socket — order, acknowledgements, and a
//! reconnect that loses nothing and doubles nothing.

use std::collections::BTreeSet;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use rencai_app::AppError;
use rencai_app::chat::{self, Outgoing};
use rencai_app::market::actor::{self, Recruiter};
use rencai_app::market::{jobs, resumes};
use rencai_app::notify;
use rencai_domain::access::ResumeAccess;
use rencai_domain::account::Role;
use rencai_domain::staff::StaffRole;
use rencai_testkit::market::{Visitor, job_input, phone, resume_content, signed_in, staff_member, verified_org};
use rencai_testkit::{TestApp, error_code as code};
use tokio_tungstenite::tungstenite::Message as Frame;

/// Company A (primary A1 owning `job`, sub-account A2), company B (B1), a seeker with a public
/// resume.
struct World {
    app: TestApp,
    a1: Visitor,
    a2: Visitor,
    b1: Visitor,
    seeker: Visitor,
    resume: String,
    job: String,
}

impl World {
    async fn rec(&self, v: &Visitor) -> Recruiter {
        actor::require_recruiter(&self.app.state, v.account()).await.unwrap()
    }
}

async fn world() -> World {
    let app = TestApp::spawn_cheap(|_| {}).await;
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
    let job = jobs::save(state, &a1_rec, None, None, job_input("川菜厨师"), true).await.unwrap().public_id;
    jobs::review(state, &moderator, &job, true, None).await.unwrap();
    let seeker = signed_in(&app, Role::Seeker, &phone(11)).await;
    let r = resumes::save(state, seeker.account(), None, &resume_content("李秀英"), None).await.unwrap();
    resumes::set_visibility(state, seeker.account(), &r.public_id, "public", true).await.unwrap();
    World { app, a1, a2, b1, seeker, resume: r.public_id, job }
}

fn text(client_id: &str, t: &str) -> Outgoing {
    Outgoing { client_id: client_id.into(), text: t.into(), ..Default::default() }
}

async fn access(w: &World, rec: &Recruiter) -> ResumeAccess {
    resumes::peek(&w.app.state, rec, &w.resume).await.unwrap().access
}

#[tokio::test]
async fn a_seeker_who_starts_a_chat_shares_the_contact_and_a_burst_notifies_once() {
    let w = world().await;
    let state = &w.app.state;
    let a1 = w.rec(&w.a1).await;
    assert_eq!(access(&w, &a1).await, ResumeAccess::Masked);
    let id = chat::start_with_job(state, w.seeker.account(), &w.job).await.unwrap();
    assert_eq!(chat::start_with_job(state, w.seeker.account(), &w.job).await.unwrap(), id, "one conversation per pair");
    assert_eq!(access(&w, &a1).await, ResumeAccess::Masked, "opening is not yet talking");

    for (i, t) in ["您好", "请问还招人吗", "我有八年经验"].iter().enumerate() {
        chat::send(state, w.seeker.account(), &id, &text(&format!("s{i}"), t)).await.unwrap();
    }
    assert_eq!(access(&w, &a1).await, ResumeAccess::Full, "a seeker who starts a chat shares the contact (P6)");
    assert_eq!(access(&w, &w.rec(&w.b1).await).await, ResumeAccess::Masked, "with that company only");

    // The recruiter: three unread, in order; one notice for the burst.
    let (list, _) = chat::list(state, w.a1.account(), 1).await.unwrap();
    assert_eq!(list[0].unread, 3);
    assert_eq!(list[0].with, "李秀英");
    let (_, msgs, _) = chat::open(state, w.a1.account(), &id, None).await.unwrap();
    let seqs: Vec<i64> = msgs.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, [1, 2, 3]);
    assert_eq!(msgs[2].text.as_deref(), Some("我有八年经验"));
    let notices = |account: i64| async move {
        notify::center(state, account, 1).await.unwrap().0.into_iter().filter(|n| n.title == "新的沟通消息").count()
    };
    assert_eq!(notices(w.a1.account().id).await, 1);
    // Read, then a new message: a new burst, a new notice.
    chat::read(state, w.a1.account(), &id, 3).await.unwrap();
    assert_eq!(chat::list(state, w.a1.account(), 1).await.unwrap().0[0].unread, 0);
    chat::send(state, w.seeker.account(), &id, &text("s9", "方便的话回个电话")).await.unwrap();
    assert_eq!(notices(w.a1.account().id).await, 2);
    // The reply reaches the seeker, who is told once.
    chat::send(state, w.a1.account(), &id, &text("r1", "您好，欢迎来面试")).await.unwrap();
    assert_eq!(notices(w.seeker.account().id).await, 1);
    assert_eq!(chat::unread_total(state, w.seeker.account()).await.unwrap(), 1);
    // The seeker began it: hiding the resume does not stop the recruiter from answering.
    resumes::set_visibility(state, w.seeker.account(), &w.resume, "hidden", false).await.unwrap();
    chat::send(state, w.a1.account(), &id, &text("r2", "明天上午方便吗")).await.unwrap();

    // The chat text is sealed at rest.
    let raw = rencai_store::chat::history(state.db().conn(), 1, None, 10).await.unwrap();
    assert!(raw.iter().all(|m| m.body_sealed.starts_with("rc1:") && !m.body_sealed.contains("八年")));
}

#[tokio::test]
async fn a_recruiters_message_unmasks_nothing_only_the_seekers_agreement_does() {
    let w = world().await;
    let state = &w.app.state;
    let b1 = w.rec(&w.b1).await;
    let id = chat::start_with_resume(state, &b1, &w.resume).await.unwrap();
    chat::send(state, w.b1.account(), &id, &text("b1", "您好，我们在招仓管")).await.unwrap();
    chat::send(state, w.seeker.account(), &id, &text("s1", "请问工作地点在哪")).await.unwrap();
    assert_eq!(access(&w, &b1).await, ResumeAccess::Masked, "recruiter first, seeker replied: still masked");
    let (s, _, contact) = chat::open(state, w.b1.account(), &id, None).await.unwrap();
    assert_eq!(s.with, "李女士", "the seeker's name as the policy shows it");
    assert!(contact.phone.is_none());

    // Only the recruiter asks; a refusal keeps it masked; an agreement opens both phones.
    let ask = |cid: &str| Outgoing { client_id: cid.into(), kind: "contact_request".into(), ..Default::default() };
    assert_eq!(code(chat::send(state, w.seeker.account(), &id, &ask("s2")).await.unwrap_err()), "chat.kind_not_yours");
    chat::send(state, w.b1.account(), &id, &ask("b2")).await.unwrap();
    let reply = |cid: &str, yes: bool| Outgoing {
        client_id: cid.into(),
        kind: "contact_reply".into(),
        accept: Some(yes),
        ..Default::default()
    };
    assert_eq!(
        code(chat::send(state, w.b1.account(), &id, &reply("b3", true)).await.unwrap_err()),
        "chat.kind_not_yours"
    );
    chat::send(state, w.seeker.account(), &id, &reply("s3", false)).await.unwrap();
    assert_eq!(access(&w, &b1).await, ResumeAccess::Masked);
    chat::send(state, w.b1.account(), &id, &ask("b4")).await.unwrap();
    chat::send(state, w.seeker.account(), &id, &reply("s4", true)).await.unwrap();
    assert_eq!(access(&w, &b1).await, ResumeAccess::Full, "agreement unmasks for B (P6)");
    let (_, _, contact) = chat::open(state, w.b1.account(), &id, None).await.unwrap();
    assert_eq!(contact.phone.as_deref(), Some(phone(11).as_str()));
    let (_, _, contact) = chat::open(state, w.seeker.account(), &id, None).await.unwrap();
    assert_eq!(contact.phone.as_deref(), Some(phone(3).as_str()), "the seeker gets the recruiter's number");
    assert_eq!(code(chat::send(state, w.b1.account(), &id, &ask("b5")).await.unwrap_err()), "chat.contact_exchanged");
    // The number stays behind the access policy: a block of B since closes it again.
    resumes::block(state, w.seeker.account(), &b1.org.public_id).await.unwrap();
    let (_, _, contact) = chat::open(state, w.b1.account(), &id, None).await.unwrap();
    assert!(contact.phone.is_none(), "blocked: no number");
}

#[tokio::test]
async fn a_resent_message_is_stored_once_and_bad_messages_change_nothing() {
    let w = world().await;
    let state = &w.app.state;
    let id = chat::start_with_job(state, w.seeker.account(), &w.job).await.unwrap();
    let first = chat::send(state, w.seeker.account(), &id, &text("same-id", "您好")).await.unwrap();
    let again = chat::send(state, w.seeker.account(), &id, &text("same-id", "您好")).await.unwrap();
    assert!(!first.duplicate && again.duplicate);
    assert_eq!(first.message.id, again.message.id);
    for (out, want) in [
        (text("", "空编号"), "chat.client_id"),
        (text("bad id!", "x"), "chat.client_id"),
        (text("t1", "   "), "chat.text"),
        (text("t2", &"长".repeat(chat::MAX_TEXT + 1)), "chat.text"),
        (Outgoing { client_id: "t3".into(), kind: "sticker".into(), ..Default::default() }, "chat.kind"),
        (
            Outgoing { client_id: "t4".into(), kind: "job".into(), subject: w.job.clone(), ..Default::default() },
            "chat.kind_not_yours",
        ),
    ] {
        assert_eq!(code(chat::send(state, w.seeker.account(), &id, &out).await.unwrap_err()), want);
    }
    let (_, msgs, _) = chat::open(state, w.seeker.account(), &id, None).await.unwrap();
    assert_eq!(msgs.len(), 1, "nothing but the first message was stored");

    // Cards: the recruiter sends its job, the seeker a resume; each is read through its rules.
    let job_card =
        Outgoing { client_id: "c1".into(), kind: "job".into(), subject: w.job.clone(), ..Default::default() };
    let m = chat::send(state, w.a1.account(), &id, &job_card).await.unwrap().message;
    assert!(matches!(m.card, Some(chat::Card::Job { ref title, .. }) if title == "川菜厨师"));
    let resume_card =
        Outgoing { client_id: "c2".into(), kind: "resume".into(), subject: w.resume.clone(), ..Default::default() };
    chat::send(state, w.seeker.account(), &id, &resume_card).await.unwrap();
    let (_, msgs, _) = chat::open(state, w.a1.account(), &id, None).await.unwrap();
    assert!(matches!(msgs.last().unwrap().card, Some(chat::Card::Resume { .. })));
    resumes::set_visibility(state, w.seeker.account(), &w.resume, "hidden", false).await.unwrap();
    let (_, msgs, _) = chat::open(state, w.a1.account(), &id, None).await.unwrap();
    assert!(matches!(msgs.last().unwrap().card, Some(chat::Card::Gone)), "a hidden resume's card shows nothing");
}

#[tokio::test]
async fn blocks_end_a_conversation_and_strangers_cannot_read_it() {
    let w = world().await;
    let state = &w.app.state;
    let (a2, b1) = (w.rec(&w.a2).await, w.rec(&w.b1).await);
    let id = chat::start_with_resume(state, &a2, &w.resume).await.unwrap();
    chat::send(state, w.a2.account(), &id, &text("a1", "您好")).await.unwrap();

    // Strangers: another seeker, another company; the primary account reads but does not send (P17).
    let other = signed_in(&w.app, Role::Seeker, &phone(12)).await;
    assert!(matches!(chat::open(state, other.account(), &id, None).await.unwrap_err(), AppError::NotFound { .. }));
    assert!(matches!(chat::open(state, w.b1.account(), &id, None).await.unwrap_err(), AppError::NotFound { .. }));
    assert!(matches!(
        chat::send(state, w.b1.account(), &id, &text("x", "hi")).await.unwrap_err(),
        AppError::NotFound { .. }
    ));
    let (s, msgs, _) = chat::open(state, w.a1.account(), &id, None).await.unwrap();
    assert!(s.read_only && msgs.len() == 1);
    assert_eq!(
        code(chat::send(state, w.a1.account(), &id, &text("p1", "我是主账号")).await.unwrap_err()),
        "chat.read_only"
    );
    assert_eq!(
        chat::list(state, w.a1.account(), 1).await.unwrap().0.len(),
        1,
        "the primary sees its colleague's chats"
    );
    assert!(chat::list(state, w.b1.account(), 1).await.unwrap().0.is_empty());

    // The seeker blocks: the recruiter is refused, the seeker too until they lift it.
    chat::block(state, w.seeker.account(), &id, true).await.unwrap();
    assert_eq!(code(chat::send(state, w.a2.account(), &id, &text("a2", "在吗")).await.unwrap_err()), "chat.closed");
    assert_eq!(code(chat::send(state, w.seeker.account(), &id, &text("s1", "hi")).await.unwrap_err()), "chat.closed");
    chat::block(state, w.seeker.account(), &id, false).await.unwrap();
    chat::send(state, w.a2.account(), &id, &text("a3", "在吗")).await.unwrap();

    // Blocking the company (resume settings) or hiding every resume ends a conversation the
    // recruiter began.
    resumes::block(state, w.seeker.account(), &a2.org.public_id).await.unwrap();
    assert_eq!(code(chat::send(state, w.a2.account(), &id, &text("a4", "在吗")).await.unwrap_err()), "chat.closed");
    resumes::unblock(state, w.seeker.account(), &a2.org.public_id).await.unwrap();
    resumes::set_visibility(state, w.seeker.account(), &w.resume, "hidden", false).await.unwrap();
    assert_eq!(code(chat::send(state, w.a2.account(), &id, &text("a5", "在吗")).await.unwrap_err()), "chat.closed");
    // And a hidden resume cannot be the start of a new conversation.
    assert!(matches!(chat::start_with_resume(state, &b1, &w.resume).await.unwrap_err(), AppError::NotFound { .. }));

    // Reports need a reason from the list; a good one is recorded for staff.
    assert_eq!(code(chat::report(state, w.seeker.account(), &id, "boring", "").await.unwrap_err()), "chat.reason");
    chat::report(state, w.seeker.account(), &id, "fee", "要求先交培训费").await.unwrap();
    let c = rencai_store::chat::find(state.db().conn(), &id).await.unwrap().unwrap();
    assert_eq!(rencai_store::chat::count_reports(state.db().conn(), c.id).await.unwrap(), 1);
}

// ---- the socket ----

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(w: &World, v: &Visitor) -> Socket {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = format!("ws://{}/api/v1/chat/ws", w.app.addr);
    let mut rq = url.into_client_request().unwrap();
    rq.headers_mut().insert("authorization", format!("Bearer {}", v.token.as_ref().unwrap()).parse().unwrap());
    tokio_tungstenite::connect_async(rq).await.expect("socket").0
}

async fn say(s: &mut Socket, v: serde_json::Value) {
    s.send(Frame::Text(v.to_string().into())).await.unwrap();
}

/// The next JSON frame, or None after `wait` without one.
async fn next(s: &mut Socket, wait: Duration) -> Option<serde_json::Value> {
    loop {
        match tokio::time::timeout(wait, s.next()).await {
            Ok(Some(Ok(Frame::Text(t)))) => return Some(serde_json::from_str(&t).unwrap()),
            Ok(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}

/// Frames until `wait` passes without one.
async fn drain(s: &mut Socket, wait: Duration) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    while let Some(f) = next(s, wait).await {
        out.push(f);
    }
    out
}

#[tokio::test]
async fn the_socket_delivers_in_order_acknowledges_and_a_reconnect_loses_and_doubles_nothing() {
    let w = world().await;
    let state = &w.app.state;
    let id = chat::start_with_job(state, w.seeker.account(), &w.job).await.unwrap();
    chat::send(state, w.seeker.account(), &id, &text("s0", "您好")).await.unwrap();

    let mut recruiter = connect(&w, &w.a1).await;
    say(&mut recruiter, serde_json::json!({"type": "hello", "after": 0})).await;
    let replay = next(&mut recruiter, Duration::from_secs(5)).await.unwrap();
    assert_eq!(replay["message"]["text"], "您好", "what came before the connection is replayed");

    // Live, in order.
    for i in 1..=5 {
        chat::send(state, w.seeker.account(), &id, &text(&format!("s{i}"), &format!("第{i}条"))).await.unwrap();
    }
    let live = drain(&mut recruiter, Duration::from_millis(500)).await;
    let seqs: Vec<i64> =
        live.iter().filter(|f| f["type"] == "message").map(|f| f["message"]["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, [2, 3, 4, 5, 6]);

    // A send is acknowledged with the stored message; the seeker's side sees it too.
    say(&mut recruiter, serde_json::json!({"type": "send", "conversation": id, "client_id": "r-1", "text": "收到"}))
        .await;
    let ack = next(&mut recruiter, Duration::from_secs(5)).await.unwrap();
    assert_eq!(
        (ack["type"].as_str(), ack["client_id"].as_str(), ack["duplicate"].as_bool()),
        (Some("ack"), Some("r-1"), Some(false))
    );
    let mut last_seen = ack["message"]["id"].as_i64().unwrap();
    // The acknowledgement carries the message: it is not announced again on this connection
    // (other devices of the same account do get it).
    let echo = drain(&mut recruiter, Duration::from_millis(300)).await;
    assert!(echo.is_empty(), "{echo:?}");

    // Bad frames get an error, not a dropped connection.
    recruiter.send(Frame::Text("{nonsense".into())).await.unwrap();
    assert_eq!(next(&mut recruiter, Duration::from_secs(5)).await.unwrap()["code"], "chat.frame");
    say(&mut recruiter, serde_json::json!({"type": "send", "conversation": id, "client_id": "r-x", "kind": "sticker"}))
        .await;
    let e = next(&mut recruiter, Duration::from_secs(5)).await.unwrap();
    assert_eq!((e["code"].as_str(), e["client_id"].as_str()), (Some("chat.kind"), Some("r-x")));

    // The connection drops; the seeker goes on writing; an unacknowledged send is retried.
    drop(recruiter);
    for i in 6..=8 {
        chat::send(state, w.seeker.account(), &id, &text(&format!("s{i}"), &format!("第{i}条"))).await.unwrap();
    }
    let stored_while_away = chat::send(state, w.a1.account(), &id, &text("r-2", "稍后联系")).await.unwrap().message.id;
    let mut recruiter = connect(&w, &w.a1).await;
    say(&mut recruiter, serde_json::json!({"type": "hello", "after": last_seen})).await;
    say(
        &mut recruiter,
        serde_json::json!({"type": "send", "conversation": id, "client_id": "r-2", "text": "稍后联系"}),
    )
    .await;
    let frames = drain(&mut recruiter, Duration::from_millis(700)).await;
    let mut shown = BTreeSet::new();
    let mut order = Vec::new();
    let streamed: Vec<i64> =
        frames.iter().filter(|f| f["type"] == "message").map(|f| f["message"]["id"].as_i64().unwrap()).collect();
    assert_eq!(
        streamed.len(),
        streamed.iter().collect::<BTreeSet<_>>().len(),
        "one connection sends an id once: {streamed:?}"
    );
    for f in &frames {
        if f["type"] == "ack" {
            assert_eq!(f["duplicate"], true, "the retried send was stored once");
            assert_eq!(f["message"]["id"].as_i64(), Some(stored_while_away));
        }
        if let Some(m) = f.get("message") {
            let id = m["id"].as_i64().unwrap();
            // The client's rule: show an id once.
            if shown.insert(id) && f["type"] == "message" {
                order.push(m["seq"].as_i64().unwrap());
            }
            last_seen = last_seen.max(id);
        }
    }
    let (_, all, _) = chat::open(state, w.a1.account(), &id, None).await.unwrap();
    assert_eq!(all.len(), 11, "9 from the seeker, 2 from the recruiter: nothing doubled in storage");
    let missed: Vec<i64> = all.iter().filter(|m| m.seq > 7).map(|m| m.seq).collect();
    assert!(missed.iter().all(|s| order.contains(s)), "every message after the drop arrived: {order:?} ⊇ {missed:?}");
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(order, sorted, "in order");
    assert_eq!(last_seen, all.iter().map(|m| m.id).max().unwrap());

    // Read receipts reach the other side's socket.
    let mut seeker = connect(&w, &w.seeker).await;
    say(&mut seeker, serde_json::json!({"type": "hello", "after": last_seen})).await;
    drain(&mut seeker, Duration::from_millis(300)).await;
    say(&mut recruiter, serde_json::json!({"type": "read", "conversation": id, "seq": 10})).await;
    let receipt = drain(&mut seeker, Duration::from_millis(700)).await;
    assert!(receipt.iter().any(|f| f["type"] == "read" && f["seq"] == 10 && f["side"] == "recruiter"), "{receipt:?}");

    // Without a token there is no socket; the page socket takes the session cookie, and only
    // from this site's pages (the Origin header stands in for the forms' CSRF token).
    let plain = tokio_tungstenite::connect_async(format!("ws://{}/api/v1/chat/ws", w.app.addr)).await;
    assert!(plain.is_err());
    let session = rencai_app::auth::sessions::start(
        state,
        w.seeker.account().id,
        rencai_app::auth::sessions::SessionKind::Web,
        "ws",
    )
    .await
    .unwrap()
    .token;
    for (origin, accepted) in [("http://evil.example".to_string(), false), (format!("http://{}", w.app.addr), true)] {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut rq = format!("ws://{}/chat/ws", w.app.addr).into_client_request().unwrap();
        rq.headers_mut().insert("cookie", format!("rc_session={session}").parse().unwrap());
        rq.headers_mut().insert("origin", origin.parse().unwrap());
        assert_eq!(tokio_tungstenite::connect_async(rq).await.is_ok(), accepted, "origin {origin}");
    }
}

#[tokio::test]
async fn the_long_poll_fallback_returns_what_is_new() {
    let w = world().await;
    let state = &w.app.state;
    let id = chat::start_with_job(state, w.seeker.account(), &w.job).await.unwrap();
    let first = chat::send(state, w.seeker.account(), &id, &text("s1", "您好")).await.unwrap().message.id;
    let poll = {
        let a1 = w.a1.token.clone().unwrap();
        let url = w.app.url(&format!("/api/v1/chat/events?after={first}&wait=5"));
        tokio::spawn(async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(a1)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = chat::send(state, w.seeker.account(), &id, &text("s2", "在吗")).await.unwrap().message.id;
    let got = poll.await.unwrap();
    let ids: Vec<i64> = got["messages"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&second), "{got}");
    // Over HTTP, a send and a resend.
    let body = serde_json::json!({"client_id": "h-1", "text": "HTTP 发送"});
    let r1: serde_json::Value =
        w.a1.api_post(&format!("/api/v1/chat/conversations/{id}/messages"), &body).await.json().await.unwrap();
    let r2: serde_json::Value =
        w.a1.api_post(&format!("/api/v1/chat/conversations/{id}/messages"), &body).await.json().await.unwrap();
    assert_eq!(r1["message"]["id"], r2["message"]["id"]);
    assert_eq!((r1["duplicate"].as_bool(), r2["duplicate"].as_bool()), (Some(false), Some(true)));
    let res = w.b1.api_post(&format!("/api/v1/chat/conversations/{id}/messages"), &body).await;
    assert_eq!(res.status(), 404, "another company cannot write into it");
}

#[tokio::test]
async fn the_pages_show_the_conversation_and_send_without_script() {
    let w = world().await;
    let res = w.seeker.post("/chat/start", &[("job", w.job.as_str())]).await;
    assert_eq!(res.status(), 303);
    let at = res.headers()["location"].to_str().unwrap().to_string();
    let (s, html) = w.seeker.page(&at).await;
    assert_eq!(s, 200);
    let cid_start = html.find("name=\"client_id\" value=\"").unwrap() + "name=\"client_id\" value=\"".len();
    let cid = html[cid_start..cid_start + 22].to_string();
    for _ in 0..2 {
        let res = w
            .seeker
            .post(
                &format!("{at}/messages"),
                &[("kind", "text"), ("client_id", cid.as_str()), ("text", "您好，想了解一下")],
            )
            .await;
        assert_eq!(res.status(), 303, "a double submit is answered the same");
    }
    let res = w.seeker.post(&format!("{at}/messages"), &[("kind", "text"), ("client_id", "x2"), ("text", "")]).await;
    assert_eq!(res.status(), 422);
    let (_, html) = w.a1.page("/chat").await;
    assert!(html.contains("李秀英") && html.contains("您好，想了解一下"));
    let (_, html) = w.a1.page(&at).await;
    assert_eq!(html.matches("您好，想了解一下").count(), 1, "stored once");
    assert!(html.contains("请求交换电话") && html.contains("/static/chat.js") && html.contains("发送职位"));
    assert_eq!(w.b1.page(&at).await.0, 404);
    // A job card from the page; the seeker reads it with a link to the job.
    let res =
        w.a1.post(&format!("{at}/messages"), &[("kind", "job"), ("client_id", "card1"), ("subject", w.job.as_str())])
            .await;
    assert_eq!(res.status(), 303);
    let (_, html) = w.seeker.page(&at).await;
    assert!(html.contains("职位：川菜厨师") && html.contains(&format!("/jobs/{}", w.job)) && html.contains("发送简历"));
}

/// Many conversations written at once: every send is stored and acknowledged (on SQLite a
/// transaction that read before writing would fail at once under this load; a benchmark found
/// it).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_senders_in_many_conversations_all_get_through() {
    let w = world().await;
    let state = w.app.state.clone();
    let mut tasks = Vec::new();
    for i in 0..16u32 {
        let seeker = signed_in(&w.app, Role::Seeker, &phone(100 + i)).await;
        let id = chat::start_with_job(&state, seeker.account(), &w.job).await.unwrap();
        let state = state.clone();
        tasks.push(tokio::spawn(async move {
            for k in 0..5 {
                chat::send(&state, seeker.account(), &id, &text(&format!("m{k}"), "同时发送")).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.expect("every send succeeded");
    }
    let (list, total) = chat::list(&state, w.a1.account(), 1).await.unwrap();
    assert_eq!(total, 16);
    assert!(list.iter().all(|s| s.unread == 5));
}
