//! The worker that carries out delivery jobs: SMS now, e-mail and push later. `serve` runs it
//! in the background; tests call [`deliver_due`] directly.

use std::time::Duration;

use rencai_crypto::Sealed;
use rencai_domain::account::Phone;
use rencai_store::delivery::{self, ClaimedJob, NewDelivery};

use crate::auth::codes::{DELIVERY_PARAMS, DELIVERY_PHONE, SMS_JOB};
use crate::providers::sms::{SmsError, SmsMessage, SmsTemplate};
use crate::{AppError, AppResult, AppState};

const ALERT_JOB: &str = "staff.alert";
const LEASE: Duration = Duration::from_secs(120);

/// Carries out up to `max` due jobs; returns how many were handled (done or failed).
pub async fn deliver_due(state: &AppState, max: usize) -> AppResult<usize> {
    let mut handled = 0;
    while handled < max {
        let Some(job) = delivery::claim(state.db().conn(), state.now(), LEASE).await.map_err(AppError::internal)?
        else {
            break;
        };
        let result = run(state, &job).await;
        let conn = state.db().conn();
        match result {
            Ok(()) => {
                delivery::complete(conn, &job, state.now()).await.map_err(AppError::internal)?;
            }
            Err(e) => {
                let outcome = delivery::fail(conn, &job, &e, state.now()).await.map_err(AppError::internal)?;
                tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, ?outcome, error = %e, "delivery failed");
            }
        }
        handled += 1;
    }
    Ok(handled)
}

/// What an SMS to queue says.
pub struct QueuedSms<'a> {
    pub phone: &'a Phone,
    pub template: SmsTemplate,
    pub params: std::collections::BTreeMap<String, String>,
    /// Our reference, sent as the provider's OutId; also the dedupe key.
    pub client_ref: String,
    /// Queued but not sent (an unregistered number must cost the same work: P20).
    pub suppress: bool,
}

/// Queues an SMS in the caller's transaction; the worker sends it once. Phone and parameters
/// are sealed in the queue.
pub async fn enqueue_sms(
    state: &AppState,
    conn: &impl rencai_store::ConnectionTrait,
    sms: QueuedSms<'_>,
) -> AppResult<()> {
    let keys = state.keys().get();
    let now = state.now();
    delivery::enqueue(
        conn,
        &NewDelivery {
            station_id: state.station().id,
            kind: SMS_JOB.into(),
            payload: serde_json::json!({
                "phone": Sealed::seal(&keys, DELIVERY_PHONE, &sms.phone.digits().to_string()).into_stored(),
                "template": sms.template.key(),
                "params": Sealed::seal(&keys, DELIVERY_PARAMS, &sms.params).into_stored(),
                "client_ref": sms.client_ref,
                "suppress": sms.suppress,
            }),
            dedupe_key: Some(format!("sms-{}", sms.client_ref)),
            max_attempts: 3,
            run_at: now,
        },
        now,
    )
    .await
    .map_err(AppError::internal)?;
    Ok(())
}

async fn run(state: &AppState, job: &ClaimedJob) -> Result<(), String> {
    match job.kind.as_str() {
        SMS_JOB => send_sms(state, job).await,
        crate::notify::EMAIL_JOB => send_mail(state, job).await,
        crate::notify::PUSH_JOB => send_push(state, job).await,
        ALERT_JOB => {
            let (alert, day) =
                (job.payload["alert"].as_str().unwrap_or("unknown"), job.payload["day"].as_str().unwrap_or(""));
            tracing::error!(alert, day, "STAFF ALERT");
            // Into the staff's ticket queue as a security ticket with its deadline.
            crate::tickets::open_system_alert(state, alert, day).await.map_err(|e| e.to_string())
        }
        other => Err(format!("unknown job kind {other}")),
    }
}

