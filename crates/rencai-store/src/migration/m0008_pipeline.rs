//! The hiring pipeline (M8) and notifications (M11).
//!
//! Every stage change of an application is kept as an event (the seeker's timeline, and the
//! record the law asks a recruiter to keep); interview invitations carry the time, the place or
//! video link and a contact, all sealed; in-app notifications keep their wording's parameters
//! sealed and are rendered when read; channel preferences (P13) are one row per switch turned.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0005_marketplace::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_pipeline"
    }
}

const TABLES: [&str; 4] = ["notification_prefs", "notifications", "interviews", "application_events"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;
        let a = Alias::new;

        m.create_table(
            Table::create()
                .table(a("application_events"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("application_id")))
                .col(string_len(a("stage"), 16))
                .col(big_integer_null(a("actor_account_id")))
                // A reject reason code and free text, or a withdrawal note: the recruiter's
                // words about a person, so sealed.
                .col(text_null(a("reason_sealed")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("application_events", "application_id", "applications", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("application_events", "application", &["application_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("interviews"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("application_id")))
                .col(timestamp_with_time_zone(a("starts_at")))
                .col(integer(a("minutes")))
                .col(string_len(a("mode"), 8))
                // Address or video link, who to ask for and their number, a note.
                .col(text(a("details_sealed")))
                .col(string_len(a("state"), 16))
                .col(text_null(a("reply_sealed")))
                .col(big_integer(a("created_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk("interviews", "application_id", "applications", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("interviews", "application", &["application_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("notifications"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("account_id")))
                .col(string_len(a("kind"), 32))
                .col(text(a("params_sealed")))
                .col(string_len(a("link"), 300))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("read_at")))
                .foreign_key(&mut fk("notifications", "account_id", "accounts", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("notifications", "account", &["account_id", "created_at"], false)).await?;
        m.create_index(index("notifications", "unread", &["account_id", "read_at"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("notification_prefs"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("account_id")))
                .col(string_len(a("channel"), 16))
                .col(boolean(a("enabled")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk("notification_prefs", "account_id", "accounts", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("notification_prefs", "pair", &["account_id", "channel"], true)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
