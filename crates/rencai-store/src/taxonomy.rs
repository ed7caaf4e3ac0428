//! Taxonomy terms per station: seeded from the domain's lists, editable by staff later.

use rencai_domain::geo::LatLng;
use rencai_domain::taxonomy::{District, TaxonomyKind};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::StoreResult;
use crate::entity::taxonomy_term;

/// One term as served to pages and the API.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Term {
    pub code: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lng: Option<f64>,
}

/// Loads the seed lists into a station that has no terms yet. Returns how many were added.
pub async fn seed_if_empty(conn: &impl ConnectionTrait, station_id: i64) -> StoreResult<u64> {
    let existing =
        taxonomy_term::Entity::find().filter(taxonomy_term::Column::StationId.eq(station_id)).count(conn).await?;
    if existing > 0 {
        return Ok(0);
    }
    let mut rows = Vec::new();
    for kind in TaxonomyKind::ALL {
        for (i, t) in kind.seed().into_iter().enumerate() {
            rows.push(taxonomy_term::ActiveModel {
                station_id: Set(station_id),
                kind: Set(kind.as_str().to_string()),
                code: Set(t.code.to_string()),
                parent_code: Set(t.parent.map(str::to_string)),
                name: Set(t.name.to_string()),
                sort_order: Set(i as i32),
                lat: Set(t.point.map(|p| p.0)),
                lng: Set(t.point.map(|p| p.1)),
                active: Set(true),
                ..Default::default()
            });
        }
    }
    let n = rows.len() as u64;
    // SQLite limits bound parameters per statement; insert in chunks.
    for chunk in rows.chunks(50) {
        taxonomy_term::Entity::insert_many(chunk.to_vec()).exec(conn).await?;
    }
    Ok(n)
}

/// The active terms of one kind, in display order.
pub async fn list(conn: &impl ConnectionTrait, station_id: i64, kind: TaxonomyKind) -> StoreResult<Vec<Term>> {
    let rows = taxonomy_term::Entity::find()
        .filter(taxonomy_term::Column::StationId.eq(station_id))
        .filter(taxonomy_term::Column::Kind.eq(kind.as_str()))
        .filter(taxonomy_term::Column::Active.eq(true))
        .order_by_asc(taxonomy_term::Column::SortOrder)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|m| Term { code: m.code, name: m.name, parent: m.parent_code, lat: m.lat, lng: m.lng })
        .collect())
}

/// The station's districts with their centre points.
pub async fn districts(conn: &impl ConnectionTrait, station_id: i64) -> StoreResult<Vec<District>> {
    Ok(list(conn, station_id, TaxonomyKind::District)
        .await?
        .into_iter()
        .filter_map(|t| {
            let center = LatLng::new(t.lat?, t.lng?).ok()?;
            Some(District { code: t.code, name: t.name, center })
        })
        .collect())
}

/// A term as staff edit it, active or not.
#[derive(Debug, Clone, PartialEq, sea_orm::FromQueryResult)]
pub struct EditableTerm {
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    pub active: bool,
    pub sort_order: i32,
}

/// Every term of a kind, retired ones included, in display order.
pub async fn list_all(
    conn: &impl ConnectionTrait,
    station_id: i64,
    kind: TaxonomyKind,
) -> StoreResult<Vec<EditableTerm>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(crate::raw(
            b,
            "SELECT code, name, parent_code, active, sort_order FROM taxonomy_terms WHERE station_id = ? AND kind = ? \
             ORDER BY sort_order, id",
            [station_id.into(), kind.as_str().into()],
        ))
        .await?;
    Ok(rows
        .iter()
        .map(|r| <EditableTerm as sea_orm::FromQueryResult>::from_query_result(r, ""))
        .collect::<Result<_, _>>()?)
}

/// Adds a term at the end of its kind. Codes are stable: a used code is a conflict.
pub async fn add(
    conn: &impl ConnectionTrait,
    station_id: i64,
    kind: TaxonomyKind,
    code: &str,
    name: &str,
    parent: Option<&str>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    let next = conn
        .query_one_raw(crate::raw(
            b,
            "SELECT CAST(COALESCE(MAX(sort_order), 0) + 1 AS BIGINT) AS n FROM taxonomy_terms WHERE station_id = ? AND kind = ?",
            [station_id.into(), kind.as_str().into()],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(1);
    conn.execute_raw(crate::raw(
        b,
        "INSERT INTO taxonomy_terms (station_id, kind, code, parent_code, name, sort_order, active) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            station_id.into(),
            kind.as_str().into(),
            code.into(),
            parent.map(str::to_string).into(),
            name.into(),
            (next as i32).into(),
            true.into(),
        ],
    ))
    .await
    .map_err(|e| crate::StoreError::from_db(e, &[("code", "code"), ("ix_taxonomy_terms_code", "code")]))?;
    Ok(())
}

/// Renames a term and sets whether it is offered; the code never changes.
pub async fn update(
    conn: &impl ConnectionTrait,
    station_id: i64,
    kind: TaxonomyKind,
    code: &str,
    name: &str,
    active: bool,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let n = conn
        .execute_raw(crate::raw(
            b,
            "UPDATE taxonomy_terms SET name = ?, active = ? WHERE station_id = ? AND kind = ? AND code = ?",
            [name.into(), active.into(), station_id.into(), kind.as_str().into(), code.into()],
        ))
        .await?
        .rows_affected();
    Ok(n == 1)
}
