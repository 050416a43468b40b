//! Bank statement CSV files (date, amount, description) as vendors download them from their
//! bank: matched against open orders by the order code in the description and the amount.
use app::api::sales::{LineProblem, RejectedLine};
use app::domain::money::Dong;
use app::domain::search::fold;
use app::ports::StatementEntry;
use chrono::NaiveDate;
use std::collections::HashMap;

/// A statement's lines, and the ones that could not be read, by line number and reason.
#[derive(Debug, Default, PartialEq)]
pub struct Parsed {
    pub entries: Vec<StatementEntry>,
    pub rejected: Vec<RejectedLine>,
}

/// Which column holds what, from the header row, in English or Vietnamese, any case or accents.
fn column(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    headers
        .iter()
        .position(|h| names.contains(&fold(h).as_str()))
}

fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

impl Parsed {
    fn reject(&mut self, line: u64, problem: LineProblem) {
        self.rejected.push(RejectedLine { line, problem });
    }
}

pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_string())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("unreadable header row: {e}"))?
        .clone();
    let (Some(at), Some(amount), Some(text_col)) = (
        column(&headers, &["date", "ngay", "ngay giao dich"]),
        column(&headers, &["amount", "so tien", "credit", "ghi co"]),
        column(&headers, &["description", "noi dung", "dien giai", "mo ta"]),
    ) else {
        return Err("the header row needs columns date, amount and description".to_string());
    };
    let mut parsed = Parsed::default();
    let mut seen: HashMap<(NaiveDate, i64, String), u32> = HashMap::new();
    for (index, record) in reader.records().enumerate() {
        // Line numbers as a spreadsheet shows them: the header is line 1.
        let line = index as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                tracing::debug!(line, error = %e, "an unreadable statement line");
                parsed.reject(line, LineProblem::Unreadable);
                continue;
            }
        };
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_string();
        let Some(booked_on) = date(&field(at)) else {
            parsed.reject(line, LineProblem::Date);
            continue;
        };
        let Ok(amount) = Dong::parse_price(&field(amount)) else {
            parsed.reject(line, LineProblem::Amount);
            continue;
        };
        let description = field(text_col);
        let occurrence = seen
            .entry((booked_on, amount.amount(), description.clone()))
            .or_insert(0);
        parsed.entries.push(StatementEntry {
            booked_on,
            amount,
            description,
            occurrence: *occurrence,
        });
        *occurrence += 1;
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bank_export_with_bom_crlf_and_vietnamese_headers_reads() {
        let csv = "\u{feff}Ngày,Số tiền,Nội dung\r\n25/11/2026,150.000,CT DEN DH2026000123 Tra sen\r\n2026-11-25,abc,x\r\n";
        let parsed = parse(csv.as_bytes()).unwrap();
        assert_eq!(parsed.entries.len(), 1);
        assert_eq!(parsed.entries[0].amount.amount(), 150_000);
        assert_eq!(
            parsed.entries[0].booked_on,
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
        );
        assert_eq!(
            parsed.rejected,
            vec![RejectedLine {
                line: 3,
                problem: LineProblem::Amount
            }]
        );
    }

    #[test]
    fn identical_lines_are_told_apart_by_their_occurrence() {
        let csv =
            "date,amount,description\n2026-11-25,50000,tien hang\n2026-11-25,50000,tien hang\n";
        let parsed = parse(csv.as_bytes()).unwrap();
        assert_eq!(
            parsed
                .entries
                .iter()
                .map(|e| e.occurrence)
                .collect::<Vec<_>>(),
            [0, 1]
        );
    }

    #[test]
    fn every_unreadable_line_is_kept_with_its_line_number_and_why() {
        let csv = "date,amount,description\n31/02/2026,50000,x\n2026-11-25,-5,y\n2026-11-25,50000,ok\n,,\n";
        let parsed = parse(csv.as_bytes()).unwrap();
        assert_eq!(parsed.entries.len(), 1);
        assert_eq!(
            parsed.rejected,
            [
                RejectedLine {
                    line: 2,
                    problem: LineProblem::Date
                },
                RejectedLine {
                    line: 3,
                    problem: LineProblem::Amount
                },
                RejectedLine {
                    line: 5,
                    problem: LineProblem::Date
                },
            ]
        );
    }

    #[test]
    fn a_file_without_the_needed_columns_is_refused() {
        assert!(parse(b"foo,bar\n1,2\n").is_err());
    }
}
