//! The frame of every page: header with the search box, language switch and account links.
use crate::app::use_auth;
use crate::domain::role::Role;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// The number of lines in the visitor's cart, shown in the header: read with the page, and
/// again after anything that changes the cart or who is signed in.
#[derive(Clone, Copy)]
pub struct CartCount {
    count: Resource<u64>,
    changed: RwSignal<u32>,
}

impl CartCount {
    fn provide() {
        let auth = use_auth();
        let changed = RwSignal::new(0);
        // Its source is a plain counter, not the signed-in user: a source that is itself still
        // loading while the page hydrates makes the count load again mid-hydration, and the
        // page's own content was then rendered twice. Signing in or out bumps the counter.
        let count = Resource::new(
            move || changed.get(),
            |_| async { crate::api::shop::cart_count().await.unwrap_or(0) },
        );
        let mut seen = None;
        Effect::new(move |_| {
            let user = auth.user.get().map(|u| u.map(|u| u.id));
            // The first answer is the one the page was rendered with; later ones are changes.
            if seen.is_some() && seen != Some(user) {
                changed.update(|n| *n += 1);
            }
            seen = Some(user);
        });
        provide_context(CartCount { count, changed });
    }

    /// Counts again each time `action` (which changes the cart) completes.
    pub fn refresh_after<S>(action: ServerAction<S>)
    where
        S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
        S::Output: Send + Sync + 'static,
        S::Error: Send + Sync + 'static,
    {
        let changed = expect_context::<CartCount>().changed;
        Effect::new(move |_| {
            if action.version().get() > 0 {
                changed.update(|n| *n += 1);
            }
        });
    }
}

/// The cart's link, with how many lines it holds once there are any.
#[component]
fn CartLink() -> impl IntoView {
    let i18n = use_i18n();
    let count = expect_context::<CartCount>().count;
    view! {
        <A href="/cart">
            {t!(i18n, nav.cart)}
            // Read inside the navigation's Transition, which waits for it on the server; a
            // Suspense of its own nested there rendered the page's content twice on hydration.
            {move || count.get().filter(|n| *n > 0).map(|n| view! { " " <span class="cart-count">{n}</span> })}
        </A>
    }
}

/// The header is one row on a phone: the brand, the language switch, the cart and a menu that
/// holds the rest (a `<details>`, which opens without JavaScript). The search box sits below.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    CartCount::provide();
    view! {
        <a class="skip" href="#main">{t!(i18n, nav.skip)}</a>
        <header class="top">
            <div class="bar">
                <A href="/" attr:class="brand">
                    "Chợ Số"
                </A>
                <LangSwitch />
                <Nav />
            </div>
            <form class="search-box" method="get" action="/search" role="search">
                <label class="sr-only" for="q">{t!(i18n, search.label)}</label>
                <input id="q" name="q" type="search" placeholder=move || t_string!(i18n, search.placeholder) />
                <button type="submit">{t!(i18n, search.button)}</button>
            </form>
        </header>
        <main id="main">{children()}</main>
        <footer class="foot">
            <p>{t!(i18n, footer.about)}</p>
        </footer>
    }
}

/// The page being shown, with its query: where a language switch or a sign-in sends the
/// visitor back to.
pub fn use_current_path() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let location = use_location();
    move || {
        let path = location.pathname.get();
        let query = location.search.get();
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    }
}

/// Links to the other language that work without JavaScript: the server sets the cookie and
/// sends the visitor back to the same page.
#[component]
fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let back = use_current_path();
    view! {
        <nav class="lang" aria-label=move || t_string!(i18n, nav.language)>
            {move || {
                let (code, label) = if i18n.get_locale() == Locale::en { ("vi", "Tiếng Việt") } else { ("en", "English") };
                let href = format!("/lang/{code}?next={}", super::urlencode(&back()));
                view! { <a href=href rel="external nofollow" hreflang=code>{label}</a> }
            }}
        </nav>
    }
}

