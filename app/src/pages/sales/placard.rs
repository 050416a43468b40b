//! The stall's placard, printed and hung at the stall.
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::print::PrintButton;
use crate::domain::role::StallPlace;
use crate::i18n::*;
use leptos::prelude::*;

/// An A6 card to print and hang at the stall: a code to pay by VietQR, and a code that opens
/// the stall's page, each titled with what it does so a shopper scans the right one. It
/// speaks both languages whichever the vendor reads. An OCOP badge only for a stall that is
/// itself an OCOP producer: a product's stars are the product's, not the stall's.
#[component]
pub fn PlacardPage() -> impl IntoView {
    let i18n = use_i18n();
    let placard = Resource::new(|| (), |_| crate::api::sales::my_placard());
    view! {
        <PageMeta title=tu_string!(i18n, placard.title) description=tu_string!(i18n, placard.title) />
        <p class="no-print">{t!(i18n, placard.hint)}</p>
        <p class="no-print"><PrintButton label=t_string!(i18n, placard.print).to_string() how=t_string!(i18n, print.how).to_string() /></p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match placard.await {
                    Ok(p) => {
                        let place = crate::components::cards::place_label(Locale::vi, &p.stall.place);
                        let place_en = crate::components::cards::place_label(Locale::en, &p.stall.place);
                        let ocop_producer = matches!(p.stall.place, StallPlace::Ocop { .. });
                        view! {
                            <article class="placard">
                                <h1>{p.stall.name.clone()}</h1>
                                <p class="where"><span lang="vi">{place}</span> <br /> <span lang="en">{place_en}</span></p>
                                {ocop_producer.then(|| view! {
                                    <p class="ocop-producer">
                                        <span lang="vi">{td_string!(Locale::vi, placard.ocop_producer)}</span> " · "
                                        <span lang="en">{td_string!(Locale::en, placard.ocop_producer)}</span>
                                    </p>
                                })}
                                <div class="codes">
                                    {p.pay_svg.map(|svg| view! {
                                        <figure class="code pay">
                                            <figcaption>
                                                <strong class="code-title">
                                                    <span lang="vi">{td_string!(Locale::vi, placard.pay_title)}</span> " · "
                                                    <span lang="en">{td_string!(Locale::en, placard.pay_title)}</span>
                                                </strong>
                                                <span lang="vi">{td_string!(Locale::vi, placard.scan_to_pay)}</span> <br />
                                                <span lang="en">{td_string!(Locale::en, placard.scan_to_pay)}</span>
                                            </figcaption>
                                            <div class="qr" inner_html=svg></div>
                                        </figure>
                                    })}
                                    <figure class="code visit">
                                        <figcaption>
                                            <strong class="code-title">
                                                <span lang="vi">{td_string!(Locale::vi, placard.visit_title)}</span> " · "
                                                <span lang="en">{td_string!(Locale::en, placard.visit_title)}</span>
                                            </strong>
                                            <span lang="vi">{td_string!(Locale::vi, placard.visit)}</span> <br />
                                            <span lang="en">{td_string!(Locale::en, placard.visit)}</span>
                                        </figcaption>
                                        <div class="qr" inner_html=p.page_svg></div>
                                    </figure>
                                </div>
                                <p class="url">{p.page_url}</p>
                            </article>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
