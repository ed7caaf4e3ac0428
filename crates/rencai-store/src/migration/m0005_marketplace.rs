//! The marketplace core: organisations (employers and HR agencies) with their recruiters and
//! an agency's declared clients; jobs; resumes with the seeker's block list; the facts the
//! access policy reads (applications, contact shares, unlocks); who viewed a resume and the
//! disclosure log (P16); the quota ledger; favourites; the staff-kept banned words.
//!
//! Personal fields are sealed (`*_sealed`). Resume sections that name no one directly are kept
//! as JSON so that search can read them; the resume's name is sealed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_marketplace"
    }
}

pub(super) fn fk(table: &str, col: &str, to: &str, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(Alias::new(table), Alias::new(col))
        .to(Alias::new(to), Alias::new("id"))
        .on_delete(on_delete)
        .to_owned()
}

pub(super) fn index(table: &str, name: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
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

const TABLES: [&str; 13] = [
    "banned_words",
    "favourites",
    "quota_uses",
    "quota_grants",
    "disclosures",
    "resume_views",
    "resume_unlocks",
    "contact_shares",
    "applications",
    "resume_blocks",
    "resumes",
    "jobs",
    "company_members",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        let a = Alias::new;

        // Employers and HR agencies alike: an agency is an organisation that recruits for others.
        m.create_table(
            Table::create()
                .table(a("companies"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("station_id")))
                .col(string_len(a("kind"), 16))
                .col(string_len(a("name"), 128))
                .col(string_len(a("credit_code"), 18))
                .col(string_len(a("industry"), 64))
                .col(string_len(a("size"), 16))
                .col(string_len(a("ownership"), 32))
                .col(string_len(a("district"), 64))
                .col(string_len(a("address"), 255))
                .col(double_null(a("lat")))
                .col(double_null(a("lng")))
                .col(text(a("intro")))
                .col(text(a("contact_name_sealed")))
                .col(string_len(a("verification"), 16))
                .col(text_null(a("reject_reason")))
                .col(timestamp_with_time_zone_null(a("verified_at")))
                // What the business registry said at the last verification request (JSON).
                .col(text_null(a("registry_check")))
                .col(string_len_null(a("pledge_version"), 16))
                .col(timestamp_with_time_zone_null(a("pledge_accepted_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk("companies", "station_id", "stations", Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(index("companies", "credit_code", &["station_id", "credit_code"], true)).await?;
        m.create_index(index("companies", "listing", &["station_id", "kind", "verification"], false)).await?;

        // The accounts that recruit for an organisation. `is_primary` marks the account that
        // registered it (P17: it sees and reassigns the others' jobs).
        m.create_table(
            Table::create()
                .table(a("company_members"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("company_id")))
                .col(big_integer_uniq(a("account_id")))
                .col(boolean(a("is_primary")))
                .col(text_null(a("real_name_sealed")))
                .col(text_null(a("id_number_sealed")))
                .col(timestamp_with_time_zone_null(a("real_name_verified_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("company_members", "company_id", "companies", Cascade))
                .foreign_key(&mut fk("company_members", "account_id", "accounts", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("company_members", "company", &["company_id"], false)).await?;

        // Invitations to recruit for an organisation, sent by SMS to a phone number (kept only
        // as its blind index); the code is kept as a keyed hash bound to that number.
        m.create_table(
            Table::create()
                .table(a("recruiter_invites"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("company_id")))
                .col(string_len(a("phone_blind"), 64))
                .col(string_len(a("code_hash"), 64))
                .col(integer(a("wrong_tries")).default(0))
                .col(big_integer(a("invited_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("expires_at")))
                .col(timestamp_with_time_zone_null(a("accepted_at")))
                .foreign_key(&mut fk("recruiter_invites", "company_id", "companies", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("recruiter_invites", "phone", &["phone_blind", "expires_at"], false)).await?;
        m.create_index(index("recruiter_invites", "company", &["company_id", "created_at"], false)).await?;

        // An agency's declared client, verified by staff before the agency may post for it.
        m.create_table(
            Table::create()
                .table(a("agency_clients"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("agency_id")))
                .col(big_integer(a("client_id")))
                .col(string_len(a("status"), 16))
                .col(text_null(a("reject_reason")))
                .col(text(a("authorization_note")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("decided_at")))
                .foreign_key(&mut fk("agency_clients", "agency_id", "companies", Cascade))
                .foreign_key(&mut fk("agency_clients", "client_id", "companies", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("agency_clients", "pair", &["agency_id", "client_id"], true)).await?;

        m.create_table(
            Table::create()
                .table(a("jobs"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("station_id")))
                .col(big_integer(a("employer_id")))
                .col(big_integer_null(a("agency_id")))
                .col(big_integer(a("owner_account_id")))
                .col(string_len(a("title"), 128))
                .col(string_len(a("category"), 64))
                .col(string_len(a("industry"), 64))
                .col(string_len(a("district"), 64))
                .col(string_len(a("address"), 255))
                .col(double_null(a("lat")))
                .col(double_null(a("lng")))
                // Both null: 面议 (negotiable).
                .col(integer_null(a("salary_min")))
                .col(integer_null(a("salary_max")))
                .col(string_len(a("education"), 32))
                .col(string_len(a("experience"), 32))
                .col(string_len(a("job_type"), 32))
                .col(integer(a("headcount")))
                // Benefit codes, comma-separated with leading and trailing commas (",meals,housing,").
                .col(text(a("benefits")))
                .col(text(a("description")))
                .col(text(a("contact_name_sealed")))
                .col(text(a("contact_phone_sealed")))
                .col(boolean(a("campus")))
                .col(boolean(a("urgent")))
                .col(string_len(a("status"), 16))
                .col(text_null(a("reject_reason")))
                .col(timestamp_with_time_zone_null(a("top_until")))
                .col(timestamp_with_time_zone(a("refreshed_at")))
                .col(timestamp_with_time_zone_null(a("published_at")))
                .col(timestamp_with_time_zone_null(a("expires_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk("jobs", "station_id", "stations", Restrict))
                .foreign_key(&mut fk("jobs", "employer_id", "companies", Restrict))
                .foreign_key(&mut fk("jobs", "agency_id", "companies", Restrict))
                .foreign_key(&mut fk("jobs", "owner_account_id", "accounts", Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(index("jobs", "listing", &["station_id", "status", "refreshed_at"], false)).await?;
        m.create_index(index("jobs", "employer", &["employer_id", "status"], false)).await?;
        m.create_index(index("jobs", "agency", &["agency_id", "status"], false)).await?;
        m.create_index(index("jobs", "owner", &["owner_account_id"], false)).await?;
        m.create_index(index("jobs", "expiry", &["status", "expires_at"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("resumes"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("station_id")))
                .col(big_integer(a("seeker_id")))
                .col(string_len(a("title"), 64))
                .col(string_len(a("visibility"), 16))
                .col(boolean(a("shown_to_companies")))
                .col(text(a("name_sealed")))
                .col(text_null(a("email_sealed")))
                .col(string_len(a("gender"), 16))
                .col(integer_null(a("birth_year")))
                .col(string_len(a("education_level"), 32))
                .col(string_len(a("experience_level"), 32))
                .col(string_len(a("district"), 64))
                // Intention codes, comma-wrapped like jobs.benefits, for list filters.
                .col(text(a("intent_categories")))
                .col(text(a("intent_districts")))
                .col(integer_null(a("salary_min")))
                .col(integer_null(a("salary_max")))
                // The sections without the name (see resume.rs in the domain).
                .col(text(a("content_json")))
                .col(integer(a("completeness")))
                .col(timestamp_with_time_zone(a("refreshed_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk("resumes", "station_id", "stations", Restrict))
                .foreign_key(&mut fk("resumes", "seeker_id", "accounts", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("resumes", "seeker", &["seeker_id"], false)).await?;
        m.create_index(index("resumes", "listing", &["station_id", "visibility", "refreshed_at"], false)).await?;

        // Organisations a seeker blocked: none of their recruiters reach any of the seeker's resumes.
        m.create_table(
            Table::create()
                .table(a("resume_blocks"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("seeker_id")))
                .col(big_integer(a("company_id")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("resume_blocks", "seeker_id", "accounts", Cascade))
                .foreign_key(&mut fk("resume_blocks", "company_id", "companies", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("resume_blocks", "pair", &["seeker_id", "company_id"], true)).await?;

        // Applications (投递). The pipeline grows in the applications feature; the access policy
        // needs to know who applied where, for a job an agency posts both organisations.
        m.create_table(
            Table::create()
                .table(a("applications"))
                .col(big_pk_auto(a("id")))
                .col(string_len_uniq(a("public_id"), 36))
                .col(big_integer(a("station_id")))
                .col(big_integer(a("job_id")))
                .col(big_integer(a("resume_id")))
                .col(big_integer(a("seeker_id")))
                .col(big_integer(a("employer_id")))
                .col(big_integer_null(a("agency_id")))
                .col(string_len(a("status"), 16))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut fk("applications", "job_id", "jobs", Cascade))
                .foreign_key(&mut fk("applications", "resume_id", "resumes", Cascade))
                .foreign_key(&mut fk("applications", "seeker_id", "accounts", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("applications", "once", &["job_id", "seeker_id"], true)).await?;
        m.create_index(index("applications", "seeker", &["seeker_id"], false)).await?;
        m.create_index(index("applications", "employer", &["employer_id"], false)).await?;

        // A seeker started a chat with, or agreed to exchange contacts with, an organisation.
        m.create_table(
            Table::create()
                .table(a("contact_shares"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("seeker_id")))
                .col(big_integer(a("company_id")))
                .col(string_len(a("reason"), 32))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("contact_shares", "seeker_id", "accounts", Cascade))
                .foreign_key(&mut fk("contact_shares", "company_id", "companies", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("contact_shares", "pair", &["seeker_id", "company_id"], true)).await?;

        m.create_table(
            Table::create()
                .table(a("resume_unlocks"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("resume_id")))
                .col(big_integer(a("company_id")))
                .col(big_integer(a("account_id")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("resume_unlocks", "resume_id", "resumes", Cascade))
                .foreign_key(&mut fk("resume_unlocks", "company_id", "companies", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("resume_unlocks", "pair", &["resume_id", "company_id"], true)).await?;

        // "Who viewed / downloaded my resume" (P6). Names only internal ids.
        m.create_table(
            Table::create()
                .table(a("resume_views"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("resume_id")))
                .col(big_integer(a("seeker_id")))
                .col(big_integer(a("company_id")))
                .col(big_integer(a("account_id")))
                .col(string_len(a("kind"), 16))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("resume_views", "resume_id", "resumes", Cascade))
                .foreign_key(&mut fk("resume_views", "seeker_id", "accounts", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("resume_views", "seeker", &["seeker_id", "created_at"], false)).await?;

        // Disclosures of a person's information to a third party (P16), shown to that person.
        m.create_table(
            Table::create()
                .table(a("disclosures"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("person_id")))
                .col(big_integer_null(a("recipient_company_id")))
                .col(string_len(a("kind"), 32))
                .col(text(a("detail")))
                .col(big_integer_null(a("actor_account_id")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("disclosures", "person_id", "accounts", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("disclosures", "person", &["person_id", "created_at"], false)).await?;

        // The quota ledger: grants with validity periods, and every use against one grant. A use
        // is an UPDATE that only succeeds while `used < amount`, so concurrent uses can never
        // overdraw a grant on either engine.
        m.create_table(
            Table::create()
                .table(a("quota_grants"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("company_id")))
                .col(string_len(a("kind"), 16))
                .col(integer(a("amount")))
                .col(integer(a("used")).default(0))
                .col(timestamp_with_time_zone(a("valid_from")))
                .col(timestamp_with_time_zone(a("valid_until")))
                .col(text(a("reason")))
                .col(big_integer_null(a("granted_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .check(Expr::col(a("used")).lte(Expr::col(a("amount"))))
                .check(Expr::col(a("used")).gte(0))
                .foreign_key(&mut fk("quota_grants", "company_id", "companies", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("quota_grants", "company", &["company_id", "kind", "valid_until"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("quota_uses"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("grant_id")))
                .col(big_integer(a("company_id")))
                .col(string_len(a("kind"), 16))
                .col(big_integer_null(a("account_id")))
                .col(string_len(a("subject"), 64))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("quota_uses", "grant_id", "quota_grants", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("quota_uses", "company", &["company_id", "created_at"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("favourites"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("account_id")))
                .col(string_len(a("kind"), 16))
                .col(big_integer(a("target_id")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("favourites", "account_id", "accounts", Cascade))
                .to_owned(),
        )
        .await?;
        m.create_index(index("favourites", "once", &["account_id", "kind", "target_id"], true)).await?;

        m.create_table(
            Table::create()
                .table(a("banned_words"))
                .col(big_pk_auto(a("id")))
                .col(big_integer(a("station_id")))
                .col(string_len(a("word"), 64))
                .col(big_integer_null(a("created_by")))
                .col(timestamp_with_time_zone(a("created_at")))
                .foreign_key(&mut fk("banned_words", "station_id", "stations", Restrict))
                .to_owned(),
        )
        .await?;
        m.create_index(index("banned_words", "word", &["station_id", "word"], true)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES.iter().chain(["recruiter_invites", "agency_clients", "companies"].iter()) {
            m.drop_table(Table::drop().table(Alias::new(*t)).to_owned()).await?;
        }
        Ok(())
    }
}
