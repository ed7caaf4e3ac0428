//! Chat (M10): one conversation per seeker and recruiter, its messages numbered within it,
//! read positions on both sides, blocks and reports. Message bodies are sealed (P9).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::m0005_marketplace::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_chat"
    }
}

const TABLES: [&str; 3] = ["chat_reports", "chat_messages", "conversations"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        let a = Alias::new;

        m.create_table(
            Table::create()
                .table(a("conversations"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("station_id")))
                .col(big_integer(a("seeker_id")))
                .col(big_integer(a("recruiter_id")))
                // The organisation the recruiter spoke for when the conversation began.
                .col(big_integer(a("org_id")))
                .col(big_integer_null(a("job_id")))
                // `seeker` or `recruiter`: a seeker who starts a chat shares their contact (P6).
                .col(string_len(a("started_by"), 16))
                .col(big_integer(a("last_seq")))
                .col(big_integer(a("seeker_read_seq")))
                .col(big_integer(a("recruiter_read_seq")))
                .col(timestamp_with_time_zone_null(a("seeker_blocked_at")))
                .col(timestamp_with_time_zone_null(a("recruiter_blocked_at")))
                .col(timestamp_with_time_zone_null(a("contact_exchanged_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk("conversations", "seeker_id", "accounts", Cascade))
                .foreign_key(&mut fk("conversations", "recruiter_id", "accounts", Cascade))
                .foreign_key(&mut fk("conversations", "org_id", "companies", Cascade))
                .foreign_key(&mut fk("conversations", "job_id", "jobs", SetNull))
                .to_owned(),
        )
        .await?;
        m.create_index(index("conversations", "pair", &["seeker_id", "recruiter_id"], true)).await?;
        m.create_index(index("conversations", "org", &["org_id", "updated_at"], false)).await?;
        m.create_index(index("conversations", "recruiter", &["recruiter_id", "updated_at"], false)).await?;
        m.create_index(index("conversations", "seeker", &["seeker_id", "updated_at"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("chat_messages"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("conversation_id")))
                .col(big_integer(a("seq")))
                .col(big_integer(a("sender_id")))
                .col(string_len(a("kind"), 24))
                .col(text(a("body_sealed")))
                // The sender's own id for the message: a resend after a lost acknowledgement
                // finds the message already there instead of storing it twice.
                .col(string_len(a("client_id"), 64))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("chat_messages", "conversation_id", "conversations", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("chat_messages", "order", &["conversation_id", "seq"], true)).await?;
        m.create_index(index("chat_messages", "client", &["conversation_id", "sender_id", "client_id"], true)).await?;

        m.create_table(
            Table::create()
                .table(a("chat_reports"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("conversation_id")))
                .col(big_integer(a("reporter_id")))
                .col(string_len(a("reason"), 32))
                .col(text_null(a("note_sealed")))
                // The reported messages stay readable to staff even if the reporter deletes the chat.
                .col(big_integer(a("up_to_seq")))
                .col(string_len(a("status"), 16))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("chat_reports", "conversation_id", "conversations", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("chat_reports", "status", &["status", "created_at"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
