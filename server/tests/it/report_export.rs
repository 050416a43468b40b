//! The report as people take it away and set it: the CSV export in the reader's language (its
//! column names, segment names, decimal mark and the separator that language's spreadsheets
//! expect), and the year's targets, set for every segment with one form.
use crate::support::registry::{row, world};
use app::api::AppError;
use app::domain::invalid::{FieldErrors, Invalid};

async fn report_csv(reader: &crate::support::Visitor) -> String {
    let csv = reader
        .get("/admin/report.csv?as_of=2026-04-30")
        .await
        .text()
        .await
        .unwrap();
    csv.strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets")
        .to_string()
}

#[tokio::test]
async fn the_csv_is_written_in_the_readers_language_with_its_decimal_mark() {
    let w = world().await;
    // Vietnamese, as the pages are until the reader chooses: `;` between fields, so that
    // `33,3` stays one number in a Vietnamese spreadsheet.
    let vi = report_csv(&w.admin).await;
    let lines: Vec<&str> = vi.lines().collect();
    assert!(
        lines[0].starts_with("Nhóm;Trong danh sách;Có tài khoản;Gian hàng được duyệt;"),
        "{}",
        lines[0]
    );
    // The month's sales follow, after the onboarding columns.
    assert!(
        lines[0].contains(";Tỉ lệ (%);Chỉ tiêu (%);Còn thiếu;Tính đến ngày;Doanh số trong tháng"),
        "{}",
        lines[0]
    );
    // Cốc Lếu: 1 of 3 onboarded, none paid cashless in the last 30 days, a 50 % target, as
    // of 30 April written day first.
    let coc_leu = lines
        .iter()
        .find(|l| l.starts_with("Chợ Cốc Lếu;"))
        .expect("the market by its name");
    // Nothing sold yet: no cashless share.
    assert_eq!(
        *coc_leu,
        "Chợ Cốc Lếu;3;2;1;2;2;1;0;33,3;50;1;30/04/2026;0;0;0;0;0;0;;0;0;0;0"
    );
    assert!(!vi.contains("market:"), "no machine keys: {vi}");
    assert!(!vi.contains("33.3"), "{vi}");

    // English, once the reader chooses it: `,` between fields and `.` for decimals.
    w.admin.get("/lang/en?next=/").await;
    let en = report_csv(&w.admin).await;
    let lines: Vec<&str> = en.lines().collect();
    assert!(
        lines[0].starts_with("Segment,Registered,Account,Stall approved,Listed,E-payment ready,"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(",Share (%),Target (%),Gap,As of,Sales this month (đồng),"));
    let coc_leu = lines
        .iter()
        .find(|l| l.starts_with("Cốc Lếu Market,"))
        .expect("the market by its English name");
    assert_eq!(
        *coc_leu,
        "Cốc Lếu Market,3,2,1,2,2,1,0,33.3,50,1,30/04/2026,0,0,0,0,0,0,,0,0,0,0"
    );
    assert!(en.lines().last().unwrap().starts_with("OCOP products,2,"));
}

#[tokio::test]
async fn the_csv_follows_the_browsers_language_until_the_reader_chooses() {
    let w = world().await;
    let res = w
        .admin
        .get_with_headers(
            "/admin/report.csv?as_of=2026-04-30",
            &[("accept-language", "en-GB,en;q=0.9")],
        )
        .await;
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}Segment,"), "{csv}");
}

fn targets_form<'a>(year: &'a str, targets: &[(&'a str, &'a str)]) -> Vec<(String, &'a str)> {
    let mut form = vec![("form[year]".to_string(), year)];
    form.extend(
        targets
            .iter()
            .map(|(key, percent)| (format!("form[targets][{key}]"), *percent)),
    );
    form
}

async fn save_targets(
    admin: &crate::support::Visitor,
    year: &str,
    targets: &[(&str, &str)],
) -> Result<(), AppError> {
    let form = targets_form(year, targets);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    admin.call("/api/save_targets", &form).await
}

