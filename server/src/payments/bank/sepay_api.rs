//! The calls the app makes to SePay's user API (`https://my.sepay.vn/userapi/…`) with a
//! stall's API token: its transactions list, read to catch a transfer whose webhook was lost,
//! and, with `limit=1`, to tell whether the token is right.
//!
//! SePay writes ids and amounts as text (`"45000.00"`); a wrong token is HTTP 401.
use super::sepay;
use app::domain::bank_notice::BankCredit;
use app::ports::BankApiError;
use chrono::{DateTime, FixedOffset, Utc};
use serde::Deserialize;

/// The most transactions one read asks for (SePay's own largest page).
const PAGE: usize = 5000;

#[derive(Deserialize)]
struct List {
    #[serde(default)]
    transactions: Vec<Row>,
}

/// One transaction as SePay lists it.
#[derive(Deserialize)]
struct Row {
    id: String,
    transaction_date: String,
    #[serde(default)]
    amount_in: Option<String>,
    #[serde(default)]
    transaction_content: Option<String>,
    #[serde(default)]
    code: Option<String>,
}

pub struct SePayApi<'a> {
    pub http: &'a reqwest::Client,
    pub base: &'a str,
    pub token: &'a str,
}

impl SePayApi<'_> {
    async fn list(&self, query: &[(&str, String)]) -> Result<List, BankApiError> {
        let url = format!(
            "{}/userapi/transactions/list",
            self.base.trim_end_matches('/')
        );
        let answer = self
            .http
            .get(url)
            .query(query)
            .bearer_auth(self.token)
            .send()
            .await
            .map_err(|e| BankApiError::Unreachable(super::api::reason(&e)))?;
        let status = answer.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Err(BankApiError::KeysRefused);
        }
        if !status.is_success() {
            return Err(BankApiError::Unreachable(format!(
                "SePay answered {status}"
            )));
        }
        answer
            .json()
            .await
            .map_err(|e| BankApiError::Unreachable(format!("SePay's answer: {e}")))
    }

    /// Whether SePay takes the token: a list of one transaction.
    pub async fn check(&self) -> Result<(), BankApiError> {
        self.list(&[("limit", "1".into())]).await.map(|_| ())
    }

    /// Every incoming transfer booked since `since`, as its webhook would report each.
    pub async fn credits_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<BankCredit>, BankApiError> {
        let query = [
            ("transaction_date_min", vietnam_time(since)),
            ("limit", PAGE.to_string()),
        ];
        credits(&self.list(&query).await?)
    }
}

/// A time as SePay's filters take it: `Y-m-d H:i:s`, Vietnam time.
fn vietnam_time(time: DateTime<Utc>) -> String {
    let vietnam = FixedOffset::east_opt(7 * 3600).expect("+07:00 is a valid offset");
    time.with_timezone(&vietnam)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// Whole đồng from SePay's `"45000.00"`; `None` for anything else (a fraction of a đồng
/// is no Vietnamese transfer).
fn whole_dong(text: &str) -> Option<i64> {
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    if !fraction.chars().all(|c| c == '0') {
        return None;
    }
    whole.parse().ok()
}

/// The credits of the incoming transfers listed: money out pays no order.
fn credits(list: &List) -> Result<Vec<BankCredit>, BankApiError> {
    let mut credits = Vec::new();
    for row in &list.transactions {
        let amount = row
            .amount_in
            .as_deref()
            .map_or(Some(0), whole_dong)
            .ok_or_else(|| {
                BankApiError::Refused(format!("SePay transaction {}: amount_in", row.id))
            })?;
        if amount <= 0 {
            continue;
        }
        let credit = sepay::credit(&sepay::Transaction {
            id: row.id.clone(),
            amount,
            content: row.transaction_content.as_deref(),
            description: None,
            code: row.code.as_deref(),
            date: &row.transaction_date,
        })
        .map_err(|e| BankApiError::Refused(e.to_string()))?;
        credits.push(credit);
    }
    Ok(credits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn amounts_are_read_as_whole_dong() {
        assert_eq!(whole_dong("45000.00"), Some(45_000));
        assert_eq!(whole_dong("45000"), Some(45_000));
        assert_eq!(whole_dong("0.00"), Some(0));
        assert_eq!(whole_dong("45000.50"), None);
        assert_eq!(whole_dong("abc"), None);
    }

    #[test]
    fn a_listed_transfer_is_credited_as_its_webhook_credits_it() {
        let list: List = serde_json::from_str(r#"{"status":200,"error":null,"messages":{"success":true},"transactions":[
            {"id":"92704","bank_brand_name":"Vietcombank","account_number":"0123499999","transaction_date":"2026-12-04 23:30:15","amount_out":"0.00","amount_in":"45000.00","accumulated":"19077000.00","transaction_content":"DH2026000123 Tra Shan tuyet","reference_number":"MBVCB.3278907687","code":"DH2026000123","sub_account":null,"bank_account_id":"19"},
            {"id":"92705","bank_brand_name":"Vietcombank","account_number":"0123499999","transaction_date":"2026-12-04 23:31:00","amount_out":"20000.00","amount_in":"0.00","accumulated":"19057000.00","transaction_content":"rut tien","reference_number":"MBVCB.1","code":null,"sub_account":null,"bank_account_id":"19"}
        ]}"#).unwrap();
        let webhook = br#"{"id":92704,"gateway":"Vietcombank","transactionDate":"2026-12-04 23:30:15","accountNumber":"0123499999","subAccount":null,"code":"DH2026000123","content":"DH2026000123 Tra Shan tuyet","transferType":"in","transferAmount":45000,"accumulated":19077000,"referenceCode":"MBVCB.3278907687","description":"MBVCB.3278907687.DH2026000123 Tra Shan tuyet"}"#;
        let (timestamp, signature) = sepay::signed_headers("secret", webhook, 1_764_866_100);
        let notice = sepay::verify_webhook(
            "secret",
            Some(&timestamp),
            Some(&signature),
            webhook,
            1_764_866_100,
        )
        .unwrap();
        assert_eq!(
            credits(&list).unwrap(),
            vec![notice.credit().unwrap().unwrap()]
        );
    }

    #[test]
    fn the_window_is_written_in_vietnam_time() {
        let at = Utc.with_ymd_and_hms(2026, 12, 4, 16, 30, 15).unwrap();
        assert_eq!(vietnam_time(at), "2026-12-04 23:30:15");
    }
}
