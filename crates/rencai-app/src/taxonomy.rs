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

/// Staff editing of taxonomies: new terms, new names, retiring a term (it stays on what uses
/// it but is no longer offered). Codes are stable forever, so filters and the API keep working.
pub mod edit {
    use rencai_domain::staff::Permission;
    use rencai_domain::taxonomy::TaxonomyKind;
    use rencai_store::audit::{Actor, AuditEntry};
    use rencai_store::taxonomy::{self as store, EditableTerm};

    use crate::auth::staff::StaffUser;
    use crate::{AppError, AppResult, AppState};

    pub async fn list(state: &AppState, staff: &StaffUser, kind: TaxonomyKind) -> AppResult<Vec<EditableTerm>> {
        staff.require(state, Permission::EditContent).await?;
        Ok(store::list_all(state.db().conn(), state.station().id, kind).await?)
    }

    fn check_name(name: &str) -> AppResult<String> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 30 {
            return Err(AppError::invalid_field("taxonomy.name", "name", "名称应为1到30个字。"));
        }
        Ok(name.to_string())
    }

    pub async fn add(
        state: &AppState,
        staff: &StaffUser,
        kind: TaxonomyKind,
        code: &str,
        name: &str,
        parent: Option<&str>,
    ) -> AppResult<()> {
        staff.require(state, Permission::EditContent).await?;
        let code = code.trim();
        let ok = !code.is_empty()
            && code.len() <= 48
            && code
                .split('-')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        if !ok {
            return Err(AppError::invalid_field(
                "taxonomy.code",
                "code",
                "代码由小写字母、数字和连字符组成，例如 catering-barbecue；一经使用不可更改。",
            ));
        }
        let name = check_name(name)?;
        let parent = parent.map(str::trim).filter(|p| !p.is_empty());
        if let Some(p) = parent {
            let terms = crate::market::terms::get(state).await?;
            if kind != TaxonomyKind::JobCategory || !terms.roots(kind).iter().any(|t| t.code == p) {
                return Err(AppError::invalid_field("taxonomy.parent", "parent", "上级分类不存在。"));
            }
        }
        store::add(state.db().conn(), state.station().id, kind, code, &name, parent).await.map_err(|e| match e {
            rencai_store::StoreError::Conflict { .. } => {
                AppError::Conflict {
                    code: "taxonomy.code_taken", message: "该代码已被使用。".into(), field: "code"
                }
            }
            other => other.into(),
        })?;
        done(state, staff, "taxonomy.added", kind).await
    }

    pub async fn update(
        state: &AppState,
        staff: &StaffUser,
        kind: TaxonomyKind,
        code: &str,
        name: &str,
        active: bool,
    ) -> AppResult<()> {
        staff.require(state, Permission::EditContent).await?;
        let name = check_name(name)?;
        if !store::update(state.db().conn(), state.station().id, kind, code.trim(), &name, active).await? {
            return Err(AppError::NotFound { code: "taxonomy.not_found", what: "该分类" });
        }
        done(state, staff, "taxonomy.updated", kind).await
    }

    async fn done(state: &AppState, staff: &StaffUser, action: &'static str, kind: TaxonomyKind) -> AppResult<()> {
        state.terms_cache().invalidate();
        crate::audit::record(
            state,
            AuditEntry {
                actor: Actor::staff(staff.auth.account.id),
                action,
                subject: None,
                reason: None,
                detail: serde_json::json!({ "kind": kind.as_str() }),
            },
        )
        .await?;
        Ok(())
    }
}
