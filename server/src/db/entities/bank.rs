//! The stalls' bank-notification services, the transfers they report, and the sales made at
//! the stall those transfers may pay.

pub mod stall_bank_service {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "stall_bank_services")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub stall_id: i64,
        pub service: String,
        /// The service's keys, sealed by `crate::sealed`.
        pub sealed_keys: String,
        pub hook_token: String,
        pub linked_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod bank_credit {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "bank_credits")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub stall_id: i64,
        pub service: String,
        pub transfer_id: String,
        pub amount: i64,
        pub purpose: String,
        pub booked_at: DateTimeUtc,
        pub received_at: DateTimeUtc,
        pub outcome: String,
        pub figure: i64,
        pub order_id: Option<i64>,
        /// The counter sale it paid or is to be returned for, when it named one.
        pub counter_sale_id: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod counter_sale {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "counter_sales")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub stall_id: i64,
        /// Its number among the stall's counter sales: its code is `TQ` and this number.
        pub seq: i64,
        pub way: String,
        pub status: String,
        pub amount: i64,
        pub submission: Option<String>,
        pub created_at: DateTimeUtc,
        pub paid_at: Option<DateTimeUtc>,
        /// When payOS was last asked for its payment link, so that a payOS out of reach is
        /// not asked at every look at the sale's screen.
        pub link_tried_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod payment_link {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "payment_links")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// The order it asks payment for, or else the counter sale: exactly one is set.
        pub order_id: Option<i64>,
        pub counter_sale_id: Option<i64>,
        pub link_id: String,
        pub checkout_url: Option<String>,
        pub qr_code: Option<String>,
        pub bin: Option<String>,
        pub account_number: Option<String>,
        pub account_name: Option<String>,
        pub description: String,
        pub amount: i64,
        pub created_at: DateTimeUtc,
        pub closed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
