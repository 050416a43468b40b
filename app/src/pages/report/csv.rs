//! The report's export: the page's table as a CSV file a person opens in a spreadsheet, in the
//! reader's language. Column names and segments are named as on the page; numbers use the
//! language's decimal mark, with the separator its spreadsheets expect ([`CsvDialect`]: `;`
//! in Vietnamese, `,` in English); dates are written day first. Machines read the reporting
//! API's JSON (`/api/v1`), which keeps its own field names and numbers.
use crate::components::decimal_sep;
use crate::domain::figures::{self, CsvDialect, tenths_of};
use crate::domain::onboarding::{MonthSales, Report, Segment, Stage};
use crate::i18n::*;
use crate::vocab::{self, Label};

/// The report as CSV in `locale`: a header, one line per segment, then OCOP products (those
/// registered, and those online in the "onboarded" column). A fraction such as `12/30` is
/// left out: a spreadsheet would read it as a date, and its two numbers have columns of their
/// own.
pub fn report_csv(report: &Report, locale: Locale) -> String {
    let csv = CsvDialect::for_decimal(decimal_sep(locale == Locale::en));
    let as_of = figures::date(report.as_of);
    let percent_column = |name: &str| format!("{name} (%)");
    let mut out = csv.line(&[
        td_string!(locale, report.segment).to_string(),
        td_string!(locale, report.registered).to_string(),
        Stage::Account.label(locale).to_string(),
        Stage::StallApproved.label(locale).to_string(),
        Stage::Listed.label(locale).to_string(),
        Stage::EpaymentReady.label(locale).to_string(),
        td_string!(locale, report.onboarded).to_string(),
        Stage::Transacting.label(locale).to_string(),
        percent_column(td_string!(locale, report.share)),
        percent_column(td_string!(locale, report.target)),
        td_string!(locale, report.gap).to_string(),
        td_string!(locale, report.as_of).to_string(),
        // The month's sales, added after the onboarding columns so that spreadsheets built on
        // the older export keep reading theirs.
        td_string!(locale, report.csv_sales_value).to_string(),
        td_string!(locale, report.csv_sales_count).to_string(),
        td_string!(locale, report.csv_cashless_value).to_string(),
        td_string!(locale, report.csv_cashless_count).to_string(),
        td_string!(locale, report.csv_cash_value).to_string(),
        td_string!(locale, report.csv_cash_count).to_string(),
        percent_column(td_string!(locale, report.cashless_share)),
        td_string!(locale, report.confirmed_bank).to_string(),
        td_string!(locale, report.confirmed_vendor).to_string(),
        td_string!(locale, report.confirmed_statement).to_string(),
        td_string!(locale, report.confirmed_stripe).to_string(),
    ]);
    for r in &report.segments {
        let name = Segment::parse(&r.segment)
            .map(|s| vocab::segment(&s, locale))
            .unwrap_or_else(|| r.segment.clone());
        let mut line = vec![
            name,
            r.registered.to_string(),
            r.account.to_string(),
            r.stall_approved.to_string(),
            r.listed.to_string(),
            r.epayment_ready.to_string(),
            r.onboarded.to_string(),
            r.transacting.to_string(),
            csv.tenths(tenths_of(r.share_percent)),
            csv.tenths(tenths_of(r.target_percent)),
            r.gap.to_string(),
            as_of.clone(),
        ];
        line.extend(sales_columns(&r.sales, &csv));
        out.push_str(&csv.line(&line));
    }
    let p = &report.ocop_products;
    let empty = String::new;
    let mut ocop = vec![
        td_string!(locale, report.ocop_products_row).to_string(),
        p.registered.to_string(),
        empty(),
        empty(),
        empty(),
        empty(),
        p.online.to_string(),
        empty(),
        csv.tenths(tenths_of(p.share_percent)),
        csv.tenths(tenths_of(p.target_percent)),
        empty(),
        as_of,
    ];
    // Products have no sales of their own: their producers' stalls count under OCOP.
    ocop.extend(std::iter::repeat_n(String::new(), 11));
    out.push_str(&csv.line(&ocop));
    out
}

