//! The onboarding report as an aligned table for a terminal. The numbers come from
//! [`app::domain::onboarding`], as on the page; the CSV is the page's export
//! (`app::pages::report::csv`).
use app::domain::onboarding::Report;

/// The report for a terminal: one aligned line per segment, then each segment's sales of the
/// month.
pub fn table(report: &Report) -> String {
    let mut lines = vec![format!("Onboarding as of {}", report.as_of)];
    lines.push(format!(
        "{:<24} {:>6} {:>7} {:>8} {:>6} {:>7} {:>9} {:>11} {:>7} {:>7} {:>4}",
        "segment",
        "reg.",
        "account",
        "approved",
        "listed",
        "e-pay",
        "onboarded",
        "transacting",
        "share",
        "target",
        "gap"
    ));
    for r in &report.segments {
        lines.push(format!(
            "{:<24} {:>6} {:>7} {:>8} {:>6} {:>7} {:>9} {:>11} {:>6.1}% {:>6.1}% {:>4}",
            r.segment,
            r.registered,
            r.account,
            r.stall_approved,
            r.listed,
            r.epayment_ready,
            r.onboarded,
            r.transacting,
            r.share_percent,
            r.target_percent,
            r.gap
        ));
    }
    lines.push(format!(
        "Sales from {} to {}, cash included",
        report.sales_from, report.as_of
    ));
    lines.push(format!(
        "{:<24} {:>12} {:>6} {:>12} {:>12} {:>7} {:>5} {:>6} {:>9} {:>6}",
        "segment",
        "sales (đ)",
        "count",
        "cashless (đ)",
        "cash (đ)",
        "share",
        "bank",
        "vendor",
        "statement",
        "stripe"
    ));
    for r in &report.segments {
        let s = &r.sales;
        let share = s
            .cashless_share_percent
            .map_or_else(|| "-".to_string(), |p| format!("{p:.1}%"));
        lines.push(format!(
            "{:<24} {:>12} {:>6} {:>12} {:>12} {:>7} {:>5} {:>6} {:>9} {:>6}",
            r.segment,
            s.all.value.amount(),
            s.all.count,
            s.cashless.value.amount(),
            s.cash.value.amount(),
            share,
            s.confirmed.bank,
            s.confirmed.vendor,
            s.confirmed.statement,
            s.confirmed.stripe
        ));
    }
    let p = &report.ocop_products;
    lines.push(format!(
        "OCOP products online: {}/{} = {:.1}% (target {:.1}%)",
        p.online, p.registered, p.share_percent, p.target_percent
    ));
    lines.join("\n") + "\n"
}
