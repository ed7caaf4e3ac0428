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
    /// An agency's proof that a client asked it to recruit (委托书); hangs off the declaration.
    Authorization,
}

impl OrgFile {
    pub const ALL: [OrgFile; 4] = [OrgFile::Logo, OrgFile::Photo, OrgFile::Qualification, OrgFile::Authorization];

    pub fn purpose(self) -> &'static str {
        match self {
            OrgFile::Logo => "company_logo",
            OrgFile::Photo => "company_photo",
            OrgFile::Qualification => "qualification",
            OrgFile::Authorization => "client_authorization",
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
            OrgFile::Authorization => 3,
        }
    }

    fn allowed(self) -> (&'static [FileType], &'static str) {
        match self {
            OrgFile::Logo | OrgFile::Photo => {
                (&[FileType::Jpeg, FileType::Png], "只接受 JPG、PNG 图片（按文件内容识别）。")
            }
            OrgFile::Qualification | OrgFile::Authorization => {
                (&[FileType::Pdf, FileType::Jpeg, FileType::Png], "资质文件只接受 PDF、JPG、PNG（按文件内容识别）。")
            }
        }
    }

    /// Public once the organisation is verified.
    fn public(self) -> bool {
        !matches!(self, OrgFile::Qualification | OrgFile::Authorization)
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

/// The organisation a file belongs to: its subject, or for an authorization the declaring agency.
async fn owner_org(state: &AppState, f: &FileRow, kind: OrgFile) -> AppResult<i64> {
    if kind != OrgFile::Authorization {
        return Ok(f.subject_id);
    }
    let relation = org_store::client_relation(state.db().conn(), f.subject_id).await?.ok_or_else(not_found)?;
    Ok(relation.0)
}

/// Any file of the recruiter's own organisation.
pub async fn member_download(state: &AppState, rec: &Recruiter, file_public_id: &str) -> AppResult<Download> {
    let (f, kind) = org_file(state, file_public_id).await?;
    if owner_org(state, &f, kind).await? != rec.org.id {
        return Err(not_found());
    }
    attachments::read(state, &f).await
}

/// An agency's authorization document for a client it declared (primary account).
pub async fn upload_authorization(
    state: &AppState,
    rec: &Recruiter,
    client_public_id: &str,
    name: &str,
    bytes: Vec<u8>,
) -> AppResult<AttachmentInfo> {
    rec.require_primary()?;
    let declared = org_store::clients(state.db().conn(), Some(rec.org.id)).await?;
    let relation = declared.iter().find(|c| c.client_public_id == client_public_id).ok_or_else(not_found)?;
    let kind = OrgFile::Authorization;
    let (allowed, refusal) = kind.allowed();
    let t = attachments::checked(state, &bytes, allowed, refusal)?;
    if files::of_subject(state.db().conn(), kind.purpose(), relation.id).await?.len() >= kind.max() {
        return Err(AppError::Conflict {
            code: "file.too_many",
            message: format!("最多上传{}个，请先删除不需要的。", kind.max()),
            field: "file",
        });
    }
    attachments::store_encrypted(state, rec.account_id, kind.purpose(), relation.id, name, t, bytes, None).await
}

/// The authorization documents of one declaration.
pub async fn authorizations(state: &AppState, relation_id: i64) -> AppResult<Vec<AttachmentInfo>> {
    list(state, relation_id, OrgFile::Authorization).await
}

pub async fn delete(state: &AppState, rec: &Recruiter, file_public_id: &str) -> AppResult<()> {
    rec.require_primary()?;
    let (f, kind) = org_file(state, file_public_id).await?;
    if owner_org(state, &f, kind).await? != rec.org.id {
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
            subject: Some(("company", owner_org(state, &f, kind).await?)),
            reason: Some("单位认证审核".into()),
            detail: serde_json::json!({ "file": f.id, "kind": kind.purpose() }),
        },
    )
    .await?;
    Ok(d)
}
