//! The words of the market — markets and their towns, units, categories, weekdays, statuses,
//! payment methods, report segments — in the visitor's language, read from the locale files
//! like every other string, so each word has exactly one source: the pages, the search index
//! and the server's command line all ask here.
use crate::domain::category::Category;
use crate::domain::market::{EntityType, Market, Weekday};
use crate::domain::onboarding::{Segment, Stage};
use crate::domain::order::{Fulfilment, OrderStatus, PaymentMethod};
use crate::domain::payment_alert::AlertKind;
use crate::domain::quantity::{Quantity, Unit};
use crate::domain::setup::SetupStep;
use crate::domain::stall::StallStatus;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::Locale as _;

/// A value of the domain that people read by name.
pub trait Label: Copy {
    /// The value's name in `locale`.
    fn label(self, locale: Locale) -> &'static str;
}

/// `Label` for an enum: each variant's key in one section of the locale files.
macro_rules! labels {
    ($ty:ident in $section:ident { $($variant:ident => $key:ident),+ $(,)? }) => {
        impl Label for $ty {
            fn label(self, locale: Locale) -> &'static str {
                match self {
                    $($ty::$variant => td_string!(locale, $section.$key)),+
                }
            }
        }
    };
}

labels!(Market in market_name { CocLeu => coc_leu, SaPa => sa_pa, BacHa => bac_ha });

labels!(Unit in unit {
    Kg => kg, Lang => lang, Bo => bo, Chuc => chuc, Con => con,
    Chai => chai, Hop => hop, Goi => goi, Cai => cai,
});

labels!(Category in category {
    Fruit => fruit, Vegetables => vegetables, Meat => meat, Grains => grains,
    TeaCoffee => tea_coffee, Honey => honey, Drinks => drinks, HerbsSpices => herbs_spices,
    DriedGoods => dried_goods, Crafts => crafts,
});

labels!(Weekday in weekday {
    Mon => mon, Tue => tue, Wed => wed, Thu => thu, Fri => fri, Sat => sat, Sun => sun,
});

labels!(EntityType in entity_type {
    Household => household, Cooperative => cooperative, Business => business,
});

labels!(AlertKind in payment_alert {
    BadSignature => bad_signature, Unreadable => unreadable, OtherMode => other_mode,
    NotApplied => not_applied, Mismatch => mismatch, MissedWebhook => missed_webhook,
});

labels!(StallStatus in stall_status {
    Draft => draft, Submitted => submitted, Approved => approved, Suspended => suspended,
});

labels!(OrderStatus in order_status {
    AwaitingPayment => awaiting_payment, AwaitingTransfer => awaiting_transfer, Paid => paid,
    Accepted => accepted, ReadyForPickup => ready_for_pickup,
    OutForDelivery => out_for_delivery, Completed => completed, Cancelled => cancelled,
    Expired => expired,
});

labels!(PaymentMethod in payment_method { Card => card, VietQr => vietqr });

labels!(SetupStep in setup_step {
    Details => details, Product => product, Payment => payment, Submitted => submitted,
    Approved => approved,
});

labels!(Fulfilment in fulfilment { Pickup => pickup, Delivery => delivery });

labels!(Stage in stage {
    Account => account, StallApproved => stall_approved, Listed => listed,
    EpaymentReady => epayment_ready, Transacting => transacting,
});

/// The town or district a market serves: `Thị xã Sa Pa`, `Sa Pa town`.
pub fn town(market: Market, locale: Locale) -> &'static str {
    match market {
        Market::CocLeu => td_string!(locale, market_town.coc_leu),
        Market::SaPa => td_string!(locale, market_town.sa_pa),
        Market::BacHa => td_string!(locale, market_town.bac_ha),
    }
}

/// A unit's name next to an amount `q` of it: in English singular for exactly one unit
/// (`1 piece`) and plural otherwise (`15 pieces`, `1.5 kg`); Vietnamese nouns don't change.
pub fn counted(unit: Unit, q: Quantity, locale: Locale) -> &'static str {
    if unit.is_one(q) {
        return unit.label(locale);
    }
    match unit {
        Unit::Kg => td_string!(locale, units.kg),
        Unit::Lang => td_string!(locale, units.lang),
        Unit::Bo => td_string!(locale, units.bo),
        Unit::Chuc => td_string!(locale, units.chuc),
        Unit::Con => td_string!(locale, units.con),
        Unit::Chai => td_string!(locale, units.chai),
        Unit::Hop => td_string!(locale, units.hop),
        Unit::Goi => td_string!(locale, units.goi),
        Unit::Cai => td_string!(locale, units.cai),
    }
}

/// A segment of the onboarding report by name: a market, the OCOP producers, an entity type,
/// a district (Lào Cai is the province's city and Sa Pa a town; the others are districts), or
/// the whole province.
pub fn segment(segment: &Segment, locale: Locale) -> String {
    match segment {
        Segment::Market(m) => m.label(locale).to_string(),
        Segment::Ocop => td_string!(locale, segment.ocop).to_string(),
        Segment::EntityType(t) => t.label(locale).to_string(),
        Segment::District(d) => match d.as_str() {
            "Lào Cai" => td_string!(locale, segment.lao_cai_city).to_string(),
            "Sa Pa" => td_string!(locale, segment.sa_pa_town).to_string(),
            _ => td_string!(locale, segment.district, name = d.clone()).to_string(),
        },
        Segment::Province => td_string!(locale, segment.province).to_string(),
    }
}

