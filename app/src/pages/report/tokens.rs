//! The provincial reporting system's API tokens: created (shown once), listed, revoked.
use crate::api::reports::{CreateApiToken, RevokeApiToken, api_tokens, take_new_api_token};
use crate::components::forms::{Confirm, FieldError, FormStatus, Notice, field_errors};
use crate::components::lao_cai_time;
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::i18n::*;
use crate::model::ApiToken;
use leptos::prelude::*;

#[component]
pub fn TokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let errors = field_errors(create.value());
    let fresh = Resource::new(|| (), |_| take_new_api_token());
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| api_tokens(),
    );
    view! {
        <PageMeta title=tu_string!(i18n, tokens.title) description=tu_string!(i18n, tokens.lead) />
        <h1>{t!(i18n, tokens.title)}</h1>
        <p class="hint">{t!(i18n, tokens.lead)} " " <a href="/api/v1/openapi.json" rel="external">"OpenAPI"</a></p>
        <section class="panel narrow">
            <ActionForm action=create>
                <label for="token-name">{t!(i18n, tokens.name)}</label>
                <input id="token-name" name="name" required />
                <FieldError errors field="name" />
                <button type="submit">{t!(i18n, tokens.create)}</button>
            </ActionForm>
            // The form's post comes back here with the new token in the session, taken out now.
            <Suspense>
                {move || Suspend::new(async move { fresh.await.map(|token| view! { <NewToken token /> }) })}
            </Suspense>
        </section>
        <FormStatus value=revoke.value() />
        <Notice name=crate::api::notice::TOKEN_REVOKED text=Signal::derive(move || t_string!(i18n, tokens.revoked_now).to_string()) />
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok(list) if list.is_empty() => view! { <p>{t!(i18n, tokens.none)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="tokens">
                            {list.into_iter().map(|token| view! { <TokenItem token revoke /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A token just created: the only time it is shown.
#[component]
fn NewToken(token: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="new-token" role="status">
            <p>{t!(i18n, tokens.shown_once)}</p>
            <code class="token">{token}</code>
        </div>
    }
}

/// One token as a card, phone first: its name, when it was made and last used (in Lào Cai
/// time, as every time on the site), and its revocation, asked twice since the system using it
/// is shut out at once and for good.
#[component]
fn TokenItem(token: ApiToken, revoke: ServerAction<RevokeApiToken>) -> impl IntoView {
    let i18n = use_i18n();
    let time = |at: chrono::DateTime<chrono::Utc>| {
        view! { <time datetime=at.to_rfc3339()>{lao_cai_time(at)}</time> }
    };
    let name = token.name.clone();
    view! {
        <li class="token-item panel" data-token=token.id>
            <strong class="name">{token.name.clone()}</strong>
            <dl class="facts">
                <dt>{t!(i18n, tokens.created)}</dt>
                <dd>{time(token.created_at)}</dd>
                <dt>{t!(i18n, tokens.last_used)}</dt>
                <dd>{match token.last_used_at {
                    Some(at) => time(at).into_any(),
                    None => view! { {t!(i18n, tokens.never_used)} }.into_any(),
                }}</dd>
                {token.revoked_at.map(|at| view! {
                    <dt>{t!(i18n, tokens.revoked)}</dt>
                    <dd>{time(at)}</dd>
                })}
            </dl>
            {token.revoked_at.is_none().then(|| view! {
                <ActionForm action=revoke>
                    <input type="hidden" name="id" value=token.id />
                    <Confirm
                        ask=move || t_string!(i18n, tokens.revoke)
                        warning=move || t_string!(i18n, tokens.revoke_warning, name = name.clone()).to_string()
                        yes=move || t_string!(i18n, tokens.revoke_yes)
                    />
                </ActionForm>
            })}
        </li>
    }
}
