//! Export (P15): a ZIP with every row about the person as JSON — one file per table of the
//! personal-data map, so the export covers whatever the map covers — their uploaded files, and
//! an `index.html` a person can read. Built in the background, kept encrypted on disk, and
//! downloadable once before `privacy.export_hours` pass.

use std::io::Write;
use std::path::PathBuf;

use rencai_crypto::{DataKey, Sealed};
use rencai_store::accounts::AccountRecord;
use rencai_store::privacy::{self as store, EXPORT_KEY, ExportRow, TABLES};

use crate::{AppError, AppResult, AppState};

/// What the privacy center lists about one export.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExportInfo {
    pub id: String,
    /// `pending`, `ready`, `downloaded`, `expired` or `failed`.
    pub status: String,
    pub bytes: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

impl From<&ExportRow> for ExportInfo {
    fn from(r: &ExportRow) -> Self {
        Self {
            id: r.public_id.clone(),
            status: r.status.clone(),
            bytes: r.bytes,
            created_at: r.created_at,
            expires_at: r.expires_at,
        }
    }
}

/// A person's name for each table, for the readable index.
pub fn label(table: &str) -> &'static str {
    match table {
        "accounts" => "账号信息",
        "credentials" => "登录密码（仅修改时间）",
        "sms_codes" => "短信验证码记录",
        "sessions" => "登录会话",
        "consents" => "同意记录",
        "dev_outbox" => "开发环境短信",
        "staff_members" => "工作人员身份",
        "login_failures" => "登录失败记录",
        "company_members" => "单位成员身份",
        "jobs" => "发布的职位",
        "resumes" => "简历",
        "resume_blocks" => "屏蔽的单位",
        "applications" => "投递记录",
        "contact_shares" => "交换联系方式记录",
        "resume_unlocks" => "简历被下载记录",
        "resume_views" => "简历被查看记录",
        "disclosures" => "对外提供记录",
        "quota_uses" => "套餐使用记录",
        "favourites" => "收藏",
        "light_posts" => "速聘 / 一句话求职",
        "files" => "上传的文件",
        "application_events" => "投递进度",
        "interviews" => "面试邀请",
        "notifications" => "通知",
        "notification_prefs" => "通知渠道设置",
        "conversations" => "沟通会话",
        "chat_messages" => "聊天消息",
        "chat_reports" => "聊天举报",
        "saved_searches" => "职位订阅",
        "data_exports" => "数据导出记录",
        "privacy_prefs" => "个性化推荐设置",
        "tickets" => "意见反馈与举报",
        "incident_recipients" => "收到的安全事件通知",
        "behaviour_events" => "浏览与搜索记录（个性化推荐）",
        "ticket_messages" => "反馈中的消息",
        _ => "其他记录",
    }
}

fn dir(state: &AppState) -> PathBuf {
    state.settings().data_dir.join("exports")
}

fn not_found() -> AppError {
    AppError::NotFound { code: "export.not_found", what: "该导出文件" }
}

/// Starts an export. One at a time: while one is being built, asking again returns it.
pub async fn request(state: &AppState, account: &AccountRecord) -> AppResult<ExportInfo> {
    let conn = state.db().conn();
    if let Some(open) = store::exports_of(conn, account.id).await?.into_iter().find(|e| e.status == "pending") {
        return Ok(ExportInfo::from(&open));
    }
    let now = state.now();
    let public_id = uuid::Uuid::now_v7().to_string();
    let expires = now + chrono::Duration::hours(i64::from(state.settings().privacy.export_hours));
    store::insert_export(conn, &public_id, account.id, now, expires).await?;
    let row = store::find_export(conn, &public_id).await?.ok_or_else(not_found)?;
    let (s, r) = (state.clone(), row.clone());
    // Big accounts take a while (attachments); the page shows "preparing" and polls.
    tokio::spawn(async move {
        if let Err(e) = build(&s, &r).await {
            tracing::warn!(error = %e, "a data export failed");
            let _ = store::export_ended(s.db().conn(), r.id, "pending", "failed").await;
        }
    });
    Ok(ExportInfo::from(&row))
}

/// The account's exports, newest first.
pub async fn list(state: &AppState, account: &AccountRecord) -> AppResult<Vec<ExportInfo>> {
    Ok(store::exports_of(state.db().conn(), account.id).await?.iter().map(ExportInfo::from).collect())
}

