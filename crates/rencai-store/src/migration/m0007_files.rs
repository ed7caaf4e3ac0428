//! Uploaded files (M24): stored encrypted under generated names outside the web root, each
//! with its own data key sealed here. Resume attachments keep their extracted text with
//! direct identifiers removed, for search.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_files"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("files"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("owner_account_id")))
                .col(string_len(a("purpose"), 32))
                .col(big_integer(a("subject_id")))
                .col(string_len(a("mime"), 96))
                .col(big_integer(a("size")))
                .col(string_len_uniq(a("storage_name"), 64))
                .col(text(a("original_name_sealed")))
                .col(text(a("data_key_sealed")))
                .col(text_null(a("text_redacted")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_files_owner")
                        .from(a("files"), a("owner_account_id"))
                        .to(a("accounts"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_files_subject")
                .table(a("files"))
                .col(a("purpose"))
                .col(a("subject_id"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("files")).to_owned()).await
    }
}
