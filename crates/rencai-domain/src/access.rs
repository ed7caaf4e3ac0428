//! The one place that decides who sees a resume, and how much of it (P5, P6), and who sees a
//! job and its contact person. Every surface — page, API, search hit, recommendation, export,
//! chat, notification — asks here and nowhere else, so a promise kept here is kept everywhere.
//!
//! The functions take plain facts the store has already gathered, do no I/O and answer for
//! every input: there is no case that falls through to "allowed".

use crate::resume::ResumeVisibility;

/// A company row: an employer or an HR agency.
pub type OrgId = i64;

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    Anonymous,
    Seeker {
        account_id: i64,
    },
    /// A recruiter (primary or sub-account) of an employer.
    Recruiter {
        account_id: i64,
        company: OrgId,
    },
    /// A recruiter of an HR agency, with the verified client companies it recruits for.
    Agency {
        account_id: i64,
        agency: OrgId,
        clients: Vec<OrgId>,
    },
    /// Back-office staff; `may_read_personal` from their role's permission. Surfaces audit every staff read.
    Staff {
        account_id: i64,
        may_read_personal: bool,
    },
}

impl Viewer {
    /// The organisation a recruiting viewer acts for; `None` for everyone else.
    fn own_org(&self) -> Option<OrgId> {
        match self {
            Viewer::Recruiter { company, .. } => Some(*company),
            Viewer::Agency { agency, .. } => Some(*agency),
            Viewer::Anonymous | Viewer::Seeker { .. } | Viewer::Staff { .. } => None,
        }
    }
}

/// What the store knows about one resume, as far as access depends on it.
#[derive(Debug, Clone, Copy)]
pub struct ResumeFacts<'a> {
    /// The seeker's account id.
    pub owner: i64,
    pub visibility: ResumeVisibility,
    /// The explicit consent to be shown to companies (P5). Without it a public resume behaves as applied-only.
    pub shown_to_companies: bool,
    /// Organisations (employers or agencies) the seeker blocked.
    pub blocked: &'a [OrgId],
    /// Organisations that received an application from this seeker. For a job an agency posts
    /// for a client, both the agency and the client are listed (the store does that).
    pub applied_to: &'a [OrgId],
    /// Organisations the seeker started a chat with or agreed to exchange contact details with
    /// (a recruiter's message alone does not count).
    pub contact_shared_with: &'a [OrgId],
    /// Organisations that unlocked (下载) the resume with quota. An unlock serves every recruiter
    /// of that organisation.
    pub unlocked_by: &'a [OrgId],
}

/// How much of a resume a viewer gets. Ordered from least to most, so "never more than" can be
/// written as `<=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResumeAccess {
    /// The resume does not exist for this viewer: not in search, lists, recommendations or by
    /// id. A surface should answer "not found", not "forbidden", so its existence does not leak.
    Denied,
    /// The body with the contact details masked and no attachment (P6).
    Masked,
    Full,
}

/// A part of a resume that a surface is about to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResumeField {
    /// Everything that identifies nobody: intention, education, work, skills, self-introduction.
    Body,
    Name,
    Phone,
    Email,
    /// Uploaded resume files: they hold contact details we cannot mask.
    Attachment,
}

/// How a surface shows one [`ResumeField`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldShown {
    Hidden,
    /// Through [`crate::mask`].
    Masked,
    Clear,
}

impl ResumeAccess {
    pub fn shows(self, f: ResumeField) -> FieldShown {
        match (self, f) {
            (ResumeAccess::Denied, _) => FieldShown::Hidden,
            (ResumeAccess::Full, _) => FieldShown::Clear,
            (ResumeAccess::Masked, ResumeField::Body) => FieldShown::Clear,
            // P6: surname + 先生/女士, masked phone and e-mail.
            (ResumeAccess::Masked, ResumeField::Name | ResumeField::Phone | ResumeField::Email) => FieldShown::Masked,
            // An attachment is a file the seeker wrote; its contact details cannot be masked.
            (ResumeAccess::Masked, ResumeField::Attachment) => FieldShown::Hidden,
        }
    }
}

