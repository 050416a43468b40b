//! Paying by bank transfer: one VietQR code per order, its details as text beside it, and the
//! stall's placard; bank statements marking the matching orders paid once, and listing the lines
//! they could not read or that pay an order already paid; an unpaid transfer expiring and giving
//! its stock back.
use crate::support::{self, TestApp};
use app::api::AppError;
use app::domain::order::OrderStatus;

#[tokio::test]
async fn a_vietqr_checkout_across_two_stalls_makes_one_order_each_with_its_own_code() {
    let app = TestApp::spawn().await;
    let (plums, plum) = app
        .transfer_vendor("0912100001", "bac-ha", ("Mận tam hoa", "45.000", "20"))
        .await;
    let (honey, jar) = app
        .transfer_vendor("0912100002", "bac-ha", ("Mật ong bạc hà", "450.000", "5"))
        .await;

    let shopper = app.anonymous();
    shopper.add_to_cart(plum, "1,5").await.unwrap();
    shopper.add_to_cart(jar, "1").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    let checkout = shopper.checkout(&token).await;
    assert_eq!(checkout.orders.len(), 2);
    // 1.5 kg × 45.000 ₫ = 67.500 ₫, priced by the server.
    assert_eq!(checkout.orders[0].total.amount(), 67_500);
    assert_eq!(checkout.total.amount(), 517_500);
    assert!(
        checkout
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::AwaitingTransfer)
    );
    assert_eq!(checkout.transfer_codes.len(), 2);
    for code in &checkout.transfer_codes {
        assert!(
            app::domain::vietqr::verify(&code.payload),
            "{}",
            code.payload
        );
        let order = checkout
            .orders
            .iter()
            .find(|o| o.id == code.order_id)
            .unwrap();
        assert!(
            code.payload.contains(&order.code),
            "the order code is in the purpose"
        );
        assert!(code.svg.starts_with("<?xml") || code.svg.contains("<svg"));
    }
    // Stock was reserved: 20 kg − 1.5 kg.
    assert_eq!(plums.my_product(plum).await.stock.unwrap().steps(), 185);

    // Each vendor sees only their own order, and confirms only their own transfer.
    let mine = plums.stall_orders().await;
    assert_eq!(mine.len(), 1);
    let other = honey.stall_orders().await[0].id;
    assert_eq!(
        plums
            .move_order(other, "confirm_payment")
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    plums
        .move_order(mine[0].id, "confirm_payment")
        .await
        .unwrap();
    assert_eq!(
        shopper.checkout(&token).await.orders[0].status,
        OrderStatus::Paid
    );
    assert_eq!(
        shopper.checkout(&token).await.transfer_codes.len(),
        1,
        "a paid order shows no code"
    );
}