/// Builds a pending export: the ZIP, encrypted under a fresh data key, then the row says ready.
pub async fn build(state: &AppState, row: &ExportRow) -> AppResult<()> {
    let account = rencai_store::accounts::find_by_id(state.db().conn(), row.account_id).await?.ok_or_else(not_found)?;
    let zip = archive(state, &account).await?;
    let key = DataKey::generate();
    let blob = key.encrypt(&zip, &row.public_id);
    let name = format!("{}.zip.enc", rencai_crypto::random_token(18));
    let dir = dir(state);
    let path = dir.join(&name);
    let bytes = zip.len() as i64;
    let p = path.clone();
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        let tmp = dir.join(format!(".{}.tmp", rencai_crypto::random_token(9)));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&blob)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &p)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    let keys = state.keys().get();
    let sealed = Sealed::seal(&keys, EXPORT_KEY, &key.to_base64()).into_stored();
    if !store::export_ready(state.db().conn(), row.id, &name, bytes, &sealed, state.now()).await? {
        let _ = tokio::fs::remove_file(&path).await;
    }
    rencai_store::audit::append(
        state.db().conn(),
        keys.audit_key(),
        &rencai_store::audit::AuditEntry {
            actor: rencai_store::audit::Actor::account(account.id),
            action: "privacy.export",
            subject: Some(("account", account.id)),
            reason: None,
            detail: serde_json::json!({ "bytes": bytes }),
        },
        state.now(),
    )
    .await
    .map_err(AppError::internal)?;
    Ok(())
}

/// The ZIP itself.
pub async fn archive(state: &AppState, account: &AccountRecord) -> AppResult<Vec<u8>> {
    let keys = state.keys().get();
    let conn = state.db().conn();
    let mut tables = Vec::new();
    for rule in TABLES.iter().filter(|r| !r.subjects.is_empty()) {
        let rows = store::rows_of(conn, &keys, rule, account.id).await?;
        tables.push((rule.table, rows));
    }
    let files = rencai_store::files::owned_by(conn, account.id, "resume_attachment").await?;
    let mut attachments = Vec::new();
    for f in &files {
        let d = crate::market::attachments::read(state, f).await?;
        attachments.push((format!("attachments/{}-{}", f.public_id, safe_name(&d.name)), d.bytes));
    }
    let generated = state.now();
    let site = state.settings().site.name.clone();
    let public_id = account.public_id.clone();
    tokio::task::spawn_blocking(move || write_zip(&site, &public_id, generated, &tables, &attachments))
        .await
        .map_err(AppError::internal)?
}

fn safe_name(name: &str) -> String {
    name.chars().map(|c| if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect()
}

type TableRows = Vec<(&'static str, Vec<serde_json::Map<String, serde_json::Value>>)>;

fn write_zip(
    site: &str,
    account: &str,
    generated: chrono::DateTime<chrono::Utc>,
    tables: &TableRows,
    attachments: &[(String, Vec<u8>)],
) -> AppResult<Vec<u8>> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let manifest = serde_json::json!({
        "site": site,
        "account": account,
        "generated_at": generated,
        "format": "每个 data/<表名>.json 是一个数组，每行一个对象，所有值为文本或 null；attachments/ 下是上传的原始文件。",
        "tables": tables.iter().map(|(t, rows)| serde_json::json!({ "table": t, "label": label(t), "rows": rows.len() })).collect::<Vec<_>>(),
    });
    zip.start_file("manifest.json", opts).map_err(AppError::internal)?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest).map_err(AppError::internal)?).map_err(AppError::internal)?;
    for (table, rows) in tables {
        zip.start_file(format!("data/{table}.json"), opts).map_err(AppError::internal)?;
        zip.write_all(&serde_json::to_vec_pretty(rows).map_err(AppError::internal)?).map_err(AppError::internal)?;
    }
    for (name, bytes) in attachments {
        zip.start_file(name.as_str(), opts).map_err(AppError::internal)?;
        zip.write_all(bytes).map_err(AppError::internal)?;
    }
    zip.start_file("index.html", opts).map_err(AppError::internal)?;
    zip.write_all(index_html(site, generated, tables, attachments).as_bytes()).map_err(AppError::internal)?;
    zip.finish().map_err(AppError::internal)?;
    Ok(buf.into_inner())
}

use rencai_domain::html::escape as esc;

