//! The jobs index on a fixed zh-CN corpus: segmentation, ranking, filters, facets, distance,
//! highlighting, and the index folder's lifecycle.

use rencai_search::{JobDoc, JobIndex, JobSearch, JobSort, Opened, Point};

const NOW: i64 = 1_790_000_000;
const DAY: i64 = 86_400;

fn job(id: i64, title: &str, company: &str, description: &str) -> JobDoc {
    JobDoc {
        id,
        public_id: format!("job-{id}"),
        station_id: 1,
        employer_id: 100 + id % 3,
        title: title.into(),
        company: company.into(),
        description: description.into(),
        category: "finance".into(),
        industry: "it".into(),
        district: "tianhe".into(),
        experience: "any".into(),
        education: "any".into(),
        job_type: "full_time".into(),
        salary: Some((5_000, 8_000)),
        campus: false,
        urgent: false,
        verified: true,
        top_until: None,
        refreshed_at: NOW - id * 3_600,
        published_at: NOW - id * 3_600,
        point: None,
        card: format!("card of {title}").into_bytes(),
    }
}

fn corpus() -> Vec<JobDoc> {
    let mut v = vec![
        job(1, "会计", "广州市恒达贸易有限公司", "负责日常账务处理，编制财务报表。"),
        job(2, "行政文员", "广州市恒达贸易有限公司", "协助会计整理单据，接待来访客户。"),
        job(3, "Java开发工程师", "广州云帆软件科技有限公司", "使用Spring Boot开发后端服务，熟悉MySQL。"),
        job(4, "前端开发工程师", "广州云帆软件科技有限公司", "负责Vue页面开发与性能优化。"),
        job(5, "中餐厨师", "天河区粤味酒家", "负责粤菜烹饪，有三年以上酒楼经验。"),
        job(6, "厨师助理", "天河区粤味酒家", "协助厨师备料、切配。"),
        job(7, "软件测试工程师", "广州云帆软件科技有限公司", "编写测试用例，执行功能测试和自动化测试。"),
        job(8, "出纳", "番禺区金诚会计师事务所", "负责现金收付、银行对账。"),
        job(9, "销售代表", "广州市恒达贸易有限公司", "开拓华南市场客户，完成销售目标。"),
        job(10, "仓库管理员", "白云区顺通物流有限公司", "负责货物出入库登记与盘点。"),
    ];
    v[4].category = "catering".into();
    v[5].category = "catering".into();
    v[2].category = "it_dev".into();
    v[3].category = "it_dev".into();
    v[6].category = "it_dev".into();
    v[7].district = "panyu".into();
    v[9].district = "baiyun".into();
    v[8].salary = None;
    v[2].salary = Some((15_000, 25_000));
    v[3].salary = Some((12_000, 18_000));
    v
}

fn index() -> JobIndex {
    let ix = JobIndex::in_ram().unwrap();
    ix.put(&corpus()).unwrap();
    ix.commit("c1").unwrap();
    ix
}

fn search(ix: &JobIndex, text: &str) -> Vec<i64> {
    let s = JobSearch { station_id: 1, text: Some(text.into()), limit: 20, now: NOW, ..Default::default() };
    ix.search(&s).unwrap().hits.iter().map(|h| h.id).collect()
}

#[test]
fn a_title_match_ranks_above_a_mention_in_the_description() {
    let ix = index();
    let hits = search(&ix, "会计");
    assert_eq!(hits.first(), Some(&1), "{hits:?}");
    assert!(hits.contains(&2), "the description mention is still found: {hits:?}");
    // The accounting firm's name mentions it too.
    assert!(hits.contains(&8), "{hits:?}");
}

#[test]
fn common_job_words_find_their_jobs() {
    let ix = index();
    assert_eq!(search(&ix, "厨师")[..2].iter().copied().collect::<std::collections::BTreeSet<_>>(), [5, 6].into());
    assert_eq!(search(&ix, "出纳"), vec![8]);
    assert!(search(&ix, "仓库").contains(&10));
    // Case does not matter for Latin words.
    assert_eq!(search(&ix, "java").first(), Some(&3));
    assert_eq!(search(&ix, "JAVA").first(), Some(&3));
}

