//! The card-payment adapter: hosted Stripe Checkout through async-stripe.
//!
//! The platform is the merchant of record (Stripe does not onboard Vietnamese merchants), so a
//! checkout is one Checkout Session on the platform's account, in `vnd`, and the shopper is
//! redirected to its `url`; no Stripe.js runs on the storefront.
//!
//! VND is a zero-decimal currency: `unit_amount: 150000` charges 150,000 ₫. Amounts go to
//! Stripe exactly as the app holds them, in whole đồng, and are never multiplied by 100.
use app::domain::id::OrderId;
use std::collections::HashMap;
use std::time::Duration;

use ::stripe::{ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use secrecy::{ExposeSecret, SecretString};
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    CreateCheckoutSessionPaymentIntentData, ExpireCheckoutSession, ProductData,
    RetrieveCheckoutSession,
};
use stripe_core::refund::CreateRefund;
use stripe_shared::{CheckoutSessionMode, CheckoutSessionPaymentStatus, CheckoutSessionStatus};
use stripe_types::Currency;

/// Stripe's ceiling for one charge in VND: eight digits.
pub const MAX_CHECKOUT_DONG: i64 = 99_999_999;

/// How long one request to Stripe may take before the shopper is told it is unreachable.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// The metadata key that carries our checkout id on Stripe's objects.
pub const CHECKOUT_ID_METADATA: &str = "checkout_id";

/// The metadata key that names the orders a Checkout Session charges, as `12,13`: a payment
/// arriving for a session the app has since replaced still says what it paid for.
pub const ORDER_IDS_METADATA: &str = "order_ids";

/// Stripe credentials and where to reach it. The keys are secrets: `Debug` shows neither.
#[derive(Clone, Debug)]
pub struct StripeSettings {
    /// `sk_test_…` (or, deliberately allowed, `sk_live_…`); restricted `rk_…` keys work too.
    pub secret_key: SecretString,
    /// `whsec_…`: the signing secret of the webhook endpoint.
    pub webhook_secret: SecretString,
    /// Another API address than `https://api.stripe.com/`, e.g. the test double's.
    pub api_base: Option<String>,
    /// Accept a live key. Off unless `STRIPE_ALLOW_LIVE_KEY=1`, so a copied production key
    /// cannot take real money from a test or demo machine.
    pub allow_live: bool,
}

/// The Stripe settings that may be given on the command line. The keys are secrets, read from
/// the environment alone (`config::Secrets`).
#[derive(clap::Args, Clone, Debug)]
pub struct StripeArgs {
    /// Another address for Stripe's API (a stand-in's, say) [default: Stripe's]
    #[arg(long = "stripe-api-base", env = "STRIPE_API_BASE", value_name = "URL")]
    pub api_base: Option<String>,
    /// 1 accepts a live key (sk_live_…), which is refused otherwise
    #[arg(
        long = "stripe-allow-live-key",
        env = "STRIPE_ALLOW_LIVE_KEY",
        value_name = "1",
        action = clap::ArgAction::Set,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "1",
        default_value = "0",
        value_parser = crate::config::values::only_one,
    )]
    pub allow_live: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("{0} is not set")]
    Missing(&'static str),
    #[error(
        "STRIPE_SECRET_KEY is a live key; live payments are refused unless STRIPE_ALLOW_LIVE_KEY=1"
    )]
    LiveKeyRefused,
    #[error("STRIPE_SECRET_KEY does not look like a Stripe secret key (sk_test_… or sk_live_…)")]
    NotASecretKey,
    #[error("{0}")]
    Invalid(String),
}

impl StripeSettings {
    /// The settings from the keys and the command line or environment. `Ok(None)` when no
    /// secret key is set (or it is blank): card payments are off.
    pub fn resolve(
        secret_key: Option<SecretString>,
        webhook_secret: Option<SecretString>,
        args: StripeArgs,
    ) -> Result<Option<Self>, SettingsError> {
        let set = |value: Option<SecretString>| {
            value
                .map(|v| v.expose_secret().trim().to_owned())
                .filter(|v| !v.is_empty())
                .map(SecretString::from)
        };
        let Some(secret_key) = set(secret_key) else {
            return Ok(None);
        };
        let settings = StripeSettings {
            secret_key,
            webhook_secret: set(webhook_secret)
                .ok_or(SettingsError::Missing("STRIPE_WEBHOOK_SECRET"))?,
            api_base: args
                .api_base
                .map(|base| base.trim().to_owned())
                .filter(|base| !base.is_empty()),
            allow_live: args.allow_live,
        };
        settings.check()?;
        Ok(Some(settings))
    }

