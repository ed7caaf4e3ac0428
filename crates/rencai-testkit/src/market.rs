//! Marketplace fixtures: signed-in visitors of every role, verified organisations, valid job
//! and resume content. Accounts are made directly (registration has its own tests) so that
//! marketplace tests stay fast.

use std::sync::Arc;

use rencai_app::auth::sessions::{self, SessionKind};
use rencai_app::auth::staff::{self, StaffUser};
use rencai_domain::account::{AgeGroup, Phone, Role};
use rencai_domain::company::{CompanyProfileInput, credit_code_check_char};
use rencai_domain::job::JobInput;
use rencai_domain::mask::Gender;
use rencai_domain::resume::{Education, Intention, ResumeContent, Skill, WorkExperience};
use rencai_domain::staff::StaffRole;
use rencai_store::accounts::{self, AccountRecord, NewAccount};
use rencai_store::market::companies::{self as org_store, CompanyRow};
use reqwest::cookie::Jar;

use crate::TestApp;

/// A browser-like client with a session cookie, and the CSRF token its forms carry.
pub struct Visitor {
    pub client: reqwest::Client,
    pub base: String,
    pub csrf: String,
    pub account: Option<AccountRecord>,
    /// The bearer access token of the same account, for API calls.
    pub token: Option<String>,
}

fn csrf_in(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

impl Visitor {
    fn build(base: &str, cookie: Option<&str>) -> reqwest::Client {
        let jar = Arc::new(Jar::default());
        if let Some(c) = cookie {
            jar.add_cookie_str(c, &base.parse::<url::Url>().expect("base url"));
        }
        reqwest::Client::builder()
            .cookie_provider(jar)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Someone who is not logged in.
    pub fn anonymous(app: &TestApp) -> Self {
        Self {
            client: Self::build(&app.base, None),
            base: app.base.clone(),
            csrf: String::new(),
            account: None,
            token: None,
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.expect("GET")
    }

    /// Status and body of a page.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let s = r.status().as_u16();
        (s, r.text().await.expect("body"))
    }

    /// Posts a form with this visitor's CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut all: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.client.post(format!("{}{path}", self.base)).form(&all).send().await.expect("POST")
    }

    /// An API GET with the bearer token.
    pub async fn api_get(&self, path: &str) -> reqwest::Response {
        let mut rq = reqwest::Client::new().get(format!("{}{path}", self.base));
        if let Some(t) = &self.token {
            rq = rq.bearer_auth(t);
        }
        rq.send().await.expect("API GET")
    }

    pub async fn api_post(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        let mut rq = reqwest::Client::new().post(format!("{}{path}", self.base)).json(body);
        if let Some(t) = &self.token {
            rq = rq.bearer_auth(t);
        }
        rq.send().await.expect("API POST")
    }

    pub fn account(&self) -> &AccountRecord {
        self.account.as_ref().expect("a signed-in visitor")
    }
}

/// A fresh mainland mobile number per call within a test.
pub fn phone(n: u32) -> String {
    format!("139{:08}", n)
}

/// Creates an account of `role` and signs it in on the site and for the API.
pub async fn signed_in(app: &TestApp, role: Role, phone_digits: &str) -> Visitor {
    let state = &app.state;
    let new = NewAccount {
        station_id: state.station().id,
        role,
        name: Some("测试用户".into()),
        phone: Phone::parse(phone_digits).expect("phone"),
        email: None,
        birth_date: None,
        age_group: AgeGroup::Adult,
        minor_basis: None,
    };
    let account = accounts::create(state.db().conn(), &state.keys().get(), &new, state.now()).await.expect("account");
    // P3: accounts register with the texts in force accepted.
    let privacy = rencai_app::legal::current(state, rencai_store::legal::LegalKind::Privacy).await.expect("privacy");
    let terms = rencai_app::legal::current(state, rencai_store::legal::LegalKind::Terms).await.expect("terms");
    let ip =
        rencai_crypto::Sealed::seal(&state.keys().get(), rencai_store::rotation::CONSENT_IP, &"127.0.0.1".to_string());
    rencai_store::auth::record_consent(
        state.db().conn(),
        account.id,
        &privacy.version,
        &terms.version,
        ip.as_stored(),
        state.now(),
    )
    .await
    .expect("consent");
    let web = sessions::start(state, account.id, SessionKind::Web, "test").await.expect("session");
    let api = sessions::start(state, account.id, SessionKind::Access, "test").await.expect("token");
    let client = Visitor::build(&app.base, Some(&format!("rc_session={}", web.token)));
    let mut v =
        Visitor { client, base: app.base.clone(), csrf: String::new(), account: Some(account), token: Some(api.token) };
    let (_, html) = v.page("/me").await;
    v.csrf = csrf_in(&html).expect("the account page has a form");
    v
}

/// A staff member signed in to the back office, and the same as a use-case actor.
pub async fn staff_member(app: &TestApp, role: StaffRole, phone_digits: &str) -> (Visitor, StaffUser) {
    let state = &app.state;
    let s = staff::create(state, None, phone_digits, "staffpass2026", role).await.expect("staff");
    let t = sessions::start(state, s.account.id, SessionKind::Admin, "test").await.expect("admin session");
    let client = Visitor::build(&app.base, Some(&format!("rc_admin={}", t.token)));
    let mut v = Visitor { client, base: app.base.clone(), csrf: String::new(), account: Some(s.account), token: None };
    let (_, html) = v.page("/admin").await;
    v.csrf = csrf_in(&html).expect("the back office has a form");
    let user = staff::authenticate(state, &t.token).await.expect("auth").expect("staff user");
    (v, user)
}

/// A valid unified social credit code, different for each `n`.
pub fn credit_code(n: u32) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut org = String::new();
    let mut x = n;
    for _ in 0..7 {
        org.insert(0, ALPHABET[(x % 31) as usize] as char);
        x /= 31;
    }
    // "MA…": the shape of codes issued since 2015 (and not the dev registry's "not found" prefix).
    let first17 = format!("91500101MA{org}");
    let check = credit_code_check_char(&first17).expect("17 valid characters");
    format!("{first17}{check}")
}

