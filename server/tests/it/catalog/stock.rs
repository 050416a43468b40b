//! A product's stock as its vendor changes it while shoppers buy: a form opened before a sale
//! never sells those units again, goods received or spoiled are one change each, and every
//! change is in the stock's history.
use crate::support::{TestApp, Visitor};
use app::api::AppError;
use app::domain::id::ProductId;
use app::domain::invalid::Invalid;
use app::domain::quantity::Quantity;
use app::domain::stock::StockReason;
use app::model::StockMove;

/// The product form as its edit page showed it, with `changes` made by the vendor.
async fn save_form(
    vendor: &Visitor,
    id: ProductId,
    shown: &app::model::Product,
    changes: &[(&str, &str)],
) -> Result<ProductId, AppError> {
    let form = app::api::products::ProductForm::from_product(shown);
    let id = id.to_string();
    let stock_shown = form.stock_shown.clone().unwrap_or_default();
    let mut fields = vec![
        ("product_id", id.as_str()),
        ("form[name]", form.name.as_str()),
        ("form[description_vi]", form.description_vi.as_str()),
        ("form[category]", form.category.as_str()),
        ("form[unit]", form.unit.as_str()),
        ("form[price]", form.price.as_str()),
        ("form[stock]", form.stock.as_deref().unwrap_or("")),
        ("form[stock_shown]", stock_shown.as_str()),
        ("form[published]", "on"),
    ];
    for (key, value) in changes {
        fields.retain(|(k, _)| k != key);
        fields.push((key, value));
    }
    vendor.call_json("/api/save_product", &fields).await
}

async fn sell(app: &TestApp, product: ProductId, quantity: &str) {
    let shopper = app.anonymous();
    shopper.add_to_cart(product, quantity).await.unwrap();
    shopper.place_order("vietqr", &[]).await.unwrap();
}

async fn history(vendor: &Visitor, id: ProductId) -> Vec<StockMove> {
    vendor
        .call_json("/api/stock_history", &[("product_id", &id.to_string())])
        .await
        .unwrap()
}

fn kg(steps: i64) -> Option<Quantity> {
    Some(Quantity::from_steps(steps))
}

#[tokio::test]
async fn a_form_opened_before_a_sale_never_puts_the_sold_stock_back() {
    let app = TestApp::spawn().await;
    let (vendor, plum) = app
        .transfer_vendor("0912300001", "sa-pa", ("Mận tam hoa", "45.000", "10"))
        .await;
    let shown = vendor.my_product(plum).await;

    sell(&app, plum, "3").await;
    // A typo fixed in a form that still says 10 kg: the 3 kg sold stay sold.
    save_form(&vendor, plum, &shown, &[("form[name]", "Mận hậu Bắc Hà")])
        .await
        .unwrap();
    let now = vendor.my_product(plum).await;
    assert_eq!(now.name, "Mận hậu Bắc Hà");
    assert_eq!(now.stock, kg(70), "10 kg − 3 kg sold");

    // The same stale form raised to 30 kg: a delivery of 20 kg on top of what is left.
    save_form(&vendor, plum, &shown, &[("form[stock]", "30")])
        .await
        .unwrap();
    assert_eq!(vendor.my_product(plum).await.stock, kg(270));

    // Down to 0 from the 27 kg it showed takes away 27 kg, more than the 2 kg left after a
    // sale of 25: refused whole, showing what is left, and the name typed with it is not
    // saved either.
    let shown = vendor.my_product(plum).await;
    sell(&app, plum, "25").await;
    let refused = save_form(
        &vendor,
        plum,
        &shown,
        &[("form[stock]", "0"), ("form[name]", "Mận mới")],
    )
    .await
    .unwrap_err();
    assert_eq!(
        refused,
        AppError::field(
            "stock",
            Invalid::StockMoved {
                now: kg(20),
                unit: app::domain::quantity::Unit::Kg
            }
        )
    );
    let after = vendor.my_product(plum).await;
    assert_eq!((after.name.as_str(), after.stock), ("Mận tam hoa", kg(20)));

    let reasons: Vec<(StockReason, i64, i64)> = history(&vendor, plum)
        .await
        .iter()
        .map(|m| (m.reason, m.change.steps(), m.stock_after.steps()))
        .collect();
    assert_eq!(
        reasons,
        [
            (StockReason::Counted, 200, 270),
            (StockReason::Listed, 100, 100)
        ],
        "newest first; the typo fix changed no stock"
    );

    // Sold by the box from now on: the 12 typed count boxes, whatever the kilograms were.
    let shown = vendor.my_product(plum).await;
    save_form(
        &vendor,
        plum,
        &shown,
        &[("form[unit]", "hop"), ("form[stock]", "12")],
    )
    .await
    .unwrap();
    assert_eq!(
        vendor.my_product(plum).await.stock.map(|q| q.steps()),
        Some(12)
    );
}

