//! The calls the app makes to payOS's merchant API (`https://api-merchant.payos.vn`): a payment
//! link per order, its payment information for reconciling, its cancellation, and a harmless
//! read that tells whether a vendor's keys are right.
//!
//! Every answer is `{"code", "desc", "data", "signature"}` with `code` `"00"` on success. payOS
//! says keys are wrong with HTTP 401 or code `401`, and an unknown link with code `101`; any
//! other code is a refusal whose `desc` says why. A signed `data` is believed only when its
//! signature checks out under the stall's checksum key.
use super::{NoticeError, payos};
use app::domain::bank::BankAccount;
use app::domain::bank_notice::BankCredit;
use app::domain::money::Dong;
use app::ports::{BankApiError, PaymentLink, PaymentLinkRequest};
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// payOS's keys, as one stall gave them.
pub struct PayOsKeys<'a> {
    pub client_id: &'a str,
    pub api_key: &'a str,
    pub checksum_key: &'a str,
}

/// payOS's answer to every call.
#[derive(Deserialize)]
struct Answer {
    code: String,
    #[serde(default)]
    desc: String,
    #[serde(default)]
    data: Option<Value>,
    #[serde(default)]
    signature: Option<String>,
}

/// What payOS answered, read: its `data` on success, else why not.
enum Outcome {
    Data(Map<String, Value>),
    NotFound,
    Duplicate,
}

/// An `orderCode` that can't be ours (ours are a year and a sequence): asking for it answers
/// "no such link" with good keys and "unauthorised" with wrong ones.
const NO_SUCH_ORDER: &str = "1";

/// The created link's `data`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Created {
    payment_link_id: String,
    amount: i64,
    description: String,
    #[serde(default)]
    checkout_url: Option<String>,
    #[serde(default)]
    qr_code: Option<String>,
    #[serde(default)]
    bin: Option<String>,
    #[serde(default)]
    account_number: Option<String>,
    #[serde(default)]
    account_name: Option<String>,
}

/// A link's payment information (`GET /v2/payment-requests/{id}`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Information {
    id: String,
    order_code: i64,
    amount: i64,
    #[serde(default)]
    transactions: Vec<Transaction>,
}

/// One payment into a link, as `transactions[]` lists it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Transaction {
    reference: String,
    amount: i64,
    #[serde(default)]
    description: String,
    transaction_date_time: String,
}

pub struct PayOsApi<'a> {
    pub http: &'a reqwest::Client,
    pub base: &'a str,
    pub keys: PayOsKeys<'a>,
}

