//! The station's taxonomies: districts, industries, job categories, education and experience
//! levels, job types, salary bands and benefit tags. The seed lists below are loaded into the
//! database at migration; staff may edit them there, and the stable codes never change.

mod data;

pub use data::*;

use crate::geo::LatLng;

/// The kinds of taxonomy, with the stable name each has in the API and the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxonomyKind {
    District,
    Industry,
    JobCategory,
    Education,
    Experience,
    JobType,
    SalaryBand,
    Benefit,
}

impl TaxonomyKind {
    pub const ALL: [TaxonomyKind; 8] = [
        Self::District,
        Self::Industry,
        Self::JobCategory,
        Self::Education,
        Self::Experience,
        Self::JobType,
        Self::SalaryBand,
        Self::Benefit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::District => "district",
            Self::Industry => "industry",
            Self::JobCategory => "job_category",
            Self::Education => "education",
            Self::Experience => "experience",
            Self::JobType => "job_type",
            Self::SalaryBand => "salary_band",
            Self::Benefit => "benefit",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The seed terms of this kind, in display order. Districts carry their centre point.
    pub fn seed(self) -> Vec<SeedTerm> {
        let terms = |list: &'static [TermSeed]| {
            list.iter().map(|t| SeedTerm { code: t.code, name: t.name, parent: t.parent, point: None }).collect()
        };
        match self {
            Self::District => WANZHOU_DISTRICTS
                .iter()
                .map(|d| SeedTerm { code: d.code, name: d.name, parent: None, point: Some((d.lat, d.lng)) })
                .collect(),
            Self::Industry => terms(INDUSTRIES),
            Self::JobCategory => terms(JOB_CATEGORIES),
            Self::Education => terms(EDUCATION_LEVELS),
            Self::Experience => terms(EXPERIENCE_LEVELS),
            Self::JobType => terms(JOB_TYPES),
            Self::SalaryBand => terms(SALARY_BANDS),
            Self::Benefit => terms(BENEFIT_TAGS),
        }
    }
}

/// One seed term of any kind.
#[derive(Debug, Clone, Copy)]
pub struct SeedTerm {
    pub code: &'static str,
    pub name: &'static str,
    pub parent: Option<&'static str>,
    pub point: Option<(f64, f64)>,
}

/// A district with its centre, as read back from storage.
#[derive(Debug, Clone, PartialEq)]
pub struct District {
    pub code: String,
    pub name: String,
    pub center: LatLng,
}

/// The district whose centre is nearest to `at`, with the distance in metres. Used when a
/// visitor shares a point for one request (P7): the answer is a district, never the point.
pub fn nearest_district<'a>(districts: &'a [District], at: &LatLng) -> Option<(&'a District, f64)> {
    districts.iter().map(|d| (d, d.center.distance_m(at))).min_by(|a, b| a.1.total_cmp(&b.1))
}

#[cfg(test)]
mod kind_tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_all_have_seeds() {
        for kind in TaxonomyKind::ALL {
            assert_eq!(TaxonomyKind::parse(kind.as_str()), Some(kind));
            assert!(!kind.seed().is_empty(), "{kind:?} has no seed terms");
        }
        assert_eq!(TaxonomyKind::parse("nope"), None);
    }

    #[test]
    fn nearest_district_picks_the_closest_centre() {
        let districts: Vec<District> = TaxonomyKind::District
            .seed()
            .into_iter()
            .map(|t| {
                let (lat, lng) = t.point.unwrap();
                District { code: t.code.into(), name: t.name.into(), center: LatLng::new(lat, lng).unwrap() }
            })
            .collect();
        let first = &districts[0];
        let (found, dist) = nearest_district(&districts, &first.center).unwrap();
        assert_eq!(found.code, first.code);
        assert_eq!(dist, 0.0);
        assert!(nearest_district(&[], &first.center).is_none());
    }
}