    /// Refuses a live key unless allowed, and anything that is not a secret key at all.
    pub fn check(&self) -> Result<(), SettingsError> {
        let key = self.secret_key.expose_secret();
        if key.starts_with("sk_live_") || key.starts_with("rk_live_") {
            if self.allow_live {
                Ok(())
            } else {
                Err(SettingsError::LiveKeyRefused)
            }
        } else if key.starts_with("sk_test_") || key.starts_with("rk_test_") {
            Ok(())
        } else {
            Err(SettingsError::NotASecretKey)
        }
    }

    /// True for a test-mode key: what the app may show as "test payments" in its interface.
    pub fn is_test_mode(&self) -> bool {
        let key = self.secret_key.expose_secret();
        !(key.starts_with("sk_live_") || key.starts_with("rk_live_"))
    }
}

/// Why a call to Stripe failed, in the two ways the app must treat differently.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    /// Network failure, timeout, rate limit or a 5xx: the outcome is unknown. The shopper is
    /// told Stripe is unreachable and the order stays payable; repeating the same attempt (same
    /// idempotency key) is safe and never charges twice.
    #[error("Stripe is unreachable: {0}")]
    Unreachable(String),
    /// Stripe refused the request (4xx): repeating it unchanged will fail again.
    #[error("Stripe refused the request: {0}")]
    Rejected(String),
}

/// One line of a checkout, as Stripe will show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutLine {
    pub name: String,
    /// Whole đồng, never ×100: VND is zero-decimal.
    pub unit_amount_dong: i64,
    pub quantity: u64,
}

/// One attempt to pay a checkout by card.
///
/// Quantities: ours may be fractional (goods by weight, in 0.1 kg steps) but Stripe's line
/// quantities are whole numbers, so the caller sends ONE line per product with `quantity: 1`
/// and `unit_amount_dong` = that line's total (e.g. "Thịt trâu gác bếp — 0,5 kg", 450.000 ₫).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutRequest {
    /// Our checkout (order) id: Stripe's `client_reference_id`, `metadata[checkout_id]` and the
    /// base of the idempotency key, so a webhook leads back to the order.
    pub checkout_id: String,
    /// Starts at 1; the caller takes the next number for a new session after the previous one
    /// expired or the cart changed, and repeats the same number when retrying after
    /// [`PaymentError::Unreachable`], which returns the session already made instead of a new one.
    pub attempt: u32,
    /// Our orders the session charges (`metadata[order_ids]`).
    pub order_ids: Vec<OrderId>,
    pub lines: Vec<CheckoutLine>,
    /// Where Stripe sends the shopper after paying; `{CHECKOUT_SESSION_ID}` is replaced by Stripe.
    pub success_url: String,
    /// Where Stripe sends the shopper who goes back without paying.
    pub cancel_url: String,
    /// Unix seconds, 30 minutes to 24 hours ahead (Stripe's range); Stripe's default is 24 hours.
    pub expires_at: Option<i64>,
}

impl CheckoutRequest {
    /// The key Stripe uses to recognise a repeated request: one per checkout attempt.
    pub fn idempotency_key(&self) -> String {
        format!("checkout-{}-attempt-{}", self.checkout_id, self.attempt)
    }

    /// The whole-đồng total, or why Stripe would refuse it (checked here to spare a round trip).
    pub fn total_dong(&self) -> Result<i64, PaymentError> {
        if self.lines.is_empty() {
            return Err(PaymentError::Rejected(
                "a checkout needs at least one line".into(),
            ));
        }
        let total = self.lines.iter().try_fold(0i64, |total, line| {
            let quantity = i64::try_from(line.quantity).ok().filter(|q| *q > 0)?;
            (line.unit_amount_dong >= 0).then_some(())?;
            total.checked_add(line.unit_amount_dong.checked_mul(quantity)?)
        });
        match total {
            Some(total) if total <= MAX_CHECKOUT_DONG => Ok(total),
            Some(total) => Err(PaymentError::Rejected(format!(
                "{total} ₫ is above Stripe's maximum of {MAX_CHECKOUT_DONG} ₫ for one charge"
            ))),
            None => Err(PaymentError::Rejected(
                "every line needs a quantity of at least 1 and an amount of at least 0".into(),
            )),
        }
    }
}

