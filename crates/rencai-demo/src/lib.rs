//! Deterministic, realistic zh-CN demo data. The same seed gives the same data on every
//! machine, so demo screenshots, tests and benchmarks agree. Later features add their own
//! generators here (companies, jobs, resumes).

pub mod market;
mod market_words;
pub mod words;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rencai_domain::account::Role;

/// The seed used by `rencai demo` and first start in demo mode.
pub const DEFAULT_SEED: u64 = 0x52_45_4E_43_41_49; // "RENCAI"

/// A demo person: the identity of one demo account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPerson {
    pub role: Role,
    pub name: String,
    /// 11 digits.
    pub phone: String,
    pub email: Option<String>,
}

/// How many demo accounts of each role.
#[derive(Debug, Clone, Copy)]
pub struct DemoSize {
    pub seekers: usize,
    pub companies: usize,
    pub agencies: usize,
    pub staff: usize,
}

impl Default for DemoSize {
    fn default() -> Self {
        Self { seekers: 40, companies: 12, agencies: 3, staff: 2 }
    }
}

/// The demo data set.
#[derive(Debug, Clone)]
pub struct DemoData {
    pub people: Vec<DemoPerson>,
}

impl DemoData {
    pub fn generate(seed: u64, size: DemoSize) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut people = Vec::new();
        let mut used_phones = std::collections::HashSet::new();
        let mut used_names = std::collections::HashSet::new();
        let plan = [
            (Role::Seeker, size.seekers),
            (Role::Company, size.companies),
            (Role::Agency, size.agencies),
            (Role::Staff, size.staff),
        ];
        for (role, n) in plan {
            for _ in 0..n {
                let name = loop {
                    let candidate = person_name(&mut rng);
                    if used_names.insert(candidate.clone()) {
                        break candidate;
                    }
                };
                let phone = loop {
                    let candidate = phone_number(&mut rng);
                    if used_phones.insert(candidate.clone()) {
                        break candidate;
                    }
                };
                let email = if role == Role::Seeker && rng.random_bool(0.4) {
                    None
                } else {
                    Some(format!("user{}@example.com", &phone[5..]))
                };
                people.push(DemoPerson { role, name, phone, email });
            }
        }
        Self { people }
    }
}

/// A name of two or three characters: surname plus one or two given-name characters.
pub fn person_name(rng: &mut impl RngExt) -> String {
    let surname = words::SURNAMES[rng.random_range(0..words::SURNAMES.len())];
    let mut name = surname.to_string();
    let given = if rng.random_bool(0.7) { 2 } else { 1 };
    for _ in 0..given {
        name.push_str(words::GIVEN_NAME_CHARS[rng.random_range(0..words::GIVEN_NAME_CHARS.len())]);
    }
    name
}

/// A mobile number in the ranges of the three big carriers.
pub fn phone_number(rng: &mut impl RngExt) -> String {
    const PREFIXES: [&str; 12] = ["134", "135", "136", "138", "139", "150", "152", "158", "177", "180", "186", "189"];
    let prefix = PREFIXES[rng.random_range(0..PREFIXES.len())];
    format!("{prefix}{:08}", rng.random_range(0..100_000_000u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_data() {
        let a = DemoData::generate(DEFAULT_SEED, DemoSize::default());
        let b = DemoData::generate(DEFAULT_SEED, DemoSize::default());
        assert_eq!(a.people, b.people);
        let c = DemoData::generate(DEFAULT_SEED + 1, DemoSize::default());
        assert_ne!(a.people, c.people);
    }

    #[test]
    fn people_are_unique_and_well_formed() {
        let d = DemoData::generate(DEFAULT_SEED, DemoSize::default());
        assert_eq!(d.people.len(), 57);
        let phones: std::collections::HashSet<_> = d.people.iter().map(|p| &p.phone).collect();
        assert_eq!(phones.len(), d.people.len());
        for p in &d.people {
            assert!(rencai_domain::account::Phone::parse(&p.phone).is_ok(), "{}", p.phone);
            assert!((2..=4).contains(&p.name.chars().count()), "{}", p.name);
        }
        for role in Role::ALL {
            assert!(d.people.iter().any(|p| p.role == role), "{role:?}");
        }
    }
}
