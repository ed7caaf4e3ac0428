//! Credentials, verification codes, sessions, consents, the dev SMS outbox and CAPTCHA
//! challenges.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_auth"
    }
}

fn account_fk(table: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_account"))
        .from(Alias::new(table), Alias::new("account_id"))
        .to(Alias::new("accounts"), Alias::new("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(table: &str, name: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(format!("ix_{table}_{name}")).table(Alias::new(table));
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        // Argon2id hashes (PHC strings). Kept apart from identity so reads of the account
        // never carry the hash along.
        m.create_table(
            Table::create()
                .table(a("credentials"))
                .col(big_integer(a("account_id")).primary_key())
                .col(text(a("password_hash")))
                .col(timestamp_with_time_zone(a("changed_at")))
                .foreign_key(&mut account_fk("credentials"))
                .to_owned(),
        )
        .await?;

        // Verification codes: only an HMAC of (phone, purpose, code) is kept. Rows double as
        // the send log the rate limits count.
        m.create_table(
            Table::create()
                .table(a("sms_codes"))
                .col(big_pk_auto(a("id")))
                .col(string_len(a("phone_blind"), 64))
                .col(string_len(a("purpose"), 32))
                .col(string_len(a("code_hash"), 64))
                .col(string_len(a("ip_bucket"), 64))
                .col(integer(a("wrong_tries")).default(0))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("expires_at")))
                .col(timestamp_with_time_zone_null(a("consumed_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sms_codes", "phone", &["phone_blind", "created_at"])).await?;
        m.create_index(index("sms_codes", "ip", &["ip_bucket", "created_at"])).await?;
        m.create_index(index("sms_codes", "created", &["created_at"])).await?;

        // Sessions (web and back office) and app refresh tokens. Only a hash of the token.
        m.create_table(
            Table::create()
                .table(a("sessions"))
                .col(big_pk_auto(a("id")))
                .col(string_len(a("public_id"), 36).unique_key())
                .col(string_len(a("token_hash"), 64).unique_key())
                .col(big_integer(a("account_id")))
                .col(string_len(a("kind"), 16))
                .col(string_len(a("csrf_token"), 64))
                .col(string_len(a("device"), 64))
                // App tokens issued together (and their successors) share a family, so a reused
                // refresh token can end them all.
                .col(string_len_null(a("family"), 36))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("last_seen_at")))
                .col(timestamp_with_time_zone(a("expires_at")))
                .col(timestamp_with_time_zone_null(a("ended_at")))
                .foreign_key(&mut account_fk("sessions"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sessions", "account", &["account_id", "ended_at"])).await?;
        m.create_index(index("sessions", "family", &["family"])).await?;

        // Consent on record (P3): which versions, when, from where (sealed address).
        m.create_table(
            Table::create()
                .table(a("consents"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("account_id")))
                .col(string_len(a("privacy_version"), 16))
                .col(string_len(a("terms_version"), 16))
                .col(timestamp_with_time_zone(a("accepted_at")))
                .col(text(a("ip_sealed")))
                .foreign_key(&mut account_fk("consents"))
                .to_owned(),
        )
        .await?;

        // What the dev SMS provider "sent": readable by developers and tests, sealed at rest
        // like every phone number.
        m.create_table(
            Table::create()
                .table(a("dev_outbox"))
                .col(big_pk_auto(a("id")))
                .col(string_len(a("phone_blind"), 64))
                .col(text(a("phone_sealed")))
                .col(string_len(a("template"), 32))
                .col(text(a("params_sealed")))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("captcha_challenges"))
                .col(big_pk_auto(a("id")))
                .col(string_len(a("public_id"), 36).unique_key())
                .col(string_len(a("answer_hash"), 64))
                .col(timestamp_with_time_zone(a("expires_at")))
                .col(timestamp_with_time_zone_null(a("used_at")))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["captcha_challenges", "dev_outbox", "consents", "sessions", "sms_codes", "credentials"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
