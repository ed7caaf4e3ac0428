//! `/notices/{id}`: a security-incident notice (P11); `/admin/incidents`: staff write them.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::incidents::{self, PublishInput};
use rencai_domain::time::beijing;
use rencai_store::incidents::IncidentRow;

use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::{Csrf, CurrentStaff, MaybeUser};

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage {
    chrome: Chrome,
    i: IncidentRow,
    published: String,
}

pub async fn show(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let i = incidents::read(&state, user.as_ref().map(|u| &u.account), &id).await?;
    let chrome = match &user {
        Some(u) => Chrome::for_user(&state, Section::None, &u.account).await,
        None => Chrome::new(&state, Section::None).for_account(None),
    };
    super::render(&NoticePage { chrome, published: beijing(i.published_at), i }, false)
}

#[derive(Template)]
#[template(path = "admin_incidents.html")]
struct AdminPage {
    chrome: Chrome,
    csrf: String,
    form: PublishInput,
    /// (link, title, published, audience in words)
    items: Vec<(String, String, String, String)>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

async fn page(
    state: &AppState,
    csrf: &Csrf,
    staff: &CurrentStaff,
    form: PublishInput,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let items = incidents::list(state, &staff.0)
        .await?
        .into_iter()
        .map(|(i, n)| {
            let who = if i.audience == "everyone" {
                "全体用户（公告）".to_string()
            } else {
                format!("{n} 个受影响用户")
            };
            (format!("/notices/{}", i.public_id), i.title, beijing(i.published_at), who)
        })
        .collect();
    let p = AdminPage {
        chrome: Chrome::new(state, Section::None),
        csrf: csrf.token.clone(),
        form,
        items,
        errors,
        error_title: "未能发布：",
        notice,
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn admin_show(State(state): State<AppState>, csrf: Csrf, staff: CurrentStaff) -> Result<Response, WebError> {
    page(&state, &csrf, &staff, PublishInput::default(), vec![], None, StatusCode::OK).await
}

pub async fn admin_publish(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Form(form): Form<PublishInput>,
) -> Result<Response, WebError> {
    match incidents::publish(&state, &staff.0, &form).await {
        Ok(p) => {
            let mut n = if form.audience == "everyone" {
                "已发布，正在通知全体用户。".to_string()
            } else {
                format!("已发布并通知 {} 个受影响用户。", p.recipients)
            };
            if p.unknown_phones > 0 {
                n += &format!("有 {} 个手机号没有对应的账号。", p.unknown_phones);
            }
            page(&state, &csrf, &staff, PublishInput::default(), vec![], Some(n), StatusCode::OK).await
        }
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            page(&state, &csrf, &staff, form, errors, None, status).await
        }
    }
}
