//! Behaviour kept for personalization (P8): job pages a seeker opened and searches they ran,
//! while personalization is on, for `privacy.behaviour_days`. Interest tags are inferred from
//! these rows when asked, never stored apart from them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0005_marketplace::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0017_behaviour"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("behaviour_events"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("account_id")))
                // `view` (a job page) or `search`.
                .col(string_len(a("kind"), 16))
                // The job category the event points at, when there is one.
                .col(string_len_null(a("category"), 64))
                // A search's words.
                .col(text_null(a("keyword_sealed")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("behaviour_events", "account_id", "accounts", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("behaviour_events", "account", &["account_id", "created_at"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("behaviour_events")).to_owned()).await
    }
}
