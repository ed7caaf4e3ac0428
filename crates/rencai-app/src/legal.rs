//! The privacy policy and user agreement. The project ships its own sample texts (version
//! v1), which an operator replaces by publishing new versions.

use chrono::TimeZone;
use rencai_store::legal::{self as store, LegalDocument, LegalKind, NewLegalDocument};

use crate::{AppError, AppResult, AppState};

/// The texts bundled with this release.
pub const BUNDLED: &[(LegalKind, &str, &str, &str)] = &[
    (LegalKind::Privacy, "v1", "隐私政策", include_str!("../content/legal/privacy-v1.html")),
    (LegalKind::Terms, "v1", "用户协议", include_str!("../content/legal/terms-v1.html")),
];

/// Publishes the bundled texts a database does not have yet. Idempotent.
pub async fn ensure_bundled(state: &AppState) -> AppResult<u32> {
    let effective = chrono::Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).single().expect("valid date"); // 2026-12-01 00:00 CST
    let mut added = 0;
    for (kind, version, title, body) in BUNDLED {
        let doc = NewLegalDocument {
            kind: *kind,
            version,
            title,
            material: true,
            body_html: body,
            effective_at: effective,
            change_summary: None,
        };
        if store::publish_if_missing(state.db().conn(), &doc, state.now()).await? {
            added += 1;
        }
    }
    Ok(added)
}

/// The version in force now.
pub async fn current(state: &AppState, kind: LegalKind) -> AppResult<LegalDocument> {
    store::current(state.db().conn(), kind, state.now())
        .await?
        .ok_or(AppError::NotFound { code: "legal.not_found", what: "该文本" })
}

/// Every version, newest first.
pub async fn versions(state: &AppState, kind: LegalKind) -> AppResult<Vec<LegalDocument>> {
    Ok(store::versions(state.db().conn(), kind).await?)
}

/// How long the site shows "the policy changed" after a new version takes effect.
pub const BANNER_DAYS: i64 = 30;

/// A version that replaced an earlier one within [`BANNER_DAYS`].
pub async fn recently_changed(state: &AppState) -> AppResult<Option<LegalDocument>> {
    Ok(store::recently_changed(state.db().conn(), state.now(), BANNER_DAYS).await?)
}

/// The kinds whose material change the account has yet to accept (P3).
pub async fn outstanding(state: &AppState, account_id: i64) -> AppResult<Vec<LegalKind>> {
    Ok(store::outstanding(state.db().conn(), account_id, state.now()).await?)
}

/// Records that the account accepted the versions in force now. `seen` are the versions the
/// person was shown ((privacy, terms)): if a newer one took effect meanwhile, they must read it
/// first.
pub async fn accept(
    state: &AppState,
    account: &rencai_store::accounts::AccountRecord,
    seen: (&str, &str),
    ip: std::net::IpAddr,
) -> AppResult<()> {
    let privacy = current(state, LegalKind::Privacy).await?;
    let terms = current(state, LegalKind::Terms).await?;
    if privacy.version != seen.0 || terms.version != seen.1 {
        return Err(AppError::Conflict {
            code: "legal.version_changed",
            message: "文本刚刚又有更新，请阅读最新版本后再同意。".into(),
            field: "version",
        });
    }
    let keys = state.keys().get();
    let sealed_ip = rencai_crypto::Sealed::seal(&keys, rencai_store::rotation::CONSENT_IP, &ip.to_string());
    rencai_store::auth::record_consent(
        state.db().conn(),
        account.id,
        &privacy.version,
        &terms.version,
        sealed_ip.as_stored(),
        state.now(),
    )
    .await
    .map_err(AppError::internal)?;
    Ok(())
}

/// A new version as staff write it: the text in paragraphs, `## ` and `### ` headings and `- `
/// list items, turned into HTML by [`text_to_html`] (staff never write markup).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PublishInput {
    pub kind: String,
    pub version: String,
    pub title: String,
    /// `material` or `minor`.
    pub change: String,
    /// When it takes effect, Beijing time `YYYY-MM-DDTHH:MM`; empty: now.
    pub effective_at: String,
    pub summary: String,
    pub text: String,
}

/// Paragraphs, headings and lists from plain text; everything escaped.
pub fn text_to_html(text: &str) -> String {
    let esc = rencai_domain::html::escape;
    let mut html = String::new();
    let mut list = false;
    for block in text.replace("\r\n", "\n").split("\n\n") {
        for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let item = line.strip_prefix("- ");
            if item.is_none() && list {
                html += "</ul>";
                list = false;
            }
            if let Some(h) = line.strip_prefix("### ") {
                html += &format!("<h3>{}</h3>", esc(h));
            } else if let Some(h) = line.strip_prefix("## ") {
                html += &format!("<h2>{}</h2>", esc(h));
            } else if let Some(i) = item {
                if !list {
                    html += "<ul>";
                    list = true;
                }
                html += &format!("<li>{}</li>", esc(i));
            } else {
                html += &format!("<p>{}</p>", esc(line));
            }
        }
        if list {
            html += "</ul>";
            list = false;
        }
    }
    html
}

