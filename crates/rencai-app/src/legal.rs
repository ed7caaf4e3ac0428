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
        let doc =
            NewLegalDocument { kind: *kind, version, title, material: true, body_html: body, effective_at: effective };
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
