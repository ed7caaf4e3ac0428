//! The card a job document carries: what a list shows of the job, so a list page reads no
//! table. Stored in postcard form with times as (seconds, nanoseconds): reading twenty JSON
//! cards with RFC 3339 times was a fifth of a keyword list request.
//!
//! Changing this layout changes the documents: bump `rencai_search::jobs::SCHEMA_VERSION` so
//! indexes holding the old layout are rebuilt on start.

use chrono::{DateTime, Utc};
use rencai_store::market::jobs::JobRow;
use serde::{Deserialize, Serialize};

/// A time as postcard stores it cheaply.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Time(i64, u32);

impl Time {
    fn of(t: DateTime<Utc>) -> Self {
        Time(t.timestamp(), t.timestamp_subsec_nanos())
    }

    fn at(self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.0, self.1).unwrap_or_default()
    }
}

/// The job row without its contact details and review notes (lists never show them).
#[derive(Debug, Serialize, Deserialize)]
struct Card<'a> {
    id: i64,
    public_id: &'a str,
    station_id: i64,
    employer_id: i64,
    agency_id: Option<i64>,
    owner_account_id: i64,
    title: &'a str,
    category: &'a str,
    industry: &'a str,
    district: &'a str,
    address: &'a str,
    lat: Option<f64>,
    lng: Option<f64>,
    salary_min: Option<i32>,
    salary_max: Option<i32>,
    education: &'a str,
    experience: &'a str,
    job_type: &'a str,
    headcount: i32,
    benefits: &'a str,
    description: &'a str,
    campus: bool,
    urgent: bool,
    status: &'a str,
    top_until: Option<Time>,
    refreshed_at: Time,
    published_at: Option<Time>,
    expires_at: Option<Time>,
    created_at: Time,
    updated_at: Time,
    employer_name: &'a str,
    employer_public_id: &'a str,
    employer_verification: &'a str,
    agency_name: Option<&'a str>,
}

/// The card of a job.
pub fn encode(j: &JobRow) -> Vec<u8> {
    let card = Card {
        id: j.id,
        public_id: &j.public_id,
        station_id: j.station_id,
        employer_id: j.employer_id,
        agency_id: j.agency_id,
        owner_account_id: j.owner_account_id,
        title: &j.title,
        category: &j.category,
        industry: &j.industry,
        district: &j.district,
        address: &j.address,
        lat: j.lat,
        lng: j.lng,
        salary_min: j.salary_min,
        salary_max: j.salary_max,
        education: &j.education,
        experience: &j.experience,
        job_type: &j.job_type,
        headcount: j.headcount,
        benefits: &j.benefits,
        description: &j.description,
        campus: j.campus,
        urgent: j.urgent,
        status: &j.status,
        top_until: j.top_until.map(Time::of),
        refreshed_at: Time::of(j.refreshed_at),
        published_at: j.published_at.map(Time::of),
        expires_at: j.expires_at.map(Time::of),
        created_at: Time::of(j.created_at),
        updated_at: Time::of(j.updated_at),
        employer_name: &j.employer_name,
        employer_public_id: &j.employer_public_id,
        employer_verification: &j.employer_verification,
        agency_name: j.agency_name.as_deref(),
    };
    // Writing plain data to a growing vector cannot fail.
    postcard::to_allocvec(&card).unwrap_or_default()
}

/// The job row a card was made from, contact details and review notes blank.
pub fn decode(bytes: &[u8]) -> Result<JobRow, postcard::Error> {
    let c: Card<'_> = postcard::from_bytes(bytes)?;
    Ok(JobRow {
        id: c.id,
        public_id: c.public_id.into(),
        station_id: c.station_id,
        employer_id: c.employer_id,
        agency_id: c.agency_id,
        owner_account_id: c.owner_account_id,
        title: c.title.into(),
        category: c.category.into(),
        industry: c.industry.into(),
        district: c.district.into(),
        address: c.address.into(),
        lat: c.lat,
        lng: c.lng,
        salary_min: c.salary_min,
        salary_max: c.salary_max,
        education: c.education.into(),
        experience: c.experience.into(),
        job_type: c.job_type.into(),
        headcount: c.headcount,
        benefits: c.benefits.into(),
        description: c.description.into(),
        contact_name_sealed: String::new(),
        contact_phone_sealed: String::new(),
        campus: c.campus,
        urgent: c.urgent,
        status: c.status.into(),
        reject_reason: None,
        top_until: c.top_until.map(Time::at),
        refreshed_at: c.refreshed_at.at(),
        published_at: c.published_at.map(Time::at),
        expires_at: c.expires_at.map(Time::at),
        created_at: c.created_at.at(),
        updated_at: c.updated_at.at(),
        employer_name: c.employer_name.into(),
        employer_public_id: c.employer_public_id.into(),
        employer_verification: c.employer_verification.into(),
        agency_name: c.agency_name.map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> JobRow {
        let t = |s: i64| DateTime::from_timestamp(1_790_000_000 + s, 123_456_789).unwrap();
        JobRow {
            id: 7,
            public_id: "01a2-job".into(),
            station_id: 1,
            employer_id: 3,
            agency_id: Some(4),
            owner_account_id: 9,
            title: "会计".into(),
            category: "office-accountant".into(),
            industry: "it".into(),
            district: "wz-taibai".into(),
            address: "太白路 1 号".into(),
            lat: Some(30.8),
            lng: Some(108.4),
            salary_min: Some(4_000),
            salary_max: Some(6_000),
            education: "college".into(),
            experience: "1-3".into(),
            job_type: "full-time".into(),
            headcount: 2,
            benefits: ",meals,".into(),
            description: "岗位要求：\n1、细心\t\"踏实\"".into(),
            contact_name_sealed: "sealed-name-王经理".into(),
            contact_phone_sealed: "sealed-phone-13812345678".into(),
            campus: false,
            urgent: true,
            status: "published".into(),
            reject_reason: Some("审核备注".into()),
            top_until: Some(t(86_400)),
            refreshed_at: t(1),
            published_at: Some(t(2)),
            expires_at: None,
            created_at: t(3),
            updated_at: t(4),
            employer_name: "万州某公司".into(),
            employer_public_id: "01a2-org".into(),
            employer_verification: "verified".into(),
            agency_name: Some("某人力".into()),
        }
    }

    #[test]
    fn a_card_reads_back_as_the_public_row_to_the_nanosecond() {
        let j = row();
        assert_eq!(decode(&encode(&j)).unwrap(), j.public_copy());
    }

    #[test]
    fn a_card_holds_no_contact_details_or_review_notes() {
        let bytes = encode(&row());
        for secret in ["sealed-name", "sealed-phone", "13812345678", "王经理", "审核备注"] {
            assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "the card holds {secret}");
        }
        assert!(bytes.windows("太白路".len()).any(|w| w == "太白路".as_bytes()), "strings are stored as they are");
    }

    #[test]
    fn a_damaged_card_is_an_error() {
        let bytes = encode(&row());
        assert!(decode(&bytes[..bytes.len() / 2]).is_err());
        assert!(decode(b"{\"title\":\"json\"}").is_err());
    }
}
