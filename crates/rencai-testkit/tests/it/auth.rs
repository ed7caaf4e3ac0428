//! Accounts: SMS codes and their limits, CAPTCHA, budget, registration rules, login without
//! enumeration, sessions, CSRF.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use rencai_app::auth::codes::{self, CaptchaAnswer, SendRequest};
use rencai_app::auth::register::{self as reg, Portal, Proof, RegisterInput};
use rencai_app::{AppError, AppState, FixedClock};
use rencai_domain::account::{MinorBasis, Phone, Role};
use rencai_domain::sms::SmsPurpose;
use rencai_testkit::{TestApp, TestOptions};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// An app with a clock the test moves. 10:00 China time, so no day boundary interferes.
async fn app_at(
    captcha: bool,
    tweak: impl FnOnce(&mut rencai_app::Settings) + Send + 'static,
) -> (TestApp, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()));
    let app = TestApp::spawn_with(TestOptions {
        clock: clock.clone(),
        tweak: Box::new(move |s| {
            s.auth.captcha_after_first_send = captcha;
            s.auth.argon2_memory_kib = 64;
            s.auth.argon2_iterations = 1;
            tweak(s);
        }),
        ..Default::default()
    })
    .await;
    (app, clock)
}

async fn send(state: &AppState, phone: &str, purpose: SmsPurpose, from: &str) -> Result<(), AppError> {
    codes::send(state, SendRequest { phone: Phone::parse(phone).unwrap(), purpose, ip: ip(from), captcha: None })
        .await
        .map(|_| ())
}

/// The newest code the dev outbox holds for a phone (after delivering what is due).
async fn last_code(state: &AppState, phone: &str) -> Option<String> {
    rencai_testkit::drain_deliveries(state).await;
    let p = Phone::parse(phone).unwrap();
    let msgs = rencai_app::providers::sms_outbox::read(state.db(), state.keys(), Some(&p), 1).await.unwrap();
    msgs.first().map(|m| m.params["code"].clone())
}

fn limited(r: Result<(), AppError>) -> (&'static str, u64) {
    match r {
        Err(AppError::RateLimited { code, retry_after_secs, .. }) => (code, retry_after_secs),
        other => panic!("expected a rate limit, got {other:?}"),
    }
}

#[tokio::test]
async fn per_phone_limits_minute_hour_day() {
    let (app, clock) = app_at(false, |_| {}).await;
    let s = &app.state;
    let phone = "13800001111";
    send(s, phone, SmsPurpose::Register, "203.0.113.1").await.unwrap();
    let (code, wait) = limited(send(s, phone, SmsPurpose::Register, "203.0.113.2").await);
    assert_eq!(code, "sms.too_soon");
    assert!((1..=60).contains(&wait), "{wait}");
    for _ in 0..4 {
        clock.advance(Duration::seconds(61));
        send(s, phone, SmsPurpose::Login, "203.0.113.3").await.unwrap();
    }
    clock.advance(Duration::seconds(61));
    let (code, wait) = limited(send(s, phone, SmsPurpose::Register, "203.0.113.4").await);
    assert_eq!(code, "sms.phone_limit", "6th in an hour");
    assert!(wait > 60 && wait <= 3600, "{wait}");
    clock.advance(Duration::hours(1));
    for _ in 0..5 {
        send(s, phone, SmsPurpose::Register, "203.0.113.5").await.unwrap();
        clock.advance(Duration::seconds(61));
    }
    clock.advance(Duration::hours(1));
    let (code, wait) = limited(send(s, phone, SmsPurpose::Register, "203.0.113.6").await);
    assert_eq!(code, "sms.phone_limit", "11th in a day");
    assert!(wait > 3600, "waits until midnight in China: {wait}");
    send(s, "13800002222", SmsPurpose::Register, "203.0.113.6").await.expect("another phone is not affected");
}

#[tokio::test]
async fn per_address_limit_counts_ipv6_by_64() {
    let (app, clock) = app_at(false, |_| {}).await;
    let s = &app.state;
    for i in 0..20 {
        send(s, &format!("1390000{i:04}"), SmsPurpose::Register, &format!("2408:8207:1:2::{i:x}")).await.unwrap();
    }
    let (code, _) = limited(send(s, "13900009999", SmsPurpose::Register, "2408:8207:1:2:ffff::1").await);
    assert_eq!(code, "sms.ip_limit");
    send(s, "13900009999", SmsPurpose::Register, "2408:8207:1:3::1").await.expect("another /64 is not affected");
    clock.advance(Duration::hours(1) + Duration::seconds(1));
    send(s, "13900008888", SmsPurpose::Register, "2408:8207:1:2::1").await.expect("an hour later");
}

