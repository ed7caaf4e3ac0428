//! The marketplace's tables: organisations, jobs, resumes and what surrounds them.

pub mod alerts;
pub mod applications;
pub mod companies;
pub mod disclosures;
pub mod favourites;
pub mod jobs;
pub mod light;
pub mod moderation;
pub mod quota;
pub mod resumes;
