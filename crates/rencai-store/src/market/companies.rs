//! Organisations — employers and HR agencies — with their recruiters and an agency's clients.

use chrono::{DateTime, Utc};
use rencai_crypto::{FieldContext, Keyring, Sealed};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use crate::changelog::{self, ChangeOp, NewChange};
use crate::{StoreError, StoreResult, raw};

pub const CONTACT_NAME: FieldContext = FieldContext("companies.contact_name");
pub const MEMBER_REAL_NAME: FieldContext = FieldContext("company_members.real_name");
pub const MEMBER_ID_NUMBER: FieldContext = FieldContext("company_members.id_number");

/// The profile fields as stored. Codes are taxonomy codes checked by the domain before here.
#[derive(Debug, Clone)]
pub struct CompanyFields {
    pub name: String,
    pub credit_code: String,
    pub industry: String,
    pub size: String,
    pub ownership: String,
    pub district: String,
    pub address: String,
    pub point: Option<(f64, f64)>,
    pub intro: String,
    pub contact_name: String,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct CompanyRow {
    pub id: i64,
    pub public_id: String,
    pub station_id: i64,
    pub kind: String,
    pub name: String,
    pub credit_code: String,
    pub industry: String,
    pub size: String,
    pub ownership: String,
    pub district: String,
    pub address: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub intro: String,
    pub contact_name_sealed: String,
    pub verification: String,
    pub reject_reason: Option<String>,
    pub verified_at: Option<DateTime<Utc>>,
    pub registry_check: Option<String>,
    pub pledge_version: Option<String>,
    pub pledge_accepted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CompanyRow {
    pub fn contact_name(&self, keys: &Keyring) -> StoreResult<String> {
        Ok(Sealed::<String>::from_stored(self.contact_name_sealed.clone()).open(keys, CONTACT_NAME)?)
    }
}

const COLUMNS: &str = "id, public_id, station_id, kind, name, credit_code, industry, size, ownership, district, \
     address, lat, lng, intro, contact_name_sealed, verification, reject_reason, verified_at, registry_check, pledge_version, \
     pledge_accepted_at, created_at, updated_at";

/// Creates an organisation with `account_id` as its primary recruiter, in the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    station_id: i64,
    kind: &str,
    fields: &CompanyFields,
    account_id: i64,
    pledge_version: &str,
    now: DateTime<Utc>,
) -> StoreResult<CompanyRow> {
    let b = conn.get_database_backend();
    let public_id = uuid::Uuid::now_v7().to_string();
    let (lat, lng) = split_point(fields.point);
    let sql = format!(
        "INSERT INTO companies (public_id, station_id, kind, name, credit_code, industry, size, ownership, district, \
         address, lat, lng, intro, contact_name_sealed, verification, pledge_version, pledge_accepted_at, created_at, \
         updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'unverified', ?, ?, ?, ?) RETURNING {COLUMNS}"
    );
    let values: Vec<Value> = vec![
        public_id.clone().into(),
        station_id.into(),
        kind.into(),
        fields.name.clone().into(),
        fields.credit_code.clone().into(),
        fields.industry.clone().into(),
        fields.size.clone().into(),
        fields.ownership.clone().into(),
        fields.district.clone().into(),
        fields.address.clone().into(),
        lat,
        lng,
        fields.intro.clone().into(),
        Sealed::seal(keys, CONTACT_NAME, &fields.contact_name).into_stored().into(),
        pledge_version.into(),
        now.into(),
        now.into(),
        now.into(),
    ];
    let row = conn
        .query_one_raw(raw(b, &sql, values))
        .await
        .map_err(|e| StoreError::from_db(e, &[("credit_code", "credit_code")]))?
        .ok_or(StoreError::NotFound)?;
    let company = CompanyRow::from_query_result(&row, "")?;
    add_member(conn, company.id, account_id, true, now).await?;
    announce(conn, &company, ChangeOp::Created, now).await?;
    Ok(company)
}

fn split_point(point: Option<(f64, f64)>) -> (Value, Value) {
    match point {
        Some((lat, lng)) => (Some(lat).into(), Some(lng).into()),
        None => (Option::<f64>::None.into(), Option::<f64>::None.into()),
    }
}

async fn announce(conn: &impl ConnectionTrait, c: &CompanyRow, op: ChangeOp, now: DateTime<Utc>) -> StoreResult<()> {
    let change = NewChange {
        station_id: c.station_id,
        topic: "company",
        entity_id: c.public_id.clone(),
        op,
        payload: serde_json::json!({ "kind": c.kind }),
    };
    changelog::append(conn, &change, now).await?;
    Ok(())
}

/// Replaces the profile. A verified organisation that changes its name or credit code goes
/// back to review: the badge vouches for what staff checked.
pub async fn update_profile(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    id: i64,
    fields: &CompanyFields,
    now: DateTime<Utc>,
) -> StoreResult<CompanyRow> {
    let b = conn.get_database_backend();
    let (lat, lng) = split_point(fields.point);
    let sql = format!(
        "UPDATE companies SET \
           verification = CASE WHEN verification = 'verified' AND (name <> ? OR credit_code <> ?) \
                          THEN 'pending' ELSE verification END, \
           name = ?, credit_code = ?, industry = ?, size = ?, ownership = ?, district = ?, address = ?, lat = ?, \
           lng = ?, intro = ?, contact_name_sealed = ?, updated_at = ? WHERE id = ? RETURNING {COLUMNS}"
    );
    let values: Vec<Value> = vec![
        fields.name.clone().into(),
        fields.credit_code.clone().into(),
        fields.name.clone().into(),
        fields.credit_code.clone().into(),
        fields.industry.clone().into(),
        fields.size.clone().into(),
        fields.ownership.clone().into(),
        fields.district.clone().into(),
        fields.address.clone().into(),
        lat,
        lng,
        fields.intro.clone().into(),
        Sealed::seal(keys, CONTACT_NAME, &fields.contact_name).into_stored().into(),
        now.into(),
        id.into(),
    ];
    let row = conn
        .query_one_raw(raw(b, &sql, values))
        .await
        .map_err(|e| StoreError::from_db(e, &[("credit_code", "credit_code")]))?
        .ok_or(StoreError::NotFound)?;
    let company = CompanyRow::from_query_result(&row, "")?;
    announce(conn, &company, ChangeOp::Updated, now).await?;
    Ok(company)
}

/// Moves verification from `from` to `to` (compare-and-swap: two staff deciding at once
/// cannot both win). Returns false when the state was no longer `from`.
pub async fn set_verification(
    conn: &impl ConnectionTrait,
    id: i64,
    from: &[&str],
    to: &str,
    reject_reason: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let marks = vec!["?"; from.len()].join(", ");
    let sql = format!(
        "UPDATE companies SET verification = ?, reject_reason = ?, updated_at = ?, \
         verified_at = CASE WHEN ? = 'verified' THEN ? ELSE verified_at END \
         WHERE id = ? AND verification IN ({marks})"
    );
    let mut values: Vec<Value> =
        vec![to.into(), reject_reason.map(str::to_string).into(), now.into(), to.into(), now.into(), id.into()];
    values.extend(from.iter().map(|s| Value::from(*s)));
    let done = conn.execute_raw(raw(b, &sql, values)).await?.rows_affected() == 1;
    if done && let Some(c) = find(conn, id).await? {
        announce(conn, &c, ChangeOp::Updated, now).await?;
    }
    Ok(done)
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> StoreResult<Option<CompanyRow>> {
    one(conn, "id = ?", id.into()).await
}

pub async fn find_public(conn: &impl ConnectionTrait, public_id: &str) -> StoreResult<Option<CompanyRow>> {
    if !crate::is_public_id(public_id) {
        return Ok(None);
    }
    one(conn, "public_id = ?", public_id.into()).await
}

async fn one(conn: &impl ConnectionTrait, cond: &str, v: Value) -> StoreResult<Option<CompanyRow>> {
    let b = conn.get_database_backend();
    let sql = format!("SELECT {COLUMNS} FROM companies WHERE {cond}");
    let row = conn.query_one_raw(raw(b, &sql, [v])).await?;
    Ok(row.map(|r| CompanyRow::from_query_result(&r, "")).transpose()?)
}

/// A page of organisations.
pub struct CompanyQuery<'a> {
    pub station_id: i64,
    pub kind: Option<&'a str>,
    pub verification: Option<&'a str>,
    pub industry: Option<&'a str>,
    pub district: Option<&'a str>,
    pub name_contains: Option<&'a str>,
    pub offset: u64,
    pub limit: u64,
}

pub async fn list(conn: &impl ConnectionTrait, q: &CompanyQuery<'_>) -> StoreResult<(u64, Vec<CompanyRow>)> {
    Ok((count_listed(conn, q).await?, page_listed(conn, q).await?))
}

/// How many organisations `q` matches (its offset and limit aside).
pub async fn count_listed(conn: &impl ConnectionTrait, q: &CompanyQuery<'_>) -> StoreResult<u64> {
    let (cond, values) = listed_where(q);
    count(conn, &format!("SELECT COUNT(*) AS n FROM companies WHERE {cond}"), values).await
}

/// The page of organisations `q` asks for, in the directory's order.
pub async fn page_listed(conn: &impl ConnectionTrait, q: &CompanyQuery<'_>) -> StoreResult<Vec<CompanyRow>> {
    let b = conn.get_database_backend();
    let (cond, values) = listed_where(q);
    let sql = format!(
        "SELECT {COLUMNS} FROM companies WHERE {cond} ORDER BY verified_at IS NULL, updated_at DESC, id DESC \
         LIMIT {} OFFSET {}",
        q.limit, q.offset
    );
    let rows = conn.query_all_raw(raw(b, &sql, values)).await?;
    Ok(rows.iter().map(|r| CompanyRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

fn listed_where(q: &CompanyQuery<'_>) -> (String, Vec<Value>) {
    let mut cond = String::from("station_id = ?");
    let mut values: Vec<Value> = vec![q.station_id.into()];
    for (col, v) in
        [("kind", q.kind), ("verification", q.verification), ("industry", q.industry), ("district", q.district)]
    {
        if let Some(v) = v {
            cond.push_str(&format!(" AND {col} = ?"));
            values.push(v.into());
        }
    }
    if let Some(n) = q.name_contains {
        cond.push_str(" AND name LIKE ?");
        values.push(format!("%{}%", escape_like(n)).into());
    }
    (cond, values)
}

/// `%` and `_` in user text match literally (LIKE's escape character is `\` in both engines
/// once declared; we avoid ESCAPE clauses by dropping the wildcards, which no name needs).
/// Control characters go too (PostgreSQL refuses NUL).
pub(crate) fn escape_like(s: &str) -> String {
    s.chars().filter(|c| *c != '%' && *c != '_' && *c != '\\' && !c.is_control()).collect()
}

pub(crate) async fn count(conn: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> StoreResult<u64> {
    let b = conn.get_database_backend();
    let row = conn.query_one_raw(raw(b, sql, values)).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64)
}

/// An account's membership of an organisation.
#[derive(Debug, Clone, FromQueryResult)]
pub struct MemberRow {
    pub id: i64,
    pub company_id: i64,
    pub account_id: i64,
    pub is_primary: bool,
    pub real_name_verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub async fn add_member(
    conn: &impl ConnectionTrait,
    company_id: i64,
    account_id: i64,
    is_primary: bool,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO company_members (company_id, account_id, is_primary, created_at) VALUES (?, ?, ?, ?)",
        [company_id.into(), account_id.into(), is_primary.into(), now.into()],
    ))
    .await
    .map_err(|e| StoreError::from_db(e, &[("account_id", "account")]))?;
    Ok(())
}

pub async fn membership(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<Option<MemberRow>> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "SELECT id, company_id, account_id, is_primary, real_name_verified_at, created_at \
             FROM company_members WHERE account_id = ?",
            [account_id.into()],
        ))
        .await?;
    Ok(row.map(|r| MemberRow::from_query_result(&r, "")).transpose()?)
}

pub async fn members(conn: &impl ConnectionTrait, company_id: i64) -> StoreResult<Vec<MemberRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT id, company_id, account_id, is_primary, real_name_verified_at, created_at \
             FROM company_members WHERE company_id = ? ORDER BY is_primary DESC, id",
            [company_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| MemberRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// Records a passed real-name check (name and ID number sealed; P9).
pub async fn set_real_name(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    account_id: i64,
    name: &str,
    id_number: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    let n = conn
        .execute_raw(raw(
            b,
            "UPDATE company_members SET real_name_sealed = ?, id_number_sealed = ?, real_name_verified_at = ? \
             WHERE account_id = ?",
            [
                Sealed::seal(keys, MEMBER_REAL_NAME, &name.to_string()).into_stored().into(),
                Sealed::seal(keys, MEMBER_ID_NUMBER, &id_number.to_string()).into_stored().into(),
                now.into(),
                account_id.into(),
            ],
        ))
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Verified client companies an agency recruits for.
pub async fn verified_clients(conn: &impl ConnectionTrait, agency_id: i64) -> StoreResult<Vec<i64>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT client_id FROM agency_clients WHERE agency_id = ? AND status = 'verified' ORDER BY client_id",
            [agency_id.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok(r.try_get::<i64>("", "client_id")?)).collect()
}

/// An agency's declaration that it recruits for `client_id`, pending staff verification.
pub async fn declare_client(
    conn: &impl ConnectionTrait,
    agency_id: i64,
    client_id: i64,
    note: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO agency_clients (agency_id, client_id, status, authorization_note, created_at) \
         VALUES (?, ?, 'pending', ?, ?)",
        [agency_id.into(), client_id.into(), note.into(), now.into()],
    ))
    .await
    .map_err(|e| StoreError::from_db(e, &[("client_id", "client"), ("ix_agency_clients_pair", "client")]))?;
    Ok(())
}