/// What the app needs of a Checkout Session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutSession {
    /// `cs_test_…` / `cs_live_…`.
    pub id: String,
    /// The hosted payment page; Stripe clears it once the session is complete or expired.
    pub url: Option<String>,
    /// Set once the shopper has paid (Stripe creates the PaymentIntent at confirmation).
    pub payment_intent: Option<String>,
    pub status: SessionStatus,
    /// True when Stripe holds the money (`payment_status` `paid`).
    pub paid: bool,
    /// Whole đồng.
    pub amount_total: Option<i64>,
    /// Lowercase ISO code: `vnd`.
    pub currency: Option<String>,
    /// Our checkout id, as sent.
    pub client_reference_id: Option<String>,
    /// The orders it charges, as sent (`None` for a session that names none).
    pub order_ids: Option<Vec<OrderId>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    Open,
    Complete,
    Expired,
    /// A status this code does not know yet; treat as not paid.
    Unknown,
}

impl From<stripe_shared::CheckoutSession> for CheckoutSession {
    fn from(session: stripe_shared::CheckoutSession) -> Self {
        CheckoutSession {
            id: session.id.to_string(),
            url: session.url,
            payment_intent: session.payment_intent.map(|pi| pi.id().to_string()),
            status: match session.status {
                Some(CheckoutSessionStatus::Open) => SessionStatus::Open,
                Some(CheckoutSessionStatus::Complete) => SessionStatus::Complete,
                Some(CheckoutSessionStatus::Expired) => SessionStatus::Expired,
                _ => SessionStatus::Unknown,
            },
            paid: session.payment_status == CheckoutSessionPaymentStatus::Paid,
            amount_total: session.amount_total,
            currency: session.currency.map(|c| c.to_string()),
            order_ids: session
                .metadata
                .as_ref()
                .and_then(|metadata| metadata.get(ORDER_IDS_METADATA))
                .and_then(|ids| parse_order_ids(ids)),
            client_reference_id: session.client_reference_id,
        }
    }
}

/// `12,13` as order ids; `None` unless every part is one.
fn parse_order_ids(text: &str) -> Option<Vec<OrderId>> {
    text.split(',').map(|id| id.trim().parse().ok()).collect()
}

