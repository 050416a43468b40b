//! Form feedback in the visitor's language: one message under each wrong field, and one for
//! the whole form when the failure isn't about a field.
use crate::api::AppError;
use crate::domain::confirm;
use crate::domain::figures;
use crate::domain::invalid::{FieldErrors, Invalid};
use crate::domain::photo::PhotoProblem;
use crate::domain::quantity::{Quantity, Unit};
use crate::i18n::*;
use crate::vocab::{self, Label};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The field errors of an action's last answer, if it was refused for its input.
pub fn field_errors<T: Clone + Send + Sync + 'static>(
    value: impl Into<Signal<Option<Result<T, AppError>>>>,
) -> Signal<FieldErrors> {
    let value = value.into();
    Signal::derive(move || match value.get() {
        Some(Err(AppError::Invalid(errors))) => errors,
        _ => FieldErrors::default(),
    })
}

/// What a refused value's reason says, in the visitor's language, with its figures written the
/// visitor's way: money as `20.000 ₫`, quantities in their unit (`0,1 kg`, `1,000,000 kg` in
/// English), days and stalls by name.
pub fn invalid_message(i18n: I18nContext<Locale>, invalid: &Invalid) -> String {
    let locale = i18n.get_locale();
    match invalid {
        Invalid::QuantityOutOfRange { .. }
        | Invalid::NotEnoughStock { .. }
        | Invalid::StockMoved { .. } => quantity_message(i18n, invalid),
        Invalid::Required => t_string!(i18n, errors.required).to_string(),
        Invalid::TooLong { max } => t_string!(i18n, errors.too_long, max = *max).to_string(),
        Invalid::TooShort { min } => t_string!(i18n, errors.too_short, min = *min).to_string(),
        Invalid::NotANumber => t_string!(i18n, errors.not_a_number).to_string(),
        Invalid::OutOfRange { min, max } => {
            t_string!(i18n, errors.out_of_range, min = *min, max = *max).to_string()
        }
        Invalid::AmountOutOfRange { min, max } => t_string!(
            i18n,
            errors.out_of_range,
            min = min.to_string(),
            max = max.to_string()
        )
        .to_string(),
        Invalid::TooManyDecimals { max } => {
            t_string!(i18n, errors.too_many_decimals, max = *max).to_string()
        }
        Invalid::WholeUnitsOnly { unit } => {
            t_string!(i18n, errors.whole_units_only, unit = unit.label(locale)).to_string()
        }
        Invalid::NotAStep => t_string!(i18n, errors.not_a_step).to_string(),
        Invalid::Phone => t_string!(i18n, errors.phone).to_string(),
        Invalid::Email => t_string!(i18n, errors.email).to_string(),
        Invalid::Slug => t_string!(i18n, errors.slug).to_string(),
        Invalid::Unknown => t_string!(i18n, errors.unknown).to_string(),
        Invalid::Taken => t_string!(i18n, errors.taken).to_string(),
        Invalid::PitchTaken => t_string!(i18n, errors.pitch_taken).to_string(),
        Invalid::Administrator => t_string!(i18n, errors.administrator).to_string(),
        Invalid::OwnsStall => t_string!(i18n, errors.owns_stall).to_string(),
        Invalid::NotAccepted { stall } => {
            t_string!(i18n, errors.not_accepted, stall = stall.clone()).to_string()
        }
        Invalid::CardsOff
        | Invalid::NoPaymentMethod
        | Invalid::NoBankAccount
        | Invalid::NoSuchCode
        | Invalid::AlreadyAssigned
        | Invalid::NotPayable { .. }
        | Invalid::KeysRefused
        | Invalid::ServiceUnreachable => payment_message(i18n, invalid),
        Invalid::CartChanged
        | Invalid::OutsideDeliveryArea
        | Invalid::NotTradingDay { .. }
        | Invalid::PickupNotOffered { .. }
        | Invalid::EmptyCart => checkout_message(i18n, invalid),
        Invalid::NotForKind => t_string!(i18n, errors.not_for_kind).to_string(),
        Invalid::Duplicate => t_string!(i18n, errors.duplicate).to_string(),
        Invalid::Date => t_string!(i18n, errors.date).to_string(),
        Invalid::TooManyUnpaid { limit } => {
            t_string!(i18n, errors.too_many_unpaid, limit = *limit).to_string()
        }
        Invalid::TooManyUnpaidHere { limit } => {
            t_string!(i18n, errors.too_many_unpaid_here, limit = *limit).to_string()
        }
        Invalid::NotConfirmed => t_string!(i18n, errors.not_confirmed).to_string(),
        Invalid::Photo { problem, file } => photo_message(i18n, *problem, file),
        Invalid::ChooseAgain { photos } => {
            t_string!(i18n, photo.choose_again, count = *photos).to_string()
        }
    }
}