/// Staff decision on an agency's client. Compare-and-swap from `pending`.
pub async fn decide_client(
    conn: &impl ConnectionTrait,
    agency_id: i64,
    client_id: i64,
    approve: bool,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let status = if approve { "verified" } else { "rejected" };
    let n = conn
        .execute_raw(raw(
            b,
            "UPDATE agency_clients SET status = ?, reject_reason = ?, decided_at = ? \
             WHERE agency_id = ? AND client_id = ? AND status = 'pending'",
            [status.into(), reason.map(str::to_string).into(), now.into(), agency_id.into(), client_id.into()],
        ))
        .await?
        .rows_affected();
    Ok(n == 1)
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct ClientRow {
    /// The declaration's own id (its authorization documents hang off it).
    pub id: i64,
    pub agency_id: i64,
    pub agency_public_id: String,
    pub agency_name: String,
    pub client_id: i64,
    pub client_public_id: String,
    pub client_name: String,
    pub status: String,
    pub reject_reason: Option<String>,
    pub authorization_note: String,
    pub created_at: DateTime<Utc>,
}

/// Declared clients, of one agency or (None) pending ones of every agency for the review queue.
pub async fn clients(conn: &impl ConnectionTrait, agency_id: Option<i64>) -> StoreResult<Vec<ClientRow>> {
    let b = conn.get_database_backend();
    let (cond, values): (&str, Vec<Value>) = match agency_id {
        Some(id) => ("ac.agency_id = ?", vec![id.into()]),
        None => ("ac.status = 'pending'", vec![]),
    };
    let sql = format!(
        "SELECT ac.id, ac.agency_id, a.public_id AS agency_public_id, a.name AS agency_name, ac.client_id, \
         c.public_id AS client_public_id, c.name AS client_name, ac.status, \
         ac.reject_reason, ac.authorization_note, ac.created_at FROM agency_clients ac \
         JOIN companies a ON a.id = ac.agency_id JOIN companies c ON c.id = ac.client_id WHERE {cond} \
         ORDER BY ac.created_at, ac.id"
    );
    let rows = conn.query_all_raw(raw(b, &sql, values)).await?;
    Ok(rows.iter().map(|r| ClientRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// Keeps what the business registry answered, for the staff reviewing the organisation.
pub async fn set_registry_check(conn: &impl ConnectionTrait, id: i64, check: &serde_json::Value) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "UPDATE companies SET registry_check = ? WHERE id = ?",
        [check.to_string().into(), id.into()],
    ))
    .await?;
    Ok(())
}

/// An open invitation, as the invitee's code is checked against it.
#[derive(Debug, Clone, FromQueryResult)]
pub struct InviteRow {
    pub id: i64,
    pub company_id: i64,
    pub code_hash: String,
    pub wrong_tries: i32,
}

pub async fn add_invite(
    conn: &impl ConnectionTrait,
    company_id: i64,
    phone_blind: &str,
    code_hash: &str,
    invited_by: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO recruiter_invites (company_id, phone_blind, code_hash, invited_by, created_at, expires_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
        [company_id.into(), phone_blind.into(), code_hash.into(), invited_by.into(), now.into(), expires_at.into()],
    ))
    .await?;
    Ok(())
}

