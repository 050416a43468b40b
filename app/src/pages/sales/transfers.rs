//! The transfers a vendor's bank-notification service (payOS, SePay) reported, newest first,
//! each saying what it did: paid an order, paid part of one (and what is still due), paid too
//! much (and what to give back), came too late (all of it to give back), or named two orders
//! or none (for the vendor to look at).
use crate::api::bank::AssignTransfer;
use crate::components::forms::{FieldError, FormStatus, field_errors};
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::domain::bank_notice::CreditKind;
use crate::domain::counter_sale::SaleCode;
use crate::domain::figures;
use crate::domain::id::BankCreditId;
use crate::domain::order::find_order_codes;
use crate::i18n::*;
use crate::model::ReportedTransfer;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

#[component]
pub fn BankTransfersPage() -> impl IntoView {
    let i18n = use_i18n();
    // An assignment is posted by the browser and comes back to this page, which reads the
    // list afresh.
    let transfers = Resource::new(|| (), |_| crate::api::sales::bank_transfers());
    view! {
        <PageMeta title=tu_string!(i18n, transfers.title) description=tu_string!(i18n, transfers.lead) />
        <h1>{t!(i18n, transfers.title)}</h1>
        <p>{t!(i18n, transfers.lead)}</p>
        <crate::components::forms::Notice name=crate::api::notice::TRANSFER_ASSIGNED text=Signal::derive(move || t_string!(i18n, transfers.assigned).to_string()) />
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
    let (transfer_id, transfer_kind) = (transfer.id, transfer.kind);
    let outcome = move || outcome_text(i18n, &transfer);
    view! {
        <li class=class>
            <p class="amount">{credit.amount.to_string()}</p>
            <p class="when">{figures::lao_cai_time(credit.booked_at)} " · " {credit.service.to_string()}</p>
            <p class="purpose">{credit.purpose.clone()}</p>
            <p class="outcome">{outcome}</p>
            {matches!(transfer_kind, CreditKind::Ambiguous | CreditKind::Unnamed).then(|| view! {
                <AssignForm id=transfer_id purpose=credit.purpose.clone() />
            })}
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

/// Assigning a transfer that named two records or none: a button for each code its purpose
/// holds, or any code typed. The vendor should check the amount against the order first.
#[component]
fn AssignForm(id: BankCreditId, purpose: String) -> impl IntoView {
    let i18n = use_i18n();
    let assign = ServerAction::<AssignTransfer>::new();
    let errors = field_errors(assign.value());
    let mut codes = find_order_codes(&purpose);
    codes.extend(
        SaleCode::find_in(&purpose)
            .into_iter()
            .filter(|c| *c != SaleCode::PLACARD)
            .map(|c| c.to_string()),
    );
    let field = format!("code-{id}");
    view! {
        <ActionForm action=assign attr:class="assign-transfer">
            <input type="hidden" name="transfer" value=id.to_string() />
            {codes.into_iter().map(|code| {
                let label = code.clone();
                view! {
                    <button type="submit" name="code" value=code>{move || t_string!(i18n, transfers.assign_to, code = label.clone()).to_string()}</button>
                }
            }).collect_view()}
            <label for=field.clone()>{t!(i18n, transfers.assign_code)}</label>
            <span class="inline-field">
                <input id=field name="code" autocomplete="off" autocapitalize="characters" placeholder="DH2026000123" />
                <button type="submit">{t!(i18n, transfers.assign)}</button>
            </span>
            <FieldError errors field="code" />
            <FormStatus value=assign.value() />
        </ActionForm>
    }
}
