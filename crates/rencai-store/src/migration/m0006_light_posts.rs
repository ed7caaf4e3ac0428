//! Light formats (M5): 速聘 quick-hire posts by small employers and 一句话求职 one-line posts by
//! seekers, moderated like jobs. The contact phone is sealed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_light_posts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("light_posts"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("station_id")))
                .col(string_len(a("kind"), 16))
                .col(big_integer(a("account_id")))
                .col(string_len(a("title"), 64))
                .col(text(a("body")))
                .col(string_len(a("district"), 64))
                .col(string_len(a("category"), 64))
                .col(integer_null(a("salary_min")))
                .col(integer_null(a("salary_max")))
                .col(text_null(a("contact_phone_sealed")))
                .col(string_len(a("status"), 16))
                .col(text_null(a("reject_reason")))
                .col(timestamp_with_time_zone_null(a("expires_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_light_posts_account")
                        .from(a("light_posts"), a("account_id"))
                        .to(a("accounts"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_light_posts_station")
                        .from(a("light_posts"), a("station_id"))
                        .to(a("stations"), a("id"))
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_light_posts_listing")
                .table(a("light_posts"))
                .col(a("station_id"))
                .col(a("kind"))
                .col(a("status"))
                .col(a("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_light_posts_account").table(a("light_posts")).col(a("account_id")).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("light_posts")).to_owned()).await
    }
}
