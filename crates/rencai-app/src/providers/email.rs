//! Sending e-mail over SMTP with lettre (rustls, no OpenSSL). Used for notices (minor policy
//! changes, incident notices, notifications); `rencai dev send-test-email` checks a setup.

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::EmailSettings;

/// One e-mail: plain text, UTF-8.
#[derive(Debug, Clone)]
pub struct EmailMessage {
    pub to: String,
    pub subject: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    #[error("e-mail settings are incomplete or invalid: {0}")]
    Config(String),
    #[error("invalid address: {0}")]
    Address(String),
    #[error("the SMTP server did not take the message: {0}")]
    Transport(String),
}

/// An SMTP connection pool to one server.
#[derive(Clone)]
pub struct SmtpEmail {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpEmail").field("from", &self.from.email.to_string()).finish_non_exhaustive()
    }
}

impl SmtpEmail {
    /// The sender the settings describe, or `None` when no SMTP host is set.
    pub fn from_settings(s: &EmailSettings) -> Result<Option<Self>, EmailError> {
        let Some(host) = s.smtp_host.as_deref().filter(|h| !h.is_empty()) else { return Ok(None) };
        let builder = match s.smtp_security.as_str() {
            "tls" => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(|e| EmailError::Config(e.to_string()))?
            }
            "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .map_err(|e| EmailError::Config(e.to_string()))?,
            "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            other => {
                return Err(EmailError::Config(format!("smtp_security must be tls, starttls or none, not {other:?}")));
            }
        };
        let mut builder = builder.port(s.smtp_port).timeout(Some(std::time::Duration::from_secs(15)));
        if !s.smtp_username.is_empty() {
            builder = builder.credentials(Credentials::new(s.smtp_username.clone(), s.smtp_password.clone()));
        }
        let from: Mailbox =
            s.from.parse().map_err(|e: lettre::address::AddressError| EmailError::Address(e.to_string()))?;
        Ok(Some(Self { transport: builder.build(), from }))
    }

    /// Sends one message. Returns the server's reply for the log.
    pub async fn send(&self, m: &EmailMessage) -> Result<String, EmailError> {
        self.send_with_id(m, None).await
    }

    /// Sends one message with our `Message-ID`, if given.
    pub async fn send_with_id(&self, m: &EmailMessage, message_id: Option<&str>) -> Result<String, EmailError> {
        let to: Mailbox = m.to.parse().map_err(|_| EmailError::Address("recipient".into()))?;
        let message = Message::builder()
            .message_id(message_id.map(str::to_owned))
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(m.text.clone())
            .map_err(|e| EmailError::Config(e.to_string()))?;
        let response = self.transport.send(message).await.map_err(|e| EmailError::Transport(e.to_string()))?;
        Ok(response.message().collect::<Vec<_>>().join(" "))
    }
}

/// Where e-mail goes: an SMTP server, or (demo mode without a server, or `email.outbox`) the
/// dev outbox, a table developers and tests read (`rencai dev outbox --email`, `/dev/outbox`).
#[derive(Debug, Clone)]
pub enum Mailer {
    Smtp(SmtpEmail),
    Outbox { db: rencai_store::Db, keys: rencai_crypto::SharedKeys },
}

impl Mailer {
    /// The mailer the settings ask for, if any.
    pub fn from_settings(
        settings: &crate::Settings,
        db: &rencai_store::Db,
        keys: &rencai_crypto::SharedKeys,
    ) -> Result<Option<Self>, EmailError> {
        if let Some(smtp) = SmtpEmail::from_settings(&settings.email)? {
            return Ok(Some(Mailer::Smtp(smtp)));
        }
        let demo = settings.mode() == crate::config::Mode::Demo;
        Ok((settings.email.outbox || demo).then(|| Mailer::Outbox { db: db.clone(), keys: keys.clone() }))
    }

    /// Sends one message. `message_id` names it (`<ref@host>`), so a receiving system can tell
    /// a repeat after a crash from a new message.
    pub async fn send(&self, m: &EmailMessage, message_id: &str) -> Result<String, EmailError> {
        match self {
            Mailer::Smtp(smtp) => smtp.send_with_id(m, Some(message_id)).await,
            Mailer::Outbox { db, keys } => {
                use rencai_crypto::{BlindIndex, Sealed};
                let ring = keys.get();
                let to = m.to.trim().to_lowercase();
                let blind = BlindIndex::compute(&ring, rencai_store::dev_mail::TO, &to);
                let id = rencai_store::dev_mail::push(
                    db.conn(),
                    blind.as_str(),
                    Sealed::seal(&ring, rencai_store::dev_mail::TO, &to).as_stored(),
                    Sealed::seal(&ring, rencai_store::dev_mail::SUBJECT, &m.subject).as_stored(),
                    Sealed::seal(&ring, rencai_store::dev_mail::TEXT, &m.text).as_stored(),
                    message_id,
                    chrono::Utc::now(),
                )
                .await
                .map_err(|e| EmailError::Transport(e.to_string()))?;
                Ok(format!("outbox-{id}"))
            }
        }
    }
}

