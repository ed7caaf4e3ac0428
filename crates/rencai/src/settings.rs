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
    let mut settings: Settings = builder
        .build()
        .and_then(|c| c.try_deserialize())
        .map_err(|e| format!("设置有误：{e}"))?;
    if let Some(dir) = &args.data_dir {
        settings.data_dir = dir.clone();
    }
    if let Some(listen) = args.listen {
        settings.server.listen = listen;
    }
    Ok(settings)
}
