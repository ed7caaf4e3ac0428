//! Sending SMS. The message is a template id plus parameters: Chinese carriers only deliver
//! pre-approved templates under a registered signature (签名), so free text is never sent.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use rencai_domain::account::Phone;

/// Which approved template a message uses. The provider-side template id comes from config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SmsTemplate {
    /// 验证码 message; parameter `code`.
    VerificationCode,
    /// An invitation to recruit for an organisation; parameters `company` and `code`.
    RecruiterInvite,
    /// An interview invitation; parameters `company`, `job` and `time`.
    InterviewInvite,
    /// A security-incident notice (P11); parameter `title`.
    IncidentNotice,
}

impl SmsTemplate {
    pub const ALL: [SmsTemplate; 4] = [
        SmsTemplate::VerificationCode,
        SmsTemplate::RecruiterInvite,
        SmsTemplate::InterviewInvite,
        SmsTemplate::IncidentNotice,
    ];

    /// The key under which the template is queued and its provider id is configured.
    pub fn key(self) -> &'static str {
        match self {
            SmsTemplate::VerificationCode => "verification_code",
            SmsTemplate::RecruiterInvite => "recruiter_invite",
            SmsTemplate::InterviewInvite => "interview_invite",
            SmsTemplate::IncidentNotice => "incident_notice",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == s)
    }
}

/// One SMS to send.
#[derive(Debug, Clone)]
pub struct SmsMessage {
    pub phone: Phone,
    pub template: SmsTemplate,
    /// Template parameters, e.g. `code` → `482915`.
    pub params: BTreeMap<String, String>,
    /// Our reference for this message (the provider's `OutId`), so a retried send can be
    /// matched to the first.
    pub client_ref: String,
}

/// What the provider said when it accepted a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsReceipt {
    /// The provider's id for the message (Aliyun: `BizId`).
    pub provider_id: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SmsError {
    /// The provider refused the message (bad template, signature, balance, rate limit …).
    #[error("SMS provider refused the message: {code}: {message}")]
    Rejected { code: String, message: String },
    /// The provider could not be reached or answered something unreadable; may be retried.
    #[error("SMS provider unreachable or unreadable: {0}")]
    Transport(String),
    /// Our configuration is incomplete (missing template id, keys).
    #[error("SMS provider misconfigured: {0}")]
    Config(String),
}

pub type SmsFuture<'a> = Pin<Box<dyn Future<Output = Result<SmsReceipt, SmsError>> + Send + 'a>>;

/// Something that can send an SMS.
pub trait SmsSender: Send + Sync + std::fmt::Debug {
    fn send<'a>(&'a self, message: &'a SmsMessage) -> SmsFuture<'a>;
}
