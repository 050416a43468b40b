//! Reading the registry CSV (its columns are in the README) and importing it, for the
//! upload and for `choso registry import`, which share every step.
use app::domain::invalid::{FieldErrors, Invalid};
use app::domain::registry::{FileProblem, ImportSummary, REQUIRED_COLUMNS, RegistryRow, Rejection};
use app::ports::{Registry, StoreResult};
use std::collections::HashMap;

/// A registry of a whole province is a few thousand rows; this leaves ample room.
pub const MAX_REGISTRY_BYTES: usize = 8 * 1024 * 1024;

/// The rows of a file, checked: the good ones, and each rejected one with its line number.
#[derive(Debug, Default)]
pub struct Checked {
    pub rows: Vec<RegistryRow>,
    pub rejections: Vec<Rejection>,
}

/// Reads a registry file: UTF-8 (a byte-order mark is skipped), comma-separated with RFC 4180
/// quoting, LF or CRLF line ends, a header row naming at least the required columns.
pub fn check(bytes: &[u8]) -> Result<Checked, FileProblem> {
    if bytes.len() > MAX_REGISTRY_BYTES {
        return Err(FileProblem::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FileProblem::NotText)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The reader places a record after a CRLF on the line before it; with LF alone it counts
    // lines as a spreadsheet shows them.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|_| FileProblem::NoHeader)?.clone();
    let index: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_ascii_lowercase(), i))
        .collect();
    let missing: Vec<String> = REQUIRED_COLUMNS
        .iter()
        .filter(|c| !index.contains_key(**c))
        .map(|c| c.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(FileProblem::MissingColumns(missing));
    }
    let mut checked = Checked::default();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let (line, result) = match record {
            // The line a spreadsheet shows where the row begins (the header is line 1).
            Ok(record) => (record.position().map_or(0, |p| p.line()), Ok(record)),
            Err(err) => (err.position().map_or(0, |p| p.line()), Err(err)),
        };
        let record = match result {
            Ok(record) if record.iter().all(|f| f.trim().is_empty()) => continue,
            Ok(record) => record,
            Err(_) => {
                let mut errors = FieldErrors::new();
                errors.push("row", Invalid::Unknown);
                checked.rejections.push(Rejection {
                    line,
                    external_id: String::new(),
                    errors,
                });
                continue;
            }
        };
        let get = |column: &str| index.get(column).and_then(|&i| record.get(i)).unwrap_or("");
        let external_id = get("external_id").trim().to_string();
        let parsed =
            RegistryRow::parse(get).and_then(|row| match first_line.get(&row.external_id) {
                Some(_) => {
                    let mut errors = FieldErrors::new();
                    errors.push("external_id", Invalid::Duplicate);
                    Err(errors)
                }
                None => Ok(row),
            });
        match parsed {
            Ok(row) => {
                first_line.insert(row.external_id.clone(), line);
                checked.rows.push(row);
            }
            Err(errors) => checked.rejections.push(Rejection {
                line,
                external_id,
                errors,
            }),
        }
    }
    Ok(checked)
}

/// Applies the checked rows — all of them (in batches: see [`Registry::import`]), or with
/// `strict` and any rejection, none — and says what happened. `progress` hears of each row applied.
pub async fn import(
    registry: &dyn Registry,
    checked: Checked,
    strict: bool,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> StoreResult<ImportSummary> {
    let mut summary = ImportSummary {
        rows: checked.rows.len() + checked.rejections.len(),
        rejected: checked.rejections.len(),
        rejections: checked.rejections,
        ..Default::default()
    };
    if strict && !summary.rejections.is_empty() {
        return Ok(summary);
    }
    let counts = registry.import(&checked.rows, progress).await?;
    summary.created = counts.created;
    summary.updated = counts.updated;
    summary.unchanged = counts.unchanged;
    summary.applied = true;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_and_crlf_line_ends_are_read_and_lines_are_counted_from_the_header() {
        let file = "\u{feff}external_id,kind,market,stall_no,name,entity_type,phone,district,ocop_products\r\n\
            CL-1,market_vendor,coc-leu,A-1,\"Nguyễn Văn A, con\",household,0912000001,Lào Cai,\r\n\
            CL-2,market_vendor,,A-2,Trần B,household,,Lào Cai,\r\n\
            \r\n\
            OC-1,ocop_producer,,,HTX Mận,cooperative,,Bắc Hà,\"Mận|4;Rượu mận|3\"\r\n\
            CL-1,market_vendor,coc-leu,A-3,Lê C,household,,Lào Cai,\r\n";
        let checked = check(file.as_bytes()).unwrap();
        let ids: Vec<&str> = checked
            .rows
            .iter()
            .map(|r| r.external_id.as_str())
            .collect();
        assert_eq!(ids, ["CL-1", "OC-1"]);
        assert_eq!(checked.rows[0].name, "Nguyễn Văn A, con");
        let rejected: Vec<(u64, &str, &str, Invalid)> = checked
            .rejections
            .iter()
            .flat_map(|r| {
                r.errors.0.iter().map(move |e| {
                    (
                        r.line,
                        r.external_id.as_str(),
                        e.field.as_str(),
                        e.invalid.clone(),
                    )
                })
            })
            .collect();
        assert_eq!(
            rejected,
            vec![
                (3, "CL-2", "market", Invalid::Required),
                (6, "CL-1", "external_id", Invalid::Duplicate),
            ]
        );
    }

    #[test]
    fn a_file_without_the_required_columns_is_refused_whole() {
        assert_eq!(
            check(b"id,name\n1,A\n").unwrap_err(),
            FileProblem::MissingColumns(vec![
                "external_id".into(),
                "kind".into(),
                "entity_type".into(),
                "district".into()
            ])
        );
        assert_eq!(
            check(&[0xff, 0xfe, 0x00]).unwrap_err(),
            FileProblem::NotText
        );
    }
}
