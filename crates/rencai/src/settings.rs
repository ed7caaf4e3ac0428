//! Loading settings: defaults, then `rencai.toml` (or `--config`), then `RENCAI__…`
//! environment variables, then command-line flags.

use std::path::Path;

use config::{Config, Environment, File, FileFormat};
use rencai_app::Settings;

use crate::cli::GlobalArgs;

pub fn load(args: &GlobalArgs) -> Result<Settings, String> {
    let mut builder = Config::builder();
    match &args.config {
        Some(path) => {
            if !path.exists() {
                return Err(format!("找不到设置文件 {}", path.display()));
            }
            builder = builder.add_source(File::from(path.as_path()).format(FileFormat::Toml));
        }
        None if Path::new("rencai.toml").exists() => {
            builder = builder.add_source(File::new("rencai.toml", FileFormat::Toml));
        }
        None => {}
    }
    builder = builder.add_source(
        Environment::with_prefix("RENCAI")
            .prefix_separator("__")
            .separator("__")
            .list_separator(",")
            .with_list_parse_key("server.trusted_proxies"),
    );
    let mut settings: Settings =
        builder.build().and_then(|c| c.try_deserialize()).map_err(|e| format!("设置有误：{e}"))?;
    if let Some(dir) = &args.data_dir {
        settings.data_dir = dir.clone();
    }
    if let Some(listen) = args.listen {
        settings.server.listen = listen;
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(config: &Path) -> GlobalArgs {
        GlobalArgs { config: Some(config.to_owned()), data_dir: None, listen: None }
    }

    #[test]
    fn file_then_environment_then_flags() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("rencai.toml");
        std::fs::write(
            &file,
            "data_dir = \"/srv/rencai\"\n[server]\nlisten = \"127.0.0.1:9000\"\ntrusted_proxies = [\"10.0.0.0/8\"]\n[site]\nname = \"测试人才网\"\n",
        )
        .unwrap();
        let s = load(&args(&file)).unwrap();
        assert_eq!(s.data_dir, Path::new("/srv/rencai"));
        assert_eq!(s.server.listen.to_string(), "127.0.0.1:9000");
        assert_eq!(s.server.trusted_proxies.len(), 1);
        assert_eq!(s.site.name, "测试人才网");

        // SAFETY: nextest runs each test in its own process; no other thread reads the
        // environment here.
        unsafe { std::env::set_var("RENCAI__SITE__OPERATOR", "环境变量运营者") };
        let with_flags = GlobalArgs {
            config: Some(file.clone()),
            data_dir: Some("/tmp/other".into()),
            listen: Some("127.0.0.1:9100".parse().unwrap()),
        };
        let s = load(&with_flags).unwrap();
        unsafe { std::env::remove_var("RENCAI__SITE__OPERATOR") };
        assert_eq!(s.site.operator, "环境变量运营者", "environment overrides defaults");
        assert_eq!(s.data_dir, Path::new("/tmp/other"), "flags override the file");
        assert_eq!(s.server.listen.to_string(), "127.0.0.1:9100");
    }

    #[test]
    fn the_example_settings_file_is_valid_and_matches_the_defaults() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rencai.example.toml");
        let s = load(&args(&example)).unwrap();
        let d = Settings::default();
        assert_eq!(s.server.listen, d.server.listen);
        assert_eq!(s.auth.sms_limits, d.auth.sms_limits);
        assert_eq!(s.auth.session_idle_minutes, d.auth.session_idle_minutes);
        assert_eq!(s.email.smtp_port, d.email.smtp_port);
    }

    #[test]
    fn unknown_keys_and_missing_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("rencai.toml");
        std::fs::write(&file, "[server]\nlisten_port = 80\n").unwrap();
        let err = load(&args(&file)).unwrap_err();
        assert!(err.contains("listen_port"), "{err}");
        let err = load(&args(&dir.path().join("nope.toml"))).unwrap_err();
        assert!(err.contains("找不到设置文件"), "{err}");
    }
}
