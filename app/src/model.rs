//! Records as the interface sees them: what server functions return and the pages render.
use crate::domain::category::{Category, OcopStars};
use crate::domain::id::{OrderId, ProductId, StallId, UserId};
use crate::domain::market::{Market, TradingDays};
use crate::domain::money::Dong;
use crate::domain::phone::Phone;
use crate::domain::quantity::{Quantity, Unit};
use crate::domain::role::{Role, StallPlace};
use crate::domain::stall::StallStatus;
use crate::vocab::in_every_language;
use serde::{Deserialize, Serialize};

mod live;
mod received;
pub use live::{CheckoutState, LiveOrder};
pub use received::{ReportedTransfer, StatementLine, StatementMatch};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub full_name: String,
    pub phone: Option<Phone>,
    pub email: Option<String>,
    pub role: Role,
    /// The market a market manager manages.
    pub market: Option<Market>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stall {
    pub id: StallId,
    pub owner_id: UserId,
    pub slug: String,
    pub name: String,
    pub place: StallPlace,
    pub description_vi: String,
    pub description_en: Option<String>,
    pub phone: Phone,
    pub trading_days: TradingDays,
    pub status: StallStatus,
    /// Why the stall was last rejected or suspended.
    pub status_reason: Option<String>,
    /// Storage key of the stall's photo.
    pub photo: Option<String>,
}

impl Stall {
    pub fn market(&self) -> Option<Market> {
        self.place.market()
    }

    pub fn photo_url(&self) -> Option<String> {
        self.photo.as_deref().map(photo_url)
    }

    pub fn thumb_url(&self) -> Option<String> {
        self.photo.as_deref().map(thumb_url)
    }
}

/// Where a stored photo's display size is served.
pub fn photo_url(key: &str) -> String {
    format!("/photos/{key}.jpg")
}

/// Where a stored photo's thumbnail is served.
pub fn thumb_url(key: &str) -> String {
    format!("/photos/{key}-thumb.jpg")
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OcopCert {
    pub stars: OcopStars,
    pub certificate_no: String,
    pub year: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub stall_id: StallId,
    pub name: String,
    pub description_vi: String,
    pub description_en: Option<String>,
    pub category: Category,
    pub unit: Unit,
    pub price: Dong,
    /// `None` is unlimited.
    pub stock: Option<Quantity>,
    pub ocop: Option<OcopCert>,
    pub published: bool,
    /// Storage keys of the photos, first one shown first.
    pub photos: Vec<String>,
}

impl Product {
    pub fn sold_out(&self) -> bool {
        self.stock.is_some_and(|q| q.steps() <= 0)
    }

    /// The display-size photo's URL.
    pub fn photo_url(&self) -> Option<String> {
        self.photos.first().map(|key| photo_url(key))
    }

    /// The thumbnail's URL, for lists.
    pub fn thumb_url(&self) -> Option<String> {
        self.photos.first().map(|key| thumb_url(key))
    }
}

/// A product found by search, with where it is sold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub product: Product,
    pub stall_slug: String,
    pub stall_name: String,
    pub place: StallPlace,
}

impl Hit {
    /// A product found, with the stall that sells it.
    pub fn new(product: Product, stall: Stall) -> Self {
        Hit {
            stall_slug: stall.slug,
            stall_name: stall.name,
            place: stall.place,
            product,
        }
    }
}

/// A shelf of the home page: a few products of one market, or OCOP's when `market` is `None`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shelf {
    pub market: Option<Market>,
    pub hits: Vec<Hit>,
}

/// A stall as a market page lists it, with the photos of a few of its products.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StallCard {
    pub stall: Stall,
    /// Storage keys of the products' first photos, shown as thumbnails.
    pub thumbs: Vec<String>,
}

/// One page of a market's stall cards, and how many stalls the market has in all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StallsOfMarket {
    pub cards: crate::domain::paging::Paged<StallCard>,
    pub total: usize,
}

impl User {
    pub fn actor(&self) -> crate::domain::role::Actor {
        crate::domain::role::Actor {
            user_id: self.id,
            role: self.role,
            market: self.market,
        }
    }
}

