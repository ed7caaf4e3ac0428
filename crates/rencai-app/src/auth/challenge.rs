//! CAPTCHA challenges: issued with an opaque id, the answer kept only as a keyed hash, good
//! for one try within ten minutes.

use rencai_crypto::{BlindIndex, FieldContext};

use crate::{AppError, AppResult, AppState};

const ANSWER: FieldContext = FieldContext("captcha.answer");

fn answer_hash(keys: &rencai_crypto::Keyring, id: &str, normalized: &str) -> String {
    BlindIndex::compute(keys, ANSWER, &format!("{id}|{normalized}")).into_string()
}

/// A new challenge: its id and the SVG to show.
pub async fn issue(state: &AppState) -> AppResult<(String, String)> {
    // The thread-local RNG must be gone before the await: it cannot cross threads.
    let captcha = crate::captcha::generate(&mut rand::rng());
    issue_drawn(state, captcha).await
}

/// Stores an already drawn challenge (tests draw one from a seeded generator, so they know
/// the answer without any way around the check).
pub async fn issue_drawn(state: &AppState, captcha: crate::captcha::Captcha) -> AppResult<(String, String)> {
    let id = uuid::Uuid::new_v4().to_string();
    let hash = answer_hash(&state.keys().get(), &id, &captcha.answer);
    rencai_store::auth::captcha_create(state.db().conn(), &id, &hash, state.now() + chrono::Duration::minutes(10))
        .await
        .map_err(AppError::internal)?;
    Ok((id, captcha.svg))
}

/// Whether `answer` solves challenge `id`. The challenge is used up either way.
pub async fn check(state: &AppState, id: &str, answer: &str) -> AppResult<bool> {
    let Some(stored) =
        rencai_store::auth::captcha_take(state.db().conn(), id, state.now()).await.map_err(AppError::internal)?
    else {
        return Ok(false);
    };
    let given = answer_hash(&state.keys().get(), id, &crate::captcha::normalize(answer));
    Ok(crate::captcha::answer_matches(&stored, &given))
}