/// Where the header's sign-in link leads: back to this page once signed in. From the home page
/// it carries no `next`, so each role lands where its work is (see `api::auth::landing`); from
/// the sign-in or sign-up page it keeps the page the visitor first came from.
fn login_href(here: &str) -> String {
    let path = here.split(['?', '#']).next().unwrap_or_default();
    match path {
        "/" | "/signup" => "/login".to_string(),
        "/login" => here.to_string(),
        _ => format!("/login?next={}", super::urlencode(here)),
    }
}

/// The cart, and the menu of everything else: signing in or up, or the signed-in user's pages
/// by role, and signing out.
#[component]
fn Nav() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let here = use_current_path();
    let menu = NodeRef::<leptos::html::Details>::new();
    // With JavaScript the header stays while the router changes the page: close the menu once
    // one of its links was followed (without it, every page is a fresh, closed header).
    Effect::new(move |_| {
        let _ = here();
        if let Some(details) = menu.get_untracked() {
            let _ = details.remove_attribute("open");
        }
    });
    view! {
        <Transition>
            {move || {
                auth.user.get().map(|user| view! {
                    <CartLink />
                    <details class="menu" node_ref=menu>
                        <summary>
                            <span class="icon" aria-hidden="true">"☰"</span>
                            <span class="label">{t!(i18n, nav.menu)}</span>
                        </summary>
                        <nav class="account" aria-label=move || t_string!(i18n, nav.account)>
                            {match user {
                                None => view! {
                                    <a href=move || login_href(&here())>{t!(i18n, nav.login)}</a>
                                    <A href="/signup">{t!(i18n, nav.signup)}</A>
                                }.into_any(),
                                Some(user) => view! { <UserLinks user /> }.into_any(),
                            }}
                        </nav>
                    </details>
                })
            }}
        </Transition>
    }
}

/// The signed-in user's name, their pages by role, and signing out.
#[component]
fn UserLinks(user: crate::model::User) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let staff = matches!(user.role, Role::MarketManager | Role::Admin);
    view! {
        <span class="who">{user.full_name.clone()}</span>
        {(user.role == Role::Vendor).then(|| view! {
            <A href="/my/collect">{t!(i18n, nav.collect)}</A>
            <A href="/my/orders">{t!(i18n, nav.orders)}</A>
            <A href="/my/stall">{t!(i18n, nav.my_stall)}</A>
            <A href="/my/payments">{t!(i18n, nav.payments)}</A>
            <A href="/my/transfers">{t!(i18n, nav.transfers)}</A>
            <A href="/my/statements">{t!(i18n, nav.statements)}</A>
        })}
        {staff.then(|| view! {
            <A href="/review">{t!(i18n, nav.review)}</A>
            <A href="/admin/report">{t!(i18n, nav.report)}</A>
            <A href="/admin/registry">{t!(i18n, nav.registry)}</A>
        })}
        {(user.role == Role::Admin).then(|| view! {
            // Administrators see every stall's orders and may upload
            // statements that pay any of them.
            <A href="/admin/orders">{t!(i18n, nav.orders)}</A>
            <A href="/my/statements">{t!(i18n, nav.statements)}</A>
            <A href="/admin/tokens">{t!(i18n, nav.tokens)}</A>
            <A href="/admin">{t!(i18n, nav.admin)}</A>
        })}
        <A href="/my/purchases">{t!(i18n, nav.purchases)}</A>
        <ActionForm action=auth.log_out attr:class="inline">
            <button type="submit" class="link">{t!(i18n, nav.logout)}</button>
        </ActionForm>
    }
}

#[cfg(test)]
mod tests {
    use super::login_href;

    #[test]
    fn the_sign_in_link_returns_to_the_page_but_not_to_the_home_page_or_itself() {
        assert_eq!(login_href("/"), "/login");
        assert_eq!(login_href("/signup"), "/login");
        assert_eq!(login_href("/login?next=/cart"), "/login?next=/cart");
        assert_eq!(login_href("/markets/bac-ha"), "/login?next=/markets/bac-ha");
        assert_eq!(
            login_href("/search?q=mật ong"),
            "/login?next=/search%3Fq%3Dm%E1%BA%ADt%20ong"
        );
    }
}
