//! The onboarding report as text: CSV for the export and the command line, and an aligned
//! table for a terminal. The numbers come from [`app::domain::onboarding`], as on the page.
use app::domain::onboarding::Report;

/// The header of the report's CSV.
pub const CSV_HEADER: [&str; 13] = [
    "segment",
    "registered",
    "account",
    "stall_approved",
    "listed",
    "epayment_ready",
    "onboarded",
    "transacting",
    "share_percent",
    "fraction",
    "target_percent",
    "gap",
    "as_of",
];

/// One line per segment, then `ocop_products` (registered products, and those online in the
/// `onboarded` column).
pub fn csv(report: &Report) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let as_of = report.as_of.to_string();
    let _ = out.write_record(CSV_HEADER);
    for r in &report.segments {
        let _ = out.write_record([
            r.segment.clone(),
            r.registered.to_string(),
            r.account.to_string(),
            r.stall_approved.to_string(),
            r.listed.to_string(),
            r.epayment_ready.to_string(),
            r.onboarded.to_string(),
            r.transacting.to_string(),
            format!("{:.1}", r.share_percent),
            format!("{}/{}", r.onboarded, r.registered),
            format!("{:.1}", r.target_percent),
            r.gap.to_string(),
            as_of.clone(),
        ]);
    }
    let p = &report.ocop_products;
    let _ = out.write_record([
        "ocop_products".to_string(),
        p.registered.to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        p.online.to_string(),
        String::new(),
        format!("{:.1}", p.share_percent),
        format!("{}/{}", p.online, p.registered),
        format!("{:.1}", p.target_percent),
        String::new(),
        as_of,
    ]);
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The report for a terminal: one aligned line per segment.
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
    let p = &report.ocop_products;
    lines.push(format!(
        "OCOP products online: {}/{} = {:.1}% (target {:.1}%)",
        p.online, p.registered, p.share_percent, p.target_percent
    ));
    lines.join("\n") + "\n"
}