/// Beside the VietQR code the page gives the transfer's details as text to copy (for a shopper
/// paying from the phone showing the code) and, for paper, the whole payload.
#[tokio::test]
async fn the_transfer_details_are_readable_text_beside_the_code() {
    let app = TestApp::spawn().await;
    let (_, id) = app
        .transfer_vendor("0912400091", "sa-pa", ("Mận", "40.000", ""))
        .await;
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "2").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    let view = shopper.checkout(&token).await;
    let code = view.orders[0].code.clone();
    let payload = view.transfer_codes[0].payload.clone();
    let page = shopper
        .get(&format!("/checkout/{token}"))
        .await
        .text()
        .await
        .unwrap();
    let details = &page[page.find(r#"class="transfer-details""#).expect(&page)..];
    for expected in [
        "Số tài khoản",
        "0011001234567",
        "Chủ tài khoản",
        // As the bank account holds it: capitals without accents.
        "NGUYEN THI HANG",
        "Vietcombank",
        "80.000\u{a0}₫",
        "Nội dung chuyển khoản",
        code.as_str(),
    ] {
        assert!(details.contains(expected), "{expected:?} in {details}");
    }
    assert!(
        page.contains(&format!(
            r#"class="payload-print print-only"><code>{payload}<"#
        )),
        "the whole payload, printable: {page}"
    );
}

#[tokio::test]
async fn the_placard_has_a_static_vietqr_and_the_stalls_address() {
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912200008", "coc-leu").await;
    vendor.set_payments(false, true, "0").await;
    let bare: serde_json::Value = vendor.call_json("/api/my_placard", &[]).await.unwrap();
    assert!(
        bare["pay_svg"].is_null(),
        "cards only, no bank account: no transfer code"
    );
    vendor.set_payments(true, false, "0").await;
    let placard: serde_json::Value = vendor.call_json("/api/my_placard", &[]).await.unwrap();
    assert!(placard["pay_svg"].as_str().unwrap().contains("<svg"));
    assert!(
        placard["page_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/stalls/{}", stall.slug))
    );
    let shopper = app.shopper("0912200009").await;
    assert_eq!(
        shopper
            .call_json::<serde_json::Value>("/api/my_placard", &[])
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
}

#[tokio::test]
async fn the_placards_stall_link_uses_the_configured_public_address() {
    let app =
        TestApp::spawn_with(|s| s.public_url = Some("https://cho.laocai.gov.vn".into())).await;
    let (vendor, stall) = app.approved_vendor("0912300007", "sa-pa").await;
    let placard: serde_json::Value = vendor.call_json("/api/my_placard", &[]).await.unwrap();
    assert_eq!(
        placard["page_url"],
        format!("https://cho.laocai.gov.vn/stalls/{}", stall.slug)
    );
}

async fn statements_page(visitor: &support::Visitor) -> app::api::sales::StatementsView {
    visitor
        .call_json("/api/statements_page", &[])
        .await
        .unwrap()
}

#[tokio::test]
async fn a_bank_statement_marks_the_matching_order_paid_once() {
    let app = TestApp::spawn().await;
    let (vendor, id) = app
        .transfer_vendor("0912200006", "bac-ha", ("Rượu ngô Bản Phố", "120.000", ""))
        .await;
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "1").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    let code = shopper.checkout(&token).await.orders[0].code.clone();
    let statement = format!(
        "\u{feff}Ngày,Số tiền,Nội dung\r\n25/11/2026,120.000,CT DEN:0912 {} Ruou ngo\r\n25/11/2026,99.000,{code} wrong amount\r\n25/11/2026,50.000,unrelated\r\nnot a date,1,x\r\n",
        code.to_lowercase()
    );
    vendor.upload_statement(&statement).await;
    let tally = statements_page(&vendor).await.last_import.unwrap().unwrap();
    assert_eq!(
        (
            tally.matched,
            tally.unmatched,
            tally.repeated,
            tally.rejected_count
        ),
        (1, 2, 0, 1)
    );
    assert_eq!(
        shopper.checkout(&token).await.orders[0].status,
        OrderStatus::Paid
    );
    // The same statement again changes nothing.
    vendor.upload_statement(&statement).await;
    let tally = statements_page(&vendor).await.last_import.unwrap().unwrap();
    assert_eq!(
        (
            tally.matched,
            tally.unmatched,
            tally.repeated,
            tally.rejected_count
        ),
        (0, 0, 3, 1)
    );
    let history = vendor.stall_orders().await[0].history.len();
    assert_eq!(history, 2, "created, then paid once");
    // Another vendor's statement can't pay this vendor's orders.
    let (other, _) = app.approved_vendor("0912200007", "bac-ha").await;
    let id2 = vendor.add_product("Mận", "30.000", "", true).await.unwrap();
    let buyer = app.anonymous();
    buyer.add_to_cart(id2, "1").await.unwrap();
    let token2 = buyer.place_order("vietqr", &[]).await.unwrap();
    let code2 = buyer.checkout(&token2).await.orders[0].code.clone();
    let forged = format!("date,amount,description\n2026-11-25,30000,{code2}\n");
    other.upload_statement(&forged).await;
    let tally = statements_page(&other).await.last_import.unwrap().unwrap();
    assert_eq!((tally.matched, tally.unmatched), (0, 1));
    assert_eq!(
        buyer.checkout(&token2).await.orders[0].status,
        OrderStatus::AwaitingTransfer
    );
}

