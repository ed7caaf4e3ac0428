//! `GET /api/v1/quick` and `GET /api/v1/wanted`: the 速聘 and 一句话求职 lists for apps, searched
//! like the pages. A quick post's phone is answered to signed-in seekers, as on the page; a
//! one-line post's phone is never in a list (a verified recruiter reveals it on the site, and
//! each reveal is a disclosure the seeker sees).

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use rencai_app::AppState;
use rencai_app::market::light::{self, LightFilters, LightKind, LightList};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::market::{MaybeBearer, TextPiece, page_cap, text_pieces};
use crate::WebError;
use crate::extract::{ClientIp, ValidQuery};

/// A published light post.
#[derive(Debug, Serialize, ToSchema)]
pub struct LightPostDto {
    pub id: String,
    /// `quick` or `wanted`.
    pub kind: String,
    /// The title with the matched words marked.
    pub title_pieces: Vec<TextPiece>,
    /// The text with the matched words marked.
    pub body_pieces: Vec<TextPiece>,
    pub district: String,
    pub category: String,
    /// CNY a month (quick posts); null: 面议.
    pub salary_min: Option<u32>,
    pub salary_max: Option<u32>,
    pub posted_at: String,
    pub expires_at: Option<String>,
    /// A quick post's phone, for a signed-in seeker (and the post's author).
    pub contact_phone: Option<String>,
}

/// A page of light posts.
#[derive(Debug, Serialize, ToSchema)]
pub struct LightListDto {
    pub total: u64,
    /// `total` is a floor (10,000).
    pub total_capped: bool,
    pub page: u32,
    pub items: Vec<LightPostDto>,
    /// No post had every word of `q`; these have some of them.
    pub relaxed: bool,
}

/// Filters of the light lists, the same as the pages'.
#[derive(Debug, Deserialize, IntoParams)]
#[allow(dead_code)]
pub struct LightParams {
    /// Words, a sentence or pinyin, matched in titles and texts.
    q: Option<String>,
    district: Option<String>,
    /// A job category; a parent category matches its children.
    category: Option<String>,
    /// Pages reach at most the first 1,000 posts (20 a page).
    page: Option<u64>,
}

async fn list(
    state: AppState,
    ip: std::net::IpAddr,
    user: MaybeBearer,
    f: LightFilters,
    kind: LightKind,
) -> Result<Response, WebError> {
    page_cap(&state, ip, user.0.is_some())?;
    let LightList { page, capped, relaxed } = light::public_list(&state, kind, &f).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for item in &page.items {
        let p = &item.post;
        let contact_phone = match (kind, &user.0) {
            (LightKind::Quick, Some(u)) => light::quick_contact(&state, &u.account, p).await?,
            _ => None,
        };
        items.push(LightPostDto {
            id: p.public_id.clone(),
            kind: p.kind.clone(),
            title_pieces: text_pieces(&item.title),
            body_pieces: text_pieces(&item.body),
            district: p.district.clone(),
            category: p.category.clone(),
            salary_min: p.salary().map(|s| s.0),
            salary_max: p.salary().map(|s| s.1),
            posted_at: p.created_at.to_rfc3339(),
            expires_at: p.expires_at.map(|t| t.to_rfc3339()),
            contact_phone,
        });
    }
    let dto = LightListDto { total: page.total, total_capped: capped, page: page.page as u32, items, relaxed };
    Ok(Json(dto).into_response())
}

/// Published 速聘 quick-hire posts: by relevance with `q`, newest first without.
#[utoipa::path(get, path = "/api/v1/quick", tag = "light", params(LightParams),
    responses((status = 200, body = LightListDto),
        (status = 422, description = "Unknown filter code or a page too deep", body = super::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Page cap for visitors", body = super::Problem, content_type = "application/problem+json")))]
pub async fn quick(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: MaybeBearer,
    ValidQuery(f): ValidQuery<LightFilters>,
) -> Result<Response, WebError> {
    list(state, ip, user, f, LightKind::Quick).await
}

/// Published 一句话求职 one-line posts by seekers: by relevance with `q`, newest first without.
#[utoipa::path(get, path = "/api/v1/wanted", tag = "light", params(LightParams),
    responses((status = 200, body = LightListDto),
        (status = 422, description = "Unknown filter code or a page too deep", body = super::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Page cap for visitors", body = super::Problem, content_type = "application/problem+json")))]
pub async fn wanted(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    user: MaybeBearer,
    ValidQuery(f): ValidQuery<LightFilters>,
) -> Result<Response, WebError> {
    list(state, ip, user, f, LightKind::Wanted).await
}
