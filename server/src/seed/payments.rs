//! How the demo's stalls are paid: a VietQR bank account for every stall that sets up
//! payments, and cards for some of them, so both ways to pay can be tried.
use app::domain::bank::BankAccount;
use app::domain::money::Dong;
use app::model::PaymentSettings;

/// Every approved demo stall takes VietQR transfers into an account at one of a few banks, and
/// every other one also takes cards, so both ways to pay can be tried on the demo.
pub(super) fn demo_payments(holder: &str, index: usize) -> anyhow::Result<PaymentSettings> {
    const BANKS: [&str; 4] = ["970436", "970415", "970405", "970423"];
    let number = format!("00110{:08}", 1_000_000 + index * 7919);
    let bank = BankAccount::parse(BANKS[index % BANKS.len()], &number, holder)
        .map_err(|e| anyhow::anyhow!("demo bank account: {e:?}"))?;
    Ok(PaymentSettings {
        delivery_fee: Dong::new(if index.is_multiple_of(3) { 0 } else { 20_000 }),
        accepts_cards: index.is_multiple_of(2),
        bank: Some(bank),
    })
}

/// The later vendors' VietQR accounts, at the banks with branches in the province's districts;
/// every fifth also takes cards.
pub(super) fn later_payments(holder: &str, index: usize) -> anyhow::Result<PaymentSettings> {
    const BANKS: [&str; 5] = ["970405", "970418", "970415", "970436", "970449"];
    let number = format!("{}", 3_900_100_000_000u64 + index as u64 * 104_729);
    let bank = BankAccount::parse(BANKS[index % BANKS.len()], &number, holder)
        .map_err(|e| anyhow::anyhow!("bank account of {holder}: {e:?}"))?;
    Ok(PaymentSettings {
        delivery_fee: Dong::new([0, 15_000, 20_000, 30_000][index % 4]),
        accepts_cards: index.is_multiple_of(5),
        bank: Some(bank),
    })
}
