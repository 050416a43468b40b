//! A wide table's box.
use leptos::prelude::*;

/// On a phone a wide table scrolls sideways inside this box, never the page. The box is a
/// named region that takes keyboard focus, so its hidden columns can be reached with the arrow
/// keys as well as a finger.
#[component]
pub fn TableScroll(#[prop(into)] label: Signal<String>, children: Children) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label=move || label.get()>
            {children()}
        </div>
    }
}
