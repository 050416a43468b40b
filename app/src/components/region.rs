//! A part of a server-rendered page that reads itself again in place: the page is fetched
//! again, and the part (found by its selector) is replaced only when the state it shows
//! (its `data-state`) changed. Everything else on the page, and the page itself, stays.
//!
//! The pages are rendered on the server and only small parts run in the browser (islands):
//! this is how a live part follows the server without carrying its rendering code to the
//! browser.

/// The attribute that holds what a live part shows, compared to decide whether it changed.
pub const STATE_ATTR: &str = "data-state";

#[cfg(feature = "hydrate")]
mod client {
    use super::STATE_ATTR;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Document, Element};

    /// The state the part `selector` shows now on this page.
    pub fn shown_state(selector: &str) -> Option<String> {
        let document = web_sys::window()?.document()?;
        document
            .query_selector(selector)
            .ok()??
            .get_attribute(STATE_ATTR)
    }

    /// Reads the page again and puts its part `selector` in place of this page's when its
    /// state differs; answers the part now shown when it was replaced.
    pub async fn reread(selector: &str) -> Option<Element> {
        let window = web_sys::window()?;
        let document = window.document()?;
        let fresh = fetch_page(&window).await?;
        let new_part = fresh.query_selector(selector).ok()??;
        let old_part = document.query_selector(selector).ok()??;
        if new_part.get_attribute(STATE_ATTR) == old_part.get_attribute(STATE_ATTR) {
            return None;
        }
        // A page read by a parser without scripting holds its `noscript` parts as markup (a
        // reload every few seconds, for one): they have no place in a page whose script runs.
        if let Ok(hidden) = new_part.query_selector_all("noscript") {
            for i in 0..hidden.length() {
                if let Some(node) = hidden.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    node.remove();
                }
            }
        }
        let imported: Element = document
            .import_node_with_deep(&new_part, true)
            .ok()?
            .dyn_into()
            .ok()?;
        old_part.replace_with_with_node_1(&imported).ok()?;
        hydrate_islands_in(&imported);
        Some(imported)
    }

    /// This page's address read again, never from the browser's cache.
    async fn fetch_page(window: &web_sys::Window) -> Option<Document> {
        let href = window.location().href().ok()?;
        let init = web_sys::RequestInit::new();
        init.set_cache(web_sys::RequestCache::NoStore);
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(&href, &init))
                .await
                .ok()?
                .dyn_into()
                .ok()?;
        if !response.ok() {
            return None;
        }
        let text = JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()?;
        web_sys::DomParser::new()
            .ok()?
            .parse_from_string(&text, web_sys::SupportedType::TextHtml)
            .ok()
    }

    /// The islands inside a part put in place start, as those of the page did on load (the
    /// islands' loader keeps its function for that on `window`).
    fn hydrate_islands_in(part: &Element) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(hydrate) = js_sys::Reflect::get(&window, &JsValue::from_str("__hydrateIsland"))
        else {
            return;
        };
        let Ok(hydrate) = hydrate.dyn_into::<js_sys::Function>() else {
            return;
        };
        let Ok(islands) = part.query_selector_all("leptos-island") else {
            return;
        };
        for i in 0..islands.length() {
            if let Some(island) = islands.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let id = island.get_attribute("data-component").unwrap_or_default();
                let _ = hydrate.call2(&JsValue::NULL, &island, &JsValue::from_str(&id));
            }
        }
    }
}

#[cfg(feature = "hydrate")]
pub use client::{reread, shown_state};
