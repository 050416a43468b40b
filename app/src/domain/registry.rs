//! The registry of every vendor the province knows, onboarded or not: one row of the imported
//! CSV, checked field by field so a rejected row names each of its mistakes.
use super::category::OcopStars;
use super::figures::CsvDialect;
use super::invalid::{FieldErrors, Invalid, NAME_MAX, optional_text, required_text};
use super::market::{EntityType, Market, district};
use super::phone::Phone;
use super::search::fold;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// Which list an entry comes from: a market board's stall list or the OCOP programme's.
    pub enum RegistryKind {
        MarketVendor = "market_vendor",
        OcopProducer = "ocop_producer",
    }
}

/// The columns of the registry CSV, in the order an export writes them.
pub const COLUMNS: [&str; 9] = [
    "external_id",
    "kind",
    "market",
    "stall_no",
    "name",
    "entity_type",
    "phone",
    "district",
    "ocop_products",
];

/// The columns a file must have (the others may be left out of the header).
pub const REQUIRED_COLUMNS: [&str; 5] = ["external_id", "kind", "name", "entity_type", "district"];

/// Longest issuer id and stall number, in characters.
pub const ID_MAX: usize = 64;
pub const STALL_NO_MAX: usize = 20;

/// One certified OCOP product of a producer, as the registry names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OcopProductRef {
    pub name: String,
    pub stars: OcopStars,
}

/// One checked registry row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryRow {
    pub external_id: String,
    pub kind: RegistryKind,
    pub market: Option<Market>,
    pub stall_no: Option<String>,
    pub name: String,
    pub entity_type: EntityType,
    pub phone: Option<Phone>,
    /// The district as the registry spells it, normalised to the province's list.
    pub district: String,
    pub ocop_products: Vec<OcopProductRef>,
}

impl RegistryRow {
    /// Checks one row given as `column → text` (a column absent from the file reads as empty).
    pub fn parse<'a>(get: impl Fn(&str) -> &'a str) -> Result<RegistryRow, FieldErrors> {
        let mut errors = FieldErrors::new();
        let external_id = errors.check("external_id", required_text(get("external_id"), ID_MAX));
        let kind = errors.check("kind", required(get("kind")).and_then(|k| k.parse()));
        let market = errors.check("market", optional(get("market"), |m| m.parse::<Market>()));
        match (kind, &market) {
            (Some(RegistryKind::MarketVendor), Some(None)) => {
                errors.push("market", Invalid::Required)
            }
            (Some(RegistryKind::OcopProducer), Some(Some(_))) => {
                errors.push("market", Invalid::NotForKind)
            }
            _ => {}
        }
        let stall_no = errors.check("stall_no", optional_text(get("stall_no"), STALL_NO_MAX));
        let name = errors.check("name", required_text(get("name"), NAME_MAX));
        let entity_type = errors.check(
            "entity_type",
            required(get("entity_type")).and_then(|t| t.parse()),
        );
        let phone = errors.check("phone", optional(get("phone"), Phone::parse));
        let district = errors.check("district", district(get("district")));
        let ocop_products = errors.check("ocop_products", ocop_products(get("ocop_products")));
        if kind == Some(RegistryKind::MarketVendor)
            && ocop_products.as_ref().is_some_and(|p| !p.is_empty())
        {
            errors.push("ocop_products", Invalid::NotForKind);
        }
        errors.into_result()?;
        // Every `check` above succeeded, so each value is present.
        let missing = || FieldErrors::new();
        Ok(RegistryRow {
            external_id: external_id.ok_or_else(missing)?,
            kind: kind.ok_or_else(missing)?,
            market: market.flatten(),
            stall_no: stall_no.flatten(),
            name: name.ok_or_else(missing)?,
            entity_type: entity_type.ok_or_else(missing)?,
            phone: phone.flatten(),
            district: district.ok_or_else(missing)?.to_string(),
            ocop_products: ocop_products.ok_or_else(missing)?,
        })
    }

    /// The row as the CSV's columns, in [`COLUMNS`] order: what an export writes back.
    pub fn to_record(&self) -> [String; 9] {
        [
            self.external_id.clone(),
            self.kind.slug().to_string(),
            self.market
                .map(|m| m.slug().to_string())
                .unwrap_or_default(),
            self.stall_no.clone().unwrap_or_default(),
            self.name.clone(),
            self.entity_type.slug().to_string(),
            self.phone
                .as_ref()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
            self.district.clone(),
            self.ocop_products_text(),
        ]
    }

    /// The OCOP products as the CSV writes them: `name|stars;…`.
    pub fn ocop_products_text(&self) -> String {
        self.ocop_products
            .iter()
            .map(|p| format!("{}|{}", p.name, p.stars.get()))
            .collect::<Vec<_>>()
            .join(";")
    }
}

