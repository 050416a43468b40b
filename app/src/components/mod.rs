//! Pieces of interface that several pages use.
pub mod cards;
pub mod checklist;
pub mod forms;
pub mod layout;
pub mod meta;
pub mod pager;
pub mod print;
pub mod region;
pub mod table;

use crate::i18n::{Locale, use_i18n};
use leptos::prelude::*;

/// Whether the visitor reads English; the interface is Vietnamese otherwise.
pub fn english() -> Signal<bool> {
    let i18n = use_i18n();
    Signal::derive(move || i18n.get_locale() == Locale::en)
}

/// When a pickup order is collected, in the visitor's language (`Chủ nhật 29/11/2026`,
/// `Sunday 29/11/2026`), or the weekday alone for an order placed before dates were kept.
pub fn pickup_when(order: &crate::model::Order) -> Option<Signal<String>> {
    use crate::vocab::Label;
    let (day, date) = order.pickup_when()?;
    let i18n = use_i18n();
    Some(Signal::derive(move || {
        let day = day.label(i18n.get_locale());
        match date {
            Some(date) => format!("{day} {}", crate::domain::figures::date(date)),
            None => day.to_owned(),
        }
    }))
}

/// The decimal mark of the visitor's language: `0,5 kg` in Vietnamese, `0.5 kg` in English.
pub fn decimal_sep(english: bool) -> char {
    if english { '.' } else { ',' }
}

/// A moment as people in Lào Cai read it (UTC+7): every page writes times with this one
/// function ([`crate::domain::figures`]).
pub use crate::domain::figures::lao_cai_time;

/// Percent-encodes a path or a query value for a link built in a page.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