/// A message in the dev outbox, opened.
#[derive(Debug, Clone)]
pub struct OutboxMail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub message_id: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The newest messages of the dev e-mail outbox; only those to `to` when given.
pub async fn read_outbox(
    db: &rencai_store::Db,
    keys: &rencai_crypto::SharedKeys,
    to: Option<&str>,
    limit: u32,
) -> Result<Vec<OutboxMail>, crate::AppError> {
    use rencai_crypto::{BlindIndex, Sealed};
    let ring = keys.get();
    let blind = to.map(|t| BlindIndex::compute(&ring, rencai_store::dev_mail::TO, &t.trim().to_lowercase()));
    let rows = rencai_store::dev_mail::list(db.conn(), blind.as_ref().map(|b| b.as_str()), limit)
        .await
        .map_err(crate::AppError::internal)?;
    let open = |s: String, f| Sealed::<String>::from_stored(s).open(&ring, f).map_err(crate::AppError::internal);
    rows.into_iter()
        .map(|r| {
            Ok(OutboxMail {
                id: r.id,
                to: open(r.to_sealed, rencai_store::dev_mail::TO)?,
                subject: open(r.subject_sealed, rencai_store::dev_mail::SUBJECT)?,
                text: open(r.text_sealed, rencai_store::dev_mail::TEXT)?,
                message_id: r.message_id,
                created_at: r.created_at,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    /// A local SMTP sink: speaks just enough SMTP to take one message and hands it back.
    async fn sink() -> (u16, tokio::task::JoinHandle<String>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let (read, mut write) = stream.into_split();
            let mut lines = BufReader::new(read).lines();
            write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
            let mut data = String::new();
            let mut in_data = false;
            while let Ok(Some(line)) = lines.next_line().await {
                if in_data {
                    if line == "." {
                        in_data = false;
                        write.write_all(b"250 2.0.0 queued as 42\r\n").await.unwrap();
                    } else {
                        data.push_str(&line);
                        data.push('\n');
                    }
                    continue;
                }
                let cmd = line.to_ascii_uppercase();
                let reply: &[u8] = if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                    b"250-sink\r\n250 8BITMIME\r\n"
                } else if cmd.starts_with("MAIL")
                    || cmd.starts_with("RCPT")
                    || cmd.starts_with("RSET")
                    || cmd.starts_with("NOOP")
                {
                    b"250 OK\r\n"
                } else if cmd.starts_with("DATA") {
                    in_data = true;
                    b"354 go ahead\r\n"
                } else if cmd.starts_with("QUIT") {
                    write.write_all(b"221 bye\r\n").await.unwrap();
                    break;
                } else {
                    b"502 not implemented\r\n"
                };
                write.write_all(reply).await.unwrap();
            }
            data
        });
        (port, task)
    }

    fn settings(port: u16) -> EmailSettings {
        EmailSettings {
            smtp_host: Some("127.0.0.1".into()),
            smtp_port: port,
            smtp_security: "none".into(),
            from: "万州人才网 <noreply@example.com>".into(),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn a_message_reaches_a_local_smtp_sink_intact() {
        let (port, received) = sink().await;
        let mailer = SmtpEmail::from_settings(&settings(port)).unwrap().unwrap();
        let reply = mailer
            .send_with_id(
                &EmailMessage {
                    to: "seeker@example.com".into(),
                    subject: "隐私政策更新通知".into(),
                    text: "你好，隐私政策已更新。".into(),
                },
                Some("<n0123abcd@wzrc.example>"),
            )
            .await
            .unwrap();
        assert!(reply.contains("queued as 42"), "{reply}");
        drop(mailer);
        let data = tokio::time::timeout(std::time::Duration::from_secs(10), received).await.unwrap().unwrap();
        assert!(data.contains("To: seeker@example.com"), "{data}");
        assert!(data.contains("From:") && data.contains("noreply@example.com"));
        assert!(data.contains("Subject: =?utf-8?"), "the Chinese subject is encoded: {data}");
        assert!(data.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(data.contains("Message-ID: <n0123abcd@wzrc.example>"), "our id, so a repeat is recognisable: {data}");
    }

    #[tokio::test]
    async fn no_host_means_no_sender_and_bad_settings_are_clear_errors() {
        assert!(SmtpEmail::from_settings(&EmailSettings::default()).unwrap().is_none());
        let bad = EmailSettings { smtp_security: "ssl3".into(), ..settings(25) };
        assert!(matches!(SmtpEmail::from_settings(&bad), Err(EmailError::Config(_))));
        let bad_from = EmailSettings { from: "not an address".into(), ..settings(25) };
        assert!(matches!(SmtpEmail::from_settings(&bad_from), Err(EmailError::Address(_))));
    }

    #[tokio::test]
    async fn an_unreachable_server_is_a_transport_error() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mailer = SmtpEmail::from_settings(&settings(port)).unwrap().unwrap();
        let err = mailer
            .send(&EmailMessage { to: "a@example.com".into(), subject: "s".into(), text: "t".into() })
            .await
            .unwrap_err();
        assert!(matches!(err, EmailError::Transport(_)), "{err:?}");
    }
}
