//! The `rencai` command line, run in-process.

use clap::{CommandFactory, Parser};
use rencai::cli::Cli;
use rencai_testkit::{TestDb, contains_bytes, files_under};

#[test]
fn every_command_has_help() {
    let mut cmd = Cli::command();
    cmd.build();
    let mut stack = vec![cmd];
    let mut seen = 0;
    while let Some(mut c) = stack.pop() {
        let help = c.render_long_help().to_string();
        assert!(help.contains("Usage") && help.len() > 80, "{}: {help}", c.get_name());
        assert!(c.get_about().is_some() || c.get_name() == "rencai", "{} has no description", c.get_name());
        stack.extend(c.get_subcommands().filter(|s| s.get_name() != "help").cloned());
        seen += 1;
    }
    assert!(seen >= 8, "{seen}");
}

/// A data folder with a settings file pointing at this test's database.
struct Site {
    _db: TestDb,
    dir: tempfile::TempDir,
}

impl Site {
    async fn new() -> Self {
        let db = TestDb::new().await;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("rencai.toml"),
            format!("mode = \"demo\"\n[database]\nurl = \"{}\"\n", db.url()),
        )
        .unwrap();
        Self { _db: db, dir }
    }

    fn data(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    async fn run(&self, args: &[&str]) -> Result<(), rencai::CommandError> {
        let config = self.dir.path().join("rencai.toml");
        let data = self.data();
        let mut argv = vec!["rencai", "--config", config.to_str().unwrap(), "--data-dir", data.to_str().unwrap()];
        argv.extend_from_slice(args);
        rencai::commands::run(Cli::try_parse_from(argv).unwrap()).await
    }
}

#[tokio::test]
async fn migrate_demo_backup_and_audit_verify() {
    let site = Site::new().await;
    site.run(&["migrate"]).await.unwrap();
    site.run(&["demo"]).await.unwrap();
    site.run(&["demo"]).await.unwrap(); // second time: already present, not an error
    std::fs::create_dir_all(site.data().join("uploads/resumes")).unwrap();
    std::fs::write(site.data().join("uploads/resumes/a.bin"), b"sealed-attachment-bytes").unwrap();

    let out = site.dir.path().join("backup-1");
    site.run(&["backup", "--out", out.to_str().unwrap()]).await.unwrap();
    let files = files_under(&out);
    let names: Vec<String> =
        files.iter().map(|f| f.strip_prefix(&out).unwrap().to_string_lossy().into_owned()).collect();
    assert!(names.contains(&"manifest.json".to_string()), "{names:?}");
    assert!(names.contains(&"uploads/resumes/a.bin".to_string()), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("rencai.")), "database copy present: {names:?}");
    assert!(!names.iter().any(|n| n.contains("keys")), "no key file in the backup: {names:?}");
    let key_text = std::fs::read_to_string(site.data().join("keys.toml")).unwrap();
    let secrets: Vec<&str> = key_text.lines().filter_map(|l| l.split('"').nth(1)).filter(|v| v.len() >= 40).collect();
    assert!(secrets.len() >= 3, "key file parsed: {}", secrets.len());
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        for s in &secrets {
            assert!(!contains_bytes(&bytes, s.as_bytes()), "{} contains key material", f.display());
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["key_ids_needed"], serde_json::json!(["k1"]));

    // A backup never overwrites.
    let again = site.run(&["backup", "--out", out.to_str().unwrap()]).await.unwrap_err();
    assert_eq!(again.code, rencai::exit::REFUSED);

    site.run(&["audit", "verify"]).await.unwrap();
}

#[tokio::test]
async fn audit_verify_exits_3_on_a_tampered_chain() {
    let site = Site::new().await;
    site.run(&["demo"]).await.unwrap();
    let db = rencai_store::Db::connect(&rencai_store::DbConfig { url: site._db.url().to_string(), max_connections: 2 })
        .await
        .unwrap();
    use rencai_store::ConnectionTrait;
    db.conn()
        .execute_raw(rencai_store::raw(db.backend(), "UPDATE audit_log SET detail = ? WHERE seq = 1", ["{}".into()]))
        .await
        .unwrap();
    let err = site.run(&["audit", "verify"]).await.unwrap_err();
    assert_eq!(err.code, rencai::exit::AUDIT_BROKEN);
    assert!(err.message.contains("row 1"), "{}", err.message);
}

#[tokio::test]
async fn keys_rotate_reencrypts_and_retires_with_confirmation_only() {
    let site = Site::new().await;
    site.run(&["demo"]).await.unwrap();
    // Without a terminal, a destructive option is refused unless --yes is given.
    let refused = site.run(&["keys", "rotate", "--grace", "0", "--retire"]).await.unwrap_err();
    assert_eq!(refused.code, rencai::exit::REFUSED);
    let ring = rencai_crypto::KeyFile::new(site.data().join("keys.toml")).load().unwrap();
    assert_eq!(ring.current_key_id(), "k1", "a refused command changed nothing");

    site.run(&["keys", "rotate", "--grace", "0", "--batch", "7", "--retire", "--yes"]).await.unwrap();
    let ring = rencai_crypto::KeyFile::new(site.data().join("keys.toml")).load().unwrap();
    assert_eq!(ring.current_key_id(), "k2");
    assert_eq!(ring.field_key_ids().collect::<Vec<_>>(), vec!["k2"]);
    site.run(&["keys", "status"]).await.unwrap();
    site.run(&["audit", "verify"]).await.unwrap();
}

#[tokio::test]
async fn commands_that_read_a_data_folder_refuse_a_missing_key_file() {
    let site = Site::new().await;
    let err = site.run(&["audit", "verify"]).await.unwrap_err();
    assert_eq!(err.code, rencai::exit::FAILED);
    assert!(err.message.contains("密钥文件"), "{}", err.message);
}

#[tokio::test]
async fn admin_create_needs_a_terminal_or_stdin_and_only_makes_the_first() {
    let site = Site::new().await;
    let err = site.run(&["admin", "create", "--phone", "13011112222"]).await.unwrap_err();
    assert_eq!(err.code, rencai::exit::REFUSED, "no terminal to type a password: {}", err.message);
    site.run(&["demo"]).await.unwrap(); // the demo data includes an administrator
    let err = site.run(&["admin", "create", "--phone", "13011112222", "--password-stdin"]).await.unwrap_err();
    assert_eq!(err.code, rencai::exit::REFUSED);
    assert!(err.message.contains("已有管理员"), "{}", err.message);
}

#[tokio::test]
async fn reindex_rebuilds_the_search_index_and_refuses_while_a_server_holds_it() {
    let site = Site::new().await;
    site.run(&["demo", "--jobs", "40", "--resumes", "12"]).await.unwrap();
    site.run(&["reindex"]).await.unwrap();
    let jobs_dir = site.data().join("search/jobs");
    assert!(jobs_dir.join("meta.json").exists(), "the index was written");
    let (ix, opened) = rencai_search::JobIndex::open(&jobs_dir).unwrap();
    assert!(matches!(opened, rencai_search::Opened::Existing { .. }), "{opened:?}");
    assert!(!ix.is_empty() && ix.len() <= 40, "the demo's published jobs: {}", ix.len());
    // While another process (here: this test) holds the index, reindex says so and changes nothing.
    let err = site.run(&["reindex"]).await.unwrap_err();
    assert_ne!(err.code, 0);
    assert!(err.message.contains("rencai serve"), "{}", err.message);
    assert!(!ix.is_empty(), "the index is untouched");
}
