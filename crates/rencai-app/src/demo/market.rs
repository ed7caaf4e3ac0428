//! Loads the demo marketplace — organisations, agencies' clients, jobs, resumes and light
//! posts — in the demo loader's transaction, straight through the store (the generator's data
//! already obeys the posting rules; a test checks that).

use chrono::Duration;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rencai_demo::market::DemoMarket;
use rencai_domain::mask::Gender;
use rencai_domain::resume::{Certificate, Education, Intention, ResumeContent, Skill, WorkExperience};
use rencai_store::DatabaseTransaction;
use rencai_store::market::companies::{self as orgs, CompanyFields};
use rencai_store::market::jobs::{self, JobFields, Poster};
use rencai_store::market::light::{self, LightFields};
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
    // Published jobs in the generator's order, for the demo applications below.
    let mut live: Vec<jobs::JobRow> = Vec::new();
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
        if j.status == "published" {
            live.push(row.clone());
        }
        // Spread over the day as real postings are (a list ordered by time meets few ties);
        // today's stay today in China (UTC+8, no daylight saving).
        let day_part = if j.days_ago == 0 { (now.timestamp() + 8 * 3_600).rem_euclid(86_400).max(1) } else { 86_400 };
        let published = now - Duration::days(i64::from(j.days_ago)) - Duration::seconds(done as i64 * 7_919 % day_part);
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
    let mut sendable = Vec::new();
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
        let row = resumes::create(txn, &keys, station, *seeker, &fields, r.visibility, r.shown_to_companies, now)
            .await
            .map_err(AppError::from)?;
        if r.visibility != "hidden" && c.is_complete_for_applying(state.settings().market.min_completeness_to_apply) {
            sendable.push(row);
        }
        done += 1;
        progress(done);
    }
    applications(state, txn, &live, &sendable, employers.first().copied()).await?;
    light_posts(state, txn, m, employers, seekers).await
}

/// Published 速聘 and 一句话求职 posts, so `/quick` and `/wanted` have something to list and
/// search: small shops' (individually owned or under 20 people) jobs put briefly, and one-line posts
/// written from public resumes. Spread over the days they stay up.
async fn light_posts(
    state: &AppState,
    txn: &DatabaseTransaction,
    m: &DemoMarket,
    employers: &[i64],
    seekers: &[i64],
) -> AppResult<()> {
    let keys = state.keys().get();
    let (now, station) = (state.now(), state.station().id);
    let mut rng = ChaCha8Rng::seed_from_u64(rencai_demo::DEFAULT_SEED ^ 0x4c49_4748);
    let short = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    let publish = async |kind: &str, account: i64, fields: LightFields, k: usize, days: i64| {
        // Posted within the days it stays up (minus one), a prime step apart.
        let posted = now - Duration::minutes((k as i64 * 97) % ((days - 1) * 24 * 60));
        let row = light::create(txn, &keys, station, kind, account, &fields, posted).await?;
        light::transition(txn, &row, "published", None, Some(posted + Duration::days(days)), posted).await?;
        AppResult::Ok(())
    };
    let small_shops = m.jobs.iter().filter(|j| {
        j.status == "published"
            && j.agency.is_none()
            && m.companies.get(j.company).is_some_and(|c| c.ownership == "individual" || c.size == "lt-20")
    });
    for (k, j) in small_shops.take((m.jobs.len() / 50).clamp(5, 400)).enumerate() {
        let Some(account) = employers.get(j.company) else { continue };
        let fields = LightFields {
            title: short(&j.title, 30),
            body: short(&j.description, 300),
            district: j.district.into(),
            category: j.category.into(),
            salary: j.salary,
            contact_phone: Some(rencai_demo::phone_number(&mut rng)),
        };
        publish("quick", *account, fields, k, 15).await?;
    }
    let public = m.resumes.iter().filter(|r| r.visibility == "public" && !r.skills.is_empty());
    for (k, r) in public.take((m.resumes.len() / 20).clamp(5, 150)).enumerate() {
        let (Some(account), Some(category)) = (seekers.get(r.seeker), r.categories.first()) else { continue };
        let skills: Vec<&str> = r.skills.iter().take(2).map(|(s, _)| s.as_str()).collect();
        let line = short(&format!("会{}，想找{}方面的工作，能尽快到岗", skills.join("、"), r.title), 60);
        let fields = LightFields {
            title: short(&line, 20),
            body: line,
            district: r.current_district.into(),
            category: (*category).into(),
            salary: None,
            contact_phone: None,
        };
        publish("wanted", *account, fields, k, 30).await?;
    }
    Ok(())
}