/// The words that say where a stall trades, in both languages, so `bac ha` or `Bắc Hà market`
/// finds the products sold at Bắc Hà.
pub fn place_words(place: &StallPlace) -> String {
    match place {
        StallPlace::Market { market, stall_no } => format!(
            "{} {} {}",
            in_every_language(*market),
            market.district(),
            stall_no.as_deref().unwrap_or("")
        ),
        StallPlace::Ocop {
            commune, district, ..
        } => format!("OCOP {commune} {district}"),
    }
}

/// What search matches a product against, folded: its own words, the English of the
/// glossary's words in its name, its category in both languages, and its stall's name and
/// place. Changing what goes in needs a migration rewriting the stored documents.
pub fn search_document(
    name: &str,
    description_vi: &str,
    description_en: Option<&str>,
    category: Category,
    stall_name: &str,
    place: &StallPlace,
) -> String {
    // Padded with spaces so the database can match words with `LIKE '%{search::word_needle}%'`,
    // the same rule as `search::has_word`.
    let folded = crate::domain::search::fold(&format!(
        "{name} {} {description_vi} {} {} {stall_name} {}",
        crate::domain::search::english_for(name),
        description_en.unwrap_or(""),
        in_every_language(category),
        place_words(place)
    ));
    format!(" {folded} ")
}

/// A stall as its owner fills it in.
#[derive(Clone, Debug)]
pub struct StallDraft {
    pub name: String,
    pub place: StallPlace,
    pub description_vi: String,
    pub description_en: Option<String>,
    pub phone: Phone,
    pub trading_days: TradingDays,
}

/// A product as its vendor fills it in.
#[derive(Clone, Debug)]
pub struct ProductDraft {
    pub name: String,
    pub description_vi: String,
    pub description_en: Option<String>,
    pub category: Category,
    pub unit: Unit,
    pub price: Dong,
    /// `None` is unlimited.
    pub stock: Option<Quantity>,
    /// The stock the form showed when it was opened (`Some(None)`: unlimited), so that saving
    /// changes only what the vendor changed ([`crate::domain::stock::stock_edit`]); `None` for
    /// a new product or a form that doesn't say.
    pub stock_shown: Option<Option<Quantity>>,
    pub ocop: Option<OcopCert>,
    pub published: bool,
}

/// One change a vendor made to a product's stock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockMove {
    /// In the product's unit; negative for goods gone.
    pub change: Quantity,
    pub reason: crate::domain::stock::StockReason,
    /// The stock it left.
    pub stock_after: Quantity,
    /// Who made it, by name; `None` for the count taken when the history began.
    pub by: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// One product in a cart, priced now from the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    pub product: Product,
    pub stall_slug: String,
    pub stall_name: String,
    pub quantity: Quantity,
    pub total: Dong,
}

impl CartLine {
    /// The line priced from the catalogue, with its stall: what a checkout orders. Prices sent
    /// by a browser never get here.
    pub fn priced(self) -> (StallId, crate::domain::order::PricedLine) {
        let p = self.product;
        let line =
            crate::domain::order::PricedLine::new(p.id, p.name, p.unit, p.price, self.quantity);
        (p.stall_id, line)
    }
}

/// The cart as its checkout will order it: one group per stall, with what each charges for
/// delivery and the days it can be collected, so the shopper sees the full price and the
/// choices before placing the order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CartView {
    pub stalls: Vec<CartStall>,
    /// What the cart was when shown ([`crate::service::carts`]' fingerprint of its lines,
    /// prices and each stall's payment methods): a checkout posted from an older view of it
    /// is sent back to look again instead of ordering what the shopper didn't see.
    #[serde(default)]
    pub seen: String,
    /// What the whole checkout costs when every order is collected.
    pub pickup_total: Dong,
    /// What it costs delivered: every stall's delivery fee added.
    pub delivery_total: Dong,
}

impl CartView {
    pub fn is_empty(&self) -> bool {
        self.stalls.is_empty()
    }

    /// Every line of the cart, stall by stall.
    pub fn lines(&self) -> impl Iterator<Item = &CartLine> {
        self.stalls.iter().flat_map(|s| s.lines.iter())
    }
}