#[test]
fn two_word_queries_need_both_words() {
    let ix = index();
    let hits = search(&ix, "软件 测试");
    assert_eq!(hits.first(), Some(&7), "{hits:?}");
    let hits = search(&ix, "开发工程师");
    assert!(hits.contains(&3) && hits.contains(&4), "{hits:?}");
    assert!(!hits.contains(&1), "{hits:?}");
}

#[test]
fn sentences_are_understood_as_their_meaningful_words() {
    let ix = index();
    assert_eq!(search(&ix, "我想找一份厨师的工作")[..2].len(), 2);
    assert!(search(&ix, "我想找一份厨师的工作").iter().all(|id| [5, 6].contains(id)));
    assert_eq!(search(&ix, "有没有出纳的岗位"), vec![8]);
}

#[test]
fn one_character_queries_match_titles() {
    let ix = index();
    let hits = search(&ix, "厨");
    assert!(hits.contains(&5) && hits.contains(&6), "{hits:?}");
}

#[test]
fn pinyin_finds_the_chinese_word() {
    let ix = index();
    assert_eq!(search(&ix, "kuaiji").first(), Some(&1));
    assert_eq!(search(&ix, "chuna"), vec![8]);
    assert!(search(&ix, "chushi").contains(&5));
}

#[test]
fn when_no_job_has_every_word_the_partial_matches_are_marked_relaxed() {
    let ix = index();
    let s =
        JobSearch { station_id: 1, text: Some("出纳 飞行员".into()), limit: 20, now: NOW, ..Default::default() };
    let r = ix.search(&s).unwrap();
    assert!(r.relaxed);
    assert_eq!(r.hits.first().map(|h| h.id), Some(8));
    let r = ix.search(&JobSearch { text: Some("飞行员".into()), ..s }).unwrap();
    assert_eq!(r.total, 0);
    assert!(!r.relaxed, "one word: nothing to relax");
}

#[test]
fn filters_narrow_and_facets_count_the_result() {
    let ix = index();
    let all = JobSearch { station_id: 1, limit: 3, facets: true, now: NOW, ..Default::default() };
    let r = ix.search(&all).unwrap();
    assert_eq!(r.total, 10);
    assert_eq!(r.hits.len(), 3);
    let f = r.facets.unwrap();
    let count = |v: &[rencai_search::Facet], code: &str| v.iter().find(|x| x.code == code).map(|x| x.count);
    assert_eq!(count(&f.district, "tianhe"), Some(8));
    assert_eq!(count(&f.district, "panyu"), Some(1));
    assert_eq!(count(&f.category, "it_dev"), Some(3));
    assert_eq!(f.district[0].code, "tianhe", "largest first");
    // "At least" counts match what the salary filter keeps; 面议 meets none.
    let at_least = |v: u32| f.salary.iter().find(|(e, _)| *e == v).map(|(_, n)| *n);
    assert_eq!(at_least(3_000), Some(9));
    assert_eq!(at_least(8_000), Some(9));
    assert_eq!(at_least(12_000), Some(2));
    assert_eq!(at_least(20_000), Some(1));
    // Posted within: refreshed 1..10 hours ago, so all within a day.
    assert_eq!(f.posted_within[0], (1, 10));

    let r = ix
        .search(&JobSearch { district: Some("tianhe".into()), categories: vec!["it_dev".into()], ..all.clone() })
        .unwrap();
    assert_eq!(r.total, 3);
    let r = ix.search(&JobSearch { salary_min: Some(12_000), ..all.clone() }).unwrap();
    assert_eq!(r.total, 2);
    let r = ix.search(&JobSearch { station_id: 2, ..all.clone() }).unwrap();
    assert_eq!(r.total, 0, "another station's site sees none of these");
    let r = ix.search(&JobSearch { except: Some(1), ..all }).unwrap();
    assert_eq!(r.total, 9);
}

