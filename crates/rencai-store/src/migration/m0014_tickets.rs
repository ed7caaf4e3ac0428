//! Feedback tickets (P18, M13): questions, complaints and reports from users and visitors, the
//! conversation with staff on each, and the deadline clock.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0005_marketplace::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0014_tickets"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("tickets"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("station_id")))
                // The requester; none for a visitor, who leaves a contact instead.
                .col(big_integer_null(a("account_id")))
                .col(text_null(a("contact_sealed")))
                .col(string_len(a("kind"), 24))
                // A report's object: `job`, `company`, `user` or `conversation`, and its public id.
                .col(string_len_null(a("subject_kind"), 16))
                .col(string_len_null(a("subject_id"), 36))
                .col(string_len(a("title"), 80))
                .col(string_len(a("status"), 16))
                .col(big_integer_null(a("assignee_id")))
                .col(timestamp_with_time_zone(a("due_at")))
                .col(string_len_null(a("outcome"), 16))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .col(timestamp_with_time_zone_null(a("closed_at")))
                .foreign_key(&mut fk("tickets", "account_id", "accounts", ForeignKeyAction::SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("tickets", "queue", &["status", "due_at"], false)).await?;
        m.create_index(index("tickets", "account", &["account_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("ticket_messages"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("ticket_id")))
                // `requester` or `staff`.
                .col(string_len(a("author_kind"), 16))
                .col(big_integer_null(a("author_id")))
                .col(text(a("body_sealed")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("ticket_messages", "ticket_id", "tickets", ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ticket_messages", "ticket", &["ticket_id"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["ticket_messages", "tickets"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
