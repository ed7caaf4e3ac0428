use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rencai_domain::account::{Phone, Role};
use rencai_store::TransactionTrait;
use rencai_store::accounts::{self, NewAccount};
use rencai_store::rotation;
use rencai_testkit::TestApp;

/// Rotation while writers keep sealing new values: afterwards nothing is under the old key,
/// and every value opens to what was last written.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rotate_under_concurrent_writes_leaves_nothing_under_the_old_key() {
    let app = TestApp::spawn().await;
    let state = app.state.clone();
    let keys = state.keys().get();
    let old_key = keys.current_key_id().to_string();
    let txn = state.db().conn().begin().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..240u32 {
        let a = accounts::create(
            &txn,
            &keys,
            &NewAccount {
                station_id: 1,
                role: Role::Seeker,
                name: Some(format!("测试{i}")),
                birth_date: None,
                age_group: rencai_domain::account::AgeGroup::Adult,
                minor_basis: None,
                phone: Phone::parse(&format!("1390000{i:04}")).unwrap(),
                email: Some(format!("old{i}@example.com")),
            },
            state.now(),
        )
        .await
        .unwrap();
        ids.push(a.id);
    }
    txn.commit().await.unwrap();
    assert_eq!(rotation::count_not_current(state.db().conn(), &old_key).await.unwrap(), 0);

    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let state = state.clone();
        let stop = stop.clone();
        let ids = ids.clone();
        tokio::spawn(async move {
            let mut last = std::collections::HashMap::new();
            let mut n = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let id = ids[(n as usize * 7) % ids.len()];
                let email = format!("new{n}@example.com");
                // Each write seals with whatever key is current at that moment.
                accounts::set_email(state.db().conn(), &state.keys().get(), id, &email, state.now()).await.unwrap();
                last.insert(id, email);
                n += 1;
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            last
        })
    };
    tokio::time::sleep(Duration::from_millis(30)).await;
    let summary = rencai_app::keys::rotate(&state, 25, Duration::ZERO, false, |_, _| {}).await.unwrap();
    stop.store(true, Ordering::Relaxed);
    let last = writer.await.unwrap();
    assert!(!last.is_empty(), "the writer ran during rotation");

    let ring = state.keys().get();
    assert_ne!(ring.current_key_id(), old_key);
    assert_eq!(summary.report.remaining, 0);
    assert_eq!(rotation::count_not_current(state.db().conn(), ring.current_key_id()).await.unwrap(), 0);
    assert!(summary.report.resealed >= 240 * 2, "names and phones at least: {:?}", summary.report);

    for (i, id) in ids.iter().enumerate() {
        let acc = accounts::find_by_phone(state.db().conn(), &ring, &Phone::parse(&format!("1390000{i:04}")).unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(acc.id, *id);
        assert_eq!(acc.name.as_ref().unwrap().open(&ring, accounts::NAME).unwrap(), format!("测试{i}"));
        let email = acc.email.unwrap().open(&ring, accounts::EMAIL).unwrap();
        let expected = last.get(id).cloned().unwrap_or_else(|| format!("old{i}@example.com"));
        assert_eq!(email, expected, "a concurrent write is never overwritten by stale data");
    }

    // The key file on disk has the new key as current, and retiring the old one works.
    let on_disk = rencai_crypto::KeyFile::new(state.settings().key_file()).load().unwrap();
    assert_eq!(on_disk.current_key_id(), ring.current_key_id());
    let again = rencai_app::keys::rotate(&state, 100, Duration::ZERO, true, |_, _| {}).await.unwrap();
    assert_eq!(again.retired.len(), 2, "both older keys retired: {:?}", again.retired);
    let ring = state.keys().get();
    assert_eq!(ring.field_key_ids().count(), 1);
    let acc = accounts::find_by_phone(state.db().conn(), &ring, &Phone::parse("13900000000").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        acc.name.as_ref().unwrap().open(&ring, accounts::NAME).unwrap(),
        "测试0",
        "data still opens after retiring old keys"
    );
}

/// Every migration column named `*_sealed` is known to the rotation pass.
#[tokio::test]
async fn rotation_knows_every_sealed_column() {
    // Every migration file, read from the folder: a new migration cannot escape this check.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rencai-store/src/migration");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 5, "migration files found: {files:?}");
    let src: String = files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    let mut in_schema: Vec<String> =
        src.split('"').filter(|s| s.ends_with("_sealed") && !s.contains(' ')).map(str::to_owned).collect();
    in_schema.sort();
    let mut known: Vec<String> = rotation::SEALED_COLUMNS.iter().map(|c| c.column.to_string()).collect();
    known.sort();
    assert_eq!(in_schema, known);
}
