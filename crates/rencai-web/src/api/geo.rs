use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use rencai_app::AppState;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Problem;
use crate::WebError;
use crate::extract::ApiJson;

/// A point of the moment (WGS-84). Sent in the body so it never appears in a URL or access
/// log; used for this request only and never stored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PointRequest {
    pub lat: f64,
    pub lng: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictRef {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DistrictAnswer {
    /// The district whose centre is nearest.
    pub district: DistrictRef,
    /// Distance from that centre in metres, rounded to 100 m.
    pub distance_m: u32,
}

/// Which district of the station a point is in (nearest centre), so an app can preselect it.
#[utoipa::path(post, path = "/api/v1/geo/district", tag = "geo", request_body = PointRequest,
    responses(
        (status = 200, body = DistrictAnswer),
        (status = 404, description = "The point is far from every district", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn district(
    State(state): State<AppState>,
    ApiJson(p): ApiJson<PointRequest>,
) -> Result<impl IntoResponse, WebError> {
    let (d, dist) = rencai_app::taxonomy::district_at(&state, p.lat, p.lng).await?;
    // Rounded, so the answer cannot be used to recover the point precisely.
    let distance_m = ((dist / 100.0).round() * 100.0) as u32;
    Ok(Json(DistrictAnswer { district: DistrictRef { code: d.code, name: d.name }, distance_m }))
}