#[tokio::test]
async fn a_statement_lists_its_unreadable_lines_and_the_lines_that_pay_an_order_already_paid() {
    use app::api::sales::{LineProblem, RejectedLine, StatementRefusal, StatementTally};
    use app::model::StatementMatch;
    let app = TestApp::spawn().await;
    let (vendor, id) = app
        .transfer_vendor("0912300005", "coc-leu", ("Chè Shan tuyết", "80.000", ""))
        .await;
    let mut codes = Vec::new();
    for _ in 0..2 {
        let shopper = app.anonymous();
        shopper.add_to_cart(id, "1").await.unwrap();
        let token = shopper.place_order("vietqr", &[]).await.unwrap();
        codes.push(shopper.checkout(&token).await.orders[0].clone());
    }
    // The vendor saw the first transfer in their bank app and confirmed it by hand.
    vendor
        .move_order(codes[0].id, "confirm_payment")
        .await
        .unwrap();
    let (first, second) = (&codes[0].code, &codes[1].code);
    let statement = format!(
        "date,amount,description\n\
         2026-11-25,80000,{first} che\n\
         32/11/2026,80000,ngay sai\n\
         2026-11-25,80000,{second} che\n\
         2026-11-25,tam muoi,so tien sai\n\
         2026-11-25,15000,tien an sang\n"
    );
    assert_eq!(vendor.upload_statement(&statement).await, "/my/statements");
    let page = statements_page(&vendor).await;
    assert_eq!(
        page.last_import,
        Some(Ok(StatementTally {
            matched: 1,
            to_return: 1,
            unmatched: 1,
            repeated: 0,
            rejected: vec![
                RejectedLine {
                    line: 3,
                    problem: LineProblem::Date
                },
                RejectedLine {
                    line: 5,
                    problem: LineProblem::Amount
                },
            ],
            rejected_count: 2,
        }))
    );
    assert_eq!(
        page.lines
            .iter()
            .map(|l| l.outcome.clone())
            .collect::<Vec<_>>(),
        [
            StatementMatch::Unmatched,
            StatementMatch::Paid(second.clone()),
            StatementMatch::AlreadyPaid(first.clone()),
        ]
    );
    let html = vendor.get("/my/statements").await.text().await.unwrap();
    for shown in [
        "Dòng 3: ngày phải viết dạng YYYY-MM-DD hoặc DD/MM/YYYY",
        "Dòng 5: số tiền phải là số đồng nguyên dương",
        &format!("{first} đã thanh toán trước đó"),
        "<th scope=\"col\">Nội dung",
    ] {
        assert!(html.contains(shown), "the statements page shows {shown:?}");
    }
    // Another vendor's statement naming this vendor's paid order learns nothing about it.
    let (other, _) = app.approved_vendor("0912300006", "coc-leu").await;
    other
        .upload_statement(&format!(
            "date,amount,description\n2026-11-25,80000,{first}\n"
        ))
        .await;
    let theirs = statements_page(&other).await;
    assert_eq!(theirs.lines[0].outcome, StatementMatch::Unmatched);

    // A file that isn't a statement says so, and the list stays.
    vendor.upload_statement("foo,bar\n1,2\n").await;
    let page = statements_page(&vendor).await;
    assert_eq!(page.last_import, Some(Err(StatementRefusal::Unreadable)));
    assert_eq!(page.lines.len(), 3);
}

#[tokio::test]
async fn an_unpaid_transfer_expires_and_gives_its_stock_back() {
    let app = TestApp::spawn().await;
    let (vendor, id) = app
        .transfer_vendor("0912200003", "coc-leu", ("Miến dong", "60.000", "3"))
        .await;
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "1").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    assert_eq!(vendor.my_product(id).await.stock.unwrap().steps(), 20);
    // Nothing is due yet; a day and a minute later the transfer's 24 hours have run out.
    assert_eq!(app.sweep(chrono::Utc::now()).await, 0);
    let later = chrono::Utc::now() + chrono::Duration::minutes(24 * 60 + 1);
    assert_eq!(app.sweep(later).await, 1);
    assert_eq!(
        shopper.checkout(&token).await.orders[0].status,
        OrderStatus::Expired
    );
    assert_eq!(
        vendor.my_product(id).await.stock.unwrap().steps(),
        30,
        "3 kg again"
    );
    assert_eq!(app.sweep(later).await, 0, "an order expires once");
}

