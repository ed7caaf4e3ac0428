//! Distances on the earth, for "jobs near me".

/// A point in WGS-84 degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lng: f64,
}

impl Point {
    /// A point if both coordinates are finite and in range.
    pub fn checked(lat: f64, lng: f64) -> Option<Point> {
        (lat.is_finite() && lng.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng))
            .then_some(Point { lat, lng })
    }
}

const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres (haversine).
pub fn distance_m(a: Point, b: Point) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lng - a.lng).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// A latitude/longitude box that holds every point within `radius_m` of `p`: the index narrows
/// with it before the exact distance is computed.
pub fn bounding_box(p: Point, radius_m: f64) -> (Point, Point) {
    let dlat = (radius_m / EARTH_RADIUS_M).to_degrees();
    let cos = p.lat.to_radians().cos().max(1e-6);
    let dlng = (radius_m / (EARTH_RADIUS_M * cos)).to_degrees().min(180.0);
    (
        Point { lat: (p.lat - dlat).max(-90.0), lng: (p.lng - dlng).max(-180.0) },
        Point { lat: (p.lat + dlat).min(90.0), lng: (p.lng + dlng).min(180.0) },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_distances() {
        // Guangzhou Tower to Canton Fair complex: about 3.7 km.
        let tower = Point { lat: 23.1066, lng: 113.3245 };
        let fair = Point { lat: 23.0997, lng: 113.3600 };
        let d = distance_m(tower, fair);
        assert!((3_500.0..3_900.0).contains(&d), "{d}");
        assert_eq!(distance_m(tower, tower), 0.0);
    }

    #[test]
    fn the_box_holds_the_circle() {
        let p = Point { lat: 23.13, lng: 113.26 };
        let (lo, hi) = bounding_box(p, 5_000.0);
        for (lat, lng) in [(hi.lat, p.lng), (lo.lat, p.lng), (p.lat, hi.lng), (p.lat, lo.lng)] {
            let d = distance_m(p, Point { lat, lng });
            assert!((4_990.0..5_010.0).contains(&d), "{d}");
        }
    }

    #[test]
    fn nonsense_points_are_refused() {
        assert!(Point::checked(f64::NAN, 1.0).is_none());
        assert!(Point::checked(91.0, 1.0).is_none());
        assert!(Point::checked(23.0, 113.0).is_some());
    }
}