/// Publishes a new version (staff with `PublishLegalTexts`), audited, and tells every active
/// account through the notification channels (in the background: a site has many accounts).
pub async fn publish(state: &AppState, staff: &crate::auth::staff::StaffUser, input: &PublishInput) -> AppResult<()> {
    use rencai_domain::staff::Permission;
    staff.require(state, Permission::PublishLegalTexts).await?;
    let mut fields = Vec::new();
    let kind = LegalKind::parse(&input.kind);
    if kind.is_none() {
        fields.push(("kind", "请选择隐私政策或用户协议。"));
    }
    let version = input.version.trim();
    let version_ok = version.len() <= 16
        && version.starts_with('v')
        && version[1..].split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if !version_ok {
        fields.push(("version", "版本号形如 v2 或 v2.1。"));
    }
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 40 {
        fields.push(("title", "请填写标题（40 字以内）。"));
    }
    let material = match input.change.as_str() {
        "material" => true,
        "minor" => false,
        _ => {
            fields.push(("change", "请选择重大变更或一般变更。"));
            false
        }
    };
    let summary = input.summary.trim();
    if summary.is_empty() || summary.chars().count() > 500 {
        fields.push(("summary", "请用 500 字以内说明这次改了什么。"));
    }
    if input.text.trim().chars().count() < 50 {
        fields.push(("text", "正文太短。"));
    }
    let now = state.now();
    let effective = if input.effective_at.trim().is_empty() {
        Some(now)
    } else {
        chrono::NaiveDateTime::parse_from_str(input.effective_at.trim(), "%Y-%m-%dT%H:%M")
            .ok()
            .and_then(|t| t.and_local_timezone(rencai_domain::time::china()).single())
            .map(|t| t.with_timezone(&chrono::Utc))
            .filter(|t| *t >= now - chrono::Duration::minutes(5))
    };
    if effective.is_none() {
        fields.push(("effective_at", "生效时间须为现在或以后（北京时间）。"));
    }
    if !fields.is_empty() {
        return Err(AppError::Validation {
            code: "legal.invalid",
            message: "请检查填写的内容。".into(),
            fields: fields
                .into_iter()
                .map(|(f, m)| crate::error::FieldError {
                    field: f.into(),
                    code: "legal.invalid".into(),
                    message: m.into(),
                })
                .collect(),
        });
    }
    let (kind, effective) = (kind.expect("checked"), effective.expect("checked"));
    let body = text_to_html(&input.text);
    let doc = NewLegalDocument {
        kind,
        version,
        title,
        material,
        body_html: &body,
        effective_at: effective,
        change_summary: Some(summary),
    };
    store::publish(state.db().conn(), &doc, now).await.map_err(|e| match e {
        rencai_store::StoreError::Conflict { .. } => AppError::Conflict {
            code: "legal.version_exists",
            message: format!("版本 {version} 已经发布过。"),
            field: "version",
        },
        other => other.into(),
    })?;
    crate::audit::record(
        state,
        rencai_store::audit::AuditEntry {
            actor: rencai_store::audit::Actor::staff(staff.auth.account.id),
            action: "legal.published",
            subject: None,
            reason: None,
            detail: serde_json::json!({ "kind": kind.as_str(), "version": version, "material": material }),
        },
    )
    .await?;
    let notice = crate::notify::Notice::new(
        crate::notify::Kind::PolicyUpdated,
        format!("/{}", kind.as_str()),
        &[
            ("document", kind_label(kind)),
            ("version", version),
            ("effective", &rencai_domain::time::beijing(effective)),
            (
                "action",
                if material {
                    "生效后请重新阅读并同意，才能继续使用招聘和求职功能"
                } else {
                    "无需操作"
                },
            ),
        ],
    );
    let s = state.clone();
    tokio::spawn(async move {
        if let Err(e) = crate::notify::broadcast(&s, &notice).await {
            tracing::warn!(error = %e, "telling accounts about a new policy version failed");
        }
    });
    Ok(())
}

pub fn kind_label(kind: LegalKind) -> &'static str {
    match kind {
        LegalKind::Privacy => "隐私政策",
        LegalKind::Terms => "用户协议",
    }
}
