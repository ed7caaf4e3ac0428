//! The identity part of accounts: role, status and the sealed personal fields. Credentials,
//! sessions and consents arrive with the accounts feature and live in their own tables.

use chrono::{DateTime, Utc};
use rencai_crypto::{BlindIndex, FieldContext, Keyring, Sealed};
use rencai_domain::account::{AgeGroup, MinorBasis, Phone, Role};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::changelog::{self, ChangeOp, NewChange};
use crate::entity::account;
use crate::{StoreError, StoreResult, raw};

pub const NAME: FieldContext = FieldContext("accounts.name");
pub const PHONE: FieldContext = FieldContext("accounts.phone");
pub const EMAIL: FieldContext = FieldContext("accounts.email");
pub const BIRTH_DATE: FieldContext = FieldContext("accounts.birth_date");
pub const GUARDIAN_PHONE: FieldContext = FieldContext("accounts.guardian_phone");

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub station_id: i64,
    pub role: Role,
    /// Optional: registration asks only for what it needs (P4).
    pub name: Option<String>,
    pub phone: Phone,
    pub email: Option<String>,
    pub birth_date: Option<chrono::NaiveDate>,
    pub age_group: AgeGroup,
    pub minor_basis: Option<MinorBasis>,
}

/// An account as read back. Personal fields stay sealed until a caller with the keys opens them.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRecord {
    pub id: i64,
    pub public_id: String,
    pub station_id: i64,
    pub role: Role,
    pub status: String,
    pub name: Option<Sealed<String>>,
    pub phone: Sealed<String>,
    pub email: Option<Sealed<String>>,
    pub age_group: String,
    /// A minor's guardian's phone number, if the account holder gave one (P21).
    pub guardian_phone: Option<Sealed<String>>,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<account::Model> for AccountRecord {
    type Error = StoreError;
    fn try_from(m: account::Model) -> StoreResult<Self> {
        Ok(Self {
            id: m.id,
            public_id: m.public_id,
            station_id: m.station_id,
            role: Role::parse(&m.role).ok_or(StoreError::NotFound)?,
            status: m.status,
            name: m.name_sealed.map(Sealed::from_stored),
            phone: Sealed::from_stored(m.phone_sealed),
            email: m.email_sealed.map(Sealed::from_stored),
            age_group: m.age_group,
            guardian_phone: m.guardian_phone_sealed.map(Sealed::from_stored),
            created_at: m.created_at,
        })
    }
}

pub fn phone_index(keys: &Keyring, phone: &Phone) -> BlindIndex {
    BlindIndex::compute(keys, PHONE, phone.digits())
}

/// Creates an account and announces it on the change log, in the caller's transaction.
pub async fn create(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    new: &NewAccount,
    now: DateTime<Utc>,
) -> StoreResult<AccountRecord> {
    let public_id = uuid::Uuid::now_v7().to_string();
    let model = account::ActiveModel {
        public_id: Set(public_id.clone()),
        station_id: Set(new.station_id),
        role: Set(new.role.as_str().to_string()),
        status: Set("active".into()),
        name_sealed: Set(new.name.as_ref().map(|n| Sealed::seal(keys, NAME, n).into_stored())),
        phone_sealed: Set(Sealed::seal(keys, PHONE, &new.phone.digits().to_string()).into_stored()),
        phone_blind: Set(phone_index(keys, &new.phone).into_string()),
        email_sealed: Set(new.email.as_ref().map(|e| Sealed::seal(keys, EMAIL, e).into_stored())),
        birth_date_sealed: Set(new.birth_date.map(|d| Sealed::seal(keys, BIRTH_DATE, &d.to_string()).into_stored())),
        age_group: Set(new.age_group.as_str().to_string()),
        minor_basis: Set(new.minor_basis.map(|b| b.as_str().to_string())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let inserted = account::Entity::insert(model)
        .exec_with_returning(conn)
        .await
        .map_err(|e| StoreError::from_db(e, &[("phone_blind", "phone"), ("public_id", "public_id")]))?;
    changelog::append(
        conn,
        &NewChange {
            station_id: new.station_id,
            topic: "account",
            entity_id: public_id,
            op: ChangeOp::Created,
            payload: serde_json::json!({ "role": new.role.as_str() }),
        },
        now,
    )
    .await?;
    inserted.try_into()
}

/// Finds an account by phone number through the blind index.
pub async fn find_by_phone(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    phone: &Phone,
) -> StoreResult<Option<AccountRecord>> {
    account::Entity::find()
        .filter(account::Column::PhoneBlind.eq(phone_index(keys, phone).into_string()))
        .one(conn)
        .await?
        .map(AccountRecord::try_from)
        .transpose()
}

pub async fn count(conn: &impl ConnectionTrait) -> StoreResult<u64> {
    Ok(account::Entity::find().count(conn).await?)
}

/// Replaces the e-mail address (sealed under the current key) and announces the change.
pub async fn set_email(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    id: i64,
    email: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let backend = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            backend,
            "UPDATE accounts SET email_sealed = ?, updated_at = ? WHERE id = ?",
            [Sealed::seal(keys, EMAIL, &email.to_string()).into_stored().into(), now.into(), id.into()],
        ))
        .await?;
    if res.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    announce_updated(conn, id, now).await
}