/// Demo applications at every stage of the pipeline, with their history and interviews, so
/// the demo company login finds a pipeline to work (its jobs receive the first seekers'
/// applications) and the first seekers find applications of their own.
async fn applications(
    state: &AppState,
    txn: &DatabaseTransaction,
    live: &[jobs::JobRow],
    sendable: &[resumes::ResumeRow],
    demo_recruiter: Option<i64>,
) -> AppResult<()> {
    use rencai_domain::application::{InterviewDetails, Stage};
    use rencai_store::market::applications as store;
    const PATH: [Stage; 6] =
        [Stage::New, Stage::Viewed, Stage::Shortlisted, Stage::Interview, Stage::Offered, Stage::Hired];
    const ENDS: [Stage; 8] = [
        Stage::New,
        Stage::Viewed,
        Stage::Shortlisted,
        Stage::Interview,
        Stage::Offered,
        Stage::Rejected,
        Stage::Hired,
        Stage::Withdrawn,
    ];
    if live.is_empty() {
        return Ok(());
    }
    let keys = state.keys().get();
    let now = state.now();
    // The demo company login's own jobs, so its pipeline is not empty.
    let mut featured: Vec<&jobs::JobRow> =
        live.iter().filter(|j| Some(j.owner_account_id) == demo_recruiter).take(2).collect();
    if featured.is_empty() {
        featured.push(&live[0]);
    }
    let mut seen = std::collections::HashSet::new();
    for (k, r) in sendable.iter().take(60).enumerate() {
        for t in 0..2usize {
            // The first company's first two jobs get the first applicants; the rest spread.
            let job = if k < 12 { featured[t % featured.len()] } else { &live[(k * 7 + t * 13) % live.len()] };
            if !seen.insert((r.seeker_id, job.id)) {
                continue;
            }
            let sent = now - Duration::hours(((k * 5 + t * 11) % 96 + 2) as i64);
            let (id, _) =
                store::insert(txn, state.station().id, job.id, job.employer_id, job.agency_id, r.id, r.seeker_id, sent)
                    .await?;
            let end = ENDS[(k + t * 3) % ENDS.len()];
            let path: Vec<Stage> = match end {
                Stage::Rejected => vec![Stage::Viewed, Stage::Rejected],
                Stage::Withdrawn => vec![Stage::Withdrawn],
                _ => PATH.iter().copied().skip(1).take_while(|s| *s <= end).collect(),
            };
            let mut at = sent;
            let mut from = Stage::New;
            for stage in path {
                at += Duration::minutes(90);
                store::set_stage(txn, id, from.as_str(), stage.as_str(), at).await?;
                store::add_event(txn, id, stage.as_str(), Some(job.owner_account_id), None, at).await?;
                if stage == Stage::Interview {
                    let details = InterviewDetails {
                        place: job.address.clone(),
                        contact_name: "人事部 张女士".into(),
                        contact_phone: "13800000000".into(),
                        note: Some("请携带身份证和简历".into()),
                    };
                    let sealed = rencai_crypto::Sealed::seal(&keys, store::INTERVIEW_DETAILS, &details).into_stored();
                    // A working day's morning or afternoon, Beijing time.
                    let day = rencai_domain::time::china_day(now) + chrono::Days::new(((k + t) % 5 + 1) as u64);
                    let starts = day
                        .and_hms_opt(if k % 2 == 0 { 10 } else { 14 }, 30, 0)
                        .and_then(|d| d.and_local_timezone(rencai_domain::time::china()).single())
                        .map(|d| d.with_timezone(&chrono::Utc))
                        .unwrap_or(now);
                    store::insert_interview(txn, id, starts, 60, "onsite", sealed, job.owner_account_id, at).await?;
                }
                from = stage;
            }
            if matches!(end, Stage::Offered | Stage::Hired) {
                for i in store::interviews_of(txn, id).await? {
                    store::answer_interview(txn, i.id, "accepted", None, at).await?;
                }
            }
        }
    }
    Ok(())
}
