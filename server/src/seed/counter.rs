//! The demo's first vendor has sold at the stall today: two cash sales and one transfer the
//! bank confirmed, so the dashboard's cash and in-person rows and the collect page's list have
//! something to show.
use super::Seed;
use crate::db::counter_sales::CounterSaleStore;
use app::domain::counter_sale::SaleWay;
use app::domain::money::Dong;
use app::domain::submission::Submission;
use app::ports::{CounterSales, NewCounterSale};

/// Today's sales at the stall, in đồng.
const SALES: [(SaleWay, i64); 3] = [
    (SaleWay::Cash, 35_000),
    (SaleWay::Transfer, 120_000),
    (SaleWay::Cash, 60_000),
];

pub(super) async fn sell_at_the_stall(seed: &Seed<'_>) -> anyhow::Result<()> {
    let stall = super::bank::demo_vendor_stall(seed).await?;
    let store = CounterSaleStore(seed.db.clone(), seed.clock.clone());
    for (way, amount) in SALES {
        let sale = store
            .record(&NewCounterSale {
                stall,
                way,
                amount: Dong::new(amount),
                submission: Submission::fresh(),
            })
            .await?;
        if way == SaleWay::Transfer {
            store.settle(stall, sale.code, true).await?;
        }
    }
    Ok(())
}
