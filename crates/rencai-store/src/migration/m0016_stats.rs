//! Aggregates for public statistics (P19, M20): counts per day, metric and dimension, computed
//! from the live tables by a scheduled job. The statistics page reads only this table.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0005_marketplace::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0016_stats"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("stats_daily"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("station_id")))
                // Beijing calendar day, `YYYY-MM-DD`.
                .col(string_len(a("day"), 10))
                .col(string_len(a("metric"), 40))
                .col(string_len(a("dimension"), 64))
                .col(big_integer(a("value")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("stats_daily", "cell", &["station_id", "metric", "day", "dimension"], true)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("stats_daily")).to_owned()).await
    }
}
