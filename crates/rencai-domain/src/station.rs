//! Stations (分站): one installation serves several city sub-sites. Every station-scoped row
//! carries a station id from day one, so adding a station is configuration, not a migration.

/// The database id of the default station, created by the first migration.
pub const DEFAULT_STATION_ID: i64 = 1;
/// Its stable code, used in configuration and URLs.
pub const DEFAULT_STATION_CODE: &str = "wanzhou";
/// Its display name.
pub const DEFAULT_STATION_NAME: &str = "万州";

/// A station as the rest of the system sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Station {
    pub id: i64,
    pub code: String,
    pub name: String,
}

impl Station {
    pub fn default_station() -> Self {
        Self { id: DEFAULT_STATION_ID, code: DEFAULT_STATION_CODE.into(), name: DEFAULT_STATION_NAME.into() }
    }
}