#[tokio::test]
async fn a_years_targets_are_saved_together_with_one_form() {
    let w = world().await;
    save_targets(
        &w.admin,
        "2026",
        &[
            ("market:coc-leu", "80"),
            // A Vietnamese decimal comma, and a key with a space and Vietnamese letters.
            ("district:Sa Pa", "62,5"),
            ("entity_type:household", "70.5 %"),
            ("ocop_products", "90"),
            ("province", "50"),
        ],
    )
    .await
    .unwrap();
    let report = w.admin.report("2026-04-30", "").await.unwrap().report;
    // 80 % of 3 is 2.4: three entities needed, one onboarded.
    let cl = row(&report, "market:coc-leu");
    assert_eq!((cl.target_percent, cl.gap), (80.0, 2));
    assert_eq!(row(&report, "district:Sa Pa").target_percent, 62.5);
    assert_eq!(row(&report, "entity_type:household").target_percent, 70.5);
    assert_eq!(report.ocop_products.target_percent, 90.0);
    assert_eq!(row(&report, "market:sa-pa").target_percent, 50.0);
    // Targets are per year.
    let next_year = w.admin.report("2027-01-31", "").await.unwrap().report;
    assert_eq!(row(&next_year, "market:coc-leu").target_percent, 50.0);
    // Only administrators set them.
    assert_eq!(
        save_targets(&w.coc_leu, "2026", &[("market:coc-leu", "10")]).await,
        Err(AppError::Forbidden)
    );
}

#[tokio::test]
async fn a_wrong_target_saves_none_and_marks_each_wrong_one() {
    let w = world().await;
    let answer = save_targets(
        &w.admin,
        "2026",
        &[
            ("market:coc-leu", "80"),
            ("province", "120"),
            ("district:Sa Pa", "năm mươi"),
        ],
    )
    .await;
    let mut expected = FieldErrors::new();
    expected.push("target-district-Sa-Pa", Invalid::NotANumber);
    expected.push("target-province", Invalid::OutOfRange { min: 0, max: 100 });
    assert_eq!(answer, Err(AppError::Invalid(expected)));
    let report = w.admin.report("2026-04-30", "").await.unwrap().report;
    assert_eq!(
        row(&report, "market:coc-leu").target_percent,
        50.0,
        "the right one was not saved alone"
    );
    assert_eq!(
        save_targets(&w.admin, "1999", &[("province", "50")]).await,
        Err(AppError::field(
            "year",
            Invalid::OutOfRange {
                min: 2020,
                max: 2100
            }
        ))
    );
    assert_eq!(
        save_targets(&w.admin, "2026", &[("market:ha-noi", "50")]).await,
        Err(AppError::NotFound)
    );
}

#[tokio::test]
async fn a_refused_targets_form_comes_back_as_typed_without_javascript() {
    let w = world().await;
    let page = format!("{}/admin/report?as_of=2026-04-30", w.app.base);
    let form = targets_form(
        "2026",
        &[
            ("market:coc-leu", "75"),
            ("province", "120"),
            ("district:Sa Pa", "năm mươi"),
        ],
    );
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let res = w
        .admin
        .post_form_with(
            "/api/save_targets",
            &form,
            &[("accept", "text/html"), ("referer", &page)],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let html = w
        .admin
        .get("/admin/report?as_of=2026-04-30")
        .await
        .text()
        .await
        .unwrap();
    for typed in ["75", "120", "năm mươi"] {
        assert!(
            html.contains(&format!("value=\"{typed}\"")),
            "{typed} is back in the form"
        );
    }
    // Read once: the next view shows the saved targets again.
    let html = w
        .admin
        .get("/admin/report?as_of=2026-04-30")
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("value=\"năm mươi\""));
    assert!(html.contains("id=\"target-market-coc-leu\""));
}
