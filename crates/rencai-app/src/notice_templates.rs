//! The wording of notices (M11), which staff can edit: a title and a body per kind, as
//! minijinja templates over the notice's parameters. The defaults live here; a staff version
//! overrides one and can be withdrawn. A version is checked before it is saved — it must
//! render with every parameter of its kind, and may use no other — so a typo never reaches a
//! user as a broken notice. Notices are worded when shown (and when e-mailed or pushed), so an
//! edit applies to notices already in the center.

use std::collections::BTreeMap;

use minijinja::{Environment, UndefinedBehavior, Value};
use rencai_domain::staff::Permission;
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::notice_templates as store;

use crate::auth::staff::StaffUser;
use crate::notify::Kind;
use crate::{AppError, AppResult, AppState};

/// A kind's default wording and its parameters: (name, what it is, an example).
pub struct Default {
    pub title: &'static str,
    pub body: &'static str,
    pub params: &'static [(&'static str, &'static str, &'static str)],
}

pub fn default_of(kind: Kind) -> Default {
    const JOB: (&str, &str, &str) = ("job", "职位名称", "川菜厨师");
    const COMPANY: (&str, &str, &str) = ("company", "单位名称", "万州峡江餐饮有限公司");
    const TITLE: (&str, &str, &str) = ("title", "反馈标题", "要求先交培训费");
    match kind {
        Kind::ApplicationReceived => Default {
            title: "收到新的投递",
            body: "有求职者投递了你发布的职位「{{ job }}」，简历：{{ resume }}。",
            params: &[JOB, ("resume", "简历标题", "厨师求职简历")],
        },
        Kind::StageChanged => Default {
            title: "投递状态更新：{{ stage }}",
            body: "你投递的「{{ job }}」（{{ company }}）状态更新为“{{ stage }}”。",
            params: &[JOB, COMPANY, ("stage", "新状态", "邀请面试")],
        },
        Kind::InterviewInvited => Default {
            title: "面试邀请",
            body: "{{ company }}邀请你参加「{{ job }}」的面试，时间：{{ time }}。请尽快确认是否参加。",
            params: &[JOB, COMPANY, ("time", "面试时间（北京时间）", "2026-12-01 10:30")],
        },
        Kind::InterviewAnswered => Default {
            title: "求职者回复了面试邀请",
            body: "「{{ job }}」的面试邀请：求职者{{ answer }}。",
            params: &[JOB, ("answer", "回复", "接受面试")],
        },
        Kind::ApplicationWithdrawn => {
            Default {
                title: "求职者撤回了投递", body: "一位求职者撤回了对「{{ job }}」的投递。", params: &[JOB]
            }
        }
        Kind::ChatMessage => {
            Default { title: "新的沟通消息", body: "你有新的沟通消息，点击查看。", params: &[] }
        }
        Kind::JobAlert => Default {
            title: "职位订阅「{{ name }}」有{{ count }}个新职位",
            body: "最新的是「{{ first }}」，点击查看全部。",
            params: &[("name", "订阅名称", "会计"), ("count", "新职位数", "3"), ("first", "最新职位名称", "出纳会计")],
        },
        Kind::PolicyUpdated => Default {
            title: "{{ document }}更新为 {{ version }}",
            body: "{{ document }}已更新为 {{ version }}，{{ effective }}（北京时间）起生效：{{ action }}。点击查看全文和修改说明。",
            params: &[
                ("document", "文本名称", "隐私政策"),
                ("version", "版本", "v2"),
                ("effective", "生效时间（北京时间）", "2027-01-01 00:00"),
                ("action", "需要用户做什么", "无需操作"),
            ],
        },
        Kind::TicketAnswered => Default {
            title: "你的反馈有了答复",
            body: "平台客服答复了你的反馈「{{ title }}」，点击查看。",
            params: &[TITLE],
        },
        Kind::TicketClosed => Default {
            title: "你的反馈已处理完毕",
            body: "你的反馈「{{ title }}」已关闭：{{ outcome }}。感谢你帮助我们。",
            params: &[TITLE, ("outcome", "处理结果", "举报属实，已处理")],
        },
        Kind::Incident => Default {
            title: "安全事件通知：{{ title }}",
            body: "我们发布了一则与你有关的安全事件通知「{{ title }}」，请查看事件情况、影响和你可以采取的防范措施。",
            params: &[("title", "通知标题", "部分简历附件曾可被未授权访问")],
        },
    }
}

/// Staff versions by kind, read once for a batch of notices.
#[derive(Debug, Clone, std::default::Default)]
pub struct Overrides(BTreeMap<String, (String, String)>);

pub async fn overrides(state: &AppState) -> AppResult<Overrides> {
    Ok(Overrides(store::all(state.db().conn()).await?.into_iter().map(|r| (r.kind, (r.title, r.body))).collect()))
}

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env
}

fn render(env: &Environment, src: &str, params: &BTreeMap<String, String>) -> Result<String, minijinja::Error> {
    let ctx: BTreeMap<String, Value> = params.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect();
    env.render_str(src, Value::from(ctx))
}

