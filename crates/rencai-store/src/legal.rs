//! Versioned legal texts: the privacy policy and the user agreement (P3).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::StoreResult;
use crate::entity::legal_document;

pub use legal_document::Model as LegalDocument;

/// The two kinds of text every account accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalKind {
    Privacy,
    Terms,
}

impl LegalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LegalKind::Privacy => "privacy",
            LegalKind::Terms => "terms",
        }
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
        ..Default::default()
    })
    .exec(conn)
    .await?;
    Ok(true)
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
