use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub public_id: String,
    pub station_id: i64,
    pub role: String,
    pub status: String,
    pub name_sealed: Option<String>,
    pub phone_sealed: String,
    pub phone_blind: String,
    pub email_sealed: Option<String>,
    pub birth_date_sealed: Option<String>,
    pub age_group: String,
    pub minor_basis: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub guardian_phone_sealed: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