#[tokio::test]
async fn goods_received_or_spoiled_are_one_change_each_never_below_zero() {
    let app = TestApp::spawn().await;
    let (vendor, plum) = app
        .transfer_vendor("0912300002", "bac-ha", ("Mận tam hoa", "45.000", "5"))
        .await;
    let adjust = |reason: &'static str, amount: &'static str| {
        let vendor = &vendor;
        async move {
            vendor
                .call_json::<Quantity>(
                    "/api/adjust_stock",
                    &[
                        ("product_id", &plum.to_string()),
                        ("reason", reason),
                        ("amount", amount),
                    ],
                )
                .await
        }
    };
    sell(&app, plum, "2").await;
    assert_eq!(adjust("received", "20").await.unwrap().steps(), 230);
    assert_eq!(adjust("spoiled", "0,5").await.unwrap().steps(), 225);
    assert_eq!(
        adjust("spoiled", "30").await.unwrap_err(),
        AppError::field(
            "amount",
            Invalid::StockMoved {
                now: kg(225),
                unit: app::domain::quantity::Unit::Kg
            }
        )
    );
    assert!(
        adjust("listed", "1").await.is_err(),
        "only received or spoiled"
    );
    assert!(adjust("received", "0").await.is_err(), "more than nothing");

    let moves = history(&vendor, plum).await;
    assert_eq!(moves.len(), 3);
    assert_eq!(moves[0].reason, StockReason::Spoiled);
    assert_eq!(moves[0].change.steps(), -5);
    assert!(moves[0].by.is_some(), "who made it");

    // Another vendor can neither adjust nor read this stock.
    let (other, _) = app.approved_vendor("0912300003", "bac-ha").await;
    let id = plum.to_string();
    assert_eq!(
        other
            .call(
                "/api/adjust_stock",
                &[("product_id", &id), ("reason", "received"), ("amount", "1")]
            )
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    assert_eq!(
        other
            .call_json::<Vec<StockMove>>("/api/stock_history", &[("product_id", &id)])
            .await
            .unwrap_err(),
        AppError::NotFound
    );
}

/// Many sales and a vendor's deliveries at once: whatever the interleaving, the stock ends
/// at what was received less what sold, and no sale is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_sales_and_deliveries_add_up() {
    let app = TestApp::spawn().await;
    let (vendor, plum) = app
        .transfer_vendor("0912300004", "coc-leu", ("Mận tam hoa", "45.000", "10"))
        .await;
    let shown = vendor.my_product(plum).await;
    let mut buyers = Vec::new();
    for _ in 0..8 {
        let buyer = app.anonymous();
        buyer.add_to_cart(plum, "1").await.unwrap();
        buyers.push(buyer);
    }
    let mut sales = tokio::task::JoinSet::new();
    for (n, buyer) in buyers.into_iter().enumerate() {
        let phone = format!("0912 31{n:04}");
        sales.spawn(async move {
            buyer
                .place_order("vietqr", &[("form[phone]", &phone)])
                .await
        });
    }
    // While they check out: four deliveries of 1 kg, and a stale form saved.
    for _ in 0..4 {
        vendor
            .call_json::<Quantity>(
                "/api/adjust_stock",
                &[
                    ("product_id", &plum.to_string()),
                    ("reason", "received"),
                    ("amount", "1"),
                ],
            )
            .await
            .unwrap();
    }
    save_form(&vendor, plum, &shown, &[("form[name]", "Mận")])
        .await
        .unwrap();
    while let Some(sale) = sales.join_next().await {
        sale.unwrap()
            .expect("every checkout finds stock and the database free");
    }
    // 10 listed + 4 received − 8 sold.
    assert_eq!(vendor.my_product(plum).await.stock, kg(60));
}
