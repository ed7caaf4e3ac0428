//! Feedback tickets (P18, M13): what a person can ask or report, how soon staff must answer,
//! and how a ticket moves from open to closed.

use chrono::{DateTime, Duration, Utc};

/// What a ticket is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TicketKind {
    Question,
    Complaint,
    ReportJob,
    ReportCompany,
    ReportUser,
    /// A chat reported from the conversation (its messages up to the report are the evidence).
    ReportChat,
    /// A security problem: a vulnerability, a leak, an account taken over.
    Security,
}

impl TicketKind {
    pub const ALL: [TicketKind; 7] = [
        TicketKind::Question,
        TicketKind::Complaint,
        TicketKind::ReportJob,
        TicketKind::ReportCompany,
        TicketKind::ReportUser,
        TicketKind::ReportChat,
        TicketKind::Security,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketKind::Question => "question",
            TicketKind::Complaint => "complaint",
            TicketKind::ReportJob => "report_job",
            TicketKind::ReportCompany => "report_company",
            TicketKind::ReportUser => "report_user",
            TicketKind::ReportChat => "report_chat",
            TicketKind::Security => "security",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TicketKind::Question => "咨询",
            TicketKind::Complaint => "投诉",
            TicketKind::ReportJob => "举报职位",
            TicketKind::ReportCompany => "举报单位",
            TicketKind::ReportUser => "举报用户",
            TicketKind::ReportChat => "举报聊天",
            TicketKind::Security => "安全问题",
        }
    }

    /// The kind of object a report names, if it is a report.
    pub fn subject(self) -> Option<SubjectKind> {
        match self {
            TicketKind::ReportJob => Some(SubjectKind::Job),
            TicketKind::ReportCompany => Some(SubjectKind::Company),
            TicketKind::ReportUser => Some(SubjectKind::User),
            TicketKind::ReportChat => Some(SubjectKind::Conversation),
            TicketKind::Question | TicketKind::Complaint | TicketKind::Security => None,
        }
    }

    /// How long staff have to give a first answer. Security first: a leak grows by the hour.
    /// Reports of fraud come next; questions and complaints within a few days — all well inside
    /// the 15 working days the Personal Information Protection Law allows for requests.
    pub fn response_time(self) -> Duration {
        match self {
            TicketKind::Security => Duration::hours(24),
            TicketKind::ReportJob | TicketKind::ReportCompany | TicketKind::ReportUser | TicketKind::ReportChat => {
                Duration::hours(48)
            }
            TicketKind::Question | TicketKind::Complaint => Duration::hours(72),
        }
    }

    /// Kinds a visitor may open from the feedback form (a chat report starts in the chat).
    pub fn from_form(self) -> bool {
        self != TicketKind::ReportChat
    }
}

/// The object a report names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    Job,
    Company,
    User,
    Conversation,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Job => "job",
            SubjectKind::Company => "company",
            SubjectKind::User => "user",
            SubjectKind::Conversation => "conversation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [SubjectKind::Job, SubjectKind::Company, SubjectKind::User, SubjectKind::Conversation]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TicketStatus {
    /// Waiting for staff.
    Open,
    /// Staff answered; waiting for the person (a reply reopens it).
    Answered,
    Closed,
}

impl TicketStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::Answered => "answered",
            TicketStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [TicketStatus::Open, TicketStatus::Answered, TicketStatus::Closed].into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TicketStatus::Open => "待处理",
            TicketStatus::Answered => "已答复",
            TicketStatus::Closed => "已关闭",
        }
    }
}

/// How a closed report ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The report holds: the item was taken down.
    Upheld,
    /// Looked into, nothing wrong found.
    Dismissed,
    /// A question or complaint resolved.
    Resolved,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Upheld => "upheld",
            Outcome::Dismissed => "dismissed",
            Outcome::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Outcome::Upheld, Outcome::Dismissed, Outcome::Resolved].into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Upheld => "举报属实，已处理",
            Outcome::Dismissed => "经核查未发现问题",
            Outcome::Resolved => "已解决",
        }
    }

    /// Whether a ticket of `kind` may end this way: only a report is upheld or dismissed.
    pub fn fits(self, kind: TicketKind) -> bool {
        match self {
            Outcome::Upheld | Outcome::Dismissed => kind.subject().is_some(),
            Outcome::Resolved => true,
        }
    }
}

/// Who writes next on a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    Requester,
    Staff,
}

/// The status after `author` writes on a ticket in `status`; `None` when a closed ticket is
/// written on (a new ticket is needed).
pub fn after_message(status: TicketStatus, author: Author) -> Option<TicketStatus> {
    match (status, author) {
        (TicketStatus::Closed, _) => None,
        (_, Author::Staff) => Some(TicketStatus::Answered),
        (_, Author::Requester) => Some(TicketStatus::Open),
    }
}

/// Whether a ticket is past its deadline: still waiting for staff after `due_at`.
pub fn overdue(status: TicketStatus, due_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    status == TicketStatus::Open && now > due_at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_round_trip() {
        for k in TicketKind::ALL {
            assert_eq!(TicketKind::parse(k.as_str()), Some(k));
        }
        for s in [TicketStatus::Open, TicketStatus::Answered, TicketStatus::Closed] {
            assert_eq!(TicketStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(TicketKind::parse("spam"), None);
    }

    #[test]
    fn security_is_answered_first_and_everything_within_three_days() {
        assert!(TicketKind::Security.response_time() < TicketKind::ReportJob.response_time());
        assert!(TicketKind::ReportJob.response_time() < TicketKind::Question.response_time());
        assert!(TicketKind::ALL.iter().all(|k| k.response_time() <= Duration::hours(72)));
    }

    #[test]
    fn only_reports_are_upheld_or_dismissed() {
        assert!(Outcome::Upheld.fits(TicketKind::ReportJob));
        assert!(!Outcome::Upheld.fits(TicketKind::Question));
        assert!(!Outcome::Dismissed.fits(TicketKind::Security));
        assert!(Outcome::Resolved.fits(TicketKind::ReportChat));
    }

    #[test]
    fn messages_move_the_ticket_and_a_closed_one_stays_closed() {
        assert_eq!(after_message(TicketStatus::Open, Author::Staff), Some(TicketStatus::Answered));
        assert_eq!(after_message(TicketStatus::Answered, Author::Requester), Some(TicketStatus::Open));
        assert_eq!(after_message(TicketStatus::Closed, Author::Requester), None);
        assert_eq!(after_message(TicketStatus::Closed, Author::Staff), None);
    }

    #[test]
    fn overdue_only_while_waiting_for_staff() {
        let now = Utc::now();
        assert!(overdue(TicketStatus::Open, now - Duration::minutes(1), now));
        assert!(!overdue(TicketStatus::Open, now + Duration::minutes(1), now));
        assert!(!overdue(TicketStatus::Answered, now - Duration::days(3), now));
    }
}
