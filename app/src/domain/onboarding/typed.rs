//! Targets as administrators type them: a percent with at most one decimal, under a field
//! named after its segment.
use crate::domain::invalid::Invalid;

/// The field a segment's target is typed in and refused under: its key made fit for an HTML
/// id (`target-market-coc-leu`, `target-district-Bảo-Thắng`).
pub fn target_field(key: &str) -> String {
    format!("target-{}", key.replace([':', ' '], "-"))
}

/// A target typed as a percent with at most one decimal (`50`, `62.5`, `62,5 %`), in tenths.
pub fn parse_target(s: &str) -> Result<u16, Invalid> {
    let s = s.trim().trim_end_matches('%').trim().replace(',', ".");
    if s.is_empty() {
        return Err(Invalid::Required);
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, "0"));
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(frac) {
        return Err(Invalid::NotANumber);
    }
    if frac.len() > 1 {
        return Err(Invalid::TooManyDecimals { max: 1 });
    }
    let out_of_range = Invalid::OutOfRange { min: 0, max: 100 };
    let whole: u16 = whole.parse().map_err(|_| out_of_range.clone())?;
    let tenths = whole
        .checked_mul(10)
        .and_then(|w| w.checked_add(frac.parse().unwrap_or(0)))
        .filter(|t| *t <= 1000);
    tenths.ok_or(out_of_range)
}
