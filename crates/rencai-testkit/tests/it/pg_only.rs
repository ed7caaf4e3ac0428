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
