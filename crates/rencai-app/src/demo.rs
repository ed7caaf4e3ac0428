//! Loading the demo data set into a database.

use rencai_crypto::Sealed;
use rencai_crypto::totp::TotpSecret;
use rencai_demo::{DEFAULT_SEED, DemoData, DemoSize};
use rencai_domain::account::{AgeGroup, Password, Phone, Role};
use rencai_domain::staff::StaffRole;
use rencai_store::TransactionTrait;
use rencai_store::accounts::{self, NewAccount};
use rencai_store::audit::{self, Actor, AuditEntry};
use rencai_store::rotation::TOTP_SECRET;

use crate::{AppError, AppResult, AppState};

/// The password of every demo account (demo mode only; printed at first start).
pub const DEMO_PASSWORD: &str = "rencai2026";

/// What a demo load did.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub accounts: usize,
    pub already_present: bool,
    /// One login per role: role, phone number, password.
    pub logins: Vec<(Role, String, &'static str)>,
    /// The demo administrator's phone number and TOTP secret (base32).
    pub admin_totp: Option<(String, String)>,
}

/// Loads the demo accounts unless the database already has accounts. `progress(done, total)`
/// is called as rows are written.
pub async fn load(state: &AppState, mut progress: impl FnMut(usize, usize)) -> AppResult<DemoSummary> {
    if accounts::count(state.db().conn()).await? > 0 {
        return Ok(DemoSummary { accounts: 0, already_present: true, logins: Vec::new(), admin_totp: None });
    }
    let data = DemoData::generate(DEFAULT_SEED, DemoSize::default());
    let keys = state.keys().get();
    let total = data.people.len();
    // One hash shared by every demo account keeps seeding fast.
    let password = Password::parse(DEMO_PASSWORD).map_err(AppError::internal)?;
    let hash = state.passwords().hash(&password).await?;
    let mut logins: Vec<(Role, String, &'static str)> = Vec::new();
    let mut admin_totp: Option<(String, String)> = None;
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
        rencai_store::auth::set_password(&txn, account.id, &hash, state.now()).await.map_err(AppError::internal)?;
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
    txn.commit().await.map_err(AppError::internal)?;
    audit::append(
        state.db().conn(),
        keys.audit_key(),
        &AuditEntry {
            actor: Actor::SYSTEM,
            action: "demo.load",
            subject: None,
            reason: None,
            detail: serde_json::json!({ "accounts": total, "seed": DEFAULT_SEED }),
        },
        state.now(),
    )
    .await
    .map_err(AppError::internal)?;
    Ok(DemoSummary { accounts: total, already_present: false, logins, admin_totp })
}
