//! The benchmark's data: jobs from the deterministic demo generator, as search documents and
//! as rows for the peers.

use rencai_demo::market::{DemoMarket, MarketSize};
use rencai_search::{JobDoc, Point};

/// A reference "now" (unix seconds) so runs are comparable.
pub const NOW: i64 = 1_796_000_000;

/// One job, in the form every engine indexes.
#[derive(Debug, Clone)]
pub struct Job {
    pub doc: JobDoc,
}

/// `n` jobs of a market of 300 employers and 6 agencies (seed 7): the same on every machine.
pub fn jobs(n: usize) -> Vec<Job> {
    let market = DemoMarket::generate(7, MarketSize { companies: 300, agencies: 6, jobs: n, resumes: 0 }, 0);
    market
        .jobs
        .iter()
        .enumerate()
        .map(|(i, j)| {
            let employer = &market.companies[j.company];
            let company = match j.agency {
                Some(a) => format!("{} {}", employer.name, market.companies[a].name),
                None => employer.name.clone(),
            };
            let age = i64::from(j.days_ago) * 86_400 + (i as i64 % 86_400);
            Job {
                doc: JobDoc {
                    id: i as i64 + 1,
                    public_id: format!("bench-{}", i + 1),
                    station_id: 1,
                    employer_id: j.company as i64 + 1,
                    title: j.title.clone(),
                    company,
                    description: j.description.clone(),
                    category: j.category.to_string(),
                    industry: j.industry.to_string(),
                    district: j.district.to_string(),
                    experience: j.experience.to_string(),
                    education: j.education.to_string(),
                    job_type: j.job_type.to_string(),
                    salary: j.salary,
                    campus: j.campus,
                    urgent: j.urgent,
                    verified: employer.verified,
                    top_until: (i % 97 == 0).then_some(NOW + 86_400),
                    refreshed_at: NOW - age,
                    published_at: NOW - age,
                    point: Point::checked(j.lat, j.lng),
                    card: Vec::new(),
                },
            }
        })
        .collect()
}
