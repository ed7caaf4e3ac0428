//! Notification delivery through a real provider protocol: an e-mail notice whose SMTP server
//! refuses the first try is retried after the backoff and arrives exactly once, with our
//! Message-ID.

use std::sync::{Arc, Mutex};

use chrono::TimeZone;
use rencai_app::FixedClock;
use rencai_app::notify::{self, Kind, Notice};
use rencai_domain::account::Role;
use rencai_testkit::market::{phone, signed_in};
use rencai_testkit::{TestApp, TestOptions};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// An SMTP server on loopback that answers the first message with a temporary failure (451)
/// and takes every later one; what it took is kept.
async fn flaky_smtp() -> (u16, Arc<Mutex<Vec<String>>>, Arc<Mutex<bool>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let taken = Arc::new(Mutex::new(Vec::new()));
    let refused_once = Arc::new(Mutex::new(false));
    let kept = taken.clone();
    let refused = refused_once.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let taken = kept.clone();
            let refused_once = refused_once.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 flaky ESMTP\r\n").await.unwrap();
                let (mut data, mut in_data) = (String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            let first = !std::mem::replace(&mut *refused_once.lock().unwrap(), true);
                            let reply: &[u8] = if first {
                                b"451 4.3.0 try again later\r\n"
                            } else {
                                taken.lock().unwrap().push(std::mem::take(&mut data));
                                b"250 2.0.0 queued\r\n"
                            };
                            data.clear();
                            write.write_all(reply).await.unwrap();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let cmd = line.to_ascii_uppercase();
                    let reply: &[u8] = if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                        b"250-flaky\r\n250 8BITMIME\r\n"
                    } else if cmd.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if cmd.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    if write.write_all(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (port, taken, refused)
}

#[tokio::test]
async fn an_e_mail_notice_refused_once_is_retried_after_the_backoff_and_arrives_once() {
    let (port, taken, refused) = flaky_smtp().await;
    let clock = Arc::new(FixedClock::new(chrono::Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()));
    let app = TestApp::spawn_with(TestOptions {
        clock: clock.clone(),
        tweak: Box::new(move |s| {
            rencai_testkit::cheap_hashing(s);
            s.email.smtp_host = Some("127.0.0.1".into());
            s.email.smtp_port = port;
            s.email.smtp_security = "none".into();
            s.email.from = "万州人才网 <noreply@wzrc.example>".into();
        }),
        ..Default::default()
    })
    .await;
    let state = &app.state;
    let seeker = signed_in(&app, Role::Seeker, &phone(11)).await;
    rencai_store::accounts::set_email(
        state.db().conn(),
        &state.keys().get(),
        seeker.account().id,
        "li@example.com",
        state.now(),
    )
    .await
    .unwrap();
    let notice = Notice::new(Kind::ChatMessage, "/chat/x", &[]);
    notify::send(state, state.db().conn(), seeker.account().id, &notice).await.unwrap();

    // The app's own worker runs on the same clock; ask until the first attempt has happened.
    let attempted = || async {
        let counts = rencai_store::delivery::counts(state.db().conn()).await.unwrap();
        counts.iter().find(|(s, _)| s == "pending").map(|(_, n)| *n).unwrap_or(0)
    };
    for _ in 0..100 {
        rencai_app::delivery_worker::deliver_due(state, 10).await.unwrap();
        if taken.lock().unwrap().is_empty() && attempted().await == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(*refused.lock().unwrap(), "the first attempt reached the server");
    assert!(taken.lock().unwrap().is_empty(), "and was refused");
    // Not before the backoff…
    rencai_app::delivery_worker::deliver_due(state, 10).await.unwrap();
    assert!(taken.lock().unwrap().is_empty());
    // …and after it, once.
    clock.advance(chrono::Duration::minutes(5));
    for _ in 0..100 {
        rencai_app::delivery_worker::deliver_due(state, 10).await.unwrap();
        if !taken.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    clock.advance(chrono::Duration::days(1));
    rencai_app::delivery_worker::deliver_due(state, 10).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let got = taken.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "delivered exactly once: {got:?}");
    assert!(got[0].contains("To: li@example.com") && got[0].contains("Message-ID: <n"), "{}", got[0]);
}