/// A value's name in the visitor's language, following a switch of language: for views.
pub fn label<L: Label + Send + Sync + 'static>(value: L) -> Signal<&'static str> {
    let i18n = use_i18n();
    Signal::derive(move || value.label(i18n.get_locale()))
}

/// Several values' names joined with commas (`Thứ Hai, Chủ nhật`).
pub fn list<L: Label>(values: impl IntoIterator<Item = L>, locale: Locale) -> String {
    values
        .into_iter()
        .map(|v| v.label(locale))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value's names in every language of the interface, so search finds it by either.
pub fn in_every_language(value: impl Label) -> String {
    Locale::get_all()
        .iter()
        .map(|&locale| value.label(locale))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_come_from_the_locale_files_in_each_language() {
        assert_eq!(Market::BacHa.label(Locale::vi), "Chợ Bắc Hà");
        assert_eq!(Market::BacHa.label(Locale::en), "Bắc Hà Sunday Market");
        assert_eq!(town(Market::SaPa, Locale::vi), "Thị xã Sa Pa");
        assert_eq!(town(Market::CocLeu, Locale::en), "Lào Cai city");
        assert_eq!(Unit::Lang.label(Locale::vi), "lạng");
        assert_eq!(Unit::Lang.label(Locale::en), "lạng (100 g)");
        assert_eq!(Unit::Chuc.label(Locale::en), "ten");
        assert_eq!(Category::Meat.label(Locale::vi), "Thịt & đặc sản gác bếp");
        assert_eq!(Category::Crafts.label(Locale::en), "Brocade & crafts");
        assert_eq!(EntityType::Cooperative.label(Locale::vi), "Hợp tác xã");
        assert_eq!(Weekday::Sun.label(Locale::vi), "Chủ nhật");
        assert_eq!(Weekday::Mon.label(Locale::en), "Monday");
        assert_eq!(StallStatus::Submitted.label(Locale::vi), "Chờ duyệt");
        assert_eq!(
            StallStatus::Submitted.label(Locale::en),
            "Awaiting approval"
        );
        assert_eq!(PaymentMethod::Card.label(Locale::vi), "Thẻ (Stripe)");
        assert_eq!(
            PaymentMethod::VietQr.label(Locale::en),
            "VietQR bank transfer"
        );
        assert_eq!(
            OrderStatus::OutForDelivery.label(Locale::en),
            "Out for delivery"
        );
        assert_eq!(
            OrderStatus::ALL.map(|s| s.label(Locale::vi)),
            [
                "Chờ thanh toán",
                "Chờ chuyển khoản",
                "Đã thanh toán",
                "Đã nhận đơn",
                "Sẵn sàng để lấy",
                "Đang giao",
                "Hoàn tất",
                "Đã huỷ",
                "Hết hạn"
            ]
        );
        assert_eq!(Fulfilment::Pickup.label(Locale::vi), "Nhận tại sạp");
        assert_eq!(Stage::EpaymentReady.label(Locale::en), "E-payment ready");
    }

    #[test]
    fn every_value_has_its_own_name_in_each_language() {
        fn distinct<L: Label>(all: &[L]) {
            for &locale in Locale::get_all() {
                let mut names: Vec<_> = all.iter().map(|v| v.label(locale)).collect();
                names.sort_unstable();
                names.dedup();
                assert_eq!(names.len(), all.len(), "{locale:?}");
            }
        }
        distinct(&Market::ALL);
        distinct(&Unit::ALL);
        distinct(&Category::ALL);
        distinct(&Weekday::ALL);
        distinct(&EntityType::ALL);
        distinct(&StallStatus::ALL);
        distinct(&OrderStatus::ALL);
        distinct(&PaymentMethod::ALL);
        distinct(&Fulfilment::ALL);
        distinct(&Stage::ALL);
    }

    #[test]
    fn an_english_unit_name_is_plural_for_every_amount_but_one() {
        let one = Quantity::from_steps(1);
        assert_eq!(counted(Unit::Con, one, Locale::en), "piece");
        assert_eq!(
            counted(Unit::Con, Quantity::from_steps(15), Locale::en),
            "pieces"
        );
        assert_eq!(
            counted(Unit::Hop, Quantity::from_steps(2), Locale::en),
            "boxes"
        );
        assert_eq!(
            counted(Unit::Kg, Quantity::from_steps(15), Locale::en),
            "kg"
        );
        assert_eq!(
            counted(Unit::Bo, Quantity::from_steps(1), Locale::en),
            "bunch"
        );
        assert_eq!(
            counted(Unit::Con, Quantity::from_steps(15), Locale::vi),
            "con"
        );
    }

    #[test]
    fn a_segment_is_named_as_the_province_names_its_places() {
        let district = |d: &str| Segment::District(d.to_string());
        assert_eq!(segment(&district("Lào Cai"), Locale::vi), "TP Lào Cai");
        assert_eq!(segment(&district("Sa Pa"), Locale::en), "Sa Pa town");
        assert_eq!(segment(&district("Bát Xát"), Locale::vi), "Huyện Bát Xát");
        assert_eq!(
            segment(&district("Bát Xát"), Locale::en),
            "Bát Xát district"
        );
        assert_eq!(segment(&Segment::Ocop, Locale::en), "OCOP producers");
        assert_eq!(segment(&Segment::Province, Locale::vi), "Toàn tỉnh");
        assert_eq!(
            segment(&Segment::Market(Market::SaPa), Locale::vi),
            "Chợ Sa Pa"
        );
    }
}
