//! What a checkout asks for: the form as posted, checked field by field into a [`Checkout`],
//! the cart split into one order per stall, and how each stall's order is paid.
use super::card::CardMode;
use super::invalid::{FieldErrors, Invalid, NAME_MAX, optional_text, required_text};
use super::market::DISTRICTS;
use super::phone::Phone;
use super::search::fold;
use super::status::{Fulfilment, PaymentMethod};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Longest delivery address, in characters.
pub const ADDRESS_MAX: usize = 300;
/// Longest note to the vendor, in characters.
pub const NOTE_MAX: usize = 500;

/// The checkout form as posted, before any of it is trusted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutForm {
    pub name: String,
    pub phone: String,
    /// A [`Fulfilment`] slug.
    pub fulfilment: String,
    pub address: Option<String>,
    pub note: Option<String>,
}

/// A checked checkout: who is buying and how they get the goods. How each stall is paid is
/// chosen stall by stall ([`chosen_method`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkout {
    pub name: String,
    pub phone: Phone,
    pub fulfilment: Fulfilment,
    /// The delivery address; always `None` for pickup.
    pub address: Option<String>,
    pub note: Option<String>,
}

/// Checks every field of a checkout form, reporting all mistakes at once.
///
/// - `name`: required, at most [`NAME_MAX`] characters.
/// - `phone`: required, a Vietnamese number ([`Phone::parse`]).
/// - `fulfilment`: a required slug.
/// - `address`: for delivery only, required, at most [`ADDRESS_MAX`] characters, and naming
///   Lào Cai or one of its districts (otherwise `OutsideDeliveryArea`): vendors deliver within the
///   province only. For pickup it is ignored rather than checked, because a form that
///   switched from delivery to pickup may still post what was typed.
/// - `note`: optional, at most [`NOTE_MAX`] characters.
pub fn parse_checkout(form: &CheckoutForm) -> Result<Checkout, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = errors.check("name", required_text(&form.name, NAME_MAX));
    let phone = errors.check(
        "phone",
        if form.phone.trim().is_empty() {
            Err(Invalid::Required)
        } else {
            Phone::parse(&form.phone)
        },
    );
    let fulfilment = errors.check("fulfilment", choice::<Fulfilment>(&form.fulfilment));
    let address = match fulfilment {
        Some(Fulfilment::Delivery) => errors
            .check(
                "address",
                delivery_address(form.address.as_deref().unwrap_or("")),
            )
            .map(Some),
        Some(Fulfilment::Pickup) | None => Some(None),
    };
    let note = errors.check(
        "note",
        optional_text(form.note.as_deref().unwrap_or(""), NOTE_MAX),
    );
    match (name, phone, fulfilment, address, note) {
        (Some(name), Some(phone), Some(fulfilment), Some(address), Some(note)) => Ok(Checkout {
            name,
            phone,
            fulfilment,
            address,
            note,
        }),
        _ => Err(errors),
    }
}

/// How the shopper pays one stall of the checkout, as posted for it (a [`PaymentMethod`]
/// slug), checked against `offered`: the methods the stall takes now, as the cart showed them
/// ([`methods_taken`](crate::domain::setup::methods_taken)).
///
/// - A stall that takes no method at all can't be ordered from: `NotPayable`, naming it,
///   which the cart has already said beside its lines.
/// - Nothing posted is that stall's only method, or `Required` when it has two.
/// - A card while the site takes no cards is `CardsOff`; any other method the stall doesn't
///   take (it changed its settings since the cart was shown) is `NotAccepted`, naming it.
pub fn chosen_method(
    posted: Option<&str>,
    stall: &str,
    offered: &[PaymentMethod],
    cards: CardMode,
) -> Result<PaymentMethod, Invalid> {
    let posted = posted.map(str::trim).filter(|s| !s.is_empty());
    match (offered, posted) {
        ([], _) => Err(Invalid::NotPayable {
            stall: stall.to_owned(),
        }),
        ([only], None) => Ok(*only),
        (_, None) => Err(Invalid::Required),
        (_, Some(slug)) => match slug.parse::<PaymentMethod>()? {
            method if offered.contains(&method) => Ok(method),
            PaymentMethod::Card if cards == CardMode::Off => Err(Invalid::CardsOff),
            _ => Err(Invalid::NotAccepted {
                stall: stall.to_owned(),
            }),
        },
    }
}

/// A value picked from a list: blank is `Required`, anything else must be an exact slug.
fn choice<T: FromStr<Err = Invalid>>(s: &str) -> Result<T, Invalid> {
    if s.trim().is_empty() {
        Err(Invalid::Required)
    } else {
        s.parse()
    }
}

