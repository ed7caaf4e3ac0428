//! Behaviour for personalization (P8): while a seeker's personalization is on, the job pages they
//! open and the searches they run are kept for `privacy.behaviour_days` (then the retention job
//! deletes them). Interest tags — job categories — are inferred from them when asked; the person
//! sees and deletes them in the privacy center. Switched off, nothing is recorded, what was
//! recorded is deleted, and suggestions fall back to what an anonymous visitor gets.

use rencai_crypto::Sealed;
use rencai_domain::account::Role;
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_store::accounts::AccountRecord;
use rencai_store::behaviour::{self as store, KEYWORD};

use crate::{AppResult, AppState};

/// How many events make a category a tag.
pub const TAG_THRESHOLD: u64 = 2;

/// An interest tag as shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InterestTag {
    pub code: String,
    pub name: String,
    /// How many recent page views and searches it rests on.
    pub evidence: u64,
}

async fn recording(state: &AppState, account: &AccountRecord) -> AppResult<bool> {
    Ok(account.role == Role::Seeker && rencai_store::privacy::personalization(state.db().conn(), account.id).await?)
}

/// A seeker opened a job's page. Failures are logged, never shown: behaviour is not worth a
/// failed page.
pub async fn viewed_job(state: &AppState, account: &AccountRecord, job_public_id: &str) {
    let run = async {
        if !recording(state, account).await? {
            return Ok(());
        }
        let Some(job) = rencai_store::market::jobs::find_public(state.db().conn(), job_public_id).await? else {
            return Ok(());
        };
        store::record(state.db().conn(), account.id, "view", Some(&job.category), None, state.now()).await?;
        AppResult::Ok(())
    };
    if let Err(e) = run.await {
        tracing::warn!(error = %e, "recording a job view failed");
    }
}

/// A seeker searched the job list.
pub async fn searched(state: &AppState, account: &AccountRecord, keyword: Option<&str>, category: Option<&str>) {
    let keyword = keyword.map(str::trim).filter(|k| !k.is_empty());
    if keyword.is_none() && category.is_none() {
        return;
    }
    let run = async {
        if !recording(state, account).await? {
            return Ok(());
        }
        let sealed = keyword.map(|k| Sealed::seal(&state.keys().get(), KEYWORD, &k.to_string()).into_stored());
        store::record(state.db().conn(), account.id, "search", category, sealed, state.now()).await?;
        AppResult::Ok(())
    };
    if let Err(e) = run.await {
        tracing::warn!(error = %e, "recording a search failed");
    }
}

/// The tags inferred from the retention window's events, strongest first.
pub async fn tags(state: &AppState, account: &AccountRecord) -> AppResult<Vec<InterestTag>> {
    let since = state.now() - chrono::Duration::days(i64::from(state.settings().privacy.behaviour_days));
    let terms = crate::market::terms::get(state).await?;
    Ok(store::categories(state.db().conn(), account.id, since)
        .await?
        .into_iter()
        .filter(|(_, n)| *n >= TAG_THRESHOLD)
        .map(|(code, evidence)| InterestTag {
            name: terms.name(TaxonomyKind::JobCategory, &code).to_string(),
            code,
            evidence,
        })
        .collect())
}

/// Deletes one tag: the events it rests on are forgotten.
pub async fn delete_tag(state: &AppState, account: &AccountRecord, code: &str) -> AppResult<()> {
    store::forget_category(state.db().conn(), account.id, code).await?;
    Ok(())
}

/// Switching personalization off forgets every event at once.
pub async fn forget_all(state: &AppState, account: &AccountRecord) -> AppResult<()> {
    store::forget_all(state.db().conn(), account.id).await?;
    Ok(())
}