/// One stall's part of a cart: the order a checkout will place with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CartStall {
    pub stall_id: StallId,
    pub stall_name: String,
    pub stall_slug: String,
    pub lines: Vec<CartLine>,
    pub subtotal: Dong,
    /// Charged only when the order is delivered.
    pub delivery_fee: Dong,
    /// The days the stall can be collected from, each with its next date, today first.
    pub pickup_dates: Vec<(crate::domain::market::Weekday, chrono::NaiveDate)>,
    /// How the stall can be paid now; none means its lines can't be ordered yet.
    #[serde(default)]
    pub methods: Vec<crate::domain::order::PaymentMethod>,
}

/// An order as its shopper, its vendor and the administrators see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: OrderId,
    pub code: String,
    pub stall_id: StallId,
    pub stall_name: String,
    pub stall_slug: String,
    pub status: crate::domain::order::OrderStatus,
    pub method: crate::domain::order::PaymentMethod,
    pub fulfilment: crate::domain::order::Fulfilment,
    /// The weekday a pickup is collected on; orders placed before the date was kept have
    /// only this.
    pub pickup_day: Option<crate::domain::market::Weekday>,
    /// The date a pickup is collected on.
    pub pickup_date: Option<chrono::NaiveDate>,
    pub lines: Vec<crate::domain::order::PricedLine>,
    pub subtotal: Dong,
    pub delivery_fee: Dong,
    pub total: Dong,
    /// What transfers the bank reported have paid towards it so far, part payments included.
    pub received: Dong,
    pub name: String,
    pub phone: Phone,
    pub address: Option<String>,
    pub note: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// Every change of status, oldest first.
    pub history: Vec<OrderEvent>,
}

impl Order {
    /// What is still to pay: the total, less what the bank reported received.
    pub fn due(&self) -> Dong {
        Dong::new((self.total.amount() - self.received.amount()).max(0))
    }

    /// When a pickup order is collected: the weekday, with the date unless the order was
    /// placed before dates were kept.
    pub fn pickup_when(
        &self,
    ) -> Option<(crate::domain::market::Weekday, Option<chrono::NaiveDate>)> {
        match self.pickup_date {
            Some(date) => Some((crate::domain::market::Weekday::of(date), Some(date))),
            None => self.pickup_day.map(|day| (day, None)),
        }
    }

    /// How the order ended, if it stopped without being fulfilled: what its page explains.
    pub fn ending(&self) -> Option<crate::domain::order::OrderEnding> {
        let history: Vec<_> = self.history.iter().map(|e| e.to).collect();
        crate::domain::order::ending(self.status, self.method, &history)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderEvent {
    pub from: crate::domain::order::OrderStatus,
    pub to: crate::domain::order::OrderStatus,
    pub actor: crate::domain::order::OrderActor,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// One checkout: the shopper's orders at one or more stalls, reached by an unguessable link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutView {
    pub token: String,
    pub total: Dong,
    pub orders: Vec<Order>,
    /// Where to pay by card while the payment is open.
    pub payment_url: Option<String>,
    /// The last attempt to open the card payment page could not reach the processor: the
    /// orders are kept and paying again is safe.
    #[serde(default)]
    pub card_unavailable: bool,
    /// For each order awaiting a transfer: its VietQR payload and that code as SVG.
    pub transfer_codes: Vec<TransferCode>,
    /// Where each stall of the checkout is and how to call it, on the checkout's own page.
    #[serde(default)]
    pub stalls: Vec<StallContact>,
}

impl CheckoutView {
    /// Whether some of its orders still wait for the card payment.
    pub fn awaits_card(&self) -> bool {
        self.orders
            .iter()
            .any(|o| o.status == crate::domain::order::OrderStatus::AwaitingPayment)
    }
}

/// Where a stall of a checkout hands over its goods, and its phone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StallContact {
    pub stall_id: StallId,
    pub place: StallPlace,
    pub phone: Phone,
}

/// One page of the checkouts a signed-in shopper placed, newest first.
pub type Purchases = crate::domain::paging::Paged<CheckoutView>;

/// What a shopper scans to pay one order by bank transfer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TransferCode {
    pub order_id: OrderId,
    pub bank_name: String,
    pub account_number: String,
    pub account_holder: String,
    pub payload: String,
    pub svg: String,
    /// With the payOS and SePay stand-in only: its bank page, filled in to make this transfer.
    pub test_bank: Option<String>,
    /// The stall's payOS payment page for the order, when payOS made one.
    pub pay_url: Option<String>,
    /// The transfer's purpose, when it is not the order's code: payOS's own (its QR carries
    /// it, and payOS recognises the payment by it).
    pub reference: Option<String>,
}

