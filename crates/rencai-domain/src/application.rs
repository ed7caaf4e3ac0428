//! The hiring pipeline of an application (投递, M8): which stage follows which step, and who may
//! take it. One table decides every transition; pages, the API and bulk actions all go through
//! [`Stage::after`], so a forbidden move is refused the same way everywhere.
//!
//! ```text
//! new → viewed → shortlisted → interview → offered → hired
//!   └──────┴──────────┴────────────┴──────────┴──→ rejected (recruiter) / withdrawn (seeker)
//! ```
//! A recruiter may skip ahead (invite straight from a new application) but never go back, and
//! a final stage (hired, rejected, withdrawn) is never left: a seeker turned down applies to
//! another job, not to the same one again.

use std::fmt;

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    New,
    Viewed,
    Shortlisted,
    Interview,
    Offered,
    Hired,
    Rejected,
    Withdrawn,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::New,
        Stage::Viewed,
        Stage::Shortlisted,
        Stage::Interview,
        Stage::Offered,
        Stage::Hired,
        Stage::Rejected,
        Stage::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Viewed => "viewed",
            Stage::Shortlisted => "shortlisted",
            Stage::Interview => "interview",
            Stage::Offered => "offered",
            Stage::Hired => "hired",
            Stage::Rejected => "rejected",
            Stage::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The label a seeker and a recruiter both read.
    pub fn label(self) -> &'static str {
        match self {
            Stage::New => "已投递",
            Stage::Viewed => "已查看",
            Stage::Shortlisted => "初筛通过",
            Stage::Interview => "邀请面试",
            Stage::Offered => "已发录用通知",
            Stage::Hired => "已入职",
            Stage::Rejected => "不合适",
            Stage::Withdrawn => "已撤回",
        }
    }

    /// No step leaves a final stage.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Hired | Stage::Rejected | Stage::Withdrawn)
    }

    /// How far along the pipeline the stage is (final exits rank after everything).
    fn rank(self) -> u8 {
        self as u8
    }

    /// The stage after `step` taken by `side`, or why it may not be taken.
    pub fn after(self, step: Step, side: Side) -> Result<Stage, StepRefused> {
        if step.side() != side {
            return Err(StepRefused::WrongSide { step, side });
        }
        if self.is_final() {
            return Err(StepRefused::Final(self));
        }
        let to = step.target();
        let allowed = match step {
            // Reading the resume marks a new application viewed; nothing else.
            Step::View => self == Stage::New,
            // Forward only; an interview may be repeated (a second round, a new time).
            Step::Shortlist | Step::Offer | Step::Hire => self.rank() < to.rank() && step.reachable_from(self),
            Step::Invite => self.rank() <= to.rank(),
            Step::Reject | Step::Withdraw => true,
        };
        if allowed { Ok(to) } else { Err(StepRefused::NotFrom { step, from: self }) }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Seeker,
    Recruiter,
}

/// A step along the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    View,
    Shortlist,
    Invite,
    Offer,
    Hire,
    Reject,
    Withdraw,
}

impl Step {
    pub const ALL: [Step; 7] =
        [Step::View, Step::Shortlist, Step::Invite, Step::Offer, Step::Hire, Step::Reject, Step::Withdraw];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::View => "view",
            Step::Shortlist => "shortlist",
            Step::Invite => "invite",
            Step::Offer => "offer",
            Step::Hire => "hire",
            Step::Reject => "reject",
            Step::Withdraw => "withdraw",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn side(self) -> Side {
        match self {
            Step::Withdraw => Side::Seeker,
            _ => Side::Recruiter,
        }
    }

    pub fn target(self) -> Stage {
        match self {
            Step::View => Stage::Viewed,
            Step::Shortlist => Stage::Shortlisted,
            Step::Invite => Stage::Interview,
            Step::Offer => Stage::Offered,
            Step::Hire => Stage::Hired,
            Step::Reject => Stage::Rejected,
            Step::Withdraw => Stage::Withdrawn,
        }
    }

    /// Offers follow a shortlist or an interview, a hire follows an offer: an employer cannot
    /// record a hire nobody was offered.
    fn reachable_from(self, from: Stage) -> bool {
        match self {
            Step::Offer => matches!(from, Stage::Shortlisted | Stage::Interview),
            Step::Hire => from == Stage::Offered,
            _ => true,
        }
    }
}