/// Tells the change log that account `id` changed (consumers re-read it).
async fn announce_updated(conn: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    let m = account::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
    let change = NewChange {
        station_id: m.station_id,
        topic: "account",
        entity_id: m.public_id,
        op: ChangeOp::Updated,
        payload: serde_json::json!({}),
    };
    changelog::append(conn, &change, now).await?;
    Ok(())
}

pub async fn find_by_id(conn: &impl ConnectionTrait, id: i64) -> StoreResult<Option<AccountRecord>> {
    account::Entity::find_by_id(id).one(conn).await?.map(AccountRecord::try_from).transpose()
}

/// Replaces the phone number (sealed, with its blind index) and announces the change.
pub async fn set_phone(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    id: i64,
    phone: &Phone,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let backend = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            backend,
            "UPDATE accounts SET phone_sealed = ?, phone_blind = ?, updated_at = ? WHERE id = ?",
            [
                Sealed::seal(keys, PHONE, &phone.digits().to_string()).into_stored().into(),
                phone_index(keys, phone).into_string().into(),
                now.into(),
                id.into(),
            ],
        ))
        .await
        .map_err(|e| StoreError::from_db(e, &[("phone_blind", "phone")]))?;
    if res.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    announce_updated(conn, id, now).await
}

/// Account states. Only `active` accounts log in; a `deactivated` one waits for its purge, a
/// `purged` one is a tombstone without personal data.
pub const ACTIVE: &str = "active";
pub const DEACTIVATED: &str = "deactivated";
pub const PURGED: &str = "purged";

/// Moves an account from `from` to `to`; false when it was not in `from` (compare-and-swap,
/// so two deactivations or a racing purge cannot both win).
pub async fn change_status(
    conn: &impl ConnectionTrait,
    id: i64,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let backend = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            backend,
            "UPDATE accounts SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
            [to.into(), now.into(), id.into(), from.into()],
        ))
        .await?;
    if res.rows_affected() == 0 {
        return Ok(false);
    }
    announce_updated(conn, id, now).await?;
    Ok(true)
}

/// Clears every personal field of a deactivated account, leaving a `purged` tombstone. The
/// phone's blind index is replaced by a value no phone hashes to, so the number is free to
/// register again and nothing links the row to it.
pub async fn tombstone(conn: &impl ConnectionTrait, keys: &Keyring, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let backend = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            backend,
            "UPDATE accounts SET status = ?, name_sealed = NULL, email_sealed = NULL, birth_date_sealed = NULL, \
             minor_basis = NULL, guardian_phone_sealed = NULL, phone_sealed = ?, phone_blind = ?, updated_at = ? \
             WHERE id = ? AND status = ?",
            [
                PURGED.into(),
                Sealed::seal(keys, PHONE, &String::new()).into_stored().into(),
                format!("purged:{}", rencai_crypto::random_token(16)).into(),
                now.into(),
                id.into(),
                DEACTIVATED.into(),
            ],
        ))
        .await?;
    if res.rows_affected() == 0 {
        return Ok(false);
    }
    announce_updated(conn, id, now).await?;
    Ok(true)
}

/// Ids of active accounts (staff excluded) after `after`, in id order: a broadcast's batch.
pub async fn active_ids_after(conn: &impl ConnectionTrait, after: i64, limit: u64) -> StoreResult<Vec<i64>> {
    let backend = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            backend,
            &format!(
                "SELECT id FROM accounts WHERE id > ? AND status = ? AND role <> 'staff' ORDER BY id LIMIT {limit}"
            ),
            [after.into(), ACTIVE.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok(r.try_get::<i64>("", "id")?)).collect()
}

pub async fn find_by_public_id(conn: &impl ConnectionTrait, public_id: &str) -> StoreResult<Option<AccountRecord>> {
    if !crate::is_public_id(public_id) {
        return Ok(None);
    }
    account::Entity::find()
        .filter(account::Column::PublicId.eq(public_id))
        .one(conn)
        .await?
        .map(AccountRecord::try_from)
        .transpose()
}

/// Replaces the optional name and e-mail (sealed; `None` removes) and announces the change.
pub async fn set_details(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    id: i64,
    name: Option<&str>,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let backend = conn.get_database_backend();
    let seal = |field, v: Option<&str>| v.map(|v| Sealed::seal(keys, field, &v.to_string()).into_stored());
    let res = conn
        .execute_raw(raw(
            backend,
            "UPDATE accounts SET name_sealed = ?, email_sealed = ?, updated_at = ? WHERE id = ?",
            [seal(NAME, name).into(), seal(EMAIL, email).into(), now.into(), id.into()],
        ))
        .await?;
    if res.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    announce_updated(conn, id, now).await
}

/// Sets or removes a minor's guardian phone number (sealed).
pub async fn set_guardian_phone(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    id: i64,
    phone: Option<&Phone>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let backend = conn.get_database_backend();
    let sealed = phone.map(|p| Sealed::seal(keys, GUARDIAN_PHONE, &p.digits().to_string()).into_stored());
    conn.execute_raw(raw(
        backend,
        "UPDATE accounts SET guardian_phone_sealed = ?, updated_at = ? WHERE id = ?",
        [sealed.into(), now.into(), id.into()],
    ))
    .await?;
    Ok(())
}