fn order_ids_text(ids: &[OrderId]) -> String {
    ids.iter()
        .map(OrderId::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A refund as Stripe accepted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    /// `re_…`.
    pub id: String,
    /// Whole đồng.
    pub amount: i64,
    /// `succeeded`, `pending`, `failed`, … (card refunds in test mode succeed at once).
    pub status: Option<String>,
}

/// Talks to Stripe (or anything that speaks its API, such as the test double).
#[derive(Clone, Debug)]
pub struct StripeGateway {
    client: ::stripe::Client,
}

impl StripeGateway {
    /// Checks the settings again (a live key stays refused however they were built).
    pub fn new(settings: &StripeSettings) -> Result<Self, SettingsError> {
        settings.check()?;
        let mut builder = ClientBuilder::new(settings.secret_key.expose_secret())
            .timeout(REQUEST_TIMEOUT)
            .app_info("choso", Some(env!("CARGO_PKG_VERSION").to_owned()), None);
        if let Some(base) = &settings.api_base {
            // async-stripe appends `v1/…` to the base as written, so it must end in a slash.
            let base = format!("{}/", base.trim_end_matches('/'));
            builder = builder.url(base);
        }
        let client = builder
            .build()
            .map_err(|e| SettingsError::Invalid(e.to_string()))?;
        Ok(StripeGateway { client })
    }

    /// Creates the Checkout Session for one attempt; the same attempt again returns the same
    /// session (Stripe's idempotency), so a retry after [`PaymentError::Unreachable`] is safe.
    pub async fn create_checkout(
        &self,
        req: CheckoutRequest,
    ) -> Result<CheckoutSession, PaymentError> {
        req.total_dong()?;
        let key = idempotency_key(&req.idempotency_key())?;
        let metadata = HashMap::from([
            (CHECKOUT_ID_METADATA.to_owned(), req.checkout_id.clone()),
            (
                ORDER_IDS_METADATA.to_owned(),
                order_ids_text(&req.order_ids),
            ),
        ]);
        let line_items: Vec<_> = req.lines.into_iter().map(line_item).collect();
        let mut payment_intent_data = CreateCheckoutSessionPaymentIntentData::new();
        payment_intent_data.metadata = Some(metadata.clone());
        let mut create = CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .currency(Currency::VND)
            .line_items(line_items)
            .client_reference_id(req.checkout_id)
            .metadata(metadata)
            .payment_intent_data(payment_intent_data)
            .success_url(req.success_url)
            .cancel_url(req.cancel_url);
        if let Some(expires_at) = req.expires_at {
            create = create.expires_at(expires_at);
        }
        let session = create
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key))
            .send(&self.client)
            .await
            .map_err(classify)?;
        Ok(session.into())
    }

    /// The session as Stripe has it now: to settle an order whose webhook is late.
    pub async fn retrieve_checkout(&self, id: &str) -> Result<CheckoutSession, PaymentError> {
        let session = RetrieveCheckoutSession::new(id)
            .send(&self.client)
            .await
            .map_err(classify)?;
        Ok(session.into())
    }

    /// Expires an open session: its page stops taking payments, and Stripe sends
    /// `checkout.session.expired`. Stripe refuses a session that is no longer open.
    pub async fn expire_checkout(&self, id: &str) -> Result<CheckoutSession, PaymentError> {
        let session = ExpireCheckoutSession::new(id)
            .send(&self.client)
            .await
            .map_err(classify)?;
        Ok(session.into())
    }

    /// Refunds `amount` đồng (everything left when `None`) of a paid checkout's PaymentIntent.
    /// One `idempotency_key` per refund decision, so repeating it never refunds twice.
    pub async fn refund(
        &self,
        payment_intent: &str,
        amount: Option<i64>,
        idempotency_key_text: &str,
    ) -> Result<Refund, PaymentError> {
        let key = idempotency_key(idempotency_key_text)?;
        let mut create = CreateRefund::new().payment_intent(payment_intent);
        if let Some(amount) = amount {
            create = create.amount(amount);
        }
        let refund = create
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key))
            .send(&self.client)
            .await
            .map_err(classify)?;
        Ok(Refund {
            id: refund.id.to_string(),
            amount: refund.amount,
            status: refund.status,
        })
    }
}

fn line_item(line: CheckoutLine) -> CreateCheckoutSessionLineItems {
    let mut price_data = CreateCheckoutSessionLineItemsPriceData::new(Currency::VND);
    price_data.unit_amount = Some(line.unit_amount_dong);
    price_data.product_data = Some(ProductData::new(line.name));
    let mut item = CreateCheckoutSessionLineItems::new();
    item.price_data = Some(price_data);
    item.quantity = Some(line.quantity);
    item
}

fn idempotency_key(text: &str) -> Result<IdempotencyKey, PaymentError> {
    IdempotencyKey::new(text).map_err(|e| PaymentError::Rejected(e.to_string()))
}

