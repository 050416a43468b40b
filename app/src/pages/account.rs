use crate::api::auth::{LogIn, PASSWORD_MIN, SIGN_UP_FORM, SignUp, SignUpAs, SignUpFields};
use crate::api::refused::Refused;
use crate::app::use_auth;
use crate::components::forms::{FieldError, FormStatus, field_errors};
use crate::components::meta::PageMeta;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    // Created inside the routes, so a form posted without JavaScript finds its error again
    // in the address the server sent it back to.
    let log_in = ServerAction::<LogIn>::new();
    use_auth().reload_after(log_in);
    let query = use_query_map();
    // Where the visitor was; without it each role lands where its work is (`api::auth::landing`).
    let next = move || query.read().get("next");
    view! {
        <PageMeta title=tu_string!(i18n, account.login_title) description=tu_string!(i18n, account.login_description) />
        <section class="panel narrow">
            <h1>{t!(i18n, account.login_title)}</h1>
            <ActionForm action=log_in>
                {move || next().map(|next| view! { <input type="hidden" name="next" value=next /> })}
                <label for="login">{t!(i18n, account.login)}</label>
                <input id="login" name="login" autocomplete="username" required inputmode="email" />
                <label for="password">{t!(i18n, account.password)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required />
                <FormStatus value=log_in.value() />
                <button type="submit">{t!(i18n, account.login_button)}</button>
            </ActionForm>
            <p><a href="/signup">{t!(i18n, account.no_account)}</a></p>
        </section>
    }
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let i18n = use_i18n();
    let sign_up = ServerAction::<SignUp>::new();
    let refused = Refused::<SignUpFields>::new(SIGN_UP_FORM);
    use_auth().reload_after(sign_up);
    let errors = field_errors(sign_up.value());
    view! {
        <PageMeta title=tu_string!(i18n, account.signup_title) description=tu_string!(i18n, account.signup_description) />
        <section class="panel narrow">
            <h1>{t!(i18n, account.signup_title)}</h1>
            <p>{t!(i18n, account.signup_lead)}</p>
            <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    let SignUpFields { full_name, login, account } = refused.fields().await.unwrap_or_default();
                    let shopper = account == Some(SignUpAs::Shopper);
                    view! {
                        <ActionForm action=sign_up>
                            <fieldset class="choice">
                                <legend>{t!(i18n, account.i_am)}</legend>
                                <label><input type="radio" name="account" value="vendor" checked=!shopper /> {t!(i18n, account.as_vendor)}</label>
                                <label><input type="radio" name="account" value="shopper" checked=shopper /> {t!(i18n, account.as_shopper)}</label>
                            </fieldset>
                            <label for="full_name">{t!(i18n, account.full_name)}</label>
                            <input id="full_name" name="full_name" value=full_name autocomplete="name" required maxlength="120" aria-describedby="full_name-error" />
                            <FieldError errors field="full_name" />
                            <label for="login">{t!(i18n, account.login)}</label>
                            <input id="login" name="login" value=login autocomplete="username" required aria-describedby="login-error" />
                            <p class="hint">{t!(i18n, account.login_hint)}</p>
                            <FieldError errors field="login" />
                            <label for="password">{t!(i18n, account.password)}</label>
                            <input id="password" name="password" type="password" autocomplete="new-password" required minlength=PASSWORD_MIN aria-describedby="password-error" />
                            <p class="hint">{t!(i18n, account.password_hint, min = PASSWORD_MIN)}</p>
                            <FieldError errors field="password" />
                            <FormStatus value=sign_up.value() />
                            <button type="submit">{t!(i18n, account.signup_button)}</button>
                        </ActionForm>
                    }
                })}
            </Suspense>
            <p><a href="/login">{t!(i18n, account.have_account)}</a></p>
        </section>
    }
}
