//! Unpaid orders hold a stall's stock, so nobody may hold more than a few at once: per visitor
//! session, per phone number and per network address. A refusal says what to do, and paying
//! or cancelling frees a place.
use crate::support::{TestApp, Visitor};
use app::api::AppError;
use app::domain::id::ProductId;
use app::domain::invalid::Invalid;
use app::domain::order::HoldLimits;

async fn order(visitor: &Visitor, product: ProductId, phone: &str) -> Result<String, AppError> {
    visitor.add_to_cart(product, "1").await.unwrap();
    visitor
        .place_order("vietqr", &[("form[phone]", phone)])
        .await
}

#[tokio::test]
async fn unpaid_checkouts_are_limited_per_session_phone_and_address() {
    let app = TestApp::spawn_with(|settings| {
        settings.hold_limits = HoldLimits {
            per_session: 2,
            per_phone: 3,
            per_address: 5,
        };
    })
    .await;
    let (vendor, plum) = app
        .transfer_vendor("0912500001", "bac-ha", ("Mận tam hoa", "45.000", "100"))
        .await;

    // One session: two unpaid checkouts, not a third.
    let hoarder = app.anonymous();
    let first = order(&hoarder, plum, "0912 600 001").await.unwrap();
    order(&hoarder, plum, "0912 600 002").await.unwrap();
    let refused = order(&hoarder, plum, "0912 600 003").await.unwrap_err();
    assert_eq!(
        refused,
        AppError::field("cart", Invalid::TooManyUnpaid { limit: 2 })
    );
    assert_eq!(
        hoarder.cart().await.stalls.len(),
        1,
        "the cart is kept for when a place frees up"
    );
    // Cancelling one by its link frees a place.
    let cancelled = hoarder.checkout(&first).await.orders[0].id;
    crate::support::cards::cancel_by_link(&hoarder, &first, cancelled).await;
    order(&hoarder, plum, "0912 600 003").await.unwrap();

    // One phone number across sessions, however it is written: three, not a fourth.
    for phone in ["0912 600 009", "0912600009", "0912.600.009"] {
        order(&app.anonymous(), plum, phone).await.unwrap();
    }
    assert_eq!(
        order(&app.anonymous(), plum, "0912 600 009")
            .await
            .unwrap_err(),
        AppError::field("cart", Invalid::TooManyUnpaid { limit: 3 })
    );

    // Five unpaid checkouts now come from this address (two of the hoarder's, three of the
    // phone's): a newcomer from the same network waits for a place.
    assert_eq!(
        order(&app.anonymous(), plum, "0912 600 020")
            .await
            .unwrap_err(),
        AppError::field("cart", Invalid::TooManyUnpaidHere { limit: 5 })
    );
    // A paid order holds nothing: the vendor confirms one transfer, and there is room again.
    let waiting = vendor.stall_orders().await;
    let unpaid = waiting
        .iter()
        .find(|o| o.status == app::domain::order::OrderStatus::AwaitingTransfer)
        .unwrap();
    vendor
        .move_order(unpaid.id, "confirm_payment")
        .await
        .unwrap();
    order(&app.anonymous(), plum, "0912 600 020").await.unwrap();
}
