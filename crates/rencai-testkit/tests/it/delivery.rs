use std::collections::BTreeSet;
use std::time::Duration;

use chrono::Utc;
use rencai_store::delivery::{self, FailOutcome, NewDelivery};
use rencai_testkit::TestDb;

fn job(n: usize, dedupe: Option<&str>) -> NewDelivery {
    NewDelivery {
        station_id: 1,
        kind: "email.notice".into(),
        payload: serde_json::json!({ "n": n }),
        dedupe_key: dedupe.map(str::to_owned),
        max_attempts: 3,
        run_at: Utc::now() - chrono::Duration::seconds(1),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_job_is_claimed_by_exactly_one_worker() {
    let tdb = TestDb::new().await;
    let db = tdb.connect().await;
    const JOBS: usize = 60;
    for n in 0..JOBS {
        delivery::enqueue(db.conn(), &job(n, None), Utc::now()).await.unwrap();
    }
    let mut workers = Vec::new();
    for _ in 0..6 {
        let db = db.clone();
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            while let Some(j) = delivery::claim(db.conn(), Utc::now(), Duration::from_secs(60)).await.unwrap() {
                assert!(delivery::complete(db.conn(), &j, Utc::now()).await.unwrap());
                mine.push(j.id);
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap());
    }
    let unique: BTreeSet<_> = all.iter().copied().collect();
    assert_eq!(all.len(), JOBS, "every job claimed once in total");
    assert_eq!(unique.len(), JOBS, "no job claimed twice");
    assert_eq!(delivery::counts(db.conn()).await.unwrap(), vec![("done".to_string(), JOBS as i64)]);
}

#[tokio::test]
async fn a_failure_is_retried_after_backoff_and_then_succeeds_once() {
    let tdb = TestDb::new().await;
    let db = tdb.connect().await;
    let t0 = Utc::now();
    let id = delivery::enqueue(db.conn(), &job(1, None), t0).await.unwrap().unwrap();
    let first = delivery::claim(db.conn(), t0, Duration::from_secs(60)).await.unwrap().unwrap();
    assert_eq!((first.id, first.attempts), (id, 1));
    let FailOutcome::RetryAt(at) =
        delivery::fail(db.conn(), &first, "provider said 503 to 13812345678", t0).await.unwrap()
    else {
        panic!("first failure must be retried")
    };
    assert!(at > t0 + chrono::Duration::seconds(29), "backs off at least 30 s");
    let (state, attempts, error) = delivery::state_of(db.conn(), id).await.unwrap().unwrap();
    assert_eq!((state.as_str(), attempts), ("pending", 1));
    assert!(!error.unwrap().contains("13812345678"), "stored errors are redacted");

    assert!(
        delivery::claim(db.conn(), t0 + chrono::Duration::seconds(5), Duration::from_secs(60)).await.unwrap().is_none(),
        "not before its time"
    );
    let second = delivery::claim(db.conn(), at, Duration::from_secs(60)).await.unwrap().unwrap();
    assert_eq!((second.id, second.attempts), (id, 2));
    assert!(delivery::complete(db.conn(), &second, at).await.unwrap());
    assert!(
        delivery::claim(db.conn(), at + chrono::Duration::days(1), Duration::from_secs(60)).await.unwrap().is_none(),
        "done means done"
    );
}

#[tokio::test]
async fn a_job_that_keeps_failing_becomes_a_dead_letter_and_can_be_revived() {
    let tdb = TestDb::new().await;
    let db = tdb.connect().await;
    let mut now = Utc::now();
    let id = delivery::enqueue(db.conn(), &job(1, None), now).await.unwrap().unwrap();
    let mut outcomes = Vec::new();
    for _ in 0..3 {
        let j = delivery::claim(db.conn(), now, Duration::from_secs(60)).await.unwrap().expect("due");
        let o = delivery::fail(db.conn(), &j, "boom", now).await.unwrap();
        if let FailOutcome::RetryAt(at) = o {
            now = at;
        }
        outcomes.push(o);
    }
    assert_eq!(outcomes[2], FailOutcome::Dead);
    assert_eq!(delivery::state_of(db.conn(), id).await.unwrap().unwrap().0, "dead");
    assert!(
        delivery::claim(db.conn(), now + chrono::Duration::days(7), Duration::from_secs(60)).await.unwrap().is_none()
    );
    assert!(delivery::revive(db.conn(), id, now).await.unwrap());
    assert_eq!(delivery::claim(db.conn(), now, Duration::from_secs(60)).await.unwrap().unwrap().id, id);
}

/// A worker that dies after claiming (before sending or before marking) leaves a lease that
/// runs out; the job is then claimed again, once, and the dead worker's late "done" is refused.
#[tokio::test]
async fn an_expired_lease_is_reclaimed_and_the_old_holder_loses_it() {
    let tdb = TestDb::new().await;
    let db = tdb.connect().await;
    let t0 = Utc::now();
    let id = delivery::enqueue(db.conn(), &job(1, None), t0).await.unwrap().unwrap();
    let crashed = delivery::claim(db.conn(), t0, Duration::from_secs(30)).await.unwrap().unwrap();
    assert!(
        delivery::claim(db.conn(), t0 + chrono::Duration::seconds(10), Duration::from_secs(30))
            .await
            .unwrap()
            .is_none()
    );
    let t1 = t0 + chrono::Duration::seconds(31);
    let again = delivery::claim(db.conn(), t1, Duration::from_secs(30)).await.unwrap().unwrap();
    assert_eq!((again.id, again.attempts), (id, 2), "the attempt was counted before the crash");
    assert!(!delivery::complete(db.conn(), &crashed, t1).await.unwrap(), "a lost lease cannot complete");
    assert_eq!(delivery::fail(db.conn(), &crashed, "late", t1).await.unwrap(), FailOutcome::LeaseLost);
    assert!(delivery::complete(db.conn(), &again, t1).await.unwrap());
}

#[tokio::test]
async fn a_dedupe_key_enqueues_once() {
    let tdb = TestDb::new().await;
    let db = tdb.connect().await;
    assert!(delivery::enqueue(db.conn(), &job(1, Some("welcome:42")), Utc::now()).await.unwrap().is_some());
    assert!(delivery::enqueue(db.conn(), &job(2, Some("welcome:42")), Utc::now()).await.unwrap().is_none());
    assert_eq!(delivery::counts(db.conn()).await.unwrap(), vec![("pending".to_string(), 1)]);
}