#[test]
fn sorting_by_salary_freshness_and_top_placement() {
    let ix = JobIndex::in_ram().unwrap();
    let mut docs = corpus();
    docs[9].top_until = Some(NOW + DAY); // the oldest job, paid to be on top
    docs[8].top_until = Some(NOW - DAY); // placement over
    ix.put(&docs).unwrap();
    ix.commit("").unwrap();
    let base = JobSearch { station_id: 1, limit: 10, now: NOW, ..Default::default() };
    let ids = |s: &JobSearch| ix.search(s).unwrap().hits.iter().map(|h| h.id).collect::<Vec<_>>();
    let fresh = ids(&JobSearch { sort: JobSort::Fresh, ..base.clone() });
    assert_eq!(fresh[0], 10, "on top first");
    assert_eq!(&fresh[1..4], &[1, 2, 3], "then the most recently refreshed");
    let salary = ids(&JobSearch { sort: JobSort::Salary, ..base.clone() });
    assert_eq!(&salary[..2], &[3, 4]);
    assert_eq!(salary.last(), Some(&9), "面议 last");
    let newest = ids(&JobSearch { sort: JobSort::Newest, ..base.clone() });
    assert_eq!(newest[0], 1);
    // Pages do not overlap and cover everything.
    let p1 = ids(&JobSearch { limit: 4, ..base.clone() });
    let p2 = ids(&JobSearch { limit: 4, offset: 4, ..base.clone() });
    let p3 = ids(&JobSearch { limit: 4, offset: 8, ..base });
    let mut all: Vec<i64> = p1.iter().chain(&p2).chain(&p3).copied().collect();
    all.sort();
    assert_eq!(all, (1..=10).collect::<Vec<_>>());
}

#[test]
fn nearby_jobs_are_within_the_radius_nearest_first_with_their_distance() {
    let ix = JobIndex::in_ram().unwrap();
    let mut docs = corpus();
    let here = Point { lat: 23.1291, lng: 113.2644 };
    docs[0].point = Some(Point { lat: 23.1391, lng: 113.2644 }); // ≈ 1.1 km north
    docs[1].point = Some(Point { lat: 23.1300, lng: 113.2650 }); // ≈ 120 m
    docs[2].point = Some(Point { lat: 23.2291, lng: 113.2644 }); // ≈ 11 km
    ix.put(&docs).unwrap();
    ix.commit("").unwrap();
    let s = JobSearch {
        station_id: 1,
        near: Some((here, 3_000.0)),
        sort: JobSort::Distance,
        limit: 10,
        now: NOW,
        ..Default::default()
    };
    let r = ix.search(&s).unwrap();
    assert_eq!(r.total, 2, "jobs without a point or beyond the radius are left out");
    assert_eq!(r.hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![2, 1]);
    let d = r.hits[1].distance_m.unwrap();
    assert!((1_000.0..1_200.0).contains(&d), "{d}");
    // Words and distance together.
    let r = ix.search(&JobSearch { text: Some("会计".into()), ..s }).unwrap();
    assert_eq!(r.hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![2, 1]);
}

#[test]
fn highlighting_marks_the_matched_words() {
    let ix = index();
    let s = JobSearch { station_id: 1, text: Some("会计".into()), limit: 5, now: NOW, ..Default::default() };
    let r = ix.search(&s).unwrap();
    let t = r.highlighter.title("会计助理");
    assert_eq!(t.pieces(), vec![("会计", true), ("助理", false)]);
    let p = r.highlighter.passage("协助会计整理单据，接待来访客户。").unwrap();
    assert!(p.pieces().contains(&("会计", true)), "{p:?}");
    assert!(r.highlighter.passage("接待来访客户。").is_none());
    // One-character queries are marked in titles too.
    let s = JobSearch { text: Some("厨".into()), ..s };
    let r = ix.search(&s).unwrap();
    assert!(r.highlighter.title("中餐厨师").pieces().contains(&("厨", true)));
}

#[test]
fn replacing_and_removing_jobs() {
    let ix = index();
    let mut changed = corpus()[0].clone();
    changed.title = "高级会计".into();
    ix.put(&[changed]).unwrap();
    ix.remove(&["job-8".to_string()]);
    ix.commit("c2").unwrap();
    assert_eq!(ix.len(), 9, "a replaced job is not doubled");
    assert_eq!(search(&ix, "出纳"), Vec::<i64>::new());
    assert_eq!(search(&ix, "高级").first(), Some(&1));
    let s = JobSearch { station_id: 1, text: Some("高级".into()), limit: 1, now: NOW, ..Default::default() };
    let hit = ix.search(&s).unwrap().hits.remove(0);
    assert_eq!(hit.card.as_deref(), Some("card of 会计".as_bytes()), "the stored card comes back with the hit");
    assert_eq!(ix.sync_position().unwrap(), "c2");
    ix.clear().unwrap();
    ix.commit("c3").unwrap();
    assert!(ix.is_empty());
}

