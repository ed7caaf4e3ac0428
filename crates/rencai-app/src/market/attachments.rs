//! Attachment resumes (M24): checked by content and size, encrypted with a per-file key under
//! a generated name in the uploads folder (outside any web root), served only through these
//! use cases with a safe file name. Text is extracted from PDF and Word files — images are not
//! read — and kept for search only after names, phone numbers, e-mails and ID numbers are
//! removed. Recruiters download an attachment only when the access policy shows them the
//! resume in full, and the seeker sees each download.

use std::io::Read;
use std::path::PathBuf;

use rencai_crypto::{DataKey, Sealed};
use rencai_domain::access::{FieldShown, ResumeField};
use rencai_domain::attachment::{self, FileType};
use rencai_store::accounts::{self, AccountRecord};
use rencai_store::files::{self, DATA_KEY, FileRow, NewFile, ORIGINAL_NAME};
use rencai_store::market::resumes as resume_store;

use super::actor::Recruiter;
use super::resumes;
use crate::{AppError, AppResult, AppState};

/// Attachments a resume may carry.
pub const MAX_PER_RESUME: usize = 3;
const PURPOSE: &str = "resume_attachment";

/// An attachment as listed: public id, the name to show, size in bytes, type.
#[derive(Debug, Clone)]
pub struct AttachmentInfo {
    pub public_id: String,
    pub name: String,
    pub size: i64,
    pub mime: String,
}

/// A file ready to send.
#[derive(Debug)]
pub struct Download {
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// Checks an upload's size and, by its content, its type against those allowed here.
pub(crate) fn checked(state: &AppState, bytes: &[u8], allowed: &[FileType], refusal: &str) -> AppResult<FileType> {
    let max = u64::from(state.settings().market.max_attachment_kib) * 1024;
    if bytes.is_empty() {
        return Err(AppError::invalid_field("file.empty", "file", "请选择要上传的文件。"));
    }
    if bytes.len() as u64 > max {
        return Err(too_large(state));
    }
    attachment::sniff(bytes)
        .filter(|t| allowed.contains(t))
        .ok_or_else(|| AppError::invalid_field("file.unsupported_type", "file", refusal.to_string()))
}

/// The refusal of a file over the configured size.
pub fn too_large(state: &AppState) -> AppError {
    let kib = state.settings().market.max_attachment_kib;
    let limit = if kib >= 1024 && kib.is_multiple_of(1024) { format!("{}MB", kib / 1024) } else { format!("{kib}KB") };
    AppError::invalid_field("file.too_large", "file", format!("文件不能超过{limit}。"))
}

fn unreadable() -> AppError {
    AppError::invalid_field("file.unreadable", "file", "无法读取该文件的内容，请确认文件没有损坏或加密后重新上传。")
}

/// Text of a PDF or Word file; None for images. A file that says it is a PDF or a Word document
/// but cannot be read as one is refused. Parsers of untrusted files can panic: they run on a
/// blocking thread behind catch_unwind.
async fn extract_text(t: FileType, bytes: Vec<u8>) -> AppResult<Option<String>> {
    if t.is_image() {
        return Ok(None);
    }
    // At most two extractions at once per node, each given a bounded time: a crafted file must
    // not take the node's CPUs. A file whose text takes too long is kept without text.
    static EXTRACTIONS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
    let _permit = EXTRACTIONS.acquire().await.map_err(AppError::internal)?;
    let job = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(move || match t {
            FileType::Pdf => pdf_extract::extract_text_from_mem(&bytes).ok(),
            FileType::Docx => docx_text(&bytes),
            FileType::Jpeg | FileType::Png => None,
        })
        .ok()
        .flatten()
    });
    let result = match tokio::time::timeout(std::time::Duration::from_secs(20), job).await {
        Ok(joined) => joined.map_err(AppError::internal)?,
        Err(_) => {
            tracing::warn!("text extraction timed out; the attachment is kept without text");
            return Ok(None);
        }
    };
    match result {
        Some(text) => Ok(Some(text.split_whitespace().collect::<Vec<_>>().join(" "))),
        None => Err(unreadable()),
    }
}