/// Why a step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StepRefused {
    #[error("{step:?} is not the {side:?}'s to take")]
    WrongSide { step: Step, side: Side },
    #[error("the application is {0} and closed")]
    Final(Stage),
    #[error("{step:?} cannot follow {from}")]
    NotFrom { step: Step, from: Stage },
}

impl StepRefused {
    /// What a person is told, in zh-CN.
    pub fn message(&self) -> String {
        match self {
            StepRefused::WrongSide { side: Side::Seeker, .. } => "求职者只能撤回自己的投递。".into(),
            StepRefused::WrongSide { side: Side::Recruiter, .. } => "只有求职者本人可以撤回投递。".into(),
            StepRefused::Final(stage) => format!("这份投递已是“{}”，不能再更改。", stage.label()),
            StepRefused::NotFrom { step, from } => {
                format!("当前状态为“{}”，不能直接{}。", from.label(), step_verb(*step))
            }
        }
    }
}

fn step_verb(step: Step) -> &'static str {
    match step {
        Step::View => "标记为已查看",
        Step::Shortlist => "标记为初筛通过",
        Step::Invite => "邀请面试",
        Step::Offer => "发录用通知",
        Step::Hire => "标记为已入职",
        Step::Reject => "标记为不合适",
        Step::Withdraw => "撤回",
    }
}

/// The reasons a recruiter can pick when turning someone down; the seeker reads the label.
/// Free text is allowed too (and screened for contact details like any other message).
pub const REJECT_REASONS: &[(&str, &str)] = &[
    ("experience", "工作经验与岗位要求不符"),
    ("skills", "专业技能与岗位要求不符"),
    ("filled", "该职位已招满"),
    ("location", "工作地点不合适"),
    ("salary", "薪资期望差距较大"),
    ("other", "其他原因"),
];

/// The label of a reject reason code, if it is one.
pub fn reject_reason_label(code: &str) -> Option<&'static str> {
    REJECT_REASONS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// How an interview is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterviewMode {
    Onsite,
    Video,
}

impl InterviewMode {
    pub fn as_str(self) -> &'static str {
        match self {
            InterviewMode::Onsite => "onsite",
            InterviewMode::Video => "video",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [InterviewMode::Onsite, InterviewMode::Video].into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            InterviewMode::Onsite => "现场面试",
            InterviewMode::Video => "视频面试",
        }
    }
}

/// An interview invitation as typed: `starts_at` is Beijing time `YYYY-MM-DDTHH:MM` (what a
/// `datetime-local` field sends) or RFC 3339.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct InterviewInput {
    pub starts_at: String,
    pub minutes: String,
    pub mode: String,
    /// The address, or the meeting link for a video interview.
    pub place: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub note: String,
}

/// The parts of an invitation that are sealed together.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InterviewDetails {
    pub place: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub note: Option<String>,
}

/// A checked invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interview {
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub minutes: i32,
    pub mode: InterviewMode,
    pub details: InterviewDetails,
}

/// An invitation is for a time between an hour from now and 90 days ahead.
pub const INTERVIEW_MAX_DAYS_AHEAD: i64 = 90;

