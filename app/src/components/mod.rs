//! Pieces of interface that several pages use.
pub mod cards;
pub mod forms;
pub mod layout;
pub mod meta;

use crate::i18n::{Locale, use_i18n};
use leptos::prelude::*;

/// Whether the visitor reads English; the interface is Vietnamese otherwise.
pub fn english() -> Signal<bool> {
    let i18n = use_i18n();
    Signal::derive(move || i18n.get_locale() == Locale::en)
}

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
