//! Points on the map. A visitor's location is a value of the moment (P7): it is parsed here,
//! used for one request and dropped; no type in this module can be stored.

/// A WGS-84 point (what GPS and browsers give), checked to be on the globe.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLng {
    lat: f64,
    lng: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LatLngError {
    #[error("纬度必须在 -90 到 90 之间")]
    Latitude,
    #[error("经度必须在 -180 到 180 之间")]
    Longitude,
}

impl LatLng {
    pub fn new(lat: f64, lng: f64) -> Result<Self, LatLngError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(LatLngError::Latitude);
        }
        if !lng.is_finite() || !(-180.0..=180.0).contains(&lng) {
            return Err(LatLngError::Longitude);
        }
        Ok(Self { lat, lng })
    }

    pub fn lat(&self) -> f64 {
        self.lat
    }

    pub fn lng(&self) -> f64 {
        self.lng
    }

    /// Great-circle distance in metres (haversine; good to well under 0.5 % at city scale).
    pub fn distance_m(&self, other: &LatLng) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lng - self.lng).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_points_off_the_globe() {
        assert_eq!(LatLng::new(91.0, 0.0), Err(LatLngError::Latitude));
        assert_eq!(LatLng::new(0.0, -180.5), Err(LatLngError::Longitude));
        assert_eq!(LatLng::new(f64::NAN, 0.0), Err(LatLngError::Latitude));
        assert!(LatLng::new(30.8, 108.4).is_ok());
    }

    #[test]
    fn distance_matches_a_known_pair() {
        // Wanzhou centre to Chongqing's Jiefangbei: about 228 km as the crow flies.
        let wanzhou = LatLng::new(30.8078, 108.4089).unwrap();
        let jiefangbei = LatLng::new(29.5577, 106.5770).unwrap();
        let d = wanzhou.distance_m(&jiefangbei);
        assert!((220_000.0..236_000.0).contains(&d), "{d}");
        assert_eq!(wanzhou.distance_m(&wanzhou), 0.0);
    }
}
