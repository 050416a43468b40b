//! The migrations on a real database, SQLite or PostgreSQL (`CHOSO_TEST_DATABASE`): a
//! database made by the first migrations and holding a market's data is brought to the latest
//! with its data kept and moved as each migration says, and each migration's `down` gives back
//! the schema from before its `up`.

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryOrder, Statement};
use sea_orm_migration::MigratorTrait;
use server::db::entities::{order, product, stage_span, stall, user};
use server::db::migration::Migrator;

/// A fresh, empty database, connected as the server connects; `dir` holds it when it is
/// SQLite.
async fn fresh(dir: &tempfile::TempDir) -> DatabaseConnection {
    let url = crate::support::fresh_database(dir.path()).await;
    server::db::connect(&url)
        .await
        .expect("connecting to the test database")
}

async fn run(db: &DatabaseConnection, statements: &[&str]) {
    for sql in statements {
        db.execute_unprepared(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// The first column of each row `sql` returns, read as text.
async fn texts(db: &DatabaseConnection, sql: &str) -> Vec<Option<String>> {
    let statement = Statement::from_string(db.get_database_backend(), sql);
    db.query_all_raw(statement)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| row.try_get_by_index(0).unwrap())
        .collect()
}

/// `hour`:00 UTC on a day of March 2024.
fn march(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, day, hour, 0, 0).unwrap()
}

/// What a market had under the first migration: vendors, a shopper and a manager; two stalls
/// claiming Sa Pa's pitch A-01 (one spelt in lower case, with spaces), an A-01 at Bắc Hà, an
/// OCOP producer without a market; products published or not, a photo, a session.
const FOUNDATION: &[&str] = &[
    "INSERT INTO users (id, full_name, phone, email, password_hash, role, market, created_at) \
     VALUES \
     (1, 'Lò Thị Mai', '0912000111', NULL, 'hash-1', 'vendor', NULL, \
      '2024-03-01 08:00:00+07:00'), \
     (2, 'Vàng A Sử', '0912000222', NULL, 'hash-2', 'vendor', NULL, \
      '2024-03-01 09:00:00+07:00'), \
     (3, 'HTX Chè Shan Tuyết', NULL, 'htx.che@example.vn', 'hash-3', 'vendor', NULL, \
      '2024-03-01 10:00:00+07:00'), \
     (4, 'Giàng Thị Dợ', '0912000444', NULL, 'hash-4', 'vendor', NULL, \
      '2024-03-01 11:00:00+07:00'), \
     (5, 'Khách Sa Pa', '0912000555', NULL, 'hash-5', 'shopper', NULL, \
      '2024-03-01 12:00:00+07:00'), \
     (6, 'Quản lý Sa Pa', NULL, 'quanly.sa-pa@example.vn', 'hash-6', 'market_manager', 'sa-pa', \
      '2024-03-01 13:00:00+07:00')",
    "INSERT INTO stalls (id, owner_id, slug, name, place_kind, market, stall_no, entity_type, \
     commune, district, description_vi, description_en, phone, trading_days, status, \
     status_reason, photo_key, created_at, updated_at) VALUES \
     (1, 1, 'rau-sach-co-mai', 'Rau sạch cô Mai', 'market', 'sa-pa', ' a-01 ', NULL, NULL, \
      NULL, 'Rau cải mèo hái buổi sáng.', NULL, '0912000111', 64, 'approved', NULL, NULL, \
      '2024-03-02 08:00:00+07:00', '2024-03-05 09:00:00+07:00'), \
     (2, 2, 'trau-gac-bep-a-su', 'Thịt trâu gác bếp A Sử', 'market', 'sa-pa', 'A-01', NULL, \
      NULL, NULL, 'Thịt trâu hun khói.', NULL, '0912000222', 64, 'submitted', NULL, NULL, \
      '2024-03-03 08:00:00+07:00', '2024-03-03 08:00:00+07:00'), \
     (3, 3, 'che-shan-tuyet', 'HTX Chè Shan Tuyết', 'ocop', NULL, NULL, 'cooperative', \
      'Tả Phìn', 'Sa Pa', 'Chè cổ thụ trên núi cao.', 'Wild shan tea.', '0912000333', 0, \
      'approved', NULL, NULL, '2024-03-02 09:00:00+07:00', '2024-03-04 09:00:00+07:00'), \
     (4, 4, 'tho-cam-bac-ha', 'Thổ cẩm Bắc Hà', 'market', 'bac-ha', 'a-01', NULL, NULL, \
      NULL, 'Vải thổ cẩm dệt tay.', NULL, '0912000444', 64, 'draft', NULL, NULL, \
      '2024-03-04 08:00:00+07:00', '2024-03-04 08:00:00+07:00')",
    "INSERT INTO stall_events (id, stall_id, from_status, to_status, reason, actor_id, at) \
     VALUES (1, 1, 'submitted', 'approved', NULL, 6, '2024-03-05 09:00:00+07:00')",
    "INSERT INTO products (id, stall_id, name, description_vi, description_en, category, unit, \
     price, stock, ocop_stars, ocop_certificate, ocop_year, published, search_text, \
     created_at, updated_at) VALUES \
     (1, 1, 'Rau cải mèo', 'Rau cải mèo Sa Pa.', NULL, 'vegetables', 'kg', 25000, 40, NULL, \
      NULL, NULL, TRUE, 'rau cai meo', '2024-03-05 10:00:00+07:00', \
      '2024-03-06 07:00:00+07:00'), \
     (2, 1, 'Su su', 'Ngọn su su.', NULL, 'vegetables', 'bo', 15000, NULL, NULL, NULL, NULL, \
      FALSE, 'su su', '2024-03-05 11:00:00+07:00', '2024-03-05 11:00:00+07:00'), \
     (3, 3, 'Chè Shan Tuyết', 'Chè cổ thụ.', NULL, 'tea-coffee', 'goi', 120000, NULL, 4, \
      'OCOP-LC-2023-017', 2023, TRUE, 'che shan tuyet', '2024-03-04 10:00:00+07:00', \
      '2024-03-07 08:00:00+07:00')",
    "INSERT INTO product_photos (id, product_id, key, position) \
     VALUES (1, 1, 'p/rau-cai-meo.jpg', 0)",
    "INSERT INTO sessions (id, data, expires_at) VALUES ('phien-1', '{}', 1893456000)",
];

/// What the orders migration added: payment settings (Mai's stall takes cards, A Sử's has a
/// bank account, the cooperative neither), a card checkout Stripe has paid and a VietQR one.
const ORDERS: &[&str] = &[
    "INSERT INTO stall_payments (stall_id, delivery_fee, accepts_cards, bank_bin, \
     bank_account, bank_holder, bank_verified_at, updated_at) VALUES \
     (1, 15000, TRUE, NULL, NULL, NULL, NULL, '2024-03-10 10:00:00+07:00'), \
     (2, 0, FALSE, '970436', '0011001234567', 'VANG A SU', NULL, '2024-03-11 10:00:00+07:00'), \
     (3, 20000, FALSE, NULL, NULL, NULL, NULL, '2024-03-12 10:00:00+07:00')",
    "INSERT INTO checkouts (id, token, user_id, name, phone, fulfilment, address, note, method, \
     total, stripe_session_id, stripe_payment_intent, payment_url, attempts, created_at) VALUES \
     (1, 'the-1', 5, 'Khách Sa Pa', '0912000555', 'pickup', NULL, NULL, 'card', 100000, \
      'cs_test_1', 'pi_test_1', 'https://checkout.stripe.com/c/pay/cs_test_1', 1, \
      '2024-03-15 08:00:00+07:00'), \
     (2, 'the-2', 5, 'Khách Sa Pa', '0912000555', 'pickup', NULL, 'Gói kỹ giúp em', 'vietqr', \
      120000, NULL, NULL, NULL, 0, '2024-03-15 09:00:00+07:00')",
    "INSERT INTO orders (id, code, checkout_id, stall_id, status, method, fulfilment, \
     pickup_day, subtotal, delivery_fee, total, expires_at, created_at, updated_at) VALUES \
     (1, 'DH-240315-0001', 1, 1, 'paid', 'card', 'pickup', 'sun', 100000, 0, 100000, \
      '2024-03-15 09:00:00+07:00', '2024-03-15 08:00:00+07:00', '2024-03-15 08:05:00+07:00'), \
     (2, 'DH-240315-0002', 2, 3, 'awaiting_transfer', 'vietqr', 'pickup', 'sat', 120000, 0, \
      120000, '2024-03-16 09:00:00+07:00', '2024-03-15 09:00:00+07:00', \
      '2024-03-15 09:00:00+07:00')",
    "INSERT INTO order_lines (id, order_id, product_id, name, unit, unit_price, quantity, \
     total) VALUES \
     (1, 1, 1, 'Rau cải mèo', 'kg', 25000, 4, 100000), \
     (2, 2, 3, 'Chè Shan Tuyết', 'goi', 120000, 1, 120000)",
];

/// A database at the first two migrations, holding [`FOUNDATION`] and [`ORDERS`].
async fn market_before_registry(dir: &tempfile::TempDir) -> DatabaseConnection {
    let db = fresh(dir).await;
    Migrator::up(&db, Some(1))
        .await
        .expect("the first migration");
    run(&db, FOUNDATION).await;
    Migrator::up(&db, Some(1))
        .await
        .expect("the orders migration");
    run(&db, ORDERS).await;
    db
}

/// The names of the migrations, oldest first, as databases record them.
fn migration_names() -> Vec<String> {
    Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

/// Each stall's number, by id.
async fn stall_numbers(db: &DatabaseConnection) -> Vec<Option<String>> {
    stall::Entity::find()
        .order_by_asc(stall::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.stall_no)
        .collect()
}

#[tokio::test]
async fn upgrading_keeps_the_data_and_moves_it_as_each_migration_says() {
    let dir = tempfile::tempdir().unwrap();
    let db = market_before_registry(&dir).await;
    Migrator::up(&db, None)
        .await
        .expect("migrating to the latest");
    earlier_data_is_kept(&db).await;
    stage_spans_start_from_the_last_change(&db).await;
    card_orders_were_paid_by_their_checkout(&db).await;
    one_stall_holds_a_pitch(&db).await;
    earlier_pickups_keep_their_weekday(&db).await;
    limited_stocks_start_their_history(&db).await;
    search_documents_follow_todays_recipe(&db).await;
}

/// Every product's search document is rewritten as a product saved today would have it,
/// English words included.
async fn search_documents_follow_todays_recipe(db: &DatabaseConnection) {
    use app::domain::category::Category;
    use app::domain::market::Market;
    use app::domain::role::StallPlace;
    let products = product::Entity::find()
        .order_by_asc(product::Column::Id)
        .all(db)
        .await
        .unwrap();
    let place = StallPlace::Market {
        market: Market::SaPa,
        stall_no: Some("A-01".into()),
    };
    let expected = app::model::search_document(
        "Rau cải mèo",
        "Rau cải mèo Sa Pa.",
        None,
        Category::Vegetables,
        "Rau sạch cô Mai",
        &place,
    );
    assert_eq!(products[0].search_text, expected);
    assert!(products[0].search_text.contains(" vegetables "));
    assert!(products[2].search_text.contains(" tea "), "Chè is tea");
    assert!(products[2].search_text.contains(" htx che shan tuyet "));
}

/// What the first migrations held is all there, read through today's entities.
async fn earlier_data_is_kept(db: &DatabaseConnection) {
    let users = user::Entity::find()
        .order_by_asc(user::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert_eq!(users.len(), 6);
    assert_eq!(users[0].full_name, "Lò Thị Mai");
    assert_eq!(users[0].created_at, march(1, 1));
    assert_eq!(users[5].market.as_deref(), Some("sa-pa"));
    let products = product::Entity::find()
        .order_by_asc(product::Column::Id)
        .all(db)
        .await
        .unwrap();
    let names: Vec<&str> = products.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Rau cải mèo", "Su su", "Chè Shan Tuyết"]);
    assert_eq!(products[2].ocop_stars, Some(4));
    // m0019: the product with a photo says so, the others don't.
    let with_photo: Vec<bool> = products.iter().map(|p| p.has_photo).collect();
    assert_eq!(with_photo, [true, false, false]);
    for (table, rows) in [
        ("product_photos", 1),
        ("sessions", 1),
        ("stall_events", 1),
        ("order_lines", 2),
        ("stall_payments", 3),
        ("card_refunds", 0),
    ] {
        let count = texts(db, &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}")).await;
        assert_eq!(count, [Some(rows.to_string())], "rows of {table}");
    }
}

/// m0003: published products and payable stalls (cards or a bank account) start their
/// history from their last change.
async fn stage_spans_start_from_the_last_change(db: &DatabaseConnection) {
    let spans = stage_span::Entity::find()
        .order_by_asc(stage_span::Column::Stage)
        .order_by_asc(stage_span::Column::StallId)
        .all(db)
        .await
        .unwrap();
    let spans: Vec<_> = spans
        .iter()
        .map(|s| {
            (
                s.stage.as_str(),
                s.stall_id,
                s.product_id,
                s.started_at,
                s.ended_at,
            )
        })
        .collect();
    assert_eq!(
        spans,
        [
            ("epayment_ready", 1, None, march(10, 3), None),
            ("epayment_ready", 2, None, march(11, 3), None),
            ("published", 1, Some(1), march(6, 0), None),
            ("published", 3, Some(3), march(7, 1), None),
        ]
    );
}

async fn orders(db: &DatabaseConnection) -> Vec<order::Model> {
    order::Entity::find()
        .order_by_asc(order::Column::Id)
        .all(db)
        .await
        .unwrap()
}

/// m0004: the card order was paid by its checkout's payment, the VietQR one by none; no
/// checkout has an attempt open.
async fn card_orders_were_paid_by_their_checkout(db: &DatabaseConnection) {
    let payments: Vec<_> = orders(db)
        .await
        .into_iter()
        .map(|o| o.payment_intent)
        .collect();
    assert_eq!(payments, [Some("pi_test_1".into()), None]);
    let open = texts(
        db,
        "SELECT token FROM checkouts \
         WHERE session_orders IS NOT NULL OR session_expires_at IS NOT NULL",
    )
    .await;
    assert!(open.is_empty());
}

/// m0005: numbers in capitals; the later claim on Sa Pa's A-01 is cleared, Bắc Hà's A-01
/// stays; and no stall can claim a taken pitch again.
async fn one_stall_holds_a_pitch(db: &DatabaseConnection) {
    assert_eq!(
        stall_numbers(db).await,
        [Some("A-01".into()), None, None, Some("A-01".into())]
    );
    let clash = db
        .execute_unprepared("UPDATE stalls SET stall_no = 'A-01' WHERE id = 2")
        .await;
    assert!(clash.is_err(), "two stalls on one pitch");
}

/// m0006: orders placed before keep their weekday, and have no date.
async fn earlier_pickups_keep_their_weekday(db: &DatabaseConnection) {
    let pickups: Vec<_> = orders(db)
        .await
        .into_iter()
        .map(|o| (o.pickup_day, o.pickup_date))
        .collect();
    assert_eq!(
        pickups,
        [(Some("sun".into()), None), (Some("sat".into()), None)]
    );
}

/// m0007: a product with a limited stock starts its history with the stock it had, counted
/// by nobody; an unlimited one has no history.
async fn limited_stocks_start_their_history(db: &DatabaseConnection) {
    use server::db::entities::stock_move;
    let moves: Vec<_> = stock_move::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.product_id, m.change, m.reason, m.stock_after, m.by_user))
        .collect();
    assert_eq!(moves, [(1, 40, "counted".to_string(), 40, None)]);
}

#[tokio::test]
async fn undoing_to_the_foundation_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = market_before_registry(&dir).await;
    Migrator::up(&db, None)
        .await
        .expect("migrating to the latest");
    let later = Migrator::migrations().len() as u32 - 1;
    Migrator::down(&db, Some(later))
        .await
        .expect("undoing all but the first migration");

    let applied: Vec<String> = Migrator::get_applied_migrations(&db)
        .await
        .unwrap()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    assert_eq!(applied, ["m0001_foundation"]);
    assert_eq!(
        texts(&db, "SELECT name FROM products ORDER BY id").await,
        [
            Some("Rau cải mèo".into()),
            Some("Su su".into()),
            Some("Chè Shan Tuyết".into())
        ]
    );
    let orders = db.execute_unprepared("SELECT id FROM orders").await;
    assert!(orders.is_err(), "the orders table is gone");
    // The numbers m0005 rewrote stay as it left them: what they were is kept nowhere.
    assert_eq!(
        texts(&db, "SELECT stall_no FROM stalls ORDER BY id").await,
        [Some("A-01".into()), None, None, Some("A-01".into())]
    );

    // Going up again backfills from what is left: the published products, no payments.
    Migrator::up(&db, None).await.expect("migrating up again");
    assert_eq!(
        texts(&db, "SELECT stage FROM stage_spans ORDER BY stall_id").await,
        [Some("published".into()), Some("published".into())]
    );
}