/// Invitations an organisation sent since `since` (for its daily cap).
pub async fn invites_since(conn: &impl ConnectionTrait, company_id: i64, since: DateTime<Utc>) -> StoreResult<u64> {
    count(
        conn,
        "SELECT COUNT(*) AS n FROM recruiter_invites WHERE company_id = ? AND created_at >= ?",
        vec![company_id.into(), since.into()],
    )
    .await
}

/// Invitations sent to a phone number (as its blind index) since `since`.
pub async fn invites_to_since(
    conn: &impl ConnectionTrait,
    phone_blind: &str,
    since: DateTime<Utc>,
) -> StoreResult<u64> {
    count(
        conn,
        "SELECT COUNT(*) AS n FROM recruiter_invites WHERE phone_blind = ? AND created_at >= ?",
        vec![phone_blind.into(), since.into()],
    )
    .await
}

/// Open invitations for a phone number, newest first.
pub async fn open_invites(
    conn: &impl ConnectionTrait,
    phone_blind: &str,
    now: DateTime<Utc>,
) -> StoreResult<Vec<InviteRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT id, company_id, code_hash, wrong_tries FROM recruiter_invites \
             WHERE phone_blind = ? AND accepted_at IS NULL AND expires_at > ? AND wrong_tries < 5 ORDER BY id DESC",
            [phone_blind.into(), now.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| InviteRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

pub async fn count_wrong_invite_tries(
    conn: &impl ConnectionTrait,
    phone_blind: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "UPDATE recruiter_invites SET wrong_tries = wrong_tries + 1 \
         WHERE phone_blind = ? AND accepted_at IS NULL AND expires_at > ?",
        [phone_blind.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// Marks an invitation used; false if someone used it first.
pub async fn accept_invite(conn: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let n = conn
        .execute_raw(raw(
            b,
            "UPDATE recruiter_invites SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL",
            [now.into(), id.into()],
        ))
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// The (agency, client) of a declaration, by its id.
pub async fn client_relation(conn: &impl ConnectionTrait, id: i64) -> StoreResult<Option<(i64, i64, String)>> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(b, "SELECT agency_id, client_id, status FROM agency_clients WHERE id = ?", [id.into()]))
        .await?;
    row.map(|r| Ok((r.try_get("", "agency_id")?, r.try_get("", "client_id")?, r.try_get("", "status")?))).transpose()
}