async fn send_sms(state: &AppState, job: &ClaimedJob) -> Result<(), String> {
    if job.payload["suppress"].as_bool() == Some(true) {
        return Ok(());
    }
    let Some(sender) = state.sms() else { return Err("no SMS provider configured".into()) };
    let keys = state.keys().get();
    let text = |k: &str| job.payload[k].as_str().map(str::to_owned).ok_or_else(|| format!("payload lacks {k}"));
    let phone: String = Sealed::from_stored(text("phone")?).open(&keys, DELIVERY_PHONE).map_err(|e| e.to_string())?;
    let params = Sealed::from_stored(text("params")?).open(&keys, DELIVERY_PARAMS).map_err(|e| e.to_string())?;
    let message = SmsMessage {
        phone: Phone::parse(&phone).map_err(|e| e.to_string())?,
        template: SmsTemplate::parse(&text("template")?).ok_or("unknown SMS template")?,
        params,
        client_ref: text("client_ref")?,
    };
    match sender.send(&message).await {
        Ok(receipt) => {
            tracing::info!(job = job.id, provider_id = %receipt.provider_id, "sms sent");
            Ok(())
        }
        Err(SmsError::Rejected { code, message }) => Err(format!("rejected: {code}: {message}")),
        Err(e) => Err(e.to_string()),
    }
}

async fn send_mail(state: &AppState, job: &ClaimedJob) -> Result<(), String> {
    // A mailer switched off since the notice was queued: nothing to send it with.
    let Some(mailer) = state.mailer() else { return Err("no mailer configured".into()) };
    let keys = state.keys().get();
    let text = |k: &str| job.payload[k].as_str().map(str::to_owned).ok_or_else(|| format!("payload lacks {k}"));
    let to: String =
        Sealed::from_stored(text("to")?).open(&keys, crate::notify::DELIVERY_EMAIL).map_err(|e| e.to_string())?;
    let (subject, body): (String, String) =
        Sealed::from_stored(text("mail")?).open(&keys, crate::notify::DELIVERY_MAIL_TEXT).map_err(|e| e.to_string())?;
    let host =
        state.settings().server.public_url.as_deref().and_then(|u| u.split("://").nth(1)).unwrap_or("rencai.local");
    let host = host.split('/').next().unwrap_or("rencai.local");
    let message_id = format!("<{}@{host}>", text("ref")?);
    let message = crate::providers::email::EmailMessage { to, subject, text: body };
    let reply = mailer.send(&message, &message_id).await.map_err(|e| e.to_string())?;
    tracing::info!(job = job.id, reply = %reply, "e-mail sent");
    Ok(())
}

async fn send_push(state: &AppState, job: &ClaimedJob) -> Result<(), String> {
    let Some(push) = state.push() else { return Err("no push provider configured".into()) };
    let keys = state.keys().get();
    let text = |k: &str| job.payload[k].as_str().map(str::to_owned).ok_or_else(|| format!("payload lacks {k}"));
    let (title, content): (String, String) =
        Sealed::from_stored(text("text")?).open(&keys, crate::notify::DELIVERY_MAIL_TEXT).map_err(|e| e.to_string())?;
    let message = crate::providers::push::PushMessage { alias: text("alias")?, title, content, link: text("link")? };
    let id = push.send(&message).await.map_err(|e| e.to_string())?;
    tracing::info!(job = job.id, push_id = %id, "push sent");
    Ok(())
}

/// Raises a staff alert at most once per key and day.
pub async fn alert_staff_once(state: &AppState, alert: &str, day: chrono::NaiveDate) -> AppResult<()> {
    let now = state.now();
    delivery::enqueue(
        state.db().conn(),
        &NewDelivery {
            station_id: state.station().id,
            kind: ALERT_JOB.into(),
            payload: serde_json::json!({ "alert": alert, "day": day.to_string() }),
            dedupe_key: Some(format!("alert:{alert}:{day}")),
            max_attempts: 3,
            run_at: now,
        },
        now,
    )
    .await
    .map_err(AppError::internal)?;
    Ok(())
}

/// Runs forever, delivering due jobs every `every`.
pub async fn run_forever(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        if let Err(e) = deliver_due(&state, 100).await {
            tracing::error!(error = %e, "delivery worker");
        }
    }
}