fn required(s: &str) -> Result<&str, Invalid> {
    match s.trim() {
        "" => Err(Invalid::Required),
        s => Ok(s),
    }
}

fn optional<T>(s: &str, parse: impl Fn(&str) -> Result<T, Invalid>) -> Result<Option<T>, Invalid> {
    match s.trim() {
        "" => Ok(None),
        s => parse(s).map(Some),
    }
}

/// `name|stars;name|stars…`; empty items (a trailing `;`) are ignored.
pub fn ocop_products(s: &str) -> Result<Vec<OcopProductRef>, Invalid> {
    s.split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let (name, stars) = item.rsplit_once('|').ok_or(Invalid::Unknown)?;
            let stars: u8 = stars.trim().parse().map_err(|_| Invalid::NotANumber)?;
            Ok(OcopProductRef {
                name: required_text(name, NAME_MAX)?,
                stars: OcopStars::new(stars)?,
            })
        })
        .collect()
}

/// A rejected row: its line in the file (the header is line 1) and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub line: u64,
    pub external_id: String,
    pub errors: FieldErrors,
}

/// Why a whole file was refused before any row was read. The interface translates these;
/// the English text is the command line's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum FileProblem {
    /// Not UTF-8 text (a spreadsheet saved in another format).
    #[error("the file is not UTF-8 text")]
    NotText,
    /// No readable header row.
    #[error("the file is empty or has no header row")]
    NoHeader,
    #[error("the header row lacks the columns {}", .0.join(", "))]
    MissingColumns(Vec<String>),
    #[error("the file is larger than the 8 MB a registry may be")]
    TooLarge,
}

/// What an import did, or — for a strict import with rejections — would have done.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// How many rows were rejected; `rejections` may hold only the first of them.
    pub rejected: usize,
    pub rejections: Vec<Rejection>,
    /// False when a strict import found rejections and so applied nothing.
    pub applied: bool,
}

impl ImportSummary {
    /// The summary with at most `max` rejections listed (the count stays whole): what the
    /// interface keeps to show, however broken a file was.
    pub fn keeping(mut self, max: usize) -> ImportSummary {
        self.rejections.truncate(max);
        self
    }
}

/// The rejected rows as CSV for a spreadsheet in the reader's language (`dialect`), under
/// the column names `header` gives (line, external id, column, reason), one line per refused
/// field, with each reason in the words `reason` gives it: the interface's translation.
pub fn rejections_csv(
    rejections: &[Rejection],
    header: [&str; 4],
    dialect: CsvDialect,
    reason: impl Fn(&Invalid) -> String,
) -> String {
    let mut out = dialect.line(&header);
    for r in rejections {
        for e in &r.errors.0 {
            out.push_str(&dialect.line(&[
                r.line.to_string(),
                r.external_id.clone(),
                e.field.clone(),
                reason(&e.invalid),
            ]));
        }
    }
    out
}

/// The rejected rows as the command line and the seed write them: English column names and
/// the reasons' developer English.
pub fn rejections_csv_en(rejections: &[Rejection]) -> String {
    let header = ["Line", "external_id", "Column", "Reason"];
    rejections_csv(rejections, header, CsvDialect::for_decimal('.'), |i| {
        i.to_string()
    })
}

/// Whether a registry OCOP product is the product a stall lists: the same words, whichever
/// holds the other (`Mật ong bạc hà` is `Mật ong bạc hà Bắc Hà 500 ml`).
pub fn same_product(registered: &str, listed: &str) -> bool {
    let (a, b) = (fold(registered), fold(listed));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let contains = |hay: &str, needle: &str| format!(" {hay} ").contains(&format!(" {needle} "));
    contains(&b, &a) || contains(&a, &b)
}

/// What is known of a stall when looking for its registry entry.
pub struct StallClues<'a> {
    /// The stall's phone and its owner's, normalised.
    pub phones: &'a [String],
    pub market: Option<Market>,
    pub stall_no: Option<&'a str>,
    pub products: &'a [String],
}

