//! The customer-service desk (P10, P21) and correcting one's own details (P12).

use rencai_app::support;
use rencai_domain::account::{AgeGroup, MinorBasis, Phone, Role};
use rencai_domain::staff::StaffRole;
use rencai_store::accounts::{self, NewAccount};
use rencai_testkit::market::{phone, signed_in, staff_member};
use rencai_testkit::{TestApp, error_code};

async fn audit_actions(app: &TestApp) -> Vec<(String, Option<String>)> {
    use rencai_store::ConnectionTrait;
    let conn = app.state.db().conn();
    let rows = conn
        .query_all_raw(rencai_store::raw(
            conn.get_database_backend(),
            "SELECT action, reason FROM audit_log ORDER BY seq",
            [],
        ))
        .await
        .unwrap();
    rows.iter().map(|r| (r.try_get("", "action").unwrap(), r.try_get("", "reason").unwrap())).collect()
}

#[tokio::test]
async fn staff_look_accounts_up_with_a_reason_and_a_minor_needs_the_extra_permission() {
    let app = TestApp::spawn_cheap(|_| {}).await;
    let state = &app.state;
    let adult = signed_in(&app, Role::Seeker, &phone(1)).await;
    let minor_phone = phone(2);
    accounts::create(
        state.db().conn(),
        &state.keys().get(),
        &NewAccount {
            station_id: state.station().id,
            role: Role::Seeker,
            name: Some("小明".into()),
            phone: Phone::parse(&minor_phone).unwrap(),
            email: None,
            birth_date: None,
            age_group: AgeGroup::Minor,
            minor_basis: Some(MinorBasis::GuardianConsent),
        },
        state.now(),
    )
    .await
    .unwrap();
    let (_, moderator) = staff_member(&app, StaffRole::Moderator, &phone(900)).await;
    let (cs_visitor, cs) = staff_member(&app, StaffRole::CustomerService, &phone(901)).await;
    let (_, dpo) = staff_member(&app, StaffRole::DataProtectionOfficer, &phone(902)).await;

    // No permission, no reason, a staff number: refused, and refusals are on record.
    let e = support::lookup(state, &moderator, &phone(1), "工单 1").await.unwrap_err();
    assert_eq!(error_code(e), "staff.permission_denied");
    let e = support::lookup(state, &cs, &phone(1), "").await.unwrap_err();
    assert_eq!(error_code(e), "support.reason");
    let e = support::lookup(state, &cs, &phone(900), "工单 2026-1").await.unwrap_err();
    assert_eq!(error_code(e), "account.not_found", "staff accounts are not on the desk");

    // Customer service reads an adult's details, with the reason on record.
    let facts = support::lookup(state, &cs, &phone(1), "工单 2026-1129-01").await.unwrap();
    assert_eq!(facts.phone, phone(1));
    assert_eq!(facts.public_id, adult.account().public_id);
    assert!(!facts.minor);
    // A minor: customer service lacks ReadMinorData; the data-protection officer has it.
    let e = support::lookup(state, &cs, &minor_phone, "工单 2026-1129-02").await.unwrap_err();
    assert_eq!(error_code(e), "staff.permission_denied");
    let minor = support::lookup(state, &dpo, &minor_phone, "依法调取 渝公网 2026-77").await.unwrap();
    assert!(minor.minor);
    assert_eq!(minor.name.as_deref(), Some("小明"));
    let log = audit_actions(&app).await;
    assert!(log.contains(&("staff.read_personal".into(), Some("工单 2026-1129-01".into()))));
    assert!(log.contains(&("staff.read_minor".into(), Some("依法调取 渝公网 2026-77".into()))));
    assert!(log.iter().filter(|(a, _)| a == "staff.permission_refused").count() >= 2);

    // The page posts the number (never in the address) and shows the result.
    let r = cs_visitor.post("/admin/accounts", &[("phone", &phone(1)), ("reason", "工单 2026-1129-03")]).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains(&phone(1)));
}

#[tokio::test]
async fn a_person_corrects_name_and_email_and_bad_input_changes_nothing() {
    let app = TestApp::spawn_cheap(|_| {}).await;
    let v = signed_in(&app, Role::Seeker, &phone(1)).await;
    let r = v.post("/me/profile", &[("name", "王小丽"), ("email", "not-an-email")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("邮箱格式不正确"));
    let r = v.post("/me/profile", &[("name", "王小丽"), ("email", "wxl@example.com")]).await;
    assert_eq!(r.status(), 303);
    let (_, page) = v.page("/me/profile").await;
    assert!(page.contains("王小丽") && page.contains("wxl@example.com"));
    let stored = accounts::find_by_id(app.state.db().conn(), v.account().id).await.unwrap().unwrap();
    assert_eq!(stored.email.unwrap().open(&app.state.keys().get(), accounts::EMAIL).unwrap(), "wxl@example.com");
    // Emptied fields are removed.
    assert_eq!(v.post("/me/profile", &[("name", ""), ("email", "")]).await.status(), 303);
    let stored = accounts::find_by_id(app.state.db().conn(), v.account().id).await.unwrap().unwrap();
    assert!(stored.name.is_none() && stored.email.is_none());
}
