//! A resume as the search index holds it: no name, phone, e-mail, employer names or free text
//! (a seeker may have typed identifiers into a self-introduction or a work description).

use rencai_search::ResumeDoc;
use rencai_store::market::resumes::ResumeRow;

fn codes(wrapped: &str) -> Vec<String> {
    wrapped.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// The index document of a resume; `blocked` are the organisations its seeker blocked.
pub fn resume_doc(r: &ResumeRow, blocked: &[i64]) -> ResumeDoc {
    let c = crate::market::resumes::content(r, String::new());
    let mut skills: Vec<&str> = c.skills.iter().map(|s| s.name.as_str()).collect();
    skills.extend(c.certificates.iter().map(|x| x.name.as_str()));
    let mut background: Vec<&str> = c.work.iter().map(|w| w.title.as_str()).collect();
    background.extend(c.projects.iter().map(|p| p.name.as_str()));
    background.extend(c.education.iter().map(|e| e.major.as_str()));
    let mut districts = vec![r.district.clone()];
    districts.extend(codes(&r.intent_districts).into_iter().filter(|d| *d != r.district));
    ResumeDoc {
        id: r.id,
        public_id: r.public_id.clone(),
        station_id: r.station_id,
        seeker_id: r.seeker_id,
        title: r.title.clone(),
        skills: skills.join(" "),
        background: background.join(" "),
        categories: codes(&r.intent_categories),
        industries: c.intention.industries.clone(),
        districts,
        education: r.education_level.clone(),
        experience: r.experience_level.clone(),
        open: r.visibility == "public" && r.shown_to_companies,
        blocked: blocked.to_vec(),
        refreshed_at: r.refreshed_at.timestamp(),
    }
}

/// Whether a resume belongs in the index at all (a hidden one reaches no recruiter).
pub fn is_searchable(r: &ResumeRow) -> bool {
    r.visibility != "hidden"
}
