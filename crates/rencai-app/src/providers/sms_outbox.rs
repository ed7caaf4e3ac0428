//! The dev SMS provider: instead of sending, it keeps each message in the `dev_outbox` table
//! (sealed, like every phone number), where `rencai dev outbox`, the optional `/dev/outbox` page
//! and the tests read it.

use rencai_crypto::{BlindIndex, FieldContext, Sealed, SharedKeys};
use rencai_store::Db;
use rencai_store::accounts::PHONE;

use super::sms::{SmsError, SmsFuture, SmsMessage, SmsReceipt, SmsSender, SmsTemplate};

pub const PARAMS: FieldContext = FieldContext("dev_outbox.params");
pub const OUTBOX_PHONE: FieldContext = FieldContext("dev_outbox.phone");

#[derive(Debug, Clone)]
pub struct DevOutbox {
    db: Db,
    keys: SharedKeys,
}

impl DevOutbox {
    pub fn new(db: Db, keys: SharedKeys) -> Self {
        Self { db, keys }
    }
}

pub fn template_name(t: SmsTemplate) -> &'static str {
    t.key()
}

impl SmsSender for DevOutbox {
    fn send<'a>(&'a self, message: &'a SmsMessage) -> SmsFuture<'a> {
        Box::pin(async move {
            let keys = self.keys.get();
            let blind = BlindIndex::compute(&keys, PHONE, message.phone.digits());
            let phone = Sealed::seal(&keys, OUTBOX_PHONE, &message.phone.digits().to_string());
            let params = Sealed::seal(&keys, PARAMS, &message.params);
            let id = rencai_store::auth::outbox_push(
                self.db.conn(),
                blind.as_str(),
                phone.as_stored(),
                template_name(message.template),
                params.as_stored(),
                chrono::Utc::now(),
            )
            .await
            .map_err(|e| SmsError::Transport(e.to_string()))?;
            Ok(SmsReceipt { provider_id: format!("outbox-{id}") })
        })
    }
}

/// A message in the outbox, opened.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    pub id: i64,
    pub phone: String,
    pub template: String,
    pub params: std::collections::BTreeMap<String, String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The newest messages in the outbox, opened; only those to `phone` when given.
pub async fn read(
    db: &Db,
    keys: &SharedKeys,
    phone: Option<&rencai_domain::account::Phone>,
    limit: u32,
) -> Result<Vec<OutboxMessage>, crate::AppError> {
    let ring = keys.get();
    let blind = phone.map(|p| BlindIndex::compute(&ring, PHONE, p.digits()));
    let rows = rencai_store::auth::outbox_list(db.conn(), blind.as_ref().map(|b| b.as_str()), limit)
        .await
        .map_err(crate::AppError::internal)?;
    rows.into_iter()
        .map(|r| {
            Ok(OutboxMessage {
                id: r.id,
                phone: Sealed::<String>::from_stored(r.phone_sealed)
                    .open(&ring, OUTBOX_PHONE)
                    .map_err(crate::AppError::internal)?,
                template: r.template,
                params: Sealed::from_stored(r.params_sealed).open(&ring, PARAMS).map_err(crate::AppError::internal)?,
                created_at: r.created_at,
            })
        })
        .collect()
}
