//! Saved searches with job alerts (M7, M11): a seeker keeps a search and is told of new
//! matching jobs at once or once a day.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0005_marketplace::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0010_job_alerts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("saved_searches"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("account_id")))
                .col(string_len(a("name"), 60))
                // The search as the job list's query string takes it (no personal data).
                .col(text(a("query")))
                // `instant`, `daily` or `off`.
                .col(string_len(a("frequency"), 16))
                .col(timestamp_with_time_zone(a("checked_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("saved_searches", "account_id", "accounts", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("saved_searches", "account", &["account_id"], false)).await?;
        m.create_index(index("saved_searches", "due", &["frequency", "checked_at"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("saved_searches")).to_owned()).await
    }
}
