//! The banks that take NAPAS 247 transfers, and the account a vendor is paid into.
//!
//! The bank list is NAPAS's public table of bank identification numbers (BINs), kept as the
//! CSV it is published in so that an update is a copy of the new file rather than a hand edit.
use super::invalid::{FieldErrors, Invalid};
use super::search::fold;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// NAPAS's table: `STT, Mã BIN, Code, Tên viết tắt, SWIFT, Android bundle, Tên Tổ chức phát
/// hành thẻ`, one header row, cells padded with spaces.
const BANKS_CSV: &str = include_str!("banks.csv");
/// Columns of [`BANKS_CSV`]; the last (the full name) is taken whole, commas and all.
const BANKS_CSV_COLUMNS: usize = 7;

/// Fewest digits in an account number; shorter ones are typing mistakes, not real accounts.
pub const ACCOUNT_NUMBER_MIN: usize = 6;
/// Most digits in an account number: the longest a VietQR code carries.
pub const ACCOUNT_NUMBER_MAX: usize = 19;
/// Longest account holder name, in characters, about what banks print on a transfer receipt.
pub const ACCOUNT_HOLDER_MAX: usize = 50;

/// One bank (or finance company) reachable through NAPAS 247.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Bank {
    /// The 6-digit bank identification number: the bank's key in a VietQR code.
    pub bin: &'static str,
    /// NAPAS's short code (`VCB`, `ICB`).
    pub code: &'static str,
    /// The name people know the bank by (`Vietcombank`), shown in the bank picker.
    pub short_name: &'static str,
    /// The registered Vietnamese name as NAPAS lists it, mostly without the leading
    /// "Ngân hàng" (`TMCP Ngoại thương Việt Nam`).
    pub name: &'static str,
}

/// Every bank, sorted by short name ignoring case, as a person scans a list for their bank.
pub fn banks() -> &'static [Bank] {
    static BANKS: OnceLock<Vec<Bank>> = OnceLock::new();
    BANKS.get_or_init(|| {
        let mut banks: Vec<Bank> = data_rows().map(parse_row).collect();
        banks.sort_by_cached_key(|bank| (bank.short_name.to_lowercase(), bank.bin));
        banks
    })
}

/// The bank with exactly this BIN.
pub fn bank_by_bin(bin: &str) -> Option<&'static Bank> {
    banks().iter().find(|bank| bank.bin == bin)
}

/// The lines of [`BANKS_CSV`] below its header, without blank ones (a trailing newline).
fn data_rows() -> impl Iterator<Item = &'static str> {
    BANKS_CSV
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
}

/// One row of the embedded table. The table is compiled in and checked by the tests, so a
/// malformed row is a build mistake and panics rather than being skipped unnoticed.
fn parse_row(line: &'static str) -> Bank {
    let cells: Vec<&'static str> = line.splitn(BANKS_CSV_COLUMNS, ',').map(str::trim).collect();
    let &[_number, bin, code, short_name, _swift, _android_app, name] = cells.as_slice() else {
        panic!("banks.csv: expected {BANKS_CSV_COLUMNS} columns in {line:?}");
    };
    Bank {
        bin,
        code,
        short_name,
        name,
    }
}

/// The account a vendor is paid into by bank transfer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BankAccount {
    /// BIN of a bank in [`banks`].
    pub bin: String,
    /// Digits only.
    pub number: String,
    /// Upper-case ASCII words, as the bank prints the name.
    pub holder: String,
}

impl BankAccount {
    /// Checks the three fields of the bank account form, reporting every mistake at once under
    /// `bank`, `account_number` and `account_holder`.
    ///
    /// The number may be typed grouped (`0011 0012 34567`, `0011.001.234567`); the holder may be
    /// typed with accents and in any case, and is kept as the bank prints it
    /// (`Nguyễn Thị Hằng` → `NGUYEN THI HANG`) so the shopper can compare it with the name their
    /// banking app shows before sending money.
    pub fn parse(bin: &str, number: &str, holder: &str) -> Result<BankAccount, FieldErrors> {
        let mut errors = FieldErrors::new();
        let bank = errors.check("bank", known_bank(bin));
        let number = errors.check("account_number", account_number(number));
        let holder = errors.check("account_holder", account_holder(holder));
        match (bank, number, holder) {
            (Some(bank), Some(number), Some(holder)) => Ok(BankAccount {
                bin: bank.bin.to_owned(),
                number,
                holder,
            }),
            _ => Err(errors),
        }
    }

