//! The document shell, the router and the context every page shares.
use crate::api::auth::{LogOut, who_am_i};
use crate::components::layout::Layout;
use crate::i18n::*;
use crate::model::User;
use crate::pages;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1d6b4f" />
                <AutoReload options=options.clone() />
                // The bundle's files are addressed under their version (see the server's
                // `http::assets`), so browsers keep them for good and fetch them again only
                // after a new build.
                <link
                    rel="stylesheet"
                    id="leptos"
                    href=format!("/{}/{}.css", options.site_pkg_dir, options.output_name)
                />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The signed-in user, shared by every page, and what tells it to look again.
#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Option<User>>,
    pub log_out: ServerAction<LogOut>,
    changed: RwSignal<u32>,
}

impl Auth {
    /// Reloads the signed-in user whenever `action` (a sign-in or sign-up) completes.
    pub fn reload_after<S>(&self, action: ServerAction<S>)
    where
        S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
        S::Output: Send + Sync + 'static,
        S::Error: Send + Sync + 'static,
    {
        let changed = self.changed;
        Effect::new(move |_| {
            if action.version().get() > 0 {
                changed.update(|n| *n += 1);
            }
        });
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider>
            <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
            <Meta property="og:site_name" content="Chợ Số" />
            <Router>
                <AuthProvider>
                    <Layout>
                        // Every page waits for its data before it is sent: slower to first byte, but whole
                        // without JavaScript (streamed parts need a script to be put in place).
                        <Routes fallback=pages::not_found::NotFound>
                            <Route path=path!("/") view=pages::home::Home ssr=SsrMode::Async />
                            <Route path=path!("/markets/:market") view=pages::market::MarketPage ssr=SsrMode::Async />
                            <Route path=path!("/ocop") view=pages::market::OcopPage ssr=SsrMode::Async />
                            <Route path=path!("/stalls/:slug") view=pages::stall::StallPage ssr=SsrMode::Async />
                            <Route path=path!("/products/:id") view=pages::product::ProductPage ssr=SsrMode::Async />
                            <Route path=path!("/search") view=pages::search::SearchPage ssr=SsrMode::Async />
                            <Route path=path!("/login") view=pages::account::LoginPage ssr=SsrMode::Async />
                            <Route path=path!("/signup") view=pages::account::SignupPage ssr=SsrMode::Async />
                            <Route path=path!("/my/stall") view=pages::vendor::MyStallPage ssr=SsrMode::Async />
                            <Route path=path!("/my/products/new") view=pages::new_product::NewProductPage ssr=SsrMode::Async />
                            <Route path=path!("/my/products/:id") view=pages::vendor::EditProductPage ssr=SsrMode::Async />
                            <Route path=path!("/review") view=pages::review::ReviewPage ssr=SsrMode::Async />
                            <Route path=path!("/cart") view=pages::shop::CartPage ssr=SsrMode::Async />
                            <Route path=path!("/checkout/:token") view=pages::shop::CheckoutPage ssr=SsrMode::Async />
                            <Route path=path!("/my/purchases") view=pages::purchases::PurchasesPage ssr=SsrMode::Async />
                            <Route path=path!("/my/orders") view=pages::sales::MyOrdersPage ssr=SsrMode::Async />
                            <Route path=path!("/my/payments") view=pages::sales::PaymentSettingsPage ssr=SsrMode::Async />
                            <Route path=path!("/my/statements") view=pages::sales::StatementsPage ssr=SsrMode::Async />
                            <Route path=path!("/my/transfers") view=pages::sales::BankTransfersPage ssr=SsrMode::Async />
                            <Route path=path!("/my/placard") view=pages::sales::PlacardPage ssr=SsrMode::Async />
                            <Route path=path!("/my/collect") view=pages::sales::CollectPage ssr=SsrMode::Async />
                            <Route path=path!("/my/collect/:code") view=pages::sales::CollectScreenPage ssr=SsrMode::Async />
                            <Route path=path!("/admin") view=pages::admin::AdminPage ssr=SsrMode::Async />
                            <Route path=path!("/admin/orders") view=pages::sales::AdminOrdersPage ssr=SsrMode::Async />
                            <Route path=path!("/admin/registry") view=pages::registry::RegistryPage ssr=SsrMode::Async />
                            <Route path=path!("/admin/report") view=pages::report::ReportPage ssr=SsrMode::Async />
                            <Route path=path!("/admin/tokens") view=pages::report::TokensPage ssr=SsrMode::Async />
                        </Routes>
                    </Layout>
                </AuthProvider>
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn AuthProvider(children: Children) -> impl IntoView {
    let log_out = ServerAction::<LogOut>::new();
    let changed = RwSignal::new(0);
    let user = Resource::new(
        move || (changed.get(), log_out.version().get()),
        |_| async { who_am_i().await.ok().flatten() },
    );
    provide_context(Auth {
        user,
        log_out,
        changed,
    });
    children()
}
