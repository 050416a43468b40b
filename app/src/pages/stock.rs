//! A product's stock on its edit page: what is left, one tap for goods received or spoiled,
//! and the history of the vendor's changes.
use crate::api::products::{AdjustStock, SaveProduct, stock_history};
use crate::components::decimal_sep;
use crate::components::forms::{FieldError, FormStatus, field_errors};
use crate::components::lao_cai_time;
use crate::components::meta::ErrorPanel;
use crate::domain::quantity::{Quantity, Unit};
use crate::domain::stock::StockReason;
use crate::i18n::*;
use crate::model::{Product, StockMove};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

#[component]
pub fn StockPanel(
    product: Product,
    adjust: ServerAction<AdjustStock>,
    save: ServerAction<SaveProduct>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = product.id;
    let unit = product.unit;
    let errors = field_errors(adjust.value());
    let history = Resource::new(
        move || (adjust.version().get(), save.version().get()),
        move |_| stock_history(id),
    );
    let left = move || match product.stock {
        Some(q) => amount(i18n, q, unit),
        None => t_string!(i18n, stock.unlimited).to_string(),
    };
    view! {
        <section class="stock" aria-labelledby="stock-title">
            <h2 id="stock-title">{t!(i18n, stock.title)}</h2>
            <p class="stock-now">{t!(i18n, stock.now)} ": " <strong>{left}</strong></p>
            {product.stock.is_some().then(|| view! {
                <ActionForm action=adjust attr:class="stock-adjust">
                    <input type="hidden" name="product_id" value=id.to_string() />
                    <label for="amount">{t!(i18n, stock.amount)}</label>
                    <input id="amount" name="amount" inputmode="decimal" required aria-describedby="amount-error" />
                    <p class="hint">{t!(i18n, stock.amount_hint)}</p>
                    <FieldError errors field="amount" />
                    <FormStatus value=adjust.value() />
                    <div class="stock-buttons">
                        <button type="submit" name="reason" value=StockReason::Received.slug()>{t!(i18n, stock.received)}</button>
                        <button type="submit" name="reason" value=StockReason::Spoiled.slug() class="secondary">{t!(i18n, stock.spoiled)}</button>
                    </div>
                </ActionForm>
            })}
            <h3>{t!(i18n, stock.history)}</h3>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match history.await {
                        Ok(moves) if moves.is_empty() => view! { <p>{t!(i18n, stock.no_history)}</p> }.into_any(),
                        Ok(moves) => view! {
                            <ul class="stock-history">
                                {moves.into_iter().map(|m| view! { <HistoryLine m unit /> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// One change: when, why, by how much and by whom, and what it left.
#[component]
fn HistoryLine(m: StockMove, unit: Unit) -> impl IntoView {
    let i18n = use_i18n();
    let reason = move || match m.reason {
        StockReason::Listed => t_string!(i18n, stock.reasons.listed),
        StockReason::Counted => t_string!(i18n, stock.reasons.counted),
        StockReason::Received => t_string!(i18n, stock.reasons.received),
        StockReason::Spoiled => t_string!(i18n, stock.reasons.spoiled),
    };
    let sign = if m.change.steps() > 0 { "+" } else { "" };
    let change = move || format!("{sign}{}", amount(i18n, m.change, unit));
    let after = move || amount(i18n, m.stock_after, unit);
    let by = m.by.clone();
    let who = move || {
        by.clone()
            .unwrap_or_else(|| t_string!(i18n, stock.by_nobody).to_string())
    };
    view! {
        <li>
            <time datetime=m.at.to_rfc3339()>{lao_cai_time(m.at)}</time>
            " · " <span class="stock-reason">{reason}</span>
            " " <strong class="stock-change">{change}</strong>
            " → " {after}
            " · " <span class="stock-by">{who}</span>
        </li>
    }
}

/// `1,5 kg` in Vietnamese, `1.5 kg` in English.
fn amount(i18n: I18nContext<Locale>, q: Quantity, unit: Unit) -> String {
    let locale = i18n.get_locale_untracked();
    format!(
        "{} {}",
        q.format_grouped(unit, decimal_sep(locale == Locale::en)),
        crate::vocab::Label::label(unit, locale)
    )
}
