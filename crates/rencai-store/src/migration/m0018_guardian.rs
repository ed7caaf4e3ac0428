//! A guardian's phone number on a 16–17-year-old's account (P21): incident notices also go
//! there. Optional, given by the account holder, sealed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

const COLUMN: &str = "guardian_phone_sealed";

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0018_guardian"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Alias::new("accounts")).add_column(text_null(Alias::new(COLUMN))).to_owned())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Alias::new("accounts")).drop_column(Alias::new(COLUMN)).to_owned()).await
    }
}