fn delivery_address(s: &str) -> Result<String, Invalid> {
    let address = required_text(s, ADDRESS_MAX)?;
    if names_a_place_in_lao_cai(&address) {
        Ok(address)
    } else {
        Err(Invalid::OutsideDeliveryArea)
    }
}

/// Whether the text names Lào Cai (the province or its city) or one of its districts, as whole
/// words in any case or accents, with or without the spaces inside the name, since `Sapa`
/// and `Simacai` are as common as `Sa Pa` and `Si Ma Cai`. [`DISTRICTS`] includes Lào Cai.
///
/// It asks for a place name, not a proof: an address naming only its commune is refused and
/// the shopper adds the district. A name never runs across a comma: `Hàng Bạc, Hà Nội` folds to
/// words that read "bac ha", but no part of it names Bắc Hà.
fn names_a_place_in_lao_cai(address: &str) -> bool {
    address.split([',', ';', '\n']).any(|part| {
        let folded = fold(part);
        let words: Vec<&str> = folded.split(' ').collect();
        DISTRICTS.iter().any(|district| {
            let name = fold(district);
            let parts: Vec<&str> = name.split(' ').collect();
            let squeezed = parts.concat();
            words.windows(parts.len()).any(|w| w == parts) || words.contains(&squeezed.as_str())
        })
    })
}

