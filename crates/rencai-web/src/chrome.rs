//! The frame around every page: site name, navigation, footer with licence numbers.

use chrono::Datelike;
use rencai_app::AppState;

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
    None,
}

const NAV: &[(&str, &str, Section)] = &[
    ("/", "首页", Section::Home),
    ("/privacy", "隐私政策", Section::Privacy),
    ("/terms", "用户协议", Section::Terms),
    ("/login", "登录", Section::Login),
    ("/register", "注册", Section::Register),
    ("/me", "我的账号", Section::Me),
];

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
        }
    }

    /// The navigation of a signed-in person: no login or registration entries.
    pub fn signed_in(mut self) -> Self {
        self.nav.retain(|n| n.href != "/login" && n.href != "/register");
        self
    }

    /// The navigation of an anonymous visitor: no account entry.
    pub fn anonymous(mut self) -> Self {
        self.nav.retain(|n| n.href != "/me");
        self
    }

    /// Signed-in or anonymous navigation.
    pub fn for_visitor(self, signed_in: bool) -> Self {
        if signed_in { self.signed_in() } else { self.anonymous() }
    }

    pub fn has_licences(&self) -> bool {
        self.hr_licence.is_some() || self.icp.is_some() || self.police_beian.is_some()
    }
}