impl PayOsApi<'_> {
    async fn call(&self, request: reqwest::RequestBuilder) -> Result<Outcome, BankApiError> {
        let answer = request
            .header("x-client-id", self.keys.client_id)
            .header("x-api-key", self.keys.api_key)
            .send()
            .await
            .map_err(|e| BankApiError::Unreachable(super::api::reason(&e)))?;
        let status = answer.status();
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Err(BankApiError::KeysRefused);
        }
        if status.is_server_error() {
            return Err(BankApiError::Unreachable(format!(
                "payOS answered {status}"
            )));
        }
        let answer: Answer = answer
            .json()
            .await
            .map_err(|e| BankApiError::Unreachable(format!("payOS's answer: {e}")))?;
        read(answer, self.keys.checksum_key)
    }

    fn url(&self, path: &str) -> String {
        format!(
            "{}/v2/payment-requests{path}",
            self.base.trim_end_matches('/')
        )
    }

    /// Whether payOS takes the keys: a read of a link that can't exist.
    pub async fn check(&self) -> Result<(), BankApiError> {
        let url = self.url(&format!("/{NO_SUCH_ORDER}"));
        self.call(self.http.get(url)).await.map(|_| ())
    }

    /// Makes the order's payment link, or finds the one payOS already has for it.
    pub async fn payment_link(
        &self,
        request: &PaymentLinkRequest,
    ) -> Result<PaymentLink, BankApiError> {
        let order_code = payos::payos_order_code(&request.order_code).ok_or_else(|| {
            BankApiError::Refused(format!("{} is not an order code", request.order_code))
        })?;
        let description = payos::description(&request.order_code);
        let amount = request.amount.amount();
        let page = &request.order_page;
        let signature = payos::request_signature(
            self.keys.checksum_key,
            amount,
            page,
            &description,
            order_code,
            page,
        );
        let body = json!({
            "orderCode": order_code,
            "amount": amount,
            "description": description,
            "cancelUrl": page,
            "returnUrl": page,
            "expiredAt": request.expires_at.timestamp(),
            "signature": signature,
        });
        match self.call(self.http.post(self.url("")).json(&body)).await? {
            Outcome::Data(data) => created(data),
            Outcome::Duplicate => self.existing(order_code, description).await,
            Outcome::NotFound => Err(BankApiError::Refused("payOS answered \"not found\"".into())),
        }
    }

    /// The link payOS already made for `order_code`: its page and QR are not told again.
    async fn existing(
        &self,
        order_code: i64,
        description: String,
    ) -> Result<PaymentLink, BankApiError> {
        let info = self
            .information(order_code)
            .await?
            .ok_or_else(|| BankApiError::Refused("payOS refused a link it does not have".into()))?;
        Ok(PaymentLink {
            id: info.id,
            checkout_url: None,
            qr_code: None,
            account: None,
            description,
            amount: Dong::new(info.amount),
        })
    }

    async fn information(&self, order_code: i64) -> Result<Option<Information>, BankApiError> {
        match self
            .call(self.http.get(self.url(&format!("/{order_code}"))))
            .await?
        {
            Outcome::Data(data) => serde_json::from_value(Value::Object(data))
                .map(Some)
                .map_err(|e| BankApiError::Refused(format!("payOS's payment information: {e}"))),
            Outcome::NotFound => Ok(None),
            Outcome::Duplicate => Err(BankApiError::Refused("payOS answered \"duplicate\"".into())),
        }
    }

    /// Every payment into the order's link, as its webhook would report each.
    pub async fn order_credits(&self, order_code: &str) -> Result<Vec<BankCredit>, BankApiError> {
        let Some(number) = payos::payos_order_code(order_code) else {
            return Ok(Vec::new());
        };
        let Some(info) = self.information(number).await? else {
            return Ok(Vec::new());
        };
        credits(&info)
    }

    /// Cancels link `id`; one already paid, cancelled or expired stays as it is.
    pub async fn cancel(&self, id: &str) -> Result<(), BankApiError> {
        let url = self.url(&format!("/{id}/cancel"));
        let body = json!({ "cancellationReason": "Đơn hàng đã hết hạn hoặc bị huỷ" });
        match self.call(self.http.post(url).json(&body)).await {
            Ok(_) | Err(BankApiError::Refused(_)) => Ok(()),
            Err(error) => Err(error),
        }
    }
}

/// Reads an answer: `data` on `"00"` (its signature checked when it has one).
fn read(answer: Answer, checksum_key: &str) -> Result<Outcome, BankApiError> {
    match answer.code.as_str() {
        "00" => {}
        "401" => return Err(BankApiError::KeysRefused),
        "101" => return Ok(Outcome::NotFound),
        "231" => return Ok(Outcome::Duplicate),
        code => {
            return Err(BankApiError::Refused(format!(
                "payOS code {code}: {}",
                answer.desc
            )));
        }
    }
    let Some(Value::Object(data)) = answer.data else {
        return Err(BankApiError::Refused("payOS answered without data".into()));
    };
    if let Some(signature) = &answer.signature {
        let expected = payos::data_signature(checksum_key, &data);
        if !expected.eq_ignore_ascii_case(signature.trim()) {
            return Err(BankApiError::Refused(NoticeError::BadSignature.to_string()));
        }
    }
    Ok(Outcome::Data(data))
}

fn created(data: Map<String, Value>) -> Result<PaymentLink, BankApiError> {
    let created: Created = serde_json::from_value(Value::Object(data))
        .map_err(|e| BankApiError::Refused(format!("payOS's new link: {e}")))?;
    let account = match (created.bin, created.account_number, created.account_name) {
        (Some(bin), Some(number), Some(holder)) => Some(BankAccount {
            bin,
            number,
            holder,
        }),
        _ => None,
    };
    Ok(PaymentLink {
        id: created.payment_link_id,
        checkout_url: created.checkout_url.filter(|url| !url.is_empty()),
        qr_code: created.qr_code.filter(|qr| !qr.is_empty()),
        account,
        description: created.description,
        amount: Dong::new(created.amount),
    })
}