/// How a stall takes money: its delivery fee, card payments through the platform, and the
/// bank account its VietQR codes pay into.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PaymentSettings {
    pub delivery_fee: Dong,
    pub accepts_cards: bool,
    pub bank: Option<crate::domain::bank::BankAccount>,
}

impl PaymentSettings {
    /// A stall can be paid cashless once it takes cards or has a bank account for VietQR.
    pub fn epayment_ready(&self) -> bool {
        self.accepts_cards || self.bank.is_some()
    }

    /// The methods a shopper can pay the stall by on a site whose card payments are `cards`
    /// ([`methods_taken`](crate::domain::setup::methods_taken)); none keeps the stall from
    /// approval and its goods from carts.
    pub fn methods(
        &self,
        cards: crate::domain::order::CardMode,
    ) -> Vec<crate::domain::order::PaymentMethod> {
        crate::domain::setup::methods_taken(self.accepts_cards, self.bank.is_some(), cards)
    }
}

/// A product's page: the product and its stall, and whether the stall can be paid now. When it
/// can't, the page says so instead of offering the cart, which would refuse it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductView {
    pub hit: Hit,
    pub payable: bool,
}

/// A stall in its reviewer's queue; with the facts to weigh when the next move would make it
/// public (it is submitted or suspended).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StallReview {
    pub stall: Stall,
    pub details: Option<ReviewDetails>,
}

/// What a reviewer checks before approving: who keeps the stall, what it sells, and what of
/// its set-up is done, the same checklist its vendor sees.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewDetails {
    pub owner_name: String,
    /// The number the owner signed up with, if they signed up by phone.
    pub owner_phone: Option<Phone>,
    /// Every product, hidden ones too.
    pub products: Vec<Product>,
    pub checklist: crate::domain::setup::SetupChecklist,
}

/// A stall named in a list: enough to link to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StallRef {
    pub id: StallId,
    pub slug: String,
    pub name: String,
    pub status: crate::domain::stall::StallStatus,
}

impl From<&Stall> for StallRef {
    fn from(stall: &Stall) -> StallRef {
        StallRef {
            id: stall.id,
            slug: stall.slug.clone(),
            name: stall.name.clone(),
            status: stall.status,
        }
    }
}

/// A refund the card processor kept refusing: the shopper's money is still to go back, by
/// hand, and an administrator is shown why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefundProblem {
    pub order_code: String,
    pub amount: Dong,
    pub attempts: u32,
    /// The processor's last answer.
    pub reason: String,
    pub requested_at: chrono::DateTime<chrono::Utc>,
    pub gave_up_at: chrono::DateTime<chrono::Utc>,
}

/// Something that went wrong with the card processor's word, `count` times between `first_at`
/// and `last_at`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentAlert {
    pub kind: crate::domain::payment_alert::AlertKind,
    /// The event or Checkout Session it is about, when there is one.
    pub reference: Option<String>,
    /// What the app saw, in its operators' words (never a secret).
    pub detail: String,
    pub count: u64,
    pub first_at: chrono::DateTime<chrono::Utc>,
    pub last_at: chrono::DateTime<chrono::Utc>,
}

/// One stall's account with the platform, in whole đồng.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StallBalance {
    pub stall_id: StallId,
    pub stall_name: String,
    /// Card payments collected, net of refunds and of the platform's fee.
    pub earned: Dong,
    pub settled: Dong,
    pub owed: Dong,
}

/// A registry entry as the administrators' lists show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistryEntry {
    pub id: i64,
    pub row: crate::domain::registry::RegistryRow,
    pub stall: Option<StallRef>,
}

/// A token the provincial reporting system presents; only its hash is stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A stall's registry entries, or while it has none the entries it most likely is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StallEntries {
    pub linked: Vec<RegistryEntry>,
    pub suggestions: Vec<RegistryEntry>,
}
