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
        let to: Mailbox = m.to.parse().map_err(|_| EmailError::Address("recipient".into()))?;
        let message = Message::builder()
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
            .send(&EmailMessage {
                to: "seeker@example.com".into(),
                subject: "隐私政策更新通知".into(),
                text: "你好，隐私政策已更新。".into(),
            })
            .await
            .unwrap();
        assert!(reply.contains("queued as 42"), "{reply}");
        drop(mailer);
        let data = tokio::time::timeout(std::time::Duration::from_secs(10), received).await.unwrap().unwrap();
        assert!(data.contains("To: seeker@example.com"), "{data}");
        assert!(data.contains("From:") && data.contains("noreply@example.com"));
        assert!(data.contains("Subject: =?utf-8?"), "the Chinese subject is encoded: {data}");
        assert!(data.contains("Content-Type: text/plain; charset=utf-8"));
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
