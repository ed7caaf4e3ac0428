//! The authorization matrix: every route × every kind of actor × ownership, over HTTP.
//!
//! * [`router_routes`] reads the router's own sources (compiled into this test with
//!   `include_str!`), so `every_route_is_in_the_matrix` fails on a route the table does not
//!   cover, and on a row whose route is gone: the table cannot drift from the router.
//! * [`MATRIX`] says, for each route and each actor of [`ACTORS`], what must happen: a page, a
//!   redirect to a login, or a refusal with a given status. Ownership is spelled out with
//!   several rows per route, each aimed at an object of the [`World`]: company A's jobs, its
//!   sub-account's draft, seekers' resumes that are applied to, hidden, blocking A or unlocked
//!   by A.
//! * `the_matrix_holds` builds that world once through the use cases, walks the whole table and
//!   reports every mismatch at the end. A refused form post must also leave the world exactly
//!   as it was (see [`World::snapshot`]): a 404 that did its work anyway is still a hole.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use regex::Regex;
use rencai_app::auth::sessions::{self, SessionKind};
use rencai_app::auth::staff::StaffUser;
use rencai_app::market::actor::{self, Recruiter};
use rencai_app::market::attachments;
use rencai_app::market::light::{self, LightInput, LightKind};
use rencai_app::market::org_files::{self, OrgFile};
use rencai_app::market::quota::{self, QuotaKind};
use rencai_app::market::{companies, jobs, resumes};
use rencai_domain::account::Role;
use rencai_domain::staff::StaffRole;
use rencai_store::market::companies as org_store;
use rencai_store::market::disclosures as disclosure_store;
use rencai_store::market::favourites as favourite_store;
use rencai_store::market::jobs as job_store;
use rencai_store::market::light as light_store;
use rencai_store::market::moderation as moderation_store;
use rencai_store::market::resumes as resume_store;
use rencai_testkit::market::{Visitor, job_input, phone, resume_content, signed_in, staff_member, verified_org};
use rencai_testkit::{TestApp, TestOptions};

// ---------------------------------------------------------------- the router, as its sources say

const WEB_LIB: &str = include_str!("../../../rencai-web/src/lib.rs");
const PAGES: &str = include_str!("../../../rencai-web/src/pages/mod.rs");
const API: &str = include_str!("../../../rencai-web/src/api/mod.rs");
const ASSETS: &str = include_str!("../../../rencai-web/src/assets.rs");
const METRICS: &str = include_str!("../../../rencai-web/src/metrics.rs");

/// The routers `rencai_web::router` puts together, exactly as lib.rs writes them. A router
/// mounted anywhere else would have routes this test cannot see, so a new one fails here first.
const MOUNTS: [&str; 5] = [
    "merge(pages::router())",
    "merge(assets::router())",
    "nest(\"/api/v1\", api::router())",
    "merge(api::docs())",
    "merge(metrics::router())",
];

