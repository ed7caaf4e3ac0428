//! Security-incident notices (P11): what happened, what it may mean, what was done, what people
//! can do, the remedies and whom to contact — to the affected accounts or to everyone.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0005_marketplace::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0015_incidents"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        // An announcement: no personal data, so the texts are stored as written.
        m.create_table(
            Table::create()
                .table(a("incidents"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("station_id")))
                .col(string_len(a("title"), 60))
                .col(text(a("situation")))
                .col(text(a("impact")))
                .col(text(a("measures")))
                .col(text(a("advice")))
                .col(text(a("remedies")))
                .col(string_len(a("contact"), 200))
                // `everyone` (also a public announcement) or `affected` (the listed accounts).
                .col(string_len(a("audience"), 16))
                .col(big_integer(a("created_by")))
                .col(timestamp_with_time_zone(a("published_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("incident_recipients"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("incident_id")))
                .col(big_integer(a("account_id")))
                .foreign_key(&mut fk("incident_recipients", "incident_id", "incidents", ForeignKeyAction::Cascade))
                .foreign_key(&mut fk("incident_recipients", "account_id", "accounts", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("incident_recipients", "pair", &["incident_id", "account_id"], true)).await?;
        m.create_index(index("incident_recipients", "account", &["account_id"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["incident_recipients", "incidents"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