/// A segment's sales of the month: sums in whole đồng without separators, which spreadsheets
/// read as numbers; no share when nothing sold.
fn sales_columns(sales: &MonthSales, csv: &CsvDialect) -> [String; 11] {
    let c = &sales.confirmed;
    [
        sales.all.value.amount().to_string(),
        sales.all.count.to_string(),
        sales.cashless.value.amount().to_string(),
        sales.cashless.count.to_string(),
        sales.cash.value.amount().to_string(),
        sales.cash.count.to_string(),
        sales
            .cashless_share_percent
            .map(|p| csv.tenths(tenths_of(p)))
            .unwrap_or_default(),
        c.bank.to_string(),
        c.vendor.to_string(),
        c.statement.to_string(),
        c.stripe.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Dong;
    use crate::domain::onboarding::{Confirmations, OcopCoverage, SegmentRow};
    use crate::domain::sales::Tally;

    fn tally(value: i64, count: u32) -> Tally {
        Tally {
            value: Dong::new(value),
            count,
        }
    }

    fn report() -> Report {
        Report {
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 4, 30).unwrap(),
            segments: vec![SegmentRow {
                segment: "market:coc-leu".into(),
                registered: 61,
                account: 30,
                stall_approved: 25,
                listed: 22,
                epayment_ready: 20,
                onboarded: 20,
                transacting: 9,
                share_percent: 32.8,
                target_percent: 50.0,
                gap: 11,
                sales: MonthSales {
                    all: tally(1_250_000, 12),
                    cashless: tally(1_000_000, 9),
                    cash: tally(250_000, 3),
                    cashless_share_percent: Some(80.0),
                    confirmed: Confirmations {
                        bank: 5,
                        vendor: 2,
                        statement: 1,
                        stripe: 1,
                    },
                },
            }],
            ocop_products: OcopCoverage {
                registered: 3,
                online: 2,
                share_percent: 66.7,
                target_percent: 100.0,
            },
            sales_from: chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
            stalls: vec![],
        }
    }

    #[test]
    fn the_vietnamese_export_reads_as_the_page_with_commas_for_decimals() {
        let csv = report_csv(&report(), Locale::vi);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "Nhóm;Trong danh sách;Có tài khoản;Gian hàng được duyệt;Đã đăng sản phẩm;\
             Có tài khoản thanh toán điện tử;Đã lên sàn;Đang giao dịch không tiền mặt;\
             Tỉ lệ (%);Chỉ tiêu (%);Còn thiếu;Tính đến ngày;\
             Doanh số trong tháng (đồng);Số lần bán trong tháng;Không tiền mặt (đồng);\
             Số lần bán không tiền mặt;Tiền mặt (đồng);Số lần bán bằng tiền mặt;\
             Tỉ lệ không tiền mặt (%);Ngân hàng tự báo;Người bán tự xác nhận;\
             Xác nhận bằng sao kê;Stripe xác nhận (thẻ)"
        );
        assert_eq!(
            lines[1],
            "Chợ Cốc Lếu;61;30;25;22;20;20;9;32,8;50;11;30/04/2026;\
             1250000;12;1000000;9;250000;3;80;5;2;1;1"
        );
        assert_eq!(
            lines[2],
            "Sản phẩm OCOP;3;;;;;2;;66,7;100;;30/04/2026;;;;;;;;;;;"
        );
    }

    #[test]
    fn the_english_export_uses_dots_for_decimals_and_commas_between_fields() {
        let csv = report_csv(&report(), Locale::en);
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("Segment,Registered,"), "{}", lines[0]);
        assert!(
            lines[0].contains(",Share (%),Target (%),Gap,As of,Sales this month (đồng),"),
            "{}",
            lines[0]
        );
        assert_eq!(
            lines[1],
            "Cốc Lếu Market,61,30,25,22,20,20,9,32.8,50,11,30/04/2026,\
             1250000,12,1000000,9,250000,3,80,5,2,1,1"
        );
        assert!(
            lines[0].ends_with(
                ",Cashless share (%),Confirmed by the bank,\
                 Confirmed by the vendor,Confirmed by a statement,Confirmed by Stripe (card)"
            ),
            "{}",
            lines[0]
        );
    }
}
