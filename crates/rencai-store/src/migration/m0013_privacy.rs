//! The privacy center's own records (P8, P14, P15): the deletion log that outlives backups,
//! the restricted archive of what law makes us keep after a purge, data exports waiting to be
//! downloaded, and each account's personalization switch.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0005_marketplace::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0013_privacy"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        // No foreign key: the account row survives only as a tombstone, and the log must be
        // replayable onto a restored database whatever that database holds.
        m.create_table(
            Table::create()
                .table(a("deletion_log"))
                .col(big_pk_auto(a("id")))
                .col(big_integer_uniq(a("account_id")))
                .col(string_len(a("account_public_id"), 36))
                .col(timestamp_with_time_zone(a("deactivated_at")))
                .col(timestamp_with_time_zone(a("purge_due_at")))
                .col(timestamp_with_time_zone_null(a("purged_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("deletion_log", "due", &["purged_at", "purge_due_at"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("privacy_archive"))
                .col(big_pk_auto(a("id")))
                .col(string_len(a("account_public_id"), 36))
                // The phone number's blind index, so a lawful request naming a number finds it.
                .col(string_len(a("phone_blind"), 64))
                .col(string_len(a("role"), 16))
                // What law makes us keep (identity, transaction and recruitment records), as one
                // sealed JSON document that only a recorded lawful request opens.
                .col(text(a("kept_sealed")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("retain_until")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("privacy_archive", "until", &["retain_until"], false)).await?;
        m.create_index(index("privacy_archive", "phone", &["phone_blind"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("data_exports"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("account_id")))
                // `pending`, `ready`, `downloaded`, `expired` or `failed`.
                .col(string_len(a("status"), 16))
                // Name of the encrypted archive under the data folder's exports directory.
                .col(string_len_null(a("file_name"), 80))
                .col(big_integer_null(a("bytes")))
                .col(text_null(a("data_key_sealed")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("ready_at")))
                .col(timestamp_with_time_zone(a("expires_at")))
                .col(timestamp_with_time_zone_null(a("downloaded_at")))
                .foreign_key(&mut fk("data_exports", "account_id", "accounts", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("data_exports", "account", &["account_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("privacy_prefs"))
                .col(big_integer(a("account_id")).primary_key())
                .col(boolean(a("personalization")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk("privacy_prefs", "account_id", "accounts", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        // P3: a new version says what changed, for the re-acceptance page.
        m.alter_table(Table::alter().table(a("legal_documents")).add_column(text_null(a("change_summary"))).to_owned())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(Alias::new("legal_documents")).drop_column(Alias::new("change_summary")).to_owned(),
        )
        .await?;
        for t in ["privacy_prefs", "data_exports", "privacy_archive", "deletion_log"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