impl InterviewInput {
    pub fn parse(&self, now: chrono::DateTime<chrono::Utc>) -> Result<Interview, Vec<crate::validate::FieldIssue>> {
        use chrono::{DateTime, NaiveDateTime, Utc};
        let mut issues = crate::validate::Issues::default();
        let raw = self.starts_at.trim();
        let starts_at = DateTime::parse_from_rfc3339(raw).map(|t| t.with_timezone(&Utc)).ok().or_else(|| {
            ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
                .and_then(|n| n.and_local_timezone(crate::time::china()).single())
                .map(|t| t.with_timezone(&Utc))
        });
        match starts_at {
            None => issues.push("starts_at", "interview.time", "请填写面试时间，例如 2026-12-01 14:30"),
            Some(t) if t < now + chrono::Duration::hours(1) => {
                issues.push("starts_at", "interview.too_soon", "面试时间至少要在一小时之后，给求职者留出准备时间")
            }
            Some(t) if t > now + chrono::Duration::days(INTERVIEW_MAX_DAYS_AHEAD) => {
                issues.push("starts_at", "interview.too_far", "面试时间不能晚于90天之后")
            }
            Some(_) => {}
        }
        let minutes = match self.minutes.trim() {
            "" => Some(60),
            m => m.parse::<i32>().ok().filter(|m| (10..=480).contains(m)),
        };
        if minutes.is_none() {
            issues.push("minutes", "interview.minutes", "面试时长请填写10到480分钟");
        }
        let mode = InterviewMode::parse(self.mode.trim());
        if mode.is_none() {
            issues.push("mode", "interview.mode", "请选择现场面试或视频面试");
        }
        let place_label = if mode == Some(InterviewMode::Video) { "视频会议链接" } else { "面试地点" };
        let place = issues.text("place", place_label, &self.place, 200);
        if mode == Some(InterviewMode::Video)
            && !place.is_empty()
            && !(place.starts_with("https://") || place.starts_with("http://"))
        {
            issues.push("place", "interview.link", "视频面试请填写以 https:// 开头的会议链接");
        }
        let contact_name = issues.text("contact_name", "联系人", &self.contact_name, 20);
        let contact_phone = match crate::account::Phone::parse(&self.contact_phone) {
            Ok(p) => p.digits().to_string(),
            Err(e) => {
                issues.push("contact_phone", "phone.invalid", e.to_string());
                String::new()
            }
        };
        let note = issues.optional_text("note", "备注", &self.note, 300);
        let (Some(starts_at), Some(minutes), Some(mode)) = (starts_at, minutes, mode) else {
            return Err(issues.into_vec());
        };
        issues.finish(Interview {
            starts_at,
            minutes,
            mode,
            details: InterviewDetails { place, contact_name, contact_phone, note },
        })
    }
}

/// A seeker's answer to an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Accept,
    Decline,
    /// Asks for another time.
    Reschedule,
}

impl Answer {
    pub fn parse(s: &str) -> Option<Self> {
        [Answer::Accept, Answer::Decline, Answer::Reschedule].into_iter().find(|a| a.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Accept => "accept",
            Answer::Decline => "decline",
            Answer::Reschedule => "reschedule",
        }
    }

