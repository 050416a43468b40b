//! How figures are written for people, the one way every page and export writes them: moments
//! in Lào Cai's time, dates day first, percentages with the decimal mark of the reader's
//! language, and spreadsheets (CSV) that open as columns in that language's spreadsheet.
//!
//! The decimal mark comes from the caller (`','` in Vietnamese, `'.'` in English: see
//! `components::decimal_sep`), as for quantities ([`super::quantity::Quantity::format`]).
//! Machine formats (the reporting API's JSON, the `datetime` attributes) keep their own.
use super::onboarding::vietnam;
use chrono::{DateTime, NaiveDate, Utc};

/// A moment as people in Lào Cai read it (UTC+7, Asia/Ho_Chi_Minh, no daylight saving),
/// whatever the server's or the browser's zone: `30/04/2026 14:05`.
pub fn lao_cai_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&vietnam())
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// A calendar day, day first as Vietnamese write it (and as the English pages keep it, so a
/// date reads the same in both): `30/04/2026`.
pub fn date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// Tenths as people read them: `1000` is "100", `875` is "87,5" (or "87.5").
pub fn format_tenths(tenths: u32, decimal: char) -> String {
    match tenths % 10 {
        0 => (tenths / 10).to_string(),
        rest => format!("{}{decimal}{rest}", tenths / 10),
    }
}

/// A percentage given in tenths: `328` is "32,8%" (or "32.8%"), `500` is "50%".
pub fn percent(tenths: u32, decimal: char) -> String {
    format!("{}%", format_tenths(tenths, decimal))
}

/// A percentage kept as a number with one decimal (as the report computes it) in tenths,
/// rounded; nothing below zero.
pub fn tenths_of(percent: f64) -> u32 {
    (percent * 10.0).round().max(0.0) as u32
}

/// How a CSV export is written for a spreadsheet in the reader's language.
///
/// Excel (and LibreOffice) split a double-clicked CSV on the *list separator* of the
/// computer's regional settings, which is `,` where the decimal mark is `.` (English) and `;`
/// where the decimal mark is `,` (Vietnamese, vi-VN: "Dấu phân cách danh sách" is `;`). So
/// the Vietnamese export writes `32,8` and separates fields with `;`, the English one `32.8`
/// and `,`: each opens as columns of numbers in its own locale, and no number is ever cut in
/// two by the separator. A field holding the separator, a quote or a line break is quoted
/// (RFC 4180). No `sep=` line: Excel then ignores the byte-order mark and garbles the
/// Vietnamese letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvDialect {
    pub separator: char,
    pub decimal: char,
}

impl CsvDialect {
    /// The dialect of the language whose decimal mark is `decimal`.
    pub fn for_decimal(decimal: char) -> Self {
        let separator = if decimal == ',' { ';' } else { ',' };
        CsvDialect { separator, decimal }
    }

    /// One line of fields, ending in a line break.
    pub fn line<S: AsRef<str>>(&self, fields: &[S]) -> String {
        let mut out = fields
            .iter()
            .map(|f| self.field(f.as_ref()))
            .collect::<Vec<_>>()
            .join(&self.separator.to_string());
        out.push_str("\r\n");
        out
    }

    /// A number with one decimal given in tenths, without a percent sign: a spreadsheet
    /// reads `32,8` as a number in Vietnamese settings.
    pub fn tenths(&self, tenths: u32) -> String {
        format_tenths(tenths, self.decimal)
    }

    /// One field, quoted when it must be. Text that a spreadsheet would run as a formula
    /// (`=…`, `+…`, `@…`, or `-` not starting a number) gets a leading apostrophe, which
    /// spreadsheets show as text: names come from uploaded files and vendors' forms.
    fn field(&self, text: &str) -> String {
        let formula = text.starts_with(['=', '+', '@', '\t', '\r'])
            || (text.starts_with('-') && text[1..].parse::<f64>().is_err());
        let text = if formula {
            format!("'{text}")
        } else {
            text.to_string()
        };
        if text.contains([self.separator, '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn moments_are_read_in_lao_cai_time_whatever_the_zone_they_were_kept_in() {
        let evening_utc = Utc.with_ymd_and_hms(2026, 4, 30, 17, 5, 0).unwrap();
        // 17:05 UTC is five past midnight the next day in Lào Cai.
        assert_eq!(lao_cai_time(evening_utc), "01/05/2026 00:05");
        let morning = Utc.with_ymd_and_hms(2026, 1, 2, 1, 30, 0).unwrap();
        assert_eq!(lao_cai_time(morning), "02/01/2026 08:30");
    }

    #[test]
    fn dates_are_written_day_first() {
        let day = NaiveDate::from_ymd_opt(2026, 4, 3).unwrap();
        assert_eq!(date(day), "03/04/2026");
    }

    #[test]
    fn tenths_read_with_the_locales_decimal_mark() {
        assert_eq!(format_tenths(1000, ','), "100");
        assert_eq!(format_tenths(875, ','), "87,5");
        assert_eq!(format_tenths(875, '.'), "87.5");
        assert_eq!(format_tenths(3, '.'), "0.3");
    }

    #[test]
    fn percentages_use_the_decimal_mark_of_the_language() {
        assert_eq!(percent(328, ','), "32,8%");
        assert_eq!(percent(328, '.'), "32.8%");
        assert_eq!(percent(500, ','), "50%");
        assert_eq!(percent(tenths_of(32.8), ','), "32,8%");
        assert_eq!(percent(tenths_of(66.66), '.'), "66.7%");
        assert_eq!(tenths_of(-1.0), 0);
    }

    #[test]
    fn a_vietnamese_csv_separates_with_semicolons_and_an_english_one_with_commas() {
        let vi = CsvDialect::for_decimal(',');
        let en = CsvDialect::for_decimal('.');
        assert_eq!(
            vi.line(&["Chợ Cốc Lếu", &vi.tenths(328)]),
            "Chợ Cốc Lếu;32,8\r\n"
        );
        assert_eq!(
            en.line(&["Cốc Lếu Market", &en.tenths(328)]),
            "Cốc Lếu Market,32.8\r\n"
        );
    }

    #[test]
    fn a_field_holding_the_separator_or_a_quote_is_quoted() {
        let vi = CsvDialect::for_decimal(',');
        let en = CsvDialect::for_decimal('.');
        // A comma is no separator in Vietnamese: left as it is.
        assert_eq!(vi.line(&["Sa Pa, Lào Cai"]), "Sa Pa, Lào Cai\r\n");
        assert_eq!(en.line(&["Sa Pa, Lào Cai"]), "\"Sa Pa, Lào Cai\"\r\n");
        assert_eq!(
            vi.line(&["a;b", "say \"hi\""]),
            "\"a;b\";\"say \"\"hi\"\"\"\r\n"
        );
    }

    #[test]
    fn text_a_spreadsheet_would_run_as_a_formula_stays_text() {
        let en = CsvDialect::for_decimal('.');
        assert_eq!(
            en.line(&["=1+2", "@x", "-x", "-5", "5"]),
            "'=1+2,'@x,'-x,-5,5\r\n"
        );
    }
}
