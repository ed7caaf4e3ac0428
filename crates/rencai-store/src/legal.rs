//! Versioned legal texts: the privacy policy and the user agreement (P3).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entity::legal_document;
use crate::{StoreError, StoreResult, raw};

pub use legal_document::Model as LegalDocument;

/// The two kinds of text every account accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalKind {
    Privacy,
    Terms,
}

impl LegalKind {
    pub const ALL: [LegalKind; 2] = [LegalKind::Privacy, LegalKind::Terms];

    pub fn as_str(self) -> &'static str {
        match self {
            LegalKind::Privacy => "privacy",
            LegalKind::Terms => "terms",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A version to publish.
#[derive(Debug, Clone)]
pub struct NewLegalDocument<'a> {
    pub kind: LegalKind,
    pub version: &'a str,
    pub title: &'a str,
    pub material: bool,
    pub body_html: &'a str,
    pub effective_at: DateTime<Utc>,
    pub change_summary: Option<&'a str>,
}

/// Publishes a version unless one with the same number exists. Returns whether it was added.
pub async fn publish_if_missing(
    conn: &impl ConnectionTrait,
    doc: &NewLegalDocument<'_>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let exists = legal_document::Entity::find()
        .filter(legal_document::Column::Kind.eq(doc.kind.as_str()))
        .filter(legal_document::Column::Version.eq(doc.version))
        .one(conn)
        .await?
        .is_some();
    if exists {
        return Ok(false);
    }
    legal_document::Entity::insert(legal_document::ActiveModel {
        kind: Set(doc.kind.as_str().into()),
        version: Set(doc.version.into()),
        title: Set(doc.title.into()),
        material: Set(doc.material),
        body_html: Set(doc.body_html.into()),
        effective_at: Set(doc.effective_at),
        published_at: Set(now),
        change_summary: Set(doc.change_summary.map(str::to_owned)),
        ..Default::default()
    })
    .exec(conn)
    .await?;
    Ok(true)
}

/// Publishes a new version; a version number used before is a conflict.
pub async fn publish(conn: &impl ConnectionTrait, doc: &NewLegalDocument<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    if publish_if_missing(conn, doc, now).await? { Ok(()) } else { Err(StoreError::Conflict { field: "version" }) }
}

/// The kinds whose latest material version in force the account has not accepted (P3): the
/// account must re-accept before anything but reading, logging out, exporting or deactivating.
/// An acceptance counts for a kind when the version accepted was published no earlier than that
/// material version (accepting a later minor version covers it too). Publication order (row ids), not
/// effective dates: a text published to take effect later does not cover one published after it.
pub async fn outstanding(
    conn: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<Vec<LegalKind>> {
    // One query for both kinds: it runs on every signed-in request. A material version in
    // force is outstanding unless the account accepted it or one published after it.
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT DISTINCT d.kind AS kind FROM legal_documents d \
             WHERE d.material = ? AND d.effective_at <= ? \
             AND NOT EXISTS (SELECT 1 FROM consents c JOIN legal_documents a ON a.kind = d.kind \
                               AND a.version = CASE d.kind WHEN 'privacy' THEN c.privacy_version ELSE c.terms_version END \
                             WHERE c.account_id = ? AND a.id >= d.id)",
            [true.into(), now.into(), account_id.into()],
        ))
        .await?;
    let kinds: Vec<String> = rows.iter().map(|r| r.try_get("", "kind")).collect::<Result<_, _>>()?;
    Ok(LegalKind::ALL.into_iter().filter(|k| kinds.iter().any(|s| s == k.as_str())).collect())
}

/// The newest version that took effect within `days` before `now` and replaced an earlier one
/// (a site's first texts are not a change): the "the policy changed" banner.
pub async fn recently_changed(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    days: i64,
) -> StoreResult<Option<LegalDocument>> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "SELECT d.id AS id FROM legal_documents d WHERE d.effective_at <= ? AND d.effective_at >= ? \
             AND EXISTS (SELECT 1 FROM legal_documents o WHERE o.kind = d.kind AND o.effective_at < d.effective_at) \
             ORDER BY d.effective_at DESC, d.id DESC LIMIT 1",
            [now.into(), (now - chrono::Duration::days(days)).into()],
        ))
        .await?;
    let Some(id) = row.map(|r| r.try_get::<i64>("", "id")).transpose()? else { return Ok(None) };
    Ok(legal_document::Entity::find_by_id(id).one(conn).await?)
}
/// The version in force at `now`: the latest published whose effective date has come, or,
/// before any has taken effect, the earliest one (a new site shows its first text at once).
pub async fn current(
    conn: &impl ConnectionTrait,
    kind: LegalKind,
    now: DateTime<Utc>,
) -> StoreResult<Option<LegalDocument>> {
    let in_force = legal_document::Entity::find()
        .filter(legal_document::Column::Kind.eq(kind.as_str()))
        .filter(legal_document::Column::EffectiveAt.lte(now))
        .order_by_desc(legal_document::Column::EffectiveAt)
        .order_by_desc(legal_document::Column::Id)
        .one(conn)
        .await?;
    if in_force.is_some() {
        return Ok(in_force);
    }
    Ok(legal_document::Entity::find()
        .filter(legal_document::Column::Kind.eq(kind.as_str()))
        .order_by_asc(legal_document::Column::EffectiveAt)
        .one(conn)
        .await?)
}

/// Every version of a kind, newest first.
pub async fn versions(conn: &impl ConnectionTrait, kind: LegalKind) -> StoreResult<Vec<LegalDocument>> {
    Ok(legal_document::Entity::find()
        .filter(legal_document::Column::Kind.eq(kind.as_str()))
        .order_by_desc(legal_document::Column::EffectiveAt)
        .order_by_desc(legal_document::Column::Id)
        .all(conn)
        .await?)
}