/// The text of a .docx: the `w:t` runs of word/document.xml, paragraphs on their own lines.
fn docx_text(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut xml = String::new();
    let part = zip.by_name("word/document.xml").ok()?;
    // A zip bomb is cut off at 20 MiB of XML.
    part.take(20 << 20).read_to_string(&mut xml).ok()?;
    let mut out = String::new();
    let mut rest = xml.as_str();
    while let Some(i) = rest.find('<') {
        let Some(j) = rest[i..].find('>') else { break };
        let tag = &rest[i + 1..i + j];
        rest = &rest[i + j + 1..];
        if tag == "/w:p" {
            out.push('\n');
        } else if tag.starts_with("w:t") && !tag.ends_with('/') && (tag.len() == 3 || tag.as_bytes()[3] == b' ') {
            let end = rest.find("</w:t>").unwrap_or(rest.len());
            out.push_str(&unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    Some(out)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

pub(crate) fn path_of(state: &AppState, storage_name: &str) -> PathBuf {
    state.settings().uploads_dir().join(storage_name)
}

/// Adds an attachment to one of the seeker's resumes.
pub async fn upload(
    state: &AppState,
    seeker: &AccountRecord,
    resume_public_id: &str,
    original_name: &str,
    bytes: Vec<u8>,
) -> AppResult<AttachmentInfo> {
    let resume = resumes::own(state, seeker, resume_public_id).await?;
    let t = checked(
        state,
        &bytes,
        &[FileType::Pdf, FileType::Docx, FileType::Jpeg, FileType::Png],
        "只接受 PDF、Word（.docx）、JPG、PNG 文件（按文件内容识别，改扩展名无效）。",
    )?;
    let conn = state.db().conn();
    if files::of_subject(conn, PURPOSE, resume.id).await?.len() >= MAX_PER_RESUME {
        return Err(AppError::Conflict {
            code: "file.too_many",
            message: format!("每份简历最多上传{MAX_PER_RESUME}个附件。"),
            field: "file",
        });
    }
    let keys = state.keys().get();
    let text = extract_text(t, bytes.clone()).await?;
    let resume_name = resume.name(&keys)?;
    let account_name =
        seeker.name.as_ref().map(|n| n.open(&keys, accounts::NAME)).transpose().map_err(AppError::internal)?;
    let names: Vec<&str> = [Some(resume_name.as_str()), account_name.as_deref()].into_iter().flatten().collect();
    let text = text.map(|t| attachment::redact_identifiers(&t, &names));

    store_encrypted(state, seeker.id, PURPOSE, resume.id, original_name, t, bytes, text).await
}

/// Encrypts and stores an upload already checked, and records it. Returns what lists show.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn store_encrypted(
    state: &AppState,
    owner_account_id: i64,
    purpose: &str,
    subject_id: i64,
    original_name: &str,
    t: FileType,
    bytes: Vec<u8>,
    text: Option<String>,
) -> AppResult<AttachmentInfo> {
    let keys = state.keys().get();
    let conn = state.db().conn();
    let public_id = uuid::Uuid::now_v7().to_string();
    let storage_name = rencai_crypto::random_token(24);
    let key = DataKey::generate();
    let blob = key.encrypt(&bytes, &public_id);
    let name = attachment::display_name(original_name, t);
    let dir = state.settings().uploads_dir();
    tokio::fs::create_dir_all(&dir).await.map_err(AppError::internal)?;
    let path = path_of(state, &storage_name);
    let tmp = dir.join(format!(".{storage_name}.tmp"));
    // On disk before the row that points at it commits: a crash must not leave a row without
    // its file.
    let (tmp2, path2, dir2) = (tmp.clone(), path.clone(), dir.clone());
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp2)?;
        f.write_all(&blob)?;
        f.sync_all()?;
        std::fs::rename(&tmp2, &path2)?;
        std::fs::File::open(&dir2)?.sync_all()
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    let row = NewFile {
        public_id: public_id.clone(),
        owner_account_id,
        purpose: purpose.into(),
        subject_id,
        mime: t.mime().into(),
        size: bytes.len() as i64,
        storage_name,
        original_name_sealed: Sealed::seal(&keys, ORIGINAL_NAME, &name).into_stored(),
        data_key_sealed: Sealed::seal(&keys, DATA_KEY, &key.to_base64()).into_stored(),
        text_redacted: text,
    };
    match files::insert(conn, &row, state.now()).await {
        Ok(_) => Ok(AttachmentInfo { public_id, name, size: row.size, mime: row.mime }),
        Err(e) => {
            // Nothing refers to the file: do not leave it behind.
            let _ = tokio::fs::remove_file(&path).await;
            Err(e.into())
        }
    }
}

pub(crate) fn info(state: &AppState, f: &FileRow) -> AppResult<AttachmentInfo> {
    let name =
        Sealed::<String>::from_stored(f.original_name_sealed.clone()).open(&state.keys().get(), ORIGINAL_NAME)?;
    Ok(AttachmentInfo { public_id: f.public_id.clone(), name, size: f.size, mime: f.mime.clone() })
}

/// The attachments of a resume (the caller has decided the viewer may see them).
pub async fn list(state: &AppState, resume_id: i64) -> AppResult<Vec<AttachmentInfo>> {
    files::of_subject(state.db().conn(), PURPOSE, resume_id).await?.iter().map(|f| info(state, f)).collect()
}

pub(crate) async fn read(state: &AppState, f: &FileRow) -> AppResult<Download> {
    let keys = state.keys().get();
    let key_b64 = Sealed::<String>::from_stored(f.data_key_sealed.clone()).open(&keys, DATA_KEY)?;
    let key = DataKey::from_base64(&key_b64).map_err(AppError::internal)?;
    let blob = tokio::fs::read(path_of(state, &f.storage_name)).await.map_err(AppError::internal)?;
    let bytes = key.decrypt(&blob, &f.public_id).map_err(AppError::internal)?;
    Ok(Download { name: info(state, f)?.name, mime: f.mime.clone(), bytes })
}

fn not_found() -> AppError {
    AppError::NotFound { code: "file.not_found", what: "该附件" }
}

/// The owner's own attachment.
pub async fn download_own(state: &AppState, account: &AccountRecord, file_public_id: &str) -> AppResult<Download> {
    let f = files::find_public(state.db().conn(), file_public_id)
        .await?
        .filter(|f| f.owner_account_id == account.id && f.purpose == PURPOSE)
        .ok_or_else(not_found)?;
    read(state, &f).await
}

pub async fn delete_own(state: &AppState, account: &AccountRecord, file_public_id: &str) -> AppResult<()> {
    let conn = state.db().conn();
    let f = files::find_public(conn, file_public_id)
        .await?
        .filter(|f| f.owner_account_id == account.id)
        .ok_or_else(not_found)?;
    files::delete(conn, f.id).await?;
    let _ = tokio::fs::remove_file(path_of(state, &f.storage_name)).await;
    Ok(())
}

/// Removes the rows of a resume's attachments in the caller's transaction; returns them so
/// the blobs can be removed after commit.
pub(crate) async fn detach_all(conn: &impl rencai_store::ConnectionTrait, resume_id: i64) -> AppResult<Vec<FileRow>> {
    let rows = files::of_subject(conn, PURPOSE, resume_id).await?;
    for f in &rows {
        files::delete(conn, f.id).await?;
    }
    Ok(rows)
}

pub(crate) async fn remove_blobs(state: &AppState, rows: &[FileRow]) {
    for f in rows {
        if let Err(e) = tokio::fs::remove_file(path_of(state, &f.storage_name)).await {
            tracing::warn!(error = %e, "an attachment's file could not be removed");
        }
    }
}

/// A recruiter's download: only when the policy shows the resume in full (an attachment is
/// full of contact details). Recorded for the seeker.
pub async fn download_for_recruiter(
    state: &AppState,
    rec: &Recruiter,
    resume_public_id: &str,
    file_public_id: &str,
) -> AppResult<Download> {
    let seen = resumes::peek(state, rec, resume_public_id).await?;
    if seen.access.shows(ResumeField::Attachment) != FieldShown::Clear {
        return Err(AppError::Forbidden {
            code: "resume.attachment_locked",
            message: "附件含有联系方式：求职者投递或主动沟通后，或下载简历后才能查看。".into(),
        });
    }
    let f = files::find_public(state.db().conn(), file_public_id)
        .await?
        .filter(|f| f.purpose == PURPOSE && f.subject_id == seen.row.id)
        .ok_or_else(not_found)?;
    let d = read(state, &f).await?;
    resume_store::record_view(state.db().conn(), &seen.row, rec.org.id, rec.account_id, "download", state.now())
        .await?;
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docx(document_xml: &str) -> Vec<u8> {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("[Content_Types].xml", opts).unwrap();
        zip.write_all(b"<Types/>").unwrap();
        zip.start_file("word/document.xml", opts).unwrap();
        zip.write_all(document_xml.as_bytes()).unwrap();
        zip.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn word_text_is_read_paragraph_by_paragraph() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>张伟 电话</w:t></w:r><w:r><w:t xml:space="preserve"> 13812345678</w:t></w:r></w:p><w:p><w:r><w:t>川菜 &amp; 火锅</w:t></w:r><w:tab/></w:p></w:body></w:document>"#;
        let bytes = docx(xml);
        assert_eq!(attachment::sniff(&bytes), Some(FileType::Docx));
        assert_eq!(docx_text(&bytes).unwrap(), "张伟 电话 13812345678\n川菜 & 火锅\n");
    }

    #[tokio::test]
    async fn a_file_that_only_claims_to_be_a_pdf_is_refused() {
        let e = extract_text(FileType::Pdf, b"%PDF-1.7 but then nothing of a PDF".to_vec()).await.unwrap_err();
        assert_eq!(e.code(), "file.unreadable");
        assert!(extract_text(FileType::Png, vec![0x89, b'P']).await.unwrap().is_none(), "images are not read");
    }
}