/// Sorts async-stripe's errors into "try again later" and "this will not work".
fn classify(error: StripeError) -> PaymentError {
    match error {
        StripeError::Stripe(api_error, status) => {
            let message = api_error
                .message
                .clone()
                .unwrap_or_else(|| api_error.type_.as_str().to_owned());
            // 409: the same key is still being processed; 429: rate limited. Both pass.
            if status >= 500 || status == 409 || status == 429 {
                PaymentError::Unreachable(format!("HTTP {status}: {message}"))
            } else {
                PaymentError::Rejected(message)
            }
        }
        // A body that does not parse may follow a request that did succeed, so the outcome is
        // unknown: repeating the same attempt is the safe answer.
        StripeError::JSONDeserialize(detail) => PaymentError::Unreachable(detail),
        StripeError::ClientError(detail) => PaymentError::Unreachable(detail),
        StripeError::Timeout => PaymentError::Unreachable("no answer in time".into()),
        StripeError::ConfigError(detail) => PaymentError::Rejected(detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resolves as the server does, from these keys and command-line words, with no
    /// environment at all.
    fn resolve(
        key: Option<&str>,
        webhook_secret: Option<&str>,
        words: &[&str],
    ) -> Result<Option<StripeSettings>, SettingsError> {
        let args = crate::config::args_alone::<StripeArgs>(words.iter().copied()).unwrap();
        StripeSettings::resolve(
            key.map(SecretString::from),
            webhook_secret.map(SecretString::from),
            args,
        )
    }

    #[test]
    fn no_secret_key_means_card_payments_are_off() {
        assert_eq!(resolve(None, None, &[]).unwrap().map(|_| ()), None);
        assert_eq!(
            resolve(Some("  "), Some("whsec_abc"), &[])
                .unwrap()
                .map(|_| ()),
            None,
            "a blank key is no key"
        );
    }

    #[test]
    fn a_test_key_is_read_with_its_webhook_secret() {
        let settings = resolve(
            Some("sk_test_abc "),
            Some("whsec_abc"),
            &["--stripe-api-base", "http://127.0.0.1:12111"],
        )
        .unwrap()
        .unwrap();
        assert_eq!(settings.secret_key.expose_secret(), "sk_test_abc");
        assert_eq!(settings.webhook_secret.expose_secret(), "whsec_abc");
        assert_eq!(settings.api_base.as_deref(), Some("http://127.0.0.1:12111"));
        assert!(!settings.allow_live);
        assert!(settings.is_test_mode());
        let debug = format!("{settings:?}");
        assert!(!debug.contains("sk_test_abc") && !debug.contains("whsec_abc"));
    }

    #[test]
    fn a_live_key_needs_the_deliberate_setting() {
        assert_eq!(
            resolve(Some("sk_live_abc"), Some("whsec_abc"), &[]).unwrap_err(),
            SettingsError::LiveKeyRefused
        );
        assert_eq!(
            resolve(
                Some("sk_live_abc"),
                Some("whsec_abc"),
                &["--stripe-allow-live-key=true"]
            )
            .unwrap_err(),
            SettingsError::LiveKeyRefused,
            "only 1 allows it"
        );
        for allowed in [
            &["--stripe-allow-live-key"][..],
            &["--stripe-allow-live-key=1"],
        ] {
            assert!(
                resolve(Some("sk_live_abc"), Some("whsec_abc"), allowed)
                    .unwrap()
                    .is_some()
            );
        }
    }

    #[test]
    fn a_missing_webhook_secret_or_a_publishable_key_is_refused() {
        assert_eq!(
            resolve(Some("sk_test_abc"), None, &[]).unwrap_err(),
            SettingsError::Missing("STRIPE_WEBHOOK_SECRET")
        );
        assert_eq!(
            resolve(Some("pk_test_abc"), Some("whsec_abc"), &[]).unwrap_err(),
            SettingsError::NotASecretKey
        );
    }

    fn request(lines: Vec<CheckoutLine>) -> CheckoutRequest {
        CheckoutRequest {
            checkout_id: "chk_1".into(),
            attempt: 1,
            order_ids: vec![OrderId::new(1)],
            lines,
            success_url: "http://shop/ok".into(),
            cancel_url: "http://shop/cancel".into(),
            expires_at: None,
        }
    }

    fn line(unit_amount_dong: i64, quantity: u64) -> CheckoutLine {
        CheckoutLine {
            name: "Chè Shan Tuyết".into(),
            unit_amount_dong,
            quantity,
        }
    }

    #[test]
    fn the_total_is_whole_dong_and_within_stripes_limit() {
        assert_eq!(
            request(vec![line(150_000, 1), line(20_000, 2)]).total_dong(),
            Ok(190_000)
        );
        assert!(request(vec![line(100_000_000, 1)]).total_dong().is_err());
        assert!(request(vec![line(1_000, 0)]).total_dong().is_err());
        assert!(request(vec![line(-1, 1)]).total_dong().is_err());
        assert!(request(vec![]).total_dong().is_err());
    }

    #[test]
    fn order_ids_travel_as_one_metadata_value() {
        assert_eq!(
            order_ids_text(&[OrderId::new(12), OrderId::new(13)]),
            "12,13"
        );
        assert_eq!(
            parse_order_ids("12,13"),
            Some(vec![OrderId::new(12), OrderId::new(13)])
        );
        assert_eq!(parse_order_ids("12,x"), None);
    }

    #[test]
    fn one_idempotency_key_per_attempt() {
        let mut req = request(vec![line(150_000, 1)]);
        let first = req.idempotency_key();
        assert_eq!(first, "checkout-chk_1-attempt-1");
        req.attempt = 2;
        assert_ne!(req.idempotency_key(), first);
    }
}
