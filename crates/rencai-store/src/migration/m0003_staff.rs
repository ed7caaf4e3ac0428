//! Staff members: role, sealed TOTP secret, the last used TOTP step (no replay), and the
//! failed-login counter behind the 15-minute lockout.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_staff"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let a = Alias::new;
        m.create_table(
            Table::create()
                .table(a("staff_members"))
                .col(big_pk_auto(a("id")))
                .col(big_integer_uniq(a("account_id")))
                .col(string_len(a("role"), 32))
                .col(text(a("totp_secret_sealed")))
                .col(big_integer_null(a("totp_last_step")))
                .col(integer(a("failed_logins")).default(0))
                .col(timestamp_with_time_zone_null(a("locked_until")))
                .col(big_integer_null(a("created_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_staff_members_account")
                        .from(a("staff_members"), a("account_id"))
                        .to(a("accounts"), a("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("staff_members")).to_owned()).await
    }
}
