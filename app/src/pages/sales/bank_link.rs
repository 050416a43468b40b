//! The payment settings' section for the bank's own word on transfers: the vendor links payOS
//! or SePay with its keys, and pastes the stall's notification address into that service.
//! Keys go in and never come back out: after saving, the form is empty again.
use crate::api::bank::{LinkBankService, UnlinkBankService, my_bank_link};
use crate::components::forms::{Confirm, FieldError, FormStatus, Notice, field_errors};
use crate::components::meta::ErrorPanel;
use crate::domain::invalid::FieldErrors;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn BankLinkSection() -> impl IntoView {
    let i18n = use_i18n();
    let link = ServerAction::<LinkBankService>::new();
    let unlink = ServerAction::<UnlinkBankService>::new();
    let current = Resource::new(
        move || (link.version().get(), unlink.version().get()),
        |_| my_bank_link(),
    );
    let errors = field_errors(link.value());
    view! {
        <section class="bank-link">
            <h2>{t!(i18n, bank_link.title)}</h2>
            <p>{t!(i18n, bank_link.lead)}</p>
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match current.await {
                        Ok(Some(linked)) => view! {
                            <p class="form-ok" role="status">{move || t_string!(i18n, bank_link.linked, service = linked.service.to_string()).to_string()}</p>
                            <p>{t!(i18n, bank_link.paste)}</p>
                            <p class="hook-address"><code>{linked.address.clone()}</code></p>
                            {linked.needs_api_token.then(|| view! { <p class="notice" role="status">{t!(i18n, bank_link.needs_api_token)}</p> })}
                            <ActionForm action=unlink>
                                <Confirm
                                    ask=move || t_string!(i18n, bank_link.unlink)
                                    warning=move || t_string!(i18n, bank_link.unlink_warning)
                                    yes=move || t_string!(i18n, bank_link.unlink_yes)
                                />
                            </ActionForm>
                        }.into_any(),
                        Ok(None) => view! { <p class="hint">{t!(i18n, bank_link.none)}</p> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            // Drawn anew after each save, so the keys typed never stay on the page.
            {move || {
                link.version().get();
                view! { <KeysForm link errors /> }
            }}
        </section>
    }
}

#[component]
fn KeysForm(link: ServerAction<LinkBankService>, errors: Signal<FieldErrors>) -> impl IntoView {
    let i18n = use_i18n();
    let key = move |field: &'static str, label: String| {
        view! {
            <label for=field>{label}</label>
            <input id=field name=format!("keys[{field}]") autocomplete="off" spellcheck="false" autocapitalize="off" />
            <FieldError errors field=field />
        }
    };
    view! {
        <ActionForm action=link attr:class="bank-link-form">
            <fieldset>
                <legend>{t!(i18n, bank_link.service)}</legend>
                <label class="check"><input type="radio" name="service" value="payos" required /> "payOS"</label>
                <label class="check"><input type="radio" name="service" value="sepay" /> "SePay"</label>
            </fieldset>
            <FieldError errors field="service" />
            <fieldset>
                <legend>{t!(i18n, bank_link.payos_keys)}</legend>
                {key("client_id", tu_string!(i18n, bank_link.client_id).to_string())}
                {key("api_key", tu_string!(i18n, bank_link.api_key).to_string())}
                {key("checksum_key", tu_string!(i18n, bank_link.checksum_key).to_string())}
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, bank_link.sepay_keys)}</legend>
                {key("webhook_secret", tu_string!(i18n, bank_link.webhook_secret).to_string())}
                {key("api_token", tu_string!(i18n, bank_link.api_token).to_string())}
            </fieldset>
            <FormStatus value=link.value() />
            <Notice name=crate::api::notice::BANK_LINKED text=Signal::derive(move || t_string!(i18n, bank_link.saved).to_string()) />
            <button type="submit" class="primary">{t!(i18n, bank_link.save)}</button>
        </ActionForm>
    }
}
