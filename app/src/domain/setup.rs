//! A new stall's way to its first sale: the steps its vendor takes, each done or not, and the
//! rule that ties them to review and to the cart: a stall that can't be paid is neither
//! approved nor sold from, since every checkout of its goods would be refused at the last step.
//!
//! The vendor's dashboard and the stall's reviewer read the same [`SetupChecklist`], so what
//! the vendor is told is missing is exactly what stops the reviewer.
use super::id::ProductId;
use super::order::{CardMode, PaymentMethod};
use super::stall::{StallMove, StallStatus};
use serde::{Deserialize, Serialize};

slug_enum! {
    /// The steps from an opened stall to one shoppers can buy from, in the order a vendor
    /// usually takes them.
    pub enum SetupStep {
        /// The stall's details are saved (they are, once it exists) and it has a photo, so
        /// shoppers and its reviewer recognise it.
        Details = "details",
        /// At least one product shoppers see, with a photo.
        Product = "product",
        /// A way to be paid: a bank account for VietQR, or cards.
        Payment = "payment",
        Submitted = "submitted",
        Approved = "approved",
    }
}

/// The methods a stall can be paid by now, in the order a shopper is offered them: VietQR once it has a bank account for the codes to
/// pay into, cards once it takes them and the site takes cards at all (with card payments off,
/// a card checkout is refused whatever the stall says).
pub fn methods_taken(accepts_cards: bool, has_bank: bool, cards: CardMode) -> Vec<PaymentMethod> {
    let mut methods = Vec::with_capacity(2);
    if has_bank {
        methods.push(PaymentMethod::VietQr);
    }
    if accepts_cards && cards != CardMode::Off {
        methods.push(PaymentMethod::Card);
    }
    methods
}

/// Whether a reviewer's move makes the stall public, and so needs it to take a payment method:
/// approving it, or reinstating it after a suspension.
pub fn needs_a_payment_method(mv: StallMove) -> bool {
    matches!(mv, StallMove::Approve | StallMove::Reinstate)
}

/// One product as the checklist counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProductFacts {
    pub id: ProductId,
    pub published: bool,
    pub has_photo: bool,
}

/// What a checklist is worked out from, read by the service from the stall, its products and
/// its payment settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupFacts {
    pub status: StallStatus,
    pub stall_photo: bool,
    /// Every product, hidden ones too, in the stall's order.
    pub products: Vec<ProductFacts>,
    /// [`methods_taken`].
    pub methods: Vec<PaymentMethod>,
}

/// Where the vendor does a step; the page turns it into a link, so no one types an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SetupPlace {
    /// The stall's photo on the dashboard.
    StallPhoto,
    /// A new product's form.
    NewProduct,
    /// This product's page, where its photos are added and it is shown to shoppers.
    Product(ProductId),
    /// The payment settings.
    Payments,
    /// The dashboard's "submit for approval" button.
    Submit,
}

/// One step, done or not, and where to do it while it isn't (nowhere for the reviewer's
/// approval, which is not the vendor's to do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupItem {
    pub step: SetupStep,
    pub done: bool,
    pub place: Option<SetupPlace>,
}

/// Every [`SetupStep`] of one stall, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupChecklist {
    pub items: Vec<SetupItem>,
    /// The methods the stall takes now; empty keeps it from approval and from carts.
    pub methods: Vec<PaymentMethod>,
}

impl SetupChecklist {
    pub fn new(facts: &SetupFacts) -> SetupChecklist {
        let items = SetupStep::ALL
            .into_iter()
            .map(|step| {
                let done = done(step, facts);
                SetupItem {
                    step,
                    done,
                    place: (!done).then(|| place(step, facts)).flatten(),
                }
            })
            .collect();
        SetupChecklist {
            items,
            methods: facts.methods.clone(),
        }
    }

    pub fn is_done(&self, step: SetupStep) -> bool {
        self.items.iter().any(|i| i.step == step && i.done)
    }

    pub fn done_count(&self) -> usize {
        self.items.iter().filter(|i| i.done).count()
    }

    pub fn is_complete(&self) -> bool {
        self.done_count() == self.items.len()
    }

    /// Whether the stall can be paid by any method: what approval and every cart need.
    pub fn takes_payment(&self) -> bool {
        !self.methods.is_empty()
    }
}

fn done(step: SetupStep, facts: &SetupFacts) -> bool {
    match step {
        SetupStep::Details => facts.stall_photo,
        SetupStep::Product => facts.products.iter().any(|p| p.published && p.has_photo),
        SetupStep::Payment => !facts.methods.is_empty(),
        SetupStep::Submitted => facts.status != StallStatus::Draft,
        SetupStep::Approved => facts.status == StallStatus::Approved,
    }
}