/// A page a person opens from the unpacked folder: every table with its rows.
fn index_html(
    site: &str,
    generated: chrono::DateTime<chrono::Utc>,
    tables: &TableRows,
    attachments: &[(String, Vec<u8>)],
) -> String {
    let when = rencai_domain::time::beijing(generated);
    let mut h = format!(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>我的数据 - {site}</title><style>body{{font-family:sans-serif;margin:1rem;color:#1f2328}}\
         table{{border-collapse:collapse;font-size:.85rem;margin-bottom:1.5rem}}td,th{{border:1px solid #ccc;padding:.25rem .4rem;\
         text-align:left;vertical-align:top;max-width:30rem;overflow-wrap:anywhere}}th{{background:#f3f4f6}}</style>\
         <h1>我在{site}的数据</h1><p>导出时间：{when}（北京时间）。机器可读的原始数据在 <code>data/</code> 文件夹，上传的文件在 <code>attachments/</code>。</p><ul>",
        site = esc(site)
    );
    for (t, rows) in tables {
        h += &format!("<li><a href=\"#{t}\">{}</a>：{} 条</li>", label(t), rows.len());
    }
    h += "</ul>";
    for (t, rows) in tables {
        h += &format!("<h2 id=\"{t}\">{}</h2>", label(t));
        let Some(first) = rows.first() else {
            h += "<p>无</p>";
            continue;
        };
        h += "<table><tr>";
        for c in first.keys() {
            h += &format!("<th>{}</th>", esc(c));
        }
        h += "</tr>";
        for r in rows {
            h += "<tr>";
            for v in r.values() {
                let text = v.as_str().map(str::to_owned).unwrap_or_default();
                h += &format!("<td>{}</td>", esc(&text));
            }
            h += "</tr>";
        }
        h += "</table>";
    }
    if !attachments.is_empty() {
        h += "<h2>上传的文件</h2><ul>";
        for (name, _) in attachments {
            h += &format!("<li><a href=\"{0}\">{0}</a></li>", esc(name));
        }
        h += "</ul>";
    }
    h + "</html>"
}

/// The one download of a ready export: the ZIP, after which the file is gone.
pub async fn take(state: &AppState, account: &AccountRecord, public_id: &str) -> AppResult<Vec<u8>> {
    let conn = state.db().conn();
    let row =
        store::find_export(conn, public_id).await?.filter(|e| e.account_id == account.id).ok_or_else(not_found)?;
    let gone = || AppError::Conflict {
        code: "export.gone",
        message: "该导出文件已下载过或已过期（只能下载一次）。请重新申请导出。".into(),
        field: "id",
    };
    if row.status != "ready" {
        return Err(if row.status == "pending" {
            AppError::Conflict {
                code: "export.pending",
                message: "导出文件还在准备中，请稍后刷新。".into(),
                field: "id",
            }
        } else {
            gone()
        });
    }
    let (Some(name), Some(sealed)) = (&row.file_name, &row.data_key_sealed) else { return Err(gone()) };
    let keys = state.keys().get();
    let key_b64: String = Sealed::<String>::from_stored(sealed.clone()).open(&keys, EXPORT_KEY)?;
    let key = DataKey::from_base64(&key_b64).map_err(AppError::internal)?;
    let path = dir(state).join(name);
    let blob = tokio::fs::read(&path).await.map_err(|_| gone())?;
    let zip = key.decrypt(&blob, &row.public_id).map_err(AppError::internal)?;
    if !store::export_taken(conn, row.id, state.now()).await? {
        return Err(gone());
    }
    let _ = tokio::fs::remove_file(&path).await;
    Ok(zip)
}

/// Files of an account's exports still on disk (the purge removes them).
pub async fn files_of(state: &AppState, account_id: i64) -> AppResult<Vec<PathBuf>> {
    let rows = store::exports_of(state.db().conn(), account_id).await?;
    Ok(rows
        .iter()
        .filter(|r| r.status == "ready")
        .filter_map(|r| r.file_name.as_ref())
        .map(|n| dir(state).join(n))
        .collect())
}

/// Ends ready exports past their time (file removed) and finishes builds a crash interrupted.
pub async fn sweep(state: &AppState) -> AppResult<u64> {
    let conn = state.db().conn();
    let mut n = 0;
    for r in store::expired_exports(conn, state.now()).await? {
        if store::export_ended(conn, r.id, "ready", "expired").await? {
            if let Some(name) = &r.file_name {
                let _ = tokio::fs::remove_file(dir(state).join(name)).await;
            }
            n += 1;
        }
    }
    for r in store::pending_exports(conn, state.now() - chrono::Duration::minutes(10)).await? {
        if let Err(e) = build(state, &r).await {
            tracing::warn!(error = %e, "a data export failed again");
            store::export_ended(conn, r.id, "pending", "failed").await?;
        }
    }
    Ok(n)
}