#[test]
fn an_index_folder_keeps_its_sync_position_and_a_broken_one_is_recreated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs");
    {
        let (ix, opened) = JobIndex::open(&path).unwrap();
        assert!(matches!(opened, Opened::Created { .. }));
        ix.put(&corpus()).unwrap();
        ix.commit("{\"tx\":7}").unwrap();
    }
    {
        let (ix, opened) = JobIndex::open(&path).unwrap();
        assert_eq!(opened, Opened::Existing { sync: "{\"tx\":7}".into() });
        assert_eq!(ix.len(), 10);
    }
    std::fs::write(path.join("meta.json"), b"{ not json").unwrap();
    let (ix, opened) = JobIndex::open(&path).unwrap();
    assert!(matches!(opened, Opened::Created { .. }), "{opened:?}");
    assert!(ix.is_empty(), "recreated empty, for the caller to rebuild");
}

#[test]
fn a_second_writer_on_the_same_folder_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs");
    let (_ix, _) = JobIndex::open(&path).unwrap();
    match JobIndex::open(&path) {
        Err(rencai_search::SearchError::Locked) => {}
        other => panic!("expected Locked, got {:?}", other.map(|(_, o)| o)),
    }
}

/// A bigger corpus in several segments, with replaced and removed jobs: the pruned keyword
/// search (no facets) must return exactly the page the full pass (with facets) returns.
/// `n` jobs of a few titles, verified, placed on top (every `placed_every`-th, and some whose
/// placement is over), refreshed over three months, in several segments with deleted ones.
fn mixed_corpus_index(n: i64, placed_every: i64) -> JobIndex {
    let titles = ["销售代表", "销售经理", "会计", "仓库管理员", "厨师", "行政文员", "司机", "软件工程师"];
    let bodies = ["负责销售与客户维护", "协助会计整理单据", "负责仓库盘点", "有驾照，负责配送", "无"];
    let ix = JobIndex::in_ram().unwrap();
    let mut batch = Vec::new();
    for id in 1..=n {
        let mut j = job(id, titles[(id * 7 % 8) as usize], "广州市恒达贸易有限公司", bodies[(id % 5) as usize]);
        j.verified = id % 3 == 0;
        j.top_until = match id % placed_every {
            0 => Some(NOW + DAY),
            5 => Some(NOW - DAY), // placement over
            _ => None,
        };
        j.refreshed_at = NOW - (id * 7_919 % 90) * DAY;
        j.district = if id % 4 == 0 { "panyu".into() } else { "tianhe".into() };
        j.salary = (id % 10 != 0).then_some((3_000, 4_000 + (id % 37) as u32 * 500));
        batch.push(j);
        if batch.len() == 400 {
            ix.put(&batch).unwrap();
            ix.commit(&format!("c{id}")).unwrap();
            batch.clear();
        }
    }
    ix.put(&batch).unwrap();
    // Replace some (delete + add) and remove others, so segments carry deleted documents.
    let mut again: Vec<JobDoc> = (1..=n).step_by(13).map(|id| job(id, "销售主管", "恒达", "负责销售")).collect();
    again.iter_mut().for_each(|j| j.refreshed_at = NOW);
    ix.put(&again).unwrap();
    ix.remove(&(1..=n).step_by(17).map(|id| format!("job-{id}")).collect::<Vec<_>>());
    ix.commit("last").unwrap();
    ix
}

/// The hits' ids, in rank order.
fn hit_ids(r: &rencai_search::JobResults) -> Vec<i64> {
    r.hits.iter().map(|h| h.id).collect()
}

