//! What the dev e-mail and push outboxes "sent": readable by developers and tests, addresses
//! and texts sealed at rest like every other personal value.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0005_marketplace::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0011_dev_mail"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("dev_mail"))
                .col(big_pk_auto(a("id")))
                .col(string_len(a("to_blind"), 64))
                .col(text(a("to_sealed")))
                .col(text(a("subject_sealed")))
                .col(text(a("text_sealed")))
                .col(string_len(a("message_id"), 128))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("dev_mail", "to", &["to_blind"], false)).await?;
        // What the dev push provider "sent", by device alias (a keyed hash, not an account id).
        m.create_table(
            Table::create()
                .table(a("dev_push"))
                .col(big_pk_auto(a("id")))
                .col(string_len(a("alias"), 64))
                .col(text(a("title_sealed")))
                .col(text(a("content_sealed")))
                .col(string_len(a("link"), 300))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("dev_push", "alias", &["alias"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("dev_push")).to_owned()).await?;
        m.drop_table(Table::drop().table(Alias::new("dev_mail")).to_owned()).await
    }
}
