//! Failed password logins also counted per address (credential stuffing tries many numbers from
//! one place). The address is kept only as a keyed blind index of its bucket (IPv4, or IPv6 by
//! /64), never in clear.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0005_marketplace::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0019_login_failures_address"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("login_failures"))
                .add_column(string_len_null(Alias::new("ip_blind"), 64))
                .to_owned(),
        )
        .await?;
        m.create_index(index("login_failures", "address", &["ip_blind", "created_at"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Alias::new("login_failures")).drop_column(Alias::new("ip_blind")).to_owned())
            .await
    }
}
