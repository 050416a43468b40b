//! A card checkout across two stalls, paid (or not) on the Stripe double's hosted page, and
//! what the double and the administrators' balances say about it afterwards.
use super::{TestApp, Visitor};
use app::domain::id::{OrderId, StallId};
use app::domain::order::OrderStatus;

/// A card checkout, the shopper sent to the (stand-in) hosted payment page, and what the
/// double at that page's address can be told to do.
pub struct CardCheckout {
    pub token: String,
    pub pay_page: String,
    pub double: String,
}

impl CardCheckout {
    /// Tells the stand-in to act as Stripe would (`hold`, `sessions/{session}/complete`, …).
    pub async fn tell(&self, what: &str) -> reqwest::Response {
        let what = what.replace("{session}", self.pay_page.rsplit('/').next().unwrap());
        reqwest::Client::new()
            .post(format!("{}/_double/{what}", self.double))
            .send()
            .await
            .unwrap()
    }

    /// Every event the stand-in has made, oldest first.
    /// The shopper pays while the stand-in holds its events: the `checkout.session.completed`
    /// it would have delivered, for a test to deliver (or alter) itself.
    pub async fn completed_but_held(&self) -> serde_json::Value {
        self.tell("hold").await;
        self.tell("sessions/{session}/complete").await;
        self.events()
            .await
            .into_iter()
            .find(|e| e["type"] == "checkout.session.completed")
            .expect("the completed session's event")
    }

    pub async fn events(&self) -> Vec<serde_json::Value> {
        let list: serde_json::Value = reqwest::get(format!("{}/_double/events", self.double))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        list["data"].as_array().unwrap().clone()
    }
}

/// Two Sa Pa stalls taking cards, A selling plums (50.000 ₫ a kg, 10 kg) and B tea (300.000 ₫,
/// 4 left), and a shopper sent to the payment page for 2 kg of plums and 1 tea: the shopper,
/// A's vendor, B's vendor, and the checkout.
pub async fn card_checkout_across_two_stalls(
    app: &TestApp,
) -> (Visitor, Visitor, Visitor, CardCheckout) {
    let (a, _) = app.approved_vendor("0912200001", "sa-pa").await;
    a.set_payments(false, true, "0").await;
    let plum = a
        .add_product("Mận hậu", "50.000", "10", true)
        .await
        .unwrap();
    let (b, _) = app.approved_vendor("0912200002", "sa-pa").await;
    b.set_payments(false, true, "0").await;
    let tea = b
        .add_product("Chè shan tuyết", "300.000", "4", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(plum, "2").await.unwrap();
    shopper.add_to_cart(tea, "1").await.unwrap();
    let token = shopper.place_order("card", &[]).await.unwrap();
    let view = shopper.checkout(&token).await;
    let pay_page = view
        .payment_url
        .clone()
        .expect("sent on to the payment page");
    let double = pay_page.split("/pay/").next().unwrap().to_string();
    assert!(
        view.orders
            .iter()
            .all(|o| o.status == OrderStatus::AwaitingPayment)
    );
    (
        shopper,
        a,
        b,
        CardCheckout {
            token,
            pay_page,
            double,
        },
    )
}

/// Presses "Pay" on a hosted payment page as the shopper's browser would; the answer's status.
pub async fn pay_on_page(page: &str) -> reqwest::StatusCode {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{page}/pay"))
        .send()
        .await
        .unwrap()
        .status()
}

/// The shopper cancels one order of their checkout on its page, by the checkout's link.
pub async fn cancel_by_link(shopper: &Visitor, token: &str, order_id: OrderId) {
    shopper
        .call(
            "/api/cancel_order",
            &[
                ("token", token),
                ("order_id", &order_id.to_string()),
                ("confirmed", "yes"),
            ],
        )
        .await
        .unwrap();
}

/// The stand-in's `checkout.session.completed` and `charge.refunded` events, as Stripe sent
/// them: the amount each session charged, and each refund's total so far.
pub async fn charged_and_refunded(card: &CardCheckout) -> (Vec<i64>, Vec<i64>) {
    let events = card.events().await;
    let amounts = |kind: &str, field: &str| -> Vec<i64> {
        events
            .iter()
            .filter(|e| e["type"] == kind)
            .map(|e| e["data"]["object"][field].as_i64().unwrap())
            .collect()
    };
    (
        amounts("checkout.session.completed", "amount_total"),
        amounts("charge.refunded", "amount_refunded"),
    )
}

/// The stall balances an administrator sees: what the platform owes each stall, by stall id.
pub async fn owed_to_stalls(admin: &Visitor) -> std::collections::HashMap<StallId, i64> {
    let balances: Vec<app::model::StallBalance> =
        admin.call_json("/api/stall_balances", &[]).await.unwrap();
    balances
        .into_iter()
        .map(|b| (b.stall_id, b.owed.amount()))
        .collect()
}

/// Posts `body` to the app's Stripe webhook, signed with its secret at Unix time `t`; the
/// answer's status.
pub async fn post_webhook(app: &TestApp, body: &str, t: i64) -> u16 {
    let signature = server::payments::signature::sign(body.as_bytes(), &app.webhook_secret, t);
    reqwest::Client::new()
        .post(format!("{}/webhooks/stripe", app.base))
        .header("stripe-signature", signature)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}
