use crate::api::reports::{LinkRegistryEntry, UnlinkRegistryEntry, review_registry};
use crate::api::review::{MoveStall, review_queue};
use crate::components::cards::place_label;
use crate::components::forms::FormStatus;
use crate::components::forms::{FieldError, field_errors};
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::domain::setup::needs_a_payment_method;
use crate::domain::stall::{StallMove, StallStatus, needs_reason};
use crate::i18n::*;
use crate::pages::registry::RegistryLinks;
use crate::vocab::label;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

mod stall_facts;

/// The reviewer's queue: stalls waiting for approval first, then the rest of their scope.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let move_stall = ServerAction::<MoveStall>::new();
    let link = ServerAction::<LinkRegistryEntry>::new();
    let unlink = ServerAction::<UnlinkRegistryEntry>::new();
    let link_errors = field_errors(link.value());
    let move_errors = field_errors(move_stall.value());
    let queue = Resource::new(move || move_stall.version().get(), |_| review_queue());
    let registry = Resource::new(
        move || {
            (
                move_stall.version().get(),
                link.version().get(),
                unlink.version().get(),
            )
        },
        |_| review_registry(),
    );
    view! {
        <PageMeta title=tu_string!(i18n, review.title) description=tu_string!(i18n, review.title) />
        <h1>{t!(i18n, review.title)}</h1>
        <FormStatus value=move_stall.value() />
        <FieldError errors=move_errors field="reason" />
        <FieldError errors=move_errors field="step" />
        <FormStatus value=link.value() />
        <FieldError errors=link_errors field="external_id" />
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                let entries: std::collections::HashMap<crate::domain::id::StallId, crate::model::StallEntries> =
                    registry.await.map(|r| r.into_iter().collect()).unwrap_or_default();
                match queue.await {
                    Ok(stalls) if stalls.is_empty() => view! { <p>{t!(i18n, review.empty)}</p> }.into_any(),
                    Ok(stalls) => view! {
                        <ul class="review">
                            {stalls.into_iter().map(|crate::model::StallReview { stall, details }| {
                                // A stall nobody could pay is not made public: the button says
                                // so rather than being refused.
                                let payable = details.as_ref().is_none_or(|d| d.checklist.takes_payment());
                                let why_not = format!("no-payment-{}", stall.id);
                                let status = stall.status;
                                let place = stall.place.clone();
                                let moves: Vec<StallMove> = match status {
                                    StallStatus::Submitted => vec![StallMove::Approve, StallMove::Reject],
                                    StallStatus::Approved => vec![StallMove::Suspend],
                                    StallStatus::Suspended => vec![StallMove::Reinstate],
                                    StallStatus::Draft => vec![],
                                };
                                view! {
                                    <li class="review-item" data-stall=stall.slug.clone()>
                                        <a href=format!("/stalls/{}", stall.slug)><strong>{stall.name.clone()}</strong></a>
                                        <span class="where">{move || place_label(i18n.get_locale(), &place)}</span>
                                        <span class=format!("status {}", status.slug())>{label(status)}</span>
                                        {stall.status_reason.clone().map(|r| view! { <span class="reason">{r}</span> })}
                                        {details.map(|details| view! { <stall_facts::StallFacts stall=stall.clone() details /> })}
                                        {(!payable).then(|| view! {
                                            <p class="notice cannot-approve" id=why_not.clone()>
                                                {move || if status == StallStatus::Suspended { t_string!(i18n, review.cannot_reinstate) } else { t_string!(i18n, review.cannot_approve) }}
                                            </p>
                                        })}
                                        {moves.into_iter().map(|step| {
                                            let blocked = needs_a_payment_method(step) && !payable;
                                            let described = blocked.then(|| why_not.clone());
                                            view! {
                                            <ActionForm action=move_stall attr:class="inline">
                                                <input type="hidden" name="stall_id" value=stall.id.to_string() />
                                                <input type="hidden" name="step" value=step.slug() />
                                                {needs_reason(step).then(|| view! {
                                                    <input name="reason" required placeholder=move || t_string!(i18n, review.reason) aria-label=move || t_string!(i18n, review.reason) />
                                                })}
                                                <button type="submit" class=step.slug() disabled=blocked aria-describedby=described>{move || move_label(i18n, step)}</button>
                                            </ActionForm>
                                        }}).collect_view()}
                                        <RegistryLinks stall_id=stall.id entries=entries.get(&stall.id).cloned().unwrap_or_default() link unlink />
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn move_label(i18n: I18nContext<Locale>, step: StallMove) -> &'static str {
    match step {
        StallMove::Submit => t_string!(i18n, review.submit),
        StallMove::Approve => t_string!(i18n, review.approve),
        StallMove::Reject => t_string!(i18n, review.reject),
        StallMove::Suspend => t_string!(i18n, review.suspend),
        StallMove::Reinstate => t_string!(i18n, review.reinstate),
    }
}
