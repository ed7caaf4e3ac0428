//! Loads the demo marketplace — organisations, agencies' clients, jobs and resumes — in the
//! demo loader's transaction, straight through the store (the generator's data already obeys
//! the posting rules; a test checks that).

use chrono::Duration;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rencai_demo::market::DemoMarket;
use rencai_domain::mask::Gender;
use rencai_domain::resume::{Certificate, Education, Intention, ResumeContent, Skill, WorkExperience};
use rencai_store::DatabaseTransaction;
use rencai_store::market::companies::{self as orgs, CompanyFields};
use rencai_store::market::jobs::{self, JobFields, Poster};
use rencai_store::market::{quota as quota_store, resumes};

use crate::{AppError, AppResult, AppState};

/// Loads `m`. `employers` and `agencies` are the accounts that become each organisation's
/// primary recruiter, in the generator's order; `seekers` and `names` the seeker accounts.
#[allow(clippy::too_many_arguments)]
pub(super) async fn load(
    state: &AppState,
    txn: &DatabaseTransaction,
    m: &DemoMarket,
    employers: &[i64],
    agencies: &[i64],
    seekers: &[i64],
    names: &[&str],
    mut progress: impl FnMut(usize),
) -> AppResult<()> {
    let keys = state.keys().get();
    let now = state.now();
    let station = state.station().id;
    let job_days = i64::from(state.settings().market.job_days);
    let mut done = 0;
    let mut org_ids = Vec::with_capacity(m.companies.len());
    let mut open_jobs = vec![0u32; m.companies.len()];
    for j in &m.jobs {
        if let Some(n) = open_jobs.get_mut(j.agency.unwrap_or(j.company)) {
            *n += 1;
        }
    }
    let (mut e, mut a) = (employers.iter(), agencies.iter());
    for c in &m.companies {
        let account = if c.kind == "agency" { a.next() } else { e.next() };
        let Some(account) = account else { break };
        let fields = CompanyFields {
            name: c.name.clone(),
            credit_code: c.credit_code.clone(),
            industry: c.industry.into(),
            size: c.size.into(),
            ownership: c.ownership.into(),
            district: c.district.into(),
            address: c.address.clone(),
            point: Some((c.lat, c.lng)),
            intro: c.intro.clone(),
            contact_name: c.contact_name.clone(),
        };
        let org =
            orgs::create(txn, &keys, station, c.kind, &fields, *account, crate::market::companies::PLEDGE_VERSION, now)
                .await?;
        let to = if c.verified { "verified" } else { "pending" };
        orgs::set_verification(txn, org.id, &["unverified"], to, None, now).await?;
        crate::market::quota::grant_free(state, txn, org.id, now).await?;
        // Demo recruiters have passed the real-name check (with made-up, well-formed numbers).
        let first17 = format!(
            "500101{}{:02}{:02}{:03}",
            1975 + org_ids.len() % 25,
            1 + org_ids.len() % 12,
            1 + org_ids.len() % 28,
            org_ids.len() % 1000
        );
        if let Some(check) = rencai_domain::identity::id_check_char(&first17) {
            orgs::set_real_name(txn, &keys, *account, &c.contact_name, &format!("{first17}{check}"), now).await?;
        }
        // Demo organisations hold more open jobs than the free grant covers.
        let open = open_jobs.get(org_ids.len()).copied().unwrap_or(0);
        if open > 0 {
            quota_store::grant(txn, org.id, "job_slot", open, now, now + Duration::days(365), "演示数据", None, now)
                .await?;
        }
        org_ids.push(org.id);
        done += 1;
        progress(done);
    }
    // Every agency-client pair the jobs use is declared and verified.
    let mut pairs: Vec<(usize, usize)> = m.jobs.iter().filter_map(|j| j.agency.map(|a| (a, j.company))).collect();
    pairs.sort_unstable();
    pairs.dedup();
    for (agency, client) in pairs {
        let (Some(agency), Some(client)) = (org_ids.get(agency), org_ids.get(client)) else { continue };
        orgs::declare_client(txn, *agency, *client, "演示数据：委托招聘协议", now).await?;
        orgs::decide_client(txn, *agency, *client, true, None, now).await?;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(rencai_demo::DEFAULT_SEED ^ 0x4a4f4253);
    for j in &m.jobs {
        let (Some(employer), Some(owner)) = (org_ids.get(j.company), employers.get(j.company)) else { continue };
        let agency_id = j.agency.and_then(|a| org_ids.get(a).copied());
        let owner = match j.agency {
            Some(a) => agencies.get(a.saturating_sub(employers.len())).copied().unwrap_or(*owner),
            None => *owner,
        };
        let fields = JobFields {
            title: j.title.clone(),
            category: j.category.into(),
            industry: j.industry.into(),
            district: j.district.into(),
            address: j.address.clone(),
            point: Some((j.lat, j.lng)),
            salary: j.salary,
            education: j.education.into(),
            experience: j.experience.into(),
            job_type: j.job_type.into(),
            headcount: j.headcount,
            benefits: j.benefits.iter().map(|b| b.to_string()).collect(),
            description: j.description.clone(),
            contact_name: j.contact_name.clone(),
            contact_phone: rencai_demo::phone_number(&mut rng),
            campus: j.campus,
            urgent: j.urgent,
        };
        let poster = Poster { station_id: station, employer_id: *employer, agency_id, owner_account_id: owner };
        let row = jobs::create(txn, &keys, poster, &fields, j.status, now).await?;
        let published = now - Duration::days(i64::from(j.days_ago)) - Duration::minutes(i64::from(j.days_ago % 7) * 37);
        match j.status {
            "published" | "closed" => {
                jobs::set_times(txn, row.id, Some(published), Some(published + Duration::days(job_days)), published)
                    .await?
            }
            "expired" => {
                let p = now - Duration::days(job_days + i64::from(j.days_ago) + 1);
                jobs::set_times(txn, row.id, Some(p), Some(p + Duration::days(job_days)), p).await?
            }
            _ => jobs::set_times(txn, row.id, None, None, published).await?,
        }
        done += 1;
        progress(done);
    }
    for r in &m.resumes {
        let (Some(seeker), Some(name)) = (seekers.get(r.seeker), names.get(r.seeker)) else { continue };
        let c = ResumeContent {
            title: r.title.clone(),
            full_name: name.to_string(),
            gender: Gender::parse(r.gender).unwrap_or(Gender::Unspecified),
            birth_year: Some(r.birth_year),
            education_level: r.education_level.into(),
            experience_level: r.experience_level.into(),
            current_district: r.current_district.into(),
            intention: Intention {
                categories: r.categories.iter().map(|s| s.to_string()).collect(),
                industries: r.industries.iter().map(|s| s.to_string()).collect(),
                districts: r.districts.iter().map(|s| s.to_string()).collect(),
                salary_min: r.salary.map(|s| s.0),
                salary_max: r.salary.map(|s| s.1),
                job_type: r.job_type.into(),
            },
            education: r
                .education
                .iter()
                .map(|(school, major, degree, start, end)| Education {
                    school: school.clone(),
                    major: major.clone(),
                    degree: degree.to_string(),
                    start: start.clone(),
                    end: end.clone(),
                })
                .collect(),
            work: r
                .work
                .iter()
                .map(|(company, title, start, end, description)| WorkExperience {
                    company: company.clone(),
                    title: title.clone(),
                    start: start.clone(),
                    end: end.clone(),
                    description: description.clone(),
                })
                .collect(),
            projects: Vec::new(),
            skills: r.skills.iter().map(|(n, l)| Skill { name: n.clone(), level: l.to_string() }).collect(),
            certificates: r
                .certificates
                .iter()
                .map(|(n, i)| Certificate { name: n.clone(), issued: i.clone() })
                .collect(),
            self_intro: r.self_intro.clone(),
        };
        let fields = crate::market::resumes::fields(&c, r.email.clone())?;
        resumes::create(txn, &keys, station, *seeker, &fields, r.visibility, r.shown_to_companies, now)
            .await
            .map_err(AppError::from)?;
        done += 1;
        progress(done);
    }
    Ok(())
}