/// A refusal about how a stall is paid: its ways to take money, its bank service, and the
/// transfers that service reported.
fn payment_message(i18n: I18nContext<Locale>, invalid: &Invalid) -> String {
    match invalid {
        Invalid::CardsOff => t_string!(i18n, errors.cards_off).to_string(),
        Invalid::NoPaymentMethod => t_string!(i18n, errors.no_payment_method).to_string(),
        Invalid::NoBankAccount => t_string!(i18n, errors.no_bank_account).to_string(),
        Invalid::NoSuchCode => t_string!(i18n, errors.no_such_code).to_string(),
        Invalid::AlreadyAssigned => t_string!(i18n, errors.already_assigned).to_string(),
        Invalid::NotPayable { stall } => {
            t_string!(i18n, errors.not_payable, stall = stall.clone()).to_string()
        }
        Invalid::KeysRefused => t_string!(i18n, errors.keys_refused).to_string(),
        Invalid::ServiceUnreachable => t_string!(i18n, errors.service_unreachable).to_string(),
        // Only the refusals above are sent here.
        _ => t_string!(i18n, errors.unknown).to_string(),
    }
}

/// A refusal of a checkout: the cart, the delivery address, the pickup day.
fn checkout_message(i18n: I18nContext<Locale>, invalid: &Invalid) -> String {
    let locale = i18n.get_locale();
    match invalid {
        Invalid::CartChanged => t_string!(i18n, errors.cart_changed).to_string(),
        Invalid::OutsideDeliveryArea => t_string!(i18n, errors.outside_delivery_area).to_string(),
        Invalid::NotTradingDay { stall, days } if days.is_empty() => {
            t_string!(i18n, errors.no_trading_days, stall = stall.clone()).to_string()
        }
        Invalid::NotTradingDay { stall, days } => t_string!(
            i18n,
            errors.not_trading_day,
            stall = stall.clone(),
            days = vocab::list(days.days(), locale)
        )
        .to_string(),
        Invalid::PickupNotOffered { stall, first, last } => t_string!(
            i18n,
            errors.pickup_not_offered,
            stall = stall.clone(),
            first = figures::date(*first),
            last = figures::date(*last)
        )
        .to_string(),
        Invalid::EmptyCart => t_string!(i18n, errors.empty_cart).to_string(),
        // Only the refusals above are sent here.
        _ => t_string!(i18n, errors.unknown).to_string(),
    }
}

/// A refused photo, named by its file when it has one.
fn photo_message(i18n: I18nContext<Locale>, problem: PhotoProblem, file: &str) -> String {
    let message = match problem {
        PhotoProblem::TooLarge => t_string!(i18n, photo.too_large),
        PhotoProblem::TooManyPixels => t_string!(i18n, photo.too_many_pixels),
        PhotoProblem::NotAnImage => t_string!(i18n, photo.not_image),
        PhotoProblem::TooMany => t_string!(i18n, photo.too_many_chosen),
    };
    if file.is_empty() {
        message.to_string()
    } else {
        format!("{file}: {message}")
    }
}

/// The reasons that name quantities, each in its unit and written the visitor's way.
fn quantity_message(i18n: I18nContext<Locale>, invalid: &Invalid) -> String {
    let locale = i18n.get_locale();
    let quantity = |q: &Quantity, unit: &Unit| {
        let decimal_sep = super::decimal_sep(locale == Locale::en);
        format!(
            "{} {}",
            q.format_grouped(*unit, decimal_sep),
            unit.label(locale)
        )
    };
    match invalid {
        Invalid::QuantityOutOfRange { min, max, unit } => t_string!(
            i18n,
            errors.out_of_range,
            min = quantity(min, unit),
            max = quantity(max, unit)
        )
        .to_string(),
        Invalid::NotEnoughStock { item, left, unit } => t_string!(
            i18n,
            errors.not_enough_stock,
            name = item.clone(),
            left = quantity(left, unit)
        )
        .to_string(),
        Invalid::StockMoved { now: None, .. } => {
            t_string!(i18n, errors.stock_unlimited).to_string()
        }
        Invalid::StockMoved {
            now: Some(left),
            unit,
        } => t_string!(i18n, errors.stock_moved, left = quantity(left, unit)).to_string(),
        other => invalid_message(i18n, other),
    }
}

