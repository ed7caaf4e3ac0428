//! Migrations. One set for SQLite and PostgreSQL: where the engines differ (the change log's
//! transaction id), the difference is confined to the migration that creates the column.

use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_auth;
mod m0003_staff;
mod m0004_login_failures;
mod m0005_marketplace;
mod m0006_light_posts;
mod m0007_files;
mod m0008_pipeline;
mod m0009_chat;
mod m0010_job_alerts;
mod m0011_dev_mail;
mod m0012_notice_templates;
mod m0013_privacy;
mod m0014_tickets;
mod m0015_incidents;
mod m0016_stats;
mod m0017_behaviour;
mod m0018_guardian;
mod m0019_login_failures_address;
mod m0020_company_directory;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_auth::Migration),
            Box::new(m0003_staff::Migration),
            Box::new(m0004_login_failures::Migration),
            Box::new(m0005_marketplace::Migration),
            Box::new(m0006_light_posts::Migration),
            Box::new(m0007_files::Migration),
            Box::new(m0008_pipeline::Migration),
            Box::new(m0009_chat::Migration),
            Box::new(m0010_job_alerts::Migration),
            Box::new(m0011_dev_mail::Migration),
            Box::new(m0012_notice_templates::Migration),
            Box::new(m0013_privacy::Migration),
            Box::new(m0014_tickets::Migration),
            Box::new(m0015_incidents::Migration),
            Box::new(m0016_stats::Migration),
            Box::new(m0017_behaviour::Migration),
            Box::new(m0018_guardian::Migration),
            Box::new(m0019_login_failures_address::Migration),
            Box::new(m0020_company_directory::Migration),
        ]
    }
}