    /// The bank this account is at; `None` only for an account built by hand with an unknown
    /// BIN, or stored before NAPAS dropped its bank from the list.
    pub fn bank(&self) -> Option<&'static Bank> {
        bank_by_bin(&self.bin)
    }
}

fn known_bank(bin: &str) -> Result<&'static Bank, Invalid> {
    match bin.trim() {
        "" => Err(Invalid::Required),
        bin => bank_by_bin(bin).ok_or(Invalid::Unknown),
    }
}

fn account_number(s: &str) -> Result<String, Invalid> {
    let digits: String = s
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '.' | '-')))
        .collect();
    if digits.is_empty() {
        Err(Invalid::Required)
    } else if !digits.bytes().all(|b| b.is_ascii_digit()) {
        Err(Invalid::NotANumber)
    } else if digits.len() < ACCOUNT_NUMBER_MIN {
        Err(Invalid::TooShort {
            min: ACCOUNT_NUMBER_MIN,
        })
    } else if digits.len() > ACCOUNT_NUMBER_MAX {
        Err(Invalid::TooLong {
            max: ACCOUNT_NUMBER_MAX,
        })
    } else {
        Ok(digits)
    }
}

/// Folded as banks print names: no accents, upper case, single spaces. Letters with no ASCII
/// form are dropped, since a bank could not print them either.
fn account_holder(s: &str) -> Result<String, Invalid> {
    let folded = fold(s);
    let words: Vec<String> = folded
        .split(' ')
        .map(|word| {
            word.chars()
                .filter(char::is_ascii)
                .collect::<String>()
                .to_ascii_uppercase()
        })
        .filter(|word| !word.is_empty())
        .collect();
    let holder = words.join(" ");
    if holder.is_empty() {
        Err(Invalid::Required)
    } else if holder.len() > ACCOUNT_HOLDER_MAX {
        Err(Invalid::TooLong {
            max: ACCOUNT_HOLDER_MAX,
        })
    } else {
        Ok(holder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn short_name(bin: &str) -> Option<&'static str> {
        bank_by_bin(bin).map(|bank| bank.short_name)
    }

    #[test]
    fn every_row_of_the_napas_table_is_a_bank() {
        let data_lines = BANKS_CSV.lines().count() - 1;
        assert_eq!(data_lines, 56);
        assert_eq!(banks().len(), data_lines);
    }

    #[test]
    fn well_known_bins_name_the_right_banks() {
        assert_eq!(short_name("970436"), Some("Vietcombank"));
        assert_eq!(short_name("970415"), Some("VietinBank"));
        assert_eq!(short_name("970405"), Some("Agribank"));
        assert_eq!(short_name("970423"), Some("TPBank"));
        assert_eq!(short_name("970418"), Some("BIDV"));
        assert_eq!(short_name("123456"), None);
        assert_eq!(short_name(" 970436"), None);
    }

    #[test]
    fn cells_are_trimmed_of_their_padding() {
        let vcb = bank_by_bin("970436").unwrap();
        assert_eq!(vcb.code, "VCB");
        assert_eq!(vcb.name, "TMCP Ngoại thương Việt Nam");
        let last = bank_by_bin("970470").unwrap();
        assert_eq!(last.short_name, "MCredit");
        assert_eq!(last.name, "Công ty Tài chính TNHH MB SHINSEI");
    }

    #[test]
    fn every_bin_is_six_digits_and_unique() {
        let mut seen = HashSet::new();
        for bank in banks() {
            assert!(
                bank.bin.len() == 6 && bank.bin.bytes().all(|b| b.is_ascii_digit()),
                "{bank:?}"
            );
            assert!(seen.insert(bank.bin), "duplicate BIN {}", bank.bin);
            assert!(!bank.code.is_empty() && !bank.short_name.is_empty() && !bank.name.is_empty());
        }
    }

    #[test]
    fn banks_are_listed_by_short_name_ignoring_case() {
        let names: Vec<String> = banks()
            .iter()
            .map(|b| b.short_name.to_lowercase())
            .collect();
        assert!(names.is_sorted(), "{names:?}");
        assert_eq!(banks()[0].short_name, "ABBank");
    }

    #[test]
    fn an_account_keeps_digits_and_the_holder_as_the_bank_prints_it() {
        let account = BankAccount::parse(" 970436 ", "0011 0012.3456-7", "  Nguyễn Thị Hằng ");
        assert_eq!(
            account,
            Ok(BankAccount {
                bin: "970436".to_owned(),
                number: "0011001234567".to_owned(),
                holder: "NGUYEN THI HANG".to_owned(),
            })
        );
        assert_eq!(account.unwrap().bank().unwrap().short_name, "Vietcombank");
    }

    #[test]
    fn a_holder_loses_accents_d_stroke_and_punctuation() {
        let holder = account_holder;
        assert_eq!(holder("Đỗ Văn Đức"), Ok("DO VAN DUC".to_owned()));
        assert_eq!(holder("giàng  a  páo"), Ok("GIANG A PAO".to_owned()));
        assert_eq!(
            holder("Lý Thị Mỷ (H'Mông)"),
            Ok("LY THI MY H MONG".to_owned())
        );
        assert_eq!(holder("Ma\u{323}\u{302}u"), Ok("MAU".to_owned()));
        assert_eq!(holder("王 Lan"), Ok("LAN".to_owned()));
    }

    #[test]
    fn an_unknown_or_missing_bank_is_refused_under_bank() {
        let err = BankAccount::parse("999999", "0011001234567", "An").unwrap_err();
        assert_eq!(err.get("bank"), Some(&Invalid::Unknown));
        assert_eq!(err.0.len(), 1);
        let err = BankAccount::parse("  ", "0011001234567", "An").unwrap_err();
        assert_eq!(err.get("bank"), Some(&Invalid::Required));
    }

    #[test]
    fn an_account_number_is_six_to_nineteen_digits() {
        let number = account_number;
        assert_eq!(number("123456"), Ok("123456".to_owned()));
        assert_eq!(
            number("1234 5678 9012 3456 789"),
            Ok("1234567890123456789".to_owned())
        );
        assert_eq!(number("12345"), Err(Invalid::TooShort { min: 6 }));
        assert_eq!(
            number("12345678901234567890"),
            Err(Invalid::TooLong { max: 19 })
        );
        assert_eq!(number("0011a01234"), Err(Invalid::NotANumber));
        assert_eq!(number("+84912345678"), Err(Invalid::NotANumber));
        assert_eq!(number("１２３４５６"), Err(Invalid::NotANumber));
        assert_eq!(number(" - . "), Err(Invalid::Required));
    }

    #[test]
    fn a_holder_is_required_and_at_most_fifty_characters() {
        assert_eq!(account_holder("  "), Err(Invalid::Required));
        assert_eq!(account_holder("?!"), Err(Invalid::Required));
        assert_eq!(account_holder(&"A".repeat(50)), Ok("A".repeat(50)));
        assert_eq!(
            account_holder(&"Ă".repeat(51)),
            Err(Invalid::TooLong { max: 50 })
        );
    }

    #[test]
    fn every_mistake_in_the_form_is_reported_at_once() {
        let err = BankAccount::parse("", "12", "").unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["bank", "account_number", "account_holder"]);
    }

    #[test]
    fn an_account_deserializes_from_its_field_names() {
        use serde::de::value::{Error, MapDeserializer};
        let fields = [
            ("bin", "970415"),
            ("number", "0011001932418"),
            ("holder", "TRAN VAN BINH"),
        ];
        let account =
            BankAccount::deserialize(MapDeserializer::<_, Error>::new(fields.into_iter()));
        assert_eq!(
            account.unwrap(),
            BankAccount::parse("970415", "0011001932418", "Trần Văn Bình").unwrap()
        );
    }
}