#[tokio::test]
async fn the_daily_budget_stops_sending_and_alerts_staff_once() {
    let (app, clock) = app_at(false, |s| s.auth.sms_limits.global_per_day = 3).await;
    let s = &app.state;
    for i in 0..3 {
        send(s, &format!("1370000000{i}"), SmsPurpose::Register, &format!("198.51.100.{i}")).await.unwrap();
    }
    let (code, _) = limited(send(s, "13700000009", SmsPurpose::Register, "198.51.100.9").await);
    assert_eq!(code, "sms.budget_exhausted");
    let _ = send(s, "13700000008", SmsPurpose::Register, "198.51.100.8").await;
    let conn = s.db().conn();
    use rencai_store::ConnectionTrait;
    let n: i64 = conn
        .query_one_raw(rencai_store::raw(
            s.db().backend(),
            "SELECT COUNT(*) AS n FROM delivery_jobs WHERE kind = 'staff.alert'",
            [],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap();
    assert_eq!(n, 1, "one alert per day, however often the budget is hit");
    // The alert reaches staff as a security ticket with its deadline.
    rencai_testkit::drain_deliveries(s).await;
    let alerts: i64 = conn
        .query_one_raw(rencai_store::raw(
            s.db().backend(),
            "SELECT COUNT(*) AS n FROM tickets WHERE kind = 'security' AND title LIKE '%短信发送预算%'",
            [],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap();
    assert_eq!(alerts, 1);
    clock.advance(Duration::days(1));
    send(s, "13700000009", SmsPurpose::Register, "198.51.100.9").await.expect("a new day, a new budget");
}

#[tokio::test]
async fn a_captcha_is_required_after_the_first_send_from_an_address() {
    let (app, clock) = app_at(true, |_| {}).await;
    let s = &app.state;
    send(s, "13600000001", SmsPurpose::Register, "192.0.2.7").await.expect("the first send needs none");
    let err = send(s, "13600000002", SmsPurpose::Register, "192.0.2.7").await.unwrap_err();
    assert_eq!(err.code(), "captcha.required");

    use rand::SeedableRng;
    let drawn = rencai_app::captcha::generate(&mut rand_chacha::ChaCha8Rng::seed_from_u64(7));
    let answer = drawn.answer.clone();
    let (id, svg) = rencai_app::auth::challenge::issue_drawn(s, drawn).await.unwrap();
    assert!(!svg.contains(&answer), "the image does not spell out its answer");
    let req = |a: &str, id: &str| SendRequest {
        phone: Phone::parse("13600000002").unwrap(),
        purpose: SmsPurpose::Register,
        ip: ip("192.0.2.7"),
        captcha: Some(CaptchaAnswer { id: id.into(), answer: a.into() }),
    };
    assert_eq!(codes::send(s, req("WRONG", &id)).await.unwrap_err().code(), "captcha.wrong");
    assert_eq!(
        codes::send(s, req(&answer, &id)).await.unwrap_err().code(),
        "captcha.wrong",
        "a challenge is good for one try"
    );
    let drawn = rencai_app::captcha::generate(&mut rand_chacha::ChaCha8Rng::seed_from_u64(8));
    let answer = drawn.answer.to_lowercase();
    let (id, _) = rencai_app::auth::challenge::issue_drawn(s, drawn).await.unwrap();
    codes::send(s, req(&answer, &id)).await.expect("the right answer, in any case");
    clock.advance(Duration::hours(2));
    send(s, "13600000003", SmsPurpose::Register, "192.0.2.7").await.expect("an hour later the address starts fresh");
}

#[tokio::test]
async fn codes_expire_work_once_and_allow_five_wrong_tries() {
    let (app, clock) = app_at(false, |_| {}).await;
    let s = &app.state;
    let phone = Phone::parse("13500000001").unwrap();
    send(s, "13500000001", SmsPurpose::Register, "192.0.2.1").await.unwrap();
    let code = last_code(s, "13500000001").await.expect("the dev outbox has the code");
    assert_eq!(code.len(), 6);
    assert_eq!(
        codes::verify(s, &phone, SmsPurpose::Login, &code).await.unwrap_err().code(),
        "code.invalid",
        "bound to its purpose"
    );
    codes::verify(s, &phone, SmsPurpose::Register, &code).await.expect("right code");
    assert_eq!(
        codes::verify(s, &phone, SmsPurpose::Register, &code).await.unwrap_err().code(),
        "code.invalid",
        "single use"
    );

    clock.advance(Duration::seconds(61));
    send(s, "13500000001", SmsPurpose::Register, "192.0.2.1").await.unwrap();
    let code = last_code(s, "13500000001").await.unwrap();
    clock.advance(Duration::seconds(601));
    assert_eq!(
        codes::verify(s, &phone, SmsPurpose::Register, &code).await.unwrap_err().code(),
        "code.invalid",
        "expired"
    );

    send(s, "13500000001", SmsPurpose::Register, "192.0.2.1").await.unwrap();
    let code = last_code(s, "13500000001").await.unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        assert_eq!(codes::verify(s, &phone, SmsPurpose::Register, wrong).await.unwrap_err().code(), "code.invalid");
    }
    assert_eq!(
        codes::verify(s, &phone, SmsPurpose::Register, &code).await.unwrap_err().code(),
        "code.invalid",
        "dead after 5 wrong tries"
    );
}

#[tokio::test]
async fn wrong_tries_are_capped_per_phone_per_day() {
    let (app, clock) = app_at(false, |s| s.auth.sms_limits.max_wrong_tries_per_phone_per_day = 8).await;
    let s = &app.state;
    let phone = Phone::parse("13500000002").unwrap();
    for _ in 0..2 {
        send(s, "13500000002", SmsPurpose::Login, "192.0.2.2").await.unwrap();
        for _ in 0..4 {
            let _ = codes::verify(s, &phone, SmsPurpose::Login, "999999").await;
        }
        clock.advance(Duration::seconds(61));
    }
    send(s, "13500000002", SmsPurpose::Register, "192.0.2.2").await.unwrap();
    let code = last_code(s, "13500000002").await.unwrap();
    let err = codes::verify(s, &phone, SmsPurpose::Register, &code).await.unwrap_err();
    assert_eq!(err.code(), "code.locked", "even the right code waits for tomorrow");
}

fn input(phone: &str, code: &str, birth: &str, basis: Option<MinorBasis>) -> RegisterInput {
    RegisterInput {
        phone: phone.into(),
        code: code.into(),
        password: "wanzhou2026".into(),
        birth_date: birth.into(),
        role: Role::Seeker,
        minor_basis: basis,
        accepted: true,
        ip: ip("192.0.2.50"),
        device: "Chrome · Android".into(),
    }
}

async fn code_for(s: &AppState, phone: &str, purpose: SmsPurpose) -> String {
    send(s, phone, purpose, "192.0.2.60").await.unwrap();
    last_code(s, phone).await.unwrap_or_else(|| "000000".into())
}

#[tokio::test]
async fn age_rules_refuse_under_16_and_flag_16_and_17() {
    let (app, clock) = app_at(false, |_| {}).await;
    let s = &app.state;
    // 2026-12-01 in China: born 2010-12-02 is 15.
    let code = code_for(s, "13400000001", SmsPurpose::Register).await;
    let err = reg::register(s, input("13400000001", &code, "2010-12-02", Some(MinorBasis::GuardianConsent)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "age.under_16");
    assert!(err.to_string().contains("未满 16 周岁"));

    let err = reg::register(s, input("13400000001", &code, "2010-12-01", None)).await.unwrap_err();
    match err {
        AppError::Validation { fields, .. } => assert_eq!(fields[0].field, "minor_basis"),
        other => panic!("{other:?}"),
    }
    reg::register(s, input("13400000001", &code, "2010-12-01", Some(MinorBasis::SelfSupport)))
        .await
        .expect("16 with a basis");
    let acc =
        rencai_store::accounts::find_by_phone(s.db().conn(), &s.keys().get(), &Phone::parse("13400000001").unwrap())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(acc.age_group, "minor", "flagged for P21");
    assert!(acc.name.is_none(), "registration asks for no name (P4)");
    let consents = rencai_store::auth::consents(s.db().conn(), acc.id).await.unwrap();
    assert_eq!((consents[0].0.as_str(), consents[0].1.as_str()), ("v1", "v1"), "consent on record (P3)");
    let ip: String = rencai_crypto::Sealed::<String>::from_stored(consents[0].3.clone())
        .open(&s.keys().get(), rencai_store::rotation::CONSENT_IP)
        .unwrap();
    assert_eq!(ip, "192.0.2.50", "and from where");

    clock.advance(Duration::seconds(61));
    let code = code_for(s, "13400000001", SmsPurpose::Register).await;
    let err = reg::register(s, input("13400000001", &code, "1990-01-01", None)).await.unwrap_err();
    assert_eq!(err.code(), "account.phone_taken", "told only after the code proves the number is theirs");
}

#[tokio::test]
async fn login_answers_the_same_for_unknown_numbers_and_wrong_passwords() {
    let (app, clock) = app_at(false, |_| {}).await;
    let s = &app.state;
    let code = code_for(s, "13300000001", SmsPurpose::Register).await;
    reg::register(s, input("13300000001", &code, "1995-05-05", None)).await.unwrap();
    let attempt = |phone: &'static str, pw: &'static str| {
        reg::login(s, phone, Proof::Password(pw.into()), Portal::Seeker, ip("192.0.2.9"), "test")
    };
    let unknown = attempt("13300009999", "wanzhou2026").await.unwrap_err();
    let wrong = attempt("13300000001", "wrongpass1").await.unwrap_err();
    let garbage = attempt("not-a-phone", "wrongpass1").await.unwrap_err();
    assert_eq!(unknown.to_string(), wrong.to_string());
    assert_eq!(unknown.code(), wrong.code());
    assert_eq!(garbage.code(), wrong.code());
    attempt("13300000001", "wanzhou2026").await.expect("right password");
    let err =
        reg::login(s, "13300000001", Proof::Password("wanzhou2026".into()), Portal::Company, ip("192.0.2.9"), "t")
            .await
            .unwrap_err();
    assert_eq!(err.code(), "auth.wrong_portal");

    // Asking for a login code: same answer whether or not the number is registered.
    clock.advance(Duration::seconds(61));
    let a = codes::send(
        s,
        SendRequest {
            phone: Phone::parse("13300000001").unwrap(),
            purpose: SmsPurpose::Login,
            ip: ip("192.0.2.10"),
            captcha: None,
        },
    )
    .await
    .unwrap();
    let b = codes::send(
        s,
        SendRequest {
            phone: Phone::parse("13300009999").unwrap(),
            purpose: SmsPurpose::Login,
            ip: ip("192.0.2.11"),
            captcha: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(a, b);
    assert!(last_code(s, "13300000001").await.is_some(), "the registered number gets its code");
    assert!(last_code(s, "13300009999").await.is_none(), "nothing is sent to an unknown number");
    let code = last_code(s, "13300000001").await.unwrap();
    reg::login(s, "13300000001", Proof::Code(code), Portal::Seeker, ip("192.0.2.9"), "t").await.expect("login by code");
}

#[tokio::test]
async fn sessions_rotate_end_on_logout_and_expire_when_idle_or_old() {
    let (app, clock) = app_at(false, |_| {}).await;
    let s = &app.state;
    let code = code_for(s, "13200000001", SmsPurpose::Register).await;
    let first = reg::register(s, input("13200000001", &code, "1995-05-05", None)).await.unwrap();
    let login =
        || reg::login(s, "13200000001", Proof::Password("wanzhou2026".into()), Portal::Seeker, ip("192.0.2.9"), "t");
    let second = login().await.unwrap();
    assert_ne!(first.token, second.token, "a new session id on every login");
    assert!(first.token.len() >= 43, "256-bit tokens");
    use rencai_app::auth::sessions;
    assert!(
        sessions::authenticate(s, &first.token, rencai_app::auth::sessions::SessionKind::Web).await.unwrap().is_some()
    );
    sessions::end_by_token(s, &first.token).await.unwrap();
    assert!(
        sessions::authenticate(s, &first.token, rencai_app::auth::sessions::SessionKind::Web).await.unwrap().is_none(),
        "logout ends the session"
    );
    assert!(
        sessions::authenticate(s, &second.token, rencai_app::auth::sessions::SessionKind::Web).await.unwrap().is_some(),
        "other sessions live on"
    );

    clock.advance(Duration::minutes(29));
    assert!(
        sessions::authenticate(s, &second.token, rencai_app::auth::sessions::SessionKind::Web).await.unwrap().is_some()
    );
    clock.advance(Duration::minutes(31));
    assert!(
        sessions::authenticate(s, &second.token, rencai_app::auth::sessions::SessionKind::Web).await.unwrap().is_none(),
        "30 minutes idle ends it"
    );

    let third = login().await.unwrap();
    for _ in 0..26 {
        clock.advance(Duration::minutes(29));
        let _ = sessions::authenticate(s, &third.token, rencai_app::auth::sessions::SessionKind::Web).await.unwrap();
    }
    assert!(
        sessions::authenticate(s, &third.token, rencai_app::auth::sessions::SessionKind::Web).await.unwrap().is_none(),
        "12 hours at most, however active"
    );
}

#[tokio::test]
async fn changing_the_phone_needs_the_current_number_or_password_and_a_code_to_the_new_one() {
    use rencai_app::auth::phone::{self, CurrentProof};
    let (app, clock) = app_at(false, |_| {}).await;
    let s = &app.state;
    let code = code_for(s, "13100000001", SmsPurpose::Register).await;
    reg::register(s, input("13100000001", &code, "1995-05-05", None)).await.unwrap();
    let keys = s.keys().get();
    let account = |p: &'static str| async move {
        rencai_store::accounts::find_by_phone(s.db().conn(), &s.keys().get(), &Phone::parse(p).unwrap()).await.unwrap()
    };
    let me = account("13100000001").await.unwrap();
    let _ = keys;

    // With the password: a code to the new number is still required.
    clock.advance(Duration::seconds(61));
    phone::send_codes(s, &me, "13100000002", true, ip("192.0.2.70")).await.unwrap();
    let new_code = last_code(s, "13100000002").await.expect("the free new number gets a code");
    let err =
        phone::change(s, &me, CurrentProof::Password("wrongpass1".into()), "13100000002", &new_code).await.unwrap_err();
    assert_eq!(err.code(), "auth.wrong_password");
    let err =
        phone::change(s, &me, CurrentProof::Password("wanzhou2026".into()), "13100000002", "000000").await.unwrap_err();
    assert_eq!(err.code(), "code.invalid");
    clock.advance(Duration::seconds(61));
    phone::send_codes(s, &me, "13100000002", true, ip("192.0.2.70")).await.unwrap();
    let new_code = last_code(s, "13100000002").await.unwrap();
    phone::change(s, &me, CurrentProof::Password("wanzhou2026".into()), "13100000002", &new_code).await.unwrap();
    assert!(account("13100000001").await.is_none(), "the old number no longer signs in");
    let me = account("13100000002").await.expect("found by the new number");

    // With a code to the current number instead of the password.
    clock.advance(Duration::seconds(61));
    phone::send_codes(s, &me, "13100000003", false, ip("192.0.2.71")).await.unwrap();
    let old_code = last_code(s, "13100000002").await.unwrap();
    let new_code = last_code(s, "13100000003").await.unwrap();
    phone::change(s, &me, CurrentProof::Code(old_code), "13100000003", &new_code).await.unwrap();
    assert!(account("13100000003").await.is_some());

    // A number that belongs to someone else gets no code, so it cannot be taken over.
    let code = code_for(s, "13100000009", SmsPurpose::Register).await;
    reg::register(s, input("13100000009", &code, "1990-01-01", None)).await.unwrap();
    let me = account("13100000003").await.unwrap();
    clock.advance(Duration::seconds(61));
    phone::send_codes(s, &me, "13100000009", true, ip("192.0.2.72")).await.unwrap();
    let guess = last_code(s, "13100000009").await.unwrap(); // the registration code, already used
    let err =
        phone::change(s, &me, CurrentProof::Password("wanzhou2026".into()), "13100000009", &guess).await.unwrap_err();
    assert_eq!(err.code(), "code.invalid");
}

#[tokio::test]
async fn app_tokens_expire_refresh_once_and_revoke() {
    use rencai_app::auth::tokens;
    let (app, clock) = app_at(false, |_| {}).await;
    let s = &app.state;
    let code = code_for(s, "13000000001", SmsPurpose::Register).await;
    reg::register(s, input("13000000001", &code, "1995-05-05", None)).await.unwrap();
    let pair =
        tokens::login(s, "13000000001", Proof::Password("wanzhou2026".into()), Portal::Seeker, ip("192.0.2.9"), "app")
            .await
            .unwrap();
    assert_eq!(pair.expires_in, 900);
    tokens::authenticate(s, &pair.access_token).await.expect("fresh access token works");
    assert!(tokens::authenticate(s, &pair.refresh_token).await.is_err(), "a refresh token is not an access token");

    clock.advance(Duration::minutes(16));
    assert_eq!(
        tokens::authenticate(s, &pair.access_token).await.unwrap_err().code(),
        "auth.invalid_token",
        "15 minutes"
    );
    let next = tokens::refresh(s, &pair.refresh_token, "app").await.expect("refresh");
    tokens::authenticate(s, &next.access_token).await.unwrap();
    // Someone presents the used refresh token again: a copy exists, so the whole family ends.
    assert_eq!(
        tokens::refresh(s, &pair.refresh_token, "app").await.unwrap_err().code(),
        "auth.invalid_token",
        "used once"
    );
    assert!(tokens::authenticate(s, &next.access_token).await.is_err(), "reuse ends the newer access token too");
    assert!(tokens::refresh(s, &next.refresh_token, "app").await.is_err(), "and the newer refresh token");

    // Revoking (app logout) ends the access token at once, not only at expiry.
    let third =
        tokens::login(s, "13000000001", Proof::Password("wanzhou2026".into()), Portal::Seeker, ip("192.0.2.9"), "app")
            .await
            .unwrap();
    tokens::revoke(s, &third.refresh_token).await.unwrap();
    assert!(tokens::authenticate(s, &third.access_token).await.is_err(), "revoked with its family");
    assert!(tokens::refresh(s, &third.refresh_token, "app").await.is_err(), "revoked");
}

#[tokio::test]
async fn password_guessing_pauses_per_number_alike_for_unknown_numbers() {
    let (app, clock) = app_at(false, |s| s.auth.password_failures_per_hour = 3).await;
    let s = &app.state;
    let code = code_for(s, "13700000001", SmsPurpose::Register).await;
    reg::register(s, input("13700000001", &code, "1995-05-05", None)).await.unwrap();
    let attempt = |phone: &'static str, pw: &'static str| {
        reg::login(s, phone, Proof::Password(pw.into()), Portal::Seeker, ip("192.0.2.9"), "t")
    };
    for phone in ["13700000001", "13700009999"] {
        for _ in 0..3 {
            assert_eq!(attempt(phone, "guess12345").await.unwrap_err().code(), "auth.invalid_credentials");
        }
        let err = attempt(phone, "wanzhou2026").await.unwrap_err();
        assert_eq!(err.code(), "auth.too_many_failures", "{phone}: paused even with the right password");
    }
    clock.advance(Duration::hours(1) + Duration::seconds(1));
    attempt("13700000001", "wanzhou2026").await.expect("an hour later");
}

/// Credential stuffing: many numbers from one address pause password login from that address
/// (IPv6 by /64), not from others; the address is kept only as a blind index.
#[tokio::test]
async fn password_guessing_across_many_numbers_pauses_the_address() {
    let (app, clock) = app_at(false, |s| s.auth.password_failures_per_address_per_hour = 4).await;
    let s = &app.state;
    let code = code_for(s, "13700000001", SmsPurpose::Register).await;
    reg::register(s, input("13700000001", &code, "1995-05-05", None)).await.unwrap();
    let from = |phone: &'static str, pw: &'static str, addr: &'static str| {
        reg::login(s, phone, Proof::Password(pw.into()), Portal::Seeker, ip(addr), "t")
    };
    for phone in ["13700001000", "13700001001", "13700001002", "13700001003"] {
        let e = from(phone, "guess12345", "2408:8207:1:2::1").await.unwrap_err();
        assert_eq!(e.code(), "auth.invalid_credentials");
    }
    // Same /64, another number, even the right password: paused.
    let e = from("13700000001", "wanzhou2026", "2408:8207:1:2::99").await.unwrap_err();
    assert_eq!(e.code(), "auth.too_many_failures_from_address");
    // Another address is not affected.
    from("13700000001", "wanzhou2026", "198.51.100.7").await.expect("another network");
    use rencai_store::ConnectionTrait;
    let conn = s.db().conn();
    let rows = conn
        .query_all_raw(rencai_store::raw(s.db().backend(), "SELECT ip_blind FROM login_failures", []))
        .await
        .unwrap();
    for r in rows {
        let v: String = r.try_get("", "ip_blind").unwrap();
        assert!(!v.contains("2408"), "no address in clear");
    }
    clock.advance(Duration::hours(1) + Duration::seconds(1));
    from("13700000001", "wanzhou2026", "2408:8207:1:2::1").await.expect("an hour later");
}