/// Where a step not yet done is done. For a product: the first one a shopper would see once it
/// has a photo, else the first with a photo still hidden, else the first at all, else a new one.
fn place(step: SetupStep, facts: &SetupFacts) -> Option<SetupPlace> {
    match step {
        SetupStep::Details => Some(SetupPlace::StallPhoto),
        SetupStep::Product => {
            let first =
                |wanted: fn(&ProductFacts) -> bool| facts.products.iter().find(|p| wanted(p));
            let product = first(|p| p.published)
                .or_else(|| first(|p| p.has_photo))
                .or_else(|| facts.products.first());
            Some(product.map_or(SetupPlace::NewProduct, |p| SetupPlace::Product(p.id)))
        }
        SetupStep::Payment => Some(SetupPlace::Payments),
        SetupStep::Submitted => Some(SetupPlace::Submit),
        SetupStep::Approved => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(id: i64, published: bool, has_photo: bool) -> ProductFacts {
        ProductFacts {
            id: ProductId::new(id),
            published,
            has_photo,
        }
    }

    fn new_stall() -> SetupFacts {
        SetupFacts {
            status: StallStatus::Draft,
            stall_photo: false,
            products: Vec::new(),
            methods: Vec::new(),
        }
    }

    fn item(list: &SetupChecklist, step: SetupStep) -> SetupItem {
        *list.items.iter().find(|i| i.step == step).unwrap()
    }

    #[test]
    fn a_stall_just_opened_has_every_step_to_do_each_with_its_place() {
        let list = SetupChecklist::new(&new_stall());
        let places: Vec<_> = list
            .items
            .iter()
            .map(|i| (i.step, i.done, i.place))
            .collect();
        assert_eq!(
            places,
            vec![
                (SetupStep::Details, false, Some(SetupPlace::StallPhoto)),
                (SetupStep::Product, false, Some(SetupPlace::NewProduct)),
                (SetupStep::Payment, false, Some(SetupPlace::Payments)),
                (SetupStep::Submitted, false, Some(SetupPlace::Submit)),
                (SetupStep::Approved, false, None),
            ]
        );
        assert_eq!(list.done_count(), 0);
        assert!(!list.takes_payment());
    }

    #[test]
    fn an_approved_stall_with_a_photo_a_shown_product_and_a_bank_account_is_complete() {
        let facts = SetupFacts {
            status: StallStatus::Approved,
            stall_photo: true,
            products: vec![product(1, false, false), product(2, true, true)],
            methods: vec![PaymentMethod::VietQr],
        };
        let list = SetupChecklist::new(&facts);
        assert!(list.is_complete());
        assert_eq!(list.done_count(), 5);
        assert!(list.items.iter().all(|i| i.place.is_none()));
    }

    #[test]
    fn only_a_product_shoppers_see_with_a_photo_counts_and_the_link_goes_to_the_one_to_finish() {
        let mut facts = new_stall();
        // A photo on a hidden product: the step is to show it.
        facts.products = vec![product(1, false, false), product(2, false, true)];
        let list = SetupChecklist::new(&facts);
        assert!(!list.is_done(SetupStep::Product));
        assert_eq!(
            item(&list, SetupStep::Product).place,
            Some(SetupPlace::Product(ProductId::new(2)))
        );
        // A shown product without a photo: the step is to add its photo.
        facts.products = vec![product(1, false, true), product(3, true, false)];
        let list = SetupChecklist::new(&facts);
        assert_eq!(
            item(&list, SetupStep::Product).place,
            Some(SetupPlace::Product(ProductId::new(3)))
        );
        facts.products.push(product(4, true, true));
        assert!(SetupChecklist::new(&facts).is_done(SetupStep::Product));
    }

    #[test]
    fn submitted_is_done_from_review_on_and_approved_only_while_approved() {
        let mut facts = new_stall();
        let steps = |facts: &SetupFacts| {
            let list = SetupChecklist::new(facts);
            (
                list.is_done(SetupStep::Submitted),
                list.is_done(SetupStep::Approved),
            )
        };
        for (status, expected) in [
            (StallStatus::Draft, (false, false)),
            (StallStatus::Submitted, (true, false)),
            (StallStatus::Approved, (true, true)),
            (StallStatus::Suspended, (true, false)),
        ] {
            facts.status = status;
            assert_eq!(steps(&facts), expected, "{status}");
        }
    }

    #[test]
    fn a_stall_is_paid_by_transfer_with_a_bank_account_and_by_card_only_where_cards_are_on() {
        use CardMode::{Off, Simulated, Stripe};
        use PaymentMethod::{Card, VietQr};
        assert_eq!(methods_taken(false, false, Stripe), vec![]);
        assert_eq!(methods_taken(true, false, Stripe), vec![Card]);
        assert_eq!(methods_taken(true, false, Simulated), vec![Card]);
        assert_eq!(methods_taken(true, false, Off), vec![], "cards are off");
        assert_eq!(methods_taken(false, true, Off), vec![VietQr]);
        assert_eq!(methods_taken(true, true, Stripe), vec![VietQr, Card]);
    }

    #[test]
    fn the_payment_step_is_done_by_any_method() {
        let mut facts = new_stall();
        for methods in [vec![PaymentMethod::Card], vec![PaymentMethod::VietQr]] {
            facts.methods = methods;
            let list = SetupChecklist::new(&facts);
            assert!(list.is_done(SetupStep::Payment));
            assert!(list.takes_payment());
        }
    }

    #[test]
    fn approving_and_reinstating_need_a_payment_method_and_no_other_move_does() {
        let needing: Vec<_> = StallMove::ALL
            .into_iter()
            .filter(|&m| needs_a_payment_method(m))
            .collect();
        assert_eq!(needing, vec![StallMove::Approve, StallMove::Reinstate]);
    }
}