pub fn error_message(i18n: I18nContext<Locale>, error: &AppError) -> String {
    match error {
        // A confirmation missing says so itself, rather than "check the marked fields".
        AppError::Invalid(errors) if errors.get(confirm::FIELD).is_some() => {
            invalid_message(i18n, &Invalid::NotConfirmed)
        }
        AppError::Invalid(_) => t_string!(i18n, errors.invalid_form).to_string(),
        AppError::NotSignedIn => t_string!(i18n, errors.not_signed_in).to_string(),
        AppError::Forbidden => t_string!(i18n, errors.forbidden).to_string(),
        AppError::NotFound => t_string!(i18n, errors.not_found).to_string(),
        AppError::BadCredentials => t_string!(i18n, errors.bad_credentials).to_string(),
        AppError::TooManyAttempts => t_string!(i18n, errors.too_many_attempts).to_string(),
        AppError::Conflict => t_string!(i18n, errors.conflict).to_string(),
        AppError::PaymentUnavailable => t_string!(i18n, errors.payment_unavailable).to_string(),
        AppError::OutOfStock(name) => {
            t_string!(i18n, errors.out_of_stock, name = name.clone()).to_string()
        }
        AppError::Unexpected(id) => t_string!(i18n, errors.unexpected, id = id.clone()).to_string(),
        AppError::Transport => t_string!(i18n, errors.transport).to_string(),
        AppError::BadRequest => t_string!(i18n, errors.bad_request).to_string(),
    }
}

/// The message under one field, linked to it for screen readers by `{field}-error`.
#[component]
pub fn FieldError(errors: Signal<FieldErrors>, #[prop(into)] field: String) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("{field}-error");
    move || {
        // Every reason, when there are several (photos chosen together, each refused).
        let messages = errors.with(|e| {
            e.0.iter()
                .filter(|e| e.field == field)
                .map(|e| invalid_message(i18n, &e.invalid))
                .collect::<Vec<_>>()
        });
        (!messages.is_empty()).then(|| {
            view! { <p class="field-error" id=id.clone() role="alert">{messages.join(" ")}</p> }
        })
    }
}

/// The form-wide message when the action's last answer was a refusal: after a post without
/// JavaScript, the one the redirect back to the page carries. A success is said by the page
/// the post comes back to ([`Notice`]).
#[component]
pub fn FormStatus<T: Clone + Send + Sync + 'static>(
    #[prop(into)] value: Signal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || match value.get() {
        Some(Err(error)) => {
            Some(view! { <p class="form-error" role="alert">{error_message(i18n, &error)}</p> })
        }
        _ => None,
    }
}

/// The notice `name` (see [`crate::api::notice`]) when the page was opened with it, after its
/// form's post went through: a status line.
#[component]
pub fn Notice(name: &'static str, #[prop(into)] text: Signal<String>) -> impl IntoView {
    let shown = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get(crate::api::notice::KEY)
        .is_some_and(|said| said == name);
    shown.then(|| view! { <p class="form-ok" role="status">{move || text.get()}</p> })
}

/// The end of a form whose action can't be taken back or moves money, asked twice: a quiet
/// button (`ask`) opens a box that says exactly what will happen (`warning`), holds the
/// fields the action needs (`children`: a reason, an amount), and the one button that does
/// it (`yes`), which posts the confirmation the server requires ([`confirm::FIELD`]).
///
/// Plain HTML (`details`), so it works the same without JavaScript; the form's fields sit
/// inside the box, so Enter in a field can't skip the question either. Every such action
/// on the site uses this one component.
#[component]
pub fn Confirm(
    #[prop(into)] ask: TextProp,
    #[prop(into)] warning: TextProp,
    #[prop(into)] yes: TextProp,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <details class="confirm">
            <summary>{move || ask.get().to_string()}</summary>
            <div class="confirm-body">
                <p class="warning">{move || warning.get().to_string()}</p>
                {children.map(|c| c())}
                <button type="submit" name=confirm::FIELD value=confirm::YES class="danger">
                    {move || yes.get().to_string()}
                </button>
            </div>
        </details>
    }
}

/// The end of a form that cancels an order: [`Confirm`] with the words of a cancellation.
/// `id` names the box (`cancel-{id}`) so a link can point at it; `warning` says what
/// cancelling does here.
#[component]
pub fn ConfirmCancel(
    #[prop(into)] id: String,
    #[prop(into)] warning: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="confirm-cancel" id=format!("cancel-{id}")>
            <Confirm
                ask=move || t_string!(i18n, confirm.cancel)
                warning=move || warning.get()
                yes=move || t_string!(i18n, confirm.submit_cancel)
            />
        </div>
    }
}
