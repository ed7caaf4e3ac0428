//! `resume_access` against a reference model of P5/P6, over small random worlds: four
//! organisations, a few accounts, every visibility, consent and list combination.
//!
//! The model is written differently on purpose. The policy is a decision list that returns at
//! the first rule that applies; the model collects every grant that applies, takes the highest,
//! and lets any veto override it, over sets rather than slices. A mistake would have to be made
//! twice, in two shapes, to pass.

use std::collections::BTreeSet;

use proptest::prelude::*;
use rencai_domain::access::{FieldShown, OrgId, ResumeAccess, ResumeFacts, ResumeField, Viewer, resume_access};
use rencai_domain::resume::ResumeVisibility;

/// A resume's situation, owning what `ResumeFacts` borrows.
#[derive(Debug, Clone)]
struct World {
    owner: i64,
    visibility: ResumeVisibility,
    consent: bool,
    blocked: Vec<OrgId>,
    applied_to: Vec<OrgId>,
    contact_shared_with: Vec<OrgId>,
    unlocked_by: Vec<OrgId>,
}

impl World {
    fn facts(&self) -> ResumeFacts<'_> {
        ResumeFacts {
            owner: self.owner,
            visibility: self.visibility,
            shown_to_companies: self.consent,
            blocked: &self.blocked,
            applied_to: &self.applied_to,
            contact_shared_with: &self.contact_shared_with,
            unlocked_by: &self.unlocked_by,
        }
    }

    fn access(&self, viewer: &Viewer) -> ResumeAccess {
        resume_access(viewer, &self.facts())
    }
}

/// P5/P6 as grants and vetoes.
fn model(viewer: &Viewer, w: &World) -> ResumeAccess {
    use ResumeAccess::{Denied, Full, Masked};

    let set = |orgs: &[OrgId]| orgs.iter().copied().collect::<BTreeSet<OrgId>>();
    let blocked = set(&w.blocked);
    let reached_by_seeker = &set(&w.applied_to) | &set(&w.contact_shared_with);
    let unlocked = set(&w.unlocked_by);

    // The organisation whose own dealings with the seeker count, and every organisation whose
    // block shuts the viewer out.
    let (home, exposed_through): (Option<OrgId>, BTreeSet<OrgId>) = match viewer {
        Viewer::Recruiter { company, .. } => (Some(*company), BTreeSet::from([*company])),
        Viewer::Agency { agency, clients, .. } => {
            (Some(*agency), clients.iter().copied().chain(std::iter::once(*agency)).collect())
        }
        Viewer::Anonymous | Viewer::Seeker { .. } | Viewer::Staff { .. } => (None, BTreeSet::new()),
    };
    let recruiting = home.is_some();
    let open_to_companies = w.visibility == ResumeVisibility::Public && w.consent;

    let vetoes = [recruiting && w.visibility == ResumeVisibility::Hidden, !exposed_through.is_disjoint(&blocked)];
    if vetoes.contains(&true) {
        return Denied;
    }

    let grants = [
        (matches!(viewer, Viewer::Seeker { account_id } if *account_id == w.owner), Full),
        (matches!(viewer, Viewer::Staff { may_read_personal: true, .. }), Full),
        (recruiting && open_to_companies, Masked),
        (home.is_some_and(|h| reached_by_seeker.contains(&h)), Full),
        (open_to_companies && home.is_some_and(|h| unlocked.contains(&h)), Full),
    ];
    grants.into_iter().filter(|(applies, _)| *applies).map(|(_, access)| access).max().unwrap_or(Denied)
}

fn orgs(max_len: usize) -> impl Strategy<Value = Vec<OrgId>> {
    prop::sample::subsequence((1..=4).collect::<Vec<OrgId>>(), 0..=max_len)
}

fn viewer() -> impl Strategy<Value = Viewer> {
    prop_oneof![
        1 => Just(Viewer::Anonymous),
        2 => (1i64..=3).prop_map(|account_id| Viewer::Seeker { account_id }),
        4 => (100i64..=102, 1i64..=4).prop_map(|(account_id, company)| Viewer::Recruiter { account_id, company }),
        4 => (200i64..=202, 1i64..=4, orgs(2))
            .prop_map(|(account_id, agency, clients)| Viewer::Agency { account_id, agency, clients }),
        2 => (300i64..=301, any::<bool>())
            .prop_map(|(account_id, may_read_personal)| Viewer::Staff { account_id, may_read_personal }),
    ]
}

