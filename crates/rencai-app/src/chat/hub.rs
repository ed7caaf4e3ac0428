//! Fan-out of chat events to the connections open on this node, and between nodes.
//!
//! Every connection subscribes to its account's channel here. A committed change is announced
//! once: on SQLite (one node) straight to this hub; on PostgreSQL with `NOTIFY` in the
//! changing transaction, so it goes out exactly when the change commits and reaches every
//! node's listener — this node's included — which hands it to its own hub. An event names
//! only ids; each connection reads what it may see from the database.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::{AppError, AppResult, AppState};

/// The PostgreSQL channel chat events travel on.
pub const CHANNEL: &str = "rencai_chat";

/// What happened, for whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Event {
    /// A new message (by its id).
    Message { id: i64, to: [i64; 2] },
    /// A side read up to `seq` in a conversation.
    Read { conversation: i64, seq: i64, seeker_side: bool, to: [i64; 2] },
}

impl Event {
    fn recipients(&self) -> [i64; 2] {
        match self {
            Event::Message { to, .. } | Event::Read { to, .. } => *to,
        }
    }
}

/// Events buffered per account; a connection that falls this far behind resumes from the
/// database (its cursor), so nothing is lost, only re-read.
const BUFFER: usize = 256;

#[derive(Debug, Default)]
pub struct Hub {
    channels: Mutex<HashMap<i64, broadcast::Sender<Event>>>,
    /// On PostgreSQL: whether this node's listener is connected (events announced before it
    /// was are found by the connections' catch-up instead).
    pub listening: std::sync::atomic::AtomicBool,
}

impl Hub {
    /// Events for `account_id` from now on.
    pub fn subscribe(&self, account_id: i64) -> broadcast::Receiver<Event> {
        let mut map = self.channels.lock().expect("hub lock");
        map.entry(account_id).or_insert_with(|| broadcast::channel(BUFFER).0).subscribe()
    }

    /// Hands an event to this node's connections of its recipients, and forgets channels
    /// nobody listens to any more.
    pub fn deliver(&self, e: &Event) {
        let mut map = self.channels.lock().expect("hub lock");
        for account in e.recipients() {
            if let Some(tx) = map.get(&account) {
                if tx.receiver_count() == 0 {
                    map.remove(&account);
                } else {
                    let _ = tx.send(*e);
                }
            }
        }
    }

    /// Connections open on this node (for metrics and the benchmark).
    pub fn connections(&self) -> usize {
        self.channels.lock().expect("hub lock").values().map(|t| t.receiver_count()).sum()
    }
}

/// Announces `e` as part of the caller's transaction (PostgreSQL), or returns it to deliver
/// after commit (SQLite).
pub async fn announce(conn: &impl rencai_store::ConnectionTrait, e: Event) -> AppResult<Option<Event>> {
    if conn.get_database_backend() == rencai_store::Backend::Postgres {
        let payload = serde_json::to_string(&e).map_err(AppError::internal)?;
        conn.execute_raw(rencai_store::raw(
            rencai_store::Backend::Postgres,
            "SELECT pg_notify(?, ?)",
            [CHANNEL.into(), payload.into()],
        ))
        .await
        .map_err(AppError::internal)?;
        Ok(None)
    } else {
        Ok(Some(e))
    }
}

/// After commit: delivers what [`announce`] left for this node.
pub fn after_commit(state: &AppState, pending: Option<Event>) {
    if let Some(e) = pending {
        state.chat_hub().deliver(&e);
    }
}

/// On PostgreSQL, listens for chat events of every node and delivers them here; reconnects
/// after a dropped connection (connections then catch up from their cursors). Returns at once
/// on SQLite.
pub async fn listen_forever(state: AppState) {
    use rencai_store::sqlx::postgres::PgListener;
    let Some(pool) = state.db().postgres_pool() else { return };
    loop {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "chat listener: connect failed");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %e, "chat listener: LISTEN failed");
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            continue;
        }
        state.chat_hub().listening.store(true, std::sync::atomic::Ordering::SeqCst);
        loop {
            match listener.recv().await {
                Ok(n) => match serde_json::from_str::<Event>(n.payload()) {
                    Ok(e) => state.chat_hub().deliver(&e),
                    Err(e) => tracing::warn!(error = %e, "chat listener: bad payload"),
                },
                Err(e) => {
                    tracing::warn!(error = %e, "chat listener: connection lost");
                    state.chat_hub().listening.store(false, std::sync::atomic::Ordering::SeqCst);
                    break;
                }
            }
        }
    }
}
