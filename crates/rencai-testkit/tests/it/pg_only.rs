//! Behaviour that exists only on PostgreSQL: sequence values that commit out of order.

use rencai_store::TransactionTrait;
use rencai_store::changelog::{self, ChangeOp, Cursor, NewChange};
use rencai_testkit::TestDb;

fn change(entity: &str) -> NewChange {
    NewChange {
        station_id: 1,
        topic: "job",
        entity_id: entity.into(),
        op: ChangeOp::Created,
        payload: serde_json::json!({}),
    }
}

/// Transaction A takes a lower id but commits after B. A reader that ran between the two
/// commits must not move its cursor past A's row.
#[tokio::test]
async fn reader_does_not_skip_a_late_committing_transaction() {
    assert!(rencai_testkit::on_postgres(), "pg_only tests run with RENCAI_TEST_BACKEND=postgres");
    let tdb = TestDb::new().await;
    let db = tdb.connect().await;
    let now = chrono::Utc::now();

    let slow = db.conn().begin().await.unwrap();
    changelog::append(&slow, &change("slow"), now).await.unwrap(); // lower id, not committed
    let fast = db.conn().begin().await.unwrap();
    changelog::append(&fast, &change("fast"), now).await.unwrap();
    fast.commit().await.unwrap();

    // The reader runs while "slow" is still open.
    let (rows, cursor) = changelog::read_after(db.conn(), Cursor::default(), 100).await.unwrap();
    let ids: Vec<_> = rows.iter().map(|r| r.entity_id.as_str()).collect();
    assert!(!ids.contains(&"slow"), "uncommitted rows are invisible");

    slow.commit().await.unwrap();
    // xids are cluster-wide: writers of other tests' databases can hold the horizon back for a
    // moment, so follow the log as a replica would until both rows have arrived.
    let mut all: Vec<String> = rows.into_iter().map(|r| r.entity_id).collect();
    let mut cursor = cursor;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while all.len() < 2 && std::time::Instant::now() < deadline {
        let (more, next) = changelog::read_after(db.conn(), cursor, 100).await.unwrap();
        cursor = next;
        all.extend(more.into_iter().map(|r| r.entity_id));
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    all.sort();
    assert_eq!(
        all,
        vec!["fast".to_string(), "slow".to_string()],
        "the late commit is read after all, and nothing twice"
    );
}

/// The naive approach — "rows with id greater than the last one I saw" — loses the late row.
/// This documents why the log carries transaction ids (and fails if PostgreSQL ever changed so
/// that the scenario above could no longer happen, making that test vacuous).
#[tokio::test]
async fn the_naive_id_cursor_would_have_skipped_it() {
    assert!(rencai_testkit::on_postgres());
    let tdb = TestDb::new().await;
    let db = tdb.connect().await;
    let now = chrono::Utc::now();
    let slow = db.conn().begin().await.unwrap();
    changelog::append(&slow, &change("slow"), now).await.unwrap();
    let fast = db.conn().begin().await.unwrap();
    changelog::append(&fast, &change("fast"), now).await.unwrap();
    fast.commit().await.unwrap();
    use rencai_store::ConnectionTrait;
    let max_seen: i64 = db
        .conn()
        .query_one_raw(rencai_store::raw(db.backend(), "SELECT MAX(id) AS m FROM change_log", []))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "m")
        .unwrap();
    slow.commit().await.unwrap();
    let later: i64 = db
        .conn()
        .query_one_raw(rencai_store::raw(
            db.backend(),
            "SELECT COUNT(*) AS n FROM change_log WHERE id > ?",
            [max_seen.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap();
    assert_eq!(later, 0, "the slow row has a lower id than one already seen: an id cursor skips it");
}

/// Two app nodes on one PostgreSQL database exchange chat messages: each node's listener hears
/// the other's `NOTIFY` and hands the event to its own connections, which read the message.
#[tokio::test]
async fn two_nodes_exchange_chat_messages_through_listen_notify() {
    use std::sync::atomic::Ordering;
    use std::time::Duration;

    use rencai_app::chat::{self, Event, Outgoing};
    use rencai_domain::account::Role;
    use rencai_domain::staff::StaffRole;
    use rencai_testkit::market::{job_input, phone, signed_in, staff_member, verified_org};

    assert!(rencai_testkit::on_postgres(), "pg_only tests run with RENCAI_TEST_BACKEND=postgres");
    let app = rencai_testkit::TestApp::spawn_cheap(|_| {}).await;
    let dir = tempfile::tempdir().unwrap();
    let node2 = app.second_node(dir.path()).await;
    tokio::spawn(rencai_app::chat::hub::listen_forever(node2.clone()));
    let state = &app.state;
    let recruiter = signed_in(&app, Role::Company, &phone(1)).await;
    verified_org(&app, &recruiter, "万州峡江餐饮有限公司", 1).await;
    let (_, moderator) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    let rec = rencai_app::market::actor::require_recruiter(state, recruiter.account()).await.unwrap();
    let job = rencai_app::market::jobs::save(state, &rec, None, None, job_input("川菜厨师"), true).await.unwrap();
    rencai_app::market::jobs::review(state, &moderator, &job.public_id, true, None).await.unwrap();
    let seeker = signed_in(&app, Role::Seeker, &phone(11)).await;
    let id = chat::start_with_job(state, seeker.account(), &job.public_id).await.unwrap();

    let ready = |s: &rencai_app::AppState| s.chat_hub().listening.load(Ordering::SeqCst);
    for _ in 0..100 {
        if ready(state) && ready(&node2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready(state) && ready(&node2), "both nodes listen");

    let text = |cid: &str, t: &str| Outgoing { client_id: cid.into(), text: t.into(), ..Default::default() };
    // The recruiter is connected to node 2; the seeker writes through node 1.
    let mut on_node2 = node2.chat_hub().subscribe(recruiter.account().id);
    let sent = chat::send(state, seeker.account(), &id, &text("s1", "您好")).await.unwrap().message;
    let got = tokio::time::timeout(Duration::from_secs(5), on_node2.recv()).await.expect("delivered").unwrap();
    assert_eq!(got, Event::Message { id: sent.id, to: [seeker.account().id, recruiter.account().id] });
    let reader = chat::reader(&node2, recruiter.account()).await.unwrap();
    let m = chat::message_for(&node2, &reader, sent.id).await.unwrap().unwrap();
    assert_eq!(m.text.as_deref(), Some("您好"));
    // And back: the recruiter answers through node 2, the seeker hears it on node 1.
    let mut on_node1 = state.chat_hub().subscribe(seeker.account().id);
    let reply = chat::send(&node2, recruiter.account(), &id, &text("r1", "欢迎")).await.unwrap().message;
    let got = tokio::time::timeout(Duration::from_secs(5), on_node1.recv()).await.expect("delivered").unwrap();
    assert!(matches!(got, Event::Message { id, .. } if id == reply.id));
    // A rolled-back send announces nothing: NOTIFY goes out with the commit only.
    let txn = rencai_store::TransactionTrait::begin(state.db().conn()).await.unwrap();
    rencai_app::chat::hub::announce(&txn, Event::Message { id: -1, to: [seeker.account().id, 0] }).await.unwrap();
    txn.rollback().await.unwrap();
    assert!(
        tokio::time::timeout(Duration::from_millis(500), on_node1.recv()).await.is_err(),
        "nothing after a rollback"
    );
}
