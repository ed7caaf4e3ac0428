//! A job row as the search index holds it. Only public content: contact details stay out.

use rencai_search::{JobDoc, Point};
use rencai_store::market::jobs::JobRow;

/// The index document of a job.
pub fn job_doc(j: &JobRow) -> JobDoc {
    let company = match &j.agency_name {
        Some(agency) => format!("{} {agency}", j.employer_name),
        None => j.employer_name.clone(),
    };
    JobDoc {
        id: j.id,
        public_id: j.public_id.clone(),
        station_id: j.station_id,
        employer_id: j.employer_id,
        title: j.title.clone(),
        company,
        description: j.description.clone(),
        category: j.category.clone(),
        industry: j.industry.clone(),
        district: j.district.clone(),
        experience: j.experience.clone(),
        education: j.education.clone(),
        job_type: j.job_type.clone(),
        salary: j.salary(),
        campus: j.campus,
        urgent: j.urgent,
        verified: j.employer_verification == "verified",
        top_until: j.top_until.map(|t| t.timestamp()),
        refreshed_at: j.refreshed_at.timestamp(),
        published_at: j.published_at.unwrap_or(j.created_at).timestamp(),
        point: match (j.lat, j.lng) {
            (Some(lat), Some(lng)) => Point::checked(lat, lng),
            _ => None,
        },
        card: super::card::encode(j),
    }
}

/// Whether a job belongs in the public index.
pub fn is_public(j: &JobRow) -> bool {
    j.status == "published"
}