/// The schema's tables, columns, indexes and constraints as comparable lines, leaving out the
/// migrator's own table.
async fn schema(db: &DatabaseConnection) -> Vec<String> {
    let queries: &[&str] = match db.get_database_backend() {
        DbBackend::Sqlite => &[
            "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master \
             WHERE tbl_name NOT IN ('seaql_migrations', 'sqlite_sequence')",
        ],
        DbBackend::Postgres => &[
            "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' \
             || COALESCE(CAST(character_maximum_length AS TEXT), '') || ' ' || is_nullable \
             || ' ' || COALESCE(column_default, '') FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> 'seaql_migrations'",
            "SELECT indexdef FROM pg_indexes \
             WHERE schemaname = current_schema() AND tablename <> 'seaql_migrations'",
            "SELECT conrelid::regclass::text || ' ' || conname || ' ' \
             || pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) \
             AND conrelid::regclass::text <> 'seaql_migrations'",
        ],
        other => panic!("no schema listing for {other:?}"),
    };
    let mut lines = Vec::new();
    for sql in queries {
        lines.extend(texts(db, sql).await.into_iter().map(Option::unwrap));
    }
    lines.sort();
    lines
}

/// Migrations that rewrite data and leave the schema as it was.
const DATA_ONLY: &[&str] = &["m0011_english_search"];

