use std::collections::BTreeSet;

use rencai_store::changelog::{self, ChangeOp, Cursor, NewChange};
use rencai_store::{Db, TransactionTrait};
use rencai_testkit::TestDb;

fn change(entity: &str) -> NewChange {
    NewChange {
        station_id: 1,
        topic: "job",
        entity_id: entity.into(),
        op: ChangeOp::Updated,
        payload: serde_json::json!({}),
    }
}

async fn read_all(db: &Db, mut cursor: Cursor, batch: u32) -> (Vec<String>, Cursor) {
    let mut seen = Vec::new();
    loop {
        let (rows, next) = changelog::read_after(db.conn(), cursor, batch).await.unwrap();
        if rows.is_empty() {
            return (seen, cursor);
        }
        seen.extend(rows.into_iter().map(|r| r.entity_id));
        cursor = next;
    }
}

/// Follows the log until `want` changes have arrived (or 30 s pass). On PostgreSQL, writers in
/// other databases of the cluster (other tests) can hold the visibility horizon back for a
/// moment; a replica simply reads again.
async fn follow(db: &Db, mut cursor: Cursor, batch: u32, want: usize) -> (Vec<String>, Cursor) {
    let mut seen = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while seen.len() < want && std::time::Instant::now() < deadline {
        let (more, next) = read_all(db, cursor, batch).await;
        cursor = next;
        seen.extend(more);
        if seen.len() < want {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    (seen, cursor)
}

#[tokio::test]
async fn reader_resumes_from_its_cursor_in_order() {
    let tdb = TestDb::new().await;
    let db = tdb.connect().await;
    let now = chrono::Utc::now();
    for i in 0..25 {
        changelog::append(db.conn(), &change(&format!("e{i:02}")), now).await.unwrap();
    }
    let (first, cursor) = follow(&db, Cursor::default(), 7, 25).await;
    assert_eq!(first, (0..25).map(|i| format!("e{i:02}")).collect::<Vec<_>>());
    changelog::append(db.conn(), &change("late"), now).await.unwrap();
    let (more, _) = follow(&db, cursor, 7, 1).await;
    assert_eq!(more, vec!["late".to_string()]);
}

#[tokio::test]
async fn named_cursors_only_move_forward() {
    let tdb = TestDb::new().await;
    let db = tdb.connect().await;
    let now = chrono::Utc::now();
    assert_eq!(changelog::load_cursor(db.conn(), "node-a").await.unwrap(), Cursor::default());
    changelog::save_cursor(db.conn(), "node-a", Cursor { tx_id: 5, id: 9 }, now).await.unwrap();
    changelog::save_cursor(db.conn(), "node-a", Cursor { tx_id: 5, id: 3 }, now).await.unwrap();
    assert_eq!(changelog::load_cursor(db.conn(), "node-a").await.unwrap(), Cursor { tx_id: 5, id: 9 });
    changelog::save_cursor(db.conn(), "node-b", Cursor { tx_id: 1, id: 1 }, now).await.unwrap();
    assert_eq!(
        changelog::load_cursor(db.conn(), "node-a").await.unwrap(),
        Cursor { tx_id: 5, id: 9 },
        "cursors are per consumer"
    );
}

/// Writers commit concurrently while a reader follows the log; the reader must end up with
/// every change exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reader_following_concurrent_writers_misses_nothing_and_repeats_nothing() {
    let tdb = TestDb::new().await;
    let db = tdb.connect().await;
    const WRITERS: usize = 4;
    const PER_WRITER: usize = 30;
    let mut handles = Vec::new();
    for w in 0..WRITERS {
        let db = db.clone();
        handles.push(tokio::spawn(async move {
            for i in 0..PER_WRITER {
                let txn = db.conn().begin().await.unwrap();
                changelog::append(&txn, &change(&format!("w{w}-{i}")), chrono::Utc::now()).await.unwrap();
                if i % 3 == 0 {
                    // Hold some transactions open a little, so commits interleave.
                    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
                }
                txn.commit().await.unwrap();
            }
        }));
    }
    let mut seen = Vec::new();
    let mut cursor = Cursor::default();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while seen.len() < WRITERS * PER_WRITER && std::time::Instant::now() < deadline {
        let (rows, next) = changelog::read_after(db.conn(), cursor, 10).await.unwrap();
        cursor = next;
        seen.extend(rows.into_iter().map(|r| r.entity_id));
        tokio::task::yield_now().await;
    }
    for h in handles {
        h.await.unwrap();
    }
    let (rest, _) = follow(&db, cursor, 50, (WRITERS * PER_WRITER).saturating_sub(seen.len())).await;
    seen.extend(rest);
    let unique: BTreeSet<_> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no change is delivered twice");
    assert_eq!(unique.len(), WRITERS * PER_WRITER, "no change is skipped");
}
