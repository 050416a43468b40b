//! The transfers a vendor's bank-notification service (payOS, SePay) reported, newest first,
//! each saying what it did: paid an order, paid part of one (and what is still due), paid too
//! much (and what to give back), came too late (all of it to give back), or named two orders
//! or none (for the vendor to look at).
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::domain::bank_notice::CreditKind;
use crate::domain::figures;
use crate::i18n::*;
use crate::model::ReportedTransfer;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

#[component]
pub fn BankTransfersPage() -> impl IntoView {
    let i18n = use_i18n();
    let transfers = Resource::new(|| (), |_| crate::api::sales::bank_transfers());
    view! {
        <PageMeta title=tu_string!(i18n, transfers.title) description=tu_string!(i18n, transfers.lead) />
        <h1>{t!(i18n, transfers.title)}</h1>
        <p>{t!(i18n, transfers.lead)}</p>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match transfers.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">{t!(i18n, transfers.none)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="transfers">
                            {list.into_iter().map(|t| view! { <Transfer transfer=t /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One transfer: its amount and time large, the purpose as the bank wrote it, and what it did.
#[component]
fn Transfer(transfer: ReportedTransfer) -> impl IntoView {
    let i18n = use_i18n();
    let class = match transfer.kind {
        CreditKind::Paid => "transfer paid",
        CreditKind::PartPaid | CreditKind::Overpaid => "transfer partly",
        _ => "transfer attention",
    };
    let credit = transfer.credit.clone();
    let outcome = move || outcome_text(i18n, &transfer);
    view! {
        <li class=class>
            <p class="amount">{credit.amount.to_string()}</p>
            <p class="when">{figures::lao_cai_time(credit.booked_at)} " · " {credit.service.to_string()}</p>
            <p class="purpose">{credit.purpose.clone()}</p>
            <p class="outcome">{outcome}</p>
        </li>
    }
}

fn outcome_text(i18n: I18nContext<Locale>, t: &ReportedTransfer) -> String {
    let code = t.order_code.clone().unwrap_or_default();
    let figure = t.figure.to_string();
    match t.kind {
        CreditKind::Paid => t_string!(i18n, transfers.paid, code = code).to_string(),
        CreditKind::PartPaid => {
            t_string!(i18n, transfers.part_paid, code = code, due = figure).to_string()
        }
        CreditKind::Overpaid => {
            t_string!(i18n, transfers.overpaid, code = code, surplus = figure).to_string()
        }
        CreditKind::Expired => {
            t_string!(i18n, transfers.expired, code = code, amount = figure).to_string()
        }
        CreditKind::Cancelled => {
            t_string!(i18n, transfers.cancelled, code = code, amount = figure).to_string()
        }
        CreditKind::AlreadyPaid => {
            t_string!(i18n, transfers.already_paid, code = code, amount = figure).to_string()
        }
        CreditKind::PaidByCard => {
            t_string!(i18n, transfers.paid_by_card, code = code, amount = figure).to_string()
        }
        CreditKind::Ambiguous => t_string!(i18n, transfers.ambiguous).to_string(),
        CreditKind::Unnamed => t_string!(i18n, transfers.unnamed).to_string(),
    }
}