/// How much of the resume `r` the viewer may see.
pub fn resume_access(viewer: &Viewer, r: &ResumeFacts) -> ResumeAccess {
    match viewer {
        // A seeker always sees their own resume (P15 needs it whole); the resume center is for
        // recruiters (M6), so other seekers and visitors see no resume at all.
        Viewer::Seeker { account_id } if *account_id == r.owner => ResumeAccess::Full,
        Viewer::Anonymous | Viewer::Seeker { .. } => ResumeAccess::Denied,
        // P9/P10: staff read personal data only with the permission; the surface audits the read.
        Viewer::Staff { may_read_personal: true, .. } => ResumeAccess::Full,
        Viewer::Staff { may_read_personal: false, .. } => ResumeAccess::Denied,
        // P5: a block cuts off the blocked organisation's recruiters.
        Viewer::Recruiter { company, .. } => {
            if r.blocked.contains(company) {
                ResumeAccess::Denied
            } else {
                recruiting_access(*company, r)
            }
        }
        // P5: a blocked company must not reach the resume through an agency, so blocking any
        // client cuts off the agency as a whole, as does blocking the agency itself.
        Viewer::Agency { agency, clients, .. } => {
            if r.blocked.contains(agency) || clients.iter().any(|c| r.blocked.contains(c)) {
                ResumeAccess::Denied
            } else {
                recruiting_access(*agency, r)
            }
        }
    }
}

/// Access for a recruiter or agency acting for `own`, once blocks are ruled out. Only `own`
/// counts: an agency gains nothing from its client's unlock, nor a client from its agency's
/// chat (P6: "that company only").
fn recruiting_access(own: OrgId, r: &ResumeFacts) -> ResumeAccess {
    // P5: a hidden resume never reaches a recruiter, by any route.
    if r.visibility == ResumeVisibility::Hidden {
        return ResumeAccess::Denied;
    }
    // P6: the seeker's own step towards this organisation — applying, starting a chat, agreeing
    // to exchange contacts — shows it everything. This holds for applied-only resumes too: it is
    // what "applied-only" means, and a chat the seeker started is a step of the same kind.
    if r.applied_to.contains(&own) || r.contact_shared_with.contains(&own) {
        return ResumeAccess::Full;
    }
    // P5: only a public resume whose owner consented to be shown to companies reaches anyone
    // else; without the consent a public resume is treated as applied-only.
    if r.visibility != ResumeVisibility::Public || !r.shown_to_companies {
        return ResumeAccess::Denied;
    }
    // P6: an unlock with quota serves every recruiter of the unlocking organisation. It can only
    // unmask a resume the organisation could already find.
    if r.unlocked_by.contains(&own) { ResumeAccess::Full } else { ResumeAccess::Masked }
}

/// What access to a job depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobFacts {
    /// The company the job is for.
    pub employer: OrgId,
    /// The agency that posted it for `employer`, if one did.
    pub agency: Option<OrgId>,
    /// The recruiter account that owns the job.
    pub owner_account: i64,
    /// Published and not taken down: what visitors may see.
    pub public: bool,
}

impl JobFacts {
    /// The organisation that posted the job and so owns it (P17).
    pub fn posting_org(&self) -> OrgId {
        self.agency.unwrap_or(self.employer)
    }

    /// Whether `org` is the employer or the posting agency: both are named on the job page and
    /// both recruit for it.
    fn involves(&self, org: OrgId) -> bool {
        self.employer == org || self.agency == Some(org)
    }
}

/// Whether the viewer sees the job's contact person and phone (P6, last sentence): the
/// recruiters of the employer and of the posting agency, staff allowed to read personal data,
/// and seekers who applied to it. `viewer_applied` is only believed for a seeker.
pub fn job_contact_visible(viewer: &Viewer, job: &JobFacts, viewer_applied: bool) -> bool {
    match viewer {
        Viewer::Recruiter { company: org, .. } | Viewer::Agency { agency: org, .. } => job.involves(*org),
        Viewer::Staff { may_read_personal, .. } => *may_read_personal,
        Viewer::Seeker { .. } => viewer_applied,
        Viewer::Anonymous => false,
    }
}