/// Every `.merge(…)` and `.nest(…)` of lib.rs, and the prefix the JSON API is nested under.
fn mounts() -> (Vec<String>, String) {
    let mount = Regex::new(r"(?m)\.((?:merge|nest)\(.*\))\s*$").expect("regex");
    let found: Vec<String> = mount.captures_iter(WEB_LIB).map(|c| c[1].to_string()).collect();
    let nest = Regex::new(r#"\.nest\("([^"]+)",\s*api::router\(\)\)"#).expect("regex");
    let prefix = nest.captures(WEB_LIB).map(|c| c[1].to_string()).expect("lib.rs nests the API router");
    (found, prefix)
}

/// (method, path) of each `.route("…", get(…).post(…))` in `src`, with `prefix` in front.
fn routes_in(src: &str, file: &str, prefix: &str) -> Vec<(String, String)> {
    let route = Regex::new(r#"\.route\(\s*"([^"]*)""#).expect("regex");
    let method = Regex::new(r"\b(get|post|put|patch|delete|head|options|trace|connect|any)\(").expect("regex");
    let found: Vec<(usize, usize, String)> = route
        .captures_iter(src)
        .map(|c| {
            let m = c.get(0).expect("whole match");
            (m.start(), m.end(), c[1].to_string())
        })
        .collect();
    assert_eq!(found.len(), src.matches(".route(").count(), "{file}: a `.route(` whose path is not a string literal");
    let mut out = Vec::new();
    for (i, (_, end, path)) in found.iter().enumerate() {
        let next = found.get(i + 1).map(|(start, _, _)| *start).unwrap_or(src.len());
        let mut methods = &src[*end..next];
        // The last route of a router ends where the router does.
        for stop in ["\n}", ".fallback(", ".merge(", ".nest(", ".layer(", ".with_state("] {
            if let Some(at) = methods.find(stop) {
                methods = &methods[..at];
            }
        }
        let before = out.len();
        for m in method.captures_iter(methods) {
            out.push((m[1].to_uppercase(), format!("{prefix}{path}")));
        }
        assert!(out.len() > before, "{file}: no method router found for {path:?}");
    }
    out
}

/// The routes `utoipa-swagger-ui` adds for `SwaggerUi::new(path).url(spec, …)`: a redirect at
/// the path, the UI under it and its files below it, and the OpenAPI document.
fn docs_routes(src: &str) -> Vec<(String, String)> {
    let ui = Regex::new(r#"SwaggerUi::new\("([^"]+)"\)"#).expect("regex");
    let spec = Regex::new(r#"\.url\("([^"]+)""#).expect("regex");
    let mut out = Vec::new();
    for c in ui.captures_iter(src) {
        let p = c[1].trim_end_matches('/').to_string();
        for path in [p.clone(), format!("{p}/"), format!("{p}/{{*rest}}")] {
            out.push(("GET".to_string(), path));
        }
    }
    for c in spec.captures_iter(src) {
        out.push(("GET".to_string(), c[1].to_string()));
    }
    assert_eq!(out.len(), 4, "api/mod.rs mounts one Swagger UI with one document");
    out
}

/// Every (method, route) the application answers.
fn router_routes() -> BTreeSet<(String, String)> {
    let (found, api_prefix) = mounts();
    let found: BTreeSet<&str> = found.iter().map(String::as_str).collect();
    let expected: BTreeSet<&str> = MOUNTS.into_iter().collect();
    assert_eq!(found, expected, "rencai_web::router mounts other routers than this test reads");
    let mut out = BTreeSet::new();
    for (src, file, prefix) in [
        (PAGES, "pages/mod.rs", ""),
        (API, "api/mod.rs", api_prefix.as_str()),
        (ASSETS, "assets.rs", ""),
        (METRICS, "metrics.rs", ""),
    ] {
        for r in routes_in(src, file, prefix) {
            assert!(out.insert(r.clone()), "{r:?} is routed twice");
        }
    }
    out.extend(docs_routes(API));
    out
}

// ---------------------------------------------------------------- the matrix

/// Who asks, in the order of every row's expectations.
const ACTORS: [&str; 8] = [
    "anonymous",
    "S1 (seeker, applied to A)",
    "A1 (company A, primary)",
    "A2 (company A, sub-account)",
    "B1 (company B)",
    "G (agency recruiting for A)",
    "moderator",
    "finance",
];
const A1: usize = 2;
const A2: usize = 3;
const B1: usize = 4;
const G: usize = 5;

/// What must happen to one request.
#[derive(Debug, Clone, Copy)]
enum Want {
    /// 200.
    Ok,
    /// 200, with the object's personal details in clear: a resume's name and phone, a job's
    /// contact phone.
    Full,
    /// 200, with those details absent or masked (a resume's phone as `139****0011`).
    Masked,
    /// 303 to this path (a query string aside): the request did what it asked.
    Done(&'static str),
    /// 204: done, nothing to show.
    Empty,
    /// 202: accepted, to be finished in the background.
    Accepted,
    /// 303 to a path under this prefix (an object's own page).
    Under(&'static str),
    /// 303 to this login page: turned away before the handler did anything.
    Login(&'static str),
    /// Refused with one of these statuses, and nothing changed.
    No(&'static [u16]),
}

impl Want {
    fn is_refusal(self) -> bool {
        matches!(self, Want::Login(_) | Want::No(_))
    }
}

impl fmt::Display for Want {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Want::Ok => write!(f, "200"),
            Want::Full => write!(f, "200 with the personal details in clear"),
            Want::Masked => write!(f, "200 with the personal details hidden or masked"),
            Want::Done(to) => write!(f, "303 → {to}"),
            Want::Under(to) => write!(f, "303 → {to}…"),
            Want::Empty => write!(f, "204"),
            Want::Accepted => write!(f, "202"),
            Want::Login(to) => write!(f, "303 → {to} (log in first)"),
            Want::No(statuses) => {
                let s: Vec<String> = statuses.iter().map(u16::to_string).collect();
                write!(f, "{}", s.join(" or "))
            }
        }
    }
}

const OK: Want = Want::Ok;
const FULL: Want = Want::Full;
const MASKED: Want = Want::Masked;
/// The site's login, where `CurrentUser` sends visitors (and staff, whose back-office cookie
/// the site does not read).
const LOGIN: Want = Want::Login("/login");
/// The back-office login, where `CurrentStaff` sends everyone without a back-office session.
const BACK: Want = Want::Login("/admin/login");
/// The API without a bearer token (staff and visitors have none).
const E401: Want = Want::No(&[401]);
const E403: Want = Want::No(&[403]);
const E404: Want = Want::No(&[404]);
const E409: Want = Want::No(&[409]);
const E422: Want = Want::No(&[422]);
/// A login or code form sent empty: turned down as invalid, wrong or too frequent — never a
/// session, never a 5xx.
const BAD: Want = Want::No(&[400, 401, 409, 422, 429]);
/// A socket route asked without the upgrade handshake.
const NO_UPGRADE: Want = Want::No(&[400, 426]);
const NO_CONTENT: Want = Want::Empty;
const TO_CHAT: Want = Want::Under("/chat/");
const TO_COMPANY: Want = Want::Done("/company");
const TO_MY_RESUMES: Want = Want::Done("/me/resumes");
const TO_PRIVACY: Want = Want::Under("/me/privacy");
const HOME: Want = Want::Done("/");
const ACCEPTED: Want = Want::Accepted;

// Columns of every row: anonymous, S1, A1, A2, B1, G, moderator, finance.
const EVERYONE: [Want; 8] = [OK; 8];
/// Any account on the site.
const ACCOUNTS: [Want; 8] = [LOGIN, OK, OK, OK, OK, OK, LOGIN, LOGIN];
const SEEKERS: [Want; 8] = [LOGIN, OK, E403, E403, E403, E403, LOGIN, LOGIN];
const RECRUITERS: [Want; 8] = [LOGIN, E403, OK, OK, OK, OK, LOGIN, LOGIN];
const BACK_OFFICE: [Want; 8] = [BACK, BACK, BACK, BACK, BACK, BACK, OK, OK];
/// Back-office pages that need `ModerateContent`, which finance lacks.
const MODERATION: [Want; 8] = [BACK, BACK, BACK, BACK, BACK, BACK, OK, E403];
/// A seeker's own resume pages and forms, asked about someone else's resume.
const NOT_MY_RESUME: [Want; 8] = [LOGIN, E404, E403, E403, E403, E403, LOGIN, LOGIN];
/// The API's recruiter endpoints on a resume nobody may reach.
const API_DENIED: [Want; 8] = [E401, E403, E404, E404, E404, E404, E401, E401];

/// One route, aimed at one object, and what each actor gets.
#[derive(Debug, Clone, Copy)]
struct Row {
    method: &'static str,
    /// As the router writes it.
    route: &'static str,
    /// What fills the route's `{…}` segments, in order, separated by spaces: objects of the
    /// world such as `{a_job}` (see [`World::fill`]) or literals.
    arg: &'static str,
    /// Form fields (pages, sent with the visitor's CSRF token) or JSON fields (API); values
    /// may name objects of the world.
    form: &'static [(&'static str, &'static str)],
    /// The object whose personal details `Full` and `Masked` are about: `arg` unless set.
    subject: &'static str,
    /// Sent from a throwaway session of each actor, because the request ends the session.
    fresh: bool,
    /// Sent as `multipart/form-data` with the CSRF token in the query, as a file upload is;
    /// a `("file", "png")` field is a small PNG image.
    upload: bool,
    /// In the order of [`ACTORS`].
    want: [Want; 8],
}

const fn get(route: &'static str, arg: &'static str, want: [Want; 8]) -> Row {
    Row { method: "GET", route, arg, form: &[], subject: "", fresh: false, upload: false, want }
}

const fn post(
    route: &'static str,
    arg: &'static str,
    form: &'static [(&'static str, &'static str)],
    want: [Want; 8],
) -> Row {
    Row { method: "POST", route, arg, form, subject: "", fresh: false, upload: false, want }
}

impl Row {
    const fn fresh(self) -> Row {
        Row { fresh: true, ..self }
    }

    const fn upload(self) -> Row {
        Row { upload: true, ..self }
    }

    /// For a list page: whose details it must show or hide.
    const fn about(self, subject: &'static str) -> Row {
        Row { subject, ..self }
    }

    fn subject(&self) -> &'static str {
        if self.subject.is_empty() { self.arg } else { self.subject }
    }
}

/// A job that passes every posting rule (saved as a draft: no `action=submit`).
const VALID_JOB: &[(&str, &str)] = &[
    ("title", "凉菜厨师"),
    ("category", "catering-chef"),
    ("industry", "hospitality"),
    ("district", "wz-gaosuntang"),
    ("address", "万州区高笋塘街道北山大道88号"),
    ("salary_min", "5000"),
    ("salary_max", "8000"),
    ("education", "any"),
    ("experience", "1-3"),
    ("job_type", "full-time"),
    ("headcount", "2"),
    ("benefits", "meals"),
    ("benefits", "social-insurance"),
    ("description", "负责后厨热菜的烹饪与出品，保证菜品口味稳定；协助厨师长管理食材库存与厨房卫生。"),
    ("contact_name", "王经理"),
    ("contact_phone", "13812345678"),
];

/// A complete resume, as the resume form sends it.
const VALID_RESUME: &[(&str, &str)] = &[
    ("title", "厨师求职简历"),
    ("full_name", "钱多多"),
    ("gender", "female"),
    ("birth_year", "1995"),
    ("education_level", "senior-high"),
    ("experience_level", "3-5"),
    ("current_district", "wz-gaosuntang"),
    ("intent_category", "catering-chef"),
    ("intent_industry", "hospitality"),
    ("intent_district", "wz-gaosuntang"),
    ("salary_min", "5000"),
    ("salary_max", "8000"),
    ("job_type", "full-time"),
    ("edu_school_0", "重庆三峡职业学院"),
    ("edu_major_0", "烹饪工艺与营养"),
    ("edu_degree_0", "college"),
    ("edu_start_0", "2013-09"),
    ("edu_end_0", "2016-06"),
    ("work_company_0", "万州区某火锅店"),
    ("work_title_0", "厨师"),
    ("work_start_0", "2016-07"),
    ("work_end_0", ""),
    ("work_desc_0", "负责热菜出品。"),
    ("skill_name_0", "川菜"),
    ("skill_level_0", "熟练"),
    ("self_intro", "做事踏实，有八年后厨经验，能吃苦，熟悉川菜和火锅底料炒制，服从安排。"),
];

/// 210 characters: longer than any note the pipeline takes, so the form is refused (422).
const LONG_NOTE: &str = concat!(
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
    "一二三四五六七八九十",
);

const MAKE_PUBLIC: &[(&str, &str)] = &[("visibility", "public"), ("shown_to_companies", "1")];

/// Enough of a PNG for the upload's content check (images are stored, not parsed).
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];

/// The matrix. `the_matrix_holds` walks every GET row first, then every POST row, in this
/// order; within a row the refusals go first, while every object is as the world built it.
/// A POST that may succeed targets an object no later row depends on (`{a_closable}`,
/// `{a_editable}`), leaves things as they were (S1 blocks B, then unblocks it), or is an
/// allowed spend (unlocks: B1 and G have quota to spare).
///
/// Columns: anonymous, S1, A1, A2, B1, G, moderator, finance.
static MATRIX: &[Row] = &[
    // Public pages, and what search engines and monitors read.
    get("/", "", EVERYONE),
    get("/privacy", "", EVERYONE),
    get("/terms", "", EVERYONE),
    get("/healthz", "", EVERYONE),
    get("/robots.txt", "", EVERYONE),
    get("/sitemap.xml", "", EVERYONE),
    get("/sitemaps/{name}", "pages.xml", EVERYONE),
    get("/static/site.css", "", EVERYONE),
    get("/static/nearby.js", "", EVERYONE),
    get("/static/chat.js", "", EVERYONE),
    get("/static/filters.js", "", EVERYONE),
    get("/favicon.svg", "", EVERYONE),
    get("/favicon.ico", "", EVERYONE),
    // Loopback only (the test client is on loopback); no account matters.
    get("/metrics", "", EVERYONE),
    // Only with the dev outbox switched on, which it is not here.
    get("/dev/outbox", "", [E404; 8]),
    // Registration and the three login portals: open to all; empty forms are turned down.
    get("/register", "", EVERYONE),
    post("/register", "", &[], [BAD; 8]),
    post("/register/code", "", &[], [BAD; 8]),
    get("/login", "", EVERYONE),
    post("/login", "", &[], [BAD; 8]),
    post("/login/code", "", &[], [BAD; 8]),
    get("/company/login", "", EVERYONE),
    post("/company/login", "", &[], [BAD; 8]),
    post("/company/login/code", "", &[], [BAD; 8]),
    get("/agency/login", "", EVERYONE),
    post("/agency/login", "", &[], [BAD; 8]),
    post("/agency/login/code", "", &[], [BAD; 8]),
    post("/logout", "", &[], [Want::Done("/"); 8]).fresh(),
    // The account page and its forms.
    get("/me", "", ACCOUNTS),
    // Ending a session is for its own account only: A1's spare session is not anyone else's.
    post(
        "/me/sessions/end",
        "",
        &[("session", "{a1_spare_session}")],
        [LOGIN, E404, Want::Done("/me"), E404, E404, E404, LOGIN, LOGIN],
    ),
    get("/me/phone", "", ACCOUNTS),
    post("/me/phone", "", &[], [LOGIN, BAD, BAD, BAD, BAD, BAD, LOGIN, LOGIN]),
    post("/me/phone/codes", "", &[], [LOGIN, BAD, BAD, BAD, BAD, BAD, LOGIN, LOGIN]),
    // Jobs: public lists; a job's contact only for applicants and its organisation (P6).
    get("/jobs", "", EVERYONE),
    get("/jobs/counts", "", EVERYONE),
    get("/today", "", EVERYONE),
    get("/today/counts", "", EVERYONE),
    get("/campus", "", EVERYONE),
    get("/campus/counts", "", EVERYONE),
    // Nearby: for everyone; a form without a position is refused, the same for all.
    get("/nearby", "", EVERYONE),
    post("/nearby", "", &[], [E422; 8]),
    get("/jobs/{id}", "{a_job}", [MASKED, FULL, FULL, FULL, MASKED, MASKED, MASKED, MASKED]),
    // A draft exists only for its organisation (the agency did not post it).
    get("/jobs/{id}", "{a2_job}", [E404, E404, OK, OK, E404, E404, E404, E404]),
    // Only seekers apply; S1 already has.
    post(
        "/jobs/{id}/apply",
        "{a_job}",
        &[("resume", "{s1_resume}")],
        [LOGIN, E409, E403, E403, E403, E403, LOGIN, LOGIN],
    ),
    // A draft takes no applications; the refusal page for B1 and G does not reveal it exists.
    post(
        "/jobs/{id}/apply",
        "{a2_job}",
        &[("resume", "{s1_resume}")],
        [LOGIN, E404, E403, E403, E404, E404, LOGIN, LOGIN],
    ),
    get("/companies", "", EVERYONE),
    get("/companies/{id}", "{a_org}", EVERYONE),
    // The company center: organisations only; the profile and verification are the primary's.
    get("/company", "", RECRUITERS),
    get("/company/profile", "", RECRUITERS),
    post("/company/profile", "", &[], [LOGIN, E403, E422, E403, E422, E422, LOGIN, LOGIN]),
    post("/company/verify", "", &[], [LOGIN, E403, E409, E403, E409, E409, LOGIN, LOGIN]),
    // The real-name check: recruiters only; A1, B1 and G passed it already (nothing to do),
    // A2 has not, and an empty form is refused.
    post("/company/realname", "", &[], [LOGIN, E403, TO_COMPANY, E422, TO_COMPANY, TO_COMPANY, LOGIN, LOGIN]),
    // Inviting colleagues is the primary account's; an empty number is refused.
    // Taxonomies are the content editors' (and administrators'); neither moderator nor finance.
    get("/admin/taxonomies", "", [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    post("/admin/taxonomies", "", &[], [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    // Notice wording too.
    get("/admin/templates", "", [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    post("/admin/templates", "", &[], [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    post("/admin/templates/reset", "", &[], [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    // Top placement of A's job: its primary account (no top days granted: refused); others never reach it.
    post("/company/jobs/{id}/top", "{a_job}", &[("days", "1")], [LOGIN, E403, E409, E404, E404, E404, LOGIN, LOGIN]),
    post("/company/members/invite", "", &[], [LOGIN, E403, E422, E403, E422, E422, LOGIN, LOGIN]),
    // Everyone in the world already belongs to an organisation.
    post("/company/join", "", &[], [LOGIN, E403, E409, E409, E409, E409, LOGIN, LOGIN]),
    // Handing A's job over: only A's primary account (to someone who is not a member: refused).
    post("/company/jobs/{id}/reassign", "{a_job}", &[], [LOGIN, E403, E422, E403, E404, E404, LOGIN, LOGIN]),
    // Only an agency declares clients; G has declared A already.
    post(
        "/company/clients",
        "",
        &[("client", "{a_org}"), ("note", "委托书2026-009，期限一年")],
        [LOGIN, E403, E403, E403, E403, E409, LOGIN, LOGIN],
    ),
    post("/company/jobs", "", &[], [LOGIN, E403, E422, E422, E422, E422, LOGIN, LOGIN]),
    get("/company/jobs/new", "", RECRUITERS),
    // A's published job is A1's: its sub-account, B and the agency do not manage it (P17).
    get("/company/jobs/{id}/edit", "{a_job}", [LOGIN, E403, OK, E404, E404, E404, LOGIN, LOGIN]),
    // Suggested candidates: for the job's owner (and primary account) only, like editing it.
    get("/company/jobs/{id}/candidates", "{a_job}", [LOGIN, E403, OK, E404, E404, E404, LOGIN, LOGIN]),
    // A2's draft: A2 and A's primary account manage it.
    get("/company/jobs/{id}/edit", "{a2_job}", [LOGIN, E403, OK, OK, E404, E404, LOGIN, LOGIN]),
    post("/company/jobs/{id}/edit", "{a_job}", &[], [LOGIN, E403, E422, E404, E404, E404, LOGIN, LOGIN]),
    // A valid job: the owner's edit goes through (back to review), nobody else's does.
    post(
        "/company/jobs/{id}/edit",
        "{a_editable}",
        VALID_JOB,
        [LOGIN, E403, TO_COMPANY, E404, E404, E404, LOGIN, LOGIN],
    ),
    post(
        "/company/jobs/{id}/edit",
        "{a2_job}",
        VALID_JOB,
        [LOGIN, E403, TO_COMPANY, TO_COMPANY, E404, E404, LOGIN, LOGIN],
    ),
    post("/company/jobs/{id}/refresh", "{a_job}", &[], [LOGIN, E403, TO_COMPANY, E404, E404, E404, LOGIN, LOGIN]),
    post("/company/jobs/{id}/close", "{a_closable}", &[], [LOGIN, E403, TO_COMPANY, E404, E404, E404, LOGIN, LOGIN]),
    // The resume center: recruiters only, each resume as the access policy says (P5, P6).
    get("/resumes", "", RECRUITERS),
    // S1 applied to A: every recruiter of A sees it in full; others masked.
    get("/resumes/{id}", "{s1_resume}", [LOGIN, E403, FULL, FULL, MASKED, MASKED, LOGIN, LOGIN]),
    // S2's resume is hidden.
    get("/resumes/{id}", "{s2_resume}", [LOGIN, E403, E404, E404, E404, E404, LOGIN, LOGIN]),
    // S3 blocked A, which cuts off A's recruiters and A's agency, not B.
    get("/resumes/{id}", "{s3_resume}", [LOGIN, E403, E404, E404, MASKED, E404, LOGIN, LOGIN]),
    // A unlocked S4: for every recruiter of A, and only A (not its agency).
    get("/resumes/{id}", "{s4_resume}", [LOGIN, E403, FULL, FULL, MASKED, MASKED, LOGIN, LOGIN]),
    post("/resumes/{id}/unlock", "{s2_resume}", &[], [LOGIN, E403, E404, E404, E404, E404, LOGIN, LOGIN]),
    post("/resumes/{id}/unlock", "{s3_resume}", &[], [LOGIN, E403, E404, E404, FULL, E404, LOGIN, LOGIN]),
    post("/resumes/{id}/unlock", "{s4_resume}", &[], [LOGIN, E403, FULL, FULL, FULL, FULL, LOGIN, LOGIN]),
    // S1's attachment: for whom the policy shows S1's resume in full; masked is not enough.
    get("/resumes/{id}/files/{file}", "{s1_resume} {s1_file}", [LOGIN, E403, OK, OK, E403, E403, LOGIN, LOGIN]),
    // A resume A sees in full does not open another resume's file.
    get("/resumes/{id}/files/{file}", "{s4_resume} {s1_file}", [LOGIN, E403, E404, E404, E403, E403, LOGIN, LOGIN]),
    get("/resumes/{id}/files/{file}", "{s2_resume} {s1_file}", [LOGIN, E403, E404, E404, E404, E404, LOGIN, LOGIN]),
    // The watermarked PDF: full view only.
    get("/resumes/{id}/pdf", "{s1_resume}", [LOGIN, E403, OK, OK, E403, E403, LOGIN, LOGIN]),
    get("/resumes/{id}/pdf", "{s2_resume}", [LOGIN, E403, E404, E404, E404, E404, LOGIN, LOGIN]),
    get("/me/files/{id}", "{s1_file}", [LOGIN, OK, E404, E404, E404, E404, LOGIN, LOGIN]),
    post("/me/files/{id}/delete", "{s1_file}", &[], [LOGIN, TO_MY_RESUMES, E404, E404, E404, E404, LOGIN, LOGIN]),
    // An organisation's files: its own recruiters see them all; its logo and photos are public,
    // its qualification documents never; reviewers open documents (audited), finance may not.
    get("/company/files/{id}", "{a_qual}", [LOGIN, E403, OK, OK, E404, E404, LOGIN, LOGIN]),
    get("/companies/{id}/images/{file}", "{a_org} {a_photo}", EVERYONE),
    get("/companies/{id}/images/{file}", "{a_org} {a_qual}", [E404; 8]),
    get("/companies/{id}/images/{file}", "{b_org} {a_photo}", [E404; 8]),
    get("/admin/files/{id}", "{a_qual}", [BACK, BACK, BACK, BACK, BACK, BACK, OK, E403]),
    post("/company/files/{id}/delete", "{a_photo}", &[], [LOGIN, E403, TO_COMPANY, E403, E404, E404, LOGIN, LOGIN]),
    // An agency's authorization document for a client: the agency's primary account only.
    post(
        "/company/clients/{id}/document",
        "{a_org}",
        &[("file", "png")],
        [LOGIN, E403, E404, E403, E404, TO_COMPANY, LOGIN, LOGIN],
    )
    .upload(),
    post("/company/files", "", &[("file", "png")], [LOGIN, E403, E422, E422, E422, E422, LOGIN, LOGIN]).upload(),
    post("/me/resumes/{id}/attachments", "{s2_resume}", &[("file", "png")], NOT_MY_RESUME).upload(),
    post("/me/resumes/{id}/attachments", "{s1_resume}", &[], [LOGIN, E422, E403, E403, E403, E403, LOGIN, LOGIN])
        .upload(),
    // A seeker's own resumes: seekers only, and only their own.
    get("/me/resumes", "", SEEKERS),
    get("/me/resumes/new", "", SEEKERS),
    post("/me/resumes/create", "", &[], [LOGIN, E422, E403, E403, E403, E403, LOGIN, LOGIN]),
    post("/me/resumes/refresh", "", &[], [LOGIN, TO_MY_RESUMES, E403, E403, E403, E403, LOGIN, LOGIN]),
    get("/me/resumes/{id}/edit", "{s1_resume}", SEEKERS),
    get("/me/resumes/{id}/edit", "{s2_resume}", NOT_MY_RESUME),
    post("/me/resumes/{id}/edit", "{s1_resume}", &[], [LOGIN, E422, E403, E403, E403, E403, LOGIN, LOGIN]),
    post("/me/resumes/{id}/edit", "{s2_resume}", VALID_RESUME, NOT_MY_RESUME),
    post("/me/resumes/{id}/visibility", "{s2_resume}", MAKE_PUBLIC, NOT_MY_RESUME),
    post(
        "/me/resumes/{id}/visibility",
        "{s1_resume}",
        MAKE_PUBLIC,
        [LOGIN, TO_MY_RESUMES, E403, E403, E403, E403, LOGIN, LOGIN],
    ),
    post("/me/resumes/{id}/delete", "{s2_resume}", &[], NOT_MY_RESUME),
    // S1 blocks B and lifts the block again; recruiters cannot do either for a seeker.
    post("/me/blocks", "", &[("company", "{b_org}")], [LOGIN, TO_MY_RESUMES, E403, E403, E403, E403, LOGIN, LOGIN]),
    post(
        "/me/blocks/remove",
        "",
        &[("company", "{b_org}")],
        [LOGIN, TO_MY_RESUMES, E403, E403, E403, E403, LOGIN, LOGIN],
    ),
    get("/me/viewers", "", SEEKERS),
    // Saved searches (job alerts): a seeker's own.
    get("/me/alerts", "", SEEKERS),
    get("/me/alerts/new", "", SEEKERS),
    post("/me/alerts", "", &[("frequency", "weekly")], [LOGIN, E422, E403, E403, E403, E403, LOGIN, LOGIN]),
    post(
        "/me/alerts/{id}/frequency",
        "{s1_alert}",
        &[("frequency", "off")],
        [LOGIN, Want::Done("/me/alerts"), E403, E403, E403, E403, LOGIN, LOGIN],
    ),
    post(
        "/me/alerts/{id}/delete",
        "{s1_alert}",
        &[],
        [LOGIN, Want::Done("/me/alerts"), E403, E403, E403, E403, LOGIN, LOGIN],
    ),
    // Applications (M8): S1's application to A's job, invited to an interview. The seeker's
    // side is S1's alone; the recruiter's side is the job owner's and A's primary account's
    // (A1 is both), not A2's (a sub-account that does not own the job), B's or the agency's.
    get("/me/applications", "", SEEKERS),
    get("/me/applications/{id}", "{s1_application}", [LOGIN, OK, E403, E403, E403, E403, LOGIN, LOGIN]),
    post(
        "/me/applications/{id}/withdraw",
        "{s1_application}",
        &[("note", LONG_NOTE)],
        [LOGIN, E422, E403, E403, E403, E403, LOGIN, LOGIN],
    ),
    post(
        "/me/applications/{id}/interviews/{interview}",
        "{s1_application} {s1_interview}",
        &[("answer", "maybe")],
        [LOGIN, E422, E403, E403, E403, E403, LOGIN, LOGIN],
    ),
    get("/company/applications", "", RECRUITERS),
    get("/company/applications/{id}", "{s1_application}", [LOGIN, E403, FULL, E404, E404, E404, LOGIN, LOGIN])
        .about("{s1_resume}"),
    // A shortlist cannot follow an interview: A1's post changes nothing either. An invitation
    // with no details is refused; to anyone who does not manage the application, as not found.
    post(
        "/company/applications/bulk",
        "",
        &[("id", "{s1_application}"), ("step", "shortlist")],
        [LOGIN, E403, Want::Done("/company/applications"), E404, E404, E404, LOGIN, LOGIN],
    ),
    post(
        "/company/applications/invite",
        "",
        &[("id", "{s1_application}")],
        [LOGIN, E403, E422, E404, E404, E404, LOGIN, LOGIN],
    ),
    // Chat (M10): S1's conversation with A1 about A's job. Its two parties only; A's primary
    // account is A1 itself here, so A2 (a sub-account not in it), B and the agency get 404.
    get("/chat", "", ACCOUNTS),
    get("/chat/{id}", "{s1_chat}", [LOGIN, OK, OK, E404, E404, E404, LOGIN, LOGIN]),
    // A draft is not there to talk about; a recruiter without a resume to start from neither.
    post("/chat/start", "", &[("job", "{a2_job}")], [LOGIN, E404, E404, E404, E404, E404, LOGIN, LOGIN]),
    post("/chat/{id}/messages", "{s1_chat}", &[("text", "")], [LOGIN, E422, E422, E404, E404, E404, LOGIN, LOGIN]),
    post("/chat/{id}/block", "{s1_chat}", &[("on", "0")], [LOGIN, TO_CHAT, TO_CHAT, E404, E404, E404, LOGIN, LOGIN]),
    post(
        "/chat/{id}/report",
        "{s1_chat}",
        &[("reason", "boring")],
        [LOGIN, E422, E422, E404, E404, E404, LOGIN, LOGIN],
    ),
    get("/chat/ws", "", [NO_UPGRADE; 8]),
    // Notifications (M11): every account its own; channel switches are P13's.
    get("/me/notifications", "", ACCOUNTS),
    // The privacy center (P8, P13–P16): every account its own. Deactivation is asked with a
    // wrong password here, so the world keeps its accounts; its effects have their own tests.
    get("/me/privacy", "", ACCOUNTS),
    // Feedback (P18): visitors too; a ticket is its requester's alone; the queue is for staff
    // with `HandleTickets`, which neither staff actor has.
    get("/feedback", "", EVERYONE),
    // Correcting one's details (P12); the customer-service desk needs `ReadPersonalData`.
    get("/me/profile", "", ACCOUNTS),
    post("/me/profile", "", &[("email", "not-an-email")], [LOGIN, E422, E422, E422, E422, E422, LOGIN, LOGIN]),
    get("/admin/accounts", "", [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    get("/admin/archive", "", [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    post("/admin/archive", "", &[("phone", "13900000011")], [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    post(
        "/admin/accounts",
        "",
        &[("phone", "13900000011"), ("reason", "工单 1")],
        [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403],
    ),
    post(
        "/admin/accounts/{id}/reinstate",
        "{s1_account}",
        &[("reason", "复核")],
        [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403],
    ),
    // Statistics (P19) are public; incident notices (P11): a targeted one only for its
    // recipients (S1 here), published by staff with `ViewAudit`, which neither staff actor has.
    get("/stats", "", EVERYONE),
    get("/notices/{id}", "{s1_incident}", [E404, OK, E404, E404, E404, E404, E404, E404]),
    get("/admin/incidents", "", [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    post("/admin/incidents", "", &[("title", "测试")], [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    post("/feedback", "", &[("kind", "question")], [E422, E422, E422, E422, E422, E422, E422, E422]),
    get("/me/feedback/{id}", "{s1_ticket}", [LOGIN, OK, E404, E404, E404, E404, LOGIN, LOGIN]),
    post("/me/feedback/{id}", "{s1_ticket}", &[("body", "")], [LOGIN, E422, E404, E404, E404, E404, LOGIN, LOGIN]),
    get("/admin/tickets", "", [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    get("/admin/tickets/{id}", "{s1_ticket}", [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    post("/admin/tickets/{id}/assign", "{s1_ticket}", &[], [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    post(
        "/admin/tickets/{id}/reply",
        "{s1_ticket}",
        &[("body", "您好")],
        [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403],
    ),
    post(
        "/admin/tickets/{id}/close",
        "{s1_ticket}",
        &[("outcome", "resolved")],
        [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403],
    ),
    // Re-accepting the texts (P3): nothing outstanding here, so an account is sent on; staff
    // publish with `PublishLegalTexts`, which neither staff actor has.
    get("/legal/accept", "", [LOGIN, HOME, HOME, HOME, HOME, HOME, LOGIN, LOGIN]),
    post("/legal/accept", "", &[("privacy_version", "v1")], [LOGIN, E422, E422, E422, E422, E422, LOGIN, LOGIN]),
    get("/admin/legal", "", [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    post("/admin/legal", "", &[("kind", "privacy")], [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    post(
        "/me/privacy/personalization",
        "",
        &[("on", "0")],
        [LOGIN, TO_PRIVACY, TO_PRIVACY, TO_PRIVACY, TO_PRIVACY, TO_PRIVACY, LOGIN, LOGIN],
    ),
    post(
        "/me/privacy/exports",
        "",
        &[],
        [LOGIN, TO_PRIVACY, TO_PRIVACY, TO_PRIVACY, TO_PRIVACY, TO_PRIVACY, LOGIN, LOGIN],
    ),
    post("/me/privacy/exports/{id}/download", "{s1_export}", &[], [LOGIN, E409, E404, E404, E404, E404, LOGIN, LOGIN]),
    get("/me/privacy/deactivate", "", ACCOUNTS),
    post(
        "/me/privacy/tags/delete",
        "",
        &[("code", "catering-chef")],
        [LOGIN, TO_PRIVACY, TO_PRIVACY, TO_PRIVACY, TO_PRIVACY, TO_PRIVACY, LOGIN, LOGIN],
    ),
    post(
        "/me/privacy/deactivate",
        "",
        &[("password", "wrong-password-1"), ("understood", "1")],
        [LOGIN, E422, E422, E422, E422, E422, LOGIN, LOGIN],
    ),
    post("/me/notifications/channels", "", &[("channel", "fax")], [LOGIN, E422, E422, E422, E422, E422, LOGIN, LOGIN]),
    post(
        "/me/notifications/read",
        "",
        &[("id", "{a1_notification}")],
        [
            LOGIN,
            Want::Done("/me/notifications"),
            Want::Done("/me/notifications"),
            Want::Done("/me/notifications"),
            Want::Done("/me/notifications"),
            Want::Done("/me/notifications"),
            LOGIN,
            LOGIN,
        ],
    ),
    // Favourites (M9): seekers keep published jobs and companies, recruiters keep resumes they
    // may see; the way back is a path of this site only.
    get("/me/favourites", "", SEEKERS),
    get("/company/candidates", "", RECRUITERS),
    post(
        "/favourites",
        "",
        &[("kind", "resume"), ("id", "{s2_resume}")],
        [LOGIN, E403, E404, E404, E404, E404, LOGIN, LOGIN],
    ),
    post(
        "/favourites",
        "",
        &[("kind", "resume"), ("id", "{s3_resume}"), ("back", "//evil.example/")],
        [LOGIN, E403, E404, E404, Want::Done("/"), E404, LOGIN, LOGIN],
    ),
    post(
        "/favourites",
        "",
        &[("kind", "job"), ("id", "{a2_job}")],
        [LOGIN, E404, E403, E403, E403, E403, LOGIN, LOGIN],
    ),
    post(
        "/favourites",
        "",
        &[("kind", "job"), ("id", "{a_job}"), ("back", "/jobs")],
        [LOGIN, Want::Done("/jobs"), E403, E403, E403, E403, LOGIN, LOGIN],
    ),
    // 速聘 by A1: its phone for signed-in seekers and its poster. 一句话求职 by S1: the phone
    // only on a verified recruiter's request, which is a disclosure S1 sees.
    get("/quick", "", [MASKED, FULL, FULL, MASKED, MASKED, MASKED, MASKED, MASKED]).about("{a_quick}"),
    post("/quick", "", &[], [LOGIN, E403, E422, E422, E422, E422, LOGIN, LOGIN]),
    get("/wanted", "", [MASKED; 8]).about("{s1_wanted}"),
    post("/wanted", "", &[], [LOGIN, E422, E403, E403, E403, E403, LOGIN, LOGIN]),
    post("/wanted/{id}/contact", "{s1_wanted}", &[], [LOGIN, E403, FULL, FULL, FULL, FULL, LOGIN, LOGIN]),
    // Not a one-line post.
    post("/wanted/{id}/contact", "{a_quick}", &[], [LOGIN, E403, E404, E404, E404, E404, LOGIN, LOGIN]),
    // A post is closed by the account that wrote it, and by nobody else (not even A's primary
    // account for a sub-account's post: light posts belong to accounts).
    post(
        "/light/{id}/close",
        "{a_quick}",
        &[("kind", "quick")],
        [LOGIN, E404, Want::Done("/quick"), E404, E404, E404, LOGIN, LOGIN],
    ),
    post(
        "/light/{id}/close",
        "{s1_wanted}",
        &[("kind", "wanted")],
        [LOGIN, Want::Done("/wanted"), E404, E404, E404, E404, LOGIN, LOGIN],
    ),
    // The back office: its own login and cookie; each action names its permission (P10).
    get("/admin", "", BACK_OFFICE),
    get("/admin/login", "", EVERYONE),
    post("/admin/login", "", &[], [BAD; 8]),
    post("/admin/logout", "", &[], [Want::Done("/admin/login"); 8]).fresh(),
    post("/admin/staff", "", &[], [BACK, BACK, BACK, BACK, BACK, BACK, E403, E403]),
    get("/admin/companies", "", MODERATION),
    // B is verified already: nothing to reject.
    post("/admin/companies/{id}/review", "{b_org}", &[], [BACK, BACK, BACK, BACK, BACK, BACK, E409, E403]),
    // A rejection without a reason.
    post(
        "/admin/clients/review",
        "",
        &[("agency", "{g_org}"), ("client", "{a_org}")],
        [BACK, BACK, BACK, BACK, BACK, BACK, E422, E403],
    ),
    get("/admin/jobs", "", MODERATION),
    // A's job is live: nothing to reject.
    post("/admin/jobs/{id}/review", "{a_job}", &[], [BACK, BACK, BACK, BACK, BACK, BACK, E409, E403]),
    // Quota is finance's (`ManageOrders`), not the moderator's.
    get("/admin/quota", "", [BACK, BACK, BACK, BACK, BACK, BACK, E403, OK]),
    post(
        "/admin/quota",
        "",
        &[("kind", "resume_unlock"), ("company", "{b_org}")],
        [BACK, BACK, BACK, BACK, BACK, BACK, E403, E422],
    ),
    get("/admin/banned-words", "", MODERATION),
    post("/admin/banned-words", "", &[], [BACK, BACK, BACK, BACK, BACK, BACK, E422, E403]),
    get("/admin/light", "", MODERATION),
    // S1's post is live: nothing to decide.
    post("/admin/light/{id}/review", "{s1_wanted}", &[], [BACK, BACK, BACK, BACK, BACK, BACK, E409, E403]),
    post(
        "/admin/banned-words/remove",
        "",
        &[],
        [BACK, BACK, BACK, BACK, BACK, BACK, Want::Done("/admin/banned-words"), E403],
    ),
    // The API's documentation.
    get("/api/docs", "", [Want::Done("/api/docs/"); 8]),
    get("/api/docs/", "", EVERYONE),
    get("/api/docs/{*rest}", "swagger-ui.css", EVERYONE),
    get("/api/v1/openapi.json", "", EVERYONE),
    // The JSON API: bearer tokens, never cookies. Staff and visitors carry no token.
    get("/api/v1/taxonomies", "", EVERYONE),
    get("/api/v1/taxonomies/{kind}", "industry", EVERYONE),
    post("/api/v1/geo/district", "", &[], [E422; 8]),
    get("/api/v1/legal/{kind}", "privacy", EVERYONE),
    post("/api/v1/captcha", "", &[], EVERYONE),
    post("/api/v1/auth/codes", "", &[], [E422; 8]),
    post("/api/v1/auth/token", "", &[], [E422; 8]),
    post("/api/v1/auth/refresh", "", &[], [E422; 8]),
    post("/api/v1/auth/revoke", "", &[], [E422; 8]),
    get("/api/v1/me", "", [E401, OK, OK, OK, OK, OK, E401, E401]),
    get("/api/v1/jobs", "", EVERYONE),
    post("/api/v1/jobs/nearby", "", &[], [E422; 8]),
    get("/api/v1/jobs/{id}", "{a_job}", [MASKED, FULL, FULL, FULL, MASKED, MASKED, MASKED, MASKED]),
    get("/api/v1/jobs/{id}", "{a2_job}", [E404, E404, OK, OK, E404, E404, E404, E404]),
    get("/api/v1/quick", "", [MASKED, FULL, FULL, MASKED, MASKED, MASKED, MASKED, MASKED]).about("{a_quick}"),
    get("/api/v1/wanted", "", [MASKED; 8]).about("{s1_wanted}"),
    get("/api/v1/companies", "", EVERYONE),
    get("/api/v1/companies/{id}", "{a_org}", EVERYONE),
    get("/api/v1/resumes", "", [E401, E403, OK, OK, OK, OK, E401, E401]),
    get("/api/v1/resumes/{id}", "{s1_resume}", [E401, E403, FULL, FULL, MASKED, MASKED, E401, E401]),
    get("/api/v1/resumes/{id}", "{s2_resume}", API_DENIED),
    get("/api/v1/resumes/{id}", "{s3_resume}", [E401, E403, E404, E404, MASKED, E404, E401, E401]),
    get("/api/v1/resumes/{id}", "{s4_resume}", [E401, E403, FULL, FULL, MASKED, MASKED, E401, E401]),
    post("/api/v1/resumes/{id}/unlock", "{s2_resume}", &[], API_DENIED),
    post(
        "/api/v1/jobs/{id}/applications",
        "{a_job}",
        &[("resume", "{s1_resume}")],
        [E401, E409, E403, E403, E403, E403, E401, E401],
    ),
    get("/api/v1/me/applications", "", [E401, OK, E403, E403, E403, E403, E401, E401]),
    get("/api/v1/me/applications/{id}", "{s1_application}", [E401, OK, E403, E403, E403, E403, E401, E401]),
    post(
        "/api/v1/me/applications/{id}/withdraw",
        "{s1_application}",
        &[("note", LONG_NOTE)],
        [E401, E422, E403, E403, E403, E403, E401, E401],
    ),
    post(
        "/api/v1/me/interviews/{id}/answer",
        "{s1_interview}",
        &[("answer", "maybe")],
        [E401, E422, E403, E403, E403, E403, E401, E401],
    ),
    get("/api/v1/company/applications", "", [E401, E403, OK, OK, OK, OK, E401, E401]),
    get("/api/v1/company/applications/{id}", "{s1_application}", [E401, E403, FULL, E404, E404, E404, E401, E401])
        .about("{s1_resume}"),
    post(
        "/api/v1/company/applications/steps",
        "",
        &[("step", "teleport")],
        [E401, E403, E422, E422, E422, E422, E401, E401],
    ),
    post("/api/v1/company/applications/invite", "", &[], [E401, E403, E422, E422, E422, E422, E401, E401]),
    get("/api/v1/me/notifications", "", [E401, OK, OK, OK, OK, OK, E401, E401]),
    get("/api/v1/me/privacy", "", [E401, OK, OK, OK, OK, OK, E401, E401]),
    post("/api/v1/legal/accept", "", &[("privacy_version", "v0")], [E401, E422, E422, E422, E422, E422, E401, E401]),
    post(
        "/api/v1/me/privacy/personalization",
        "",
        &[("on", "maybe")],
        [E401, E422, E422, E422, E422, E422, E401, E401],
    ),
    get("/api/v1/me/exports", "", [E401, OK, OK, OK, OK, OK, E401, E401]),
    post("/api/v1/me/exports", "", &[], [E401, ACCEPTED, ACCEPTED, ACCEPTED, ACCEPTED, ACCEPTED, E401, E401]),
    get("/api/v1/me/exports/{id}/download", "{s1_export}", [E401, E409, E404, E404, E404, E404, E401, E401]),
    post(
        "/api/v1/me/deactivate",
        "",
        &[("password", "wrong-password-1")],
        [E401, E422, E422, E422, E422, E422, E401, E401],
    ),
    get("/api/v1/me/saved-searches", "", [E401, OK, E403, E403, E403, E403, E401, E401]),
    post("/api/v1/me/saved-searches", "", &[("frequency", "weekly")], [E401, E422, E403, E403, E403, E403, E401, E401]),
    post(
        "/api/v1/me/saved-searches/{id}/frequency",
        "{s1_api_alert}",
        &[("frequency", "weekly")],
        [E401, E422, E403, E403, E403, E403, E401, E401],
    ),
    post(
        "/api/v1/me/saved-searches/{id}/delete",
        "{s1_api_alert}",
        &[],
        [E401, NO_CONTENT, E403, E403, E403, E403, E401, E401],
    ),
    get("/api/v1/chat/ws", "", [E401, NO_UPGRADE, NO_UPGRADE, NO_UPGRADE, NO_UPGRADE, NO_UPGRADE, E401, E401]),
    get("/api/v1/chat/events", "", [E401, OK, OK, OK, OK, OK, E401, E401]),
    get("/api/v1/chat/conversations", "", [E401, OK, OK, OK, OK, OK, E401, E401]),
    post("/api/v1/chat/conversations", "", &[], [E401, E422, E422, E422, E422, E422, E401, E401]),
    get("/api/v1/chat/conversations/{id}", "{s1_chat}", [E401, OK, OK, E404, E404, E404, E401, E401]),
    post(
        "/api/v1/chat/conversations/{id}/messages",
        "{s1_chat}",
        &[("text", "")],
        [E401, E422, E422, E404, E404, E404, E401, E401],
    ),
    post(
        "/api/v1/chat/conversations/{id}/read",
        "{s1_chat}",
        &[],
        [E401, NO_CONTENT, NO_CONTENT, E404, E404, E404, E401, E401],
    ),
    // `on` must be a JSON boolean; the matrix sends strings: refused for everyone with a token.
    post(
        "/api/v1/chat/conversations/{id}/block",
        "{s1_chat}",
        &[("on", "false")],
        [E401, E422, E422, E422, E422, E422, E401, E401],
    ),
    post(
        "/api/v1/chat/conversations/{id}/report",
        "{s1_chat}",
        &[("reason", "boring")],
        [E401, E422, E422, E404, E404, E404, E401, E401],
    ),
    post("/api/v1/me/notifications/read", "", &[], [E401, OK, OK, OK, OK, OK, E401, E401]),
    post(
        "/api/v1/me/notification-channels",
        "",
        &[("channel", "fax")],
        [E401, E422, E422, E422, E422, E422, E401, E401],
    ),
    // B1 unlocked S3 on the site already; the API shows it in full without spending again.
    post("/api/v1/resumes/{id}/unlock", "{s3_resume}", &[], [E401, E403, E404, E404, FULL, E404, E401, E401]),
];

#[test]
fn every_route_is_in_the_matrix() {
    let routes = router_routes();
    assert!(routes.len() > 80, "the route sources were not read: {routes:#?}");
    let table: BTreeSet<(String, String)> =
        MATRIX.iter().map(|r| (r.method.to_string(), r.route.to_string())).collect();
    let uncovered: Vec<_> = routes.difference(&table).collect();
    assert!(
        uncovered.is_empty(),
        "routes the authorization matrix does not cover — add rows saying what every actor gets, \
         with one row per kind of object the route can be aimed at: {uncovered:#?}"
    );
    let stale: Vec<_> = table.difference(&routes).collect();
    assert!(stale.is_empty(), "matrix rows for routes the router does not have: {stale:#?}");
    for r in MATRIX {
        assert!(matches!(r.method, "GET" | "POST"), "{} {}: only GET and POST are walked", r.method, r.route);
        assert!(r.method == "POST" || r.form.is_empty(), "GET {}: a GET sends no form", r.route);
        assert!(!r.fresh || r.method == "POST", "GET {}: only a POST ends sessions", r.route);
        assert!(!r.upload || r.method == "POST", "GET {}: only a POST uploads", r.route);
        assert_eq!(
            r.route.matches('{').count(),
            r.arg.split_whitespace().count(),
            "{} {}: one argument for each `{{…}}` segment",
            r.method,
            r.route
        );
    }
}

// ---------------------------------------------------------------- the world

/// What a page must show only to those allowed.
struct Secret {
    /// Shown in clear: all of these. Hidden or masked: none of these.
    clear: Vec<String>,
    /// Shown when masked, if the surface shows a masked form at all.
    masked: Option<String>,
}

/// Company A (verified; primary A1 with live jobs and a live 速聘 post, sub-account A2 with a
/// draft of its own), company B (verified; B1), agency G (verified, A as verified client),
/// seekers S1 (public and shown to companies, applied to A's job, a live 一句话求职 post), S2
/// (hidden), S3 (public, blocked A) and S4 (public, unlocked by A), a moderator and a finance
/// staff member.
struct World {
    app: TestApp,
    /// In the order of [`ACTORS`].
    actors: Vec<Visitor>,
    /// `{placeholder}` → what it stands for.
    names: Vec<(&'static str, String)>,
    secrets: Vec<(&'static str, Secret)>,
    /// What a refused request must not change.
    jobs: Vec<(&'static str, String)>,
    resumes: Vec<(&'static str, String)>,
    light_posts: Vec<(&'static str, String)>,
    seekers: Vec<(&'static str, i64)>,
    /// The accounts of the signed-in actors, for their favourites.
    users: Vec<(&'static str, i64)>,
    orgs: Vec<(&'static str, Recruiter)>,
    a1_account: i64,
    a1_spare_session: String,
    s1_application: String,
    s1_chat: String,
}

fn csrf_in(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

fn client_with(base: &str, cookie: Option<&str>) -> reqwest::Client {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    if let Some(c) = cookie {
        jar.add_cookie_str(c, &base.parse::<reqwest::Url>().expect("base url"));
    }
    reqwest::Client::builder().cookie_provider(jar).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// A visitor who is not logged in but has opened a form, so its posts carry a valid CSRF token
/// and reach the handlers.
async fn anonymous(app: &TestApp) -> Visitor {
    let mut v = Visitor {
        client: client_with(&app.base, None),
        base: app.base.clone(),
        csrf: String::new(),
        account: None,
        token: None,
    };
    let (_, html) = v.page("/login").await;
    v.csrf = csrf_in(&html).expect("the login page has a form");
    v
}

/// A new session of an existing account, on the site or in the back office.
async fn session_of(app: &TestApp, account: &rencai_store::accounts::AccountRecord) -> Visitor {
    let (kind, cookie, page) = if account.role == Role::Staff {
        (SessionKind::Admin, "rc_admin", "/admin")
    } else {
        (SessionKind::Web, "rc_session", "/me")
    };
    let s = sessions::start(&app.state, account.id, kind, "authz-matrix").await.expect("session");
    let client = client_with(&app.base, Some(&format!("{cookie}={}", s.token)));
    let mut v = Visitor { client, base: app.base.clone(), csrf: String::new(), account: None, token: None };
    let (_, html) = v.page(page).await;
    v.csrf = csrf_in(&html).expect("the page has a form");
    v
}

async fn published(app: &TestApp, rec: &Recruiter, moderator: &StaffUser, title: &str) -> String {
    let job = jobs::save(&app.state, rec, None, None, job_input(title), true).await.expect("job");
    jobs::review(&app.state, moderator, &job.public_id, true, None).await.expect("approved");
    job.public_id
}

/// A seeker with one resume of the given visibility: (visitor, resume id, phone).
async fn seeker(app: &TestApp, n: u32, name: &str, visibility: &str, shown: bool) -> (Visitor, String, String) {
    let digits = phone(n);
    let s = signed_in(app, Role::Seeker, &digits).await;
    let r = resumes::save(&app.state, s.account(), None, &resume_content(name), None).await.expect("resume");
    resumes::set_visibility(&app.state, s.account(), &r.public_id, visibility, shown).await.expect("visibility");
    (s, r.public_id, digits)
}

fn resume_secret(name: &str, digits: &str) -> Secret {
    Secret {
        clear: vec![name.to_string(), digits.to_string()],
        masked: Some(format!("{}****{}", &digits[..3], &digits[7..])),
    }
}

async fn world() -> World {
    let app = TestApp::spawn_with(TestOptions {
        tweak: Box::new(|s| {
            s.auth.argon2_memory_kib = 64;
            s.auth.argon2_iterations = 1;
            // Every actor opens the list pages from the one test address.
            s.market.anonymous_list_pages_per_hour = 0;
            // Unlocking is part of the matrix; the free grant must not run out on the way.
            s.market.free_resume_unlocks = 20;
        }),
        ..Default::default()
    })
    .await;
    let state = &app.state;

    // Company A, its primary account A1 and a sub-account A2.
    let a1 = signed_in(&app, Role::Company, &phone(1)).await;
    let a_org = verified_org(&app, &a1, "万州峡江餐饮有限公司", 1).await;
    let a2 = signed_in(&app, Role::Company, &phone(2)).await;
    org_store::add_member(state.db().conn(), a_org.id, a2.account().id, false, state.now()).await.expect("member");
    // Company B.
    let b1 = signed_in(&app, Role::Company, &phone(3)).await;
    let b_org = verified_org(&app, &b1, "万州鸿达建材有限公司", 3).await;
    // Agency G, recruiting for A with a client relation staff verified.
    let g = signed_in(&app, Role::Agency, &phone(4)).await;
    let g_org = verified_org(&app, &g, "万州区英才人力资源服务有限公司", 4).await;
    let (moderator, mod_user) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    let (finance, _) = staff_member(&app, StaffRole::Finance, &phone(901)).await;
    let g_rec = actor::require_recruiter(state, g.account()).await.expect("G recruits");
    companies::declare_client(state, &g_rec, &a_org.public_id, "委托书2026-001，期限一年").await.expect("declared");
    org_files::upload_authorization(state, &g_rec, &a_org.public_id, "委托书.png", PNG.to_vec())
        .await
        .expect("document");
    companies::review_client(state, &mod_user, &g_org.public_id, &a_org.public_id, true, None).await.expect("verified");
    let g_rec = actor::require_recruiter(state, g.account()).await.expect("G recruits");
    assert_eq!(g_rec.clients, vec![a_org.id]);

    // A's jobs: live ones of A1, and a draft of A2's.
    let a1_rec = actor::require_recruiter(state, a1.account()).await.expect("A1 recruits");
    let a2_rec = actor::require_recruiter(state, a2.account()).await.expect("A2 recruits");
    let b1_rec = actor::require_recruiter(state, b1.account()).await.expect("B1 recruits");
    assert!(a1_rec.primary && !a2_rec.primary);
    let a_job = published(&app, &a1_rec, &mod_user, "川菜厨师").await;
    let a_closable = published(&app, &a1_rec, &mod_user, "面点师").await;
    let a_editable = published(&app, &a1_rec, &mod_user, "凉菜厨师").await;
    let a2_job = jobs::save(state, &a2_rec, None, None, job_input("服务员"), false).await.expect("draft").public_id;

    // Seekers.
    let (s1, s1_resume, s1_phone) = seeker(&app, 11, "李秀英", "public", true).await;
    let s1_application =
        rencai_app::market::applications::apply(state, s1.account(), &a_job, &s1_resume).await.expect("applied");
    let invitation = rencai_domain::application::InterviewInput {
        starts_at: (state.now() + chrono::Duration::days(2)).to_rfc3339(),
        mode: "onsite".into(),
        place: "万州区高笋塘北山大道88号".into(),
        contact_name: "王经理".into(),
        contact_phone: "13812345678".into(),
        ..Default::default()
    };
    let invited =
        rencai_app::market::applications::invite(state, &a1_rec, std::slice::from_ref(&s1_application), &invitation)
            .await
            .expect("invited");
    assert_eq!(invited.moved.len(), 1);
    let s1_interview = rencai_store::market::applications::interviews_of(
        state.db().conn(),
        rencai_store::market::applications::find(state.db().conn(), &s1_application)
            .await
            .expect("application")
            .expect("exists")
            .id,
    )
    .await
    .expect("interviews")[0]
        .public_id
        .clone();
    let a1_notification =
        rencai_app::notify::center(state, a1.account().id, 1).await.expect("notices").0[0].public_id.clone();
    let s1_chat = rencai_app::chat::start_with_job(state, s1.account(), &a_job).await.expect("chat");
    let s1_ticket = rencai_app::tickets::open(
        state,
        Some(s1.account()),
        &rencai_app::tickets::OpenInput {
            kind: "question".into(),
            title: "怎么修改简历".into(),
            body: "在哪里改？".into(),
            ..Default::default()
        },
        true,
    )
    .await
    .expect("ticket");
    let (_, dpo) = rencai_testkit::market::staff_member(
        &app,
        rencai_domain::staff::StaffRole::DataProtectionOfficer,
        "13900009991",
    )
    .await;
    let s1_incident = rencai_app::incidents::publish(
        state,
        &dpo,
        &rencai_app::incidents::PublishInput {
            text: rencai_store::incidents::IncidentText {
                title: "测试通知".into(),
                situation: "情况".into(),
                impact: "影响".into(),
                measures: "措施".into(),
                advice: "建议".into(),
                remedies: "补救".into(),
                contact: "联系".into(),
            },
            audience: "affected".into(),
            phones: s1_phone.clone(),
        },
    )
    .await
    .expect("incident")
    .public_id;
    // An export S1 has already downloaded: S1 is told it is gone, everyone else that it does not exist.
    let s1_export = rencai_app::privacy::export::request(state, s1.account()).await.expect("export").id;
    let pending =
        rencai_store::privacy::find_export(state.db().conn(), &s1_export).await.expect("row").expect("export");
    rencai_app::privacy::export::build(state, &pending).await.expect("built");
    rencai_app::privacy::export::take(state, s1.account(), &s1_export).await.expect("downloaded once");
    let alert = |words: &str| rencai_app::market::jobs::JobFilters { q: Some(words.into()), ..Default::default() };
    let s1_alert = rencai_app::market::alerts::save(state, s1.account(), &alert("厨师"), "", "daily")
        .await
        .expect("alert")
        .public_id;
    let s1_api_alert = rencai_app::market::alerts::save(state, s1.account(), &alert("服务员"), "", "daily")
        .await
        .expect("alert")
        .public_id;
    let hello = rencai_app::chat::Outgoing { client_id: "hello".into(), text: "您好".into(), ..Default::default() };
    rencai_app::chat::send(state, s1.account(), &s1_chat, &hello).await.expect("sent");
    // A's photo (public once verified) and qualification document (members and reviewers only).
    let a_photo =
        org_files::upload(state, &a1_rec, OrgFile::Photo, "门店.png", PNG.to_vec()).await.expect("photo").public_id;
    let a_qual = org_files::upload(state, &a1_rec, OrgFile::Qualification, "营业执照.png", PNG.to_vec())
        .await
        .expect("licence")
        .public_id;
    let s1_file = attachments::upload(state, s1.account(), &s1_resume, "李秀英简历.png", PNG.to_vec())
        .await
        .expect("attachment")
        .public_id;
    let (s2, s2_resume, s2_phone) = seeker(&app, 12, "王芳", "hidden", false).await;
    let (s3, s3_resume, s3_phone) = seeker(&app, 13, "赵敏", "public", true).await;
    resumes::block(state, s3.account(), &a_org.public_id).await.expect("blocked");
    let (s4, s4_resume, s4_phone) = seeker(&app, 14, "孙丽", "public", true).await;
    resumes::unlock(state, &a1_rec, &s4_resume).await.expect("unlocked");

    // 速聘 by A1, 一句话求职 by S1, both live.
    let quick = LightInput {
        title: "急招火锅店服务员".into(),
        body: "包吃住，月休四天，下午两点到晚上十点。".into(),
        district: "wz-gaosuntang".into(),
        category: "catering-waiter".into(),
        salary_min: "3500".into(),
        salary_max: "4500".into(),
        negotiable: false,
        contact_phone: "13712345678".into(),
    };
    let a_quick = light::create(state, a1.account(), LightKind::Quick, quick).await.expect("quick post").public_id;
    light::review(state, &mod_user, &a_quick, true, None).await.expect("approved");
    let wanted = LightInput {
        body: "会开叉车，想在五桥附近找仓库工作".into(),
        district: "wz-gaosuntang".into(),
        category: "logistics-forklift".into(),
        ..Default::default()
    };
    let s1_wanted = light::create(state, s1.account(), LightKind::Wanted, wanted).await.expect("wanted").public_id;
    light::review(state, &mod_user, &s1_wanted, true, None).await.expect("approved");

    let a1_spare_session =
        sessions::start(state, a1.account().id, SessionKind::Web, "spare").await.expect("session").public_id;

    let names = vec![
        ("{a_job}", a_job.clone()),
        ("{a_closable}", a_closable.clone()),
        ("{a_editable}", a_editable.clone()),
        ("{a2_job}", a2_job.clone()),
        ("{a_org}", a_org.public_id.clone()),
        ("{b_org}", b_org.public_id.clone()),
        ("{g_org}", g_org.public_id.clone()),
        ("{s1_resume}", s1_resume.clone()),
        ("{s2_resume}", s2_resume.clone()),
        ("{s3_resume}", s3_resume.clone()),
        ("{s4_resume}", s4_resume.clone()),
        ("{a_quick}", a_quick.clone()),
        ("{s1_wanted}", s1_wanted.clone()),
        ("{s1_file}", s1_file),
        ("{a_photo}", a_photo),
        ("{a_qual}", a_qual),
        ("{a1_spare_session}", a1_spare_session.clone()),
        ("{s1_application}", s1_application.clone()),
        ("{s1_interview}", s1_interview),
        ("{a1_notification}", a1_notification),
        ("{s1_export}", s1_export),
        ("{s1_ticket}", s1_ticket),
        ("{s1_incident}", s1_incident),
        ("{s1_account}", s1.account().public_id.clone()),
        ("{s1_chat}", s1_chat.clone()),
        ("{s1_alert}", s1_alert),
        ("{s1_api_alert}", s1_api_alert),
    ];
    let secrets = vec![
        ("{a_job}", Secret { clear: vec!["13812345678".to_string()], masked: None }),
        ("{s1_resume}", resume_secret("李秀英", &s1_phone)),
        ("{s2_resume}", resume_secret("王芳", &s2_phone)),
        ("{s3_resume}", resume_secret("赵敏", &s3_phone)),
        ("{s4_resume}", resume_secret("孙丽", &s4_phone)),
        ("{a_quick}", Secret { clear: vec!["13712345678".to_string()], masked: None }),
        ("{s1_wanted}", Secret { clear: vec![s1_phone.clone()], masked: None }),
    ];
    let jobs = vec![("a_job", a_job), ("a_closable", a_closable), ("a_editable", a_editable), ("a2_job", a2_job)];
    let resumes = vec![("S1", s1_resume), ("S2", s2_resume), ("S3", s3_resume), ("S4", s4_resume)];
    let seekers =
        vec![("S1", s1.account().id), ("S2", s2.account().id), ("S3", s3.account().id), ("S4", s4.account().id)];
    let users = vec![
        ("S1", s1.account().id),
        ("A1", a1.account().id),
        ("A2", a2.account().id),
        ("B1", b1.account().id),
        ("G", g.account().id),
    ];
    let a1_account = a1.account().id;
    World {
        actors: vec![anonymous(&app).await, s1, a1, a2, b1, g, moderator, finance],
        names,
        secrets,
        jobs,
        resumes,
        light_posts: vec![("a_quick", a_quick), ("s1_wanted", s1_wanted)],
        seekers,
        users,
        orgs: vec![("A", a1_rec), ("B", b1_rec), ("G", g_rec)],
        a1_account,
        a1_spare_session,
        s1_application,
        s1_chat,
        app,
    }
}

impl World {
    /// `s` with every `{placeholder}` replaced by the object it names.
    fn fill(&self, s: &str) -> String {
        let mut out = s.to_string();
        for (k, v) in &self.names {
            out = out.replace(k, v);
        }
        assert!(!out.contains('{'), "an unknown placeholder in {s:?}");
        out
    }

    fn id(&self, placeholder: &str) -> String {
        self.fill(placeholder)
    }

    /// The URL path a row requests.
    fn path(&self, row: &Row) -> String {
        let mut args = row.arg.split_whitespace().map(|a| self.fill(a));
        let segment = Regex::new(r"\{[^}]*\}").expect("regex");
        segment.replace_all(row.route, |_: &regex::Captures| args.next().expect("an argument per segment")).into_owned()
    }

    fn secret(&self, arg: &str) -> Option<&Secret> {
        self.secrets.iter().find(|(k, _)| *k == arg).map(|(_, s)| s)
    }

    /// The same actor in a session of its own (a visitor: a new visitor).
    async fn fresh(&self, actor: usize) -> Visitor {
        match &self.actors[actor].account {
            Some(account) => session_of(&self.app, account).await,
            None => anonymous(&self.app).await,
        }
    }

    async fn job_status(&self, id: &str) -> String {
        let job = job_store::find_public(self.app.state.db().conn(), id).await.expect("job");
        job.map(|j| j.status).unwrap_or_else(|| "gone".into())
    }

    /// Everything a refused request could have changed: jobs, resumes, light posts, favourites,
    /// blocks, disclosures, organisations with their clients, jobs and quota, the banned words,
    /// staff, and A1's spare session.
    async fn snapshot(&self) -> Vec<String> {
        let state = &self.app.state;
        let conn = state.db().conn();
        let now = state.now();
        let mut out = Vec::new();
        for (name, id) in &self.jobs {
            out.push(match job_store::find_public(conn, id).await.expect("job") {
                Some(j) => format!(
                    "job {name}: {} {:?} owner {} refreshed {} updated {}",
                    j.status, j.title, j.owner_account_id, j.refreshed_at, j.updated_at
                ),
                None => format!("job {name}: gone"),
            });
        }
        for (name, id) in &self.resumes {
            out.push(match resume_store::find_public(conn, id).await.expect("resume") {
                Some(r) => {
                    let files = attachments::list(state, r.id).await.expect("attachments").len();
                    format!(
                        "resume of {name}: {} shown {} {:?} updated {}, {files} attachments",
                        r.visibility, r.shown_to_companies, r.title, r.updated_at
                    )
                }
                None => format!("resume of {name}: gone"),
            });
        }
        for (name, id) in &self.light_posts {
            out.push(match light_store::find_public(conn, id).await.expect("light post") {
                Some(p) => format!("light post {name}: {} {:?} updated {}", p.status, p.title, p.updated_at),
                None => format!("light post {name}: gone"),
            });
        }
        for (name, id) in &self.users {
            let mut kept = Vec::new();
            for kind in ["job", "company", "resume"] {
                kept.push((kind, favourite_store::list(conn, *id, kind).await.expect("favourites")));
            }
            out.push(format!("favourites of {name}: {kept:?}"));
        }
        for (name, id) in &self.seekers {
            let blocks: Vec<String> =
                resume_store::blocked(conn, *id).await.expect("blocks").into_iter().map(|(_, p, _)| p).collect();
            let resumes = resume_store::of_seeker(conn, *id).await.expect("resumes").len();
            let disclosures = disclosure_store::of_person(conn, *id).await.expect("disclosures").len();
            out.push(format!("seeker {name}: blocks {blocks:?}, {resumes} resumes, {disclosures} disclosures"));
        }
        for (name, rec) in &self.orgs {
            let o = org_store::find(conn, rec.org.id).await.expect("org").expect("the org exists");
            let clients: Vec<String> = org_store::clients(conn, Some(o.id))
                .await
                .expect("clients")
                .into_iter()
                .map(|c| format!("{}={}", c.client_public_id, c.status))
                .collect();
            let jobs = jobs::own_list(state, rec, None, None).await.expect("jobs").total;
            let mut balances = Vec::new();
            for kind in QuotaKind::ALL {
                let b = quota::balance(conn, o.id, kind, now).await.expect("balance");
                balances.push(format!("{}={b:?}", kind.as_str()));
            }
            out.push(format!(
                "org {name}: {} {:?} updated {}, clients {clients:?}, {jobs} jobs, quota {balances:?}",
                o.verification, o.name, o.updated_at
            ));
        }
        let app = rencai_store::market::applications::find(conn, &self.s1_application)
            .await
            .expect("application")
            .expect("S1's application exists");
        let interviews: Vec<String> = rencai_store::market::applications::interviews_of(conn, app.id)
            .await
            .expect("interviews")
            .into_iter()
            .map(|i| format!("{} {:?}", i.state, i.reply_sealed.is_some()))
            .collect();
        let events = rencai_store::market::applications::events(conn, app.id).await.expect("events").len();
        out.push(format!(
            "S1's application: {} updated {}, {events} events, interviews {interviews:?}",
            app.status, app.updated_at
        ));
        let s1 = self.seekers.iter().find(|(n, _)| *n == "S1").map(|(_, id)| *id).expect("S1");
        let saved: Vec<(String, String)> = rencai_store::market::alerts::of_account(conn, s1)
            .await
            .expect("saved searches")
            .into_iter()
            .map(|r| (r.query, r.frequency))
            .collect();
        out.push(format!("S1's saved searches: {saved:?}"));
        let c = rencai_store::chat::find(conn, &self.s1_chat).await.expect("chat").expect("S1's chat exists");
        let reports = rencai_store::chat::count_reports(conn, c.id).await.expect("reports");
        out.push(format!(
            "S1's chat: {} messages, read {}/{}, blocks {:?}/{:?}, {reports} reports",
            c.last_seq, c.seeker_read_seq, c.recruiter_read_seq, c.seeker_blocked_at, c.recruiter_blocked_at
        ));
        for (name, id) in &self.users {
            let prefs = rencai_store::notifications::prefs(conn, *id).await.expect("prefs");
            out.push(format!("channels of {name}: {prefs:?}"));
        }
        let words = moderation_store::banned_words(conn, state.station().id).await.expect("banned words");
        out.push(format!("banned words {words:?}"));
        for role in StaffRole::ALL {
            let n = rencai_store::staff::count_with_role(conn, role.as_str()).await.expect("staff");
            out.push(format!("staff {}: {n}", role.as_str()));
        }
        let open = sessions::list(state, self.a1_account)
            .await
            .expect("sessions")
            .iter()
            .any(|s| s.public_id == self.a1_spare_session);
        out.push(format!("A1's spare session open: {open}"));
        out
    }
}

// ---------------------------------------------------------------- walking it

/// What came back: status, Location, body.
struct Answer {
    status: u16,
    location: Option<String>,
    body: String,
}

/// A `multipart/form-data` body of `form`: `("file", "png")` is a PNG file, anything else a
/// text field. (Content type, body.)
fn multipart(form: &[(String, String)]) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "authz-matrix-boundary";
    let mut body = Vec::new();
    for (k, v) in form {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        if k == "file" && v == "png" {
            body.extend_from_slice(
                b"Content-Disposition: form-data; name=\"file\"; filename=\"resume.png\"\r\nContent-Type: image/png\r\n\r\n",
            );
            body.extend_from_slice(PNG);
        } else {
            body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// An upload as `v`, with `csrf` (if any) in the query as the upload form sends it.
fn upload_request(v: &Visitor, path: &str, csrf: Option<&str>, form: &[(String, String)]) -> reqwest::RequestBuilder {
    let query = match csrf {
        Some(t) => format!("?csrf={}", url::form_urlencoded::byte_serialize(t.as_bytes()).collect::<String>()),
        None => String::new(),
    };
    let (content_type, body) = multipart(form);
    v.client.post(format!("{}{path}{query}", v.base)).header("content-type", content_type).body(body)
}

/// One request as `v`: pages with the visitor's cookies (and its CSRF token on a form), the
/// API with its bearer token if it has one. Redirects are not followed.
async fn send(v: &Visitor, method: &str, path: &str, form: &[(String, String)], upload: bool) -> Answer {
    let url = format!("{}{path}", v.base);
    let api = path.starts_with("/api/");
    let mut rq = if method == "GET" {
        v.client.get(url.as_str())
    } else if upload {
        upload_request(v, path, Some(&v.csrf), form)
    } else if api {
        let body: serde_json::Map<String, serde_json::Value> =
            form.iter().map(|(k, val)| (k.clone(), serde_json::Value::String(val.clone()))).collect();
        v.client.post(url.as_str()).json(&body)
    } else {
        let mut all = vec![("csrf".to_string(), v.csrf.clone())];
        all.extend(form.iter().cloned());
        v.client.post(url.as_str()).form(&all)
    };
    if api && let Some(t) = &v.token {
        rq = rq.bearer_auth(t);
    }
    let r = rq.send().await.expect("request");
    let status = r.status().as_u16();
    let location = r.headers().get("location").and_then(|l| l.to_str().ok()).map(str::to_owned);
    let body = r.text().await.unwrap_or_default();
    Answer { status, location, body }
}

fn holds(want: Want, a: &Answer, secret: Option<&Secret>) -> bool {
    let shown = |s: &Secret| s.clear.iter().filter(|c| a.body.contains(c.as_str())).count();
    match want {
        Want::Ok => a.status == 200,
        Want::Full => a.status == 200 && secret.is_some_and(|s| shown(s) == s.clear.len()),
        Want::Masked => {
            a.status == 200
                && secret
                    .is_some_and(|s| shown(s) == 0 && s.masked.as_ref().is_none_or(|m| a.body.contains(m.as_str())))
        }
        Want::Done(to) | Want::Login(to) => {
            a.status == 303
                && a.location
                    .as_deref()
                    .is_some_and(|l| l == to || l.strip_prefix(to).is_some_and(|q| q.starts_with('?')))
        }
        Want::Empty => a.status == 204,
        Want::Accepted => a.status == 202,
        Want::Under(prefix) => a.status == 303 && a.location.as_deref().is_some_and(|l| l.starts_with(prefix)),
        Want::No(statuses) => statuses.contains(&a.status),
    }
}

fn describe(a: &Answer, secret: Option<&Secret>) -> String {
    let mut out = a.status.to_string();
    if let Some(l) = &a.location {
        out.push_str(&format!(" → {l}"));
    }
    if a.status == 200
        && let Some(s) = secret
    {
        let shown = s.clear.iter().filter(|c| a.body.contains(c.as_str())).count();
        out.push_str(match shown {
            0 => " with the personal details hidden",
            n if n == s.clear.len() => " with the personal details in clear",
            _ => " with the personal details partly in clear",
        });
    }
    out
}

fn changes(before: &[String], after: &[String]) -> String {
    before.iter().zip(after).filter(|(b, a)| b != a).map(|(b, a)| format!("\n      {b}\n    → {a}")).collect()
}

#[tokio::test]
async fn the_matrix_holds() {
    let w = world().await;
    let mut failures: Vec<String> = Vec::new();
    let mut requests = 0;

    for pass in ["GET", "POST"] {
        for row in MATRIX.iter().filter(|r| r.method == pass) {
            let path = w.path(row);
            let form: Vec<(String, String)> = row.form.iter().map(|(k, v)| (k.to_string(), w.fill(v))).collect();
            let secret = w.secret(row.subject());
            // Refusals first, while every object is as the world built it.
            let mut order: Vec<usize> = (0..ACTORS.len()).filter(|i| row.want[*i].is_refusal()).collect();
            order.extend((0..ACTORS.len()).filter(|i| !row.want[*i].is_refusal()));
            // The world before this row's refusals; they all come before anything that may
            // succeed, so none of them may move it.
            let mut baseline: Option<Vec<String>> = None;
            for i in order {
                let want = row.want[i];
                let fresh;
                let v = if row.fresh {
                    fresh = w.fresh(i).await;
                    &fresh
                } else {
                    &w.actors[i]
                };
                // A handler that refuses must not have done anything first.
                let watched = row.method == "POST" && matches!(want, Want::No(_));
                if watched && baseline.is_none() {
                    baseline = Some(w.snapshot().await);
                }
                let answer = send(v, row.method, &path, &form, row.upload).await;
                requests += 1;
                let here = if row.arg.is_empty() {
                    format!("{} {} as {}", row.method, row.route, ACTORS[i])
                } else {
                    format!("{} {} ({} = {path}) as {}", row.method, row.route, row.arg, ACTORS[i])
                };
                if !holds(want, &answer, secret) {
                    failures.push(format!("{here}: expected {want}, got {}", describe(&answer, secret)));
                }
                if watched {
                    let after = w.snapshot().await;
                    if let Some(before) = &baseline
                        && after != *before
                    {
                        failures.push(format!("{here}: refused, but it changed:{}", changes(before, &after)));
                    }
                    baseline = Some(after);
                }
            }
        }
    }

    // Spelled out: nobody but A1 closes A's live job, and it stays live.
    let close = format!("/company/jobs/{}/close", w.id("{a_job}"));
    for i in [A2, B1, G] {
        let a = send(&w.actors[i], "POST", &close, &[], false).await;
        requests += 1;
        if a.status != 404 {
            failures.push(format!("POST {close} as {}: expected 404, got {}", ACTORS[i], describe(&a, None)));
        }
    }
    for (job, status) in [("{a_job}", "published"), ("{a_closable}", "closed"), ("{a_editable}", "pending")] {
        let got = w.job_status(&w.id(job)).await;
        if got != status {
            failures.push(format!("after the walk, {job} is {got}, not {status}"));
        }
    }

    // The resume center lists exactly what the policy lets each recruiter see.
    let center: [(usize, &[&str], &[&str]); 4] = [
        (A1, &["{s1_resume}", "{s4_resume}"], &["{s2_resume}", "{s3_resume}"]),
        (A2, &["{s1_resume}", "{s4_resume}"], &["{s2_resume}", "{s3_resume}"]),
        (B1, &["{s1_resume}", "{s3_resume}", "{s4_resume}"], &["{s2_resume}"]),
        (G, &["{s1_resume}", "{s4_resume}"], &["{s2_resume}", "{s3_resume}"]),
    ];
    for (i, listed, unlisted) in center {
        let a = send(&w.actors[i], "GET", "/api/v1/resumes", &[], false).await;
        requests += 1;
        for r in listed {
            if !a.body.contains(&w.id(r)) {
                failures.push(format!("GET /api/v1/resumes as {}: {r} is missing ({})", ACTORS[i], a.status));
            }
        }
        for r in unlisted {
            if a.body.contains(&w.id(r)) {
                failures.push(format!("GET /api/v1/resumes as {}: {r} is listed", ACTORS[i]));
            }
        }
    }

    // Every form refuses a post without this browser's CSRF token (403) before a handler runs.
    let mut seen = BTreeSet::new();
    let forms: Vec<(String, bool)> = MATRIX
        .iter()
        .filter(|r| r.method == "POST" && !r.route.starts_with("/api/") && seen.insert(r.route))
        .map(|r| (w.path(r), r.upload))
        .collect();
    for (path, upload) in &forms {
        for (i, v) in w.actors.iter().enumerate().take(ACTORS.len()) {
            let someone_elses = &w.actors[(i + 1) % ACTORS.len()].csrf;
            for (token, what) in [(None, "no CSRF token"), (Some(someone_elses), "another browser's CSRF token")] {
                let rq = if *upload {
                    let form = [("file".to_string(), "png".to_string())];
                    upload_request(v, path, token.map(String::as_str), &form)
                } else {
                    let mut fields: Vec<(&str, &str)> = vec![("company", "x")];
                    if let Some(t) = token {
                        fields.push(("csrf", t.as_str()));
                    }
                    v.client.post(format!("{}{path}", v.base)).form(&fields)
                };
                let r = rq.send().await.expect("POST");
                requests += 1;
                let status = r.status().as_u16();
                let body = r.text().await.unwrap_or_default();
                if status != 403 || !body.contains("页面已过期") {
                    failures.push(format!("POST {path} as {} with {what}: expected 403, got {status}", ACTORS[i]));
                }
            }
        }
    }

    assert!(
        failures.is_empty(),
        "{} of {requests} requests broke the authorization matrix:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
