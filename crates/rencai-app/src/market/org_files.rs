//! An organisation's files (M3, M24): its logo and photos, shown on its public page once staff
//! verified it, and its qualification documents (business licence, permits), seen only by its
//! own recruiters and by the staff who review it — each staff opening audited.

use rencai_domain::attachment::FileType;
use rencai_domain::staff::Permission;
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::files::{self, FileRow};
use rencai_store::market::companies as org_store;

use super::actor::Recruiter;
use super::attachments::{self, AttachmentInfo, Download};
use crate::auth::staff::StaffUser;
use crate::{AppError, AppResult, AppState};

/// The kinds of organisation file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgFile {
    Logo,
    Photo,
    Qualification,
}

impl OrgFile {
    pub const ALL: [OrgFile; 3] = [OrgFile::Logo, OrgFile::Photo, OrgFile::Qualification];

    pub fn purpose(self) -> &'static str {
        match self {
            OrgFile::Logo => "company_logo",
            OrgFile::Photo => "company_photo",
            OrgFile::Qualification => "qualification",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "logo" => Some(OrgFile::Logo),
            "photo" => Some(OrgFile::Photo),
            "qualification" => Some(OrgFile::Qualification),
            _ => None,
        }
    }

    fn max(self) -> usize {
        match self {
            OrgFile::Logo => 1,
            OrgFile::Photo => 6,
            OrgFile::Qualification => 5,
        }
    }

    fn allowed(self) -> (&'static [FileType], &'static str) {
        match self {
            OrgFile::Logo | OrgFile::Photo => {
                (&[FileType::Jpeg, FileType::Png], "只接受 JPG、PNG 图片（按文件内容识别）。")
            }
            OrgFile::Qualification => {
                (&[FileType::Pdf, FileType::Jpeg, FileType::Png], "资质文件只接受 PDF、JPG、PNG（按文件内容识别）。")
            }
        }
    }

    /// Public once the organisation is verified.
    fn public(self) -> bool {
        !matches!(self, OrgFile::Qualification)
    }

    fn of_purpose(p: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.purpose() == p)
    }
}

fn not_found() -> AppError {
    AppError::NotFound { code: "file.not_found", what: "该文件" }
}

/// Uploads a file of the organisation (primary account). A new logo replaces the old one.
pub async fn upload(
    state: &AppState,
    rec: &Recruiter,
    kind: OrgFile,
    name: &str,
    bytes: Vec<u8>,
) -> AppResult<AttachmentInfo> {
    rec.require_primary()?;
    let (allowed, refusal) = kind.allowed();
    let t = attachments::checked(state, &bytes, allowed, refusal)?;
    let conn = state.db().conn();
    let existing = files::of_subject(conn, kind.purpose(), rec.org.id).await?;
    if kind != OrgFile::Logo && existing.len() >= kind.max() {
        return Err(AppError::Conflict {
            code: "file.too_many",
            message: format!("最多上传{}个，请先删除不需要的。", kind.max()),
            field: "file",
        });
    }
    let info =
        attachments::store_encrypted(state, rec.account_id, kind.purpose(), rec.org.id, name, t, bytes, None).await?;
    if kind == OrgFile::Logo {
        for old in &existing {
            files::delete(conn, old.id).await?;
        }
        attachments::remove_blobs(state, &existing).await;
    }
    Ok(info)
}

pub async fn list(state: &AppState, org_id: i64, kind: OrgFile) -> AppResult<Vec<AttachmentInfo>> {
    files::of_subject(state.db().conn(), kind.purpose(), org_id)
        .await?
        .iter()
        .map(|f| attachments::info(state, f))
        .collect()
}

async fn org_file(state: &AppState, file_public_id: &str) -> AppResult<(FileRow, OrgFile)> {
    let f = files::find_public(state.db().conn(), file_public_id).await?.ok_or_else(not_found)?;
    let kind = OrgFile::of_purpose(&f.purpose).ok_or_else(not_found)?;
    Ok((f, kind))
}

/// A logo or photo of a verified organisation, for its public page.
pub async fn public_image(state: &AppState, org_public_id: &str, file_public_id: &str) -> AppResult<Download> {
    let org = org_store::find_public(state.db().conn(), org_public_id)
        .await?
        .filter(|o| o.verification == "verified")
        .ok_or_else(not_found)?;
    let (f, kind) = org_file(state, file_public_id).await?;
    if !kind.public() || f.subject_id != org.id {
        return Err(not_found());
    }
    attachments::read(state, &f).await
}

/// Any file of the recruiter's own organisation.
pub async fn member_download(state: &AppState, rec: &Recruiter, file_public_id: &str) -> AppResult<Download> {
    let (f, _) = org_file(state, file_public_id).await?;
    if f.subject_id != rec.org.id {
        return Err(not_found());
    }
    attachments::read(state, &f).await
}

pub async fn delete(state: &AppState, rec: &Recruiter, file_public_id: &str) -> AppResult<()> {
    rec.require_primary()?;
    let (f, _) = org_file(state, file_public_id).await?;
    if f.subject_id != rec.org.id {
        return Err(not_found());
    }
    files::delete(state.db().conn(), f.id).await?;
    attachments::remove_blobs(state, std::slice::from_ref(&f)).await;
    Ok(())
}

/// A reviewer opens an organisation's file: permission checked, the opening audited.
pub async fn staff_download(state: &AppState, staff: &StaffUser, file_public_id: &str) -> AppResult<Download> {
    staff.require(state, Permission::ModerateContent).await?;
    let (f, kind) = org_file(state, file_public_id).await?;
    let d = attachments::read(state, &f).await?;
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::staff(staff.auth.account.id),
            action: "staff.read_document",
            subject: Some(("company", f.subject_id)),
            reason: Some("单位认证审核".into()),
            detail: serde_json::json!({ "file": f.id, "kind": kind.purpose() }),
        },
    )
    .await?;
    Ok(d)
}
