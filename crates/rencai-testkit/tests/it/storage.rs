use rencai_domain::account::{Phone, Role};
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_store::accounts::{self, NewAccount};
use rencai_store::changelog;
use rencai_store::delivery::{self, NewDelivery};
use rencai_store::{ConnectionTrait, StoreError, TransactionTrait};
use rencai_testkit::TestApp;

fn person(phone: &str) -> NewAccount {
    NewAccount {
        station_id: 1,
        role: Role::Seeker,
        name: Some("欧阳晓燕".into()),
        birth_date: None,
        age_group: rencai_domain::account::AgeGroup::Adult,
        minor_basis: None,
        phone: Phone::parse(phone).unwrap(),
        email: Some("xiaoyan@example.com".into()),
    }
}

#[tokio::test]
async fn migration_creates_the_default_station_and_seeds_taxonomies() {
    let app = TestApp::spawn().await;
    let conn = app.state.db().conn();
    let backend = app.state.db().backend();
    let row = conn
        .query_one_raw(rencai_store::raw(backend, "SELECT code, name FROM stations WHERE id = ?", [1i64.into()]))
        .await
        .unwrap()
        .expect("default station");
    assert_eq!(row.try_get::<String>("", "code").unwrap(), "wanzhou");
    assert_eq!(row.try_get::<String>("", "name").unwrap(), "万州");
    for kind in TaxonomyKind::ALL {
        let terms = rencai_store::taxonomy::list(conn, 1, kind).await.unwrap();
        assert_eq!(terms.len(), kind.seed().len(), "{kind:?}");
    }
    // Re-running bootstrap is harmless: nothing is seeded twice.
    assert_eq!(rencai_store::taxonomy::seed_if_empty(conn, 1).await.unwrap(), 0);
    assert!(app.state.db().pending_migrations().await.unwrap().is_empty());
}

#[tokio::test]
async fn accounts_are_sealed_and_found_by_blind_index() {
    let app = TestApp::spawn().await;
    let keys = app.state.keys().get();
    let conn = app.state.db().conn();
    let created = accounts::create(conn, &keys, &person("+86 139 0000 1111"), app.state.now()).await.unwrap();
    assert_eq!(created.name.as_ref().unwrap().open(&keys, accounts::NAME).unwrap(), "欧阳晓燕");

    // What the database holds is ciphertext only.
    let row = conn
        .query_one_raw(rencai_store::raw(
            app.state.db().backend(),
            "SELECT name_sealed, phone_sealed, phone_blind, email_sealed FROM accounts WHERE id = ?",
            [created.id.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    for col in ["name_sealed", "phone_sealed", "phone_blind", "email_sealed"] {
        let v: String = row.try_get("", col).unwrap();
        assert!(!v.contains("欧阳") && !v.contains("13900001111") && !v.contains("xiaoyan"), "{col} = {v}");
    }

    let found = accounts::find_by_phone(conn, &keys, &Phone::parse("13900001111").unwrap()).await.unwrap().unwrap();
    assert_eq!(found.id, created.id);
    assert_eq!(found.phone.open(&keys, accounts::PHONE).unwrap(), "13900001111");
    assert!(accounts::find_by_phone(conn, &keys, &Phone::parse("13900001112").unwrap()).await.unwrap().is_none());
}

#[tokio::test]
async fn a_second_account_with_the_same_phone_is_a_conflict_not_a_crash() {
    let app = TestApp::spawn().await;
    let keys = app.state.keys().get();
    let conn = app.state.db().conn();
    accounts::create(conn, &keys, &person("13900002222"), app.state.now()).await.unwrap();
    let err = accounts::create(conn, &keys, &person("139-0000-2222"), app.state.now()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { field: "phone" }), "{err:?}");
    assert_eq!(accounts::count(conn).await.unwrap(), 1);
}

async fn counts(app: &TestApp) -> (u64, usize, usize) {
    let conn = app.state.db().conn();
    let accounts = accounts::count(conn).await.unwrap();
    let changes = changelog::count(conn).await.unwrap() as usize;
    let queued: i64 = delivery::counts(conn).await.unwrap().iter().map(|(_, n)| n).sum();
    (accounts, changes, queued as usize)
}

fn welcome(now: chrono::DateTime<chrono::Utc>) -> NewDelivery {
    NewDelivery {
        station_id: 1,
        kind: "sms.welcome".into(),
        payload: serde_json::json!({"account": 1}),
        dedupe_key: None,
        max_attempts: 5,
        run_at: now,
    }
}

#[tokio::test]
async fn change_and_delivery_commit_or_vanish_with_the_change_they_announce() {
    let app = TestApp::spawn().await;
    let keys = app.state.keys().get();
    let now = app.state.now();

    let txn = app.state.db().conn().begin().await.unwrap();
    accounts::create(&txn, &keys, &person("13900003333"), now).await.unwrap();
    delivery::enqueue(&txn, &welcome(now), now).await.unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(counts(&app).await, (0, 0, 0), "a rolled-back change leaves no trace");

    let txn = app.state.db().conn().begin().await.unwrap();
    accounts::create(&txn, &keys, &person("13900003333"), now).await.unwrap();
    delivery::enqueue(&txn, &welcome(now), now).await.unwrap();
    txn.commit().await.unwrap();
    assert_eq!(counts(&app).await, (1, 1, 1));
}