#[tokio::test]
async fn each_migration_undoes_itself() {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh(&dir).await;
    let names = migration_names();
    let mut schemas = vec![schema(&db).await];
    for name in &names {
        Migrator::up(&db, Some(1)).await.expect(name);
        let after = schema(&db).await;
        if DATA_ONLY.contains(&name.as_str()) {
            assert_eq!(&after, schemas.last().unwrap(), "{name} moves only data");
        } else {
            assert_ne!(&after, schemas.last().unwrap(), "{name} changes the schema");
        }
        schemas.push(after);
    }
    for (name, before) in names.iter().zip(&schemas).rev() {
        Migrator::down(&db, Some(1)).await.expect(name);
        assert_eq!(
            &schema(&db).await,
            before,
            "the schema after undoing {name}"
        );
    }
    assert!(
        Migrator::get_applied_migrations(&db)
            .await
            .unwrap()
            .is_empty()
    );

    // All up, all down, all up again.
    let latest = schemas.last().unwrap();
    Migrator::up(&db, None).await.expect("all up");
    assert_eq!(&schema(&db).await, latest);
    Migrator::down(&db, None).await.expect("all down");
    assert_eq!(schema(&db).await, schemas[0]);
    Migrator::up(&db, None).await.expect("all up again");
    assert_eq!(&schema(&db).await, latest);
}

/// Deployed databases record each migration by its name: one renamed would run again.
#[test]
fn the_recorded_names_never_change() {
    let names = migration_names();
    assert_eq!(
        names,
        [
            "m0001_foundation",
            "m0002_orders",
            "m0003_registry",
            "m0004_card_attempts",
            "m0005_one_pitch_one_stall",
            "m0006_pickup_dates",
            "m0007_stock_moves",
            "m0008_refund_claims",
            "m0009_checkout_holders",
            "m0010_payment_watch",
            "m0011_english_search",
            "m0012_product_submissions",
            "m0013_bank_notices",
            "m0014_payment_links",
            "m0015_counter_sales",
            "m0016_sale_payment_links",
            "m0017_search_index",
            "m0018_child_row_indexes",
            "m0019_shelf_candidates",
        ]
    );
}
