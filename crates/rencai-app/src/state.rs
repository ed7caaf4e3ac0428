//! Everything a request needs, shared by all of them.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rencai_crypto::SharedKeys;
use rencai_domain::station::Station;
use rencai_store::Db;

use crate::auth::passwords::Passwords;
use crate::clock::Clock;
use crate::config::Settings;
use crate::net::TrustedProxies;
use crate::providers::sms::SmsSender;

#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    db: Db,
    keys: SharedKeys,
    settings: Settings,
    clock: Arc<dyn Clock>,
    station: Station,
    proxies: TrustedProxies,
    started_at: DateTime<Utc>,
    sms: Option<Arc<dyn SmsSender>>,
    passwords: Passwords,
    terms: crate::market::terms::TermsCache,
    directory_total: crate::market::companies::DirectoryTotal,
    list_meter: crate::market::meter::ListMeter,
    realname: Option<Arc<dyn crate::providers::realname::RealNameVerifier>>,
    registry: Option<Arc<dyn crate::providers::registry::BusinessRegistry>>,
    /// Attached by [`crate::search::start`] (`serve` and tests); commands that only touch the
    /// database run without it.
    search: std::sync::OnceLock<Arc<crate::search::Search>>,
    /// This node's chat connections.
    chat_hub: crate::chat::Hub,
    mailer: Option<Arc<crate::providers::email::Mailer>>,
    push: Option<Arc<dyn crate::providers::push::PushSender>>,
}

impl AppState {
    pub fn new(
        db: Db,
        keys: SharedKeys,
        settings: Settings,
        clock: Arc<dyn Clock>,
        sms: Option<Arc<dyn SmsSender>>,
    ) -> crate::AppResult<Self> {
        let proxies = TrustedProxies::new(settings.server.trusted_proxies.clone());
        let started_at = clock.now();
        let passwords = Passwords::new(&settings.auth)?;
        let (realname, registry) = crate::providers::verification(&settings)?;
        let mailer = crate::providers::email::Mailer::from_settings(&settings, &db, &keys)
            .map_err(|e| crate::AppError::invalid("email.config", e.to_string()))?
            .map(Arc::new);
        let push = push_sender(&settings, &db, &keys)?;
        Ok(Self {
            inner: Arc::new(Inner {
                db,
                keys,
                settings,
                clock,
                station: Station::default_station(),
                proxies,
                started_at,
                sms,
                passwords,
                terms: Default::default(),
                directory_total: Default::default(),
                list_meter: Default::default(),
                realname,
                registry,
                search: std::sync::OnceLock::new(),
                chat_hub: crate::chat::Hub::default(),
                mailer,
                push,
            }),
        })
    }

    /// The SMS gateway, if one is configured.
    pub fn sms(&self) -> Option<&Arc<dyn SmsSender>> {
        self.inner.sms.as_ref()
    }

    pub fn passwords(&self) -> &Passwords {
        &self.inner.passwords
    }

    /// The real-name verifier, if one is configured.
    pub fn realname(&self) -> Option<&Arc<dyn crate::providers::realname::RealNameVerifier>> {
        self.inner.realname.as_ref()
    }

    /// The business registry, if one is configured.
    pub fn registry(&self) -> Option<&Arc<dyn crate::providers::registry::BusinessRegistry>> {
        self.inner.registry.as_ref()
    }

    /// Where app push notifications go, if anywhere.
    pub fn push(&self) -> Option<&Arc<dyn crate::providers::push::PushSender>> {
        self.inner.push.as_ref()
    }

    /// Where e-mail goes, if anywhere.
    pub fn mailer(&self) -> Option<&Arc<crate::providers::email::Mailer>> {
        self.inner.mailer.as_ref()
    }

    /// This node's chat connections and their fan-out.
    pub fn chat_hub(&self) -> &crate::chat::Hub {
        &self.inner.chat_hub
    }

    /// This node's search replica.
    pub fn search(&self) -> crate::AppResult<&Arc<crate::search::Search>> {
        self.inner
            .search
            .get()
            .ok_or_else(|| crate::AppError::internal(std::io::Error::other("search index not started")))
    }

    pub(crate) fn attach_search(&self, search: Arc<crate::search::Search>) -> crate::AppResult<()> {
        self.inner
            .search
            .set(search)
            .map_err(|_| crate::AppError::internal(std::io::Error::other("search index started twice")))
    }

    pub fn list_meter(&self) -> &crate::market::meter::ListMeter {
        &self.inner.list_meter
    }

    pub fn terms_cache(&self) -> &crate::market::terms::TermsCache {
        &self.inner.terms
    }

    pub(crate) fn directory_total(&self) -> &crate::market::companies::DirectoryTotal {
        &self.inner.directory_total
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn keys(&self) -> &SharedKeys {
        &self.inner.keys
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }

    /// The station this request belongs to (one for now; sub-sites pick theirs by host later).
    pub fn station(&self) -> &Station {
        &self.inner.station
    }

    pub fn proxies(&self) -> &TrustedProxies {
        &self.inner.proxies
    }

    pub fn started_at(&self) -> DateTime<Utc> {
        self.inner.started_at
    }
}

/// The push provider the settings ask for.
fn push_sender(
    settings: &Settings,
    db: &Db,
    keys: &SharedKeys,
) -> crate::AppResult<Option<Arc<dyn crate::providers::push::PushSender>>> {
    use crate::providers::push::{PushOutbox, Tpns, TpnsConfig};
    let demo = settings.mode() == crate::config::Mode::Demo;
    match settings.push.provider.as_deref() {
        None if demo => Ok(Some(Arc::new(PushOutbox { db: db.clone(), keys: keys.clone() }))),
        None => Ok(None),
        Some("outbox") => Ok(Some(Arc::new(PushOutbox { db: db.clone(), keys: keys.clone() }))),
        Some("tpns") => {
            let t = &settings.push.tpns;
            let config = TpnsConfig {
                endpoint: t.endpoint.clone(),
                access_id: t.access_id.clone(),
                secret_key: t.secret_key.clone(),
            };
            Ok(Some(Arc::new(Tpns::new(config).map_err(|e| crate::AppError::invalid("push.config", e.to_string()))?)))
        }
        Some(other) => {
            Err(crate::AppError::invalid("push.config", format!("push.provider must be outbox or tpns, not {other:?}")))
        }
    }
}
