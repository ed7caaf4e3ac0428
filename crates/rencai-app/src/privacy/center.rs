//! The privacy center's overview (`/me/privacy` and `GET /api/v1/me/privacy`): what we hold
//! about the person by category, why, and for how long — read from the personal-data map, so it
//! cannot drift from what the purge and the export do — plus their consents, the disclosure log
//! and the switches they control.

use rencai_store::accounts::AccountRecord;
use rencai_store::privacy::{self as store, OnPurge, Period, TABLES};

use crate::{AppError, AppResult, AppState};

/// One category of data we hold about the person.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Holding {
    pub table: &'static str,
    pub label: &'static str,
    pub purpose: &'static str,
    pub rows: u64,
    /// How long it is kept, in words.
    pub retention: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ConsentEntry {
    pub privacy_version: String,
    pub terms_version: String,
    pub accepted_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DisclosureEntry {
    pub recipient: String,
    pub kind: String,
    pub detail: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Overview {
    pub holdings: Vec<Holding>,
    pub consents: Vec<ConsentEntry>,
    pub disclosures: Vec<DisclosureEntry>,
    pub personalization: bool,
    /// Inferred from recent behaviour while personalization is on (P8).
    pub interest_tags: Vec<crate::behaviour::InterestTag>,
    pub exports: Vec<super::export::ExportInfo>,
    /// Security-incident notices the account was told of (P11): (title, link, published).
    pub incidents: Vec<(String, String, chrono::DateTime<chrono::Utc>)>,
    /// For an organisation's primary account: what the organisation holds, across all its
    /// recruiters (P17): (label, rows, what it is).
    pub organisation: Vec<(&'static str, u64, &'static str)>,
}

/// Why we hold each category.
pub fn purpose(table: &str) -> &'static str {
    match table {
        "accounts" => "识别你的账号、登录和联系你",
        "credentials" => "验证你的登录密码（只保存不可逆的摘要）",
        "sms_codes" | "dev_outbox" => "验证手机号、防止短信滥发",
        "sessions" => "保持登录、让你查看和结束登录设备",
        "consents" => "证明你同意了哪一版隐私政策和用户协议",
        "login_failures" => "防止密码被暴力猜测",
        "company_members" | "staff_members" => "确认你代表的单位或岗位",
        "jobs" => "展示你发布的职位",
        "resumes" | "files" => "向你选择的单位展示你的求职信息",
        "resume_blocks" => "不让你屏蔽的单位看到你的简历",
        "applications" | "application_events" | "interviews" => "办理你的投递和面试",
        "contact_shares" => "记录你同意向哪些单位公开联系方式",
        "resume_unlocks" | "resume_views" | "disclosures" => "让你知道谁看过、下载过你的简历",
        "quota_uses" => "记录单位套餐的使用（交易记录）",
        "favourites" => "保存你收藏的职位或人才",
        "light_posts" => "展示你发布的速聘或一句话求职",
        "notifications" | "notification_prefs" => "通知你投递进展，并按你的选择发送",
        "conversations" | "chat_messages" | "chat_reports" => "在你和招聘方之间传递消息、处理举报",
        "saved_searches" => "按你的订阅提醒新职位",
        "data_exports" => "准备你申请导出的数据",
        "privacy_prefs" => "记住你的个性化推荐开关",
        "tickets" | "ticket_messages" => "处理你的咨询、投诉和举报",
        "incident_recipients" => "记录我们告知过你的安全事件",
        "behaviour_events" => "个性化推荐（可在下方关闭）",
        _ => "提供平台服务",
    }
}

/// How long a category is kept, in words, from its rule.
pub fn retention_text(state: &AppState, rule: &store::TableRule) -> String {
    let p = &state.settings().privacy;
    let days = |period: Period| match period {
        Period::Days(d) => d,
        Period::Behaviour => p.behaviour_days,
        Period::Security => p.security_log_days.max(super::retention::MIN_SECURITY_LOG_DAYS),
    };
    let erased = rule.subjects.iter().any(|(_, o)| *o == OnPurge::Delete || *o == OnPurge::Tombstone);
    let kept_by_law = super::deactivation::KEPT_BY_LAW.contains(&rule.table);
    let mut parts = Vec::new();
    if let Some(e) = &rule.expiry {
        parts.push(format!("{} 天后自动删除", days(e.after)));
    }
    if erased {
        parts.push(format!("注销后 {} 天内删除", p.purge_after_days));
    } else {
        parts.push("属于单位的业务记录，随单位保留".into());
    }
    if kept_by_law {
        parts.push(format!("依法在加密存档中保存 {} 年", p.archive_years));
    }
    parts.join("；")
}

pub async fn overview(state: &AppState, account: &AccountRecord) -> AppResult<Overview> {
    let conn = state.db().conn();
    let mut holdings = Vec::new();
    for rule in TABLES.iter().filter(|r| !r.subjects.is_empty()) {
        let rows = store::count_of(conn, rule, account.id).await?;
        if rows == 0 {
            continue;
        }
        holdings.push(Holding {
            table: rule.table,
            label: super::export::label(rule.table),
            purpose: purpose(rule.table),
            rows,
            retention: retention_text(state, rule),
        });
    }
    let consents = rencai_store::auth::consents(conn, account.id)
        .await
        .map_err(AppError::internal)?
        .into_iter()
        .map(|(privacy_version, terms_version, accepted_at, _)| ConsentEntry {
            privacy_version,
            terms_version,
            accepted_at,
        })
        .collect();
    let disclosures = rencai_store::market::disclosures::of_person(conn, account.id)
        .await?
        .into_iter()
        .map(|d| DisclosureEntry {
            recipient: d.recipient_name.unwrap_or_else(|| "（已注销的单位）".into()),
            kind: d.kind,
            detail: d.detail,
            at: d.created_at,
        })
        .collect();
    Ok(Overview {
        holdings,
        consents,
        disclosures,
        personalization: store::personalization(conn, account.id).await?,
        interest_tags: crate::behaviour::tags(state, account).await?,
        exports: super::export::list(state, account).await?,
        organisation: organisation(state, account).await?,
        incidents: crate::incidents::for_account(state, account)
            .await?
            .into_iter()
            .map(|i| (i.title, format!("/notices/{}", i.public_id), i.published_at))
            .collect(),
    })
}

/// The organisation's holdings, for its primary account only.
async fn organisation(state: &AppState, account: &AccountRecord) -> AppResult<Vec<(&'static str, u64, &'static str)>> {
    let conn = state.db().conn();
    let Some(m) = rencai_store::market::companies::membership(conn, account.id).await? else { return Ok(Vec::new()) };
    if !m.is_primary {
        return Ok(Vec::new());
    }
    Ok(store::organisation_counts(conn, m.company_id)
        .await?
        .into_iter()
        .map(|(key, n)| {
            let (label, what) = match key {
                "companies" => ("单位资料", "单位名称、执照、简介与认证状态；联系人姓名加密保存"),
                "company_members" => ("成员账号", "主账号与子账号，实名核验结果加密保存"),
                "jobs" => ("发布的职位", "全部成员发布的职位，联系人信息只向投递者显示"),
                "applications" => ("收到的投递", "求职者投递给本单位的记录；求职者注销后移出"),
                "conversations" => ("沟通会话", "成员与求职者的会话；主账号可查看"),
                "resume_unlocks" => ("下载的简历", "用套餐下载的简历，每次都记入求职者的对外提供记录"),
                "quota_uses" => ("套餐使用记录", "交易记录，依法保存"),
                _ => ("上传的文件", "执照、标志与环境照片，加密保存"),
            };
            (label, n, what)
        })
        .collect())
}

/// The personalization switch (P8, P13); takes effect on the next request. Off also forgets
/// the behaviour recorded so far.
pub async fn set_personalization(state: &AppState, account: &AccountRecord, on: bool) -> AppResult<()> {
    store::set_personalization(state.db().conn(), account.id, on, state.now()).await?;
    if !on {
        crate::behaviour::forget_all(state, account).await?;
    }
    Ok(())
}