/// How likely `row` is the stall's vendor (0: not at all). A phone number is the strongest
/// sign, the market's stall number the next, for an OCOP producer a registered product that
/// the stall sells the weakest.
pub fn likeness(row: &RegistryRow, clues: &StallClues) -> u8 {
    let mut score = 0;
    if row
        .phone
        .as_ref()
        .is_some_and(|p| clues.phones.iter().any(|c| c == p.as_str()))
    {
        score += 4;
    }
    let same_no = match (&row.stall_no, clues.stall_no) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        _ => false,
    };
    if row.market.is_some() && row.market == clues.market && same_no {
        score += 2;
    }
    if row.kind == RegistryKind::OcopProducer
        && clues.market.is_none()
        && row
            .ocop_products
            .iter()
            .any(|r| clues.products.iter().any(|p| same_product(&r.name, p)))
    {
        score += 1;
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> Result<RegistryRow, FieldErrors> {
        let map: HashMap<&str, &str> = pairs.iter().copied().collect();
        RegistryRow::parse(|c| map.get(c).copied().unwrap_or(""))
    }

    fn fields(errors: &FieldErrors) -> Vec<(&str, Invalid)> {
        errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.invalid.clone()))
            .collect()
    }

    #[test]
    fn a_market_vendor_row_parses_with_its_phone_and_district_normalised() {
        let row = parse(&[
            ("external_id", " CL-001 "),
            ("kind", "market_vendor"),
            ("market", "coc-leu"),
            ("stall_no", "B-12"),
            ("name", "Nguyễn Thị Mai"),
            ("entity_type", "household"),
            ("phone", "0912 345 678"),
            ("district", "lao cai"),
        ])
        .unwrap();
        assert_eq!(row.external_id, "CL-001");
        assert_eq!(row.market, Some(Market::CocLeu));
        assert_eq!(row.phone.unwrap().as_str(), "+84912345678");
        assert_eq!(row.district, "Lào Cai");
        assert!(row.ocop_products.is_empty());
    }

    #[test]
    fn an_ocop_row_carries_its_products_with_stars() {
        let row = parse(&[
            ("external_id", "OCOP-7"),
            ("kind", "ocop_producer"),
            ("name", "HTX Mận Bắc Hà"),
            ("entity_type", "cooperative"),
            ("district", "Bắc Hà"),
            ("ocop_products", "Mận tam hoa|4; Rượu mận|3;"),
        ])
        .unwrap();
        assert_eq!(row.ocop_products.len(), 2);
        assert_eq!(row.ocop_products[1].name, "Rượu mận");
        assert_eq!(row.ocop_products[1].stars.get(), 3);
    }

    #[test]
    fn every_mistake_of_a_row_is_named_by_its_column() {
        let errors = parse(&[
            ("kind", "market_vendor"),
            ("name", ""),
            ("entity_type", "family"),
            ("phone", "12345"),
            ("district", "Hà Nội"),
            ("ocop_products", "Chè|6"),
        ])
        .unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![
                ("external_id", Invalid::Required),
                ("market", Invalid::Required),
                ("name", Invalid::Required),
                ("entity_type", Invalid::Unknown),
                ("phone", Invalid::Phone),
                ("district", Invalid::Unknown),
                ("ocop_products", Invalid::OutOfRange { min: 3, max: 5 }),
            ]
        );
    }

    #[test]
    fn a_market_belongs_to_market_vendors_and_products_to_ocop_producers() {
        let errors = parse(&[
            ("external_id", "X"),
            ("kind", "ocop_producer"),
            ("market", "sa-pa"),
            ("name", "A"),
            ("entity_type", "business"),
            ("district", "Sa Pa"),
        ])
        .unwrap_err();
        assert_eq!(fields(&errors), vec![("market", Invalid::NotForKind)]);
        let errors = parse(&[
            ("external_id", "Y"),
            ("kind", "market_vendor"),
            ("market", "sa-pa"),
            ("name", "B"),
            ("entity_type", "household"),
            ("district", "Sa Pa"),
            ("ocop_products", "Táo mèo|3"),
        ])
        .unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![("ocop_products", Invalid::NotForKind)]
        );
    }

    #[test]
    fn a_product_list_needs_a_bar_and_whole_stars() {
        assert_eq!(ocop_products("Mật ong"), Err(Invalid::Unknown));
        assert_eq!(ocop_products("Mật ong|bốn"), Err(Invalid::NotANumber));
        assert_eq!(ocop_products(" ; "), Ok(vec![]));
    }

    #[test]
    fn a_row_written_back_parses_to_itself() {
        let row = parse(&[
            ("external_id", "OCOP-9"),
            ("kind", "ocop_producer"),
            ("name", "Cơ sở Chè Shan Tuyết"),
            ("entity_type", "business"),
            ("phone", "+84 912 000 999"),
            ("district", "Bát Xát"),
            ("ocop_products", "Chè shan tuyết|5;Chè xanh|3"),
        ])
        .unwrap();
        let record = row.to_record();
        let pairs: Vec<(&str, &str)> = COLUMNS
            .iter()
            .zip(record.iter())
            .map(|(c, v)| (*c, v.as_str()))
            .collect();
        assert_eq!(parse(&pairs).unwrap(), row);
    }

    #[test]
    fn a_phone_outweighs_a_stall_number_which_outweighs_a_product() {
        let row = |id: &str, market: &str, no: &str, phone: &str, kind: &str, products: &str| {
            parse(&[
                ("external_id", id),
                ("kind", kind),
                ("market", market),
                ("stall_no", no),
                ("name", "A"),
                ("entity_type", "household"),
                ("phone", phone),
                ("district", "Sa Pa"),
                ("ocop_products", products),
            ])
            .unwrap()
        };
        let phones = ["+84912000001".to_string()];
        let products = ["Táo mèo sấy Sa Pa".to_string()];
        let market_stall = StallClues {
            phones: &phones,
            market: Some(Market::SaPa),
            stall_no: Some("s-01"),
            products: &products,
        };
        let by_phone = row("A", "sa-pa", "S-09", "0912000001", "market_vendor", "");
        let by_stall_no = row("B", "sa-pa", "S-01", "", "market_vendor", "");
        let elsewhere = row("C", "bac-ha", "S-01", "", "market_vendor", "");
        assert_eq!(likeness(&by_phone, &market_stall), 4);
        assert_eq!(likeness(&by_stall_no, &market_stall), 2);
        assert_eq!(likeness(&elsewhere, &market_stall), 0);
        let ocop_stall = StallClues {
            market: None,
            stall_no: None,
            ..market_stall
        };
        let producer = row("D", "", "", "", "ocop_producer", "Táo mèo sấy|4");
        assert_eq!(likeness(&producer, &ocop_stall), 1);
        assert_eq!(likeness(&by_stall_no, &ocop_stall), 0);
    }

    #[test]
    fn rejections_are_written_one_line_per_field_quoted_where_needed() {
        let mut errors = FieldErrors::new();
        errors.push("name", Invalid::Required);
        errors.push("kind", Invalid::Unknown);
        let rejections = [Rejection {
            line: 7,
            external_id: "CL,\"9\"".into(),
            errors,
        }];
        let header = ["Dòng", "external_id", "Cột", "Lý do"];
        assert_eq!(
            rejections_csv(&rejections, header, CsvDialect::for_decimal(','), |i| i
                .to_string()),
            "Dòng;external_id;Cột;Lý do\r\n\
             7;\"CL,\"\"9\"\"\";name;required\r\n\
             7;\"CL,\"\"9\"\"\";kind;not one of the allowed values\r\n"
        );
        let header = ["Line", "external_id", "Column", "Reason"];
        let en = rejections_csv(&rejections, header, CsvDialect::for_decimal('.'), |i| {
            i.to_string()
        });
        assert!(
            en.starts_with("Line,external_id,Column,Reason\r\n7,\"CL,"),
            "{en}"
        );
    }

    #[test]
    fn a_registered_product_matches_a_listing_by_whole_words_either_way() {
        assert!(same_product(
            "Mật ong bạc hà",
            "Mật ong bạc hà Bắc Hà 500 ml"
        ));
        assert!(same_product(
            "Miến dong Bát Xát loại đặc biệt",
            "miến dong bát xát"
        ));
        assert!(!same_product("Rượu ngô", "Rượu ngũ cốc"));
        assert!(!same_product("Mận", "Mật ong"));
        assert!(!same_product("Mận", ""));
    }
}
