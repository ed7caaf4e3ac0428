//! After demo seeding and some traffic, no demo phone number, name or e-mail is anywhere in
//! the data folder in clear: not in the database, its WAL, uploads or logs.

use rencai_demo::{DEFAULT_SEED, DemoData};
use rencai_testkit::{TestApp, TestOptions, contains_bytes, files_under};

#[tokio::test(flavor = "current_thread")]
async fn sqlite_only_no_demo_personal_data_in_clear_anywhere_in_the_data_folder() {
    assert!(!rencai_testkit::on_postgres(), "the data folder holds the database only on SQLite");
    let (_guard, redacted, _raw) = rencai_testkit::logs::capture_on_this_thread();
    // The production layout: the database file inside the data folder.
    let mut app = TestApp::spawn_with(TestOptions {
        load_demo: true,
        tweak: Box::new(|s| s.database.url = None),
        ..Default::default()
    })
    .await;
    let data = DemoData::generate(DEFAULT_SEED, rencai_app::demo::DemoScale::small().people());
    assert_eq!(rencai_store::accounts::count(app.state.db().conn()).await.unwrap() as usize, data.people.len());
    for path in ["/", "/privacy", "/api/v1/taxonomies"] {
        assert_eq!(app.get(path).await.status(), 200);
    }
    demo_light_posts_are_listed_searchable_and_within_the_rules(&app).await;
    // A user registered the ordinary way, with a code that went through the dev outbox.
    let registered = "13698765432";
    rencai_app::auth::codes::send(
        &app.state,
        rencai_app::auth::codes::SendRequest {
            phone: rencai_domain::account::Phone::parse(registered).unwrap(),
            purpose: rencai_domain::sms::SmsPurpose::Register,
            ip: "192.0.2.33".parse().unwrap(),
            captcha: None,
        },
    )
    .await
    .unwrap();
    rencai_testkit::drain_deliveries(&app.state).await;
    let p = rencai_domain::account::Phone::parse(registered).unwrap();
    let code = rencai_app::providers::sms_outbox::read(app.state.db(), app.state.keys(), Some(&p), 1).await.unwrap()[0]
        .params["code"]
        .clone();
    rencai_app::auth::register::register(
        &app.state,
        rencai_app::auth::register::RegisterInput {
            phone: registered.into(),
            code,
            password: "wanzhou2026".into(),
            birth_date: "1999-09-09".into(),
            role: rencai_domain::account::Role::Seeker,
            minor_basis: None,
            accepted: true,
            ip: "192.0.2.33".parse().unwrap(),
            device: "test".into(),
        },
    )
    .await
    .unwrap();
    let data_dir = app.data_path();
    assert!(app.state.settings().database_url().contains(&*data_dir.to_string_lossy()));
    app.stop().await;
    std::fs::create_dir_all(data_dir.join("logs")).unwrap();
    std::fs::write(data_dir.join("logs/rencai.log"), redacted.text()).unwrap();

    let files = files_under(&data_dir);
    assert!(
        files.iter().any(|f| f.to_string_lossy().ends_with("-wal")),
        "the WAL is among the files checked: {files:?}"
    );
    let mut checked_bytes = 0;
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        checked_bytes += bytes.len();
        assert!(
            !contains_bytes(&bytes, registered.as_bytes()),
            "{} holds a registered user's phone number",
            file.display()
        );
        for p in &data.people {
            assert!(!contains_bytes(&bytes, p.phone.as_bytes()), "{} holds a demo phone number", file.display());
            assert!(!contains_bytes(&bytes, p.name.as_bytes()), "{} holds the demo name {}", file.display(), p.name);
            if let Some(email) = &p.email {
                assert!(!contains_bytes(&bytes, email.as_bytes()), "{} holds a demo e-mail", file.display());
            }
        }
    }
    assert!(checked_bytes > 50_000, "the database was really there ({checked_bytes} bytes)");
}

/// The demo's 速聘 and 一句话求职 posts: some of each, found by a word of their own title, and
/// every one passing the posting rules its form applies.
async fn demo_light_posts_are_listed_searchable_and_within_the_rules(app: &TestApp) {
    use rencai_app::market::light::{self, LightFilters, LightKind};
    use rencai_domain::posting_rules::{self, PostingText, Rule, RuleContext};
    for kind in [LightKind::Quick, LightKind::Wanted] {
        let list = light::public_list(&app.state, kind, &LightFilters::default()).await.unwrap();
        assert!(list.page.total >= 3, "{} posts: {}", kind.label(), list.page.total);
        for item in &list.page.items {
            let p = &item.post;
            let salary = match p.salary() {
                Some((min, max)) => rencai_domain::job::Salary::Monthly { min, max },
                None => rencai_domain::job::Salary::Negotiable,
            };
            let broken: Vec<_> = posting_rules::check(
                &PostingText { title: &p.title, description: &p.body, salary: &salary },
                &RuleContext { banned_words: &[], existing_titles: &[] },
            )
            .into_iter()
            .filter(|v| kind == LightKind::Quick || matches!(v.rule, Rule::ContactInText | Rule::BannedWord))
            .collect();
            assert!(broken.is_empty(), "{}: {broken:?}", p.title);
        }
        let first = &list.page.items[0].post;
        let word = rencai_search::text::index_words(&first.title).into_iter().max_by_key(|w| w.chars().count());
        let f = LightFilters { q: word.clone(), ..Default::default() };
        let found = light::public_list(&app.state, kind, &f).await.unwrap();
        let listed = found.page.items.iter().any(|i| i.post.public_id == first.public_id);
        assert!(listed || found.page.total > 20, "{word:?} does not find {}", first.title);
    }
}
