//! The ground everything else stands on: stations, taxonomies, accounts (the identity part;
//! credentials come with the accounts feature), legal texts, the change log and its cursors,
//! the delivery queue, and the audit chain.

use sea_orm::{DbBackend, Statement};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

fn station_fk(table: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_station"))
        .from(Alias::new(table), Alias::new("station_id"))
        .to(Alias::new("stations"), Alias::new("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn index(table: &str, name: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(format!("ix_{table}_{name}")).table(Alias::new(table));
    for c in cols {
        idx.col(Alias::new(*c));
    }
    if unique {
        idx.unique();
    }
    idx.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("stations"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("code"), 32))
                .col(string_len(a("name"), 64))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("taxonomy_terms"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("station_id")))
                .col(string_len(a("kind"), 32))
                .col(string_len(a("code"), 64))
                .col(string_len_null(a("parent_code"), 64))
                .col(string_len(a("name"), 64))
                .col(integer(a("sort_order")))
                .col(double_null(a("lat")))
                .col(double_null(a("lng")))
                .col(boolean(a("active")))
                .foreign_key(&mut station_fk("taxonomy_terms"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("taxonomy_terms", "code", &["station_id", "kind", "code"], true)).await?;

        // Identity of an account. Personal fields are sealed envelopes (P9); the phone number is
        // found through its blind index. Nothing here is readable without the key file.
        m.create_table(
            Table::create()
                .table(a("accounts"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("station_id")))
                .col(string_len(a("role"), 16))
                .col(string_len(a("status"), 16))
                .col(text_null(a("name_sealed")))
                .col(text(a("phone_sealed")))
                .col(string_len_uniq(a("phone_blind"), 64))
                .col(text_null(a("email_sealed")))
                .col(text_null(a("birth_date_sealed")))
                // adult / minor (16–17, flagged for P21); children cannot register.
                .col(string_len(a("age_group"), 16).default("adult"))
                .col(string_len_null(a("minor_basis"), 32))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut station_fk("accounts"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("legal_documents"))
                .col(big_pk_auto(a("id")))
                .col(string_len(a("kind"), 16))
                .col(string_len(a("version"), 16))
                .col(string_len(a("title"), 64))
                .col(boolean(a("material")))
                .col(text(a("body_html")))
                .col(timestamp_with_time_zone(a("effective_at")))
                .col(timestamp_with_time_zone(a("published_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("legal_documents", "version", &["kind", "version"], true)).await?;

        // The change log. `tx_id` orders rows by the transaction that wrote them; on PostgreSQL
        // it is the writer's transaction id, so a reader can wait for every transaction older
        // than the oldest one still running (see changelog.rs). On SQLite there is one writer
        // at a time, ids commit in order, and `tx_id` stays 0.
        m.create_table(
            Table::create()
                .table(a("change_log"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("tx_id")).default(0))
                .col(big_integer(a("station_id")))
                .col(string_len(a("topic"), 32))
                .col(string_len(a("entity_id"), 64))
                .col(string_len(a("op"), 16))
                .col(json(a("payload")))
                .col(timestamp_with_time_zone(a("created_at")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("change_log", "order", &["tx_id", "id"], false)).await?;
        if m.get_database_backend() == DbBackend::Postgres {
            m.get_connection()
                .execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "ALTER TABLE change_log ALTER COLUMN tx_id SET DEFAULT (pg_current_xact_id()::text::bigint)",
                ))
                .await?;
        }

        m.create_table(
            Table::create()
                .table(a("change_cursors"))
                .col(string_len(a("consumer"), 64).primary_key())
                .col(big_integer(a("tx_id")))
                .col(big_integer(a("last_id")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("delivery_jobs"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("station_id")))
                .col(string_len(a("kind"), 64))
                .col(json(a("payload")))
                .col(string_len_null(a("dedupe_key"), 128).unique_key())
                .col(string_len(a("state"), 16))
                .col(integer(a("attempts")))
                .col(integer(a("max_attempts")))
                .col(timestamp_with_time_zone(a("run_at")))
                .col(timestamp_with_time_zone_null(a("lease_until")))
                .col(string_len_null(a("lease_token"), 64))
                .col(text_null(a("last_error")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut station_fk("delivery_jobs"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("delivery_jobs", "due", &["state", "run_at"], false)).await?;

        // The audit chain: append-only, each row's hash covers the previous row's hash, keyed
        // with the audit key from the key file. Rows name people by internal id only.
        m.create_table(
            Table::create()
                .table(a("audit_log"))
                .col(big_pk_auto(a("id")))
                .col(big_integer_uniq(a("seq")))
                .col(timestamp_with_time_zone(a("at")))
                .col(string_len(a("actor_kind"), 16))
                .col(big_integer_null(a("actor_id")))
                .col(string_len(a("action"), 64))
                .col(string_len_null(a("subject_kind"), 32))
                .col(big_integer_null(a("subject_id")))
                .col(string_len_null(a("reason"), 256))
                .col(text(a("detail")))
                .col(string_len(a("prev_hash"), 64))
                .col(string_len(a("hash"), 64))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("audit_head"))
                .col(integer(a("id")).primary_key())
                .col(big_integer(a("seq")))
                .col(string_len(a("hash"), 64))
                .to_owned(),
        )
        .await?;

        let backend = m.get_database_backend();
        let conn = m.get_connection();
        let now = chrono::Utc::now();
        conn.execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                DbBackend::Postgres => "INSERT INTO stations (id, code, name, created_at) VALUES ($1, $2, $3, $4)",
                _ => "INSERT INTO stations (id, code, name, created_at) VALUES (?, ?, ?, ?)",
            },
            [
                rencai_domain::station::DEFAULT_STATION_ID.into(),
                rencai_domain::station::DEFAULT_STATION_CODE.into(),
                rencai_domain::station::DEFAULT_STATION_NAME.into(),
                now.into(),
            ],
        ))
        .await?;
        if backend == DbBackend::Postgres {
            // An explicit id does not advance the sequence; the next station must not collide.
            conn.execute_unprepared(
                "SELECT setval(pg_get_serial_sequence('stations', 'id'), (SELECT max(id) FROM stations))",
            )
            .await?;
        }
        conn.execute_unprepared(&format!(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '{}')",
            crate::audit::GENESIS
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "audit_head",
            "audit_log",
            "delivery_jobs",
            "change_cursors",
            "change_log",
            "legal_documents",
            "accounts",
            "taxonomy_terms",
            "stations",
        ] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