/// A notice's title and body. A staff version that fails at render time (it was checked when
/// saved, so only a parameter gone missing can do that) falls back to the default.
pub fn word(o: &Overrides, kind: Option<Kind>, params: &BTreeMap<String, String>) -> (String, String) {
    let Some(kind) = kind else { return ("通知".into(), String::new()) };
    let env = env();
    let d = default_of(kind);
    if let Some((title, body)) = o.0.get(kind.as_str())
        && let (Ok(t), Ok(b)) = (render(&env, title, params), render(&env, body, params))
    {
        return (t, b);
    }
    // The defaults are tested to render with their parameters; a missing one shows as empty.
    let lenient = Environment::new();
    (
        render(&lenient, d.title, params).unwrap_or_else(|_| d.title.to_string()),
        render(&lenient, d.body, params).unwrap_or_else(|_| d.body.to_string()),
    )
}

/// One kind as the back office shows it.
pub struct Editable {
    pub kind: Kind,
    pub title: String,
    pub body: String,
    pub edited: bool,
    pub params: &'static [(&'static str, &'static str, &'static str)],
    /// The notice with the example parameters.
    pub preview: (String, String),
}

pub async fn list(state: &AppState, staff: &StaffUser) -> AppResult<Vec<Editable>> {
    staff.require(state, Permission::EditContent).await?;
    let o = overrides(state).await?;
    Ok(Kind::ALL
        .into_iter()
        .map(|kind| {
            let d = default_of(kind);
            let (title, body, edited) = match o.0.get(kind.as_str()) {
                Some((t, b)) => (t.clone(), b.clone(), true),
                None => (d.title.to_string(), d.body.to_string(), false),
            };
            let sample = d.params.iter().map(|(k, _, v)| ((*k).to_string(), (*v).to_string())).collect();
            Editable { kind, preview: word(&o, Some(kind), &sample), title, body, edited, params: d.params }
        })
        .collect())
}

const MAX_TITLE: usize = 60;
const MAX_BODY: usize = 300;

/// Saves a staff version of a kind's wording after checking it renders with exactly the
/// kind's parameters.
pub async fn save(state: &AppState, staff: &StaffUser, kind: &str, title: &str, body: &str) -> AppResult<()> {
    staff.require(state, Permission::EditContent).await?;
    let kind = Kind::parse(kind).ok_or_else(|| AppError::invalid("template.kind", "没有这种通知。"))?;
    let d = default_of(kind);
    let mut issues = rencai_domain::validate::Issues::default();
    let title = issues.text("title", "标题", title, MAX_TITLE);
    let body = issues.text("body", "正文", body, MAX_BODY);
    let sample: BTreeMap<String, String> =
        d.params.iter().map(|(k, _, v)| ((*k).to_string(), (*v).to_string())).collect();
    let env = env();
    for (field, src) in [("title", &title), ("body", &body)] {
        if src.is_empty() {
            continue;
        }
        if let Err(e) = render(&env, src, &sample) {
            let names: Vec<&str> = d.params.iter().map(|(k, ..)| *k).collect();
            let allowed = if names.is_empty() {
                "（这种通知没有可用的变量）".to_string()
            } else {
                names.join("、")
            };
            issues.push(
                field,
                "template.invalid",
                format!("模板无法使用：{}。可用的变量：{allowed}", e.detail().unwrap_or("语法错误")),
            );
        }
    }
    issues.finish(()).map_err(|i| crate::market::invalid("template.invalid", "模板有误。", i))?;
    let now = state.now();
    store::upsert(state.db().conn(), kind.as_str(), &title, &body, staff.auth.account.id, now).await?;
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::staff(staff.auth.account.id),
            action: "notice_template.save",
            subject: None,
            reason: None,
            detail: serde_json::json!({ "kind": kind.as_str() }),
        },
    )
    .await?;
    Ok(())
}

/// Withdraws the staff version of a kind: the default applies again.
pub async fn reset(state: &AppState, staff: &StaffUser, kind: &str) -> AppResult<()> {
    staff.require(state, Permission::EditContent).await?;
    let kind = Kind::parse(kind).ok_or_else(|| AppError::invalid("template.kind", "没有这种通知。"))?;
    if store::remove(state.db().conn(), kind.as_str()).await? {
        crate::audit::record(
            state,
            AuditEntry {
                actor: Actor::staff(staff.auth.account.id),
                action: "notice_template.reset",
                subject: None,
                reason: None,
                detail: serde_json::json!({ "kind": kind.as_str() }),
            },
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_renders_with_its_parameters_and_names_them_all() {
        let env = env();
        for kind in Kind::ALL {
            let d = default_of(kind);
            let sample: BTreeMap<String, String> =
                d.params.iter().map(|(k, _, v)| ((*k).to_string(), (*v).to_string())).collect();
            let title = render(&env, d.title, &sample).unwrap();
            let body = render(&env, d.body, &sample).unwrap();
            for (k, _, v) in d.params {
                assert!(title.contains(v) || body.contains(v), "{kind:?} does not use {k}");
            }
            // A parameter missing is an error in strict mode, which is what `save` relies on.
            if let Some((k, ..)) = d.params.first() {
                let mut fewer = sample.clone();
                fewer.remove(*k);
                assert!(render(&env, d.body, &fewer).is_err() || render(&env, d.title, &fewer).is_err());
            }
        }
    }
}
