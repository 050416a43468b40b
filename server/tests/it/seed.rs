//! The demo data: its past (the registry imported months ago and the vendors onboarded since, as
//! the onboarding report sees them), and the searches the province expects it to answer.
use crate::support::TestApp;
use app::domain::email::Login;
use app::domain::onboarding::{Segment, local_date};
use app::domain::phone::Phone;
use app::ports::{CartOwner, EntryFilter, OrderFilter};

/// The demo vendors' phone numbers and stall names, from the file the seed reads.
fn demo_vendors() -> Vec<(Phone, String)> {
    let demo: serde_json::Value = serde_json::from_str(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/seed/demo.json"
    )))
    .unwrap();
    demo["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                Phone::parse(v["phone"].as_str().unwrap()).unwrap(),
                v["stall"]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_demo_has_a_registry_and_months_of_onboarding_behind_it() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let registry = &app.ports.registry;

    let entries = registry.entries(&EntryFilter::default()).await.unwrap();
    assert!(
        (190..=210).contains(&entries.len()),
        "about 200 entries, not {}",
        entries.len()
    );
    let mut demo_stalls = Vec::new();
    for (phone, stall_name) in demo_vendors() {
        let mine: Vec<_> = entries
            .iter()
            .filter(|e| e.row.phone.as_ref() == Some(&phone))
            .collect();
        assert_eq!(mine.len(), 1, "one registry entry for {}", phone.national());
        let stall = mine[0].stall.as_ref().unwrap_or_else(|| {
            panic!("{} is not linked", mine[0].row.external_id);
        });
        assert_eq!(stall.name, stall_name);
        demo_stalls.push(stall.id);
    }

    // The stalls the end-to-end order tests buy from (vendors 0 and 2) have no demo orders,
    // and the demo tourist's cart is empty after all the buying.
    for stall in [demo_stalls[0], demo_stalls[2]] {
        let orders = app
            .ports
            .orders
            .of_stall(stall, &OrderFilter::default())
            .await
            .unwrap();
        assert!(orders.is_empty(), "stall {stall} has demo orders");
    }
    let shopper = app
        .ports
        .accounts
        .by_login(&Login::parse("khach@choso.vn").unwrap())
        .await
        .unwrap()
        .expect("the demo shopper");
    if let Some(cart) = app
        .ports
        .carts
        .cart(&CartOwner::User(shopper.id), false)
        .await
        .unwrap()
    {
        assert!(app.ports.carts.lines(cart).await.unwrap().is_empty());
    }

    let facts = registry.facts().await.unwrap();
    let targets = registry.targets().await.unwrap();
    let today = local_date(chrono::Utc::now());
    let report = facts.report(today, &facts.segments(), &targets);
    let province = report
        .segments
        .iter()
        .find(|row| row.segment == Segment::Province.key())
        .expect("a province row");
    assert!(
        province.share_percent > 10.0 && province.share_percent < 60.0,
        "province share {province:?}"
    );
    assert!(
        province.registered < entries.len() as u32,
        "an entity on both lists counts once"
    );
    assert!(province.account > province.onboarded && province.stall_approved > province.onboarded);
    for market in ["coc-leu", "sa-pa", "bac-ha"] {
        let row = report
            .segments
            .iter()
            .find(|row| row.segment == format!("market:{market}"))
            .unwrap();
        assert!(
            row.onboarded > 0 && row.onboarded < row.registered,
            "{row:?}"
        );
    }
    // The demo tourist paid some of the onboarded stalls cashless, recently enough to count.
    assert!(
        province.transacting > 0 && province.transacting <= province.onboarded,
        "province transacting {province:?}"
    );
    // The sales go back some weeks: a month and a half ago others were transacting, and a
    // stall counts only while its last payment is under thirty days old.
    let earlier = facts.report(
        today - chrono::Duration::days(45),
        &[Segment::Province],
        &targets,
    );
    let earlier = &earlier.segments[0];
    assert!(
        earlier.transacting > 0 && earlier.transacting <= earlier.onboarded,
        "transacting 45 days ago: {earlier:?}"
    );
    let ocop = &report.ocop_products;
    assert!(ocop.online > 0 && ocop.online < ocop.registered, "{ocop:?}");

    // Month by month, more vendors onboarded out of the same registry.
    let trend = facts.trend(today, 6, &Segment::Province);
    assert_eq!(trend.len(), 6);
    assert!(trend.iter().all(|p| p.registered == province.registered));
    for pair in trend.windows(2) {
        assert!(pair[0].onboarded <= pair[1].onboarded, "{trend:?}");
    }
    assert!(trend[0].onboarded > 0, "{trend:?}");
    assert!(trend[5].onboarded > trend[0].onboarded + 10, "{trend:?}");
    assert_eq!(trend[5].onboarded, province.onboarded);

    // Before the first vendor came, the registry was already there and nobody was onboarded.
    let before = facts.report(
        today - chrono::Duration::days(230),
        &[Segment::Province],
        &targets,
    );
    assert_eq!(before.segments[0].registered, province.registered);
    assert_eq!(before.segments[0].onboarded, 0);
}

#[tokio::test]
async fn the_demo_data_answers_the_searches_the_province_expects() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let shopper = app.anonymous();
    for (query, name_start) in [
        ("ca phe", "Cà phê"),
        ("mat ong", "Mật ong bạc hà"),
        ("thit trau", "Thịt trâu gác bếp"),
    ] {
        let found = shopper.search(query).await;
        assert!(
            found.iter().any(|n| n.starts_with(name_start)),
            "{query:?} found {found:?}"
        );
    }
    // Every product of a stall at Bắc Hà market is found by the market's name without accents
    // (alongside products whose own words say "bạc hà", mint, which folds the same way).
    let found: Vec<String> = shopper
        .search_all(&[("params[q]", "BAC HA")])
        .await
        .into_iter()
        .map(|h| h.product.name)
        .collect();
    let at_bac_ha = shopper
        .search_all(&[("params[q]", ""), ("params[market]", "bac-ha")])
        .await;
    assert!(at_bac_ha.len() >= 5, "the demo has products at Bắc Hà");
    for hit in at_bac_ha {
        assert!(
            found.contains(&hit.product.name),
            "{} missing from BAC HA",
            hit.product.name
        );
    }
}
