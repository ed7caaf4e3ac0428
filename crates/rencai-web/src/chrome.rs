//! The frame around every page: site name, navigation, footer with licence numbers.

use chrono::Datelike;
use rencai_app::AppState;
use rencai_domain::account::Role;

/// One navigation entry. Only features that exist get an entry.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// Which navigation entry a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Privacy,
    Terms,
    Login,
    Register,
    Me,
    Jobs,
    Today,
    Nearby,
    Companies,
    Campus,
    Quick,
    Wanted,
    Resumes,
    Company,
    MyResumes,
    Notifications,
    Chat,
    None,
}

const NAV: &[(&str, &str, Section)] = &[
    ("/", "首页", Section::Home),
    ("/jobs", "找工作", Section::Jobs),
    ("/today", "今日招聘", Section::Today),
    ("/nearby", "附近职位", Section::Nearby),
    ("/companies", "招聘企业", Section::Companies),
    ("/campus", "校园招聘", Section::Campus),
    ("/quick", "速聘", Section::Quick),
    ("/wanted", "一句话求职", Section::Wanted),
    ("/resumes", "简历中心", Section::Resumes),
    ("/company", "企业中心", Section::Company),
    ("/me/resumes", "我的简历", Section::MyResumes),
    ("/login", "登录", Section::Login),
    ("/register", "注册", Section::Register),
    ("/chat", "沟通", Section::Chat),
    ("/me/notifications", "消息", Section::Notifications),
    ("/me", "我的账号", Section::Me),
];

/// Entries only some visitors get: recruiters see the resume center and company center,
/// seekers their resumes.
fn for_role(href: &str, role: Option<Role>) -> bool {
    match href {
        "/resumes" | "/company" => matches!(role, Some(Role::Company | Role::Agency)),
        "/me/resumes" => role == Some(Role::Seeker),
        _ => true,
    }
}

#[derive(Debug, Clone)]
pub struct Chrome {
    pub site_name: String,
    pub station_name: String,
    pub operator: String,
    pub nav: Vec<NavItem>,
    pub demo: bool,
    pub css_href: &'static str,
    pub hr_licence: Option<String>,
    pub icp: Option<String>,
    pub police_beian: Option<String>,
    pub year: i32,
    /// Unread notices of the signed-in account, when the page looked them up.
    pub unread: u64,
    /// "The privacy policy changed" for signed-in pages, for a month after a new version takes
    /// effect (P3): (text, link).
    pub policy_banner: Option<(String, String)>,
}

impl Chrome {
    pub fn new(state: &AppState, section: Section) -> Self {
        let s = state.settings();
        Self {
            site_name: s.site.name.clone(),
            station_name: state.station().name.clone(),
            operator: s.site.operator.clone(),
            nav: NAV.iter().map(|(href, label, sec)| NavItem { href, label, current: *sec == section }).collect(),
            demo: s.mode() == rencai_app::config::Mode::Demo,
            css_href: crate::assets::css_href(),
            hr_licence: s.site.hr_licence.clone(),
            icp: s.site.icp.clone(),
            police_beian: s.site.police_beian.clone(),
            year: state.now().with_timezone(&rencai_domain::time::china()).year(),
            unread: 0,
            policy_banner: None,
        }
    }

    /// The navigation of a signed-in person: no login or registration entries.
    pub fn signed_in(mut self) -> Self {
        self.nav.retain(|n| n.href != "/login" && n.href != "/register");
        self
    }

    /// The navigation of an anonymous visitor: no account entry.
    pub fn anonymous(mut self) -> Self {
        self.nav.retain(|n| !matches!(n.href, "/me" | "/me/notifications" | "/chat") && for_role(n.href, None));
        self
    }

    /// Signed-in or anonymous navigation (role-specific entries need [`Chrome::for_account`]).
    pub fn for_visitor(self, signed_in: bool) -> Self {
        if signed_in { self.signed_in() } else { self.anonymous() }
    }

    /// The navigation of this visitor, with the entries of their role.
    pub fn for_account(mut self, account: Option<&rencai_store::accounts::AccountRecord>) -> Self {
        let role = account.map(|a| a.role);
        self.nav.retain(|n| for_role(n.href, role));
        self.for_visitor(account.is_some())
    }

    /// The frame of a page for a signed-in account: its role's entries and its unread count.
    pub async fn for_user(state: &AppState, section: Section, account: &rencai_store::accounts::AccountRecord) -> Self {
        Self::new(state, section).for_account(Some(account)).with_unread(state, account).await
    }

    /// Adds the unread-notice count to the account entry. A failed count shows no badge rather
    /// than failing the page.
    pub async fn with_unread(mut self, state: &AppState, account: &rencai_store::accounts::AccountRecord) -> Self {
        self.unread = rencai_app::notify::unread(state, account.id).await.unwrap_or(0);
        if let Ok(Some(d)) = rencai_app::legal::recently_changed(state).await {
            let when = d.effective_at.with_timezone(&rencai_domain::time::china()).format("%Y-%m-%d");
            let text = format!("《{}》已于 {when} 更新为 {}", d.title, d.version);
            self.policy_banner = Some((text, format!("/{}?version={}", d.kind, d.version)));
        }
        self
    }

    pub fn has_licences(&self) -> bool {
        self.hr_licence.is_some() || self.icp.is_some() || self.police_beian.is_some()
    }
}
