//! One order as its receipt, and how to pay it by transfer. Both fit a 360 px phone: the
//! receipt's lines stack on a narrow screen instead of scrolling sideways, and account numbers,
//! amounts and codes never break in the middle.
use crate::api::shop::RestoreOrder;
use crate::components::{decimal_sep, english, lao_cai_time, pickup_when};
use crate::domain::money::Dong;
use crate::domain::order::{Fulfilment, OrderEnding};
use crate::i18n::*;
use crate::model::{Order, TransferCode};
use crate::vocab::label;
use leptos::prelude::*;

/// The receipt: number, date, how the order is paid and collected, what ended it if it ended
/// (with a way to put its items back in the cart), and every line with its unit price, the
/// delivery fee and the total.
#[component]
pub fn Receipt(order: Order, token: String, restore: ServerAction<RestoreOrder>) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let fulfilment = order.fulfilment;
    let pickup = pickup_when(&order);
    let ordered_at = lao_cai_time(order.created_at);
    let ending = order.ending();
    view! {
        <dl class="receipt-facts">
            <dt>{t!(i18n, checkout.receipt_no)}</dt>
            <dd class="code nowrap">{order.code.clone()}</dd>
            <dt>{t!(i18n, checkout.ordered_at)}</dt>
            <dd class="nowrap">{ordered_at}</dd>
            <dt>{t!(i18n, checkout.method)}</dt>
            <dd>{label(order.method)}</dd>
            <dt>{t!(i18n, checkout.fulfilment)}</dt>
            <dd>
                {label(fulfilment)}
                {pickup.map(|when| view! { ", " {when} })}
                {order.address.clone().map(|a| view! { ": " {a} })}
            </dd>
        </dl>
        {ending.map(|ending| view! {
            <div class="ended no-print">
                <p>{ending_message(i18n, ending)}</p>
                <ActionForm action=restore attr:class="inline">
                    <input type="hidden" name="token" value=token />
                    <input type="hidden" name="order_id" value=order.id.to_string() />
                    <button type="submit">{t!(i18n, checkout.restore)}</button>
                </ActionForm>
            </div>
        })}
        <table class="lines">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, checkout.item)}</th>
                    <th scope="col">{t!(i18n, cart.quantity)}</th>
                    <th scope="col">{t!(i18n, checkout.unit_price)}</th>
                    <th scope="col">{t!(i18n, checkout.line_total)}</th>
                </tr>
            </thead>
            <tbody>
                {order.lines.iter().map(|l| {
                    let unit = l.unit;
                    view! {
                        <tr>
                            <td class="item">{l.name.clone()}</td>
                            <td class="qty">{l.quantity.format(unit, decimal_sep(en.get_untracked()))} " " {label(unit)}</td>
                            <td class="unit-price">{l.unit_price.to_string()}</td>
                            <td class="amount">{l.total.to_string()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
            <tfoot>
                {(fulfilment == Fulfilment::Delivery).then(|| view! {
                    <tr><th scope="row" colspan="3">{t!(i18n, checkout.delivery_fee)}</th><td class="amount">{order.delivery_fee.to_string()}</td></tr>
                })}
                <tr class="total"><th scope="row" colspan="3">{t!(i18n, cart.total)}</th><td class="amount"><strong>{order.total.to_string()}</strong></td></tr>
            </tfoot>
        </table>
    }
}

/// How to pay an order by transfer: the amount and the deadline in large type, its VietQR code
/// to scan, and the same details as text, each with a copy button, for a shopper paying from
/// the phone that shows the code (who can't scan their own screen). On paper the whole payload
/// is printed, not a cut-off field.
#[component]
pub fn TransferDetails(
    code: TransferCode,
    total: Dong,
    reference: String,
    deadline: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let payload_id = format!("payload-{}", code.order_id);
    let test_bank = code.test_bank.clone();
    let pay_url = code.pay_url.clone();
    // payOS's own purpose, which its QR carries, replaces the order's code.
    let reference = code.reference.clone().unwrap_or(reference);
    // Name, what is shown, what is copied, and whether it may wrap (names do; numbers don't).
    let details = [
        (
            tu_string!(i18n, checkout.bank),
            code.bank_name.clone(),
            code.bank_name,
            true,
        ),
        (
            tu_string!(i18n, checkout.account_number),
            code.account_number.clone(),
            code.account_number,
            false,
        ),
        (
            tu_string!(i18n, checkout.account_holder),
            code.account_holder.clone(),
            code.account_holder,
            true,
        ),
        // Shown the Vietnamese way, copied as the plain number a banking app's field takes.
        (
            tu_string!(i18n, checkout.amount),
            total.to_string(),
            total.amount().to_string(),
            false,
        ),
        (
            tu_string!(i18n, checkout.reference),
            reference.clone(),
            reference,
            false,
        ),
    ];
    view! {
        <div class="vietqr">
            <p class="due">
                <span>{t!(i18n, checkout.transfer_amount)}</span> " " <strong class="amount">{total.to_string()}</strong>
            </p>
            <p class="due">{t!(i18n, checkout.deadline)} " " <strong class="nowrap">{deadline}</strong></p>
            <div class="qr" inner_html=code.svg></div>
            <p class="hint">{t!(i18n, checkout.scan)}</p>
            {pay_url.map(|href| view! {
                <p class="no-print pay-link"><a href=href rel="noopener">{t!(i18n, checkout.pay_payos)}</a></p>
            })}
            {test_bank.map(|href| view! {
                <p class="no-print test-bank"><a href=href target="_blank" rel="noopener">{t!(i18n, checkout.test_bank)}</a></p>
            })}
            <p class="no-print">{t!(i18n, checkout.same_phone)}</p>
            <dl class="transfer-details">
                {details.into_iter().map(|(name, shown, copied, wraps)| view! {
                    <div>
                        <dt>{name}</dt>
                        <dd>
                            <span class=if wraps { "value" } else { "value nowrap" }>{shown}</span>
                            " " <CopyButton text=copied what=name.to_string() copy=tu_string!(i18n, checkout.copy).to_string() copied_label=tu_string!(i18n, checkout.copied).to_string() />
                        </dd>
                    </div>
                }).collect_view()}
            </dl>
            <label class="no-print" for=payload_id.clone()>{t!(i18n, checkout.payload)}</label>
            <input id=payload_id class="payload no-print" readonly value=code.payload.clone() />
            <p class="payload-print print-only"><code>{code.payload}</code></p>
        </div>
    }
}

/// Copies `text` to the clipboard. The clipboard needs the browser's script, so the button
/// appears only once the page is interactive, and never on paper. An island: its words
/// (`copy`, `copied`, and `what` it copies) come from the server, in the page's language.
#[island]
fn CopyButton(text: String, what: String, copy: String, copied_label: String) -> impl IntoView {
    let interactive = RwSignal::new(false);
    let copied = RwSignal::new(false);
    Effect::new(move || interactive.set(true));
    let aria = format!("{copy} {what}");
    move || {
        let (text, aria, copy, copied_label) = (
            text.clone(),
            aria.clone(),
            copy.clone(),
            copied_label.clone(),
        );
        interactive.get().then(|| {
            view! {
                <button type="button" class="copy no-print"
                    aria-label=aria
                    on:click=move |_| {
                        copy_to_clipboard(&text);
                        copied.set(true);
                    }>
                    {move || if copied.get() { copied_label.clone() } else { copy.clone() }}
                </button>
            }
        })
    }
}

/// Puts `text` on the clipboard; a browser that refuses (no permission, no secure context)
/// leaves the text on the page to copy by hand.
fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

/// What happened to an order that ended unpaid or cancelled, in the shopper's words.
fn ending_message(i18n: leptos_i18n::I18nContext<Locale>, ending: OrderEnding) -> &'static str {
    match ending {
        OrderEnding::PaymentFailed => tu_string!(i18n, checkout.ended_payment_failed),
        OrderEnding::NotPaidInTime => tu_string!(i18n, checkout.ended_not_paid),
        OrderEnding::Cancelled => tu_string!(i18n, checkout.ended_cancelled),
        OrderEnding::CancelledRefunded => tu_string!(i18n, checkout.ended_refunded),
        OrderEnding::CancelledTransferReturned => {
            tu_string!(i18n, checkout.ended_transfer_returned)
        }
    }
}

/// Prints the receipt. Printing needs the browser's script, so the button appears only once the
/// page is interactive, and never on paper. An island: its `label` comes from the server.
#[island]
pub fn PrintButton(label: String) -> impl IntoView {
    let interactive = RwSignal::new(false);
    Effect::new(move || interactive.set(true));
    move || {
        let label = label.clone();
        interactive.get().then(|| {
            view! {
                <button type="button" class="print no-print" on:click=move |_| {
                    let _ = window().print();
                }>{label}</button>
            }
        })
    }
}
