//! `/dev/outbox`: what the dev SMS provider "sent", and the dev e-mail and push outboxes when
//! those are in use. Exists only with the SMS outbox provider, the page switched on, and never
//! in production mode.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::config::{Mode, SmsProvider};

use crate::WebError;
use crate::chrome::{Chrome, Section};

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    chrome: Chrome,
    messages: Vec<(String, String, String, String)>,
    /// Time, address, subject, text.
    mails: Vec<(String, String, String, String)>,
    /// Time, alias, title and text, link.
    pushes: Vec<(String, String, String, String)>,
}

pub async fn outbox(State(state): State<AppState>) -> Result<Response, WebError> {
    let s = state.settings();
    if !(s.sms.outbox_page && s.sms_provider() == Some(SmsProvider::Outbox) && s.mode() == Mode::Demo) {
        return Err(WebError::new(
            StatusCode::NOT_FOUND,
            "route.not_found",
            "你要找的页面不存在，可能已被删除或地址有误。",
        ));
    }
    let messages = rencai_app::providers::sms_outbox::read(state.db(), state.keys(), None, 50)
        .await?
        .into_iter()
        .map(|m| {
            let at = m.created_at.with_timezone(&rencai_domain::time::china()).format("%m-%d %H:%M:%S").to_string();
            let params = m.params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
            (at, m.phone, m.template, params)
        })
        .collect();
    let when = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&rencai_domain::time::china()).format("%m-%d %H:%M:%S").to_string()
    };
    let mails = match state.mailer().map(|m| m.as_ref()) {
        Some(rencai_app::providers::email::Mailer::Outbox { .. }) => {
            rencai_app::providers::email::read_outbox(state.db(), state.keys(), None, 20)
                .await?
                .into_iter()
                .map(|m| (when(m.created_at), m.to, m.subject, m.text))
                .collect()
        }
        _ => Vec::new(),
    };
    let pushes = rencai_app::providers::push::read_outbox(state.db(), state.keys(), None, 20)
        .await?
        .into_iter()
        .map(|p| (when(p.created_at), p.alias, format!("{} · {}", p.title, p.content), p.link))
        .collect();
    super::render(&OutboxPage { chrome: Chrome::new(&state, Section::None), messages, mails, pushes }, false)
}