/// Whether the viewer sees the job at all. Public jobs are for everyone; a draft, pending,
/// rejected or closed job only for the recruiters of its employer and posting agency, and for
/// staff, who review jobs (M4). A job holds no personal data beyond its contact, which
/// [`job_contact_visible`] guards, so staff need no special permission here.
pub fn job_visible(viewer: &Viewer, job: &JobFacts) -> bool {
    if job.public {
        return true;
    }
    match viewer {
        Viewer::Staff { .. } => true,
        Viewer::Anonymous | Viewer::Seeker { .. } | Viewer::Recruiter { .. } | Viewer::Agency { .. } => {
            viewer.own_org().is_some_and(|org| job.involves(org))
        }
    }
}

/// A recruiter account's place in its organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Membership {
    pub account_id: i64,
    pub org: OrgId,
    /// The organisation's primary account (主账号).
    pub primary: bool,
}

/// Whether the member may edit, close, refresh or reassign the job (P17): the primary account
/// manages every job its organisation posted, a sub-account only the jobs it owns. A client
/// employer does not manage a job its agency posted for it: the agency answers for that posting.
pub fn may_manage_job(m: &Membership, job: &JobFacts) -> bool {
    m.org == job.posting_org() && (m.primary || m.account_id == job.owner_account)
}

#[cfg(test)]
mod tests {
    use super::ResumeAccess::{Denied, Full, Masked};
    use super::*;
    use crate::resume::ResumeVisibility::{AppliedOnly, Hidden, Public};

    const SEEKER: i64 = 1;
    /// The employer, a client of `AGENCY`.
    const COMPANY: OrgId = 10;
    const AGENCY: OrgId = 20;
    /// Another employer, with no ties to the seeker.
    const OTHER: OrgId = 30;

    fn recruiter(account_id: i64) -> Viewer {
        Viewer::Recruiter { account_id, company: COMPANY }
    }

    fn agency() -> Viewer {
        Viewer::Agency { account_id: 200, agency: AGENCY, clients: vec![COMPANY] }
    }

    fn other() -> Viewer {
        Viewer::Recruiter { account_id: 300, company: OTHER }
    }

    /// Lists owned by a test, lent out as facts.
    #[derive(Default)]
    struct World {
        blocked: Vec<OrgId>,
        applied_to: Vec<OrgId>,
        contact_shared_with: Vec<OrgId>,
        unlocked_by: Vec<OrgId>,
    }

    impl World {
        fn facts(&self, visibility: ResumeVisibility, shown_to_companies: bool) -> ResumeFacts<'_> {
            ResumeFacts {
                owner: SEEKER,
                visibility,
                shown_to_companies,
                blocked: &self.blocked,
                applied_to: &self.applied_to,
                contact_shared_with: &self.contact_shared_with,
                unlocked_by: &self.unlocked_by,
            }
        }

