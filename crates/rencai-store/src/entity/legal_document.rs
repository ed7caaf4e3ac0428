use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "legal_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub kind: String,
    pub version: String,
    pub title: String,
    pub material: bool,
    pub body_html: String,
    pub effective_at: DateTimeUtc,
    pub published_at: DateTimeUtc,
    /// What changed since the previous version, in a few sentences (shown when re-accepting).
    pub change_summary: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
