//! `/dev/outbox`: what the dev SMS provider "sent". Exists only with the outbox provider, the
//! page switched on, and never in production mode.

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
    super::render(&OutboxPage { chrome: Chrome::new(&state, Section::None), messages }, false)
}
