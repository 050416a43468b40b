//! "My purchases": the checkouts a signed-in shopper placed, each linking to its order page.
use crate::api::shop::my_purchases;
use crate::components::lao_cai_time;
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::i18n::*;
use crate::model::CheckoutView;
use crate::vocab::label;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn PurchasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let purchases = Resource::new(|| (), |_| my_purchases());
    view! {
        // The list names the shopper's orders: it is theirs alone and never indexed.
        <leptos_meta::Meta name="robots" content="noindex, nofollow" />
        <PageMeta title=tu_string!(i18n, purchases.title) description=tu_string!(i18n, purchases.description) />
        <h1>{t!(i18n, purchases.title)}</h1>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match purchases.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, purchases.empty)}</p> }.into_any(),
                    Ok(list) => view! { <PurchaseTable list /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One row per checkout: when it was placed, each stall with its order's status, what it
/// costs, and the link to its order page.
#[component]
fn PurchaseTable(list: Vec<CheckoutView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll">
            <table class="purchases">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, purchases.placed)}</th>
                        <th scope="col">{t!(i18n, purchases.stalls)}</th>
                        <th scope="col">{t!(i18n, purchases.total)}</th>
                        <th scope="col"><span class="sr-only">{t!(i18n, purchases.open)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|checkout| {
                        let placed = checkout.orders.first().map(|o| lao_cai_time(o.created_at));
                        let href = format!("/checkout/{}", checkout.token);
                        view! {
                            <tr data-token=checkout.token.clone()>
                                <td>{placed}</td>
                                <td>
                                    <ul class="plain">
                                        {checkout.orders.iter().map(|o| view! {
                                            <li>{o.stall_name.clone()} " · "
                                                <span class=format!("status {}", o.status.slug())>{label(o.status)}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </td>
                                // What the live orders charge; a checkout whose orders all
                                // ended charges nothing, and its statuses say why.
                                <td>{if checkout.total.amount() > 0 { checkout.total.to_string() } else { "—".to_string() }}</td>
                                <td><A href=href>{t!(i18n, purchases.open)}</A></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
