//! Staff (P10): password plus TOTP, lockout, a back-office session of its own, roles.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use rencai_app::auth::sessions::{self, SessionKind};
use rencai_app::auth::staff;
use rencai_app::{AppState, FixedClock};
use rencai_crypto::totp;
use rencai_domain::staff::StaffRole;
use rencai_testkit::{TestApp, TestOptions};

async fn app_at() -> (TestApp, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()));
    let app = TestApp::spawn_with(TestOptions {
        clock: clock.clone(),
        tweak: Box::new(|s| {
            s.auth.argon2_memory_kib = 64;
            s.auth.argon2_iterations = 1;
        }),
        ..Default::default()
    })
    .await;
    (app, clock)
}

fn code(secret: &rencai_crypto::totp::TotpSecret, s: &AppState) -> String {
    totp::code_at(secret, s.now().timestamp() as u64)
}

async fn login(
    s: &AppState,
    pw: &str,
    code: &str,
) -> Result<rencai_app::auth::sessions::NewSessionToken, rencai_app::AppError> {
    staff::login(s, "13011112222", pw, code, "192.0.2.1".parse().unwrap(), "test").await
}

#[tokio::test]
async fn staff_log_in_with_password_and_a_fresh_totp_code_only() {
    let (app, clock) = app_at().await;
    let s = &app.state;
    let admin = staff::create(s, None, "13011112222", "houtai2026", StaffRole::Administrator).await.unwrap();
    assert!(staff::has_administrator(s).await.unwrap());
    let wrong = if code(&admin.totp, s) == "000000" { "111111" } else { "000000" };
    assert_eq!(login(s, "houtai2026", wrong).await.unwrap_err().code(), "staff.invalid_credentials");
    assert_eq!(login(s, "wrongpass9", &code(&admin.totp, s)).await.unwrap_err().code(), "staff.invalid_credentials");
    let session = login(s, "houtai2026", &code(&admin.totp, s)).await.expect("password and code");
    assert_eq!(
        login(s, "houtai2026", &code(&admin.totp, s)).await.unwrap_err().code(),
        "staff.invalid_credentials",
        "a code works once"
    );
    let user = staff::authenticate(s, &session.token).await.unwrap().unwrap();
    assert_eq!(user.role, StaffRole::Administrator);
    assert!(
        sessions::authenticate(s, &session.token, SessionKind::Web).await.unwrap().is_none(),
        "not a public session"
    );

    clock.advance(Duration::minutes(14));
    assert!(staff::authenticate(s, &session.token).await.unwrap().is_some());
    clock.advance(Duration::minutes(16));
    assert!(
        staff::authenticate(s, &session.token).await.unwrap().is_none(),
        "15 minutes idle ends a back-office session"
    );
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    let (app, clock) = app_at().await;
    let s = &app.state;
    let admin = staff::create(s, None, "13011112222", "houtai2026", StaffRole::Administrator).await.unwrap();
    for _ in 0..5 {
        assert_eq!(login(s, "wrongpass9", "123456").await.unwrap_err().code(), "staff.invalid_credentials");
    }
    match login(s, "houtai2026", &code(&admin.totp, s)).await.unwrap_err() {
        rencai_app::AppError::RateLimited { code, retry_after_secs, .. } => {
            assert_eq!(code, "staff.locked");
            assert!(retry_after_secs > 14 * 60 && retry_after_secs <= 15 * 60, "{retry_after_secs}");
        }
        other => panic!("{other:?}"),
    }
    clock.advance(Duration::minutes(15) + Duration::seconds(1));
    login(s, "houtai2026", &code(&admin.totp, s)).await.expect("unlocked after 15 minutes");
    let audit = rencai_store::audit::verify(s.db().conn(), s.keys().get().audit_key(), |_| {}).await.unwrap();
    assert!(audit.problem.is_none());
    assert!(audit.rows_checked >= 7, "failures and the login are audited: {}", audit.rows_checked);
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn csrf_of(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

async fn admin_login(
    app: &TestApp,
    phone: &str,
    pw: &str,
    secret: &rencai_crypto::totp::TotpSecret,
) -> reqwest::Client {
    let c = browser();
    let csrf = csrf_of(&c.get(app.url("/admin/login")).send().await.unwrap().text().await.unwrap());
    let r = c
        .post(app.url("/admin/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("phone", phone),
            ("password", pw),
            ("totp", code(secret, &app.state).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert!(r.headers()["set-cookie"].to_str().unwrap().starts_with("rc_admin="), "a cookie of its own");
    c
}

#[tokio::test]
async fn administrators_create_staff_and_other_roles_may_not() {
    let (app, clock) = app_at().await;
    let admin = staff::create(&app.state, None, "13011112222", "houtai2026", StaffRole::Administrator).await.unwrap();
    let c = admin_login(&app, "13011112222", "houtai2026", &admin.totp).await;
    let home = c.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("管理员") && home.contains("新建工作人员"));
    assert_eq!(browser().get(app.url("/admin")).send().await.unwrap().status(), 303, "no session, no back office");

    let r = c
        .post(app.url("/admin/staff"))
        .form(&[
            ("csrf", csrf_of(&home).as_str()),
            ("phone", "13022223333"),
            ("password", "shenhe2026"),
            ("role", "moderator"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    let secret = page.split("<code class=\"totp-secret\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let secret = rencai_crypto::totp::TotpSecret::from_base32(&secret).unwrap();

    clock.advance(Duration::seconds(31));
    let m = admin_login(&app, "13022223333", "shenhe2026", &secret).await;
    let home = m.get(app.url("/admin")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("审核员") && !home.contains("新建工作人员"));
    let r = m
        .post(app.url("/admin/staff"))
        .form(&[
            ("csrf", csrf_of(&home).as_str()),
            ("phone", "13033334444"),
            ("password", "shenhe2026"),
            ("role", "administrator"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "a moderator cannot create staff");
    assert!(
        rencai_store::accounts::find_by_phone(
            app.state.db().conn(),
            &app.state.keys().get(),
            &rencai_domain::account::Phone::parse("13033334444").unwrap()
        )
        .await
        .unwrap()
        .is_none()
    );
}

#[tokio::test]
async fn the_public_site_and_the_back_office_do_not_share_sessions() {
    let (app, _clock) = app_at().await;
    let admin = staff::create(&app.state, None, "13011112222", "houtai2026", StaffRole::Administrator).await.unwrap();
    let c = admin_login(&app, "13011112222", "houtai2026", &admin.totp).await;
    assert_eq!(
        c.get(app.url("/me")).send().await.unwrap().status(),
        303,
        "a back-office session is not a site session"
    );
    let err = rencai_app::auth::register::login(
        &app.state,
        "13011112222",
        rencai_app::auth::register::Proof::Password("houtai2026".into()),
        rencai_app::auth::register::Portal::Seeker,
        "192.0.2.1".parse().unwrap(),
        "t",
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "auth.wrong_portal", "staff cannot sign in through the public portals");
}