/// The search as asked, and the same search through the full pass (facets make every match
/// visited; they change nothing in the ranking).
fn served_and_full(ix: &JobIndex, s: JobSearch) -> (rencai_search::JobResults, rencai_search::JobResults) {
    let served = ix.search(&s).unwrap();
    let full = ix.search(&JobSearch { facets: true, ..s }).unwrap();
    (served, full)
}

#[test]
fn a_keyword_page_without_facets_equals_the_full_ranking() {
    // Large enough that the one-word queries are past the full-pass size (asserted below).
    // With few jobs placed on top they are ranked apart first; with many (every fifth),
    // placement stays in the bound of the one pass.
    for placed_every in [11, 5] {
        let ix = mixed_corpus_index(12_000, placed_every);
        keyword_pages_equal_the_full_ranking(&ix, placed_every);
    }
}

fn keyword_pages_equal_the_full_ranking(ix: &JobIndex, placed_every: i64) {
    for (text, district, offset) in [
        ("销售", None, 0),
        ("销售", None, 40),
        ("会计", Some("panyu"), 0),
        ("厨", None, 0),
        ("kuaiji", None, 0),
        ("销售 负责", None, 20),
    ] {
        let s = JobSearch {
            station_id: 1,
            text: Some(text.into()),
            district: district.map(str::to_string),
            offset,
            limit: 20,
            now: NOW,
            ..Default::default()
        };
        let (pruned, full) = served_and_full(ix, s);
        assert_eq!(hit_ids(&pruned), hit_ids(&full), "{text} {district:?} from {offset}, placed every {placed_every}");
        assert_eq!(pruned.hits.len(), 20, "{text}: a full page");
        assert_eq!((pruned.total, pruned.capped), (full.total, false), "{text}: under the cap the count is exact");
        if district.is_none() && !text.contains(' ') {
            assert!(full.total > rencai_search::FULL_PASS_UP_TO, "{text}: the pruned pass served this page");
        }
    }
}

#[test]
fn a_keyword_page_equals_the_full_ranking_where_freshness_and_title_length_compete() {
    // Times spread to the second over three months and titles of many lengths: an old job
    // with a short title can outrank a fresh one with a long title, so the pruned pass must
    // find jobs outside the freshest hours it ranks first, near its threshold, on every page.
    let titles = ["销售", "销售代表", "电话销售", "资深销售代表", "销售经理助理", "区域销售主管快消品", "代表"];
    let ix = JobIndex::in_ram().unwrap();
    let mut batch = Vec::new();
    for id in 1..=12_000i64 {
        let mut j = job(id, titles[(id * 5 % 7) as usize], "恒达", if id % 4 == 0 { "负责销售" } else { "无" });
        j.refreshed_at = NOW - (id * 3_571) % (90 * DAY);
        j.verified = id % 3 != 0;
        j.top_until = (id % 997 == 0).then_some(NOW + DAY);
        batch.push(j);
        if batch.len() == 500 {
            ix.put(&batch).unwrap();
            ix.commit(&format!("c{id}")).unwrap();
            batch.clear();
        }
    }
    ix.remove(&(1..=12_000).step_by(19).map(|id| format!("job-{id}")).collect::<Vec<_>>());
    ix.commit("last").unwrap();
    for (text, offset) in [("销售", 0), ("销售", 20), ("销售", 60), ("销售", 200), ("代表", 0), ("代表", 40)]
    {
        let s = JobSearch { station_id: 1, text: Some(text.into()), offset, limit: 20, now: NOW, ..Default::default() };
        let (pruned, full) = served_and_full(&ix, s);
        assert!(full.total > rencai_search::FULL_PASS_UP_TO, "{text}: the pruned pass served this page");
        assert_eq!(hit_ids(&pruned), hit_ids(&full), "{text} from {offset}");
        assert_eq!(pruned.hits.len(), 20, "{text} from {offset}: a full page");
    }
}

