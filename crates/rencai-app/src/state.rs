//! Everything a request needs, shared by all of them.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rencai_crypto::SharedKeys;
use rencai_domain::station::Station;
use rencai_store::Db;

use crate::clock::Clock;
use crate::config::Settings;
use crate::net::TrustedProxies;

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
}

impl AppState {
    pub fn new(db: Db, keys: SharedKeys, settings: Settings, clock: Arc<dyn Clock>) -> Self {
        let proxies = TrustedProxies::new(settings.server.trusted_proxies.clone());
        let started_at = clock.now();
        Self {
            inner: Arc::new(Inner {
                db,
                keys,
                settings,
                clock,
                station: Station::default_station(),
                proxies,
                started_at,
            }),
        }
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

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
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
