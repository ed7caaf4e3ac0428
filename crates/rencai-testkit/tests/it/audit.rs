use rencai_store::audit::{self, Actor, AuditEntry, AuditProblem};
use rencai_store::{ConnectionTrait, Db, raw};
use rencai_testkit::TestDb;

fn entry(i: i64) -> AuditEntry {
    AuditEntry {
        actor: Actor::staff(7),
        action: "staff.read_personal",
        subject: Some(("account", i)),
        reason: Some(format!("工单 #{i}")),
        detail: serde_json::json!({ "fields": ["name", "phone"] }),
    }
}

async fn chain(n: i64) -> (TestDb, Db, [u8; 32]) {
    let tdb = TestDb::new().await;
    let db = tdb.connect().await;
    let key = *rencai_crypto::Keyring::generate().audit_key();
    for i in 1..=n {
        audit::append(db.conn(), &key, &entry(i), chrono::Utc::now()).await.unwrap();
    }
    (tdb, db, key)
}

async fn exec(db: &Db, sql: &str, values: Vec<sea_orm::Value>) {
    db.conn().execute_raw(raw(db.backend(), sql, values)).await.unwrap();
}

#[tokio::test]
async fn an_intact_chain_verifies() {
    let (_t, db, key) = chain(12).await;
    let report = audit::verify(db.conn(), &key, |_| {}).await.unwrap();
    assert_eq!(report.rows_checked, 12);
    assert_eq!(report.problem, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_never_fork_the_chain() {
    let (_t, db, key) = chain(0).await;
    let mut tasks = Vec::new();
    for w in 0..4 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                audit::append(db.conn(), &key, &entry(w * 100 + i), chrono::Utc::now()).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let report = audit::verify(db.conn(), &key, |_| {}).await.unwrap();
    assert_eq!((report.rows_checked, report.problem), (40, None));
}

#[tokio::test]
async fn an_edited_row_is_caught() {
    let (_t, db, key) = chain(10).await;
    exec(&db, "UPDATE audit_log SET reason = ? WHERE seq = ?", vec!["改过的理由".into(), 4i64.into()]).await;
    let report = audit::verify(db.conn(), &key, |_| {}).await.unwrap();
    assert_eq!(report.problem, Some(AuditProblem::Altered { seq: 4 }));
    assert_eq!(report.rows_checked, 3);
}

#[tokio::test]
async fn a_deleted_row_is_caught() {
    let (_t, db, key) = chain(10).await;
    exec(&db, "DELETE FROM audit_log WHERE seq = ?", vec![6i64.into()]).await;
    let report = audit::verify(db.conn(), &key, |_| {}).await.unwrap();
    assert_eq!(report.problem, Some(AuditProblem::Missing { seq: 6 }));
}

/// Someone with database access but without the key file rewrites row 5 and re-chains every
/// later row (and the head) with hashes they can compute — a different key. Caught at row 5.
#[tokio::test]
async fn a_rewritten_tail_is_caught_at_its_first_row() {
    let (_t, db, key) = chain(10).await;
    let forger = *rencai_crypto::Keyring::generate().audit_key();
    use rencai_store::entity::audit_log;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::Seq.gte(5))
        .order_by_asc(audit_log::Column::Seq)
        .all(db.conn())
        .await
        .unwrap();
    let mut prev: String =
        audit_log::Entity::find().filter(audit_log::Column::Seq.eq(4)).one(db.conn()).await.unwrap().unwrap().hash;
    for mut row in rows {
        if row.seq == 5 {
            row.reason = Some("被篡改".into());
        }
        row.prev_hash = prev.clone();
        row.hash = audit::row_hash(&forger, &row);
        exec(
            &db,
            "UPDATE audit_log SET reason = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            vec![row.reason.clone().into(), row.prev_hash.clone().into(), row.hash.clone().into(), row.seq.into()],
        )
        .await;
        prev = row.hash;
    }
    exec(&db, "UPDATE audit_head SET hash = ? WHERE id = 1", vec![prev.into()]).await;
    let report = audit::verify(db.conn(), &key, |_| {}).await.unwrap();
    assert_eq!(report.problem, Some(AuditProblem::Altered { seq: 5 }));
}

#[tokio::test]
async fn rows_cut_off_the_end_are_caught() {
    let (_t, db, key) = chain(10).await;
    exec(&db, "DELETE FROM audit_log WHERE seq > ?", vec![8i64.into()]).await;
    let report = audit::verify(db.conn(), &key, |_| {}).await.unwrap();
    assert_eq!(report.problem, Some(AuditProblem::Truncated { last_seq: 8, head_seq: 10 }));
}

#[tokio::test]
async fn the_chain_needs_the_right_key() {
    let (_t, db, _key) = chain(3).await;
    let other = *rencai_crypto::Keyring::generate().audit_key();
    let report = audit::verify(db.conn(), &other, |_| {}).await.unwrap();
    assert_eq!(report.problem, Some(AuditProblem::Altered { seq: 1 }));
}
