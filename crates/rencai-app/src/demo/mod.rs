//! Loading the demo data set into a database.

use rencai_crypto::Sealed;
use rencai_crypto::totp::TotpSecret;
use rencai_demo::market::MarketSize;
use rencai_demo::{DEFAULT_SEED, DemoData, DemoSize};
use rencai_domain::account::{AgeGroup, Password, Phone, Role};
use rencai_domain::staff::StaffRole;
use rencai_store::TransactionTrait;
use rencai_store::accounts::{self, NewAccount};
use rencai_store::audit::{self, Actor, AuditEntry};
use rencai_store::rotation::TOTP_SECRET;

pub mod market;

use crate::{AppError, AppResult, AppState};

/// The password of every demo account (demo mode only; printed at first start).
pub const DEMO_PASSWORD: &str = "rencai2026";

/// What a demo load did.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub accounts: usize,
    pub companies: usize,
    pub jobs: usize,
    pub resumes: usize,
    pub already_present: bool,
    /// One login per role: role, phone number, password.
    pub logins: Vec<(Role, String, &'static str)>,
    /// The demo administrator's phone number and TOTP secret (base32).
    pub admin_totp: Option<(String, String)>,
}

/// How much demo data to load.
#[derive(Debug, Clone, Copy)]
pub struct DemoScale {
    pub market: MarketSize,
    pub seekers: usize,
}

impl DemoScale {
    /// What first start in demo mode loads: 300 employers, 6 agencies, 3,000 jobs, 2,000
    /// seekers with 2,400 resumes.
    pub fn full() -> Self {
        Self { market: MarketSize { companies: 300, agencies: 6, jobs: 3000, resumes: 2400 }, seekers: 2000 }
    }

    /// A small set for tests: a dozen employers, a few agencies, 60 jobs, 40 seekers.
    pub fn small() -> Self {
        Self { market: MarketSize { companies: 12, agencies: 3, jobs: 60, resumes: 48 }, seekers: 40 }
    }

    /// `rencai demo --jobs N --resumes M`: the full set's organisations, scaled jobs and resumes.
    pub fn scaled(jobs: usize, resumes: usize) -> Self {
        let seekers = (resumes * 5 / 6).max(1);
        let companies = (jobs / 10).clamp(12, 20_000);
        Self { market: MarketSize { companies, agencies: (companies / 50).max(3), jobs, resumes }, seekers }
    }

    /// The accounts behind it: one per seeker and per organisation, and two staff.
    pub fn people(&self) -> DemoSize {
        DemoSize { seekers: self.seekers, companies: self.market.companies, agencies: self.market.agencies, staff: 2 }
    }
}

/// Loads the demo data unless the database already has accounts. `progress(done, total)` is
/// called as rows are written.
pub async fn load(
    state: &AppState,
    scale: &DemoScale,
    mut progress: impl FnMut(usize, usize),
) -> AppResult<DemoSummary> {
    if accounts::count(state.db().conn()).await? > 0 {
        return Ok(DemoSummary { already_present: true, ..Default::default() });
    }
    let data = DemoData::generate(DEFAULT_SEED, scale.people());
    let market = rencai_demo::market::DemoMarket::generate(DEFAULT_SEED, scale.market, scale.seekers);
    let keys = state.keys().get();
    let total = data.people.len() + market.companies.len() + market.jobs.len() + market.resumes.len();
    // One hash shared by every demo account keeps seeding fast.
    let password = Password::parse(DEMO_PASSWORD).map_err(AppError::internal)?;
    let hash = state.passwords().hash(&password).await?;
    let mut logins: Vec<(Role, String, &'static str)> = Vec::new();
    let mut admin_totp: Option<(String, String)> = None;
    let mut ids: Vec<(Role, i64)> = Vec::with_capacity(data.people.len());
    // P3: demo people accepted the texts in force, as registration records it.
    let privacy = crate::legal::current(state, rencai_store::legal::LegalKind::Privacy).await?.version;
    let terms = crate::legal::current(state, rencai_store::legal::LegalKind::Terms).await?.version;
    let demo_ip = Sealed::seal(&keys, rencai_store::rotation::CONSENT_IP, &"127.0.0.1".to_string());
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    for (i, p) in data.people.iter().enumerate() {
        let phone = Phone::parse(&p.phone).map_err(AppError::internal)?;
        let new = NewAccount {
            station_id: state.station().id,
            role: p.role,
            name: Some(p.name.clone()),
            phone,
            email: p.email.clone(),
            birth_date: None,
            age_group: AgeGroup::Adult,
            minor_basis: None,
        };
        let account = accounts::create(&txn, &keys, &new, state.now()).await?;
        ids.push((p.role, account.id));
        rencai_store::auth::set_password(&txn, account.id, &hash, state.now()).await.map_err(AppError::internal)?;
        if p.role != Role::Staff {
            rencai_store::auth::record_consent(&txn, account.id, &privacy, &terms, demo_ip.as_stored(), state.now())
                .await
                .map_err(AppError::internal)?;
        }
        if p.role == Role::Staff {
            // The first demo staff member administers; the second is the data-protection officer.
            let role = if admin_totp.is_none() { StaffRole::Administrator } else { StaffRole::DataProtectionOfficer };
            let secret = TotpSecret::generate();
            let sealed = Sealed::seal(&keys, TOTP_SECRET, &secret.to_base32());
            rencai_store::staff::insert(&txn, account.id, role.as_str(), sealed.as_stored(), None, state.now())
                .await
                .map_err(AppError::internal)?;
            if admin_totp.is_none() {
                admin_totp = Some((p.phone.clone(), secret.to_base32()));
            }
        } else if !logins.iter().any(|(r, _, _)| *r == p.role) {
            logins.push((p.role, p.phone.clone(), DEMO_PASSWORD));
        }
        progress(i + 1, total);
    }
    let by_role = |role: Role| ids.iter().filter(|(r, _)| *r == role).map(|(_, id)| *id).collect::<Vec<_>>();
    let names: Vec<&str> = data.people.iter().filter(|p| p.role == Role::Seeker).map(|p| p.name.as_str()).collect();
    let done = data.people.len();
    self::market::load(
        state,
        &txn,
        &market,
        &by_role(Role::Company),
        &by_role(Role::Agency),
        &by_role(Role::Seeker),
        &names,
        |n| progress(done + n, total),
    )
    .await?;
    txn.commit().await.map_err(AppError::internal)?;
    audit::append(
        state.db().conn(),
        keys.audit_key(),
        &AuditEntry {
            actor: Actor::SYSTEM,
            action: "demo.load",
            subject: None,
            reason: None,
            detail: serde_json::json!({
                "accounts": data.people.len(),
                "companies": market.companies.len(),
                "jobs": market.jobs.len(),
                "resumes": market.resumes.len(),
                "seed": DEFAULT_SEED
            }),
        },
        state.now(),
    )
    .await
    .map_err(AppError::internal)?;
    Ok(DemoSummary {
        accounts: data.people.len(),
        companies: market.companies.len(),
        jobs: market.jobs.len(),
        resumes: market.resumes.len(),
        already_present: false,
        logins,
        admin_totp,
    })
}