#[test]
fn a_list_without_words_equals_the_full_ranking_in_every_order() {
    // Past the size where the window below the largest value serves the page: refreshed in
    // whole days (ties across the window's edge), jobs placed on top, deleted documents.
    let ix = mixed_corpus_index(12_000, 11);
    let everything = ix.search(&JobSearch { station_id: 1, limit: 1, now: NOW, ..Default::default() }).unwrap();
    assert!(everything.total > 10_000, "{}", everything.total);
    let cases = [
        (JobSort::Relevance, None, None, 0),
        (JobSort::Fresh, None, None, 40),
        (JobSort::Fresh, Some("panyu"), None, 0),
        (JobSort::Fresh, None, Some(NOW - 30 * DAY), 100),
        (JobSort::Newest, None, None, 0),
        (JobSort::Newest, Some("tianhe"), None, 200),
        (JobSort::Salary, None, None, 0),
        (JobSort::Salary, Some("panyu"), None, 60),
    ];
    for (sort, district, since, offset) in cases {
        let s = JobSearch {
            station_id: 1,
            district: district.map(str::to_string),
            since,
            sort,
            offset,
            limit: 20,
            now: NOW,
            ..Default::default()
        };
        let (windowed, full) = served_and_full(&ix, s);
        let case = format!("{sort:?} {district:?} {since:?} from {offset}");
        assert_eq!(hit_ids(&windowed), hit_ids(&full), "{case}");
        assert_eq!(windowed.hits.len(), 20, "{case}: a full page");
        assert_eq!((windowed.total, windowed.capped), (full.total, false), "{case}: the count is exact");
    }
    // The freshest list starts with the jobs placed on top.
    let fresh = ix.search(&JobSearch { station_id: 1, limit: 20, now: NOW, ..Default::default() }).unwrap();
    assert!(fresh.hits.iter().all(|h| h.id % 11 == 0), "{:?}", fresh.hits);
}

#[test]
fn a_broad_keyword_stops_counting_at_the_cap_and_facets_count_exactly() {
    let n = rencai_search::COUNT_CAP as i64 + 500;
    let ix = JobIndex::in_ram().unwrap();
    ix.put(&(1..=n).map(|id| job(id, "销售代表", "恒达", "无")).collect::<Vec<_>>()).unwrap();
    ix.commit("c").unwrap();
    let mut s = JobSearch { station_id: 1, text: Some("销售".into()), limit: 20, now: NOW, ..Default::default() };
    let capped = ix.search(&s).unwrap();
    assert_eq!((capped.total, capped.capped), (rencai_search::COUNT_CAP, true));
    s.facets = true;
    let exact = ix.search(&s).unwrap();
    assert_eq!((exact.total, exact.capped), (n as u64, false));
    assert_eq!(hit_ids(&capped), hit_ids(&exact));
    // Deleted jobs still count in the word's statistics; below the cap the count is exact.
    ix.remove(&(1..=600).map(|id| format!("job-{id}")).collect::<Vec<_>>());
    ix.commit("fewer").unwrap();
    s.facets = false;
    let under = ix.search(&s).unwrap();
    assert_eq!((under.total, under.capped), (n as u64 - 600, false));
}

#[test]
fn a_second_station_keeps_its_jobs_out_of_every_kind_of_pass() {
    // With one station its filter narrows nothing and is left out; a second station's jobs
    // (sharing the words) make it count again, in the pruned, counted and faceted passes.
    let ix = JobIndex::in_ram().unwrap();
    let docs: Vec<JobDoc> = (1..=3_000)
        .map(|id| {
            let mut j = job(id, if id % 2 == 0 { "销售代表" } else { "销售经理" }, "恒达", "负责销售");
            j.station_id = if id % 3 == 0 { 2 } else { 1 };
            j
        })
        .collect();
    ix.put(&docs).unwrap();
    ix.commit("c").unwrap();
    let ours = docs.iter().filter(|j| j.station_id == 1).count() as u64;
    for facets in [false, true] {
        for offset in [0, 100] {
            let s = JobSearch {
                station_id: 1,
                text: Some("销售".into()),
                offset,
                limit: 20,
                facets,
                now: NOW,
                ..Default::default()
            };
            let r = ix.search(&s).unwrap();
            assert_eq!(r.total, ours, "facets {facets}: only this station's jobs are counted");
            assert_eq!(r.hits.len(), 20);
            assert!(r.hits.iter().all(|h| h.id % 3 != 0), "facets {facets} from {offset}: {:?}", r.hits);
        }
    }
}