/// A statement line naming a card order's code and amount is not that order's money: only
/// Stripe confirms card payments, so the order keeps waiting for it, its card payment stays
/// open, and nothing is credited to the stall without a payment behind it.
#[tokio::test]
async fn a_statement_never_confirms_a_card_order() {
    let app = TestApp::spawn().await;
    let (_shopper, a, _, _card) = support::cards::card_checkout_across_two_stalls(&app).await;
    let order = a.stall_orders().await.remove(0);
    let statement = format!(
        "date,amount,description\n2026-11-25,{},{}\n",
        order.total.amount(),
        order.code
    );
    a.upload_statement(&statement).await;
    let tally = statements_page(&a).await.last_import.unwrap().unwrap();
    assert_eq!((tally.matched, tally.unmatched), (0, 1));
    let after = a.stall_orders().await.remove(0);
    assert_eq!(after.status, OrderStatus::AwaitingPayment);
    assert_eq!(after.history.len(), 1, "nothing recorded");
    let admin = app.admin().await;
    assert!(
        !support::cards::owed_to_stalls(&admin)
            .await
            .contains_key(&order.stall_id),
        "nothing owed without a payment"
    );
}

/// A statement that pays a transfer says so in the order's history as its own source.
#[tokio::test]
async fn a_transfer_paid_by_a_statement_names_the_statement_in_its_history() {
    let app = TestApp::spawn().await;
    let (vendor, id) = app
        .transfer_vendor("0912200016", "bac-ha", ("Rượu ngô Bản Phố", "120.000", ""))
        .await;
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "1").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    let code = shopper.checkout(&token).await.orders[0].code.clone();
    vendor
        .upload_statement(&format!(
            "date,amount,description\n2026-11-25,120000,{code}\n"
        ))
        .await;
    let order = vendor.stall_orders().await.remove(0);
    assert_eq!(order.status, OrderStatus::Paid);
    assert_eq!(
        order.history.last().unwrap().actor,
        app::domain::order::OrderActor::Statement
    );
}

/// A transfer arriving after its order expired revives the order only while its goods are
/// still there. Sold to someone else meanwhile, neither the vendor's "money received" nor a
/// statement line can sell them twice: the order stays expired, the stock stays at zero, and
/// the statement shows the line as money to give back.
#[tokio::test]
async fn a_late_transfer_never_revives_an_order_whose_goods_were_sold_since() {
    let app = TestApp::spawn().await;
    let (vendor, id) = app
        .transfer_vendor("0912200005", "coc-leu", ("Miến dong", "60.000", "1"))
        .await;
    let late = app.anonymous();
    late.add_to_cart(id, "1").await.unwrap();
    let token = late.place_order("vietqr", &[]).await.unwrap();
    let later = chrono::Utc::now() + chrono::Duration::minutes(24 * 60 + 1);
    assert_eq!(app.sweep(later).await, 1);
    // The kilo goes back on sale, and another shopper buys it.
    let quick = app.anonymous();
    quick.add_to_cart(id, "1").await.unwrap();
    quick
        .place_order("vietqr", &[("form[phone]", "0912 777 001")])
        .await
        .unwrap();
    assert_eq!(vendor.my_product(id).await.stock.unwrap().steps(), 0);
    let order = late.checkout(&token).await.orders.remove(0);
    assert!(matches!(
        vendor.move_order(order.id, "confirm_payment").await,
        Err(AppError::OutOfStock(_))
    ));
    let statement = format!(
        "date,amount,description\n2026-11-25,{},{}\n",
        order.total.amount(),
        order.code
    );
    vendor.upload_statement(&statement).await;
    let page = statements_page(&vendor).await;
    let tally = page.last_import.unwrap().unwrap();
    assert_eq!((tally.matched, tally.to_return), (0, 1));
    assert_eq!(
        page.lines[0].outcome,
        app::model::StatementMatch::Expired(order.code.clone()),
        "listed as money to give back"
    );
    assert_eq!(
        late.checkout(&token).await.orders[0].status,
        OrderStatus::Expired
    );
    assert_eq!(
        vendor.my_product(id).await.stock.unwrap().steps(),
        0,
        "never below zero: nothing sold twice"
    );
}
