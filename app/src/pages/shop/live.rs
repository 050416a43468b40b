//! The checkout's page keeping itself up to date while an order waits for the shopper's
//! money: it turns "paid" within seconds of the bank's notification, with no reload and
//! nothing else on the page touched until something did change.
//!
//! The page listens to the server's events for its checkout (`/checkout/{token}/events`); each
//! `changed` event carries the checkout's [`CheckoutState`], and the page reads itself again
//! only when that differs from what it shows. Where the events can't pass (no `EventSource`,
//! a refusal, errors again and again, or a proxy that holds the stream back), it asks the
//! server every few seconds instead, until no order waits for money. Until its code runs
//! (without JavaScript, it never does) it says to reload and links to itself.
use crate::i18n::*;
use crate::model::{CheckoutState, CheckoutView};
use leptos::prelude::*;

/// Makes the checkout's page read itself again. Created once with the page, it outlives each
/// reading, and remembers when the events could not pass so the page keeps polling instead.
#[derive(Clone, Copy)]
pub struct LiveRefresh {
    version: RwSignal<u32>,
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    polling: StoredValue<bool>,
}

impl Default for LiveRefresh {
    fn default() -> Self {
        LiveRefresh {
            version: RwSignal::new(0),
            polling: StoredValue::new(false),
        }
    }
}

impl LiveRefresh {
    /// Changes each time the page must be read again (tracked: a resource's source).
    pub fn version(self) -> u32 {
        self.version.get()
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn again(self) {
        self.version.update(|v| *v = v.wrapping_add(1));
    }
}

/// While an order waits for money: a line saying the page updates itself once its code runs
/// (and the listening itself), and before that a link to reload it.
#[component]
pub fn LiveStatus(view: CheckoutView, refresh: LiveRefresh) -> impl IntoView {
    let i18n = use_i18n();
    let shown = CheckoutState::of(&view);
    if !shown.awaits_money() {
        return None;
    }
    let running = RwSignal::new(false);
    let token = view.token;
    let follow_token = token.clone();
    Effect::new(move |started: Option<()>| {
        if started.is_none() {
            running.set(true);
            #[cfg(feature = "hydrate")]
            client::follow(follow_token.clone(), shown.clone(), refresh);
            #[cfg(not(feature = "hydrate"))]
            let _ = (&follow_token, &shown, refresh);
        }
    });
    // Until the page's code runs (never, without JavaScript or where the bundle can't load),
    // the page says how to see the money arrive: reload it. A `noscript` would stay silent on
    // a phone whose browser runs scripts but not this bundle.
    let href = format!("/checkout/{token}");
    Some(view! {
        <div class="live-status no-print">
            {move || if running.get() {
                view! { <p class="hint" role="status">{t!(i18n, checkout.live_updates)}</p> }.into_any()
            } else {
                view! {
                    <p class="notice">
                        {t!(i18n, checkout.reload_hint)} " "
                        <a href=href.clone()>{t!(i18n, checkout.reload)}</a>
                    </p>
                }.into_any()
            }}
        </div>
    })
}

#[cfg(feature = "hydrate")]
mod client;