fn world() -> impl Strategy<Value = World> {
    (1i64..=3, prop::sample::select(ResumeVisibility::ALL.to_vec()), any::<bool>(), orgs(4), orgs(4), orgs(4), orgs(4))
        .prop_map(|(owner, visibility, consent, blocked, applied_to, contact_shared_with, unlocked_by)| World {
            owner,
            visibility,
            consent,
            blocked,
            applied_to,
            contact_shared_with,
            unlocked_by,
        })
}

fn is_owner(viewer: &Viewer, w: &World) -> bool {
    matches!(viewer, Viewer::Seeker { account_id } if *account_id == w.owner)
}

fn is_recruiting(viewer: &Viewer) -> bool {
    matches!(viewer, Viewer::Recruiter { .. } | Viewer::Agency { .. })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn agrees_with_the_reference_model(viewer in viewer(), w in world()) {
        prop_assert_eq!(w.access(&viewer), model(&viewer, &w), "viewer {:?} in {:?}", viewer, w);
    }

    #[test]
    fn hidden_is_denied_to_everyone_but_the_owner_and_staff(viewer in viewer(), mut w in world()) {
        w.visibility = ResumeVisibility::Hidden;
        if !is_owner(&viewer, &w) && !matches!(viewer, Viewer::Staff { .. }) {
            prop_assert_eq!(w.access(&viewer), ResumeAccess::Denied, "viewer {:?} in {:?}", viewer, w);
        }
    }

    #[test]
    fn adding_a_block_never_increases_access(viewer in viewer(), w in world(), org in 1i64..=4) {
        let mut more = w.clone();
        more.blocked.push(org);
        prop_assert!(more.access(&viewer) <= w.access(&viewer), "blocking {} for {:?} in {:?}", org, viewer, w);
    }

    #[test]
    fn a_blocked_org_is_denied_through_any_agency(viewer in viewer(), w in world(), org in 1i64..=4) {
        let mut more = w.clone();
        more.blocked.push(org);
        let cut_off = match &viewer {
            Viewer::Recruiter { company, .. } => *company == org,
            Viewer::Agency { agency, clients, .. } => *agency == org || clients.contains(&org),
            _ => false,
        };
        if cut_off {
            prop_assert_eq!(more.access(&viewer), ResumeAccess::Denied, "{:?} in {:?}", viewer, more);
        }
    }

    #[test]
    fn adding_an_unlock_never_decreases_access(viewer in viewer(), w in world(), org in 1i64..=4) {
        let mut more = w.clone();
        more.unlocked_by.push(org);
        prop_assert!(more.access(&viewer) >= w.access(&viewer), "unlock by {} for {:?} in {:?}", org, viewer, w);
    }

    #[test]
    fn the_seekers_own_steps_never_decrease_access(viewer in viewer(), w in world(), org in 1i64..=4) {
        let mut applied = w.clone();
        applied.applied_to.push(org);
        let mut chatted = w.clone();
        chatted.contact_shared_with.push(org);
        prop_assert!(applied.access(&viewer) >= w.access(&viewer), "application to {} in {:?}", org, w);
        prop_assert!(chatted.access(&viewer) >= w.access(&viewer), "chat with {} in {:?}", org, w);
    }

    #[test]
    fn only_the_viewers_own_org_unmasks(viewer in viewer(), w in world()) {
        // Engagement of any other organisation — a client, a competitor — changes nothing.
        if let Viewer::Recruiter { company: own, .. } | Viewer::Agency { agency: own, .. } = &viewer {
            let strip = |orgs: &[OrgId]| orgs.iter().copied().filter(|o| o == own).collect::<Vec<_>>();
            let only_own = World {
                applied_to: strip(&w.applied_to),
                contact_shared_with: strip(&w.contact_shared_with),
                unlocked_by: strip(&w.unlocked_by),
                ..w.clone()
            };
            prop_assert_eq!(only_own.access(&viewer), w.access(&viewer), "{:?} in {:?}", viewer, w);
        }
    }

    #[test]
    fn masking_is_only_for_recruiters_and_hides_contacts(viewer in viewer(), w in world()) {
        let access = w.access(&viewer);
        if access == ResumeAccess::Masked {
            prop_assert!(is_recruiting(&viewer), "{:?} in {:?}", viewer, w);
        }
        let contact_clear = [ResumeField::Name, ResumeField::Phone, ResumeField::Email, ResumeField::Attachment]
            .into_iter()
            .any(|f| access.shows(f) == FieldShown::Clear);
        prop_assert_eq!(contact_clear, access == ResumeAccess::Full);
        prop_assert_eq!(access.shows(ResumeField::Body) == FieldShown::Hidden, access == ResumeAccess::Denied);
    }
}