/// Groups a cart's `(stall id, line)` pairs into one list per stall, stalls in the order they
/// first appear and lines in cart order, so the orders read like the cart did.
pub fn split_by_stall<K: PartialEq, L>(lines: Vec<(K, L)>) -> Vec<(K, Vec<L>)> {
    let mut stalls: Vec<(K, Vec<L>)> = Vec::new();
    for (stall_id, line) in lines {
        match stalls.iter_mut().find(|(id, _)| *id == stall_id) {
            Some((_, stall_lines)) => stall_lines.push(line),
            None => stalls.push((stall_id, vec![line])),
        }
    }
    stalls
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentMethod as P;

    fn form(fulfilment: &str, address: Option<&str>) -> CheckoutForm {
        CheckoutForm {
            name: "  Lò Thị Mai ".to_owned(),
            phone: "0912 345 678".to_owned(),
            fulfilment: fulfilment.to_owned(),
            address: address.map(str::to_owned),
            note: Some(" Gọi trước khi giao ".to_owned()),
        }
    }

    fn address_error(address: &str) -> Option<Invalid> {
        parse_checkout(&form("delivery", Some(address)))
            .err()
            .and_then(|errors| errors.get("address").cloned())
    }

    #[test]
    fn a_pickup_checkout_parses_and_ignores_any_address() {
        let checkout = parse_checkout(&form("pickup", Some("Hà Nội"))).unwrap();
        assert_eq!(
            checkout,
            Checkout {
                name: "Lò Thị Mai".to_owned(),
                phone: Phone::parse("+84912345678").unwrap(),
                fulfilment: Fulfilment::Pickup,
                address: None,
                note: Some("Gọi trước khi giao".to_owned()),
            }
        );
    }

    #[test]
    fn a_delivery_checkout_keeps_its_address_in_lao_cai() {
        let checkout =
            parse_checkout(&form("delivery", Some(" 12 Cầu Mây, Sa Pa, Lào Cai "))).unwrap();
        assert_eq!(checkout.fulfilment, Fulfilment::Delivery);
        assert_eq!(
            checkout.address.as_deref(),
            Some("12 Cầu Mây, Sa Pa, Lào Cai")
        );
    }

    #[test]
    fn a_delivery_address_may_name_the_province_or_any_district_however_typed() {
        for address in [
            "Số 5 Hoàng Liên, TP Lào Cai",
            "thon 3, xa Y Ty, BAT XAT",
            "Khu 2, thị trấn Phố Lu, Bảo Thắng",
            "23 Xuân Viên, Sapa",
            "Chợ trung tâm, Simacai",
            "Thôn Na Hối, Bắc Hà",
            "TDP 4, tt. Mường Khương",
            "Xã Khánh Yên, Văn Bàn",
            "Tổ 1, Phố Ràng, Bảo Yên",
            "Phường Cốc Lếu, laocai",
        ] {
            assert_eq!(address_error(address), None, "{address:?}");
        }
    }

    #[test]
    fn a_delivery_address_outside_lao_cai_is_refused() {
        for address in [
            "36 Hàng Bạc, Hoàn Kiếm, Hà Nội",
            "36 Hàng Bạc, Hà Nội", // "bac ha" only across the comma
            "Phường Cầu Mây",      // a ward, but no district named
            "Saparia Street",      // Sa Pa only as part of a word
            "Laocaiville",
        ] {
            assert_eq!(
                address_error(address),
                Some(Invalid::OutsideDeliveryArea),
                "{address:?}"
            );
        }
    }

    #[test]
    fn a_delivery_needs_an_address_of_at_most_three_hundred_characters() {
        assert_eq!(address_error("  "), Some(Invalid::Required));
        let missing = parse_checkout(&form("delivery", None)).unwrap_err();
        assert_eq!(missing.get("address"), Some(&Invalid::Required));
        let long = format!("{}, Sa Pa", "x".repeat(300));
        assert_eq!(
            address_error(&long),
            Some(Invalid::TooLong { max: ADDRESS_MAX })
        );
    }

    #[test]
    fn a_checkout_reports_every_mistake_at_once_in_form_order() {
        let bad = CheckoutForm {
            name: " ".to_owned(),
            phone: "12345".to_owned(),
            fulfilment: "drone".to_owned(),
            address: Some("Hà Nội".to_owned()),
            note: Some("x".repeat(501)),
        };
        let errors = parse_checkout(&bad).unwrap_err();
        let fields: Vec<_> = errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.invalid.clone()))
            .collect();
        assert_eq!(
            fields,
            [
                ("name", Invalid::Required),
                ("phone", Invalid::Phone),
                ("fulfilment", Invalid::Unknown),
                ("note", Invalid::TooLong { max: NOTE_MAX }),
            ]
        );
    }

    #[test]
    fn a_blank_phone_is_required_and_a_long_name_is_too_long() {
        let mut bad = form("pickup", None);
        bad.phone = "  ".to_owned();
        bad.name = "M".repeat(NAME_MAX + 1);
        let errors = parse_checkout(&bad).unwrap_err();
        assert_eq!(errors.get("phone"), Some(&Invalid::Required));
        assert_eq!(
            errors.get("name"),
            Some(&Invalid::TooLong { max: NAME_MAX })
        );
    }

    #[test]
    fn a_blank_note_is_none() {
        let mut quiet = form("pickup", None);
        quiet.note = Some("   ".to_owned());
        assert_eq!(parse_checkout(&quiet).unwrap().note, None);
        quiet.note = None;
        assert_eq!(parse_checkout(&quiet).unwrap().note, None);
    }

    #[test]
    fn a_cart_splits_into_one_list_per_stall_in_first_seen_order() {
        // Each line stands for its product's id.
        let split = split_by_stall(vec![(9, 1), (4, 2), (9, 3), (4, 4), (5, 5)]);
        assert_eq!(split, [(9, vec![1, 3]), (4, vec![2, 4]), (5, vec![5])]);
        assert!(split_by_stall::<i64, i64>(Vec::new()).is_empty());
    }

    #[test]
    fn each_stall_is_paid_only_by_a_method_it_offers() {
        let on = CardMode::Stripe;
        let both = [P::VietQr, P::Card];
        let choose = |posted, offered: &[P], cards| chosen_method(posted, "Gian A", offered, cards);
        assert_eq!(choose(Some("card"), &both, on), Ok(P::Card));
        assert_eq!(choose(Some(" vietqr "), &both, on), Ok(P::VietQr));
        // Nothing chosen: the only method, or a choice to make.
        assert_eq!(choose(None, &[P::VietQr], on), Ok(P::VietQr));
        assert_eq!(choose(Some(""), &[P::Card], on), Ok(P::Card));
        assert_eq!(choose(None, &both, on), Err(Invalid::Required));
        assert_eq!(choose(Some("cash"), &both, on), Err(Invalid::Unknown));
        let not_accepted = Err(Invalid::NotAccepted {
            stall: "Gian A".into(),
        });
        assert_eq!(choose(Some("card"), &[P::VietQr], on), not_accepted);
        assert_eq!(choose(Some("vietqr"), &[P::Card], on), not_accepted);
        assert_eq!(
            choose(Some("card"), &[P::VietQr], CardMode::Off),
            Err(Invalid::CardsOff)
        );
        // A stall that takes nothing is named whatever was posted.
        for posted in [None, Some("card"), Some("vietqr")] {
            assert_eq!(
                choose(posted, &[], on),
                Err(Invalid::NotPayable {
                    stall: "Gian A".into()
                })
            );
        }
    }
}
