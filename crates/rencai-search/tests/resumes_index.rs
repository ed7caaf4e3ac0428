//! The resumes index: words in titles, skills and background; what a recruiter may reach
//! (open resumes, or those of seekers who applied to it); blocked organisations left out.

use rencai_search::{ResumeDoc, ResumeIndex, ResumeSearch};

fn resume(id: i64, title: &str, skills: &str, open: bool, blocked: Vec<i64>) -> ResumeDoc {
    ResumeDoc {
        id,
        public_id: format!("r-{id}"),
        station_id: 1,
        seeker_id: 1000 + id,
        title: title.into(),
        skills: skills.into(),
        background: "会计学".into(),
        categories: vec!["office-accountant".into()],
        industries: vec![],
        districts: vec!["wz-gaosuntang".into()],
        education: "bachelor".into(),
        experience: "3-5".into(),
        open,
        blocked,
        refreshed_at: 1_790_000_000 - id,
    }
}

fn ids(ix: &ResumeIndex, s: &ResumeSearch) -> Vec<i64> {
    ix.search(s).unwrap().ids
}

#[test]
fn recruiters_reach_open_resumes_and_those_sent_to_them_never_blocked_ones() {
    let ix = ResumeIndex::in_ram().unwrap();
    ix.put(&[
        resume(1, "会计求职", "用友 金蝶", true, vec![]),
        resume(2, "出纳求职", "点钞", false, vec![]),
        resume(3, "会计求职", "用友", true, vec![77]),
        resume(4, "仓库管理员", "叉车", true, vec![]),
    ])
    .unwrap();
    ix.commit("").unwrap();
    let base =
        ResumeSearch { station_id: 1, limit: 10, excluded_by: vec![77], now: 1_790_000_000, ..Default::default() };
    assert_eq!(ids(&ix, &base), vec![1, 4], "open and not blocking org 77, freshest first");
    let s = ResumeSearch { text: Some("用友".into()), ..base.clone() };
    assert_eq!(ids(&ix, &s), vec![1]);
    let s = ResumeSearch { text: Some("会计学".into()), ..base.clone() };
    assert_eq!(ids(&ix, &s), vec![1, 4], "majors are searchable");
    // Seeker 1002 applied to this organisation: the closed resume reaches it.
    let s = ResumeSearch { reached_seekers: vec![1002], ..base.clone() };
    assert_eq!(ids(&ix, &s), vec![1, 2, 4]);
    // An agency acting for client 78 whom seeker 1003 did not block, but 77 is the agency itself.
    let s = ResumeSearch { excluded_by: vec![78], ..base.clone() };
    assert_eq!(ids(&ix, &s), vec![1, 3, 4]);
    let s = ResumeSearch { district: Some("wz-taibai".into()), ..base };
    assert!(ids(&ix, &s).is_empty());
}
