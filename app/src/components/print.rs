//! Printing a page (the stall's placard, the report) from a phone as well as a computer.
use leptos::prelude::*;

/// A button that opens the browser's print dialog, shown once the page's script runs; before
/// that, and without JavaScript, the words (`how`) that say how to print from the browser's
/// menu on a phone (where there is no Ctrl+P) or a computer. An island: its words come from
/// the server, in the page's language.
#[island]
pub fn PrintButton(label: String, how: String) -> impl IntoView {
    // Effects run only in the browser, once the island starts: the server's page has no button
    // that would do nothing.
    let scripted = RwSignal::new(false);
    Effect::new(move |_| scripted.set(true));
    let print = move |_| {
        if let Err(err) = window().print() {
            leptos::logging::warn!("printing failed: {err:?}");
        }
    };
    view! {
        <span class="print-help no-print">
            <button type="button" class="print" hidden=move || !scripted.get() on:click=print>
                {label}
            </button>
            <span class="hint" hidden=move || scripted.get()>{how}</span>
        </span>
    }
}