    /// The interview's state after this answer.
    pub fn state(self) -> &'static str {
        match self {
            Answer::Accept => "accepted",
            Answer::Decline => "declined",
            Answer::Reschedule => "reschedule",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Answer::Accept => "接受面试",
            Answer::Decline => "婉拒面试",
            Answer::Reschedule => "希望改期",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_happy_path_and_its_labels() {
        let mut s = Stage::New;
        for step in [Step::View, Step::Shortlist, Step::Invite, Step::Invite, Step::Offer, Step::Hire] {
            s = s.after(step, Side::Recruiter).unwrap();
        }
        assert_eq!(s, Stage::Hired);
        assert!(s.is_final());
        for st in Stage::ALL {
            assert_eq!(Stage::parse(st.as_str()), Some(st));
            assert!(!st.label().is_empty());
        }
    }

    #[test]
    fn forbidden_moves_are_named() {
        assert_eq!(
            Stage::Interview.after(Step::Shortlist, Side::Recruiter),
            Err(StepRefused::NotFrom { step: Step::Shortlist, from: Stage::Interview })
        );
        assert_eq!(
            Stage::New.after(Step::Hire, Side::Recruiter),
            Err(StepRefused::NotFrom { step: Step::Hire, from: Stage::New })
        );
        assert_eq!(
            Stage::Viewed.after(Step::Offer, Side::Recruiter),
            Err(StepRefused::NotFrom { step: Step::Offer, from: Stage::Viewed })
        );
        assert_eq!(
            Stage::Viewed.after(Step::View, Side::Recruiter).unwrap_err().message(),
            "当前状态为“已查看”，不能直接标记为已查看。"
        );
        assert_eq!(
            Stage::New.after(Step::Reject, Side::Seeker),
            Err(StepRefused::WrongSide { step: Step::Reject, side: Side::Seeker })
        );
        assert_eq!(
            Stage::New.after(Step::Withdraw, Side::Recruiter).unwrap_err().message(),
            "只有求职者本人可以撤回投递。"
        );
        assert_eq!(Stage::Rejected.after(Step::Withdraw, Side::Seeker), Err(StepRefused::Final(Stage::Rejected)));
        assert_eq!(Stage::Offered.after(Step::Withdraw, Side::Seeker), Ok(Stage::Withdrawn), "declining an offer");
        assert_eq!(Stage::New.after(Step::Invite, Side::Recruiter), Ok(Stage::Interview), "skipping ahead");
    }

    #[test]
    fn an_invitation_is_checked_field_by_field() {
        use chrono::TimeZone;
        let now = chrono::Utc.with_ymd_and_hms(2026, 11, 29, 2, 0, 0).unwrap(); // 10:00 in Beijing
        let good = InterviewInput {
            starts_at: "2026-11-30T14:30".into(),
            minutes: "".into(),
            mode: "onsite".into(),
            place: "万州区高笋塘北山大道88号3楼".into(),
            contact_name: "王经理".into(),
            contact_phone: "13800000001".into(),
            note: "".into(),
        };
        let i = good.parse(now).unwrap();
        assert_eq!(i.starts_at, chrono::Utc.with_ymd_and_hms(2026, 11, 30, 6, 30, 0).unwrap(), "read as Beijing time");
        assert_eq!(i.minutes, 60);
        assert_eq!(i.details.note, None);

        let bad = InterviewInput {
            starts_at: "2026-11-29T10:30".into(),
            minutes: "5".into(),
            mode: "video".into(),
            place: "腾讯会议 123".into(),
            contact_name: "".into(),
            contact_phone: "12345".into(),
            note: "".into(),
        };
        let fields: Vec<&str> = bad.parse(now).unwrap_err().iter().map(|i| i.code).collect();
        assert_eq!(
            fields,
            ["interview.too_soon", "interview.minutes", "interview.link", "field.required", "phone.invalid"]
        );
        let far = InterviewInput { starts_at: "2027-06-01T10:00".into(), ..good.clone() };
        assert_eq!(far.parse(now).unwrap_err()[0].code, "interview.too_far");
        let garbage = InterviewInput { starts_at: "明天下午".into(), mode: "zoom".into(), ..good };
        let codes: Vec<&str> = garbage.parse(now).unwrap_err().iter().map(|i| i.code).collect();
        assert_eq!(codes, ["interview.time", "interview.mode"]);
    }

    fn any_step() -> impl Strategy<Value = Step> {
        proptest::sample::select(Step::ALL.to_vec())
    }

    fn any_side() -> impl Strategy<Value = Side> {
        prop_oneof![Just(Side::Seeker), Just(Side::Recruiter)]
    }

    proptest! {
        /// Whatever anyone tries, in any order: a final stage is never left, the pipeline
        /// never moves backwards except out to rejected/withdrawn, a seeker can only withdraw,
        /// a refused step changes nothing, and every accepted step lands on its target.
        #[test]
        fn any_sequence_of_attempts_keeps_the_pipeline_lawful(tries in proptest::collection::vec((any_step(), any_side()), 0..40)) {
            let mut stage = Stage::New;
            for (step, side) in tries {
                let before = stage;
                match before.after(step, side) {
                    Ok(next) => {
                        prop_assert!(!before.is_final());
                        prop_assert_eq!(next, step.target());
                        prop_assert_eq!(side, step.side());
                        if side == Side::Seeker {
                            prop_assert_eq!(next, Stage::Withdrawn);
                        }
                        if !next.is_final() {
                            prop_assert!(next >= before, "{:?} went back to {:?}", before, next);
                        }
                        if next == Stage::Hired {
                            prop_assert_eq!(before, Stage::Offered);
                        }
                        stage = next;
                    }
                    Err(e) => {
                        prop_assert!(!e.message().is_empty());
                        let explained = match e {
                            StepRefused::WrongSide { .. } => side != step.side(),
                            StepRefused::Final(s) => s == before && before.is_final(),
                            StepRefused::NotFrom { from, .. } => from == before,
                        };
                        prop_assert!(explained, "{:?} for {:?} by {:?} from {:?}", e, step, side, before);
                    }
                }
            }
        }

        /// Rejecting and withdrawing are open from every open stage.
        #[test]
        fn exits_are_always_open(stage in proptest::sample::select(Stage::ALL.to_vec())) {
            prop_assert_eq!(stage.after(Step::Reject, Side::Recruiter).is_ok(), !stage.is_final());
            prop_assert_eq!(stage.after(Step::Withdraw, Side::Seeker).is_ok(), !stage.is_final());
        }
    }
}
