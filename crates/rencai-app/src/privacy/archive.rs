//! The restricted archive (P14): what law makes us keep of a purged account opens only for a
//! recorded lawful request — by a staff member with both `ViewAudit` and `ReadPersonalData` (the
//! data-protection officer), naming the requesting authority and its document, audited.

use rencai_crypto::Sealed;
use rencai_domain::account::Phone;
use rencai_domain::staff::Permission;
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::privacy::{self as store, ARCHIVE};

use crate::auth::staff::StaffUser;
use crate::{AppError, AppResult, AppState};

/// One opened archive document.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Opened {
    pub account_public_id: String,
    pub role: String,
    pub archived_at: chrono::DateTime<chrono::Utc>,
    pub retain_until: chrono::DateTime<chrono::Utc>,
    pub document: serde_json::Value,
}

/// Opens the archive documents of a phone number for a lawful request.
pub async fn open_for_request(
    state: &AppState,
    staff: &StaffUser,
    phone: &str,
    authority: &str,
    reference: &str,
) -> AppResult<Vec<Opened>> {
    staff.require(state, Permission::ViewAudit).await?;
    staff.require(state, Permission::ReadPersonalData).await?;
    let mut issues = rencai_domain::validate::Issues::default();
    let authority = issues.text("authority", "调取机关", authority, 60);
    let reference = issues.text("reference", "法律文书编号", reference, 80);
    issues.finish(()).map_err(|i| crate::market::invalid("archive.request", "请写明调取机关和法律文书编号。", i))?;
    let phone =
        Phone::parse(phone).map_err(|_| AppError::invalid_field("archive.phone", "phone", "请输入 11 位手机号。"))?;
    let keys = state.keys().get();
    let blind = rencai_store::accounts::phone_index(&keys, &phone).into_string();
    let rows = store::archived_by_phone(state.db().conn(), &blind).await?;
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::staff(staff.auth.account.id),
            action: "archive.opened",
            subject: None,
            reason: Some(format!("{authority}：{reference}")),
            detail: serde_json::json!({ "documents": rows.iter().map(|r| r.id).collect::<Vec<_>>() }),
        },
    )
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Opened {
                document: Sealed::<serde_json::Value>::from_stored(r.kept_sealed).open(&keys, ARCHIVE)?,
                account_public_id: r.account_public_id,
                role: r.role,
                archived_at: r.created_at,
                retain_until: r.retain_until,
            })
        })
        .collect()
}
