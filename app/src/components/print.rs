//! Printing a page (the stall's placard, the report) from a phone as well as a computer.
use crate::i18n::*;
use leptos::prelude::*;

/// A button that opens the browser's print dialog, shown once the page's script runs; before
/// that, and without JavaScript, the words that say how to print from the browser's menu on a
/// phone (where there is no Ctrl+P) or a computer.
#[component]
pub fn PrintButton(#[prop(into)] label: TextProp) -> impl IntoView {
    let i18n = use_i18n();
    // Effects run only in the browser, after hydration: the server's page has no button that
    // would do nothing.
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
                {move || label.get().to_string()}
            </button>
            <span class="hint" hidden=move || scripted.get()>{t!(i18n, print.how)}</span>
        </span>
    }
}
