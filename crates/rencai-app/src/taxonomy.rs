//! Reading the station's taxonomies, and turning a point of the moment into a district (P7).

use rencai_domain::geo::LatLng;
use rencai_domain::taxonomy::{District, TaxonomyKind, nearest_district};
use rencai_store::taxonomy::{self as store, Term};

use crate::{AppError, AppResult, AppState};

/// Every taxonomy of the station, in the order of [`TaxonomyKind::ALL`].
pub async fn all(state: &AppState) -> AppResult<Vec<(TaxonomyKind, Vec<Term>)>> {
    let mut out = Vec::with_capacity(TaxonomyKind::ALL.len());
    for kind in TaxonomyKind::ALL {
        out.push((kind, store::list(state.db().conn(), state.station().id, kind).await?));
    }
    Ok(out)
}

pub async fn list(state: &AppState, kind: TaxonomyKind) -> AppResult<Vec<Term>> {
    Ok(store::list(state.db().conn(), state.station().id, kind).await?)
}

/// Largest distance from a district centre at which we still say "you are in this district".
pub const MAX_DISTRICT_DISTANCE_M: f64 = 60_000.0;

/// The district nearest to a point, with the distance in metres. The point is used for this
/// call only: it is not stored, logged or returned.
pub async fn district_at(state: &AppState, lat: f64, lng: f64) -> AppResult<(District, f64)> {
    let point = LatLng::new(lat, lng).map_err(|e| {
        let field = if matches!(e, rencai_domain::geo::LatLngError::Latitude) { "lat" } else { "lng" };
        AppError::invalid_field("geo.invalid_point", field, e.to_string())
    })?;
    let districts = store::districts(state.db().conn(), state.station().id).await?;
    match nearest_district(&districts, &point) {
        Some((d, dist)) if dist <= MAX_DISTRICT_DISTANCE_M => Ok((d.clone(), dist)),
        _ => Err(AppError::NotFound { code: "geo.outside_station", what: "该位置附近的本站区域" }),
    }
}
