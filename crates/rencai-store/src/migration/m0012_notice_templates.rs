//! The wording of notices as staff edited it (the defaults live in code; a row overrides one).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0012_notice_templates"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("notice_templates"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("kind"), 32))
                .col(text(a("title")))
                .col(text(a("body")))
                .col(big_integer(a("updated_by")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("notice_templates")).to_owned()).await
    }
}
