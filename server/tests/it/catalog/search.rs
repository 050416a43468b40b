//! Search: case and accents ignored, exact accents ranked first, terms matching the start of
//! words and not their middle. (The demo data's searches are in `seed`.)
use crate::support::TestApp;

#[tokio::test]
async fn search_ignores_case_and_accents_and_ranks_exact_accents_first() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912777888", "bac-ha").await;
    vendor
        .add_product("Mật ong bạc hà", "450.000", "", true)
        .await
        .unwrap();
    vendor
        .add_product("Mát ong thử", "10.000", "", true)
        .await
        .unwrap();
    vendor
        .add_product("Thịt trâu gác bếp", "1.000.000", "", true)
        .await
        .unwrap();
    vendor
        .add_product("Mật ong ẩn", "1.000", "", false)
        .await
        .unwrap();
    let shopper = app.anonymous();
    assert_eq!(shopper.search("thit trau").await, ["Thịt trâu gác bếp"]);
    assert_eq!(
        shopper.search("MAT ONG").await.len(),
        2,
        "the hidden product is not found"
    );
    assert_eq!(shopper.search("mật ong").await[0], "Mật ong bạc hà");
    assert_eq!(
        shopper.search("BAC HA").await.len(),
        3,
        "the market's name finds its stalls' products"
    );
    assert!(shopper.search("hoà").await.is_empty());
}

#[tokio::test]
async fn search_terms_match_the_start_of_words_not_their_middle() {
    let app = TestApp::spawn().await;
    let (sa_pa, _) = app.approved_vendor("0912000010", "sa-pa").await;
    sa_pa
        .add_product_described(
            "Vòng tay bạc Lao Chải",
            "Hàm lượng bạc 90%. Silver bracelet.",
        )
        .await
        .unwrap();
    let (bac_ha, _) = app.approved_vendor("0912000011", "bac-ha").await;
    bac_ha
        .add_product("Mận hậu", "40.000", "", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    assert_eq!(
        shopper.search("BAC HA").await,
        ["Mận hậu"],
        "`ha` must not match inside `chải`"
    );
    assert_eq!(shopper.search("vong").await, ["Vòng tay bạc Lao Chải"]);
    assert!(
        shopper.search("vo").await.is_empty(),
        "a short term matches whole words only"
    );
    assert_eq!(
        shopper.search("bracel").await,
        ["Vòng tay bạc Lao Chải"],
        "a longer term matches a word's start"
    );
}