/// A valid company profile.
pub fn profile(name: &str, n: u32) -> CompanyProfileInput {
    CompanyProfileInput {
        name: name.into(),
        credit_code: credit_code(n),
        industry: "hospitality".into(),
        size: "20-99".into(),
        ownership: "private".into(),
        district: "wz-gaosuntang".into(),
        address: "万州区高笋塘街道北山大道88号".into(),
        intro: "一家扎根万州二十年的本地餐饮企业，经营川菜与烤鱼。".into(),
        contact_name: "王经理".into(),
        lat: None,
        lng: None,
    }
}

/// Registers the organisation of `visitor` (a company or agency account), has it verified and
/// its recruiter pass the real-name check (the dev verifier accepts any valid ID number).
pub async fn verified_org(app: &TestApp, visitor: &Visitor, name: &str, n: u32) -> CompanyRow {
    let state = &app.state;
    let org =
        rencai_app::market::companies::create(state, visitor.account(), profile(name, n), true).await.expect("org");
    real_name(app, visitor).await;
    assert!(
        org_store::set_verification(state.db().conn(), org.id, &["unverified"], "verified", None, state.now())
            .await
            .expect("verify")
    );
    org_store::find(state.db().conn(), org.id).await.expect("find").expect("org")
}

/// A job that obeys every posting rule.
pub fn job_input(title: &str) -> JobInput {
    JobInput {
        title: title.into(),
        category: "catering-chef".into(),
        industry: "hospitality".into(),
        district: "wz-gaosuntang".into(),
        address: "万州区高笋塘街道北山大道88号".into(),
        lat: None,
        lng: None,
        salary_min: "5000".into(),
        salary_max: "8000".into(),
        negotiable: false,
        education: "any".into(),
        experience: "1-3".into(),
        job_type: "full-time".into(),
        headcount: "2".into(),
        benefits: vec!["social-insurance".into(), "meals".into()],
        description: "负责后厨热菜的烹饪与出品，保证菜品口味稳定；协助厨师长管理食材库存与厨房卫生。".into(),
        contact_name: "王经理".into(),
        contact_phone: "13812345678".into(),
        campus: false,
        urgent: false,
    }
}

/// A resume complete enough to apply with.
pub fn resume_content(name: &str) -> ResumeContent {
    ResumeContent {
        title: "厨师求职简历".into(),
        full_name: name.into(),
        gender: Gender::Female,
        birth_year: Some(1995),
        education_level: "senior-high".into(),
        experience_level: "3-5".into(),
        current_district: "wz-gaosuntang".into(),
        intention: Intention {
            categories: vec!["catering-chef".into()],
            industries: vec!["hospitality".into()],
            districts: vec!["wz-gaosuntang".into()],
            salary_min: Some(5000),
            salary_max: Some(8000),
            job_type: "full-time".into(),
        },
        education: vec![Education {
            school: "重庆三峡职业学院".into(),
            major: "烹饪工艺与营养".into(),
            degree: "college".into(),
            start: "2013-09".into(),
            end: "2016-06".into(),
        }],
        work: vec![WorkExperience {
            company: "万州区某火锅店".into(),
            title: "厨师".into(),
            start: "2016-07".into(),
            end: "".into(),
            description: "负责热菜出品。".into(),
        }],
        projects: vec![],
        skills: vec![Skill { name: "川菜".into(), level: "熟练".into() }],
        certificates: vec![],
        self_intro: "做事踏实，有八年后厨经验，能吃苦，熟悉川菜和火锅底料炒制，服从安排。".into(),
    }
}

/// A valid ID number (GB 11643 check character), for real-name checks.
pub fn id_number() -> String {
    let first17 = "50010119900307123";
    format!("{first17}{}", rencai_domain::identity::id_check_char(first17).expect("17 digits"))
}

/// Passes the real-name check for a recruiter account (dev verifier).
pub async fn real_name(app: &TestApp, visitor: &Visitor) {
    rencai_app::market::realname::verify(&app.state, visitor.account(), "王建国", &id_number())
        .await
        .expect("real name");
}

/// A minimal Word document (.docx) holding `text`, as a seeker would upload.
pub fn docx(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", opts).expect("zip entry");
    let xml = format!("<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>");
    zip.write_all(xml.as_bytes()).expect("zip write");
    zip.finish().expect("zip finish");
    buf.into_inner()
}