/// The credits of a link's payments: exactly those its webhook reports.
fn credits(info: &Information) -> Result<Vec<BankCredit>, BankApiError> {
    info.transactions
        .iter()
        .filter(|t| t.amount > 0)
        .map(|t| {
            payos::credit(
                info.order_code,
                &t.reference,
                t.amount,
                &t.description,
                &t.transaction_date_time,
            )
            .map_err(|e| BankApiError::Refused(e.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "checksum";

    fn answer(value: Value) -> Answer {
        serde_json::from_value(value).unwrap()
    }

    fn signed(data: Value) -> Answer {
        let Value::Object(map) = data.clone() else {
            unreachable!()
        };
        let signature = payos::data_signature(KEY, &map);
        answer(json!({"code": "00", "desc": "success", "data": data, "signature": signature}))
    }

    #[test]
    fn payos_codes_read_as_what_they_mean() {
        let refused = |code: &str| {
            read(
                answer(json!({"code": code, "desc": "x", "data": null})),
                KEY,
            )
        };
        assert!(matches!(refused("401"), Err(BankApiError::KeysRefused)));
        assert!(matches!(refused("101"), Ok(Outcome::NotFound)));
        assert!(matches!(refused("231"), Ok(Outcome::Duplicate)));
        assert!(matches!(refused("20"), Err(BankApiError::Refused(_))));
    }

    #[test]
    fn signed_data_is_believed_only_when_its_signature_matches() {
        assert!(matches!(
            read(signed(json!({"amount": 45000})), KEY),
            Ok(Outcome::Data(_))
        ));
        let mut forged = signed(json!({"amount": 45000}));
        forged.data = Some(json!({"amount": 4500000}));
        assert!(matches!(read(forged, KEY), Err(BankApiError::Refused(_))));
    }

    #[test]
    fn a_links_payments_are_credited_as_their_webhook_credits_them() {
        let info: Information = serde_json::from_value(json!({
            "id": "abc", "orderCode": 2026000123, "amount": 45000, "amountPaid": 45000,
            "status": "PAID",
            "transactions": [
                {"reference": "FT26338000001", "amount": 45000, "accountNumber": "0011001234567",
                 "description": "DH000123", "transactionDateTime": "2026-12-04 09:30:00",
                 "counterAccountName": null}
            ]
        }))
        .unwrap();
        let from_list = credits(&info).unwrap();
        let webhook = payos::PayOsNotice {
            order_code: 2026000123,
            amount: 45000,
            description: "DH000123".into(),
            account_number: None,
            reference: "FT26338000001".into(),
            transaction_date_time: "2026-12-04 09:30:00".into(),
            currency: None,
            payment_link_id: "abc".into(),
            code: "00".into(),
            desc: None,
            counter_account_bank_name: None,
            counter_account_name: None,
            counter_account_number: None,
        };
        assert_eq!(from_list, vec![webhook.credit().unwrap()]);
        assert_eq!(from_list[0].order_code.as_deref(), Some("DH2026000123"));
    }

    #[test]
    fn a_new_link_keeps_its_page_qr_and_account() {
        let link = created(
            match json!({
                "bin": "970436", "accountNumber": "0011001234567", "accountName": "CHO SO",
                "amount": 45000, "description": "DH000123", "orderCode": 2026000123,
                "currency": "VND", "paymentLinkId": "abc", "status": "PENDING",
                "checkoutUrl": "https://pay.payos.vn/web/abc", "qrCode": "000201…"
            }) {
                Value::Object(map) => map,
                _ => unreachable!(),
            },
        )
        .unwrap();
        assert_eq!(link.id, "abc");
        assert_eq!(
            link.checkout_url.as_deref(),
            Some("https://pay.payos.vn/web/abc")
        );
        assert_eq!(link.qr_code.as_deref(), Some("000201…"));
        assert_eq!(link.account.unwrap().number, "0011001234567");
        assert_eq!(link.amount, Dong::new(45_000));
    }
}