        /// A public resume with consent: the ordinary case of the contact table.
        fn public(&self) -> ResumeFacts<'_> {
            self.facts(Public, true)
        }
    }

    // The rows of PRODUCT.md's table "Who sees a resume's contact details", in order.

    #[test]
    fn row_nothing_yet_is_masked() {
        let w = World::default();
        assert_eq!(resume_access(&recruiter(100), &w.public()), Masked);
        assert_eq!(resume_access(&agency(), &w.public()), Masked);
    }

    #[test]
    fn row_applied_to_the_companys_own_job() {
        let w = World { applied_to: vec![COMPANY], ..Default::default() };
        assert_eq!(resume_access(&recruiter(100), &w.public()), Full);
        assert_eq!(resume_access(&recruiter(101), &w.public()), Full, "every recruiter of the company");
        assert_eq!(resume_access(&agency(), &w.public()), Masked, "the agency had no part in it");
        assert_eq!(resume_access(&other(), &w.public()), Masked);
    }

    #[test]
    fn row_applied_to_a_job_the_agency_posts_for_the_company() {
        let w = World { applied_to: vec![COMPANY, AGENCY], ..Default::default() };
        assert_eq!(resume_access(&recruiter(100), &w.public()), Full);
        assert_eq!(resume_access(&agency(), &w.public()), Full);
        assert_eq!(resume_access(&other(), &w.public()), Masked);
    }

    #[test]
    fn row_chat_or_contact_exchange_unmasks_that_organisation_only() {
        let with_company = World { contact_shared_with: vec![COMPANY], ..Default::default() };
        assert_eq!(resume_access(&recruiter(100), &with_company.public()), Full);
        assert_eq!(resume_access(&recruiter(101), &with_company.public()), Full);
        assert_eq!(resume_access(&agency(), &with_company.public()), Masked, "not the company's agency");
        assert_eq!(resume_access(&other(), &with_company.public()), Masked);

        let with_agency = World { contact_shared_with: vec![AGENCY], ..Default::default() };
        assert_eq!(resume_access(&agency(), &with_agency.public()), Full);
        assert_eq!(resume_access(&recruiter(100), &with_agency.public()), Masked, "not the agency's client");
    }

    #[test]
    fn row_recruiter_messaged_first_and_seeker_replied_stays_masked() {
        // A reply is neither starting a chat nor agreeing to exchange contacts, so the store
        // lists nobody in `contact_shared_with`; nothing else about the chat reaches this policy.
        let w = World::default();
        assert_eq!(resume_access(&recruiter(100), &w.public()), Masked);
        assert_eq!(resume_access(&agency(), &w.public()), Masked);
    }

    #[test]
    fn row_unlock_serves_every_recruiter_of_the_company_only() {
        let w = World { unlocked_by: vec![COMPANY], ..Default::default() };
        for account in [100, 101, 102] {
            assert_eq!(resume_access(&recruiter(account), &w.public()), Full, "{account}");
        }
        assert_eq!(resume_access(&agency(), &w.public()), Masked, "a client's unlock is not the agency's");
        assert_eq!(resume_access(&other(), &w.public()), Masked);

        let by_agency = World { unlocked_by: vec![AGENCY], ..Default::default() };
        assert_eq!(resume_access(&agency(), &by_agency.public()), Full);
        assert_eq!(resume_access(&recruiter(100), &by_agency.public()), Masked, "the agency's unlock is its own");
    }

    #[test]
    fn row_hidden_resume_is_not_visible_at_all() {
        let w = World {
            applied_to: vec![COMPANY, AGENCY],
            contact_shared_with: vec![COMPANY, AGENCY],
            unlocked_by: vec![COMPANY, AGENCY],
            ..Default::default()
        };
        for consent in [true, false] {
            let r = w.facts(Hidden, consent);
            assert_eq!(resume_access(&recruiter(100), &r), Denied);
            assert_eq!(resume_access(&agency(), &r), Denied);
            assert_eq!(resume_access(&other(), &r), Denied);
        }
    }

    #[test]
    fn row_blocked_company_is_cut_off_with_its_agency() {
        let w = World {
            blocked: vec![COMPANY],
            applied_to: vec![COMPANY, AGENCY],
            contact_shared_with: vec![COMPANY, AGENCY],
            unlocked_by: vec![COMPANY, AGENCY],
        };
        for visibility in [Public, AppliedOnly] {
            let r = w.facts(visibility, true);
            assert_eq!(resume_access(&recruiter(100), &r), Denied);
            assert_eq!(resume_access(&recruiter(101), &r), Denied);
            assert_eq!(resume_access(&agency(), &r), Denied, "the agency as a whole, for every client");
        }
        assert_eq!(resume_access(&other(), &w.public()), Masked, "others are not affected");
        let agency_of_others = Viewer::Agency { account_id: 201, agency: 21, clients: vec![OTHER] };
        assert_eq!(resume_access(&agency_of_others, &w.public()), Masked);
    }

    #[test]
    fn row_blocked_agency_is_cut_off_but_not_its_clients() {
        let w = World { blocked: vec![AGENCY], applied_to: vec![COMPANY, AGENCY], ..Default::default() };
        assert_eq!(resume_access(&agency(), &w.public()), Denied);
        assert_eq!(resume_access(&recruiter(100), &w.public()), Full);
    }

    #[test]
    fn row_applied_only_is_for_organisations_applied_to() {
        let w = World { applied_to: vec![COMPANY], unlocked_by: vec![OTHER], ..Default::default() };
        for consent in [true, false] {
            let r = w.facts(AppliedOnly, consent);
            assert_eq!(resume_access(&recruiter(100), &r), Full);
            assert_eq!(resume_access(&agency(), &r), Denied, "the client's application is not the agency's");
            assert_eq!(resume_access(&other(), &r), Denied, "an unlock cannot reach what the company cannot see");
        }

        let via_agency = World { applied_to: vec![COMPANY, AGENCY], ..Default::default() };
        assert_eq!(resume_access(&agency(), &via_agency.facts(AppliedOnly, false)), Full);
        assert_eq!(resume_access(&recruiter(100), &via_agency.facts(AppliedOnly, false)), Full);

        let chatted = World { contact_shared_with: vec![OTHER], ..Default::default() };
        assert_eq!(resume_access(&other(), &chatted.facts(AppliedOnly, true)), Full);
        assert_eq!(resume_access(&recruiter(100), &chatted.facts(AppliedOnly, true)), Denied);
    }

    #[test]
    fn public_without_consent_behaves_as_applied_only() {
        let w = World { applied_to: vec![COMPANY], unlocked_by: vec![OTHER], ..Default::default() };
        let no_consent = w.facts(Public, false);
        let applied_only = w.facts(AppliedOnly, true);
        for viewer in [recruiter(100), agency(), other()] {
            assert_eq!(resume_access(&viewer, &no_consent), resume_access(&viewer, &applied_only), "{viewer:?}");
        }
        assert_eq!(resume_access(&other(), &no_consent), Denied);
        assert_eq!(resume_access(&other(), &w.public()), Full, "with consent the unlock counts");
    }

    #[test]
    fn the_owner_sees_everything_other_people_nothing() {
        let w = World { blocked: vec![COMPANY], ..Default::default() };
        for visibility in ResumeVisibility::ALL {
            for consent in [true, false] {
                let r = w.facts(visibility, consent);
                assert_eq!(resume_access(&Viewer::Seeker { account_id: SEEKER }, &r), Full);
                assert_eq!(resume_access(&Viewer::Seeker { account_id: 2 }, &r), Denied);
                assert_eq!(resume_access(&Viewer::Anonymous, &r), Denied);
            }
        }
    }

    #[test]
    fn staff_need_the_permission() {
        let w = World { blocked: vec![COMPANY], ..Default::default() };
        for visibility in ResumeVisibility::ALL {
            let r = w.facts(visibility, false);
            assert_eq!(resume_access(&Viewer::Staff { account_id: 9, may_read_personal: true }, &r), Full);
            assert_eq!(resume_access(&Viewer::Staff { account_id: 9, may_read_personal: false }, &r), Denied);
        }
    }

    #[test]
    fn a_recruiter_account_id_equal_to_the_owner_is_still_a_recruiter() {
        let w = World::default();
        let r = w.facts(Hidden, true);
        assert_eq!(resume_access(&Viewer::Recruiter { account_id: SEEKER, company: COMPANY }, &r), Denied);
    }

    #[test]
    fn fields_by_access() {
        use super::FieldShown::{Clear, Hidden as H};
        let fields =
            [ResumeField::Body, ResumeField::Name, ResumeField::Phone, ResumeField::Email, ResumeField::Attachment];
        let expect = [
            (Denied, [H, H, H, H, H]),
            (Masked, [Clear, FieldShown::Masked, FieldShown::Masked, FieldShown::Masked, H]),
            (Full, [Clear, Clear, Clear, Clear, Clear]),
        ];
        for (access, shown) in expect {
            for (field, want) in fields.into_iter().zip(shown) {
                assert_eq!(access.shows(field), want, "{access:?} {field:?}");
            }
        }
    }

    #[test]
    fn access_is_ordered_least_to_most() {
        assert!(Denied < Masked && Masked < Full);
    }

    fn job(agency: Option<OrgId>, public: bool) -> JobFacts {
        JobFacts { employer: COMPANY, agency, owner_account: 100, public }
    }

    #[test]
    fn job_contact_is_for_its_recruiters_permitted_staff_and_applicants() {
        let direct = job(None, true);
        let via_agency = job(Some(AGENCY), true);

        assert!(job_contact_visible(&recruiter(101), &direct, false));
        assert!(job_contact_visible(&recruiter(101), &via_agency, false), "the client is named on the job");
        assert!(!job_contact_visible(&agency(), &direct, false), "a client's own job is not the agency's");
        assert!(job_contact_visible(&agency(), &via_agency, false));
        assert!(!job_contact_visible(&other(), &direct, false));
        assert!(!job_contact_visible(&other(), &direct, true), "only a seeker's application counts");

        assert!(job_contact_visible(&Viewer::Seeker { account_id: SEEKER }, &direct, true));
        assert!(!job_contact_visible(&Viewer::Seeker { account_id: SEEKER }, &direct, false));
        assert!(!job_contact_visible(&Viewer::Anonymous, &direct, true));
        assert!(!job_contact_visible(&Viewer::Anonymous, &direct, false));

        assert!(job_contact_visible(&Viewer::Staff { account_id: 9, may_read_personal: true }, &direct, false));
        assert!(!job_contact_visible(&Viewer::Staff { account_id: 9, may_read_personal: false }, &direct, false));
    }

    #[test]
    fn an_agency_posting_for_itself_sees_its_own_contact() {
        let own = JobFacts { employer: AGENCY, agency: None, owner_account: 200, public: false };
        assert!(job_contact_visible(&agency(), &own, false));
        assert!(job_visible(&agency(), &own));
        assert!(!job_visible(&recruiter(100), &own), "being a client gives no view of the agency's own jobs");
    }

    #[test]
    fn public_jobs_for_everyone_others_for_their_recruiters_and_staff() {
        let everyone = [
            Viewer::Anonymous,
            Viewer::Seeker { account_id: SEEKER },
            recruiter(100),
            agency(),
            other(),
            Viewer::Staff { account_id: 9, may_read_personal: false },
        ];
        for v in &everyone {
            assert!(job_visible(v, &job(None, true)), "{v:?}");
            assert!(job_visible(v, &job(Some(AGENCY), true)), "{v:?}");
        }

        let draft = job(None, false);
        assert!(job_visible(&recruiter(101), &draft));
        assert!(job_visible(&Viewer::Staff { account_id: 9, may_read_personal: false }, &draft));
        assert!(!job_visible(&agency(), &draft), "the agency did not post it");
        assert!(!job_visible(&other(), &draft));
        assert!(!job_visible(&Viewer::Seeker { account_id: SEEKER }, &draft));
        assert!(!job_visible(&Viewer::Anonymous, &draft));

        let agency_draft = job(Some(AGENCY), false);
        assert!(job_visible(&agency(), &agency_draft));
        assert!(job_visible(&recruiter(100), &agency_draft));
        assert!(!job_visible(&other(), &agency_draft));
    }

    #[test]
    fn primary_manages_every_job_of_its_org_sub_accounts_their_own() {
        let direct = job(None, true);
        let primary = Membership { account_id: 101, org: COMPANY, primary: true };
        let owner = Membership { account_id: 100, org: COMPANY, primary: false };
        let colleague = Membership { account_id: 102, org: COMPANY, primary: false };
        assert!(may_manage_job(&primary, &direct));
        assert!(may_manage_job(&owner, &direct));
        assert!(!may_manage_job(&colleague, &direct));

        let foreign_primary = Membership { account_id: 301, org: OTHER, primary: true };
        assert!(!may_manage_job(&foreign_primary, &direct));
        // Account ids are unique, but a membership of another org naming the owner's id must
        // still not pass.
        let foreign_owner = Membership { account_id: 100, org: OTHER, primary: false };
        assert!(!may_manage_job(&foreign_owner, &direct));
    }

    #[test]
    fn the_posting_agency_manages_a_job_it_posts_for_a_client() {
        let posted = JobFacts { employer: COMPANY, agency: Some(AGENCY), owner_account: 200, public: true };
        assert_eq!(posted.posting_org(), AGENCY);
        assert!(may_manage_job(&Membership { account_id: 201, org: AGENCY, primary: true }, &posted));
        assert!(may_manage_job(&Membership { account_id: 200, org: AGENCY, primary: false }, &posted));
        assert!(!may_manage_job(&Membership { account_id: 202, org: AGENCY, primary: false }, &posted));
        assert!(!may_manage_job(&Membership { account_id: 101, org: COMPANY, primary: true }, &posted));
    }
}
