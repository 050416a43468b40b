//! The checkout's page keeping itself up to date while an order waits for the shopper's
//! money: it turns "paid" within seconds of the bank's notification, with no reload and
//! nothing else on the page touched until something did change.
//!
//! The page listens to the server's events for its checkout (`/checkout/{token}/events`); each
//! `changed` event carries the checkout's [`CheckoutState`], and the page's orders (the part
//! [`LIVE_PART`], whose `data-state` holds the state it shows) are read again only when that
//! differs. Where the events can't pass (no `EventSource`, a refusal, errors again and again,
//! or a proxy that holds the stream back), it reads the page every few seconds instead, until
//! no order waits for money. Until its code runs (without JavaScript, it never does) it says to
//! reload and links to itself.
use crate::i18n::*;
use crate::model::{CheckoutState, CheckoutView};
use leptos::prelude::*;

/// The part of the checkout's page that follows the checkout: its orders.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub const LIVE_PART: &str = "div.checkout-live";

/// The attributes of [`LIVE_PART`]: the state it shows, and whether an order awaits money.
pub fn live_part_state(view: &CheckoutView) -> (String, &'static str) {
    let state = CheckoutState::of(view);
    let awaits = if state.awaits_money() {
        "true"
    } else {
        "false"
    };
    (serde_json::to_string(&state).unwrap_or_default(), awaits)
}

/// While an order waits for money: a line saying the page updates itself once its code runs
/// (and the listening itself), and before that a link to reload it.
#[component]
pub fn LiveStatus(view: CheckoutView) -> impl IntoView {
    let i18n = use_i18n();
    if !CheckoutState::of(&view).awaits_money() {
        return None;
    }
    Some(view! {
        <LiveFollow
            token=view.token
            updates=t_string!(i18n, checkout.live_updates).to_string()
            reload_hint=t_string!(i18n, checkout.reload_hint).to_string()
            reload=t_string!(i18n, checkout.reload).to_string()
        />
    })
}

/// The browser's side of [`LiveStatus`]: an island, with its words from the server.
#[island]
fn LiveFollow(
    token: String,
    updates: String,
    reload_hint: String,
    reload: String,
) -> impl IntoView {
    let running = RwSignal::new(false);
    // Set once no order of the checkout waits for money: the line goes, and so does the following.
    let done = RwSignal::new(false);
    let follow_token = token.clone();
    Effect::new(move |started: Option<()>| {
        if started.is_none() {
            running.set(true);
            #[cfg(feature = "hydrate")]
            client::follow(follow_token.clone(), done);
            #[cfg(not(feature = "hydrate"))]
            let _ = (&follow_token, done);
        }
    });
    // Until the page's code runs (never, without JavaScript or where the bundle can't load),
    // the page says how to see the money arrive: reload it. A `noscript` would stay silent on
    // a phone whose browser runs scripts but not this bundle.
    let href = format!("/checkout/{token}");
    view! {
        <div class="live-status no-print">
            {move || match (running.get(), done.get()) {
                (_, true) => ().into_any(),
                (true, false) => view! { <p class="hint" role="status">{updates.clone()}</p> }.into_any(),
                (false, false) => view! {
                    <p class="notice">
                        {reload_hint.clone()} " "
                        <a href=href.clone()>{reload.clone()}</a>
                    </p>
                }.into_any(),
            }}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod client;
