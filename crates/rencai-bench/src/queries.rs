//! The query mix (`queries.txt` beside this crate): what people type into a job site.

use rencai_search::{JobSearch, JobSort, Point};

/// The mix shipped with the benchmark.
pub const DEFAULT_MIX: &str = include_str!("../queries.txt");

#[derive(Debug, Clone)]
pub struct BenchQuery {
    pub class: String,
    pub words: Option<String>,
    pub district: Option<String>,
    pub category: Option<String>,
    pub salary_min: Option<u32>,
    pub near: Option<(Point, f64)>,
}

impl BenchQuery {
    /// Whether a text-only peer can run it (no filters, no distance).
    pub fn keyword_only(&self) -> bool {
        self.words.is_some()
            && self.district.is_none()
            && self.category.is_none()
            && self.salary_min.is_none()
            && self.near.is_none()
    }

    /// The index search for one page of 20.
    pub fn search(&self, now: i64, facets: bool) -> JobSearch {
        JobSearch {
            station_id: 1,
            text: self.words.clone(),
            district: self.district.clone(),
            categories: self.category.iter().cloned().collect(),
            salary_min: self.salary_min,
            near: self.near,
            sort: if self.near.is_some() && self.words.is_none() { JobSort::Distance } else { JobSort::Relevance },
            limit: 20,
            facets,
            now,
            ..Default::default()
        }
    }

    pub fn label(&self) -> String {
        match &self.words {
            Some(w) => format!("{} “{w}”", self.class),
            None => self.class.clone(),
        }
    }
}

/// Parses a query file: `class|words|key=value;…`, `#` comments.
pub fn parse(text: &str) -> anyhow::Result<Vec<BenchQuery>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, '|');
        let class = parts.next().unwrap_or_default().trim().to_string();
        let words = parts.next().map(str::trim).filter(|w| !w.is_empty()).map(str::to_string);
        let mut q = BenchQuery { class, words, district: None, category: None, salary_min: None, near: None };
        for kv in parts.next().unwrap_or_default().split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let (k, v) = kv.split_once('=').ok_or_else(|| anyhow::anyhow!("line {}: {kv} is not key=value", n + 1))?;
            match k {
                "district" => q.district = Some(v.to_string()),
                "category" => q.category = Some(v.to_string()),
                "salary_min" => q.salary_min = Some(v.parse()?),
                "near" => {
                    let nums: Vec<f64> = v.split(',').map(str::parse).collect::<Result<_, _>>()?;
                    let [lat, lng, r] = nums[..] else { anyhow::bail!("line {}: near=lat,lng,metres", n + 1) };
                    let p = Point::checked(lat, lng).ok_or_else(|| anyhow::anyhow!("line {}: bad point", n + 1))?;
                    q.near = Some((p, r));
                }
                _ => anyhow::bail!("line {}: unknown filter {k}", n + 1),
            }
        }
        out.push(q);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_mix_parses_and_covers_every_class() {
        let q = super::parse(super::DEFAULT_MIX).unwrap();
        for class in [
            "list",
            "one_char",
            "two_char",
            "three_char",
            "two_words",
            "sentence",
            "pinyin",
            "keyword_filters",
            "filters_only",
            "nearby",
            "no_hit",
        ] {
            assert!(q.iter().any(|x| x.class == class), "{class}");
        }
        assert!(super::parse("x|y|near=1,2").is_err());
    }
}
