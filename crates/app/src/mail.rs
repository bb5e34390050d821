//! Sending one e-mail over SMTP (lettre), as configured in `[smtp]`.

use crate::config::{SmtpConfig, SmtpSecurity};
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Send a plain-text e-mail. The error is in plain words for the record,
/// without credentials.
pub async fn send(cfg: &SmtpConfig, to: &str, subject: &str, body: &str) -> Result<(), String> {
    let from: Mailbox = cfg
        .from
        .parse()
        .map_err(|_| "the configured From address is not valid".to_string())?;
    let to: Mailbox = to
        .parse()
        .map_err(|_| format!("{to} is not a valid e-mail address"))?;
    let msg = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())
        .map_err(|e| format!("could not build the message: {e}"))?;
    let builder = match cfg.security {
        SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&cfg.host)
            .map_err(|e| format!("mail server {}: {e}", cfg.host))?,
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&cfg.host)
            .map_err(|e| format!("mail server {}: {e}", cfg.host))?,
        SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host),
    };
    let mut builder = builder
        .port(cfg.port)
        .timeout(Some(Duration::from_secs(cfg.timeout_seconds.max(1))));
    if !cfg.username.is_empty() {
        builder = builder.credentials(Credentials::new(cfg.username.clone(), cfg.password.clone()));
    }
    let transport = builder.build();
    transport
        .send(msg)
        .await
        .map(|_| ())
        .map_err(|e| format!("mail server {} refused or failed: {e}", cfg.host))
}
