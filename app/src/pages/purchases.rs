//! "My purchases": the checkouts a signed-in shopper placed, newest first, a page at a time,
//! each a card that opens its order page.
use crate::api::shop::my_purchases;
use crate::components::lao_cai_time;
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::pager::Pager;
use crate::domain::paging::PageNo;
use crate::i18n::*;
use crate::model::{CheckoutView, Order, Purchases};
use crate::vocab::label;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// How many product names a card names per order before "and N more".
const NAMES_SHOWN: usize = 3;

#[component]
pub fn PurchasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = move || PageNo::from_query(query.read().get_str("page"));
    let purchases = Resource::new(page, |page| my_purchases(Some(page)));
    view! {
        // The list names the shopper's orders: it is theirs alone and never indexed.
        <leptos_meta::Meta name="robots" content="noindex, nofollow" />
        <PageMeta title=tu_string!(i18n, purchases.title) description=tu_string!(i18n, purchases.description) />
        <h1>{t!(i18n, purchases.title)}</h1>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match purchases.await {
                    Ok(list) if list.is_empty() && list.page == PageNo::FIRST => {
                        view! { <p class="empty">{t!(i18n, purchases.empty)}</p> }.into_any()
                    }
                    Ok(list) => view! { <PurchaseList list /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One card per checkout, and links to the newer and older pages.
#[component]
fn PurchaseList(list: Purchases) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    view! {
        <ul class="purchases">
            {list.items.into_iter().map(|checkout| view! { <PurchaseCard checkout /> }).collect_view()}
        </ul>
        <Pager path="/my/purchases" query=query.get_untracked() page=list.page has_next=list.has_next label=tu_string!(i18n, purchases.pages) />
    }
}

/// A checkout as a card, tappable as a whole: when it was placed, what the live orders charge
/// (a checkout whose orders all ended charges nothing, and its statuses say why), and per
/// stall its status and what was bought.
#[component]
fn PurchaseCard(checkout: CheckoutView) -> impl IntoView {
    let i18n = use_i18n();
    let placed = checkout.orders.first().map(|o| lao_cai_time(o.created_at));
    let total = (checkout.total.amount() > 0).then(|| checkout.total.to_string());
    view! {
        <li class="purchase" data-token=checkout.token.clone()>
            <A href=format!("/checkout/{}", checkout.token)>
                <span class="purchase-head">
                    <span class="placed">{placed}</span>
                    <strong class="price">{total.unwrap_or_else(|| "—".to_string())}</strong>
                </span>
                <ul class="plain">
                    {checkout.orders.iter().map(|o| view! { <PurchasedOrder order=o.clone() /> }).collect_view()}
                </ul>
                <span class="open">{t!(i18n, purchases.open)}</span>
            </A>
        </li>
    }
}

/// One stall's order on a purchase card: the stall, its status and its products by name.
#[component]
fn PurchasedOrder(order: Order) -> impl IntoView {
    let i18n = use_i18n();
    let names: Vec<String> = order
        .lines
        .iter()
        .take(NAMES_SHOWN)
        .map(|l| l.name.clone())
        .collect();
    let more = order.lines.len().saturating_sub(NAMES_SHOWN);
    view! {
        <li>
            <span class="stall">{order.stall_name.clone()}</span> " "
            <span class=format!("status {}", order.status.slug())>{label(order.status)}</span>
            <span class="items">
                {names.join(", ")}
                {(more > 0).then(|| view! { " " {move || t_string!(i18n, purchases.more_items, n = more).to_string()} })}
            </span>
        </li>
    }
}
