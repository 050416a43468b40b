//! sea-orm entities: rows as stored. Conversion to the app's model types lives beside the
//! store that reads them.

mod bank;
pub use bank::{bank_credit, counter_sale, payment_link, stall_bank_service};

pub mod user {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub full_name: String,
        pub phone: Option<String>,
        pub email: Option<String>,
        pub password_hash: String,
        pub role: String,
        pub market: Option<String>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub data: String,
        /// Unix seconds.
        pub expires_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod login_failure {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_failures")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub key: String,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod stall {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "stalls")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub owner_id: i64,
        pub slug: String,
        pub name: String,
        pub place_kind: String,
        pub market: Option<String>,
        pub stall_no: Option<String>,
        pub entity_type: Option<String>,
        pub commune: Option<String>,
        pub district: Option<String>,
        pub description_vi: String,
        pub description_en: Option<String>,
        pub phone: String,
        pub trading_days: i16,
        pub status: String,
        pub status_reason: Option<String>,
        pub photo_key: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod stall_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "stall_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub stall_id: i64,
        pub from_status: String,
        pub to_status: String,
        pub reason: Option<String>,
        pub actor_id: i64,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod product {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "products")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub stall_id: i64,
        pub name: String,
        pub description_vi: String,
        pub description_en: Option<String>,
        pub category: String,
        pub unit: String,
        pub price: i64,
        pub stock: Option<i64>,
        pub ocop_stars: Option<i16>,
        pub ocop_certificate: Option<String>,
        pub ocop_year: Option<i32>,
        pub published: bool,
        /// Whether it has a photo: the shelves show those first, read through an index. Written
        /// with the photo rows that change it, in the same transaction.
        pub has_photo: bool,
        /// Folded name, descriptions, category and where it is sold: what search matches.
        pub search_text: String,
        /// The folded name, padded with spaces: which products hold every term in their name.
        pub name_words: String,
        /// The name's accent key, padded with spaces: which names hold the query's accents.
        pub name_accents: String,
        /// The form submission that created it (see `app::domain::submission`), if any.
        pub submission: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod product_photo {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "product_photos")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub product_id: i64,
        pub key: String,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod stall_payment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "stall_payments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub stall_id: i64,
        pub delivery_fee: i64,
        pub accepts_cards: bool,
        pub bank_bin: Option<String>,
        pub bank_account: Option<String>,
        pub bank_holder: Option<String>,
        pub bank_verified_at: Option<DateTimeUtc>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod cart {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "carts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// A visitor's cart key, kept in their server-side session (never in a cookie).
        pub visitor_key: Option<String>,
        pub user_id: Option<i64>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod cart_item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cart_items")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub cart_id: i64,
        pub product_id: i64,
        pub quantity: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod checkout {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "checkouts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub token: String,
        pub user_id: Option<i64>,
        pub name: String,
        pub phone: String,
        pub fulfilment: String,
        pub address: Option<String>,
        pub note: Option<String>,
        pub method: String,
        pub total: i64,
        pub stripe_session_id: Option<String>,
        pub stripe_payment_intent: Option<String>,
        pub payment_url: Option<String>,
        /// The number of the latest card payment attempt (0: none yet).
        pub attempts: i32,
        /// The orders the latest attempt charges, as `12,13`; `None` once it closed.
        pub session_orders: Option<String>,
        /// When the latest attempt's Checkout Session expires.
        pub session_expires_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        /// Who placed it: `user:12` or `visitor:<session key>`.
        pub holder: Option<String>,
        /// The network address it was placed from.
        pub client_addr: Option<String>,
        /// When its card session was last looked up at the processor.
        pub card_checked_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod order {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "orders")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub code: String,
        pub checkout_id: i64,
        pub stall_id: i64,
        pub status: String,
        pub method: String,
        pub fulfilment: String,
        /// The weekday slug of a pickup; the only record of it for orders placed before
        /// `pickup_date` was kept.
        pub pickup_day: Option<String>,
        pub pickup_date: Option<chrono::NaiveDate>,
        pub subtotal: i64,
        pub delivery_fee: i64,
        pub total: i64,
        pub expires_at: DateTimeUtc,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        /// The card payment (Stripe PaymentIntent) that paid this order.
        pub payment_intent: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod order_line {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "order_lines")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub order_id: i64,
        pub product_id: i64,
        pub name: String,
        pub unit: String,
        pub unit_price: i64,
        pub quantity: i64,
        pub total: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod order_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "order_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub order_id: i64,
        pub from_status: String,
        pub to_status: String,
        pub actor: String,
        pub actor_user_id: Option<i64>,
        pub note: Option<String>,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod stripe_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "stripe_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub kind: String,
        pub processed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod ledger_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ledger_entries")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub stall_id: i64,
        pub order_id: Option<i64>,
        pub kind: String,
        pub amount: i64,
        pub note: Option<String>,
        pub created_by: Option<i64>,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Money a card payment brought for an order that no longer awaited it, owed back to the
/// shopper: made through the processor's refund API, once per idempotency key.
pub mod card_refund {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "card_refunds")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub order_id: i64,
        pub payment_intent: String,
        pub amount: i64,
        pub idempotency_key: String,
        pub requested_at: DateTimeUtc,
        pub refunded_at: Option<DateTimeUtc>,
        /// Tries so far: each claim counts one.
        pub attempts: i32,
        /// While a worker is asking the processor, or waiting to try again: no other claims it.
        pub claimed_until: Option<DateTimeUtc>,
        /// The processor's last refusal, or why it couldn't be reached.
        pub last_error: Option<String>,
        /// Set once the tries ran out: left for an administrator.
        pub gave_up_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod payment_alert {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "payment_alerts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub kind: String,
        pub reference: Option<String>,
        pub detail: String,
        pub count: i64,
        pub first_at: DateTimeUtc,
        pub last_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod stock_move {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "stock_moves")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub product_id: i64,
        pub change: i64,
        pub reason: String,
        pub stock_after: i64,
        pub by_user: Option<i64>,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod statement_line {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "statement_lines")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub fingerprint: String,
        pub uploaded_by: i64,
        pub booked_on: Date,
        pub amount: i64,
        pub description: String,
        pub matched_order_id: Option<i64>,
        pub imported_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod registry_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "registry_entries")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub external_id: String,
        pub kind: String,
        pub market: Option<String>,
        pub stall_no: Option<String>,
        pub name: String,
        pub entity_type: String,
        pub phone: Option<String>,
        pub district: String,
        pub ocop_products: String,
        pub stall_id: Option<i64>,
        pub linked_at: Option<DateTimeUtc>,
        pub linked_by: Option<i64>,
        pub registered_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod stage_span {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "stage_spans")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub stall_id: i64,
        pub product_id: Option<i64>,
        pub stage: String,
        pub started_at: DateTimeUtc,
        pub ended_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod report_target {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "report_targets")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub segment: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub year: i32,
        pub tenths: i16,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod api_token {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_tokens")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
        pub last_used_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
